"""Celery tasks of the dossiers app: thin, take ids, idempotent (rules in ``dossiers.scanning``)."""

from celery import shared_task

from dossiers import clamd, scanning


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5, default_retry_delay=30)
def scan_file(self, kind: str, pk: int) -> str | None:
    """Scan an uploaded file with clamd; retried while clamd cannot be reached."""
    try:
        return scanning.scan(kind, pk)
    except clamd.ClamdUnavailable as exc:
        raise self.retry(exc=exc) from exc


@shared_task(ignore_result=True)
def sweep_scans() -> list:
    """Run by celery beat: queue again the scans left pending too long; delete quarantined
    files past their retention."""
    scanning.purge_quarantine()
    return scanning.sweep()
