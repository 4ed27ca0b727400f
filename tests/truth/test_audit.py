"""Tests for the audit (ziyang_lib.truth.checks, worded by ziyang_lib.report.findings):
verdicts on the real data, arithmetic redone here from indicator()
values, catalogue texts filled in, and verdicts that flip when a figure is altered."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

import ziyang_lib
from ziyang_lib.report.findings import audit_table as audit
from ziyang_lib.report.findings import audit_table_from_values as audit_from_values
from ziyang_lib.report.provenance import resolve
from ziyang_lib.report.text import LANGS, t
from ziyang_lib.truth.checks import (
    ASSUMED_FUND_YEARS,
    CHECKS,
    VERDICTS,
    audit_inputs,
    half_step,
    verdict_key,
)
from ziyang_lib.truth.loaders import indicator, load_indicators
from ziyang_lib.truth.metrics import DEFAULT_TOL

FIELDS = ("id", "value", "low", "high", "unit", "unit_en", "qualifier", "period")


@pytest.fixture(scope="module")
def frame():
    return audit().set_index("check_id")


@pytest.fixture(scope="module")
def values():
    return audit_inputs()


def v(ind_id: str) -> float:
    return indicator(ind_id).value


def altered(values, ind_id: str, value: float):
    """A copy of `values` where the exact figure `ind_id` is `value`."""
    ind = values[ind_id]
    fields = {f: getattr(ind, f) for f in FIELDS}
    fields.update(value=value, low=value, high=value)
    return {**values, ind_id: SimpleNamespace(**fields)}


def verdict_of(values, check_id: str) -> str:
    return audit_from_values(values).set_index("check_id").loc[check_id, "verdict"]


# --- the required checks on the real data ----------------------------------------------------


@pytest.mark.parametrize(
    ("check_id", "verdict"),
    [
        ("funds_sum", "consistent"),
        ("income_growth", "consistent"),
        ("support_overlap", "not additive"),
        ("anyue_village_share", "consistent"),
        ("anyue_people_share", "consistent"),
        ("village_budget", "needs context"),
        ("team_size", "consistent"),
        ("drought_citywide", "needs context"),
        ("drought_multi_county", "consistent"),
        ("health_fund", "needs context"),
        ("health_fund_per_person", "needs context"),
        ("county_budget_readings", "needs context"),
        ("scattered_poor", "consistent"),
    ],
)
def test_required_verdicts(frame, check_id, verdict):
    assert frame.loc[check_id, "verdict"] == verdict


def test_funds_sum_arithmetic(frame):
    row = frame.loc["funds_sum"]
    assert row.computed == v("fiscal_special_funds") + v("sectoral_special_funds")
    assert row.stated == v("special_funds_total")
    # three figures given to 0.01亿 (1e6 yuan): each may be off by half of that
    assert row.tolerance == pytest.approx(3 * 0.005e8)
    assert row.unit == "元"


def test_income_growth_arithmetic(frame):
    start, end = indicator("poor_income_2013"), indicator("poor_income_2019")
    years = int(end.period) - int(start.period)
    assert years == 6
    rate = ((end.value / start.value) ** (1 / years) - 1) * 100
    row = frame.loc["income_growth"]
    assert row.computed == pytest.approx(rate)
    assert row.stated == v("poor_income_growth_stated")
    assert row.tolerance == pytest.approx(0.05)  # half of the stated 0.1 pp
    assert round(rate, 1) == row.stated  # the stated rate is the compound rate, rounded
    assert "19.15%" in row.explanation_en and "19.2%" in row.explanation_en


def test_support_overlap_arithmetic(frame):
    row = frame.loc["support_overlap"]
    total = v("industry_employment_support") + v("safety_net_support")
    assert row.computed == total
    assert row.stated == v("poor_population")
    overlap = total - v("poor_population")
    assert overlap == 10_000
    assert "10,000" in row.explanation_en and "1万" in row.explanation_zh
    # rounding of 19万 (to 1万), 5.6万 and 23.6万 (to 0.1万) can hide 5000 + 500 + 500 people
    assert row.tolerance == 6_000
    assert "4,000" in row.explanation_en


@pytest.mark.parametrize(
    ("check_id", "part", "whole"),
    [
        ("anyue_village_share", "anyue_poor_villages", "poor_villages"),
        ("anyue_people_share", "anyue_registered_poor", "poor_population"),
        ("industry_support_share", "industry_employment_support", "poor_population"),
        ("safety_net_share", "safety_net_support", "poor_population"),
    ],
)
def test_share_arithmetic(frame, check_id, part, whole):
    row = frame.loc[check_id]
    assert row.computed == pytest.approx(v(part) / v(whole) * 100)
    assert row.unit == "%" and math.isnan(row.stated)


def test_anyue_holds_about_half_of_both(frame):
    village, people = frame.loc["anyue_village_share"], frame.loc["anyue_people_share"]
    assert village.computed == pytest.approx(49.8, abs=0.05)
    assert people.computed == pytest.approx(50.4, abs=0.05)
    for row in (village, people):
        assert "about half" in row.explanation_en and "约为一半" in row.explanation_zh
    # the industry share is not about half, so it must not say so
    assert "half" not in frame.loc["industry_support_share", "explanation_en"]


def test_village_budget_arithmetic(frame):
    row = frame.loc["village_budget"]
    minimum = v("village_budget_min") * v("poor_villages")
    assert row.computed == minimum == 6.5e8
    assert row.computed_high == math.inf  # 不低于: a lower bound only
    share = minimum / v("fiscal_special_funds") * 100
    assert f"{share:.1f}%" == "26.5%"
    assert "26.5%以上" in row.explanation_zh and "at least 26.5%" in row.explanation_en


def test_team_size_arithmetic(frame):
    row = frame.loc["team_size"]
    assert row.computed == v("work_team_personnel") / v("village_work_teams") == 3
    assert v("village_work_teams") == v("poor_villages")


def test_drought_reads_the_past_55_years_and_states_the_other_reading(frame):
    """近55年 framing its clause is the past 55 years: the record is 55, a point; read as
    'nearly 55 years' it could be up to 5 % shorter, never shorter than 52 drought years."""
    record = indicator("drought_record_years")
    assert (record.qualifier, record.value) == ("exact", 55)
    shortest = max(record.value * (1 - DEFAULT_TOL["nearly"]), v("multi_county_drought_years"))
    for check_id, years in (
        ("drought_citywide", "full_drought_years"),
        ("drought_multi_county", "multi_county_drought_years"),
    ):
        row = frame.loc[check_id]
        assert row.computed_low == row.computed_high == pytest.approx(v(years) / 55 * 100)
        assert row.stated == 90 and row.tolerance == 5
        alt = row.numbers["share_alt"].value
        assert alt.low == pytest.approx(v(years) / 55)
        assert alt.high == pytest.approx(v(years) / shortest)
    assert frame.loc["drought_citywide"].computed_high < 85  # 43/55 ≈ 78.2%


def test_multi_county_drought_fits_the_saying_on_the_past_reading(frame):
    """52 of the past 55 years is 94.5%, inside 85%–95%; 'nearly 55' (52.25–55) would give
    94.5%–99.5%, partly above it, and the explanation says so."""
    row = frame.loc["drought_multi_county"]
    assert 85 < row.computed_low < 95 and row.verdict == "consistent"
    assert "52 years ÷ 55 years = 94.5%, within" in row.explanation_en
    assert "94.5%–99.5%, partly outside it" in row.explanation_en
    assert "94.5%—99.5%，部分超出此范围" in row.explanation_zh
    citywide = frame.loc["drought_citywide"]
    assert "78.2%–82.3%, outside it as well" in citywide.explanation_en


def test_drought_verdicts_follow_where_the_share_falls(values):
    # 49 of 55 years is 89.1%: within 85%–95%, and still within on the 'nearly' reading
    inside = altered(values, "multi_county_drought_years", 49)
    row = audit_from_values(inside).set_index("check_id").loc["drought_multi_county"]
    assert row.verdict == "consistent" and "89.1%–93.8%, still within it" in row.explanation_en
    # 40 of them is 72.7%: outside
    outside = altered(values, "multi_county_drought_years", 40)
    row = audit_from_values(outside).set_index("check_id").loc["drought_multi_county"]
    assert row.verdict == "needs context" and "outside" in row.explanation_en
    # a record that is itself 'nearly 55' (52.25–55) puts 52 years only partly in the band
    nearly = {**values, "drought_record_years": SimpleNamespace(
        id="drought_record_years", value=55.0, low=math.nan, high=55.0, unit="年",
        unit_en="years", qualifier="nearly", period="")}  # fmt: skip
    row = audit_from_values(nearly).set_index("check_id").loc["drought_multi_county"]
    assert row.verdict == "needs context" and row.explanation_key == "partly"
    assert "54.7–55 years" in row.explanation_en and "54.7—55年" in row.explanation_zh


def test_first_secretaries_surplus_cites_sichuans_rule_from_the_context_figures(frame):
    from ziyang_lib.truth.context import context_figure

    row = frame.loc["first_secretaries_per_village"]
    threshold = context_figure("sc_first_secretary_threshold")
    sent = context_figure("sc_non_poor_village_first_secretaries")
    assert threshold.url.startswith("http://www.sc.gov.cn/")  # the provincial government's site
    assert row.numbers["surplus"].value.low == v("first_secretaries") - v("poor_villages")
    assert f"{int(threshold.value)} or more registered poor households" in row.explanation_en
    assert f"{int(sent.value):,} were sent province-wide" in row.explanation_en
    assert f"{int(threshold.value)}户以上建档立卡贫困户的非贫困村" in row.explanation_zh
    assert "rotation" in row.explanation_en  # what the text leaves open is still said


def test_health_fund_per_poor_person_is_a_third_of_their_income(frame):
    """5–7亿 ÷ 23.6万 ≈ 2,119–2,966 yuan a year, 30–43% of 2019 net income: insurance money."""
    row = frame.loc["health_fund_per_person"]
    people, income = v("poor_population"), v("poor_income_2019")
    assert row.computed_low == pytest.approx(5e8 / people)
    assert row.computed_high == pytest.approx(7e8 / people)
    share = row.numbers["share"].value
    assert share.low == pytest.approx(5e8 / people / income)
    assert 0.30 < share.low < share.high < 0.43
    assert "2119—2966元" in row.explanation_zh and "30%—43%" in row.explanation_zh
    assert "health-insurance premiums" in row.explanation_en


def test_county_budget_read_per_county_leaves_almost_nothing_for_transfers(frame):
    """3 counties × about 1亿 × 6 years plus the city's 5000–10000万 a year leave at most ~5亿
    of the 24.52亿 fiscal funds; read as all counties together, 12–16亿 remain."""
    row = frame.loc["county_budget_readings"]
    n = ASSUMED_FUND_YEARS[1] - ASSUMED_FUND_YEARS[0] + 1
    counties = row.numbers["counties"].value
    assert counties.low == counties.high == 3  # the county-level divisions of data/geo
    each = row.numbers["each"].value
    assert each.low == pytest.approx(1e8 * 0.9 * 3 * n) and each.high == pytest.approx(
        1e8 * 1.1 * 3 * n
    )
    fiscal = v("fiscal_special_funds")
    left_each, left_together = row.numbers["left_each"].value, row.numbers["left_together"].value
    assert left_each.low < 0 < left_each.high < fiscal / 4
    assert left_together.low == pytest.approx(fiscal - 1e8 * n - 1e8 * 1.1 * n)
    assert "favours the combined reading" in row.explanation_en


def test_scattered_poor_per_village_fits_small_concentration_wide_dispersion(frame):
    row = frame.loc["scattered_poor"]
    scattered = v("scattered_poor_share") / 100 * v("poor_population")
    assert row.computed_low == pytest.approx(scattered / v("non_poor_villages_with_scattered_poor"))
    per_poor = (v("poor_population") - scattered) / v("poor_villages")
    assert row.stated == pytest.approx(per_poor)
    assert 85 < row.computed_low < 95 and 260 < row.stated < 275
    assert "约90人" in row.explanation_zh and "约268人" in row.explanation_zh


def test_scattered_poor_flips_when_the_scattered_are_a_minority(values):
    assert verdict_of(altered(values, "scattered_poor_share", 40), "scattered_poor") == (
        "inconsistent"
    )


def test_village_budget_names_who_pays_but_not_the_fund_or_years(frame):
    row = frame.loc["village_budget"]
    assert "county and district finance carries the main responsibility" in row.explanation_en
    assert "县（区）级财政承担主体保障责任" in row.explanation_zh
    assert "which level of government pays" not in row.explanation_en
    assert "which kind of fund" in row.explanation_en and "which years" in row.explanation_en


def test_industry_share_points_at_the_safety_net_group(frame):
    row = frame.loc["industry_support_share"]
    rest = v("poor_population") - v("industry_employment_support")
    assert rest == 46_000 < v("safety_net_support") == 56_000
    assert "56,000 people" in row.explanation_en and "46,000" in row.explanation_en
    assert "5.6万人" in row.explanation_zh and "4.6万" in row.explanation_zh
    assert "does not say how the other" not in row.explanation_en


def test_health_fund_interval_arithmetic(frame):
    row = frame.loc["health_fund"]
    health = indicator("health_fund_per_year")
    assert health.qualifier == "range"
    n = ASSUMED_FUND_YEARS[1] - ASSUMED_FUND_YEARS[0] + 1
    assert row.computed_low == health.low * n == 3e9
    assert row.computed_high == health.high * n == 4.2e9
    assert row.stated == v("special_funds_total")
    # the explanation says the total exceeds each of the two components
    assert row.computed_low > v("fiscal_special_funds") > v("sectoral_special_funds")
    assert "63.3%" in row.explanation_en and "88.7%" in row.explanation_en


def test_per_village_checks(frame):
    assert frame.loc["assisting_units_per_village", "computed"] == pytest.approx(445 / 325)
    assert frame.loc["first_secretaries_per_village", "computed"] == pytest.approx(825 / 325)
    assert frame.loc["leaders_per_village", "verdict"] == "needs context"
    city = frame.loc["city_budget"]
    n = ASSUMED_FUND_YEARS[1] - ASSUMED_FUND_YEARS[0] + 1
    assert (city.computed_low, city.computed_high) == (5e7 * n, 1e8 * n)


# --- shape and texts -------------------------------------------------------------------------


def test_every_row_is_complete(frame):
    known = set(load_indicators()["id"])
    assert frame.index.is_unique and len(frame) == len(CHECKS) >= 8
    for check_id, row in frame.iterrows():
        assert row.verdict in VERDICTS
        for col in ("claim_zh", "claim_en", "explanation_zh", "explanation_en"):
            text = row[col]
            assert isinstance(text, str) and text.strip(), (check_id, col)
            assert not re.search(r"[{}]", text), (check_id, col, text)
        assert re.search(r"[\u4e00-\u9fff]", row.explanation_zh)
        assert not re.search(r"[\u4e00-\u9fff]", row.explanation_en), row.explanation_en
        ids = row.indicator_ids.split(",")
        assert ids and set(ids) <= known  # indicators only (the county count is no indicator)
        assert row.computed_low <= row.computed <= row.computed_high


def test_catalogue_has_every_declared_verdict_in_both_languages():
    for check in CHECKS:
        for lang in LANGS:
            assert t(f"audit.checks.{check.check_id}.claim", lang)
            for verdict in check.verdicts:
                assert verdict in VERDICTS
                assert t(f"audit.checks.{check.check_id}.{verdict_key(verdict)}", lang)
    for verdict in VERDICTS:
        assert t(f"audit.verdict.{verdict_key(verdict)}", "zh") != verdict


def test_lang_adds_columns_in_that_language():
    en = audit(lang="en")
    assert (en["claim"] == en["claim_en"]).all()
    assert (en["explanation"] == en["explanation_en"]).all()
    zh = audit(lang="zh")
    assert zh.loc[zh.check_id == "support_overlap", "verdict_label"].item() == "不可相加"
    assert "claim" not in audit().columns
    assert "claim_en" not in ziyang_lib.audit().columns  # the truth layer's audit has no words
    with pytest.raises(ValueError, match="lang"):
        audit(lang="fr")


def test_half_step_reads_the_stated_precision():
    assert half_step(2_452_000_000) == 500_000  # 24.52亿 → 0.01亿
    assert half_step(19.2) == pytest.approx(0.05)
    assert half_step(2435) == 0.5
    assert half_step(236_000) == 500
    assert half_step(190_000) == 5_000
    assert half_step(0) == 0


# --- verdicts follow the numbers -------------------------------------------------------------


def test_altered_fund_flips_the_sum_to_inconsistent(values):
    assert verdict_of(values, "funds_sum") == "consistent"
    bad = altered(values, "fiscal_special_funds", 2_462_000_000)  # 24.62亿: off by 0.1亿
    out = audit_from_values(bad).set_index("check_id").loc["funds_sum"]
    assert out.verdict == "inconsistent"
    assert out.computed == 2_462_000_000 + v("sectoral_special_funds")
    # the numbers in the texts come from the values, not from the catalogue
    assert "24.62亿元" in out.explanation_zh and "47.46亿元" in out.explanation_zh
    assert "10 million yuan" in out.explanation_en  # the gap: 47.46亿 − 47.36亿


def test_a_gap_within_rounding_stays_consistent(values):
    # 24.53 + 22.84 = 47.37 vs 47.36: 0.01亿 apart, less than the 0.015亿 rounding allows
    near = altered(values, "fiscal_special_funds", 2_453_000_000)
    assert verdict_of(near, "funds_sum") == "consistent"


def test_other_verdicts_flip_with_the_numbers(values):
    assert verdict_of(altered(values, "poor_income_growth_stated", 19.3), "income_growth") == (
        "inconsistent"
    )
    # 19万 + 4.6万 = 23.6万: no longer more than the whole
    assert verdict_of(altered(values, "safety_net_support", 46_000), "support_overlap") == (
        "consistent"
    )
    assert verdict_of(altered(values, "anyue_poor_villages", 400), "anyue_village_share") == (
        "inconsistent"
    )
    assert verdict_of(altered(values, "village_work_teams", 300), "team_size") == "inconsistent"
    # 40 of the past 55 years (72.7%) is not "nine in ten"
    drought = altered(values, "multi_county_drought_years", 40)
    assert verdict_of(drought, "drought_multi_county") == "needs context"


def test_missing_indicator_is_named(values):
    partial = {k: x for k, x in values.items() if k != "poor_villages"}
    with pytest.raises(KeyError, match="poor_villages"):
        audit_from_values(partial)


def test_public_entry_point_in_a_fresh_process():
    code = (
        # importing the submodule first must not matter
        "from ziyang_lib.truth.checks import VERDICTS\n"
        "import ziyang_lib as z\n"
        "print(z.audit().verdict.value_counts().to_dict())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    counts = eval(out.stdout)  # a dict literal printed by the child
    assert counts["not additive"] == 1 and counts["consistent"] >= 5
    assert sum(counts.values()) == len(CHECKS)


# --- provenance of printed numbers -----------------------------------------------------------

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def test_every_printed_number_has_a_resolvable_source(frame):
    for check_id, row in frame.iterrows():
        for lang in LANGS:
            pairs = row[f"numbers_{lang}"]
            text = row[f"claim_{lang}"] + " " + row[f"explanation_{lang}"]
            for printed, source in pairs:
                assert printed in text, (check_id, lang, printed)  # no unused numbers
                assert resolve(source, lang) == printed  # the one resolver gives it back
                if not source.startswith("audit("):
                    assert indicator(source).id == source
            # every number in the texts comes from one of the listed numbers
            listed = {n for printed, _ in pairs for n in NUMBER.findall(printed)}
            assert set(NUMBER.findall(text)) <= listed, (check_id, lang)


def test_resolve_rejects_unknown_sources():
    with pytest.raises(ValueError, match="not a provenance source"):
        resolve("audit funds_sum", "en")
    with pytest.raises(KeyError, match="no_such_check"):
        resolve("audit(no_such_check.x)", "en")
    with pytest.raises(KeyError, match="nope"):
        resolve("audit(funds_sum.nope)", "en")
