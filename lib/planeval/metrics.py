"""Each chapter's key figures as JSON: written by the chapter, read by later chapters and machines."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any


def _clean(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (date, datetime)):
        return x.isoformat()
    if hasattr(x, "item") and callable(x.item):  # numpy scalars
        x = x.item()
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    return x


def write_metrics(metrics_dir: str | Path, chapter: str, data: dict[str, Any]) -> Path | None:
    """Write ``<metrics_dir>/<chapter>.json``; does nothing when ``metrics_dir`` is empty."""
    if not metrics_dir:
        return None
    d = Path(metrics_dir)
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{chapter}.json"
    tmp = p.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(_clean(data), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(p)
    return p


def read_metrics(metrics_dir: str | Path, chapter: str) -> dict[str, Any] | None:
    """Read a chapter's metrics, or None when absent."""
    if not metrics_dir:
        return None
    p = Path(metrics_dir) / f"{chapter}.json"
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))
