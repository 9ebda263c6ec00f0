"""Celery tasks of the jury app: thin, take ids, idempotent (the rules live in ``juries.pdf``)."""

from celery import shared_task

from juries import pdf


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def render_jury_document(self, document_id: int) -> None:
    """Render a procès-verbal, decision letter or attestation; attempts are counted on the row."""
    retry_in = pdf.run(document_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)
