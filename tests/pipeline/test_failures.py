"""Issue 9: every broken or weak case, run as a user runs it (``ziyang-report`` in a fresh
interpreter), asserting the exit code, the one error line and that the earlier good report is
byte-identical afterwards.

A tiny project (01_alpha, 02_widgets and 03_hang, whose cell hangs) is built once (01 and 02, in
English); each test works on a copy of that report. Every CLI call prints one row
``CASE | name | exit code | message | seconds`` (``pytest -s`` shows them; ``bench/failures.py``
collects them into a table). Times are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.support.project import make_project, run_cli_subprocess, write_notebook
from ziyang_lib import paths
from ziyang_lib.paths import SOURCE_FILENAME

pytestmark = pytest.mark.slow
LOCK_FILES = {".build.lock", ".build.owner"}
HANG = (
    "import os, pathlib, time\n"
    "if os.environ.get('HANG_PID_FILE'):\n"
    "    pathlib.Path(os.environ['HANG_PID_FILE']).write_text(str(os.getpid()))\n"
    "time.sleep(600)"
)
GOOD = ("--lang", "en", "--only", "01", "--only", "02")


def snapshot(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in LOCK_FILES
    }


def error_line(stderr: str) -> str:
    """The one ``error:`` line of a run, with no traceback anywhere."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


def cli(case: str, *args: str, cwd: Path | None = None) -> tuple[int, str, str, list[str]]:
    began = time.monotonic()
    code, stdout, stderr, heavy = run_cli_subprocess(*args, cwd=cwd)
    seconds = time.monotonic() - began
    shown = [line for line in stderr.splitlines() if line.startswith("error:")] or [
        line for line in (stderr + stdout).splitlines() if "failed" in line or "built" in line
    ][:1]
    print(f"\nCASE | {case} | {code} | {(shown or [''])[0]} | {seconds:.2f} s")
    return code, stdout, stderr, heavy


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("site")
    project = make_project(root)
    write_notebook(project / "03_hang.ipynb", HANG, heading="# Hang")
    out = root / "good"
    code, _, stderr, _ = run_cli_subprocess(
        "build", "--notebooks", str(project), "--out", str(out), *GOOD
    )
    assert code == 0, stderr
    return {"project": project, "out": out}


@pytest.fixture
def report(site, tmp_path) -> tuple[Path, Path, dict[str, bytes]]:
    """(notebooks folder, a copy of the good report, its snapshot)."""
    out = Path(shutil.copytree(site["out"], tmp_path / "out"))
    return site["project"], out, snapshot(out)


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A copy of data/ that the CLI reads through $ZIYANG_DATA_DIR."""
    folder = Path(shutil.copytree(paths.data_dir(), tmp_path / "data"))
    monkeypatch.setenv("ZIYANG_DATA_DIR", str(folder))
    return folder


def build(case: str, notebooks: Path, out: Path, *args: str):
    return cli(case, "build", "--notebooks", str(notebooks), "--out", str(out), *args)


# --- the truth layer guards its own source, before any kernel ---------------------------------


def test_a_changed_character_of_the_raw_source_stops_check_and_build(report, data):
    notebooks, out, before = report
    raw = data / "raw" / SOURCE_FILENAME
    text = raw.read_text(encoding="utf-8")
    raw.write_text(text.replace("脱贫", "拖贫", 1), encoding="utf-8")
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    expected = next(r for r in package["resources"] if r.get("bytes"))["hash"].split(":")[1]
    import hashlib

    found = hashlib.sha256(raw.read_bytes()).hexdigest()
    for command in ("check", "build"):
        extra = ("--out", str(out)) if command == "build" else ()
        code, stdout, stderr, heavy = cli(
            f"raw source changed ({command})", command, "--notebooks", str(notebooks), *extra
        )
        line = error_line(stderr)
        assert code == 3 and heavy == [] and "data ok" not in stdout
        assert line.startswith(f"error: raw/{SOURCE_FILENAME}: does not match datapackage.json")
        assert f"expected sha256 {expected}, found sha256 {found}" in line
    assert snapshot(out) == before


def _break_indicators(data: Path) -> str:
    path = data / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",exact,", ",roughly,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return "error: indicators.csv row 2 column 'qualifier': 'roughly' is not one of"


def _break_context(data: Path) -> str:
    path = data / "context.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",China,", ",Atlantis,", 1), encoding="utf-8")
    return "error: context.csv row 2 column 'geo': 'Atlantis' is not one of"


def _break_geo(data: Path) -> str:
    path = data / "geo" / "ziyang_counties.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"] = collection["features"][:2]
    path.write_text(json.dumps(collection), encoding="utf-8")
    return "error: geo/ziyang_counties.geojson: expected adcodes"


def _free_text(data: Path) -> str:
    path = data / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("500 to 700 million", "600 to 700 million"), encoding="utf-8")
    return "'600 to 700 million' in free text traces to no figure of data/"


@pytest.mark.parametrize(
    "breaks", [_break_indicators, _break_context, _break_geo, _free_text], ids=lambda f: f.__name__
)
def test_bad_data_in_the_data_folder_stops_the_build_before_any_kernel(report, data, breaks):
    notebooks, out, before = report
    expected = breaks(data)
    code, stdout, stderr, heavy = build(f"bad data: {breaks.__name__}", notebooks, out, *GOOD)
    assert code == 3 and heavy == [] and expected in error_line(stderr)
    assert stderr.strip() == error_line(stderr)  # the error and nothing else
    assert snapshot(out) == before


def test_a_missing_data_dir_from_the_environment_is_a_usage_error(report, monkeypatch, tmp_path):
    notebooks, out, before = report
    monkeypatch.setenv("ZIYANG_DATA_DIR", str(tmp_path / "nowhere"))
    code, _, stderr, heavy = build("$ZIYANG_DATA_DIR missing", notebooks, out, *GOOD)
    assert code == 2 and heavy == []
    assert (
        error_line(stderr) == f"error: $ZIYANG_DATA_DIR: folder '{tmp_path}/nowhere' does not exist"
    )
    assert snapshot(out) == before


def test_a_csv_saved_by_excel_with_a_byte_order_mark_is_accepted(report, data):
    notebooks, _, _ = report
    path = data / "glossary.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    code, stdout, stderr, _ = cli("CSV with a UTF-8 BOM (Excel)", "check", "--notebooks",
                                  str(notebooks))  # fmt: skip
    assert code == 0 and stdout.startswith("data ok: 41 indicators"), stderr


def test_an_unclosed_quote_names_its_row(report, data):
    notebooks, _, _ = report
    path = data / "glossary.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[6] = lines[6].replace(",", ',"', 1)  # spreadsheet row 7 opens a quote
    path.write_text("".join(lines), encoding="utf-8")
    code, _, stderr, _ = cli("unclosed quote", "check", "--notebooks", str(notebooks))
    assert code == 3
    assert error_line(stderr).startswith(
        "error: glossary.csv row 7: a quoted cell opened on this row is not closed properly"
    )


def test_a_huge_table_is_refused_before_it_is_read(report, data):
    notebooks, out, before = report
    with (data / "mentions.csv").open("ab") as fh:
        fh.truncate(200_000_000)  # 200 MB, sparse: no time is spent writing it
    code, _, stderr, heavy = build("200 MB table", notebooks, out, *GOOD)
    assert code == 3 and heavy == []
    assert error_line(stderr) == (
        "error: mentions.csv: is 200.0 MB; a data file may be at most 8.0 MB (refused unread)"
    )
    assert snapshot(out) == before


def test_values_in_messages_print_plainly(report, data):
    notebooks, _, _ = report
    path = data / "mentions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[3]]), encoding="utf-8")
    code, _, stderr, _ = cli("duplicate value", "check", "--notebooks", str(notebooks))
    start = lines[3].split(",", 1)[0]
    assert code == 3 and f"duplicate {start} (first in row 4)" in error_line(stderr)
    assert "np." not in stderr


# --- the build guards its folder -----------------------------------------------------------------


def test_a_second_build_into_the_same_folder_is_refused_with_exit_4(report, monkeypatch, tmp_path):
    notebooks, out, before = report
    monkeypatch.setenv("HANG_PID_FILE", str(tmp_path / "kernel.pid"))
    first = _popen("build", "--notebooks", str(notebooks), "--out", str(out), "--lang", "en",
                   "--only", "03")  # fmt: skip
    try:
        _wait_for(tmp_path / "kernel.pid")  # the first build holds the folder, its cell hangs
        code, _, stderr, heavy = build(
            "second build, same folder", notebooks, out, *GOOD, "--force", "--plotlyjs", "directory"
        )
        assert code == 4 and heavy == []
        line = error_line(stderr)
        assert line.startswith(f"error: {out} is being built by another ziyang-report (pid ")
        assert f"pid {first.pid} since" in line
    finally:
        first.send_signal(signal.SIGINT)
        first.communicate(timeout=120)
    assert first.returncode == 130
    assert snapshot(out) == before  # neither build changed a byte of the report


def test_stale_temporary_files_of_a_killed_build_are_removed(report):
    notebooks, out, before = report
    stale = [
        out / "html" / "en" / ".01_alpha.html.k3j2h1g0.tmp",  # an older writer's name
        out / "html" / "en" / ".02_widgets.html.0123456789ab.tmp",
        out / "executed" / "en" / ".01_alpha.ipynb.0123456789ab.tmp.ipynb",
    ]
    for path in stale:
        path.write_bytes(b"x" * 2_000_000)
    code, stdout, stderr, _ = build("stale .tmp files", notebooks, out, *GOOD)
    assert code == 0, stderr
    assert stdout.startswith("up to date (2 pages)")
    assert not any(p.exists() for p in stale)
    assert snapshot(out) == before


def test_a_page_emptied_on_disk_is_rebuilt(report):
    notebooks, out, before = report
    page = out / "html" / "en" / "01_alpha.html"
    page.write_bytes(b"")
    code, stdout, stderr, _ = build("page truncated to 0 bytes", notebooks, out, *GOOD)
    assert code == 0, stderr
    assert stdout.startswith("1 built, 0 failed, 1 up to date")
    assert page.stat().st_size > 1000
    after = snapshot(out)
    assert after["html/en/02_widgets.html"] == before["html/en/02_widgets.html"]


# --- a hanging cell, signals, kill -9 ------------------------------------------------------------


def test_a_hanging_cell_fails_once_after_its_timeout(report):
    notebooks, out, before = report
    code, stdout, stderr, _ = build(
        "hanging cell (build --timeout-cell 3)", notebooks, out, "--lang", "en", "--only", "03",
        "--timeout-cell", "3",
    )  # fmt: skip
    assert code == 1
    assert "03_hang.ipynb: cell 2 raised CellTimeoutError: the cell ran longer than 3 s" in stderr
    assert "retrying" not in stderr and "Traceback" not in stderr
    assert stdout.startswith("0 built, 1 failed (en/03_hang)")
    after = snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith("failed/")} == before
    code, _, stderr, _ = cli(
        "hanging cell (run --timeout 8)", "run", "03", "--notebooks", str(notebooks), "--out",
        str(out.parent / "run"), "--timeout", "8",
    )  # fmt: skip
    line = error_line(stderr)
    # the budget counts from the kernel's start, so on a loaded machine it may run out before
    # the hanging cell (source cell 2) is reached; the message is the same
    assert code == 1 and "raised CellTimeoutError: the notebook's time budget of 8 s" in line


def _popen(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ziyang_lib.pipeline.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(path: Path, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text():
            return int(path.read_text())
        time.sleep(0.2)
    raise AssertionError(f"{path} never appeared")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _kernel_folder(pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"ziyang-kernel-{pid}"


@pytest.mark.parametrize(
    ("command", "signum", "code", "word"),
    [
        ("build", signal.SIGINT, 130, "interrupted"),
        ("build", signal.SIGTERM, 143, "terminated (SIGTERM)"),
        ("run", signal.SIGINT, 130, "interrupted"),
    ],
    ids=["build-SIGINT", "build-SIGTERM", "run-SIGINT"],
)
def test_one_signal_stops_a_hanging_run_and_its_kernel(
    report, monkeypatch, tmp_path, command, signum, code, word
):
    notebooks, out, before = report
    monkeypatch.setenv("HANG_PID_FILE", str(tmp_path / "kernel.pid"))
    where = ("--out", str(out), "--lang", "en", "--only", "03") if command == "build" else (
        "03", "--out", str(tmp_path / "run"))  # fmt: skip
    proc = _popen(command, "--notebooks", str(notebooks), *where)
    kernel = _wait_for(tmp_path / "kernel.pid")
    assert _alive(kernel) and _kernel_folder(proc.pid).is_dir()
    began = time.monotonic()
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    seconds = time.monotonic() - began
    line = error_line(stderr)
    print(
        f"\nCASE | {signum.name} while a cell hangs | {proc.returncode} | {line} | {seconds:.2f} s"
    )
    assert proc.returncode == code
    assert line == f"error: {word}: kernels stopped, earlier pages and notebooks kept as they were"
    assert not _alive(kernel), "the kernel outlived the build"
    assert not _kernel_folder(proc.pid).exists()
    assert snapshot(out) == before


def test_kill_9_leftovers_are_removed_by_the_next_build(report, monkeypatch, tmp_path):
    notebooks, out, before = report
    monkeypatch.setenv("HANG_PID_FILE", str(tmp_path / "kernel.pid"))
    proc = _popen("build", "--notebooks", str(notebooks), "--out", str(out), "--lang", "en",
                  "--only", "03")  # fmt: skip
    kernel = _wait_for(tmp_path / "kernel.pid")
    proc.kill()
    proc.wait(30)
    try:
        left = _kernel_folder(proc.pid)
        assert any(left.iterdir()), "a killed build leaves its kernel's sockets"
        (out / "html" / "en" / ".01_alpha.html.deadbeef0000.tmp").write_bytes(b"<html>half")
        code, stdout, stderr, _ = build("after kill -9", notebooks, out, *GOOD)
        assert code == 0, stderr
        assert stdout.startswith("up to date (2 pages)")
        assert not left.exists()
        assert snapshot(out) == before
    finally:
        if _alive(kernel):  # an orphaned kernel may outlive its parent briefly; end it
            os.kill(kernel, signal.SIGKILL)


# --- paths that are not what they claim, browsers that do not work ----------------------------


def test_paths_that_are_not_notebooks_are_usage_errors(report, tmp_path):
    notebooks, out, before = report
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copied = Path(shutil.copy(notebooks / "01_alpha.ipynb", elsewhere / "01_alpha.ipynb"))
    linked = Path(shutil.copytree(notebooks, tmp_path / "linked"))
    (linked / "05_link.ipynb").symlink_to("/etc/passwd")
    cases = [
        ("run /etc/passwd", ("run", "/etc/passwd"),
         "error: /etc/passwd: not a notebook: not JSON"),
        ("params /etc/passwd", ("params", "/etc/passwd"),
         "error: /etc/passwd: not a notebook: not JSON"),
        ("symlinked non-notebook in --notebooks",
         ("build", "--notebooks", str(linked), "--out", str(out)),
         f"error: {linked}/05_link.ipynb (a link to /etc/passwd): not a notebook: not JSON"),
        ("--only PATH outside the notebooks folder",
         ("build", "--notebooks", str(notebooks), "--out", str(out), "--only", str(copied)),
         f"error: --only '{copied}': not a notebook of {notebooks}"),
    ]  # fmt: skip
    for case, args, expected in cases:
        code, _, stderr, heavy = cli(case, *args)
        assert code == 2 and heavy == [], (case, stderr)
        assert error_line(stderr).startswith(expected), (case, stderr)
    assert snapshot(out) == before


@pytest.mark.parametrize("browser", ["/bin/true", "/nonexistent"])
def test_figures_with_a_browser_that_dies_or_is_missing_fail_in_one_line(
    monkeypatch, tmp_path, browser
):
    monkeypatch.setenv("BROWSER_PATH", browser)
    code, _, stderr, _ = cli(f"figures, BROWSER_PATH={browser}", "figures", "--out", str(tmp_path))
    line = error_line(stderr)
    assert code == 1 and stderr.strip() == line
    if browser == "/bin/true":
        assert line == (
            "error: the browser /bin/true failed: "
            "The browser seemed to close immediately after starting."
        )
    else:
        assert line.startswith("error: no browser at /nonexistent: install Debian's chromium")
    assert list(tmp_path.iterdir()) == []


# --- output folders that cannot be written (needs root, for a tmpfs mount) --------------------


@pytest.fixture
def mount(tmp_path):
    """``mount(size)`` mounts a tmpfs of `size` at a fresh folder; unmounted afterwards."""
    mounted: list[Path] = []

    def make(size: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True)  # fmt: skip
        if done.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_output_folder_is_one_line_with_the_path(report, mount):
    notebooks, good, before = report
    point = mount("4m")
    out = Path(shutil.copytree(good, point / "out"))
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    code, _, stderr, heavy = build("read-only --out", notebooks, out, *GOOD, "--force")
    assert code == 1 and heavy == []
    assert error_line(stderr) == f"error: cannot write {out}/.build.lock: Read-only file system"
    assert snapshot(out) == before


def test_a_full_output_folder_fails_the_page_and_keeps_the_old_one(report, mount):
    notebooks, good, before = report
    point = mount("1m")
    out = Path(shutil.copytree(good, point / "out"))
    fd = os.open(point / "filler", os.O_WRONLY | os.O_CREAT)  # fill it to the last byte
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    code, stdout, stderr, _ = build(
        "full --out", notebooks, out, "--lang", "en", "--only", "01", "--force"
    )
    assert code == 1 and "Traceback" not in stderr
    assert "01_alpha.ipynb" not in stdout and stdout.startswith("0 built, 1 failed (en/01_alpha)")
    assert f"cannot write {out}/executed/en/01_alpha.ipynb: No space left on device" in stderr
    (point / "filler").unlink()
    assert snapshot(out) == before
