"""Who sits on a jury: members seated or invited, removed, noted present or absent.

Rules:
- members are existing accounts or people invited by e-mail: an inactive account is created
  and they receive a link to choose their password (which activates it); an account an admin
  deactivated is refused, never reactivated by an invitation;
- at most one président; a candidate of the session never sits on it;
- a member who has taken part (declared a link, scored, signed) is never removed: the président
  notes them absent instead;
- the président notes the members present or absent, never themself absent; an absent member
  neither scores, deliberates nor signs the procès-verbal;
- only a programmed session changes (``locking.ensure_open``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from juries import notifications
from juries.enums import JuryRole
from juries.models import JuryMember, JurySession, awaiting_invitation
from juries.services.errors import JuryError
from juries.services.locking import ensure_open, ensure_president, locked_session

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def add_member(
    session: JurySession, actor: User, *, email: str, role: str, first_name: str = "", last_name: str = ""
) -> JuryMember:
    """Seat an existing account, or invite ``email``: an inactive account is created and the
    person receives a link to choose a password (which activates it)."""
    session = locked_session(session.pk)
    ensure_open(session)
    if role not in JuryRole.values:
        raise JuryError(_("Rôle inconnu."))
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
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


def resend_invitation(member: JuryMember, actor: User) -> None:
    if not awaiting_invitation(member.user):
        raise JuryError(_("Ce compte n'attend pas d'invitation : il n'y a rien à renvoyer."))
    notifications.jury_member_added(member.pk, True)


@transaction.atomic
def remove_member(member: JuryMember, actor: User) -> None:
    """A member who has already taken part (declared a link, scored, signed) stays on record:
    the président notes them absent instead."""
    ensure_open(locked_session(member.session_id))
    if member.declarations.exists() or member.evaluations.exists() or member.signatures.exists():
        raise JuryError(
            _(
                "%(user)s a déjà participé au jury (déclarations, notations) : il ne peut plus être retiré ; "
                "le président peut le noter absent."
            )
            % {"user": member.user}
        )
    JuryMember.objects.filter(pk=member.pk).delete()


@transaction.atomic
def set_presence(member: JuryMember, president: JuryMember, present: bool) -> JuryMember:
    """The président notes a member present or absent: an absent member neither deliberates nor
    signs the procès-verbal."""
    session = locked_session(member.session_id)
    ensure_president(president, session)
    ensure_open(session)
    if member.pk == president.pk and not present:
        raise JuryError(_("Le président préside la session : il ne peut pas être noté absent."))
    member = JuryMember.objects.select_related("user").get(pk=member.pk)
    member.present = present
    member.save(update_fields=["present"])
    return member
