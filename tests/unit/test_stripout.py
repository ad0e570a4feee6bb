"""``make strip`` (planeval.report.stripout) and the pre-commit config that strips on commit."""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from planeval.paths import NOTEBOOKS_DIR, PROJ_ROOT
from planeval.report.stripout import main, strip


def _saved_in_lab(path):
    """A chapter as JupyterLab saves it after a run: outputs, counts, UI metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "planeval",
        "display_name": "planeval",
        "language": "python",
    }
    nb.metadata["planeval"] = {"id": "x", "title": "X", "stage": 1}
    nb.metadata["widgets"] = {"state": {}}
    code = nbformat.v4.new_code_cell("print(1)", execution_count=3)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    code.metadata.update({"tags": ["remove-input"], "scrolled": True, "ExecuteTime": {}})
    nb.cells = [nbformat.v4.new_markdown_cell("## 标题"), code]
    nbformat.write(nb, path)
    return path


def test_strip_removes_outputs_counts_and_ui_metadata_keeps_tags_and_chapter(tmp_path):
    path = _saved_in_lab(tmp_path / "c.ipynb")
    assert main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    code = nb.cells[1]
    assert (code.outputs, code.execution_count) == ([], None)
    assert code.metadata == {"tags": ["remove-input"]}
    assert "widgets" not in nb.metadata
    assert nb.metadata["planeval"] == {"id": "x", "title": "X", "stage": 1}
    assert nb.metadata["kernelspec"]["name"] == "planeval"
    assert strip(nb) is False  # idempotent


def test_check_reports_without_writing(tmp_path, capsys):
    path = _saved_in_lab(tmp_path / "c.ipynb")
    before = path.read_bytes()
    assert main(["--check", str(path)]) == 1
    assert path.read_bytes() == before
    assert "带有输出（请运行 make strip）" in capsys.readouterr().err
    main([str(path)])
    assert main(["--check", str(path)]) == 0


@pytest.mark.parametrize("path", sorted(NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_chapters_have_nothing_to_strip(path):
    assert strip(nbformat.read(path, as_version=4)) is False


def test_pre_commit_strips_the_chapters_and_runs_ruff():
    cfg = yaml.safe_load((PROJ_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in cfg["repos"] for h in repo["hooks"]}
    files = re.compile(hooks["nbstripout"]["files"])
    assert files.search("notebooks/11_indicators.ipynb")
    assert files.search("tests/fixtures/notebooks/ok/a.ipynb")
    assert not files.search("reports/示例县/midterm-2023H1/notebooks/11_indicators.ipynb")
    assert {"ruff-check", "ruff-format"} <= set(hooks)
