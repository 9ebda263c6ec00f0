"""Stage 2, the dossier de validation: a page per bloc, a page per compétence, a page per
transversal assessment of the VAE route (its narrative and proofs), and the submission with
its checklist."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import limits
from core.actions import attempt
from dossiers import permissions, progress, services
from dossiers.models import CompetencyStatement


def _stage2_dossier(request, pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    if not permissions.stage2_open(dossier):
        raise Http404(_("Le dossier de validation s'ouvre une fois la recevabilité acquise."))
    return dossier


@require_safe
def block(request, pk: int, block_pk: int):
    """A bloc's compétences with their state (vide, en cours, complète). Fixed query count."""
    dossier = _stage2_dossier(request, pk)
    target = get_object_or_404(dossier.targeted_blocks(), pk=block_pk)
    # The whole dossier's: « Et maintenant ? » may point to a compétence of another bloc.
    statements = progress.statements_with_state(dossier)
    return render(
        request,
        "dossiers/block.html",
        {
            "dossier": dossier,
            "bloc": target,
            "statements": [s for s in statements if s.competency.block_id == target.pk],
            "live": progress.live_progress(dossier, statements, block=target),
            "writable": dossier.validation_editable,
        },
    )


@require_safe
def live_progress(request, pk: int):
    """The counters and « Et maintenant ? » of the overview, of a bloc (``?bloc=``) or of a
    compétence (``?competence=``), asked again by htmx after each autosave so that they follow
    the candidate's work without a reload. Fixed query count."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    statements = progress.statements_with_state(dossier) if dossier.in_stage2 else []
    block, competency_id, page = None, None, dossier.get_absolute_url()
    if (value := request.GET.get("competence", "")).isdigit():
        competency_id = int(value)
        if not any(s.competency_id == competency_id for s in statements):
            raise Http404
        page = reverse("dossiers:competency", args=[dossier.pk, competency_id])
    elif (value := request.GET.get("bloc", "")).isdigit() and dossier.in_stage2:
        block = get_object_or_404(dossier.targeted_blocks(), pk=int(value))
        page = reverse("dossiers:block", args=[dossier.pk, block.pk])
    live = progress.live_progress(dossier, statements or None, block=block, competency_id=competency_id)
    return render(request, "dossiers/_live_progress_body.html", {"dossier": dossier, "live": live, "page_path": page})


def _linked_to(statement, links: str, column: str) -> Exists:
    """True when the row (an experience or a proof) is linked to ``statement``."""
    through = getattr(CompetencyStatement, links).through
    return Exists(through.objects.filter(competencystatement_id=statement.pk, **{f"{column}_id": OuterRef("pk")}))


@require_safe
def competency(request, pk: int, competency_pk: int):
    """One compétence: its text, the narrative (autosaved), the experiences and proofs it draws
    on. Fixed query count whatever the number of proofs or experiences."""
    dossier = _stage2_dossier(request, pk)
    # The whole dossier's statements feed the counters and « Et maintenant ? »; the one on
    # screen is among them (one query for both).
    statements = progress.statements_with_state(dossier)
    statement = next((s for s in statements if s.competency_id == competency_pk), None)
    if statement is None:
        raise Http404
    competency = statement.competency
    order = list(dossier.targeted_competencies().values_list("pk", flat=True))
    if competency_pk not in order:
        raise Http404
    index = order.index(competency_pk)
    # Whether each experience and proof is linked to this statement comes with it (no query more).
    experiences = list(
        dossier.experiences.annotate(linked=_linked_to(statement, "experiences", "experience")).order_by("order", "pk")
    )
    proofs = list(
        dossier.proofs.annotate(linked=_linked_to(statement, "proofs", "proof")).order_by("uploaded_at", "pk")
    )
    min_length = dossier.certification.min_narrative_length
    return render(
        request,
        "dossiers/competency.html",
        {
            "dossier": dossier,
            "statement": statement,
            "competency": competency,
            "bloc": competency.block,
            "experiences": experiences,
            "proofs": proofs,
            "state": statement.state,
            "min_length": min_length,
            "narrative_length": len(statement.narrative.strip()),
            "previous_pk": order[index - 1] if index > 0 else None,
            "next_pk": order[index + 1] if index + 1 < len(order) else None,
            "position": index + 1,
            "count": len(order),
            "writable": dossier.validation_editable,
            "live": progress.live_progress(dossier, statements, competency_id=competency_pk),
            # How the jury will judge it: lazy, read only when the page's fragment cache is cold.
            "assessment_methods": competency.block.assessment_methods.order_by("order"),
            "assessment_criteria": competency.criteria.filter(rubric__block_id=competency.block_id).order_by("order"),
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    """Progress per bloc and overall, what is missing, then "Déposer mon dossier de validation"."""
    dossier = _stage2_dossier(request, pk)
    if request.method == "POST":
        permissions.require_stage2_writable(dossier)
        done, missing = attempt(
            request,
            lambda: services.submit_validation(dossier, request.user),
            _("Votre dossier de validation est déposé. Voici exactement ce que vous avez transmis."),
            on_refusal=services.missing_of,
        )
        if done:
            return redirect("dossiers:submitted", pk=dossier.pk)
        if missing is None:  # refused for another reason than what is missing
            return redirect(dossier)
    block_progress, overall = progress.progress(progress.statements_with_state(dossier))
    missing = services.validation_missing(dossier) if dossier.validation_editable else []
    return render(
        request,
        "dossiers/validation_submit.html",
        {
            "dossier": dossier,
            "block_progress": block_progress,
            "overall": overall,
            "missing": missing,
            "proof_count": dossier.proofs.count(),
            "transversal": list(dossier.transversal_assessments()),
        },
    )


@require_http_methods(["GET", "POST"])
def transversal(request, pk: int, method_pk: int):
    """What the candidate's route asks for a transversal assessment (004's VAE route: the proof
    of a coordinated mobilisation of the compétences): a narrative and the proofs it draws on."""
    dossier = _stage2_dossier(request, pk)
    method = get_object_or_404(dossier.transversal_assessments(), pk=method_pk)
    statement = dossier.transversal_statements.filter(assessment_method=method).first()
    proofs = list(dossier.proofs.order_by("uploaded_at", "pk"))
    if request.method == "POST":
        permissions.require_stage2_writable(dossier)
        wanted = {int(v) for v in request.POST.getlist("proofs") if v.isdigit()}
        narrative = request.POST.get("narrative", "")
        if len(narrative) > limits.NARRATIVE:
            messages.error(request, _("Le récit dépasse %(max)s caractères.") % {"max": limits.NARRATIVE})
        else:
            done, _saved = attempt(
                request,
                lambda: services.save_transversal_statement(
                    dossier, method, narrative, [p for p in proofs if p.pk in wanted], request.user
                ),
                _("Récit enregistré."),
            )
            if done:
                return redirect("dossiers:transversal", pk=dossier.pk, method_pk=method.pk)
    linked = set(statement.proofs.values_list("pk", flat=True)) if statement else set()
    for p in proofs:
        p.linked = p.pk in linked
    return render(
        request,
        "dossiers/transversal.html",
        {
            "dossier": dossier,
            "method": method,
            "statement": statement,
            "narrative": statement.narrative if statement else "",
            "proofs": proofs,
            "min_length": dossier.certification.min_narrative_length,
            "writable": dossier.validation_editable,
        },
    )
