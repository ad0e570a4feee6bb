"""The ``planeval`` command's frame: Chinese help and errors, --version, -q/-v, exit codes."""

from __future__ import annotations

import argparse
import gettext
import io
import re

import pytest

import planeval
from planeval import cli
from planeval.cli import main
from planeval.exitcodes import EXIT_CODES_ZH, EXIT_ENV, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from planeval.report import console

# argparse's English frame (Python 3.11) that must not reach an analyst.
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:", "show program")
SUBCOMMANDS = ("init", "check-data", "run", "batch", "outline", "make-template", "make-demo")


def test_no_arguments_prints_the_chinese_help(capsys):
    assert main([]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("用法：planeval")
    assert "退出码" in out and "planeval init 青山县" in out
    for sub in SUBCOMMANDS:
        assert f"    {sub}" in out
    for word in ENGLISH:
        assert word not in out


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_every_help_is_chinese_and_lists_the_exit_codes(capsys, sub):
    assert main([sub, "-h"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"用法：planeval {sub}")
    assert "显示本帮助并退出" in out
    for code in (EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ENV):
        assert re.search(rf"^  {code}  \S", out, re.M), code
    for word in ENGLISH:
        assert word not in out


def test_exit_codes_are_distinct_and_the_help_says_what_each_means():
    assert len({EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ENV}) == 4
    lines = dict(re.findall(r"^  (\d)  (.+)$", EXIT_CODES_ZH, re.M))  # code -> meaning
    assert lines["2"].startswith("命令行或参数文件有误") and "内核" in lines["3"]


def test_version(capsys):
    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"planeval {planeval.__version__}"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["bogus"], "无效的选择 'bogus'"),
        (["run"], "缺少必需的参数：--params"),
        (["run", "--params", "p.yaml", "--jobs", "two"], "参数 --jobs：无效的值 'two'"),
        (["run", "--params", "p.yaml", "--colour"], "无法识别的参数：--colour"),
        (["-q", "-v", "run", "--params", "p.yaml"], "不能与参数"),
    ],
)
def test_usage_errors_are_chinese_exit_2_and_point_at_help(capsys, argv, said):
    assert main(argv) == EXIT_USAGE
    err = capsys.readouterr().err
    assert said in err and "错误：" in err and "-h 查看帮助" in err
    for word in ENGLISH:
        assert word not in err


def test_argparse_is_left_as_it_was():
    with pytest.raises(SystemExit), cli._chinese_argparse():
        raise SystemExit(0)
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]


def test_verbosity_before_or_after_the_subcommand():
    p = cli._parser()
    assert p.parse_args(["-q", "check-data", "x"]).verbosity == -1
    assert p.parse_args(["check-data", "x", "-v"]).verbosity == 1
    assert not hasattr(p.parse_args(["check-data", "x"]), "verbosity")  # default 0 in main


def test_bad_params_file_exits_2(tmp_path, capsys):
    assert main(["-q", "run", "--params", str(tmp_path / "none.yaml")]) == EXIT_USAGE
    assert "不存在" in capsys.readouterr().err


def test_command_hint(monkeypatch):
    monkeypatch.setattr(cli.sys, "argv", ["/x/lib/planeval/__main__.py"])
    assert cli.command_hint() == "python -m planeval"
    monkeypatch.setattr(cli.sys, "argv", [".venv/bin/planeval"])
    monkeypatch.setattr(cli.shutil, "which", lambda name: None)
    assert cli.command_hint() == ".venv/bin/planeval"  # not on PATH: as typed
    monkeypatch.setattr(cli.sys, "argv", ["/usr/bin/pytest"])
    assert cli.command_hint() == "planeval"


# ----------------------------------------------------------------------------- stage lines
def _lines(verbosity: int) -> list[str]:
    s = io.StringIO()
    console.configure(verbosity, stream=s)
    try:
        console.stage("生成 HTML")
        console.detail("完成 11_indicators.ipynb（1.2 秒）")
        console.log.warning("注意")
    finally:
        console.log.handlers.clear()
        console.log.setLevel(0)
    return s.getvalue().splitlines()


def test_stage_lines_in_a_log_carry_the_date_and_time():
    lines = _lines(0)
    assert len(lines) == 2  # the stage and the warning; the chapter line only with -v
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 生成 HTML", lines[0])


def test_verbose_adds_chapters_quiet_keeps_only_warnings():
    assert [ln.split(" ", 2)[2] for ln in _lines(1)] == [
        "生成 HTML",
        "完成 11_indicators.ipynb（1.2 秒）",
        "注意",
    ]
    assert [ln.split(" ", 2)[2] for ln in _lines(-1)] == ["注意"]


def test_no_progress_bar_in_a_log():
    s = io.StringIO()
    console.configure(0, stream=s)
    try:
        with console.ChapterBar(11) as bar:
            assert not bar.enabled
            bar.advance("11_indicators.ipynb")
        assert bar.done == 1 and s.getvalue() == ""
    finally:
        console.log.handlers.clear()


def test_progress_bar_when_forced_counts_chapters():
    s = io.StringIO()
    with console.ChapterBar(3, enabled=True, stream=s) as bar:
        bar.advance("a.ipynb")
        bar.advance("b.ipynb", ok=False)
    assert bar.done == 2
    assert "章节 2/3" in s.getvalue() and "b.ipynb 失败" in s.getvalue()


def test_run_progress_lines_by_verbosity():
    def lines(verbosity, enabled=None):
        s = io.StringIO()
        console.configure(verbosity, stream=s)
        try:
            p = console.RunProgress(enabled)
            p("检查数据包 data/demo")
            with p.chapters(2):
                p.chapter_started("11_indicators.ipynb")
                p.chapter_done("11_indicators.ipynb", True, 1.24)
                p.chapter_done("12_risk.ipynb", False, 0.5, "ValueError: x")
            p.stage("生成 HTML")
        finally:
            console.log.handlers.clear()
        return [ln.split(" ", 2)[2] for ln in s.getvalue().splitlines()]

    assert lines(0) == ["检查数据包 data/demo", "生成 HTML"]
    assert lines(1) == [
        "检查数据包 data/demo",
        "开始 11_indicators.ipynb",
        "完成 11_indicators.ipynb（1.2 秒）",
        "失败 12_risk.ipynb（0.5 秒）：ValueError: x",
        "生成 HTML",
    ]
    assert lines(-1) == [] and lines(1, enabled=False) == []


def test_progress_bar_draws_on_a_terminal_without_a_size():
    # A pty of 0×0 (script, some CI consoles): tqdm alone takes -1 rows and draws nothing.
    import os
    import pty
    import subprocess
    import sys

    code = (
        "from planeval.report import console\n"
        "console.configure(0)\n"
        "p = console.RunProgress()\n"
        "with p.chapters(2):\n"
        "    p.chapter_done('11_indicators.ipynb', True, 1.0)\n"
    )
    leader, follower = pty.openpty()
    subprocess.run(
        [sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower, check=True
    )
    os.close(follower)
    out = b""
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    os.close(leader)
    text = out.decode("utf-8", "replace")
    assert "章节 1/2" in text and "11_indicators.ipynb" in text


def test_outline_lists_numbered_sections_with_their_ids(capsys):
    from planeval.cli import main

    assert main(["outline"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # the default outline after the seed: numbering by the tool, ids for notes and tasks
    assert lines[0] == "总体评价  [overview]"
    assert "      （1）坚持党的集中领导  [system.leadership]" in lines
    assert "    6. 增强科技支撑能力  [technology]" in lines


def test_outline_of_a_pack_with_its_own_outline(capsys):
    from planeval.cli import main

    assert main(["outline", "tests/fixtures/packs/xv"]) == 0
    out = capsys.readouterr().out
    assert "（二）主要任务推进情况  [tasks]" in out and "加强应急管理体系建设" not in out
