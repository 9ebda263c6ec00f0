"""What the convoked candidate receives and reads: the convocation PDF (rendered again when the
convocation moves, marked when it is cancelled), the convocation section of their dossier page,
the calendar file, one e-mail per event, and one reminder before the day."""

import datetime as dt
import io

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from documents import pdf
from documents import services as documents
from documents.enums import DocumentStatus
from dossiers.enums import DossierStatus as S
from juries import services
from juries.enums import JuryDocumentKind, JuryRole
from juries.models import Convocation, JuryDocument
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_session, slot
from tests.juries.helpers import four_level_certification

pytestmark = pytest.mark.django_db


@pytest.fixture
def convoked(django_capture_on_commit_callbacks):
    """A candidate convoked in 10 days, 14:00–15:00, by a certifier with a full identity."""
    cert = four_level_certification()
    certifier = certifier_of(cert, email="certif@org.example")
    org = cert.certifiers.get()
    org.legal_name, org.siret = "Institut régional du travail social", "73282932000074"
    org.address, org.contact_email, org.contact_phone = (
        "4 rue de l'Europe\n35000 Rennes",
        "jury@irts.example",
        "02 99 00 00 00",
    )
    org.save()
    session = make_session(cert, days=10, actor=certifier, instructions="Apportez votre livret 2 imprimé.")
    services.add_member(session, certifier, email=UserFactory().email, role=JuryRole.PRESIDENT)
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=cert, certifier_user=certifier)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conv = services.convoke(session, dossier, certifier, **slot(session, "14:00", "15:00"))
    return conv, certifier


def convocation_pdf(conv) -> JuryDocument:
    return JuryDocument.objects.get(convocation=conv, kind=JuryDocumentKind.CONVOCATION)


def rendered_text(document) -> tuple[str, int]:
    documents.run(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.pdfa
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


def calendar_of(client, conv) -> icalendar.Event:
    response = client.get(reverse("juries:convocation_ics", args=[conv.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    return event


# --- the PDF ----------------------------------------------------------------------------------


def test_issuing_a_convocation_renders_its_pdf_with_who_what_when_where_and_the_legal_mentions(convoked):
    conv, _certifier = convoked
    document = convocation_pdf(conv)
    html = pdf.kind_html(document)
    for expected in (
        "Institut régional du travail social",
        "SIRET 73282932000074",
        "35000 Rennes",
        "jury@irts.example",
        "02 99 00 00 00",
        conv.dossier.candidate.get_full_name(),
        conv.dossier.certification.title,
        "Salle du conseil",
        "Apportez votre livret 2 imprimé.",
        "pièce d'identité en cours de validité",
        "Mentions légales",
        "L. 6422-1",
    ):
        assert expected in html, expected
    for block in conv.dossier.targeted_blocks():
        assert block.title in html
    text, pages = rendered_text(document)
    day = timezone.localtime(conv.starts_at)
    assert "Convocation au jury de VAE" in text
    assert date_format(day, "l j F Y") in text
    assert "de 14 h 00 à 15 h 00" in text
    assert conv.dossier.candidate.last_name in text
    assert pages == 2


def test_rescheduling_renders_a_new_pdf_that_says_it_replaces_the_former_one(
    convoked, django_capture_on_commit_callbacks
):
    conv, certifier = convoked
    first = convocation_pdf(conv)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(conv, certifier, notice="Indisponibilité d'un juré", **slot(conv.session, "16:00", "17:00"))
    second = convocation_pdf(conv)
    assert second.pk != first.pk and not JuryDocument.objects.filter(pk=first.pk).exists()
    text, _pages = rendered_text(second)
    assert "Nouvelle convocation : elle remplace la précédente." in text
    assert "Indisponibilité d'un juré" in text and "de 16 h 00 à 17 h 00" in text


def test_a_render_of_the_former_slot_still_running_is_discarded(convoked, django_capture_on_commit_callbacks):
    conv, certifier = convoked
    first = convocation_pdf(conv)
    claimed = documents.claim(first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(conv, certifier, notice="Salle indisponible", **slot(conv.session, "16:00", "17:00"))
    assert documents.complete(claimed.pk, pdf.render_document(claimed)) is None
    assert convocation_pdf(conv).status == DocumentStatus.QUEUED


def test_cancelling_marks_the_pdf_cancelled_with_the_notice(convoked, django_capture_on_commit_callbacks):
    conv, certifier = convoked
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_convocation(conv, certifier, "Jury reporté au printemps")
    text, _pages = rendered_text(convocation_pdf(conv))
    assert "CONVOCATION ANNULÉE" in text.upper() and "Jury reporté au printemps" in text
    assert "vous n'avez pas à vous présenter" in text


def test_changing_the_place_of_the_session_renders_the_pdf_again(convoked, django_capture_on_commit_callbacks):
    conv, certifier = convoked
    first = convocation_pdf(conv)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(conv.session, certifier, place="Amphithéâtre B, 2 avenue Foch, Lyon")
    second = convocation_pdf(conv)
    assert second.pk != first.pk
    assert "Amphithéâtre B" in pdf.kind_html(second)


# --- the candidate's page, PDF and calendar file ----------------------------------------------


def test_the_candidate_reads_the_convocation_on_their_dossier_page(convoked, client):
    conv, _certifier = convoked
    client.force_login(conv.dossier.candidate)
    page = client.get(reverse("dossiers:detail", args=[conv.dossier.pk])).content.decode()
    assert "Convocation au jury" in page
    assert "de 14 h 00 à 15 h 00" in page
    assert "Salle du conseil" in page and "Apportez votre livret 2 imprimé." in page
    assert "jury@irts.example" in page
    assert reverse("juries:convocation_pdf", args=[conv.pk]) in page
    assert reverse("juries:convocation_ics", args=[conv.pk]) in page


def test_the_candidate_downloads_the_pdf_once_rendered(convoked, client):
    conv, _certifier = convoked
    client.force_login(conv.dossier.candidate)
    url = reverse("juries:convocation_pdf", args=[conv.pk])
    assert "en cours de génération" in client.get(url).content.decode()
    documents.run(convocation_pdf(conv).pk)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"convocation-jury-{conv.dossier_id}-" in response["Content-Disposition"]


def test_only_the_candidate_reads_their_convocation_pdf_and_calendar_file(convoked, client):
    conv, certifier = convoked
    documents.run(convocation_pdf(conv).pk)
    president = conv.session.members.get().user
    others = [
        UserFactory(email="autre-candidat@example.org"),
        certifier,  # reads the PDF from the back office, not from the candidate's pages
        certifier_of(four_level_certification(), email="autre-certif@example.org"),
        president,
        UserFactory(admin=True),
    ]
    for name in ("juries:convocation_pdf", "juries:convocation_ics"):
        url = reverse(name, args=[conv.pk])
        for user in others:
            client.force_login(user)
            assert client.get(url).status_code == 404, (name, user.email)
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(conv.dossier.candidate)
        assert client.get(url).status_code == 200


def test_the_certifier_and_an_admin_read_the_pdf_from_the_jury_documents(convoked, client):
    conv, certifier = convoked
    document = convocation_pdf(conv)
    documents.run(document.pk)
    url = reverse("jury:document", args=[document.pk])
    for user, status in [(certifier, 200), (UserFactory(admin=True), 200), (conv.session.members.get().user, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status


def test_the_calendar_file_keeps_its_uid_raises_its_sequence_and_says_cancelled(
    convoked, client, django_capture_on_commit_callbacks
):
    conv, certifier = convoked
    client.force_login(conv.dossier.candidate)
    first = calendar_of(client, conv)
    assert first.get("STATUS") == "CONFIRMED" and first.get("SEQUENCE") == 0
    assert first.decoded("DTSTART") == conv.starts_at and first.decoded("DTEND") == conv.ends_at
    assert "Salle du conseil" in str(first.get("LOCATION"))
    assert conv.session.certification.code in str(first.get("SUMMARY"))
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule(
            conv, certifier, notice="Salle indisponible", **slot(conv.session, "16:00", "17:00")
        )
    second = calendar_of(client, conv)
    assert second.get("UID") == first.get("UID") and second.get("SEQUENCE") == 1
    assert second.decoded("DTSTART") == moved.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_convocation(conv, certifier, "Jury reporté")
    third = calendar_of(client, conv)
    assert third.get("UID") == first.get("UID") and third.get("SEQUENCE") == 2
    assert third.get("STATUS") == "CANCELLED"
    page = client.get(reverse("dossiers:detail", args=[conv.dossier.pk])).content.decode()
    assert "Jury reporté" in page and "Retirer de mon agenda" in page
    assert reverse("juries:convocation_pdf", args=[conv.pk]) not in page


# --- e-mails ----------------------------------------------------------------------------------


def test_convoking_sends_one_email_that_points_to_the_convocation(convoked):
    conv, _certifier = convoked
    assert [m.to for m in mail.outbox] == [[conv.dossier.candidate.email]]
    body = mail.outbox[0].body
    assert "Le certificateur vous convoque devant le jury de VAE pour la certification" in body
    assert "de 14 h 00 à 15 h 00" in body and "ajouter à votre agenda" in body


def test_the_rescheduling_email_gives_the_former_and_the_new_slot(convoked, django_capture_on_commit_callbacks):
    conv, certifier = convoked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule(conv, certifier, notice="Indisponibilité d'un juré", **slot(conv.session, "16:00", "17:00"))
    (email,) = mail.outbox
    assert email.subject.startswith("Nouvelle convocation")
    assert "Ancien créneau (annulé)" in email.body and "de 14 h 00 à 15 h 00" in email.body
    assert "Nouveau créneau" in email.body and "de 16 h 00 à 17 h 00" in email.body
    assert "Motif\u00a0: Indisponibilité d'un juré" in email.body


def test_the_cancellation_sends_one_email_with_the_notice(convoked, django_capture_on_commit_callbacks):
    conv, certifier = convoked
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_convocation(conv, certifier, "Jury reporté au printemps")
    (email,) = mail.outbox
    assert email.to == [conv.dossier.candidate.email]
    assert "annulée" in email.subject
    assert "vous n'avez pas à vous présenter" in email.body and "Motif\u00a0: Jury reporté au printemps" in email.body
    conv.dossier.refresh_from_db()
    assert conv.dossier.status == S.READY_FOR_JURY


# --- the reminder -----------------------------------------------------------------------------


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_the_reminder_leaves_once_seven_days_before_the_day(convoked, django_capture_on_commit_callbacks, settings):
    conv, _certifier = convoked
    day = timezone.localdate(conv.starts_at)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=at(day - dt.timedelta(days=8))) == []
        assert services.send_reminders(now=at(day - dt.timedelta(days=7))) == [conv.pk]
        assert services.send_reminders(now=at(day - dt.timedelta(days=7), 9)) == []
        assert services.send_reminders(now=at(day - dt.timedelta(days=2))) == []
    (email,) = mail.outbox
    assert email.subject.startswith("Rappel\u00a0: votre jury VAE le")
    assert "de 14 h 00 à 15 h 00" in email.body and "Salle du conseil" in email.body
    conv.refresh_from_db()
    assert conv.reminded_at == at(day - dt.timedelta(days=7))


def test_the_reminder_follows_the_setting(convoked, settings):
    conv, _certifier = convoked
    settings.CONVOCATION_REMINDER_DAYS = 2
    day = timezone.localdate(conv.starts_at)
    assert services.send_reminders(now=at(day - dt.timedelta(days=3))) == []
    assert services.send_reminders(now=at(day - dt.timedelta(days=2))) == [conv.pk]


def test_a_cancelled_convocation_or_a_past_slot_is_not_reminded(convoked):
    conv, certifier = convoked
    day = timezone.localdate(conv.starts_at)
    assert services.send_reminders(now=at(day + dt.timedelta(days=1))) == []
    services.cancel_convocation(conv, certifier, "Jury reporté")
    assert services.send_reminders(now=at(day - dt.timedelta(days=5))) == []


def test_a_convocation_issued_or_moved_within_the_reminder_time_is_not_reminded_again(convoked):
    conv, certifier = convoked
    soon = make_session(conv.session.certification, days=3, actor=certifier)
    moved = services.reschedule(conv, certifier, notice="Session avancée", session=soon, **slot(soon, "10:00", "11:00"))
    assert moved.reminded_at is not None
    assert services.send_reminders() == []
    far = make_session(conv.session.certification, days=20, actor=certifier)
    moved = services.reschedule(conv, certifier, notice="Session reportée", session=far, **slot(far, "10:00", "11:00"))
    assert moved.reminded_at is None


def test_the_reminder_task_is_in_the_beat_schedule_and_runs_the_service(convoked, settings, monkeypatch):
    from juries import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["convocation-reminders"]
    assert entry["task"] == tasks.send_convocation_reminders.name
    conv, _certifier = convoked
    frozen = at(timezone.localdate(conv.starts_at) - dt.timedelta(days=6))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    assert tasks.send_convocation_reminders() == [conv.pk]
    assert tasks.send_convocation_reminders() == []
    assert Convocation.objects.get(pk=conv.pk).reminded_at == frozen
