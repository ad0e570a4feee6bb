"""Chapter discovery: ``notebooks/NN_<id>.ipynb`` in file-name order, with their metadata; and
:class:`ChapterResult`, what happened to one chapter in a run (read by the stitcher and the
manifest)."""

from __future__ import annotations

import copy
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from planeval.paths import KERNEL_NAME
from planeval.registry import CHAPTERS
from planeval.report.params import ParamsError


@dataclass(frozen=True)
class Chapter:
    """One chapter notebook.

    Attributes
    ----------
    path : the source notebook.
    id : ``planeval.id`` from the notebook metadata (``risk``).
    title : from the chapter's registry spec (Chinese), used for the failure placeholder; a
        notebook outside the registry (a test fixture) gives ``planeval.title``.
    stage : 1, or 2 for chapters that read the findings (run after all of stage 1); from the
        registry, or ``planeval.stage`` outside it.
    parameters : ``papermill.inspect_notebook`` result (name → info).
    """

    path: Path
    id: str
    title: str
    stage: int = 1
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class ChapterResult:
    """What happened to one chapter in a run."""

    id: str
    file: str
    title: str
    stage: int
    status: str = "pending"  # ok | failed
    seconds: float = 0.0
    error: str = ""
    executed: str = ""  # path of the executed notebook

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def heading_level(title: str) -> int:
    """The HTML heading level a chapter title is written at (一、→2, （一）→3, 1.→4)."""
    t = title.strip()
    if re.match(r"^[（(][一二三四五六七八九十]+[)）]", t):
        return 3
    if re.match(r"^\d+[.．、]", t):
        return 4
    return 2


def _neutralise_comments(source: str) -> str:
    """Replace “=” inside comments by “＝” (papermill skips a line holding more than one “=”)."""
    lines = source.splitlines()
    try:
        toks = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    for tok in toks:
        if tok.type == tokenize.COMMENT:
            row, col = tok.start
            line = lines[row - 1]
            lines[row - 1] = line[:col] + line[col:].replace("=", "＝")
    return "\n".join(lines)


def inspect_parameters(nb: nbformat.NotebookNode) -> dict[str, dict[str, Any]] | None:
    """The parameters a chapter declares, as ``papermill.inspect_notebook`` reports them.

    papermill's inspector silently skips any line with more than one “=”, so a help comment such
    as ``# 空 = 示例数据`` would hide its parameter; “=” in comments is neutralised first.
    Returns None when the notebook has no cell tagged ``parameters``.
    """
    from papermill.translators import papermill_translators

    idx = next(
        (
            i
            for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if idx is None:
        return None
    cell = copy.deepcopy(nb.cells[idx])
    cell.source = _neutralise_comments(cell.source)
    translator = papermill_translators.find_translator(KERNEL_NAME, "python")
    return {p.name: p._asdict() for p in translator.inspect(cell)}


def discover(notebooks_dir: Path, only: list[str] | None = None) -> list[Chapter]:
    """The chapters in ``notebooks_dir``, sorted by file name.

    Parameters
    ----------
    notebooks_dir : folder of source notebooks.
    only : chapter ids to keep (``--chapters``); an unknown id is an error.

    Raises
    ------
    ParamsError
        No notebooks, a notebook without ``planeval`` metadata, duplicate or unknown ids.
    """
    notebooks_dir = Path(notebooks_dir).resolve()
    files = sorted(p for p in notebooks_dir.glob("*.ipynb") if not p.name.startswith("."))
    if not files:
        raise ParamsError([f"章节目录 {notebooks_dir} 中没有 notebook"])
    problems: list[str] = []
    chapters: list[Chapter] = []
    for f in files:
        try:
            nb = nbformat.read(f, as_version=4)
        except Exception as e:  # noqa: BLE001 - any unreadable notebook is reported the same way
            problems.append(f"章节 {f.name} 无法读取：{e}")
            continue
        meta = nb.metadata.get("planeval")
        if not isinstance(meta, dict) or not meta.get("id"):
            problems.append(f'章节 {f.name} 缺少 notebook 元数据 "planeval": {{"id": …}}')
            continue
        cid = str(meta["id"])
        if cid in CHAPTERS:  # a registered chapter: its title and stage are the registry's
            spec = CHAPTERS.get(cid)
            if spec.notebook != f.name:
                problems.append(
                    f"章节 {f.name} 的 id “{cid}” 在章节登记表中对应 {spec.notebook}"
                    "（planeval/registry.py）"
                )
                continue
            title, stage = spec.title, spec.stage
        else:  # a chapter outside the registry (test fixtures) states them in its metadata
            title, stage = meta.get("title"), meta.get("stage", 1)
            if not title:
                problems.append(
                    f"章节 {f.name} 未在章节登记表中（planeval/registry.py），且 notebook 元数据 "
                    '"planeval" 缺少 "title"'
                )
                continue
            if stage not in (1, 2):
                problems.append(f"章节 {f.name} 的 stage 应为 1 或 2，实际为 {stage!r}")
                continue
        params = inspect_parameters(nb)
        if params is None:
            problems.append(f"章节 {f.name} 没有标记为 parameters 的单元格")
            continue
        chapters.append(Chapter(f, cid, str(title), int(stage), params))
    ids = [c.id for c in chapters]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(
            f"章节 id “{dup}” 重复：" + "、".join(c.name for c in chapters if c.id == dup)
        )
    if only:
        unknown = [i for i in only if i not in ids]
        if unknown:
            problems.append(
                f"--chapters 中的章节 id 不存在：{'、'.join(unknown)}（可用：{'、'.join(ids)}）"
            )
        chapters = [c for c in chapters if c.id in only]
    if problems:
        raise ParamsError(problems)
    return chapters
