"""The pack's plan, outline and task list checked together (part of ``check-data``).

- ``plan.yaml`` and ``outline.yaml`` must be readable and valid (every problem, named);
- each 规划任务.所属章节 must be a section of the outline (refused with the valid ids);
- a 完成时限 outside the plan period is a warning (it cannot be judged against the plan);
- a 完成值 without a 量化目标 is a warning (nothing to compare it with).

These checks read small files and one small ledger; they run on every load (they are not part
of the cached validation, so editing ``outline.yaml`` takes effect at once).
"""

from __future__ import annotations

import difflib

import pandas as pd

from planeval.data.pack import DataPack, Problem
from planeval.outline import OutlineError, outline_file, read_outline
from planeval.plan import PlanError, plan_file, read_plan


def _where(df: pd.DataFrame, i) -> tuple[str, str | None, int | None]:
    r = df.loc[i]
    return (
        str(r.get("_file", "规划任务")),
        (r.get("_sheet") or None),
        (int(r["_row"]) if "_row" in r and pd.notna(r["_row"]) else None),
    )


def section_ids(pack: DataPack) -> list[str]:
    """Every section id of the pack's outline, expanded with its sectors and projects."""
    ol = read_outline(pack.root)
    projects = pack.get("projects")
    groups: list[tuple[str, list[str]]] = []
    if projects is not None and len(projects):
        for cat, g in projects.groupby("category", sort=False):
            groups.append((str(cat), [str(n) for n in g["name"]]))
    return ol.expanded(projects=groups).ids()


def problems(pack: DataPack) -> list[Problem]:
    """Every problem of the pack's plan, outline and task list."""
    out: list[Problem] = []
    try:
        plan = read_plan(pack.root)
    except PlanError as e:
        f = plan_file(pack.root)
        out.append(Problem(f.name if f else "plan.yaml", str(e).split("：", 1)[-1]))
        plan = None
    try:
        ids = section_ids(pack)
    except OutlineError as e:
        f = outline_file(pack.root)
        out += [Problem(f.name if f else "outline.yaml", p) for p in e.problems]
        ids = None
    tasks = pack.get("tasks")
    if tasks is None or not len(tasks):
        return out
    if ids is not None:
        known = set(ids)
        for i in tasks.index[~tasks["section"].isin(known)]:
            v = str(tasks.at[i, "section"])
            near = difflib.get_close_matches(v, ids, n=3, cutoff=0.5)
            hint = f"最接近的：{'、'.join(near)}；" if near else ""
            file, sheet, row = _where(tasks, i)
            out.append(
                Problem(
                    file,
                    f"报告提纲中没有这一章节（{hint}可用的章节编号见 planeval outline，"
                    f"共{len(ids)}个，如 {'、'.join(ids[:6])} …）",
                    sheet=sheet,
                    row=row,
                    column="所属章节 (section)",
                    value=v,
                )
            )
    if plan is not None and "deadline" in tasks:
        d = pd.to_datetime(tasks["deadline"])
        outside = d.notna() & ((d < pd.Timestamp(plan.start)) | (d > pd.Timestamp(plan.end)))
        for i in tasks.index[outside]:
            file, sheet, row = _where(tasks, i)
            out.append(
                Problem(
                    file,
                    f"完成时限不在{plan.quoted}规划期（{plan.span_label}）内，无法按规划期评价",
                    sheet=sheet,
                    row=row,
                    column="完成时限 (deadline)",
                    value=d[i].date().isoformat(),
                    severity="warning",
                )
            )
    if "achieved" in tasks and "target" in tasks:
        m = tasks["achieved"].notna() & tasks["target"].isna()
        for i in tasks.index[m]:
            file, sheet, row = _where(tasks, i)
            out.append(
                Problem(
                    file,
                    "填了完成值而没有量化目标，无法计算完成比例",
                    sheet=sheet,
                    row=row,
                    column="完成值 (achieved)",
                    value=tasks.at[i, "achieved"],
                    severity="warning",
                )
            )
    return out
