"""一(三) 重大工程项目进展: each plan project's investment, schedule position, status and outlook.

Rules (stated in the chapter's method note, thresholds in ``planeval/thresholds.yaml``):

- 投资完成率 = 已完成投资 / 计划投资 (a project with 计划投资 0 has no rate, "—").
- 工期进度 (elapsed share) = days from 开工日期 to the period end / days from 开工日期 to
  计划完工日期, clipped to 0..1. It is the progress the project should have reached if work went
  evenly over its planned duration.
- Status at the period end, first match wins:
  1. 已完工 — 实际完工日期 on or before the period end, or (no date) 进度 100 %;
  2. 未开工 — 进度 0 and the ledger says 未开工 or 开工日期 is blank or after the period end;
  3. 滞后 — past 计划完工日期 and not finished, or 进度 short of 工期进度 by more than
     ``projects.delay_gap`` (15 percentage points by default);
  4. 在建 — otherwise.
- 预计完工 at the observed pace: period end + (100 − 进度) / (进度 per day since 开工日期); for a
  project not started, the earliest start (the later of 开工日期 and the day after the period end)
  plus its planned duration. A project whose 预计完工 is after 2025-12-31 (the plan's end) cannot
  finish within the plan at its pace; a project started with 进度 0 cannot finish at all at its
  pace. Unknown (no 开工日期 and not started) is left undecided and said so.
- 投资滞后: a project under way whose 投资完成率 falls short of its 工期进度 by more than
  ``projects.investment_gap``.

The ledger is a snapshot: its 形象进度, 已完成投资 and 状态 are the position at the date it was
filled in (填报时点 D), which need not be the period end E. The rule (also in the method note):

- D is the date the pack states in the analyst note of section ``projects``
  (``notes/projects.md``: "填报时点：2023年6月30日" or "数据截至2023-06-30", see
  :func:`ledger_as_of`). When the note states none, D is taken as E, unless the ledger records a
  start or completion on a later day (then D is that latest recorded day, a lower bound).
- The evaluation date (评价时点) is min(E, D): a ledger filled in before the period end is
  judged at its own date (the final report does not pretend a 2023 snapshot describes 2025).
- When D is after E (an annual report read against a later ledger) the dated facts decide the
  position at E: completed on or before E → 已完工; 开工日期 after E → 未开工 with no progress and
  no investment attributed; otherwise under way, with 形象进度 and 已完成投资 as of D (upper bounds
  of the position at E, said so in the text). 滞后 is then only what D's progress already shows.
- 预计完工 is extrapolated from D (the last observed position). A projection later than
  ``projection_horizon()`` (two years after the plan end) is not shown as a date but as
  "按目前进度规划期内难以完工" (``projected_far``; the date stays in the metrics).

The evaluation date and D are kept in ``table.attrs`` (``evaluated_at``, ``as_of``,
``as_of_declared``) by :func:`project_table` and read by the narrative and the chart.

Layers: :mod:`.compute` (statuses, summary, key figures), :mod:`.fmt` (shared
formatting), :mod:`.tables`, :mod:`.narrative`, :mod:`.charts`. The names below are the
chapter's public surface.
"""

from planeval.chapters.projects.charts import (
    gantt_chart,
)
from planeval.chapters.projects.compute import (
    FAR_TEXT,
    STATUSES,
    TABLE_COLUMNS,
    categories,
    evaluation_dates,
    judged_dates,
    key_figures,
    latest_recorded,
    ledger_as_of,
    ledger_table,
    project_metrics,
    project_status,
    project_summary,
    project_table,
    projection_horizon,
    stale_figures,
    table_metrics,
    timestamp_or_none,
)
from planeval.chapters.projects.fmt import (
    outlook_text,
    pct_text,
    span_text,
    wan_text,
)
from planeval.chapters.projects.model import ProjectsMetrics
from planeval.chapters.projects.narrative import (
    caption_date,
    category_sections,
    data_source,
    method_note,
    note_fields,
    outline_blocks,
    summary_narrative,
)
from planeval.chapters.projects.tables import (
    delayed_table,
    display_table,
)

__all__ = [
    "ledger_table",
    "table_metrics",
    "ProjectsMetrics",
    "stale_figures",
    "key_figures",
    "STATUSES",
    "projection_horizon",
    "FAR_TEXT",
    "TABLE_COLUMNS",
    "timestamp_or_none",
    "ledger_as_of",
    "latest_recorded",
    "evaluation_dates",
    "project_status",
    "project_table",
    "judged_dates",
    "categories",
    "project_summary",
    "project_metrics",
    "pct_text",
    "wan_text",
    "span_text",
    "outlook_text",
    "display_table",
    "delayed_table",
    "data_source",
    "caption_date",
    "summary_narrative",
    "category_sections",
    "outline_blocks",
    "method_note",
    "note_fields",
    "gantt_chart",
]
