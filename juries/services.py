"""Every change to a jury session goes through here: atomic, rows locked, guards raising
``JuryError`` with a French message for the user, e-mails and hooks sent once committed.

Rules:
- a session is programmed on a published certification, in the future, at a place or on a
  video link, for ``capacity`` candidates at most; its date cannot move while candidates are
  convoked (reschedule or cancel them first);
- members are existing accounts or people invited by e-mail: an inactive account is created
  and they receive a link to choose their password (which activates it); an account an admin
  deactivated is refused, never reactivated by an invitation; at most one président; a candidate
  of the session never sits on it;
- only a dossier "en attente de jury" of the same certification (any version) is convoked; it
  becomes "convoqué(e)" (``dossiers.services.mark_scheduled``); slots of a session never
  overlap, start at or after the session's start, on its day;
- cancelling a convocation needs a notice and returns the dossier to "en attente de jury"
  (``dossiers.services.unschedule``); rescheduling needs a notice and sends a new convocation;
- attendance is recorded from the session's day on;
- a member who has taken part (declared a link, scored, signed) is never removed.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certifications.enums import CertificationStatus
from certifications.models import Certification
from core.errors import DomainError
from dossiers import services as dossier_services
from dossiers.enums import DossierStatus
from dossiers.models import Dossier
from juries import notifications
from juries.composition import CompositionCheck, JuryRule, Seat, check
from juries.enums import Attendance, ConvocationStatus, JuryRole, SessionStatus
from juries.models import Convocation, JuryMember, JurySession, awaiting_invitation
from juries.signals import convocation_issued

SESSION_FIELDS = ("starts_at", "place", "video_link", "capacity", "instructions", "notes")


class JuryError(DomainError):
    """A refused action; the message is shown to the user as it is."""


def when(value: dt.datetime) -> str:
    """A date and time as French readers write it: « 12 mars 2026 à 09:30 »."""
    return date_format(timezone.localtime(value), r"j F Y \à H\hi")


def _locked_session(session: JurySession) -> JurySession:
    return JurySession.objects.select_for_update().select_related("certification").get(pk=session.pk)


def _ensure_open(session: JurySession) -> None:
    if session.status != SessionStatus.PLANNED:
        raise JuryError(
            _("La session est %(status)s : elle ne peut plus être modifiée.") % {"status": session.get_status_display()}
        )


def _check_place(place: str, video_link: str) -> None:
    if not place.strip() and not video_link.strip():
        raise JuryError(_("Indiquez un lieu ou un lien de visioconférence."))


def _issue(convocation: Convocation, rescheduled: bool) -> None:
    transaction.on_commit(partial(notifications.convocation, convocation.pk, rescheduled))
    transaction.on_commit(partial(convocation_issued.send, sender=Convocation, convocation_id=convocation.pk))


# --- sessions -----------------------------------------------------------------------------


@transaction.atomic
def create_session(
    certification: Certification,
    actor,
    *,
    starts_at: dt.datetime,
    capacity: int,
    place: str = "",
    video_link: str = "",
    instructions: str = "",
    notes: str = "",
) -> JurySession:
    if certification.status != CertificationStatus.PUBLISHED:
        raise JuryError(_("Une session se programme sur la version publiée d'une certification."))
    if starts_at <= timezone.now():
        raise JuryError(_("La date de la session est passée : choisissez une date à venir."))
    if capacity < 1:
        raise JuryError(_("La session doit pouvoir accueillir au moins un candidat."))
    _check_place(place, video_link)
    return JurySession.objects.create(
        certification=certification,
        starts_at=starts_at,
        capacity=capacity,
        place=place.strip(),
        video_link=video_link.strip(),
        instructions=instructions,
        notes=notes,
        created_by=actor,
    )


@transaction.atomic
def update_session(session: JurySession, actor, **values) -> JurySession:
    session = _locked_session(session)
    _ensure_open(session)
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    live = session.convocations.live().count()
    if "starts_at" in values and values["starts_at"] != session.starts_at:
        if live:
            raise JuryError(
                _(
                    "Des candidats sont convoqués : reportez ou annulez leurs convocations avant de changer "
                    "la date de la session."
                )
            )
        if values["starts_at"] <= timezone.now():
            raise JuryError(_("La date de la session est passée : choisissez une date à venir."))
    if "capacity" in values and values["capacity"] < max(live, 1):
        raise JuryError(
            _("%(n)s candidat(s) sont convoqués : la capacité ne peut pas descendre en dessous.") % {"n": live}
        )
    for name, value in values.items():
        setattr(session, name, value)
    _check_place(session.place, session.video_link)
    session.save(update_fields=[*values, "updated_at"])
    return session


@transaction.atomic
def cancel_session(session: JurySession, actor, notice: str) -> JurySession:
    """Cancel the session and every live convocation, each dossier back to "en attente de jury"."""
    if not notice.strip():
        raise JuryError(_("Indiquez le motif de l'annulation : il sera communiqué aux candidats."))
    session = _locked_session(session)
    _ensure_open(session)
    for convocation in session.convocations.live():
        cancel_convocation(convocation, actor, notice)
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    return session


# --- members ------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    session: JurySession, actor, *, email: str, role: str, first_name: str = "", last_name: str = ""
) -> JuryMember:
    """Seat an existing account, or invite ``email``: an inactive account is created and the
    person receives a link to choose a password (which activates it)."""
    session = _locked_session(session)
    _ensure_open(session)
    if role not in JuryRole.values:
        raise JuryError(_("Rôle inconnu."))
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name.strip(), last_name=last_name.strip(), is_active=False
        )
    elif session.members.filter(user=user).exists():
        raise JuryError(_("%(user)s siège déjà dans cette session.") % {"user": user})
    elif not user.is_active and not awaiting_invitation(user) and not user.awaiting_email_confirmation:
        raise JuryError(_("Ce compte est désactivé : un administrateur doit le réactiver avant qu'il siège."))
    if role == JuryRole.PRESIDENT and session.members.filter(role=JuryRole.PRESIDENT).exists():
        raise JuryError(_("La session a déjà un président : retirez-le d'abord pour en désigner un autre."))
    if session.convocations.live().filter(dossier__candidate=user).exists():
        raise JuryError(_("Cette personne est candidate à cette session : elle ne peut pas y siéger."))
    member = JuryMember.objects.create(session=session, user=user, role=role, invited=created, added_by=actor)
    transaction.on_commit(partial(notifications.jury_member_added, member.pk, awaiting_invitation(user)))
    return member


def resend_invitation(member: JuryMember, actor) -> None:
    if not awaiting_invitation(member.user):
        raise JuryError(_("Ce compte n'attend pas d'invitation : il n'y a rien à renvoyer."))
    notifications.jury_member_added(member.pk, True)


@transaction.atomic
def remove_member(member: JuryMember, actor) -> None:
    """A member who has already taken part (declared a link, scored, signed) stays on record:
    the président notes them absent instead."""
    _ensure_open(_locked_session(member.session))
    if member.declarations.exists() or member.evaluations.exists() or member.signatures.exists():
        raise JuryError(
            _(
                "%(user)s a déjà participé au jury (déclarations, notations) : il ne peut plus être retiré ; "
                "le président peut le noter absent."
            )
            % {"user": member.user}
        )
    JuryMember.objects.filter(pk=member.pk).delete()


def composition(session: JurySession, members=None) -> CompositionCheck:
    """The session's members against the certification's rule (see ``juries.composition``)."""
    members = list(members if members is not None else session.members.all())
    staff_ids = set(
        get_user_model()
        .objects.filter(certifiers__certifications=session.certification_id)
        .values_list("pk", flat=True)
    )
    seats = [Seat(role=m.role, certifier_staff=m.user_id in staff_ids) for m in members]
    return check(JuryRule.from_data(session.certification.jury_rule), seats)


# --- convocations -------------------------------------------------------------------------


def _check_slot(session: JurySession, starts_at: dt.datetime, ends_at: dt.datetime, exclude: int | None = None):
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
                "name": other.dossier.candidate.get_full_name() or other.dossier.candidate.email,
                "start": timezone.localtime(other.starts_at).strftime("%H:%M"),
                "end": timezone.localtime(other.ends_at).strftime("%H:%M"),
            }
        )


def _check_target(session: JurySession, dossier: Dossier) -> None:
    _ensure_open(session)
    if session.is_past:
        raise JuryError(_("La session a déjà eu lieu : choisissez une session à venir."))
    if dossier.certification.lineage != session.certification.lineage:
        raise JuryError(_("Ce dossier ne porte pas sur la certification de cette session."))
    if session.members.filter(user=dossier.candidate_id).exists():
        raise JuryError(_("Ce candidat siège dans le jury de cette session : il ne peut pas y être convoqué."))


def _check_capacity(session: JurySession) -> None:
    if session.convocations.live().count() >= session.capacity:
        raise JuryError(_("La session est complète : %(n)s candidat(s) au plus.") % {"n": session.capacity})


@transaction.atomic
def convoke(
    session: JurySession, dossier: Dossier, actor, *, starts_at: dt.datetime, ends_at: dt.datetime
) -> Convocation:
    session = _locked_session(session)
    dossier = Dossier.objects.select_for_update().select_related("certification", "candidate").get(pk=dossier.pk)
    _check_target(session, dossier)
    if dossier.status != DossierStatus.READY_FOR_JURY:
        raise JuryError(
            _("Ce dossier n'est pas en attente de jury (il est « %(state)s »).")
            % {"state": dossier.get_status_display()}
        )
    _check_capacity(session)
    _check_slot(session, starts_at, ends_at)
    convocation = Convocation.objects.create(
        session=session, dossier=dossier, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    dossier_services.mark_scheduled(dossier, actor, _("Convoqué(e) au jury du %(when)s.") % {"when": when(starts_at)})
    _issue(convocation, rescheduled=False)
    return convocation


def _locked_convocation(convocation: Convocation) -> Convocation:
    conv = (
        Convocation.objects.select_for_update()
        .select_related("session__certification", "dossier__certification", "dossier__candidate")
        .get(pk=convocation.pk)
    )
    if not conv.is_live:
        raise JuryError(_("Cette convocation est annulée."))
    _ensure_open(conv.session)
    return conv


@transaction.atomic
def reschedule(
    convocation: Convocation,
    actor,
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
    conv = _locked_convocation(convocation)
    if conv.attendance:
        raise JuryError(_("La présence du candidat a été relevée : la convocation ne peut plus être reportée."))
    target = _locked_session(session or conv.session)
    _check_target(target, conv.dossier)
    if target.pk != conv.session_id:
        _check_capacity(target)
    _check_slot(target, starts_at, ends_at, exclude=conv.pk)
    conv.session, conv.starts_at, conv.ends_at = target, starts_at, ends_at
    conv.status, conv.notice = ConvocationStatus.RESCHEDULED, notice.strip()
    conv.save(update_fields=["session", "starts_at", "ends_at", "status", "notice", "updated_at"])
    _issue(conv, rescheduled=True)
    return conv


@transaction.atomic
def cancel_convocation(convocation: Convocation, actor, notice: str) -> Convocation:
    if not notice.strip():
        raise JuryError(_("Indiquez le motif de l'annulation : il sera communiqué au candidat."))
    conv = _locked_convocation(convocation)
    if conv.attendance:
        raise JuryError(_("La présence du candidat a été relevée : la convocation ne peut plus être annulée."))
    conv.status, conv.notice = ConvocationStatus.CANCELLED, notice.strip()
    conv.save(update_fields=["status", "notice", "updated_at"])
    dossier_services.unschedule(
        conv.dossier,
        actor,
        _("Convocation du %(when)s annulée : %(notice)s") % {"when": when(conv.starts_at), "notice": conv.notice},
    )
    return conv


@transaction.atomic
def record_attendance(convocation: Convocation, actor, attendance: str) -> Convocation:
    if attendance not in Attendance.values:
        raise JuryError(_("Présence inconnue."))
    conv = _locked_convocation(convocation)
    if timezone.localdate() < timezone.localdate(conv.session.starts_at):
        raise JuryError(_("La présence se relève à partir du jour de la session."))
    conv.attendance = attendance
    conv.attendance_recorded_at = timezone.now()
    conv.save(update_fields=["attendance", "attendance_recorded_at", "updated_at"])
    return conv
