"""提升风险管控能力: inspections, hazards, rectification, enforcement and special campaigns
in the eleven key sectors (plus 其他), for an evaluation period and each year inside it.

Rules (the chapter's method note, ``templates/risk/method.md.j2``, states them in Chinese):

- **Inspections** (执法检查, rows dated in the period): 检查单位家次 = rows; 检查次数 = distinct
  检查批次 within a sector, each row without a 批次 counting as one inspection. A 批次 that covers
  several sectors counts once in each of them, so the total is the sum of the sectors.
  执法文书, 行政处罚, 罚款 are the sums of those rows.
- **Hazards** (隐患): the hazards *found* in the period (by 发现日期). A hazard is *rectified*
  when its 整改完成日期 is filled and not later than the period end; otherwise it is *open* at the
  period end (found = rectified + open). 整改率 = rectified / found; a sector with no hazards
  has no rate (shown “—”, never 0 % or 100 %).
- **Overdue** (逾期) is judged against 整改期限 only: an open hazard is overdue when the period end
  is after its deadline (open on the deadline day itself is not yet overdue); a rectified hazard
  was rectified late (逾期整改) when its 整改完成日期 is after the deadline — rectified ON the
  deadline is on time, one day after is late. Hazards without a 整改期限 are not judged.
- **Age of open major hazards** at the period end: 未到期 (no deadline, or deadline not passed),
  逾期≤30天, 逾期31–90天, 逾期>90天 (days from the deadline to the period end).
- **Campaigns** (专项整治): a campaign row belongs to the period in which its 开始日期 falls, so a
  campaign spanning two periods is counted once, in the period it started, with the figures the
  ledger records (marked 进行中 when its 结束日期 is blank or after the period end). Rows that
  started before the period but were still running in it are listed as 跨期 in the method note,
  not counted.
- **Years**: the same figures for each calendar-year slice of the period; a partial-year slice
  (e.g. 2023年上半年) is compared with the same period a year earlier (2022年上半年), whose
  rectification cut-off is that earlier period's end.

Layers: :mod:`.compute` (figures, key figures), :mod:`.tables`, :mod:`.narrative`,
:mod:`.charts`. The names below are the chapter's public surface.
"""

from planeval.chapters.risk.charts import (
    chart_found_vs_fixed,
    chart_open_major_age,
    chart_quarterly,
    chart_rates,
)
from planeval.chapters.risk.compute import (
    AGE_BUCKETS,
    BENCHMARK_KEY,
    BENCHMARK_LABEL,
    BENCHMARK_MAJOR_RATE,
    CAMPAIGN_COLS,
    COUNT_COLS,
    FIGURE_COLS,
    HAZARD_COLS,
    INSPECTION_COLS,
    LEDGER_ZH,
    RATE_COLS,
    SUMMARY_ZH,
    TOTAL,
    RiskResult,
    YearRow,
    below_benchmark,
    benchmark_label,
    benchmark_scope,
    campaign_checks,
    campaign_figures,
    campaign_rows,
    carried_over_campaigns,
    checks_by,
    count_checks,
    expert_units,
    hazard_figures,
    hazard_flags,
    inspection_figures,
    key_figures,
    metrics,
    open_major_ages,
    quarterly_inspections,
    result_rows,
    sector_figures,
    summarise,
    total_row,
)
from planeval.chapters.risk.model import RiskMetrics
from planeval.chapters.risk.narrative import (
    measure_word,
    method_note,
    missing_notice,
    note_fields,
    sector_blocks,
    sector_sections,
    summary_narrative,
)
from planeval.chapters.risk.tables import (
    campaign_table,
    summary_frame,
    summary_table,
    year_table,
)

__all__ = [
    "RiskMetrics",
    "key_figures",
    "BENCHMARK_KEY",
    "BENCHMARK_MAJOR_RATE",
    "benchmark_label",
    "BENCHMARK_LABEL",
    "benchmark_scope",
    "below_benchmark",
    "INSPECTION_COLS",
    "HAZARD_COLS",
    "RATE_COLS",
    "CAMPAIGN_COLS",
    "COUNT_COLS",
    "FIGURE_COLS",
    "AGE_BUCKETS",
    "LEDGER_ZH",
    "TOTAL",
    "SUMMARY_ZH",
    "checks_by",
    "count_checks",
    "inspection_figures",
    "quarterly_inspections",
    "hazard_flags",
    "hazard_figures",
    "open_major_ages",
    "campaign_checks",
    "campaign_rows",
    "expert_units",
    "result_rows",
    "carried_over_campaigns",
    "campaign_figures",
    "sector_figures",
    "total_row",
    "YearRow",
    "RiskResult",
    "summarise",
    "metrics",
    "summary_frame",
    "summary_table",
    "year_table",
    "campaign_table",
    "measure_word",
    "summary_narrative",
    "sector_sections",
    "sector_blocks",
    "method_note",
    "missing_notice",
    "note_fields",
    "chart_found_vs_fixed",
    "chart_rates",
    "chart_open_major_age",
    "chart_quarterly",
]
