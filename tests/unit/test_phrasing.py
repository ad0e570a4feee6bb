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
