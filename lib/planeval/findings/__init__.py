"""Findings: rules over the chapters' key figures → problems, recommendations, adjustments.

Public surface::

    from planeval.findings import findings_for, run_findings, collect_metrics, evaluate
    res = findings_for(pack, "midterm", metrics_dir, overrides)   # FindingsResult: the run's
                                                                  # findings.json, or computed

The names are loaded on first use: the registry (:mod:`planeval.registry`) imports the rules
from this package, and the engine imports the registry.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "collect_metrics": "planeval.findings.engine",
    "findings_for": "planeval.findings.engine",
    "evaluate": "planeval.findings.engine",
    "run_findings": "planeval.findings.engine",
    "Finding": "planeval.findings.model",
    "FindingsResult": "planeval.findings.model",
    "FindingsConfigError": "planeval.thresholds",
    "Thresholds": "planeval.thresholds",
    "load_thresholds": "planeval.thresholds",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planeval.findings' has no attribute {name!r}")
