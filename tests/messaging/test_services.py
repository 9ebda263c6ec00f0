"""The thread's and annotations' services: who writes, what is checked, what it changes."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from dossiers.uploads import UploadRejected
from messaging import services
from messaging.models import Annotation, Message, MessageAttachment, MessageRead, Side
from messaging.services import MessagingError
from tests.factories import MINIMAL_PDF, UserFactory, certifier_of, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db


def test_candidate_writes_to_the_certifier_with_an_attachment(dossier, candidate):
    message = services.post_message(dossier, candidate, "  Bonjour, une question.  ", files=[pdf_upload("fiche.pdf")])
    assert message.side == Side.CANDIDATE
    assert message.text == "Bonjour, une question."
    attachment = message.attachments.get()
    assert attachment.original_name == "fiche.pdf"
    assert attachment.size == len(MINIMAL_PDF)
    with attachment.file.open("rb") as stored:
        assert stored.read() == MINIMAL_PDF


def test_posting_is_in_the_dossiers_audit_trail_without_its_text(dossier, candidate):
    message = services.post_message(dossier, candidate, "Texte personnel", files=[pdf_upload()])
    event = AuditEvent.objects.get(action="message.posted")
    assert event.dossier_id == dossier.pk and event.actor_id == candidate.pk and event.target_id == message.pk
    assert "Texte personnel" not in str(event.changes)
    assert event.changes["text"][1]["chars"] == len("Texte personnel")
    assert event.changes["attachments"] == [None, ["preuve.pdf"]]


def test_a_file_refused_as_a_proof_is_refused_as_an_attachment_and_nothing_is_stored(dossier, candidate):
    svg = SimpleUploadedFile("image.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    with pytest.raises(UploadRejected, match="Type de fichier non accepté"):
        services.post_message(dossier, candidate, "Voici", files=[pdf_upload(), svg])
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()


def test_attachments_count_in_the_dossiers_quota(dossier, candidate, settings):
    settings.DOSSIER_QUOTA_BYTES = len(MINIMAL_PDF) + 10
    services.post_message(dossier, candidate, "Un", files=[pdf_upload()])
    with pytest.raises(UploadRejected, match="dépasserait l'espace"):
        services.post_message(dossier, candidate, "Deux", files=[pdf_upload()])


def test_more_than_five_attachments_are_refused(dossier, candidate):
    with pytest.raises(MessagingError, match="Vous avez joint 6 fichiers : 5 au plus par message."):
        services.post_message(dossier, candidate, "Beaucoup", files=[pdf_upload() for _ in range(6)])


def test_an_empty_message_is_refused(dossier, candidate):
    with pytest.raises(MessagingError, match="Écrivez votre message."):
        services.post_message(dossier, candidate, "   ")


def test_a_too_long_message_is_refused(dossier, candidate):
    with pytest.raises(MessagingError, match="Le message"):
        services.post_message(dossier, candidate, "x" * 10_001)
    assert not Message.objects.exists()


def test_a_draft_has_no_thread_yet(certification, candidate, certifier):
    draft = dossier_in_state(S.DRAFT, candidate=candidate, certification=certification)
    with pytest.raises(MessagingError, match="s'ouvrent une fois la recevabilité demandée"):
        services.post_message(draft, candidate, "Bonjour")


@pytest.mark.parametrize("who", ["other_candidate", "other_certifier", "juror"])
def test_only_participants_write_in_a_thread(dossier, who):
    other = UserFactory()
    if who == "other_certifier":
        certifier_of(make_certification(published=True), email="autre@example.org")
        other = certifier_of(make_certification(published=True))
    with pytest.raises(MessagingError, match="Vous ne participez pas aux échanges de ce dossier."):
        services.post_message(dossier, other, "Bonjour")


def test_a_certifier_asks_for_a_correction_in_one_step(dossier, certifier):
    mail.outbox.clear()
    message = services.post_message(dossier, certifier, "Il manque votre attestation.", request_correction=True)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_INCOMPLETE
    assert message.requests_correction
    log = TransitionLog.objects.filter(dossier=dossier).latest("pk")
    assert (log.to_status, log.comment, log.actor) == (
        S.FEASIBILITY_INCOMPLETE,
        "Il manque votre attestation.",
        certifier,
    )
    assert AuditEvent.objects.filter(action="message.correction_requested", dossier=dossier).exists()


def test_a_correction_on_a_dossier_de_validation_sends_it_back_to_complete(certification, candidate, certifier):
    dossier = dossier_in_state(
        S.VALIDATION_SUBMITTED, candidate=candidate, certification=certification, certifier_user=certifier
    )
    services.post_message(dossier, certifier, "Le récit C2 est trop court.", request_correction=True)
    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_INCOMPLETE


def test_a_correction_cannot_be_asked_when_nothing_waits_for_review(certification, candidate, certifier):
    dossier = dossier_in_state(S.ADMISSIBLE, candidate=candidate, certification=certification, certifier_user=certifier)
    with pytest.raises(MessagingError, match="ce dossier est « recevable : dossier de validation en cours »"):
        services.post_message(dossier, certifier, "Corrigez", request_correction=True)
    assert not Message.objects.exists()


def test_a_candidate_cannot_ask_for_a_correction(dossier, candidate):
    with pytest.raises(MessagingError, match="Seul le certificateur peut demander une correction."):
        services.post_message(dossier, candidate, "Corrigez", request_correction=True)


def test_the_correction_and_the_message_roll_back_together(dossier, certifier):
    with mock.patch.object(services.audit, "record", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        services.post_message(dossier, certifier, "Corrigez", request_correction=True)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_SUBMITTED
    assert not Message.objects.exists()


def test_read_receipts_are_per_reader_and_only_for_the_other_sides_messages(
    dossier, candidate, certifier, certification
):
    colleague = certifier_of(certification)
    from_candidate = services.post_message(dossier, candidate, "Question")
    from_staff = services.post_message(dossier, certifier, "Réponse")
    assert services.mark_read(dossier, certifier) == 1
    assert services.mark_read(dossier, certifier) == 0
    assert services.mark_read(dossier, colleague) == 1
    assert services.mark_read(dossier, candidate) == 1
    assert set(MessageRead.objects.filter(message=from_candidate).values_list("reader", flat=True)) == {
        certifier.pk,
        colleague.pk,
    }
    assert list(MessageRead.objects.filter(message=from_staff).values_list("reader", flat=True)) == [candidate.pk]


def test_a_stranger_leaves_no_read_receipt(dossier, candidate):
    services.post_message(dossier, candidate, "Question")
    assert services.mark_read(dossier, UserFactory()) == 0
    assert not MessageRead.objects.exists()


# --- annotations --------------------------------------------------------------------------


def test_a_blocking_annotation_blocks_the_decisions_until_handled(dossier, certifier):
    annotation = services.add_annotation(dossier, certifier, "Vérifier l'attestation employeur", blocks_decision=True)
    with pytest.raises(dossier_services.DossierError, match="Une annotation « à traiter avant décision » n'est pas"):
        dossier_services.decide_feasibility(dossier, certifier, S.ADMISSIBLE)
    with pytest.raises(dossier_services.DossierError, match="traitez-la"):
        dossier_services.decide_feasibility(dossier, certifier, S.INADMISSIBLE, "Motif")
    services.resolve_annotation(annotation, certifier)
    dossier_services.decide_feasibility(dossier, certifier, S.ADMISSIBLE)
    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE


def test_two_blocking_annotations_are_counted_in_the_refusal(dossier, certifier):
    services.add_annotation(dossier, certifier, "Un", blocks_decision=True)
    services.add_annotation(dossier, certifier, "Deux", blocks_decision=True)
    with pytest.raises(dossier_services.DossierError, match="2 annotations « à traiter avant décision » ne sont pas"):
        dossier_services.decide_feasibility(dossier, certifier, S.ADMISSIBLE)


def test_a_blocking_annotation_blocks_the_dossier_de_validation_being_found_complete(
    certification, candidate, certifier
):
    dossier = dossier_in_state(
        S.VALIDATION_SUBMITTED, candidate=candidate, certification=certification, certifier_user=certifier
    )
    services.add_annotation(dossier, certifier, "À voir", blocks_decision=True)
    with pytest.raises(dossier_services.DossierError, match="avant de décider"):
        dossier_services.review_validation(dossier, certifier, complete=True)


def test_a_blocking_annotation_does_not_prevent_asking_for_a_correction(dossier, certifier):
    services.add_annotation(dossier, certifier, "À voir", blocks_decision=True)
    services.post_message(dossier, certifier, "Merci de compléter.", request_correction=True)
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_INCOMPLETE


def test_an_annotation_without_the_flag_blocks_nothing(dossier, certifier):
    services.add_annotation(dossier, certifier, "Remarque")
    dossier_services.decide_feasibility(dossier, certifier, S.ADMISSIBLE)


def test_only_the_certifiers_staff_annotate(dossier, candidate):
    with pytest.raises(MessagingError, match="Seul le personnel du certificateur annote un dossier."):
        services.add_annotation(dossier, candidate, "Moi aussi")
    assert not Annotation.objects.exists()


def test_an_annotation_is_handled_once(dossier, certifier):
    annotation = services.add_annotation(dossier, certifier, "À voir", blocks_decision=True)
    services.resolve_annotation(annotation, certifier)
    with pytest.raises(MessagingError, match="Cette annotation est déjà traitée."):
        services.resolve_annotation(annotation, certifier)


def test_annotations_are_in_the_audit_trail_without_their_text(dossier, certifier):
    annotation = services.add_annotation(dossier, certifier, "Texte interne", blocks_decision=True)
    services.resolve_annotation(annotation, certifier)
    actions = list(
        AuditEvent.objects.filter(dossier=dossier, target_type="messaging.annotation")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["annotation.added", "annotation.resolved"]
    assert "Texte interne" not in str(
        AuditEvent.objects.filter(dossier=dossier).values_list("changes", "comment", "target_repr")
    )
