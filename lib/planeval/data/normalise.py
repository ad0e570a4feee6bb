"""Turn a ledger's raw cells into a typed frame, normalising what analysts really write.

Accepted and normalised (each reported in the load summary):

- header row: Chinese canonical header or any alias from ``schema.py``, matched after NFKC
  (full-width parentheses/digits → half-width) and removing spaces;
- title rows above the header: if the header is found in Excel rows 2–5 and every row above it
  holds at most one non-blank cell (a title such as “2023年隐患台账”, usually a merged cell), the
  title rows are skipped and the summary says so. Anything else above the header, or a second
  header row below it (merged / two-row headers such as “伤亡情况” over “死亡 | 重伤”), is refused;
- blank rows and 合计/小计/总计/共计 rows are dropped;
- full-width digits and letters → ASCII; thousands separators (``1,234``) in numbers;
- dates as Excel date cells, Excel serial numbers, ``2021-03-05``, ``2021/3/5``, ``2021.3.5``,
  ``2021年3月5日``, ``20210305`` (a time of day, if any, is dropped);
- sector aliases (``vocab.SECTOR_ALIASES``), ``一般事故``/``重大隐患``-style suffixes on grades and
  levels, indicator formulas and 目标类型 given by their Chinese name (→ key).

Refused here (the value rules — choices, ranges, uniqueness, cross-field — are pandera's, in
``validate.py``): text in a number column, a fraction in a count column, an unreadable date.

The frame returned has English column names, the Excel row number as index, and "parse" dtypes
(``Int64`` for counts and years so that a blank required cell is visible to the validator).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planeval import vocab
from planeval.data.pack import Problem
from planeval.data.read import Source, norm_name
from planeval.data.schema import Field, Ledger
from planeval.vocab import resolve_formula

HEADER_SCAN_ROWS = 5
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FW_TABLE = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},  # ０-９
    **{0xFF21 + i: 0x41 + i for i in range(26)},  # Ａ-Ｚ
    **{0xFF41 + i: 0x61 + i for i in range(26)},  # ａ-ｚ
    0xFF0D: 0x2D,  # －
}
_TOTAL_RE = re.compile(r"^(\d{4}年)?(合计|小计|总计|共计)[:：]?$")
_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_DATE_RES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), ""),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"), "2021/3/5"),
    (re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"), "2021.3.5"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"), "2021年3月5日"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "20210305"),
)
_CHOICE_SUFFIXES = ("事故", "隐患", "级")

MSG_NOT_NUMBER = "不是数字：数字列只能填数字（可带千分位逗号），不能有文字、单位或符号"
MSG_NOT_INT = "应为整数"
MSG_BAD_DATE = "无法识别的日期：请写成 2021-03-05、2021/3/5、2021.3.5 或 2021年3月5日"
MSG_NO_DATE = "日期不存在"
MSG_BAD_YEAR = "年份应为四位数字，如 2021"
MSG_BOOL = "不是数字（是逻辑值 TRUE/FALSE）"
# Years a date cell may name before the range check of validate.py (2000 … next year): beyond
# these a date cannot even be held (pandas' nanosecond dates end in 2262).
DATE_YEARS = (1900, 2200)
MSG_DATE_YEARS = "日期的年份不合理（应为 1900 至 2200 年之间，一般为 2000 年以后）"
# No county ledger holds a count above a billion or an amount above 10¹² (万元): such a number is
# a typing slip (or 10**20, which would overflow the integer columns further on).
MAX_COUNT = 10**9
MAX_AMOUNT = 10**12
_LIMIT_ZH = {MAX_COUNT: "10亿", MAX_AMOUNT: "1万亿"}
MSG_TOO_BIG = "数值大得不合理（绝对值超过 {limit}）：请检查是否多输了位数，或填错了列"
MSG_NOT_FINITE = "不是有限的数字（无穷大或非数）"
MSG_CONTROL = (
    "含有不可见的控制字符 {code}（多半是从网页或其他系统复制时带入的），"
    "会让编号、名称看起来相同却不相等：请删除后重新输入"
)
# Invisible characters refused in text cells: C0/C1 controls except tab and line breaks (Alt+Enter
# in a cell), and Unicode format characters (zero-width space, BOM, direction marks …).
_INVISIBLE = frozenset(
    chr(c)
    for c in range(0x110000)
    if (unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\t\n\r")
    or unicodedata.category(chr(c)) == "Cf"
)
_INVISIBLE_RX = re.compile("[" + "".join(re.escape(c) for c in sorted(_INVISIBLE)) + "]")


class CellError(ValueError):
    """A cell that cannot be read unambiguously."""


@dataclass
class Parsed:
    """A ledger after normalising: typed frame plus what was done and what failed."""

    source: Source
    frame: pd.DataFrame | None  # index = Excel row number; None when the table is unusable
    problems: list[Problem] = field(default_factory=list)
    failed: set[tuple[int, str]] = field(default_factory=set)  # (excel row, field name)
    notes: Counter = field(default_factory=Counter)  # human-readable note -> count
    dropped_rows: dict[str, list[int]] = field(default_factory=dict)  # reason -> excel rows

    @property
    def ledger(self) -> Ledger:
        return self.source.ledger


def fw_to_ascii(text: str) -> str:
    """Full-width digits and Latin letters → ASCII (Chinese punctuation is kept)."""
    return text.translate(_FW_TABLE)


def _blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str):
        return not v.replace("\u3000", " ").strip()
    return v is pd.NaT


def _has_fw(text: str) -> bool:
    return any(ord(c) in _FW_TABLE for c in text)


def show(v: object) -> str:
    """A raw cell as the analyst would recognise it in a message."""
    if isinstance(v, pd.Timestamp | dt.datetime):
        if v.hour or v.minute or v.second:
            return v.strftime("%Y-%m-%d %H:%M")
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return visible(str(v).strip())


def visible(text: str) -> str:
    """``text`` with invisible characters written out (``\\x00``, ``\\u200b``), so that a
    message shows what the cell really holds, on one line."""
    if not _INVISIBLE_RX.search(text) and "\n" not in text and "\r" not in text:
        return text
    return "".join(repr(c)[1:-1] if c in _INVISIBLE or c in "\n\r" else c for c in text)


# --- cells -------------------------------------------------------------------------------


def parse_number(v: object, notes: Counter, limit: int | None = None) -> float | None:
    """A number cell → float (None for blank); raises CellError for text, a non-finite number or
    one beyond ``limit`` (default :data:`MAX_AMOUNT`)."""
    limit = MAX_AMOUNT if limit is None else limit
    if _blank(v):
        return None
    if isinstance(v, bool):
        raise CellError(MSG_BOOL)
    if isinstance(v, int | float | np.integer | np.floating):
        return _plausible(float(v), limit)
    if isinstance(v, dt.date | dt.datetime | dt.time):
        raise CellError("不是数字（单元格是日期格式）")
    s = str(v).replace("\u3000", " ").strip()
    if _has_fw(s) or any(c in s for c in "，．"):
        notes["全角数字改为半角"] += 1
        s = fw_to_ascii(s).replace("，", ",").replace("．", ".")
    s = s.replace(" ", "")
    if _THOUSANDS_RE.match(s):
        notes["去掉数字中的千分位逗号"] += 1
        s = s.replace(",", "")
    if not _NUM_RE.match(s):
        raise CellError(MSG_NOT_NUMBER)
    return _plausible(float(s), limit)


def _plausible(x: float, limit: int) -> float:
    if not math.isfinite(x):
        raise CellError(MSG_NOT_FINITE)
    if abs(x) > limit:
        raise CellError(MSG_TOO_BIG.format(limit=_LIMIT_ZH.get(limit, f"{limit:,}")))
    return x


def parse_int(v: object, notes: Counter) -> int | None:
    x = parse_number(v, notes, MAX_COUNT)
    if x is None:
        return None
    if abs(x - round(x)) > 1e-9:
        raise CellError(MSG_NOT_INT)
    return int(round(x))


def parse_year(v: object, notes: Counter) -> int | None:
    if isinstance(v, str):
        s = fw_to_ascii(v).strip()
        if s.endswith("年"):
            s = s[:-1]
        v = s
    try:
        y = parse_int(v, notes)
    except CellError:
        raise CellError(MSG_BAD_YEAR) from None
    if y is not None and not 1000 <= y <= 9999:
        raise CellError(MSG_BAD_YEAR)
    return y


def parse_date(v: object, notes: Counter) -> pd.Timestamp | None:
    """A date cell → midnight Timestamp (None for blank); raises CellError when unreadable."""
    if _blank(v):
        return None
    if isinstance(v, bool):
        raise CellError(MSG_BAD_DATE)
    if isinstance(v, dt.date):  # date, datetime, Timestamp
        if not DATE_YEARS[0] <= v.year <= DATE_YEARS[1]:
            raise CellError(MSG_DATE_YEARS)
        return pd.Timestamp(v).normalize()
    if isinstance(v, int | float | np.integer | np.floating):
        x = float(v)
        if x.is_integer() and 19000101 <= x <= 21001231:
            return parse_date(str(int(x)), notes)
        if 1 <= x < 2958466:  # an Excel serial date (a number-formatted date cell)
            notes["Excel 日期序号转为日期"] += 1
            return EXCEL_EPOCH + pd.Timedelta(days=int(math.floor(x)))
        raise CellError(MSG_BAD_DATE)
    s = fw_to_ascii(str(v)).replace("\u3000", " ").strip()
    s = re.sub(r"\s+", " ", s).replace("．", ".").replace("／", "/")
    for rx, label in _DATE_RES:
        m = rx.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if not DATE_YEARS[0] <= y <= DATE_YEARS[1]:
                raise CellError(MSG_DATE_YEARS)
            try:
                ts = pd.Timestamp(dt.date(y, mo, d))
            except ValueError:
                raise CellError(MSG_NO_DATE) from None
            if label:
                notes[f"“{label}”格式的日期"] += 1
            elif s != str(v).strip():
                notes["全角数字改为半角"] += 1
            return ts
    raise CellError(MSG_BAD_DATE)


def parse_str(v: object, notes: Counter) -> str | None:
    if _blank(v):
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date | pd.Timestamp):
        return show(v)
    s = str(v).replace("\u3000", " ").strip()
    if (m := _INVISIBLE_RX.search(s)) is not None:
        raise CellError(MSG_CONTROL.format(code=f"U+{ord(m.group(0)):04X}"))
    if _has_fw(s):
        notes["全角数字/字母改为半角"] += 1
        s = fw_to_ascii(s)
    return s


def map_choice(f: Field, value: str | None, notes: Counter) -> str | None:
    """Map accepted spellings of a choice value to the canonical one (unknown values pass
    through for the validator to refuse)."""
    if value is None:
        return None
    if f.name == "formula":
        # A key or the formula's Chinese name (what the template offers): no note, both are
        # normal spellings; the pack keeps the registry key.
        return resolve_formula(value) or value
    if f.choices is None:
        return value
    if value in f.choices:
        return value
    v = value.replace(" ", "")
    if v in f.choices:
        return v
    if f.choice_zh:  # 目标类型 written by its Chinese name (the template's drop-down)
        by_zh = {zh: key for key, zh in f.choice_zh.items()}
        if v in by_zh:
            return by_zh[v]
    if f.choices is vocab.SECTORS and v in vocab.SECTOR_ALIASES:
        canon = vocab.SECTOR_ALIASES[v]
        notes[f"行业领域“{value}”按“{canon}”处理"] += 1
        return canon
    for suf in _CHOICE_SUFFIXES:
        if v.endswith(suf) and v[: -len(suf)] in f.choices:
            canon = v[: -len(suf)]
            notes[f"{f.zh}“{value}”按“{canon}”处理"] += 1
            return canon
    return value


# --- header ------------------------------------------------------------------------------


def _header_map(ledger: Ledger) -> dict[str, Field]:
    return {norm_name(h): f for f in ledger.fields for h in f.headers}


def _score(row: list[object], hmap: dict[str, Field]) -> int:
    return len(
        {hmap[norm_name(c)].name for c in row if isinstance(c, str) and norm_name(c) in hmap}
    )


def _looks_like_data(row: list[object]) -> bool:
    for c in row:
        if isinstance(c, int | float | dt.date | dt.datetime) and not isinstance(c, bool):
            return True
        if isinstance(c, str) and _NUM_RE.match(fw_to_ascii(c).replace(",", "").strip() or "x"):
            return True
    return False


def _nonblank(row: list[object]) -> int:
    return sum(not _blank(c) for c in row)


def _expected(ledger: Ledger) -> str:
    return "、".join(f.zh for f in ledger.fields if f.required)


def locate_header(src: Source) -> tuple[int | None, list[Problem], str | None]:
    """Index (into ``src.rows``) of the header row, or None with a problem; plus a note when
    title rows above it were skipped."""
    lg = src.ledger
    hmap = _header_map(lg)
    rows = src.head(HEADER_SCAN_ROWS + 1)  # the scanned rows and the one below the last
    need = min(2, len(lg.fields))
    at = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if _score(row, hmap) >= need:
            at = i
            break
    excel = src.first_row
    if at is None:
        first = next((r for r in src.iter_rows() if _nonblank(r)), None)
        if first is None:
            return (
                None,
                [Problem(src.file, "工作表是空的（没有表头和数据）", sheet=src.sheet)],
                None,
            )
        shown = "、".join(show(c) for c in first if not _blank(c))[:60]
        return (
            None,
            [
                Problem(
                    src.file,
                    f"找不到表头：前{HEADER_SCAN_ROWS}行中没有可识别的列名（第一行非空内容为“{shown}”）；"
                    f"第1行应为列名，如：{_expected(lg)}",
                    sheet=src.sheet,
                )
            ],
            None,
        )
    probs: list[Problem] = []
    note = None
    english = {f.name.casefold(): f for f in lg.fields}
    for i, what in ((at + 1, "下面"), (at - 1, "上面")):
        if 0 <= i < len(rows):
            names = [show(c) for c in rows[i] if isinstance(c, str) and c.strip()]
            hits = [n for n in names if n.casefold() in english]
            if len(hits) >= 2 and len(hits) * 2 >= len(names):
                probs.append(
                    Problem(
                        src.file,
                        f"两行表头：第{excel + at}行是中文列名，{what}的第{excel + i}行是英文字段名"
                        f"（{'、'.join(hits[:6])}）；只保留中文列名这一行，删除第{excel + i}行",
                        sheet=src.sheet,
                        row=excel + i,
                    )
                )
                return None, probs, note
    if at > 0:
        busy = [i for i in range(at) if _nonblank(rows[i]) > 1]
        if busy:
            i = busy[0]
            probs.append(
                Problem(
                    src.file,
                    f"表头不在第1行，且表头上方第{excel + i}行有多个单元格（多行表头或合并表头）；"
                    f"请删除表头上方的行，只保留一行列名（第{excel + at}行）",
                    sheet=src.sheet,
                    row=excel + i,
                )
            )
        else:
            span = f"{excel}" if at == 1 else f"{excel}–{excel + at - 1}"
            note = f"跳过表头上方的标题行（第{span}行）"
    if at + 1 < len(rows):
        nxt, hdr = rows[at + 1], rows[at]
        # a second header row: a known column name under a blank or unknown header cell
        # (the "伤亡情况" over "死亡 | 重伤" pattern of merged headers)
        sub = [
            j
            for j, c in enumerate(nxt)
            if isinstance(c, str)
            and norm_name(c) in hmap
            and (j >= len(hdr) or _blank(hdr[j]) or norm_name(hdr[j]) not in hmap)
        ]
        if sub and not _looks_like_data(nxt):
            names = "、".join(show(c) for c in nxt if not _blank(c))[:60]
            probs.append(
                Problem(
                    src.file,
                    f"两行表头（合并表头）：第{excel + at}行和第{excel + at + 1}行都是列名（“{names}”）；"
                    "请合并为一行表头，每列一个列名，如“死亡”“重伤”",
                    sheet=src.sheet,
                    row=excel + at + 1,
                )
            )
    return (None if probs else at), probs, note


# --- what calamine reads silently wrong --------------------------------------------------

MSG_UNCALCULATED = (
    "公式没有保存计算结果（工作簿由程序生成或从未重新计算，读出来是空白）："
    "请在 Excel 中打开并保存以计算公式"
)


def _excel_cell_problems(
    src: Source, header_row: int, cols: dict[str, int], failed: set[tuple[int, str]]
) -> list[Problem]:
    """Merged cells in or below the header row, and formulas without a saved result in a
    column that is read (both found by ``xlsx.scan_workbook``; calamine reads them as blanks)."""
    from planeval.data.xlsx import col_letters, merge_ref

    if not src.merged and not src.uncalculated:
        return []
    lg = src.ledger
    by_col = {j + 1: lg.field(name) for name, j in cols.items()}  # 1-based column -> field
    probs: list[Problem] = []
    for m in sorted(src.merged):
        r1, c1, r2, c2 = m
        if r2 < header_row:
            continue  # a title above the header (skipped, see locate_header)
        fields = [by_col[c] for c in range(c1, c2 + 1) if c in by_col]
        ref = merge_ref(m)
        if r1 <= header_row:
            if c2 == c1:
                continue  # one column merged down from the header: its data rows are caught below
            lost = "、".join(f"{col_letters(c)}列" for c in range(c1 + 1, c2 + 1))
            probs.append(
                Problem(
                    src.file,
                    f"表头单元格 {ref} 是合并单元格：合并后只有 {col_letters(c1)} 列有列名，"
                    f"{lost}的列名读不到，这些列的数据会丢失；请取消合并，每列写一个列名"
                    "（如“死亡”“失踪”“重伤”各占一列）",
                    sheet=src.sheet,
                    row=header_row,
                    column=fields[0].label if fields else None,
                )
            )
            if r2 == header_row:
                continue
        if not fields:
            continue  # only columns that are not read
        top = max(r1, header_row + 1)
        failed.update((r, f.name) for r in range(top + 1, r2 + 1) for f in fields)
        probs.append(
            Problem(
                src.file,
                f"单元格 {ref} 是合并单元格：只有左上角的单元格有值，其余单元格读作空白；"
                "请取消合并，并在每一行、每一列填写各自的值",
                sheet=src.sheet,
                row=top,
                column=fields[0].label,
            )
        )
    for r, c, formula in src.uncalculated:
        f = by_col.get(c)
        if r <= header_row or f is None:
            continue
        probs.append(
            Problem(
                src.file,
                MSG_UNCALCULATED,
                sheet=src.sheet,
                row=r,
                column=f.label,
                value=f"={formula}" if formula else "（共享公式）",
            )
        )
        failed.add((r, f.name))
    return probs


# --- table -------------------------------------------------------------------------------

_PARSERS = {
    "int": parse_int,
    "float": parse_number,
    "date": parse_date,
    "year": parse_year,
    "str": parse_str,
}
_PARSE_DTYPES = {"int": "Int64", "year": "Int64", "float": "float64", "date": "datetime64[ns]"}


def normalise(src: Source) -> Parsed:
    """Read ``src``'s header, drop blank/total rows and parse every cell of known columns."""
    lg = src.ledger
    out = Parsed(source=src, frame=None)
    at, probs, title_note = locate_header(src)
    out.problems += probs
    if at is None:
        return out
    if title_note:
        out.notes[title_note] += 1
    for note in src.read_notes:
        out.notes[note] += 1
    excel0 = src.first_row
    header_row = excel0 + at
    hmap = _header_map(lg)
    cols: dict[str, int] = {}  # field name -> column position
    for j, h in enumerate(src.head(at + 1)[at]):
        if _blank(h):
            continue
        f = hmap.get(norm_name(h))
        if f is None:
            out.problems.append(
                Problem(
                    src.file,
                    "未知列，已忽略（不是该台账的字段）",
                    sheet=src.sheet,
                    row=header_row,
                    column=show(h),
                    severity="warning",
                )
            )
            continue
        if f.name in cols:
            out.problems.append(
                Problem(
                    src.file,
                    f"列“{f.label}”出现了两次（第{cols[f.name] + 1}列和第{j + 1}列），请只保留一列",
                    sheet=src.sheet,
                    row=header_row,
                    column=show(h),
                )
            )
            continue
        cols[f.name] = j
    for f in lg.fields:
        if f.required and f.name not in cols:
            out.problems.append(
                Problem(
                    src.file,
                    f"缺少必填列；可接受的列名写法：{'、'.join(f.headers)}",
                    sheet=src.sheet,
                    row=header_row,
                    column=f.label,
                )
            )
    if any(p.severity == "error" for p in out.problems):
        return out
    # reported with the cell problems, and the cells they blank are not reported again as empty
    excel_problems = _excel_cell_problems(src, header_row, cols, out.failed)

    # Column-wise: every column is factorised into its distinct raw cells, each distinct cell
    # is judged (blank? a 合计 label?) and parsed once, and the answers are spread back over the
    # rows. Notes, problems and dropped rows come out exactly as a row-by-row scan makes them:
    # counts per cell, problems in row-then-column order, notes in order of first appearance.
    columns = src.columns(at + 1)
    n = len(columns[0]) if columns else 0
    excel_rows = np.arange(excel0 + at + 1, excel0 + at + 1 + n, dtype=np.int64)
    coded = [_factorize(c) for c in columns]
    all_blank = np.ones(n, dtype=bool)
    total = np.zeros(n, dtype=bool)
    for codes, uniq in coded:
        is_blank, is_total = _judge(uniq)
        all_blank &= is_blank[codes]
        if is_total.any():
            total |= is_total[codes]
    used_blank = np.ones(n, dtype=bool)
    for j in cols.values():
        codes, uniq = coded[j]
        used_blank &= _judge(uniq)[0][codes]
    blank_rows = all_blank | (~total & used_blank)
    total_rows = total & ~all_blank
    # A 合计/小计 label alone does not make a total row: its shape must (no text, date or year
    # besides the label; its numbers are checked against the rows' sums once they are parsed).
    shaped, real = _total_shapes(lg, cols, columns, np.flatnonzero(total_rows))
    for i, filled in real:
        total_rows[i] = False
        blank_rows[i] = False
        out.problems.append(
            Problem(
                src.file,
                f"这一行有“合计/小计”字样，但填有{'、'.join(f.zh for f in filled[:3])}，"
                "不像合计行，按普通记录读取",
                sheet=src.sheet,
                row=int(excel_rows[i]),
                severity="warning",
            )
        )
    for reason, mask in sorted(
        (("空行", blank_rows), ("合计/小计行", total_rows)),
        key=lambda rm: int(np.argmax(rm[1])) if rm[1].any() else n,
    ):
        if mask.any():
            out.dropped_rows[reason] = excel_rows[mask].tolist()
    keep = np.flatnonzero(~(blank_rows | total_rows))
    index = excel_rows[keep]
    del all_blank, total, used_blank, blank_rows, total_rows

    note_count: Counter = Counter()
    note_first: dict[str, tuple[int, int, int]] = {}
    cell_problems: list[tuple[int, int, Problem]] = []
    series: dict[str, pd.Series] = {}
    for fi, f in enumerate(lg.fields):
        j = cols.get(f.name)
        if j is None:  # an optional column the sheet lacks: every cell blank
            codes, uniq = np.zeros(len(keep), dtype=np.intp), [None]
        else:
            codes, uniq = coded[j][0][keep], coded[j][1]
        counts = np.bincount(codes, minlength=len(uniq))
        values, deltas, errors = _parse_distinct(f, uniq, counts > 0)
        if deltas or errors:
            seen, first_at = np.unique(codes, return_index=True)
            first = dict(zip(seen.tolist(), first_at.tolist(), strict=True))
            for k, delta in deltas.items():
                for seq, (note, c) in enumerate(delta.items()):
                    note_count[note] += c * int(counts[k])
                    key = (first[k], fi, seq)
                    if note not in note_first or key < note_first[note]:
                        note_first[note] = key
            if errors:
                bad = np.flatnonzero(np.isin(codes, list(errors)))
                for pos, k in zip(bad.tolist(), codes[bad].tolist(), strict=True):
                    excel = int(index[pos])
                    cell_problems.append(
                        (
                            pos,
                            fi,
                            Problem(
                                src.file,
                                errors[k],
                                sheet=src.sheet,
                                row=excel,
                                column=f.label,
                                value=show(uniq[k]),
                            ),
                        )
                    )
                    out.failed.add((excel, f.name))
        col = _column(values, f.kind, list(range(len(values)))).take(codes)
        col.index = pd.Index(index, dtype="int64")
        series[f.name] = col
    for note in sorted(note_first, key=note_first.__getitem__):
        out.notes[note] += note_count[note]
    cell_problems.sort(key=lambda t: (t[0], t[1]))
    out.problems += excel_problems + [p for _, _, p in cell_problems]
    frame = pd.DataFrame(series, index=pd.Index(index, dtype="int64", name="_row"))
    out.problems += _check_totals(src, frame, shaped, excel_rows, out.failed)
    out.frame = frame
    return out


# Ledgers whose number column mixes measures (年度汇总.数值, 指标.目标值): a sum of it means
# nothing, so a total row there is told by its shape alone (no year, no measure, no code).
NO_COLUMN_SUMS = frozenset({"annual", "indicators"})


def _total_label(v: object) -> bool:
    return (
        isinstance(v, str) and "计" in v and _TOTAL_RE.match(norm_name(fw_to_ascii(v))) is not None
    )


def _total_shapes(
    lg: Ledger, cols: dict[str, int], columns: list[Sequence[object]], cand: np.ndarray
) -> tuple[list[tuple[int, dict[str, object]]], list[tuple[int, list[Field]]]]:
    """Split rows with a 合计 label into total-shaped ones (grid index, raw numbers by field) and
    real records (grid index, the text/date fields they fill)."""
    shaped, real = [], []
    for i in cand.tolist():
        nums: dict[str, object] = {}
        filled: list[Field] = []
        for f in lg.fields:
            j = cols.get(f.name)
            if j is None:
                continue
            v = columns[j][i]
            if _blank(v) or _total_label(v):
                continue
            if f.kind in ("int", "float"):
                nums[f.name] = v
            else:
                filled.append(f)
        (real.append((i, filled)) if filled else shaped.append((i, nums)))
    return shaped, real


def _check_totals(
    src: Source,
    frame: pd.DataFrame,
    shaped: list[tuple[int, dict[str, object]]],
    excel_rows: np.ndarray,
    failed: set[tuple[int, str]],
) -> list[Problem]:
    """A total-shaped row's numbers must each be the sum of the records above it (since the
    previous total row, or all of them) or below it; otherwise it may be a record with its
    编号 and date missing, and dropping it would lose it silently."""
    probs: list[Problem] = []
    if src.ledger.key in NO_COLUMN_SUMS:
        return probs
    at = [int(excel_rows[i]) for i, _ in shaped]
    bad_fields = {name for _, name in failed}
    for k, (_, nums) in enumerate(shaped):
        r = at[k]
        lo = at[k - 1] if k else -1
        hi = at[k + 1] if k + 1 < len(at) else 1 << 62
        for name, raw in nums.items():
            if name in bad_fields or name not in frame:
                continue
            try:
                x = parse_number(raw, Counter())
            except CellError:
                continue
            col = frame[name].astype("float64")
            idx = col.index
            sums = [
                col[(idx > lo) & (idx < r)].sum(),
                col[idx < r].sum(),
                col[(idx > r) & (idx < hi)].sum(),
                col[idx > r].sum(),
            ]
            if any(abs(x - s_) <= max(0.01, 1e-9 * abs(s_)) for s_ in sums):
                continue
            f = src.ledger.field(name)
            probs.append(
                Problem(
                    src.file,
                    f"这一行像是合计行（有“合计/小计”字样，没有编号、日期等），但{f.zh} {show(x)} "
                    f"不等于上面各行之和 {show(round(float(sums[1]), 4))}：若是合计行请删除它；"
                    "若是一条真实记录，请补全编号、日期等",
                    sheet=src.sheet,
                    row=r,
                    column=f.label,
                    value=show(raw),
                )
            )
    return probs


def _factorize(col: Sequence[object]) -> tuple[np.ndarray, list[object]]:
    """``col``'s cells as codes into a list of its distinct cells (missing → ``""``).

    Distinct means distinct in type and value: ``1``, ``1.0`` and ``True`` read differently.
    """
    if isinstance(col, pd.Series) and col.dtype != object:
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        uniques = list(uniq.tolist())  # Python scalars / Timestamps, as a cell-by-cell read sees
    else:
        arr = np.asarray(col, dtype=object)
        types = np.fromiter(map(type, arr), dtype=object, count=len(arr))
        tcodes, tuniq = pd.factorize(types)
        if len(tuniq) <= 1:
            codes, u = pd.factorize(arr, use_na_sentinel=True)
            uniques = list(u)
        else:
            codes = np.empty(len(arr), dtype=np.intp)
            uniques = []
            for t in range(len(tuniq)):
                at = np.flatnonzero(tcodes == t)
                c, u = pd.factorize(arr[at], use_na_sentinel=True)
                codes[at] = np.where(c < 0, -1, c + len(uniques))
                uniques.extend(u)
    codes = np.asarray(codes, dtype=np.intp)
    if (codes < 0).any():
        codes[codes < 0] = len(uniques)
        uniques.append("")
    return codes, uniques


def _judge(uniq: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct cell: blank? a 合计/小计/总计/共计 label?"""
    blank = np.fromiter(map(_blank, uniq), dtype=bool, count=len(uniq))
    total = np.fromiter(map(_total_label, uniq), dtype=bool, count=len(uniq))
    return blank, total


_FW_RX = "[" + "".join(chr(c) for c in _FW_TABLE) + "]"


def _parse_distinct(
    f: Field, uniq: list[object], wanted: np.ndarray
) -> tuple[list[object], dict[int, Counter], dict[int, str]]:
    """Parse the distinct cells ``uniq[k]`` with ``wanted[k]`` as field ``f``: the values
    (None where blank, failed or not wanted), the notes each one makes, the error of each that
    fails."""
    values: list[object] = [None] * len(uniq)
    deltas: dict[int, Counter] = {}
    errors: dict[int, str] = {}
    todo = np.flatnonzero(wanted).tolist()
    if f.kind == "str" and len(todo) > 1000 and all(isinstance(uniq[k], str) for k in todo):
        todo = _parse_many_str(f, uniq, todo, values, deltas)
    parser = _PARSERS[f.kind]
    notes: Counter = Counter()
    for k in todo:
        try:
            v = parser(uniq[k], notes)
            if f.kind == "str":
                v = map_choice(f, v, notes)
        except CellError as e:
            errors[k] = str(e)
            v = None
        values[k] = v
        if notes:
            deltas[k] = notes
            notes = Counter()
    return values, deltas, errors


def _parse_many_str(
    f: Field, uniq: list[object], todo: list[int], values: list[object], deltas: dict[int, Counter]
) -> list[int]:
    """:func:`parse_str` + :func:`map_choice` of many distinct text cells, vectorised; returns
    the ones left to the cell-by-cell parser (full-width characters: they make a note)."""
    raw = pd.Series([uniq[k] for k in todo], dtype=object)
    text = raw.str.replace("\u3000", " ", regex=False).str.strip()
    slow = text.str.contains(_FW_RX, regex=True).to_numpy(dtype=bool)
    slow = slow | text.str.contains(_INVISIBLE_RX.pattern, regex=True).to_numpy(dtype=bool)
    blank = (text == "").to_numpy(dtype=bool)
    mapped = f.name == "formula" or f.choices is not None
    rest = []
    notes: Counter = Counter()
    for k, t, is_slow, is_blank in zip(todo, text.tolist(), slow, blank, strict=True):
        if is_slow:
            rest.append(k)
        elif not is_blank:
            values[k] = map_choice(f, t, notes) if mapped else t
            if notes:
                deltas[k] = notes
                notes = Counter()
    return rest


def _column(values: list, kind: str, index: list[int]) -> pd.Series:
    idx = pd.Index(index, dtype="int64")
    if kind == "str":
        return pd.Series([np.nan if v is None else v for v in values], index=idx, dtype="str")
    if kind == "date":
        return pd.Series(
            [pd.NaT if v is None else v for v in values], index=idx, dtype="datetime64[ns]"
        )
    if kind in ("int", "year"):
        return pd.Series([pd.NA if v is None else v for v in values], index=idx, dtype="Int64")
    return pd.Series([np.nan if v is None else v for v in values], index=idx, dtype="float64")


def describe_notes(parsed: Parsed) -> list[str]:
    """Human-readable lines for the load summary (one per kind of normalisation)."""
    zh = parsed.ledger.zh
    lines = []
    for reason, rows in parsed.dropped_rows.items():
        shown = "、".join(str(r) for r in rows[:8]) + ("…" if len(rows) > 8 else "")
        lines.append(f"{zh}：删除{reason} {len(rows)} 行（第{shown}行）")
    for note, n in parsed.notes.items():
        whole = note.startswith(("跳过", "CSV"))  # said of the whole sheet, not counted per cell
        lines.append(f"{zh}：{note}" if whole else f"{zh}：{note}（{n}处）")
    return lines


__all__ = ["Parsed", "normalise", "describe_notes", "parse_date", "parse_number"]
