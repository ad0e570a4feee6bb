"""Progress of each plan indicator against its 2025 target, and the verdict.

The verdict rule is written once, here (:data:`THRESHOLDS` and :func:`verdict_for`), and printed
in the report's method note from ``templates/indicators/verdict_rule.md.j2`` with the same
thresholds, so the note always says what the code does.

Target types (指标 ledger, 目标类型):

- ``decline_pct``: "下降 r%" from the base year (目标值 is r in percent: 15 = 下降15%).
  2025 level = base × (1 − r) (for a count — 起, 人 — the whole number to reach: floor of it, so
  "下降10%" from 5 is "不超过4"); 完成进度 = (base − current) ÷ (base − 2025 level); the path value
  at the evaluation date = base × (1 − r × t/5), t = years elapsed; the average yearly change still
  needed = (2025 level ÷ current)^(1/years left) − 1. A base of 0 cannot fall by a percentage:
  the target is read as "不超过0" (``max_value`` 0) and the report says so.
- ``max_value`` / ``min_value``: a limit on the average of the yearly values since 2021.
- ``max_count``: a ceiling on the count since 2021-01-01 (较大以上 ≤ N, usually 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from planeval.data.pack import DataPack
from planeval.indicators.formulas import (
    SPECS,
    FormulaSpec,
    YearValue,
    value_for_slice,
    yearly_values,
)
from planeval.indicators.series import (
    DEFAULT_BASIS,
    Level,
    best_annual_change,
    breaks_between,
    current_level,
)
from planeval.numbers import finite_float
from planeval.periods import Period
from planeval.plan import current_plan
from planeval.vocab import resolve_formula

VERDICTS: tuple[str, ...] = ("超额完成", "达到预期", "基本符合", "滞后", "难以完成")
NOT_ASSESSED = "无法评价"

# Every threshold of the verdict rule (see verdict_rule.md.j2 for the wording).
THRESHOLDS: dict[str, float] = {
    # decline_pct (完成进度 p, 时序进度 s)
    "decline_exceed": 1.0,  # p > 100%: beyond the 2025 target → 超额完成 (p = 100% → 达到预期)
    "decline_on_track": 1.0,  # p ≥ s × 1.0 → 达到预期
    "decline_roughly": 0.8,  # p ≥ s × 0.8 → 基本符合
    # below 基本符合: 难以完成 only when out of reach — the yearly decline still needed exceeds
    # the best yearly decline the county has achieved (base year to the last whole year) by more
    # than this many percentage points; otherwise (or when no year-on-year change is known) 滞后.
    # With no years left (the target date has come) a target not met is 难以完成 when p < 0.
    "decline_unreachable_margin": 0.10,
    "decline_floor": 0.0,  # at 时序进度 100%: p ≥ 0 → 滞后, p < 0 → 难以完成 (both 未完成)
    # max_value / min_value (average since 2021 A, limit T)
    "threshold_exceed_margin": 0.5,  # A better than T by ≥ 50% of T → 超额完成
    "threshold_roughly_margin": 0.1,  # A beyond T by ≤ 10% of T → 基本符合
    # min_value on a percentage (unit %): the years left cannot average more than 100%
    "share_max": 100.0,
    # max_count (count since 2021 C, ceiling N)
    "count_on_track": 1.0,  # C ≤ N × s × 1.0 → 达到预期; C ≤ N → 基本符合; C > N → 难以完成
}

# At the final evaluation (时序进度 s = 100%: the 总结评估, or any period ending 2025-12-31) the
# target date has come, so the report words the same verdict as an outcome rather than a pace:
# 达到预期 → 已完成, 基本符合 → 基本完成, 滞后 and 难以完成 → 未完成. ``Progress.verdict`` keeps the
# rule's word (the findings rules key on it); ``Progress.verdict_text`` is what the report shows.
FINAL_WORDING: dict[str, str] = {
    "超额完成": "超额完成",
    "达到预期": "已完成",
    "基本符合": "基本完成",
    "滞后": "未完成",
    "难以完成": "未完成",
}


def verdict_text(verdict: str, time_share: float) -> str:
    """The verdict as the report words it: :data:`FINAL_WORDING` when ``time_share`` ≥ 1.

    Examples
    --------
    >>> verdict_text("难以完成", 0.5), verdict_text("难以完成", 1.0), verdict_text("达到预期", 1.0)
    ('难以完成', '未完成', '已完成')
    >>> verdict_text("无法评价", 1.0)
    '无法评价'
    """
    if time_share >= 1 - 1e-9:
        return FINAL_WORDING.get(verdict, verdict)
    return verdict


def verdict_words(time_share: float) -> tuple[str, ...]:
    """The words the report uses at ``time_share``, in order, without repeats (+ 无法评价)."""
    return tuple(dict.fromkeys(verdict_text(v, time_share) for v in (*VERDICTS, NOT_ASSESSED)))


@dataclass(frozen=True)
class Progress:
    """One indicator's figures and verdict for an evaluation period."""

    code: str
    name: str
    unit: str
    attribute: str
    key: str
    declared_type: str  # as in the ledger
    target_type: str  # as judged (decline from a zero base → max_value)
    target_value: float  # as in the ledger (r in % for decline_pct)
    base_year: int
    base_value: float | None
    base_source: str  # 指标表 / computed source
    target_level: float | None  # the 2025 level (decline) or the limit
    level: Level
    time_share: float
    plan_years: float = 5.0  # length of the plan in years
    completion: float | None = None
    path_value: float | None = None
    annual_change_needed: float | None = None  # ratio per year (−0.05 = 年均需下降5%)
    needed_rest_average: float | None = None  # thresholds: average needed in the years left
    best_annual_change: float | None = None
    verdict: str = NOT_ASSESSED
    reason: str = ""  # why 无法评价, or a note on how the target was read
    breaks: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    yearly: tuple[YearValue, ...] = field(default_factory=tuple)  # the period's year slices

    @property
    def spec(self) -> FormulaSpec:
        return SPECS[self.key]

    @property
    def current(self) -> float | None:
        return self.level.value

    @property
    def years_left(self) -> float:
        return self.plan_years * (1 - self.time_share)

    @property
    def verdict_text(self) -> str:
        """The verdict as the report shows it (final wording at 时序进度 100%)."""
        return verdict_text(self.verdict, self.time_share)


# ------------------------------------------------------------------------------- verdict rule
# Ratios within this of a threshold count as on it (1 − 0.7 × … may give 1.0000000000000002).
TOLERANCE = 1e-9


def out_of_reach(needed: float | None, best: float | None) -> bool:
    """True when the yearly change still ``needed`` (ratio, −0.2 = 年均需下降20%) is beyond the
    ``best`` yearly change achieved so far by more than ``decline_unreachable_margin``.

    Unknown is not out of reach: without a needed change (no ratio can express it) or without a
    comparable year-on-year change, the target is not declared unreachable.

    >>> out_of_reach(-0.135, -0.259), out_of_reach(-0.30, -0.19), out_of_reach(-0.30, -0.21)
    (False, True, False)
    >>> out_of_reach(-0.12, 0.05), out_of_reach(-0.04, 0.05), out_of_reach(-0.3, None)
    (True, False, False)
    """
    if needed is None or best is None or needed >= 0:
        return False
    margin = THRESHOLDS["decline_unreachable_margin"]
    return (-needed) - (-best) > margin + TOLERANCE


def verdict_decline(
    completion: float,
    time_share: float,
    needed: float | None = None,
    best: float | None = None,
) -> str:
    """Verdict for a ``decline_pct`` target from 完成进度 and 时序进度.

    完成进度 exactly 100 % (within :data:`TOLERANCE`) is the target met, not beaten: 达到预期
    (worded 已完成 at the final evaluation); only beyond 100 % is 超额完成. Below 基本符合 the
    verdict is 滞后 unless the target is :func:`out_of_reach` (``needed``: the yearly change still
    needed, ``best``: the best yearly change achieved); with no years left, 难以完成 when the
    level is worse than the base year (p < 0).

    >>> verdict_decline(1.0, 1.0), verdict_decline(1.0000000000000004, 1.0)
    ('达到预期', '达到预期')
    >>> verdict_decline(1.01, 1.0), verdict_decline(0.99, 1.0)
    ('超额完成', '基本符合')
    >>> verdict_decline(-0.5, 0.4, -0.135, -0.259), verdict_decline(-0.5, 0.4, -0.4, -0.25)
    ('滞后', '难以完成')
    """
    t = THRESHOLDS
    completion = _snap(completion, (t["decline_exceed"], time_share * t["decline_on_track"]))
    if completion > t["decline_exceed"]:
        return "超额完成"
    if completion >= time_share * t["decline_on_track"]:
        return "达到预期"
    if completion >= time_share * t["decline_roughly"]:
        return "基本符合"
    if time_share >= 1 - TOLERANCE:
        return "滞后" if completion >= t["decline_floor"] else "难以完成"
    return "难以完成" if out_of_reach(needed, best) else "滞后"


def _snap(x: float, marks: tuple[float, ...]) -> float:
    """``x`` moved onto the nearest of ``marks`` when within :data:`TOLERANCE` of it."""
    for m in marks:
        if abs(x - m) <= TOLERANCE * max(1.0, abs(m)):
            return m
    return x


def verdict_threshold(
    average: float,
    limit: float,
    upper: bool,
    needed_rest_average: float | None,
    max_possible: float | None = None,
) -> str:
    """Verdict for a limit on the running average (``upper``: max_value, else min_value).

    Beyond the 基本符合 margin the verdict is 滞后 while the years left can still bring the
    plan-period average within the limit (``needed_rest_average``: the average those years need),
    else 难以完成: for an upper limit when the years left would need a negative average, for a
    lower limit when they would need more than ``max_possible`` (100 for a percentage); for
    both when no years are left (``needed_rest_average`` None).
    """
    t = THRESHOLDS
    m_ex, m_ro = t["threshold_exceed_margin"], t["threshold_roughly_margin"]
    average = _snap(average, (limit,))
    if upper:
        if average <= limit:
            return "超额完成" if limit > 0 and average <= limit * (1 - m_ex) else "达到预期"
        if average <= limit * (1 + m_ro):
            return "基本符合"
        return (
            "滞后" if needed_rest_average is not None and needed_rest_average >= 0 else "难以完成"
        )
    if average >= limit:
        return "超额完成" if limit > 0 and average >= limit * (1 + m_ex) else "达到预期"
    if average >= limit * (1 - m_ro):
        return "基本符合"
    reachable = needed_rest_average is not None and (
        max_possible is None or needed_rest_average <= max_possible
    )
    return "滞后" if reachable else "难以完成"


def verdict_count(count: float, ceiling: float, time_share: float) -> str:
    """Verdict for a ceiling on a count since 2021 (较大以上 ≤ N)."""
    if count <= ceiling * time_share * THRESHOLDS["count_on_track"]:
        return "达到预期"
    if count <= ceiling:
        return "基本符合"
    return "难以完成"


# ------------------------------------------------------------------------------- assessment
def base_value_for(pack: DataPack, key: str, row: dict) -> tuple[int, float | None, str]:
    """Base year, base value and where it came from (the 指标 ledger, or computed from data)."""
    by = finite_float(row.get("base_year"))
    base_year = int(by) if by is not None else current_plan().base_year
    bv = finite_float(row.get("base_value"))
    if bv is not None:
        return base_year, bv, "指标表"
    v = value_for_slice(pack, SPECS[key], Period.parse(str(base_year)))
    return base_year, v.value, f"按{v.source}计算" if v.value is not None else "无数据"


def annual_change_needed(current: float, target: float, years_left: float) -> float | None:
    """Average yearly change (ratio) that takes ``current`` to ``target`` in ``years_left``.

    0.0 when the target is already met; None when it cannot be expressed as a ratio (a target
    of 0 from a level above 0, or no years left).
    """
    if current <= target:
        return 0.0
    if years_left <= 0 or target <= 0 or current <= 0:
        return None
    return (target / current) ** (1 / years_left) - 1


def assess(pack: DataPack, row: dict, p: Period, basis: str = DEFAULT_BASIS) -> Progress:
    """The progress and verdict of one 指标 row over period ``p``.

    Parameters
    ----------
    pack : the data pack.
    row : one row of ``pack.indicators`` as a dict (English field names).
    p : the evaluation period (its end is the evaluation date).
    basis : the 现状值 of a decline indicator: ``"year"`` (latest complete calendar year, the
        default) or ``"rolling12"`` (the 12 months to the evaluation date, an explicit option).
    """
    key = resolve_formula(row["formula"])
    if key is None:
        raise ValueError(f"指标“{row.get('name')}”的计算公式“{row['formula']}”不在公式表中")
    spec = SPECS[key]
    declared = str(row["target_type"])
    tv = finite_float(row.get("target_value"))
    target_value = 0.0 if tv is None else tv
    base_year, base, base_source = base_value_for(pack, key, row)
    s = p.plan_elapsed_share
    ttype, reason = declared, ""
    cum_no_base = spec.cumulative and declared == "decline_pct" and base is None
    if spec.cumulative and declared != "max_count" and not cum_no_base:
        ttype = "max_count"
        if declared == "decline_pct":
            target_value = count_ceiling(base * (1 - target_value / 100), spec.digits)
            reason = (
                f"累计类指标按2021年以来累计起数不超过基期值{_num_txt(base)}下降"
                f"{_pct_txt(tv)}后的{_num_txt(target_value)}评价"
                + ("（取整）" if spec.digits == 0 else "")
            )
        else:
            reason = "累计类指标按累计起数不超过目标值评价"
    elif ttype == "max_count":
        target_value = count_ceiling(target_value, spec.digits)
    if ttype == "decline_pct" and base == 0:
        ttype, target_value = "max_value", 0.0
        reason = f"基期值为0，无法按百分比下降，按“不超过0”评价（目标为下降{_pct_txt(tv)}）"
    level = current_level(pack, key, p, ttype, basis)
    common = dict(
        code=str(row["code"]),
        name=str(row["name"]),
        unit=_text(row.get("unit")) or spec.unit,
        attribute=_text(row.get("attribute")),
        key=key,
        declared_type=declared,
        target_type=ttype,
        target_value=target_value if ttype != "decline_pct" else (tv or 0.0),
        base_year=base_year,
        base_value=base,
        base_source=base_source,
        level=level,
        time_share=s,
        plan_years=p.plan.n_years,
        best_annual_change=best_annual_change(pack, key, base_year, p),
        yearly=tuple(yearly_values(pack, key, p)),
    )
    cur = level.value
    last_year = level.last_year or p.end.year
    brk = tuple(breaks_between(pack, key, base_year, last_year))
    years_left = p.plan.n_years * (1 - s)

    if cum_no_base:
        why = f"缺少基期值，无法将“下降{_pct_txt(tv)}”换算为累计起数上限"
        return Progress(**common, target_level=None, reason=why, breaks=brk)

    if ttype == "decline_pct":
        r = target_value / 100
        if base is None or cur is None:
            why = "缺少基期值" if base is None else "缺少现状数据"
            return Progress(**common, target_level=None, reason=why, breaks=brk)
        target = count_ceiling(base * (1 - r), spec.digits)
        path = base * (1 - r * s)
        needed = annual_change_needed(cur, target, years_left)
        if brk:
            why = "；".join(f"{y}年起统计口径调整（{n}）" for y, n in brk)
            return Progress(
                **common,
                target_level=target,
                path_value=path,
                annual_change_needed=needed,
                reason=f"{why}，现状值与基期值不可比，不计算完成进度",
                breaks=brk,
            )
        completion = (1.0 if cur <= base else -1.0) if r == 0 else (base - cur) / (base - target)
        return Progress(
            **common,
            target_level=target,
            completion=completion,
            path_value=path,
            annual_change_needed=needed,
            verdict=verdict_decline(completion, s, needed, common["best_annual_change"]),
            reason=reason,
            breaks=brk,
        )

    if ttype in ("max_value", "min_value"):
        if cur is None:
            return Progress(**common, target_level=target_value, reason="缺少现状数据", breaks=brk)
        elapsed = sum(v.fraction for v in level.values if v.value is not None)
        needed_avg = None
        if years_left > 0:
            needed_avg = (target_value * p.plan.n_years - cur * elapsed) / years_left
        cap = THRESHOLDS["share_max"] if (_text(row.get("unit")) or spec.unit) == "%" else None
        verdict = verdict_threshold(cur, target_value, ttype == "max_value", needed_avg, cap)
        return Progress(
            **common,
            target_level=target_value,
            needed_rest_average=needed_avg,
            verdict=verdict,
            reason=reason,
            breaks=brk,
        )

    # max_count
    if cur is None:
        return Progress(**common, target_level=target_value, reason="缺少现状数据", breaks=brk)
    if level.kind == "cumulative_partial" and cur <= target_value:
        why = f"现状值为{level.basis}，无法判断是否超过目标"
        return Progress(**common, target_level=target_value, reason=why, breaks=brk)
    return Progress(
        **common,
        target_level=target_value,
        verdict=verdict_count(cur, target_value, s),
        reason=reason,
        breaks=brk,
    )


def _text(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return ""
    return str(x).strip()


def _num_txt(x: float) -> str:
    return f"{x:g}"


def count_ceiling(limit: float, digits: int) -> float:
    """The ceiling a count is judged against: ``floor(limit)`` for a count (``digits`` 0).

    A count is a whole number, so "不超过0.8起" means "不超过0起"; flooring (with a float
    tolerance, so 2.9999999 stays 3) makes the printed ceiling the one the verdict uses.

    >>> count_ceiling(0.8, 0), count_ceiling(3.0000000001, 0), count_ceiling(2.9999999999, 0)
    (0.0, 3.0, 3.0)
    >>> count_ceiling(0.8, 2)
    0.8
    """
    if digits != 0:
        return limit
    return float(math.floor(limit + 1e-9))


def _pct_txt(r: float | None) -> str:
    if r is None:
        return "—"
    return f"{r:g}%"


def assess_all(pack: DataPack, p: Period, basis: str = DEFAULT_BASIS) -> list[Progress]:
    """Progress of every indicator in the 指标 ledger, in ledger order."""
    df = pack.indicators
    if df is None:
        return []
    return [assess(pack, row, p, basis) for row in df.to_dict("records")]
