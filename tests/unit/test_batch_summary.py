"""The end-of-batch table lines up on a terminal, where a CJK character takes two columns."""

from planeval.batch.build import CountyOutcome, summary_table
from planeval.workspace import display_width


def test_columns_line_up_in_terminal_columns():
    table = summary_table(
        [
            CountyOutcome("甲1县", "ok", 23.94, report="r/甲1县/report.html"),
            CountyOutcome("乙县", "skipped", 0.25, report="r/乙县/report.html"),
            CountyOutcome("丙县", "failed", 101.0, message="数据包有错误\n第二行"),
        ]
    )
    # hand-worked: 县区 column 5 wide (甲1县 = 2+1+2), 状态 12 (未变化，跳过: six wide
    # characters, the full-width comma one of them), seconds right-aligned in 7
    assert table.splitlines() == [
        "县区   状态             秒数  报告",
        "甲1县  完成             23.9  r/甲1县/report.html",
        "乙县   未变化，跳过      0.2  r/乙县/report.html",
        "丙县   失败            101.0  数据包有错误",
        "共 3 个县区：成功 2，失败 1",
    ]
    # the report column starts at one terminal column on every line
    starts = {display_width(line[: line.rfind("  ") + 2]) for line in table.splitlines()[:4]}
    assert starts == {30}  # 5 + 2 + 12 + 2 + 7 + 2


def test_a_county_outcome_says_whether_its_report_is_this_runs(tmp_path, monkeypatch):
    """``current``: False when the run failed before its build replaced the folder (the report
    there is an earlier run's), True when this run's build (even a partial one) is in place."""
    import planeval.batch.build as build
    import planeval.report.runner as runner
    from planeval.batch.build import CountyTask, build_county

    old = tmp_path / "r.html"
    old.write_text("<html></html>", encoding="utf-8")
    results = {
        "assembly failed": runner.RunResult(exit_code=1, target=tmp_path),
        "partial": runner.RunResult(exit_code=1, target=tmp_path, outputs={"html": old}),
        "skipped": runner.RunResult(exit_code=0, target=tmp_path, skipped=True),
    }
    monkeypatch.setattr(build, "worker_kernels", lambda *a, **k: None)
    (tmp_path / "report.html").write_text("<html></html>", encoding="utf-8")
    got = {}
    for name, res in results.items():
        monkeypatch.setattr(runner, "run", lambda *a, _res=res, **k: _res)
        o = build_county(CountyTask(name, "p.yaml", str(tmp_path), None, False, ()))
        got[name] = (o.status, o.current, o.report is not None)
    assert got == {
        "assembly failed": ("failed", False, True),  # the earlier report is still there
        "partial": ("failed", True, True),
        "skipped": ("skipped", True, True),
    }


def test_a_failed_countys_row_gives_its_first_problem_not_only_the_announcement():
    msg = "数据包有 1 个错误，请修正后重试：\n    1. /p/丁县：没有找到任何台账文件\n    2. 另一项"
    row = summary_table([CountyOutcome("丁县", "failed", message=msg)]).splitlines()[1]
    assert row.endswith("数据包有 1 个错误，请修正后重试：1. /p/丁县：没有找到任何台账文件")
