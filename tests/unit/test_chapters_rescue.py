"""Hand-worked tests of chapters.rescue (3. 强化应急救援能力)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planeval.chapters import rescue as R
from planeval.data.pack import DataPack
from planeval.periods import Period

T = pd.Timestamp
NaT = pd.NaT
MID = Period.parse("midterm")

TEAMS = pd.DataFrame(
    [
        ("消防大队", "综合性消防", 60, NaT),  # long-standing
        ("矿山救护队", "专业", 20, T("2021-05-01")),  # new in period
        ("蓝天救援队", "社会", 30, T("2023-06-30")),  # new on the last day
        ("化工厂队", "企业", 15, T("2023-07-01")),  # after the period: not counted
    ],
    columns=["name", "type", "members", "established"],
)
PLANS = pd.DataFrame(
    [
        ("X县总体应急预案", "县", "总体预案", T("2019-03-01"), NaT),
        ("X县地震应急预案", "县", "专项预案", T("2018-01-01"), T("2022-05-10")),
        ("X县低温雨雪冰冻灾害应急预案", "县", "专项预案", T("2017-01-01"), T("2021-11-20")),
        (
            "X县防汛抗旱应急预案",
            "县",
            "专项预案",
            T("2016-01-01"),
            T("2023-07-02"),
        ),  # revised after
        ("甲镇总体应急预案", "乡镇", "总体预案", T("2021-04-01"), T("2023-01-01")),
        ("X县森林火灾应急预案", "县", "专项预案", T("2022-02-01"), NaT),  # new
        ("X县未来预案", "县", "专项预案", T("2023-08-01"), NaT),  # not yet issued
    ],
    columns=["name", "level", "kind", "issued", "revised"],
)
DRILLS = pd.DataFrame(
    [
        ("d1", T("2021-03-01"), "县", "桌面推演", "地震", 40),
        ("d2", T("2021-09-01"), "县", "实战", "防汛", 200),
        ("d3", T("2022-03-15"), "乡镇", "实战", "火灾", 80),
        ("d4", T("2022-10-01"), "企业", "实战", "危化", 60),
        ("d5", T("2023-05-20"), "县", "实战", "燃气", 120),
        ("d6", T("2023-07-01"), "县", "双盲", "燃气", 99),  # after the period
    ],
    columns=["name", "date", "level", "form", "scenario", "participants"],
)


def pack(**frames) -> DataPack:
    return DataPack(
        root=Path("."),
        frames={"annual": pd.DataFrame(columns=["year", "measure", "value"]), **frames},
    )


def test_teams_by_type_counts_existing_and_new():
    t = R.teams_by_type(TEAMS, MID).set_index("类型")
    assert list(t.index) == ["综合性消防", "专业", "社会", "合计"]
    assert t.loc["合计", "队伍(支)"] == 3 and t.loc["合计", "队员(人)"] == 110
    assert t.loc["合计", "期内新组建(支)"] == 2
    assert t.loc["综合性消防", "期内新组建(支)"] == 0


def test_plans_in_force_issued_and_revised():
    p = R.plans_table(PLANS, MID)
    tot = p[p["层级"] == "合计"].iloc[0]
    assert tot["现行(部)"] == 6  # the 2023-08 plan is not yet in force
    assert tot["期内发布(部)"] == 2  # 甲镇 2021-04, 森林火灾 2022-02
    assert tot["期内修订(部)"] == 3  # 地震, 低温, 甲镇 (防汛 revised after the period)
    row = p[(p["层级"] == "县") & (p["类别"] == "专项预案")].iloc[0]
    assert (row["现行(部)"], row["期内发布(部)"], row["期内修订(部)"]) == (4, 1, 2)


def test_county_plan_names_in_date_order():
    assert R.plan_names(PLANS, MID, "revised") == ["X县低温雨雪冰冻灾害应急预案", "X县地震应急预案"]
    assert R.plan_names(PLANS, MID, "issued") == ["X县森林火灾应急预案"]
    assert R.plan_names(None, MID, "revised") == []


def test_drills_by_year_and_form_with_participants():
    d = R.drills_by_year(DRILLS, MID).set_index("年度")
    assert list(d.index) == ["2021年", "2022年", "2023年上半年", "合计"]
    assert d.loc["2021年", "桌面推演"] == 1 and d.loc["2021年", "实战"] == 1
    assert d.loc["2022年", "实战"] == 2 and d.loc["2022年", "参演人数(人)"] == 140
    assert d.loc["合计", "合计(次)"] == 5 and d.loc["合计", "双盲"] == 0
    assert d.loc["合计", "参演人数(人)"] == 500


def test_partial_year_drills_compared_with_same_period_last_year():
    y = R.drills_yoy(DRILLS, MID)
    assert y["previous_label"] == "2022年上半年"
    assert y["current"] == {"drills": 1, "live": 1, "participants": 120}
    assert y["previous"] == {"drills": 1, "live": 1, "participants": 80}
    assert R.drills_yoy(DRILLS, Period.parse("2022")) is None


def test_metrics_and_narrative_say_no_double_blind():
    s = R.summarise(pack(teams=TEAMS, plans=PLANS, drills=DRILLS), MID)
    m = R.metrics(s).to_json()
    assert m["drills"]["live"] == 4 and m["drills"]["double_blind"] == 0
    assert m["plans"]["revised_in_period"] == 3
    assert m["plans"]["county_revised_names"] == ["X县低温雨雪冰冻灾害应急预案", "X县地震应急预案"]
    assert m["teams"]["by_type"]["专业"] == {"teams": 1, "members": 20}
    text = "".join(str(R.narrative(s, "示例县", part)) for part in R.PARTS)
    assert "评估期内未开展无脚本“双盲”演练" in text
    assert "修订完善了《X县低温雨雪冰冻灾害应急预案》《X县地震应急预案》等2部县级应急预案" in text
    assert "2023年上半年与2022年上半年相比，演练次数持平（上年同期1次）" in text
    for bad in ("nan", "None", "{{"):
        assert bad not in text + str(R.method_note(s))
    assert R.drills_chart(s) is not None


def test_double_blind_named_when_held():
    s = R.summarise(pack(drills=DRILLS), Period.parse("2023"))
    m = R.metrics(s).to_json()
    assert m["drills"]["double_blind"] == 1
    assert "组织的“双盲”演练为：d6。" in str(R.narrative(s, "示例县", "drills"))
    assert R.narrative(s, "示例县", "teams") is None


def test_missing_ledgers_are_reported_not_failed():
    s = R.summarise(pack(), MID)
    assert s.missing == ["救援队伍", "应急预案", "应急演练"]
    m = R.metrics(s).to_json()
    assert m["teams"] == {"available": False} and m["drills"] == {"available": False}
    assert R.drills_chart(s) is None
    assert all(R.narrative(s, "示例县", part) is None for part in R.PARTS)
    assert R.notice(s, "drills") == "本数据包无“应急演练”台账，应急演练情况不作统计。"


def test_empty_period_gives_zeros():
    s = R.summarise(pack(drills=DRILLS.iloc[0:0], plans=PLANS.iloc[0:0]), MID)
    m = R.metrics(s).to_json()
    assert m["drills"]["total"] == 0 and m["drills"]["participants"] == 0
    assert m["plans"]["in_force"] == 0 and m["plans"]["county_revised_names"] == []
    assert "未修订县级应急预案" in str(R.narrative(s, "示例县", "plans"))
    assert R.notice(s, "plans") is None
