"""Chinese phrasing and number formats."""

from __future__ import annotations

import doctest
from datetime import date

import pandas as pd
import pytest

from planeval.narrative import phrasing
from planeval.narrative.filters import FILTERS
from planeval.narrative.render import render_string


def test_doctests():
    assert doctest.testmod(phrasing).failed == 0


@pytest.mark.parametrize(
    "cur, prev, unit, expected",
    [
        (7, 8, "", "下降12.5%"),
        (6, 5, "", "上升20.0%"),
        (5, 5, "", "持平"),
        (0, 0, "起", "持平"),
        (2, 0, "起", "由0起增至2起"),
        (0, 3, "人", "下降100.0%"),
        (10000, 10001, "", "基本持平"),
        (None, 3, "", "无可比数据"),
    ],
)
def test_change_phrase(cur, prev, unit, expected):
    assert phrasing.change_phrase(cur, prev, unit) == expected


def test_change_phrase_never_says_down_zero():
    for cur, prev in [(5, 5), (1000, 1000.0001), (0, 0)]:
        assert "0%" not in phrasing.change_phrase(cur, prev).replace("100", "")


def test_formats_by_precision():
    assert phrasing.fmt_value(5.0) == "5"
    assert phrasing.fmt_value(1234.4) == "1,234"
    assert phrasing.fmt_value(0.0125, 3) == "0.013"
    assert phrasing.fmt_value(0.18, 2) == "0.18"
    assert phrasing.fmt_value(float("nan"), 2) == "—"
    assert phrasing.fmt_wan(12.5) == "12.50"
    assert phrasing.fmt_pct(0.5) == "50.0%"


def test_dates_and_lists():
    assert phrasing.fmt_date(date(2022, 7, 14)) == "2022年7月14日"
    assert phrasing.fmt_date(pd.Timestamp("2022-07-14")) == "2022年7月14日"
    assert phrasing.fmt_date("2022-07-14") == "2022年7月14日"
    assert phrasing.fmt_date(pd.NaT) == "—"
    assert phrasing.fmt_month_day(date(2022, 7, 14)) == "7月14日"
    assert phrasing.join_cn(["工贸行业", "建筑施工"]) == "工贸行业、建筑施工"


def test_ratio_change_phrase():
    assert phrasing.ratio_change_phrase(-0.052) == "下降5.2%"
    assert phrasing.ratio_change_phrase(0.0004) == "持平"
    assert phrasing.ratio_change_phrase(None) == "—"


def test_filters_in_a_template():
    assert set(FILTERS) >= {"int", "num", "wan", "pct", "change", "value", "date", "md", "join_cn"}
    out = render_string(
        "起数{{ 7|change(8) }}，{{ 2|change(0, '起') }}，{{ 5|change(5) }}，"
        "{{ x|value(3) }}，{{ d|md }}",
        x=0.0125,
        d=date(2021, 3, 5),
    ).markdown
    assert out == "起数下降12.5%，由0起增至2起，持平，0.013，3月5日"


@pytest.mark.parametrize(
    "x, digits, shown",
    [
        (1.0, 1, "100.0%"),
        (0.9995, 1, "99.9%"),  # would round to 100.0 %: below 1 is never 100 %
        (0.99949, 1, "99.9%"),
        (0.9999999, 1, "99.9%"),
        (1 - 1e-15, 1, "100.0%"),  # float noise on exactly 1
        (0.99996, 2, "99.99%"),
        (1.0004, 1, "100.0%"),  # above 1 may round to 100 %
        (0.0, 1, "0.0%"),
        (0.0004, 1, "0.1%"),  # above 0 is never 0 %
        (0.00049, 1, "0.1%"),
        (0.0005, 1, "0.1%"),
        (0.00051, 1, "0.1%"),
        (1e-15, 1, "0.0%"),  # float noise on exactly 0
        (-0.0004, 1, "-0.1%"),
        (0.00004, 2, "0.01%"),
        (0.125, 1, "12.5%"),
        (3.125, 1, "312.5%"),
        (-2.5, 1, "-250.0%"),
    ],
)
def test_fmt_pct_boundaries(x, digits, shown):
    assert phrasing.fmt_pct(x, digits) == shown


@pytest.mark.parametrize(
    "rate, bench, below",
    [
        (61 / 62, 0.984, False),  # 98.387 % → 98.4 %
        (0.9835, 0.984, False),  # 98.35 % → "98.4%" (as printed)
        (0.9834, 0.984, True),
        (0.984, 0.984, False),
        (0.9996, 1.0, True),  # 99.9 % < 100.0 %
        (None, 0.984, False),
        (float("nan"), 0.984, False),
    ],
)
def test_pct_below_compares_as_printed(rate, bench, below):
    assert phrasing.pct_below(rate, bench) is below
    if rate is not None and rate == rate:
        shown_below = float(phrasing.fmt_pct(rate)[:-1]) < float(phrasing.fmt_pct(bench)[:-1])
        assert shown_below is below
    assert render_string("{{ r|pct_below(b) }}", r=rate, b=bench).markdown == str(below)
