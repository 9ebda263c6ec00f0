"""The one Celery task that sends e-mails (queued by :mod:`core.emails`, on the ``emails`` queue)."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


class EmailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Once the retries are spent (or on an error that is not retried): say which e-mail to
        whom was lost, for an administrator to tell the person another way."""
        sent = {**dict(zip(("subject", "body", "to", "html", "name"), args, strict=False)), **(kwargs or {})}
        logger.error(
            "Gave up sending the e-mail %s (%r) to %s after %d attempt(s), task %s: %r",
            sent.get("name", ""),
            sent.get("subject"),
            sent.get("to"),
            self.request.retries + 1,
            task_id,
            exc,
        )


# smtplib's errors are OSErrors, as are refused connections and timeouts (settings.EMAIL_TIMEOUT):
# retried after about 1, 2, 4… minutes (at most an hour apart), six times, then given up and logged.
@shared_task(base=EmailTask, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=3600, max_retries=6)
def send_email(subject: str, body: str, to: str, html: str = "", name: str = "") -> None:
    """Send one e-mail rendered by ``core.emails``: its text, and ``html`` as an alternative.
    ``name`` (the template set's) only says which e-mail it is in the logs."""
    message = EmailMultiAlternatives(subject, body, None, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
