"""Every page of the declaration to the CDC × every role, and the identity form's checks."""

import pytest
from django.urls import reverse

from accrochage import services
from accrochage.models import Passage
from dossiers.models import CivilIdentity
from tests.accrochage.conftest import IDENTITY, build

ROLES = ["owner", "other_candidate", "certifier", "other_certifier", "jury_member", "other_jury_member", "admin"]


@pytest.fixture
def world(holder, django_capture_on_commit_callbacks):
    from juries.enums import JuryRole
    from tests.factories import UserFactory, certifier_of
    from tests.juries.helpers import four_level_certification, jury_session

    flux = build(holder, django_capture_on_commit_callbacks)
    services.apply_report(holder.organisation, [(Passage.objects.get().id_technique, False, "Nom inconnu")], None)
    other_cert = four_level_certification()
    _s, (stranger,), _c = jury_session(holder.certification, roles=(JuryRole.PROFESSIONAL,), candidates=0, days=5)
    users = {
        "owner": holder.candidate,
        "other_candidate": UserFactory(email="autre@example.org"),
        "certifier": holder.certifier,
        "other_certifier": certifier_of(other_cert, email="autre-certif@org.example"),
        "jury_member": holder.members[0].user,
        "other_jury_member": stranger.user,
        "admin": UserFactory(email="admin@example.org", admin=True),
    }
    return holder, flux, users


def as_(client, users, role):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client


CERTIFIER_PAGES = {"certifier": 200, "admin": 200}


def expected(role, allowed, denied):
    if role == "anonymous":
        return "login"
    return allowed.get(role, denied)


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_each_role_gets_the_declared_outcome_on_every_cdc_page(world, client, role):
    holder, flux, users = world
    passage = Passage.objects.get()
    dossier = holder.convocation.dossier
    pages = [
        # (method, url, allowed roles → status, status for the others)
        ("get", reverse("accrochage:identity", args=[dossier.pk]), {"owner": 200}, 404),
        ("get", reverse("accrochage:holders"), {"certifier": 200, "admin": 200, "other_certifier": 200}, 403),
        ("get", reverse("accrochage:flux", args=[flux.pk]), {"certifier": 200, "admin": 200}, 404),
        ("get", reverse("accrochage:flux_download", args=[flux.pk]), {"certifier": 200, "admin": 200}, 404),
        ("post", reverse("accrochage:account", args=[holder.organisation.pk]), {"certifier": 302, "admin": 302}, 404),
        (
            "post",
            reverse("accrochage:flux_create", args=[holder.organisation.pk]),
            {"certifier": 302, "admin": 302},
            404,
        ),
        ("post", reverse("accrochage:flux_report", args=[flux.pk]), {"certifier": 302, "admin": 302}, 404),
        ("post", reverse("accrochage:passage_put_back", args=[passage.pk]), {"certifier": 302, "admin": 302}, 404),
    ]
    for method, url, allowed, denied in pages:
        # Certifier-only pages answer 403 to anyone who is no certifier at all.
        if (
            denied == 404
            and "certificateur" in url
            and role in ("owner", "other_candidate", "jury_member", "other_jury_member")
        ):
            want = 403
        else:
            want = expected(role, allowed, denied)
        response = getattr(as_(client, users, role), method)(url)
        if want == "login":
            assert response.status_code == 302 and response.url.startswith(reverse("login")), url
        else:
            assert response.status_code == want, (method, url, role)
        if response.status_code in (403, 404):
            assert "Saint-Malo" not in response.content.decode(errors="replace")


def test_jurors_never_see_the_holders_identity(world, client):
    holder, _flux, users = world
    client.force_login(users["jury_member"])
    for url in (
        reverse("jury:candidate", args=[holder.convocation.pk]),
        reverse("jury:session", args=[holder.session.pk]),
        reverse("jury:minutes", args=[holder.session.pk]),
    ):
        body = client.get(url).content.decode()
        assert "Saint-Malo" not in body and "1985" not in body


def test_the_certifier_sees_the_holders_status_and_the_cdcs_reason(world, client):
    holder, _flux, users = world
    client.force_login(users["certifier"])
    body = client.get(reverse("backoffice:dossier", args=[holder.convocation.dossier.pk])).content.decode()
    assert "Nom inconnu" in body
    body = client.get(reverse("accrochage:holders")).content.decode()
    assert "Nom inconnu" in body


def test_the_candidate_gives_their_identity_from_their_dossier(holder, client):
    CivilIdentity.objects.all().delete()
    dossier = holder.convocation.dossier
    client.force_login(holder.candidate)
    assert (
        reverse("accrochage:identity", args=[dossier.pk])
        in client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    )
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in IDENTITY.items()}
    data["birth_date"] = "1985-04-12"
    response = client.post(reverse("accrochage:identity", args=[dossier.pk]), data)
    assert response.status_code == 302
    assert CivilIdentity.objects.get(dossier=dossier).birth_insee_code == "35288"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"birth_insee_code": "3528"}, "5 caractères"),
        ({"birth_insee_code": "", "birth_postcode": ""}, "code INSEE"),
        ({"birth_date": "2100-01-01"}, "invraisemblable"),
        ({"birth_name": "G1rard"}, "Lettres"),
        ({"birth_country_code": "fr"}, "Trois lettres"),
    ],
)
def test_a_wrong_identity_is_refused_with_a_french_message_and_nothing_saved(holder, client, change, message):
    CivilIdentity.objects.all().delete()
    dossier = holder.convocation.dossier
    client.force_login(holder.candidate)
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in IDENTITY.items()}
    data["birth_date"] = "1985-04-12"
    data.update(change)
    response = client.post(reverse("accrochage:identity", args=[dossier.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not CivilIdentity.objects.exists()


def test_a_sent_identity_is_frozen_for_the_candidate(holder, client, django_capture_on_commit_callbacks):
    build(holder, django_capture_on_commit_callbacks)
    client.force_login(holder.candidate)
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in IDENTITY.items()}
    data.update(birth_date="1985-04-12", birth_name="Autre")
    response = client.post(reverse("accrochage:identity", args=[holder.convocation.dossier.pk]), data)
    assert response.status_code == 200
    assert CivilIdentity.objects.get().birth_name == "Girard"
