"""Word report: pandoc (pypandoc-binary) from the report HTML, styled by a reference document.

The reference document is built by code (:func:`build_reference_docx`, python-docx) rather than
committed as a binary: East Asian fonts 黑体 (headings) and 仿宋 (body) with OFL fallbacks
(Noto Sans SC / Noto Serif SC, declared as ``w:altName`` in the font table), black numbered-as-
written headings, chapters (Heading 2) starting on a new page, bordered tables, and a footer
“第 N 页 / 共 M 页”.
"""

from __future__ import annotations

import re
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
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    styles = doc.styles
    normal = styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(14)  # 四号; official documents use 三号 (16 pt) for 公文, reports 四号
    normal.paragraph_format.line_spacing = Pt(26)
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

    styles.element.append(parse_xml(_TABLE_STYLE.strip()))
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
    # Captions and notes as plain paragraphs; pandoc keeps tables as real Word tables.
    for div in soup.select(".cover-foot"):
        div.unwrap()
    return str(soup)


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
    return docx_path
