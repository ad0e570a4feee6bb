"""Findings engine: each rule fires on a hand-made metrics case and stays silent on its near miss;
suppression; threshold overrides; missing chapters; the stage-2 narratives."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planeval.chapters.projects import project_metrics
from planeval.findings import FindingsConfigError, collect_metrics, evaluate, load_thresholds
from planeval.findings import report as R
from planeval.periods import Period

MID = Period.parse("midterm")


def ids(metrics, period=MID, **kw) -> list[str]:
    return [f.id for f in evaluate(metrics, period=period, **kw).findings]


def ind(code="2", verdict="滞后", attribute="预期性", **kw):
    r = {
        "code": code,
        "name": f"指标{code}",
        "unit": "人",
        "attribute": attribute,
        "verdict": verdict,
        "target_type": "decline_pct",
        "current_value": 9,
        "base_value": 10,
        "target_value": 8.5,
        "target_pct": 15,
        "completion": 0.2,
        "time_share": 0.5,
        "digits": 0,
        "formula": "accident_deaths",
    }
    return {**r, **kw}


# ----------------------------------------------------------------------------- indicators
def test_indicator_verdicts():
    res = evaluate(
        {
            "indicators": {
                "indicators": [
                    ind("1", "滞后"),
                    ind("2", "基本符合"),
                    ind("3", "难以完成"),
                    ind("4", "滞后", "约束性"),
                    ind("5", "达到预期"),
                    ind("6", "无法评价"),
                ]
            }
        }
    )
    got = {f.id: f.severity for f in res.findings}
    assert got == {
        "indicator-unlikely:3": "高",
        "indicator-lagging:4": "高",
        "indicator-lagging:1": "中",
    }
    f = next(f for f in res.findings if f.id == "indicator-lagging:1")
    assert "完成进度20.0%" in f.sentence and "低于时序进度50.0%" in f.sentence
    assert ("目标", "8.5人（较基期下降15%）") in f.evidence


def test_major_accident_fires_and_near_miss():
    acc = {
        "id": "A1",
        "date": "2022-07-14",
        "sector": "工贸行业",
        "type": "中毒和窒息",
        "deaths": 3,
        "grade": "较大",
    }
    res = evaluate({"indicators": {"indicators": [], "major_accidents": [acc]}})
    (f,) = res.findings
    assert f.id == "major-accident:A1" and f.severity == "高"
    assert "2022年7月14日" in f.sentence and "造成3人死亡" in f.sentence
    assert ids({"indicators": {"indicators": [], "major_accidents": []}}) == []


# ---------------------------------------------------------------------------------- risk
def sector(found=100, rectified=100, major=0, major_rectified=0, open_major=0, overdue=0):
    return {
        "found": found,
        "rectified": rectified,
        "rate": rectified / found if found else None,
        "major": major,
        "major_rectified": major_rectified,
        "major_rate": major_rectified / major if major else None,
        "open_major": open_major,
        "overdue_open_major": overdue,
    }


def test_rectification_benchmark_and_near_miss():
    m = {
        "risk": {
            "sectors": {
                "城市建设和运行": sector(1000, 965),  # 96.5 % < 96.6 % → 中
                "工贸行业": sector(1000, 966),  # exactly the benchmark → silent
                "危险化学品": sector(100000, 96555),  # 96.555 % shows as 96.6 % → silent
                "消防": sector(1000, 899),  # 89.9 % < 90 % → 高
                "电力": sector(9, 4),  # fewer than 10 hazards → not judged
                "渔业船舶": sector(0, 0),  # no hazards: no rate
            }
        }
    }
    res = evaluate(m)
    assert {f.id: f.severity for f in res.findings} == {
        "sector-rectification:消防": "高",
        "sector-rectification:城市建设和运行": "中",
    }
    f = res.findings[1]
    assert (
        "排查发现隐患1,000项，已整改965项，整改率96.5%，低于96.6%的对标水平，尚有35项未完成整改"
        in f.sentence
    )


def test_overdue_major_fires_and_near_miss():
    m = {
        "risk": {
            "sectors": {
                "危险化学品": sector(100, 100, major=7, major_rectified=6, open_major=1, overdue=1),
                "消防": sector(
                    100, 100, major=5, major_rectified=4, open_major=1, overdue=0
                ),  # not yet due
            },
            "open_major_by_age": {
                "危险化学品": {"未到期": 0, "逾期≤30天": 1, "逾期31–90天": 0, "逾期>90天": 0}
            },
        }
    }
    res = evaluate(m)
    (f,) = res.findings
    assert f.id == "sector-overdue:危险化学品" and f.severity == "高"
    assert (
        "危险化学品领域" in f.sentence and "重大隐患整改率85.7%，低于全国98.4%的水平" in f.sentence
    )
    assert "逾期超过90天" not in f.sentence


# ----------------------------------------------------------------------------- disasters
def rate(avg, target=1.0, strict=True):
    return {
        "name": "年均每百万人口因自然灾害死亡率",
        "unit": "人/百万人",
        "digits": 2,
        "target": target,
        "strict": strict,
        "average": avg,
        "average_years": [2021, 2022],
    }


def test_disaster_rate():
    assert ids({"disasters": {"rates": {"disaster_deaths_per_million": rate(1.2)}}}) == [
        "disaster-rate:disaster_deaths_per_million"
    ]
    assert ids({"disasters": {"rates": {"disaster_deaths_per_million": rate(0.99)}}}) == []
    # "< 1" (strict) is missed by exactly 1; "≤ 1" is met by it
    assert ids({"disasters": {"rates": {"k": rate(1.0)}}}) == ["disaster-rate:k"]
    assert ids({"disasters": {"rates": {"k": rate(1.0, strict=False)}}}) == []
    # already judged by the indicators chapter → not said twice
    judged = {
        "indicators": {"indicators": [ind("7", "难以完成", formula="disaster_deaths_per_million")]},
        "disasters": {"rates": {"disaster_deaths_per_million": rate(2.4)}},
    }
    assert ids(judged) == ["indicator-unlikely:7"]


# -------------------------------------------------------------------------------- drills
def drills(total, live, blind, by_year=None):
    return {
        "rescue": {
            "drills": {
                "available": True,
                "total": total,
                "by_form": {"桌面推演": total - live - blind, "实战": live, "双盲": blind},
                "by_year": by_year or {},
            }
        }
    }


def test_double_blind_drills():
    by_year = {"2021年": {"双盲": 0}, "2022年": {"双盲": 1}, "2023年上半年": {"双盲": 0}}
    res = evaluate(drills(10, 5, 1, by_year), period=MID)  # 2.5 years → at least 2
    (f,) = res.findings
    assert f.id == "drill-double-blind"
    assert (
        "仅1次（2022年）" in f.sentence
        and "不少于2次" in f.sentence
        and "2021年、2023年上半年未开展" in f.sentence
    )
    assert ids(drills(10, 5, 2), period=MID) == []
    # half a year: floor(0.5) = 0 required
    assert ids(drills(10, 5, 0), period=Period.parse("2023H1")) == []
    assert ids(drills(10, 5, 0), period=Period.parse("2022")) == ["drill-double-blind"]


def test_live_share():
    # 1 实战 + 1 双盲 of 10 = 20 % < 30 % (and the year's one 双盲 drill is enough)
    res = evaluate(drills(10, 1, 1), period=Period.parse("2022"))
    assert [f.id for f in res.findings] == ["drill-live-share"] and res.findings[0].severity == "低"
    assert "实战和“双盲”演练合计2次，占20.0%" in res.findings[0].sentence
    assert ids(drills(10, 3, 0), period=Period.parse("2023H1")) == []  # exactly 30 %
    assert ids({"rescue": {"drills": {"available": False}}}) == []


# ------------------------------------------------------------------------------ reserves
def line(q, t, item="帐篷"):
    return {
        "item": item,
        "category": "生活类",
        "level": "县",
        "depot": "县储备库",
        "quantity": q,
        "target": t,
        "unit": "顶",
    }


def test_reserves():
    res = evaluate({"reserves": {"available": True, "below_target": [line(99, 100)]}})
    (f,) = res.findings
    assert (
        f.id == "reserve-shortfall"
        and f.severity == "中"
        and "帐篷99顶（目标100顶，达99.0%）" in f.sentence
    )
    assert ids({"reserves": {"available": True, "below_target": [line(100, 100)]}}) == []
    sev = evaluate(
        {"reserves": {"available": True, "below_target": [line(49, 100), line(90, 100, "棉被")]}}
    )
    assert sev.findings[0].severity == "高" and "2项" in sev.findings[0].sentence


# ------------------------------------------------------------------------------ projects
def test_project_rules():
    ts = pd.Timestamp
    df = pd.DataFrame(
        [
            # cannot finish (20 % of a 2-year job after 1.5 years)
            {
                "name": "燃气",
                "category": "A",
                "planned_investment": 100.0,
                "completed_investment": 20.0,
                "start": ts("2022-01-01"),
                "planned_end": ts("2023-12-31"),
                "actual_end": pd.NaT,
                "status": "在建",
                "progress": 20.0,
            },
            # delayed but can finish: 2022-07-01 → 2024-06-30 (730 d), 364 d elapsed → 49.9 %; 30 % is
            # 19.9 points short; pace 30 %/365 d → 70 % more in 852 d → 2025-10-29 ≤ 2025-12-31
            {
                "name": "滞后",
                "category": "A",
                "planned_investment": 100.0,
                "completed_investment": 40.0,
                "start": ts("2022-07-01"),
                "planned_end": ts("2024-06-30"),
                "actual_end": pd.NaT,
                "status": "在建",
                "progress": 30.0,
            },
            # on track but investment 20 % vs elapsed 49.9 % → investment finding only
            {
                "name": "投资慢",
                "category": "B",
                "planned_investment": 100.0,
                "completed_investment": 20.0,
                "start": ts("2022-07-01"),
                "planned_end": ts("2024-06-30"),
                "actual_end": pd.NaT,
                "status": "在建",
                "progress": 45.0,
            },
            # not started past its planned start, can still finish: 1 year from 2023-07-01
            {
                "name": "未开工",
                "category": "B",
                "planned_investment": 100.0,
                "completed_investment": 0.0,
                "start": ts("2023-03-01"),
                "planned_end": ts("2024-03-01"),
                "actual_end": pd.NaT,
                "status": "未开工",
                "progress": 0.0,
            },
            # near miss: on track, investment 30 % vs 49.9 % is 19.9 points (≤ 20) → silent
            {
                "name": "正常",
                "category": "B",
                "planned_investment": 100.0,
                "completed_investment": 30.0,
                "start": ts("2022-07-01"),
                "planned_end": ts("2024-06-30"),
                "actual_end": pd.NaT,
                "status": "在建",
                "progress": 45.0,
            },
        ]
    )
    res = evaluate({"projects": project_metrics(df, MID)})
    got = {f.id: f.severity for f in res.findings}
    assert got == {
        "project-cannot-finish:燃气": "高",
        "project-delayed:滞后": "中",
        "project-not-started:未开工": "中",
        "project-investment:投资慢": "低",
    }
    f = next(f for f in res.findings if f.kind == "project-delayed")
    assert "按现有进度预计2025年10月完工" in f.sentence


# ------------------------------------------------------------------------ control & config
def test_suppression_and_unmatched():
    m = {
        "reserves": {"available": True, "below_target": [line(50, 100)]},
        "indicators": {"indicators": [ind("1", "滞后")]},
    }
    res = evaluate(m, suppress={"reserve-shortfall": "已于7月补齐", "sector-overdue:电力": "x"})
    assert [f.id for f in res.findings] == ["indicator-lagging:1"]
    assert [(f.id, r) for f, r in res.suppressed] == [("reserve-shortfall", "已于7月补齐")]
    assert res.unmatched_suppressions == {"sector-overdue:电力": "x"}
    note = R.method_note(res).markdown
    # the reader sees what was left out and why; the ids are for analysts (metrics JSON)
    assert "部分应急物资储备未达目标：已于7月补齐" in note
    assert "reserve-shortfall" not in note and "sector-overdue" not in note
    out = R.findings_metrics(res, "midterm").to_json()
    assert out["suppressed"] == [{"id": "reserve-shortfall", "reason": "已于7月补齐"}]


def test_threshold_overrides():
    m = {"risk": {"sectors": {"道路交通": sector(1000, 977)}}}
    assert ids(m) == []
    t = load_thresholds('{"rectification": {"benchmark": 0.984}}')
    assert ids(m, thresholds=t) == ["sector-rectification:道路交通"]
    assert t.overridden == ("rectification.benchmark",)
    assert load_thresholds("drills.live_min_share: 0.5")["drills.live_min_share"] == 0.5
    assert load_thresholds("")["rectification.benchmark"] == 0.966
    with pytest.raises(FindingsConfigError, match="没有“rectification.benchmarks”"):
        load_thresholds({"rectification.benchmarks": 1})
    with pytest.raises(FindingsConfigError, match="应为数字"):
        load_thresholds({"projects.delay_gap": "高"})
    with pytest.raises(FindingsConfigError, match="高、中 或 低"):
        load_thresholds({"overdue.severity": "严重"})
    with pytest.raises(FindingsConfigError, match="键值映射"):
        load_thresholds("[1, 2]")


def test_missing_and_absent_chapters():
    res = evaluate({"reserves": {"available": False, "period": "x"}})
    assert res.findings == ()
    assert res.skipped["reserves"] == "数据包中没有该章节所需的台账"
    assert "indicators" in res.skipped and "projects" in res.skipped
    assert "推进自然灾害综合治理" in R.method_note(res).markdown


def test_collect_metrics_reads_json_for_the_period(tmp_path):
    (tmp_path / "reserves.json").write_text(
        json.dumps(
            {"available": True, "period": MID.label, "below_target": [line(1, 2)]},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    (tmp_path / "rescue.json").write_text(
        json.dumps({"period": "2022年", "drills": {}}), encoding="utf-8"
    )
    metrics, skipped = collect_metrics(None, MID, str(tmp_path), chapters=("reserves", "rescue"))
    assert metrics["reserves"].below_target[0].quantity == 1
    # a file for another period is not used; computing it in-process needs the pack → skipped
    assert "rescue" not in metrics and "计算失败" in skipped["rescue"]
    # a chapter without key figures (or not registered) is reported as unavailable
    from planeval.registry import CHAPTERS, ChapterSpec

    with CHAPTERS.registered(ChapterSpec("nochapter", "无", "99_nochapter.ipynb")):
        _, sk = collect_metrics(None, MID, "", chapters=("nochapter", "unregistered"))
    assert "尚不可用" in sk["nochapter"] and "尚不可用" in sk["unregistered"]


# ------------------------------------------------------------------------------ narratives
def test_overview_and_adjustments():
    m = {
        "indicators": {
            "indicators": [
                ind("1", "达到预期", current_value=8, base_value=10),
                ind("2", "难以完成"),
                ind("3", "滞后"),
                ind("4", "超额完成"),
            ],
            "major_accidents": [],
            # 较大以上 known to be 0 in every slice (an empty list alone proves nothing)
            "years": [{"label": "2021年", "major_count": 0}, {"label": "2022年", "major_count": 0}],
        }
    }
    res = evaluate(m)
    text = R.overview_narrative(res, MID, "示例县").markdown
    assert (
        "4项主要指标中，2项达到或基本符合时序进度要求（超额完成1项、达到预期1项），1项进展滞后，1项按现有趋势难以完成"
        in text
    )
    assert "指标1、指标4较基期分别下降20.0%、10.0%" in text and "未发生较大以上生产安全事故" in text
    assert "部分指标和任务进展不平衡" in text
    poor = evaluate(
        {"indicators": {"indicators": [ind("1", "达到预期"), ind("2", "滞后"), ind("3", "滞后")]}}
    )
    assert "进展不及预期" in R.overview_narrative(poor, MID, "示例县").markdown
    adj = R.adjustments_narrative(res, MID)
    assert [h for h, _ in adj] == [None, "（一）指标调整"]
    good = evaluate({"indicators": {"indicators": [ind("1", "达到预期")], "major_accidents": []}})
    (only,) = R.adjustments_narrative(good, MID)
    assert "不提出规划调整建议" in only[1].markdown
    # only the indicators' metrics: the other chapters are not covered, so not "均符合"
    partial = R.overview_narrative(good, MID, "示例县").markdown
    assert "均符合时序进度要求" not in partial and "未能生成，相关内容未作评价" in partial
    good.skipped.clear()  # every chapter covered
    assert (
        "主要指标和重点任务均符合时序进度要求" in R.overview_narrative(good, MID, "示例县").markdown
    )


def test_problems_and_suggestions_order():
    m = {
        "reserves": {"available": True, "below_target": [line(90, 100)]},
        "indicators": {"indicators": [ind("1", "难以完成")]},
        "risk": {"sectors": {"消防": sector(1000, 950)}},
    }
    res = evaluate(m)
    assert [h for h, _ in R.problems_sections(res)] == [
        "（一）主要指标进展方面",
        "（二）风险隐患排查治理方面",
        "（三）应急物资保障方面",
    ]
    sug = R.suggestions_sections(res)
    assert [h for h, _ in sug] == [
        "（一）正视目标差距，研究调整难以完成的指标",  # an indicator out of reach
        "（二）压实隐患整改责任，推动闭环管理",
        "（三）补齐物资储备短板，提高保障水平",
    ]
    assert "消防领域" in sug[1][1].markdown
    table = R.findings_table(res)
    assert list(table.columns) == ["序号", "问题", "严重程度", "依据"]  # no internal ids
    ids = [f["id"] for f in R.findings_metrics(res, "midterm").to_json()["findings"]]
    assert ids == ["indicator-unlikely:1", "sector-rectification:消防", "reserve-shortfall"]


def test_final_wording_in_overview_and_negative_completion_evidence():
    """At the final evaluation the 总体评价 counts use the final words (已完成, 未完成: 滞后 and
    难以完成 together); the findings still fire on the rule's words. A negative completion is
    worded as in the indicator table, with the figure."""
    fin = Period.parse("final")
    rows = [
        ind("1", "超额完成", time_share=1.0),
        ind("2", "达到预期", time_share=1.0),
        ind("3", "难以完成", time_share=1.0, completion=-1.172),
        ind("4", "滞后", time_share=1.0),
    ]
    res = evaluate({"indicators": {"indicators": rows}}, period=fin)
    assert {f.id for f in res.findings} == {"indicator-unlikely:3", "indicator-lagging:4"}
    titles = {f.id: f.title for f in res.findings}
    assert titles["indicator-unlikely:3"] == "“指标3”指标未完成"
    assert titles["indicator-lagging:4"] == "“指标4”指标未完成"
    f3 = next(f for f in res.findings if f.id == "indicator-unlikely:3")
    assert ("完成进度", "劣于基期（-117.2%）") in [tuple(e) for e in f3.evidence]
    text = R.overview_narrative(res, fin, "示例县").markdown
    assert "（超额完成1项、已完成1项），2项未完成规划目标" in text
    assert "达到预期" not in text and "进展滞后" not in text
    mid = evaluate({"indicators": {"indicators": [ind("4", "滞后"), ind("5", "达到预期")]}})
    text = R.overview_narrative(mid, MID, "示例县").markdown
    assert "（达到预期1项），1项进展滞后" in text
