"""Who reaches each France VAE page and the document download: the organisation's certifier and
an admin; another organisation's certifier gets 404; a candidate or a jury member 403; an
anonymous visitor the login page. No network: the connection points at a closed port."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from francevae import services
from francevae.enums import DocumentKind
from francevae.models import FranceVaeDocument, FranceVaeLink
from juries import services as juries
from juries.enums import JuryRole
from tests.factories import CertifierFactory, UserFactory, dossier_in_state, make_certification, make_session
from tests.francevae.conftest import DEMO_CANDIDATURE

pytestmark = pytest.mark.django_db

ROLES = ("certifier", "other_certifier", "candidate", "jury_member", "anonymous", "admin")
EXPECTED = {
    "certifier": "ok",
    "admin": "ok",
    "other_certifier": 404,
    "candidate": 403,
    "jury_member": 403,
    "anonymous": "login",
}


@pytest.fixture
def world():
    org, other_org = CertifierFactory(legal_name="Organisme A"), CertifierFactory(legal_name="Organisme B")
    certification = make_certification(published=True, certifier=org, code="RNCP35830")
    certifier, other_certifier = UserFactory(), UserFactory()
    org.staff.add(certifier)
    other_org.staff.add(other_certifier)
    services.save_connection(
        org, base_url="http://127.0.0.1:9/interop/v1", authority_id="ca-1", token="jeton", invite_candidates=False
    )
    services.save_connection(
        other_org, base_url="http://127.0.0.1:9/interop/v1", authority_id="ca-2", token="jeton", invite_candidates=False
    )
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED, certification=certification, certifier_user=certifier)
    link = FranceVaeLink.objects.create(
        connection=org.francevae_connection, candidature_id=DEMO_CANDIDATURE, dossier=dossier
    )
    document = FranceVaeDocument(
        link=link, kind=DocumentKind.FEASIBILITY, name="faisabilite.pdf", content_type="application/pdf", size=3
    )
    document.sha256 = "0" * 64
    document.file.save("faisabilite.pdf", ContentFile(b"pdf"), save=True)
    session = make_session(certification)
    member = juries.add_member(session, UserFactory(admin=True), email=UserFactory().email, role=JuryRole.PRESIDENT)
    users = {
        "certifier": certifier,
        "other_certifier": other_certifier,
        "candidate": dossier.candidate,
        "jury_member": member.user,
        "admin": UserFactory(admin=True),
    }
    return {"org": org, "document": document, "users": users}


PAGES = {
    "list": ("get", lambda w: reverse("francevae:list")),
    "edit": ("get", lambda w: reverse("francevae:edit", args=[w["org"].pk])),
    "save": ("post", lambda w: reverse("francevae:edit", args=[w["org"].pk])),
    "test": ("post", lambda w: reverse("francevae:test", args=[w["org"].pk])),
    "sync": ("post", lambda w: reverse("francevae:sync", args=[w["org"].pk])),
    "pause": ("post", lambda w: reverse("francevae:pause", args=[w["org"].pk])),
    "document": ("get", lambda w: reverse("francevae:document", args=[w["document"].pk])),
}
FORM = {"base_url": "http://127.0.0.1:9/interop/v1", "authority_id": "ca-1", "token": ""}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_france_vae_page_answers_by_role(client, world, page, role):
    method, url = PAGES[page]
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = getattr(client, method)(url(world), FORM if page == "save" else {})
    expected = EXPECTED[role]
    if page == "list" and role == "other_certifier":
        expected = "ok"  # their own list, without the organisation (below)
    if expected == "login":
        assert response.status_code == 302 and reverse("login") in response["Location"]
    elif expected == "ok":
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert reverse("login") not in response["Location"]
    else:
        assert response.status_code == expected


def test_another_organisations_list_does_not_show_the_organisation(client, world):
    client.force_login(world["users"]["other_certifier"])
    body = client.get(reverse("francevae:list")).content.decode()
    assert "Organisme B" in body and "Organisme A" not in body


def test_the_document_is_downloaded_by_its_certifier(client, world):
    client.force_login(world["users"]["certifier"])
    response = client.get(reverse("francevae:document", args=[world["document"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"pdf"
    assert "attachment" in response["Content-Disposition"]


def test_another_certifier_cannot_pause_the_connection(client, world):
    client.force_login(world["users"]["other_certifier"])
    client.post(reverse("francevae:pause", args=[world["org"].pk]))
    world["org"].francevae_connection.refresh_from_db()
    assert world["org"].francevae_connection.paused is False
