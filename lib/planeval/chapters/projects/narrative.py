"""（三）重大工程项目进展 — narrative: paragraphs, category sections, the method note, the analyst note's fields."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planeval.chapters.projects.compute import (
    categories,
    judged_dates,
    project_summary,
    projection_horizon,
    timestamp_or_none,
)
from planeval.chapters.projects.fmt import outlook_text
from planeval.narrative.phrasing import fmt_date
from planeval.narrative.render import Narrative, render
from planeval.periods import Period
from planeval.thresholds import Thresholds, load_thresholds


# -------------------------------------------------------------------------------- narrative
def _row_ctx(r: pd.Series) -> dict[str, Any]:
    def opt(x: Any) -> str | None:
        return None if timestamp_or_none(x) is None else fmt_date(x)

    return {
        "name": r["name"],
        "status": r["status"],
        "progress": r["progress"],
        "elapsed": None if pd.isna(r["elapsed_share"]) else float(r["elapsed_share"]),
        "planned_investment": r["planned_investment"],
        "completed_investment": r["completed_investment"],
        "investment_rate": r["investment_rate"],
        "start": opt(r["start"]),
        "planned_end": opt(r["planned_end"]),
        "actual_end": opt(r["actual_end"]),
        "on_time": r["on_time"] if r["on_time"] in (True, False) else None,
        "outlook": outlook_text(r),
    }


def data_source(table: pd.DataFrame, period: Period) -> dict[str, Any]:
    """How the ledger's date relates to the period (for the narrative and the caption).

    Returns
    -------
    dict
        ``evaluated_at`` / ``as_of`` (Chinese dates), ``declared`` (the pack states 填报时点),
        ``relation``: "same" (填报时点 = period end), "before" (judged at the earlier 填报时点)
        or "after" (the ledger is later than the period end).
    """
    evaluated, data_date, declared = judged_dates(table, period)
    relation = (
        "same" if data_date == period.end else ("before" if data_date < period.end else "after")
    )
    return {
        "evaluated_at": fmt_date(evaluated),
        "as_of": fmt_date(data_date),
        "declared": declared,
        "relation": relation,
    }


def caption_date(table: pd.DataFrame, period: Period) -> str:
    """The evaluation date for the table caption ("2023年6月30日"); when the ledger is later
    than the period end, also whose date its progress and investment are."""
    evaluated, data_date, _ = judged_dates(table, period)
    if data_date > evaluated:
        return f"{fmt_date(evaluated)}；形象进度和投资为{fmt_date(data_date)}填报数"
    return fmt_date(evaluated)


def summary_narrative(table: pd.DataFrame, period: Period, county: str = "") -> Narrative:
    """The chapter's opening paragraph (template ``projects/summary.md.j2``)."""
    evaluated = judged_dates(table, period)[0]
    share = (
        period.plan_elapsed_share
        if evaluated == period.end
        else period.plan.elapsed_share(evaluated)
    )
    return render(
        "projects/summary.md.j2",
        s=project_summary(table, period),
        end_text=fmt_date(evaluated),
        time_share=share,
        county=county,
        src=data_source(table, period),
    )


def category_sections(table: pd.DataFrame, period: Period) -> list[tuple[str, Narrative]]:
    """One ``(heading, narrative)`` per 类别 in ledger order, headings numbered 1．2．…"""
    summ = project_summary(table, period)["categories"]
    later = data_source(table, period)["relation"] == "after"
    out = []
    for i, c in enumerate(categories(table), 1):
        rows = [
            {**_row_ctx(r), "later_data": later}
            for _, r in table[table["category"] == c].iterrows()
        ]
        out.append((f"{i}．{c}", render("projects/category.md.j2", c=summ[c], rows=rows)))
    return out


def outline_blocks(table: pd.DataFrame, period: Period) -> list[tuple[str, str, Narrative, int]]:
    """The blocks the outline places under （三）重大工程项目进展, in ledger order: per 类别
    ``("projects.category:<类别>", "1．<类别>", opening sentence, 4)``, then per project
    ``("projects.project:<项目名称>", "（1）<项目名称>", its sentence, 5)``. The titles are the
    chapter's own, shown where it is read on its own; the report numbers by the outline."""
    summ = project_summary(table, period)["categories"]
    later = data_source(table, period)["relation"] == "after"
    out: list[tuple[str, str, Narrative, int]] = []
    for i, c in enumerate(categories(table), 1):
        out.append(
            (
                f"projects.category:{c}",
                f"{i}．{c}",
                render("projects/category_intro.md.j2", c=summ[c]),
                4,
            )
        )
        for j, (_, r) in enumerate(table[table["category"] == c].iterrows(), 1):
            row = {**_row_ctx(r), "later_data": later}
            out.append(
                (
                    f"projects.project:{r['name']}",
                    f"（{j}）{r['name']}",
                    render("projects/project.md.j2", r=row),
                    5,
                )
            )
    return out


def method_note(
    thresholds: Thresholds | None = None,
    table: pd.DataFrame | None = None,
    period: Period | None = None,
) -> Narrative:
    """How investment rate, schedule position and status are computed; with ``table`` and
    ``period`` it also states the ledger's 填报时点 and the evaluation date used."""
    h = projection_horizon(period.plan if period is not None else None)
    summ = project_summary(table, period) if table is not None and period is not None else None
    return render(
        "projects/method.md.j2",
        t=thresholds or load_thresholds(),
        horizon=fmt_date(h),
        src=data_source(table, period) if summ is not None else None,
        unplanned=summ["unplanned"] if summ is not None else [],
        unplanned_completed=summ["unplanned_completed"] if summ is not None else 0.0,
    )


def note_fields(table: pd.DataFrame, period: Period) -> dict[str, Any]:
    """Fields an analyst's note for section ``projects`` may use (``{{ investment_rate|pct }}``)."""
    s = project_summary(table, period)
    b = s["by_status"]
    return {
        "period": period.label,
        "project_count": s["count"],
        "planned_investment": s["planned_investment"],
        "completed_investment": s["completed_investment"],
        "investment_rate": s["investment_rate"],
        "completed_count": b["已完工"],
        "building_count": b["在建"],
        "delayed_count": b["滞后"],
        "not_started_count": b["未开工"],
    }
