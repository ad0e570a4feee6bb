"""The report outline as data, the plan's task ledger and their checks (hand-worked)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planeval.chapters.plantasks import assess, count_sentence, counts, late_tasks, section_text
from planeval.data.check import main as check_main
from planeval.data.load import load_pack
from planeval.data.template import write_ledgers
from planeval.outline import (
    BLOCKS,
    OutlineError,
    default_outline,
    describe,
    parse_outline,
    read_outline,
)
from planeval.periods import Period

CLEAN = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"

SEED_HEADINGS = [
    "总体评价",
    "一、规划实施总体进展情况",
    "（一）主要指标进展",
    "（二）重大战略任务进展",
    "1. 加强应急管理体系建设",
    "（1）坚持党的集中领导",
    "（2）健全应急管理指挥体制",
    "（3）优化统筹联动工作机制",
    "（4）强化落实应急责任体系",
    "（5）深化综合行政执法改革",
    "2. 提升风险管控能力",
    "（1）加强风险源头预防管控",
    "（2）提高风险辨识评估水平",
    "（3）提升风险监测预警能力",
    "（4）加强重大安全风险管控",
    "（5）重点行业领域安全治理",
    "①工贸行业",
    "②危险化学品",
    "③非煤矿山",
    "④建筑施工",
    "⑤道路交通",
    "⑥消防",
    "⑦特种设备",
    "⑧城市建设和运行",
    "⑨电力",
    "⑩农业机械",
    "⑪渔业船舶",
    "3. 推进自然灾害综合治理",
    "4. 强化应急救援能力",
    "5. 提高综合保障能力",
    "6. 增强科技支撑能力",
    "7. 提升社会共治能力",
    "（三）重大工程项目进展",
    "1. “智慧应急”工程",
    "（1）智慧应急指挥中心建设工程",
    "2. 安全生产风险防控工程",
    "（1）“工业互联网+安全生产”应用项目",
    "（2）智慧工地建设项目",
    "二、存在的主要问题",
    "三、下一步工作建议",
    "四、规划调整建议",
]


def test_default_outline_is_the_seed_structure():
    ol = default_outline().expanded(
        projects=[
            ("“智慧应急”工程", ["智慧应急指挥中心建设工程"]),
            ("安全生产风险防控工程", ["“工业互联网+安全生产”应用项目", "智慧工地建设项目"]),
        ]
    )
    assert [s.heading for s in ol.walk()] == SEED_HEADINGS
    assert ol.node("risk.sectors.消防").blocks == ("risk.sector:消防",)
    assert ol.node("system").level == 4 and ol.node("system.command").level == 5


def test_numbers_close_up_over_empty_sections():
    ol = default_outline().expanded()
    keep = {"indicators", "system.command", "risk", "problems"}
    kept = ol.numbered(keep)
    assert [s.heading for s in kept.walk()] == [
        "一、规划实施总体进展情况",
        "（一）主要指标进展",
        "（二）重大战略任务进展",
        "1. 加强应急管理体系建设",
        "（1）健全应急管理指挥体制",  # (1) 坚持党的集中领导 left out: the next one is (1)
        "2. 提升风险管控能力",
        "二、存在的主要问题",
    ]


OTHER = {
    "sections": [
        {
            "id": "work",
            "title": "主要任务完成情况",
            "sections": [
                {"id": "safety", "title": "安全生产", "blocks": ["risk"]},
                {"id": "base", "title": "基层基础", "blocks": ["indicators"]},
            ],
        },
        {"id": "next", "title": "下一步打算", "blocks": ["suggestions"], "tasks": False},
    ]
}


def test_an_other_outline_gets_its_own_structure():
    ol = parse_outline(OTHER).expanded()
    assert [s.heading for s in ol.walk()] == [
        "一、主要任务完成情况",
        "（一）安全生产",
        "（二）基层基础",
        "二、下一步打算",
    ]
    assert ol.chapters() == ["risk", "indicators", "suggestions"]


def test_unknown_blocks_ids_and_keys_are_refused_with_the_valid_ones():
    bad = {
        "sections": [
            {"id": "a", "title": "甲", "blocks": ["risks"], "expand": "towns"},
            {"id": "a", "title": "乙", "colour": "red"},
            {"title": "丙"},
        ]
    }
    with pytest.raises(OutlineError) as e:
        parse_outline(bad)
    msgs = e.value.problems
    assert any("未知的计算内容 (blocks)“risks”" in m and "risk.sector" in m for m in msgs)
    assert any("未知的展开方式 (expand)“towns”" in m for m in msgs)
    assert any("编号 (id) 重复" in m for m in msgs)
    assert any("不认识的键 colour" in m for m in msgs)
    assert any("第3节：缺少编号 (id)" in m for m in msgs)


def test_describe_lists_slot_ids_and_blocks():
    text = describe(default_outline().expanded(), blocks=True)
    assert "（1）坚持党的集中领导  [system.leadership]" in text
    assert "①工贸行业  [risk.sectors.工贸行业]" in text
    for b in BLOCKS:
        assert f"  {b}  " in text


# ----------------------------------------------------------------------------- tasks
def _tasks(rows):
    cols = ["id", "section", "task", "lead", "deadline", "status"]
    df = pd.DataFrame(rows, columns=cols)
    df["deadline"] = pd.to_datetime(df["deadline"])
    df["progress_note"] = "已按计划推进"
    return df


MID = Period.parse("midterm")  # ends 2023-06-30


def test_counts_and_deadline_check():
    df = assess(
        _tasks(
            [
                ("T1", "risk", "甲", "县应急管理局", "2022-12-31", "已完成"),
                # reported on schedule but its deadline (2023-06-30, the period end) has come
                ("T2", "risk", "乙", "县住建局", "2023-06-30", "序时推进"),
                # near miss: deadline one day after the period end is not overdue
                ("T3", "risk", "丙", "县交通局", "2023-07-01", "序时推进"),
                ("T4", "risk", "丁", "县消防救援大队", None, "滞后"),
                ("T5", "system", "戊", "县委办", "2025-12-31", "未启动"),
            ]
        ),
        MID,
    )
    assert df["overdue"].tolist() == [False, True, False, False, False]
    assert df["late"].tolist() == [False, True, False, True, False]
    c = counts(df)
    assert (c.total, c.done, c.on_track, c.behind, c.not_started, c.overdue, c.late) == (
        5,
        1,
        2,
        1,
        1,
        1,
        2,
    )
    assert count_sentence(c) == (
        "规划确定的5项重点任务中，已完成1项、序时推进2项、滞后1项、未启动1项；"
        "其中1项已过完成时限尚未完成。"
    )
    assert [t["id"] for t in late_tasks(df)] == ["T2", "T4"]
    text = section_text(df, "risk", MID).markdown
    assert text.startswith("规划确定的4项重点任务中，已完成1项、序时推进2项、滞后1项；其中1项")
    assert "**乙**（牵头单位：县住建局；完成时限：2023年6月30日；序时推进，已过完成时限）" in text
    assert section_text(df, "disasters", MID) is None


def test_no_task_ledger_says_nothing():
    df = assess(None, MID)
    assert count_sentence(counts(df)) == "" and late_tasks(df) == []


def _pack_with(tmp_path, tasks: pd.DataFrame, outline: str | None = None) -> Path:
    root = tmp_path / "pack"
    root.mkdir()
    frames = dict(load_pack(CLEAN).frames)
    frames["tasks"] = tasks
    write_ledgers(root / "台账.xlsx", frames)
    if outline:
        (root / "outline.yaml").write_text(outline, encoding="utf-8")
    return root


def test_check_data_refuses_an_unknown_section_with_the_valid_ids(tmp_path, capsys):
    root = _pack_with(
        tmp_path,
        _tasks(
            [
                ("T1", "risk.sectors.消防", "甲", "县消防救援大队", "2023-12-31", "序时推进"),
                ("T2", "riks", "乙", "县应急管理局", "2024-12-31", "序时推进"),
                ("T3", "risk", "丙", "县应急管理局", "2027-12-31", "序时推进"),
            ]
        ),
    )
    assert check_main(str(root)) == 1
    out = capsys.readouterr().out
    assert "第3行" in out and "所属章节 (section)" in out and "值“riks”" in out
    assert "最接近的：risk" in out
    assert "T1" not in out  # 消防 is a sector section of the default outline


def test_check_data_warns_on_a_deadline_outside_the_plan(tmp_path, capsys):
    root = _pack_with(
        tmp_path,
        _tasks([("T1", "risk", "甲", "县应急管理局", "2027-12-31", "序时推进")]),
    )
    pk = load_pack(root)
    (w,) = [p for p in pk.summary.warnings if p.column == "完成时限 (deadline)"]
    assert "“十四五”规划期（2021—2025年）" in w.rule and w.row == 2
    assert check_main(str(root)) == 0


def test_a_pack_outline_is_checked_and_its_ids_are_the_valid_sections(tmp_path, capsys):
    outline = "sections:\n  - {id: work, title: 主要任务, blocks: [risk]}\n"
    tasks = _tasks([("T1", "risk", "甲", "县应急管理局", "2023-12-31", "序时推进")])
    root = _pack_with(tmp_path, tasks, outline)
    assert read_outline(root).ids() == ["work"]
    assert check_main(str(root)) == 1
    assert "值“risk”" in capsys.readouterr().out  # risk is no section of this outline
    (root / "outline.yaml").write_text(
        "sections:\n  - {id: work, title: 主要任务, blocks: [riskk]}\n", encoding="utf-8"
    )
    assert check_main(str(root)) == 1
    assert "outline.yaml" in (out := capsys.readouterr().out) and "“riskk”" in out


def test_unnumbered_takes_off_every_numbering_the_outline_writes_and_nothing_else():
    from planeval.outline import number_for, unnumbered

    for depth in (1, 2, 3, 4, 5):
        assert unnumbered(f"{number_for(depth, 12 if depth < 5 else 3)}提升风险管控能力") == (
            "提升风险管控能力"
        )
    # an analyst's own forms, and a title whose first character only looks like a number
    assert unnumbered("2、风险") == "风险" and unnumbered("(三)风险") == "风险"
    assert unnumbered("一网统管工程") == "一网统管工程" and unnumbered("十四五规划") == "十四五规划"
