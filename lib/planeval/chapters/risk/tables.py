"""提升风险管控能力 — tables: the chapter's display tables (Chinese headers, formatted numbers)."""

from __future__ import annotations

import pandas as pd

from planeval.chapters.risk.compute import RATE_COLS, SUMMARY_ZH, TOTAL, RiskResult, total_row
from planeval.narrative.phrasing import (
    fmt_int,
    fmt_pct,
    fmt_wan,
)


# ----------------------------------------------------------------------------- tables
def summary_frame(res: RiskResult) -> pd.DataFrame:
    """The summary table as numbers: shown sectors + 合计 row, columns of SUMMARY_ZH (English)."""
    cols = list(SUMMARY_ZH)
    df = res.sectors.loc[res.shown_sectors()].copy()
    tot = total_row(df)
    df.loc[TOTAL] = tot
    return df[cols]


def _fmt_cell(col: str, v) -> str:
    if col in RATE_COLS:
        return fmt_pct(v)
    if col == "fines":
        return fmt_wan(v)
    return fmt_int(v)


def summary_table(res: RiskResult) -> pd.DataFrame:
    """The summary table for display: Chinese headers, formatted numbers, “—” where unknown."""
    num = summary_frame(res)
    out = pd.DataFrame({SUMMARY_ZH[c]: [_fmt_cell(c, v) for v in num[c]] for c in num.columns})
    out.insert(0, "行业领域", list(num.index))
    return out


def year_table(res: RiskResult) -> pd.DataFrame:
    """Per-year totals (and the same period a year earlier for a partial year), formatted."""
    rows = []
    for y in res.years:
        for r in ([y.compare] if y.compare else []) + [y]:
            t = r.totals
            row = {"期间": r.label + ("（同比基数）" if r is y.compare else "")}
            row.update({SUMMARY_ZH[c]: _fmt_cell(c, t[c]) for c in SUMMARY_ZH if c != "major_rate"})
            rows.append(row)
    return pd.DataFrame(rows)


def campaign_table(res: RiskResult) -> pd.DataFrame:
    """The counted campaigns, formatted, with Chinese headers."""
    c = res.campaigns
    return pd.DataFrame(
        {
            "专项整治": c["campaign"],
            "行业领域": c["sector"],
            "对象": c["object"],
            "摸排": [fmt_int(v) for v in c["surveyed"]],
            "建档": [fmt_int(v) for v in c["filed"]],
            "排查隐患": [fmt_int(v) for v in c["hazards"]],
            "已整改": [fmt_int(v) for v in c["fixed"]],
            "开始日期": [d.strftime("%Y-%m-%d") for d in pd.to_datetime(c["start"])],
            "状态": ["进行中" if o else "已结束" for o in c["ongoing"]],
        }
    )
