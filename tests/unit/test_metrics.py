"""Typed metrics: one model per chapter, one write and one read function, the JSON Schema beside
the JSON, no alias keys; and the findings computed once into one file the stage-2 chapters read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from planeval.chapters.reserves import ReservesMetrics
from planeval.data.pack import DataPack
from planeval.findings import engine
from planeval.metrics import ChapterMetrics, Num, read_metrics, schema_path, write_metrics
from planeval.periods import Period
from planeval.registry import CHAPTERS

MID = Period.parse("midterm")


class Demo(ChapterMetrics):
    period: str
    n: Num | None = None
    rate: float | None = None


def test_write_and_read_round_trip_with_schema_beside(tmp_path):
    m = Demo.of({"period": "2022年", "n": 3, "rate": float("nan")})
    p = write_metrics(tmp_path, "demo", m)
    assert json.loads(p.read_text(encoding="utf-8")) == {"period": "2022年", "n": 3, "rate": None}
    schema = json.loads(schema_path(tmp_path, "demo").read_text(encoding="utf-8"))
    assert schema["title"] == "Demo" and set(schema["properties"]) == {"period", "n", "rate"}
    assert schema["required"] == ["period"]
    back = read_metrics(tmp_path, "demo", Demo)
    assert back == m and isinstance(back.n, int)  # a count stays an int
    assert read_metrics(tmp_path, "absent", Demo) is None
    assert read_metrics("", "demo", Demo) is None and write_metrics("", "demo", m) is None


def test_unset_fields_stay_out_of_the_json():
    """An absent ledger writes only what the producer said (available, period), not nulls."""
    m = ReservesMetrics.of({"available": False, "period": "2022年"})
    assert m.to_json() == {"available": False, "period": "2022年"}
    assert not m.is_available() and m.below_target == []


def test_alias_and_misspelt_keys_are_refused():
    with pytest.raises(ValidationError, match="lines_below_target"):
        ReservesMetrics.of({"available": True, "lines_below_target": []})
    from planeval.indicators.model import IndicatorRow

    with pytest.raises(ValidationError, match="current"):
        IndicatorRow.model_validate({"code": "1", "name": "x", "current": 3})


def test_every_chapter_with_figures_has_a_model_and_its_schema():
    for spec in CHAPTERS.with_figures():
        assert issubclass(spec.metrics, ChapterMetrics), spec.id
        assert spec.metrics.model_json_schema()["type"] == "object"


def test_for_period_rejects_another_periods_file():
    assert Demo(period="2021年至2023年上半年").for_period(MID)
    assert Demo(period="midterm-2023H1").for_period(MID)
    assert not Demo(period="2022年").for_period(MID)


# --------------------------------------------------------------------------- findings once
def empty_pack() -> DataPack:
    return DataPack(root=Path("."), frames={})


def reserves_json(tmp: Path, quantity: float) -> None:
    m = ReservesMetrics.of(
        {
            "available": True,
            "period": MID.label,
            "below_target": [
                {"item": "帐篷", "quantity": quantity, "target": 100, "unit": "顶", "depot": "县库"}
            ],
        }
    )
    write_metrics(tmp, "reserves", m)


def test_findings_file_round_trip(tmp_path):
    reserves_json(tmp_path, 40)  # 40 % of target: below 80 % and below 50 % → 高
    res = engine.run_findings(empty_pack(), MID, str(tmp_path))
    (f,) = [f for f in res.findings if f.kind == "reserve-shortfall"]
    assert f.severity == "高" and f.topic == "reserves"
    engine.write_findings(tmp_path, res)
    back = engine.read_findings(tmp_path)
    assert [x.as_dict() for x in back.findings] == [x.as_dict() for x in res.findings]
    assert back.skipped == res.skipped and back.topics == res.topics
    assert back.metrics["reserves"] == res.metrics["reserves"]
    assert back.period == "midterm-2023H1" and dict(back.thresholds) == json.loads(
        json.dumps(dict(res.thresholds))
    )


def test_findings_for_uses_the_runs_file_only_when_it_fits(tmp_path):
    reserves_json(tmp_path, 40)
    res = engine.run_findings(empty_pack(), MID, str(tmp_path))
    engine.write_findings(tmp_path, res)
    # the stage-2 notebook gets the run's file (the figures are not read again: prove it by
    # changing them on disk — the file's findings are used as written)
    reserves_json(tmp_path, 90)
    got = engine.findings_for(empty_pack(), MID, str(tmp_path))
    assert [f.id for f in got.findings] == [f.id for f in res.findings]
    # other thresholds than the file's → computed again, from the figures now on disk (90 %:
    # at or above the 80 % default would be silent; 95 % required → 中)
    again = engine.findings_for(empty_pack(), MID, str(tmp_path), "reserves.min_ratio: 0.95")
    (f,) = [f for f in again.findings if f.kind == "reserve-shortfall"]
    assert f.severity == "中"
    # another period → computed again (no file for 2022 figures: nothing for reserves)
    other = engine.findings_for(empty_pack(), "2022", str(tmp_path))
    assert not [f for f in other.findings if f.kind == "reserve-shortfall"]
    # interactive use: no metrics folder → everything computed from the pack
    assert engine.findings_for(empty_pack(), MID).period == "midterm-2023H1"


def test_a_findings_file_from_other_code_is_not_used(tmp_path):
    (tmp_path / engine.FINDINGS_FILE).write_text('{"format": 0}', encoding="utf-8")
    assert engine.read_findings(tmp_path) is None
    (tmp_path / engine.FINDINGS_FILE).write_text("{not json", encoding="utf-8")
    assert engine.read_findings(tmp_path) is None
