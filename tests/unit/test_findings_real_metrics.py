"""Findings on REAL chapter metrics of a modified demo pack (no hand-made metrics dicts).

The case of the review: a county whose 指标 sheet has no disaster indicator (only the seed's
accident/fire indicators) while its disaster death rate misses the national target — the
disasters rule runs on the chapter's metrics (``average_years`` are years, not labels) and a
rule that raises is recorded as skipped instead of failing the stage-2 chapters.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

import planeval
from planeval.findings import engine
from planeval.findings.report import method_note
from planeval.paths import DEMO_DATA_DIR
from planeval.periods import Period
from planeval.registry import CHAPTERS
from planeval.vocab import resolve_formula

MID = Period.parse("midterm")


@pytest.fixture(scope="module")
def no_disaster_indicators():
    demo = planeval.load_pack(DEMO_DATA_DIR)
    ind = demo.indicators
    keys = ind["formula"].map(lambda f: str(resolve_formula(f) or ""))
    frames = dict(demo.frames)
    frames["indicators"] = ind[~keys.str.startswith("disaster")].reset_index(drop=True)
    return dataclasses.replace(demo, frames=frames)


def test_disaster_rate_finding_from_real_metrics(no_disaster_indicators):
    metrics, skipped = engine.collect_metrics(no_disaster_indicators, MID)
    assert skipped == {}
    r = metrics["disasters"].rates["disaster_deaths_per_million"]
    # national target "< 1" applies (no 指标 row); demo 年均 (3/50.1×100 + 0 + 0×0.5)/2.5 with
    # 2023H1 = 0 dead over 49.9万 → 5.98802 / 2.5 = 2.395 ≥ 1 → misses it
    assert r.target_source == "national" and r.target == 1.0
    assert r.average == pytest.approx(3 / 50.1 * 100 / 2.5)
    assert r.average_years == [2021, 2022, 2023]
    assert r.average_labels == ["2021年", "2022年", "2023年上半年"]
    # the metrics survive a JSON round trip (what the metrics files hold)
    metrics = {k: json.loads(json.dumps(m.to_json())) for k, m in metrics.items()}
    res = engine.evaluate(metrics, period=MID)
    assert not any("." in k for k in res.skipped), res.skipped  # no rule failed
    hit = [f for f in res.findings if f.id == "disaster-rate:disaster_deaths_per_million"]
    assert len(hit) == 1
    assert hit[0].data["years"] == "2021年至2023年上半年"
    assert hit[0].data["average"] == "2.40" and hit[0].data["op"] == "<"
    # the other two rates meet their national targets: no finding
    assert not [f for f in res.findings if f.id.startswith("disaster-rate:disaster_a")]


def test_a_failing_rule_is_skipped_not_fatal(no_disaster_indicators, monkeypatch):
    metrics, _ = engine.collect_metrics(no_disaster_indicators, MID)

    def rule_broken(m, t, all_metrics, p=None):
        raise ValueError("invalid literal for int() with base 10: '2021年'")

    rules = (rule_broken, *CHAPTERS.get("disasters").rules)
    with CHAPTERS.overridden("disasters", rules=rules):
        res = engine.evaluate(metrics, period=MID)
    why = res.skipped["disasters.rule_broken"]
    assert "rule_broken" in why and "ValueError" in why
    # the chapter's other rule still ran, and the other chapters' findings are all there
    assert any(f.id == "disaster-rate:disaster_deaths_per_million" for f in res.findings)
    assert any(f.id.startswith("indicator-") for f in res.findings)
    note = str(method_note(res))
    assert "推进自然灾害综合治理（问题识别规则rule\\_broken运行出错" in note


def test_a_metrics_file_that_does_not_match_its_model_is_recomputed(
    no_disaster_indicators, tmp_path
):
    """A disasters JSON written by older code (labels in ``average_years``) fails the model, so
    the figures are computed from the pack instead of being half-read."""
    metrics, _ = engine.collect_metrics(no_disaster_indicators, MID)
    old = metrics["disasters"].to_json()
    old["rates"]["disaster_deaths_per_million"]["average_years"] = ["2021年", "2022年"]
    (tmp_path / "disasters.json").write_text(json.dumps(old, ensure_ascii=False), "utf-8")
    again, skipped = engine.collect_metrics(
        no_disaster_indicators, MID, str(tmp_path), chapters=("disasters",)
    )
    assert skipped == {}
    assert again["disasters"].rates["disaster_deaths_per_million"].average_years == [
        2021,
        2022,
        2023,
    ]
