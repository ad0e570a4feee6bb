"""Findings: rules over the chapters' metrics → problems, recommendations, adjustments.

Public surface::

    from planeval.findings import run_findings, collect_metrics, evaluate, load_thresholds
    res = run_findings(pack, "midterm", metrics_dir, overrides)   # FindingsResult
"""

from planeval.findings.engine import CHAPTERS, collect_metrics, evaluate, run_findings
from planeval.findings.model import KINDS, TOPICS, Finding, FindingsResult
from planeval.thresholds import FindingsConfigError, Thresholds, load_thresholds

__all__ = [
    "CHAPTERS",
    "KINDS",
    "TOPICS",
    "Finding",
    "FindingsConfigError",
    "FindingsResult",
    "Thresholds",
    "collect_metrics",
    "evaluate",
    "load_thresholds",
    "run_findings",
]
