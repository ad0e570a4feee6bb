"""附表.xlsx and figures/: hand-made report HTML, the workbook read back with openpyxl."""

from __future__ import annotations

import base64

import openpyxl
import pytest

from planeval.report import exports

HTML = """<html><body><main>
<h3>（一）安全生产</h3>
<div class="table-wrap"><p class="table-caption">表1　各行业领域事故（单位：起）</p>
<table><thead>
<tr><th rowspan="2">行业<br>领域</th><th colspan="2">2022年</th><th>变化</th></tr>
<tr><th>起数</th><th>占比</th><th>同比</th></tr>
</thead><tbody>
<tr><td>危险化学品</td><td>1,234</td><td>12.5%</td><td>+3.0%</td></tr>
<tr><td>=SUM(A1:A9)</td><td>—</td><td>-7</td><td>−0.25</td></tr>
<tr><td>@cmd</td><td>-x</td><td>+1 起</td><td>12.5‰</td></tr>
</tbody></table><p class="table-note">注：“—”表示台账未提供。</p></div>
<div class="table-wrap"><table><tr><td>无表题</td></tr></table></div>
<h4>1. 隐患</h4>
<div class="table-wrap"><p class="table-caption">表1　隐患整改</p>
<table><thead><tr><th>等级</th><th>整改率</th></tr></thead>
<tbody><tr><td>重大</td><td>100.0%</td></tr></tbody></table></div>
</main></body></html>"""


def test_tables_read_as_printed_numbered_in_report_order():
    t1, t2 = exports.report_tables(HTML)  # the caption-less table is not a report table
    assert (t1.number, t1.caption, t1.unit) == (1, "各行业领域事故（单位：起）", "起")
    # Chapters number their own tables from 1: the report numbers them in order.
    assert (t2.number, t2.caption, t2.section) == (2, "隐患整改", "1. 隐患")
    assert t1.section == "（一）安全生产"
    assert t1.header == [
        ["行业领域", "2022年", "2022年", "变化"],
        ["行业领域", "起数", "占比", "同比"],
    ]
    assert t1.body[1] == ["=SUM(A1:A9)", "—", "-7", "−0.25"]
    assert t1.note == "注：“—”表示台账未提供。"
    assert t1.cells()[("危险化学品", "2022年 / 占比")] == "12.5%"


def test_report_numbers_are_kept_when_they_run_over_the_report():
    assert exports.numbered(["表1　甲", "表2　乙", "表3 丙"]) == [(1, "甲"), (2, "乙"), (3, "丙")]
    assert exports.numbered(["表2　甲", "表3　乙"]) == [(1, "甲"), (2, "乙")]
    assert exports.numbered(["图1：甲", "乙"]) == [(1, "甲"), (2, "乙")]


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("1,234", 1234, "#,##0"),
        ("12", 12, "0"),
        ("0.50", 0.5, "0.00"),
        ("12.5%", 0.125, "0.0%"),
        ("100.0%", 1.0, "0.0%"),
        ("+3.0%", 0.03, "+0.0%;-0.0%;0.0%"),
        ("−0.25", -0.25, "0.00"),
        ("-7", -7, "0"),
        ("—", "—", None),
        ("+1 起", "+1 起", None),  # a number with a word is text, as printed
        ("12.5‰", "12.5‰", None),
        ("1,23", "1,23", None),  # not a thousands separator
        ("2022年", "2022年", None),
    ],
)
def test_cell_values(text, value, fmt):
    assert exports.cell_value(text) == (value, fmt)


def test_workbook_numbers_percentages_and_formula_text(tmp_path):
    path = exports.write_tables_xlsx(
        exports.report_tables(HTML), tmp_path / "附表.xlsx", "示例县报告"
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["目录", "表1 各行业领域事故（单位：起）", "表2 隐患整改"]
    toc = wb["目录"]
    assert [toc.cell(4, c).value for c in (1, 2, 3)] == [
        "表1",
        "各行业领域事故（单位：起）",
        "（一）安全生产",
    ]
    assert toc.cell(5, 4).hyperlink.location == "'表2 隐患整改'!A1" or (
        toc.cell(5, 4).hyperlink.target == "#'表2 隐患整改'!A1"
    )
    ws = wb["表1 各行业领域事故（单位：起）"]
    assert ws["A1"].value == "表1　各行业领域事故（单位：起）"
    assert ws["A2"].value == "单位：起"
    # Header rows 4-5, body from row 6.
    assert [ws.cell(4, c).value for c in range(1, 5)] == ["行业领域", "2022年", "2022年", "变化"]
    b = ws["B6"]
    assert (b.value, b.data_type, b.number_format) == (1234, "n", "#,##0")
    c = ws["C6"]
    assert (c.value, c.data_type, c.number_format) == (0.125, "n", "0.0%")
    assert (ws["D6"].value, ws["D6"].number_format) == (0.03, "+0.0%;-0.0%;0.0%")
    assert (ws["C7"].value, ws["D7"].value) == (-7, -0.25)
    assert ws["B7"].value == "—"  # absence stays a dash, never 0
    for ref, text in (("A7", "=SUM(A1:A9)"), ("A8", "@cmd"), ("B8", "-x"), ("C8", "+1 起")):
        cell = ws[ref]
        assert (cell.value, cell.data_type) == (text, "s"), ref
        assert cell.quotePrefix, ref
    assert ws["D8"].value == "12.5‰" and not ws["D8"].quotePrefix
    assert ws["A10"].value == "注：“—”表示台账未提供。"
    assert wb["表2 隐患整改"]["B5"].value == 1.0


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    long = "很长的表题" * 10
    a = exports.sheet_name("表1", long + "/[x]", taken)
    b = exports.sheet_name("表1", long, taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set("[]:*?/\\") & set(a + b)


def test_figures_named_by_number_and_title(tmp_path):
    png = base64.b64encode(b"\x89PNG fake").decode()
    figs = [{"title": "隐患 发现/整改", "png": png, "svg": "<svg/>", "chapter": "risk"}]
    [w] = exports.write_figures(figs, [], tmp_path / "figures")
    assert w["png"] == "figures/图1_隐患_发现_整改.png"
    assert (tmp_path / w["png"]).read_bytes() == b"\x89PNG fake"
    assert (tmp_path / w["svg"]).read_text(encoding="utf-8") == "<svg/>"
    # The report's own caption and number win when every chart has one.
    [w] = exports.write_figures(figs, [(4, "隐患发现与整改")], tmp_path / "f2")
    assert w["png"] == "f2/图4_隐患发现与整改.png"


def test_figure_files_from_a_matplotlib_figure():
    from planeval.charts import new_figure
    from planeval.charts.files import DPI, figure_files

    fig, ax = new_figure("small")
    ax.plot([1, 2], [3, 4])
    ax.set_title("标题")
    files = figure_files(fig)
    assert files["title"] == "标题"
    raw = base64.b64decode(files["png"])
    # PNG header: width at bytes 16-20; 4.2 in at 300 dpi is 1260 px before tight bbox.
    width = int.from_bytes(raw[16:20], "big")
    assert raw[:4] == b"\x89PNG" and 900 < width <= 4.2 * DPI
    assert files["svg"].lstrip().startswith("<?xml") and "<svg" in files["svg"]


def test_figure_file_png_is_zlib_level_3_with_the_same_pixels(monkeypatch):
    """The 300-dpi PNG is deflated at level 3 (the zlib header's FLEVEL bits: 0 for level 1,
    1 for 2–5, 2 for Pillow's default 6, 3 for 7–9) and decodes to the pixels level 6 gives."""
    import io

    from PIL import Image

    from planeval.charts import files, new_figure

    def idat_flevel(raw: bytes) -> int:
        at = raw.index(b"IDAT") + 4  # chunk data starts with the zlib header (CMF, FLG)
        assert raw[at] & 0x0F == 8  # deflate
        return raw[at + 1] >> 6

    fig, ax = new_figure("small")
    ax.bar(["甲", "乙"], [3, 1])
    ax.set_title("隐患")
    ours = base64.b64decode(files.figure_files(fig)["png"])
    monkeypatch.setattr(files, "PNG_COMPRESS_LEVEL", 6)
    default = base64.b64decode(files.figure_files(fig)["png"])
    assert (idat_flevel(ours), idat_flevel(default)) == (1, 2)
    assert len(ours) > len(default)  # the price: a larger file
    a, b = Image.open(io.BytesIO(ours)), Image.open(io.BytesIO(default))
    assert a.size == b.size and a.tobytes() == b.tobytes()


def test_figure_files_share_one_tight_box():
    """The PNG and the SVG are cut to the same box (measured once), the box savefig's own
    tight bbox gives: a wide chart with a long title, 6.3 × 3.2 in before the cut."""
    import io
    import re

    from planeval.charts import new_figure
    from planeval.charts.files import DPI, figure_files

    fig, ax = new_figure("wide")
    ax.bar(["甲", "乙", "丙"], [3, 1, 2])
    fig.suptitle("2021年至2023年上半年分年度隐患排查治理情况")
    files = figure_files(fig)
    raw = base64.b64decode(files["png"])
    w, h = int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")
    m = re.search(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', files["svg"])
    sw, sh = float(m.group(1)), float(m.group(2))
    assert abs(w / DPI - sw / 72) < 2 / DPI and abs(h / DPI - sh / 72) < 2 / DPI
    ref = io.BytesIO()
    fig.savefig(ref, format="png", dpi=DPI)  # savefig.bbox "tight": its own measure
    rw, rh = (
        int.from_bytes(ref.getvalue()[16:20], "big"),
        int.from_bytes(ref.getvalue()[20:24], "big"),
    )
    assert abs(w - rw) <= 0.01 * rw and abs(h - rh) <= 0.01 * rh
    assert w < 6.3 * DPI and h < 3.2 * DPI + 0.2 * DPI  # cut to the drawing, not the page


def _report_folder(root, county, slug, status="ok", created="2026-11-30T09:15:00+08:00"):
    import json

    d = root / county / slug
    (d / "notebooks").mkdir(parents=True)
    (d / "report.html").write_text("<html></html>", encoding="utf-8")
    (d / "notebooks" / "12_risk.html").write_text("<html></html>", encoding="utf-8")
    mf = {
        "status": status,
        "created": created,
        "period": {"label": "中期评估", "start": "2021-01-01", "end": "2023-06-30"},
        "chapters": [
            {"title": "风险", "ok": True, "executed": "notebooks/12_risk.ipynb"},
            {"title": "灾害", "ok": status == "ok", "executed": "notebooks/13_disasters.ipynb"},
        ],
    }
    (d / "manifest.json").write_text(json.dumps(mf, ensure_ascii=False), encoding="utf-8")
    return d


def test_index_lists_every_report_with_relative_links(tmp_path):
    from urllib.parse import quote

    from planeval.report.stitch import markup_external_references

    _report_folder(tmp_path, "示例县", "midterm-2023H1")
    _report_folder(tmp_path, "青山县", "2022", status="failed")
    (tmp_path / "青山县" / "2022.last-good").mkdir()
    (tmp_path / "青山县" / "2022.last-good" / "report.html").write_text("x", encoding="utf-8")
    (tmp_path / "青山县" / ".planeval-run-2022-1").mkdir()
    page = exports.write_index(tmp_path).read_text(encoding="utf-8")
    assert page.count("<tr>") == 3  # header + two reports; no staging, no .last-good row
    assert "示例县" in page and "青山县" in page and "2021-01-01至2023-06-30" in page
    assert "部分章节失败：灾害" in page and "2026-11-30 09:15" in page
    assert 'href="%E7%A4%BA%E4%BE%8B%E5%8E%BF/midterm-2023H1/report.html"' in page
    assert 'href="%E7%A4%BA%E4%BE%8B%E5%8E%BF/midterm-2023H1/notebooks/12_risk.html">风险' in page
    assert "13_disasters.html" not in page  # no page, no link
    assert "2022.last-good/report.html" in page and ">上次完整报告<" in page
    assert "report.pdf" not in page  # only files that exist
    assert "数据核查清单" not in page and "本次变化" not in page
    assert not markup_external_references(page) and "<script" not in page
    # a reviewer's way in: the checklist and what changed, once the report folder has them
    folder = tmp_path / "示例县" / "midterm-2023H1"
    (folder / "数据核查清单.html").write_text("<html></html>", encoding="utf-8")
    (folder / "本次变化.txt").write_text("无变化", encoding="utf-8")
    page = exports.write_index(tmp_path).read_text(encoding="utf-8")
    assert f'href="{quote("示例县/midterm-2023H1/数据核查清单.html")}">数据核查清单</a>' in page
    assert f'href="{quote("示例县/midterm-2023H1/本次变化.txt")}">本次变化</a>' in page
    assert page.count("数据核查清单") == 1  # 青山县 has none
    assert "未生成章节页" not in page  # each has a chapter page
    (tmp_path / "青山县" / "2022" / "notebooks" / "12_risk.html").unlink()
    page = exports.write_index(tmp_path).read_text(encoding="utf-8")
    assert page.count("<small>未生成章节页</small>") == 1  # 青山县 now has none
    from planeval.report.provenance import CHECKLIST

    assert ("数据核查清单.html", "数据核查清单") in exports._LINKS  # the file provenance writes
    assert f"{CHECKLIST}.html" == "数据核查清单.html"


def test_index_links_the_batchs_comparisons_newest_first(tmp_path):
    import os
    from urllib.parse import quote

    _report_folder(tmp_path, "甲县", "2023H1")
    assert "县区对比" not in exports.write_index(tmp_path).read_text(encoding="utf-8")
    for slug, title, when in (
        ("2022H2", "县区对比：2022年下半年规划实施评估", 1_700_000_000),
        ("2023H1", "县区对比：2023年上半年规划实施评估", 1_800_000_000),
    ):
        page = tmp_path / f"县区对比-{slug}.html"
        page.write_text(f"<html><head><title>{title}</title><style>/*fonts*/</style>", "utf-8")
        os.utime(page, (when, when))
    (tmp_path / "县区对比-2023H1.xlsx").write_bytes(b"x")
    page = exports.write_index(tmp_path).read_text(encoding="utf-8")
    newer = f'<a href="{quote("县区对比-2023H1.html")}">县区对比：2023年上半年规划实施评估</a>'
    older = f'<a href="{quote("县区对比-2022H2.html")}">县区对比：2022年下半年规划实施评估</a>'
    assert newer in page and older in page and page.index(newer) < page.index(older)
    assert page.count(">Excel</a>") == 1  # 2022H2 has no workbook beside it
    assert page.index("县区对比") < page.index("<table>")


def test_the_previous_build_in_place_without_its_tables_is_not_passed_over(tmp_path):
    """A complete build in place without tables.json (an older version's): nothing to compare
    with, rather than an older .last-good copy whose changes would be taken for this build's."""
    target = _report_folder(tmp_path, "示例县", "midterm-2023H1")
    keep = _report_folder(tmp_path, "示例县", "midterm-2023H1.last-good", created="2026-01-05")
    (keep / exports.TABLES_JSON).write_text("[]", encoding="utf-8")
    assert exports.previous_good(target) is None
    (target / exports.TABLES_JSON).write_text("[]", encoding="utf-8")
    assert exports.previous_good(target) == target
    (target / "manifest.json").write_text('{"status": "failed"}', encoding="utf-8")
    assert exports.previous_good(target) == keep  # a partial build in place: the kept copy


def test_changes_against_the_previous_good_build(tmp_path):
    import json

    prev = _report_folder(tmp_path, "示例县", "midterm-2023H1", created="2026-11-30T09:15:00")
    old = exports.report_tables(HTML)
    (prev / exports.TABLES_JSON).write_text(
        json.dumps(exports.tables_record(old), ensure_ascii=False), encoding="utf-8"
    )
    assert exports.previous_good(prev) == prev
    new_html = HTML.replace("<td>1,234</td>", "<td>1,235</td>").replace(
        "表1　隐患整改", "表1　隐患整改（新）"
    )
    out = tmp_path / "staging"
    out.mkdir()
    rec = exports.write_changes(exports.report_tables(new_html), prev, out)
    assert rec["count"] == 3
    first, added, removed = rec["cells"]
    assert first == {
        "table": "表1",
        "caption": "各行业领域事故（单位：起）",
        "row": "危险化学品",
        "column": "2022年 / 起数",
        "before": "1,234",
        "after": "1,235",
    }
    assert (added["caption"], added["after"]) == ("隐患整改（新）", "（新增表）")
    assert (removed["caption"], removed["before"], removed["after"]) == (
        "隐患整改",
        "（原有表）",
        None,
    )
    text = (out / exports.CHANGES_TXT).read_text(encoding="utf-8")
    assert (
        text.splitlines()[0]
        == "与上次完整报告（2026-11-30 09:15）相比，报告各表共有 3 处数字变化："
    )
    assert "- 表1 各行业领域事故（单位：起）　危险化学品　2022年 / 起数：1,234 → 1,235" in text
    # Same tables: no change, said so.
    same = exports.write_changes(old, prev, out)
    assert same["count"] == 0
    assert "没有变化" in (out / exports.CHANGES_TXT).read_text(encoding="utf-8")


def test_no_previous_good_build_no_changes(tmp_path):
    d = _report_folder(tmp_path, "示例县", "2022", status="failed")
    (d / exports.TABLES_JSON).write_text("[]", encoding="utf-8")
    assert exports.previous_good(d) is None  # a failed build is not a reference
    assert exports.write_changes([], None, tmp_path) is None
    assert not (tmp_path / exports.CHANGES_TXT).exists()


def test_cells_are_labelled_by_the_row_name_not_its_serial_number():
    html = (
        '<main><div class="table-wrap"><p class="table-caption">表1　指标</p><table>'
        "<thead><tr><th>序号</th><th>指标</th><th>2022年</th></tr></thead><tbody>"
        "<tr><td>1</td><td>事故起数</td><td>4</td></tr>"
        "<tr><td>2</td><td>死亡人数</td><td>6</td></tr></tbody></table></div></main>"
    )
    [t] = exports.report_tables(html)
    assert t.cells() == {("事故起数", "2022年"): "4", ("死亡人数", "2022年"): "6"}


def _one_chapter(tmp_path):
    import nbformat
    from nbformat import v4

    from planeval.report.chapters import ChapterResult

    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                "show()",
                outputs=[v4.new_output("display_data", data={"text/html": "<p>本章正文。</p>"})],
            )
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "planeval",
        "display_name": "planeval",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    path = tmp_path / "12_risk.ipynb"
    nbformat.write(nb, path)
    return ChapterResult("risk", "12_risk.ipynb", "（二）风险", 1, "ok", executed=str(path))


def test_chapter_page_takes_the_report_fonts_but_never_an_outside_one(tmp_path):
    """The page's own markup is checked, and so are the font rules put in after the check:
    the report's data: rules go in as they are, a rule loading a font from a server stops it."""
    r = _one_chapter(tmp_path)
    cover = {"county": "示例县", "title": "规划中期评估报告", "period_label": "中期评估"}
    local = '@font-face { font-family: "X"; src: url(data:font/woff;base64,AAAA) format("woff"); }'
    page = exports.chapter_page(r, cover, local)
    assert "本章正文" in page and local in page and "chapter-page-head" in page
    assert "planeval:fonts" not in page  # the mark replaced
    head = '<p class="chapter-page-head">示例县　规划中期评估报告　中期评估</p>'
    assert head in page
    # a title that starts with the county names it once
    named = exports.chapter_page(r, {**cover, "title": "示例县规划中期评估报告"}, local)
    assert '<p class="chapter-page-head">示例县规划中期评估报告　中期评估</p>' in named
    outside = '@font-face { font-family: "X"; src: url(https://fonts.example/x.woff); }'
    with pytest.raises(RuntimeError, match="12_risk.ipynb 的章节页含有外部引用"):
        exports.chapter_page(r, cover, outside)


def test_figure_files_draw_the_chart_once_per_file():
    """Two files, two drawings: the tight box is measured once for both (savefig, asked for a
    tight box, draws the chart once more for each file only to measure it)."""
    from matplotlib.figure import Figure

    from planeval.charts import new_figure
    from planeval.charts.files import figure_files

    fig, ax = new_figure("small")
    ax.plot([1, 2], [3, 4])
    ax.set_title("标题")
    draws = []
    real = Figure.draw

    def counted(self, renderer):
        draws.append(type(renderer).__name__)
        return real(self, renderer)

    Figure.draw = counted
    try:
        figure_files(fig)
    finally:
        Figure.draw = real
    assert len(draws) == 2, draws


def test_the_reports_chart_png_is_savefigs_own_drawn_once():
    """The report's PNG (figure_html) after a chapter's tight_layout: the bytes savefig's own
    tight crop gives at savefig.dpi (150, the figure being 110), from one drawing instead of
    two, and the figure keeps its layout engine."""
    import io
    import re

    from matplotlib.figure import Figure

    from planeval.charts import new_figure
    from planeval.charts.style import figure_html

    fig, ax = new_figure("wide")
    ax.bar(["甲县", "乙县", "丙县"], [30000, 1, 2])
    ax.set_ylabel("每十万人受灾人次")
    fig.suptitle("2021年至2023年上半年分年度受灾情况")
    fig.tight_layout()
    engine = fig.get_layout_engine()
    ref = io.BytesIO()
    fig.suptitle("")  # figure_html takes the title off into the caption, then saves
    fig.savefig(ref, format="png")
    fig.suptitle("2021年至2023年上半年分年度受灾情况")
    draws = []
    real = Figure.draw

    def counted(self, renderer):
        draws.append(1)
        return real(self, renderer)

    Figure.draw = counted
    try:
        out = figure_html(fig)
    finally:
        Figure.draw = real
    data = base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', out).group(1))
    assert data == ref.getvalue()
    assert len(draws) == 1
    assert fig.get_layout_engine() is engine


def test_a_chart_with_a_real_layout_engine_or_no_renderer_is_cut_as_savefig_cuts_it():
    """Constrained layout runs at savefig, before it measures: measured beforehand, the box
    would clip the labels; such a chart is cut by savefig's own "tight". A bare Figure's
    canvas has no renderer of its own: the same."""
    import io
    import re

    from matplotlib.figure import Figure

    from planeval.charts import new_figure
    from planeval.charts.style import figure_html

    def chart():
        fig, ax = new_figure("wide", layout="constrained")
        ax.bar(["甲县", "乙县"], [30000, 2])
        ax.set_ylabel("每十万人受灾人次")
        return fig

    def png(out: str) -> bytes:
        return base64.b64decode(re.search(r'base64,([A-Za-z0-9+/=]+)"', out).group(1))

    ref = io.BytesIO()
    chart().savefig(ref, format="png")
    assert png(figure_html(chart())) == ref.getvalue()
    bare = Figure(figsize=(2, 1))
    bare.add_subplot().plot([1, 2])
    bare_ref = io.BytesIO()
    Figure.savefig(bare, bare_ref, format="png")
    assert png(figure_html(bare)) == bare_ref.getvalue()


def test_the_same_chart_gives_the_same_svg():
    """figures/' SVG of a chart drawn twice is the same text: no date, no random ids."""
    from planeval.charts import new_figure
    from planeval.charts.files import figure_files

    def chart() -> str:
        fig, ax = new_figure("small")
        ax.bar(["甲", "乙"], [3, 5])
        ax.set_title("两县对比")
        fig.tight_layout()
        return figure_files(fig)["svg"]

    first, second = chart(), chart()
    assert "<dc:date>" not in first and 'clip-path="url(#' in first
    assert first == second
