"""RNCP files uploaded at /certifier/rncp/: stored, then read by a worker. Every state change of
an upload goes through here.

Rules:
- an upload belongs to its uploader's organisations: their staff and superusers see it
  (``RncpUpload.objects.visible_to``), anyone else gets 404;
- the request only stores the file (refused past ``RNCP_UPLOAD_MAX_BYTES``) and a row, queued;
  the reading is published to a worker once the row commits; a broker that is down never fails
  the upload (logged; the sweeper publishes it again), as for generated documents;
- the worker claims the row (running, attempts + 1) and reads the whole flux within the limits
  (``parse_limits``), then stores, in one transaction, the index and each kept fiche parsed
  (``RncpUploadFiche``): ready. Previews read the stored fiche, never the file;
- a broken file, or one past a limit, is failed at once with the French reason; its file is
  deleted and nothing of it kept. A worker that fails otherwise is retried; after
  ``RNCP_PARSE_MAX_ATTEMPTS`` attempts the upload is failed;
- kept fiches: for a certifier's upload, those bearing a SIRET of the uploader's organisations
  (``kept_sirets``), the only ones its viewers may import; for a superuser's, all of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.enums import RncpUploadStatus
from certifications.models import Certifier, RncpUpload, RncpUploadFiche
from certifications.rncp.importer import parse_limits
from certifications.rncp.parser import Fiche, FluxReader, RncpFormatError, fiche_from_data, fiche_to_data
from certifications.rncp.splitter import inline_text

logger = logging.getLogger(__name__)
S = RncpUploadStatus
BATCH = 200  # fiches inserted per query while reading


def summary(fiche: Fiche) -> dict:
    return {
        "code": fiche.number,
        "title": inline_text(fiche.title)[:300],
        "sirets": sorted(fiche.sirets),
        "certifiers": [inline_text(c.commercial_name or c.name) for c in fiche.certifiers],
        "blocs": len(fiche.blocs),
        "level": fiche.level,
        "active": fiche.active,
        "vae": fiche.open_to_vae,
        "state": fiche.state,
    }


# --- in the request -----------------------------------------------------------------------


def create_upload(uploaded: UploadedFile, user) -> RncpUpload:
    """Store the file and queue its reading (published once the row commits)."""
    organisations = list(Certifier.objects.filter(staff=user)) if user is not None else []
    with transaction.atomic():
        upload = RncpUpload.objects.create(
            file=uploaded,
            original_name=uploaded.name[:255],
            size=uploaded.size or 0,
            uploaded_by=user,
            kept_sirets=None
            if user is None or user.is_superuser
            else sorted({org.siret for org in organisations if org.siret}),
            queued_at=timezone.now(),
        )
        upload.organisations.set(organisations)
        logger.info("RNCP upload %s (%s bytes) queued", upload.pk, upload.size)
        transaction.on_commit(lambda: publish(upload.pk))
    return upload


def publish(upload_id: int) -> bool:
    """Send the reading job to the broker; False (logged) when the broker cannot be reached."""
    try:
        parse_rncp_upload.apply_async((upload_id,), retry=True, retry_policy={"max_retries": 1})
    except Exception:  # broker down, DNS, timeout…: the sweeper will publish it again
        logger.exception("Could not publish the reading of RNCP upload %s; the sweeper will retry", upload_id)
        return False
    return True


def sweep(now: dt.datetime | None = None) -> list[int]:
    """Publish again the uploads left queued, or running, for too long; return their ids."""
    now = now or timezone.now()
    stale = Q(status=S.QUEUED, queued_at__lte=now - dt.timedelta(seconds=settings.RNCP_QUEUED_STALE_SECONDS)) | Q(
        status=S.RUNNING, started_at__lte=now - dt.timedelta(seconds=settings.RNCP_RUNNING_STALE_SECONDS)
    )
    with transaction.atomic():
        ids = list(RncpUpload.objects.select_for_update(skip_locked=True).filter(stale).values_list("pk", flat=True))
        RncpUpload.objects.filter(pk__in=ids).update(status=S.QUEUED, queued_at=now, task_id="")
    for pk in ids:
        logger.warning("RNCP upload %s was stale: queued again", pk)
        publish(pk)
    return ids


# --- in the worker ------------------------------------------------------------------------


def run(upload_id: int, task_id: str = "") -> int | None:
    """Claim, read and store an upload. Returns a delay in seconds when the job should be
    retried, None when it is over (ready, failed, or not this job's business)."""
    upload = claim(upload_id, task_id)
    if upload is None:
        return None
    try:
        _read_and_store(upload)
    except RncpFormatError as exc:
        return fail(upload_id, _("Fichier refusé : %(error)s") % {"error": exc}, final=True)
    except SoftTimeLimitExceeded:
        return fail(upload_id, _("Lecture interrompue : le fichier a pris trop de temps à lire."), final=True)
    except Exception as exc:
        logger.exception("Reading RNCP upload %s failed", upload_id)
        return fail(upload_id, _("Erreur pendant la lecture : %(error)s") % {"error": f"{type(exc).__name__}"})
    logger.info("RNCP upload %s ready", upload_id)
    return None


def claim(upload_id: int, task_id: str = "") -> RncpUpload | None:
    """Mark the upload running for this job, or None if the job must not read it: unknown,
    already ready or failed, or being read by another live job."""
    now = timezone.now()
    with transaction.atomic():
        upload = RncpUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status in (S.READY, S.FAILED):
            return None
        stale = now - dt.timedelta(seconds=settings.RNCP_RUNNING_STALE_SECONDS)
        if upload.status == S.RUNNING and upload.task_id != task_id and upload.started_at > stale:
            logger.info("RNCP upload %s is being read by job %s: job %s skipped", upload_id, upload.task_id, task_id)
            return None
        if upload.attempts >= settings.RNCP_PARSE_MAX_ATTEMPTS:
            _mark_failed(
                upload,
                upload.error or _("Abandon après %(n)s tentatives (lecture interrompue).") % {"n": upload.attempts},
            )
            return None
        upload.status = S.RUNNING
        upload.attempts += 1
        upload.started_at = now
        upload.task_id = task_id
        upload.save(update_fields=["status", "attempts", "started_at", "task_id"])
    logger.info("RNCP upload %s: attempt %s by %s:%s", upload_id, upload.attempts, socket.gethostname(), os.getpid())
    return upload


def _read_and_store(upload: RncpUpload) -> None:
    """Read the whole flux within the limits, storing the kept fiches as they come; all of it in
    one transaction, so that a file found broken at its end leaves nothing behind."""
    kept = None if upload.kept_sirets is None else set(upload.kept_sirets)
    index: list[dict] = []
    seen: set[str] = set()
    batch: list[RncpUploadFiche] = []
    with transaction.atomic():
        RncpUploadFiche.objects.filter(upload=upload).delete()  # a job delivered again starts over
        with upload.file.open("rb") as stream:
            reader = FluxReader(stream, limits=parse_limits())
            for fiche in reader:
                if kept is not None and not fiche.sirets & kept:
                    continue  # not the uploader's: none of their viewers could import it
                if fiche.number in seen:
                    continue  # a number given twice: the first one, as a search in the file finds it
                seen.add(fiche.number)
                index.append(summary(fiche))
                batch.append(RncpUploadFiche(upload=upload, code=fiche.number[:40], data=fiche_to_data(fiche)))
                if len(batch) >= BATCH:
                    RncpUploadFiche.objects.bulk_create(batch)
                    batch = []
            RncpUploadFiche.objects.bulk_create(batch)
        locked = RncpUpload.objects.select_for_update().get(pk=upload.pk)
        locked.status = S.READY
        locked.error = ""
        locked.flux_version = reader.version or ""
        locked.fiche_count = reader.fiche_count
        locked.index = index
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "error", "flux_version", "fiche_count", "index", "finished_at"])


def _mark_failed(upload: RncpUpload, error: str) -> None:
    """Failed for good: the reason is kept, the file is not (deleted once this commits)."""
    name = upload.file.name
    upload.status = S.FAILED
    upload.error = error[:2000]
    upload.finished_at = timezone.now()
    upload.file = ""
    upload.save(update_fields=["status", "error", "finished_at", "file"])
    if name:
        storage = RncpUpload._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def fail(upload_id: int, error: str, final: bool = False) -> int | None:
    """Record a failed attempt; the delay before the next one, or None once failed for good
    (``final``: the file itself is refused, reading it again would not help)."""
    with transaction.atomic():
        upload = RncpUpload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or upload.status == S.READY:
            return None
        if final or upload.attempts >= settings.RNCP_PARSE_MAX_ATTEMPTS:
            _mark_failed(upload, error)
            logger.warning("RNCP upload %s failed: %s", upload_id, error)
            return None
        upload.status = S.QUEUED
        upload.error = error
        upload.queued_at = timezone.now()
        upload.save(update_fields=["status", "error", "queued_at"])
    return 10 * upload.attempts


# --- reading what was stored --------------------------------------------------------------


def index_entry(upload: RncpUpload, code: str) -> dict | None:
    return next((entry for entry in upload.index if entry["code"] == code), None)


def stored_fiche(upload: RncpUpload, code: str) -> Fiche | None:
    """The fiche as the worker read it (one query; the file is not read again)."""
    row = RncpUploadFiche.objects.filter(upload=upload, code=code).values_list("data", flat=True).first()
    return fiche_from_data(row) if row is not None else None


# --- the Celery tasks: thin, take ids, idempotent (named as when they lived in certifications.tasks) ---


@shared_task(
    name="certifications.tasks.parse_rncp_upload",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def parse_rncp_upload(self, upload_id: int) -> None:
    """Read an uploaded RNCP flux and store its fiches; attempts are counted on the row."""
    retry_in = run(upload_id, task_id=self.request.id or "")
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="certifications.tasks.sweep_rncp_uploads", ignore_result=True)
def sweep_rncp_uploads() -> list[int]:
    """Run by celery beat (settings.CELERY_BEAT_SCHEDULE): publish again the stale uploads."""
    return sweep()
