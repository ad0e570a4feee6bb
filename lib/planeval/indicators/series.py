"""Levels built from yearly values: the current level, running averages, cumulative counts,
year-on-year / same-period comparisons, and the best yearly change achieved so far.

The "current level" of an indicator at the end of an evaluation period depends on its target:

- a cumulative count (较大以上, or any ``max_count`` target): the count since 2021-01-01;
- a threshold (``max_value`` / ``min_value``) or a 年均 indicator: the average of the yearly
  rates from 2021 to the evaluation date, each year weighted by the share of it that has passed
  (a half year counts half) — one bad year does not fail an average target;
- otherwise (a ``decline_pct`` target): the level of the latest complete calendar year up to the
  evaluation date (basis ``"year"``, the default: at 2023-06-30 that is 2022), with the part of
  the current year shown beside it 同比 (:attr:`Level.partial`: 2023年上半年 against 2022年上半年).
  The 12 months ending on the evaluation date (近12个月, basis ``"rolling12"``) are used only when
  asked for explicitly, and only when the event ledger covers them
  (:func:`~planeval.indicators.formulas.ledger_covers`). A half year is never compared with a
  whole base year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from planeval.data.pack import DataPack
from planeval.indicators.formulas import (
    SPECS,
    FormulaSpec,
    YearValue,
    ledger_covers,
    plan_to_date,
    value_for_slice,
)
from planeval.narrative.phrasing import fmt_year_month, pct_change
from planeval.periods import Period


def window_values(pack: DataPack, spec: FormulaSpec, start: date, end: date) -> list[YearValue]:
    """Yearly values over an arbitrary window, one per calendar year it touches."""
    return [value_for_slice(pack, spec, s) for s in Period(start, end, "range").year_slices()]


def pooled(values: list[YearValue], spec: FormulaSpec) -> float | None:
    """The level over several slices taken together (None when any slice lacks data).

    Counts add up; a rate is Σ numerator ÷ Σ (denominator × share of year) × scale, i.e. the
    annual rate over the whole window.
    """
    if not values or any(v.numerator is None for v in values):
        return None
    num = sum(v.numerator for v in values)
    if not spec.is_rate:
        return num
    if any(v.denominator is None for v in values):
        return None
    den = sum(v.denominator * v.fraction for v in values)
    return num / den * spec.scale


def running_average(values: list[YearValue], spec: FormulaSpec | None = None) -> float | None:
    """Yearly average over the slices with data, each weighted by the share of its year.

    A rate of part of a year is already annualised, so the average is Σ(rate × share) ÷ Σ share;
    a count of part of a year is not, so for counts it is Σ count ÷ Σ share (the yearly rate of
    occurrence: 3 + 2 + 1 over 2.5 years = 2.4 a year).
    """
    have = [v for v in values if v.value is not None]
    if not have:
        return None
    counts = spec is not None and not spec.is_rate
    weighted = sum(v.value if counts else v.value * v.fraction for v in have)
    return weighted / sum(v.fraction for v in have)


@dataclass(frozen=True)
class Level:
    """An indicator's current level and how it was obtained."""

    value: float | None
    kind: str  # rolling12 | latest_year | cumulative | average | none
    basis: str  # Chinese: 2022年7月至2023年6月（近12个月） / 2022年 / 2021年至2023年上半年累计 …
    values: tuple[YearValue, ...]
    # latest_year at a period ending inside a year: that part-year against the same dates a year
    # earlier (同比), shown beside the whole-year 现状值
    partial: Comparison | None = None

    @property
    def last_year(self) -> int | None:
        return self.values[-1].year if self.values else None


def rolling_window(end: date) -> tuple[date, date]:
    """The 12 months ending on ``end``: 2022-07-01..2023-06-30 for 2023-06-30."""
    try:
        start = end.replace(year=end.year - 1) + timedelta(days=1)
    except ValueError:  # 29 Feb
        start = date(end.year - 1, 3, 1)
    return start, end


#: The bases a decline indicator's 现状值 can be taken on (the default first).
CURRENT_BASES: dict[str, str] = {
    "year": "最近一个完整年度",
    "rolling12": "评估截止日前12个月（近12个月）",
}
DEFAULT_BASIS = "year"


def latest_level(pack: DataPack, key: str, p: Period, basis: str = DEFAULT_BASIS) -> Level:
    """Level of the latest whole calendar year to ``p.end`` with data (basis ``"year"``), or of
    the 12 months to ``p.end`` when ``basis`` is ``"rolling12"`` and the ledger covers them.

    With basis ``"year"`` and ``p`` ending inside a year, :attr:`Level.partial` compares that
    part-year with the same dates a year earlier.
    """
    if basis not in CURRENT_BASES:
        raise ValueError(f"现状值口径“{basis}”无效，可选：{'、'.join(CURRENT_BASES)}")
    spec = SPECS[key]
    end = p.end
    if basis == "rolling12":
        start, end = rolling_window(p.end)
        if start.year != end.year and ledger_covers(pack, spec.ledger, start.year):
            vals = window_values(pack, spec, start, end)
            v = pooled(vals, spec)
            if v is not None:
                return Level(
                    v,
                    "rolling12",
                    f"{fmt_year_month(start)}至{fmt_year_month(end)}（近12个月）",
                    tuple(vals),
                )
    partial = None
    if end != date(end.year, 12, 31):
        cur = value_for_slice(
            pack, spec, Period(date(end.year, 1, 1), end, "range").year_slice(end.year)
        )
        if cur.value is not None:
            partial = compare(pack, key, cur)
    last_full = end.year if end == date(end.year, 12, 31) else end.year - 1
    for y in range(last_full, last_full - 3, -1):
        vals = window_values(pack, spec, date(y, 1, 1), date(y, 12, 31))
        if vals[0].value is not None:
            return Level(vals[0].value, "latest_year", f"{y}年", tuple(vals), partial)
    return Level(None, "none", "无数据", (), partial)


def cumulative_level(pack: DataPack, key: str, p: Period) -> Level:
    """Count since 2021-01-01 to ``p.end``.

    When some slices lack data the level is the sum of the others, kind ``cumulative_partial``
    (a ceiling already exceeded stays exceeded; otherwise the verdict cannot be given).
    """
    spec = SPECS[key]
    span = plan_to_date(p)
    vals = [value_for_slice(pack, spec, s) for s in span.year_slices()]
    have = [v for v in vals if v.numerator is not None]
    if not have:
        return Level(None, "none", "无数据", tuple(vals))
    total = sum(v.numerator for v in have)
    if len(have) == len(vals):
        return Level(total, "cumulative", f"{span.label}累计", tuple(vals))
    lacking = "、".join(v.label for v in vals if v.numerator is None)
    return Level(total, "cumulative_partial", f"{span.label}累计（{lacking}无数据）", tuple(vals))


def average_level(pack: DataPack, key: str, p: Period) -> Level:
    """Time-weighted average of yearly values from 2021 to ``p.end``."""
    spec = SPECS[key]
    span = plan_to_date(p)
    vals = [value_for_slice(pack, spec, s) for s in span.year_slices()]
    return Level(running_average(vals, spec), "average", average_basis(vals), tuple(vals))


def average_basis(vals: list[YearValue]) -> str:
    """The label of an average over the slices of ``vals`` that have data, naming the years it
    contains: "2021年至2024年年均（2025年无数据）", never "2021年至2025年年均" for four years."""
    have = [v for v in vals if v.value is not None]
    if not have:
        return "无数据"
    first, last = have[0], have[-1]
    span = first.label if first is last else f"{first.label}至{last.label}"
    lacking = [v.label for v in vals if v.value is None]
    return f"{span}年均" + (f"（{'、'.join(lacking)}无数据）" if lacking else "")


def current_level(
    pack: DataPack, key: str, p: Period, target_type: str, basis: str = DEFAULT_BASIS
) -> Level:
    """The level the target is judged on (see the module docstring)."""
    spec = SPECS[key]
    if spec.cumulative or target_type == "max_count":
        return cumulative_level(pack, key, p)
    if spec.yearly_average or target_type in ("max_value", "min_value"):
        return average_level(pack, key, p)
    return latest_level(pack, key, p, basis)


def breaks_between(
    pack: DataPack, key: str, first_year: int, last_year: int
) -> list[tuple[int, str]]:
    """Statistical breaks starting in ``first_year+1 .. last_year`` (changes across are void)."""
    from planeval.indicators.formulas import break_note

    spec = SPECS[key]
    out = []
    for y in range(first_year + 1, last_year + 1):
        if n := break_note(pack, spec, y):
            out.append((y, n))
    return out


@dataclass(frozen=True)
class Comparison:
    """A slice compared with the previous year (whole year) or the same period a year earlier."""

    current: YearValue
    previous: YearValue | None
    kind: str  # 上年 | 同比
    comparable: bool
    reason: str  # why not comparable ('' when comparable)

    @property
    def change(self) -> float | None:
        if not self.comparable:
            return None
        return pct_change(self.current.value, self.previous.value)

    @property
    def previous_label(self) -> str:
        if self.previous is None:
            return ""
        return self.previous.label


def compare(pack: DataPack, key: str, cur: YearValue) -> Comparison:
    """``cur`` against the year before (同比 for part of a year: the same dates a year earlier)."""
    spec = SPECS[key]
    s = Period(cur.start, cur.end, "range")
    if s.is_full_years:
        prev_p, kind = Period(date(cur.year - 1, 1, 1), date(cur.year - 1, 12, 31), "year"), "上年"
    else:
        shifted = s.previous_year()
        prev_p, kind = shifted.year_slice(shifted.start.year), "同比"
    prev = value_for_slice(pack, spec, prev_p)
    if cur.break_note:
        return Comparison(
            cur, prev, kind, False, f"{cur.year}年统计口径调整（{cur.break_note}），与上年不可比"
        )
    if cur.value is None or prev.value is None:
        return Comparison(cur, prev, kind, False, "缺少可比数据")
    return Comparison(cur, prev, kind, True, "")


def best_annual_change(pack: DataPack, key: str, base_year: int, p: Period) -> float | None:
    """The largest year-on-year fall (most negative ratio) between whole years from ``base_year``
    to the last whole year of ``p``; pairs across a statistical break or from a zero are skipped.
    For a "higher is better" indicator, the largest rise. None when no pair is comparable."""
    spec = SPECS[key]
    last_full = p.end.year if p.end == date(p.end.year, 12, 31) else p.end.year - 1
    changes = []
    for y in range(base_year + 1, last_full + 1):
        a = value_for_slice(pack, spec, Period.parse(str(y - 1)))
        b = value_for_slice(pack, spec, Period.parse(str(y)))
        if b.break_note or a.value is None or b.value is None:
            continue
        if (c := pct_change(b.value, a.value)) is not None:
            changes.append(c)
    if not changes:
        return None
    return min(changes) if spec.lower_is_better else max(changes)
