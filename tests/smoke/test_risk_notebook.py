"""The risk chapter runs through papermill on a pack without 执法检查/隐患/专项整治 and says so."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planeval.data.template import write_ledgers
from planeval.paths import NOTEBOOKS_DIR
from planeval.registry import CHAPTERS

pytestmark = pytest.mark.slow


def minimal_pack(folder):
    """A pack with only the two required ledgers, 指标 and 年度汇总."""
    indicators = pd.DataFrame(
        [
            {
                "code": "1",
                "name": "生产安全事故死亡人数",
                "unit": "人",
                "formula": "accident_deaths",
                "base_year": 2020,
                "base_value": 10,
                "target_type": "decline_pct",
                "target_value": 15,
                "attribute": "约束性",
                "note": None,
            }
        ]
    )
    annual = pd.DataFrame(
        [
            {"year": y, "measure": "生产安全事故死亡人数", "value": v, "basis_note": None}
            for y, v in ((2020, 10), (2021, 9), (2022, 8), (2023, 3))
        ]
    )
    write_ledgers(folder, {"indicators": indicators, "annual": annual})
    return folder


def test_risk_notebook_on_minimal_pack(tmp_path, run_chapter, chapter_html):
    pack = minimal_pack(tmp_path / "pack")
    nb = run_chapter(
        "12_risk", tmp_path, data_dir=str(pack), period="midterm", metrics_dir=str(tmp_path / "m")
    )
    html = chapter_html(nb)
    assert "没有“执法检查”“隐患”“专项整治”台账" in html
    assert "image/png" not in json.dumps(nb)  # no empty charts
    m = json.loads((tmp_path / "m" / "risk.json").read_text(encoding="utf-8"))
    assert m["available"] == {"inspections": False, "hazards": False, "campaigns": False}
    assert m["totals"]["found"] is None


def test_risk_notebook_is_stored_clean():
    nb = json.loads((NOTEBOOKS_DIR / "12_risk.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["planeval"] == {"id": "risk"}
    assert (CHAPTERS.get("risk").title, CHAPTERS.get("risk").stage) == ("1. 提升风险管控能力", 1)
    assert nb["metadata"]["kernelspec"]["name"] == "planeval"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1
    for c in code:
        assert "remove-input" in c["metadata"]["tags"]
        assert c["outputs"] == [] and c["execution_count"] is None
        src = "".join(c["source"])
        assert "def " not in src and "class " not in src and src.count("\n") < 15
