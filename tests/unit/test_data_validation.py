"""Each validation rule of the data pack, with a bad file and the exact message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planeval.data import DataPackError
from planeval.data.load import load_pack
from planeval.data.validate import date_max

D = dt.date
IND = [
    ["编码", "名称", "单位", "计算公式", "目标类型", "目标值", "属性"],
    ["1", "生产安全事故死亡人数", "人", "accident_deaths", "decline_pct", 15, "约束性"],
]
ANN = [["年份", "项目", "数值"], [2020, "常住人口(万人)", 50]]
HAZ = ["编号", "发现日期", "行业领域", "等级", "整改方式", "整改完成日期"]
ACC = ["编号", "发生日期", "行业领域", "事故类型", "死亡", "乡镇"]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def make_pack(root: Path, base: dict[str, list[list]] | None = None, **ledgers: list[list]) -> Path:
    """A pack: ``台账.xlsx`` with 指标 and 年度汇总 (or ``base``), plus ``<ledger>.xlsx`` files."""
    root.mkdir(parents=True, exist_ok=True)
    write_xlsx(root / "台账.xlsx", {"指标": IND, "年度汇总": ANN} if base is None else base)
    for name, rows in ledgers.items():
        write_xlsx(root / f"{name}.xlsx", {name: rows})
    return root


def errors(root: Path) -> list[str]:
    with pytest.raises(DataPackError) as ei:
        load_pack(root, use_cache=False)
    return [str(p) for p in ei.value.problems if p.severity == "error"]


def test_minimal_pack_loads(tmp_path):
    pack = load_pack(make_pack(tmp_path), use_cache=False)
    assert pack.annual_value(2020, "常住人口(万人)") == 50.0
    assert pack.accidents is None
    assert "生产安全事故" in pack.summary.missing


def test_fixed_before_found(tmp_path):
    root = make_pack(
        tmp_path, 隐患=[HAZ, ["YH1", D(2021, 3, 5), "消防", "一般", "立即", D(2021, 3, 1)]]
    )
    assert errors(root) == [
        "隐患.xlsx，工作表“隐患”，第2行，列“整改完成日期 (fixed)”，值“2021-03-01”：整改完成日期早于发现日期 (2021-03-05)"
    ]


def test_text_in_number_column(tmp_path):
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", D(2021, 3, 5), "消防", "火灾", "3人"]])
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“死亡 (deaths)”，值“3人”："
        "不是数字：数字列只能填数字（可带千分位逗号），不能有文字、单位或符号"
    ]


def test_fraction_in_count_column(tmp_path):
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", D(2021, 3, 5), "消防", "火灾", 1.5]])
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“死亡 (deaths)”，值“1.5”：应为整数"
    ]


def test_negative_count(tmp_path):
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", D(2021, 3, 5), "消防", "火灾", -1]])
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“死亡 (deaths)”，值“-1”：不能为负数"
    ]


def test_blank_required_cell(tmp_path):
    root = make_pack(
        tmp_path,
        生产安全事故=[
            ACC,
            ["A1", D(2021, 3, 5), "消防", "火灾", None],
            ["A2", D(2021, 3, 6), "消防", "火灾", 0],
        ],
    )
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“死亡 (deaths)”：不能为空（必填）"
    ]


def test_date_before_2000(tmp_path):
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", "1999-12-31", "消防", "火灾", 0]])
    hi = date_max().strftime("%Y-%m-%d")
    assert errors(root) == [
        f"生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“发生日期 (date)”，值“1999-12-31”：日期超出合理范围（应在 2000-01-01 至 {hi} 之间）"
    ]


def test_date_after_next_year(tmp_path):
    late = (pd.Timestamp.today() + pd.DateOffset(years=1, days=2)).strftime("%Y-%m-%d")
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", late, "消防", "火灾", 0]])
    hi = date_max().strftime("%Y-%m-%d")
    assert errors(root) == [
        f"生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“发生日期 (date)”，值“{late}”：日期超出合理范围（应在 2000-01-01 至 {hi} 之间）"
    ]


def test_unreadable_and_impossible_dates(tmp_path):
    root = make_pack(
        tmp_path,
        生产安全事故=[
            ACC,
            ["A1", "3月5日", "消防", "火灾", 0],
            ["A2", "2021-02-30", "消防", "火灾", 0],
        ],
    )
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“发生日期 (date)”，值“3月5日”："
        "无法识别的日期：请写成 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日",
        "生产安全事故.xlsx，工作表“生产安全事故”，第3行，列“发生日期 (date)”，值“2021-02-30”：日期不存在",
    ]


def test_duplicate_id(tmp_path):
    rows = [HAZ] + [[f"YH{i}", D(2021, 3, 5), "消防", "一般", "立即", None] for i in (1, 2, 1)]
    root = make_pack(tmp_path, 隐患=rows)
    assert errors(root) == [
        "隐患.xlsx，工作表“隐患”，第4行，列“编号 (id)”，值“YH1”：编号重复（与第2行相同），编号必须唯一"
    ]


def test_unknown_sector_suggests_closest(tmp_path):
    root = make_pack(tmp_path, 生产安全事故=[ACC, ["A1", D(2021, 3, 5), "危险化学", "火灾", 0]])
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“行业领域 (sector)”，值“危险化学”：不是有效的行业领域；"
        "最接近的有：危险化学品；有效名称：工贸行业、危险化学品、非煤矿山、建筑施工、道路交通、消防、特种设备、"
        "城市建设和运行、电力、农业机械、渔业船舶、其他"
    ]


def test_unknown_choice(tmp_path):
    rows = [HAZ, ["YH1", D(2021, 3, 5), "消防", "较大", "立即", None]]
    root = make_pack(tmp_path, 隐患=rows)
    assert errors(root) == [
        "隐患.xlsx，工作表“隐患”，第2行，列“等级 (level)”，值“较大”：不是有效的等级；最接近的有：重大；可选值：一般、重大"
    ]


def test_unknown_formula_key(tmp_path):
    ind = [IND[0], ["1", "死亡人数", "人", "accident_death", "decline_pct", 15, "约束性"]]
    root = make_pack(tmp_path, base={"指标": ind, "年度汇总": ANN})
    msg = errors(root)
    assert len(msg) == 1
    assert msg[0].startswith(
        "台账.xlsx，工作表“指标”，第2行，列“计算公式 (formula)”，值“accident_death”：未知的指标公式键；"
        "最接近的是“accident_deaths”；可用的键（也可写中文名）：accident_count（生产安全事故起数）、"
    )


def test_formula_by_chinese_name_is_accepted(tmp_path):
    ind = [IND[0], ["1", "死亡人数", "人", "生产安全事故起数", "decline_pct", 15, "约束性"]]
    pack = load_pack(make_pack(tmp_path, base={"指标": ind, "年度汇总": ANN}), use_cache=False)
    assert pack.indicators["formula"].tolist() == ["accident_count"]
    # The Chinese name is what the template offers: nothing to report, and no internal key shown.
    assert not any("accident_count" in n for n in pack.summary.normalised)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("较基期下降百分比", "decline_pct"),
        ("累计不超过", "max_count"),
        ("年均 不高于", "max_value"),
        ("min_value", "min_value"),
    ],
)
def test_target_type_by_chinese_name_or_key(tmp_path, written, key):
    ind = [IND[0], ["1", "死亡人数", "人", "accident_deaths", written, 15, "约束性"]]
    pack = load_pack(make_pack(tmp_path, base={"指标": ind, "年度汇总": ANN}), use_cache=False)
    assert pack.indicators["target_type"].tolist() == [key]
    assert pack.summary.normalised == []


def test_unknown_target_type_lists_the_chinese_names(tmp_path):
    ind = [IND[0], ["1", "死亡人数", "人", "accident_deaths", "下降", 15, "约束性"]]
    msg = errors(make_pack(tmp_path, base={"指标": ind, "年度汇总": ANN}))
    assert msg == [
        "台账.xlsx，工作表“指标”，第2行，列“目标类型 (target_type)”，值“下降”：不是有效的目标类型；"
        "最接近的是“较基期下降百分比”；可选值：较基期下降百分比、年均不高于、累计不超过、年均不低于"
    ]


def test_target_type_near_miss_of_a_key_points_at_its_name(tmp_path):
    ind = [IND[0], ["1", "死亡人数", "人", "accident_deaths", "max_valu", 15, "约束性"]]
    msg = errors(make_pack(tmp_path, base={"指标": ind, "年度汇总": ANN}))
    assert "最接近的是“年均不高于”" in msg[0] and "max_value" not in msg[0]


def test_campaign_fixed_more_than_found(tmp_path):
    rows = [
        ["专项行动", "行业领域", "对象类型", "摸排数", "建档数", "发现隐患", "已整改", "开始日期"],
        ["燃气百日攻坚", "城市建设和运行", "餐饮场所", 100, 100, 20, 21, D(2023, 4, 1)],
    ]
    root = make_pack(tmp_path, 专项整治=rows)
    assert errors(root) == [
        "专项整治.xlsx，工作表“专项整治”，第2行，列“已整改 (fixed)”，值“21”：已整改数大于发现隐患数 (20)"
    ]


def test_annual_duplicate_year_measure(tmp_path):
    ann = ANN + [[2021, "常住人口(万人)", 51], [2020, "常住人口(万人)", 50.5]]
    root = make_pack(tmp_path, base={"指标": IND, "年度汇总": ann})
    assert errors(root) == [
        "台账.xlsx，工作表“年度汇总”，第4行，列“项目 (measure)”，值“常住人口(万人)”："
        "同一年份、同一项目重复（与第2行相同：2020年“常住人口(万人)”）；每个年份每个项目只能有一行"
    ]


def test_unknown_measure(tmp_path):
    root = make_pack(tmp_path, base={"指标": IND, "年度汇总": ANN + [[2020, "人口", 50]]})
    assert errors(root) == [
        "台账.xlsx，工作表“年度汇总”，第3行，列“项目 (measure)”，值“人口”：不是有效的项目；"
        "最接近的有：常住人口(万人)；可选值："
        + "、".join(__import__("planeval").vocab.ANNUAL_MEASURES)
    ]


def test_grade_in_sheet_disagrees_with_rule(tmp_path):
    rows = [
        ACC + ["等级"],
        ["A1", D(2021, 3, 5), "消防", "火灾", 3, None, "一般"],
        ["A2", D(2021, 4, 5), "消防", "火灾", 2, None, "一般"],
    ]
    root = make_pack(tmp_path, 生产安全事故=rows)
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“等级 (grade)”，值“一般”："
        "事故等级与按国务院令第493号第三条计算的等级“较大”不符（死亡3人、失踪0人、重伤0人、直接经济损失未填）"
    ]


def test_grade_is_derived(tmp_path):
    rows = [
        ACC + ["重伤", "直接经济损失(万元)"],
        ["A1", D(2021, 3, 5), "消防", "火灾", 2, None, 9, 999.9],
        ["A2", D(2021, 4, 5), "消防", "火灾", 0, None, 10, 0],
        ["A3", D(2021, 5, 5), "消防", "火灾", 0, None, 0, 1000],
    ]
    pack = load_pack(make_pack(tmp_path, 生产安全事故=rows), use_cache=False)
    assert pack.accidents["grade"].tolist() == ["一般", "较大", "较大"]


def test_annual_total_contradicts_ledger(tmp_path):
    acc = [ACC, ["A1", D(2021, 3, 5), "消防", "火灾", 1], ["A2", D(2022, 3, 5), "消防", "火灾", 2]]
    ann = ANN + [
        [2021, "生产安全事故起数", 2],
        [2022, "生产安全事故死亡人数", 2],
        [2019, "生产安全事故起数", 7],
    ]
    root = make_pack(tmp_path, base={"指标": IND, "年度汇总": ann}, 生产安全事故=acc)
    assert errors(root) == [
        "台账.xlsx，工作表“年度汇总”，第3行，列“数值 (value)”，值“2”：2021年“生产安全事故起数”与台账“生产安全事故”"
        "（生产安全事故.xlsx › 生产安全事故）不一致：台账中2021年合计为 1起；台账覆盖的年份（2021–2022年）年度汇总应与台账一致或不填"
    ]


def test_annual_total_in_gap_year_is_checked_and_matching_is_fine(tmp_path):
    # 2022 has no event but lies between the first and last event: covered, so 0 is expected
    acc = [ACC, ["A1", D(2021, 3, 5), "消防", "火灾", 1], ["A2", D(2023, 3, 5), "消防", "火灾", 2]]
    ann = ANN + [
        [2021, "生产安全事故死亡人数", 1],
        [2022, "生产安全事故起数", 0],
        [2020, "生产安全事故起数", 9],
    ]
    pack = load_pack(
        make_pack(tmp_path, base={"指标": IND, "年度汇总": ann}, 生产安全事故=acc), use_cache=False
    )
    assert pack.annual_value(2020, "生产安全事故起数") == 9.0


def test_missing_required_column(tmp_path):
    root = make_pack(
        tmp_path, 生产安全事故=[ACC[:4] + ["乡镇"], ["A1", D(2021, 3, 5), "消防", "火灾"]]
    )
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第1行，列“死亡 (deaths)”："
        "缺少必填列；可接受的列名写法：死亡、死亡人数、死亡(人)、死亡（人）、死亡人数(人)"
    ]


def test_two_header_rows_refused(tmp_path):
    rows = [
        ["编号", "发生日期", "乡镇", "行业领域", "事故类型", "伤亡情况", None],
        [None, None, None, None, None, "死亡", "重伤"],
        ["A1", D(2021, 3, 5), None, "消防", "火灾", 1, 0],
    ]
    root = make_pack(tmp_path, 生产安全事故=rows)
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第2行：两行表头（合并表头）：第1行和第2行都是列名（“死亡、重伤”）；"
        "请合并为一行表头，每列一个列名，如“死亡”“重伤”"
    ]


def test_busy_rows_above_header_refused(tmp_path):
    rows = [
        ["填报单位：示例县应急管理局", None, "填报日期：2023-07-01"],
        ACC,
        ["A1", D(2021, 3, 5), "消防", "火灾", 1],
    ]
    root = make_pack(tmp_path, 生产安全事故=rows)
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第1行：表头不在第1行，且表头上方第1行有多个单元格（多行表头或合并表头）；"
        "请删除表头上方的行，只保留一行列名（第2行）"
    ]


def test_no_header_found(tmp_path):
    rows = [["A1", D(2021, 3, 5), "消防", "火灾", 1]]
    root = make_pack(tmp_path, 生产安全事故=rows)
    assert errors(root) == [
        "生产安全事故.xlsx，工作表“生产安全事故”：找不到表头：前5行中没有可识别的列名（第一行非空内容为“A1、2021-03-05、消防、火灾、1”）；"
        "第1行应为列名，如：编号、发生日期、乡镇、行业领域、事故类型、死亡"
    ]


def test_missing_required_ledger(tmp_path):
    root = make_pack(tmp_path, base={"指标": IND})
    assert errors(root) == [
        f"{tmp_path.name}：缺少必需的台账“年度汇总”：请在工作簿中加一个名为“年度汇总”的工作表，或放一个“年度汇总.xlsx”文件"
    ]


def test_ledger_given_twice(tmp_path):
    root = make_pack(tmp_path, 年度汇总=ANN)
    assert errors(root) == [
        "年度汇总.xlsx，工作表“年度汇总”：台账“年度汇总”出现了两次（另一处：台账.xlsx › 年度汇总），请只保留一处"
    ]


def test_every_problem_at_once(tmp_path):
    rows = [
        HAZ,
        ["YH1", D(2021, 3, 5), "消防", "一般", "立即", D(2021, 3, 1)],
        ["YH1", "2021/13/1", "化工", "一般", "立即", None],
        ["YH3", D(2021, 3, 5), "消防", "一般", "马上", None],
    ]
    acc = [ACC, ["A1", D(2021, 3, 5), "消防", "火灾", -2]]
    root = make_pack(tmp_path, 隐患=rows, 生产安全事故=acc)
    got = errors(root)
    assert len(got) == 6, got
    assert [g.split("，")[0] for g in got].count("隐患.xlsx") == 5


def test_path_missing(tmp_path):
    assert errors(tmp_path / "nope") == [f"{tmp_path / 'nope'}：数据包目录不存在，请检查路径"]


def test_path_is_a_file(tmp_path):
    f = write_xlsx(tmp_path / "a.xlsx", {"指标": IND})
    assert errors(f) == [f"{f}：数据包应是一个目录（文件夹），其中放台账工作簿或每个台账一个文件"]


def test_empty_folder(tmp_path):
    assert errors(tmp_path) == [
        f"{tmp_path}：数据包目录中没有找到任何台账文件（.xlsx 工作簿，或以台账名命名的 .xlsx/.csv/.parquet）"
    ]


def test_corrupt_workbook(tmp_path):
    make_pack(tmp_path)
    (tmp_path / "火灾.xlsx").write_bytes(b"this is not a zip file")
    got = errors(tmp_path)
    assert len(got) == 1 and got[0].startswith(
        "火灾.xlsx：无法打开 Excel 文件（文件可能已损坏，或不是 .xlsx 格式）"
    )


def test_old_xls_refused(tmp_path):
    make_pack(tmp_path)
    (tmp_path / "火灾.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert errors(tmp_path) == ["火灾.xls：不支持 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 后重试"]


def test_bad_suppress_yaml(tmp_path):
    make_pack(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "suppress.yaml").write_text("- a\n- b\n", encoding="utf-8")
    assert errors(tmp_path) == ["notes/suppress.yaml：应为“发现id: 原因”的映射（每行一条）"]


def test_unknown_columns_and_sheets_are_warnings(tmp_path):
    acc = [ACC + ["备注"], ["A1", D(2021, 3, 5), "消防", "火灾", 1, None, "x"]]
    root = make_pack(tmp_path, 生产安全事故=acc)
    pack = load_pack(root, use_cache=False)
    assert [str(w) for w in pack.summary.warnings] == [
        "生产安全事故.xlsx，工作表“生产安全事故”，第1行，列“备注”：未知列，已忽略（不是该台账的字段）"
    ]
    assert "备注" not in pack.accidents.columns


def test_year_out_of_range(tmp_path):
    root = make_pack(tmp_path, base={"指标": IND, "年度汇总": ANN + [[1999, "常住人口(万人)", 50]]})
    hi = date_max().year
    assert errors(root) == [
        f"台账.xlsx，工作表“年度汇总”，第3行，列“年份 (year)”，值“1999”：年份超出合理范围（应在 2000 至 {hi} 之间）"
    ]


def test_project_progress_over_100(tmp_path):
    rows = [
        ["名称", "类别", "计划投资(万元)", "已完成投资(万元)", "计划完工日期", "状态", "进度(%)"],
        ["指挥中心", "应急指挥", 100, 50, D(2024, 12, 31), "在建", 120],
    ]
    root = make_pack(tmp_path, 重大工程=rows)
    assert errors(root) == [
        "重大工程.xlsx，工作表“重大工程”，第2行，列“进度(%) (progress)”，值“120”：进度不能超过 100%"
    ]


def test_note_with_template_syntax_error_named_at_load(tmp_path):
    """A note whose {{ … }} is not closed fails check-data naming notes/<x>.md and the line;
    an unknown field is not a load-time error (fields depend on the chapter)."""
    make_pack(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "risk.md").write_text("第一行\n共{{ n|int 起。\n", encoding="utf-8")
    (tmp_path / "notes" / "projects.md").write_text("共{{ no_such_field }}个。", encoding="utf-8")
    got = errors(tmp_path)
    assert len(got) == 1
    assert got[0].startswith("notes/risk.md：第2行模板语法错误（{{ … }} 或 {% … %} 未正确书写）：")
