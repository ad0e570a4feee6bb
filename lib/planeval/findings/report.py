"""Narrative of the stage-2 chapters from a FindingsResult: 总体评价, 二 存在的主要问题,
三 下一步工作建议, 四 规划调整建议, and the findings method note.

All wording is in ``narrative/templates/{overview,problems,suggestions,adjustments,findings}/``;
this module only chooses what to say and passes the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from planeval.chapters.projects.model import ProjectsMetrics
from planeval.chapters.rescue import RescueMetrics
from planeval.chapters.risk.model import RiskMetrics
from planeval.findings.model import Finding, FindingsResult, ProblemsMetrics
from planeval.indicators.model import IndicatorsMetrics
from planeval.indicators.progress import FINAL_WORDING
from planeval.narrative.phrasing import change_phrase, fmt_date
from planeval.narrative.render import Narrative, render, unescape_markdown
from planeval.numbers import finite_float
from planeval.periods import Period
from planeval.plan import current_plan
from planeval.registry import CHAPTERS

ON_TRACK = ("超额完成", "达到预期", "基本符合")
_CN_NUM = "一二三四五六七八九十"


def cn_index(i: int) -> str:
    """（一）, （二）… for i = 1, 2, …"""
    if i <= 10:
        return f"（{_CN_NUM[i - 1]}）"
    tens, ones = divmod(i, 10)
    return f"（{'' if tens == 1 else _CN_NUM[tens - 1]}十{_CN_NUM[ones - 1] if ones else ''}）"


def note_fields(res: FindingsResult, period: Period | str, county: str) -> dict[str, Any]:
    """Fields an analyst's note in the stage-2 chapters may use (``{{ n_findings }}``)."""
    p = Period.parse(period)
    ctx = overview_context(res, p, county)
    c = res.counts()
    return {
        "county": county,
        "period": p.label,
        "n_findings": len(res.findings),
        "n_high": c["高"],
        "n_medium": c["中"],
        "n_low": c["低"],
        "n_indicators": ctx["n_indicators"],
        "n_on_track": ctx["n_on_track"],
        "time_share": p.plan_elapsed_share,
    }


# --------------------------------------------------------------------------------- overview
def overview_context(res: FindingsResult, period: Period, county: str) -> dict[str, Any]:
    """Figures the 总体评价 paragraph chooses from (every one from the metrics or findings)."""
    m = res.metrics
    ind_m = m.get("indicators")
    rows = ind_m.indicators if isinstance(ind_m, IndicatorsMetrics) else []
    verdicts = [r.verdict for r in rows]
    improved = []
    for r in rows:
        if r.verdict in ON_TRACK and r.target_type == "decline_pct":
            cur, base = finite_float(r.current_value), finite_float(r.base_value)
            if cur is not None and base is not None and cur < base:
                improved.append(
                    {
                        "name": r.name,
                        "change": change_phrase(cur, base),
                        "basis": r.current_basis or "",
                    }
                )
    ctx: dict[str, Any] = {
        "county": county,
        "period": period.label,
        "kind": period.report_kind_label,
        "has_indicators": bool(rows),
        "n_indicators": len(rows),
        "verdict_counts": {v: verdicts.count(v) for v in (*ON_TRACK, "滞后", "难以完成")},
        "n_on_track": sum(v in ON_TRACK for v in verdicts),
        "n_not_assessed": sum(v not in (*ON_TRACK, "滞后", "难以完成") for v in verdicts),
        "on_track_names": [r.name for r in rows if r.verdict in ON_TRACK],
        "improved": improved[:2],
        # only when every slice of the period says 0 (None: the data do not cover 较大以上)
        "no_major_accident": major_count_known_zero(ind_m),
        "risk": None,
        "projects": None,
        "drills": None,
        "high": [f.title for f in res.findings if f.severity == "高"],
        "counts": res.counts(),
        "n_findings": len(res.findings),
        "final": period.plan_elapsed_share >= 1,
        "final_wording": FINAL_WORDING,  # verdict words at 时序进度 100%
    }
    ctx.update(coverage_context(res))
    n_bad = ctx["verdict_counts"]["滞后"] + ctx["verdict_counts"]["难以完成"]
    # Judge only the indicators that could be assessed: "多数主要指标未达到时序进度要求" must not
    # be said of indicators that lack data, nor "均符合" while some are unassessed.
    # "多数主要指标未达到" is said of all the indicators, not only of those the data cover.
    n_assessed = ctx["n_on_track"] + n_bad
    if n_assessed and ctx["n_on_track"] * 2 < n_assessed and n_bad * 2 > ctx["n_indicators"]:
        ctx["tone"] = "poor"
    elif (
        n_bad == 0
        and not ctx["high"]
        and not ctx["n_not_assessed"]
        and not ctx["failed"]
        and not ctx["years_missing"]
    ):
        ctx["tone"] = "good"
    else:
        ctx["tone"] = "mixed"
    risk = m.get("risk")
    tot = risk.totals if isinstance(risk, RiskMetrics) else None
    if tot is not None and finite_float(tot.found):
        ctx["risk"] = {
            "found": finite_float(tot.found),
            "rectified": finite_float(tot.rectified),
            "rate": finite_float(tot.rate),
        }
    proj = m.get("projects")
    summ = proj.summary if isinstance(proj, ProjectsMetrics) else None
    if summ is not None and summ.count:
        ctx["projects"] = {
            "count": summ.count,
            "done": summ.by_status["已完工"],
            "rate": finite_float(summ.investment_rate),
            # judged at the ledger's 填报时点 when it is earlier than the period end
            "as_of": _earlier_date_text(proj.evaluated_at, period),
        }
    rescue = m.get("rescue")
    drills = rescue.drills if isinstance(rescue, RescueMetrics) else None
    if drills is not None and drills.available and drills.total:
        ctx["drills"] = {"total": drills.total, "participants": drills.participants}
    return ctx


def _earlier_date_text(iso: Any, period: Period) -> str | None:
    """“2023年6月30日” when ``iso`` is a date before the period end, else None."""
    import datetime as dt

    try:
        d = dt.date.fromisoformat(str(iso))
    except ValueError:
        return None
    return f"{d.year}年{d.month}月{d.day}日" if d < period.end else None


def _field(x: Any, key: str) -> Any:
    """``x[key]`` for a metrics dict, ``x.key`` for a typed metrics model (None if absent)."""
    if x is None:
        return None
    if isinstance(x, dict):
        return x.get(key)
    return getattr(x, key, None)


def major_count_known_zero(ind_m: Any) -> bool:
    """True only when the indicators metrics give a 较大以上 count of 0 for every slice of the
    period; a slice whose count is unknown (None) makes it False — absence is not zero."""
    years = _field(ind_m, "years") or []
    counts = [_field(y, "major_count") for y in years]
    return bool(counts) and all(c == 0 for c in counts)


def _chapter_label(cid: str) -> str:
    """A chapter's name without its numbering (“主要指标进展”), from the registry."""
    label = CHAPTERS.get(cid).label if cid in CHAPTERS else cid
    return str(label).split("）", 1)[-1].split("、", 1)[-1].split(". ", 1)[-1]


ABSENT_REASON = "数据包中没有该章节所需的台账"


def coverage_context(res: FindingsResult) -> dict[str, Any]:
    """What the data do not cover, for 总体评价 and 问题: chapters that failed (``failed``),
    chapters whose ledgers the pack lacks (``absent``), the year slices of the indicators
    chapter with neither accident counts nor deaths (``years_missing``)."""
    failed, absent = [], []
    for key, why in res.skipped.items():
        if "." in key or key == "society":  # a single rule that failed; 社会共治 has no rules
            continue
        (absent if why == ABSENT_REASON else failed).append(_chapter_label(key))
    ind_m = res.metrics.get("indicators")
    years = _field(ind_m, "years") or []
    missing = [
        _field(y, "label")
        for y in years
        if _field(y, "count") is None and _field(y, "deaths") is None
    ]
    return {"failed": failed, "absent": absent, "years_missing": missing}


def overview_narrative(res: FindingsResult, period: Period | str, county: str) -> Narrative:
    """The one-paragraph 总体评价 (``overview/overall.md.j2``)."""
    p = Period.parse(period)
    return render("overview/overall.md.j2", **overview_context(res, p, county))


# --------------------------------------------------------------------------------- problems
def problems_intro(res: FindingsResult, period: Period | str, late: int = 0) -> Narrative:
    """The problems chapter's opening; ``late``: the plan tasks behind (:func:`n_late_tasks`)."""
    p = Period.parse(period)
    groups = res.grouped()
    return render(
        "problems/intro.md.j2",
        **coverage_context(res),
        period=p.label,
        n=len(res.findings),
        n_late=late,
        counts=res.counts(),
        topics=[res.topics[t] for t, _ in groups],
    )


def problems_sections(res: FindingsResult) -> list[tuple[str, Narrative]]:
    """``(heading, narrative)`` per topic, topics ordered by their most severe finding."""
    out = []
    for i, (topic, fs) in enumerate(res.grouped(), 1):
        out.append(
            (f"{cn_index(i)}{res.topics[topic]}方面", render("problems/topic.md.j2", findings=fs))
        )
    return out


def _late_tasks(pack, period: Period) -> list[dict]:
    from planeval.chapters.plantasks import assess, late_tasks

    tasks = assess(pack.get("tasks"), period)
    return late_tasks(tasks) if len(tasks) else []


def _tasks_as_of(pack, period: Period) -> str:
    """The date the late-task list is true at: the period end, or the tasks' common 填报日期
    when it is earlier (“2023年6月30日（填报时点）”)."""
    from planeval.chapters.plantasks import assess

    tasks = assess(pack.get("tasks"), period)
    dates = set(pd.to_datetime(tasks.loc[tasks["late"], "as_of"])) if len(tasks) else set()
    if len(dates) == 1 and (d := dates.pop()).date() < period.end:
        return f"{fmt_date(d)}（填报时点）"
    return fmt_date(period.end)


def n_late_tasks(pack, period: Period | str) -> int:
    """How many plan tasks are 滞后 or past their 完成时限 and not 已完成 (0 without a list)."""
    return len(_late_tasks(pack, Period.parse(period)))


def tasks_problem_section(pack, period: Period | str, number: int) -> tuple[str, Narrative] | None:
    """The problems chapter's section on the plan tasks that are 滞后 or past their 完成时限
    and not 已完成 (from the 规划任务 ledger), numbered after the findings' topics; None when
    the pack has no such task (or no task list)."""
    p = Period.parse(period)
    late = _late_tasks(pack, p)
    if not late:
        return None
    text = render("plantasks/late.md.j2", items=late, end_label=_tasks_as_of(pack, p))
    return f"{cn_index(number)}规划任务推进方面", text


def tasks_suggestion_section(
    pack, period: Period | str, number: int
) -> tuple[str, Narrative] | None:
    """The suggestion that answers :func:`tasks_problem_section` (None when it is None)."""
    late = _late_tasks(pack, Period.parse(period))
    if not late:
        return None
    leads = list(dict.fromkeys(t["lead"] for t in late))
    return (
        f"{cn_index(number)}加快滞后规划任务推进",
        render("suggestions/tasks-late.md.j2", items=late, leads=leads),
    )


def findings_table(res: FindingsResult) -> pd.DataFrame:
    """序号, 问题, 严重程度, 依据 (for the reader; the ids an analyst can suppress are in the
    metrics JSON, :func:`findings_metrics`)."""
    return pd.DataFrame(
        {
            "序号": range(1, len(res.findings) + 1),
            "问题": [unescape_markdown(f.title) for f in res.findings],  # a plain table cell
            "严重程度": [f.severity for f in res.findings],
            "依据": [f.evidence_text for f in res.findings],
        }
    )


# ------------------------------------------------------------------------------ suggestions
def suggestions_sections(res: FindingsResult) -> list[tuple[str, Narrative]]:
    """One recommendation paragraph per finding kind present, grouped by topic (same order as
    the problems chapter)."""
    out = []
    for i, (topic, fs) in enumerate(res.grouped(), 1):
        parts = []
        spec = CHAPTERS.topic(topic)
        for kind in spec.kinds:
            ks = [f for f in fs if f.kind == kind]
            if ks:
                parts.append(
                    render(
                        f"suggestions/{kind}.md.j2", findings=ks, subjects=[f.subject for f in ks]
                    ).markdown
                )
        heading = suggestion_heading(topic, fs, _final(res), spec.heading) or spec.heading
        out.append((f"{cn_index(i)}{heading}", Narrative("\n\n".join(parts))))
    return out


def _final(res: FindingsResult) -> bool:
    """True when the run is at the plan's end (时序进度 100 %, from the indicators' metrics)."""
    share = finite_float(_field(res.metrics.get("indicators"), "time_share"))
    return share is not None and share >= 1 - 1e-9


def suggestion_heading(
    topic: str, findings: Sequence[Finding], final: bool, default: str | None
) -> str | None:
    """The heading of a topic's suggestions, fitting its findings and the period type: never
    "确保规划目标实现" right after a target was found out of reach, nor "确保按期" after the
    plan has ended."""
    kinds = {f.kind for f in findings}
    nxt = current_plan().next_quoted
    if topic == "indicators":
        if final:
            return f"总结指标完成情况，做好与{nxt}规划目标衔接"
        if "indicator-unlikely" in kinds:
            return "正视目标差距，研究调整难以完成的指标"
        return "紧盯滞后指标，推动规划目标按期实现"
    if topic == "projects":
        if final:
            return f"推进未完工项目收尾，做好与{nxt}规划衔接"
        if "project-cannot-finish" in kinds:
            return "加快重大工程建设，难以按期完工的及时调整"
    return default


def suggestions_intro(res: FindingsResult, period: Period | str, late: int = 0) -> Narrative:
    """The suggestions chapter's opening; ``late``: the plan tasks behind."""
    p = Period.parse(period)
    return render(
        "suggestions/intro.md.j2",
        n=len(res.findings),
        n_late=late,
        period=p.label,
        share=p.plan_elapsed_share,
        years_left=p.plan.n_years * (1 - p.plan_elapsed_share),
    )


# ------------------------------------------------------------------------------ adjustments
def adjustment_items(res: FindingsResult) -> dict[str, list[Finding]]:
    """The findings that call for a plan adjustment: indicators 难以完成, projects that cannot
    finish by 2025-12-31 (suppressed findings are left out, as everywhere)."""
    return {
        "indicators": res.by_kind("indicator-unlikely"),
        "projects": res.by_kind("project-cannot-finish"),
    }


def adjustments_narrative(
    res: FindingsResult, period: Period | str
) -> list[tuple[str | None, Narrative]]:
    """``(heading or None, narrative)``: one paragraph per indicator and per project to adjust,
    or a single sentence that no adjustment is proposed."""
    p = Period.parse(period)
    items = adjustment_items(res)
    if p.plan_elapsed_share >= 1 or (not items["indicators"] and not items["projects"]):
        return [
            (
                None,
                render(
                    "adjustments/none.md.j2",
                    period=p.label,
                    final=p.plan_elapsed_share >= 1,
                    n_ind=len(items["indicators"]),
                    n_proj=len(items["projects"]),
                ),
            )
        ]
    out: list[tuple[str | None, Narrative]] = [
        (
            None,
            render(
                "adjustments/intro.md.j2",
                period=p.label,
                n_ind=len(items["indicators"]),
                n_proj=len(items["projects"]),
            ),
        )
    ]
    i = 0
    if items["indicators"]:
        i += 1
        body = "\n\n".join(
            render(
                "adjustments/indicator.md.j2", d=f.data, years_left=5 * (1 - p.plan_elapsed_share)
            ).markdown
            for f in items["indicators"]
        )
        out.append((f"{cn_index(i)}指标调整", Narrative(body)))
    if items["projects"]:
        i += 1
        body = "\n\n".join(
            render("adjustments/project.md.j2", d=f.data).markdown for f in items["projects"]
        )
        out.append((f"{cn_index(i)}重大工程项目调整", Narrative(body)))
    return out


# ------------------------------------------------------------------------------ method note
def method_note(res: FindingsResult) -> Narrative:
    """Rules, thresholds (and which were overridden), chapters skipped, findings suppressed."""

    def label(key: str) -> str:  # "<chapter>" or "<chapter>.<rule>" (a rule that failed)
        cid = key.split(".", 1)[0]
        return CHAPTERS.get(cid).label if cid in CHAPTERS else key

    def has_rules(key: str) -> bool:  # a chapter without rules is not "skipped" for the findings
        cid = key.split(".", 1)[0]
        return cid not in CHAPTERS or bool(CHAPTERS.get(cid).rules)

    return render(
        "findings/method.md.j2",
        t=res.thresholds,
        overridden=list(res.thresholds.overridden),
        skipped=[(label(k), v) for k, v in res.skipped.items() if has_rules(k)],
        suppressed=[(f.id, f.title, reason) for f, reason in res.suppressed],
        unmatched=list(res.unmatched_suppressions.items()),
    )


def findings_metrics(res: FindingsResult, period: Period | str) -> ProblemsMetrics:
    """What 二、存在的主要问题 writes to the metrics JSON (id ``problems``)."""
    p = Period.parse(period)
    return ProblemsMetrics.of(
        {
            "period": p.slug,
            "counts": res.counts(),
            "findings": [f.as_dict() for f in res.findings],
            "suppressed": [{"id": f.id, "reason": r} for f, r in res.suppressed],
            "skipped": dict(res.skipped),
            "thresholds_overridden": list(res.thresholds.overridden),
        }
    )
