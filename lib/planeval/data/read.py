"""Find the ledgers in a pack folder and read their raw cells.

Nothing here interprets values: a ledger comes back as a grid of raw cells (what Excel, the CSV
or the Parquet file holds), with the Excel row number of its first row, so that normalising and
validation can name the exact cell they object to.

Folder layout (see README):

- ``*.xlsx`` whose name is not a ledger name: a workbook, one sheet per ledger (sheet named by the
  ledger's Chinese name or one of its aliases in ``schema.py``); other sheets are ignored with a
  warning.
- ``<ledger>.xlsx`` / ``<ledger>.csv`` / ``<ledger>.parquet``: one file per ledger.
- ``notes/<section-id>.md``: analyst notes; ``notes/suppress.yaml``: finding id → reason.
- ``~$…`` (Excel lock files), hidden files and ``README*`` are ignored.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planeval.data import xlsx
from planeval.data.pack import Problem
from planeval.data.schema import LEDGERS, Ledger

EXCEL_EXT = {".xlsx", ".xlsm"}
TABLE_EXT = EXCEL_EXT | {".csv", ".parquet"}
UNSUPPORTED_SHEET_EXT = {".xls", ".et", ".ods", ".numbers", ".wps", ".xlsb"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def norm_name(text: object) -> str:
    """Normalise a sheet, file or header name for matching: NFKC (full-width → half-width
    parentheses, digits, letters), no whitespace, no ``*`` required-marks, case-folded."""
    t = unicodedata.normalize("NFKC", str(text))
    t = "".join(ch for ch in t if not ch.isspace() and ch != "*")
    return t.casefold()


# The instructions sheet that ``planeval make-template`` writes: skipped without a warning
# (any other non-ledger sheet still gets one).
GUIDE_SHEET = "说明"

LEDGER_BY_NORM_NAME: dict[str, Ledger] = {norm_name(n): lg for lg in LEDGERS for n in lg.names}


def ledger_for(name: str) -> Ledger | None:
    """The ledger a sheet or file stem names, or None."""
    return LEDGER_BY_NORM_NAME.get(norm_name(name))


@dataclass
class Source:
    """One ledger's raw table: grid row 0 is Excel row ``first_row`` (1 for sheets and CSV).

    The grid is held row by row (``rows``: Excel, CSV) or, for Parquet, column by column
    (``table``: the file's frame as read; grid row 0 is its column names, grid row ``i`` its
    row ``i - 1`` with missing values as ``""``). :meth:`head`, :meth:`iter_rows` and
    :meth:`columns` read either form the same way; ``rows`` is None for a ``table`` source.
    """

    ledger: Ledger
    file: str  # path relative to the pack root, as messages show it
    sheet: str | None  # worksheet name; None for CSV / Parquet
    rows: list[list[object]] | None
    first_row: int = 1
    table: pd.DataFrame | None = None
    # Excel only (see ``xlsx.py``): merged ranges (row1, col1, row2, col2) and formula cells
    # without a saved result (row, col, formula), rows and columns 1-based as Excel counts.
    merged: tuple[tuple[int, int, int, int], ...] = ()
    uncalculated: tuple[tuple[int, int, str], ...] = ()
    read_notes: tuple[str, ...] = ()  # how the file was read, for the load summary

    def header_only(self) -> bool:
        """Nothing below the first row with two or more cells (an unfilled template sheet)."""
        if self.table is not None:
            return len(self.table) == 0
        seen_header = False
        for row in self.rows or ():
            n = sum(1 for c in row if _filled(c))
            if seen_header and n:
                return False
            if n >= 2:
                seen_header = True
        return True

    @property
    def where(self) -> str:
        return f"{self.file} › {self.sheet}" if self.sheet else self.file

    @property
    def n_rows(self) -> int:
        """Grid rows, header row(s) included."""
        if self.table is not None:
            return len(self.table) + 1
        return len(self.rows or ())

    def iter_rows(self, start: int = 0) -> Iterator[list[object]]:
        """Grid rows from ``start`` on, as lists of raw cells."""
        if self.table is None:
            yield from (self.rows or ())[start:]
            return
        if start == 0:
            yield [str(c) for c in self.table.columns]
        for rec in self.table.iloc[max(start - 1, 0) :].itertuples(index=False, name=None):
            yield ["" if _isna(v) else v for v in rec]

    def head(self, n: int) -> list[list[object]]:
        """The first ``n`` grid rows."""
        if self.table is None:
            return (self.rows or [])[:n]
        return list(itertools.islice(self.iter_rows(), n))

    def columns(self, start: int) -> list[Sequence[object]]:
        """Grid rows ``start``… column by column, every column as long as the longest row
        (short rows padded with ``""``, a blank cell): numpy object arrays, or for a ``table``
        source its columns as read (missing values stand for ``""``)."""
        if self.table is not None:
            if start < 1:
                raise ValueError("a table source's data starts at grid row 1")
            part = self.table.iloc[start - 1 :]
            return [part.iloc[:, j] for j in range(part.shape[1])]
        rows = (self.rows or [])[start:]
        width = max(map(len, self.rows or ()), default=0)
        if not rows:
            return [np.empty(0, dtype=object) for _ in range(width)]
        if any(len(r) != width for r in rows):
            rows = [r if len(r) == width else [*r, *[""] * (width - len(r))] for r in rows]
        grid = np.empty((len(rows), width), dtype=object)
        grid[:] = rows
        return [grid[:, j] for j in range(width)]


@dataclass
class Inventory:
    """What the pack folder holds, before anything is read."""

    root: Path
    tables: list[Path] = field(default_factory=list)  # spreadsheets / CSV / Parquet to read
    notes: dict[str, Path] = field(default_factory=dict)  # section id -> .md file
    suppress: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        """Every input file (for the cache key), in a stable order."""
        out = list(self.tables) + list(self.notes.values())
        if self.suppress is not None:
            out.append(self.suppress)
        return sorted(out, key=lambda p: p.relative_to(self.root).as_posix())


def _ignored(p: Path) -> bool:
    n = p.name
    return n.startswith("~$") or n.startswith(".") or n.upper().startswith("README")


def survey(path: str | Path) -> Inventory:
    """List the input files of the pack at ``path`` (a folder); problems instead of exceptions."""
    root = Path(path).expanduser()
    inv = Inventory(root=root)
    shown = str(path)
    if not root.exists():
        inv.problems.append(Problem(shown, "数据包目录不存在，请检查路径"))
        return inv
    if not root.is_dir():
        inv.problems.append(
            Problem(shown, "数据包应是一个目录（文件夹），其中放台账工作簿或每个台账一个文件")
        )
        return inv
    for p in sorted(root.iterdir()):
        if _ignored(p):
            continue
        if p.is_dir():
            if p.name == "notes":
                _survey_notes(p, inv)
            continue
        ext = p.suffix.lower()
        if ext in TABLE_EXT:
            if ext in {".csv", ".parquet"} and ledger_for(p.stem) is None:
                inv.problems.append(
                    Problem(
                        p.name,
                        "文件名不是已知台账名称，已忽略（CSV/Parquet 文件须以台账中文名命名，如“火灾.csv”）",
                        severity="warning",
                    )
                )
                continue
            inv.tables.append(p)
        elif ext in UNSUPPORTED_SHEET_EXT:
            inv.problems.append(
                Problem(p.name, f"不支持 {ext} 格式，请在 Excel/WPS 中另存为 .xlsx 后重试")
            )
        else:
            inv.problems.append(
                Problem(p.name, "不是台账文件（.xlsx/.csv/.parquet），已忽略", severity="warning")
            )
    if not inv.tables and not any(p.severity == "error" for p in inv.problems):
        inv.problems.append(
            Problem(
                shown,
                "数据包目录中没有找到任何台账文件（.xlsx 工作簿，或以台账名命名的 .xlsx/.csv/.parquet）",
            )
        )
    return inv


def _survey_notes(folder: Path, inv: Inventory) -> None:
    for p in sorted(folder.iterdir()):
        if _ignored(p) or not p.is_file():
            continue
        if p.name in {"suppress.yaml", "suppress.yml"}:
            inv.suppress = p
        elif p.suffix.lower() == ".md":
            inv.notes[p.stem] = p
        else:
            inv.problems.append(
                Problem(
                    f"notes/{p.name}",
                    "notes 目录只放 <章节id>.md 和 suppress.yaml，已忽略",
                    severity="warning",
                )
            )


def read_tables(inv: Inventory) -> tuple[list[Source], list[Problem]]:
    """Read every table file of ``inv`` into raw :class:`Source` grids."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for p in inv.tables:
        rel = p.relative_to(inv.root).as_posix()
        try:
            ext = p.suffix.lower()
            if ext in EXCEL_EXT:
                got, probs = _read_excel(p, rel)
            elif ext == ".csv":
                got, probs = _read_csv(p, rel), []
            else:
                got, probs = _read_parquet(p, rel), []
        except _Unreadable as e:
            problems.append(Problem(rel, str(e)))
            continue
        except Exception as e:  # a corrupt file must not end in a traceback
            problems.append(
                Problem(rel, f"无法读取文件（文件可能已损坏或格式不对）：{type(e).__name__}: {e}")
            )
            continue
        sources.extend(got)
        problems.extend(probs)
    # One source per ledger. A sheet with only its header (an unfilled template beside the filled
    # copy) does not count: it is dropped in favour of the one with data, and said so once per file.
    by_key: dict[str, list[Source]] = {}
    for s in sources:
        by_key.setdefault(s.ledger.key, []).append(s)
    empty_dropped: dict[str, list[str]] = {}
    for key, group in by_key.items():
        if len(group) > 1:
            filled = [s for s in group if not s.header_only()]
            if filled:  # the empty copies go; two filled copies are still refused below
                for s in group:
                    if s not in filled:
                        empty_dropped.setdefault(s.file, []).append(s.sheet or s.ledger.zh)
                by_key[key] = filled
            else:  # only empty copies: one is kept (it counts as not provided anyway)
                by_key[key] = group[:1]
    sources = [s for s in sources if s in by_key[s.ledger.key]]
    for file, sheets in empty_dropped.items():
        problems.append(
            Problem(
                file,
                f"{len(sheets)} 张工作表只有表头（{'、'.join(sheets[:5])}{'…' if len(sheets) > 5 else ''}），"
                "数据包中另有同名台账的数据，这些空表已忽略（多半是空白模板）",
                severity="warning",
            )
        )
    seen: dict[str, Source] = {}
    unique: list[Source] = []
    for s in sources:
        first = seen.get(s.ledger.key)
        if first is not None:
            problems.append(
                Problem(
                    s.file,
                    f"台账“{s.ledger.zh}”出现了两次（另一处：{first.where}），请只保留一处",
                    sheet=s.sheet,
                )
            )
            continue
        seen[s.ledger.key] = s
        unique.append(s)
    return unique, problems


class _Unreadable(Exception):
    pass


def _read_excel(p: Path, rel: str) -> tuple[list[Source], list[Problem]]:
    from python_calamine import CalamineWorkbook

    # The zip is scanned first: calamine must never see a sheet whose extent would make it
    # allocate beyond reason (it aborts the process from native code), and the scan also finds
    # hidden sheets, merged cells and formulas without a saved result, which calamine reads
    # silently as they are not.
    try:
        book = xlsx.scan_workbook(p)
    except xlsx.Refused as e:
        raise _Unreadable(str(e)) from None
    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as e:
        raise _Unreadable(
            f"无法打开 Excel 文件（文件可能已损坏，或不是 .xlsx 格式）：{e}"
        ) from None
    names = list(wb.sheet_names)
    own = ledger_for(p.stem)
    out: list[Source] = []
    probs: list[Problem] = []

    def take(lg: Ledger, name: str) -> None:
        facts = book.sheets.get(name)
        if facts is None:  # calamine sees a sheet the workbook's own index does not list
            probs.append(Problem(rel, "工作表在工作簿目录中找不到，无法安全读取", sheet=name))
            return
        if facts.hidden:
            probs.append(
                Problem(
                    rel,
                    "这是隐藏的工作表：其中的数据在 Excel 中看不到，却会进入报告。请在 Excel 中右键"
                    "工作表标签 →“取消隐藏”，核对数据后保存；不用的台账请删除该工作表",
                    sheet=name,
                )
            )
            return
        if facts.part is None:  # the workbook's index does not say where its cells are
            probs.append(
                Problem(
                    rel,
                    "工作簿目录中找不到这张工作表的数据，无法安全读取；请在 Excel 中另存为新文件后重试",
                    sheet=name,
                )
            )
            return
        if facts.too_big:
            row = xlsx.ref_row(facts.far_cell)
            probs.append(Problem(rel, facts.too_big, sheet=name, row=row))
            return
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out.append(
            Source(lg, rel, name, rows, merged=facts.merged, uncalculated=facts.uncalculated)
        )

    if own is not None:  # one file per ledger: its sheet is the ledger's, or the only sheet
        named = [n for n in names if ledger_for(n) is own]
        if named:
            pick = named[0]
        elif len(names) == 1:
            pick = names[0]
        else:
            raise _Unreadable(
                f"文件以台账“{own.zh}”命名，但有多个工作表且没有一个名为“{own.zh}”，无法确定读哪一个"
            )
        take(own, pick)
        return out, probs
    for name in names:
        lg = ledger_for(name)
        if lg is None and norm_name(name) == GUIDE_SHEET:
            continue
        if lg is None:
            facts = book.sheets.get(name)
            if facts is not None and facts.has_values and not facts.hidden:
                probs.append(
                    Problem(rel, "工作表名称不是已知台账，已忽略", sheet=name, severity="warning")
                )
            continue
        take(lg, name)
    if not out and not any(p.severity == "error" for p in probs):
        known = "、".join(lg.zh for lg in LEDGERS)
        probs.append(
            Problem(rel, f"工作簿中没有以台账名称命名的工作表（应为：{known}）", severity="warning")
        )
    return out, probs


def _read_csv(p: Path, rel: str) -> list[Source]:
    data = p.read_bytes()
    text, enc_note = _decode_csv(data)
    if text is None:
        raise _Unreadable("无法识别 CSV 文件的编码，请另存为 UTF-8 编码")
    delim = _sniff_delimiter(text)
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    notes = tuple(n for n in (enc_note, _DELIM_NOTES.get(delim)) if n)
    return [Source(ledger_for(p.stem), rel, None, rows, read_notes=notes)]  # type: ignore[arg-type]


_DELIM_NOTES = {";": "CSV 以分号“;”分隔，已按分号读取", "\t": "CSV 以制表符分隔，已按制表符读取"}


def _decode_csv(data: bytes) -> tuple[str | None, str | None]:
    """The text of a CSV, and a note when it was not UTF-8/GB18030 (Excel's "Unicode text" is
    UTF-16 with a byte-order mark)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "CSV 为 UTF-16 编码，已按 UTF-16 读取"
        except UnicodeDecodeError:
            return None, None
    head = data[:400]
    if len(head) >= 8 and head[1::2].count(0) > 0.4 * len(head[1::2]):  # UTF-16LE without BOM
        try:
            return data.decode("utf-16-le"), "CSV 为 UTF-16 编码，已按 UTF-16 读取"
        except UnicodeDecodeError:
            pass
    for enc in CSV_ENCODINGS:
        try:
            return data.decode(enc), None
        except UnicodeDecodeError:
            continue
    return None, None


def _sniff_delimiter(text: str) -> str:
    """``,`` unless the first non-blank line has no comma but semicolons or tabs (as Excel
    writes CSV where the decimal separator is a comma, or "Unicode text")."""
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    if counts[","] or not (counts[";"] or counts["\t"]):
        return ","
    return ";" if counts[";"] >= counts["\t"] else "\t"


def _read_parquet(p: Path, rel: str) -> list[Source]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
    except Exception as e:
        raise _Unreadable(f"无法读取 Parquet 文件（文件可能已损坏）：{e}") from None
    # kept column-wise: normalising reads it a column at a time (no per-cell Python objects)
    df = table.to_pandas()
    return [Source(ledger_for(p.stem), rel, None, None, table=df)]  # type: ignore[arg-type]


def _filled(v: object) -> bool:
    if v is None or _isna(v):
        return False
    return not (isinstance(v, str) and not v.replace("\u3000", " ").strip())


def _isna(v: object) -> bool:
    try:
        r = pd.isna(v)
        return bool(r) if not hasattr(r, "__len__") else False
    except (TypeError, ValueError):
        return False
