"""The demo county's mid-term report (what `make report` builds), checked where the eye would:
tables inside the page, method notes in the appendix, the TOC, Word tables within the page."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from docx.oxml.ns import qn

from planeval.paths import PROJ_ROOT
from planeval.report import pdf
from planeval.report.colwidths import LANDSCAPE_WIDTH_TWIPS, TEXT_WIDTH_TWIPS, longest_word
from planeval.report.runner import Progress, run

pytestmark = pytest.mark.slow

FINDING_ID = re.compile(r"\b[a-z]+(?:-[a-z]+)+:[^\s<，。]+")
TASKS = [  # the numbered sub-sections of （二）重大战略任务进展 and （三）重大工程项目进展
    "1. 加强应急管理体系建设",
    "2. 提升风险管控能力",
    "3. 推进自然灾害综合治理",
    "4. 强化应急救援能力",
    "5. 提高综合保障能力",
    "6. 增强科技支撑能力",
    "7. 提升社会共治能力",
    "1. 智慧应急工程",
    "2. 安全生产风险防控工程",
    "3. 自然灾害防治工程",
    "4. 应急救援能力提升工程",
    "5. 应急物资保障工程",
]
SECTORS = ["工贸行业", "危险化学品", "非煤矿山", "建筑施工", "道路交通", "消防", "特种设备",
           "城市建设和运行", "电力", "农业机械", "渔业船舶"]  # fmt: skip
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪"
# The default outline (planeval/outline.yaml) as the demo's mid-term fills it, written out by
# hand from the seed report's structure and the demo's 重大工程 ledger (5 categories, 11 projects).
OUTLINE_HEADINGS = [
    ("h2", "总体评价"),
    ("h2", "一、规划实施总体进展情况"),
    ("h3", "（一）主要指标进展"),
    ("h3", "（二）重大战略任务进展"),
    ("h4", "1. 加强应急管理体系建设"),
    ("h5", "（1）坚持党的集中领导"),
    ("h5", "（2）健全应急管理指挥体制"),
    ("h5", "（3）优化统筹联动工作机制"),
    ("h5", "（4）强化落实应急责任体系"),
    ("h5", "（5）深化综合行政执法改革"),
    ("h4", "2. 提升风险管控能力"),
    ("h5", "（1）加强风险源头预防管控"),
    ("h5", "（2）提高风险辨识评估水平"),
    ("h5", "（3）提升风险监测预警能力"),
    ("h5", "（4）加强重大安全风险管控"),
    ("h5", "（5）重点行业领域安全治理"),
    *[("h6", f"{c}{s}") for c, s in zip(CIRCLED, SECTORS, strict=True)],
    ("h4", "3. 推进自然灾害综合治理"),
    ("h4", "4. 强化应急救援能力"),
    ("h4", "5. 提高综合保障能力"),
    ("h4", "6. 增强科技支撑能力"),
    ("h4", "7. 提升社会共治能力"),
    ("h3", "（三）重大工程项目进展"),
    ("h4", "1. 智慧应急工程"),
    ("h5", "（1）县应急指挥中心信息化平台建设"),
    ("h5", "（2）安全生产风险监测预警系统建设"),
    ("h4", "2. 安全生产风险防控工程"),
    ("h5", "（1）城镇燃气管网老化更新改造工程"),
    ("h5", "（2）化工园区安全整治提升工程"),
    ("h4", "3. 自然灾害防治工程"),
    ("h5", "（1）地质灾害隐患点综合治理工程"),
    ("h5", "（2）中小河流治理及山洪沟防洪工程"),
    ("h5", "（3）城区排涝能力提升工程"),
    ("h4", "4. 应急救援能力提升工程"),
    ("h5", "（1）县综合应急救援基地建设"),
    ("h5", "（2）乡镇应急消防站建设"),
    ("h4", "5. 应急物资保障工程"),
    ("h5", "（1）县级应急物资储备库扩建工程"),
    ("h5", "（2）乡镇应急物资储备点标准化建设"),
    ("h2", "二、存在的主要问题"),
    ("h2", "三、下一步工作建议"),
    ("h2", "四、规划调整建议"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    res = run(
        PROJ_ROOT / "params" / "midterm-2023H1.yaml",
        overrides={"out": str(out)},
        progress=Progress(False),
    )
    assert res.exit_code == 0, res.message
    html = (res.target / "report.html").read_text(encoding="utf-8")
    return res.target, BeautifulSoup(html, "html.parser")


def test_every_table_fits_the_pdf_page(demo, table_overflow):
    target, soup = demo
    assert len(soup.find_all("table")) >= 10
    document = pdf.render(target / "report.html")  # what write_pdf wrote
    assert table_overflow(document) == []
    assert len(document.pages) > 20


def test_method_notes_are_in_the_appendix_only(demo):
    target, soup = demo
    main = soup.main
    appendix = main.select_one("section.appendix")
    assert appendix is not None and appendix is main.find_all(recursive=False)[-1]
    assert appendix.h2.get_text() == "附件　计算口径与评价方法"
    notes = main.select(".method-note")
    assert len(notes) >= 8
    assert all(n.find_parent("section", class_="appendix") is appendix for n in notes)
    subs = [h.get_text() for h in appendix.find_all("h3")]
    expected = [
        "主要指标进展",
        "提升风险管控能力",
        "推进自然灾害综合治理",
        "强化应急救援能力",
        "提高综合保障能力",
        "提升社会共治能力",
        "重大工程项目进展",
        "存在的主要问题",
    ]
    assert [re.sub(r"^（[一二三四五六七八九十]+）", "", s) for s in subs] == expected
    assert subs[0] == "（一）主要指标进展" and subs[-1] == "（八）存在的主要问题"
    body = "".join(str(t) for t in main.find_all(recursive=False) if t is not appendix)
    assert "计算口径与评价方法" not in body and "统计口径说明" not in body
    # No developer text for the reader: finding ids (for suppressing a finding), file paths
    # and configuration names are in the metrics JSON beside the report, not in it.
    text = main.get_text()
    assert not FINDING_ID.search(text)
    for dev in ("thresholds.yaml", "notes/", ".md", ".yaml", "标识"):
        assert dev not in text, dev
    problems = (target / "metrics" / "problems.json").read_text(encoding="utf-8")
    assert FINDING_ID.search(problems)


def test_headings_follow_the_default_outline_with_content_in_every_section(demo):
    _, soup = demo
    heads = soup.main.select(".outline")
    assert [(h.name, h.get_text()) for h in heads] == OUTLINE_HEADINGS
    # Every section has something of its own or sub-sections: figures, tasks or text.
    for h in heads:
        nxt = h.find_next(["h2", "h3", "h4", "h5", "h6", "p", "table", "img", "li"])
        assert nxt is not None and (
            nxt.name not in {"h2", "h3", "h4", "h5", "h6"} or (int(nxt.name[1]) > int(h.name[1]))
        ), h.get_text()
    # The chapters' own numbered headings are not printed twice.
    texts = [h.get_text() for h in soup.main.find_all(["h2", "h3", "h4", "h5", "h6"])]
    assert "1. 提升风险管控能力" not in texts and "（1）工贸行业" not in texts
    # The sector and project sections hold their own figures.
    sector = soup.main.find("h6", string="①工贸行业").find_next("p").get_text()
    assert sector.startswith("2021年至2023年上半年，工贸行业共开展执法检查")
    proj = soup.main.find("h5", string="（1）县应急指挥中心信息化平台建设").find_next("p")
    assert proj.get_text().startswith("已于2022年11月30日完工，按期完成；计划投资1800万元")
    tasks = soup.main.find("h5", string="（1）坚持党的集中领导").find_next("p").get_text()
    assert tasks == "规划确定的2项重点任务中，已完成1项、序时推进1项、滞后0项。"


def test_toc_h2_h3_and_the_task_chapters(demo):
    _, soup = demo
    items = [(li["class"][0], li.get_text()) for li in soup.select("nav.toc li")]
    assert [t for c, t in items if c == "toc-4"] == TASKS
    assert {c for c, _ in items} == {"toc-2", "toc-3", "toc-4"}
    texts = [t for _, t in items]
    assert texts[0] == "总体评价" and "附件　计算口径与评价方法" in texts
    assert [t for t in texts if "口径" in t] == ["附件　计算口径与评价方法"]


def test_word_tables_fit_the_page_and_hold(demo):
    target, soup = demo
    d = docx.Document(str(target / "report.docx"))
    assert len(d.tables) == len(soup.find_all("table"))
    layout = pdf.print_layout(pdf.render(target / "report.html"))
    for i, t in enumerate(d.tables, 1):
        grid = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        landscape = str(i) in layout.landscape  # as in the PDF
        assert sum(grid) == (LANDSCAPE_WIDTH_TWIPS if landscape else TEXT_WIDTH_TWIPS), i
        fixed = t._tbl.tblPr.find(qn("w:tblLayout"))
        assert fixed is not None and fixed.get(qn("w:type")) == "fixed"
        size = 9 if len(grid) >= 11 and not landscape else 10.5
        for row in t.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            for j, cell in enumerate(row.cells):
                # never narrower than the cell's longest word (half an em = size × 10 twips)
                assert grid[j] >= longest_word(cell.text) * size * 10, (i, j, cell.text)
    assert sum(s.orientation for s in d.sections) == len(layout.landscape)
    # The contents carry the PDF's page numbers.
    toc = [p.text for p in d.paragraphs if p.style.name.startswith("toc ")]
    links = soup.select("nav.toc a")
    assert len(toc) == len(links)
    for entry, a in zip(toc, links, strict=True):
        text, page = entry.rsplit("\t", 1)
        assert text == a.get_text() and int(page) == layout.pages[a["href"][1:]], entry
    # cover, then the chapters; the appendix is in the Word file too
    texts = [p.text for p in d.paragraphs]
    assert "附件　计算口径与评价方法" in texts


def test_executed_notebooks_record_the_final_folder(demo):
    target, _ = demo
    for nb in (target / "notebooks").glob("*.ipynb"):
        text = nb.read_text(encoding="utf-8")
        assert ".planeval-run-" not in text, nb.name
    assert str(Path(target / "metrics")) in (
        target / "notebooks" / "11_indicators.ipynb"
    ).read_text(encoding="utf-8")


def test_cover_title_in_two_lines_broken_between_words(demo):
    target, soup = demo
    h1 = soup.select_one("h1.cover-title")
    assert h1.get_text() == "示例县“十四五”应急管理体系及能力建设规划中期评估报告"
    assert [str(x) for x in h1.children if isinstance(x, str)] == [
        "示例县“十四五”应急管理体系",
        "及能力建设规划中期评估报告",
    ]
    # the PDF sets those two lines (none broken inside a word), and Word breaks there too
    from pypdf import PdfReader

    cover = PdfReader(target / "report.pdf").pages[0].extract_text().splitlines()
    assert "示例县“十四五”应急管理体系" in cover and "及能力建设规划中期评估报告" in cover
    heading = next(p for p in docx.Document(target / "report.docx").paragraphs
                   if p.style.name == "Heading 1")  # fmt: skip
    assert heading._p.xml.count("<w:br/>") == 1
    assert heading.text == "示例县“十四五”应急管理体系\n及能力建设规划中期评估报告"


def test_tables_and_charts_numbered_over_the_report(demo):
    _, soup = demo
    tables = [c.get_text() for c in soup.select(".table-caption")]
    figures = [c.get_text() for c in soup.select(".figure-caption")]
    assert [t.split("　")[0] for t in tables] == [f"表{n}" for n in range(1, len(tables) + 1)]
    assert [t.split("　")[0] for t in figures] == [f"图{n}" for n in range(1, len(figures) + 1)]
    assert len(figures) >= 8
    # every chart has its 图N caption — also a chapter's first chart, drawn when the inline
    # backend loads (it used to come out as a bare PNG with nbconvert's English alt text)
    charts = soup.main.select("img")
    assert len(charts) == len(figures)
    for img in charts:
        fig = img.find_parent("figure", class_="chart")
        assert fig is not None and fig.figcaption.get_text().startswith("图"), img.get("alt")
        assert img["alt"] != "No description has been provided for this image"
        # and its title: "图8" alone (a chart drawn without one) tells the reader nothing
        assert img["alt"] != "图表", fig.figcaption.get_text()
        number, _, title = fig.figcaption.get_text().partition("　")
        assert title.strip(), number
    # every in-text reference names a table that exists
    body = soup.main.get_text()
    for m in re.finditer(r"表(\d+)", body):
        assert int(m.group(1)) <= len(tables), m.group(0)


def test_tables_workbook_has_every_captioned_table(demo):
    import openpyxl

    target, soup = demo
    captions = [p.get_text(strip=True) for p in soup.main.select("div.table-wrap p.table-caption")]
    wb = openpyxl.load_workbook(target / "附表.xlsx")
    assert wb.sheetnames[0] == "目录" and len(wb.sheetnames) == 1 + len(captions) >= 10
    ws = wb[wb.sheetnames[1]]  # 主要指标进展: numbers are numbers
    assert ws["A1"].value.startswith("表1")
    assert ws["A4"].value == "序号" and (ws["A5"].value, ws["A5"].data_type) == (1, "n")
    pct = [c for row in wb[wb.sheetnames[2]].iter_rows() for c in row if "%" in c.number_format]
    assert pct and all(c.data_type == "n" and 0 <= c.value <= 1 for c in pct)


def test_figures_as_png_300dpi_and_svg(demo):
    from PIL import Image

    target, soup = demo
    pngs = sorted((target / "figures").glob("*.png"))
    svgs = sorted((target / "figures").glob("*.svg"))
    charts = soup.main.select("img[src^='data:image/png']")
    assert len(pngs) == len(svgs) == len(charts) >= 8
    assert pngs[0].name.startswith("图") and "_" in pngs[0].stem
    assert {p.stem for p in pngs} == {s.stem for s in svgs}
    with Image.open(pngs[0]) as im:
        assert round(im.info["dpi"][0]) == 300


def test_chapter_pages_and_index_show_no_code_and_load_nothing(demo):
    from planeval.report.stitch import markup_external_references

    target, _ = demo
    page = (target / "notebooks" / "12_risk.html").read_text(encoding="utf-8")
    text = BeautifulSoup(page, "html.parser").get_text()
    assert "提升风险管控能力" in text and "示例县" in text
    for code in ("import ", "data_dir", "metrics_dir", "risk.chart", "\\u"):
        assert code not in text, code
    assert "<script" not in page and not markup_external_references(page)
    index = (target.parent.parent / "index.html").read_text(encoding="utf-8")
    assert "示例县" in index and "midterm-2023H1/report.html" in index
    assert "midterm-2023H1/notebooks/12_risk.html" in index


@pytest.mark.optional
def test_word_paginates_like_the_pdf(demo, tmp_path):
    """The Word file, laid out by LibreOffice in the same open faces (fonts.fontconfig_file),
    has the PDF's page count and every 一级/二级 heading on the PDF's page: the contents' page
    numbers (taken from the PDF) hold in both files."""
    import os
    import shutil
    import subprocess

    from pypdf import PdfReader

    from planeval import fonts

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("libreoffice not installed")
    target, soup = demo
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.fontconfig_file(tmp_path / "fonts.conf"))}
    env["HOME"] = str(tmp_path)
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "lo")]
        + [str(target / "report.docx")],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )

    def texts(path: Path) -> list[str]:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(str(path)).pages]

    word, printed = texts(tmp_path / "lo" / "report.pdf"), texts(target / "report.pdf")
    assert abs(len(word) - len(printed)) <= 1, (len(word), len(printed))
    heads = [re.sub(r"\s+", "", h.get_text()) for h in soup.main.find_all(["h2", "h3"])]
    heads = [h for h in heads if len(h) >= 6]
    assert len(heads) >= 15

    def page_of(pages: list[str], text: str, start: int) -> int:
        return next(i for i in range(start, len(pages)) if text in pages[i])

    off, at_w, at_p = [], 4, 4  # after the contents pages
    for h in heads:
        at_p, at_w = page_of(printed, h, at_p), page_of(word, h, at_w)
        if at_p != at_w:
            off.append((h, at_p + 1, at_w + 1))
    assert len(off) <= 2 and all(abs(p - w) <= 1 for _, p, w in off), off


def test_checklist_recomputes_every_printed_figure_tables_and_sentences(demo):
    """The demo report's own 数据核查清单.json: every entry — table cells and the numbers its
    sentences print — recomputed from its listed rows in the original workbook; the hand-checked
    ones: the county's 执法检查 650次 (data/demo 执法检查 sheet: 650 distinct 检查批次 in the
    period) and 整改率 98.6% (5958 of 6045 hazards found in the period rectified by 2023-06-30)."""
    import json

    from checklist_check import check_entry

    target, soup = demo
    data = json.loads((target / "数据核查清单.json").read_text(encoding="utf-8"))
    rows = data["rows"]
    entries = []
    for e in data["entries"]:
        e = dict(e)
        e["sources"] = [rows[i] for i in e["sources"]]
        den = e["denominator_source"]
        e["denominator_source"] = rows[den] if den is not None else None
        entries.append(e)
    for e in entries:
        check_entry(PROJ_ROOT / "data" / "demo", e)
    text = [e for e in entries if e["table"] == "正文"]
    checks = next(e for e in text if "全县共开展执法检查650次" in e["row"])
    assert checks["printed"] == "650" and checks["computed"]["kind"] == "batches"
    rate = next(e for e in text if "已整改5958项，整改率98.6%" in e["row"] and "%" in e["printed"])
    assert rate["printed"] == "98.6%" and rate["computed"]["kind"] == "share"
    assert (rate["computed"]["numerator"], rate["computed"]["denominator"]) == (5958, 6045)
    # each placed number is linked in the report, at that very number
    links = {
        a["href"].split("#chk-")[1]: a.get_text()
        for a in soup.select("main p a.chk, main li a.chk")
    }
    assert all(links[e["id"]] == e["printed"] for e in text)
    cov = data["coverage"]
    assert cov["with_entry"] == len(entries) and cov["share"] >= 0.85  # 0.874 now


def _embedded_chars(page: str) -> set[str]:
    """Every character the page's embedded fonts (WOFF data URIs) can draw."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    chars: set[str] = set()
    for data in re.findall(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", page):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        chars |= {chr(c) for c in font.getBestCmap()}
    return chars


def test_companion_pages_embed_fonts_for_all_their_chinese(demo):
    """A chapter page, the 数据核查清单 page and the index are shared alone, onto machines with
    no Chinese font: each embeds fonts that hold every Chinese character it shows."""
    target, _ = demo
    for path in (
        target / "notebooks" / "12_risk.html",
        target / "数据核查清单.html",
        target.parent.parent / "index.html",
    ):
        page = path.read_text(encoding="utf-8")
        text = BeautifulSoup(page, "html.parser").get_text()
        cjk = {c for c in text if "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"}
        assert len(cjk) > 20, path.name
        missing = cjk - _embedded_chars(page)
        assert not missing, (path.name, sorted(missing)[:20])
