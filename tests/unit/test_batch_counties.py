"""The county list of ``planeval batch``: both forms, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from planeval.batch.counties import load_counties
from planeval.report.params import ParamsError

CLEAN_PACK = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"


def test_yaml_list_packs_relative_to_the_list(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "甲").mkdir()
    f = tmp_path / "县区.yaml"
    f.write_text(
        'period: "2023H1"\nout: out\ncounties:\n'
        "  - {county: 甲县, pack: packs/甲, organization: 甲县应急管理局, report_date: '2023-07-31'}\n"
        f"  - {{county: 乙县, pack: {CLEAN_PACK}, organization: 乙县应急管理局}}\n",
        encoding="utf-8",
    )
    cl = load_counties(f)
    assert cl.counties == ["甲县", "乙县"] and cl.period == "2023H1"
    a, b = cl.params
    assert a.data_path == tmp_path / "packs" / "甲" and a.report_date == "2023-07-31"
    assert b.report_date is None and b.period == "2023H1" and a.out == "out"
    # the command line's period and output root win over the list's
    cl = load_counties(f, period="2022", out=str(tmp_path / "o"))
    assert cl.period == "2022" and cl.params[1].target_dir() == tmp_path / "o" / "乙县" / "2022"


def test_csv_with_chinese_headers_and_empty_cells(tmp_path):
    f = tmp_path / "县区.csv"
    f.write_text(
        f"县名,数据包,编制单位,报告日期\n甲县,{CLEAN_PACK},甲县应急管理局,2023-07-31\n"
        f"乙县,{CLEAN_PACK},乙县应急管理局,\n",
        encoding="utf-8-sig",
    )
    a, b = load_counties(f, period="midterm").params
    assert (a.county, a.organization, a.report_date) == ("甲县", "甲县应急管理局", "2023-07-31")
    assert b.report_date is None  # an empty cell is no override


def test_every_problem_at_once_with_its_row(tmp_path):
    f = tmp_path / "县区.yaml"
    f.write_text(
        "counties:\n"
        f"  - {{county: 甲县, pack: {CLEAN_PACK}, organization: 局}}\n"
        f"  - {{county: 甲县, pack: {CLEAN_PACK}, organization: 局}}\n"  # duplicate
        "  - {county: 乙县, pack: nowhere, organization: 局}\n"  # no such folder
        f"  - {{county: 丙县, pack: {CLEAN_PACK}}}\n"  # no organization
        f"  - {{county: ../丁县, pack: {CLEAN_PACK}, organization: 局}}\n"  # not a folder name
        f"  - {{county: 戊县, pack: {CLEAN_PACK}, organization: 局, out: elsewhere}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParamsError) as e:
        load_counties(f, period="2023H1")
    probs = e.value.problems
    assert len(probs) == 5, probs
    assert "第 2 项" in probs[0] and "与第 1 项重复" in probs[0]
    assert "第 3 项" in probs[1] and "nowhere" in probs[1] and "不存在" in probs[1]
    assert "第 4 项" in probs[2] and "编制单位 (organization)" in probs[2]
    assert "第 5 项" in probs[3] and "县名 (county)" in probs[3]
    assert "第 6 项" in probs[4] and "out" in probs[4] and "未知的键" in probs[4]


def test_no_period_is_refused(tmp_path):
    f = tmp_path / "县区.yaml"
    f.write_text(f"- {{county: 甲县, pack: {CLEAN_PACK}, organization: 局}}\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="没有评估期"):
        load_counties(f)
    assert load_counties(f, period="2022").counties == ["甲县"]  # a bare list is fine


def test_bad_period_names_the_row(tmp_path):
    f = tmp_path / "县区.yaml"
    f.write_text(f"- {{county: 甲县, pack: {CLEAN_PACK}, organization: 局}}\n", encoding="utf-8")
    with pytest.raises(ParamsError) as e:
        load_counties(f, period="2023H3")
    assert "第 1 项" in e.value.problems[0] and "评估期 (period)" in e.value.problems[0]
