"""Period windows shared by the capacity chapters (disasters, rescue, reserves, society).

Private helpers: rows of a ledger inside a period, the period's calendar-year slices, and the
same-period-a-year-earlier comparison used for a partial year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planeval.indicators.formulas import frame_covers
from planeval.periods import Period


@dataclass(frozen=True)
class YearSlice:
    """The part of an evaluation period inside one calendar year.

    ``partial`` is True when the slice is not the whole year (e.g. 2023年上半年).
    """

    year: int
    period: Period
    label: str
    partial: bool


def year_slices(period: Period) -> list[YearSlice]:
    """The period's calendar-year slices, in order.

    Examples
    --------
    >>> [s.label for s in year_slices(Period.parse("midterm"))]
    ['2021年', '2022年', '2023年上半年']
    """
    out = []
    for sl in period.year_slices():
        out.append(YearSlice(sl.start.year, sl, sl.label, sl.kind != "year"))
    return out


def rows_in(df: pd.DataFrame | None, col: str, period: Period) -> pd.DataFrame:
    """Rows of ``df`` whose ``col`` (a date) lies in ``period`` (both ends inclusive).

    A missing frame gives an empty frame; rows with a blank date are never inside a period.
    """
    if df is None:
        return pd.DataFrame()
    s = pd.to_datetime(df[col])
    lo = pd.Timestamp(period.start)
    hi = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    return df[s.notna() & (s >= lo) & (s < hi)]


def partial_slice(period: Period) -> YearSlice | None:
    """The last slice of ``period`` when it is a partial year (compared 同比), else None."""
    sl = year_slices(period)
    return sl[-1] if sl and sl[-1].partial else None


def same_period_comparison(
    df: pd.DataFrame | None,
    date_col: str,
    period: Period,
    figures: Callable[[pd.DataFrame], Any],
) -> dict | None:
    """The partial last year of ``period`` vs the same period a year earlier (同比).

    ``figures`` turns the ledger's rows of one period into the figures to compare. Returns
    ``{"label", "previous_label", "current", "previous"}``, or None for whole years, an absent
    ledger, or a ledger that did not yet cover the year before
    (:func:`planeval.indicators.formulas.frame_covers`: a year before its first row was never
    recorded, so its zero is not compared with).
    """
    ps = partial_slice(period)
    if ps is None or df is None:
        return None
    prev = ps.period.previous_year()
    if not frame_covers(df, date_col, prev.start.year):
        return None
    return {
        "label": ps.label,
        "previous_label": prev.label,
        "current": figures(rows_in(df, date_col, ps.period)),
        "previous": figures(rows_in(df, date_col, prev)),
    }


def same_period_label(period: Period) -> str:
    """Label of the same period a year earlier: ``2022年上半年`` for ``2023年上半年``."""
    return period.previous_year().label


def show_numbers(df: pd.DataFrame, digits: dict[str, int] | None = None) -> pd.DataFrame:
    """A copy of ``df`` for display: numeric columns as text with thousands separators.

    Integer-valued columns show no decimals (``82,120``); ``digits`` gives the decimals of
    other columns (default 2); NaN shows as ``—``. Text columns are left alone.
    """
    from planeval.narrative.phrasing import fmt_int, fmt_num

    digits = digits or {}
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        if c in digits:
            out[c] = s.map(lambda v, d=digits[c]: fmt_num(v, d))
        elif s.dropna().map(lambda v: float(v).is_integer()).all():
            out[c] = s.map(fmt_int)
        else:
            out[c] = s.map(lambda v: fmt_num(v, 2))
    return out
