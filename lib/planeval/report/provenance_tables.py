"""数据核查清单 entries of the chapters' ledger tables beyond the indicator table.

Each entry is a count or sum of ledger rows (with the filters the chapter applies), the number of
distinct 检查批次 among them (检查次数), or a value copied from one row; it is recomputed here from
the rows it lists and kept only when that gives the chapter's own figure
(:func:`planeval.report.provenance.place_in_report` then keeps only those the report prints).

- 表 重点行业领域执法检查和隐患排查治理情况 (per sector and 合计) and 表 分年度执法检查和隐患排查治理情况
  (per year slice): 检查次数, 检查家次, 发现隐患, 其中重大, 已整改, 执法文书, 行政处罚, 罚款;
- 表 安全生产专项整治情况: each campaign row's 摸排, 建档, 排查隐患, 已整改;
- 表 自然灾害损失情况: per year slice the ledger covers (and 合计): 灾害过程, 受灾人次, 紧急转移安置,
  倒塌房屋, 农作物受灾面积, 直接经济损失;
- 表 应急演练情况: drills per year slice by 形式, 合计, 参演人数;
- 表 安全培训、宣传和志愿服务情况: activities and 人次 per year slice and type, 合计(次);
- 表 重大工程项目进展情况: each project's 计划投资 and 已完成投资.

Filters are named as ``tests/unit/test_provenance.py`` reads them back from the original cells:
``期间`` (the first listed column is the row's date), ``行业领域``, ``等级``, ``整改完成日期至`` (the
hazard was rectified on or before that date) and ``列`` (other columns: Chinese name → accepted
values).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from planeval.data.pack import DataPack
from planeval.data.schema import LEDGER_BY_KEY
from planeval.periods import Period
from planeval.report.exports import row_labels
from planeval.report.provenance_entry import Entry, printed_as, source_row

RISK_TABLE = "重点行业领域执法检查和隐患排查治理情况"
YEAR_TABLE = "分年度执法检查和隐患排查治理情况"
CAMPAIGN_TABLE = "安全生产专项整治情况"
DISASTER_TABLE = "自然灾害损失情况"
RATE_TABLE = "自然灾害防治指标年度值与年均值"
DRILL_TABLE = "应急演练情况"
OUTREACH_TABLE = "安全培训、宣传和志愿服务情况"
PROJECT_TABLE = "重大工程项目进展情况"

# column key → (ledger, kind, summed field, filter (column, values) or None, digits, words).
# kinds: batches (检查次数), count, sum; flow (found in the period and rectified by its end),
# late (that, after its 整改期限); open / overdue (stocks at the period end); share (整改率: of
# the hazards found in the period, the share rectified by its end).
RISK_COLUMNS: dict[str, tuple[str, str, str | None, tuple[str, tuple[str, ...]] | None, int, str]]
RISK_COLUMNS = {
    "checks": ("inspections", "batches", None, None, 0,
               "执法检查台账中检查日期在评估期内的检查次数：不同检查批次数，加上未填批次的检查记录数"),
    "units": ("inspections", "count", None, None, 0,
              "执法检查台账中检查日期在评估期内的检查记录数（一条记录为一家次）"),
    "experts": ("inspections", "count", None, ("kind", ("专家",)), 0,
                "执法检查台账中检查日期在评估期内、检查类型为专家的检查记录数（家次）"),
    "found": ("hazards", "count", None, None, 0, "隐患台账中发现日期在评估期内的隐患数"),
    "major": ("hazards", "count", None, ("level", ("重大",)), 0,
              "隐患台账中发现日期在评估期内、等级为重大的隐患数"),
    "rectified": ("hazards", "flow", None, None, 0,
                  "隐患台账中发现日期在评估期内、整改完成日期不晚于评估期末的隐患数"),
    "rectified_immediate": ("hazards", "flow", None, ("mode", ("立即",)), 0,
                            "隐患台账中发现日期在评估期内、整改完成日期不晚于评估期末、整改方式为立即的隐患数"),
    "rectified_deadline": ("hazards", "flow", None, ("mode", ("限期",)), 0,
                           "隐患台账中发现日期在评估期内、整改完成日期不晚于评估期末、整改方式为限期的隐患数"),
    "major_rectified": ("hazards", "flow", None, ("level", ("重大",)), 0,
                        "隐患台账中发现日期在评估期内、等级为重大、整改完成日期不晚于评估期末的隐患数"),
    "overdue_fixed": ("hazards", "late", None, None, 0,
                      "隐患台账中发现日期在评估期内、评估期末前完成整改但整改完成日期晚于整改期限的隐患数"),
    "rate": ("hazards", "share", None, None, 1,
             "整改率 = 已整改 ÷ 发现隐患：隐患台账中发现日期在评估期内的隐患里，整改完成日期不晚于评估期末的比例"),
    "major_rate": ("hazards", "share", None, ("level", ("重大",)), 1,
                   "重大隐患整改率 = 重大隐患中已整改 ÷ 重大隐患：隐患台账中发现日期在评估期内、等级为重大的隐患里，整改完成日期不晚于评估期末的比例"),
    "open": ("hazards", "open", None, None, 0,
             "隐患台账中发现日期不晚于期末、期末尚未整改（整改完成日期为空或晚于期末）的隐患数"),
    "overdue_open": ("hazards", "overdue", None, None, 0,
                     "隐患台账中发现日期不晚于期末、期末尚未整改且整改期限早于期末的隐患数"),
    "overdue_open_major": ("hazards", "overdue", None, ("level", ("重大",)), 0,
                           "隐患台账中发现日期不晚于期末、等级为重大、期末尚未整改且整改期限早于期末的隐患数"),
    "documents": ("inspections", "sum", "documents", None, 0,
                  "执法检查台账中检查日期在评估期内的执法文书份数之和"),
    "penalties": ("inspections", "sum", "penalties", None, 0,
                  "执法检查台账中检查日期在评估期内的行政处罚起数之和"),
    "fines": ("inspections", "sum", "fines", None, 2,
              "执法检查台账中检查日期在评估期内的罚款（万元）之和"),
}  # fmt: skip
# Where the chapter's sentences print them (provenance_text): the words around the value, and
# how it is printed there. A sector's paragraph opens with "<期间>，<领域>"; the county's with
# the sentence SUMMARY_OPENS ends with; the year paragraph with 分年度看/同比看.
SECTOR_PHRASES: dict[str, tuple[str, str]] = {
    "checks": ("执法检查{v}次", ""), "units": ("检查生产经营单位{v}家次", ""),
    "experts": ("聘请专家检查{v}家次", ""), "found": ("发现隐患{v}项", ""),
    "major": ("其中重大隐患{v}项", ""), "rectified": ("已整改{v}项", ""),
    "rectified_immediate": ("立即整改{v}项", ""), "rectified_deadline": ("限期整改{v}项", ""),
    "rate": ("(?<!重大隐患)整改率{v}", "pct"), "documents": ("下达执法文书{v}份", ""),
    "penalties": ("实施行政处罚{v}起", ""), "fines": ("罚款{v}", "money"),
    "open": ("尚有{v}项隐患未整改", ""), "overdue_open": ("其中{v}项已超过整改期限", ""),
    "overdue_open_major": ("含重大隐患{v}项", ""),
    "overdue_fixed": ("另有{v}项隐患超过整改期限后", ""),
    "major_rate": ("重大隐患整改率{v}", "pct"),
    "major_rectified": ("重大隐患整改率[\\d.]+%（{v}/", ""),
}  # fmt: skip
TOTAL_PHRASES = SECTOR_PHRASES | {
    "checks": ("全县共开展执法检查{v}次", ""), "found": ("累计发现隐患{v}项", ""),
    "overdue_open": ("其中超过整改期限{v}项", ""),
}  # fmt: skip
SUMMARY_OPENS = "持续开展执法检查、隐患排查治理和安全生产专项整治。"
# 总体评价 restates a few figures after these words; its heading (a §-scope of provenance_text).
OVERVIEW, OVERVIEW_HEAD = "主要成效：", "总体评价"
OVERVIEW_PHRASES = {
    "found": ("重点行业领域累计排查隐患{v}项", ""), "rectified": ("累计排查隐患[\\d,]+项、整改{v}项", ""),
    "rate": ("累计排查隐患[^；。]*?整改率{v}", "pct"),
}  # fmt: skip
YEAR_PHRASES: dict[str, tuple[str, str]] = {
    "units": ("{y}检查生产经营单位{v}家次", ""),
    "found": ("{y}(?:检查生产经营单位[\\d,]+家次、)?发现隐患{v}项", ""),
    "rate": ("{y}[^；。]*?整改率{v}", "pct"),
}


def _risk_marks(col: str, label: str, sectors: tuple[str, ...] | None, year: bool) -> list:
    """The marks of one risk figure: a sector's, the county's (合计) or a year slice's."""
    if year:
        ph = YEAR_PHRASES.get(col)
        if ph is None:
            return []
        return [("^(?:分年度看|同比看)", ph[0].replace("{y}", re.escape(label)), ph[1])]
    if sectors is None:
        marks = [(re.escape(SUMMARY_OPENS), *TOTAL_PHRASES[col])] if col in TOTAL_PHRASES else []
        if col in OVERVIEW_PHRASES:
            marks.append((OVERVIEW, *OVERVIEW_PHRASES[col]))
        if col == "rate":
            marks.append(("^从行业领域看", "全县平均水平（{v}）", "pct"))
        return marks
    where = label if label.endswith(("行业", "领域")) else f"{label}领域"
    marks = (
        [(f"^[^，。]*，{re.escape(where)}", *SECTOR_PHRASES[col])] if col in SECTOR_PHRASES else []
    )
    if col == "rate":
        marks.append(("^从行业领域看", f"平均水平[^；。]*?{re.escape(label)}（{{v}}）", "pct"))
    if col == "major_rate":
        marks.append(("^(?:从行业领域看|重大隐患整改率低于)",
                      f"重大隐患整改率低于[^。]*?{re.escape(label)}（{{v}}）", "pct"))  # fmt: skip
    overdue = f"^{re.escape(label)}重大隐患逾期未整改"  # the finding of 二、存在的主要问题
    low = f"^{re.escape(label)}隐患整改率偏低"
    finding = {
        "overdue_open_major": (overdue, "仍有{v}项重大事故隐患", ""),
        "major": (overdue, "排查发现重大隐患{v}项", ""),
        "major_rectified": (overdue, "排查发现重大隐患[\\d,]+项、已整改{v}项", ""),
        "major_rate": (overdue, "重大隐患整改率{v}", "pct"),
        "found": (low, "排查发现隐患{v}项", ""),
        "rectified": (low, "已整改{v}项", ""),
        "rate": (low, "(?<!重大隐患)整改率{v}", "pct"),
    }
    if col in finding:
        marks.append(finding[col])
    if col == "major":
        marks.append((f"^[^，。]*，{re.escape(where)}", "重大隐患整改率[\\d.]+%（\\d+/{v}）", ""))
    return marks


def _span(p: Period) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _entry(value: float, digits: int, style: str = "", **fields: Any) -> Entry:
    """An entry (numbered later by :func:`planeval.report.provenance.place`) of ``value``,
    printed at ``digits`` (in ``style``: :func:`planeval.report.provenance_entry.printed_as`)."""
    return Entry(id="", table="", printed=printed_as(value, digits, style), value=value,
                 digits=digits, style=style, **fields)  # fmt: skip


def rows_entry(
    pack: DataPack,
    ledger: str,
    rows: pd.DataFrame,
    *,
    kind: str,
    expected: Any,
    summed: str | tuple[str, ...] | None = None,
    show: Sequence[str] = (),
    filters: dict[str, Any],
    digits: int = 0,
    formula: str,
    date_col: str | None = None,
    **place: str,
) -> Entry | None:
    """One entry made of ``rows`` of ``ledger`` (already filtered as ``filters`` say), or None
    when recomputing from them does not give ``expected`` (the chapter's figure).

    kind: ``count`` (rows), ``sum`` (of ``summed``: a field, or several added), ``batches``
    (检查次数). ``date_col``: the date ``filters`` 期间/截至 apply to (the ledger's own date by
    default), listed first. ``place``: the entry's ``section``, ``row``, ``column``,
    ``figure`` and ``caption``.
    """
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return None
    date_col = date_col or LEDGER_BY_KEY[ledger].date_field
    cols = [c for c in dict.fromkeys([date_col, *show]) if c in rows.columns]
    fields = (summed,) if isinstance(summed, str) else tuple(summed or ())
    if kind == "batches":
        from planeval.chapters.risk.compute import count_checks

        value = float(count_checks(rows))
        if "action" in rows and rows["action"].notna().any():  # a sheet without 批次: 1 each
            cols = [*dict.fromkeys([*cols, "action"])]
    elif kind == "sum":
        if not fields or any(f not in rows for f in fields):
            return None
        value = float(sum(rows[f].fillna(0).sum() for f in fields))
        cols = [*dict.fromkeys([*cols, *fields])]
    else:
        value = float(len(rows))
    if not math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=1e-9):
        return None  # the rows listed would not give the printed figure: not listed
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    return _entry(
        value,
        digits,
        formula=formula,
        computed={
            "kind": kind,
            "date_field": zh.get(date_col, date_col),  # the date 期间/截至 apply to
            "numerator": value,
            "numerator_fields": [zh[f] for f in fields],
            "expression": f"{value:g}",
        },
        filters=filters,
        pending=(rows, ledger, cols),
        **place,
    )


def share_entry(
    ledger: str,
    rows: pd.DataFrame,
    hit: pd.Series,
    *,
    expected: Any,
    show: Sequence[str] = (),
    filters: dict[str, Any],
    hit_filters: dict[str, Any],
    formula: str,
    date_col: str | None = None,
    **place: str,
) -> Entry | None:
    """A rate: the share of ``rows`` (the denominator, filtered as ``filters`` say) that are
    ``hit`` (the numerator, those that also pass ``hit_filters``), printed as a percentage;
    None when it does not give ``expected`` or there are no rows."""
    if expected is None or (isinstance(expected, float) and math.isnan(expected)) or rows.empty:
        return None
    num, den = int(hit.sum()), len(rows)
    if not math.isclose(num / den, float(expected), rel_tol=1e-9, abs_tol=1e-12):
        return None
    date_col = date_col or LEDGER_BY_KEY[ledger].date_field
    cols = [c for c in dict.fromkeys([date_col, *show]) if c in rows.columns]
    return _entry(
        num / den,
        1,
        "pct",
        formula=formula,
        computed={
            "kind": "share",
            "date_field": {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}.get(date_col),
            "numerator": float(num),
            "denominator": float(den),
            "numerator_filters": hit_filters,
            "expression": f"{num} ÷ {den} = {num / den:.6g}",
        },
        filters=filters,
        pending=(rows, ledger, cols),
        **place,
    )


def given_entry(
    ledger: str,
    record: dict,
    field: str,
    *,
    digits: int,
    key: dict[str, Any],
    scale: float = 1.0,
    **place: str,
) -> Entry | None:
    """One value copied from one ledger row (``record``: the pack's row with its place in the
    file); ``scale`` 0.01 for a percentage the ledger writes as 60 (printed as 60.0%);
    ``place`` as for :func:`rows_entry`."""
    v = record.get(field)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    value = float(v) * scale
    computed = {"kind": "given", "field": zh[field], "expression": f"{float(v):g}"}
    if scale != 1:
        computed |= {"scale": scale, "expression": f"{float(v):g} × {scale:g} = {value:g}"}
    return _entry(
        value,
        digits,
        "pct" if scale == 0.01 else "",
        formula=f"{LEDGER_BY_KEY[ledger].zh}台账该行填报的{zh[field]}",
        computed=computed,
        filters=key,
        sources=[source_row(record, ledger, [*_key_fields(ledger, key), field])],
        **place,
    )


def ratio_entry(
    ledger: str,
    record: dict,
    num: str,
    den: str,
    *,
    expected: Any,
    key: dict[str, Any],
    **place: str,
) -> Entry | None:
    """One row's ``num`` ÷ ``den`` (投资完成率 = 已完成投资 ÷ 计划投资), as a percentage; None
    without a positive denominator or when it is not ``expected``."""
    a, b = record.get(num), record.get(den)
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in (a, b, expected)):
        return None
    if float(b) <= 0 or not math.isclose(float(a) / float(b), float(expected), rel_tol=1e-9):
        return None
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    value = float(a) / float(b)
    return _entry(
        value, 1, "pct", formula=f"{LEDGER_BY_KEY[ledger].zh}台账该行的{zh[num]} ÷ {zh[den]}",
        computed={"kind": "row_ratio", "numerator_field": zh[num], "denominator_field": zh[den],
                  "numerator": float(a), "denominator": float(b),
                  "expression": f"{float(a):g} ÷ {float(b):g} = {value:.6g}"},
        filters=key, sources=[source_row(record, ledger, [*_key_fields(ledger, key), num, den])],
        **place,
    )  # fmt: skip


def diff_entry(
    ledger: str,
    record: dict,
    a: str,
    b: str,
    *,
    expected: Any,
    digits: int,
    key: dict[str, Any],
    **place: str,
) -> Entry | None:
    """One row's ``a`` − ``b`` (缺口 = 目标数量 − 数量); None when it is not ``expected``."""
    x, y = record.get(a), record.get(b)
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (x, y, expected)):
        return None
    value = float(x) - float(y)
    if not math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=1e-9):
        return None
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    return _entry(
        value, digits, formula=f"{LEDGER_BY_KEY[ledger].zh}台账该行的{zh[a]} − {zh[b]}",
        computed={"kind": "row_diff", "numerator_field": zh[a], "denominator_field": zh[b],
                  "numerator": float(x), "denominator": float(y),
                  "expression": f"{float(x):g} − {float(y):g} = {value:g}"},
        filters=key, sources=[source_row(record, ledger, [*_key_fields(ledger, key), a, b])],
        **place,
    )  # fmt: skip


def _key_fields(ledger: str, key: dict[str, Any]) -> list[str]:
    by_zh = {f.zh: f.name for f in LEDGER_BY_KEY[ledger].fields}
    return [by_zh[k] for k in key if k in by_zh]


# --------------------------------------------------------------------------- risk
_FILTER_ZH = {"level": "等级", "sector": "行业领域"}


def _risk_cell(pack, label, col, figures, period, sectors, caption, section, year=False, memo=None):
    from planeval.chapters.risk import SUMMARY_ZH
    from planeval.chapters.risk.compute import hazard_flags, hazard_stock
    from planeval.indicators.formulas import ledger_rows

    ledger, kind, summed, filt, digits, words = RISK_COLUMNS[col]
    df = getattr(pack, ledger)
    if df is None or col not in figures:
        return None
    show: list[str] = []
    end = period.end.isoformat()
    filters: dict[str, Any] = {"期间": _span(period)}
    # The rows of a (kind, period, sectors) are shared by many cells (each of a sector's or a
    # year's columns): filtered once here, the later filters (level, mode …) on that subset.
    memo = {} if memo is None else memo

    def once(key: tuple, make: Callable[[], Any]) -> Any:
        if key not in memo:
            memo[key] = make()
        return memo[key]

    if kind in ("flow", "late", "share"):  # found in the period, flagged at its end
        flags = once(("flags", period), lambda: hazard_flags(df, period))
        if kind == "flow":
            rows = once(("flow", period), lambda: flags[flags["rectified"]])
        elif kind == "late":
            rows = once(("late", period), lambda: flags[flags["overdue_fixed"]])
            filters["整改晚于期限"] = True
        else:
            rows = flags
        if kind != "share":
            filters["整改完成日期至"] = end
        show += ["fixed", "deadline"]
        base = (kind, period)
    elif kind in ("open", "overdue"):  # a stock: every hazard found up to the end, open then
        stock = once(("stock", period.end), lambda: hazard_stock(df, period.end))
        flag = "open" if kind == "open" else "overdue_open"
        rows = once((flag, period.end), lambda: stock[stock[flag]])
        first = once(("first", ledger), lambda: pd.to_datetime(df["found"]).min())
        if pd.isna(first):
            return None
        filters = {"期间": f"{first.date().isoformat()}..{end}", "期末未整改": end}
        if kind == "overdue":
            filters["整改期限早于"] = end
        show += ["fixed", "deadline"]
        base = (flag, period.end)
    else:
        base = ("rows", ledger, period)
        rows = once(base, lambda: ledger_rows(pack, ledger, period.start, period.end))
    if sectors is not None:
        whole = rows
        rows = once((*base, sectors), lambda: whole[whole["sector"].isin(sectors)])
        filters["行业领域"] = list(sectors)
        show.append("sector")
    if filt is not None:
        part = rows
        rows = once((*base, sectors, filt), lambda: part[part[filt[0]].isin(filt[1])])
        if filt[0] in _FILTER_ZH:
            filters[_FILTER_ZH[filt[0]]] = list(filt[1])
        else:
            zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
            filters["列"] = {zh[filt[0]]: list(filt[1])}
        show.append(filt[0])
    zh_col = SUMMARY_ZH.get(col, "已整改" if col == "rectified" else col)
    place = dict(
        row=str(label), column=zh_col, figure=f"{label}{zh_col}（{period.label}）",
        formula=words + ("" if sectors is None else f"（{label}）"), caption=caption,
        section=section,
    )  # fmt: skip
    if kind == "share":
        e = share_entry(
            ledger, rows, rows["rectified"], expected=figures[col], show=show, filters=filters,
            hit_filters={"整改完成日期至": end}, **place,
        )  # fmt: skip
    else:
        e = rows_entry(
            pack, ledger, rows, kind="count" if kind in ("flow", "late", "open", "overdue") else kind,
            expected=figures[col], summed=summed, show=show, filters=filters, digits=digits,
            **place,
        )  # fmt: skip
    if e is not None:
        e.marks = _risk_marks(col, str(label), sectors, year)
    return e


def risk_entries(pack: DataPack, period: Period) -> list[Entry]:
    """The sector table (per shown sector and 合计) and the year table (per slice), with the
    figures the chapter's sentences add (专家家次, 立即/限期整改, 逾期后整改 …)."""
    from planeval.chapters.risk import SUMMARY_ZH, TOTAL, summarise, summary_frame

    res = summarise(pack, period)
    memo: dict = {}
    year_cols = [c for c in RISK_COLUMNS if c in SUMMARY_ZH or c in YEAR_PHRASES]
    if not res.any_data:
        return []
    out: list[Entry] = []
    section = "提升风险管控能力"
    frame = summary_frame(res)
    full = res.sectors.loc[[i for i in frame.index if i != TOTAL]]
    has_ins = res.available.get("inspections", False)
    for label in frame.index:
        sectors = None if label == TOTAL else (str(label),)
        figs = dict(res.totals if label == TOTAL else full.loc[label])
        if has_ins:
            figs["experts"] = float(res.experts.sum() if label == TOTAL else res.experts[label])
        for col in RISK_COLUMNS:
            e = _risk_cell(pack, label, col, figs, period, sectors, RISK_TABLE, section, memo=memo)
            if e is not None:
                out.append(e)
    for y in res.years:
        for r in ([y.compare] if y.compare else []) + [y]:
            label = r.label + ("（同比基数）" if r is y.compare else "")
            for col in year_cols:
                e = _risk_cell(pack, label, col, dict(r.totals), r.period, None, YEAR_TABLE,
                               section, year=r is not y.compare, memo=memo)  # fmt: skip
                if e is not None:
                    out.append(e)
    return out


def parameter_entry(key: str, marks: list, what: str) -> Entry:
    """A figure that is an evaluation parameter, not a ledger's: the default of
    ``planeval/thresholds.yaml`` (a run that overrides it prints another value, which these
    marks then do not find), printed as a percentage."""
    from planeval.thresholds import load_thresholds

    value = float(load_thresholds()[key])
    e = _entry(value, 1, "pct", formula=f"评估参数：{what}（planeval/thresholds.yaml 的 {key}）",
               computed={"kind": "parameter", "file": "thresholds.yaml", "key": key,
                         "expression": f"{value:g}"},
               filters={}, row=what, column="评估参数", caption="", section="评估参数",
               figure=what)  # fmt: skip
    e.marks = marks
    return e


def benchmark_entries(pack: DataPack, period: Period) -> list[Entry]:
    """The benchmarks the risk sentences and findings cite: 全国重大事故隐患整改率 98.4 % and the
    对标 整改率 96.6 % (evaluation parameters)."""
    if pack.hazards is None:
        return []
    return [
        parameter_entry(
            "overdue.major_benchmark",
            [("(?:低于|达到)全国", "(?:低于|达到)全国{v}的水平", "pct")],
            "全国重大事故隐患整改率（应急管理部）",
        ),
        parameter_entry(
            "rectification.benchmark", [("隐患整改率偏低", "低于{v}的对标水平", "pct")],
            "隐患整改率对标水平",
        ),
    ]  # fmt: skip


def campaign_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Each counted campaign row's 摸排, 建档, 排查隐患, 已整改 (its own ledger row)."""
    from planeval.chapters.risk.compute import campaign_rows
    from planeval.chapters.window import rows_in

    cam = pack.campaigns
    if cam is None:
        return []
    shown = campaign_rows(cam, period)
    inside = rows_in(cam, "start", period)
    out: list[Entry] = []
    for label, (_, r) in zip(row_labels(list(shown["campaign"])), shown.iterrows(), strict=True):
        hit = inside[
            (inside["campaign"] == r["campaign"])
            & (inside["sector"] == r["sector"])
            & (pd.to_datetime(inside["start"]) == pd.Timestamp(r["start"]))
        ]
        if len(hit) != 1:
            continue
        record = hit.iloc[0].to_dict()
        key = {"专项行动": r["campaign"], "行业领域": r["sector"]}
        for field, column in (("surveyed", "摸排"), ("filed", "建档"), ("hazards", "排查隐患"),
                              ("fixed", "已整改")):  # fmt: skip
            e = given_entry(
                "campaigns", record, field, digits=0, row=label, column=column,
                figure=f"{r['campaign']}（{r['sector']}）{column}", caption=CAMPAIGN_TABLE,
                section="重点行业领域安全治理", key=key,
            )  # fmt: skip
            if e is not None:
                opens = f"开展{re.escape(str(r['campaign']))}，"
                e.marks = [(opens, opens + CAMPAIGN_PHRASES[field], "")]
                out.append(e)
    return out


# The inspections tagged with a campaign, as its sentence prints them ("；开展专项执法检查9次、
# 检查40家次，下达执法文书80份，实施行政处罚2起、罚款3.12万元"): column → kind, summed, phrase.
CAMPAIGN_CHECKS = {
    "checks": ("batches", None, "开展专项执法检查{v}次", ""),
    "units": ("count", None, "开展专项执法检查[\\d,]+次、检查{v}家次", ""),
    "documents": ("sum", "documents", "开展专项执法检查[^。]*?下达执法文书{v}份", ""),
    "penalties": ("sum", "penalties", "开展专项执法检查[^。]*?实施行政处罚{v}起", ""),
    "fines": ("sum", "fines", "开展专项执法检查[^。]*?罚款{v}", "money"),
}


def campaign_check_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Per (专项行动, 行业领域): the inspections tagged with it in the period — 检查次数, 家次,
    执法文书, 行政处罚, 罚款 — as the campaign's sentence prints them."""
    from planeval.chapters.risk import SUMMARY_ZH
    from planeval.chapters.risk.compute import campaign_checks
    from planeval.indicators.formulas import ledger_rows

    ins = pack.inspections
    figures = campaign_checks(ins, period)
    if ins is None or figures.empty:
        return []
    rows = ledger_rows(pack, "inspections", period.start, period.end)
    name = rows["campaign"].astype("string").str.strip()
    out: list[Entry] = []
    for (campaign, sector), figs in figures.iterrows():
        sub = rows[(name == campaign).fillna(False).to_numpy(dtype=bool)]
        sub = sub[sub["sector"] == sector]
        opens = f"开展{re.escape(str(campaign))}，"
        for col, (kind, summed, phrase, style) in CAMPAIGN_CHECKS.items():
            e = rows_entry(
                pack, "inspections", sub, kind=kind, expected=figs[col], summed=summed,
                show=["sector", "campaign"], digits=2 if col == "fines" else 0,
                filters={"期间": _span(period), "行业领域": [str(sector)],
                         "列": {"专项行动": [str(campaign)]}},
                formula=f"执法检查台账中检查日期在评估期内、专项行动为{campaign}（{sector}）的"
                + RISK_COLUMNS[col][5].split("的", 1)[-1].removeprefix("检查日期在评估期内的"),
                row=str(campaign), column=f"专项执法检查{SUMMARY_ZH[col]}", caption="",
                figure=f"{campaign}（{sector}）专项执法检查", section="重点行业领域安全治理",
            )  # fmt: skip
            if e is not None:
                e.marks = [(opens, f"{opens}[^。]*?{phrase}", style)]
                out.append(e)
    return out


# How a campaign's sentence prints its row (a campaign of one 对象类型; the numbers of one of
# several are not linked): "…起组织开展<行动>，摸排<对象>46家、建立台账46家，排查隐患104处…".
CAMPAIGN_PHRASES = {
    "surveyed": "摸排\\D*?{v}",
    "filed": "[^；。]*?建立台账{v}",
    "hazards": "[^；。]*?排查隐患{v}处",
    "fixed": "[^；。]*?已整改{v}处",
}


Phrases = dict[str, list[tuple[str, str, str]]]


def _slice_marks(phrases: Phrases, column: str, label: str) -> list[tuple[str, str, str]]:
    """The marks of one cell: ``phrases`` of the column, ``{y}`` standing for the slice's label
    (the 合计 row's phrases have none; a year's phrases have it)."""
    total = label == "合计"
    return [
        (scope.replace("{y}", re.escape(label)), phrase.replace("{y}", re.escape(label)), style)
        for scope, phrase, style in phrases.get(column, [])
        if ("{y}" in scope + phrase) != total
    ]


def _slice_entries(
    pack,
    ledger,
    frame,
    period,
    *,
    label_col,
    cells,
    caption,
    section,
    what,
    phrases: Phrases | None = None,
) -> list[Entry]:
    """Per year slice (and 合计) of a by-year frame: each cell of ``cells`` (column → kind,
    summed field, column filter (field, value) or None) recomputed from the rows; ``phrases``:
    where sentences print a column (:func:`_slice_marks`)."""
    from planeval.chapters.window import rows_in, year_slices

    df = pack.get(ledger)
    if df is None or frame is None or frame.empty:
        return []
    date_col = LEDGER_BY_KEY[ledger].date_field
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    spans = {s.label: s.period for s in year_slices(period)} | {"合计": period}
    out: list[Entry] = []
    for _, fr in frame.iterrows():
        label = str(fr[label_col])
        p = spans.get(label)
        if p is None:
            continue
        rows = rows_in(df, date_col, p)
        for column, (kind, summed, filt, *digits) in cells.items():
            if column not in fr:
                continue
            sub, filters, show = rows, {"期间": _span(p)}, []
            if filt is not None:
                sub = rows[rows[filt[0]] == filt[1]]
                filters["列"] = {zh[filt[0]]: [filt[1]]}
                show.append(filt[0])
            e = rows_entry(
                pack, ledger, sub, kind=kind, expected=fr[column], summed=summed, show=show,
                filters=filters, digits=digits[0] if digits else 0, row=label, column=column,
                figure=f"{label}{what}{column}",
                formula=f"{LEDGER_BY_KEY[ledger].zh}台账中{zh[date_col]}在{p.label}的"
                + ("" if filt is None else f"{zh[filt[0]]}为{filt[1]}的")
                + ("记录数" if kind == "count" else f"{'与'.join(zh[f] for f in ((summed,) if isinstance(summed, str) else summed))}之和"),
                caption=caption, section=section,
            )  # fmt: skip
            if e is not None:
                e.marks = _slice_marks(phrases or {}, column, label)
                out.append(e)
    return out


DRILL_PHRASES: Phrases = {
    "合计(次)": [("共组织开展应急演练", "共组织开展应急演练{v}次", ""),
                (OVERVIEW, "累计开展各类应急演练{v}次", ""),
                ("^“双盲”演练开展不足", "共开展应急演练{v}次", ""),
                ("分年度看，", "{y}开展{v}次", "")],
    "参演人数(人)": [("共组织开展应急演练", "参演{v}人次", "")],
    "桌面推演": [("共组织开展应急演练", "其中桌面推演{v}次", "")],
    "实战": [("共组织开展应急演练", "实战演练{v}次", ""), ("^“双盲”演练开展不足", "其中实战演练{v}次", ""),
             ("分年度看，", "{y}开展[\\d,]+次（实战{v}次", "")],
    "双盲": [("共组织开展应急演练", "无脚本“双盲”演练{v}次", ""), ("^“双盲”演练开展不足", "“双盲”演练仅{v}次", ""),
             ("分年度看，", "{y}开展[^）]*?“双盲”{v}次", "")],
}  # fmt: skip


def drill_entries(pack: DataPack, period: Period) -> list[Entry]:
    from planeval import vocab
    from planeval.chapters.rescue import drills_by_year

    cells = {f: ("count", None, ("form", f)) for f in vocab.DRILL_FORMS}
    cells |= {"合计(次)": ("count", None, None), "参演人数(人)": ("sum", "participants", None)}
    return _slice_entries(
        pack, "drills", drills_by_year(pack.drills, period), period, label_col="年度",
        cells=cells, caption=DRILL_TABLE, section="强化应急救援能力", what="应急演练",
        phrases=DRILL_PHRASES,
    )  # fmt: skip


def outreach_entries(pack: DataPack, period: Period) -> list[Entry]:
    from planeval.chapters.society import TYPE_ZH, by_year

    cells: dict[str, tuple] = {}
    for t, zh in TYPE_ZH.items():
        cells[f"{zh}(次)"] = ("count", None, ("type", t))
        cells[f"{zh}(人次)"] = ("sum", "persons", ("type", t))
    cells["合计(次)"] = ("count", None, None)
    return _slice_entries(
        pack, "outreach", by_year(pack.get("outreach"), period), period, label_col="年度",
        cells=cells, caption=OUTREACH_TABLE, section="提升社会共治能力", what="",
        phrases=OUTREACH_PHRASES,
    )  # fmt: skip


_OUT = "共组织开展安全培训"  # the county's paragraph; a year's list item opens with "<年度>："
OUTREACH_PHRASES: Phrases = {
    "安全培训(次)": [(_OUT, "共组织开展安全培训{v}次", ""), ("^{y}：", "培训{v}次", "")],
    "安全培训(人次)": [(_OUT, "、培训{v}人次", ""), ("^{y}：", "培训[\\d,]+次、{v}人次", ""),
                     ("降幅较大", "培训人次由{y}的{v}人次", ""),
                     ("降幅较大", "培训人次由[^；]*?降至{y}的{v}人次", "")],
    "宣传活动(次)": [(_OUT, "开展安全宣传活动{v}次", ""), ("^{y}：", "宣传{v}次", "")],
    "宣传活动(人次)": [(_OUT, "覆盖{v}人次", ""), ("^{y}：", "宣传[\\d,]+次、{v}人次", ""),
                     ("降幅较大", "宣传覆盖人次由{y}的{v}人次", ""),
                     ("降幅较大", "宣传覆盖人次由[^；]*?降至{y}的{v}人次", "")],
    "志愿服务(次)": [(_OUT, "组织应急志愿服务{v}次", ""), ("^{y}：", "志愿服务{v}次", "")],
    "志愿服务(人次)": [(_OUT, "参与志愿者{v}人次", ""),
                     ("^{y}：", "志愿服务[\\d,]+次、{v}人次", ""),
                     ("降幅较大", "志愿服务人次由{y}的{v}人次", ""),
                     ("降幅较大", "志愿服务人次由[^；]*?降至{y}的{v}人次", "")],
    "合计(次)": [(_OUT, "三类活动合计{v}次", "")],
}  # fmt: skip


def disaster_entries(pack: DataPack, period: Period) -> list[Entry]:
    """表 自然灾害损失情况: the year slices (and 合计) the 自然灾害 ledger covers — 灾害过程,
    受灾人次, 紧急转移安置, 倒塌房屋, 农作物受灾面积, 直接经济损失 (a slice taken from 年度汇总 is
    not listed here)."""
    from planeval.chapters.disasters import SRC_LEDGER, yearly

    if pack.disasters is None:
        return []
    y = yearly(pack, period)
    cols = {"events": "灾害过程(次)", "affected": "受灾人次", "relocated": "紧急转移安置(人次)",
            "collapsed_rooms": "倒塌房屋(间)", "crop_area": "农作物受灾面积(公顷)",
            "loss": "直接经济损失(万元)", "deaths_missing": "死亡失踪(人)"}  # fmt: skip
    shown = y[y["source"] == SRC_LEDGER]
    frame = pd.DataFrame({"年度": shown["label"], **{zh: shown[en] for en, zh in cols.items()}})
    if len(shown) == len(y):  # 合计 only when every slice is the ledger's
        total = {"年度": "合计", **{zh: float(shown[en].sum()) for en, zh in cols.items()}}
        frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    cells = {
        "灾害过程(次)": ("count", None, None),
        "受灾人次": ("sum", "affected", None),
        "紧急转移安置(人次)": ("sum", "relocated", None),
        "倒塌房屋(间)": ("sum", "collapsed_rooms", None),
        "农作物受灾面积(公顷)": ("sum", "crop_area", None, 1),
        "直接经济损失(万元)": ("sum", "loss", None, 2),
        "死亡失踪(人)": ("sum", ("deaths", "missing"), None),
    }
    return _slice_entries(
        pack, "disasters", frame, period, label_col="年度", cells=cells,
        caption=DISASTER_TABLE, section="推进自然灾害综合治理", what="自然灾害",
        phrases=DISASTER_PHRASES,
    )  # fmt: skip


# The county's paragraph ("…共发生自然灾害过程11次…累计受灾135420人次…"), a year's list item
# ("2021年：发生自然灾害过程5次，受灾82120人次…") and the method note's ("2021年：…受灾82120人次 ÷ …").
_DIS = "累计受灾"
DISASTER_PHRASES: Phrases = {
    "灾害过程(次)": [(_DIS, "共发生自然灾害过程{v}次", ""), ("^{y}：", "发生自然灾害过程{v}次", "")],
    "受灾人次": [(_DIS, "累计受灾{v}人次", ""), ("^{y}：", "受灾{v}人次", "")],
    "紧急转移安置(人次)": [(_DIS, "紧急转移安置{v}人次", "")],
    "倒塌房屋(间)": [(_DIS, "倒塌房屋{v}间", "")],
    "农作物受灾面积(公顷)": [(_DIS, "农作物受灾面积{v}公顷", "area")],
    "直接经济损失(万元)": [(_DIS, "直接经济损失{v}", "money"),
                        ("^{y}：", "直接经济损失{v}", "money")],
    "死亡失踪(人)": [(_DIS, "因灾死亡失踪{v}人", ""), ("^{y}：", "死亡失踪{v}人", "")],
}  # fmt: skip


HAZARD_TABLE = "自然灾害按灾种统计"
TEAM_TABLE = "应急救援队伍情况"
PLAN_TABLE = "应急预案情况"


def hazard_type_entries(pack: DataPack, period: Period) -> list[Entry]:
    """表 自然灾害按灾种统计: per 灾种 (and 合计) the processes of each year slice, 合计(次),
    受灾人次, 死亡失踪 (死亡 + 失踪), 直接经济损失."""
    from planeval.chapters.disasters import by_hazard
    from planeval.chapters.window import rows_in, year_slices

    frame = by_hazard(pack, period) if pack.disasters is not None else pd.DataFrame()
    if frame.empty:
        return []
    spans = {s.label: s.period for s in year_slices(period)}
    out: list[Entry] = []
    for _, fr in frame.iterrows():
        h = str(fr["灾种"])
        rows = rows_in(pack.disasters, "start", period)
        filters: dict[str, Any] = {"期间": _span(period)}
        if h != "合计":
            rows = rows[rows["hazard"] == h]
            filters["列"] = {"灾种": [h]}
        cells: list[tuple[str, pd.DataFrame, dict, str, Any, int]] = []
        for label, p in spans.items():
            sub = rows_in(rows, "start", p)
            cells.append((label, sub, {**filters, "期间": _span(p)}, "count", None, 0))
        cells += [("合计(次)", rows, filters, "count", None, 0),
                  ("受灾人次", rows, filters, "sum", "affected", 0),
                  ("死亡失踪(人)", rows, filters, "sum", ("deaths", "missing"), 0),
                  ("直接经济损失(万元)", rows, filters, "sum", "loss", 2)]  # fmt: skip
        for column, sub, filt, kind, summed, digits in cells:
            if column not in fr:
                continue
            e = rows_entry(
                pack, "disasters", sub, kind=kind, expected=fr[column], summed=summed,
                show=["hazard"], filters=filt, digits=digits, row=h, column=column,
                figure=f"{h}{column}", caption=HAZARD_TABLE, section="推进自然灾害综合治理",
                formula=f"自然灾害台账中开始日期在{column if column in spans else period.label}内"
                + ("" if h == "合计" else f"、灾种为{h}") + "的"
                + ("灾害过程数" if kind == "count" else f"{column.split('(')[0]}之和"),
            )  # fmt: skip
            if e is not None:
                out.append(e)
    return out


TEAM_NAMES = {"综合性消防": "综合性消防救援队伍", "专业": "专业应急救援队伍",
              "社会": "社会应急救援力量", "企业": "企业应急救援队伍"}  # fmt: skip
PLAN_LEVEL_NAMES = {"县": "县级", "乡镇": "乡镇级", "村": "村级", "企业": "企业"}


def team_entries(pack: DataPack, period: Period) -> list[Entry]:
    """表 应急救援队伍情况: teams at the period end (成立日期 blank or not after it) by 类型 and
    合计 — 队伍(支), 队员(人) — and those 成立 in the period; with the sentence's words."""
    from planeval.chapters.rescue import teams_by_type
    from planeval.chapters.window import rows_in

    teams = pack.get("teams")
    frame = teams_by_type(teams, period)
    if frame.empty:
        return []
    end = period.end.isoformat()
    est = pd.to_datetime(teams["established"]) if "established" in teams else pd.Series(
        pd.NaT, index=teams.index)  # fmt: skip
    stock = teams[(est.isna() | (est <= pd.Timestamp(period.end))).to_numpy(dtype=bool)]
    new = rows_in(teams, "established", period) if "established" in teams else teams.iloc[:0]
    opens = "共有各类应急救援队伍"
    out: list[Entry] = []
    for _, fr in frame.iterrows():
        ty = str(fr["类型"])
        pick = (lambda d: d) if ty == "合计" else (lambda d, ty=ty: d[d["type"] == ty])
        col_filter = {} if ty == "合计" else {"列": {"类型": [ty]}}
        name = re.escape(TEAM_NAMES.get(ty, ty))
        marks = {
            "队伍(支)": [(opens, f"{opens}{{v}}支" if ty == "合计" else f"{name}{{v}}支", "")],
            "队员(人)": [(opens, "队员{v}人" if ty == "合计" else f"{name}[\\d,]+支{{v}}人", "")],
            "期内新组建(支)": [(opens, "新组建队伍{v}支", "")] if ty == "合计" else [],
        }
        for column, rows, filters, kind, summed in (
            ("队伍(支)", pick(stock), {"截至": end, **col_filter}, "count", None),
            ("队员(人)", pick(stock), {"截至": end, **col_filter}, "sum", "members"),
            ("期内新组建(支)", pick(new), {"期间": _span(period), **col_filter}, "count", None),
        ):
            e = rows_entry(
                pack, "teams", rows, kind=kind, expected=fr[column], summed=summed,
                show=["type"], filters=filters, date_col="established", row=ty, column=column,
                figure=f"{ty}{column}", caption=TEAM_TABLE, section="强化应急救援能力",
                formula=("应急救援队伍台账中成立日期在评估期内" if "期间" in filters
                         else "应急救援队伍台账中成立日期为空或不晚于评估期末")
                + ("" if ty == "合计" else f"、类型为{ty}") + "的"
                + ("队员人数之和" if kind == "sum" else "队伍数"),
            )  # fmt: skip
            if e is not None:
                e.marks = marks[column]
                out.append(e)
    return out


def plan_entries(pack: DataPack, period: Period) -> list[Entry]:
    """表 应急预案情况: per (层级, 类别) row and 合计 — 现行 (发布日期 not after the period end),
    期内发布, 期内修订 — and, for the sentence, 现行 per 层级."""
    from planeval.chapters.rescue import plans_table
    from planeval.chapters.window import rows_in

    plans = pack.get("plans")
    frame = plans_table(plans, period)
    if frame.empty:
        return []
    issued = pd.to_datetime(plans["issued"])
    first = issued.min()
    if pd.isna(first):
        return []
    force = plans[(issued <= pd.Timestamp(period.end)).to_numpy(dtype=bool)]
    stock_span = f"{first.date().isoformat()}..{period.end.isoformat()}"
    opens = "现行各级各类应急预案"
    out: list[Entry] = []

    def cells(label, pick, extra, row_marks):
        for column, rows, date_col, span in (
            ("现行(部)", pick(force), "issued", stock_span),
            ("期内发布(部)", pick(rows_in(force, "issued", period)), "issued", _span(period)),
            ("期内修订(部)", pick(rows_in(force, "revised", period)) if "revised" in force
             else None, "revised", _span(period)),
        ):  # fmt: skip
            if rows is None or column not in extra["expected"]:
                continue
            e = rows_entry(
                pack, "plans", rows, kind="count", expected=extra["expected"][column],
                show=["level", "kind"], filters={"期间": span, **extra["filters"]},
                date_col=date_col, row=label, column=column, figure=f"{extra['what']}{column}",
                caption=extra["caption"], section="强化应急救援能力",
                formula=f"应急预案台账中{'修订日期' if date_col == 'revised' else '发布日期'}"
                + ("不晚于评估期末" if column == "现行(部)" else "在评估期内")
                + extra["words"] + "的预案数",
            )  # fmt: skip
            if e is not None:
                e.marks = row_marks.get(column, [])
                out.append(e)

    labels = row_labels([str(x) for x in frame["层级"]])
    for label, (_, fr) in zip(labels, frame.iterrows(), strict=True):
        lv, kd = str(fr["层级"]), str(fr["类别"])
        if lv == "合计":
            pick, filters, words, what = (lambda d: d), {}, "", ""
            row_marks = {"现行(部)": [(opens, f"{opens}{{v}}部", "")],
                         "期内发布(部)": [(opens, "新编制发布预案{v}部", "")],
                         "期内修订(部)": [(opens, "修订预案{v}部", "")]}  # fmt: skip
        else:
            pick = lambda d, lv=lv, kd=kd: d[(d["level"] == lv) & (d["kind"] == kd)]  # noqa: E731
            filters, words = {"列": {"层级": [lv], "类别": [kd]}}, f"、层级为{lv}、类别为{kd}"
            what, row_marks = f"{lv}{kd}", {}
        cells(label, pick, {"expected": dict(fr), "filters": filters, "words": words,
                            "what": what, "caption": PLAN_TABLE}, row_marks)  # fmt: skip
    for lv in [x for x in dict.fromkeys(frame["层级"]) if x != "合计"]:  # the sentence's 县级14部
        n = float((force["level"] == lv).sum())
        marks = {
            "现行(部)": [
                (opens, f"其中[^；。]*?{re.escape(PLAN_LEVEL_NAMES.get(lv, lv))}{{v}}部", "")
            ]
        }
        cells(str(lv), lambda d, lv=lv: d[d["level"] == lv],
              {"expected": {"现行(部)": n}, "filters": {"列": {"层级": [lv]}},
               "words": f"、层级为{lv}", "what": f"{lv}级", "caption": ""}, marks)  # fmt: skip
    return out


RESERVE_TABLE = "应急物资储备达标情况"
BELOW_TABLE = "低于储备目标的物资"
RESERVE_LEVEL_NAMES = {"县": "县级", "乡镇": "乡镇级", "村": "村级"}


def _reserve_group(pack, rows, label, *, filters, words, caption, expected, marks) -> list[Entry]:
    """One group of 物资储备 lines (a 类别 × 层级 row, a 层级, 合计): 储备行数, 有目标行数, 达标行数,
    达标率 (of the lines with a target, the share at or above it), 平均保障率 (their mean of
    min(数量 ÷ 目标数量, 100%))."""
    from planeval.chapters.reserves import lines

    d = lines(rows)
    wt = d[d["has_target"]]
    show = ["item", "depot", "level", "category", "quantity", "target"]
    with_target = {**filters, "目标数量大于0": True}
    out: list[Entry | None] = [
        rows_entry(pack, "reserves", d, kind="count", expected=expected.get("储备行数"),
                   show=show, filters=filters, date_col="item", row=label, column="储备行数",
                   figure=f"{label}储备行数", caption=caption, section="提高综合保障能力",
                   formula=f"物资储备台账中{words}的储备行数"),
        rows_entry(pack, "reserves", wt, kind="count", expected=expected.get("有目标行数"),
                   show=show, filters=with_target, date_col="item", row=label,
                   column="有目标行数", figure=f"{label}有目标行数", caption=caption,
                   section="提高综合保障能力",
                   formula=f"物资储备台账中{words}、目标数量大于0的储备行数"),
        rows_entry(pack, "reserves", wt[wt["met"]], kind="count",
                   expected=expected.get("达标行数"), show=show,
                   filters={**with_target, "达到目标": True}, date_col="item", row=label,
                   column="达标行数", figure=f"{label}达标行数", caption=caption,
                   section="提高综合保障能力",
                   formula=f"物资储备台账中{words}、数量不低于目标数量的储备行数"),
        share_entry("reserves", wt, wt["met"], expected=expected.get("达标率"), show=show,
                    filters=with_target, hit_filters={"达到目标": True}, row=label,
                    column="达标率", figure=f"{label}达标率", caption=caption,
                    section="提高综合保障能力", date_col="item",
                    formula=f"达标率 = 达标行数 ÷ 有目标行数（{words}）"),
    ]  # fmt: skip
    mean = expected.get("平均保障率")
    if len(wt) and mean is not None and not (isinstance(mean, float) and math.isnan(mean)):
        value = float(wt["coverage"].clip(upper=1.0).mean())
        if math.isclose(value, float(mean), rel_tol=1e-9):
            out.append(_entry(
                value, 1, "pct", formula=f"平均保障率 = 各项 min(数量 ÷ 目标数量, 100%) 的平均（{words}、设有目标的储备行）",
                computed={"kind": "mean_capped", "numerator_field": "数量",
                          "denominator_field": "目标数量", "numerator": value * len(wt),
                          "denominator": float(len(wt)), "expression": f"{value:.6g}"},
                filters=with_target, pending=(wt, "reserves", show), row=label,
                column="平均保障率", figure=f"{label}平均保障率", caption=caption,
                section="提高综合保障能力",
            ))  # fmt: skip
    kept = [e for e in out if e is not None]
    for e in kept:
        e.marks = marks.get(e.column, [])
    return kept


def reserve_entries(pack: DataPack, period: Period) -> list[Entry]:
    """表 应急物资储备达标情况 (类别 × 层级, 合计), the sentence's 层级 lines, and 表 低于储备目标的物资
    (each line's 数量, 目标, 缺口 and 保障率, its own ledger row)."""
    from planeval.chapters.reserves import below_target, by_level, coverage_table, lines

    res = pack.get("reserves")
    if res is None or res.empty:
        return []
    out: list[Entry] = []
    cov = coverage_table(res)
    opens = "共设应急物资储备点"
    total_marks = {"储备行数": [(opens, "登记储备物资{v}项", "")],
                   "有目标行数": [(opens, "其中{v}项设有储备目标", "")],
                   "达标行数": [(opens, "设有储备目标，{v}项达到目标", "")],
                   "达标率": [(opens, "达标率{v}", "pct")],
                   "平均保障率": [(opens, "平均保障率{v}", "pct")]}  # fmt: skip
    labels = row_labels([str(x) for x in cov["类别"]])
    for label, (_, fr) in zip(labels, cov.iterrows(), strict=True):
        cat, lv = str(fr["类别"]), str(fr["层级"])
        if cat == "合计":
            rows, filters, words, marks = res, {}, "全部", total_marks
        else:
            rows = res[(res["category"].astype(str) == cat) & (res["level"].astype(str) == lv)]
            filters, words, marks = (
                {"列": {"类别": [cat], "层级": [lv]}},
                f"类别为{cat}、层级为{lv}",
                {},
            )
        out += _reserve_group(pack, rows, label, filters=filters, words=words,
                              caption=RESERVE_TABLE, expected=dict(fr), marks=marks)  # fmt: skip
    for _, fr in by_level(res).iterrows():
        lv = str(fr["层级"])
        if lv == "合计":
            continue
        scope = f"^{re.escape(RESERVE_LEVEL_NAMES.get(lv, lv))}储备："
        marks = {"储备行数": [(scope, "物资{v}项", "")],
                 "达标行数": [(scope, "{v}项达到储备目标", "")],
                 "达标率": [(scope, "达标率{v}", "pct")],
                 "平均保障率": [(scope, "平均保障率{v}", "pct")]}  # fmt: skip
        rows = res[res["level"].astype(str) == lv]
        out += _reserve_group(pack, rows, f"{lv}级", filters={"列": {"层级": [lv]}},
                              words=f"层级为{lv}", caption="", expected=dict(fr), marks=marks)  # fmt: skip
    below = below_target(res)
    d = lines(res)
    for label, (_, fr) in zip(
        row_labels([str(x) for x in below["物资"]]), below.iterrows(), strict=True
    ):
        hit = d[
            (d["item"] == fr["物资"]) & (d["depot"] == fr["储备点"]) & (d["level"] == fr["层级"])
        ]
        if len(hit) != 1:
            continue
        record = hit.iloc[0].to_dict()
        key = {"物资": str(fr["物资"]), "储备点": str(fr["储备点"])}
        says = f"{re.escape(str(fr['储备点']) + str(fr['物资']))}（"
        scope = "^低于储备目标的物资"
        digits = 0 if all(float(fr[c]).is_integer() for c in ("数量", "目标", "缺口")) else 2
        place = dict(row=label, caption=BELOW_TABLE, section="提高综合保障能力", key=key)
        short = (
            "^部分应急物资储备未达目标"  # the finding: "<储备点><物资>60件（目标100件，达60.0%）"
        )
        named = re.escape(str(fr["储备点"]) + str(fr["物资"]))
        for field, column, phrase, found in (
            ("quantity", "数量", f"{says}现有{{v}}", f"{named}{{v}}"),
            ("target", "目标", f"{says}[^）]*?目标{{v}}", f"{named}[^（]*（目标{{v}}"),
        ):
            e = given_entry("reserves", record, field, digits=digits, column=column,
                            figure=f"{fr['储备点']}{fr['物资']}{column}", **place)  # fmt: skip
            if e is not None:
                e.marks = [(scope, phrase, ""), (short, found, "")]
                out.append(e)
        e = ratio_entry("reserves", record, "quantity", "target", expected=fr["保障率"],
                        column="保障率", figure=f"{fr['储备点']}{fr['物资']}保障率", **place)  # fmt: skip
        if e is not None:
            e.marks = [(short, f"{named}[^（]*（目标[^，]*，达{{v}}）", "pct")]
            out.append(e)
        e = diff_entry("reserves", record, "target", "quantity", expected=fr["缺口"], digits=digits,
                       column="缺口", figure=f"{fr['储备点']}{fr['物资']}缺口", **place)  # fmt: skip
        if e is not None:
            e.marks = [(scope, f"{says}[^）]*?缺口{{v}}", "")]
            out.append(e)
    return out


def plantask_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Per outline section: how many of its 规划任务 there are and how many are reported 已完成,
    序时推进, 滞后, 未启动 — the section's "规划确定的N项重点任务中，已完成X项…" (placed under the
    section's own heading)."""
    from planeval.chapters.plantasks import STATUS_ORDER
    from planeval.outline import read_outline

    tasks = pack.get("tasks")
    if tasks is None or tasks.empty:
        return []
    titles = {sec.id: sec.title for sec in read_outline(pack.root).walk()}
    out: list[Entry] = []
    groups = [(None, OVERVIEW_HEAD, tasks)]  # every task: 总体评价's sentence
    for sid in dict.fromkeys(str(x) for x in tasks["section"]):
        if sid in titles:
            groups.append((sid, titles[sid], tasks[tasks["section"].astype(str) == sid]))
    for sid, title, rows in groups:
        head, opens = f"§{re.escape(title)}$", "规划确定的"
        cells = [("合计", rows, {}, f"{opens}{{v}}项重点任务中")]
        for st in STATUS_ORDER:
            sub = rows[rows["status"].astype(str) == st]
            cells.append((st, sub, {"状态": [st]}, f"{opens}[\\d,]+项重点任务中[^。]*?{st}{{v}}项"))
        where = "" if sid is None else f"所属章节为{sid}"
        for column, sub, extra, phrase in cells:
            if sid is not None:
                extra = {"所属章节": [sid], **extra}
            e = rows_entry(
                pack, "tasks", sub, kind="count", expected=float(len(sub)),
                show=["section", "task", "status"], filters={"列": extra} if extra else {},
                date_col="id", row=title, column=column, caption="", section=title,
                figure=f"{'' if sid is None else title}规划任务{'' if column == '合计' else column}数",
                formula=f"规划任务台账中{where}{'、' if where and column != '合计' else ''}"
                + ("" if column == "合计" else f"状态为{column}") + "的任务数",
            )  # fmt: skip
            if e is not None:
                e.marks = [(head, phrase, "")]
                out.append(e)
    return out


_QUOTED = re.compile(r"(?<![\d.,])\d+(?:\.\d+)?(?![\d.,])")
QUOTE_AROUND = 4  # characters of the ledger's words on each side that must be printed with it


def quoted_entries(pack: DataPack, period: Period) -> list[Entry]:
    """The numbers a lead department's 进展情况 gives (规划任务 ledger), printed with its words
    ("新建地质灾害普适型监测点42处"): each is the ledger cell's own number, placed in the task's
    paragraph where the same words surround it."""
    tasks = pack.get("tasks")
    if tasks is None or tasks.empty or "progress_note" not in tasks:
        return []
    out: list[Entry] = []
    for record in tasks.to_dict("records"):
        note, task = record.get("progress_note"), record.get("task")
        if not isinstance(note, str) or not isinstance(task, str) or not task.strip():
            continue
        for m in _QUOTED.finditer(note):
            token = m.group(0)
            before = note[max(0, m.start() - QUOTE_AROUND) : m.start()]
            after = note[m.end() : m.end() + QUOTE_AROUND]
            if re.search(r"\d", before + after) or re.fullmatch(r"(?:19|20)\d\d", token):
                continue  # part of a date or of a longer figure: not a figure of its own
            digits = len(token.split(".")[1]) if "." in token else 0
            e = _entry(
                float(token), digits, formula="规划任务台账该任务“进展情况”所写的数（牵头单位报告）",
                computed={"kind": "quoted", "field": "进展情况", "token": token,
                          "expression": token},
                filters={"编号": str(record.get("id"))},
                sources=[source_row(record, "tasks", ["id", "task", "progress_note"])],
                row=task, column="进展情况", caption="", section="规划任务",
                figure=f"{task}：{before}{token}{after}",
            )  # fmt: skip
            e.marks = [(re.escape(task.strip()), f"{re.escape(before)}{{v}}{re.escape(after)}", "")]
            out.append(e)
    return out


DELAYED_TABLE = "进度滞后、未按期开工或难以按期完工的项目"


def _delayed_copy(e: Entry, name: str, delayed: set[str]) -> list[Entry]:
    """The same figure in 表 进度滞后、未按期开工或难以按期完工的项目 (its row: the project)."""
    if name not in delayed:
        return []
    return [dataclasses.replace(e, row=name, caption=DELAYED_TABLE, marks=[])]


def project_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Each project's 计划投资, 已完成投资, 投资完成率 (the one over the other) and 形象进度 (its
    own ledger row), as the table and the project's sentence print them; per 类别, the sums of
    计划投资 and 已完成投资 its opening sentence gives."""
    from planeval.chapters.projects.compute import ledger_table
    from planeval.chapters.projects.tables import delayed_table, display_table

    proj = pack.projects
    if proj is None or proj.empty:
        return []
    table = ledger_table(pack, period)
    shown = display_table(table)
    delayed = set(delayed_table(table)["项目"].astype(str)) if len(table) else set()
    by_name = {str(r["name"]): r for r in proj.to_dict("records")}
    figures = {str(r["name"]): r for r in table.to_dict("records")}
    out: list[Entry] = []
    for label, name in zip(row_labels(list(shown["类别"])), shown["项目"], strict=True):
        record, fig = by_name.get(str(name)), figures.get(str(name))
        if record is None or fig is None:
            continue
        head = f"§（\\d+）{re.escape(str(name))}$"  # the project's own heading
        named = f"^“{re.escape(str(name))}”"  # its finding in 二、存在的主要问题
        place = dict(row=label, caption=PROJECT_TABLE, section="重大工程", key={"名称": str(name)})
        for field, column, phrase in (
            ("planned_investment", "计划投资(万元)", "计划投资{v}"),
            ("completed_investment", "已完成投资(万元)", "已完成{v}（"),
        ):
            e = given_entry("projects", record, field, digits=2, column=column,
                            figure=f"{name}{column}", **place)  # fmt: skip
            if e is not None:
                e.marks = [(head, phrase, "money"), (named, "计划投资{v}", "money")][
                    : 2 if field == "planned_investment" else 1
                ]
                out.append(e)
        e = given_entry("projects", record, "progress", digits=1, column="形象进度",
                        figure=f"{name}形象进度", scale=0.01, **place)  # fmt: skip
        if e is not None and math.isclose(e.value, float(fig.get("progress") or math.nan)):
            e.marks = [(head, "形象进度{v}", "pct"), (named, "形象进度{v}", "pct")]
            out.append(e)
            out += _delayed_copy(e, str(name), delayed)
        e = ratio_entry("projects", record, "completed_investment", "planned_investment",
                        expected=fig.get("investment_rate"), column="投资完成率",
                        figure=f"{name}投资完成率", **place)  # fmt: skip
        if e is not None:
            e.marks = [(head, "已完成[^（；。]*（{v}）", "pct"), (named, "投资完成率{v}", "pct")]
            out.append(e)
            out += _delayed_copy(e, str(name), delayed)
    out += project_total_entries(pack, proj, table, period)
    for cat in dict.fromkeys(str(c) for c in table["category"]):
        rows = proj[proj["category"].astype(str) == cat]
        opens = "本类工程共"
        for field, phrase in (("planned_investment", "计划投资{v}"),
                              ("completed_investment", "已完成投资{v}")):  # fmt: skip
            zh = {f.name: f.zh for f in LEDGER_BY_KEY["projects"].fields}[field]
            e = rows_entry(
                pack, "projects", rows, kind="sum", expected=float(rows[field].fillna(0).sum()),
                summed=field, show=["name", "category"], filters={"列": {"类别": [cat]}},
                digits=2, date_col="name", row=cat, column=zh, caption="", section="重大工程",
                figure=f"{cat}{zh}合计", formula=f"重大工程台账中类别为{cat}的各项目{zh}之和",
            )  # fmt: skip
            if e is not None:
                e.marks = [(f"§^\\d+\\. {re.escape(cat)}$", f"{opens}[^。]*?{phrase}", "money")]
                out.append(e)
    return out


def project_total_entries(pack, proj: pd.DataFrame, table: pd.DataFrame, period) -> list[Entry]:
    """All projects': how many, 计划总投资, 累计完成投资 and 投资完成率 (the completed investment of
    the projects with a planned one over their planned total), as the chapter's opening
    paragraph and 总体评价 print them."""
    from planeval.chapters.projects.compute import project_summary

    s = project_summary(table, period)
    opens = "规划确定的重大工程项目共"
    place = dict(row="全部项目", caption="", section="重大工程", date_col="name",
                 show=["name", "planned_investment", "completed_investment"], filters={})  # fmt: skip
    out: list[Entry] = []
    for kind, summed, expected, column, marks, formula in (
        ("count", None, s["count"], "项目数",
         [(opens, opens + "{v}个", ""), (OVERVIEW, "规划确定的{v}个重大工程项目", "")],
         "重大工程台账的项目行数"),
        ("sum", "planned_investment", s["planned_investment"], "计划总投资",
         [(opens, "计划总投资{v}", "money")], "重大工程台账各项目计划投资之和"),
        ("sum", "completed_investment", s["completed_investment"], "累计完成投资",
         [(opens, "累计完成投资{v}", "money")], "重大工程台账各项目已完成投资之和"),
    ):  # fmt: skip
        e = rows_entry(pack, "projects", proj, kind=kind, summed=summed, expected=expected,
                       digits=0 if kind == "count" else 2, column=column,
                       figure=f"重大工程{column}", formula=formula, **place)  # fmt: skip
        if e is not None:
            e.marks = marks
            if kind == "sum":  # printed as an amount: 3.17亿元
                e.style, e.printed = "money", printed_as(e.value, 2, "money")
            out.append(e)
    zh = {f.name: f.zh for f in LEDGER_BY_KEY["projects"].fields}
    has_plan = proj["planned_investment"].fillna(0) > 0
    rated = proj[has_plan]
    num = float(rated["completed_investment"].fillna(0).sum())
    den = float(rated["planned_investment"].fillna(0).sum())
    rate = s["investment_rate"]
    if den > 0 and rate == rate and math.isclose(num / den, rate, rel_tol=1e-9):
        e = _entry(
            num / den, 1, "pct", section="重大工程", row="全部项目", column="投资完成率",
            figure="重大工程投资完成率", caption="",
            formula="计划投资大于0的项目：已完成投资之和 ÷ 计划投资之和（计划投资为0或未填的项目不计入）",
            computed={"kind": "sum_ratio", "date_field": zh["name"], "numerator": num,
                      "denominator": den, "numerator_fields": [zh["completed_investment"]],
                      "denominator_fields": [zh["planned_investment"]],
                      "expression": f"{num:g} ÷ {den:g} = {num / den:.6g}"},
            filters={"计划投资大于0": True},
            pending=(rated, "projects", ["name", "planned_investment", "completed_investment"]),
        )  # fmt: skip
        e.marks = [
            (opens, "投资完成率{v}", "pct"),
            (OVERVIEW, "重大工程项目[^；。]*?投资完成率{v}", "pct"),
        ]
        out.append(e)
    return out


def table_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Every entry of this module, in report order."""
    out: list[Entry] = []
    for make in (risk_entries, campaign_entries, campaign_check_entries, disaster_entries,
                 hazard_type_entries, team_entries, plan_entries, drill_entries,
                 reserve_entries, outreach_entries, project_entries,
                 plantask_entries, quoted_entries, benchmark_entries):  # fmt: skip
        out.extend(make(pack, period))
    return out
