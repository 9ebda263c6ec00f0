"""The rows every jury service locks and the guards they share, written once.

Rules:
- a service locks the session or the convocation it changes (``select_for_update``) before it
  checks anything, so that two requests never both pass a guard;
- a cancelled convocation takes no change;
- only a programmed session takes changes: a closed one has a final procès-verbal, a cancelled
  one is over;
- a member acts only on the candidates of their own session, and what only the président may do
  is checked against their seat;
- attendance, decisions and signatures are recorded only once the session has started (its start
  minus ``JURY_EARLY_MARGIN_MINUTES``, 0 by default): a jury does not decide before it sits.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from juries.enums import SessionStatus
from juries.formats import when
from juries.models import Convocation, JuryMember, JurySession
from juries.services.errors import JuryError


def locked_session(pk: int) -> JurySession:
    """The session, locked until the end of the transaction, with its certification."""
    return JurySession.objects.select_for_update().select_related("certification").get(pk=pk)


def locked_convocation(pk: int) -> Convocation:
    """The convocation, locked until the end of the transaction, with its session and dossier;
    refused once cancelled."""
    conv = (
        Convocation.objects.select_for_update()
        .select_related("session__certification", "dossier__certification", "dossier__candidate")
        .get(pk=pk)
    )
    if not conv.is_live:
        raise JuryError(_("Cette convocation est annulée."))
    return conv


def ensure_open(session: JurySession) -> None:
    """Refuse any change to a session that is no longer programmed."""
    if session.status == SessionStatus.CLOSED:
        raise JuryError(_("La session est clôturée : son procès-verbal est définitif."))
    if session.status != SessionStatus.PLANNED:
        raise JuryError(_("La session est annulée : elle ne peut plus être modifiée."))


def ensure_seat(member: JuryMember, convocation: Convocation) -> None:
    """Refuse a member acting on a candidate of another session."""
    if member.session_id != convocation.session_id:
        raise JuryError(_("Vous ne siégez pas dans la session de ce candidat."))


def ensure_president(member: JuryMember, session: JurySession) -> None:
    """Refuse anyone but the président of ``session``."""
    if member.session_id != session.pk or not member.is_president:
        raise JuryError(_("Seul le président de la session peut le faire."))


def opens_at(session: JurySession) -> dt.datetime:
    """When the jury may start recording: the session's start minus the early margin."""
    return session.starts_at - dt.timedelta(minutes=settings.JURY_EARLY_MARGIN_MINUTES)


def has_started(session: JurySession) -> bool:
    return timezone.now() >= opens_at(session)


def not_started_reason(session: JurySession) -> str:
    """Why nothing is recorded yet (shown where a button is missing), empty once started."""
    if has_started(session):
        return ""
    return _("La session n'a pas commencé : présence, décisions et signatures s'enregistrent à partir du %(when)s.") % {
        "when": when(opens_at(session))
    }


def ensure_started(session: JurySession) -> None:
    """Refuse recording attendance, a decision or a signature before the session starts."""
    reason = not_started_reason(session)
    if reason:
        raise JuryError(reason)
