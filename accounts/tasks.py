"""Background work of the accounts app: the daily purge of abandoned drafts (Celery beat). Its
e-mails are sent by the one e-mail task, ``core.tasks.send_email``."""

from celery import shared_task


@shared_task
def purge_drafts() -> dict:
    """Idempotent: a second run the same day finds nothing more to notice or purge."""
    from accounts.privacy.retention import purge_drafts as run

    report = run()
    return {"noticed": len(report.noticed), "purged": len(report.purged)}
