"""A candidate seen by a jury member: the declaration of links first, then the submitted dossier
(read from its snapshot, by bloc and compétence), the proofs, and what the member has to score."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.actions import form_action
from dossiers.enums import SnapshotKind
from dossiers.snapshots import readable_content
from juries import permissions
from juries.forms import DeclarationForm
from juries.models import Evaluation
from juries.queries import assessed_items, rubric_ids
from juries.services.declarations import declare_link
from juries.services.scorings import scoring_problem
from juries.views.common import candidate, reads_candidate


@require_http_methods(["GET", "POST"])
def declare(request, pk: int):
    member, convocation, declaration = candidate(request, pk)
    form = DeclarationForm(request.POST or None, initial={"link": declaration.link} if declaration else None)
    return form_action(
        request,
        form,
        lambda d: declare_link(member, convocation, d["link"], d["comment"]),
        template="juries/declare.html",
        context={
            "member": member,
            "convocation": convocation,
            "session": convocation.session,
            "declaration": declaration,
        },
        success_url=lambda declared: (
            reverse("jury:session", args=[convocation.session_id])
            if declared.is_conflict
            else reverse("jury:candidate", args=[convocation.pk])
        ),
        success_message=lambda declared: (
            _("Lien déclaré : vous ne verrez pas ce dossier et ne participerez pas à la délibération.")
            if declared.is_conflict
            else _("Déclaration enregistrée : vous pouvez lire le dossier.")
        ),
    )


def _snapshot(convocation):
    snapshot = convocation.dossier.snapshots.filter(kind=SnapshotKind.VALIDATION).order_by("-number").first()
    if snapshot is None:
        raise Http404
    return snapshot


def snapshot_content(convocation):
    """(snapshot, readable content) of the candidate's dossier de validation; 404 without one."""
    snapshot = _snapshot(convocation)
    proofs = {p.pk: p for p in convocation.dossier.proofs.all()}  # whole rows: each one's scan and file are shown
    return snapshot, readable_content(snapshot, proofs)


@require_safe
@reads_candidate
def candidate_detail(request, member, convocation):
    """The dossier's overview (experiences, proofs, blocs) and the member's scoring to do."""
    snapshot, content = snapshot_content(convocation)
    items = assessed_items(convocation.dossier)
    evaluations = {
        e.rubric_id: e
        for e in Evaluation.objects.filter(member=member, convocation=convocation).only("rubric_id", "status")
    }
    rows = [(item, evaluations.get(item.rubric.pk) if item.rubric else None) for item in items]
    ids = rubric_ids(items)
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "snapshot": snapshot,
        "content": content,
        "rows": rows,
        "scoring_problem": scoring_problem(member, convocation),
        "sees_grid": permissions.sees_others_scorings(member, convocation, ids),
        "decision": convocation.decisions.in_force().first(),
    }
    return render(request, "juries/candidate.html", context)


@require_safe
@reads_candidate
def dossier_block(request, member, convocation, block_pk: int):
    """One bloc of the submitted dossier: its compétences, narratives, experiences and proofs."""
    snapshot, content = snapshot_content(convocation)
    blocks = content["blocks"]
    index = next((i for i, b in enumerate(blocks) if b["id"] == block_pk), None)
    if index is None:
        raise Http404
    item = next((i for i in assessed_items(convocation.dossier) if i.block and i.block.pk == block_pk), None)
    context = {
        "member": member,
        "session": convocation.session,
        "convocation": convocation,
        "dossier": convocation.dossier,
        "snapshot": snapshot,
        "content": content,
        "bloc": blocks[index],
        "previous": blocks[index - 1] if index > 0 else None,
        "next": blocks[index + 1] if index + 1 < len(blocks) else None,
        "rubric": item.rubric if item else None,
    }
    return render(request, "juries/dossier_block.html", context)
