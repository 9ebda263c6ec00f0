"""Every change in the accompaniment app: organisations' staff, the accompaniment of a dossier
(choose, accept, decline, leave, end), comments, the opinion on the recevabilité request and
meetings.

Rules:
- one live accompaniment (requested or accepted) per dossier; the candidate chooses an active
  organisation that supports the dossier's certification, for a dossier still in progress;
  choosing another one while one is live leaves (or withdraws the request to) the first;
- the organisation accepts or declines a request (a reason is required to decline), and ends an
  accepted accompaniment (with a reason); the candidate leaves it; the accompagnateur reads the
  dossier from acceptance (``permissions``);
- only the organisation accompanying the dossier now comments, gives the opinion and records
  meetings; the opinion changes until the recevabilité request leaves, never after;
- an accompanied dossier's recevabilité request waits for the opinion and for the candidate's
  acceptance of the planned parcours (``missing_opinion``, registered in
  ``dossiers.hooks.submission_checks``); both are frozen with it (``accompaniment.feasibility``);
- a manager adds (invites by e-mail) and deactivates colleagues; never themself, and an
  organisation always keeps an active manager;
- every change is written to the dossier's audit trail (``audit.services.record``), in its
  transaction; texts are bounded (``core.limits``).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accompaniment import notifications
from accompaniment.enums import AccompanimentState, MeetingKind, MeetingMode, Verdict
from accompaniment.models import Accompaniment, Comment, Meeting, Opinion, Organisation, StaffMember
from accompaniment.permissions import readable_accompaniments
from accounts import invitations
from audit import services as audit
from core import limits
from core.errors import DomainError
from dossiers.enums import DossierStatus, SnapshotKind
from dossiers.models import Dossier
from dossiers.services import Missing

if TYPE_CHECKING:
    from accounts.models import User

A = AccompanimentState
FEASIBILITY_OPEN = (DossierStatus.DRAFT, DossierStatus.FEASIBILITY_INCOMPLETE)


class AccompanimentError(DomainError):
    """A refused action; the message is shown to the user as it is."""


# --- staff ---------------------------------------------------------------------------------


def _ensure_manages(organisation: Organisation, actor: User) -> None:
    if actor.is_superuser:
        return
    if not StaffMember.objects.filter(organisation=organisation, user=actor, active=True, is_manager=True).exists():
        raise AccompanimentError(_("Seul un responsable de l'organisme gère son équipe."))


@transaction.atomic
def add_staff(
    organisation: Organisation,
    actor: User,
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    is_manager: bool = False,
) -> StaffMember:
    """Add a colleague: an existing account, or a new one invited by e-mail (a link to choose a
    password, ``accounts.invitations``). A deactivated colleague is reactivated."""
    _ensure_manages(organisation, actor)
    user, created = invitations.invite(
        email,
        first_name,
        last_name,
        refusal=_("Ce compte est désactivé : un administrateur doit le réactiver avant qu'il rejoigne l'organisme."),
    )
    member = StaffMember.objects.filter(organisation=organisation, user=user).first()
    if member is not None and member.active:
        raise AccompanimentError(_("%(user)s fait déjà partie de l'organisme.") % {"user": user})
    if member is None:
        member = StaffMember.objects.create(
            organisation=organisation, user=user, is_manager=is_manager, invited_by=actor
        )
    else:
        member.active, member.deactivated_at, member.is_manager = True, None, is_manager
        member.save(update_fields=["active", "deactivated_at", "is_manager"])
    transaction.on_commit(partial(notifications.staff_added, member.pk, invitations.awaiting_invitation(user)))
    return member


def resend_invitation(member: StaffMember, actor: User) -> None:
    _ensure_manages(member.organisation, actor)
    if not invitations.awaiting_invitation(member.user):
        raise AccompanimentError(_("Ce compte n'attend pas d'invitation : il n'y a rien à renvoyer."))
    notifications.staff_added(member.pk, True)


@transaction.atomic
def deactivate_staff(member: StaffMember, actor: User) -> StaffMember:
    """The colleague no longer reads the organisation's dossiers; their past work stays."""
    _ensure_manages(member.organisation, actor)
    member = StaffMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    if not member.active:
        raise AccompanimentError(_("Ce membre est déjà désactivé."))
    if member.user_id == actor.pk:
        raise AccompanimentError(_("Vous ne pouvez pas vous désactiver vous-même."))
    if (
        member.is_manager
        and not StaffMember.objects.filter(organisation=member.organisation_id, active=True, is_manager=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise AccompanimentError(_("L'organisme doit garder au moins un responsable actif."))
    member.active, member.deactivated_at = False, timezone.now()
    member.save(update_fields=["active", "deactivated_at"])
    return member


# --- the accompaniment of a dossier --------------------------------------------------------


def _locked_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("certification").get(pk=dossier.pk)


def _locked(accompaniment: Accompaniment) -> Accompaniment:
    return (
        Accompaniment.objects.select_for_update(of=("self",))
        .select_related("dossier", "organisation")
        .get(pk=accompaniment.pk)
    )


def _record(action: str, accompaniment: Accompaniment, actor, comment: str = "", changes=None) -> None:
    audit.record(
        action,
        actor=actor,
        target=accompaniment,
        target_repr=accompaniment.organisation.name,
        dossier=accompaniment.dossier,
        comment=comment,
        changes=changes,
    )


def organisations_for(dossier: Dossier, departement: str = "") -> list[Organisation]:
    """The active organisations that support the dossier's certification (any version), in
    ``departement`` when given (or remote ones), by name."""
    found = Organisation.objects.filter(active=True, certifications__lineage=dossier.certification.lineage).distinct()
    return [o for o in found if not departement or o.departement == departement.strip().upper() or o.remote]


def _finish(accompaniment: Accompaniment, state: str, actor, reason: str = "") -> Accompaniment:
    accompaniment.state = state
    accompaniment.finished_at = timezone.now()
    accompaniment.finished_by = actor
    accompaniment.reason = reason
    accompaniment.save(update_fields=["state", "finished_at", "finished_by", "reason"])
    return accompaniment


@transaction.atomic
def choose(dossier: Dossier, organisation: Organisation, actor) -> Accompaniment:
    """The candidate asks ``organisation`` to accompany their dossier; a live accompaniment by
    another organisation is left (a request not answered yet is withdrawn)."""
    dossier = _locked_dossier(dossier)
    if actor.pk != dossier.candidate_id:
        raise AccompanimentError(_("Seul le candidat choisit son organisme d'accompagnement."))
    if not dossier.is_active:
        raise AccompanimentError(_("Ce dossier est clos : il ne peut plus être accompagné."))
    if organisation not in organisations_for(dossier):
        raise AccompanimentError(_("Cet organisme n'accompagne pas cette certification."))
    current = Accompaniment.objects.live().filter(dossier=dossier).select_related("organisation").first()
    if current is not None:
        if current.organisation_id == organisation.pk:
            raise AccompanimentError(_("Vous avez déjà choisi cet organisme."))
        _finish(current, A.LEFT, actor)
        _record("accompaniment.left", current, actor)
    accompaniment = Accompaniment.objects.create(dossier=dossier, organisation=organisation)
    _record("accompaniment.requested", accompaniment, actor)
    return accompaniment


@transaction.atomic
def accept(accompaniment: Accompaniment, actor) -> Accompaniment:
    accompaniment = _locked(accompaniment)
    _ensure_staff(accompaniment, actor)
    if accompaniment.state != A.REQUESTED:
        raise AccompanimentError(_("Cette demande n'est plus en attente."))
    accompaniment.state, accompaniment.decided_at, accompaniment.decided_by = A.ACCEPTED, timezone.now(), actor
    accompaniment.save(update_fields=["state", "decided_at", "decided_by"])
    _record("accompaniment.accepted", accompaniment, actor)
    return accompaniment


@transaction.atomic
def decline(accompaniment: Accompaniment, actor, reason: str) -> Accompaniment:
    accompaniment = _locked(accompaniment)
    _ensure_staff(accompaniment, actor)
    if accompaniment.state != A.REQUESTED:
        raise AccompanimentError(_("Cette demande n'est plus en attente."))
    _require_reason(reason)
    accompaniment.state, accompaniment.decided_at, accompaniment.decided_by = A.DECLINED, timezone.now(), actor
    accompaniment.reason = reason
    accompaniment.save(update_fields=["state", "decided_at", "decided_by", "reason"])
    _record("accompaniment.declined", accompaniment, actor, comment=reason)
    return accompaniment


@transaction.atomic
def end(accompaniment: Accompaniment, actor, reason: str) -> Accompaniment:
    """The organisation ends an accepted accompaniment (the dossier becomes "autonome")."""
    accompaniment = _locked(accompaniment)
    _ensure_staff(accompaniment, actor)
    if accompaniment.state != A.ACCEPTED:
        raise AccompanimentError(_("Cet accompagnement n'est pas en cours."))
    _require_reason(reason)
    _finish(accompaniment, A.ENDED, actor, reason)
    _record("accompaniment.ended", accompaniment, actor, comment=reason)
    return accompaniment


@transaction.atomic
def leave(accompaniment: Accompaniment, actor, reason: str = "") -> Accompaniment:
    """The candidate leaves their organisation, or withdraws a request not answered yet."""
    accompaniment = _locked(accompaniment)
    if actor.pk != accompaniment.dossier.candidate_id:
        raise AccompanimentError(_("Seul le candidat quitte son organisme d'accompagnement."))
    if accompaniment.state not in (A.REQUESTED, A.ACCEPTED):
        raise AccompanimentError(_("Cet accompagnement est déjà terminé."))
    limits.check(reason, limits.LONG_TEXT, _("Le motif"), AccompanimentError)
    _finish(accompaniment, A.LEFT, actor, reason)
    _record("accompaniment.left", accompaniment, actor, comment=reason)
    return accompaniment


def _ensure_staff(accompaniment: Accompaniment, actor) -> None:
    if not StaffMember.objects.filter(organisation_id=accompaniment.organisation_id, user=actor, active=True).exists():
        raise AccompanimentError(_("Vous ne faites pas partie de cet organisme."))


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise AccompanimentError(_("Indiquez le motif : il sera communiqué au candidat."))
    limits.check(reason, limits.LONG_TEXT, _("Le motif"), AccompanimentError)


def _ensure_accompanies(accompaniment: Accompaniment, actor) -> None:
    """This very accompaniment is accepted (in the database, not as the caller last read it) and
    ``actor`` is active staff of its organisation."""
    if not readable_accompaniments(actor).filter(pk=accompaniment.pk, state=A.ACCEPTED).exists():
        raise AccompanimentError(_("Vous n'accompagnez pas ce dossier (ou plus)."))


# --- comments ------------------------------------------------------------------------------


@transaction.atomic
def add_comment(accompaniment: Accompaniment, actor, text: str, *, competency=None, experience=None) -> Comment:
    """A comment on a compétence targeted by the dossier, or on one of its experiences."""
    _ensure_accompanies(accompaniment, actor)
    if not text.strip():
        raise AccompanimentError(_("Le commentaire est vide."))
    limits.check(text, limits.LONG_TEXT, _("Le commentaire"), AccompanimentError)
    dossier = accompaniment.dossier
    if (competency is None) == (experience is None):
        raise AccompanimentError(_("Un commentaire porte sur une compétence ou sur une expérience."))
    if competency is not None and not dossier.targeted_competencies().filter(pk=competency.pk).exists():
        raise AccompanimentError(_("Cette compétence n'est pas visée par le dossier."))
    if experience is not None and experience.dossier_id != dossier.pk:
        raise AccompanimentError(_("Cette expérience n'est pas dans ce dossier."))
    comment = Comment.objects.create(
        accompaniment=accompaniment, author=actor, competency=competency, experience=experience, text=text.strip()
    )
    audit.record(
        "accompaniment.comment_added",
        actor=actor,
        target=comment,
        target_repr=str(competency or experience)[:255],
        dossier=dossier,
        changes=audit.created(audit.values(comment, ["text"], texts=["text"])),
    )
    return comment


@transaction.atomic
def mark_comment_done(comment: Comment, actor, done: bool = True) -> Comment:
    """The candidate marks a comment as done (or not done again)."""
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("accompaniment__dossier").get(pk=comment.pk)
    )
    dossier = comment.accompaniment.dossier
    if actor.pk != dossier.candidate_id:
        raise AccompanimentError(_("Seul le candidat marque un commentaire comme traité."))
    if bool(comment.done_at) == done:
        return comment
    comment.done_at = timezone.now() if done else None
    comment.save(update_fields=["done_at"])
    audit.record(
        "accompaniment.comment_done" if done else "accompaniment.comment_reopened",
        actor=actor,
        target=comment,
        dossier=dossier,
    )
    return comment


# --- the opinion on the recevabilité request -----------------------------------------------

OPINION_FIELDS = [
    "verdict",
    "comment",
    "recommendations",
    "individual_hours",
    "collective_hours",
    "training_hours",
    "mandatory_training",
    "basic_skills",
]
OPINION_TEXTS = ["comment", "recommendations", "mandatory_training", "basic_skills"]


@transaction.atomic
def give_opinion(accompaniment: Accompaniment, actor, **fields) -> Opinion:
    """Give (or change, until the request leaves) the opinion on the recevabilité request: a
    verdict and a comment, the préconisations and the planned parcours. Changing the parcours
    asks the candidate to accept it again."""
    _ensure_accompanies(accompaniment, actor)
    dossier = _locked_dossier(accompaniment.dossier)
    if dossier.status not in FEASIBILITY_OPEN:
        raise AccompanimentError(_("La demande de recevabilité est déjà partie : l'avis ne change plus."))
    if fields.get("verdict") not in Verdict.values:
        raise AccompanimentError(_("Choisissez un avis : favorable, réservé ou défavorable."))
    if not str(fields.get("comment", "")).strip():
        raise AccompanimentError(_("Motivez votre avis par un commentaire."))
    for name in OPINION_TEXTS:
        limits.check(str(fields.get(name, "")), limits.LONG_TEXT, _("Le texte"), AccompanimentError)
    opinion = Opinion.objects.filter(accompaniment=accompaniment).first()
    before = audit.values(opinion, OPINION_FIELDS, texts=OPINION_TEXTS) if opinion else {}
    if opinion is None:
        opinion = Opinion(accompaniment=accompaniment)
    parcours = ["individual_hours", "collective_hours", "training_hours", "mandatory_training", "basic_skills"]
    changed_parcours = any(getattr(opinion, name) != fields.get(name, getattr(opinion, name)) for name in parcours)
    for name in OPINION_FIELDS:
        if name in fields:
            setattr(opinion, name, fields[name])
    opinion.given_by, opinion.given_at = actor, timezone.now()
    if changed_parcours:
        opinion.candidate_accepted_at = None
    opinion.full_clean(exclude=["accompaniment", "given_by"])
    opinion.save()
    after = audit.values(opinion, OPINION_FIELDS, texts=OPINION_TEXTS)
    audit.record(
        "accompaniment.opinion_given",
        actor=actor,
        target=opinion,
        target_repr=opinion.get_verdict_display(),
        dossier=dossier,
        changes=audit.diff(before, after),
    )
    return opinion


@transaction.atomic
def accept_parcours(opinion: Opinion, actor) -> Opinion:
    """The candidate accepts the planned parcours (the legal model asks for it)."""
    opinion = (
        Opinion.objects.select_for_update(of=("self",)).select_related("accompaniment__dossier").get(pk=opinion.pk)
    )
    dossier = opinion.accompaniment.dossier
    if actor.pk != dossier.candidate_id:
        raise AccompanimentError(_("Seul le candidat accepte son parcours."))
    if opinion.candidate_accepted_at:
        raise AccompanimentError(_("Vous avez déjà accepté ce parcours."))
    opinion.candidate_accepted_at = timezone.now()
    opinion.save(update_fields=["candidate_accepted_at"])
    audit.record("accompaniment.parcours_accepted", actor=actor, target=opinion, dossier=dossier)
    return opinion


def missing_opinion(dossier: Dossier, kind: str) -> list[Missing]:
    """For ``dossiers.hooks.submission_checks``: an accompanied dossier's recevabilité request
    waits for the organisation's opinion, then for the candidate's acceptance of the planned
    parcours (the accompanied model holds both)."""
    if kind != SnapshotKind.FEASIBILITY:
        return []
    accompaniment = (
        Accompaniment.objects.filter(dossier=dossier, state=A.ACCEPTED).select_related("organisation").first()
    )
    if accompaniment is None:
        return []
    url = reverse("accompaniment:candidate", args=[dossier.pk])
    opinion = Opinion.objects.filter(accompaniment=accompaniment).first()
    if opinion is None:
        return [
            Missing(
                _("Votre organisme d'accompagnement (%(org)s) doit d'abord donner son avis sur votre demande.")
                % {"org": accompaniment.organisation.name},
                url,
            )
        ]
    if opinion.candidate_accepted_at is None:
        return [
            Missing(
                _(
                    "Lisez l'avis de votre organisme d'accompagnement (%(org)s) et acceptez le parcours qu'il "
                    "prévoit : votre demande le contient."
                )
                % {"org": accompaniment.organisation.name},
                url,
            )
        ]
    return []


# --- meetings ------------------------------------------------------------------------------


@transaction.atomic
def record_meeting(
    accompaniment: Accompaniment,
    actor,
    *,
    starts_at: dt.datetime,
    duration_minutes: int,
    kind: str,
    mode: str,
    topic: str,
) -> Meeting:
    _ensure_accompanies(accompaniment, actor)
    if kind not in MeetingKind.values or mode not in MeetingMode.values:
        raise AccompanimentError(_("Type ou modalité de rendez-vous inconnu."))
    if not 1 <= duration_minutes <= 12 * 60:
        raise AccompanimentError(_("La durée d'un rendez-vous va d'une minute à douze heures."))
    if not topic.strip():
        raise AccompanimentError(_("Indiquez le sujet du rendez-vous."))
    meeting = Meeting.objects.create(
        accompaniment=accompaniment,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        kind=kind,
        mode=mode,
        topic=topic.strip()[:255],
        recorded_by=actor,
    )
    audit.record(
        "accompaniment.meeting_recorded",
        actor=actor,
        target=meeting,
        dossier=accompaniment.dossier,
        changes=audit.created(audit.values(meeting, ["starts_at", "duration_minutes", "kind", "mode", "topic"])),
    )
    return meeting


def minutes(accompaniment: Accompaniment) -> int:
    """The minutes of meetings recorded for this accompaniment."""
    return accompaniment.meetings.aggregate(total=Sum("duration_minutes"))["total"] or 0


def hours(accompaniment: Accompaniment) -> float:
    """The hours of meetings recorded for this accompaniment."""
    return round(minutes(accompaniment) / 60, 2)
