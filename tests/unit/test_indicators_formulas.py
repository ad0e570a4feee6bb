"""Every indicator formula on a hand-made pack; expected values worked out by hand
(see ``indicator_packs.sample_pack``)."""

from __future__ import annotations

import pytest
from indicator_packs import annual, pack, sample_pack

from planeval.indicators.formulas import FORMULAS, SPECS, ledger_years
from planeval.vocab import FORMULA_NAMES

LEDGER = "生产安全事故台账"

# key -> values for 2021, 2022, 2023年上半年 (rates for the half year annualised)
EXPECTED = {
    "accident_count": [3, 2, 1],
    "accident_deaths": [5, 3, 1],  # 2021: 1 + (2 + 1 missing) + 1
    "major_accident_count_cum": [
        1,
        0,
        1,
    ],  # yearly counts; 3 dead incl. missing = 较大; 10 重伤 = 较大
    "severe_accident_count": [0, 0, 0],
    "deaths_per_100m_gdp": [5 / 250, 3 / 300, 1 / (300 * 0.5)],  # 2023 GDP missing → 2022's
    "fire_deaths_per_100k": [1 * 10 / 50, 0.0, None],  # no fire ledger; 年度汇总 has no half year
    "industrial_deaths_per_100k_workers": [4 * 10 / 20, 3 * 10 / 20, 1 * 10 / (20 * 0.5)],
    "road_deaths_per_10k_vehicles": [1 / 10, 0.0, 0.0],
    "disaster_deaths_per_million": [2 * 100 / 50, 0.0, 0.0],
    "disaster_affected_per_100k": [10000 * 10 / 50, 5000 * 10 / 50, 2000 * 10 / (50 * 0.5)],
    "disaster_loss_share_gdp": [
        5000 / (250 * 1e4) * 100,
        1000 / (300 * 1e4) * 100,
        600 / (300 * 1e4 * 0.5) * 100,
    ],
}


def test_every_registry_key_has_a_formula():
    assert set(FORMULAS) == set(FORMULA_NAMES) == set(SPECS)
    assert set(EXPECTED) == set(FORMULA_NAMES)


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_formula_midterm_values(key):
    vals = FORMULAS[key](sample_pack(), "midterm")
    assert [v.label for v in vals] == ["2021年", "2022年", "2023年上半年"]
    got = [v.value for v in vals]
    for g, e in zip(got, EXPECTED[key], strict=True):
        if e is None:
            assert g is None
        else:
            assert g == pytest.approx(e)


def test_sources_per_year():
    pk = sample_pack()
    acc = FORMULAS["accident_deaths"](pk, 2020)
    assert acc[0].source == "年度汇总" and acc[0].value == 8  # ledger starts 2021
    vals = FORMULAS["accident_deaths"](pk, "midterm")
    assert {v.source for v in vals} == {LEDGER}
    fire = FORMULAS["fire_deaths_per_100k"](pk, "midterm")
    assert [v.source for v in fire] == ["年度汇总", "年度汇总", "无数据"]
    dis = FORMULAS["disaster_deaths_per_million"](pk, 2021)
    assert dis[0].source == "自然灾害台账"


def test_denominator_fallback_is_recorded():
    v = FORMULAS["deaths_per_100m_gdp"](sample_pack(), "2023H1")[0]
    assert v.denominator == 300 and v.denominator_year == 2022
    assert v.partial and v.fraction == 0.5


def test_statistical_break_is_recorded():
    fire = FORMULAS["fire_deaths_per_100k"](sample_pack(), "2021-01-01..2022-12-31")
    assert "口径扩大" in fire[0].break_note
    assert fire[1].break_note is None


def test_ledger_years_and_counts_outside_period():
    pk = sample_pack()
    assert ledger_years(pk, "accidents") == (2021, 2023)
    # the 2023-08-01 accident is in 2023 but not in the mid-term period
    assert FORMULAS["accident_count"](pk, 2023)[0].value == 2


def test_missing_ledger_and_annual_gives_none():
    pk = pack(annual=annual([(2021, "地区生产总值(亿元)", 100)]))
    v = FORMULAS["deaths_per_100m_gdp"](pk, 2021)[0]
    assert v.value is None and v.source == "无数据"


def test_rate_without_denominator_is_none():
    pk = pack(annual=annual([(2021, "生产安全事故死亡人数", 3)]))
    v = FORMULAS["deaths_per_100m_gdp"](pk, 2021)[0]
    assert v.numerator == 3 and v.value is None
