"""The loaded data pack: one typed object that every chapter gets from one call.

Frames carry English column names (see ``schema.py``) plus three provenance columns
``_file``, ``_sheet``, ``_row`` (the row number as Excel shows it), so any later check can
name the cell it objects to.

Column dtypes (the same whether a pack is read fresh or from the cache):

- ``date`` fields: ``datetime64[ns]`` at midnight, ``NaT`` for a blank optional date;
- ``int`` fields (counts): ``int64``; a blank optional count is 0;
- ``year`` fields: ``int64`` when required (年度汇总.年份), ``Int64`` (nullable) when optional
  (指标.基期年份: blank means "computed from the data");
- ``float`` fields: ``float64``; a blank optional amount (e.g. 直接经济损失 not recorded) is NaN,
  never 0 — sums skip it, ``accident_grade`` treats it as 0;
- ``str`` fields: pandas' default string dtype (pandas 3: ``str``), missing = NaN;
- ``_file`` (path relative to the pack), ``_sheet`` ("" for CSV/Parquet), ``_row`` (Excel row,
  header = 1) — provenance, ``int64`` for ``_row``.
- ``accidents.grade`` is always filled by the 493号令 rule (a grade in the sheet must agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planeval.data.schema import LEDGER_BY_KEY
from planeval.periods import Period
from planeval.plan import Plan, read_plan

PROVENANCE = ("_file", "_sheet", "_row")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the analyst needs to fix it."""

    file: str
    rule: str  # what is wrong, in Chinese
    sheet: str | None = None
    row: int | None = None  # as Excel shows it (header row is 1)
    column: str | None = None  # ``死亡 (deaths)``
    value: object = None
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"列“{self.column}”")
        loc = "，".join(where)
        val = "" if self.value is None else f"，值“{self.value}”"
        return f"{loc}{val}：{self.rule}"


class DataPackError(Exception):
    """The pack cannot be used; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        errs = [p for p in self.problems if p.severity == "error"]
        lines = [f"数据包有 {len(errs)} 个错误，请修正后重试："]
        lines += [f"  {i}. {p}" for i, p in enumerate(errs, 1)]
        return "\n".join(lines)


@dataclass
class LoadSummary:
    """What was read and what was normalised (shown by ``planeval check-data``)."""

    ledgers: dict[str, int] = field(default_factory=dict)  # zh name -> rows
    years: dict[str, tuple[int, int]] = field(default_factory=dict)  # zh name -> (first, last)
    sources: dict[str, str] = field(default_factory=dict)  # zh name -> "file › sheet"
    normalised: list[str] = field(default_factory=list)  # human-readable notes
    warnings: list[Problem] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # optional ledgers absent


@dataclass(frozen=True)
class DataPack:
    """A validated data pack.

    Attributes mirror the ledger keys in ``schema.LEDGERS``; an optional ledger that the pack
    does not contain is ``None`` (a chapter says so instead of failing).
    """

    root: Path
    frames: dict[str, pd.DataFrame]
    notes: dict[str, str] = field(default_factory=dict)  # section id -> Markdown
    suppress: dict[str, str] = field(default_factory=dict)  # finding id -> reason
    summary: LoadSummary = field(default_factory=LoadSummary)
    input_hash: str = ""

    @property
    def plan(self) -> Plan:
        """The plan this pack is evaluated against: its ``plan.yaml`` (十四五 without one)."""
        return read_plan(self.root)

    def period(self, text: str | int | Period) -> Period:
        """``text`` read as a period of this pack's plan (``midterm`` is the plan's own)."""
        return Period.parse(text, plan=self.plan)

    def get(self, key: str) -> pd.DataFrame | None:
        if key not in LEDGER_BY_KEY:
            raise KeyError(f"unknown ledger {key!r}")
        return self.frames.get(key)

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def __getattr__(self, key: str) -> pd.DataFrame | None:
        if key in LEDGER_BY_KEY:
            return self.frames.get(key)
        raise AttributeError(key)

    def _annual_rows(self) -> tuple[dict[tuple[Any, Any], int], list[Any], list[Any] | None]:
        """The 年度汇总 frame as a lookup: (year, measure) → its first row; the values and
        口径说明 by row. Made once per frame (asked for hundreds of times by a report) and made
        again when ``frames["annual"]`` is another frame."""
        a = self.frames["annual"]
        cached = self.__dict__.get("_annual_cache")
        if cached is None or cached[0] is not a:
            first: dict[tuple[Any, Any], int] = {}
            for i, key in enumerate(zip(a["year"].tolist(), a["measure"].tolist(), strict=True)):
                first.setdefault(key, i)
            notes = a["basis_note"].tolist() if "basis_note" in a else None
            cached = (a, first, a["value"].tolist(), notes)
            object.__setattr__(self, "_annual_cache", cached)  # frozen: a cache, not a field
        return cached[1], cached[2], cached[3]

    def annual_value(self, year: int, measure: str) -> float | None:
        """The 年度汇总 value for (year, measure), or None when absent."""
        first, values, _ = self._annual_rows()
        i = first.get((year, measure))
        return None if i is None else float(values[i])

    def annual_note(self, year: int, measure: str) -> str | None:
        """口径说明 for (year, measure): a statistical break starts at this year."""
        first, _, notes = self._annual_rows()
        i = first.get((year, measure))
        if i is None or notes is None:
            return None
        v = notes[i]
        return None if pd.isna(v) or not str(v).strip() else str(v)
