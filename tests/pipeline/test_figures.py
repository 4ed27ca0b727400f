"""Static figures for slides: every chart × language × format, sizes, and real CJK glyphs."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import plotly.graph_objects as go
import pytest

from tests.support.browser import CHROMIUM, require_chromium
from ziyang_lib.errors import FigureExportError
from ziyang_lib.pipeline import figures
from ziyang_lib.report.charts.registry import all_charts

pytestmark = pytest.mark.browser  # kaleido drives the system chromium

LANGS = ("zh", "en")
LATIN_FONTS = Path("/usr/share/fonts/truetype/dejavu")
TITLE_BAND = 70  # px from the top of a figure: where the title is drawn


def needs_chromium() -> None:
    assert Path(figures.DEFAULT_BROWSER) == CHROMIUM  # the chromium the other browser tests use
    require_chromium()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    needs_chromium()
    out = tmp_path_factory.mktemp("figures")
    return out, figures.export_figures(out)


# --- PNG decoding (8-bit RGB/RGBA, non-interlaced: what Chromium writes) -----------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def png_rows(data: bytes) -> list[bytes]:
    """Decoded pixel rows of an 8-bit RGB or RGBA PNG."""
    width, height = png_size(data)
    depth, colour, interlace = data[24], data[25], data[28]
    assert depth == 8 and colour in (2, 6) and interlace == 0
    bpp = 4 if colour == 6 else 3
    idat, pos = b"", 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return rows


def title_band(data: bytes) -> list[bytes]:
    return png_rows(data)[:TITLE_BAND]


def inked(rows: list[bytes]) -> int:
    """Pixels that are not (near) white."""
    return sum(1 for row in rows for i in range(0, len(row), 4) if min(row[i : i + 3]) < 200)


# --- every chart × language × format -----------------------------------------------------------


def test_a_file_for_every_chart_language_and_format(exported) -> None:
    out, written = exported
    expected = {
        out / f"{s.notebook}__{s.chart_id}__{lang}.{ext}"
        for s in all_charts()
        for lang in LANGS
        for ext in figures.FORMATS
    }
    assert len(expected) == len(all_charts()) * len(LANGS) * len(figures.FORMATS)
    assert set(written) == expected
    assert all(p.stat().st_size > 1000 for p in expected)
    assert not list(out.glob(".*.tmp"))


def test_pngs_are_1200_by_675(exported) -> None:
    _, written = exported
    for path in written:
        if path.suffix == ".png":
            assert png_size(path.read_bytes()) == (figures.WIDTH, figures.HEIGHT), path.name


def test_svgs_parse_and_carry_the_chart_text(exported) -> None:
    out, written = exported
    for path in written:
        if path.suffix == ".svg":
            root = ET.parse(path).getroot()
            assert root.tag.endswith("svg") and root.get("width") == str(figures.WIDTH)
    svg = (out / "00_overview__county_map__zh.svg").read_text("utf-8")
    assert "安岳县" in svg and "雁江区" in svg


def test_every_exported_chart_carries_its_title(exported) -> None:
    """A page sets a chart's title as HTML text; the exported file draws it itself."""
    from ziyang_lib.report import theme

    out, _ = exported
    squeeze = "".join  # a title wrapped for the file loses the spaces at its breaks
    for spec in all_charts():
        for lang in LANGS:
            title = theme.title_block(spec.build(lang).to_plotly_json())["title"]
            root = ET.parse(out / f"{spec.notebook}__{spec.chart_id}__{lang}.svg").getroot()
            drawn = squeeze("".join(root.itertext()).split())
            assert title and squeeze(title.split()) in drawn, (spec.chart_id, lang)


def test_unknown_format_or_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        figures.export_figures(tmp_path, formats=("gif",))
    with pytest.raises(ValueError, match="lang"):
        figures.export_figures(tmp_path, langs=("fr",))


def test_a_missing_browser_is_an_error_not_a_download(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(FigureExportError, match="never download"):
        figures.export_figures(tmp_path)
    assert not list(tmp_path.iterdir())


# --- Chinese is drawn with real glyphs ---------------------------------------------------------


def _title_only(text: str) -> go.Figure:
    return go.Figure(
        layout={
            "title": {"text": text, "font": {"size": 36}, "x": 0.02, "y": 0.97},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
        }
    )


def _render_titles(*texts: str) -> list[bytes]:
    with figures.kaleido_session():
        return [figures.render(_title_only(text), "png", 600, 200) for text in texts]


def _latin_only_fontconfig(folder: Path) -> Path:
    if not LATIN_FONTS.is_dir():
        pytest.skip("no Latin-only font folder to build the control fontconfig from")
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{LATIN_FONTS}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def test_chinese_titles_render_as_distinct_glyphs_not_tofu(monkeypatch, tmp_path: Path) -> None:
    """Two different Chinese strings of the same length look different with the system's CJK
    fonts; with a Latin-only fontconfig (the control) they collapse to the same tofu boxes."""
    needs_chromium()
    first, second = "资阳脱贫攻坚", "安岳乐至雁江"
    real = [title_band(png) for png in _render_titles(first, second)]
    assert inked(real[0]) > 0 and inked(real[1]) > 0
    assert real[0] != real[1]

    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fontconfig(tmp_path)))
    tofu = [title_band(png) for png in _render_titles(first, second)]
    assert tofu[0] == tofu[1], "control failed: without CJK fonts the titles should be tofu"
    assert real[0] != tofu[0]


def test_an_exported_chinese_chart_title_is_not_tofu(exported, monkeypatch, tmp_path) -> None:
    out, _ = exported
    spec = next(s for s in all_charts() if s.chart_id == "registered_poor_share")
    exported_png = (out / f"{spec.notebook}__{spec.chart_id}__zh.png").read_bytes()
    monkeypatch.setenv("FONTCONFIG_FILE", str(_latin_only_fontconfig(tmp_path)))
    with figures.kaleido_session():
        tofu_png = figures.render(figures.fit(spec.build(lang="zh")), "png")
    assert png_size(tofu_png) == png_size(exported_png)
    assert title_band(exported_png) != title_band(tofu_png)
