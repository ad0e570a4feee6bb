"""Hand-worked edge cases found while running the whole report on every kind of period and pack.

- 重大工程 read for a period that ends before a project's 开工日期 (the ledger is a later
  snapshot): the project had not started at the period end, whatever progress the ledger shows.
- 总体评价 tone: indicators without data are neither "未达到时序进度" nor "均符合".
"""

from __future__ import annotations

import pandas as pd

from planeval.chapters import projects as P
from planeval.findings import load_thresholds
from planeval.findings.model import FindingsResult
from planeval.findings.report import overview_context
from planeval.indicators.model import IndicatorsMetrics
from planeval.periods import Period

Y2022 = Period.parse("2022")


def project(**kw):
    base = {
        "name": "甲",
        "category": "自然灾害防治工程",
        "planned_investment": 4200.0,
        "completed_investment": 600.0,
        "start": pd.Timestamp("2023-03-01"),
        "planned_end": pd.Timestamp("2025-06-30"),
        "actual_end": pd.NaT,
        "status": "在建",
        "progress": 15.0,
    }
    base.update(kw)
    return base


def test_project_starting_after_the_period_end_is_not_started():
    # Evaluated at 2022-12-31; starts 2023-03-01 (a 2023 snapshot says 15 % done).
    s = P.project_status(project(), Y2022)
    assert s["status"] == "未开工" and s["progress"] == 0.0
    assert not s["start_overdue"]  # its planned start has not come yet
    # Projected: starts as planned, planned duration 2023-03-01..2025-06-30 → 2025-06-30.
    assert s["projected_end"] == pd.Timestamp("2025-06-30") and s["can_finish"] is True
    assert s["elapsed_share"] == 0.0 and not s["investment_lag"]


def test_project_finished_after_the_period_end_projects_its_actual_end():
    # 100 % in the ledger but finished 2023-05-20, after the 2022 period end: still under way
    # at 2022-12-31 and expected to finish when it actually did (not "2022年12月").
    s = P.project_status(
        project(
            start=pd.Timestamp("2021-04-01"),
            planned_end=pd.Timestamp("2023-05-31"),
            actual_end=pd.Timestamp("2023-05-20"),
            status="已完工",
            progress=100.0,
            completed_investment=4200.0,
        ),
        Y2022,
    )
    assert s["status"] == "在建"
    assert s["projected_end"] == pd.Timestamp("2023-05-20") and s["can_finish"] is True


def test_project_started_with_progress_within_period_unchanged():
    # Started 2022-01-01, planned 2022-01-01..2023-12-31 (729 days); at 2022-12-31 364 days
    # elapsed → 工期进度 364/729 = 0.4993; progress 0.55 → 在建.
    s = P.project_status(
        project(
            start=pd.Timestamp("2022-01-01"), planned_end=pd.Timestamp("2023-12-31"), progress=55.0
        ),
        Y2022,
    )
    assert s["status"] == "在建" and round(s["elapsed_share"], 4) == 0.4993
    # 365 days (inclusive) for 55 % → 45 % more needs ceil(0.45 / (0.55/365)) = 299 days.
    assert s["projected_end"] == pd.Timestamp("2022-12-31") + pd.Timedelta(days=299)


def _result(verdicts: list[str]) -> FindingsResult:
    rows = [
        {"code": str(i), "name": f"指标{i}", "verdict": v, "target_type": "max_value"}
        for i, v in enumerate(verdicts, 1)
    ]
    return FindingsResult(
        findings=(),
        suppressed=(),
        unmatched_suppressions={},
        skipped={},
        thresholds=load_thresholds(),
        metrics={"indicators": IndicatorsMetrics.of({"indicators": rows})},
    )


def tone(verdicts: list[str]) -> str:
    return overview_context(_result(verdicts), Period.parse("midterm"), "县")["tone"]


def test_overview_tone_ignores_indicators_without_data():
    # 1 assessed and on track, 8 without data: not "多数未达到时序进度", not "均符合".
    assert tone(["超额完成"] + ["无法评价"] * 8) == "mixed"
    # Nothing assessed at all: no claim either way.
    assert tone(["无法评价"] * 3) == "mixed"


def test_overview_tone_boundaries():
    assert tone(["达到预期", "基本符合"]) == "good"
    # 2 on track of 4 assessed: not fewer than half → mixed; 1 of 3 → poor.
    assert tone(["达到预期", "达到预期", "滞后", "难以完成"]) == "mixed"
    assert tone(["达到预期", "滞后", "难以完成"]) == "poor"
    # "多数主要指标未达到时序进度要求" is said of all the indicators: 2 lagging of 5 (3 of them
    # unassessed or on track) is not "多数" → mixed; 3 lagging of 5 → poor.
    assert tone(["达到预期", "滞后", "难以完成", "无法评价", "无法评价"]) == "mixed"
    assert tone(["达到预期", "滞后", "难以完成", "滞后", "无法评价"]) == "poor"
