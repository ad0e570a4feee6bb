"""Assemble the executed chapters into the report's outline (``planeval/outline.yaml`` or the
pack's own ``outline.yaml``).

A chapter notebook's output is cut into *blocks*: everything it shows belongs to the block named
like the chapter (``risk``) until it calls :func:`planeval.report.display.block` with another
id (``risk.sector:工贸行业``). The outline says which blocks go in which section; this module
walks the outline and writes, for each section: its numbered heading, its blocks, the plan tasks
of the section (count sentence and each lead department's progress), the analyst's note
``notes/<section id>.md`` (a chapter's own note is shown by the chapter), then its
sub-sections. A section with nothing in it is left out and the numbers close up. Method notes
(:func:`planeval.report.display.method_note`) are kept after the outline, each after its
chapter's marker, for the appendix.

One block is made here, without a notebook: ``tasks.summary`` (all tasks counted, for 总体评价).
The tasks that are 滞后 or past 完成时限 are a section of the problems chapter (and of the
suggestions), numbered after the findings' topics.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import nbformat
from nbformat import v4

from planeval.chapters.plantasks import assess, count_sentence, counts, section_text
from planeval.narrative.notes import section_note
from planeval.narrative.render import Narrative, markdown_to_html
from planeval.outline import BLOCKS, Outline, Section, block_family, read_outline
from planeval.report.chapters import ChapterResult

BLOCK_MARK = "planeval-block"  # = planeval.report.display.BLOCK_CLASS
_BLOCK_RE = re.compile(r'class="planeval-block"[^>]*data-block="([^"]*)"')
_METHOD_RE = re.compile(r'class="method-note"')


@dataclass
class ChapterBlocks:
    """One chapter's output cut into blocks (block id → cells), its method notes, its marker."""

    chapter: str
    title: str
    blocks: dict[str, list] = field(default_factory=dict)
    method: list = field(default_factory=list)
    failed: str = ""  # the failure placeholder's HTML


def _html_of(output) -> str:
    data = output.get("data", {}) if output.get("output_type") != "stream" else {}
    return str(data.get("text/html", ""))


def split_blocks(cells: Sequence, chapter_id: str) -> tuple[dict[str, list], list]:
    """Cut a chapter's report cells into blocks at each block marker (output by output).

    Returns (block id → new cells, in order; method-note cells).
    """
    blocks: dict[str, list] = {}
    method: list = []
    current = chapter_id

    def put(cell) -> None:
        blocks.setdefault(current, []).append(cell)

    for cell in cells:
        if cell.cell_type != "code":
            # A chapter notebook's own Markdown headings (“#### 1. 提升风险管控能力”) title it in
            # JupyterLab and on its chapter page; in the report the outline gives the headings.
            if not _is_heading_only(cell):
                put(cell)
            continue
        pending: list = []
        for out in cell.get("outputs", []):
            h = _html_of(out)
            m = _BLOCK_RE.search(h)
            if m:
                if pending:
                    put(_cell(pending))
                    pending = []
                current = html.unescape(m.group(1))
                blocks.setdefault(current, [])
                continue
            if _METHOD_RE.search(h):
                method.append(_cell([out]))
                continue
            pending.append(out)
        if pending:
            put(_cell(pending))
    return blocks, method


def _is_heading_only(cell) -> bool:
    lines = [ln for ln in str(cell.get("source", "")).splitlines() if ln.strip()]
    return bool(lines) and all(ln.lstrip().startswith("#") for ln in lines)


def _cell(outputs: list):
    c = v4.new_code_cell(source="")
    c.outputs = list(outputs)
    return c


def _html_cell(text: str):
    return _cell([v4.new_output("display_data", data={"text/html": text})])


def _narrative_cell(n: Narrative | str):
    md = n.markdown if isinstance(n, Narrative) else str(n)
    return _html_cell(f'<div class="narrative">{markdown_to_html(md)}</div>')


def heading_html(s: Section) -> str:
    """A section's heading: ``<h4 class="outline">2. 提升风险管控能力</h4>`` (escaped)."""
    return (
        f'<h{s.level} class="outline" data-section="{html.escape(s.id)}">'
        f"{html.escape(s.heading)}</h{s.level}>"
    )


def outline_for(pack, ol: Outline | None = None) -> Outline:
    """The pack's outline expanded with its 重大工程 categories and projects."""
    ol = ol or read_outline(pack.root)
    projects = pack.get("projects")
    groups: list[tuple[str, list[str]]] = []
    if projects is not None and len(projects):
        for cat, g in projects.groupby("category", sort=False):
            groups.append((str(cat), [str(n) for n in g["name"]]))
    return ol.expanded(projects=groups)


def assemble(
    results: Sequence[ChapterResult],
    *,
    pack,
    period,
    county: str,
    outline: Outline | None = None,
    read_cells=None,
    marker=None,
    failure=None,
    whole=None,
) -> nbformat.NotebookNode:
    """One notebook in the outline's order: headings, blocks, tasks, notes; then method notes.

    Parameters
    ----------
    results : the chapters of the run (executed or failed).
    pack, period, county : for the task lists and the notes of sections without a chapter.
    outline : default: the pack's (:func:`outline_for`).
    read_cells : ``ChapterResult -> cells`` (the stitcher's report cells of an executed chapter).
    marker : ``(chapter id, title) -> cell`` (the stitcher's chapter marker).
    failure : ``ChapterResult -> html`` (the stitcher's failure placeholder).
    whole : ``ChapterResult -> cells``, a chapter as it is on its own (its headings kept), for
        a chapter no outline block names (one registered by a pack or a test, not in
        :data:`planeval.outline.BLOCKS`): it follows the outline's sections, in run order.
        Default: such chapters are left out.
    """
    ol = outline_for(pack, outline)
    tasks = assess(pack.get("tasks"), period)
    chapter_ids = {r.id for r in results}
    # the outline section that holds a chapter's own block names it in the appendix
    owner = {b: s for s in ol.walk() for b in s.blocks}
    chapters: dict[str, ChapterBlocks] = {}
    for r in results:
        title = owner[r.id].title if r.id in owner else r.title
        cb = ChapterBlocks(r.id, title)
        if r.ok:
            cb.blocks, cb.method = split_blocks(read_cells(r), r.id)
        else:
            cb.failed = failure(r)
        chapters[r.id] = cb
    by_block: dict[str, tuple[ChapterBlocks, list]] = {}
    for cb in chapters.values():
        for b, cells in cb.blocks.items():
            by_block[b] = (cb, cells)

    def block_cells(b: str) -> list:
        if b == "tasks.summary":
            s = count_sentence(counts(tasks), scope=f"{period.label}，规划确定的")
            return [_narrative_cell(s)] if s else []
        if b in by_block:
            cb, cells = by_block[b]
            return [marker(cb.chapter, cb.title), *cells] if cells else []
        fam = block_family(b)
        cb = chapters.get(b) or chapters.get(fam)
        if cb is not None and cb.failed and b == cb.chapter:
            return [marker(cb.chapter, cb.title), _html_cell(cb.failed)]
        return []

    content: dict[str, list] = {}
    for s in ol.walk():
        cells: list = []
        for b in s.blocks:
            cells += block_cells(b)
        if s.tasks and len(tasks):
            t = section_text(tasks, s.id, period)
            if t is not None:
                cells.append(_narrative_cell(t))
        if s.id not in chapter_ids:
            note = section_note(
                pack,
                s.id,
                period=period.label,
                county=county,
                title=s.title,
                **_task_fields(tasks, s.id),
            )
            if note is not None:
                cells.append(_narrative_cell(note))
        if cells:
            content[s.id] = cells
    kept = ol.numbered(set(content))
    out: list = []

    def emit(s: Section) -> None:
        out.append(_html_cell(heading_html(s)))
        out.extend(content.get(s.id, []))
        for k in s.sections:
            emit(k)

    for s in kept.sections:
        emit(s)
    known = {c for c, _ in BLOCKS.values()}
    if whole is not None:
        for r in results:
            if r.id not in known:
                out.extend(whole(r))
    for cb in chapters.values():
        if cb.method and (cb.chapter in known or whole is None):
            out.append(marker(cb.chapter, cb.title))
            out.extend(cb.method)
    nb = v4.new_notebook()
    nb.cells = out
    return nb


def _task_fields(tasks, sid: str) -> dict:
    """Fields a section's note may use: its task counts (n_tasks, done, on_track, behind)."""
    from planeval.chapters.plantasks import in_section

    c = counts(in_section(tasks, sid)) if len(tasks) else counts(tasks)
    return {"n_tasks": c.total, "done": c.done, "on_track": c.on_track, "behind": c.behind}


def headings(nb: nbformat.NotebookNode) -> list[str]:
    """The outline headings of an assembled notebook, in order (for tests and checks)."""
    pat = re.compile(r'<h\d class="outline"[^>]*>(.*?)</h\d>')
    return [
        html.unescape(m.group(1))
        for c in nb.cells
        for o in c.get("outputs", [])
        for m in pat.finditer(_html_of(o))
    ]
