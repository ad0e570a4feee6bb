"""The chapter registry: one :class:`ChapterSpec` per chapter, read by everything that needs to
know the chapters (in the spirit of papermill's translator registry).

A spec says what the chapter is (id, title, notebook, stage), how its key figures are computed
from the pack for a period (the same function its notebook calls before writing them), which
findings rules read those figures, and the topics its findings are grouped under (with the
heading of 三、下一步工作建议 for each). Read by:

- :mod:`planeval.report.chapters` — a notebook's title and stage come from its spec;
- :mod:`planeval.findings.engine` — which chapters' figures to collect, which rules to run;
- :mod:`planeval.findings.report` — topic names, topic order, suggestion headings, the names of
  skipped chapters in the method note.

Adding a chapter: its notebook, its module(s), its templates, and one ``CHAPTERS.register(...)``
below.

Examples
--------
>>> CHAPTERS.get("risk").title
'1. 提升风险管控能力'
>>> [s.id for s in CHAPTERS if s.stage == 2]
['overview', 'problems', 'suggestions', 'adjustments']
>>> CHAPTERS.topic_of_kind("sector-overdue").name
'风险隐患排查治理'
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planeval.chapters import disasters, projects, rescue, reserves, risk, society
from planeval.findings import rules
from planeval.findings.rules import Rule
from planeval.indicators import chapter as indicators
from planeval.indicators.model import IndicatorsMetrics
from planeval.metrics import ChapterMetrics
from planeval.narrative.render import add_template_dir

# (pack, period, thresholds) -> the chapter's key figures
KeyFigures = Callable[..., ChapterMetrics]


@dataclass(frozen=True)
class Topic:
    """A group of findings in 二、存在的主要问题 and 三、下一步工作建议.

    Attributes
    ----------
    id : ``"risk"``.
    name : the problems heading, ``风险隐患排查治理`` (shown as ``（二）风险隐患排查治理方面``).
    heading : the suggestions heading (what to do, not the topic's name).
    kinds : the finding kinds of this topic, in the order their suggestions are written; each has
        ``findings/<kind>.md.j2`` and ``suggestions/<kind>.md.j2``.
    """

    id: str
    name: str
    heading: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter.

    Attributes
    ----------
    id : the chapter id (metrics file ``<id>.json``, notes ``notes/<id>.md``, ``--chapters``).
    title : the title as the report shows it (and the failure placeholder).
    notebook : the notebook's file name in ``notebooks/``.
    stage : 1, or 2 for chapters that read the findings (run after all of stage 1).
    name : how the findings method note names the chapter (``提升风险管控能力``).
    key_figures : ``(pack, period, thresholds) -> metrics`` — the chapter's key figures (what
        its notebook writes as ``<id>.json``); None for a chapter that has none.
    metrics : the model of those figures (a :class:`~planeval.metrics.ChapterMetrics`),
        shared by the producer and the rules; its JSON Schema is written beside the JSON.
    rules : the findings rules that read those figures.
    topics : the topics its findings are grouped under.
    stale : ``(figures, thresholds) -> bool`` — True when a metrics file was written with other
        thresholds than the run's (it is then recomputed).
    templates : an extra template folder (narrative, findings, suggestions) for a chapter that
        lives outside the package.
    """

    id: str
    title: str
    notebook: str
    stage: int = 1
    name: str = ""
    key_figures: KeyFigures | None = None
    metrics: type[ChapterMetrics] | None = None
    rules: tuple[Rule, ...] = ()
    topics: tuple[Topic, ...] = ()
    stale: Callable[[Any, Any], bool] | None = None
    templates: Path | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """:attr:`name`, or the title when the spec gives no name."""
        return self.name or self.title


class ChapterRegistry:
    """The chapters in report order (registration order)."""

    def __init__(self) -> None:
        self._specs: dict[str, ChapterSpec] = {}

    def register(self, spec: ChapterSpec) -> ChapterSpec:
        """Add a chapter; raises ValueError for a duplicate id, notebook or finding kind."""
        if spec.id in self._specs:
            raise ValueError(f"chapter {spec.id!r} is already registered")
        if spec.stage not in (1, 2):
            raise ValueError(f"chapter {spec.id!r}: stage must be 1 or 2, not {spec.stage!r}")
        if any(s.notebook == spec.notebook for s in self._specs.values()):
            raise ValueError(f"notebook {spec.notebook!r} is already registered")
        known = set(self.kinds())
        dup = [k for t in spec.topics for k in t.kinds if k in known]
        if dup:
            raise ValueError(f"chapter {spec.id!r}: finding kinds already registered: {dup}")
        if (spec.key_figures is None) != (spec.metrics is None):
            raise ValueError(f"chapter {spec.id!r}: key_figures and metrics go together")
        if spec.templates is not None:
            add_template_dir(spec.templates)
        self._specs[spec.id] = spec
        return spec

    def unregister(self, cid: str) -> None:
        self._specs.pop(cid, None)

    @contextlib.contextmanager
    def registered(self, spec: ChapterSpec) -> Iterator[ChapterSpec]:
        """Register ``spec`` for the duration of a ``with`` block (tests, experiments)."""
        self.register(spec)
        try:
            yield spec
        finally:
            self.unregister(spec.id)

    @contextlib.contextmanager
    def overridden(self, cid: str, **changes: Any) -> Iterator[ChapterSpec]:
        """Replace fields of chapter ``cid``'s spec for a ``with`` block (tests: a broken rule)."""
        old = self._specs[cid]
        self._specs[cid] = replace(old, **changes)
        try:
            yield self._specs[cid]
        finally:
            self._specs[cid] = old

    def __iter__(self) -> Iterator[ChapterSpec]:
        return iter(list(self._specs.values()))

    def __contains__(self, cid: object) -> bool:
        return cid in self._specs

    def __len__(self) -> int:
        return len(self._specs)

    def get(self, cid: str) -> ChapterSpec:
        """The spec of chapter ``cid`` (KeyError when none is registered)."""
        return self._specs[cid]

    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self)

    def with_figures(self) -> tuple[ChapterSpec, ...]:
        """The chapters that have key figures (what the findings collect), in report order."""
        return tuple(s for s in self if s.key_figures is not None)

    def with_rules(self) -> tuple[ChapterSpec, ...]:
        return tuple(s for s in self if s.rules)

    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in report order (the order of the problems and suggestions sections)."""
        return tuple(t for s in self for t in s.topics)

    def kinds(self) -> tuple[str, ...]:
        """Every finding kind, topic by topic (the order findings are sorted in)."""
        return tuple(k for t in self.topics() for k in t.kinds)

    def topic(self, tid: str) -> Topic:
        return next(t for t in self.topics() if t.id == tid)

    def topic_of_kind(self, kind: str) -> Topic:
        """The topic a finding kind belongs to (KeyError for an unknown kind)."""
        for t in self.topics():
            if kind in t.kinds:
                return t
        raise KeyError(f"unknown finding kind {kind!r}")


CHAPTERS = ChapterRegistry()

# --------------------------------------------------------------------------- the chapters
# In report order (the notebooks' file-name order). Stage-2 chapters read the findings computed
# from the stage-1 chapters' key figures.
CHAPTERS.register(
    ChapterSpec(id="overview", title="总体评价", notebook="00_overview.ipynb", stage=2)
)
CHAPTERS.register(
    ChapterSpec(
        id="indicators",
        title="（一）主要指标进展",
        notebook="11_indicators.ipynb",
        name="一、（一）主要指标进展",
        key_figures=indicators.key_figures,
        metrics=IndicatorsMetrics,
        rules=(rules.rule_indicators, rules.rule_major_accidents),
        topics=(
            Topic(
                "indicators",
                "主要指标进展",
                "紧盯主要指标，确保规划目标实现",
                ("indicator-unlikely", "indicator-lagging"),
            ),
            Topic(
                "accidents",
                "生产安全事故防范",
                "深刻吸取事故教训，坚决遏制较大以上事故",
                ("major-accident",),
            ),
        ),
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="risk",
        title="1. 提升风险管控能力",
        notebook="12_risk.ipynb",
        name="提升风险管控能力",
        key_figures=risk.key_figures,
        metrics=risk.RiskMetrics,
        rules=(rules.rule_sectors,),
        topics=(
            Topic(
                "risk",
                "风险隐患排查治理",
                "压实隐患整改责任，推动闭环管理",
                ("sector-rectification", "sector-overdue"),
            ),
        ),
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="disasters",
        title="2. 推进自然灾害综合治理",
        notebook="13_disasters.ipynb",
        name="推进自然灾害综合治理",
        key_figures=disasters.key_figures,
        metrics=disasters.DisastersMetrics,
        rules=(rules.rule_disasters,),
        topics=(
            Topic(
                "disasters", "自然灾害防治", "强化自然灾害防治，减少因灾损失", ("disaster-rate",)
            ),
        ),
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="rescue",
        title="3. 强化应急救援能力",
        notebook="14_rescue.ipynb",
        name="强化应急救援能力",
        key_figures=rescue.key_figures,
        metrics=rescue.RescueMetrics,
        rules=(rules.rule_drills,),
        topics=(
            Topic(
                "rescue",
                "应急救援准备",
                "加强实战化演练，提升应急救援能力",
                ("drill-double-blind", "drill-live-share"),
            ),
        ),
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="reserves",
        title="4. 提高综合保障能力",
        notebook="15_reserves.ipynb",
        name="提高综合保障能力",
        key_figures=reserves.key_figures,
        metrics=reserves.ReservesMetrics,
        rules=(rules.rule_reserves,),
        topics=(
            Topic(
                "reserves",
                "应急物资保障",
                "补齐物资储备短板，提高保障水平",
                ("reserve-shortfall",),
            ),
        ),
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="society",
        title="5. 增强科技支撑和社会共治能力",
        notebook="16_society.ipynb",
        name="科技支撑和社会共治",
        key_figures=society.key_figures,
        metrics=society.SocietyMetrics,
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="projects",
        title="（三）重大工程项目进展",
        notebook="17_projects.ipynb",
        name="（三）重大工程项目进展",
        key_figures=projects.key_figures,
        metrics=projects.ProjectsMetrics,
        rules=(rules.rule_projects,),
        topics=(
            Topic(
                "projects",
                "重大工程项目建设",
                "加快重大工程建设，确保按期见效",
                (
                    "project-cannot-finish",
                    "project-not-started",
                    "project-delayed",
                    "project-investment",
                ),
            ),
        ),
        stale=projects.stale_figures,
    )
)
CHAPTERS.register(
    ChapterSpec(id="problems", title="二、存在的主要问题", notebook="20_problems.ipynb", stage=2)
)
CHAPTERS.register(
    ChapterSpec(
        id="suggestions", title="三、下一步工作建议", notebook="30_suggestions.ipynb", stage=2
    )
)
CHAPTERS.register(
    ChapterSpec(
        id="adjustments", title="四、规划调整建议", notebook="40_adjustments.ipynb", stage=2
    )
)
