"""Who takes part in a dossier's thread, and on which side.

Rules (default deny):
- the dossier's candidate, on the candidate's side (their pages, ``/messages/dossiers/…``);
- the staff of an organisation that delivers the dossier's certification (a superuser acts as
  every certifier), on the certifier's side (the back office), once recevabilité has been
  requested: a draft the candidate never sent is theirs alone, as in the back office;
- the staff of the accompaniment organisation that accompanies the dossier
  (``accompaniment.permissions.accompanies``), on the accompagnateur's side (their space,
  ``/messages/accompagnement/…``); once the accompaniment has ended, they read the thread for the
  read-only period (``reads``) without writing (``may_write``), then nothing;
- nobody else: another candidate, an accompagnateur of another organisation, a certifier of
  another organisation, a jury member (a juror reads the dossier, never its thread), an
  anonymous visitor. Outside one's scope: 404; a
  person who is no certifier at all on the certifier's pages: 403 (as the back office);
- annotations are the certifier side's alone (``may_annotate``): never the candidate's, never the
  accompagnateur's.

``SIDE_RULES`` is the list of rules ``(user, dossier) -> side or None``; an app above may add one
with ``register_side_rule`` in its ``ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accompaniment import permissions as accompaniment_permissions
from accompaniment.models import Accompaniment
from certifications.models import Certification
from dossiers.models import Dossier
from messaging.models import Side

SideRule = Callable[[Any, Dossier], str | None]


def is_certifier(user) -> bool:
    """Staff of a certifier organisation, or a superuser (the back office's rule)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.certifiers.exists()


def staff_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers whose thread ``user`` reads as the certifier's staff."""
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    return Dossier.objects.filter(
        certification__in=Certification.objects.managed_by(user).values("pk"), feasibility_submitted_at__isnull=False
    )


def candidate_side(user, dossier: Dossier) -> str | None:
    return Side.CANDIDATE if user.is_active and dossier.candidate_id == user.pk else None


def certifier_side(user, dossier: Dossier) -> str | None:
    return Side.CERTIFIER if staff_dossiers(user).filter(pk=dossier.pk).exists() else None


def accompagnateur_side(user, dossier: Dossier) -> str | None:
    """Staff of the organisation that accompanies the dossier, or did within the read-only period."""
    return Side.ACCOMPAGNATEUR if accompaniment_permissions.reads(user, dossier) else None


SIDE_RULES: list[SideRule] = [candidate_side, certifier_side, accompagnateur_side]


def register_side_rule(rule: SideRule) -> SideRule:
    """One more kind of participant (once: ``ready`` may run again in tests)."""
    if rule not in SIDE_RULES:
        SIDE_RULES.append(rule)
    return rule


def side_of(user, dossier: Dossier) -> str | None:
    """The side ``user`` writes from in ``dossier``'s thread, or None: not a participant."""
    if not getattr(user, "is_authenticated", False):
        return None
    for rule in SIDE_RULES:
        side = rule(user, dossier)
        if side:
            return side
    return None


def may_write(user, dossier: Dossier, side: str | None = None) -> bool:
    """A participant writes, except an accompagnateur whose accompaniment has ended."""
    side = side or side_of(user, dossier)
    if side == Side.ACCOMPAGNATEUR:
        return accompaniment_permissions.accompanies(user, dossier)
    return side is not None


def may_annotate(user, dossier: Dossier) -> bool:
    """Annotations: the certifier's staff only."""
    return side_of(user, dossier) == Side.CERTIFIER


def candidate_dossier_or_404(user, pk: int) -> Dossier:
    """The candidate's own dossier (404 for anyone else, staff included: they work elsewhere)."""
    return get_object_or_404(Dossier.objects.owned_by(user).select_related("certification"), pk=pk)


def staff_dossier_or_404(user, pk: int) -> Dossier:
    """403 for anyone who is not a certifier, 404 outside their organisations."""
    if not is_certifier(user):
        raise PermissionDenied
    return get_object_or_404(staff_dossiers(user).select_related("certification", "candidate"), pk=pk)


def accompaniment_or_404(user, pk: int) -> Accompaniment:
    """The accompaniment through which ``user`` reads dossier ``pk``'s thread (404 for anyone who
    is not staff of its organisation, or once the read-only period is over)."""
    return accompaniment_permissions.accompaniment_for_reader_or_404(user, pk)
