"""The thread and annotations through the pages, for every role; annotations never reach the
candidate (pages, e-mails, what feeds the PDFs and the API)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from dossiers.enums import DossierStatus as S
from dossiers.snapshots import build_content
from messaging import services
from messaging.models import Message, MessageRead
from tests.factories import UserFactory, certifier_of, dossier_in_state, make_certification, pdf_upload

pytestmark = pytest.mark.django_db
SECRET = "Note interne : vérifier l'employeur XYZ-4242"


def thread_url(dossier):
    return reverse("messaging:thread", args=[dossier.pk])


def test_the_candidate_writes_from_their_thread_page(client, dossier, candidate):
    client.force_login(candidate)
    response = client.post(thread_url(dossier), {"text": "Bonjour, ma question.", "attachments": [pdf_upload("a.pdf")]})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author, message.text, message.attachments.count()) == (candidate, "Bonjour, ma question.", 1)
    page = client.get(thread_url(dossier)).content.decode()
    assert "Bonjour, ma question." in page and "a.pdf" in page and "Pas encore lu" in page


def test_a_refused_attachment_is_said_beside_the_field_and_the_text_kept(client, dossier, candidate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(candidate)
    bad = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>")
    response = client.post(thread_url(dossier), {"text": "Mon texte gardé", "attachments": [bad]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Type de fichier non accepté" in page and "Mon texte gardé" in page
    assert not Message.objects.exists()


def test_a_drafts_thread_says_when_it_opens(client, certification, candidate):
    draft = dossier_in_state(S.DRAFT, candidate=candidate, certification=certification)
    client.force_login(candidate)
    page = client.get(thread_url(draft)).content.decode()
    assert "s'ouvrent une fois votre demande de recevabilité envoyée" in page
    assert "<textarea" not in page


def test_the_certifier_reads_the_thread_on_the_dossier_page_and_leaves_a_receipt(client, dossier, candidate, certifier):
    services.post_message(dossier, candidate, "Question du candidat")
    client.force_login(certifier)
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Question du candidat" in page and "Échanges avec le candidat" in page
    assert MessageRead.objects.filter(reader=certifier).count() == 1
    client.force_login(candidate)
    page = client.get(thread_url(dossier)).content.decode()
    assert "Lu le" in page and "par Claire Dupont" in page


def test_the_certifier_answers_and_asks_for_a_correction(client, dossier, certifier, candidate):
    client.force_login(certifier)
    response = client.post(
        reverse("messaging:staff_post", args=[dossier.pk]),
        {"text": "Merci d'ajouter votre attestation.", "request_correction": "on"},
    )
    assert response.status_code == 302 and response.url.endswith("#messages")
    dossier.refresh_from_db()
    assert dossier.status == S.FEASIBILITY_INCOMPLETE
    client.force_login(candidate)
    page = client.get(thread_url(dossier)).content.decode()
    assert "Merci d&#x27;ajouter votre attestation." in page and "correction demandée" in page


def test_a_correction_refused_is_said_to_the_certifier(client, certification, candidate, certifier):
    dossier = dossier_in_state(S.ADMISSIBLE, candidate=candidate, certification=certification, certifier_user=certifier)
    client.force_login(certifier)
    response = client.post(
        reverse("messaging:staff_post", args=[dossier.pk]),
        {"text": "Corrigez", "request_correction": "on"},
        follow=True,
    )
    assert "Une correction se demande sur une demande de recevabilité" in response.content.decode()


def test_attachments_are_downloaded_by_each_side(client, dossier, candidate, certifier):
    message = services.post_message(dossier, candidate, "Pièce", files=[pdf_upload("piece.pdf")])
    attachment = message.attachments.get()
    client.force_login(candidate)
    own = client.get(reverse("messaging:attachment", args=[dossier.pk, attachment.pk]))
    assert own.status_code == 200 and "attachment" in own["Content-Disposition"]
    client.force_login(certifier)
    staff = client.get(reverse("messaging:staff_attachment", args=[dossier.pk, attachment.pk]))
    assert staff.status_code == 200
    b"".join(own.streaming_content), b"".join(staff.streaming_content)  # close the files
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="message_attachment.read", actor=certifier).count() == 1


def test_a_pending_attachment_is_held_from_the_certifier(client, dossier, candidate, certifier):
    message = services.post_message(dossier, candidate, "Pièce", files=[pdf_upload()])
    attachment = message.attachments.get()
    attachment.scan_status = "pending"
    attachment.save()
    client.force_login(certifier)
    assert client.get(reverse("messaging:staff_attachment", args=[dossier.pk, attachment.pk])).status_code == 403
    client.force_login(candidate)
    response = client.get(reverse("messaging:attachment", args=[dossier.pk, attachment.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ["other_candidate", "other_certifier", "juror"])
def test_nobody_else_reads_a_thread(client, dossier, candidate, role):
    from tests.juries.helpers import jury_session

    message = services.post_message(dossier, candidate, "Privé", files=[pdf_upload()])
    attachment = message.attachments.get()
    if role == "other_certifier":
        user = certifier_of(make_certification(published=True))
    elif role == "juror":
        _session, members, _convocations = jury_session(candidates=1)
        user = members[0].user
    else:
        user = UserFactory()
    client.force_login(user)
    assert client.get(thread_url(dossier)).status_code == 404
    assert client.get(reverse("messaging:attachment", args=[dossier.pk, attachment.pk])).status_code == 404
    staff = client.get(reverse("messaging:staff_attachment", args=[dossier.pk, attachment.pk]))
    assert staff.status_code == (404 if role == "other_certifier" else 403)


def test_the_certifier_adds_and_handles_an_annotation(client, dossier, certifier):
    client.force_login(certifier)
    client.post(reverse("messaging:annotation_add", args=[dossier.pk]), {"text": SECRET, "blocks_decision": "on"})
    annotation = dossier.annotations.get()
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "vérifier l&#x27;employeur XYZ-4242" in page and "à traiter avant décision" in page
    refused = client.post(
        reverse("backoffice:dossier_feasibility", args=[dossier.pk]), {"decision": S.ADMISSIBLE, "comment": ""}
    )
    assert "n&#x27;est pas encore traitée" in refused.content.decode()
    client.post(reverse("messaging:annotation_resolve", args=[dossier.pk, annotation.pk]))
    annotation.refresh_from_db()
    assert annotation.resolved_by == certifier


def test_an_empty_annotation_is_refused_with_a_message(client, dossier, certifier):
    client.force_login(certifier)
    response = client.post(reverse("messaging:annotation_add", args=[dossier.pk]), {"text": ""}, follow=True)
    assert "Annotation interne : Ce champ est obligatoire." in response.content.decode()
    assert not dossier.annotations.exists()


def test_annotations_never_reach_the_candidate(
    client, dossier, candidate, certifier, django_capture_on_commit_callbacks
):
    services.add_annotation(dossier, certifier, SECRET, blocks_decision=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(dossier, certifier, "Complétez votre dossier.", request_correction=True)
        services.post_message(dossier, candidate, "Merci")
    client.force_login(candidate)
    pages = [
        reverse("home"),
        reverse("dossiers:list"),
        reverse("dossiers:detail", args=[dossier.pk]),
        thread_url(dossier),
        reverse("dossiers:snapshot", args=[dossier.pk, "recevabilite", 1]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "XYZ-4242" not in response.content.decode(), url
    assert mail.outbox, "the correction is e-mailed to the candidate"
    for message in mail.outbox:
        assert "XYZ-4242" not in message.subject + message.body
        assert all("XYZ-4242" not in body for body, _type in getattr(message, "alternatives", []))
    # What feeds the dossier's PDFs and the certifiers' API: the frozen content.
    assert "XYZ-4242" not in str(build_content(dossier))


def test_messages_and_annotations_are_in_the_back_offices_history(client, dossier, candidate, certifier):
    services.post_message(dossier, candidate, "Question")
    services.post_message(dossier, certifier, "Corrigez", request_correction=True)
    services.add_annotation(dossier, certifier, SECRET, blocks_decision=True)
    client.force_login(certifier)
    page = client.get(reverse("backoffice:dossier_history", args=[dossier.pk])).content.decode()
    for label in ("Message envoyé", "Message du certificateur : correction demandée", "Annotation interne ajoutée"):
        assert label in page
    assert "XYZ-4242" not in page  # the history says that a note was written, the page shows it


def _page_queries(client, url, capture) -> int:
    with capture() as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_thread_pages_cost_the_same_queries_with_more_messages(client, dossier, candidate, certifier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def capture():
        return CaptureQueriesContext(connection)

    services.post_message(dossier, candidate, "Un", files=[pdf_upload()])
    services.post_message(dossier, certifier, "Deux")
    client.force_login(certifier)
    staff_page = reverse("backoffice:dossier", args=[dossier.pk])
    _page_queries(client, staff_page, capture)  # the receipts are written once
    staff_before = _page_queries(client, staff_page, capture)
    client.force_login(candidate)
    _page_queries(client, thread_url(dossier), capture)
    candidate_before = _page_queries(client, thread_url(dossier), capture)
    for n in range(4):
        services.post_message(dossier, candidate, f"Encore {n}", files=[pdf_upload(), pdf_upload()])
        services.post_message(dossier, certifier, f"Réponse {n}", files=[pdf_upload()])
        services.add_annotation(dossier, certifier, f"Note {n}")
    _page_queries(client, thread_url(dossier), capture)
    assert _page_queries(client, thread_url(dossier), capture) == candidate_before
    client.force_login(certifier)
    _page_queries(client, staff_page, capture)
    assert _page_queries(client, staff_page, capture) == staff_before
