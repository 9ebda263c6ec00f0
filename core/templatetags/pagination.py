"""``{% pagination page %}``: the one navigation between the pages of a list (the queue, the
sessions, the catalogue, the notifications…), keeping the list's filters in its links."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page, param: str = "page", previous=None, following=None, label=None):
    """Links to the previous and next pages of ``page`` (a Django ``Page``), the current page's
    query string kept but for ``param`` (two lists on one page each have their own, and their own
    ``label``: two navigations named alike cannot be told apart by a screen reader)."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)

    def url(number: int) -> str:
        params[param] = str(number)
        return "?" + params.urlencode()

    return {
        "page": page,
        "previous_url": url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url(page.next_page_number()) if page.has_next() else "",
        "previous": previous or _("Précédente"),
        "following": following or _("Suivante"),
        "label": label or _("Pagination"),
    }
