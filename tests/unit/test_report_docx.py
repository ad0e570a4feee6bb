"""The Word report in 公文 form: styles, sizes, fonts, line grid, page numbers, TOC, tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from planeval.report import layout as L
from planeval.report.colwidths import column_widths, longest_word
from planeval.report.docx import (
    build_reference_docx,
    word_html,
    write_docx,
)
from planeval.report.pdf import PrintLayout

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_reference_docx_page_and_type_sizes(tmp_path):
    d = docx.Document(str(build_reference_docx(tmp_path / "ref.docx")))
    assert not d.paragraphs and not d.tables  # styles only
    sec = d.sections[0]
    # A4, margins 37/35/28/26 mm (EMU: 36000 per mm)
    assert (sec.page_width.mm, sec.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    margins = (sec.top_margin.mm, sec.bottom_margin.mm, sec.left_margin.mm, sec.right_margin.mm)
    assert margins == pytest.approx((37, 35, 28, 26), abs=0.1)

    normal = d.styles["Normal"]
    assert _east_asia(normal) == "仿宋_GB2312" and normal.font.size.pt == 16  # 三号仿宋
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == 4 and pf.line_spacing.pt == pytest.approx(28.9)  # EXACTLY
    spacing = normal.element.rPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:val")) == "-5"  # −0.25 pt: 28 characters a line
    ppr = normal.element.pPr  # no automatic space between Chinese and digits, as the PDF
    assert [ppr.find(qn(t)).get(qn("w:val")) for t in ("w:autoSpaceDE", "w:autoSpaceDN")] == [
        "0",
        "0",
    ]
    assert d.styles["Body Text"].paragraph_format.first_line_indent.pt == 32  # two characters

    expected = {  # style: (face, size, bold)
        "Heading 1": ("方正小标宋简体", 22, False),  # the title, 二号小标宋
        "Heading 2": ("黑体", 16, False),
        "Heading 3": ("楷体_GB2312", 16, False),
        "Heading 4": ("仿宋_GB2312", 16, True),
        "Heading 5": ("仿宋_GB2312", 16, False),
    }
    for name, (face, size, bold) in expected.items():
        st = d.styles[name]
        assert (_east_asia(st), st.font.size.pt, bool(st.font.bold)) == (face, size, bold), name
    assert d.styles["Heading 2"].paragraph_format.page_break_before
    assert d.styles["Heading 3"].paragraph_format.line_spacing.pt == pytest.approx(28.9)
    assert d.styles["Table"].type == 3  # the table style pandoc uses
    fonts = next(r.target_part for r in d.part.rels.values() if "fontTable" in r.reltype).blob
    fonts = fonts.decode("utf-8")
    for name, alt in (("仿宋_GB2312", "Noto Serif SC"), ("黑体", "Noto Sans SC")):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>' in fonts


def test_page_numbers_outside_corners_none_on_the_cover(tmp_path):
    d = docx.Document(str(build_reference_docx(tmp_path / "ref.docx")))
    sec = d.sections[0]
    assert d.settings.odd_and_even_pages_header_footer
    assert sec.different_first_page_header_footer
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right / left
    assert odd.paragraph_format.right_indent.pt == 14  # one 四号 character in
    assert even.paragraph_format.left_indent.pt == 14
    for p in (odd, even):
        text = "".join(t.text for t in p._p.iter(qn("w:t")))
        assert text == "— 2 —"  # the PAGE field's cached value between dashes
        assert 'w:instr="PAGE"' in p._p.xml and "NUMPAGES" not in p._p.xml
        sizes = {sz.get(qn("w:val")) for sz in p._p.iter(qn("w:sz"))}
        assert sizes == {"28"}  # 四号 (14 pt) for the dashes and the number alike
    assert not sec.first_page_footer.paragraphs[0].text.strip()  # the cover: none


def test_word_html_drops_toc_and_styles():
    out = word_html('<style>x</style><nav class="toc"><ol><li>a</li></ol></nav><h2>一、总</h2>')
    assert "toc" not in out and "<style>" not in out and "<h2>一、总</h2>" in out


def test_word_html_styles_captions_notes_and_cover():
    out = word_html(
        '<section class="cover"><p class="cover-county">甲县</p><h1>报告</h1></section>'
        '<div class="table-wrap"><p class="table-caption">表1 指标</p><table></table>'
        '<p class="table-note">注：说明</p></div>'
    )
    assert '<div custom-style="Cover County"><p class="cover-county">甲县</p></div>' in out
    assert '<div custom-style="Table Caption"><p class="table-caption">表1 指标</p></div>' in out
    assert '<div custom-style="Table Note"><p class="table-note">注：说明</p></div>' in out


def test_longest_word():
    # Half-ems: a Chinese character 2, “%” 1.8, a digit or letter 1.15. A number is one word;
    # a Chinese word of up to four characters is one word; longer Chinese text breaks
    # anywhere but keeps two characters (4 half-ems) on a line.
    assert longest_word("13,191") == pytest.approx(6.9)
    assert longest_word("超额完成") == 8
    assert longest_word("序号", header=True) == 4
    assert longest_word("生产安全事故起数") == 4
    assert longest_word("下降10%（4.5）") == pytest.approx(4.1)  # “10%” 4.1 > two characters
    assert longest_word("下降1%（4.5）") == 4  # “1%” 2.95, “4.5” 3.45: two characters win
    assert longest_word("重大隐患SG2022-03") == pytest.approx(10.35)
    assert longest_word("") == 0


def test_column_widths_never_under_the_longest_word():
    rows = [["序号", "指标", "数值"], ["1", "生产安全事故", "13,191"]]
    # need (half-ems, + 0.5): 序号 4.5, 指标/“two characters” 4.5, “13,191” 6.9 + 0.5 = 7.4;
    # want: 4.5, 12 (six characters), 7.4 → 23.9 fits 9000 twips at 10.5 pt (85.7 half-ems):
    # 9000 × 4.5/23.9 = 1694.6, × 12/23.9 = 4518.8, the rest 2788.
    assert column_widths(rows, 10.5, total=9000, margin=0) == [1694, 4518, 2788]
    # 1500 twips at 10 pt = 15 half-ems: the needs (16.4) do not fit → in proportion to them.
    assert column_widths(rows, 10, total=1500, margin=0) == [411, 411, 678]
    # 2000 twips = 20 half-ems: the needs fit; the spare 3.6 all goes to 指标 (want − need
    # = 0, 7.5, 0) → 4.5 : 8.1 : 7.4 of 20.
    assert column_widths(rows, 10, total=2000, margin=0) == [450, 810, 740]
    # Cell margins (100 twips a side) come off first and every column gets them whole:
    # 8400 twips of text, 200 + 8400 × 4.5/23.9 = 1781, 200 + 4217 = 4417, the rest 2802.
    assert column_widths(rows, 10.5, total=9000, margin=100) == [1781, 4417, 2802]
    assert column_widths([], 10.5) == []


def _pandoc_doc(tmp_path, html: str, layout: PrintLayout | None):
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return write_docx(path, tmp_path / "report.docx", layout=layout or PrintLayout())


_TOC_HTML = """<html><head><title>报告</title><style>p {}</style></head><body>
<section class="cover"><p class="cover-county">甲县</p><h1>甲县规划中期评估报告</h1></section>
<nav class="toc" id="toc"><h2 class="toc-title">目　录</h2>
<ol><li class="toc-2"><a href="#sec-1">一、总体进展</a></li>
<li class="toc-3"><a href="#sec-2">（一）主要指标</a></li>
<li class="toc-4"><a href="#sec-3">1.风险管控</a></li>
<li class="toc-2"><a href="#sec-5">二、主要问题</a></li></ol></nav>
<main><h2 id="sec-1">一、总体进展</h2><h3 id="sec-2">（一）主要指标</h3><p>正文。</p>
<h4 id="sec-3">1.风险管控</h4><h4 id="sec-4">（1）细目</h4>
<h2 id="sec-5">二、主要问题</h2><p>问题。</p></main></body></html>"""


def test_toc_has_the_pdf_page_numbers_and_asks_nothing(tmp_path):
    pages = {"sec-1": 3, "sec-2": 3, "sec-3": 4, "sec-4": 4, "sec-5": 7}
    out = _pandoc_doc(tmp_path, _TOC_HTML, PrintLayout(pages=pages))
    with zipfile.ZipFile(out) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert "updateFields" not in settings  # Word would ask a question on opening

    d = docx.Document(str(out))
    instr = "".join(el.text for el in d.element.body.iter(qn("w:instrText")))
    assert instr.strip() == 'TOC \\o "2-4" \\h \\z \\u'
    kinds = [el.get(qn("w:fldCharType")) for el in d.element.body.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert not any(el.get(qn("w:dirty")) for el in d.element.body.iter(qn("w:fldChar")))
    paras = [(p.style.name, p.text) for p in d.paragraphs]
    assert paras[:2] == [("Cover County", "甲县"), ("Heading 1", "甲县规划中期评估报告")]
    # Three levels, each entry “text<TAB>page” (the PDF's pages); （1）细目 is not listed.
    assert paras[2:7] == [
        ("TOC Title", "目　录"),
        ("toc 2", "一、总体进展\t3"),
        ("toc 3", "（一）主要指标\t3"),
        ("toc 4", "1.风险管控\t4"),
        ("toc 2", "二、主要问题\t7"),
    ]
    assert paras[7] == ("Heading 2", "一、总体进展")  # Heading 2 starts the page itself
    links = [h.get(qn("w:anchor")) for h in d.element.body.iter(qn("w:hyperlink"))]
    assert links == ["sec-1", "sec-2", "sec-3", "sec-5"]
    assert f'w:pos="{L.twips(L.text_width_pt())}"' in d.styles["toc 2"].element.xml


_TABLE_HTML = """<html><body><main><h2 id="sec-1">一、表</h2>
<div class="table-wrap"><p class="table-caption">表1　重大工程</p><table data-tbl="1">
<thead><tr><th>序号</th><th>类别</th><th>项目</th><th>计划投资(万元)</th><th>状态</th></tr></thead>
<tbody>{rows}</tbody></table><p class="table-note">注：按台账。</p></div>
<div class="table-wrap"><p class="table-caption">表2　宽表</p><table data-tbl="2">
<thead><tr>{wide_head}</tr></thead><tbody><tr>{wide_row}</tr></tbody></table></div>
<p>正文。</p></main></body></html>"""


def _table_doc(tmp_path, landscape=()):
    row = (
        "<tr><td>{n}</td><td>智慧应急工程</td><td>县应急指挥中心及信息化平台建设</td>"
        "<td>1,800.00</td><td>已完工</td></tr>"
    )
    html = _TABLE_HTML.format(
        rows="".join(row.format(n=n) for n in range(1, 4)),
        wide_head="".join(f"<th>列{i}</th>" for i in range(13)),
        wide_row="".join("<td>123456789</td>" for _ in range(13)),
    )
    return docx.Document(str(_pandoc_doc(tmp_path, html, PrintLayout(landscape=landscape))))


def test_tables_hold(tmp_path):
    d = _table_doc(tmp_path)
    t = d.tables[0]
    widths = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == L.twips(L.text_width_pt())
    assert t._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # no column narrower than its longest word: 序号 (4 half-ems), two characters of
    # 智慧应急工程 (4), 1,800.00 (8 × 1.15 = 9.2), 已完工 (6) — at 10.5 pt half an em is 105
    # twips — plus the cell padding
    pad = 2 * L.twips(L.CELL_PAD_PT)
    for j, need in enumerate([4, 4, 4, 9.2, 6]):
        assert widths[j] >= need * 105 + pad, (j, widths)
    for i, row in enumerate(t.rows):
        trpr = row._tr.trPr
        assert trpr.find(qn("w:cantSplit")) is not None  # rows never split across pages
        assert (trpr.find(qn("w:tblHeader")) is not None) == (i == 0)  # header repeats
    body = t.rows[1].cells
    assert body[3].paragraphs[0].alignment == 2  # the number right
    assert body[2].paragraphs[0].alignment is None  # text centred by its style
    assert t.rows[0].cells[0].paragraphs[0].style.name == "Table Header"
    assert body[0].paragraphs[0].style.name == "Table Text"
    assert [s.orientation for s in d.sections] == [0]  # no landscape asked for


def test_landscape_tables_get_their_own_section(tmp_path):
    d = _table_doc(tmp_path, landscape=("2",))
    orient = [s.orientation for s in d.sections]
    assert orient == [0, 1, 0]  # portrait, the wide table landscape, portrait
    assert d.sections[0].different_first_page_header_footer  # the cover's section only
    assert not d.sections[2].different_first_page_header_footer
    land = d.sections[1]
    assert land.page_width.mm == pytest.approx(297, abs=0.1)
    widths = [int(c.get(qn("w:w"))) for c in d.tables[1]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == L.twips(L.text_width_pt(landscape=True))
    # the caption travels with its table into the landscape section
    sect_paras = [
        p for p in d.element.body.iter(qn("w:p")) if p.find(f"{W}pPr/{W}sectPr") is not None
    ]
    caption = d.tables[1]._tbl.getprevious()
    assert caption.getprevious() is sect_paras[0]


def docx_style(el) -> str | None:
    from planeval.report.docx import _style_id

    return _style_id(el)


def test_headings_that_open_a_landscape_table_go_into_its_section(tmp_path):
    html = _TABLE_HTML.format(
        rows="<tr><td>1</td><td>甲</td><td>乙</td><td>1.00</td><td>在建</td></tr>",
        wide_head="".join(f"<th>列{i}</th>" for i in range(13)),
        wide_row="".join("<td>123456789</td>" for _ in range(13)),
    ).replace(
        '<div class="table-wrap"><p class="table-caption">表2',
        '<h3 id="sec-2">（一）宽表</h3>'
        '<h4 id="sec-3">1. 小节</h4><div class="table-wrap"><p class="table-caption">表2',
    )
    d = docx.Document(str(_pandoc_doc(tmp_path, html, PrintLayout(landscape=("2",)))))
    assert [s.orientation for s in d.sections] == [0, 1, 0]
    sect_paras = [
        p for p in d.element.body.iter(qn("w:p")) if p.find(f"{W}pPr/{W}sectPr") is not None
    ]
    body = list(d.element.body)
    at = body.index(sect_paras[0])  # the portrait section ends here
    after = [docx_style(el) for el in body[at + 1 :] if el.tag == qn("w:p")][:3]
    assert after == ["Heading3", "Heading4", "TableCaption"]  # both headings open the section
    before = [docx_style(el) for el in body[:at] if el.tag == qn("w:p")]
    assert before[-1] == "TableNote"  # table 1's note stays portrait: only headings travel
    # each heading's bookmark travels with it (the contents links still land on it)
    assert body[at + 1].tag == qn("w:bookmarkStart")


def test_word_in_its_own_process_reports_one_line(tmp_path):
    """The runner builds Word in a child process; a failure comes back as one error line."""
    from planeval.report.docx import write_docx_process

    with pytest.raises(RuntimeError) as e:
        write_docx_process(tmp_path / "missing.html", tmp_path / "report.docx")
    msg = str(e.value)
    assert "missing.html" in msg and "\n" not in msg and "Traceback" not in msg
    assert not (tmp_path / "report.docx").exists()


def test_word_in_its_own_process_follows_the_layout(tmp_path):
    from planeval.report.docx import write_docx_process

    src = tmp_path / "report.html"
    src.write_text(_TOC_HTML, encoding="utf-8")
    calls = []

    def layout():
        calls.append(1)
        return PrintLayout(pages={"sec-1": 3})

    out = write_docx_process(src, tmp_path / "report.docx", layout=layout)
    assert calls == [1]  # waited for once, after the conversion
    toc = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "toc 2"]
    assert toc == ["一、总体进展\t3", "二、主要问题"]


def test_two_landscape_tables_in_a_row_share_one_section(tmp_path):
    # nothing between them: no empty portrait page between the two landscape pages (the PDF
    # has none); the second table starts its own page
    d = _table_doc(tmp_path, landscape=("1", "2"))
    assert [s.orientation for s in d.sections] == [0, 1, 0]
    caption2 = d.tables[1]._tbl.getprevious()
    assert docx_style(caption2) == "TableCaption"
    assert caption2.find(f"{W}pPr/{W}pageBreakBefore") is not None


def _document_xml(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


@pytest.fixture
def report_src(tmp_path):
    """A small report.html, with no Word child kept before the test nor after it."""
    from planeval.report import docx as D

    src = tmp_path / "report.html"
    src.write_text(_TOC_HTML, encoding="utf-8")
    D.close_converters()
    yield src
    D.close_converters()


def test_word_child_is_kept_for_the_next_report_and_converts_as_in_process(tmp_path, report_src):
    """The second report of a process is converted by the same child (no new interpreter),
    and each conversion is the one :func:`convert_docx` makes here: the same document.xml."""
    from planeval.report import docx as D

    src = report_src
    D.write_docx_process(src, tmp_path / "a.docx")
    [first] = D._IDLE
    D.write_docx_process(src, tmp_path / "b.docx")
    assert [first] == D._IDLE and first.alive()
    here = D.write_docx(src, tmp_path / "here.docx")
    assert _document_xml(tmp_path / "a.docx") == _document_xml(here)
    assert _document_xml(tmp_path / "b.docx") == _document_xml(here)
    D.close_converters()
    assert not first.alive() and D._IDLE == []


def test_word_child_survives_a_failed_report_and_is_replaced_once_dead(tmp_path, report_src):
    from planeval.report import docx as D

    src = report_src
    with pytest.raises(RuntimeError, match="missing.html"):
        D.write_docx_process(tmp_path / "missing.html", tmp_path / "m.docx")
    [child] = D._IDLE  # the failure was one report's, not the child's
    D.write_docx_process(src, tmp_path / "a.docx")
    assert [child] == D._IDLE
    child.proc.kill()  # died between two reports (killed, out of memory …)
    child.proc.wait()
    D.write_docx_process(src, tmp_path / "b.docx")
    [fresh] = D._IDLE
    assert fresh is not child and fresh.alive()
    assert docx.Document(str(tmp_path / "b.docx")).paragraphs


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="a fifo: POSIX only")
def test_word_child_that_does_not_answer_in_time_is_stopped(tmp_path):
    """A request still unanswered at the timeout: TimeoutExpired, the child ended, and a
    child that dies while converting is an error naming its exit code, never a hang."""
    import subprocess

    from planeval.report import docx as D

    c = D.Converter()
    try:
        # a request the child will not answer: a fifo nobody writes to blocks its reading
        import os

        fifo = tmp_path / "never.html"
        os.mkfifo(fifo)
        with pytest.raises(subprocess.TimeoutExpired):
            c.convert(fifo, tmp_path / "x.docx", timeout=1)
        assert not c.alive()  # its pandoc and scratch files: the test after this one
    finally:
        c.close()
    c = D.Converter()
    try:
        c.proc.stdin.write(b"not json\n")  # answered: an error line, the child goes on
        c.proc.stdin.flush()
        assert b'"ok": false' in c.proc.stdout.readline()
        c.proc.kill()
        c.proc.wait()
        with pytest.raises(RuntimeError, match="退出码"):
            c.convert(tmp_path / "a.html", tmp_path / "a.docx")
    finally:
        c.close()


def _running(pid: int) -> bool:
    """The process runs: exists and is not a zombie (killed, its parent gone, not yet reaped
    by whoever adopted it)."""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "\nState:\tZ" not in status.read_text()


@pytest.mark.skipif(
    not hasattr(__import__("os"), "mkfifo") or not Path("/proc/self/status").exists(),
    reason="a fifo and /proc: Linux",
)
def test_a_stopped_word_child_takes_its_pandoc_and_scratch_files_with_it(
    tmp_path, monkeypatch, report_src
):
    """Stopped mid-report (the timeout), the child goes with what it started: a pandoc that
    would write on is killed with its process group, and the scratch files it had written
    beside the Word file (the reference document, pandoc's input) are removed. Here "pandoc"
    is a stand-in that says where it is, then hangs: the test knows the child is inside its
    conversion, scratch files written, before the timeout fires."""
    import os
    import select
    import subprocess
    import threading

    from planeval.report import docx as D

    here = tmp_path / "pandoc-pid"
    os.mkfifo(here)
    stub = tmp_path / "pandoc"
    import pypandoc

    real = pypandoc.get_pandoc_path()
    # the real pandoc for everything (its version, formats, default reference document) but
    # the conversion itself, which says its pid and hangs
    stub.write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        f"  *--reference-doc=*) echo $$ > '{here}'; exec sleep 120;;\n"
        f'  *) exec "{real}" "$@";;\n'
        "esac\n",
        encoding="utf-8",
    )
    stub.chmod(0o755)
    monkeypatch.setenv("PYPANDOC_PANDOC", str(stub))
    out = tmp_path / "out"
    out.mkdir()
    c = D.Converter()
    raised: list[BaseException] = []

    def request():
        try:
            c.convert(report_src, out / "r.docx", timeout=8)
        except BaseException as e:  # noqa: BLE001 - what the main thread asserts
            raised.append(e)

    t = threading.Thread(target=request)
    try:
        fd = os.open(here, os.O_RDONLY | os.O_NONBLOCK)
        t.start()
        # bounded: the stand-in writes its pid once the child has run it
        ready, _, _ = select.select([fd], [], [], 60)
        pid = int(os.read(fd, 64).decode().strip()) if ready else None
        os.close(fd)
        assert pid is not None, "the stand-in pandoc never ran"
        scratch = sorted(p.name for p in out.glob(".*"))
        assert scratch == [".reference.docx", ".word.html"]  # written, the child inside
        t.join(60)
        assert len(raised) == 1 and isinstance(raised[0], subprocess.TimeoutExpired), raised
        assert not _running(pid)  # pandoc went with the child's group (at most a zombie)
        assert not list(out.glob(".*")) and not (out / "r.docx").exists()
    finally:
        t.join(60)
        c.close()


def test_a_fresh_word_child_that_dies_is_the_reports_failure_not_retried(
    tmp_path, monkeypatch, report_src
):
    """Only a kept child found dead is worth a second try (it may have died since its last
    report); a fresh one dying is this report's failure: ConverterGone, one child started."""
    from planeval.report import docx as D

    D.close_converters()  # no kept child to take
    made = []
    real = D.Converter.__init__

    def dying(self):
        real(self)
        made.append(self)
        self.proc.kill()
        self.proc.wait()

    monkeypatch.setattr(D.Converter, "__init__", dying)
    with pytest.raises(D.ConverterGone, match="退出码"):
        D.write_docx_process(report_src, tmp_path / "x.docx")
    assert len(made) == 1 and D._IDLE == []


def test_a_kept_word_child_killed_mid_request_does_not_blame_an_earlier_line(tmp_path):
    """The reason given for a child that died is from its stderr since this request: a line
    it wrote during an earlier report (a warning, another report's trouble) is not it."""
    from planeval.report import docx as D

    c = D.Converter()
    try:
        c.errors.write(b"UserWarning: an earlier report's line\n")  # as the child wrote it
        c.errors.flush()
        c.uses = 1  # a kept child
        c.proc.kill()
        c.proc.wait()
        with pytest.raises(D.ConverterGone) as e:
            c.convert(tmp_path / "a.html", tmp_path / "a.docx")
        assert "退出码" in str(e.value) and "earlier" not in str(e.value)
    finally:
        c.close()


def test_serve_answers_each_request_with_one_line(tmp_path):
    import io
    import json

    from planeval.report.docx import serve

    out = io.BytesIO()
    req = {"html": str(tmp_path / "报告.html"), "docx": str(tmp_path / "r.docx")}
    reqs = [json.dumps(req).encode("ascii") + b"\n", b"\n", b"[1]\n"]
    assert serve(iter(reqs), out) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(answers) == 2 and not any(a["ok"] for a in answers)
    assert "报告.html" in answers[0]["error"] and "\n" not in answers[0]["error"]


def test_a_kept_word_child_found_dead_mid_request_is_replaced_and_retired_after_its_uses(
    tmp_path, monkeypatch, report_src
):
    """A kept child that dies after it was taken (between the check and the request) costs
    the report nothing: one more try on a fresh child. A child that has converted _MAX_USES
    reports is ended rather than kept."""
    from planeval.report import docx as D

    src = report_src
    D.write_docx_process(src, tmp_path / "a.docx")
    [child] = D._IDLE
    child.proc.kill()
    child.proc.wait()
    monkeypatch.setattr(child, "alive", lambda: True)  # as if it died just after the check
    D.write_docx_process(src, tmp_path / "b.docx")
    [fresh] = D._IDLE
    assert fresh is not child and fresh.uses == 1
    assert docx.Document(str(tmp_path / "b.docx")).paragraphs
    monkeypatch.setattr(D, "_MAX_USES", 2)
    D.write_docx_process(src, tmp_path / "c.docx")
    assert D._IDLE == [] and not fresh.alive()  # its second report was its last


def test_a_word_child_left_mid_request_or_answering_garbage_is_not_kept(tmp_path, report_src):
    """A child whose request was cut off before its answer (the answer would be read as the
    next report's), and one whose answer is not the protocol's, are ended, not kept; the
    garbage is a Chinese error, not a JSON traceback."""
    import subprocess
    import sys

    from planeval.report import docx as D

    cut = D.Converter()
    cut.pending = True  # as after an interrupted convert()
    D._give_back(cut)
    assert D._IDLE == [] and not cut.alive()
    odd = D.Converter()
    odd.proc.kill()
    odd.proc.wait()
    odd.proc = subprocess.Popen(  # answers every request with a line that is not JSON
        [sys.executable, "-c", "import sys\nfor _ in sys.stdin: print('Traceback', flush=True)"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    with pytest.raises(RuntimeError, match="无法识别"):
        odd.convert(report_src, tmp_path / "x.docx")
    D._give_back(odd)
    assert D._IDLE == [] and not odd.alive()
