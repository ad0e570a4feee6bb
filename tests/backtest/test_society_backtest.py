"""Backtest of 5. 增强科技支撑和社会共治能力 on the demo county's mid-term.

Committed: ``expected/society_years.csv`` (activities and 人次 by 类型 per year slice, 合计) and
``expected/society_yoy.csv`` (2023年上半年 vs 2022年上半年 by 类型). How they were verified:
``_independent_*`` recount them from the workbook with openpyxl and plain loops over 宣传培训 by
日期, and the totals were checked to be the sums of the year rows. Rebuild with
``python tests/backtest/test_society_backtest.py`` only when the demo data change on purpose.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from _capacity_common import END, EXPECTED, SLICES, START, check, demo_pack, needs_demo, sheet

from planeval import vocab
from planeval.chapters import society
from planeval.periods import Period

pytestmark = needs_demo
ZH = society.TYPE_ZH


def summary():
    return society.summarise(demo_pack(), Period.parse("midterm"))


def chapter_yoy() -> pd.DataFrame:
    y = summary().yoy
    return pd.DataFrame(
        [
            {
                "类型": t,
                "本期(次)": y["current"][t]["activities"],
                "本期(人次)": y["current"][t]["persons"],
                "上年同期(次)": y["previous"][t]["activities"],
                "上年同期(人次)": y["previous"][t]["persons"],
            }  # fmt: skip
            for t in vocab.OUTREACH_TYPES
        ]
    )


def _count(rows, a, b, t=None):
    d = [r for r in rows if a <= r["日期"] <= b and (t is None or r["类型"] == t)]
    return len(d), sum(r["人次"] for r in d)


def _independent_years() -> pd.DataFrame:
    rows = sheet("宣传培训")
    out = []
    for label, a, b, _ in [*SLICES, ("合计", START, END, 0)]:
        row = {"年度": label}
        for t in vocab.OUTREACH_TYPES:
            row[f"{ZH[t]}(次)"], row[f"{ZH[t]}(人次)"] = _count(rows, a, b, t)
        row["合计(次)"], row["合计(人次)"] = _count(rows, a, b)
        out.append(row)
    return pd.DataFrame(out)


def _independent_yoy() -> pd.DataFrame:
    rows = sheet("宣传培训")
    cur = (datetime(2023, 1, 1), datetime(2023, 6, 30))
    prev = (datetime(2022, 1, 1), datetime(2022, 6, 30))
    out = []
    for t in vocab.OUTREACH_TYPES:
        (cn, cp), (pn, pp) = _count(rows, *cur, t), _count(rows, *prev, t)
        out.append(
            {"类型": t, "本期(次)": cn, "本期(人次)": cp, "上年同期(次)": pn, "上年同期(人次)": pp}
        )
    return pd.DataFrame(out)


def test_chapter_matches_expected_csvs():
    check(summary().years, "society_years.csv")
    check(chapter_yoy(), "society_yoy.csv")


def test_expected_csvs_match_an_independent_count():
    check(_independent_years(), "society_years.csv")
    check(_independent_yoy(), "society_yoy.csv")


def test_total_row_is_the_sum_of_the_years():
    y = summary().years.set_index("年度")
    assert (y.drop("合计").sum() == y.loc["合计"]).all()


if __name__ == "__main__":
    # Rebuilt from the independent count, never from the code under test.
    _independent_years().to_csv(EXPECTED / "society_years.csv", index=False)
    _independent_yoy().to_csv(EXPECTED / "society_yoy.csv", index=False)
