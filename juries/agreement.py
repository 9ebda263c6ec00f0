"""How much the jury members agree when they score the same criteria: pure computations on
the levels they chose, no database (``juries.queries.agreement_report`` feeds them).

A *unit* is one criterion of one candidate's grille; its ratings are the positions of the levels
the members chose in the grille's scale (0 = first level), by member. Only units rated by two
members or more say anything about agreement.

- Percentage agreement: among every pair of members who rated the same unit, the share that
  chose the same level (a unit rated by three members gives three pairs).
- Krippendorff's alpha, ordinal (the ``krippendorff`` library, Krippendorff's own definition):
  1 is perfect agreement, 0 agreement no better than chance, below 0 systematic disagreement.
  It is undefined (None) when fewer than two units are pairable or every pairable rating is the
  same level (no variation: the expected disagreement is zero).
- Severity of a member: the mean, over the units they rated with at least one other member, of
  their level minus the mean of the others' levels on that unit. Negative: more severe than the
  others; positive: more lenient; in levels of the scale.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

import krippendorff
import numpy as np

Ratings = Mapping[Hashable, int]  # member → level position, for one unit


def _pairable(units: Sequence[Ratings]) -> list[Ratings]:
    return [u for u in units if len(u) >= 2]


def percentage_agreement(units: Sequence[Ratings]) -> Decimal | None:
    """Share of agreeing pairs of members, as a percentage (None: no pair)."""
    pairs = agreeing = 0
    for unit in _pairable(units):
        for a, b in combinations(unit.values(), 2):
            pairs += 1
            agreeing += a == b
    if not pairs:
        return None
    return Decimal(agreeing * 100) / Decimal(pairs)


def ordinal_alpha(units: Sequence[Ratings], scale_size: int | None = None) -> float | None:
    """Krippendorff's alpha for ordinal data over the units; ``scale_size`` is the number of
    levels of the scale (positions 0 … scale_size − 1), so that levels nobody chose still count
    in the distance between the others, as the ordinal metric asks."""
    units = _pairable(units)
    values = {v for u in units for v in u.values()}
    if len(units) < 2 or len(values) < 2:
        return None
    members = sorted({m for u in units for m in u}, key=str)
    data = np.full((len(members), len(units)), np.nan)
    row = {m: i for i, m in enumerate(members)}
    for j, unit in enumerate(units):
        for member, value in unit.items():
            data[row[member], j] = value
    top = max(max(values) + 1, scale_size or 0)
    with np.errstate(all="raise"):
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal", value_domain=range(top)))


def severity(units: Sequence[Ratings]) -> dict[Hashable, Decimal]:
    """Each member's mean difference to the others' mean level on the units they share."""
    sums: dict[Hashable, Decimal] = {}
    counts: dict[Hashable, int] = {}
    for unit in _pairable(units):
        total = sum(unit.values())
        n = len(unit)
        for member, value in unit.items():
            others = Decimal(total - value) / Decimal(n - 1)
            sums[member] = sums.get(member, Decimal(0)) + Decimal(value) - others
            counts[member] = counts.get(member, 0) + 1
    return {m: sums[m] / counts[m] for m in sums}


@dataclass(frozen=True)
class Agreement:
    """The figures for a set of units (a session, or a bloc of it)."""

    units: int  # pairable units
    percent: Decimal | None
    alpha: float | None
    severity: dict[Hashable, Decimal]

    @property
    def percent_display(self) -> str:
        if self.percent is None:
            return "—"
        return str(self.percent.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def alpha_display(self) -> str:
        if self.alpha is None:
            return "—"
        # French decimal comma: the procès-verbal stores the figures as they are read.
        return str(Decimal(repr(self.alpha)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")


def agreement(units: Sequence[Ratings], scale_size: int | None = None) -> Agreement:
    return Agreement(
        units=len(_pairable(units)),
        percent=percentage_agreement(units),
        alpha=ordinal_alpha(units, scale_size),
        severity=severity(units),
    )
