"""一(三) 重大工程项目进展: each plan project's investment, schedule position, status and outlook.

Rules (stated in the chapter's method note, thresholds in ``findings/thresholds.yaml``):

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
  ``PROJECTION_HORIZON`` (two years after the plan end) is not shown as a date but as
  "按目前进度规划期内难以完工" (``projected_far``; the date stays in the metrics).

The evaluation date and D are kept in ``table.attrs`` (``evaluated_at``, ``as_of``,
``as_of_declared``) by :func:`project_table` and read by the narrative and the chart.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from planeval.charts.style import COLORS, new_figure
from planeval.findings.config import Thresholds, load_thresholds
from planeval.narrative.render import Narrative, render
from planeval.periods import Period
from planeval.vocab import PLAN_END

STATUSES: tuple[str, ...] = ("已完工", "在建", "滞后", "未开工")

# A projected completion later than this is shown as "按目前进度规划期内难以完工", not as a date:
# extrapolating a slow pace many years ahead gives dates (2040 …) that mean nothing.
PROJECTION_HORIZON: date = date(PLAN_END.year + 2, 12, 31)
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


def _ts(x: Any) -> pd.Timestamp | None:
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

    It is read from the analyst note of section ``projects`` (``notes/projects.md``): the first
    "填报时点", "数据截至" or "台账截至" followed by a date (``2023年6月30日``, ``2023-06-30``).

    Examples
    --------
    >>> from pathlib import Path
    >>> from planeval.data.pack import DataPack
    >>> ledger_as_of(DataPack(Path("."), {}, notes={"projects": "台账填报时点为2023年6月30日。"}))
    datetime.date(2023, 6, 30)
    >>> ledger_as_of(DataPack(Path("."), {})) is None
    True
    """
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
        a, st = _ts(r.get("actual_end")), _ts(r.get("start"))
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
    plan_end = pd.Timestamp(PLAN_END)
    get = row.get if isinstance(row, dict) else (lambda k, d=None: row[k] if k in row.index else d)

    start = _ts(get("start"))
    planned_end = _ts(get("planned_end"))
    actual_end = _ts(get("actual_end"))
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
            projected is not None and status != "已完工" and projected.date() > PROJECTION_HORIZON
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


def _dates(table: pd.DataFrame, period: Period) -> tuple[date, date, bool]:
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
    ts = _ts(x)
    return None if ts is None else ts.date().isoformat()


def project_metrics(
    projects: pd.DataFrame | None,
    period: Period,
    thresholds: Thresholds | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
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
    base = {"period": period.slug, "period_end": period.end.isoformat()}
    if projects is None:
        return {**base, "available": False, "summary": {}, "projects": []}
    t = thresholds or load_thresholds()
    table = project_table(projects, period, t, as_of)
    evaluated, data_date, declared = _dates(table, period)
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
    return {
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


# ------------------------------------------------------------------------- report tables
def _pct(x: float) -> str:
    return "—" if x is None or pd.isna(x) else f"{x * 100:.1f}%"


def _wan(x: float) -> str:
    return "—" if x is None or pd.isna(x) else f"{x:,.2f}"


def _d(x: Any) -> str:
    ts = _ts(x)
    return "—" if ts is None else f"{ts.year}年{ts.month}月{ts.day}日"


def _ym(x: Any) -> str:
    ts = _ts(x)
    return "—" if ts is None else f"{ts.year}年{ts.month}月"


def _span(start: Any, end: Any) -> str:
    a, b = _ts(start), _ts(end)
    fa = "未定" if a is None else f"{a.year}.{a.month}"
    fb = "未定" if b is None else f"{b.year}.{b.month}"
    return f"{fa}—{fb}"


def _outlook(r: pd.Series) -> str:
    if r["status"] == "已完工":
        if r["on_time"] is True:
            return "按期完工"
        if r["on_time"] is False:
            return "逾期完工"
        return "已完工"
    if pd.isna(r["can_finish"]):
        return "未定开工日期"
    if r["status"] == "未开工" and not r["start_overdue"]:
        return "未到计划开工时间"
    if r["projected_end"] is None or pd.isna(r["projected_end"]):
        return "按现有进度无法完工"
    if pd.notna(r["actual_end"]):  # finished after the evaluation date (a later ledger)
        return f"{_ym(r['actual_end'])}完工（评价时点后）"
    if r.get("projected_far") is True:
        return FAR_TEXT
    if r["status"] == "未开工":
        txt = f"即日开工预计{_ym(r['projected_end'])}完工"
    else:
        txt = f"预计{_ym(r['projected_end'])}完工"
    return txt if r["can_finish"] else txt + "（晚于规划期末）"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The report's project table (Chinese headers, formatted values), grouped by category."""
    out = pd.DataFrame(
        {
            "类别": table["category"],
            "项目": table["name"],
            "计划投资(万元)": table["planned_investment"].map(_wan),
            "已完成投资(万元)": table["completed_investment"].map(_wan),
            "投资完成率": table["investment_rate"].map(_pct),
            "计划工期": [
                _span(a, b) for a, b in zip(table["start"], table["planned_end"], strict=True)
            ],
            "形象进度": table["progress"].map(_pct),
            "工期进度": table["elapsed_share"].map(_pct),
            "状态": table["status"],
            "完工预期": table.apply(_outlook, axis=1),
        }
    )
    order = {c: i for i, c in enumerate(categories(table))}
    return out.sort_values("类别", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def delayed_table(table: pd.DataFrame) -> pd.DataFrame:
    """Projects that are 滞后, 未开工 past their planned start, or cannot finish by 2025-12-31."""
    mask = (
        (table["status"] == "滞后")
        | ((table["status"] == "未开工") & table["start_overdue"])
        | table["can_finish"].eq(False)
    )
    sub = table[mask]
    return pd.DataFrame(
        {
            "项目": sub["name"],
            "类别": sub["category"],
            "状态": sub["status"],
            "形象进度": sub["progress"].map(_pct),
            "工期进度": sub["elapsed_share"].map(_pct),
            "进度差": sub["progress_gap"].map(
                lambda g: "—" if pd.isna(g) else f"{g * 100:.1f}个百分点"
            ),
            "投资完成率": sub["investment_rate"].map(_pct),
            "计划完工": sub["planned_end"].map(_d),
            "完工预期": sub.apply(_outlook, axis=1),
        }
    ).reset_index(drop=True)


# ------------------------------------------------------------------------------ chart
_STATUS_COLOR = {
    "已完工": COLORS["accent"],
    "在建": COLORS["primary"],
    "滞后": COLORS["warn"],
    "未开工": COLORS["muted"],
}


def gantt_chart(table: pd.DataFrame, period: Period):
    """Gantt-style chart: planned span (light bar), progress fill coloured by status, the
    evaluation date (评估截止) and the plan's end (规划期末) as vertical lines, projected
    completion after the planned end as a dotted line. Projects grouped by category.

    Returns
    -------
    matplotlib.figure.Figure
    """
    cats = categories(table)
    rows: list[tuple[str, pd.Series | None]] = []
    for c in cats:
        rows.append((c, None))
        for _, r in table[table["category"] == c].iterrows():
            rows.append((r["name"], r))
    n = len(rows)
    fig, ax = new_figure("tall")
    fig.set_size_inches(6.3, max(2.4, 0.32 * n + 1.2))
    end = pd.Timestamp(_dates(table, period)[0])
    plan_end = pd.Timestamp(PLAN_END)
    dates = [d for c in ("start", "planned_end", "actual_end") for d in table[c].dropna()]
    lo = min([*dates, pd.Timestamp(date(2021, 1, 1))]) - pd.Timedelta(days=60)
    hi = max([*dates, plan_end]) + pd.Timedelta(days=120)
    for i, (_label, r) in enumerate(rows):
        y = n - 1 - i
        if r is None:
            continue
        start, pend = r["start"], r["planned_end"]
        color = _STATUS_COLOR[r["status"]]
        if pd.notna(start) and pd.notna(pend):
            span = max((pend - start).days, 1)
            ax.barh(
                y,
                span,
                left=mdates.date2num(start),
                height=0.56,
                color=COLORS["light"],
                edgecolor="none",
            )
            done_days = span * float(r["progress"])
            if r["status"] == "已完工" and pd.notna(r["actual_end"]):
                done_days = max((r["actual_end"] - start).days, 1)
            if done_days > 0:
                ax.barh(
                    y,
                    done_days,
                    left=mdates.date2num(start),
                    height=0.56,
                    color=color,
                    edgecolor="none",
                )
            pe = r["projected_end"]
            if r["status"] in ("在建", "滞后") and pd.notna(pe) and pe > pend:
                ax.plot(
                    [mdates.date2num(pend), mdates.date2num(min(pe, hi))],
                    [y, y],
                    ls=":",
                    color=color,
                    lw=1.4,
                )
        if r["status"] == "未开工":
            x = mdates.date2num(start) if pd.notna(start) else mdates.date2num(end)
            txt = (
                " 未开工"
                if pd.notna(start) or pd.isna(pend)
                else f" 未开工（计划{pend.year}年{pend.month}月完工）"
            )
            ax.text(x, y, txt, va="center", ha="left", fontsize=7.5, color=COLORS["muted"])
        elif r["status"] == "已完工" and r["on_time"] is False and pd.notna(r["actual_end"]):
            ax.text(
                mdates.date2num(r["actual_end"]),
                y,
                " 逾期完工",
                va="center",
                ha="left",
                fontsize=7,
                color=COLORS["secondary"],
            )
        elif r["status"] == "滞后" and pd.notna(start):
            x = (
                mdates.date2num(start) + max((pend - start).days, 1) * float(r["progress"])
                if pd.notna(pend)
                else mdates.date2num(start)
            )
            ax.text(
                x,
                y,
                f" {r['progress'] * 100:.0f}%",
                va="center",
                ha="left",
                fontsize=7,
                color=color,
            )
    ax.set_yticks(range(n))
    labels = [lbl for lbl, _ in rows][::-1]
    ax.set_yticklabels(labels)
    for tick, (_, r) in zip(ax.get_yticklabels(), rows[::-1], strict=True):
        if r is None:
            tick.set_color(COLORS["primary"])
    ax.set_ylim(-0.7, n + 0.3)
    ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi))
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y年"))
    ax.grid(axis="y", visible=False)
    ax.axvline(mdates.date2num(end), color=COLORS["secondary"], lw=1.2)
    ax.axvline(mdates.date2num(plan_end), color=COLORS["muted"], lw=1.0, ls="--")
    ax.text(
        mdates.date2num(end),
        n - 0.1,
        "评估截止 ",
        ha="right",
        va="center",
        fontsize=7.5,
        color=COLORS["secondary"],
    )
    ax.text(
        mdates.date2num(plan_end),
        n - 0.1,
        "规划期末 ",
        ha="right",
        va="center",
        fontsize=7.5,
        color=COLORS["muted"],
    )
    handles = [
        Patch(color=COLORS["light"], label="计划工期"),
        *[
            Patch(color=_STATUS_COLOR[s], label=f"已完成进度（{s}）")
            for s in ("已完工", "在建", "滞后")
        ],
        Line2D([], [], ls=":", color=COLORS["muted"], label="按现有进度预计完工"),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.45, -0.06 - 0.5 / max(n, 1)),
        ncol=3,
        fontsize=7.5,
    )
    ax.set_title(f"重大工程项目进度（截至{_d(end)}）")
    fig.tight_layout()
    return fig


# -------------------------------------------------------------------------------- narrative
def _row_ctx(r: pd.Series) -> dict[str, Any]:
    def opt(x: Any) -> str | None:
        return None if _ts(x) is None else _d(x)

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
        "outlook": _outlook(r),
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
    evaluated, data_date, declared = _dates(table, period)
    relation = (
        "same" if data_date == period.end else ("before" if data_date < period.end else "after")
    )
    return {
        "evaluated_at": _d(evaluated),
        "as_of": _d(data_date),
        "declared": declared,
        "relation": relation,
    }


def caption_date(table: pd.DataFrame, period: Period) -> str:
    """The evaluation date for the table caption ("2023年6月30日"); when the ledger is later
    than the period end, also whose date its progress and investment are."""
    evaluated, data_date, _ = _dates(table, period)
    if data_date > evaluated:
        return f"{_d(evaluated)}；形象进度和投资为{_d(data_date)}填报数"
    return _d(evaluated)


def summary_narrative(table: pd.DataFrame, period: Period, county: str = "") -> Narrative:
    """The chapter's opening paragraph (template ``projects/summary.md.j2``)."""
    evaluated = _dates(table, period)[0]
    share = (
        period.plan_elapsed_share
        if evaluated == period.end
        else Period.parse(
            f"2021-01-01..{max(evaluated, date(2021, 1, 1)).isoformat()}"
        ).plan_elapsed_share
    )
    return render(
        "projects/summary.md.j2",
        s=project_summary(table, period),
        end_text=_d(evaluated),
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


def method_note(
    thresholds: Thresholds | None = None,
    table: pd.DataFrame | None = None,
    period: Period | None = None,
) -> Narrative:
    """How investment rate, schedule position and status are computed; with ``table`` and
    ``period`` it also states the ledger's 填报时点 and the evaluation date used."""
    h = PROJECTION_HORIZON
    summ = project_summary(table, period) if table is not None and period is not None else None
    return render(
        "projects/method.md.j2",
        t=thresholds or load_thresholds(),
        horizon=f"{h.year}年{h.month}月{h.day}日",
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


__all__ = [
    "FAR_TEXT",
    "PROJECTION_HORIZON",
    "STATUSES",
    "caption_date",
    "data_source",
    "evaluation_dates",
    "latest_recorded",
    "ledger_as_of",
    "categories",
    "category_sections",
    "method_note",
    "note_fields",
    "summary_narrative",
    "delayed_table",
    "display_table",
    "gantt_chart",
    "project_metrics",
    "project_status",
    "project_summary",
    "project_table",
]
