"""The one ledger-coverage rule (``indicators.formulas.covered``) and its use in every chapter.

Rule: an event ledger present in the pack covers every year from its first row's year through
the evaluation period end (an absent row is a zero); years before its first row come from
年度汇总 (or have no data for part of a year) and are never compared with 同比.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

import planeval
from planeval.chapters import disasters, rescue, society
from planeval.data.pack import DataPack
from planeval.indicators import progress
from planeval.indicators.accidents import accident_years, period_accidents
from planeval.indicators.formulas import covered, frame_covers, ledger_covers, yearly_values
from planeval.paths import DEMO_DATA_DIR
from planeval.periods import Period

T = pd.Timestamp
MID = Period.parse("midterm")
CUT = T("2023-01-01")


def test_rule_examples():
    assert covered(2021, 2021) and covered(2021, 2023) and not covered(2022, 2021)
    assert not covered(None, 2023)
    df = pd.DataFrame({"date": [T("2022-09-01"), pd.NaT]})
    assert frame_covers(df, "date", 2022) and frame_covers(df, "date", 2025)
    assert not frame_covers(df, "date", 2021)
    assert not frame_covers(None, "date", 2022) and not frame_covers(df.iloc[:0], "date", 2022)


@pytest.fixture(scope="module")
def quiet_2023() -> DataPack:
    """The demo pack as a bureau would hold it at the mid-term with a quiet first half of 2023:
    every accident and disaster row dated 2023-01-01 or later removed (the demo ledgers run to
    2025, so removing only 2023 would leave later rows). A copy: the memoised pack is untouched."""
    demo = planeval.load_pack(DEMO_DATA_DIR)
    frames = dict(demo.frames)
    frames["accidents"] = demo.accidents[demo.accidents["date"] < CUT].copy()
    frames["disasters"] = demo.disasters[demo.disasters["start"] < CUT].copy()
    return dataclasses.replace(demo, frames=frames)


def test_quiet_last_half_year_is_zero_not_no_data(quiet_2023):
    pk = quiet_2023
    assert ledger_covers(pk, "accidents", 2023) and ledger_covers(pk, "disasters", 2023)
    h1 = accident_years(pk, MID)[-1]
    assert h1.label == "2023年上半年" and h1.source == "生产安全事故台账"
    assert h1.count.value == 0 and h1.deaths.value == 0 and h1.major_count == 0
    # 同比 with 2022年上半年 (2 accidents, 2 deaths in the demo ledger): both fell to 0
    assert h1.count_cmp.comparable and h1.count_cmp.previous.value == 2
    assert h1.count_cmp.change == pytest.approx(-1.0)
    assert period_accidents(pk, MID) is not None  # the ledger covers the whole period
    d = disasters.summarise(pk, MID).years.set_index("label")
    assert d.loc["2023年上半年", "source"] == "台账"
    assert d.loc["2023年上半年", ["events", "affected", "deaths_missing", "loss"]].tolist() == [
        0,
        0,
        0,
        0.0,
    ]


def test_verdicts_computed_from_the_zeros(quiet_2023):
    """Hand-worked from the demo ledger (生产安全事故: 2020 5 accidents, 6 dead incl. missing;
    2022-07..12 2 accidents, 4 dead; 2023H1 none after the cut; 年度汇总 GDP 2020 356.3,
    2022 390.1, 2023 409.2 亿元).

    - 生产安全事故起数, 下降10%: base 5 → target 4.5, i.e. ≤4; 近12个月 (2022-07..2023-06) =
      2 + 0 = 2; 完成进度 (5 − 2) / (5 − 4) = 3 ≥ 100% → 超额完成.
    - 生产安全事故死亡人数, 下降15%: base 6 → target 5.1, i.e. ≤5; 近12个月 = 4 + 0 = 4;
      完成进度 (6 − 4) / (6 − 5) = 2 → 超额完成. (Before the fix 2023H1 was 无数据, the level fell
      back to 2022's 6 deaths: 完成进度 0 → 滞后.)
    - 亿元GDP死亡率, 下降33%: base 6 / 356.3 = 0.016840 → target × 0.67 = 0.011283;
      近12个月 = 4 / (390.1 × 0.5 + 409.2 × 0.5) = 4 / 399.65 = 0.010009;
      完成进度 (0.016840 − 0.010009) / (0.016840 − 0.011283) = 1.229 → 超额完成 (before: 2022's
      6 / 390.1 = 0.015381, 完成进度 0.263 < 0.8 × 50% → 滞后).

    These are the figures of the 近12个月 basis, which the report uses only when asked for; by
    default the 现状值 is calendar 2022 and the zeros of 2023H1 show 同比 beside it (2023H1 0
    accidents against 2022H1's 2, 下降100%).
    """
    default = {p.key: p for p in progress.assess_all(quiet_2023, MID)}
    c = default["accident_count"]
    assert c.level.basis == "2022年" and c.current == 4
    assert c.level.partial.current.value == 0 and c.level.partial.previous.value == 2
    assert c.level.partial.change == pytest.approx(-1.0)
    res = {p.key: p for p in progress.assess_all(quiet_2023, MID, basis="rolling12")}
    c = res["accident_count"]
    assert c.base_value == 5 and c.current == 2 and c.completion == pytest.approx(3.0)  # ≤4
    assert c.verdict == "超额完成"
    d = res["accident_deaths"]
    assert d.base_value == 6 and d.current == 4
    assert d.target_level == 5  # 5.1 → ≤5
    assert d.completion == pytest.approx(2 / 1)
    assert d.verdict == "超额完成"
    g = res["deaths_per_100m_gdp"]
    assert g.current == pytest.approx(4 / 399.65)
    base, target = 6 / 356.3, 6 / 356.3 * 0.67
    assert g.completion == pytest.approx((base - 4 / 399.65) / (base - target))
    assert g.verdict == "超额完成"


def test_disaster_rates_from_the_zeros(quiet_2023):
    """自然灾害 (demo): 2021 3 dead/missing, 受灾 82 120, 损失 17 030 万元; 2022 0, 32 000,
    4 230 万元; 2023H1 zeros. 常住人口 2021 50.1, 2022 50.0; GDP 2021 375.4, 2022 390.1.

    - 死亡率: (3 / 50.1 × 100 + 0 + 0 × 0.5) / 2.5 = 5.98802 / 2.5 = 2.39521 > 1 × 1.1, and the
      years left would need (1 × 5 − 2.39521 × 2.5) / 2.5 < 0 → 难以完成 (未达标).
    - 受灾: (82 120 / 50.1 × 10 + 32 000 / 50 × 10 + 0) / 2.5 = (16 391.22 + 6 400) / 2.5
      = 9 116.49 ≤ 15 000 but > 7 500 → 达到预期.
    - 损失: (17 030 / 3 754 000 + 4 230 / 3 901 000) × 100 / 2.5 = (0.453649 + 0.108434) / 2.5
      = 0.224833 ≤ 0.5 → 超额完成.
    """
    s = disasters.summarise(quiet_2023, MID)
    r = s.rates
    dm = r["disaster_deaths_per_million"]
    assert dm["average"] == pytest.approx(3 / 50.1 * 100 / 2.5)
    assert dm["verdict"] == "难以完成" and dm["above_target"] is True
    af = r["disaster_affected_per_100k"]
    assert af["average"] == pytest.approx((82120 / 50.1 * 10 + 32000 / 50.0 * 10) / 2.5)
    assert af["verdict"] == "达到预期" and af["above_target"] is False
    ls = r["disaster_loss_share_gdp"]
    assert ls["average"] == pytest.approx((17030 / 3754000 + 4230 / 3901000) * 100 / 2.5)
    assert ls["verdict"] == "超额完成" and ls["above_target"] is False
    # the indicator chapter judges the same rows the same way
    res = {p.key: p for p in progress.assess_all(quiet_2023, MID)}
    for key, rr in r.items():
        assert rr["average"] == pytest.approx(res[key].current)
        assert rr["verdict"] == res[key].verdict
    # 同比: 2023H1 zeros against 2022H1 (2 processes, 受灾 11 000, 损失 1 130 万元)
    assert s.yoy["current"] == {"events": 0, "affected": 0, "deaths_missing": 0, "loss": 0.0}
    assert s.yoy["previous"] == {
        "events": 2,
        "affected": 11000,
        "deaths_missing": 0,
        "loss": 1130.0,
    }
    assert "无自然灾害台账和年度汇总数据" not in str(disasters.narrative(s, "示例县"))
    assert "未发生灾害（0）" in str(disasters.method_note(s))


# ------------------------------------------------------------------ 同比 before the first row
def _pack(**frames) -> DataPack:
    frames.setdefault("annual", pd.DataFrame(columns=["year", "measure", "value"]))
    return DataPack(root=Path("."), frames=frames)


def _dis(rows):
    cols = ["name", "hazard", "start", "affected", "deaths", "missing", "relocated",
            "collapsed_rooms", "crop_area", "loss"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def test_disaster_yoy_needs_the_previous_year_covered():
    # first row in 2023: 2022年上半年 was never recorded → no 同比 (not "由0增至")
    late = _dis([("a", "风雹", T("2023-05-01"), 300, 0, 0, 0, 0, 0.0, 50.0)])
    assert disasters.summarise(_pack(disasters=late), MID).yoy is None
    # first row in 2022-09: the ledger covers 2022, so the quiet 2022年上半年 is a real zero
    early = _dis(
        [
            ("b", "干旱", T("2022-09-01"), 100, 0, 0, 0, 0, 0.0, 10.0),
            ("a", "风雹", T("2023-05-01"), 300, 0, 0, 0, 0, 0.0, 50.0),
        ]
    )
    y = disasters.summarise(_pack(disasters=early), MID).yoy
    assert y["previous"] == {"events": 0, "affected": 0, "deaths_missing": 0, "loss": 0.0}
    assert y["current"]["affected"] == 300
    # and a year before the first row gives no rate either (no 年度汇总 totals here)
    vals = yearly_values(_pack(disasters=early), "disaster_affected_per_100k", MID)
    assert [v.source for v in vals] == ["无数据", "自然灾害台账", "自然灾害台账"]


def test_society_yoy_needs_the_previous_year_covered():
    late = pd.DataFrame(
        {"date": [T("2023-03-01")], "type": ["培训"], "persons": [40], "name": ["x"]}
    )
    assert society.yoy(late, MID) is None
    early = pd.concat(
        [
            late,
            pd.DataFrame(
                {"date": [T("2022-10-01")], "type": ["宣传"], "persons": [5], "name": ["y"]}
            ),
        ]  # fmt: skip
    )
    y = society.yoy(early, MID)
    assert y["previous"]["培训"] == {"activities": 0, "persons": 0}
    assert y["current"]["培训"] == {"activities": 1, "persons": 40}


def test_rescue_drills_yoy_needs_the_previous_year_covered():
    late = pd.DataFrame(
        {"date": [T("2023-04-01")], "form": ["实战"], "participants": [30], "name": ["x"]}
    )
    assert rescue.drills_yoy(late, MID) is None
    early = pd.concat(
        [
            late,
            pd.DataFrame(
                {
                    "date": [T("2022-11-01")],
                    "form": ["桌面推演"],
                    "participants": [10],
                    "name": ["y"],
                }
            ),
        ]  # fmt: skip
    )
    y = rescue.drills_yoy(early, MID)
    assert y["previous"] == {"drills": 0, "live": 0, "participants": 0}
    assert y["current"] == {"drills": 1, "live": 1, "participants": 30}
