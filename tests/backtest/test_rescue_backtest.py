"""Backtest of 3. 强化应急救援能力 on the demo county's mid-term (2021-01-01..2023-06-30).

Committed: ``expected/rescue_teams.csv`` (teams by 类型), ``expected/rescue_plans.csv`` (plans by
层级 and 类别: in force / issued / revised in the period), ``expected/rescue_drills.csv`` (drills
by year slice and 形式 with participants) and ``expected/rescue_county_revised.csv`` (names of
the county plans revised, in date order). How they were verified: ``_independent_*`` recount
them from the demo workbook with openpyxl and plain loops (in force = 发布日期 ≤ 2023-06-30;
issued/revised = the date inside the period; teams with 成立日期 blank or ≤ 2023-06-30), and by
eye against the demo README: exactly one 双盲 drill in all the data (2022-06-16), several county
plans revised 2021-2023H1 (低温雨雪冰冻, 地震, 防汛抗旱, 生产安全事故 …). Rebuild with
``python tests/backtest/test_rescue_backtest.py`` only when the demo data change on purpose.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from _capacity_common import END, EXPECTED, SLICES, START, check, demo_pack, needs_demo, sheet

from planeval import vocab
from planeval.chapters import rescue
from planeval.periods import Period

pytestmark = needs_demo


def summary():
    return rescue.summarise(demo_pack(), Period.parse("midterm"))


def _independent_drills() -> pd.DataFrame:
    rows = []
    drills = sheet("应急演练")
    for label, a, b, _ in [*SLICES, ("合计", START, END, 0)]:
        d = [r for r in drills if a <= r["日期"] <= b]
        c = Counter(r["形式"] for r in d)
        rows.append(
            {
                "年度": label,
                **{f: c[f] for f in vocab.DRILL_FORMS},
                "合计(次)": len(d),
                "参演人数(人)": sum(r["参演人数"] for r in d),
            }  # fmt: skip
        )
    return pd.DataFrame(rows)


def _independent_plans() -> tuple[pd.DataFrame, list[str]]:
    plans = [r for r in sheet("应急预案") if r["发布日期"] <= END]
    n, i, v = Counter(), Counter(), Counter()
    for r in plans:
        k = (r["层级"], r["类别"])
        n[k] += 1
        i[k] += START <= r["发布日期"] <= END
        v[k] += r["修订日期"] is not None and START <= r["修订日期"] <= END
    rows = [
        {
            "层级": lv,
            "类别": kd,
            "现行(部)": n[(lv, kd)],
            "期内发布(部)": i[(lv, kd)],
            "期内修订(部)": v[(lv, kd)],
        }
        for lv in vocab.PLAN_LEVELS
        for kd in vocab.PLAN_KINDS
        if n[(lv, kd)]
    ]
    rows.append({"层级": "合计", "类别": None, "现行(部)": sum(n.values()), "期内发布(部)": sum(i.values()),
                 "期内修订(部)": sum(v.values())})  # fmt: skip
    revised = sorted(
        (r["修订日期"], r["名称"])
        for r in plans
        if r["层级"] == "县" and r["修订日期"] is not None and START <= r["修订日期"] <= END
    )
    return pd.DataFrame(rows), [name for _, name in revised]


def _independent_teams() -> pd.DataFrame:
    teams = [r for r in sheet("救援队伍") if r["成立日期"] is None or r["成立日期"] <= END]
    rows = []
    for t in vocab.TEAM_TYPES:
        d = [r for r in teams if r["类型"] == t]
        if d:
            new = sum(r["成立日期"] is not None and r["成立日期"] >= START for r in d)
            rows.append(
                {
                    "类型": t,
                    "队伍(支)": len(d),
                    "队员(人)": sum(r["人数"] for r in d),
                    "期内新组建(支)": new,
                }
            )
    rows.append({"类型": "合计", "队伍(支)": len(teams), "队员(人)": sum(r["人数"] for r in teams),
                 "期内新组建(支)": sum(r["期内新组建(支)"] for r in rows)})  # fmt: skip
    return pd.DataFrame(rows)


def test_chapter_matches_expected_csvs():
    s = summary()
    check(s.teams, "rescue_teams.csv")
    check(s.plans.replace({"类别": {"": None}}), "rescue_plans.csv")
    check(s.drills, "rescue_drills.csv")
    check(pd.DataFrame({"名称": s.county_revised}), "rescue_county_revised.csv")


def test_expected_csvs_match_an_independent_count():
    check(_independent_teams(), "rescue_teams.csv")
    plans, names = _independent_plans()
    check(plans, "rescue_plans.csv")
    check(pd.DataFrame({"名称": names}), "rescue_county_revised.csv")
    check(_independent_drills(), "rescue_drills.csv")


def test_story_of_the_demo_readme():
    m = rescue.metrics(summary()).to_json()
    assert m["drills"]["double_blind"] == 1 and m["drills"]["by_year"]["2022年"]["双盲"] == 1
    for name in ("低温雨雪冰冻", "地震", "防汛抗旱", "生产安全事故"):
        assert any(name in n for n in m["plans"]["county_revised_names"])


if __name__ == "__main__":
    # Rebuilt from the independent count, never from the code under test.
    plans, names = _independent_plans()
    _independent_teams().to_csv(EXPECTED / "rescue_teams.csv", index=False)
    plans.to_csv(EXPECTED / "rescue_plans.csv", index=False)
    _independent_drills().to_csv(EXPECTED / "rescue_drills.csv", index=False)
    pd.DataFrame({"名称": names}).to_csv(EXPECTED / "rescue_county_revised.csv", index=False)
