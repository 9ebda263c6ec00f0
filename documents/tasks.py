"""Celery tasks: thin, take ids, idempotent (the rules live in ``documents.services``)."""

from celery import shared_task
from django.conf import settings

from documents import services


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENTS_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENTS_TIME_LIMIT,
    max_retries=None,  # attempts are counted on the row (services.fail), not by Celery
)
def render_document(self, document_id: int) -> None:
    retry_in = services.run(document_id, task_id=self.request.id or "")
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(ignore_result=True)
def sweep_documents() -> list[int]:
    """Run by celery beat every DOCUMENTS_SWEEP_SECONDS (settings.CELERY_BEAT_SCHEDULE)."""
    return services.sweep()
