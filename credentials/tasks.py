"""Celery task of the badges: thin, takes an id, idempotent (rules in ``credentials.services``)."""

from celery import shared_task

from credentials import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def issue_session_badges(session_id: int) -> None:
    services.issue_for_session(session_id)
