"""The Word reference document built by code: fonts, styles, footer page numbers."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn
from planeval.report.docx import build_reference_docx, word_html


def test_reference_docx_fonts_and_footer(tmp_path):
    ref = build_reference_docx(tmp_path / "ref.docx")
    d = docx.Document(str(ref))
    assert not d.paragraphs and not d.tables  # styles only
    normal = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        st = d.styles[name]
        assert st.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
        assert st.font.bold
    assert d.styles["Heading 2"].paragraph_format.page_break_before
    assert d.styles["Table"].type == 3  # table style pandoc uses
    footer_xml = d.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml
    assert "第 " in d.sections[0].footer.paragraphs[0].text
    fonts = next(r.target_part for r in d.part.rels.values() if "fontTable" in r.reltype).blob
    assert b"Noto Serif SC" in fonts and b"Noto Sans SC" in fonts


def test_word_html_drops_toc_and_styles():
    out = word_html('<style>x</style><nav class="toc"><ol><li>a</li></ol></nav><h2>一、总</h2>')
    assert "toc" not in out and "<style>" not in out and "<h2>一、总</h2>" in out
