"""Counts as columns: how many related rows each row of a list has, in the list's own query.

A correlated subquery per count, never a join with ``Count(..., distinct=True)``: joining two
relations multiplies their rows (a session's members times its convocations) before grouping,
which costs the whole table at 100,000 dossiers."""

from __future__ import annotations

from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, by: str, what: str = "pk", distinct: bool = False) -> Coalesce:
    """An expression: how many of ``rows`` (filtered on an ``OuterRef``) there are for the outer
    row, grouped on ``by`` (the column equal to that ``OuterRef``); 0 when there are none."""
    counted = rows.order_by().values(by).annotate(n=Count(what, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
