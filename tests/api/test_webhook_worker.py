"""Webhook deliveries by a real Celery worker (a subprocess on the test database, the real broker:
Redis in CI's second pass, else kombu's filesystem transport), to a real HTTP receiver.

A delivery is at least once: a worker killed in the middle of one gives its message back
(``acks_late``, ``reject_on_worker_lost``), and the next attempt delivers it."""

from __future__ import annotations

import json
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest

from api import webhooks
from api.models import WebhookEventType, WebhookMessage
from api.models import WebhookMessageStatus as M
from documents import services as document_services
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from tests.documents.test_worker import start_worker, wait_for  # noqa: F401 - the fixture
from tests.factories import dossier_in_state, fill_feasibility, make_certification

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LOCAL = {"API_WEBHOOKS_ALLOW_HTTP": "1", "API_WEBHOOKS_ALLOW_PRIVATE": "1"}


class HoldingReceiver:
    """Holds the first POST open (until released or 60 s), answers 200 to every later one."""

    def __init__(self):
        self.requests: list[bytes] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                receiver.requests.append(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                if len(receiver.requests) == 1:
                    receiver.first_arrived.set()
                    receiver.release.wait(60)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the worker that sent it is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def holding_receiver():
    receiver = HoldingReceiver()
    yield receiver
    receiver.stop()


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the pool process through /proc")
def test_a_worker_killed_mid_delivery_gives_the_message_back_and_it_is_delivered(
    start_worker,  # noqa: F811 - the fixture imported above
    holding_receiver,
    settings,
):
    settings.API_WEBHOOKS_ALLOW_HTTP = settings.API_WEBHOOKS_ALLOW_PRIVATE = True
    worker = start_worker(**LOCAL)
    cert = make_certification(published=True)
    endpoint = webhooks.create_endpoint(
        cert.certifiers.first(), holding_receiver.url, [WebhookEventType.DOSSIER_DEPOSITED]
    )
    with mock.patch.object(document_services, "publish"):  # the recevabilité PDF is not watched here
        dossier = dossier_in_state(S.DRAFT, certification=cert)
        fill_feasibility(dossier)
        dossier_services.request_feasibility(dossier, dossier.candidate)  # publishes on commit

    assert holding_receiver.first_arrived.wait(60), worker.logs()[-3000:]
    (child,) = pool_children(worker.process.pid)
    os.kill(child, signal.SIGKILL)  # mid-delivery: the receiver has the request, no answer yet
    holding_receiver.release.set()

    message = wait_for(
        lambda: (m := WebhookMessage.objects.get(endpoint=endpoint)).status == M.DELIVERED and m,
        90,
        f"the message to be delivered; worker log:\n{worker.logs()[-3000:]}",
    )
    assert len(holding_receiver.requests) == 2  # at least once: the receiver dedupes on the id
    assert json.loads(holding_receiver.requests[0])["id"] == json.loads(holding_receiver.requests[1])["id"]
    # The killed attempt logged nothing; the one that went through did.
    assert [d.succeeded for d in message.deliveries.all()] == [True]
    assert "WorkerLostError" in worker.logs() or "SIGKILL" in worker.logs()
