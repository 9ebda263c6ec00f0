"""The referential editor: drafts, versions, blocs, compétences, modalités, grilles, publication,
export and import. Every write is one call to ``certifications.services`` (drafts only)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice import forms
from backoffice.permissions import (
    assessment_methods_for,
    blocks_for,
    certifications_for,
    certifier_required,
    competencies_for,
    criteria_for,
    levels_for,
    organisations_for,
    rubrics_for,
)
from backoffice.views.common import button_action, error_text, form_action
from certifications import referential, services
from certifications.enums import CertificationStatus
from certifications.models import AssessmentMethod, Block, Certification, Rubric, RubricCriterion
from core.actions import REFUSALS
from juries.composition import JuryRule, JuryRuleError

FORM_TEMPLATE = "backoffice/referential/form.html"


def _certification(request, pk: int) -> Certification:
    return get_object_or_404(certifications_for(request.user), pk=pk)


def editor_url(cert_id: int, anchor: str = "") -> str:
    url = reverse("backoffice:referential", args=[cert_id])
    return f"{url}#{anchor}" if anchor else url


def _read_only(request, cert: Certification):
    """A published or archived version has no edit forms: back to its editor, which says why."""
    if cert.is_editable:
        return None
    try:
        services.ensure_editable(cert)
    except services.CertificationError as exc:
        messages.error(request, str(exc))
    return redirect(editor_url(cert.pk))


def _direction(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


# --- certifications -----------------------------------------------------------------------


@certifier_required
def referential_list(request):
    certifications = certifications_for(request.user).prefetch_related("certifiers").order_by("title", "-version")
    return render(request, "backoffice/referential/list.html", {"certifications": certifications})


@certifier_required
def referential_create(request):
    form = forms.CertificationCreateForm(request.POST or None, organisations=organisations_for(request.user))
    return form_action(
        request,
        form,
        lambda d: services.create_draft(request.user, list(d["certifiers"]), d["title"], d["code"], d["level"]),
        template=FORM_TEMPLATE,
        context={"heading": _("Nouvelle certification")},
        success_url=lambda cert: editor_url(cert.pk),
        success_message=_("Brouillon créé : complétez le référentiel puis publiez-le."),
    )


@certifier_required
def referential_import(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.import_referential(
                form.cleaned_data["document"], request.user, certifications_for(request.user)
            )
        except referential.ReferentialFormatError as exc:
            form.add_error("file", _("Fichier refusé, rien n'a été importé. %(problem)s") % {"problem": exc})
        except REFUSALS as exc:
            form.add_error("file", _("Rien n'a été importé. %(problem)s") % {"problem": exc})
        else:
            messages.success(
                request,
                _("Importé en brouillon : %(titles)s.") % {"titles": ", ".join(str(c) for c in created)},
            )
            return redirect(editor_url(created[0].pk))
    return render(request, "backoffice/referential/import.html", {"form": form})


def _editor_queryset():
    return Certification.objects.prefetch_related(
        "certifiers",
        Prefetch(
            "blocks",
            queryset=Block.objects.prefetch_related(
                "competencies",
                Prefetch("assessment_methods", queryset=AssessmentMethod.objects.order_by("order")),
                "rubric__levels",
                Prefetch("rubric__criteria", queryset=RubricCriterion.objects.prefetch_related("competencies")),
            ),
        ),
    )


@certifier_required
def referential_detail(request, pk: int):
    cert = get_object_or_404(_editor_queryset().filter(pk__in=certifications_for(request.user).values("pk")), pk=pk)
    transversal = (
        cert.assessment_methods.filter(block__isnull=True)
        .order_by("order")
        .prefetch_related("rubric__levels", "rubric__criteria__competencies")
    )
    versions = certifications_for(request.user).filter(lineage=cert.lineage).order_by("-version")
    try:
        rule_lines = JuryRule.from_data(cert.jury_rule).describe()
    except JuryRuleError as exc:
        rule_lines = [str(exc)]
    context = {
        "certification": cert,
        "blocks": cert.blocks.all(),
        "transversal": transversal,
        # A fresh row: chained queries on the prefetched relations would repeat every prefetch.
        "problems": services.publication_problems(Certification.objects.get(pk=cert.pk)) if cert.is_editable else [],
        "versions": versions,
        "has_draft": any(v.status == CertificationStatus.DRAFT for v in versions),
        "events": cert.events.select_related("actor").order_by("-created_at")[:20],
        "rule_lines": rule_lines,
        "block_form": forms.BlockForm(prefix="block"),
        "method_form": forms.AssessmentMethodForm(prefix="method"),
    }
    return render(request, "backoffice/referential/detail.html", context)


@certifier_required
def referential_identity(request, pk: int):
    cert = _certification(request, pk)
    if locked := _read_only(request, cert):
        return locked
    form = forms.IdentityForm(request.POST or None, instance=Certification.objects.get(pk=cert.pk))
    return form_action(
        request,
        form,
        lambda d: services.update_certification(cert, request.user, **form.service_values()),
        template="backoffice/referential/identity.html",
        context={"certification": cert},
        success_url=editor_url(cert.pk, "identity"),
        success_message=_("Identité et règles enregistrées."),
    )


@require_POST
@certifier_required
def referential_new_version(request, pk: int):
    cert = _certification(request, pk)
    try:
        draft = services.new_version(cert, actor=request.user)
    except REFUSALS as exc:
        messages.error(request, error_text(exc))
        return redirect(editor_url(cert.pk))
    messages.success(request, _("Version %(v)s créée en brouillon.") % {"v": draft.version})
    return redirect(editor_url(draft.pk))


@require_POST
@certifier_required
def referential_publish(request, pk: int):
    cert = _certification(request, pk)
    return button_action(
        request,
        lambda: services.publish(cert, actor=request.user),
        _("Version %(v)s publiée : elle ne peut plus être modifiée.") % {"v": cert.version},
        editor_url(cert.pk),
    )


@require_POST
@certifier_required
def referential_delete(request, pk: int):
    cert = _certification(request, pk)
    try:
        services.delete_draft(cert, actor=request.user)
    except REFUSALS as exc:
        messages.error(request, error_text(exc))
        return redirect(editor_url(cert.pk))
    messages.success(request, _("Brouillon supprimé."))
    return redirect("backoffice:referentials")


@certifier_required
def referential_export(request, pk: int):
    cert = _certification(request, pk)
    document = referential.export_document([cert])
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{cert.slug}-v{cert.version}.json"'
    return response


# --- blocs --------------------------------------------------------------------------------


@certifier_required
def block_add(request, pk: int):
    cert = _certification(request, pk)
    if locked := _read_only(request, cert):
        return locked
    form = forms.BlockForm(request.POST or None, prefix="block")
    return form_action(
        request,
        form,
        lambda d: services.add_block(cert, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": cert, "heading": _("Ajouter un bloc")},
        success_url=lambda block: editor_url(cert.pk, f"block-{block.pk}"),
        success_message=_("Bloc ajouté."),
    )


@certifier_required
def block_edit(request, pk: int):
    block = get_object_or_404(blocks_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, block.certification):
        return locked
    form = forms.BlockForm(request.POST or None, instance=Block.objects.get(pk=block.pk))
    return form_action(
        request,
        form,
        lambda d: services.update_block(block, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": block.certification, "heading": _("Modifier le bloc")},
        success_url=editor_url(block.certification_id, f"block-{block.pk}"),
        success_message=_("Bloc enregistré."),
    )


@require_POST
@certifier_required
def block_delete(request, pk: int):
    block = get_object_or_404(blocks_for(request.user), pk=pk)
    return button_action(
        request,
        lambda: services.delete_block(block, request.user),
        _("Bloc supprimé, avec ses compétences, modalités et grille."),
        editor_url(block.certification_id, "blocks"),
    )


@require_POST
@certifier_required
def block_move(request, pk: int):
    block = get_object_or_404(blocks_for(request.user), pk=pk)
    return button_action(
        request,
        lambda: services.move_block(block, request.user, _direction(request)),
        _("Ordre des blocs enregistré."),
        editor_url(block.certification_id, f"block-{block.pk}"),
    )


# --- compétences --------------------------------------------------------------------------


@certifier_required
def competency_add(request, pk: int):
    block = get_object_or_404(blocks_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, block.certification):
        return locked
    form = forms.CompetencyForm(request.POST or None, prefix=f"comp{block.pk}")
    return form_action(
        request,
        form,
        lambda d: services.add_competency(block, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": block.certification, "heading": _("Ajouter une compétence au bloc %s") % block},
        success_url=lambda comp: editor_url(block.certification_id, f"competency-{comp.pk}"),
        success_message=_("Compétence ajoutée."),
    )


@certifier_required
def competency_edit(request, pk: int):
    comp = get_object_or_404(competencies_for(request.user).select_related("block__certification"), pk=pk)
    if locked := _read_only(request, comp.block.certification):
        return locked
    form = forms.CompetencyForm(request.POST or None, instance=type(comp).objects.get(pk=comp.pk))
    return form_action(
        request,
        form,
        lambda d: services.update_competency(comp, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": comp.block.certification, "heading": _("Modifier la compétence")},
        success_url=editor_url(comp.block.certification_id, f"competency-{comp.pk}"),
        success_message=_("Compétence enregistrée."),
    )


@require_POST
@certifier_required
def competency_delete(request, pk: int):
    comp = get_object_or_404(competencies_for(request.user).select_related("block"), pk=pk)
    return button_action(
        request,
        lambda: services.delete_competency(comp, request.user),
        _("Compétence supprimée."),
        editor_url(comp.block.certification_id, f"block-{comp.block_id}"),
    )


@require_POST
@certifier_required
def competency_move(request, pk: int):
    comp = get_object_or_404(competencies_for(request.user).select_related("block"), pk=pk)
    return button_action(
        request,
        lambda: services.move_competency(comp, request.user, direction=_direction(request)),
        _("Ordre des compétences enregistré."),
        editor_url(comp.block.certification_id, f"competency-{comp.pk}"),
    )


@require_POST
@certifier_required
def competency_transfer(request, pk: int):
    comp = get_object_or_404(competencies_for(request.user).select_related("block__certification"), pk=pk)
    form = forms.TransferCompetencyForm(request.POST, certification=comp.block.certification, exclude=comp.block)
    if not form.is_valid():
        messages.error(request, _("Choisissez un autre bloc de cette certification."))
        return redirect(editor_url(comp.block.certification_id, f"competency-{comp.pk}"))
    target = form.cleaned_data["block"]
    return button_action(
        request,
        lambda: services.move_competency(comp, request.user, block=target),
        _("Compétence déplacée vers le bloc %(block)s.") % {"block": target.label},
        editor_url(comp.block.certification_id, f"competency-{comp.pk}"),
    )


@certifier_required
def group_rename(request, pk: int):
    block = get_object_or_404(blocks_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, block.certification):
        return locked
    old = request.POST.get("old", request.GET.get("group", ""))
    form = forms.GroupRenameForm(request.POST or None, initial={"old": old, "new": old})
    return form_action(
        request,
        form,
        lambda d: services.rename_group(block, request.user, old=d["old"], new=d["new"]),
        template=FORM_TEMPLATE,
        context={
            "certification": block.certification,
            "heading": _("Renommer l'intitulé de groupe « %(group)s »") % {"group": old},
        },
        success_url=editor_url(block.certification_id, f"block-{block.pk}"),
        success_message=_("Intitulé de groupe enregistré."),
    )


# --- modalités ----------------------------------------------------------------------------


@certifier_required
def method_add(request, pk: int):
    cert = _certification(request, pk)
    if locked := _read_only(request, cert):
        return locked
    block_id = request.GET.get("bloc") or request.POST.get("bloc")
    block = get_object_or_404(cert.blocks, pk=block_id) if block_id else None
    form = forms.AssessmentMethodForm(request.POST or None, prefix="method")
    anchor = f"block-{block.pk}" if block else "transversal"
    return form_action(
        request,
        form,
        lambda d: services.add_assessment_method(cert, request.user, block=block, **d),
        template=FORM_TEMPLATE,
        context={
            "certification": cert,
            "heading": _("Ajouter une modalité d'évaluation au bloc %s") % block.label
            if block
            else _("Ajouter une épreuve transversale"),
            "hidden": {"bloc": block.pk} if block else {},
        },
        success_url=editor_url(cert.pk, anchor),
        success_message=_("Modalité ajoutée."),
    )


@certifier_required
def method_edit(request, pk: int):
    method = get_object_or_404(assessment_methods_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, method.certification):
        return locked
    form = forms.AssessmentMethodForm(request.POST or None, instance=AssessmentMethod.objects.get(pk=method.pk))
    return form_action(
        request,
        form,
        lambda d: services.update_assessment_method(method, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": method.certification, "heading": _("Modifier la modalité d'évaluation")},
        success_url=editor_url(method.certification_id, f"method-{method.pk}"),
        success_message=_("Modalité enregistrée."),
    )


@require_POST
@certifier_required
def method_delete(request, pk: int):
    method = get_object_or_404(assessment_methods_for(request.user), pk=pk)
    anchor = f"block-{method.block_id}" if method.block_id else "transversal"
    return button_action(
        request,
        lambda: services.delete_assessment_method(method, request.user),
        _("Modalité supprimée."),
        editor_url(method.certification_id, anchor),
    )


# --- grilles ------------------------------------------------------------------------------


def rubric_url(rubric_id: int, anchor: str = "") -> str:
    url = reverse("backoffice:rubric", args=[rubric_id])
    return f"{url}#{anchor}" if anchor else url


@require_POST
@certifier_required
def rubric_create(request, pk: int):
    cert = _certification(request, pk)
    block = get_object_or_404(cert.blocks, pk=request.POST["bloc"]) if request.POST.get("bloc") else None
    method = (
        get_object_or_404(cert.assessment_methods, pk=request.POST["modalite"])
        if request.POST.get("modalite")
        else None
    )
    if (block is None) == (method is None):
        messages.error(request, _("Choisissez un bloc ou une épreuve transversale."))
        return redirect(editor_url(cert.pk))
    try:
        rubric = services.create_rubric(cert, request.user, block=block, method=method)
    except REFUSALS as exc:
        messages.error(request, error_text(exc))
        return redirect(editor_url(cert.pk))
    messages.success(request, _("Grille créée avec trois niveaux : ajustez-la."))
    return redirect(rubric_url(rubric.pk))


def _rubric_context(rubric: Rubric) -> dict:
    levels = list(rubric.levels.all())
    criteria = list(rubric.criteria.prefetch_related("competencies__block"))
    top = max((lvl.points for lvl in levels), default=0)
    total_weight = sum((c.weight for c in criteria), 0)
    return {
        "rubric": rubric,
        "levels": levels,
        "criteria": criteria,
        "max_points": total_weight * top,
        "owner": rubric.block or rubric.assessment_method,
    }


@certifier_required
def rubric_detail(request, pk: int):
    rubric = get_object_or_404(
        rubrics_for(request.user).select_related("certification", "block", "assessment_method"), pk=pk
    )
    form = forms.RubricForm(request.POST or None, instance=Rubric.objects.get(pk=rubric.pk))
    context = {
        **_rubric_context(rubric),
        "certification": rubric.certification,
        "criterion_form": forms.CriterionForm(prefix="criterion", rubric=rubric),
        "level_form": forms.LevelForm(prefix="level"),
    }
    return form_action(
        request,
        form,
        lambda d: services.update_rubric(rubric, request.user, **d),
        template="backoffice/referential/rubric.html",
        context=context,
        success_url=rubric_url(rubric.pk),
        success_message=_("Règle de réussite enregistrée."),
    )


@require_POST
@certifier_required
def rubric_delete(request, pk: int):
    rubric = get_object_or_404(rubrics_for(request.user), pk=pk)
    anchor = f"block-{rubric.block_id}" if rubric.block_id else "transversal"
    return button_action(
        request,
        lambda: services.delete_rubric(rubric, request.user),
        _("Grille supprimée."),
        editor_url(rubric.certification_id, anchor),
    )


@certifier_required
def criterion_add(request, pk: int):
    rubric = get_object_or_404(rubrics_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, rubric.certification):
        return locked
    form = forms.CriterionForm(request.POST or None, prefix="criterion", rubric=rubric)
    return form_action(
        request,
        form,
        lambda d: services.add_criterion(rubric, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": rubric.certification, "heading": _("Ajouter un critère"), "rubric": rubric},
        success_url=lambda c: rubric_url(rubric.pk, f"criterion-{c.pk}"),
        success_message=_("Critère ajouté."),
    )


@certifier_required
def criterion_edit(request, pk: int):
    criterion = get_object_or_404(criteria_for(request.user).select_related("rubric__certification"), pk=pk)
    if locked := _read_only(request, criterion.rubric.certification):
        return locked
    rubric = criterion.rubric
    form = forms.CriterionForm(
        request.POST or None, rubric=rubric, instance=RubricCriterion.objects.get(pk=criterion.pk)
    )
    return form_action(
        request,
        form,
        lambda d: services.update_criterion(criterion, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": rubric.certification, "heading": _("Modifier le critère"), "rubric": rubric},
        success_url=rubric_url(rubric.pk, f"criterion-{criterion.pk}"),
        success_message=_("Critère enregistré."),
    )


@require_POST
@certifier_required
def criterion_delete(request, pk: int):
    criterion = get_object_or_404(criteria_for(request.user).select_related("rubric"), pk=pk)
    return button_action(
        request,
        lambda: services.delete_criterion(criterion, request.user),
        _("Critère supprimé."),
        rubric_url(criterion.rubric_id, "criteria"),
    )


@require_POST
@certifier_required
def criterion_move(request, pk: int):
    criterion = get_object_or_404(criteria_for(request.user).select_related("rubric"), pk=pk)
    return button_action(
        request,
        lambda: services.move_criterion(criterion, request.user, _direction(request)),
        _("Ordre des critères enregistré."),
        rubric_url(criterion.rubric_id, f"criterion-{criterion.pk}"),
    )


@certifier_required
def level_add(request, pk: int):
    rubric = get_object_or_404(rubrics_for(request.user).select_related("certification"), pk=pk)
    if locked := _read_only(request, rubric.certification):
        return locked
    form = forms.LevelForm(request.POST or None, prefix="level")
    return form_action(
        request,
        form,
        lambda d: services.add_level(rubric, request.user, **d),
        template=FORM_TEMPLATE,
        context={"certification": rubric.certification, "heading": _("Ajouter un niveau"), "rubric": rubric},
        success_url=rubric_url(rubric.pk, "levels"),
        success_message=_("Niveau ajouté."),
    )


@certifier_required
def level_edit(request, pk: int):
    level = get_object_or_404(levels_for(request.user).select_related("rubric__certification"), pk=pk)
    if locked := _read_only(request, level.rubric.certification):
        return locked
    form = forms.LevelForm(request.POST or None, initial={"label": level.label, "points": level.points})
    return form_action(
        request,
        form,
        lambda d: services.update_level(level, request.user, **d),
        template=FORM_TEMPLATE,
        context={
            "certification": level.rubric.certification,
            "heading": _("Modifier le niveau"),
            "rubric": level.rubric,
        },
        success_url=rubric_url(level.rubric_id, "levels"),
        success_message=_("Niveau enregistré."),
    )


@require_POST
@certifier_required
def level_delete(request, pk: int):
    level = get_object_or_404(levels_for(request.user).select_related("rubric"), pk=pk)
    return button_action(
        request,
        lambda: services.delete_level(level, request.user),
        _("Niveau supprimé."),
        rubric_url(level.rubric_id, "levels"),
    )


@require_POST
@certifier_required
def level_move(request, pk: int):
    level = get_object_or_404(levels_for(request.user).select_related("rubric"), pk=pk)
    return button_action(
        request,
        lambda: services.move_level(level, request.user, _direction(request)),
        _("Ordre des niveaux enregistré."),
        rubric_url(level.rubric_id, "levels"),
    )
