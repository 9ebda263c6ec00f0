"""The large demo data set's jury sessions (``seed_demo --candidates N``): for the dossiers a batch
made scheduled or decided, sessions of up to twenty candidates with their members, convocations
and, for past sessions, attendance, validated scorings against the grilles, decisions per bloc
and a final, signed procès-verbal. Rows through ``core.bulk``; the procès-verbal's content is
the one ``juries.queries.minutes_content`` makes, read back once the rows are written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from certifications.models import Rubric
from core.bulk import Rows, Table
from dossiers.bulk import BuiltDossier
from dossiers.enums import DossierStatus
from dossiers.snapshots import canonical_sha256
from juries.enums import (
    Attendance,
    ConvocationStatus,
    EvaluationStatus,
    JuryResult,
    JuryRole,
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
from juries.queries import minutes_content

SESSION_SIZE = 20
SLOT = dt.timedelta(minutes=40)
JUSTIFICATIONS_OK = [
    "Les situations décrites montrent une maîtrise complète des compétences du bloc.",
    "Le candidat illustre chaque compétence par des exemples précis et argumentés.",
]
JUSTIFICATIONS_KO = [
    "Les situations décrites ne couvrent pas la conduite budgétaire attendue.",
    "L'analyse réflexive reste trop générale pour deux compétences du bloc.",
]


@dataclass
class RubricPlan:
    id: int
    criteria: list[int]
    levels: list[int]  # lowest to highest points


def rubric_plans() -> dict[int, RubricPlan]:
    """Each bloc's grille (blocs without one are decided without scoring)."""
    plans = {}
    for rubric in Rubric.objects.filter(block__isnull=False).prefetch_related("criteria", "levels"):
        levels = sorted(rubric.levels.all(), key=lambda lv: (lv.points, lv.order))
        criteria = sorted(rubric.criteria.all(), key=lambda c: c.order)
        if levels and criteria:
            plans[rubric.block_id] = RubricPlan(rubric.pk, [c.pk for c in criteria], [lv.pk for lv in levels])
    return plans


class JuryTables:
    def __init__(self, now: dt.datetime):
        self.session = Table(JurySession, now)
        self.member = Table(JuryMember, now)
        self.convocation = Table(Convocation, now)
        self.declaration = Table(ConflictDeclaration, now)
        self.evaluation = Table(Evaluation, now)
        self.score = Table(CriterionScore, now)
        self.decision = Table(Decision, now)
        self.block_decision = Table(BlockDecision, now)
        self.minutes = Table(Minutes, now)
        self.signature = Table(Signature, now)
        self.closed_sessions: list[tuple[int, int, list[int]]] = []  # (session, minutes, members)

    def all_tables(self) -> list[Table]:
        return [
            self.session,
            self.member,
            self.convocation,
            self.declaration,
            self.evaluation,
            self.score,
            self.decision,
            self.block_decision,
            self.minutes,
            self.signature,
        ]

    def take(self) -> tuple[list[Rows], list[tuple[int, int, list[int]]]]:
        """The rows built so far and the sessions whose procès-verbal ``sign_minutes`` freezes."""
        closed, self.closed_sessions = self.closed_sessions, []
        return [table.take() for table in self.all_tables() if table is not self.signature], closed

    def sign_minutes(self, closed: list[tuple[int, int, list[int]]], now: dt.datetime) -> None:
        """Freeze the content of the closed sessions' procès-verbaux and sign it (once written)."""
        for session_id, minutes_id, members in closed:
            session = JurySession.objects.select_related("certification").get(pk=session_id)
            content = minutes_content(session)
            sha256 = canonical_sha256(content)
            Minutes.objects.filter(pk=minutes_id).update(content=content, content_sha256=sha256)
            for member_id in members:
                self.signature.add(minutes_id=minutes_id, member_id=member_id, content_sha256=sha256, signed_at=now)
        self.signature.flush()


def build_sessions(
    tables: JuryTables,
    rng: random.Random,
    dossiers: list[BuiltDossier],
    *,
    jurors: list[int],
    certifier_id: int | None,
    rubrics: dict[int, RubricPlan],
    now: dt.datetime,
) -> None:
    """Sessions for the given scheduled and decided dossiers, grouped by certification."""
    groups: dict[tuple[int, bool], list[BuiltDossier]] = {}
    for d in dossiers:
        if d.status in (DossierStatus.SCHEDULED, DossierStatus.DECIDED):
            groups.setdefault((d.plan.id, d.status == DossierStatus.DECIDED), []).append(d)
    for (certification_id, past), members in groups.items():
        for start in range(0, len(members), SESSION_SIZE):
            _session(
                tables,
                rng,
                certification_id,
                past,
                members[start : start + SESSION_SIZE],
                jurors,
                certifier_id,
                rubrics,
                now,
            )


def _session(tables, rng, certification_id, past, dossiers, jurors, certifier_id, rubrics, now) -> None:
    day = max(d.last_at for d in dossiers) if past else now + dt.timedelta(days=rng.randint(7, 60))
    starts_at = day.replace(hour=9, minute=0, second=0, microsecond=0)
    if past and starts_at > now:
        starts_at -= dt.timedelta(days=1)
    session_id = tables.session.add(
        certification_id=certification_id,
        starts_at=starts_at,
        place="Maison des associations, 12 rue de la République, Lyon",
        capacity=SESSION_SIZE,
        instructions="Présentez-vous quinze minutes avant votre créneau avec une pièce d'identité.",
        status=SessionStatus.CLOSED if past else SessionStatus.PLANNED,
        created_by_id=certifier_id,
        created_at=starts_at - dt.timedelta(days=30),
    )
    seated = rng.sample(jurors, 3)
    member_ids = []
    for user_id, role in zip(seated, [JuryRole.PRESIDENT, JuryRole.PROFESSIONAL, JuryRole.PROFESSIONAL], strict=True):
        member_ids.append(
            tables.member.add(
                session_id=session_id, user_id=user_id, role=role, invited=True, present=past, added_by_id=certifier_id
            )
        )
    slot = starts_at
    for d in dossiers:
        absent = past and rng.random() < 0.05
        convocation_id = tables.convocation.add(
            session_id=session_id,
            dossier_id=d.id,
            starts_at=slot,
            ends_at=slot + SLOT,
            status=ConvocationStatus.CONVOKED,
            attendance=(Attendance.ABSENT if absent else Attendance.PRESENT) if past else "",
            attendance_recorded_at=slot if past else None,
            created_by_id=certifier_id,
            created_at=starts_at - dt.timedelta(days=21),
        )
        slot += SLOT
        if not past:
            continue
        for member_id in member_ids:
            tables.declaration.add(member_id=member_id, convocation_id=convocation_id, link=LinkKind.NONE)
        if absent:
            _decision(tables, d, convocation_id, JuryResult.CANDIDATE_ABSENT, [], seated[0], slot)
            continue
        outcomes = []
        for block in d.blocks:
            validated = rng.random() < 0.8
            rubric = rubrics.get(block.id)
            if rubric is not None:
                levels = rubric.levels[len(rubric.levels) // 2 :] if validated else rubric.levels[:2]
                for member_id in member_ids:
                    evaluation_id = tables.evaluation.add(
                        member_id=member_id,
                        convocation_id=convocation_id,
                        rubric_id=rubric.id,
                        comment="Présentation claire, exemples concrets.",
                        status=EvaluationStatus.VALIDATED,
                        version=3,
                        validated_at=slot,
                    )
                    for criterion_id in rubric.criteria:
                        tables.score.add(
                            evaluation_id=evaluation_id, criterion_id=criterion_id, level_id=rng.choice(levels)
                        )
            outcomes.append((block.id, validated))
        if all(v for _, v in outcomes):
            result = (
                JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
                if d.targets_all_blocks
                else JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION
            )
        elif any(v for _, v in outcomes):
            result = (
                JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
                if d.targets_all_blocks
                else JuryResult.PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION
            )
        else:
            result = JuryResult.FAILURE
        _decision(tables, d, convocation_id, result, outcomes, seated[0], slot, rng)
    if past:
        minutes_id = tables.minutes.add(
            session_id=session_id,
            status=MinutesStatus.FINAL,
            finalised_at=slot + dt.timedelta(hours=1),
            created_at=starts_at,
        )
        tables.closed_sessions.append((session_id, minutes_id, member_ids))


def _decision(tables, dossier, convocation_id, result, outcomes, president_user_id, at, rng=None) -> None:
    decision_id = tables.decision.add(
        convocation_id=convocation_id,
        dossier_id=dossier.id,
        result=result,
        comment="",
        decided_by_id=president_user_id,
        decided_at=at,
    )
    for order, (block_id, validated) in enumerate(outcomes):
        tables.block_decision.add(
            decision_id=decision_id,
            block_id=block_id,
            validated=validated,
            justification=(rng.choice(JUSTIFICATIONS_OK if validated else JUSTIFICATIONS_KO)),
            recommendations="" if validated else "Décrire une situation de pilotage budgétaire complète.",
            order=order,
        )
