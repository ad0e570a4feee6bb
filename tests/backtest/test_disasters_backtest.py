"""Backtest of 2. 推进自然灾害综合治理 on the demo county's mid-term (2021-01-01..2023-06-30).

``expected/disasters_years.csv`` (losses and rates per year slice) and
``expected/disasters_rates.csv`` (年均, target and verdict per rate) are committed, both written
by the independent count. ``_independent`` recomputes every figure from the demo workbook with openpyxl and
plain loops (rows by 开始日期; rates from 年度汇总 常住人口/地区生产总值 of the same year; the half
year annualised by × 0.5 in the denominator; 年均 = (r2021 + r2022 + 0.5 × r2023H1) / 2.5), and
the figures were checked by eye against the demo README's story: 2021 is the flood year with
2 deaths + 1 missing (≈ 6 per million, the only year above the target of 1, so the 年均 ≈ 2.40
misses it), 2021 受灾 ≈ 16 400 per 100 000 (> 15 000) while the 年均 stays below 15 000, losses
0.1-0.45 % of GDP. Rebuild with ``python tests/backtest/test_disasters_backtest.py`` only when
the demo data change on purpose, and check the diff.
"""

from __future__ import annotations

import pandas as pd
from _capacity_common import EXPECTED, SLICES, check, demo_pack, needs_demo, sheet

from planeval.chapters import disasters
from planeval.periods import Period

pytestmark = needs_demo
YEAR_COLS = ["events", "affected", "deaths_missing", "relocated", "collapsed_rooms", "crop_area", "loss",
             "deaths_per_million", "affected_per_100k", "loss_share_gdp_pct"]  # fmt: skip


def chapter_years() -> pd.DataFrame:
    s = disasters.summarise(demo_pack(), Period.parse("midterm"))
    y = s.years[["label", *YEAR_COLS]].rename(columns={"label": "年度"})
    return y.round(6)


def chapter_rates() -> pd.DataFrame:
    s = disasters.summarise(demo_pack(), Period.parse("midterm"))
    rows = [
        {
            "key": k,
            "average": round(r["average"], 6),
            "target": r["target"],
            "above_target": r["above_target"],
        }
        for k, r in s.rates.items()
    ]
    return pd.DataFrame(rows)


def _independent() -> tuple[pd.DataFrame, dict]:
    annual = {(r["年份"], r["项目"]): r["数值"] for r in sheet("年度汇总")}
    events = sheet("自然灾害")
    rows = []
    for label, a, b, frac in SLICES:
        ev = [e for e in events if a <= e["开始日期"] <= b]
        pop = annual[(a.year, "常住人口(万人)")]
        gdp = annual[(a.year, "地区生产总值(亿元)")]
        dm = sum(e["死亡"] + (e["失踪"] or 0) for e in ev)
        aff = sum(e["受灾人次"] for e in ev)
        loss = sum(e["直接经济损失(万元)"] for e in ev)
        rows.append(
            {
                "年度": label,
                "events": len(ev),
                "affected": aff,
                "deaths_missing": dm,
                "relocated": sum(e["紧急转移安置"] or 0 for e in ev),
                "collapsed_rooms": sum(e["倒塌房屋(间)"] or 0 for e in ev),
                "crop_area": float(sum(e["农作物受灾面积(公顷)"] or 0 for e in ev)),
                "loss": float(loss),
                "deaths_per_million": dm / (pop * 10000 * frac) * 1_000_000,
                "affected_per_100k": aff / (pop * 10000 * frac) * 100_000,
                "loss_share_gdp_pct": loss / (gdp * 10000 * frac) * 100,
            }
        )
    weights = [s[3] for s in SLICES]
    avgs = {
        k: sum(r[c] * w for r, w in zip(rows, weights, strict=True)) / sum(weights)
        for k, c in (
            ("disaster_deaths_per_million", "deaths_per_million"),
            ("disaster_affected_per_100k", "affected_per_100k"),
            ("disaster_loss_share_gdp", "loss_share_gdp_pct"),
        )
    }
    return pd.DataFrame(rows).round(6), avgs


# The national targets (domain notes): < 1 per million, < 15 000 per 100 000, < 1 % of GDP.
NATIONAL = {
    "disaster_deaths_per_million": 1.0,
    "disaster_affected_per_100k": 15000.0,
    "disaster_loss_share_gdp": 1.0,
}


def independent_rates() -> pd.DataFrame:
    """The rates file from the independent count: 年均 as above; the target is the 指标 sheet's
    目标值 when a row names the formula with 目标类型 max_value (missed when the 年均 is above
    it), else the national one (missed when the 年均 is not below it)."""
    _, avgs = _independent()
    rows = {r["计算公式"]: r for r in sheet("指标")}
    out = []
    for key, avg in avgs.items():
        row = rows.get(key)
        if row is not None and row["目标类型"] == "max_value":
            target, above = float(row["目标值"]), avg > float(row["目标值"])
        else:
            target, above = NATIONAL[key], avg >= NATIONAL[key]
        out.append({"key": key, "average": round(avg, 6), "target": target, "above_target": above})
    return pd.DataFrame(out)


def test_years_match_expected_csv():
    check(chapter_years(), "disasters_years.csv")


def test_rates_match_expected_csv():
    check(chapter_rates(), "disasters_rates.csv")


def test_expected_csvs_match_an_independent_count():
    years, _ = _independent()
    check(years, "disasters_years.csv")
    check(independent_rates(), "disasters_rates.csv")  # targets and verdicts included


def test_story_of_the_demo_readme():
    y = chapter_years().set_index("年度")
    assert y.loc["2021年", "deaths_missing"] == 3 and y.loc["2021年", "affected_per_100k"] > 15000
    r = chapter_rates().set_index("key")
    assert r.loc["disaster_deaths_per_million", "above_target"]
    assert not r.loc["disaster_affected_per_100k", "above_target"]
    assert not r.loc["disaster_loss_share_gdp", "above_target"]


if __name__ == "__main__":
    # Both files from the independent count (never from the chapter under test).
    _independent()[0].to_csv(EXPECTED / "disasters_years.csv", index=False)
    independent_rates().to_csv(EXPECTED / "disasters_rates.csv", index=False)
