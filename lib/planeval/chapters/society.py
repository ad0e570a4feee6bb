"""5. 增强科技支撑和社会共治能力: training, publicity and volunteer activities (宣传培训).

One ledger row is one activity with its 类型 (培训 / 宣传 / 志愿者) and 人次. Activities are
placed in the period by 日期; figures per calendar-year slice; a partial last year is compared
with the same period a year earlier when the ledger covers that year (the coverage rule of
:func:`planeval.indicators.formulas.covered`: from the year of its first row on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from planeval import vocab
from planeval.chapters.window import rows_in, same_period_comparison, show_numbers, year_slices
from planeval.charts.style import PALETTE, new_figure
from planeval.data.pack import DataPack
from planeval.metrics import ChapterMetrics, Figures
from planeval.narrative.render import Narrative, render
from planeval.periods import Period

TYPE_ZH = {"培训": "安全培训", "宣传": "宣传活动", "志愿者": "志愿服务"}
PERSONS_ZH = {"培训": "培训人次", "宣传": "宣传覆盖人次", "志愿者": "志愿服务人次"}
#: A fall of this share or more in an activity's 人次 on the year before is said in the text.
NOTABLE_DROP = 0.3


def _figures(d: pd.DataFrame) -> dict:
    """{类型: (activities, persons)} for every type, zeros included."""
    out = {}
    for t in vocab.OUTREACH_TYPES:
        x = d[d["type"] == t] if len(d) else d
        out[t] = (int(len(x)), int(x["persons"].sum()) if len(x) else 0)
    return out


def by_year(outreach: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Activities and 人次 by type per calendar-year slice, then 合计.

    Columns: 年度, then for each type ``<类型>(次)`` and ``<类型>(人次)``, 合计(次), 合计(人次).
    Empty when the ledger is absent.
    """
    if outreach is None:
        return pd.DataFrame()
    rows = []
    for s in [*year_slices(period), None]:
        d = rows_in(outreach, "date", period if s is None else s.period)
        row = {"年度": "合计" if s is None else s.label}
        for t, (n, p) in _figures(d).items():
            row[f"{TYPE_ZH[t]}(次)"] = n
            row[f"{TYPE_ZH[t]}(人次)"] = p
        row["合计(次)"] = int(len(d))
        row["合计(人次)"] = int(d["persons"].sum()) if len(d) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def yoy(outreach: pd.DataFrame | None, period: Period) -> dict | None:
    """Partial last year vs the same period a year earlier.

    Returns ``{"label", "previous_label", "current": {类型: {"activities", "persons"}},
    "previous": {...}}`` or None (whole years, no ledger, or the ledger does not cover the year
    before — :func:`planeval.indicators.formulas.frame_covers`: a year before its first row was
    never recorded, so its zero is not compared with).
    """

    def fig(rows: pd.DataFrame) -> dict:
        return {t: {"activities": n, "persons": q} for t, (n, q) in _figures(rows).items()}

    return same_period_comparison(outreach, "date", period, fig)


@dataclass
class SocietySummary:
    """Everything the chapter shows (empty frame when the ledger is absent)."""

    period: Period
    available: bool
    years: pd.DataFrame
    yoy: dict | None


def summarise(pack: DataPack, period: Period) -> SocietySummary:
    """Compute the chapter's figures for ``period``."""
    o = pack.outreach
    return SocietySummary(period, o is not None, by_year(o, period), yoy(o, period))


def year_table(s: SocietySummary) -> pd.DataFrame:
    """:func:`by_year` for display (numbers as text), without 合计(人次): trainees, people
    reached by publicity and volunteers are different people and are not added up."""
    return show_numbers(s.years.drop(columns=["合计(人次)"], errors="ignore"))


def notable_drops(m: dict, threshold: float = NOTABLE_DROP) -> list[dict]:
    """Activities whose 人次 fell by ``threshold`` or more on the year before: between
    consecutive whole years of the period, and for the last slice 同比 (``m["yoy"]``).

    Each: ``{"what": 培训人次, "from": 2021年, "to": 2022年, "prev", "cur", "change"}``.
    """
    out = []
    years = [
        (k, v) for k, v in (m.get("by_year") or {}).items() if not k.endswith(("半年", "季度"))
    ]
    pairs = [(a, b) for a, b in zip(years, years[1:], strict=False)]
    for (ka, va), (kb, vb) in pairs:
        for t in vocab.OUTREACH_TYPES:
            prev, cur = va[t]["persons"], vb[t]["persons"]
            if prev > 0 and (cur - prev) / prev <= -threshold:
                out.append(
                    {"what": PERSONS_ZH[t], "from": ka, "to": kb, "prev": prev, "cur": cur,
                     "change": (cur - prev) / prev}
                )  # fmt: skip
    y = m.get("yoy")
    if y:
        for t in vocab.OUTREACH_TYPES:
            prev, cur = y["previous"][t]["persons"], y["current"][t]["persons"]
            if prev > 0 and (cur - prev) / prev <= -threshold:
                out.append(
                    {"what": PERSONS_ZH[t], "from": y["previous_label"], "to": y["label"],
                     "prev": prev, "cur": cur, "change": (cur - prev) / prev}
                )  # fmt: skip
    return out


def notice(s: SocietySummary) -> str | None:
    """The one-line notice when the ledger is absent, else None."""
    return None if s.available else "本数据包无“宣传培训”台账，培训、宣传和志愿服务情况不作统计。"


# ----------------------------------------------------------------------------- key figures
class Activity(Figures):
    activities: int
    persons: int


class SocietyComparison(Figures):
    label: str
    previous_label: str
    current: dict[str, Activity]
    previous: dict[str, Activity]


class SocietyMetrics(ChapterMetrics):
    available: bool = True
    period: str | None = None
    totals: dict[str, Activity] = {}  # 类型 -> …, and "all"
    by_year: dict[str, dict[str, Activity]] = {}
    volunteers: Activity | None = None  # 类型 志愿者
    yoy: SocietyComparison | None = None


def metrics(s: SocietySummary) -> SocietyMetrics:
    """Key figures for the findings chapters.

    Returns
    -------
    dict
        ``{"available": bool, "period": label,
        "totals": {类型: {"activities", "persons"}, "all": {"activities", "persons"}},
        "by_year": {label: {类型: {"activities", "persons"}}},
        "volunteers": {"activities", "persons"} (类型 志愿者),
        "yoy": see society.yoy | None}``; only ``available`` and ``period`` when absent.
    """
    if not s.available:
        return SocietyMetrics.of({"available": False, "period": s.period.label})

    def row(r) -> dict:
        return {
            t: {"activities": int(r[f"{TYPE_ZH[t]}(次)"]), "persons": int(r[f"{TYPE_ZH[t]}(人次)"])}
            for t in vocab.OUTREACH_TYPES
        }

    y = s.years.set_index("年度")
    tot = y.loc["合计"]
    totals = row(tot) | {
        "all": {"activities": int(tot["合计(次)"]), "persons": int(tot["合计(人次)"])}
    }
    return SocietyMetrics.of(
        {
            "available": True,
            "period": s.period.label,
            "totals": totals,
            "by_year": {k: row(r) for k, r in y.drop("合计").iterrows()},
            "volunteers": totals["志愿者"],
            "yoy": s.yoy,
        }
    )


def narrative(s: SocietySummary, county: str) -> Narrative:
    """Figures paragraph (template ``society/summary.md.j2``)."""
    return render(
        "society/summary.md.j2",
        county=county,
        period=s.period.label,
        m=(m := metrics(s).to_json()),
        type_zh=TYPE_ZH,
        drops=notable_drops(m) if s.available else [],
    )


def method_note(s: SocietySummary) -> Narrative:
    """How the figures were counted (template ``society/method.md.j2``)."""
    return render("society/method.md.j2", period=s.period.label, yoy=s.yoy)


def persons_chart(s: SocietySummary):
    """Grouped bars: 人次 per year slice by activity type. None when the ledger is absent."""
    if not s.available:
        return None
    y = s.years[s.years["年度"] != "合计"]
    fig, ax = new_figure("wide")
    n = len(vocab.OUTREACH_TYPES)
    w = 0.8 / n
    for j, t in enumerate(vocab.OUTREACH_TYPES):
        xs = [i - 0.4 + w * (j + 0.5) for i in range(len(y))]
        vals = y[f"{TYPE_ZH[t]}(人次)"].tolist()
        ax.bar(xs, vals, width=w * 0.92, color=PALETTE[j], label=TYPE_ZH[t])
        for x, v in zip(xs, vals, strict=True):
            ax.text(x, v, f"{v:,}", ha="center", va="bottom", fontsize=6.5)
    ax.set_xticks(range(len(y)), y["年度"].tolist())
    ax.set_ylabel("参与人次")
    ax.set_title("安全培训、宣传和志愿服务参与人次")
    top = max([*(y[[f"{TYPE_ZH[t]}(人次)" for t in vocab.OUTREACH_TYPES]].max().tolist()), 1])
    ax.set_ylim(0, top * 1.15)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.legend(loc="upper right", ncol=3)
    fig.tight_layout()
    return fig


def key_figures(pack: DataPack, period: Period, thresholds: Any = None) -> SocietyMetrics:
    """:func:`metrics` of :func:`summarise` (the registry's ``key_figures``); ``thresholds`` is
    not used by this chapter."""
    return metrics(summarise(pack, Period.parse(period)))
