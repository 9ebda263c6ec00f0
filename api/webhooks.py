"""Webhooks: a certifier's system is told when something happens in its organisation's scope.

Rules:
- an endpoint belongs to one organisation, has a URL and a set of events
  (``WebhookEventType``); its secret (256 bits) signs every delivery and is shown once;
- the URL is https, except where ``API_WEBHOOKS_ALLOW_HTTP`` allows http (DEBUG by default: a
  developer's own receiver); it never resolves to a private, loopback, link-local or reserved
  address unless ``API_WEBHOOKS_ALLOW_PRIVATE`` (SSRF), checked when it is saved and again on
  each connection, against the address actually connected to (no DNS rebinding);
- an event reaches the active endpoints of the organisations whose staff can read the resource
  (the certifiers of the dossier's or the session's certification), and no other;
- the body is JSON: ``id`` (the event's UUID, the same on every attempt: receivers dedupe on
  it), ``type``, ``creeLe``, ``donnees`` (the resource's API URL, its id and a state; no name,
  no free text);
- headers ``X-VAE-Event``, ``X-VAE-Event-Id`` and ``X-VAE-Signature: t=<unix>,v1=<hex>`` where
  hex is HMAC-SHA256(secret, ``"<t>.<body>"``);
- an attempt gets 10 s (``API_WEBHOOKS_TIMEOUT``), never follows a redirect; any answer but 2xx
  is a failure; failures are retried 2, 4, 8… minutes later (at most an hour apart) until
  ``API_WEBHOOKS_RETRY_HOURS`` after the event; every attempt is a ``WebhookDelivery`` row;
- the message rows are written in the transaction of the change (nothing is announced that did
  not happen) and the task is queued once it commits; a worker killed mid-delivery gives the
  message back (``acks_late``), so a delivery may arrive twice, never zero times.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import time
import uuid
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEventType,
    WebhookMessage,
    WebhookMessageStatus,
)
from audit.services import record
from core.errors import DomainError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-VAE-Signature"
EXCERPT_CHARS = 500
MAX_BACKOFF_MINUTES = 60
USER_AGENT = "PortailVAE-Webhooks/1"


class WebhookError(DomainError):
    """A refused endpoint (URL, events) or action on one."""


class UnsafeAddress(Exception):
    """The URL resolves to an address the portal must not call."""


# --- endpoints -----------------------------------------------------------------------------


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_allowed(host: str, port: int) -> list[tuple]:
    """The addresses of ``host`` the portal may connect to; raises ``UnsafeAddress`` when one is
    private (a name resolving to both is refused as a whole)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not settings.API_WEBHOOKS_ALLOW_PRIVATE:
        for info in infos:
            if not _is_public(info[4][0]):
                raise UnsafeAddress(info[4][0])
    return infos


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookError(_("Indiquez une adresse complète, commençant par https://."))
    if parts.scheme == "http" and not settings.API_WEBHOOKS_ALLOW_HTTP:
        raise WebhookError(_("L'adresse doit commencer par https:// : les événements ne circulent que chiffrés."))
    if parts.username or parts.password:
        raise WebhookError(_("L'adresse ne doit pas contenir d'identifiant ni de mot de passe."))
    try:
        resolve_allowed(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except UnsafeAddress:
        raise WebhookError(_("Cette adresse mène à un réseau privé ou local : le portail n'y envoie rien.")) from None
    except (socket.gaierror, UnicodeError, ValueError):
        raise WebhookError(_("Ce nom de domaine est introuvable.")) from None
    return url


def check_events(events) -> list[str]:
    wanted = set(events)
    if not wanted:
        raise WebhookError(_("Choisissez au moins un événement."))
    unknown = wanted - set(WebhookEventType.values)
    if unknown:
        raise WebhookError(_("Événement inconnu : %(e)s.") % {"e": ", ".join(sorted(unknown))})
    return [e for e in WebhookEventType.values if e in wanted]


@transaction.atomic
def create_endpoint(organisation, url: str, events, description: str = "", created_by=None) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url=check_url(url),
        events=check_events(events),
        description=description.strip()[:200],
        secret=f"whsec_{secrets.token_urlsafe(32)}",
        created_by=created_by,
    )
    record(
        "api.webhook_created",
        actor=created_by,
        target=endpoint,
        changes={"url": [None, endpoint.url], "events": [None, endpoint.events]},
    )
    return endpoint


@transaction.atomic
def set_active(endpoint: WebhookEndpoint, active: bool, actor=None) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.is_active == active:
        raise WebhookError(_("Ce webhook est déjà actif.") if active else _("Ce webhook est déjà désactivé."))
    if active:
        check_url(endpoint.url)  # the rules may have tightened since
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    record("api.webhook_enabled" if active else "api.webhook_disabled", actor=actor, target=endpoint)
    return endpoint


@transaction.atomic
def delete_endpoint(endpoint: WebhookEndpoint, actor=None) -> None:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    record("api.webhook_deleted", actor=actor, target=endpoint, changes={"url": [endpoint.url, None]})
    endpoint.delete()


@transaction.atomic
def replay(message: WebhookMessage, actor=None) -> WebhookMessage:
    """Send a message again now, as it was (same id, same body), whatever its state."""
    message = WebhookMessage.objects.select_for_update().select_related("endpoint").get(pk=message.pk)
    if not message.endpoint.is_active:
        raise WebhookError(_("Réactivez le webhook avant de renvoyer un événement."))
    record(
        "api.webhook_replayed", actor=actor, target=message.endpoint, changes={"event": [None, str(message.event_id)]}
    )
    transaction.on_commit(partial(_publish, message.pk, True))
    return message


# --- events --------------------------------------------------------------------------------


def api_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def emit(event_type: str, organisation_ids, data: dict) -> list[WebhookMessage]:
    """Write one message per active endpoint of these organisations subscribed to the event, and
    queue their delivery once the current transaction commits."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(organisation_id__in=organisation_ids, is_active=True)
        if event_type in e.events
    ]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    body = json.dumps(
        {"id": str(event_id), "type": event_type, "creeLe": now.isoformat(), "donnees": data},
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    messages = [
        WebhookMessage.objects.create(endpoint=e, event_id=event_id, event_type=event_type, body=body)
        for e in endpoints
    ]
    for m in messages:
        transaction.on_commit(partial(_publish, m.pk, False))
    return messages


def _publish(message_id: int, replay: bool) -> None:
    from api.tasks import deliver_webhook

    try:
        deliver_webhook.apply_async(args=[message_id], kwargs={"replay": replay})
    except Exception:  # the broker is down: the change is committed; the page can replay it
        logger.exception("Could not queue webhook message %s", message_id)


def sweep() -> int:
    """Queue again every message still pending whose next attempt is overdue by
    ``API_WEBHOOKS_SWEEP_STALE_MINUTES``: its task never reached the broker (down when the change
    committed) or was lost with it. Past the 24 hours, the message is given up instead. A message
    may then be sent twice (its first task was only late): receivers deduplicate on the event id,
    as docs/api.md asks. Returns how many were queued again."""
    now = timezone.now()
    grace = dt.timedelta(minutes=settings.API_WEBHOOKS_SWEEP_STALE_MINUTES)
    pending = (
        WebhookMessage.objects.filter(status=WebhookMessageStatus.PENDING, endpoint__is_active=True)
        .filter(created_at__lte=now - grace)
        .annotate(last_attempt=Max("deliveries__started_at"))
    )
    queued = 0
    for message in pending:
        if message.created_at + dt.timedelta(hours=settings.API_WEBHOOKS_RETRY_HOURS) <= now:
            WebhookMessage.objects.filter(pk=message.pk, status=WebhookMessageStatus.PENDING).update(
                status=WebhookMessageStatus.FAILED
            )
            continue
        wait = dt.timedelta(minutes=backoff_minutes(message.attempts)) if message.attempts else dt.timedelta()
        if (message.last_attempt or message.created_at) + wait + grace <= now:
            _publish(message.pk, False)
            queued += 1
    return queued


# --- delivery ------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, tolerance: int = 300, now: int | None = None) -> bool:
    """What a receiver does (see docs/api.md); here for the tests and for receivers in Python."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or int(time.time())) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


class _GuardedConnection(http.client.HTTPConnection):
    """Connects only to an address ``resolve_allowed`` accepts, checked at connection time."""

    def connect(self):
        self.sock = _connect(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self):
        sock = _connect(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    last = None
    for family, type_, proto, _canon, address in resolve_allowed(host, port):
        sock = socket.socket(family, type_, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"no address for {host}")


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int, bytes]:
    """One POST, no redirect followed (a 3xx is an answer like any other), no proxy."""
    parts = urlsplit(url)
    cls = _GuardedHTTPSConnection if parts.scheme == "https" else _GuardedConnection
    conn = cls(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(EXCERPT_CHARS * 4)
    finally:
        conn.close()


def backoff_minutes(attempt: int) -> int:
    return min(2**attempt, MAX_BACKOFF_MINUTES)


def run(message_id: int, replay: bool = False) -> int | None:
    """One attempt at delivering a message; returns the seconds to wait before the next one, or
    None when it is done (delivered, given up, endpoint gone or disabled)."""
    message = WebhookMessage.objects.select_related("endpoint").filter(pk=message_id).first()
    if message is None or not message.endpoint.is_active:
        return None
    if message.status == WebhookMessageStatus.DELIVERED and not replay:
        return None  # a message given back by a killed worker after it was delivered
    endpoint = message.endpoint
    body = message.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-VAE-Event": message.event_type,
        "X-VAE-Event-Id": str(message.event_id),
        SIGNATURE_HEADER: sign(endpoint.secret, timestamp, body),
    }
    started = time.monotonic()
    status, excerpt, error = None, "", ""
    try:
        status, content = post(endpoint.url, body, headers, settings.API_WEBHOOKS_TIMEOUT)
        excerpt = content.decode("utf-8", "replace")[:EXCERPT_CHARS]
    except UnsafeAddress as exc:
        error = f"Adresse refusée (réseau privé ou local) : {exc}"
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:EXCERPT_CHARS]
    duration_ms = int((time.monotonic() - started) * 1000)
    succeeded = status is not None and 200 <= status < 300
    if status is not None and not succeeded and not error:
        error = f"HTTP {status}"
    with transaction.atomic():
        message = WebhookMessage.objects.select_for_update().get(pk=message.pk)
        message.attempts += 1
        WebhookDelivery.objects.create(
            message=message,
            attempt=message.attempts,
            status_code=status,
            response_excerpt=excerpt,
            duration_ms=duration_ms,
            error=error,
            succeeded=succeeded,
            replay=replay,
        )
        deadline = message.created_at + dt.timedelta(hours=settings.API_WEBHOOKS_RETRY_HOURS)
        retry_in = None
        if succeeded:
            message.status, message.delivered_at = WebhookMessageStatus.DELIVERED, timezone.now()
        elif replay:
            pass  # a manual replay is one attempt; the automatic retries have their own course
        else:
            wait = dt.timedelta(minutes=backoff_minutes(message.attempts))
            if timezone.now() + wait <= deadline:
                retry_in = int(wait.total_seconds())
            else:
                message.status = WebhookMessageStatus.FAILED
        message.save(update_fields=["attempts", "status", "delivered_at"])
    logger.info(
        "Webhook message %s attempt %s to endpoint %s: %s (%s ms)",
        message.pk,
        message.attempts,
        endpoint.pk,
        status or error,
        duration_ms,
    )
    return retry_in
