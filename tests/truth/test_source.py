"""load_source: cleaning, the clean→raw map, paragraphs, parts, sentences and quantities."""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from ziyang_lib.errors import DataError
from ziyang_lib.paths import SOURCE_FILENAME, data_dir
from ziyang_lib.report.text import t
from ziyang_lib.truth.extract import extract_quantities
from ziyang_lib.truth.source import Source, load_source

RAW_PATH = data_dir() / "raw" / SOURCE_FILENAME
PARTS = ["header", "lead", "leadership", "precision", "broad", "outlook", "footer"]


@pytest.fixture(scope="module")
def src() -> Source:
    return load_source()


def _squash(s: str) -> str:
    """Raw or clean text with whitespace removed and entities decoded, for comparisons."""
    s = re.sub(r"&?ldquo;", "“", s)
    return re.sub(r"\s", "", s)


def test_raw_is_the_file_verbatim(src: Source) -> None:
    assert src.raw == RAW_PATH.read_text("utf-8")
    assert src.sha256 == hashlib.sha256(RAW_PATH.read_bytes()).hexdigest()
    assert src.path == RAW_PATH


def test_cleaning(src: Source) -> None:
    text = src.text
    assert "ldquo;" not in text and "“王书记是好书记" in text
    assert not re.search(r"[\xa0\u3000\t]|  |^ | $|\n\n", text, flags=re.M)
    assert "保障“三大体系”" in text and "建立了“租赁返聘”" in text and "“3+22”扶贫" in text
    assert "(记者 王继)" in text and "决胜脱贫攻坚 圆梦全面小康" in text
    assert "发布时间:2020-10-14 录入" in text
    assert _squash(src.raw) == _squash(text)


def test_every_clean_character_maps_to_the_same_raw_character(src: Source) -> None:
    entity = src.raw.index("ldquo;")
    for i, ch in enumerate(src.text):
        r = src.to_raw(i)
        if r == entity:
            assert ch == "“"
        elif ch == " ":
            assert src.raw[r].isspace()
        elif ch == "\n":
            assert src.raw[r] == "\n"
        else:
            assert src.raw[r] == ch, i
    assert src.to_raw(len(src.text)) == len(src.raw.rstrip())


def test_raw_span_property(src: Source) -> None:
    rng = random.Random(20201014)
    n = len(src.text)
    spans = [tuple(sorted(rng.sample(range(n + 1), 2))) for _ in range(3000)]
    spans += [(i, i + 1) for i in range(n)] + [(0, n), (5, 5)]
    for s, e in spans:
        rs, re_ = src.raw_span(s, e)
        assert 0 <= rs <= re_ <= len(src.raw)
        assert _squash(src.raw[rs:re_]) == _squash(src.text[s:e]), (s, e)
        if e > s and not src.text[s].isspace() and not src.text[e - 1].isspace():
            assert not src.raw[rs].isspace() and not src.raw[re_ - 1].isspace()
        assert src.to_clean(rs) == s
    with pytest.raises(IndexError):
        src.raw_span(0, n + 1)


def test_paragraphs(src: Source) -> None:
    p = src.paragraphs
    assert list(p.columns) == ["para", "part", "role", "start", "end", "text"]
    assert p["para"].tolist() == list(range(1, 40))
    assert p["role"].value_counts().to_dict() == {
        "body": 25,
        "furniture": 7,
        "heading": 6,
        "title": 1,
    }
    title = p[p["role"] == "title"].iloc[0]
    assert title["text"] == "决胜脱贫攻坚 圆梦全面小康--我市脱贫攻坚工作综述"
    assert p[p["role"] == "heading"]["text"].tolist() == [
        "坚持党的领导",
        "党建聚力真抓实干",
        "以人民为中心",
        "精准施策啃下“硬骨头”",
        "构建“大扶贫”工作格局",
        "广泛激发贫困群众内生动力",
    ]
    for row in p.itertuples():
        raw = src.raw[row.start : row.end]
        assert not raw[0].isspace() and not raw[-1].isspace()
        assert _squash(raw) == _squash(row.text)
    lead = p[p["part"] == "lead"]
    assert len(lead) == 2 and lead["text"].iloc[0].startswith("党的十八大以来")
    outlook = p[p["part"] == "outlook"]
    assert len(outlook) == 1 and outlook["text"].iloc[0].startswith("今天的成果")


def test_parts(src: Source) -> None:
    parts = src.parts
    assert parts["part"].tolist() == PARTS
    assert list(parts.columns) == ["part", "heading", "subheading", "start", "end"]
    by = parts.set_index("part")
    assert by.loc["leadership", "heading"] == "坚持党的领导"
    assert by.loc["precision", "heading"] == "以人民为中心"
    assert by.loc["broad", "heading"] == "构建“大扶贫”工作格局"
    assert by.loc["broad", "subheading"] == "广泛激发贫困群众内生动力"
    assert by.loc["lead", "heading"] == "" and by.loc["footer", "subheading"] == ""
    for part in ("leadership", "precision", "broad"):  # the report names each part it finds
        assert t(f"parts.{part}.title", "zh") == by.loc[part, "heading"]
        assert t(f"parts.{part}.subtitle", "zh") == by.loc[part, "subheading"]
    raw = {part: src.raw[by.loc[part, "start"] : by.loc[part, "end"]] for part in PARTS}
    assert raw["header"].startswith("资阳市人民政府") and raw["header"].endswith("资阳市人民政府")
    assert raw["lead"].startswith("党的十八大以来") and raw["lead"].endswith("即将实现。")
    assert raw["leadership"].startswith("坚持党的领导") and "47.36亿元" in raw["leadership"]
    assert raw["precision"].startswith("以人民为中心") and raw["precision"].endswith("10%以内。")
    assert raw["broad"].startswith("构建“大扶贫”") and raw["broad"].endswith("贫穷面貌。")
    assert raw["outlook"].startswith("今天的成果") and raw["outlook"].endswith("(记者 王继)")
    assert raw["footer"].startswith("主办") and raw["footer"].endswith("51200202000010号")
    starts, ends = parts["start"].tolist(), parts["end"].tolist()
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))


@pytest.mark.parametrize(
    ("needle", "part", "para"),
    [
        ("发布时间", "header", 5),
        ("23.6万贫困人口", "lead", 6),
        ("2万余名", "leadership", 13),
        ("近55年", "precision", 21),
        ("“3+22”", "broad", 32),
        ("(记者 王继)", "outlook", 36),
        ("蜀ICP备", "footer", 39),
    ],
)
def test_part_and_paragraph_of(src: Source, needle: str, part: str, para: int) -> None:
    offset = src.raw.index(needle)
    assert src.part_of(offset) == part
    assert src.paragraph_of(offset) == para
    assert src.paragraph_of(offset + len(needle) - 1) == para


def test_sentence(src: Source) -> None:
    def around(needle: str) -> str:
        start = src.raw.index(needle)
        return src.sentence(start, start + len(needle))

    assert around("82岁") == "82岁的乐至县贫困户尹庆德感激地说。"
    funds = "全市累计投入各类专项扶贫资金47.36亿元,其中,财政专项扶贫资金24.52亿元,"
    assert around("47.36亿元") == funds + "行业专项资金22.84亿元。"
    assert around("王书记是好书记") == "“王书记是好书记,如果不是因为她,我家房子早都垮了。”"
    long_one = around("2.7万户")
    assert "2.7万户" in long_one and len(long_one) < 60 and "。" not in long_one
    assert (
        around("028-26655501")
        == "市政府办公室联系电话:028-26655501 市政府网站联系电话:028-28000836"
    )


def test_quantities_mirror_extract_with_raw_offsets(src: Source) -> None:
    q = src.quantities()
    clean = extract_quantities(src.text)
    assert list(q.columns) == [*clean.columns, "part", "paragraph"]
    assert len(q) == len(clean) == 66  # with 一把手 (a rank word) and 三年 (Chinese numerals)
    assert q["raw"].tolist() == clean["raw"].tolist()
    for row in q.itertuples():
        assert src.raw[row.start : row.end] == row.raw
        assert row.part == src.part_of(row.start) and row.paragraph == src.paragraph_of(row.start)
    assert q.groupby("part", sort=False).size().to_dict() == {
        "header": 1,
        "lead": 3,
        "leadership": 27,
        "precision": 21,
        "broad": 8,
        "outlook": 1,
        "footer": 5,
    }
    q.loc[0, "raw"] = "changed"
    assert src.quantities().loc[0, "raw"] == "2020-10-14"


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=re.escape(SOURCE_FILENAME)):
        load_source(tmp_path)


def test_cache_follows_the_file(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    copy = tmp_path / "raw" / SOURCE_FILENAME
    shutil.copyfile(RAW_PATH, copy)
    first = load_source(tmp_path)
    assert load_source(tmp_path) is first
    copy.write_text(RAW_PATH.read_text("utf-8").replace("82岁", "83岁"), "utf-8")
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    second = load_source(tmp_path)
    assert second is not first and "83岁" in second.text
    assert second.sha256 != first.sha256


def _article(headings: list[str]) -> str:
    """A small article of the same page shape, with CRLF, entities and ideographic spaces."""
    lines = [
        "某县人民政府",
        "当前位置:首页 > 新闻",
        "某县工作综述",
        "发布时间:2021-01-05&nbsp;&nbsp;来源:县政府",
        "",
        "\u3000\u3000导语第一段,全县完成了3个项目。",
        "\u3000\u3000导语第二段,&ldquo;好&rdquo;字当头。",
    ]
    for i, heading in enumerate(headings):
        lines += [
            f"\u3000\u3000{heading}",
            f"\u3000\u3000小标题{'甲乙丙丁'[i]}",
            f"\u3000\u3000正文,共{i}个。",
        ]
    lines += ["\u3000\u3000结束语,未来可期。(记者 某某)", "", "主办:某县人民政府"]
    return "\r\n".join(lines)


def test_segmentation_of_another_article(tmp_path: Path) -> None:
    headings = [t(f"parts.{p}.title", "zh") for p in ("leadership", "precision", "broad")]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / SOURCE_FILENAME).write_bytes(_article(headings).encode("utf-8"))
    src = load_source(tmp_path)
    assert "\r" not in src.raw and "“好”字当头" in src.text and "2021-01-05 来源" in src.text
    assert src.parts["part"].tolist() == PARTS
    p = src.paragraphs
    assert p[p["role"] == "title"]["text"].tolist() == ["某县工作综述"]
    assert p[p["part"] == "broad"]["text"].tolist() == [headings[2], "小标题丙", "正文,共2个。"]
    assert p[p["part"] == "outlook"]["text"].tolist() == ["结束语,未来可期。(记者 某某)"]
    assert src.quantities()["raw"].tolist() == ["2021-01-05", "3个", "0个", "1个", "2个"]
    for row in src.quantities().itertuples():
        assert src.raw[row.start : row.end] == row.raw


def test_unknown_heading_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / SOURCE_FILENAME).write_text(_article(["不认识的标题"]), "utf-8")
    with pytest.raises(DataError, match="不认识的标题"):
        load_source(tmp_path)
