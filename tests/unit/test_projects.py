"""重大工程: status, schedule position, outlook and the Gantt chart, on hand-made projects.

Evaluation date 2023-06-30 (mid-term). Hand-worked figures are in the comments.
"""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from planeval.findings import load_thresholds
from planeval.periods import Period
from planeval.tasks import projects as P

MID = Period.parse("midterm")


def row(
    name,
    category="智慧应急工程",
    planned=100.0,
    done=0.0,
    start=None,
    planned_end=None,
    actual_end=None,
    status="在建",
    progress=0.0,
):
    ts = lambda d: pd.Timestamp(d) if d else pd.NaT  # noqa: E731
    return {
        "name": name,
        "category": category,
        "planned_investment": planned,
        "completed_investment": done,
        "start": ts(start),
        "planned_end": ts(planned_end),
        "actual_end": ts(actual_end),
        "status": status,
        "progress": progress,
        "_row": 2,
    }


@pytest.fixture
def three() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # finished on time: 2022-11-30 ≤ planned 2022-12-31
            row(
                "按期完工",
                planned=200,
                done=200,
                start="2021-03-01",
                planned_end="2022-12-31",
                actual_end="2022-11-30",
                status="已完工",
                progress=100,
            ),
            # delayed: 2022-01-01 → 2023-12-31 is 729 days; 545 elapsed at 2023-06-30 → 74.76 %;
            # progress 20 % is 54.8 points short (> 15) → 滞后
            row(
                "滞后项目",
                planned=100,
                done=30,
                start="2022-01-01",
                planned_end="2023-12-31",
                progress=20,
            ),
            # not started, no start date
            row(
                "未开工项目",
                category="应急救援能力提升工程",
                planned=300,
                planned_end="2025-12-31",
                status="未开工",
                progress=0,
            ),
        ]
    )


def test_three_statuses(three):
    t = P.project_table(three, MID)
    assert list(t["status"]) == ["已完工", "滞后", "未开工"]
    done, late, idle = (t.iloc[i] for i in range(3))
    assert done["on_time"] == True and done["can_finish"] == True  # noqa: E712 (numpy bools)
    assert late["elapsed_share"] == pytest.approx(545 / 729)
    assert late["progress_gap"] == pytest.approx(545 / 729 - 0.2)
    assert late["investment_rate"] == pytest.approx(0.3)
    # pace 20 % over 546 days (start and end inclusive): 80 % left takes 4 × 546 = 2184 days
    assert late["projected_end"] == pd.Timestamp(date(2023, 6, 30) + timedelta(days=2184))
    assert late["can_finish"] == False  # noqa: E712
    # investment 30 % vs elapsed 74.8 %: 44.8 points short (> 20) → lagging
    assert bool(late["investment_lag"]) is True
    assert idle["start_overdue"] == True and idle["can_finish"] is None  # noqa: E712
    s = P.project_summary(t, MID)
    assert s["by_status"] == {"已完工": 1, "在建": 0, "滞后": 1, "未开工": 1}
    assert s["planned_investment"] == 600 and s["completed_investment"] == 230
    assert s["investment_rate"] == pytest.approx(230 / 600)
    assert s["cannot_finish"] == ["滞后项目"] and s["undecided"] == ["未开工项目"]
    assert list(s["categories"]) == ["智慧应急工程", "应急救援能力提升工程"]


def test_delay_gap_boundary():
    # 2023-01-01 → 2023-12-31 (364 days); 180 elapsed at 2023-06-30 → 49.45 %
    share = 180 / 364
    exact = row(
        "恰好",
        start="2023-01-01",
        planned_end="2023-12-31",
        progress=round((share - 0.15) * 100, 10),
    )
    over = row("超出", start="2023-01-01", planned_end="2023-12-31", progress=(share - 0.151) * 100)
    t = P.project_table(pd.DataFrame([exact, over]), MID)
    assert list(t["status"]) == ["在建", "滞后"]
    # a tighter threshold from the configuration changes the verdict
    t2 = P.project_table(pd.DataFrame([exact]), MID, load_thresholds({"projects.delay_gap": 0.10}))
    assert t2["status"].iloc[0] == "滞后"


def test_other_cases():
    df = pd.DataFrame(
        [
            # finished a day after the planned end → 逾期完工
            row(
                "逾期完工",
                start="2021-05-10",
                planned_end="2022-06-30",
                actual_end="2022-07-01",
                status="已完工",
                progress=100,
            ),
            # past its planned end, 95 % → 滞后 even though the gap is only 5 points
            row("逾期未完", start="2021-01-01", planned_end="2023-03-31", progress=95),
            # planned start after the period end: 未开工 but not overdue; 2023-09-01 → 2025-09-01
            row("未到开工", start="2023-09-01", planned_end="2025-09-01", status="未开工"),
            # not started, planned start passed: earliest start 2023-07-01 + 730 days → 2025-06-30
            row("逾期未开工", start="2023-01-01", planned_end="2024-12-31", status="未开工"),
            # started, no progress at all → cannot finish at its pace
            row("零进度", start="2023-01-01", planned_end="2023-12-31", status="在建"),
            # finished after the period end: still 在建 at 2023-06-30 (progress as reported)
            row(
                "期后完工",
                start="2022-01-01",
                planned_end="2023-12-31",
                actual_end="2023-08-01",
                progress=80,
            ),
        ]
    )
    t = P.project_table(df, MID).set_index("name")
    assert t.loc["逾期完工", "on_time"] == False and t.loc["逾期完工", "status"] == "已完工"  # noqa: E712
    assert t.loc["逾期未完", "status"] == "滞后"
    assert t.loc["未到开工", "status"] == "未开工" and not t.loc["未到开工", "start_overdue"]
    assert t.loc["未到开工", "projected_end"] == pd.Timestamp("2025-09-01")
    assert t.loc["逾期未开工", "start_overdue"]
    assert t.loc["逾期未开工", "projected_end"] == pd.Timestamp("2025-06-30")
    assert t.loc["逾期未开工", "can_finish"] == True  # noqa: E712
    assert t.loc["零进度", "can_finish"] == False  # noqa: E712
    assert t.loc["期后完工", "status"] == "在建"
    delayed = P.delayed_table(P.project_table(df, MID))
    assert list(delayed["项目"]) == ["逾期未完", "逾期未开工", "零进度"]


def test_zero_planned_investment_has_no_rate():
    t = P.project_table(
        pd.DataFrame(
            [
                row(
                    "无计划投资",
                    planned=0.0,
                    start="2022-01-01",
                    planned_end="2024-01-01",
                    progress=50,
                )
            ]
        ),
        MID,
    )
    assert pd.isna(t["investment_rate"].iloc[0])
    assert P.display_table(t)["投资完成率"].iloc[0] == "—"
    assert not t["investment_lag"].iloc[0]


def test_metrics_and_missing_ledger(three):
    m = P.project_metrics(three, MID)
    assert m["available"] and m["period"] == "midterm-2023H1"
    rec = {r["name"]: r for r in m["projects"]}
    assert rec["滞后项目"]["projected_end"] == "2029-06-22"
    assert rec["未开工项目"]["can_finish"] is None
    assert m["thresholds"] == {"delay_gap": 0.15, "investment_gap": 0.2}
    none = P.project_metrics(None, MID)
    assert none["available"] is False and none["projects"] == []


def test_narrative_names_figures(three):
    t = P.project_table(three, MID)
    text = P.summary_narrative(t, MID).markdown
    assert "共3个" in text and "600.00万元" in text and "230.00万元" in text and "38.3%" in text
    assert "“滞后项目”难以在2025年底前完工" in text
    assert "“未开工项目”尚未确定开工日期，能否在规划期内完工有待跟踪。" in text
    secs = P.category_sections(t, MID)
    assert [h for h, _ in secs] == ["1．智慧应急工程", "2．应急救援能力提升工程"]
    assert "按计划工期应达74.8%" in secs[0][1].markdown


def test_gantt_chart(three, tmp_path):
    t = P.project_table(three, MID)
    fig = P.gantt_chart(t, MID)
    ax = fig.axes[0]
    labels = [x.get_text() for x in ax.get_yticklabels()]
    # top to bottom: category, its projects, next category, its project
    assert labels[::-1] == [
        "智慧应急工程",
        "按期完工",
        "滞后项目",
        "应急救援能力提升工程",
        "未开工项目",
    ]
    texts = [x.get_text().strip() for x in ax.texts]
    assert "评估截止" in texts and "规划期末" in texts
    assert any(x.startswith("未开工") for x in texts) and "20%" in texts
    # vertical lines at the period end and the plan end
    import matplotlib.dates as mdates

    xs = sorted(line.get_xdata()[0] for line in ax.lines if len(set(line.get_xdata())) == 1)
    assert xs == [
        mdates.date2num(pd.Timestamp("2023-06-30")),
        mdates.date2num(pd.Timestamp("2025-12-31")),
    ]
    # bars: planned spans for the two dated projects + their progress fills
    assert len(ax.patches) == 4
    fig.savefig(tmp_path / "gantt.png")  # Glyph warnings are errors (pyproject filterwarnings)
    plt.close(fig)
