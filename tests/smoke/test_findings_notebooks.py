"""17_projects (stage 1) and the stage-2 chapters (00_overview, 20_problems, 30_suggestions,
40_adjustments) run through papermill on the demo pack and on a pack with only 指标 + 年度汇总;
they are stored without outputs and declare the parameters the runner injects."""

from __future__ import annotations

import json

import nbformat
import pytest

import planeval
from planeval.data.template import write_ledgers
from planeval.paths import NOTEBOOKS_DIR, PROJ_ROOT
from planeval.registry import CHAPTERS

pytestmark = pytest.mark.slow

MINE = {
    "17_projects": ("projects", 1, "### （三）重大工程项目进展"),
    "00_overview": ("overview", 2, "## 总体评价"),
    "20_problems": ("problems", 2, "## 二、存在的主要问题"),
    "30_suggestions": ("suggestions", 2, "## 三、下一步工作建议"),
    "40_adjustments": ("adjustments", 2, "## 四、规划调整建议"),
}
PARAMS = {"data_dir", "period", "county", "metrics_dir", "findings"}


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            parts.append(c.source)
        for o in c.get("outputs", []):
            parts.append(o.get("data", {}).get("text/html", "") + o.get("text", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(MINE))
def test_stored_clean(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", 4)
    cid, stage, heading = MINE[name]
    assert nb.metadata["planeval"] == {"id": cid} and CHAPTERS.get(cid).stage == stage
    assert nb.metadata["kernelspec"]["name"] == "planeval"
    assert nb.cells[0].source == heading
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all("remove-input" in c.metadata.get("tags", []) for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    names = {ln.split(":")[0] for ln in params[0].source.splitlines() if ln.strip()}
    assert names == PARAMS
    assert all("def " not in c.source and "class " not in c.source for c in code)


def test_demo_midterm(tmp_path, run_chapter):
    metrics = tmp_path / "metrics"
    nb = run_chapter("17_projects", tmp_path, metrics_dir=str(metrics))
    text = _text(nb)
    assert "规划确定的重大工程项目共11个" in text
    outputs = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
    # the one chart, as the report's <figure> with its caption (never a bare PNG)
    assert sum('<figure class="chart">' in str(d.get("text/html", "")) for d in outputs) == 1
    assert not any("image/png" in d for d in outputs)
    assert "城镇燃气管网老化更新改造工程" in text
    m = json.loads((metrics / "projects.json").read_text(encoding="utf-8"))
    assert m["summary"]["by_status"] == {"已完工": 4, "在建": 5, "滞后": 1, "未开工": 1}
    texts = {}
    for name in ("00_overview", "20_problems", "30_suggestions", "40_adjustments"):
        texts[name] = _text(run_chapter(name, tmp_path, metrics_dir=str(metrics)))
    assert "9项主要指标中，4项达到或基本符合时序进度要求" in texts["00_overview"]
    assert "城市建设和运行重大隐患逾期未整改" in texts["20_problems"]
    assert "问题识别规则与阈值" in texts["20_problems"]
    assert "双盲" in texts["30_suggestions"]
    assert "（二）重大工程项目调整" in texts["40_adjustments"]
    problems = json.loads((metrics / "problems.json").read_text(encoding="utf-8"))
    assert len(problems["findings"]) == 14  # (the findings backtest lists them)
    for t in texts.values():
        assert "nan" not in t and "None" not in t and "{{" not in t


def test_threshold_override_reaches_the_chapters(tmp_path, run_chapter):
    text = _text(
        run_chapter("20_problems", tmp_path, findings='{"rectification.benchmark": 0.984}')
    )
    assert "道路交通隐患整改率偏低" in text and "本次评估调整了其中1项阈值" in text
    assert "rectification.benchmark" not in text  # a configuration key is not for the reader


def test_pack_without_projects(tmp_path, run_chapter):
    clean = planeval.load_pack(PROJ_ROOT / "tests" / "fixtures" / "packs" / "clean")
    pack = tmp_path / "pack"
    write_ledgers(pack / "台账.xlsx", {k: clean.frames[k] for k in ("indicators", "annual")})
    text = _text(run_chapter("17_projects", tmp_path, data_dir=str(pack), period="2023"))
    assert "数据包中没有“重大工程”台账，本节从略。" in text
    for name in ("20_problems", "40_adjustments"):
        run_chapter(name, tmp_path, data_dir=str(pack), period="2023")
