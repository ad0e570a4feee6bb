"""What an ``.xlsx`` workbook holds, read from its zip before the fast reader (calamine) opens it.

calamine is fast because it trusts the file: one stray cell at ``XFD1048576`` makes it allocate a
16 384 × 1 048 576 grid (512 GB) and the process dies in native code (SIGABRT, exit 134) before
any Python error handling runs. So every sheet calamine will read is scanned here first, streaming
its XML out of the zip with a byte budget and a few C-speed regular expressions (no XML parser,
no per-cell Python work on ordinary sheets), and refused when its extent or size is beyond what a
ledger can be. The same scan finds what calamine reads silently wrong:

- **hidden sheets** (``state="hidden"``/``"veryHidden"`` in ``workbook.xml``): their data cannot be
  seen in Excel but would go into the report;
- **merged cells** (``<mergeCell ref="F1:H1"/>``): calamine gives the value to the first cell
  only, so a merged header loses the names of the other columns and a merged data cell reads
  blank in every row but the first;
- **formulas without a saved result** (a cell with ``<f>`` and no ``<v>``, or any formula in a
  workbook flagged ``fullCalcOnLoad`` by the script that wrote it): calamine reads them as blank,
  and an optional count would silently become 0.

The scan's answers are facts (:class:`SheetScan`); the reader and the normaliser turn them into
located problems.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

# A ledger has at most ~15 columns; 256 (column IV, Excel 2003's last) leaves room for notes.
MAX_COLUMNS = 256
# Cells calamine may allocate for one sheet: a full Excel sheet of columns A–Z (1 048 576 rows ×
# 26, ~0.9 GB in calamine). The largest real ledger (1 048 576 rows × 13 columns) fits.
MAX_CELLS = 1_048_576 * 26
# Decompressed bytes of one part of the zip (a sheet's XML, the shared strings).
MAX_PART_BYTES = 1 << 30
# Decompressed bytes of workbook.xml / its relationships (a few KB in practice).
MAX_SMALL_PART_BYTES = 16 << 20
CHUNK = 8 << 20
_TAG_ENDS = (b" ", b">", b"/", b"\t", b"\n", b"\r")  # what may follow a tag name

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:sheet)
_MERGE = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\sref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_ATTR_R = re.compile(rb'\sr="([A-Z]+)(\d+)"')
_ATTR_T = re.compile(rb'\st="(\w+)"')
_ROOT = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?<([\w.-]+:)?worksheet\b")


def _fast_digits() -> int:
    """Row digits the fast path may let through: every cell within A1:Z(10**d - 1) must fit
    the limits (6 with the defaults: 26 × 999 999 ≤ :data:`MAX_CELLS`)."""
    d = 0
    while 26 * (10 ** (d + 1) - 1) <= MAX_CELLS and d < 7:
        d += 1
    return d if MAX_COLUMNS >= 26 else 0


@functools.cache
def _patterns(pfx: bytes, digits: int = 6) -> dict[str, re.Pattern[bytes]]:
    """The scan's expressions for worksheet tags with namespace prefix ``pfx`` (``b""``, ``b"x:"``)."""
    c, row, q = b"<" + pfx + b"c", b"<" + pfx + b"row", re.escape
    # with digits == 0 every cell tag is unusual: the exact path always
    fast = rb'(?! r="[A-Z]\d{1,%d}")' % digits if digits else b""
    unusual = q(c) + fast + rb"[\s>/]"
    return {
        # Fast path: a cell tag that is not `<c r="A1"…` with one letter and at most ``digits``
        # digits as first attribute. When no tag matches, every cell is within the limits.
        "unusual": re.compile(unusual),
        # Exact path: the column letters / row numbers of every cell with content (a self-closing
        # cell holds only a style; calamine skips it).
        "col": re.compile(q(c) + rb'\s(?:[^>]*?\s)?r="([A-Z]+)\d+"[^>]*(?<!/)>'),
        "row": re.compile(q(c) + rb'\s(?:[^>]*?\s)?r="[A-Z]+(\d+)"[^>]*(?<!/)>'),
        "no_r": re.compile(
            q(c) + rb"(?=[\s/>])(?![^>]*\sr=)|" + q(row) + rb"(?=[\s/>])(?![^>]*\sr=)"
        ),
        "tag": re.compile(rb"<" + q(pfx) + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>"),
        "f_open": re.compile(rb"<" + q(pfx) + rb"f[\s>/]"),
        "v": re.compile(rb"<" + q(pfx) + rb"v>([^<]*)</" + q(pfx) + rb"v>|<" + q(pfx) + rb"v\s*/>"),
        "f_text": re.compile(rb"<" + q(pfx) + rb"f\b[^>]*>([^<]*)</" + q(pfx) + rb"f>"),
    }


class Refused(Exception):
    """The workbook cannot be read safely; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class SheetScan:
    """One worksheet, as its XML describes it (rows and columns 1-based, as Excel counts)."""

    name: str
    state: str = "visible"  # visible | hidden | veryHidden
    part: str | None = None  # its member in the zip
    max_row: int = 0
    max_col: int = 0
    far_cell: str = ""  # the cell that sets the extent refused, e.g. XFD1048576
    has_values: bool = False
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row1, col1, row2, col2)
    uncalculated: tuple[tuple[int, int, str], ...] = ()  # (row, col, formula text)
    too_big: str | None = None  # why calamine must not read it (Chinese), or None

    @property
    def hidden(self) -> bool:
        return self.state != "visible"


@dataclass
class BookScan:
    """Every sheet of a workbook, in workbook order."""

    sheets: dict[str, SheetScan] = field(default_factory=dict)
    full_calc_on_load: bool = False


def col_number(letters: str | bytes) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16384."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letters(n: int) -> str:
    """1 → ``"A"``, 16384 → ``"XFD"``."""
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_number(m.group(1))


def _read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    with zf.open(name) as fh:
        data = fh.read(MAX_SMALL_PART_BYTES + 1)
    if len(data) > MAX_SMALL_PART_BYTES:
        raise Refused(
            f"工作簿内部文件 {name} 异常庞大，无法安全读取；请在 Excel 中另存为新文件后重试"
        )
    return data


def _attr(tag: bytes, name: bytes) -> str | None:
    m = re.search(rb"\s" + re.escape(name) + rb'="([^"]*)"', tag)
    return None if m is None else html.unescape(m.group(1).decode("utf-8", "replace"))


def _sheet_parts(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str, str | None]], bool]:
    """(name, state, zip member) per sheet in workbook order, and the fullCalcOnLoad flag."""
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        raise Refused("不是 .xlsx 工作簿（缺少 xl/workbook.xml）；请在 Excel 中另存为 .xlsx 后重试")
    wb = _read_small(zf, "xl/workbook.xml")
    rels: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for tag in re.findall(
            rb"<(?:[\w.-]+:)?Relationship\b[^>]*>", _read_small(zf, "xl/_rels/workbook.xml.rels")
        ):
            rid, target = _attr(tag, b"Id"), _attr(tag, b"Target")
            if rid and target:
                p = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                rels[rid] = str(PurePosixPath(*_normparts(p)))
    out = []
    for tag in re.findall(rb"<" + _P + rb"sheet\b[^>]*>", wb):
        name = _attr(tag, b"name")
        if name is None:
            continue
        state = _attr(tag, b"state") or "visible"
        rid = _attr(tag, b"r:id")
        if rid is None and (m := re.search(rb'\s[\w.-]+:id="([^"]*)"', tag)):
            rid = m.group(1).decode()
        part = rels.get(rid or "")
        out.append((name, state, part if part in names else None))
    calc = re.search(rb"<" + _P + rb"calcPr\b[^>]*>", wb)
    full = bool(calc and re.search(rb'\sfullCalcOnLoad="(1|true)"', calc.group(0)))
    return out, full


def _normparts(p: str) -> list[str]:
    parts: list[str] = []
    for s in p.split("/"):
        if s == "..":
            if parts:
                parts.pop()
        elif s and s != ".":
            parts.append(s)
    return parts or ["."]


def _last_tag_start(buf: bytes, pfx: bytes) -> int:
    """Where the last cell or row tag of ``buf`` starts (-1 if none); looks near the end first
    (``rfind`` of an absent pattern reads the whole buffer)."""
    tags = [b"<" + pfx + t + e for t in (b"c", b"row") for e in _TAG_ENDS]
    for lo in (max(0, len(buf) - (1 << 16)), 0):
        cut = max(buf.rfind(t, lo) for t in tags)
        if cut >= 0 or lo == 0:
            return cut
    return -1


def _chunks(zf: zipfile.ZipFile, name: str, pfx: bytes = b""):
    """The member's bytes in pieces that end before a cell or row starts (so no cell is cut),
    refused past :data:`MAX_PART_BYTES`."""
    seen = 0
    tail = b""
    with zf.open(name) as fh:
        while True:
            data = fh.read(CHUNK)
            seen += len(data)
            if seen > MAX_PART_BYTES:
                raise Refused(
                    f"工作表数据超过 {MAX_PART_BYTES >> 20} MB（解压后），无法安全读取；"
                    "请把台账拆分为按年份的多个文件"
                )
            if not data:
                if tail:
                    yield tail
                return
            buf = tail + data
            cut = _last_tag_start(buf, pfx)
            if cut <= 0:
                cut = buf.rfind(b"<")
            if cut <= 0:
                if len(buf) > 64 << 20:  # one tag of 64 MB: not a worksheet
                    raise Refused(
                        "工作表的 XML 结构异常，无法安全读取；请在 Excel 中另存为新文件后重试"
                    )
                tail = buf
                continue
            yield buf[:cut]
            tail = buf[cut:]


def _prefix(zf: zipfile.ZipFile, part: str) -> bytes:
    with zf.open(part) as fh:
        head = fh.read(4096)
    m = _ROOT.match(head)
    return (m.group(1) or b"") if m else b""


def _scan_sheet(
    zf: zipfile.ZipFile, name: str, state: str, part: str, full_calc: bool
) -> SheetScan:
    pfx = _prefix(zf, part)
    pat = _patterns(pfx, _fast_digits())
    has_values = has_formulas = False
    merged: list[tuple[int, int, int, int]] = []
    uncalc: list[tuple[int, int, str]] = []
    unusual = False
    for chunk in _chunks(zf, part, pfx):
        if not has_values and (b"<" + pfx + b"v>" in chunk or b"<" + pfx + b"is>" in chunk):
            has_values = True
        if not unusual and pat["unusual"].search(chunk):
            unusual = True
        if b"mergeCell" in chunk:
            for ref in _MERGE.findall(chunk):
                a, _, b = ref.decode().partition(":")
                (r1, c1), (r2, c2) = _cell(a), _cell(b or a)
                if (r1, c1) != (r2, c2):
                    merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        if has_formulas or b"</" + pfx + b"f>" in chunk:
            has_formulas = True
            uncalc += _uncalculated(chunk, pfx, pat, full_calc)
    max_row = max_col = 0
    far = ""
    if unusual:  # a second, exact pass: only wide, very long or unusually written sheets
        max_row, max_col, far = _extent(zf, part, pfx, pat)
    too_big = None
    if max_col > MAX_COLUMNS or max_row * max_col > MAX_CELLS:
        too_big = (
            f"工作表的内容延伸到单元格 {far}（共 {max_row} 行 × {max_col} 列），超出台账可读取的范围"
            f"（最多 {MAX_COLUMNS} 列、{MAX_CELLS // 10_000} 万个单元格）；多半是远处有一个误填的"
            f"单元格：请在 Excel 中删除单元格 {far} 所在的行或列后保存"
        )
    return SheetScan(
        name=name,
        state=state,
        part=part,
        max_row=max_row,
        max_col=max_col,
        far_cell=far if too_big else "",
        has_values=has_values,
        merged=tuple(merged),
        uncalculated=tuple(uncalc),
        too_big=too_big,
    )


def _uncalculated(
    chunk: bytes, pfx: bytes, pat: dict[str, re.Pattern[bytes]], full_calc: bool
) -> list[tuple[int, int, str]]:
    """Formula cells in ``chunk`` without a trustworthy saved result: (row, col, formula)."""
    out = []
    c_open, c_close = b"<" + pfx + b"c", b"</" + pfx + b"c>"
    for m in pat["f_open"].finditer(chunk):
        start = chunk.rfind(c_open, 0, m.start())
        end = chunk.find(c_close, m.start())
        if start < 0:
            continue
        tag_end = chunk.find(b">", start)
        attrs, body = (
            chunk[start + len(c_open) : tag_end],
            chunk[tag_end + 1 : end if end >= 0 else None],
        )
        rm = _ATTR_R.search(attrs)
        if rm is None:
            continue
        v = pat["v"].search(body)
        value = None if v is None else (v.group(1) or b"")
        t = _ATTR_T.search(attrs)
        cached = value is not None and (value != b"" or (t is not None and t.group(1) == b"str"))
        if cached and not full_calc:
            continue
        ft = pat["f_text"].search(body)
        text = html.unescape((ft.group(1) if ft else b"").decode("utf-8", "replace"))
        out.append((int(rm.group(2)), col_number(rm.group(1)), text))
    return out


def _extent(
    zf: zipfile.ZipFile, part: str, pfx: bytes, pat: dict[str, re.Pattern[bytes]]
) -> tuple[int, int, str]:
    """The exact last row and column holding a cell with content, and the cell that is
    farthest out (the one a message names)."""
    max_row = max_col = 0
    far_row = far_col = ""
    walk: dict[str, int] | None = None
    for chunk in _chunks(zf, part, pfx):
        if walk is None and pat["no_r"].search(chunk):
            walk = {"row": 0, "col": 0}
        if walk is not None:
            r, c, fr, fc = _walk(chunk, pat, walk)
        else:
            rows = set(pat["row"].findall(chunk))
            cols = set(pat["col"].findall(chunk))
            r = max(map(int, rows), default=0)
            c = max(map(col_number, cols), default=0)
            fr = fc = ""
            if r > max_row:
                m = re.search(rb'\sr="([A-Z]+' + str(r).encode() + rb')"', chunk)
                fr = m.group(1).decode() if m else f"A{r}"
            if c > max_col:
                m = re.search(rb'\sr="(' + col_letters(c).encode() + rb'\d+)"', chunk)
                fc = m.group(1).decode() if m else f"{col_letters(c)}1"
        if r > max_row:
            max_row, far_row = r, fr
        if c > max_col:
            max_col, far_col = c, fc
    far = far_col if max_col > MAX_COLUMNS else far_row
    return max_row, max_col, far


def _walk(
    chunk: bytes, pat: dict[str, re.Pattern[bytes]], pos: dict[str, int]
) -> tuple[int, int, str, str]:
    """Positions tag by tag, for rows or cells written without ``r=`` (their place follows from
    their order): max row, max column, and the cells that set them."""
    max_r = max_c = 0
    far_r = far_c = ""
    for m in pat["tag"].finditer(chunk):
        kind, attrs, closed = m.group(1), m.group(2), m.group(3)
        if kind == b"row":
            rm = re.search(rb'\sr="(\d+)"', attrs)
            pos["row"] = int(rm.group(1)) if rm else pos["row"] + 1
            pos["col"] = 0
            continue
        rm = _ATTR_R.search(attrs)
        if rm:
            pos["col"], row = col_number(rm.group(1)), int(rm.group(2))
        else:
            pos["col"], row = pos["col"] + 1, pos["row"]
        if closed:  # a style-only cell: calamine skips it
            continue
        ref = f"{col_letters(pos['col'])}{row}"
        if row > max_r:
            max_r, far_r = row, ref
        if pos["col"] > max_c:
            max_c, far_c = pos["col"], ref
    return max_r, max_c, far_r, far_c


def scan_workbook(path: str | Path, *, skip_hidden: bool = True) -> BookScan:
    """Scan every sheet of the ``.xlsx`` at ``path`` (hidden ones only by name and state).

    Parameters
    ----------
    path : the workbook.
    skip_hidden : do not read the XML of hidden sheets (nothing reads them).

    Returns
    -------
    BookScan

    Raises
    ------
    Refused
        Not a zip/xlsx, or a part of it decompresses beyond :data:`MAX_PART_BYTES`.
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise Refused(f"无法打开 Excel 文件（文件可能已损坏，或不是 .xlsx 格式）：{e}") from None
    with zf:
        for info in zf.infolist():
            if info.file_size > MAX_PART_BYTES:
                raise Refused(
                    f"工作簿内部文件 {info.filename} 解压后有 {info.file_size >> 20} MB，"
                    f"超过可安全读取的 {MAX_PART_BYTES >> 20} MB；请把台账拆分为按年份的多个文件"
                )
        sheets, full = _sheet_parts(zf)
        # calamine reads the shared strings when it opens the workbook: budget them too.
        if "xl/sharedStrings.xml" in zf.namelist():
            for _ in _chunks(zf, "xl/sharedStrings.xml"):
                pass
        book = BookScan(full_calc_on_load=full)
        for name, state, part in sheets:
            if part is None or (skip_hidden and state != "visible"):
                book.sheets[name] = SheetScan(name=name, state=state, part=part)
                continue
            try:
                book.sheets[name] = _scan_sheet(zf, name, state, part, full)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise Refused(f"工作表“{name}”已损坏，无法读取：{e}") from None
        return book


def merge_ref(m: tuple[int, int, int, int]) -> str:
    """``(1, 6, 1, 8)`` → ``"F1:H1"``."""
    r1, c1, r2, c2 = m
    return f"{col_letters(c1)}{r1}:{col_letters(c2)}{r2}"


def ref_row(ref: str) -> int | None:
    """``"XFD1048576"`` → 1048576 (None for an empty ref)."""
    m = re.fullmatch(r"[A-Z]*(\d+)", ref or "")
    return int(m.group(1)) if m else None
