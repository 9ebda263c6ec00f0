"""French typography for dates, times, durations and sizes, in one place (``{% load french %}``).

- ``{{ d|fr_date }}`` → « 1er décembre 2026 », « 7 décembre 2026 »;
- ``{{ dt|fr_time }}`` → « 14 h 30 », « 9 h » (French writes hours with « h » and spaces);
- ``{{ dt|fr_datetime }}`` → « 7 décembre 2026 à 14 h 30 »;
- ``{{ hours|fr_hours }}`` → « 35 h », « 1,5 h »;
- ``{{ months|fr_months }}`` → « 3 mois », « 8 ans et 3 mois »;
- ``{{ bytes|fr_filesize }}`` → « 2,4 Mo », « 830 ko », « 12 octets »;
- ``{{ text|shorten:70 }}`` → a long title cut at a word with « … », whole in a tooltip and for
  screen readers; ``{{ text|shorten_text:60 }}`` the same cut, as plain text (``core.text``);
- ``{{ dt|iso }}`` → the ``datetime`` attribute of ``<time>``: ISO 8601 to the second (the HTML
  validator refuses microseconds).

Aware datetimes are shown in the current time zone (Europe/Paris), as Django's ``date`` filter does.
Dates and times may also be ISO strings (frozen content keeps them so).
Empty values give an empty string, so that ``|default:"—"`` can follow.
"""

import datetime as dt
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext, ngettext

from core.text import shorten as text_shorten

register = template.Library()

NBSP = "\u00a0"


def _local(value):
    if isinstance(value, str):  # frozen content (snapshots, procès-verbaux) keeps ISO dates
        value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
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
def fr_months(value) -> str:
    """A duration in whole months, as a person says it: « 3 mois », « 1 an », « 8 ans et 3 mois »,
    « moins d'un mois »."""
    if value in (None, ""):
        return ""
    years, months = divmod(int(value), 12)
    if not years and not months:
        return gettext("moins d'un mois")
    in_years = ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    in_months = ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    if not months:
        return in_years
    if not years:
        return in_months
    return gettext("%(years)s et %(months)s") % {"years": in_years, "months": in_months}


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
    cut = text_shorten(text, int(length))
    if cut == " ".join(text.split()):
        return conditional_escape(text)
    return format_html(
        '<span title="{}" aria-hidden="true">{}</span><span class="visually-hidden">{}</span>', text, cut, text
    )


@register.filter
def shorten_text(value, length: int = 40) -> str:
    """The plain-text cut of ``shorten`` (at a word, with « … »), where no tooltip can be given: an
    e-mail subject, a PDF's table of contents, an ``<option>``."""
    return text_shorten(value, int(length))
