"""提升风险管控能力 — the chapter's key figures (metrics id ``risk``): the typed hand-off from
:func:`planeval.chapters.risk.compute.metrics` to the findings rules and to machines.

Counts are ints, rates floats in 0..1, unknown figures null."""

from __future__ import annotations

from datetime import date

from planeval.metrics import ChapterMetrics, Figures, Num


class Span(Figures):
    label: str
    start: date
    end: date


class Available(Figures):
    inspections: bool = False
    hazards: bool = False
    campaigns: bool = False


class Benchmark(Figures):
    major_rate: float
    label: str


class SectorFigures(Figures):
    """One sector's (or the total's) figures: the names of ``FIGURE_COLS``."""

    checks: Num | None = None
    units: Num | None = None
    documents: Num | None = None
    penalties: Num | None = None
    fines: Num | None = None  # 万元
    found: Num | None = None
    general: Num | None = None
    major: Num | None = None
    rectified: Num | None = None
    rectified_immediate: Num | None = None
    rectified_deadline: Num | None = None
    major_rectified: Num | None = None
    open: Num | None = None
    open_major: Num | None = None
    overdue_open: Num | None = None
    overdue_open_major: Num | None = None
    overdue_fixed: Num | None = None
    open_before: Num | None = None  # open at the period end, found before the period
    overdue: Num | None = None
    rate: Num | None = None
    major_rate: Num | None = None
    campaigns: Num | None = None
    surveyed: Num | None = None
    filed: Num | None = None
    campaign_hazards: Num | None = None
    campaign_fixed: Num | None = None


class CompareFigures(Figures):
    label: str
    start: date
    end: date
    figures: SectorFigures


class YearFigures(Figures):
    label: str
    start: date
    end: date
    partial: bool = False
    figures: SectorFigures
    compare: CompareFigures | None = None


class Campaign(Figures):
    campaign: str
    sector: str
    object: str
    surveyed: Num | None = None
    filed: Num | None = None
    hazards: Num | None = None
    fixed: Num | None = None
    start: date
    end: date | None = None
    ongoing: bool = False


class SectorRate(Figures):
    sector: str
    major_rate: float


class LowestRate(Figures):
    sector: str
    rate: float


class RiskMetrics(ChapterMetrics):
    period: Span | None = None
    available: Available | None = None  # which ledgers the pack has (None: not stated)
    benchmark: Benchmark | None = None
    sectors: dict[str, SectorFigures] = {}  # shown sectors, SECTORS order
    totals: SectorFigures | None = None  # = sum of the sectors
    years: list[YearFigures] = []
    campaigns: list[Campaign] = []
    campaign_rule: str | None = None
    open_major_by_age: dict[str, dict[str, int]] = {}  # sector -> AGE_BUCKETS -> n
    below_benchmark: list[SectorRate] = []  # major_rate < benchmark
    lowest_rate: LowestRate | None = None
