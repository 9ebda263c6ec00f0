"""The proof library: upload once, link to any number of compétences; files are downloaded
only through here, after a permission check, as attachments."""

from django.conf import settings
from django.db.models import Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import file_access
from core.actions import attempt
from core.files import serve_file
from core.http import next_path
from dossiers import permissions, services
from dossiers.enums import ScanStatus
from dossiers.forms import ProofForm, ProofUploadForm
from dossiers.models import CompetencyStatement, Proof
from dossiers.uploads import UploadRejected
from dossiers.views.validation import _stage2_dossier


@require_http_methods(["GET", "POST"])
def proofs(request, pk: int):
    """The library and, while writable, the upload form (a refused file keeps the rest)."""
    dossier = _stage2_dossier(request, pk)
    writable = dossier.validation_editable
    if request.method == "POST":
        permissions.require_stage2_writable(dossier)
    initial = {}
    if request.GET.get("competence", "").isdigit():
        initial["competencies"] = [int(request.GET["competence"])]
    form = ProofUploadForm(request.POST or None, request.FILES or None, dossier=dossier, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added, _proof = attempt(
            request,
            lambda: services.add_proof(
                dossier,
                data["file"],
                competencies=data["competencies"],
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                date=data["date"],
                description=data["description"],
            ),
            _("Preuve « %(title)s » ajoutée.") % {"title": data["title"]},
            form=form,
            field_for={UploadRejected: "file"},  # the file's refusal beside the file input
        )
        if added:
            return redirect(next_path(request, reverse("dossiers:proofs", args=[dossier.pk])))
    library = list(
        dossier.proofs.prefetch_related(
            Prefetch(
                "statements",
                queryset=CompetencyStatement.objects.select_related("competency").order_by(
                    "competency__block__order", "competency__order"
                ),
            )
        ).order_by("uploaded_at", "pk")
    )
    used = dossier.proofs.aggregate(total=Sum("size"))["total"] or 0
    return render(
        request,
        "dossiers/proofs.html",
        {
            "dossier": dossier,
            "proofs": library,
            "form": form if writable else None,
            "used": used,
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "quota_bytes": settings.DOSSIER_QUOTA_BYTES,
            "next": next_path(request, ""),
        },
    )


@require_http_methods(["GET", "POST"])
def proof_edit(request, pk: int, proof_pk: int):
    dossier = _stage2_dossier(request, pk)
    proof = get_object_or_404(dossier.proofs, pk=proof_pk)
    permissions.require_stage2_writable(dossier)
    form = ProofForm(request.POST or None, instance=proof, dossier=dossier)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.update_proof(
                dossier, form.save(commit=False), competencies=form.cleaned_data["competencies"], actor=request.user
            ),
            _("Preuve enregistrée."),
        )[0]
    ):
        return redirect("dossiers:proofs", pk=dossier.pk)
    return render(request, "dossiers/proof_form.html", {"dossier": dossier, "proof": proof, "form": form})


@require_http_methods(["GET", "POST"])
def proof_delete(request, pk: int, proof_pk: int):
    dossier = _stage2_dossier(request, pk)
    proof = get_object_or_404(dossier.proofs, pk=proof_pk)
    permissions.require_stage2_writable(dossier)
    if request.method == "POST":
        attempt(request, lambda: services.delete_proof(dossier, proof, actor=request.user), _("Preuve supprimée."))
        return redirect("dossiers:proofs", pk=dossier.pk)
    return render(
        request,
        "dossiers/proof_confirm_delete.html",
        {"dossier": dossier, "proof": proof, "submitted": permissions.proof_was_submitted(proof)},
    )


def file_unavailable(request, scan_status: str, back_url: str = ""):
    """The page shown instead of a file the antivirus has not released: 410 once quarantined,
    403 while it is scanned (or could not be)."""
    status = 410 if scan_status == ScanStatus.INFECTED else 403
    context = {"scan_status": scan_status, "back_url": back_url}
    return render(request, "dossiers/file_unavailable.html", context, status=status)


@require_safe
def proof_download(request, pk: int, proof_pk: int):
    """The candidate's own proofs; also the jury's, who read the submitted ones
    (``core.file_access``: ``dossiers.files``, ``juries.files``); a certifier reads them in the
    back office, never here (404)."""
    proof = get_object_or_404(Proof.objects.select_related("dossier"), pk=proof_pk, dossier_id=pk)
    grant = file_access.grant_or_404(request.user, "proof", proof, as_=("candidate", "jury"))
    if not grant.is_open:
        owner = grant.audience == "candidate"
        return file_unavailable(request, proof.scan_status, reverse("dossiers:proofs", args=[pk]) if owner else "")
    return serve_file(proof.file, proof.original_name, proof.content_type, on_read=grant.on_read)
