"""Normalising what analysts really write: dates, digits, separators, total and blank rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest
from test_data_validation import ACC, make_pack

from planeval.data.load import load_pack
from planeval.data.normalise import (
    CellError,
    fw_to_ascii,
    parse_date,
    parse_int,
    parse_number,
    parse_str,
)
from planeval.data.read import norm_name

T = pd.Timestamp("2021-03-05")


@pytest.mark.parametrize(
    ("raw", "note"),
    [
        (dt.date(2021, 3, 5), None),
        (dt.datetime(2021, 3, 5, 14, 30), None),
        (44260, "Excel 日期序号转为日期"),  # Excel serial of 2021-03-05
        (44260.6, "Excel 日期序号转为日期"),  # with a time of day
        ("2021-03-05", None),
        ("2021-3-5", None),
        ("2021/3/5", "“2021/3/5”格式的日期"),
        ("2021/03/05 08:00", "“2021/3/5”格式的日期"),
        ("2021.3.5", "“2021.3.5”格式的日期"),
        ("2021年3月5日", "“2021年3月5日”格式的日期"),
        ("２０２１年３月５日", "“2021年3月5日”格式的日期"),
        ("20210305", "“20210305”格式的日期"),
        (20210305, "“20210305”格式的日期"),
    ],
)
def test_date_formats(raw, note):
    notes: Counter = Counter()
    assert parse_date(raw, notes) == T
    assert list(notes) == ([] if note is None else [note])


@pytest.mark.parametrize("raw", ["3月5日", "2021-13-01", "明年", "2021/3-5", True])
def test_bad_dates(raw):
    with pytest.raises(CellError):
        parse_date(raw, Counter())


def test_blank_cells():
    for raw in (None, "", "  ", "\u3000", float("nan")):
        assert parse_date(raw, Counter()) is None
        assert parse_number(raw, Counter()) is None
        assert parse_str(raw, Counter()) is None


@pytest.mark.parametrize(
    ("raw", "value", "note"),
    [
        (12, 12.0, None),
        (3.5, 3.5, None),
        ("12", 12.0, None),
        (" 1,234 ", 1234.0, "去掉数字中的千分位逗号"),
        ("1,234,567.5", 1234567.5, "去掉数字中的千分位逗号"),
        ("１２", 12.0, "全角数字改为半角"),
        ("-3", -3.0, None),
    ],
)
def test_numbers(raw, value, note):
    notes: Counter = Counter()
    assert parse_number(raw, notes) == value
    if note:
        assert note in notes


@pytest.mark.parametrize("raw", ["3人", "12,34", "约5", "1.2.3", "—", True])
def test_not_numbers(raw):
    with pytest.raises(CellError):
        parse_number(raw, Counter())


def test_int_refuses_fraction_accepts_integral_float():
    assert parse_int(3.0, Counter()) == 3
    with pytest.raises(CellError, match="应为整数"):
        parse_int("2.5", Counter())


def test_full_width_text_and_names():
    assert fw_to_ascii("ＹＨ０１（一般）") == "YH01（一般）"
    assert parse_str(12.0, Counter()) == "12"
    assert norm_name(" 死亡（人） ") == norm_name("死亡(人)")
    assert norm_name("直接经济损失 （万元）") == norm_name("直接经济损失(万元)")


def test_total_blank_and_title_rows_dropped(tmp_path):
    rows = [
        ["2023年生产安全事故台账"],
        [None],
        ["编号", "发生日期", "乡镇", "行业 领域", "事故类型", "死亡人数（人）"],
        ["A1", "2021/3/5", None, "危化", "火灾", "１"],
        [None, None, None, None, None, None],
        ["A2", "2021年4月5日", None, "消防", "火灾", 2],
        ["小计", None, None, None, None, 3],
        ["A3", 44621, None, "消防", "火灾", 0],
        ["总 计", None, None, None, None, 3],
    ]
    pack = load_pack(make_pack(tmp_path, 生产安全事故=rows), use_cache=False)
    acc = pack.accidents
    assert acc["id"].tolist() == ["A1", "A2", "A3"]
    assert acc["_row"].tolist() == [4, 6, 8]
    assert acc["date"].tolist() == [
        pd.Timestamp("2021-03-05"),
        pd.Timestamp("2021-04-05"),
        pd.Timestamp("2022-03-01"),
    ]
    assert acc["sector"].tolist() == ["危险化学品", "消防", "消防"]
    assert acc["deaths"].tolist() == [1, 2, 0]
    assert pack.summary.normalised == [
        "生产安全事故：删除空行 1 行（第5行）",
        "生产安全事故：删除合计/小计行 2 行（第7、9行）",
        "生产安全事故：跳过表头上方的标题行（第1–2行）",
        "生产安全事故：“2021/3/5”格式的日期（1处）",
        "生产安全事故：行业领域“危化”按“危险化学品”处理（1处）",
        "生产安全事故：全角数字改为半角（1处）",
        "生产安全事故：“2021年3月5日”格式的日期（1处）",
        "生产安全事故：Excel 日期序号转为日期（1处）",
        "生产安全事故：按国务院令第493号第三条计算事故等级",
    ]


def test_dtypes_and_blank_optional_values(tmp_path):
    rows = [
        ACC + ["失踪", "直接经济损失(万元)"],
        ["A1", "2021-03-05", "消防", "火灾", 1, None, None, None],
    ]
    acc = load_pack(make_pack(tmp_path, 生产安全事故=rows), use_cache=False).accidents
    assert str(acc["date"].dtype) == "datetime64[ns]"
    assert acc["deaths"].dtype == "int64" and acc["missing"].dtype == "int64"
    assert acc["missing"].tolist() == [0] and acc["serious_injuries"].tolist() == [0]
    assert acc["loss"].dtype == "float64" and acc["loss"].isna().all()
    assert acc["town"].isna().all()
    assert list(acc.columns[-3:]) == ["_file", "_sheet", "_row"]


def test_csv_in_gbk_and_utf8(tmp_path):
    make_pack(tmp_path)
    text = '编号,发生日期,乡镇,行业领域,事故类型,死亡\nA1,2021-03-05,城关镇,消防,火灾,"1,000"\n'
    (tmp_path / "生产安全事故.csv").write_bytes(text.encode("gbk"))
    acc = load_pack(tmp_path, use_cache=False).accidents
    assert acc["deaths"].tolist() == [1000] and acc["town"].tolist() == ["城关镇"]
    assert acc["_file"].tolist() == ["生产安全事故.csv"] and acc["_row"].tolist() == [2]
    (tmp_path / "生产安全事故.csv").write_bytes(text.encode("utf-8-sig"))
    assert load_pack(tmp_path, use_cache=False).accidents["town"].tolist() == ["城关镇"]
