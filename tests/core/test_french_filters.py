"""French typography of dates, times, durations and sizes (core/templatetags/french.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template

from core.templatetags.french import (
    fr_date,
    fr_datetime,
    fr_filesize,
    fr_hours,
    fr_long_date,
    fr_months,
    fr_time,
    iso,
    shorten,
    shorten_text,
)

PARIS = ZoneInfo("Europe/Paris")
NB = "\u00a0"


def test_a_date_is_written_in_words_with_the_first_of_the_month_as_1er():
    assert fr_date(dt.date(2026, 12, 7)) == f"7{NB}décembre 2026"
    assert fr_date(dt.date(2027, 3, 1)) == f"1er{NB}mars 2027"


def test_a_time_is_written_with_h_and_without_useless_minutes():
    assert fr_time(dt.datetime(2026, 12, 7, 14, 30, tzinfo=PARIS)) == f"14{NB}h{NB}30"
    assert fr_time(dt.datetime(2026, 12, 7, 9, 0, tzinfo=PARIS)) == f"9{NB}h"


def test_an_aware_datetime_is_shown_in_paris_time():
    utc = dt.datetime(2026, 12, 7, 13, 30, tzinfo=dt.UTC)

    assert fr_datetime(utc) == f"7{NB}décembre 2026 à 14{NB}h{NB}30"
    assert fr_long_date(utc) == f"lundi 7{NB}décembre 2026"


def test_durations_and_sizes_use_french_units_and_decimal_commas():
    assert fr_hours(35) == f"35{NB}h"
    assert fr_hours(1.5) == f"1,5{NB}h"
    assert fr_filesize(int(2.4 * 1024 * 1024)) == f"2,4{NB}Mo"
    assert fr_filesize(20 * 1024 * 1024) == f"20{NB}Mo"
    assert fr_filesize(830 * 1024) == f"830{NB}ko"
    assert fr_filesize(1) == "1 octet"
    assert fr_filesize(12) == "12 octets"


def test_the_datetime_attribute_has_no_microseconds():
    value = dt.datetime(2026, 12, 7, 13, 30, 5, 123456, tzinfo=dt.UTC)

    assert iso(value) == "2026-12-07T14:30:05+01:00"
    assert iso(dt.date(2026, 12, 7)) == "2026-12-07"


def test_empty_values_give_an_empty_string_so_that_default_can_follow():
    rendered = Template('{% load french %}{{ none|fr_date|default:"—" }}').render(Context({"none": None}))

    assert rendered == "—"


def test_a_number_of_months_is_said_in_years_and_months():
    assert fr_months(3) == "3 mois"
    assert fr_months(12) == "1 an"
    assert fr_months(99) == "8 ans et 3 mois"
    assert fr_months(13) == "1 an et 1 mois"
    assert fr_months(0) == "moins d'un mois"


def test_iso_strings_of_frozen_content_are_written_as_dates():
    assert fr_date("2018-03-01") == f"1er{NB}mars 2018"
    assert fr_datetime("2026-12-07T13:30:00+00:00") == f"7{NB}décembre 2026 à 14{NB}h{NB}30"


def test_a_frozen_number_of_hours_loses_its_useless_decimal():
    assert fr_hours("35.0") == f"35{NB}h"


def test_a_long_title_is_cut_at_a_word_and_kept_whole_for_screen_readers():
    title = "Concevoir et piloter un projet social"

    html = str(shorten(title, 30))

    assert 'aria-hidden="true">Concevoir et piloter un…</span>' in html
    assert f'title="{title}"' in html
    assert f'<span class="visually-hidden">{title}</span>' in html


def test_a_short_title_is_shown_as_it_is():
    assert str(shorten("Accueillir", 30)) == "Accueillir"


def test_the_plain_text_cut_has_no_markup():
    assert shorten_text("Concevoir et piloter un projet social", 30) == "Concevoir et piloter un…"
