"""The one door for e-mails: every e-mail of the portal is rendered here and sent by a worker.

An app declares its e-mails in its own module (``accounts.emails``, ``dossiers.notifications``,
``juries.notifications``): for each one, who receives it and the context its templates need;
then it calls :func:`send`. This module does the rest, the same way for every e-mail.

Business rules:

- **Links only.** An e-mail says that something happened and links to the page that shows it,
  built on ``settings.SITE_URL``; it never carries dossier content (experiences, proofs, scores,
  files): what the portal protects behind a login stays behind it.
- **One template set per e-mail**, under ``templates/emails/``: ``<name>_subject.txt`` (folded
  onto one line) and ``<name>_body.txt``. The HTML part is that same text, escaped, with its
  paragraphs and links marked up, in the shared layout ``emails/base.html``: the wording has one
  source, and both parts always carry the same links. Every template gets ``site_url``.
- **Sent by a worker, on commit.** The e-mail is rendered at once (with what the caller sees) and
  handed to the broker once the current transaction commits (at once outside a transaction):
  nothing is sent for work that rolled back, and no request waits for, or fails because of, the
  SMTP server (nor does how long it takes say whether an address has an account).
- **Retries.** The one task, :func:`core.tasks.send_email`, retries a delivery that failed on an
  SMTP or connection error, with exponential backoff, and logs the e-mail it finally gave up on.
  A broker that cannot be reached is logged, never raised: what the request did is saved, and the
  person can ask again (a new link) or read the same news on the portal.
- The task runs on the ``emails`` queue (``settings.CELERY_TASK_ROUTES``), which every worker
  consumes besides the default one: an e-mail does not wait behind a burst of PDF renders.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import SafeString, mark_safe

from core.tasks import send_email

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """One e-mail, rendered: what the worker sends."""

    subject: str
    text: str
    html: str


class _WebLinks(Urlizer):
    """Django's urlize, for the http(s) addresses only: a name or an e-mail address that a person
    typed, and that ends up in a text, is never turned into a link."""

    simple_url_2_re = re.compile(r"(?!)")  # no bare domains ("example.org")

    @staticmethod
    def is_email_simple(value: str) -> bool:
        return False


def text_to_html(text: str) -> SafeString:
    """The HTML of a text body: escaped, its paragraphs as <p>, its line breaks as <br>, and its
    http(s) addresses as links."""
    return mark_safe(linebreaks(_WebLinks()(text.strip(), autoescape=True)))  # escaped by the urlizer


def render(name: str, context: dict[str, Any]) -> Email:
    """Render the e-mail ``name`` from ``templates/emails/<name>_subject.txt`` and ``_body.txt``;
    its HTML part is the same text laid out by ``emails/base.html``."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
    html = render_to_string("emails/base.html", {"subject": subject, "body": text_to_html(text)})
    return Email(subject, text, html)


def send(name: str, to: str, context: dict[str, Any]) -> None:
    """Render the e-mail ``name`` for ``to`` now; a worker sends it once the transaction commits."""
    email = render(name, context)
    transaction.on_commit(partial(publish, name, to, email))


def publish(name: str, to: str, email: Email) -> bool:
    """Hand a rendered e-mail to the broker; False (logged) when the broker cannot be reached."""
    try:
        send_email.apply_async(
            (email.subject, email.text, to, email.html, name), retry=True, retry_policy={"max_retries": 1}
        )
    except Exception:  # broker down, DNS, timeout…: what the request did is saved all the same
        logger.exception("Could not queue the %s e-mail", name)
        return False
    return True
