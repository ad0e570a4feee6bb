"""3. 强化应急救援能力: rescue teams, emergency plans and drills.

- Teams (救援队伍, a snapshot): a team counts when it was set up by the period end (blank 成立日期 =
  already existing); "new" when 成立日期 falls inside the period.
- Plans (应急预案): in force = 发布日期 ≤ period end; issued in the period = 发布日期 inside it;
  revised in the period = 修订日期 inside it. The seed names the county-level plans revised.
- Drills (应急演练): by 形式 (桌面推演 / 实战 / 双盲) and calendar-year slice, with 参演人数; a
  partial last year is compared with the same period a year earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.ticker import MaxNLocator

from planeval import vocab
from planeval.chapters.window import rows_in, same_period_comparison, show_numbers, year_slices
from planeval.charts.style import PALETTE, new_figure
from planeval.data.pack import DataPack
from planeval.metrics import ChapterMetrics, Figures
from planeval.narrative.phrasing import fmt_date
from planeval.narrative.render import Narrative, render
from planeval.periods import Period
from planeval.snapshots import snapshot_date, snapshot_gap_note, snapshot_label


def _end(period: Period) -> pd.Timestamp:
    return pd.Timestamp(period.end) + pd.Timedelta(days=1)


# ------------------------------------------------------------------------------- teams
def teams_by_type(teams: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Teams existing at the period end by 类型 (vocabulary order) with a 合计 row.

    Columns: 类型, 队伍(支), 队员(人), 期内新组建(支). Empty when the ledger is absent.
    """
    if teams is None:
        return pd.DataFrame()
    est = (
        pd.to_datetime(teams["established"])
        if "established" in teams
        else pd.Series(pd.NaT, index=teams.index)
    )
    t = teams[est.isna() | (est < _end(period))]
    new = rows_in(teams.assign(established=est), "established", period)
    rows = []
    for ty in [x for x in vocab.TEAM_TYPES if x in set(t["type"])]:
        d = t[t["type"] == ty]
        rows.append(
            {
                "类型": ty,
                "队伍(支)": int(len(d)),
                "队员(人)": int(d["members"].sum()),
                "期内新组建(支)": int((new["type"] == ty).sum()) if len(new) else 0,
            }
        )
    rows.append(
        {
            "类型": "合计",
            "队伍(支)": int(len(t)),
            "队员(人)": int(t["members"].sum()),
            "期内新组建(支)": int(len(new)),
        }
    )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------- plans
def plans_table(plans: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Plans by 层级 and 类别: 现行(部) (发布日期 ≤ period end), 期内发布(部), 期内修订(部).

    Rows only for (层级, 类别) pairs that have a plan in force, in vocabulary order, then 合计.
    """
    if plans is None:
        return pd.DataFrame()
    p = plans[pd.to_datetime(plans["issued"]) < _end(period)]
    issued = rows_in(p, "issued", period)
    revised = rows_in(p, "revised", period)
    rows = []
    for lv in vocab.PLAN_LEVELS:
        for kd in vocab.PLAN_KINDS:
            n = int(((p["level"] == lv) & (p["kind"] == kd)).sum())
            if not n:
                continue
            rows.append(
                {
                    "层级": lv,
                    "类别": kd,
                    "现行(部)": n,
                    "期内发布(部)": int(((issued["level"] == lv) & (issued["kind"] == kd)).sum()),
                    "期内修订(部)": int(((revised["level"] == lv) & (revised["kind"] == kd)).sum()),
                }
            )
    rows.append(
        {
            "层级": "合计",
            "类别": "",
            "现行(部)": int(len(p)),
            "期内发布(部)": int(len(issued)),
            "期内修订(部)": int(len(revised)),
        }
    )
    return pd.DataFrame(rows)


def plan_names(
    plans: pd.DataFrame | None, period: Period, which: str, level: str = "县"
) -> list[str]:
    """Names of ``level`` plans revised (``which="revised"``) or issued (``"issued"``) in the
    period, in date order (ties by name), without duplicates."""
    if plans is None:
        return []
    d = rows_in(plans[plans["level"] == level], which, period)
    d = d.assign(_d=pd.to_datetime(d[which])).sort_values(["_d", "name"], kind="stable")
    return list(dict.fromkeys(str(n) for n in d["name"]))


# ------------------------------------------------------------------------------- drills
def drills_by_year(drills: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Drills per calendar-year slice by 形式, with 合计(次) and 参演人数(人), plus a 合计 row.

    Columns: 年度, 桌面推演, 实战, 双盲, 合计(次), 参演人数(人). Empty when the ledger is absent.
    """
    if drills is None:
        return pd.DataFrame()
    rows = []
    for s in [*year_slices(period), None]:
        d = rows_in(drills, "date", period if s is None else s.period)
        row = {"年度": "合计" if s is None else s.label}
        for f in vocab.DRILL_FORMS:
            row[f] = int((d["form"] == f).sum()) if len(d) else 0
        row["合计(次)"] = int(len(d))
        row["参演人数(人)"] = int(d["participants"].sum()) if len(d) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def drills_yoy(drills: pd.DataFrame | None, period: Period) -> dict | None:
    """A partial last year vs the same period a year earlier.

    Returns ``{"label", "previous_label", "current": {"drills", "live", "participants"},
    "previous": {...}}`` or None (whole years, no ledger, or the ledger does not cover the year
    before — :func:`planeval.indicators.formulas.frame_covers`: a year before its first row was
    never recorded, so its zero is not compared with).
    """

    def fig(d: pd.DataFrame) -> dict:
        return {
            "drills": int(len(d)),
            "live": int((d["form"] == "实战").sum()) if len(d) else 0,
            "participants": int(d["participants"].sum()) if len(d) else 0,
        }

    return same_period_comparison(drills, "date", period, fig)


# ------------------------------------------------------------------------------- summary
@dataclass
class RescueSummary:
    """Everything the chapter shows; a table is empty when its ledger is absent."""

    period: Period
    teams: pd.DataFrame
    plans: pd.DataFrame
    county_revised: list[str]
    county_issued: list[str]
    drills: pd.DataFrame
    drills_yoy: dict | None
    drill_names: dict  # form -> names of 实战/双盲 drills in the period
    as_of: dict = field(default_factory=dict)  # teams / plans -> the ledger's 填报时点 or None

    @property
    def missing(self) -> list[str]:
        """Chinese names of the absent ledgers."""
        return [
            zh
            for zh, df in (
                ("救援队伍", self.teams),
                ("应急预案", self.plans),
                ("应急演练", self.drills),
            )
            if df.empty
        ]


def summarise(pack: DataPack, period: Period) -> RescueSummary:
    """Compute the chapter's figures for ``period``."""
    names = {}
    if pack.drills is not None:
        d = rows_in(pack.drills, "date", period).sort_values("date", kind="stable")
        names = {f: list(d.loc[d["form"] == f, "name"].astype(str)) for f in ("实战", "双盲")}
    return RescueSummary(
        period=period,
        teams=teams_by_type(pack.teams, period),
        plans=plans_table(pack.plans, period),
        county_revised=plan_names(pack.plans, period, "revised"),
        county_issued=plan_names(pack.plans, period, "issued"),
        drills=drills_by_year(pack.drills, period),
        drills_yoy=drills_yoy(pack.drills, period),
        drill_names=names,
        as_of={k: snapshot_date(pack, k) for k in ("teams", "plans")},
    )


# ----------------------------------------------------------------------------- key figures
class TeamType(Figures):
    teams: int
    members: int


class Teams(Figures):
    available: bool = True
    count: int | None = None
    members: int | None = None
    new_in_period: int | None = None
    by_type: dict[str, TeamType] = {}


class PlanLevel(Figures):
    in_force: int
    issued: int
    revised: int


class Plans(Figures):
    available: bool = True
    in_force: int | None = None
    issued_in_period: int | None = None
    revised_in_period: int | None = None
    county_revised_names: list[str] = []
    county_issued_names: list[str] = []
    by_level: dict[str, PlanLevel] = {}


class DrillComparison(Figures):
    label: str
    previous_label: str
    current: dict[str, int]
    previous: dict[str, int]


class Drills(Figures):
    available: bool = True
    total: int | None = None
    participants: int | None = None
    by_form: dict[str, int] = {}  # 形式 -> count
    live: int | None = None  # 实战
    double_blind: int | None = None  # 双盲
    by_year: dict[str, dict[str, int]] = {}  # label -> 形式…, 合计(次), 参演人数(人)
    yoy: DrillComparison | None = None


class RescueMetrics(ChapterMetrics):
    period: str | None = None
    teams: Teams | None = None
    plans: Plans | None = None
    drills: Drills | None = None


def metrics(s: RescueSummary) -> RescueMetrics:
    """Key figures for the findings chapters.

    Returns
    -------
    dict
        ``{"period": label,
        "teams": {"available": bool, "count", "members", "new_in_period",
                  "by_type": {类型: {"teams", "members"}}},
        "plans": {"available": bool, "in_force", "issued_in_period", "revised_in_period",
                  "county_revised_names": [...], "county_issued_names": [...],
                  "by_level": {层级: {"in_force", "issued", "revised"}}},
        "drills": {"available": bool, "total", "participants",
                   "by_form": {形式: count}, "live": 实战 count, "double_blind": 双盲 count,
                   "by_year": {label: {形式..., "合计(次)", "参演人数(人)"}},
                   "yoy": see drills_yoy | None}}``.
        Figures of an absent ledger are null.
    """
    out: dict = {"period": s.period.label}
    if s.teams.empty:
        out["teams"] = {"available": False}
    else:
        t = s.teams.set_index("类型")
        out["teams"] = {
            "available": True,
            "count": int(t.loc["合计", "队伍(支)"]),
            "members": int(t.loc["合计", "队员(人)"]),
            "new_in_period": int(t.loc["合计", "期内新组建(支)"]),
            "by_type": {
                k: {"teams": int(r["队伍(支)"]), "members": int(r["队员(人)"])}
                for k, r in t.drop("合计").iterrows()
            },
        }
    if s.plans.empty:
        out["plans"] = {"available": False}
    else:
        p = s.plans
        tot = p[p["层级"] == "合计"].iloc[0]
        body = p[p["层级"] != "合计"]
        lv = body.groupby("层级", sort=False)[["现行(部)", "期内发布(部)", "期内修订(部)"]].sum()
        out["plans"] = {
            "available": True,
            "in_force": int(tot["现行(部)"]),
            "issued_in_period": int(tot["期内发布(部)"]),
            "revised_in_period": int(tot["期内修订(部)"]),
            "county_revised_names": s.county_revised,
            "county_issued_names": s.county_issued,
            "by_level": {
                k: {"in_force": int(r.iloc[0]), "issued": int(r.iloc[1]), "revised": int(r.iloc[2])}
                for k, r in lv.iterrows()
            },
        }
    if s.drills.empty:
        out["drills"] = {"available": False}
    else:
        d = s.drills.set_index("年度")
        tot = d.loc["合计"]
        out["drills"] = {
            "available": True,
            "total": int(tot["合计(次)"]),
            "participants": int(tot["参演人数(人)"]),
            "by_form": {f: int(tot[f]) for f in vocab.DRILL_FORMS},
            "live": int(tot["实战"]),
            "double_blind": int(tot["双盲"]),
            "by_year": {k: {c: int(v) for c, v in r.items()} for k, r in d.drop("合计").iterrows()},
            "yoy": s.drills_yoy,
        }
    return RescueMetrics.of(out)


PARTS = {
    "teams": ("（1）应急救援队伍", "救援队伍"),
    "plans": ("（2）应急预案", "应急预案"),
    "drills": ("（3）应急演练", "应急演练"),
}


def narrative(s: RescueSummary, county: str, part: str) -> Narrative | None:
    """Figures paragraph of one part (``teams`` / ``plans`` / ``drills``, templates
    ``rescue/<part>.md.j2``); None when that part's ledger is absent."""
    m = metrics(s).to_json()
    if not m[part]["available"]:
        return None
    return render(
        f"rescue/{part}.md.j2",
        county=county,
        period=s.period.label,
        **{part: m[part]},
        drill_names=s.drill_names,
        as_of_label=snapshot_label(s.as_of.get(part), s.period),
        gap_note=snapshot_gap_note(PARTS[part][1], s.as_of.get(part), s.period),
    )


def notice(s: RescueSummary, part: str) -> str | None:
    """The one-line notice for a part whose ledger is absent, else None."""
    heading, zh = PARTS[part]
    return (
        f"本数据包无“{zh}”台账，{heading[3:]}情况不作统计。"
        if not metrics(s).to_json()[part]["available"]
        else None
    )


def part_table(s: RescueSummary, part: str) -> pd.DataFrame:
    """The table of one part for display (numbers as text; empty when its ledger is absent)."""
    return show_numbers({"teams": s.teams, "plans": s.plans, "drills": s.drills}[part])


def method_note(s: RescueSummary) -> Narrative:
    """How each figure was counted (template ``rescue/method.md.j2``)."""
    end = fmt_date(s.period.end)
    return render("rescue/method.md.j2", period=s.period.label, end=end, yoy=s.drills_yoy)


def drills_chart(s: RescueSummary):
    """Stacked bars: drills per year slice by 形式. None when the ledger is absent."""
    if s.drills.empty:
        return None
    d = s.drills[s.drills["年度"] != "合计"]
    fig, ax = new_figure("wide")
    bottom = [0] * len(d)
    x = range(len(d))
    for i, f in enumerate(vocab.DRILL_FORMS):
        vals = d[f].tolist()
        ax.bar(x, vals, bottom=bottom, width=0.55, color=PALETTE[i], label=f)
        bottom = [a + b for a, b in zip(bottom, vals, strict=True)]
    for i, v in enumerate(bottom):
        ax.text(i, v, f"{v}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x), d["年度"].tolist())
    ax.set_ylabel("演练次数(次)")
    ax.set_ylim(0, max(bottom + [1]) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("应急演练次数（按形式）")
    ax.legend(loc="upper center", ncol=3)
    fig.tight_layout()
    return fig


def key_figures(pack: DataPack, period: Period, thresholds: Any = None) -> RescueMetrics:
    """:func:`metrics` of :func:`summarise` (the registry's ``key_figures``); ``thresholds`` is
    not used by this chapter."""
    return metrics(summarise(pack, Period.parse(period)))
