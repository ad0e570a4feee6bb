"""The plan tasks behind (滞后, or past 完成时限 and not 已完成) as the last section of 存在的主要问题
and of 下一步工作建议, on the 十五五 test pack (make_xv.py: XV-3 序时推进 with 完成时限 2026-06-30,
XV-4 滞后 with 完成时限 2027-12-31; XV-1 已完成, XV-2 序时推进 until 2028)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planeval.data import load_pack
from planeval.findings import report
from planeval.periods import Period

XV = Path(__file__).parents[1] / "fixtures" / "packs" / "xv"


@pytest.fixture(scope="module")
def pack():
    return load_pack(XV)


def test_at_the_year_end_both_tasks_are_behind(pack):
    p = Period.parse("2026", plan=pack.plan)
    assert report.n_late_tasks(pack, p) == 2
    title, text = report.tasks_problem_section(pack, p, 3)
    assert title == "（三）规划任务推进方面"
    assert text.plain == (
        "截至2026年12月31日，规划任务中有2项进展滞后或逾期未完成："
        "“修订县突发事件总体应急预案”（牵头单位：县应急管理局；完成时限2026年6月30日，"
        "已过期限仍为“序时推进”）；“推进乡镇应急管理办公室规范化建设”（牵头单位：县委编办；"
        "状态为“滞后”，完成时限2027年12月31日）。"
    )
    title, text = report.tasks_suggestion_section(pack, p, 3)
    assert title == "（三）加快滞后规划任务推进"
    assert "由县应急管理局、县委编办等牵头单位对照完成时限查找原因" in text.plain
    assert "已过完成时限的任务应尽快完成" in text.plain


def test_before_its_deadline_a_task_is_not_late(pack):
    # Near miss: the first quarter ends before XV-3's 完成时限 (2026-06-30; on that day, still
    # not 已完成, it is late): only XV-4 (滞后) is behind.
    p = Period.parse("2026Q1", plan=pack.plan)
    assert report.n_late_tasks(pack, p) == 1
    _, text = report.tasks_problem_section(pack, p, 1)
    assert text.plain.startswith(
        "截至2026年3月31日，规划任务中有1项进展滞后：“推进乡镇应急管理办公室"
    )
    _, sugg = report.tasks_suggestion_section(pack, p, 1)
    assert "由县委编办作为牵头单位" in sugg.plain and "已过完成时限" not in sugg.plain


def test_no_task_list_no_section(tmp_path):
    from planeval.data.pack import DataPack

    empty = DataPack(root=tmp_path, frames={})
    p = Period.parse("2022")
    assert report.n_late_tasks(empty, p) == 0
    assert report.tasks_problem_section(empty, p, 1) is None
    assert report.tasks_suggestion_section(empty, p, 1) is None


def test_a_status_reported_before_the_period_end_is_judged_at_its_date(tmp_path):
    import pandas as pd

    from planeval.chapters.plantasks import assess
    from planeval.data.pack import DataPack

    tasks = pd.DataFrame(
        {
            "id": ["A", "B"],
            "section": ["risk", "risk"],
            "task": ["甲任务", "乙任务"],
            "lead": ["县应急管理局", "县住建局"],
            "status": ["序时推进", "序时推进"],
            # A's deadline had passed when it was reported; B's fell after the report.
            "deadline": pd.to_datetime(["2022-12-31", "2024-12-31"]),
            "reported": pd.to_datetime(["2023-06-30", "2023-06-30"]),
        }
    )
    final = Period.parse("final")  # ends 2025-12-31
    df = assess(tasks, final)
    assert df["overdue"].tolist() == [True, False]  # B: unknown at 2023-06-30, not late
    pack = DataPack(root=tmp_path, frames={"tasks": tasks})
    _, text = report.tasks_problem_section(pack, final, 1)
    assert text.plain.startswith(
        "截至2023年6月30日（填报时点），规划任务中有1项逾期未完成：“甲任务”"
    )
    # Near miss: reported after the period end, the period end is the date (2022 annual).
    late_reported = tasks.assign(reported=pd.to_datetime(["2023-06-30", "2023-06-30"]))
    df = assess(late_reported, Period.parse("2022"))
    assert df["overdue"].tolist() == [True, False]
    pack = DataPack(root=tmp_path, frames={"tasks": late_reported})
    _, text = report.tasks_problem_section(pack, Period.parse("2022"), 1)
    assert text.plain.startswith("截至2022年12月31日，规划任务中有1项")
