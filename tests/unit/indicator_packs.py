"""Small hand-made data packs for the indicator tests (English columns, as the loader gives)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from planeval.data.pack import DataPack


def accidents(rows: list[tuple]) -> pd.DataFrame:
    """rows: (date, sector, type, deaths, missing, serious_injuries, loss)."""
    df = pd.DataFrame(
        rows,
        columns=["date", "sector", "type", "deaths", "missing", "serious_injuries", "loss"],
    )
    df["date"] = pd.to_datetime(df["date"])
    df["id"] = [f"A{i:03d}" for i in range(len(df))]
    return df


def annual(rows: list[tuple]) -> pd.DataFrame:
    """rows: (year, measure, value) or (year, measure, value, basis_note)."""
    rows = [r if len(r) == 4 else (*r, None) for r in rows]
    return pd.DataFrame(rows, columns=["year", "measure", "value", "basis_note"])


def indicators(rows: list[dict]) -> pd.DataFrame:
    base = {
        "unit": None,
        "base_year": 2020,
        "base_value": float("nan"),
        "note": None,
        "attribute": "约束性",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def pack(**frames: pd.DataFrame) -> DataPack:
    frames.setdefault("annual", annual([]))
    frames.setdefault("indicators", indicators([]))
    return DataPack(root=Path("."), frames=frames)


def sample_pack() -> DataPack:
    """The hand-worked pack of the indicator tests.

    Accidents (ledger covers 2021–2023):
      2021-03-05 工贸行业 机械伤害   1 dead
      2021-07-10 建筑施工 高处坠落   2 dead + 1 missing = 3  → 较大 (exactly 3)
      2021-11-20 道路交通 车辆伤害   1 dead
      2022-02-01 工贸行业 物体打击   1 dead
      2022-09-15 建筑施工 坍塌       2 dead               → 一般 (2 < 3)
      2023-04-02 危险化学品 中毒和窒息 1 dead, 10 serious injuries → 较大 (injuries ≥ 10)
      2023-08-01 农业机械 车辆伤害   1 dead (after the mid-term date)
    年度汇总: 2020 accidents 5 / deaths 8; GDP 200, 250, 300 (2020–2022; 2023 missing);
    population 50, workers 20, vehicles 10 (2020–2022); fire deaths 2020 1, 2021 1 (口径说明),
    2022 0. Disasters (ledger 2021–2023): 2021 flood 10 000 affected, 1 dead + 1 missing,
    5 000 万元; 2022 hail 5 000, 0, 1 000 万元; 2023-05 flood 2 000, 0, 600 万元.
    """
    acc = accidents(
        [
            ("2021-03-05", "工贸行业", "机械伤害", 1, 0, 0, 50.0),
            ("2021-07-10", "建筑施工", "高处坠落", 2, 1, 0, 120.0),
            ("2021-11-20", "道路交通", "车辆伤害", 1, 0, 0, 10.0),
            ("2022-02-01", "工贸行业", "物体打击", 1, 0, 0, 30.0),
            ("2022-09-15", "建筑施工", "坍塌", 2, 0, 0, 80.0),
            ("2023-04-02", "危险化学品", "中毒和窒息", 1, 0, 10, 200.0),
            ("2023-08-01", "农业机械", "车辆伤害", 1, 0, 0, 5.0),
        ]
    )
    dis = pd.DataFrame(
        [
            ("暴雨过程", "暴雨洪涝", "2021-07-20", 10000, 1, 1, 5000.0),
            ("风雹过程", "风雹", "2022-06-01", 5000, 0, 0, 1000.0),
            ("暴雨过程2", "暴雨洪涝", "2023-05-10", 2000, 0, 0, 600.0),
        ],
        columns=["name", "hazard", "start", "affected", "deaths", "missing", "loss"],
    )
    dis["start"] = pd.to_datetime(dis["start"])
    ann = annual(
        [
            (2020, "生产安全事故起数", 5),
            (2020, "生产安全事故死亡人数", 8),
            (2020, "地区生产总值(亿元)", 200),
            (2021, "地区生产总值(亿元)", 250),
            (2022, "地区生产总值(亿元)", 300),
            *[(y, "常住人口(万人)", 50) for y in (2020, 2021, 2022)],
            *[(y, "工矿商贸就业人员(万人)", 20) for y in (2020, 2021, 2022)],
            *[(y, "机动车保有量(万辆)", 10) for y in (2020, 2021, 2022)],
            (2020, "火灾死亡人数", 1),
            (2021, "火灾死亡人数", 1, "2021年起火灾统计口径扩大"),
            (2022, "火灾死亡人数", 0),
        ]
    )
    return pack(accidents=acc, disasters=dis, annual=ann)


def annual_only_pack() -> DataPack:
    """Only 指标 + 年度汇总: 2020 5/8, 2021 4/6, 2022 4/6 (较大以上 0, 1), GDP 200 each year."""
    ann = annual(
        [
            (2020, "生产安全事故起数", 5),
            (2020, "生产安全事故死亡人数", 8),
            (2021, "生产安全事故起数", 4),
            (2021, "生产安全事故死亡人数", 6),
            (2021, "较大以上生产安全事故起数", 0),
            (2022, "生产安全事故起数", 4),
            (2022, "生产安全事故死亡人数", 6),
            (2022, "较大以上生产安全事故起数", 1),
            *[(y, "地区生产总值(亿元)", 200) for y in (2020, 2021, 2022)],
        ]
    )
    ind = indicators(
        [
            dict(
                code="1",
                name="生产安全事故起数",
                formula="accident_count",
                target_type="decline_pct",
                target_value=20,
                unit="起",
            ),
            dict(
                code="2",
                name="生产安全事故死亡人数",
                formula="生产安全事故死亡人数",
                target_type="decline_pct",
                target_value=25,
                unit="人",
            ),
            dict(
                code="3",
                name="较大以上生产安全事故起数",
                formula="major_accident_count_cum",
                target_type="max_count",
                target_value=0,
                unit="起",
            ),
            dict(
                code="4",
                name="亿元生产总值生产安全事故死亡率",
                formula="deaths_per_100m_gdp",
                target_type="decline_pct",
                target_value=30,
                unit=None,
            ),
        ]
    )
    return pack(annual=ann, indicators=ind)
