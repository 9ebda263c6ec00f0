"""Against a real Celery worker (a subprocess on the test database) and the real broker:
Redis when REDIS_URL is set (CI's second pass), else kombu's filesystem transport.

Each test starts its own worker, bounds every wait, and stops what it started.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection

from documents import services
from documents.enums import DocumentKind
from documents.enums import DocumentStatus as D
from documents.models import GeneratedDocument
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus as S
from tests.factories import dossier_in_state, fill_validation
from tests.servers import wait_for
from vae_portal.celery import app as celery_app

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REDIS = bool(settings.REDIS_URL)
WORKER_QUEUES = ",".join(queue.name for queue in settings.CELERY_TASK_QUEUES)


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path, beat: subprocess.Popen | None = None):
        self.process = process
        self.log = log
        self.beat = beat  # a ``celery beat`` process beside the worker, logging to the same file

    def logs(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, sig=signal.SIGTERM, timeout: float = 15) -> None:
        if self.beat is not None and self.beat.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.beat.pid, signal.SIGKILL)
            self.beat.wait(5)
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)  # the worker and its pool children: its own session
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


@pytest.fixture
def start_worker(settings, tmp_path):
    """Start ``celery worker`` subprocesses that see this test's database, files and broker."""
    started: list[Worker] = []
    base_env = {
        **os.environ,
        "VAE_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "WORKER_HEARTBEAT_FILE": str(tmp_path / "heartbeat"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONUNBUFFERED": "1",
    }
    celery_app.control.purge()  # messages left by earlier runs concern another database

    def start(app: str = "vae_portal", beat: bool = False, **env) -> Worker:
        log = tmp_path / f"worker-{len(started)}.log"
        command = [sys.executable, "-m", "celery", "-A", app, "worker", "--loglevel=INFO", "--concurrency=1"]
        command += ["-Q", WORKER_QUEUES]  # as scripts/run.sh and docker-compose.yml
        command += [
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ]
        command += ["--logfile", str(log)]
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env={**base_env, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        worker = Worker(process, log)
        started.append(worker)
        wait_for(lambda: " ready." in worker.logs() or process.poll() is not None, 60, "the worker to start")
        assert process.poll() is None, worker.logs()
        if beat:
            # Its own process, not the worker's embedded ``--beat``: a beat forked from a worker
            # that holds a lock at that moment can hang before its first tick (seen in CI).
            schedule = tmp_path / f"beat-{len(started)}"
            worker.beat = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", app, "beat", "--loglevel=INFO"]
                + ["--schedule", str(schedule), "--logfile", str(log)],
                cwd=settings.BASE_DIR,
                env={**base_env, **env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            wait_for(lambda: "beat: Starting" in worker.logs(), 60, "beat to start")
        return worker

    yield start
    for worker in started:
        # The test has checked what it wanted: no need for Celery's five-second warm shutdown.
        worker.stop(signal.SIGKILL)


def submit_validation():
    # The recevabilité PDF and its decision letter asked for on the way are not what these tests
    # watch: keep them out of the worker's queue (and the sweeper's), so that it renders only the
    # dossier de validation.
    with mock.patch.object(services, "publish"):
        dossier = dossier_in_state(S.ADMISSIBLE)
    GeneratedDocument.objects.filter(
        dossier=dossier, kind__in=[DocumentKind.FEASIBILITY, DocumentKind.FEASIBILITY_DECISION]
    ).delete()
    fill_validation(dossier)
    dossier_services.submit_validation(dossier, dossier.candidate)  # publishes on commit
    return dossier


def validation_document(dossier) -> GeneratedDocument:
    return GeneratedDocument.objects.get(dossier=dossier, kind=DocumentKind.VALIDATION)


def done(dossier, worker: Worker, timeout: float = 90) -> GeneratedDocument:
    return wait_for(
        lambda: (doc := validation_document(dossier)).status == D.DONE and doc,
        timeout,
        lambda: f"the document to be done; worker log:\n{worker.logs()[-3000:]}",
    )


def assert_one_pdf(document: GeneratedDocument) -> None:
    files = list((Path(settings.MEDIA_ROOT) / "documents" / str(document.dossier_id)).glob("validation-*.pdf"))
    assert len(files) == 1
    with document.file.open("rb") as pdf:
        assert pdf.read().startswith(b"%PDF-")
    assert document.pages > 3


def test_a_submission_produces_exactly_one_document_rendered_by_the_worker(start_worker, tmp_path):
    worker = start_worker()

    dossier = submit_validation()

    document = done(dossier, worker)
    assert GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.VALIDATION).count() == 1
    assert document.attempts == 1
    assert_one_pdf(document)
    assert (tmp_path / "heartbeat").read_text().strip() == str(worker.process.pid)


def test_a_worker_killed_mid_render_is_replaced_and_the_document_completes_once(start_worker):
    worker = start_worker("tests.documents.slow_worker", VAE_TEST_RENDER_DELAY="3")
    dossier = submit_validation()

    running = wait_for(
        lambda: (doc := validation_document(dossier)).status == D.RUNNING and doc, 60, "the render to start"
    )
    child = int(running.worker.rsplit(":", 1)[1])
    assert child != worker.process.pid  # the pool process rendering, not the worker itself
    os.kill(child, signal.SIGKILL)

    document = done(dossier, worker)
    assert document.attempts == 2  # the message came back (acks_late, reject_on_worker_lost)
    assert_one_pdf(document)
    assert "WorkerLostError" in worker.logs() or "SIGKILL" in worker.logs()


def test_a_whole_worker_killed_mid_render_is_replaced_and_the_sweeper_completes_the_document(start_worker):
    first = start_worker("tests.documents.slow_worker", VAE_TEST_RENDER_DELAY="30")
    dossier = submit_validation()
    wait_for(lambda: validation_document(dossier).status == D.RUNNING, 60, "the render to start")

    first.stop(signal.SIGKILL)  # the machine goes down: no worker left to give the message back
    replacement = start_worker()
    assert services.sweep(running_after=0) == [validation_document(dossier).pk]  # what beat runs

    document = done(dossier, replacement)
    assert document.attempts == 2
    assert_one_pdf(document)


@contextlib.contextmanager
def broker(**conf):
    """Point this process's Celery app (the one the web requests publish with) elsewhere."""
    saved = {key: celery_app.conf[key] for key in conf}

    def reset():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.update(conf)
    reset()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, on a free port, that it can stop and start again."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, "redis-server to start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def _answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False


@pytest.fixture
def private_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


# A sweep every 3 s, whose message expires after as long (settings.CELERY_BEAT_SCHEDULE). Every
# second, with two sweepers on the filesystem broker's queue, the worker went on receiving the
# documents' sweeps already expired ("Discarding revoked task") in about one run in three.
FAST_SWEEP = {"DOCUMENTS_SWEEP_SECONDS": "3", "DOCUMENTS_QUEUED_STALE_SECONDS": "2"}


@pytest.mark.skipif(not REDIS, reason="Redis only when REDIS_URL is set (CI's second pass)")
def test_with_redis_stopped_a_submission_succeeds_and_its_pdf_follows_once_redis_is_back(start_worker, private_redis):
    worker = start_worker(beat=True, REDIS_URL=private_redis.url, **FAST_SWEEP)
    with broker(broker_url=private_redis.url):
        private_redis.stop()

        dossier = submit_validation()

        dossier.refresh_from_db()
        assert dossier.status == S.VALIDATION_SUBMITTED
        assert validation_document(dossier).status == D.QUEUED
        private_redis.start()
        document = done(dossier, worker, timeout=120)
    assert document.attempts == 1
    assert_one_pdf(document)


@pytest.mark.skipif(REDIS, reason="the filesystem broker is used only when REDIS_URL is not set")
def test_with_the_broker_unreachable_a_submission_succeeds_and_its_pdf_follows_once_it_is_back(start_worker, tmp_path):
    worker = start_worker(beat=True, **FAST_SWEEP)
    options = {**celery_app.conf.broker_transport_options, "data_folder_out": str(tmp_path / "unreachable")}
    with broker(broker_transport_options=options):
        dossier = submit_validation()

    dossier.refresh_from_db()
    assert dossier.status == S.VALIDATION_SUBMITTED
    assert validation_document(dossier).status == D.QUEUED
    document = done(dossier, worker)  # the worker's beat runs the sweeper, which publishes it again
    assert document.attempts == 1
    assert_one_pdf(document)


def test_an_email_is_sent_by_the_worker_from_the_emails_queue(start_worker, monkeypatch):
    from core import emails
    from core.tasks import send_email

    monkeypatch.delattr(send_email, "apply_async")  # the real broker, not the tests' in-process run
    worker = start_worker()  # consuming the default queue and the e-mails' (settings.CELERY_TASK_ROUTES)

    emails.send("password_reset", "nina@example.org", {"reset_url": f"{settings.SITE_URL}/reset/", "valid_days": 3})

    wait_for(lambda: re.search(r"core\.tasks\.send_email\[[\w-]+\] succeeded", worker.logs()), 60, "the e-mail")


def test_a_draft_preview_is_rendered_by_the_worker_from_its_own_queue(start_worker):
    worker = start_worker()
    dossier = dossier_in_state(S.ADMISSIBLE)

    preview = services.request_preview(dossier, dossier.candidate)  # published on commit

    done_preview = wait_for(
        lambda: (doc := GeneratedDocument.objects.get(pk=preview.pk)).status == D.DONE and doc,
        90,
        lambda: f"the preview to be done; worker log:\n{worker.logs()[-3000:]}",
    )
    with done_preview.file.open("rb") as pdf:
        assert pdf.read().startswith(b"%PDF-")


def test_a_flood_of_previews_does_not_hold_back_a_submitted_dossiers_pdf(start_worker):
    """Four previews are queued before a dossier de validation is submitted; one worker process
    renders one document at a time. It takes from the two queues in turn: the dossier's PDF is
    done before the second preview at the latest (from a single queue, after all four)."""
    previews = []
    for _ in range(4):
        with mock.patch.object(services, "publish"):  # their recevabilité PDFs: not what is watched
            dossier = dossier_in_state(S.ADMISSIBLE)
        GeneratedDocument.objects.filter(dossier=dossier).delete()
        previews.append(services.request_preview(dossier, dossier.candidate).pk)
    submitted = submit_validation()
    worker = start_worker("tests.documents.slow_worker", VAE_TEST_RENDER_DELAY="1")

    done(submitted, worker)

    previews_done = GeneratedDocument.objects.filter(pk__in=previews, status=D.DONE).count()
    assert previews_done <= 1, f"{previews_done} previews were rendered before the dossier's PDF"
