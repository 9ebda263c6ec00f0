"""The pure computations of juries.scoring, on examples checked by hand."""

from decimal import Decimal

import pytest

from juries.enums import Attendance, JuryResult
from juries.scoring import (
    Criterion,
    Grille,
    Level,
    Outcome,
    divergences,
    jury_result,
    missing_criteria,
    score,
    suggestion,
)

INSUFFISANT, FRAGILE, SATISFAISANT, EXCELLENT = (
    Level(10, "Insuffisant", 0),
    Level(11, "Fragile", 1),
    Level(12, "Satisfaisant", 2),
    Level(13, "Excellent", 3),
)
FOUR = (INSUFFISANT, FRAGILE, SATISFAISANT, EXCELLENT)


def grille(weights, levels=FOUR, threshold=50, no_minimum_level=False) -> Grille:
    return Grille(
        criteria=tuple(Criterion(i, f"Critère {i}", Decimal(str(w))) for i, w in enumerate(weights, start=1)),
        levels=levels,
        pass_threshold_percent=threshold,
        no_minimum_level=no_minimum_level,
    )


def test_the_score_is_the_weighted_points_over_the_weighted_maximum():
    g = grille([1, 2, 1])
    # 1×2 + 2×3 + 1×1 = 9 points out of (1 + 2 + 1) × 3 = 12: 75 %.
    s = score(g, {1: SATISFAISANT.id, 2: EXCELLENT.id, 3: FRAGILE.id})
    assert (s.points, s.max_points, s.percent) == (Decimal(9), Decimal(12), Decimal(75))
    assert s.passes


def test_decimal_weights_and_uneven_points_fall_short_of_the_threshold():
    levels = (Level(1, "Non", 0), Level(2, "En partie", 2), Level(3, "Oui", 4))
    g = grille([1.5, 0.5], levels=levels, threshold=40)
    # 1.5×2 + 0.5×0 = 3 points out of (1.5 + 0.5) × 4 = 8: 37.5 %, under 40 %.
    s = score(g, {1: 2, 2: 1})
    assert s.points == Decimal("3.0") and s.max_points == Decimal("8.0")
    assert s.percent == Decimal("37.5") and s.percent_display == Decimal("37.5")
    assert not s.reaches_threshold and not s.passes


def test_the_displayed_percentage_is_rounded_to_a_tenth_but_compared_exactly():
    g = grille([1, 1, 1], threshold=67)
    # 2 + 2 + 2 = 6 out of 9: 66.666… %, shown 66.7 %, under 67 %.
    s = score(g, {1: SATISFAISANT.id, 2: SATISFAISANT.id, 3: SATISFAISANT.id})
    assert s.percent_display == Decimal("66.7")
    assert not s.passes


def test_no_criterion_at_the_lowest_level_when_the_grille_says_so():
    choices = {1: EXCELLENT.id, 2: EXCELLENT.id, 3: EXCELLENT.id, 4: INSUFFISANT.id}
    # 9 out of 12: 75 %, above the threshold, but one criterion sits at the lowest level.
    strict = score(grille([1, 1, 1, 1], no_minimum_level=True), choices)
    lenient = score(grille([1, 1, 1, 1], no_minimum_level=False), choices)
    assert strict.percent == lenient.percent == Decimal(75)
    assert strict.at_lowest_level == (4,)
    assert not strict.passes and lenient.passes


def test_an_incomplete_scoring_has_no_score_and_says_what_is_missing():
    g = grille([1, 1, 1])
    assert score(g, {1: EXCELLENT.id, 2: EXCELLENT.id}) is None
    assert [c.id for c in missing_criteria(g, {1: EXCELLENT.id, 3: 999})] == [2, 3]


def test_the_rule_suggests_what_a_majority_of_the_grilles_say():
    g = grille([1])
    passing, failing = score(g, {1: EXCELLENT.id}), score(g, {1: FRAGILE.id})
    assert suggestion([passing, passing, failing]).validated is True
    assert suggestion([passing, failing, failing, None]).validated is False
    assert suggestion([passing, failing]).validated is None
    assert suggestion([]).validated is None


def test_members_two_levels_apart_are_flagged_one_level_apart_are_not():
    g = grille([1, 1, 1, 1])
    choices = {
        "A": {1: INSUFFISANT.id, 2: FRAGILE.id, 3: EXCELLENT.id, 4: SATISFAISANT.id},
        "B": {1: FRAGILE.id, 2: FRAGILE.id, 3: FRAGILE.id, 4: None},
        "C": {1: SATISFAISANT.id, 2: SATISFAISANT.id, 3: EXCELLENT.id, 4: INSUFFISANT.id},
    }
    flagged = divergences(g, choices)
    # 1: positions 0, 1, 2 → 2 apart. 2: 1, 1, 2 → 1. 3: 3, 1, 3 → 2. 4: 2, (none), 0 → 2.
    assert sorted(flagged) == [1, 3, 4]
    assert (flagged[1].lowest, flagged[1].highest, flagged[1].spread) == (0, 2, 2)
    assert flagged[3].spread == 2 and flagged[4].spread == 2


def test_divergence_counts_positions_in_the_scale_not_points():
    # Levels in the grille's order with points 0, 10, 11: "Bien" and "Très bien" are one step apart.
    levels = (Level(1, "Insuffisant", 0), Level(2, "Bien", 10), Level(3, "Très bien", 11))
    g = grille([1], levels=levels)
    assert divergences(g, {"A": {1: 2}, "B": {1: 3}}) == {}
    assert divergences(g, {"A": {1: 1}, "B": {1: 3}})[1].spread == 2
    assert divergences(g, {"A": {1: 1}}) == {}


P, V, N = Attendance.PRESENT, True, False


@pytest.mark.parametrize(
    "attendance, full_title, outcomes, expected",
    [
        (P, True, [(True, V), (True, V)], JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION),
        (P, True, [(True, V), (True, N)], JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION),
        (P, False, [(True, V)], JuryResult.FULL_SUCCESS_OF_PARTIAL_CERTIFICATION),
        (P, False, [(True, V), (True, N)], JuryResult.PARTIAL_SUCCESS_OF_PARTIAL_CERTIFICATION),
        (P, True, [(True, N), (True, N)], JuryResult.FAILURE),
        (P, False, [(True, N)], JuryResult.FAILURE),
        # The full title needs the transversal assessment too…
        (P, True, [(True, V), (True, V), (False, N)], JuryResult.PARTIAL_SUCCESS_OF_FULL_CERTIFICATION),
        (P, True, [(True, V), (False, V)], JuryResult.FULL_SUCCESS_OF_FULL_CERTIFICATION),
        # …and a transversal assessment validated alone gives no bloc.
        (P, True, [(True, N), (False, V)], JuryResult.FAILURE),
        (Attendance.ABSENT, True, [], JuryResult.CANDIDATE_ABSENT),
        (Attendance.EXCUSED, False, [], JuryResult.CANDIDATE_EXCUSED),
    ],
)
def test_the_result_follows_from_the_attendance_the_target_and_the_blocs(attendance, full_title, outcomes, expected):
    assert jury_result(attendance, full_title, [Outcome(is_block=b, validated=v) for b, v in outcomes]) == expected


def test_a_present_candidate_without_any_bloc_decided_or_an_unknown_attendance_has_no_result():
    with pytest.raises(ValueError):
        jury_result(Attendance.PRESENT, True, [])
    with pytest.raises(ValueError):
        jury_result("", True, [Outcome(True, True)])
