"""Stitch the executed chapters into one self-contained HTML report (nbconvert).

1. :func:`merge` concatenates the executed chapter notebooks in report order into one notebook
   with fresh cell ids, dropping the parameters cells and log-only outputs (stderr); a failed
   chapter becomes a placeholder section “本章生成失败：…” under its title.
2. :func:`export_html` renders it with the one custom template directory
   (``report/templates/planeval``, ``base_template: lab``): code hidden, cover, stylesheet inline.
3. :func:`finish_html` moves every chapter's method note (``<div class="method-note">``, made by
   :func:`planeval.report.display.method_note`) into the attachment “附件　计算口径与评价方法”,
   numbers the tables and charts over the whole report (表1…表N, 图1…图N, with every in-text
   reference to a chapter's own table renumbered with it), sets running text in Chinese number
   style (:func:`planeval.narrative.phrasing.tidy_text`), marks wide tables and number cells,
   gives the headings ids, writes the table of contents (h2, h3 and the chapter headings at
   h4), strips anything that would load from outside the file, and embeds WOFF subsets of the
   report fonts.
"""

from __future__ import annotations

import base64
import functools
import html
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from nbformat import v4

from planeval import fonts
from planeval.narrative.phrasing import tidy_text
from planeval.outline import unnumbered
from planeval.paths import NBCONVERT_TEMPLATE_DIR
from planeval.report.chapters import ChapterResult, heading_level

if TYPE_CHECKING:
    from planeval.report.params import RunParams

DROP_TAGS = {"parameters", "injected-parameters", "remove-cell"}
FONT_MARK = "/* planeval:fonts */"
TOC_MARK = "<!-- planeval:toc -->"
CHAPTER_MARK = "planeval-chapter"  # class of the marker div that merge() puts before a chapter
METHOD_NOTE = "method-note"  # = planeval.report.display.METHOD_NOTE_CLASS
APPENDIX_TITLE = "附件　计算口径与评价方法"
# Tables this wide (columns) get a smaller font in print; wider still, smaller again.
WIDE_COLUMNS, XWIDE_COLUMNS = 8, 11
# Tables this wide are set on a landscape page (in the PDF and in the Word file): in portrait
# their text columns would be two or three characters wide.
LANDSCAPE_COLUMNS = 12
# From this many columns, a table with two or more long-text columns (a cell of LONG_TEXT
# characters or more: project names, 完工预期) is set landscape too: in portrait those would wrap
# into rows many lines high and the table run over several pages.
LANDSCAPE_TEXT_COLUMNS, LONG_TEXT = 9, 10
# A method note's own generic title, redundant under its appendix subsection.
_GENERIC_NOTE_TITLE = re.compile(
    r"^(?:计算口径与评价方法|计算口径说明|统计口径说明|计算说明|口径说明)[:：]?$"
)
# Anything that would make the browser fetch something.
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""", re.I
)


def failure_html(title: str, error: str, notebook: str) -> str:
    """The placeholder section of a failed chapter (escaped)."""
    lvl = heading_level(title)
    return f"<h{lvl}>{html.escape(title)}</h{lvl}>" + failure_body_html(error, notebook)


def failure_body_html(error: str, notebook: str) -> str:
    """A failed chapter's placeholder under the outline's heading (escaped)."""
    return (
        f'<p class="chapter-failed">本章生成失败：{html.escape(error or "未知错误")}'
        f"（详见 notebooks/{html.escape(notebook)}）</p>"
    )


def _in_report(output: nbformat.NotebookNode) -> bool:
    """Whether an output belongs in the report (the executed notebook keeps them all).

    Left out: stderr (warnings, logs), errors, and an ``execute_result`` that is only a text
    repr (``Text(0, 0.5, '人数')`` from a cell ending in ``ax.set_ylabel(...)``).
    """
    kind = output.output_type
    if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
        return False
    if kind == "execute_result":
        return any(k != "text/plain" for k in output.get("data", {}))
    return True


def _report_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    out = []
    for cell in nb.cells:
        if DROP_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _in_report(o)]
            if not cell.outputs:
                continue
        elif cell.cell_type == "raw":
            continue
        out.append(cell)
    return out


def chapter_marker(chapter_id: str, title: str) -> nbformat.NotebookNode:
    """The cell merge() puts before each chapter: an empty marker div that tells finish_html
    which chapter the following method notes belong to (removed from the final HTML)."""
    cell = v4.new_code_cell(source="")
    cell.outputs = [
        v4.new_output(
            "display_data",
            data={
                "text/html": f'<div class="{CHAPTER_MARK}" data-chapter="{html.escape(chapter_id)}"'
                f' data-title="{html.escape(title)}"></div>'
            },
        )
    ]
    return cell


def merge(results: Sequence[ChapterResult]) -> nbformat.NotebookNode:
    """One notebook holding every chapter in order (each after its marker), fresh cell ids."""
    merged = v4.new_notebook()
    cells: list[nbformat.NotebookNode] = []
    for r in results:
        cells.append(chapter_marker(r.id, r.title))
        if r.ok:
            nb = nbformat.read(r.executed, as_version=4)
            if not merged.metadata.get("kernelspec"):
                merged.metadata["kernelspec"] = nb.metadata.get("kernelspec", {})
                merged.metadata["language_info"] = nb.metadata.get("language_info", {})
            cells += _report_cells(nb)
        else:
            cell = v4.new_code_cell(source="")
            cell.outputs = [
                v4.new_output(
                    "display_data", data={"text/html": failure_html(r.title, r.error, r.file)}
                )
            ]
            cells.append(cell)
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:04d}"
        cell.metadata.pop("tags", None)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    merged.cells = cells
    return merged


def outlined(results: Sequence[ChapterResult]) -> bool:
    """True when the report is laid out by the outline: some chapter of the run makes one of
    its blocks. A run of other chapters only (a pack's or a test's own) is merged in run order."""
    from planeval.outline import BLOCKS

    known = {chapter for chapter, _ in BLOCKS.values()}
    return any(r.id in known for r in results)


def outline_notebook(
    results: Sequence[ChapterResult], params: RunParams, data_dir: Path | None = None
) -> nbformat.NotebookNode:
    """The chapters laid out in the report outline (:func:`planeval.report.assemble.assemble`):
    the pack's ``outline.yaml`` or the default, with the plan's tasks and the section notes."""
    import planeval
    from planeval.plan import using_plan
    from planeval.report.assemble import assemble

    pack = planeval.load_pack(data_dir or params.data_path)

    def read_cells(r: ChapterResult) -> list:
        return _report_cells(nbformat.read(r.executed, as_version=4))

    with using_plan(pack.plan):
        nb = assemble(
            results,
            pack=pack,
            period=params.period_obj,
            county=params.county,
            read_cells=read_cells,
            marker=chapter_marker,
            failure=lambda r: failure_body_html(r.error, r.file),
            whole=lambda r: merge([r]).cells,
        )
    for r in results:
        if r.ok:
            meta = nbformat.read(r.executed, as_version=4).metadata
            nb.metadata["kernelspec"] = meta.get("kernelspec", {})
            nb.metadata["language_info"] = meta.get("language_info", {})
            break
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:04d}"
        for k in ("tags", "papermill", "execution"):
            cell.metadata.pop(k, None)
    return nb


_EXPORTERS = threading.local()  # one HTMLExporter per thread: its templates compile once


@functools.cache
def _exporter_class():
    """nbconvert's HTMLExporter without the BeautifulSoup pass it makes over its output.

    That pass (nbconvert ≥ 7.14) only sets ``alt`` on images without one and ``tabindex`` on
    the cells of a ``.jp-Notebook`` (which the planeval template has none of); :func:`finish_html`
    parses every export anyway and sets the alt text on its own tree (:func:`_accessible`), so
    parsing and serialising the 1.9 MB report and each chapter page
    once more in nbconvert is 0.2 CPU-s a county for nothing. The rest is HTMLExporter's
    ``from_notebook_node`` as it is; ``test_report_stitch`` checks that a report finished from
    this export equals one finished from the stock exporter's.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


NO_ALT = "No description has been provided for this image"  # nbconvert's, kept as it was


def _accessible(soup) -> None:
    """What nbconvert's HTMLExporter adds to a planeval export (see :func:`_exporter_class`):
    its alt text on an image without one."""
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = NO_ALT


def _exporter():
    """The planeval HTML exporter of this thread. Building one compiles its Jinja2 templates
    (about 0.1 s); a report's stitch and its eleven chapter pages share one."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        from traitlets.config import Config

        c = Config()
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = tuple(DROP_TAGS)
        c.TagRemovePreprocessor.remove_input_tags = ("remove-input",)
        c.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
        # The notebook validated once, after its preprocessors, not after each of the dozen
        # (nearly all disabled, each followed by a validation of the whole notebook: the
        # demo's eleven chapters exported 0.07 → 0.03 CPU-s, median of 8)
        c.Exporter.optimistic_validation = True
        exporter = _exporter_class()(
            config=c,
            template_name=NBCONVERT_TEMPLATE_DIR.name,
            extra_template_basedirs=[str(NBCONVERT_TEMPLATE_DIR.parent)],
        )
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.exclude_anchor_links = True
        exporter.embed_images = True
        exporter.language_code = "zh-CN"
        _EXPORTERS.exporter = exporter
    return exporter


# Where a cover title's line may end besides after the county's name: after the plan's period
# in quotes (“十四五”), after 体系 and after 规划 — never inside a word.
_TITLE_BREAKS = re.compile(r"(?<=”)|(?<=体系)|(?<=规划)")


def title_lines(title: str, county: str = "", per_line: float | None = None) -> list[str]:
    """The cover title as the lines it is set in: broken only where a word ends (after
    ``county`` when the title starts with it, :data:`_TITLE_BREAKS`), as few lines as fit, the
    longest line as short as can be (公文 titles are set in balanced lines). ``per_line``:
    characters a line holds at the title's size (default: the type area at 二号); a line's width
    is :func:`planeval.report.colwidths.text_width` in characters. A title that no break makes
    fit is one line, left to wrap where it must. Chinese text may otherwise break between any
    two characters: the demo's title broke as "…能力建设规" / "划中期评估报告".

    >>> title_lines("示例县“十四五”应急管理体系及能力建设规划中期评估报告", "示例县")
    ['示例县“十四五”应急管理体系', '及能力建设规划中期评估报告']
    """
    from itertools import combinations

    from planeval.report import layout
    from planeval.report.colwidths import text_width

    def width(text: str) -> float:  # in characters (text_width counts half-ems)
        return text_width(text) / 2

    if per_line is None:
        per_line = layout.text_width_pt() / layout.TITLE_PT
    if width(title) <= per_line:
        return [title]
    cuts = {m.start() for m in _TITLE_BREAKS.finditer(title)}
    if county and title.startswith(county):
        cuts.add(len(county))
    cuts = sorted(cuts - {0, len(title)})
    for n in (1, 2):  # two lines, else three
        best = None
        for chosen in combinations(cuts, n):
            edges = (0, *chosen, len(title))
            lines = [title[i:j] for i, j in zip(edges, edges[1:], strict=False)]
            longest = max(width(x) for x in lines)
            if longest <= per_line and (best is None or longest < best[0]):
                best = (longest, lines)
        if best is not None:
            return best[1]
    return [title]


def export_html(nb: nbformat.NotebookNode, cover: dict[str, str]) -> str:
    """Render the merged notebook with the planeval template (fonts not yet embedded)."""
    lines = title_lines(cover.get("title", ""), cover.get("county", ""))
    resources = {"planeval": {**cover, "title_lines": lines, "font_css": FONT_MARK}}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def finish_html(
    raw: str,
    *,
    embed_fonts: bool = True,
    font_rules: str | None = None,
    edit: Callable[[Any], None] | None = None,
) -> str:
    """Number headings, fill the TOC, drop external references, embed the font subsets (those
    of its own text, or ``font_rules`` given: a chapter page uses its report's); ``edit``: a
    last change to the finished tree before it is written out (a chapter page's header)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    _accessible(soup)
    for tag in soup.find_all(["script", "link", "iframe", "object", "embed"]):
        tag.decompose()
    for a in soup.select("a.anchor-link"):
        a.decompose()
    # A link or image in an analyst's note must not make the file reach outside: keep the text.
    for a in soup.find_all("a", href=True):
        if not str(a["href"]).startswith("#"):
            a.replace_with(
                f"{a.get_text()}（{a['href']}）" if a.get_text() != a["href"] else a["href"]
            )
    for img in soup.find_all("img"):
        if not str(img.get("src", "")).startswith("data:"):
            img.replace_with(f"［图片未嵌入：{img.get('alt') or img.get('src', '')}］")
    main = soup.find("main")
    chapter_titles = set()
    if main is not None:
        chapter_titles = {
            _norm(tidy_heading(m.get("data-title", ""))) for m in main.select(f"div.{CHAPTER_MARK}")
        }
        mark_references(main)
        build_appendix(soup, main)
        number_tables_and_figures(main)
        for m in main.select(f"div.{CHAPTER_MARK}"):
            _remove_leaving_no_empty_cell(m)
        tidy_running_text(main)
    _classify_tables(soup)
    _classify_cells(soup)
    items = []
    outlined = bool(main is not None and main.select(".outline"))
    for n, h in enumerate(main.find_all(["h2", "h3", "h4"]) if main else [], 1):
        h["id"] = f"sec-{n}"
        text = h.get_text(" ", strip=True)
        # The TOC: h2, h3, and an h4 only when it is the outline's (1. 加强应急管理体系建设 …)
        # or, without an outline, a chapter's own heading (with no chapter markers, a bare
        # HTML, every h4).
        if outlined:
            if h.name == "h4" and "outline" not in (h.get("class") or []):
                continue
        elif h.name == "h4" and chapter_titles and _norm(text) not in chapter_titles:
            continue
        items.append(f'<li class="toc-{h.name[1]}"><a href="#sec-{n}">{html.escape(text)}</a></li>')
    if edit is not None:
        edit(soup)
    out = str(soup)
    out = out.replace(TOC_MARK, "<ol>" + "".join(items) + "</ol>", 1)
    if font_rules is not None:
        out = out.replace(FONT_MARK, font_rules, 1)
    elif embed_fonts:
        out = out.replace(FONT_MARK, font_css(soup), 1)
    else:
        out = out.replace(FONT_MARK, "", 1)
    return out


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


_HEADING_NUMBER = re.compile(r"^(\s*\d+)[.．]\s*")


def tidy_heading(text: str) -> str:
    """“1．智慧应急工程” and “1. 提升风险管控能力” alike: “1. 智慧应急工程”, “1. 提升风险管控能力”."""
    return _HEADING_NUMBER.sub(lambda m: m.group(1).strip() + ". ", tidy_text(text))


def enclosing(el: Any, names: tuple[str, ...]) -> Any:
    """``el`` itself or its nearest ancestor named one of ``names``, or None: bs4's
    ``find_parent`` without its filter machinery, for loops over every text node."""
    while el is not None and el.name not in names:
        el = el.parent
    return el


def tidy_running_text(main) -> None:
    """Chinese number style in every text of ``main`` (:func:`tidy_text`; tables keep their
    thousands separators), every heading numbered “1. ”."""
    from bs4 import NavigableString

    tabled: dict[int, bool] = {}  # id(parent) → inside a table (one walk up per parent)
    for node in list(main.find_all(string=True)):
        parent = node.parent
        if not isinstance(node, NavigableString) or parent.name in ("style", "script"):
            continue
        in_table = tabled.get(id(parent))
        if in_table is None:
            in_table = tabled[id(parent)] = enclosing(parent, ("table",)) is not None
        new = tidy_text(str(node), in_table=in_table)
        if new != str(node):
            node.replace_with(new)
    for h in main.find_all(["h4", "h5"]):
        text = h.get_text()
        new = tidy_heading(text)
        if new != text:
            h.string = new


# A caption's own number (“表1 …”, “表 问题清单”) and an in-text reference to a table or figure.
_CAPTION_NUMBER = re.compile(r"^\s*([表图])\s*(\d*)\s*")
_REFERENCE = re.compile(r"([表图])(\d+)(?![\d.])")
_CAPTIONS = "p.table-caption, figcaption.figure-caption, figure.chart > figcaption"


def _chapter_of(el) -> str:
    marker = el.find_previous("div", class_=CHAPTER_MARK)
    return marker.get("data-chapter", "") if marker is not None else ""


def mark_references(main) -> None:
    """Before the method notes move: note for each caption and each text that refers to a table
    or figure (“详见表1”) which chapter it belongs to (``data-chapter``/``data-ref-chapter``),
    since each chapter numbers its own tables from 1."""
    for cap in main.select(_CAPTIONS):
        cap["data-chapter"] = _chapter_of(cap)
    for node in list(main.find_all(string=_REFERENCE)):
        parent = node.parent
        if parent is None or parent.name in ("style", "script") or _is_caption(parent):
            continue
        parent["data-ref-chapter"] = _chapter_of(parent)


def _is_caption(el) -> bool:
    return (
        any(
            c in ("table-caption", "figure-caption")
            for e in (el, *el.parents)
            for c in (e.get("class", []) if hasattr(e, "get") else [])
        )
        or el.name == "figcaption"
    )


def number_tables_and_figures(main) -> dict[tuple[str, str, int], int]:
    """Number every table caption 表1…表N and every chart caption 图1…图N in report order
    (after the method notes moved to the attachment), and renumber each in-text reference to
    a chapter's own table or figure with it.

    Returns
    -------
    dict
        (chapter id, "表"/"图", the chapter's own number) → the report-wide number.
    """
    counts = {"表": 0, "图": 0}
    mapping: dict[tuple[str, str, int], int] = {}
    for cap in main.select(_CAPTIONS):
        text = cap.get_text()
        m = _CAPTION_NUMBER.match(text)
        kind = m.group(1) if m else ("图" if cap.name == "figcaption" else "表")
        counts[kind] += 1
        n = counts[kind]
        chapter = cap.get("data-chapter", "")
        if m and m.group(2):
            mapping.setdefault((chapter, kind, int(m.group(2))), n)
        rest = text[m.end() :] if m else text
        cap.string = f"{kind}{n}　{rest.strip()}".rstrip("　")
        del cap["data-chapter"]
    for el in main.select("[data-ref-chapter]"):
        chapter = el["data-ref-chapter"]
        del el["data-ref-chapter"]
        for node in list(el.find_all(string=_REFERENCE)):

            def renumber(m, chapter=chapter):
                n = mapping.get((chapter, m.group(1), int(m.group(2))))
                return f"{m.group(1)}{n}" if n is not None else m.group(0)

            new = _REFERENCE.sub(renumber, str(node))
            if new != str(node):
                node.replace_with(new)
    return mapping


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1 ≤ n ≤ 99)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def _remove_leaving_no_empty_cell(tag) -> None:
    """Remove ``tag``, and its notebook cell too if nothing visible is left in it."""
    cell = tag.find_parent("div", class_="jp-Cell")
    tag.extract()
    if (
        cell is not None
        and not cell.get_text(strip=True)
        and not cell.find(["img", "table", "svg"])
    ):
        cell.decompose()


def _tidy_note(soup, note) -> None:
    """Headings inside a method note become bold paragraphs (not in the TOC); a leading generic
    title (“计算口径与评价方法”, “统计口径说明” …) is dropped: the subsection names the chapter."""
    for i, el in enumerate(note.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p"])):
        text = el.get_text(strip=True)
        is_heading = el.name != "p"
        only_bold = (
            el.name == "p" and (b := el.find(["strong", "b"])) and b.get_text(strip=True) == text
        )
        if i == 0 and (is_heading or only_bold) and _GENERIC_NOTE_TITLE.match(text):
            el.decompose()
        elif is_heading:
            head = soup.new_tag("p", attrs={"class": "note-head"})
            bold = soup.new_tag("strong")
            bold.string = text
            head.append(bold)
            el.replace_with(head)


def build_appendix(soup, main) -> None:
    """Move every method note into “附录　计算口径与评价方法” at the end of ``main``.

    One subsection (h3 “（一）…”) per chapter with notes, in report order, titled by the
    chapter's title without its own numbering; a note belongs to the chapter whose marker
    precedes it (without markers: to the nearest preceding h2–h4).
    """
    groups: dict[str, list] = {}
    for note in main.select(f"div.{METHOD_NOTE}"):
        if note.find_parent("div", class_=METHOD_NOTE) is not None:
            continue
        marker = note.find_previous("div", class_=CHAPTER_MARK)
        if marker is not None:
            title = marker.get("data-title", "")
        else:
            head = note.find_previous(["h2", "h3", "h4"])
            title = head.get_text(" ", strip=True) if head is not None else "其他"
        groups.setdefault(title, []).append(note)
    if not groups:
        return
    section = soup.new_tag("section", attrs={"class": "appendix", "id": "appendix"})
    h2 = soup.new_tag("h2")
    h2.string = APPENDIX_TITLE
    section.append(h2)
    for i, (title, notes) in enumerate(groups.items(), 1):
        h3 = soup.new_tag("h3")
        h3.string = f"（{cn_number(i)}）{unnumbered(title) or title}"
        section.append(h3)
        for note in notes:
            _remove_leaving_no_empty_cell(note)
            _tidy_note(soup, note)
            section.append(note)
    main.append(section)


def _columns(table) -> int:
    row = table.find("tr")
    if row is None:
        return 0
    return sum(int(c.get("colspan", 1) or 1) for c in row.find_all(["th", "td"], recursive=False))


def _long_text_columns(table) -> int:
    """How many body columns hold a text cell of LONG_TEXT characters or more."""
    long: set[int] = set()
    for tr in table.select("tbody tr"):
        for i, td in enumerate(tr.find_all(["td", "th"], recursive=False)):
            text = td.get_text(strip=True)
            if len(text) >= LONG_TEXT and not _NUMERIC.match(text):
                long.add(i)
    return len(long)


def _classify_tables(soup) -> None:
    """Number the tables (``data-tbl``, for the PDF's landscape fallback) and mark the wide
    ones: class ``wide`` from 8 columns, ``wide xwide`` from 11 (smaller font in print), and
    from 12 columns — or from 9 with two long-text columns — a landscape page (class
    ``landscape`` on the table's wrapper)."""
    for n, table in enumerate(soup.find_all("table"), 1):
        table["data-tbl"] = str(n)
        cols = _columns(table)
        extra = (["wide"] if cols >= WIDE_COLUMNS else []) + (
            ["xwide"] if cols >= XWIDE_COLUMNS else []
        )
        if extra:
            table["class"] = [*table.get("class", []), *extra]
        if cols >= LANDSCAPE_COLUMNS or (
            cols >= LANDSCAPE_TEXT_COLUMNS and _long_text_columns(table) >= 2
        ):  # a landscape page, in the PDF as in the Word file
            wrap = table.find_parent("div", class_="table-wrap") or table
            if "landscape" not in wrap.get("class", []):
                wrap["class"] = [*wrap.get("class", []), "landscape"]
    lead_headings(soup)


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_CONTENT = ("p", "li", "table", "img", "svg", "figure", "pre", "blockquote", "dd", "dt")


def leading_headings(wrap) -> list:
    """The headings right before ``wrap`` in reading order, with no text or picture between
    (the section a landscape table opens), first heading first."""
    parents = {id(p) for p in wrap.parents}
    heads: list = []
    for el in wrap.find_all_previous(True):
        if id(el) in parents or el.name in ("style", "script"):
            continue
        if el.name in _HEADINGS:
            heads.append(el)
        elif el.name in _CONTENT and (el.get_text(strip=True) or el.name in ("img", "svg")):
            break
    return heads[::-1]


def lead_headings(soup) -> None:
    """Take the headings that open a landscape table onto its landscape page (class
    ``landscape-lead`` on them, ``landscape-led`` on the table's wrapper), so that no heading
    is left alone at the foot of the portrait page before it; the Word file does the same
    (:func:`planeval.report.docx.landscape_sections`)."""
    for wrap in soup.select("div.landscape, table.landscape"):
        heads = leading_headings(wrap)
        if not heads or "landscape-led" in wrap.get("class", []):
            continue
        for h in heads:
            if "landscape-lead" not in h.get("class", []):
                h["class"] = [*h.get("class", []), "landscape-lead"]
        heads[0]["class"] = [*heads[0]["class"], "landscape-first"]
        wrap["class"] = [*wrap.get("class", []), "landscape-led"]


_NUMERIC = re.compile(r"^[\s\d.,%‰+\-−—–~～≤≥<>()（）/]+$")


def _classify_cells(soup) -> None:
    """Help the table layout with CJK text (every character is a line-break opportunity):
    numbers and very short words (超额完成, 约束性) never wrap (class ``nw``); long text cells
    get a minimum width (class ``txt``); headers wrap unless very short; a cell may wrap before
    an opening bracket."""
    for cell in soup.select("table td, table th"):
        text = cell.get_text(strip=True)
        extra = []
        if cell.name == "th":  # headers may wrap, but not inside a short word
            if text and len(text) <= 3:
                extra.append("nw")
            elif _CJK4.match(text) and len(cell.contents) == 1:
                _two_halves(soup, cell, text)
        elif _CJK4.match(text) and len(cell.contents) == 1 and _in_xwide(cell):
            _two_halves(soup, cell, text)  # 超额完成 → 超额 / 完成 in a 13-column table
        elif text and ((len(text) <= 12 and _NUMERIC.match(text)) or len(text) <= 4):
            extra.append("nw")
            if _NUMERIC.match(text) and re.search(r"\d", text):
                extra.append("num")  # numbers align right
        elif len(text) >= 8:
            extra.append("txt")
        if extra:
            cell["class"] = [*cell.get("class", []), *extra]
        if "nw" not in extra:
            _break_before_brackets(soup, cell)


_CJK4 = re.compile(r"^[\u4e00-\u9fff]{4}$")


def _in_xwide(cell) -> bool:
    table = cell.find_parent("table")
    return table is not None and "xwide" in table.get("class", [])


def _two_halves(soup, cell, text: str) -> None:
    """A four-character header (完成进度) wraps, if it must, as 完成 / 进度."""
    cell.clear()
    for half in (text[:2], text[2:]):
        span = soup.new_tag("span", attrs={"class": "nw"})
        span.string = half
        cell.append(span)


_BRACKET = re.compile(r"(?<=\S)(?=[（(])")


def _break_before_brackets(soup, cell) -> None:
    """A line-break opportunity (``<wbr>``) before an opening bracket inside a cell:
    “下降33%（0.011）” may wrap as “下降33%” / “（0.011）” (by default it is one unbreakable
    word, which makes a 13-column table too wide for the page)."""
    from bs4 import NavigableString

    for text in list(cell.find_all(string=True)):
        if not isinstance(text, NavigableString) or not _BRACKET.search(str(text)):
            continue
        parts = _BRACKET.split(str(text))
        new = []
        for i, part in enumerate(parts):
            if i:
                new.append(soup.new_tag("wbr"))
            new.append(NavigableString(part))
        text.replace_with(*new)


def font_css(soup) -> str:
    """``@font-face`` rules with WOFF subsets (data URIs) of the body and heading fonts."""
    body = soup.body.get_text() if soup.body else ""
    heads = "".join(
        t.get_text()
        for t in soup.select(
            "h1, h2, h3, h4, h5, h6, th, .table-caption, .cover-county, .chapter-failed, b, strong"
        )
    )
    hei = "".join(  # set in 黑体 (Noto Sans SC) in print
        t.get_text()
        for t in soup.select(
            "main h2, th, .table-caption, .figure-caption, .cover-county, .toc-title"
        )
    )
    rules = []
    for family, kind, text, weight in (
        ("Planeval Serif", "serif", body, "400"),
        ("Planeval Sans", "sans", hei, "400"),
        ("Planeval Sans", "sans-bold", heads, "700"),
    ):
        data = base64.b64encode(fonts.subset_font(kind, text)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
        )
    return "\n".join(rules)


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def embedded_font_css(html_text: str) -> str:
    """The ``@font-face`` rules a finished report embeds (for its chapter pages: the same
    subsets, so a page shared alone renders its Chinese without another subsetting pass)."""
    return "\n".join(_FONT_FACE.findall(html_text))


def page_font_css(text: str) -> str:
    """``@font-face`` of a standalone companion page (数据核查清单, the reports' index): a
    "Planeval Sans" subset of ``text`` (Noto Sans SC Regular; bold is synthesised: one face keeps
    the page small), so it renders on a machine without Chinese fonts."""
    data = base64.b64encode(fonts.subset_font("sans", text)).decode("ascii")
    return (
        '@font-face { font-family: "Planeval Sans"; font-weight: 400; font-style: normal; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); }}'
    )


def cover_info(params: RunParams) -> dict[str, str]:
    """What the cover shows."""
    return {
        "title": params.report_title,
        "county": params.county,
        "period_label": params.period_obj.label,
        "organization": params.organization,
        "date_label": params.date_label,
    }


def external_references(text: str) -> list[str]:
    """Every place in ``text`` that would load something from outside the file."""
    return [m.group(0) for m in EXTERNAL.finditer(text)]


# In a serialized document a text "<" is always "&lt;", so every "<" opens markup: a tag, and
# the content of <style>/<script>, are the only places that can load anything.
_MARKUP = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.I | re.S)


def markup_external_references(document: str) -> list[str]:
    """:func:`external_references` in the markup of a serialized HTML document only (tags and
    style/script content): report text that merely *mentions* ``<a href="https://…">`` or
    ``url(https://…)`` (an analyst's note, escaped) loads nothing and is not reported.

    >>> markup_external_references('<p>写成 &lt;a href="https://x"&gt; 即可</p>')
    []
    >>> markup_external_references('<p><img src="https://x/y.png"></p>')
    ['src="https://']
    >>> markup_external_references("<style>@import 'a.css';</style><p>@import</p>")
    ['@import']
    """
    if EXTERNAL.search(document) is None:  # nothing anywhere (a report as it should be): done
        return []  # in one scan, not one per tag
    return [r for m in _MARKUP.finditer(document) for r in external_references(m.group(0))]


def write_html(
    results: Sequence[ChapterResult], params: RunParams, path: Path, data_dir: Path | None = None
) -> Path:
    """Lay the chapters out in the outline, export and finish the report; write it to ``path``.

    Raises
    ------
    RuntimeError
        The HTML would load something from outside the file.
    """
    nb = outline_notebook(results, params, data_dir) if outlined(results) else merge(results)
    raw = export_html(nb, cover_info(params))
    out = finish_html(raw)
    ext = markup_external_references(out)
    if ext:
        raise RuntimeError(f"report.html 含有外部引用：{ext[:3]}")
    Path(path).write_text(out, encoding="utf-8")
    return Path(path)
