"""E-mail links use the site's real address: with SITE_URL unset, the one `make run` serves
(scripts/run.sh passes PORT to the web server and to the worker that renders the digests)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _site_url(**env) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environ.update(env, DJANGO_SETTINGS_MODULE="vae_portal.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip().splitlines()[-1]


def test_without_site_url_the_links_use_the_served_port():
    assert _site_url(PORT="8080") == "http://127.0.0.1:8080"
    assert _site_url() == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_over_the_port():
    assert _site_url(PORT="8080", SITE_URL="https://vae.example.org/") == "https://vae.example.org"


def test_a_port_that_is_not_a_number_is_refused():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _site_url(PORT="huit-mille")
    assert "PORT must be an integer" in refused.value.stderr


def test_make_run_gives_the_port_to_the_server_and_to_the_worker(tmp_path):
    """scripts/run.sh with stand-ins for Python and Celery that write what they were given."""
    log = tmp_path / "log"
    for name in ("python", "celery"):
        stub = tmp_path / name
        # Each writes its line, then waits (10 s at most) for the other's: neither is stopped
        # by run.sh (which stops all once one ends) before it has written.
        stub.write_text(
            f'#!/bin/sh\necho "{name} PORT=$PORT SITE_URL=${{SITE_URL:-}} $*" >> {log}\n'
            f"for i in $(seq 100); do [ $(wc -l < {log}) -ge 2 ] && exit 0; sleep 0.1; done\n"
        )
        stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    environ = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environ.update(PORT="8080", PY=str(tmp_path / "python"), DATA_DIR=str(tmp_path))

    subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=environ, capture_output=True, timeout=30, check=False)

    lines = log.read_text().splitlines()
    (server,) = [line for line in lines if "runserver" in line]
    (worker,) = [line for line in lines if line.startswith("celery")]
    assert server.startswith("python PORT=8080 ") and server.endswith("runserver 127.0.0.1:8080")
    assert worker.startswith("celery PORT=8080 ")
