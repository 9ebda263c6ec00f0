"""The antivirus hook: each uploaded file (a proof, an identity document) is scanned by clamd,
in a worker (``scan_file``, below). Every scan status change goes through here.

Rules:
- no clamd configured (``CLAMD_SOCKET`` and ``CLAMD_HOST`` unset): files are "not scanned" and
  downloadable as they are, as before;
- with clamd, a new file is "pending" and its scan is queued once the upload commits; a broker
  that is down never fails the upload (logged; the sweeper queues it again);
- certifiers and juries download a file only once it is clean (``permissions.file_released``);
  the candidate may download their own pending file (it came from their machine), never an
  infected one;
- an infected file leaves the media tree for ``QUARANTINE_DIR``; its row keeps the signature
  and loses the file; the candidate is told on their dossier page and by e-mail (a link only);
- clamd unreachable: the task retries, then the sweeper — the file stays pending, and blocked,
  meanwhile. clamd unable to scan it (an error reply, e.g. over its StreamMaxLength): "failed",
  blocked, logged for an administrator;
- a verdict is recorded only for the file that was scanned: an identity document replaced in
  the meantime waits for its own scan;
- a quarantine is a row of the dossier's audit trail (by the system); quarantined files are
  deleted after ``QUARANTINE_RETENTION_DAYS`` (time for an administrator to look at them);
- an app above registers its own kind of uploaded file here (``register_kind``: a message's
  attachment, for ``messaging``): the same scan, sweep and quarantine, its own audit action.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from celery import shared_task
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from audit import services as audit
from dossiers import clamd, notifications
from dossiers.enums import ScanStatus
from dossiers.models import Dossier, Proof

logger = logging.getLogger(__name__)
PROOF, IDENTITY = "proof", "identity"


@dataclass(frozen=True)
class _Fields:
    """Where each kind of file keeps its file and its scan."""

    model: type[models.Model]
    file: str
    status: str
    detail: str
    updated_at: str
    # For a kind registered from above: the dossier a file belongs to, and its audit action.
    dossier_of: Callable[[models.Model], Dossier] | None = None
    quarantined_action: str = ""


FileFields = _Fields  # what an app above gives register_kind

FIELDS = {
    PROOF: _Fields(Proof, "file", "scan_status", "scan_detail", "scan_updated_at"),
    IDENTITY: _Fields(
        Dossier, "identity_document", "identity_scan_status", "identity_scan_detail", "identity_scan_updated_at"
    ),
}


def register_kind(kind: str, fields: _Fields) -> None:
    """Scan the files of ``kind`` like proofs (an app above, in its ``AppConfig.ready``)."""
    FIELDS[kind] = fields


def enabled() -> bool:
    return bool(settings.CLAMD_SOCKET or settings.CLAMD_HOST)


def mark_new_file(obj: models.Model, kind: str) -> list[str]:
    """Set the scan fields of a file just stored (not saved); returns the fields to save.
    Call ``queue`` once the row is saved."""
    f = FIELDS[kind]
    setattr(obj, f.status, ScanStatus.PENDING if enabled() else ScanStatus.NOT_SCANNED)
    setattr(obj, f.detail, "")
    setattr(obj, f.updated_at, timezone.now() if enabled() else None)
    return [f.status, f.detail, f.updated_at]


def queue(kind: str, pk: int) -> None:
    """Publish the scan once the current transaction commits (nothing when no clamd is set)."""
    if enabled():
        transaction.on_commit(lambda: publish(kind, pk))


def publish(kind: str, pk: int) -> bool:
    """Send the scan job to the broker; False (logged) when the broker cannot be reached."""
    try:
        scan_file.apply_async((kind, pk), retry=True, retry_policy={"max_retries": 1})
    except Exception:  # broker down, DNS, timeout…: the sweeper will publish it again
        logger.exception("Could not publish the scan of %s %s; the sweeper will retry", kind, pk)
        return False
    return True


def scan(kind: str, pk: int) -> str | None:
    """Scan a pending file with clamd and record the verdict; returns the new status, or None
    when there was nothing to scan (done already, deleted, replaced). Raises
    ``clamd.ClamdUnavailable`` when clamd cannot be reached: the caller retries later."""
    f = FIELDS[kind]
    obj = f.model.objects.filter(pk=pk).first()
    if obj is None or getattr(obj, f.status) != ScanStatus.PENDING:
        return None
    field_file = getattr(obj, f.file)
    if not field_file:
        return None
    name = field_file.name
    try:
        with field_file.open("rb") as stream:
            verdict = clamd.instream(stream)
    except FileNotFoundError:
        logger.error("The file of %s %s is missing (%s): its scan failed", kind, pk, name)
        return record(kind, pk, name, ScanStatus.FAILED, "fichier introuvable")
    except clamd.ClamdError as error:
        logger.error("clamd could not scan %s %s: %s", kind, pk, error)
        return record(kind, pk, name, ScanStatus.FAILED, str(error))
    if verdict.infected:
        return record(kind, pk, name, ScanStatus.INFECTED, verdict.signature)
    return record(kind, pk, name, ScanStatus.CLEAN, "")


@transaction.atomic
def record(kind: str, pk: int, name: str, status: str, detail: str) -> str | None:
    """Record a verdict on the file ``name``, if it is still the one pending on the row."""
    f = FIELDS[kind]
    obj = f.model.objects.select_for_update().filter(pk=pk).first()
    if obj is None or getattr(obj, f.status) != ScanStatus.PENDING or getattr(obj, f.file).name != name:
        return None
    setattr(obj, f.status, status)
    setattr(obj, f.detail, detail[:255])
    setattr(obj, f.updated_at, timezone.now())
    fields = [f.status, f.detail, f.updated_at]
    if status == ScanStatus.INFECTED:
        storage = getattr(obj, f.file).storage
        setattr(obj, f.file, "")
        fields.append(f.file)
        target = f"{kind}-{pk}-{timezone.now():%Y%m%d%H%M%S}{PurePosixPath(name).suffix}.quarantine"
        transaction.on_commit(lambda: quarantine(storage, name, target))
        if f.dossier_of is None:  # the candidate's own files: they are e-mailed
            transaction.on_commit(lambda: notifications.file_quarantined(kind, pk))
        logger.warning("%s %s is infected (%s): quarantined as %s", kind, pk, detail, target)
    obj.save(update_fields=fields)
    if status == ScanStatus.INFECTED:
        if f.dossier_of is not None:
            action, changed, dossier = f.quarantined_action, obj, f.dossier_of(obj)
        elif kind == PROOF:
            action, changed, dossier = "proof.quarantined", obj, obj.dossier
        else:
            action, changed, dossier = "dossier.identity_quarantined", None, obj
        changes = {f.status: [ScanStatus.PENDING, status], f.file: [name, ""]}
        audit.record(
            action,
            actor=None,
            target=changed,
            dossier=dossier,
            changes=changes,
            comment=detail[:255],
        )
    return status


def quarantine(storage, name: str, target: str) -> Path | None:
    """Move a file out of the media tree into ``QUARANTINE_DIR``, readable by its owner only.
    If it cannot be moved, it is deleted: an infected file never stays under MEDIA_ROOT."""
    destination = Path(settings.QUARANTINE_DIR) / target
    try:
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.move(storage.path(name), destination)
        os.chmod(destination, 0o600)
        os.utime(destination)  # the retention counts from the quarantine
    except FileNotFoundError:
        return None
    except OSError:
        logger.exception("Could not quarantine %s: deleting it", name)
        storage.delete(name)
        return None
    return destination


def sweep(now: dt.datetime | None = None, stale_after: int | None = None) -> list[tuple[str, int]]:
    """Queue again the scans pending for longer than ``SCAN_STALE_SECONDS`` (broker or clamd
    down, message lost); returns what was queued. Run by celery beat."""
    if not enabled():
        return []
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SCAN_STALE_SECONDS if stale_after is None else stale_after)
    queued = []
    for kind, f in FIELDS.items():
        stale = {f.status: ScanStatus.PENDING, f"{f.updated_at}__lte": cutoff}
        with transaction.atomic():
            ids = list(f.model.objects.select_for_update(skip_locked=True).filter(**stale).values_list("pk", flat=True))
            f.model.objects.filter(pk__in=ids).update(**{f.updated_at: now})
        for pk in ids:
            logger.warning("The scan of %s %s was stale: queued again", kind, pk)
            publish(kind, pk)
            queued.append((kind, pk))
    return queued


def purge_quarantine(now: dt.datetime | None = None) -> list[str]:
    """Delete quarantined files older than ``QUARANTINE_RETENTION_DAYS``; returns their names."""
    folder = Path(settings.QUARANTINE_DIR)
    if not folder.is_dir():
        return []
    limit = (now or timezone.now()).timestamp() - settings.QUARANTINE_RETENTION_DAYS * 86400
    purged = []
    for path in folder.glob("*.quarantine"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            purged.append(path.name)
    return purged


# --- the Celery tasks: thin, take ids, idempotent (named as when they lived in dossiers.tasks) ---


@shared_task(
    name="dossiers.tasks.scan_file",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    default_retry_delay=30,
)
def scan_file(self, kind: str, pk: int) -> str | None:
    """Scan an uploaded file with clamd; retried while clamd cannot be reached."""
    try:
        return scan(kind, pk)
    except clamd.ClamdUnavailable as exc:
        raise self.retry(exc=exc) from exc


@shared_task(name="dossiers.tasks.sweep_scans", ignore_result=True)
def sweep_scans() -> list:
    """Run by celery beat: queue again the scans left pending too long; delete quarantined
    files past their retention."""
    purge_quarantine()
    return sweep()
