"""Backtest of the findings list on the demo county's mid-term evaluation.

The expected list (``expected/findings_midterm.csv``) was checked by hand against the story
planted in the demo data (``planeval/demo/generate.py`` header, ``data/demo/README.md``):

- 较大 accident 2022-07-14, 工贸行业, 中毒和窒息, 3 deaths → ``major-accident`` and the cumulative
  较大以上 indicator (1 against ≤ 0) 难以完成;
- 2021 flood: 3 dead/missing → 年均每百万人口因自然灾害死亡率 2.40 (≤ 1.00) 难以完成 (the
  disaster rule does not repeat it);
- the decline indicators judged on calendar 2022 (the latest complete year): deaths 6 = base 6
  (target ≤5) → 0 % → 滞后; 亿元GDP死亡率 0.01538 vs 0.01684 → 26.3 % → 滞后; 工矿商贸 rate 5.81
  vs base 4.71, target 3.77: worse than base, but the −15.9 %/yr still needed is within the
  −25.9 % achieved 2020→2021 → 滞后, not 难以完成 (all 约束性 → 高);
- open major hazards at 2023-06-30: overdue in 城市建设和运行 (3, two > 90 days), 工贸行业 (1),
  危险化学品 (1); the 消防 one is not yet due → no finding for 消防;
- 城市建设和运行 整改率 641/699 = 91.7 % < 96.6 %; every other sector ≥ 97.7 %;
- one 双盲 drill in 2.5 years (2022) → fewer than 2;
- 5 reserve lines below target (one finding);
- 城镇燃气管网老化更新改造工程 20 % done at 43.6 % elapsed → 2028-02 at its pace;
  县综合应急救援基地建设 not started, no start date.

No finding the data does not support: nothing for 消防, 道路交通 (97.7 %), drills' live share
(51 of 93 are 实战/双盲), disasters' other two rates, the late-but-finished 乡镇应急消防站建设,
or project investment.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import planeval
from planeval.findings import report, run_findings
from planeval.paths import DEMO_DATA_DIR

EXPECTED = Path(__file__).parent / "expected" / "findings_midterm.csv"

# Kinds the demo data was built to contain.
PLANTED_KINDS = {
    "major-accident",
    "indicator-unlikely",
    "sector-overdue",
    "sector-rectification",
    "drill-double-blind",
    "reserve-shortfall",
    "project-cannot-finish",
    "project-not-started",
}


@pytest.fixture(scope="module")
def result():
    pack = planeval.load_pack(DEMO_DATA_DIR)
    return run_findings(pack, "midterm")


def test_findings_list_matches_expected(result):
    got = pd.DataFrame(
        [(f.id, f.kind, f.severity, f.title) for f in result.findings],
        columns=["id", "kind", "severity", "title"],
    )
    expected = pd.read_csv(EXPECTED, dtype=str)
    pd.testing.assert_frame_equal(got, expected)
    assert result.skipped == {}


def test_every_planted_kind_found(result):
    assert {f.kind for f in result.findings} >= PLANTED_KINDS


def test_sentences_cite_the_figures(result):
    by_id = {f.id: f for f in result.findings}
    assert "641项，整改率91.7%" in by_id["sector-rectification:城市建设和运行"].sentence
    assert "其中2项逾期超过90天" in by_id["sector-overdue:城市建设和运行"].sentence
    assert "仅1次（2022年）" in by_id["drill-double-blind"].sentence
    # projected 2028-02, beyond tasks.projects.PROJECTION_HORIZON (2027-12-31): no date shown
    assert (
        "形象进度20.0%（按计划工期应达43.6%），按目前进度规划期内难以完工（计划2024年12月31日完工）"
        in by_id["project-cannot-finish:城镇燃气管网老化更新改造工程"].sentence
    )
    assert "2021年至2023年上半年年均2.40人/百万人" in by_id["indicator-unlikely:7"].sentence


def test_suppression_from_the_pack(result):
    pack = planeval.load_pack(DEMO_DATA_DIR)
    object.__setattr__(
        pack, "suppress", {"drill-double-blind": "县级双盲演练已列入2023年下半年计划"}
    )
    res = run_findings(pack, "midterm")
    assert "drill-double-blind" not in [f.id for f in res.findings]
    assert len(res.findings) == len(result.findings) - 1
    assert "县级双盲演练已列入2023年下半年计划" in report.method_note(res).markdown


def test_adjustments_and_overview(result):
    adj = report.adjustments_narrative(result, "midterm")
    heads = [h for h, _ in adj]
    assert heads == [None, "（一）指标调整", "（二）重大工程项目调整"]
    text = report.overview_narrative(result, "midterm", "示例县").markdown
    assert (
        "9项主要指标中，4项达到或基本符合时序进度要求（超额完成2项、达到预期2项），3项进展滞后，2项按现有趋势难以完成"
        in text
    )
    assert "评估共梳理出需重点关注的问题14项（突出10项、较突出4项）" in text
