"""（三）重大工程项目进展 — compute: each project's status, schedule position, outlook and the chapter's key figures."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import pandas as pd

from planeval.chapters.projects.model import ProjectsMetrics
from planeval.periods import Period
from planeval.plan import Plan, current_plan
from planeval.snapshots import snapshot_date
from planeval.thresholds import Thresholds, load_thresholds

STATUSES: tuple[str, ...] = ("已完工", "在建", "滞后", "未开工")


# A projected completion later than this is shown as "按目前进度规划期内难以完工", not as a date:
# extrapolating a slow pace many years ahead gives dates (2040 …) that mean nothing.
def projection_horizon(plan: Plan | None = None) -> date:
    """31 December two years after the plan's end (2027-12-31 for 十四五)."""
    return date((plan or current_plan()).end.year + 2, 12, 31)


FAR_TEXT = "按目前进度规划期内难以完工"

_AS_OF_RE = re.compile(
    r"(?:填报时点|数据截至|台账截至)[为是：:\s]*"
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})"
)

# Columns of the status table (English names, one row per project, ledger order).
TABLE_COLUMNS: tuple[str, ...] = (
    "name",
    "category",
    "planned_investment",
    "completed_investment",
    "investment_rate",
    "start",
    "planned_end",
    "actual_end",
    "ledger_status",
    "progress",
    "elapsed_share",
    "progress_gap",
    "status",
    "on_time",
    "start_overdue",
    "projected_end",
    "can_finish",
    "investment_lag",
    "projected_far",
    "_row",
)


def timestamp_or_none(x: Any) -> pd.Timestamp | None:
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return None
    return pd.Timestamp(x).normalize()


def _elapsed_share(
    start: pd.Timestamp | None, planned_end: pd.Timestamp | None, end: pd.Timestamp
) -> float:
    """Share of the planned duration elapsed at ``end`` (0..1); NaN when dates are missing."""
    if start is None or planned_end is None:
        return math.nan
    if end < start:
        return 0.0
    total = (planned_end - start).days
    if total <= 0:
        return 1.0
    return float(min(1.0, max(0.0, (end - start).days / total)))


def ledger_as_of(pack: Any) -> date | None:
    """The 填报时点 the pack states for its 重大工程 ledger, or None.

    It is the ledger's 填报时点 column (:func:`planeval.snapshots.snapshot_date`). Only a pack
    without that column is still read the old way, from the analyst note of section ``projects``
    (``notes/projects.md``: the first "填报时点", "数据截至" or "台账截至" followed by a date).

    Examples
    --------
    >>> from pathlib import Path
    >>> from planeval.data.pack import DataPack
    >>> ledger_as_of(DataPack(Path("."), {}, notes={"projects": "台账填报时点为2023年6月30日。"}))
    datetime.date(2023, 6, 30)
    >>> ledger_as_of(DataPack(Path("."), {})) is None
    True
    """
    if (d := snapshot_date(pack, "projects")) is not None:
        return d
    notes = getattr(pack, "notes", None) or {}
    m = _AS_OF_RE.search(str(notes.get("projects") or ""))
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def latest_recorded(projects: pd.DataFrame) -> date | None:
    """The latest day the ledger records as a fact: 实际完工日期, or 开工日期 of a project with
    progress (a 开工日期 of a project not started is a plan, not a fact). None when none."""
    days: list[pd.Timestamp] = []
    for _, r in projects.iterrows():
        a, st = timestamp_or_none(r.get("actual_end")), timestamp_or_none(r.get("start"))
        prog = r.get("progress")
        if a is not None:
            days.append(a)
        if st is not None and prog is not None and not pd.isna(prog) and float(prog) > 0:
            days.append(st)
    return max(days).date() if days else None


def evaluation_dates(
    projects: pd.DataFrame, period: Period, as_of: date | None = None
) -> tuple[date, date, bool]:
    """``(evaluated_at, data_date, declared)`` under the module's 填报时点 rule.

    ``data_date`` is the stated ``as_of`` (``declared`` True), else the period end, or the latest
    recorded day when that is later; ``evaluated_at`` = min(period end, data_date).
    """
    end = period.end
    if as_of is not None:
        d, declared = as_of, True
    else:
        latest = latest_recorded(projects)
        d, declared = (latest if latest is not None and latest > end else end), False
    return min(end, d), d, declared


def project_status(
    row: pd.Series | dict,
    period: Period,
    thresholds: Thresholds | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """Status and outlook of one project at the evaluation date (rules in the module docstring).

    Parameters
    ----------
    row
        A 重大工程 ledger row (English field names; ``progress`` in percent 0..100).
    period
        The evaluation period; its end is the evaluation date.
    thresholds
        Findings thresholds (``projects.delay_gap``, ``projects.investment_gap``).
    as_of
        The ledger's 填报时点 D; None means the period end. The project is judged at
        min(period end, D); progress and investment are D's.

    Returns
    -------
    dict
        The TABLE_COLUMNS values for the project (``progress``, shares and rates as fractions).

    Examples
    --------
    >>> from planeval.periods import Period
    >>> r = {"name": "甲", "category": "A", "planned_investment": 100.0, "completed_investment": 30.0,
    ...      "start": "2022-01-01", "planned_end": "2023-12-31", "actual_end": None,
    ...      "status": "在建", "progress": 20.0}
    >>> s = project_status(r, Period.parse("midterm"))
    >>> round(s["elapsed_share"], 3), s["status"]
    (0.748, '滞后')
    """
    t = thresholds or load_thresholds()
    gap_limit = float(t["projects.delay_gap"])
    inv_gap = float(t["projects.investment_gap"])
    end = pd.Timestamp(period.end if as_of is None else min(period.end, as_of))
    data_at = pd.Timestamp(as_of) if as_of is not None and as_of > period.end else end
    plan_end = pd.Timestamp(period.plan.end)
    get = row.get if isinstance(row, dict) else (lambda k, d=None: row[k] if k in row.index else d)

    start = timestamp_or_none(get("start"))
    planned_end = timestamp_or_none(get("planned_end"))
    actual_end = timestamp_or_none(get("actual_end"))
    ledger_status = get("status")
    ledger_status = None if ledger_status is None or pd.isna(ledger_status) else str(ledger_status)
    raw_progress = get("progress")
    progress = 0.0 if raw_progress is None or pd.isna(raw_progress) else float(raw_progress) / 100
    progress = min(max(progress, 0.0), 1.0)
    planned = get("planned_investment")
    done = get("completed_investment")
    planned = math.nan if planned is None or pd.isna(planned) else float(planned)
    done = 0.0 if done is None or pd.isna(done) else float(done)
    inv_rate = done / planned if planned and planned > 0 else math.nan

    elapsed = _elapsed_share(start, planned_end, end)
    start_overdue = False
    on_time: bool | None = None
    projected: pd.Timestamp | None = None

    later_data = data_at > end  # the ledger's progress and investment are after ``end``
    finished = (actual_end is not None and actual_end <= end) or (
        actual_end is None and progress >= 1.0 and not later_data
    )
    if finished:
        status = "已完工"
        progress = 1.0
        projected = actual_end
        if actual_end is not None and planned_end is not None:
            on_time = bool(actual_end <= planned_end)
    elif (start is not None and start > end) or (
        progress == 0 and (ledger_status == "未开工" or start is None)
    ):
        # A project whose 开工日期 is after the evaluation date had not started then, whatever
        # progress or investment a later snapshot of the ledger shows: none is attributed.
        status = "未开工"
        started_later = start is not None and start > end and progress > 0
        if start is not None and start > end:
            done = 0.0
            inv_rate = 0.0 if planned and planned > 0 else math.nan
        start_overdue = start is None or start <= end
        if actual_end is not None:
            projected = actual_end
        elif started_later and later_data and start <= data_at:
            per_day = progress / ((data_at - start).days + 1)
            projected = data_at + pd.Timedelta(days=math.ceil((1.0 - progress) / per_day))
        elif start is not None and planned_end is not None:
            begin = max(start, end + pd.Timedelta(days=1))
            projected = begin + (planned_end - start)
        progress = 0.0
    else:
        overdue = planned_end is not None and end > planned_end
        behind = not math.isnan(elapsed) and (elapsed - progress) > gap_limit + 1e-12
        status = "滞后" if (overdue or behind) else "在建"
        if actual_end is not None:
            projected = actual_end  # finished after the period end: the ledger says when
        elif start is not None and progress > 0:
            days = (data_at - start).days + 1  # the pace up to the ledger's date
            per_day = progress / days
            projected = data_at + pd.Timedelta(days=math.ceil((1.0 - progress) / per_day))

    if status == "已完工":
        can_finish: bool | None = True
    elif projected is not None:
        can_finish = bool(projected <= plan_end)
    elif status == "未开工" and start is None:
        can_finish = None  # no start date: undecided, said so in the table
    else:
        can_finish = False  # started, no progress: never at its pace

    under_way = status in ("在建", "滞后")
    inv_lag = bool(
        under_way
        and not math.isnan(inv_rate)
        and not math.isnan(elapsed)
        and (elapsed - inv_rate) > inv_gap + 1e-12
    )
    return {
        "name": str(get("name")),
        "category": str(get("category")),
        "planned_investment": planned,
        "completed_investment": done,
        "investment_rate": inv_rate,
        "start": start,
        "planned_end": planned_end,
        "actual_end": actual_end,
        "ledger_status": ledger_status,
        "progress": progress,
        "elapsed_share": elapsed,
        "progress_gap": (elapsed - progress) if not math.isnan(elapsed) else math.nan,
        "status": status,
        "on_time": on_time,
        "start_overdue": start_overdue,
        "projected_end": projected,
        "can_finish": can_finish,
        "investment_lag": inv_lag,
        "projected_far": bool(
            projected is not None
            and status != "已完工"
            and projected.date() > projection_horizon(period.plan)
        ),
        "_row": get("_row"),
    }


def project_table(
    projects: pd.DataFrame,
    period: Period,
    thresholds: Thresholds | None = None,
    as_of: date | None = None,
) -> pd.DataFrame:
    """One row per project (ledger order) with investment, schedule position, status, outlook.

    Parameters
    ----------
    projects
        The 重大工程 ledger (``pack.projects``).
    period
        Evaluation period.
    thresholds
        Findings thresholds; the documented defaults when None.
    as_of
        The ledger's stated 填报时点 (:func:`ledger_as_of`); None: inferred (module docstring).

    Returns
    -------
    pandas.DataFrame
        Columns TABLE_COLUMNS. Not a view of ``projects`` (the input is not modified).
        ``attrs``: ``evaluated_at`` (评价时点), ``as_of`` (填报时点 used), ``as_of_declared``.
    """
    t = thresholds or load_thresholds()
    evaluated, data_date, declared = evaluation_dates(projects, period, as_of)
    rows = [project_status(r, period, t, data_date) for _, r in projects.iterrows()]
    df = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    for c in ("start", "planned_end", "actual_end", "projected_end"):
        df[c] = pd.to_datetime(df[c])
    df.attrs.update(evaluated_at=evaluated, as_of=data_date, as_of_declared=declared)
    return df


def judged_dates(table: pd.DataFrame, period: Period) -> tuple[date, date, bool]:
    a = table.attrs
    return (
        a.get("evaluated_at", period.end),
        a.get("as_of", period.end),
        bool(a.get("as_of_declared", False)),
    )


def categories(table: pd.DataFrame) -> list[str]:
    """Categories in the order they first appear in the ledger (the analyst's order)."""
    return list(dict.fromkeys(table["category"]))


def _count(table: pd.DataFrame) -> dict[str, int]:
    return {s: int((table["status"] == s).sum()) for s in STATUSES}


def _sum(s: pd.Series) -> float:
    return float(s.fillna(0).sum())


def project_summary(table: pd.DataFrame, period: Period) -> dict[str, Any]:
    """Totals over all projects and per category (used by the narrative and the metrics).

    Returns
    -------
    dict
        ``count``, ``by_status``, ``planned_investment``, ``completed_investment``,
        ``investment_rate`` (NaN when nothing is planned), ``unplanned`` (names of projects
        whose 计划投资 is 0 or blank: left out of the rate, which sums only projects with a
        planned investment — their completed investment would inflate it, even past 100 %),
        ``unplanned_completed`` (their completed investment, 万元; included in
        ``completed_investment``), ``rated_completed_investment`` (the rate's numerator),
        ``plan_elapsed_share``, ``delayed`` /
        ``not_started`` / ``cannot_finish`` / ``undecided`` / ``investment_lag`` (lists of names),
        ``on_time_completed`` / ``late_completed`` (names), and ``categories`` (the same per
        category, without the lists of late completions).
    """

    def block(df: pd.DataFrame) -> dict[str, Any]:
        has_plan = df["planned_investment"].fillna(0) > 0
        planned = _sum(df.loc[has_plan, "planned_investment"])
        rated_done = _sum(df.loc[has_plan, "completed_investment"])
        return {
            "count": len(df),
            "by_status": _count(df),
            "planned_investment": planned,
            "completed_investment": _sum(df["completed_investment"]),
            "rated_completed_investment": rated_done,
            "investment_rate": rated_done / planned if planned > 0 else math.nan,
            "unplanned": df.loc[~has_plan, "name"].tolist(),
            "unplanned_completed": _sum(df.loc[~has_plan, "completed_investment"]),
            "delayed": df.loc[df["status"] == "滞后", "name"].tolist(),
            "not_started": df.loc[df["status"] == "未开工", "name"].tolist(),
            "not_started_overdue": df.loc[
                (df["status"] == "未开工") & df["start_overdue"], "name"
            ].tolist(),
            "cannot_finish": df.loc[df["can_finish"].eq(False), "name"].tolist(),
            "undecided": df.loc[df["can_finish"].isna(), "name"].tolist(),
            "investment_lag": df.loc[df["investment_lag"], "name"].tolist(),
            "on_time_completed": df.loc[df["on_time"].eq(True), "name"].tolist(),
            "late_completed": df.loc[df["on_time"].eq(False), "name"].tolist(),
        }

    out = block(table)
    out["plan_elapsed_share"] = period.plan_elapsed_share
    out["categories"] = {c: block(table[table["category"] == c]) for c in categories(table)}
    return out


def _date_or_none(x: Any) -> str | None:
    ts = timestamp_or_none(x)
    return None if ts is None else ts.date().isoformat()


def project_metrics(
    projects: pd.DataFrame | None,
    period: Period,
    thresholds: Thresholds | None = None,
    as_of: date | None = None,
) -> ProjectsMetrics:
    """The chapter's key figures for the metrics JSON (id ``projects``) and the findings rules.

    Shape::

        {"period": "midterm-2023H1", "period_end": "2023-06-30", "available": true,
         "summary": {...project_summary without per-category lists...},
         "projects": [{"name", "category", "planned_investment", "completed_investment",
                       "investment_rate", "start", "planned_end", "actual_end", "progress",
                       "elapsed_share", "progress_gap", "status", "on_time", "start_overdue",
                       "projected_end", "can_finish", "investment_lag", "projected_far"}, ...],
         "evaluated_at": "2023-06-30", "ledger_as_of": "2023-06-30", "as_of_declared": true}

    ``available`` is false (and the rest empty) when the pack has no 重大工程 ledger.
    ``as_of`` is the ledger's stated 填报时点 (:func:`ledger_as_of`). ``projected_end`` is kept
    as computed even when ``projected_far`` (the report then shows no date).
    """
    t = thresholds or load_thresholds()
    table = None if projects is None else project_table(projects, period, t, as_of)
    return table_metrics(table, period, t)


def ledger_table(pack: Any, period: Period, thresholds: Thresholds | None = None):
    """:func:`project_table` of the pack's 重大工程 ledger at its 填报时点, or None without one."""
    if pack.projects is None:
        return None
    return project_table(pack.projects, period, thresholds or load_thresholds(), ledger_as_of(pack))


def table_metrics(
    table: pd.DataFrame | None, period: Period, thresholds: Thresholds | None = None
) -> ProjectsMetrics:
    """The key figures of a :func:`project_table` (None: the pack has no 重大工程 ledger); what
    :func:`project_metrics` returns, for a notebook that already has the table."""
    base = {"period": period.slug, "period_end": period.end.isoformat()}
    if table is None:
        return ProjectsMetrics.of({**base, "available": False, "summary": {}, "projects": []})
    t = thresholds or load_thresholds()
    evaluated, data_date, declared = judged_dates(table, period)
    recs = []
    for r in table.to_dict("records"):
        r.pop("_row", None)
        r.pop("ledger_status", None)
        for c in ("start", "planned_end", "actual_end", "projected_end"):
            r[c] = _date_or_none(r[c])
        r["can_finish"] = None if pd.isna(r["can_finish"]) else bool(r["can_finish"])
        r["on_time"] = None if pd.isna(r["on_time"]) else bool(r["on_time"])
        r["projected_far"] = bool(r["projected_far"])
        recs.append(r)
    return ProjectsMetrics.of(
        {
            **base,
            "available": True,
            "thresholds": {
                "delay_gap": t["projects.delay_gap"],
                "investment_gap": t["projects.investment_gap"],
            },
            "summary": project_summary(table, period),
            "projects": recs,
            "evaluated_at": evaluated.isoformat(),
            "ledger_as_of": data_date.isoformat(),
            "as_of_declared": declared,
        }
    )


def key_figures(pack, period: Period, thresholds: Thresholds | None = None) -> ProjectsMetrics:
    """:func:`project_metrics` of the pack's 重大工程 ledger at its 填报时点 (the registry's
    ``key_figures``)."""
    return project_metrics(pack.projects, Period.parse(period), thresholds, ledger_as_of(pack))


def stale_figures(m: ProjectsMetrics, t: Thresholds) -> bool:
    """True when a projects metrics file was computed with other project thresholds."""
    used = m.thresholds
    return used is not None and (
        float(used.delay_gap) != float(t["projects.delay_gap"])
        or float(used.investment_gap) != float(t["projects.investment_gap"])
    )
