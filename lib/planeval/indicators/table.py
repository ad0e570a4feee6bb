"""The indicator table of 一(一) (序号, 指标, 单位, 属性, 基期值, 目标值, each year, 现状值, 完成进度,
时序进度, 评价) and its note (current-value basis, data sources, breaks, how targets were read)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from planeval.indicators.formulas import NO_DATA, SPECS
from planeval.indicators.progress import NOT_ASSESSED, Progress
from planeval.narrative.phrasing import fmt_pct, fmt_value
from planeval.narrative.render import render
from planeval.periods import Period

FIXED_COLUMNS = ("序号", "指标", "单位", "属性", "基期值", "目标值")
TAIL_COLUMNS = ("现状值", "完成进度", "时序进度", "评价")


def target_text(pr: Progress) -> str:
    """The target as a report writes it: 下降15%（0.01432）, ≤0.18, ≥2.0, ≤0; a count (起, 人)
    as the whole number to reach: 下降10%（≤4） for a base of 5, never 下降10%（4.5）."""
    d = pr.spec.digits
    if pr.target_type == "decline_pct":
        if pr.target_level is None:
            lvl = ""
        elif d == 0:
            lvl = f"（≤{fmt_value(pr.target_level, 0)}）"
        else:
            lvl = f"（{fmt_value(pr.target_level, d)}）"
        return f"下降{pr.target_value:g}%{lvl}"
    if pr.target_type == "min_value":
        return f"≥{fmt_value(pr.target_value, d)}"
    return f"≤{fmt_value(pr.target_value, d)}"


def completion_text(pr: Progress) -> str:
    """完成进度: a percentage for decline targets; 达标/未达标 for limits and ceilings.

    A decline ratio of 100 % or more (the 2025 level already reached) reads "已达目标" and a
    negative one (worse than the base year) "劣于基期": "400.0%" or "-117.2%" in a table for
    leadership reads like an error. The raw ratio stays in the metrics JSON (``completion``) and
    is listed in the method note (:func:`completion_outliers`).
    """
    if pr.verdict == NOT_ASSESSED:
        return "—"
    if pr.target_type == "decline_pct":
        if pr.completion is not None and pr.completion >= 1:
            return "已达目标"
        if pr.completion is not None and pr.completion < 0:
            return "劣于基期"
        return fmt_pct(pr.completion)
    within = (
        pr.current >= pr.target_value
        if pr.target_type == "min_value"
        else pr.current <= pr.target_value
    )
    return "达标" if within else "未达标"


def completion_outliers(progress: list[Progress]) -> dict[str, list[tuple[str, str]]]:
    """Decline indicators whose 完成进度 the table words instead of printing:
    ``{"reached": [(name, "400.0%"), …], "worse": [(name, "-117.2%"), …]}``."""
    out: dict[str, list[tuple[str, str]]] = {"reached": [], "worse": []}
    for pr in progress:
        c = pr.completion
        if pr.verdict == NOT_ASSESSED or pr.target_type != "decline_pct" or c is None:
            continue
        if c >= 1:
            out["reached"].append((pr.name, fmt_pct(c)))
        elif c < 0:
            out["worse"].append((pr.name, fmt_pct(c)))
    return out


def year_labels(p: Period) -> list[str]:
    """The table's year columns: 2021年, 2022年, 2023年上半年."""
    return [s.label for s in p.year_slices()]


def indicator_table(progress: list[Progress], p: Period) -> pd.DataFrame:
    """The display table (all cells are formatted strings)."""
    labels = year_labels(p)
    rows = []
    for i, pr in enumerate(progress, 1):
        d = pr.spec.digits
        yearly = {lab: fmt_value(v.value, d) for lab, v in zip(labels, pr.yearly, strict=True)}
        rows.append(
            {
                "序号": str(i),
                "指标": pr.name,
                "单位": pr.unit,
                "属性": pr.attribute,
                "基期值": fmt_value(pr.base_value, d),
                "目标值": target_text(pr),
                **yearly,
                "现状值": fmt_value(pr.current, d),
                "完成进度": completion_text(pr),
                "时序进度": fmt_pct(pr.time_share),
                "评价": pr.verdict_text,
            }
        )
    cols = [*FIXED_COLUMNS, *labels, *TAIL_COLUMNS]
    return pd.DataFrame(rows, columns=cols)


def table_note(progress: list[Progress], p: Period) -> str:
    """The note under the table (plain text, from ``templates/indicators/table_note.md.j2``)."""
    # where each year's figure came from, grouped by source and indicator group
    sources: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    fallbacks: dict[tuple[int, int], set[str]] = defaultdict(set)
    for pr in progress:
        for v in pr.yearly:
            src = v.source
            if v.label not in sources[src][pr.name]:
                sources[src][pr.name].append(v.label)
            if v.denominator_year is not None and v.value is not None:
                fallbacks[(v.year, v.denominator_year)].add(SPECS[pr.key].denominator)
    by_source = []
    for src, per_ind in sources.items():
        groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for name, labels in per_ind.items():
            groups[tuple(labels)].append(name)
        for labels, names in groups.items():
            by_source.append({"source": src, "labels": list(labels), "names": names})
    partial = [s.label for s in p.year_slices() if s.is_partial_year]
    levels = sorted({(pr.level.kind, pr.level.basis) for pr in progress if pr.level.kind != "none"})
    return render(
        "indicators/table_note.md.j2",
        by_source=[b for b in by_source if b["source"] != NO_DATA],
        no_data=[b for b in by_source if b["source"] == NO_DATA],
        fallbacks=[
            {"year": y, "from_year": fy, "measures": sorted(m)}
            for (y, fy), m in sorted(fallbacks.items())
        ],
        partial=partial,
        levels=[{"kind": k, "basis": b} for k, b in levels],
        breaks=[{"name": pr.name, "year": y, "note": n} for pr in progress for y, n in pr.breaks],
        reasons=[{"name": pr.name, "reason": pr.reason} for pr in progress if pr.reason],
        partials=[
            {
                "name": pr.name,
                "unit": pr.unit,
                "digits": pr.spec.digits,
                "cmp": pr.level.partial,
            }
            for pr in progress
            if pr.level.kind == "latest_year" and pr.level.partial is not None
        ],
    ).plain
