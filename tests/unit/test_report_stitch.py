"""Stitching: merging executed chapters, the failure placeholder, TOC and offline clean-up."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup
from nbformat import v4

from planeval.report.chapters import ChapterResult
from planeval.report.display import method_note_html, table_html
from planeval.report.stitch import (
    chapter_marker,
    cn_number,
    external_references,
    failure_html,
    finish_html,
    merge,
    title_lines,
)


def _executed(tmp_path, name="10_a.ipynb"):
    nb = v4.new_notebook()
    params = v4.new_code_cell('period = "midterm"', metadata={"tags": ["parameters"]})
    injected = v4.new_code_cell('period = "2022"', metadata={"tags": ["injected-parameters"]})
    body = v4.new_code_cell("x", metadata={"tags": ["remove-input"]})
    body.outputs = [
        v4.new_output("stream", name="stderr", text="a warning\n"),
        v4.new_output("display_data", data={"text/html": "<p>正文</p>"}),
        v4.new_output(
            "execute_result", data={"text/plain": "Text(0, 0.5, '人数')"}, execution_count=1
        ),
    ]
    silent = v4.new_code_cell("y = 1", metadata={"tags": ["remove-input"]})
    nb.cells = [v4.new_markdown_cell("## 一、标题"), params, injected, body, silent]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_merge_drops_parameters_logs_and_bare_reprs(tmp_path):
    ok = ChapterResult("a", "10_a.ipynb", "一、标题", 1, "ok", executed=str(_executed(tmp_path)))
    nb = merge([ok, ok])
    kinds = [c.cell_type for c in nb.cells]
    # each chapter: its marker, the heading, the one cell with a report output
    assert kinds == ["code", "markdown", "code"] * 2
    marker = nb.cells[0].outputs[0]["data"]["text/html"]
    assert 'class="planeval-chapter"' in marker and 'data-title="一、标题"' in marker
    outs = nb.cells[2].outputs
    assert [o.output_type for o in outs] == ["display_data"]
    ids = [c["id"] for c in nb.cells]
    assert len(set(ids)) == len(ids)  # fresh ids, no clash between chapters


def test_failed_chapter_becomes_escaped_placeholder(tmp_path):
    bad = ChapterResult(
        "b",
        "12_b.ipynb",
        "（二）任务",
        1,
        "failed",
        error="ValueError: <b>坏</b>",
        executed=str(tmp_path / "missing.ipynb"),
    )
    nb = merge([bad])
    html = nb.cells[1].outputs[0]["data"]["text/html"]
    assert html.startswith("<h3>（二）任务</h3>")
    assert "本章生成失败：ValueError: &lt;b&gt;坏&lt;/b&gt;" in html
    assert "notebooks/12_b.ipynb" in html
    assert failure_html("一、总", "", "x.ipynb").startswith("<h2>")


RAW = """<html lang="zh-CN"><head><script src="https://cdn.example/require.js"></script>
<link rel="stylesheet" href="https://fonts.example/x.css"><style>/* planeval:fonts */</style></head>
<body><nav class="toc"><h2>目录</h2><!-- planeval:toc --></nav><main>
<h2 id="x">一、总体<a class="anchor-link" href="#x">¶</a></h2><h3>（一）指标</h3><h4>1. 事故</h4><h5>（1）细目</h5>
<p>见 <a href="https://example.org/a">通知</a></p><img src="http://example.org/x.png" alt="图">
<script>alert(1)</script></main></body></html>"""


def test_finish_html_toc_ids_and_nothing_external():
    out = finish_html(RAW, embed_fonts=False)
    soup = BeautifulSoup(out, "html.parser")
    assert not soup.find_all(["script", "link"])
    assert not soup.select("a.anchor-link")
    assert [h["id"] for h in soup.main.find_all(["h2", "h3", "h4"])] == ["sec-1", "sec-2", "sec-3"]
    toc = [(li["class"][0], li.a["href"], li.get_text()) for li in soup.select("nav.toc li")]
    assert toc == [
        ("toc-2", "#sec-1", "一、总体"),
        ("toc-3", "#sec-2", "（一）指标"),
        ("toc-4", "#sec-3", "1. 事故"),
    ]
    assert "通知（https://example.org/a）" in soup.get_text()  # the link's text and address stay
    assert external_references(out) == []


def test_external_references_detects_loaders():
    assert external_references('<script src="https://x/y.js">') != []
    assert external_references("<link href='//cdn/x.css'>") != []
    assert external_references("@import 'a.css';") != []
    assert external_references("src: url(https://fonts/x.woff2)") != []
    assert external_references('<img src="data:image/png;base64,AAA"> <a href="#sec-1">') == []


def _cell(html: str) -> str:
    """A notebook output cell as the lab template renders it."""
    return f'<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">{html}</div></div>'


def _marker(cid: str, title: str) -> str:
    return _cell(chapter_marker(cid, title).outputs[0]["data"]["text/html"])


def _report(body: str) -> str:
    return (
        '<html lang="zh-CN"><head><style>/* planeval:fonts */</style></head><body>'
        '<nav class="toc"><h2>目录</h2><!-- planeval:toc --></nav>'
        f"<main>{body}</main></body></html>"
    )


def test_method_notes_move_to_the_appendix_in_report_order():
    import pandas as pd

    findings = pd.DataFrame({"问题": ["指标滞后"], "标识": ["indicator-lagging:6"]})
    body = "".join(
        [
            _marker("indicators", "（一）主要指标进展"),
            _cell("<h2>一、规划实施总体进展情况</h2><h3>（一）主要指标进展</h3><p>正文一</p>"),
            _cell(method_note_html("#### 计算口径与评价方法\n\n**指标计算。** 公式一")),
            _marker("risk", "1. 提升风险管控能力"),
            _cell("<h3>（二）重大战略任务进展</h3><h4>1. 提升风险管控能力</h4><p>正文二</p>"),
            _cell("<h5>（1）工贸行业</h5>" + method_note_html("**统计口径说明**\n\n- 口径二")),
            _marker("projects", "（三）重大工程项目进展"),
            _cell("<h3>（三）重大工程项目进展</h3><h4>1．智慧应急工程</h4><p>正文三</p>"),
            _marker("problems", "二、存在的主要问题"),
            _cell("<h2>二、存在的主要问题</h2><p>正文四</p>"),
            _cell(
                method_note_html("**问题识别规则与阈值**", table=findings, caption="表 问题清单")
            ),
        ]
    )
    soup = BeautifulSoup(finish_html(_report(body), embed_fonts=False), "html.parser")
    main = soup.main
    assert not main.select(".planeval-chapter")  # markers gone
    appendix = main.find_all(recursive=False)[-1]
    assert appendix.name == "section" and "appendix" in appendix["class"]
    notes = main.select(".method-note")
    assert len(notes) == 3 and all(n.find_parent("section", class_="appendix") for n in notes)
    heads = [(h.name, h.get_text()) for h in appendix.find_all(["h2", "h3", "h4", "h5"])]
    assert heads == [
        ("h2", "附件　计算口径与评价方法"),
        ("h3", "（一）主要指标进展"),
        ("h3", "（二）提升风险管控能力"),
        ("h3", "（三）存在的主要问题"),
    ]
    text = appendix.get_text(" ")
    assert "计算口径与评价方法" not in text.replace("附件　计算口径与评价方法", "")
    assert "统计口径说明" not in text  # generic note titles dropped: the subsection says it
    assert "问题识别规则与阈值" in text and "公式一" in text and "口径二" in text
    # the finding ids are in the appendix only
    body_text = "".join(t.get_text() for t in main.find_all(recursive=False)[:-1])
    assert "indicator-lagging:6" in text and "indicator-lagging:6" not in body_text
    assert "（1）工贸行业" in body_text and "正文四" in body_text  # the rest of a cell stays
    # TOC: h2, h3 and the chapter headings at h4 (not 1．智慧应急工程, not the method notes)
    toc = [li.get_text() for li in soup.select("nav.toc li")]
    assert toc == [
        "一、规划实施总体进展情况",
        "（一）主要指标进展",
        "（二）重大战略任务进展",
        "1. 提升风险管控能力",
        "（三）重大工程项目进展",
        "二、存在的主要问题",
        "附件　计算口径与评价方法",
        "（一）主要指标进展",
        "（二）提升风险管控能力",
        "（三）存在的主要问题",
    ]
    assert len({h["id"] for h in main.find_all(["h2", "h3", "h4"])}) == 11


def test_no_method_notes_no_appendix():
    out = finish_html(_report(_marker("a", "一、总") + _cell("<h2>一、总</h2>")), embed_fonts=False)
    assert "附件" not in out and "planeval-chapter" not in out


def test_wide_tables_marked_and_cells_may_wrap_before_brackets():
    import pandas as pd

    def frame(ncols):
        return pd.DataFrame(
            [[f"下降33%（0.011）{i}" for i in range(ncols)]],
            columns=[f"完成进度{i}" if i else "完成进度" for i in range(ncols)],
        )

    body = "".join(table_html(frame(n), f"表{n}") for n in (7, 8, 11))
    soup = BeautifulSoup(finish_html(_report(body), embed_fonts=False), "html.parser")
    tables = soup.find_all("table")
    assert [t["data-tbl"] for t in tables] == ["1", "2", "3"]
    assert ["wide" in t["class"] for t in tables] == [False, True, True]
    assert ["xwide" in t["class"] for t in tables] == [False, False, True]
    td = tables[0].find("td")
    assert str(td).count("<wbr/>") == 1 and td.get_text() == "下降33%（0.011）0"
    th = tables[0].find("th")  # a four-character header wraps only in the middle
    assert [s.get_text() for s in th.find_all("span", class_="nw")] == ["完成", "进度"]


def test_cn_number():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]


def _chapter(cid: str, title: str, body: str) -> str:
    return f'<div class="planeval-chapter" data-chapter="{cid}" data-title="{title}"></div>{body}'


def test_tables_and_charts_numbered_over_the_report_and_references_follow():
    fig = '<figure class="chart"><img src="data:image/png;base64,AA=="><figcaption class="figure-caption">{}</figcaption></figure>'
    cap = '<div class="table-wrap"><p class="table-caption">{}</p><table><tr><td>1</td></tr></table></div>'
    raw = (
        '<html><body><nav class="toc"><!-- planeval:toc --></nav><main>'
        + _chapter(
            "a",
            "（一）指标",
            "<h3>（一）指标</h3><p>详见表1，另见表2。</p>"
            + cap.format("表1 指标进展")
            + cap.format("表2 事故")
            + fig.format("事故起数"),
        )
        + _chapter(
            "b",
            "1. 风险",
            "<h4>1. 风险</h4><p>分年度情况见表2，行业情况见表1（表12不存在）。</p>"
            + cap.format("表1 行业")
            + cap.format("表2 年度")
            + cap.format("表 问题清单")
            + fig.format("隐患整改"),
        )
        + "</main></body></html>"
    )
    soup = BeautifulSoup(finish_html(raw, embed_fonts=False), "html.parser")
    caps = [c.get_text() for c in soup.select(".table-caption, .figure-caption")]
    assert caps == [
        "表1　指标进展",
        "表2　事故",
        "图1　事故起数",
        "表3　行业",
        "表4　年度",
        "表5　问题清单",
        "图2　隐患整改",
    ]
    texts = [p.get_text() for p in soup.main.find_all("p", class_=False)]
    # chapter a keeps its numbers; chapter b's 表1/表2 are now 表3/表4; 表12 is left alone
    assert texts == ["详见表1，另见表2。", "分年度情况见表4，行业情况见表3（表12不存在）。"]
    assert not soup.select("[data-chapter], [data-ref-chapter]")


def test_running_text_in_chinese_number_style_tables_keep_separators():
    raw = (
        '<html><body><nav class="toc"><!-- planeval:toc --></nav><main><h4>1．智慧应急工程</h4>'
        "<p>排查隐患5,845项，投资23,610.00万元，面积23,830.0公顷。事故发生后， 县安委会</p>"
        "<table><tr><td>5,845</td><td>23,610.00</td></tr></table></main></body></html>"
    )
    soup = BeautifulSoup(finish_html(raw, embed_fonts=False), "html.parser")
    assert soup.main.h4.get_text() == "1. 智慧应急工程"
    assert soup.main.p.get_text() == (
        "排查隐患5845项，投资23610万元，面积23830公顷。事故发生后，县安委会"
    )
    assert [td.get_text() for td in soup.find_all("td")] == ["5,845", "23,610.00"]
    assert all("num" in td["class"] for td in soup.find_all("td"))  # numbers align right


def test_cover_title_breaks_only_where_a_word_ends():
    # 24 characters and 2 quotes (25.15 wide: colwidths.text_width, a quote 0.575) at 二号 on
    # the 156 mm type area (20 a line): two lines, at 体系 | 及 — it used to break as
    # "…能力建设规" / "划中期评估报告"
    title = "示例县“十四五”应急管理体系及能力建设规划中期评估报告"
    assert title_lines(title, "示例县") == [
        "示例县“十四五”应急管理体系",
        "及能力建设规划中期评估报告",
    ]
    # a title that fits is one line; one with no place to break is left to wrap
    assert title_lines("甲县应急管理体系规划评估报告", "甲县") == ["甲县应急管理体系规划评估报告"]
    assert title_lines("甲" * 30, "甲县") == ["甲" * 30]
    # digits and quotes are narrow: 23 characters + 4 digits + 2 quotes = 23 + 6 × 0.575 =
    # 26.45 wide, one line at 26.45, two at 26.4
    t = "乙县“十四五”应急管理体系及能力建设规划2024年评估报告"
    assert title_lines(t, "乙县", per_line=26.45) == [t]
    assert title_lines(t, "乙县", per_line=26.4) == [
        "乙县“十四五”应急管理体系",
        "及能力建设规划2024年评估报告",
    ]
    # narrower: the first line (12 characters + 2 quotes) is 13.15 wide, so two lines at 13.15;
    # three at 13, the county's name a place to break too; none at all when even three do not
    # fit (left to wrap)
    assert title_lines(title, "示例县", per_line=13.15) == [
        "示例县“十四五”应急管理体系",
        "及能力建设规划中期评估报告",
    ]
    assert title_lines(title, "示例县", per_line=13) == [
        "示例县",
        "“十四五”应急管理体系",
        "及能力建设规划中期评估报告",
    ]
    assert title_lines(title, "示例县", per_line=12) == [title]


def test_the_report_exporter_skips_nbconverts_reparse_and_finishes_alike(tmp_path, monkeypatch):
    """The planeval exporter leaves nbconvert's BeautifulSoup pass out (no parse at export);
    the finished page equals the one finished from the stock HTMLExporter's output, with its
    alt text on an image that has none."""
    import base64

    import bs4
    from nbconvert import HTMLExporter

    from planeval.report import stitch

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    ok = ChapterResult("a", "10_a.ipynb", "一、标题", 1, "ok", executed=str(_executed(tmp_path)))
    merged = merge([ok])
    merged.metadata["kernelspec"] = {"name": "planeval", "display_name": "planeval"}
    merged.metadata["language_info"] = {"name": "python"}
    shown = v4.new_code_cell("show()", metadata={"tags": ["remove-input"]})
    shown.outputs = [  # a picture without alt text, as an analyst's own output might show it
        v4.new_output(
            "display_data", data={"text/html": f'<img src="data:image/png;base64,{png}">'}
        )
    ]
    merged.cells.append(shown)
    cover = {"title": "测试县评估报告", "county": "测试县"}
    parses = []
    real = bs4.BeautifulSoup.__init__
    monkeypatch.setattr(
        bs4.BeautifulSoup, "__init__", lambda self, *a, **k: parses.append(1) or real(self, *a, **k)
    )
    ours = stitch.export_html(merged, cover)
    assert parses == []
    stock_exporter = HTMLExporter(config=stitch._exporter().config,
                                  template_name=stitch.NBCONVERT_TEMPLATE_DIR.name,
                                  extra_template_basedirs=[str(stitch.NBCONVERT_TEMPLATE_DIR.parent)])  # fmt: skip
    for name in ("exclude_input", "exclude_input_prompt", "exclude_output_prompt",
                 "exclude_anchor_links", "embed_images", "language_code"):  # fmt: skip
        setattr(stock_exporter, name, getattr(stitch._exporter(), name))
    lines = stitch.title_lines(cover["title"], cover["county"])
    resources = {"planeval": {**cover, "title_lines": lines, "font_css": stitch.FONT_MARK}}
    stock, _ = stock_exporter.from_notebook_node(merged, resources=resources)
    assert stitch.NO_ALT not in ours and stitch.NO_ALT in stock
    finished = finish_html(ours, embed_fonts=False)
    assert finished == finish_html(stock, embed_fonts=False)
    soup = BeautifulSoup(finished, "html.parser")
    assert [i["alt"] for i in soup.select("img")] == [stitch.NO_ALT]


def test_running_text_loses_thousands_separators_but_tables_keep_them():
    """Each text is tidied as running text unless a ``table`` encloses it, however deep (a
    caption or note after the table is running text again)."""
    from planeval.report.stitch import tidy_running_text

    soup = BeautifulSoup(
        "<main><p>排查5,845项，<b>投资23,610.00万元</b></p>"
        "<table><tr><td>13,191</td><td><span><i>2,500.50万元</i></span></td></tr></table>"
        "<p class='table-note'>共1,234项</p><h4>1．智慧应急工程</h4></main>",
        "html.parser",
    )
    tidy_running_text(soup.main)
    assert [t for t in soup.main.strings] == [
        "排查5845项，", "投资23610万元", "13,191", "2,500.50万元", "共1234项", "1. 智慧应急工程"
    ]  # fmt: skip


def test_an_export_validates_the_notebook_once(tmp_path, monkeypatch):
    """Once after all preprocessors (nbconvert's optimistic validation), not after each of its
    dozen; an invalid notebook still fails the export."""
    import nbformat
    import pytest
    from nbconvert.exporters import exporter as nbc_exporter

    from planeval.report import stitch

    ok = ChapterResult("a", "10_a.ipynb", "一、标题", 1, "ok", executed=str(_executed(tmp_path)))
    merged = merge([ok])
    merged.metadata["kernelspec"] = {"name": "planeval", "display_name": "planeval"}
    merged.metadata["language_info"] = {"name": "python"}
    calls = []
    real = nbc_exporter.nbformat.validate
    monkeypatch.setattr(
        nbc_exporter.nbformat, "validate", lambda nb, **k: calls.append(1) or real(nb, **k)
    )
    stitch.export_html(merged, {"title": "测试县评估报告", "county": "测试县"})
    assert len(calls) == 1
    merged.metadata["kernelspec"] = {}  # a kernelspec without its name
    with pytest.raises(nbformat.ValidationError):
        stitch.export_html(merged, {"title": "测试县评估报告", "county": "测试县"})
