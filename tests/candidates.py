"""Simulated candidates for the fault tests and the load bench: a browser that keeps its session
cookie and CSRF token (over http.client: no dependency), and autosave writers that keep a
ledger of what the server said it saved, to prove afterwards that no write was lost and that
every conflict was reported.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass
class Reply:
    status: int  # 0: no answer (connection refused, reset, timeout)
    body: bytes
    ms: float

    def json(self) -> dict:
        try:
            return json.loads(self.body)
        except ValueError:
            return {}


def session_for(user) -> str:
    """A session cookie for ``user``, written to the database (as a login would)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def csrf_secret() -> str:
    from django.middleware.csrf import _get_new_csrf_string

    return _get_new_csrf_string()


class Browser:
    """One candidate's browser: its cookies, one connection per request (as the workers of a
    sync gunicorn close them anyway)."""

    def __init__(self, base_url: str, sessionid: str, timeout: float = 30):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.csrf = csrf_secret()
        self.cookie = f"sessionid={sessionid}; csrftoken={self.csrf}"
        self.timeout = timeout

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        headers = {"Cookie": self.cookie, "Host": f"{self.host}:{self.port}", **(headers or {})}
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            status, content = response.status, response.read()
        except (OSError, http.client.HTTPException):
            status, content = 0, b""
        finally:
            connection.close()
        return Reply(status, content, (time.perf_counter() - started) * 1000)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, headers: dict | None = None) -> Reply:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf, **(headers or {})}
        return self.request("POST", path, body, headers)

    def autosave(self, dossier_pk: int, competency_pk: int, version: int, narrative: str) -> Reply:
        """What static/js/autosave.js sends."""
        path = f"/dossiers/{dossier_pk}/competences/{competency_pk}/enregistrer/"
        return self.post(
            path, {"version": version, "narrative": narrative}, {"X-Autosave": "1", "Accept": "application/json"}
        )


@dataclass(frozen=True)
class Save:
    writer: str
    base: int  # the version the tab held
    version: int  # the version the server answered
    text: str


@dataclass
class Ledger:
    """Everything the writers were told, shared by all of them."""

    saves: dict[int, list[Save]] = field(default_factory=lambda: defaultdict(list))  # by statement
    conflicts: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Writer:
    """One tab autosaving one statement's narrative, as the script does: each save carries the
    version the page holds; on a conflict (409) the page takes the server's version (the
    candidate chooses a text) and goes on typing."""

    def __init__(self, name: str, browser: Browser, dossier_pk: int, competency_pk: int, statement_pk: int, version):
        self.name = name
        self.browser = browser
        self.dossier_pk, self.competency_pk, self.statement_pk = dossier_pk, competency_pk, statement_pk
        self.version = version
        self.count = 0

    def step(self, ledger: Ledger) -> Reply:
        self.count += 1
        text = f"{self.name}, enregistrement {self.count} ({uuid.uuid4().hex[:8]}) : " + "récit " * 40
        base = self.version
        reply = self.browser.autosave(self.dossier_pk, self.competency_pk, base, text)
        body = reply.json()
        with ledger.lock:
            if reply.status == 200 and body.get("status") == "saved":
                ledger.saves[self.statement_pk].append(Save(self.name, base, body["version"], text))
                self.version = body["version"]
            elif reply.status == 409 and body.get("status") == "conflict":
                ledger.conflicts[self.statement_pk].append((base, body["version"]))
                self.version = body["version"]
            else:
                ledger.errors.append(f"{self.name}: HTTP {reply.status} {reply.body[:200]!r}")
        return reply


def run_writers(writers: list[Writer], seconds: float, ledger: Ledger, pause: tuple[float, float] = (0, 0.06)):
    """Each writer in its own thread, saving every ``pause`` seconds (0–60 ms: someone typing
    fast, or many tabs) until time is up."""
    deadline = time.monotonic() + seconds
    start = threading.Barrier(len(writers))

    def loop(writer: Writer):
        rng = random.Random(writer.name)
        start.wait()
        while time.monotonic() < deadline:
            writer.step(ledger)
            time.sleep(rng.uniform(*pause))

    threads = [threading.Thread(target=loop, args=(w,), name=w.name, daemon=True) for w in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    if any(t.is_alive() for t in threads):
        raise AssertionError("a client hung")


def lost_writes(ledger: Ledger, initial: dict[int, int], final: dict[int, tuple[int, str]]) -> list[str]:
    """What went wrong, per statement, given its version before the run and its (version, text)
    in the database after it. Each save the server acknowledged must have been the next version
    (``base + 1``: a save from a stale page is a conflict, never an overwrite), the versions
    acknowledged must be exactly ``initial + 1 … final`` (none given twice, none missing: no
    acknowledged write was lost), and the text stored must be the last acknowledged one.
    Returns the problems found (none: nothing lost)."""
    problems = []
    for statement, start in initial.items():
        saves = sorted(ledger.saves.get(statement, []), key=lambda s: s.version)
        version, text = final[statement]
        for save in saves:
            if save.version != save.base + 1:
                problems.append(f"statement {statement}: {save.writer} saved from {save.base} as {save.version}")
        versions = [s.version for s in saves]
        if versions != list(range(start + 1, version + 1)):
            problems.append(f"statement {statement}: versions acknowledged {versions}, stored {version}")
        if saves and saves[-1].text != text:
            problems.append(f"statement {statement}: the stored text is not the last one acknowledged")
        for base, current in ledger.conflicts.get(statement, []):
            if current <= base:
                problems.append(f"statement {statement}: a conflict reported from {base} against {current}")
    return problems
