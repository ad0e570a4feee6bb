"""Committed notebooks carry no outputs or execution counts (nbstripout --verify equivalent),
and each is a well-formed chapter: planeval metadata, one parameters cell, code hidden."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from planeval.paths import NOTEBOOKS_DIR, PROJ_ROOT
from planeval.registry import CHAPTERS

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(
    (PROJ_ROOT / "tests" / "fixtures" / "notebooks").rglob("*.ipynb")
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_stripped(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: 单元格 {cell.get('id')} 带有输出"
            assert cell.execution_count is None, (
                f"{path.name}: 单元格 {cell.get('id')} 带有执行序号"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_a_chapter(path: Path):
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("planeval", {})
    if path.parent == NOTEBOOKS_DIR:  # a real chapter: only its id; the rest is in the registry
        assert meta == {"id": meta.get("id")} and CHAPTERS.get(meta["id"]).notebook == path.name
    else:  # a fixture outside the registry states its title and stage
        assert meta.get("id") and meta.get("title") and meta.get("stage") in (1, 2)
    assert nb.metadata.get("kernelspec", {}).get("name") == "planeval"
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert sum("parameters" in t for t in tags) == 1
    for cell, t in zip(nb.cells, tags, strict=True):
        if cell.cell_type == "code":
            assert "remove-input" in t, (
                f"{path.name}: 代码单元格 {cell.get('id')} 缺少 remove-input 标签"
            )


def test_every_registered_chapter_has_its_notebook():
    """The registry and notebooks/ list the same chapters, in the same (report) order."""
    real = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    ids = [nbformat.read(p, as_version=4).metadata["planeval"]["id"] for p in real]
    assert [s.notebook for s in CHAPTERS] == [p.name for p in real]
    assert list(CHAPTERS.ids()) == ids
