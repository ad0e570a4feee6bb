"""The plan's tasks (规划任务): counts by status, each lead department's progress, what is late.

A county's plan is decomposed into tasks (任务分解表), each with its 牵头单位, 配合单位 and
完成时限; for an evaluation each lead department reports 状态 and 进展情况. This module counts
them for a section of the outline ("规划确定的N项重点任务中，已完成X项、序时推进X项、滞后X项")
and lists the departments' text, and finds the tasks that are a problem:

- 状态 滞后;
- past 完成时限 at the period end and not 已完成 (whatever 状态 says: a task reported 序时推进
  after its deadline is counted as 逾期未完成 and the report says so);
- 未启动 while the plan is more than half over is named, not counted as a problem.

The 状态 a department reports is kept as reported; the deadline check is added beside it.

Examples
--------
>>> import pandas as pd
>>> from planeval.periods import Period
>>> df = pd.DataFrame({"id": ["1", "2", "3"], "section": ["risk"] * 3, "task": ["甲", "乙", "丙"],
...     "lead": ["县应急管理局"] * 3, "status": ["已完成", "序时推进", "滞后"],
...     "deadline": pd.to_datetime(["2022-12-31", "2023-03-31", "2025-12-31"])})
>>> c = counts(assess(df, Period.parse("midterm")))
>>> c.total, c.done, c.on_track, c.behind, c.overdue
(3, 1, 1, 1, 1)
>>> count_sentence(c)
'规划确定的3项重点任务中，已完成1项、序时推进1项、滞后1项；其中1项已过完成时限尚未完成。'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planeval.narrative.phrasing import fmt_date, fmt_value
from planeval.narrative.render import Narrative, render
from planeval.periods import Period

STATUS_ORDER = ("已完成", "序时推进", "滞后", "未启动")


def assess(tasks: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The task ledger with the deadline check at the period end.

    Adds ``as_of`` (the period end, or the task's 填报日期 when earlier), ``overdue`` (完成时限
    on or before ``as_of`` and 状态 not 已完成), ``late``
    (滞后 or overdue: a finding) and ``deadline_label`` (2023年3月31日, or "" when none).
    An absent ledger gives an empty frame with those columns.
    """
    cols = ["id", "section", "task", "lead", "partners", "deadline", "status", "progress_note"]
    if tasks is None or not len(tasks):
        return pd.DataFrame(columns=[*cols, "as_of", "overdue", "late", "deadline_label"])
    df = tasks.copy()
    for c in ("partners", "progress_note", "target", "achieved", "unit", "reported"):
        if c not in df:
            df[c] = pd.NA
    end = pd.Timestamp(period.end)
    deadline = pd.to_datetime(df["deadline"]) if "deadline" in df else pd.Series(pd.NaT, df.index)
    df["deadline"] = deadline
    # A 状态 reported before the period end is judged at its 填报日期: a deadline that fell
    # after it says nothing about the task (it may have been met since).
    reported = pd.to_datetime(df["reported"], errors="coerce")
    df["as_of"] = reported.where(reported.notna() & (reported < end), end)
    df["overdue"] = deadline.notna() & (deadline <= df["as_of"]) & (df["status"] != "已完成")
    df["late"] = df["overdue"] | (df["status"] == "滞后")
    df["deadline_label"] = [fmt_date(d) if pd.notna(d) else "" for d in deadline]
    return df


@dataclass(frozen=True)
class TaskCounts:
    total: int
    done: int
    on_track: int
    behind: int
    not_started: int
    overdue: int  # past 完成时限 and not 已完成 (any 状态)

    @property
    def late(self) -> int:
        """Tasks that are a problem: 滞后, or overdue with another 状态."""
        return self.behind + self.overdue_not_behind

    overdue_not_behind: int = 0


def counts(df: pd.DataFrame) -> TaskCounts:
    """Tasks by 状态 (as reported) and how many are past their 完成时限."""
    st = df["status"] if len(df) else pd.Series(dtype=str)
    return TaskCounts(
        total=len(df),
        done=int((st == "已完成").sum()),
        on_track=int((st == "序时推进").sum()),
        behind=int((st == "滞后").sum()),
        not_started=int((st == "未启动").sum()),
        overdue=int(df["overdue"].sum()) if len(df) else 0,
        overdue_not_behind=int((df["overdue"] & (st != "滞后")).sum()) if len(df) else 0,
    )


def count_sentence(c: TaskCounts, *, scope: str = "规划确定的") -> str:
    """ "规划确定的N项重点任务中，已完成X项、序时推进X项、滞后X项" (+ 未启动 and the overdue).

    已完成, 序时推进 and 滞后 are always said (0 included: the national evaluation's form);
    未启动 only when there is one.
    """
    if c.total == 0:
        return ""
    parts = [f"已完成{c.done}项", f"序时推进{c.on_track}项", f"滞后{c.behind}项"]
    if c.not_started:
        parts.append(f"未启动{c.not_started}项")
    s = f"{scope}{c.total}项重点任务中，{'、'.join(parts)}"
    if c.overdue:
        s += f"；其中{c.overdue}项已过完成时限尚未完成"
    return s + "。"


def _quantity(r: pd.Series) -> str:
    t, a = r.get("target"), r.get("achieved")
    unit = r.get("unit")
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    if t is None or pd.isna(t):
        return ""
    if a is None or pd.isna(a):
        return f"量化目标{fmt_value(t, 2)}{unit}"
    share = f"（{a / t * 100:.1f}%）".replace(".0%", "%") if t else ""
    return f"量化目标{fmt_value(t, 2)}{unit}，已完成{fmt_value(a, 2)}{unit}{share}"


def task_items(df: pd.DataFrame, period: Period | None = None) -> list[dict]:
    """One dict per task (ledger order) for the section template. ``reported`` (the 填报时点)
    is given only when it is not the period's end (with ``period``), where it tells the
    reader the progress is of another date."""
    out = []
    for _, r in df.iterrows():
        partners = r.get("partners")
        progress = r.get("progress_note")
        reported = r.get("reported")
        known = reported is not None and pd.notna(reported)
        if known and period is not None and pd.Timestamp(reported).date() == period.end:
            reported = None
        out.append(
            {
                "id": str(r["id"]),
                "task": str(r["task"]),
                "lead": str(r["lead"]),
                "partners": "" if partners is None or pd.isna(partners) else str(partners),
                "status": str(r["status"]),
                "deadline": r["deadline_label"],
                "overdue": bool(r["overdue"]),
                "progress": "" if progress is None or pd.isna(progress) else str(progress).strip(),
                "quantity": _quantity(r),
                "reported": fmt_date(reported)
                if reported is not None and pd.notna(reported)
                else "",
            }
        )
    return out


def in_section(df: pd.DataFrame, section_id: str) -> pd.DataFrame:
    return df[df["section"] == section_id] if len(df) else df


def section_text(df: pd.DataFrame, section_id: str, period: Period) -> Narrative | None:
    """The count sentence and each task's progress for one outline section; None without
    tasks."""
    sub = in_section(df, section_id)
    if not len(sub):
        return None
    return render(
        "plantasks/section.md.j2",
        sentence=count_sentence(counts(sub)),
        items=task_items(sub, period),
        label=period.label,
    )


def late_tasks(df: pd.DataFrame) -> list[dict]:
    """The tasks that are a problem (滞后, or past 完成时限 and not 已完成), ledger order."""
    return task_items(df[df["late"]]) if len(df) else []


def overall_sentence(df: pd.DataFrame, period: Period) -> str:
    """总体评价's count of all tasks, with the plan's 时序进度."""
    c = counts(df)
    if not c.total:
        return ""
    return count_sentence(c)
