"""（三）重大工程项目进展 — tables: the report's project tables."""

from __future__ import annotations

import pandas as pd

from planeval.chapters.projects.compute import categories
from planeval.chapters.projects.fmt import outlook_text, pct_text, span_text, wan_text
from planeval.narrative.phrasing import fmt_date


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The report's project table (Chinese headers, formatted values), grouped by category."""
    out = pd.DataFrame(
        {
            "类别": table["category"],
            "项目": table["name"],
            "计划投资(万元)": table["planned_investment"].map(wan_text),
            "已完成投资(万元)": table["completed_investment"].map(wan_text),
            "投资完成率": table["investment_rate"].map(pct_text),
            "计划工期": [
                span_text(a, b) for a, b in zip(table["start"], table["planned_end"], strict=True)
            ],
            "形象进度": table["progress"].map(pct_text),
            "工期进度": table["elapsed_share"].map(pct_text),
            "状态": table["status"],
            "完工预期": table.apply(outlook_text, axis=1),
        }
    )
    order = {c: i for i, c in enumerate(categories(table))}
    return out.sort_values("类别", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def delayed_table(table: pd.DataFrame) -> pd.DataFrame:
    """Projects that are 滞后, 未开工 past their planned start, or cannot finish by 2025-12-31."""
    mask = (
        (table["status"] == "滞后")
        | ((table["status"] == "未开工") & table["start_overdue"])
        | table["can_finish"].eq(False)
    )
    sub = table[mask]
    return pd.DataFrame(
        {
            "项目": sub["name"],
            "类别": sub["category"],
            "状态": sub["status"],
            "形象进度": sub["progress"].map(pct_text),
            "工期进度": sub["elapsed_share"].map(pct_text),
            "进度差": sub["progress_gap"].map(
                lambda g: "—" if pd.isna(g) else f"{g * 100:.1f}个百分点"
            ),
            "投资完成率": sub["investment_rate"].map(pct_text),
            "计划完工": sub["planned_end"].map(fmt_date),
            "完工预期": sub.apply(outlook_text, axis=1),
        }
    ).reset_index(drop=True)
