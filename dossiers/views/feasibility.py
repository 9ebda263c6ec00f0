"""Stage 1, the recevabilité request: experiences, self-positioning, sworn statement, identity
document, and the request itself."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import file_access
from core.actions import attempt
from core.files import serve_file
from dossiers import permissions, progress, services
from dossiers.forms import ExperienceForm, IdentityDocumentForm, SwornStatementForm
from dossiers.views.files import file_unavailable


def _experiences_context(dossier, form=None):
    experiences = list(dossier.experiences.order_by("order", "pk"))
    for e in experiences:
        e.months = progress.total_months([e])
        e.hours = progress.estimated_hours(e)
    hours = [e.hours for e in experiences if e.hours]
    months = progress.total_months(experiences)
    return {
        "dossier": dossier,
        "experiences": experiences,
        "total_months": months,
        "total_duration": progress.duration_label(months),
        "total_hours": sum(hours) if hours else None,
        "writable": dossier.feasibility_editable or dossier.validation_editable,
        "form": form,
    }


@require_http_methods(["GET", "POST"])
def experiences(request, pk: int):
    """The list (with total duration) and, while writable, the form to add one."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    form = None
    if dossier.feasibility_editable or dossier.validation_editable:
        form = ExperienceForm(request.POST or None)
    elif request.method == "POST":
        permissions.require_experiences_writable(dossier)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.save_experience(dossier, form.save(commit=False), actor=request.user),
            _("Expérience ajoutée."),
        )[0]
    ):
        return redirect("dossiers:experiences", pk=dossier.pk)
    return render(request, "dossiers/experiences.html", _experiences_context(dossier, form))


@require_http_methods(["GET", "POST"])
def experience_edit(request, pk: int, experience_pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    experience = get_object_or_404(dossier.experiences, pk=experience_pk)
    permissions.require_experiences_writable(dossier)
    form = ExperienceForm(request.POST or None, instance=experience)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.save_experience(dossier, form.save(commit=False), actor=request.user),
            _("Expérience enregistrée."),
        )[0]
    ):
        return redirect("dossiers:experiences", pk=dossier.pk)
    return render(
        request, "dossiers/experience_form.html", {"dossier": dossier, "form": form, "experience": experience}
    )


@require_http_methods(["GET", "POST"])
def experience_delete(request, pk: int, experience_pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    experience = get_object_or_404(dossier.experiences, pk=experience_pk)
    permissions.require_experiences_writable(dossier)
    if request.method == "POST":
        attempt(
            request,
            lambda: services.delete_experience(dossier, experience, actor=request.user),
            _("Expérience supprimée."),
        )
        return redirect("dossiers:experiences", pk=dossier.pk)
    linked = experience.statements.count()
    return render(
        request,
        "dossiers/experience_confirm_delete.html",
        {"dossier": dossier, "experience": experience, "linked": linked},
    )


@require_POST
def experience_move(request, pk: int, experience_pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    experience = get_object_or_404(dossier.experiences, pk=experience_pk)
    permissions.require_experiences_writable(dossier)
    offset = -1 if request.POST.get("direction") == "up" else 1
    attempt(request, lambda: services.move_experience(dossier, experience, offset, actor=request.user))
    return redirect(reverse("dossiers:experiences", args=[dossier.pk]) + f"#experience-{experience.pk}")


@require_safe
def positioning(request, pk: int):
    """Self-positioning on every compétence of the targeted blocs, each saved on its own
    (autosave, or the form's button without JavaScript)."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    statements = list(
        dossier.statements.select_related("competency__block").order_by("competency__block__order", "competency__order")
    )
    return render(
        request,
        "dossiers/positioning.html",
        {
            "dossier": dossier,
            "statements": statements,
            "writable": dossier.feasibility_editable,
            "positioned": sum(1 for s in statements if s.self_assessment),
        },
    )


@require_POST
def sworn_statement(request, pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    permissions.require_stage1_writable(dossier)
    form = SwornStatementForm(request.POST)
    form.is_valid()  # a lone checkbox: always valid
    signed, _result = attempt(
        request, lambda: services.sign_sworn_statement(dossier, form.cleaned_data["signed"], actor=request.user)
    )
    if signed:
        if form.cleaned_data["signed"]:
            messages.success(request, _("Attestation sur l'honneur signée."))
        else:
            messages.info(request, _("Attestation sur l'honneur retirée."))
    return redirect(reverse("dossiers:detail", args=[dossier.pk]) + "#attestation")


@require_POST
def identity_document(request, pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    permissions.require_stage1_writable(dossier)
    form = IdentityDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = " ".join(form.errors.get("document", [])) or _("Choisissez le fichier de votre pièce d'identité.")
        messages.error(request, _("Pièce d'identité refusée : %(why)s") % {"why": errors})
    else:
        attempt(
            request,
            lambda: services.set_identity_document(dossier, form.cleaned_data["document"], actor=request.user),
            _("Pièce d'identité déposée."),
            refusal_format=_("Pièce d'identité refusée : %(why)s"),
        )
    return redirect(reverse("dossiers:detail", args=[dossier.pk]) + "#identite")


@require_safe
def identity_download(request, pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    grant = file_access.grant_or_404(request.user, "identity_document", dossier, as_="candidate")
    if not grant.is_open:
        return file_unavailable(request, dossier.identity_scan_status, dossier.get_absolute_url())
    return serve_file(dossier.identity_document, dossier.identity_document_name or "identite")


@require_http_methods(["GET", "POST"])
def request_feasibility(request, pk: int):
    """What is still missing (each item linked), then "Demander la recevabilité"."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    if request.method == "POST":
        permissions.require_stage1_writable(dossier)
        done, missing = attempt(
            request,
            lambda: services.request_feasibility(dossier, request.user),
            _("Votre demande de recevabilité est transmise au certificateur. Vous serez prévenu(e) par e-mail."),
            on_refusal=services.missing_of,
        )
        if done or missing is None:  # sent, or refused for another reason than what is missing
            return redirect(dossier)
    else:
        missing = services.feasibility_missing(dossier) if dossier.feasibility_editable else []
    return render(request, "dossiers/feasibility_request.html", {"dossier": dossier, "missing": missing})
