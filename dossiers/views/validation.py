"""Stage 2, the dossier de validation: a page per bloc, a page per compétence, a page per
transversal assessment of the VAE route (its narrative and proofs), and the submission with
its checklist."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core import limits
from core.actions import attempt
from dossiers import permissions, progress, services


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
    statements = progress.statements_with_state(dossier, block=target)
    per_block, _overall = progress.progress(statements)
    block_progress = per_block[0] if per_block else progress.Progress(block=target)
    return render(
        request,
        "dossiers/block.html",
        {
            "dossier": dossier,
            "bloc": target,
            "statements": statements,
            "progress": block_progress,
            "writable": dossier.validation_editable,
        },
    )


@require_safe
def competency(request, pk: int, competency_pk: int):
    """One compétence: its text, the narrative (autosaved), the experiences and proofs it draws
    on. Fixed query count whatever the number of proofs or experiences."""
    dossier = _stage2_dossier(request, pk)
    statement = get_object_or_404(dossier.statements.select_related("competency__block"), competency_id=competency_pk)
    order = list(dossier.targeted_competencies().values_list("pk", flat=True))
    if competency_pk not in order:
        raise Http404
    index = order.index(competency_pk)
    linked_experiences = set(statement.experiences.values_list("pk", flat=True))
    linked_proofs = set(statement.proofs.values_list("pk", flat=True))
    experiences = list(dossier.experiences.order_by("order", "pk"))
    proofs = list(dossier.proofs.order_by("uploaded_at", "pk"))
    for e in experiences:
        e.linked = e.pk in linked_experiences
    for p in proofs:
        p.linked = p.pk in linked_proofs
    min_length = dossier.certification.min_narrative_length
    state = services.statement_state(statement.narrative, bool(linked_experiences or linked_proofs), min_length)
    return render(
        request,
        "dossiers/competency.html",
        {
            "dossier": dossier,
            "statement": statement,
            "competency": statement.competency,
            "bloc": statement.competency.block,
            "experiences": experiences,
            "proofs": proofs,
            "state": state,
            "min_length": min_length,
            "narrative_length": len(statement.narrative.strip()),
            "previous_pk": order[index - 1] if index > 0 else None,
            "next_pk": order[index + 1] if index + 1 < len(order) else None,
            "position": index + 1,
            "count": len(order),
            "writable": dossier.validation_editable,
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
