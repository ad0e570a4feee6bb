"""Word report: pandoc (pypandoc-binary) from the report HTML, styled by a reference document.

The reference document is built by code (:func:`build_reference_docx`, python-docx) rather than
committed as a binary: East Asian fonts 黑体 (headings) and 仿宋 (body) with OFL fallbacks
(Noto Sans SC / Noto Serif SC, declared as ``w:altName`` in the font table), black numbered-as-
written headings, chapters (Heading 2) starting on a new page, bordered tables, and a footer
“第 N 页 / 共 M 页”. After the cover, :func:`add_toc` puts a Word table of contents (a ``TOC``
field over Heading 2–3, i.e. 一、 and （一）) that Word fills in when the file is opened.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

HEADING_FONT, HEADING_FALLBACK = "黑体", "Noto Sans SC"
BODY_FONT, BODY_FALLBACK = "仿宋", "Noto Serif SC"
LATIN_FONT = "Times New Roman"

_TABLE_STYLE = """
<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
         w:type="table" w:styleId="Table">
  <w:name w:val="Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="auto"/><w:jc w:val="center"/>
    <w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>
  <w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr>
  <w:tblPr>
    <w:jc w:val="center"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>
    </w:tblBorders>
    <w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>
"""

# Word's built-in TOC entry styles (“toc 2”, “toc 3”): right-aligned page numbers with a dot
# leader at the text width; （一） entries indented two characters.
_TOC_STYLE = """
<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
         w:type="paragraph" w:styleId="TOC{level}">
  <w:name w:val="toc {level}"/>
  <w:basedOn w:val="Normal"/>
  <w:next w:val="Normal"/>
  <w:uiPriority w:val="39"/>
  <w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>
    <w:spacing w:before="0" w:after="0"/><w:ind w:left="{indent}" w:firstLine="0"/></w:pPr>
</w:style>
"""

TOC_TITLE = "目　录"
TOC_INSTR = r'TOC \o "2-3" \h \z \u'  # Heading 2–3 (一、/（一）), hyperlinked entries


def _set_fonts(style, east_asia: str, latin: str = LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):  # drop theme fonts, which would override ours
        if "Theme" in attr:
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)


def _field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _font_fallbacks(doc) -> None:
    """Declare 黑体/仿宋 in the font table with the OFL fonts as ``w:altName``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    xml = part.blob.decode("utf-8")
    add = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{fam}"/></w:font>'
        for name, alt, fam in (
            (HEADING_FONT, HEADING_FALLBACK, "modern"),
            (BODY_FONT, BODY_FALLBACK, "roman"),
        )
    )
    xml = re.sub(r"</w:fonts>\s*$", add + "</w:fonts>", xml.strip())
    parse_xml(xml.encode("utf-8"))  # well-formed check
    part._blob = xml.encode("utf-8")


def pandoc_reference_docx() -> bytes:
    """pandoc's default reference document (``pandoc --print-default-data-file``)."""
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


# Paragraph styles of the report's own pieces: name → (east-asian font, size pt, bold, centred).
# word_html() tags the pieces with pandoc's ``custom-style``; polish_docx() sets the table ones.
CUSTOM_STYLES = {
    "Table Caption": (HEADING_FONT, 12, True, True),
    "Table Note": (BODY_FONT, 10.5, False, False),
    "Table Text": (BODY_FONT, 10.5, False, True),
    "Table Text Small": (BODY_FONT, 9, False, True),
    "Cover Text": (HEADING_FONT, 16, False, True),
    "TOC Title": (HEADING_FONT, 16, True, True),
}


def _paragraph_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    names = {s.name for s in doc.styles}
    for name, (font, size, bold, centred) in CUSTOM_STYLES.items():
        if name in names:
            st = doc.styles[name]
        else:
            st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _set_fonts(st, font, "Arial" if font == HEADING_FONT else LATIN_FONT)
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = False
        pf = st.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.space_before = Pt(6 if name in ("Table Caption", "Cover Text") else 0)
        pf.space_after = Pt(3 if name == "Table Caption" else 0)
        if name.startswith("Table"):
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.keep_with_next = name in ("Table Caption", "TOC Title")
        pf.page_break_before = name == "TOC Title"  # the contents start after the cover
        if name == "TOC Title":
            pf.space_after = Pt(12)
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY


def build_reference_docx(path: Path) -> Path:
    """Write the reference document pandoc styles the Word report with.

    Parameters
    ----------
    path : where to write it (a build artefact; cheap, rebuilt each run).

    Returns
    -------
    Path
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    # Start from pandoc's own reference document: it has every style pandoc uses (Compact for
    # table cells, Table, First Paragraph …) in the form pandoc expects. (python-docx's default
    # template lacks several; LibreOffice then drew every table as an empty grid.)
    doc = Document(io.BytesIO(pandoc_reference_docx()))
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(14)  # 四号; official documents use 三号 (16 pt) for 公文, reports 四号
    normal.paragraph_format.line_spacing = Pt(26)
    # “at least”, not “exactly”: a paragraph holding a chart must grow to the chart's height.
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    normal.paragraph_format.space_after = Pt(0)

    for name in ("Body Text", "First Paragraph"):
        st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
        st.base_style = normal
        _set_fonts(st, BODY_FONT)
        st.paragraph_format.first_line_indent = Pt(28)
        st.paragraph_format.space_after = Pt(0)

    sizes = {
        "Title": 22,
        "Heading 1": 22,
        "Heading 2": 16,
        "Heading 3": 15,
        "Heading 4": 14,
        "Heading 5": 14,
    }
    for name, size in sizes.items():
        st = styles[name]
        _set_fonts(st, HEADING_FONT, "Arial")
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before, pf.space_after = Pt(12), Pt(6)
        pf.keep_with_next = True
        if name in ("Title", "Heading 1"):
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if name == "Heading 2":
            pf.page_break_before = True  # each chapter (一、二、…) starts a page

    _paragraph_styles(doc)
    for old in styles.element.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == "Table":
            styles.element.remove(old)
    styles.element.append(parse_xml(_TABLE_STYLE.strip()))
    for level, indent in ((2, 0), (3, 560)):
        for old in styles.element.findall(qn("w:style")):
            if old.get(qn("w:styleId")) == f"TOC{level}":
                styles.element.remove(old)
        xml = _TOC_STYLE.format(level=level, width=TEXT_WIDTH_TWIPS, indent=indent)
        styles.element.append(parse_xml(xml.strip()))
    _font_fallbacks(doc)

    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 / 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")

    # python-docx's template has sample body text; the reference must only carry styles.
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}p") or child.tag.endswith("}tbl"):
            body.remove(child)
    doc.save(str(path))
    return Path(path)


def word_html(html_text: str) -> str:
    """The report HTML as pandoc should read it: no TOC list (Word has its own), no styles."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    for tag in soup.select("nav.toc, style, script, title"):
        tag.decompose()
    # pandoc reads only <main> when there is one: unwrap it so the cover is kept. The cover's
    # <h1> becomes Heading 1 (no <title>, so no duplicate Title paragraph).
    for tag in soup.select("main, section.cover"):
        tag.unwrap()
    for div in soup.select(".cover-foot"):
        div.unwrap()
    # The report's own pieces get their paragraph styles (pandoc's ``custom-style``).
    for selector, style in (
        (".table-caption", "Table Caption"),
        (".table-note", "Table Note"),
        (".cover-county, .cover-period, .cover-org, .cover-date", "Cover Text"),
    ):
        for tag in soup.select(selector):
            tag.wrap(soup.new_tag("div", attrs={"custom-style": style}))
    return str(soup)


TEXT_WIDTH_TWIPS = 8844  # A4 21 cm − margins 2.8 cm and 2.6 cm = 15.6 cm


def _text_width(text: str) -> int:
    """Width of ``text`` in half-ems: CJK and full-width characters 2, others 1."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


_NUMBER = re.compile(r"^[\s\d.,%‰+\-−—–~～≤≥<>()（）/]+$")
CELL_MARGIN_TWIPS = 80  # left and right, as in the Table style


def column_widths(
    rows: list[list[str]],
    font_pt: float = 10.5,
    total: int = TEXT_WIDTH_TWIPS,
    margin: int = CELL_MARGIN_TWIPS,
) -> list[int]:
    """Column widths (twips, summing to ``total``) from the cells' text.

    A column needs at least its widest number (numbers never wrap) and would like its widest
    text up to 12 characters (a header counts up to 4); a word of up to 4 characters in a body
    cell (超额完成) does not wrap either. When the preferred widths do not fit, the numbers
    and short words keep their width and the text columns share what is left.
    """
    ncols = max((len(r) for r in rows), default=0)
    if not ncols:
        return []
    need, want = [2.0] * ncols, [2.0] * ncols  # half-ems
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            text = text.strip()
            w = _text_width(text)
            if text and (_NUMBER.match(text) or (i and w <= 8)):  # numbers, 超额完成
                need[j] = max(need[j], w + 0.5)
            else:
                want[j] = max(want[j], min(8 if i == 0 else 24, w))
    want = [max(n, w) for n, w in zip(need, want, strict=True)]
    half_em = font_pt * 10  # twips
    avail = (total - ncols * 2 * margin) / half_em
    if sum(want) <= avail:
        weights = want
    elif sum(need) <= avail:
        spare = avail - sum(need)
        extra = [w - n for n, w in zip(need, want, strict=True)]
        weights = [n + spare * e / (sum(extra) or 1) for n, e in zip(need, extra, strict=True)]
    else:
        weights = need
    widths = [int(total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def polish_docx(path: Path) -> None:
    """Tables that fit the page: full text width, columns sized by their content, fixed layout
    (Word and LibreOffice then agree), cell text in “Table Text” (“Table Text Small” from 11
    columns), header row bold."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Twips

    d = docx.Document(str(path))
    for table in d.tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        small = max((len(r) for r in rows), default=0) >= 11
        margin = CELL_MARGIN_TWIPS // 2 if small else CELL_MARGIN_TWIPS
        widths = column_widths(rows, 9 if small else 10.5, margin=margin)
        if not widths:
            continue
        tbl = table._tbl
        tblPr = tbl.tblPr
        tblW = tblPr.find(qn("w:tblW"))
        if tblW is None:
            tblW = OxmlElement("w:tblW")
            tblPr.append(tblW)
        tblW.set(qn("w:type"), "dxa")
        tblW.set(qn("w:w"), str(sum(widths)))
        layout = tblPr.find(qn("w:tblLayout"))
        if layout is None:
            layout = OxmlElement("w:tblLayout")
            # schema order: … tblW, jc, …, tblLayout, tblCellMar, tblLook
            look = tblPr.find(qn("w:tblLook"))
            if look is not None:
                look.addprevious(layout)
            else:
                tblPr.append(layout)
        layout.set(qn("w:type"), "fixed")
        if small:  # narrower cell margins than the Table style's
            mar = OxmlElement("w:tblCellMar")
            for side in ("left", "right"):
                m = OxmlElement(f"w:{side}")
                m.set(qn("w:w"), str(margin))
                m.set(qn("w:type"), "dxa")
                mar.append(m)
            layout.addnext(mar)
        for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
            col.set(qn("w:w"), str(w))
        style = "Table Text Small" if small else "Table Text"
        for i, row in enumerate(table.rows):
            header = (
                i == 0
                and row._tr.trPr is not None
                and row._tr.trPr.find(qn("w:tblHeader")) is not None
            )
            for j, cell in enumerate(row.cells):
                if j < len(widths):
                    cell.width = Twips(widths[j])
                for para in cell.paragraphs:
                    para.style = d.styles[style]
                    if header:
                        for run in para.runs:
                            run.bold = True
    # Charts: centred, no first-line indent.
    for para in d.paragraphs:
        if para._p.find(".//" + qn("w:drawing")) is not None:
            para.paragraph_format.first_line_indent = 0
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_toc(d)
    d.save(str(path))


# w:settings children that the schema puts after w:updateFields (CT_Settings sequence).
_SETTINGS_AFTER_UPDATE_FIELDS = frozenset(
    [
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
)


def _run(*children):
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    for child in children:
        r.append(child)
    return r


def _fld_char(kind: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        el.set(qn("w:dirty"), "true")  # Word recomputes it (with updateFields, on opening)
    return el


def _styled_paragraph(style_id: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ps = OxmlElement("w:pStyle")
    ps.set(qn("w:val"), style_id)
    ppr.append(ps)
    p.append(ppr)
    return p


def _text(text: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    return t


def add_toc(d) -> None:
    """Put a table of contents between the cover and the first chapter (Heading 2).

    “目　录” (style “TOC Title”, which starts a page), then a ``TOC \\o "2-3" \\h \\z \\u``
    field whose cached result lists the 一、/（一） headings (hyperlinked, no page numbers: only
    Word knows them; it recomputes the field on opening because ``w:updateFields`` is set), then
    a page break — unless the first chapter heading starts a page by its style already, which
    would leave a blank page. A document without Heading 2 is left alone.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = d.element.body
    levels = {"Heading2": 2, "Heading3": 3}
    headings = []
    for p in body.iterchildren(qn("w:p")):
        ps = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = levels.get(ps.get(qn("w:val"))) if ps is not None else None
        if level:
            prev = p.getprevious()  # pandoc's bookmark of the heading's id (sec-N) is nearest
            is_mark = prev is not None and prev.tag == qn("w:bookmarkStart")
            anchor = prev.get(qn("w:name")) if is_mark else None
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            headings.append((p, level, anchor, text))
    if not headings:
        return
    first = headings[0][0]
    while first.getprevious() is not None and first.getprevious().tag == qn("w:bookmarkStart"):
        first = first.getprevious()

    title = _styled_paragraph("TOCTitle")
    title.append(_run(_text(TOC_TITLE)))
    first.addprevious(title)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {TOC_INSTR} "
    entries = []
    for _, level, anchor, text in headings:
        p = _styled_paragraph(f"TOC{level}")
        run = _run(_text(text))
        if anchor:
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), anchor)
            link.set(qn("w:history"), "1")
            link.append(run)
            p.append(link)
        else:
            p.append(run)
        entries.append(p)
    entries[0].insert(1, _run(_fld_char("begin")))
    entries[0].insert(2, _run(instr))
    entries[0].insert(3, _run(_fld_char("separate")))
    entries[-1].append(_run(_fld_char("end")))
    for p in entries:
        first.addprevious(p)
    if not d.styles["Heading 2"].paragraph_format.page_break_before:
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        brk = OxmlElement("w:p")
        brk.append(_run(br))
        first.addprevious(brk)

    # Word updates the fields (the TOC's page numbers) when it opens the file.
    settings = d.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        after = next(
            (c for c in settings if c.tag.split("}")[-1] in _SETTINGS_AFTER_UPDATE_FIELDS),
            None,
        )
        if after is not None:
            after.addprevious(update)
        else:
            settings.append(update)
    update.set(qn("w:val"), "true")


def write_docx(html_path: Path, docx_path: Path) -> Path:
    """Convert the report HTML to Word with pandoc and the reference document."""
    import pypandoc

    docx_path = Path(docx_path)
    ref = build_reference_docx(docx_path.with_name(".reference.docx"))
    src = docx_path.with_name(".word.html")
    src.write_text(word_html(Path(html_path).read_text(encoding="utf-8")), encoding="utf-8")
    try:
        pypandoc.convert_file(
            str(src),
            "docx",
            format="html",
            outputfile=str(docx_path),
            extra_args=[f"--reference-doc={ref}", "--metadata=lang:zh-CN", "--quiet"],
            sandbox=True,
        )
    finally:
        src.unlink(missing_ok=True)
        ref.unlink(missing_ok=True)
    polish_docx(docx_path)
    return docx_path


def write_docx_process(html_path: Path, docx_path: Path, timeout: float = 600) -> Path:
    """:func:`write_docx` in its own Python process (``python -m planeval.report.docx``).

    The runner builds Word beside the PDF; in one process the two compete for the GIL
    (python-docx and BeautifulSoup here, WeasyPrint's layout there). A subprocess also works
    inside a Dask worker, whose daemonic process may not fork multiprocessing children.

    Raises
    ------
    RuntimeError
        The conversion failed; the message is the child's last error line.
    """
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "planeval.report.docx", str(html_path), str(docx_path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if r.returncode != 0:
        lines = [ln for ln in (r.stderr or "").splitlines() if ln.strip()]
        raise RuntimeError(lines[-1] if lines else f"Word 生成进程退出码 {r.returncode}")
    return Path(docx_path)


def main(argv: list[str] | None = None) -> int:
    """``python -m planeval.report.docx REPORT.html REPORT.docx``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("用法：python -m planeval.report.docx REPORT.html REPORT.docx", file=sys.stderr)
        return 2
    try:
        write_docx(Path(args[0]), Path(args[1]))
    except Exception as e:  # noqa: BLE001 - one line for the parent, no traceback
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
