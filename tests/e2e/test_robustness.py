"""Robustness of `planeval run` on the real chapters: whatever a user throws at it.

Builds are shared by module-scoped fixtures and produce HTML only (PDF and Word are covered by
tests/e2e/test_run.py); each full build is ~25 s on 2 cores:

- ``hostile``: the demo pack with markup in unit names and an analyst note, plus a note that
  refers to a figure that does not exist (the 社会共治 chapter fails on it);
- ``clean`` / ``messy``: the two fixture packs (same figures written two ways);
- ``minimal``: only 指标 + 年度汇总, the yearly totals taken from the demo's event ledgers;
- ``h1`` and ``final`` on the demo pack: a half year (同比) and the final evaluation.

Other periods (2022, 2023Q3, 2024, a date range) run when PLANEVAL_E2E_ALL_PERIODS=1.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

import planeval
from planeval.data.pack import PROVENANCE
from planeval.data.template import write_ledgers
from planeval.paths import DEMO_DATA_DIR, PROJ_ROOT
from planeval.report.runner import PAUSE_ENV, Progress, run
from planeval.vocab import INDUSTRIAL_SECTORS

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
PACKS = TESTS / "fixtures" / "packs"
DEMO_BOOK = next(DEMO_DATA_DIR.glob("*.xlsx"))
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
PLACEHOLDER = re.compile(r"(?<![A-Za-z])XX?(?![A-Za-z])|TODO|\b(?:nan|NaN|None)\b|\{\{")
STAGE1 = ("indicators", "risk", "disasters", "rescue", "reserves", "society", "projects")
ALL_CHAPTERS = ("overview", *STAGE1, "problems", "suggestions", "adjustments")


# --------------------------------------------------------------------------- helpers
def write_params(folder: Path, data: Path, *, period: str = "midterm", county: str = "示例县"):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "params.yaml"
    p.write_text(
        yaml.safe_dump(
            {
                "county": county,
                "organization": f"{county}应急管理局",
                "period": period,
                "data": str(data),
                "out": str(folder / "reports"),
                "report_date": "2023-07-31",
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    return p


def build(folder: Path, data: Path, companions: bool = False, **kw):
    """Run the real chapters (HTML only; the companion files only when asked: these tests
    read the report); returns (RunResult, stderr text)."""
    err = io.StringIO()
    res = run(
        write_params(folder, data, **kw),
        jobs=2,
        formats=["html"],
        companions=companions,
        progress=Progress(False),
        out=io.StringIO(),
        err=err,
    )
    return res, err.getvalue()


def manifest(target: Path) -> dict:
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


def error_cells(target: Path) -> dict[str, list[str]]:
    """``{notebook: ["ename: evalue", ...]}`` for every error output in the executed chapters."""
    out: dict[str, list[str]] = {}
    for nb in sorted((target / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        errs = [
            f"{o['ename']}: {o['evalue']}"
            for c in cells
            for o in c.get("outputs", [])
            if o["output_type"] == "error"
        ]
        if errs:
            out[nb.name] = errs
    return out


def soup_of(target: Path) -> BeautifulSoup:
    return BeautifulSoup((target / "report.html").read_text(encoding="utf-8"), "html.parser")


def assert_clean_report(res, err: str = "") -> BeautifulSoup:
    """Exit 0, every chapter ok, no error cell, no leftover placeholder; returns the soup."""
    assert res.exit_code == 0, (res.message, err)
    m = manifest(res.target)
    assert m["status"] == "ok"
    assert {c["id"]: c["status"] for c in m["chapters"]} == dict.fromkeys(ALL_CHAPTERS, "ok")
    assert error_cells(res.target) == {}
    soup = soup_of(res.target)
    text = soup.body.get_text(" ")
    assert not PLACEHOLDER.findall(text), [
        text[max(0, x.start() - 40) : x.end() + 40] for x in PLACEHOLDER.finditer(text)
    ]
    assert not soup.select(".chapter-failed")
    return soup


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(folder.rglob("*"))
        if f.is_file()
    }


_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+\.\s*|[①-⑳])")


def section_text(soup: BeautifulSoup, heading: str) -> str:
    """Text from the heading whose text is ``heading`` (or, for a title written without its
    number, whose text is that title after the outline's number) to the next heading of the
    same level."""
    h = next(
        x
        for x in soup.main.find_all(re.compile("^h[2-6]$"))
        if heading in (x.get_text(strip=True), _NUMBER.sub("", x.get_text(strip=True)))
    )
    parts = []
    for sib in h.find_all_next():
        if sib.name and re.fullmatch(r"h[2-6]", sib.name) and sib.name <= h.name:
            break
        if sib.name in ("p", "li", "td", "th", "caption"):
            # a sentence's linked numbers (数据核查清单) are nodes of their own: joined as written
            parts.append(sib.get_text("" if sib.name in ("p", "li") else " ", strip=True))
    return "\n".join(parts)


# --------------------------------------------------------------------------- packs
def hostile_pack(folder: Path) -> Path:
    """The demo pack with markup in unit names (accident, inspection, hazard, team) and in the
    risk note, and a 社会共治 note that refers to a figure that does not exist."""
    shutil.copytree(DEMO_DATA_DIR, folder)
    book = folder / DEMO_BOOK.name
    wb = openpyxl.load_workbook(book)

    def col(ws, header):
        return [c.value for c in ws[1]].index(header) + 1

    ws = wb["生产安全事故"]  # every accident (the 较大 one is named in 存在的主要问题)
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=col(ws, "单位"), value=f"鑫源{XSS[r % 2]}公司")
    ws = wb["执法检查"]
    ws.cell(row=2, column=col(ws, "被检查单位"), value=f"东升{XSS[0]}")
    ws = wb["隐患"]
    ws.cell(row=2, column=col(ws, "单位"), value=f"东升{XSS[1]}")
    ws = wb["救援队伍"]
    ws.cell(row=2, column=col(ws, "名称"), value=f"消防{XSS[0]}大队")
    ws.cell(row=3, column=col(ws, "名称"), value=f"消防{XSS[1]}站")
    wb.save(book)
    notes = folder / "notes"
    (notes / "risk.md").write_text(f"分析员说明：{XSS[0]} 与 {XSS[1]} 不得成为标记。\n", "utf-8")
    (notes / "society.md").write_text("本节共开展活动{{ 不存在的字段 }}次。\n", encoding="utf-8")
    return folder


def yearly_totals(pack, years: range) -> list[tuple[int, str, float]]:
    """年度汇总 rows computed by hand (pandas) from the demo's event ledgers."""
    rows = []
    acc, fires, dis = pack.accidents, pack.fires, pack.disasters
    for y in years:
        a = acc[acc["date"].dt.year == y]
        f = fires[fires["date"].dt.year == y]
        d = dis[dis["start"].dt.year == y]
        dm = a["deaths"] + a["missing"]
        rows += [
            (y, "生产安全事故起数", len(a)),
            (y, "生产安全事故死亡人数", dm.sum()),
            (y, "较大以上生产安全事故起数", a["grade"].isin(["较大", "重大", "特别重大"]).sum()),
            (y, "重特大生产安全事故起数", a["grade"].isin(["重大", "特别重大"]).sum()),
            (y, "工矿商贸生产安全事故死亡人数", dm[a["sector"].isin(INDUSTRIAL_SECTORS)].sum()),
            (y, "道路交通事故死亡人数", dm[a["sector"] == "道路交通"].sum()),
            (y, "火灾起数", len(f)),
            (y, "火灾死亡人数", f["deaths"].sum()),
            (y, "自然灾害受灾人次", d["affected"].sum()),
            (y, "自然灾害死亡失踪人数", (d["deaths"] + d["missing"]).sum()),
            (y, "自然灾害直接经济损失(万元)", d["loss"].sum()),
        ]
    return [(y, m, float(v)) for y, m, v in rows]


def minimal_pack(folder: Path) -> Path:
    """Only the demo's 指标 and 年度汇总 sheets, 年度汇总 completed with 2019–2022 totals."""
    demo = planeval.load_pack(DEMO_DATA_DIR)
    have = set(zip(demo.annual["year"], demo.annual["measure"], strict=True))
    extra = [
        {"year": y, "measure": m, "value": v}
        for y, m, v in yearly_totals(demo, range(2019, 2023))
        if (y, m) not in have
    ]
    annual = pd.concat([demo.annual.drop(columns=list(PROVENANCE)), pd.DataFrame(extra)])
    write_ledgers(folder / "台账.xlsx", {"indicators": demo.indicators, "annual": annual})
    return folder


# --------------------------------------------------------------------------- shared builds
@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    return build(tmp, hostile_pack(tmp / "pack"), companions=True)  # hostile text in them too


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("twins")
    return {name: build(tmp / name, PACKS / name, county="测试县") for name in ("clean", "messy")}


@pytest.fixture(scope="module")
def minimal(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("minimal")
    return build(tmp, minimal_pack(tmp / "pack"))


@pytest.fixture(scope="module")
def full_demo_indicators():
    """The demo mid-term indicator figures, computed in-process (no kernel)."""
    from planeval.indicators.chapter import build as build_chapter

    return build_chapter(planeval.load_pack(DEMO_DATA_DIR), "midterm", "示例县").metrics.to_json()


# --------------------------------------------------------------------------- 5. XSS / 7. failure
def test_markup_from_the_pack_never_survives_as_markup(hostile):
    res, _ = hostile
    html = (res.target / "report.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert not [t for t in soup.find_all(True) if any(a.lower().startswith("on") for a in t.attrs)]
    assert all(i["src"].startswith("data:") for i in soup.find_all("img"))
    text = soup.get_text()
    # Shown as text: the note in 1. 提升风险管控能力, the 较大 accident's unit in 存在的主要问题.
    note = section_text(soup, "提升风险管控能力")
    assert f"分析员说明：{XSS[0]} 与 {XSS[1]} 不得成为标记。" in note
    assert any(f"鑫源{x}公司" in text for x in XSS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Nor in the executed notebooks' HTML outputs (what JupyterLab shows).
    for nb in (res.target / "notebooks").glob("*.ipynb"):
        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for o in c.get("outputs", []):
                h = BeautifulSoup(
                    "".join((o.get("data") or {}).get("text/html", "")), "html.parser"
                )
                assert not h.find_all("script") and not h.find_all(attrs={"onerror": True}), nb.name


def test_failing_chapter_gives_marked_partial_report(hostile):
    res, err = hostile
    assert res.exit_code == 1
    status = {c["id"]: c["status"] for c in manifest(res.target)["chapters"]}
    assert status == {**dict.fromkeys(ALL_CHAPTERS, "ok"), "society": "failed"}
    assert list(error_cells(res.target)) == ["16_society.ipynb"]
    soup = soup_of(res.target)
    (fail,) = soup.select(".chapter-failed")
    assert fail.get_text().startswith("本章生成失败：")
    assert "不存在的字段" in fail.get_text() and "Traceback" not in fail.get_text()
    assert "16_society.ipynb" in err
    # The other chapters are there, with their figures.
    text = soup.get_text()
    for h in (
        "（一）主要指标进展",
        "提升风险管控能力",
        "二、存在的主要问题",
        "四、规划调整建议",
    ):
        assert h in text
    assert not PLACEHOLDER.findall(soup.body.get_text(" ").replace(fail.get_text(" "), ""))


# --------------------------------------------------------------------------- 3. messy twin
def test_clean_and_messy_packs_give_full_reports_with_identical_figures(twins):
    for res, err in twins.values():
        assert_clean_report(res, err)
    clean, messy = (twins[n][0].target / "metrics" for n in ("clean", "messy"))
    files = sorted(f.name for f in clean.glob("*.json"))
    assert files == sorted(f.name for f in messy.glob("*.json")) and len(files) >= 8
    for f in files:
        a = json.loads((clean / f).read_text(encoding="utf-8"))
        b = json.loads((messy / f).read_text(encoding="utf-8"))
        if f in ("findings.json", "problems.json"):
            # The messy pack's notes/suppress.yaml leaves out one real finding (冲锋舟 2 of 4,
            # reserve-shortfall): the clean pack's findings less that one are the messy pack's.
            sup = [s.get("id") or s["finding"]["id"] for s in b["suppressed"]]
            assert sup == ["reserve-shortfall"], f
            assert a["suppressed"] == [], f
            assert [x for x in a["findings"] if x["id"] != "reserve-shortfall"] == b["findings"], f
            for d in (a, b):
                for k in ("findings", "suppressed", "counts", "unmatched_suppressions"):
                    d.pop(k, None)
        assert a == b, f


# --------------------------------------------------------------------------- 2. minimal pack
def test_minimal_pack_builds_every_chapter(minimal):
    res, err = minimal
    soup = assert_clean_report(res, err)
    notices = {
        "提升风险管控能力": "没有“执法检查”“隐患”“专项整治”台账",
        "（1）应急救援队伍": "无“救援队伍”台账",
        "（2）应急预案": "无“应急预案”台账",
        "（3）应急演练": "无“应急演练”台账",
        "提高综合保障能力": "无“物资储备”台账",
        "提升社会共治能力": "无“宣传培训”台账",
        "（三）重大工程项目进展": "没有“重大工程”台账",
    }
    for heading, phrase in notices.items():
        body = section_text(soup, heading)
        assert phrase in body, (heading, body)
        assert len(body.splitlines()) == 1, (heading, body)  # one line, not a crash or a table
    assert not soup.select("main img") or all(
        i["src"].startswith("data:") for i in soup.select("main img")
    )


def test_minimal_pack_indicators_come_from_annual_totals(minimal, full_demo_indicators):
    res, _ = minimal
    got = json.loads((res.target / "metrics" / "indicators.json").read_text(encoding="utf-8"))
    want = full_demo_indicators
    full_years = ("2021年", "2022年")
    for g, w in zip(got["indicators"], want["indicators"], strict=True):
        assert g["name"] == w["name"]
        assert g["base_value"] == pytest.approx(w["base_value"]), g["name"]
        gy = {y["label"]: y for y in g["yearly"]}
        wy = {y["label"]: y for y in w["yearly"]}
        for label in full_years:
            assert gy[label]["value"] == pytest.approx(wy[label]["value"]), (g["name"], label)
            assert gy[label]["source"] == "年度汇总", (g["name"], label)
        # 年度汇总 holds whole years only: the half year cannot be filled from it.
        assert gy["2023年上半年"]["value"] is None
        assert g["verdict"] != "无法评价" or g["target_type"] == "decline_pct", g["name"]
    # Yearly paragraphs: the two whole years from 年度汇总, the half year said to be missing.
    years = {y["label"]: y for y in got["years"]}
    for label in full_years:
        w = next(y for y in want["years"] if y["label"] == label)
        assert (years[label]["count"], years[label]["deaths"]) == (w["count"], w["deaths"])
        assert years[label]["source"] == "年度汇总"
    text = section_text(soup_of(res.target), "（一）主要指标进展")
    assert "2022年，全县共发生生产安全事故4起，死亡6人" in text
    assert "年度汇总仅有全年数" in text


# --------------------------------------------------------------------------- 4. bad data
def test_bad_data_exits_1_with_the_check_report_and_keeps_the_previous_report(tmp_path, twins):
    previous = twins["clean"][0].target
    pack = tmp_path / "bad"
    pack.mkdir()
    wb = openpyxl.load_workbook(DEMO_BOOK)

    def put(sheet, row, header, value):
        ws = wb[sheet]
        ws.cell(row=row, column=[c.value for c in ws[1]].index(header) + 1, value=value)

    put("生产安全事故", 5, "死亡", -1)
    put("隐患", 7, "行业领域", "危化品行业")
    put("隐患", 9, "整改完成日期", pd.Timestamp("2018-01-02").to_pydatetime())
    wb.save(pack / "台账.xlsx")
    params = write_params(tmp_path / "run", pack, county="测试县")
    target = tmp_path / "run" / "reports" / "测试县" / "midterm-2023H1"
    shutil.copytree(previous, target)
    before = tree_digest(target)
    r = subprocess.run(
        [sys.executable, "-m", "planeval.cli", "run", "--params", str(params)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJ_ROOT,
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    lines = r.stderr.splitlines()
    assert "数据包有 3 个错误" in r.stderr
    assert any(
        "台账.xlsx，工作表“生产安全事故”，第5行，列“死亡 (deaths)”，值“-1”：不能为负数" in x
        for x in lines
    )
    assert any(
        "工作表“隐患”，第7行，列“行业领域 (sector)”，值“危化品行业”：不是有效的行业领域" in x
        and "最接近的有：危险化学品" in x
        for x in lines
    )
    assert any(
        "工作表“隐患”，第9行，列“整改完成日期 (fixed)”，值“2018-01-02”：整改完成日期早于发现日期"
        in x
        for x in lines
    )
    assert tree_digest(target) == before
    assert not list(target.parent.glob(".planeval-run-*"))


# --------------------------------------------------------------------------- 6. killed run
def test_killed_run_keeps_previous_report_and_next_run_succeeds(tmp_path, twins):
    previous = twins["clean"][0].target
    params = write_params(tmp_path, PACKS / "clean", county="测试县")
    target = tmp_path / "reports" / "测试县" / "midterm-2023H1"
    shutil.copytree(previous, target)
    before = tree_digest(target)
    cmd = [sys.executable, "-m", "planeval.cli", "run", "--params", str(params)]
    cmd += ["--formats", "html", "--jobs", "2"]
    # The run pauses itself once 3 chapters have finished (runner.PAUSE_ENV) and says so
    # through a FIFO: it is killed mid-way through the chapters, whatever the machine's speed.
    fifo = tmp_path / "pause.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    proc = subprocess.Popen(
        cmd,
        cwd=PROJ_ROOT,
        env={**os.environ, PAUSE_ENV: f"3:{fifo}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        ready, _, _ = select.select([reader], [], [], 600)
        assert ready and os.read(reader, 64) == b"paused\n", "run never reached 3 chapters"
        assert proc.poll() is None
        assert len(list(target.parent.glob(".planeval-run-*/notebooks/*.ipynb"))) >= 3
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    finally:
        os.close(reader)
        # The kernels it started (same session) must not outlive the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert tree_digest(target) == before
    assert list(target.parent.glob(".planeval-run-*"))  # the killed run's leftovers

    # The next run succeeds, cleans the leftovers and replaces the report.
    r = subprocess.run(cmd, cwd=PROJ_ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    assert not list(target.parent.glob(".planeval-run-*"))
    assert manifest(target)["status"] == "ok"
    assert (
        manifest(target)["created"]
        != json.loads((previous / "manifest.json").read_text(encoding="utf-8"))["created"]
    )

    # Unchanged inputs, parameters and code: --if-changed skips (judged by the report left
    # exactly as it was, manifest included — not by how long it took), exit 0.
    after = tree_digest(target)
    r = subprocess.run(
        [*cmd, "--if-changed"], cwd=PROJ_ROOT, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr
    # (Fails if lib/ or notebooks/ were edited meanwhile: code is part of the fingerprint.)
    assert "跳过" in r.stdout + r.stderr, r.stdout + r.stderr
    assert tree_digest(target) == after


# --------------------------------------------------------------------------- 1. periods
@pytest.fixture(scope="module")
def h1(tmp_path_factory):
    return build(tmp_path_factory.mktemp("h1"), DEMO_DATA_DIR, period="2023H1")


@pytest.fixture(scope="module")
def final(tmp_path_factory):
    return build(tmp_path_factory.mktemp("final"), DEMO_DATA_DIR, period="final")


def test_half_year_compares_with_the_same_half_a_year_earlier(h1):
    res, err = h1
    soup = assert_clean_report(res, err)
    text = section_text(soup, "（一）主要指标进展")
    assert "2023年上半年，全县共发生生产安全事故1起，死亡1人" in text
    assert "与上年同期（2022年上半年）相比" in text
    assert "与2022年相比" not in text  # never a half year against a whole year
    assert "2022年上半年" in section_text(soup, "提升风险管控能力")
    m = json.loads((res.target / "metrics" / "indicators.json").read_text(encoding="utf-8"))
    assert m["time_share"] == pytest.approx(0.5)
    assert [y["compared_with"] for y in m["years"]] == ["2022年上半年"]


def test_final_report_judges_at_full_time_share(final):
    res, err = final
    soup = assert_clean_report(res, err)
    m = json.loads((res.target / "metrics" / "indicators.json").read_text(encoding="utf-8"))
    assert m["time_share"] == 1.0
    assert {i["time_share"] for i in m["indicators"]} == {1.0}
    table = soup.select_one("main table")
    head = [th.get_text(strip=True) for th in table.find("tr").find_all(["th", "td"])]
    col = head.index("时序进度")
    assert {
        tr.find_all(["td", "th"])[col].get_text(strip=True) for tr in table.find_all("tr")[1:]
    } == {"100.0%"}
    assert "总结评估报告" in soup.select_one(".cover-title").get_text()
    text = soup.body.get_text(" ")
    assert "剩余约0.0年" not in text and "规划期已经结束" in text


OTHER_PERIODS = ["2022", "2023Q3", "2024", "2021-03-01..2021-09-30"]


@pytest.mark.skipif(
    not os.environ.get("PLANEVAL_E2E_ALL_PERIODS"), reason="set PLANEVAL_E2E_ALL_PERIODS=1"
)
@pytest.mark.parametrize("period", OTHER_PERIODS)
def test_other_periods_build_cleanly(period, tmp_path):
    res, err = build(tmp_path, DEMO_DATA_DIR, period=period)
    soup = assert_clean_report(res, err)
    text = section_text(soup, "（一）主要指标进展")
    if period != "2022" and period != "2024":
        assert "与上年同期" in text


# --------------------------------------------------------------------------- single series
def single_series_pack(folder: Path, measures: tuple[str, ...]) -> Path:
    """The demo's 指标 and denominators, and one published series (``measures``) 2019–2025 in
    年度汇总 — no event ledger, no snapshot ledger (issue 12: deaths without counts etc.)."""
    demo = planeval.load_pack(DEMO_DATA_DIR)
    dens = ("地区生产总值(亿元)", "常住人口(万人)", "工矿商贸就业人员(万人)", "机动车保有量(万辆)")
    base = demo.annual.drop(columns=list(PROVENANCE))
    base = base[base["measure"].isin(dens)]
    series = [
        {"year": y, "measure": m, "value": v}
        for y, m, v in yearly_totals(demo, range(2019, 2026))
        if m in measures
    ]
    annual = pd.concat([base, pd.DataFrame(series)])
    write_ledgers(folder / "台账.xlsx", {"indicators": demo.indicators, "annual": annual})
    return folder


@pytest.fixture(scope="module")
def deaths_only(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deaths_only")
    return build(tmp, single_series_pack(tmp / "pack", ("生产安全事故死亡人数",)), period="2022")


def test_deaths_only_pack_builds_a_full_report(deaths_only):
    """Before: 'ValueError: Axis limits cannot be NaN or Inf' failed the indicators chapter."""
    res, err = deaths_only
    soup = assert_clean_report(res, err)
    text = section_text(soup, "（一）主要指标进展")
    assert "2022年，全县生产安全事故死亡6人（数据包未提供事故起数）" in text
    body = soup.main.get_text(" ").split("计算口径与评价方法")[0]  # (the rule is in the 附件)
    assert "未发生较大以上" not in body
    overview = section_text(soup, "总体评价")
    assert "相关内容未作评价" in overview and "全面完成" not in overview
