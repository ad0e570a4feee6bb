"""Hand-worked tests of chapters.society (5. 增强科技支撑和社会共治能力)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planeval.chapters import society as S
from planeval.data.pack import DataPack
from planeval.periods import Period

T = pd.Timestamp
MID = Period.parse("midterm")
OUT = pd.DataFrame(
    [
        (T("2020-12-31"), "培训", "期前", 999),  # before the period
        (T("2021-01-01"), "培训", "三项岗位", 100),
        (T("2021-06-16"), "宣传", "安全生产月", 5000),
        (T("2022-03-01"), "培训", "送教上门", 80),
        (T("2022-05-12"), "宣传", "防灾减灾日", 3000),
        (T("2022-08-01"), "志愿者", "防汛巡查", 40),
        (T("2023-05-12"), "宣传", "防灾减灾日", 4500),
        (T("2023-06-30"), "志愿者", "应急志愿服务", 25),
        (T("2023-07-01"), "培训", "期后", 999),  # after the period
    ],
    columns=["date", "type", "title", "persons"],
)


def pack(out=OUT) -> DataPack:
    frames = {"annual": pd.DataFrame(columns=["year", "measure", "value"])}
    if out is not None:
        frames["outreach"] = out
    return DataPack(root=Path("."), frames=frames)


def test_by_year_counts_and_persons():
    y = S.by_year(OUT, MID).set_index("年度")
    assert list(y.index) == ["2021年", "2022年", "2023年上半年", "合计"]
    assert y.loc["2021年", "安全培训(次)"] == 1 and y.loc["2021年", "安全培训(人次)"] == 100
    assert y.loc["2022年", "志愿服务(人次)"] == 40
    assert y.loc["2023年上半年", "安全培训(次)"] == 0
    assert y.loc["合计", "合计(次)"] == 7 and y.loc["合计", "合计(人次)"] == 12745


def test_partial_year_yoy():
    d = S.yoy(OUT, MID)
    assert d["previous_label"] == "2022年上半年"
    assert d["current"]["宣传"] == {"activities": 1, "persons": 4500}
    assert d["previous"]["宣传"] == {"activities": 1, "persons": 3000}
    assert d["previous"]["志愿者"] == {"activities": 0, "persons": 0}  # 2022-08 is after H1
    s = S.summarise(pack(), MID)
    text = str(S.narrative(s, "示例县"))
    assert "宣传覆盖人次上升50.0%" in text
    assert "培训人次由80人次" not in text and "培训人次下降100.0%" in text
    assert "志愿服务人次由0人次增至25人次" in text


def test_metrics_totals_and_volunteers():
    m = S.metrics(S.summarise(pack(), MID)).to_json()
    assert m["totals"]["培训"] == {"activities": 2, "persons": 180}
    assert m["volunteers"] == {"activities": 2, "persons": 65}
    assert m["totals"]["all"] == {"activities": 7, "persons": 12745}
    assert m["by_year"]["2023年上半年"]["志愿者"] == {"activities": 1, "persons": 25}


def test_whole_year_has_no_yoy_and_empty_ledger_gives_zeros():
    assert S.yoy(OUT, Period.parse("2022")) is None
    s = S.summarise(pack(OUT.iloc[0:0]), MID)
    m = S.metrics(s).to_json()
    assert m["totals"]["all"] == {"activities": 0, "persons": 0}
    text = str(S.narrative(s, "示例县")) + str(S.method_note(s))
    assert "nan" not in text and "None" not in text
    assert S.persons_chart(s) is not None


def test_missing_ledger():
    s = S.summarise(pack(None), MID)
    assert S.metrics(s).to_json() == {"available": False, "period": "2021年至2023年上半年"}
    assert S.persons_chart(s) is None


def test_notice():
    assert "不作统计" in S.notice(S.summarise(pack(None), MID))
    assert S.notice(S.summarise(pack(), MID)) is None


def test_display_numbers_have_separators_and_dashes():
    from planeval.chapters.window import show_numbers

    df = pd.DataFrame({"名称": ["a", "b"], "人次": [12745, 3], "率": [0.5, float("nan")]})
    out = show_numbers(df, {"率": 1})
    assert list(out["人次"]) == ["12,745", "3"]
    assert list(out["率"]) == ["0.5", "—"]
    assert list(out["名称"]) == ["a", "b"] and df["人次"].dtype.kind == "i"  # input unchanged
    y = S.year_table(S.summarise(pack(), MID))
    assert y.iloc[-1]["合计(次)"] == "7" and "合计(人次)" not in y  # unlike 人次 not added
