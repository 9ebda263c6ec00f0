"""Plain-text helpers for what users read.

``shorten`` is the one rule for a label too long for its place (a choice in a form, a line in a
list of what is missing, an entry of a history): cut at a word, never inside one, and say it with
« … ». The template filter of the same name (``core.templatetags.french``) uses it and keeps the
whole text in a tooltip and for screen readers.
"""

from __future__ import annotations

ELLIPSIS = "…"

# Not left dangling before the ellipsis: « Concevoir, … » reads as « Concevoir… ».
_TRAILING = " \t\n,;:.–—-([«"


def shorten(text: object, limit: int) -> str:
    """The text on one line, as it is when it fits in ``limit`` characters; otherwise cut after
    the last whole word that fits and ended with « … » (ellipsis included in ``limit``). A single
    word longer than ``limit`` is the only thing ever cut inside (nothing better can be done)."""
    flat = " ".join(str(text or "").split())
    if len(flat) <= limit:
        return flat
    room = max(limit - 1, 1)
    head = flat[:room]
    if flat[room] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(_TRAILING) + ELLIPSIS
