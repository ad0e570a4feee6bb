"""The report assembled in the outline's order from chapter blocks, plan tasks and notes."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
from nbformat import v4

from planeval.data.pack import DataPack
from planeval.outline import parse_outline
from planeval.periods import Period
from planeval.report import stitch
from planeval.report.assemble import assemble, headings, split_blocks
from planeval.report.chapters import ChapterResult
from planeval.report.display import block_marker_html

MID = Period.parse("midterm")


def _out(html: str):
    return v4.new_output("display_data", data={"text/html": html})


def _nb(path: Path, *outputs_per_cell: list[str]) -> str:
    nb = v4.new_notebook()
    for outs in outputs_per_cell:
        c = v4.new_code_cell(source="x")
        c.outputs = [_out(h) for h in outs]
        nb.cells.append(c)
    nbformat.write(nb, path)
    return str(path)


def _result(tmp_path: Path, cid: str, *cells: list[str], ok: bool = True) -> ChapterResult:
    r = ChapterResult(
        id=cid, file=f"{cid}.ipynb", title=cid, stage=1, status="ok" if ok else "failed"
    )
    if ok:
        r.executed = _nb(tmp_path / f"{cid}.ipynb", *cells)
    else:
        r.error = "KeyError: x"
    return r


def _assemble(results, pack, outline=None):
    return assemble(
        results,
        pack=pack,
        period=MID,
        county="测试县",
        outline=outline,
        read_cells=lambda r: stitch._report_cells(nbformat.read(r.executed, as_version=4)),
        marker=stitch.chapter_marker,
        failure=lambda r: stitch.failure_html(r.title, r.error, r.file),
    )


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["T1", "T2", "T3"],
            "section": ["system.command", "system.command", "risk.sectors.消防"],
            "task": ["建设县应急指挥中心", "推进安委办实体化运行", "建立消地联合监管机制"],
            "lead": ["县应急管理局", "县安委办", "县消防救援大队"],
            "deadline": pd.to_datetime(["2024-12-31", "2023-06-30", None]),
            "status": ["序时推进", "序时推进", "已完成"],
            "progress_note": ["主体完工", None, "已建立"],
        }
    )


def test_split_blocks_cuts_at_markers_output_by_output():
    c = v4.new_code_cell(source="")
    c.outputs = [
        _out("<p>总表</p>"),
        _out(block_marker_html("risk.sector:工贸行业")),
        _out("<p>工贸</p>"),
        _out('<div class="method-note">口径</div>'),
        _out(block_marker_html("risk.sector:消防")),
        _out("<p>消防</p>"),
    ]
    blocks, method = split_blocks([c], "risk")
    assert list(blocks) == ["risk", "risk.sector:工贸行业", "risk.sector:消防"]
    assert [o["data"]["text/html"] for o in blocks["risk.sector:工贸行业"][0].outputs] == [
        "<p>工贸</p>"
    ]
    assert len(method) == 1


def test_sections_in_outline_order_with_tasks_notes_and_blocks(tmp_path):
    pack = DataPack(
        root=tmp_path,
        frames={"tasks": _tasks()},
        notes={
            "system.leadership": "县委常委会{{ period }}专题研究应急管理工作4次。",
            "risk": "这是风险章节自己的说明（由章节显示）。",
        },
    )
    results = [
        _result(tmp_path, "indicators", ["<p>指标表</p>"]),
        _result(
            tmp_path,
            "risk",
            ["<p>风险总表</p>", block_marker_html("risk.sector:消防"), "<p>消防检查</p>"],
            ['<div class="method-note">风险口径</div>'],
        ),
        _result(tmp_path, "problems", ok=False),
    ]
    nb = _assemble(results, pack)
    assert headings(nb) == [
        "总体评价",  # tasks.summary: all tasks counted
        "一、规划实施总体进展情况",
        "（一）主要指标进展",
        "（二）重大战略任务进展",
        "1. 加强应急管理体系建设",
        "（1）坚持党的集中领导",  # a note only
        "（2）健全应急管理指挥体制",  # two tasks only
        "2. 提升风险管控能力",
        "（1）重点行业领域安全治理",  # items 1–4 have nothing: numbers close up
        "①消防",
        "二、存在的主要问题",  # the failed chapter's placeholder
    ]
    text = "".join(o["data"]["text/html"] for c in nb.cells for o in c.outputs)
    assert "县委常委会2021年至2023年上半年专题研究应急管理工作4次。" in text
    assert (
        "规划确定的2项重点任务中，已完成0项、序时推进2项、滞后0项；其中1项已过完成时限尚未完成。"
        in text
    )
    assert "牵头单位：县安委办" in text
    assert "2021年至2023年上半年，规划确定的3项重点任务中，已完成1项、序时推进2项" in text
    assert "这是风险章节自己的说明" not in text  # the risk chapter shows its own note
    assert "本章生成失败：KeyError: x" in text
    # order: the 消防 block, then its task, inside ①消防
    i_fire = text.index("消防检查")
    assert text.index("①消防") < i_fire < text.index("建立消地联合监管机制")
    # the method note is kept after the outline, after its chapter's marker
    assert text.rindex("风险口径") > text.index("二、存在的主要问题")


def test_an_other_outline_orders_the_chapters(tmp_path):
    ol = parse_outline(
        {
            "sections": [
                {"id": "a", "title": "风险防控", "blocks": ["risk"]},
                {"id": "b", "title": "指标", "blocks": ["indicators"]},
            ]
        }
    )
    pack = DataPack(root=tmp_path, frames={})
    results = [
        _result(tmp_path, "indicators", ["<p>指标表</p>"]),
        _result(tmp_path, "risk", ["<p>风险总表</p>"]),
    ]
    nb = _assemble(results, pack, ol)
    assert headings(nb) == ["一、风险防控", "二、指标"]
    text = "".join(o["data"]["text/html"] for c in nb.cells for o in c.outputs)
    assert text.index("风险总表") < text.index("指标表")
