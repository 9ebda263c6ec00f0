"""``/healthz``: is this instance fit to serve? JSON for a load balancer or a monitor.

Rules:
- public (no login), read-only, never cached; to the public it says only ``ok`` or ``fail``
  (and 200 or 503). Which check failed and how long each took are for monitoring: shown with
  the token ``HEALTHZ_TOKEN`` (header ``Authorization: Bearer <token>``, or ``?token=``), or to a
  logged-in staff member. Even then, nothing personal and nothing about the infrastructure (no
  host, no error text);
- database: one query; broker: a connection with a one-second timeout (a PING to Redis, the
  folders of the filesystem transport otherwise); worker: the heartbeat file a Celery worker
  touches every 30 s (vae_portal/celery.py), stale after ``HEALTHZ_WORKER_STALE_SECONDS``;
- 200 when every check passes, 503 otherwise. ``?checks=database`` restricts the answer to
  some checks: a load balancer that should keep serving pages while the broker or the workers
  are down (submissions are saved anyway, their PDFs follow) asks for the database only.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

BROKER_TIMEOUT = 1.0


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_broker() -> dict:
    from vae_portal.celery import app  # the Celery app only for this check, not for every request

    url = app.conf.broker_url or ""
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis  # the client of the broker actually configured, loaded only for it

        client = redis.Redis.from_url(url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT)
        try:
            client.ping()
        except (redis.RedisError, OSError):
            return {"ok": False, "error": "unreachable"}
        finally:
            client.close()
        return {"ok": True}
    if url.startswith("filesystem://"):
        options = app.conf.broker_transport_options or {}
        folders = {options.get("data_folder_in"), options.get("data_folder_out")} - {None}
        if not folders or not all(os.path.isdir(f) and os.access(f, os.W_OK) for f in folders):
            return {"ok": False, "error": "unreachable"}
        return {"ok": True}
    from kombu import Connection  # any other broker: kombu's generic connection, loaded only for it

    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception:  # any transport's own errors
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_worker() -> dict:
    try:
        age = time.time() - Path(settings.WORKER_HEARTBEAT_FILE).stat().st_mtime
    except OSError:
        return {"ok": False, "error": "no heartbeat"}
    stale = age > settings.HEALTHZ_WORKER_STALE_SECONDS
    return {"ok": not stale, "heartbeat_age_s": round(max(age, 0))} | ({"error": "stale"} if stale else {})


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
}


def may_see_details(request) -> bool:
    """The monitoring token (compared in constant time), or a logged-in staff member."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    expected = settings.HEALTHZ_TOKEN
    if not expected:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        given = request.GET.get("token", "")
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@login_not_required
@require_safe
@never_cache
def healthz(request):
    wanted = [c for c in request.GET.get("checks", "").split(",") if c] or list(CHECKS)
    unknown = sorted(set(wanted) - set(CHECKS))
    if unknown:
        return JsonResponse({"status": "fail", "error": "unknown check", "known": list(CHECKS)}, status=400)
    results = {}
    for name in wanted:
        started = time.monotonic()
        results[name] = CHECKS[name]() | {"ms": round((time.monotonic() - started) * 1000, 1)}
    ok = all(r["ok"] for r in results.values())
    body = {"status": "ok" if ok else "fail"}
    if may_see_details(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if ok else 503)
