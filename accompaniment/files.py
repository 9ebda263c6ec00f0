"""The accompagnateur's reads of a dossier's files in the one door for files
(``core.file_access``, audience ``"accompaniment"``).

Rule: staff of the organisation that accompanies the dossier (or did, within the read-only
period: ``permissions.reads``) read its proofs and identity document as the candidate sees
them, drafts included (they help write the dossier), once the antivirus has released them; each
read is written to the dossier's audit trail (``dossiers.files.record_read``).
"""

from __future__ import annotations

from accompaniment.permissions import reads
from core import file_access
from dossiers.files import record_read, released_identity, released_proof


def _reads_proof(user, proof) -> bool:
    return reads(user, proof.dossier)


def _reads_identity(user, dossier) -> bool:
    return reads(user, dossier)


def register() -> None:
    file_access.register("proof", _reads_proof, as_="accompaniment", is_open=released_proof, on_read=record_read)
    file_access.register(
        "identity_document", _reads_identity, as_="accompaniment", is_open=released_identity, on_read=record_read
    )
