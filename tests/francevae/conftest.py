"""A real fake France VAE (``francevae.fake_server``) as a separate process on the loopback."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import urllib.request

import pytest

from francevae.fake_server import PREFIX, demo_state
from tests.factories import MINIMAL_PDF
from tests.servers import ROOT, free_port, wait_for

TOKEN = "jeton-de-test"


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

    def state(self):
        state = demo_state(self.root)
        state["files"] = {"dossier_faisabilite.pdf": base64.b64encode(MINIMAL_PDF).decode()}
        return state


def _up(url):
    try:
        urllib.request.urlopen(url, timeout=1)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@pytest.fixture
def fake():
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "francevae.fake_server", "--port", str(port), "--token", TOKEN],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        server = Fake(port)
        wait_for(lambda: _up(server.root + "/_fake/requests"), 10, "the fake France VAE")
        server.set_state(server.state())
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=10)
