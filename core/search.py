"""Accent- and case-insensitive search on people's names and e-mail addresses.

``PersonSearch(first, last, email)`` is one SQL function, ``vae_person_search``: on PostgreSQL
it is ``lower(unaccent(first || ' ' || last || ' ' || email))``, declared IMMUTABLE so that a
trigram index (pg_trgm) on it serves ``LIKE '%…%'`` (migration ``dossiers.0005_queue_indexes``);
on SQLite the same function is registered in Python on each connection (``register_sqlite``).
Search terms go through ``fold`` so that "Helene" finds « Hélène » and « hélène » finds "HELENE".

``between_days`` is the lists' other filter: a date range on a timestamp column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db.models import Func, TextField
from django.utils import timezone

FUNCTION = "vae_person_search"
# What unaccent maps beyond decomposition (ligatures).
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})

POSTGRESQL_FUNCTION = f"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION {FUNCTION}(text, text, text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1 || ' ' || $2 || ' ' || $3))
$$;
"""


def fold(text: str) -> str:
    """Lower case, without accents: what ``vae_person_search`` makes of a text."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class PersonSearch(Func):
    function = FUNCTION
    output_field = TextField()
    arity = 3


def search_people(queryset, text: str, person: str = "candidate"):
    """``queryset`` narrowed to the rows whose ``person`` (a relation to a user) has every word of
    ``text`` in their names or e-mail address, accents and case aside: the one search of the
    certifier's queue and of the API's candidatures (a trigram index on PostgreSQL)."""
    words = fold(text).split()
    if not words:
        return queryset
    queryset = queryset.annotate(
        person_text=PersonSearch(f"{person}__first_name", f"{person}__last_name", f"{person}__email")
    )
    for word in words:
        queryset = queryset.filter(person_text__contains=word)
    return queryset


def between_days(queryset, field: str, first: dt.date | None, last: dt.date | None):
    """``queryset`` narrowed to the rows whose timestamp ``field`` falls from the day ``first``
    to the day ``last`` included, in local time. The bounds are timestamps compared with the
    raw column (no truncation to a date), so that the column's index serves the filter."""

    def start_of(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())

    if first:
        queryset = queryset.filter(**{f"{field}__gte": start_of(first)})
    if last:
        queryset = queryset.filter(**{f"{field}__lt": start_of(last + dt.timedelta(days=1))})
    return queryset


def _person_search(first: str | None, last: str | None, email: str | None) -> str | None:
    if first is None or last is None or email is None:
        return None
    return fold(f"{first} {last} {email}")


def register_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the Python twin of the PostgreSQL function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 3, _person_search, deterministic=True)
