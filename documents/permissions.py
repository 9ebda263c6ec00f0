"""Who may read a generated document."""

from __future__ import annotations

from certifications.models import Certification
from documents.enums import DocumentKind


def can_read_document(user, document) -> bool:
    """May ``user`` see and download ``document``?

    - the candidate who owns the dossier: always;
    - an admin (superuser): always;
    - a draft preview: nobody else (the draft is the candidate's own until submitted);
    - staff of a certifier of the dossier's certification: the submitted documents;
    - a jury member: the dossier de validation, on the terms of the candidate's files — sitting
      on a session the dossier is convoked to, with no link declared with the candidate
      (``juries.permissions.jury_reads_dossier``).
    """
    if not user.is_authenticated:
        return False
    dossier = document.dossier
    if user.is_superuser or dossier.candidate_id == user.pk:
        return True
    if document.kind == DocumentKind.PREVIEW:
        return False
    if Certification.objects.managed_by(user).filter(pk=dossier.certification_id).exists():
        return True
    from juries.permissions import jury_reads_dossier  # the jury app owns its members' rules

    return document.kind == DocumentKind.VALIDATION and jury_reads_dossier(user, dossier)
