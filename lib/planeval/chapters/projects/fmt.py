"""（三）重大工程项目进展 — the formatting the tables, narrative and chart share (one low module)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planeval.chapters.projects.compute import FAR_TEXT, timestamp_or_none
from planeval.narrative.phrasing import fmt_year_month


# ------------------------------------------------------------------------- report tables
def pct_text(x: float) -> str:
    return "—" if x is None or pd.isna(x) else f"{x * 100:.1f}%"


def wan_text(x: float) -> str:
    return "—" if x is None or pd.isna(x) else f"{x:,.2f}"


def span_text(start: Any, end: Any) -> str:
    a, b = timestamp_or_none(start), timestamp_or_none(end)
    fa = "未定" if a is None else f"{a.year}.{a.month}"
    fb = "未定" if b is None else f"{b.year}.{b.month}"
    return f"{fa}—{fb}"


def outlook_text(r: pd.Series) -> str:
    if r["status"] == "已完工":
        if r["on_time"] is True:
            return "按期完工"
        if r["on_time"] is False:
            return "逾期完工"
        return "已完工"
    if pd.isna(r["can_finish"]):
        return "未定开工日期"
    if r["status"] == "未开工" and not r["start_overdue"]:
        return "未到计划开工时间"
    if r["projected_end"] is None or pd.isna(r["projected_end"]):
        return "按现有进度无法完工"
    if pd.notna(r["actual_end"]):  # finished after the evaluation date (a later ledger)
        return f"{fmt_year_month(r['actual_end'])}完工（评价时点后）"
    if r.get("projected_far") is True:
        return FAR_TEXT
    if r["status"] == "未开工":
        txt = f"即日开工预计{fmt_year_month(r['projected_end'])}完工"
    else:
        txt = f"预计{fmt_year_month(r['projected_end'])}完工"
    return txt if r["can_finish"] else txt + "（晚于规划期末）"
