"""French typography for dates, times, durations and sizes, in one place (``{% load french %}``).

- ``{{ d|fr_date }}`` → « 1er décembre 2026 », « 7 décembre 2026 »;
- ``{{ dt|fr_time }}`` → « 14 h 30 », « 9 h » (French writes hours with « h » and spaces);
- ``{{ dt|fr_datetime }}`` → « 7 décembre 2026 à 14 h 30 »;
- ``{{ hours|fr_hours }}`` → « 35 h », « 1,5 h »;
- ``{{ bytes|fr_filesize }}`` → « 2,4 Mo », « 830 ko », « 12 octets »;
- ``{{ dt|iso }}`` → the ``datetime`` attribute of ``<time>``: ISO 8601 to the second (the HTML
  validator refuses microseconds).

Aware datetimes are shown in the current time zone (Europe/Paris), as Django's ``date`` filter does.
Empty values give an empty string, so that ``|default:"—"`` can follow.
"""

import datetime as dt
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import ngettext

register = template.Library()

NBSP = "\u00a0"


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def fr_date(value) -> str:
    """« 7 décembre 2026 », « 1er mars 2027 »."""
    if not value:
        return ""
    value = _local(value)
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day}{NBSP}{date_filter(value, 'F Y')}"


@register.filter
def fr_time(value) -> str:
    """« 14 h 30 », « 9 h »."""
    if not value:
        return ""
    value = _local(value)
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"


@register.filter
def fr_datetime(value) -> str:
    """« 7 décembre 2026 à 14 h 30 »."""
    if not value:
        return ""
    return f"{fr_date(value)} à {fr_time(value)}"


def _decimal(number: float | Decimal, places: int = 1) -> str:
    text = f"{number:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def fr_hours(value) -> str:
    """A number of hours: « 35 h », « 1,5 h »."""
    if value in (None, ""):
        return ""
    return f"{_decimal(Decimal(str(value)))}{NBSP}h"


@register.filter
def fr_filesize(value) -> str:
    """A size in bytes, in French units (octets, ko, Mo, Go), counted as the limits are (1 Mo =
    1 024 × 1 024 octets): « 20 Mo », « 2,4 Mo »."""
    if value in (None, ""):
        return ""
    size = int(value)
    if size < 1024:
        return ngettext("%(n)d octet", "%(n)d octets", size) % {"n": size}
    for unit, factor in (("ko", 1024), ("Mo", 1024**2), ("Go", 1024**3)):
        if size < factor * 1024 or unit == "Go":
            number = size / factor
            return f"{_decimal(number, 0 if number >= 100 else 1)}{NBSP}{unit}"
    raise AssertionError("unreachable")


@register.filter
def iso(value) -> str:
    """ISO 8601 to the second, for ``<time datetime>`` (no microseconds: invalid HTML)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value).replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter
def fr_long_date(value) -> str:
    """« lundi 7 décembre 2026 »."""
    if not value:
        return ""
    return f"{date_filter(_local(value), 'l')} {fr_date(value)}"


@register.filter
def fr_long_datetime(value) -> str:
    """« lundi 7 décembre 2026 à 14 h 30 »."""
    if not value:
        return ""
    return f"{fr_long_date(value)} à {fr_time(value)}"


@register.filter
def shorten(value, length: int = 40) -> str:
    """A long title cut at a word, never inside one, with « … »; the whole text stays in a tooltip
    and for screen readers. Short texts are returned as they are (escaped)."""
    text = str(value or "")
    if len(text) <= length:
        return conditional_escape(text)
    cut = text[: length + 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-") if " " in text[: length + 1] else text[:length]
    return format_html(
        '<span title="{}" aria-hidden="true">{}…</span><span class="visually-hidden">{}</span>', text, cut, text
    )
