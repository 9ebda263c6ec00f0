"""Shared by the jury members' views: finding the candidate a member may look at, and the
grid of the members' scorings (shown only once ``permissions.sees_others_scorings`` lets the
member see them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from certifications.models import Rubric
from juries import permissions, scoring
from juries.models import Convocation, DivergenceSettlement, Evaluation, JuryMember
from juries.queries import Item, assessed_items, candidate_rubrics, rubric_ids


def candidate(request, pk: int):
    """(seat, convocation, declaration) for a candidate of the user's sessions; 404 outside
    them, and for a member who declared a conflict with this candidate."""
    member, convocation = permissions.convocation_or_404(request.user, pk)
    declaration = permissions.declaration_of(member, convocation)
    if declaration is not None and declaration.is_conflict:
        raise Http404
    return member, convocation, declaration


def reads_candidate(view):
    """The view receives (request, member, convocation, ...) once the member declared no link;
    before that, they are sent to the declaration."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        member, convocation, declaration = candidate(request, pk)
        if declaration is None:
            messages.info(request, _("Avant d'ouvrir le dossier, déclarez votre lien éventuel avec le candidat."))
            return redirect("jury:declare", pk=convocation.pk)
        return view(request, member, convocation, *args, **kwargs)

    return wrapper


@dataclass
class Cell:
    member: JuryMember
    level: scoring.Level | None
    position: int | None
    remark: str


@dataclass
class Row:
    criterion: scoring.Criterion
    competencies: list
    cells: list[Cell]
    divergence: scoring.Divergence | None
    settlement: DivergenceSettlement | None = None


@dataclass
class Column:
    member: JuryMember
    evaluation: Evaluation
    score: scoring.Score | None


@dataclass
class GridItem:
    item: Item
    rubric: Rubric
    grille: scoring.Grille
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    pending: list[JuryMember] = field(default_factory=list)  # scoring members not validated yet
    suggestion: scoring.Suggestion | None = None

    @property
    def divergent(self) -> int:
        return sum(1 for r in self.rows if r.divergence)


@dataclass
class Grid:
    visible: bool  # the independence rule let the member see the others' scorings
    items: list[GridItem]


def grid_for(member: JuryMember, convocation: Convocation, only_rubric: int | None = None) -> Grid:
    """Every member's validated levels side by side for each grille of this candidate, with
    scores, the pass rule's suggestion and divergences — or nothing (``visible`` False) while
    the independence rule hides the others' scorings from ``member``."""
    items = [i for i in assessed_items(convocation.dossier) if i.rubric is not None]
    ids = rubric_ids(items)
    if only_rubric is not None:
        if only_rubric not in ids:
            raise Http404
        items = [i for i in items if i.rubric.pk == only_rubric]
    if not permissions.sees_others_scorings(member, convocation, ids):
        return Grid(visible=False, items=[])
    rubrics = candidate_rubrics(convocation)
    # The others' scorings, now that the independence rule lets this member see them (above);
    # conflicted or absent members' scorings never count, even validated before.
    members = permissions.scorers_of(convocation)
    evaluations = permissions.validated_scorings(convocation)
    settled = {
        st.criterion_id: st
        for st in DivergenceSettlement.objects.filter(convocation=convocation).select_related("level")
    }
    grid_items = []
    for item in items:
        rubric = rubrics[item.rubric.pk]
        grille = scoring.Grille.from_rubric(rubric)
        mine = [e for e in evaluations if e.rubric_id == rubric.pk]
        choices = {e.member_id: {s.criterion_id: s.level_id for s in e.scores.all()} for e in mine}
        remarks = {e.member_id: {s.criterion_id: s.remark for s in e.scores.all()} for e in mine}
        columns = [Column(e.member, e, scoring.score(grille, choices[e.member_id])) for e in mine]
        divergences = scoring.divergences(grille, choices)
        criteria = {c.pk: c for c in rubric.criteria.all()}
        rows = [
            Row(
                criterion=c,
                competencies=list(criteria[c.id].competencies.all()),
                cells=[
                    Cell(
                        member=col.member,
                        level=grille.level(choices[col.member.pk].get(c.id)),
                        position=grille.index(choices[col.member.pk].get(c.id)),
                        remark=remarks[col.member.pk].get(c.id, ""),
                    )
                    for col in columns
                ],
                divergence=divergences.get(c.id),
                settlement=settled.get(c.id) if c.id in divergences else None,
            )
            for c in grille.criteria
        ]
        validated = {e.member_id for e in mine}
        grid_items.append(
            GridItem(
                item=item,
                rubric=rubric,
                grille=grille,
                columns=columns,
                rows=rows,
                pending=[m for m in members if m.pk not in validated],
                suggestion=scoring.suggestion(col.score for col in columns),
            )
        )
    return Grid(visible=True, items=grid_items)
