"""提升风险管控能力 — compute: the chapter's figures per sector and year, and its key figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from planeval import vocab
from planeval.chapters.risk.model import RiskMetrics
from planeval.indicators.formulas import frame_covers
from planeval.narrative.phrasing import (
    fmt_pct,
    pct_below,
)
from planeval.numbers import as_figure
from planeval.periods import Period
from planeval.thresholds import Thresholds, load_thresholds

# National benchmark (domain §3): share of major hazards rectified, MEM 14th FYP. One number for
# the chapter and the findings rules: ``overdue.major_benchmark`` in planeval/thresholds.yaml
# (a run's ``findings`` parameter overrides it for both; see :func:`summarise`).
BENCHMARK_KEY = "overdue.major_benchmark"
BENCHMARK_MAJOR_RATE = float(load_thresholds()[BENCHMARK_KEY])
_MEM_BENCHMARK = 0.984  # the value the 应急管理部 source states (for the label only)


def benchmark_label(rate: float) -> str:
    """How the method note names the benchmark: the 应急管理部 figure, or a run's own value.

    >>> benchmark_label(0.984)
    '全国重大事故隐患整改率98.4%（应急管理部）'
    >>> benchmark_label(0.95)
    '重大事故隐患整改率95.0%（本次评估参数“问题识别阈值”设定）'
    """
    if abs(rate - _MEM_BENCHMARK) < 1e-12:
        return f"全国重大事故隐患整改率{fmt_pct(rate)}（应急管理部）"
    return f"重大事故隐患整改率{fmt_pct(rate)}（本次评估参数“问题识别阈值”设定）"


BENCHMARK_LABEL = benchmark_label(BENCHMARK_MAJOR_RATE)


def benchmark_scope(rate: float) -> str:
    """全国 for the 应急管理部 benchmark; 基准 for a run's own value (it is not a national figure)."""
    return "全国" if abs(rate - _MEM_BENCHMARK) < 1e-12 else "基准"


def below_benchmark(rates: pd.Series, benchmark: float) -> pd.Series:
    """Which rates are below ``benchmark`` as printed (:func:`pct_below`); NaN is not below."""
    return rates.map(lambda r: pct_below(r, benchmark)).astype(bool)


# Numeric figures per sector, by source ledger.
INSPECTION_COLS = ("checks", "units", "documents", "penalties", "fines")
HAZARD_COLS = (
    "found",
    "general",
    "major",
    "rectified",
    "rectified_immediate",
    "rectified_deadline",
    "major_rectified",
    "open",
    "open_major",
    "overdue_open",
    "overdue_open_major",
    "overdue_fixed",
    "overdue",
    "open_before",  # open at the period end among those found before the period (stock)
)
RATE_COLS = ("rate", "major_rate")
CAMPAIGN_COLS = ("campaigns", "surveyed", "filed", "campaign_hazards", "campaign_fixed")
COUNT_COLS = (*INSPECTION_COLS, *HAZARD_COLS, *CAMPAIGN_COLS)
FIGURE_COLS = (*INSPECTION_COLS, *HAZARD_COLS, *RATE_COLS, *CAMPAIGN_COLS)

AGE_BUCKETS: tuple[str, ...] = ("未到期", "逾期≤30天", "逾期31–90天", "逾期>90天")
LEDGER_ZH = {"inspections": "执法检查", "hazards": "隐患", "campaigns": "专项整治"}
TOTAL = "合计"

# Chinese column names of the summary table.
SUMMARY_ZH = {
    "checks": "检查次数",
    "units": "检查家次",
    "found": "发现隐患",
    "major": "其中重大",
    "rectified": "已整改",
    "rate": "整改率",
    "major_rate": "重大隐患整改率",
    "open": "未整改",
    "overdue_open": "逾期未整改",
    "documents": "执法文书",
    "penalties": "行政处罚",
    "fines": "罚款(万元)",
}


# ----------------------------------------------------------------------------- helpers
def _ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


def _rows_in(df: pd.DataFrame | None, col: str, period: Period) -> pd.DataFrame:
    """Rows whose date ``col`` lies in ``period`` (both ends inclusive; blank dates never do)."""
    if df is None:
        return pd.DataFrame()
    s = pd.to_datetime(df[col])
    return df[s.notna() & (s >= _ts(period.start)) & (s <= _ts(period.end))]


def _check_sectors(df: pd.DataFrame, ledger: str) -> None:
    bad = sorted(set(df["sector"].dropna().unique()) - set(vocab.SECTORS))
    if bad:  # the loader rejects these; never drop rows silently if one slips through
        raise ValueError(
            f"{LEDGER_ZH[ledger]}台账的行业领域 (sector) 不在规定范围内：{'、'.join(bad)}"
        )


def _by_sector(parts: dict[str, pd.Series]) -> pd.DataFrame:
    """Per-sector Series → a frame indexed by SECTORS (absent sectors 0)."""
    out = pd.DataFrame(parts).reindex(list(vocab.SECTORS)).fillna(0)
    out.index.name = "sector"
    return out


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den and not pd.isna(den) else np.nan


# ----------------------------------------------------------------------------- inspections
def count_checks(rows: pd.DataFrame) -> int:
    """检查次数 of some inspection rows: distinct 检查批次 + rows without a 批次.

    Examples
    --------
    >>> df = pd.DataFrame({"action": ["A", "A", None, "B", " "]})
    >>> count_checks(df)
    4
    """
    if rows.empty:
        return 0
    if "action" not in rows:
        return len(rows)
    a = rows["action"].astype("string").str.strip().replace("", pd.NA)
    return int(a.nunique(dropna=True) + a.isna().sum())


def checks_by(rows: pd.DataFrame, keys: list[pd.Series]) -> pd.Series:
    """:func:`count_checks` of each group of ``rows`` by ``keys`` (Series aligned with it), in
    one pass: distinct 批次 per group + its rows without one.

    Examples
    --------
    >>> df = pd.DataFrame({"sector": ["x", "x", "x", "y", "y"],
    ...                    "action": ["A", "A", None, "A", " "]})
    >>> checks_by(df, [df["sector"]]).to_dict()
    {'x': 2, 'y': 2}
    """
    if "action" not in rows:
        return rows.groupby(keys, sort=False).size()
    a = rows["action"].astype("string").str.strip().replace("", pd.NA)
    return (
        a.groupby(keys, sort=False).nunique(dropna=True) + a.isna().groupby(keys, sort=False).sum()
    )


def inspection_figures(inspections: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Per-sector 检查次数, 检查家次, 执法文书, 行政处罚, 罚款(万元) in ``period``.

    Returns a frame indexed by ``vocab.SECTORS`` with columns ``INSPECTION_COLS``; all NaN when
    the ledger is absent (unknown, not zero).
    """
    if inspections is None:
        return pd.DataFrame(
            np.nan, index=pd.Index(vocab.SECTORS, name="sector"), columns=INSPECTION_COLS
        )
    _check_sectors(inspections, "inspections")
    r = _rows_in(inspections, "date", period)
    g = r.groupby("sector", sort=False)
    num = {
        c: (r[c] if c in r else pd.Series(0, index=r.index))
        for c in ("documents", "penalties", "fines")
    }
    return _by_sector(
        {
            "checks": checks_by(r, [r["sector"]]) if len(r) else pd.Series(dtype=float),
            "units": g.size(),
            "documents": num["documents"].fillna(0).groupby(r["sector"]).sum(),
            "penalties": num["penalties"].fillna(0).groupby(r["sector"]).sum(),
            "fines": num["fines"].fillna(0).groupby(r["sector"]).sum(),
        }
    )[list(INSPECTION_COLS)]


def quarterly_inspections(inspections: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """检查次数 and 检查家次 per calendar quarter of ``period`` (every quarter, zeros included).

    Returns columns ``quarter`` (label ``2021Q1``), ``checks``, ``units``; empty when the ledger is
    absent. 次数 within a quarter uses the same 批次 rule per sector, summed over sectors.
    """
    if inspections is None:
        return pd.DataFrame(columns=["quarter", "checks", "units"])
    r = _rows_in(inspections, "date", period)
    q = pd.to_datetime(r["date"]).dt.to_period("Q")
    quarters = pd.period_range(_ts(period.start), _ts(period.end), freq="Q")
    # 次数 per (quarter, sector), summed over the sectors of each quarter
    checks = checks_by(r, [q, r["sector"]]).groupby(level=0).sum() if len(r) else pd.Series()
    units = q.value_counts()
    rows = [
        {
            "quarter": f"{qq.year}Q{qq.quarter}",
            "checks": int(checks.get(qq, 0)),
            "units": int(units.get(qq, 0)),
        }
        for qq in quarters
    ]
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- hazards
def _flags(h: pd.DataFrame, end: date) -> pd.DataFrame:
    h = h.copy()
    end_ts = _ts(end)
    fixed = pd.to_datetime(h["fixed"]) if "fixed" in h else pd.Series(pd.NaT, index=h.index)
    dl = pd.to_datetime(h["deadline"]) if "deadline" in h else pd.Series(pd.NaT, index=h.index)
    h["is_major"] = h["level"] == "重大"
    h["rectified"] = fixed.notna() & (fixed <= end_ts)
    h["open"] = ~h["rectified"]
    h["overdue_open"] = h["open"] & dl.notna() & (dl < end_ts)
    h["overdue_fixed"] = h["rectified"] & dl.notna() & (fixed > dl)
    h["days_past"] = (end_ts - dl).dt.days
    return h


def hazard_flags(hazards: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The hazards found in ``period`` with boolean flags judged at the period end (the flows).

    Adds columns ``is_major``, ``rectified``, ``open``, ``overdue_open``, ``overdue_fixed`` and
    ``days_past`` (days from 整改期限 to the period end, NaN without a deadline).
    """
    return _flags(_rows_in(hazards, "found", period), period.end)


def hazard_stock(hazards: pd.DataFrame, at: date) -> pd.DataFrame:
    """Every hazard found on or before ``at``, flagged at ``at`` (as :func:`hazard_flags`).

    Open and overdue hazards are a stock: at a date they are the same whatever the report's
    period, so a hazard found before the period and still open at its end counts.
    """
    found = pd.to_datetime(hazards["found"])
    return _flags(hazards[found.notna() & (found <= _ts(at))], at)


STOCK_COLS = ("open", "open_major", "overdue_open", "overdue_open_major", "open_before")


def hazard_figures(hazards: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Per-sector hazard figures: flows (found, rectified, overdue_fixed, rates) for the hazards
    found in ``period``; stocks (``STOCK_COLS``: open, overdue …) for every hazard found on or
    before the period end and open at it (``open_before``: those found before the period).

    Columns ``HAZARD_COLS`` + ``RATE_COLS`` (see the module docstring for each rule); all NaN
    when the ledger is absent. ``rate``/``major_rate`` are NaN where the
    denominator is 0.
    """
    idx = pd.Index(vocab.SECTORS, name="sector")
    if hazards is None:
        return pd.DataFrame(np.nan, index=idx, columns=[*HAZARD_COLS, *RATE_COLS])
    _check_sectors(hazards, "hazards")
    h = hazard_flags(hazards, period)
    st = hazard_stock(hazards, period.end)
    before = pd.to_datetime(st["found"]) < _ts(period.start)
    g = h.groupby("sector")
    imm = h["mode"] == "立即"
    out = _by_sector(
        {
            "found": g.size(),
            "general": (~h["is_major"]).groupby(h["sector"]).sum(),
            "major": h["is_major"].groupby(h["sector"]).sum(),
            "rectified": h["rectified"].groupby(h["sector"]).sum(),
            "rectified_immediate": (h["rectified"] & imm).groupby(h["sector"]).sum(),
            "rectified_deadline": (h["rectified"] & ~imm).groupby(h["sector"]).sum(),
            "major_rectified": (h["rectified"] & h["is_major"]).groupby(h["sector"]).sum(),
            "open": st["open"].groupby(st["sector"]).sum(),
            "open_major": (st["open"] & st["is_major"]).groupby(st["sector"]).sum(),
            "overdue_open": st["overdue_open"].groupby(st["sector"]).sum(),
            "overdue_open_major": (st["overdue_open"] & st["is_major"]).groupby(st["sector"]).sum(),
            "overdue_fixed": h["overdue_fixed"].groupby(h["sector"]).sum(),
            "open_before": (st["open"] & before).groupby(st["sector"]).sum(),
        }
    )
    out = out.reindex(columns=list(HAZARD_COLS), fill_value=0)
    out["overdue"] = out["overdue_open"] + out["overdue_fixed"]
    return _add_rates(out)


def _add_rates(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["rate"] = [_ratio(n, d) for n, d in zip(df["rectified"], df["found"], strict=True)]
    df["major_rate"] = [
        _ratio(n, d) for n, d in zip(df["major_rectified"], df["major"], strict=True)
    ]
    return df


def open_major_ages(hazards: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Open major hazards at the period end (a stock: every one found by then, see
    :func:`hazard_stock`) by sector and age bucket (``AGE_BUCKETS``).

    Only sectors with at least one open major hazard appear; empty when the ledger is absent.
    """
    if hazards is None:
        return pd.DataFrame(columns=list(AGE_BUCKETS))
    h = hazard_stock(hazards, period.end)
    h = h[h["open"] & h["is_major"]]
    d = h["days_past"]
    bucket = np.select(
        [d.isna() | (d <= 0), d <= 30, d <= 90],
        list(AGE_BUCKETS[:3]),
        default=AGE_BUCKETS[3],
    )
    t = pd.crosstab(h["sector"], pd.Categorical(bucket, categories=AGE_BUCKETS), dropna=False)
    t = t.reindex(columns=list(AGE_BUCKETS), fill_value=0)
    t = t.reindex([s for s in vocab.SECTORS if s in t.index])
    t.columns.name = None
    return t.astype(int)


# ----------------------------------------------------------------------------- details
def expert_units(inspections: pd.DataFrame | None, period: Period) -> pd.Series:
    """Per-sector 检查家次 of the inspections whose 检查类型 is 专家 (聘请专家检查) in
    ``period``; NaN for every sector when the ledger is absent (unknown, not zero)."""
    idx = pd.Index(vocab.SECTORS, name="sector")
    if inspections is None:
        return pd.Series(np.nan, index=idx)
    r = _rows_in(inspections, "date", period)
    r = r[r["kind"] == "专家"] if len(r) else r
    return (
        r.groupby("sector").size().reindex(idx).fillna(0).astype(int)
        if len(r)
        else (pd.Series(0, index=idx))
    )


CAMPAIGN_CHECK_COLS = ("checks", "units", "found", "documents", "penalties", "fines")


def campaign_checks(inspections: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The inspections tagged with a 专项行动, per (campaign, sector), in ``period``: 检查次数,
    家次, 发现隐患, 执法文书, 行政处罚, 罚款(万元) (columns ``CAMPAIGN_CHECK_COLS``)."""
    empty = pd.DataFrame(
        columns=list(CAMPAIGN_CHECK_COLS),
        index=pd.MultiIndex.from_arrays([[], []], names=["campaign", "sector"]),
    )
    if inspections is None or "campaign" not in inspections:
        return empty
    r = _rows_in(inspections, "date", period)
    if not len(r):
        return empty
    name = r["campaign"].astype("string").str.strip()
    tagged = (name.notna() & (name != "")).fillna(False).to_numpy(dtype=bool)
    r = r.loc[tagged].assign(campaign=name[tagged])
    if not len(r):
        return empty
    num = {
        c: r[c].fillna(0) if c in r else pd.Series(0, index=r.index)
        for c in ("hazards_found", "documents", "penalties", "fines")
    }
    g = r.groupby(["campaign", "sector"], sort=False)
    keys = [r["campaign"], r["sector"]]
    return pd.DataFrame(
        {
            "checks": checks_by(r, keys),
            "units": g.size(),
            "found": num["hazards_found"].groupby(keys).sum(),
            "documents": num["documents"].groupby(keys).sum(),
            "penalties": num["penalties"].groupby(keys).sum(),
            "fines": num["fines"].groupby(keys).sum(),
        }
    )[list(CAMPAIGN_CHECK_COLS)]


def result_rows(results: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The 工作成果 rows of ``period`` (日期 in it), one per (sector, campaign, measure, unit):
    a count (户, 升, 家 …) is summed over the period; a rate (unit ``%``) is a level, so the
    latest in the period is taken and its date kept (``as_of``). Ledger order."""
    cols = ["sector", "campaign", "measure", "value", "unit", "as_of", "rate"]
    if results is None or not len(results):
        return pd.DataFrame(columns=cols)
    r = _rows_in(results, "date", period).copy()
    if not len(r):
        return pd.DataFrame(columns=cols)
    r["campaign"] = r["campaign"].astype("string").str.strip().fillna("") if "campaign" in r else ""
    r["unit"] = r["unit"].astype("string").str.strip().fillna("") if "unit" in r else ""
    r["rate"] = r["unit"].isin(["%", "％"])
    r["_pos"] = range(len(r))
    out = []
    for _, g in r.groupby(["sector", "campaign", "measure", "unit"], sort=False):
        g = g.sort_values(["date", "_pos"], kind="stable")
        last = g.iloc[-1]
        value = float(last["value"]) if last["rate"] else float(g["value"].sum())
        out.append(
            {
                "sector": last["sector"],
                "campaign": str(last["campaign"]),
                "measure": str(last["measure"]),
                "value": value,
                "unit": str(last["unit"]),
                "as_of": pd.Timestamp(last["date"]) if last["rate"] else pd.NaT,
                "rate": bool(last["rate"]),
                "_pos": int(g["_pos"].min()),
            }
        )
    return pd.DataFrame(out).sort_values("_pos", kind="stable")[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- campaigns
def campaign_rows(campaigns: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """The campaign rows counted in ``period``: those whose 开始日期 falls in it.

    Adds ``ongoing`` (结束日期 blank or after the period end). Sorted by sector order, then start.
    """
    cols = [
        "campaign",
        "sector",
        "object",
        "surveyed",
        "filed",
        "hazards",
        "fixed",
        "start",
        "end",
        "ongoing",
    ]
    if campaigns is None:
        return pd.DataFrame(columns=cols)
    _check_sectors(campaigns, "campaigns")
    c = _rows_in(campaigns, "start", period).copy()
    end = pd.to_datetime(c["end"]) if "end" in c else pd.Series(pd.NaT, index=c.index)
    c["end"] = end
    c["ongoing"] = end.isna() | (end > _ts(period.end))
    c["_order"] = c["sector"].map({s: i for i, s in enumerate(vocab.SECTORS)})
    c = c.sort_values(["_order", "start", "campaign"], kind="stable")
    return c[cols].reset_index(drop=True)


def carried_over_campaigns(campaigns: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Campaign rows that started before ``period`` and were still running in it (not counted)."""
    if campaigns is None:
        return pd.DataFrame(columns=["campaign", "sector", "start", "end"])
    start = pd.to_datetime(campaigns["start"])
    end = (
        pd.to_datetime(campaigns["end"])
        if "end" in campaigns
        else pd.Series(pd.NaT, index=campaigns.index)
    )
    m = (start < _ts(period.start)) & (end.isna() | (end >= _ts(period.start)))
    return (
        campaigns.loc[m, ["campaign", "sector", "start"]].assign(end=end[m]).reset_index(drop=True)
    )


def campaign_figures(campaigns: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Per-sector sums of the campaigns counted in ``period`` (columns ``CAMPAIGN_COLS``)."""
    if campaigns is None:
        return pd.DataFrame(
            np.nan, index=pd.Index(vocab.SECTORS, name="sector"), columns=CAMPAIGN_COLS
        )
    c = campaign_rows(campaigns, period)
    g = c.groupby("sector")
    return _by_sector(
        {
            "campaigns": g.size(),
            "surveyed": g["surveyed"].sum(),
            "filed": g["filed"].sum(),
            "campaign_hazards": g["hazards"].sum(),
            "campaign_fixed": g["fixed"].sum(),
        }
    )[list(CAMPAIGN_COLS)]


# ----------------------------------------------------------------------------- all together
def sector_figures(
    inspections: pd.DataFrame | None,
    hazards: pd.DataFrame | None,
    campaigns: pd.DataFrame | None,
    period: Period,
) -> pd.DataFrame:
    """All per-sector figures of ``period``: a frame indexed by SECTORS, columns ``FIGURE_COLS``."""
    df = pd.concat(
        [
            inspection_figures(inspections, period),
            hazard_figures(hazards, period),
            campaign_figures(campaigns, period),
        ],
        axis=1,
    )
    return df[list(FIGURE_COLS)]


def total_row(sectors: pd.DataFrame) -> pd.Series:
    """合计 of a sector frame: counts summed (NaN when the ledger is absent), rates recomputed."""
    counts = sectors[[c for c in COUNT_COLS if c in sectors]].sum(min_count=1)
    t = counts.reindex([c for c in FIGURE_COLS if c in sectors])
    t["rate"] = _ratio(t["rectified"], t["found"])
    t["major_rate"] = _ratio(t["major_rectified"], t["major"])
    t.name = TOTAL
    return t


@dataclass(frozen=True)
class YearRow:
    """One calendar-year slice (or its same-period-a-year-earlier comparison)."""

    label: str
    period: Period
    totals: pd.Series
    partial: bool = False
    compare: YearRow | None = None


@dataclass(frozen=True)
class RiskResult:
    """Everything the chapter shows, computed once from the pack.

    ``sectors``: per-sector figures (index SECTORS, columns FIGURE_COLS); ``totals``: its 合计;
    ``years``: one YearRow per calendar-year slice; ``campaigns``: rows counted (campaign_rows);
    ``carried_over``: campaigns started before the period; ``ages``: open major hazards by age;
    ``quarters``: inspections per quarter; ``available``: which of the three ledgers the pack has;
    ``experts``: 专家 inspections (家次) per sector; ``campaign_checks``: the inspections tagged
    with each campaign; ``results``: the period's 工作成果 (:func:`result_rows`).
    """

    period: Period
    available: dict[str, bool]
    sectors: pd.DataFrame
    totals: pd.Series
    years: list[YearRow]
    campaigns: pd.DataFrame
    carried_over: pd.DataFrame
    ages: pd.DataFrame
    quarters: pd.DataFrame
    benchmark: float = BENCHMARK_MAJOR_RATE
    county: str = ""
    missing: list[str] = field(default_factory=list)
    experts: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    campaign_checks: pd.DataFrame = field(default_factory=pd.DataFrame)
    results: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def any_data(self) -> bool:
        """True when the pack has at least one of 执法检查, 隐患, 专项整治."""
        return any(self.available.values())

    def shown_sectors(self) -> list[str]:
        """The eleven sectors, plus 其他 only when it has any figure."""
        out = list(vocab.SECTORS[:-1])
        other = self.sectors.loc["其他", list(COUNT_COLS)].fillna(0)
        if (other > 0).any():
            out.append("其他")
        return out


def summarise(
    pack,
    period: Period | str,
    county: str = "",
    thresholds: Thresholds | Mapping | str | None = None,
) -> RiskResult:
    """Compute the chapter's figures from a DataPack for ``period``.

    Parameters
    ----------
    pack : DataPack
        The loaded pack (ledgers inspections, hazards, campaigns may be absent).
    period : Period or str
        The evaluation period.
    county : str
        County name for the narrative.
    thresholds : Thresholds, mapping or str, optional
        The findings thresholds or a run's overrides of them (the chapter's ``findings``
        parameter); the 重大隐患整改率 benchmark is ``overdue.major_benchmark``, the same number
        the findings rules cite. The documented defaults when None.

    Returns
    -------
    RiskResult
    """
    p = Period.parse(period)
    ins, haz, cam = pack.inspections, pack.hazards, pack.campaigns
    available = {
        "inspections": ins is not None,
        "hazards": haz is not None,
        "campaigns": cam is not None,
    }
    sectors = sector_figures(ins, haz, cam, p)
    years = []
    for sl in p.year_slices():
        partial = sl.kind != "year"
        comp = None
        prev = sl.previous_year()
        # 同比 only when the ledgers already covered the same period a year earlier (an absent
        # row before a ledger's first year is not a measured zero).
        if partial and any(
            frame_covers(df, col, prev.start.year) for df, col in ((ins, "date"), (haz, "found"))
        ):
            comp = YearRow(prev.label, prev, total_row(sector_figures(ins, haz, cam, prev)))
        years.append(
            YearRow(sl.label, sl, total_row(sector_figures(ins, haz, cam, sl)), partial, comp)
        )
    return RiskResult(
        period=p,
        available=available,
        sectors=sectors,
        totals=total_row(sectors),
        years=years,
        campaigns=campaign_rows(cam, p),
        carried_over=carried_over_campaigns(cam, p),
        ages=open_major_ages(haz, p),
        quarters=quarterly_inspections(ins, p),
        benchmark=float(_thresholds(thresholds)[BENCHMARK_KEY]),
        county=county,
        missing=[LEDGER_ZH[k] for k, v in available.items() if not v],
        experts=expert_units(ins, p),
        campaign_checks=campaign_checks(ins, p),
        results=result_rows(pack.get("results"), p),
    )


def _thresholds(t: Thresholds | Mapping | str | None) -> Thresholds:
    """The findings thresholds from a loaded set, a run's overrides, or None (defaults)."""
    if isinstance(t, Thresholds):
        return t
    return load_thresholds(t or None)


# ----------------------------------------------------------------------------- metrics
def metrics(res: RiskResult) -> RiskMetrics:
    """The chapter's key figures for ``write_metrics(metrics_dir, "risk", ...)``.

    Shape (counts are ints, rates floats in 0..1, unknown → null)::

        {
          "period": {"label": "2021年至2023年上半年", "start": "2021-01-01", "end": "2023-06-30"},
          "available": {"inspections": true, "hazards": true, "campaigns": true},
          "benchmark": {"major_rate": 0.984, "label": "全国重大事故隐患整改率98.4%…"},
          "sectors": {"工贸行业": {<figure>: value, ...}, ...},   # shown sectors, SECTORS order
          "totals": {<figure>: value, ...},                       # = sum of "sectors"
          "years": [{"label": "2021年", "start": ..., "end": ..., "partial": false,
                     "figures": {...}, "compare": null | {"label": "2022年上半年", "figures": {...}}}],
          "campaigns": [{"campaign", "sector", "object", "surveyed", "filed", "hazards", "fixed",
                         "start", "end", "ongoing"}],
          "campaign_rule": "start_in_period",
          "open_major_by_age": {"工贸行业": {"未到期": n, "逾期≤30天": n, ...}, ...},
          "below_benchmark": [{"sector": "...", "major_rate": 0.95}],  # major_rate < benchmark
          "lowest_rate": {"sector": "...", "rate": 0.9} | null
        }

    where <figure> is one of FIGURE_COLS: checks, units, documents, penalties, fines (万元),
    found, general, major, rectified, rectified_immediate, rectified_deadline, major_rectified,
    open, open_major, overdue_open, overdue_open_major, overdue_fixed, overdue (= overdue_open +
    overdue_fixed), rate, major_rate, campaigns, surveyed, filed, campaign_hazards, campaign_fixed.
    """
    shown = res.shown_sectors()
    s = res.sectors.loc[shown]
    figs = lambda row: {c: as_figure(row[c]) for c in FIGURE_COLS}  # noqa: E731
    below = s[(s["major"].fillna(0) > 0) & below_benchmark(s["major_rate"], res.benchmark)]
    rated = s[s["found"].fillna(0) > 0].sort_values("rate", kind="stable")
    camps = []
    for r in res.campaigns.itertuples(index=False):
        camps.append(
            {
                "campaign": r.campaign,
                "sector": r.sector,
                "object": r.object,
                "surveyed": as_figure(r.surveyed),
                "filed": as_figure(r.filed),
                "hazards": as_figure(r.hazards),
                "fixed": as_figure(r.fixed),
                "start": pd.Timestamp(r.start).date(),
                "end": None if pd.isna(r.end) else pd.Timestamp(r.end).date(),
                "ongoing": bool(r.ongoing),
            }
        )
    return RiskMetrics.of(
        {
            "period": {"label": res.period.label, "start": res.period.start, "end": res.period.end},
            "available": dict(res.available),
            "benchmark": {"major_rate": res.benchmark, "label": benchmark_label(res.benchmark)},
            "sectors": {sec: figs(s.loc[sec]) for sec in shown},
            "totals": figs(total_row(s)),
            "years": [
                {
                    "label": y.label,
                    "start": y.period.start,
                    "end": y.period.end,
                    "partial": y.partial,
                    "figures": figs(y.totals),
                    "compare": None
                    if y.compare is None
                    else {
                        "label": y.compare.label,
                        "start": y.compare.period.start,
                        "end": y.compare.period.end,
                        "figures": figs(y.compare.totals),
                    },
                }
                for y in res.years
            ],
            "campaigns": camps,
            "campaign_rule": "start_in_period",
            "open_major_by_age": {
                sec: {b: int(res.ages.loc[sec, b]) for b in AGE_BUCKETS} for sec in res.ages.index
            },
            "below_benchmark": [
                {"sector": k, "major_rate": float(v)} for k, v in below["major_rate"].items()
            ],
            "lowest_rate": None
            if rated.empty
            else {"sector": rated.index[0], "rate": float(rated["rate"].iloc[0])},
        }
    )


def key_figures(
    pack, period: Period, thresholds: Thresholds | Mapping | str | None = None
) -> RiskMetrics:
    """:func:`metrics` of :func:`summarise` with the run's thresholds (the registry's
    ``key_figures``)."""
    return metrics(summarise(pack, Period.parse(period), thresholds=thresholds))
