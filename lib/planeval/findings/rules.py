"""The findings rules: each reads one chapter's metrics dict and returns findings.

Every limit comes from :mod:`planeval.thresholds` (``thresholds.yaml``); every sentence from
a template ``narrative/templates/findings/<kind>.md.j2`` (rendered twice: ``part="title"`` and
``part="sentence"``). A rule whose chapter metrics are missing does not run (the engine records
it in ``FindingsResult.skipped`` and the method note says so).

Metrics read (the chapters' ``write_metrics`` JSON; only the keys used here are listed):

- ``indicators``: ``{"indicators": [{"code", "name", "unit", "attribute", "verdict",
  "current_value", "base_value", "target_value", "target_type", "completion",
  "time_share", "annual_change_needed", "best_annual_change_so_far", "formula"}],
  "major_accidents": [{"id", "date", "sector", "type", "deaths", "grade"}]}``
- ``risk``: ``{"sectors": {sector: {"found", "major", "rectified", "major_rectified", "rate",
  "major_rate", "open_major", "overdue_open_major"}}, "open_major_by_age": {sector: {bucket: n}}}``
- ``disasters``: ``{"rates": {key: {"name", "unit", "digits", "target", "strict", "average",
  "average_years", "above_target"}}}``
- ``rescue``: drills by form in the period (``{"drills": {"available", "total",
  "by_form": {形式: n}}}``)
- ``reserves``: stock lines below target (``{"below_target": [{"item", "category", "level",
  "depot", "quantity", "target", "unit"}]}``)
- ``projects``: :func:`planeval.chapters.projects.project_metrics`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from planeval.findings.model import Finding
from planeval.narrative.phrasing import fmt_int, fmt_num, fmt_pct, fmt_wan, pct_below
from planeval.narrative.render import render
from planeval.numbers import finite_float
from planeval.periods import Period
from planeval.thresholds import Thresholds

Rule = Callable[[Mapping[str, Any], Thresholds, Mapping[str, dict], Period | None], list[Finding]]


# ----------------------------------------------------------------------------- helpers
def _first(d: Mapping[str, Any], *keys: str, default: Any = None) -> Any:
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    return default


def _records(x: Any, key_name: str) -> list[dict]:
    """A list of dicts from a list, or from a dict keyed by ``key_name`` values."""
    if x is None:
        return []
    if isinstance(x, Mapping):
        return [
            {key_name: k, **(v if isinstance(v, Mapping) else {"value": v})} for k, v in x.items()
        ]
    if not isinstance(x, (list, tuple)):
        return []
    return [dict(r) for r in x if isinstance(r, Mapping)]


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


def indicator_rows(m: Mapping[str, Any]) -> list[dict]:
    """The indicator records of the indicators metrics."""
    return _records(_first(m, "indicators", "rows", "table"), "code")


def rule_indicators(
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """Indicators judged 难以完成 or 滞后 (verdicts and severities from ``indicators.*``)."""
    out = []
    sev_map: dict[str, str] = t["indicators.verdict_severity"]
    for r in indicator_rows(m):
        verdict = r.get("verdict")
        if verdict not in sev_map:
            continue
        sev = sev_map[verdict]
        attr = r.get("attribute") or ""
        if verdict == "滞后" and attr == "约束性":
            sev = t["indicators.binding_lagging_severity"]
        kind = "indicator-unlikely" if verdict == "难以完成" else "indicator-lagging"
        digits = r.get("digits")
        unit = r.get("unit") or ""
        data = {
            "code": str(r.get("code")),
            "name": r.get("name"),
            "unit": unit,
            "attribute": attr,
            "verdict": verdict,
            "target_type": r.get("target_type"),
            "formula": r.get("formula"),
            "current": fmt_value(_first(r, "current_value", "current"), digits),
            "base": fmt_value(_first(r, "base_value", "base"), digits),
            "target": fmt_value(
                _first(r, "target_value", "target"),
                _target_digits(_first(r, "target_value", "target"), digits),
            ),
            "target_text": r.get("target_text"),
            "target_pct": finite_float(r.get("target_pct")),
            "current_basis": r.get("current_basis") or "",
            "needed_rest": finite_float(r.get("needed_rest_average")),
            "completion": finite_float(_first(r, "completion", "completion_ratio")),
            "time_share": finite_float(_first(r, "time_share", "plan_elapsed_share")),
            "needed": finite_float(r.get("annual_change_needed")),
            "best": finite_float(r.get("best_annual_change_so_far")),
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
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """Each 较大以上 accident in the period (from the indicators metrics)."""
    out = []
    for a in _records(_first(m, "major_accidents"), "id"):
        ident = str(_first(a, "id", "date", default=""))
        data = {
            "id": ident,
            "date": a.get("date"),
            "date_text": _date_text(a.get("date")),
            "sector": a.get("sector") or "",
            "where": sector_where(a.get("sector") or "其他"),
            "type": a.get("type") or "",
            "deaths": finite_float(a.get("deaths")) or 0,
            "grade": a.get("grade") or "较大",
            "unit": a.get("unit") or "",
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


def _date_text(d: Any) -> str:
    s = str(d or "")[:10]
    try:
        y, mo, da = (int(x) for x in s.split("-"))
    except ValueError:
        return s
    return f"{y}年{mo}月{da}日"


# ---------------------------------------------------------------------------------- risk
def _below(rate: float, benchmark: float) -> bool:
    """``rate`` below ``benchmark`` as the report shows them (0.1 %): 98.38 % is not below 98.4 %."""
    return pct_below(rate, benchmark)  # the one comparison the chapters use too (phrasing.py)


def rule_sectors(
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """Sectors whose 整改率 (all hazards) is below the benchmark; sectors with more overdue open
    major hazards than ``overdue.major_max`` (cited with their 重大隐患整改率 vs 98.4 %)."""
    out = []
    bench = float(t["rectification.benchmark"])
    ages = m.get("open_major_by_age") or {}
    for r in _records(m.get("sectors"), "sector"):
        sector = str(r.get("sector"))
        found = finite_float(r.get("found")) or 0
        rate = finite_float(r.get("rate"))
        if found >= t["rectification.min_hazards"] and rate is not None and _below(rate, bench):
            sev = "高" if _below(rate, t["rectification.high_below"]) else "中"
            num = finite_float(r.get("rectified")) or 0
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
        overdue = finite_float(r.get("overdue_open_major")) or 0
        if overdue > t["overdue.major_max"]:
            buckets = ages.get(sector) or {}
            over90 = finite_float(_first(buckets, "逾期>90天", default=0)) or 0
            major = finite_float(r.get("major")) or 0
            fixed = finite_float(r.get("major_rectified")) or 0
            data = {
                "sector": sector,
                "where": sector_where(sector),
                "overdue": overdue,
                "open_major": finite_float(r.get("open_major")) or 0,
                "over90": over90,
                "major": major,
                "major_rectified": fixed,
                "major_rate": finite_float(r.get("major_rate")),
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
def _judged_formulas(all_metrics: Mapping[str, dict], t: Thresholds) -> set[str]:
    ind = all_metrics.get("indicators") or {}
    sev = t["indicators.verdict_severity"]
    return {str(r.get("formula")) for r in indicator_rows(ind) if r.get("verdict") in sev}


def _years(items: Any) -> list[int]:
    """Calendar years from a list of ints or labels (``2021``, ``"2021年"``, ``"2023年上半年"``),
    in order, without repeats; items without a year are left out."""
    out: list[int] = []
    for y in items or []:
        if isinstance(y, bool):
            continue
        if isinstance(y, int | float) and y == y:
            v = int(y)
        else:
            m = re.match(r"\s*(\d{4})", str(y))
            if m is None:
                continue
            v = int(m.group(1))
        if v not in out:
            out.append(v)
    return out


def _span_text(years: list[int], labels: Any) -> str:
    """``2021年至2023年上半年`` from the first and last slice labels when given, else
    ``2021—2023年`` from the years; ``""`` when there are none."""
    labels = [str(x) for x in labels or [] if str(x).strip()]
    if labels:
        return labels[0] if len(labels) == 1 else f"{labels[0]}至{labels[-1]}"
    if not years:
        return ""
    return f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"


def rule_disasters(
    m: Mapping[str, Any], t: Thresholds, all_metrics: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """Disaster running-average rates above their target (skipped for an indicator the
    indicators chapter already judged 滞后/难以完成, to avoid saying it twice)."""
    out = []
    judged = _judged_formulas(all_metrics, t)
    for r in _records(m.get("rates"), "key"):
        key = str(r.get("key"))
        avg, target = finite_float(r.get("average")), finite_float(r.get("target"))
        if avg is None or target is None or key in judged:
            continue
        strict = bool(r.get("strict", True))
        flag = r.get("above_target")
        above = flag if isinstance(flag, bool) else (avg >= target if strict else avg > target)
        if not above:
            continue
        digits = int(r.get("digits") or 2)
        years = _years(r.get("average_years"))
        data = {
            "key": key,
            "name": r.get("name") or r.get("label") or key,
            "unit": r.get("unit") or "",
            "average": fmt_num(avg, digits),
            "target": fmt_num(target, digits),
            "op": "<" if strict else "≤",
            "years": _span_text(years, r.get("average_labels")),
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
def drill_counts(m: Mapping[str, Any]) -> tuple[int, dict[str, int]] | None:
    """(total, by form) of the period's drills from the rescue metrics, or None when absent."""
    d = _first(m, "drills", default=None)
    if isinstance(d, Mapping):
        by_form = _first(d, "by_form", "forms", default=None)
        total = finite_float(_first(d, "total", "count", default=None))
    else:
        by_form, total = (
            _first(m, "drills_by_form", default=None),
            finite_float(m.get("drills_total")),
        )
    if not isinstance(by_form, Mapping):
        return None
    forms = {str(k): int(finite_float(v) or 0) for k, v in by_form.items()}
    return int(total if total is not None else sum(forms.values())), forms


def rule_drills(
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], period: Period | None = None
) -> list[Finding]:
    """Too few 双盲 drills for the period's length; too small a share of 实战/双盲 drills."""
    got = drill_counts(m)
    if got is None:
        return []
    total, forms = got
    live, blind = forms.get("实战", 0), forms.get("双盲", 0)
    share = (live + blind) / total if total else 0.0
    by_year = (m.get("drills") or {}).get("by_year") or {}
    years = period.year_fraction if period is not None else float(len(by_year) or 1)
    required = math.floor(t["drills.double_blind_per_year"] * years + 1e-9)
    blind_years = [k for k, v in by_year.items() if (finite_float(v.get("双盲")) or 0) > 0]
    no_blind = [k for k, v in by_year.items() if not (finite_float(v.get("双盲")) or 0)]
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
def reserve_lines(m: Mapping[str, Any]) -> list[dict]:
    return _records(_first(m, "below_target", "lines_below_target"), "item")


def rule_reserves(
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """Stock lines whose 数量/目标数量 is below ``reserves.min_ratio``: one finding listing them
    (高 when one is below ``reserves.high_below`` of its target)."""
    short = []
    for r in reserve_lines(m):
        q, tg = finite_float(r.get("quantity")), finite_float(r.get("target"))
        if q is None or tg is None or tg <= 0:
            continue
        if q / tg < t["reserves.min_ratio"] - 1e-12:
            short.append({**r, "ratio": q / tg})
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
    m: Mapping[str, Any], t: Thresholds, _all: Mapping[str, dict], _p: Period | None = None
) -> list[Finding]:
    """At most one finding per project, the most serious that applies: cannot finish by the plan
    end at its pace (高) > 未开工 past its planned start (中) > 滞后 (中) > investment lagging
    its schedule (低)."""
    out = []
    for p in _records(m.get("projects"), "name"):
        name = str(p.get("name"))
        status = p.get("status")
        data = {
            "name": name,
            "category": p.get("category") or "",
            "status": status,
            "progress": finite_float(p.get("progress")) or 0.0,
            "elapsed": finite_float(p.get("elapsed_share")),
            "gap": finite_float(p.get("progress_gap")),
            "investment_rate": finite_float(p.get("investment_rate")),
            "planned_investment": fmt_wan(p.get("planned_investment")),
            "completed_investment": fmt_wan(p.get("completed_investment")),
            "planned_end": _date_text(p.get("planned_end")),
            "projected_end": _date_text(p.get("projected_end")) if p.get("projected_end") else None,
            "projected_far": bool(p.get("projected_far")),
            "start": _date_text(p.get("start")) if p.get("start") else None,
        }
        ev = [("状态", str(status)), ("形象进度", fmt_pct(data["progress"]))]
        if data["elapsed"] is not None and status != "未开工":
            ev.append(("工期进度", fmt_pct(data["elapsed"])))
        ev.append(("投资完成率", fmt_pct(data["investment_rate"])))
        ev.append(("计划完工", data["planned_end"]))
        if data["projected_end"] and status in ("在建", "滞后", "未开工"):
            # beyond tasks.projects.PROJECTION_HORIZON a date means nothing: say so instead
            far = data["projected_far"]
            ev.append(("按现有进度预计完工", "规划期内难以完工" if far else data["projected_end"]))
        if p.get("can_finish") is False:
            kind, sev = "project-cannot-finish", t["projects.cannot_finish_severity"]
        elif status == "未开工" and p.get("start_overdue"):
            kind, sev = "project-not-started", t["projects.not_started_severity"]
        elif status == "滞后":
            kind, sev = "project-delayed", t["projects.delayed_severity"]
        elif p.get("investment_lag"):
            kind, sev = "project-investment", t["projects.investment_severity"]
        else:
            continue
        out.append(make_finding(kind, name, sev, name, data, ev))
    return out
