"""Fault tests run against real services: PostgreSQL, Redis, gunicorn, Celery workers. Each test
starts the processes it needs, bounds every wait and stops what it started.

On the default SQLite run they skip, saying why; with ``VAE_REAL_SERVICES=1`` (CI's second
pass, see .ci/run) a missing service fails them instead: they must run there.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.servers import Gunicorn, database_url

REAL_SERVICES = os.environ.get("VAE_REAL_SERVICES") == "1"


def require(condition: bool, what: str) -> None:
    if condition:
        return
    if REAL_SERVICES:
        pytest.fail(f"VAE_REAL_SERVICES=1 but {what} is missing")
    pytest.skip(f"needs {what}: runs in CI's second pass (.ci/run sets DATABASE_URL, REDIS_URL, VAE_REAL_SERVICES=1)")


def require_postgresql() -> None:
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def require_redis() -> None:
    require(bool(settings.REDIS_URL), "Redis (REDIS_URL)")


@pytest.fixture
def portal(tmp_path, settings):
    """Start gunicorn on this test's PostgreSQL database: ``portal(workers=…, threads=…)``."""
    started: list[Gunicorn] = []

    def start(workers: int = 2, threads: int = 1) -> Gunicorn:
        require_postgresql()
        env = {
            "DATABASE_URL": database_url(connection.settings_dict),
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions the test opens are signed with it
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DATA_DIR": str(tmp_path / "data"),
            # Twenty-two clients saving as one candidate measure the autosave's conflicts, not
            # the per-user limit that would answer most of them 429 (tested in tests/security).
            "AUTOSAVE_RATE_PER_MINUTE": "1000000",
        }
        server = Gunicorn(
            env,
            tmp_path / f"gunicorn-{len(started)}.log",
            workers=workers,
            threads=threads,
            settings_module="tests.server_settings",
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
