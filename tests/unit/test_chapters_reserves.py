"""Hand-worked tests of chapters.reserves (4. 提高综合保障能力)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planeval.chapters import reserves as S
from planeval.data.pack import DataPack
from planeval.periods import Period

MID = Period.parse("midterm")
RES = pd.DataFrame(
    [
        # item, category, level, depot, quantity, target, unit
        ("帐篷", "生活类", "县", "县救灾物资库", 500.0, 400.0, "顶"),  # 125 % → capped at 100 %
        ("棉被", "生活类", "县", "县救灾物资库", 600.0, 800.0, "床"),  # 75 %, short 200
        ("棉被", "生活类", "乡镇", "甲镇储备点", 100.0, 100.0, "床"),  # exactly on target: met
        ("救生衣", "抢险类", "乡镇", "甲镇储备点", 30.0, 60.0, "件"),  # 50 %, short 30
        ("救生衣", "抢险类", "村", "A村储备点", 0.0, 10.0, "件"),  # 0 %, short 10
        ("沙袋", "抢险类", "村", "A村储备点", 200.0, 0.0, "条"),  # no target: left out of rates
    ],
    columns=["item", "category", "level", "depot", "quantity", "target", "unit"],
)


def pack(res=RES) -> DataPack:
    frames = {"annual": pd.DataFrame(columns=["year", "measure", "value"])}
    if res is not None:
        frames["reserves"] = res
    return DataPack(root=Path("."), frames=frames)


def test_line_coverage_met_and_shortfall():
    d = S.lines(RES)
    assert list(d["met"]) == [True, False, True, False, False, False]
    assert d["coverage"].iloc[0] == pytest.approx(1.25)
    assert math.isnan(d["coverage"].iloc[5])
    assert list(d["shortfall"]) == [0.0, 200.0, 0.0, 30.0, 10.0, 0.0]
    assert "met" not in RES  # input not mutated


def test_coverage_by_category_and_level():
    c = S.coverage_table(RES).set_index(["类别", "层级"])
    # 生活类/县: met 1 of 2; capped mean (1.0 + 0.75) / 2
    r = c.loc[("生活类", "县")]
    assert (r["有目标行数"], r["达标行数"]) == (2, 1)
    assert r["达标率"] == pytest.approx(0.5) and r["平均保障率"] == pytest.approx(0.875)
    # 抢险类/村: the 沙袋 line has no target → 1 line with a target, coverage 0
    r = c.loc[("抢险类", "村")]
    assert (r["储备行数"], r["有目标行数"], r["达标行数"]) == (2, 1, 0)
    assert r["平均保障率"] == pytest.approx(0.0)
    tot = c.loc[("合计", "")]
    assert (tot["储备行数"], tot["有目标行数"], tot["达标行数"]) == (6, 5, 2)
    assert tot["达标率"] == pytest.approx(0.4)
    assert tot["平均保障率"] == pytest.approx((1 + 0.75 + 1 + 0.5 + 0) / 5)


def test_depots_counted_per_level():
    lv = S.by_level(RES).set_index("层级")
    assert list(lv.index) == ["县", "乡镇", "村", "合计"]
    assert lv.loc["合计", "储备点(个)"] == 3
    assert lv.loc["乡镇", "达标行数"] == 1


def test_below_target_listed_by_level_then_coverage():
    b = S.below_target(RES)
    assert list(b["物资"]) == ["棉被", "救生衣", "救生衣"]
    assert list(b["层级"]) == ["县", "乡镇", "村"]
    assert list(b["缺口"]) == [200.0, 30.0, 10.0]
    assert list(b["储备点"]) == ["县救灾物资库", "甲镇储备点", "A村储备点"]


def test_metrics_shape_and_narrative():
    s = S.summarise(pack(), MID)
    m = S.metrics(s).to_json()
    assert m["depots"] == 3 and m["depots_by_level"] == {"县": 1, "乡镇": 1, "村": 1}
    assert (
        m["lines_met"] == 2 and m["lines_with_target"] == 5 and m["met_share"] == pytest.approx(0.4)
    )
    assert m["by_category"]["抢险类"] == {
        "lines": 3,
        "lines_with_target": 2,
        "met": 0,
        "met_share": 0.0,
        "coverage_mean": pytest.approx(0.25),
    }
    assert [r["shortfall"] for r in m["below_target"]] == [200.0, 30.0, 10.0]
    text = str(S.narrative(s, "示例县")) + str(S.method_note(s))
    assert "达标率40.0%" in text and "2 ÷ 5 = 40.0%" in text
    assert "县救灾物资库棉被（现有600床、目标800床，缺口200床）" in text
    for bad in ("nan", "None", "{{"):
        assert bad not in text
    assert S.coverage_chart(s) is not None


def test_all_met_and_no_targets():
    ok = RES.assign(quantity=RES["target"])
    s = S.summarise(pack(ok), MID)
    assert S.metrics(s).to_json()["below_target"] == []
    assert "各项储备物资均达到储备目标" in str(S.narrative(s, "示例县"))
    none = RES.assign(target=0.0)
    s = S.summarise(pack(none), MID)
    m = S.metrics(s).to_json()
    assert m["lines_with_target"] == 0 and m["met_share"] is None
    assert S.coverage_chart(s) is None
    assert "nan" not in str(S.narrative(s, "示例县"))


def test_missing_ledger():
    s = S.summarise(pack(None), MID)
    assert S.metrics(s).to_json() == {"available": False, "period": "2021年至2023年上半年"}
    assert S.coverage_chart(s) is None
    assert S.below_target(None).empty


def test_notice():
    assert (
        S.notice(S.summarise(pack(None), MID))
        == "本数据包无“物资储备”台账，应急物资储备情况不作统计。"
    )
    assert S.notice(S.summarise(pack(), MID)) is None
