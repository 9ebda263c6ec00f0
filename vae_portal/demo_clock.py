"""The demo's candidates on a certification whose RNCP registration has since ended opened their
dossiers while it was still registered.

A real portal holds such dossiers: the rule (``dossiers.services.check_open_to_new_candidates``)
refuses new dossiers after the end date, and those opened before it go on to recevabilité, the
dossier de validation and the jury. The demo shows exactly that on RNCP35203 (registered until
20 January 2026): its candidates started before that date, and everything after the start happens
on the day of seeding. The demo modules open their dossiers through
``dossiers.services.start_dossier`` like the start page; inside ``dossiers_opened_while_registered``
a start on an expired certification runs with the clock set to ``DAYS_BEFORE_END`` days before
its end date, so the service's rule holds and the dossier's creation date and first history line
say when it was opened. A start on a certification still registered is left as it is (today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from dossiers import services

# Two months before the end: a plausible time to have started, far enough from the deadline.
DAYS_BEFORE_END = 60


def opening_moment(end_of_registration: dt.date) -> dt.datetime:
    """When the demo's candidates opened their dossiers on a certification registered until then."""
    day = end_of_registration - dt.timedelta(days=DAYS_BEFORE_END)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@contextmanager
def dossiers_opened_while_registered() -> Iterator[None]:
    start = services.start_dossier

    def start_while_registered(candidate, certification, *args, **kwargs):
        if not certification.registration_expired:
            return start(candidate, certification, *args, **kwargs)
        # ``timezone.now`` is read by ``localdate`` (the rule) and by ``auto_now_add`` (the dates).
        with mock.patch("django.utils.timezone.now", return_value=opening_moment(certification.end_of_registration)):
            return start(candidate, certification, *args, **kwargs)

    with mock.patch.object(services, "start_dossier", start_while_registered):
        yield
