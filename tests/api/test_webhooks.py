"""Webhooks against a real HTTP receiver (``http.server`` on 127.0.0.1, a free port, in a thread):
the events come from the real services' rows, the deliveries are real POSTs, signed, logged and
retried as ``api.webhooks`` says. Only the queue is replaced: the messages the task would be
published with are collected, then the task or ``webhooks.run`` is called here."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEventType, WebhookMessage
from api.models import WebhookMessageStatus as M
from api.tasks import deliver_webhook
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from juries import services as jury_services
from tests.factories import UserFactory, certifier_of, dossier_in_state, fill_feasibility, make_certification
from tests.juries.helpers import decided, jury_session, sign_all

pytestmark = pytest.mark.django_db

ALL_EVENTS = list(WebhookEventType.values)


class Receiver:
    """Answers each POST with the next status of ``answers`` (the last one repeats)."""

    def __init__(self, answers=(200,), location: str = ""):
        self.answers = list(answers)
        self.location = location
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                payload = b'{"ok": true}' if status < 300 else b"boom: internal error"
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    started = []

    def start(answers=(200,), location=""):
        r = Receiver(answers, location)
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    settings.API_WEBHOOKS_ALLOW_HTTP = True
    settings.API_WEBHOOKS_ALLOW_PRIVATE = True
    settings.API_WEBHOOKS_TIMEOUT = 5


@pytest.fixture
def published(monkeypatch):
    """The message ids the task is published with (once the transaction commits)."""
    sent: list[int] = []
    monkeypatch.setattr(deliver_webhook, "apply_async", lambda args=None, kwargs=None, **options: sent.append(args[0]))
    return sent


@pytest.fixture
def cert(db):
    return make_certification(published=True, title="Médiation sociale")


@pytest.fixture
def org(cert):
    return cert.certifiers.first()


def submitted_dossier(cert, django_capture_on_commit_callbacks):
    dossier = dossier_in_state(S.DRAFT, certification=cert)
    fill_feasibility(dossier)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.request_feasibility(dossier, dossier.candidate)
    return dossier


def test_a_recevabilite_request_reaches_the_endpoint_signed_with_its_secret(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver()
    endpoint = webhooks.create_endpoint(org, r.url(), [WebhookEventType.DOSSIER_DEPOSITED])

    dossier = submitted_dossier(cert, django_capture_on_commit_callbacks)

    assert len(published) == 1
    deliver_webhook.apply(args=[published[0]])
    assert len(r.requests) == 1
    request = r.requests[0]
    assert webhooks.verify(endpoint.secret, request["headers"]["X-VAE-Signature"], request["body"])
    assert not webhooks.verify("whsec_another", request["headers"]["X-VAE-Signature"], request["body"])
    assert not webhooks.verify(endpoint.secret, request["headers"]["X-VAE-Signature"], request["body"] + b" ")
    payload = json.loads(request["body"])
    assert payload["type"] == "dossier.depose"
    assert request["headers"]["X-VAE-Event-Id"] == payload["id"]
    assert payload["donnees"]["action"] == "recevabilite"
    assert payload["donnees"]["candidature"] == dossier.pk
    assert payload["donnees"]["url"].endswith(f"/api/v1/candidatures/{dossier.pk}")
    # Nothing personal: the receiver reads the dossier through the API, with its token.
    assert dossier.candidate.email not in request["body"].decode()
    assert dossier.candidate.last_name not in request["body"].decode()
    message = WebhookMessage.objects.get()
    assert message.status == M.DELIVERED and message.attempts == 1
    delivery = message.deliveries.get()
    assert delivery.status_code == 200 and delivery.succeeded and '"ok"' in delivery.response_excerpt


def test_the_signature_is_checked_as_the_docs_say(cert, org):
    """The recipe of docs/api.md, written out: HMAC-SHA256 of "<t>.<body>" with the secret."""
    import hashlib
    import hmac

    body = b'{"id":"x"}'
    header = webhooks.sign("whsec_abc", 1_700_000_000, body)
    t, v1 = (part.split("=", 1)[1] for part in header.split(","))
    assert v1 == hmac.new(b"whsec_abc", f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    assert webhooks.verify("whsec_abc", header, body, now=1_700_000_100)
    assert not webhooks.verify("whsec_abc", header, body, now=1_700_001_000)  # too old: a replay


def test_a_500_is_retried_two_minutes_later_then_delivered_and_each_attempt_is_logged(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver(answers=[500, 200])
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)
    (message_id,) = published

    assert webhooks.run(message_id) == 2 * 60
    first = WebhookDelivery.objects.get()
    assert first.status_code == 500 and not first.succeeded
    assert first.error == "HTTP 500" and "boom" in first.response_excerpt
    assert WebhookMessage.objects.get().status == M.PENDING

    assert webhooks.run(message_id) is None
    message = WebhookMessage.objects.get()
    assert message.status == M.DELIVERED and message.attempts == 2
    assert [d.status_code for d in message.deliveries.order_by("attempt")] == [500, 200]
    assert r.requests[0]["headers"]["X-VAE-Event-Id"] == r.requests[1]["headers"]["X-VAE-Event-Id"]


def test_the_task_retries_a_failed_delivery_through_celery(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver(answers=[503, 502, 200])
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)

    deliver_webhook.apply(args=[published[0]])  # eager: Celery's retry runs the task again at once

    message = WebhookMessage.objects.get()
    assert message.status == M.DELIVERED
    assert [d.status_code for d in message.deliveries.order_by("attempt")] == [503, 502, 200]


def test_retries_double_up_to_an_hour_and_stop_24_hours_after_the_event(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    assert [webhooks.backoff_minutes(n) for n in range(1, 9)] == [2, 4, 8, 16, 32, 60, 60, 60]
    r = receiver(answers=[500])
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)
    WebhookMessage.objects.update(created_at=timezone.now() - dt.timedelta(hours=23, minutes=59))

    assert webhooks.run(published[0]) is None

    message = WebhookMessage.objects.get()
    assert message.status == M.FAILED and message.attempts == 1


def test_a_redirect_is_never_followed(cert, org, receiver, published, django_capture_on_commit_callbacks):
    elsewhere = receiver()
    r = receiver(answers=[302], location=elsewhere.url("/ailleurs"))
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)

    assert webhooks.run(published[0]) == 120

    assert len(r.requests) == 1 and elsewhere.requests == []
    assert WebhookDelivery.objects.get().status_code == 302


def test_an_organisations_webhook_never_receives_another_organisations_events(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    other_cert = make_certification(published=True, title="Autre titre")
    mine, theirs = receiver(), receiver()
    webhooks.create_endpoint(org, mine.url(), ALL_EVENTS)
    webhooks.create_endpoint(other_cert.certifiers.first(), theirs.url(), ALL_EVENTS)

    submitted_dossier(cert, django_capture_on_commit_callbacks)
    for message_id in published:
        webhooks.run(message_id)

    assert len(mine.requests) == 1
    assert theirs.requests == []
    assert WebhookMessage.objects.filter(endpoint__organisation=other_cert.certifiers.first()).count() == 0


def test_only_the_chosen_events_and_active_endpoints_get_messages(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver()
    webhooks.create_endpoint(org, r.url(), [WebhookEventType.DECISION])
    disabled = webhooks.create_endpoint(org, r.url("/off"), ALL_EVENTS)
    webhooks.set_active(disabled, False)

    dossier = submitted_dossier(cert, django_capture_on_commit_callbacks)
    assert published == []  # a deposit: not chosen, and the other endpoint is disabled
    with django_capture_on_commit_callbacks(execute=True):
        dossier_services.decide_feasibility(dossier, certifier_of(cert), S.ADMISSIBLE, "")

    (message,) = WebhookMessage.objects.all()
    assert message.event_type == "dossier.decision"
    assert json.loads(message.body)["donnees"]["etat"] == S.ADMISSIBLE


def test_convocations_and_the_final_minutes_are_announced(receiver, published, django_capture_on_commit_callbacks):
    r = receiver()
    cert = make_certification(published=True, blocks=1, competencies=1)
    webhooks.create_endpoint(cert.certifiers.first(), r.url(), [WebhookEventType.CONVOCATION, "procesVerbal.definitif"])
    with django_capture_on_commit_callbacks(execute=True):
        session, members, (conv,) = jury_session(cert, candidates=1)
    with django_capture_on_commit_callbacks(execute=True):
        decided(session, members, conv)
        sign_all(session, members)

    bodies = [json.loads(m.body) for m in WebhookMessage.objects.order_by("pk")]
    assert [(b["type"], b["donnees"].get("action")) for b in bodies] == [
        ("convocation", "emise"),
        ("procesVerbal.definitif", None),
    ]
    assert bodies[1]["donnees"]["url"].endswith(f"/api/v1/sessionsJury/{session.pk}")
    assert len(published) == 2


def test_a_cancelled_convocation_is_announced(receiver, published, django_capture_on_commit_callbacks):
    r = receiver()
    cert = make_certification(published=True, blocks=1, competencies=1)
    session, members, (conv,) = jury_session(cert, candidates=1, days=3)
    webhooks.create_endpoint(cert.certifiers.first(), r.url(), [WebhookEventType.CONVOCATION])

    jury_services.cancel_convocation(conv, UserFactory(admin=True), "Jury reporté.")

    assert json.loads(WebhookMessage.objects.get().body)["donnees"]["action"] == "annulee"


def test_in_production_http_and_private_addresses_are_refused(settings, org):
    settings.API_WEBHOOKS_ALLOW_HTTP = False
    settings.API_WEBHOOKS_ALLOW_PRIVATE = False
    for url in ["http://example.org/hook", "https://127.0.0.1/hook", "https://10.0.0.5/hook", "https://[::1]/h"]:
        with pytest.raises(webhooks.WebhookError):
            webhooks.create_endpoint(org, url, ALL_EVENTS)
    with pytest.raises(webhooks.WebhookError):
        webhooks.create_endpoint(org, "https://localhost/hook", ALL_EVENTS)
    assert WebhookEndpoint.objects.count() == 0


def test_a_private_address_is_refused_again_at_delivery(
    settings, cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver()
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)
    settings.API_WEBHOOKS_ALLOW_PRIVATE = False  # e.g. a name that now resolves to 127.0.0.1

    webhooks.run(published[0])

    assert r.requests == []
    assert "réseau privé" in WebhookDelivery.objects.get().error


# --- the certifier page --------------------------------------------------------------------


def test_a_certifier_adds_a_webhook_sees_its_secret_once_and_replays_a_delivery(
    client, cert, org, receiver, published, django_capture_on_commit_callbacks
):
    r = receiver()
    client.force_login(certifier_of(cert))
    response = client.post(
        "/certificateur/api/webhooks/",
        {"organisation": org.pk, "url": r.url(), "events": ["dossier.depose"], "description": "SI"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert endpoint.secret not in client.get("/certificateur/api/webhooks/").content.decode()

    submitted_dossier(cert, django_capture_on_commit_callbacks)
    webhooks.run(published[0])
    page = client.get("/certificateur/api/webhooks/").content.decode()
    assert "HTTP 200" in page and "dossier.depose" in page

    message = WebhookMessage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/certificateur/api/webhooks/evenements/{message.pk}/renvoyer/")
    assert published == [message.pk, message.pk]

    client.post(f"/certificateur/api/webhooks/{endpoint.pk}/activation/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    client.post(f"/certificateur/api/webhooks/{endpoint.pk}/supprimer/")
    assert WebhookEndpoint.objects.count() == 0


def test_another_organisations_certifier_cannot_touch_a_webhook(client, cert, org, receiver):
    endpoint = webhooks.create_endpoint(org, receiver().url(), ALL_EVENTS)
    stranger = certifier_of(make_certification(published=True, title="Autre"))
    client.force_login(stranger)

    assert endpoint.url not in client.get("/certificateur/api/webhooks/").content.decode()
    assert client.post(f"/certificateur/api/webhooks/{endpoint.pk}/supprimer/").status_code == 404
    assert client.post(f"/certificateur/api/webhooks/{endpoint.pk}/activation/").status_code == 404
    assert WebhookEndpoint.objects.filter(is_active=True).count() == 1


def test_a_candidate_cannot_open_the_webhooks_page(client):
    client.force_login(UserFactory())
    assert client.get("/certificateur/api/webhooks/").status_code == 403


def test_a_message_whose_task_never_reached_the_broker_is_sent_by_the_sweeper(
    cert, org, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(deliver_webhook, "apply_async", broker_down)
    r = receiver()
    webhooks.create_endpoint(org, r.url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)  # committed, but its task was lost
    assert webhooks.sweep() == 0  # too recent: its task may only be waiting in the queue

    sent: list[int] = []
    monkeypatch.setattr(deliver_webhook, "apply_async", lambda args=None, kwargs=None, **o: sent.append(args[0]))
    WebhookMessage.objects.update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert webhooks.sweep() == 1
    deliver_webhook.apply(args=[sent[0]])

    assert len(r.requests) == 1
    assert WebhookMessage.objects.get().status == M.DELIVERED
    assert webhooks.sweep() == 0


def test_the_sweeper_gives_up_a_message_past_its_24_hours(
    cert, org, receiver, published, django_capture_on_commit_callbacks
):
    webhooks.create_endpoint(org, receiver().url(), ALL_EVENTS)
    submitted_dossier(cert, django_capture_on_commit_callbacks)
    published.clear()
    WebhookMessage.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    assert webhooks.sweep() == 0
    assert published == []
    assert WebhookMessage.objects.get().status == M.FAILED
