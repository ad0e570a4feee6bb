"""Every source chapter in notebooks/ runs top to bottom with its default parameters (no
injected parameters: the embedded demo pack), as it does when opened in JupyterLab."""

from __future__ import annotations

import papermill
import pytest

from planeval.paths import KERNEL_NAME, NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

SOURCES = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_runs_with_defaults(path, tmp_path):
    out = tmp_path / path.name
    papermill.execute_notebook(
        str(path),
        str(out),
        kernel_name=KERNEL_NAME,
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
        log_output=False,
    )
    # Warnings inside the kernel land in stderr outputs: no chart may miss a glyph.
    assert "missing from font" not in out.read_text(encoding="utf-8")
