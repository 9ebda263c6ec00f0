"""The audit trail: a row for each change the services make, with the right actor."""

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from certifications import services as cert_services
from dossiers import services
from dossiers.enums import DossierStatus as S
from dossiers.enums import SelfAssessment
from dossiers.models import Experience
from tests.factories import NARRATIVE, UserFactory, certifier_of, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db


def _experience(**fields):
    defaults = {
        "kind": "employee",
        "organisation": "Mairie de Lyon",
        "role": "Agent d'accueil",
        "start_date": dt.date(2020, 1, 1),
        "hours_per_week": 20,
        "activities": "Accueil du public, orientation, gestion des plaintes.",
    }
    return Experience(**{**defaults, **fields})


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


@pytest.fixture
def draft_dossier(db):
    return services.start_dossier(UserFactory(), make_certification(published=True))


@pytest.fixture
def admissible(db):
    dossier = dossier_in_state(S.ADMISSIBLE)
    services.add_proof(dossier, pdf_upload("bilan.pdf"), title="Bilan", kind="production")
    return dossier


# --- the candidate's dossier ---------------------------------------------------------------


def test_a_self_positioning_is_recorded_with_the_candidate_as_actor(draft_dossier):
    statement = draft_dossier.statements.first()

    services.save_statement(statement, 0, {"self_assessment": SelfAssessment.YES})

    (event,) = events(dossier=draft_dossier)
    assert event.action == "statement.saved"
    assert event.actor == draft_dossier.candidate
    assert event.target_type == "dossiers.competencystatement" and event.target_id == statement.pk
    assert event.changes == {"self_assessment": ["", "yes"]}
    assert statement.competency.text in event.target_repr


def test_a_narrative_is_recorded_as_its_length_and_fingerprint_not_copied(admissible):
    statement = admissible.statements.first()

    services.save_statement(statement, statement.version, {"narrative": NARRATIVE})

    (event,) = events(dossier=admissible, action="statement.saved")
    before, after = event.changes["narrative"]
    assert before == {"chars": 0}
    assert after["chars"] == len(NARRATIVE) and len(after["sha256"]) == 64
    assert NARRATIVE[:40] not in str(event.changes)


def test_consecutive_autosaves_of_one_statement_are_one_row_counting_the_saves(admissible):
    statement = admissible.statements.first()
    version = statement.version
    for text in ("Premier jet", "Premier jet, repris", NARRATIVE):
        version = services.save_statement(statement, version, {"narrative": text}).version

    (event,) = events(dossier=admissible, action="statement.saved")
    assert event.saves == 3
    assert event.changes["narrative"][0] == {"chars": 0}
    assert event.changes["narrative"][1]["chars"] == len(NARRATIVE)
    assert event.updated_at >= event.created_at


def test_saves_of_another_statement_or_after_the_window_start_a_new_row(admissible, settings):
    first, second = admissible.statements.all()[:2]
    services.save_statement(first, first.version, {"narrative": "Un"})
    services.save_statement(second, second.version, {"narrative": "Deux"})
    first.refresh_from_db()
    services.save_statement(first, first.version, {"narrative": "Un, suite"})
    assert len(events(dossier=admissible, action="statement.saved")) == 3

    AuditEvent.objects.update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    first.refresh_from_db()
    services.save_statement(first, first.version, {"narrative": "Un, plus tard"})
    assert len(events(dossier=admissible, action="statement.saved")) == 4


def test_with_coalescing_off_every_save_is_a_row(admissible, settings):
    settings.AUDIT_COALESCE_MINUTES = 0
    statement = admissible.statements.first()
    version = services.save_statement(statement, statement.version, {"narrative": "Un"}).version
    services.save_statement(statement, version, {"narrative": "Deux"})
    assert len(events(dossier=admissible, action="statement.saved")) == 2


def test_a_state_change_between_two_saves_breaks_the_row(admissible):
    statement = admissible.statements.first()
    services.save_statement(statement, statement.version, {"narrative": "Avant"})
    admissible.refresh_from_db()
    admissible.save(update_fields=["updated_at"])  # as a transition does
    statement.refresh_from_db()
    services.save_statement(statement, statement.version, {"narrative": "Après"})
    assert len(events(dossier=admissible, action="statement.saved")) == 2


def test_linking_proofs_and_experiences_records_the_sets_before_and_after(admissible):
    statement = admissible.statements.first()
    proof = admissible.proofs.get()
    experience = admissible.experiences.first()
    statement.proofs.clear()

    services.save_statement(statement, statement.version, {}, experiences=[experience], proofs=[proof])

    (event,) = events(dossier=admissible, action="statement.saved")
    assert event.changes == {"experiences": [[], [experience.pk]], "proofs": [[], [proof.pk]]}


def test_a_conflicting_save_writes_nothing_to_the_trail(admissible):
    statement = admissible.statements.first()
    services.save_statement(statement, statement.version, {"narrative": "Onglet A"})
    count = AuditEvent.objects.count()
    with pytest.raises(services.StatementConflict):
        services.save_statement(statement, statement.version, {"narrative": "Onglet B, périmé"})
    assert AuditEvent.objects.count() == count


def test_experiences_added_changed_moved_and_deleted_are_each_recorded(draft_dossier):
    a = services.save_experience(draft_dossier, _experience(role="A"))
    b = services.save_experience(draft_dossier, _experience(role="B"))
    a.organisation = "Métropole de Lyon"
    services.save_experience(draft_dossier, a)
    services.save_experience(draft_dossier, a)  # nothing changed: nothing recorded
    services.move_experience(draft_dossier, b, -1)
    services.delete_experience(draft_dossier, a)

    rows = events(dossier=draft_dossier)
    assert [e.action for e in rows] == [
        "experience.added",
        "experience.added",
        "experience.updated",
        "experience.moved",
        "experience.deleted",
    ]
    assert rows[2].changes == {"organisation": ["Mairie de Lyon", "Métropole de Lyon"]}
    assert rows[0].changes["activities"][1]["chars"] > 0
    assert all(e.actor == draft_dossier.candidate for e in rows)


def test_the_sworn_statement_and_identity_document_are_recorded(draft_dossier):
    services.sign_sworn_statement(draft_dossier, True)
    services.set_identity_document(draft_dossier, pdf_upload("carte.pdf"))

    sworn, identity = events(dossier=draft_dossier)
    assert sworn.action == "dossier.sworn_statement" and sworn.changes["sworn_statement_at"][0] is None
    assert identity.action == "dossier.identity_document"
    assert identity.changes["identity_document_name"] == ["", "carte.pdf"]


def test_proofs_uploaded_changed_and_deleted_are_recorded_with_links_and_checksums(admissible):
    competency = admissible.targeted_competencies().first()
    proof = services.add_proof(
        admissible, pdf_upload("attestation.pdf"), competencies=[competency], title="Attestation", kind="attestation"
    )
    proof_id, sha256 = proof.pk, proof.sha256
    proof.title = "Attestation employeur"
    services.update_proof(admissible, proof, competencies=[])
    services.delete_proof(admissible, proof)

    added, updated, deleted = events(dossier=admissible, target_id=proof_id)
    assert added.action == "proof.added"
    assert added.changes["sha256"] == [None, sha256]
    assert added.changes["competencies"] == [None, [competency.pk]]
    assert updated.changes == {"title": ["Attestation", "Attestation employeur"], "competencies": [[competency.pk], []]}
    assert deleted.action == "proof.deleted" and deleted.changes["original_name"] == ["attestation.pdf", None]


def test_a_refused_upload_leaves_no_row(admissible):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dossiers.uploads import UploadRejected

    count = AuditEvent.objects.count()
    with pytest.raises(UploadRejected):
        services.add_proof(admissible, SimpleUploadedFile("x.pdf", b"MZ not a pdf"), title="X", kind="other")
    assert AuditEvent.objects.count() == count


def test_the_views_record_the_logged_in_user_as_actor(client, draft_dossier):
    client.force_login(draft_dossier.candidate)
    client.post(
        reverse("dossiers:experiences", args=[draft_dossier.pk]),
        {
            "kind": "volunteer",
            "organisation": "Restos du cœur",
            "role": "Bénévole",
            "start_date": "2021-01-01",
            "hours_per_week": "5",
            "activities": "Distribution",
        },
    )
    (event,) = events(dossier=draft_dossier)
    assert event.action == "experience.added" and event.actor == draft_dossier.candidate


def test_a_statement_created_in_bulk_at_the_start_is_covered_by_the_creation_transition(draft_dossier):
    """start_dossier bulk-creates the empty statements: one transition row says so, not one per statement."""
    assert draft_dossier.statements.count() > 1
    assert AuditEvent.objects.filter(dossier=draft_dossier).count() == 0
    assert draft_dossier.transitions.get().comment == "Dossier créé"


# --- the referential ------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    cert = make_certification(published=True)
    certifier = certifier_of(cert)
    return cert_services.new_version(cert, certifier), certifier


def test_referential_edits_are_recorded_with_the_certifier_as_actor(editor):
    draft, certifier = editor
    cert_services.update_certification(draft, certifier, title="Nouvel intitulé", level=5)
    block = cert_services.add_block(draft, certifier, title="Bloc ajouté")
    cert_services.update_block(block, certifier, title="Bloc renommé")
    cert_services.move_block(block, certifier, -1)
    competency = cert_services.add_competency(block, certifier, text="Savoir accueillir")
    cert_services.update_competency(competency, certifier, text="Savoir accueillir le public")
    cert_services.delete_block(block, certifier)

    rows = events(certification=draft)
    assert [e.action for e in rows] == [
        "referential.updated",
        "referential.block_added",
        "referential.block_updated",
        "referential.block_moved",
        "referential.competency_added",
        "referential.competency_updated",
        "referential.block_deleted",
    ]
    assert all(e.actor == certifier for e in rows)
    assert rows[0].changes["level"] == [6, 5]
    assert rows[3].changes == {"order": [3, 2]}


def test_bulk_writes_of_the_referential_are_one_row_each(editor):
    """Renaming a group and updating a level are queryset updates; a new grille bulk-creates its levels."""
    draft, certifier = editor
    block = draft.blocks.get(order=1)
    block.competencies.update(group="Ancien")
    cert_services.rename_group(block, certifier, old="Ancien", new="Nouveau")
    level = block.rubric.levels.first()
    cert_services.update_level(level, certifier, label="Insuffisant", points=0)
    cert_services.delete_rubric(block.rubric, certifier)
    cert_services.create_rubric(draft, certifier, block=block)

    renamed, level_row, deleted, created = events(certification=draft)
    assert renamed.changes == {"group": ["Ancien", "Nouveau"], "count": [None, block.competencies.count()]}
    assert level_row.changes["label"] == ["Non démontré", "Insuffisant"]
    assert deleted.action == "referential.rubric_deleted"
    assert created.changes == {"levels": [None, 3], "criteria": [None, block.competencies.count()]}


def test_a_competence_moved_to_another_bloc_is_recorded(editor):
    draft, certifier = editor
    first, second = draft.blocks.order_by("order")
    competency = first.competencies.first()
    cert_services.move_competency(competency, certifier, block=second)
    (event,) = events(certification=draft)
    assert event.action == "referential.competency_moved"
    assert event.changes == {"block": [str(first), str(second)]}


def test_every_row_of_a_competence_names_it_with_its_whole_text(editor):
    draft, certifier = editor
    block = draft.blocks.get(order=1)
    long_text = "Accueillir le public " + "et l'orienter " * 10
    competency = cert_services.add_competency(block, certifier, code="C9", text=long_text)
    cert_services.move_competency(competency, certifier, direction=-1)
    cert_services.delete_competency(competency, certifier)

    rows = events(certification=draft)
    assert [e.action for e in rows] == [
        "referential.competency_added",
        "referential.competency_moved",
        "referential.competency_deleted",
    ]
    assert {e.target_repr for e in rows} == {f"C9 {long_text}".strip()}


def test_a_deleted_draft_keeps_its_row_without_the_certification(editor):
    draft, certifier = editor
    cert_services.delete_draft(draft, certifier)
    event = AuditEvent.objects.get(action="referential.draft_deleted")
    assert event.certification is None and event.actor == certifier
    assert draft.title[:40] in event.target_repr


def test_an_edit_refused_on_a_published_version_leaves_no_row():
    cert = make_certification(published=True)
    with pytest.raises(cert_services.CertificationError):
        cert_services.update_block(cert.blocks.first(), UserFactory(), title="Interdit")
    assert not AuditEvent.objects.exists()


def test_jury_actions_have_labels_ready_for_the_jury_services():
    from audit import services as audit

    dossier = dossier_in_state(S.READY_FOR_JURY)
    juror = UserFactory()
    event = audit.record(
        "jury.decision", actor=juror, dossier=dossier, changes={"result": [None, "FULL_SUCCESS_OF_FULL_CERTIFICATION"]}
    )
    assert event.label == "Décision du jury"
    assert audit.record("jury.something_new", actor=juror, dossier=dossier).label == "jury.something_new"


def test_the_referential_editor_records_the_logged_in_certifier(client, editor):
    draft, certifier = editor
    block = draft.blocks.get(order=1)
    client.force_login(certifier)
    client.post(reverse("backoffice:block_edit", args=[block.pk]), {"title": "Bloc renommé en ligne"})
    (event,) = events(certification=draft)
    assert event.action == "referential.block_updated" and event.actor == certifier
    assert event.changes["title"][1] == "Bloc renommé en ligne"
