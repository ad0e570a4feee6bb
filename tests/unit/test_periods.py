"""Periods: parsing, labels, 同比 and 时序进度, each worked out by hand."""

from datetime import date

import pytest

from planeval.periods import Period, PeriodError


def test_midterm_is_the_seed_period():
    p = Period.parse("midterm")
    assert (p.start, p.end) == (date(2021, 1, 1), date(2023, 6, 30))
    assert p.label == "2021年至2023年上半年"
    assert p.plan_elapsed_share == 0.5  # 30 of 60 months
    assert p.slug == "midterm-2023H1"
    assert p.report_kind_label == "中期评估"
    assert [s.label for s in p.year_slices()] == ["2021年", "2022年", "2023年上半年"]


def test_explicit_range_equals_midterm_dates():
    p = Period.parse("2021-01-01..2023-06-30")
    assert (p.start, p.end) == (date(2021, 1, 1), date(2023, 6, 30))
    assert p.label == "2021年至2023年上半年"
    assert p.plan_elapsed_share == 0.5


def test_final_and_years():
    f = Period.parse("final")
    assert (f.start, f.end, f.plan_elapsed_share) == (date(2021, 1, 1), date(2025, 12, 31), 1.0)
    assert f.label == "2021年至2025年"
    y = Period.parse("2022")
    assert y.label == "2022年" and y.plan_elapsed_share == 0.4 and y.is_full_years


def test_half_year_and_same_period_a_year_earlier():
    h = Period.parse("2023H1")
    assert (h.start, h.end) == (date(2023, 1, 1), date(2023, 6, 30))
    assert h.label == "2023年上半年" and h.is_partial_year and h.year_fraction == 0.5
    prev = h.previous_year()
    assert (prev.start, prev.end, prev.label) == (
        date(2022, 1, 1),
        date(2022, 6, 30),
        "2022年上半年",
    )
    h2 = Period.parse("2023h2")
    assert (h2.start, h2.end, h2.label) == (date(2023, 7, 1), date(2023, 12, 31), "2023年下半年")


def test_quarter():
    q = Period.parse("2023Q3")
    assert (q.start, q.end) == (date(2023, 7, 1), date(2023, 9, 30))
    assert q.label == "2023年第三季度"
    assert q.plan_elapsed_share == 0.55  # 33 of 60 months
    assert q.previous_year().end == date(2022, 9, 30)


def test_leap_day_shifts_to_28_february():
    p = Period.parse("2024-01-01..2024-02-29")
    assert p.previous_year().end == date(2023, 2, 28)


def test_before_plan_start_has_no_elapsed_share():
    assert Period.parse("2020").plan_elapsed_share == 0.0


@pytest.mark.parametrize(
    "bad", ["2023H3", "2023Q5", "23", "2023-02-30..2023-03-01", "中期评估x", ""]
)
def test_bad_strings_say_what_is_accepted(bad):
    with pytest.raises(PeriodError) as e:
        Period.parse(bad)
    assert "评估期 (period)" in str(e.value)


def test_reversed_range_is_refused():
    with pytest.raises(PeriodError, match="结束日期早于开始日期"):
        Period.parse("2023-06-30..2021-01-01")


@pytest.mark.parametrize(
    ("word", "today", "expected"),
    [
        ("last-half", date(2023, 7, 5), "2023年上半年"),
        ("last-half", date(2024, 1, 5), "2023年下半年"),
        ("last-half", date(2023, 6, 30), "2022年下半年"),  # H1 not over on its last day
        ("last-year", date(2024, 1, 5), "2023年"),
        ("last-quarter", date(2023, 10, 1), "2023年第三季度"),
        ("last-quarter", date(2024, 2, 1), "2023年第四季度"),
    ],
)
def test_relative_periods_for_scheduled_runs(word, today, expected):
    assert Period.parse(word, today=today).label == expected


def test_odd_ranges_are_labelled_with_dates():
    assert Period.parse("2021-03-01..2021-09-30").label == "2021年3月1日至2021年9月30日"
    assert Period.parse("2021-01-01..2021-09-30").label == "2021年1月1日至2021年9月30日"
    assert Period.parse("2021-03-01..2023-06-30").label == "2021年3月1日至2023年6月30日"


@pytest.mark.parametrize(
    ("written", "start", "end", "kind"),
    [
        ("2022年", date(2022, 1, 1), date(2022, 12, 31), "year"),
        ("2022年度", date(2022, 1, 1), date(2022, 12, 31), "year"),
        ("２０２２", date(2022, 1, 1), date(2022, 12, 31), "year"),  # full-width digits
        (2022, date(2022, 1, 1), date(2022, 12, 31), "year"),  # unquoted YAML, papermill -p
        ("2023年上半年", date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023年下半年", date(2023, 7, 1), date(2023, 12, 31), "half"),
        ("2023年第三季度", date(2023, 7, 1), date(2023, 9, 30), "quarter"),
        ("2023年三季度", date(2023, 7, 1), date(2023, 9, 30), "quarter"),
        ("2024年第1季度", date(2024, 1, 1), date(2024, 3, 31), "quarter"),
        ("中期", date(2021, 1, 1), date(2023, 6, 30), "midterm"),
        ("中期评估", date(2021, 1, 1), date(2023, 6, 30), "midterm"),
        ("总结", date(2021, 1, 1), date(2025, 12, 31), "final"),
        ("2021年3月1日至2021年9月30日", date(2021, 3, 1), date(2021, 9, 30), "range"),
        ("2021/3/1~2021/9/30", date(2021, 3, 1), date(2021, 9, 30), "range"),
    ],
)
def test_periods_as_analysts_write_them(written, start, end, kind):
    p = Period.parse(written)
    assert (p.start, p.end, p.kind) == (start, end, kind)


def test_chinese_forms_give_the_same_slug_and_label_as_the_short_ones():
    assert Period.parse("2023年上半年").slug == Period.parse("2023H1").slug == "2023H1"
    assert Period.parse("2023年第三季度").label == "2023年第三季度"
    assert Period.parse("2022年").slug == "2022"


@pytest.mark.parametrize(
    "bad", ["2023年中半年", "2023年第五季度", "2022年年", "中期2", True, 2022.5]
)
def test_near_misses_are_refused_with_every_accepted_form(bad):
    with pytest.raises(PeriodError) as e:
        Period.parse(bad)
    msg = str(e.value)
    assert "评估期 (period)" in msg
    if isinstance(bad, str):
        for form in ("2022年", "2023年上半年", "2023年第三季度", "中期", "总结", "midterm"):
            assert form in msg


def test_impossible_day_in_a_range_is_named_in_chinese():
    with pytest.raises(PeriodError, match="日期 2021-02-30 不存在"):
        Period.parse("2021-02-30..2021-03-01")
