"""One entry of the 数据核查清单 and the ledger rows behind it (the types shared by
:mod:`planeval.report.provenance` and :mod:`planeval.report.provenance_tables`)."""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planeval.data.schema import LEDGER_BY_KEY

INDICATOR_TABLE = "主要指标进展"  # the indicator table's caption contains this


@dataclass
class SourceRow:
    """One row of an original file: where it is and the values the figure used (by the
    column's Chinese name, as the format defines it)."""

    file: str
    sheet: str
    row: int
    ledger: str  # Chinese ledger name
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Entry:
    """One printed figure and how to check it."""

    id: str
    section: str
    table: str  # 表N (the report's number, filled in when the report is known)
    row: str  # the table row's label (the indicator)
    column: str  # the table column (2022年, 基期值 …)
    figure: str  # what the number is, in words
    printed: str
    value: float | None  # unrounded
    digits: int
    formula: str  # in words
    computed: dict[str, Any]  # kind, numerator, denominator, fraction, scale, expression
    filters: dict[str, Any]  # period, sector, grade …
    sources: list[SourceRow] = field(default_factory=list)  # numerator rows
    denominator_source: SourceRow | None = None
    caption: str = INDICATOR_TABLE  # the report table it is in: its caption contains this
    # Where the report's sentences print it too (:mod:`planeval.report.provenance_text`):
    # (paragraph regex, phrase regex with ``{v}`` where the value stands, style).
    marks: list[tuple[str, str, str]] = field(default_factory=list)
    style: str = ""  # how the value is printed: "" (at ``digits``), "money" (万元/亿元), "pct"
    locator: dict[str, int] | None = None  # a sentence's: paragraph index, start, end
    # (rows, ledger, fields) whose source rows are made only for an entry the report prints
    # (:func:`materialize`): most figures computed are not printed in a given report
    pending: Any = field(default=None, repr=False, compare=False)

    @property
    def anchor(self) -> str:
        return f"chk-{self.id}"


def printed_as(value: float, digits: int, style: str = "") -> str:
    """The value as the report prints it: at ``digits`` (an indicator's precision), as an
    amount of 万元 with its unit (``money``), as a percentage (``pct``, of a ratio), or as the
    size of a change (``change``: a percentage, plainly rounded)."""
    from planeval.narrative.phrasing import fmt_money, fmt_pct, fmt_value

    if style == "change":  # the size of a change, as change_phrase prints it ("20.0%")
        return f"{value * 100:.{digits}f}%"
    if style == "money":
        return fmt_money(value)
    if style == "pct":
        return fmt_pct(value, digits)
    return fmt_value(value, digits)


def plain(v: Any) -> Any:
    """A cell's value as JSON and the checklist show it: a blank date (NaT) or number (NaN)
    is None, a date its ISO text."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def plain_column(column: pd.Series) -> list[Any]:
    """:func:`plain` of every value of a column, converted column-wise where its type allows
    (dates to ISO text, floats with NaN as None) and value by value otherwise.

    >>> plain_column(pd.Series(pd.to_datetime(["2021-03-05", None])))
    ['2021-03-05', None]
    >>> plain_column(pd.Series([1.5, float("nan")]))
    [1.5, None]
    """
    if not isinstance(column.dtype, np.dtype):  # pandas' own types (arrow text, Int64 …)
        return [plain(v) for v in column.tolist()]
    kind = column.dtype.kind
    if kind == "M":
        days = np.datetime_as_string(column.to_numpy(dtype="datetime64[D]"), unit="D")
        return [None if d == "NaT" else str(d) for d in days]
    if kind == "f":
        return [None if v != v else v for v in column.tolist()]
    if kind in "iub":
        return column.tolist()
    return [plain(v) for v in column.tolist()]


def _names(ledger_key: str, fields: Sequence[str]) -> list[tuple[str, str]]:
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger_key].fields}
    return [(f, zh.get(f, f)) for f in fields]


def _row(r: dict, ledger_zh: str, names: Sequence[tuple[str, str]]) -> SourceRow:
    return SourceRow(
        file=str(r["_file"]),
        sheet=str(r["_sheet"]),
        row=int(r["_row"]),
        ledger=ledger_zh,
        values={name: plain(r.get(f)) for f, name in names},
    )


def source_row(df_row: dict, ledger_key: str, fields: Sequence[str]) -> SourceRow:
    """One row of a pack frame (a dict with its place ``_file``, ``_sheet``, ``_row``) and the
    values of ``fields``, by their Chinese names."""
    return _row(df_row, LEDGER_BY_KEY[ledger_key].zh, _names(ledger_key, fields))


PLACE = ("_file", "_sheet", "_row")  # a pack frame's columns saying where each row is


def source_rows(rows: pd.DataFrame, ledger_key: str, fields: Sequence[str]) -> list[SourceRow]:
    """:func:`source_row` of every row of ``rows`` (only ``fields`` and its place are read)."""
    names, ledger_zh = _names(ledger_key, fields), LEDGER_BY_KEY[ledger_key].zh
    if rows.empty:
        return []
    present = [(f, name) for f, name in names if f in rows.columns]
    names_present = [name for _, name in present]
    absent = {name: None for f, name in names if f not in rows.columns}
    memo = _rows().setdefault((ledger_key, tuple(fields)), {})
    places = list(zip(*(rows[c].tolist() for c in PLACE), strict=True))
    # a row behind many figures (its sector's, the 合计, its year) is made once: only the rows
    # not made yet have their values read (column-wise, and dates converted only for them)
    new = [i for i, key in enumerate(places) if key not in memo]
    if new:
        part = rows.iloc[new] if len(new) < len(places) else rows
        columns = [plain_column(part[f]) for f, _ in present]
        values_of_new = zip(*columns, strict=True) if columns else (() for _ in new)
        for i, vals in zip(new, values_of_new, strict=True):
            key = places[i]
            if key in memo:  # the same place twice in ``rows``
                continue
            values = dict(zip(names_present, vals, strict=True))
            memo[key] = SourceRow(
                str(key[0]), str(key[1]), int(key[2]), ledger_zh, {**values, **absent}
            )
    return [memo[key] for key in places]


# The rows made by source_rows, per (ledger, fields): one build's, in its own thread (a batch
# may build two counties at once; forget_rows clears them before and after a build).
_LOCAL = threading.local()


def _rows() -> dict[tuple[str, tuple[str, ...]], dict[tuple, SourceRow]]:
    if not hasattr(_LOCAL, "rows"):
        _LOCAL.rows = {}
    return _LOCAL.rows


def forget_rows() -> None:
    """Drop the rows made so far (a new build may read another pack)."""
    _rows().clear()


def materialize(entries: Sequence[Entry]) -> list[Entry]:
    """Make the source rows of the entries still pending (:func:`source_rows`), in place."""
    try:
        for e in entries:
            if e.pending is not None:
                rows, ledger, fields = e.pending
                e.sources, e.pending = source_rows(rows, ledger, fields), None
    finally:
        forget_rows()
    return list(entries)
