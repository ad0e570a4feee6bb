"""``planeval make-template`` and ``write_ledgers``: the template loads once its two required
sheets are filled; an empty one gives the clear "required ledger" errors; written frames load
back equal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import planeval
from planeval.cli import main as cli_main
from planeval.data.pack import PROVENANCE, DataPackError
from planeval.data.schema import LEDGERS
from planeval.data.template import DATE_FORMS, GUIDE_SHEET, main, write_ledgers, write_template
from planeval.vocab import SECTORS

CLEAN = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"


def _fill(book, sheet: str, row: list) -> None:
    wb = openpyxl.load_workbook(book)
    wb[sheet].append(row)
    wb.save(book)


def test_template_layout(tmp_path):
    book = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [GUIDE_SHEET, *(lg.zh for lg in LEDGERS)]
    for lg in LEDGERS:
        ws = wb[lg.zh]
        assert [c.value for c in ws[1]] == [f.zh for f in lg.fields]
        assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
        assert ws.max_row == 1
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
    # 死亡 is a short header, 直接经济损失(万元) a long one.
    acc = wb["生产安全事故"]
    assert acc.column_dimensions["L"].width < acc.column_dimensions["I"].width
    # Drop-downs on the choice columns: 行业领域 (D) lists the sectors.
    dvs = {str(dv.sqref): dv.formula1 for dv in acc.data_validations.dataValidation}
    assert dvs["D2:D2001"] == '"' + ",".join(SECTORS) + '"'
    assert "F2:F2001" not in dvs  # 死亡 is a number, no list
    ind = {str(dv.sqref): dv.formula1 for dv in wb["指标"].data_validations.dataValidation}
    assert ind["G2:G2001"] == '"较基期下降百分比,年均不高于,累计不超过,年均不低于"'
    assert ind["I2:I2001"] == '"约束性,预期性"'
    assert "生产安全事故死亡人数" in ind["D2:D2001"]  # 计算公式: the formulas' Chinese names


def test_guide_sheet_lists_every_column(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    rows = [[c if c is not None else "" for c in r] for r in wb[GUIDE_SHEET].values]
    head = next(i for i, r in enumerate(rows) if r[0] == "工作表（台账）")
    table = rows[head + 1 :]
    assert len(table) == sum(len(lg.fields) for lg in LEDGERS)
    by = {}
    ledger = None
    for r in table:
        ledger = r[0] or ledger
        by[(ledger, r[3])] = r
    assert by[("指标", "编码")][:7] == [
        "指标",
        "规划的一项指标",
        "是",
        "编码",
        "code",
        "文本",
        "必填",
    ]
    assert by[("生产安全事故", "编号")][2] == "否"
    assert by[("生产安全事故", "行业领域")][7].startswith("、".join(SECTORS) + "（")
    assert by[("生产安全事故", "死亡")][5:9] == [
        "整数",
        "必填",
        "",
        "死亡人数、死亡(人)、死亡（人）、死亡人数(人)",
    ]
    assert by[("生产安全事故", "失踪")][6] == "可选（可不设此列，也可留空）"
    assert by[("生产安全事故", "乡镇")][6] == "必设此列，可留空"
    assert by[("生产安全事故", "发生日期")][5] == "日期"
    assert by[("年度汇总", "年份")][5] == "年份"
    assert by[("重大工程", "进度(%)")][5] == "数值"
    assert by[("执法检查", "检查类型")][7] == "日常、专项、双随机、联合、专家"
    formulas = by[("指标", "计算公式")][7]
    assert "生产安全事故死亡人数、" in formulas and "accident_deaths" not in formulas
    assert by[("指标", "目标类型")][7].startswith(
        "较基期下降百分比：目标值填较基期下降的百分数，如“较2020年下降15%”填 15；年均不高于："
    )


def test_guide_sheet_names_no_missing_sheet_and_no_internal_key(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    text = "\n".join(str(c) for r in wb[GUIDE_SHEET].values for c in r if c is not None)
    # "见…表" would point at a sheet; every one it names must exist (it once said 见指标公式表).
    for ref in re.findall(r"见([^，。；、\s]*表)", text):
        assert ref in wb.sheetnames, ref
    assert "见指标公式表" not in text
    for key in ("decline_pct", "max_count", "accident_count"):
        assert key not in text.split("英文字段名")[0]  # the intro lines above the table


@pytest.mark.parametrize("form", DATE_FORMS)
def test_every_date_form_the_guide_lists_is_read(form):
    from collections import Counter

    from planeval.data.normalise import parse_date

    assert parse_date(form, Counter()) == pd.Timestamp(2021, 3, 5)


def test_guide_lists_every_date_form_including_dots(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    intro = [r[0] for r in wb[GUIDE_SHEET].iter_rows(max_row=6, values_only=True) if r[0]]
    line = next(x for x in intro if x.startswith("日期"))
    assert line.startswith("日期可写成 2021-03-05、2021/3/5、2021.3.5、2021年3月5日、20210305，")


def test_empty_template_gives_required_ledger_errors(tmp_path):
    write_template(tmp_path / "pack" / "台账.xlsx")
    with pytest.raises(DataPackError) as e:
        planeval.load_pack(tmp_path / "pack")
    assert [str(p) for p in e.value.problems] == [
        "台账.xlsx，工作表“指标”：必需的台账“指标”只有表头、没有数据行：请至少填写一行",
        "台账.xlsx，工作表“年度汇总”：必需的台账“年度汇总”只有表头、没有数据行：请至少填写一行",
    ]
    out = io.StringIO()
    from planeval.data.check import main as check_main

    assert check_main(str(tmp_path / "pack"), out=out) == 1
    assert "Traceback" not in out.getvalue() and "数据包有 2 个错误" in out.getvalue()


def test_filled_template_loads(tmp_path):
    book = write_template(tmp_path / "pack" / "台账.xlsx")
    _fill(book, "指标", ["1", "生产安全事故死亡人数", "人", "accident_deaths", 2020, 10])
    wb = openpyxl.load_workbook(book)
    ws = wb["指标"]
    for col, v in (("G", "较基期下降百分比"), ("H", 15), ("I", "约束性")):
        ws[f"{col}2"] = v
    wb.save(book)
    _fill(book, "年度汇总", [2021, "生产安全事故死亡人数", 9])
    pack = planeval.load_pack(tmp_path / "pack")
    assert pack.indicators[["code", "formula", "target_type", "target_value"]].values.tolist() == [
        ["1", "accident_deaths", "decline_pct", 15.0]
    ]
    assert pack.annual_value(2021, "生产安全事故死亡人数") == 9.0
    # The unfilled optional ledgers count as not provided (chapters say so), silently.
    assert pack.accidents is None and pack.outreach is None
    assert set(pack.frames) == {"indicators", "annual"}
    assert pack.summary.missing == [lg.zh for lg in LEDGERS if not lg.required]
    assert pack.summary.warnings == []  # the 说明 sheet is not "an unknown sheet"


def _strip(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=list(PROVENANCE)).reset_index(drop=True)


@pytest.mark.parametrize("target", ["book/台账.xlsx", "folder"])
def test_write_ledgers_round_trips(tmp_path, target):
    pack = planeval.load_pack(CLEAN)
    written = write_ledgers(tmp_path / target, pack.frames)
    if target == "folder":
        assert [p.name for p in written] == [
            f"{LEDGERS[0].zh}.xlsx",
            *(f"{lg.zh}.xlsx" for lg in LEDGERS[1:] if lg.key in pack.frames),
        ]
    else:
        assert written == [tmp_path / target]
    again = planeval.load_pack(written[0].parent)
    assert list(again.frames) == list(pack.frames)
    for key, df in pack.frames.items():
        pd.testing.assert_frame_equal(_strip(again.frames[key]), _strip(df), obj=key)


def test_write_ledgers_partial_columns_and_bad_input(tmp_path):
    rows = pd.DataFrame([{"year": 2021, "measure": "火灾起数", "value": 3}])
    (path,) = write_ledgers(tmp_path / "x.xlsx", {"annual": rows, "fires": None})
    assert openpyxl.load_workbook(path).sheetnames == ["年度汇总"]
    assert [c.value for c in openpyxl.load_workbook(path)["年度汇总"][1]] == [
        "年份",
        "项目",
        "数值",
    ]
    with pytest.raises(KeyError, match="nope"):
        write_ledgers(tmp_path / "y.xlsx", {"nope": rows})
    with pytest.raises(ValueError, match="deaths"):
        write_ledgers(tmp_path / "y.xlsx", {"annual": rows.assign(deaths=1)})


def test_cli_make_template(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert cli_main(["make-template", str(out)]) == 0
    assert out.exists() and "已生成台账模板" in capsys.readouterr().out
    assert cli_main(["make-template", str(out)]) == 1
    assert "文件已存在，未覆盖" in capsys.readouterr().out
    assert cli_main(["make-template", str(out), "--force"]) == 0
    s = io.StringIO()
    assert main(str(tmp_path / "a.csv"), stream=s) == 1
    assert "应以 .xlsx 结尾" in s.getvalue()
