"""Hand-worked tests of the risk-governance chapter (planeval.chapters.risk).

The fixture below is small enough to check on paper; each expected number is worked out in the
comment next to the rows it comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planeval import vocab
from planeval.chapters import risk
from planeval.data.pack import DataPack
from planeval.metrics import write_metrics
from planeval.periods import Period

T = pd.Timestamp
NaT = pd.NaT


def _hazards() -> pd.DataFrame:
    # fmt: off
    rows = [
        # id, found, sector, level, mode, deadline, fixed
        ("H1", "2023-03-01", "工贸行业", "一般", "限期", "2023-03-31", "2023-03-31"),  # fixed ON deadline: on time
        ("H2", "2023-03-01", "工贸行业", "重大", "限期", "2023-03-31", "2023-04-01"),  # a day late: 逾期整改
        ("H3", "2023-03-01", "工贸行业", "重大", "限期", "2023-03-31", None),  # open, 91 days past at 06-30
        ("H4", "2023-05-01", "工贸行业", "一般", "立即", None, "2023-05-01"),  # immediate, no deadline
        ("H5", "2023-06-01", "危险化学品", "重大", "限期", "2023-06-30", None),  # open, deadline = period end
        ("H6", "2023-06-10", "危险化学品", "重大", "限期", "2023-06-20", "2023-07-05"),  # fixed after end: open, 10 days past
        ("H7", "2022-12-31", "工贸行业", "一般", "限期", "2023-01-10", "2023-01-05"),  # 2022, open at 2022-12-31
        ("H8", "2022-03-01", "工贸行业", "一般", "限期", "2022-03-10", "2022-03-05"),  # 2022H1, rectified
        ("H9", "2022-06-01", "工贸行业", "一般", "限期", "2022-07-31", "2022-07-15"),  # 2022H1 open, 2022 rectified
    ]
    # fmt: on
    df = pd.DataFrame(rows, columns=["id", "found", "sector", "level", "mode", "deadline", "fixed"])
    for c in ("found", "deadline", "fixed"):
        df[c] = pd.to_datetime(df[c])
    df["unit"] = "某单位"
    df["campaign"] = None
    return df


def _inspections() -> pd.DataFrame:
    # fmt: off
    rows = [
        # date, sector, action, documents, penalties, fines
        ("2023-02-01", "工贸行业", "A1", 2, 1, 1.5),
        ("2023-02-02", "工贸行业", "A1", 1, 0, np.nan),  # same batch A1: 次数 counted once
        ("2023-03-01", "工贸行业", None, 0, 0, np.nan),  # no batch: one inspection
        ("2023-04-01", "工贸行业", "A2", 1, 0, np.nan),
        ("2023-02-01", "危险化学品", "A1", 1, 1, 0.5),  # joint batch A1 also counts in 危化
        ("2022-05-01", "工贸行业", "B", 0, 0, np.nan),  # 2022H1
        ("2022-08-01", "工贸行业", "C", 0, 0, np.nan),  # 2022H2
    ]
    # fmt: on
    df = pd.DataFrame(rows, columns=["date", "sector", "action", "documents", "penalties", "fines"])
    df["date"] = pd.to_datetime(df["date"])
    df["unit"] = [f"单位{i}" for i in range(len(df))]
    df["kind"] = "日常"
    df["campaign"] = None
    df["hazards_found"] = 0
    df["major_hazards"] = 0
    return df


def _campaigns() -> pd.DataFrame:
    # fmt: off
    rows = [
        # spans 2022H2 and 2023H1: counted once, in the period of its start
        ("皮带机专项整治", "工贸行业", "皮带机企业", 12, 12, 30, 28, "2022-11-01", "2023-03-31"),
        ("燃气安全“百日攻坚”行动", "城市建设和运行", "餐饮门店", 300, 300, 50, 45, "2023-04-01", None),
    ]
    # fmt: on
    df = pd.DataFrame(
        rows,
        columns=[
            "campaign",
            "sector",
            "object",
            "surveyed",
            "filed",
            "hazards",
            "fixed",
            "start",
            "end",
        ],
    )
    df["start"] = pd.to_datetime(df["start"])
    df["end"] = pd.to_datetime(df["end"])
    return df


def _pack(**frames) -> DataPack:
    return DataPack(root=Path("."), frames=frames)


@pytest.fixture
def pack() -> DataPack:
    return _pack(inspections=_inspections(), hazards=_hazards(), campaigns=_campaigns())


H1_2023 = Period.parse("2023H1")


# ----------------------------------------------------------------------------- hazards
def test_overdue_rules_per_hazard():
    h = risk.hazard_flags(_hazards(), H1_2023).set_index("id")
    assert not h.loc["H1", "overdue_fixed"] and h.loc["H1", "rectified"]  # on the deadline
    assert h.loc["H2", "overdue_fixed"] and h.loc["H2", "rectified"]  # one day after
    assert h.loc["H3", "overdue_open"] and h.loc["H3", "days_past"] == 91
    assert not h.loc["H4", "overdue_fixed"]  # no deadline: not judged
    assert h.loc["H5", "open"] and not h.loc["H5", "overdue_open"]  # open ON its deadline
    assert h.loc["H6", "open"] and h.loc["H6", "overdue_open"]  # fixed after the period end
    assert set(h.index) == {"H1", "H2", "H3", "H4", "H5", "H6"}


def test_hazard_figures_2023h1():
    f = risk.hazard_figures(_hazards(), H1_2023)
    gm = f.loc["工贸行业"]
    assert gm[["found", "general", "major", "rectified"]].tolist() == [4, 2, 2, 3]
    assert gm[["rectified_immediate", "rectified_deadline", "major_rectified"]].tolist() == [
        1,
        2,
        1,
    ]
    assert gm[["open", "open_major", "overdue_open", "overdue_open_major"]].tolist() == [1, 1, 1, 1]
    assert gm["overdue_fixed"] == 1 and gm["overdue"] == 2
    assert gm["rate"] == pytest.approx(0.75) and gm["major_rate"] == pytest.approx(0.5)
    hc = f.loc["危险化学品"]
    assert hc[
        ["found", "major", "rectified", "open", "overdue_open", "overdue_fixed"]
    ].tolist() == [2, 2, 0, 2, 1, 0]
    assert hc["rate"] == 0.0  # hazards found, none rectified: a real 0 %
    # a sector with no rows: zero counts, no rate
    assert f.loc["非煤矿山", "found"] == 0 and np.isnan(f.loc["非煤矿山", "rate"])
    assert list(f.index) == list(vocab.SECTORS)


def test_hazard_cutoff_is_the_periods_end():
    # H9 (found 2022-06-01, fixed 2022-07-15) is open at 2022-06-30 but rectified within 2022.
    h1 = risk.hazard_figures(_hazards(), Period.parse("2022H1")).loc["工贸行业"]
    assert h1[["found", "rectified", "open"]].tolist() == [2, 1, 1]
    y = risk.hazard_figures(_hazards(), Period.parse("2022")).loc["工贸行业"]
    # H7 found 2022-12-31 fixed 2023-01-05: open at 2022-12-31, deadline 2023-01-10 not passed
    assert y[["found", "rectified", "open", "overdue_open"]].tolist() == [3, 2, 1, 0]


def test_open_major_age_buckets():
    a = risk.open_major_ages(_hazards(), H1_2023)
    assert list(a.index) == ["工贸行业", "危险化学品"]
    assert a.loc["工贸行业"].tolist() == [0, 0, 0, 1]  # H3: 91 days past
    assert a.loc["危险化学品"].tolist() == [1, 1, 0, 0]  # H5 未到期, H6 10 days past
    # the bucket boundaries: 30 days → ≤30, 31 → 31–90, 90 → 31–90, 91 → >90
    df = pd.DataFrame(
        {
            "id": list("abcde"),
            "found": T("2023-01-01"),
            "sector": "消防",
            "level": "重大",
            "mode": "限期",
            "deadline": pd.to_datetime(
                ["2023-05-31", "2023-05-30", "2023-04-01", "2023-03-31", None]
            ),
            "fixed": NaT,
        }
    )
    b = risk.open_major_ages(df, H1_2023)
    assert b.loc["消防"].tolist() == [1, 1, 2, 1]


# ----------------------------------------------------------------------------- inspections
def test_inspection_figures_and_batches():
    f = risk.inspection_figures(_inspections(), H1_2023)
    assert f.loc["工贸行业"].tolist() == [
        3,
        4,
        4,
        1,
        1.5,
    ]  # 次数: A1, A2, one without batch; 文书 2+1+0+1
    assert f.loc["危险化学品"].tolist() == [1, 1, 1, 1, 0.5]
    assert f.loc["电力"].tolist() == [0, 0, 0, 0, 0]
    assert risk.count_checks(pd.DataFrame({"action": ["A", "A", None, "B", " "]})) == 4


def test_checks_by_groups_counts_batches_per_group():
    """次数 per group in one pass: a 批次 once per group (A in x twice → 1; A again in y → 1
    more there), a blank or missing 批次 one each; a ledger without the column: its rows."""
    df = pd.DataFrame(
        {
            "sector": ["x", "x", "x", "y", "y", "y"],
            "q": [1, 1, 2, 1, 2, 2],
            "action": ["A", "A", None, "A", " ", "B"],
        }
    )
    assert risk.checks_by(df, [df["sector"]]).to_dict() == {"x": 2, "y": 3}
    both = risk.checks_by(df, [df["q"], df["sector"]])
    assert both.to_dict() == {(1, "x"): 1, (2, "x"): 1, (1, "y"): 1, (2, "y"): 2}
    for _, part in df.groupby("sector"):  # the same as count_checks of each group
        assert risk.checks_by(part, [part["sector"]]).iloc[0] == risk.count_checks(part)
    bare = df.drop(columns="action")
    assert risk.checks_by(bare, [bare["sector"]]).to_dict() == {"x": 3, "y": 3}


def test_quarterly_inspections():
    q = risk.quarterly_inspections(_inspections(), H1_2023)
    assert q.to_dict("records") == [
        {"quarter": "2023Q1", "checks": 3, "units": 4},
        {"quarter": "2023Q2", "checks": 1, "units": 1},
    ]
    m = risk.quarterly_inspections(_inspections(), Period.parse("midterm"))
    assert len(m) == 10 and m["units"].sum() == 7  # every quarter, zeros included


# ----------------------------------------------------------------------------- campaigns
def test_campaign_spanning_two_periods_counts_once_where_it_starts():
    c = _campaigns()
    assert risk.campaign_rows(c, Period.parse("2022H2"))["campaign"].tolist() == ["皮带机专项整治"]
    assert risk.campaign_rows(c, Period.parse("2022H2"))["ongoing"].tolist() == [True]
    h1 = risk.campaign_rows(c, H1_2023)
    assert h1["campaign"].tolist() == ["燃气安全“百日攻坚”行动"]
    assert risk.carried_over_campaigns(c, H1_2023)["campaign"].tolist() == ["皮带机专项整治"]
    mid = risk.campaign_rows(c, Period.parse("midterm"))
    assert mid["campaign"].tolist() == ["皮带机专项整治", "燃气安全“百日攻坚”行动"]  # sector order
    assert mid["ongoing"].tolist() == [False, True]
    assert risk.carried_over_campaigns(c, Period.parse("midterm")).empty
    # the year slices of the mid-term add up: 2022 has it, 2023H1 does not
    per_year = [len(risk.campaign_rows(c, sl)) for sl in Period.parse("midterm").year_slices()]
    assert per_year == [0, 1, 1]


def test_measure_words():
    assert risk.measure_word("自建房") == "栋"
    assert risk.measure_word("餐饮门店") == "户"
    assert risk.measure_word("“三合一”场所") == "处"
    assert risk.measure_word("有限空间企业") == "家"


# ----------------------------------------------------------------------------- together
def test_totals_equal_sum_of_sectors(pack):
    res = risk.summarise(pack, "midterm")
    sf = risk.summary_frame(res)
    body, tot = sf.drop(index=risk.TOTAL), sf.loc[risk.TOTAL]
    for c in sf.columns:
        if c in risk.RATE_COLS:
            continue
        assert tot[c] == pytest.approx(body[c].sum()), c
    assert tot["rate"] == pytest.approx(tot["rectified"] / tot["found"])
    # hand-worked mid-term totals: all 9 hazards found; 6 rectified by 2023-06-30 (all but H3, H5,
    # and H6 fixed after the end) → found 9, rectified 6, open 3
    assert tot[["found", "rectified", "open"]].tolist() == [9, 6, 3]
    assert tot[["checks", "units"]].tolist() == [
        6,
        7,
    ]  # 次数 工贸 A1 A2 B C + one unbatched = 5, 危化 A1 = 1
    assert list(sf.index) == [*vocab.SECTORS[:-1], risk.TOTAL]  # 其他 hidden: no data


def test_partial_year_compared_with_same_period_a_year_earlier(pack):
    res = risk.summarise(pack, "2023H1")
    assert [y.label for y in res.years] == ["2023年上半年"]
    y = res.years[0]
    assert y.partial and y.compare.label == "2022年上半年"
    assert y.compare.totals[["units", "found", "rectified"]].tolist() == [1, 2, 1]
    assert y.totals[["units", "found", "rectified"]].tolist() == [5, 6, 3]
    text = risk.summary_narrative(res).markdown
    assert (
        "2023年上半年检查生产经营单位5家次、发现隐患6项、整改率50.0%，与2022年上半年相比检查家次上升400.0%、发现隐患上升200.0%。"
        in text
    )
    mid = risk.summarise(pack, "midterm")
    assert [(y.label, y.partial) for y in mid.years] == [
        ("2021年", False),
        ("2022年", False),
        ("2023年上半年", True),
    ]
    assert mid.years[0].compare is None and mid.years[2].compare.label == "2022年上半年"


def test_sector_paragraphs(pack):
    res = risk.summarise(pack, "2023H1", county="示例县")
    secs = dict(risk.sector_sections(res))
    assert list(secs)[:2] == ["（1）工贸行业", "（2）危险化学品"] and len(secs) == 11
    gm = secs["（1）工贸行业"].markdown
    assert gm.startswith(
        "2023年上半年，工贸行业共开展执法检查3次，检查生产经营单位4家次，发现隐患4项（其中重大隐患2项），"
        "已整改3项（立即整改1项、限期整改2项），整改率75.0%，下达执法文书4份，实施行政处罚1起、罚款1.50万元。"
    )
    assert (
        "截至2023年6月30日，尚有1项隐患未整改，其中1项已超过整改期限（为重大隐患）；另有1项隐患超过整改期限后才完成整改。"
        in gm
    )
    assert "重大隐患整改率50.0%（1/2），低于全国98.4%的水平。" in gm
    assert "皮带机" not in gm  # started in 2022: not in 2023H1
    city = secs["（8）城市建设和运行"].markdown
    assert (
        "2023年4月起组织开展燃气安全“百日攻坚”行动，摸排餐饮门店300户、建立台账300户，排查隐患50处、已整改45处，尚有5处正在整改（行动仍在进行）。"
        in city
    )
    empty = secs["（3）非煤矿山"].markdown
    assert (
        empty
        == "2023年上半年，非煤矿山领域无任何执法检查、隐患、专项整治记录，需核实该领域是否存在监管空白。"
    )
    for t in secs.values():
        for bad in ("nan", "None", "{{", "X"):
            assert bad not in t.markdown


def test_missing_ledgers_say_so():
    res = risk.summarise(_pack(), "midterm")
    assert not res.any_data
    assert "没有“执法检查”“隐患”“专项整治”台账" in risk.missing_notice(res)
    assert risk.chart_found_vs_fixed(res) is None and risk.chart_quarterly(res) is None
    m = risk.metrics(res).to_json()
    assert m["totals"]["found"] is None and m["sectors"]["工贸行业"]["units"] is None
    only_h = risk.summarise(_pack(hazards=_hazards()), "2023H1")
    st = risk.summary_table(only_h)
    assert st.loc[st["行业领域"] == "合计", "检查家次"].item() == "—"
    assert st.loc[st["行业领域"] == "合计", "发现隐患"].item() == "6"
    assert st.loc[st["行业领域"] == "非煤矿山", "整改率"].item() == "—"
    gm = dict(risk.sector_sections(only_h))["（1）工贸行业"].markdown
    assert gm.startswith("2023年上半年，工贸行业发现隐患4项")
    assert "“执法检查”、“专项整治”" in risk.method_note(only_h).markdown


def test_metrics_shape(pack, tmp_path):
    res = risk.summarise(pack, "midterm")
    p = write_metrics(tmp_path, "risk", risk.metrics(res))
    m = json.loads(p.read_text(encoding="utf-8"))
    assert m["benchmark"]["major_rate"] == 0.984
    assert m["totals"]["found"] == sum(s["found"] for s in m["sectors"].values())
    assert m["sectors"]["非煤矿山"]["rate"] is None
    assert m["sectors"]["工贸行业"]["fines"] == 1.5
    assert [c["campaign"] for c in m["campaigns"]] == ["皮带机专项整治", "燃气安全“百日攻坚”行动"]
    assert m["campaign_rule"] == "start_in_period"
    assert [y["label"] for y in m["years"]] == ["2021年", "2022年", "2023年上半年"]
    assert m["years"][2]["compare"]["label"] == "2022年上半年"
    assert {b["sector"] for b in m["below_benchmark"]} == {"工贸行业", "危险化学品"}


def test_charts_render(pack):
    import matplotlib.pyplot as plt

    res = risk.summarise(pack, "midterm")
    for fn in (
        risk.chart_found_vs_fixed,
        risk.chart_rates,
        risk.chart_open_major_age,
        risk.chart_quarterly,
    ):
        fig = fn(res)
        assert fig is not None
        fig.canvas.draw()
        plt.close(fig)


def test_analyst_note_fields(pack):
    from planeval.narrative.notes import section_note

    res = risk.summarise(pack, "midterm", county="示例县")
    pk = DataPack(
        root=Path("."),
        frames={},
        notes={
            "risk": "{{ county }}共发现隐患{{ found|int }}项，工贸{{ sectors['工贸行业'].found|int }}项。"
        },
    )
    assert (
        section_note(pk, "risk", **risk.note_fields(res)).markdown
        == "示例县共发现隐患9项，工贸7项。"
    )


# ------------------------------------------------ the 98.4 % benchmark, compared as printed
def _majors(n: int, fixed: int, sector: str = "工贸行业") -> pd.DataFrame:
    """``n`` major hazards found 2023-03-01, deadline 2023-03-31; the first ``fixed`` fixed on
    2023-03-20 (on time), the rest open."""
    df = pd.DataFrame(
        {
            "id": [f"M{i}" for i in range(n)],
            "found": T("2023-03-01"),
            "sector": sector,
            "level": "重大",
            "mode": "限期",
            "deadline": T("2023-03-31"),
            "fixed": [T("2023-03-20")] * fixed + [NaT] * (n - fixed),
        }
    )
    df["unit"] = "某单位"
    df["campaign"] = None
    return df


def test_61_of_62_reaches_the_benchmark_as_printed():
    """61/62 = 98.387 % prints as 98.4 %: it *reaches* 98.4 % (the unrounded comparison said
    "98.4%…低于全国98.4%"); the findings rule agrees (one helper, pct_below)."""
    from planeval.findings.rules import _below

    res = risk.summarise(_pack(hazards=_majors(62, 61)), "2023H1")
    gm = dict(risk.sector_sections(res))["（1）工贸行业"].markdown
    assert "重大隐患整改率" not in gm  # reaching it is not notable in a sector paragraph
    assert "重大隐患整改率98.4%，达到全国98.4%的水平" in risk.summary_narrative(res).markdown
    assert risk.metrics(res).to_json()["below_benchmark"] == []
    assert not _below(61 / 62, 0.984)
    # 60/61 = 98.36 % → 98.4 % too; 59/60 = 98.33 % → 98.3 %: below
    low = risk.summarise(_pack(hazards=_majors(60, 59)), "2023H1")
    assert "重大隐患整改率98.3%（59/60），低于全国98.4%的水平。" in (
        dict(risk.sector_sections(low))["（1）工贸行业"].markdown
    )
    assert [b["sector"] for b in risk.metrics(low).to_json()["below_benchmark"]] == ["工贸行业"]
    assert _below(59 / 60, 0.984)


def test_999_of_1000_never_prints_as_100_percent():
    """999/1000 = 99.9 %; 1999/2000 = 99.95 % would round to 100.0 %: printed 99.9 %."""
    res = risk.summarise(_pack(hazards=_majors(2000, 1999)), "2023H1")
    gm = dict(risk.sector_sections(res))["（1）工贸行业"].markdown
    assert "100.0%" not in gm and "重大隐患整改率" not in gm  # reached: not repeated
    assert "重大隐患整改率99.9%" in risk.summary_narrative(res).markdown


def test_benchmark_comes_from_the_findings_thresholds():
    """risk's benchmark is findings' overdue.major_benchmark; a run's override changes both."""
    from planeval.thresholds import load_thresholds

    assert risk.BENCHMARK_MAJOR_RATE == load_thresholds()["overdue.major_benchmark"] == 0.984
    pk = _pack(hazards=_majors(62, 61))
    res = risk.summarise(pk, "2023H1", thresholds={"overdue": {"major_benchmark": 0.99}})
    assert res.benchmark == 0.99
    gm = dict(risk.sector_sections(res))["（1）工贸行业"].markdown
    assert "重大隐患整改率98.4%（61/62），低于基准99.0%的水平。" in gm
    assert "重大隐患整改率低于基准水平的有工贸行业（98.4%）" in risk.summary_narrative(res).markdown
    m = risk.metrics(res).to_json()
    assert m["benchmark"] == {
        "major_rate": 0.99,
        "label": "重大事故隐患整改率99.0%（本次评估参数“问题识别阈值”设定）",
    }
    assert "对标基准：重大事故隐患整改率99.0%（本次评估参数“问题识别阈值”设定）" in (
        risk.method_note(res).markdown
    )
    # the same override as YAML text (the notebook parameter is a string when set by hand)
    assert (
        risk.summarise(pk, "2023H1", thresholds="overdue.major_benchmark: 0.99").benchmark == 0.99
    )
    assert risk.summarise(pk, "2023H1", thresholds="").benchmark == 0.984


def test_no_same_period_comparison_before_the_ledgers_first_year():
    """2021H1 compared with 2020H1 only if the ledgers already covered 2020."""
    from pathlib import Path

    import pandas as pd

    from planeval.chapters import risk
    from planeval.data.pack import DataPack

    haz = pd.DataFrame(
        {
            "id": ["H1"],
            "found": pd.to_datetime(["2021-03-01"]),
            "sector": ["工贸行业"],
            "unit": ["甲公司"],
            "level": ["一般"],
            "mode": ["立即"],
            "deadline": pd.to_datetime([None]),
            "fixed": pd.to_datetime(["2021-03-01"]),
            "campaign": [None],
        }
    )
    pack = DataPack(root=Path("."), frames={"hazards": haz})
    res = risk.summarise(pack, "2021H1")
    assert res.years[0].partial and res.years[0].compare is None
    earlier = pd.concat([haz.assign(id="H0", found=pd.Timestamp("2020-05-01")), haz])
    res = risk.summarise(DataPack(root=Path("."), frames={"hazards": earlier}), "2021H1")
    assert res.years[0].compare is not None
    assert res.years[0].compare.label == "2020年上半年"


# ----------------------------------------------------------------------------- ledger details
def _tagged_inspections() -> pd.DataFrame:
    df = _inspections()
    df["kind"] = ["专家", "日常", "专家", "日常", "专家", "专家", "日常"]
    # rows 0, 1 (batch A1) and 3 in 2023H1 tagged 皮带机专项整治; row 5 (2022) tagged too
    df["campaign"] = [
        "皮带机专项整治",
        "皮带机专项整治",
        None,
        " 皮带机专项整治 ",
        None,
        "皮带机专项整治",
        "",
    ]
    return df


def _results() -> pd.DataFrame:
    rows = [
        ("工贸行业", "皮带机专项整治", "加装防护装置", 20, "台", "2023-02-28"),
        ("工贸行业", "皮带机专项整治", "加装防护装置", 15, "台", "2023-05-31"),  # summed: 35台
        ("工贸行业", "皮带机专项整治", "加装防护装置", 99, "台", "2022-12-31"),  # before 2023H1
        ("道路交通", None, "交通违法处理率", 86, "%", "2023-03-31"),
        ("道路交通", None, "交通违法处理率", 88.5, "%", "2023-06-30"),  # a rate: the latest
        ("道路交通", None, "交通违法处理率", 90, "%", "2023-07-31"),  # after the period
        ("工贸行业", "粉尘专项整治", "验收评价", 3, "家", "2023-04-01"),  # campaign not counted
    ]
    df = pd.DataFrame(rows, columns=["sector", "campaign", "measure", "value", "unit", "date"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_expert_units_campaign_checks_and_results_by_hand():
    ins = _tagged_inspections()
    ex = risk.expert_units(ins, H1_2023)
    # 2023H1 rows 0-4: 专家 are rows 0 (工贸), 2 (工贸), 4 (危化)
    assert ex["工贸行业"] == 2 and ex["危险化学品"] == 1 and ex["消防"] == 0
    assert risk.expert_units(None, H1_2023).isna().all()  # no ledger: unknown, not 0
    cc = risk.campaign_checks(ins, H1_2023)
    # rows 0, 1 (one batch A1) and 3 (batch A2): 2 次, 3 家次; documents 2+1+1, penalties 1, fines 1.5
    assert list(cc.index) == [("皮带机专项整治", "工贸行业")]
    row = cc.loc[("皮带机专项整治", "工贸行业")]
    assert (row["checks"], row["units"], row["documents"], row["penalties"]) == (2, 3, 4, 1)
    assert row["fines"] == pytest.approx(1.5)
    no_tags = _inspections()
    assert risk.campaign_checks(no_tags, H1_2023).empty
    rr = risk.result_rows(_results(), H1_2023)
    assert rr[["sector", "campaign", "measure", "value", "unit"]].values.tolist() == [
        ["工贸行业", "皮带机专项整治", "加装防护装置", 35.0, "台"],
        ["道路交通", "", "交通违法处理率", 88.5, "%"],
        ["工贸行业", "粉尘专项整治", "验收评价", 3.0, "家"],
    ]
    assert rr.loc[1, "as_of"] == pd.Timestamp("2023-06-30") and pd.isna(rr.loc[0, "as_of"])


def test_sector_paragraph_prints_experts_campaign_checks_and_results():
    pk = _pack(inspections=_tagged_inspections(), hazards=_hazards(), campaigns=_campaigns(),
               results=_results())  # fmt: skip
    res = risk.summarise(pk, "2023H1", county="示例县")
    secs = dict(risk.sector_sections(res))
    gm = secs["（1）工贸行业"].markdown
    assert "检查生产经营单位4家次（其中聘请专家检查2家次）" in gm
    # 皮带机专项整治 started 2022-11-01: not counted in 2023H1 (start rule), so its tagged
    # inspections are not printed with it, and its 工作成果 is one of the sector's others.
    assert "开展专项执法检查" not in gm
    assert gm.endswith(
        "其他工作成果：皮带机专项整治中加装防护装置35台；粉尘专项整治中验收评价3家。"
    )
    road = secs["（5）道路交通"].markdown
    assert road.endswith("其他工作成果：交通违法处理率88.5%（截至2023年6月30日）。")
    mid = risk.summarise(pk, "midterm", county="示例县")
    gm = dict(risk.sector_sections(mid))["（1）工贸行业"].markdown
    # In the mid-term the campaign counts: its tagged rows 0, 1, 3 and 5 (2022, batch B) give
    # 3 次, 4 家次, documents 2+1+1+0 = 4, penalties 1, fines 1.5; results 99 + 20 + 15 = 134台.
    assert (
        "2022年11月起组织开展皮带机专项整治，摸排皮带机企业12家、建立台账12家，排查隐患30处、"
        "已整改28处，尚有2处正在整改；开展专项执法检查3次、检查4家次，下达执法文书4份，"
        "实施行政处罚1起、罚款1.50万元；加装防护装置134台。其他工作成果：粉尘专项整治中验收评价3家。"
    ) in gm
