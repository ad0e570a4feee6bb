"""The registry of indicator formula keys.

The 指标 ledger names a formula for each indicator by key (English) or by its Chinese name; the
validator accepts only keys listed here. The functions behind each key are in ``formulas.py``.
"""

from __future__ import annotations

# key -> Chinese name (also accepted in the ledger)
FORMULA_NAMES: dict[str, str] = {
    "accident_count": "生产安全事故起数",
    "accident_deaths": "生产安全事故死亡人数",
    "major_accident_count_cum": "较大以上生产安全事故起数",
    "severe_accident_count": "重特大生产安全事故起数",
    "deaths_per_100m_gdp": "亿元生产总值生产安全事故死亡率",
    "fire_deaths_per_100k": "十万人口火灾死亡率",
    "industrial_deaths_per_100k_workers": "工矿商贸就业人员十万人生产安全事故死亡率",
    "road_deaths_per_10k_vehicles": "道路交通万车死亡率",
    "disaster_deaths_per_million": "年均每百万人口因自然灾害死亡率",
    "disaster_affected_per_100k": "年均每十万人受灾人次",
    "disaster_loss_share_gdp": "年均自然灾害直接经济损失占GDP比例",
}
FORMULA_BY_NAME: dict[str, str] = {v: k for k, v in FORMULA_NAMES.items()}


def formula_keys() -> tuple[str, ...]:
    return tuple(FORMULA_NAMES)


def resolve_formula(text: str) -> str | None:
    """The registry key for ``text`` (a key or a Chinese name), or None when unknown."""
    t = str(text).strip()
    if t in FORMULA_NAMES:
        return t
    return FORMULA_BY_NAME.get(t)
