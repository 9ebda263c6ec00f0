"""The documents app's answers to the hooks of the apps below it (connected in ``apps.py``)."""

from __future__ import annotations

from documents import services
from documents.enums import DocumentKind
from dossiers.enums import SnapshotKind

# A submission's snapshot kind → the PDF of the submitted dossier.
SUBMITTED_DOCUMENT = {
    SnapshotKind.FEASIBILITY: DocumentKind.FEASIBILITY,
    SnapshotKind.VALIDATION: DocumentKind.VALIDATION,
}


def request_submitted_pdf(sender, dossier, snapshot, actor, **kwargs) -> None:
    """A dossier was submitted (``dossiers.hooks.submitted``, inside its transaction): ask for its
    PDF, rendered by a worker once the submission commits."""
    services.request_document(SUBMITTED_DOCUMENT[sender], dossier, snapshot, actor)
