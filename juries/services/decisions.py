"""The président's decision on each candidate, and its revocation by a certifier.

Rules:
- the président decides from the session's day on, while it is programmed, once the
  candidate's attendance is recorded and every present member without conflict (personnes
  ressources aside) has validated their scoring; a président who declared a link with the
  candidate does not deliberate on them (``deliberation_problems`` says what is missing);
- per item (``queries.assessed_items``) validé or non validé with a justification and, when not
  validated, the compétences still to prove or recommendations; the result is computed
  (``scoring.jury_result``) and confirmed: if the decisions now give another result, nothing is
  saved; the dossier is then "décision rendue" (``dossiers.services.mark_decided``);
- a certifier revokes a decision with a reason, unless the candidate has since opened a new
  dossier on the certification; the row stays (history) and a new decision is a new row: in the
  same session while its procès-verbal is not final, else at another jury (the convocation is
  closed);
- where the members diverge (two levels or more apart on a criterion, ``scoring.divergences``,
  among the validated scorings that count), the président records the level the jury retains,
  with a justification, before deciding (``settle_divergence``); the procès-verbal shows it;
- decisions, revocations and settled divergences are written to the audit trail
  (``audit.services.record``), in the dossier's history (never the levels: certifiers read it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from certifications.models import Competency, RubricCriterion, RubricLevel
from dossiers import services as dossier_services
from juries import scoring
from juries.enums import Attendance, ConvocationStatus, SessionStatus
from juries.formats import display_name, when
from juries.models import BlockDecision, Convocation, Decision, DivergenceSettlement, JuryMember, Minutes
from juries.permissions import declaration_of, has_validated_all, scorers_of, validated_scorings
from juries.queries import Item, assessed_items, candidate_rubrics, rubric_ids
from juries.scoring import Outcome, jury_result
from juries.services.errors import JuryError
from juries.services.locking import ensure_president, ensure_started, locked_convocation, not_started_reason

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass
class ItemDecision:
    """What the président decides on one item (see ``Item.key``)."""

    key: str
    validated: bool
    justification: str
    competencies: list[Competency] = field(default_factory=list)
    recommendations: str = ""


def deliberation_problems(convocation: Convocation, president: JuryMember) -> list[str]:
    """What keeps the président from deciding on this candidate now (empty: they can)."""
    session = convocation.session
    problems = []
    if session.status != SessionStatus.PLANNED:
        problems.append(_("La session est clôturée : plus aucune décision ne peut y être prise."))
    if not_started := not_started_reason(session):
        problems.append(not_started)
    declaration = declaration_of(president, convocation)
    if declaration is not None and declaration.is_conflict:
        problems.append(_("Vous avez déclaré un lien avec ce candidat : vous ne délibérez pas sur son dossier."))
    if convocation.decisions.in_force().exists():
        problems.append(_("Le jury a déjà rendu sa décision pour ce candidat."))
    if not convocation.attendance:
        problems.append(_("Relevez d'abord la présence du candidat."))
    elif convocation.attendance == Attendance.PRESENT:
        ids = rubric_ids(assessed_items(convocation.dossier))
        members = scorers_of(convocation)
        if not members:
            problems.append(_("Aucun membre présent ne peut noter ce candidat."))
        pending = [m for m in members if not has_validated_all(m, convocation, ids)]
        for member in pending:
            problems.append(_("%(name)s n'a pas encore validé sa notation.") % {"name": display_name(member.user)})
        if members and not pending:
            for item, criterion in unsettled_divergences(convocation):
                problems.append(
                    _(
                        "Les membres divergent sur « %(criterion)s » (%(item)s) : "
                        "retenez un niveau, justifié, avant de décider."
                    )
                    % {"criterion": criterion.text[:80], "item": item.label}
                )
    return problems


def divergent_criteria(convocation: Convocation) -> dict[int, tuple[Item, set[int]]]:
    """The criteria (by id) on which the validated scorings that count diverge, with their item
    and the ids of the criteria's rubric levels."""
    graded = {i.rubric.pk: i for i in assessed_items(convocation.dossier) if i.rubric is not None}
    evaluations = [e for e in validated_scorings(convocation) if e.rubric_id in graded]
    found: dict[int, tuple[Item, set[int]]] = {}
    for rubric in candidate_rubrics(convocation).values():
        item = graded[rubric.pk]
        grille = scoring.Grille.from_rubric(rubric)
        choices = {
            e.member_id: {sc.criterion_id: sc.level_id for sc in e.scores.all()}
            for e in evaluations
            if e.rubric_id == rubric.pk
        }
        level_ids = {lv.id for lv in grille.levels}
        for criterion_id in scoring.divergences(grille, choices):
            found[criterion_id] = (item, level_ids)
    return found


def unsettled_divergences(convocation: Convocation) -> list[tuple[Item, RubricCriterion]]:
    found = divergent_criteria(convocation)
    settled = set(
        DivergenceSettlement.objects.filter(convocation=convocation, criterion_id__in=found).values_list(
            "criterion_id", flat=True
        )
    )
    criteria = RubricCriterion.objects.filter(pk__in=set(found) - settled).order_by("rubric_id", "order")
    return [(found[c.pk][0], c) for c in criteria]


@transaction.atomic
def settle_divergence(
    convocation: Convocation, president: JuryMember, criterion: RubricCriterion, level: RubricLevel, justification: str
) -> DivergenceSettlement:
    """The président records the level the jury retains on a criterion where members diverge."""
    conv = locked_convocation(convocation.pk)
    ensure_president(president, conv.session)
    ensure_started(conv.session)
    if conv.session.status != SessionStatus.PLANNED:
        raise JuryError(_("La session est clôturée : plus aucune décision ne peut y être prise."))
    if conv.decisions.in_force().exists():
        raise JuryError(_("Le jury a déjà rendu sa décision pour ce candidat."))
    declaration = declaration_of(president, conv)
    if declaration is not None and declaration.is_conflict:
        raise JuryError(_("Vous avez déclaré un lien avec ce candidat : vous ne délibérez pas sur son dossier."))
    found = divergent_criteria(conv)
    if criterion.pk not in found:
        raise JuryError(_("Les membres ne divergent pas sur ce critère : il n'y a rien à trancher."))
    item, level_ids = found[criterion.pk]
    if level.pk not in level_ids:
        raise JuryError(_("Ce niveau n'appartient pas à la grille."))
    justification = justification.strip()
    if not justification:
        raise JuryError(_("Justifiez le niveau retenu : la justification figure au procès-verbal."))
    settlement, created = DivergenceSettlement.objects.update_or_create(
        convocation=conv,
        criterion=criterion,
        defaults={
            "rubric_id": criterion.rubric_id,
            "level": level,
            "justification": justification,
            "settled_by": president.user,
            "settled_at": timezone.now(),
        },
    )
    audit.record(
        "jury.divergence_settled",
        actor=president.user,
        target=settlement,
        target_repr=f"{item.label} — {criterion.text[:80]}",
        dossier=conv.dossier,
        comment=justification,
    )
    logger.info("Divergence on criterion %s of convocation %s settled by %s", criterion.pk, conv.pk, president.user_id)
    return settlement


def _checked_items(convocation: Convocation, items: list[ItemDecision]) -> list[tuple[Item, ItemDecision]]:
    assessed = {i.key: i for i in assessed_items(convocation.dossier)}
    given = {d.key: d for d in items}
    if set(given) != set(assessed):
        raise JuryError(_("Décidez de chaque bloc visé par le dossier, et de lui seulement."))
    checked = []
    for key, item in assessed.items():
        decision = given[key]
        label = f"{item.label} — {item.title}"
        if not decision.justification.strip():
            raise JuryError(_("Justifiez la décision sur « %(item)s ».") % {"item": label})
        if decision.validated:
            decision.competencies, decision.recommendations = [], ""
        else:
            allowed = {c.pk for c in item.competencies()}
            if any(c.pk not in allowed for c in decision.competencies):
                raise JuryError(_("Une compétence choisie n'appartient pas à « %(item)s ».") % {"item": label})
            if not decision.competencies and not decision.recommendations.strip():
                raise JuryError(
                    _("Indiquez les compétences restant à démontrer pour « %(item)s », non validé.") % {"item": label}
                )
        checked.append((item, decision))
    return checked


def compute_result(convocation: Convocation, items: list[ItemDecision]) -> str:
    """The result these decisions give (checks them as ``record_decision`` would)."""
    if convocation.attendance != Attendance.PRESENT:
        return jury_result(convocation.attendance, convocation.dossier.targets_all_blocks, [])
    checked = _checked_items(convocation, items)
    outcomes = [Outcome(is_block=item.is_block, validated=d.validated) for item, d in checked]
    return jury_result(Attendance.PRESENT, convocation.dossier.targets_all_blocks, outcomes)


@transaction.atomic
def record_decision(
    convocation: Convocation,
    president: JuryMember,
    items: list[ItemDecision],
    comment: str = "",
    expected_result: str = "",
) -> Decision:
    """The président's decision. ``expected_result`` is the result they confirmed: if the
    decisions now give another one, nothing is saved."""
    conv = locked_convocation(convocation.pk)
    ensure_president(president, conv.session)
    ensure_started(conv.session)
    problems = deliberation_problems(conv, president)
    if problems:
        raise JuryError(problems[0])
    present = conv.attendance == Attendance.PRESENT
    checked = _checked_items(conv, items) if present else []
    result = compute_result(conv, items)
    if expected_result and expected_result != result:
        raise JuryError(_("Le résultat a changé depuis votre relecture : vérifiez-le avant de le confirmer."))
    decision = Decision.objects.create(
        convocation=conv,
        dossier=conv.dossier,
        result=result,
        comment=comment.strip(),
        decided_by=president.user,
        decided_at=timezone.now(),
    )
    for order, (item, d) in enumerate(checked, start=1):
        row = BlockDecision.objects.create(
            decision=decision,
            block=item.block,
            assessment_method=item.method,
            validated=d.validated,
            justification=d.justification.strip(),
            recommendations=d.recommendations.strip(),
            order=order,
        )
        if d.competencies:
            row.competencies_to_prove.set(d.competencies)
    Minutes.objects.get_or_create(session=conv.session)
    audit.record(
        "jury.decision",
        actor=president.user,
        target=decision,
        target_repr=str(decision.get_result_display()),
        dossier=conv.dossier,
        changes={
            "result": [None, result],
            "validated_blocks": [None, [item.label for item, d in checked if d.validated]],
            "blocks_not_validated": [None, [item.label for item, d in checked if not d.validated]],
        },
        comment=decision.comment,
    )
    dossier_services.mark_decided(
        conv.dossier,
        president.user,
        _("Le jury a délibéré. Le résultat vous sera communiqué dès que son procès-verbal sera signé."),
    )
    logger.info("Decision %s (%s) on dossier %s by %s", decision.pk, result, conv.dossier_id, president.user_id)
    return decision


@transaction.atomic
def revoke_decision(decision: Decision, actor: User | None, reason: str) -> Decision:
    """A certifier withdraws a decision, with a reason; the row stays as history. While the
    session's procès-verbal is not final, the same jury decides again; afterwards the dossier
    waits for another jury (its convocation is closed)."""
    reason = reason.strip()
    if not reason:
        raise JuryError(_("Indiquez le motif de la révocation : il sera communiqué au candidat."))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.in_force:
        raise JuryError(_("Cette décision est déjà révoquée."))
    conv = locked_convocation(decision.convocation_id)
    dossier = conv.dossier
    later = (
        dossier.__class__.objects.filter(
            candidate_id=dossier.candidate_id,
            certification__lineage=dossier.certification.lineage,
            created_at__gt=decision.decided_at,
        )
        .exclude(pk=dossier.pk)
        .exists()
    )
    if later:
        raise JuryError(
            _(
                "Le candidat a ouvert un nouveau dossier sur cette certification depuis cette décision : "
                "elle ne peut plus être révoquée."
            )
        )
    minutes = Minutes.objects.filter(session_id=conv.session_id).first()
    final = minutes is not None and minutes.is_final
    decision.revoked_at = timezone.now()
    decision.revoked_by = actor
    decision.revocation_reason = reason
    decision.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit.record(
        "jury.decision_revoked",
        actor=actor,
        target=decision,
        target_repr=str(decision.get_result_display()),
        dossier=dossier,
        comment=reason,
    )
    notice = _("Décision du jury du %(when)s révoquée : %(reason)s") % {"when": when(conv.starts_at), "reason": reason}
    dossier_services.decision_revoked(dossier, actor, notice, same_session=not final)
    if final:
        conv.status, conv.notice = ConvocationStatus.CANCELLED, notice
        conv.save(update_fields=["status", "notice", "updated_at"])
    logger.info("Decision %s revoked by %s", decision.pk, getattr(actor, "pk", None))
    return decision
