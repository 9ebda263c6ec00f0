"""Accent- and case-insensitive search on people's names and e-mail addresses.

``PersonSearch(first, last, email)`` is one SQL function, ``vae_person_search``: on PostgreSQL
it is ``lower(unaccent(first || ' ' || last || ' ' || email))``, declared IMMUTABLE so that a
trigram index (pg_trgm) on it serves ``LIKE '%…%'`` (migration ``dossiers.0005_queue_indexes``);
on SQLite the same function is registered in Python on each connection (``register_sqlite``).
Search terms go through ``fold`` so that "Helene" finds « Hélène » and « hélène » finds "HELENE".
"""

from __future__ import annotations

import unicodedata

from django.db.models import Func, TextField

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


def _person_search(first: str | None, last: str | None, email: str | None) -> str | None:
    if first is None or last is None or email is None:
        return None
    return fold(f"{first} {last} {email}")


def register_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the Python twin of the PostgreSQL function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 3, _person_search, deterministic=True)
