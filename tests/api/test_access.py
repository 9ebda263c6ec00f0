"""Every operation of the API × every kind of token, against one declared table.

Tokens: ``own`` (the organisation of the world's certification, every scope), ``other`` (another
organisation, every scope), ``revoked`` (own organisation, revoked), ``no_scope`` (own
organisation, every scope but the one the operation needs), ``none`` (no Authorization header).
An operation missing from ``ACCESS`` fails the test: no operation is ever added unchecked.
Each request runs in a savepoint rolled back afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from api import tokens
from api.main import api
from api.models import Scope
from documents.models import GeneratedDocument
from tests.api.conftest import ALL_SCOPES, bearer
from tests.factories import MINIMAL_PDF
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Op:
    method: str
    path: Callable  # world → path under /api/v1
    scope: str
    own: int  # what the organisation's own token gets
    body: Callable | None = None
    other: int = 404  # another organisation's token


def _doc(w):
    return GeneratedDocument.objects.get(dossier=w.dossier, kind="validation").pk


ACCESS: dict[str, Op] = {
    "GET /certifications": Op("get", lambda w: "/certifications", Scope.READ, 200, other=200),
    "GET /certifications/{id}": Op("get", lambda w: f"/certifications/{w.certification.pk}", Scope.READ, 200),
    "POST /referentiels": Op(
        "post", lambda w: "/referentiels", Scope.REFERENTIALS, 422, body=lambda w: {"certifications": [{}]}, other=422
    ),
    "POST /certifications/{id}/publication": Op(
        "post", lambda w: f"/certifications/{w.objects['draft'].pk}/publication", Scope.REFERENTIALS, 200
    ),
    "GET /candidatures": Op("get", lambda w: "/candidatures", Scope.READ, 200, other=200),
    "GET /candidatures/{id}": Op("get", lambda w: f"/candidatures/{w.dossier.pk}", Scope.READ, 200),
    "GET /candidatures/{id}/dossierDeFaisabilite": Op(
        "get", lambda w: f"/candidatures/{w.dossier.pk}/dossierDeFaisabilite", Scope.READ, 200
    ),
    "GET /candidatures/{id}/dossierDeValidation": Op(
        "get", lambda w: f"/candidatures/{w.dossier.pk}/dossierDeValidation", Scope.READ, 200
    ),
    "GET /candidatures/{id}/preuves/{preuve}/contenu": Op(
        "get", lambda w: f"/candidatures/{w.dossier.pk}/preuves/{w.objects['proof'].pk}/contenu", Scope.READ, 200
    ),
    # The world's dossier is convoked: no decision is pending, the service refuses (409).
    "POST /candidatures/{id}/dossierDeFaisabilite/decisions": Op(
        "post",
        lambda w: f"/candidatures/{w.dossier.pk}/dossierDeFaisabilite/decisions",
        Scope.DECISIONS,
        409,
        body=lambda w: {"decision": "RECEVABLE"},
    ),
    "POST /candidatures/{id}/dossierDeValidation/decisions": Op(
        "post",
        lambda w: f"/candidatures/{w.dossier.pk}/dossierDeValidation/decisions",
        Scope.DECISIONS,
        409,
        body=lambda w: {"decision": "PRET_POUR_JURY"},
    ),
    "GET /sessionsJury": Op("get", lambda w: "/sessionsJury", Scope.READ, 200, other=200),
    "GET /sessionsJury/{id}": Op("get", lambda w: f"/sessionsJury/{w.objects['session'].pk}", Scope.READ, 200),
    "GET /candidatures/{id}/informationJury": Op(
        "get", lambda w: f"/candidatures/{w.dossier.pk}/informationJury", Scope.READ, 200
    ),
    "PUT /convocations/{id}": Op(
        "put",
        lambda w: f"/convocations/{w.objects['jury_convocation'].pk}",
        Scope.JURY,
        200,
        body=lambda w: {
            "debut": w.objects["jury_convocation"].starts_at.replace(hour=14).isoformat(),
            "fin": w.objects["jury_convocation"].starts_at.replace(hour=15).isoformat(),
            "motif": "Salle indisponible le matin.",
        },
    ),
    # The world's session has a final procès-verbal: its results no longer change (409).
    "PUT /sessionsJury/{id}/resultats": Op(
        "put",
        lambda w: f"/sessionsJury/{w.objects['session'].pk}/resultats",
        Scope.JURY,
        409,
        body=lambda w: [{"candidature": w.dossier.pk, "presence": "absent"}],
    ),
    "GET /documents/{id}": Op("get", lambda w: f"/documents/{_doc(w)}", Scope.READ, 200),
    "GET /documents/{id}/contenu": Op("get", lambda w: f"/documents/{_doc(w)}/contenu", Scope.READ, 200),
    "GET /documentsJury/{id}": Op(
        "get", lambda w: f"/documentsJury/{w.objects['minutes_document'].pk}", Scope.READ, 200
    ),
    "GET /documentsJury/{id}/contenu": Op(
        "get", lambda w: f"/documentsJury/{w.objects['minutes_document'].pk}/contenu", Scope.READ, 200
    ),
}


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{m.upper()} {p.removeprefix('/api/v1')}" for p, item in schema["paths"].items() for m in item}


def test_every_operation_is_in_the_access_table():
    assert sorted(api_operations() - set(ACCESS)) == []
    assert sorted(set(ACCESS) - api_operations()) == []


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        world.objects["media_root"] = media
        org = world.certification.certifiers.first()
        other_org = world.other_certification.certifiers.first()
        revoked = tokens.create_token(org, "révoqué", ALL_SCOPES)
        tokens.revoke_token(revoked.token)
        world.objects["tokens"] = {
            "own": tokens.create_token(org, "SI", ALL_SCOPES).secret,
            "other": tokens.create_token(other_org, "SI autre", ALL_SCOPES).secret,
            "revoked": revoked.secret,
        }
        world.objects["org"] = org
        # The PDFs are rendered by a worker: here they are made ready by hand.
        for doc in [GeneratedDocument.objects.get(dossier=world.dossier, kind="validation")]:
            doc.file.save("doc.pdf", ContentFile(MINIMAL_PDF), save=False)
            doc.status, doc.sha256 = "done", "0" * 64
            doc.save()
        minutes = world.objects["minutes_document"]
        minutes.file.save("pv.pdf", ContentFile(MINIMAL_PDF), save=False)
        minutes.status = "done"
        minutes.save()
        yield world
        transaction.set_rollback(True)


def _call(client, op: Op, world, headers: dict):
    url = "/api/v1" + op.path(world)
    kwargs = {}
    if op.body is not None:
        kwargs = {"data": json.dumps(op.body(world)), "content_type": "application/json"}
    sid = transaction.savepoint()
    try:
        return getattr(client, op.method)(url, **kwargs, **headers)
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_each_token_gets_the_declared_status(name, world, client, settings):
    settings.MEDIA_ROOT = world.objects["media_root"]
    op = ACCESS[name]
    secrets = world.objects["tokens"]
    scopeless = tokens.create_token(world.objects["org"], "sans droit", [s for s in ALL_SCOPES if s != op.scope])
    expected = {
        "own": (bearer(secrets["own"]), op.own),
        "other": (bearer(secrets["other"]), op.other),
        "revoked": (bearer(secrets["revoked"]), 401),
        "no_scope": (bearer(scopeless.secret), 403),
        "none": ({}, 401),
    }
    wrong = []
    for kind, (headers, status) in expected.items():
        response = _call(client, op, world, headers)
        if response.status_code != status:
            wrong.append(f"{name} with {kind} token: expected {status}, got {response.status_code}")
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", name
            body = response.json()
            assert body["status"] == response.status_code and body["detail"]
            assert world.dossier.candidate.email not in response.content.decode()
    assert wrong == []


def test_another_organisations_lists_hold_nothing_of_this_one(world, client):
    headers = bearer(world.objects["tokens"]["other"])
    dossiers = client.get("/api/v1/candidatures?limite=100", **headers).json()
    assert world.dossier.pk not in [d["id"] for d in dossiers["donnees"]]
    certifications = client.get("/api/v1/certifications?limite=100", **headers).json()
    assert world.certification.pk not in [c["id"] for c in certifications["donnees"]]
    sessions = client.get("/api/v1/sessionsJury?limite=100", **headers).json()
    assert world.objects["session"].pk not in [s["id"] for s in sessions["donnees"]]
