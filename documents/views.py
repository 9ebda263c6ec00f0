"""Document pages: the status fragment (htmx polling), the download, retry and draft preview."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from core import file_access
from core.files import serve_file
from documents import services
from documents.enums import DocumentKind
from documents.models import GeneratedDocument
from dossiers.models import Dossier


def _readable_document(request, pk: int) -> GeneratedDocument:
    document = get_object_or_404(
        GeneratedDocument.objects.filter(dossier__isnull=False).select_related("dossier__certification", "snapshot"),
        pk=pk,
    )  # the jury's PDFs have their page under jury:document
    file_access.grant_or_404(request.user, "document", document, as_=file_access.AUDIENCES)  # documents.files
    return document


def _status_response(request, document: GeneratedDocument, error: str = ""):
    dossier = document.dossier
    document.can_retry = services.can_retry(request.user, document)
    context = {
        "document": document,
        "dossier": dossier,
        "kind": document.kind,
        "can_preview": dossier.candidate_id == request.user.pk,
        "error": error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "documents/_status.html", context)
    return render(request, "documents/status.html", context)


@require_safe
def status(request, pk: int):
    """The document's state; htmx polls it every few seconds until it is done or failed."""
    return _status_response(request, _readable_document(request, pk))


@require_safe
def download(request, pk: int):
    document = _readable_document(request, pk)
    if not document.is_ready:
        return _status_response(request, document)
    return serve_file(document.file, document.download_name, "application/pdf")


@require_POST
def retry(request, pk: int):
    document = _readable_document(request, pk)
    try:
        document = services.retry_document(document, request.user)
    except services.DocumentError as error:
        if request.headers.get("HX-Request"):
            return _status_response(request, document, error=str(error))
        messages.error(request, str(error))
    if request.headers.get("HX-Request"):
        return _status_response(request, document)
    return redirect("documents:status", pk=document.pk)


@require_POST
def preview(request, dossier_pk: int):
    """Ask for a PDF of the candidate's own draft."""
    dossier = get_object_or_404(Dossier.objects.owned_by(request.user), pk=dossier_pk)
    try:
        document = services.request_preview(dossier, request.user)
    except services.DocumentError as error:
        if not request.headers.get("HX-Request"):
            messages.error(request, str(error))
            return redirect(dossier)
        latest = GeneratedDocument.objects.latest_for(dossier, DocumentKind.PREVIEW)
        if latest is not None:
            return _status_response(request, latest, error=str(error))
        context = {"document": None, "dossier": dossier, "kind": DocumentKind.PREVIEW, "can_preview": True}
        return render(request, "documents/_status.html", {**context, "error": str(error)})
    if request.headers.get("HX-Request"):
        return _status_response(request, document)
    return redirect("documents:status", pk=document.pk)
