"""Chapters 13-16 (disasters, rescue, reserves, society) run through papermill on a minimal
pack that has none of their ledgers (only 指标 and 年度汇总) and say so instead of failing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planeval.data.template import write_ledgers
from planeval.paths import NOTEBOOKS_DIR
from planeval.registry import CHAPTERS as CHAPTERS_REG

pytestmark = pytest.mark.slow

CHAPTERS = {
    "13_disasters": ("disasters", "2. 推进自然灾害综合治理"),
    "14_rescue": ("rescue", "3. 强化应急救援能力"),
    "15_reserves": ("reserves", "4. 提高综合保障能力"),
    "16_society": ("society", "5. 增强科技支撑和社会共治能力"),
}


def minimal_pack(folder, disaster_totals: bool = False):
    """指标 + 年度汇总 only (optionally with the 年度汇总 natural-disaster totals of 2021-2022)."""
    indicators = pd.DataFrame(
        [
            {
                "code": "1",
                "name": "年均每百万人口因自然灾害死亡率",
                "unit": "人/百万人",
                "formula": "disaster_deaths_per_million",
                "base_year": None,
                "base_value": None,
                "target_type": "max_value",
                "target_value": 1,
                "attribute": "预期性",
                "note": None,
            }
        ]
    )
    rows = [
        {"year": y, "measure": m, "value": v, "basis_note": None}
        for y in (2020, 2021, 2022, 2023)
        for m, v in (("常住人口(万人)", 50.0), ("地区生产总值(亿元)", 300.0))
    ]
    if disaster_totals:
        rows += [
            {"year": 2021, "measure": "自然灾害受灾人次", "value": 5000, "basis_note": None},
            {"year": 2021, "measure": "自然灾害死亡失踪人数", "value": 1, "basis_note": None},
            {
                "year": 2021,
                "measure": "自然灾害直接经济损失(万元)",
                "value": 600,
                "basis_note": None,
            },
            {"year": 2022, "measure": "自然灾害受灾人次", "value": 0, "basis_note": None},
            {"year": 2022, "measure": "自然灾害死亡失踪人数", "value": 0, "basis_note": None},
            {"year": 2022, "measure": "自然灾害直接经济损失(万元)", "value": 0, "basis_note": None},
        ]
    write_ledgers(folder, {"indicators": indicators, "annual": pd.DataFrame(rows)})
    return folder


@pytest.fixture
def run(tmp_path, run_chapter, chapter_html):
    """``run(name, pack) -> (html, metrics, raw notebook JSON)`` of chapter ``name``."""

    def _run(name: str, pack) -> tuple[str, dict, str]:
        m = tmp_path / "m"
        nb = run_chapter(name, tmp_path, data_dir=str(pack), period="midterm", metrics_dir=str(m))
        raw = (tmp_path / f"{name}.ipynb").read_text(encoding="utf-8")
        metrics = json.loads((m / f"{CHAPTERS[name][0]}.json").read_text(encoding="utf-8"))
        return chapter_html(nb), metrics, raw

    return _run


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("13_disasters", "本数据包无“自然灾害”台账，年度汇总中也无自然灾害受灾人次"),
        ("14_rescue", "本数据包无“应急演练”台账，应急演练情况不作统计。"),
        ("15_reserves", "本数据包无“物资储备”台账，应急物资储备情况不作统计。"),
        ("16_society", "本数据包无“宣传培训”台账，培训、宣传和志愿服务情况不作统计。"),
    ],
)
def test_chapter_on_pack_without_its_ledgers(tmp_path, run, name, says):
    html, metrics, raw = run(name, minimal_pack(tmp_path / "pack"))
    assert says in html
    assert "image/png" not in raw  # no empty charts
    assert '"output_type": "error"' not in raw
    for bad in ("nan", "None", "{{"):
        assert bad not in html
    if name == "14_rescue":
        assert "本数据包无“救援队伍”台账" in html and "本数据包无“应急预案”台账" in html
        assert metrics["drills"] == {"available": False}
    elif name != "13_disasters":
        assert metrics["available"] is False


def test_disasters_chapter_falls_back_to_annual_totals(tmp_path, run):
    html, m, raw = run("13_disasters", minimal_pack(tmp_path / "pack", disaster_totals=True))
    assert "灾情数字采用年度汇总数据" in html
    assert "2023年上半年无自然灾害台账和年度汇总数据" in html
    assert "image/png" in raw  # the rates chart over 2021-2022
    assert [y["source"] for y in m["years"]] == ["年度汇总", "年度汇总", "无数据"]
    r = m["rates"]["disaster_deaths_per_million"]
    # 1 / 50万 × 100 = 2.0 in 2021, 0 in 2022 → 年均 1.0 against the sheet's "≤ 1": met
    assert r["yearly"]["2021年"] == pytest.approx(2.0) and r["average"] == pytest.approx(1.0)
    assert r["target_source"] == "indicator" and r["above_target"] is False


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_notebook_is_stored_clean_and_thin(name):
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    cid, title = CHAPTERS[name]
    assert nb["metadata"]["planeval"] == {"id": cid}  # title and stage: the registry's
    assert (CHAPTERS_REG.get(cid).title, CHAPTERS_REG.get(cid).stage) == (title, 1)
    assert nb["metadata"]["kernelspec"]["name"] == "planeval"
    assert (
        nb["cells"][0]["cell_type"] == "markdown"
        and "".join(nb["cells"][0]["source"]) == f"#### {title}"
    )
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert sum("parameters" in c["metadata"].get("tags", []) for c in code) == 1
    for c in code:
        assert "remove-input" in c["metadata"]["tags"]
        assert c["outputs"] == [] and c["execution_count"] is None
        src = "".join(c["source"])
        assert "def " not in src and "class " not in src and src.count("\n") < 16


@pytest.mark.parametrize("name", sorted(CHAPTERS))
def test_parameters_are_inspectable(name):
    import papermill as pm

    assert list(pm.inspect_notebook(str(NOTEBOOKS_DIR / f"{name}.ipynb"))) == [
        "data_dir",
        "period",
        "county",
        "metrics_dir",
    ]
