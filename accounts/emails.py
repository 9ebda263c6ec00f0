"""Plain-text e-mails rendered from ``templates/emails/<event>_subject.txt`` and ``_body.txt``.

E-mails carry links only (built on ``settings.SITE_URL``), never dossier content.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def render(event: str, context: dict[str, Any]) -> tuple[str, str]:
    """Return (subject, body) for ``event``; the subject is folded onto one line."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{event}_subject.txt", context).split())
    body = render_to_string(f"emails/{event}_body.txt", context).strip() + "\n"
    return subject, body


def send(event: str, to: str, context: dict[str, Any]) -> None:
    """Send one e-mail to ``to``; delivery errors propagate to the caller."""
    subject, body = render(event, context)
    send_mail(subject, body, None, [to])
