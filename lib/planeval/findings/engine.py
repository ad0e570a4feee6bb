"""Collect the chapters' key figures and run their rules (both as the registry says)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from planeval.findings.model import Finding, FindingsResult, sort_findings
from planeval.metrics import read_metrics
from planeval.periods import Period
from planeval.registry import CHAPTERS
from planeval.thresholds import Thresholds, load_thresholds

UNAVAILABLE = "该章节的关键数字尚不可用（未生成指标文件，且无法现场计算）"


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
        Chapter ids (default: every registered chapter with key figures).
    thresholds
        The run's thresholds; a chapter's figures are recomputed when its JSON was written with
        other thresholds (``ChapterSpec.stale``).

    Returns
    -------
    (metrics, skipped)
        ``metrics``: chapter id → dict. ``skipped``: chapter id → why it is absent (Chinese).
    """
    p = Period.parse(period)
    t = thresholds or load_thresholds()
    out: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for cid in chapters or tuple(s.id for s in CHAPTERS.with_figures()):
        spec = CHAPTERS.get(cid) if cid in CHAPTERS else None
        m = read_metrics(metrics_dir, cid) if metrics_dir else None
        if (
            m is not None
            and _period_matches(m, p)
            and not (spec is not None and spec.stale is not None and spec.stale(m, t))
        ):
            out[cid] = m
            continue
        if spec is None or spec.key_figures is None:
            skipped[cid] = UNAVAILABLE
            continue
        try:
            out[cid] = dict(spec.key_figures(pack, p, t))
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
    for spec in CHAPTERS.with_rules():
        cid, rules = spec.id, spec.rules
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
    kinds = CHAPTERS.kinds()
    found = [replace(f, topic=CHAPTERS.topic_of_kind(f.kind).id) for f in found]
    for f in sort_findings(found, [tp.id for tp in CHAPTERS.topics()], kinds):
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
        topics={tp.id: tp.name for tp in CHAPTERS.topics()},
    )


def run_findings(
    pack, period: Period | str, metrics_dir: str = "", overrides: str = ""
) -> FindingsResult:
    """Collect metrics (JSON or in-process), run the rules with the run's threshold overrides and
    the pack's suppressions. What a stage-2 notebook calls."""
    t = load_thresholds(overrides)
    metrics, skipped = collect_metrics(pack, period, metrics_dir, thresholds=t)
    return evaluate(metrics, t, getattr(pack, "suppress", None) or {}, skipped, period)
