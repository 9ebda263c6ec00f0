"""The jury's work, every change through here: conflict declarations, scorings, attendance and
presence, decisions and their revocation, the procès-verbal and its signatures. Atomic, rows
locked, guards raising ``JuryError`` with a French message for the user; documents and e-mails
queued once committed.

Rules (see also ``juries.permissions`` and ``juries.scoring``):
- a member declares their link with a candidate before opening the dossier; a conflict, once
  declared, is never withdrawn; it excludes the member from that candidate's scoring and
  deliberation;
- the jury assesses every bloc the dossier targets, and the transversal assessment (a
  transversal modalité with a grille) when the dossier targets the whole certification; each
  with the grille frozen in the dossier's certification version;
- a scoring saves as the member goes; a save that started from an older version is a
  conflict, never an overwrite; "Valider ma notation" needs a level for every criterion; a
  validated scoring is read-only unless the président reopens it, which they may until the
  decision;
- the président records the candidate's attendance and the members' presence, and decides from
  the session's day on, once every present member without conflict (personnes ressources
  aside) has validated their scoring: per item validé or non validé with a justification and,
  when not validated, the compétences still to prove; the result is computed
  (``scoring.jury_result``) and confirmed; the dossier is then "décision rendue";
- a certifier revokes a decision with a reason; the row stays (history) and a new decision is
  a new row: in the same session while its procès-verbal is not final, else at another jury;
- every present member signs the procès-verbal as it stands (its content's SHA-256), once
  every candidate is decided; when all have signed the same content it is final: content
  frozen, SHA-256 logged, session closed, PDFs rendered, candidates told. Blocs validated then
  are acquired for life (``juries.acquired``);
- declarations, validated scorings (never their levels), decisions, revocations and signatures
  are written to the audit trail (``audit.services.record``), in the dossier's history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit import services as audit
from certifications.models import AssessmentMethod, Block, Competency, Rubric
from dossiers import services as dossier_services
from dossiers.models import Dossier
from dossiers.snapshots import canonical_sha256
from juries import notifications
from juries import services as session_services
from juries.enums import (
    Attendance,
    ConvocationStatus,
    EvaluationStatus,
    JuryDocumentKind,
    LinkKind,
    MinutesStatus,
    SessionStatus,
)
from juries.models import (
    BlockDecision,
    ConflictDeclaration,
    Convocation,
    CriterionScore,
    Decision,
    Evaluation,
    JuryMember,
    JurySession,
    Minutes,
    Signature,
)
from juries.permissions import declaration_of, has_validated_all, members_with_declarations, scoring_members
from juries.scoring import Outcome, jury_result
from juries.services import JuryError, when

logger = logging.getLogger(__name__)


def _name(user) -> str:
    return user.get_full_name() or user.email


def _rubric_label(rubric: Rubric) -> str:
    owner = rubric.block or rubric.assessment_method
    return str(getattr(owner, "label", owner))


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


def assessed_items(dossier) -> list[Item]:
    """The blocs the dossier targets (acquired ones aside), then the transversal assessments
    with a grille when it targets the whole certification."""
    blocks = dossier.targeted_blocks().select_related("rubric").prefetch_related("competencies")
    items = [Item(block=b, rubric=getattr(b, "rubric", None)) for b in blocks]
    if dossier.targets_all_blocks:
        methods = (
            AssessmentMethod.objects.filter(
                certification_id=dossier.certification_id, block__isnull=True, rubric__isnull=False
            )
            .select_related("rubric")
            .order_by("order", "pk")
        )
        items += [Item(method=m, rubric=m.rubric) for m in methods]
    return items


def rubric_ids(items: list[Item]) -> set[int]:
    return {i.rubric.pk for i in items if i.rubric is not None}


def _locked_convocation(convocation: Convocation) -> Convocation:
    conv = (
        Convocation.objects.select_for_update()
        .select_related("session__certification", "dossier__certification", "dossier__candidate")
        .get(pk=convocation.pk)
    )
    if not conv.is_live:
        raise JuryError(_("Cette convocation est annulée."))
    return conv


def _ensure_open(session: JurySession) -> None:
    if session.status == SessionStatus.CLOSED:
        raise JuryError(_("La session est clôturée : son procès-verbal est définitif."))
    if session.status != SessionStatus.PLANNED:
        raise JuryError(_("La session est annulée."))


def _ensure_seat(member: JuryMember, convocation: Convocation) -> None:
    if member.session_id != convocation.session_id:
        raise JuryError(_("Vous ne siégez pas dans la session de ce candidat."))


def _ensure_president(member: JuryMember, session: JurySession) -> None:
    if member.session_id != session.pk or not member.is_president:
        raise JuryError(_("Seul le président de la session peut le faire."))


# --- conflict declarations ----------------------------------------------------------------


@transaction.atomic
def declare_link(member: JuryMember, convocation: Convocation, link: str, comment: str = "") -> ConflictDeclaration:
    """Declare a link (or none) with the candidate. "Aucun lien" may later become a conflict;
    a conflict stays."""
    conv = _locked_convocation(convocation)
    _ensure_seat(member, conv)
    _ensure_open(conv.session)
    if link not in LinkKind.values:
        raise JuryError(_("Choisissez la nature de votre lien avec le candidat."))
    comment = comment.strip()
    if link == LinkKind.OTHER and not comment:
        raise JuryError(_("Précisez la nature de ce lien."))
    current = ConflictDeclaration.objects.select_for_update().filter(member=member, convocation=conv).first()
    if current is not None and current.is_conflict:
        raise JuryError(_("Vous avez déclaré un lien avec ce candidat : cette déclaration ne peut pas être retirée."))
    if current is not None and link == LinkKind.NONE:
        return current
    before = audit.values(current, ("link", "comment")) if current else {}
    if current is None:
        declaration = ConflictDeclaration.objects.create(member=member, convocation=conv, link=link, comment=comment)
    else:
        current.link, current.comment = link, comment
        current.save(update_fields=["link", "comment", "updated_at"])
        declaration = current
    audit.record(
        "jury.conflict_declared",
        actor=member.user,
        target=declaration,
        target_repr=_name(member.user),
        dossier=conv.dossier,
        changes=audit.diff(before, audit.values(declaration, ("link", "comment"))),
    )
    logger.info("Member %s declared %s for convocation %s", member.pk, link, conv.pk)
    return declaration


# --- scoring ------------------------------------------------------------------------------


@dataclass
class EvaluationConflict(Exception):
    """The scoring changed since the member's page loaded it (another tab): both are kept."""

    evaluation: Evaluation
    theirs: dict[str, str]
    mine: dict[str, str]


class IncompleteEvaluation(JuryError):
    def __init__(self, missing: list):
        self.missing = missing
        names = "; ".join(c.text[:60] for c in missing)
        super().__init__(
            _("Choisissez un niveau pour chaque critère avant de valider (%(n)s sans niveau : %(names)s).")
            % {"n": len(missing), "names": names}
        )


def evaluation_values(evaluation: Evaluation | None, criteria) -> dict[str, str]:
    """The scoring as the form holds it: ``comment``, ``level-<criterion>`` (a level id or
    empty) and ``remark-<criterion>`` for each criterion."""
    values = {"comment": evaluation.comment if evaluation else ""}
    scores = {s.criterion_id: s for s in evaluation.scores.all()} if evaluation and evaluation.pk else {}
    for criterion in criteria:
        score = scores.get(criterion.pk)
        values[f"level-{criterion.pk}"] = str(score.level_id) if score and score.level_id else ""
        values[f"remark-{criterion.pk}"] = score.remark if score else ""
    return values


def scoring_problem(member: JuryMember, convocation: Convocation, rubric: Rubric | None = None) -> str | None:
    """Why ``member`` cannot score this candidate (None when they can)."""
    session = convocation.session
    if session.status != SessionStatus.PLANNED:
        return _("La session est clôturée : les notations ne sont plus modifiables.")
    if not member.scores:
        return _("Une personne ressource conseille le jury : elle ne note pas les candidats.")
    if not member.present:
        return _("Vous êtes noté(e) absent(e) de la session : vous ne notez pas les candidats.")
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
    conv = _locked_convocation(convocation)
    _ensure_seat(member, conv)
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


@transaction.atomic
def validate_evaluation(member: JuryMember, convocation: Convocation, rubric: Rubric) -> Evaluation:
    """ "Valider ma notation": a level for every criterion, then read-only."""
    conv = _scorer_checked(member, convocation, rubric)
    evaluation = Evaluation.objects.select_for_update().filter(member=member, convocation=conv, rubric=rubric).first()
    criteria = list(rubric.criteria.order_by("order"))
    chosen = (
        set(evaluation.scores.filter(level__isnull=False).values_list("criterion_id", flat=True))
        if evaluation
        else set()
    )
    missing = [c for c in criteria if c.pk not in chosen]
    if missing:
        raise IncompleteEvaluation(missing)
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
def reopen_evaluation(evaluation: Evaluation, president: JuryMember) -> Evaluation:
    """The président gives a validated scoring back to its author, until the decision."""
    evaluation = Evaluation.objects.select_for_update().select_related("member__user", "rubric").get(pk=evaluation.pk)
    conv = _locked_convocation(evaluation.convocation)
    _ensure_president(president, conv.session)
    _ensure_open(conv.session)
    if conv.decisions.in_force().exists():
        raise JuryError(_("Le jury a rendu sa décision : les notations ne sont plus modifiables."))
    if not evaluation.is_validated:
        raise JuryError(_("Cette notation n'est pas validée : elle est déjà modifiable."))
    evaluation.status = EvaluationStatus.DRAFT
    evaluation.reopened_at = timezone.now()
    evaluation.reopened_by = president.user
    evaluation.save(update_fields=["status", "reopened_at", "reopened_by", "updated_at"])
    audit.record(
        "jury.evaluation_reopened",
        actor=president.user,
        target=evaluation,
        target_repr=f"{_name(evaluation.member.user)} — {_rubric_label(evaluation.rubric)}",
        dossier=conv.dossier,
    )
    logger.info("Evaluation %s reopened by %s", evaluation.pk, president.user_id)
    return evaluation


# --- attendance and presence --------------------------------------------------------------


@transaction.atomic
def record_attendance(convocation: Convocation, president: JuryMember, attendance: str) -> Convocation:
    """The président records whether the candidate came (from the session's day on)."""
    conv = _locked_convocation(convocation)
    _ensure_president(president, conv.session)
    if conv.decisions.in_force().exists():
        raise JuryError(_("Le jury a rendu sa décision : la présence ne peut plus changer."))
    return session_services.record_attendance(conv, president.user, attendance)


@transaction.atomic
def set_presence(member: JuryMember, president: JuryMember, present: bool) -> JuryMember:
    """The président notes a member present or absent: an absent member neither deliberates nor
    signs the procès-verbal."""
    session = JurySession.objects.select_for_update().get(pk=member.session_id)
    _ensure_president(president, session)
    _ensure_open(session)
    if member.pk == president.pk and not present:
        raise JuryError(_("Le président préside la session : il ne peut pas être noté absent."))
    member = JuryMember.objects.select_related("user").get(pk=member.pk)
    member.present = present
    member.save(update_fields=["present"])
    return member


# --- decisions ----------------------------------------------------------------------------


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
    if timezone.localdate() < timezone.localdate(session.starts_at):
        problems.append(
            _("Le jury délibère à partir du jour de la session (%(day)s).")
            % {"day": date_format(timezone.localtime(session.starts_at), "j F Y")}
        )
    declaration = declaration_of(president, convocation)
    if declaration is not None and declaration.is_conflict:
        problems.append(_("Vous avez déclaré un lien avec ce candidat : vous ne délibérez pas sur son dossier."))
    if convocation.decisions.in_force().exists():
        problems.append(_("Le jury a déjà rendu sa décision pour ce candidat."))
    if not convocation.attendance:
        problems.append(_("Relevez d'abord la présence du candidat."))
    elif convocation.attendance == Attendance.PRESENT:
        ids = rubric_ids(assessed_items(convocation.dossier))
        members = scoring_members(convocation, members_with_declarations(session))
        if not members:
            problems.append(_("Aucun membre présent ne peut noter ce candidat."))
        for member in members:
            if not has_validated_all(member, convocation, ids):
                problems.append(
                    _("%(name)s n'a pas encore validé sa notation.")
                    % {"name": member.user.get_full_name() or member.user.email}
                )
    return problems


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
    conv = _locked_convocation(convocation)
    _ensure_president(president, conv.session)
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
def revoke_decision(decision: Decision, actor, reason: str) -> Decision:
    """A certifier withdraws a decision, with a reason; the row stays as history. While the
    session's procès-verbal is not final, the same jury decides again; afterwards the dossier
    waits for another jury (its convocation is closed)."""
    reason = reason.strip()
    if not reason:
        raise JuryError(_("Indiquez le motif de la révocation : il sera communiqué au candidat."))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.in_force:
        raise JuryError(_("Cette décision est déjà révoquée."))
    conv = (
        Convocation.objects.select_for_update()
        .select_related("session", "dossier__certification")
        .get(pk=decision.convocation_id)
    )
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


# --- the procès-verbal --------------------------------------------------------------------


def minutes_problems(session: JurySession) -> list[str]:
    """What keeps the procès-verbal from being signed (empty: it can be)."""
    problems = []
    if session.status == SessionStatus.CANCELLED:
        return [_("La session est annulée : elle n'a pas de procès-verbal.")]
    if timezone.localdate() < timezone.localdate(session.starts_at):
        problems.append(_("Le procès-verbal se signe à partir du jour de la session."))
    live = list(
        session.convocations.live().prefetch_related(Prefetch("decisions", queryset=Decision.objects.in_force()))
    )
    if not live:
        problems.append(_("Aucun candidat n'est convoqué à cette session."))
    undecided = sum(1 for c in live if not c.decisions.all())
    if undecided:
        problems.append(_("Le jury n'a pas encore rendu sa décision pour %(n)s candidat(s).") % {"n": undecided})
    return problems


def minutes_content(session: JurySession) -> dict:
    """What the procès-verbal says, as a JSON document (its SHA-256 is what members sign)."""
    certification = session.certification
    members = list(
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
    candidates = []
    for conv in convocations:
        decision = next(iter(conv.decisions.all()), None)
        candidates.append(
            {
                "convocation": conv.pk,
                "dossier": conv.dossier_id,
                "name": _name(conv.dossier.candidate),
                "certification_version": conv.dossier.certification.version,
                "slot": f"{timezone.localtime(conv.starts_at):%H:%M} – {timezone.localtime(conv.ends_at):%H:%M}",
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
            }
        )
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
                "name": _name(m.user),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "present": m.present,
            }
            for m in sorted(members, key=lambda m: (m.role != "president", m.pk))
        ],
        "conflicts": [
            {
                "member": _name(m.user),
                "candidate": _name(d.convocation.dossier.candidate),
                "link": str(d.get_link_display()),
                "comment": d.comment,
            }
            for m in members
            for d in m.conflicts
        ],
        "candidates": candidates,
    }


def current_signatures(minutes: Minutes | None, sha256: str) -> list[Signature]:
    if minutes is None:
        return []
    return list(minutes.signatures.filter(content_sha256=sha256).select_related("member__user"))


@transaction.atomic
def sign_minutes(session: JurySession, member: JuryMember) -> Signature:
    """A present member signs the procès-verbal as it stands; the last signature makes it final."""
    session = JurySession.objects.select_for_update().select_related("certification").get(pk=session.pk)
    member = JuryMember.objects.select_related("user").get(pk=member.pk)
    if member.session_id != session.pk:
        raise JuryError(_("Vous ne siégez pas dans cette session."))
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is not None and minutes.is_final:
        raise JuryError(_("Le procès-verbal est définitif : tous les membres présents l'ont signé."))
    _ensure_open(session)
    problems = minutes_problems(session)
    if problems:
        raise JuryError(problems[0])
    if not member.present:
        raise JuryError(_("Vous êtes noté(e) absent(e) de la session : vous ne signez pas son procès-verbal."))
    content = minutes_content(session)
    sha256 = canonical_sha256(content)
    if minutes is None:
        minutes = Minutes.objects.create(session=session)
    signature, created = Signature.objects.get_or_create(minutes=minutes, member=member, content_sha256=sha256)
    if created:
        logger.info("Minutes of session %s signed by member %s (content %s)", session.pk, member.pk, sha256)
        # One row per dossier of the minutes: the signature shows in each one's history.
        for dossier_id in session.convocations.live().values_list("dossier_id", flat=True):
            audit.record(
                "jury.minutes_signed",
                actor=member.user,
                target=minutes,
                target_repr=str(minutes),
                dossier=Dossier(pk=dossier_id),
                changes={"sha256": [None, sha256]},
            )
    present = set(session.members.filter(present=True).values_list("pk", flat=True))
    signed = set(minutes.signatures.filter(content_sha256=sha256).values_list("member_id", flat=True))
    if present <= signed:
        _finalise(session, minutes, content, sha256)
    return signature


def _finalise(session: JurySession, minutes: Minutes, content: dict, sha256: str) -> None:
    from juries import pdf

    minutes.status = MinutesStatus.FINAL
    minutes.content = content
    minutes.content_sha256 = sha256
    minutes.finalised_at = timezone.now()
    minutes.save(update_fields=["status", "content", "content_sha256", "finalised_at"])
    session.status = SessionStatus.CLOSED
    session.save(update_fields=["status", "updated_at"])
    logger.info("Minutes of session %s are final: content SHA-256 %s", session.pk, sha256)
    pdf.request(JuryDocumentKind.MINUTES, session)
    decisions = Decision.objects.in_force().filter(convocation__session=session).prefetch_related("items")
    for decision in decisions:
        pdf.request(JuryDocumentKind.DECISION_LETTER, session, decision)
        if any(i.validated and i.block_id for i in decision.items.all()):
            pdf.request(JuryDocumentKind.ATTESTATION, session, decision)
        transaction.on_commit(partial(notifications.result_available, decision.pk))
