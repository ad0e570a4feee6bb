"""Analysts' notes: rendered with the section's fields, never raw HTML, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from planeval.data.pack import DataPack
from planeval.narrative.notes import render_note, section_note
from planeval.narrative.render import NarrativeError, markdown_to_html


def _pack(notes):
    return DataPack(root=Path("."), frames={}, notes=notes)


def test_missing_note_gives_nothing():
    assert section_note(_pack({}), "indicators", total_deaths=3) is None
    assert section_note(_pack({"indicators": "  \n"}), "indicators") is None


def test_note_uses_fields_and_filters():
    n = section_note(
        _pack({"indicators": "评估期内死亡{{ total_deaths|int }}人，{{ 7|change(8) }}。"}),
        "indicators",
        total_deaths=9,
    )
    assert n.markdown == "评估期内死亡9人，下降12.5%。"


def test_unknown_field_names_note_and_field():
    with pytest.raises(NarrativeError) as e:
        section_note(_pack({"indicators": "死亡{{ deaths_totl }}人"}), "indicators", total_deaths=9)
    msg = str(e.value)
    assert "indicators" in msg and "deaths_totl" in msg and "不存在" in msg


def test_syntax_error_names_note():
    with pytest.raises(NarrativeError, match="indicators.*第1行模板语法错误"):
        section_note(_pack({"indicators": "{{ total_deaths "}), "indicators", total_deaths=9)


def test_raw_html_never_passes():
    n = section_note(_pack({"indicators": "注意<script>alert(1)</script><b>粗</b>"}), "indicators")
    html = markdown_to_html(n.markdown)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert "<script>" not in n._repr_html_()


def test_sandbox_blocks_python_internals():
    with pytest.raises(NarrativeError, match="不允许"):
        render_note("{{ ''.__class__.__mro__[1].__subclasses__() }}", name="分析说明“x”")


# ------------------------------------------------ links, images and Markdown in data values
def test_links_and_images_in_a_note_render_as_text():
    note = "详见[文件](https://www.mem.gov.cn/)，附图![x](http://a/b.png)，另见<https://x.org/a>。"
    n = section_note(_pack({"risk": note}), "risk")
    html = markdown_to_html(n.markdown)
    assert "<a" not in html and "<img" not in html and "href" not in html and "src=" not in html
    assert html == (
        "<p>详见文件（https://www.mem.gov.cn/），附图［图片未嵌入：x］，另见https://x.org/a。</p>\n"
    )


def test_values_printed_into_templates_are_literal_text():
    """A unit name "2*3*4 <b>x</b>" must not become italics or markup; the template's own
    Markdown (**…**) still works; numbers formatted by filters are untouched."""
    from planeval.narrative.render import render_string

    n = render_string(
        "单位“{{ u }}”共**{{ n|int }}**起，占{{ r|pct }}，项目{{ names|join_cn }}。",
        u="2*3*4 <b>x</b>",
        n=1234,
        r=0.125,
        names=["A_1", "[B](https://b.org)"],
    )
    html = markdown_to_html(n.markdown)
    assert html == (
        "<p>单位“2*3*4 &lt;b&gt;x&lt;/b&gt;”共<strong>1,234</strong>起，占12.5%，"
        "项目A_1、[B](https://b.org)。</p>\n"
    )
    assert n.plain == "单位“2*3*4 <b>x</b>”共**1,234**起，占12.5%，项目A_1、[B](https://b.org)。"


def test_rendered_text_printed_again_is_not_escaped_twice():
    """A Narrative (or its .markdown) printed into another template keeps its Markdown, and a
    macro's output printed by the caller is not escaped twice."""
    from planeval.narrative.render import render_string

    inner = render_string("**{{ u }}**", u="a*b")
    outer = render_string("{{ x }}；{{ y }}", x=inner, y=inner.markdown)
    assert outer.markdown == r"**a\*b**；**a\*b**"
    m = render_string("{% macro q(s) %}“{{ s }}”{% endmacro %}{{ q(u) }}", u="a*b")
    assert markdown_to_html(m.markdown) == "<p>“a*b”</p>\n"


def test_note_with_links_builds_the_report(tmp_path):
    """Stitch level: a note with a link, an image and text that *mentions* HTML loaders builds
    report.html (the offline check looks at markup, not at words in the text)."""
    from types import SimpleNamespace

    import nbformat
    from bs4 import BeautifulSoup
    from nbformat import v4

    from planeval.periods import Period
    from planeval.report.chapters import ChapterResult
    from planeval.report.stitch import write_html

    note = (
        "见[文件](https://www.mem.gov.cn/)和![x](http://a/b.png)；"
        '勿写<a href="https://evil.example/">链接</a>或`url(https://x/y)`、@import。'
    )
    n = section_note(_pack({"risk": note}), "risk")
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "planeval",
        "display_name": "planeval",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    cell = v4.new_code_cell("show(note)", metadata={"tags": ["remove-input"]})
    cell.outputs = [v4.new_output("display_data", data={"text/html": n._repr_html_()})]
    nb.cells = [v4.new_markdown_cell("## 一、标题"), cell]
    nbformat.write(nb, tmp_path / "12_risk.ipynb")
    ok = ChapterResult(
        "risk", "12_risk.ipynb", "一、标题", 1, "ok", executed=str(tmp_path / "12_risk.ipynb")
    )
    params = SimpleNamespace(
        report_title="评估报告",
        county="测试县",
        period_obj=Period.parse("midterm"),
        organization="应急管理局",
        date_label="2023年7月",
    )
    clean = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"
    out = write_html([ok], params, tmp_path / "report.html", data_dir=clean)
    text = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser").get_text()
    assert "见文件（https://www.mem.gov.cn/）和［图片未嵌入：x］" in text
    assert '勿写<a href="https://evil.example/">链接</a>或url(https://x/y)、@import。' in text
