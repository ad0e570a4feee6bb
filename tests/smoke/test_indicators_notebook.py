"""The 一(一) chapter runs through papermill on the demo pack (mid-term) and on a pack with only
指标 + 年度汇总, writes its metrics, and is stored without outputs."""

from __future__ import annotations

import json

import nbformat
import pandas as pd
import pytest

from planeval.data.template import write_ledgers
from planeval.paths import NOTEBOOKS_DIR
from planeval.registry import CHAPTERS

pytestmark = pytest.mark.slow
NB = NOTEBOOKS_DIR / "11_indicators.ipynb"


def annual_only_pack(folder):
    indicators = pd.DataFrame(
        [
            {
                "code": "1",
                "name": "生产安全事故死亡人数",
                "unit": "人",
                "formula": "accident_deaths",
                "base_year": 2020,
                "base_value": None,
                "target_type": "decline_pct",
                "target_value": 15,
                "attribute": "约束性",
                "note": None,
            }
        ]
    )
    rows = [
        {"year": y, "measure": m, "value": v, "basis_note": None}
        for y, c, d in ((2020, 5, 8), (2021, 4, 6), (2022, 4, 6))
        for m, v in (("生产安全事故起数", c), ("生产安全事故死亡人数", d))
    ]
    write_ledgers(folder, {"indicators": indicators, "annual": pd.DataFrame(rows)})
    return folder


@pytest.fixture
def run(tmp_path, run_chapter, chapter_html):
    """``run(data_dir="") -> (metrics, html)`` of 11_indicators."""

    def _run(data_dir: str = "") -> tuple[dict, str]:
        metrics = tmp_path / "metrics"
        nb = run_chapter("11_indicators", tmp_path, data_dir=data_dir, metrics_dir=str(metrics))
        m = json.loads((metrics / "indicators.json").read_text(encoding="utf-8"))
        return m, chapter_html(nb)

    return _run


def test_committed_notebook_has_no_outputs_and_conventions():
    nb = nbformat.read(NB, 4)
    assert nb.metadata["planeval"] == {"id": "indicators"}
    spec = CHAPTERS.get("indicators")
    assert (spec.title, spec.stage) == ("（一）主要指标进展", 1)
    assert nb.metadata["kernelspec"]["name"] == "planeval"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1
    assert all("remove-input" in c.metadata.get("tags", []) for c in code)


def test_demo_midterm(run):
    m, html = run()
    # 2022 (the latest complete year): 4 accidents = ≤4, 6 deaths = base → 滞后
    assert [i["verdict"] for i in m["indicators"]][:3] == ["达到预期", "滞后", "难以完成"]
    assert "计算口径与评价方法" in html and "主要指标进展情况" in html
    for bad in ("nan", "None", "{{", "TODO"):
        assert bad not in html


def test_annual_only_pack(tmp_path, run):
    m, html = run(str(annual_only_pack(tmp_path / "pack")))
    assert m["indicators"][0]["current_value"] == 6 and m["indicators"][0]["base_value"] == 8
    assert "2021年，全县共发生生产安全事故4起，死亡6人。" in html
    assert "无法按行业领域和事故类型分析" in html
