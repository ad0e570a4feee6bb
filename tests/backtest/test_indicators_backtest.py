"""Backtest: the demo pack's mid-term indicator table equals the committed, hand-checked CSV.

The hand calculation of every cell is in ``expected/indicators_midterm.md``; the key unrounded
figures are asserted again below so a formatting change cannot hide a wrong number.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import planeval
from planeval.indicators.chapter import build
from planeval.paths import DEMO_DATA_DIR

EXPECTED = Path(__file__).parent / "expected" / "indicators_midterm.csv"

# code -> (current, completion or None, verdict), worked out by hand (see the .md)
HAND = {
    "1": (4, (5 - 4) / (5 - 4), "达到预期"),  # 2022; 4.5 → ≤4
    "2": (6, (6 - 6) / (6 - 5), "滞后"),  # 2022 equals the base; 5.1 → ≤5
    "3": (1, None, "难以完成"),
    "4": (6 / 390.1, (6 / 356.3 - 6 / 390.1) / (6 / 356.3 * 0.33), "滞后"),
    "5": (0.2 / 2.5, None, "超额完成"),
    "6": (50 / 8.6, (4.71 - 50 / 8.6) / (4.71 * 0.2), "滞后"),  # worse than base, within reach
    "7": (300 / 50.1 / 2.5, None, "难以完成"),
    "8": ((821200 / 50.1 + 6400 + 213000 / 49.9) / 2.5, None, "达到预期"),
    "9": ((17030 / 375.4 / 100 + 4230 / 390.1 / 100 + 2350 / 409.2 / 100) / 2.5, None, "超额完成"),
}


@pytest.fixture(scope="module")
def chapter():
    return build(planeval.load_pack(DEMO_DATA_DIR), "midterm", "示例县")


def test_table_matches_expected_csv(chapter):
    expected = pd.read_csv(EXPECTED, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(chapter.table.reset_index(drop=True), expected)


@pytest.mark.parametrize("code", sorted(HAND))
def test_unrounded_figures_match_hand_calculation(chapter, code):
    pr = next(p for p in chapter.progress if p.code == code)
    current, completion, verdict = HAND[code]
    assert pr.current == pytest.approx(current, rel=1e-9)
    if completion is None:
        assert pr.completion is None
    else:
        assert pr.completion == pytest.approx(completion, rel=1e-9)
    assert pr.verdict == verdict


def test_demo_paragraphs_and_major_accident(chapter):
    ps = [n.markdown for n in chapter.paragraphs]
    assert "与2021年相比，事故起数持平，死亡人数上升20.0%。" in ps[1]
    assert "7月14日，工贸行业发生一起中毒和窒息事故，造成3人死亡、2人重伤（较大事故）" in ps[1]
    assert "与上年同期（2022年上半年）相比，事故起数下降50.0%，死亡人数下降50.0%。" in ps[2]
    assert chapter.tone == "stable"
    assert [m.id for m in chapter.metrics.major_accidents] == ["SG2022-03"]
    assert "火灾统计口径调整" in chapter.table_note
