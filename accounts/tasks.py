"""Background work of the accounts app: its e-mails, and the daily purge of abandoned drafts
(Celery beat)."""

from celery import shared_task
from django.core.mail import send_mail


# smtplib's errors are OSErrors, as are refused connections and timeouts: retried after 1, 2,
# 4… minutes (at most an hour apart), six times, then given up (the worker logs it).
@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=6)
def send_email(subject: str, body: str, to: str) -> None:
    """Send one e-mail prepared by ``accounts.emails.queue``."""
    send_mail(subject, body, None, [to])


@shared_task
def purge_drafts() -> dict:
    """Idempotent: a second run the same day finds nothing more to notice or purge."""
    from accounts.privacy.retention import purge_drafts as run

    report = run()
    return {"noticed": len(report.noticed), "purged": len(report.purged)}
