"""What a chapter notebook shows: headings, narrative, tables — always escaped HTML.

Chapter notebooks call these instead of printing, so the stitched report is uniform and no text
from the data pack can become markup.
"""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from planeval.narrative.render import Narrative, markdown_to_html


def heading(text: str, level: int = 3) -> None:
    """A heading inside a chapter (levels 2–5); numbering such as “（一）” is part of ``text``."""
    display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


BLOCK_CLASS = "planeval-block"


def block_marker_html(block_id: str, title: str | None = None, level: int = 5) -> str:
    head = f'<h{level} class="block-heading">{html.escape(title)}</h{level}>' if title else ""
    return f'<div class="{BLOCK_CLASS}" data-block="{html.escape(block_id)}">{head}</div>'


def block(block_id: str, title: str | None = None, level: int = 5) -> None:
    """What follows belongs to the outline block ``block_id`` (``risk.sector:工贸行业``) until
    the next call; before the first call, to the block named like the chapter. The report puts
    each block in the outline section that lists it (``planeval/outline.yaml``), under the
    outline's numbered heading; ``title`` is the heading shown where the chapter is read on its
    own (the notebook in JupyterLab, the chapter page), which the report leaves out."""
    display(HTML(block_marker_html(block_id, title, level)))


def show(narrative: Narrative | str) -> None:
    """Show a rendered narrative (or Markdown text) as safe HTML."""
    md = narrative.markdown if isinstance(narrative, Narrative) else str(narrative)
    display(HTML(f'<div class="narrative">{markdown_to_html(md)}</div>'))


def notice(text: str) -> None:
    """A one-line notice, e.g. that a ledger is missing from the pack."""
    display(HTML(f'<p class="notice">{html.escape(text)}</p>'))


def table_html(
    df: pd.DataFrame,
    caption: str | None = None,
    note: str | None = None,
    *,
    index: bool = False,
    css_class: str = "report-table",
) -> str:
    """HTML of a report table (values escaped; NaN shown as “—”)."""
    body = df.to_html(index=index, escape=True, na_rep="—", border=0, classes=css_class)
    cap = f'<p class="table-caption">{html.escape(caption)}</p>' if caption else ""
    nt = f'<p class="table-note">{html.escape(note)}</p>' if note else ""
    return f'<div class="table-wrap">{cap}{body}{nt}</div>'


def table(df: pd.DataFrame, caption: str | None = None, note: str | None = None, **kw) -> None:
    """Show a report table."""
    display(HTML(table_html(df, caption, note, **kw)))


METHOD_NOTE_CLASS = "method-note"


def method_note_html(
    narrative: Narrative | str | None = None,
    *,
    table: pd.DataFrame | None = None,
    caption: str | None = None,
    note: str | None = None,
) -> str:
    """HTML of a method note: the narrative, then the optional table, in one marked ``<div>``."""
    parts = []
    if narrative is not None:
        md = narrative.markdown if isinstance(narrative, Narrative) else str(narrative)
        parts.append(f'<div class="narrative">{markdown_to_html(md)}</div>')
    if table is not None:
        parts.append(table_html(table, caption, note))
    return f'<div class="{METHOD_NOTE_CLASS}">{"".join(parts)}</div>'


def method_note(
    narrative: Narrative | str | None = None,
    *,
    table: pd.DataFrame | None = None,
    caption: str | None = None,
    note: str | None = None,
) -> None:
    """Show a chapter's method note (计算口径与评价方法, 统计口径说明, rule tables …).

    In the notebook it shows where it is called; the stitched report moves every method note
    into the appendix “附录　计算口径与评价方法”, one subsection per chapter in report order.

    Parameters
    ----------
    narrative : the rendered method note (or Markdown text); None for a table only.
    table : an optional table that belongs with it (e.g. the findings and their ids).
    caption, note : the table's caption and note.
    """
    display(HTML(method_note_html(narrative, table=table, caption=caption, note=note)))
