"""Who may see and change a dossier from the candidate's pages.

Rules:
- a candidate sees and edits their own dossiers only; anyone else (another candidate, a
  certifier, a jury member, an admin) gets a 404 on these pages — staff work elsewhere;
- stage 1 (experiences' recevabilité part, positioning, sworn statement, identity document) is
  writable in draft and "recevabilité à compléter"; stage 2 (narratives, proofs) while
  "recevable" and "dossier de validation à compléter"; writing elsewhere is a 403;
- uploaded files are served only to whom ``can_read_files`` allows, as attachments.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dossiers.models import Dossier


def candidate_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers ``user`` owns (none for an anonymous visitor)."""
    return Dossier.objects.owned_by(user).select_related("certification")


def own_dossier_or_404(user, pk: int) -> Dossier:
    return get_object_or_404(candidate_dossiers(user), pk=pk)


def can_read_files(user, dossier: Dossier) -> bool:
    """The candidate reads their own files. (Certifiers and juries will read the submitted
    files through their own pages, with their own rules.)"""
    return user.is_authenticated and dossier.candidate_id == user.pk


def require_stage1_writable(dossier: Dossier) -> None:
    if not dossier.feasibility_editable:
        raise PermissionDenied(_("Cette partie du dossier n'est pas modifiable dans son état actuel."))


def require_experiences_writable(dossier: Dossier) -> None:
    if not (dossier.feasibility_editable or dossier.validation_editable):
        raise PermissionDenied(_("Les expériences ne sont pas modifiables dans l'état actuel du dossier."))


def require_stage2_writable(dossier: Dossier) -> None:
    if not dossier.validation_editable:
        raise PermissionDenied(_("Le dossier de validation n'est pas modifiable dans son état actuel."))


def stage2_open(dossier: Dossier) -> bool:
    """Stage 2 pages exist once the dossier is admissible (read-only once submitted)."""
    return dossier.in_stage2
