"""The accounts app's e-mails are sent by a Celery worker (core.tasks.send_email), handed to the
broker once the request's work is committed: no request waits for, or depends on, SMTP."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from core.tasks import send_email
from tests.emails import assert_html_says_the_same
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """What the requests hand to the broker, kept here instead of being run."""
    sent = []
    monkeypatch.setattr(send_email, "apply_async", lambda args, **options: sent.append(args))
    return sent


REQUESTS = {
    "sign-up": (
        "accounts:signup",
        {"email": "nina@example.org", "first_name": "Nina", "last_name": "Simoné"},
        "confirmez votre adresse",
    ),
    "sign-up with an address that has an account": (
        "accounts:signup",
        {"email": "deja@example.org", "first_name": "Déjà", "last_name": "Là"},
        "tentative d'inscription",
    ),
    "password reset": ("password_reset", {"email": "deja@example.org"}, "nouveau mot de passe"),
    "new confirmation link": ("accounts:resend_confirmation", {"email": "attente@example.org"}, "confirmez"),
}


@pytest.mark.parametrize("request_name", REQUESTS)
def test_each_email_is_sent_by_a_worker_once_the_request_is_committed(
    client, signup_data, published, request_name, django_capture_on_commit_callbacks
):
    UserFactory(email="deja@example.org")
    UserFactory(email="attente@example.org", is_active=False, awaiting_email_confirmation=True)
    url, data, subject = REQUESTS[request_name]
    if url == "accounts:signup":
        data = {**signup_data, **data}

    with django_capture_on_commit_callbacks() as on_commit:
        assert client.post(reverse(url), data).status_code == 302
    assert mail.outbox == [] and published == []

    for callback in on_commit:
        callback()
    assert mail.outbox == []
    (message,) = published
    send_email.apply(message)  # what the worker does

    (sent,) = mail.outbox
    assert subject in sent.subject
    assert sent.to == [data["email"]]
    assert_html_says_the_same(sent)


class FlakySMTP(BaseEmailBackend):
    """An SMTP server that drops the first connection."""

    calls = 0

    def send_messages(self, messages):
        FlakySMTP.calls += 1
        if FlakySMTP.calls == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_failed_delivery_is_tried_again(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.calls = 0

    send_email.apply(("Sujet", "Corps", "nina@example.org"))

    assert FlakySMTP.calls == 2
    assert [m.to for m in mail.outbox] == [["nina@example.org"]]
