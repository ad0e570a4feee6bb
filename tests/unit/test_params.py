"""Run parameters: the YAML model, the comparison with each chapter's parameters cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from planeval.paths import PARAMS_DIR, PROJ_ROOT
from planeval.report.chapters import discover, heading_level, inspect_parameters
from planeval.report.params import (
    ParamsError,
    check_chapter_params,
    load_params,
    notebook_values,
)

FIXTURE_NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
STD = {
    n: {"name": n, "default": '""', "inferred_type_name": "str"}
    for n in ("data_dir", "period", "county", "metrics_dir")
}


def test_load_params_reads_and_derives(write_params):
    p = load_params(write_params())
    assert p.county == "测试县"
    assert p.period_obj.slug == "midterm-2023H1"
    assert p.report_title == "测试县“十四五”应急管理体系及能力建设规划中期评估报告"
    assert p.date_label == "2023年7月31日"
    assert p.target_dir().parts[-2:] == ("测试县", "midterm-2023H1")


@pytest.mark.parametrize(
    ("period", "kind"),
    [("2022", "年度评估"), ("2023H1", "半年评估"), ("final", "总结评估"), ("2023Q3", "季度评估")],
)
def test_title_follows_period_kind(write_params, period, kind):
    assert load_params(write_params(period=period)).report_title.endswith(f"规划{kind}报告")


def test_overrides_win(write_params):
    p = load_params(write_params(), {"period": "2022", "out": None})
    assert p.period == "2022"
    assert p.out.endswith("reports")


def test_unknown_parameter_names_file_and_parameter(write_params):
    path = write_params(colour="red")
    with pytest.raises(ParamsError) as e:
        load_params(path)
    msg = str(e.value)
    assert str(path) in msg and "未知参数" in msg and "colour" in msg


def test_missing_parameter(write_params):
    path = write_params(organization=None)
    with pytest.raises(ParamsError, match=r"缺少必填参数 编制单位 \(organization\)"):
        load_params(path)


@pytest.mark.parametrize("bad", ["2023H3", "midyear", "2023-06-30..2021-01-01"])
def test_bad_period_string(write_params, bad):
    with pytest.raises(ParamsError, match=r"评估期 \(period\)"):
        load_params(write_params(period=bad))


def test_unquoted_year_and_date_are_read_as_written(tmp_path):
    # YAML reads these as int and date; the analyst meant the year 2022 and 31 July 2023.
    p = tmp_path / "p.yaml"
    p.write_text(
        "county: 测试县\norganization: 局\nperiod: 2022\nreport_date: 2023-07-31\n",
        encoding="utf-8",
    )
    got = load_params(p)
    assert (got.period, got.period_obj.slug, got.report_date) == ("2022", "2022", "2023-07-31")
    assert got.report_title.endswith("规划年度评估报告")


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("2022年", "2022"),
        ("2023年上半年", "2023H1"),
        ("2023年第三季度", "2023Q3"),
        ("中期", "midterm-2023H1"),
        ("总结", "final-2025"),
    ],
)
def test_periods_as_analysts_write_them_quoted_or_not(tmp_path, written, slug):
    for text in (written, f'"{written}"'):
        p = tmp_path / "p.yaml"
        p.write_text(f"county: 测试县\norganization: 局\nperiod: {text}\n", encoding="utf-8")
        got = load_params(p)
        assert got.period == written  # kept as written: chapters show and parse it
        assert got.period_obj.slug == slug


def test_a_number_that_is_not_a_year_gets_the_quoting_hint(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("county: 测试县\norganization: 局\nperiod: 2023.5\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="请写成带引号的文本"):
        load_params(p)


def test_bad_report_date(write_params):
    with pytest.raises(ParamsError, match=r"报告日期 \(report_date\)"):
        load_params(write_params(report_date="2023年7月"))


def test_not_a_mapping(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="映射"):
        load_params(p)


def test_chapter_missing_a_required_parameter():
    declared = {"10_a.ipynb": {k: v for k, v in STD.items() if k != "metrics_dir"}}
    with pytest.raises(ParamsError, match=r"10_a.ipynb .*缺少参数 关键数字目录 \(metrics_dir\)"):
        check_chapter_params(
            declared, {"data_dir": "d", "period": "midterm", "county": "c", "metrics_dir": "m"}
        )


def test_chapter_parameter_without_value_or_default():
    declared = {"10_a.ipynb": {**STD, "threshold": {"name": "threshold", "default": None}}}
    with pytest.raises(ParamsError, match=r"10_a.ipynb 声明了参数 threshold"):
        check_chapter_params(declared, dict.fromkeys(STD, "x"))


def test_findings_no_chapter_declares_is_unknown():
    with pytest.raises(ParamsError, match=r"问题识别阈值 \(findings\) 没有任何章节使用"):
        check_chapter_params({"10_a.ipynb": STD}, {**dict.fromkeys(STD, "x"), "findings": {"a": 1}})


def test_inject_only_declared_and_findings_as_json_for_str_param():
    declared = {
        "10_a.ipynb": STD,
        "20_b.ipynb": {
            **STD,
            "findings": {"name": "findings", "default": '""', "inferred_type_name": "str"},
        },
    }
    values = {
        **dict.fromkeys(STD, "x"),
        "organization": "局",
        "findings": {"projects.delay_gap": 0.1},
    }
    inject = check_chapter_params(declared, values)
    assert set(inject["10_a.ipynb"]) == set(STD)
    assert inject["20_b.ipynb"]["findings"] == '{"projects.delay_gap": 0.1}'


def test_findings_override_checked_before_any_chapter_runs():
    declared = {"20_b.ipynb": {**STD, "findings": {"name": "findings", "default": '""'}}}
    with pytest.raises(ParamsError, match="没有“no.such”这一项"):
        check_chapter_params(declared, {**dict.fromkeys(STD, "x"), "findings": {"no.such": 1}})


def test_notebook_values(write_params, tmp_path):
    p = load_params(write_params(findings={"k": 1}))
    v = notebook_values(p, data_dir=tmp_path, metrics_dir=tmp_path / "m")
    assert v["period"] == "midterm" and v["county"] == "测试县"
    assert v["metrics_dir"] == str(tmp_path / "m") and v["findings"] == {"k": 1}


def test_inspect_sees_parameters_whose_help_contains_equals():
    # papermill's inspector skips any line with two “=”: “# 空 = 示例数据” would hide data_dir.
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(
        'data_dir: str = ""  # 数据包目录；空 = 示例数据\nperiod: str = "2022"'
    )
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    params = inspect_parameters(nb)
    assert set(params) == {"data_dir", "period"}
    assert params["period"]["default"] == '"2022"'


def test_discover_fixture_chapters_in_file_order():
    chs = discover(FIXTURE_NOTEBOOKS)
    assert [c.id for c in chs] == ["intro", "alpha", "beta"]
    assert [c.stage for c in chs] == [2, 1, 1]
    assert "findings" in chs[2].parameters


def test_discover_unknown_chapter_id():
    with pytest.raises(ParamsError, match="--chapters 中的章节 id 不存在：nope"):
        discover(FIXTURE_NOTEBOOKS, ["alpha", "nope"])


def test_discover_notebook_without_metadata(tmp_path):
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "10_x.ipynb")
    with pytest.raises(ParamsError, match='10_x.ipynb 缺少 notebook 元数据 "planeval"'):
        discover(tmp_path)


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("一、规划实施总体进展情况", 2),
        ("（三）重大工程项目进展", 3),
        ("1. 提升风险管控能力", 4),
        ("前言", 2),
    ],
)
def test_heading_level(title, level):
    assert heading_level(title) == level


EXPECTED_PARAMS = {
    "midterm-2023H1.yaml": ("midterm-2023H1", "2021-01-01..2023-06-30"),
    "annual-2022.yaml": ("2022", "2022-01-01..2022-12-31"),
    "h1-2023.yaml": ("2023H1", "2023-01-01..2023-06-30"),
    "final-2025.yaml": ("final-2025", "2021-01-01..2025-12-31"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAMS))
def test_committed_params_files(name):
    p = load_params(PARAMS_DIR / name)
    slug, span = EXPECTED_PARAMS[name]
    assert p.period_obj.slug == slug and p.period_obj.as_range() == span
    assert p.county == "示例县" and p.data_path == PROJ_ROOT / "data" / "demo"


def test_committed_params_match_the_chapters():
    chs = discover(Path(PROJ_ROOT / "notebooks"))
    for name in EXPECTED_PARAMS:
        p = load_params(PARAMS_DIR / name)
        values = notebook_values(p, data_dir=p.data_path, metrics_dir=Path("/tmp/m"))
        check_chapter_params({c.name: c.parameters for c in chs}, values)
