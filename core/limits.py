"""How long a text a person writes in the portal may be.

Every free-text field that a candidate, a certifier or a juror fills is bounded: a text ends up
in pages (a dossier PDF, a procès-verbal, a letter) rendered by the PDF workers, and one
unbounded field let one person hold a worker for minutes (1 MB of activities: a 241-page draft
preview). The limits are generous — a narrative of 20,000 characters is about eight pages — and
each field's is its model's ``max_length`` (``bounded``): Django's forms refuse a longer text
with a French message, ``full_clean`` too (the ``MaxLengthValidator`` ``bounded`` adds: Django
does not check a TextField's ``max_length`` on its own), and the services that take a text
from elsewhere than a form call ``check``. tests/core/test_limits.py checks that every
TextField a person fills has one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _

NARRATIVE = 20_000  # a compétence's narrative, a juror's overall appraisal: about 8 pages
LONG_TEXT = 10_000  # activities, reasons, decisions, instructions, referential texts
REMARK = 5_000  # a juror's remark on a criterion
COMMENT = 4_000  # a self-positioning comment, a declared link, a notice to candidates
SHORT_TEXT = 2_000  # a proof's description, a place


def bounded(limit: int) -> dict[str, Any]:
    """The keyword arguments of a TextField of at most ``limit`` characters."""
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


def too_long_message(what: str, length: int, limit: int) -> str:
    return _(
        "%(what)s compte %(n)s caractères ; %(max)s au plus sont acceptés. Raccourcissez ce texte : ce qui était "
        "déjà enregistré est conservé."
    ) % {
        "what": what,
        "n": number_format(length, force_grouping=True),
        "max": number_format(limit, force_grouping=True),
    }


def check(value: str | None, limit: int, what: str, error: type[Exception] = ValidationError) -> None:
    """Refuse ``value`` past ``limit`` characters, with ``error`` and a message naming ``what``
    (« Le motif », « Le récit »…)."""
    if value and len(value) > limit:
        raise error(too_long_message(what, len(value), limit))


def _form_message(what) -> str:
    return _(
        "%(what)s compte %%(show_value)s caractères ; %%(limit_value)s au plus sont acceptés. Raccourcissez ce "
        "texte : ce qui était déjà enregistré est conservé."
    ) % {"what": what}


_lazy_form_message = lazy(_form_message, str)


def form_error(what) -> dict[str, Any]:
    """``error_messages`` for a form field of at most ``max_length`` characters: the message of
    ``check``, naming ``what``."""
    return {"max_length": _lazy_form_message(what)}
