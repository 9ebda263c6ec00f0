"""Real servers started by a test (or the load bench) for itself: gunicorn serving the portal on
a free loopback port, against a database the caller names. Whoever starts one stops it; every
wait is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, what, interval: float = 0.1):
    """``condition()``'s first true value within ``timeout`` seconds; else an AssertionError
    saying ``what`` was awaited (a text, or a function giving it then: a log read at the end)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the PostgreSQL database Django describes with ``settings_dict``."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class Gunicorn:
    """``gunicorn vae_portal.wsgi`` in its own process group, production settings (DEBUG off),
    on a free port. ``PGAPPNAME`` tags its database connections (``application_name``)."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        workers: int = 2,
        threads: int = 1,
        settings_module: str = "vae_portal.settings",
    ):
        self.port = free_port()
        self.log = log
        self.application_name = f"vae-gunicorn-{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PGAPPNAME": self.application_name,
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "vae_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "3",
            "--error-logfile",
            "-",
        ]
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Gunicorn:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        wait_for(self._answers, timeout, f"gunicorn to answer; log:\n{self.logs()[-3000:]}", interval=0.2)
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited ({self.process.returncode}); log:\n{self.logs()[-3000:]}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/healthz?checks=database")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def worker_pids(self) -> set[int]:
        """The pids of gunicorn's workers (the master's children)."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in path.read_text().split()} if path.exists() else set()

    def cpu_seconds(self) -> float:
        """Processor time used so far by the master and its live workers (user + system)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in {self.process.pid, *self.worker_pids()}:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return total

    def logs(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, timeout: float = 10) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)
