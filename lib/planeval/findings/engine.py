"""Collect the chapters' metrics and run the rules over them."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from planeval.findings.model import Finding, FindingsResult, sort_findings
from planeval.findings.rules import RULES
from planeval.metrics import read_metrics
from planeval.periods import Period
from planeval.thresholds import Thresholds, load_thresholds

# Chapters whose metrics the stage-2 chapters read, in report order, with their Chinese names.
CHAPTERS: dict[str, str] = {
    "indicators": "一、（一）主要指标进展",
    "risk": "提升风险管控能力",
    "disasters": "推进自然灾害综合治理",
    "rescue": "强化应急救援能力",
    "reserves": "提高综合保障能力",
    "society": "科技支撑和社会共治",
    "projects": "（三）重大工程项目进展",
}


def _projects_builder(pack, period: Period, thresholds: Thresholds | None = None) -> dict:
    from planeval.chapters import projects

    return projects.project_metrics(pack.projects, period, thresholds, projects.ledger_as_of(pack))


def _stale_projects(m: Mapping[str, Any], t: Thresholds) -> bool:
    """True when a projects metrics file was computed with other project thresholds."""
    used = m.get("thresholds") or {}
    return any(
        used.get(k) is not None and float(used[k]) != float(t[f"projects.{k}"])
        for k in ("delay_gap", "investment_gap")
    )


# How each chapter's metrics are computed in-process when its JSON is absent (the same functions
# its notebook calls before write_metrics): (module, function of (pack, period), function of its
# result or None).
BUILDERS: dict[str, tuple[str, str, str | None]] = {
    "indicators": ("planeval.indicators.chapter", "chapter_metrics", None),
    "risk": ("planeval.chapters.risk", "summarise", "metrics"),
    "disasters": ("planeval.chapters.disasters", "summarise", "metrics"),
    "rescue": ("planeval.chapters.rescue", "summarise", "metrics"),
    "reserves": ("planeval.chapters.reserves", "summarise", "metrics"),
    "society": ("planeval.chapters.society", "summarise", "metrics"),
    "projects": ("planeval.chapters.projects", "project_metrics", None),
}


def _resolve(cid: str) -> Callable[..., dict] | None:
    """The in-process builder of chapter ``cid``, or None when its code is not available."""
    module, compute, metrics = BUILDERS[cid]
    try:
        mod = importlib.import_module(module)
        first = getattr(mod, compute)
        second = getattr(mod, metrics) if metrics else None
    except (ImportError, AttributeError):
        return None
    return first if second is None else (lambda pack, period: second(first(pack, period)))


def _period_matches(m: Mapping[str, Any], period: Period) -> bool:
    """False when a metrics file says it is for another period (a stale file is not used)."""
    p = m.get("period")
    if isinstance(p, Mapping):
        s, e = p.get("start"), p.get("end")
        if s and e:
            return str(s)[:10] == period.start.isoformat() and str(e)[:10] == period.end.isoformat()
        if p.get("label"):
            return p["label"] == period.label
        return True
    if isinstance(p, str):
        return p in (period.slug, period.label, period.as_range())
    return True


def collect_metrics(
    pack,
    period: Period | str,
    metrics_dir: str = "",
    chapters: tuple[str, ...] | None = None,
    thresholds: Thresholds | None = None,
) -> tuple[dict[str, dict], dict[str, str]]:
    """Each chapter's metrics: from ``metrics_dir/<id>.json`` when present, else computed.

    Parameters
    ----------
    pack
        The loaded DataPack (used only for chapters whose JSON is absent).
    period
        The evaluation period.
    metrics_dir
        The run's metrics folder; ``""`` computes everything in-process (interactive use).
    chapters
        Chapter ids (default :data:`CHAPTERS`).
    thresholds
        The run's thresholds; project statuses are recomputed when the projects JSON was written
        with other ``projects.*`` thresholds.

    Returns
    -------
    (metrics, skipped)
        ``metrics``: chapter id → dict. ``skipped``: chapter id → why it is absent (Chinese).
    """
    p = Period.parse(period)
    t = thresholds or load_thresholds()
    out: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for cid in chapters or tuple(CHAPTERS):
        m = read_metrics(metrics_dir, cid) if metrics_dir else None
        if (
            m is not None
            and _period_matches(m, p)
            and not (cid == "projects" and _stale_projects(m, t))
        ):
            out[cid] = m
            continue
        builder = _resolve(cid)
        if builder is None:
            skipped[cid] = "该章节的关键数字尚不可用（未生成指标文件，且无法现场计算）"
            continue
        try:
            out[cid] = _projects_builder(pack, p, t) if cid == "projects" else builder(pack, p)
        except Exception as e:  # noqa: BLE001 — a failed chapter must not stop the others
            skipped[cid] = f"该章节的关键数字计算失败（{type(e).__name__}：{e}）"
    return out, skipped


def _available(cid: str, m: Mapping[str, Any]) -> bool:
    """False when the chapter reports that its ledger is absent."""
    a = m.get("available")
    if isinstance(a, bool):
        return a
    if isinstance(a, Mapping):
        return any(bool(v) for v in a.values())
    return True


def rule_failure(rule_name: str, error: Exception) -> str:
    """The Chinese note for a rule that raised (shown in the method note's skipped list)."""
    return f"问题识别规则{rule_name}运行出错，该规则已跳过（{type(error).__name__}：{error}）"


def evaluate(
    metrics: Mapping[str, dict],
    thresholds: Thresholds | None = None,
    suppress: Mapping[str, str] | None = None,
    skipped: Mapping[str, str] | None = None,
    period: Period | str | None = None,
) -> FindingsResult:
    """Run every rule whose chapter metrics are present; apply the analyst's suppressions.

    Parameters
    ----------
    metrics
        Chapter id → metrics dict (see :mod:`planeval.findings.rules` for the keys read).
    thresholds
        The thresholds (:func:`load_thresholds`); documented defaults when None.
    suppress
        Finding id → the analyst's reason (``pack.suppress``).
    skipped
        Chapters already known to be missing, with the reason.
    period
        The evaluation period (rules that scale with its length, e.g. 双盲 drills per year);
        when None they use the number of year slices in the metrics.

    Returns
    -------
    FindingsResult
        A rule that raises is skipped, not fatal: its failure is recorded in ``skipped`` under
        ``"<chapter>.<rule>"`` (the method note lists it) and the other rules still run.
    """
    t = thresholds or load_thresholds()
    p = Period.parse(period) if period is not None else None
    skipped_out = dict(skipped or {})
    found: list[Finding] = []
    for cid, rules in RULES.items():
        m = metrics.get(cid)
        if m is None:
            skipped_out.setdefault(cid, "该章节的关键数字不可用")
            continue
        if not _available(cid, m):
            skipped_out[cid] = "数据包中没有该章节所需的台账"
            continue
        for rule in rules:
            try:
                found.extend(rule(m, t, metrics, p))
            except Exception as e:  # noqa: BLE001 — one failing rule must not stop the chapter
                skipped_out[f"{cid}.{rule.__name__}"] = rule_failure(rule.__name__, e)
    sup = dict(suppress or {})
    active, suppressed = [], []
    for f in sort_findings(found):
        if f.id in sup:
            suppressed.append((f, sup[f.id]))
        else:
            active.append(f)
    hit = {f.id for f, _ in suppressed}
    unmatched = {k: v for k, v in sup.items() if k not in hit}
    return FindingsResult(
        findings=tuple(active),
        suppressed=tuple(suppressed),
        unmatched_suppressions=unmatched,
        skipped=skipped_out,
        thresholds=t,
        metrics=dict(metrics),
    )


def run_findings(
    pack, period: Period | str, metrics_dir: str = "", overrides: str = ""
) -> FindingsResult:
    """Collect metrics (JSON or in-process), run the rules with the run's threshold overrides and
    the pack's suppressions. What a stage-2 notebook calls."""
    t = load_thresholds(overrides)
    metrics, skipped = collect_metrics(pack, period, metrics_dir, thresholds=t)
    return evaluate(metrics, t, getattr(pack, "suppress", None) or {}, skipped, period)
