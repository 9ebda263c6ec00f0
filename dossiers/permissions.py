"""Who may see and change a dossier from the candidate's pages.

Rules:
- a candidate sees and edits their own dossiers only; anyone else (another candidate, a
  certifier, a jury member, an admin) gets a 404 on these pages — staff work elsewhere;
- stage 1 (experiences' recevabilité part, positioning, sworn statement, identity document) is
  writable in draft and "recevabilité à compléter"; stage 2 (narratives, proofs) while
  "recevable" and "dossier de validation à compléter"; writing elsewhere is a 403;
- uploaded files are served only to whom ``can_read_files`` allows, as attachments: the
  candidate, and the jury members of a session the dossier is convoked to who declared no link
  with the candidate — those only the proofs of the dossier they were submitted in.
- with an antivirus configured (``dossiers.scanning``), a file reaches anyone but its owner
  (certifiers, juries) only once found clean (``file_released``); its owner may download it
  while it is being scanned, never once found infected (``owner_may_download``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dossiers.enums import ScanStatus
from dossiers.models import Dossier

RELEASED_SCAN_STATUSES = frozenset({ScanStatus.NOT_SCANNED, ScanStatus.CLEAN})


def candidate_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers ``user`` owns (none for an anonymous visitor)."""
    return Dossier.objects.owned_by(user).select_related("certification")


def own_dossier_or_404(user, pk: int) -> Dossier:
    return get_object_or_404(candidate_dossiers(user), pk=pk)


def can_read_files(user, dossier: Dossier) -> bool:
    """The candidate reads their own files; a jury member of a session the dossier is convoked
    to reads them once they have declared no link with the candidate (``juries.permissions``).
    (Certifiers read the submitted files through the back office.)"""
    if not user.is_authenticated:
        return False
    if dossier.candidate_id == user.pk:
        return True
    from juries.permissions import jury_reads_dossier  # the jury app owns its members' rules

    return jury_reads_dossier(user, dossier)


def can_read_proof(user, proof) -> bool:
    """The candidate reads any of their proofs; a jury member (``can_read_files``) only a proof
    that is, file for file (same SHA-256), in a dossier de validation submitted."""
    dossier = proof.dossier
    if not can_read_files(user, dossier):
        return False
    if dossier.candidate_id == user.pk:
        return True
    from dossiers.services import proof_was_submitted

    return proof_was_submitted(proof)


def file_released(scan_status: str) -> bool:
    """May a file go to someone other than the candidate who uploaded it (a certifier, a juror)?

    Yes once clamd found it clean, or when it was never scanned because no antivirus is
    configured (then files are served as they are, as documented in the README). Pending,
    failed or infected: no. Every staff and jury download view checks this."""
    return scan_status in RELEASED_SCAN_STATUSES


def owner_may_download(scan_status: str) -> bool:
    """The candidate downloads their own file while it is scanned (it came from their own
    machine: nothing new reaches them), but not an infected one: it is quarantined."""
    return scan_status != ScanStatus.INFECTED


def file_open_to(user, dossier: Dossier, scan_status: str) -> bool:
    """For a reader ``can_read_files`` already allows: the candidate unless the file is
    infected (``owner_may_download``), anyone else (a juror) once it is released."""
    if dossier.candidate_id == user.pk:
        return owner_may_download(scan_status)
    return file_released(scan_status)


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
