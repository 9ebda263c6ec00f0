"""A real fake France VAE (``francevae.fake_server``) as a separate process on the loopback, the
OpenAPI check of every request the connector sent it, and a Celery worker stand-in."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from unittest import mock

import jsonschema_rs
import pytest
import yaml

from francevae import services, tasks
from francevae.fake_server import PREFIX, demo_state
from tests.factories import CertifierFactory, UserFactory, make_certification
from tests.servers import ROOT, free_port, wait_for

TOKEN = "jeton-de-test"
DEMO_CANDIDATURE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "francevae/openapi/reva-interop.yaml").read_text())


class Fake:
    def __init__(self, port: int):
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = self.root + PREFIX

    def _call(self, method: str, path: str, data=None):
        body = None if data is None else json.dumps(data).encode()
        req = urllib.request.Request(self.root + path, data=body, method=method)
        with urllib.request.urlopen(req, timeout=5) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def set_state(self, state):
        self._call("PUT", "/_fake/state", state)

    def fault(self, **fault):
        self._call("POST", "/_fake/faults", fault)

    def requests(self):
        return self._call("GET", "/_fake/requests")

    def sent(self, method: str, path_end: str) -> list[dict]:
        """The requests ``method`` on a path ending with ``path_end``."""
        return [r for r in self.requests() if r["method"] == method and r["path"].endswith(path_end)]

    def state(self):
        return demo_state(self.root)


def _up(url):
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _start(port: int, token: str):
    return subprocess.Popen(
        [sys.executable, "-m", "francevae.fake_server", "--port", str(port), "--token", token],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def fake():
    port = free_port()
    proc = _start(port, TOKEN)
    try:
        server = Fake(port)
        wait_for(lambda: _up(server.root + "/_fake/requests"), 10, "the fake France VAE")
        server.set_state(server.state())
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def demo_fake(monkeypatch):
    """The fake exactly as the docs start it for the demo (its own token and demo data), on a
    free port that ``francevae.demo.seed`` reads from FRANCE_VAE_FAKE_PORT."""
    port = free_port()
    proc = _start(port, "fake-token")
    try:
        server = Fake(port)
        wait_for(lambda: _up(server.root + "/_fake/requests"), 10, "the fake France VAE")
        monkeypatch.setenv("FRANCE_VAE_FAKE", "1")
        monkeypatch.setenv("FRANCE_VAE_FAKE_PORT", str(port))
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _operation(method: str, path: str):
    rel = path.removeprefix(PREFIX)
    for template, item in SPEC["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, rel) and method.lower() in item:
            return item[method.lower()]
    return None


def assert_conforms(requests, token: str = TOKEN):
    """Every request the connector sent is an operation of the document, with a valid body."""
    for r in requests:
        if "/_files/" in r["path"]:
            continue
        op = _operation(r["method"], r["path"])
        assert op is not None, f"{r['method']} {r['path']} is not in reva-interop.yaml"
        assert r["headers"].get("Authorization") == f"Bearer {token}"
        limite = r["query"].get("limite")
        if limite:
            assert 1 <= int(limite[0]) <= 100
        if "requestBody" in op:
            ((ctype, media),) = op["requestBody"]["content"].items()
            body = r.get("json") if ctype == "application/json" else r.get("fields")
            assert body is not None, f"{r['path']}: expected {ctype}"
            schema = {**media["schema"], "components": SPEC["components"]}
            jsonschema_rs.validator_for(schema).validate(body)


@pytest.fixture
def connection(fake):
    org = CertifierFactory()
    certification = make_certification(published=True, certifier=org, code="RNCP35830")
    staff = UserFactory()
    org.staff.add(staff)
    conn = services.save_connection(
        org, base_url=fake.base_url, authority_id="ca-1", token=TOKEN, invite_candidates=True
    )
    conn.certification = certification
    conn.staff = staff
    return conn


@pytest.fixture
def worker():
    """A Celery worker in the test's process: a delivery published on commit (or by beat's
    ``flush_outbox``) runs at once, through the real task, its retries included (Celery runs an
    eager task's retry at once, whatever the countdown)."""

    def run(args=None, kwargs=None, **options):
        return tasks.deliver_message.apply(args, kwargs)

    with mock.patch.object(tasks.deliver_message, "apply_async", side_effect=run):
        yield


@pytest.fixture(autouse=True)
def pdfs_rendered_at_once():
    """The portal's PDFs (decision letter, convocation) rendered as soon as they are asked for,
    as a documents worker would, in the test's process."""
    from documents import services as documents
    from documents.tasks import render_document

    def run(args=None, kwargs=None, **options):
        documents.run(*(args or ()))

    with mock.patch.object(render_document, "apply_async", side_effect=run):
        yield


@pytest.fixture
def broker_down():
    """Publishing a task fails as when the broker cannot be reached (as tests/dossiers/test_antivirus.py)."""
    with mock.patch.object(
        tasks.deliver_message, "apply_async", side_effect=ConnectionRefusedError("broker down")
    ) as publish:
        yield publish
