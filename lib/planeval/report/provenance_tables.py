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
from collections.abc import Sequence
from typing import Any

import pandas as pd

from planeval.data.pack import DataPack
from planeval.data.schema import LEDGER_BY_KEY
from planeval.narrative.phrasing import fmt_value
from planeval.periods import Period
from planeval.report.exports import row_labels
from planeval.report.provenance_entry import Entry, source_row

RISK_TABLE = "重点行业领域执法检查和隐患排查治理情况"
YEAR_TABLE = "分年度执法检查和隐患排查治理情况"
CAMPAIGN_TABLE = "安全生产专项整治情况"
DISASTER_TABLE = "自然灾害损失情况"
DRILL_TABLE = "应急演练情况"
OUTREACH_TABLE = "安全培训、宣传和志愿服务情况"
PROJECT_TABLE = "重大工程项目进展情况"

# column key → (ledger, kind, summed field, filter (column, values) or None, digits, words)
RISK_COLUMNS: dict[str, tuple[str, str, str | None, tuple[str, tuple[str, ...]] | None, int, str]]
RISK_COLUMNS = {
    "checks": ("inspections", "batches", None, None, 0,
               "执法检查台账中检查日期在评估期内的检查次数：不同检查批次数，加上未填批次的检查记录数"),
    "units": ("inspections", "count", None, None, 0,
              "执法检查台账中检查日期在评估期内的检查记录数（一条记录为一家次）"),
    "found": ("hazards", "count", None, None, 0, "隐患台账中发现日期在评估期内的隐患数"),
    "major": ("hazards", "count", None, ("level", ("重大",)), 0,
              "隐患台账中发现日期在评估期内、等级为重大的隐患数"),
    "rectified": ("hazards", "rectified", None, None, 0,
                  "隐患台账中发现日期在评估期内、整改完成日期不晚于评估期末的隐患数"),
    "open": ("hazards", "open", None, None, 0,
             "隐患台账中发现日期不晚于期末、期末尚未整改（整改完成日期为空或晚于期末）的隐患数"),
    "overdue_open": ("hazards", "overdue", None, None, 0,
                     "隐患台账中发现日期不晚于期末、期末尚未整改且整改期限早于期末的隐患数"),
    "documents": ("inspections", "sum", "documents", None, 0,
                  "执法检查台账中检查日期在评估期内的执法文书份数之和"),
    "penalties": ("inspections", "sum", "penalties", None, 0,
                  "执法检查台账中检查日期在评估期内的行政处罚起数之和"),
    "fines": ("inspections", "sum", "fines", None, 2,
              "执法检查台账中检查日期在评估期内的罚款（万元）之和"),
}  # fmt: skip


def _span(p: Period) -> str:
    return f"{p.start.isoformat()}..{p.end.isoformat()}"


def _entry(value: float, digits: int, **fields: Any) -> Entry:
    """An entry (numbered later by :func:`planeval.report.provenance.build`) of ``value``,
    printed at ``digits``."""
    return Entry(id="", table="", printed=fmt_value(value, digits), value=value, digits=digits,
                 **fields)  # fmt: skip


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
        sources=[source_row(r, ledger, cols) for r in rows.to_dict("records")],
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
def _risk_cell(pack, label, col, figures, period, sectors, caption, section) -> Entry | None:
    from planeval.chapters.risk import SUMMARY_ZH

    ledger, kind, summed, filt, digits, words = RISK_COLUMNS[col]
    df = getattr(pack, ledger)
    if df is None or col not in figures:
        return None
    from planeval.indicators.formulas import ledger_rows

    show: list[str] = []
    if kind in ("rectified", "open", "overdue"):  # the chapter's own flags pick the rows
        from planeval.chapters.risk.compute import hazard_flags, hazard_stock

        if kind == "rectified":  # found in the period, rectified by its end
            rows = hazard_flags(df, period)
            rows = rows[rows["rectified"]]
            filters: dict[str, Any] = {"期间": _span(period)}
            filters["整改完成日期至"] = period.end.isoformat()
        else:  # a stock: every hazard found up to the period end, open then (and overdue)
            rows = hazard_stock(df, period.end)
            rows = rows[rows["open" if kind == "open" else "overdue_open"]]
            first = pd.to_datetime(df["found"]).min()
            if pd.isna(first):
                return None
            filters = {"期间": f"{first.date().isoformat()}..{period.end.isoformat()}"}
            filters["期末未整改"] = period.end.isoformat()
            if kind == "overdue":
                filters["整改期限早于"] = period.end.isoformat()
        show += ["fixed", "deadline"]
        kind = "count"
    else:
        rows = ledger_rows(pack, ledger, period.start, period.end)
        filters = {"期间": _span(period)}
    if sectors is not None:
        rows = rows[rows["sector"].isin(sectors)]
        filters["行业领域"] = list(sectors)
        show.append("sector")
    if filt is not None:
        rows = rows[rows[filt[0]].isin(filt[1])]
        filters["等级"] = list(filt[1])
        show.append(filt[0])
    zh_col = SUMMARY_ZH.get(col, "已整改" if col == "rectified" else col)
    return rows_entry(
        pack, ledger, rows, kind=kind, expected=figures[col], summed=summed, show=show,
        filters=filters, digits=digits, row=str(label), column=zh_col,
        figure=f"{label}{zh_col}（{period.label}）",
        formula=words + ("" if sectors is None else f"（{label}）"),
        caption=caption, section=section,
    )  # fmt: skip


def risk_entries(pack: DataPack, period: Period) -> list[Entry]:
    """The sector table (per shown sector and 合计) and the year table (per slice)."""
    from planeval.chapters.risk import TOTAL, summarise, summary_frame

    res = summarise(pack, period)
    if not res.any_data:
        return []
    out: list[Entry] = []
    section = "提升风险管控能力"
    frame = summary_frame(res)
    full = res.sectors.loc[[i for i in frame.index if i != TOTAL]]
    for label in frame.index:
        sectors = None if label == TOTAL else (str(label),)
        figs = res.totals if label == TOTAL else full.loc[label]
        for col in RISK_COLUMNS:
            e = _risk_cell(pack, label, col, figs, period, sectors, RISK_TABLE, section)
            if e is not None:
                out.append(e)
    for y in res.years:
        for r in ([y.compare] if y.compare else []) + [y]:
            label = r.label + ("（同比基数）" if r is y.compare else "")
            for col in RISK_COLUMNS:
                e = _risk_cell(pack, label, col, r.totals, r.period, None, YEAR_TABLE, section)
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
                out.append(e)
    return out


def _slice_entries(
    pack, ledger, frame, period, *, label_col, cells, caption, section, what
) -> list[Entry]:
    """Per year slice (and 合计) of a by-year frame: each cell of ``cells`` (column → kind,
    summed field, column filter (field, value) or None) recomputed from the rows."""
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
                out.append(e)
    return out


def drill_entries(pack: DataPack, period: Period) -> list[Entry]:
    from planeval import vocab
    from planeval.chapters.rescue import drills_by_year

    cells = {f: ("count", None, ("form", f)) for f in vocab.DRILL_FORMS}
    cells |= {"合计(次)": ("count", None, None), "参演人数(人)": ("sum", "participants", None)}
    return _slice_entries(
        pack, "drills", drills_by_year(pack.drills, period), period, label_col="年度",
        cells=cells, caption=DRILL_TABLE, section="强化应急救援能力", what="应急演练",
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
    )  # fmt: skip


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
    )  # fmt: skip


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
    for make in (risk_entries, campaign_entries, disaster_entries, drill_entries,
                 outreach_entries, project_entries):  # fmt: skip
        out.extend(make(pack, period))
    return out
