"""4. 提高综合保障能力: emergency reserves (物资储备) against their targets.

The 物资储备 ledger is a snapshot: one row per item at one depot (储备点), with 数量 and 目标数量.

- coverage of a line (保障率) = 数量 / 目标数量; a line with 目标数量 ≤ 0 or blank has no target
  and is left out of every rate (it is still counted in 储备行数 and 储备点).
- a line meets its target when 数量 ≥ 目标数量; 缺口 = 目标数量 − 数量 for a line below target.
- a group's 达标率 = lines meeting target / lines with a target; its 平均保障率 = mean over its
  lines with a target of min(保障率, 100 %) — capped, so a surplus of tents cannot hide a
  shortage of life jackets. Quantities of different items are never added up.
- 储备点 = distinct (层级, 储备点) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from planeval import vocab
from planeval.chapters.window import show_numbers
from planeval.charts.style import COLORS, PALETTE, new_figure
from planeval.data.pack import DataPack
from planeval.metrics import ChapterMetrics, Figures, Num
from planeval.narrative.render import Narrative, render
from planeval.numbers import finite_float
from planeval.periods import Period
from planeval.snapshots import snapshot_date, snapshot_gap_note, snapshot_label


def lines(reserves: pd.DataFrame) -> pd.DataFrame:
    """The ledger with ``has_target``, ``coverage``, ``met`` and ``shortfall`` added (a copy)."""
    d = reserves.copy()
    t = pd.to_numeric(d["target"], errors="coerce")
    q = pd.to_numeric(d["quantity"], errors="coerce").fillna(0.0)
    d["has_target"] = t.notna() & (t > 0)
    d["coverage"] = (q / t).where(d["has_target"])
    d["met"] = d["has_target"] & (q >= t)
    d["shortfall"] = (t - q).where(d["has_target"] & ~d["met"], 0.0)
    return d


def _group_row(d: pd.DataFrame) -> dict:
    wt = d[d["has_target"]]
    return {
        "储备行数": int(len(d)),
        "有目标行数": int(len(wt)),
        "达标行数": int(wt["met"].sum()),
        "达标率": (wt["met"].sum() / len(wt)) if len(wt) else float("nan"),
        "平均保障率": float(wt["coverage"].clip(upper=1.0).mean()) if len(wt) else float("nan"),
    }


def _levels(d: pd.DataFrame) -> list[str]:
    return [lv for lv in vocab.RESERVE_LEVELS if lv in set(d["level"])]


def coverage_table(reserves: pd.DataFrame | None) -> pd.DataFrame:
    """Coverage by 类别 (ledger order) and 层级 (县, 乡镇, 村), then a 合计 row.

    Columns: 类别, 层级, 储备行数, 有目标行数, 达标行数, 达标率, 平均保障率 (ratios 0..1, NaN
    when no line has a target). Empty when the ledger is absent.
    """
    if reserves is None:
        return pd.DataFrame()
    d = lines(reserves)
    rows = []
    for cat in dict.fromkeys(d["category"]):
        dc = d[d["category"] == cat]
        for lv in _levels(dc):
            rows.append({"类别": cat, "层级": lv, **_group_row(dc[dc["level"] == lv])})
    rows.append({"类别": "合计", "层级": "", **_group_row(d)})
    return pd.DataFrame(rows)


def by_level(reserves: pd.DataFrame | None) -> pd.DataFrame:
    """Per 层级: 储备点(个), 储备行数, 达标行数, 达标率, 平均保障率, then 合计."""
    if reserves is None:
        return pd.DataFrame()
    d = lines(reserves)
    rows = []
    for lv in _levels(d):
        dl = d[d["level"] == lv]
        rows.append({"层级": lv, "储备点(个)": int(dl["depot"].nunique()), **_group_row(dl)})
    depots = int(len(d[["level", "depot"]].drop_duplicates()))
    rows.append({"层级": "合计", "储备点(个)": depots, **_group_row(d)})
    return pd.DataFrame(rows)


def below_target(reserves: pd.DataFrame | None) -> pd.DataFrame:
    """Lines below target: 物资, 类别, 层级, 储备点, 数量, 目标, 缺口, 单位, 保障率.

    Sorted by 层级 (县, 乡镇, 村), then 保障率 ascending, then 物资 and 储备点.
    """
    cols = ["物资", "类别", "层级", "储备点", "数量", "目标", "缺口", "单位", "保障率"]
    if reserves is None:
        return pd.DataFrame(columns=cols)
    d = lines(reserves)
    b = d[d["has_target"] & ~d["met"]].copy()
    b["_lv"] = b["level"].map({lv: i for i, lv in enumerate(vocab.RESERVE_LEVELS)})
    b = b.sort_values(["_lv", "coverage", "item", "depot"], kind="stable")
    unit = b["unit"] if "unit" in b else pd.Series("", index=b.index)
    return pd.DataFrame(
        {
            "物资": b["item"],
            "类别": b["category"],
            "层级": b["level"],
            "储备点": b["depot"],
            "数量": b["quantity"].astype(float),
            "目标": b["target"].astype(float),
            "缺口": b["shortfall"].astype(float),
            "单位": unit.fillna(""),
            "保障率": b["coverage"],
        },
        columns=cols,
    ).reset_index(drop=True)


@dataclass
class ReserveSummary:
    """Everything the chapter shows (empty frames when the ledger is absent)."""

    period: Period
    available: bool
    coverage: pd.DataFrame
    levels: pd.DataFrame
    below: pd.DataFrame
    as_of: date | None = None  # the ledger's 填报时点 (planeval.snapshots)


def summarise(pack: DataPack, period: Period) -> ReserveSummary:
    """Compute the chapter's figures (the ledger is a snapshot; ``period`` only labels it)."""
    r = pack.reserves
    return ReserveSummary(
        period,
        r is not None,
        coverage_table(r),
        by_level(r),
        below_target(r),
        snapshot_date(pack, "reserves"),
    )


def notice(s: ReserveSummary) -> str | None:
    """The one-line notice when the ledger is absent, else None."""
    return None if s.available else "本数据包无“物资储备”台账，应急物资储备情况不作统计。"


# ----------------------------------------------------------------------------- key figures
class ReserveGroup(Figures):
    depots: int | None = None  # by level only
    lines: int
    lines_with_target: int
    met: int
    met_share: Num | None = None
    coverage_mean: Num | None = None


class BelowTarget(Figures):
    item: str
    category: str = ""
    level: str = ""
    depot: str = ""
    quantity: Num
    target: Num
    shortfall: Num | None = None
    unit: str = ""
    coverage: Num | None = None


class ReservesMetrics(ChapterMetrics):
    available: bool = True
    period: str | None = None
    lines: int | None = None
    lines_with_target: int | None = None
    lines_met: int | None = None
    met_share: Num | None = None  # 0..1
    coverage_mean: Num | None = None  # capped, 0..1
    depots: int | None = None
    depots_by_level: dict[str, int] = {}
    by_category: dict[str, ReserveGroup] = {}
    by_level: dict[str, ReserveGroup] = {}
    below_target: list[BelowTarget] = []


def metrics(s: ReserveSummary) -> ReservesMetrics:
    """Key figures for the findings chapters.

    Returns
    -------
    dict
        ``{"available": bool, "period": label, "lines", "lines_with_target", "lines_met",
        "met_share" (0..1|null), "coverage_mean" (capped, 0..1|null), "depots",
        "depots_by_level": {层级: n},
        "by_category": {类别: {"lines", "lines_with_target", "met", "met_share", "coverage_mean"}},
        "by_level": {层级: {"depots", "lines", "lines_with_target", "met", "met_share",
        "coverage_mean"}},
        "below_target": [{"item", "category", "level", "depot", "quantity", "target",
        "shortfall", "unit", "coverage"}]}``; only ``available`` and ``period`` when the
        ledger is absent.
    """
    if not s.available:
        return ReservesMetrics.of({"available": False, "period": s.period.label})

    def grp(r) -> dict:
        return {
            "lines": int(r["储备行数"]),
            "lines_with_target": int(r["有目标行数"]),
            "met": int(r["达标行数"]),
            "met_share": finite_float(r["达标率"]),
            "coverage_mean": finite_float(r["平均保障率"]),
        }

    tot = s.levels[s.levels["层级"] == "合计"].iloc[0]
    lv = s.levels[s.levels["层级"] != "合计"]
    cov = s.coverage[s.coverage["类别"] != "合计"]
    cats = {}
    for cat in dict.fromkeys(cov["类别"]):
        cats[cat] = _group_row_from(cov[cov["类别"] == cat])
    return ReservesMetrics.of(
        {
            "available": True,
            "period": s.period.label,
            "lines": int(tot["储备行数"]),
            "lines_with_target": int(tot["有目标行数"]),
            "lines_met": int(tot["达标行数"]),
            "met_share": finite_float(tot["达标率"]),
            "coverage_mean": finite_float(tot["平均保障率"]),
            "depots": int(tot["储备点(个)"]),
            "depots_by_level": {r["层级"]: int(r["储备点(个)"]) for _, r in lv.iterrows()},
            "by_category": cats,
            "by_level": {
                r["层级"]: {"depots": int(r["储备点(个)"]), **grp(r)} for _, r in lv.iterrows()
            },
            "below_target": [
                {
                    "item": r["物资"],
                    "category": r["类别"],
                    "level": r["层级"],
                    "depot": r["储备点"],
                    "quantity": float(r["数量"]),
                    "target": float(r["目标"]),
                    "shortfall": float(r["缺口"]),
                    "unit": r["单位"],
                    "coverage": float(r["保障率"]),
                }
                for _, r in s.below.iterrows()
            ],
        }
    )


def _group_row_from(rows: pd.DataFrame) -> dict:
    """Combine (类别, 层级) rows of one category: counts add; the capped mean is weighted by
    lines with a target (equal to the mean over the category's lines)."""
    n = int(rows["有目标行数"].sum())
    met = int(rows["达标行数"].sum())
    w = (rows["平均保障率"].fillna(0) * rows["有目标行数"]).sum()
    return {
        "lines": int(rows["储备行数"].sum()),
        "lines_with_target": n,
        "met": met,
        "met_share": met / n if n else None,
        "coverage_mean": float(w / n) if n else None,
    }


def display_tables(s: ReserveSummary) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coverage table, below-target table) with percentages as text (``87.5%``, ``—``)."""
    from planeval.narrative.phrasing import fmt_num, fmt_pct

    c = s.coverage.copy()
    for col in ("达标率", "平均保障率"):
        c[col] = c[col].map(fmt_pct)
    b = s.below.copy()
    b["保障率"] = b["保障率"].map(fmt_pct)
    for col in ("数量", "目标", "缺口"):
        b[col] = b[col].map(lambda v: fmt_num(v, 0) if float(v).is_integer() else fmt_num(v, 2))
    return show_numbers(c), b


def narrative(s: ReserveSummary, county: str) -> Narrative:
    """Figures paragraph (template ``reserves/summary.md.j2``)."""
    m = metrics(s).to_json()
    return render(
        "reserves/summary.md.j2",
        county=county,
        period=s.period.label,
        m=m,
        shown=m["below_target"][:8],
        as_of_label=snapshot_label(s.as_of, s.period),
        gap_note=snapshot_gap_note("物资储备", s.as_of, s.period),
    )


def method_note(s: ReserveSummary) -> Narrative:
    """How coverage was computed, with the overall numerator and denominator."""
    return render("reserves/method.md.j2", m=metrics(s).to_json())


def coverage_chart(s: ReserveSummary):
    """Grouped bars: 平均保障率 by 类别 and 层级 with the 100 % line. None when absent/empty."""
    if s.coverage.empty:
        return None
    c = s.coverage[(s.coverage["类别"] != "合计") & s.coverage["平均保障率"].notna()]
    if c.empty:
        return None
    cats = list(dict.fromkeys(c["类别"]))
    levels = [lv for lv in vocab.RESERVE_LEVELS if lv in set(c["层级"])]
    fig, ax = new_figure("wide")
    w = 0.8 / len(levels)
    pos: dict[str, tuple[list[float], list[float]]] = {lv: ([], []) for lv in levels}
    for i, cat in enumerate(cats):
        here = [lv for lv in levels if ((c["类别"] == cat) & (c["层级"] == lv)).any()]
        for j, lv in enumerate(here):  # bars of the levels present, centred on the category
            hit = c[(c["类别"] == cat) & (c["层级"] == lv)]
            pos[lv][0].append(i + w * (j - (len(here) - 1) / 2))
            pos[lv][1].append(float(hit["平均保障率"].iloc[0]) * 100)
    for j, lv in enumerate(levels):
        xs, vs = pos[lv]
        ax.bar(xs, vs, width=w * 0.92, color=PALETTE[j], label=f"{lv}级")
        for x, v in zip(xs, vs, strict=True):
            ax.text(x, v + 1, f"{v:.0f}%", ha="center", va="bottom", fontsize=6.5)
    ax.axhline(100, color=COLORS["warn"], ls="--", lw=1, label="目标(100%)")
    ax.set_xticks(
        range(len(cats)),
        cats,
        rotation=0 if len(cats) <= 6 else 30,
        ha="center" if len(cats) <= 6 else "right",
    )
    ax.set_ylim(0, 118)
    ax.set_ylabel("平均保障率(%)")
    ax.set_title("应急物资储备平均保障率（按类别、层级）")
    ax.legend(
        loc="lower center",
        ncol=len(levels) + 1,
        bbox_to_anchor=(0.5, -0.32 if len(cats) > 6 else -0.25),
    )
    fig.tight_layout()
    return fig


def key_figures(pack: DataPack, period: Period, thresholds: Any = None) -> ReservesMetrics:
    """:func:`metrics` of :func:`summarise` (the registry's ``key_figures``); ``thresholds`` is
    not used by this chapter."""
    return metrics(summarise(pack, Period.parse(period)))
