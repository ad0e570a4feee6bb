"""Run the chapter notebooks' code in this Python process: the lower bound of a report build.

This is "the same ``lib/`` calls the chapters make" taken literally: every code cell of every
chapter notebook in ``notebooks/`` is executed here, in one namespace per chapter, with the
parameters the runner would inject (papermill's order: the ``parameters`` cell, then the injected
values). What a kernel adds is left out or replaced by its bare cost:

- ``display(...)`` is a no-op, but everything the chapter builds to display (narratives rendered
  through Jinja2 and Markdown, ``display.table`` HTML) is still built;
- each open matplotlib figure is rendered to PNG in memory at the end of its cell, as the inline
  backend does (``bbox_inches="tight"``, the figure's dpi), then closed;
- the last bare expression of a cell is evaluated and its HTML/text repr built;
- ``planeval.load_pack`` is memoised per folder: the pack is validated (or read from its cache)
  once and shared by all chapters, instead of once per chapter kernel.

Stage-1 chapters run before stage-2 ones (which read stage 1's metrics), in file-name order.
"""

from __future__ import annotations

import ast
import io
import json
import time
from pathlib import Path
from typing import Any

import nbformat


def chapter_list(notebooks_dir: Path) -> list[dict[str, Any]]:
    """``[{path, id, stage}]`` of the chapter notebooks, in run order (stage, then file name)."""
    from planeval.registry import CHAPTERS

    out = []
    for p in sorted(Path(notebooks_dir).glob("[0-9]*.ipynb")):
        meta = nbformat.read(p, as_version=4).metadata.get("planeval", {})
        cid = meta.get("id", p.stem)
        stage = CHAPTERS.get(cid).stage if cid in CHAPTERS else meta.get("stage", 1)
        out.append({"path": str(p), "id": cid, "stage": stage})
    return sorted(out, key=lambda c: (c["stage"], Path(c["path"]).name))


def _patch_display() -> None:
    import IPython.display
    from IPython.core import display_functions

    def nothing(*_a: object, **_k: object) -> None:
        return None

    IPython.display.display = nothing
    display_functions.display = nothing
    try:
        from planeval.report import display as pdisplay

        pdisplay.display = nothing
    except ImportError:
        pass


def _memoise_load_pack(preloaded: dict[str, Any] | None = None) -> dict[str, Any]:
    import planeval

    memo: dict[str, Any] = dict(preloaded or {})
    real = planeval.load_pack

    def load_pack(path, *, use_cache: bool = True):  # noqa: ANN001, ANN202 - same signature
        key = str(Path(path).resolve())
        if key not in memo:
            memo[key] = real(path, use_cache=use_cache)
        return memo[key]

    planeval.load_pack = load_pack
    import planeval.notebook  # the chapters load the pack through the facade

    planeval.notebook.load_pack = load_pack
    return memo


def _render_figures() -> int:
    import matplotlib.pyplot as plt

    n = 0
    for num in plt.get_fignums():
        fig = plt.figure(num)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=fig.dpi, bbox_inches="tight")
        plt.close(fig)
        n += 1
    return n


def _show_last(value: object) -> None:
    if value is None:
        return
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        html()
    else:
        repr(value)


def _transform(source: str) -> str:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def run_chapter(path: str | Path, params: dict[str, Any]) -> dict[str, Any]:
    """Execute one chapter notebook's code cells; returns ``{seconds, figures, cells}``."""
    nb = nbformat.read(path, as_version=4)
    ns: dict[str, Any] = {"__name__": "__main__", "get_ipython": lambda: None}
    t = time.perf_counter()
    figures = 0
    cells = 0
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        src = _transform(cell.source)
        if "parameters" in cell.metadata.get("tags", []):
            src += "\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items())
        tree = ast.parse(src, filename=f"{path}#cell{i}")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr) and not src.rstrip().endswith(";"):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, f"{path}#cell{i}", "exec"), ns)  # noqa: S102 - our own notebooks
        if last is not None:
            _show_last(eval(compile(last, f"{path}#cell{i}", "eval"), ns))  # noqa: S307
        figures += _render_figures()
        cells += 1
    return {"seconds": time.perf_counter() - t, "figures": figures, "cells": cells}


def run_all(
    chapters: list[dict[str, Any]],
    values: dict[str, Any],
    declared: dict[str, list[str]] | None = None,
    preloaded: dict[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run every chapter in this process.

    Parameters
    ----------
    chapters : :func:`chapter_list` entries (run in the given order).
    values : parameter values by name (as ``notebook_values`` gives them).
    declared : notebook path → its parameter names; only those are injected (default: all the
        names its ``parameters`` cell assigns).
    preloaded : folder → an already loaded DataPack for the memoised ``load_pack``.

    Returns
    -------
    dict
        chapter id → ``{seconds, figures, cells}``.
    """
    import matplotlib

    matplotlib.use("Agg")
    _patch_display()
    _memoise_load_pack(preloaded)
    out = {}
    for ch in chapters:
        names = (declared or {}).get(ch["path"])
        if names is None:
            names = _parameter_names(ch["path"])
        params = {k: _as_declared(values[k]) for k in names if k in values}
        out[ch["id"]] = run_chapter(ch["path"], params)
    return out


def _as_declared(v: object) -> object:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v


def _parameter_names(path: str | Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            names = []
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.append(node.target.id)
                elif isinstance(node, ast.Assign):
                    names += [t.id for t in node.targets if isinstance(t, ast.Name)]
            return names
    return []
