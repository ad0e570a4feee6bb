"""Backtest of the risk chapter on the demo county's mid-term (2021-01-01..2023-06-30).

``expected/risk_summary.csv`` (the summary table: 11 sectors + 合计) and
``expected/risk_campaigns.csv`` are committed. How they were verified: ``_independent_*`` below
recompute them straight from the demo workbook with openpyxl and plain Python loops over the
rows (no pandas, no planeval code, no DataPack): a counter per sector for every figure, with the
rules written out again by hand (batches = a set of (sector, 检查批次); rectified = 整改完成日期
≤ 2023-06-30; overdue open = open and 整改期限 < 2023-06-30; campaigns = 开始日期 in the
period). Both the chapter's figures and that independent count must equal the CSV; spot checks
by eye against the demo README's story: 渔业船舶 has no rows (rate “—”), 城市建设和运行 lags
(整改率 ≈ 91.7 %), six open major hazards in 城市建设和运行 of which two > 90 days overdue.
If the demo data are regenerated on purpose, rebuild the CSVs with ``python -m`` this file's
``_write_expected`` and check the diff.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import pandas as pd
import pytest
from _capacity_common import EXPECTED, needs_demo, sheet

from planeval import vocab
from planeval.paths import DEMO_DATA_DIR

START, END = datetime(2021, 1, 1), datetime(2023, 6, 30)
SUMMARY_COLS = [
    "checks", "units", "found", "major", "rectified", "rate", "major_rate",
    "open", "overdue_open", "documents", "penalties", "fines",
]  # fmt: skip

pytestmark = needs_demo


def _independent_summary() -> pd.DataFrame:
    n = defaultdict(lambda: defaultdict(float))
    batches = defaultdict(set)
    for r in sheet("执法检查"):
        if START <= r["日期"] <= END:
            s = r["行业领域"]
            n[s]["units"] += 1
            if r["检查批次"]:
                batches[s].add(r["检查批次"])
            else:
                n[s]["checks"] += 1
            n[s]["documents"] += r["执法文书"] or 0
            n[s]["penalties"] += r["行政处罚"] or 0
            n[s]["fines"] += r["罚款(万元)"] or 0
    for s, b in batches.items():
        n[s]["checks"] += len(b)
    for r in sheet("隐患"):
        if not START <= r["发现日期"] <= END:
            continue
        s, major = r["行业领域"], r["等级"] == "重大"
        done = r["整改完成日期"] is not None and r["整改完成日期"] <= END
        n[s]["found"] += 1
        n[s]["major"] += major
        n[s]["rectified"] += done
        n[s]["major_rectified"] += done and major
        n[s]["open"] += not done
        n[s]["overdue_open"] += (not done) and r["整改期限"] is not None and r["整改期限"] < END
    rows = []
    for s in vocab.SECTORS[:-1]:
        d = n[s]
        rows.append({"sector": s, **{c: d[c] for c in SUMMARY_COLS if "rate" not in c}})
    t = {c: sum(r[c] for r in rows) for c in SUMMARY_COLS if "rate" not in c}
    rows.append({"sector": "合计", **t})
    for r, s in zip(rows, [*vocab.SECTORS[:-1], None], strict=True):
        mr = (
            sum(n[x]["major_rectified"] for x in vocab.SECTORS)
            if s is None
            else n[s]["major_rectified"]
        )
        r["rate"] = r["rectified"] / r["found"] if r["found"] else float("nan")
        r["major_rate"] = mr / r["major"] if r["major"] else float("nan")
    return pd.DataFrame(rows).set_index("sector")[SUMMARY_COLS]


def _independent_campaigns() -> pd.DataFrame:
    rows = [
        {
            "campaign": r["专项行动"], "sector": r["行业领域"], "object": r["对象类型"],
            "surveyed": r["摸排数"], "filed": r["建档数"], "hazards": r["发现隐患"],
            "fixed": r["已整改"], "start": r["开始日期"].strftime("%Y-%m-%d"),
            "ongoing": r["结束日期"] is None or r["结束日期"] > END,
        }
        for r in sheet("专项整治")
        if START <= r["开始日期"] <= END
    ]  # fmt: skip
    order = {s: i for i, s in enumerate(vocab.SECTORS)}
    rows.sort(key=lambda r: (order[r["sector"]], r["start"], r["campaign"]))
    return pd.DataFrame(rows)


def _chapter_summary() -> pd.DataFrame:
    import planeval
    from planeval.chapters import risk

    res = risk.summarise(planeval.load_pack(DEMO_DATA_DIR), "midterm")
    df = risk.summary_frame(res)
    df.index.name = "sector"
    return df.astype(float)


def _chapter_campaigns() -> pd.DataFrame:
    import planeval
    from planeval.chapters import risk

    c = risk.summarise(planeval.load_pack(DEMO_DATA_DIR), "midterm").campaigns.copy()
    c["start"] = pd.to_datetime(c["start"]).dt.strftime("%Y-%m-%d")
    return c.drop(columns="end").reset_index(drop=True)


def _read_summary() -> pd.DataFrame:
    return pd.read_csv(EXPECTED / "risk_summary.csv", index_col="sector").astype(float)


def _read_campaigns() -> pd.DataFrame:
    return pd.read_csv(EXPECTED / "risk_campaigns.csv")


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        a.reset_index(drop=False), b.reset_index(drop=False), check_dtype=False, rtol=1e-9
    )


def test_summary_table_matches_expected():
    _same(_chapter_summary(), _read_summary())


def test_expected_summary_matches_independent_count():
    _same(_independent_summary().astype(float), _read_summary())


def test_summary_totals_are_the_sum_of_sectors():
    df = _read_summary()
    body = df.drop(index="合计")
    for c in SUMMARY_COLS:
        if "rate" not in c:
            assert df.loc["合计", c] == pytest.approx(body[c].sum()), c


def test_campaigns_match_expected():
    _same(_chapter_campaigns(), _read_campaigns())
    _same(_independent_campaigns(), _read_campaigns())


def _write_expected() -> None:  # pragma: no cover - run by hand when the demo changes on purpose
    _independent_summary().to_csv(EXPECTED / "risk_summary.csv", float_format="%.10g")
    _independent_campaigns().to_csv(EXPECTED / "risk_campaigns.csv", index=False)


if __name__ == "__main__":  # pragma: no cover
    _write_expected()
