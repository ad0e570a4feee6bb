"""What a run says: a line per stage (in a log too), chapters with -v, the kernel check first,
and injected parameters that read as written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from planeval.exitcodes import EXIT_ENV
from planeval.report import console, preflight
from planeval.report.runner import Progress, run

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
FIXTURE_NOTEBOOKS = TESTS / "fixtures" / "notebooks"
CLEAN_PACK = TESTS / "fixtures" / "packs" / "clean"


def _params(tmp: Path) -> Path:
    p = tmp / "params.yaml"
    p.write_text(
        yaml.safe_dump(
            {
                "county": "青山县",
                "organization": "青山县应急管理局",
                "period": "2023年上半年",
                "data": str(CLEAN_PACK),
                "out": str(tmp / "reports"),
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return p


@pytest.fixture
def log():
    s = io.StringIO()
    console.configure(1, stream=s)  # -v, into a "log" (not a terminal)
    yield s
    console.log.handlers.clear()


def test_a_line_per_stage_and_per_chapter_in_a_log(tmp_path, log):
    res = run(_params(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS, jobs=2, formats=["html"])
    assert res.exit_code == 0, res.message
    lines = [ln.split(" ", 2)[2] for ln in log.getvalue().splitlines()]
    stages = [ln for ln in lines if not ln.startswith(("开始 ", "完成 ", "失败 "))]
    assert stages[0] == f"检查数据包 {CLEAN_PACK}"
    assert stages[1] == "执行 3 个章节（同时 2 个）"
    assert stages[2] == "问题识别"  # the findings, once, between stage 1 and stage 2
    assert stages[3] == "生成 HTML"
    assert re.fullmatch(r"报告已生成（共 \d+\.\d 秒）", stages[4])
    chapters = [ln for ln in lines if ln.startswith(("开始 ", "完成 "))]
    assert len(chapters) == 6 and "开始 10_alpha.ipynb" in chapters
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d .+", ln) for ln in log.getvalue().splitlines()
    )
    # The executed notebooks show the injected values as written, and the type check ran.
    nb = nbformat.read(res.target / "notebooks" / "10_alpha.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'county = "青山县"' in injected.source and 'period = "2023年上半年"' in injected.source
    assert "\\u" not in injected.source and "check_types(globals()" in injected.source
    assert str(tmp_path / "reports" / "青山县") in injected.source  # final paths, not staging


def test_quiet_run_says_nothing(tmp_path):
    s = io.StringIO()
    console.configure(-1, stream=s)
    try:
        res = run(_params(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS, jobs=2, formats=["html"])
    finally:
        console.log.handlers.clear()
    assert res.exit_code == 0 and s.getvalue() == ""


def test_missing_kernel_stops_before_any_chapter(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        preflight, "kernel_problem", lambda name="planeval": "未找到 Jupyter 内核 planeval：…"
    )
    res = run(
        _params(tmp_path),
        notebooks_dir=FIXTURE_NOTEBOOKS,
        formats=["html"],
        progress=Progress(False),
    )
    assert res.exit_code == EXIT_ENV and not res.chapters
    assert "未找到 Jupyter 内核 planeval" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()  # nothing staged, nothing started
