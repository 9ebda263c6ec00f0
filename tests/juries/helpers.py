"""Building blocks for the jury tests: a session held today with members and convoked
candidates (through the services, then moved to today), scorings, decisions, signatures."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from dossiers.enums import DossierStatus as S
from juries import queries, services
from juries.enums import Attendance, JuryRole
from juries.models import Convocation, Evaluation, JurySession
from tests.factories import UserFactory, dossier_built_in_state, make_certification, make_session, slot

FOUR_LEVELS = (("Insuffisant", 0), ("Fragile", 1), ("Satisfaisant", 2), ("Excellent", 3))


def four_level_certification(**kwargs):
    """Two blocs of two compétences, grilles with four levels (0 to 3 points)."""
    kwargs.setdefault("blocks", 2)
    kwargs.setdefault("competencies", 2)
    return make_certification(published=True, levels=FOUR_LEVELS, **kwargs)


def move_session(session: JurySession, days: int) -> JurySession:
    """Move a session and its slots ``days`` days (the services refuse a session in the past)."""
    delta = dt.timedelta(days=days)
    JurySession.objects.filter(pk=session.pk).update(starts_at=F("starts_at") + delta)
    Convocation.objects.filter(session=session).update(starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta)
    session.refresh_from_db()
    return session


def session_hour(days: int = 0) -> int:
    """The hour a ``jury_session`` starts at: 8, or earlier for a session today that would not
    have started yet."""
    return min(8, timezone.localtime().hour) if days == 0 else 8


def jury_session(
    certification=None,
    *,
    roles=(JuryRole.PRESIDENT, JuryRole.PROFESSIONAL),
    candidates=1,
    days=0,
    blocks=None,
    actor=None,
):
    """A session ``days`` from today (0: today, at 08:00, or at the hour begun when the test runs
    before 08:00: the jury records only once the session has started) on ``certification``, one
    member per role and ``candidates`` dossiers convoked. Returns (session, members, convocations)."""
    certification = certification or four_level_certification()
    actor = actor or UserFactory(admin=True)
    hour = session_hour(days)
    session = make_session(certification, days=max(days, 1), hour=hour, actor=actor, capacity=max(candidates, 1))
    members = [services.add_member(session, actor, email=UserFactory().email, role=role) for role in roles]
    convocations = []
    for i in range(candidates):
        dossier = dossier_built_in_state(
            S.READY_FOR_JURY, certification=certification, blocks=blocks, certifier_user=actor
        )
        convocations.append(
            services.convoke(session, dossier, actor, **slot(session, f"{hour + i:02d}:00", f"{hour + 1 + i:02d}:00"))
        )
    if days < 1:
        move_session(session, days - 1)
    for c in convocations:
        c.refresh_from_db()
    return session, members, convocations


def declare_none(members, convocation):
    for m in members:
        services.declare_link(m, convocation, "none")


def choose(member, convocation, rubric, levels_by_index: list[int], validate: bool = True, comment: str = ""):
    """Score every criterion of ``rubric`` at the given level positions (0 = first, -1 = last)."""
    criteria = list(rubric.criteria.order_by("order"))
    levels = list(rubric.levels.order_by("order"))
    changes = {"comment": comment}
    for criterion, index in zip(criteria, levels_by_index, strict=True):
        changes[f"level-{criterion.pk}"] = str(levels[index].pk)
        changes[f"remark-{criterion.pk}"] = ""
    current = Evaluation.objects.filter(member=member, convocation=convocation, rubric=rubric).first()
    saved = services.save_evaluation(member, convocation, rubric, current.version if current else 0, changes)
    if validate:
        services.validate_evaluation(member, convocation, rubric)
    return saved


def score_everything(members, convocation, index: int = -1):
    for item in queries.assessed_items(convocation.dossier):
        for m in members:
            if m.scores:
                choose(m, convocation, item.rubric, [index] * item.rubric.criteria.count())


def decisions(convocation, validated: bool | dict = True) -> list[services.ItemDecision]:
    """An ItemDecision per assessed item; ``validated`` for all, or by item key."""
    result = []
    for item in queries.assessed_items(convocation.dossier):
        ok = validated if isinstance(validated, bool) else validated[item.key]
        comps = [] if ok else item.competencies()[:1]
        result.append(
            services.ItemDecision(
                key=item.key,
                validated=ok,
                justification="Compétences démontrées par les situations décrites." if ok else "Preuves insuffisantes.",
                competencies=comps,
                recommendations="" if ok or comps else "Décrire une situation de pilotage.",
            )
        )
    return result


def decided(session, members, convocation, validated: bool | dict = True, attendance=Attendance.PRESENT):
    """Declare, score, record attendance and decide on ``convocation``; returns the decision."""
    president = next(m for m in members if m.is_president)
    declare_none(members, convocation)
    services.record_attendance(convocation, president, attendance)
    convocation.refresh_from_db()
    if attendance == Attendance.PRESENT:
        score_everything(members, convocation)
    return services.record_decision(
        convocation, president, decisions(convocation, validated) if attendance == Attendance.PRESENT else []
    )


def sign_all(session, members):
    for m in members:
        if m.present:
            services.sign_minutes(session, m)
    session.refresh_from_db()
    return session.minutes
