"""Smoke-test helpers: run one chapter notebook through papermill, read its HTML outputs.

(Packs for these tests are written with ``planeval.data.template.write_ledgers``.)
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from planeval.paths import KERNEL_NAME, NOTEBOOKS_DIR


def execute_chapter(notebook: str, out_dir: Path, **params) -> nbformat.NotebookNode:
    """Execute ``notebooks/<notebook>.ipynb`` with ``params`` (only those given are injected)
    into ``out_dir/<notebook>.ipynb`` with the planeval kernel, cwd the notebooks folder."""
    import papermill as pm

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{notebook}.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / f"{notebook}.ipynb"),
        str(out),
        parameters=params,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(NOTEBOOKS_DIR),
    )
    return nbformat.read(out, 4)


def outputs_html(nb: nbformat.NotebookNode) -> str:
    """Every ``text/html`` output of an executed notebook, concatenated."""
    return "".join(
        o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
    )


@pytest.fixture
def run_chapter():
    """``run_chapter(notebook, out_dir, **params) -> NotebookNode`` (see execute_chapter)."""
    return execute_chapter


@pytest.fixture
def chapter_html():
    """``chapter_html(nb) -> str``: the executed notebook's HTML outputs (see outputs_html)."""
    return outputs_html
