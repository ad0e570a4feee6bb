"""The county is a folder name: a traversal, absolute or invisible name never reaches the disk.

Issue 11, class 1: ``county: "../../x"`` wrote the report outside ``out`` and the swap renamed and
removed whatever folder sat there; a NUL byte gave a traceback.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from planeval.paths import UnsafePathError, folder_name, path_inside
from planeval.report.params import ParamsError, load_params
from planeval.report.runner import run

FIXTURE_NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"

TRAVERSALS = [
    ("../../x", "路径分隔符“/”"),
    ("..", "上级目录"),
    (".", "目录本身"),
    ("/tmp/abs", "路径分隔符“/”"),
    ("a/b", "路径分隔符“/”"),
    ("a\\b", "路径分隔符“\\”"),
    ("$(rm -rf ~/x)", "路径分隔符“/”"),
    ("x\x00y", "控制字符 U+0000"),
    ("示例\n县", "控制字符 U+000A"),
    ("示例\u200b县", "控制字符 U+200B"),  # zero-width space: two "示例县" folders
    ("\u202e县例示", "控制字符 U+202E"),  # right-to-left override
    (".planeval-run-x-1", "不能以“.”开头"),  # would collide with the staging folders
    ("示例县.", "结尾"),
    ("NUL", "Windows 的设备名"),
    ("示例县:2", "文件名不允许的字符“:”"),
    ("县" * 51, "超过 50 个字符"),
]


@pytest.mark.parametrize(("county", "why"), TRAVERSALS)
def test_unsafe_county_refused_with_reason(write_params, county, why):
    with pytest.raises(ParamsError) as e:
        load_params(write_params(county=county))
    msg = str(e.value)
    assert "县名 (county)" in msg and "不能用作报告目录名" in msg and why in msg
    assert "\x00" not in msg and "\n县" not in msg  # the value is shown escaped, on one line


@pytest.mark.parametrize("county", ["示例县", "某某自治县", "Example County", "县-2", "a.b"])
def test_ordinary_names_accepted_unchanged(write_params, tmp_path, county):
    p = load_params(write_params(county=county))
    assert p.county == county
    assert p.target_dir() == tmp_path / "reports" / county / "midterm-2023H1"


def test_near_miss_dots_inside_a_name_are_fine():
    assert folder_name("a..b") == "a..b"  # not a path component ".."
    with pytest.raises(UnsafePathError):
        folder_name("..")


def test_symlinked_county_folder_pointing_outside_is_refused(write_params, tmp_path):
    outside = tmp_path / "precious"
    outside.mkdir()
    (tmp_path / "reports").mkdir()
    os.symlink(outside, tmp_path / "reports" / "测试县")
    with pytest.raises(ParamsError, match="不在 .* 之内"):
        load_params(write_params()).target_dir()


def test_path_inside_refuses_root_itself_and_accepts_children(tmp_path):
    assert path_inside(tmp_path, "a", "b") == tmp_path / "a" / "b"
    with pytest.raises(UnsafePathError):
        path_inside(tmp_path, "a", "..")


@pytest.mark.parametrize("county", ["../../victim", "/VICTIM", "x\x00y"])
def test_run_with_traversal_county_touches_nothing_outside_out(write_params, tmp_path, county):
    victim = tmp_path / "victim"
    (victim / "midterm").mkdir(parents=True)
    (victim / "midterm" / "keep.txt").write_text("data", encoding="utf-8")
    if county.startswith("/"):
        county = str(victim)
    params = write_params(county=county, out=str(tmp_path / "out" / "reports"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    err = io.StringIO()
    res = run(
        params,
        notebooks_dir=FIXTURE_NOTEBOOKS,
        out=io.StringIO(),
        err=err,
    )
    assert res.exit_code == 2
    assert "县名 (county)" in err.getvalue() and "Traceback" not in err.getvalue()
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before  # nothing moved, nothing made
    assert (victim / "midterm" / "keep.txt").read_text(encoding="utf-8") == "data"
