"""Collect the chapters' key figures and run their rules (both as the registry says); the
findings of a run are computed once, after stage 1, into one file the stage-2 chapters render.

- :func:`run_findings` — collect, evaluate, apply the pack's suppressions;
- :func:`write_findings` / :func:`read_findings` — the run's ``metrics/findings.json``;
- :func:`findings_for` — what a stage-2 notebook calls: the run's file when it was written for
  this period and these thresholds, else computed in-process (interactive use).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from planeval.findings.model import Finding, FindingsResult, sort_findings
from planeval.metrics import ChapterMetrics, ValidationError, clean, read_metrics
from planeval.periods import Period
from planeval.registry import CHAPTERS
from planeval.thresholds import Thresholds, load_thresholds

UNAVAILABLE = "该章节的关键数字尚不可用（未生成指标文件，且无法现场计算）"
FINDINGS_FILE = "findings.json"
FINDINGS_FORMAT = 1


def as_metrics(cid: str, m: ChapterMetrics | Mapping[str, Any]) -> ChapterMetrics:
    """Chapter ``cid``'s figures as its registered model (a dict is validated against it).

    Raises
    ------
    pydantic.ValidationError
        A dict that does not match the model (an unknown or misspelt key, a wrong type).
    """
    if isinstance(m, ChapterMetrics):
        return m
    return CHAPTERS.get(cid).metrics.of(m)


def collect_metrics(
    pack,
    period: Period | str,
    metrics_dir: str = "",
    chapters: tuple[str, ...] | None = None,
    thresholds: Thresholds | None = None,
) -> tuple[dict[str, ChapterMetrics], dict[str, str]]:
    """Each chapter's key figures: from ``metrics_dir/<id>.json`` when present, else computed.

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
        ``metrics``: chapter id → its model. ``skipped``: chapter id → why it is absent
        (Chinese). A JSON file for another period, or one that does not match the chapter's
        model, is not used (the figures are computed in-process instead).
    """
    p = Period.parse(period)
    t = thresholds or load_thresholds()
    out: dict[str, ChapterMetrics] = {}
    skipped: dict[str, str] = {}
    for cid in chapters or tuple(s.id for s in CHAPTERS.with_figures()):
        spec = CHAPTERS.get(cid) if cid in CHAPTERS else None
        if spec is None or spec.key_figures is None or spec.metrics is None:
            skipped[cid] = UNAVAILABLE
            continue
        try:
            m = read_metrics(metrics_dir, cid, spec.metrics) if metrics_dir else None
        except (ValidationError, ValueError):
            m = None
        if m is not None and m.for_period(p) and not (spec.stale and spec.stale(m, t)):
            out[cid] = m
            continue
        try:
            out[cid] = spec.key_figures(pack, p, t)
        except Exception as e:  # noqa: BLE001 — a failed chapter must not stop the others
            skipped[cid] = f"该章节的关键数字计算失败（{type(e).__name__}：{e}）"
    return out, skipped


def rule_failure(rule_name: str, error: Exception) -> str:
    """The Chinese note for a rule that raised (shown in the method note's skipped list)."""
    return f"问题识别规则{rule_name}运行出错，该规则已跳过（{type(error).__name__}：{error}）"


def evaluate(
    metrics: Mapping[str, ChapterMetrics | Mapping[str, Any]],
    thresholds: Thresholds | None = None,
    suppress: Mapping[str, str] | None = None,
    skipped: Mapping[str, str] | None = None,
    period: Period | str | None = None,
) -> FindingsResult:
    """Run every rule whose chapter figures are present; apply the analyst's suppressions.

    Parameters
    ----------
    metrics
        Chapter id → its figures (the chapter's model, or a dict validated against it).
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
    typed = {cid: as_metrics(cid, m) for cid, m in metrics.items() if cid in CHAPTERS}
    skipped_out = dict(skipped or {})
    found: list[Finding] = []
    for spec in CHAPTERS.with_rules():
        cid = spec.id
        m = typed.get(cid)
        if m is None:
            skipped_out.setdefault(cid, "该章节的关键数字不可用")
            continue
        if not m.is_available():
            skipped_out[cid] = "数据包中没有该章节所需的台账"
            continue
        for rule in spec.rules:
            try:
                found.extend(rule(m, t, typed, p))
            except Exception as e:  # noqa: BLE001 — one failing rule must not stop the chapter
                skipped_out[f"{cid}.{rule.__name__}"] = rule_failure(rule.__name__, e)
    found = [replace(f, topic=CHAPTERS.topic_of_kind(f.kind).id) for f in found]
    sup = dict(suppress or {})
    active, suppressed = [], []
    for f in sort_findings(found, [tp.id for tp in CHAPTERS.topics()], CHAPTERS.kinds()):
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
        metrics=typed,
        topics={tp.id: tp.name for tp in CHAPTERS.topics()},
        period=p.slug if p is not None else "",
    )


def run_findings(
    pack, period: Period | str, metrics_dir: str = "", overrides: str = ""
) -> FindingsResult:
    """Collect the key figures (JSON or in-process), run the rules with the run's threshold
    overrides and the pack's suppressions."""
    t = load_thresholds(overrides)
    metrics, skipped = collect_metrics(pack, period, metrics_dir, thresholds=t)
    return evaluate(metrics, t, getattr(pack, "suppress", None) or {}, skipped, period)


# --------------------------------------------------------------------------- the run's file
def _finding_json(f: Finding) -> dict[str, Any]:
    return {**f.as_dict(), "data": clean(f.data)}


def _finding_of(d: Mapping[str, Any]) -> Finding:
    return Finding(
        id=d["id"],
        kind=d["kind"],
        severity=d["severity"],
        subject=d["subject"],
        title=d["title"],
        sentence=d["sentence"],
        evidence=tuple(tuple(e) for e in d["evidence"]),
        data=dict(d.get("data") or {}),
        topic=d.get("topic", ""),
    )


def findings_json(res: FindingsResult) -> dict[str, Any]:
    """Everything the stage-2 chapters render, as JSON (:func:`read_findings` reads it back)."""
    return {
        "format": FINDINGS_FORMAT,
        "period": res.period,
        "thresholds": {
            "values": clean(dict(res.thresholds)),
            "overridden": list(res.thresholds.overridden),
        },
        "findings": [_finding_json(f) for f in res.findings],
        "suppressed": [{"finding": _finding_json(f), "reason": r} for f, r in res.suppressed],
        "unmatched_suppressions": dict(res.unmatched_suppressions),
        "skipped": dict(res.skipped),
        "topics": dict(res.topics),
        "metrics": {cid: m.to_json() for cid, m in res.metrics.items()},
    }


def write_findings(metrics_dir: str | Path, res: FindingsResult) -> Path:
    """Write the run's findings to ``<metrics_dir>/findings.json``."""
    path = Path(metrics_dir) / FINDINGS_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(findings_json(res), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
    return path


def read_findings(metrics_dir: str | Path) -> FindingsResult | None:
    """The run's findings from ``<metrics_dir>/findings.json``, or None when absent or written
    by another version of the code."""
    path = Path(metrics_dir) / FINDINGS_FILE if metrics_dir else None
    if path is None or not path.exists():
        return None
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        if d.get("format") != FINDINGS_FORMAT:
            return None
        th = d["thresholds"]
        return FindingsResult(
            findings=tuple(_finding_of(f) for f in d["findings"]),
            suppressed=tuple((_finding_of(s["finding"]), s["reason"]) for s in d["suppressed"]),
            unmatched_suppressions=dict(d["unmatched_suppressions"]),
            skipped=dict(d["skipped"]),
            thresholds=Thresholds(dict(th["values"]), tuple(th["overridden"])),
            metrics={cid: as_metrics(cid, m) for cid, m in d["metrics"].items() if cid in CHAPTERS},
            topics=dict(d["topics"]),
            period=d["period"],
        )
    except (KeyError, TypeError, ValueError, ValidationError):
        return None


def findings_for(
    pack, period: Period | str, metrics_dir: str = "", overrides: str = ""
) -> FindingsResult:
    """The findings a stage-2 chapter renders: the run's ``findings.json`` when it was written
    for this period with these thresholds, else :func:`run_findings` (interactive use).

    Examples
    --------
    In a notebook, ``res = findings_for(pack, p, metrics_dir, findings)``; interactively, with
    ``metrics_dir=""``, everything is computed from the pack.
    """
    p = Period.parse(period)
    res = read_findings(metrics_dir) if metrics_dir else None
    if (
        res is not None
        and res.period == p.slug
        and dict(res.thresholds) == clean(dict(load_thresholds(overrides)))
    ):
        return res
    return run_findings(pack, p, metrics_dir, overrides)
