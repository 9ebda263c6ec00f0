"""Who reaches what: every back-office page and action, for every role.

A certifier of another organisation gets 404 on every object and never sees another's data in
a list or an export; people who are not certifiers get 403; anonymous visitors go to login.
"""

import pytest
from django.urls import reverse

from certifications.models import Certification
from dossiers.enums import DossierStatus as S
from juries.models import JurySession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (url name, key of the object in ``world``)
PAGES = [
    ("backoffice:referential", "cert"),
    ("backoffice:referential", "draft"),
    ("backoffice:referential_identity", "draft"),
    ("backoffice:referential_export", "cert"),
    ("backoffice:block_edit", "block"),
    ("backoffice:competency_add", "block"),
    ("backoffice:group_rename", "block"),
    ("backoffice:competency_edit", "comp"),
    ("backoffice:method_add", "draft"),
    ("backoffice:method_edit", "method"),
    ("backoffice:rubric", "rubric"),
    ("backoffice:criterion_add", "rubric"),
    ("backoffice:level_add", "rubric"),
    ("backoffice:criterion_edit", "criterion"),
    ("backoffice:level_edit", "level"),
    ("backoffice:dossier", "submitted"),
    ("backoffice:dossier", "validation"),
    ("backoffice:dossier_identity", "submitted"),
    ("backoffice:dossier_history", "submitted"),
    ("backoffice:session", "session"),
    ("backoffice:session_edit", "session"),
    ("backoffice:session_cancel", "session"),
    ("backoffice:member_add", "session"),
    ("backoffice:convoke", "session"),
    ("backoffice:convocation_reschedule", "convocation"),
    ("backoffice:convocation_cancel", "convocation"),
]
ACTIONS = [
    ("backoffice:new_version", "cert", {}),
    ("backoffice:referential_publish", "draft", {}),
    ("backoffice:referential_identity", "draft", {"title": "Piraté", "min_narrative_length": 300}),
    ("backoffice:referential_delete", "draft", {}),
    ("backoffice:block_add", "draft", {"block-title": "Piraté"}),
    ("backoffice:block_edit", "block", {"title": "Piraté"}),
    ("backoffice:block_delete", "block", {}),
    ("backoffice:block_move", "block", {"direction": "down"}),
    ("backoffice:competency_add", "block", {"text": "Piraté"}),
    ("backoffice:group_rename", "block", {"old": "", "new": "Piraté"}),
    ("backoffice:competency_edit", "comp", {"text": "Piraté"}),
    ("backoffice:competency_delete", "comp", {}),
    ("backoffice:competency_move", "comp", {"direction": "down"}),
    ("backoffice:competency_transfer", "comp", {"block": "0"}),
    ("backoffice:method_add", "draft", {"method-kind": "other"}),
    ("backoffice:method_edit", "method", {"kind": "other", "title": "Piraté"}),
    ("backoffice:method_delete", "method", {}),
    ("backoffice:rubric_create", "draft", {}),
    ("backoffice:rubric", "rubric", {"title": "Piraté", "pass_threshold_percent": 1}),
    ("backoffice:rubric_delete", "rubric", {}),
    ("backoffice:criterion_add", "rubric", {"criterion-text": "Piraté", "criterion-weight": 1}),
    ("backoffice:criterion_edit", "criterion", {"text": "Piraté", "weight": 1}),
    ("backoffice:criterion_delete", "criterion", {}),
    ("backoffice:criterion_move", "criterion", {"direction": "down"}),
    ("backoffice:level_add", "rubric", {"level-label": "Piraté", "level-points": 1}),
    ("backoffice:level_edit", "level", {"label": "Piraté", "points": 1}),
    ("backoffice:level_delete", "level", {}),
    ("backoffice:level_move", "level", {"direction": "down"}),
    ("backoffice:dossier_feasibility", "submitted", {"decision": S.ADMISSIBLE}),
    ("backoffice:dossier_validation", "validation", {"decision": "complete"}),
    ("backoffice:session_edit", "session", {"date": "2099-01-01", "time": "09:00", "place": "X", "capacity": 1}),
    ("backoffice:session_cancel", "session", {"notice": "Piraté"}),
    ("backoffice:member_add", "session", {"email": "intrus@example.org", "role": "trainer"}),
    ("backoffice:member_remove", "member", {}),
    ("backoffice:member_resend", "member", {}),
    ("backoffice:convoke", "session", {"dossier": "0", "start": "11:00", "end": "12:00"}),
    ("backoffice:convocation_reschedule", "convocation", {"notice": "Piraté", "start": "11:00", "end": "12:00"}),
    ("backoffice:convocation_cancel", "convocation", {"notice": "Piraté"}),
    ("backoffice:convocation_attendance", "convocation", {"attendance": "absent"}),
]
LISTS = [
    "backoffice:dashboard",
    "backoffice:referentials",
    "backoffice:queue",
    "backoffice:queue_export",
    "backoffice:sessions",
    "backoffice:referential_create",
    "backoffice:referential_import",
    "backoffice:session_create",
]


def _snapshot(world):
    """Everything an action could change, to prove nothing did."""
    from certifications.referential import export_certification

    draft = Certification.objects.filter(pk=world["draft"].pk).first()
    return (
        export_certification(draft) if draft else None,
        sorted((d.pk, d.status) for d in type(world["submitted"]).objects.filter(certification=world["cert"])),
        list(JurySession.objects.values_list("pk", "status", "capacity", "place")),
        list(world["session"].members.values_list("user__email", "role")),
        list(world["session"].convocations.values_list("status", "attendance", "starts_at")),
    )


def _url(name, world, key):
    return reverse(name, args=[world[key].pk])


# The world is costly to build: each test walks every page or action in a loop, naming the
# failing one in its message.


def test_a_certifier_of_another_organisation_gets_404_on_every_page(client, world, other_certifier):
    client.force_login(other_certifier)
    for name, key in PAGES:
        assert client.get(_url(name, world, key)).status_code == 404, name


def test_a_certifier_of_another_organisation_cannot_download_a_proof(client, world, other_certifier, certifier):
    url = reverse("backoffice:dossier_proof", args=[world["validation"].pk, world["proof"].pk])
    client.force_login(other_certifier)
    assert client.get(url).status_code == 404
    client.force_login(certifier)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_proof_is_only_reached_through_its_own_dossier(client, world, certifier):
    client.force_login(certifier)
    url = reverse("backoffice:dossier_proof", args=[world["submitted"].pk, world["proof"].pk])
    assert client.get(url).status_code == 404


def test_a_certifier_of_another_organisation_changes_nothing_by_posting(client, world, other_certifier):
    before = _snapshot(world)
    client.force_login(other_certifier)

    for name, key, data in ACTIONS:
        assert client.post(_url(name, world, key), data).status_code == 404, name

    assert _snapshot(world) == before


@pytest.mark.parametrize("role", ["certifier", "admin"])
def test_the_organisations_certifier_and_an_admin_open_every_page(client, world, certifier, role):
    client.force_login(certifier if role == "certifier" else UserFactory(admin=True))
    for name, key in PAGES:
        assert client.get(_url(name, world, key)).status_code == 200, name


def test_lists_and_exports_of_another_organisation_show_none_of_its_data(client, world, other_certifier):
    client.force_login(other_certifier)
    for name in LISTS:
        response = client.get(reverse(name))
        content = response.content.decode()
        assert response.status_code == 200, name
        for dossier in ("submitted", "validation", "ready", "waiting"):
            assert world[dossier].candidate.email not in content, name
        assert "Médiation sociale" not in content, name


def test_the_own_lists_show_the_organisations_data(client, world, certifier):
    client.force_login(certifier)
    queue = client.get(reverse("backoffice:queue")).content.decode()
    export = client.get(reverse("backoffice:queue_export")).content.decode()
    sessions = client.get(reverse("backoffice:sessions")).content.decode()
    assert world["submitted"].candidate.email in queue
    assert world["submitted"].candidate.email in export
    assert "Médiation sociale" in client.get(reverse("backoffice:referentials")).content.decode()
    assert world["cert"].code in sessions


def test_forms_only_offer_the_users_own_organisations_and_certifications(client, world, other_certifier):
    client.force_login(other_certifier)
    org_a = world["cert"].certifiers.get()

    client.post(reverse("backoffice:referential_create"), {"certifiers": [org_a.pk], "title": "Intrus"})
    client.post(
        reverse("backoffice:session_create"),
        {"certification": world["cert"].pk, "date": "2099-01-01", "time": "09:00", "place": "X", "capacity": 2},
    )
    client.post(reverse("backoffice:queue"), {"certification": world["cert"].pk})

    assert not Certification.objects.filter(title="Intrus").exists()
    assert JurySession.objects.count() == 1


def test_a_queue_filtered_on_another_organisations_certification_shows_nothing(client, world, other_certifier):
    client.force_login(other_certifier)
    response = client.get(reverse("backoffice:queue"), {"certification": world["cert"].pk})
    assert world["submitted"].candidate.email not in response.content.decode()
    export = client.get(reverse("backoffice:queue_export"), {"certification": world["cert"].pk})
    assert world["submitted"].candidate.email not in export.content.decode()


def test_a_candidates_draft_is_not_visible_to_the_certifier(client, cert, certifier):
    from tests.factories import dossier_in_state

    draft = dossier_in_state(S.DRAFT, certification=cert)
    client.force_login(certifier)
    assert client.get(reverse("backoffice:dossier", args=[draft.pk])).status_code == 404
    assert draft.candidate.email not in client.get(reverse("backoffice:queue")).content.decode()


@pytest.mark.parametrize("role", ["candidate", "jury_member", "plain"])
def test_people_who_are_not_certifiers_get_403(client, world, role):
    user = {
        "candidate": world["submitted"].candidate,
        "jury_member": world["member"].user,
        "plain": UserFactory(),
    }[role]
    user.is_active = True
    user.save()
    client.force_login(user)
    for name in LISTS:
        assert client.get(reverse(name)).status_code == 403, name
    for name, key in PAGES:
        assert client.get(_url(name, world, key)).status_code == 403, name
    before = _snapshot(world)
    for name, key, data in ACTIONS:
        assert client.post(_url(name, world, key), data).status_code == 403, name
    assert _snapshot(world) == before


def test_anonymous_visitors_are_sent_to_login(client, world):
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    for name, key in PAGES:
        response = client.get(_url(name, world, key))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_the_nav_shows_the_back_office_to_certifiers_only(client, certifier):
    client.force_login(certifier)
    assert "Espace certificateur" in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory())
    assert "Espace certificateur" not in client.get(reverse("home")).content.decode()
