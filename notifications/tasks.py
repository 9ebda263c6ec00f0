"""The notifications app's periodic work (beat: ``settings.CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from notifications import services


@shared_task
def send_daily_digests() -> int:
    """The morning's digest e-mails (8:00): one per person with something waiting, none otherwise."""
    return services.send_daily_digests()


@shared_task
def send_jury_reminders() -> int:
    """Remind jury members of a session soon (``JURY_REMINDER_DAYS``), once per session."""
    return services.send_jury_reminders()
