"""Chapter execution: one chapter notebook through papermill, and progress lines.

:func:`execute_chapter` never raises: kernel death, a missing kernel or an error cell all become a
failed :class:`~planeval.report.chapters.ChapterResult` whose executed notebook is the log.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from planeval.paths import KERNEL_NAME
from planeval.report.chapters import Chapter, ChapterResult
from planeval.report.console import RunProgress

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# Stage lines, chapter lines and the chapter bar (report/console.py); the old name stays.
Progress = RunProgress


def one_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of ``text`` without ANSI colours, cut at ``limit`` characters.

    >>> one_line("\\x1b[31mValueError: bad\\x1b[0m\\nTraceback …")
    'ValueError: bad'
    """
    text = _ANSI.sub("", str(text)).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def execute_chapter(
    ch: Chapter, out_nb: Path, parameters: dict[str, Any], cwd: Path, km=None, kc=None
) -> ChapterResult:
    """Execute one chapter with papermill (always passing ``kernel_name``); never raises.

    ``km``: a running kernel to execute in (a warm one from :class:`WarmKernels`); None starts
    a fresh kernel for this chapter. ``kc``: that kernel's connected client, used as it is
    (papermill's engine would connect a new one and wait for the kernel first).
    """
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    from planeval.report.engine import ENGINE_NAME
    from planeval.report.kernels import EXTRA_ARGS

    # Parameters were checked by check_chapter_params; papermill's own warnings are noise here.
    logging.getLogger("papermill").setLevel(logging.ERROR)

    res = ChapterResult(ch.id, ch.name, ch.title, ch.stage, executed=str(out_nb))
    t = time.monotonic()
    try:
        papermill.execute_notebook(
            str(ch.path),
            str(out_nb),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            # The kernel's working directory, given to nbclient rather than papermill's ``cwd``
            # (which os.chdir()s the whole process: not safe with chapters in parallel threads).
            resources={"metadata": {"path": str(cwd)}},
            extra_arguments=EXTRA_ARGS,  # quiet, no input history
            **({"km": km} if km is not None else {}),
            **({"engine_name": ENGINE_NAME, "kc": kc} if km is not None and kc is not None else {}),
        )
        res.status = "ok"
    except PapermillExecutionError as e:
        res.status = "failed"
        res.error = one_line(f"{e.ename}: {e.evalue}")
    except Exception as e:  # noqa: BLE001 - kernel death, missing kernel… all become a failed chapter
        res.status = "failed"
        res.error = one_line(f"{type(e).__name__}: {e}")
    res.seconds = round(time.monotonic() - t, 2)
    return res


def record_final_paths(executed: Path, staging: Path, target: Path) -> None:
    """Make an executed notebook record the report folder instead of the staging folder.

    The chapters run with ``metrics_dir`` inside the staging folder, which is renamed to the
    target at the end; the injected-parameters cell and papermill's metadata (parameters,
    output path) are rewritten so that re-running the executed notebook by hand points at the
    final folder.
    """
    import nbformat

    old, new = str(staging), str(target)
    # papermill writes the non-ASCII characters of a string parameter as \uXXXX escapes
    old_esc, new_esc = (json.dumps(x)[1:-1] for x in (old, new))
    nb = nbformat.read(executed, as_version=4)
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.source.replace(old, new).replace(old_esc, new_esc)
            changed |= src != cell.source
            cell.source = src

    def fix(node):  # papermill's metadata: output_path, parameters …
        nonlocal changed
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in list(items):
            if isinstance(v, str) and old in v:
                node[k] = v.replace(old, new)
                changed = True
            elif isinstance(v, dict | list):
                fix(v)

    fix(nb.metadata.get("papermill", {}))
    if changed:
        nbformat.write(nb, executed)
