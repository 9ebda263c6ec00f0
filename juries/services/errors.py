"""How the jury services refuse: one domain error, shown to the user as it is.

Rules:
- every refusal is a ``JuryError`` (a ``core.errors.DomainError``) whose message is a French
  sentence the user can act on; views show it through ``core.actions``;
- "Valider ma notation" without a level for every criterion is an ``IncompleteEvaluation``, which
  names the criteria still without a level;
- a scoring saved from an older version than the stored one is an ``EvaluationConflict``: not a
  refusal but both versions handed back to the page, so that nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from core.errors import DomainError

if TYPE_CHECKING:
    from certifications.models import RubricCriterion
    from juries.models import Evaluation


class JuryError(DomainError):
    """A refused action; the message is shown to the user as it is."""


class IncompleteEvaluation(JuryError):
    def __init__(self, missing: list[RubricCriterion]):
        self.missing = missing
        names = "; ".join(c.text[:60] for c in missing)
        super().__init__(
            _("Choisissez un niveau pour chaque critère avant de valider (%(n)s sans niveau : %(names)s).")
            % {"n": len(missing), "names": names}
        )


@dataclass
class EvaluationConflict(Exception):
    """The scoring changed since the member's page loaded it (another tab): both are kept."""

    evaluation: Evaluation
    theirs: dict[str, str]
    mine: dict[str, str]
