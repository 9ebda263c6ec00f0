"""The large demo data set's PDFs (``seed_demo --candidates N``): the PDF of each submitted
snapshot, ready (a small generated file), as the documents pipeline leaves it after a submission.
Rows through ``core.bulk``; see ``vae_portal.bulk_demo``."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from django.conf import settings

from core.bulk import Table
from documents.enums import DocumentStatus
from dossiers.bulk import BuiltDossier, small_pdf

TITLES = {"feasibility": "Demande de recevabilite", "validation": "Dossier de validation"}


def build_documents(table: Table, dossier: BuiltDossier, write_files: bool = True) -> None:
    for kind, (snapshot_id, submitted_at) in dossier.snapshots.items():
        document_id = table.new_id()
        body = small_pdf(f"{TITLES.get(kind, kind)} - dossier {dossier.id}")
        name = f"documents/{dossier.id}/bulk-{kind}-{document_id}.pdf"
        if write_files:
            path = Path(settings.MEDIA_ROOT) / name
            os.makedirs(path.parent, exist_ok=True)
            path.write_bytes(body)
        done_at = submitted_at + dt.timedelta(seconds=20)
        table.add(
            id=document_id,
            kind=kind,
            dossier_id=dossier.id,
            snapshot_id=snapshot_id,
            status=DocumentStatus.DONE,
            attempts=1,
            file=name,
            sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
            pages=1,
            requested_by_id=dossier.candidate_id,
            created_at=submitted_at,
            queued_at=submitted_at,
            started_at=submitted_at + dt.timedelta(seconds=5),
            finished_at=done_at,
        )
