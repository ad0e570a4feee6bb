"""The chapter: yearly paragraphs (grades, 同比, 持平, zero base), the overall sentence, the
annual-only pack, the metrics shape."""

from __future__ import annotations

import pytest
from indicator_packs import accidents, annual, annual_only_pack, indicators, pack, sample_pack

from planeval.indicators.accidents import accident_years, deaths_by_sector, major_accidents
from planeval.indicators.chapter import Situation, build, overall_tone
from planeval.indicators.formulas import accident_grades
from planeval.periods import Period


def paragraphs(pk, period="midterm"):
    return [n.markdown for n in build(pk, period, "示例县").paragraphs]


# ------------------------------------------------------------------ grades in the paragraph
@pytest.mark.parametrize(
    "deaths, missing, injuries, loss, grade",
    [
        (2, 0, 0, 0, "一般"),
        (3, 0, 0, 0, "较大"),
        (2, 1, 0, 0, "较大"),
        (0, 0, 9, 0, "一般"),
        (0, 0, 10, 0, "较大"),
        (0, 0, 0, 999.9, "一般"),
        (0, 0, 0, 1000.0, "较大"),
        (9, 0, 0, 0, "较大"),
        (10, 0, 0, 0, "重大"),
        (30, 0, 0, 0, "特别重大"),
    ],
)
def test_grade_boundaries(deaths, missing, injuries, loss, grade):
    df = accidents([("2022-05-01", "建筑施工", "坍塌", deaths, missing, injuries, loss)])
    assert accident_grades(df).iloc[0] == grade
    majors = major_accidents(df)
    assert (len(majors) == 1) == (grade != "一般")


def test_exactly_three_deaths_is_reported_as_major():
    ps = paragraphs(sample_pack())
    assert (
        "发生较大以上生产安全事故1起：7月10日，建筑施工领域发生一起高处坠落事故，造成3人死亡（较大事故）。"
        in ps[0]
    )
    assert "未发生较大以上生产安全事故。" in ps[1]  # 2022: the 2-death accident is 一般
    assert "造成1人死亡、10人重伤（较大事故）" in ps[2]  # 10 serious injuries


def test_year_paragraph_contents():
    ps = paragraphs(sample_pack())
    assert ps[0].startswith("2021年，全县共发生生产安全事故3起，死亡5人（含失踪1人）。")
    assert "事故主要发生在建筑施工、工贸行业等领域。" in ps[0]  # 3 deaths, then 1 (vocab order)
    assert "与2020年相比，事故起数下降40.0%，死亡人数下降37.5%。" in ps[0]  # 5→3, 8→5
    assert "与2021年相比，事故起数下降33.3%，死亡人数下降40.0%。" in ps[1]


def test_half_year_compares_same_period_a_year_earlier():
    ps = paragraphs(sample_pack())
    # 2023H1: 1 accident / 1 death; 2022H1: 1 accident (02-01) / 1 death → 持平, not vs a whole year
    assert ps[2].startswith("2023年上半年，全县共发生生产安全事故1起，死亡1人。")
    assert "与上年同期（2022年上半年）相比，事故起数持平，死亡人数持平。" in ps[2]
    assert "下降0" not in ps[2]


def test_zero_base_change_is_worded_without_percentage():
    acc = accidents(
        [
            ("2022-03-01", "工贸行业", "机械伤害", 1, 0, 0, 10.0),
            ("2022-04-01", "电力", "触电", 1, 0, 0, 10.0),
        ]
    )
    pk = pack(
        accidents=acc,
        annual=annual([(2021, "生产安全事故起数", 0), (2021, "生产安全事故死亡人数", 0)]),
    )
    (p,) = paragraphs(pk, "2022")
    assert "与2021年相比，事故起数由0起增至2起，死亡人数由0人增至2人。" in p
    assert "事故主要发生在工贸行业、电力等领域。" in p


def test_statistical_break_stops_year_on_year_change():
    acc = accidents([("2022-03-01", "工贸行业", "机械伤害", 1, 0, 0, 10.0)])
    ann = annual(
        [
            (2021, "生产安全事故起数", 3),
            (2021, "生产安全事故死亡人数", 3),
            (2022, "生产安全事故起数", 1, "2022年起统计范围调整"),
        ]
    )
    pk = pack(accidents=acc, annual=ann)
    (p,) = paragraphs(pk, "2022")
    assert "事故起数不作比较（2022年统计口径调整" in p
    assert "%" not in p.split("相比")[1].split("死亡人数")[0]


def test_no_accident_year():
    acc = accidents(
        [
            ("2021-03-01", "工贸行业", "机械伤害", 1, 0, 0, 10.0),
            ("2023-03-01", "工贸行业", "机械伤害", 1, 0, 0, 10.0),
        ]
    )
    (p2022,) = paragraphs(pack(accidents=acc), "2022")  # ledger covers 2021–2023: 2022 had none
    assert p2022.startswith("2022年，全县共发生生产安全事故0起，死亡0人。")
    assert "事故起数由1起降至" not in p2022 and "下降100.0%" in p2022
    assert "主要发生在" not in p2022


def test_deaths_by_sector_empty_and_order():
    assert deaths_by_sector(accidents([])).empty
    g = deaths_by_sector(sample_pack().accidents)
    assert list(g["sector"])[:2] == ["建筑施工", "工贸行业"]  # 5 deaths, 2 deaths


# ------------------------------------------------------------------ overall sentence
def _sit(**kw):
    base = dict(
        base_year=2020,
        base_count=5,
        base_deaths=8,
        latest_basis="",
        latest_count=4,
        latest_deaths=6,
        majors=(),
        major_count=0,
        lagging=(),
    )
    return Situation(**{**base, **kw})


def test_overall_tone_rule():
    assert overall_tone(_sit()) == "improving"
    assert overall_tone(_sit(major_count=1)) == "stable"
    assert overall_tone(_sit(lagging=("x",))) == "stable"
    assert overall_tone(_sit(latest_deaths=8)) == "stable"
    assert overall_tone(_sit(latest_deaths=9)) == "severe"
    assert overall_tone(_sit(major_count=None)) == "stable"
    # nothing supports a judgement without base-year or latest deaths
    assert overall_tone(_sit(latest_deaths=None)) == "unknown"
    assert overall_tone(_sit(base_deaths=None)) == "unknown"


def test_overall_sentence_from_figures():
    pk = sample_pack()
    pk.frames["indicators"] = indicators(
        [
            dict(
                code="1",
                name="生产安全事故死亡人数",
                formula="accident_deaths",
                target_type="decline_pct",
                target_value=20,
            )
        ]
    )
    ch = build(pk, "midterm", "示例县")
    text = ch.overall.markdown
    assert "呈现出“总体保持稳定、形势依然严峻”的态势" in text  # two 较大 accidents
    assert "全县累计发生生产安全事故6起、死亡9人，其中较大以上生产安全事故2起。" in text
    # the latest complete year, with the half year 同比 beside it (never the rolling 12 months)
    assert "2022年全县事故死亡3人，较基期2020年（8人）下降62.5%；" in text
    assert "2023年上半年死亡1人，较上年同期（2022年上半年，1人）持平。" in text
    assert "近12个月" not in text
    assert "超额完成1项" in text


# ------------------------------------------------------------------ annual-only pack
def test_annual_only_pack_table_and_paragraphs():
    ch = build(annual_only_pack(), "midterm", "某县")
    t = ch.table.set_index("指标")
    assert list(ch.table.columns) == [
        "序号",
        "指标",
        "单位",
        "属性",
        "基期值",
        "目标值",
        "2021年",
        "2022年",
        "2023年上半年",
        "现状值",
        "完成进度",
        "时序进度",
        "评价",
    ]
    assert t.loc["生产安全事故起数", "2021年"] == "4"
    assert t.loc["生产安全事故起数", "2023年上半年"] == "—"
    assert (
        t.loc["生产安全事故起数", "现状值"] == "4"
    )  # latest whole year (2022), never the half year
    assert t.loc["亿元生产总值生产安全事故死亡率", "完成进度"] == "83.3%"  # (0.04−0.03)/(0.012)
    assert t.loc["较大以上生产安全事故起数", "评价"] == "难以完成"  # 1 > 0 even without 2023H1
    assert "取自年度汇总" in ch.table_note
    ps = [n.markdown for n in ch.paragraphs]
    assert ps[0] == (
        "2021年，全县共发生生产安全事故4起，死亡6人。与2020年相比，事故起数下降20.0%，"
        "死亡人数下降25.0%。未发生较大以上生产安全事故。（本时段数据取自年度汇总，未分行业领域。）"
    )
    assert "发生较大以上生产安全事故1起。" in ps[1] and "持平" in ps[1]
    assert "未作评价" in ps[2]
    assert ch.accidents is None and ch.by_sector is None


def test_annual_only_cumulative_not_exceeded_is_not_judged():
    pk = annual_only_pack()
    a = pk.annual
    a = a.assign(value=a["value"].where(a["measure"] != "较大以上生产安全事故起数", 0))
    ch = build(pack(annual=a, indicators=pk.indicators), "midterm")
    pr = ch.progress[2]
    assert pr.current == 0 and pr.verdict == "无法评价" and "2023年上半年无数据" in pr.reason


# ------------------------------------------------------------------ metrics
def test_metrics_shape():
    pk = sample_pack()
    pk.frames["indicators"] = indicators(
        [
            dict(
                code="2",
                name="生产安全事故死亡人数",
                formula="accident_deaths",
                target_type="decline_pct",
                target_value=20,
            ),
            dict(
                code="3",
                name="较大以上生产安全事故起数",
                formula="major_accident_count_cum",
                target_type="max_count",
                target_value=0,
            ),
        ]
    )
    m = build(pk, "midterm").metrics.to_json()
    d = m["indicators"][0]
    for k in (
        "code",
        "name",
        "verdict",
        "completion",
        "time_share",
        "annual_change_needed",
        "best_annual_change_so_far",
        "current_value",
        "target_value",
    ):
        assert k in d
    assert d["target_value"] == 6  # 6.4 → ≤6: a count target is the count to reach
    assert d["current_value"] == 3 and d["base_value"] == 8
    assert not {"current", "target", "base"} & set(d)  # no alias keys
    assert m["indicators"][1]["verdict"] == "难以完成"
    assert [a["date"] for a in m["major_accidents"]] == ["2021-07-10", "2023-04-02"]
    assert m["major_accidents"][0]["deaths"] == 3 and m["major_accidents"][0]["grade"] == "较大"
    assert m["period"]["end"] == "2023-06-30" and m["time_share"] == 0.5
    assert m["accidents"] == {"count": 6, "deaths": 9}


def test_accident_years_sources():
    ys = accident_years(sample_pack(), Period.parse("midterm"))
    assert [y.source for y in ys] == ["生产安全事故台账"] * 3
    assert [y.count_cmp.kind for y in ys] == ["上年", "上年", "同比"]


def test_final_wording_in_method_note_and_overall_sentence():
    """The demo county at the final evaluation: the table, the opening count and the method
    note use the final words; the mid-term note states the rule without applying it."""
    from planeval import load_pack
    from planeval.paths import DEMO_DATA_DIR

    demo = load_pack(DEMO_DATA_DIR)
    fin = build(demo, "final")
    assert set(fin.table["评价"]) <= {"超额完成", "已完成", "基本完成", "未完成", "无法评价"}
    assert "未完成" in set(fin.table["评价"])
    overall = fin.overall.markdown
    assert "难以完成" not in overall and "达到预期" not in overall and "未完成" in overall
    note = fin.method.markdown
    assert "“达到预期”表述为“已完成”" in note and "“难以完成”表述为“未完成”" in note
    assert "本次评估适用此表述" in note
    assert "表1记为“已达目标”（生产安全事故起数200.0%" in note  # (5 − 3)/(5 − ≤4)
    mid = build(demo, "midterm")
    assert "难以完成" in set(mid.table["评价"])
    assert "“难以完成”表述为“未完成”" in mid.method.markdown
    assert "本次评估适用此表述" not in mid.method.markdown
    m = fin.metrics.to_json()
    rows = m["indicators"] if isinstance(m["indicators"], list) else list(m["indicators"].values())
    assert {r["verdict"] for r in rows} & {"难以完成"}  # the rule word stays for the findings
    assert {r["verdict_text"] for r in rows} & {"未完成"}
