"""Controlled vocabularies of the domain, in one place.

Every list an analyst's ledger is checked against lives here: sectors, accident types, grades,
inspection kinds, levels, measures. See ``../shared/domain.md`` for where each comes from.
"""

from __future__ import annotations

# The plan's years are not vocabulary: see planeval/plan.py (the pack's plan.yaml).

# The eleven key sectors of the seed report, in its order, plus a catch-all.
SECTORS: tuple[str, ...] = (
    "工贸行业",
    "危险化学品",
    "非煤矿山",
    "建筑施工",
    "道路交通",
    "消防",
    "特种设备",
    "城市建设和运行",
    "电力",
    "农业机械",
    "渔业船舶",
    "其他",
)
# Spellings analysts really use, mapped to the canonical name (reported in the load summary).
SECTOR_ALIASES: dict[str, str] = {
    "工贸": "工贸行业",
    "冶金工贸": "工贸行业",
    "危化": "危险化学品",
    "危化品": "危险化学品",
    "危险化学品行业": "危险化学品",
    "非煤矿山行业": "非煤矿山",
    "建筑": "建筑施工",
    "建筑施工行业": "建筑施工",
    "工程建设": "建筑施工",
    "交通": "道路交通",
    "道路运输": "道路交通",
    "消防行业": "消防",
    "城市建设": "城市建设和运行",
    "城市运行": "城市建设和运行",
    "城建": "城市建设和运行",
    "农机": "农业机械",
    "渔业": "渔业船舶",
    "渔船": "渔业船舶",
}
# 工矿商贸: production-safety accidents outside road traffic, fishing boats and farm machinery
# (the usual scope of 工矿商贸就业人员十万人生产安全事故死亡率).
INDUSTRIAL_SECTORS: tuple[str, ...] = (
    "工贸行业",
    "危险化学品",
    "非煤矿山",
    "建筑施工",
    "消防",
    "特种设备",
    "城市建设和运行",
    "电力",
    "其他",
)

# GB 6441-86 企业职工伤亡事故分类 (20 types).
ACCIDENT_TYPES: tuple[str, ...] = (
    "物体打击",
    "车辆伤害",
    "机械伤害",
    "起重伤害",
    "触电",
    "淹溺",
    "灼烫",
    "火灾",
    "高处坠落",
    "坍塌",
    "冒顶片帮",
    "透水",
    "放炮",
    "火药爆炸",
    "瓦斯爆炸",
    "锅炉爆炸",
    "容器爆炸",
    "其他爆炸",
    "中毒和窒息",
    "其他伤害",
)

# Accident grades, lowest first (国务院令第493号 第三条).
GRADES: tuple[str, ...] = ("一般", "较大", "重大", "特别重大")
MAJOR_OR_ABOVE: tuple[str, ...] = ("较大", "重大", "特别重大")  # 较大以上
SEVERE: tuple[str, ...] = ("重大", "特别重大")  # 重特大

INSPECTION_TYPES: tuple[str, ...] = ("日常", "专项", "双随机", "联合", "专家")
HAZARD_LEVELS: tuple[str, ...] = ("一般", "重大")
RECTIFY_MODES: tuple[str, ...] = ("立即", "限期")
PLAN_LEVELS: tuple[str, ...] = ("县", "乡镇", "村", "企业")
PLAN_KINDS: tuple[str, ...] = ("总体预案", "专项预案", "部门预案", "单位预案", "现场处置方案")
DRILL_FORMS: tuple[str, ...] = ("桌面推演", "实战", "双盲")
RESERVE_LEVELS: tuple[str, ...] = ("县", "乡镇", "村")
TEAM_TYPES: tuple[str, ...] = ("综合性消防", "专业", "社会", "企业")
OUTREACH_TYPES: tuple[str, ...] = ("培训", "宣传", "志愿者")
PROJECT_STATUSES: tuple[str, ...] = ("未开工", "在建", "已完工", "滞后")
DISASTER_TYPES: tuple[str, ...] = (
    "暴雨洪涝",
    "干旱",
    "台风",
    "风雹",
    "低温冷冻和雪灾",
    "地震",
    "地质灾害",
    "森林火灾",
    "其他",
)

TARGET_TYPES: tuple[str, ...] = ("decline_pct", "max_value", "max_count", "min_value")
# 目标类型 in the analyst's words: the template's drop-down offers these names, the 指标 sheet may
# hold either a name or its key, and the pack keeps the key (what the code compares with).
TARGET_TYPE_ZH: dict[str, str] = {
    "decline_pct": "较基期下降百分比",
    "max_value": "年均不高于",
    "max_count": "累计不超过",
    "min_value": "年均不低于",
}
# What 目标值 means for each 目标类型 (the template's 说明 sheet).
TARGET_TYPE_HELP: dict[str, str] = {
    "decline_pct": "目标值填较基期下降的百分数，如“较2020年下降15%”填 15",
    "max_value": "目标值为上限，按2021年以来各年的平均值判断，如“≤0.18”填 0.18",
    "max_count": "目标值为2021年以来的累计上限，如“较大以上事故不超过0起”填 0",
    "min_value": "目标值为下限，按2021年以来各年的平均值判断",
}
ATTRIBUTES: tuple[str, ...] = ("约束性", "预期性")

# 年度汇总 measures: denominators and yearly totals for years without an event ledger.
ANNUAL_MEASURES: tuple[str, ...] = (
    "地区生产总值(亿元)",
    "常住人口(万人)",
    "工矿商贸就业人员(万人)",
    "机动车保有量(万辆)",
    "生产安全事故起数",
    "生产安全事故死亡人数",
    "较大以上生产安全事故起数",
    "重特大生产安全事故起数",
    "工矿商贸生产安全事故死亡人数",
    "道路交通事故死亡人数",
    "火灾起数",
    "火灾死亡人数",
    "自然灾害受灾人次",
    "自然灾害死亡失踪人数",
    "自然灾害直接经济损失(万元)",
)


# --------------------------------------------------------------------------- indicator formulas
# The 指标 ledger names a formula for each indicator by key (English) or by its Chinese name; the
# validator accepts only keys listed here. The function behind each key is a FormulaSpec in
# planeval/indicators/formulas.py.
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


# 规划任务.状态: how a lead department reports a plan task (the 任务分解表's words).
TASK_STATUSES: tuple[str, ...] = ("已完成", "序时推进", "滞后", "未启动")
