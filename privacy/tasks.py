"""Background work of personal data: the daily purge of abandoned drafts (Celery beat). Its
e-mails are sent by the one e-mail task, ``core.tasks.send_email``."""

from celery import shared_task

from privacy.retention import purge_drafts as run


# Its name from before the move out of accounts: the beat schedule and any message already queued use it.
@shared_task(name="accounts.tasks.purge_drafts")
def purge_drafts() -> dict:
    """Idempotent: a second run the same day finds nothing more to notice or purge."""
    report = run()
    return {"noticed": len(report.noticed), "purged": len(report.purged)}
