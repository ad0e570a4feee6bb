"""2. 推进自然灾害综合治理: natural-disaster losses and the three Sendai-equivalent rates.

Figures per calendar-year slice of the evaluation period come from the 自然灾害 ledger (one row
per disaster process, placed by 开始日期) for the years the ledger covers — by the one coverage
rule of :func:`planeval.indicators.formulas.ledger_covers`: from the year of its first row through
the period end, a slice without rows had no disaster (zeros). Years before the first row fall back to
the 年度汇总 totals (自然灾害受灾人次, 自然灾害死亡失踪人数, 自然灾害直接经济损失(万元)); the
chapter says which years did. A partial year can only come from the ledger.

The three rates and their 年均 are those of the indicator chapter — computed by
:mod:`planeval.indicators.formulas` / :func:`planeval.indicators.series.average_level`, so the two
chapters can never disagree:

- 每百万人口因自然灾害死亡率 = (死亡 + 失踪) / (常住人口(万人) × 10 000) × 1 000 000
- 每十万人受灾人次 = 受灾人次 / (常住人口(万人) × 10 000) × 100 000
- 直接经济损失占GDP比例(%) = 直接经济损失(万元) / (地区生产总值(亿元) × 10 000) × 100

Denominators come from 年度汇总 of the year (else the latest of the two years before); a
partial year's rate is annualised (denominator × share of the year); the 年均 is the average of
the yearly rates from 2021 to the period end, each year weighted by the share of it covered (a
half year counts half). When the 指标 sheet has a row whose formula is the rate's key, its target
level and verdict are those of :func:`planeval.indicators.progress.assess` for that row (the same
function 一(一) uses, whatever the 目标类型), so the two chapters cannot disagree; without one the
national targets apply (< 1, < 15 000, < 1 %) and are met only when the average is below them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.patches import Patch

from planeval import vocab
from planeval.chapters.window import partial_slice, rows_in, show_numbers, year_slices
from planeval.charts.style import COLORS, new_figure
from planeval.data.pack import DataPack
from planeval.indicators.formulas import SPECS, ledger_covers, plan_to_date, yearly_values
from planeval.indicators.progress import NOT_ASSESSED, Progress, assess
from planeval.indicators.series import running_average
from planeval.metrics import ChapterMetrics, Figures, Num
from planeval.narrative.phrasing import fmt_num
from planeval.narrative.render import Narrative, render
from planeval.periods import Period
from planeval.vocab import FORMULA_NAMES, resolve_formula

SRC_LEDGER = "台账"
SRC_ANNUAL = "年度汇总"
SRC_NONE = "无数据"

# The three rates are indicator formulas: their numerators, 年度汇总 measures, denominators and
# digits are the FormulaSpecs' (indicators/formulas.py), not re-derived here.
DEATHS, AFFECTED, LOSS = (
    SPECS["disaster_deaths_per_million"],
    SPECS["disaster_affected_per_100k"],
    SPECS["disaster_loss_share_gdp"],
)
M_POP = DEATHS.denominator  # 常住人口(万人)
M_GDP = LOSS.denominator  # 地区生产总值(亿元)
M_AFFECTED = AFFECTED.annual_measure  # 自然灾害受灾人次
M_DEATHS = DEATHS.annual_measure  # 自然灾害死亡失踪人数
M_LOSS = LOSS.annual_measure  # 自然灾害直接经济损失(万元)

# rate key -> (Chinese short label, national target, unit shown). The units are the specs',
# except 人次/十万人, which the text spells out (the spec's table unit is 人次/10万人).
RATES: dict[str, tuple[str, float, str]] = {
    DEATHS.key: ("每百万人口因自然灾害死亡率", 1.0, DEATHS.unit),
    AFFECTED.key: ("每十万人受灾人次", 15000.0, "人次/十万人"),
    LOSS.key: ("直接经济损失占GDP比例", 1.0, LOSS.unit),
}
# decimals shown for each rate: the indicator table's (FormulaSpec.digits), so the same 年均
# figure reads the same in 一(一) and here (2 decimals per million and % of GDP, integers per
# 100 000)
RATE_DIGITS = {k: SPECS[k].digits for k in RATES}
# rate key -> column of the yearly frame
RATE_COLUMN = {
    "disaster_deaths_per_million": "deaths_per_million",
    "disaster_affected_per_100k": "affected_per_100k",
    "disaster_loss_share_gdp": "loss_share_gdp_pct",
}
# the same decimals by the yearly frame's column (tables, templates: ``dg``)
COLUMN_DIGITS = {RATE_COLUMN[k]: d for k, d in RATE_DIGITS.items()}

FIGURE_COLUMNS = (
    "events",
    "affected",
    "deaths_missing",
    "relocated",
    "collapsed_rooms",
    "crop_area",
    "loss",
)
YEAR_COLUMNS = (
    "year",
    "label",
    "partial",
    "fraction",
    "source",
    *FIGURE_COLUMNS,
    "population_wan",
    "population_year",
    "gdp_yi",
    "gdp_year",
    "deaths_per_million",
    "affected_per_100k",
    "loss_share_gdp_pct",
)


def slice_figures(pack: DataPack, sl: Period) -> dict:
    """Loss figures of one year slice and where they came from.

    Returns
    -------
    dict
        ``source`` (台账 when the ledger covers the year (:func:`ledger_covers`), else 年度汇总 for a whole year that
        has those totals, else 无数据) and the figures ``events``, ``affected``,
        ``deaths_missing``, ``relocated``, ``collapsed_rooms``, ``crop_area`` (公顷), ``loss``
        (万元); a figure the source does not give is NaN.
    """
    df = pack.disasters
    rows = rows_in(df, "start", sl)
    whole_year = sl.kind == "year"
    annual = {}
    if whole_year and pack.annual is not None:
        annual = {m: pack.annual_value(sl.start.year, m) for m in (M_AFFECTED, M_DEATHS, M_LOSS)}
    has_annual = any(v is not None for v in annual.values())
    if ledger_covers(pack, "disasters", sl.start.year):
        return {
            "source": SRC_LEDGER,
            "events": int(len(rows)),
            "affected": int(AFFECTED.ledger_numerator(rows)),
            "deaths_missing": int(DEATHS.ledger_numerator(rows)),
            "relocated": int(rows["relocated"].sum()) if "relocated" in rows and len(rows) else 0,
            "collapsed_rooms": int(rows["collapsed_rooms"].sum())
            if "collapsed_rooms" in rows and len(rows)
            else 0,
            "crop_area": float(rows["crop_area"].sum(min_count=0))
            if "crop_area" in rows and len(rows)
            else 0.0,
            "loss": LOSS.ledger_numerator(rows),
        }
    if has_annual:
        val = {k: (math.nan if v is None else v) for k, v in annual.items()}
        return {
            "source": SRC_ANNUAL,
            "events": math.nan,
            "affected": val[M_AFFECTED],
            "deaths_missing": val[M_DEATHS],
            "relocated": math.nan,
            "collapsed_rooms": math.nan,
            "crop_area": math.nan,
            "loss": val[M_LOSS],
        }
    return {"source": SRC_NONE, **{c: math.nan for c in FIGURE_COLUMNS}}


def _rate_values(pack: DataPack, period: Period) -> dict:
    """{rate key: [YearValue per year slice of ``period``]} from the indicator formulas."""
    return {key: yearly_values(pack, key, period) for key in RATES}


def yearly(pack: DataPack, period: Period) -> pd.DataFrame:
    """One row per calendar-year slice of ``period`` with losses, denominators and rates.

    Columns: year, label, partial, fraction (share of the year), source, events, affected, deaths_missing, relocated,
    collapsed_rooms, crop_area, loss, population_wan, population_year, gdp_yi, gdp_year,
    deaths_per_million, affected_per_100k, loss_share_gdp_pct (a partial year's rates are
    annualised; ``*_year`` is the year a denominator was taken from).
    """
    vals = _rate_values(pack, period)
    rows = []
    for i, s in enumerate(year_slices(period)):
        pop = vals["disaster_deaths_per_million"][i]
        gdp = vals["disaster_loss_share_gdp"][i]
        row = {
            "year": s.year,
            "label": s.label,
            "partial": s.partial,
            "fraction": pop.fraction,
            **slice_figures(pack, s.period),
            "population_wan": math.nan if pop.denominator is None else pop.denominator,
            "population_year": pop.denominator_year
            or (s.year if pop.denominator is not None else None),
            "gdp_yi": math.nan if gdp.denominator is None else gdp.denominator,
            "gdp_year": gdp.denominator_year or (s.year if gdp.denominator is not None else None),
        }
        for key, col in RATE_COLUMN.items():
            v = vals[key][i].value
            row[col] = math.nan if v is None else v
        rows.append(row)
    return pd.DataFrame(rows, columns=list(YEAR_COLUMNS))


# verdicts of indicators.progress that mean the rate misses its target (True) or not (False)
_VERDICT_ABOVE = {
    "超额完成": False,
    "达到预期": False,
    "基本符合": False,
    "滞后": True,
    "难以完成": True,
}


def indicator_progress(pack: DataPack, key: str, period: Period) -> Progress | None:
    """:func:`planeval.indicators.progress.assess` of the first 指标 row whose formula is ``key``
    (None when the sheet has no such row)."""
    ind = pack.indicators
    if ind is None or not len(ind):
        return None
    for row in ind.to_dict("records"):
        f = row.get("formula")
        if isinstance(f, str) and resolve_formula(f) == key:
            return assess(pack, row, period)
    return None


def _target(pack: DataPack, key: str, period: Period) -> dict:
    """Target of rate ``key``: the indicator chapter's target level and verdict when a 指标 row
    uses its formula (:func:`indicator_progress`), else the national target (strict ``<``)."""
    prog = indicator_progress(pack, key, period)
    if prog is not None:
        return {
            "target": prog.target_level,
            "target_source": "indicator",
            "target_type": prog.target_type,
            "strict": False,
            "name": prog.name,
            "verdict": prog.verdict,
            "verdict_text": prog.verdict_text,
            "base_year": prog.base_year,
            "target_value": prog.target_value,
        }
    name, national, _unit = RATES[key]
    return {
        "target": national,
        "target_source": "national",
        "target_type": "national",
        "strict": True,
        "name": FORMULA_NAMES[key],
        "verdict": None,
        "verdict_text": None,
        "base_year": None,
        "target_value": national,
    }


def _above(avg: float, tgt: dict) -> bool | None:
    """True when ``avg`` misses the target: for an indicator row, the indicator verdict says so
    (滞后/难以完成); for a national target, ``avg`` is not below it."""
    if avg != avg:
        return None
    if tgt["target_source"] == "indicator":
        return _VERDICT_ABOVE.get(tgt["verdict"])
    return avg >= tgt["target"]


def _year_above(v: float, tgt: dict) -> bool:
    """True when one year's rate is beyond the target level (national, max_value, min_value;
    never for a decline target, whose level is the 2025 one)."""
    t = tgt["target"]
    if t is None:
        return False
    kind = tgt["target_type"]
    if kind == "national":
        return v >= t
    if kind == "max_value":
        return v > t
    if kind == "min_value":
        return v < t
    return False


def rate_summary(pack: DataPack, period: Period) -> dict:
    """The three rates from 2021 to the period end: per year slice, running 年均, target.

    Returns
    -------
    dict
        ``{key: {"name", "label", "unit", "digits", "target" (float|None: the level to reach —
        for an indicator row the indicator chapter's target level, e.g. the 2025 level of a
        decline target), "target_source" ("indicator"|"national"), "target_type"
        (max_value|min_value|decline_pct|max_count|national), "target_value" (as declared:
        r % for a decline), "base_year", "verdict"/"verdict_text" (the indicator chapter's,
        None for a national target), "strict" (True: met only when < target), "yearly":
        {slice label: rate}, "running_average": {slice label: 年均 from 2021 to the end of that
        slice}, "partial": [labels of annualised partial years], "average": float|None,
        "average_span": "2021年至2023年上半年", "average_years": [int years with a value],
        "average_labels": [their slice labels], "above_target": bool|None (None: not judged),
        "years_above_target": [labels]}}`` for the keys of :data:`RATES`.
    """
    span = plan_to_date(period)
    out = {}
    for key in RATES:
        tgt = _target(pack, key, period)
        vals = yearly_values(pack, key, span)
        yearly_vals = {v.label: (math.nan if v.value is None else v.value) for v in vals}
        running = {}
        for i, v in enumerate(vals):
            ra = running_average(vals[: i + 1])
            if v.value is not None and ra is not None:
                running[v.label] = ra
        avg = running_average(vals)
        have = [v for v in vals if v.value is not None]
        out[key] = {
            "name": tgt["name"],
            "label": RATES[key][0],
            "unit": RATES[key][2],
            "digits": RATE_DIGITS[key],
            "target": tgt["target"],
            "target_source": tgt["target_source"],
            "target_type": tgt["target_type"],
            "target_value": tgt["target_value"],
            "base_year": tgt["base_year"],
            "verdict": tgt["verdict"],
            "verdict_text": tgt["verdict_text"],
            "strict": tgt["strict"],
            "yearly": yearly_vals,
            "running_average": running,
            "partial": [v.label for v in vals if v.partial],
            "average": avg,
            "average_span": span.label,
            "average_years": [v.year for v in have],
            "average_labels": [v.label for v in have],
            "above_target": _above(math.nan if avg is None else avg, tgt),
            "years_above_target": [
                v.label for v in vals if v.value is not None and _year_above(v.value, tgt)
            ],
        }
    return out


def by_hazard(pack: DataPack, period: Period) -> pd.DataFrame:
    """Disaster processes by 灾种 (vocabulary order; only those that occurred) for the period.

    Columns: 灾种, one count column per year-slice label, 合计(次), 受灾人次, 死亡失踪(人),
    直接经济损失(万元). Empty when the ledger is absent or has no rows in the period.
    """
    df = rows_in(pack.disasters, "start", period)
    if df.empty:
        return pd.DataFrame()
    slices = year_slices(period)
    out = []
    order = [h for h in vocab.DISASTER_TYPES if h in set(df["hazard"])]
    for h in order:
        d = df[df["hazard"] == h]
        row = {"灾种": h}
        for s in slices:
            row[s.label] = int(len(rows_in(d, "start", s.period)))
        miss = d.get("missing", 0)
        row |= {
            "合计(次)": int(len(d)),
            "受灾人次": int(d["affected"].sum()),
            "死亡失踪(人)": int((d["deaths"] + miss).sum()),
            "直接经济损失(万元)": round(float(d["loss"].sum()), 2),
        }
        out.append(row)
    tot = {"灾种": "合计"}
    for c in list(out[0])[1:]:
        tot[c] = sum(r[c] for r in out)
    tot["直接经济损失(万元)"] = round(tot["直接经济损失(万元)"], 2)
    return pd.DataFrame([*out, tot])


def _sum_or_nan(s: pd.Series) -> float:
    return float(s.sum()) if s.notna().all() else math.nan


@dataclass
class DisasterSummary:
    """Everything the chapter shows."""

    period: Period
    has_ledger: bool
    years: pd.DataFrame  # :func:`yearly`
    totals: dict
    rates: dict  # :func:`rate_summary`
    hazards: pd.DataFrame  # :func:`by_hazard`
    yoy: dict | None = None
    annual_years: list[str] = field(default_factory=list)  # labels that used 年度汇总
    missing_years: list[str] = field(default_factory=list)  # labels with no data at all

    @property
    def has_data(self) -> bool:
        return bool(len(self.years)) and bool((self.years["source"] != SRC_NONE).any())


def _yoy(pack: DataPack, period: Period) -> dict | None:
    """Partial last year vs the same period a year earlier — only when the ledger covers both
    (:func:`ledger_covers`): a year before its first row was never measured, so it is no zero
    to compare with."""
    ps = partial_slice(period)
    if ps is None or pack.disasters is None:
        return None
    prev = ps.period.previous_year()
    cur = slice_figures(pack, ps.period)
    before = slice_figures(pack, prev)
    if before["source"] != SRC_LEDGER or cur["source"] != SRC_LEDGER:
        return None
    keys = ("events", "affected", "deaths_missing", "loss")
    return {
        "label": ps.label,
        "previous_label": prev.label,
        "current": {k: cur[k] for k in keys},
        "previous": {k: before[k] for k in keys},
    }


def summarise(pack: DataPack, period: Period) -> DisasterSummary:
    """Compute the chapter's figures for ``period``."""
    ys = yearly(pack, period)
    totals = {c: _sum_or_nan(ys[c]) for c in FIGURE_COLUMNS}
    return DisasterSummary(
        period=period,
        has_ledger=pack.disasters is not None,
        years=ys,
        totals=totals,
        rates=rate_summary(pack, period),
        hazards=by_hazard(pack, period),
        yoy=_yoy(pack, period),
        annual_years=list(ys.loc[ys["source"] == SRC_ANNUAL, "label"]),
        missing_years=list(ys.loc[ys["source"] == SRC_NONE, "label"]),
    )


# ---------------------------------------------------------------------------- presentation
def notices(s: DisasterSummary) -> list[str]:
    """One-line notices about missing data (empty when the ledger covers every year)."""
    if not s.has_data:
        return [
            "本数据包无“自然灾害”台账，年度汇总中也无自然灾害受灾人次、死亡失踪人数和直接经济损失，本节不作统计。"
        ]
    out = []
    if not s.has_ledger:
        out.append(
            "本数据包无“自然灾害”台账，灾情数字采用年度汇总数据；灾种、紧急转移安置、倒塌房屋和农作物受灾面积无数据。"
        )
    if s.missing_years:
        out.append(f"{'、'.join(s.missing_years)}无自然灾害台账和年度汇总数据，不作统计。")
    return out


def year_table(s: DisasterSummary) -> pd.DataFrame:
    """The yearly loss-and-rate table for display (Chinese headers, numbers as text, a 合计
    row for the period; a partial year's rates are annualised)."""
    y = s.years
    t = pd.DataFrame(
        {
            "年度": y["label"],
            "数据来源": y["source"],
            "灾害过程(次)": y["events"],
            "受灾人次": y["affected"],
            "死亡失踪(人)": y["deaths_missing"],
            "紧急转移安置(人次)": y["relocated"],
            "倒塌房屋(间)": y["collapsed_rooms"],
            "农作物受灾面积(公顷)": y["crop_area"].round(1),
            "直接经济损失(万元)": y["loss"].round(2),
            "占GDP比例(%)": y["loss_share_gdp_pct"].round(COLUMN_DIGITS["loss_share_gdp_pct"]),
            "每百万人口死亡失踪": y["deaths_per_million"].round(
                COLUMN_DIGITS["deaths_per_million"]
            ),
            "每十万人受灾人次": y["affected_per_100k"].round(COLUMN_DIGITS["affected_per_100k"]),
        }
    )
    tot = {c: math.nan for c in t.columns}
    tot |= {"年度": "合计", "数据来源": "、".join(dict.fromkeys(y["source"]))}
    for zh, en in (
        ("灾害过程(次)", "events"),
        ("受灾人次", "affected"),
        ("死亡失踪(人)", "deaths_missing"),
        ("紧急转移安置(人次)", "relocated"),
        ("倒塌房屋(间)", "collapsed_rooms"),
    ):
        tot[zh] = s.totals[en]
    tot["农作物受灾面积(公顷)"] = round(s.totals["crop_area"], 1)
    tot["直接经济损失(万元)"] = round(s.totals["loss"], 2)
    t = pd.concat([t, pd.DataFrame([tot])], ignore_index=True)
    return show_numbers(
        t,
        {
            "农作物受灾面积(公顷)": 1,
            "直接经济损失(万元)": 2,
            "占GDP比例(%)": COLUMN_DIGITS["loss_share_gdp_pct"],
            "每百万人口死亡失踪": COLUMN_DIGITS["deaths_per_million"],
            "每十万人受灾人次": COLUMN_DIGITS["affected_per_100k"],
        },
    )


def target_text(r: dict) -> str:
    """A rate's target as the table shows it: ``<1`` (national), ``≤1`` / ``≥1`` (an indicator
    limit), ``≤0.85（2025年）`` (the 2025 level of a decline target), ``—`` when unknown."""
    t = r["target"]
    if t is None or t != t:
        return "—"
    kind = r.get("target_type")
    if kind == "decline_pct":
        return f"≤{fmt_num(t, r['digits'])}（2025年）"
    shown = fmt_num(t, 0) if t >= 1000 else f"{t:g}"
    return {"national": "<", "min_value": "≥"}.get(kind, "≤") + shown


def _judgement(r: dict) -> str:
    """达标/未达标 against a national target; the indicator chapter's verdict otherwise."""
    if r["target_source"] == "indicator":
        return r.get("verdict_text") or NOT_ASSESSED
    return {None: "—", True: "未达标", False: "达标"}[r["above_target"]]


def rate_table(s: DisasterSummary) -> pd.DataFrame:
    """The rates per year since 2021 and their 年均 against the targets (one row per rate;
    评价 is 达标/未达标 against a national target, the indicator chapter's verdict for a
    规划指标)."""
    rows = []
    for r in s.rates.values():
        rows.append(
            {
                "指标": r["name"],
                "单位": r["unit"],
                **{
                    (f"{k}(年化)" if k in r["partial"] else k): fmt_num(v, r["digits"])
                    for k, v in r["yearly"].items()
                },
                "年均值": fmt_num(r["average"], r["digits"]),
                "目标": target_text(r),
                "目标来源": "规划指标" if r["target_source"] == "indicator" else "国家规划",
                "评价": _judgement(r),
            }
        )
    return pd.DataFrame(rows)


def hazard_table(s: DisasterSummary) -> pd.DataFrame:
    """:func:`by_hazard` for display (numbers as text)."""
    return show_numbers(s.hazards, {"直接经济损失(万元)": 2})


# ----------------------------------------------------------------------------- key figures
class DisasterYear(Figures):
    year: int
    label: str
    partial: bool = False
    source: str | None = None
    events: Num | None = None
    affected: Num | None = None
    deaths_missing: Num | None = None
    relocated: Num | None = None
    collapsed_rooms: Num | None = None
    crop_area: Num | None = None
    loss: Num | None = None
    population_wan: Num | None = None
    gdp_yi: Num | None = None
    deaths_per_million: Num | None = None
    affected_per_100k: Num | None = None
    loss_share_gdp_pct: Num | None = None


class RateSummary(Figures):
    """One of :data:`RATES` from 2021 to the period end (see :func:`rate_summary`)."""

    name: str
    label: str = ""
    unit: str = ""
    digits: int = 2
    target: Num | None = None
    target_source: str | None = None
    target_type: str | None = None
    target_value: Num | None = None
    base_year: int | None = None
    verdict: str | None = None
    verdict_text: str | None = None
    strict: bool = True
    yearly: dict[str, Num | None] = {}
    running_average: dict[str, Num | None] = {}
    partial: list[str] = []
    average: Num | None = None
    average_span: str | None = None
    average_years: list[int] = []
    average_labels: list[str] = []
    above_target: bool | None = None  # None: not judged
    years_above_target: list[str] = []


class DisasterComparison(Figures):
    label: str
    previous_label: str
    current: dict[str, Num | None]
    previous: dict[str, Num | None]


class DisastersMetrics(ChapterMetrics):
    available: bool = True  # 自然灾害 ledger present
    has_data: bool = False
    period: str | None = None
    years: list[DisasterYear] = []
    totals: dict[str, Num | None] = {}
    rates: dict[str, RateSummary] = {}
    above_target: list[str] = []
    annual_years: list[str] = []
    missing_years: list[str] = []
    yoy: DisasterComparison | None = None


def metrics(s: DisasterSummary) -> DisastersMetrics:
    """Key figures for the findings chapters.

    Returns
    -------
    dict
        ``{"available": bool (自然灾害 ledger present), "has_data": bool, "period": label,
        "years": [{"year", "label", "partial", "source", "events", "affected",
        "deaths_missing", "relocated", "collapsed_rooms", "crop_area", "loss",
        "population_wan", "gdp_yi", "deaths_per_million", "affected_per_100k",
        "loss_share_gdp_pct"}], "totals": {figure: value|None},
        "rates": {key: see rate_summary}, "above_target": [rate keys whose 年均 misses its
        target], "annual_years": [labels from 年度汇总], "missing_years": [labels],
        "yoy": {"label", "previous_label", "current": {...}, "previous": {...}} | None}``.
        Missing numbers are null.
    """
    cols = [
        "year",
        "label",
        "partial",
        "source",
        *FIGURE_COLUMNS,
        "population_wan",
        "gdp_yi",
        "deaths_per_million",
        "affected_per_100k",
        "loss_share_gdp_pct",
    ]
    return DisastersMetrics.of(
        {
            "available": s.has_ledger,
            "has_data": bool(s.has_data),
            "period": s.period.label,
            "years": s.years[cols].to_dict("records"),
            "totals": s.totals,
            "rates": s.rates,
            "above_target": [k for k, r in s.rates.items() if r["above_target"]],
            "annual_years": s.annual_years,
            "missing_years": s.missing_years,
            "yoy": s.yoy,
        }
    )


def narrative(s: DisasterSummary, county: str) -> Narrative:
    """The chapter's figure paragraph (template ``disasters/summary.md.j2``)."""
    top = []
    if len(s.hazards):
        h = s.hazards[s.hazards["灾种"] != "合计"].sort_values(
            "合计(次)", ascending=False, kind="stable"
        )
        top = list(h["灾种"].head(3))
    return render(
        "disasters/summary.md.j2",
        county=county,
        period=s.period.label,
        years=s.years.to_dict("records"),
        totals=s.totals,
        has_ledger=s.has_ledger,
        top_hazards=top,
        dg=COLUMN_DIGITS,
        rates=s.rates,
        yoy=s.yoy,
        annual_years=s.annual_years,
        missing_years=s.missing_years,
    )


def method_note(s: DisasterSummary) -> Narrative:
    """How each figure and percentage was computed (template ``disasters/method.md.j2``)."""
    y = s.years
    return render(
        "disasters/method.md.j2",
        dg=COLUMN_DIGITS,
        years=y.to_dict("records"),
        rates=s.rates,
        annual_years=s.annual_years,
        partial=[r["label"] for r in y.to_dict("records") if r["partial"]],
        yoy=s.yoy,
    )


def rates_chart(s: DisasterSummary):
    """Three panels: each rate per year since 2021 (a partial year hatched and annualised), the
    running 年均 and the target line. Returns the figure, or None when no rate has a value."""
    if not any(r["average_years"] for r in s.rates.values()):
        return None
    fig, axes = new_figure("wide", ncols=3)
    for ax, key in zip(axes, RATE_COLUMN, strict=True):
        r = s.rates[key]
        names = list(r["yearly"])
        raw = list(r["yearly"].values())
        vals = [0.0 if v != v else v for v in raw]
        labels = [n.replace("年", "年\n", 1) if n in r["partial"] else n for n in names]
        bars = ax.bar(range(len(names)), vals, color=COLORS["primary"], width=0.6, label="当年值")
        for b, n in zip(bars, names, strict=True):
            if n in r["partial"]:
                b.set_facecolor(COLORS["light"])
                b.set_hatch("//")
        xs = [i for i, n in enumerate(names) if n in r["running_average"]]
        if xs:
            ax.plot(
                xs,
                [r["running_average"][names[i]] for i in xs],
                marker="o",
                color=COLORS["secondary"],
                lw=1.5,
                label="累计年均",
            )
        has_target = r["target"] is not None and r["target"] == r["target"]
        if has_target:
            ax.axhline(r["target"], color=COLORS["warn"], ls="--", lw=1, label="目标")
        ax.set_xticks(range(len(names)), labels)
        ax.set_title(f"{r['label']}\n({r['unit']})", fontsize=8.5)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.tick_params(axis="y", labelsize=7.5)
        top = max([*vals, r["target"] if has_target else 0.0]) or 1.0
        ax.set_ylim(0, top * 1.18)
        if top >= 1000:  # thousands separated on the axis too, as in the bar labels
            ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        for i, v in enumerate(raw):
            if v == v:
                ax.text(
                    i,
                    vals[i] + top * 0.02,
                    f"{v:,.{r['digits']}f}",
                    ha="center",
                    va="bottom",
                    fontsize=6.5,
                )
    handles, legend_names = axes[0].get_legend_handles_labels()
    if any(r["partial"] for r in s.rates.values()):
        handles.append(Patch(facecolor=COLORS["light"], hatch="//", edgecolor=COLORS["primary"]))
        legend_names.append("不足一年（年化）")
    fig.legend(
        handles, legend_names, loc="lower center", ncol=4, fontsize=7.5, bbox_to_anchor=(0.5, -0.06)
    )
    # the chart's own title (the report takes it off into the 图N caption): the years drawn
    years = list(dict.fromkeys(n for r in s.rates.values() for n in r["yearly"]))
    span = f"{years[0]}至{years[-1]}" if len(years) > 1 else years[0]
    fig.suptitle(f"{span}自然灾害防治指标年度值与累计年均值", fontsize=11)
    fig.tight_layout()
    return fig


def key_figures(pack: DataPack, period: Period, thresholds: Any = None) -> DisastersMetrics:
    """:func:`metrics` of :func:`summarise` (the registry's ``key_figures``); ``thresholds`` is
    not used by this chapter."""
    return metrics(summarise(pack, Period.parse(period)))
