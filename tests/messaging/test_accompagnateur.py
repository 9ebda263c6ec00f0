"""The accompagnateur in the dossier's thread: their organisation's staff write while it
accompanies the dossier, read for the read-only period after the end, never annotate; every side
sees each message labelled by its side; the other participants are notified of each message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accompaniment import services as accompaniment_services
from accompaniment.models import Accompaniment
from audit.models import AuditEvent
from dossiers.enums import DossierStatus as S
from messaging import permissions, services
from messaging.models import Message, MessageRead, Side
from notifications.models import Notification
from tests.accompaniment.helpers import accompany, make_organisation, staff_of
from tests.factories import UserFactory, certifier_of, dossier_in_state, pdf_upload

pytestmark = pytest.mark.django_db
ENDED = "L'accompagnement de ce dossier est terminé : vous lisez encore ses échanges, sans y écrire."


@pytest.fixture
def organisation(certification):
    return make_organisation(certification, name="Cap VAE Test")


@pytest.fixture
def aap(organisation):
    return staff_of(organisation, manager=True, first_name="Jeanne", last_name="Lefèvre")


@pytest.fixture
def accompaniment(dossier, organisation, aap):
    return accompany(dossier, organisation, aap)


def thread_url(dossier):
    return reverse("messaging:accompaniment_thread", args=[dossier.pk])


def _end(accompaniment, days_ago: int = 0) -> None:
    Accompaniment.objects.filter(pk=accompaniment.pk).update(
        state="ended", finished_at=timezone.now() - dt.timedelta(days=days_ago)
    )


# --- who is on which side ---------------------------------------------------------------------


def test_the_accompanying_organisations_staff_write_on_the_accompagnateur_side(dossier, aap, accompaniment):
    assert permissions.side_of(aap, dossier) == Side.ACCOMPAGNATEUR
    assert permissions.may_write(aap, dossier)
    message = services.post_message(dossier, aap, "Bonjour, je suis l'accompagnatrice.")
    assert (message.side, message.organisation.name) == (Side.ACCOMPAGNATEUR, "Cap VAE Test")


def test_an_accompagnateur_never_annotates(dossier, aap, accompaniment):
    assert not permissions.may_annotate(aap, dossier)
    with pytest.raises(services.MessagingError, match="Seul le personnel du certificateur annote un dossier."):
        services.add_annotation(dossier, aap, "Note")


def test_after_the_end_the_accompagnateur_reads_without_writing(dossier, aap, accompaniment):
    accompaniment_services.end(accompaniment, aap, "Le candidat continue seul.")
    assert permissions.side_of(aap, dossier) == Side.ACCOMPAGNATEUR
    assert not permissions.may_write(aap, dossier)
    with pytest.raises(services.MessagingError, match=ENDED):
        services.post_message(dossier, aap, "Encore un mot")
    assert not Message.objects.exists()


def test_once_the_read_only_period_is_over_the_accompagnateur_is_out_of_the_thread(dossier, aap, accompaniment):
    _end(accompaniment, days_ago=settings.ACCOMPANIMENT_READ_DAYS_AFTER_END + 1)
    assert permissions.side_of(aap, dossier) is None
    with pytest.raises(services.MessagingError, match="Vous ne participez pas aux échanges de ce dossier."):
        services.post_message(dossier, aap, "Bonjour")


def test_an_accompagnateur_of_another_organisation_or_a_request_not_accepted_is_no_participant(
    certification, dossier, aap, organisation
):
    other = staff_of(make_organisation(certification))
    accompaniment_services.choose(dossier, organisation, dossier.candidate)  # requested, not accepted
    assert permissions.side_of(aap, dossier) is None
    assert permissions.side_of(other, dossier) is None


# --- the accompagnateur's page ----------------------------------------------------------------


def test_the_accompagnateur_reads_and_writes_from_their_page_with_an_attachment(
    client, dossier, aap, accompaniment, candidate
):
    services.post_message(dossier, candidate, "Question du candidat")
    client.force_login(aap)
    page = client.get(thread_url(dossier)).content.decode()
    assert "Question du candidat" in page and "<textarea" in page
    assert MessageRead.objects.filter(reader=aap).count() == 1
    response = client.post(
        thread_url(dossier), {"text": "Réponse de l'organisme", "attachments": [pdf_upload("a.pdf")]}
    )
    assert response.status_code == 302 and response.url.endswith("#messages")
    message = Message.objects.get(side=Side.ACCOMPAGNATEUR)
    assert (message.author, message.attachments.get().original_name) == (aap, "a.pdf")


def test_the_accompagnateurs_refused_attachment_is_said_beside_the_field(client, dossier, aap, accompaniment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(aap)
    bad = SimpleUploadedFile("x.html", b"<html><script>alert(1)</script></html>")
    response = client.post(thread_url(dossier), {"text": "Mon texte gardé", "attachments": [bad]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Type de fichier non accepté" in page and "Mon texte gardé" in page
    assert not Message.objects.exists()


def test_the_accompagnateurs_dossier_page_links_to_the_thread(client, dossier, aap, accompaniment):
    client.force_login(aap)
    page = client.get(reverse("accompaniment:dossier", args=[dossier.pk])).content.decode()
    assert f'href="{thread_url(dossier)}"' in page


def test_after_the_end_the_page_reads_and_a_post_is_refused_in_french(client, dossier, aap, accompaniment):
    services.post_message(dossier, dossier.candidate, "Avant la fin")
    _end(accompaniment, days_ago=1)
    client.force_login(aap)
    page = client.get(thread_url(dossier)).content.decode()
    assert "Avant la fin" in page and "<textarea" not in page and "sans y écrire" in page
    response = client.post(thread_url(dossier), {"text": "Après la fin"})
    assert response.status_code == 403
    assert not Message.objects.filter(side=Side.ACCOMPAGNATEUR).exists()


def test_before_the_recevabilite_request_the_page_says_when_the_thread_opens(
    client, certification, candidate, organisation, aap
):
    draft = dossier_in_state(S.DRAFT, candidate=candidate, certification=certification)
    accompany(draft, organisation, aap)
    client.force_login(aap)
    page = client.get(thread_url(draft)).content.decode()
    assert "s'ouvrent une fois la demande de recevabilité envoyée" in page and "<textarea" not in page
    with pytest.raises(services.MessagingError, match="s'ouvrent une fois la recevabilité demandée"):
        services.post_message(draft, aap, "Bonjour")


@pytest.mark.parametrize("who", ["other_accompagnateur", "candidate", "other_candidate", "certifier"])
def test_anyone_but_the_organisations_staff_gets_a_404_on_the_accompagnateur_page(
    client, certification, dossier, accompaniment, candidate, certifier, who
):
    user = {
        "other_accompagnateur": lambda: staff_of(make_organisation(certification)),
        "candidate": lambda: candidate,
        "other_candidate": UserFactory,
        "certifier": lambda: certifier,
    }[who]()
    client.force_login(user)
    assert client.get(thread_url(dossier)).status_code == 404
    assert client.post(thread_url(dossier), {"text": "Intrusion"}).status_code == 404
    assert not Message.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, dossier, accompaniment):
    response = client.get(thread_url(dossier))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_after_the_read_only_period_the_page_is_a_404(client, dossier, aap, accompaniment):
    _end(accompaniment, days_ago=settings.ACCOMPANIMENT_READ_DAYS_AFTER_END + 1)
    client.force_login(aap)
    assert client.get(thread_url(dossier)).status_code == 404


# --- labels and receipts on every side -----------------------------------------------------------


def test_every_side_sees_each_message_labelled_by_its_side(client, dossier, aap, accompaniment, candidate, certifier):
    services.post_message(dossier, candidate, "Du candidat")
    services.post_message(dossier, certifier, "Du certificateur")
    services.post_message(dossier, aap, "De l'accompagnatrice")
    pages = {}
    for user, url in [
        (candidate, reverse("messaging:thread", args=[dossier.pk])),
        (certifier, reverse("backoffice:dossier", args=[dossier.pk])),
        (aap, thread_url(dossier)),
    ]:
        client.force_login(user)
        pages[user.pk] = client.get(url).content.decode()
    for page in pages.values():
        assert ">Candidat<" in page and ">Certificateur<" in page and ">Accompagnateur Cap VAE Test<" in page
        assert "Jeanne Lefèvre" in page


def test_the_candidate_and_the_certifier_are_told_the_organisation_reads_the_thread(
    client, dossier, accompaniment, candidate, certifier
):
    client.force_login(candidate)
    page = client.get(reverse("messaging:thread", args=[dossier.pk])).content.decode()
    assert "Cap VAE Test, qui vous accompagne, lit ces échanges et peut y écrire." in page
    client.force_login(certifier)
    page = client.get(reverse("backoffice:dossier", args=[dossier.pk])).content.decode()
    assert "Cap VAE Test, qui accompagne le candidat, lit ces échanges et peut y écrire." in page


def test_the_accompagnateurs_message_shows_who_read_it(client, dossier, aap, accompaniment, candidate):
    services.post_message(dossier, aap, "Bonjour Léa")
    client.force_login(candidate)
    client.get(reverse("messaging:thread", args=[dossier.pk]))
    client.force_login(aap)
    page = client.get(thread_url(dossier)).content.decode()
    assert "par Léa Martin" in page


# --- attachments --------------------------------------------------------------------------------


def test_the_accompagnateur_downloads_a_released_attachment_and_the_read_is_audited(
    client, dossier, aap, accompaniment, candidate
):
    message = services.post_message(dossier, candidate, "Ma pièce", files=[pdf_upload("piece.pdf")])
    attachment = message.attachments.get()
    attachment.scan_status = "clean"
    attachment.save(update_fields=["scan_status"])
    url = reverse("messaging:accompaniment_attachment", args=[dossier.pk, attachment.pk])
    client.force_login(aap)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="message_attachment.read", actor=aap).exists()


@pytest.mark.parametrize(("status", "code"), [("pending", 403), ("failed", 403), ("infected", 410)])
def test_an_attachment_of_another_side_the_antivirus_has_not_released_is_not_served_to_the_accompagnateur(
    client, dossier, aap, accompaniment, candidate, status, code
):
    attachment = services.post_message(dossier, candidate, "Ma pièce", files=[pdf_upload("p.pdf")]).attachments.get()
    attachment.scan_status = status
    attachment.save(update_fields=["scan_status"])
    client.force_login(aap)
    response = client.get(reverse("messaging:accompaniment_attachment", args=[dossier.pk, attachment.pk]))
    assert response.status_code == code and not getattr(response, "streaming", False)


def test_another_organisations_staff_never_reads_an_attachment(
    client, certification, dossier, accompaniment, candidate
):
    attachment = services.post_message(dossier, candidate, "Ma pièce", files=[pdf_upload("p.pdf")]).attachments.get()
    client.force_login(staff_of(make_organisation(certification)))
    response = client.get(reverse("messaging:accompaniment_attachment", args=[dossier.pk, attachment.pk]))
    assert response.status_code == 404


# --- notifications ------------------------------------------------------------------------------


def _recipients(event: str) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


def test_the_accompagnateurs_message_notifies_the_candidate_and_the_certifiers_staff(
    dossier, aap, accompaniment, candidate, certifier, organisation
):
    colleague = staff_of(organisation)
    services.post_message(dossier, aap, "Bonjour")
    assert _recipients("message_accompagnateur") == {candidate.pk, certifier.pk}
    assert colleague.pk not in _recipients("message_accompanied")
    candidate_notification = Notification.objects.get(event="message_accompagnateur", recipient=candidate)
    assert candidate_notification.url == reverse("messaging:thread", args=[dossier.pk])
    assert "Bonjour" not in candidate_notification.text


@pytest.mark.parametrize("author", ["candidate", "certifier"])
def test_the_candidates_or_certifiers_message_notifies_the_accompanying_staff(
    dossier, aap, accompaniment, candidate, certifier, organisation, author
):
    colleague = staff_of(organisation)
    services.post_message(dossier, {"candidate": candidate, "certifier": certifier}[author], "Bonjour")
    assert _recipients("message_accompanied") == {aap.pk, colleague.pk}
    assert Notification.objects.filter(event="message_accompanied").first().url == thread_url(dossier)


def test_once_the_accompaniment_has_ended_its_staff_are_no_longer_notified(
    dossier, aap, accompaniment, candidate, certifier
):
    _end(accompaniment, days_ago=1)
    services.post_message(dossier, candidate, "Bonjour")
    assert not _recipients("message_accompanied")


def test_an_unaccompanied_dossiers_messages_notify_no_accompagnateur(
    certification, dossier, candidate, organisation, aap
):
    other_certifier = certifier_of(certification)
    services.post_message(dossier, candidate, "Bonjour")
    services.post_message(dossier, other_certifier, "Réponse")
    assert not _recipients("message_accompanied")


def test_the_candidate_is_emailed_that_the_organisation_wrote_without_its_text(
    dossier, aap, accompaniment, candidate, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.notifications.helpers import assert_french_typography

    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(dossier, aap, "Texte confidentiel de l'organisme")
    (message,) = [m for m in mail.outbox if m.to == [candidate.email]]
    assert "Nouveau message de l'accompagnateur" in message.subject
    assert "Organisme accompagnateur\u00a0: Cap VAE Test" in message.body
    assert reverse("messaging:thread", args=[dossier.pk]) in message.body
    assert "Texte confidentiel" not in message.body
    assert_french_typography(message.body)
    assert_french_typography(message.subject)


def test_the_accompagnateur_is_emailed_that_the_candidate_wrote_without_its_text(
    dossier, aap, accompaniment, candidate, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.notifications.helpers import assert_french_typography

    with django_capture_on_commit_callbacks(execute=True):
        services.post_message(dossier, candidate, "Texte confidentiel du candidat")
    (message,) = [m for m in mail.outbox if m.to == [aap.email]]
    assert "Nouveau message sur un dossier que vous accompagnez" in message.subject
    assert "Le candidat que vous accompagnez a écrit" in message.body
    assert thread_url(dossier) in message.body and "Texte confidentiel" not in message.body
    assert_french_typography(message.body)
    assert_french_typography(message.subject)


def test_the_accompagnateurs_unread_message_counts_for_the_candidate_and_the_certifier(
    dossier, aap, accompaniment, candidate, certifier
):
    from dossiers.models import Dossier
    from messaging import queries

    services.post_message(dossier, aap, "Bonjour")
    unread = Dossier.objects.filter(pk=dossier.pk).annotate(n=queries.unread_for_candidate(candidate)).get().n
    assert unread == 1
    assert queries.waiting_for_staff(Dossier.objects.filter(pk=dossier.pk), certifier)["messages"]["n"] == 1
    services.mark_read(dossier, candidate)
    services.mark_read(dossier, certifier)
    assert Dossier.objects.filter(pk=dossier.pk).annotate(n=queries.unread_for_candidate(candidate)).get().n == 0
    assert queries.waiting_for_staff(Dossier.objects.filter(pk=dossier.pk), certifier)["messages"]["n"] == 0
