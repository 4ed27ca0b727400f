"""Drift tests: the curated tables in data/ still agree with the raw source and the extractor.

If the extractor changes, these fail and mentions.csv must be regenerated from
``load_source().quantities()`` (keeping each mention's indicator or exclusion reason).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from ziyang_lib import extract_quantities, load_source
from ziyang_lib.truth.loaders import load_events, load_glossary, load_indicators, load_mentions

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FRICTIONLESS = [sys.executable, "-m", "frictionless"]  # the CLI of the running environment
BOUNDS = ("value", "low", "high")

# The ids other modules (audit, charts, sentences) code against.
CONTRACT_IDS = """
poor_villages poor_population scattered_poor_share non_poor_villages_with_scattered_poor
anyue_poor_villages anyue_non_poor_villages anyue_registered_poor leaders_coordinated
assisting_units work_team_personnel village_work_teams paired_cadres first_secretaries
poor_income_2013 poor_income_2019 poor_income_growth_stated special_funds_total
fiscal_special_funds sectoral_special_funds liushibao_distance dual_expressway_year
first_class_highway_year drought_record_years full_drought_years multi_county_drought_years
illness_poverty_share village_budget_min roads_built water_projects new_agri_entities
specialty_agri_area industry_employment_support safety_net_support relocated_people
houses_renovated pupils_no_dropout out_of_pocket_share_max sector_plans_per_year
city_budget_per_year county_budget_per_year health_fund_per_year
""".split()


def same(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return math.isclose(float(a), float(b), rel_tol=1e-9)


def text(x: object) -> str:
    return "" if pd.isna(x) else str(x)


def spans(frame: pd.DataFrame) -> set[tuple[int, int, str]]:
    rows = zip(frame.start, frame.end, frame.raw, strict=True)
    return {(int(s), int(e), str(r)) for s, e, r in rows}


def test_every_extracted_number_is_in_mentions_and_vice_versa() -> None:
    found = spans(load_source().quantities())
    listed = spans(load_mentions())
    assert not found - listed, (
        f"numbers the extractor finds but mentions.csv lacks: {found - listed}"
    )
    assert not listed - found, f"mentions.csv rows the extractor no longer finds: {listed - found}"


def test_each_mention_agrees_with_its_extraction_in_context() -> None:
    found = load_source().quantities().set_index("start")
    for row in load_mentions().itertuples():
        src = found.loc[row.start]
        for column in (*BOUNDS, "qualifier", "kind", "unit", "part", "paragraph"):
            mine, theirs = getattr(row, column), src[column]
            ok = same(mine, theirs) if column in BOUNDS else text(mine) == text(theirs)
            assert ok, f"mention at {row.start} ({row.raw}): {column} {mine!r} != {theirs!r}"


def test_each_linked_span_re_extracts_to_its_indicator() -> None:
    """The span alone, run through the extractor, gives the indicator's value and bounds."""
    raw = load_source().raw
    facts = load_indicators().set_index("id")
    linked = load_mentions().dropna(subset=["indicator_id"])
    for row in linked.itertuples():
        again = extract_quantities(raw[row.start : row.end])
        assert len(again) == 1, f"{row.raw!r} re-extracts to {len(again)} numbers"
        fact = facts.loc[row.indicator_id]
        for column in BOUNDS:
            assert same(again.iloc[0][column], fact[column]), (
                f"{row.raw!r} → {column} {again.iloc[0][column]} but {row.indicator_id} has "
                f"{fact[column]}"
            )
        assert again.iloc[0]["qualifier"] == fact["qualifier"], row.raw


def test_no_indicator_lacks_a_mention() -> None:
    stated = set(load_mentions()["indicator_id"].dropna())
    missing = set(load_indicators()["id"]) - stated
    assert not missing, f"indicators never stated in the source: {sorted(missing)}"


def test_contract_ids_exist() -> None:
    ids = set(load_indicators()["id"])
    assert not set(CONTRACT_IDS) - ids, sorted(set(CONTRACT_IDS) - ids)


def test_repeated_facts_are_counted_once_with_every_mention() -> None:
    counts = load_mentions()["indicator_id"].value_counts()
    # mentioned 3× and 2× in the source (lead, assistance paragraph, 全市23.6万建档立卡贫困人口)
    assert counts["poor_villages"] == 3
    assert counts["poor_population"] == 2
    assert counts["village_work_teams"] == 2
    assert counts["non_poor_villages_with_scattered_poor"] == 2


def test_excluded_mentions_say_why() -> None:
    men = load_mentions()
    excluded = men[men["indicator_id"].isna()]
    assert excluded["excluded_reason"].str.len().min() >= 15
    # footer and header numbers are never facts
    outside = men[men["part"].isin(["header", "footer"])]
    assert outside["indicator_id"].isna().all() and len(outside) >= 6


# (term, longer term containing it that is a different word)
DIFFERENT_WORDS = [("五个一", "五个一批"), ("三个一", "三个一批")]


def _inside(raw: str, term: str, at: int, longer: list[str]) -> bool:
    return any(raw.startswith(t, at - t.index(term)) for t in longer)


def _occurrences(text: str, term: str, before: int) -> list[int]:
    found, i = [], text.find(term)
    while 0 <= i < before:
        found.append(i)
        i = text.find(term, i + 1)
    return found


def test_glossary_spans_hold_their_term() -> None:
    raw = load_source().raw
    for row in load_glossary().itertuples():
        text = raw[row.start : row.end]
        if row.term in raw:
            assert text == row.term, f"{row.term}: span holds {text!r}"
            # 五个一 inside 五个一批 is another word, not a mention (两不愁 in 两不愁三保障 is one)
            longer = [t for short, t in DIFFERENT_WORDS if short == row.term]

            assert not _inside(raw, row.term, row.start, longer), f"{row.term}: inside another word"
            earlier = [
                i
                for i in _occurrences(raw, row.term, row.start)
                if not _inside(raw, row.term, i, longer)
            ]
            assert not earlier, f"{row.term}: an earlier mention exists at {earlier}"
        else:
            pattern = ".*".join(map(re.escape, row.term))
            assert re.search(pattern, text), f"{row.term}: span holds {text!r}"


def _glossary_categories() -> list[str]:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    glossary = next(r for r in package["resources"] if r["name"] == "glossary")
    field = next(f for f in glossary["schema"]["fields"] if f["name"] == "category")
    return field["constraints"]["enum"]


def test_glossary_categories_are_few_used_and_labelled_in_both_languages() -> None:
    from ziyang_lib.report.text import t

    declared = _glossary_categories()
    assert 3 <= len(declared) <= 10 and len(set(declared)) == len(declared)
    used = load_glossary()["category"]
    assert used.notna().all()
    assert set(used) == set(declared), f"declared but unused: {set(declared) - set(used)}"
    for category in declared:
        zh, en = t(f"glossary.category.{category}", "zh"), t(f"glossary.category.{category}", "en")
        assert re.search(r"[\u4e00-\u9fff]", zh) and en.isascii() and en[0].isupper()


def test_the_two_social_campaigns_are_explained_as_campaigns() -> None:
    glossary = load_glossary().set_index("term")
    raw = load_source().raw
    # 脱贫攻坚--“人大代表再行动”、政协委员“我为扶贫攻坚做件事” (paragraph on social assistance)
    for term in ("人大代表再行动", "我为扶贫攻坚做件事"):
        row = glossary.loc[term]
        assert row["category"] == "campaign"
        assert raw[row["start"] : row["end"]] == term and raw.count(term) == 1
        # the text only names them: the explanations must say so, not invent content
        assert "未说明" in row["explanation_zh"] and "does not describe" in row["explanation_en"]


def test_stated_event_dates_are_in_their_span() -> None:
    raw = load_source().raw
    for row in load_events().itertuples():
        text = raw[row.start : row.end]
        if row.date_basis == "stated":
            assert row.date[:4] in text, f"{row.event_id}: {row.date} not in {text!r}"
        else:
            assert not pd.isna(row.date_note_en) and not pd.isna(row.date_note_zh)


def test_data_package_hash_is_the_raw_file_hash() -> None:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    text = next(r for r in package["resources"] if r["name"] == "source-text")
    assert text["hash"] == "sha256:" + load_source().sha256


def test_frictionless_validates_the_data_package() -> None:
    result = _frictionless(DATA / "datapackage.json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_frictionless_catches_a_changed_source(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(DATA, tmp_path / "data"))
    raw = next((copy / "raw").glob("*.txt"))
    raw.write_text(raw.read_text(encoding="utf-8").replace("325个", "326个", 1), encoding="utf-8")
    result = _frictionless(copy / "datapackage.json")
    assert result.returncode != 0
    assert "hash" in result.stdout


def _frictionless(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FRICTIONLESS, "validate", str(package)],
        capture_output=True,
        text=True,
        cwd=package.parent,
        timeout=300,
    )
