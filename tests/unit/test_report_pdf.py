"""PDF layout: every table fits its page's content box (landscape fallback for the widest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planeval.report import pdf
from planeval.report.stitch import finish_html


def _html(tmp_path, ncols: int, cell: str):
    head = "".join(f"<th>列{i}</th>" for i in range(ncols))
    row = "".join(f"<td>{cell}</td>" for _ in range(ncols))
    body = (
        f'<h2>一、表</h2><div class="table-wrap"><p class="table-caption">表1</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table></div>"
        "<p>正文</p>"
    )
    return _page(tmp_path, body)


def _page(tmp_path, body: str) -> Path:
    """A finished report page (contents, then ``body``) without embedded fonts."""
    raw = (
        '<html lang="zh-CN"><head><style>/* planeval:fonts */</style></head><body>'
        f'<nav class="toc"><!-- planeval:toc --></nav><main>{body}</main></body></html>'
    )
    path = tmp_path / "r.html"
    path.write_text(finish_html(raw, embed_fonts=False), encoding="utf-8")
    return path


def test_table_too_wide_for_portrait_goes_to_a_landscape_page(tmp_path, table_overflow):
    # 9 numbers that never wrap (class nw), 8 digits each at 10.5 pt (≈ 60 pt a cell with its
    # padding in the fallback serif): too wide for A4 portrait (442 pt of text width), not for
    # landscape (694 pt).
    path = _html(tmp_path, 9, "12345678")
    import weasyprint

    first = weasyprint.HTML(filename=str(path)).render(
        stylesheets=[weasyprint.CSS(filename=str(pdf.PRINT_CSS))]
    )
    assert table_overflow(first)  # portrait layout: it sticks out
    assert pdf.overflowing_tables(first) == ["1"]
    doc = pdf.render(path)
    assert table_overflow(doc) == []
    sizes = [(round(p.width), round(p.height)) for p in doc.pages]
    assert (1123, 794) in sizes and (794, 1123) in sizes  # A4 landscape page for the table only
    assert pdf.print_layout(doc).landscape == ("1",)


def test_twelve_columns_go_landscape_without_overflowing(tmp_path, table_overflow):
    # 12 short columns would fit portrait at 9 pt, but their text columns would be two or
    # three characters wide: stitch puts such a table on a landscape page from the start.
    doc = pdf.render(_html(tmp_path, 12, "12.5%"))
    assert pdf.overflowing_tables(doc) == [] and table_overflow(doc) == []
    assert pdf.print_layout(doc).landscape == ("1",)
    assert (1123, 794) in [(round(p.width), round(p.height)) for p in doc.pages]


def test_print_layout_pages_of_headings(tmp_path):
    doc = pdf.render(_html(tmp_path, 5, "12.5%"))
    lay = pdf.print_layout(doc)
    # page 1 holds the contents; the chapter heading (h2) starts page 2
    assert lay.pages["sec-1"] == 2 and lay.page_count == len(doc.pages) == 2


def test_narrow_table_stays_portrait(tmp_path, table_overflow):
    doc = pdf.render(_html(tmp_path, 5, "12.5%"))
    assert table_overflow(doc) == []
    assert {(round(p.width), round(p.height)) for p in doc.pages} == {(794, 1123)}


def _lead_html(tmp_path, between: str = "") -> Path:
    head = "".join(f"<th>列{i}</th>" for i in range(12))
    row = "".join("<td>12.5%</td>" for _ in range(12))
    body = (
        "<h2>一、总体</h2><p>正文一。</p><div><h3>（一）宽表</h3></div>"
        + between
        + '<div><div class="table-wrap"><p class="table-caption">表1</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table></div></div>"
        "<p>正文二。</p>"
    )
    return _page(tmp_path, body)


def _orientation(doc) -> list[str]:
    return ["L" if p.width > p.height else "P" for p in doc.pages]


def test_a_heading_that_opens_a_landscape_table_goes_onto_its_page(tmp_path):
    # （一） is followed by nothing but the 12-column table: it must not stay alone at the foot
    # of the portrait page; it opens the landscape page (its TOC entry points there).
    doc = pdf.render(_lead_html(tmp_path))
    lay = pdf.print_layout(doc)
    assert _orientation(doc) == ["P", "P", "L", "P"]
    assert lay.pages["sec-1"] == 2 and lay.pages["sec-2"] == 3  # h2 portrait, h3 landscape


def test_a_heading_with_text_before_the_landscape_table_stays_portrait(tmp_path):
    doc = pdf.render(_lead_html(tmp_path, between="<p>本节说明。</p>"))
    lay = pdf.print_layout(doc)
    assert _orientation(doc) == ["P", "P", "L", "P"]
    assert lay.pages["sec-2"] == 2  # its text follows it on the portrait page


def test_nine_columns_with_two_long_text_columns_go_landscape():
    from bs4 import BeautifulSoup

    from planeval.report.stitch import _classify_tables

    def table(long_cols: int) -> str:
        cells = ["城镇燃气管网老化更新改造工程"] * long_cols + ["12.5%"] * (9 - long_cols)
        row = "".join(f"<td>{c}</td>" for c in cells)
        head = "".join(f"<th>列{i}</th>" for i in range(9))
        return (
            f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody><tr>{row}</tr></tbody></table></div>"
        )

    soup = BeautifulSoup(table(2) + table(1), "html.parser")
    _classify_tables(soup)
    wraps = soup.select("div.table-wrap")
    assert "landscape" in wraps[0]["class"]  # project names and 完工预期: too cramped portrait
    assert "landscape" not in wraps[1]["class"]  # one long column fits portrait


def test_pdf_fonts_are_cut_by_harfbuzz_without_the_system_library(tmp_path, monkeypatch):
    """On a machine without libharfbuzz-subset, WeasyPrint's fontTools subsetting is replaced
    by the same HarfBuzz subsetting through uharfbuzz: fontTools' subsetter never runs, and the
    PDF embeds subsets of the report fonts holding the page's glyphs, its text extracting as
    written."""
    import io

    import pypdf
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts as wp_fonts

    monkeypatch.setattr(wp_fonts, "harfbuzz_subset", None)  # as on a machine without it
    monkeypatch.setattr(wp_fonts.Font, "_fonttools_subset", wp_fonts.Font._fonttools_subset)
    monkeypatch.setattr(wp_fonts.Font, "_planeval_hb", False, raising=False)

    def no_fonttools(*a, **k):
        raise AssertionError("fontTools subset the PDF fonts")

    monkeypatch.setattr(ft_subset.Subsetter, "subset", no_fonttools)
    text = "应急管理规划评估报告"
    raw = (
        '<html lang="zh-CN"><head><style>/* planeval:fonts */</style></head><body>'
        f'<nav class="toc"><!-- planeval:toc --></nav><main><h2>一、{text}</h2><p>{text}'
        "（2023年）</p></main></body></html>"
    )
    html = tmp_path / "r.html"
    html.write_text(finish_html(raw), encoding="utf-8")  # with the report's embedded fonts
    out = pdf.write_pdf(html, tmp_path / "r.pdf")
    reader = pypdf.PdfReader(out)
    assert text in reader.pages[-1].extract_text()
    programs = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "Planeval" not in font["/BaseFont"]:
                continue  # a fallback face for a character no subset holds (not the point here)
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            programs.append(TTFont(io.BytesIO(desc["/FontFile3"].get_object().get_data())))
    assert len(programs) >= 2  # Planeval Serif and Planeval Sans
    from fontTools.pens.recordingPen import RecordingPen

    def outlines(f) -> int:  # glyphs with a drawing (the ids up to the last used are kept)
        glyphs, n = f.getGlyphSet(), 0
        for name in f.getGlyphOrder():
            pen = RecordingPen()
            glyphs[name].draw(pen)
            n += bool(pen.value)
        return n

    # the page's glyphs: 13 distinct characters of the text, digits, brackets, the footer's
    # dashes and the notdef box, against some 300 in the report subsets
    assert all(outlines(f) <= 40 for f in programs), [outlines(f) for f in programs]
    assert all("GSUB" not in f and "GPOS" not in f for f in programs)


def test_embedded_fonts_reach_the_layout_by_reference_not_as_data_uris():
    """Each distinct WOFF data URI becomes one short planeval-font URL with its decoded bytes;
    a chart's PNG data URI and the rest of the text are left as they are."""
    import base64

    a, b = b"wOFF-serif", b"wOFF-sans-bold"
    ua = f"url(data:font/woff;base64,{base64.b64encode(a).decode()})"
    ub = f"url(data:font/woff;base64,{base64.b64encode(b).decode()})"
    png = '<img src="data:image/png;base64,iVBORw0KGgo=">'
    text = f"<style>@font-face {{ src: {ua} }} @font-face {{ src: {ub} }} x {{ src: {ua} }}</style>{png}"
    out, fonts = pdf.fonts_by_reference(text)
    assert out == (
        "<style>@font-face { src: url(planeval-font:0.woff) } "
        "@font-face { src: url(planeval-font:1.woff) } x { src: url(planeval-font:0.woff) }"
        f"</style>{png}"
    )
    assert fonts == {"planeval-font:0.woff": a, "planeval-font:1.woff": b}
    assert pdf.fonts_by_reference("<p>无字体</p>") == ("<p>无字体</p>", {})
    quoted = f"<p>写成 {ua} 即可</p>"  # report text quoting such a URI is not markup
    assert pdf.fonts_by_reference(quoted) == (quoted, {})


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The markup each WeasyPrint layout of the test is given, in order."""
    import weasyprint

    seen: list[str] = []
    real = weasyprint.HTML

    def html(*a, string, **k):
        seen.append(string)
        return real(*a, string=string, **k)

    monkeypatch.setattr(weasyprint, "HTML", html)
    return seen


def test_the_pdf_embeds_the_report_fonts_given_by_reference(tmp_path, laid_out):
    """WeasyPrint gets no font data URI, yet lays the text out in the report's own fonts (and
    still refuses a URL from outside)."""
    import pypdf

    text = "应急管理规划评估报告"
    raw = (
        '<html lang="zh-CN"><head><style>/* planeval:fonts */</style></head><body>'
        f'<nav class="toc"><!-- planeval:toc --></nav><main><h2>一、{text}</h2><p>{text}</p>'
        "</main></body></html>"
    )
    path = tmp_path / "r.html"
    path.write_text(finish_html(raw), encoding="utf-8")
    assert "data:font/woff" in path.read_text(encoding="utf-8")
    out = pdf.write_pdf(path, tmp_path / "r.pdf")
    (markup,) = laid_out
    assert "data:font/woff" not in markup and "url(planeval-font:0.woff)" in markup
    reader = pypdf.PdfReader(out)
    names = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    assert {"Planeval-Serif", "Planeval-Sans"} <= names, names  # body 仿宋, heading 黑体
    assert text in reader.pages[-1].extract_text()
    fetch = pdf._fetcher({})
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetch("file:///etc/passwd")


def _cell(cid: str, html: str, kind: str = "jp-RenderedHTMLCommon jp-RenderedHTML") -> str:
    """One executed code cell's output as nbconvert's lab template writes it."""
    return (
        f'<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noInput" id="cell-id={cid}">'
        '<div class="jp-Cell-outputWrapper">'
        '<div class="jp-Collapser jp-OutputCollapser jp-Cell-outputCollapser"></div>'
        '<div class="jp-OutputArea jp-Cell-outputArea"><div class="jp-OutputArea-child">'
        f'<div class="{kind} jp-OutputArea-output" data-mime-type="text/html">{html}</div>'
        "</div></div></div></div>"
    )


def test_notebook_wrappers_are_taken_out_for_the_layout_only():
    from bs4 import BeautifulSoup

    html = (
        "<main><h2>一、进展</h2>"
        + _cell("a", '<div class="narrative"><p>甲</p><p>乙</p></div>')
        + _cell("b", "<img alt='图'>", kind="jp-RenderedImage")
        + '<div class="jp-Cell jp-MarkdownCell"><p>丙</p></div></main>'
    )
    soup = BeautifulSoup(html, "html.parser")
    pdf.flatten_chrome(soup)
    main = soup.main
    assert [c.name for c in main.children] == ["h2", "div", "div", "div"]
    narrative, kept_image_cell = main.find("div", class_="narrative"), main.contents[2]
    assert narrative.parent is main and narrative.get_text() == "甲乙"
    # the image's output div keeps its class (report.css centres it), its wrappers go
    assert kept_image_cell["class"] == ["jp-RenderedImage", "jp-OutputArea-output"]
    assert main.contents[3]["class"] == ["jp-Cell", "jp-MarkdownCell"]  # not chrome only
    assert not soup.select(".jp-Collapser, .jp-OutputArea, .jp-Cell-outputWrapper, [id]")
    # kept: the div right around an output of bare text or inline markup (unwrapped, that
    # would run into the next cell's line), and a wrapper with an id a link could point at
    inline = BeautifulSoup(
        _cell("t", "共 <b>3</b> 项") + _cell("s", "<span>4</span>")
        + _cell("p", "<p>5</p>").replace('id="cell-id=p"', 'id="sec-9"'),
        "html.parser",
    )  # fmt: skip
    pdf.flatten_chrome(inline)
    tops = [d["class"][0] for d in inline.find_all("div", recursive=False)]
    assert tops == ["jp-RenderedHTMLCommon", "jp-RenderedHTMLCommon", "jp-Cell"]
    assert inline.find(id="sec-9").get_text() == "5"


def test_the_pages_are_the_same_with_and_without_the_notebook_wrappers(tmp_path):
    """Laid out with report.css and print.css, every line of text lands on the same page at
    the same place with the wrappers as without: what the PDF leaves out is only boxes that
    report.css gives nothing of their own (a margin or padding added to one fails here)."""
    import weasyprint
    from bs4 import BeautifulSoup
    from weasyprint.formatting_structure import boxes

    from planeval.paths import NBCONVERT_TEMPLATE_DIR

    css = (NBCONVERT_TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    table = (
        '<div class="table-wrap"><p class="table-caption">表1 进展</p><table><thead><tr>'
        "<th>指标</th><th>值</th></tr></thead><tbody><tr><td>起数</td><td>4</td></tr>"
        "</tbody></table></div>"
    )
    cells = "".join(
        _cell(f"c{i}", f'<div class="narrative"><p>{f"第{i}段正文。" * 30}</p></div>{table}')
        for i in range(12)
    )
    page = f"<html><head><style>{css}</style></head><body><main><h2>一、进展</h2>{cells}</main></body></html>"

    def lines(text: str) -> list[tuple]:
        doc = weasyprint.HTML(string=text).render(
            stylesheets=[weasyprint.CSS(filename=str(pdf.PRINT_CSS))]
        )
        return [
            (n, round(b.position_x, 2), round(b.position_y, 2), b.text)
            for n, p in enumerate(doc.pages)
            for b in p._page_box.descendants()
            if isinstance(b, boxes.TextBox)
        ]

    soup = BeautifulSoup(page, "html.parser")
    pdf.flatten_chrome(soup)
    assert not soup.select(".jp-Cell, .jp-OutputArea-child")  # the wrappers did go
    flat, wrapped = lines(str(soup)), lines(page)
    assert len({n for n, *_ in wrapped}) >= 3  # breaks across pages are part of the check
    assert flat == wrapped


def _png(rgb: tuple[int, int, int], size=(4, 3)) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, rgb).save(buf, format="PNG")
    return buf.getvalue()


def test_pictures_reach_the_layout_by_reference_not_as_data_uris():
    """Each img's data URI becomes one short planeval-image URL with its decoded bytes and
    type (base64 broken over lines as well); text quoting such markup (escaped) and a data
    URI outside an img's src stay as they are."""
    import base64

    red, blue = _png((255, 0, 0)), _png((0, 0, 255))
    b64 = base64.b64encode(red).decode()
    split = base64.b64encode(blue).decode()
    split = split[:10] + "\n" + split[10:]
    quoted = f"<p>&lt;img src=&quot;data:image/png;base64,{b64}&quot;&gt; 与 data:image/png;base64,{b64}</p>"
    text = (
        f'<figure><img alt="图1" src="data:image/png;base64,{b64}" width="300"></figure>'
        f'<img src="data:image/jpeg;base64,{split}">{quoted}'
    )
    out, images = pdf.images_by_reference(text)
    assert out == (
        '<figure><img alt="图1" src="planeval-image:0" width="300"></figure>'
        f'<img src="planeval-image:1">{quoted}'
    )
    assert images == {
        "planeval-image:0": (red, "image/png"),
        "planeval-image:1": (blue, "image/jpeg"),
    }
    assert pdf.images_by_reference(quoted) == (quoted, {})
    # the same picture twice: one URL (one image in the PDF); undecodable data: left as it is
    twice, _ = pdf.images_by_reference(f'<img src="data:image/png;base64,{b64}">' * 2)
    assert twice == '<img src="planeval-image:0">' * 2
    broken = '<img alt="图" src="data:image/png;base64,iVBORw0KG">'
    assert pdf.images_by_reference(broken) == (broken, {})


def test_the_pdf_shows_the_pictures_given_by_reference(tmp_path, laid_out):
    """The layout reads no picture data URI, and the PDF holds the picture with its pixels."""
    import base64
    import io

    import pypdf
    from PIL import Image

    png = _png((10, 120, 200), (40, 30))
    body = f'<h2>一、图</h2><p><img alt="图" src="data:image/png;base64,{base64.b64encode(png).decode()}"></p>'
    out = pdf.write_pdf(_page(tmp_path, body), tmp_path / "r.pdf")
    (markup,) = laid_out
    assert "data:image" not in markup and 'src="planeval-image:0"' in markup
    # one picture (WeasyPrint's pages share one resources dictionary: listed once per page)
    [img] = {im.name: im for page in pypdf.PdfReader(out).pages for im in page.images}.values()
    shown = Image.open(io.BytesIO(img.data)).convert("RGB")
    assert shown.size == (40, 30) and shown.getpixel((20, 15)) == (10, 120, 200)
