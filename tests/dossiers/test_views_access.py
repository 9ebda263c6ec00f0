"""Every candidate page, for every role: the owner gets it; anyone else gets a 404 (or the login
page when anonymous), never the dossier's data."""

import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state

pytestmark = pytest.mark.django_db


def _urls(dossier):
    pk = dossier.pk
    statement = dossier.statements.select_related("competency").first()
    experience = dossier.experiences.first()
    proof = dossier.proofs.first()
    return {
        "detail": reverse("dossiers:detail", args=[pk]),
        "experiences": reverse("dossiers:experiences", args=[pk]),
        "experience_edit": reverse("dossiers:experience_edit", args=[pk, experience.pk]),
        "experience_delete": reverse("dossiers:experience_delete", args=[pk, experience.pk]),
        "positioning": reverse("dossiers:positioning", args=[pk]),
        "request_feasibility": reverse("dossiers:request_feasibility", args=[pk]),
        "identity_download": reverse("dossiers:identity_download", args=[pk]),
        "snapshot": reverse("dossiers:snapshot", args=[pk, "recevabilite", 1]),
        "block": reverse("dossiers:block", args=[pk, statement.competency.block_id]),
        "competency": reverse("dossiers:competency", args=[pk, statement.competency_id]),
        "submit_validation": reverse("dossiers:submit_validation", args=[pk]),
        "proofs": reverse("dossiers:proofs", args=[pk]),
        "proof_edit": reverse("dossiers:proof_edit", args=[pk, proof.pk]),
        "proof_delete": reverse("dossiers:proof_delete", args=[pk, proof.pk]),
        "proof_download": reverse("dossiers:proof_download", args=[pk, proof.pk]),
        "withdraw": reverse("dossiers:withdraw", args=[pk]),
    }


POSTS = ["experience_move", "sworn_statement", "identity_document", "statement_save"]


def _post_urls(dossier):
    statement = dossier.statements.first()
    return {
        "experience_move": reverse("dossiers:experience_move", args=[dossier.pk, dossier.experiences.first().pk]),
        "sworn_statement": reverse("dossiers:sworn_statement", args=[dossier.pk]),
        "identity_document": reverse("dossiers:identity_document", args=[dossier.pk]),
        "statement_save": reverse("dossiers:statement_save", args=[dossier.pk, statement.competency_id]),
    }


def test_the_owner_opens_every_page_of_their_dossier(client, admissible):
    client.force_login(admissible.candidate)
    for name, url in _urls(admissible).items():
        response = client.get(url)
        assert response.status_code == 200, name


@pytest.mark.parametrize(
    "role",
    ["another candidate", "certifier of this certification", "certifier of another", "jury member", "admin"],
)
def test_nobody_else_opens_any_page_of_a_candidates_dossier(client, admissible, roles, role):
    client.force_login(roles[role])
    for name, url in _urls(admissible).items():
        response = client.get(url)
        assert response.status_code == 404, name
    for name, url in _post_urls(admissible).items():
        response = client.post(url, {"version": 0, "narrative": "intrus", "signed": "on", "direction": "up"})
        assert response.status_code == 404, name
    admissible.refresh_from_db()
    assert admissible.sworn_statement_at is not None
    assert not admissible.statements.filter(narrative="intrus").exists()


@pytest.mark.parametrize(
    "role",
    ["another candidate", "certifier of this certification", "jury member", "admin"],
)
def test_mes_dossiers_lists_only_ones_own_dossiers(client, admissible, roles, role):
    client.force_login(roles[role])
    response = client.get(reverse("dossiers:list"))
    assert response.status_code == 200
    assert admissible.certification.title not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, admissible):
    for name, url in _urls(admissible).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login") + "?next="), name
    for name, url in _post_urls(admissible).items():
        response = client.post(url, {})
        if name == "statement_save":
            continue  # answers 401 itself: see test_autosave.py
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login")), name


def test_the_submitted_dossier_is_read_by_its_owner_only(client, roles):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    url = reverse("dossiers:submitted", args=[dossier.pk])
    client.force_login(dossier.candidate)
    assert client.get(url).status_code == 200
    for role in ("another candidate", "admin"):
        client.force_login(roles[role])
        assert client.get(url).status_code == 404


def test_stage_2_pages_do_not_exist_before_admissibility(client):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    client.force_login(dossier.candidate)
    statement = dossier.statements.select_related("competency").first()
    for url in [
        reverse("dossiers:block", args=[dossier.pk, statement.competency.block_id]),
        reverse("dossiers:competency", args=[dossier.pk, statement.competency_id]),
        reverse("dossiers:proofs", args=[dossier.pk]),
        reverse("dossiers:submit_validation", args=[dossier.pk]),
    ]:
        assert client.get(url).status_code == 404, url
