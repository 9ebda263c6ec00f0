"""The API's reads in the one door for files (``core.file_access``), ``as_="api"``.

- ``"proof"``: a certifier's token reads a proof of a dossier in its scope
  (``backoffice.permissions.dossiers_for``) that the latest dossier de validation froze with
  the SHA-256 of the stored file (``dossiers.permissions.is_submitted_file``), once released by
  the antivirus (otherwise 404: an API has no "fichier indisponible" page). Each read is
  audited (``dossiers.files.record_read``), as on the back office's pages.
- Generated documents follow their kind's reader rule (``documents.files``).
"""

from __future__ import annotations

from backoffice.permissions import dossiers_for
from core import file_access
from dossiers.enums import SnapshotKind
from dossiers.files import record_read, released_proof
from dossiers.models import Snapshot
from dossiers.permissions import is_submitted_file


def api_reads_proof(user, proof) -> bool:
    if not dossiers_for(user).filter(pk=proof.dossier_id).exists():
        return False
    snapshot = (
        Snapshot.objects.filter(dossier_id=proof.dossier_id, kind=SnapshotKind.VALIDATION).order_by("-number").first()
    )
    entry = next((p for p in (snapshot.content.get("proofs", []) if snapshot else []) if p["id"] == proof.pk), None)
    return entry is not None and is_submitted_file(proof, entry)


def register() -> None:
    file_access.register("proof", api_reads_proof, as_="api", is_open=released_proof, on_read=record_read)
