"""Number coercion: the one rule for turning a figure read from metrics or a ledger into a float.

Semantics: ``None``, booleans, text that is not a number, NaN and ±inf are *absent* (None), never
zero — absence is not zero. Integers, floats, numpy scalars and numeric strings become a float.

>>> finite_float(3), finite_float("2.5"), finite_float(None), finite_float(float("nan"))
(3.0, 2.5, None, None)
>>> finite_float(True), finite_float("—"), finite_float(float("inf"))
(None, None, None)

:func:`as_figure` is the same rule for a figure written to the metrics JSON, with a whole
number kept as an int (a count reads ``12``, not ``12.0``):

>>> as_figure(12.0), as_figure(0.25), as_figure(None), as_figure(float("nan"))
(12, 0.25, None, None)
"""

from __future__ import annotations

import math
from typing import Any


def finite_float(x: Any) -> float | None:
    """``x`` as a finite float, or None when it is absent or not a number (see module doc)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or math.isinf(v) else v


def as_figure(x: Any) -> int | float | None:
    """:func:`finite_float`, with a whole number as an int (counts in the metrics JSON)."""
    v = finite_float(x)
    if v is None:
        return None
    return int(v) if v.is_integer() else v
