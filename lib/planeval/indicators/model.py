"""The key figures of 一(一) 主要指标进展 (metrics id ``indicators``): the typed hand-off from
:func:`planeval.indicators.chapter.metrics_of` to the findings rules and to machines."""

from __future__ import annotations

from datetime import date

from planeval.metrics import ChapterMetrics, Figures, Num


class Span(Figures):
    start: date
    end: date
    label: str


class YearlyValue(Figures):
    label: str
    value: Num | None = None
    source: str = ""


class IndicatorRow(Figures):
    """One 指标 row as judged (see :class:`planeval.indicators.progress.Progress`)."""

    code: str
    name: str
    formula: str | None = None
    unit: str | None = ""
    attribute: str | None = ""
    digits: int | None = None
    target_type: str | None = None  # as judged (a zero-base decline → max_value)
    declared_target_type: str | None = None
    target_text: str | None = None
    base_year: int | None = None
    base_value: Num | None = None
    target_value: Num | None = None  # the 2025 level, or the limit / ceiling N
    target_pct: Num | None = None  # r for decline targets, else null
    current_value: Num | None = None
    current_basis: str | None = None
    completion: Num | None = None  # ratio, decline targets only
    time_share: Num | None = None
    path_value: Num | None = None
    annual_change_needed: Num | None = None
    needed_rest_average: Num | None = None
    best_annual_change_so_far: Num | None = None
    verdict: str | None = None
    verdict_text: str | None = None
    reason: str = ""
    yearly: list[YearlyValue] = []


class AccidentTotals(Figures):
    count: Num | None = None
    deaths: Num | None = None


class AccidentYearFigures(Figures):
    label: str
    count: Num | None = None
    deaths: Num | None = None
    source: str | None = None
    compared_with: str | None = None
    count_change: Num | None = None
    deaths_change: Num | None = None
    major_count: int | None = None


class MajorAccidentRecord(Figures):
    id: str
    date: date
    sector: str | None = ""
    type: str | None = ""
    deaths: int = 0  # 含失踪
    grade: str | None = "较大"
    unit: str | None = ""
    serious_injuries: int = 0
    loss: Num | None = None


class IndicatorsMetrics(ChapterMetrics):
    period: Span | None = None
    time_share: Num | None = None  # 时序进度
    tone: str | None = None
    tone_text: str | None = None
    indicators: list[IndicatorRow] = []  # one per 指标 row, in ledger order
    verdict_counts: dict[str, int] = {}
    accidents: AccidentTotals | None = None  # in the period
    years: list[AccidentYearFigures] = []
    major_accidents: list[MajorAccidentRecord] = []
