"""The certifier's reads in the one door for files (``core.file_access``), ``as_="certifier"``.

- ``"proof"`` and ``"identity_document"``: a certifier reads the files of a dossier in their
  scope (``permissions.dossiers_for``) that the candidate submitted
  (``dossiers.permissions.proof_was_submitted``, ``identity_was_submitted``): a file uploaded
  since the last submission stays the candidate's alone (404). Once released by the antivirus
  only (pending, failed, infected: "fichier indisponible"). Each read is audited
  (``dossiers.files.record_read``).
"""

from __future__ import annotations

from backoffice.permissions import dossiers_for, is_certifier
from core import file_access
from dossiers.files import record_read, released_identity, released_proof
from dossiers.permissions import identity_was_submitted, proof_was_submitted


def certifier_reads_dossier(user, dossier_id: int) -> bool:
    return is_certifier(user) and dossiers_for(user).filter(pk=dossier_id).exists()


def register() -> None:
    file_access.register(
        "proof",
        lambda user, proof: certifier_reads_dossier(user, proof.dossier_id) and proof_was_submitted(proof),
        as_="certifier",
        is_open=released_proof,
        on_read=record_read,
    )
    file_access.register(
        "identity_document",
        lambda user, dossier: certifier_reads_dossier(user, dossier.pk) and identity_was_submitted(dossier),
        as_="certifier",
        is_open=released_identity,
        on_read=record_read,
    )
