"""End to end: `planeval run` on the fixture chapters and the clean test pack.

One full run (HTML, PDF, Word) is shared by the output checks; the failure, atomicity and
--if-changed tests build HTML only to keep the suite quick (each kernel start is ~2 s).
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import nbformat
import openpyxl
import pytest
import yaml
from bs4 import BeautifulSoup
from docx.oxml.ns import qn
from pypdf import PdfReader

import planeval
from planeval.charts.files import MIME as FIGURE_MIME
from planeval.findings.rules import make_finding
from planeval.metrics import ChapterMetrics
from planeval.registry import CHAPTERS, ChapterSpec, Topic
from planeval.report import manifest, provenance, staging, stitch
from planeval.report.runner import Progress, run

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
FIXTURE_NOTEBOOKS = TESTS / "fixtures" / "notebooks"
CLEAN_PACK = TESTS / "fixtures" / "packs" / "clean"
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
HEADINGS = [
    "前言",
    "一、规划实施总体进展情况",
    "（一）主要指标进展",
    "（二）救援队伍",
    "（三）分析说明",
    "二、存在的主要问题",
    "1. 隐患整改",
]
PLACEHOLDER = re.compile(r"(?<![A-Za-z])XX?(?![A-Za-z])|TODO|\b(?:nan|NaN|None)\b|\{\{")


def hostile_pack(folder: Path) -> Path:
    """The clean pack with markup in a unit name and in an analyst note."""
    shutil.copytree(CLEAN_PACK, folder)
    book = next(folder.glob("*.xlsx"))
    wb = openpyxl.load_workbook(book)
    ws = wb["救援队伍"]
    ws.cell(row=2, column=1, value=f"示例队{XSS[0]}")
    ws.cell(row=3, column=1, value=f"蓝天队{XSS[1]}")
    wb.save(book)
    (folder / "notes").mkdir(exist_ok=True)
    (folder / "notes" / "alpha.md").write_text(
        f"分析员说明：{XSS[0]} 与 {XSS[1]} 不得成为标记。\n", encoding="utf-8"
    )
    return folder


def params_file(tmp: Path, **fields) -> Path:
    data = {
        "county": "测试县",
        "organization": "测试县应急管理局",
        "period": "midterm",
        "data": str(CLEAN_PACK),
        "out": str(tmp / "reports"),
        "report_date": "2023-07-31",
    }
    data.update(fields)
    p = tmp / "params.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def notebooks(tmp: Path, *, broken: bool = False) -> Path:
    d = tmp / "notebooks"
    d.mkdir()
    for f in FIXTURE_NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(f, d)
    if broken:
        shutil.copy(FIXTURE_NOTEBOOKS / "broken" / "90_broken.ipynb", d)
    return d


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("full")
    pack = hostile_pack(tmp / "pack")
    res = run(
        params_file(tmp, data=str(pack)),
        notebooks_dir=FIXTURE_NOTEBOOKS,
        jobs=2,
        progress=Progress(False),
    )
    return res


def test_exit_zero_and_every_output(full_run):
    assert full_run.exit_code == 0, full_run.message
    t = full_run.target
    assert t.name == "midterm-2023H1" and t.parent.name == "测试县"
    for name in (
        "report.html",
        "report.pdf",
        "report.docx",
        "manifest.json",
        "notebooks/00_intro.ipynb",
        "notebooks/10_alpha.ipynb",
        "metrics/alpha.json",
    ):
        assert (t / name).is_file(), name
    assert not list(t.parent.glob(".planeval-run-*"))  # staging swapped in, nothing left over
    for nb in (t / "notebooks").glob("*.ipynb"):  # kernel warnings end up in stderr outputs
        assert "missing from font" not in nb.read_text(encoding="utf-8"), nb.name


def test_manifest(full_run):
    m = json.loads((full_run.target / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "ok" and m["params"]["county"] == "测试县"
    assert [c["id"] for c in m["chapters"]] == ["intro", "alpha", "beta"]
    assert all(c["status"] == "ok" and c["seconds"] > 0 for c in m["chapters"])
    assert (
        any(k.endswith(".xlsx") for k in m["inputs"]) and len(m["inputs"]["notes/alpha.md"]) == 64
    )
    assert m["packages"]["papermill"] and m["kernel"] == "planeval"
    assert {"execute", "html", "pdf", "docx"} <= set(m["stages_seconds"])


def test_stage2_read_stage1_metrics(full_run):
    text = BeautifulSoup(
        (full_run.target / "report.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    assert "纳入评估的指标共 3 项，救援队伍共 2 支" in text


def test_html_headings_cover_and_no_leftovers(full_run):
    html = (full_run.target / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "zh-CN"
    heads = [h.get_text(strip=True) for h in soup.main.find_all(["h2", "h3", "h4"])]
    assert heads == HEADINGS
    # TOC: h2, h3, and h4 only for a chapter's own heading (“1. 隐患整改” is inside a chapter)
    assert [a.get_text() for a in soup.select("nav.toc a")] == HEADINGS[:-1]
    assert (
        soup.select_one(".cover-title").get_text()
        == "测试县“十四五”应急管理体系及能力建设规划中期评估报告"
    )
    assert "测试县应急管理局" in soup.select_one(".cover").get_text()
    text = soup.body.get_text(" ")
    assert not PLACEHOLDER.findall(text), PLACEHOLDER.findall(text)
    assert len(soup.find_all("img")) == 1 and soup.img["src"].startswith("data:image/png;base64,")


def test_html_is_self_contained(full_run):
    html = (full_run.target / "report.html").read_text(encoding="utf-8")
    assert stitch.external_references(html) == []
    assert not re.search(r"https?://", html)
    assert "require.js" not in html and "mathjax" not in html.lower()
    # Noto Serif SC (仿宋/楷体/宋体), Noto Sans SC (黑体), the bold Noto Sans CJK (screen headings)
    assert html.count("@font-face") == 3 and "data:font/woff;base64," in html
    assert len(html) < 3_000_000


def test_pack_text_is_escaped(full_run):
    html = (full_run.target / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert all(i["src"].startswith("data:") for i in soup.find_all("img"))
    text = soup.get_text()
    for s in XSS:  # shown as text, in the unit name table and in the analyst note
        assert text.count(s) == 2, s
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pdf_chinese_pages_fonts(full_run):
    reader = PdfReader(str(full_run.target / "report.pdf"))
    assert len(reader.pages) > 1
    text = "".join(p.extract_text() for p in reader.pages)
    assert "规划实施总体进展情况" in text and "救援队伍" in text
    assert re.search(r"—\s*2\s*—", text)  # page numbers “— N —”
    assert not re.search(r"—\s*1\s*—", reader.pages[0].extract_text())  # none on the cover
    fonts = set()
    for page in reader.pages:
        for f in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("Planeval-Sans" in f for f in fonts) and any("Planeval-Serif" in f for f in fonts)


def test_docx_has_tables_headings_images(full_run):
    d = docx.Document(str(full_run.target / "report.docx"))
    assert len(d.tables) == 2
    assert d.tables[0].rows[0].cells[1].text == "指标名称"
    styles = {p.style.name for p in d.paragraphs if p.text in HEADINGS}
    assert {"Heading 2", "Heading 3", "Heading 4"} <= styles
    assert d.inline_shapes and len(d.inline_shapes) == 1
    first = [(p.style.name, p.text) for p in d.paragraphs[:5]]
    # the cover's title in its two lines (stitch.title_lines), a line break between them
    assert ("Heading 1", "测试县“十四五”应急管理体系\n及能力建设规划中期评估报告") in first
    assert any(t == "测试县应急管理局" for _, t in first)  # the cover survives
    footer = d.sections[0].footer.paragraphs[0]._p
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "— 2 —"  # PAGE between dashes
    assert d.sections[0].different_first_page_header_footer  # no number on the cover


@pytest.mark.optional
def test_docx_converts_with_libreoffice(full_run, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        pytest.skip("libreoffice not installed")
    subprocess.run(
        [
            office,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(full_run.target / "report.docx"),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert len(PdfReader(str(tmp_path / "report.pdf")).pages) > 1


def test_failing_chapter_gives_partial_report(tmp_path, capsys):
    nbdir = notebooks(tmp_path, broken=True)
    res = run(
        params_file(tmp_path), notebooks_dir=nbdir, formats=["html"], progress=Progress(False)
    )
    assert res.exit_code == 1
    status = {c.id: c.status for c in res.chapters}
    assert status == {"intro": "ok", "alpha": "ok", "beta": "ok", "broken": "failed"}
    err_nb = json.loads((res.target / "notebooks" / "90_broken.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in err_nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert any(o["output_type"] == "error" and o["ename"] == "ValueError" for o in outputs)
    soup = BeautifulSoup((res.target / "report.html").read_text(encoding="utf-8"), "html.parser")
    fail = soup.select_one(".chapter-failed")
    assert fail.find_previous("h2").get_text() == "三、下一步工作建议"
    assert fail.get_text().startswith("本章生成失败：ValueError: 故意失败：测试用章节")
    assert "一、规划实施总体进展情况" in soup.get_text()  # the other chapters are there
    m = json.loads((res.target / "manifest.json").read_text(encoding="utf-8"))
    assert m["status"] == "failed"
    assert "90_broken.ipynb" in capsys.readouterr().err


def test_chosen_companions_only_and_if_changed_knows_the_choice(tmp_path):
    """``--companions 数据核查清单,xlsx``: those two beside the report (and tables.json, which
    a later 本次变化 compares with), no chart files drawn in the kernels, no chapter pages; the
    manifest says what was left out. The same choice in another order is the same build for
    --if-changed; another choice builds again."""
    nbdir = notebooks(tmp_path)
    pfile = params_file(tmp_path)
    kw = {"notebooks_dir": nbdir, "formats": ["html"], "progress": Progress(False)}
    first = run(pfile, companions="数据核查清单,xlsx", **kw)
    t = first.target
    assert first.exit_code == 0, first.message
    for name in ("附表.xlsx", "tables.json", "数据核查清单.json", "数据核查清单.html"):
        assert (t / name).is_file(), name
    assert not (t / "figures").exists() and not list((t / "notebooks").glob("*.html"))
    m = json.loads((t / "manifest.json").read_text(encoding="utf-8"))["exports"]
    assert m["skipped"] == (
        "未生成图表文件（figures/）、章节页（notebooks/*.html）、本次变化（本次变化.txt）"
        "（--companions checklist,xlsx）"
    )
    assert set(m) == {"tables_xlsx", "tables", "skipped", "checklist"}
    alpha = (t / "notebooks" / "10_alpha.ipynb").read_text(encoding="utf-8")
    assert "image/png" in alpha and FIGURE_MIME not in alpha  # the chart, not its files

    again = run(pfile, companions=["xlsx", "checklist"], if_changed=True, **kw)
    assert again.skipped and again.exit_code == 0

    other = run(pfile, companions="pages,changes,figures", if_changed=True, **kw)
    assert other.exit_code == 0 and not other.skipped
    assert (t / "notebooks" / "10_alpha.html").is_file()
    assert list((t / "figures").glob("*.png")) and list((t / "figures").glob("*.svg"))
    assert (t / "本次变化.txt").is_file()  # against the first build's tables.json
    assert not (t / "附表.xlsx").exists() and not (t / "数据核查清单.json").exists()
    assert FIGURE_MIME in (t / "notebooks" / "10_alpha.ipynb").read_text(encoding="utf-8")
    m = json.loads((t / "manifest.json").read_text(encoding="utf-8"))["exports"]
    assert (
        m["skipped"]
        == "未生成附表（附表.xlsx）、数据核查清单（数据核查清单.html/.xlsx/.json）（--companions changes,figures,pages）"
    )
    assert m["changes"]["count"] == 0


def test_stitch_crash_keeps_previous_report_and_if_changed_skips(tmp_path, monkeypatch, capsys):
    nbdir = notebooks(tmp_path)
    pfile = params_file(tmp_path)
    quick = {"formats": ["html"], "companions": False}  # --no-companions: the report alone
    first = run(pfile, notebooks_dir=nbdir, progress=Progress(False), **quick)
    assert first.exit_code == 0
    assert not (first.target / "附表.xlsx").exists()
    assert not (first.target / "数据核查清单.json").exists()
    assert (
        "--no-companions"
        in json.loads((first.target / "manifest.json").read_text(encoding="utf-8"))["exports"][
            "skipped"
        ]
    )
    assert (first.target / "tables.json").is_file()  # what the next build compares with
    # The companion files asked for: not the report in place, so --if-changed builds it; its
    # 本次变化 compares with the draft's tables.
    full = run(pfile, notebooks_dir=nbdir, formats=["html"], if_changed=True)
    assert not full.skipped and (full.target / "附表.xlsx").is_file()
    assert (full.target / "数据核查清单.json").is_file()
    assert (full.target / "本次变化.txt").is_file()
    mf = json.loads((full.target / "manifest.json").read_text(encoding="utf-8"))
    assert mf["exports"]["changes"]["count"] == 0
    before = (first.target / "report.html").read_bytes()
    manifest = (first.target / "manifest.json").read_bytes()

    # Unchanged inputs, parameters and code: --if-changed does nothing.
    again = run(pfile, notebooks_dir=nbdir, formats=["html"], if_changed=True)
    assert again.skipped and again.exit_code == 0
    assert (first.target / "manifest.json").read_bytes() == manifest

    # A changed notebook defeats --if-changed; a crash while stitching keeps the old report.
    nb = nbdir / "20_beta.ipynb"
    nb.write_text(
        nb.read_text(encoding="utf-8").replace("本节为测试章节", "本节为测试章节。"),
        encoding="utf-8",
    )

    def boom(*a, **k):
        raise RuntimeError("模拟组装失败")

    monkeypatch.setattr(stitch, "write_html", boom)
    res = run(
        pfile, notebooks_dir=nbdir, formats=["html"], if_changed=True, progress=Progress(False)
    )
    assert res.exit_code == 1 and not res.skipped
    assert (first.target / "report.html").read_bytes() == before
    assert (first.target / "manifest.json").read_bytes() == manifest
    assert "原有报告未改动" in capsys.readouterr().err


def test_interrupted_swap_is_recovered(tmp_path):
    target = tmp_path / "县" / "2022"
    old = target.with_name("2022.old")
    old.mkdir(parents=True)
    (old / "report.html").write_text("previous", encoding="utf-8")
    staging.recover(target)  # killed between the two renames: the previous report comes back
    assert (target / "report.html").read_text(encoding="utf-8") == "previous" and not old.exists()


def test_invalid_pack_stops_before_any_chapter(tmp_path, capsys):
    empty = tmp_path / "empty-pack"
    empty.mkdir()
    res = run(params_file(tmp_path, data=str(empty)), notebooks_dir=FIXTURE_NOTEBOOKS)
    assert res.exit_code == 1 and not res.chapters
    assert "数据包" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_cli_bad_params_exit_2_without_traceback(tmp_path):
    p = params_file(tmp_path, period="2023H3", colour="red")
    r = subprocess.run(
        [sys.executable, "-m", "planeval.cli", "run", "--params", str(p)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "评估期 (period)" in r.stderr and "未知参数 colour" in r.stderr
    assert "Traceback" not in r.stderr


def _denied(path):
    return PermissionError(13, "Permission denied", str(path))


def test_unreadable_pack_file_is_one_chinese_line(tmp_path, monkeypatch, capsys):
    """An unreadable file of the pack (tests run as root, so chmod 000 would not block: the
    read is made to fail) → exit 1 and one line naming the file, no traceback."""
    pack = tmp_path / "pack"
    shutil.copytree(CLEAN_PACK, pack)
    book = next(pack.glob("*.xlsx"))
    real = manifest.sha256

    def sha(p):
        if Path(p) == book:
            raise _denied(p)
        return real(p)

    monkeypatch.setattr(manifest, "sha256", sha)
    res = run(params_file(tmp_path, data=str(pack)), notebooks_dir=FIXTURE_NOTEBOOKS)
    err = _without_stage_lines(capsys.readouterr().err)
    assert res.exit_code == 1 and not res.chapters
    assert err.strip() == f"无法读取文件：{book}（没有访问权限）" == res.message
    assert "Traceback" not in err
    assert not (tmp_path / "reports").exists()


def _without_stage_lines(err: str) -> str:
    """stderr without the log's time-stamped stage lines (“2026-12-01 18:38:44 检查数据包 …”),
    which show only when the planeval log is configured: what is left is the problem itself."""
    return "".join(
        ln
        for ln in err.splitlines(keepends=True)
        if not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ", ln)
    )


@pytest.mark.parametrize(
    "where, error, expected",
    [
        ("load", _denied("/pack/火灾.csv"), "无法读取数据包文件：/pack/火灾.csv（没有访问权限）"),
        ("load", RuntimeError("意外"), "时出错：RuntimeError: 意外"),
        ("staging", _denied("/reports/x"), "无法创建报告输出目录：/reports/x（没有访问权限）"),
    ],
)
def test_os_errors_after_params_are_one_chinese_line(
    tmp_path, monkeypatch, capsys, where, error, expected
):
    def boom(*a, **k):
        raise error

    if where == "load":
        monkeypatch.setattr(planeval, "load_pack", boom)
    else:
        monkeypatch.setattr(staging, "clean_stale_staging", boom)
    res = run(params_file(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS)
    err = capsys.readouterr().err
    assert res.exit_code == 1 and not res.chapters
    problem = _without_stage_lines(err)  # the stage lines show when a test configured the log
    assert expected in problem and len(problem.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_the_run_collects_less_often_and_restores_the_collector(tmp_path, monkeypatch, capsys):
    """The run's body has the run's thresholds; the caller's come back, also after an error."""
    seen = []

    def record(*a, **k):
        seen.append(gc.get_threshold())
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(staging, "clean_stale_staging", record)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)  # the interpreter's default
    try:
        res = run(params_file(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS)
        after = gc.get_threshold()
    finally:
        gc.set_threshold(*before)
    assert res.exit_code == 1
    assert seen == [(10000, 20, 20)]
    assert after == (700, 10, 10)


def test_a_linking_failure_keeps_the_checklist_and_an_unlinked_report(tmp_path, monkeypatch):
    """The 数据核查清单 is written; only the report's links to it are missing, which the
    manifest says (link_error) — not a failed checklist, not a failed run."""

    def boom(*a, **k):
        raise RuntimeError("链接失败")

    monkeypatch.setattr(provenance, "link_cells", boom)
    res = run(params_file(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS, formats=["html"])
    assert res.exit_code == 0
    folder = Path(res.outputs["html"]).parent
    record = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    checklist = record["exports"]["checklist"]
    assert checklist["link_error"] == "RuntimeError: 链接失败" and "error" not in checklist
    assert all((folder / f).is_file() for f in checklist["files"])
    assert 'class="chk"' not in Path(res.outputs["html"]).read_text(encoding="utf-8")


def test_the_finished_report_is_parsed_once_for_its_companions_and_links(tmp_path, monkeypatch):
    """Tables, figure captions, checklist and its links all work on one tree of report.html
    (the links go into the shared tree once its readers are done), not on three parses."""
    import bs4

    parses: list[str] = []
    real_init = bs4.BeautifulSoup.__init__

    def counting(self, markup="", *a, **k):
        if isinstance(markup, str):
            parses.append(markup)
        real_init(self, markup, *a, **k)

    monkeypatch.setattr(bs4.BeautifulSoup, "__init__", counting)
    seen: list[str] = []
    real_write = provenance.write_checklist

    def keep_text(entries, out_dir, html_path, *a, **k):
        seen.append(Path(html_path).read_text(encoding="utf-8"))  # report.html before the links
        return real_write(entries, out_dir, html_path, *a, **k)

    monkeypatch.setattr(provenance, "write_checklist", keep_text)
    res = run(params_file(tmp_path), notebooks_dir=FIXTURE_NOTEBOOKS, formats=["html"])
    assert res.exit_code == 0
    (unlinked,) = seen
    assert parses.count(unlinked) == 1
    # (the fixture pack's checklist has no entry, so nothing is linked: the demo's e2e test
    # follows its links; test_provenance checks links put in a given tree)
    assert Path(res.outputs["html"]).read_text(encoding="utf-8") == unlinked


# ------------------------------------------------------------------ a chapter through one spec
class AlphaMetrics(ChapterMetrics):
    """What the fixture chapter alpha writes (``10_alpha.ipynb``)."""

    indicators: int
    teams: int


def alpha_figures(pack, period, thresholds=None) -> AlphaMetrics:
    return AlphaMetrics(indicators=len(pack.indicators), teams=len(pack.teams))


def rule_few_teams(m: AlphaMetrics, t, all_metrics, period=None):
    """Fewer than 3 rescue teams → one finding (the clean pack has 2)."""
    if m.teams >= 3:
        return []
    return [make_finding("alpha-teams", "", "中", "救援队伍", {"n": m.teams}, [("队伍", "少")])]


def findings_notebook(folder: Path) -> None:
    """A stage-2 fixture chapter that renders the run's findings (outside the registry)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "planeval", "display_name": "planeval", "language": "python"},
        "planeval": {"id": "fixture-findings", "title": "附　问题识别", "stage": 2},
    }
    src = (
        "import planeval\n"
        "from planeval.findings import findings_for\n"
        "from planeval.report import display\n"
        "res = findings_for(planeval.load_pack(data_dir), period, metrics_dir)\n"
        "for f in res.findings:\n"
        "    display.show(f.sentence)"
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            'data_dir: str = ""\nperiod: str = "midterm"\ncounty: str = "示例县"\n'
            'metrics_dir: str = ""',
            metadata={"tags": ["parameters", "remove-input"]},
        ),
        nbformat.v4.new_code_cell(src, metadata={"tags": ["remove-input"]}),
    ]
    nbformat.write(nb, folder / "90_findings.ipynb")


def test_a_chapter_registered_through_one_spec_runs_feeds_findings_and_renders(tmp_path):
    """Register the fixture chapter alpha with one spec: the runner runs its notebook, computes
    the findings once after stage 1 (metrics/findings.json, from alpha's metrics JSON) and a
    stage-2 chapter renders them."""
    tpl = tmp_path / "templates" / "findings"
    tpl.mkdir(parents=True)
    (tpl / "alpha-teams.md.j2").write_text(
        '{% if part == "title" %}救援队伍偏少{% else %}'
        "全县仅有救援队伍{{ d.n|int }}支，少于3支。{% endif %}",
        encoding="utf-8",
    )
    spec = ChapterSpec(
        id="alpha",
        title="一、规划实施总体进展情况",
        notebook="10_alpha.ipynb",
        key_figures=alpha_figures,
        metrics=AlphaMetrics,
        rules=(rule_few_teams,),
        topics=(Topic("alpha", "救援队伍建设", "充实救援队伍", ("alpha-teams",)),),
        templates=tmp_path / "templates",
    )
    nbdir = notebooks(tmp_path)
    findings_notebook(nbdir)
    with CHAPTERS.registered(spec):
        res = run(params_file(tmp_path), notebooks_dir=nbdir, formats=["html"],
                  progress=Progress(False), companions=False)  # fmt: skip
    assert res.exit_code == 0, res.message
    saved = json.loads((res.target / "metrics" / "findings.json").read_text(encoding="utf-8"))
    (f,) = [f for f in saved["findings"] if f["kind"] == "alpha-teams"]
    assert f["topic"] == "alpha" and f["sentence"] == "全县仅有救援队伍2支，少于3支。"
    assert saved["metrics"]["alpha"] == {"indicators": 3, "teams": 2}  # read from alpha's JSON
    text = BeautifulSoup(
        (res.target / "report.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    assert "全县仅有救援队伍2支，少于3支。" in text
    assert (
        "findings"
        in json.loads((res.target / "manifest.json").read_text("utf-8"))["stages_seconds"]
    )
