"""Strip outputs from source notebooks: ``make strip`` (nbstripout's job, with nbformat only).

A chapter saved in JupyterLab keeps its outputs and execution counts; committed notebooks must
not (``tests/unit/test_report_notebooks_stripped.py``). ``.pre-commit-config.yaml`` runs the
upstream ``nbstripout`` hook on commit; this module is the same step for those without
pre-commit, and ``--check`` is its ``--verify``::

    python -m planeval.report.stripout notebooks/*.ipynb          # strip in place
    python -m planeval.report.stripout --check notebooks/*.ipynb  # exit 1 if any has outputs

What is removed (nbstripout's defaults): outputs, execution counts, the cell metadata
``collapsed``, ``scrolled``, ``ExecuteTime``, ``execution``, ``papermill`` and the notebook
metadata ``signature``, ``widgets``, ``papermill``. Tags, the kernelspec and the ``planeval``
chapter metadata stay.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat

CELL_KEYS = ("collapsed", "scrolled", "ExecuteTime", "execution", "papermill")
NOTEBOOK_KEYS = ("signature", "widgets", "papermill")


def strip(nb: nbformat.NotebookNode) -> bool:
    """Strip ``nb`` in place; True when anything was removed."""
    changed = False
    for key in NOTEBOOK_KEYS:
        changed |= nb.metadata.pop(key, None) is not None
    for cell in nb.cells:
        for key in CELL_KEYS:
            changed |= cell.metadata.pop(key, None) is not None
        if cell.cell_type == "code":
            if cell.get("outputs"):
                cell.outputs = []
                changed = True
            if cell.get("execution_count") is not None:
                cell.execution_count = None
                changed = True
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m planeval.report.stripout",
        description="清除 notebook 的输出和执行序号（提交前）",
    )
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--check", action="store_true", help="只检查：有输出的列出并返回 1")
    args = ap.parse_args(argv)
    dirty = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            dirty.append(path)
            if not args.check:
                nbformat.write(nb, path)
    verb = "带有输出（请运行 make strip）" if args.check else "已清除输出"
    for path in dirty:
        print(f"{path}：{verb}", file=sys.stderr)
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
