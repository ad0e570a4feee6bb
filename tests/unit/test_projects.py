"""重大工程: status, schedule position, outlook and the Gantt chart, on hand-made projects.

Evaluation date 2023-06-30 (mid-term). Hand-worked figures are in the comments.
"""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from planeval.chapters import projects as P
from planeval.findings import load_thresholds
from planeval.periods import Period

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
    m = P.project_metrics(three, MID).to_json()
    assert m["available"] and m["period"] == "midterm-2023H1"
    rec = {r["name"]: r for r in m["projects"]}
    assert rec["滞后项目"]["projected_end"] == "2029-06-22"
    assert rec["未开工项目"]["can_finish"] is None
    assert m["thresholds"] == {"delay_gap": 0.15, "investment_gap": 0.2}
    none = P.project_metrics(None, MID).to_json()
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


# ------------------------------------------------------------------ 填报时点 (snapshot ledger)
Y2022 = Period.parse("2022")
FINAL = Period.parse("final")
SNAP = date(2023, 6, 30)


@pytest.fixture
def snapshot() -> pd.DataFrame:
    """A ledger filled in on 2023-06-30 (like the demo's)."""
    return pd.DataFrame(
        [
            # started 2023-03-01 (after 2022), 15 % and 600 万元 at 2023-06-30
            row(
                "次年开工",
                planned=4200,
                done=600,
                start="2023-03-01",
                planned_end="2025-06-30",
                progress=15,
            ),
            # under way in 2022, finished 2023-05-20 (after 2022, before the snapshot)
            row(
                "次年完工",
                planned=500,
                done=500,
                start="2021-04-01",
                planned_end="2023-05-31",
                actual_end="2023-05-20",
                status="已完工",
                progress=100,
            ),
            # 60 % at 2023-06-30, started 2022-03-01
            row(
                "在建项目",
                planned=950,
                done=620,
                start="2022-03-01",
                planned_end="2024-06-30",
                progress=60,
            ),
        ]
    )


def test_ledger_as_of_from_the_projects_note():
    from pathlib import Path

    from planeval.data.pack import DataPack

    def pk(text):
        return DataPack(Path("."), {}, notes={"projects": text})

    assert P.ledger_as_of(pk("重大工程台账填报时点为2023年6月30日。")) == SNAP
    assert P.ledger_as_of(pk("数据截至 2024-12-31，由发改局汇总")) == date(2024, 12, 31)
    assert P.ledger_as_of(pk("台账截至：2022/6/30")) == date(2022, 6, 30)
    assert P.ledger_as_of(pk("各项目进展良好。")) is None
    assert P.ledger_as_of(pk("填报时点为2023年2月30日")) is None  # not a date
    assert P.ledger_as_of(DataPack(Path("."), {})) is None


def test_later_ledger_is_read_against_the_dated_facts(snapshot):
    """2022 report, ledger of 2023-06-30: nothing started after 2022 is attributed to 2022."""
    t = P.project_table(snapshot, Y2022, as_of=SNAP)
    assert t.attrs == {"evaluated_at": date(2022, 12, 31), "as_of": SNAP, "as_of_declared": True}
    s = {r["name"]: r for r in t.to_dict("records")}
    a = s["次年开工"]
    assert a["status"] == "未开工" and a["progress"] == 0 and a["completed_investment"] == 0
    assert a["investment_rate"] == 0 and not a["start_overdue"]
    # it did start: projected from its pace at the snapshot: 2023-03-01..06-30 is 122 days for
    # 15 %, 85 % more takes ceil(0.85 × 122 / 0.15) = ceil(691.3) = 692 days → 2025-05-22
    assert a["projected_end"] == pd.Timestamp("2025-05-22") and a["can_finish"] is True
    b = s["次年完工"]
    assert b["status"] == "在建"  # finished 2023-05-20, after the period end
    assert b["projected_end"] == pd.Timestamp("2023-05-20")
    c = s["在建项目"]
    # pace measured at the snapshot: 487 days for 60 %, 40 % more: ceil(324.7) = 325 → 2024-05-20
    assert c["projected_end"] == pd.Timestamp("2024-05-20")
    # elapsed at 2022-12-31: 305 of 852 days
    assert round(c["elapsed_share"], 4) == round(305 / 852, 4)
    text = P.summary_narrative(t, Y2022).markdown
    assert "重大工程台账为填报时点数据（截至2023年6月30日），晚于本评估期末" in text
    assert "评估期末前已开工的项目累计完成投资1,120.00万元（填报时点数）" in text
    assert "截至2022年12月31日，累计完成投资" not in text
    assert P.caption_date(t, Y2022) == "2022年12月31日；形象进度和投资为2023年6月30日填报数"
    out = P.display_table(t).set_index("项目")["完工预期"]
    assert out["次年完工"] == "2023年5月完工（评价时点后）"
    assert out["次年开工"] == "未到计划开工时间"
    sec = P.category_sections(t, Y2022)[0][1].markdown
    assert "截至填报时点形象进度60.0%" in sec
    m = P.project_metrics(snapshot, Y2022, as_of=SNAP).to_json()
    assert (m["evaluated_at"], m["ledger_as_of"], m["as_of_declared"]) == (
        "2022-12-31",
        "2023-06-30",
        True,
    )
    assert m["summary"]["completed_investment"] == 1120.0


def test_earlier_ledger_is_judged_at_its_own_date(snapshot):
    """Final report with the 2023-06-30 ledger = the mid-term position, said so."""
    fin = P.project_table(snapshot, FINAL, as_of=SNAP)
    mid = P.project_table(snapshot, MID, as_of=SNAP)
    assert fin.attrs["evaluated_at"] == SNAP
    cols = ["status", "progress", "elapsed_share", "projected_end", "completed_investment"]
    pd.testing.assert_frame_equal(fin[cols], mid[cols])
    assert fin.set_index("name").loc["次年完工", "status"] == "已完工"
    text = P.summary_narrative(fin, FINAL).markdown
    assert "（截至2023年6月30日），早于本评估期末，以下按填报时点评价" in text
    assert "截至2023年6月30日，累计完成投资1,720.00万元" in text
    assert "规划时序进度50.0%" in text  # at 2023-06-30, not 100 %
    assert P.caption_date(fin, FINAL) == "2023年6月30日"
    note = P.method_note(None, fin, FINAL).markdown
    assert "重大工程台账为填报时点数据（截至2023年6月30日，本报告评价时点为2023年6月30日）" in note
    assert "晚于2027年12月31日的，不再列出具体日期" in note


def test_undeclared_date_is_the_period_end_unless_the_ledger_records_later_facts(snapshot):
    t = P.project_table(snapshot, MID)
    assert t.attrs == {"evaluated_at": MID.end, "as_of": MID.end, "as_of_declared": False}
    assert "重大工程台账" not in P.summary_narrative(t, MID).markdown.split("\n")[0][:6]
    # 2022: the ledger records 2023-03-01 (a start with progress) and 2023-05-20 (a completion)
    assert P.latest_recorded(snapshot) == date(2023, 5, 20)
    t = P.project_table(snapshot, Y2022)
    assert t.attrs["as_of"] == date(2023, 5, 20) and t.attrs["as_of_declared"] is False
    assert "未注明填报时点，所记开工、完工日期最晚为2023年5月20日" in (
        P.summary_narrative(t, Y2022).markdown
    )
    # a planned start of a project not started is not a recorded fact
    only_plan = pd.DataFrame([row("x", start="2024-03-01", planned_end="2025-06-30")])
    assert P.latest_recorded(only_plan) is None


def test_far_projection_is_not_shown_as_a_date(three):
    """滞后项目 at mid-term projects to 2029-06-22, beyond 2027-12-31: no date in the text."""
    t = P.project_table(three, MID)
    r = t.set_index("name").loc["滞后项目"]
    assert bool(r["projected_far"]) and r["projected_end"] == pd.Timestamp("2029-06-22")
    assert P.display_table(t).set_index("项目").loc["滞后项目", "完工预期"] == (
        "按目前进度规划期内难以完工"
    )
    m = P.project_metrics(three, MID).to_json()
    rec = {x["name"]: x for x in m["projects"]}["滞后项目"]
    assert rec["projected_end"] == "2029-06-22" and rec["projected_far"] is True
    # within the horizon a late date is still shown: 25 % on 2023-06-30 after 2022-01-01
    # (546 days): 75 % more takes 3 × 546 = 1638 days → 2027-12-24, just inside 2027-12-31
    near = pd.DataFrame(
        [row("近", start="2022-01-01", planned_end="2025-12-31", progress=25, done=10)]
    )
    r = P.project_table(near, MID).iloc[0]
    assert not r["projected_far"] and r["projected_end"].strftime("%Y-%m") == "2027-12"
    assert P.display_table(P.project_table(near, MID)).iloc[0]["完工预期"] == (
        "预计2027年12月完工（晚于规划期末）"
    )


def test_far_projection_in_findings(three):
    from planeval.findings.rules import rule_projects

    fs = rule_projects(P.project_metrics(three, MID), load_thresholds(), {})
    f = next(f for f in fs if f.kind == "project-cannot-finish")
    assert ("按现有进度预计完工", "规划期内难以完工") in [tuple(e) for e in f.evidence]
    assert "2029" not in f.sentence and "按目前进度规划期内难以完工" in f.sentence


def test_investment_rate_sums_only_projects_with_a_planned_investment(three):
    """Add a project with 计划投资 blank and 80万元 completed, and one with 0 and nothing done.
    Rate = (200 + 30 + 0) ÷ (200 + 100 + 300) = 230 ÷ 600 = 38.3 % (the naive Σ would be
    310 ÷ 600 = 51.7 %); completed investment in total 310万元; the rows left out are named."""
    extra = pd.DataFrame(
        [
            row(
                "无计划投资项目",
                planned=float("nan"),
                done=80,
                start="2022-01-01",
                planned_end="2024-01-01",
                progress=50,
            ),
            row(
                "零计划投资项目",
                planned=0.0,
                done=0,
                start="2022-01-01",
                planned_end="2024-01-01",
                progress=50,
            ),
        ]
    )
    t = P.project_table(pd.concat([three, extra], ignore_index=True), MID)
    s = P.project_summary(t, MID)
    assert s["planned_investment"] == 600
    assert s["rated_completed_investment"] == 230 and s["completed_investment"] == 310
    assert s["investment_rate"] == pytest.approx(230 / 600)
    assert s["unplanned"] == ["无计划投资项目", "零计划投资项目"]
    assert s["unplanned_completed"] == 80
    cat = s["categories"]["智慧应急工程"]  # 200 + 100 planned; 200 + 30 done (+80 left out)
    assert cat["investment_rate"] == pytest.approx(230 / 300) and cat["unplanned_completed"] == 80
    text = P.summary_narrative(t, MID).markdown
    assert (
        "累计完成投资310.00万元，投资完成率38.3%（计划投资为0或未填的项目完成投资80.00万元，"
        "不计入投资完成率）" in text
    )
    note = P.method_note(table=t, period=MID).markdown
    assert "本次不计入的有无计划投资项目、零计划投资项目（已完成投资合计80.00万元）。" in note
    # a completed investment above a planned 0 can no longer push the rate past 100 %
    only = P.project_table(
        pd.DataFrame([row("甲", planned=100, done=100), row("乙", planned=0, done=50)]), MID
    )
    assert P.project_summary(only, MID)["investment_rate"] == pytest.approx(1.0)


def test_no_unplanned_projects_no_extra_words(three):
    t = P.project_table(three, MID)
    assert P.project_summary(t, MID)["unplanned"] == []
    assert "不计入投资完成率" not in P.summary_narrative(t, MID).markdown
    assert "本次不计入" not in P.method_note(table=t, period=MID).markdown
