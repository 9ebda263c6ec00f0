"""What a grille critériée says about a scoring: pure computations, no database.

- Score of a grille: Σ (weight × points of the chosen level) / Σ (weight × points of the best
  level), as a percentage. Only a complete scoring (a level for every criterion) has a score.
- Pass rule (``Rubric``): the score reaches ``pass_threshold_percent``; with
  ``no_minimum_level``, no criterion may sit at the lowest level either (the level with the
  fewest points).
- Suggestion for the jury: the bloc is suggested validated when more than half of the
  complete grilles meet the pass rule, not validated when more than half do not, and left to
  the jury when they are evenly split. It is a suggestion: the président decides.
- Divergence: members two or more levels apart on a criterion (distance between the levels'
  positions in the grille's scale, ordered as the grille orders them).
- Result of a candidate (``jury_result``), from the attendance, the target and the decision
  on each bloc (and transversal assessment): absent or excusé from the attendance; every item
  validated is a full success (of the full certification when the dossier targets the whole
  title, else of the blocs targeted); at least one bloc validated is a partial success; no
  bloc validated is a refusal (a transversal assessment validated alone gives no bloc).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from juries.enums import Attendance, JuryResult

DIVERGENCE_LEVELS = 2


@dataclass(frozen=True)
class Level:
    id: int
    label: str
    points: int


@dataclass(frozen=True)
class Criterion:
    id: int
    text: str
    weight: Decimal


@dataclass(frozen=True)
class Grille:
    """A rubric as the computations see it: levels in the grille's order."""

    criteria: tuple[Criterion, ...]
    levels: tuple[Level, ...]
    pass_threshold_percent: int
    no_minimum_level: bool = False

    @classmethod
    def from_rubric(cls, rubric) -> Grille:
        """From a ``Rubric`` with its ``levels`` and ``criteria`` (prefetch them)."""
        return cls(
            criteria=tuple(
                Criterion(c.pk, c.text, Decimal(c.weight)) for c in sorted(rubric.criteria.all(), key=lambda c: c.order)
            ),
            levels=tuple(
                Level(lv.pk, lv.label, lv.points) for lv in sorted(rubric.levels.all(), key=lambda x: x.order)
            ),
            pass_threshold_percent=rubric.pass_threshold_percent,
            no_minimum_level=rubric.no_minimum_level,
        )

    def level(self, level_id: int | None) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    def index(self, level_id: int | None) -> int | None:
        """The level's position in the scale (0 = first), None if it is not one of the grille's."""
        return next((i for i, lv in enumerate(self.levels) if lv.id == level_id), None)

    @property
    def max_points(self) -> int:
        return max((lv.points for lv in self.levels), default=0)

    @property
    def min_points(self) -> int:
        return min((lv.points for lv in self.levels), default=0)

    @property
    def max_total(self) -> Decimal:
        """Σ weight × points of the best level."""
        return sum((c.weight * self.max_points for c in self.criteria), Decimal(0))


@dataclass(frozen=True)
class Score:
    points: Decimal  # Σ weight × points of the chosen levels
    max_points: Decimal  # Σ weight × points of the best level
    percent: Decimal  # exact; ``percent_display`` rounds it
    threshold: int
    at_lowest_level: tuple[int, ...]  # criteria scored at the lowest level
    no_minimum_level: bool

    @property
    def percent_display(self) -> Decimal:
        return self.percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def reaches_threshold(self) -> bool:
        return self.percent >= self.threshold

    @property
    def passes(self) -> bool:
        """The grille's pass rule: the threshold, and no criterion at the lowest level if asked."""
        return self.reaches_threshold and not (self.no_minimum_level and self.at_lowest_level)


def missing_criteria(grille: Grille, choices: Mapping[int, int | None]) -> list[Criterion]:
    """Criteria without a level (or with a level that is not one of the grille's)."""
    return [c for c in grille.criteria if grille.level(choices.get(c.id)) is None]


def score(grille: Grille, choices: Mapping[int, int | None]) -> Score | None:
    """The score of a complete scoring ({criterion id: level id}); None while incomplete."""
    if not grille.criteria or missing_criteria(grille, choices):
        return None
    total = Decimal(0)
    lowest = []
    for criterion in grille.criteria:
        level = grille.level(choices[criterion.id])
        total += criterion.weight * level.points
        if level.points == grille.min_points:
            lowest.append(criterion.id)
    maximum = grille.max_total
    percent = (total * 100 / maximum) if maximum else Decimal(0)
    return Score(
        points=total,
        max_points=maximum,
        percent=percent,
        threshold=grille.pass_threshold_percent,
        at_lowest_level=tuple(lowest),
        no_minimum_level=grille.no_minimum_level,
    )


@dataclass(frozen=True)
class Suggestion:
    passing: int
    failing: int

    @property
    def validated(self) -> bool | None:
        """True or False on a majority of the grilles, None when evenly split or empty."""
        if self.passing > self.failing:
            return True
        if self.failing > self.passing:
            return False
        return None


def suggestion(scores: Iterable[Score | None]) -> Suggestion:
    complete = [s for s in scores if s is not None]
    passing = sum(1 for s in complete if s.passes)
    return Suggestion(passing=passing, failing=len(complete) - passing)


@dataclass(frozen=True)
class Divergence:
    criterion_id: int
    lowest: int  # level positions in the scale
    highest: int

    @property
    def spread(self) -> int:
        return self.highest - self.lowest


def divergences(grille: Grille, choices_by_member: Mapping[int, Mapping[int, int | None]]) -> dict[int, Divergence]:
    """Criteria on which members chose levels ``DIVERGENCE_LEVELS`` or more positions apart,
    keyed by criterion id (a criterion some member left empty counts for the others only)."""
    flagged = {}
    for criterion in grille.criteria:
        positions = [
            i
            for i in (grille.index(choices.get(criterion.id)) for choices in choices_by_member.values())
            if i is not None
        ]
        if len(positions) >= 2 and max(positions) - min(positions) >= DIVERGENCE_LEVELS:
            flagged[criterion.id] = Divergence(criterion.id, min(positions), max(positions))
    return flagged


@dataclass(frozen=True)
class Outcome:
    """The jury's decision on one assessed item: a bloc, or a transversal assessment."""

    is_block: bool
    validated: bool


def jury_result(attendance: str, targets_full_title: bool, outcomes: Iterable[Outcome]) -> JuryResult:
    if attendance == Attendance.ABSENT:
        return JuryResult.CANDIDATE_ABSENT
    if attendance == Attendance.EXCUSED:
        return JuryResult.CANDIDATE_EXCUSED
    if attendance != Attendance.PRESENT:
        raise ValueError(f"Unknown attendance: {attendance!r}")
    outcomes = list(outcomes)
    if not outcomes:
        raise ValueError("A candidate present before the jury is decided on at least one bloc")
    if all(o.validated for o in outcomes):
        if targets_full_title:
            return JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION
        return JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION
    if not any(o.validated and o.is_block for o in outcomes):
        return JuryResult.FAILURE
    if targets_full_title:
        return JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION
    return JuryResult.PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION
