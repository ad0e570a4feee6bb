"""Word report: pandoc (pypandoc-binary) from the report HTML, styled by a reference document.

The reference document is built by code (:func:`build_reference_docx`, python-docx) rather than
committed as a binary. It sets the one 公文 layout of :mod:`planeval.report.layout` that the PDF
shares: A4 with the 156 × 225 mm type area, body 三号仿宋 on a fixed 28.9 pt line pitch, title
二号小标宋, 一级 黑体, 二级 楷体, 三级 仿宋 bold, 四级 仿宋, page numbers “— N —” at the outside
corners (odd right, even left) and none on the cover. The faces are named as Chinese offices
have them (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体) with the open faces the PDF embeds as
``w:altName`` (Noto Serif SC, Noto Sans SC).

:func:`polish_docx` then follows the PDF's layout (:class:`planeval.report.pdf.PrintLayout`): a
table of contents (three levels) whose entries carry the PDF's page numbers, so Word, WPS and
LibreOffice show them on opening without updating any field; the tables that the PDF set on
landscape pages in landscape sections; tables with columns sized from their content (never
narrower than the longest word), rows that never split across pages, repeating header rows and
numbers aligned right.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import os
import re
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from planeval.fonts import STAND_INS
from planeval.report import layout as L
from planeval.report.colwidths import (  # shared with the PDF (pdf.py)
    LANDSCAPE_WIDTH_TWIPS,
    TEXT_WIDTH_TWIPS,
    column_widths,
    is_number,
)

if TYPE_CHECKING:
    from planeval.report.pdf import PrintLayout

TITLE_FONT = L.FACES["title"]
HEADING_FONT = L.FACES["hei"]
KAI_FONT = L.FACES["kai"]
BODY_FONT = L.FACES["fang"]
SONG_FONT = L.FACES["song"]

_TABLE_STYLE = """
<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
         w:type="table" w:styleId="Table">
  <w:name w:val="Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>
    <w:jc w:val="center"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>
  <w:rPr><w:spacing w:val="0"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>
  <w:tblPr>
    <w:jc w:val="center"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>
    </w:tblBorders>
    <w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>
      <w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>
"""

# Word's built-in TOC entry styles (“toc 2” … “toc 4”): body size on the line grid,
# right-aligned page numbers with a dot leader at the text width, each level two characters in.
_TOC_STYLE = """
<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
         w:type="paragraph" w:styleId="TOC{level}">
  <w:name w:val="toc {level}"/>
  <w:basedOn w:val="Normal"/>
  <w:next w:val="Normal"/>
  <w:uiPriority w:val="39"/>
  <w:unhideWhenUsed/>
  <w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>
    <w:spacing w:before="0" w:after="0"/><w:ind w:left="{indent}" w:firstLine="0"/>
    <w:jc w:val="left"/></w:pPr>
</w:style>
"""

TOC_TITLE = "目　录"
TOC_LEVELS = (2, 3, 4)
TOC_INSTR = r'TOC \o "2-4" \h \z \u'  # Heading 2–4 (一、/（一）/1.), hyperlinked entries


def _set_fonts(style, east_asia: str, latin: str | None = None) -> None:
    """Name ``east_asia`` for Chinese text and (by default) for digits and Latin letters too:
    公文 digits are set in the text face, and the PDF's stand-in face has both."""
    from docx.oxml.ns import qn

    latin = latin or east_asia
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


def _char_spacing(style, pt: float) -> None:
    """Character spacing (``w:spacing`` in the run properties): condensed when negative."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    sp = OxmlElement("w:spacing")
    sp.set(qn("w:val"), str(L.twips(pt)))
    # schema order of rPr: rStyle, rFonts, b, …, spacing, w, kern, position, sz, …
    anchor = rpr.find(qn("w:sz"))
    for tag in ("w:w", "w:kern", "w:position"):
        anchor = rpr.find(qn(tag)) if rpr.find(qn(tag)) is not None else anchor
        if anchor is not None and anchor.tag == qn(tag):
            break
    if anchor is not None:
        anchor.addprevious(sp)
    else:
        rpr.append(sp)


def _exact(pf, pt: float) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    pf.line_spacing = Pt(pt)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _page_field(paragraph) -> None:
    """``— PAGE —``: the page number between dashes (a ``PAGE`` field, so Word computes it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run("— ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), SONG_FONT)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), str(round(L.PAGE_NUMBER_PT * 2)))
        rpr.append(sz)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = "2"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)
    paragraph.add_run(" —")


def _font_fallbacks(doc) -> None:
    """Declare the office faces in the font table with the open stand-ins as ``w:altName``."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    part = next((r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE), None)
    if part is None:
        return
    xml = part.blob.decode("utf-8")
    add = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if "Sans" in alt else "roman"}"/></w:font>'
        for name, alt in STAND_INS.items()
    )
    xml = re.sub(r"</w:fonts>\s*$", add + "</w:fonts>", xml.strip())
    parse_xml(xml.encode("utf-8"))  # well-formed check
    part._blob = xml.encode("utf-8")


# w:pPr children that follow autoSpaceDE/DN in the schema's order.
_PPR_AFTER_AUTOSPACE = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip


def pandoc_reference_docx() -> bytes:
    """pandoc's default reference document (``pandoc --print-default-data-file``)."""
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


# Paragraph styles of the report's own pieces:
# name → (east-asian font, size pt, bold, alignment, exact line pt or None for single).
CUSTOM_STYLES = {
    "Table Caption": (HEADING_FONT, L.CAPTION_PT, False, "center", L.CAPTION_LINE_PT),
    "Image Caption": (HEADING_FONT, L.CAPTION_PT, False, "center", L.CAPTION_LINE_PT),
    "Table Note": (BODY_FONT, L.NOTE_PT, False, "justify", L.NOTE_LINE_PT),
    "Table Text": (BODY_FONT, L.TABLE_PT, False, "center", L.TABLE_LINE_PT),
    "Table Text Small": (BODY_FONT, L.SMALL_TABLE_PT, False, "center", L.SMALL_TABLE_LINE_PT),
    "Table Header": (HEADING_FONT, L.TABLE_PT, False, "center", L.TABLE_LINE_PT),
    "Table Header Small": (
        HEADING_FONT,
        L.SMALL_TABLE_PT,
        False,
        "center",
        L.SMALL_TABLE_LINE_PT,
    ),
    "Cover Text": (BODY_FONT, L.BODY_PT, False, "center", L.LINE_PT),
    "Cover County": (HEADING_FONT, L.BODY_PT, False, "center", L.LINE_PT),
    "Cover Org": (BODY_FONT, L.BODY_PT, False, "center", L.LINE_PT),
    "TOC Title": (HEADING_FONT, L.BODY_PT, False, "center", L.LINE_PT),
    "Captioned Figure": (BODY_FONT, L.BODY_PT, False, "center", None),
    "Figure": (BODY_FONT, L.BODY_PT, False, "center", None),
}


# The cover as print.css sets it: the county 40 mm down, the organisation 60 mm below the period.
COVER_SPACE_MM = {"Cover County": 40.0, "Cover Org": 60.0}


def _paragraph_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    names = {s.name for s in doc.styles}
    for name, (font, size, bold, al, line) in CUSTOM_STYLES.items():
        if name in names:
            st = doc.styles[name]
        else:
            st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _set_fonts(st, font)
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = False
        if size != L.BODY_PT or name.startswith("TOC"):
            _char_spacing(st, 0)
        pf = st.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(0)
        pf.space_before = Mm(COVER_SPACE_MM.get(name, 0))
        pf.space_after = Pt(L.LINE_PT if name == "TOC Title" else 0)
        if line is None:
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            _exact(pf, line)
        pf.keep_with_next = name in ("Table Caption", "TOC Title", "Captioned Figure", "Figure")
        pf.page_break_before = name == "TOC Title"  # the contents start after the cover
        pf.alignment = align[al]


# Heading styles: name → (east-asian font, size, bold, centred).
HEADINGS = {
    "Title": (TITLE_FONT, L.TITLE_PT, False, True),
    "Heading 1": (TITLE_FONT, L.TITLE_PT, False, True),  # the cover's title
    "Heading 2": (HEADING_FONT, L.BODY_PT, False, False),  # 一、 黑体
    "Heading 3": (KAI_FONT, L.BODY_PT, False, False),  # （一） 楷体
    "Heading 4": (BODY_FONT, L.BODY_PT, True, False),  # 1. 仿宋 bold
    "Heading 5": (BODY_FONT, L.BODY_PT, False, False),  # （1） 仿宋
    "Heading 6": (BODY_FONT, L.BODY_PT, False, False),
}


def _section_geometry(sec, landscape: bool = False) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    w, h = L.PAGE_MM
    m = L.LANDSCAPE_MARGINS_MM if landscape else L.MARGINS_MM
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (Mm(h), Mm(w)) if landscape else (Mm(w), Mm(h))
    sec.top_margin, sec.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    sec.left_margin, sec.right_margin = Mm(m["left"]), Mm(m["right"])
    sec.footer_distance = Mm(L.FOOTER_MM - 7 if landscape else L.FOOTER_MM)
    sec.header_distance = Mm(15)


def build_reference_docx(path: Path) -> Path:
    """Write the reference document pandoc styles the Word report with.

    Parameters
    ----------
    path : where to write it (a build artefact; made once per process, the same bytes for
        every report: a warm Word child does not run pandoc and python-docx for it again).

    Returns
    -------
    Path
    """
    Path(path).write_bytes(_reference_docx())
    return Path(path)


@functools.lru_cache(maxsize=1)
def _reference_docx() -> bytes:
    """The bytes of :func:`build_reference_docx`'s document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    # Start from pandoc's own reference document: it has every style pandoc uses (Compact for
    # table cells, Table, First Paragraph …) in the form pandoc expects. (python-docx's default
    # template lacks several; LibreOffice then drew every table as an empty grid.)
    doc = Document(io.BytesIO(pandoc_reference_docx()))
    sec = doc.sections[0]
    _section_geometry(sec)

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(L.BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _char_spacing(normal, L.CHAR_SPACING_PT)
    _exact(normal.paragraph_format, L.LINE_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    # No automatic space between Chinese and digits/Latin (Word's and LibreOffice's default
    # adds about a quarter em): the PDF sets none, and 公文 text has none, so both break their
    # lines alike (28 characters) and paginate alike.
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _set_child(ppr, tag, {"w:val": "0"}, before=_PPR_AFTER_AUTOSPACE)

    for name in ("Body Text", "First Paragraph", "Compact"):
        st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
        st.base_style = normal
        _set_fonts(st, BODY_FONT)
        st.font.size = Pt(L.BODY_PT)
        pf = st.paragraph_format
        pf.first_line_indent = Pt(0 if name == "Compact" else L.INDENT_PT)
        pf.space_before = pf.space_after = Pt(0)
        _exact(pf, L.LINE_PT)

    for name, (font, size, bold, centred) in HEADINGS.items():
        st = styles[name]
        _set_fonts(st, font)
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before, pf.space_after = Pt(0), Pt(0)
        pf.keep_with_next = True
        if centred:
            _char_spacing(st, 0)
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.first_line_indent = Pt(0)
            pf.space_before, pf.space_after = Pt(24), Pt(24)
            _exact(pf, 36)
        else:
            pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            pf.first_line_indent = Pt(L.INDENT_PT)
            _exact(pf, L.LINE_PT)
        if name == "Heading 2":
            pf.page_break_before = True  # each chapter (一、二、…) starts a page

    _paragraph_styles(doc)
    for old in styles.element.findall(qn("w:style")):
        if old.get(qn("w:styleId")) == "Table":
            styles.element.remove(old)
    table_style = _TABLE_STYLE.format(
        line=L.twips(L.TABLE_LINE_PT), size=round(L.TABLE_PT * 2), pad=L.twips(L.CELL_PAD_PT)
    )
    styles.element.append(parse_xml(table_style.strip()))
    for level in TOC_LEVELS:
        for old in styles.element.findall(qn("w:style")):
            if old.get(qn("w:styleId")) == f"TOC{level}":
                styles.element.remove(old)
        xml = _TOC_STYLE.format(
            level=level, width=TEXT_WIDTH_TWIPS, indent=L.twips(L.INDENT_PT) * (level - 2)
        )
        styles.element.append(parse_xml(xml.strip()))
    _font_fallbacks(doc)
    _footers(doc, sec)

    # python-docx's template has sample body text; the reference must only carry styles.
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}p") or child.tag.endswith("}tbl"):
            body.remove(child)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _footers(doc, sec) -> None:
    """“— N —” in 四号宋体 at the outside corner one character in: odd pages right, even pages
    left; the first page (the cover) none."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    sec.different_first_page_header_footer = True
    for footer, align in (
        (sec.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(L.PAGE_NUMBER_PT if align == WD_ALIGN_PARAGRAPH.LEFT else 0)
        pf.right_indent = Pt(L.PAGE_NUMBER_PT if align == WD_ALIGN_PARAGRAPH.RIGHT else 0)
        _exact(pf, L.PAGE_NUMBER_PT * 1.5)
        _page_field(p)
        for run in p.runs:
            run.font.size = Pt(L.PAGE_NUMBER_PT)
            run.font.name = SONG_FONT
            run._r.get_or_add_rPr().get_or_add_rFonts().set(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia",
                SONG_FONT,
            )
    first = sec.first_page_footer
    first.is_linked_to_previous = False  # an empty footer on the cover


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
        (".cover-county", "Cover County"),
        (".cover-period, .cover-date", "Cover Text"),
        (".cover-org", "Cover Org"),
    ):
        for tag in soup.select(selector):
            tag.wrap(soup.new_tag("div", attrs={"custom-style": style}))
    return str(soup)


def _set_child(parent, tag: str, attrs: dict[str, str], before: tuple[str, ...] = ()):
    """Put (or replace) a child element ``tag`` with ``attrs``, before the first of ``before``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    anchor = next((c for c in parent if c.tag in {qn(b) for b in before}), None)
    if anchor is not None:
        anchor.addprevious(el)
    else:
        parent.append(el)
    return el


# w:tblPr children in schema order, for inserting ours in the right place.
_TBLPR_AFTER_LAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
# w:trPr children: cantSplit and tblHeader may come in any order (a choice group).


def polish_table(d, table, landscape: bool = False) -> None:
    """One table: widths from content, fixed layout, rows never split across pages, header rows
    repeated, header cells in “Table Header”, numbers aligned right."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Twips

    rows = [[c.text for c in r.cells] for r in table.rows]
    small = not landscape and max((len(r) for r in rows), default=0) >= L.SMALL_TABLE_COLUMNS
    margin = L.twips(L.SMALL_CELL_PAD_PT if small else L.CELL_PAD_PT)
    total = LANDSCAPE_WIDTH_TWIPS if landscape else TEXT_WIDTH_TWIPS
    widths = column_widths(
        rows, L.SMALL_TABLE_PT if small else L.TABLE_PT, total=total, margin=margin
    )
    if not widths:
        return
    tbl = table._tbl
    tblPr = tbl.tblPr
    _set_child(
        tblPr,
        "w:tblW",
        {"w:type": "dxa", "w:w": str(sum(widths))},
        before=(
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            *_TBLPR_AFTER_LAYOUT,
        ),
    )
    _set_child(tblPr, "w:tblLayout", {"w:type": "fixed"}, before=_TBLPR_AFTER_LAYOUT)
    if small:  # narrower cell margins than the Table style's
        from docx.oxml import parse_xml

        for old in tblPr.findall(qn("w:tblCellMar")):
            tblPr.remove(old)
        mar = parse_xml(
            '<w:tblCellMar xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
            "</w:tblCellMar>"
        )
        tblPr.find(qn("w:tblLayout")).addnext(mar)
    for col, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=False):
        col.set(qn("w:w"), str(w))
    # the styles' ids, looked up once: ``para.style = style`` looks the id up again for each
    # paragraph, a third of this function's time on the demo's tables (neither is a default
    # style, the one case where python-docx would write none)
    para_type = WD_STYLE_TYPE.PARAGRAPH
    text_style = d.part.get_style_id(
        d.styles["Table Text Small" if small else "Table Text"], para_type
    )
    head_style = d.part.get_style_id(
        d.styles["Table Header Small" if small else "Table Header"], para_type
    )
    in_header = True
    for row in table.rows:
        trPr = row._tr.get_or_add_trPr()
        header = in_header and trPr.find(qn("w:tblHeader")) is not None
        in_header = header
        _set_child(trPr, "w:cantSplit", {"w:val": "true"})
        for j, cell in enumerate(row.cells):
            if j < len(widths):
                cell.width = Twips(widths[j])
            number = not header and is_number(cell.text)
            for para in cell.paragraphs:
                para._p.style = head_style if header else text_style
                if number:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in para.runs:
                    run.bold = None  # the header's face is 黑体, not bold


def _sect_break(sectPr):
    """An empty, one-point-high paragraph that ends a section with ``sectPr``."""
    from docx.oxml import parse_xml

    p = parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr>'
        '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
        '<w:ind w:firstLine="0"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
    )
    ppr = p[0]
    ppr.insert(len(ppr) - 1, sectPr)
    return p


def _section_props(base, landscape: bool, first: bool):
    """A copy of the document's section properties for a portrait or landscape section; only
    the first section (the cover's) has a different first page."""
    import copy

    from docx.oxml.ns import qn
    from docx.section import Section

    sp = copy.deepcopy(base)
    for tag in ("w:titlePg", "w:pgNumType"):
        for el in sp.findall(qn(tag)):
            sp.remove(el)
    if not first:  # later sections inherit the footers
        for el in sp.findall(qn("w:footerReference")) + sp.findall(qn("w:headerReference")):
            sp.remove(el)
    sec = Section(sp, None)
    _section_geometry(sec, landscape)
    if first:
        sec.different_first_page_header_footer = True
    return sp


def _style_id(p) -> str | None:
    from docx.oxml.ns import qn

    if p is None or p.tag != qn("w:p"):
        return None
    ps = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return ps.get(qn("w:val")) if ps is not None else None


def _with_leading_headings(start):
    """``start`` or, when headings (with their bookmarks) come right before it, the first of
    them: the headings that open a landscape table go into its section, as in the PDF
    (:func:`planeval.report.stitch.lead_headings`)."""
    from docx.oxml.ns import qn

    marks = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    cur = start
    while True:
        prev = cur.getprevious()
        while prev is not None and prev.tag in marks:
            prev = prev.getprevious()
        sid = _style_id(prev) or ""
        if not sid.startswith("Heading") or sid == "Heading1":
            break
        cur = start = prev
    while start.getprevious() is not None and start.getprevious().tag == qn("w:bookmarkStart"):
        start = start.getprevious()
    return start


def _only_blank_between(a, b) -> bool:
    """Nothing but empty paragraphs and bookmarks between body elements ``a`` and ``b``."""
    from docx.oxml.ns import qn

    el = a.getnext()
    while el is not None and el is not b:
        if el.tag not in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")) and (
            el.tag != qn("w:p") or "".join(el.itertext()).strip()
        ):
            return False
        el = el.getnext()
    return el is b


def _page_break_before(el) -> None:
    """Start a new page at body element ``el`` (its first paragraph: a bookmark is skipped)."""
    from docx.oxml.ns import qn

    while el is not None and el.tag != qn("w:p"):
        el = el.getnext()
    if el is not None:
        ppr = el.get_or_add_pPr()
        _set_child(
            ppr,
            "w:pageBreakBefore",
            {},
            before=(
                "w:keepNext",
                "w:keepLines",
                "w:widowControl",
                "w:numPr",
                "w:spacing",
                "w:ind",
                "w:jc",
            ),
        )


def landscape_sections(d, tables: list[int]) -> None:
    """Put each of ``tables`` (indexes into ``d.tables``) with its caption and note on landscape
    pages: a section of its own, between portrait sections. The headings right before the
    caption go with it, so that none is left alone on the portrait page before."""
    from docx.oxml.ns import qn

    body = d.element.body
    base = body.find(qn("w:sectPr"))
    if base is None or not tables:
        return
    first = True
    last_break = None  # the paragraph that ends the previous landscape section
    for i in tables:
        tbl = d.tables[i]._tbl
        start, end = tbl, tbl
        prev, nxt = tbl.getprevious(), tbl.getnext()
        if _style_id(prev) == "TableCaption":
            start = prev
        start = _with_leading_headings(start)
        if _style_id(nxt) == "TableNote":
            end = nxt
        if last_break is not None and _only_blank_between(last_break, start):
            # the previous landscape table's section goes on (no empty portrait page between
            # two landscape tables); this one starts a new page, as in the PDF
            last_break.getparent().remove(last_break)
            _page_break_before(start)
        else:
            start.addprevious(_sect_break(_section_props(base, landscape=False, first=first)))
        last_break = _sect_break(_section_props(base, landscape=True, first=False))
        end.addnext(last_break)
        first = False
    # The last section (the document's own sectPr) is portrait and no longer the cover's.
    last = _section_props(base, landscape=False, first=False)
    base.getparent().replace(base, last)


def toc_anchors(html_text: str) -> list[str]:
    """The heading ids the HTML's table of contents links to, in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    return [a["href"][1:] for a in soup.select("nav.toc a[href^='#']")]


def polish_docx(
    path: Path, layout: PrintLayout | None = None, toc: list[str] | None = None
) -> None:
    """Follow the PDF's layout: tables sized by their content (landscape where the PDF has them),
    charts centred at their own line height, the table of contents with the PDF's page numbers.

    Parameters
    ----------
    path : the Word file pandoc wrote (changed in place).
    layout : the PDF's :class:`~planeval.report.pdf.PrintLayout`; without it the contents list
        has no page numbers and every table stays portrait.
    toc : the bookmarks the contents list (:func:`toc_anchors`); None: Heading 2 and 3.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn

    d = docx.Document(str(path))
    wide = {int(n) - 1 for n in (layout.landscape if layout else ())}
    if len(wide) and max(wide) >= len(d.tables):  # tables do not match the HTML's: stay safe
        wide = set()
    for i, table in enumerate(d.tables):
        polish_table(d, table, landscape=i in wide)
    # Charts: centred, no first-line indent, the line as high as the picture.
    for para in d.paragraphs:
        if para._p.find(".//" + qn("w:drawing")) is not None:
            pf = para.paragraph_format
            pf.first_line_indent = 0
            pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
            pf.keep_with_next = True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_toc(d, layout.pages if layout else None, toc)
    landscape_sections(d, sorted(wide))
    d.save(str(path))


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


def toc_headings(d) -> list[tuple]:
    """The headings the contents list: (paragraph, level, bookmark, text) for Heading 2–4.

    A Heading 4 is listed only when the HTML's own contents list it (a chapter's heading,
    marked by stitch with the bookmark of its id); pandoc's bookmark of the heading's id
    (``sec-N``) is the paragraph's nearest preceding sibling.
    """
    from docx.oxml.ns import qn

    levels = {f"Heading{n}": n for n in TOC_LEVELS}
    out = []
    for p in d.element.body.iterchildren(qn("w:p")):
        ps = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        level = levels.get(ps.get(qn("w:val"))) if ps is not None else None
        if not level:
            continue
        mark = p.find(qn("w:bookmarkStart"))
        prev = p.getprevious()
        if mark is None and prev is not None and prev.tag == qn("w:bookmarkStart"):
            mark = prev
        anchor = mark.get(qn("w:name")) if mark is not None else None
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        out.append((p, level, anchor, text))
    return out


def add_toc(d, pages: dict[str, int] | None = None, toc: list[str] | None = None) -> None:
    """Put a table of contents between the cover and the first chapter (Heading 2).

    “目　录” (style “TOC Title”, which starts a page), then a ``TOC \\o "2-4" \\h \\z \\u``
    field whose result is already written: one entry per heading (一、, （一）, and the 1.
    headings that are chapters), hyperlinked, each with its page number in the PDF's layout
    (``pages``: bookmark → page). Nothing asks to update the field, so Word, WPS and
    LibreOffice show the numbers as written; a user may still update the field in Word. The
    entries are the headings whose bookmarks ``toc`` lists (the HTML's contents, see
    :func:`toc_anchors`), or without it every Heading 2 and 3. A document without Heading 2 is
    left alone.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    headings = toc_headings(d)
    if toc is not None:
        listed = set(toc)
        headings = [h for h in headings if h[2] in listed]
    else:
        headings = [h for h in headings if h[1] < 4]
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
        runs = [_run(_text(text))]
        page = (pages or {}).get(anchor) if anchor else None
        if page is not None:
            runs += [_run(OxmlElement("w:tab")), _run(_text(str(page)))]
        if anchor:
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), anchor)
            link.set(qn("w:history"), "1")
            for r in runs:
                link.append(r)
            p.append(link)
        else:
            for r in runs:
                p.append(r)
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
    # No w:updateFields: it makes Word ask a question on opening; the numbers are written.
    settings = d.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)


def scratch_files(docx_path: Path) -> tuple[Path, Path]:
    """The reference document and the pandoc input :func:`convert_docx` writes beside the
    Word file while it converts (removed after it, or by the parent when the child ends
    mid-report: stopped, or dead)."""
    return docx_path.with_name(".reference.docx"), docx_path.with_name(".word.html")


def convert_docx(html_path: Path, docx_path: Path) -> Path:
    """pandoc's conversion of the report HTML with the reference document (no polish yet)."""
    import pypandoc

    docx_path = Path(docx_path)
    ref, src = scratch_files(docx_path)
    ref = build_reference_docx(ref)
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
    return docx_path


def _follow_layout(
    html_path: Path, docx_path: Path, layout: PrintLayout | Callable[[], PrintLayout] | None
) -> Path:
    if layout is None:
        from planeval.report import pdf

        layout = pdf.print_layout(pdf.render(html_path))
    elif callable(layout):
        layout = layout()
    toc = toc_anchors(Path(html_path).read_text(encoding="utf-8"))
    polish_docx(docx_path, layout, toc or None)
    return Path(docx_path)


def write_docx(
    html_path: Path,
    docx_path: Path,
    layout: PrintLayout | Callable[[], PrintLayout] | None = None,
) -> Path:
    """Convert the report HTML to Word (:func:`convert_docx`) and make it follow the PDF's
    layout (:func:`polish_docx`).

    Parameters
    ----------
    html_path : the finished report HTML.
    docx_path : where to write the Word file.
    layout : the PDF's layout (or a function that waits for it: pandoc runs meanwhile); None
        lays the HTML out once here (:func:`planeval.report.pdf.render`) to get it.
    """
    convert_docx(html_path, docx_path)
    return _follow_layout(html_path, docx_path, layout)


def write_docx_process(
    html_path: Path,
    docx_path: Path,
    timeout: float = 600,
    layout: PrintLayout | Callable[[], PrintLayout] | None = None,
) -> Path:
    """:func:`write_docx` with pandoc's conversion in its own Python process (a
    :class:`Converter`, ``python -m planeval.report.docx --serve``, kept for the next report
    this process builds), then the polish here.

    The runner builds Word beside the PDF; in one process the two compete for the GIL
    (python-docx and BeautifulSoup here, WeasyPrint's layout there). A subprocess also works
    inside a Dask worker, whose daemonic process may not fork multiprocessing children. The
    polish waits for the PDF's layout (``layout``, a function the runner resolves when the PDF
    is written), so it no longer competes with WeasyPrint.

    Raises
    ------
    RuntimeError
        The conversion failed; the message is the child's one-line reason (the first line
        of its error), or the last line it wrote to stderr when it died.
    subprocess.TimeoutExpired
        No answer within ``timeout`` seconds (the child is stopped).
    """
    converter = _take_converter()
    try:
        try:
            converter.convert(Path(html_path), Path(docx_path), timeout)
        except ConverterGone:
            if not converter.uses:  # a fresh child that died: this report's failure
                raise
            # a kept child that died since its last report (killed, out of memory): once more
            # on a fresh one, as a new process per report would have
            converter.close()
            converter = Converter()
            converter.convert(Path(html_path), Path(docx_path), timeout)
    finally:
        _give_back(converter)
    return _follow_layout(html_path, docx_path, layout)


class ConverterGone(RuntimeError):
    """The Word child ended without answering (not a conversion's error, not a timeout)."""


class Converter:
    """A child process converting report HTML to Word (:func:`convert_docx`) one request
    after another: ``python -m planeval.report.docx --serve``.

    Kept warm between the reports a process builds (a batch worker's counties): a fresh child
    per report paid its interpreter start, its imports and the HTML parser's and CSS
    selectors' first compilation every time (measured on the demo: 2.2 CPU-s for the first
    report of a child, pandoc's included, 1.7-1.9 for each one after). Requests and
    answers are one JSON line each over its stdin and stdout (what it prints goes to its
    stderr, kept in a temporary file for the message if it dies: nothing printed can be taken
    for an answer). The child ends when its stdin closes, so it does not outlive this
    process, also when this one is killed.
    """

    def __init__(self) -> None:
        import sys
        import tempfile

        self.uses = 0  # reports converted
        self.errors_from = 0  # where the current request's stderr starts
        # True from a request until its well-formed answer: a child interrupted in between
        # (its answer would be read as the next report's) is never used again
        self.pending = False
        # its stderr, kept: the last line says why it died (an import error, say)
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the child
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "planeval.report.docx", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            # its own process group: Ctrl-C reaches this process only, which waits for the
            # report under way and ends the child as it exits (a child killed mid-report by
            # the same Ctrl-C would only be retried); kill() stops the group, pandoc with it
            **(
                {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
                if os.name == "nt"
                else {"start_new_session": True}
            ),
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def convert(self, html_path: Path, docx_path: Path, timeout: float = 600) -> None:
        """Convert in the child; raises RuntimeError (its one-line error) or, after
        ``timeout`` seconds, subprocess.TimeoutExpired (the child is stopped)."""
        import json

        request = {"html": str(Path(html_path).resolve()), "docx": str(Path(docx_path).resolve())}
        # a timer, not select(): the same on every platform; it ends the child, and the
        # read below then sees the end of its output
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            self.kill()

        timer = threading.Timer(timeout, stop)
        # what it writes to stderr from now on is this request's (a kept child's earlier
        # lines would name another report's trouble); a fresh one's from its start
        self.errors_from = self.errors.seek(0, os.SEEK_END) if self.uses else 0
        timer.start()
        self.pending = True
        try:
            try:
                self.proc.stdin.write(json.dumps(request).encode("ascii") + b"\n")
                self.proc.stdin.flush()
                line = self.proc.stdout.readline()
            except OSError:  # the child is gone (its pipe broken)
                line = b""
        finally:
            timer.cancel()
        if not line:
            try:
                code = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # its output closed, yet it runs on
                self.kill()
                code = self.proc.wait()
            # stopped mid-report, the child left its scratch files beside the Word file
            for f in scratch_files(Path(docx_path)):
                f.unlink(missing_ok=True)
            if expired.is_set():
                raise subprocess.TimeoutExpired(self.proc.args, timeout)
            why = self._last_error()
            raise ConverterGone(
                f"Word 生成进程意外退出（退出码 {code}）" + (f"：{why}" if why else "")
            )
        try:
            answer = json.loads(line)
            ok, error = bool(answer["ok"]), answer.get("error")
        except (ValueError, TypeError, KeyError):
            raise RuntimeError("Word 生成进程的回答无法识别") from None
        self.pending = False
        self.uses += 1
        if not ok:
            raise RuntimeError(error or "Word 生成失败")

    def _last_error(self) -> str:
        """The last non-empty line the child wrote to its stderr since the request was sent
        (say an import error), as one line (:func:`planeval.report.execute.one_line`)."""
        from planeval.report.execute import one_line

        try:
            end = self.errors.seek(0, os.SEEK_END)
            self.errors.seek(max(self.errors_from, end - 4000))
            lines = [ln for ln in self.errors.read().splitlines() if ln.strip()]
        except OSError:
            return ""
        return one_line(lines[-1].decode("utf-8", "replace")) if lines else ""

    def kill(self) -> None:
        """Stop the child and what it started (pandoc, which would write on): on POSIX its
        whole process group, which it leads."""
        if os.name != "nt":
            with contextlib.suppress(OSError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.proc.kill()

    def close(self) -> None:
        """Ask the child to end (its stdin closed) and wait for it; stop it if it does not."""
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.errors.close()


_IDLE: list[Converter] = []  # warm children not converting now (one per report at a time)
_IDLE_LOCK = threading.Lock()
_KEEP = 2  # at most this many kept idle (a run converts one report at a time)
_MAX_USES = 50  # then a fresh child: whatever a long life accumulates stays bounded
_CLOSED_AT_EXIT: list[bool] = []  # close_converters registered with atexit


def _take_converter() -> Converter:
    with _IDLE_LOCK:
        while _IDLE:
            c = _IDLE.pop()
            if c.alive():
                return c
            c.close()
        if not _CLOSED_AT_EXIT:  # waited for when this process ends (they would end anyway)
            from multiprocessing import util

            atexit.register(close_converters)
            # and in a forked worker process, which ends without atexit
            util.Finalize(None, close_converters, exitpriority=0)
            _CLOSED_AT_EXIT.append(True)
    return Converter()


def _give_back(c: Converter) -> None:
    with _IDLE_LOCK:
        if c.alive() and not c.pending and c.uses < _MAX_USES and len(_IDLE) < _KEEP:
            _IDLE.append(c)
            return
    c.close()


def _forget_converters() -> None:
    """In a forked child: the parent's Word children and their pipes are the parent's."""
    global _IDLE_LOCK
    _IDLE.clear()
    _CLOSED_AT_EXIT.clear()
    _IDLE_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forget_converters)


def close_converters() -> None:
    """End the warm Word children (:class:`Converter`) this process keeps."""
    with _IDLE_LOCK:
        kept = list(_IDLE)
        _IDLE.clear()
    for c in kept:
        c.close()


def serve(requests, answers) -> int:
    """The child's loop (``--serve``): each JSON line of ``requests`` (``html``, ``docx``)
    converted (:func:`convert_docx`), answered by one JSON line (``ok``, else ``error``: one
    line) on ``answers``; ends at the end of ``requests``."""
    import json

    from planeval.report.execute import one_line

    for line in requests:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            convert_docx(Path(req["html"]), Path(req["docx"]))
            answer = {"ok": True}
        except Exception as e:  # noqa: BLE001 - one line for the parent, no traceback
            answer = {"ok": False, "error": one_line(f"{type(e).__name__}: {e}")}
        answers.write(json.dumps(answer).encode("ascii") + b"\n")
        answers.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m planeval.report.docx REPORT.html REPORT.docx`` (``--convert-only``: pandoc's
    conversion, no polish); ``--serve``: :func:`serve` on stdin and stdout."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--serve"]:
        answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # what anything prints: not an answer
        return serve(sys.stdin.buffer, answers)
    convert_only = "--convert-only" in args
    args = [a for a in args if a != "--convert-only"]
    if len(args) != 2:
        print(
            "用法：python -m planeval.report.docx [--convert-only] REPORT.html REPORT.docx"
            "（或 --serve：从标准输入逐行读取转换请求）",
            file=sys.stderr,
        )
        return 2
    try:
        (convert_docx if convert_only else write_docx)(Path(args[0]), Path(args[1]))
    except Exception as e:  # noqa: BLE001 - one line for the parent, no traceback
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
