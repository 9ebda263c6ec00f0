"""The juror's part of the home page: the sessions they sit on that are not closed, with what
is left for them to do (links to declare, candidates to score). One query, whatever the number
of sessions and candidates."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from juries.enums import ConvocationStatus, EvaluationStatus, LinkKind, SessionStatus
from juries.models import ConflictDeclaration, Convocation, Evaluation, JuryMember
from juries.permissions import seats_of


def _count(rows: QuerySet, key: str):
    counted = rows.order_by().values(key).annotate(n=Count("pk", distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def juror_seats(user) -> list[JuryMember]:
    """``user``'s seats in sessions still planned, soonest first, each with
    ``declarations_left`` (candidates whose link is not declared yet) and ``to_score``
    (candidates they may score with no validated scoring of theirs yet)."""
    convoked = Convocation.objects.filter(session=OuterRef("session")).exclude(status=ConvocationStatus.CANCELLED)
    declared = ConflictDeclaration.objects.filter(member=OuterRef("pk")).exclude(
        convocation__status=ConvocationStatus.CANCELLED
    )
    scored = (
        Evaluation.objects.filter(member=OuterRef("pk"), status=EvaluationStatus.VALIDATED)
        .exclude(convocation__status=ConvocationStatus.CANCELLED)
        .order_by()
        .values("member")
        .annotate(n=Count("convocation", distinct=True))
        .values("n")
    )
    seats = list(
        seats_of(user)
        .filter(session__status=SessionStatus.PLANNED)
        .select_related("session__certification")
        .annotate(
            n_convoked=_count(convoked, "session"),
            n_declared=_count(declared, "member"),
            n_free=_count(declared.filter(link=LinkKind.NONE), "member"),
            n_scored=Coalesce(Subquery(scored, output_field=IntegerField()), Value(0)),
        )
        .order_by("session__starts_at", "pk")
    )
    for seat in seats:
        seat.declarations_left = max(seat.n_convoked - seat.n_declared, 0)
        seat.to_score = max(seat.n_free - seat.n_scored, 0)
    return seats
