"""What the jury pages and services read; nothing here changes a row (changes go through
``juries.services``, access rules are in ``juries.permissions``).

Rules:
- the jury assesses every bloc the dossier targets (blocs acquired for life aside), then each
  transversal assessment with a grille when the dossier targets the whole certification; each
  with the grille frozen in the dossier's certification version (``assessed_items``);
- a session's members are checked against the certification's jury rule (``composition``);
- the procès-verbal says who sat (present or not), the links declared, and each live
  candidate's attendance and decision in force; its SHA-256 is what members sign
  (``minutes_content``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.models import AssessmentMethod, Block, Competency, Rubric, RubricCriterion, RubricLevel
from core.templatetags.french import fr_time
from juries import agreement
from juries.composition import CompositionCheck, JuryRule, Seat, check
from juries.enums import ConvocationStatus, EvaluationStatus, LinkKind
from juries.formats import display_name, when
from juries.models import (
    BlockDecision,
    ConflictDeclaration,
    Convocation,
    CriterionScore,
    Decision,
    DivergenceSettlement,
    Evaluation,
    JuryMember,
    JurySession,
    Minutes,
    Signature,
)

if TYPE_CHECKING:
    from dossiers.models import Dossier

# --- what the jury assesses ---------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing the jury decides on: a targeted bloc, or the transversal assessment."""

    block: Block | None = None
    method: AssessmentMethod | None = None
    rubric: Rubric | None = None

    @property
    def key(self) -> str:
        return f"bloc-{self.block.pk}" if self.block else f"transversal-{self.method.pk}"

    @property
    def is_block(self) -> bool:
        return self.block is not None

    @property
    def label(self) -> str:
        return str(self.block.label) if self.block else _("Épreuve transversale")

    @property
    def title(self) -> str:
        return self.block.title if self.block else str(self.method)

    def competencies(self) -> list[Competency]:
        return list(self.block.competencies.all()) if self.block else []


def kept(convocation: Convocation, name: str, read):
    """``read()``, kept on a convocation a view loaded for one request
    (``permissions.convocation_or_404`` opens the store): a jury page asks the same questions of
    one candidate from the view, the grid and the checks (the deliberation asked for the members'
    validations five times). Any other convocation (a service's, locked and reloaded before it
    writes) reads afresh."""
    store = getattr(convocation, "_jury_reads", None)
    if store is None:
        return read()
    if name not in store:
        store[name] = read()
    return store[name]


def rubrics_with_parts(ids) -> dict[int, Rubric]:
    """The grilles ``ids`` with their criteria (and the compétences each names) and levels."""
    return {
        r.pk: r
        for r in Rubric.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("criteria", queryset=RubricCriterion.objects.order_by("order").prefetch_related("competencies")),
            "levels",
        )
    }


def candidate_rubrics(convocation: Convocation) -> dict[int, Rubric]:
    """Every grille this candidate is assessed on, with its parts (read once per request)."""
    return kept(convocation, "rubrics", lambda: rubrics_with_parts(rubric_ids(assessed_items(convocation.dossier))))


def assessed_items(dossier: Dossier) -> list[Item]:
    """The blocs the dossier targets (acquired ones aside), then the transversal assessments
    of the VAE route with a grille when it targets the whole certification (an assessment of
    the training route only is not the VAE candidate's: it is neither scored nor decided).

    Kept on the dossier object: a jury page asks for them from the view, the grid and the
    checks (the blocs a dossier targets are set once, when it starts)."""
    kept = getattr(dossier, "_assessed_items", None)
    if kept is not None:
        return list(kept)
    blocks = dossier.targeted_blocks().select_related("rubric").prefetch_related("competencies")
    items = [Item(block=b, rubric=getattr(b, "rubric", None)) for b in blocks]
    if dossier.targets_all_blocks:
        methods = (
            dossier.transversal_assessments()
            .filter(rubric__isnull=False)
            .select_related("rubric")
            .order_by("order", "pk")
        )
        items += [Item(method=m, rubric=m.rubric) for m in methods]
    dossier._assessed_items = items
    return list(items)


def rubric_ids(items: list[Item]) -> set[int]:
    return {i.rubric.pk for i in items if i.rubric is not None}


# --- the jury's composition -----------------------------------------------------------------


def composition(session: JurySession, members: Iterable[JuryMember] | None = None) -> CompositionCheck:
    """The session's members against the certification's rule (see ``juries.composition``)."""
    members = list(members if members is not None else session.members.all())
    staff_ids = set(
        get_user_model()
        .objects.filter(certifiers__certifications=session.certification_id)
        .values_list("pk", flat=True)
    )
    seats = [Seat(role=m.role, certifier_staff=m.user_id in staff_ids) for m in members]
    return check(JuryRule.from_data(session.certification.jury_rule), seats)


# --- a member's scoring -------------------------------------------------------------------


def evaluation_values(evaluation: Evaluation | None, criteria: Iterable[RubricCriterion]) -> dict[str, str]:
    """The scoring as the form holds it: ``comment``, ``level-<criterion>`` (a level id or
    empty) and ``remark-<criterion>`` for each criterion."""
    values = {"comment": evaluation.comment if evaluation else ""}
    scores = {s.criterion_id: s for s in evaluation.scores.all()} if evaluation and evaluation.pk else {}
    for criterion in criteria:
        score = scores.get(criterion.pk)
        values[f"level-{criterion.pk}"] = str(score.level_id) if score and score.level_id else ""
        values[f"remark-{criterion.pk}"] = score.remark if score else ""
    return values


# --- moderation: the président's settled divergences, the agreement figures ----------------


def settlements_of(convocation_ids: Iterable[int]) -> dict[int, list[DivergenceSettlement]]:
    """The settled divergences of these candidates, by convocation, in the grilles' order."""
    by_conv: dict[int, list[DivergenceSettlement]] = {}
    rows = DivergenceSettlement.objects.filter(convocation_id__in=list(convocation_ids)).select_related(
        "rubric__block", "rubric__assessment_method", "criterion", "level"
    )
    for s in rows.order_by("convocation_id", "rubric_id", "criterion__order", "pk"):
        by_conv.setdefault(s.convocation_id, []).append(s)
    return by_conv


def rubric_label(rubric: Rubric) -> str:
    if rubric.block_id:
        return f"{rubric.block.label} — {rubric.block.title}"
    return str(_("Épreuve transversale : %(title)s") % {"title": rubric.assessment_method})


@dataclass(frozen=True)
class SeverityRow:
    member: JuryMember
    value: Any  # Decimal: the member's mean level difference to the others


@dataclass(frozen=True)
class AgreementReport:
    """Agreement on a session's deliberated candidates: for the session, per bloc, and each
    member's severity (``juries.agreement``)."""

    session: agreement.Agreement
    blocks: list[tuple[str, agreement.Agreement]]
    severity: list[SeverityRow]

    @property
    def empty(self) -> bool:
        return self.session.units == 0


def agreement_report(session: JurySession, members: Iterable[JuryMember] | None = None) -> AgreementReport:
    """From the validated scorings of the candidates the jury has decided on (never before the
    decision: the figures would show a member the others' levels). ``members``: the session's
    with their users, when already read."""
    decided = Decision.objects.in_force().filter(convocation__session=session).values("convocation_id")
    # Unordered: the model's ordering would join the sessions and sort every score of the table
    # (350 ms at 100,000 dossiers) when the rows are grouped below anyway.
    scores = (
        CriterionScore.objects.filter(
            evaluation__convocation_id__in=decided,
            evaluation__status=EvaluationStatus.VALIDATED,
            evaluation__member__present=True,
            level__isnull=False,
        )
        .order_by()
        .values_list(
            "evaluation__convocation_id", "evaluation__rubric_id", "criterion_id", "evaluation__member_id", "level_id"
        )
    )
    rows = list(scores)
    rubric_ids_ = {r[1] for r in rows}
    positions: dict[int, int] = {}
    scale: dict[int, int] = {}
    for level in RubricLevel.objects.filter(rubric_id__in=rubric_ids_).order_by("rubric_id", "order", "pk"):
        positions[level.pk] = scale.get(level.rubric_id, 0)
        scale[level.rubric_id] = positions[level.pk] + 1
    units: dict[tuple[int, int], dict[int, int]] = {}
    unit_rubric: dict[tuple[int, int], int] = {}
    for conv_id, rubric_id, criterion_id, member_id, level_id in rows:
        units.setdefault((conv_id, criterion_id), {})[member_id] = positions[level_id]
        unit_rubric[(conv_id, criterion_id)] = rubric_id
    rubrics = {r.pk: r for r in Rubric.objects.filter(pk__in=rubric_ids_).select_related("block", "assessment_method")}
    by_label: dict[str, list[dict[int, int]]] = {}
    label_scale: dict[str, int] = {}
    for key in sorted(
        units, key=lambda k: (rubrics[unit_rubric[k]].block.order if rubrics[unit_rubric[k]].block_id else 10**6, k)
    ):
        label = rubric_label(rubrics[unit_rubric[key]])
        by_label.setdefault(label, []).append(units[key])
        label_scale[label] = max(label_scale.get(label, 0), scale[unit_rubric[key]])
    all_units = list(units.values())
    overall = agreement.agreement(all_units, max(scale.values(), default=0))
    by_pk = {m.pk: m for m in (members if members is not None else session.members.select_related("user"))}
    severity = [
        SeverityRow(by_pk[pk], value)
        for pk, value in sorted(overall.severity.items(), key=lambda kv: (by_pk[kv[0]].role, kv[0]))
    ]
    return AgreementReport(
        session=overall,
        blocks=[
            (label, agreement.agreement(block_units, label_scale[label])) for label, block_units in by_label.items()
        ],
        severity=severity,
    )


def _agreement_content(session: JurySession) -> dict[str, Any]:
    report = agreement_report(session)

    def figures(a: agreement.Agreement) -> dict[str, Any]:
        return {"units": a.units, "percent": a.percent_display, "alpha": a.alpha_display}

    return {
        "session": figures(report.session),
        "blocks": [{"label": label, **figures(a)} for label, a in report.blocks],
        "severity": [
            {
                "name": display_name(row.member.user),
                "role_label": str(row.member.get_role_display()),
                "value": f"{row.value:+.2f}".replace(".", ","),
            }
            for row in report.severity
        ],
    }


# --- the procès-verbal --------------------------------------------------------------------


def minutes_content(session: JurySession) -> dict[str, Any]:
    """What the procès-verbal says, as a JSON document (its SHA-256 is what members sign)."""
    certification = session.certification
    members: list[JuryMember] = list(
        session.members.select_related("user").prefetch_related(
            Prefetch(
                "declarations",
                queryset=ConflictDeclaration.objects.exclude(link=LinkKind.NONE)
                .filter(convocation__session=session)
                .exclude(convocation__status=ConvocationStatus.CANCELLED)
                .select_related("convocation__dossier__candidate"),
                to_attr="conflicts",
            )
        )
    )
    convocations = (
        session.convocations.live()
        .select_related("dossier__candidate", "dossier__certification")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.in_force().prefetch_related(
                    Prefetch(
                        "items",
                        queryset=BlockDecision.objects.select_related("block", "assessment_method").prefetch_related(
                            "competencies_to_prove"
                        ),
                    )
                ),
            )
        )
        .order_by("starts_at", "pk")
    )
    convocations = list(convocations)
    settled = settlements_of(c.pk for c in convocations)
    candidates = []
    for conv in convocations:
        decision = next(iter(conv.decisions.all()), None)
        candidates.append(
            {
                "convocation": conv.pk,
                "dossier": conv.dossier_id,
                "name": display_name(conv.dossier.candidate),
                "certification_version": conv.dossier.certification.version,
                "slot": f"{fr_time(conv.starts_at)} – {fr_time(conv.ends_at)}",
                "attendance": conv.attendance,
                "attendance_label": str(conv.get_attendance_display()) if conv.attendance else "",
                "targets_all_blocks": conv.dossier.targets_all_blocks,
                "decision": decision.pk if decision else None,
                "result": decision.result if decision else "",
                "result_label": str(decision.get_result_display()) if decision else "",
                "comment": decision.comment if decision else "",
                "items": [
                    {
                        "label": item.label,
                        "validated": item.validated,
                        "justification": item.justification,
                        "competencies_to_prove": [
                            f"{c.code} {c.text}".strip()
                            for c in sorted(item.competencies_to_prove.all(), key=lambda c: (c.order, c.pk))
                        ],
                        "recommendations": item.recommendations,
                    }
                    for item in (decision.items.all() if decision else [])
                ],
                "settlements": [
                    {
                        "item": rubric_label(st.rubric),
                        "criterion": st.criterion.text,
                        "level": st.level.label,
                        "justification": st.justification,
                    }
                    for st in settled.get(conv.pk, [])
                ],
            }
        )
    record = Minutes.objects.filter(session=session).select_related("composition_override_by").first()
    override = None
    if record is not None and record.composition_override_reason:
        override = {
            "reason": record.composition_override_reason,
            "by": display_name(record.composition_override_by) if record.composition_override_by else "",
            "at": when(record.composition_override_at) if record.composition_override_at else "",
        }
    return {
        "session": {
            "id": session.pk,
            "starts_at": timezone.localtime(session.starts_at).isoformat(),
            "when": when(session.starts_at),
            "place": session.place,
            "video_link": session.video_link,
        },
        "certification": {
            "code": certification.code,
            "title": certification.title,
            "level": certification.level,
            "version": certification.version,
            "certifiers": sorted(str(c) for c in certification.certifiers.all()),
        },
        "members": [
            {
                "id": m.pk,
                "name": display_name(m.user),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "present": m.present,
            }
            for m in sorted(members, key=lambda m: (m.role != "president", m.pk))
        ],
        "conflicts": [
            {
                "member": display_name(m.user),
                "candidate": display_name(d.convocation.dossier.candidate),
                "link": str(d.get_link_display()),
                "comment": d.comment,
            }
            for m in members
            for d in m.conflicts
        ],
        "candidates": candidates,
        "composition_override": override,
        "agreement": _agreement_content(session),
    }


def current_signatures(minutes: Minutes | None, sha256: str) -> list[Signature]:
    """The signatures given to the procès-verbal as it stands (its content's SHA-256)."""
    if minutes is None:
        return []
    return list(minutes.signatures.filter(content_sha256=sha256).select_related("member__user"))
