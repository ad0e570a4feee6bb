"""Whether a data pack holds any data for an evaluation period (a period with none is refused
before any chapter runs, instead of every chapter reading the gap as zero or failing).

Period data are the rows of the event ledgers (those with a date field: 生产安全事故, 火灾,
自然灾害, 执法检查, 隐患, 专项整治, 应急预案, 应急演练, 宣传培训 …) dated in the period, and the
年度汇总 totals of a year that lies wholly in it. Snapshot ledgers and denominators (地区生产总值,
常住人口 …) describe no period and do not count.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planeval.data.schema import LEDGERS
from planeval.periods import Period

#: 年度汇总 measures that are denominators, not data about what happened in a year.
DENOMINATORS = (
    "地区生产总值(亿元)",
    "常住人口(万人)",
    "工矿商贸就业人员(万人)",
    "机动车保有量(万辆)",
)


def period_has_data(pack: Any, p: Period) -> bool:
    """True when some event-ledger row is dated in ``p`` or 年度汇总 has a total (not a
    denominator) for a whole year of ``p``."""
    frames = getattr(pack, "frames", None) or {}
    for lg in LEDGERS:
        df = frames.get(lg.key)
        if df is None or df.empty:
            continue
        if lg.key == "annual":
            whole = [s.start.year for s in p.year_slices() if not s.is_partial_year]
            rows = df[df["year"].isin(whole) & ~df["measure"].isin(DENOMINATORS)]
            if rows["value"].notna().any():
                return True
        elif lg.date_field and lg.date_field in df:
            d = pd.to_datetime(df[lg.date_field], errors="coerce")
            if ((d >= pd.Timestamp(p.start)) & (d <= pd.Timestamp(p.end))).any():
                return True
    return False


def period_data_problem(pack: Any, p: Period) -> str | None:
    """The message that refuses ``p`` when the pack has no data for it (None when it has)."""
    if period_has_data(pack, p):
        return None
    return (
        f"评估期 (period)“{p.label}”内数据包没有任何数据：各事件台账无该时段的记录，年度汇总无该时段"
        "整年的统计数，报告未生成。请检查评估期，或补充该时段的数据"
    )
