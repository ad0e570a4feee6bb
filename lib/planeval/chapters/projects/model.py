"""（三）重大工程项目进展 — the chapter's key figures (metrics id ``projects``): the typed hand-off
from :func:`planeval.chapters.projects.compute.project_metrics` to the findings rules."""

from __future__ import annotations

from datetime import date

from planeval.metrics import ChapterMetrics, Figures, Num


class UsedThresholds(Figures):
    delay_gap: float
    investment_gap: float


class Block(Figures):
    """The summary of all projects, or of one 类别."""

    count: int = 0
    by_status: dict[str, int] = {}
    planned_investment: Num | None = None
    completed_investment: Num | None = None
    rated_completed_investment: Num | None = None
    investment_rate: Num | None = None
    unplanned: list[str] = []
    unplanned_completed: Num | None = None
    delayed: list[str] = []
    not_started: list[str] = []
    not_started_overdue: list[str] = []
    cannot_finish: list[str] = []
    undecided: list[str] = []
    investment_lag: list[str] = []
    on_time_completed: list[str] = []
    late_completed: list[str] = []


class Summary(Block):
    plan_elapsed_share: Num | None = None
    categories: dict[str, Block] = {}


class ProjectRecord(Figures):
    name: str
    category: str = ""
    planned_investment: Num | None = None
    completed_investment: Num | None = None
    investment_rate: Num | None = None
    start: date | None = None
    planned_end: date | None = None
    actual_end: date | None = None
    progress: Num | None = None
    elapsed_share: Num | None = None
    progress_gap: Num | None = None
    status: str
    on_time: bool | None = None
    start_overdue: bool = False
    projected_end: date | None = None
    can_finish: bool | None = None
    investment_lag: bool = False
    projected_far: bool = False


class ProjectsMetrics(ChapterMetrics):
    period: str | None = None  # the period's slug
    period_end: date | None = None
    available: bool = True
    thresholds: UsedThresholds | None = None
    summary: Summary | None = None
    projects: list[ProjectRecord] = []
    evaluated_at: date | None = None
    ledger_as_of: date | None = None
    as_of_declared: bool = False
