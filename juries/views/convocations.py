"""The candidate's convocation, from their dossier page: the PDF to print and the calendar file.
Only the candidate convoked reads them here (404 for anyone else: the certifier reads the PDF
from the back office's session page)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from core import file_access
from core.files import serve_file
from documents import services as documents
from juries.calendar import convocation_ics
from juries.enums import JuryDocumentKind
from juries.models import Convocation, JuryDocument


def _own_convocation(user, pk: int) -> Convocation:
    """A convocation of the user's own dossier, live or cancelled (404 otherwise)."""
    return get_object_or_404(
        Convocation.objects.select_related("session__certification", "dossier"), pk=pk, dossier__candidate=user.pk
    )


@require_safe
def convocation_pdf(request, pk: int):
    """The convocation PDF; "en cours de génération" until it is ready (asked for here if a
    convocation older than the PDF has none)."""
    convocation = _own_convocation(request.user, pk)
    document = JuryDocument.objects.filter(convocation=convocation, kind=JuryDocumentKind.CONVOCATION).first()
    if document is None:
        documents.request_document(JuryDocumentKind.CONVOCATION, convocation=convocation)
        document = JuryDocument.objects.get(convocation=convocation, kind=JuryDocumentKind.CONVOCATION)
    file_access.grant_or_404(request.user, "jury_document", document, as_="candidate")  # documents.files
    if not document.is_ready:
        return render(request, "juries/document_status.html", {"document": document})
    return serve_file(document.file, document.download_name, "application/pdf")


@require_safe
def convocation_calendar(request, pk: int):
    """The iCalendar file (``juries.calendar``), cancelled or not."""
    convocation = _own_convocation(request.user, pk)
    response = HttpResponse(convocation_ics(convocation), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="convocation-jury-{convocation.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
