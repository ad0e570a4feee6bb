"""Everything the 一(一) 主要指标进展 notebook shows, computed in one call.

>>> # ch = build(pack, Period.parse("midterm"), "示例县")
>>> # display.table(ch.table, ch.caption, ch.table_note); display.show(ch.overall) …
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planeval.data.pack import DataPack
from planeval.indicators.accidents import (
    AccidentYear,
    MajorAccident,
    accident_years,
    deaths_by_sector,
    deaths_by_type,
    period_accidents,
    severe_in,
)
from planeval.indicators.formulas import SPECS, value_for_slice
from planeval.indicators.model import IndicatorsMetrics
from planeval.indicators.progress import (
    FINAL_WORDING,
    NOT_ASSESSED,
    THRESHOLDS,
    VERDICTS,
    Progress,
    assess_all,
    verdict_words,
)
from planeval.indicators.series import DEFAULT_BASIS, Comparison, latest_level
from planeval.indicators.table import (
    completion_outliers,
    indicator_table,
    table_note,
    target_text,
)
from planeval.narrative.phrasing import fmt_value
from planeval.narrative.render import Narrative, render
from planeval.periods import Period

SECTION_ID = "indicators"

# The overall sentence, chosen by overall_tone() (rule printed in the method note).
TONES: dict[str, str] = {
    "improving": "持续稳定向好",
    "stable": "总体保持稳定、形势依然严峻",
    "severe": "事故有所反弹、形势严峻复杂",
    "unknown": "事故数据不足，暂不作总体判断",
}
LAGGING = ("滞后", "难以完成")


@dataclass(frozen=True)
class Situation:
    """The figures the overall sentence is chosen from."""

    base_year: int
    base_count: float | None
    base_deaths: float | None
    latest_basis: str
    latest_count: float | None
    latest_deaths: float | None
    majors: tuple[MajorAccident, ...]
    major_count: int | None  # 较大以上 in the period (None: unknown)
    lagging: tuple[str, ...]  # names of indicators judged 滞后 / 难以完成
    latest_partial: Comparison | None = None  # the part-year beside a whole-year 现状值 (同比)


def overall_tone(s: Situation) -> str:
    """Key of :data:`TONES` for the situation.

    - ``severe``: a 重大/特别重大 accident in the period, or deaths over the latest 12 months
      (latest year) above the base year;
    - ``improving``: deaths below the base year, accidents not above it, no 较大以上 accident
      in the period and no indicator judged 滞后 or 难以完成;
    - ``unknown``: no 重大 accident known and the base-year or latest deaths are missing (no
      ledger or 年度汇总 total covers them), so nothing supports a judgement;
    - ``stable`` otherwise.
    """
    if severe_in(s.majors):
        return "severe"
    if s.base_deaths is None or s.latest_deaths is None:
        return "unknown"
    if (
        s.base_deaths is not None
        and s.latest_deaths is not None
        and s.latest_deaths > s.base_deaths
    ):
        return "severe"
    if (
        s.base_deaths is not None
        and s.latest_deaths is not None
        and s.latest_deaths < s.base_deaths
        and s.base_count is not None
        and s.latest_count is not None
        and s.latest_count <= s.base_count
        and s.major_count == 0
        and not s.lagging
    ):
        return "improving"
    return "stable"


def _base(progress: list[Progress], pack: DataPack, key: str) -> tuple[int, float | None]:
    for pr in progress:
        if pr.key == key and pr.base_value is not None:
            return pr.base_year, pr.base_value
    base_year = pack.plan.base_year
    v = value_for_slice(pack, SPECS[key], Period.parse(str(base_year), plan=pack.plan))
    return base_year, v.value


def situation(
    pack: DataPack,
    p: Period,
    progress: list[Progress],
    years: list[AccidentYear],
    basis: str = DEFAULT_BASIS,
) -> Situation:
    by, base_deaths = _base(progress, pack, "accident_deaths")
    _, base_count = _base(progress, pack, "accident_count")
    ld = latest_level(pack, "accident_deaths", p, basis)
    lc = latest_level(pack, "accident_count", p, basis)
    majors = tuple(m for y in years for m in y.major)
    counts = [y.major_count for y in years]
    major_count = None if any(c is None for c in counts) else sum(counts)
    return Situation(
        base_year=by,
        base_count=base_count,
        base_deaths=base_deaths,
        latest_basis=ld.basis,
        latest_count=lc.value,
        latest_deaths=ld.value,
        latest_partial=ld.partial,
        majors=majors,
        major_count=major_count,
        lagging=tuple(pr.name for pr in progress if pr.verdict in LAGGING),
    )


@dataclass(frozen=True)
class Chapter:
    """The computed chapter: table, narratives, data for the charts, metrics."""

    period: Period
    county: str
    progress: list[Progress]
    years: list[AccidentYear]
    situation: Situation
    tone: str
    table: pd.DataFrame
    table_note: str
    accidents: pd.DataFrame | None  # the ledger's accidents in the period (None: not covered)
    context: dict[str, Any] = field(default_factory=dict)
    basis: str = DEFAULT_BASIS

    @property
    def caption(self) -> str:
        return (
            f"表1 {self.county}{self.period.plan.quoted}规划主要指标进展情况（{self.period.label}）"
        )

    @property
    def overall(self) -> Narrative:
        return render("indicators/overall.md.j2", **self.context)

    @property
    def paragraphs(self) -> list[Narrative]:
        return [render("indicators/year.md.j2", y=y, county=self.county) for y in self.years]

    @property
    def method(self) -> Narrative:
        return render(
            "indicators/method.md.j2",
            specs=[SPECS[k] for k in dict.fromkeys(pr.key for pr in self.progress)],
            t=THRESHOLDS,
            final_wording=FINAL_WORDING,
            outliers=completion_outliers(self.progress),
            tones=TONES,
            period=self.period,
            basis=self.basis,
        )

    @property
    def by_sector(self) -> pd.DataFrame | None:
        return None if self.accidents is None else deaths_by_sector(self.accidents)

    @property
    def by_type(self) -> pd.DataFrame | None:
        return None if self.accidents is None else deaths_by_type(self.accidents)

    @property
    def metrics(self) -> IndicatorsMetrics:
        return metrics_of(self)


def _total(values) -> float | None:
    vs = [v.value for v in values]
    return None if any(v is None for v in vs) else sum(vs)


def build(pack: DataPack, p: Period | str, county: str = "", basis: str = DEFAULT_BASIS) -> Chapter:
    """Compute the chapter for ``p`` (see :class:`Chapter`).

    ``basis`` is the 现状值 of the decline indicators: ``"year"`` (the latest complete calendar
    year, default) or ``"rolling12"`` (the 12 months to the end of ``p``, an explicit option).
    """
    p = Period.parse(p) if not isinstance(p, Period) else p
    progress = assess_all(pack, p, basis)
    years = accident_years(pack, p)
    sit = situation(pack, p, progress, years, basis)
    tone = overall_tone(sit)
    ctx = {
        "county": county,
        "period_label": p.label,
        "tone": TONES[tone],
        "tone_key": tone,
        "total_count": _total([y.count for y in years]),
        "total_deaths": _total([y.deaths for y in years]),
        "n_years": len(years),
        "major_count": sit.major_count,
        "majors": list(sit.majors),
        "base_year": sit.base_year,
        "base_deaths": sit.base_deaths,
        "latest_basis": sit.latest_basis,
        "latest_deaths": sit.latest_deaths,
        "latest_partial": sit.latest_partial,
        "n_indicators": len(progress),
        "verdict_counts": [
            (v, sum(pr.verdict == v for pr in progress)) for v in (*VERDICTS, NOT_ASSESSED)
        ],
        # the same counts under the words the report uses (final wording at 时序进度 100%)
        "verdict_words": [
            (w, sum(pr.verdict_text == w for pr in progress))
            for w in verdict_words(p.plan_elapsed_share)
        ],
        "indicators": {
            pr.code: {
                "name": pr.name,
                "verdict": pr.verdict,
                "verdict_text": pr.verdict_text,
                "current": fmt_value(pr.current, pr.spec.digits),
                "base": fmt_value(pr.base_value, pr.spec.digits),
                "target": target_text(pr),
                "completion": pr.completion,
                "unit": pr.unit,
            }
            for pr in progress
        },
        "time_share": p.plan_elapsed_share,
    }
    return Chapter(
        period=p,
        county=county,
        progress=progress,
        years=years,
        situation=sit,
        tone=tone,
        table=indicator_table(progress, p),
        table_note=table_note(progress, p),
        accidents=period_accidents(pack, p),
        context=ctx,
        basis=basis,
    )


def metrics_of(ch: Chapter) -> IndicatorsMetrics:
    """The chapter's key figures for ``write_metrics(metrics_dir, "indicators", …)``.

    Shape (JSON)::

        {
          "period": {"start": "2021-01-01", "end": "2023-06-30", "label": "2021年至2023年上半年"},
          "time_share": 0.5,                      # 时序进度
          "tone": "stable", "tone_text": "总体保持稳定、形势依然严峻",
          "indicators": [                         # one per 指标 row, in ledger order
            {"code": "1", "name": "生产安全事故死亡人数", "formula": "accident_deaths",
             "unit": "人", "attribute": "约束性", "digits": 0,
             "target_type": "decline_pct",        # as judged (a zero-base decline → max_value)
             "declared_target_type": "decline_pct",
             "target_text": "下降15%（6.8）",
             "base_year": 2020, "base_value": 8.0,
             "target_value": 6.8,                 # the 2025 level, or the limit / ceiling N
             "target_pct": 15.0,                  # r for decline targets, else null
             "current_value": 5.0,
             "current_basis": "2022年",           # latest complete year (or 近12个月 if chosen)
             "completion": 2.5,                   # ratio, decline targets only, else null
             "time_share": 0.5,
             "path_value": 7.4,                   # decline targets: base × (1 − r·t/5)
             "annual_change_needed": -0.12,       # ratio per year for the years left (null if n/a)
             "needed_rest_average": null,         # limits: average needed in the years left
             "best_annual_change_so_far": -0.25,  # best year-on-year change since the base year
             "verdict": "超额完成", "reason": "",
             "yearly": [{"label": "2021年", "value": 6.0, "source": "生产安全事故台账"}, …]}
          ],
          "verdict_counts": {"超额完成": 1, …, "无法评价": 0},
          "accidents": {"count": 9, "deaths": 11},  # in the period (null when unknown)
          "years": [{"label": "2021年", "count": 4, "deaths": 5, "source": "…",
                     "count_change": -0.2, "deaths_change": null, "compared_with": "2020年",
                     "major_count": 0}],
          "major_accidents": [{"id": "A2022-003", "date": "2022-05-14", "sector": "建筑施工",
                               "type": "坍塌", "deaths": 3, "grade": "较大", "unit": "…"}]
        }
    """
    ind = []
    for pr in ch.progress:
        tl = pr.target_level if pr.target_type == "decline_pct" else pr.target_value
        ind.append(
            {
                "code": pr.code,
                "name": pr.name,
                "formula": pr.key,
                "unit": pr.unit,
                "attribute": pr.attribute,
                "digits": pr.spec.digits,
                "target_type": pr.target_type,
                "declared_target_type": pr.declared_type,
                "target_text": target_text(pr),
                "base_year": pr.base_year,
                "base_value": pr.base_value,
                "target_value": tl,
                "target_pct": pr.target_value if pr.target_type == "decline_pct" else None,
                "current_value": pr.current,
                "current_basis": pr.level.basis,
                "completion": pr.completion,
                "time_share": pr.time_share,
                "path_value": pr.path_value,
                "annual_change_needed": pr.annual_change_needed,
                "needed_rest_average": pr.needed_rest_average,
                "best_annual_change_so_far": pr.best_annual_change,
                "verdict": pr.verdict,
                "verdict_text": pr.verdict_text,
                "reason": pr.reason,
                "yearly": [
                    {"label": v.label, "value": v.value, "source": v.source} for v in pr.yearly
                ],
            }
        )
    years = [
        {
            "label": y.label,
            "count": y.count.value,
            "deaths": y.deaths.value,
            "source": y.source,
            "compared_with": y.count_cmp.previous_label,
            "count_change": y.count_cmp.change,
            "deaths_change": y.deaths_cmp.change,
            "major_count": y.major_count,
        }
        for y in ch.years
    ]
    return IndicatorsMetrics.of(
        {
            "period": {
                "start": ch.period.start.isoformat(),
                "end": ch.period.end.isoformat(),
                "label": ch.period.label,
            },
            "time_share": ch.period.plan_elapsed_share,
            "tone": ch.tone,
            "tone_text": TONES[ch.tone],
            "indicators": ind,
            "verdict_counts": dict(ch.context["verdict_counts"]),
            "accidents": {"count": ch.context["total_count"], "deaths": ch.context["total_deaths"]},
            "years": years,
            "major_accidents": [m.as_dict() for m in ch.situation.majors],
        }
    )


def key_figures(pack: DataPack, p: Period | str, thresholds: Any = None) -> IndicatorsMetrics:
    """The chapter's key figures without the notebook (the registry's ``key_figures``: what the
    findings read when the metrics JSON is absent). ``thresholds`` is not used here."""
    return build(pack, p).metrics
