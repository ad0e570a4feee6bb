"""The notebook facade: what a chapter notebook needs, in one call.

A chapter notebook's second cell is::

    from planeval.notebook import display, open_chapter
    from planeval.chapters import risk

    ch = open_chapter("risk", data_dir, period, county, metrics_dir, findings)
    res = risk.summarise(ch.pack, ch.period, county=county, thresholds=ch.thresholds)

``ch`` holds the validated pack, the parsed period, the run's thresholds and, for a stage-2
chapter, the run's findings (``ch.findings``); ``ch.note(**fields)`` shows the analyst's note
for the chapter (if the pack has one) and ``ch.save(metrics)`` writes the chapter's key figures
(nothing when run interactively without a ``metrics_dir``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from planeval.data import DataPack, load_pack
from planeval.metrics import ChapterMetrics, write_metrics
from planeval.narrative.notes import section_note
from planeval.paths import DEMO_DATA_DIR
from planeval.periods import Period
from planeval.plan import use_plan
from planeval.report import display
from planeval.thresholds import Thresholds, load_thresholds

__all__ = ["ChapterContext", "display", "open_chapter"]


@dataclass
class ChapterContext:
    """What a chapter notebook works with (see :func:`open_chapter`)."""

    id: str
    pack: DataPack
    period: Period
    county: str
    metrics_dir: str = ""
    overrides: Any = field(default="", repr=False)

    @cached_property
    def thresholds(self) -> Thresholds:
        """The findings thresholds with the run's overrides (``findings`` parameter)."""
        return load_thresholds(self.overrides or None)

    @cached_property
    def findings(self):
        """The run's findings (``metrics/findings.json``), or computed now (interactive use)."""
        from planeval.findings.engine import findings_for

        return findings_for(self.pack, self.period, self.metrics_dir, self.overrides or "")

    def note(self, **fields: Any) -> None:
        """Show the analyst's note ``notes/<id>.md`` rendered with ``fields``, if there is one."""
        text = section_note(self.pack, self.id, **fields)
        if text is not None:
            display.show(text)

    def save(self, metrics: ChapterMetrics) -> None:
        """Write the chapter's key figures ``<metrics_dir>/<id>.json`` (and their schema)."""
        write_metrics(self.metrics_dir, self.id, metrics)


def open_chapter(
    chapter_id: str,
    data_dir: str = "",
    period: str = "midterm",
    county: str = "",
    metrics_dir: str = "",
    findings: Any = "",
) -> ChapterContext:
    """Load and validate the pack (the demo pack when ``data_dir`` is empty), parse the period
    in the pack's plan.

    Raises
    ------
    DataPackError
        The pack has problems (the same report as ``planeval check-data``).
    PeriodError
        ``period`` is not a period.
    """
    pack = load_pack(data_dir or DEMO_DATA_DIR)
    use_plan(pack.plan, process=True)  # titles and sentences name the pack's plan
    return ChapterContext(
        chapter_id,
        pack,
        Period.parse(period, plan=pack.plan),  # the pack's plan.yaml (十五五 …), else the default
        county,
        str(metrics_dir or ""),
        findings,
    )
