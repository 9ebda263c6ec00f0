"""Lists one page at a time, with the total counted beforehand (with other figures, in one
aggregate) rather than by a COUNT of the paginator's own."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


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
