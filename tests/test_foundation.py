"""The foundation every layer shares: one atomic writer, one tree of exception classes."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import stat
from pathlib import Path

import pytest

import ziyang_lib
from ziyang_lib import errors
from ziyang_lib.files import is_temp_name, remove_stale_temps, temp_sibling, write_atomic


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o027, 0o002])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_write_atomic_gives_the_mode_of_a_plain_open(tmp_path, umask):
    plain = tmp_path / "plain.txt"
    with open(plain, "w", encoding="utf-8") as fh:
        fh.write("x")
    written = write_atomic(tmp_path / "sub" / "atomic.txt", "资阳")
    assert _mode(written) == _mode(plain) == 0o666 & ~umask
    assert written.read_text(encoding="utf-8") == "资阳"
    assert [p.name for p in written.parent.iterdir()] == ["atomic.txt"]


def test_shared_plotlyjs_is_readable_by_a_web_server_running_as_another_user(tmp_path, umask):
    from ziyang_lib.pipeline.html_export import write_plotlyjs

    path = write_plotlyjs(tmp_path / "html")
    assert _mode(path) == 0o666 & ~umask
    if umask == 0o022:
        assert _mode(path) == 0o644 and _mode(path) & stat.S_IROTH


def test_a_failed_write_leaves_what_was_there_and_no_temporary(tmp_path):
    target = tmp_path / "page.html"
    (target / "inside").mkdir(parents=True)  # os.replace cannot put a file over this folder
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]
    assert [p.name for p in target.iterdir()] == ["inside"]


def test_temporary_names_are_unique_recognised_and_removed(tmp_path):
    page = tmp_path / "html" / "zh" / "01_x.html"
    names = {temp_sibling(page).name for _ in range(50)} | {temp_sibling(page, ".ipynb").name}
    assert len(names) == 51 and all(is_temp_name(n) for n in names)
    for name in ("01_x.html", ".manifest.json", ".build.lock", "tmp.html", ".x.html"):
        assert not is_temp_name(name), name
    page.parent.mkdir(parents=True)
    page.write_text("good", encoding="utf-8")
    left = [page.with_name(n) for n in sorted(names)[:3]]
    for path in left:
        path.write_text("half a page", encoding="utf-8")
    assert sorted(remove_stale_temps(tmp_path)) == sorted(left)
    assert [p.name for p in page.parent.iterdir()] == ["01_x.html"]


def _modules():
    for info in pkgutil.walk_packages(ziyang_lib.__path__, "ziyang_lib."):
        yield importlib.import_module(info.name)


def test_every_exception_class_is_defined_in_errors():
    elsewhere = [
        f"{module.__name__}.{name}"
        for module in _modules()
        for name, obj in vars(module).items()
        if inspect.isclass(obj)
        and issubclass(obj, BaseException)
        and obj.__module__ == module.__name__
        and module is not errors
    ]
    assert elsewhere == []


def test_every_error_has_an_exit_code_and_derives_from_one_base():
    classes = [
        c for c in vars(errors).values() if inspect.isclass(c) and c.__module__ == errors.__name__
    ]
    for cls in classes:
        if cls is errors.Terminated:
            assert issubclass(cls, KeyboardInterrupt)
            continue
        assert issubclass(cls, errors.ZiyangError), cls
        assert cls.exit_code in (1, 2, 3, 4), cls
        assert cls.__name__ in errors.__doc__, f"{cls.__name__} missing from the tree drawn there"
