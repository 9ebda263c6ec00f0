"""The documents app's answers to the hooks of the apps below it (connected in ``apps.py``)."""

from __future__ import annotations

from documents import letters, services
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


def request_decision_letter(sender, instance, created: bool, **kwargs) -> None:
    """A decision on a demande de recevabilité was recorded (a ``TransitionLog`` out of
    « recevabilité demandée », by the certifier or by their silence): ask for its letter, on the
    version it decides, rendered once the decision commits."""
    snapshot = letters.decided_version(instance) if created else None
    if snapshot is not None:
        services.request_document(DocumentKind.FEASIBILITY_DECISION, instance.dossier, snapshot, instance.actor)
