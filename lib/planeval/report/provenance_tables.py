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

import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from planeval.data.pack import DataPack
from planeval.data.schema import LEDGER_BY_KEY
from planeval.periods import Period
from planeval.report.exports import row_labels
from planeval.report.provenance_entry import Entry, printed_as, source_row, source_rows

RISK_TABLE = "重点行业领域执法检查和隐患排查治理情况"
YEAR_TABLE = "分年度执法检查和隐患排查治理情况"
CAMPAIGN_TABLE = "安全生产专项整治情况"
DISASTER_TABLE = "自然灾害损失情况"
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
    summed: str | None = None,
    show: Sequence[str] = (),
    filters: dict[str, Any],
    digits: int = 0,
    formula: str,
    **place: str,
) -> Entry | None:
    """One entry made of ``rows`` of ``ledger`` (already filtered as ``filters`` say), or None
    when recomputing from them does not give ``expected`` (the chapter's figure).

    kind: ``count`` (rows), ``sum`` (of ``summed``), ``batches`` (检查次数). ``place``: the
    entry's ``section``, ``row``, ``column``, ``figure`` and ``caption``.
    """
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return None
    date_col = LEDGER_BY_KEY[ledger].date_field
    cols = [c for c in dict.fromkeys([date_col, *show]) if c in rows.columns]
    if kind == "batches":
        from planeval.chapters.risk.compute import count_checks

        value = float(count_checks(rows))
        if "action" in rows and rows["action"].notna().any():  # a sheet without 批次: 1 each
            cols = [*dict.fromkeys([*cols, "action"])]
    elif kind == "sum":
        if summed not in rows:
            return None
        value = float(rows[summed].fillna(0).sum())
        cols = [*cols, summed] if summed not in cols else cols
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
            "numerator": value,
            "numerator_fields": [zh[summed]] if summed else [],
            "expression": f"{value:g}",
        },
        filters=filters,
        sources=source_rows(rows, ledger, cols),
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
    date_col = LEDGER_BY_KEY[ledger].date_field
    cols = [c for c in dict.fromkeys([date_col, *show]) if c in rows.columns]
    return _entry(
        num / den,
        1,
        "pct",
        formula=formula,
        computed={
            "kind": "share",
            "numerator": float(num),
            "denominator": float(den),
            "numerator_filters": hit_filters,
            "expression": f"{num} ÷ {den} = {num / den:.6g}",
        },
        filters=filters,
        sources=source_rows(rows, ledger, cols),
        **place,
    )


def given_entry(
    ledger: str, record: dict, field: str, *, digits: int, key: dict[str, Any], **place: str
) -> Entry | None:
    """One value copied from one ledger row (``record``: the pack's row with its place in the
    file); ``place`` as for :func:`rows_entry`."""
    v = record.get(field)
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    zh = {f.name: f.zh for f in LEDGER_BY_KEY[ledger].fields}
    value = float(v)
    return _entry(
        value,
        digits,
        formula=f"{LEDGER_BY_KEY[ledger].zh}台账该行填报的{zh[field]}",
        computed={"kind": "given", "field": zh[field], "expression": f"{value:g}"},
        filters=key,
        sources=[source_row(record, ledger, [*_key_fields(ledger, key), field])],
        **place,
    )


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
    memo = {} if memo is None else memo  # the flagged hazards of a period, computed once
    if kind in ("flow", "late", "share"):  # found in the period, flagged at its end
        rows = memo.get(("flags", period))
        if rows is None:
            rows = memo[("flags", period)] = hazard_flags(df, period)
        if kind == "flow":
            rows = rows[rows["rectified"]]
        elif kind == "late":
            rows = rows[rows["overdue_fixed"]]
            filters["整改晚于期限"] = True
        if kind != "share":
            filters["整改完成日期至"] = end
        show += ["fixed", "deadline"]
    elif kind in ("open", "overdue"):  # a stock: every hazard found up to the end, open then
        rows = memo.get(("stock", period.end))
        if rows is None:
            rows = memo[("stock", period.end)] = hazard_stock(df, period.end)
        rows = rows[rows["open" if kind == "open" else "overdue_open"]]
        first = pd.to_datetime(df["found"]).min()
        if pd.isna(first):
            return None
        filters = {"期间": f"{first.date().isoformat()}..{end}", "期末未整改": end}
        if kind == "overdue":
            filters["整改期限早于"] = end
        show += ["fixed", "deadline"]
    else:
        rows = ledger_rows(pack, ledger, period.start, period.end)
    if sectors is not None:
        rows = rows[rows["sector"].isin(sectors)]
        filters["行业领域"] = list(sectors)
        show.append("sector")
    if filt is not None:
        rows = rows[rows[filt[0]].isin(filt[1])]
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
                + ("记录数" if kind == "count" else f"{zh[summed]}之和"),
                caption=caption, section=section,
            )  # fmt: skip
            if e is not None:
                e.marks = _slice_marks(phrases or {}, column, label)
                out.append(e)
    return out


DRILL_PHRASES: Phrases = {
    "合计(次)": [("共组织开展应急演练", "共组织开展应急演练{v}次", ""),
                ("分年度看，", "{y}开展{v}次", "")],
    "参演人数(人)": [("共组织开展应急演练", "参演{v}人次", "")],
    "桌面推演": [("共组织开展应急演练", "其中桌面推演{v}次", "")],
    "实战": [("共组织开展应急演练", "实战演练{v}次", ""),
             ("分年度看，", "{y}开展[\\d,]+次（实战{v}次", "")],
    "双盲": [("共组织开展应急演练", "无脚本“双盲”演练{v}次", ""),
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
            "loss": "直接经济损失(万元)"}  # fmt: skip
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
}  # fmt: skip


def project_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Each project's 计划投资 and 已完成投资 (万元), its own ledger row."""
    from planeval.chapters.projects.compute import ledger_table
    from planeval.chapters.projects.tables import display_table

    proj = pack.projects
    if proj is None or proj.empty:
        return []
    shown = display_table(ledger_table(pack, period))
    by_name = {str(r["name"]): r for r in proj.to_dict("records")}
    out: list[Entry] = []
    for label, name in zip(row_labels(list(shown["类别"])), shown["项目"], strict=True):
        record = by_name.get(str(name))
        if record is None:
            continue
        for field, column in (("planned_investment", "计划投资(万元)"),
                              ("completed_investment", "已完成投资(万元)")):  # fmt: skip
            e = given_entry(
                "projects", record, field, digits=2, row=label, column=column,
                figure=f"{name}{column}", caption=PROJECT_TABLE, section="重大工程",
                key={"名称": str(name)},
            )  # fmt: skip
            if e is not None:
                out.append(e)
    return out


def table_entries(pack: DataPack, period: Period) -> list[Entry]:
    """Every entry of this module, in report order."""
    out: list[Entry] = []
    for make in (risk_entries, campaign_entries, campaign_check_entries, disaster_entries, drill_entries,
                 outreach_entries, project_entries):  # fmt: skip
        out.extend(make(pack, period))
    return out
