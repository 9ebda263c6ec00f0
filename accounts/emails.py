"""Plain-text e-mails of the accounts app, rendered from ``templates/emails/<event>_subject.txt``
and ``_body.txt`` and sent by a Celery worker (``accounts.tasks.send_email``).

Rules:
- e-mails carry links only (built on ``settings.SITE_URL``), never dossier content;
- an e-mail is rendered in the request and handed to the broker once the current transaction
  commits (at once outside a transaction): nothing is sent for work that rolled back, a slow or
  failing SMTP server neither slows down nor breaks a request, and how long a request takes says
  nothing about whether an address has an account;
- the worker retries a failed delivery; a broker that cannot be reached is logged, never
  raised: what the request did is saved, and the person can ask again.
"""

import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def render(event: str, context: dict[str, Any]) -> tuple[str, str]:
    """Return (subject, body) for ``event``; the subject is folded onto one line."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{event}_subject.txt", context).split())
    body = render_to_string(f"emails/{event}_body.txt", context).strip() + "\n"
    return subject, body


def queue(event: str, to: str, context: dict[str, Any]) -> None:
    """Render the e-mail ``event`` for ``to`` now; a worker sends it once the transaction commits."""
    subject, body = render(event, context)
    transaction.on_commit(partial(publish, event, subject, body, to))


def publish(event: str, subject: str, body: str, to: str) -> bool:
    """Hand a prepared e-mail to the broker; False (logged) when the broker cannot be reached."""
    from accounts.tasks import send_email

    try:
        send_email.apply_async((subject, body, to), retry=True, retry_policy={"max_retries": 1})
    except Exception:  # broker down, DNS, timeout…: the person can ask for the e-mail again
        logger.exception("Could not queue the %s e-mail", event)
        return False
    return True
