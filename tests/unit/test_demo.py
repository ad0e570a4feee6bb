"""The demo county pack: regenerating gives the committed data, and the planted story is there."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from planeval import paths
from planeval.demo import generate as gen

DEMO = paths.DEMO_DATA_DIR
WORKBOOK = DEMO / gen.WORKBOOK_NAME
MID_START, MID_END = pd.Timestamp("2021-01-01"), pd.Timestamp("2023-06-30")


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gen.generate(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def sheets() -> dict[str, pd.DataFrame]:
    x = pd.read_excel(WORKBOOK, sheet_name=None, engine="calamine")
    for df in x.values():
        for c in df.columns:
            if "日期" in c or c == "整改期限":
                df[c] = pd.to_datetime(df[c])
    return x


def test_regenerated_pack_equals_committed(fresh: Path) -> None:
    assert _cells(fresh / gen.WORKBOOK_NAME) == _cells(WORKBOOK)
    committed = sorted(p.relative_to(DEMO) for p in DEMO.rglob("*") if p.is_file())
    assert sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()) == committed
    for rel in committed:
        if rel.suffix == ".md":
            assert (fresh / rel).read_text(encoding="utf-8") == (DEMO / rel).read_text(
                encoding="utf-8"
            )


def test_generation_is_byte_identical(fresh: Path, tmp_path: Path) -> None:
    again = gen.generate(tmp_path)
    assert (again / gen.WORKBOOK_NAME).read_bytes() == (fresh / gen.WORKBOOK_NAME).read_bytes()


def test_sheets_use_schema_names_and_headers() -> None:
    from planeval.data.schema import LEDGERS

    cells = _cells(WORKBOOK)
    assert list(cells) == [lg.zh for lg in LEDGERS]
    for lg in LEDGERS:
        assert list(cells[lg.zh][0]) == [f.zh for f in lg.fields]


def test_pack_loads_without_problems() -> None:
    import planeval

    pack = planeval.load_pack(DEMO)
    assert len(pack.hazards) == len(_cells(WORKBOOK)["隐患"]) - 1
    assert set(pack.notes) == {
        "risk",
        "suggestions",
        "projects",
        "system.leadership",
        "system.enforcement",
        "technology",
        "projects.智慧应急工程.县应急指挥中心信息化平台建设",
        "projects.安全生产风险防控工程.城镇燃气管网老化更新改造工程",
    }
    # every note is a section of the expanded outline (so check-data accepts it, and it shows)
    from planeval.data.plan_check import section_ids

    assert set(pack.notes) <= set(section_ids(pack))


def test_plan_tasks_as_planted() -> None:
    import planeval
    from planeval.chapters.plantasks import assess, counts, late_tasks
    from planeval.periods import Period

    pack = planeval.load_pack(DEMO)
    df = assess(pack.tasks, Period.parse("midterm"))
    c = counts(df)
    assert (c.total, c.done, c.on_track, c.behind, c.not_started, c.overdue) == (
        31,
        15,
        13,
        2,
        1,
        2,
    )
    assert [t["id"] for t in late_tasks(df)] == ["RW-04", "RW-16", "RW-20", "RW-24"]


def test_accidents_per_year(sheets: dict[str, pd.DataFrame]) -> None:
    a = sheets["生产安全事故"]
    by_year = a.groupby(a["发生日期"].dt.year)["死亡"].agg(["size", "sum"])
    got = {y: (int(r["size"]), int(r["sum"])) for y, r in by_year.iterrows()}
    assert got == {
        2019: (6, 7),
        2020: (5, 6),
        2021: (4, 5),
        2022: (4, 6),
        2023: (3, 3),
        2024: (3, 4),
        2025: (3, 3),
    }
    # 2022 has the same count as 2021 (持平); half years 2022H1 2/2, 2023H1 1/1
    h1 = a[a["发生日期"].dt.month <= 6]
    assert [len(h1[h1["发生日期"].dt.year == y]) for y in (2022, 2023)] == [2, 1]


def test_exactly_one_major_accident_in_2022(sheets: dict[str, pd.DataFrame]) -> None:
    a = sheets["生产安全事故"]
    major = a[a["等级"] != "一般"]
    assert len(major) == 1
    r = major.iloc[0]
    assert (r["发生日期"], r["死亡"], r["等级"], r["行业领域"]) == (
        pd.Timestamp("2022-07-14"),
        3,
        "较大",
        "工贸行业",
    )


def test_fire_deaths_and_statistical_break(sheets: dict[str, pd.DataFrame]) -> None:
    f = sheets["火灾"]
    deaths = f.groupby(f["日期"].dt.year)["死亡"].sum().to_dict()
    assert deaths == {2019: 1, 2020: 1, 2021: 0, 2022: 1, 2023: 0, 2024: 1, 2025: 0}
    ann = sheets["年度汇总"]
    r21 = ann[(ann["年份"] == 2021) & (ann["项目"] == "火灾起数")].iloc[0]
    assert r21["数值"] == (f["日期"].dt.year == 2021).sum()
    assert "口径" in r21["口径说明"]


def test_disaster_rates(sheets: dict[str, pd.DataFrame]) -> None:
    d = sheets["自然灾害"]
    y = d.groupby(d["开始日期"].dt.year)[["受灾人次", "死亡", "失踪"]].sum()
    per_100k = {yr: y.loc[yr, "受灾人次"] / (gen.POPULATION[yr] / 10) for yr in y.index}
    assert per_100k[2021] > 15000 > (per_100k[2021] + per_100k[2022]) / 2
    assert all(4000 < v < 20000 for v in per_100k.values())
    dead_missing = (y["死亡"] + y["失踪"]).to_dict()
    assert dead_missing[2021] == 3 and sum(dead_missing.values()) == 3


def test_inspections_and_hazards(sheets: dict[str, pd.DataFrame]) -> None:
    i, h = sheets["执法检查"], sheets["隐患"]
    per_year = h.groupby(h["发现日期"].dt.year).size()
    assert per_year.between(1400, 3000).all()
    assert 0.005 <= (h["等级"] == "重大").mean() <= 0.012
    assert h["编号"].is_unique
    # each inspection row's counts are the hazard rows it found
    assert (
        i.groupby("行业领域")["发现隐患"].sum().to_dict() == h.groupby("行业领域").size().to_dict()
    )
    assert i["重大隐患"].sum() == (h["等级"] == "重大").sum()
    # 渔业船舶: no inspection and no hazard in the mid-term period, some outside it
    mid_i = i[i["日期"].between(MID_START, MID_END)]
    mid_h = h[h["发现日期"].between(MID_START, MID_END)]
    assert "渔业船舶" not in set(mid_i["行业领域"]) | set(mid_h["行业领域"])
    assert (i["行业领域"] == "渔业船舶").sum() > 0
    assert mid_i.groupby(mid_i["日期"].dt.year).size().min() >= 300


def test_lagging_sector_and_open_major_hazards(sheets: dict[str, pd.DataFrame]) -> None:
    h = sheets["隐患"]
    mid = h[h["发现日期"].between(MID_START, MID_END)]
    fixed = mid["整改完成日期"].notna() & (mid["整改完成日期"] <= MID_END)
    rate = fixed.groupby(mid["行业领域"]).mean()
    assert 0.88 <= rate["城市建设和运行"] <= 0.93
    assert (rate.drop("城市建设和运行") >= 0.97).all()
    open_major = mid[(mid["等级"] == "重大") & ~fixed]
    overdue_days = (MID_END - open_major["整改期限"]).dt.days
    overdue_days = sorted(overdue_days[overdue_days > 0])
    assert overdue_days == [22, 36, 61, 150, 273]  # buckets <30, 30-90 (2), >90 (2)


def test_campaigns_match_tagged_hazards(sheets: dict[str, pd.DataFrame]) -> None:
    c, h = sheets["专项整治"], sheets["隐患"]
    for r in c.itertuples():
        tagged = h[h["专项行动"] == r.专项行动]
        assert r.发现隐患 == len(tagged)
        done = tagged["整改完成日期"].notna() & (tagged["整改完成日期"] <= r.结束日期)
        assert r.已整改 == done.sum()
    gas = c[c["专项行动"] == gen.GAS_CAMPAIGN].iloc[0]
    assert gas.发现隐患 - gas.已整改 == 6
    span = c[c["专项行动"].str.contains("三合一")].iloc[0]
    assert span.开始日期 < MID_END < span.结束日期


def test_drills_reserves_projects(sheets: dict[str, pd.DataFrame]) -> None:
    d = sheets["应急演练"]
    assert (d["形式"] == "双盲").sum() == 1
    r = sheets["物资储备"]
    assert (r["数量"] < r["目标数量"]).sum() == 5
    p = sheets["重大工程"].set_index("名称")
    assert p["状态"].value_counts().to_dict() == {"在建": 6, "已完工": 4, "未开工": 1}
    assert p.loc["县综合应急救援基地建设", "计划完工日期"] == pd.Timestamp("2025-12-31")
