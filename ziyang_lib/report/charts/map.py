"""County map: Anyue against the rest of Ziyang, as the source states it (issue 5).

The source gives poor villages and registered poor for the whole city and for Anyue only, so
Yanjiang and Lezhi are coloured as one group carrying the combined remainder (city − Anyue), never
a per-county split. Drawn with ``go.Scattergeo`` filled polygons on a hidden basemap: a
``go.Choropleth`` with GeoJSON makes plotly.js fetch a world topojson from its CDN (even with
``visible=False``), which fails offline; filled lon/lat polygons need nothing from the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from ziyang_lib.report import fmt, theme
from ziyang_lib.report.charts.registry import chart
from ziyang_lib.report.text import check_lang, t
from ziyang_lib.truth import geo
from ziyang_lib.truth.records import Records

ANYUE = "512021"
REST = ("512002", "512022")  # 雁江区, 乐至县: not split by the source
MEASURES: dict[str, tuple[str, str]] = {
    # measure → (city indicator, Anyue indicator)
    "villages": ("poor_villages", "anyue_poor_villages"),
    "people": ("poor_population", "anyue_registered_poor"),
}
GROUP_COLORS = {"anyue": theme.COLORS["stated"], "rest": theme.COLORS["accent"]}
MAP_HEIGHT = 320
DRAWN_DECIMALS = 4  # of a degree: about 11 m, the boundaries are illustrative anyway
PAGES = ("00_overview", "01_party_leadership")  # the map is shown on both


@dataclass(frozen=True)
class Split:
    """One measure split as the source allows: Anyue, and the city minus Anyue."""

    measure: str
    total: Any
    anyue: Any
    rest: fmt.Quantity


def split(measure: str, data: Mapping[str, Any]) -> Split:
    """Anyue's stated figure and the derived remainder (city − Anyue) for `measure`."""
    city_id, anyue_id = MEASURES[measure]
    total, anyue = data[city_id], data[anyue_id]
    if total.qualifier != "exact" or anyue.qualifier != "exact" or total.unit != anyue.unit:
        raise ValueError(f"{city_id} and {anyue_id} must be exact and in the same unit")
    rest = fmt.Quantity(
        value=float(total.value) - float(anyue.value),
        unit=total.unit,
        unit_en=total.unit_en,
        qualifier="exact",
    )
    return Split(measure, total, anyue, rest)


def _ring_lonlat(polygons: list) -> tuple[list[float | None], list[float | None]]:
    """Exterior rings as one lon/lat path, None between parts, wound clockwise for d3-geo.

    The GeoJSON stores exteriors counter-clockwise (RFC 7946); d3-geo, which draws plotly's geo
    fills, reads a counter-clockwise ring as "everything but the county". Points are drawn to
    `DRAWN_DECIMALS` (about 11 m, far below a pixel of this map), which keeps the page light.
    """
    lon: list[float | None] = []
    lat: list[float | None] = []
    for polygon in polygons:
        for x, y in reversed(polygon[0]):
            lon.append(round(x, DRAWN_DECIMALS))
            lat.append(round(y, DRAWN_DECIMALS))
        lon.append(None)
        lat.append(None)
    return lon[:-1], lat[:-1]


def _names(splits: list[Split], lang: str) -> dict[str, str]:
    """Legend names per group: both measures, Anyue's stated and the rest's derived."""
    by = {s.measure: s for s in splits}
    return {
        group: t(
            f"map.group.{group}",
            lang,
            villages=fmt.quantity(getattr(by["villages"], group), lang),
            people=fmt.quantity(getattr(by["people"], group), lang),
        )
        for group in ("anyue", "rest")
    }


def _hovers(splits: list[Split], names: dict[str, str], lang: str) -> dict[str, str]:
    """Hover text per county, both measures (adcode → text)."""
    out = {ANYUE: [f"<b>{theme.escape(names[ANYUE])}</b>"]}
    out.update({code: [f"<b>{theme.escape(names[code])}</b>"] for code in REST})
    for s in splits:
        measure = t(f"map.measure.{s.measure}", lang)
        out[ANYUE].append(
            t("map.hover.anyue", lang, measure=measure, n=fmt.quantity(s.anyue, lang))
        )
        for code in REST:
            (other,) = (c for c in REST if c != code)
            out[code].append(
                t(
                    "map.hover.rest",
                    lang,
                    other=theme.escape(names[other]),
                    measure=measure,
                    n=fmt.quantity(s.rest, lang),
                    total=fmt.quantity(s.total, lang),
                    anyue=fmt.quantity(s.anyue, lang),
                )
            )
    for code in REST:
        out[code].append(theme.escape(t("map.hover.rest_note", lang)))
    return {code: "<br>".join(lines) for code, lines in out.items()}


def _county_traces(features: list[dict], lang: str) -> list[go.Scattergeo]:
    """One filled polygon trace per county, Anyue first; the rest share one legend entry."""
    ordered = sorted(features, key=lambda f: f["properties"]["adcode"] != ANYUE)
    traces = []
    for i, feature in enumerate(ordered):
        code = feature["properties"]["adcode"]
        group = "anyue" if code == ANYUE else "rest"
        lon, lat = _ring_lonlat(feature["geometry"]["coordinates"])
        traces.append(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                fill="toself",
                fillcolor=GROUP_COLORS[group],
                line={"color": "white", "width": 1.5},
                opacity=0.85,
                legendgroup=group,
                showlegend=group == "anyue" or i == 1,
                hoverinfo="skip",
                meta=code,
            )
        )
    return traces


def _label_trace(features: list[dict], names: dict[str, str]) -> go.Scattergeo:
    """County names at their area centroids; hovering (or tapping) them explains the figures."""
    points = [geo.label_point(f) for f in features]
    return go.Scattergeo(
        lon=[p[0] for p in points],
        lat=[p[1] for p in points],
        mode="markers+text",
        text=[theme.escape(names[f["properties"]["adcode"]]) for f in features],
        textposition="middle center",
        textfont={"size": theme.SMALL_FONT, "color": theme.COLORS["text"]},
        marker={"size": 28, "opacity": 0},
        hoverinfo="text",
        showlegend=False,
        meta=[f["properties"]["adcode"] for f in features],
    )


@chart("county_map", page=PAGES, draws=tuple(i for pair in MEASURES.values() for i in pair))
def county_map(data: Records, lang: str = "zh") -> go.Figure:
    """Map of Ziyang's three counties: Anyue against Yanjiang + Lezhi combined, the legend
    giving both measures for each group (the colours are the split; no button is needed)."""
    check_lang(lang)
    features = data.counties["features"]
    names = {f["properties"]["adcode"]: f["properties"][f"name_{lang}"] for f in features}
    splits = [split(m, data) for m in MEASURES]
    group_names = _names(splits, lang)
    hovers = _hovers(splits, names, lang)
    traces = _county_traces(features, lang) + [_label_trace(features, names)]
    for trace in traces[:-1]:
        trace.name = group_names["anyue" if trace.meta == ANYUE else "rest"]
    traces[-1].hovertext = [hovers[c] for c in traces[-1].meta]
    fig = go.Figure(traces)
    fig.update_layout(
        height=MAP_HEIGHT,
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
    )
    return theme.finish(
        fig,
        t("map.title", lang),
        note=t("map.note", lang, source=t("common.source_short", lang)),
        subtitle=t("map.subtitle", lang),
    )
