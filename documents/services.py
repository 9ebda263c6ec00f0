"""Every state change of a generated document, of every kind (``documents.registry``), goes through here.

Rules:
- a submitted snapshot, a jury convocation, a jury session has one document per kind: asking
  again returns it (idempotent); when the owner's data change (a convocation moved), the
  document is replaced (``replace_document``);
- the row is saved in the caller's transaction; the Celery job is published once it commits,
  and a broker that is down never fails the caller: the error is logged, the row stays
  queued and the sweeper publishes it again later;
- a worker claims the row before rendering (running, attempts + 1) and the first render to
  finish wins: a document is done exactly once, with one file, even if a job was delivered
  twice (worker killed, sweeper);
- a render that fails is retried; after ``DOCUMENTS_MAX_ATTEMPTS`` attempts the document is
  failed with the error, until someone asks for a retry: ``DOCUMENTS_MAX_RETRIES`` times at
  most for a document (an administrator is not limited);
- a candidate asks for at most ``PREVIEWS_PER_HOUR`` draft previews an hour (a preview still
  queued or running is returned, and not counted);
- draft previews are rendered from their own Celery queue (``DOCUMENTS_PREVIEW_QUEUE``), the
  submitted dossiers' PDFs from the default one: a worker takes from both in turn, so a flood
  of previews never holds an official PDF back by more than the render under way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import DomainError
from documents import registry
from documents.enums import DocumentKind, DocumentStatus
from documents.models import GeneratedDocument
from dossiers.models import Dossier, Snapshot

logger = logging.getLogger(__name__)
S = DocumentStatus


class DocumentError(DomainError):
    """A refused action; the message is shown to the user as it is."""


# --- asking for a document ----------------------------------------------------------------


def request_document(
    kind: str,
    dossier: Dossier | None = None,
    snapshot: Snapshot | None = None,
    actor=None,
    *,
    convocation=None,
    session=None,
) -> GeneratedDocument:
    """The document of ``kind`` (a code of ``documents.registry``) for its owner, created and
    queued if new: a dossier's ``snapshot``, a jury ``convocation`` or a jury ``session``.

    For a draft preview (no snapshot), a preview still queued or running is returned rather
    than a second one; a finished preview is replaced (row and file) by a new one, since the
    draft moved.
    """
    owner = registry.get(kind).owner  # KeyError: a kind nobody registered
    with transaction.atomic():
        if owner != "dossier":
            lookup = {"convocation": convocation} if owner == "convocation" else {"session": session}
            document, created = GeneratedDocument.objects.get_or_create(
                kind=kind, **lookup, defaults={"requested_by": actor, "queued_at": timezone.now()}
            )
        elif snapshot is not None:
            document, created = GeneratedDocument.objects.get_or_create(
                kind=kind,
                snapshot=snapshot,
                defaults={"dossier": dossier, "requested_by": actor, "queued_at": timezone.now()},
            )
        else:
            pending = (
                GeneratedDocument.objects.select_for_update()
                .filter(kind=kind, dossier=dossier, snapshot=None, status__in=[S.QUEUED, S.RUNNING])
                .first()
            )
            if pending:
                return pending
            assert dossier is not None, "a draft preview belongs to a dossier"
            _drop_previews(dossier)
            document = GeneratedDocument.objects.create(
                kind=kind, dossier=dossier, requested_by=actor, queued_at=timezone.now()
            )
            created = True
        if created:
            logger.info("Document %s (%s) queued", document.pk, document)
            transaction.on_commit(lambda: publish(document.pk, kind))
    return document


def replace_document(kind: str, actor=None, *, convocation=None, session=None) -> GeneratedDocument:
    """A fresh render of a jury owner's document whose data changed (a convocation moved or was
    cancelled): the old row goes now, its file once committed, and a new row is queued. A job
    still rendering the old row discards its result (``complete`` finds no row), so the file
    served is never the one of the old data."""
    owner = registry.get(kind).owner
    if owner == "dossier":
        raise ValueError("a dossier's documents are asked for by snapshot: use request_document")
    lookup = {"convocation": convocation} if owner == "convocation" else {"session": session}
    with transaction.atomic():
        old = list(GeneratedDocument.objects.select_for_update().filter(kind=kind, **lookup))
        names = [d.file.name for d in old if d.file and d.file.name]
        GeneratedDocument.objects.filter(pk__in=[d.pk for d in old]).delete()
        if names:
            storage = GeneratedDocument._meta.get_field("file").storage
            transaction.on_commit(lambda: _delete_files(storage, names))
        return request_document(kind, actor=actor, convocation=convocation, session=session)


def _drop_previews(dossier: Dossier) -> None:
    """A new preview replaces the earlier ones: their rows now, their files once committed."""
    old = list(GeneratedDocument.objects.filter(dossier=dossier, kind=DocumentKind.PREVIEW))
    names = [d.file.name for d in old if d.file and d.file.name]
    GeneratedDocument.objects.filter(pk__in=[d.pk for d in old]).delete()
    if names:
        storage = GeneratedDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: _delete_files(storage, names))


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def request_preview(dossier: Dossier, actor) -> GeneratedDocument:
    """A PDF of the draft as it stands, marked as a draft on every page (candidate only).
    Refused (``DocumentError``) past ``PREVIEWS_PER_HOUR`` new previews in the hour."""
    pending = GeneratedDocument.objects.filter(
        kind=DocumentKind.PREVIEW, dossier=dossier, snapshot=None, status__in=[S.QUEUED, S.RUNNING]
    ).first()
    if pending is None and not _count_preview(actor or dossier.candidate):
        raise DocumentError(
            ngettext(
                "Vous avez demandé %(n)s aperçu PDF au cours de la dernière heure : c'est le maximum. Votre "
                "brouillon reste enregistré ; vous pourrez demander un nouvel aperçu un peu plus tard.",
                "Vous avez demandé %(n)s aperçus PDF au cours de la dernière heure : c'est le maximum. Votre "
                "brouillon reste enregistré ; vous pourrez demander un nouvel aperçu un peu plus tard.",
                settings.PREVIEWS_PER_HOUR,
            )
            % {"n": settings.PREVIEWS_PER_HOUR}
        )
    return request_document(DocumentKind.PREVIEW, dossier, None, actor)


def _count_preview(user) -> bool:
    """Count one preview for ``user`` in the current hour's window; False once over the limit.
    Kept in the cache (shared by all processes with CACHE_URL, as the other throttles)."""
    key = f"documents:previews:{user.pk}"
    if cache.add(key, 1, 3600):
        return True
    try:
        return cache.incr(key) <= settings.PREVIEWS_PER_HOUR
    except ValueError:  # expired between add and incr
        cache.add(key, 1, 3600)
        return True


def can_retry(user, document: GeneratedDocument) -> bool:
    """May ``user`` ask for another render of this failed document? ``DOCUMENTS_MAX_RETRIES``
    manual retries per document; an administrator (superuser) is not limited."""
    return document.status == S.FAILED and (user.is_superuser or document.retries < settings.DOCUMENTS_MAX_RETRIES)


def retry_document(document: GeneratedDocument, actor) -> GeneratedDocument:
    """Start a failed document again, with a fresh count of attempts (see ``can_retry``)."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != S.FAILED:
            raise DocumentError(_("Ce document n'est pas en échec : il n'y a rien à relancer."))
        if not can_retry(actor, document):
            raise DocumentError(
                _(
                    "Ce PDF a déjà été relancé %(n)s fois sans succès : il ne peut plus l'être d'ici. "
                    "L'administrateur du portail peut le relancer après avoir vu la cause de l'échec."
                )
                % {"n": document.retries}
            )
        document.status = S.QUEUED
        document.attempts = 0
        document.retries += 1
        document.error = ""
        document.queued_at = timezone.now()
        document.save(update_fields=["status", "attempts", "retries", "error", "queued_at"])
        logger.info("Document %s retried by %s (retry %s)", document.pk, actor, document.retries)
        transaction.on_commit(lambda: publish(document.pk, document.kind))
    return document


def queue_for(kind: str) -> str:
    """The Celery queue that renders documents of ``kind`` (``Kind.queue``; draft previews
    have their own), the default queue otherwise."""
    queue = registry.get(kind).queue
    return queue() if queue is not None else settings.CELERY_TASK_DEFAULT_QUEUE


def publish(document_id: int, kind: str) -> bool:
    """Send the render job to the broker, on the queue of its kind; False (logged) when the
    broker cannot be reached."""
    from documents.tasks import render_document

    try:
        render_document.apply_async((document_id,), queue=queue_for(kind), retry=True, retry_policy={"max_retries": 1})
    except Exception:  # broker down, DNS, timeout…: the sweeper will publish it again
        logger.exception("Could not publish the render job of document %s; the sweeper will retry", document_id)
        return False
    return True


def sweep(
    now: dt.datetime | None = None, queued_after: int | None = None, running_after: int | None = None
) -> list[int]:
    """Publish again the documents left queued, or running, for too long; return their ids.

    Queued too long: the broker was down when they were asked for, or the message was lost.
    Running too long (beyond the hard time limit): the worker died in the middle.
    """
    now = now or timezone.now()
    queued_after = settings.DOCUMENTS_QUEUED_STALE_SECONDS if queued_after is None else queued_after
    running_after = settings.DOCUMENTS_RUNNING_STALE_SECONDS if running_after is None else running_after
    stale = Q(status=S.QUEUED, queued_at__lte=now - dt.timedelta(seconds=queued_after)) | Q(
        status=S.RUNNING, started_at__lte=now - dt.timedelta(seconds=running_after)
    )
    with transaction.atomic():
        rows = list(
            GeneratedDocument.objects.select_for_update(skip_locked=True).filter(stale).values_list("pk", "kind")
        )
        GeneratedDocument.objects.filter(pk__in=[pk for pk, _kind in rows]).update(
            status=S.QUEUED, queued_at=now, task_id=""
        )
    for pk, kind in rows:
        logger.warning("Document %s was stale: queued again", pk)
        publish(pk, kind)
    return [pk for pk, _kind in rows]


# --- rendering (called by the worker) -----------------------------------------------------


def run(document_id: int, task_id: str = "") -> int | None:
    """Claim, render and store a document. Returns a delay in seconds when the job should be
    retried, None when it is over (done, failed, or not this job's business)."""
    from celery.exceptions import SoftTimeLimitExceeded

    from documents import pdf  # WeasyPrint loads only where documents are rendered

    document = claim(document_id, task_id)
    if document is None:
        return None
    try:
        rendered = pdf.render_document(document)
    except SoftTimeLimitExceeded:
        error = _("Délai de génération dépassé (%(s)s s).") % {"s": settings.DOCUMENTS_SOFT_TIME_LIMIT}
    except Exception as exc:
        logger.exception("Rendering document %s failed", document_id)
        error = _("Erreur pendant la génération : %(error)s") % {"error": f"{type(exc).__name__}: {exc}"[:500]}
    else:
        complete(document_id, rendered)
        return None
    return fail(document_id, error)


def claim(document_id: int, task_id: str = "") -> GeneratedDocument | None:
    """Mark the document running for this job, or return None if the job must not render it:
    unknown, already done or failed, or being rendered by another live job."""
    now = timezone.now()
    with transaction.atomic():
        document = (
            GeneratedDocument.objects.select_for_update(of=("self",))
            .select_related("dossier", "snapshot")
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            logger.warning("Document %s does not exist (any more): job ignored", document_id)
            return None
        if document.status in (S.DONE, S.FAILED):
            return None
        stale = now - dt.timedelta(seconds=settings.DOCUMENTS_RUNNING_STALE_SECONDS)
        started_at = document.started_at
        if (
            document.status == S.RUNNING
            and document.task_id != task_id
            and started_at is not None
            and started_at > stale
        ):
            # A duplicate message (sweeper) while another job renders: leave it be. The same
            # task id means our own message came back after its worker died: take over.
            logger.info(
                "Document %s is being rendered by job %s: job %s skipped", document_id, document.task_id, task_id
            )
            return None
        if document.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
            document.status = S.FAILED
            document.error = document.error or _("Abandon après %(n)s tentatives (worker arrêté pendant le rendu).") % {
                "n": document.attempts
            }
            document.finished_at = now
            document.save(update_fields=["status", "error", "finished_at"])
            logger.error("Document %s failed after %s attempts", document_id, document.attempts)
            return None
        document.status = S.RUNNING
        document.attempts += 1
        document.started_at = now
        document.task_id = task_id
        document.worker = f"{socket.gethostname()}:{os.getpid()}"
        document.save(update_fields=["status", "attempts", "started_at", "task_id", "worker"])
    logger.info("Document %s: attempt %s by %s", document_id, document.attempts, document.worker)
    return document


def complete(document_id: int, rendered) -> GeneratedDocument | None:
    """Store the PDF and mark the document done, unless another job already did."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == S.DONE:
            # Done by another job, or deleted meanwhile (the dossier was erased): discard.
            logger.warning("Document %s is done or gone: this render is discarded", document_id)
            return document
        document.file.save("document.pdf", ContentFile(rendered.pdf), save=False)
        document.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        document.size = len(rendered.pdf)
        document.pages = rendered.pages
        document.pdfa = rendered.pdfa
        document.content_sha256 = rendered.content_sha256
        document.status = S.DONE
        document.error = ""
        document.finished_at = timezone.now()
        document.save()
    logger.info("Document %s done: %s pages, %s bytes", document_id, document.pages, document.size)
    return document


def fail(document_id: int, error: str) -> int | None:
    """Record a failed attempt; the delay before the next one, or None once failed for good."""
    with transaction.atomic():
        document = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == S.DONE:
            return None
        document.error = error
        if document.attempts >= settings.DOCUMENTS_MAX_ATTEMPTS:
            document.status = S.FAILED
            document.finished_at = timezone.now()
            retry_in = None
        else:
            document.status = S.QUEUED
            document.queued_at = timezone.now()
            retry_in = 10 * document.attempts
        document.save(update_fields=["status", "error", "finished_at", "queued_at"])
    return retry_in
