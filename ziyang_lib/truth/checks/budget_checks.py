"""Checks on the money the source states over years it does not give: the health fund, the city
and county budgets (over `ASSUMED_FUND_YEARS`), the health fund per poor person, and where the
poor lived (scattered against concentrated)."""

from __future__ import annotations

from ziyang_lib.truth.checks.base import (
    ASSUMED_FUND_YEARS,
    COUNTY_DIVISIONS,
    Finding,
    Interval,
    Num,
    Values,
    fund_years,
)


def health_fund(v: Values) -> Finding:
    yearly = v.iv("health_fund_per_year")
    n = fund_years()
    total = yearly * n
    special = v.iv("special_funds_total")
    frac = total / special
    numbers = {
        "yearly": v.qty("health_fund_per_year"),
        "special": v.qty("special_funds_total"),
        "fiscal": v.qty("fiscal_special_funds"),
        "sectoral": v.qty("sectoral_special_funds"),
        **_over_the_years(n, total, frac),
        "rest": Num(special - total, "money"),
        "years_to_match": Num(special / yearly, digits=1),
    }
    return Finding(total, "needs context", "元", special.low, numbers=numbers)


def _over_the_years(n: int, total: Interval | float, share: Interval | float) -> dict[str, Num]:
    """The numbers every "a yearly amount over the assumed years" explanation prints."""
    return {
        "y0": Num(ASSUMED_FUND_YEARS[0], "year"),
        "y1": Num(ASSUMED_FUND_YEARS[1], "year"),
        "n": Num(n),
        "total": Num(total, "money"),
        "share": Num(share, "percent", 1),
    }


def city_budget(v: Values) -> Finding:
    n = fund_years()
    total = v.iv("city_budget_per_year") * n
    frac = total / v.iv("fiscal_special_funds")
    numbers = {
        "yearly": v.qty("city_budget_per_year"),
        "fiscal": v.qty("fiscal_special_funds"),
        "county": v.qty("county_budget_per_year"),
        **_over_the_years(n, total, frac),
    }
    return Finding(total, "needs context", "元", numbers=numbers)


def health_fund_per_person(v: Values) -> Finding:
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


def county_budget(v: Values) -> Finding:
    """Both readings of 县(区)投入保持在1亿元左右 over the assumed years, set against the fiscal
    special funds: what each leaves for the central and provincial transfers."""
    n = fund_years()
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


def scattered_poor(v: Values) -> Finding:
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
