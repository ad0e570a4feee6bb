"""提升风险管控能力 — narrative: paragraphs, sector sections, the method note, the analyst note's fields."""

from __future__ import annotations

import pandas as pd

from planeval import vocab
from planeval.chapters.risk.compute import (
    LEDGER_ZH,
    RiskResult,
    below_benchmark,
    benchmark_label,
    benchmark_scope,
)
from planeval.narrative.phrasing import (
    change_phrase,
    fmt_date,
    fmt_year_month,
)
from planeval.narrative.render import Narrative, render

# ----------------------------------------------------------------------------- narrative
_MEASURE_WORDS = (
    (("自建房", "房屋", "楼", "建筑"), "栋"),
    (("门店", "用户", "餐饮", "住户", "户"), "户"),
    (("场所", "隐患点", "点位"), "处"),
    (("渔船", "船舶", "船"), "艘"),
    (("设施", "设备", "装置", "除尘器"), "个"),
)


def measure_word(obj: str) -> str:
    """The measure word for a campaign's 对象类型: 栋 for buildings, 户 for shops, else 家.

    Examples
    --------
    >>> measure_word("高层公共建筑"), measure_word("餐饮门店"), measure_word("皮带机企业")
    ('栋', '户', '家')
    """
    s = str(obj)
    for keys, w in _MEASURE_WORDS:
        if any(k in s for k in keys):
            return w
    return "家"


def _as_dict(s: pd.Series) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in s.items()}


def figure_text(value: float) -> str:
    """A 工作成果 value as printed: 1260 → ``1260``, 88.5 → ``88.5``.

    >>> figure_text(1260.0), figure_text(88.5), figure_text(0.125)
    ('1260', '88.5', '0.13')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def result_text(r) -> str:
    """One 工作成果 as a phrase: ``收缴非法成品汽油1260升``; a rate with its date,
    ``交通违法处理率88%（截至2023年6月30日）``."""
    text = f"{r['measure']}{figure_text(r['value'])}{r['unit']}"
    if r["rate"] and pd.notna(r["as_of"]):
        text += f"（截至{fmt_date(r['as_of'])}）"
    return text


def _results_of(res: RiskResult, sector: str, campaign: str | None) -> list[str]:
    r = res.results
    if r is None or not len(r):
        return []
    m = r["sector"] == sector
    m &= (r["campaign"] == campaign) if campaign is not None else True
    return [result_text(x) for _, x in r[m].iterrows()]


def _campaign_ctx(c: pd.DataFrame, res: RiskResult | None = None) -> list[dict]:
    """One dict per campaign of a sector (its rows, one per 对象类型, taken together), with
    the inspections tagged with it (``checks``) and its 工作成果 (``results``)."""
    out = []
    for name, g in c.groupby("campaign", sort=False):
        start = pd.Timestamp(g["start"].min())
        sector = str(g["sector"].iloc[0])
        checks = None
        if res is not None and len(res.campaign_checks):
            key = (str(name), sector)
            if key in res.campaign_checks.index:
                checks = _as_dict(res.campaign_checks.loc[key])
        out.append(
            {
                "name": str(name),
                "objects": [
                    {
                        "object": str(r.object),
                        "mw": measure_word(r.object),
                        "surveyed": r.surveyed,
                        "filed": r.filed,
                    }
                    for r in g.itertuples(index=False)
                ],
                "object": str(g["object"].iloc[0]),
                "mw": measure_word(g["object"].iloc[0]),
                "surveyed": g["surveyed"].sum(),
                "filed": g["filed"].sum(),
                "hazards": g["hazards"].sum(),
                "fixed": g["fixed"].sum(),
                "start_label": fmt_year_month(start),
                "ongoing": bool(g["ongoing"].any()),
                "checks": checks,
                "results": _results_of(res, sector, str(name)) if res is not None else [],
            }
        )
    return out


def _other_results(res: RiskResult, sector: str, shown: list[str]) -> list[str]:
    """A sector's 工作成果 not printed with one of its campaigns (no 专项行动, or one not
    counted in the period)."""
    r = res.results
    if r is None or not len(r):
        return []
    m = (r["sector"] == sector) & ~r["campaign"].isin(shown)
    return [
        (f"{x['campaign']}中" if x["campaign"] else "") + result_text(x) for _, x in r[m].iterrows()
    ]


def summary_narrative(res: RiskResult) -> Narrative:
    """The chapter's opening paragraph(s): totals, benchmark, weakest sectors, years."""
    s = res.sectors.loc[res.shown_sectors()]
    rated = s[(s["found"].fillna(0) > 0) & (s["rate"] < res.totals["rate"])].sort_values(
        "rate", kind="stable"
    )
    below = s[(s["major"].fillna(0) > 0) & below_benchmark(s["major_rate"], res.benchmark)]
    years = []
    for y in res.years:
        d = {"label": y.label, "t": _as_dict(y.totals), "partial": y.partial, "compare": None}
        if y.compare is not None:
            ct = y.compare.totals
            d["compare"] = {
                "label": y.compare.label,
                "t": _as_dict(ct),
                "found_change": change_phrase(y.totals["found"], ct["found"], "项"),
                "units_change": change_phrase(y.totals["units"], ct["units"], "家次"),
            }
        years.append(d)
    return render(
        "risk/summary.md.j2",
        label=res.period.label,
        county=res.county,
        has=res.available,
        t=_as_dict(res.totals),
        n_campaigns=res.campaigns["campaign"].nunique() if len(res.campaigns) else 0,
        experts=int(res.experts.sum()) if res.available["inspections"] else None,
        benchmark=res.benchmark,
        scope=benchmark_scope(res.benchmark),
        lowest=[{"sector": k, "rate": v} for k, v in rated["rate"].items()],
        below=[{"sector": k, "rate": v} for k, v in below["major_rate"].items()],
        years=years,
        end_label=fmt_date(res.period.end),
    )


def sector_sections(res: RiskResult) -> list[tuple[str, Narrative]]:
    """One (heading, paragraph) per shown sector: ``（1）工贸行业`` … in SECTORS order."""
    out = []
    for i, sec in enumerate(res.shown_sectors(), 1):
        f = _as_dict(res.sectors.loc[sec])
        camps = _campaign_ctx(res.campaigns[res.campaigns["sector"] == sec], res)
        others = _other_results(res, sec, [c["name"] for c in camps])
        has_rows = any((f.get(c) or 0) > 0 for c in ("units", "found")) or bool(camps or others)
        text = render(
            "risk/sector.md.j2",
            label=res.period.label,
            sector=sec,
            f=f,
            has=res.available,
            has_rows=has_rows,
            ledgers="、".join(f"“{LEDGER_ZH[k]}”" for k, v in res.available.items() if v),
            ledgers_nocampaign="、".join(
                f"“{LEDGER_ZH[k]}”" for k, v in res.available.items() if v and k != "campaigns"
            ),
            campaigns=camps,
            others=others,
            experts=None if pd.isna(res.experts.get(sec, float("nan"))) else int(res.experts[sec]),
            benchmark=res.benchmark,
            scope=benchmark_scope(res.benchmark),
            end_label=fmt_date(res.period.end),
        )
        out.append((f"（{i}）{sec}", text))
    return out


def sector_blocks(res: RiskResult) -> list[tuple[str, str, Narrative]]:
    """:func:`sector_sections` as outline blocks: ``("risk.sector:<领域>", "（1）<领域>", text)``."""
    return [
        (f"risk.sector:{sec}", title, text)
        for sec, (title, text) in zip(res.shown_sectors(), sector_sections(res), strict=True)
    ]


def method_note(res: RiskResult) -> Narrative:
    """The method note: numerators and denominators, the overdue rule, the campaign rule."""
    co = res.carried_over
    return render(
        "risk/method.md.j2",
        label=res.period.label,
        n_years=len(res.years),
        end_label=fmt_date(res.period.end),
        benchmark=res.benchmark,
        benchmark_label=benchmark_label(res.benchmark),
        missing=res.missing,
        partial=[{"label": y.label, "compare": y.compare.label} for y in res.years if y.compare],
        carried_over=[
            {
                "name": r.campaign,
                "sector": r.sector,
                "start": fmt_year_month(r.start),
            }
            for r in co.itertuples(index=False)
        ],
    )


def missing_notice(res: RiskResult) -> str | None:
    """One-line Chinese notice for ledgers absent from the pack, or None when all are there."""
    if not res.missing:
        return None
    if not res.any_data:
        return "数据包中没有“执法检查”“隐患”“专项整治”台账，无法统计重点行业领域风险管控情况，本节从略。"
    names = "、".join(f"“{m}”" for m in res.missing)
    return f"数据包中没有{names}台账，本节相应数字从略（表中以“—”表示）。"


def note_fields(res: RiskResult) -> dict:
    """Fields an analyst's note (``notes/risk.md``) may use: ``{{ found|int }}``, ``{{ rate|pct }}``,
    ``{{ sectors["工贸行业"].found|int }}``, ``{{ label }}``, ``{{ county }}``, ``{{ benchmark|pct }}``.

    The top-level figures are the totals (every name of FIGURE_COLS); unknown figures are None.
    """
    return {
        **_as_dict(res.totals),
        "label": res.period.label,
        "county": res.county,
        "benchmark": res.benchmark,
        "sectors": {sec: _as_dict(res.sectors.loc[sec]) for sec in vocab.SECTORS},
    }
