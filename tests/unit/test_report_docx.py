"""The Word reference document built by code: fonts, styles, footer page numbers."""

from __future__ import annotations

import docx
import pytest
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


_TOC_HTML = """<html><head><title>报告</title><style>p {}</style></head><body>
<section class="cover"><p class="cover-county">甲县</p><h1>甲县规划中期评估报告</h1></section>
<nav class="toc" id="toc"><h2 class="toc-title">目　录</h2>
<ol><li class="toc-2"><a href="#sec-1">一、总体进展</a></li>
<li class="toc-3"><a href="#sec-2">（一）主要指标</a></li>
<li class="toc-2"><a href="#sec-3">二、主要问题</a></li></ol></nav>
<main><h2 id="sec-1">一、总体进展</h2><h3 id="sec-2">（一）主要指标</h3><p>正文。</p>
<h4 id="x">1. 细目</h4><h2 id="sec-3">二、主要问题</h2><p>问题。</p></main></body></html>"""


def test_docx_has_word_toc_after_cover_and_no_html_toc_list(tmp_path):
    import zipfile

    from planeval.report.docx import write_docx

    html = tmp_path / "report.html"
    html.write_text(_TOC_HTML, encoding="utf-8")
    out = write_docx(html, tmp_path / "report.docx")
    with zipfile.ZipFile(out) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert '<w:updateFields w:val="true"/>' in settings

    d = docx.Document(str(out))
    instr = "".join(el.text for el in d.element.body.iter(qn("w:instrText")))
    assert instr.strip() == 'TOC \\o "2-3" \\h \\z \\u'
    kinds = [el.get(qn("w:fldCharType")) for el in d.element.body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    paras = [(p.style.name, p.text) for p in d.paragraphs]
    # Cover, then the contents title (starts a page), the cached entries (h2/h3 only, not
    # 1. 细目), then the chapters; the HTML's TOC list and its title are not carried over.
    assert paras[:2] == [("Cover Text", "甲县"), ("Heading 1", "甲县规划中期评估报告")]
    assert paras[2:6] == [
        ("TOC Title", "目　录"),
        ("toc 2", "一、总体进展"),
        ("toc 3", "（一）主要指标"),
        ("toc 2", "二、主要问题"),
    ]
    assert d.styles["TOC Title"].paragraph_format.page_break_before
    assert paras[6] == ("Heading 2", "一、总体进展")  # Heading 2 starts the page itself
    assert sum(text == "目　录" for _, text in paras) == 1
    assert sum(text == "一、总体进展" for _, text in paras) == 2  # TOC entry + heading
    assert not any(name.startswith(("Compact", "List")) for name, _ in paras)
    links = [h.get(qn("w:anchor")) for h in d.element.body.iter(qn("w:hyperlink"))]
    assert links == ["sec-1", "sec-2", "sec-3"]
    assert 'w:pos="8844"' in d.styles["toc 2"].element.xml  # dot leader at the text width


def test_word_in_its_own_process_reports_one_line(tmp_path):
    """The runner builds Word in a child process; a failure comes back as one error line."""
    from planeval.report.docx import write_docx_process

    with pytest.raises(RuntimeError) as e:
        write_docx_process(tmp_path / "missing.html", tmp_path / "report.docx")
    msg = str(e.value)
    assert "missing.html" in msg and "\n" not in msg and "Traceback" not in msg
    assert not (tmp_path / "report.docx").exists()
