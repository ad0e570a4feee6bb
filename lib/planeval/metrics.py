"""Each chapter's key figures: a typed model written as JSON (with its JSON Schema beside it) by
the chapter, read by the findings and by machines.

One model per chapter (a :class:`ChapterMetrics` subclass, defined beside the code that
produces it) is shared by the producer and the findings rules. :func:`write_metrics` writes
``<metrics_dir>/<id>.json`` and ``<id>.schema.json``; :func:`read_metrics` reads it back into the
model. A field the producer did not set is left out of the JSON (a chapter whose ledger is absent
writes only ``available`` and ``period``); a field it set to None is written as null.

>>> class Demo(ChapterMetrics):
...     available: bool = True
...     n: Num | None = None
>>> Demo.of({"available": False}).model_dump(mode="json", exclude_unset=True)
{'available': False}
>>> Demo.of({"n": float("nan")}).n is None
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = [
    "ChapterMetrics",
    "Figures",
    "Num",
    "ValidationError",
    "clean",
    "read_metrics",
    "schema_path",
    "write_metrics",
]

# A figure: an int stays an int (a count), a float a float (pydantic's smart union).
Num = int | float
M = TypeVar("M", bound="ChapterMetrics")


def clean(x: Any) -> Any:
    """JSON-ready values: numpy scalars to Python, NaN/±inf to None, dates to ISO text."""
    if isinstance(x, Mapping):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, (date, datetime)):
        return x.isoformat()
    if hasattr(x, "item") and callable(x.item):  # numpy scalars
        x = x.item()
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    return x


class Figures(BaseModel):
    """A nested group of figures: unknown keys are refused (no alias keys)."""

    model_config = ConfigDict(extra="forbid")


class ChapterMetrics(Figures):
    """Base of the chapter metrics models.

    ``period`` is each chapter's own (a label, a slug, or a ``{label, start, end}`` span); see
    :meth:`for_period`.
    """

    @classmethod
    def of(cls: type[M], data: Mapping[str, Any]) -> M:
        """The model of a producer's dict (numpy values, NaN and dates cleaned first)."""
        return cls.model_validate(clean(data))

    def to_json(self) -> dict[str, Any]:
        """What is written: the fields the producer set (absent sections stay absent)."""
        return self.model_dump(mode="json", exclude_unset=True)

    def is_available(self) -> bool:
        """False when the chapter says its ledger is absent (its rules do not run)."""
        a = getattr(self, "available", True)
        if isinstance(a, BaseModel):
            a = a.model_dump()
        if isinstance(a, Mapping):
            return any(bool(v) for v in a.values())
        return True if a is None else bool(a)

    def for_period(self, period) -> bool:
        """False when the figures say they are for another period (a stale file is not used)."""
        p = getattr(self, "period", None)
        if isinstance(p, BaseModel):
            p = p.model_dump(mode="json")
        if isinstance(p, Mapping):
            s, e = p.get("start"), p.get("end")
            if s and e:
                return str(s)[:10] == period.start.isoformat() and str(e)[:10] == (
                    period.end.isoformat()
                )
            return p.get("label") in (None, period.label)
        if isinstance(p, str):
            return p in (period.slug, period.label, period.as_range())
        return True


def schema_path(metrics_dir: str | Path, chapter: str) -> Path:
    """Where the JSON Schema of a chapter's metrics is written: ``<id>.schema.json``."""
    return Path(metrics_dir) / f"{chapter}.schema.json"


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def write_metrics(
    metrics_dir: str | Path, chapter: str, data: ChapterMetrics | Mapping[str, Any]
) -> Path | None:
    """Write ``<metrics_dir>/<chapter>.json`` and, for a model, its JSON Schema
    ``<chapter>.schema.json``.

    A registered chapter writes its model; a plain mapping (a chapter outside the registry,
    e.g. a test fixture) is written as it is, cleaned, without a schema. Does nothing when
    ``metrics_dir`` is empty (a notebook run interactively).
    """
    if not metrics_dir:
        return None
    d = Path(metrics_dir)
    d.mkdir(parents=True, exist_ok=True)
    p = d / f"{chapter}.json"
    if isinstance(data, ChapterMetrics):
        _write_json(p, data.to_json())
        _write_json(schema_path(d, chapter), type(data).model_json_schema())
    else:
        _write_json(p, clean(data))
    return p


def read_metrics(
    metrics_dir: str | Path, chapter: str, model: type[M] | None = None
) -> M | dict[str, Any] | None:
    """A chapter's metrics as its model (as a dict when ``model`` is None), or None when absent.

    Raises
    ------
    pydantic.ValidationError
        The file does not match the model (written by other code).
    """
    if not metrics_dir:
        return None
    p = Path(metrics_dir) / f"{chapter}.json"
    if not p.exists():
        return None
    data = json.loads(p.read_text(encoding="utf-8"))
    return data if model is None else model.model_validate(data)
