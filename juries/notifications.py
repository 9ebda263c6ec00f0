"""E-mails of the jury sessions. Links only: no dossier content leaves the portal by e-mail.

Called after the transaction commits; a mail failure is logged, never raised: what was decided
is already saved.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)


def _send(template: str, context: dict, to: str) -> None:
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:  # SMTP down must not undo what is already recorded
        logger.exception("Could not send the %s e-mail to %s", template, to)


def invitation_url(user) -> str:
    """A link to choose a password and activate the account (valid PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("juries:invitation", args=[uid, token])


def convocation(convocation_id: int, rescheduled: bool = False) -> None:
    from juries.models import Convocation

    conv = Convocation.objects.select_related("session__certification", "dossier__candidate").get(pk=convocation_id)
    candidate = conv.dossier.candidate
    context = {
        "convocation": conv,
        "session": conv.session,
        "candidate": candidate,
        "rescheduled": rescheduled,
        "url": settings.SITE_URL + conv.dossier.get_absolute_url(),
    }
    _send("convocation", context, candidate.email)


def jury_member_added(member_id: int, invited: bool) -> None:
    """Tell a new member of a session; an invited one gets the link to activate their account."""
    from juries.models import JuryMember

    member = JuryMember.objects.select_related("session__certification", "user").get(pk=member_id)
    context = {
        "member": member,
        "session": member.session,
        "invited": invited,
        "url": invitation_url(member.user) if invited else settings.SITE_URL + reverse("jury:sessions"),
    }
    _send("jury_member", context, member.user.email)


def result_available(decision_id: int) -> None:
    """Tell the candidate their result can be read (once the procès-verbal is final)."""
    from juries.models import Decision

    decision = Decision.objects.select_related("dossier__candidate", "dossier__certification").get(pk=decision_id)
    candidate = decision.dossier.candidate
    context = {
        "candidate": candidate,
        "dossier": decision.dossier,
        "url": settings.SITE_URL + decision.dossier.get_absolute_url() + "#resultat",
    }
    _send("jury_result", context, candidate.email)
