"""县区对比 on hand-made county metrics: the matrix, the ranks (ties, absent figures), the
three lists, and links that resolve to the county reports (relative, no external resource)."""

from __future__ import annotations

import io
import json
import urllib.parse
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from planeval.batch.build import CountyOutcome
from planeval.batch.compare import ranks, write_comparison
from planeval.batch.counties import load_counties
from planeval.report.stitch import markup_external_references

CLEAN_PACK = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"
SLUG = "midterm-2023H1"


def ind(name, value, verdict, unit="起", digits=0):
    return {"name": name, "unit": unit, "digits": digits, "current_value": value,
            "verdict": verdict, "verdict_text": verdict}  # fmt: skip


def county_report(root: Path, county: str, metrics: dict) -> Path:
    t = root / county / SLUG
    (t / "metrics").mkdir(parents=True)
    (t / "report.html").write_text(
        '<html><body><main><h2 id="sec-1">一、规划实施总体进展情况</h2>'
        '<h3 id="sec-2">（一）主要指标进展</h3><h4 id="sec-7">2. 安全生产隐患排查治理</h4>'
        "</main></body></html>",
        encoding="utf-8",
    )
    for k, v in metrics.items():
        (t / "metrics" / f"{k}.json").write_text(json.dumps(v, ensure_ascii=False), "utf-8")
    return t


@pytest.fixture
def comparison(tmp_path):
    root = tmp_path / "reports"
    a = county_report(
        root,
        "甲县",
        {
            "indicators": {
                "indicators": [
                    ind("生产安全事故起数", 3.0, "超额完成"),
                    ind("较大以上生产安全事故起数", 1.0, "难以完成"),
                ],
                "major_accidents": [
                    {
                        "date": "2022-07-14",
                        "grade": "较大",
                        "sector": "工贸行业",
                        "type": "中毒和窒息",
                        "deaths": 3,
                        "unit": "甲县鑫源食品有限公司",
                    }
                ],  # fmt: skip
                "years": [
                    {"label": "2022年", "major_count": 1},
                    {"label": "2023年上半年", "major_count": 0},
                ],  # fmt: skip
            },
            "risk": {
                "totals": {
                    "rate": 0.985,
                    "major_rate": 0.8,
                    "overdue_open_major": 2,
                    "open_major": 3,
                }
            },  # fmt: skip
            "projects": {
                "available": True,
                "ledger_as_of": "2023-06-30",
                "summary": {
                    "investment_rate": 0.5506,
                    "delayed": ["燃气管网改造工程"],
                    "cannot_finish": ["燃气管网改造工程"],
                    "not_started_overdue": ["救援基地建设"],
                    "investment_lag": [],
                },
            },  # fmt: skip
        },
    )
    b = county_report(
        root,
        "乙县",
        {
            "indicators": {
                "indicators": [ind("生产安全事故起数", 5.0, "滞后")],
                "major_accidents": [],
                "years": [{"label": "2023年上半年", "major_count": 0}],
            },
            "risk": {"totals": {"rate": 0.99, "major_rate": 0.8, "overdue_open_major": 0}},
            # no projects ledger: projects.json absent
        },
    )
    lst = tmp_path / "县区.yaml"
    lst.write_text(
        "counties:\n"
        + "".join(
            f"  - {{county: {c}, pack: {CLEAN_PACK}, organization: {c}应急管理局}}\n"
            for c in ("甲县", "乙县", "丙县")
        ),
        encoding="utf-8",
    )
    counties = load_counties(lst, period="midterm", out=str(root))
    outcomes = [
        CountyOutcome("甲县", "ok", report=str(a / "report.html"), target=str(a)),
        CountyOutcome("乙县", "skipped", report=str(b / "report.html"), target=str(b)),
        CountyOutcome("丙县", "failed", message="数据包有 1 个问题"),
    ]
    return root, write_comparison(counties, outcomes)


def _tables(html_path: Path):
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    out = {}
    for h2 in soup.find_all("h2"):
        t = h2.find_next_sibling()
        rows = []
        if t is not None and t.find("table"):
            rows = [[td.get_text() for td in tr.find_all(["td", "th"])] for tr in t.find_all("tr")]
        out[h2.get_text().split("、", 1)[1]] = rows or t.get_text()
    return soup, out


def test_matrix_ranks_and_lists(comparison):
    root, paths = comparison
    assert paths["html"] == root / f"县区对比-{SLUG}.html"
    soup, t = _tables(paths["html"])
    # counties as rows (a province's hundred make a long table, not a hundred columns)
    assert t["主要指标对比"] == [
        ["县区", "生产安全事故起数（起）", "较大以上生产安全事故起数（起）"],
        ["甲县", "3（超额完成）", "1（难以完成）"],
        ["乙县", "5（滞后）", "未列入"],  # 乙县's plan does not list it
        ["丙县", "无数据", "无数据"],  # no report: unknown, not zero
    ]
    # 乙 first on 隐患整改率; 80.0% is a tie (both 第1名); 乙 has no projects, 丙 nothing.
    assert t["主要比率排名"] == [
        [
            "县区",
            "隐患整改率",
            "重大隐患整改率",
            "重大工程投资完成率",
            "主要指标达到或基本符合时序进度要求的比例",
        ],
        ["乙县", "99.0%（第1名）", "80.0%（第1名）", "无数据", "0.0%（第2名）"],
        ["甲县", "98.5%（第2名）", "80.0%（第1名）", "55.1%（第1名）", "50.0%（第1名）"],
        ["丙县", "无数据", "无数据", "无数据", "无数据"],
    ]
    assert t["发生较大以上生产安全事故的县区"][1] == [
        "甲县", "2022年7月14日", "较大", "工贸行业", "中毒和窒息", "3", "甲县鑫源食品有限公司"
    ]  # fmt: skip
    assert len(t["发生较大以上生产安全事故的县区"]) == 2
    # 甲 and 乙 know every slice; only 丙, whose run failed, is unknown
    assert "丙县（本次报告生成失败）是否发生较大以上生产安全事故未知。" in soup.get_text()
    assert "甲县（" not in soup.get_text().split("三、", 1)[1].split("四、", 1)[0]
    assert t["存在逾期未整改重大隐患的县区"] == [
        ["县区", "逾期未整改重大隐患（项）", "未整改重大隐患（项）", "重大隐患整改率"],
        ["甲县", "2", "3", "80.0%"],  # 乙县 has 0 overdue: not listed
    ]
    assert t["重大工程滞后的县区"] == [
        ["县区", "项目", "情形", "台账截至"],
        ["甲县", "燃气管网改造工程", "进度滞后、难以按期完工", "2023年6月30日"],
        ["甲县", "救援基地建设", "逾期未开工", "2023年6月30日"],
    ]


def test_links_resolve_relative_and_nothing_external(comparison):
    root, paths = comparison
    doc = paths["html"].read_text(encoding="utf-8")
    assert markup_external_references(doc) == []
    soup = BeautifulSoup(doc, "html.parser")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs and all(not h.startswith(("/", "http", "file:")) for h in hrefs)
    for h in hrefs:
        path, _, anchor = urllib.parse.unquote(h).partition("#")
        target = root / path
        assert target.is_file(), h
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8")
    # the indicator cells open the indicators section, the hazard rows the hazards section
    cell = soup.find("a", string="3（超额完成）")
    assert urllib.parse.unquote(cell["href"]) == f"甲县/{SLUG}/report.html#sec-2"
    row = soup.find("a", string="甲县", href=lambda h: "sec-7" in h)
    assert row is not None
    assert "丙县" not in " ".join(urllib.parse.unquote(h) for h in hrefs)  # no report, no link
    assert "没有本次报告的县区：丙县（本次报告生成失败）" in soup.get_text()
    # on screen a long table scrolls in its own box; printed, every row and column is on paper
    css = soup.style.get_text()
    assert ".scroll { overflow: auto; max-height: 90vh; }" in css
    printed = css[css.index("@media print") :]
    assert ".scroll { overflow: visible; max-height: none; }" in printed
    assert "position: static" in printed
    # a nine-indicator matrix does not run off the paper's edge: landscape, cells that wrap
    assert "@page { size: A4 landscape;" in css
    assert "td.nodata { white-space: normal; }" in printed


def test_xlsx_has_the_same_tables_with_relative_hyperlinks(comparison):
    _, paths = comparison
    wb = openpyxl.load_workbook(paths["xlsx"])
    assert wb.sheetnames[:2] == ["主要指标对比", "主要比率排名"]
    # each indicator a number (as printed, in its printed format: a spreadsheet sorts it) and
    # its verdict beside it; 未列入 and 无数据 stay words, with an empty verdict
    ws = wb["主要指标对比"]
    assert [c.value for c in ws[2]] == [
        "县区", "生产安全事故起数（起）", "评价", "较大以上生产安全事故起数（起）", "评价",
    ]  # fmt: skip
    assert [c.value for c in ws[3]] == ["甲县", 3, "超额完成", 1, "难以完成"]
    assert [c.value for c in ws[4]] == ["乙县", 5, "滞后", "未列入", None]
    assert [c.value for c in ws[5]] == ["丙县", "无数据", None, "无数据", None]
    assert ws["B3"].number_format == "0"
    assert ws["A3"].hyperlink.target == f"甲县/{SLUG}/report.html"
    assert ws["B3"].hyperlink.target == f"甲县/{SLUG}/report.html#sec-2"
    assert ws["C3"].hyperlink is None and ws["A5"].hyperlink is None  # 丙县 has no report
    # the rates as printed fractions with a percent format, the rank beside
    ws = wb["主要比率排名"]
    assert [c.value for c in ws[2]][:5] == [
        "县区",
        "隐患整改率",
        "名次/说明",
        "重大隐患整改率",
        "名次/说明",
    ]
    assert [c.value for c in ws[3]][:5] == ["乙县", 0.99, "第1名", 0.8, "第1名"]
    assert ws["B3"].number_format == "0.0%" and ws["B4"].value == 0.985
    assert [c.value for c in ws[5]][:3] == ["丙县", "无数据", None]
    assert [c.value for c in wb["没有本次报告的县区"][2]] == ["丙县", "本次报告生成失败"]


def test_ranks_are_competition_ranks_and_skip_absent():
    assert ranks([0.9, None, 0.95, 0.9]) == [2, None, 1, 2]
    assert ranks([None, None]) == [None, None]
    assert ranks([0.0, 0.5]) == [2, 1]  # a zero is a figure, ranked


def test_no_county_with_indicators_is_said_not_drawn_as_a_table_of_counties():
    """Counties as rows must not turn 'no indicator anywhere' into rows of bare county names."""
    from planeval.batch.compare import CountyFigures, comparison_tables

    figs = [CountyFigures("甲县", "ok", link="甲县/r.html"), CountyFigures("乙县", "failed")]
    m = comparison_tables(figs)[0]
    assert (m.title, m.empty, m.header, m.rows) == (
        "主要指标对比",
        "各县区均无指标数据。",
        ["县区"],
        [],
    )
    figs[0].indicators = {"生产安全事故起数": {"unit": "起", "current_value": 4, "verdict": "滞后"}}
    m = comparison_tables(figs)[0]
    header, rows = m.header, m.rows
    assert header == ["县区", "生产安全事故起数（起）"]
    assert [[c.text for c in r] for r in rows] == [["甲县", "4（滞后）"], ["乙县", "无数据"]]
    assert [c.href for c in rows[1]] == [None, None]  # 乙县 has no report to open


def test_xlsx_numbers_are_the_printed_ones_never_rounded_up(tmp_path):
    """A 隐患整改率 of 99.96 % is printed 99.9 % (never a 100.0 % the county has not reached):
    the xlsx holds 0.999, the printed figure, not 0.9996 that Excel would show as 100.0 %."""
    from planeval.batch.compare import CountyFigures, write_xlsx

    figs = [
        CountyFigures("甲县", "ok", link="甲县/r.html", risk={"rate": 0.9996, "major_rate": 1.0}),
        CountyFigures("乙县", "ok", link="乙县/r.html", risk={"rate": 0.5, "major_rate": None}),
    ]
    ws = openpyxl.load_workbook(write_xlsx(figs, tmp_path / "c.xlsx", title="t"))["主要比率排名"]
    assert [c.value for c in ws[3]][:5] == ["甲县", 0.999, "第1名", 1, "第1名"]
    assert [c.value for c in ws[4]][:5] == ["乙县", 0.5, "第2名", "无数据", None]
    assert ws["B3"].number_format == "0.0%" and ws["D3"].number_format == "0.0%"


def test_xlsx_edges_verdict_without_value_units_that_differ_absent_rates_and_formulas(tmp_path):
    """Hand-made counties:

    - 甲县's 死亡人数 has a verdict but no value: 无数据（滞后） on the page; in the xlsx 无数据
      with 滞后 beside it, not the verdict twice;
    - the two counties give 受灾人次 in different units: no unit in the header, each figure
      with its own (text in the xlsx: no number without its unit);
    - an infinite value is no figure (无数据), not a crash;
    - nobody has projects: the 名次 columns are there all the same (the layout does not move);
    - a project named like a formula is text in Excel, never evaluated;
    - the 逾期 sheet's counts and rate are numbers."""
    from planeval.batch.compare import CountyFigures, comparison_tables, write_xlsx

    def ind(value, unit, verdict="达到预期", digits=0):
        return {"current_value": value, "unit": unit, "verdict": verdict, "digits": digits}

    figs = [
        CountyFigures(
            "甲县", "ok", link="甲县/r.html",
            indicators={"死亡人数": ind(None, "人", "滞后"), "受灾人次": ind(4, "人次"),
                        "损失": ind(float("inf"), "万元")},
            risk={"rate": 0.5, "major_rate": 0.8, "overdue_open_major": 2, "open_major": 3},
            projects={"delayed": ['=HYPERLINK("http://x")']},
        ),
        CountyFigures(
            "乙县", "ok", link="乙县/r.html",
            indicators={"死亡人数": ind(2, "人"), "受灾人次": ind(0.4, "万人次", digits=1),
                        "损失": ind(7, "万元")},
        ),
    ]  # fmt: skip
    m = comparison_tables(figs)[0]
    header, rows = m.header, m.rows
    assert header == ["县区", "死亡人数（人）", "受灾人次", "损失（万元）"]
    assert [[c.text for c in r] for r in rows] == [
        ["甲县", "无数据（滞后）", "4人次（达到预期）", "无数据（达到预期）"],
        ["乙县", "2（达到预期）", "0.4万人次（达到预期）", "7（达到预期）"],
    ]
    wb = openpyxl.load_workbook(write_xlsx(figs, tmp_path / "c.xlsx", title="t"))
    ws = wb["主要指标对比"]
    assert [c.value for c in ws[3]] == ["甲县", "无数据", "滞后", "4人次", "达到预期", "无数据", "达到预期"]  # fmt: skip
    assert [c.value for c in ws[4]] == ["乙县", 2, "达到预期", "0.4万人次", "达到预期", 7, "达到预期"]  # fmt: skip
    ws = wb["主要比率排名"]
    assert [c.value for c in ws[2]] == [
        "县区", "隐患整改率", "名次/说明", "重大隐患整改率", "名次/说明", "重大工程投资完成率",
        "名次/说明", "主要指标达到或基本符合时序进度要求的比例", "名次/说明",
    ]  # fmt: skip
    assert [c.value for c in ws[3]][4:7] == ["第1名", "无数据", None]  # no projects anywhere
    ws = wb["存在逾期未整改重大隐患的县区"]
    assert [c.value for c in ws[3]] == ["甲县", 2, 3, 0.8]
    assert ws["D3"].number_format == "0.0%"
    lag = wb["重大工程滞后的县区"]["B3"]
    assert lag.value == '=HYPERLINK("http://x")' and lag.data_type == "s" and lag.quotePrefix


def _sec(figs, title, period="2023年上半年"):
    from planeval.batch.compare import comparison_tables

    return next(s for s in comparison_tables(figs, period) if s.title == title)


def test_lists_say_none_only_of_the_counties_whose_data_cover_them():
    """Absence is not zero: a county whose metrics do not give a figure (no ledger, a year's
    count unknown) or that has no report is named as unknown, never counted in "均未发生"."""
    from planeval.batch.compare import CountyFigures

    majors = "发生较大以上生产安全事故的县区"
    acc = {"date": "2022-07-14", "grade": "较大", "sector": "工贸行业", "type": "中毒和窒息",
           "deaths": 3, "unit": "某公司"}  # fmt: skip
    figs = [
        CountyFigures("甲县", "ok", link="甲县/r.html", major_accidents=[acc],
                      major_counts=[("2021年", 0), ("2022年", 1), ("2023年上半年", 0)]),
        # 2021 from the 年度汇总 only (no ledger that year): 2, with no detail
        CountyFigures("乙县", "ok", link="乙县/r.html", major_accidents=[],
                      major_counts=[("2021年", 2), ("2022年", 0)]),
        CountyFigures("丙县", "ok", link="丙县/r.html", major_accidents=[],
                      major_counts=[("2021年", None), ("2022年", 0)]),
        CountyFigures("丁县", "failed"),
    ]  # fmt: skip
    s = _sec(figs, majors)
    assert [[c.text for c in r] for r in s.rows] == [
        ["甲县", "2022年7月14日", "较大", "工贸行业", "中毒和窒息", "3", "某公司"],
        ["乙县", "2021年（年度汇总）", "较大以上2起", "—", "—", "—", "—"],
    ]
    assert s.note == (
        "丙县2021年（无较大以上事故数据）、丁县（本次报告生成失败）是否发生较大以上生产安全事故未知。"
    )
    # nobody listed: "none" is said of the counties that know, by number
    figs[0].major_accidents, figs[0].major_counts = [], [("2023年上半年", 0)]
    figs[1].major_counts = [("2023年上半年", 0)]
    s = _sec(figs, majors)
    assert s.rows == []
    assert s.empty == "2023年上半年，甲县、乙县均未发生较大以上生产安全事故。"
    # every county knows: 各县区
    s = _sec(figs[:2], majors)
    assert (s.empty, s.note) == ("2023年上半年，各县区均未发生较大以上生产安全事故。", "")
    # nobody knows: no "none" sentence at all, only who is unknown
    s = _sec(figs[2:], majors)
    assert s.empty == "" and s.note.startswith(
        "丙县2021年（无较大以上事故数据）、丁县（本次报告生成失败）"
    )
    # a county without any slice's count, and one with no report that did not fail (skipped
    # without one): said so
    figs[2].major_counts, figs[3].status = None, "skipped"
    assert _sec(figs[2:], majors).note.startswith("丙县（无较大以上事故数据）、丁县（报告未生成）")
    # the hazards and projects lists the same way
    figs = [
        CountyFigures("甲县", "ok", link="甲县/r.html", risk={"overdue_open_major": 0},
                      projects={"delayed": []}),
        CountyFigures("乙县", "ok", link="乙县/r.html", risk={"overdue_open_major": None}),
    ]  # fmt: skip
    from planeval.batch.compare import comparison_tables

    secs = {x.title: x for x in comparison_tables(figs, "2023年上半年", "2023年6月30日")}
    s = secs["存在逾期未整改重大隐患的县区"]  # a stock: true at the period's end
    assert s.empty == "截至2023年6月30日，甲县无逾期未整改的重大隐患。"  # one: no 均
    assert s.note == "乙县（无隐患台账）是否存在逾期未整改的重大隐患未知。"
    s = secs["重大工程滞后的县区"]  # true at the ledgers' date
    assert s.empty == "截至各县区重大工程台账的填报时点，甲县无滞后的重大工程项目。"
    assert s.note == "乙县（无重大工程台账）重大工程是否滞后未知。"
    figs[0].projects_as_of = "2022-12-31"
    s = _sec(figs, "重大工程滞后的县区")
    assert s.empty == "截至2022年12月31日，甲县无滞后的重大工程项目。"
    # more than five counties that know: 其余N个县区, not a list of names
    many = [CountyFigures(f"{i}县", "ok", link=f"{i}/r.html", risk={"overdue_open_major": 0})
            for i in "甲乙丙丁戊己"] + [figs[1]]  # fmt: skip
    s = _sec(many, "存在逾期未整改重大隐患的县区", "2023年上半年")
    assert s.empty == "截至评估期末，其余6个县区均无逾期未整改的重大隐患。"


def test_the_matrix_says_each_indicators_basis():
    """A cumulative 较大以上 count of 1 beside "no 较大 accident in 2023年上半年" is read right
    only when the matrix says its figures are 2021年至2023年上半年累计."""
    from planeval.batch.compare import CountyFigures

    def i(basis):
        return {"current_value": 1, "unit": "起", "verdict": "滞后", "current_basis": basis}

    figs = [
        CountyFigures("甲县", "ok", link="甲县/r.html",
                      indicators={"A": i("2022年"), "B": i("2021年至2023年上半年累计"),
                                  "C": i("2022年")}),
        CountyFigures("乙县", "ok", link="乙县/r.html",
                      indicators={"A": i("2022年"), "C": i("2021年至2023年上半年年均"), "D": i("")}),
    ]  # fmt: skip
    assert _sec(figs, "主要指标对比").note == (
        "现状值口径：A为2022年；B为2021年至2023年上半年累计；C各县区口径不一（见各县区报告）。"
    )
    # a county without the figure (无数据) has no basis for it
    figs[1].indicators["C"] = {**i("2021年至2023年上半年年均"), "current_value": None}
    assert "C为2022年" in _sec(figs, "主要指标对比").note
    figs[1].indicators = None
    figs[0].indicators = {"A": i("")}
    assert _sec(figs, "主要指标对比").note == ""


def test_the_page_and_the_workbook_carry_the_sentences(tmp_path):
    from planeval.batch.compare import CountyFigures, write_html, write_xlsx

    figs = [
        CountyFigures("甲县", "ok", link="甲县/r.html", major_accidents=[],
                      major_counts=[("2023年上半年", 0)],
                      indicators={"A": {"current_value": 1, "current_basis": "2022年"}}),
        CountyFigures("乙县", "failed"),
    ]  # fmt: skip
    page = write_html(figs, tmp_path / "c.html", title="t", period="p", label="2023年上半年")
    text = BeautifulSoup(page.read_text("utf-8"), "html.parser").get_text()
    said = "2023年上半年，甲县未发生较大以上生产安全事故。"
    unknown = "乙县（本次报告生成失败）是否发生较大以上生产安全事故未知。"
    assert said in text and unknown in text and "现状值口径：A为2022年。" in text
    wb = openpyxl.load_workbook(
        write_xlsx(figs, tmp_path / "c.xlsx", title="t", label="2023年上半年")
    )
    col_a = [c.value for c in wb["发生较大以上生产安全事故的县区"]["A"]]
    assert col_a[-2:] == [said, unknown]
    assert [c.value for c in wb["主要指标对比"]["A"]][-1] == "现状值口径：A为2022年。"


def test_links_go_to_the_chapters_own_section_not_a_heading_sharing_a_word(tmp_path):
    """The demo report's first heading with 安全生产 is 重大工程's “2. 安全生产风险防控工程”;
    the risk figures link to the outline's risk section (data-section="risk")."""
    from planeval.batch.compare import _anchors

    page = tmp_path / "report.html"
    page.write_text(
        '<h3 class="outline" data-section="indicators" id="sec-3">（一）主要指标进展</h3>'
        '<h4 class="outline" data-section="risk" id="sec-6">2. 提升风险管控能力</h4>'
        '<h4 class="outline" data-section="projects.安全生产风险防控工程" id="sec-14">'
        "2. 安全生产风险防控工程</h4>"
        '<h3 class="outline" data-section="projects" id="sec-12">（三）重大工程项目进展</h3>',
        encoding="utf-8",
    )
    assert _anchors(page) == {"indicators": "sec-3", "risk": "sec-6", "projects": "sec-12"}
    # a report without the outline's marks: the first heading with one of the words
    page.write_text('<h4 id="a">2. 安全生产风险防控工程</h4><h4 id="b">隐患</h4>', "utf-8")
    assert _anchors(page) == {"risk": "a"}


def test_ranks_denominators_and_dates_as_a_reviewer_reads_them():
    from planeval.batch.compare import CountyFigures, ranking

    def ind(verdict):
        return {"current_value": 1, "verdict": verdict}

    figs = [
        # 95.943 % and 95.938 % both print 95.9 %: one rank, not 第1名 and 第2名
        CountyFigures("甲县", "ok", link="甲/r.html", risk={"rate": 0.95943, "found": 10,
                      "major_rate": None, "major": 0},
                      projects={"investment_rate": 0.5, "planned_investment": 100},
                      projects_as_of="2023-06-30",
                      # 1 of 9 on track: the county report's own count (无法评价 included)
                      indicators={"1": ind("超额完成"), **{str(k): ind("无法评价") for k in range(2, 10)}}),
        CountyFigures("乙县", "ok", link="乙/r.html", risk={"rate": 0.95938, "found": 10,
                      "major_rate": 0.5, "major": 2},
                      projects={"investment_rate": None, "planned_investment": 0},
                      projects_as_of="2022-12-31",
                      indicators={"1": ind("达到预期"), "2": ind("滞后")}),
        CountyFigures("丙县", "ok", link="丙/r.html", risk={"rate": None, "found": None}),
        CountyFigures("丁县", "ok", link="丁/r.html",
                      projects={"investment_rate": 0.6, "planned_investment": 10},
                      projects_as_of="2022-12-31"),
    ]  # fmt: skip
    header, rows = ranking(figs)
    assert header[-1] == "主要指标达到或基本符合时序进度要求的比例"
    assert [[c.text for c in r] for r in rows] == [
        # tied on 隐患整改率, so the next rate sorts: 乙 has one, 甲 none (its 0 重大隐患 is
        # "—", not 无数据); 乙's 0 planned investment likewise; 甲's and 丁's 投资完成率 come
        # from ledgers of two dates, so each says its own
        ["乙县", "95.9%（第1名）", "50.0%（第1名）", "—（无计划投资）", "50.0%（第1名）"],
        ["甲县", "95.9%（第1名）", "—（期内未发现重大隐患）", "50.0%（第2名，截至2023年6月30日）",
         "11.1%（第2名，8项无法评价）"],
        ["丁县", "无数据", "无数据", "60.0%（第1名，截至2022年12月31日）", "无数据"],
        ["丙县", "无数据", "无数据", "无数据", "无数据"],
    ]  # fmt: skip


def test_an_undecided_project_is_listed_not_counted_as_on_time():
    from planeval.batch.compare import CountyFigures

    figs = [CountyFigures("甲县", "ok", link="甲/r.html", projects={"undecided": ["救援基地"]},
                          projects_as_of="2023-06-30")]  # fmt: skip
    s = _sec(figs, "重大工程滞后的县区")
    assert [[c.text for c in r] for r in s.rows] == [
        ["甲县", "救援基地", "开工日期未确定，能否在规划期内完工待跟踪", "2023年6月30日"]
    ]


def test_a_failed_countys_earlier_report_is_not_this_periods_figures(tmp_path):
    """A run that failed before its build replaced the folder leaves the earlier report in
    place (never destroyed); its figures must not pass as this period's."""
    root = tmp_path / "reports"
    old = county_report(root, "甲县", {"risk": {"totals": {"rate": 0.99, "overdue_open_major": 0}}})
    lst = tmp_path / "县区.yaml"
    lst.write_text(
        f"counties:\n  - {{county: 甲县, pack: {CLEAN_PACK}, organization: 甲县应急管理局}}\n",
        encoding="utf-8",
    )
    counties = load_counties(lst, period="midterm", out=str(root))
    stale = CountyOutcome("甲县", "failed", report=str(old / "report.html"), target=str(old),
                          message="报告组装失败（…）；原有报告未改动", current=False)  # fmt: skip
    text = BeautifulSoup(
        write_comparison(counties, [stale])["html"].read_text("utf-8"), "html.parser"
    ).get_text()
    assert "99.0%" not in text and "没有本次报告的县区：甲县（本次报告生成失败）" in text
    # the summary table gives why, not the earlier report's path
    from planeval.batch.build import summary_table

    assert "报告组装失败" in summary_table([stale]).splitlines()[1]


def test_no_indicator_listed_or_none_assessed_is_no_figure_not_zero(tmp_path):
    from planeval.batch.compare import CountyFigures, collect, on_track_share

    t = county_report(tmp_path, "甲县", {"indicators": {"indicators": []}})
    assert collect(tmp_path, "甲县", "ok", t).indicators is None  # 无数据, not 未列入 everywhere
    f = CountyFigures("乙县", "ok", link="r.html",
                      indicators={"a": {"verdict": "无法评价"}, "b": {"verdict": None}})  # fmt: skip
    assert on_track_share(f) is None  # nothing assessed: not 0.0% with a rank
    f.indicators["c"] = {"verdict": "基本符合"}
    assert on_track_share(f) == 1 / 3


def test_a_chapter_that_failed_is_said_so_not_taken_for_a_missing_ledger(tmp_path):
    from planeval.batch.compare import collect

    t = county_report(tmp_path, "丙县", {"indicators": {"indicators": [], "years": []}})
    (t / "manifest.json").write_text(
        json.dumps({"chapters": [
            {"id": "indicators", "title": "（一）主要指标进展", "status": "ok"},
            {"id": "risk", "title": "2. 提升风险管控能力", "status": "failed"},
            {"id": "projects", "title": "（三）一网统管工程进展", "status": "failed"},
        ]}, ensure_ascii=False), encoding="utf-8",
    )  # fmt: skip
    f = collect(tmp_path, "丙县", "failed", t)
    assert _sec([f], "存在逾期未整改重大隐患的县区").note == (
        "丙县（“提升风险管控能力”一章生成失败）是否存在逾期未整改的重大隐患未知。"
    )
    # only the numbering goes: 一网统管 keeps its 一
    assert _sec([f], "重大工程滞后的县区").note.startswith("丙县（“一网统管工程进展”一章生成失败）")
    # the indicators chapter ran: no years is a missing ledger's gap
    assert _sec([f], "发生较大以上生产安全事故的县区").note.startswith("丙县（无较大以上事故数据）")


def test_the_pdf_to_send_upward_is_landscape_with_fonts_and_no_local_links(comparison, tmp_path):
    import pypdf

    from planeval.batch.compare import write_pdf

    _, paths = comparison
    pdf = write_pdf(paths["html"], tmp_path / "c.pdf")
    r = pypdf.PdfReader(pdf)
    box = r.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    text = "".join(p.extract_text() for p in r.pages)
    assert "县区对比" in text and "3（超额完成）" in text and "丙县（本次报告生成失败）" in text
    # the page's links open county reports beside it; a PDF would carry this machine's paths
    assert not any(p.get("/Annots") for p in r.pages)
    assert "点击" not in text and "点击县区或单元格打开该县区的报告" in paths["html"].read_text(
        "utf-8"
    )
    fonts = {f["/BaseFont"] for p in r.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("Planeval" in str(f) for f in fonts)  # the project's own, embedded
    assert not list(tmp_path.glob(".c.pdf.*"))  # written through a temporary file


def test_the_batchs_comparison_pdf_follows_its_formats(comparison, monkeypatch):
    from planeval.batch import build, compare

    root, paths = comparison
    made = []
    monkeypatch.setattr(compare, "write_comparison", lambda c, o: dict(paths))
    monkeypatch.setattr(compare, "write_pdf", lambda h, p: made.append(p) or p)
    err = io.StringIO()
    assert "pdf" not in build._compare(None, [], err, with_pdf=False) and made == []
    got = build._compare(None, [], err, with_pdf=True)
    assert got["pdf"] == paths["html"].with_suffix(".pdf") == made[0]

    def broken(h, p):
        raise RuntimeError("版式失败")

    monkeypatch.setattr(compare, "write_pdf", broken)
    got = build._compare(None, [], err, with_pdf=True)
    assert "pdf" not in got and got["html"] == paths["html"]  # the page and xlsx stand
    assert "县区对比 PDF 未能生成：RuntimeError: 版式失败" in err.getvalue()
