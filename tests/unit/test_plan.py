"""The plan as data: name, years, base year; the periods and titles that follow it.

Every expected value is worked out by hand from the plan's dates.
"""

from datetime import date

import pytest

from planeval.data.pack import DataPack
from planeval.periods import Period
from planeval.plan import (
    DEFAULT_PLAN,
    Plan,
    PlanError,
    cn_ordinal,
    five_year_number,
    parse_plan,
    read_plan,
)
from planeval.report.params import ParamsError, RunParams

XV = Plan.named("十五五")


def test_default_plan_is_the_fourteenth():
    p = DEFAULT_PLAN
    assert (p.name, p.start, p.end, p.base_year) == (
        "十四五",
        date(2021, 1, 1),
        date(2025, 12, 31),
        2020,
    )
    assert p.midterm_end == date(2023, 6, 30)
    assert p.quoted == "“十四五”" and p.next_quoted == "“十五五”"
    assert p.span_label == "2021—2025年"
    assert p.n_years == 5.0


def test_fifteenth_plan_from_its_name_alone():
    # 3rd plan 1966–1970, then every five years: 1966 + 5 × (15 − 3) = 2026.
    assert (XV.start, XV.end, XV.base_year) == (date(2026, 1, 1), date(2030, 12, 31), 2025)
    assert XV.midterm_end == date(2028, 6, 30)
    assert XV.years == (2026, 2027, 2028, 2029, 2030)
    assert XV.next_name == "十六五"


def test_name_written_with_quotes_and_suffix():
    assert parse_plan({"名称": "“十五五”规划"}) == XV
    assert five_year_number("十四五") == 14 and five_year_number("二十五") == 20
    assert five_year_number("县规划") is None
    assert [cn_ordinal(n) for n in (1, 10, 14, 20, 21)] == ["一", "十", "十四", "二十", "二十一"]


def test_explicit_fields_win_over_the_name():
    p = parse_plan({"name": "十五五", "base_year": 2024, "midterm_end": "2028-12-31"})
    assert p.base_year == 2024 and p.midterm_end == date(2028, 12, 31)
    assert p.start == date(2026, 1, 1)


def test_unnumbered_plan_needs_its_dates():
    with pytest.raises(PlanError) as e:
        parse_plan({"name": "安全发展三年行动"})
    msg = str(e.value)
    assert "规划期起 (start)" in msg and "规划期止 (end)" in msg
    assert "base_year" not in msg  # follows from start once start is given
    p = parse_plan({"name": "安全发展三年行动", "start": "2024-01-01", "end": "2026-12-31"})
    assert (p.base_year, p.midterm_end, p.next_quoted) == (2023, date(2026, 6, 30), "下一规划期")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"name": "十五五", "end": "2025-12-31"}, "不晚于规划期起"),
        ({"name": "十五五", "base_year": "abc"}, "基期年份 (base_year)：值“abc”无法识别"),
        ({"name": "十五五", "years": 5}, "years (years)：不认识的键"),
        ({"name": "十五五", "midterm_end": "2031-06-30"}, "中期评估截止日 (midterm_end)"),
        ("", "规划名称 (name)"),
    ],
)
def test_bad_plans_are_refused_in_chinese(data, needle):
    with pytest.raises(PlanError) as e:
        parse_plan(data)
    assert needle in str(e.value)


def test_elapsed_share_follows_the_plan():
    # 十四五 mid-term: 30 of 60 months; 十五五 at the end of 2026: 12 of 60; before the start: 0.
    assert DEFAULT_PLAN.elapsed_share(date(2023, 6, 30)) == 0.5
    assert XV.elapsed_share(date(2026, 12, 31)) == 0.2
    assert XV.elapsed_share(date(2025, 12, 31)) == 0.0
    assert XV.elapsed_share(date(2031, 6, 30)) == 1.0
    assert XV.years_left(date(2026, 12, 31)) == pytest.approx(4.0)


def test_periods_carry_the_plan():
    mid = Period.parse("midterm", plan=XV)
    assert (mid.start, mid.end, mid.label, mid.slug) == (
        date(2026, 1, 1),
        date(2028, 6, 30),
        "2026年至2028年上半年",
        "midterm-2028H1",
    )
    assert mid.plan_elapsed_share == 0.5
    fin = Period.parse("总结", plan=XV)
    assert (fin.start, fin.end, fin.plan_elapsed_share) == (
        date(2026, 1, 1),
        date(2030, 12, 31),
        1.0,
    )
    y = Period.parse("2026", plan=XV)
    assert y.plan_elapsed_share == 0.2
    # near miss: the same year in the default plan is before the plan starts? no — after it ends
    assert Period.parse("2026").plan_elapsed_share == 1.0
    # slices, shifts and the span since the plan start keep the plan
    assert all(s.plan == XV for s in mid.year_slices())
    assert y.previous_year().plan == XV
    assert y.since_plan_start().as_range() == "2026-01-01..2026-12-31"
    assert Period.parse("2027H1", plan=XV).since_plan_start().as_range() == "2026-01-01..2027-06-30"
    # the plan is not part of equality: the same dates are the same period
    assert Period.parse("2026", plan=XV) == Period.parse("2026")


def test_pack_reads_its_plan_file(tmp_path):
    assert read_plan(tmp_path) == DEFAULT_PLAN
    (tmp_path / "plan.yaml").write_text("name: 十五五  # 规划名称\n", encoding="utf-8")
    assert read_plan(tmp_path) == XV
    pk = DataPack(root=tmp_path, frames={})
    assert pk.plan == XV and pk.period("midterm").end == date(2028, 6, 30)
    (tmp_path / "plan.yaml").write_text("name: [\n", encoding="utf-8")
    with pytest.raises(PlanError, match="plan.yaml：不是有效的 YAML"):
        read_plan(tmp_path)


def test_chinese_plan_file_name(tmp_path):
    (tmp_path / "规划.yaml").write_text("规划名称: 十五五\n基期年份: 2025\n", encoding="utf-8")
    assert read_plan(tmp_path) == XV


def test_report_title_follows_the_plan(tmp_path):
    (tmp_path / "plan.yaml").write_text("name: 十五五\n", encoding="utf-8")
    rp = RunParams(county="示例县", organization="县应急管理局", period="2026", data=str(tmp_path))
    assert rp.report_title == "示例县“十五五”应急管理体系及能力建设规划年度评估报告"
    assert rp.period_obj.plan_elapsed_share == 0.2
    default = RunParams(county="示例县", organization="县应急管理局", period="midterm")
    assert default.report_title == "示例县“十四五”应急管理体系及能力建设规划中期评估报告"
    (tmp_path / "plan.yaml").write_text("name: 十五五\nend: 2020-01-01\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="规划期止"):
        _ = rp.report_title
