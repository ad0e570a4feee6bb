"""The data pack's ledgers: sheet names, Chinese headers (and the variants analysts write),
English field names, types and value rules. This file is the single source of the pack format;
the reader, the validator, the demo generator and the README table all derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planeval import vocab


@dataclass(frozen=True)
class Field:
    """One column of a ledger.

    name: English field name used in code. zh: canonical Chinese header. aliases: other headers
    accepted for it. kind: ``str`` | ``int`` (a count, ≥ 0) | ``float`` (≥ 0 unless signed) |
    ``date`` | ``year``. required: the column must be present. nullable: blank cells allowed.
    choices: allowed values (after alias mapping). choice_zh: the Chinese name of each choice
    (choice → name), offered to analysts and accepted as a value. unique: no duplicates within
    the ledger. planned: a date set ahead (a deadline), checked against a later limit.
    """

    name: str
    zh: str
    kind: str = "str"
    aliases: tuple[str, ...] = ()
    required: bool = True
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    unique: bool = False
    signed: bool = False
    help: str = ""
    planned: bool = False  # a date planned ahead (完成时限, 计划完工日期): may lie years ahead
    choice_zh: dict[str, str] | None = field(default=None, compare=False)

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases)

    @property
    def label(self) -> str:
        """How a message names the column: ``死亡 (deaths)``."""
        return f"{self.zh} ({self.name})"


@dataclass(frozen=True)
class Ledger:
    key: str  # English key: attribute name on DataPack
    zh: str  # sheet / file name
    row_is: str  # what one row is (README)
    fields: tuple[Field, ...]
    required: bool = False  # the pack must contain it
    aliases: tuple[str, ...] = ()  # other sheet/file names accepted
    date_field: str | None = None  # the field that places a row in a period
    extra: dict = field(default_factory=dict)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases)


def F(name: str, zh: str, kind: str = "str", *aliases: str, **kw) -> Field:
    return Field(name=name, zh=zh, kind=kind, aliases=tuple(aliases), **kw)


OPT = {"required": False, "nullable": True}

LEDGERS: tuple[Ledger, ...] = (
    Ledger(
        "indicators",
        "指标",
        "规划的一项指标",
        (
            F("code", "编码", "str", "指标编码", "序号", unique=True),
            F("name", "名称", "str", "指标名称", "指标"),
            F("unit", "单位", "str", "计量单位", nullable=True),
            F(
                "formula",
                "计算公式",
                "str",
                "公式",
                "公式键",
                "formula",
                help="从下拉列表选指标的中文名",
            ),
            F("base_year", "基期年份", "year", "基期", "基准年", **OPT),
            F("base_value", "基期值", "float", "基期数值", "基准值", "2020年基期值", **OPT),
            F(
                "target_type",
                "目标类型",
                "str",
                choices=vocab.TARGET_TYPES,
                choice_zh=vocab.TARGET_TYPE_ZH,
                help="决定目标值的含义",
            ),
            F("target_value", "目标值", "float", "目标", "2025年目标值", "目标数值"),
            F("attribute", "属性", "str", "指标属性", choices=vocab.ATTRIBUTES),
            F("note", "备注", "str", "说明", **OPT),
        ),
        required=True,
    ),
    Ledger(
        "annual",
        "年度汇总",
        "某年的一项统计数（年份、项目、数值）",
        (
            F("year", "年份", "year", "年度"),
            F("measure", "项目", "str", "指标项目", "统计项目", choices=vocab.ANNUAL_MEASURES),
            F("value", "数值", "float", "值", "数据"),
            F("basis_note", "口径说明", "str", "口径", "口径变化", **OPT),
        ),
        required=True,
    ),
    Ledger(
        "accidents",
        "生产安全事故",
        "一起生产安全事故",
        (
            F("id", "编号", "str", "事故编号", unique=True),
            F("date", "发生日期", "date", "日期", "发生时间", "事故日期"),
            F("town", "乡镇", "str", "乡镇（街道）", "乡镇(街道)", "发生地", nullable=True),
            F("sector", "行业领域", "str", "行业", "领域", choices=vocab.SECTORS),
            F("type", "事故类型", "str", "事故类别", "类型", choices=vocab.ACCIDENT_TYPES),
            F("deaths", "死亡", "int", "死亡人数", "死亡(人)", "死亡（人）", "死亡人数(人)"),
            F("missing", "失踪", "int", "失踪人数", "失踪(人)", "失踪（人）", **OPT),
            F("serious_injuries", "重伤", "int", "重伤人数", "重伤(人)", "重伤（人）", **OPT),
            F(
                "loss",
                "直接经济损失(万元)",
                "float",
                "直接经济损失（万元）",
                "直接经济损失",
                "经济损失(万元)",
                **OPT,
            ),
            F("unit", "单位", "str", "事故单位", "发生单位", "事故单位名称", **OPT),
            F("summary", "简况", "str", "事故简况", "简要经过", **OPT),
            F("grade", "等级", "str", "事故等级", "事故级别", choices=vocab.GRADES, **OPT),
        ),
        date_field="date",
    ),
    Ledger(
        "fires",
        "火灾",
        "一起火灾",
        (
            F("date", "日期", "date", "起火日期", "发生日期", "起火时间"),
            F("town", "乡镇", "str", "乡镇（街道）", "乡镇(街道)", nullable=True),
            F("place", "场所类型", "str", "起火场所", "场所", nullable=True),
            F("deaths", "死亡", "int", "死亡人数", "死亡(人)", "死亡（人）"),
            F("injuries", "受伤", "int", "受伤人数", "受伤(人)", "受伤（人）", **OPT),
            F(
                "loss",
                "直接财产损失(万元)",
                "float",
                "直接财产损失（万元）",
                "直接财产损失",
                "直接经济损失(万元)",
                **OPT,
            ),
        ),
        date_field="date",
    ),
    Ledger(
        "disasters",
        "自然灾害",
        "一次自然灾害过程",
        (
            F("name", "名称", "str", "灾害名称", "过程名称"),
            F("hazard", "灾种", "str", "灾害种类", "灾害类型", choices=vocab.DISASTER_TYPES),
            F("start", "开始日期", "date", "日期", "发生日期"),
            F("affected", "受灾人次", "int", "受灾人口(人次)", "受灾人口", "受灾人数"),
            F("deaths", "死亡", "int", "死亡人数", "死亡(人)", "因灾死亡"),
            F("missing", "失踪", "int", "失踪人数", "失踪(人)", "因灾失踪", **OPT),
            F("relocated", "紧急转移安置", "int", "紧急转移安置(人次)", "紧急转移安置人次", **OPT),
            F("collapsed_rooms", "倒塌房屋(间)", "int", "倒塌房屋", "倒塌房屋（间）", **OPT),
            F(
                "crop_area",
                "农作物受灾面积(公顷)",
                "float",
                "农作物受灾面积",
                "农作物受灾面积（公顷）",
                **OPT,
            ),
            F("loss", "直接经济损失(万元)", "float", "直接经济损失（万元）", "直接经济损失"),
        ),
        date_field="start",
    ),
    Ledger(
        "inspections",
        "执法检查",
        "一次对一家单位的执法检查",
        (
            F("date", "日期", "date", "检查日期"),
            F("sector", "行业领域", "str", "行业", "领域", choices=vocab.SECTORS),
            F("unit", "被检查单位", "str", "检查单位", "单位名称", "企业名称"),
            F("kind", "检查类型", "str", "检查方式", choices=vocab.INSPECTION_TYPES),
            F("campaign", "专项行动", "str", "专项整治", **OPT),
            F("action", "检查批次", "str", "检查活动", "批次", **OPT),
            F("hazards_found", "发现隐患", "int", "发现隐患(项)", "隐患数", "发现隐患数"),
            F("major_hazards", "重大隐患", "int", "重大隐患(项)", "重大隐患数", **OPT),
            F("documents", "执法文书", "int", "执法文书(份)", "下达执法文书", **OPT),
            F("penalties", "行政处罚", "int", "行政处罚(起)", "处罚", **OPT),
            F("fines", "罚款(万元)", "float", "罚款（万元）", "罚款金额(万元)", "罚款", **OPT),
        ),
        date_field="date",
    ),
    Ledger(
        "hazards",
        "隐患",
        "一项排查发现的事故隐患",
        (
            F("id", "编号", "str", "隐患编号", unique=True),
            F("found", "发现日期", "date", "排查日期", "发现时间"),
            F("sector", "行业领域", "str", "行业", "领域", choices=vocab.SECTORS),
            F("unit", "单位", "str", "隐患单位", "企业名称", **OPT),
            F("level", "等级", "str", "隐患等级", "隐患级别", choices=vocab.HAZARD_LEVELS),
            F("mode", "整改方式", "str", "整改类型", choices=vocab.RECTIFY_MODES),
            F("deadline", "整改期限", "date", "整改时限", "限期", **OPT),
            F("fixed", "整改完成日期", "date", "整改日期", "完成整改日期", **OPT),
            F("campaign", "专项行动", "str", "专项整治", **OPT),
        ),
        date_field="found",
    ),
    Ledger(
        "campaigns",
        "专项整治",
        "一项专项整治行动在一个行业领域的结果",
        (
            F("campaign", "专项行动", "str", "专项整治", "行动名称"),
            F("sector", "行业领域", "str", "行业", "领域", choices=vocab.SECTORS),
            F("object", "对象类型", "str", "整治对象", "对象"),
            F("surveyed", "摸排数", "int", "摸排", "摸排数量"),
            F("filed", "建档数", "int", "建立台账", "建档", "建档数量"),
            F("hazards", "发现隐患", "int", "发现隐患数", "排查隐患"),
            F("fixed", "已整改", "int", "已整改数", "整改完成"),
            F("start", "开始日期", "date", "开始时间"),
            F("end", "结束日期", "date", "结束时间", **OPT),
        ),
        date_field="start",
    ),
    Ledger(
        "plans",
        "应急预案",
        "一部应急预案",
        (
            F("name", "名称", "str", "预案名称"),
            F("level", "层级", "str", "级别", choices=vocab.PLAN_LEVELS),
            F("kind", "类别", "str", "预案类别", "类型", choices=vocab.PLAN_KINDS),
            F("issued", "发布日期", "date", "印发日期", "编制日期"),
            F("revised", "修订日期", "date", "最近修订日期", **OPT),
            F("as_of", "填报时点", "date", "数据截至", "统计截至", "填报日期", **OPT),
        ),
        date_field="issued",
    ),
    Ledger(
        "drills",
        "应急演练",
        "一次应急演练",
        (
            F("name", "名称", "str", "演练名称"),
            F("date", "日期", "date", "演练日期"),
            F("level", "层级", "str", "级别", choices=vocab.PLAN_LEVELS),
            F("form", "形式", "str", "演练形式", choices=vocab.DRILL_FORMS),
            F("scenario", "科目", "str", "演练科目", "灾种", **OPT),
            F("participants", "参演人数", "int", "参演人员", "参加人数"),
        ),
        date_field="date",
    ),
    Ledger(
        "reserves",
        "物资储备",
        "一个储备点的一种物资",
        (
            F("item", "物资", "str", "物资名称", "品名"),
            F("category", "类别", "str", "物资类别"),
            F("level", "层级", "str", "级别", choices=vocab.RESERVE_LEVELS),
            F("depot", "储备点", "str", "储备库", "存放地点"),
            F("quantity", "数量", "float", "库存数量", "现有数量"),
            F("target", "目标数量", "float", "储备目标", "应储数量"),
            F("unit", "单位", "str", "计量单位", nullable=True),
            F("as_of", "填报时点", "date", "数据截至", "统计截至", "填报日期", **OPT),
        ),
    ),
    Ledger(
        "teams",
        "救援队伍",
        "一支应急救援队伍",
        (
            F("name", "名称", "str", "队伍名称"),
            F("type", "类型", "str", "队伍类型", choices=vocab.TEAM_TYPES),
            F("members", "人数", "int", "队员人数", "人员数"),
            F("established", "成立日期", "date", "组建日期", **OPT),
            F("as_of", "填报时点", "date", "数据截至", "统计截至", "填报日期", **OPT),
        ),
    ),
    Ledger(
        "projects",
        "重大工程",
        "一个规划重大工程项目",
        (
            F("name", "名称", "str", "项目名称", unique=True),
            F("category", "类别", "str", "工程类别", "所属工程"),
            F("planned_investment", "计划投资(万元)", "float", "计划投资（万元）", "计划投资"),
            F(
                "completed_investment",
                "已完成投资(万元)",
                "float",
                "已完成投资（万元）",
                "完成投资",
                "已完成投资",
            ),
            F("start", "开工日期", "date", "开工时间", **OPT),
            F(
                "planned_end",
                "计划完工日期",
                "date",
                "计划完成日期",
                "计划完工时间",
                planned=True,
            ),
            F("actual_end", "实际完工日期", "date", "完工日期", **OPT),
            F("status", "状态", "str", "项目状态", choices=vocab.PROJECT_STATUSES),
            F("progress", "进度(%)", "float", "进度（%）", "形象进度(%)", "完成进度(%)", "进度"),
            F("as_of", "填报时点", "date", "数据截至", "统计截至", "填报日期", **OPT),
        ),
    ),
    Ledger(
        "outreach",
        "宣传培训",
        "一次宣传、培训或志愿服务活动",
        (
            F("date", "日期", "date", "活动日期"),
            F("type", "类型", "str", "活动类型", choices=vocab.OUTREACH_TYPES),
            F("title", "名称", "str", "活动名称", "内容", **OPT),
            F("persons", "人次", "int", "参与人次", "人数"),
        ),
        date_field="date",
    ),
    Ledger(
        "tasks",
        "规划任务",
        "规划分解的一项重点任务及牵头单位报告的进展",
        (
            F("id", "编号", "str", "任务编号", "序号", unique=True),
            F(
                "section",
                "所属章节",
                "str",
                "章节",
                "所属章节编号",
                "章节编号",
                help="报告提纲中的章节编号（planeval outline 列出可用编号），如 risk.prevention",
            ),
            F("task", "任务", "str", "任务名称", "重点任务", "任务内容"),
            F("lead", "牵头单位", "str", "牵头部门", "责任单位"),
            F("partners", "配合单位", "str", "配合部门", "协同单位", **OPT),
            F(
                "deadline",
                "完成时限",
                "date",
                "完成时间",
                "时限",
                "完成期限",
                help="留空表示规划期内持续推进",
                planned=True,
                **OPT,
            ),
            F(
                "status",
                "状态",
                "str",
                "进展状态",
                "完成状态",
                "推进状态",
                choices=vocab.TASK_STATUSES,
                help="已完成 / 序时推进 / 滞后 / 未启动",
            ),
            F(
                "progress_note",
                "进展情况",
                "str",
                "进展",
                "工作进展",
                "推进情况",
                help="牵头单位报告的进展文字，按原文编入报告对应章节",
                **OPT,
            ),
            F("target", "量化目标", "float", "目标值", "目标", **OPT),
            F("achieved", "完成值", "float", "已完成值", "完成情况数值", **OPT),
            F("unit", "计量单位", "str", "单位", **OPT),
            F("reported", "填报日期", "date", "填报时点", "报告日期", **OPT),
        ),
    ),
    Ledger(
        "results",
        "工作成果",
        "一个行业领域或专项行动的一项成果（项目、数值、单位）",
        (
            F("sector", "行业领域", "str", "行业", "领域", choices=vocab.SECTORS),
            F("campaign", "专项行动", "str", "专项整治", "行动名称", **OPT),
            F(
                "measure",
                "项目",
                "str",
                "成果项目",
                "成果",
                "指标",
                help="成果的名称，如 安装燃气报警装置、收缴非法成品汽油、六类车辆检验率",
            ),
            F("value", "数值", "float", "值", "数量"),
            F("unit", "单位", "str", "计量单位", help="户、升、家、%", **OPT),
            F("date", "日期", "date", "截至日期", "统计日期", help="成果截至的日期（归入评估期）"),
        ),
        date_field="date",
    ),
)

LEDGER_BY_KEY: dict[str, Ledger] = {lg.key: lg for lg in LEDGERS}
LEDGER_BY_NAME: dict[str, Ledger] = {n: lg for lg in LEDGERS for n in lg.names}


def markdown_table() -> str:
    """The README's table of ledgers and their headers (a test keeps README in step)."""
    kinds = {"str": "文本", "int": "整数", "float": "数值", "date": "日期", "year": "年份"}
    lines = [
        "| 工作表 | 一行是 | 必需 | 列（英文字段名；*可选*） |",
        "|---|---|---|---|",
    ]
    for lg in LEDGERS:
        cols = []
        for f in lg.fields:
            c = f"{f.zh} (`{f.name}`, {kinds[f.kind]})"
            cols.append(f"*{c}*" if not f.required else c)
        lines.append(
            f"| {lg.zh} | {lg.row_is} | {'是' if lg.required else '否'} | {'、'.join(cols)} |"
        )
    return "\n".join(lines)
