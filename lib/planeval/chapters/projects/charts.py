"""（三）重大工程项目进展 — charts: the Gantt chart."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planeval.chapters.projects.compute import categories, judged_dates
from planeval.charts.style import COLORS, new_figure
from planeval.narrative.phrasing import fmt_date, fmt_year_month
from planeval.periods import Period

# ------------------------------------------------------------------------------ chart
_STATUS_COLOR = {
    "已完工": COLORS["accent"],
    "在建": COLORS["primary"],
    "滞后": COLORS["warn"],
    "未开工": COLORS["muted"],
}


def gantt_chart(table: pd.DataFrame, period: Period):
    """Gantt-style chart: planned span (light bar), progress fill coloured by status, the
    evaluation date (评估截止) and the plan's end (规划期末) as vertical lines, projected
    completion after the planned end as a dotted line. Projects grouped by category.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cats = categories(table)
    rows: list[tuple[str, pd.Series | None]] = []
    for c in cats:
        rows.append((c, None))
        for _, r in table[table["category"] == c].iterrows():
            rows.append((r["name"], r))
    n = len(rows)
    fig, ax = new_figure("tall")
    fig.set_size_inches(6.3, max(2.4, 0.32 * n + 1.2))
    end = pd.Timestamp(judged_dates(table, period)[0])
    plan_end = pd.Timestamp(period.plan.end)
    dates = [d for c in ("start", "planned_end", "actual_end") for d in table[c].dropna()]
    lo = min([*dates, pd.Timestamp(period.plan.start)]) - pd.Timedelta(days=60)
    hi = max([*dates, plan_end]) + pd.Timedelta(days=120)
    for i, (_label, r) in enumerate(rows):
        y = n - 1 - i
        if r is None:
            continue
        start, pend = r["start"], r["planned_end"]
        color = _STATUS_COLOR[r["status"]]
        if pd.notna(start) and pd.notna(pend):
            span = max((pend - start).days, 1)
            ax.barh(
                y,
                span,
                left=mdates.date2num(start),
                height=0.56,
                color=COLORS["light"],
                edgecolor="none",
            )
            done_days = span * float(r["progress"])
            if r["status"] == "已完工" and pd.notna(r["actual_end"]):
                done_days = max((r["actual_end"] - start).days, 1)
            if done_days > 0:
                ax.barh(
                    y,
                    done_days,
                    left=mdates.date2num(start),
                    height=0.56,
                    color=color,
                    edgecolor="none",
                )
            pe = r["projected_end"]
            if r["status"] in ("在建", "滞后") and pd.notna(pe) and pe > pend:
                ax.plot(
                    [mdates.date2num(pend), mdates.date2num(min(pe, hi))],
                    [y, y],
                    ls=":",
                    color=color,
                    lw=1.4,
                )
        if r["status"] == "未开工":
            x = mdates.date2num(start) if pd.notna(start) else mdates.date2num(end)
            txt = (
                " 未开工"
                if pd.notna(start) or pd.isna(pend)
                else f" 未开工（计划{fmt_year_month(pend)}完工）"
            )
            ax.text(x, y, txt, va="center", ha="left", fontsize=7.5, color=COLORS["muted"])
        elif r["status"] == "已完工" and r["on_time"] is False and pd.notna(r["actual_end"]):
            ax.text(
                mdates.date2num(r["actual_end"]),
                y,
                " 逾期完工",
                va="center",
                ha="left",
                fontsize=7,
                color=COLORS["secondary"],
            )
        elif r["status"] == "滞后" and pd.notna(start):
            x = (
                mdates.date2num(start) + max((pend - start).days, 1) * float(r["progress"])
                if pd.notna(pend)
                else mdates.date2num(start)
            )
            ax.text(
                x,
                y,
                f" {r['progress'] * 100:.0f}%",
                va="center",
                ha="left",
                fontsize=7,
                color=color,
            )
    ax.set_yticks(range(n))
    labels = [lbl for lbl, _ in rows][::-1]
    ax.set_yticklabels(labels)
    for tick, (_, r) in zip(ax.get_yticklabels(), rows[::-1], strict=True):
        if r is None:
            tick.set_color(COLORS["primary"])
    ax.set_ylim(-0.7, n + 0.3)
    ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y年"))
    ax.grid(axis="y", visible=False)
    ax.axvline(mdates.date2num(end), color=COLORS["secondary"], lw=1.2)
    ax.axvline(mdates.date2num(plan_end), color=COLORS["muted"], lw=1.0, ls="--")
    ax.text(
        mdates.date2num(end),
        n - 0.1,
        "评估截止 ",
        ha="right",
        va="center",
        fontsize=7.5,
        color=COLORS["secondary"],
    )
    ax.text(
        mdates.date2num(plan_end),
        n - 0.1,
        "规划期末 ",
        ha="right",
        va="center",
        fontsize=7.5,
        color=COLORS["muted"],
    )
    handles = [
        Patch(color=COLORS["light"], label="计划工期"),
        *[
            Patch(color=_STATUS_COLOR[s], label=f"已完成进度（{s}）")
            for s in ("已完工", "在建", "滞后")
        ],
        Line2D([], [], ls=":", color=COLORS["muted"], label="按现有进度预计完工"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.45, -0.06 - 0.5 / max(n, 1)),
        ncol=3,
        fontsize=7.5,
    )
    ax.set_title(f"重大工程项目进度（截至{fmt_date(end)}）")
    fig.tight_layout()
    return fig
