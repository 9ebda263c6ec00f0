"""The président's deliberation on a candidate: the grid in view, a decision per bloc, the
result computed and shown, then confirmed (``juries.services.decisions.record_decision``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from certifications.models import RubricCriterion, RubricLevel
from core import limits
from core.actions import REFUSALS, attempt, button_action
from juries import permissions
from juries.enums import Attendance, JuryResult
from juries.forms import DecisionForm
from juries.queries import assessed_items, rubric_ids
from juries.services.decisions import compute_result, deliberation_problems, record_decision, settle_divergence
from juries.views.common import grid_for, reads_candidate

CONFIRM = "confirm"


@require_http_methods(["GET", "POST"])
@reads_candidate
def deliberate(request, member, convocation):
    permissions.require_president(member)
    present = convocation.attendance == Attendance.PRESENT
    items = assessed_items(convocation.dossier) if present else []
    form = DecisionForm(request.POST or None, items=items)
    result = None
    if request.method == "POST" and form.is_valid():
        decisions = form.decisions()
        cleaned = form.cleaned_data
        if request.POST.get("action") == CONFIRM and cleaned["expected_result"]:
            recorded, _none = attempt(
                request,
                lambda: record_decision(
                    convocation, member, decisions, cleaned["comment"], expected_result=cleaned["expected_result"]
                ),
                _("Décision enregistrée. Le candidat la connaîtra une fois le procès-verbal signé par les membres."),
                form=form,
                field_for={REFUSALS: None},
            )
            if recorded:
                return redirect("jury:session", pk=convocation.session_id)
        else:
            _computed, result = attempt(
                request, lambda: compute_result(convocation, decisions), form=form, field_for={REFUSALS: None}
            )
        if result is not None:
            data = form.data.copy()
            data["expected_result"] = result
            form = DecisionForm(data, items=items)
            form.is_valid()
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "problems": deliberation_problems(convocation, member),
        "grid": grid_for(member, convocation) if present else None,
        "form": form,
        "result": JuryResult(result) if result else None,
        "decision": convocation.decisions.in_force().prefetch_related("items").first(),
        "present": present,
    }
    return render(request, "juries/deliberate.html", context)


@require_POST
@reads_candidate
def settle(request, member, convocation, criterion_pk: int):
    """The président retains a level, justified, on a criterion where the members diverge."""
    permissions.require_president(member)
    criterion = get_object_or_404(
        RubricCriterion, pk=criterion_pk, rubric_id__in=rubric_ids(assessed_items(convocation.dossier))
    )
    url = reverse("jury:deliberate", args=[convocation.pk]) + f"#grid-{criterion.rubric_id}-criterion-{criterion.pk}"
    raw = request.POST.get("level", "")
    level = RubricLevel.objects.filter(pk=raw, rubric_id=criterion.rubric_id).first() if raw.isdigit() else None
    if level is None:
        messages.error(request, _("Choisissez le niveau retenu dans la grille."))
        return redirect(url)
    justification = request.POST.get("justification", "")[: limits.LONG_TEXT]
    return button_action(
        request,
        lambda: settle_divergence(convocation, member, criterion, level, justification),
        _("Niveau retenu pour « %(criterion)s » : %(level)s.")
        % {"criterion": criterion.text[:80], "level": level.label},
        url,
    )
