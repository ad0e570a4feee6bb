"""Snapshot ledgers (物资储备, 救援队伍, 应急预案, 重大工程) and their 填报时点, as data.

A snapshot ledger describes a state at the date it was filled in, not a period. The date is the
ledger's optional column ``填报时点`` (field ``as_of``; one date for the whole sheet, the latest
when rows differ). Every chapter built on such a ledger labels its figures with that date
(:func:`snapshot_label`), and says so when the period ends long before or after it
(:func:`snapshot_gap_note`): an old snapshot is never presented as the state at a later period
end.

>>> from datetime import date
>>> from planeval.periods import Period
>>> snapshot_label(date(2023, 6, 30), Period.parse("final"))
'截至2023年6月30日（填报时点）'
>>> snapshot_label(None, Period.parse("final"))
'截至2025年12月31日'
>>> print(snapshot_gap_note("物资储备", date(2023, 6, 30), Period.parse("final")))
物资储备台账填报时点为2023年6月30日，早于评估期末（2025年12月31日）30个月，以下数字反映填报时点的情况，不代表评估期末的状态。
>>> snapshot_gap_note("物资储备", date(2023, 6, 30), Period.parse("midterm")) is None
True
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from planeval.periods import Period

SNAPSHOT_LEDGERS: dict[str, str] = {
    "reserves": "物资储备",
    "teams": "救援队伍",
    "plans": "应急预案",
    "projects": "重大工程",
}
#: A snapshot this many months or more away from the period end is said to be so.
GAP_MONTHS = 3


def _zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def snapshot_date(pack: Any, key: str) -> date | None:
    """The 填报时点 of ledger ``key`` (column 填报时点; the latest when rows differ); None when
    the ledger or the column is absent or blank."""
    df = (getattr(pack, "frames", None) or {}).get(key)
    if df is None or "as_of" not in df:
        return None
    s = pd.to_datetime(df["as_of"], errors="coerce").dropna()
    return None if s.empty else s.max().date()


def months_between(a: date, b: date) -> int:
    """Whole months from ``a`` to ``b`` (negative when ``b`` is earlier)."""
    return (b.year - a.year) * 12 + (b.month - a.month)


def relation(as_of: date | None, p: Period) -> str:
    """``same`` (no date, or the period end), ``before`` or ``after`` the period end."""
    if as_of is None or as_of == p.end:
        return "same"
    return "before" if as_of < p.end else "after"


def snapshot_label(as_of: date | None, p: Period) -> str:
    """截至<填报时点>（填报时点）, or 截至<period end> when the ledger gives no date."""
    if as_of is None:
        return f"截至{_zh(p.end)}"
    return f"截至{_zh(as_of)}（填报时点）"


def snapshot_gap_note(zh: str, as_of: date | None, p: Period) -> str | None:
    """The sentence a chapter (and 总体评价) prints when the 填报时点 is :data:`GAP_MONTHS` or more
    before or after the period end; None otherwise."""
    if as_of is None:
        return None
    gap = months_between(as_of, p.end)
    if abs(gap) < GAP_MONTHS:
        return None
    if gap > 0:
        return (
            f"{zh}台账填报时点为{_zh(as_of)}，早于评估期末（{_zh(p.end)}）{gap}个月，"
            "以下数字反映填报时点的情况，不代表评估期末的状态。"
        )
    return (
        f"{zh}台账填报时点为{_zh(as_of)}，晚于评估期末（{_zh(p.end)}）{-gap}个月，"
        "以下数字反映填报时点的情况，其中可能包含评估期后的变化。"
    )


def snapshot_notes(pack: Any, p: Period) -> list[str]:
    """:func:`snapshot_gap_note` for every snapshot ledger of ``pack`` that has one."""
    out = []
    for key, zh in SNAPSHOT_LEDGERS.items():
        if (n := snapshot_gap_note(zh, snapshot_date(pack, key), p)) is not None:
            out.append(n)
    return out
