"""What every API answer gets around the operation: ETags on reads, replay of idempotent writes,
rate-limit headers. A wrapper of each URL of the API (``api.urls``), outside django-ninja.

- GET 200: ``ETag`` is the SHA-256 of the body; ``If-None-Match`` with it answers 304, no body;
- POST/PUT with ``Idempotency-Key``: the first answer (below 500) is kept 24 hours for the token
  and the key, and a retry gets it again without running the operation; the same key with another
  method, path or body is refused (422);
- every authenticated answer carries ``RateLimit-Limit``, ``RateLimit-Remaining`` and
  ``RateLimit-Reset``; a 429 also ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from api import tokens
from api.models import IdempotentResponse
from api.problems import problem

IDEMPOTENCY_TTL = dt.timedelta(hours=24)
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _bearer(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _fingerprint(request) -> str:
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), request.body])).hexdigest()


def _rate_headers(request, response) -> None:
    limits = getattr(request, "rate_limit", None)
    if limits:
        limit, remaining, reset = limits
        response["RateLimit-Limit"] = str(limit)
        response["RateLimit-Remaining"] = str(remaining)
        response["RateLimit-Reset"] = str(reset)


def _etag(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return response
    tag = f'"{hashlib.sha256(response.content).hexdigest()}"'
    response["ETag"] = tag
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    if tag in wanted or f"W/{tag}" in wanted or "*" in wanted:
        not_modified = HttpResponse(status=304)
        not_modified["ETag"] = tag
        return not_modified
    return response


def _idempotent(view, request, *args, **kwargs):
    key = request.headers.get("Idempotency-Key", "").strip()
    token = tokens.peek(_bearer(request)) if key else None
    if not key or token is None:
        return view(request, *args, **kwargs)
    if len(key) > 255:
        return problem(422, _("La clé d'idempotence dépasse 255 caractères."))
    fingerprint = _fingerprint(request)
    IdempotentResponse.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_TTL).delete()
    stored = IdempotentResponse.objects.filter(token=token, key=key).first()
    if stored is not None:
        if stored.fingerprint != fingerprint:
            return problem(
                422, _("Cette clé d'idempotence a déjà servi pour une autre requête : choisissez-en une nouvelle.")
            )
        replay = HttpResponse(bytes(stored.body), status=stored.status, content_type=stored.content_type)
        replay["Idempotent-Replayed"] = "true"
        return replay
    response = view(request, *args, **kwargs)
    if response.status_code < 500 and not response.streaming and getattr(request, "api_token", None) == token:
        try:
            with transaction.atomic():
                IdempotentResponse.objects.create(
                    token=token,
                    key=key,
                    fingerprint=fingerprint,
                    status=response.status_code,
                    content_type=response.get("Content-Type", "application/json"),
                    body=response.content,
                )
        except IntegrityError:  # a concurrent request with the same key stored its answer first
            pass
    return response


def api_view(view):
    @login_not_required  # the API authenticates by token (api.auth), never by session
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in WRITE_METHODS:
            response = _idempotent(view, request, *args, **kwargs)
        else:
            response = _etag(request, view(request, *args, **kwargs))
        _rate_headers(request, response)
        return response

    return wrapper
