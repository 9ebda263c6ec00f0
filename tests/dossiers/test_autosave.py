"""The statement endpoint: autosave (JSON, never a redirect) and plain form posts."""

import pytest
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def statement(admissible):
    return admissible.statements.select_related("competency", "dossier").first()


def _url(statement):
    return reverse("dossiers:statement_save", args=[statement.dossier_id, statement.competency_id])


def test_an_autosave_saves_the_narrative_and_answers_the_new_version_and_time(client, statement):
    client.force_login(statement.dossier.candidate)

    response = client.post(_url(statement), {"version": statement.version, "narrative": "Première phrase."}, **AUTOSAVE)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "saved"
    assert body["version"] == statement.version + 1
    assert body["message"].startswith("Enregistré à ")
    assert body["state_label"] == "en cours"
    statement.refresh_from_db()
    assert statement.narrative == "Première phrase."


def test_line_breaks_are_stored_as_the_candidate_sees_them(client, statement):
    client.force_login(statement.dossier.candidate)
    client.post(_url(statement), {"version": statement.version, "narrative": "un\r\ndeux"}, **AUTOSAVE)
    statement.refresh_from_db()
    assert statement.narrative == "un\ndeux"


def test_two_tabs_saving_from_the_same_version_get_a_conflict_showing_both_texts(client, statement):
    client.force_login(statement.dossier.candidate)
    base = statement.version
    client.post(_url(statement), {"version": base, "narrative": "Texte de l'onglet A"}, **AUTOSAVE)

    response = client.post(_url(statement), {"version": base, "narrative": "Texte de l'onglet B"}, **AUTOSAVE)

    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "conflict"
    assert body["version"] == base + 1
    assert body["theirs"]["narrative"] == "Texte de l'onglet A"
    assert "Votre texte" in body["html"] and "Texte enregistré depuis un autre onglet" in body["html"]
    assert "Texte de l&#x27;onglet A" in body["html"] and "Texte de l&#x27;onglet B" in body["html"]
    assert 'data-autosave-choice="mine"' in body["html"] and 'data-autosave-choice="theirs"' in body["html"]
    statement.refresh_from_db()
    assert statement.narrative == "Texte de l'onglet A"


def test_keeping_ones_own_text_after_a_conflict_saves_it_over_the_other(client, statement):
    client.force_login(statement.dossier.candidate)
    base = statement.version
    client.post(_url(statement), {"version": base, "narrative": "A"}, **AUTOSAVE)
    conflict = client.post(_url(statement), {"version": base, "narrative": "B"}, **AUTOSAVE).json()

    response = client.post(_url(statement), {"version": conflict["version"], "narrative": "B"}, **AUTOSAVE)

    assert response.json()["status"] == "saved"
    statement.refresh_from_db()
    assert statement.narrative == "B"


def test_a_retry_of_a_save_whose_answer_was_lost_is_not_a_conflict(client, statement):
    client.force_login(statement.dossier.candidate)
    base = statement.version
    client.post(_url(statement), {"version": base, "narrative": "Même texte"}, **AUTOSAVE)

    response = client.post(_url(statement), {"version": base, "narrative": "Même texte"}, **AUTOSAVE)

    assert response.status_code == 200
    assert response.json()["version"] == base + 1


def test_an_expired_session_gets_a_401_with_a_login_link_in_a_new_tab_not_a_redirect(client, statement):
    client.force_login(statement.dossier.candidate)
    client.logout()

    response = client.post(_url(statement), {"version": statement.version, "narrative": "Mon texte"}, **AUTOSAVE)

    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "login_required"
    assert 'target="_blank"' in body["html"]
    assert reverse("login") in body["html"]
    statement.refresh_from_db()
    assert statement.narrative == ""


def test_after_logging_in_again_the_same_save_goes_through(client, statement):
    client.logout()
    data = {"version": statement.version, "narrative": "Texte tapé pendant l'expiration"}
    assert client.post(_url(statement), data, **AUTOSAVE).status_code == 401

    client.force_login(statement.dossier.candidate)

    assert client.post(_url(statement), data, **AUTOSAVE).json()["status"] == "saved"


def test_links_are_saved_only_when_sent_so_a_stale_tab_does_not_undo_them(client, statement):
    dossier = statement.dossier
    proof, experience = dossier.proofs.get(), dossier.experiences.first()
    client.force_login(dossier.candidate)
    client.post(
        _url(statement),
        {"version": statement.version, "links": "1", "proofs": [proof.pk], "experiences": [experience.pk]},
        **AUTOSAVE,
    )

    client.post(_url(statement), {"version": statement.version, "narrative": "Texte seul"}, **AUTOSAVE)

    assert list(statement.proofs.all()) == [proof]
    assert list(statement.experiences.all()) == [experience]
    client.post(_url(statement), {"version": statement.version + 1, "links": "1"}, **AUTOSAVE)
    assert not statement.proofs.exists()


def test_a_proof_of_another_dossier_cannot_be_linked(client, statement):
    other = dossier_in_state(S.ADMISSIBLE)
    from dossiers import services
    from tests.factories import pdf_upload

    foreign = services.add_proof(other, pdf_upload(), title="Autre", kind="other")
    client.force_login(statement.dossier.candidate)

    response = client.post(
        _url(statement), {"version": statement.version, "links": "1", "proofs": [foreign.pk]}, **AUTOSAVE
    )

    assert response.status_code == 400
    assert not statement.proofs.exists()


@pytest.mark.parametrize("data", [{"narrative": "Pris à un autre."}, {"narrative": "x", "version": "pas un nombre"}])
def test_another_candidates_statement_is_a_404_whatever_the_input_and_stays_as_it_was(client, statement, data):
    intruder = dossier_in_state(S.ADMISSIBLE).candidate
    client.force_login(intruder)

    for headers in (AUTOSAVE, {}):
        response = client.post(_url(statement), {"version": statement.version, **data}, **headers)
        assert response.status_code == 404
    before = statement.narrative
    statement.refresh_from_db()
    assert (statement.narrative, statement.version) == (before, 0)


def test_a_submitted_dossier_refuses_autosaves_with_a_403(client):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)

    response = client.post(_url(statement), {"version": statement.version, "narrative": "après coup"}, **AUTOSAVE)

    assert response.status_code == 403
    assert response.json()["status"] == "refused"
    statement.refresh_from_db()
    assert statement.narrative != "après coup"


def test_a_too_long_narrative_is_refused_with_a_message(client, statement):
    client.force_login(statement.dossier.candidate)
    response = client.post(_url(statement), {"version": statement.version, "narrative": "x" * 20_001}, **AUTOSAVE)
    assert response.status_code == 400
    assert "20000" in response.json()["message"].replace("\u202f", "").replace(" ", "")


# --- without JavaScript ---------------------------------------------------------------------


def test_a_plain_post_saves_narrative_and_links_then_returns_to_the_page(client, statement):
    dossier = statement.dossier
    proof = dossier.proofs.get()
    page = reverse("dossiers:competency", args=[dossier.pk, statement.competency_id])
    client.force_login(dossier.candidate)

    response = client.post(
        _url(statement),
        {"version": statement.version, "narrative": "Sans script", "links": "1", "proofs": [proof.pk], "next": page},
    )

    assert response.status_code == 302
    assert response.url == page
    statement.refresh_from_db()
    assert statement.narrative == "Sans script"
    assert list(statement.proofs.all()) == [proof]


def test_a_plain_post_ignores_a_next_url_on_another_site(client, statement):
    client.force_login(statement.dossier.candidate)
    response = client.post(
        _url(statement), {"version": statement.version, "narrative": "x", "next": "https://evil.example/"}
    )
    assert response.url == reverse("dossiers:competency", args=[statement.dossier_id, statement.competency_id])


def test_a_plain_post_conflict_shows_both_texts_and_lets_the_candidate_keep_theirs(client, statement):
    client.force_login(statement.dossier.candidate)
    base = statement.version
    client.post(_url(statement), {"version": base, "narrative": "Version de l'autre onglet"})

    response = client.post(_url(statement), {"version": base, "narrative": "Ma version"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Votre texte" in page and "Texte enregistré depuis un autre onglet" in page
    assert "Ma version" in page and "Version de l&#x27;autre onglet" in page
    assert f'name="version" value="{base + 1}"' in page
    client.post(_url(statement), {"version": base + 1, "narrative": "Ma version"})
    statement.refresh_from_db()
    assert statement.narrative == "Ma version"


def test_a_plain_post_after_the_session_expired_shows_the_text_back_and_saves_it_with_the_login(client, statement):
    user = statement.dossier.candidate
    data = {"version": statement.version, "narrative": "Texte précieux"}

    response = client.post(_url(statement), data)

    assert response.status_code == 401
    assert "Texte précieux" in response.content.decode()
    response = client.post(_url(statement), {**data, "username": user.email, "password": "mauvais"})
    assert response.status_code == 401
    assert "Texte précieux" in response.content.decode()
    response = client.post(_url(statement), {**data, "username": user.email, "password": "un-mot-de-passe-solide-2026"})
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.narrative == "Texte précieux"


def test_positioning_saves_choice_and_comment_without_javascript(client):
    dossier = dossier_in_state(S.DRAFT)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)

    response = client.post(
        _url(statement), {"version": statement.version, "self_assessment": "partly", "self_comment": "En partie."}
    )

    assert response.status_code == 302
    assert response.url.endswith(f"#competency-{statement.competency_id}")
    statement.refresh_from_db()
    assert (statement.self_assessment, statement.self_comment) == ("partly", "En partie.")


def test_a_positioning_conflict_shows_both_comments(client):
    dossier = dossier_in_state(S.DRAFT)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)
    base = statement.version
    client.post(_url(statement), {"version": base, "self_assessment": "yes", "self_comment": "Onglet A"}, **AUTOSAVE)

    response = client.post(
        _url(statement), {"version": base, "self_assessment": "no", "self_comment": "Onglet B"}, **AUTOSAVE
    )

    html = response.json()["html"]
    assert "Onglet A" in html and "Onglet B" in html
    assert "oui" in html and "non" in html


def test_a_narrative_cannot_be_written_before_admissibility(client):
    dossier = dossier_in_state(S.DRAFT)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)
    response = client.post(_url(statement), {"version": statement.version, "narrative": "trop tôt"}, **AUTOSAVE)
    assert response.status_code == 403
