"""Stitching: merging executed chapters, the failure placeholder, TOC and offline clean-up."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup
from nbformat import v4
from planeval.report.runner import ChapterResult
from planeval.report.stitch import external_references, failure_html, finish_html, merge


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
    assert kinds == ["markdown", "code", "markdown", "code"]
    outs = nb.cells[1].outputs
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
    html = nb.cells[0].outputs[0]["data"]["text/html"]
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
