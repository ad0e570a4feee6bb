"""Indicator formulas: yearly values of each registry key from the data pack.

Every key of :data:`planeval.vocab.FORMULA_NAMES` has a :class:`FormulaSpec` here
and a function ``FORMULAS[key](pack, when) -> list[YearValue]`` giving one value per calendar year
(or part of a year) of ``when`` (a :class:`~planeval.periods.Period`, a period string or a year).

Where a value comes from
------------------------
- The **numerator** (accidents, deaths, fire deaths, disaster figures) comes from the event ledger
  (生产安全事故 / 火灾 / 自然灾害) when the ledger covers the year, otherwise from the 年度汇总
  measure of the year. A part of a year (2023年上半年) can only come from a ledger: a 年度汇总
  figure is a whole year's. Each :class:`YearValue` records its ``source``.
- **The coverage rule** (:func:`ledger_covers`, the one rule every chapter uses): an event ledger
  present in the pack covers every year from the year of its first dated row through the end of
  the evaluation period — the bureau's ledger is its complete record, so a year, half year or
  quarter without rows had no event (zero), not "no data". Years before its first row are not
  covered: they come from 年度汇总 (a whole year) or have no data (part of a year), and a
  comparison with such a year is not made from the ledger.
- The **denominator** (GDP, population, workers, vehicles) always comes from 年度汇总. When the
  year's figure is not (yet) published, the latest earlier year's is used and recorded in
  ``denominator_year`` (the report says so).
- A **rate over part of a year is annualised**: numerator ÷ (denominator × share of the year).
  Counts are never annualised: a half year's count is the half year's count.
- 口径说明 on the 年度汇总 row of the numerator or denominator measure marks a statistical break at
  that year (``break_note``): no change is computed between that year and any earlier year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import pandas as pd

from planeval.data.pack import DataPack
from planeval.data.schema import LEDGER_BY_KEY
from planeval.grades import accident_grade
from planeval.narrative.phrasing import fmt_date, fmt_month_day
from planeval.periods import Period
from planeval.vocab import FORMULA_NAMES, INDUSTRIAL_SECTORS, MAJOR_OR_ABOVE, SEVERE

# How many earlier years a missing denominator may be carried forward from.
DENOMINATOR_FALLBACK_YEARS = 2


# --------------------------------------------------------------------------- ledger numerators
def _deaths_and_missing(df: pd.DataFrame) -> float:
    total = float(df["deaths"].fillna(0).sum())
    if "missing" in df.columns:
        total += float(df["missing"].fillna(0).sum())
    return total


def accident_grades(df: pd.DataFrame) -> pd.Series:
    """The grade of each accident row: the ``grade`` column, or derived by the 493号令 rule."""
    if "grade" in df.columns and df["grade"].notna().all():
        return df["grade"].astype(str)
    return pd.Series(
        [
            accident_grade(
                r.get("deaths", 0),
                r.get("serious_injuries", 0),
                r.get("loss", 0.0),
                r.get("missing", 0),
            )
            for r in df.to_dict("records")
        ],
        index=df.index,
        dtype=object,
    )


def _count(df: pd.DataFrame) -> float:
    return float(len(df))


def _count_grades(df: pd.DataFrame, grades: tuple[str, ...]) -> float:
    if df.empty:
        return 0.0
    return float(accident_grades(df).isin(grades).sum())


def _industrial_deaths(df: pd.DataFrame) -> float:
    return _deaths_and_missing(df[df["sector"].isin(INDUSTRIAL_SECTORS)])


def _road_deaths(df: pd.DataFrame) -> float:
    return _deaths_and_missing(df[df["sector"] == "道路交通"])


def _fire_deaths(df: pd.DataFrame) -> float:
    return float(df["deaths"].fillna(0).sum())


def _disaster_affected(df: pd.DataFrame) -> float:
    return float(df["affected"].fillna(0).sum())


def _disaster_loss(df: pd.DataFrame) -> float:
    return float(df["loss"].fillna(0).sum())


# --------------------------------------------------------------------------- the specs
@dataclass(frozen=True)
class FormulaSpec:
    """How one indicator is computed.

    ``value = numerator / denominator * scale`` for a rate (``denominator`` is a 年度汇总 measure),
    ``value = numerator`` for a count. ``digits`` is the precision the report prints.
    """

    key: str
    ledger: str  # event ledger key: accidents | fires | disasters
    ledger_numerator: Callable[[pd.DataFrame], float]
    annual_measure: str  # the same numerator as a 年度汇总 measure
    digits: int
    unit: str
    formula_text: str  # for the method note (Chinese)
    denominator: str | None = None
    scale: float = 1.0
    cumulative: bool = False  # counted since 2021-01-01 (较大以上)
    yearly_average: bool = False  # 年均 indicator: judged on the average of yearly rates
    lower_is_better: bool = True
    extra_measures: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return FORMULA_NAMES[self.key]

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def ledger_zh(self) -> str:
        return f"{LEDGER_BY_KEY[self.ledger].zh}台账"

    @property
    def measures(self) -> tuple[str, ...]:
        """年度汇总 measures whose 口径说明 breaks this indicator's series."""
        m = (self.annual_measure,) + ((self.denominator,) if self.denominator else ())
        return m + self.extra_measures


SPECS: dict[str, FormulaSpec] = {
    s.key: s
    for s in (
        FormulaSpec(
            "accident_count",
            "accidents",
            _count,
            "生产安全事故起数",
            0,
            "起",
            "生产安全事故台账中发生日期在当年的事故起数",
        ),
        FormulaSpec(
            "accident_deaths",
            "accidents",
            _deaths_and_missing,
            "生产安全事故死亡人数",
            0,
            "人",
            "生产安全事故死亡人数与失踪人数之和",
        ),
        FormulaSpec(
            "major_accident_count_cum",
            "accidents",
            partial(_count_grades, grades=MAJOR_OR_ABOVE),
            "较大以上生产安全事故起数",
            0,
            "起",
            "2021年1月1日起累计的较大、重大、特别重大生产安全事故起数（等级按国务院令第493号第三条认定）",
            cumulative=True,
        ),
        FormulaSpec(
            "severe_accident_count",
            "accidents",
            partial(_count_grades, grades=SEVERE),
            "重特大生产安全事故起数",
            0,
            "起",
            "重大、特别重大生产安全事故起数",
        ),
        FormulaSpec(
            "deaths_per_100m_gdp",
            "accidents",
            _deaths_and_missing,
            "生产安全事故死亡人数",
            3,
            "人/亿元",
            "生产安全事故死亡（含失踪）人数 ÷ 地区生产总值（亿元，现价）",
            denominator="地区生产总值(亿元)",
        ),
        FormulaSpec(
            "fire_deaths_per_100k",
            "fires",
            _fire_deaths,
            "火灾死亡人数",
            2,
            "人/10万人",
            "火灾死亡人数 ÷ 常住人口（万人）× 10",
            denominator="常住人口(万人)",
            scale=10.0,
        ),
        FormulaSpec(
            "industrial_deaths_per_100k_workers",
            "accidents",
            _industrial_deaths,
            "工矿商贸生产安全事故死亡人数",
            2,
            "人/10万人",
            "工矿商贸领域（工贸行业、危险化学品、非煤矿山、建筑施工、消防、特种设备、城市建设和运行、"
            "电力、其他）事故死亡（含失踪）人数 ÷ 工矿商贸就业人员（万人）× 10",
            denominator="工矿商贸就业人员(万人)",
            scale=10.0,
        ),
        FormulaSpec(
            "road_deaths_per_10k_vehicles",
            "accidents",
            _road_deaths,
            "道路交通事故死亡人数",
            2,
            "人/万车",
            "道路交通领域事故死亡（含失踪）人数 ÷ 机动车保有量（万辆）",
            denominator="机动车保有量(万辆)",
        ),
        FormulaSpec(
            "disaster_deaths_per_million",
            "disasters",
            _deaths_and_missing,
            "自然灾害死亡失踪人数",
            2,
            "人/百万人",
            "自然灾害死亡与失踪人数 ÷ 常住人口（万人）× 100，取2021年以来各年平均",
            denominator="常住人口(万人)",
            scale=100.0,
            yearly_average=True,
        ),
        FormulaSpec(
            "disaster_affected_per_100k",
            "disasters",
            _disaster_affected,
            "自然灾害受灾人次",
            0,
            "人次/10万人",
            "自然灾害受灾人次 ÷ 常住人口（万人）× 10，取2021年以来各年平均",
            denominator="常住人口(万人)",
            scale=10.0,
            yearly_average=True,
        ),
        FormulaSpec(
            "disaster_loss_share_gdp",
            "disasters",
            _disaster_loss,
            "自然灾害直接经济损失(万元)",
            2,
            "%",
            "自然灾害直接经济损失（万元）÷（地区生产总值（亿元）× 10000）× 100%，取2021年以来各年平均",
            denominator="地区生产总值(亿元)",
            scale=1.0 / 10000 * 100,
            yearly_average=True,
        ),
    )
}
assert set(SPECS) == set(FORMULA_NAMES), "every registry key needs a FormulaSpec"


# --------------------------------------------------------------------------- yearly values
@dataclass(frozen=True)
class YearValue:
    """One indicator value for one calendar year or the part of it inside a period."""

    key: str
    year: int
    start: date
    end: date
    label: str  # 2021年 / 2023年上半年
    fraction: float  # share of the year (1.0, 0.5 …)
    numerator: float | None
    denominator: float | None
    value: float | None  # counts: as counted; rates: annualised for part of a year
    source: str  # 生产安全事故台账 / 年度汇总 / 无数据
    denominator_year: int | None = None  # the year the denominator was taken from
    break_note: str | None = None  # 口径说明 starting at this year

    @property
    def partial(self) -> bool:
        return self.fraction < 1.0 - 1e-9

    @property
    def available(self) -> bool:
        return self.value is not None


NO_DATA = "无数据"
ANNUAL_SOURCE = "年度汇总"


def _as_period(when: Period | int | str) -> Period:
    if isinstance(when, Period):
        return when
    return Period.parse(str(when))


def ledger_years(pack: DataPack, ledger: str) -> tuple[int, int] | None:
    """First and last year an event ledger has rows for.

    Informative only: which years the ledger *covers* is :func:`ledger_covers`'s business (a
    ledger covers the years after its last row too, up to the evaluation period end).
    """
    df = pack.get(ledger)
    if df is None or df.empty:
        return None
    col = LEDGER_BY_KEY[ledger].date_field
    d = pd.to_datetime(df[col]).dropna()
    if d.empty:
        return None
    return int(d.dt.year.min()), int(d.dt.year.max())


def first_row_year(df: pd.DataFrame | None, date_col: str) -> int | None:
    """The year of the earliest dated row of a ledger frame (None: absent, empty or undated)."""
    if df is None or df.empty or date_col not in df.columns:
        return None
    d = pd.to_datetime(df[date_col]).dropna()
    return None if d.empty else int(d.dt.year.min())


def covered(first_year: int | None, year: int) -> bool:
    """THE coverage rule: a ledger whose first row is dated in ``first_year`` covers ``year``.

    A ledger present in the pack is the complete record from the year of its first row through
    the evaluation period end: a year (or part of one) from ``first_year`` on without rows had
    no event (a zero); a year before it is not covered (年度汇总, or no data). An absent or
    empty ledger covers nothing.

    Examples
    --------
    >>> covered(2021, 2023), covered(2021, 2021), covered(2022, 2021), covered(None, 2023)
    (True, True, False, False)
    """
    return first_year is not None and year >= first_year


def frame_covers(df: pd.DataFrame | None, date_col: str, year: int) -> bool:
    """:func:`covered` for a ledger frame placed in time by ``date_col``."""
    return covered(first_row_year(df, date_col), year)


def ledger_covers(pack: DataPack, ledger: str, year: int) -> bool:
    """True when the pack's ledger ``ledger`` (a schema key) covers ``year`` (:func:`covered`)."""
    return frame_covers(pack.get(ledger), LEDGER_BY_KEY[ledger].date_field, year)


def ledger_rows(pack: DataPack, ledger: str, start: date, end: date) -> pd.DataFrame:
    """Rows of an event ledger dated ``start..end`` (inclusive)."""
    df = pack.get(ledger)
    col = LEDGER_BY_KEY[ledger].date_field
    d = pd.to_datetime(df[col])
    mask = (d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))
    return df[mask.fillna(False)]


def annual_figure(pack: DataPack, year: int, measure: str) -> float | None:
    if pack.annual is None:
        return None
    v = pack.annual_value(year, measure)
    return None if v is None or pd.isna(v) else float(v)


def _note(pack: DataPack, year: int, measure: str) -> str | None:
    if pack.annual is None:
        return None
    return pack.annual_note(year, measure)


def break_note(pack: DataPack, spec: FormulaSpec, year: int) -> str | None:
    """The 口径说明 that starts a statistical break at ``year`` for this indicator, if any."""
    notes = [f"{m}：{n}" for m in spec.measures if (n := _note(pack, year, m))]
    return "；".join(notes) or None


def denominator_for(
    pack: DataPack, spec: FormulaSpec, year: int
) -> tuple[float | None, int | None]:
    """The denominator for ``year`` and the year it was taken from (latest earlier if missing)."""
    if spec.denominator is None:
        return None, None
    for y in range(year, year - DENOMINATOR_FALLBACK_YEARS - 1, -1):
        v = annual_figure(pack, y, spec.denominator)
        if v is not None and v > 0:
            return v, y
    return None, None


def _slice_label(s: Period) -> str:
    if s.kind in ("year", "half", "quarter"):
        return s.label
    return f"{fmt_date(s.start)}至{fmt_month_day(s.end)}"


def value_for_slice(pack: DataPack, spec: FormulaSpec, s: Period) -> YearValue:
    """The indicator's value for ``s``, a period inside one calendar year."""
    year = s.start.year
    numerator: float | None = None
    source = NO_DATA
    if ledger_covers(pack, spec.ledger, year):
        numerator = spec.ledger_numerator(ledger_rows(pack, spec.ledger, s.start, s.end))
        source = spec.ledger_zh
    elif not s.is_partial_year:
        numerator = annual_figure(pack, year, spec.annual_measure)
        if numerator is not None:
            source = ANNUAL_SOURCE
    fraction = 1.0 if not s.is_partial_year else s.year_fraction
    denom, denom_year = denominator_for(pack, spec, year)
    value: float | None
    if numerator is None:
        value = None
    elif spec.is_rate:
        value = None if denom is None else numerator / (denom * fraction) * spec.scale
    else:
        value = numerator
    return YearValue(
        key=spec.key,
        year=year,
        start=s.start,
        end=s.end,
        label=_slice_label(s),
        fraction=fraction,
        numerator=numerator,
        denominator=denom,
        value=value,
        source=source,
        denominator_year=denom_year if denom_year != year else None,
        break_note=break_note(pack, spec, year),
    )


def yearly_values(pack: DataPack, key: str, when: Period | int | str) -> list[YearValue]:
    """One :class:`YearValue` per calendar year (or part of one) of ``when``.

    For the cumulative indicator (较大以上) the yearly values are the counts of each year; the
    cumulative figure is :func:`planeval.indicators.series.current_level`'s business.
    """
    spec = SPECS[key]
    p = _as_period(when)
    return [value_for_slice(pack, spec, s) for s in p.year_slices()]


def _formula(key: str) -> Callable[[DataPack, Period | int | str], list[YearValue]]:
    def f(pack: DataPack, when: Period | int | str) -> list[YearValue]:
        return yearly_values(pack, key, when)

    f.__name__ = key
    f.__doc__ = f"{FORMULA_NAMES[key]}: yearly values over ``when`` (see :func:`yearly_values`)."
    return f


FORMULAS: dict[str, Callable[[DataPack, Period | int | str], list[YearValue]]] = {
    k: _formula(k) for k in SPECS
}


def plan_to_date(p: Period) -> Period:
    """The plan period from 2021-01-01 to the end of ``p`` (for cumulative and 年均 figures)."""
    return p.since_plan_start()
