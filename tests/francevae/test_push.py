"""What goes back to France VAE, against the fake as a real process: the dossier de validation
decision, the jury session, the jury result, each once; the Celery retries and beat's flush."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db.models.signals import post_save

from documents import services as documents
from documents.enums import DocumentKind, DocumentStatus
from documents.models import GeneratedDocument
from documents.tasks import render_document
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from francevae import services, tasks
from francevae.enums import MessageKind, MessageStatus
from francevae.models import FranceVaeLink, OutboxMessage, SyncEntry
from juries import queries
from juries import services as juries
from juries.enums import Attendance, JuryDocumentKind
from tests.factories import UserFactory, dossier_in_state, fill_validation, slot
from tests.francevae.conftest import DEMO_CANDIDATURE, assert_conforms
from tests.juries.helpers import decided, jury_session, move_session, sign_all

pytestmark = pytest.mark.django_db(transaction=True)

FEASIBILITY = "/dossierDeFaisabilite/decisions"
VALIDATION = "/dossierDeValidation/decisions"
SESSION = "/informationJury/session"
RESULT = "/informationJury/resultat"


def linked(connection, state: str):
    """A dossier of the connection's certification in ``state``, as if it came from France VAE
    (linked to the fake's demo candidature)."""
    dossier = dossier_in_state(state, certification=connection.certification, certifier_user=connection.staff)
    FranceVaeLink.objects.create(connection=connection, candidature_id=DEMO_CANDIDATURE, dossier=dossier)
    return dossier


def convoked(connection):
    """A France VAE dossier convoked tomorrow at 10:00 to a session with a president and a
    professional; (session, members, convocation)."""
    admin = UserFactory(admin=True)
    session, members, _none = jury_session(connection.certification, candidates=0, days=1, actor=admin)
    dossier = linked(connection, S.READY_FOR_JURY)
    convocation = juries.convoke(session, dossier, admin, **slot(session, "10:00", "11:00"))
    return session, members, convocation


def held(connection, **decision):
    """The France VAE dossier judged today and the procès-verbal signed by all: final."""
    session, members, convocation = convoked(connection)
    session = move_session(session, -2)  # yesterday: the jury records once the session has started
    convocation.refresh_from_db()
    result = decided(session, members, convocation, **decision)
    minutes = sign_all(session, members)
    assert minutes.is_final
    return session, minutes, result


def test_the_dossier_de_validation_decision_is_sent_once_even_when_recorded_twice(connection, fake, worker):
    services.pull(connection)
    dossier = FranceVaeLink.objects.get().dossier
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")
    fill_validation(dossier)
    dossier_services.submit_validation(dossier, dossier.candidate)
    dossier_services.review_validation(dossier, connection.staff, False, "Il manque l'attestation d'employeur.")
    log = TransitionLog.objects.get(dossier=dossier, to_status=S.VALIDATION_INCOMPLETE)
    post_save.send(TransitionLog, instance=log, created=True)  # the event fires a second time
    assert OutboxMessage.objects.filter(kind=MessageKind.VALIDATION_DECISION).count() == 1
    (request,) = fake.sent("POST", VALIDATION)
    assert request["json"] == {"decision": "SIGNALE", "commentaire": "Il manque l'attestation d'employeur."}
    dossier_services.submit_validation(dossier, dossier.candidate)
    dossier_services.review_validation(dossier, connection.staff, True, "")
    assert [r["json"]["decision"] for r in fake.sent("POST", VALIDATION)] == ["SIGNALE", "VERIFIE"]
    assert_conforms(fake.requests())


def test_the_convocation_and_its_rescheduling_are_sent_once_each(connection, fake, worker):
    session, _members, convocation = convoked(connection)
    convocation.save()  # saved again (a notice edited, attendance…): same slot, nothing new
    (first,) = fake.sent("PUT", SESSION)
    starts = convocation.starts_at.astimezone(dt.UTC)
    assert first["fields"]["date"] == starts.date().isoformat()
    assert first["fields"]["heure"] == starts.strftime("%H:%M")
    assert first["fields"]["adresseSession"] == session.place
    convocation_pdf = GeneratedDocument.objects.get(convocation=convocation, kind=JuryDocumentKind.CONVOCATION)
    assert first["files"]["document"]["sha256"] == convocation_pdf.sha256 and first["files"]["document"]["pdf"]
    admin = UserFactory(admin=True)
    juries.reschedule(
        convocation, admin, **slot(session, "14:00", "15:00"), notice="Un membre du jury est empêché le matin."
    )
    convocation.refresh_from_db()
    convocation.save()
    puts = fake.sent("PUT", SESSION)
    assert len(puts) == 2
    assert puts[1]["fields"]["heure"] == convocation.starts_at.astimezone(dt.UTC).strftime("%H:%M")
    assert puts[1]["fields"]["informationsSession"] == "Un membre du jury est empêché le matin."
    rescheduled_pdf = GeneratedDocument.objects.get(convocation=convocation, kind=JuryDocumentKind.CONVOCATION)
    assert puts[1]["files"]["document"]["sha256"] == rescheduled_pdf.sha256 != convocation_pdf.sha256
    assert OutboxMessage.objects.filter(kind=MessageKind.JURY_SESSION, status=MessageStatus.SENT).count() == 2
    assert_conforms(fake.requests())


def test_the_result_is_sent_once_the_minutes_are_final_with_the_blocs_acquired(connection, fake, worker):
    session, minutes, decision = held(connection)
    minutes.save()  # the minutes saved again: the same result is not sent twice
    (request,) = fake.sent("PUT", RESULT)
    assert request["json"]["resultat"] == "SUCCES_TOTAL_CERTIFICATION_COMPLETE"
    blocks = connection.certification.blocks.order_by("order")
    assert request["json"]["commentaire"].startswith("Blocs acquis : ")
    for block in blocks:
        assert f"{block.label} — {block.title}" in request["json"]["commentaire"]
    assert_conforms(fake.requests())


def test_no_result_leaves_before_the_minutes_are_final(connection, fake, worker):
    session, members, convocation = convoked(connection)
    session = move_session(session, -2)  # yesterday: the jury records once the session has started
    convocation.refresh_from_db()
    decided(session, members, convocation)
    juries.sign_minutes(session, members[0])
    assert not fake.sent("PUT", RESULT)
    assert not OutboxMessage.objects.filter(kind=MessageKind.JURY_RESULT).exists()


def test_a_partial_validation_is_a_partial_success_naming_only_the_acquired_bloc(connection, fake, worker):
    first, second = connection.certification.blocks.order_by("order")
    session, members, convocation = convoked(connection)
    session = move_session(session, -2)  # yesterday: the jury records once the session has started
    convocation.refresh_from_db()
    keys = [item.key for item in queries.assessed_items(convocation.dossier)]
    decided(session, members, convocation, validated={keys[0]: True, keys[1]: False})
    sign_all(session, members)
    (request,) = fake.sent("PUT", RESULT)
    assert request["json"]["resultat"] == "SUCCES_PARTIEL_CERTIFICATION_COMPLETE"
    assert first.title in request["json"]["commentaire"]
    assert second.title not in request["json"]["commentaire"]
    assert_conforms(fake.requests())


def test_an_absent_candidate_is_sent_as_candidat_absent(connection, fake, worker):
    held(connection, attendance=Attendance.ABSENT)
    (request,) = fake.sent("PUT", RESULT)
    assert request["json"]["resultat"] == "CANDIDAT_ABSENT"
    assert_conforms(fake.requests())


# --- the Celery path: retries, beat, refusals -----------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 429])
def test_a_transient_answer_is_retried_by_the_task_then_sent(connection, fake, worker, status):
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    fake.fault(method="POST", path_contains=FEASIBILITY, status=status, times=1)
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert len(fake.sent("POST", FEASIBILITY)) == 2
    failed = SyncEntry.objects.get(link__dossier=dossier, ok=False)
    assert failed.status_code == status and "nouvel essai" in failed.summary
    assert SyncEntry.objects.filter(link__dossier=dossier, ok=True, summary__icontains="envoyé").count() == 1
    assert_conforms(fake.requests())


def test_a_timeout_is_retried_by_the_task_then_sent(connection, fake, worker, settings):
    settings.FRANCE_VAE_TIMEOUT_SECONDS = 0.5
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    fake.fault(method="POST", path_contains=FEASIBILITY, delay=2, times=1)
    dossier_services.decide_feasibility(dossier, connection.staff, S.INADMISSIBLE, "Hors du champ.")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2)
    assert SyncEntry.objects.filter(link__dossier=dossier, ok=False, answer__contains="délai").exists()


def test_a_refusal_is_recorded_and_not_tried_again(connection, fake, worker):
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    fake.fault(method="POST", path_contains=FEASIBILITY, status=422, times=1)
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    entry = SyncEntry.objects.get(link__dossier=dossier, ok=False)
    assert entry.status_code == 422 and "refusé" in entry.summary and "erreur simul" in entry.answer
    tasks.flush_outbox.apply()  # beat does not pick a refused message again
    assert len(fake.sent("POST", FEASIBILITY)) == 1


def test_a_message_whose_task_was_lost_is_sent_by_beat(connection, fake, broker_down):
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")  # commits despite the broker
    dossier.refresh_from_db()
    assert dossier.status == S.ADMISSIBLE
    assert broker_down.call_count >= 1
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert not fake.sent("POST", FEASIBILITY)
    broker_down.side_effect = lambda args=None, kwargs=None, **options: tasks.deliver_message.apply(args, kwargs)
    tasks.flush_outbox.apply()  # the broker is back: beat's round
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    (request,) = fake.sent("POST", FEASIBILITY)
    assert request["fields"] == {"decision": "RECEVABLE", "document": "<binary>"}
    tasks.flush_outbox.apply()  # and the next round sends nothing again
    assert len(fake.sent("POST", FEASIBILITY)) == 1


# --- a decision revoked after the procès-verbal -----------------------------------------------


def test_a_result_already_sent_then_revoked_is_reported_in_the_sync_log(connection, fake, worker):
    _session, _minutes, decision = held(connection)
    juries.revoke_decision(decision, UserFactory(admin=True), "Erreur de saisie dans le procès-verbal.")
    assert len(fake.sent("PUT", RESULT)) == 1  # France VAE has nothing to undo a result with
    entry = SyncEntry.objects.get(link__dossier=decision.dossier, ok=False)
    assert "révoquée" in entry.summary and entry.answer == "Erreur de saisie dans le procès-verbal."


def test_a_result_revoked_before_it_left_is_never_sent(connection, fake, broker_down):
    _session, _minutes, decision = held(connection)
    message = OutboxMessage.objects.get(kind=MessageKind.JURY_RESULT)
    assert message.status == MessageStatus.PENDING
    juries.revoke_decision(decision, UserFactory(admin=True), "Erreur de saisie dans le procès-verbal.")
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    broker_down.side_effect = lambda args=None, kwargs=None, **options: tasks.deliver_message.apply(args, kwargs)
    tasks.flush_outbox.apply()
    assert not fake.sent("PUT", RESULT)


# --- the portal's PDF sent with a message ---------------------------------------------------------


@pytest.fixture
def pdf_worker_down():
    """Nothing renders PDFs: the documents worker is stopped (its jobs wait in the broker)."""
    with mock.patch.object(render_document, "apply_async", side_effect=lambda *a, **k: None):
        yield


def test_a_decision_waits_for_its_letter_and_leaves_with_it_once_rendered(connection, fake, worker, pdf_worker_down):
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)  # waiting is not failing
    tasks.flush_outbox.apply()  # beat's round: still waiting, nothing sent
    assert not fake.sent("POST", FEASIBILITY)

    letter = GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.FEASIBILITY_DECISION)
    documents.run(letter.pk)  # the documents worker is back: the letter is rendered, the message leaves

    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    (request,) = fake.sent("POST", FEASIBILITY)
    letter.refresh_from_db()
    assert request["files"]["document"]["sha256"] == letter.sha256
    assert_conforms(fake.requests())


def test_a_decision_whose_letter_failed_leaves_without_it_and_says_so(connection, fake, worker, pdf_worker_down):
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    dossier_services.decide_feasibility(dossier, connection.staff, S.INADMISSIBLE, "Hors du champ.")
    GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.FEASIBILITY_DECISION).update(
        status=DocumentStatus.FAILED, error="WeasyPrint en panne"
    )
    tasks.flush_outbox.apply()

    (request,) = fake.sent("POST", FEASIBILITY)
    assert "document" not in request["fields"]
    assert SyncEntry.objects.filter(link__dossier=dossier, ok=True, summary__contains="sans le PDF").exists()


def test_a_letter_still_not_rendered_after_the_wait_no_longer_holds_the_decision(
    connection, fake, worker, pdf_worker_down, settings
):
    settings.FRANCE_VAE_DOCUMENT_WAIT_SECONDS = 0
    dossier = linked(connection, S.FEASIBILITY_SUBMITTED)
    dossier_services.decide_feasibility(dossier, connection.staff, S.ADMISSIBLE, "")

    (request,) = fake.sent("POST", FEASIBILITY)
    assert request["fields"] == {"decision": "RECEVABLE"}
    assert SyncEntry.objects.filter(link__dossier=dossier, summary__contains="pas prêt").exists()


def test_a_slot_moved_before_its_message_left_sends_only_the_new_one(connection, fake, broker_down):
    session, _members, convocation = convoked(connection)
    admin = UserFactory(admin=True)
    juries.reschedule(convocation, admin, **slot(session, "14:00", "15:00"), notice="Salle indisponible le matin.")
    messages = OutboxMessage.objects.filter(kind=MessageKind.JURY_SESSION).order_by("pk")
    assert [m.status for m in messages] == [MessageStatus.CANCELLED, MessageStatus.PENDING]

    broker_down.side_effect = lambda args=None, kwargs=None, **options: tasks.deliver_message.apply(args, kwargs)
    tasks.flush_outbox.apply()
    (put,) = fake.sent("PUT", SESSION)
    convocation.refresh_from_db()
    assert put["fields"]["heure"] == convocation.starts_at.astimezone(dt.UTC).strftime("%H:%M")
