"""数据核查清单: for each figure the report prints, where it appears, the value as printed and
unrounded, the formula in words and as computed, and the ledger rows it was computed from.

Entries are built from the validated pack, whose frames carry each row's place in the original
files (``_file``, ``_sheet``, ``_row`` as Excel numbers rows; :mod:`planeval.data.pack`):

- every year cell of the indicator table (表 主要指标进展): an event-ledger count or sum over the
  rows dated in that year (or part of it), with the filter (sector, grade) the formula applies,
  divided by the 年度汇总 denominator row for a rate; or the 年度汇总 row itself;
- its 基期值 and the 2025 level of a 下降 target, from the indicator's row of the 指标 sheet;
- the chapters' ledger tables — risk per sector and per year, campaigns, drills, outreach,
  projects — listed by :mod:`planeval.report.provenance_tables`.

Each entry's numerator is recomputed here from the rows it lists and must equal what the
chapter computed (:func:`planeval.indicators.formulas.value_for_slice`); an entry that does not
is left out rather than listed wrong. ``tests/unit/test_provenance.py`` recomputes every entry
from the original workbook alone.

Written beside the report as 数据核查清单.json (machines), 数据核查清单.xlsx (汇总 sheet, each
entry linked to its rows on the 来源行 sheet) and 数据核查清单.html (the report's cells link to
its entries).
"""

from __future__ import annotations

import dataclasses
import html as _html
import json
import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from planeval.data.pack import DataPack
from planeval.data.schema import LEDGER_BY_KEY
from planeval.indicators.formulas import (
    ANNUAL_SOURCE,
    SPECS,
    YearValue,
    accident_grades,
    ledger_rows,
    value_for_slice,
)
from planeval.indicators.progress import Progress
from planeval.narrative.phrasing import fmt_value
from planeval.periods import Period
from planeval.report.exports import row_labels
from planeval.report.provenance_entry import (
    INDICATOR_TABLE,
    Entry,
    SourceRow,
    forget_rows,
    materialize,
    printed_as,
    source_row,
    source_rows,
)
from planeval.report.provenance_text import TEXT_TABLE, link_attrs, link_text, place_in_text
from planeval.vocab import INDUSTRIAL_SECTORS, MAJOR_OR_ABOVE, SEVERE

CHECKLIST = "数据核查清单"
LISTED_ROWS = 50  # the companion page lists an entry's rows one by one up to this many

# How each formula's numerator is made from its event ledger's rows:
# (count rows | sum fields, fields summed, (column, accepted values) filter or None).
NUMERATORS: dict[str, tuple[str, tuple[str, ...], tuple[str, tuple[str, ...]] | None]] = {
    "accident_count": ("count", (), None),
    "accident_deaths": ("sum", ("deaths", "missing"), None),
    "major_accident_count_cum": ("count", (), ("grade", tuple(MAJOR_OR_ABOVE))),
    "severe_accident_count": ("count", (), ("grade", tuple(SEVERE))),
    "deaths_per_100m_gdp": ("sum", ("deaths", "missing"), None),
    "fire_deaths_per_100k": ("sum", ("deaths",), None),
    "industrial_deaths_per_100k_workers": (
        "sum",
        ("deaths", "missing"),
        ("sector", tuple(INDUSTRIAL_SECTORS)),
    ),
    "road_deaths_per_10k_vehicles": ("sum", ("deaths", "missing"), ("sector", ("道路交通",))),
    "disaster_deaths_per_million": ("sum", ("deaths", "missing"), None),
    "disaster_affected_per_100k": ("sum", ("affected",), None),
    "disaster_loss_share_gdp": ("sum", ("loss",), None),
}


def _annual_row(pack: DataPack, year: int, measure: str) -> SourceRow | None:
    a = pack.annual
    if a is None:
        return None
    hit = a[(a["year"] == year) & (a["measure"] == measure)]
    if hit.empty:
        return None
    return source_row(hit.iloc[0].to_dict(), "annual", ("year", "measure", "value"))


def _ledger_numerator(pack: DataPack, v: YearValue) -> tuple[float, list[SourceRow], dict]:
    spec = SPECS[v.key]
    kind, fields, filt = NUMERATORS[v.key]
    rows = ledger_rows(pack, spec.ledger, v.start, v.end)
    filters: dict[str, Any] = {}
    shown = [LEDGER_BY_KEY[spec.ledger].date_field, *fields]
    if filt is not None:
        col, accepted = filt
        if col == "grade":
            grades = accident_grades(rows) if not rows.empty else pd.Series(dtype=object)
            rows = rows.assign(grade=grades)[grades.isin(accepted)] if not rows.empty else rows
        else:
            rows = rows[rows[col].isin(accepted)]
        filters[{"grade": "等级", "sector": "行业领域"}[col]] = list(accepted)
        shown.append(col)
    present = [f for f in fields if f in rows.columns]
    total = (
        float(len(rows))
        if kind == "count"
        else float(sum(rows[f].fillna(0).sum() for f in present))
    )
    cols = [c for c in dict.fromkeys(shown) if c in rows.columns]
    sources = source_rows(rows, spec.ledger, cols)
    return total, sources, filters


def _words(spec_key: str) -> str:
    spec = SPECS[spec_key]
    return spec.formula_text


def year_entry(
    pack: DataPack, pr: Progress, v: YearValue, n: int, column: str | None = None
) -> Entry | None:
    """The entry of one year cell of the indicator table, or None when it cannot be listed
    from rows (no data, or a numerator the listed rows do not reproduce)."""
    spec = SPECS[v.key]
    if v.value is None or v.numerator is None:
        return None
    filters: dict[str, Any] = {"期间": f"{v.start.isoformat()}..{v.end.isoformat()}"}
    if v.source == ANNUAL_SOURCE:
        src = _annual_row(pack, v.year, spec.annual_measure)
        if src is None:
            return None
        numerator, sources = float(src.values["数值"]), [src]
        filters = {"年度汇总": f"{v.year}年 · {spec.annual_measure}"}
    else:
        numerator, sources, extra = _ledger_numerator(pack, v)
        filters.update(extra)
    if not math.isclose(numerator, v.numerator, rel_tol=1e-9, abs_tol=1e-9):
        return None  # the rows listed would not give the printed figure: do not list it
    computed: dict[str, Any] = {
        "kind": "count" if NUMERATORS[v.key][0] == "count" and v.source != ANNUAL_SOURCE else "sum",
        "numerator": numerator,
        "numerator_fields": [
            f.zh for f in LEDGER_BY_KEY[spec.ledger].fields if f.name in NUMERATORS[v.key][1]
        ],
    }
    if v.source == ANNUAL_SOURCE:
        computed["kind"] = "annual"
    den_src = None
    expr = f"{numerator:g}"
    if spec.is_rate:
        den_year = v.denominator_year or v.year
        den_src = _annual_row(pack, den_year, spec.denominator)
        if den_src is None:
            return None
        computed.update(
            denominator=v.denominator,
            denominator_measure=spec.denominator,
            denominator_year=den_year,
            fraction=v.fraction,
            scale=spec.scale,
        )
        frac = f" × {v.fraction:g}" if v.fraction != 1 else ""
        expr = f"{numerator:g} ÷ ({v.denominator:g}{frac}) × {spec.scale:g} = {v.value:.6g}"
    computed["expression"] = expr
    return Entry(
        id=f"{n:04d}",
        section="（一）主要指标进展",
        table="",
        row=pr.name,
        column=column or v.label,
        figure=f"{pr.name}（{v.label}{'，基期' if column == '基期值' else ''}）",
        printed=fmt_value(v.value, spec.digits),
        value=v.value,
        digits=spec.digits,
        formula=_words(v.key) + ("" if v.source != ANNUAL_SOURCE else "（取自年度汇总）"),
        computed=computed,
        filters=filters,
        sources=sources,
        denominator_source=den_src,
        marks=[] if column else indicator_marks(pr, v.label, v.key),
    )


# An indicator the disasters chapter shows again: its column in 表 自然灾害损失情况 (a row per
# year) and, under its own name, in 表 自然灾害防治指标年度值与年均值 (a column per year).
DISASTER_RATES = {
    "disaster_deaths_per_million": "每百万人口死亡失踪",
    "disaster_affected_per_100k": "每十万人受灾人次",
    "disaster_loss_share_gdp": "占GDP比例(%)",
}


def disaster_rate_copies(e: Entry, v: YearValue) -> list[Entry]:
    """The indicator's year value where the disasters chapter prints it again."""
    from planeval.report.provenance_tables import DISASTER_TABLE, RATE_TABLE

    column = DISASTER_RATES.get(v.key)
    if column is None:
        return []
    partial = f"{v.label}(年化)" if v.fraction != 1 else v.label
    return [
        dataclasses.replace(e, row=v.label, column=column, caption=DISASTER_TABLE, marks=[]),
        dataclasses.replace(e, row=e.row, column=partial, caption=RATE_TABLE, marks=[]),
    ]


def indicator_marks(pr: Progress, label: str, key: str) -> list[tuple[str, str, str]]:
    """Where the sentences of （一）主要指标进展 and of an indicator's finding print a year's
    value: the table's note ("生产安全事故起数2023年上半年为1起"), the year's paragraph ("2021年，
    全县共发生生产安全事故4起，死亡5人"), the summary ("2022年全县事故死亡6人") and the finding
    ("“…”指标进展滞后…2022年为6人")."""
    y, name = re.escape(label), re.escape(pr.name)
    marks = [("^注：", f"{name}{y}为{{v}}", ""), (f"^“{name}”指标", f"，{y}为{{v}}", "")]
    year = f"^{y}，全县共发生生产安全事故"
    if key == "accident_count":
        marks.append((year, "发生生产安全事故{v}起", ""))
    if key == "disaster_loss_share_gdp":  # the disasters chapter's year item
        marks.append((f"^{y}：发生自然灾害过程", "占地区生产总值的{v}%", ""))
    if key == "accident_deaths":
        marks += [(year, "起，死亡{v}人", ""), ("呈现出", f"{y}全县事故死亡{{v}}人", ""),
                  ("呈现出", f"；{y}死亡{{v}}人", "")]  # fmt: skip
    return marks


def _indicator_row(pack: DataPack, code: str) -> dict | None:
    df = pack.indicators
    if df is None:
        return None
    hit = df[df["code"].astype(str) == str(code)]
    return None if hit.empty else hit.iloc[0].to_dict()


def _base_marks(pr: Progress) -> list[tuple[str, str, str]]:
    """Where sentences print the 基期值: the indicator's finding, the 呈现出 summary."""
    return [(f"^“{re.escape(pr.name)}”指标", "基期{v}", ""),
            ("呈现出", f"较基期{pr.base_year}年（{{v}}", "")]  # fmt: skip


def base_entries(pack: DataPack, pr: Progress, n: int) -> list[Entry]:
    """基期值 (and a 下降 target's 2025 level) when they come from the 指标 sheet."""
    if pr.base_value is None:
        return []
    if pr.base_source != "指标表":  # computed from the base year's rows, as a year cell is
        v = value_for_slice(pack, pr.spec, Period.parse(str(pr.base_year)))
        e = year_entry(pack, pr, v, n, column="基期值")
        if e is None or not math.isclose(v.value, pr.base_value):
            return []
        e.marks = _base_marks(pr)
        return [e]
    row = _indicator_row(pack, pr.code)
    if row is None:
        return []
    spec = pr.spec
    src = source_row(row, "indicators", ("code", "name", "base_year", "base_value", "target_value"))
    out = [
        Entry(
            id=f"{n:04d}",
            section="（一）主要指标进展",
            table="",
            row=pr.name,
            column="基期值",
            figure=f"{pr.name}（基期{pr.base_year}年）",
            printed=fmt_value(pr.base_value, spec.digits),
            value=pr.base_value,
            digits=spec.digits,
            formula="指标表填报的基期值",
            computed={"kind": "given", "field": "基期值", "expression": f"{pr.base_value:g}"},
            filters={"指标编码": str(pr.code)},
            sources=[src],
            marks=_base_marks(pr),
        )
    ]  # fmt: skip
    return out


def _parts(entries: Sequence[Entry]) -> tuple[list[dict[str, Any]], list[SourceRow]]:
    """A figure made of other figures: each one's computation and how many of the joint
    ``sources`` are its own (its rows, then its denominator's row when it is a rate)."""
    parts, sources = [], []
    for e in entries:
        parts.append({"label": e.column, "value": e.value, "computed": e.computed,
                      "filters": e.filters, "rows": len(e.sources),
                      "denominator": e.denominator_source is not None})  # fmt: skip
        sources += [*e.sources, *([e.denominator_source] if e.denominator_source else [])]
    return parts, sources


def mean_entry(pr: Progress, years: Sequence[Entry], slices: Sequence[YearValue]) -> Entry | None:
    """A 限值类/年均类 indicator's 现状值: the yearly average of its slices with data, each
    weighted by the share of its year (:func:`planeval.indicators.series.running_average`: a
    rate Σ(rate × share) ÷ Σ share, a count Σ count ÷ Σ share), from each year's own rows."""
    spec = pr.spec
    have = [(e, v) for e, v in zip(years, slices, strict=True) if v.value is not None]
    if not have or any(e is None for e, _ in have):
        return None
    from planeval.indicators.series import running_average

    counts = not spec.is_rate
    value = running_average([v for _, v in have], spec)
    if (
        value is None
        or pr.level.value is None
        or not math.isclose(value, pr.level.value, rel_tol=1e-9)
    ):
        return None
    parts, sources = _parts([e for e, _ in have])
    for part, (_, v) in zip(parts, have, strict=True):
        part["fraction"] = v.fraction
    terms = " + ".join(
        f"{v.value:g}" if counts or v.fraction == 1 else f"{v.value:g}×{v.fraction:g}"
        for _, v in have
    )
    return Entry(
        id="",
        section="（一）主要指标进展",
        table="",
        row=pr.name,
        column="现状值",
        figure=f"{pr.name}（现状值：{pr.level.basis}）",
        printed=fmt_value(value, spec.digits),
        value=value,
        digits=spec.digits,
        formula="各年数值按所占年份比例加权的年均值"
        + ("（起数、人数：各时段数值之和 ÷ 年份比例之和）" if counts else "（比率：Σ比率×年份比例 ÷ 年份比例之和）"),
        computed={"kind": "mean", "counts": counts, "parts": parts,
                  "expression": f"({terms}) ÷ {sum(v.fraction for _, v in have):g} = {value:.6g}"},
        filters={"时段": [v.label for _, v in have]},
        sources=sources,
    )  # fmt: skip


def progress_entry(
    pack: DataPack, pr: Progress, base: Entry | None, current: Entry | None
) -> list[Entry]:
    """A 下降 indicator's 完成进度 = (基期值 − 现状值) ÷ (基期值 − 目标水平), the 目标水平 being
    基期值 × (1 − 下降比例) (a count's floored to a whole number), the 下降比例 as the 指标 sheet
    gives it: in 表1 and in the indicator's finding ("完成进度26.3%")."""
    if pr.target_type != "decline_pct" or pr.completion is None or base is None or current is None:
        return []
    row = _indicator_row(pack, pr.code)
    if row is None or pr.target_value is None or not pr.target_value:
        return []
    from planeval.indicators.progress import count_ceiling

    b, c, r = base.value, current.value, float(pr.target_value)
    integer = pr.spec.digits == 0
    level = count_ceiling(b * (1 - r / 100), pr.spec.digits)  # the chapter's own rule
    if b == level or not math.isclose((b - c) / (b - level), pr.completion, rel_tol=1e-9):
        return []
    value = (b - c) / (b - level)
    src = source_row(row, "indicators", ("code", "name", "target_value"))
    target = Entry(
        id="", section=base.section, table="", row=pr.name, column="下降比例", figure="",
        printed=f"{r:g}", value=r, digits=0, formula="指标表填报的目标值（下降百分比）",
        computed={"kind": "given", "field": "目标值", "expression": f"{r:g}"},
        filters={"指标编码": str(pr.code)}, sources=[src],
    )  # fmt: skip
    parts, sources = _parts([base, current, target])
    floor = "，向下取整" if integer else ""
    e = Entry(
        id="",
        section="（一）主要指标进展",
        table="",
        row=pr.name,
        column="完成进度",
        figure=f"{pr.name}完成进度",
        printed=printed_as(value, 1, "pct"),
        value=value,
        digits=1,
        style="pct",
        formula="（基期值 − 现状值）÷（基期值 − 目标水平），目标水平 = 基期值 ×（1 − 下降比例）"
        + floor,
        computed={"kind": "progress", "integer": integer, "parts": parts,
                  "expression": f"({b:g} − {c:g}) ÷ ({b:g} − {level:g}) = {value:.6g}"},
        filters={"指标编码": str(pr.code)},
        sources=sources,
        marks=[(f"^“{re.escape(pr.name)}”指标", "完成进度{v}", "pct")],
    )  # fmt: skip
    return [e]  # 表1's cell and, by its marks, the finding's sentence


def change_entry(cur: Entry, prev: Entry, marks: list[tuple[str, str, str]]) -> Entry | None:
    """The change from ``prev`` to ``cur`` as the sentences print it ("下降20.0%": the size of
    (cur − prev) ÷ prev, :func:`planeval.narrative.phrasing.change_phrase`), made of both
    figures' rows: ``computed["parts"]`` says how many of ``sources`` each one has (its rows,
    then its denominator's row when it is a rate). None when the sentence says no percentage
    (持平, 基本持平, or a zero base: "由0起增至2起")."""
    if cur.value is None or prev.value is None or prev.value == 0:
        return None
    r = (cur.value - prev.value) / prev.value
    if f"{abs(r) * 100:.1f}" == "0.0":
        return None
    word = "下降" if r < 0 else "上升"
    parts, sources = _parts([cur, prev])
    return Entry(
        id="",
        section=cur.section,
        table="",
        row=cur.row,
        column=f"{cur.column}较{prev.column}",
        figure=f"{cur.row}{cur.column}较{prev.column}{word}幅度",
        printed=printed_as(abs(r), 1, "change"),
        value=abs(r),
        digits=1,
        style="change",
        formula=f"（{cur.column} − {prev.column}）÷ {prev.column}，取其绝对值（{word}）",
        computed={
            "kind": "change",
            "direction": word,
            "parts": parts,
            "expression": f"|{cur.value:g} − {prev.value:g}| ÷ {prev.value:g} = {abs(r):.6g}",
        },
        filters={"本期": cur.column, "比较期": prev.column},
        sources=sources,
        caption="",
        marks=marks,
    )


def _change_marks(pr: Progress, cur: YearValue, prev_label: str, word: str) -> list:
    """Where a year's change from the year before (a part-year's from the same dates a year
    earlier) is printed: the year's paragraph, the table's note, the 呈现出 summary."""
    y, p = re.escape(cur.label), re.escape(prev_label)
    name = re.escape(pr.name)
    marks = [("^注：", f"{name}{y}为[^；]*?较上年同期（{p}，[^）]*）{word}{{v}}", "change")]
    what = {"accident_count": "事故起数", "accident_deaths": "死亡人数"}.get(pr.key)
    if what:
        marks.append(
            (f"^{y}，全县", f"与(?:上年同期（)?{p}）?相比，[^。]*?{what}{word}{{v}}", "change")
        )
    if pr.key == "accident_deaths":
        marks.append(
            ("呈现出", f"；{y}死亡[\\d,]+人，较上年同期（{p}，[^）]*）{word}{{v}}", "change")
        )
    return marks


def _previous_marks(pr: Progress, cur: YearValue, prev_label: str) -> list:
    """Where the same dates a year earlier are printed beside a part-year's value."""
    y, p, name = re.escape(cur.label), re.escape(prev_label), re.escape(pr.name)
    marks = [("^注：", f"{name}{y}为[^；]*?较上年同期（{p}，{{v}}", "")]
    if pr.key == "accident_deaths":
        marks.append(("呈现出", f"；{y}死亡[\\d,]+人，较上年同期（{p}，{{v}}", ""))
    return marks


def change_entries(pack: DataPack, pr: Progress, years: dict[str, Entry], n: int) -> list[Entry]:
    """Each year's change from the year before (or a part-year's from the same dates a year
    earlier, with that earlier value), when the sentences print it as a percentage."""
    from planeval.indicators.series import compare

    out: list[Entry] = []
    for v in pr.yearly:
        cur = years.get(v.label)
        if cur is None:
            continue
        c = compare(pack, pr.key, v)
        if not c.comparable or c.previous is None:
            continue
        prev = years.get(c.previous.label)
        if prev is None or prev.value is None or not math.isclose(prev.value, c.previous.value):
            prev = year_entry(pack, pr, c.previous, n + len(out), column=c.previous.label)
        if prev is None:
            continue
        if c.kind == "同比":  # the earlier dates' own value is printed beside it
            shown = dataclasses.replace(prev, marks=_previous_marks(pr, v, c.previous.label))
            shown.column, shown.caption = c.previous.label, ""
            out.append(shown)
        word = "下降" if (cur.value or 0) < (prev.value or 0) else "上升"
        e = change_entry(cur, prev, _change_marks(pr, v, c.previous.label, word))
        if e is not None:
            out.append(e)
    return out


def base_change_entries(pr: Progress, current: Entry | None, base: Entry | None) -> list[Entry]:
    """The 总体评价's "<年>生产安全事故起数较基期下降20.0%" (a 下降 indicator's 现状值 against its
    基期值; two such are written "A、B较基期分别下降x%、y%")."""
    if current is None or base is None or pr.target_type != "decline_pct":
        return []
    word = "下降" if (current.value or 0) < (base.value or 0) else "上升"
    name, basis = re.escape(pr.name), re.escape(pr.level.basis or "")
    e = change_entry(current, base, [
        ("主要成效：", f"{basis}{name}较基期{word}{{v}}", "change"),
        ("主要成效：", f"{basis}{name}、[^较]*较基期分别{word}{{v}}", "change"),
        ("主要成效：", f"、{name}较基期分别[^、]*、(?:{word})?{{v}}", "change"),
    ])  # fmt: skip
    return [] if e is None else [e]


def indicator_entries(pack: DataPack, progress: Sequence[Progress]) -> list[Entry]:
    """Every listable figure of the indicator table, numbered in table order, and the changes
    the sentences compute from them."""
    from planeval.report.provenance_tables import RATE_TABLE

    out: list[Entry] = []
    for pr in progress:
        bases = base_entries(pack, pr, len(out) + 1)
        out += bases
        years: dict[str, Entry] = {}
        for v in pr.yearly:
            e = year_entry(pack, pr, v, len(out) + 1)
            if e is not None:
                out.append(e)
                years[v.label] = e
                out += disaster_rate_copies(e, v)
        current = None
        lv = pr.level  # 现状值: one slice's value (a year, or the 12 months to the period end)
        if lv.kind in ("latest_year", "rolling12") and len(lv.values) == 1:
            v = lv.values[0]
            e = year_entry(pack, pr, v, len(out) + 1, column="现状值")
            if e is not None and lv.value is not None and math.isclose(e.value, lv.value):
                e.figure = f"{pr.name}（现状值：{lv.basis}）"
                out.append(e)
                current = e
        elif lv.kind == "average" and lv.values:
            e = mean_entry(pr, [years.get(v.label) for v in lv.values], lv.values)
            if e is not None:
                name = re.escape(pr.name)
                e.marks = [(f"^“{name}”指标", "年均{v}", ""), (f"^{name}：", "年均{v}", "")]
                out.append(e)
                if pr.key in DISASTER_RATES:  # 表 自然灾害防治指标年度值与年均值 shows it too
                    out.append(dataclasses.replace(e, column="年均值", caption=RATE_TABLE))
        elif lv.kind == "cumulative" and lv.values and lv.value is not None:
            v0, v1 = lv.values[0], lv.values[-1]
            span = YearValue(pr.key, v0.year, v0.start, v1.end, lv.basis, 1.0, lv.value, None,
                             lv.value, pr.spec.ledger_zh)  # fmt: skip
            if all(v.source == pr.spec.ledger_zh for v in lv.values):
                e = year_entry(pack, pr, span, len(out) + 1, column="现状值")
                if e is not None:
                    e.figure = f"{pr.name}（现状值：{lv.basis}）"
                    e.marks = [(f"^“{re.escape(pr.name)}”指标", "累计{v}", "")]
                    out.append(e)
        if bases and str(pr.base_year) + "年" not in years:
            years[f"{pr.base_year}年"] = dataclasses.replace(bases[0], column=f"{pr.base_year}年")
        out += change_entries(pack, pr, years, len(out) + 1)
        out += base_change_entries(pr, current, bases[0] if bases else None)
        out += progress_entry(pack, pr, bases[0] if bases else None, current)
    return out


def time_share_entries(p: Period, indicators: Sequence[str]) -> list[Entry]:
    """时序进度: the share of the plan's months elapsed at the period end (no ledger row: the
    plan's dates and the period's), in 表1's column (a row per indicator) and the sentences."""
    plan = p.plan
    share = plan.elapsed_share(p.end)
    e = Entry(
        id="", section="（一）主要指标进展", table="", row="时序进度", column="时序进度",
        figure=f"规划时序进度（{plan.start.isoformat()}至{p.end.isoformat()}）",
        printed=printed_as(share, 1, "pct"), value=share, digits=1, style="pct",
        formula="规划期已过月数 ÷ 规划期总月数（不足一月的按天数折算）",
        computed={"kind": "elapsed", "plan_start": plan.start.isoformat(),
                  "plan_end": plan.end.isoformat(), "end": p.end.isoformat(),
                  "expression": f"{share * plan.months:g} ÷ {plan.months:g} = {share:.6g}"},
        filters={}, caption="",
        marks=[("规划时序进度", "（规划时序进度{v}）", "pct"), ("低于时序进度", "低于时序进度{v}", "pct"),
               ("；时序进度", "；时序进度{v}", "pct"), ("规划实施时序进度为", "时序进度为{v}", "pct")],
    )  # fmt: skip
    copies = [
        dataclasses.replace(e, row=name, caption=INDICATOR_TABLE, marks=[]) for name in indicators
    ]
    return [e, *copies]


def period_entries(pack: DataPack, p: Period) -> list[Entry]:
    """The whole evaluation period's accidents, deaths and 较大以上 accidents ("全县累计发生生产
    安全事故9起、死亡12人，其中较大以上生产安全事故1起"), when the ledger covers every year of
    it; and how many 主要指标 the 指标 sheet lists ("规划确定的9项主要指标中")."""
    from planeval.indicators.formulas import ledger_covers

    out: list[Entry] = []
    opens = "呈现出"
    phrases = {
        "accident_count": "累计发生生产安全事故{v}起",
        "accident_deaths": "累计发生生产安全事故[\\d,]+起、死亡{v}人",
        "major_accident_count_cum": "其中较大以上生产安全事故{v}起",
    }
    if all(ledger_covers(pack, "accidents", y) for y in p.years):
        for key, phrase in phrases.items():
            spec = SPECS[key]
            rows = ledger_rows(pack, spec.ledger, p.start, p.end)
            v = YearValue(key, p.start.year, p.start, p.end, p.label, 1.0,
                          float(spec.ledger_numerator(rows)), None, None, spec.ledger_zh)  # fmt: skip
            v = dataclasses.replace(v, value=v.numerator)
            named = SimpleNamespace(name=spec.annual_measure)  # all year_entry reads of a Progress
            e = year_entry(pack, named, v, 0, column=f"{p.label}累计")
            if e is not None:
                e.section, e.caption, e.marks = "（一）主要指标进展", "", [(opens, phrase, "")]
                e.figure = f"{p.label}累计{e.row}"
                out.append(e)
    ind = pack.indicators
    if ind is not None and not ind.empty:
        from planeval.report.provenance_tables import rows_entry

        e = rows_entry(
            pack, "indicators", ind, kind="count", expected=float(len(ind)),
            show=["code", "name"], filters={}, date_col="code", row="主要指标",
            column="项数", caption="", section="总体评价", figure="规划主要指标项数",
            formula="指标表所列主要指标的行数",
        )  # fmt: skip
        if e is not None:
            e.marks = [("^\\d{4}年", "规划确定的{v}项主要指标中", "")]
            out.append(e)
    return out


def build(pack: DataPack, period: Period | str, *, lazy: bool = False) -> list[Entry]:
    """The checklist of a report over ``period`` on ``pack``: the indicator table, then the
    chapters' ledger tables (:mod:`planeval.report.provenance_tables`), numbered in that order;
    ``lazy``: the source rows of the ledger tables' entries are made later, for those the
    report prints (:func:`place`)."""
    from planeval.indicators.progress import assess_all
    from planeval.report.provenance_tables import table_entries

    p = period if isinstance(period, Period) else Period.parse(str(period))
    forget_rows()
    try:
        progress = assess_all(pack, p)
        entries = indicator_entries(pack, progress)
        entries += period_entries(pack, p)
        entries += time_share_entries(p, [pr.name for pr in progress])
        entries += table_entries(pack, p)
    finally:
        forget_rows()
    for i, e in enumerate(entries, 1):
        e.id = f"{i:04d}"
    return entries if lazy else materialize(entries)


# --------------------------------------------------------------------------- the report side
def place_in_report(entries: Sequence[Entry], tables: Sequence[Any]) -> list[Entry]:
    """Give each entry its table's 表N and keep only those whose printed value is the value
    the report shows in that cell (``tables``: :func:`planeval.report.exports.report_tables`)."""
    kept = []
    found: dict[str, Any] = {}
    for e in entries:
        if not e.caption:  # said only in sentences: placed by provenance_text.place_in_text
            continue
        if e.caption not in found:
            found[e.caption] = next((t for t in tables if e.caption in t.caption), None)
        table = found[e.caption]
        if table is None:
            continue
        shown = table.cells().get((e.row, e.column))
        if shown is not None and shown == e.printed:
            e.table = table.label
            kept.append(e)
    return kept


def place(built: Sequence[Entry], html_text: str, tables: Sequence[Any]) -> list[Entry]:
    """The checklist of a report: the entries its tables print (:func:`place_in_report`), then
    one for each number its sentences print (:func:`planeval.report.provenance_text.place_in_text`),
    numbered in that order."""
    entries = materialize([*place_in_report(built, tables), *place_in_text(built, html_text)])
    for i, e in enumerate(entries, 1):
        e.id = f"{i:04d}"
    return entries


def to_json(entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """The entries as plain dicts, each with its own source rows (for tests and tools)."""
    return [{k: v for k, v in asdict(e).items() if k != "pending"} for e in materialize(entries)]


def _key(s: SourceRow) -> tuple[str, str, int]:
    return (s.file, s.sheet, s.row)


def _all_sources(e: Entry) -> list[SourceRow]:
    return [*e.sources, *([e.denominator_source] if e.denominator_source else [])]


def distinct_rows(entries: Sequence[Entry]) -> tuple[list[SourceRow], dict[tuple, int], dict]:
    """Every source row once (in file, sheet, row order; the values of every entry that uses
    it merged), its index, and the ids of the entries that use it. A ledger row behind many
    figures (a 隐患 counted in its sector, the 合计 and its year) is written once."""
    merged: dict[tuple, SourceRow] = {}
    users: dict[tuple, list[str]] = {}
    # The entries share their SourceRow objects (source_rows makes a row once per ledger and
    # fields): each object's key and values are taken once, its later uses only add a user.
    seen: dict[int, list[str]] = {}
    for e in entries:
        for src in _all_sources(e):
            ids = seen.get(id(src))
            if ids is None:
                k = _key(src)
                if k not in merged:
                    merged[k] = SourceRow(
                        src.file, src.sheet, src.row, src.ledger, dict(src.values)
                    )
                else:
                    merged[k].values.update(src.values)
                ids = seen[id(src)] = users.setdefault(k, [])
            if not ids or ids[-1] != e.id:
                ids.append(e.id)
    keys = sorted(merged)
    return [merged[k] for k in keys], {k: i for i, k in enumerate(keys)}, users


def checklist_json(
    entries: Sequence[Entry], cov: dict[str, Any], rows_index=None
) -> dict[str, Any]:
    """数据核查清单.json: ``rows`` (each source row once) and ``entries`` whose ``sources`` and
    ``denominator_source`` are indexes into ``rows`` (``rows_index``: :func:`distinct_rows`
    of the entries, when the caller has it)."""
    rows, index, _ = rows_index or distinct_rows(entries)
    out = []
    for e in entries:
        d = {
            k: v
            for k, v in e.__dict__.items()
            if k not in ("sources", "denominator_source", "marks")
        }
        d["sources"] = [index[_key(s)] for s in e.sources]
        d["denominator_source"] = (
            index[_key(e.denominator_source)] if e.denominator_source else None
        )
        out.append(d)
    return {"coverage": cov, "rows": [r.__dict__ for r in rows], "entries": out}


def row_ranges(rows: Sequence[int]) -> str:
    """Excel row numbers as runs: ``[2, 3, 4, 7]`` → ``2–4、7``."""
    nums = sorted(set(rows))
    runs: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        runs.append(str(nums[i]) if i == j else f"{nums[i]}–{nums[j]}")
        i = j + 1
    return "、".join(runs)


def where_rows(sources: Sequence[SourceRow]) -> str:
    """Where the rows are, per file and sheet: ``台账.xlsx · 隐患 · 第2–40、45行（39行）``."""
    groups: dict[tuple[str, str], list[int]] = {}
    for s in sources:
        groups.setdefault((s.file, s.sheet), []).append(s.row)
    return "；".join(
        f"{f} · {sh} · 第{row_ranges(r)}行（{len(r)}行）" if sh else f"{f} · 第{row_ranges(r)}行"
        for (f, sh), r in groups.items()
    )


_NUMBER_TOKEN = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?%?")
_NOT_FIGURE = re.compile(r"^(?:19|20)\d\d$")  # a year
# Dates (2021年3月5日, 2021年3月, 2021年, 2021-03-05, a 计划工期 2021.6—2022.12), 表N/图N and 第N
# are not figures.
_DATES = re.compile(
    r"\d+年\d+月\d+日|\d+年\d+月|\d{4}年|\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{4}\.\d{1,2}—\d{4}\.\d{1,2}|[表图]\d+|第\d+"
)


def _in_row_label(el: Any) -> bool:
    """Whether ``el`` is in (or is) a ``td`` that is the first element of its row (序号 or the
    row's label): the nearest ``td``/``th`` around it, with no element before it."""
    from bs4 import Tag

    from planeval.report.stitch import enclosing

    cell = enclosing(el, ("td", "th"))
    if cell is None or cell.name != "td":
        return False
    return not any(isinstance(s, Tag) for s in cell.previous_siblings)


def coverage(html_text: str, entries: Sequence[Entry]) -> dict[str, Any]:
    """Share of the numbers in the report's text (tables and sentences, cover, TOC and
    attachment excluded; years, dates (``_DATES``), 序号 and 表N/图N not counted) that have an
    entry."""
    from planeval.report.exports import parsed_report

    soup = parsed_report(html_text)  # read only: the parts not counted are skipped, not removed
    main = soup.find("main") or soup
    skip = {
        id(node)
        for el in main.select("section.appendix, p.table-caption, figcaption, h2, h3, h4, h5")
        for node in el.find_all(string=True)
    }
    total = 0
    label_cell: dict[int, bool] = {}  # id(parent) → the text is in a row's first td
    for node in main.find_all(string=True):
        parent = node.parent
        if id(node) in skip or parent.name in ("style", "script"):
            continue
        in_label = label_cell.get(id(parent))
        if in_label is None:
            in_label = label_cell[id(parent)] = _in_row_label(parent)
        if in_label:
            continue  # 序号 / a row label
        text = _DATES.sub(" ", str(node))
        total += sum(1 for m in _NUMBER_TOKEN.finditer(text) if not _NOT_FIGURE.match(m.group()))
    covered = len(entries)
    return {
        "numbers_in_report": total,
        "with_entry": covered,
        "share": round(covered / total, 4) if total else None,
    }


def link_cells(html_text: str, entries: Sequence[Entry], href: str, soup: Any = None) -> str:
    """The report with each listed table cell, and each listed number of a sentence, linked to
    its entry in the companion page (plain links, no script; printed in the text colour).

    ``soup``: the tree of ``html_text`` when the caller has one it no longer needs (it is
    changed: the links are put in it); else the text is parsed here.
    """
    if soup is None:
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(html_text, "html.parser")
    main = soup.find("main") or soup
    by_table: dict[str, dict[tuple[str, str], Entry]] = {}
    for e in entries:
        by_table.setdefault(e.table, {})[(e.row, e.column)] = e
    for wrap in main.select("div.table-wrap"):
        cap = wrap.select_one("p.table-caption")
        if cap is None:
            continue
        label = re.match(r"\s*(表\d+)", cap.get_text())
        cells = by_table.get(label.group(1)) if label else None
        if not cells:
            continue
        table = wrap.find("table")
        heads = [th.get_text("", strip=True) for th in table.select("thead tr:last-child th")]
        trs = []
        for tr in table.select("tbody tr"):
            tds = tr.find_all(["td", "th"], recursive=False)
            texts = [td.get_text("", strip=True) for td in tds]
            if len(texts) >= 2:
                trs.append((tds, texts[1] if texts[0].isdigit() else texts[0]))
        # a repeated label as ReportTable.cells has it
        for (tds, _), name in zip(trs, row_labels([n for _, n in trs]), strict=True):
            for td, col in zip(tds, heads, strict=False):
                e = cells.get((name, col))
                if e is None or td.find("a"):
                    continue
                a = soup.new_tag("a", attrs=link_attrs(e, href))
                for child in list(td.children):
                    a.append(child.extract())
                td.append(a)
    link_text(soup, main, entries, href)
    return str(soup)


def _src_text(s: SourceRow) -> str:
    where = f"{s.file} · {s.sheet} · 第{s.row}行" if s.sheet else f"{s.file} · 第{s.row}行"
    return where


def checklist_html(entries: Sequence[Entry], title: str, coverage_info: dict[str, Any]) -> str:
    """The companion page: the summary table, then every entry (anchor ``chk-<id>``) with its
    formula and the rows behind it."""
    e_ = _html.escape
    rows = []
    for e in entries:
        rows.append(
            f'<tr><td><a href="#{e.anchor}">{e.id}</a></td><td>{e_(e.table)}</td>'
            f"<td>{e_(e.row)}</td><td>{e_(e.column)}</td><td>{e_(e.printed)}</td>"
            f"<td>{e_(_unrounded(e.value))}</td><td>{e_(e.computed.get('expression', ''))}</td>"
            f"<td>{len(e.sources) + (1 if e.denominator_source else 0)}</td></tr>"
        )
    parts = []
    for e in entries:
        srcs = _all_sources(e)
        filters = "；".join(f"{k}：{_filter_text(v)}" for k, v in e.filters.items()) or "—"
        kind = e.computed.get("kind")
        if kind == "elapsed":  # 时序进度: the plan's dates and the period's, no ledger row
            c = e.computed
            rows_part = (
                f"<p>来源：规划期（{e_(c['plan_start'])}至{e_(c['plan_end'])}）与评估期末"
                f"（{e_(c['end'])}），非台账数据。</p>"
            )
        elif not srcs:  # a parameter, or a count of no rows (the ledger has none that pass)
            rows_part = (
                "<p>来源：评估参数（非台账数据）。</p>"
                if kind == "parameter"
                else "<p>来源行：台账中没有符合上述筛选条件的行，故为0。</p>"
            )
        elif len(srcs) <= LISTED_ROWS:
            src_rows = "".join(
                f"<tr><td>{e_(s.ledger)}</td><td>{e_(_src_text(s))}</td>"
                f"<td>{e_('；'.join(f'{k}={v}' for k, v in s.values.items()))}</td></tr>"
                for s in srcs
            )
            rows_part = (
                "<table><thead><tr><th>台账</th><th>位置（文件 · 工作表 · Excel行）</th>"
                f"<th>所用数值</th></tr></thead><tbody>{src_rows}</tbody></table>"
            )
        else:  # thousands of rows: where they are (each row's values: 数据核查清单.xlsx)
            rows_part = (
                f"<p>来源行（{e_(srcs[0].ledger)}，共{len(srcs)}行）：{e_(where_rows(srcs))}。"
                "各行所用数值见数据核查清单.xlsx 的来源行表（按“用于”列筛选编号）。</p>"
            )
        parts.append(
            f'<section id="{e.anchor}"><h3>{e.id}　{e_(e.table)} {e_(e.figure)}：{e_(e.printed)}</h3>'
            f"<p>所在位置：{e_(_where(e))}</p>"
            f"<p>未舍入值：{e_(_unrounded(e.value))}；公式：{e_(e.formula)}</p>"
            f"<p>计算：{e_(e.computed.get('expression', ''))}；筛选：{e_(filters)}</p>"
            f"{_parts_html(e)}{rows_part}</section>"
        )
    cov = coverage_info or {}
    cov_text = (
        f"报告中共有数字 {cov.get('numbers_in_report')} 个，本清单列出 {cov.get('with_entry')} 个"
        f"（{(cov.get('share') or 0) * 100:.1f}%）。"
        if cov.get("numbers_in_report")
        else ""
    )
    css = (
        "body{font-family:'Planeval Sans','Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei',"
        "'黑体',sans-serif;"
        "max-width:75em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}"
        "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}"
        "th{background:#ddebf7}section{margin:1.5em 0}h3{font-size:1.05em}"
        "section:target{background:#fff8dc}td:nth-child(2),td:nth-child(4),td:nth-child(5){white-space:nowrap}"
    )
    from planeval.report.stitch import page_font_css

    body = (
        f"<h1>{CHECKLIST}</h1><p>{e_(title)}</p><p>{e_(cov_text)}"
        '各数均可由所列台账行重新算出；点击编号查看来源行。<a href="report.html">返回报告</a></p>'
        "<table><thead><tr><th>编号</th><th>表</th><th>行</th><th>列</th><th>报告值</th>"
        "<th>未舍入值</th><th>计算</th><th>来源行数</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{''.join(parts)}"
    )
    fonts = page_font_css(CHECKLIST + _html.unescape(body))  # renders without Chinese fonts
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{CHECKLIST}</title><style>{fonts}{css}</style></head><body>{body}</body></html>"
    )


def parts_text(e: Entry) -> str:
    """Which of a change's or a mean's rows make which figure: "现状值 4（…第17–20行）；基期值
    5（…第8–12行）" ("" for an entry of one figure)."""
    out, at = [], 0
    for part in e.computed.get("parts") or []:
        n = part["rows"] + part["denominator"]
        own = e.sources[at : at + n]
        at += n
        where = where_rows(own) if own else "无行"
        out.append(f"{part['label']} {part['value']:.6g}（{where}）")
    return "；".join(out)


def _parts_html(e: Entry) -> str:
    text = parts_text(e)
    return f"<p>组成：{_html.escape(text)}</p>" if text else ""


def _where(e: Entry) -> str:
    if e.table == TEXT_TABLE:  # a sentence: its words around the number
        return f"{e.section} · {TEXT_TABLE}：{e.row}"
    return f"{e.section} · {e.table} · {e.row} · {e.column}"


def _unrounded(v: float | None) -> str:
    return "—" if v is None else f"{v:.10g}"


def write_checklist_xlsx(
    entries: Sequence[Entry], path: str | Path, title: str = "", rows_index=None
) -> Path:
    """数据核查清单.xlsx: 汇总 (one row per figure: where it is printed, its value, formula,
    filters and the Excel rows it was computed from, linked to the first of them) and 来源行
    (every source row once, with the values used and the 编号 of the figures that use it;
    filter its 用于 column by a figure's 编号 to see that figure's rows). ``rows_index``:
    :func:`distinct_rows` of the entries, when the caller has it already.

    Written with XlsxWriter, row by row (``constant_memory``): the demo's 9 000-odd source rows
    in half the time openpyxl's write-only mode takes. Text is always written as text (never a
    formula, a number or a link however it starts; a leading ``=``/``+``/``-``/``@`` keeps
    Excel's quote prefix, so it shows as typed); control characters are escaped, not refused."""
    import xlsxwriter

    from planeval.report.exports import FORMULA_START

    path = Path(path)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    summary = wb.add_worksheet("汇总")
    rows_ws = wb.add_worksheet("来源行")
    bold = wb.add_format({"bold": True})
    title_font = wb.add_format({"bold": True, "font_size": 12})
    link_font = wb.add_format({"font_color": "#0563C1", "underline": 1})
    quoted = wb.add_format({"quote_prefix": True})

    def put(ws, r: int, c: int, value: Any, fmt=None) -> None:
        if value is None or value == "":  # an empty cell, as openpyxl left it
            return
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            text = str(value)
            if fmt is None and text.startswith(FORMULA_START):
                fmt = quoted
            ws.write_string(r, c, text, fmt)
        elif math.isfinite(value):
            ws.write_number(r, c, value, fmt)
        else:  # NaN/inf: no number Excel can hold; shown as the report would not print it
            ws.write_string(r, c, str(value), fmt)

    for col, w in enumerate((7, 18, 6, 28, 14, 9, 14, 40, 36, 30, 40)):
        summary.set_column(col, col, w)
    for col, w in enumerate((14, 26, 14, 8, 60, 24)):
        rows_ws.set_column(col, col, w)
    rows, index, users = rows_index or distinct_rows(entries)
    rows_ws.autofilter(0, 0, len(rows), 5)
    rows_ws.freeze_panes(1, 0)
    for c, h in enumerate(("台账", "文件", "工作表", "Excel行", "所用数值", "用于")):
        put(rows_ws, 0, c, h, bold)
    for r, s in enumerate(rows, 1):
        vals = "；".join(f"{k}={v}" for k, v in s.values.items())
        used = "、".join(users[_key(s)])
        for c, v in enumerate((s.ledger, s.file, s.sheet, s.row, vals, used)):
            put(rows_ws, r, c, v)
    put(summary, 0, 0, f"{title} {CHECKLIST}".strip(), title_font)
    put(
        summary,
        1,
        0,
        "来源列：所用台账行（Excel 行号）；点击转到来源行表，按“用于”列筛选编号即得该数的全部行。",
    )
    heads = ("编号", "章节", "表", "行", "列", "报告值", "未舍入值", "公式", "计算", "筛选", "来源")
    for c, h in enumerate(heads):
        put(summary, 2, c, h, bold)
    for r, e in enumerate(entries, 3):
        filters = "；".join(f"{k}：{_filter_text(v)}" for k, v in e.filters.items())
        calc = "；组成：".join(x for x in (e.computed.get("expression", ""), parts_text(e)) if x)
        line = (e.id, e.section, e.table, e.row, e.column, e.printed, e.value, e.formula, calc,
                filters)  # fmt: skip
        for c, v in enumerate(line):
            put(summary, r, c, v)
        srcs = _all_sources(e)
        text = where_rows(srcs) if srcs else "—"
        text = text if len(text) <= 2000 else f"{len(srcs)} 行（见来源行表）"
        if srcs:
            first = 2 + min(index[_key(s)] for s in srcs)
            summary.write_url(r, 10, f"internal:'来源行'!A{first}", link_font, text)
        else:
            put(summary, r, 10, text)
    wb.close()
    return path


def _filter_text(v: Any) -> str:
    if isinstance(v, dict):
        return "，".join(f"{k}为{'或'.join(map(str, x))}" for k, x in v.items())
    return "、".join(map(str, v)) if isinstance(v, list) else str(v)


def write_checklist(
    entries: Sequence[Entry],
    out_dir: str | Path,
    html_path: str | Path,
    title: str = "",
) -> dict[str, Any]:
    """Write 数据核查清单.json/.xlsx/.html and return what the manifest records (files, count,
    coverage). The report itself is left as it is: :func:`link_cells` links it, once the PDF
    and the Word file, which stay free of links, are made (:func:`write_for_report`)."""
    out_dir = Path(out_dir)
    html_path = Path(html_path)
    text = html_path.read_text(encoding="utf-8")
    cov = coverage(text, entries)
    rows_index = distinct_rows(entries)  # for the JSON and the xlsx both
    # without indent: json's C encoder (with one, the pure-Python one: 0.15 s instead of 0.04
    # for the demo's 5 MB; the file is read by programs, 数据核查清单.html/.xlsx are for people)
    (out_dir / f"{CHECKLIST}.json").write_text(
        json.dumps(checklist_json(entries, cov, rows_index), ensure_ascii=False, default=str),
        encoding="utf-8",
    )
    write_checklist_xlsx(entries, out_dir / f"{CHECKLIST}.xlsx", title, rows_index)
    (out_dir / f"{CHECKLIST}.html").write_text(
        checklist_html(entries, title, cov), encoding="utf-8"
    )
    return {
        "files": [f"{CHECKLIST}.json", f"{CHECKLIST}.xlsx", f"{CHECKLIST}.html"],
        "entries": len(entries),
        "coverage": cov,
    }


def write_for_report(
    data_dir: str | Path,
    period: Period,
    html_path: str | Path,
    out_dir: str | Path,
    title: str,
    tables: Sequence[Any] | None = None,
    text: str | None = None,
) -> tuple[dict[str, Any], str | None]:
    """The checklist of a built report: entries from the pack (memoised: the run validated it
    already), kept where the report prints that very value, written beside it. ``tables``:
    :func:`planeval.report.exports.report_tables` of the report, and ``text``, its markup,
    when the caller has them.

    Returns what the manifest records and the report with its cells linked to the checklist,
    not written: the caller writes it once the PDF and the Word file (which stay free of links)
    are made; None if the linking failed (the record's ``link_error`` says why; the checklist
    files are written all the same). The links are put in the report's shared tree
    (:func:`~planeval.report.exports.parsed_report`), which is forgotten first: no reader
    after this one sees the changed tree, and the report is not parsed once more for them.
    """
    from planeval.data import load_pack
    from planeval.report.exports import forget_parsed, parsed_report, report_tables

    text = Path(html_path).read_text(encoding="utf-8") if text is None else text
    built = build(load_pack(data_dir), period, lazy=True)
    entries = place(built, text, report_tables(text) if tables is None else tables)
    record = write_checklist(entries, out_dir, html_path, title)
    soup = parsed_report(text)
    forget_parsed()  # this tree is now the linking's to change
    try:
        return record, link_cells(text, entries, f"{CHECKLIST}.html", soup=soup)
    except Exception as e:  # noqa: BLE001 - the checklist is written; the report stays unlinked
        from planeval.report.execute import one_line

        record["link_error"] = one_line(f"{type(e).__name__}: {e}")
        return record, None


def entries_from_json(data: dict[str, Any]) -> list[Entry]:
    """The entries of a 数据核查清单.json (:func:`checklist_json`), with their source rows."""
    rows = [SourceRow(**r) for r in data.get("rows", [])]
    out = []
    for d in data["entries"]:
        d = dict(d)
        d["sources"] = [rows[i] for i in d.get("sources", [])]
        den = d.get("denominator_source")
        d["denominator_source"] = rows[den] if den is not None else None
        out.append(Entry(**d))
    return out
