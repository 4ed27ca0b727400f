"""Audit of the source's own arithmetic: do the figures it states agree with each other?

`audit()` loads the indicators it needs and returns one row per check. Each check computes a
figure from stated values with `metrics.Interval`, so qualifiers (余, 不低于, 近, ranges) keep
their width, compares it with what the source states or implies, and gives a verdict:

- ``consistent`` — the figures agree (within the rounding of the stated digits, where a stated
  figure is compared);
- ``inconsistent`` — they cannot all be true as stated;
- ``not additive`` — parts whose sum exceeds the whole, so the groups overlap;
- ``needs context`` — the arithmetic is fine but the text lacks what is needed to judge (period,
  source of money, what a figure counts).

Each finding carries the numbers its claim and explanation print; the words are report text
(``report/catalogue/audit.yaml``, rendered by `ziyang_lib.report.findings`). `audit_from_values`
runs the same checks on any mapping of indicator-like objects
(``.value/.low/.high/.qualifier/.unit/.unit_en/.period``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from os import PathLike
from types import SimpleNamespace
from typing import Any

import pandas as pd

from ziyang_lib.truth.metrics import Interval, cagr, half_step, implied_end, share

VERDICTS: tuple[str, ...] = ("consistent", "inconsistent", "not additive", "needs context")

COLUMNS: tuple[str, ...] = (
    "check_id",
    "computed",
    "computed_low",
    "computed_high",
    "stated",
    "tolerance",
    "unit",
    "verdict",
    "explanation_key",
    "indicator_ids",
    "numbers",
)
"""Columns of the audit frame. ``computed`` is the computed figure (for an interval, its lower
bound; ``computed_low``/``computed_high`` give the whole interval); ``stated`` is the source's
figure it is compared with (NaN when there is none); ``tolerance`` is the gap rounding alone can
explain (NaN when nothing is compared). All three are in ``unit`` — the indicators' base unit
(元, 人, …), or ``%`` for shares and rates, in which case the tolerance is in percentage points.
``explanation_key`` names the case the explanation describes (the verdict's key, or a case of it
such as ``partly``); ``numbers`` maps each name the texts print to a `Num`, a `Qty` or a
`Phrase`."""

#: 十年九旱 ("nine droughts in ten years") — the saying's rate, counted in tenths of the years.
SAYING_SHARE = 9 / 10
#: The saying counts whole tenths, so a share within half a tenth of 9/10 matches it.
SAYING_TOLERANCE = 1 / 20
#: Years over which yearly budgets are set against the cumulative funds. An ASSUMPTION: the text
#: dates the assistance from 2015 (2015年以来) to the article (2020) but gives no period for the
#: funds; it is stated in every explanation that uses it.
ASSUMED_FUND_YEARS: tuple[int, int] = (2015, 2020)
#: A share is described as "about half" when it lies within 5 percentage points of one half.
ABOUT_HALF = Interval(0.45, 0.55)


# ---------------------------------------------------------------------------------------------
# numbers printed in claims and explanations


@dataclass(frozen=True)
class Num:
    """A computed number to print: ``kind`` is number, money, year or percent (a fraction)."""

    value: float | Interval
    kind: str = "number"
    digits: int | None = None


@dataclass(frozen=True)
class Qty:
    """A stated figure, printed the source's way, qualifier and unit included (23.6万人)."""

    ind: Any


@dataclass(frozen=True)
class Phrase:
    """A phrase of the report's catalogue chosen by a computed value (e.g. ', about half')."""

    key: str


@dataclass(frozen=True)
class Finding:
    """What one check computed; `numbers` fill its catalogue templates."""

    computed: Interval
    verdict: str
    unit: str
    stated: float = math.nan
    tolerance: float = math.nan
    numbers: dict[str, Num | Qty | Phrase] = field(default_factory=dict)
    #: Catalogue key of the explanation when one verdict has several cases; else the verdict's.
    explanation: str = ""


@dataclass(frozen=True)
class Check:
    """One audit check: its id, the indicators it reads and the verdicts it can give."""

    check_id: str
    indicator_ids: tuple[str, ...]
    run: Callable[[Values], Finding]
    verdicts: tuple[str, ...]
    #: Figures of data/context.csv the check also reads (by context_id).
    context_ids: tuple[str, ...] = ()


class Values:
    """Read access to indicator-like objects by id, as intervals or quantities."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def ind(self, ind_id: str) -> Any:
        try:
            return self._values[ind_id]
        except KeyError:
            raise KeyError(f"audit needs indicator {ind_id!r}, which is missing") from None

    def iv(self, ind_id: str) -> Interval:
        return Interval.from_indicator(self.ind(ind_id))

    def qty(self, ind_id: str) -> Qty:
        return Qty(self.ind(ind_id))

    def year(self, ind_id: str) -> int:
        period = str(getattr(self.ind(ind_id), "period", ""))
        try:
            return int(period)
        except ValueError:
            raise ValueError(f"{ind_id}: period {period!r} is not a single year") from None

    def half_step(self, ind_id: str) -> float:
        """Half the last stated digit of an exact figure (the most rounding can hide)."""
        return half_step(self.iv(ind_id).low)


def _gap(a: Interval, b: Interval) -> float:
    """Distance between two intervals (0 when they overlap)."""
    return max(0.0, a.low - b.high, b.low - a.high)


def _pct(iv: Interval) -> Interval:
    return iv * 100


# ---------------------------------------------------------------------------------------------
# the checks


def _funds_sum(v: Values) -> Finding:
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
        "gap": Num(_gap(parts, total), "money"),
        "tol": Num(tol, "money"),
    }
    return Finding(parts, verdict, "元", total.low, tol, numbers)


def _income_growth(v: Values) -> Finding:
    y0, y1 = v.year("poor_income_2013"), v.year("poor_income_2019")
    start, end = v.iv("poor_income_2013"), v.iv("poor_income_2019")
    rate = Interval.coerce(cagr(start, end, y1 - y0))
    stated = v.iv("poor_income_growth_stated")
    tol = v.half_step("poor_income_growth_stated")
    verdict = "consistent" if _pct(rate).widen(tol).overlaps(stated) else "inconsistent"
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
        "diff": Num(_gap(at_stated, end), "money", 0),
    }
    return Finding(_pct(rate), verdict, "%", stated.low, tol, numbers)


def _support_overlap(v: Values) -> Finding:
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


def _part_of_whole(part_id: str, whole_id: str, **also: str) -> Callable[[Values], Finding]:
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
        return Finding(_pct(frac), verdict, "%", numbers=numbers)

    return run


def _village_budget(v: Values) -> Finding:
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


def _team_size(v: Values) -> Finding:
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


def _per_poor_village(ind_id: str, *, at_least_one: bool) -> Callable[[Values], Finding]:
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


def _first_secretaries(v: Values) -> Finding:
    """First secretaries per poor village, and the surplus against Sichuan's rule of sending one
    to each non-poor village with many registered poor households (data/context.csv)."""
    found = _per_poor_village("first_secretaries", at_least_one=True)(v)
    numbers = {
        **found.numbers,
        "surplus": Num(v.iv("first_secretaries") - v.iv("poor_villages")),
        "non_poor": v.qty("non_poor_villages_with_scattered_poor"),
        "threshold": Num(v.iv("sc_first_secretary_threshold")),
        "sichuan_sent": Num(v.iv("sc_non_poor_village_first_secretaries")),
    }
    return replace(found, numbers=numbers)


def _drought(years_id: str) -> Callable[[Values], Finding]:
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
            _pct(frac),
            verdict,
            "%",
            SAYING_SHARE * 100,
            SAYING_TOLERANCE * 100,
            numbers,
            explanation,
        )

    return run


def _fund_years() -> int:
    y0, y1 = ASSUMED_FUND_YEARS
    return y1 - y0 + 1


def _health_fund(v: Values) -> Finding:
    yearly = v.iv("health_fund_per_year")
    n = _fund_years()
    total = yearly * n
    special = v.iv("special_funds_total")
    frac = total / special
    numbers = {
        "yearly": v.qty("health_fund_per_year"),
        "special": v.qty("special_funds_total"),
        "fiscal": v.qty("fiscal_special_funds"),
        "sectoral": v.qty("sectoral_special_funds"),
        "y0": Num(ASSUMED_FUND_YEARS[0], "year"),
        "y1": Num(ASSUMED_FUND_YEARS[1], "year"),
        "n": Num(n),
        "total": Num(total, "money"),
        "share": Num(frac, "percent", 1),
        "rest": Num(special - total, "money"),
        "years_to_match": Num(special / yearly, digits=1),
    }
    return Finding(total, "needs context", "元", special.low, numbers=numbers)


def _city_budget(v: Values) -> Finding:
    n = _fund_years()
    total = v.iv("city_budget_per_year") * n
    frac = total / v.iv("fiscal_special_funds")
    numbers = {
        "yearly": v.qty("city_budget_per_year"),
        "fiscal": v.qty("fiscal_special_funds"),
        "county": v.qty("county_budget_per_year"),
        "y0": Num(ASSUMED_FUND_YEARS[0], "year"),
        "y1": Num(ASSUMED_FUND_YEARS[1], "year"),
        "n": Num(n),
        "total": Num(total, "money"),
        "share": Num(frac, "percent", 1),
    }
    return Finding(total, "needs context", "元", numbers=numbers)


def _health_fund_per_person(v: Values) -> Finding:
    """The yearly health fund per registered poor person, against that person's net income."""
    per = v.iv("health_fund_per_year") / v.iv("poor_population")
    frac = per / v.iv("poor_income_2019")
    numbers = {
        "yearly": v.qty("health_fund_per_year"),
        "people": v.qty("poor_population"),
        "income": v.qty("poor_income_2019"),
        "income_year": Num(v.year("poor_income_2019"), "year"),
        "per": Num(Interval(round(per.low), round(per.high)), "money", 0),
        "share": Num(frac, "percent", 0),
    }
    return Finding(per, "needs context", "元/人", numbers=numbers)


#: Input of the county-budget check that is not an indicator: how many county-level divisions
#: the city has, counted in the boundary data (data/geo).
COUNTY_DIVISIONS = "county_divisions"


def _county_budget(v: Values) -> Finding:
    """Both readings of 县(区)投入保持在1亿元左右 over the assumed years, set against the fiscal
    special funds: what each leaves for the central and provincial transfers."""
    n = _fund_years()
    counties = v.iv(COUNTY_DIVISIONS)
    yearly = v.iv("county_budget_per_year")
    city = v.iv("city_budget_per_year") * n
    fiscal = v.iv("fiscal_special_funds")
    each = yearly * counties * n
    together = yearly * n
    numbers = {
        "county": v.qty("county_budget_per_year"),
        "city_yearly": v.qty("city_budget_per_year"),
        "fiscal": v.qty("fiscal_special_funds"),
        "counties": Num(counties),
        "y0": Num(ASSUMED_FUND_YEARS[0], "year"),
        "y1": Num(ASSUMED_FUND_YEARS[1], "year"),
        "n": Num(n),
        "city": Num(city, "money"),
        "each": Num(each, "money"),
        "together": Num(together, "money"),
        "left_each": Num(fiscal - city - each, "money"),
        "left_together": Num(fiscal - city - together, "money"),
    }
    return Finding(each, "needs context", "元", fiscal.low, numbers=numbers)


def _scattered_poor(v: Values) -> Finding:
    """小集中、大分散: the scattered poor per non-poor village against the poor per poor village."""
    people = v.iv("poor_population")
    scattered = v.iv("scattered_poor_share") / 100 * people
    per_scattered = scattered / v.iv("non_poor_villages_with_scattered_poor")
    per_poor_village = (people - scattered) / v.iv("poor_villages")
    fits = v.iv("scattered_poor_share").low > 50 and per_scattered.high < per_poor_village.low
    numbers = {
        "share": v.qty("scattered_poor_share"),
        "people": v.qty("poor_population"),
        "non_poor": v.qty("non_poor_villages_with_scattered_poor"),
        "villages": v.qty("poor_villages"),
        "scattered": Num(Interval(round(scattered.low, -2), round(scattered.high, -2))),
        "rest": Num(
            Interval(round(people.low - scattered.high, -2), round(people.high - scattered.low, -2))
        ),  # noqa: E501
        "per_scattered": Num(per_scattered, digits=0),
        "per_poor_village": Num(per_poor_village, digits=0),
    }
    verdict = "consistent" if fits else "inconsistent"
    return Finding(per_scattered, verdict, "人/村", per_poor_village.low, numbers=numbers)


CHECKS: tuple[Check, ...] = (
    Check(
        "funds_sum",
        ("fiscal_special_funds", "sectoral_special_funds", "special_funds_total"),
        _funds_sum,
        ("consistent", "inconsistent"),
    ),
    Check(
        "income_growth",
        ("poor_income_2013", "poor_income_2019", "poor_income_growth_stated"),
        _income_growth,
        ("consistent", "inconsistent"),
    ),
    Check(
        "support_overlap",
        ("industry_employment_support", "safety_net_support", "poor_population"),
        _support_overlap,
        ("not additive", "consistent"),
    ),
    Check(
        "industry_support_share",
        ("industry_employment_support", "poor_population", "safety_net_support"),
        _part_of_whole(
            "industry_employment_support", "poor_population", safety="safety_net_support"
        ),
        ("consistent", "inconsistent"),
    ),
    Check(
        "safety_net_share",
        ("safety_net_support", "poor_population"),
        _part_of_whole("safety_net_support", "poor_population"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "anyue_village_share",
        ("anyue_poor_villages", "poor_villages"),
        _part_of_whole("anyue_poor_villages", "poor_villages"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "anyue_people_share",
        ("anyue_registered_poor", "poor_population"),
        _part_of_whole("anyue_registered_poor", "poor_population"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "village_budget",
        ("village_budget_min", "poor_villages", "fiscal_special_funds"),
        _village_budget,
        ("needs context",),
    ),
    Check(
        "team_size",
        ("work_team_personnel", "village_work_teams", "poor_villages"),
        _team_size,
        ("consistent", "inconsistent"),
    ),
    Check(
        "assisting_units_per_village",
        ("assisting_units", "poor_villages"),
        _per_poor_village("assisting_units", at_least_one=True),
        ("consistent", "inconsistent"),
    ),
    Check(
        "first_secretaries_per_village",
        ("first_secretaries", "poor_villages", "non_poor_villages_with_scattered_poor"),
        _first_secretaries,
        ("consistent", "inconsistent"),
        ("sc_first_secretary_threshold", "sc_non_poor_village_first_secretaries"),
    ),
    Check(
        "leaders_per_village",
        ("leaders_coordinated", "poor_villages"),
        _per_poor_village("leaders_coordinated", at_least_one=False),
        ("needs context",),
    ),
    Check(
        "drought_citywide",
        ("full_drought_years", "multi_county_drought_years", "drought_record_years"),
        _drought("full_drought_years"),
        ("consistent", "needs context"),
    ),
    Check(
        "drought_multi_county",
        ("multi_county_drought_years", "full_drought_years", "drought_record_years"),
        _drought("multi_county_drought_years"),
        ("consistent", "needs context"),
    ),
    Check(
        "health_fund",
        (
            "health_fund_per_year",
            "special_funds_total",
            "fiscal_special_funds",
            "sectoral_special_funds",
        ),
        _health_fund,
        ("needs context",),
    ),
    Check(
        "city_budget",
        ("city_budget_per_year", "fiscal_special_funds", "county_budget_per_year"),
        _city_budget,
        ("needs context",),
    ),
)

CHECKS += (
    Check(
        "health_fund_per_person",
        ("health_fund_per_year", "poor_population", "poor_income_2019"),
        _health_fund_per_person,
        ("needs context",),
    ),
    Check(
        "county_budget_readings",
        (
            "county_budget_per_year",
            COUNTY_DIVISIONS,
            "city_budget_per_year",
            "fiscal_special_funds",
        ),
        _county_budget,
        ("needs context",),
    ),
    Check(
        "scattered_poor",
        (
            "scattered_poor_share",
            "poor_population",
            "non_poor_villages_with_scattered_poor",
            "poor_villages",
        ),
        _scattered_poor,
        ("consistent", "inconsistent"),
    ),
)

#: Every indicator id some check reads.
REQUIRED_IDS: tuple[str, ...] = tuple(
    dict.fromkeys(i for c in CHECKS for i in c.indicator_ids if i != COUNTY_DIVISIONS)
)


#: Every context figure some check reads.
CONTEXT_IDS: tuple[str, ...] = tuple(dict.fromkeys(i for c in CHECKS for i in c.context_ids))


def audit_inputs(
    ids: tuple[str, ...] | None = None, data_dir: str | PathLike[str] | None = None
) -> dict[str, Any]:
    """What the checks read (default: every check's inputs): indicators by id, context figures
    by context_id, and for `COUNTY_DIVISIONS` the county-level divisions counted in data/geo."""
    from ziyang_lib.truth.context import context_figure
    from ziyang_lib.truth.geo import load_counties
    from ziyang_lib.truth.loaders import indicator

    ids = (*REQUIRED_IDS, *CONTEXT_IDS, COUNTY_DIVISIONS) if ids is None else ids
    values: dict[str, Any] = {}
    for i in ids:
        if i == COUNTY_DIVISIONS:
            n = float(len(load_counties(data_dir)["features"]))
            values[i] = SimpleNamespace(id=i, value=n, low=n, high=n, qualifier="exact", unit="个")
        elif i in CONTEXT_IDS:
            values[i] = context_figure(i, data_dir)
        else:
            values[i] = indicator(i, data_dir=data_dir)
    return values


def verdict_key(verdict: str) -> str:
    """The catalogue key of a verdict ('not additive' → 'not_additive')."""
    return verdict.replace(" ", "_")


def check(check_id: str) -> Check:
    """The check `check_id`; KeyError if there is none."""
    found = next((c for c in CHECKS if c.check_id == check_id), None)
    if found is None:
        raise KeyError(f"no audit check {check_id!r}")
    return found


def run_check(check_id: str, data_dir: str | PathLike[str] | None = None) -> Finding:
    """Run one check on the indicators of `data_dir`."""
    c = check(check_id)
    return c.run(Values(audit_inputs((*c.indicator_ids, *c.context_ids), data_dir)))


def _row(check: Check, values: Values) -> dict[str, Any]:
    found = check.run(values)
    if found.verdict not in check.verdicts:
        raise AssertionError(f"{check.check_id} gave undeclared verdict {found.verdict!r}")
    return {
        "check_id": check.check_id,
        "computed": found.computed.low,
        "computed_low": found.computed.low,
        "computed_high": found.computed.high,
        "stated": found.stated,
        "tolerance": found.tolerance,
        "unit": found.unit,
        "verdict": found.verdict,
        "explanation_key": found.explanation or verdict_key(found.verdict),
        "indicator_ids": ",".join(i for i in check.indicator_ids if i != COUNTY_DIVISIONS),
        "numbers": found.numbers,
    }


def audit_from_values(values: Mapping[str, Any]) -> pd.DataFrame:
    """Run every check on `values` (indicator id → indicator-like object); one row per check."""
    vals = Values(values)
    frame = pd.DataFrame([_row(c, vals) for c in CHECKS], columns=list(COLUMNS))
    return frame.astype(
        {c: "float64" for c in ("computed", "computed_low", "computed_high", "stated", "tolerance")}
    )


def audit(data_dir: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Check the source's own arithmetic; one row per check (19 today), in `COLUMNS`.

    Indicators come from `data_dir` (default ``data/``). The claim and explanation of each check
    in either language are report text: `ziyang_lib.report.findings.audit_table`.
    """
    return audit_from_values(audit_inputs(data_dir=data_dir))
