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
- **Written the same way.** :func:`render` gives every template ``greeting_name`` (the full name
  of the person the e-mail goes to, found in the context: ``recipient``, or any object of the
  context, or its ``user``, whose address is the one written to; empty when none: the include
  ``emails/_greeting.txt`` then says "Madame, Monsieur,") and ``signature_certifier`` (the
  certifier of the certification the e-mail is about: ``certification``, ``dossier``,
  ``session`` or ``convocation`` of the context; ``emails/_signature.txt`` signs with it). Subject
  and text then get French typography (:func:`french_typography`: a no-break space before
  ; : ! ? and inside « »), whatever the template or a translation wrote.
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


_SPACE_BEFORE = re.compile(r"[ \u202f]+([;:!?])(?=\s|$|[»)])")
_NO_SPACE_BEFORE = re.compile(r"(?<=[\w»)])([;!?])(?=\s|$)")
_GUILLEMETS_OPEN = re.compile(r"«[ \u202f]*")
_GUILLEMETS_CLOSE = re.compile(r"[ \u202f]*»")


def french_typography(text: str) -> str:
    """A no-break space (U+00A0) before ; : ! ? and inside « », in place of a plain space or of
    none (not in addresses: "https://…?a=1" has no space before its signs)."""
    text = _SPACE_BEFORE.sub("\u00a0\\1", text)
    text = _NO_SPACE_BEFORE.sub("\u00a0\\1", text)
    text = _GUILLEMETS_OPEN.sub("«\u00a0", text)
    return _GUILLEMETS_CLOSE.sub("\u00a0»", text)


def _full_name(person: Any) -> str:
    get_full_name = getattr(person, "get_full_name", None)
    return get_full_name().strip() if callable(get_full_name) else ""


def greeting_name(context: dict[str, Any], to: str | None) -> str:
    """The full name of the person written to: ``context["recipient"]``, or the object of the
    context (or its ``user``) whose e-mail address is ``to``; empty when no name is known."""
    if "recipient" in context:
        return _full_name(context["recipient"])
    if not to:
        return ""
    for value in context.values():
        for person in (value, getattr(value, "user", None)):
            address = getattr(person, "email", None)
            if isinstance(address, str) and address.lower() == to.lower():
                return _full_name(person)
    return ""


def signature_certifier(context: dict[str, Any]) -> str:
    """The name of the certifier of the certification the e-mail is about (the first of them,
    by name), found in the context; empty when the e-mail is about none (account e-mails)."""
    certification = context.get("certification")
    for key in ("dossier", "session", "convocation"):
        if certification is None and context.get(key) is not None:
            certification = getattr(context[key], "certification", None) or getattr(
                getattr(context[key], "session", None), "certification", None
            )
    certifiers = getattr(certification, "certifiers", None)
    if certifiers is None:
        return ""
    names = sorted(str(certifier) for certifier in certifiers.all())
    return names[0] if names else ""


def render(name: str, context: dict[str, Any], to: str | None = None) -> Email:
    """Render the e-mail ``name`` (for the address ``to``) from ``templates/emails/<name>_subject.txt``
    and ``_body.txt``; its HTML part is the same text laid out by ``emails/base.html``."""
    context = {
        "site_url": settings.SITE_URL,
        "greeting_name": greeting_name(context, to),
        "signature_certifier": signature_certifier(context),
        **context,
    }
    subject = french_typography(" ".join(render_to_string(f"emails/{name}_subject.txt", context).split()))
    text = french_typography(render_to_string(f"emails/{name}_body.txt", context).strip()) + "\n"
    html = render_to_string("emails/base.html", {"subject": subject, "body": text_to_html(text)})
    return Email(subject, text, html)


def send(name: str, to: str, context: dict[str, Any]) -> None:
    """Render the e-mail ``name`` for ``to`` now; a worker sends it once the transaction commits."""
    email = render(name, context, to)
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
