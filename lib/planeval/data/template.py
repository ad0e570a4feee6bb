"""Write ledgers as analysts see them: Chinese headers, one sheet per ledger.

- :func:`write_template` — ``planeval make-template OUT.xlsx``: an empty workbook for analysts,
  a first sheet 说明 (what each ledger and column is, kinds, choices, accepted header variants)
  and one sheet per ledger (schema order) with the canonical headers in row 1 and drop-downs for
  the choice columns.
- :func:`write_ledgers` — frames with English column names (as in a :class:`DataPack`) written
  with Chinese headers, either as one workbook or as one file per ledger; what
  :func:`planeval.load_pack` reads back to equal frames.

Everything is derived from ``schema.LEDGERS``; nothing here knows a ledger by name.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from planeval import vocab
from planeval.data.pack import PROVENANCE
from planeval.data.read import GUIDE_SHEET
from planeval.data.schema import LEDGER_BY_KEY, LEDGERS, Field, Ledger
from planeval.vocab import FORMULA_NAMES

KIND_ZH: dict[str, str] = {
    "str": "文本",
    "int": "整数",
    "float": "数值",
    "date": "日期",
    "year": "年份",
}
DATE_FORMAT = "yyyy-mm-dd"
VALIDATION_ROWS = 2000  # drop-downs cover rows 2..VALIDATION_ROWS + 1 of a template sheet
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


# --------------------------------------------------------------------------- descriptions
def field_choices(f: Field) -> tuple[str, ...]:
    """The values a drop-down offers for ``f`` (empty when the column is free text)."""
    if f.name == "formula":
        return tuple(FORMULA_NAMES.values())
    if f.choice_zh:
        return tuple(f.choice_zh[c] for c in f.choices or ())
    return f.choices or ()


def describe_choices(f: Field) -> str:
    """The accepted values of ``f`` as the 说明 sheet states them ("" for free columns)."""
    if f.name == "formula":
        names = "、".join(FORMULA_NAMES.values())
        return f"{names}（各指标的计算方法见报告附录）"
    if not f.choices:
        return ""
    if f.choice_zh:
        return "；".join(
            f"{f.choice_zh[c]}：{vocab.TARGET_TYPE_HELP[c]}"
            if c in vocab.TARGET_TYPE_HELP
            else f.choice_zh[c]
            for c in f.choices
        )
    text = "、".join(f.choices)
    if f.choices is vocab.SECTORS:
        text += "（常见写法如“危化”“农机”会自动规范为标准名称）"
    return text


def describe_presence(f: Field) -> str:
    """必填 / 可留空 / 可选列 — whether the column must exist and whether blanks are allowed."""
    if not f.required:
        return "可选（可不设此列，也可留空）"
    if f.nullable:
        return "必设此列，可留空"
    return "必填"


def guide_rows() -> list[list[str]]:
    """The 说明 table: one row per column of every ledger (ledger cells on its first row)."""
    rows: list[list[str]] = []
    for lg in LEDGERS:
        for i, f in enumerate(lg.fields):
            first = i == 0
            rows.append(
                [
                    lg.zh if first else "",
                    lg.row_is if first else "",
                    ("是" if lg.required else "否") if first else "",
                    f.zh,
                    f.name,
                    KIND_ZH[f.kind],
                    describe_presence(f),
                    describe_choices(f),
                    "、".join(f.aliases),
                    f.help,
                ]
            )
    return rows


GUIDE_HEADER = (
    "工作表（台账）",
    "一行是",
    "必需台账",
    "列名",
    "英文字段名",
    "类型",
    "是否必填",
    "可选值",
    "可接受的其他列名写法",
    "备注",
)
# Every date form the reader accepts (tests/unit/test_template.py parses each one).
DATE_FORMS: tuple[str, ...] = ("2021-03-05", "2021/3/5", "2021.3.5", "2021年3月5日", "20210305")
GUIDE_INTRO = (
    "应急管理台账填报模板（planeval 生成）",
    "每个台账一个工作表；第1行为列名，请勿修改工作表名和列名，从第2行起每行填一条记录。",
    "“指标”和“年度汇总”为必需台账，其余台账没有数据时只保留列名即可（视为未提供，相关章节将注明“无数据”）。",
    f"日期可写成 {'、'.join(DATE_FORMS)}，或直接用 Excel 的日期格式；数字列只填数字，不带单位。",
    "填好后运行 planeval check-data <数据包目录> 检查，所有问题会一次列出。",
)


# --------------------------------------------------------------------------- cells
def _text_width(v: object) -> float:
    if v is None:
        return 0
    if isinstance(v, dt.date):
        return 11
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v))


def _cell(v: object) -> object:
    """A frame value as openpyxl should store it (blank → None, numpy → Python)."""
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def _header(ws: Worksheet, fields: Iterable[Field]) -> None:
    for j, f in enumerate(fields, start=1):
        c = ws.cell(row=1, column=j, value=f.zh)
        c.font = _BOLD
        c.fill = _HEAD_FILL
        c.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "A2"


def _widths(ws: Worksheet, columns: list[list[object]], *, lo: float = 8, hi: float = 40) -> None:
    for j, values in enumerate(columns, start=1):
        w = max((_text_width(v) for v in values[:500]), default=0)
        ws.column_dimensions[get_column_letter(j)].width = min(hi, max(lo, w + 2))


def _ledger_sheet(wb: Workbook, lg: Ledger, df: pd.DataFrame | None) -> Worksheet:
    ws = wb.create_sheet(lg.zh)
    fields = list(lg.fields) if df is None else [f for f in lg.fields if f.name in df.columns]
    _header(ws, fields)
    columns: list[list[object]] = [[f.zh] for f in fields]
    if df is not None:
        for rec in df[[f.name for f in fields]].itertuples(index=False, name=None):
            ws.append([_cell(v) for v in rec])
        for j, f in enumerate(fields):
            columns[j] += [_cell(v) for v in df[f.name].head(500)]
    for j, f in enumerate(fields, start=1):
        if f.kind == "date":
            letter = get_column_letter(j)
            for row in range(2, ws.max_row + 1):
                ws[f"{letter}{row}"].number_format = DATE_FORMAT
    _widths(ws, columns)
    return ws


def _check_frame(key: str, df: pd.DataFrame) -> pd.DataFrame:
    lg = LEDGER_BY_KEY.get(key)
    if lg is None:
        raise KeyError(f"unknown ledger {key!r}; known: {', '.join(LEDGER_BY_KEY)}")
    df = df.drop(columns=[c for c in PROVENANCE if c in df.columns])
    unknown = [c for c in df.columns if c not in {f.name for f in lg.fields}]
    if unknown:
        raise ValueError(f"ledger {key!r} has no field(s) {unknown}")
    return df


# --------------------------------------------------------------------------- public API
def _ordered(frames: Mapping[str, pd.DataFrame | None]) -> list[tuple[Ledger, pd.DataFrame]]:
    checked = {k: _check_frame(k, df) for k, df in frames.items() if df is not None}
    return [(lg, checked[lg.key]) for lg in LEDGERS if lg.key in checked]


def ledgers_workbook(frames: Mapping[str, pd.DataFrame | None]) -> Workbook:
    """One workbook, a sheet per ledger in schema order (as :func:`write_ledgers` writes it),
    not yet saved: the demo generator sets its properties and saves it byte-stably."""
    wb = Workbook()
    wb.remove(wb.active)
    for lg, df in _ordered(frames):
        _ledger_sheet(wb, lg, df)
    return wb


def write_ledgers(target: str | Path, frames: Mapping[str, pd.DataFrame | None]) -> list[Path]:
    """Write English-column ledger frames with their canonical Chinese headers.

    Parameters
    ----------
    target : a path ending in ``.xlsx`` — one workbook, a sheet per ledger (named by its Chinese
        name); otherwise a folder (created) — one ``<中文名>.xlsx`` per ledger.
    frames : ledger key (``"indicators"``, ``"annual"`` …) → frame with English column names, as
        in ``DataPack.frames``. Provenance columns (``_file, _sheet, _row``) are dropped; a
        ledger field the frame lacks is left out of the sheet; ``None`` frames are skipped.

    Returns
    -------
    list[Path]
        The files written (one workbook, or one file per ledger), in schema order.

    Raises
    ------
    KeyError, ValueError
        An unknown ledger key, or a column that is not a field of its ledger.
    """
    ordered = _ordered(frames)
    target = Path(target)
    if target.suffix.lower() == ".xlsx":
        wb = ledgers_workbook(frames)
        target.parent.mkdir(parents=True, exist_ok=True)
        wb.save(target)
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for lg, df in ordered:
        wb = Workbook()
        wb.remove(wb.active)
        _ledger_sheet(wb, lg, df)
        path = target / f"{lg.zh}.xlsx"
        wb.save(path)
        written.append(path)
    return written


def _guide_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(GUIDE_SHEET, 0)
    for line in GUIDE_INTRO:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    top = ws.max_row + 1
    ws.append(list(GUIDE_HEADER))
    for c in ws[top]:
        c.font = _BOLD
        c.fill = _HEAD_FILL
    for row in guide_rows():
        ws.append(row)
        for c in ws[ws.max_row]:
            c.alignment = _WRAP
        if row[0]:
            ws.cell(row=ws.max_row, column=1).font = _BOLD
    ws.freeze_panes = f"A{top + 1}"
    widths = (14, 22, 9, 20, 22, 7, 16, 60, 36, 14)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _dropdowns(ws: Worksheet, lg: Ledger) -> None:
    for j, f in enumerate(lg.fields, start=1):
        choices = field_choices(f)
        if not choices:
            continue
        formula = '"' + ",".join(choices) + '"'
        if len(formula) > 255:  # Excel's limit for an inline list; 说明 still lists the values
            continue
        letter = get_column_letter(j)
        dv = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=not f.required or f.nullable,
            showErrorMessage=True,
            errorStyle="warning",  # accepted spelling variants (危化 …) may still be typed
            errorTitle="不在可选值中",
            error=f"“{f.zh}”应从下拉列表中选择；确需其他写法请按“是”保留，检查时会提示。",
        )
        dv.add(f"{letter}2:{letter}{VALIDATION_ROWS + 1}")
        ws.add_data_validation(dv)


def write_template(path: str | Path) -> Path:
    """Write the empty ledger workbook for analysts (see the module docstring).

    Parameters
    ----------
    path : the ``.xlsx`` file to write (its folder is created).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    _guide_sheet(wb)
    for lg in LEDGERS:
        ws = _ledger_sheet(wb, lg, None)
        _dropdowns(ws, lg)
    wb.properties.title = "应急管理台账填报模板"
    wb.properties.creator = "planeval make-template"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def main(out: str, *, force: bool = False, stream: TextIO | None = None) -> int:
    """``planeval make-template OUT.xlsx``: write the template; 0 on success, 1 with a message."""
    stream = stream or sys.stdout
    path = Path(out).expanduser()
    if path.suffix.lower() != ".xlsx":
        print(f"模板文件名应以 .xlsx 结尾：{out}", file=stream)
        return 1
    if path.exists() and not force:
        print(f"文件已存在，未覆盖：{path}（如需覆盖请加 --force）", file=stream)
        return 1
    try:
        write_template(path)
    except OSError as e:
        print(
            f"无法写入模板文件 {path}：{e.strerror or e}（文件是否正在 Excel 中打开？）",
            file=stream,
        )
        return 1
    print(f"已生成台账模板：{path}", file=stream)
    print("填写“指标”“年度汇总”及已有的其他台账后，检查它所在的数据包目录：", file=stream)
    print(f"  planeval check-data {path.parent}", file=stream)
    print("（为一个县从头开始，planeval init <县名> 会一并建好数据包目录和参数文件）", file=stream)
    return 0
