"""The agreement figures against known datasets: Krippendorff's published example and small
cases computed by hand (never against the library's own output)."""

from decimal import Decimal

import pytest

from juries.agreement import agreement, ordinal_alpha, percentage_agreement, severity

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example with
# four observers, twelve units and missing values; values 1–5. Published ordinal alpha: 0.815.
OBSERVERS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def krippendorff_units():
    return [{name: values[i] - 1 for name, values in OBSERVERS.items() if values[i] is not None} for i in range(12)]


def test_alpha_reproduces_krippendorffs_published_ordinal_example():
    assert ordinal_alpha(krippendorff_units(), scale_size=5) == pytest.approx(0.815, abs=0.0005)


def test_a_unit_rated_once_is_not_pairable_and_changes_nothing():
    units = krippendorff_units()
    assert units[11] == {"B": 2}
    assert ordinal_alpha(units[:11], scale_size=5) == pytest.approx(0.815, abs=0.0005)


def test_alpha_is_zero_when_disagreement_matches_chance_computed_by_hand():
    # n0 = 3, n1 = 1; ordinal δ²(0,1) = ((3 + 1) / 2)² = 4; Do = 8/4 = 2, De = 24/12 = 2: α = 0.
    units = [{"a": 0, "b": 0}, {"a": 0, "b": 1}]
    assert ordinal_alpha(units, scale_size=4) == pytest.approx(0.0)


def test_alpha_is_one_when_members_always_agree_on_varied_levels():
    units = [{"a": 0, "b": 0}, {"a": 2, "b": 2}, {"a": 3, "b": 3}]
    assert ordinal_alpha(units, scale_size=4) == pytest.approx(1.0)


def test_alpha_is_undefined_without_variation_or_pairs():
    assert ordinal_alpha([{"a": 2, "b": 2}, {"a": 2, "b": 2}]) is None
    assert ordinal_alpha([{"a": 1}, {"b": 3}]) is None
    assert ordinal_alpha([]) is None


def test_percentage_agreement_counts_pairs_of_members():
    # unit 1: 1 pair, agreeing; unit 2: 1 pair, not; unit 3: 3 pairs, 1 agreeing → 2 of 5.
    units = [{"a": 0, "b": 0}, {"a": 0, "b": 1}, {"a": 1, "b": 1, "c": 2}]
    assert percentage_agreement(units) == Decimal(40)
    assert percentage_agreement([{"a": 1}]) is None


def test_severity_is_the_mean_difference_to_the_others_on_shared_units():
    units = [{"A": 2, "B": 1, "C": 0}, {"A": 3, "B": 3, "C": 3}, {"A": 1}]
    assert severity(units) == {"A": Decimal("0.75"), "B": Decimal(0), "C": Decimal("-0.75")}


def test_the_summary_displays_rounded_figures():
    result = agreement([{"a": 0, "b": 0}, {"a": 0, "b": 1}, {"a": 1, "b": 1, "c": 2}], scale_size=4)
    assert result.units == 3
    assert result.percent_display == "40"
    assert result.severity["c"] == Decimal("1")
