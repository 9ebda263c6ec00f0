"""The one door for e-mails (core.emails, core.tasks.send_email): rendered from one template set,
a text and an HTML part saying the same thing, handed to a worker once the transaction commits,
retried on SMTP errors, and never sent inside the request."""

import logging
import smtplib
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from core import emails
from core.tasks import send_email
from dossiers import notifications as dossier_notifications
from dossiers.enums import DossierStatus as S
from dossiers.models import TransitionLog
from juries import notifications as jury_notifications
from juries import services as jury_services
from juries.enums import JuryRole
from tests.emails import assert_html_says_the_same
from tests.factories import UserFactory, dossier_in_state, make_certification, make_session, slot
from tests.juries.helpers import decided, jury_session
from vae_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db

RESET = {"user": None, "reset_url": "https://vae.example/accounts/reset/MQ/abc-123/", "valid_days": 3}


@pytest.fixture
def published(monkeypatch):
    """What is handed to the broker, kept here instead of being run."""
    sent = []
    monkeypatch.setattr(send_email, "apply_async", lambda args, **options: sent.append(args))
    return sent


def test_an_email_is_rendered_from_its_template_set_with_the_same_words_and_links_in_html():
    email = emails.render("password_reset", RESET)

    assert email.subject == "Portail VAE\u00a0: choisissez un nouveau mot de passe"
    assert "https://vae.example/accounts/reset/MQ/abc-123/" in email.text
    assert email.text.endswith(f"{settings.SITE_URL}\n")  # site_url is in every template's context
    assert '<a href="https://vae.example/accounts/reset/MQ/abc-123/">' in email.html
    assert f"<title>{email.subject}</title>" in email.html


def test_what_a_person_typed_is_escaped_in_the_html_part_and_never_made_a_link():
    user = UserFactory(first_name='<img src="x"> nina@example.org www.example.org')

    email = emails.render("password_reset", {**RESET, "user": user})

    assert '<img src="x">' in email.text  # plain text: shown as typed
    assert "&lt;img src=&quot;x&quot;&gt;" in email.html and "<img" not in email.html
    assert "mailto:" not in email.html and 'href="http://www.example.org"' not in email.html


def test_the_email_waits_for_the_commit_and_is_never_sent_for_work_that_rolled_back(
    published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        emails.send("password_reset", "nina@example.org", RESET)
        raise RuntimeError("the service refused")
    assert published == []

    with django_capture_on_commit_callbacks() as on_commit:
        emails.send("password_reset", "nina@example.org", RESET)
    assert published == []
    for callback in on_commit:
        callback()

    (args,) = published
    assert (args[2], args[4]) == ("nina@example.org", "password_reset")
    assert mail.outbox == []  # nothing sent here: a worker does it
    send_email.apply(args)
    (message,) = mail.outbox
    assert message.to == ["nina@example.org"]
    assert_html_says_the_same(message)


def test_a_broker_that_cannot_be_reached_is_logged_never_raised(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(send_email, "apply_async", refuse)
    with caplog.at_level(logging.ERROR, logger="core.emails"):
        assert emails.publish("password_reset", "nina@example.org", emails.render("password_reset", RESET)) is False
    assert "Could not queue the password_reset e-mail" in caplog.text


class DownSMTP(BaseEmailBackend):
    """An SMTP server that never answers."""

    calls = 0

    def send_messages(self, messages):
        DownSMTP.calls += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_delivery_that_keeps_failing_is_retried_then_given_up_and_logged(settings, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.DownSMTP"
    DownSMTP.calls = 0
    email = emails.render("password_reset", RESET)

    with caplog.at_level(logging.ERROR, logger="core.tasks"):
        send_email.apply((email.subject, email.text, "nina@example.org", email.html, "password_reset"))

    assert DownSMTP.calls == 1 + send_email.max_retries
    assert mail.outbox == []
    assert "Gave up sending the e-mail password_reset" in caplog.text
    assert f"to nina@example.org after {1 + send_email.max_retries} attempt(s)" in caplog.text


def test_the_email_task_retries_with_backoff_on_smtp_and_connection_errors_only():
    assert send_email.autoretry_for == (OSError,)
    assert issubclass(smtplib.SMTPException, OSError) and issubclass(TimeoutError, OSError)
    assert send_email.retry_backoff and send_email.max_retries


def test_the_email_task_has_its_own_queue_and_every_worker_consumes_it():
    route = celery_app.amqp.router.route({}, "core.tasks.send_email")
    assert route["queue"].name == "emails"
    assert celery_app.amqp.router.route({}, "documents.tasks.render_document")["queue"].name == "celery"

    names = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    assert {"celery", "emails"} <= set(names)
    queues = ",".join(names)  # every worker consumes every queue, listed in this order
    for path in ("scripts/run.sh", "docker-compose.yml"):
        started = (Path(settings.BASE_DIR) / path).read_text()
        assert f"-Q {queues}" in started or f'"-Q", "{queues}"' in started, path


# --- every app's e-mails go through the door ------------------------------------------------


def _transition():
    dossier = dossier_in_state(S.DRAFT)
    log = TransitionLog.objects.create(
        dossier=dossier, from_status=S.DRAFT, to_status=S.WITHDRAWN, actor=dossier.candidate
    )
    return partial(dossier_notifications.transition, log.pk), dossier.candidate.email, "dossier_transition"


def _quarantined():
    dossier = dossier_in_state(S.DRAFT)
    return (
        partial(dossier_notifications.file_quarantined, "identity", dossier.pk),
        dossier.candidate.email,
        "file_quarantined",
    )


def _convocation():
    cert = make_certification(published=True)
    session = make_session(cert, days=10, hour=9, capacity=1)
    dossier = dossier_in_state(S.READY_FOR_JURY, certification=cert)
    conv = jury_services.convoke(session, dossier, UserFactory(admin=True), **slot(session, "09:30", "10:30"))
    return partial(jury_notifications.convocation, conv.pk), dossier.candidate.email, "convocation"


def _jury_member():
    session = make_session(make_certification(published=True), days=10, hour=9, capacity=1)
    member = jury_services.add_member(session, None, email="juree@example.org", role=JuryRole.TRAINER)
    return partial(jury_notifications.jury_member_added, member.pk, True), "juree@example.org", "jury_member"


def _jury_result():
    session, members, (convocation,) = jury_session()
    decision = decided(session, members, convocation)
    return partial(jury_notifications.result_available, decision.pk), convocation.dossier.candidate.email, "jury_result"


DECLARATIONS = {
    "dossier state change": _transition,
    "quarantined file": _quarantined,
    "convocation": _convocation,
    "jury member": _jury_member,
    "jury result": _jury_result,
}


@pytest.mark.parametrize("declaration", DECLARATIONS)
def test_the_dossier_and_jury_emails_are_handed_to_the_worker_not_sent_by_the_caller(
    published, declaration, django_capture_on_commit_callbacks
):
    notify, to, name = DECLARATIONS[declaration]()  # the services' own on-commit work is left out

    with django_capture_on_commit_callbacks(execute=True):
        notify()  # as the services call it, once their change is committed

    assert mail.outbox == []
    (args,) = published
    assert (args[2], args[4]) == (to, name)
    send_email.apply(args)  # what the worker does
    (message,) = mail.outbox
    assert message.to == [to]
    assert_html_says_the_same(message)
