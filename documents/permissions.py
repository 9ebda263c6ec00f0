"""Who may read a generated document."""

from __future__ import annotations

from certifications.models import Certification
from documents.enums import DocumentKind


def can_read_document(user, document) -> bool:
    """May ``user`` see and download ``document``?

    - the candidate who owns the dossier: always;
    - an admin (superuser): always;
    - staff of a certifier of the dossier's certification: submitted documents (recevabilité,
      dossier de validation), never the candidate's draft previews.
    Jury members are to be added here (dossiers of the sessions they sit on, once they have
    declared no conflict of interest).
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser or document.dossier.candidate_id == user.pk:
        return True
    if document.kind == DocumentKind.PREVIEW:
        return False
    return Certification.objects.managed_by(user).filter(pk=document.dossier.certification_id).exists()
