"""Stage 1, the recevabilité request (the dossier de faisabilité): its sections, experiences,
self-positioning (a help to write each bloc's comment), sworn statement, identity document,
the documents, and the request itself."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import file_access
from core.actions import attempt
from core.files import serve_file
from dossiers import feasibility, permissions, progress, services
from dossiers.enums import FeasibilitySection
from dossiers.forms import (
    BlockStatementForm,
    CandidateForm,
    CertificationChoicesForm,
    ExperienceForm,
    FeasibilityDocumentForm,
    IdentityDocumentForm,
    NatureForm,
    PrerequisitesForm,
    SignatureForm,
    SwornStatementForm,
)
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
            _(
                "Votre demande de recevabilité est transmise au certificateur. "
                "Un e-mail vous préviendra de sa décision."
            ),
            on_refusal=services.missing_of,
        )
        if done or missing is None:  # sent, or refused for another reason than what is missing
            return redirect(dossier)
    else:
        missing = services.feasibility_missing(dossier) if dossier.feasibility_editable else []
    return render(request, "dossiers/feasibility_request.html", {"dossier": dossier, "missing": missing})


# --- the dossier de faisabilité, section by section ---------------------------------------


@require_safe
def feasibility_overview(request, pk: int):
    """The model's sections in order, each with what it still lacks; the certifier's sections
    to complete are pointed out."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    request_row = feasibility.feasibility_of(dossier)
    sections = feasibility.section_states(dossier)
    to_complete = set(request_row.sections_to_complete or [])
    for s in sections:
        s["to_complete"] = s["key"] in to_complete
    return render(
        request,
        "dossiers/feasibility.html",
        {"dossier": dossier, "sections": sections, "writable": dossier.feasibility_editable},
    )


def _section_form(dossier, section: str, data=None, files=None):
    request_row = feasibility.feasibility_of(dossier)
    cert = dossier.certification
    S = FeasibilitySection
    if section == S.NATURE:
        return NatureForm(data, instance=request_row)
    if section == S.CERTIFICATION:
        return CertificationChoicesForm(data, certification=cert, feasibility=request_row)
    if section == S.PREREQUISITES:
        return PrerequisitesForm(data, certification=cert, feasibility=request_row)
    if section == S.CANDIDATE:
        return CandidateForm(data, identity=feasibility.identity_of(dossier), feasibility=request_row)
    if section == S.SIGNATURE:
        return SignatureForm(data, feasibility=request_row, signed=bool(dossier.sworn_statement_at))
    return None


def _block_forms(dossier, data=None):
    statements = {s.block_id: s for s in dossier.block_statements.all()}
    forms = []
    for block in dossier.targeted_blocks():
        st = statements.get(block.pk)
        initial = {"activity": st.activity, "comment": st.comment} if st else {}
        forms.append(BlockStatementForm(data, block=block, prefix=f"block-{block.pk}", initial=initial))
    return forms


def _save_section(request, dossier, section: str, form) -> bool:
    S = FeasibilitySection

    def save():
        if section == S.CANDIDATE:
            return services.save_feasibility(
                dossier, section, form.values(), identity=form.identity(), actor=request.user
            )
        if section == S.SIGNATURE:
            services.save_feasibility(dossier, section, form.values(), actor=request.user)
            return services.sign_sworn_statement(dossier, True, actor=request.user)
        return services.save_feasibility(dossier, section, form.values(), actor=request.user)

    done, _result = attempt(request, save, _("Rubrique « %(s)s » enregistrée.") % {"s": S(section).label})
    return done


@require_http_methods(["GET", "POST"])
def feasibility_section(request, pk: int, section: str):
    """One section of the dossier de faisabilité: its form (a refused one keeps what was typed,
    each missing field named), and what it still lacks."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    if section not in FeasibilitySection.values:
        raise Http404
    if section == FeasibilitySection.EXPERIENCES:
        return redirect("dossiers:experiences", pk=dossier.pk)
    writable = dossier.feasibility_editable
    if request.method == "POST":
        permissions.require_stage1_writable(dossier)
    post = request.POST if request.method == "POST" else None
    form = block_forms = document_form = None
    if section == FeasibilitySection.BLOCKS:
        block_forms = _block_forms(dossier, post)
        if post is not None:
            saved = 0
            for bf in block_forms:
                if bf.is_valid():
                    ok, _result = attempt(
                        request,
                        lambda bf=bf: services.save_block_statement(
                            dossier,
                            bf.block,
                            bf.cleaned_data["activity"],
                            bf.cleaned_data["comment"],
                            actor=request.user,
                        ),
                    )
                    saved += ok
            if all(bf.is_valid() for bf in block_forms) and saved == len(block_forms):
                messages.success(request, _("Activités par bloc enregistrées."))
                return redirect("dossiers:feasibility_section", pk=dossier.pk, section=section)
            messages.error(request, _("Certains blocs ne sont pas enregistrés : corrigez ce qui est signalé."))
    elif section == FeasibilitySection.DOCUMENTS:
        document_form = FeasibilityDocumentForm(post, request.FILES or None, certification=dossier.certification)
        if post is not None and document_form.is_valid():
            data = document_form.cleaned_data
            done, _result = attempt(
                request,
                lambda: services.add_feasibility_document(
                    dossier,
                    data["file"],
                    role=data["role"],
                    title=data["title"],
                    prerequisite=data.get("prerequisite", ""),
                    actor=request.user,
                ),
                _("Pièce déposée."),
                refusal_format=_("Pièce refusée : %(why)s"),
            )
            if done:
                return redirect("dossiers:feasibility_section", pk=dossier.pk, section=section)
    else:
        form = _section_form(dossier, section, post)
        if post is not None and form.is_valid() and _save_section(request, dossier, section, form):
            return redirect("dossiers:feasibility", pk=dossier.pk)
    context = {
        "dossier": dossier,
        "section": FeasibilitySection(section),
        "form": form,
        "block_forms": block_forms,
        "document_form": document_form,
        "documents": dossier.proofs.exclude(feasibility_role="").order_by("pk"),
        "identity_form": IdentityDocumentForm() if section == FeasibilitySection.DOCUMENTS else None,
        "writable": writable,
        "gaps": [g for g in feasibility.gaps(dossier) if g.section == section],
        "certification": dossier.certification,
        "feasibility": feasibility.feasibility_of(dossier),
    }
    return render(request, "dossiers/feasibility_section.html", context)


@require_POST
def feasibility_document_delete(request, pk: int, proof_pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    permissions.require_stage1_writable(dossier)
    proof = get_object_or_404(dossier.proofs.exclude(feasibility_role=""), pk=proof_pk)
    attempt(request, lambda: services.delete_proof(dossier, proof, actor=request.user), _("Pièce supprimée."))
    return redirect("dossiers:feasibility_section", pk=dossier.pk, section=FeasibilitySection.DOCUMENTS)
