"""The jury's reads in the one door for files (``core.file_access``), ``as_="jury"``.

- ``"proof"``: a member of a session the dossier is convoked to, who declared no link with the
  candidate and still reads the session (``permissions.jury_reads_dossier``), reads the proofs
  the candidate submitted (``dossiers.permissions.proof_was_submitted``), once released by the
  antivirus; each read is audited (``dossiers.files.record_read``). The download is the
  candidate's own URL (``/dossiers/<id>/preuves/<id>/``), which asks ``as_=("candidate", "jury")``.
- The identity document is not the jury's to read.
- The jury's PDFs follow their kind's reader rule (``juries.documents``, in ``documents.registry``).
"""

from __future__ import annotations

from core import file_access
from dossiers.files import record_read, released_proof
from dossiers.permissions import proof_was_submitted
from juries.permissions import jury_reads_dossier


def jury_reads_proof(user, proof) -> bool:
    return jury_reads_dossier(user, proof.dossier) and proof_was_submitted(proof)


def register() -> None:
    file_access.register("proof", jury_reads_proof, as_="jury", is_open=released_proof, on_read=record_read)
