"""One entry of the 数据核查清单 and the ledger rows behind it (the types shared by
:mod:`planeval.report.provenance` and :mod:`planeval.report.provenance_tables`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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

    @property
    def anchor(self) -> str:
        return f"chk-{self.id}"


def plain(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def source_row(df_row: dict, ledger_key: str, fields: Sequence[str]) -> SourceRow:
    ledger = LEDGER_BY_KEY[ledger_key]
    zh = {f.name: f.zh for f in ledger.fields}
    return SourceRow(
        file=str(df_row["_file"]),
        sheet=str(df_row["_sheet"]),
        row=int(df_row["_row"]),
        ledger=ledger.zh,
        values={zh.get(f, f): plain(df_row.get(f)) for f in fields},
    )
