"""How the jury app writes moments and counts in French sentences."""

import datetime as dt
from zoneinfo import ZoneInfo

from juries.formats import when

PARIS = ZoneInfo("Europe/Paris")


def test_a_moment_reads_with_h_and_no_leading_zero():
    assert when(dt.datetime(2026, 3, 12, 9, 30, tzinfo=PARIS)) == "12\xa0mars 2026 à 9\xa0h\xa030"
    assert when(dt.datetime(2026, 3, 12, 14, 0, tzinfo=PARIS)) == "12\xa0mars 2026 à 14\xa0h"
