"""Certifier pages: upload an RNCP flux → (a worker reads it) → choose a fiche → preview →
confirm → the draft.

Access: staff of a certifier organisation or superusers (404 for anyone else). An uploaded file
belongs to its uploader's organisations: only their staff (and superusers) see it, anyone else
gets 404. A certifier sees and imports only the fiches bearing one of their organisations'
SIRETs (404 otherwise). As on every page of the portal, the HTTP method is checked first: a
read-only page answers POST with 405, and the confirmation answers GET with 405, whoever asks.

While the worker reads a file, its pages show where it stands and refresh until it is done
(htmx polls the page, a ``<noscript>`` meta refresh does without JavaScript).
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from certifications.enums import CertificationStatus
from certifications.models import Certification, RncpUpload
from certifications.permissions import acting_organisations, may_version_lineage
from certifications.rncp import preview, uploads
from certifications.rncp.forms import FicheSearchForm, RncpUploadForm, UploadSizeLimit
from certifications.rncp.importer import (
    CREATED,
    UNCHANGED,
    UPDATED,
    KnownCertifications,
    certification_data,
    import_fiches,
    plan_fiche,
)
from certifications.rncp.permissions import allowed_sirets, can_use_rncp_import, may_import_fiche

POLL_SECONDS = 2


def draft_editor_url(certification: Certification) -> str:
    """Where a certifier lands after an import, to correct the split and add the grilles: the
    back office's referential editor."""
    return reverse("backoffice:referential", args=[certification.pk])


def _rncp_access(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_use_rncp_import(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _visible_upload(request: HttpRequest, pk: int) -> RncpUpload:
    """The upload if it belongs to one of the user's organisations (any for a superuser); 404."""
    return get_object_or_404(RncpUpload.objects.visible_to(request.user), pk=pk)


def _fiche_in_scope(request: HttpRequest, upload: RncpUpload, code: str) -> tuple[dict, set[str] | None]:
    """The index entry of a ready upload for ``code`` and the user's SIRETs; 404 outside their scope."""
    sirets = allowed_sirets(request.user)
    entry = uploads.index_entry(upload, code) if upload.is_ready else None
    if entry is None or not may_import_fiche(sirets, entry["sirets"]):
        raise Http404
    return entry, sirets


def _reading_status(request: HttpRequest, upload: RncpUpload, code: str = "") -> HttpResponse:
    """Where the reading of a file stands, while it is not ready (pending or failed). Polled by
    htmx while pending; once it is over, the poll reloads the page, which then shows the result."""
    if request.headers.get("HX-Request"):
        if not upload.is_pending:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "certifications/rncp/_reading_status.html", {"upload": upload, "code": code})
    return render(
        request,
        "certifications/rncp/reading.html",
        {"upload": upload, "code": code, "poll_seconds": POLL_SECONDS},
    )


@csrf_exempt  # the token is checked by _upload_form, once the size limit is in place
@_rncp_access
def upload(request: HttpRequest) -> HttpResponse:
    # Before anything reads the body (the CSRF check would): past the limit, the file is skipped
    # as it arrives, so nothing beyond RNCP_UPLOAD_MAX_BYTES reaches the disk.
    limit = UploadSizeLimit(request, settings.RNCP_UPLOAD_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _upload_form(request, limit)


@csrf_protect
def _upload_form(request: HttpRequest, limit: UploadSizeLimit) -> HttpResponse:
    if request.method == "POST":
        data, files = request.POST, request.FILES  # the body is read here, through the limit
        form = RncpUploadForm(data, files, oversized=limit.exceeded)
        if form.is_valid():
            saved = uploads.create_upload(form.cleaned_data["file"], request.user)
            saved.refresh_from_db()  # read already when tasks run eagerly (tests, no worker)
            if saved.is_ready:
                message = _("Fichier déposé : %(count)s fiches lues (flux %(version)s).") % {
                    "count": saved.fiche_count,
                    "version": saved.flux_version,
                }
            else:
                message = _("Fichier déposé : sa lecture est en cours, cette page s’actualise toute seule.")
            messages.success(request, message)
            return redirect("rncp:file", pk=saved.pk)
    else:
        form = RncpUploadForm()
    recent = RncpUpload.objects.visible_to(request.user).defer("index").select_related("uploaded_by")[:20]
    return render(
        request,
        "certifications/rncp/upload.html",
        {"form": form, "uploads": recent, "max_bytes": settings.RNCP_UPLOAD_MAX_BYTES},
    )


@require_GET
@_rncp_access
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _visible_upload(request, pk)
    if not upload.is_ready or request.headers.get("HX-Request"):
        return _reading_status(request, upload)
    sirets = allowed_sirets(request.user)
    form = FicheSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip().lower() if form.is_valid() else ""
    entries = [
        entry
        for entry in upload.index
        if may_import_fiche(sirets, entry["sirets"])
        and (not query or query in entry["code"].lower() or query in entry["title"].lower())
    ]
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    known = KnownCertifications([entry["code"] for entry in page])
    acting = acting_organisations(request.user)
    rows = []
    for entry in page:
        existing = known.get(entry["code"])
        portal = None
        if existing is not None:
            version, status = existing["latest"]
            portal = {
                "version": version,
                "status": CertificationStatus(status).label,
                # Another organisation's certification: say so, and nothing of its versions.
                "foreign": not may_version_lineage(existing["owners"], acting),
            }
        rows.append((entry, portal))
    return render(
        request,
        "certifications/rncp/upload_detail.html",
        {"upload": upload, "page": page, "rows": rows, "form": form, "restricted": sirets is not None},
    )


@require_GET
@_rncp_access
def fiche_preview(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    upload = _visible_upload(request, pk)
    if not upload.is_ready or request.headers.get("HX-Request"):
        return _reading_status(request, upload, code)
    entry, sirets = _fiche_in_scope(request, upload, code)
    fiche = uploads.stored_fiche(upload, code)
    if fiche is None:
        raise Http404
    plan = plan_fiche(
        fiche,
        KnownCertifications([code]),
        explicitly_selected=True,
        allowed_sirets=sirets,
        acting=acting_organisations(request.user),
        flux_version=upload.flux_version,
    )
    data, _raws, warnings = certification_data(fiche, upload.flux_version)
    # Another organisation's certification: refused, and its versions (drafts too) are not shown.
    current = None if plan.reason_key == "other_certifier" else preview.current_version(code)
    context = {
        "upload": upload,
        "entry": entry,
        "plan": plan,
        "can_import": plan.action in (CREATED, UPDATED),
        "current": current,
        "fields": preview.field_rows(current, data),
        "blocs": preview.bloc_rows(current, data),
        "warnings": warnings,
    }
    return render(request, "certifications/rncp/preview.html", context)


@require_POST
@_rncp_access
def fiche_import(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    upload = _visible_upload(request, pk)
    if not upload.is_ready:
        return redirect("rncp:preview", pk=upload.pk, code=code)
    _entry, sirets = _fiche_in_scope(request, upload, code)
    fiche = uploads.stored_fiche(upload, code)
    if fiche is None:
        raise Http404
    with transaction.atomic():
        report = import_fiches(
            [fiche],
            codes=[code],
            allowed_sirets=sirets,
            acting=acting_organisations(request.user),
            actor=request.user,
            flux_version=upload.flux_version,
        )
    (outcome,) = report.outcomes
    if outcome.action in (CREATED, UPDATED):
        certification = Certification.objects.get(pk=outcome.certification_id)
        messages.success(
            request,
            _(
                "Brouillon %(code)s v%(version)s créé. Vérifiez le découpage des compétences et ajoutez "
                "les modalités d'évaluation et les grilles critériées avant de publier."
            )
            % {"code": code, "version": certification.version},
        )
        return redirect(draft_editor_url(certification))
    if outcome.action == UNCHANGED:
        messages.info(request, _("Rien à importer : %(reason)s.") % {"reason": outcome.reason})
    else:
        messages.error(request, _("Fiche non importée : %(reason)s.") % {"reason": outcome.reason})
    return redirect("rncp:preview", pk=upload.pk, code=code)
