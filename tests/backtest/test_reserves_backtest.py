"""Backtest of 4. 提高综合保障能力 on the demo county (物资储备 snapshot at 2023-06-30).

Committed: ``expected/reserves_below.csv`` (lines below target with 缺口) and
``expected/reserves_levels.csv`` (储备点, lines, lines meeting target, 达标率 and the capped mean
保障率 per 层级). How they were verified: ``_independent_*`` recompute them from the workbook
with openpyxl and plain loops (below = 数量 < 目标数量; depots = distinct (层级, 储备点); capped
mean = mean of min(数量/目标, 1)), and by eye against the demo README: exactly 5 of 49 lines
are below target — 帐篷, 冲锋舟, 卫星电话 at county level, one town's 救生衣, one village's 沙袋.
Rebuild with ``python tests/backtest/test_reserves_backtest.py`` only when the demo data change
on purpose.
"""

from __future__ import annotations

import pandas as pd
from _capacity_common import EXPECTED, check, demo_pack, needs_demo, sheet

from planeval import vocab
from planeval.chapters import reserves
from planeval.periods import Period

pytestmark = needs_demo


def summary():
    return reserves.summarise(demo_pack(), Period.parse("midterm"))


def chapter_below() -> pd.DataFrame:
    return summary().below.round(6)


def chapter_levels() -> pd.DataFrame:
    return summary().levels.round(6)


def _independent_below() -> pd.DataFrame:
    rows = [r for r in sheet("物资储备") if r["目标数量"] and r["数量"] < r["目标数量"]]
    order = {lv: i for i, lv in enumerate(vocab.RESERVE_LEVELS)}
    rows.sort(key=lambda r: (order[r["层级"]], r["数量"] / r["目标数量"], r["物资"], r["储备点"]))
    return pd.DataFrame(
        [
            {
                "物资": r["物资"],
                "类别": r["类别"],
                "层级": r["层级"],
                "储备点": r["储备点"],
                "数量": float(r["数量"]),
                "目标": float(r["目标数量"]),
                "缺口": float(r["目标数量"] - r["数量"]),
                "单位": r["单位"],
                "保障率": r["数量"] / r["目标数量"],
            }  # fmt: skip
            for r in rows
        ]
    ).round(6)


def _independent_levels() -> pd.DataFrame:
    all_rows = sheet("物资储备")
    out = []
    for lv in [*vocab.RESERVE_LEVELS, "合计"]:
        d = all_rows if lv == "合计" else [r for r in all_rows if r["层级"] == lv]
        wt = [r for r in d if r["目标数量"]]
        met = sum(r["数量"] >= r["目标数量"] for r in wt)
        out.append(
            {
                "层级": lv,
                "储备点(个)": len({(r["层级"], r["储备点"]) for r in d}),
                "储备行数": len(d),
                "有目标行数": len(wt),
                "达标行数": met,
                "达标率": met / len(wt),
                "平均保障率": sum(min(r["数量"] / r["目标数量"], 1.0) for r in wt) / len(wt),
            }  # fmt: skip
        )
    return pd.DataFrame(out).round(6)


def test_chapter_matches_expected_csvs():
    check(chapter_below(), "reserves_below.csv")
    check(chapter_levels(), "reserves_levels.csv")


def test_expected_csvs_match_an_independent_count():
    check(_independent_below(), "reserves_below.csv")
    check(_independent_levels(), "reserves_levels.csv")


def test_story_of_the_demo_readme():
    b = chapter_below()
    assert len(b) == 5
    assert sorted(b.loc[b["层级"] == "县", "物资"]) == ["冲锋舟", "卫星电话", "帐篷"]
    assert list(b.loc[b["层级"] == "乡镇", "物资"]) == ["救生衣"]
    assert list(b.loc[b["层级"] == "村", "物资"]) == ["沙袋"]
    assert reserves.metrics(summary()).lines == 49


if __name__ == "__main__":
    # Rebuilt from the independent count, never from the code under test.
    _independent_below().to_csv(EXPECTED / "reserves_below.csv", index=False)
    _independent_levels().to_csv(EXPECTED / "reserves_levels.csv", index=False)
