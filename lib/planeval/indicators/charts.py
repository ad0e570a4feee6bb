"""Charts of 一(一): accidents and deaths per year with the target path, deaths by sector and by
accident type, and indicator progress against 时序进度. All use the shared report style."""

from __future__ import annotations

from datetime import date

import pandas as pd
from matplotlib.figure import Figure

from planeval.charts.style import COLORS, new_figure
from planeval.data.pack import DataPack
from planeval.indicators.formulas import SPECS, value_for_slice
from planeval.indicators.progress import Progress
from planeval.periods import Period

FIRST_CHART_YEAR = 2016


def yearly_accidents(pack: DataPack, p: Period, first_year: int = FIRST_CHART_YEAR) -> pd.DataFrame:
    """Accidents and deaths per year from ``first_year`` to the end of ``p`` (last one may be
    part of a year). Columns: label, year, partial, count, deaths, source."""
    rows = []
    for y in range(first_year, p.end.year + 1):
        s = Period(date(y, 1, 1), min(date(y, 12, 31), p.end), "range").year_slice(y)
        c = value_for_slice(pack, SPECS["accident_count"], s)
        d = value_for_slice(pack, SPECS["accident_deaths"], s)
        rows.append(
            {
                "label": c.label,
                "year": y,
                "partial": c.partial,
                "count": c.value,
                "deaths": d.value,
                "source": c.source,
            }
        )
    return pd.DataFrame(rows)


def axis_top(*series: pd.Series) -> float:
    """The top of the y axis: 1.25 × the largest known value, 1.25 when none is known or all are
    0 (a series with no figure at all has a NaN maximum, which matplotlib refuses)."""
    peaks = [float(s.max(skipna=True)) for s in series if s.notna().any()]
    top = max([p for p in peaks if p > 0], default=1.0)
    return top * 1.25


def accidents_chart(pack: DataPack, p: Period, progress: list[Progress]) -> Figure:
    """Bars: accidents per year; line: deaths; dashed: the deaths target path to 2025."""
    df = yearly_accidents(pack, p)
    have = df["count"].notna() | df["deaths"].notna()
    if have.any():  # start at the first year with data (no empty bars for years not provided)
        df = df[have.cummax()].reset_index(drop=True)
    fig, ax = new_figure("wide")
    x = df["year"].astype(float)
    for col, dx, color, edge, label in (
        ("count", -0.2, COLORS["light"], COLORS["primary"], "事故起数"),
        ("deaths", 0.2, COLORS["primary"], "white", "死亡人数"),
    ):
        known = df[col].notna()  # a year without the figure gets no bar (absence is not zero)
        if not known.any():
            continue
        bars = ax.bar(
            x[known] + dx,
            df.loc[known, col],
            width=0.4,
            color=color,
            edgecolor=edge,
            label=label,
        )
        for bar, part in zip(bars, df.loc[known, "partial"], strict=True):
            if part:
                bar.set_hatch("//")
        for xi, v in zip(x[known], df.loc[known, col], strict=True):
            ax.text(xi + dx, v + 0.1, f"{v:.0f}", ha="center", va="bottom", fontsize=7.5)
    deaths_pr = next((pr for pr in progress if pr.key == "accident_deaths"), None)
    if deaths_pr is not None and deaths_pr.target_type == "decline_pct" and deaths_pr.base_value:
        b, r = deaths_pr.base_value, deaths_pr.target_value / 100
        plan_end = p.plan.end.year
        ys = list(range(deaths_pr.base_year, plan_end + 1))
        span = max(plan_end - deaths_pr.base_year, 1)
        path = [b * (1 - r * (y - deaths_pr.base_year) / span) for y in ys]
        ax.plot(
            ys,
            path,
            ls="--",
            color=COLORS["secondary"],
            lw=1.4,
            label=f"死亡人数目标路径（{plan_end}年下降{deaths_pr.target_value:g}%）",
        )
    labels = [
        f"{lab}" if not part else lab.replace("年", "年\n", 1)
        for lab, part in zip(df["label"], df["partial"], strict=True)
    ]
    ticks = list(df["year"])
    extra = [y for y in range(p.end.year + 1, p.plan.end.year + 1)]
    ax.set_xticks(ticks + extra, labels + [f"{y}年" for y in extra])
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_ylabel("起 / 人")
    ax.set_ylim(0, axis_top(df["count"], df["deaths"]))
    ax.set_title("生产安全事故起数和死亡人数（斜线为不足一年的时段）")
    ax.legend(loc="upper right", ncol=3)
    fig.tight_layout()
    return fig


def breakdown_chart(by_sector: pd.DataFrame, by_type: pd.DataFrame, period_label: str) -> Figure:
    """Two horizontal bar charts: deaths by sector and by accident type in the period."""
    fig, axes = new_figure("tall", ncols=2)
    for ax, df, col, title in (
        (axes[0], by_sector, "sector", "按行业领域"),
        (axes[1], by_type, "type", "按事故类型"),
    ):
        d = df.iloc[::-1]
        ax.barh(d[col], d["deaths"], color=COLORS["primary"])
        for i, (v, n) in enumerate(zip(d["deaths"], d["accidents"], strict=True)):
            ax.text(v + 0.05, i, f"{v}人/{n}起", va="center", fontsize=7.5)
        ax.set_title(f"{title}死亡人数")
        ax.set_xlim(0, max(d["deaths"].max(), 1) * 1.4)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("死亡人数（人）")
    fig.suptitle(f"{period_label}生产安全事故死亡人数分布", fontsize=11)
    fig.tight_layout()
    return fig


PROGRESS_CAP = 1.5  # bars beyond 150 % are drawn at 150 % and labelled with the real value


def progress_chart(progress: list[Progress], time_share: float) -> Figure | None:
    """完成进度 of each decline indicator against 时序进度 (None when there is none)."""
    rows = [pr for pr in progress if pr.completion is not None]
    if not rows:
        return None
    fig, ax = new_figure("wide")
    names = [pr.name for pr in rows][::-1]
    vals = [pr.completion for pr in rows][::-1]
    colors = [COLORS["accent"] if v >= time_share else COLORS["warn"] for v in vals]
    shown = [max(min(v, PROGRESS_CAP), -0.2) for v in vals]
    ax.barh(names, shown, color=colors)
    for i, (v, sv) in enumerate(zip(vals, shown, strict=True)):
        ax.text(max(sv, 0) + 0.02, i, f"{v * 100:.1f}%", va="center", fontsize=8)
    ax.axvline(time_share, color=COLORS["secondary"], ls="--", lw=1.3)
    ax.text(
        time_share + 0.01,
        -0.75,
        f"时序进度{time_share * 100:.1f}%",
        color=COLORS["secondary"],
        fontsize=8,
        ha="left",
        va="center",
    )
    ax.set_ylim(-1.1, len(rows) - 0.5)
    ax.axvline(1.0, color=COLORS["muted"], ls=":", lw=1)
    ax.set_xlim(min(-0.2, min(shown)) if min(shown) < 0 else 0, PROGRESS_CAP + 0.25)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v * 100:.0f}%")
    ax.set_xlabel("完成进度（超过150%的按150%绘制）")
    ax.set_title("下降类指标完成进度与时序进度")
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig
