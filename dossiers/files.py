"""The dossier's files in the one door for files (``core.file_access``): the candidate's rules,
and the audit of a read by someone else, which the juries, back office and API rules use.

Rules (registered by ``DossiersConfig.ready``):
- ``"proof"`` (a ``Proof``) and ``"identity_document"`` (a ``Dossier``), ``as_="candidate"``:
  the candidate reads their own files, submitted or not, while they are scanned too; an
  infected file is quarantined (``permissions.owner_may_download``), a proof whose file is gone
  is held as well. Nobody else reads them on the candidate's pages (the jury's rule adds the
  jury's members: ``juries.files``).
- Everyone but the candidate (certifier, juror, API) reads only what the candidate submitted
  (``permissions.proof_was_submitted``, ``permissions.identity_was_submitted``), once the
  antivirus has released it (``released_proof``, ``released_identity``), and each such read is
  written to the audit trail (``record_read``): consecutive reads of the same file by the same
  person within ``AUDIT_COALESCE_MINUTES`` make one row (``saves`` counts them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from audit import services as audit
from core import file_access
from dossiers.models import Dossier, Proof
from dossiers.permissions import file_released, owner_may_download

READ_ACTIONS = {"proof": "proof.read", "identity_document": "dossier.identity_read"}


def own_file(user, obj: Proof | Dossier) -> bool:
    dossier = obj.dossier if isinstance(obj, Proof) else obj
    return dossier.candidate_id == user.pk


def released_proof(proof: Proof) -> bool:
    return file_released(proof.scan_status) and bool(proof.file)


def released_identity(dossier: Dossier) -> bool:
    return file_released(dossier.identity_scan_status)


def record_read(user, obj: Proof | Dossier) -> None:
    """One row of the dossier's audit trail for a read by someone other than the candidate
    (personal data: CNIL recommends tracing who read it), coalesced as autosaves are."""
    is_proof = isinstance(obj, Proof)
    dossier = obj.dossier if is_proof else obj
    audit.record(
        READ_ACTIONS["proof" if is_proof else "identity_document"],
        actor=user,
        target=obj,
        target_repr=obj.original_name if is_proof else (dossier.identity_document_name or ""),
        dossier=dossier,
        coalesce=dt.timedelta(minutes=settings.AUDIT_COALESCE_MINUTES),
    )


def register() -> None:
    file_access.register(
        "proof",
        own_file,
        as_="candidate",
        is_open=lambda proof: owner_may_download(proof.scan_status) and bool(proof.file),
    )
    file_access.register(
        "identity_document",
        own_file,
        as_="candidate",
        is_open=lambda dossier: owner_may_download(dossier.identity_scan_status),
    )
