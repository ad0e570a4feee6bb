"""Committed notebooks carry no outputs or execution counts (nbstripout --verify equivalent),
and each is a well-formed chapter: planeval metadata, one parameters cell, code hidden."""

from __future__ import annotations

import ast
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


REAL = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_chapter_notebook_is_thin_and_opens_through_the_facade(path: Path):
    """Every chapter: no def/class, every code cell short, one call that loads the pack and
    parses the period (planeval.notebook.open_chapter with the chapter's own id), nothing
    loaded or parsed by hand."""
    nb = nbformat.read(path, as_version=4)
    cid = nb.metadata["planeval"]["id"]
    code = [c for c in nb.cells if c.cell_type == "code"]
    body = [c for c in code if "parameters" not in c.metadata.get("tags", [])]
    for c in body:
        lines = c.source.count("\n") + 1
        assert lines <= 12, f"{path.name}: 单元格 {c.get('id')} 有 {lines} 行（应移入 lib/）"
        tree = ast.parse(c.source.rstrip(";"))
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        for n in ast.walk(tree):
            if isinstance(n, ast.Import):
                raise AssertionError(f"{path.name}: import {n.names[0].name}（用 from … import）")
            if isinstance(n, ast.ImportFrom):
                assert n.module.startswith(ALLOWED_IMPORTS), f"{path.name}: from {n.module}"
    source = "\n".join(c.source for c in body)
    assert source.count("open_chapter(") == 1
    assert f'open_chapter("{cid}", data_dir, period, county, metrics_dir' in body[0].source
    for by_hand in ("load_pack(", "Period.parse(", "section_note(", "write_metrics("):
        assert by_hand not in source, f"{path.name}: {by_hand} (the facade does it)"


ALLOWED_IMPORTS = (
    "planeval.notebook",
    "planeval.chapters",
    "planeval.indicators",
    "planeval.findings",
    "planeval.narrative.phrasing",
)
