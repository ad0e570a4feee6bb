"""The Word reference document built by code: fonts, styles, footer page numbers."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from planeval.report.docx import build_reference_docx, column_widths, word_html


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


def test_word_html_styles_captions_notes_and_cover():
    out = word_html(
        '<section class="cover"><p class="cover-county">甲县</p><h1>报告</h1></section>'
        '<div class="table-wrap"><p class="table-caption">表1 指标</p><table></table>'
        '<p class="table-note">注：说明</p></div>'
    )
    assert '<div custom-style="Cover Text"><p class="cover-county">甲县</p></div>' in out
    assert '<div custom-style="Table Caption"><p class="table-caption">表1 指标</p></div>' in out
    assert '<div custom-style="Table Note"><p class="table-note">注：说明</p></div>' in out


def test_column_widths_keep_numbers_whole_and_share_the_rest():
    # Preferred widths fit: proportional to them. Half-ems: 序号 4 (header), 指标 12 (six CJK),
    # 数值 6.5 (“13,191” is 6 + 0.5) → 4 : 12 : 6.5 of 9000 twips.
    rows = [["序号", "指标", "数值"], ["1", "生产安全事故", "13,191"]]
    assert column_widths(rows, 10.5, total=9000, margin=0) == [1600, 4800, 2600]
    # Too narrow for that (1500 twips at 10 pt = 15 half-ems): needs 2 (minimum), 2, 6.5 =
    # 10.5; the spare 4.5 goes by (want − need) = 2, 10, 0 → 2.75 : 5.75 : 6.5 of 15.
    assert column_widths(rows, 10, total=1500, margin=0) == [275, 575, 650]
    # Narrower than the needs: proportional to them, 2 : 2 : 6.5 of 10.5.
    assert column_widths(rows, 10, total=1000, margin=0) == [190, 190, 620]
    # Cell margins come off first: 9000 − 3 × 2 × 1000 = 3000 twips = 28.6 half-ems > 22.5.
    assert column_widths(rows, 10.5, total=9000, margin=1000) == [1600, 4800, 2600]
    assert column_widths([], 10.5) == []


def test_reference_has_custom_paragraph_styles(tmp_path):
    d = docx.Document(str(build_reference_docx(tmp_path / "ref.docx")))
    for name in ("Table Caption", "Table Note", "Table Text", "Table Text Small", "Cover Text"):
        assert d.styles[name].paragraph_format.first_line_indent == 0, name
    assert "Compact" in {s.name for s in d.styles}  # pandoc's own styles are there
    assert d.styles["Table Text Small"].font.size.pt == 9
