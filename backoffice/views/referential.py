"""The referential editor: drafts, versions, blocs, compétences, modalités, grilles, publication,
export and import. Every write is one call to ``certifications.services`` or to the editor's
one door, ``certifications.editor`` (drafts only).

The parts of a referential (blocs, compétences, modalités, grilles, critères, niveaux) are each
one ``Part`` declaration below; four generic views (add, edit, delete, move) and their URLs
(``block_edit`` at ``blocs/<pk>/modifier/``…) are made from them. The views that do more (moving
a compétence to another bloc, renaming a group, adding a modalité to a bloc or as a transversal
épreuve, creating a grille, the grille's page) are written out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
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
from backoffice.views.common import button_action, form_action
from certifications import editor, referential, services
from certifications.enums import CertificationStatus
from certifications.jury_rule import JuryRule, JuryRuleError
from certifications.models import AssessmentMethod, Block, Certification, Rubric, RubricCriterion
from core.actions import REFUSALS, attempt

FORM_TEMPLATE = "backoffice/referential/form.html"


def _certification(request, pk: int) -> Certification:
    return get_object_or_404(certifications_for(request.user), pk=pk)


def editor_url(cert_id: int, anchor: str = "") -> str:
    url = reverse("backoffice:referential", args=[cert_id])
    return f"{url}#{anchor}" if anchor else url


def rubric_url(rubric_id: int, anchor: str = "") -> str:
    url = reverse("backoffice:rubric", args=[rubric_id])
    return f"{url}#{anchor}" if anchor else url


def _read_only(request, cert: Certification):
    """A published or archived version has no edit forms: back to its editor, which says why."""
    if cert.is_editable:
        return None
    attempt(request, lambda: editor.ensure_editable(cert))
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
        imported, created = attempt(
            request,
            lambda: services.import_referential(
                form.cleaned_data["document"], request.user, certifications_for(request.user)
            ),
            lambda created: _("Importé en brouillon : %(titles)s.") % {"titles": ", ".join(str(c) for c in created)},
            refusal_format={
                referential.ReferentialFormatError: _("Fichier refusé, rien n'a été importé. %(why)s"),
                REFUSALS: _("Rien n'a été importé. %(why)s"),
            },
            form=form,
            field_for={REFUSALS: "file"},
        )
        if imported:
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
    created, draft = attempt(
        request,
        lambda: services.new_version(cert, actor=request.user),
        lambda draft: _("Version %(v)s créée en brouillon.") % {"v": draft.version},
    )
    return redirect(editor_url(draft.pk if created else cert.pk))


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
    deleted, _none = attempt(request, lambda: services.delete_draft(cert, actor=request.user), _("Brouillon supprimé."))
    return redirect("backoffice:referentials") if deleted else redirect(editor_url(cert.pk))


@certifier_required
def referential_export(request, pk: int):
    cert = _certification(request, pk)
    document = referential.export_document([cert])
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{cert.slug}-v{cert.version}.json"'
    return response


# --- the parts of a referential ----------------------------------------------------------

# Who reaches what: each kind of object only through the user's scope (404 outside it).
SCOPES = {
    "certification": certifications_for,
    "block": blocks_for,
    "competency": competencies_for,
    "method": assessment_methods_for,
    "rubric": rubrics_for,
    "criterion": criteria_for,
    "level": levels_for,
}


@dataclass(frozen=True)
class Part:
    """One part of a referential as the back office edits it (its fields: ``entity.fields``)."""

    entity: editor.EditableEntity
    form: type[django_forms.ModelForm]
    path: str  # in its URLs: blocs/<pk>/modifier/
    url: Callable[[Any], str]  # where an item is shown: after adding, editing or moving it
    back: Callable[[Any], str]  # where one lands after deleting an item
    views: tuple[str, ...] = ("add", "edit", "delete", "move")  # which generic views it has
    add_prefix: str = ""  # of the add form, as the editor page names its fields; may use {parent}
    add_heading: str = ""  # may name %(parent)s
    edit_heading: str = ""
    added: str = ""
    saved: str = ""
    deleted: str = ""
    moved: str = ""


def _in_editor(anchor: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda item: editor_url(item.certification_id, anchor(item))


def _in_bloc_or_transversal(item) -> str:
    return f"block-{item.block_id}" if item.block_id else "transversal"


BLOCK = Part(
    editor.BLOCK,
    forms.BlockForm,
    path="blocs",
    url=_in_editor(lambda block: f"block-{block.pk}"),
    back=_in_editor(lambda block: "blocks"),
    add_prefix="block",
    add_heading=_("Ajouter un bloc"),
    edit_heading=_("Modifier le bloc"),
    added=_("Bloc ajouté."),
    saved=_("Bloc enregistré."),
    deleted=_("Bloc supprimé, avec ses compétences, modalités et grille."),
    moved=_("Ordre des blocs enregistré."),
)
COMPETENCY = Part(
    editor.COMPETENCY,
    forms.CompetencyForm,
    path="competences",
    url=lambda comp: editor_url(comp.block.certification_id, f"competency-{comp.pk}"),
    back=lambda comp: editor_url(comp.block.certification_id, f"block-{comp.block_id}"),
    add_prefix="comp{parent.pk}",  # one add form per bloc on the editor page
    add_heading=_("Ajouter une compétence au bloc %(parent)s"),
    edit_heading=_("Modifier la compétence"),
    added=_("Compétence ajoutée."),
    saved=_("Compétence enregistrée."),
    deleted=_("Compétence supprimée."),
    moved=_("Ordre des compétences enregistré."),
)
METHOD = Part(  # added by ``method_add``: to a bloc, or as a transversal épreuve
    editor.METHOD,
    forms.AssessmentMethodForm,
    path="modalites",
    views=("edit", "delete"),
    url=_in_editor(lambda method: f"method-{method.pk}"),
    back=_in_editor(_in_bloc_or_transversal),
    edit_heading=_("Modifier la modalité d'évaluation"),
    saved=_("Modalité enregistrée."),
    deleted=_("Modalité supprimée."),
)
RUBRIC = Part(  # created by ``rubric_create``, edited on its own page (``rubric_detail``)
    editor.RUBRIC,
    forms.RubricForm,
    path="grilles",
    views=("delete",),
    url=lambda rubric: rubric_url(rubric.pk),
    back=_in_editor(_in_bloc_or_transversal),
    saved=_("Règle de réussite enregistrée."),
    deleted=_("Grille supprimée."),
)
CRITERION = Part(
    editor.CRITERION,
    forms.CriterionForm,
    path="criteres",
    url=lambda criterion: rubric_url(criterion.rubric_id, f"criterion-{criterion.pk}"),
    back=lambda criterion: rubric_url(criterion.rubric_id, "criteria"),
    add_prefix="criterion",
    add_heading=_("Ajouter un critère"),
    edit_heading=_("Modifier le critère"),
    added=_("Critère ajouté."),
    saved=_("Critère enregistré."),
    deleted=_("Critère supprimé."),
    moved=_("Ordre des critères enregistré."),
)
LEVEL = Part(
    editor.LEVEL,
    forms.LevelForm,
    path="niveaux",
    url=lambda level: rubric_url(level.rubric_id, "levels"),
    back=lambda level: rubric_url(level.rubric_id, "levels"),
    add_prefix="level",
    add_heading=_("Ajouter un niveau"),
    edit_heading=_("Modifier le niveau"),
    added=_("Niveau ajouté."),
    saved=_("Niveau enregistré."),
    deleted=_("Niveau supprimé."),
    moved=_("Ordre des niveaux enregistré."),
)
PARTS = (BLOCK, COMPETENCY, METHOD, RUBRIC, CRITERION, LEVEL)
ENTITIES = {part.entity.name: part.entity for part in PARTS}


def _in_scope(request, name: str, pk: int):
    """The ``name`` object (certification, block…) ``pk`` if the user manages it (404 otherwise),
    and its certification, read in the same query."""
    if name == "certification":
        cert = _certification(request, pk)
        return cert, cert
    lookup = ENTITIES[name].certification_path
    item = get_object_or_404(SCOPES[name](request.user).select_related(lookup), pk=pk)
    return item, attrgetter(lookup.replace("__", "."))(item)


def _form_page(request, cert: Certification, form, action, *, url, message: str, **context):
    """An add or edit form of a draft (a published version sends back to its editor)."""
    if locked := _read_only(request, cert):
        return locked
    context = {**context, "certification": cert}
    return form_action(
        request, form, action, template=FORM_TEMPLATE, context=context, success_url=url, success_message=message
    )


@certifier_required
def part_add(request, pk: int, part: Part):
    entity = part.entity
    parent, cert = _in_scope(request, entity.parent, pk)
    new = entity.model(**{entity.parent: parent})
    form = part.form(request.POST or None, prefix=part.add_prefix.format(parent=parent), instance=new)
    return _form_page(
        request,
        cert,
        form,
        lambda data: editor.add(entity, parent, request.user, **data),
        url=part.url,
        message=part.added,
        heading=part.add_heading % {"parent": parent},
        **{entity.parent: parent},  # the grille of a criterion, for the page's links
    )


@certifier_required
def part_edit(request, pk: int, part: Part):
    item, cert = _in_scope(request, part.entity.name, pk)
    return _form_page(
        request,
        cert,
        part.form(request.POST or None, instance=item),
        lambda data: editor.update(part.entity, item, request.user, **data),
        url=part.url(item),
        message=part.saved,
        heading=part.edit_heading,
        **{part.entity.parent: getattr(item, part.entity.parent)},
    )


@require_POST
@certifier_required
def part_delete(request, pk: int, part: Part):
    item, _cert = _in_scope(request, part.entity.name, pk)
    return button_action(request, lambda: editor.delete(part.entity, item, request.user), part.deleted, part.back(item))


@require_POST
@certifier_required
def part_move(request, pk: int, part: Part):
    item, _cert = _in_scope(request, part.entity.name, pk)
    direction = _direction(request)
    return button_action(
        request, lambda: editor.move(part.entity, item, request.user, direction), part.moved, part.url(item)
    )


VIEWS = {"add": part_add, "edit": part_edit, "delete": part_delete, "move": part_move}


def part_urls() -> list[URLPattern]:
    """The URLs of every part's generic views, named ``<part>_<view>`` (``block_edit``)."""
    paths = {"certification": "referentiels", **{part.entity.name: part.path for part in PARTS}}
    routes = {
        "add": "{parent}/<int:pk>/{path}/ajouter/",
        "edit": "{path}/<int:pk>/modifier/",
        "delete": "{path}/<int:pk>/supprimer/",
        "move": "{path}/<int:pk>/deplacer/",
    }
    return [
        path(
            routes[view].format(parent=paths[part.entity.parent], path=part.path),
            VIEWS[view],
            {"part": part},
            name=f"{part.entity.name}_{view}",
        )
        for part in PARTS
        for view in part.views
    ]


# --- what the generic views do not cover --------------------------------------------------


@require_POST
@certifier_required
def competency_transfer(request, pk: int):
    comp = get_object_or_404(competencies_for(request.user).select_related("block__certification"), pk=pk)
    url = COMPETENCY.url(comp)
    form = forms.TransferCompetencyForm(request.POST, certification=comp.block.certification, exclude=comp.block)
    if not form.is_valid():
        messages.error(request, _("Choisissez un autre bloc de cette certification."))
        return redirect(url)
    target = form.cleaned_data["block"]
    return button_action(
        request,
        lambda: services.move_competency(comp, request.user, block=target),
        _("Compétence déplacée vers le bloc %(block)s.") % {"block": target.label},
        url,
    )


@certifier_required
def group_rename(request, pk: int):
    block, cert = _in_scope(request, "block", pk)
    old = request.POST.get("old", request.GET.get("group", ""))
    return _form_page(
        request,
        cert,
        forms.GroupRenameForm(request.POST or None, initial={"old": old, "new": old}),
        lambda d: services.rename_group(block, request.user, old=d["old"], new=d["new"]),
        url=BLOCK.url(block),
        message=_("Intitulé de groupe enregistré."),
        heading=_("Renommer l'intitulé de groupe « %(group)s »") % {"group": old},
    )


@certifier_required
def method_add(request, pk: int):
    """A modalité of the bloc ``?bloc=<pk>`` or, without it, a transversal épreuve."""
    cert = _certification(request, pk)
    block_id = request.GET.get("bloc") or request.POST.get("bloc")
    block = get_object_or_404(cert.blocks, pk=block_id) if block_id else None
    return _form_page(
        request,
        cert,
        forms.AssessmentMethodForm(request.POST or None, prefix="method"),
        lambda d: services.add_assessment_method(cert, request.user, block=block, **d),
        url=editor_url(cert.pk, f"block-{block.pk}" if block else "transversal"),
        message=_("Modalité ajoutée."),
        heading=_("Ajouter une modalité d'évaluation au bloc %s") % block.label
        if block
        else _("Ajouter une épreuve transversale"),
        hidden={"bloc": block.pk} if block else {},
    )


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
    created, rubric = attempt(
        request,
        lambda: services.create_rubric(cert, request.user, block=block, method=method),
        _("Grille créée avec trois niveaux : ajustez-la."),
    )
    return redirect(rubric_url(rubric.pk) if created else editor_url(cert.pk))


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
    """The grille's page: its levels and criteria (each edited through the generic views), a
    preview as the jury will see it, and its pass rule, edited here."""
    rubric = get_object_or_404(
        rubrics_for(request.user).select_related("certification", "block", "assessment_method"), pk=pk
    )
    form = forms.RubricForm(request.POST or None, instance=Rubric.objects.get(pk=rubric.pk))
    context = {
        **_rubric_context(rubric),
        "certification": rubric.certification,
        "criterion_form": forms.CriterionForm(prefix="criterion", instance=RubricCriterion(rubric=rubric)),
        "level_form": forms.LevelForm(prefix="level"),
    }
    return form_action(
        request,
        form,
        lambda d: services.update_rubric(rubric, request.user, **d),
        template="backoffice/referential/rubric.html",
        context=context,
        success_url=RUBRIC.url(rubric),
        success_message=RUBRIC.saved,
    )
