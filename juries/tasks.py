"""Celery tasks: thin, take ids, idempotent (the rules live in ``juries.services``)."""

from celery import shared_task

from juries.services import convocations


@shared_task(ignore_result=True)
def send_convocation_reminders() -> list[int]:
    """Run by celery beat every morning (settings.CELERY_BEAT_SCHEDULE): the reminders due."""
    return convocations.send_reminders()
