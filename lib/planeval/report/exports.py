"""What a report ships beside its HTML for re-use: 附表.xlsx (every table) and figures/.

Both are read from what the report printed, so they agree with it by construction:

- :func:`report_tables` reads every captioned table of the finished ``report.html`` (caption,
  header rows, body, note, the section it sits in); :func:`write_tables_xlsx` writes them to
  ``附表.xlsx``, one sheet each after a 目录 sheet, numbers as numbers in their printed format,
  percentages as numbers with a % format, and any text that a spreadsheet would take for a
  formula (``=``, ``+``, ``-``, ``@``) stored as text with Excel's quote prefix.
- :func:`write_figures` writes each chart's PNG (300 dpi) and SVG from the executed notebooks
  (:mod:`planeval.charts.files`) to ``figures/图N_<title>.png|svg``.

Table and figure numbers come from one place, :func:`numbered`: the report's own 表N/图N when its
captions carry them (the stitched report numbers them over the whole report), else the order in
which the report shows them — the same order, so both agree.
"""

from __future__ import annotations

import base64
import functools
import re
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planeval.report.companions import ALL as ALL_COMPANIONS

if TYPE_CHECKING:
    from planeval.report.chapters import ChapterResult

TABLES_XLSX = "附表.xlsx"
FIGURES_DIR = "figures"
CHANGES_TXT = "本次变化.txt"
# Text a spreadsheet would evaluate (or treat as a formula) when it begins a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CAPTION_NUMBER = re.compile(r"^\s*([表图])\s*(\d*)\s*[　 :：.．]?\s*")
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−–]?)(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<pct>%?)$"
)
_UNIT = re.compile(r"[（(]\s*单位[:：]\s*([^）)]+)[）)]|单位[:：]\s*(\S+)")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILE_BAD = re.compile(r'[\\/:*?"<>|\s]+')


def row_labels(names: Sequence[str]) -> list[str]:
    """Each row's label: its name, and from the second row of the same name “名（第N行）”.

    >>> row_labels(["智慧应急工程", "智慧应急工程", "安全生产风险防控工程"])
    ['智慧应急工程', '智慧应急工程（第2行）', '安全生产风险防控工程']
    """
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}（第{seen[n]}行）")
    return out


@dataclass
class ReportTable:
    """One table as the report prints it (cell texts), with its number, caption and note."""

    number: int
    caption: str  # without 表N
    header: list[list[str]]
    body: list[list[str]]
    note: str = ""
    section: str = ""
    unit: str = ""

    @property
    def label(self) -> str:
        return f"表{self.number}"

    def cells(self) -> dict[tuple[str, str], str]:
        """``(row label, column label) → printed text``; the row label is the first cell, or
        the second when the first is only a 序号 (a number)."""
        cols = [
            " / ".join(dict.fromkeys(h[i] for h in self.header if h[i]))
            for i in range(len(self.header[0]) if self.header else 0)
        ]
        out: dict[tuple[str, str], str] = {}
        rows = [r for r in self.body if r]
        firsts = [1 if len(r) > 1 and r[0].strip().isdigit() else 0 for r in rows]
        labels = row_labels([r[f] for r, f in zip(rows, firsts, strict=True)])
        for row, first, label in zip(rows, firsts, labels, strict=True):
            for i, text in enumerate(row[first + 1 :], first + 1):
                col = cols[i] if i < len(cols) else f"第{i + 1}列"
                out[(label, col)] = text
        return out


@dataclass
class Numbering:
    """The report's table and figure captions in report order, numbers included."""

    tables: list[tuple[int, str]] = field(default_factory=list)
    figures: list[tuple[int, str]] = field(default_factory=list)


def _strip_number(text: str) -> tuple[str, int | None]:
    m = _CAPTION_NUMBER.match(text)
    if not m:
        return text.strip(), None
    return text[m.end() :].strip(), int(m.group(2)) if m.group(2) else None


def numbered(captions: Sequence[str]) -> list[tuple[int, str]]:
    """``[(N, caption without its number)]``: the captions' own numbers when they run 1, 2, …
    over the report (the stitched report's numbering), else their order.

    >>> numbered(["表1　甲", "表2　乙"])
    [(1, '甲'), (2, '乙')]
    >>> numbered(["表1　甲", "表1　乙", "丙"])
    [(1, '甲'), (2, '乙'), (3, '丙')]
    """
    parsed = [_strip_number(c) for c in captions]
    own = [n for _, n in parsed]
    if own == list(range(1, len(own) + 1)):
        return [(n, text) for text, n in parsed]  # type: ignore[misc]
    return [(i, text) for i, (text, _) in enumerate(parsed, 1)]


def _expand(tr_rows) -> list[list[str]]:
    """Cell texts of ``<tr>`` rows with colspan/rowspan expanded (repeated)."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(tr_rows):
        row: list[str] = []
        c = 0
        for cell in tr.find_all(["th", "td"], recursive=False):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            # No separator: a header broken over lines (<br>) is one Chinese word again.
            text = cell.get_text("", strip=True)
            span = int(cell.get("colspan", 1) or 1)
            down = int(cell.get("rowspan", 1) or 1)
            for k in range(span):
                row.append(text)
                for d in range(1, down):
                    pending[(r + d, c + k)] = text
            c += span
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    return grid


_PARSED = threading.local()  # this thread's last report text and its tree


def parsed_report(html_text: str) -> Any:
    """The BeautifulSoup tree of a finished report, parsed once for all that only read it
    (:func:`report_tables`, the checklist's placing and coverage): the last text's tree is
    kept for this thread until :func:`forget_parsed`. Never change the tree returned."""
    from bs4 import BeautifulSoup

    last = getattr(_PARSED, "last", None)
    if last is not None and last[0] == html_text:
        return last[1]
    soup = BeautifulSoup(html_text, "html.parser")
    _PARSED.last = (html_text, soup)
    return soup


def forget_parsed() -> None:
    """Drop the tree :func:`parsed_report` keeps (the run is done with its report)."""
    _PARSED.last = None


def report_tables(html_text: str) -> list[ReportTable]:
    """Every captioned table of a finished report, in report order."""
    soup = parsed_report(html_text)
    root = soup.find("main") or soup
    wraps = [w for w in root.select("div.table-wrap") if w.select_one("p.table-caption")]
    nums = numbered([w.select_one("p.table-caption").get_text(" ", strip=True) for w in wraps])
    out = []
    for wrap, (n, caption) in zip(wraps, nums, strict=True):
        table = wrap.find("table")
        if table is None:
            continue
        thead = table.find("thead")
        head_rows = thead.find_all("tr") if thead else []
        body_rows = [tr for tr in table.find_all("tr") if tr not in head_rows]
        note_el = wrap.select_one("p.table-note")
        note = note_el.get_text(" ", strip=True) if note_el else ""
        heading = wrap.find_previous(["h2", "h3", "h4"])
        unit = ""
        for text in (caption, note):
            m = _UNIT.search(text)
            if m:
                unit = (m.group(1) or m.group(2)).strip()
                break
        out.append(
            ReportTable(
                number=n,
                caption=caption,
                header=_expand(head_rows),
                body=_expand(body_rows),
                note=note,
                section=heading.get_text(" ", strip=True) if heading else "",
                unit=unit,
            )
        )
    return out


def cell_value(text: str) -> tuple[Any, str | None]:
    """A printed cell as a spreadsheet value and number format.

    >>> cell_value("1,234")
    (1234, '#,##0')
    >>> cell_value("12.5%")
    (0.125, '0.0%')
    >>> cell_value("−3.20")
    (-3.2, '0.00')
    >>> cell_value("—")
    ('—', None)
    """
    t = text.strip()
    m = _NUMBER.match(t)
    if not m:
        return text, None
    digits = m.group("int").replace(",", "")
    dec = m.group("dec") or ""
    fmt = ("#,##0" if "," in m.group("int") else "0") + (f".{'0' * len(dec)}" if dec else "")
    value: float | int = float(f"{digits}.{dec}") if dec else int(digits)
    if m.group("sign") in ("-", "−", "–"):
        value = -value
    if m.group("pct"):
        value = round(value / 100, len(dec) + 2)
        fmt += "%"
    if m.group("sign") == "+":
        fmt = f"+{fmt};-{fmt};{fmt}"
    return value, fmt


def sheet_name(label: str, caption: str, taken: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no ``[]:*?/\\``) starting with 表N."""
    base = _SHEET_BAD.sub("_", f"{label} {caption}")[:31].rstrip("' ")
    name, k = base, 2
    while name.lower() in taken:
        suffix = f"~{k}"
        name = base[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(name.lower())
    return name


def put_text(cell, text: str) -> None:
    """Write text into a cell so that Excel/WPS never evaluate it (``=``, ``+``, ``-``, ``@``)."""
    cell.value = text
    if text.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True  # and Excel/WPS show it as typed, never evaluate it


def write_tables_xlsx(tables: Sequence[ReportTable], path: str | Path, title: str = "") -> Path:
    """Write ``附表.xlsx``: a 目录 sheet, then one sheet per table (caption, unit, header rows,
    body, note), numbers as numbers in their printed format."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    toc = wb.active
    toc.title = "目录"
    put_text(toc.cell(1, 1), title or "报告附表")
    toc.cell(1, 1).font = Font(bold=True, size=13)
    for c, h in enumerate(("编号", "表题", "所在章节", "工作表"), 1):
        toc.cell(3, c, h).font = bold
    taken = {"目录"}
    for i, t in enumerate(tables):
        ws = wb.create_sheet(sheet_name(t.label, t.caption, taken))
        put_text(ws.cell(1, 1), f"{t.label}　{t.caption}")
        ws.cell(1, 1).font = Font(bold=True, size=12)
        if t.unit:
            put_text(ws.cell(2, 1), f"单位：{t.unit}")
        r = 4  # the header always starts on row 4
        for row in t.header:
            for c, text in enumerate(row, 1):
                cell = ws.cell(r, c)
                put_text(cell, text)
                cell.font, cell.fill = bold, head_fill
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            r += 1
        for row in t.body:
            for c, text in enumerate(row, 1):
                cell = ws.cell(r, c)
                value, fmt = cell_value(text)
                if fmt is None:
                    put_text(cell, value)
                else:
                    cell.value = value
                    cell.number_format = fmt
            r += 1
        if t.note:
            put_text(ws.cell(r + 1, 1), t.note if t.note.startswith("注") else f"注：{t.note}")
        width = max((len(row) for row in t.header + t.body), default=1)
        for c in range(1, width + 1):
            texts = [row[c - 1] for row in t.header + t.body if len(row) >= c]
            ws.column_dimensions[get_column_letter(c)].width = min(
                40, max(8, *(len(x) * 2 + 2 for x in texts))
            )
        ws.freeze_panes = ws.cell(r - len(t.body), 2) if t.body else None
        row = 4 + i
        toc.cell(row, 1, t.label)
        put_text(toc.cell(row, 2), t.caption)
        put_text(toc.cell(row, 3), t.section)
        link = toc.cell(row, 4, ws.title)
        link.hyperlink = f"#'{ws.title}'!A1"
        link.font = Font(color="0563C1", underline="single")
    for col, w in zip("ABCD", (8, 50, 30, 34), strict=True):
        toc.column_dimensions[col].width = w
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def figure_captions(html_text: str) -> list[tuple[int, str]]:
    """The report's chart captions ``[(N, title)]`` (empty when charts carry no caption)."""
    soup = parsed_report(html_text)
    root = soup.find("main") or soup
    caps = [f.get_text(" ", strip=True) for f in root.select("figure.chart > figcaption")]
    return numbered(caps)


def notebook_figures(results: Iterable[ChapterResult]) -> list[dict[str, str]]:
    """The chart files the report's chapters showed, in report order (failed chapters have
    none in the report, so none here)."""
    import nbformat

    from planeval.charts.files import MIME
    from planeval.report.stitch import DROP_TAGS

    out = []
    for r in results:
        if not r.ok or not Path(r.executed).is_file():
            continue
        nb = nbformat.read(r.executed, as_version=4)
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell.cell_type != "code" or tags & (DROP_TAGS | {"remove-output"}):
                continue
            for o in cell.get("outputs", []):
                data = o.get("data", {})
                if MIME in data:
                    out.append({**data[MIME], "chapter": r.id})
    return out


def file_stem(label: str, title: str) -> str:
    """``图3_各行业领域隐患整改率`` — safe on Windows and in a zip."""
    t = _FILE_BAD.sub("_", title).strip("._")[:60]
    return f"{label}_{t}" if t else label


def write_figures(
    figures: Sequence[dict[str, str]], captions: Sequence[tuple[int, str]], out_dir: str | Path
) -> list[dict[str, Any]]:
    """Write each chart as ``图N_<title>.png`` (300 dpi) and ``.svg``; returns what was written.

    ``captions`` (from :func:`figure_captions`) gives the report's 图N and title when the report
    numbers its charts; else the order and the chart's own title.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    use_caps = len(captions) == len(figures)
    for i, fig in enumerate(figures, 1):
        n, title = captions[i - 1] if use_caps else (i, fig.get("title", ""))
        title = title or fig.get("title", "")
        stem = file_stem(f"图{n}", title)
        png = out_dir / f"{stem}.png"
        svg = out_dir / f"{stem}.svg"
        png.write_bytes(base64.b64decode(fig["png"]))
        svg.write_text(fig["svg"], encoding="utf-8")
        written.append(
            {
                "number": n,
                "title": title,
                "chapter": fig.get("chapter", ""),
                "png": f"{out_dir.name}/{png.name}",
                "svg": f"{out_dir.name}/{svg.name}",
            }
        )
    return written


TABLES_JSON = "tables.json"


def tables_record(tables: Sequence[ReportTable]) -> list[dict[str, Any]]:
    """The tables as JSON-able records (``tables.json``: what the next build compares with)."""
    return [
        {
            "number": t.number,
            "caption": t.caption,
            "section": t.section,
            "unit": t.unit,
            "header": t.header,
            "body": t.body,
            "note": t.note,
        }
        for t in tables
    ]


def write_tables_json(tables: Sequence[ReportTable], out_dir: str | Path) -> list[dict[str, Any]]:
    """tables.json, every printed table (what a later build's 本次变化 compares with, written
    with or without companions); what the manifest records: each table's number and caption."""
    import json

    (Path(out_dir) / TABLES_JSON).write_text(
        json.dumps(tables_record(tables), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return [{"number": t.number, "caption": t.caption} for t in tables]


def write_exports(
    results: Sequence[ChapterResult],
    html_path: str | Path,
    out_dir: str | Path,
    title: str = "",
    cover: dict[str, str] | None = None,
    previous: Path | None = None,
    tables: list[ReportTable] | None = None,
    parts: Collection[str] = ALL_COMPANIONS,
    text: str | None = None,
) -> dict[str, Any]:
    """Write 附表.xlsx, tables.json and figures/ beside ``report.html`` and, given the cover
    (:func:`planeval.report.stitch.cover_info`), each chapter's page beside its executed
    notebook; and, given the ``previous`` good build (:func:`previous_good`), 本次变化.txt;
    what the manifest records about them. ``tables``: :func:`report_tables` of the report,
    when the caller has them already. ``parts``: of these, only the companions named
    (:data:`planeval.report.companions.COMPANIONS`: ``xlsx``, ``figures``, ``pages``,
    ``changes``; the checklist is :mod:`planeval.report.provenance`'s). tables.json, what a
    later build's 本次变化 compares with, is written always, and the record's ``tables``
    describes it (with or without 附表). ``text``: the report's markup, when the caller has
    read it (else read from ``html_path``)."""

    out_dir = Path(out_dir)
    text = Path(html_path).read_text(encoding="utf-8") if text is None else text
    tables = report_tables(text) if tables is None else tables
    record: dict[str, Any] = {}
    if "xlsx" in parts:
        write_tables_xlsx(tables, out_dir / TABLES_XLSX, title)
        record["tables_xlsx"] = TABLES_XLSX
    record["tables"] = write_tables_json(tables, out_dir)
    if "figures" in parts:
        record["figures"] = write_figures(
            notebook_figures(results), figure_captions(text), out_dir / FIGURES_DIR
        )
    if "pages" in parts:
        from planeval.report.stitch import embedded_font_css

        pages = (
            write_chapter_pages(results, cover, out_dir / "notebooks", embedded_font_css(text))
            if cover
            else []
        )
        record["chapter_pages"] = [f"notebooks/{p}" for p in pages]
    if "changes" in parts:
        record["changes"] = write_changes(tables, previous, out_dir)
    return record


def chapter_page(result: ChapterResult, cover: dict[str, str], font_rules: str = "") -> str:
    """One executed chapter as a shareable HTML page: outputs only (no code, no parameters
    cell, no injected parameters), the report's stylesheet and fonts (``font_rules``: the
    report's, :func:`planeval.report.stitch.embedded_font_css`), a one-line header naming the
    county, the period and the chapter; nothing loaded from outside the file.

    Raises
    ------
    RuntimeError
        The page would load something from outside the file.
    """
    from planeval.report import stitch

    def edit(soup) -> None:
        for el in soup.select("section.cover, nav.toc"):
            el.decompose()
        main = soup.find("main")
        if main is not None:
            head = soup.new_tag("p", attrs={"class": "chapter-page-head"})
            county, title = cover.get("county", ""), cover.get("title", "")
            if county and title.startswith(county):  # “示例县“十四五”…报告”: named once
                county = ""
            head.string = "　".join(x for x in (county, title, cover.get("period_label", "")) if x)
            main.insert(0, head)
        if soup.title is not None:
            soup.title.string = f"{result.title} — {cover.get('title', '')}"

    raw = stitch.export_html(stitch.merge([result]), cover)
    # The page is checked with its font mark still in place and the font rules on their own,
    # once for all the pages that share them (0.7 MB of base64, scanned once, not per page).
    page = stitch.finish_html(raw, font_rules=stitch.FONT_MARK, edit=edit)
    if stitch.markup_external_references(page) or _external_fonts(font_rules):
        raise RuntimeError(f"{result.file} 的章节页含有外部引用")
    return page.replace(stitch.FONT_MARK, font_rules, 1)


@functools.lru_cache(maxsize=4)
def _external_fonts(font_rules: str) -> bool:
    """True when ``font_rules`` (a <style>'s content) would load something from outside."""
    from planeval.report.stitch import markup_external_references

    return bool(font_rules) and bool(markup_external_references(f"<style>{font_rules}</style>"))


def write_chapter_pages(
    results: Sequence[ChapterResult],
    cover: dict[str, str],
    notebooks_dir: str | Path,
    font_rules: str = "",
) -> list[str]:
    """Write ``notebooks/<chapter>.html`` beside each executed notebook (with the report's
    fonts, ``font_rules``); the file names."""
    out = []
    for r in results:
        if not Path(r.executed).is_file() and r.ok:
            continue
        page = chapter_page(r, cover, font_rules)
        path = Path(notebooks_dir) / (Path(r.file).stem + ".html")
        path.write_text(page, encoding="utf-8")
        out.append(path.name)
    return out


INDEX_HTML = "index.html"
_INDEX_CSS = """
body{font-family:"Planeval Sans","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei",
"PingFang SC","黑体",sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1a1a1a}
h1{font-size:1.5em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#ddebf7;white-space:nowrap}td.nw{white-space:nowrap}.failed{color:#c00000}
td.links a{display:inline-block;margin:0 .8em .2em 0}small{color:#555}
ul.compare{padding-left:1.2em;margin:0 0 1.2em}ul.compare li{margin:.2em 0}
"""
# What a report folder may hold, in the order the index links them.
_LINKS = (
    ("report.html", "报告"),
    ("report.pdf", "PDF"),
    ("report.docx", "Word"),
    (TABLES_XLSX, "附表"),
    (FIGURES_DIR, "图表文件"),
    ("数据核查清单.html", "数据核查清单"),  # provenance.CHECKLIST (pandas not imported for this)
    (CHANGES_TXT, "本次变化"),
)


def report_folders(root: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every report under an output root (``<root>/<县>/<期>/manifest.json``), with its
    manifest; staging folders and kept ``.last-good`` copies are not reports of their own."""
    import json

    out = []
    for mf in sorted(Path(root).glob("*/*/manifest.json")):
        folder = mf.parent
        if folder.name.startswith(".") or folder.name.endswith(".last-good"):
            continue
        try:
            out.append((folder, json.loads(mf.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out


_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def comparisons_html(root: Path) -> str:
    """The 县区对比 pages a batch wrote in ``root`` (``县区对比-<slug>.html``, with the .pdf and
    .xlsx beside it), newest first, as a list for the top of the index ("" when there is none)."""
    import html
    from urllib.parse import quote

    items = []
    pages = sorted(root.glob("县区对比-*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    for page in pages:
        try:
            with page.open(encoding="utf-8") as fh:
                head = fh.read(2000)  # the title comes before the embedded fonts
        except OSError:
            continue
        m = _TITLE.search(head)
        title = html.unescape(m.group(1)).strip() if m else page.stem
        links = [f'<a href="{quote(page.name)}">{html.escape(title)}</a>']
        for suffix, label in ((".pdf", "PDF"), (".xlsx", "Excel")):
            if (other := page.with_suffix(suffix)).is_file():
                links.append(f'<a href="{quote(other.name)}">{label}</a>')
        items.append(f"<li>{'　'.join(links)}</li>")
    return f'<ul class="compare">{"".join(items)}</ul>' if items else ""


def index_html(root: str | Path) -> str:
    """The page listing every report under ``root``: county, period, status, date and links
    (relative, so the folder can be copied or zipped as a whole); no script, nothing external."""
    import html
    from urllib.parse import quote

    root = Path(root)
    rows = []
    for folder, mf in report_folders(root):
        rel = folder.relative_to(root).as_posix()
        period = mf.get("period", {})
        ok = mf.get("status") == "ok"
        status = "完整" if ok else "部分章节失败"
        failed = [c.get("title", "") for c in mf.get("chapters", []) if not c.get("ok", True)]
        if failed:
            status += "：" + "、".join(failed)
        links = []
        for name, label in _LINKS:
            if (folder / name).exists():
                href = quote(f"{rel}/{name}") + ("/" if (folder / name).is_dir() else "")
                links.append(f'<a href="{href}">{label}</a>')
        pages = [
            (c.get("title", ""), Path(c.get("executed", "")).with_suffix(".html").as_posix())
            for c in mf.get("chapters", [])
        ]
        chapter_links = [
            f'<a href="{quote(f"{rel}/{p}")}">{html.escape(t)}</a>'
            for t, p in pages
            if p and (folder / p).is_file()
        ]
        keep = folder.with_name(folder.name + ".last-good")
        if (keep / "report.html").is_file():
            links.append(
                f'<a href="{quote(f"{keep.relative_to(root).as_posix()}/report.html")}">上次完整报告</a>'
            )
        rows.append(
            "<tr>"
            f'<td class="nw">{html.escape(folder.parent.name)}</td>'
            f'<td class="nw">{html.escape(str(period.get("label", folder.name)))}<br><small>'
            f"{html.escape(str(period.get('start', '')))}至{html.escape(str(period.get('end', '')))}"
            "</small></td>"
            f'<td class="{"nw ok" if ok else "failed"}">{html.escape(status)}</td>'
            f'<td class="nw">{html.escape(str(mf.get("created", ""))[:16].replace("T", " "))}</td>'
            f'<td class="links">{"".join(links)}</td>'
            f'<td class="links">{"".join(chapter_links) or "<small>未生成章节页</small>"}</td>'
            "</tr>"
        )
    from planeval.report.stitch import page_font_css

    body = "".join(rows) if rows else '<tr><td colspan="6">此目录下还没有生成的报告。</td></tr>'
    content = (
        "<h1>评估报告目录</h1>"
        + comparisons_html(root)
        + "<table><thead><tr><th>县</th><th>评估期</th><th>状态</th><th>生成时间</th>"
        "<th>文件</th><th>各章（网页）</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>评估报告目录</title><style>{page_font_css(html.unescape(content))}"
        f"{_INDEX_CSS}</style></head><body>{content}</body></html>"
    )


def write_index(root: str | Path) -> Path:
    """Write (atomically) ``<root>/index.html`` over every report under ``root``."""
    import os

    root = Path(root)
    path = root / INDEX_HTML
    tmp = root / f".{INDEX_HTML}.{os.getpid()}.tmp"
    tmp.write_text(index_html(root), encoding="utf-8")
    tmp.replace(path)
    return path


CHANGES_SHOWN = 60  # the analyst's list stays short; the manifest holds them all


def previous_good(target: str | Path) -> Path | None:
    """The previous complete build of this report: the folder in place when its manifest says
    ``ok``, else its kept ``.last-good`` copy; None when there is none."""
    import json

    target = Path(target)
    for folder in (target, target.with_name(target.name + ".last-good")):
        try:
            mf = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if mf.get("status") == "ok":
            # the last complete build, even without its tables (an older version's): not an
            # older .last-good, whose changes would be taken for this build's
            return folder if (folder / TABLES_JSON).is_file() else None
    return None


def _tables_from_record(records: Sequence[dict[str, Any]]) -> list[ReportTable]:
    return [ReportTable(**r) for r in records]


def table_changes(
    before: Sequence[ReportTable], after: Sequence[ReportTable]
) -> list[dict[str, Any]]:
    """Every printed table cell that differs between two builds, matched by table caption,
    row label (first cell) and column label, so a renumbered table still matches; a table or
    row present in only one build is one entry with ``None`` on the other side."""
    old = {t.caption: t for t in before}
    new = {t.caption: t for t in after}
    out: list[dict[str, Any]] = []
    for caption, t in new.items():
        if caption not in old:
            out.append(
                {
                    "table": t.label,
                    "caption": caption,
                    "row": None,
                    "column": None,
                    "before": None,
                    "after": "（新增表）",
                }
            )
            continue
        a, b = old[caption].cells(), t.cells()
        for key in dict.fromkeys([*a, *b]):
            if a.get(key) != b.get(key):
                out.append(
                    {
                        "table": t.label,
                        "caption": caption,
                        "row": key[0],
                        "column": key[1],
                        "before": a.get(key),
                        "after": b.get(key),
                    }
                )
    for caption, t in old.items():
        if caption not in new:
            out.append(
                {
                    "table": t.label,
                    "caption": caption,
                    "row": None,
                    "column": None,
                    "before": "（原有表）",
                    "after": None,
                }
            )
    return out


def changes_text(changes: Sequence[dict[str, Any]], previous_created: str) -> str:
    """The analyst's short list: ``表2 … · 危险化学品 · 死亡(人)：3 → 4``."""
    when = previous_created[:16].replace("T", " ") or "上次"
    if not changes:
        return f"与上次完整报告（{when}）相比，报告各表数字没有变化。\n"
    lines = [f"与上次完整报告（{when}）相比，报告各表共有 {len(changes)} 处数字变化：", ""]
    for c in changes[:CHANGES_SHOWN]:
        where = "　".join(x for x in (f"{c['table']} {c['caption']}", c["row"], c["column"]) if x)
        before = "—（无）" if c["before"] is None else c["before"]
        after = "—（无）" if c["after"] is None else c["after"]
        lines.append(f"- {where}：{before} → {after}")
    if len(changes) > CHANGES_SHOWN:
        lines.append(f"- 另有 {len(changes) - CHANGES_SHOWN} 处变化，见 manifest.json 的 changes。")
    return "\n".join(lines) + "\n"


def write_changes(
    tables: Sequence[ReportTable], previous: Path | None, out_dir: str | Path
) -> dict[str, Any] | None:
    """Compare with the previous good build and write 本次变化.txt; what the manifest records
    (None on a first build)."""
    import json

    if previous is None:
        return None
    try:
        before = _tables_from_record(
            json.loads((previous / TABLES_JSON).read_text(encoding="utf-8"))
        )
        created = json.loads((previous / "manifest.json").read_text(encoding="utf-8")).get(
            "created", ""
        )
    except (OSError, ValueError, TypeError):
        return None
    changes = table_changes(before, tables)
    (Path(out_dir) / CHANGES_TXT).write_text(changes_text(changes, created), encoding="utf-8")
    return {"previous_created": created, "count": len(changes), "cells": changes}
