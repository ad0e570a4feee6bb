"""The chapter registry: every place that lists chapters reads it, and a chapter registered
through one spec is discovered, feeds the findings and renders in 二、三 — nothing else to edit."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from planeval.data.pack import DataPack
from planeval.findings import report as R
from planeval.findings import run_findings
from planeval.findings.rules import make_finding
from planeval.metrics import ChapterMetrics
from planeval.periods import Period
from planeval.registry import CHAPTERS, ChapterSpec, Topic
from planeval.report.chapters import discover

MID = Period.parse("midterm")


class SitesMetrics(ChapterMetrics):
    period: str
    sites: int
    required: int


def sites_figures(pack, period, thresholds=None) -> SitesMetrics:
    """The fixture chapter's key figures: 2 drill sites (hand-set)."""
    return SitesMetrics(period=period.label, sites=2, required=3)


def rule_sites(m: SitesMetrics, t, all_metrics, period=None):
    if m.sites >= m.required:
        return []
    data = {"n": m.sites, "min": m.required}
    ev = [("演练场地", f"{m.sites}处"), ("应有", f"{m.required}处")]
    return [make_finding("sites-short", "", "中", "演练场地", data, ev)]


@pytest.fixture
def sites_spec(tmp_path) -> ChapterSpec:
    tpl = tmp_path / "templates"
    (tpl / "findings").mkdir(parents=True)
    (tpl / "suggestions").mkdir()
    (tpl / "findings" / "sites-short.md.j2").write_text(
        '{% if part == "title" %}演练场地不足{% else %}'
        "全县演练场地{{ d.n|int }}处，少于{{ d.min|int }}处。{% endif %}",
        encoding="utf-8",
    )
    (tpl / "suggestions" / "sites-short.md.j2").write_text(
        "新建演练场地，至少补足{{ findings[0].data.min - findings[0].data.n }}处。",
        encoding="utf-8",
    )
    return ChapterSpec(
        id="sites",
        title="6. 演练场地",
        notebook="18_sites.ipynb",
        name="演练场地建设",
        key_figures=sites_figures,
        metrics=SitesMetrics,
        rules=(rule_sites,),
        topics=(Topic("sites", "演练场地保障", "补齐演练场地，保障实战化演练", ("sites-short",)),),
        templates=tpl,
    )


def empty_pack() -> DataPack:
    return DataPack(root=Path("."), frames={})


def test_a_chapter_registered_through_one_spec_feeds_findings_and_renders(sites_spec, tmp_path):
    with CHAPTERS.registered(sites_spec):
        res = run_findings(empty_pack(), MID)
        (f,) = [f for f in res.findings if f.kind == "sites-short"]
        assert f.topic == "sites" and f.severity == "中"
        assert f.sentence == "全县演练场地2处，少于3处。"
        problems = dict((h, str(n)) for h, n in R.problems_sections(res))
        heading = next(h for h in problems if h.endswith("演练场地保障方面"))
        assert "演练场地不足" in problems[heading]
        suggestions = dict((h, str(n)) for h, n in R.suggestions_sections(res))
        (text,) = [n for h, n in suggestions.items() if h.endswith("补齐演练场地，保障实战化演练")]
        assert text == "新建演练场地，至少补足1处。"
        # the notebook's title and stage come from the spec
        nb = v4.new_notebook(metadata={"planeval": {"id": "sites"}})
        nb.cells = [v4.new_code_cell("x: int = 1", metadata={"tags": ["parameters"]})]
        nbformat.write(nb, tmp_path / "18_sites.ipynb")
        (ch,) = discover(tmp_path)
        assert (ch.id, ch.title, ch.stage) == ("sites", "6. 演练场地", 1)
    # unregistered again: the other chapters' findings no longer see it
    assert "sites" not in CHAPTERS
    assert not [f for f in run_findings(empty_pack(), MID).findings if f.kind == "sites-short"]


def test_near_miss_a_satisfied_fixture_chapter_has_no_finding(sites_spec):
    def enough(pack, period, thresholds=None):
        return SitesMetrics(period=period.label, sites=3, required=3)

    spec = ChapterSpec(**{**sites_spec.__dict__, "key_figures": enough})
    with CHAPTERS.registered(spec):
        res = run_findings(empty_pack(), MID)
    assert not [f for f in res.findings if f.kind == "sites-short"]


def test_registering_a_duplicate_is_refused(sites_spec):
    with pytest.raises(ValueError, match="already registered"):
        CHAPTERS.register(ChapterSpec("risk", "重复", "99_x.ipynb"))
    dup_kind = ChapterSpec(
        "other", "其他", "98_x.ipynb", topics=(Topic("x", "x", "x", ("sector-overdue",)),)
    )
    with pytest.raises(ValueError, match="finding kinds already registered"):
        CHAPTERS.register(dup_kind)
    assert "other" not in CHAPTERS


def test_topics_and_kinds_in_report_order():
    assert [t.id for t in CHAPTERS.topics()] == [
        "indicators",
        "accidents",
        "risk",
        "disasters",
        "rescue",
        "reserves",
        "projects",
    ]
    assert CHAPTERS.kinds()[:3] == ("indicator-unlikely", "indicator-lagging", "major-accident")
    assert [s.id for s in CHAPTERS.with_figures()] == [
        "indicators",
        "risk",
        "disasters",
        "rescue",
        "reserves",
        "society",
        "projects",
    ]
    assert all(s.stage == 2 for s in CHAPTERS if s.key_figures is None)


def test_a_misnamed_notebook_of_a_registered_chapter_is_an_error(tmp_path):
    from planeval.report.params import ParamsError

    nb = v4.new_notebook(metadata={"planeval": {"id": "risk"}})
    nb.cells = [v4.new_code_cell("x: int = 1", metadata={"tags": ["parameters"]})]
    nbformat.write(nb, tmp_path / "12_risk_copy.ipynb")
    with pytest.raises(ParamsError, match="12_risk.ipynb"):
        discover(tmp_path)
