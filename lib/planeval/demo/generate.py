"""Deterministic generator of the embedded demo county (示例县) data pack.

``planeval make-demo [OUT]`` writes ``data/demo/`` (committed): one workbook
``示例县应急管理台账.xlsx`` with one sheet per ledger (sheet names and Chinese headers from
``planeval.data.schema``), ``notes/`` with example analyst notes and a ``README.md``.
Regenerating gives identical bytes (fixed seed, fixed workbook metadata and zip timestamps).

The story planted in the data (chapter engineers: these are the features the demo is built to
show; the same list is in ``data/demo/README.md``):

Denominators (年度汇总, 2016-2025)
    常住人口 50.6 → 49.7 万人; 地区生产总值 298 → 449 亿元 (≈5 %/yr); 工矿商贸就业人员 8.2 → 8.9 万人;
    机动车保有量 15.2 → 19.8 万辆. 2016-2018 yearly totals (accidents, fires, disasters) are only in
    年度汇总; event ledgers cover 2019-01-01..2025-12-31.

Production-safety accidents (生产安全事故; counts / deaths)
    2016 8/10, 2017 7/9, 2018 7/8 (年度汇总), 2019 6/7, 2020 5/6 (base year), 2021 4/5,
    2022 4/6, 2023 3/3 (H1: 1/1), 2024 3/4, 2025 3/3. 2022 has the count of 2021 (持平) and the
    one 较大 accident: 2022-07-14, 工贸行业, 中毒和窒息 (sewage-pit cleaning), 3 deaths → the
    cumulative 较大以上 count since 2021 is 1 against a target of 0. 2022H1 2/2 vs 2023H1 1/1.
    工矿商贸 deaths (not 道路交通/农业机械/渔业船舶) 2020: 4.

Fires (火灾)
    deaths 2016 1, 2017 2, 2018 1, 2019 1, 2020 1, 2021 0, 2022 1, 2023 0, 2024 1, 2025 0 (≈0-0.2
    per 100 000 against ≤ 0.18). Fire counts roughly double from 2021: 年度汇总 carries the 2021
    火灾起数 and 火灾死亡人数 (equal to the ledger) with a 口径说明 statistical-break note.

Natural disasters (自然灾害)
    2021 is the bad flood year: 2021-07-19 暴雨洪涝 with 2 deaths + 1 missing, 受灾人次 82 120 in
    the year (≈16 400 per 100 000, above 15 000) while the 2021-2023H1 average stays below 15 000;
    the 3 dead/missing make 年均每百万人口因自然灾害死亡率 ≈ 6 in 2021, so that indicator is not
    met at mid-term and cannot be met by 2025 even with no further deaths (average ≥ 1.2).
    Losses 0.1-0.45 % of GDP (target < 1 %).

Inspections (执法检查) and hazards (隐患)
    Hazards are generated from the inspections (each inspection row's 发现隐患/重大隐患 equal the
    hazard rows of that unit and date), ≈0.7 % major. 渔业船舶 has NO inspection and NO hazard
    from 2021-01-01 to 2023-12-31 (a sector with no data in the mid-term period).
    城市建设和运行 lags: ≈9 % of its ordinary hazards found 2021-01-01..2023-06-30 are still open
    (blank 整改完成日期), its 整改率 ≈ 90 % while other sectors are ≈ 98-100 %.
    Planted major hazards open at 2023-06-30 (整改完成日期 blank or after 2023-06-30):
    overdue > 90 days (two, 城市建设和运行, never rectified), 30-90 days (城市建设和运行, 工贸行业),
    < 30 days (危险化学品), and one not yet due (消防). Random major hazards are always rectified by
    their deadline. The pack is a snapshot at 2025-12-31: a 整改完成日期 after a period's end means
    the hazard was open at that end.

Campaigns (专项整治)
    皮带机, 成品油, 小化工 (2021), 高层公共建筑 (2022), 有限空间 (after the 较大 accident,
    2022-07-20..2022-12-31), 自建房 (2022-05..2023-12), "三合一"场所 (2022-10-01..2023-09-30,
    spanning two periods), 燃气"百日攻坚" (2023-04-20..2023-07-28, 6 hazards not rectified by its
    end), and three later ones (2024-2025). The sheet's 发现隐患/已整改 equal the hazard ledger rows
    tagged with the campaign (已整改 = rectified by the campaign's end date).

Plan tasks (规划任务) and results (工作成果)
    31 tasks in the default outline's sections, reported at 2023-06-30: 15 已完成, 13 序时推进
    (2 of them past their 完成时限 2022-12-31: 推进县安委办实体化运行 and 老旧小区燃气管网隐患整治),
    2 滞后 (城市生命线安全监测系统, 社会应急救援力量), 1 未启动 (安全应急产业园). 工作成果: a
    campaign's own results (收缴非法成品汽油 1260 升, 安装燃气报警装置 318 户 …) and 道路交通's
    rates (检验率, 报废率 100 %, 交通违法处理率 86 % in 2022, 88 % at 2023-06-30).

Rescue, reserves, projects, society
    Several county plans revised 2021-2023H1 (低温雨雪冰冻, 地震, 防汛抗旱, 生产安全事故, …);
    exactly one 双盲 drill in all the data (2022-06-16); 5 of 49 reserve lines below target
    (帐篷, 冲锋舟, 卫星电话 at county level, one town's 救生衣, one village's 沙袋);
    重大工程 (snapshot at 2023-06-30): 4 已完工 (乡镇应急消防站建设 finished 2022-08-15, after its
    planned 2022-06-30), 6 在建 (城镇燃气管网老化更新改造 at 20 % progress against ≈44 % of its
    duration elapsed), 1 未开工 planned to end 2025-12-31 (综合应急救援基地).
    物资储备 and 重大工程 are snapshots at 2023-06-30, the mid-term evaluation date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from planeval import paths
from planeval.data.schema import LEDGER_BY_KEY, LEDGERS
from planeval.data.template import ledgers_workbook
from planeval.grades import accident_grade

SEED = 20230630
COUNTY = "示例县"
WORKBOOK_NAME = f"{COUNTY}应急管理台账.xlsx"
LEDGER_START = date(2019, 1, 1)
LEDGER_END = date(2025, 12, 31)  # the pack is a snapshot at this date
MID_START = date(2021, 1, 1)
MID_END = date(2023, 6, 30)
FIXED_STAMP = datetime(2026, 1, 5, 9, 0, 0)  # workbook created/modified, zip entry times

TOWNS: tuple[str, ...] = (
    "城关镇", "东湖镇", "西山镇", "南岗镇", "青石镇", "马庄镇",
    "新桥镇", "北河乡", "柳林乡", "白沙乡", "桃园乡", "石门乡",
)  # fmt: skip
TOWN_WEIGHTS = np.array([22, 12, 9, 9, 8, 8, 7, 6, 6, 5, 4, 4], dtype=float) / 100

# ---------------------------------------------------------------------------------------------
# Denominators and 2016-2018 totals
# ---------------------------------------------------------------------------------------------
YEARS = tuple(range(2016, 2026))
POPULATION = dict(
    zip(YEARS, (50.6, 50.5, 50.4, 50.3, 50.2, 50.1, 50.0, 49.9, 49.8, 49.7), strict=True)
)
GDP = dict(
    zip(YEARS, (298.0, 314.6, 331.2, 347.5, 356.3, 375.4, 390.1, 409.2, 428.6, 448.7), strict=True)
)
WORKERS = dict(zip(YEARS, (8.2, 8.3, 8.3, 8.4, 8.5, 8.6, 8.6, 8.7, 8.8, 8.9), strict=True))
VEHICLES = dict(
    zip(YEARS, (15.2, 15.9, 16.5, 17.0, 17.4, 18.0, 18.5, 19.0, 19.4, 19.8), strict=True)
)

PRE_LEDGER_TOTALS: dict[str, dict[int, float]] = {
    "生产安全事故起数": {2016: 8, 2017: 7, 2018: 7},
    "生产安全事故死亡人数": {2016: 10, 2017: 9, 2018: 8},
    "较大以上生产安全事故起数": {2016: 0, 2017: 0, 2018: 0},
    "重特大生产安全事故起数": {2016: 0, 2017: 0, 2018: 0},
    "工矿商贸生产安全事故死亡人数": {2016: 7, 2017: 6, 2018: 6},
    "火灾起数": {2016: 141, 2017: 137, 2018: 129},
    "火灾死亡人数": {2016: 1, 2017: 2, 2018: 1},
    "自然灾害受灾人次": {2016: 58000, 2017: 35000, 2018: 44000},
    "自然灾害死亡失踪人数": {2016: 1, 2017: 0, 2018: 0},
    "自然灾害直接经济损失(万元)": {2016: 9800, 2017: 3600, 2018: 5200},
}
FIRE_BREAK_NOTE = (
    "2021年起火灾统计口径调整，纳入此前未统计的垃圾、草垛、废弃物等轻微火灾，"
    "起数与2020年及以前不可直接比较"
)

# ---------------------------------------------------------------------------------------------
# Accidents (hand-written: the chapters' story depends on each one)
# (date, town, sector, type, deaths, serious injuries, loss 万元, unit, summary)
# ---------------------------------------------------------------------------------------------
ACCIDENTS: tuple[tuple, ...] = (
    ("2019-02-23", "城关镇", "建筑施工", "高处坠落", 1, 0, 120.0, "示例县宏图建设工程有限公司", "锦绣花园二期工地一名工人从脚手架坠落死亡"),
    ("2019-04-11", "东湖镇", "工贸行业", "机械伤害", 1, 0, 95.0, "示例县恒达机械制造有限公司", "工人违规清理运转中的冲床被卷入死亡"),
    ("2019-06-08", "青石镇", "道路交通", "车辆伤害", 2, 1, 160.0, "示例县顺达运输有限公司", "营运货车在县道与农用车相撞，2人死亡"),
    ("2019-08-19", "西山镇", "非煤矿山", "坍塌", 1, 0, 110.0, "示例县西山石料厂", "采场边坡局部坍塌，一名作业人员被埋死亡"),
    ("2019-10-02", "南岗镇", "工贸行业", "物体打击", 1, 0, 88.0, "示例县华盛木业有限公司", "堆垛木料倒塌砸中一名搬运工"),
    ("2019-12-15", "城关镇", "建筑施工", "起重伤害", 1, 0, 135.0, "示例县金鹏建筑工程有限公司", "塔吊吊运钢筋时吊索断裂，砸中地面人员"),
    ("2020-03-27", "马庄镇", "工贸行业", "机械伤害", 1, 0, 90.0, "示例县瑞丰饲料有限公司", "工人检修搅拌机未断电被绞伤死亡"),
    ("2020-05-16", "城关镇", "建筑施工", "高处坠落", 1, 0, 125.0, "示例县永兴建设工程有限公司", "安置小区工地临边防护缺失致一人坠落死亡"),
    ("2020-07-09", "北河乡", "道路交通", "车辆伤害", 2, 0, 150.0, "示例县汇通物流有限公司", "营运货车雨天侧翻，2人死亡"),
    ("2020-09-21", "东湖镇", "危险化学品", "灼烫", 1, 1, 210.0, "示例县德润化工有限公司", "储罐检修时物料泄漏，一名工人被灼烫致死"),
    ("2020-11-30", "新桥镇", "工贸行业", "触电", 1, 0, 60.0, "示例县利民食品有限公司", "电工带电检修配电柜触电死亡"),
    ("2021-03-18", "城关镇", "建筑施工", "高处坠落", 1, 0, 130.0, "示例县众诚建设工程有限公司", "商住楼工地一名工人从电梯井坠落死亡"),
    ("2021-05-26", "东湖镇", "工贸行业", "机械伤害", 1, 0, 85.0, "示例县博远金属制品有限公司", "工人清理皮带机滚筒时被卷入死亡"),
    ("2021-08-04", "柳林乡", "道路交通", "车辆伤害", 2, 1, 170.0, "示例县顺达运输有限公司", "营运客车与货车相撞，2人死亡"),
    ("2021-11-12", "南岗镇", "工贸行业", "物体打击", 1, 0, 70.0, "示例县广源建材有限公司", "行车吊运预制板时脱落砸中工人"),
    ("2022-01-20", "西山镇", "建筑施工", "坍塌", 1, 0, 140.0, "示例县天成建筑工程有限公司", "管沟开挖未放坡，沟壁坍塌埋压一人"),
    ("2022-04-07", "城关镇", "特种设备", "起重伤害", 1, 0, 95.0, "示例县联创机械有限公司", "桥式起重机吊物坠落砸中操作人员"),
    ("2022-07-14", "东湖镇", "工贸行业", "中毒和窒息", 3, 2, 520.0, "示例县鑫源食品有限公司", "污水池清淤作业未检测通风，3人中毒窒息死亡、2人受伤"),
    ("2022-10-25", "青石镇", "道路交通", "车辆伤害", 1, 0, 80.0, "示例县汇通物流有限公司", "营运货车夜间追尾，1人死亡"),
    ("2023-05-09", "马庄镇", "工贸行业", "机械伤害", 1, 0, 75.0, "示例县嘉禾纺织有限公司", "工人处理织机故障时被卷入死亡"),
    ("2023-08-22", "城关镇", "建筑施工", "高处坠落", 1, 0, 120.0, "示例县宏图建设工程有限公司", "外墙保温施工吊篮倾翻，一人坠落死亡"),
    ("2023-11-03", "白沙乡", "道路交通", "车辆伤害", 1, 0, 65.0, "示例县顺达运输有限公司", "营运车辆在乡道撞上行人，1人死亡"),
    ("2024-03-14", "新桥镇", "工贸行业", "物体打击", 1, 0, 70.0, "示例县泰和机械有限公司", "设备吊装时构件滑落砸中工人"),
    ("2024-06-28", "北河乡", "道路交通", "车辆伤害", 2, 0, 150.0, "示例县汇通物流有限公司", "营运货车暴雨中冲出路面，2人死亡"),
    ("2024-09-10", "城关镇", "建筑施工", "高处坠落", 1, 0, 115.0, "示例县众诚建设工程有限公司", "学校扩建工地一人从屋面坠落死亡"),
    ("2025-04-17", "城关镇", "城市建设和运行", "中毒和窒息", 1, 0, 60.0, "示例县清源排水管理有限公司", "排水管网检查井作业一人窒息死亡"),
    ("2025-07-29", "西山镇", "建筑施工", "坍塌", 1, 0, 130.0, "示例县天成建筑工程有限公司", "基坑支护失稳坍塌埋压一人"),
    ("2025-10-08", "东湖镇", "工贸行业", "机械伤害", 1, 0, 80.0, "示例县恒达机械制造有限公司", "工人调整剪板机时被剪伤死亡"),
)  # fmt: skip

FIRE_DEATHS: dict[int, int] = {2019: 1, 2020: 1, 2021: 0, 2022: 1, 2023: 0, 2024: 1, 2025: 0}
FIRE_COUNTS: dict[int, int] = {
    2019: 132,
    2020: 118,
    2021: 236,
    2022: 251,
    2023: 244,
    2024: 238,
    2025: 229,
}

# ---------------------------------------------------------------------------------------------
# Natural disasters: (name, hazard, start, affected, deaths, missing, relocated, collapsed rooms,
# crop area 公顷, loss 万元)
# ---------------------------------------------------------------------------------------------
DISASTERS: tuple[tuple, ...] = (
    ("2019年5月风雹灾害", "风雹", "2019-05-17", 8200, 0, 0, 0, 0, 1350.0, 620.0),
    ("2019年7月暴雨洪涝灾害", "暴雨洪涝", "2019-07-22", 21000, 0, 0, 1200, 18, 2600.0, 3100.0),
    ("2019年夏秋连旱", "干旱", "2019-08-01", 12500, 0, 0, 0, 0, 4200.0, 1200.0),
    ("2020年1月低温雨雪冰冻灾害", "低温冷冻和雪灾", "2020-01-08", 6500, 0, 0, 0, 3, 900.0, 850.0),
    ("2020年6月风雹灾害", "风雹", "2020-06-12", 7400, 0, 0, 0, 0, 1100.0, 560.0),
    ("2020年7月梅汛期暴雨洪涝灾害", "暴雨洪涝", "2020-07-06", 52000, 0, 0, 4800, 46, 7800.0, 10300.0),
    ("2020年8月青石镇山体滑坡", "地质灾害", "2020-08-14", 320, 0, 0, 85, 6, 0.0, 260.0),
    ("2021年1月寒潮低温冷冻灾害", "低温冷冻和雪灾", "2021-01-07", 5600, 0, 0, 0, 0, 800.0, 720.0),
    ("2021年5月风雹灾害", "风雹", "2021-05-14", 6900, 0, 0, 0, 0, 1050.0, 480.0),
    ("2021年7月19日特大暴雨洪涝灾害", "暴雨洪涝", "2021-07-19", 64000, 2, 1, 8600, 112, 9800.0, 14800.0),
    ("2021年7月西山镇暴雨引发滑坡", "地质灾害", "2021-07-21", 420, 0, 0, 160, 9, 0.0, 380.0),
    ("2021年9月秋汛暴雨洪涝灾害", "暴雨洪涝", "2021-09-24", 5200, 0, 0, 300, 0, 900.0, 650.0),
    ("2022年2月低温雨雪冰冻灾害", "低温冷冻和雪灾", "2022-02-07", 4800, 0, 0, 0, 0, 700.0, 520.0),
    ("2022年6月风雹灾害", "风雹", "2022-06-09", 6200, 0, 0, 0, 0, 980.0, 610.0),
    ("2022年夏季高温干旱", "干旱", "2022-07-11", 21000, 0, 0, 0, 0, 6200.0, 3100.0),
    ("2023年1月低温冷冻灾害", "低温冷冻和雪灾", "2023-01-13", 3900, 0, 0, 0, 0, 600.0, 410.0),
    ("2023年4月风雹灾害", "风雹", "2023-04-26", 7800, 0, 0, 0, 2, 1300.0, 690.0),
    ("2023年6月暴雨洪涝灾害", "暴雨洪涝", "2023-06-18", 9600, 0, 0, 600, 4, 1500.0, 1250.0),
    ("2023年7月暴雨洪涝灾害", "暴雨洪涝", "2023-07-30", 28000, 0, 0, 3500, 30, 4300.0, 5600.0),
    ("2024年3月风雹灾害", "风雹", "2024-03-21", 5200, 0, 0, 0, 0, 850.0, 460.0),
    ("2024年6月暴雨洪涝灾害", "暴雨洪涝", "2024-06-23", 24000, 0, 0, 2100, 12, 3600.0, 3900.0),
    ("2024年8月石门乡崩塌", "地质灾害", "2024-08-05", 260, 0, 0, 60, 4, 0.0, 180.0),
    ("2025年1月低温雨雪冰冻灾害", "低温冷冻和雪灾", "2025-01-20", 4100, 0, 0, 0, 0, 650.0, 380.0),
    ("2025年7月暴雨洪涝灾害", "暴雨洪涝", "2025-07-15", 18000, 0, 0, 1600, 8, 2900.0, 2800.0),
    ("2025年8月伏旱", "干旱", "2025-08-04", 9000, 0, 0, 0, 0, 3100.0, 900.0),
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Inspections: yearly batches per sector (a batch = one 检查批次: one day, one sector, several
# units), and the special campaigns.
# ---------------------------------------------------------------------------------------------
SECTOR_BATCHES: dict[str, int] = {
    "工贸行业": 60, "危险化学品": 30, "非煤矿山": 8, "建筑施工": 30, "道路交通": 12, "消防": 30,
    "特种设备": 14, "城市建设和运行": 18, "电力": 6, "农业机械": 5, "渔业船舶": 2,
}  # fmt: skip
YEAR_FACTOR = {2019: 0.85, 2020: 0.75, 2021: 1.0, 2022: 1.1, 2023: 1.15, 2024: 1.2, 2025: 1.2}
NO_INSPECTION = {"渔业船舶": (date(2021, 1, 1), date(2023, 12, 31))}
KINDS = ("日常", "双随机", "联合", "专家")
KIND_P = (0.6, 0.2, 0.12, 0.08)
HAZARD_RATE = {"日常": 2.5, "双随机": 3.0, "联合": 3.0, "专家": 5.0, "专项": 3.0}
MAJOR_P = 0.007
LAG_SECTOR = "城市建设和运行"
LAG_OPEN_P = 0.09

# (name, sector, object type, start, end, surveyed, filed, units inspected, unit-name words)
CAMPAIGNS: tuple[tuple, ...] = (
    ("工贸企业皮带机专项整治", "工贸行业", "涉皮带机企业", "2021-04-01", "2021-10-31", 46, 46, 40, None),
    ("成品油专项整治", "危险化学品", "成品油经营单位及流动加油点", "2021-03-01", "2021-12-31", 38, 38, 30, None),
    ("非法违法“小化工”专项整治", "危险化学品", "小化工及醇基燃料经营使用单位", "2021-06-01", "2021-11-30", 52, 50, 45, None),
    ("高层公共建筑消防安全专项整治", "消防", "高层公共建筑", "2022-03-01", "2022-11-30", 27, 27, 27, ("大厦", "商务中心", "国际酒店", "综合楼")),
    ("自建房安全专项整治", "城市建设和运行", "经营性自建房", "2022-05-01", "2023-12-31", 1860, 1860, 40, ("自建房",)),
    ("有限空间作业专项整治", "工贸行业", "涉有限空间作业企业", "2022-07-20", "2022-12-31", 63, 63, 55, None),
    ("“三合一”场所消防安全专项整治", "消防", "“三合一”场所", "2022-10-01", "2023-09-30", 214, 214, 60, ("商店", "加工坊", "小作坊", "批发部")),
    ("城镇燃气安全“百日攻坚”专项行动", "城市建设和运行", "燃气经营单位及餐饮用气场所", "2023-04-20", "2023-07-28", 356, 356, 45, ("饭店", "餐馆", "酒楼", "燃气供应站")),
    ("城镇燃气安全专项整治", "城市建设和运行", "燃气经营单位及用气场所", "2024-01-02", "2024-12-31", 420, 420, 50, ("饭店", "餐馆", "燃气供应站")),
    ("粉尘涉爆企业专项整治", "工贸行业", "粉尘涉爆企业", "2024-03-01", "2024-10-31", 28, 28, 28, None),
    ("电动自行车安全隐患全链条整治", "消防", "电动自行车销售维修及集中充电场所", "2024-05-06", "2025-04-30", 130, 130, 40, ("电动车行", "充电站", "车辆维修部")),
)  # fmt: skip
GAS_CAMPAIGN = "城镇燃气安全“百日攻坚”专项行动"
# Two campaigns of 2022 added later (the seed's 环保设施 and “三位一体” items), drawn from a
# random stream of their own so that every row of the campaigns above stays as it was.
LATER_CAMPAIGNS: tuple[tuple, ...] = (
    ("除尘器、脱硫脱硝环保设施安全专项整治", "工贸行业", "除尘器、脱硫脱硝等环保设施", "2022-04-11", "2022-08-31", 74, 74, 24, None),
    ("工贸企业“三位一体”专项执法检查", "工贸行业", "工贸企业", "2022-09-05", "2022-11-30", 36, 36, 36, None),
)  # fmt: skip

# Planted major hazards open at 2023-06-30: (sector, found, deadline, fixed or None, unit)
PLANTED_MAJORS: tuple[tuple, ...] = (
    ("城市建设和运行", "2022-06-20", "2022-09-30", None, "城关镇解放路老旧自建房（拟拆除）"),
    (
        "城市建设和运行",
        "2022-11-08",
        "2023-01-31",
        None,
        "示例县华润燃气有限公司城东中压管线（违章建筑占压）",
    ),
    ("城市建设和运行", "2023-03-15", "2023-04-30", "2023-10-20", "示例县新宇物业服务有限公司"),
    ("工贸行业", "2023-04-18", "2023-05-25", "2023-08-05", "示例县盛华铸造有限公司"),
    ("危险化学品", "2023-05-08", "2023-06-08", "2023-07-12", "示例县德润化工有限公司"),
    ("消防", "2023-06-12", "2023-07-31", "2023-07-20", "示例县东升大酒店"),
)

BRANDS = (
    "鑫源", "恒达", "宏图", "金鹏", "华盛", "永兴", "瑞丰", "德润", "天成", "联创", "盛华", "嘉禾",
    "东升", "利民", "众诚", "广源", "汇通", "新宇", "博远", "长青", "富康", "泰和", "兴隆", "信达",
    "安泰", "宏达", "隆盛", "昌盛", "卓越", "华丰", "金源", "永安", "顺发", "建华", "荣昌", "丰泽",
)  # fmt: skip
UNIT_WORDS: dict[str, tuple[tuple[str, ...], int]] = {
    "工贸行业": (
        (
            "机械制造有限公司",
            "食品有限公司",
            "铸造有限公司",
            "木业有限公司",
            "纺织有限公司",
            "建材有限公司",
            "塑业有限公司",
            "饲料有限公司",
            "家具有限公司",
            "金属制品有限公司",
            "包装有限公司",
            "服饰有限公司",
        ),
        130,
    ),
    "危险化学品": (
        (
            "化工有限公司",
            "石油经营有限公司",
            "气体有限公司",
            "加油站",
            "危险品运输有限公司",
            "涂料有限公司",
        ),
        70,
    ),
    "非煤矿山": (("石料厂", "采石场", "砂石有限公司"), 14),
    "建筑施工": (
        ("花园项目", "安置小区项目", "商住楼项目", "学校扩建工程", "道路改造工程", "厂房建设工程"),
        80,
    ),
    "道路交通": (("运输有限公司", "客运有限公司", "物流有限公司", "驾驶员培训学校"), 34),
    "消防": (("大酒店", "购物广场", "超市", "宾馆", "幼儿园", "养老院", "网吧", "KTV"), 100),
    "特种设备": (("物业管理有限公司", "热力有限公司", "机械厂", "电梯维保有限公司"), 45),
    "城市建设和运行": (
        (
            "燃气有限公司",
            "物业服务有限公司",
            "排水管理有限公司",
            "市政工程有限公司",
            "供水有限公司",
        ),
        55,
    ),
    "电力": (("光伏电站", "供电所", "水电站"), 12),
    "农业机械": (("农机专业合作社",), 14),
    "渔业船舶": (("渔业专业合作社",), 8),
}


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _d(text: str) -> date:
    return date.fromisoformat(text)


def _rng(stream: int) -> np.random.Generator:
    """One independent stream per ledger, so changing one ledger does not shift the others."""
    return np.random.default_rng([SEED, stream])


def _day(rng: np.random.Generator, start: date, end: date, weekday: bool = True) -> date:
    """A random day in [start, end]; a weekend day moves to the nearest weekday inside."""
    d = start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))
    if weekday and d.weekday() >= 5:
        back = d - timedelta(days=d.weekday() - 4)
        fwd = d + timedelta(days=7 - d.weekday())
        d = back if back >= start else fwd if fwd <= end else d
    return d


def _town(rng: np.random.Generator) -> str:
    return TOWNS[int(rng.choice(len(TOWNS), p=TOWN_WEIGHTS))]


def _unit_pool(
    rng: np.random.Generator, words: tuple[str, ...], n: int, town_prefix: bool
) -> list[str]:
    pool: list[str] = []
    while len(pool) < n:
        brand = BRANDS[int(rng.integers(len(BRANDS)))]
        word = words[int(rng.integers(len(words)))]
        name = f"{_town(rng) if town_prefix else COUNTY}{brand}{word}"
        if name not in pool:
            pool.append(name)
    return pool


def _unit_pools(rng: np.random.Generator) -> dict[str, list[str]]:
    town_style = {"建筑施工", "消防", "电力", "农业机械", "渔业船舶", "非煤矿山"}
    return {s: _unit_pool(rng, w, n, s in town_style) for s, (w, n) in UNIT_WORDS.items()}


# ---------------------------------------------------------------------------------------------
# ledgers
# ---------------------------------------------------------------------------------------------
def _accidents() -> list[dict]:
    rows = []
    seq: dict[int, int] = {}
    for d, town, sector, typ, deaths, serious, loss, unit, summary in ACCIDENTS:
        day = _d(d)
        seq[day.year] = seq.get(day.year, 0) + 1
        rows.append(
            {
                "id": f"SG{day.year}-{seq[day.year]:02d}",
                "date": day,
                "town": town,
                "sector": sector,
                "type": typ,
                "deaths": deaths,
                "missing": 0,
                "serious_injuries": serious,
                "loss": loss,
                "unit": unit,
                "summary": summary,
                "grade": accident_grade(deaths, serious, loss, 0),
            }
        )
    return rows


FIRE_PLACES = (
    "住宅",
    "商业场所",
    "工业厂房",
    "仓储场所",
    "交通工具",
    "垃圾及草垛",
    "农村自建房",
    "公共娱乐场所",
    "其他",
)
FIRE_P_OLD = np.array([24, 10, 8, 5, 15, 12, 11, 3, 12], dtype=float)
FIRE_P_NEW = np.array([18, 8, 6, 4, 12, 30, 9, 2, 11], dtype=float)
FIRE_MONTH_W = np.array([14, 13, 11, 9, 7, 6, 6, 6, 6, 7, 9, 12], dtype=float)


def _fires() -> list[dict]:
    rng = _rng(2)
    rows = []
    for year, n in FIRE_COUNTS.items():
        p = (FIRE_P_OLD if year < 2021 else FIRE_P_NEW) / (
            FIRE_P_OLD if year < 2021 else FIRE_P_NEW
        ).sum()
        months = rng.choice(12, size=n, p=FIRE_MONTH_W / FIRE_MONTH_W.sum()) + 1
        year_rows = []
        for m in months:
            start = date(year, int(m), 1)
            end = (date(year + 1, 1, 1) if m == 12 else date(year, int(m) + 1, 1)) - timedelta(
                days=1
            )
            place = FIRE_PLACES[int(rng.choice(len(FIRE_PLACES), p=p))]
            scale = {"工业厂房": 6.0, "仓储场所": 5.0, "商业场所": 3.0, "垃圾及草垛": 0.05}.get(
                place, 0.8
            )
            loss = round(float(rng.lognormal(np.log(scale), 0.9)), 2)
            injuries = int(rng.random() < 0.02)
            year_rows.append(
                {
                    "date": _day(rng, start, end, weekday=False),
                    "town": _town(rng),
                    "place": place,
                    "deaths": 0,
                    "injuries": injuries,
                    "loss": max(loss, 0.01),
                }
            )
        # deaths: residential fires in winter
        homes = [
            r
            for r in year_rows
            if r["place"] in ("住宅", "农村自建房") and r["date"].month in (1, 2, 12)
        ]
        for r in homes[: FIRE_DEATHS[year]]:
            r["deaths"] = 1
            r["injuries"] = max(r["injuries"], 1)
        rows += sorted(year_rows, key=lambda r: r["date"])
    return rows


def _disasters() -> list[dict]:
    keys = ("name", "hazard", "start", "affected", "deaths", "missing", "relocated",
            "collapsed_rooms", "crop_area", "loss")  # fmt: skip
    rows = []
    for rec in DISASTERS:
        r = dict(zip(keys, rec, strict=True))
        r["start"] = _d(r["start"])
        rows.append(r)
    return rows


def _hazard_rows(
    rng: np.random.Generator, insp: dict, n_major: int, campaign: str | None
) -> list[dict]:
    """The hazard rows found by one inspection row (ids are assigned after sorting)."""
    out = []
    found = insp["date"]
    for i in range(insp["hazards_found"]):
        major = i < n_major
        if major:
            days = int(rng.choice([30, 45, 60, 90]))
            deadline = found + timedelta(days=days)
            fixed = found + timedelta(days=int(rng.integers(days // 3, days + 1)))
            mode = "限期"
        elif rng.random() < 0.55:
            mode, deadline, fixed = "立即", None, found
        else:
            mode = "限期"
            days = int(rng.choice([7, 10, 15, 30, 60], p=[0.2, 0.2, 0.3, 0.2, 0.1]))
            deadline = found + timedelta(days=days)
            if rng.random() < 0.96:
                fixed = found + timedelta(days=int(rng.integers(1, days + 1)))
            else:
                fixed = deadline + timedelta(days=int(rng.integers(1, 46)))
        out.append(
            {
                "id": None,
                "found": found,
                "sector": insp["sector"],
                "unit": insp["unit"],
                "level": "重大" if major else "一般",
                "mode": mode,
                "deadline": deadline,
                "fixed": fixed,
                "campaign": campaign,
            }
        )
    return out


def _inspect_batch(
    rng, day, sector, kind, units, campaign, batch_id
) -> tuple[list[dict], list[dict]]:
    insp_rows, hz_rows = [], []
    for unit in units:
        found = int(rng.poisson(HAZARD_RATE[kind]))
        p_major = MAJOR_P * (2 if kind == "专家" else 1)
        n_major = int(rng.binomial(found, p_major)) if found else 0
        if n_major:
            penalty = int(rng.random() < 0.8)
        elif found >= 4:
            penalty = int(rng.random() < 0.12)
        else:
            penalty = int(rng.random() < 0.02)
        fine = (
            round(float(rng.uniform(3, 10) if n_major else rng.uniform(0.5, 5)), 2)
            if penalty
            else 0.0
        )
        row = {
            "date": day,
            "sector": sector,
            "unit": unit,
            "kind": kind,
            "campaign": campaign,
            "action": batch_id,
            "hazards_found": found,
            "major_hazards": n_major,
            "documents": 1 + (found > 0) + penalty,
            "penalties": penalty,
            "fines": fine,
        }
        insp_rows.append(row)
        hz_rows += _hazard_rows(rng, row, n_major, campaign)
    return insp_rows, hz_rows


def _inspections_and_hazards(
    pools: dict[str, list[str]],
) -> tuple[list[dict], list[dict], list[dict]]:
    rng = _rng(5)
    insp: list[dict] = []
    hz: list[dict] = []
    batch_seq: dict[date, int] = {}

    def batch_id(day: date) -> str:
        batch_seq[day] = batch_seq.get(day, 0) + 1
        return f"JC{day:%Y%m%d}-{batch_seq[day]:02d}"

    # routine batches
    for year in range(LEDGER_START.year, LEDGER_END.year + 1):
        for sector, base in SECTOR_BATCHES.items():
            n = int(rng.poisson(base * YEAR_FACTOR[year]))
            for _ in range(n):
                day = _day(rng, date(year, 1, 1), date(year, 12, 31))
                gap = NO_INSPECTION.get(sector)
                if gap and gap[0] <= day <= gap[1]:
                    continue
                kind = KINDS[int(rng.choice(len(KINDS), p=KIND_P))]
                pool = pools[sector]
                k = min(1 + int(rng.poisson(2.0)), 8, len(pool))
                units = [pool[i] for i in rng.choice(len(pool), size=k, replace=False)]
                rows, hzs = _inspect_batch(rng, day, sector, kind, units, None, batch_id(day))
                insp += rows
                hz += hzs

    # the lagging sector: ordinary hazards of the mid-term period left open
    for h in hz:
        if (h["sector"] == LAG_SECTOR and MID_START <= h["found"] <= MID_END and h["level"] == "一般"
                and h["mode"] == "限期" and rng.random() < LAG_OPEN_P / 0.45):  # fmt: skip
            h["fixed"] = None

    # special campaigns
    campaign_rows = []
    later = _rng(11)
    for name, sector, obj, start, end, surveyed, filed, n_units, words in (
        *CAMPAIGNS,
        *LATER_CAMPAIGNS,
    ):
        if name == LATER_CAMPAIGNS[0][0]:
            rng = later
        s, e = _d(start), _d(end)
        if words:
            units = _unit_pool(rng, words, n_units, town_prefix=True)
        else:
            pool = pools[sector]
            units = [pool[i] for i in rng.choice(len(pool), size=n_units, replace=False)]
        c_hz: list[dict] = []
        i = 0
        while i < len(units):
            k = int(rng.integers(3, 7))
            day = _day(rng, s, e - timedelta(days=20))
            rows, hzs = _inspect_batch(
                rng, day, sector, "专项", units[i : i + k], name, batch_id(day)
            )
            insp += rows
            c_hz += hzs
            i += k
        for h in c_hz:  # rectified within the campaign
            if h["deadline"] is not None and h["deadline"] > e:
                h["deadline"] = e
            if h["fixed"] is None or h["fixed"] > e:
                h["fixed"] = e if h["deadline"] is None else min(e, h["deadline"])
            if h["fixed"] < h["found"]:
                h["fixed"] = h["found"]
        if name == GAS_CAMPAIGN:  # six not rectified by the campaign's end
            open_ = [h for h in c_hz if h["mode"] == "限期" and h["level"] == "一般"][-6:]
            for j, h in enumerate(open_):
                h["deadline"] = e
                h["fixed"] = None if j < 2 else e + timedelta(days=int(rng.integers(10, 60)))
        hz += c_hz
        campaign_rows.append(
            {
                "campaign": name,
                "sector": sector,
                "object": obj,
                "surveyed": surveyed,
                "filed": filed,
                "hazards": len(c_hz),
                "fixed": sum(1 for h in c_hz if h["fixed"] is not None and h["fixed"] <= e),
                "start": s,
                "end": e,
            }
        )

    # planted major hazards
    for sector, found, deadline, fixed, unit in PLANTED_MAJORS:
        day = _d(found)
        row = {
            "date": day,
            "sector": sector,
            "unit": unit,
            "kind": "日常",
            "campaign": None,
            "action": batch_id(day),
            "hazards_found": 1,
            "major_hazards": 1,
            "documents": 3,
            "penalties": 1,
            "fines": 5.0,
        }
        insp.append(row)
        hz.append(
            {
                "id": None,
                "found": day,
                "sector": sector,
                "unit": unit,
                "level": "重大",
                "mode": "限期",
                "deadline": _d(deadline),
                "fixed": _d(fixed) if fixed else None,
                "campaign": None,
            }
        )

    # the pack is a snapshot at LEDGER_END
    for h in hz:
        if h["fixed"] is not None and h["fixed"] > LEDGER_END:
            h["fixed"] = None

    insp.sort(key=lambda r: (r["date"], r["action"], r["unit"]))
    hz.sort(key=lambda r: (r["found"], r["sector"], r["unit"] or "", r["level"] != "重大"))
    seq: dict[int, int] = {}
    for h in hz:
        y = h["found"].year
        seq[y] = seq.get(y, 0) + 1
        h["id"] = f"YH{y}{seq[y]:05d}"
    return insp, hz, campaign_rows


def _plans() -> list[dict]:
    rng = _rng(7)
    county = (
        ("示例县突发事件总体应急预案", "县", "总体预案", "2018-06-15", "2022-09-20"),
        ("示例县防汛抗旱应急预案", "县", "专项预案", "2017-05-10", "2022-05-18"),
        ("示例县低温雨雪冰冻灾害应急预案", "县", "专项预案", "2016-11-20", "2021-11-25"),
        ("示例县地震应急预案", "县", "专项预案", "2016-08-12", "2022-03-30"),
        ("示例县生产安全事故应急救援预案", "县", "专项预案", "2019-04-10", "2023-04-20"),
        ("示例县自然灾害救助应急预案", "县", "专项预案", "2020-06-10", "2023-02-15"),
        ("示例县地质灾害应急预案", "县", "专项预案", "2019-05-20", "2023-05-26"),
        ("示例县森林火灾应急预案", "县", "专项预案", "2018-03-01", "2024-03-15"),
        ("示例县危险化学品事故应急预案", "县", "专项预案", "2019-09-01", "2024-08-20"),
        ("示例县城镇燃气事故应急预案", "县", "部门预案", "2021-07-12", None),
        ("示例县道路交通事故应急预案", "县", "部门预案", "2018-10-08", "2022-12-06"),
        ("示例县特种设备事故应急预案", "县", "部门预案", "2019-11-15", None),
        ("示例县大面积停电事件应急预案", "县", "专项预案", "2020-09-18", "2025-06-10"),
        ("示例县应急物资保障预案", "县", "部门预案", "2022-08-30", None),
    )  # fmt: skip
    rows = [
        {"name": n, "level": lv, "kind": k, "issued": _d(i), "revised": _d(r) if r else None}
        for n, lv, k, i, r in county
    ]
    for town in TOWNS:
        issued = _day(rng, date(2019, 3, 1), date(2020, 12, 31))
        revised = _day(rng, date(2021, 3, 1), date(2023, 12, 31)) if rng.random() < 0.6 else None
        rows.append({"name": f"{town}突发事件总体应急预案", "level": "乡镇", "kind": "总体预案",
                     "issued": issued, "revised": revised})  # fmt: skip
        rows.append({"name": f"{town}防汛应急预案", "level": "乡镇", "kind": "专项预案",
                     "issued": _day(rng, date(2020, 3, 1), date(2021, 5, 31)), "revised": None})  # fmt: skip
    villages = ("河口村", "李家庄村", "王湾村", "张庄村", "柳树湾村", "石桥村", "后营村", "前进村",
                "大沟村", "杨家岭村", "新河村", "东关村", "西关村", "双庙村", "南湖村", "北坡村")  # fmt: skip
    for v in villages:
        rows.append({"name": f"{_town(rng)}{v}防汛防地质灾害应急预案", "level": "村", "kind": "专项预案",
                     "issued": _day(rng, date(2021, 3, 1), date(2023, 5, 31)), "revised": None})  # fmt: skip
    for unit in _unit_pool(rng, ("化工有限公司", "燃气有限公司", "机械制造有限公司", "食品有限公司",
                                 "石油经营有限公司", "铸造有限公司", "建材有限公司"), 26, town_prefix=False):  # fmt: skip
        kind = "单位预案" if rng.random() < 0.65 else "现场处置方案"
        issued = _day(rng, date(2019, 1, 1), date(2025, 6, 30))
        suffix = "生产安全事故应急预案" if kind == "单位预案" else "有限空间作业现场处置方案"
        rows.append({"name": f"{unit}{suffix}", "level": "企业", "kind": kind, "issued": issued,
                     "revised": None})  # fmt: skip
    return rows


DRILL_SCENARIOS = {
    5: ("防汛抢险", "地震疏散"), 6: ("防汛抢险", "危险化学品泄漏", "有限空间救援"),
    11: ("消防疏散", "森林火灾扑救"), 0: ("消防疏散", "燃气泄漏处置", "地质灾害避险", "有限空间救援"),
}  # fmt: skip


def _drills() -> list[dict]:
    rng = _rng(8)
    companies = _unit_pool(rng, ("化工有限公司", "燃气有限公司", "机械制造有限公司", "食品有限公司",
                                 "铸造有限公司", "物流有限公司"), 20, town_prefix=False)  # fmt: skip
    rows = []
    per_level = {"县": (4, 0.6, (80, 300)), "乡镇": (12, 0.5, (40, 150)), "村": (8, 0.4, (20, 80)),
                 "企业": (15, 0.7, (20, 120))}  # fmt: skip
    for year in range(LEDGER_START.year, LEDGER_END.year + 1):
        for level, (n, p_live, (lo, hi)) in per_level.items():
            for _ in range(n + int(rng.integers(-2, 3))):
                month = int(rng.choice([3, 4, 5, 6, 6, 7, 9, 10, 11, 11, 12]))
                day = _day(rng, date(year, month, 1), date(year, month, 28))
                scen = DRILL_SCENARIOS.get(month, DRILL_SCENARIOS[0])
                scen = scen[int(rng.integers(len(scen)))]
                form = "实战" if rng.random() < p_live else "桌面推演"
                if level == "企业":
                    who = companies[int(rng.integers(len(companies)))]
                else:
                    who = {"县": COUNTY, "乡镇": _town(rng), "村": f"{_town(rng)}村级"}[level]
                rows.append({"name": f"{year}年{who}{scen}应急演练", "date": day, "level": level,
                             "form": form, "scenario": scen,
                             "participants": int(rng.integers(lo, hi + 1))})  # fmt: skip
    rows.append({"name": "2022年示例县危险化学品泄漏事故双盲应急演练", "date": date(2022, 6, 16),
                 "level": "县", "form": "双盲", "scenario": "危险化学品泄漏", "participants": 186})  # fmt: skip
    rows.sort(key=lambda r: (r["date"], r["name"]))
    return rows


def _reserves() -> list[dict]:
    main, flood = "县应急物资储备库", "县防汛物资仓库"
    lines = [
        ("帐篷", "生活类", "县", main, 420, 500, "顶"),
        ("折叠床", "生活类", "县", main, 1200, 1000, "张"),
        ("棉被", "生活类", "县", main, 3000, 2500, "床"),
        ("棉大衣", "生活类", "县", main, 1500, 1500, "件"),
        ("毛毯", "生活类", "县", main, 2000, 1500, "条"),
        ("家庭应急包", "生活类", "县", main, 800, 600, "个"),
        ("简易厕所", "生活类", "县", main, 40, 30, "座"),
        ("救生衣", "救生类", "县", flood, 2000, 1500, "件"),
        ("救生圈", "救生类", "县", flood, 600, 500, "个"),
        ("冲锋舟", "救生类", "县", flood, 6, 8, "艘"),
        ("橡皮艇", "救生类", "县", flood, 10, 10, "艘"),
        ("发电机", "抢险类", "县", flood, 24, 20, "台"),
        ("抽水泵", "抢险类", "县", flood, 60, 50, "台"),
        ("沙袋", "抢险类", "县", flood, 60000, 50000, "条"),
        ("编织袋", "抢险类", "县", flood, 100000, 80000, "条"),
        ("土工布", "抢险类", "县", flood, 12000, 10000, "平方米"),
        ("铁锹", "抢险类", "县", flood, 3000, 2000, "把"),
        ("油锯", "抢险类", "县", main, 40, 30, "台"),
        ("应急照明灯", "抢险类", "县", main, 300, 200, "台"),
        ("卫星电话", "通信类", "县", main, 8, 12, "部"),
        ("对讲机", "通信类", "县", main, 150, 120, "部"),
        ("风力灭火机", "抢险类", "县", main, 120, 100, "台"),
    ]  # fmt: skip
    towns = [
        ("城关镇", 300, 200, 2000, 20000), ("东湖镇", 200, 150, 800, 15000),
        ("西山镇", 150, 120, 500, 10000), ("南岗镇", 150, 120, 500, 10000),
        ("青石镇", 120, 100, 400, 8000), ("马庄镇", 120, 100, 400, 8000),
        ("北河乡", 60, 100, 300, 6000), ("柳林乡", 100, 80, 300, 6000),
    ]  # fmt: skip
    for town, vest, vest_t, bed, bags in towns:
        depot = f"{town}应急物资储备点"
        lines.append(("救生衣", "救生类", "乡镇", depot, vest, vest_t, "件"))
        lines.append(("棉被", "生活类", "乡镇", depot, bed, max(bed - 100, 200), "床"))
        lines.append(("沙袋", "抢险类", "乡镇", depot, bags, bags, "条"))
    villages = [("河口村", 3000, 2000), ("王湾村", 2500, 2000), ("石桥村", 1500, 2000)]
    for v, bags, target in villages:
        lines.append(("沙袋", "抢险类", "村", f"{v}应急物资存放点", bags, target, "条"))
    keys = ("item", "category", "level", "depot", "quantity", "target", "unit")
    # a snapshot: its 填报时点 is a column (planeval.snapshots)
    return [{**dict(zip(keys, ln, strict=True)), "as_of": MID_END} for ln in lines]


def _teams() -> list[dict]:
    teams = [
        ("示例县消防救援大队", "综合性消防", 68, "2018-10-09"),
        ("示例县消防救援大队城东消防站", "综合性消防", 32, "2020-06-01"),
        ("示例县森林消防专业队", "专业", 45, "2019-03-15"),
        ("示例县防汛抢险专业队", "专业", 60, "2019-05-20"),
        ("示例县矿山救护队", "专业", 25, "2017-08-01"),
        ("国网示例县供电公司电力抢修队", "专业", 40, "2016-04-12"),
        ("示例县燃气抢险队", "专业", 20, "2021-09-10"),
        ("示例县地质灾害应急救援队", "专业", 30, "2021-06-18"),
        ("示例县蓝天救援队", "社会", 56, "2017-11-05"),
        ("示例县红十字应急救护队", "社会", 32, "2019-09-09"),
        ("示例县应急志愿服务队", "社会", 120, "2022-05-12"),
        ("示例县德润化工有限公司应急救援队", "企业", 18, "2019-12-01"),
        ("示例县华润燃气有限公司抢修队", "企业", 15, "2020-04-20"),
        ("示例县恒达机械制造有限公司应急救援队", "企业", 12, "2021-03-08"),
    ]
    for i, town in enumerate(TOWNS):
        teams.append(
            (f"{town}综合应急救援队", "专业", 20 + (i * 7) % 16, f"2021-{3 + i % 6:02d}-15")
        )
    return [{"name": n, "type": t, "members": m, "established": _d(e)} for n, t, m, e in teams]


PROJECTS: tuple[tuple, ...] = (
    # name, category, planned 万元, completed 万元, start, planned end, actual end, status, progress %
    ("县应急指挥中心信息化平台建设", "智慧应急工程", 1800, 1800, "2021-06-01", "2022-12-31", "2022-11-30", "已完工", 100),
    ("安全生产风险监测预警系统建设", "智慧应急工程", 950, 620, "2022-03-01", "2024-06-30", None, "在建", 60),
    ("城镇燃气管网老化更新改造工程", "安全生产风险防控工程", 6500, 1300, "2022-05-01", "2024-12-31", None, "在建", 20),
    ("化工园区安全整治提升工程", "安全生产风险防控工程", 3200, 3200, "2021-03-15", "2022-12-31", "2022-10-28", "已完工", 100),
    ("地质灾害隐患点综合治理工程", "自然灾害防治工程", 2400, 1500, "2021-09-01", "2024-12-31", None, "在建", 65),
    ("中小河流治理及山洪沟防洪工程", "自然灾害防治工程", 5800, 5800, "2021-04-01", "2023-05-31", "2023-05-20", "已完工", 100),
    ("城区排涝能力提升工程", "自然灾害防治工程", 4200, 600, "2023-03-01", "2025-06-30", None, "在建", 15),
    ("县综合应急救援基地建设", "应急救援能力提升工程", 3600, 0, None, "2025-12-31", None, "未开工", 0),
    ("乡镇应急消防站建设", "应急救援能力提升工程", 1200, 1200, "2021-05-10", "2022-06-30", "2022-08-15", "已完工", 100),
    ("县级应急物资储备库扩建工程", "应急物资保障工程", 1500, 1100, "2022-09-01", "2023-12-31", None, "在建", 70),
    ("乡镇应急物资储备点标准化建设", "应急物资保障工程", 600, 360, "2022-01-01", "2024-12-31", None, "在建", 55),
)  # fmt: skip


def _projects() -> list[dict]:
    keys = ("name", "category", "planned_investment", "completed_investment", "start",
            "planned_end", "actual_end", "status", "progress")  # fmt: skip
    rows = []
    for rec in PROJECTS:
        r = dict(zip(keys, rec, strict=True))
        for k in ("start", "planned_end", "actual_end"):
            r[k] = _d(r[k]) if r[k] else None
        r["as_of"] = MID_END  # the ledger's 填报时点, as data (planeval.snapshots)
        rows.append(r)
    return rows


# ---------------------------------------------------------------------------------------------
# The plan's task list (规划任务): each task's section (outline id), lead and partner departments,
# deadline, and the state each lead department reported at the mid-term (填报时点 2023-06-30).
# ---------------------------------------------------------------------------------------------
TASKS_REPORTED = "2023-06-30"
TASKS: tuple[tuple, ...] = (
    # id, section, task, lead, partners, deadline, status, progress text
    ("RW-01", "system.leadership", "落实党政领导干部安全生产责任制", "县委办公室", "县政府办公室、县应急管理局", "2021-12-31", "已完成",
     "县委、县政府印发党政领导干部安全生产责任制实施细则，县委常委会、县政府常务会议每季度专题研究安全生产工作"),
    ("RW-02", "system.leadership", "加强应急管理系统党的建设和干部队伍建设", "县应急管理局", None, None, "序时推进",
     "局党委落实理论学习中心组学习制度，结合巡察整改健全党内规章制度12项，开展警示教育4次"),
    ("RW-03", "system.command", "组建县应急指挥部并完善工作规则", "县应急管理局", "县防汛抗旱指挥部各成员单位", "2021-12-31", "已完成",
     "整合防汛抗旱、抗震救灾、森林防灭火等指挥机构，形成统一指挥的县应急指挥部，办公室设在县应急管理局"),
    ("RW-04", "system.command", "推进县安委办实体化运行", "县安委办", "县委编办", "2022-12-31", "序时推进",
     "已成立8个安全生产专业委员会，安委办人员抽调方案尚待县委编办批复"),
    ("RW-05", "system.command", "建立乡镇、村应急值班值守机制", "县应急管理局", "各乡镇", "2022-06-30", "已完成",
     "12个乡镇全部落实24小时应急值班，村级灾害信息员实现全覆盖"),
    ("RW-06", "system.linkage", "建立应急管理部门权责清单和协同响应机制", "县应急管理局", "县住建局、县交通运输局、县水利局、县自然资源局", "2022-12-31", "已完成",
     "印发应急管理权责清单，明确19个部门的灾害事故应对职责和协同流程"),
    ("RW-07", "system.linkage", "健全军地联合应急协调机制", "县人武部", "县应急管理局、县消防救援大队", "2023-12-31", "序时推进",
     "建立军地灾情通报和联合会商制度，2022年汛期开展军地联合演练1次"),
    ("RW-08", "system.responsibility", "将安委会成员单位安全生产职责写入部门“三定”规定", "县委编办", "县安委办", "2022-06-30", "已完成",
     "31个成员单位安全生产职责已写入“三定”规定，新业态监管职责由安委办组织认定"),
    ("RW-09", "system.responsibility", "完善安全生产和应急管理工作考核评价", "县安委办", "县委组织部", None, "序时推进",
     "考核结果纳入乡镇和部门年度综合考核，2022年对2个乡镇实行“一票否决”预警"),
    ("RW-10", "system.enforcement", "组建县应急管理综合行政执法大队", "县应急管理局", "县委编办", "2021-12-31", "已完成",
     "执法大队核定编制18名，已到岗16名，执法人员全部持证上岗"),
    ("RW-11", "system.enforcement", "推行执法全过程记录和“双随机、一公开”", "县应急管理局", None, None, "序时推进",
     "执法记录仪配备到每个执法小组，双随机抽查结果全部在县政府网站公开"),
    ("RW-12", "risk.prevention", "制定县安全生产禁止和限制类产业目录", "县发展改革委", "县应急管理局、县经济和信息化局", "2022-06-30", "已完成",
     "目录于2022年5月印发，新建化工项目准入条件同步实施"),
    ("RW-13", "risk.prevention", "推动危险化学品生产企业进区入园", "县经济和信息化局", "县应急管理局、县自然资源局", "2024-12-31", "序时推进",
     "园区外7家危险化学品生产企业中已有4家完成搬迁"),
    ("RW-14", "risk.assessment", "开展第一次全国自然灾害综合风险普查", "县应急管理局", "县自然资源局、县水利局、县气象局", "2022-12-31", "已完成",
     "普查成果通过省级核查，建立县级灾害风险数据库"),
    ("RW-15", "risk.assessment", "绘制安全生产风险“四色图”", "县应急管理局", "各行业主管部门", "2023-06-30", "已完成",
     "完成全县重点企业风险辨识评估，绘制县、乡两级安全风险分布图"),
    ("RW-16", "risk.monitoring", "建设城市生命线安全监测系统", "县住建局", "县数据资源局、县燃气公司", "2024-12-31", "滞后",
     "燃气管网监测一期完成可研，供排水、桥梁监测尚未立项"),
    ("RW-17", "risk.monitoring", "优化地质灾害和气象灾害监测站网", "县自然资源局", "县气象局、县水利局", "2023-12-31", "序时推进",
     "新建地质灾害普适型监测点42处、自动气象站6个"),
    ("RW-18", "risk.control", "落实安全生产十五条措施县级细化举措", "县安委办", "各成员单位", "2022-12-31", "已完成",
     "县层面细化措施32条，逐条明确牵头单位和完成时限"),
    ("RW-19", "risk.sectors.道路交通", "实施“两客一危”和重型货车隐患清单化排查", "县公安局交警大队", "县交通运输局", None, "序时推进",
     "对辖区“两客一危”、重型货车的检验、报废、交通违法逐车建立清单"),
    ("RW-20", "risk.sectors.城市建设和运行", "完成老旧小区燃气管网隐患整治", "县住建局", "县燃气公司、各乡镇", "2022-12-31", "序时推进",
     "列入计划的46个小区中已完成29个，其余受管线迁改制约"),
    ("RW-21", "disasters", "修订县级自然灾害类专项应急预案", "县应急管理局", "县水利局、县自然资源局", "2022-12-31", "已完成",
     "修订低温雨雪冰冻、地震、防汛抗旱、突发地质灾害4部专项预案"),
    ("RW-22", "disasters", "推进应急避难场所规范化建设", "县应急管理局", "县教育局、县文旅体育局", "2024-12-31", "序时推进",
     "依托学校、体育场馆改造避难场所9处，可容纳2.1万人"),
    ("RW-23", "rescue", "建设乡镇应急消防站", "县消防救援大队", "各乡镇", "2022-06-30", "已完成",
     "6个乡镇应急消防站建成投用，配备消防车12辆"),
    ("RW-24", "rescue", "培育社会应急救援力量", "县应急管理局", "团县委、县红十字会", "2025-12-31", "滞后",
     "已登记社会救援队伍3支，距规划目标6支尚差3支，队伍装备和训练经费未落实"),
    ("RW-25", "reserves", "建立县、乡、村三级应急物资储备体系", "县应急管理局", "县发展改革委、县财政局", "2023-12-31", "序时推进",
     "县级储备库扩建进度70%，乡镇储备点标准化建设完成7个"),
    ("RW-26", "reserves", "建立应急物资协议储备和紧急采购机制", "县发展改革委", "县应急管理局、县财政局", "2022-12-31", "已完成",
     "与4家企业签订协议储备合同，印发灾害应急处置期间紧急采购办法"),
    ("RW-27", "technology", "推进“工业互联网+安全生产”应用", "县经济和信息化局", "县应急管理局", "2025-12-31", "序时推进",
     "13家规模以上工业企业接入风险监测感知网络"),
    ("RW-28", "technology", "建立县应急管理专家库", "县应急管理局", None, "2021-12-31", "已完成",
     "专家库入库专家56名，覆盖危险化学品、工贸、消防、自然灾害等领域"),
    ("RW-29", "technology", "建设安全应急产业园", "县经济和信息化局", "县发展改革委", "2025-12-31", "未启动",
     "选址和招商方案尚未确定"),
    ("RW-30", "society", "开展安全宣传“五进”活动", "县应急管理局", "县委宣传部、县教育局", None, "序时推进",
     "依托“县应急管理局发布”公众号开展警示宣传，每年组织“五进”活动"),
    ("RW-31", "society", "推进安全生产责任保险扩面", "县应急管理局", "县金融工作服务中心", "2023-06-30", "已完成",
     "高危行业领域企业安全生产责任保险投保率达到100%"),
)  # fmt: skip

# A sector's or campaign's own results (工作成果): (sector, campaign or None, measure, value,
# unit, date). 道路交通's rates are measures too.
RESULTS: tuple[tuple, ...] = (
    ("危险化学品", "成品油专项整治", "查处非法加油车", 9, "辆", "2021-12-31"),
    ("危险化学品", "成品油专项整治", "收缴非法成品汽油", 1260, "升", "2021-12-31"),
    ("工贸行业", None, "铸造企业安全验收评价", 14, "家", "2022-09-30"),
    ("消防", "高层公共建筑消防安全专项整治", "排查高层商住楼", 36, "栋", "2022-11-30"),
    ("消防", "“三合一”场所消防安全专项整治", "排查集中住宿场所", 48, "处", "2023-06-30"),
    ("城市建设和运行", GAS_CAMPAIGN, "安装燃气报警装置", 318, "户", "2023-06-30"),
    ("道路交通", None, "“两客一危”及重型货车检验率", 100, "%", "2022-12-31"),
    ("道路交通", None, "“两客一危”及重型货车报废率", 100, "%", "2022-12-31"),
    ("道路交通", None, "交通违法处理率", 86, "%", "2022-12-31"),
    ("道路交通", None, "交通违法处理率", 88, "%", "2023-06-30"),
)  # fmt: skip


def _tasks() -> list[dict]:
    keys = ("id", "section", "task", "lead", "partners", "deadline", "status", "progress_note")
    rows = []
    for rec in TASKS:
        r = dict(zip(keys, rec, strict=True))
        r["deadline"] = _d(r["deadline"]) if r["deadline"] else None
        r["reported"] = _d(TASKS_REPORTED)
        rows.append(r)
    return rows


def _results() -> list[dict]:
    keys = ("sector", "campaign", "measure", "value", "unit", "date")
    rows = []
    for rec in RESULTS:
        r = dict(zip(keys, rec, strict=True))
        r["date"] = _d(r["date"])
        rows.append(r)
    return rows


OUTREACH = {
    "培训": (38, (40, 400), ("企业主要负责人和安全管理人员安全培训", "特种作业人员安全培训",
                             "乡镇应急管理干部业务培训", "危险化学品企业从业人员培训",
                             "基层灾害信息员培训", "应急救援队伍技能培训")),
    "宣传": (16, (500, 6000), ("安全生产月宣传咨询日活动", "防灾减灾日主题宣传", "消防宣传月活动",
                               "安全宣传进企业进农村进社区进学校进家庭", "应急科普宣传周")),
    "志愿者": (9, (20, 150), ("应急志愿者防汛值守", "应急志愿者技能培训", "社区隐患排查志愿服务",
                              "森林防火志愿巡护")),
}  # fmt: skip
OUTREACH_MONTH = {"安全生产月宣传咨询日活动": 6, "防灾减灾日主题宣传": 5, "消防宣传月活动": 11}


def _outreach() -> list[dict]:
    rng = _rng(9)
    rows = []
    for year in range(LEDGER_START.year, LEDGER_END.year + 1):
        growth = 1.0 + 0.08 * max(0, year - 2020)
        for typ, (n, (lo, hi), titles) in OUTREACH.items():
            for _ in range(int(rng.poisson(n * growth))):
                title = titles[int(rng.integers(len(titles)))]
                m = OUTREACH_MONTH.get(title)
                if m:
                    day = _day(rng, date(year, m, 1), date(year, m, 28))
                else:
                    day = _day(rng, date(year, 1, 5), date(year, 12, 20))
                rows.append({"date": day, "type": typ, "title": f"{year}年{title}",
                             "persons": int(rng.integers(lo, hi + 1))})  # fmt: skip
    rows.sort(key=lambda r: (r["date"], r["type"], r["title"], r["persons"]))
    return rows


def _industrial_deaths(year: int) -> int:
    from planeval.vocab import INDUSTRIAL_SECTORS

    return sum(a[4] for a in ACCIDENTS if a[0].startswith(str(year)) and a[2] in INDUSTRIAL_SECTORS)


def _indicators() -> list[dict]:
    base_industrial = round(_industrial_deaths(2020) / (WORKERS[2020] / 10), 2)
    rows = [
        ("1", "生产安全事故起数", "起", "accident_count", "decline_pct", 10, "约束性", "较2020年下降10%"),
        ("2", "生产安全事故死亡人数", "人", "accident_deaths", "decline_pct", 15, "约束性", "较2020年下降15%"),
        ("3", "较大以上生产安全事故起数", "起", "major_accident_count_cum", "max_count", 0, "约束性",
         "2021年起累计，控制在0起"),
        ("4", "亿元生产总值生产安全事故死亡率", "人/亿元", "deaths_per_100m_gdp", "decline_pct", 33, "约束性",
         "按当年价地区生产总值计算，较2020年下降33%"),
        ("5", "十万人口火灾死亡率", "人/十万人", "fire_deaths_per_100k", "max_value", 0.18, "预期性",
         "按常住人口计算，不高于0.18"),
        ("6", "工矿商贸就业人员十万人生产安全事故死亡率", "人/十万人", "industrial_deaths_per_100k_workers",
         "decline_pct", 20, "约束性", "基期值取自2020年统计公报，较2020年下降20%"),
        ("7", "年均每百万人口因自然灾害死亡率", "人/百万人", "disaster_deaths_per_million", "max_value", 1,
         "预期性", "含失踪，2021—2025年年均值低于1"),
        ("8", "年均每十万人受灾人次", "人次/十万人", "disaster_affected_per_100k", "max_value", 15000,
         "预期性", "2021—2025年年均值低于15000"),
        ("9", "年均自然灾害直接经济损失占GDP比例", "%", "disaster_loss_share_gdp", "max_value", 1, "预期性",
         "数值为百分数（1即1%），2021—2025年年均值低于1%"),
    ]  # fmt: skip
    out = []
    for code, name, unit, formula, ttype, tval, attr, note in rows:
        out.append(
            {
                "code": code,
                "name": name,
                "unit": unit,
                "formula": formula,
                "base_year": 2020,
                "base_value": base_industrial
                if formula == "industrial_deaths_per_100k_workers"
                else None,
                "target_type": ttype,
                "target_value": tval,
                "attribute": attr,
                "note": note,
            }
        )
    return out


def _annual(fires: list[dict]) -> list[dict]:
    rows = []
    for year in YEARS:
        for measure, series in (("地区生产总值(亿元)", GDP), ("常住人口(万人)", POPULATION),
                                ("工矿商贸就业人员(万人)", WORKERS), ("机动车保有量(万辆)", VEHICLES)):  # fmt: skip
            rows.append(
                {"year": year, "measure": measure, "value": series[year], "basis_note": None}
            )
    for measure, by_year in PRE_LEDGER_TOTALS.items():
        for year, v in by_year.items():
            rows.append({"year": year, "measure": measure, "value": v, "basis_note": None})
    fires21 = [f for f in fires if f["date"].year == 2021]
    rows.append(
        {"year": 2021, "measure": "火灾起数", "value": len(fires21), "basis_note": FIRE_BREAK_NOTE}
    )
    rows.append({"year": 2021, "measure": "火灾死亡人数", "value": sum(f["deaths"] for f in fires21),
                 "basis_note": FIRE_BREAK_NOTE})  # fmt: skip
    rows.sort(key=lambda r: (r["year"], list(_MEASURE_ORDER).index(r["measure"])))
    return rows


def _measure_order() -> tuple[str, ...]:
    from planeval.vocab import ANNUAL_MEASURES

    return ANNUAL_MEASURES


_MEASURE_ORDER = _measure_order()


def build_tables() -> dict[str, list[dict]]:
    """All ledgers of the demo pack as rows keyed by English field names.

    Returns
    -------
    dict
        ledger key (``schema.LEDGERS``) → list of row dicts.
    """
    pools = _unit_pools(_rng(1))
    fires = _fires()
    inspections, hazards, campaigns = _inspections_and_hazards(pools)
    return {
        "indicators": _indicators(),
        "annual": _annual(fires),
        "accidents": _accidents(),
        "fires": fires,
        "disasters": _disasters(),
        "inspections": inspections,
        "hazards": hazards,
        "campaigns": campaigns,
        "plans": _plans(),
        "drills": _drills(),
        "reserves": _reserves(),
        "teams": _teams(),
        "projects": _projects(),
        "outreach": _outreach(),
        "tasks": _tasks(),
        "results": _results(),
    }


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------
def _write_workbook(tables: dict[str, list[dict]], path: Path) -> None:
    """The demo workbook through the template's own ledger writer
    (:func:`planeval.data.template.ledgers_workbook`: every field of each ledger, its Chinese
    header, date formats, widths), with fixed properties and a clock-free zip."""
    frames = {
        lg.key: pd.DataFrame(tables[lg.key], columns=[f.name for f in lg.fields], dtype=object)
        for lg in LEDGERS
        if lg.key in tables
    }
    wb = ledgers_workbook(frames)
    wb.properties.creator = "planeval make-demo"
    wb.properties.lastModifiedBy = "planeval make-demo"
    wb.properties.title = f"{COUNTY}应急管理台账（示例数据）"
    wb.properties.created = FIXED_STAMP
    wb.properties.modified = FIXED_STAMP
    buf = io.BytesIO()
    wb.save(buf)
    _write_deterministic_zip(buf.getvalue(), path)


def _write_deterministic_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx zip with fixed entry timestamps so the bytes do not depend on the clock."""
    stamp = FIXED_STAMP.timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            body = zin.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                    body,
                )
            zout.writestr(zi, body)
    path.write_bytes(out.getvalue())


NOTES: dict[str, str] = {
    "risk": """\
示例县以安全生产专项整治三年行动为主线，2022年7月东湖镇“7·14”较大中毒窒息事故发生后，
县安委会立即部署有限空间作业专项整治，对涉有限空间企业逐一建档、逐企检查。

城市建设和运行领域隐患整改进度偏慢，主要是部分老旧自建房需拆除重建、燃气管线被违章建筑占压，
需要住建、自然资源和乡镇协同推进，已列入县安委会挂牌督办清单。
""",
    "suggestions": """\
建立应急管理部门与住建、交通运输、水利、自然资源等部门的规划实施会商机制，每半年通报一次重点任务和重大工程进展，统筹燃气管网改造、城区排涝等工程与道路改造的施工时序，减少重复开挖、缩短占道工期。

加强与财政部门的衔接，将尚未完工的规划重大工程纳入年度预算和专项债券项目储备，落实后续建设资金。
""",
    # Outline notes (notes/<section id>.md): text the ledgers cannot hold, placed in that section.
    "system.leadership": """\
县委、县政府把应急管理工作纳入全县经济社会发展大局统筹推进，{{ period }}县委常委会专题研究应急管理和安全生产工作11次，县政府常务会议研究部署23次。
""",
    "system.enforcement": """\
县委编办印发《关于设立示例县应急管理综合行政执法大队的通知》，明确执法大队的机构规格、人员编制和经费保障。
""",
    "technology": """\
县应急管理局依托省应急管理信息化平台，推进安全生产风险监测、自然灾害监测预警和应急指挥数据汇聚，信息化系统机房实行台账式运维管理。
""",
    "projects.智慧应急工程.县应急指挥中心信息化平台建设": """\
依托县智慧城市运营指挥中心现有资源，建成值班值守、信息汇聚、监测预警、会商决策和指挥调度功能，与市级平台互联互通。
""",
    "projects.安全生产风险防控工程.城镇燃气管网老化更新改造工程": """\
改造老旧燃气管网的同时同步加装管网压力和泄漏监测设备，数据接入城市生命线安全监测系统。
""",
    # (the ledger's 填报时点 is its 填报时点 column, planeval.snapshots)
    "projects": """\
重大工程台账由各项目主管部门填报。城镇燃气管网老化更新改造工程涉及老旧小区管线迁改，需与住建、交通运输部门的道路改造工程同步组织施工，工期受管线迁改进度制约。
""",
}

README = """\
# 示例县 (demo county) data pack

Generated by `planeval make-demo` (`lib/planeval/demo/generate.py`, fixed seed {seed}); do not
edit by hand — change the generator and regenerate. `tests/unit/test_demo.py` regenerates the
pack and compares it with this folder.

## Files

- `{workbook}`: one sheet per ledger, named by the ledger's Chinese name, with the canonical
  Chinese headers of `lib/planeval/data/schema.py`:
{sheets}
- `notes/risk.md`, `notes/suggestions.md`, `notes/projects.md`: example analyst notes (plain
  Markdown) placed in the chapters with the same section id; `notes/projects.md` also states the
  重大工程 ledger's context; the 填报时点 (2023-06-30) is the ledger's 填报时点 column.
- `notes/system.leadership.md`, `notes/technology.md`, `notes/projects.<类别>.<项目>.md` …:
  notes for sections of the report outline without a chapter of their own (`planeval outline`
  lists every section id).

## Coverage and snapshot dates

- 年度汇总: denominators (地区生产总值, 常住人口, 工矿商贸就业人员, 机动车保有量) for 2016-2025;
  accident, fire and disaster totals for 2016-2018, the years before the event ledgers start.
  The only totals given for ledger years are 2021 火灾起数/火灾死亡人数, equal to the 火灾 ledger,
  carrying the 口径说明 of the 2021 change in fire statistics.
- Event ledgers (生产安全事故, 火灾, 自然灾害, 执法检查, 隐患, 专项整治, 应急预案, 应急演练,
  宣传培训) cover 2019-01-01..2025-12-31 (plans: issued from 2016).
- 隐患 is a snapshot at 2025-12-31: a blank 整改完成日期 is still open then; a 整改完成日期 after
  a period's end means the hazard was open at that end.
- 物资储备 and 重大工程 are snapshots at 2023-06-30 (the mid-term evaluation date), stated in
  their 填报时点 column.
- 指标 value of 年均自然灾害直接经济损失占GDP比例 is in percent (1 = 1 %).

## The planted story

{story}
"""


def _story() -> str:
    """The planted-story part of this module's docstring (for the pack's README)."""
    doc = __doc__ or ""
    return doc[doc.index("Denominators") :].strip()


def generate(out_dir: str | Path | None = None) -> Path:
    """Write the demo county pack.

    Parameters
    ----------
    out_dir : folder to write into (created); default ``planeval.paths.DEMO_DATA_DIR``.

    Returns
    -------
    Path
        The folder written.
    """
    out = Path(out_dir) if out_dir else paths.DEMO_DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    tables = build_tables()
    _write_workbook(tables, out / WORKBOOK_NAME)
    notes = out / "notes"
    notes.mkdir(exist_ok=True)
    for sid, text in NOTES.items():
        (notes / f"{sid}.md").write_text(text, encoding="utf-8")
    sheets = "\n".join(
        f"  - {LEDGER_BY_KEY[k].zh} ({k}): {len(rows)} rows — {LEDGER_BY_KEY[k].row_is}"
        for k, rows in tables.items()
    )
    (out / "README.md").write_text(
        README.format(seed=SEED, workbook=WORKBOOK_NAME, sheets=sheets, story=_story()),
        encoding="utf-8",
    )
    return out


def main(out: str | None = None) -> int:
    """Entry point of ``planeval make-demo [OUT]``."""
    path = generate(out)
    print(f"示例县数据包已生成：{path}")
    return 0
