"""Checks on the figures the source states together: sums, growth, overlapping groups, parts of
wholes, budgets per village, work teams and the "five ones" per village, and the drought years
against 十年九旱."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from types import SimpleNamespace

from ziyang_lib.truth.checks.base import (
    ABOUT_HALF,
    SAYING_SHARE,
    SAYING_TOLERANCE,
    Finding,
    Num,
    Phrase,
    Qty,
    Values,
    gap,
    pct,
)
from ziyang_lib.truth.metrics import Interval, cagr, implied_end, share

# ---------------------------------------------------------------------------------------------
# the checks


def funds_sum(v: Values) -> Finding:
    parts = v.iv("fiscal_special_funds") + v.iv("sectoral_special_funds")
    total = v.iv("special_funds_total")
    ids = ("fiscal_special_funds", "sectoral_special_funds", "special_funds_total")
    tol = sum(v.half_step(i) for i in ids)
    verdict = "consistent" if parts.widen(tol).overlaps(total) else "inconsistent"
    numbers = {
        "fiscal": v.qty("fiscal_special_funds"),
        "sectoral": v.qty("sectoral_special_funds"),
        "total": v.qty("special_funds_total"),
        "sum": Num(parts, "money"),
        "gap": Num(gap(parts, total), "money"),
        "tol": Num(tol, "money"),
    }
    return Finding(parts, verdict, "元", total.low, tol, numbers)


def income_growth(v: Values) -> Finding:
    y0, y1 = v.year("poor_income_2013"), v.year("poor_income_2019")
    start, end = v.iv("poor_income_2013"), v.iv("poor_income_2019")
    rate = Interval.coerce(cagr(start, end, y1 - y0))
    stated = v.iv("poor_income_growth_stated")
    tol = v.half_step("poor_income_growth_stated")
    verdict = "consistent" if pct(rate).widen(tol).overlaps(stated) else "inconsistent"
    at_stated = Interval.coerce(implied_end(start, stated / 100, y1 - y0))
    numbers = {
        "start": v.qty("poor_income_2013"),
        "end": v.qty("poor_income_2019"),
        "stated": v.qty("poor_income_growth_stated"),
        "y0": Num(y0, "year"),
        "y1": Num(y1, "year"),
        "years": Num(y1 - y0),
        "rate": Num(rate, "percent", 2),
        "tol": Num(tol, digits=2),
        "at_stated": Num(at_stated, "money", 0),
        "diff": Num(gap(at_stated, end), "money", 0),
    }
    return Finding(pct(rate), verdict, "%", stated.low, tol, numbers)


def support_overlap(v: Values) -> Finding:
    a, b = v.iv("industry_employment_support"), v.iv("safety_net_support")
    whole = v.iv("poor_population")
    ids = ("industry_employment_support", "safety_net_support", "poor_population")
    tol = sum(v.half_step(i) for i in ids)
    total = a + b
    excess = total.low - whole.high
    verdict = "not additive" if excess - tol > 0 else "consistent"
    numbers = {
        "industry": v.qty("industry_employment_support"),
        "safety": v.qty("safety_net_support"),
        "whole": v.qty("poor_population"),
        "sum": Num(total),
        "overlap_min": Num(max(excess, 0.0)),
        "overlap_min_rounded": Num(max(excess - tol, 0.0)),
        "overlap_max": Num(min(a.high, b.high)),
    }
    return Finding(total, verdict, "人", whole.low, tol, numbers)


def part_of_whole(part_id: str, whole_id: str, **also: str) -> Callable[[Values], Finding]:
    """A part's share of its whole; `also` names more stated figures its texts print."""

    def run(v: Values) -> Finding:
        part, whole = v.iv(part_id), v.iv(whole_id)
        frac = Interval.coerce(share(part, whole))
        verdict = "consistent" if Interval(0, 1).contains(frac) else "inconsistent"
        numbers: dict[str, Num | Qty | Phrase] = {
            "part": v.qty(part_id),
            "whole": v.qty(whole_id),
            "share": Num(frac, "percent", 1),
            "portion": Phrase(
                f"audit.format.{'about_half' if ABOUT_HALF.contains(frac) else 'not_half'}"
            ),
            "rest": Num(whole - part),
        }
        numbers.update({name: v.qty(ind_id) for name, ind_id in also.items()})
        return Finding(pct(frac), verdict, "%", numbers=numbers)

    return run


def village_budget(v: Values) -> Finding:
    minimum = v.iv("village_budget_min") * v.iv("poor_villages")
    frac = minimum / v.iv("fiscal_special_funds")
    numbers = {
        "per_village": v.qty("village_budget_min"),
        "villages": v.qty("poor_villages"),
        "fiscal": v.qty("fiscal_special_funds"),
        "minimum": Num(minimum, "money"),
        "share": Num(frac, "percent", 1),
    }
    return Finding(minimum, "needs context", "元", numbers=numbers)


def team_size(v: Values) -> Finding:
    teams, villages = v.iv("village_work_teams"), v.iv("poor_villages")
    size = v.iv("work_team_personnel") / teams
    one_each = teams.overlaps(villages)
    verdict = "consistent" if one_each and size.low >= 1 else "inconsistent"
    numbers = {
        "personnel": v.qty("work_team_personnel"),
        "teams": v.qty("village_work_teams"),
        "villages": v.qty("poor_villages"),
        "size": Num(size, digits=None if size.low == round(size.low) else 2),
    }
    return Finding(size, verdict, "名/队", numbers=numbers)


def per_poor_village(ind_id: str, *, at_least_one: bool) -> Callable[[Values], Finding]:
    """Figures of the "五个一" package per poor village (one of each per village, usually)."""

    def run(v: Values) -> Finding:
        per = v.iv(ind_id) / v.iv("poor_villages")
        enough = per.low >= 1
        if at_least_one:
            verdict = "consistent" if enough else "inconsistent"
        else:
            verdict = "needs context"
        numbers = {
            "count": v.qty(ind_id),
            "villages": v.qty("poor_villages"),
            "per": Num(per, digits=2),
            "per_inverse": Num(1 / per, digits=1),
        }
        return Finding(per, verdict, f"{v.ind(ind_id).unit}/村", numbers=numbers)

    return run


def first_secretaries(v: Values) -> Finding:
    """First secretaries per poor village, and the surplus against Sichuan's rule of sending one
    to each non-poor village with many registered poor households (data/context.csv)."""
    found = per_poor_village("first_secretaries", at_least_one=True)(v)
    numbers = {
        **found.numbers,
        "surplus": Num(v.iv("first_secretaries") - v.iv("poor_villages")),
        "non_poor": v.qty("non_poor_villages_with_scattered_poor"),
        "threshold": Num(v.iv("sc_first_secretary_threshold")),
        "sichuan_sent": Num(v.iv("sc_non_poor_village_first_secretaries")),
    }
    return replace(found, numbers=numbers)


def drought(years_id: str) -> Callable[[Values], Finding]:
    """Drought years as a share of the record, set against 十年九旱.

    近55年, framing its clause, means 'the past 55 years': the record is the indicator's figure
    (exact on the data). The other reading, 'nearly 55 years' (将近), would allow a record up to
    5 % shorter but never shorter than the drought years it holds; it is computed too
    (``record_alt``, ``share_alt``) and said in the explanation, not used for the verdict.
    The share is ``consistent`` when it falls in the saying's band; when the record is itself
    a range and only part of the share does (``partly``), or none, ``needs context``.
    """

    def run(v: Values) -> Finding:
        longest = max(v.iv("full_drought_years").low, v.iv("multi_county_drought_years").low)
        floor = Interval(longest, math.inf)
        record = v.iv("drought_record_years").intersect(floor)
        stated = v.ind("drought_record_years")
        alt = Interval.from_indicator(SimpleNamespace(value=stated.value, qualifier="nearly"))
        alt = Interval(alt.low, record.high).intersect(floor)
        years = v.iv(years_id)
        frac = Interval.coerce(share(years, record))
        alt_frac = Interval.coerce(share(years, alt))
        band = Interval(SAYING_SHARE - SAYING_TOLERANCE, SAYING_SHARE + SAYING_TOLERANCE)
        fit = "within" if band.contains(alt_frac) else "partly" if band.overlaps(alt_frac) else ""
        numbers: dict[str, Num | Qty | Phrase] = {
            "years": v.qty(years_id),
            "record": v.qty("drought_record_years"),
            "record_years": Num(stated.value),
            "record_iv": Num(record),
            "share": Num(frac, "percent", 1),
            "record_alt": Num(Interval(round(alt.low, 2), alt.high)),
            "share_alt": Num(alt_frac, "percent", 1),
            "alt_fit": Phrase(f"audit.format.drought_alt.{fit or 'outside'}"),
            "saying": Num(SAYING_SHARE, "percent", 0),
            "saying_low": Num(band.low, "percent", 0),
            "saying_high": Num(band.high, "percent", 0),
        }
        verdict, explanation = "needs context", ""
        if band.contains(frac):
            verdict = "consistent"
        elif band.overlaps(frac):
            explanation = "partly"
            # the record lengths that put the share inside the band, to one decimal
            fit_iv = record.intersect(years / band)
            numbers["record_fit"] = Num(Interval(round(fit_iv.low, 1), round(fit_iv.high, 1)))
        return Finding(
            pct(frac),
            verdict,
            "%",
            SAYING_SHARE * 100,
            SAYING_TOLERANCE * 100,
            numbers,
            explanation,
        )

    return run
