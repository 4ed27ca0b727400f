"""share.write_zip: the archive holds the index, the shared plotly.js and the pages, no more."""

from __future__ import annotations

import zipfile

import pytest

from ziyang_lib.pipeline.share import write_zip


def test_the_archive_holds_index_bundle_and_pages_in_one_folder(tmp_path):
    out = tmp_path / "out"
    files = {
        "index.html": "<p>index</p>",
        "html/plotly.min.js": "var Plotly;",
        "html/en/01_a.html": "<p>en</p>",
        "html/zh/01_a.html": "<p>zh</p>",
        "executed/en/01_a.ipynb": "{}",
        "failed/zh/02_b.ipynb": "{}",
        ".manifest.json": "{}",
    }
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    (out / "index.html").chmod(0o600)  # the archive's entries are readable whatever the files
    archive = write_zip(out, tmp_path / "share" / "report-2020.zip")
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.namelist() == [
            "report-2020/index.html",
            "report-2020/html/plotly.min.js",
            "report-2020/html/en/01_a.html",
            "report-2020/html/zh/01_a.html",
        ]
        assert zipped.read("report-2020/html/zh/01_a.html") == b"<p>zh</p>"
        assert {info.external_attr >> 16 & 0o777 for info in zipped.infolist()} == {0o644}
    assert archive.stat().st_mode & 0o444 == 0o444


def test_no_archive_without_a_built_report(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(FileNotFoundError, match="holds no built report"):
        write_zip(tmp_path / "out", tmp_path / "r.zip")
    assert not (tmp_path / "r.zip").exists()
