"""数据核查清单: every listed figure recomputed from its listed rows alone, read from the original
workbook (openpyxl / csv / pyarrow, not the planeval loader), and compared with the printed
value; on the demo pack and on the messy fixture pack."""

from __future__ import annotations

import datetime as dt
from functools import cache

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from checklist_check import check_entry, date_of, grid_of, header_of

from planeval.data import load_pack
from planeval.paths import PROJ_ROOT
from planeval.report import provenance, provenance_tables

PERIOD = "2021-01-01..2023-06-30"
PACKS = {
    "demo": PROJ_ROOT / "data" / "demo",
    "messy": PROJ_ROOT / "tests" / "fixtures" / "packs" / "messy",
}


@cache
def _built(name: str) -> list:
    """The entries of a pack, built once for this module (the tests only read them)."""
    return provenance.build(load_pack(PACKS[name]), PERIOD)


@pytest.fixture(scope="module", params=sorted(PACKS))
def checklist(request):
    path = PACKS[request.param]
    entries = provenance.to_json(_built(request.param))
    return request.param, path, entries


def test_every_entry_recomputes_from_its_rows_to_the_printed_value(checklist):
    name, path, entries = checklist
    assert len(entries) >= {"demo": 30, "messy": 10}[name]
    for e in entries:
        check_entry(path, e)


def test_an_unfiltered_ledger_figure_lists_every_row_of_its_period(checklist):
    """Nothing left out: a count or sum without a sector or grade filter lists every dated row
    of its sheet in the period (blank, title and 合计 rows have no date)."""
    _, path, entries = checklist
    whole = [
        e
        for e in entries
        if e["computed"]["kind"] in ("count", "sum")
        and not {"等级", "行业领域", "整改完成日期至", "期末未整改", "列", "截至"}
        & set(e["filters"])
        and "期间" in e["filters"]
        and e["sources"]
    ]
    assert len(whole) >= 3
    for e in whole:
        lo, hi = (dt.date.fromisoformat(x) for x in e["filters"]["期间"].split(".."))
        src = e["sources"][0]
        grid = grid_of(path, src["file"], src["sheet"])
        date_name = e["computed"].get("date_field") or next(iter(src["values"]))
        col = header_of(grid, src["row"], [date_name])[date_name]
        in_period = {
            r + 1
            for r, row in enumerate(grid)
            if (d := date_of(row[col] if col < len(row) else None)) and lo <= d <= hi
        }
        assert in_period == {s["row"] for s in e["sources"]}, e["id"]


def test_hand_checked_demo_entries():
    """Worked by hand from data/demo/示例县应急管理台账.xlsx: 2021's four accidents are rows
    13-16 of 生产安全事故; 2023年上半年 GDP share: 2350 万元 ÷ (409.2 亿元 × 0.5) × 0.01."""
    es = {(e.row, e.column): e for e in _built("demo")}
    e = es[("生产安全事故起数", "2021年")]
    assert e.printed == "4" and [s.row for s in e.sources] == [13, 14, 15, 16]
    assert {s.sheet for s in e.sources} == {"生产安全事故"}
    g = es[("年均自然灾害直接经济损失占GDP比例", "2023年上半年")]
    assert g.computed["numerator"] == 2350 and g.computed["denominator"] == 409.2
    assert g.value == pytest.approx(2350 / (409.2 * 0.5) * 0.01) and g.printed == "0.11"
    assert (g.denominator_source.sheet, g.denominator_source.row) == ("年度汇总", 62)


TABLE_HTML = (
    "<html><body><main><h3>（一）主要指标进展</h3><p>2022年发生事故4起，死亡6人，同比下降12.5%。</p>"
    '<div class="table-wrap"><p class="table-caption">表1　示例县主要指标进展情况</p><table>'
    "<thead><tr><th>序号</th><th>指标</th><th>2022年</th><th>评价</th></tr></thead><tbody>"
    "<tr><td>1</td><td>生产安全事故起数</td><td>4</td><td>超额完成</td></tr>"
    "<tr><td>2</td><td>生产安全事故死亡人数</td><td>6</td><td>滞后</td></tr>"
    "</tbody></table></div></main></body></html>"
)


def _entry(row="生产安全事故起数", printed="4"):
    src = provenance.SourceRow(
        "台账.xlsx", "生产安全事故", 13, "生产安全事故", {"发生日期": "2022-03-01"}
    )
    den = provenance.SourceRow("台账.xlsx", "年度汇总", 52, "年度汇总", {"数值": 390.1})
    return provenance.Entry(
        id="0001",
        section="（一）主要指标进展",
        table="",
        row=row,
        column="2022年",
        figure=f"{row}（2022年）",
        printed=printed,
        value=4.0,
        digits=0,
        formula="生产安全事故台账中发生日期在当年的事故起数",
        computed={"kind": "count", "numerator": 4.0, "expression": "=4"},
        filters={"期间": "2022-01-01..2022-12-31"},
        sources=[src],
        denominator_source=den,
    )


def test_entries_are_kept_only_where_the_report_prints_that_value():
    from planeval.report.exports import report_tables

    tables = report_tables(TABLE_HTML)
    kept = provenance.place_in_report([_entry(), _entry("生产安全事故死亡人数", "7")], tables)
    assert [(e.row, e.table) for e in kept] == [("生产安全事故起数", "表1")]  # 7 is not printed


def test_cells_link_to_their_entries_and_coverage_counts_the_rest():
    e = _entry()
    e.table = "表1"
    out = provenance.link_cells(TABLE_HTML, [e], "数据核查清单.html")
    soup = BeautifulSoup(out, "html.parser")
    [a] = soup.select("a.chk")
    assert a["href"] == "数据核查清单.html#chk-0001" and a.get_text() == "4"
    assert a.parent.name == "td" and a.find_parent("tr").get_text().startswith("1生产安全事故起数")
    # Numbers in text: 4, 6, 12.5% in the sentence (2022年 is a year), 4 and 6 in the table
    # (序号 and row labels are not figures): 5, of which 1 listed.
    assert provenance.coverage(TABLE_HTML, [e]) == {
        "numbers_in_report": 5,
        "with_entry": 1,
        "share": 0.2,
    }


def test_checklist_workbook_links_each_figure_to_its_rows(tmp_path):
    e = _entry()
    e.table = "表1"
    path = provenance.write_checklist_xlsx([e], tmp_path / "c.xlsx", "示例县")
    wb = openpyxl.load_workbook(path)
    s, rows = wb["汇总"], wb["来源行"]
    assert [s.cell(4, c).value for c in (1, 3, 4, 5, 6, 7)] == [
        "0001",
        "表1",
        "生产安全事故起数",
        "2022年",
        "4",
        4.0,
    ]
    assert s.cell(4, 9).value == "=4" and s.cell(4, 9).data_type == "s"  # never a formula
    assert s.cell(4, 11).hyperlink.location == "'来源行'!A2" or (
        s.cell(4, 11).hyperlink.target == "#'来源行'!A2"
    )
    assert (
        s.cell(4, 11).value
        == "台账.xlsx · 生产安全事故 · 第13行（1行）；台账.xlsx · 年度汇总 · 第52行（1行）"
    )
    # every source row once (file, sheet, row order), with the 编号 of the figures using it
    got = {rows.cell(r, 4).value: [rows.cell(r, c).value for c in range(1, 7)] for r in (2, 3)}
    assert got[13] == [
        "生产安全事故",
        "台账.xlsx",
        "生产安全事故",
        13,
        "发生日期=2022-03-01",
        "0001",
    ]
    assert got[52] == ["年度汇总", "台账.xlsx", "年度汇总", 52, "数值=390.1", "0001"]
    assert rows.cell(2, 4).value == 52  # 年度汇总 sorts before 生产安全事故
    assert rows.auto_filter.ref == "A1:F3"


def test_checklist_workbook_keeps_hostile_text_as_text(tmp_path):
    """A ledger's own words in the workbook: a file named like a formula, a value that looks
    like one or holds a control character (BEL), a figure without a value and one without
    rows. Each is text as typed (never a formula, a link or a refused file)."""
    e = _entry()
    e.sources = [
        provenance.SourceRow("=HYPERLINK(1).xlsx", "隐患", 7, "隐患", {"描述": "+1\x07响铃"})
    ]
    e.denominator_source = None
    bare = _entry(row="无来源")
    bare.id, bare.value, bare.sources, bare.denominator_source = "0002", None, [], None
    path = provenance.write_checklist_xlsx([e, bare], tmp_path / "c.xlsx", "示例县")
    wb = openpyxl.load_workbook(path)
    s, rows = wb["汇总"], wb["来源行"]
    assert rows.cell(2, 2).value == "=HYPERLINK(1).xlsx" and rows.cell(2, 2).data_type == "s"
    assert rows.cell(2, 2).quotePrefix  # Excel/WPS show it as typed
    assert rows.cell(2, 5).value.startswith("描述=+1") and rows.cell(2, 4).value == 7
    assert s.cell(4, 11).value.startswith("=HYPERLINK(1).xlsx · 隐患 · 第7行")
    assert s.cell(4, 11).data_type == "s" and s.cell(4, 11).hyperlink.location == "'来源行'!A2"
    assert s.cell(5, 7).value is None and s.cell(5, 11).value == "—"  # no value, no rows
    assert s.cell(5, 11).hyperlink is None


def test_a_row_behind_many_figures_is_written_once():
    a, b = _entry(), _entry(row="生产安全事故死亡人数")
    b.id = "0002"
    rows, index, users = provenance.distinct_rows([a, b])
    assert len(rows) == 2 and users[("台账.xlsx", "生产安全事故", 13)] == ["0001", "0002"]
    data = provenance.checklist_json([a, b], {})
    assert data["entries"][1]["sources"] == data["entries"][0]["sources"]
    back = provenance.entries_from_json(data)
    assert back[1].sources[0].row == 13 and back[1].denominator_source.row == 52
    assert provenance.row_ranges([7, 2, 3, 4, 9, 10]) == "2–4、7、9–10"


def test_the_readers_of_the_shared_tree_leave_it_as_it_was():
    """coverage, report_tables and place_in_text read one parse of the report: coverage skips
    the caption, headings and 附件 without removing them, so the tables read after it still
    have their caption, and a second count (on the same tree) is the first.
    In the caption 表1 and in the heading （一）nothing is a figure; 附件's 99 is not counted."""
    from planeval.report.exports import forget_parsed, parsed_report, report_tables

    html = TABLE_HTML.replace(
        "</main>", '<section class="appendix"><h2>附件</h2><p>口径：99项</p></section></main>'
    )
    forget_parsed()
    try:
        first = provenance.coverage(html, [])
        assert first["numbers_in_report"] == 5  # 4, 6, 12.5% and the table's 4, 6
        [t] = report_tables(html)
        assert t.number == 1 and t.caption == "示例县主要指标进展情况"
        assert provenance.coverage(html, []) == first
        soup = parsed_report(html)
        assert soup.select_one("section.appendix p").get_text() == "口径：99项"
        assert soup.select_one("p.table-caption") is not None and soup.find("h3") is not None
    finally:
        forget_parsed()


def test_distinct_rows_merge_values_of_rows_made_for_other_fields():
    """One place behind three entries: two share one SourceRow object (the same fields), the
    third has its own (another field). The row is written once, with both fields' values, and
    each entry that uses it is listed once, in order."""
    from planeval.report.provenance_entry import SourceRow

    shared = SourceRow("台账.xlsx", "隐患", 7, "隐患", {"发现日期": "2023-01-05"})
    own = SourceRow("台账.xlsx", "隐患", 7, "隐患", {"等级": "重大"})
    other = SourceRow("台账.xlsx", "隐患", 3, "隐患", {"发现日期": "2022-12-31"})
    a, b, c = _entry(), _entry(), _entry()
    for e, i, srcs in ((a, "0001", [shared, other]), (b, "0002", [shared, shared]),
                       (c, "0003", [own])):  # fmt: skip
        e.id, e.sources, e.denominator_source = i, srcs, None
    rows, index, users = provenance.distinct_rows([a, b, c])
    assert [(r.sheet, r.row) for r in rows] == [("隐患", 3), ("隐患", 7)]
    assert rows[1].values == {"发现日期": "2023-01-05", "等级": "重大"}
    assert shared.values == {"发现日期": "2023-01-05"}  # the entries' own rows are not changed
    assert users[("台账.xlsx", "隐患", 7)] == ["0001", "0002", "0003"]
    assert users[("台账.xlsx", "隐患", 3)] == ["0001"]
    assert index == {("台账.xlsx", "隐患", 3): 0, ("台账.xlsx", "隐患", 7): 1}


def test_plain_column_is_plain_of_each_value():
    """The column-wise conversion gives what plain() gives value by value, for every kind of
    column a pack has (dates with a blank, floats with NaN, ints, bools, text, arrow text)."""
    from planeval.report.provenance_entry import plain, plain_column

    columns = [
        pd.Series(pd.to_datetime(["2021-03-05", None, "2023-12-31"])),
        pd.Series([1.5, float("nan"), 0.0]),
        pd.Series([3, 0, -2]),
        pd.Series([True, False, True]),
        pd.Series(["重大", None, "一般"]),
        pd.Series(["重大", None, "一般"], dtype="string[pyarrow]"),
        pd.Series([1, None, 3], dtype="Int64"),
    ]
    for col in columns:
        assert plain_column(col) == [plain(v) for v in col], col.dtype
    assert plain_column(columns[0]) == ["2021-03-05", None, "2023-12-31"]
    assert plain_column(columns[1]) == [1.5, None, 0.0]
    assert type(plain_column(columns[2])[0]) is int


def test_report_linked_after_the_files_from_the_json_beside_it(tmp_path):
    import json

    e = _entry()
    e.table = "表1"
    html = tmp_path / "report.html"
    html.write_text(TABLE_HTML, encoding="utf-8")
    rec = provenance.write_checklist([e], tmp_path, html, "示例县")
    assert rec["entries"] == 1 and rec["coverage"]["with_entry"] == 1
    assert html.read_text(encoding="utf-8") == TABLE_HTML  # the PDF/Word read this one
    page = (tmp_path / "数据核查清单.html").read_text(encoding="utf-8")
    assert 'id="chk-0001"' in page and "第13行" in page and "<script" not in page
    # the entries read back from the JSON link the report as the entries themselves do
    back = provenance.entries_from_json(
        json.loads((tmp_path / "数据核查清单.json").read_text(encoding="utf-8"))
    )
    linked = provenance.link_cells(TABLE_HTML, back, "数据核查清单.html")
    assert 'href="数据核查清单.html#chk-0001"' in linked
    assert linked == provenance.link_cells(TABLE_HTML, [e], "数据核查清单.html")


def test_hand_checked_risk_table_entries():
    """The risk summary table's 电力 row, worked from the demo workbook: 39 inspection rows of
    电力 dated in the mid-term (39家次), 115 hazard rows of 电力 found in it, 1 of them 重大;
    合计 发现隐患 lists every 隐患 row of the period (6045)."""
    es = {(e.row, e.column): e for e in _built("demo") if e.caption == provenance_tables.RISK_TABLE}
    assert es[("电力", "检查家次")].printed == "39" and len(es[("电力", "检查家次")].sources) == 39
    assert es[("电力", "发现隐患")].printed == "115"
    major = es[("电力", "其中重大")]
    assert major.printed == "1" and major.filters["等级"] == ["重大"]
    assert {s.values["行业领域"] for s in major.sources} == {"电力"}
    total = es[("合计", "发现隐患")]  # 5845 + the 2022 环保设施 (85) and 三位一体 (115) campaigns
    assert total.printed == "6,045" and len(total.sources) == 6045
    assert (
        es[("电力", "罚款(万元)")].printed == "10.85"
    )  # as tests/backtest/expected/risk_summary.csv


def test_hand_checked_disaster_and_campaign_entries():
    """表 自然灾害损失情况, worked from the demo workbook: 2021 has 5 disaster rows (受灾 82120
    人次, 农作物 12550.0 公顷); the period 11. 表 专项整治: 皮带机 摸排 46 is its own row."""
    es = {(e.caption, e.row, e.column): e for e in _built("demo")}
    t = provenance_tables.DISASTER_TABLE
    assert es[(t, "2021年", "受灾人次")].printed == "82,120"
    assert len(es[(t, "2021年", "受灾人次")].sources) == 5
    assert es[(t, "2021年", "农作物受灾面积(公顷)")].printed == "12,550.0"
    assert es[(t, "合计", "灾害过程(次)")].printed == "11"
    belt = es[(provenance_tables.CAMPAIGN_TABLE, "工贸企业皮带机专项整治", "摸排")]
    assert belt.printed == "46" and belt.computed["kind"] == "given" and len(belt.sources) == 1


def test_hand_checked_hazard_stock_entries():
    """未整改 and 逾期未整改 are stocks at a slice's end, over every hazard found up to it: at
    2023-06-30 87 open (48 of them past their deadline), at 2022-12-31 32 past their deadline
    (表3's 2022年 row); the demo's first hazard was found on 2019-01-02."""
    es = {(e.caption, e.row, e.column): e for e in _built("demo")}
    open_ = es[(provenance_tables.RISK_TABLE, "合计", "未整改")]
    assert open_.printed == "87" and len(open_.sources) == 87
    assert open_.filters["期末未整改"] == "2023-06-30"
    assert open_.filters["期间"] == "2019-01-02..2023-06-30"
    assert es[(provenance_tables.RISK_TABLE, "合计", "逾期未整改")].printed == "48"
    assert es[(provenance_tables.YEAR_TABLE, "2022年", "逾期未整改")].printed == "32"


TEXT_HTML = (
    "<html><body><main><h4>2. 提升风险管控能力</h4>"
    "<p>2021年至2023年上半年，全县共开展执法检查650次，检查生产经营单位2083家次，"
    "罚款473.47万元，整改率98.6%；农作物受灾面积23830公顷。</p>"
    "<p>2022年检查生产经营单位2083家次。</p>"
    '<div class="table-wrap"><p class="table-caption">表2　执法检查</p><table><tbody>'
    "<tr><td>合计</td><td>全县共开展执法检查650次</td></tr></tbody></table></div>"
    "</main></body></html>"
)


def _text_entry(value, marks, digits=0, figure="执法检查次数"):
    e = _entry(row="合计", printed="")
    e.value, e.digits, e.figure, e.marks, e.caption = value, digits, figure, marks, ""
    return e


def test_sentences_place_a_figure_only_where_they_print_its_value():
    """Worked by hand on TEXT_HTML: 650 (执法检查…次) and 2083 (…家次, in the 全县 paragraph only)
    are placed; 65 is not found in "650次", nor 98.5% in "98.6%"; amounts print in 万元 without
    trailing zeros, areas without ".0", rates as percentages; a table cell is not a sentence."""
    scope = "全县共开展"
    entries = [
        _text_entry(650.0, [(scope, "执法检查{v}次", "")]),
        _text_entry(65.0, [(scope, "执法检查{v}次", "")]),  # a near miss: 65 in 650
        _text_entry(2083.0, [(scope, "检查生产经营单位{v}家次", "")]),
        _text_entry(473.47, [(scope, "罚款{v}", "money")], digits=2),
        _text_entry(0.98564, [(scope, "整改率{v}", "pct")], digits=1),
        _text_entry(0.985, [(scope, "整改率{v}", "pct")], digits=1),  # prints 98.5%: not there
        _text_entry(23830.0, [(scope, "受灾面积{v}公顷", "area")], digits=1),
    ]
    placed = provenance.place(entries, TEXT_HTML, [])
    assert [(e.printed, e.table, e.locator["paragraph"]) for e in placed] == [
        ("650", "正文", 0),
        ("2083", "正文", 0),
        ("473.47万元", "正文", 0),
        ("98.6%", "正文", 0),
        ("23830", "正文", 0),
    ]
    assert [e.id for e in placed] == ["0001", "0002", "0003", "0004", "0005"]
    first = placed[0]
    assert first.section == "2. 提升风险管控能力" and "全县共开展执法检查650次" in first.row
    out = BeautifulSoup(provenance.link_cells(TEXT_HTML, placed, "c.html"), "html.parser")
    links = out.select("main > p a.chk")
    assert [a.get_text() for a in links] == ["650", "2083", "473.47万元", "98.6%", "23830"]
    assert links[0]["href"] == "c.html#chk-0001"
    before = BeautifulSoup(TEXT_HTML, "html.parser").find("main").get_text()
    assert out.find("main").get_text() == before  # the words are untouched
    assert not out.select("td a.chk")  # the cell has no entry of its own here
    # a figure printed again in another paragraph its marks name is placed there too
    again = _text_entry(2083.0, [("^2022年", "检查生产经营单位{v}家次", "")])
    [second] = provenance.place([again], TEXT_HTML, [])
    assert second.locator["paragraph"] == 1 and second.printed == "2083"


def test_links_put_in_a_given_tree_are_those_of_a_fresh_parse():
    """The run hands link_cells the report's shared tree (read by placing and coverage first):
    the same linked report as parsing the text anew, and the links are in that tree."""
    from planeval.report.exports import forget_parsed, parsed_report

    e = _entry()
    e.table = "表1"
    [t] = provenance.place([_text_entry(650.0, [("全县", "执法检查{v}次", "")])], TEXT_HTML, [])
    tree = parsed_report(TEXT_HTML)  # placing read this very tree
    forget_parsed()
    linked = provenance.link_cells(TEXT_HTML, [t], "c.html", soup=tree)
    assert linked == provenance.link_cells(TEXT_HTML, [t], "c.html") != TEXT_HTML
    assert [a.get_text() for a in tree.select("a.chk")] == ["650"]
    assert parsed_report(TEXT_HTML) is not tree  # forgotten: later readers parse afresh
    forget_parsed()
    table_tree = BeautifulSoup(TABLE_HTML, "html.parser")
    out = provenance.link_cells(TABLE_HTML, [e], "数据核查清单.html", soup=table_tree)
    assert out == provenance.link_cells(TABLE_HTML, [e], "数据核查清单.html")
    assert [a.get_text() for a in table_tree.select("td a.chk")] == ["4"]


def test_a_sentence_entry_links_only_in_the_report_it_was_placed_in():
    [e] = provenance.place([_text_entry(650.0, [("全县", "执法检查{v}次", "")])], TEXT_HTML, [])
    other = TEXT_HTML.replace("执法检查650次，检查", "执法检查651次，检查")
    assert 'class="chk"' not in provenance.link_cells(other, [e], "c.html")


def test_hand_checked_rescue_reserve_and_task_entries():
    """Counted by hand in data/demo/示例县应急管理台账.xlsx: 救援队伍 has 26 teams (none founded
    after 2023-06-30) with 907 members; 物资储备 has 49 lines, all with a target, 44 at or above
    it (达标率 44/49 = 89.8%); 规划任务 RW-01 (已完成) and RW-02 (序时推进) are the two tasks of
    system.leadership."""
    es = {(e.caption, e.row, e.column): e for e in _built("demo")}
    teams = es[(provenance_tables.TEAM_TABLE, "合计", "队伍(支)")]
    assert teams.printed == "26" and teams.filters["截至"] == "2023-06-30"
    assert es[(provenance_tables.TEAM_TABLE, "合计", "队员(人)")].value == 907
    met = es[(provenance_tables.RESERVE_TABLE, "合计", "达标率")]
    assert (met.computed["numerator"], met.computed["denominator"]) == (44, 49)
    assert met.printed == "89.8%" and len(met.sources) == 49
    total = es[("", "坚持党的集中领导", "合计")]
    done = es[("", "坚持党的集中领导", "已完成")]
    assert total.value == 2 and done.value == 1 and done.filters["列"]["状态"] == ["已完成"]
    assert [s.values["编号"] for s in total.sources] == ["RW-01", "RW-02"]
    behind = es[("", "坚持党的集中领导", "滞后")]
    assert behind.value == 0 and behind.sources == []  # none: an entry of no rows, not unknown


def test_hand_checked_changes_totals_and_projects():
    """Worked by hand from data/demo/示例县应急管理台账.xlsx: 生产安全事故 has 5 accidents in 2020
    (rows 8-12) and 4 in 2021 (rows 13-16): 2021 is (4 − 5) ÷ 5 = 20.0% down, made of the 4 rows
    then the 5; 2021-2023H1 holds 4 + 4 + 1 = 9 accidents and 5 + 6 + 1 = 12 deaths; 重大工程's
    11 projects (rows 2-12) plan 31 750 万元 and have completed 17 480 万元, all with a planned
    investment: 17480 ÷ 31750 = 55.06% → 55.1%."""
    built = _built("demo")
    es = {(e.row, e.column): e for e in built}
    ch = es[("生产安全事故起数", "2021年较2020年")]
    assert ch.computed["kind"] == "change" and ch.computed["direction"] == "下降"
    assert ch.value == pytest.approx(0.2) and ch.printed == "20.0%"
    assert [s.row for s in ch.sources] == [13, 14, 15, 16, 8, 9, 10, 11, 12]
    assert [p["rows"] for p in ch.computed["parts"]] == [4, 5]
    up = es[("生产安全事故死亡人数", "2022年较2021年")]  # 6 against 5
    assert up.computed["direction"] == "上升" and up.printed == "20.0%"
    assert ("生产安全事故起数", "2022年较2021年") not in es  # 4 against 4: 持平, no percentage
    total = es[("生产安全事故起数", "2021年至2023年上半年累计")]
    deaths = es[("生产安全事故死亡人数", "2021年至2023年上半年累计")]
    assert (total.value, deaths.value, len(total.sources)) == (9, 12, 9)
    n = es[("全部项目", "项目数")]
    assert n.value == 11 and [s.row for s in n.sources] == list(range(2, 13))
    assert es[("全部项目", "计划总投资")].value == 31750
    assert es[("全部项目", "累计完成投资")].printed == "1.75亿元"
    rate = es[("全部项目", "投资完成率")]
    assert (rate.computed["numerator"], rate.computed["denominator"]) == (17480, 31750)
    assert rate.printed == "55.1%" and rate.style == "pct"


def test_hand_checked_time_share_and_averages():
    """时序进度 at 2023-06-30 of 2021-2025: 30 of 60 months = 50.0%, in 表1's row of every
    indicator; a 年均类 indicator's 现状值 weights each slice by its share of the year: 2021 and
    2022 whole, 2023年上半年 a half, so (a + b + c × 0.5) ÷ 2.5 for a rate."""
    es = {(e.row, e.column): e for e in _built("demo")}
    t = es[("时序进度", "时序进度")]
    assert t.value == 0.5 and t.printed == "50.0%" and t.sources == []
    assert es[("生产安全事故起数", "时序进度")].caption == provenance.INDICATOR_TABLE
    fire = es[("十万人口火灾死亡率", "现状值")]
    assert fire.computed["kind"] == "mean" and not fire.computed["counts"]
    a, b, c = (p["value"] for p in fire.computed["parts"])
    assert [p["fraction"] for p in fire.computed["parts"]] == [1.0, 1.0, 0.5]
    assert fire.value == pytest.approx((a + b + c * 0.5) / 2.5) and fire.printed == "0.08"
    assert len(fire.sources) == sum(p["rows"] + p["denominator"] for p in fire.computed["parts"])
    major = es[("较大以上生产安全事故起数", "现状值")]  # cumulative: the one 较大 accident of 2022
    assert major.value == 1 and len(major.sources) == 1


def test_a_blank_date_is_shown_blank_not_nat():
    """隐患 row 3046 of the demo (立即 整改) has no 整改期限: the checklist shows none, not "NaT"."""
    from planeval.report.provenance_entry import plain

    assert plain(pd.NaT) is None and plain(float("nan")) is None
    assert plain(pd.Timestamp("2021-01-01")) == "2021-01-01"
    shown = [
        s.values["整改期限"]
        for e in _built("demo")
        for s in e.sources
        if (s.sheet, s.row) == ("隐患", 3046) and "整改期限" in s.values
    ]
    assert shown and set(shown) == {None}


def test_hand_checked_completion_of_a_decline_target():
    """生产安全事故死亡人数: 基期 6 (2020, rows 8-12 of 生产安全事故), 现状值 6 (2022), the 指标 sheet's
    下降15%: the level is 6 × 0.85 = 5.1, floored to 5 for a count, so (6 − 6) ÷ (6 − 5) = 0.0%."""
    es = {(e.row, e.column): e for e in _built("demo")}
    e = es[("生产安全事故死亡人数", "完成进度")]
    assert e.computed["kind"] == "progress" and e.computed["integer"]
    assert [p["value"] for p in e.computed["parts"]] == [6, 6, 15]
    assert e.value == 0 and e.printed == "0.0%"
    assert e.computed["expression"].startswith("(6 − 6) ÷ (6 − 5) =")  # the level floored to 5
    assert e.sources[-1].sheet == "指标"  # the 下降比例's row, after the two figures' rows


def test_source_rows_made_once_per_place_with_their_values():
    from planeval.report.provenance_entry import forget_rows, source_rows

    frame = pd.DataFrame(
        {
            "_file": ["隐患.xlsx"] * 3,
            "_sheet": ["隐患"] * 3,
            "_row": [2, 3, 4],
            "found": pd.to_datetime(["2023-01-05", None, "2022-12-31"]),
            "level": ["重大", "一般", None],
        }
    )
    forget_rows()
    try:
        # rows not made yet, one of them twice, before the rest: each gets its own values
        some = source_rows(frame.iloc[[2, 2, 1]], "hazards", ["found", "level", "fixed"])
        assert some[0] is some[1] and some[0].row == 4 and some[2].row == 3
        assert some[0].values["发现日期"] == "2022-12-31" and some[2].values["等级"] == "一般"
        # then all three: the two made are reused, the new one (row 2) read from its own line
        first = source_rows(frame, "hazards", ["found", "level", "fixed"])
        assert first[2] is some[0] and first[1] is some[2]
        assert [(s.file, s.sheet, s.row, s.ledger) for s in first] == [
            ("隐患.xlsx", "隐患", 2, "隐患"),
            ("隐患.xlsx", "隐患", 3, "隐患"),
            ("隐患.xlsx", "隐患", 4, "隐患"),
        ]
        # a date as its ISO text, a blank date or text None, a field the frame lacks None
        assert first[0].values == {"发现日期": "2023-01-05", "等级": "重大", "整改完成日期": None}
        assert first[1].values == {"发现日期": None, "等级": "一般", "整改完成日期": None}
        assert first[2].values["发现日期"] == "2022-12-31" and first[2].values["等级"] is None
        # the same places again (a subset, another order, one twice): the very same rows
        again = source_rows(frame.iloc[[2, 0, 2]], "hazards", ["found", "level", "fixed"])
        assert [id(s) for s in again] == [id(first[2]), id(first[0]), id(first[2])]
        # other fields are other rows
        other = source_rows(frame.iloc[[0]], "hazards", ["level"])
        assert other[0] is not first[0] and other[0].values == {"等级": "重大"}
    finally:
        forget_rows()


def test_coverage_skips_only_the_first_cell_of_a_row_also_inside_markup():
    """A row's first ``td`` (序号 / label) is not counted, also when its number sits in a
    ``<span>`` or follows whitespace or a comment; a ``th`` first in its row is counted, and so
    is a later ``td``, and a ``td`` after a row-header ``th``. Hand count: 7 (the th's 11, then
    22, 33, 44, 55, 66 and 77); not 1, 2, 3 (first cells)."""
    html = (
        "<main><table><tbody>"
        "<tr>\n<td><span>1</span></td>\n<td>22</td></tr>"
        "<tr><!-- c --><td>2</td><td><b>33</b></td><td>44</td></tr>"
        "<tr><th>11</th><td>55</td></tr>"
        "<tr><td> 3 </td><td><span><i>66</i></span></td></tr>"
        "</tbody></table><p>共77项</p></main>"
    )
    assert provenance.coverage(html, [])["numbers_in_report"] == 7
