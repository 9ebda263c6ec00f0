"""Certifier pages: upload an RNCP flux → choose a fiche → preview → confirm → the draft.

Access: staff of a certifier organisation or superusers (404 for anyone else); a certifier
sees and imports only the fiches bearing one of their organisations' SIRETs (404 otherwise).
As on every page of the portal, the HTTP method is checked first: a read-only page answers POST
with 405, and the confirmation answers GET with 405, whoever asks.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certifications.enums import CertificationStatus
from certifications.models import Certification, RncpUpload
from certifications.permissions import acting_organisations, may_version_lineage
from certifications.rncp import preview, uploads
from certifications.rncp.forms import FicheSearchForm, RncpUploadForm
from certifications.rncp.importer import (
    CREATED,
    UNCHANGED,
    UPDATED,
    KnownCertifications,
    certification_data,
    import_fiches,
    plan_fiche,
)
from certifications.rncp.parser import RncpFormatError
from certifications.rncp.permissions import allowed_sirets, can_use_rncp_import, may_import_fiche


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


def _fiche_in_scope(request: HttpRequest, pk: int, code: str) -> tuple[RncpUpload, dict, set[str] | None]:
    """The upload, its index entry for ``code`` and the user's SIRETs; 404 outside their scope."""
    upload = get_object_or_404(RncpUpload, pk=pk)
    sirets = allowed_sirets(request.user)
    entry = uploads.index_entry(upload, code)
    if entry is None or not may_import_fiche(sirets, entry["sirets"]):
        raise Http404
    return upload, entry, sirets


@_rncp_access
def upload(request: HttpRequest) -> HttpResponse:
    form = RncpUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = uploads.save_upload(form.cleaned_data["file"], request.user)
        except RncpFormatError as exc:
            form.add_error("file", _("Fichier refusé : %(error)s") % {"error": exc})
        else:
            messages.success(
                request,
                _("Fichier déposé : %(count)s fiches lues (flux %(version)s).")
                % {"count": saved.fiche_count, "version": saved.flux_version},
            )
            return redirect("rncp:file", pk=saved.pk)
    recent = RncpUpload.objects.defer("index").select_related("uploaded_by")[:20]
    return render(request, "certifications/rncp/upload.html", {"form": form, "uploads": recent})


@require_GET
@_rncp_access
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(RncpUpload, pk=pk)
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
    upload, entry, sirets = _fiche_in_scope(request, pk, code)
    fiche = uploads.read_fiche(upload, code)
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
    upload, _entry, sirets = _fiche_in_scope(request, pk, code)
    fiche = uploads.read_fiche(upload, code)
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
