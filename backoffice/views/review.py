"""Dossier review: the queue (filters, counts, pagination, CSV), a dossier's submitted snapshot
read-only, its proofs and timeline, and the certifier's decisions through ``dossiers.services``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice import forms
from backoffice.permissions import certifications_for, certifier_required, dossiers_for, listed_dossiers_for
from backoffice.views.common import form_action
from core import file_access
from core.csv_export import csv_response
from core.files import serve_file
from core.paging import page_of
from core.search import between_days, search_people
from dossiers import feasibility, services
from dossiers.enums import DossierStatus, SnapshotKind
from dossiers.models import Dossier, Proof
from dossiers.permissions import file_released
from dossiers.snapshots import readable_content
from dossiers.views.files import file_unavailable
from messaging import views as messaging_views

PAGE_SIZE = 25


def filtered_dossiers(request):
    """The user's dossiers filtered by the queue form (state excluded: the tabs count per state)."""
    form = forms.QueueFilterForm(request.GET or None, certifications=certifications_for(request.user))
    dossiers = listed_dossiers_for(request.user).annotate(
        submitted_at=Coalesce("validation_submitted_at", "feasibility_submitted_at")
    )
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        dossiers = search_people(dossiers, data["q"])
        if data["certification"]:
            dossiers = dossiers.filter(certification=data["certification"])
        dossiers = between_days(dossiers, "submitted_at", data["submitted_from"], data["submitted_to"])
        status = data["status"]
    return form, dossiers, status


@certifier_required
def queue(request):
    form, dossiers, status = filtered_dossiers(request)
    counts = dossiers.aggregate(
        total=Count("pk"), **{s.value: Count("pk", filter=Q(status=s.value)) for s in forms.QUEUE_STATES}
    )
    if status:
        dossiers = dossiers.filter(status=status)
    dossiers = (
        dossiers.select_related("candidate", "certification")
        .annotate(received_at=F("feasibility__received_at"))
        .order_by("submitted_at", "pk")
    )
    page = page_of(dossiers, request.GET.get("page"), PAGE_SIZE, counts[status] if status else counts["total"])
    for d in page.object_list:
        # The two months after which silence is worth recevabilité (Code du travail L6412-2).
        d.deadline = feasibility.deadline(d.received_at) if d.status == DossierStatus.FEASIBILITY_SUBMITTED else None
    params = request.GET.copy()
    params.pop("page", None)
    tab_params = params.copy()
    tab_params.pop("status", None)
    tabs = [(s, counts[s.value]) for s in forms.QUEUE_STATES]
    context = {
        "form": form,
        "page": page,
        "status": status,
        "tabs": tabs,
        "total": counts["total"],
        "query": params.urlencode(),
        "tab_query": tab_params.urlencode(),
    }
    return render(request, "backoffice/review/queue.html", context)


def _date(value: dt.datetime | None) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


@certifier_required
def queue_export(request):
    _form, dossiers, status = filtered_dossiers(request)
    if status:
        dossiers = dossiers.filter(status=status)
    dossiers = dossiers.select_related("candidate", "certification").order_by("submitted_at", "pk")
    response, writer = csv_response(f"dossiers-{timezone.localdate().isoformat()}.csv")
    writer.writerow(
        [
            _("Dossier"),
            _("Nom"),
            _("Prénom"),
            _("E-mail"),
            _("Code"),
            _("Certification"),
            _("Version"),
            _("État"),
            _("Recevabilité demandée le"),
            _("Dossier de validation déposé le"),
            _("Dernière modification"),
        ]
    )
    for d in dossiers.iterator(chunk_size=500):
        writer.writerow(
            [
                d.pk,
                d.candidate.last_name,
                d.candidate.first_name,
                d.candidate.email,
                d.certification.code,
                d.certification.title,
                d.certification.version,
                d.get_status_display(),
                _date(d.feasibility_submitted_at),
                _date(d.validation_submitted_at),
                _date(d.updated_at),
            ]
        )
    return response


def _dossier(request, pk: int) -> Dossier:
    return get_object_or_404(dossiers_for(request.user).select_related("candidate", "certification"), pk=pk)


@certifier_required
def dossier_detail(request, pk: int):
    dossier = _dossier(request, pk)
    snapshots = list(dossier.snapshots.order_by("-created_at", "-pk"))
    chosen = request.GET.get("version")
    snapshot = next((s for s in snapshots if str(s.pk) == chosen), snapshots[0] if snapshots else None)
    proofs = {p.pk: p for p in dossier.proofs.all()}
    context = {
        "dossier": dossier,
        "snapshots": snapshots,
        "snapshot": snapshot,
        "content": readable_content(snapshot, proofs) if snapshot else None,
        "is_validation": snapshot is not None and snapshot.kind == SnapshotKind.VALIDATION,
        "identity_released": file_released(dossier.identity_scan_status),
        # The stored identity document is the one this version froze (not one replaced since).
        "identity_current": bool(dossier.identity_document)
        and snapshot is not None
        and (snapshot.content.get("identity_document") or {}).get("sha256") == dossier.identity_document_sha256,
        "transitions": dossier.transitions.select_related("actor").order_by("created_at", "pk"),
        "convocations": dossier.convocations.select_related("session").order_by("-created_at"),
        "feasibility_form": forms.FeasibilityDecisionForm(),
        # The dossier de faisabilité in the model's sections, each field present or marked missing.
        "feasibility_sections": feasibility.readable_sections(snapshot.content)
        if snapshot is not None and snapshot.kind == SnapshotKind.FEASIBILITY
        else [],
        "deadline": _deadline(dossier),
        "validation_form": forms.ValidationReviewForm(),
        **messaging_views.staff_context(request, dossier),  # the thread and annotations (one include)
    }
    return render(request, "backoffice/review/dossier.html", context)


def _deadline(dossier):
    """When the certifier's silence becomes recevabilité, while a request waits (L6412-2)."""
    if dossier.status != DossierStatus.FEASIBILITY_SUBMITTED:
        return None
    return feasibility.deadline(feasibility.feasibility_of(dossier).received_at)


@require_POST
@certifier_required
def decide_feasibility(request, pk: int):
    dossier = _dossier(request, pk)
    form = forms.FeasibilityDecisionForm(request.POST)
    labels = dict(form.fields["decision"].choices)
    return form_action(
        request,
        form,
        lambda d: services.decide_feasibility(
            dossier, request.user, d["decision"], d["comment"], sections=d.get("sections") or []
        ),
        template="backoffice/review/decision.html",
        context={"dossier": dossier, "heading": _("Décision de recevabilité")},
        success_url=reverse("backoffice:dossier", args=[dossier.pk]),
        success_message=_("Décision enregistrée : %(d)s. Le candidat en est averti par e-mail.")
        % {"d": labels.get(request.POST.get("decision"), "")},
    )


@require_POST
@certifier_required
def review_validation(request, pk: int):
    dossier = _dossier(request, pk)
    form = forms.ValidationReviewForm(request.POST)
    return form_action(
        request,
        form,
        lambda d: services.review_validation(
            dossier, request.user, d["decision"] == forms.ValidationReviewForm.COMPLETE, d["comment"]
        ),
        template="backoffice/review/decision.html",
        context={"dossier": dossier, "heading": _("Examen du dossier de validation")},
        success_url=reverse("backoffice:dossier", args=[dossier.pk]),
        success_message=_("Examen enregistré. Le candidat en est averti par e-mail."),
    )


@certifier_required
def proof_download(request, pk: int, proof_pk: int):
    dossier = _dossier(request, pk)
    proof = get_object_or_404(Proof, pk=proof_pk, dossier=dossier)
    grant = file_access.grant_or_404(request.user, "proof", proof, as_="certifier")  # backoffice.files
    if not grant.is_open:
        return file_unavailable(request, proof.scan_status, reverse("backoffice:dossier", args=[dossier.pk]))
    return serve_file(proof.file, proof.original_name, proof.content_type, on_read=grant.on_read)


@certifier_required
def identity_download(request, pk: int):
    dossier = _dossier(request, pk)
    grant = file_access.grant_or_404(request.user, "identity_document", dossier, as_="certifier")
    if not grant.is_open:
        back = reverse("backoffice:dossier", args=[dossier.pk])
        return file_unavailable(request, dossier.identity_scan_status, back)
    name = dossier.identity_document_name or "identite"
    return serve_file(dossier.identity_document, name, on_read=grant.on_read)
