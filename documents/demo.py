"""Demo PDFs (``seed_demo`` calls ``seed()``): the demo submissions already ask for theirs
through the services; this asks for any submitted version still without one (for instance
seeded before the documents app existed). The worker renders them once ``make run`` starts it."""

from __future__ import annotations

from documents import services
from documents.enums import DocumentKind
from dossiers.enums import SnapshotKind
from dossiers.models import Snapshot

KINDS = {SnapshotKind.VALIDATION: DocumentKind.VALIDATION, SnapshotKind.FEASIBILITY: DocumentKind.FEASIBILITY}


def seed() -> list[str]:
    """Queue the missing documents; return one line per document queued. Idempotent."""
    rows = []
    for snapshot in Snapshot.objects.filter(documents__isnull=True).select_related("dossier__candidate"):
        document = services.request_document(KINDS[snapshot.kind], snapshot.dossier, snapshot)
        rows.append(f"{document.get_kind_display()} n° {snapshot.number} de {snapshot.dossier.candidate.email}")
    return rows
