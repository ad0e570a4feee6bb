"""A pack with its own plan and outline: the 十五五 test pack (``tests/fixtures/packs/xv``,
written by ``make_xv.py``) builds its annual 2026 report in the structure of its own
``outline.yaml``, and nothing in it names 十四五."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from planeval.report.runner import Progress, run

pytestmark = pytest.mark.slow

XV_PACK = __import__("pathlib").Path(__file__).parents[1] / "fixtures" / "packs" / "xv"
# tests/fixtures/packs/xv/outline.yaml, numbered by hand: 风险防控 before 体制改革, no 科技支撑,
# no disasters/rescue/reserves/society/projects sections; 总体评价 unnumbered.
XV_HEADINGS = [
    ("h2", "总体评价"),
    ("h2", "一、规划实施进展"),
    ("h3", "（一）主要指标完成情况"),
    ("h3", "（二）主要任务推进情况"),
    ("h4", "1. 防范化解重大安全风险"),
    ("h4", "2. 深化应急管理体制改革"),
    ("h2", "二、存在的问题"),
    ("h2", "三、工作建议"),
]


@pytest.fixture(scope="module")
def xv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xv")
    pfile = tmp / "p.yaml"
    pfile.write_text(
        "county: 新河县\norganization: 新河县应急管理局\nperiod: 2026年\n"
        f"data: {XV_PACK}\nout: {tmp / 'reports'}\nreport_date: 2027-01-20\n",
        encoding="utf-8",
    )
    res = run(pfile, formats=["html"], progress=Progress(False))
    assert res.exit_code == 0, res.message
    html = (res.target / "report.html").read_text(encoding="utf-8")
    return html, BeautifulSoup(html, "html.parser")


def test_the_packs_outline_gives_the_structure(xv):
    _, soup = xv
    assert [(h.name, h.get_text()) for h in soup.main.select(".outline")] == XV_HEADINGS
    toc = [li.get_text() for li in soup.select("nav.toc li")]
    titles = [t for _, t in XV_HEADINGS]
    body = toc[: toc.index("附件　计算口径与评价方法")]
    assert [t for t in body if t in titles] == titles  # in order, among the sub-sections


def test_the_plan_is_the_packs_15th(xv):
    html, soup = xv
    assert "十四五" not in html
    assert soup.title.get_text() == "新河县“十五五”应急管理体系及能力建设规划年度评估报告"
    overview = soup.main.select_one(".outline").find_next("p").get_text()
    assert overview.startswith(
        "2026年，新河县坚持人民至上、生命至上，统筹发展和安全，扎实推进“十五五”"
    )


def test_tasks_counted_per_section_with_the_late_one_found(xv):
    _, soup = xv
    # make_xv.py: system holds XV-3 (序时推进, 完成时限 2026-06-30: past it at 2026-12-31) and XV-4 (滞后).
    system = soup.main.find("h4", string="2. 深化应急管理体制改革").find_next("p").get_text()
    assert (
        system
        == "规划确定的2项重点任务中，已完成0项、序时推进1项、滞后1项；其中1项已过完成时限尚未完成。"
    )
    # The note notes/system.md fills its fields from the section's tasks.
    assert "体制改革任务由县委编办统筹，2项任务中1项滞后。" in soup.main.get_text()


def test_late_tasks_are_the_problems_and_suggestions_last_section(xv):
    _, soup = xv
    heads = [h.get_text() for h in soup.main.find_all("h3")]
    assert "（一）规划任务推进方面" in heads and "（一）加快滞后规划任务推进" in heads
