"""Every badge page × every role: the verification page, DID documents, status lists,
achievements and contexts are public; a badge's files are its holder's alone."""

import pytest
from django.urls import reverse

from credentials.models import Badge

ROLES = ["owner", "other_candidate", "certifier", "other_certifier", "jury_member", "other_jury_member", "admin"]
EVERYONE = [*ROLES, "anonymous"]


def get(client, roles, role, url):
    client.logout()
    if roles[role] is not None:
        client.force_login(roles[role])
    return client.get(url)


def public_urls(badge):
    return [
        reverse("credentials:verify", args=[badge.uuid]),
        reverse("credentials:did_document", args=[badge.organisation_id]),
        reverse("credentials:status_list", args=[badge.organisation_id]),
        reverse("credentials:block_achievement", args=[Badge.objects.filter(block__isnull=False).first().block_id]),
        reverse("credentials:certification_achievement", args=[badge.decision.dossier.certification_id]),
        reverse("credentials:context", args=["credentials-v2.jsonld"]),
    ]


@pytest.mark.parametrize("role", EVERYONE)
def test_every_role_including_anonymous_reads_the_public_badge_pages(awarded, roles, client, role):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    for url in public_urls(badge):
        response = get(client, roles, role, url)
        assert response.status_code == 200, url
    page = get(client, roles, role, reverse("credentials:verify", args=[badge.uuid])).content.decode()
    assert "Vérifié" in page and badge.organisation.legal_name in page
    if role != "owner":  # the owner's own e-mail is in the menu bar
        assert awarded.candidate.email not in page
    assert "sha256$" not in page


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("name", ["credentials:download_jwt", "credentials:download_json"])
def test_only_the_holder_downloads_the_badge_files(awarded, roles, client, role, name):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    response = get(client, roles, role, reverse(name, args=[badge.uuid]))
    if role == "owner":
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", EVERYONE)
def test_badge_pages_refuse_posts(awarded, roles, client, role):
    badge = Badge.objects.filter(decision=awarded.decision).first()
    client.logout()
    if roles[role] is not None:
        client.force_login(roles[role])
    for url in [*public_urls(badge), reverse("credentials:download_jwt", args=[badge.uuid])]:
        assert client.post(url).status_code in (302, 403, 405)


def test_an_organisation_that_issued_nothing_publishes_no_key(db, client, tmp_path, settings):
    from tests.factories import CertifierFactory

    org = CertifierFactory()
    assert client.get(reverse("credentials:did_document", args=[org.pk])).status_code == 404
    assert client.get(reverse("credentials:status_list", args=[org.pk])).status_code == 404
    assert not (tmp_path / "badge-keys").exists() or not any((tmp_path / "badge-keys").iterdir())


def test_an_unknown_badge_is_a_404(db, client):
    import uuid

    assert client.get(reverse("credentials:verify", args=[uuid.uuid4()])).status_code == 404
