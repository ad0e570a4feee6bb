"""The Finding: one problem the figures show, with its severity, sentence and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from planeval.metrics import ChapterMetrics, Figures
from planeval.thresholds import SEVERITIES, Thresholds


def severity_rank(s: str) -> int:
    """0 for 高, 1 for 中, 2 for 低."""
    return SEVERITIES.index(s)


@dataclass(frozen=True)
class Finding:
    """One finding.

    Attributes
    ----------
    id
        Stable identifier ``<kind>:<subject>`` (e.g. ``indicator-lagging:3``,
        ``sector-rectification:危险化学品``); the data pack's 屏蔽 list refers to it.
    kind
        A finding kind registered in a chapter's topics (:mod:`planeval.registry`).
    severity
        高 / 中 / 低.
    subject
        What the finding is about (indicator name, sector, project…), for lists.
    title
        A short phrase (for the 总体评价 and headings).
    sentence
        The finding in one or two sentences citing its figures (from ``findings/<kind>.md.j2``).
    evidence
        The figures it rests on: ``(label, formatted value)`` pairs.
    data
        Raw figures for the suggestion / adjustment templates.
    topic
        The topic the kind belongs to (set by the engine from the registry).
    """

    id: str
    kind: str
    severity: str
    subject: str
    title: str
    sentence: str
    evidence: tuple[tuple[str, str], ...] = ()
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    topic: str = ""

    @property
    def evidence_text(self) -> str:
        """``标签 值；标签 值``."""
        return "；".join(f"{k}{v}" for k, v in self.evidence)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "topic": self.topic,
            "severity": self.severity,
            "subject": self.subject,
            "title": self.title,
            "sentence": self.sentence,
            "evidence": [list(e) for e in self.evidence],
        }


def sort_findings(
    findings: list[Finding], topic_order: Sequence[str], kind_order: Sequence[str]
) -> list[Finding]:
    """By severity (高 first), then topic order, then kind order, then the rules' own order."""
    topics, kinds = list(topic_order), list(kind_order)
    indexed = list(enumerate(findings))
    indexed.sort(
        key=lambda t: (
            severity_rank(t[1].severity),
            topics.index(t[1].topic),
            kinds.index(t[1].kind),
            t[0],
        )
    )
    return [f for _, f in indexed]


@dataclass(frozen=True)
class FindingsResult:
    """What the engine produced for one run.

    ``findings`` are the active ones (sorted); ``suppressed`` pairs a finding with the analyst's
    reason; ``unmatched_suppressions`` are 屏蔽 ids that matched no finding (shown so a typo is
    visible); ``skipped`` maps a chapter id whose metrics were unavailable to why (its rules did
    not run); ``metrics`` is what the rules read (each chapter's model); ``topics`` maps each
    topic id to its name, in report order (from the registry); ``period`` is the slug.
    """

    findings: tuple[Finding, ...]
    suppressed: tuple[tuple[Finding, str], ...]
    unmatched_suppressions: dict[str, str]
    skipped: dict[str, str]
    thresholds: Thresholds
    metrics: dict[str, ChapterMetrics]
    topics: dict[str, str] = field(default_factory=dict)
    period: str = ""  # the period's slug

    def by_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def counts(self) -> dict[str, int]:
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITIES}

    def grouped(self) -> list[tuple[str, list[Finding]]]:
        """Findings grouped by topic; groups ordered by their most severe finding, then topic."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings:
            groups.setdefault(f.topic, []).append(f)
        order = list(self.topics)
        return sorted(
            groups.items(),
            key=lambda kv: (min(severity_rank(f.severity) for f in kv[1]), order.index(kv[0])),
        )


# --------------------------------------------------------------------------- problems metrics
class FindingRecord(Figures):
    id: str
    kind: str
    topic: str
    severity: str
    subject: str
    title: str
    sentence: str
    evidence: list[list[str]] = []


class SuppressedRecord(Figures):
    id: str
    reason: str


class ProblemsMetrics(ChapterMetrics):
    """What 二、存在的主要问题 writes as its metrics (id ``problems``)."""

    period: str
    counts: dict[str, int] = {}
    findings: list[FindingRecord] = []
    suppressed: list[SuppressedRecord] = []
    skipped: dict[str, str] = {}
    thresholds_overridden: list[str] = []
