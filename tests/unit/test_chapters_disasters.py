"""Hand-worked tests of chapters.disasters (2. 推进自然灾害综合治理)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planeval.chapters import disasters as D
from planeval.charts.files import chart_title
from planeval.data.pack import DataPack
from planeval.periods import Period

T = pd.Timestamp
MID = Period.parse("midterm")


def _dis(rows):
    cols = [
        "name",
        "hazard",
        "start",
        "affected",
        "deaths",
        "missing",
        "relocated",
        "collapsed_rooms",
        "crop_area",
        "loss",
    ]
    return pd.DataFrame(rows, columns=cols)


def _annual(rows):
    return pd.DataFrame(rows, columns=["year", "measure", "value"])


DEMOGRAPHY = [
    (2021, "常住人口(万人)", 50.0),
    (2021, "地区生产总值(亿元)", 200.0),
    (2022, "常住人口(万人)", 50.0),
    (2022, "地区生产总值(亿元)", 250.0),
]

EVENTS = _dis(
    [
        # 2021: one flood, 1 dead + 1 missing
        ("a", "暴雨洪涝", T("2021-07-01"), 1000, 1, 1, 100, 3, 10.0, 500.0),
        # 2022: a flood in H1 and a drought in H2
        ("b", "暴雨洪涝", T("2022-06-01"), 2000, 0, 0, 50, 0, 5.0, 1000.0),
        ("c", "干旱", T("2022-08-01"), 500, 0, 0, 0, 0, 100.0, 200.0),
        # 2023H1: hail on the last day of the period; one after it (excluded)
        ("d", "风雹", T("2023-06-30"), 300, 0, 0, 0, 1, 2.0, 50.0),
        ("e", "台风", T("2023-07-01"), 9999, 9, 0, 0, 0, 0.0, 9999.0),
    ]
)


def pack(dis=EVENTS, annual=DEMOGRAPHY, indicators=None) -> DataPack:
    frames = {"annual": _annual(annual)}
    if dis is not None:
        frames["disasters"] = dis
    if indicators is not None:
        frames["indicators"] = indicators
    return DataPack(root=Path("."), frames=frames)


def test_yearly_figures_and_rates_by_hand():
    y = D.yearly(pack(), MID).set_index("year")
    assert list(y["label"]) == ["2021年", "2022年", "2023年上半年"]
    assert list(y["partial"]) == [False, False, True]
    assert list(y["events"]) == [1, 2, 1]  # 2023-07-01 typhoon is outside the period
    assert list(y["affected"]) == [1000, 2500, 300]
    assert list(y["deaths_missing"]) == [2, 0, 0]
    assert list(y["loss"]) == [500.0, 1200.0, 50.0]
    # 2 / (50万 × 10 000) × 1e6 = 4.0 per million
    assert y.loc[2021, "deaths_per_million"] == pytest.approx(4.0)
    # 2500 / 500 000 × 100 000 = 500
    assert y.loc[2022, "affected_per_100k"] == pytest.approx(500.0)
    # 1200万 / (250亿 × 10 000) = 0.00048 → 0.048 %
    assert y.loc[2022, "loss_share_gdp_pct"] == pytest.approx(0.048)
    # 2023 has no 年度汇总 denominators: the 2022 ones are used and recorded; the half year
    # is annualised: 50万 / (250亿 × 10 000 × 0.5) = 0.00004 → 0.004 %
    assert y.loc[2023, "population_year"] == 2022 and y.loc[2023, "gdp_year"] == 2022
    assert y.loc[2023, "loss_share_gdp_pct"] == pytest.approx(0.004)
    # 300 / (500 000 × 0.5) × 100 000 = 120
    assert y.loc[2023, "affected_per_100k"] == pytest.approx(120.0)


def test_running_average_is_time_weighted_and_national_targets():
    r = D.rate_summary(pack(), MID)
    d = r["disaster_deaths_per_million"]
    assert d["yearly"] == {"2021年": pytest.approx(4.0), "2022年": 0.0, "2023年上半年": 0.0}
    assert d["partial"] == ["2023年上半年"]
    # weights 1, 1, 0.5: (4 + 0) / 2 = 2.0 after 2022; (4 + 0 + 0 × 0.5) / 2.5 = 1.6 at mid-term
    assert d["running_average"] == {
        "2021年": pytest.approx(4.0),
        "2022年": pytest.approx(2.0),
        "2023年上半年": pytest.approx(1.6),
    }
    assert d["average"] == pytest.approx(1.6)
    assert d["average_span"] == "2021年至2023年上半年"
    assert d["target"] == 1.0 and d["target_source"] == "national" and d["strict"]
    assert d["above_target"] is True and d["years_above_target"] == ["2021年"]
    a = r["disaster_affected_per_100k"]
    # (200 + 500 + 120 × 0.5) / 2.5 = 304
    assert a["average"] == pytest.approx(304.0) and a["above_target"] is False
    g = r["disaster_loss_share_gdp"]
    # (0.025 + 0.048 + 0.004 × 0.5) / 2.5 = 0.03
    assert g["average"] == pytest.approx(0.03) and g["above_target"] is False


def test_average_agrees_with_the_indicator_chapter():
    from planeval.indicators.series import average_level

    r = D.rate_summary(pack(), MID)
    for key in D.RATES:
        assert r[key]["average"] == pytest.approx(average_level(pack(), key, MID).value)


def test_target_from_indicator_sheet_is_inclusive():
    ind = pd.DataFrame(
        [
            (
                "D1",
                "年均每百万人口因自然灾害死亡率",
                "人/百万人",
                "年均每百万人口因自然灾害死亡率",
                "max_value",
                2.0,
                "预期性",
            )
        ],
        columns=["code", "name", "unit", "formula", "target_type", "target_value", "attribute"],
    )
    d = D.rate_summary(pack(indicators=ind), MID)["disaster_deaths_per_million"]
    assert d["target"] == 2.0 and d["target_source"] == "indicator" and not d["strict"]
    # average 1.6 against "≤ 2": met; 2021 (4.0) above it
    assert d["above_target"] is False
    assert d["years_above_target"] == ["2021年"]
    # exactly on an inclusive target is met: a year of 2.0 against "≤ 2"
    dis = _dis([("a", "地震", T("2022-03-01"), 10, 1, 0, 0, 0, 0.0, 1.0)])
    ann = [(2022, "常住人口(万人)", 50.0), (2022, "地区生产总值(亿元)", 100.0)]
    d = D.rate_summary(pack(dis, ann, ind), Period.parse("2022"))["disaster_deaths_per_million"]
    # 2021 has no data (before the ledger, no totals) and is left out of the average
    assert d["yearly"]["2022年"] == pytest.approx(2.0) and math.isnan(d["yearly"]["2021年"])
    assert d["average"] == pytest.approx(2.0) and d["above_target"] is False


def test_national_target_is_strict_at_the_boundary():
    # one whole year with exactly 1 death per million: "< 1" is not met
    dis = _dis([("a", "地震", T("2021-03-01"), 10, 1, 0, 0, 0, 0.0, 1.0)])
    ann = [(2021, "常住人口(万人)", 100.0), (2021, "地区生产总值(亿元)", 100.0)]
    d = D.rate_summary(pack(dis, ann), Period.parse("2021"))["disaster_deaths_per_million"]
    assert d["yearly"] == {"2021年": pytest.approx(1.0)}
    assert d["average"] == pytest.approx(1.0)
    assert d["above_target"] is True


def test_year_without_ledger_rows_falls_back_to_annual_totals():
    ann = [
        *DEMOGRAPHY,
        (2021, "自然灾害受灾人次", 4000.0),
        (2021, "自然灾害死亡失踪人数", 3.0),
        (2021, "自然灾害直接经济损失(万元)", 800.0),
    ]
    dis = EVENTS[EVENTS["start"] >= T("2022-01-01")]
    s = D.summarise(pack(dis, ann), MID)
    y = s.years.set_index("year")
    assert y.loc[2021, "source"] == "年度汇总"
    assert y.loc[2021, "affected"] == 4000 and y.loc[2021, "deaths_missing"] == 3
    assert math.isnan(y.loc[2021, "events"]) and math.isnan(y.loc[2021, "relocated"])
    assert y.loc[2022, "source"] == "台账"
    assert s.annual_years == ["2021年"]
    # totals of a figure unknown in one year are unknown, not a partial sum
    assert math.isnan(s.totals["events"])
    assert s.totals["affected"] == 4000 + 2500 + 300
    assert y.loc[2021, "deaths_per_million"] == pytest.approx(6.0)
    assert "年度汇总" in str(D.method_note(s))


def test_no_ledger_at_all_uses_annual_and_partial_year_has_no_data():
    ann = [*DEMOGRAPHY, (2021, "自然灾害受灾人次", 100.0), (2022, "自然灾害受灾人次", 200.0)]
    s = D.summarise(pack(None, ann), MID)
    assert not s.has_ledger and s.has_data
    assert list(s.years["source"]) == ["年度汇总", "年度汇总", "无数据"]
    assert s.missing_years == ["2023年上半年"]
    assert s.yoy is None
    assert s.hazards.empty
    # absent annual measures are NaN, not 0
    assert math.isnan(s.years.loc[0, "loss"])
    assert "无自然灾害台账和年度汇总数据" in str(D.narrative(s, "示例县"))


def test_quiet_year_inside_the_ledger_span_is_zero_not_missing():
    # ledger rows in 2021 and 2023 only: 2022 lies inside its span, so 2022 had no disaster
    dis = EVENTS[EVENTS["start"].dt.year != 2022]
    y = D.yearly(pack(dis), MID).set_index("year")
    assert (
        y.loc[2022, "source"] == "台账" and y.loc[2022, "events"] == 0 and y.loc[2022, "loss"] == 0
    )
    assert y.loc[2022, "deaths_per_million"] == 0.0
    # a year before the ledger starts, without 年度汇总 totals, has no data
    later = EVENTS[EVENTS["start"].dt.year >= 2022]
    assert D.yearly(pack(later), MID).loc[0, "source"] == "无数据"


def test_empty_pack_has_no_data_and_chart_is_none():
    s = D.summarise(pack(None, []), MID)
    assert not s.has_data
    assert D.rates_chart(s) is None
    m = D.metrics(s).to_json()
    assert m["available"] is False and m["has_data"] is False
    assert all(r["average"] is None for r in m["rates"].values())


def test_by_hazard_counts_per_year_slice():
    h = D.by_hazard(pack(), MID).set_index("灾种")
    assert list(h.index) == ["暴雨洪涝", "干旱", "风雹", "合计"]  # vocabulary order
    assert h.loc["暴雨洪涝", "2021年"] == 1 and h.loc["暴雨洪涝", "2022年"] == 1
    assert h.loc["风雹", "2023年上半年"] == 1
    assert h.loc["合计", "合计(次)"] == 4 and h.loc["合计", "直接经济损失(万元)"] == 1750.0


def test_partial_year_compared_with_same_period_a_year_earlier():
    s = D.summarise(pack(), MID)
    assert s.yoy["label"] == "2023年上半年" and s.yoy["previous_label"] == "2022年上半年"
    assert s.yoy["current"] == {"events": 1, "affected": 300, "deaths_missing": 0, "loss": 50.0}
    assert s.yoy["previous"] == {"events": 1, "affected": 2000, "deaths_missing": 0, "loss": 1000.0}
    text = str(D.narrative(s, "示例县"))
    assert "受灾人次下降85.0%" in text and "直接经济损失下降95.0%" in text


def test_tables_metrics_and_text_are_complete():
    s = D.summarise(pack(), MID)
    t = D.year_table(s)
    assert list(t["年度"]) == ["2021年", "2022年", "2023年上半年", "合计"]
    assert t.iloc[-1]["受灾人次"] == "3,800" and t.iloc[-1]["直接经济损失(万元)"] == "1,750.00"
    assert t.iloc[-1]["每百万人口死亡失踪"] == "—"  # no rate for a multi-year total
    m = D.metrics(s).to_json()
    assert m["above_target"] == ["disaster_deaths_per_million"]
    assert m["totals"]["loss"] == 1750.0
    text = str(D.narrative(s, "示例县")) + str(D.method_note(s))
    for bad in ("nan", "None", "{{", "X"):
        assert bad not in text
    assert "2021年至2023年上半年年均1.60人/百万人，未达到国家规划目标（<1）" in text
    assert "其中2021年当年值达到或超过目标" in text
    fig = D.rates_chart(s)
    # the title the report takes into its caption: the years drawn, first to last
    assert chart_title(fig) == "2021年至2023年上半年自然灾害防治指标年度值与累计年均值"
    # 每十万人受灾人次's axis reaches thousands (its target line, ≤15,000; the values are 120–500):
    # it separates them as the bar labels do; the panels that stay below 1000 keep matplotlib's
    formatters = [ax.yaxis.get_major_formatter() for ax in fig.axes]
    assert formatters[1](15000, 0) == "15,000"
    assert formatters[0](15000, 0) != "15,000"


def test_notices():
    assert D.notices(D.summarise(pack(), MID)) == []
    assert "不作统计" in D.notices(D.summarise(pack(None, []), MID))[0]
    ann = [*DEMOGRAPHY, (2021, "自然灾害受灾人次", 100.0)]
    n = D.notices(D.summarise(pack(None, ann), MID))
    assert n[0].startswith("本数据包无“自然灾害”台账，灾情数字采用年度汇总数据")
    assert n[1] == "2022年、2023年上半年无自然灾害台账和年度汇总数据，不作统计。"


def test_rates_print_with_the_indicator_tables_precision():
    """The 年均 figures read as in 一(一): 2 decimals per million and % of GDP, integers per
    100 000. By hand: 受灾 per 100 000 = 1000/5 = 200 (2021), 2500/5 = 500 (2022), 300/2.5 = 120
    (2023H1) → 年均 (200 + 500 + 0.5 × 120) / 2.5 = 304; loss % of GDP 0.025, 0.048, 0.004 (2022
    GDP) → 年均 0.075 / 2.5 = 0.03; deaths per million 4, 0, 0 → 1.60."""
    from planeval.indicators.formulas import SPECS

    assert D.RATE_DIGITS == {
        "disaster_deaths_per_million": 2,
        "disaster_affected_per_100k": 0,
        "disaster_loss_share_gdp": 2,
    }
    assert all(D.RATE_DIGITS[k] == SPECS[k].digits for k in D.RATES)
    s = D.summarise(pack(), MID)
    avg = D.rate_table(s).set_index("指标")["年均值"].tolist()
    assert avg == ["1.60", "304", "0.03"]
    y = D.year_table(s).set_index("年度")
    assert y.loc["2022年", "每十万人受灾人次"] == "500"
    assert y.loc["2022年", "占GDP比例(%)"] == "0.05"  # 0.048
    assert y.loc["2021年", "每百万人口死亡失踪"] == "4.00"
    text = str(D.narrative(s, "示例县"))
    assert "年均304人次/十万人" in text and "年均0.03%" in text
    assert "占地区生产总值的0.05%" in text  # 2022 paragraph
    method = str(D.method_note(s))
    assert "每十万人500人次" in method and "= 0.05%" in method


def _ind_row(target_type, target_value, base_value=None, base_year=2020):
    return pd.DataFrame(
        [
            (
                "D1",
                "年均每百万人口因自然灾害死亡率",
                "人/百万人",
                "年均每百万人口因自然灾害死亡率",
                target_type,
                target_value,
                base_year,
                base_value,
                "预期性",
            )
        ],
        columns=[
            "code",
            "name",
            "unit",
            "formula",
            "target_type",
            "target_value",
            "base_year",
            "base_value",
            "attribute",
        ],  # fmt: skip
    )


def test_decline_target_is_a_level_not_the_percentage():
    # "下降15%" from a base of 5.0 per million: the 2025 level is 5.0 × 0.85 = 4.25 (not "≤15").
    # 年均 1.6 (see above) → 完成进度 (5 − 1.6) / (5 − 4.25) = 4.53 ≥ 100% → 超额完成 (达标).
    from planeval.indicators.progress import assess

    ind = _ind_row("decline_pct", 15.0, base_value=5.0)
    d = D.rate_summary(pack(indicators=ind), MID)["disaster_deaths_per_million"]
    assert d["target"] == pytest.approx(4.25) and d["target_type"] == "decline_pct"
    assert d["verdict"] == "超额完成" and d["above_target"] is False
    prog = assess(pack(indicators=ind), ind.iloc[0].to_dict(), MID)
    assert prog.completion == pytest.approx((5 - 1.6) / 0.75)
    assert d["target"] == prog.target_level and d["verdict"] == prog.verdict
    s = D.summarise(pack(indicators=ind), MID)
    row = D.rate_table(s).set_index("指标").loc["年均每百万人口因自然灾害死亡率"]
    assert row["目标"] == "≤4.25（2025年）" and row["评价"] == "超额完成"
    text = str(D.narrative(s, "示例县"))
    assert "规划目标为2025年较2020年下降15%（降至4.25人/百万人），评价为“超额完成”" in text
    assert D.rates_chart(s) is not None


def test_decline_target_missed_follows_the_indicator_verdict():
    # base 1.0, 下降15% → level 0.85; 年均 1.6 is worse than the base: 完成进度
    # (1 − 1.6) / (1 − 0.85) = −4 < 0; the −22.3 %/yr needed is within the −100 % of 2021→2022
    # (4.0 → 0) → 滞后 (not 难以完成) → 未达标 (above_target), as in 一(一)
    ind = _ind_row("decline_pct", 15.0, base_value=1.0)
    d = D.rate_summary(pack(indicators=ind), MID)["disaster_deaths_per_million"]
    assert d["target"] == pytest.approx(0.85)
    assert d["verdict"] == "滞后" and d["above_target"] is True
    assert d["years_above_target"] == []  # a yearly value is not judged against a 2025 level


def test_max_value_near_the_limit_is_basically_met_like_the_indicator_chapter():
    # "≤ 1.5": 年均 1.6 is above it by 6.7% ≤ 10% → 基本符合 in 一(一); here the same word and
    # not counted as 未达标; 2021 (4.0) is a year above the limit
    ind = _ind_row("max_value", 1.5)
    s = D.summarise(pack(indicators=ind), MID)
    d = s.rates["disaster_deaths_per_million"]
    assert d["target"] == 1.5 and d["verdict"] == "基本符合" and d["above_target"] is False
    assert d["years_above_target"] == ["2021年"]
    assert D.metrics(s).to_json()["above_target"] == []
    assert "评价为“基本符合”" in str(D.narrative(s, "示例县"))
