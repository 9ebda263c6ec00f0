"""The juries app's e-mails, sent through the one door for e-mails (:mod:`core.emails`: links
only, rendered now, sent by a worker once the transaction commits, retried). Each function is
called once the change is committed, loads what it needs by id, and declares who receives the
e-mail and the context of its templates (``templates/emails/``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from accounts import invitations
from core import emails
from juries.models import Convocation, Decision, JuryMember


def invitation_url(user) -> str:
    """A link to choose a password and activate the account (``accounts.invitations``)."""
    return invitations.invitation_url("juries:invitation", user)


def _convocation_context(conv: Convocation) -> dict:
    candidate = conv.dossier.candidate
    return {
        "convocation": conv,
        "session": conv.session,
        "candidate": candidate,
        "url": settings.SITE_URL + conv.dossier.get_absolute_url() + "#convocation",
    }


def _convocation(convocation_id: int) -> Convocation:
    return Convocation.objects.select_related("session__certification", "dossier__candidate").get(pk=convocation_id)


def convocation(convocation_id: int, previous: dict | None = None) -> None:
    """To the candidate, when convoked to a session or when their convocation moves: when,
    where, and a link to their dossier (the convocation to print and the calendar file are
    there). A move gives the former slot (``previous``: ISO dates, place, video link)."""
    conv = _convocation(convocation_id)
    context = _convocation_context(conv)
    context["rescheduled"] = previous is not None
    if previous is not None:
        context["previous"] = {
            "starts_at": dt.datetime.fromisoformat(previous["starts_at"]),
            "ends_at": dt.datetime.fromisoformat(previous["ends_at"]),
            "place_changed": previous["place"] != conv.session.place
            or previous["video_link"] != conv.session.video_link,
        }
    emails.send("convocation", conv.dossier.candidate.email, context)


def convocation_cancelled(convocation_id: int) -> None:
    """To the candidate, when their convocation is cancelled: which one, why, what follows."""
    conv = _convocation(convocation_id)
    emails.send("convocation_cancelled", conv.dossier.candidate.email, _convocation_context(conv))


def convocation_reminder(convocation_id: int) -> None:
    """To the candidate, CONVOCATION_REMINDER_DAYS days before their slot (a cancelled
    convocation in the meantime is not reminded)."""
    conv = _convocation(convocation_id)
    if not conv.is_live:
        return
    emails.send("convocation_reminder", conv.dossier.candidate.email, _convocation_context(conv))


def jury_member_added(member_id: int, invited: bool) -> None:
    """To a new member of a session; an invited one gets the link to activate their account,
    the others a link to their sessions."""
    member = JuryMember.objects.select_related("session__certification", "user").get(pk=member_id)
    context = {
        "member": member,
        "session": member.session,
        "invited": invited,
        "url": invitation_url(member.user) if invited else settings.SITE_URL + reverse("jury:sessions"),
    }
    emails.send("jury_member", member.user.email, context)


def result_available(decision_id: int) -> None:
    """To the candidate, once the procès-verbal is final: a link to their result."""
    decision = Decision.objects.select_related("dossier__candidate", "dossier__certification").get(pk=decision_id)
    candidate = decision.dossier.candidate
    context = {
        "candidate": candidate,
        "dossier": decision.dossier,
        "url": settings.SITE_URL + decision.dossier.get_absolute_url() + "#resultat",
    }
    emails.send("jury_result", candidate.email, context)
