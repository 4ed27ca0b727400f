"""Tests for ziyang_lib.truth.metrics: expectations are worked out by hand in each test."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from ziyang_lib.truth.metrics import (
    DEFAULT_TOL,
    Interval,
    cagr,
    implied_end,
    interpolate_compound,
    per_capita,
    ratio,
    share,
)

INF = math.inf


def ind(qualifier: str, value: float = math.nan, low: float = math.nan, high: float = math.nan):
    return SimpleNamespace(id="x", qualifier=qualifier, value=value, low=low, high=high)


# --- plain numbers ---------------------------------------------------------------------------


def test_cagr_doubles_in_one_year_and_compounds():
    assert cagr(100, 200, 1) == pytest.approx(1.0)
    # 100 → 121 over two years is 10 % a year (1.1 * 1.1 = 1.21), not 10.5 %.
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    assert cagr(50, 50, 3) == pytest.approx(0.0)


def test_cagr_rejects_bad_inputs():
    with pytest.raises(ValueError, match="negative"):
        cagr(100, 200, -1)
    with pytest.raises(ValueError, match="positive"):
        cagr(100, 200, 0)
    with pytest.raises(ValueError, match="positive values"):
        cagr(0, 200, 2)


def test_implied_end_is_the_inverse_of_cagr():
    assert implied_end(100, 0.10, 2) == pytest.approx(121.0)
    assert implied_end(2435, cagr(2435, 6969, 6), 6) == pytest.approx(6969)
    assert implied_end(100, 0.5, 0) == 100
    with pytest.raises(ValueError, match="negative"):
        implied_end(100, 0.1, -2)
    with pytest.raises(ValueError, match="-1"):
        implied_end(100, -1.0, 2)


def test_share_ratio_per_capita():
    assert share(162, 325) == pytest.approx(162 / 325)
    assert share(1, 4) == 0.25
    assert share(5, 4) == 1.25  # returned as is, so a caller can see part > whole
    assert ratio(975, 325) == 3
    assert per_capita(1000, 4) == 250
    with pytest.raises(ValueError, match="whole"):
        share(3, 0)
    with pytest.raises(ValueError, match="denominator"):
        ratio(3, 0)
    with pytest.raises(ValueError, match="positive"):
        per_capita(10, 0)
    with pytest.raises(ValueError, match="positive"):
        per_capita(10, -2)


# --- interpolation ---------------------------------------------------------------------------


def test_interpolate_compound_keeps_endpoints_and_labels_modelled_years():
    frame = interpolate_compound(100, 2000, 121, 2002)
    assert list(frame.columns) == ["year", "value", "modelled"]
    assert frame["year"].tolist() == [2000, 2001, 2002]
    assert frame["value"].tolist() == pytest.approx([100, 110, 121])
    assert frame["modelled"].tolist() == [False, True, False]
    assert frame["modelled"].dtype == bool


def test_interpolate_compound_selected_years_and_bounds():
    frame = interpolate_compound(2435, 2013, 6969, 2019, years=[2019, 2016, 2013])
    assert frame["year"].tolist() == [2013, 2016, 2019]
    rate = (6969 / 2435) ** (1 / 6) - 1
    assert frame["value"].tolist() == pytest.approx([2435, 2435 * (1 + rate) ** 3, 6969])
    assert frame["modelled"].tolist() == [False, True, False]
    with pytest.raises(ValueError, match="outside"):
        interpolate_compound(100, 2000, 121, 2002, years=[2003])
    with pytest.raises(ValueError, match="after"):
        interpolate_compound(100, 2002, 121, 2002)


# --- Interval --------------------------------------------------------------------------------


def test_interval_validation():
    with pytest.raises(ValueError, match="above"):
        Interval(2, 1)
    with pytest.raises(ValueError, match="numbers"):
        Interval(math.nan, 1)
    with pytest.raises(ValueError, match="no finite"):
        Interval(INF, INF)
    with pytest.raises(TypeError):
        Interval(1, 2) + "3"


def test_interval_arithmetic_with_intervals_and_scalars():
    a, b = Interval(1, 2), Interval(10, 20)
    assert a + b == Interval(11, 22)
    assert a + 5 == Interval(6, 7) == 5 + a
    assert b - a == Interval(8, 19)  # 10 - 2 .. 20 - 1
    assert 30 - b == Interval(10, 20)
    assert a * b == Interval(10, 40)
    assert Interval(-1, 2) * Interval(3, 4) == Interval(-4, 8)
    assert 3 * a == Interval(3, 6)
    assert b / a == Interval(5, 20)  # 10 / 2 .. 20 / 1
    assert 10 / Interval(2, 5) == Interval(2, 5)
    assert b / 10 == Interval(1, 2)


def test_interval_division_by_zero_raises():
    with pytest.raises(ValueError, match="contains 0"):
        Interval(1, 2) / Interval(-1, 1)
    with pytest.raises(ValueError, match="contains 0"):
        Interval(1, 2) / Interval(0, 3)
    with pytest.raises(ValueError, match="contains 0"):
        Interval(1, 2) / 0


def test_open_ended_intervals_propagate():
    at_least = Interval(2_000_000, INF)
    total = at_least * 325
    assert total == Interval(650_000_000, INF)
    assert (total / 100).low == 6_500_000 and total.high == INF
    assert Interval(0, INF) * 0 == Interval(0, 0)  # 0 × ∞ taken as 0
    assert Interval(1, 2) / Interval(4, INF) == Interval(0, 0.5)
    assert Interval(5, INF) - Interval(1, INF) == Interval(-INF, INF)


def test_sum_of_range_and_exact_is_a_range():
    total = Interval(5, 7) + Interval.point(3)
    assert total == Interval(8, 10)
    assert not total.is_point and Interval.point(3).is_point


def test_contains_width_midpoint_intersect():
    r = Interval(5, 7)
    assert r.contains(6) and r.contains(Interval(5, 7)) and not r.contains(7.5)
    assert not r.contains(Interval(6, 8))
    assert r.width == 2 and Interval(1, INF).width == INF
    assert r.midpoint == 6
    with pytest.raises(ValueError, match="midpoint"):
        _ = Interval(1, INF).midpoint
    assert Interval(49, 55).intersect(Interval(52, INF)) == Interval(52, 55)
    with pytest.raises(ValueError, match="overlap"):
        Interval(1, 2).intersect(3)
    assert r.widen(0.5) == Interval(4.5, 7.5)


def test_from_indicator_maps_each_qualifier():
    assert Interval.from_indicator(ind("exact", 325, 325, 325)) == Interval(325, 325)
    assert Interval.from_indicator(ind("more_than", 20000, 20000)) == Interval(20000, INF)
    assert Interval.from_indicator(ind("at_least", 2e6, 2e6)) == Interval(2e6, INF)
    assert Interval.from_indicator(ind("more_than", 20), cap=30) == Interval(20, 30)
    assert Interval.from_indicator(ind("at_most", 10, high=10)) == Interval(0, 10)
    assert Interval.from_indicator(ind("range", low=5e8, high=7e8)) == Interval(5e8, 7e8)


def test_from_indicator_tolerances_are_documented_defaults_and_parameters():
    assert DEFAULT_TOL == {"about": 0.10, "nearly": 0.05}
    near = Interval.from_indicator(ind("nearly", 55, high=55))
    assert near.low == pytest.approx(55 * 0.95) and near.high == 55
    about = Interval.from_indicator(ind("about", 1e8))
    assert about.low == pytest.approx(0.9e8) and about.high == pytest.approx(1.1e8)
    wide = Interval.from_indicator(ind("about", 1e8), tol=0.25)
    assert wide.low == pytest.approx(0.75e8) and wide.high == pytest.approx(1.25e8)
    with pytest.raises(ValueError, match="tol"):
        Interval.from_indicator(ind("nearly", 55), tol=1.5)


def test_from_indicator_rejects_missing_fields_and_unknown_qualifiers():
    with pytest.raises(ValueError, match="'low'"):
        Interval.from_indicator(ind("range", high=7))
    with pytest.raises(ValueError, match="'value'"):
        Interval.from_indicator(ind("exact"))
    with pytest.raises(ValueError, match="unknown qualifier"):
        Interval.from_indicator(ind("roughly", 3))


def test_metric_functions_propagate_intervals():
    # 43 of "nearly 55" years: denominator in [52.25, 55] → share in [43/55, 43/52.25].
    s = share(43, Interval(55 * 0.95, 55))
    assert s.low == pytest.approx(43 / 55) and s.high == pytest.approx(43 / 52.25)
    g = cagr(Interval(90, 110), 121, 2)
    assert g.low == pytest.approx(math.sqrt(121 / 110) - 1)
    assert g.high == pytest.approx(math.sqrt(121 / 90) - 1)
    e = implied_end(100, Interval(0.0, 0.1), 2)
    assert e.low == pytest.approx(100) and e.high == pytest.approx(121)
    with pytest.raises(ValueError):
        share(1, Interval(0, 2))
