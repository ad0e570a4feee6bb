"""The yearly accident picture of 一(一): count, deaths, main sectors, change on the year
before (同比 for part of a year), and the 较大以上 accidents — from the 生产安全事故 ledger where
it covers the year (:func:`~planeval.indicators.formulas.ledger_covers`: from its first row's year
on, a year without rows had no accident), otherwise from the 年度汇总 totals (then sectors and accident details are not
known and the paragraph leaves them out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from planeval.data.pack import DataPack
from planeval.indicators.formulas import (
    ANNUAL_SOURCE,
    NO_DATA,
    SPECS,
    YearValue,
    accident_grades,
    annual_figure,
    ledger_covers,
    ledger_rows,
    value_for_slice,
)
from planeval.indicators.series import Comparison, compare
from planeval.periods import Period
from planeval.vocab import ACCIDENT_TYPES, MAJOR_OR_ABOVE, SECTORS, SEVERE

# How many sectors the paragraph names as "主要发生在…" (those with the most deaths).
MAIN_SECTORS = 2


@dataclass(frozen=True)
class MajorAccident:
    """One 较大以上 accident (for the paragraph, the metrics and the findings)."""

    id: str
    date: date
    sector: str
    type: str
    deaths: int  # 含失踪
    grade: str
    unit: str = ""
    serious_injuries: int = 0
    loss: float | None = None  # 直接经济损失 万元
    summary: str = ""  # 简况 (how it happened), as the ledger gives it

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "sector": self.sector,
            "type": self.type,
            "deaths": self.deaths,
            "grade": self.grade,
            "unit": self.unit,
            "serious_injuries": self.serious_injuries,
            "loss": self.loss,
        }


@dataclass(frozen=True)
class AccidentYear:
    """The accident figures of one year (or part of one) of the evaluation period."""

    label: str  # 2021年 / 2023年上半年
    partial: bool
    source: str  # 生产安全事故台账 / 年度汇总 / 无数据
    count: YearValue
    deaths: YearValue
    missing: int | None
    count_cmp: Comparison
    deaths_cmp: Comparison
    main_sectors: tuple[str, ...]  # by deaths, most first (ledger only)
    major_count: int | None  # 较大以上 (None: unknown)
    major: tuple[MajorAccident, ...]  # details (ledger only)

    @property
    def has_data(self) -> bool:
        """True when the count or the deaths are known (a published series may give one only)."""
        return self.count.value is not None or self.deaths.value is not None


def _int(x) -> int:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return 0
    return 0 if pd.isna(v) else int(round(v))


def _str(x) -> str:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return ""
    return str(x).strip().rstrip("。；;.")


def deaths_by(df: pd.DataFrame, column: str, order: tuple[str, ...]) -> pd.DataFrame:
    """Accidents and deaths (含失踪) per value of ``column``, largest deaths first.

    Ties keep the vocabulary order (``order``); values with no accident are left out.
    """
    if df is None or df.empty:
        return pd.DataFrame({column: [], "accidents": [], "deaths": []})
    d = df.assign(_d=df["deaths"].fillna(0) + (df["missing"].fillna(0) if "missing" in df else 0))
    g = d.groupby(column, observed=True).agg(accidents=("_d", "size"), deaths=("_d", "sum"))
    g = g.reset_index()
    rank = {v: i for i, v in enumerate(order)}
    g["_o"] = g[column].map(lambda v: rank.get(v, len(rank)))
    g = g.sort_values(["deaths", "accidents", "_o"], ascending=[False, False, True])
    return g.drop(columns="_o").reset_index(drop=True).astype({"accidents": int, "deaths": int})


def main_sectors(df: pd.DataFrame, n: int = MAIN_SECTORS) -> tuple[str, ...]:
    """The ``n`` sectors with the most deaths (sectors with deaths only; by count if none died)."""
    g = deaths_by(df, "sector", SECTORS)
    if g.empty:
        return ()
    with_deaths = g[g["deaths"] > 0]
    pick = with_deaths if not with_deaths.empty else g
    return tuple(pick["sector"].head(n))


def major_accidents(df: pd.DataFrame) -> tuple[MajorAccident, ...]:
    """The 较大以上 accidents of ``df``, by date."""
    if df is None or df.empty:
        return ()
    grades = accident_grades(df)
    hit = df.assign(_g=grades)
    hit = hit[hit["_g"].isin(MAJOR_OR_ABOVE)].sort_values("date")
    out = []
    for r in hit.to_dict("records"):
        out.append(
            MajorAccident(
                id=str(r.get("id", "")),
                date=pd.Timestamp(r["date"]).date(),
                sector=str(r["sector"]),
                type=str(r["type"]),
                deaths=_int(r.get("deaths")) + _int(r.get("missing")),
                grade=str(r["_g"]),
                unit="" if pd.isna(r.get("unit", None)) else str(r.get("unit", "")),
                serious_injuries=_int(r.get("serious_injuries")),
                loss=None if pd.isna(r.get("loss", None)) else float(r["loss"]),
                summary=_str(r.get("summary")),
            )
        )
    return tuple(out)


def accident_year(pack: DataPack, s: Period) -> AccidentYear:
    """The figures of one slice (a year or part of one)."""
    count = value_for_slice(pack, SPECS["accident_count"], s)
    deaths = value_for_slice(pack, SPECS["accident_deaths"], s)
    if ledger_covers(pack, "accidents", s.start.year):
        rows = ledger_rows(pack, "accidents", s.start, s.end)
        missing = _int(rows["missing"].sum()) if "missing" in rows else 0
        sectors = main_sectors(rows)
        majors = major_accidents(rows)
        major_count: int | None = len(majors)
    else:
        missing, sectors, majors = None, (), ()
        major_count = None
        if ANNUAL_SOURCE in (count.source, deaths.source):
            v = annual_figure(pack, s.start.year, "较大以上生产安全事故起数")
            major_count = None if v is None else _int(v)
    return AccidentYear(
        label=count.label,
        partial=count.partial,
        source=count.source if count.source != NO_DATA else deaths.source,
        count=count,
        deaths=deaths,
        missing=missing,
        count_cmp=compare(pack, "accident_count", count),
        deaths_cmp=compare(pack, "accident_deaths", deaths),
        main_sectors=sectors,
        major_count=major_count,
        major=majors,
    )


def accident_years(pack: DataPack, p: Period) -> list[AccidentYear]:
    """One :class:`AccidentYear` per year (or part of a year) of ``p``."""
    return [accident_year(pack, s) for s in p.year_slices()]


def period_accidents(pack: DataPack, p: Period) -> pd.DataFrame | None:
    """The ledger's accidents in ``p`` (None when the ledger does not cover all of it: absent, or
    its first row is later than the start of ``p`` — :func:`ledger_covers`)."""
    if not ledger_covers(pack, "accidents", p.start.year):
        return None
    return ledger_rows(pack, "accidents", p.start, p.end)


def deaths_by_sector(df: pd.DataFrame) -> pd.DataFrame:
    return deaths_by(df, "sector", SECTORS)


def deaths_by_type(df: pd.DataFrame) -> pd.DataFrame:
    return deaths_by(df, "type", ACCIDENT_TYPES)


def severe_in(majors: tuple[MajorAccident, ...]) -> bool:
    """True when a 重大 or 特别重大 accident is among ``majors``."""
    return any(m.grade in SEVERE for m in majors)
