"""The candidate's home: starting a VAE, "Mes dossiers", a dossier's overview, withdrawal,
and reading what was submitted."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from certifications.models import Certification
from core.actions import attempt
from core.errors import error_text
from dossiers import feasibility, permissions, progress, services
from dossiers.enums import DossierStatus as S
from dossiers.enums import ScanStatus, SnapshotKind
from dossiers.forms import StartDossierForm, WithdrawForm
from dossiers.models import Dossier, TransitionLog

ASKS_FOR_CANDIDATE = {S.FEASIBILITY_INCOMPLETE, S.VALIDATION_INCOMPLETE, S.INADMISSIBLE}
_TIMELINE = Prefetch("transitions", queryset=TransitionLog.objects.order_by("created_at", "pk"))


@require_safe
def dossier_list(request):
    dossiers = list(permissions.candidate_dossiers(request.user).prefetch_related(_TIMELINE).order_by("-created_at"))
    for dossier in dossiers:
        dossier.next_step = progress.next_step(dossier)
    return render(request, "dossiers/list.html", {"dossiers": dossiers})


@require_http_methods(["GET", "POST"])
def start(request, slug: str):
    """ "Démarrer ma VAE": the whole certification or chosen blocs; acquired blocs are shown,
    not offered. Refusals (an active dossier, the R6412-3 limits) are said before the form."""
    certification = get_object_or_404(Certification.objects.published().prefetch_related("blocks"), slug=slug)
    active = (
        Dossier.objects.active().filter(candidate=request.user, certification__lineage=certification.lineage).first()
    )
    refusal = None
    if active is None:  # the refusal is said before the form, not as a message
        _allowed, refusal = attempt(
            request,
            lambda: (
                services.check_open_to_new_candidates(certification)
                or services.check_request_limits(request.user, certification)
            ),
            show=False,
            on_refusal=error_text,
        )
    acquired = services.acquired_blocks_for(request.user, certification)
    form = StartDossierForm(request.POST or None, certification=certification, acquired=acquired)
    if request.method == "POST" and active is None and refusal is None and form.is_valid():
        started, dossier = attempt(
            request,
            lambda: services.start_dossier(request.user, certification, form.chosen_blocks),
            _("Votre dossier est ouvert : commencez par décrire vos expériences."),
        )
        if started:
            return redirect(dossier)
    return render(
        request,
        "dossiers/start.html",
        {
            "certification": certification,
            "form": form,
            "acquired": acquired,
            "active": active,
            "refusal": refusal,
        },
    )


@require_safe
def detail(request, pk: int):
    dossier = get_object_or_404(
        permissions.candidate_dossiers(request.user)
        .prefetch_related(_TIMELINE, "experiences")
        .annotate(infected=Count("proofs", filter=Q(proofs__scan_status=ScanStatus.INFECTED))),
        pk=pk,
    )
    transitions = list(dossier.transitions.all())
    context = {
        "dossier": dossier,
        # What the certifier asked, when the state waits on the candidate or explains an end.
        "certifier_comment": transitions[-1]
        if dossier.status in ASKS_FOR_CANDIDATE and transitions and transitions[-1].comment
        else None,
        "blocks": list(dossier.targeted_blocks()),
        "acquired_blocks": list(dossier.acquired_blocks.all()),
        "experience_months": progress.total_months(dossier.experiences.all()),
        "stage2": permissions.stage2_open(dossier),
        "snapshots": list(dossier.snapshots.defer("content").order_by("kind", "number")),
        # Files the antivirus quarantined: said at the top of the page until they are replaced.
        "quarantined_proofs": list(dossier.proofs.filter(scan_status=ScanStatus.INFECTED).only("pk", "title"))
        if dossier.infected
        else [],
    }
    statements = list(dossier.statements.all())
    context["positioned"] = sum(1 for s in statements if s.self_assessment)
    context["statement_count"] = len(statements)
    if context["stage2"]:
        stage2_statements = progress.statements_with_state(dossier)
        block_progress, overall = progress.progress(stage2_statements)
        context.update(block_progress=block_progress, overall=overall)
        context["live"] = progress.live_progress(dossier, stage2_statements)
    else:
        context["live"] = progress.live_progress(dossier)
    if dossier.feasibility_editable:
        from dossiers.forms import IdentityDocumentForm, SwornStatementForm

        context["sworn_form"] = SwornStatementForm(initial={"signed": bool(dossier.sworn_statement_at)})
        context["identity_form"] = IdentityDocumentForm()
    context["feasibility_gaps"] = len(feasibility.gaps(dossier)) if dossier.feasibility_editable else 0
    return render(request, "dossiers/detail.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    dossier = permissions.own_dossier_or_404(request.user, pk)
    if not dossier.can_withdraw:
        messages.error(request, _("Ce dossier ne peut pas être abandonné dans son état actuel."))
        return redirect(dossier)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt(
            request,
            lambda: services.withdraw(dossier, request.user, form.cleaned_data["comment"]),
            _("Votre dossier est abandonné. Son historique reste consultable."),
        )
        return redirect(dossier)
    return render(request, "dossiers/withdraw.html", {"dossier": dossier, "form": form})


KIND_SLUGS = {"recevabilite": SnapshotKind.FEASIBILITY, "validation": SnapshotKind.VALIDATION}


@require_safe
def snapshot(request, pk: int, kind: str, number: int):
    """Exactly what was submitted, rendered from the frozen content (never from the draft)."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    if kind not in KIND_SLUGS:
        raise Http404
    frozen = get_object_or_404(dossier.snapshots, kind=KIND_SLUGS[kind], number=number)
    return _render_snapshot(request, dossier, frozen)


@require_safe
def submitted(request, pk: int):
    """The latest dossier de validation submitted."""
    dossier = permissions.own_dossier_or_404(request.user, pk)
    frozen = dossier.snapshots.filter(kind=SnapshotKind.VALIDATION).order_by("-number").first()
    if frozen is None:
        raise Http404
    return _render_snapshot(request, dossier, frozen)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _render_snapshot(request, dossier, frozen):
    content = frozen.content
    experiences = {e["id"]: dict(e) for e in content.get("experiences", [])}
    for e in experiences.values():  # ISO dates in the JSON, shown as dates
        e["start_date"] = _date(e.get("start_date"))
        e["end_date"] = _date(e.get("end_date"))
    proofs = {p["id"]: p for p in content.get("proofs", [])}
    # A proof's file is offered for download only if it is still the very file submitted.
    still_there = set(dossier.proofs.filter(pk__in=list(proofs)).values_list("pk", "sha256"))
    for proof in proofs.values():
        proof["downloadable"] = (proof["id"], proof["sha256"]) in still_there
    blocks = []
    for block in content.get("blocks", []):
        competencies = [
            {
                **c,
                "experience_items": [experiences[i] for i in c.get("experiences", []) if i in experiences],
                "proof_items": [proofs[i] for i in c.get("proofs", []) if i in proofs],
            }
            for c in block.get("competencies", [])
        ]
        blocks.append({**block, "competencies": competencies})
    return render(
        request,
        "dossiers/snapshot.html",
        {
            "dossier": dossier,
            "snapshot": frozen,
            "content": content,
            "blocks": blocks,
            "experiences": list(experiences.values()),
            "proofs": list(proofs.values()),
            "kind": "validation" if frozen.kind == SnapshotKind.VALIDATION else "recevabilite",
            "other_snapshots": dossier.snapshots.filter(kind=frozen.kind).exclude(pk=frozen.pk).order_by("number"),
        },
    )


@require_safe
def reconnected(request):
    """Where the login opened from an autosave warning lands: "go back to your tab"."""
    return render(request, "dossiers/reconnected.html")
