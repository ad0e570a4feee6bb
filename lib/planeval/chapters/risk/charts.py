"""提升风险管控能力 — charts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planeval.chapters.risk.compute import AGE_BUCKETS, RiskResult, benchmark_scope
from planeval.narrative.phrasing import (
    fmt_date,
    fmt_int,
    fmt_pct,
)


# ----------------------------------------------------------------------------- charts
def _legend_below(ax, ncol: int, y: float = -0.12) -> None:
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, y), ncol=ncol, fontsize=8)


def chart_found_vs_fixed(res: RiskResult):
    """Horizontal grouped bars: hazards found vs rectified per sector (None without hazard data)."""
    from planeval.charts import COLORS, new_figure

    if not res.available["hazards"]:
        return None
    s = res.sectors.loc[res.shown_sectors()]
    fig, ax = new_figure("tall")
    y = np.arange(len(s))[::-1]
    h = 0.4
    b1 = ax.barh(y + h / 2, s["found"], h, label="发现隐患", color=COLORS["primary"])
    b2 = ax.barh(y - h / 2, s["rectified"], h, label="已整改", color=COLORS["accent"])
    for bars in (b1, b2):
        ax.bar_label(
            bars, labels=[fmt_int(v) if v else "" for v in bars.datavalues], fontsize=7, padding=2
        )
    for yy, n in zip(y, s["found"], strict=True):
        if not n:
            ax.text(0, yy, " 期内无隐患记录", va="center", fontsize=7.5, color=COLORS["muted"])
    ax.set_yticks(y, list(s.index))
    ax.set_xlabel("隐患（项）")
    ax.set_xlim(0, float(s["found"].max() or 1) * 1.12)
    ax.set_title(f"{res.period.label}各行业领域隐患发现与整改情况")
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    return fig


def chart_rates(res: RiskResult):
    """Horizontal bars of 整改率 and 重大隐患整改率 per sector with the national benchmark line."""
    from planeval.charts import COLORS, new_figure

    if not res.available["hazards"]:
        return None
    s = res.sectors.loc[res.shown_sectors()]
    s = s[s["found"] > 0]
    if s.empty:
        return None
    fig, ax = new_figure("tall")
    y = np.arange(len(s))[::-1]
    h = 0.4
    r1 = ax.barh(y + h / 2, s["rate"] * 100, h, label="隐患整改率", color=COLORS["primary"])
    r2 = ax.barh(
        y - h / 2,
        s["major_rate"].fillna(0) * 100,
        h,
        label="重大隐患整改率",
        color=COLORS["secondary"],
    )
    for bars, vals in ((r1, s["rate"]), (r2, s["major_rate"])):
        ax.bar_label(
            bars,
            labels=[fmt_pct(v) if v > 0.15 else "" for v in vals.fillna(0)],
            label_type="center",
            fontsize=7,
            color="white",
        )
        for yy, v in zip([b.get_y() + b.get_height() / 2 for b in bars], vals, strict=True):
            if pd.isna(v) or v <= 0.15:
                ax.text(
                    0,
                    yy,
                    " 无重大隐患" if pd.isna(v) else f" {fmt_pct(v)}",
                    va="center",
                    fontsize=7,
                )
    ax.axvline(
        res.benchmark * 100,
        color=COLORS["warn"],
        lw=1.2,
        ls="--",
        label=f"{benchmark_scope(res.benchmark)}重大隐患整改率 {fmt_pct(res.benchmark)}",
    )
    lo = np.nanmin(np.r_[s["rate"].to_numpy(float), s["major_rate"].to_numpy(float)]) * 100
    left = 0.0 if lo < 50 else float(np.floor((lo - 5) / 10) * 10)
    ax.set_xlim(left, 108)
    ax.set_yticks(y, list(s.index))
    ax.set_xlabel("整改率（%）" + (f"（横轴自{left:.0f}%起）" if left else ""))
    ax.set_title(f"{res.period.label}各行业领域隐患整改率")
    _legend_below(ax, 3)
    ax.grid(axis="y", visible=False)
    return fig


def chart_open_major_age(res: RiskResult):
    """Stacked horizontal bars: open major hazards at the period end by sector and age."""
    from planeval.charts import COLORS, new_figure

    a = res.ages
    if a.empty or int(a.to_numpy().sum()) == 0:
        return None
    fig, ax = new_figure("wide")
    colors = [COLORS["light"], "#bf9000", COLORS["secondary"], COLORS["warn"]]
    left = np.zeros(len(a))
    y = np.arange(len(a))[::-1]
    for b, c in zip(AGE_BUCKETS, colors, strict=True):
        ax.barh(y, a[b], left=left, color=c, label=b, height=0.6)
        left = left + a[b].to_numpy()
    for yy, n in zip(y, left, strict=True):
        ax.text(n, yy, f" {int(n)}项", va="center", fontsize=8)
    ax.set_yticks(y, list(a.index))
    ax.set_xlim(0, left.max() * 1.15)
    ax.set_xlabel("未整改重大隐患（项）")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"截至{fmt_date(res.period.end)}未整改重大隐患的逾期情况")
    _legend_below(ax, 4, -0.22)
    ax.grid(axis="y", visible=False)
    return fig


def chart_quarterly(res: RiskResult):
    """Bars of 检查家次 and 检查次数 per quarter of the period."""
    from planeval.charts import COLORS, new_figure

    q = res.quarters
    if q.empty or int(q["units"].sum()) == 0:
        return None
    fig, ax = new_figure("wide")
    x = np.arange(len(q))
    w = 0.38
    ax.bar(x - w / 2, q["units"], w, label="检查家次", color=COLORS["primary"])
    ax.bar(x + w / 2, q["checks"], w, label="检查次数", color=COLORS["secondary"])
    labels = [
        f"{s[:4]}年\n{s[-2:]}" if s.endswith("Q1") or i == 0 else s[-2:]
        for i, s in enumerate(q["quarter"])
    ]
    ax.set_xticks(x, labels)
    ax.set_ylabel("次 / 家次")
    ax.set_title(f"{res.period.label}各季度执法检查情况")
    ax.legend(loc="upper left")
    ax.grid(axis="x", visible=False)
    return fig
