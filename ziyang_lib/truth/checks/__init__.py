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

from collections.abc import Mapping
from os import PathLike
from types import SimpleNamespace
from typing import Any

import pandas as pd

from ziyang_lib.truth.checks.base import (
    ABOUT_HALF,
    ASSUMED_FUND_YEARS,
    COLUMNS,
    COUNTY_DIVISIONS,
    SAYING_SHARE,
    SAYING_TOLERANCE,
    VERDICTS,
    Check,
    Finding,
    Num,
    Phrase,
    Qty,
    Values,
    half_step,
)
from ziyang_lib.truth.checks.budget_checks import (
    city_budget,
    county_budget,
    health_fund,
    health_fund_per_person,
    scattered_poor,
)
from ziyang_lib.truth.checks.source_checks import (
    drought,
    first_secretaries,
    funds_sum,
    income_growth,
    part_of_whole,
    per_poor_village,
    support_overlap,
    team_size,
    village_budget,
)

__all__ = [
    "ABOUT_HALF", "ASSUMED_FUND_YEARS", "CHECKS", "COLUMNS", "CONTEXT_IDS", "COUNTY_DIVISIONS",
    "REQUIRED_IDS", "SAYING_SHARE", "SAYING_TOLERANCE", "VERDICTS", "Check", "Finding", "Num",
    "Phrase", "Qty", "Values", "audit", "audit_from_values", "audit_inputs", "check",
    "half_step", "run_check", "verdict_key",
]  # fmt: skip

CHECKS: tuple[Check, ...] = (
    Check(
        "funds_sum",
        ("fiscal_special_funds", "sectoral_special_funds", "special_funds_total"),
        funds_sum,
        ("consistent", "inconsistent"),
    ),
    Check(
        "income_growth",
        ("poor_income_2013", "poor_income_2019", "poor_income_growth_stated"),
        income_growth,
        ("consistent", "inconsistent"),
    ),
    Check(
        "support_overlap",
        ("industry_employment_support", "safety_net_support", "poor_population"),
        support_overlap,
        ("not additive", "consistent"),
    ),
    Check(
        "industry_support_share",
        ("industry_employment_support", "poor_population", "safety_net_support"),
        part_of_whole(
            "industry_employment_support", "poor_population", safety="safety_net_support"
        ),
        ("consistent", "inconsistent"),
    ),
    Check(
        "safety_net_share",
        ("safety_net_support", "poor_population"),
        part_of_whole("safety_net_support", "poor_population"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "anyue_village_share",
        ("anyue_poor_villages", "poor_villages"),
        part_of_whole("anyue_poor_villages", "poor_villages"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "anyue_people_share",
        ("anyue_registered_poor", "poor_population"),
        part_of_whole("anyue_registered_poor", "poor_population"),
        ("consistent", "inconsistent"),
    ),
    Check(
        "village_budget",
        ("village_budget_min", "poor_villages", "fiscal_special_funds"),
        village_budget,
        ("needs context",),
    ),
    Check(
        "team_size",
        ("work_team_personnel", "village_work_teams", "poor_villages"),
        team_size,
        ("consistent", "inconsistent"),
    ),
    Check(
        "assisting_units_per_village",
        ("assisting_units", "poor_villages"),
        per_poor_village("assisting_units", at_least_one=True),
        ("consistent", "inconsistent"),
    ),
    Check(
        "first_secretaries_per_village",
        ("first_secretaries", "poor_villages", "non_poor_villages_with_scattered_poor"),
        first_secretaries,
        ("consistent", "inconsistent"),
        ("sc_first_secretary_threshold", "sc_non_poor_village_first_secretaries"),
    ),
    Check(
        "leaders_per_village",
        ("leaders_coordinated", "poor_villages"),
        per_poor_village("leaders_coordinated", at_least_one=False),
        ("needs context",),
    ),
    Check(
        "drought_citywide",
        ("full_drought_years", "multi_county_drought_years", "drought_record_years"),
        drought("full_drought_years"),
        ("consistent", "needs context"),
    ),
    Check(
        "drought_multi_county",
        ("multi_county_drought_years", "full_drought_years", "drought_record_years"),
        drought("multi_county_drought_years"),
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
        health_fund,
        ("needs context",),
    ),
    Check(
        "city_budget",
        ("city_budget_per_year", "fiscal_special_funds", "county_budget_per_year"),
        city_budget,
        ("needs context",),
    ),
)

CHECKS += (
    Check(
        "health_fund_per_person",
        ("health_fund_per_year", "poor_population", "poor_income_2019"),
        health_fund_per_person,
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
        county_budget,
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
        scattered_poor,
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
