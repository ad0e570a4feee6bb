"""Progress and verdicts: every branch of the written rule, hand-worked on ``sample_pack``."""

from __future__ import annotations

import math

import pytest
from indicator_packs import sample_pack

from planeval.indicators.progress import (
    NOT_ASSESSED,
    THRESHOLDS,
    annual_change_needed,
    assess,
    verdict_count,
    verdict_decline,
    verdict_threshold,
)
from planeval.periods import Period

MID = Period.parse("midterm")


def row(formula, target_type, target_value, base_value=float("nan"), **kw):
    return {
        "code": "1",
        "name": "指标",
        "unit": None,
        "formula": formula,
        "base_year": 2020,
        "base_value": base_value,
        "target_type": target_type,
        "target_value": target_value,
        "attribute": "约束性",
        **kw,
    }


# ------------------------------------------------------------------ the rule itself
@pytest.mark.parametrize(
    "completion, verdict",
    [
        (1.001, "超额完成"),
        (1.0, "达到预期"),  # exactly the 2025 target: met, not beaten
        (0.99, "达到预期"),
        (0.5, "达到预期"),
        (0.4, "基本符合"),
        (0.399, "滞后"),
        (0.0, "滞后"),
        (-0.01, "滞后"),  # worse than base, but nothing shows the target out of reach
        (-5.0, "滞后"),
    ],
)
def test_verdict_decline_boundaries(completion, verdict):
    assert verdict_decline(completion, 0.5) == verdict


@pytest.mark.parametrize(
    "avg, limit, needed, verdict",
    [
        (0.5, 1.0, None, "超额完成"),
        (0.51, 1.0, None, "达到预期"),
        (1.0, 1.0, None, "达到预期"),
        (1.1, 1.0, None, "基本符合"),
        (1.2, 1.0, 0.1, "滞后"),
        (1.2, 1.0, -0.1, "难以完成"),
        (0.0, 0.0, None, "达到预期"),
        (0.1, 0.0, -0.1, "难以完成"),
    ],
)
def test_verdict_threshold_upper(avg, limit, needed, verdict):
    assert verdict_threshold(avg, limit, True, needed) == verdict


@pytest.mark.parametrize(
    "avg, verdict", [(1.5, "超额完成"), (1.0, "达到预期"), (0.9, "基本符合"), (0.89, "滞后")]
)
def test_verdict_threshold_lower(avg, verdict):
    assert verdict_threshold(avg, 1.0, False, 1.2) == verdict  # 1.2 still reachable


@pytest.mark.parametrize(
    "count, ceiling, verdict",
    [
        (0, 0, "达到预期"),
        (1, 0, "难以完成"),
        (2, 4, "达到预期"),
        (3, 4, "基本符合"),
        (5, 4, "难以完成"),
    ],
)
def test_verdict_count(count, ceiling, verdict):
    assert verdict_count(count, ceiling, 0.5) == verdict


def test_thresholds_are_one_dict():
    assert THRESHOLDS["decline_roughly"] == 0.8


def test_annual_change_needed():
    assert annual_change_needed(3, 4, 2.5) == 0.0  # already below the target
    # 3 → 1.75 in 2.5 years: (1.75/3)^(1/2.5) − 1 = −0.19394
    assert annual_change_needed(3, 1.75, 2.5) == pytest.approx(-0.19394, abs=1e-5)
    assert annual_change_needed(3, 0, 2.5) is None  # no percentage can reach zero
    assert annual_change_needed(3, 1, 0) is None


# ------------------------------------------------------------------ assess() on the pack
def test_decline_deaths_hand_worked():
    pr = assess(sample_pack(), row("accident_deaths", "decline_pct", 20), MID)
    assert pr.base_value == 8 and pr.base_source == "按年度汇总计算"
    assert pr.target_level == 6  # 8 × 0.8 = 6.4: a count must come down to 6
    # the latest complete year, 2022: 1 (2022-02-01) + 2 (2022-09-15)
    assert pr.current == 3 and pr.level.kind == "latest_year"
    assert pr.level.basis == "2022年"
    # beside it, 同比: 2023H1 1 (2023-04-02) against 2022H1 1 (2022-02-01)
    assert pr.level.partial.current.value == 1 and pr.level.partial.previous.value == 1
    assert pr.completion == pytest.approx((8 - 3) / (8 - 6))  # 2.5
    assert pr.path_value == pytest.approx(7.2)  # 8 × (1 − 0.2 × 0.5)
    assert pr.annual_change_needed == 0.0
    assert pr.best_annual_change == pytest.approx(-0.4)  # 2021→2022: 5 → 3
    assert pr.verdict == "超额完成"


@pytest.mark.parametrize(
    "base, pct, completion, verdict",
    [
        (4, 50, 0.5, "达到预期"),  # target 2: (4−3)/(4−2)
        (3.8, 40, 0.8 / 1.8, "基本符合"),  # 2.28 → ≤2: 0.444 ≥ 0.4
        (3.5, 30, 0.5 / 1.5, "滞后"),  # 2.45 → ≤2: 0.333 < 0.4; needs −15.0 %/yr, best −40 %
        (3.5, 50, 0.5 / 2.5, "滞后"),  # 1.75 → ≤1: 0.2; needs −35.6 %/yr, best −40 %
        (2, 20, -1.0, "滞后"),  # 1.6 → ≤1: worse than base, −35.6 %/yr still within reach
    ],
)
def test_decline_verdict_branches(base, pct, completion, verdict):
    pr = assess(sample_pack(), row("accident_deaths", "decline_pct", pct, base_value=base), MID)
    assert pr.completion == pytest.approx(completion)
    assert pr.verdict == verdict


def test_lagging_needs_annual_change():
    pr = assess(sample_pack(), row("accident_deaths", "decline_pct", 50, base_value=3.5), MID)
    # 3 → ≤1 in 2.5 years: (1/3)^(1/2.5) − 1
    assert pr.annual_change_needed == pytest.approx(-0.35561, abs=1e-5)


def test_decline_gdp_rate_rolling_window():
    pr = assess(sample_pack(), row("deaths_per_100m_gdp", "decline_pct", 30, base_value=0.04), MID)
    # 3 deaths over (300 × 0.5 + 300 × 0.5 [2023 GDP missing → 2022]) = 0.01
    assert pr.current == pytest.approx(0.01)
    assert pr.completion == pytest.approx((0.04 - 0.01) / (0.04 * 0.3))


def test_zero_base_decline_is_judged_as_not_above_zero():
    pr = assess(sample_pack(), row("severe_accident_count", "decline_pct", 20, base_value=0), MID)
    assert pr.target_type == "max_value" and pr.target_value == 0
    assert "基期值为0" in pr.reason
    assert pr.completion is None and pr.verdict == "达到预期"
    # accidents did happen: average 6 accidents over 2.5 years = 2.4 a year > 0, cannot return
    pr = assess(sample_pack(), row("accident_count", "decline_pct", 10, base_value=0), MID)
    assert pr.current == pytest.approx(2.4)
    assert pr.verdict == "难以完成"


def test_break_between_base_and_current_voids_completion():
    pr = assess(sample_pack(), row("fire_deaths_per_100k", "decline_pct", 10), MID)
    assert pr.base_value == pytest.approx(0.2)
    assert pr.level.basis == "2022年"  # no fire ledger: latest whole year from 年度汇总
    assert pr.completion is None and pr.verdict == NOT_ASSESSED
    assert pr.breaks and pr.breaks[0][0] == 2021
    assert "不可比" in pr.reason


def test_threshold_running_average():
    pr = assess(sample_pack(), row("fire_deaths_per_100k", "max_value", 0.18), MID)
    assert pr.current == pytest.approx(0.1)  # (0.2 + 0.0) / 2; 2023H1 has no data
    assert pr.verdict == "达到预期"
    assert pr.breaks  # shown, but an average is not a change


@pytest.mark.parametrize(
    "limit, verdict, needed",
    [
        (1, "滞后", (5 - 4) / 2.5),
        (0.5, "难以完成", (2.5 - 4) / 2.5),
        (1.5, "基本符合", None),
        (4, "超额完成", None),
    ],
)
def test_disaster_average_verdicts(limit, verdict, needed):
    pr = assess(sample_pack(), row("disaster_deaths_per_million", "max_value", limit), MID)
    assert pr.current == pytest.approx(1.6)  # (4 + 0 + 0 × 0.5) / 2.5
    assert pr.verdict == verdict
    if needed is not None:
        assert pr.needed_rest_average == pytest.approx(needed)


@pytest.mark.parametrize("ceiling, verdict", [(0, "难以完成"), (4, "达到预期"), (3, "基本符合")])
def test_cumulative_count(ceiling, verdict):
    pr = assess(sample_pack(), row("major_accident_count_cum", "max_count", ceiling), MID)
    assert pr.current == 2 and pr.level.kind == "cumulative"
    assert pr.verdict == verdict


def test_cumulative_since_plan_start_for_half_year_period():
    pr = assess(
        sample_pack(), row("major_accident_count_cum", "max_count", 0), Period.parse("2023H1")
    )
    assert pr.current == 2  # 2021-01-01..2023-06-30, not only 2023H1


def test_missing_base_is_not_assessed():
    pr = assess(sample_pack(), row("road_deaths_per_10k_vehicles", "decline_pct", 10), MID)
    assert pr.base_value is None and pr.verdict == NOT_ASSESSED and pr.reason == "缺少基期值"


def test_chinese_formula_name_accepted_and_unknown_rejected():
    pr = assess(sample_pack(), row("生产安全事故死亡人数", "decline_pct", 20), MID)
    assert pr.key == "accident_deaths"
    with pytest.raises(ValueError, match="不在公式表中"):
        assess(sample_pack(), row("unknown", "decline_pct", 20), MID)


def test_full_year_period_current_is_the_year():
    pr = assess(sample_pack(), row("accident_deaths", "decline_pct", 20), Period.parse("2022"))
    assert pr.current == 3 and pr.level.basis == "2022年"
    assert pr.time_share == pytest.approx(0.4)
    assert not math.isnan(pr.completion)


# ------------------------------------------------------ wording at the final evaluation
@pytest.mark.parametrize(
    "verdict, mid, final",
    [
        ("超额完成", "超额完成", "超额完成"),
        ("达到预期", "达到预期", "已完成"),
        ("基本符合", "基本符合", "基本完成"),
        ("滞后", "滞后", "未完成"),
        ("难以完成", "难以完成", "未完成"),
        (NOT_ASSESSED, NOT_ASSESSED, NOT_ASSESSED),
    ],
)
def test_final_wording(verdict, mid, final):
    from planeval.indicators.progress import verdict_text

    assert verdict_text(verdict, 0.5) == mid
    assert verdict_text(verdict, 0.8) == mid  # 2024: one year still left
    assert verdict_text(verdict, 1.0) == final


def test_final_wording_shows_in_the_table_but_the_rule_word_stays():
    """At 时序进度 100% the table says 未完成 / 已完成; ``verdict`` (read by the findings rules)
    keeps 难以完成 / 达到预期."""
    import dataclasses

    from planeval.indicators.progress import verdict_words
    from planeval.indicators.table import indicator_table

    worse = assess(sample_pack(), row("accident_deaths", "decline_pct", 20, base_value=2), MID)
    worse = dataclasses.replace(worse, verdict="难以完成")  # (the reach rule is tested elsewhere)
    ok = assess(sample_pack(), row("accident_deaths", "decline_pct", 50, base_value=4), MID)
    final = [dataclasses.replace(pr, time_share=1.0) for pr in (worse, ok)]
    assert [pr.verdict for pr in final] == ["难以完成", "达到预期"]
    assert [pr.verdict_text for pr in final] == ["未完成", "已完成"]
    # (the period only sets the year columns; the verdict word follows each row's 时序进度)
    assert indicator_table(final, MID)["评价"].tolist() == ["未完成", "已完成"]
    assert indicator_table([worse, ok], MID)["评价"].tolist() == ["难以完成", "达到预期"]
    assert verdict_words(1.0) == ("超额完成", "已完成", "基本完成", "未完成", NOT_ASSESSED)


# ---------------------------------------------------------- how 完成进度 is displayed
def test_completion_display_words_and_raw_numbers_kept():
    """(8 − 3)/(8 − 6) = 250 % → 已达目标; base 2, target 1.6 → ≤1, current 3 → (2 − 3)/1 =
    −100 % → 劣于基期; base 4, target 2 → 50.0 %."""
    from planeval.indicators.table import completion_outliers, completion_text

    over = assess(sample_pack(), row("accident_deaths", "decline_pct", 20), MID)
    worse = assess(sample_pack(), row("accident_deaths", "decline_pct", 20, base_value=2), MID)
    mid = assess(sample_pack(), row("accident_deaths", "decline_pct", 50, base_value=4), MID)
    assert [completion_text(p) for p in (over, worse, mid)] == ["已达目标", "劣于基期", "50.0%"]
    assert over.completion == pytest.approx(2.5) and worse.completion == pytest.approx(-1.0)
    assert completion_outliers([over, worse, mid]) == {
        "reached": [("指标", "250.0%")],
        "worse": [("指标", "-100.0%")],
    }
    # exactly at the target: (4 − 3)/(4 − 3) = 100 % → 已达目标
    exact = assess(sample_pack(), row("accident_deaths", "decline_pct", 25, base_value=4), MID)
    assert exact.completion == pytest.approx(1.0) and completion_text(exact) == "已达目标"


# ------------------------------------- cumulative counts declared as "下降 r%" (较大以上)
def test_cumulative_decline_without_base_is_not_assessed():
    """No 2020 figure for 较大以上 in the sample pack: "下降20%" cannot become a ceiling, and
    must never be read as "≤20起"."""
    from planeval.indicators.table import completion_text, target_text

    pr = assess(sample_pack(), row("major_accident_count_cum", "decline_pct", 20), MID)
    assert pr.base_value is None and pr.verdict == NOT_ASSESSED
    assert pr.reason == "缺少基期值，无法将“下降20%”换算为累计起数上限"
    assert target_text(pr) == "下降20%"
    assert completion_text(pr) == "—"


@pytest.mark.parametrize(
    "base, pct, ceiling, verdict",
    [
        (1, 20, 0, "难以完成"),  # 1 × 0.8 = 0.8 → ≤0; count 2 > 0
        (4, 20, 3, "基本符合"),  # 3.2 → ≤3; 2 > 3 × 0.5 but 2 ≤ 3
        (5, 80, 1, "难以完成"),  # 5 × 0.2 = 0.9999999999999998 in floats → still 1, not 0
        (10, 70, 3, "基本符合"),  # 3.0000000000000004 → 3
        (10, 20, 8, "达到预期"),  # 8: 2 ≤ 8 × 0.5
    ],
)
def test_cumulative_decline_ceiling_is_floored_and_printed(base, pct, ceiling, verdict):
    """The current count is 2 (2021-07-10 and 2023-04-02, both 较大); the ceiling printed in
    the table is the one the verdict used."""
    from planeval.indicators.table import target_text

    pr = assess(
        sample_pack(), row("major_accident_count_cum", "decline_pct", pct, base_value=base), MID
    )
    assert pr.current == 2 and pr.target_type == "max_count"
    assert pr.target_value == ceiling and pr.target_level == ceiling
    assert target_text(pr) == f"≤{ceiling}"
    assert pr.verdict == verdict
    assert f"后的{ceiling}评价（取整）" in pr.reason


def test_count_ceiling_one_count_at_a_fractional_ceiling():
    """ "≤1.5起" judges a count of 1 as within and prints ≤1 (not ≤2 by rounding)."""
    from planeval.indicators.table import target_text

    pr = assess(sample_pack(), row("major_accident_count_cum", "max_count", 2.5), MID)
    assert pr.target_value == 2 and target_text(pr) == "≤2" and pr.verdict == "基本符合"


# ------------------------------------------------------------ 已完成 at the final evaluation
@pytest.mark.parametrize(
    "completion, verdict, final_word",
    [
        (1.0, "达到预期", "已完成"),
        (1.0000000000000004, "达到预期", "已完成"),  # float noise on exactly 100 %
        (0.9999999999999996, "达到预期", "已完成"),
        (1.2, "超额完成", "超额完成"),
        (0.85, "基本符合", "基本完成"),
        (0.5, "滞后", "未完成"),
        (-0.1, "难以完成", "未完成"),
    ],
)
def test_final_evaluation_exactly_100_percent_is_completed(completion, verdict, final_word):
    from planeval.indicators.progress import verdict_text

    assert verdict_decline(completion, 1.0) == verdict
    assert verdict_text(verdict, 1.0) == final_word


def test_final_evaluation_exact_target_via_assess():
    """base 10, 下降70% → 2025 level 3.0000000000000004; a current of 3 is 100 % → 已完成."""
    import dataclasses

    pk = sample_pack()
    pr = assess(pk, row("accident_deaths", "decline_pct", 70, base_value=10), Period.parse("2022"))
    # 2022 deaths: 1 + 2 = 3
    assert pr.current == 3 and pr.completion == pytest.approx(1.0)
    assert pr.verdict == "达到预期"
    assert dataclasses.replace(pr, time_share=1.0).verdict_text == "已完成"


@pytest.mark.parametrize(
    "avg, needed, cap, verdict",
    [
        (2.0, None, None, "超额完成"),  # ≥ 1.5
        (1.0, None, None, "达到预期"),
        (0.9, 1.2, None, "基本符合"),
        (0.8, 1.2, None, "滞后"),  # the years left can still lift the average
        (0.8, None, None, "难以完成"),  # no years left: the target is missed
        (0.8, 120.0, 100.0, "难以完成"),  # a share would need more than 100 %
        (0.8, 99.0, 100.0, "滞后"),
    ],
)
def test_verdict_threshold_lower_mirrors_upper(avg, needed, cap, verdict):
    assert verdict_threshold(avg, 1.0, False, needed, cap) == verdict


def test_min_value_uses_needed_rest_average():
    """Disaster deaths per million, average 1.6 over 2.5 years (see above), as a floor of 2.0:
    1.6 < 2.0 × 0.9 = 1.8; the 2.5 years left need (2.0 × 5 − 1.6 × 2.5)/2.5 = 2.4 → 滞后."""
    pr = assess(sample_pack(), row("disaster_deaths_per_million", "min_value", 2.0), MID)
    assert pr.current == pytest.approx(1.6)
    assert pr.needed_rest_average == pytest.approx(2.4)
    assert pr.verdict == "滞后"


def test_verdict_rule_text_matches_the_code():
    from planeval.narrative.render import render

    text = render("indicators/verdict_rule.md.j2", t=THRESHOLDS).markdown
    assert "*p* > 100%（已超过2025年目标）为“超额完成”" in text
    assert "*p* = 100%即恰好实现2025年目标，亦为“达到预期”" in text
    assert "所需年均值不超过100%）为“滞后”，不可能时为“难以完成”" in text
    assert "向下取整" in text
