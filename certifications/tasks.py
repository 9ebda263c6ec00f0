"""Celery tasks of the certifications app: thin, take ids, idempotent (rules in
``certifications.rncp.uploads``)."""

from celery import shared_task

from certifications.rncp import uploads


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def parse_rncp_upload(self, upload_id: int) -> None:
    """Read an uploaded RNCP flux and store its fiches; attempts are counted on the row."""
    retry_in = uploads.run(upload_id, task_id=self.request.id or "")
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(ignore_result=True)
def sweep_rncp_uploads() -> list[int]:
    """Run by celery beat (settings.CELERY_BEAT_SCHEDULE): publish again the stale uploads."""
    return uploads.sweep()
