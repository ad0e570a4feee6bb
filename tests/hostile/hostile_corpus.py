"""The hostile-input corpus: every odd or hostile pack of issue 11, with its expected outcome.

Each :class:`Case` writes one data pack into a folder and says what ``planeval check-data`` must
answer: refused with located messages containing given words, or accepted with given figures
(sums of ledger columns, computed by hand from the rows written here). ``test_corpus.py`` runs
them all in ``make test``; run this file to write the corpus out for a look by hand::

    .venv/bin/python tests/hostile/hostile_corpus.py /tmp/corpus    # one folder per case + expected.json

Nothing binary is committed: every workbook is generated here, with openpyxl or, where openpyxl
cannot write the hostile form (stray cells without ``r=``, cached formula values, an
out-of-order row), by editing the sheet XML inside the zip.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

D = dt.date

IND = [
    ["编码", "名称", "单位", "计算公式", "目标类型", "目标值", "属性"],
    ["1", "生产安全事故死亡人数", "人", "accident_deaths", "decline_pct", 15, "约束性"],
]
ANN = [["年份", "项目", "数值"], [2021, "常住人口(万人)", 50]]
ACC_HEAD = ["编号", "发生日期", "乡镇", "行业领域", "事故类型", "死亡", "失踪", "重伤"]
# deaths 1+2+0 = 3, missing 0, serious injuries 2+3+0 = 5 (the "重伤 total 5")
ACC_ROWS = [
    ["SG2021-01", D(2021, 3, 5), "城关镇", "工贸行业", "机械伤害", 1, 0, 2],
    ["SG2021-02", D(2021, 6, 9), "河口镇", "道路交通", "车辆伤害", 2, 0, 3],
    ["SG2021-03", D(2021, 9, 1), "城关镇", "建筑施工", "高处坠落", 0, 0, 0],
]
ACC = [ACC_HEAD, *ACC_ROWS]
GOOD_TOTALS = {"accidents.deaths": 3, "accidents.serious_injuries": 5, "accidents.rows": 3}


@dataclass(frozen=True)
class Case:
    """One hostile input and what the tool must say about it.

    ``refused``: words each expected error must contain (one entry per error, in any order;
    every error must also be located). ``accepted``: ``"<ledger>.<field>"`` → column sum, or
    ``"<ledger>.rows"`` → row count, of the loaded pack. ``warnings``: words a warning contains.
    ``subprocess``: run ``planeval check-data`` in a child process (the case used to kill the
    process from native code, so the test asserts the exit status, not just the message).
    """

    id: str
    klass: int
    build: Callable[[Path], None]
    refused: tuple[str, ...] = ()
    accepted: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    subprocess: bool = False
    note: str = ""


# --------------------------------------------------------------------------- writing packs
def workbook(path: Path, sheets: dict[str, list[list]], *, edit=None) -> Path:
    """An openpyxl workbook, one sheet per entry; ``edit(wb)`` may change it before saving."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    if edit is not None:
        edit(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def base_pack(root: Path, *, edit=None, **extra: list[list]) -> Path:
    """``台账.xlsx`` with 指标, 年度汇总, 生产安全事故 (or ``extra`` sheets instead/in addition)."""
    sheets = {"指标": IND, "年度汇总": ANN, "生产安全事故": ACC, **extra}
    return workbook(
        root / "台账.xlsx", {k: v for k, v in sheets.items() if v is not None}, edit=edit
    )


def patch_sheet(book: Path, sheet: str, fn: Callable[[str], str]) -> None:
    """Rewrite the XML of worksheet ``sheet`` of ``book`` with ``fn`` (same zip otherwise)."""
    with zipfile.ZipFile(book) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
        wbxml = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    tags = [
        t
        for t in re.findall(r"<sheet [^>]*>", wbxml)
        if html.unescape(t).find(f'name="{sheet}"') >= 0
    ]
    rid = re.search(r'r:id="(\w+)"', tags[0])
    target = re.search(rf'Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid.group(1)}"', rels).group(1)
    member = f"xl/{target}"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                data = fn(data.decode("utf-8")).encode("utf-8")
            z.writestr(info, data)


def patch_workbook_xml(book: Path, fn: Callable[[str], str]) -> None:
    with zipfile.ZipFile(book) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/workbook.xml":
                data = fn(data.decode("utf-8")).encode("utf-8")
            z.writestr(info, data)


def add_row_xml(xml: str, row_xml: str, *, first: bool = False) -> str:
    if first:
        return xml.replace("<sheetData>", "<sheetData>" + row_xml, 1)
    return xml.replace("</sheetData>", row_xml + "</sheetData>", 1)


CASES: list[Case] = []


def case(**kw):
    def deco(fn):
        CASES.append(Case(build=fn, **kw))
        return fn

    return deco


# --------------------------------------------------------------------------- 2. native abort
STRAY = "工作表的内容延伸到单元格 XFD1048576"


@case(id="stray-cell-xfd1048576", klass=2, refused=(STRAY,), subprocess=True)
def _stray(root: Path) -> None:
    base_pack(root, edit=lambda wb: wb["生产安全事故"].cell(1048576, 16384, "x"))


@case(id="stray-cell-out-of-order-row", klass=2, refused=(STRAY,))
def _stray_first(root: Path) -> None:
    book = base_pack(root)
    row = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    patch_sheet(book, "生产安全事故", lambda x: add_row_xml(x, row, first=True))


@case(id="stray-cell-tab-before-r", klass=2, refused=(STRAY,))
def _stray_tab(root: Path) -> None:
    book = base_pack(root)
    row = '<row r="1048576"><c\tr="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    patch_sheet(book, "生产安全事故", lambda x: add_row_xml(x, row))


@case(id="cells-without-r-far-right", klass=2, refused=("工作表的内容延伸到单元格 JZ1048576",))
def _no_r(root: Path) -> None:
    book = base_pack(root)
    cells = '<c t="inlineStr"><is><t>x</t></is></c>' * 286  # column 286 = JZ
    patch_sheet(book, "生产安全事故", lambda x: add_row_xml(x, f'<row r="1048576">{cells}</row>'))


@case(
    id="stray-cell-in-unknown-sheet",
    klass=2,
    accepted=GOOD_TOTALS,
    warnings=("工作表名称不是已知台账，已忽略",),
    note="a sheet that is not a ledger is never handed to calamine",
)
def _stray_other(root: Path) -> None:
    base_pack(root, 草稿=[["随手记"]], edit=lambda wb: wb["草稿"].cell(1048576, 16384, "x"))


@case(
    id="style-only-cell-far-away",
    klass=2,
    accepted=GOOD_TOTALS,
    note="near miss: a formatted empty cell at XFD1048576 holds nothing; calamine skips it",
)
def _style_only(root: Path) -> None:
    book = base_pack(root)
    row = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    patch_sheet(book, "生产安全事故", lambda x: add_row_xml(x, row))


# --------------------------------------------------------------------------- 3. merged cells
def _merged_header(wb) -> None:
    ws = wb["生产安全事故"]
    ws["G1"] = None
    ws["H1"] = None
    ws.merge_cells("F1:H1")  # 死亡 over 死亡/失踪/重伤: 失踪 and 重伤 lose their names


@case(id="merged-header-f1-h1", klass=3, refused=("表头单元格 F1:H1 是合并单元格",))
def _merged_hdr(root: Path) -> None:
    base_pack(root, edit=_merged_header)


@case(id="merged-data-cells-town", klass=3, refused=("单元格 C2:C3 是合并单元格",))
def _merged_data(root: Path) -> None:
    base_pack(root, edit=lambda wb: wb["生产安全事故"].merge_cells("C2:C3"))


@case(
    id="merged-title-above-header",
    klass=3,
    accepted=GOOD_TOTALS,
    note="near miss: a merged title row above the header is skipped, as before",
)
def _merged_title(root: Path) -> None:
    def edit(wb):
        ws = wb["生产安全事故"]
        ws.insert_rows(1)
        ws["A1"] = "2021年生产安全事故台账"
        ws.merge_cells("A1:H1")

    base_pack(root, edit=edit)


# --------------------------------------------------------------------------- 4. formulas
UNCALC = "公式没有保存计算结果"


@case(
    id="formula-without-result-optional-column",
    klass=4,
    refused=(
        UNCALC
        + "（工作簿由程序生成或从未重新计算，读出来是空白）：请在 Excel 中打开并保存以计算公式",
    ),
)
def _formula_optional(root: Path) -> None:
    base_pack(root, edit=lambda wb: wb["生产安全事故"].__setitem__("H3", "=1+2"))


@case(id="formula-without-result-required-column", klass=4, refused=(UNCALC,))
def _formula_required(root: Path) -> None:
    base_pack(root, edit=lambda wb: wb["生产安全事故"].__setitem__("F3", "=1+1"))


def _cached_formula(value: str, *, full_calc: bool) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        book = base_pack(root)
        # H3 (重伤 of SG2021-02) as Excel saves a formula: <f> with its result in <v>
        patch_sheet(
            book,
            "生产安全事故",
            lambda x: re.sub(
                r'<c r="H3"[^>]*>.*?</c>', f'<c r="H3"><f>1+2</f><v>{value}</v></c>', x
            ),
        )
        if not full_calc:
            patch_workbook_xml(book, lambda x: x.replace(' fullCalcOnLoad="1"', ""))

    return build


CASES.append(
    Case(
        id="formula-with-saved-result",
        klass=4,
        build=_cached_formula("3", full_calc=False),
        accepted=GOOD_TOTALS,
        note="near miss: a formula Excel has calculated and saved reads as its value",
    )
)
CASES.append(
    Case(
        id="formula-script-written-placeholder-zero",
        klass=4,
        build=_cached_formula("0", full_calc=True),
        refused=(UNCALC,),
        note="xlsxwriter writes 0 as every formula's result and asks Excel to recalculate",
    )
)


# --------------------------------------------------------------------------- 6. hidden sheets
def _hide(name: str, state: str = "hidden"):
    def edit(wb):
        wb[name].sheet_state = state

    return edit


@case(id="hidden-ledger-sheet", klass=6, refused=("这是隐藏的工作表",))
def _hidden(root: Path) -> None:
    base_pack(root, edit=_hide("生产安全事故"))


@case(id="very-hidden-ledger-sheet", klass=6, refused=("这是隐藏的工作表",))
def _very_hidden(root: Path) -> None:
    base_pack(root, edit=_hide("生产安全事故", "veryHidden"))


@case(
    id="hidden-helper-sheet",
    klass=6,
    accepted=GOOD_TOTALS,
    note="near miss: a hidden sheet that is not a ledger (drop-down lists) is not read at all",
)
def _hidden_helper(root: Path) -> None:
    base_pack(root, 选项=[["工贸行业"], ["道路交通"]], edit=_hide("选项"))


# --------------------------------------------------------------------------- 5. YAML
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def with_suppress(text: str) -> Callable[[Path], None]:
    def build(root: Path) -> None:
        base_pack(root)
        (root / "notes").mkdir()
        (root / "notes" / "suppress.yaml").write_text(text, encoding="utf-8")

    return build


CASES += [
    Case(
        id="suppress-yaml-alias-bomb",
        klass=5,
        build=with_suppress(ALIAS_BOMB),
        refused=("notes/suppress.yaml，第3行：引用（*别名）超过 16 个",),
        note="nine nested anchors: ran past 3 minutes and 1 GB",
    ),
    Case(
        id="suppress-yaml-python-tag",
        klass=5,
        build=with_suppress("drill-live-share: !!python/object/apply:os.system [echo]\n"),
        refused=("不允许使用 YAML 标签",),
    ),
    Case(
        id="suppress-yaml-duplicate-id",
        klass=5,
        build=with_suppress("drill-live-share: 原因一\ndrill-live-share: 原因二\n"),
        refused=("键“drill-live-share”出现了两次（第1行和第2行）",),
    ),
]


# --------------------------------------------------------------------------- 7. 合计 rows
TOTAL_ROW = [None, None, "合计", None, None, 3, 0, 5]

CASES += [
    Case(
        id="real-accident-in-town-called-heji",
        klass=7,
        build=lambda root: base_pack(
            root,
            生产安全事故=[*ACC, ["SG2021-04", D(2021, 11, 2), "合计", "消防", "火灾", 4, 0, 0]],
        ),
        accepted={"accidents.deaths": 7, "accidents.serious_injuries": 5, "accidents.rows": 4},
        warnings=(
            "第5行：这一行有“合计/小计”字样，但填有编号、发生日期、行业领域，不像合计行，按普通记录读取",
        ),
        note="was dropped as a 合计 row because one cell said 合计",
    ),
    Case(
        id="total-row-dropped",
        klass=7,
        build=lambda root: base_pack(root, 生产安全事故=[*ACC, TOTAL_ROW]),
        accepted=GOOD_TOTALS,
        note="near miss: no id, no date, 死亡 3 and 重伤 5 are the sums above",
    ),
    Case(
        id="subtotals-and-grand-total",
        klass=7,
        build=lambda root: base_pack(
            root,
            生产安全事故=[
                ACC_HEAD,
                *ACC_ROWS[:2],
                [None, None, "小计", None, None, 3, 0, 5],
                ACC_ROWS[2],
                [None, None, "小计", None, None, 0, 0, 0],
                TOTAL_ROW,
            ],
        ),
        accepted=GOOD_TOTALS,
    ),
    Case(
        id="total-shaped-row-that-is-not-a-sum",
        klass=7,
        build=lambda root: base_pack(
            root, 生产安全事故=[*ACC, [None, None, "合计", None, None, 4, 0, 5]]
        ),
        refused=(
            "第5行，列“死亡 (deaths)”，值“4”：这一行像是合计行（有“合计/小计”字样，没有编号、日期等），但死亡 4 不等于上面各行之和 3",
        ),
        note="a record with its id and date missing would otherwise vanish",
    ),
]


# --------------------------------------------------------------------------- 8. invisible characters
def csv_pack(rows: list[list], *, name="生产安全事故", encoding="utf-8", delimiter=",", bom=False):
    def build(root: Path) -> None:
        base_pack(root, 生产安全事故=None)
        text = "\r\n".join(delimiter.join(_csv_cell(c) for c in r) for r in rows) + "\r\n"
        data = text.encode(encoding)
        if bom and encoding.startswith("utf-16"):
            data = ("\ufeff" + text).encode(encoding)
        (root / f"{name}.csv").write_bytes(data)

    return build


def _csv_cell(c) -> str:
    return "" if c is None else c.isoformat() if isinstance(c, dt.date) else str(c)


def _acc(**changes) -> list[list]:
    """ACC with cells changed: ``{(row index from 1, column name): value}`` via r<i>_<col>."""
    rows = [list(r) for r in ACC]
    for key, v in changes.items():
        i, col = key[1:].split("_", 1)
        rows[int(i)][ACC_HEAD.index(col)] = v
    return rows


CASES += [
    Case(
        id="csv-nul-in-id",
        klass=8,
        build=csv_pack(_acc(r1_编号="\x00SG2021-01")),
        refused=("第2行，列“编号 (id)”，值“\\x00SG2021-01”：含有不可见的控制字符 U+0000",),
        note="a NUL kept in an id let a duplicate pass the uniqueness check",
    ),
    Case(
        id="zero-width-space-makes-a-second-id",
        klass=8,
        build=lambda root: base_pack(root, 生产安全事故=_acc(r2_编号="SG2021-01\u200b")),
        refused=("值“SG2021-01\\u200b”：含有不可见的控制字符 U+200B",),
    ),
    Case(
        id="line-break-inside-a-text-cell",
        klass=8,
        build=lambda root: base_pack(root, 生产安全事故=_acc(r1_乡镇="城关镇\n东街")),
        accepted=GOOD_TOTALS,
        note="near miss: Alt+Enter in a cell is a real line break, not a control character",
    ),
]


# --------------------------------------------------------------------------- 9. implausible numbers
def _parquet_acc(root: Path, loss: float) -> None:
    import pandas as pd

    base_pack(root, 生产安全事故=None)
    df = pd.DataFrame(ACC_ROWS, columns=ACC_HEAD)
    df["直接经济损失(万元)"] = [loss, 1.0, 2.0]
    df.to_parquet(root / "生产安全事故.parquet")


CASES += [
    Case(
        id="deaths-ten-to-the-twentieth",
        klass=9,
        build=lambda root: base_pack(root, 生产安全事故=_acc(r2_死亡=10**20)),
        refused=("第3行，列“死亡 (deaths)”，值“1e+20”：数值大得不合理（绝对值超过 10亿）",),
        note="was an unlocated OverflowError: 请把这条信息报告给维护者",
    ),
    Case(
        id="infinite-loss-in-parquet",
        klass=9,
        build=lambda root: _parquet_acc(root, float("inf")),
        refused=("列“直接经济损失(万元) (loss)”，值“inf”：不是有限的数字",),
    ),
]


# --------------------------------------------------------------------------- 10. finding ids
CASES += [
    Case(
        id="suppress-unknown-finding-id",
        klass=10,
        build=with_suppress("sector-overdue:工贸行: 已整改\n"),
        refused=("没有“sector-overdue:工贸行”这个发现标识；最接近的有：sector-overdue:工贸行业",),
        note="was counted as 不采用的发现 1 条",
    ),
    Case(
        id="suppress-known-finding-ids",
        klass=10,
        build=with_suppress("sector-overdue:工贸行业: 已整改\nmajor-accident:SG2021-02: 已结案\n"),
        accepted={**GOOD_TOTALS, "suppress.rows": 2},
        note="near miss: ids the rules can give for this pack (a sector, an accident id)",
    ),
]


# --------------------------------------------------------------------------- 11. every problem at once
def _cross(root: Path) -> None:
    acc = [
        [*ACC_HEAD, "等级"],
        ["SG2021-01", D(2021, 3, 5), "城关镇", "工贸行业", "机械伤害", 1, 0, 2, "较大"],
        ["SG2021-02", D(2021, 6, 9), "河口镇", "道路交通", "车辆伤害", "两", 0, 3, None],
        ["SG2022-01", D(2022, 9, 1), "城关镇", "建筑施工", "高处坠落", 0, 0, 0, None],
    ]
    ann = [*ANN, [2021, "生产安全事故起数", 9], [2022, "生产安全事故起数", 5]]
    base_pack(root, 生产安全事故=acc, 年度汇总=ann)


CASES.append(
    Case(
        id="cross-ledger-checks-beside-cell-errors",
        klass=11,
        build=_cross,
        refused=(
            "第3行，列“死亡 (deaths)”，值“两”：不是数字",
            "第2行，列“等级 (grade)”，值“较大”：事故等级与按国务院令第493号第三条计算的等级“一般”不符",
            "2022年“生产安全事故起数”与台账“生产安全事故”",
        ),
        note="2021 is not compared: its second accident has an error, so the ledger's 2021 count is unknown",
    )
)


# --------------------------------------------------------------------------- 12. odd but not wrong
def _template_beside(root: Path) -> None:
    from planeval.data.template import write_template

    base_pack(root)
    write_template(root / "台账模板.xlsx")


def _second_template(root: Path) -> None:
    from planeval.data.template import write_template

    write_template(root / "台账模板2.xlsx")


CASES += [
    Case(
        id="csv-semicolon-separated",
        klass=12,
        build=csv_pack(ACC, delimiter=";"),
        accepted=GOOD_TOTALS,
        note="was 找不到表头",
    ),
    Case(
        id="csv-utf16-tab-separated",
        klass=12,
        build=csv_pack(ACC, encoding="utf-16-le", delimiter="\t", bom=True),
        accepted=GOOD_TOTALS,
        note="Excel's 'Unicode text' export",
    ),
    Case(
        id="csv-gbk",
        klass=12,
        build=csv_pack(ACC, encoding="gb18030"),
        accepted=GOOD_TOTALS,
        note="near miss: GBK as before",
    ),
    Case(
        id="english-second-header-row",
        klass=12,
        build=lambda root: base_pack(
            root,
            生产安全事故=[
                ACC_HEAD,
                ["id", "date", "town", "sector", "type", "deaths", "missing", "serious_injuries"],
                *ACC_ROWS,
            ],
        ),
        refused=("两行表头：第1行是中文列名，下面的第2行是英文字段名",),
        note="was 8 errors on row 2",
    ),
    Case(
        id="two-templates-beside-filled-copy",
        klass=12,
        build=lambda root: (_template_beside(root), _second_template(root)),
        accepted=GOOD_TOTALS,
        warnings=("台账模板2.xlsx：3 张工作表只有表头（指标、年度汇总、生产安全事故）",),
        note="near miss: ledgers only the templates hold (火灾 …) are simply not provided",
    ),
    Case(
        id="template-beside-filled-copy",
        klass=12,
        build=_template_beside,
        accepted=GOOD_TOTALS,
        warnings=("张工作表只有表头",),
        note="was 14 errors 出现了两次",
    ),
]


# --------------------------------------------------------------------------- writing it out
def write_corpus(out: Path) -> Path:
    """Every case into ``out/<id>/`` plus ``out/expected.json``."""
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for c in CASES:
        c.build(out / c.id)
        expected[c.id] = {
            "class": c.klass,
            "refused": list(c.refused),
            "accepted": c.accepted,
            "warnings": list(c.warnings),
            "note": c.note,
        }
    (out / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return out


if __name__ == "__main__":
    print(write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")))
