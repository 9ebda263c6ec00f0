"""A jury member's scoring of a candidate against a grille, validated, reopened by the président.

Rules:
- the jury assesses every bloc the dossier targets, and the transversal assessment (a
  transversal modalité with a grille) when the dossier targets the whole certification; each
  with the grille frozen in the dossier's certification version (``queries.assessed_items``);
- a member scores a candidate of their session while it is programmed, if they are present,
  not a personne ressource, and declared no link with the candidate; not a candidate absent or
  excused, nor once the jury has decided (``scoring_problem`` says why not);
- a scoring saves as the member goes; a save that started from an older version is a
  conflict (``EvaluationConflict``), never an overwrite; a level belongs to the grille;
- "Valider ma notation" needs a level for every criterion (``IncompleteEvaluation``); a
  validated scoring is read-only unless the président reopens it, which they may until the
  decision, with a reason shown to the member (``reopen_reason``);
- validated and reopened scorings (never their levels) are written to the audit trail
  (``audit.services.record``), in the dossier's history.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from certifications.models import Rubric
from juries.enums import Attendance, EvaluationStatus, SessionStatus
from juries.formats import display_name
from juries.models import Convocation, CriterionScore, Evaluation, JuryMember
from juries.permissions import declaration_of
from juries.queries import assessed_items, evaluation_values, rubric_ids
from juries.services.errors import EvaluationConflict, IncompleteEvaluation, JuryError
from juries.services.locking import ensure_open, ensure_president, ensure_seat, locked_convocation

logger = logging.getLogger(__name__)


def _rubric_label(rubric: Rubric) -> str:
    owner = rubric.block or rubric.assessment_method
    return str(getattr(owner, "label", owner))


def scoring_problem(member: JuryMember, convocation: Convocation, rubric: Rubric | None = None) -> str | None:
    """Why ``member`` cannot score this candidate (None when they can)."""
    session = convocation.session
    if session.status != SessionStatus.PLANNED:
        return _("La session est clôturée : les notations ne sont plus modifiables.")
    if not member.scores:
        return _("Une personne ressource conseille le jury : elle ne note pas les candidats.")
    if not member.present:
        return _("Votre absence à la session est notée : vous ne notez pas les candidats.")
    declaration = declaration_of(member, convocation)
    if declaration is None:
        return _("Déclarez d'abord votre lien avec le candidat.")
    if declaration.is_conflict:
        return _("Vous avez déclaré un lien avec ce candidat : vous ne le notez pas.")
    if convocation.attendance in (Attendance.ABSENT, Attendance.EXCUSED):
        return _("Le candidat n'était pas présent : il n'y a rien à noter.")
    if convocation.decisions.in_force().exists():
        return _("Le jury a rendu sa décision : les notations ne sont plus modifiables.")
    if rubric is not None and rubric.pk not in rubric_ids(assessed_items(convocation.dossier)):
        return _("Cette grille n'évalue pas ce dossier.")
    return None


def _scorer_checked(member: JuryMember, convocation: Convocation, rubric: Rubric) -> Convocation:
    conv = locked_convocation(convocation.pk)
    ensure_seat(member, conv)
    member = JuryMember.objects.get(pk=member.pk)  # presence may have changed
    problem = scoring_problem(member, conv, rubric)
    if problem:
        raise JuryError(problem)
    return conv


def _level_id(value: str, levels: set[int]) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) not in levels:
        raise JuryError(_("Ce niveau n'appartient pas à la grille."))
    return int(value)


@transaction.atomic
def save_evaluation(
    member: JuryMember, convocation: Convocation, rubric: Rubric, base_version: int, changes: dict[str, str]
) -> Evaluation:
    """Save what the member chose so far (the form's fields, see ``evaluation_values``).

    A change that started from an older version than the stored one raises
    ``EvaluationConflict`` with both versions; sending again what is stored is not a conflict.
    """
    conv = _scorer_checked(member, convocation, rubric)
    evaluation, _created = Evaluation.objects.select_for_update().get_or_create(
        member=member, convocation=conv, rubric=rubric
    )
    if evaluation.is_validated:
        raise JuryError(_("Votre notation est validée : elle n'est plus modifiable, sauf si le président la rouvre."))
    criteria = list(rubric.criteria.order_by("order"))
    current = evaluation_values(evaluation, criteria)
    unknown = set(changes) - set(current)
    if unknown:
        raise ValueError(f"Not a field of this scoring: {sorted(unknown)}")
    levels = set(rubric.levels.values_list("pk", flat=True))
    for key, value in changes.items():
        if key.startswith("level-"):
            _level_id(value, levels)
    changed = [k for k, v in changes.items() if current[k] != v]
    if not changed:
        return evaluation
    if evaluation.version != base_version:
        raise EvaluationConflict(evaluation=evaluation, theirs=current, mine=changes)
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    for criterion in criteria:
        level_key, remark_key = f"level-{criterion.pk}", f"remark-{criterion.pk}"
        if level_key not in changed and remark_key not in changed:
            continue
        score = scores.get(criterion.pk) or CriterionScore(evaluation=evaluation, criterion=criterion)
        if level_key in changed:
            score.level_id = _level_id(changes[level_key], levels)
        if remark_key in changed:
            score.remark = changes[remark_key]
        score.save()
    if "comment" in changed:
        evaluation.comment = changes["comment"]
    evaluation.version += 1
    evaluation.save(update_fields=["comment", "version", "updated_at"])
    return evaluation


def check_complete(evaluation: Evaluation | None, rubric: Rubric) -> None:
    """``IncompleteEvaluation`` unless every criterion of the grille has a level."""
    chosen = (
        set(evaluation.scores.filter(level__isnull=False).values_list("criterion_id", flat=True))
        if evaluation and evaluation.pk
        else set()
    )
    missing = [c for c in rubric.criteria.order_by("order") if c.pk not in chosen]
    if missing:
        raise IncompleteEvaluation(missing)


@transaction.atomic
def validate_evaluation(member: JuryMember, convocation: Convocation, rubric: Rubric) -> Evaluation:
    """ "Valider ma notation": a level for every criterion, then read-only."""
    conv = _scorer_checked(member, convocation, rubric)
    evaluation = Evaluation.objects.select_for_update().filter(member=member, convocation=conv, rubric=rubric).first()
    check_complete(evaluation, rubric)
    assert evaluation is not None  # for mypy: a level was chosen for every criterion, so it exists
    if evaluation.is_validated:
        return evaluation
    evaluation.status = EvaluationStatus.VALIDATED
    evaluation.validated_at = timezone.now()
    evaluation.save(update_fields=["status", "validated_at", "updated_at"])
    # The levels stay out of the trail: the dossier's history is read by certifiers too.
    audit.record(
        "jury.evaluation_submitted",
        actor=member.user,
        target=evaluation,
        target_repr=_rubric_label(rubric),
        dossier=conv.dossier,
    )
    logger.info("Evaluation %s validated by member %s", evaluation.pk, member.pk)
    return evaluation


@transaction.atomic
def reopen_evaluation(evaluation: Evaluation, president: JuryMember, reason: str) -> Evaluation:
    """The président gives a validated scoring back to its author, until the decision, saying
    what to reconsider (shown to the member on their scoring page)."""
    evaluation = Evaluation.objects.select_for_update().select_related("member__user", "rubric").get(pk=evaluation.pk)
    conv = locked_convocation(evaluation.convocation_id)
    ensure_president(president, conv.session)
    ensure_open(conv.session)
    if conv.decisions.in_force().exists():
        raise JuryError(_("Le jury a rendu sa décision : les notations ne sont plus modifiables."))
    if not evaluation.is_validated:
        raise JuryError(_("Cette notation n'est pas validée : elle est déjà modifiable."))
    reason = reason.strip()
    if not reason:
        raise JuryError(_("Indiquez au membre ce qu'il doit revoir : le motif de la réouverture lui est montré."))
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.reopened_at = timezone.now()
    evaluation.reopened_by = president.user
    evaluation.reopen_reason = reason
    evaluation.save(update_fields=["status", "reopened_at", "reopened_by", "reopen_reason", "updated_at"])
    audit.record(
        "jury.evaluation_reopened",
        actor=president.user,
        target=evaluation,
        target_repr=f"{display_name(evaluation.member.user)} — {_rubric_label(evaluation.rubric)}",
        dossier=conv.dossier,
        comment=reason,
    )
    logger.info("Evaluation %s reopened by %s", evaluation.pk, president.user_id)
    return evaluation
