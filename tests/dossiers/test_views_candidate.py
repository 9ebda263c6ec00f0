"""The candidate's pages: what they show and what they do."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.models import Dossier, Proof
from tests.factories import (
    MINIMAL_PDF,
    NARRATIVE,
    UserFactory,
    dossier_in_state,
    fill_feasibility,
    fill_validation,
    make_certification,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


# --- starting -------------------------------------------------------------------------------


def test_the_certification_page_offers_to_start_and_sends_an_anonymous_visitor_through_login(client, certification):
    page = client.get(certification.get_absolute_url()).content.decode()
    start = reverse("dossiers:start", args=[certification.slug])
    assert "Démarrer ma VAE" in page and start in page

    response = client.get(start)

    assert response.url == f"{reverse('login')}?next={start}"


def test_a_candidate_starts_a_vae_on_the_whole_certification(candidate_client, certification):
    response = candidate_client.post(reverse("dossiers:start", args=[certification.slug]), {"scope": "all"})

    dossier = Dossier.objects.get(candidate=candidate_client.user)
    assert response.url == dossier.get_absolute_url()
    assert dossier.targets_all_blocks


def test_a_candidate_targets_chosen_blocs(candidate_client, certification):
    block = certification.blocks.get(order=2)
    candidate_client.post(reverse("dossiers:start", args=[certification.slug]), {"scope": "some", "blocks": [block.pk]})
    dossier = Dossier.objects.get(candidate=candidate_client.user)
    assert list(dossier.targeted_blocks()) == [block]


def test_choosing_some_blocs_without_ticking_one_is_explained(candidate_client, certification):
    response = candidate_client.post(reverse("dossiers:start", args=[certification.slug]), {"scope": "some"})
    assert "Choisissez au moins un bloc" in response.content.decode()
    assert not Dossier.objects.exists()


def test_acquired_blocs_are_shown_as_acquired_and_not_offered(candidate_client, certification, monkeypatch):
    acquired = certification.blocks.get(order=1)
    monkeypatch.setattr("dossiers.hooks.acquired_block_finders", [lambda candidate, lineage: [acquired]])

    response = candidate_client.get(reverse("dossiers:start", args=[certification.slug]))

    page = response.content.decode()
    assert "acquis" in page
    assert f'id="acquired-{acquired.pk}"' in page
    assert acquired not in response.context["form"].fields["blocks"].queryset
    candidate_client.post(reverse("dossiers:start", args=[certification.slug]), {"scope": "all"})
    assert list(Dossier.objects.get().acquired_blocks.all()) == [acquired]


def test_a_second_active_dossier_is_refused_with_a_link_to_the_first(candidate_client, certification):
    first = services.start_dossier(candidate_client.user, certification)

    response = candidate_client.get(reverse("dossiers:start", args=[certification.slug]))

    page = response.content.decode()
    assert "déjà un dossier en cours" in page
    assert first.get_absolute_url() in page
    candidate_client.post(reverse("dossiers:start", args=[certification.slug]), {"scope": "all"})
    assert Dossier.objects.count() == 1


def test_the_certification_page_points_to_the_active_dossier(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    page = candidate_client.get(certification.get_absolute_url()).content.decode()
    assert "Voir mon dossier" in page and dossier.get_absolute_url() in page


def test_a_fourth_request_in_the_year_is_refused_before_the_form_with_the_law_explained(candidate_client):
    for _ in range(3):
        dossier = services.start_dossier(candidate_client.user, make_certification(published=True))
        fill_feasibility(dossier)
        services.request_feasibility(dossier, candidate_client.user)
    cert = make_certification(published=True)

    response = candidate_client.get(reverse("dossiers:start", args=[cert.slug]))

    page = response.content.decode()
    assert "R6412-3" in page and "trois certifications" in page and "même année civile" in page
    assert "Ouvrir mon dossier" not in page


def test_a_draft_certification_cannot_be_started(candidate_client):
    draft = make_certification()
    assert candidate_client.get(reverse("dossiers:start", args=[draft.slug])).status_code == 404


# --- home -----------------------------------------------------------------------------------


def test_mes_dossiers_shows_state_timeline_certifier_comment_and_what_to_do(client):
    dossier = dossier_in_state(S.FEASIBILITY_INCOMPLETE)
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:list")).content.decode()

    assert dossier.certification.title in page
    assert "Recevabilité à compléter" in page
    assert "Dossier créé" in page and "Recevabilité demandée" in page
    assert "Motif détaillé pour le candidat." in page
    assert "Et maintenant ?" in page and "Compléter ma demande" in page


@pytest.mark.parametrize("state", [S.FEASIBILITY_INCOMPLETE, S.INADMISSIBLE, S.VALIDATION_INCOMPLETE])
def test_the_dossier_page_shows_what_the_certifier_asked(client, state):
    dossier = dossier_in_state(state)
    client.force_login(dossier.candidate)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Le commentaire du certificateur" in page
    assert "Motif détaillé pour le candidat." in page or "Il manque une attestation." in page


def test_the_nav_links_to_mes_dossiers_for_logged_in_users_only(client):
    assert "Mes dossiers" not in client.get("/").content.decode()
    client.force_login(UserFactory())
    assert reverse("dossiers:list") in client.get("/").content.decode()


# --- stage 1 --------------------------------------------------------------------------------


def test_adding_an_experience_shows_it_with_the_total_duration(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    url = reverse("dossiers:experiences", args=[dossier.pk])

    candidate_client.post(
        url,
        {
            "kind": "employee",
            "organisation": "Mairie de Brest",
            "role": "Agent de développement",
            "start_date": "2020-01-01",
            "end_date": "2022-07-01",
            "hours_per_week": "35",
            "activities": "Animation du conseil de quartier.",
        },
    )

    page = candidate_client.get(url).content.decode()
    assert "Mairie de Brest" in page
    assert "Durée totale : 2 ans et 6 mois" in page


def test_an_invalid_experience_keeps_what_was_typed_and_says_why(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    response = candidate_client.post(
        reverse("dossiers:experiences", args=[dossier.pk]),
        {
            "kind": "volunteer",
            "organisation": "Secours populaire",
            "role": "Bénévole",
            "start_date": "2021-05-01",
            "end_date": "2020-01-01",
            "activities": "Distribution alimentaire.",
        },
    )
    page = response.content.decode()
    assert "La date de fin doit suivre la date de début." in page
    assert "heures par semaine ou nombre total" in page
    assert "Secours populaire" in page and "Distribution alimentaire." in page
    assert not dossier.experiences.exists()


def test_experiences_are_edited_reordered_and_deleted_after_confirmation(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    fill_feasibility(dossier)
    first = dossier.experiences.get()
    second = services.save_experience(
        dossier,
        type(first)(
            kind="other", organisation="B", role="R", start_date=dt.date(2010, 1, 1), total_hours=100, activities="x"
        ),
    )

    candidate_client.post(reverse("dossiers:experience_move", args=[dossier.pk, second.pk]), {"direction": "up"})
    assert list(dossier.experiences.order_by("order")) == [second, first]

    candidate_client.post(
        reverse("dossiers:experience_edit", args=[dossier.pk, second.pk]),
        {
            "kind": "other",
            "organisation": "B2",
            "role": "R",
            "start_date": "2010-01-01",
            "total_hours": "100",
            "activities": "x",
        },
    )
    second.refresh_from_db()
    assert second.organisation == "B2"

    delete = reverse("dossiers:experience_delete", args=[dossier.pk, second.pk])
    assert "Supprimer cette expérience ?" in candidate_client.get(delete).content.decode()
    assert dossier.experiences.count() == 2
    candidate_client.post(delete)
    assert list(dossier.experiences.all()) == [first]


def test_the_positioning_page_lists_every_targeted_competence_under_its_group(client, reference_certifications):
    from certifications.models import Certification

    cert = Certification.objects.get(slug="coordinateur-operationnel-etablissements-educatifs")
    dossier = services.start_dossier(UserFactory(), cert, [cert.blocks.get(order=3)])
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:positioning", args=[dossier.pk])).content.decode()

    assert page.count('data-autosave class="card') == dossier.statements.count() == 9
    assert 'class="competency-group"' in page
    assert "js/autosave.js" in page


def test_sworn_statement_and_identity_document(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)

    candidate_client.post(reverse("dossiers:sworn_statement", args=[dossier.pk]), {"signed": "on"})
    candidate_client.post(reverse("dossiers:identity_document", args=[dossier.pk]), {"document": pdf_upload("cni.pdf")})

    dossier.refresh_from_db()
    assert dossier.sworn_statement_at is not None
    assert dossier.identity_document_name == "cni.pdf"
    assert "cni" not in dossier.identity_document.name  # stored under a random name
    response = candidate_client.get(reverse("dossiers:identity_download", args=[dossier.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_an_identity_document_that_is_not_what_it_claims_is_refused_with_the_reason(candidate_client, certification):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = services.start_dossier(candidate_client.user, certification)
    fake = SimpleUploadedFile("cni.pdf", b"MZ\x90\x00 not a pdf at all")

    response = candidate_client.post(
        reverse("dossiers:identity_document", args=[dossier.pk]), {"document": fake}, follow=True
    )

    assert "Pièce d&#x27;identité refusée : Type de fichier non accepté" in response.content.decode()
    dossier.refresh_from_db()
    assert not dossier.identity_document


def test_requesting_feasibility_lists_what_is_missing_with_links(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    url = reverse("dossiers:request_feasibility", args=[dossier.pk])

    response = candidate_client.post(url)

    page = response.content.decode()
    assert "Expériences en lien avec la certification : ajoutez au moins une expérience." in page
    assert reverse("dossiers:experiences", args=[dossier.pk]) in page
    assert "Nature de la demande : « nature de la demande » est à renseigner." in page
    assert reverse("dossiers:feasibility_section", args=[dossier.pk, "signature"]) in page
    assert reverse("dossiers:feasibility_section", args=[dossier.pk, "documents"]) in page
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT


def test_requesting_feasibility_makes_stage_1_read_only(candidate_client, certification):
    dossier = services.start_dossier(candidate_client.user, certification)
    fill_feasibility(dossier)

    response = candidate_client.post(reverse("dossiers:request_feasibility", args=[dossier.pk]))

    assert response.url == dossier.get_absolute_url()
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    experience = dossier.experiences.first()
    for url, data in [
        (reverse("dossiers:experiences", args=[dossier.pk]), {"kind": "other"}),
        (reverse("dossiers:experience_edit", args=[dossier.pk, experience.pk]), {}),
        (reverse("dossiers:experience_delete", args=[dossier.pk, experience.pk]), {}),
        (reverse("dossiers:experience_move", args=[dossier.pk, experience.pk]), {}),
        (reverse("dossiers:sworn_statement", args=[dossier.pk]), {}),
        (reverse("dossiers:identity_document", args=[dossier.pk]), {}),
        (reverse("dossiers:request_feasibility", args=[dossier.pk]), {}),
    ]:
        assert candidate_client.post(url, data).status_code == 403, url
    page = candidate_client.get(reverse("dossiers:positioning", args=[dossier.pk])).content.decode()
    assert reverse("dossiers:statement_save", args=[dossier.pk, dossier.statements.first().competency_id]) not in page
    assert dossier.experiences.count() == 1


# --- stage 2 --------------------------------------------------------------------------------


def test_the_bloc_page_shows_each_competence_with_its_state(client, admissible):
    block = admissible.targeted_blocks().first()
    statements = list(admissible.statements.filter(competency__block=block).order_by("competency__order"))
    proof = admissible.proofs.get()
    statements[0].narrative = NARRATIVE
    statements[0].save()
    statements[0].proofs.add(proof)
    statements[1].narrative = "Commencé"
    statements[1].save()
    client.force_login(admissible.candidate)

    response = client.get(reverse("dossiers:block", args=[admissible.pk, statements[0].competency.block_id]))

    states = [s.state for s in response.context["statements"]]
    assert states == ["complete", "in_progress", "empty"]
    page = response.content.decode()
    assert "complète" in page and "en cours" in page and "vide" in page
    assert "1 compétence complète sur 3" in page


def test_the_competence_page_shows_text_group_guidance_experiences_and_proofs(client, reference_certifications):
    from certifications.models import Certification

    cert = Certification.objects.get(slug="coordinateur-operationnel-etablissements-educatifs")
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, blocks=[cert.blocks.get(order=3)])
    statement = dossier.statements.select_related("competency").first()
    client.force_login(dossier.candidate)

    page = client.get(reverse("dossiers:competency", args=[dossier.pk, statement.competency_id])).content.decode()

    assert escape(statement.competency.group) in page
    assert statement.competency.code in page
    for guidance in ("Le contexte", "Ce que vous avez fait", "Avec qui", "Le résultat"):
        assert guidance in page
    assert "Coordinatrice bénévole" in page  # the experience, to tick
    assert "data-autosave" in page and 'name="version"' in page


def test_a_competence_outside_the_targeted_blocs_is_not_found(client):
    cert = make_certification(published=True, blocks=2)
    dossier = dossier_in_state(S.ADMISSIBLE, certification=cert, blocks=[cert.blocks.get(order=1)])
    other = cert.blocks.get(order=2)
    client.force_login(dossier.candidate)
    assert client.get(reverse("dossiers:block", args=[dossier.pk, other.pk])).status_code == 404
    competency = other.competencies.first()
    assert client.get(reverse("dossiers:competency", args=[dossier.pk, competency.pk])).status_code == 404


def _proof_form(**overrides):
    data = {
        "title": "Compte rendu de réunion",
        "kind": "work_document",
        "date": "2024-03-01",
        "description": "Le compte rendu que j'ai rédigé.",
    }
    data.update(overrides)
    return data


def test_a_proof_is_uploaded_once_linked_to_competences_and_downloaded_as_attachment(client, admissible):
    competencies = [s.competency_id for s in admissible.statements.all()[:2]]
    client.force_login(admissible.candidate)

    response = client.post(
        reverse("dossiers:proofs", args=[admissible.pk]),
        {**_proof_form(), "file": pdf_upload("compte rendu.pdf"), "competencies": competencies},
    )

    assert response.status_code == 302
    proof = Proof.objects.get(title="Compte rendu de réunion")
    assert proof.original_name == "compte rendu.pdf"
    assert "compte" not in proof.file.name and proof.file.name.endswith(".pdf")
    assert sorted(proof.statements.values_list("competency_id", flat=True)) == sorted(competencies)
    download = client.get(reverse("dossiers:proof_download", args=[admissible.pk, proof.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == MINIMAL_PDF


@pytest.mark.parametrize(
    ("upload", "settings_override", "message"),
    [
        (("preuve.pdf", b"GIF89a this is not a pdf"), {}, "Type de fichier non accepté"),
        (("preuve.pdf", MINIMAL_PDF + b" " * 2048), {"UPLOAD_MAX_BYTES": 1024}, "la limite est de"),
        (("preuve.pdf", MINIMAL_PDF), {"DOSSIER_QUOTA_BYTES": 500}, "dépasserait l&#x27;espace"),
    ],
    ids=["wrong content under a good extension", "oversize", "quota"],
)
def test_a_refused_upload_says_why_and_keeps_everything_else_typed(
    client, admissible, settings, upload, settings_override, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for key, value in settings_override.items():
        setattr(settings, key, value)
    competency = admissible.statements.first().competency_id
    client.force_login(admissible.candidate)

    response = client.post(
        reverse("dossiers:proofs", args=[admissible.pk]),
        {**_proof_form(), "file": SimpleUploadedFile(*upload), "competencies": [competency]},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Compte rendu de réunion"' in page
    assert "Le compte rendu que j&#x27;ai rédigé." in page
    assert 'value="2024-03-01"' in page
    assert (
        f'value="{competency}" checked' in page
        or f'checked value="{competency}"' in page
        or (response.context["form"]["competencies"].value() == [str(competency)])
    )
    assert admissible.proofs.count() == 1  # only the fixture's


def test_a_proof_is_edited_and_deleted_after_confirmation(client, admissible):
    proof = admissible.proofs.get()
    client.force_login(admissible.candidate)
    competency = admissible.statements.first().competency_id

    client.post(
        reverse("dossiers:proof_edit", args=[admissible.pk, proof.pk]),
        {**_proof_form(title="Nouveau titre"), "competencies": [competency]},
    )
    proof.refresh_from_db()
    assert proof.title == "Nouveau titre"
    assert list(proof.statements.values_list("competency_id", flat=True)) == [competency]

    url = reverse("dossiers:proof_delete", args=[admissible.pk, proof.pk])
    assert "Supprimer cette preuve ?" in client.get(url).content.decode()
    client.post(url)
    assert not admissible.proofs.exists()


def test_the_submission_page_lists_what_is_missing_with_links(client, admissible):
    client.force_login(admissible.candidate)
    url = reverse("dossiers:submit_validation", args=[admissible.pk])

    response = client.post(url)

    page = response.content.decode()
    assert "le récit compte 0 caractères, 300 au moins sont attendus" in page
    statement = admissible.statements.first()
    assert reverse("dossiers:competency", args=[admissible.pk, statement.competency_id]) in page
    admissible.refresh_from_db()
    assert admissible.status == S.ADMISSIBLE


def test_submitting_freezes_the_dossier_and_shows_exactly_what_was_submitted(client, admissible):
    fill_validation(admissible)
    client.force_login(admissible.candidate)

    response = client.post(reverse("dossiers:submit_validation", args=[admissible.pk]))

    assert response.url == reverse("dossiers:submitted", args=[admissible.pk])
    admissible.refresh_from_db()
    assert admissible.status == S.VALIDATION_SUBMITTED
    page = client.get(response.url).content.decode()
    assert "Dossier de validation n°1" in page
    assert NARRATIVE[:60].replace("'", "&#x27;") in page
    assert admissible.snapshots.get(kind="validation").sha256 in page


def test_after_submission_every_write_is_refused(client):
    dossier = dossier_in_state(S.VALIDATION_SUBMITTED)
    proof = dossier.proofs.first()
    experience = dossier.experiences.first()
    client.force_login(dossier.candidate)
    for url, data in [
        (reverse("dossiers:proofs", args=[dossier.pk]), {**_proof_form(), "file": pdf_upload()}),
        (reverse("dossiers:proof_edit", args=[dossier.pk, proof.pk]), _proof_form()),
        (reverse("dossiers:proof_delete", args=[dossier.pk, proof.pk]), {}),
        (reverse("dossiers:submit_validation", args=[dossier.pk]), {}),
        (reverse("dossiers:experience_edit", args=[dossier.pk, experience.pk]), {}),
        (reverse("dossiers:experiences", args=[dossier.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert dossier.proofs.count() == 1
    statement = dossier.statements.first()
    page = client.get(reverse("dossiers:competency", args=[dossier.pk, statement.competency_id])).content.decode()
    assert reverse("dossiers:statement_save", args=[dossier.pk, statement.competency_id]) not in page
    assert "<textarea" not in page


def test_a_dossier_returned_as_incomplete_is_edited_and_resubmitted_each_submission_kept(client):
    dossier = dossier_in_state(S.VALIDATION_INCOMPLETE)
    statement = dossier.statements.first()
    client.force_login(dossier.candidate)
    assert "Il manque une attestation." in client.get(reverse("dossiers:list")).content.decode()

    client.post(
        reverse("dossiers:statement_save", args=[dossier.pk, statement.competency_id]),
        {"version": statement.version, "narrative": NARRATIVE + " J'ajoute l'attestation demandée."},
    )
    client.post(reverse("dossiers:submit_validation", args=[dossier.pk]))

    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_SUBMITTED
    first = client.get(reverse("dossiers:snapshot", args=[dossier.pk, "validation", 1])).content.decode()
    second = client.get(reverse("dossiers:submitted", args=[dossier.pk])).content.decode()
    assert "attestation demandée" not in first
    assert "attestation demandée" in second and "Dossier de validation n°2" in second


def test_a_proof_that_was_submitted_is_kept_when_deletion_is_asked(client):
    dossier = dossier_in_state(S.VALIDATION_INCOMPLETE)
    proof = dossier.proofs.get()
    client.force_login(dossier.candidate)

    response = client.post(reverse("dossiers:proof_delete", args=[dossier.pk, proof.pk]), follow=True)

    assert "fait partie d&#x27;un dossier déjà déposé" in response.content.decode()
    assert dossier.proofs.filter(pk=proof.pk).exists()


# --- withdrawal -----------------------------------------------------------------------------


def test_withdrawal_asks_for_confirmation_then_withdraws(client):
    dossier = dossier_in_state(S.ADMISSIBLE)
    client.force_login(dossier.candidate)
    url = reverse("dossiers:withdraw", args=[dossier.pk])

    assert "Abandonner ce dossier ?" in client.get(url).content.decode()
    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE

    client.post(url, {"comment": "Je déménage."})

    dossier.refresh_from_db()
    assert dossier.status == S.WITHDRAWN
    assert dossier.transitions.last().comment == "Je déménage."


def test_withdrawal_is_not_offered_while_a_decision_is_pending(client):
    dossier = dossier_in_state(S.FEASIBILITY_SUBMITTED)
    client.force_login(dossier.candidate)
    assert (
        reverse("dossiers:withdraw", args=[dossier.pk]) not in client.get(dossier.get_absolute_url()).content.decode()
    )

    client.post(reverse("dossiers:withdraw", args=[dossier.pk]))

    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
