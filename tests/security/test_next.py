"""Every view that follows a ``next`` follows only a path on this site (core.http.next_path):
never another site, and never a bare word, which ``redirect()`` took for a URL name (a 500)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from core.http import is_local_path
from dossiers.enums import DossierStatus as S
from tests.factories import PASSWORD, UserFactory, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db

HOSTILE = ["abc", "//evil.example", "https://evil.example/", "/\\evil", "/\t/evil.example", "javascript:alert(1)"]


@pytest.fixture
def dossier(db):
    certification = make_certification(published=True, blocks=1, competencies=2)
    return dossier_in_state(S.ADMISSIBLE, certification=certification)


@pytest.mark.parametrize("target", HOSTILE)
def test_a_hostile_next_is_not_a_local_path(target):
    assert not is_local_path(target)


@pytest.mark.parametrize("target", ["/", "/certifications/", "/dossiers/1/preuves/?competence=2#c-2"])
def test_a_path_on_this_site_is_a_local_path(target):
    assert is_local_path(target)


@pytest.mark.parametrize("target", HOSTILE)
def test_login_ignores_a_hostile_next(client, target):
    UserFactory(email="nina@example.org")

    response = client.post(reverse("login"), {"username": "nina@example.org", "password": PASSWORD, "next": target})

    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_login_page_does_not_carry_a_hostile_next(client, target):
    response = client.get(reverse("login"), {"next": target})

    assert response.status_code == 200
    assert 'name="next" value=""' in response.content.decode()


@pytest.mark.parametrize("target", HOSTILE)
def test_logout_ignores_a_hostile_next(client, target):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"), {"next": target})

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logout_follows_a_path_on_this_site(client):
    client.force_login(UserFactory())
    assert client.post(reverse("logout"), {"next": "/certifications/"}).url == "/certifications/"


@pytest.mark.parametrize("target", HOSTILE)
def test_a_plain_statement_save_ignores_a_hostile_next(client, dossier, target):
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)

    response = client.post(
        reverse("dossiers:statement_save", args=[dossier.pk, statement.competency_id]),
        {"version": statement.version, "narrative": "Mon récit", "next": target},
    )

    assert response.status_code == 302
    assert response.url == reverse("dossiers:competency", args=[dossier.pk, statement.competency_id])


@pytest.mark.parametrize("target", HOSTILE)
def test_a_proof_upload_ignores_a_hostile_next(client, dossier, target):
    client.force_login(dossier.candidate)
    url = reverse("dossiers:proofs", args=[dossier.pk])
    data = {"title": "Bilan", "kind": "work_document", "date": "2024-03-01", "description": "", "file": pdf_upload()}

    response = client.post(f"{url}?{urlencode({'next': target})}", data)

    assert response.status_code == 302
    assert response.url == url
    assert dossier.proofs.filter(title="Bilan").exists()


@pytest.mark.parametrize("target", HOSTILE)
def test_the_proof_library_does_not_carry_a_hostile_next(client, dossier, target):
    client.force_login(dossier.candidate)

    response = client.get(reverse("dossiers:proofs", args=[dossier.pk]), {"next": target})

    assert response.status_code == 200
    assert 'name="next"' not in response.content.decode()
