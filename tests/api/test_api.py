"""What the API does beyond access: writes through the pages' services (same guards, same
timeline and audit rows, actor = the token), ETags, idempotency keys, rate limits, problem+json,
the docs page without any CDN, the command and the certifier page."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from api.models import ApiToken
from audit.models import AuditEvent
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, TransitionLog
from tests.api.conftest import bearer
from tests.factories import CertifierFactory, UserFactory, certifier_of, dossier_in_state, make_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def cert(db):
    return make_certification(published=True, title="Médiation sociale")


@pytest.fixture
def org(cert):
    return cert.certifiers.first()


def post(client, url, body, secret, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(secret), **headers)


def test_a_recevabilite_decision_goes_through_the_service_with_the_token_as_actor(client, cert, org, token_for):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    secret = token_for(org, name="SI scolarité")
    url = f"/api/v1/candidatures/{dossier.pk}/dossierDeFaisabilite/decisions"
    response = post(client, url, {"decision": "NON_RECEVABLE", "commentaire": "Expérience trop courte."}, secret)
    assert response.status_code == 201, response.content
    assert response.json()["etat"] == S.INADMISSIBLE
    log = TransitionLog.objects.filter(dossier=dossier).latest("pk")
    assert log.to_status == S.INADMISSIBLE
    assert log.actor.get_full_name() == f"API – {org} – SI scolarité"
    assert not log.actor.is_active and not log.actor.has_usable_password()


def test_a_negative_decision_without_a_reason_is_refused_like_on_the_page(client, cert, org, token_for):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    response = post(
        client,
        f"/api/v1/candidatures/{dossier.pk}/dossierDeFaisabilite/decisions",
        {"decision": "A_COMPLETER"},
        token_for(org),
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "motif" in response.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED


def test_a_validation_review_marks_the_dossier_ready_for_jury(client, cert, org, token_for):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    url = f"/api/v1/candidatures/{dossier.pk}/dossierDeValidation/decisions"
    response = post(client, url, {"decision": "PRET_POUR_JURY"}, token_for(org))
    assert response.status_code == 201
    dossier.refresh_from_db()
    assert dossier.status == S.READY_FOR_JURY


def test_the_dossier_de_validation_gives_each_competency_its_narrative_and_proofs_with_their_hash(
    client, cert, org, token_for
):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED, certification=cert)
    body = client.get(f"/api/v1/candidatures/{dossier.pk}/dossierDeValidation", **bearer(token_for(org))).json()
    proof = dossier.proofs.get()
    competency = body["blocs"][0]["competences"][0]
    assert competency["recit"].startswith("Dans l'association")
    assert competency["preuves"] == [proof.pk]
    (listed,) = body["preuves"]
    assert listed["sha256"] == proof.sha256 and listed["telechargeable"]
    download = client.get(listed["url"], **bearer(token_for(org)))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_candidatures_list_searches_like_the_queue_and_filters_on_local_days(client, cert, org, token_for):
    """« helene » finds Hélène (accents and case aside, every word); « depuis » and « jusqua »
    are whole days in French time: a request at 00:30 on the 3rd in Paris is on the 3rd."""
    from zoneinfo import ZoneInfo

    helene = dossier_in_state(
        S.FEASIBILITY_SUBMITTED, certification=cert, candidate=UserFactory(first_name="Hélène", last_name="Lefèvre")
    )
    other = dossier_in_state(
        S.FEASIBILITY_SUBMITTED, certification=cert, candidate=UserFactory(first_name="Marc", last_name="Durand")
    )
    paris = ZoneInfo("Europe/Paris")
    Dossier.objects.filter(pk=helene.pk).update(feasibility_submitted_at=dt.datetime(2026, 3, 3, 0, 30, tzinfo=paris))
    Dossier.objects.filter(pk=other.pk).update(feasibility_submitted_at=dt.datetime(2026, 3, 2, 23, 30, tzinfo=paris))
    secret = token_for(org)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/candidatures?{query}", **bearer(secret))
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["donnees"]]

    assert ids("recherche=helene") == [helene.pk]
    assert ids("recherche=LEFEVRE hél") == [helene.pk]
    assert ids("recherche=helene durand") == []
    assert ids("depuis=2026-03-03") == [helene.pk]
    assert ids("jusqua=2026-03-02") == [other.pk]
    assert ids("depuis=2026-03-02&jusqua=2026-03-03") == [other.pk, helene.pk]


def test_a_referential_is_imported_as_a_draft_and_published(client, org, token_for):
    from certifications import referential

    source = make_certification(published=True, certifier=org, code="RNCP77777", title="Titre source")
    document = referential.export_document([source])
    document["certifications"][0].update(code="RNCP77778", title="Nouveau titre", slug="nouveau-titre")
    secret = token_for(org)
    response = post(client, "/api/v1/referentiels", document, secret)
    assert response.status_code == 201, response.content
    (created,) = response.json()
    assert created["statut"] == "draft" and created["codeRncp"] == "RNCP77778"
    published = client.post(f"/api/v1/certifications/{created['id']}/publication", **bearer(secret))
    assert published.status_code == 200, published.content
    assert published.json()["statut"] == "published"


def test_a_referential_of_another_organisation_is_refused(client, org, token_for):
    from certifications import referential

    foreign = make_certification(published=True, code="RNCP66666")
    document = referential.export_document([foreign])
    response = post(client, "/api/v1/referentiels", document, token_for(org))
    assert response.status_code == 409


def test_reads_carry_an_etag_and_answer_304_when_it_matches(client, org, token_for):
    secret = token_for(org)
    first = client.get("/api/v1/certifications", **bearer(secret))
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/v1/certifications", HTTP_IF_NONE_MATCH=first["ETag"], **bearer(secret))
    assert again.status_code == 304 and again.content == b""


def test_a_post_repeated_with_its_idempotency_key_is_answered_again_without_acting_twice(client, cert, org, token_for):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=cert)
    secret = token_for(org)
    url = f"/api/v1/candidatures/{dossier.pk}/dossierDeFaisabilite/decisions"
    first = post(client, url, {"decision": "RECEVABLE"}, secret, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = post(client, url, {"decision": "RECEVABLE"}, secret, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content and second["Idempotent-Replayed"] == "true"
    assert TransitionLog.objects.filter(dossier=dossier, to_status=S.ADMISSIBLE).count() == 1
    reused = post(client, url, {"decision": "NON_RECEVABLE", "commentaire": "x"}, secret, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert reused.status_code == 422


def test_each_token_has_its_rate_limit_with_the_standard_headers(client, org, token_for, settings):
    settings.API_RATE_LIMIT = (2, 60)
    secret = token_for(org)
    first = client.get("/api/v1/certifications", **bearer(secret))
    assert first["RateLimit-Limit"] == "2" and first["RateLimit-Remaining"] == "1"
    client.get("/api/v1/certifications", **bearer(secret))
    refused = client.get("/api/v1/certifications", **bearer(secret))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Content-Type"] == "application/problem+json"
    # Another token is counted apart.
    assert client.get("/api/v1/certifications", **bearer(token_for(org, name="autre"))).status_code == 200


def test_a_request_outside_the_schema_is_a_422_in_french(client, org, token_for):
    response = client.get("/api/v1/candidatures?limite=500", **bearer(token_for(org)))
    assert response.status_code == 422
    assert response.json()["detail"] == "La requête ne suit pas le schéma de l'API."


def test_the_openapi_document_describes_every_field_in_french_and_english(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    missing = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if " — " not in spec.get("description", "")
    ]
    assert missing == []


def test_the_docs_page_loads_nothing_from_another_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"(?:src|href)=\"(https?:)?//", html) == []
    assert "swagger-ui-bundle.js" in html
    assert '"validatorUrl": null' in html


def test_the_command_prints_the_token_once_and_stores_only_its_hash(org):
    out = io.StringIO()
    call_command("create_api_token", organisation=org.siret, scopes="lecture,decisions", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert secret.startswith(f"vae_{token.prefix}_")
    assert token.scopes == ["lecture", "decisions"]
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)


def test_the_command_refuses_an_unknown_scope(org):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Droit inconnu"):
        call_command("create_api_token", organisation=org.siret, scopes="lecture,tout", stdout=io.StringIO())


def test_staff_create_a_token_on_the_page_see_it_once_and_revoke_it(client, cert, org):
    staff = certifier_of(cert)
    client.force_login(staff)
    response = client.post(
        reverse("api_tokens:list"), {"organisation": org.pk, "name": "SI scolarité", "scopes": ["lecture"]}
    )
    secret = re.search(r"vae_[0-9a-f]+_[\w-]+", response.content.decode()).group(0)
    assert client.get("/api/v1/certifications", **bearer(secret)).status_code == 200
    assert secret not in client.get(reverse("api_tokens:list")).content.decode()
    token = ApiToken.objects.get()
    assert token.created_by == staff
    client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert client.get("/api/v1/certifications", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(action__in=["api.token_created", "api.token_revoked"]).count() == 2


def test_staff_cannot_create_a_token_for_another_organisation(client, cert):
    client.force_login(certifier_of(cert))
    other = CertifierFactory()
    response = client.post(reverse("api_tokens:list"), {"organisation": other.pk, "name": "x", "scopes": ["lecture"]})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_seed_demo_prints_a_working_token_for_aptim(client, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    secret = re.search(r"jeton d'API APTIM \(tous les droits\) : (\S+)", out.getvalue()).group(1)
    body = client.get("/api/v1/candidatures", **bearer(secret)).json()
    assert body["total"] >= 1
    assert {c["certification"]["codeRncp"] for c in body["donnees"]} == {"RNCP35203"}


def test_the_openapi_document_declares_304_on_reads_with_an_etag():
    from api.main import api

    paths = api.get_openapi_schema()["paths"]
    assert "304" in paths["/api/v1/candidatures/{id}"]["get"]["responses"]
    assert "304" not in paths["/api/v1/documents/{id}/contenu"]["get"]["responses"]  # a file: no ETag
    assert "304" not in paths["/api/v1/sessionsJury/{id}/resultats"]["put"]["responses"]


def test_an_id_past_what_the_database_stores_is_refused_or_not_found_never_a_server_error(client, org, token_for):
    huge = 2**80
    headers = bearer(token_for(org))
    assert client.get(f"/api/v1/candidatures?certification={huge}", **headers).status_code == 422
    assert client.get(f"/api/v1/candidatures/{huge}", **headers).status_code == 404
