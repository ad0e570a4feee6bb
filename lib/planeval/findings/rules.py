"""The findings rules: each reads one chapter's typed key figures and returns findings.

Every limit comes from :mod:`planeval.thresholds` (``thresholds.yaml``); every sentence from
a template ``narrative/templates/findings/<kind>.md.j2`` (rendered twice: ``part="title"`` and
``part="sentence"``). A rule whose chapter figures are missing does not run (the engine records
it in ``FindingsResult.skipped`` and the method note says so). Which rules read which chapter is
the registry's (:mod:`planeval.registry`); each rule reads the model its chapter writes:

- ``indicators``: :class:`~planeval.indicators.model.IndicatorsMetrics` (``indicators`` rows,
  ``major_accidents``);
- ``risk``: :class:`~planeval.chapters.risk.model.RiskMetrics` (``sectors``,
  ``open_major_by_age``);
- ``disasters``: :class:`~planeval.chapters.disasters.DisastersMetrics` (``rates``);
- ``rescue``: :class:`~planeval.chapters.rescue.RescueMetrics` (``drills``);
- ``reserves``: :class:`~planeval.chapters.reserves.ReservesMetrics` (``below_target``);
- ``projects``: :class:`~planeval.chapters.projects.model.ProjectsMetrics` (``projects``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from planeval.chapters.disasters import DisastersMetrics
from planeval.chapters.projects.model import ProjectsMetrics
from planeval.chapters.rescue import RescueMetrics
from planeval.chapters.reserves import ReservesMetrics
from planeval.chapters.risk.model import RiskMetrics
from planeval.findings.model import Finding
from planeval.indicators.model import IndicatorRow, IndicatorsMetrics
from planeval.metrics import ChapterMetrics
from planeval.narrative.phrasing import fmt_date, fmt_int, fmt_num, fmt_pct, fmt_wan, pct_below
from planeval.narrative.render import render
from planeval.numbers import finite_float
from planeval.periods import Period
from planeval.thresholds import Thresholds

# (the chapter's figures, thresholds, every chapter's figures by id, the period) -> findings
Rule = Callable[[Any, Thresholds, Mapping[str, ChapterMetrics], Period | None], list[Finding]]


# ----------------------------------------------------------------------------- helpers
def make_finding(
    kind: str,
    subject_key: str,
    severity: str,
    subject: str,
    data: dict[str, Any],
    evidence: Iterable[tuple[str, str]],
) -> Finding:
    """Render the title and sentence of a finding from ``findings/<kind>.md.j2``."""
    tpl = f"findings/{kind}.md.j2"
    title = render(tpl, part="title", d=data, subject=subject).markdown
    sentence = render(tpl, part="sentence", d=data, subject=subject).markdown
    return Finding(
        id=f"{kind}:{subject_key}" if subject_key else kind,
        kind=kind,
        severity=severity,
        subject=subject,
        title=title,
        sentence=sentence,
        evidence=tuple(evidence),
        data=dict(data),
    )


def fmt_value(v: Any, digits: int | None = None) -> str:
    """An indicator value: integers without decimals, others with ``digits`` (default 2)."""
    x = finite_float(v)
    if x is None:
        return "—"
    if digits is None:
        digits = 0 if float(x).is_integer() else 2
    return fmt_int(x) if digits == 0 else fmt_num(x, digits)


# ---------------------------------------------------------------------------- indicators
def _target_digits(v: Any, digits: int | None) -> int | None:
    """A count indicator's 2025 level need not be whole (8.5人): show one decimal then."""
    x = finite_float(v)
    if digits == 0 and x is not None and not float(x).is_integer():
        return 1
    return digits


def rule_indicators(
    m: IndicatorsMetrics,
    t: Thresholds,
    _all: Mapping[str, ChapterMetrics],
    _p: Period | None = None,
) -> list[Finding]:
    """Indicators judged 难以完成 or 滞后 (verdicts and severities from ``indicators.*``)."""
    out = []
    sev_map: dict[str, str] = t["indicators.verdict_severity"]
    for r in m.indicators:
        verdict = r.verdict
        if verdict not in sev_map:
            continue
        sev = sev_map[verdict]
        attr = r.attribute or ""
        if verdict == "滞后" and attr == "约束性":
            sev = t["indicators.binding_lagging_severity"]
        kind = "indicator-unlikely" if verdict == "难以完成" else "indicator-lagging"
        digits = r.digits
        unit = r.unit or ""
        data = {
            "code": r.code,
            "name": r.name,
            "unit": unit,
            "attribute": attr,
            "verdict": verdict,
            "target_type": r.target_type,
            "formula": r.formula,
            "current": fmt_value(r.current_value, digits),
            "base": fmt_value(r.base_value, digits),
            "target": fmt_value(r.target_value, _target_digits(r.target_value, digits)),
            "target_text": r.target_text,
            "target_pct": finite_float(r.target_pct),
            "current_basis": r.current_basis or "",
            "needed_rest": finite_float(r.needed_rest_average),
            "completion": finite_float(r.completion),
            "time_share": finite_float(r.time_share),
            "needed": finite_float(r.annual_change_needed),
            "best": finite_float(r.best_annual_change_so_far),
        }
        label = {"max_count": "累计", "max_value": "年均值", "min_value": "年均值"}.get(
            str(data["target_type"]), "现值"
        )
        if data["target_type"] == "decline_pct" and data["target_pct"] is not None:
            target_ev = f"{data['target']}{unit}（较基期下降{data['target_pct']:g}%）"
        else:
            target_ev = f"{data['target_text'] or data['target']}{unit}"
        ev = [(label, f"{data['current']}{unit}"), ("目标", target_ev)]
        if data["completion"] is not None:
            c = data["completion"]  # worded as in the indicator table, the figure kept
            ev.append(("完成进度", f"劣于基期（{fmt_pct(c)}）" if c < 0 else fmt_pct(c)))
        if data["time_share"] is not None:
            ev.append(("时序进度", fmt_pct(data["time_share"])))
        out.append(make_finding(kind, data["code"], sev, str(data["name"]), data, ev))
    return out


def rule_major_accidents(
    m: IndicatorsMetrics,
    t: Thresholds,
    _all: Mapping[str, ChapterMetrics],
    _p: Period | None = None,
) -> list[Finding]:
    """Each 较大以上 accident in the period (from the indicators metrics)."""
    out = []
    for a in m.major_accidents:
        ident = a.id
        data = {
            "id": ident,
            "date": a.date.isoformat(),
            "date_text": fmt_date(a.date),
            "sector": a.sector or "",
            "where": sector_where(a.sector or "其他"),
            "type": a.type or "",
            "deaths": a.deaths,
            "grade": a.grade or "较大",
            "unit": a.unit or "",
        }
        ev = [
            ("发生日期", data["date_text"]),
            ("等级", data["grade"]),
            ("死亡", f"{fmt_int(data['deaths'])}人"),
        ]
        subject = f"{data['date_text']}{data['sector']}{data['type']}事故"
        out.append(
            make_finding("major-accident", ident, t["accidents.severity"], subject, data, ev)
        )
    return out


def sector_where(sector: str) -> str:
    """``工贸行业`` → ``工贸行业``; ``危险化学品`` → ``危险化学品领域`` (how a sentence names it)."""
    return sector if sector.endswith(("行业", "领域")) else f"{sector}领域"


# ---------------------------------------------------------------------------------- risk
def _below(rate: float, benchmark: float) -> bool:
    """``rate`` below ``benchmark`` as the report shows them (0.1 %): 98.38 % is not below 98.4 %."""
    return pct_below(rate, benchmark)  # the one comparison the chapters use too (phrasing.py)


def rule_sectors(
    m: RiskMetrics, t: Thresholds, _all: Mapping[str, ChapterMetrics], _p: Period | None = None
) -> list[Finding]:
    """Sectors whose 整改率 (all hazards) is below the benchmark; sectors with more overdue open
    major hazards than ``overdue.major_max`` (cited with their 重大隐患整改率 vs 98.4 %)."""
    out = []
    bench = float(t["rectification.benchmark"])
    ages = m.open_major_by_age
    for sector, r in m.sectors.items():
        found = finite_float(r.found) or 0
        rate = finite_float(r.rate)
        if found >= t["rectification.min_hazards"] and rate is not None and _below(rate, bench):
            sev = "高" if _below(rate, t["rectification.high_below"]) else "中"
            num = finite_float(r.rectified) or 0
            data = {
                "sector": sector,
                "where": sector_where(sector),
                "rate": rate,
                "rectified": num,
                "found": found,
                "open": found - num,
                "benchmark": bench,
            }
            ev = [
                ("隐患整改率", fmt_pct(rate)),
                ("已整改/排查发现", f"{fmt_int(num)}/{fmt_int(found)}项"),
                ("基准", fmt_pct(bench)),
            ]
            out.append(make_finding("sector-rectification", sector, sev, sector, data, ev))
        overdue = finite_float(r.overdue_open_major) or 0
        if overdue > t["overdue.major_max"]:
            over90 = (ages.get(sector) or {}).get("逾期>90天", 0)
            major = finite_float(r.major) or 0
            fixed = finite_float(r.major_rectified) or 0
            data = {
                "sector": sector,
                "where": sector_where(sector),
                "overdue": overdue,
                "open_major": finite_float(r.open_major) or 0,
                "over90": over90,
                "major": major,
                "major_rectified": fixed,
                "major_rate": finite_float(r.major_rate),
                "major_benchmark": t["overdue.major_benchmark"],
            }
            ev = [("逾期未整改重大隐患", f"{fmt_int(overdue)}项")]
            if over90:
                ev.append(("其中逾期超过90天", f"{fmt_int(over90)}项"))
            if data["major_rate"] is not None:
                ev.append(
                    (
                        "重大隐患整改率",
                        f"{fmt_pct(data['major_rate'])}（{fmt_int(fixed)}/{fmt_int(major)}项）",
                    )
                )
                ev.append(("基准", fmt_pct(data["major_benchmark"])))
            out.append(
                make_finding("sector-overdue", sector, t["overdue.severity"], sector, data, ev)
            )
    return out


# ----------------------------------------------------------------------------- disasters
def _judged_formulas(all_metrics: Mapping[str, ChapterMetrics], t: Thresholds) -> set[str]:
    ind = all_metrics.get("indicators")
    sev = t["indicators.verdict_severity"]
    rows: list[IndicatorRow] = ind.indicators if isinstance(ind, IndicatorsMetrics) else []
    return {str(r.formula) for r in rows if r.verdict in sev}


def _span_text(years: list[int], labels: list[str]) -> str:
    """``2021年至2023年上半年`` from the first and last slice labels when given, else
    ``2021—2023年`` from the years; ``""`` when there are none."""
    labels = [x for x in labels if x.strip()]
    if labels:
        return labels[0] if len(labels) == 1 else f"{labels[0]}至{labels[-1]}"
    if not years:
        return ""
    return f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"


def rule_disasters(
    m: DisastersMetrics,
    t: Thresholds,
    all_metrics: Mapping[str, ChapterMetrics],
    _p: Period | None = None,
) -> list[Finding]:
    """Disaster running-average rates above their target (skipped for an indicator the
    indicators chapter already judged 滞后/难以完成, to avoid saying it twice)."""
    out = []
    judged = _judged_formulas(all_metrics, t)
    for key, r in m.rates.items():
        avg, target = finite_float(r.average), finite_float(r.target)
        if avg is None or target is None or key in judged:
            continue
        strict = r.strict
        flag = r.above_target
        above = flag if flag is not None else (avg >= target if strict else avg > target)
        if not above:
            continue
        digits = r.digits or 2
        data = {
            "key": key,
            "name": r.name or r.label or key,
            "unit": r.unit,
            "average": fmt_num(avg, digits),
            "target": fmt_num(target, digits),
            "op": "<" if strict else "≤",
            "years": _span_text(list(dict.fromkeys(r.average_years)), r.average_labels),
        }
        ev = [
            ("年均值", f"{data['average']}{data['unit']}"),
            ("目标", f"{data['op']}{data['target']}{data['unit']}"),
        ]
        if data["years"]:
            ev.append(("统计年份", data["years"]))
        out.append(
            make_finding("disaster-rate", key, t["disasters.severity"], str(data["name"]), data, ev)
        )
    return out


# -------------------------------------------------------------------------------- rescue
def rule_drills(
    m: RescueMetrics,
    t: Thresholds,
    _all: Mapping[str, ChapterMetrics],
    period: Period | None = None,
) -> list[Finding]:
    """Too few 双盲 drills for the period's length; too small a share of 实战/双盲 drills."""
    d = m.drills
    if d is None or not d.available:
        return []
    forms = d.by_form
    total = d.total if d.total is not None else sum(forms.values())
    live, blind = forms.get("实战", 0), forms.get("双盲", 0)
    share = (live + blind) / total if total else 0.0
    by_year = d.by_year
    years = period.year_fraction if period is not None else float(len(by_year) or 1)
    required = math.floor(t["drills.double_blind_per_year"] * years + 1e-9)
    blind_years = [k for k, v in by_year.items() if v.get("双盲", 0) > 0]
    no_blind = [k for k, v in by_year.items() if not v.get("双盲", 0)]
    data = {
        "total": total,
        "live": live,
        "blind": blind,
        "share": share,
        "tabletop": forms.get("桌面推演", 0),
        "min_share": t["drills.live_min_share"],
        "required": required,
        "per_year": t["drills.double_blind_per_year"],
        "blind_years": blind_years,
        "no_blind_years": no_blind,
    }
    ev = [
        ("演练总数", f"{fmt_int(total)}次"),
        ("实战", f"{fmt_int(live)}次"),
        ("双盲", f"{fmt_int(blind)}次"),
    ]
    out = []
    if blind < required:
        e2 = [*ev, ("按每年至少" + fmt_int(data["per_year"]) + "次应有", f"{fmt_int(required)}次")]
        if no_blind:
            e2.append(("未开展双盲演练的年度", "、".join(no_blind)))
        out.append(make_finding("drill-double-blind", "", "中", "双盲演练", data, e2))
    if share < t["drills.live_min_share"] - 1e-12:
        out.append(
            make_finding(
                "drill-live-share",
                "",
                "低",
                "实战化演练",
                data,
                [*ev, ("实战和双盲占比", fmt_pct(share))],
            )
        )
    return out


# ------------------------------------------------------------------------------ reserves
def rule_reserves(
    m: ReservesMetrics,
    t: Thresholds,
    _all: Mapping[str, ChapterMetrics],
    _p: Period | None = None,
) -> list[Finding]:
    """Stock lines whose 数量/目标数量 is below ``reserves.min_ratio``: one finding listing them
    (高 when one is below ``reserves.high_below`` of its target)."""
    short = []
    for r in m.below_target:
        q, tg = finite_float(r.quantity), finite_float(r.target)
        if q is None or tg is None or tg <= 0:
            continue
        if q / tg < t["reserves.min_ratio"] - 1e-12:
            short.append({**r.model_dump(), "ratio": q / tg})
    if not short:
        return []
    short.sort(key=lambda x: x["ratio"])
    sev = "高" if short[0]["ratio"] < t["reserves.high_below"] else "中"
    items = [
        {
            "item": x.get("item"),
            "category": x.get("category") or "",
            "level": x.get("level") or "",
            "depot": x.get("depot") or "",
            "quantity": fmt_value(x.get("quantity")),
            "target": fmt_value(x.get("target")),
            "unit": x.get("unit") or "",
            "ratio": x["ratio"],
        }
        for x in short
    ]
    cats = list(dict.fromkeys(i["category"] for i in items if i["category"]))
    data = {"lines": items, "count": len(items), "categories": cats}
    ev = [
        (
            f"{i['depot'] or i['level']}{i['item']}",
            f"{i['quantity']}/{i['target']}{i['unit']}（{fmt_pct(i['ratio'])}）",
        )
        for i in items
    ]
    return [make_finding("reserve-shortfall", "", sev, "应急物资储备", data, ev)]


# ------------------------------------------------------------------------------ projects
def rule_projects(
    m: ProjectsMetrics,
    t: Thresholds,
    _all: Mapping[str, ChapterMetrics],
    _p: Period | None = None,
) -> list[Finding]:
    """At most one finding per project, the most serious that applies: cannot finish by the plan
    end at its pace (高) > 未开工 past its planned start (中) > 滞后 (中) > investment lagging
    its schedule (低)."""
    out = []
    for p in m.projects:
        name = p.name
        status = p.status
        data = {
            "name": name,
            "category": p.category,
            "status": status,
            "progress": finite_float(p.progress) or 0.0,
            "elapsed": finite_float(p.elapsed_share),
            "gap": finite_float(p.progress_gap),
            "investment_rate": finite_float(p.investment_rate),
            "planned_investment": fmt_wan(p.planned_investment),
            "completed_investment": fmt_wan(p.completed_investment),
            "planned_end": fmt_date(p.planned_end, dash=""),
            "projected_end": fmt_date(p.projected_end) if p.projected_end else None,
            "projected_far": p.projected_far,
            "start": fmt_date(p.start) if p.start else None,
        }
        ev = [("状态", str(status)), ("形象进度", fmt_pct(data["progress"]))]
        if data["elapsed"] is not None and status != "未开工":
            ev.append(("工期进度", fmt_pct(data["elapsed"])))
        ev.append(("投资完成率", fmt_pct(data["investment_rate"])))
        ev.append(("计划完工", data["planned_end"]))
        if data["projected_end"] and status in ("在建", "滞后", "未开工"):
            # beyond chapters.projects.projection_horizon() a date means nothing: say so instead
            far = data["projected_far"]
            ev.append(("按现有进度预计完工", "规划期内难以完工" if far else data["projected_end"]))
        if p.can_finish is False:
            kind, sev = "project-cannot-finish", t["projects.cannot_finish_severity"]
        elif status == "未开工" and p.start_overdue:
            kind, sev = "project-not-started", t["projects.not_started_severity"]
        elif status == "滞后":
            kind, sev = "project-delayed", t["projects.delayed_severity"]
        elif p.investment_lag:
            kind, sev = "project-investment", t["projects.investment_severity"]
        else:
            continue
        out.append(make_finding(kind, name, sev, name, data, ev))
    return out
