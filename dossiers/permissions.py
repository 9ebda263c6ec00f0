"""Who may see and change a dossier from the candidate's pages.

Rules:
- a candidate sees and edits their own dossiers only; anyone else (another candidate, a
  certifier, a jury member, an admin) gets a 404 on these pages — staff work elsewhere;
- stage 1 (experiences' recevabilité part, positioning, sworn statement, identity document) is
  writable in draft and "recevabilité à compléter"; stage 2 (narratives, proofs) while
  "recevable" and "dossier de validation à compléter"; writing elsewhere is a 403;
- uploaded files are served only to whom ``core.file_access`` allows, as attachments: the
  candidate (``dossiers.files``), the jury members of a session the dossier is convoked to who
  declared no link with the candidate, while their access lasts (``juries.files``), the
  certifier in the back office (``backoffice.files``) and the API (``api.files``);
- anyone but the candidate (the certifier in the back office, the jury) reads and even sees
  listed only the proofs the candidate submitted (``proof_was_submitted``): a file uploaded
  since the last submission stays the candidate's own until they submit again;
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
from dossiers.models import Dossier, Proof, Snapshot

RELEASED_SCAN_STATUSES = frozenset({ScanStatus.NOT_SCANNED, ScanStatus.CLEAN})


def candidate_dossiers(user) -> QuerySet[Dossier]:
    """The dossiers ``user`` owns (none for an anonymous visitor)."""
    return Dossier.objects.owned_by(user).select_related("certification")


def own_dossier_or_404(user, pk: int) -> Dossier:
    return get_object_or_404(candidate_dossiers(user), pk=pk)


def is_submitted_file(proof: Proof | None, entry: dict) -> bool:
    """``entry`` (a proof as a snapshot froze it) is ``proof`` as it is stored now: same id and
    same SHA-256. The one comparison behind ``proof_was_submitted`` and behind the proofs
    listed to certifiers and juries (``dossiers.snapshots.readable_content``)."""
    return proof is not None and entry.get("id") == proof.pk and entry.get("sha256") == proof.sha256


def proof_was_submitted(proof: Proof) -> bool:
    """Did the candidate submit this very file? The rule for everyone but the candidate: the
    certifier's and the jury's downloads ask it, and their pages list a dossier's proofs from a
    snapshot only (``is_submitted_file``), so an unsubmitted proof is neither listed nor served.

    "Submitted" means: a ``Snapshot`` of its dossier lists it, with the SHA-256 of the stored
    file. At each stage:

    - the recevabilité request (``SnapshotKind.FEASIBILITY``) freezes stage 1: experiences,
      positioning, sworn statement, identity document. Proofs belong to stage 2 (uploaded
      only once the dossier is recevable), so a recevabilité request lists none: while the
      certifier decides on recevabilité, and while the candidate writes their dossier de
      validation afterwards, no proof is theirs to read;
    - the dossier de validation (``SnapshotKind.VALIDATION``, one per deposit) freezes every
      proof of the library at the time of the deposit, linked to a compétence or not. A proof
      uploaded after a deposit (a dossier « à compléter ») is submitted by the next deposit,
      not before; what a deposit froze stays submitted (a submitted proof cannot be deleted and
      its file never changes; a file that no longer matches its SHA-256 is not the one
      submitted).

    The jury reads the dossier once convoked, hence after a deposit found complete: the same
    rule gives it the proofs of the dossier de validation."""
    return any(
        is_submitted_file(proof, entry)
        for content in Snapshot.objects.filter(dossier_id=proof.dossier_id).values_list("content", flat=True)
        for entry in content.get("proofs", [])
    )


def submitted_proof_ids(dossier: Dossier) -> set[int]:
    """The ids of the dossier's proofs ``proof_was_submitted`` accepts, in two queries: for the
    pages that name a dossier's proofs to someone other than its candidate."""
    stored = {p.pk: p for p in Proof.objects.filter(dossier_id=dossier.pk).only("pk", "sha256")}
    return {
        entry["id"]
        for content in Snapshot.objects.filter(dossier_id=dossier.pk).values_list("content", flat=True)
        for entry in content.get("proofs", [])
        if is_submitted_file(stored.get(entry.get("id")), entry)
    }


def identity_was_submitted(dossier: Dossier) -> bool:
    """Did the candidate submit the identity document stored now? A recevabilité request
    freezes its name and SHA-256; one replaced since (a request « à compléter ») is the
    candidate's own until they request recevabilité again. The rule of ``proof_was_submitted``,
    for the stage 1 file."""
    if not dossier.identity_document:
        return False
    return any(
        (content.get("identity_document") or {}).get("sha256") == dossier.identity_document_sha256
        for content in Snapshot.objects.filter(dossier=dossier).values_list("content", flat=True)
    )


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
