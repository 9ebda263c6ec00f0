"""Lists one page at a time, with the total counted beforehand (with other figures, in one
aggregate) rather than by a COUNT of the paginator's own."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet


def page_of(queryset: QuerySet, number, per_page: int, count: int) -> Page:
    """The page ``number`` (as the request gives it: a wrong one gives the first or the last)
    of ``queryset``, which holds ``count`` rows. Its rows are read in one query even when there
    are none, so that a page needs as many queries whatever the data."""
    paginator = Paginator(queryset, per_page)
    paginator.count = count
    page = paginator.get_page(number)
    start = (page.number - 1) * per_page
    page.object_list = list(queryset[start : start + per_page])
    return page


def upcoming_and_past(request, rows: QuerySet, listed: QuerySet, upcoming: Q, when: str, per_page: int) -> dict:
    """Two lists of ``rows`` on one page, each paginated on its own: those to come (``upcoming``),
    soonest first, under ``?a_venir=``, then the others, latest first, under ``?passees=`` (by
    the date field ``when``). Both counted by one aggregate on ``rows``; the pages read from
    ``listed`` (``rows`` with what the list shows: joins, annotations)."""
    counts = rows.aggregate(upcoming=Count("pk", filter=upcoming), others=Count("pk", filter=~upcoming))
    return {
        "upcoming": page_of(
            listed.filter(upcoming).order_by(when, "pk"), request.GET.get("a_venir"), per_page, counts["upcoming"]
        ),
        "others": page_of(
            listed.exclude(upcoming).order_by(f"-{when}", "-pk"), request.GET.get("passees"), per_page, counts["others"]
        ),
    }
