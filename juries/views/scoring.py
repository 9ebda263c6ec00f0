"""Scoring a candidate against a grille, and the grid of every member's scorings.

The scoring page saves as the member goes: with the header ``X-Autosave: 1`` (static/js/
autosave.js, with ``data-autosave-fields``) every answer is JSON — saved (new version), conflict
(409, both versions), session expired (401), refused (403) or invalid (400); without it, a save
redirects back to the page and a conflict shows both versions on the page. "Valider ma notation"
posts the same form to ``validate``, which saves it and asks for confirmation (a page, no
script needed: the levels chosen, the score); the confirmation posts ``confirm`` with the
version it showed, and only then is the scoring validated.

Independence: the grid, its fragment and its export read the others' scorings only through
``views.common.grid_for``, which asks ``permissions.sees_others_scorings`` first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from certifications.models import Rubric
from core import limits
from core.actions import REFUSALS, attempt, button_action, json_refusal
from core.csv_export import csv_response
from core.templatetags.french import fr_time
from juries import permissions, scoring
from juries.forms import ScoringForm
from juries.models import Evaluation
from juries.queries import assessed_items, evaluation_values, rubrics_with_parts
from juries.services import scorings
from juries.services.errors import EvaluationConflict
from juries.views.candidates import snapshot_content
from juries.views.common import candidate, grid_for, reads_candidate


def _is_autosave(request) -> bool:
    return request.headers.get("X-Autosave") == "1"


def _item(convocation, rubric_pk: int):
    item = next((i for i in assessed_items(convocation.dossier) if i.rubric and i.rubric.pk == rubric_pk), None)
    if item is None:
        raise Http404
    return item


def _page_url(convocation, rubric_pk: int) -> str:
    return reverse("jury:score", args=[convocation.pk, rubric_pk])


def _conflict_rows(rubric, conflict: EvaluationConflict) -> list[dict]:
    labels = {"comment": _("Appréciation générale")}
    levels = {str(lv.pk): lv.label for lv in rubric.levels.all()}
    for c in rubric.criteria.all():
        labels[f"level-{c.pk}"] = _("Niveau — %(c)s") % {"c": c.text[:80]}
        labels[f"remark-{c.pk}"] = _("Remarque — %(c)s") % {"c": c.text[:80]}
    rows = []
    for name, mine in conflict.mine.items():
        theirs = conflict.theirs.get(name, "")
        if mine == theirs:
            continue
        is_level = name.startswith("level-")
        rows.append(
            {
                "field": name,
                "label": labels.get(name, name),
                "mine": mine,
                "theirs": theirs,
                "mine_display": levels.get(mine, "—") if is_level else mine,
                "theirs_display": levels.get(theirs, "—") if is_level else theirs,
                "is_text": not is_level,
            }
        )
    return rows


def _evidence(convocation, item, criteria) -> dict[int, list[dict]]:
    """What the candidate wrote beside each criterion, from the submitted dossier: the
    narratives and proofs of the compétences the criterion assesses (all the bloc's when it
    names none); for a transversal assessment, the candidate's transversal narrative."""
    try:
        _snapshot, content = snapshot_content(convocation)
    except Http404:
        return {}
    if item.block is None:
        parts = [
            {"title": t["title"], "narrative": t["narrative"], "proof_list": t["proof_list"]}
            for t in content.get("transversal", [])
            if t["assessment_method"] == item.method.pk
        ]
        return {c.pk: parts for c in criteria}
    bloc = next((b for b in content["blocks"] if b["id"] == item.block.pk), None)
    if bloc is None:
        return {}
    evidence = {}
    for c in criteria:
        linked = {comp.pk for comp in c.competencies.all()}
        evidence[c.pk] = [
            {
                "title": f"{comp['code']} {comp['text']}".strip(),
                "narrative": comp["narrative"],
                "proof_list": comp["proof_list"],
            }
            for comp in bloc["competencies"]
            if not linked or comp["id"] in linked
        ]
    return evidence


def _render_page(
    request, member, convocation, item, rubric, evaluation, *, values=None, version=None, conflict_rows=None, status=200
):
    criteria = list(rubric.criteria.all())
    values = values if values is not None else evaluation_values(evaluation, criteria)
    problem = scorings.scoring_problem(member, convocation, rubric)
    evidence = _evidence(convocation, item, criteria)
    rows = [
        {
            "criterion": c,
            "level": values.get(f"level-{c.pk}", ""),
            "remark": values.get(f"remark-{c.pk}", ""),
            "evidence": evidence.get(c.pk, []),
        }
        for c in criteria
    ]
    grille = scoring.Grille.from_rubric(rubric)
    choices = {c.pk: int(v) for c in criteria if (v := values.get(f"level-{c.pk}", "")).isdigit()}
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "item": item,
        "rubric": rubric,
        "levels": list(rubric.levels.all()),
        "rows": rows,
        "comment": values.get("comment", ""),
        "evaluation": evaluation,
        "version": version if version is not None else (evaluation.version if evaluation else 0),
        "editable": problem is None and not (evaluation and evaluation.is_validated),
        "problem": problem,
        "score": scoring.score(grille, choices),
        "grille": grille,
        "conflict_rows": conflict_rows,
    }
    return render(request, "juries/score.html", context, status=status)


def _evaluation(member, convocation, rubric):
    return Evaluation.objects.filter(member=member, convocation=convocation, rubric=rubric).first()


@login_not_required  # answers 401 itself to the autosave: a redirect to the login page would lose the input
@require_http_methods(["GET", "POST"])
def score(request, pk: int, rubric_pk: int):
    autosave = _is_autosave(request)
    if not request.user.is_authenticated:
        if autosave:
            html = render_to_string("dossiers/_login_required.html", {}, request=request)
            return JsonResponse({"status": "login_required", "html": html}, status=401)
        return redirect_to_login(request.get_full_path())
    member, convocation, declaration = candidate(request, pk)
    if declaration is None:
        if autosave:
            return json_refusal(_("Déclarez d'abord votre lien avec le candidat."))
        return redirect("jury:declare", pk=convocation.pk)
    item = _item(convocation, rubric_pk)
    rubric = rubrics_with_parts({rubric_pk})[rubric_pk]
    evaluation = _evaluation(member, convocation, rubric)
    if request.method == "GET":
        return _render_page(request, member, convocation, item, rubric, evaluation)
    problem = scorings.scoring_problem(member, convocation, rubric)
    if problem:
        if autosave:
            return json_refusal(problem)
        raise PermissionDenied(problem)
    form = ScoringForm(request.POST, criteria=rubric.criteria.all())
    if not form.is_valid():
        message = form.refusal(_("Enregistrement impossible"))
        if autosave:
            return json_refusal(message, 400, "invalid")
        messages.error(request, message)
        return redirect(_page_url(convocation, rubric_pk))

    def save():
        return scorings.save_evaluation(member, convocation, rubric, form.cleaned_data["version"], form.changes())

    if autosave:
        return _autosave(request, rubric, save)
    try:
        attempt(request, save, _saved_at)
    except EvaluationConflict as conflict:
        return _render_page(
            request,
            member,
            convocation,
            item,
            rubric,
            conflict.evaluation,
            values=conflict.mine,
            version=conflict.evaluation.version,
            conflict_rows=_conflict_rows(rubric, conflict),
            status=409,
        )
    return redirect(_page_url(convocation, rubric_pk))


def _saved_at(saved: Evaluation) -> str:
    return _("Enregistré à %(time)s") % {"time": fr_time(saved.updated_at)}


def _autosave(request, rubric: Rubric, save: Callable[[], Evaluation]) -> JsonResponse:
    """The autosave's answer to a save: saved (new version), conflict (409, both versions) or
    refused (403), as JSON."""
    try:
        saved = save()
    except EvaluationConflict as conflict:
        rows = _conflict_rows(rubric, conflict)
        html = render_to_string("juries/_scoring_conflict.html", {"rows": rows}, request=request)
        return JsonResponse(
            {"status": "conflict", "version": conflict.evaluation.version, "theirs": conflict.theirs, "html": html},
            status=409,
        )
    except REFUSALS as error:
        return json_refusal(error)
    return JsonResponse({"status": "saved", "version": saved.version, "message": _saved_at(saved)})


@require_POST
@reads_candidate
def validate(request, member, convocation, rubric_pk: int):
    """Save what the form holds and ask for confirmation (every criterion needs a level); the
    confirmation, posted with the version it showed, validates."""
    item = _item(convocation, rubric_pk)
    rubric = rubrics_with_parts({rubric_pk})[rubric_pk]
    url = _page_url(convocation, rubric_pk)
    if request.POST.get("confirm") == "1":
        return _confirmed(request, member, convocation, rubric, url)
    form = ScoringForm(request.POST, criteria=rubric.criteria.all())
    if not form.is_valid():
        messages.error(request, form.refusal(_("Validation impossible")))
        return redirect(url)

    def save_then_check():
        # What was typed stays saved even when validating is refused.
        saved = scorings.save_evaluation(member, convocation, rubric, form.cleaned_data["version"], form.changes())
        scorings.check_complete(saved, rubric)
        return saved

    try:
        ready, evaluation = attempt(request, save_then_check)
    except EvaluationConflict:
        messages.error(
            request, _("Votre notation a été modifiée depuis un autre onglet : relisez-la avant de valider.")
        )
        return redirect(url)
    if not ready:
        return redirect(url)
    levels = {lv.pk: lv for lv in rubric.levels.all()}
    chosen = {sc.criterion_id: sc for sc in evaluation.scores.all()}
    grille = scoring.Grille.from_rubric(rubric)
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "item": item,
        "rubric": rubric,
        "evaluation": evaluation,
        "rows": [(c, levels.get(chosen[c.pk].level_id), chosen[c.pk].remark) for c in rubric.criteria.all()],
        "score": scoring.score(grille, {c: sc.level_id for c, sc in chosen.items()}),
    }
    return render(request, "juries/validate_confirm.html", context)


def _confirmed(request, member, convocation, rubric, url: str):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    evaluation = _evaluation(member, convocation, rubric)
    if evaluation is None or evaluation.version != version:
        messages.error(request, _("Votre notation a changé depuis la confirmation : relisez-la avant de la valider."))
        return redirect(url)
    validated, _validated = attempt(
        request,
        lambda: scorings.validate_evaluation(member, convocation, rubric),
        _("Notation validée : elle n'est plus modifiable, sauf si le président la rouvre."),
    )
    return redirect("jury:candidate", pk=convocation.pk) if validated else redirect(url)


@require_POST
def reopen(request, pk: int):
    """The président gives a validated scoring back to its author."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("member__user", "convocation").filter(
            member__session__members__in=permissions.seats_of(request.user)
        ),
        pk=pk,
    )
    president, _convocation, _declaration = candidate(request, evaluation.convocation_id)
    if president.session_id != evaluation.member.session_id:
        raise Http404
    permissions.require_president(president)
    name = evaluation.member.user.get_full_name() or evaluation.member.user.email
    reason = request.POST.get("reason", "")[: limits.COMMENT]
    return button_action(
        request,
        lambda: scorings.reopen_evaluation(evaluation, president, reason),
        _("La notation de %(name)s est rouverte : elle peut la modifier et la valider à nouveau.") % {"name": name},
        reverse("jury:grid", args=[evaluation.convocation_id]),
    )


@require_safe
@reads_candidate
def grid(request, member, convocation):
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "grid": grid_for(member, convocation),
        "decision": convocation.decisions.in_force().first(),
    }
    return render(request, "juries/grid.html", context)


@require_safe
@reads_candidate
def grid_fragment(request, member, convocation, rubric_pk: int):
    """One grille of the grid (htmx: the scoring page shows it once the member has validated)."""
    context = {"member": member, "convocation": convocation, "grid": grid_for(member, convocation, rubric_pk)}
    return render(request, "juries/_grid_fragment.html", context)


@require_safe
@reads_candidate
def grid_export(request, member, convocation):
    """The grid as CSV (``core.csv_export``: every cell, names and titles of the header
    rows included, safe in a spreadsheet), under the same rule as the page."""
    data = grid_for(member, convocation)
    if not data.visible:
        raise PermissionDenied(_("Validez d'abord toutes vos notations de ce candidat."))
    response, writer = csv_response(f"grille-candidat-{convocation.pk}.csv")
    for g in data.items:
        names = [c.member.user.get_full_name() or c.member.user.email for c in g.columns]
        writer.writerow([f"{g.item.label} — {g.item.title}", _("Pondération"), *names, _("Écart de 2 niveaux ou plus")])
        for row in g.rows:
            writer.writerow(
                [
                    row.criterion.text,
                    number_format(row.criterion.weight),
                    *[cell.level.label if cell.level else "" for cell in row.cells],
                    _("oui") if row.divergence else "",
                ]
            )
        writer.writerow(
            [
                _("Score (% des points)"),
                "",
                *[number_format(c.score.percent_display) if c.score else "" for c in g.columns],
                "",
            ]
        )
        writer.writerow([])
    return response
