"""Every state change of the France VAE connector.

- ``save_connection`` / ``set_paused``: an organisation's settings (the token encrypted).
- ``pull``: reads the dossiers de faisabilité sent to the organisation and brings each new one in
  as a dossier in the certifier's queue (``receive_feasibility``), once: a second read of the same
  content changes nothing, a changed one adds what is new (documents; back in the queue when a
  dossier « à compléter » was sent again). Files go through ``dossiers.uploads.check_upload``.
- ``queue_message`` / ``deliver``: the outbox. A message is created once per event (unique key)
  and sent once; a failure that may pass (5xx, timeout) is tried again later, up to
  ``FRANCE_VAE_MAX_ATTEMPTS``; a refusal (4xx) stops and is shown in the sync log. A message
  that carries a portal PDF (the decision letter, the convocation) waits for the worker to
  render it (``document_ready`` hands it on at once), and leaves without it only if it failed or
  did not come within ``FRANCE_VAE_DOCUMENT_WAIT_SECONDS``: the field is optional at France VAE.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import normalize_email
from certifications.models import Certification
from core.errors import DomainError
from documents import services as documents
from documents.enums import DocumentKind as GeneratedKind
from documents.enums import DocumentStatus
from documents.models import GeneratedDocument
from documents.registry import get as document_kind
from dossiers import services as dossier_services
from dossiers import uploads
from dossiers.enums import DossierStatus as S
from dossiers.enums import ExperienceKind, SnapshotKind
from dossiers.models import TRANSITIONS, Dossier, Experience, Feasibility, Snapshot, TransitionLog
from dossiers.snapshots import build_content, canonical_sha256
from francevae import secrets
from francevae.client import Client, FranceVaeError, Refused, Transient
from francevae.enums import Direction, DocumentKind, MessageStatus
from francevae.models import Connection, FranceVaeDocument, FranceVaeLink, OutboxMessage, SyncEntry

logger = logging.getLogger(__name__)
PAGE_SIZE = 100  # France VAE's maximum ``limite``


class ConnectorError(DomainError):
    pass


# --- the connection -----------------------------------------------------------------------


@transaction.atomic
def save_connection(organisation, *, base_url: str, authority_id: str, token: str = "", invite_candidates: bool):
    """Create or update ``organisation``'s connection; an empty ``token`` keeps the stored one."""
    connection, _created = Connection.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"base_url": base_url, "authority_id": authority_id}
    )
    connection.base_url = base_url.rstrip("/")
    connection.authority_id = authority_id.strip()
    connection.invite_candidates = invite_candidates
    if token:
        connection.token_encrypted = secrets.encrypt(token.strip())
    if not connection.token_encrypted:
        raise ConnectorError(_("Indiquez le jeton d'accès fourni par France VAE."))
    connection.save()
    return connection


@transaction.atomic
def set_paused(connection: Connection, paused: bool) -> Connection:
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    connection.paused = paused
    connection.save(update_fields=["paused", "updated_at"])
    if not paused:
        from francevae import tasks

        transaction.on_commit(tasks.flush_outbox.delay, robust=True)  # beat flushes anyway
    return connection


def client_for(connection: Connection, timeout: float | None = None) -> Client:
    try:
        token = secrets.decrypt(connection.token_encrypted)
    except secrets.SecretUnreadable:
        raise ConnectorError(_("Le jeton d'accès enregistré est illisible : saisissez-le à nouveau.")) from None
    return Client(connection.base_url, token, timeout=timeout)


def test_connection(connection: Connection) -> str:
    """Read one dossier de faisabilité: proves the address and the token. Returns a French message."""
    try:
        client_for(connection).get("/dossiersDeFaisabilite", decalage=0, limite=1)
    except FranceVaeError as exc:
        if exc.status in (401, 403):
            raise ConnectorError(_("France VAE refuse le jeton d'accès (HTTP %(s)s).") % {"s": exc.status}) from None
        raise ConnectorError(_("Connexion impossible : %(e)s.") % {"e": exc}) from None
    return _("Connexion réussie : France VAE a répondu.")


def log(connection, link, direction, summary, *, ok=True, status=None, answer="") -> SyncEntry:
    return SyncEntry.objects.create(
        connection=connection,
        link=link,
        direction=direction,
        summary=summary[:255],
        ok=ok,
        status_code=status,
        answer=answer[:2000],
    )


# --- in: pull -----------------------------------------------------------------------------


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _pages(client: Client, path: str):
    offset = 0
    while True:
        answer = client.get(path, decalage=offset, limite=PAGE_SIZE)
        if answer.status == 204:  # France VAE answers 204 when there is nothing
            return
        items = (answer.json() or {}).get("data") or []
        yield from items
        if len(items) < PAGE_SIZE:
            return
        offset += PAGE_SIZE


def pull(connection: Connection) -> dict[str, int]:
    """Read the dossiers de faisabilité then de validation of ``connection``; count what happened."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
    client = client_for(connection)
    seen: set[str] = set()
    try:
        for item in _pages(client, "/dossiersDeFaisabilite"):
            candidature_id = str(item.get("candidatureId") or "")
            if not candidature_id or candidature_id in seen:  # a candidature listed twice is read once
                continue
            seen.add(candidature_id)
            try:
                outcome = receive_feasibility(connection, client, item)
            except (DomainError, uploads.UploadRejected, Refused) as exc:
                counts["errors"] += 1
                log(
                    connection,
                    FranceVaeLink.objects.filter(connection=connection, candidature_id=candidature_id).first(),
                    Direction.IN,
                    _("Candidature %(id)s non reçue") % {"id": candidature_id},
                    ok=False,
                    status=getattr(exc, "status", None),
                    answer=str(exc),
                )
            else:
                counts[outcome] += 1
        for item in _pages(client, "/dossiersDeValidation"):
            receive_validation(connection, client, item)
    except Transient as exc:
        _finish(connection, ok=False, error=str(exc))
        raise
    _finish(connection, ok=counts["errors"] == 0, error="")
    return counts


def _finish(connection: Connection, *, ok: bool, error: str) -> None:
    Connection.objects.filter(pk=connection.pk).update(
        last_sync_at=timezone.now(), last_sync_ok=ok, last_error=error[:2000]
    )


def _same_origin(a: str, b: str) -> bool:
    return urlsplit(a)[:2] == urlsplit(b)[:2]


def _download(client: Client, files: list[dict]) -> list[SimpleUploadedFile]:
    """Fetch each file (the token only goes to France VAE's own host), bounded by the upload limit."""
    downloaded = []
    for f in files:
        url = f.get("url") or ""
        if not url:
            continue
        if url.startswith("/"):
            base = urlsplit(client.base_url)
            url = f"{base.scheme}://{base.netloc}{url}"
        auth = _same_origin(url, client.base_url)
        anonymous = Client(client.base_url, client.token if auth else "", client.timeout)
        answer = anonymous.request("GET", url, absolute=True, max_bytes=settings.UPLOAD_MAX_BYTES)
        name = (f.get("nom") or "document")[:200]
        downloaded.append(SimpleUploadedFile(name, answer.body, f.get("typeMime") or "application/octet-stream"))
    return downloaded


def _store_documents(link: FranceVaeLink, kind: str, files: list[SimpleUploadedFile]) -> int:
    """Check every file first (nothing half-stored), then keep the ones not already held."""
    checked = [(f, uploads.check_upload(f)) for f in files]
    added = 0
    for upload, c in checked:
        if link.documents.filter(sha256=c.sha256).exists():
            continue
        doc = FranceVaeDocument(
            link=link, kind=kind, name=c.name, content_type=c.content_type, size=c.size, sha256=c.sha256
        )
        upload.seek(0)
        doc.file.save(c.name, upload, save=False)
        doc.save()
        added += 1
    return added


def _certification(connection: Connection, code_rncp: str) -> Certification:
    code = code_rncp.strip().upper()
    if code and not code.startswith(("RNCP", "RS")):
        code = f"RNCP{code}"
    certification = (
        Certification.objects.published()
        .filter(certifiers=connection.organisation, code=code)
        .order_by("-version")
        .first()
    )
    if certification is None:
        raise ConnectorError(
            _("La certification %(code)s n'est pas publiée par %(org)s sur le portail.")
            % {"code": code or "?", "org": connection.organisation}
        )
    return certification


def _candidate(data: dict):
    """The account of this e-mail (any case), or a new active one without a password; (user, created)."""
    email = normalize_email(data.get("email") or "")
    if not email:
        raise ConnectorError(_("La candidature n'indique pas l'e-mail du candidat."))
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user, False
    user = User.objects.create_user(
        email=email,
        password=None,
        first_name=(data.get("prenom") or "")[:150],
        last_name=(data.get("nomUsage") or data.get("nom") or "")[:150],
    )
    return user, True


def _experience(data: dict) -> Experience:
    try:
        start = dt.date.fromisoformat(data.get("dateDemarrage") or "")
    except ValueError:
        raise ConnectorError(_("Une expérience n'a pas de date de démarrage lisible.")) from None
    duration = data.get("duree") or ""
    activities = data.get("description") or data.get("titre") or "—"
    if duration:
        activities += "\n\n" + _("Durée déclarée sur France VAE : %(d)s") % {"d": duration}
    return Experience(
        kind=ExperienceKind.OTHER,
        organisation=_("(non précisé sur France VAE)"),
        role=(data.get("titre") or "—")[:255],
        start_date=start,
        activities=activities,
    )


def _enter_queue(dossier: Dossier, comment: str) -> Dossier:
    """Move a draft (or « à compléter ») dossier to « recevabilité demandée », as the candidate's
    sending on France VAE did. The rows are those of ``dossiers.services.request_feasibility``,
    the candidate as their author (they sent it, on France VAE): the version frozen (``Snapshot``),
    its PDF asked for (``documents``), the move logged (``TransitionLog``) with ``comment``. What
    differs: no completeness check and no request limit (France VAE checked its own dossier), and
    no portal e-mail (France VAE informs its candidates)."""
    dossier = Dossier.objects.select_for_update().select_related("candidate").get(pk=dossier.pk)
    if S.FEASIBILITY_SUBMITTED not in TRANSITIONS[dossier.status]:
        raise ConnectorError(_("Le dossier ne peut pas revenir en recevabilité depuis son état actuel."))
    actor = dossier.candidate
    content = build_content(dossier)
    snapshot = Snapshot.objects.create(
        dossier=dossier,
        kind=SnapshotKind.FEASIBILITY,
        number=Snapshot.objects.filter(dossier=dossier, kind=SnapshotKind.FEASIBILITY).count() + 1,
        content=content,
        sha256=canonical_sha256(content),
        created_by=actor,
    )
    documents.request_document(GeneratedKind.FEASIBILITY, dossier, snapshot, actor)
    from_status = dossier.status
    dossier.status = S.FEASIBILITY_SUBMITTED
    dossier.feasibility_submitted_at = dossier.feasibility_submitted_at or timezone.now()
    dossier.save(update_fields=["status", "feasibility_submitted_at", "updated_at"])
    # The certifier's two months run from this reception too (Code du travail L6412-2).
    Feasibility.objects.update_or_create(
        dossier=dossier, defaults={"received_at": timezone.now(), "reminder_sent_at": None, "sections_to_complete": []}
    )
    TransitionLog.objects.create(
        dossier=dossier, from_status=from_status, to_status=S.FEASIBILITY_SUBMITTED, actor=actor, comment=comment
    )
    return dossier


def receive_feasibility(connection: Connection, client: Client, item: dict) -> str:
    """Bring one dossier de faisabilité in; "created", "updated" or "unchanged"."""
    candidature_id = str(item["candidatureId"])
    digest = _digest(item)
    link = FranceVaeLink.objects.filter(connection=connection, candidature_id=candidature_id).first()
    if link and link.feasibility_hash == digest:
        return "unchanged"
    status = item.get("statut") or ""
    if link is None and status != "EN_ATTENTE":
        return "unchanged"  # decided before the connection existed: nothing for the queue
    files = _download(client, item.get("documents") or [])
    if link is None:
        candidature = (client.get(f"/candidatures/{candidature_id}").json() or {}).get("data") or {}
        return _create(connection, candidature_id, digest, status, item, candidature, files)
    return _update(link, digest, status, files)


@transaction.atomic
def _create(connection, candidature_id, digest, status, item, candidature, files) -> str:
    certification = _certification(connection, (candidature.get("certification") or {}).get("codeRncp") or "")
    candidate, created = _candidate(candidature.get("candidat") or {})
    dossier = dossier_services.start_dossier(candidate, certification)
    for exp in item.get("experiences") or []:
        dossier_services.save_experience(dossier, _experience(exp), actor=None)
    try:
        with transaction.atomic():
            link = FranceVaeLink.objects.create(
                connection=connection,
                candidature_id=candidature_id,
                dossier=dossier,
                feasibility_hash=digest,
                feasibility_status=status,
            )
    except IntegrityError:  # another worker brought it in meanwhile
        raise ConnectorError(_("Candidature déjà reçue.")) from None
    added = _store_documents(link, DocumentKind.FEASIBILITY, files)
    _enter_queue(dossier, _("Dossier de faisabilité reçu de France VAE"))
    log(
        connection,
        link,
        Direction.IN,
        _("Dossier de faisabilité reçu (%(n)s document(s))") % {"n": added},
        status=200,
    )
    if created and connection.invite_candidates:
        from francevae.notifications import invite_candidate

        invite_candidate(candidate, dossier, connection)
    return "created"


@transaction.atomic
def _update(link: FranceVaeLink, digest: str, status: str, files) -> str:
    link = FranceVaeLink.objects.select_for_update().select_related("dossier", "connection").get(pk=link.pk)
    added = _store_documents(link, DocumentKind.FEASIBILITY, files)
    summary = _("Dossier de faisabilité modifié sur France VAE (%(n)s nouveau(x) document(s))") % {"n": added}
    if status == "EN_ATTENTE" and link.dossier.status == S.FEASIBILITY_INCOMPLETE:
        _enter_queue(link.dossier, _("Dossier de faisabilité complété sur France VAE"))
        summary = _("Dossier de faisabilité complété et renvoyé (%(n)s nouveau(x) document(s))") % {"n": added}
    link.feasibility_hash = digest
    link.feasibility_status = status
    link.save(update_fields=["feasibility_hash", "feasibility_status", "updated_at"])
    log(link.connection, link, Direction.IN, summary, status=200)
    return "updated"


def receive_validation(connection: Connection, client: Client, item: dict) -> None:
    """The dossier de validation's files, kept beside the dossier (the portal's own dossier de
    validation stays the structured one the candidate fills in)."""
    link = FranceVaeLink.objects.filter(connection=connection, candidature_id=str(item.get("candidatureId"))).first()
    digest = _digest(item)
    if link is None or link.validation_hash == digest:
        return
    try:
        files = _download(client, item.get("documents") or [])
        with transaction.atomic():
            added = _store_documents(link, DocumentKind.VALIDATION, files)
            FranceVaeLink.objects.filter(pk=link.pk).update(validation_hash=digest)
            log(connection, link, Direction.IN, _("Dossier de validation reçu (%(n)s document(s))") % {"n": added})
    except (uploads.UploadRejected, Refused) as exc:
        log(connection, link, Direction.IN, _("Dossier de validation non reçu"), ok=False, answer=str(exc))


# --- out: the outbox ----------------------------------------------------------------------


def queue_message(
    link: FranceVaeLink,
    kind: str,
    key: str,
    method: str,
    path: str,
    fields: dict,
    multipart: bool,
    attachment: dict | None = None,
):
    """Create the message for this event unless it exists; sent by a worker once committed.
    ``attachment``: the portal PDF sent as its ``document`` (``attach(kind, owner=…)``)."""
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "connection_id": link.connection_id,
            "link": link,
            "kind": kind,
            "method": method,
            "path": path,
            "fields": fields,
            "multipart": multipart,
            "attachment": attachment or {},
        },
    )
    if created:
        transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id: int) -> bool:
    """Hand the message to a worker; False (logged) when the broker cannot be reached: the row
    stays « à envoyer » and beat's ``flush_outbox`` hands it again (the decision itself is saved)."""
    from francevae import tasks

    try:
        tasks.deliver_message.apply_async((message_id,), retry=True, retry_policy={"max_retries": 1})
    except Exception:  # broker down, DNS, timeout…: flush_outbox publishes it again
        logger.exception("Could not publish France VAE message %s; flush_outbox will", message_id)
        return False
    return True


def attach(kind: str, *, fresh: bool = False, **owner) -> dict:
    """What a message carries as its ``document``: the generated document of ``kind`` of one
    owner (``snapshot=…`` or ``convocation=…``), found when the message leaves. ``fresh``: only
    a document asked for after the message, for a PDF rendered again once the event commits (a
    moved convocation's old PDF still exists when its message is created)."""
    ((name, instance),) = owner.items()
    return {"kind": str(kind), "owner": name, "id": instance.pk, "fresh": fresh}


class _NotReady(Exception):
    """The PDF a message carries is still being rendered."""


def _document_of(message: OutboxMessage) -> GeneratedDocument | None:
    attachment = message.attachment
    documents = GeneratedDocument.objects.filter(
        kind=attachment["kind"], **{f"{attachment['owner']}_id": attachment["id"]}
    )
    if attachment.get("fresh"):
        documents = documents.filter(created_at__gte=message.created_at)
    return documents.order_by("-pk").first()


def _attached_files(message: OutboxMessage) -> tuple[dict, str]:
    """The ``files`` of the request and a note for the sync log; ``_NotReady`` while the PDF is
    being rendered and the wait is not over."""
    if not message.attachment:
        return {}, ""
    document = _document_of(message)
    waited = timezone.now() - message.created_at
    if document is not None and document.status == DocumentStatus.DONE and document.file:
        with document.file.open("rb") as f:
            content = f.read()
        name = document_kind(document.kind).file_name(document)
        return {"document": (name, content, "application/pdf")}, ""
    if document is not None and document.status == DocumentStatus.FAILED:
        return {}, _(" (sans le PDF : il n'a pas pu être produit)")
    # None: not asked for yet (a convocation's PDF is asked for once the convocation commits).
    if waited < dt.timedelta(seconds=settings.FRANCE_VAE_DOCUMENT_WAIT_SECONDS):
        raise _NotReady
    return {}, _(" (sans le PDF : il n'était toujours pas prêt)")


def document_ready(document: GeneratedDocument) -> int:
    """A PDF is ready: the messages waiting for it leave now (after the commit that stored it)."""
    waiting = list(
        OutboxMessage.objects.filter(
            status=MessageStatus.PENDING,
            attachment__kind=document.kind,
            attachment__owner="convocation" if document.convocation_id else "snapshot",
            attachment__id=document.convocation_id or document.snapshot_id,
        ).values_list("pk", flat=True)
    )
    for pk in waiting:
        transaction.on_commit(functools.partial(publish, pk))
    return len(waiting)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(settings.FRANCE_VAE_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 6 * 3600))


@transaction.atomic
def deliver(message_id: int, *, timeout: float | None = None) -> OutboxMessage:
    """Send one message if it is still to be sent (row locked: two workers never both send it)."""
    message = OutboxMessage.objects.select_for_update().select_related("connection", "link").get(pk=message_id)
    connection = message.connection
    if message.status != MessageStatus.PENDING or connection.paused:
        return message
    try:
        files, note = _attached_files(message)
    except _NotReady:
        # Not a failure: nothing counted, no retry of this task. The worker that renders the PDF
        # hands the message on (``document_ready``), beat's ``flush_outbox`` otherwise.
        if message.next_attempt_at is not None:
            message.next_attempt_at = None
            message.save(update_fields=["next_attempt_at"])
        return message
    message.attempts += 1
    label = message.get_kind_display()
    try:
        client = client_for(connection, timeout=timeout)
        if message.multipart:
            answer = client.request(message.method, message.path, fields=message.fields, files=files)
        else:
            answer = client.request(message.method, message.path, json_body=message.fields)
    except (Transient, ConnectorError) as exc:
        final = message.attempts >= settings.FRANCE_VAE_MAX_ATTEMPTS
        message.status = MessageStatus.FAILED if final else MessageStatus.PENDING
        message.next_attempt_at = None if final else timezone.now() + _backoff(message.attempts)
        message.last_error = str(exc)
        log(
            connection,
            message.link,
            Direction.OUT,
            _("%(l)s : échec, nouvel essai prévu") % {"l": label}
            if not final
            else _("%(l)s : abandonné") % {"l": label},
            ok=False,
            status=getattr(exc, "status", None),
            answer=getattr(exc, "body", "") or str(exc),
        )
    except Refused as exc:
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        message.last_error = str(exc)
        log(
            connection,
            message.link,
            Direction.OUT,
            _("%(l)s : refusé par France VAE") % {"l": label},
            ok=False,
            status=exc.status,
            answer=exc.body,
        )
    else:
        message.status = MessageStatus.SENT
        message.sent_at = timezone.now()
        message.next_attempt_at = None
        message.last_error = ""
        log(
            connection,
            message.link,
            Direction.OUT,
            (_("Envoyé à France VAE : %(l)s, avec le PDF") if files else _("Envoyé à France VAE : %(l)s"))
            % {"l": label}
            + note,
            status=answer.status,
            answer=answer.text,
        )
    message.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "sent_at"])
    return message


def due_messages():
    now = timezone.now()
    return OutboxMessage.objects.filter(status=MessageStatus.PENDING, connection__paused=False).exclude(
        next_attempt_at__gt=now
    )
