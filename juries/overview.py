"""The juror's part of the home page: the sessions they sit on that are not closed, with what
is left for them to do (links to declare, candidates to score). One query, whatever the number
of sessions and candidates."""

from __future__ import annotations

from django.db.models import OuterRef

from core.subqueries import count_of
from juries.enums import ConvocationStatus, EvaluationStatus, LinkKind, SessionStatus
from juries.models import ConflictDeclaration, Convocation, Evaluation, JuryMember
from juries.permissions import seats_of


def juror_seats(user) -> list[JuryMember]:
    """``user``'s seats in sessions still planned, soonest first, each with
    ``declarations_left`` (candidates whose link is not declared yet) and ``to_score``
    (candidates they may score with no validated scoring of theirs yet)."""
    convoked = Convocation.objects.filter(session=OuterRef("session")).exclude(status=ConvocationStatus.CANCELLED)
    declared = ConflictDeclaration.objects.filter(member=OuterRef("pk")).exclude(
        convocation__status=ConvocationStatus.CANCELLED
    )
    scored = Evaluation.objects.filter(member=OuterRef("pk"), status=EvaluationStatus.VALIDATED).exclude(
        convocation__status=ConvocationStatus.CANCELLED
    )
    seats = list(
        seats_of(user)
        .filter(session__status=SessionStatus.PLANNED)
        .select_related("session__certification")
        .annotate(
            n_convoked=count_of(convoked, "session", distinct=True),
            n_declared=count_of(declared, "member", distinct=True),
            n_free=count_of(declared.filter(link=LinkKind.NONE), "member", distinct=True),
            n_scored=count_of(scored, "member", "convocation", distinct=True),
        )
        .order_by("session__starts_at", "pk")
    )
    for seat in seats:
        seat.declarations_left = max(seat.n_convoked - seat.n_declared, 0)
        seat.to_score = max(seat.n_free - seat.n_scored, 0)
    return seats
