"""Convoking candidates on time slots, rescheduling or cancelling them, recording attendance.

Rules:
- only a dossier "en attente de jury" of the same certification (any version) is convoked, in a
  session to come that is not full and where the candidate does not sit; it becomes
  "jury programmé" (``dossiers.services.mark_scheduled``) and the convocation is sent once
  committed (e-mail, and the ``convocation_issued`` hook that renders its PDF);
- slots of a session never overlap, start at or after the session's start, on its day;
- rescheduling needs a notice and sends a new convocation, in the same session or another one of
  the certification, whose e-mail gives the former slot and the new one; cancelling needs a
  notice, returns the dossier to "en attente de jury" (``dossiers.services.unschedule``, without
  its own e-mail) and sends the cancellation e-mail; neither once the attendance is recorded;
  each one raises the convocation's ``sequence`` (the calendar file's SEQUENCE) and renders its
  PDF again (``convocation_issued`` / ``convocation_cancelled``);
- one reminder e-mail leaves ``CONVOCATION_REMINDER_DAYS`` days before the slot's day
  (``send_reminders``, daily beat); a convocation issued or moved within that time is not
  reminded: its own e-mail has just left;
- attendance is recorded once the session has started (``locking.ensure_started``), by a certifier or by the session's
  président, who may no longer change it once the jury has decided;
- only a live convocation of a programmed session changes (``locking``).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossiers import services as dossier_services
from dossiers.enums import DossierStatus
from dossiers.models import Dossier
from juries import notifications
from juries.enums import Attendance, ConvocationStatus, SessionStatus
from juries.formats import display_name, when
from juries.models import Convocation, JuryMember, JurySession
from juries.services.errors import JuryError
from juries.services.locking import (
    ensure_open,
    ensure_president,
    ensure_started,
    locked_convocation,
    locked_session,
)
from juries.signals import convocation_cancelled, convocation_issued

if TYPE_CHECKING:
    from accounts.models import User


def _issue(convocation: Convocation, previous: dict | None = None) -> None:
    """E-mail and PDF once committed; ``previous`` (the former slot) for a rescheduling."""
    transaction.on_commit(partial(notifications.convocation, convocation.pk, previous))
    transaction.on_commit(partial(convocation_issued.send, sender=Convocation, convocation_id=convocation.pk))


def reminder_due(starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether the reminder of a slot is due: its day is at most CONVOCATION_REMINDER_DAYS days
    after ``now``'s (local dates: the reminder leaves in the morning, whatever the hour)."""
    days = (timezone.localdate(starts_at) - timezone.localdate(now)).days
    return days <= settings.CONVOCATION_REMINDER_DAYS


def _check_slot(session: JurySession, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None) -> None:
    if ends_at <= starts_at:
        raise JuryError(_("Le créneau doit finir après son début."))
    if starts_at < session.starts_at:
        raise JuryError(_("Le créneau commence avant la session (%(start)s).") % {"start": when(session.starts_at)})
    if timezone.localdate(starts_at) != timezone.localdate(session.starts_at) or timezone.localdate(
        ends_at
    ) != timezone.localdate(session.starts_at):
        raise JuryError(_("Le créneau doit se tenir le jour de la session."))
    overlapping = session.convocations.live().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude:
        overlapping = overlapping.exclude(pk=exclude)
    other = overlapping.select_related("dossier__candidate").first()
    if other is not None:
        raise JuryError(
            _("Ce créneau chevauche celui de %(name)s (%(start)s – %(end)s).")
            % {
                "name": display_name(other.dossier.candidate),
                "start": time_format(timezone.localtime(other.starts_at)),
                "end": time_format(timezone.localtime(other.ends_at)),
            }
        )


def _check_target(session: JurySession, dossier: Dossier) -> None:
    ensure_open(session)
    if session.is_past:
        raise JuryError(_("La session a déjà eu lieu : choisissez une session à venir."))
    if dossier.certification.lineage != session.certification.lineage:
        raise JuryError(_("Ce dossier ne porte pas sur la certification de cette session."))
    if session.members.filter(user=dossier.candidate_id).exists():
        raise JuryError(_("Ce candidat siège dans le jury de cette session : il ne peut pas y être convoqué."))


def _check_capacity(session: JurySession) -> None:
    if session.convocations.live().count() >= session.capacity:
        raise JuryError(
            ngettext(
                "La session est complète : elle compte %(n)s place.",
                "La session est complète : elle compte %(n)s places.",
                session.capacity,
            )
            % {"n": session.capacity}
        )


@transaction.atomic
def convoke(
    session: JurySession, dossier: Dossier, actor: User, *, starts_at: dt.datetime, ends_at: dt.datetime
) -> Convocation:
    session = locked_session(session.pk)
    dossier = Dossier.objects.select_for_update().select_related("certification", "candidate").get(pk=dossier.pk)
    _check_target(session, dossier)
    if dossier.status != DossierStatus.READY_FOR_JURY:
        raise JuryError(
            _("Ce dossier n'est pas en attente de jury (il est « %(state)s »).")
            % {"state": dossier.get_status_display()}
        )
    _check_capacity(session)
    _check_slot(session, starts_at, ends_at)
    now = timezone.now()
    convocation = Convocation.objects.create(
        session=session,
        dossier=dossier,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
        reminded_at=now if reminder_due(starts_at, now) else None,
    )
    dossier_services.mark_scheduled(dossier, actor, _("Convocation au jury du %(when)s.") % {"when": when(starts_at)})
    _issue(convocation)
    return convocation


@transaction.atomic
def reschedule(
    convocation: Convocation,
    actor: User,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    notice: str,
    session: JurySession | None = None,
) -> Convocation:
    """A new slot, in the same session or another one of the certification; a new convocation
    is sent with the notice."""
    if not notice.strip():
        raise JuryError(_("Indiquez le motif du report : il sera communiqué au candidat."))
    conv = locked_convocation(convocation.pk)
    ensure_open(conv.session)
    if conv.attendance:
        raise JuryError(_("La présence du candidat a été relevée : la convocation ne peut plus être reportée."))
    target = locked_session((session or conv.session).pk)
    _check_target(target, conv.dossier)
    if target.pk != conv.session_id:
        _check_capacity(target)
    _check_slot(target, starts_at, ends_at, exclude=conv.pk)
    previous = {
        "starts_at": conv.starts_at.isoformat(),
        "ends_at": conv.ends_at.isoformat(),
        "place": conv.session.place,
        "video_link": conv.session.video_link,
    }
    now = timezone.now()
    conv.session, conv.starts_at, conv.ends_at = target, starts_at, ends_at
    conv.status, conv.notice = ConvocationStatus.RESCHEDULED, notice.strip()
    conv.sequence += 1
    conv.reminded_at = now if reminder_due(starts_at, now) else None
    conv.save(
        update_fields=[
            "session",
            "starts_at",
            "ends_at",
            "status",
            "notice",
            "sequence",
            "reminded_at",
            "updated_at",
        ]
    )
    _issue(conv, previous)
    return conv


@transaction.atomic
def cancel_convocation(convocation: Convocation, actor: User, notice: str) -> Convocation:
    if not notice.strip():
        raise JuryError(_("Indiquez le motif de l'annulation : il sera communiqué au candidat."))
    conv = locked_convocation(convocation.pk)
    ensure_open(conv.session)
    if conv.attendance:
        raise JuryError(_("La présence du candidat a été relevée : la convocation ne peut plus être annulée."))
    conv.status, conv.notice = ConvocationStatus.CANCELLED, notice.strip()
    conv.sequence += 1
    conv.save(update_fields=["status", "notice", "sequence", "updated_at"])
    dossier_services.unschedule(
        conv.dossier,
        actor,
        _("Convocation du %(when)s annulée : %(notice)s") % {"when": when(conv.starts_at), "notice": conv.notice},
        notify=False,
    )
    transaction.on_commit(partial(notifications.convocation_cancelled, conv.pk))
    transaction.on_commit(partial(convocation_cancelled.send, sender=Convocation, convocation_id=conv.pk))
    return conv


def send_reminders(now: dt.datetime | None = None) -> list[int]:
    """Send the reminder of every live convocation of a programmed session whose slot is to come
    and due (``reminder_due``), once: ``reminded_at`` is set in the same transaction as the
    e-mail is queued, rows taken with ``skip_locked`` (two beats never send it twice). Returns
    the convocations reminded."""
    now = now or timezone.now()
    horizon = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=settings.CONVOCATION_REMINDER_DAYS + 1
    )
    with transaction.atomic():
        due = list(
            Convocation.objects.select_for_update(skip_locked=True)
            .live()
            .filter(
                session__status=SessionStatus.PLANNED,
                reminded_at__isnull=True,
                starts_at__gt=now,
                starts_at__lt=horizon,
            )
            .values_list("pk", flat=True)
        )
        Convocation.objects.filter(pk__in=due).update(reminded_at=now)
        for pk in due:
            transaction.on_commit(partial(notifications.convocation_reminder, pk))
    return due


@transaction.atomic
def record_attendance(convocation: Convocation, actor: User | JuryMember, attendance: str) -> Convocation:
    """Whether the candidate came, once the session has started. ``actor`` is a certifier (their
    account) or the session's président (their seat), who may no longer change it once the jury
    has decided."""
    if attendance not in Attendance.values:
        raise JuryError(_("Présence inconnue."))
    conv = locked_convocation(convocation.pk)
    if isinstance(actor, JuryMember):
        ensure_president(actor, conv.session)
        if conv.decisions.in_force().exists():
            raise JuryError(_("Le jury a rendu sa décision : la présence ne peut plus changer."))
    ensure_open(conv.session)
    ensure_started(conv.session)
    conv.attendance = attendance
    conv.attendance_recorded_at = timezone.now()
    conv.save(update_fields=["attendance", "attendance_recorded_at", "updated_at"])
    return conv
