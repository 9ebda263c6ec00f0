"""How the jury app writes a moment and a person in French sentences (services' messages, the
procès-verbal's content)."""

from __future__ import annotations

import datetime as dt

from core.templatetags.french import fr_datetime


def when(value: dt.datetime) -> str:
    """A date and time as French readers write it: « 12 mars 2026 à 9 h 30 » (the one rule of
    ``core.templatetags.french``)."""
    return fr_datetime(value)


def display_name(user) -> str:
    """The person's full name, or their e-mail when they have not given one."""
    return user.get_full_name() or user.email
