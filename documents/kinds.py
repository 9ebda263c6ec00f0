"""The dossier PDFs, as kinds of the documents registry (``documents.registry``).

- dossier de validation and demande de recevabilité: rendered from a submitted snapshot, read
  by the candidate, an admin and the staff of a certifier of the dossier's certification (the
  jury adds itself as a reader of the dossier de validation: ``juries.documents``);
- the certifier's decision letter on a demande de recevabilité (``documents.letters``), one per
  submitted version, read as the demande is;
- draft preview: the live draft, marked as a draft on every page, read by the candidate (and an
  admin) only, rendered from its own queue (``DOCUMENTS_PREVIEW_QUEUE``) so that a flood of
  previews never holds an official PDF back.
"""

from __future__ import annotations

from django.conf import settings

from certifications.models import Certification
from documents import letters
from documents.enums import DocumentKind
from documents.registry import Kind, register

PREFIXES = {
    DocumentKind.VALIDATION: "dossier-de-validation",
    DocumentKind.FEASIBILITY: "demande-de-recevabilite",
    DocumentKind.PREVIEW: "apercu-brouillon",
    DocumentKind.FEASIBILITY_DECISION: "decision-de-recevabilite",
}


def file_name(document) -> str:
    number = f"-{document.snapshot.number}" if document.snapshot_id else ""
    return f"{PREFIXES[document.kind]}-{document.dossier_id}{number}.pdf"


def candidate_or_admin(user, document) -> bool:
    """The candidate who owns the dossier, or an admin (superuser)."""
    return user.is_superuser or document.dossier.candidate_id == user.pk


def submitted_reader(user, document) -> bool:
    """``candidate_or_admin``, or staff of a certifier of the dossier's certification."""
    return (
        candidate_or_admin(user, document)
        or Certification.objects.managed_by(user).filter(pk=document.dossier.certification_id).exists()
    )


def render_submitted(document):
    from documents import pdf  # WeasyPrint loads only where documents are rendered

    return pdf.render_snapshot(document.snapshot)


def render_preview(document):
    from documents import pdf  # WeasyPrint loads only where documents are rendered

    return pdf.render_draft(document.dossier)


def preview_queue() -> str:
    return settings.DOCUMENTS_PREVIEW_QUEUE


for code in (DocumentKind.VALIDATION, DocumentKind.FEASIBILITY):
    register(
        Kind(
            code=code,
            label=DocumentKind(code).label,
            owner="dossier",
            render=render_submitted,
            may_read=submitted_reader,
            file_name=file_name,
        )
    )
register(
    Kind(
        code=DocumentKind.FEASIBILITY_DECISION,
        label=DocumentKind.FEASIBILITY_DECISION.label,
        owner="dossier",
        template="pdf/feasibility_decision.html",
        context=letters.feasibility_decision_context,
        may_read=submitted_reader,
        file_name=file_name,
    )
)
register(
    Kind(
        code=DocumentKind.PREVIEW,
        label=DocumentKind.PREVIEW.label,
        owner="dossier",
        render=render_preview,
        may_read=candidate_or_admin,
        file_name=file_name,
        queue=preview_queue,
    )
)
