import unicodedata

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind PROXY_COUNT trusted proxies, the address
    the outermost trusted proxy saw (X-Forwarded-For read from the right, so a client cannot
    forge it by sending its own header)."""
    if settings.PROXY_COUNT:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def is_local_path(target: str) -> bool:
    """Whether ``target`` is a path on this site, safe to redirect to.

    Only "/something": not a bare word ("abc", which ``redirect()`` would look up as a URL
    name), not a URL with a scheme or a host, not "//host" nor "/\\host" (browsers read both as
    another site), and no space or control character (browsers drop tabs and line breaks, so
    "/\\t/host" would become "//host").
    """
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not any(c.isspace() or unicodedata.category(c).startswith("C") for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    )


def next_path(request, default: str = "") -> str:
    """The ``next`` of the request (form, then query string) when it is a path on this site,
    otherwise ``default``: every view that follows a ``next`` reads it here."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target) else default
