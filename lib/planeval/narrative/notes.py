"""Analysts' notes: Markdown from the data pack's notes folder, placed in a chapter section.

``pack.notes[section_id]`` is Markdown that may use the same template fields and filters as the
section's own narrative (``{{ deaths_total|int }}``). Rendering rules:

- no note for the section → nothing (the computed text stands alone);
- a field the section does not have → :class:`NarrativeError` naming the note and the field;
- raw HTML is never passed through: Markdown is rendered with HTML disabled, so ``<script>``
  shows as text;
- the note is rendered in a Jinja2 *sandbox*: a note is text from outside the code base and must
  not reach Python internals (``{{ ''.__class__ }}``-style tricks raise an error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planeval.narrative.render import Narrative, render_string

if TYPE_CHECKING:  # narrative sits below data: the pack is only a type here
    from planeval.data.pack import DataPack


def note_name(section_id: str) -> str:
    """How an error names the note: 分析说明“indicators”."""
    return f"分析说明“{section_id}”（数据包 notes 文件夹）"


def render_note(source: str, /, *, name: str = "分析说明", **ctx) -> Narrative:
    """Render a note's text with the section's fields (sandboxed, strict).

    Raises
    ------
    NarrativeError
        When the note uses a field that does not exist, has a template syntax error, or tries
        something the sandbox forbids; the message names the note.
    """
    return render_string(source, name=name, **ctx)


def section_note(pack: DataPack, section_id: str, /, **ctx) -> Narrative | None:
    """The analyst's note for ``section_id`` rendered with ``ctx``, or None when there is none.

    Examples
    --------
    >>> from pathlib import Path
    >>> from planeval.data.pack import DataPack
    >>> pk = DataPack(root=Path("."), frames={}, notes={"indicators": "共**{{ n|int }}**起。"})
    >>> section_note(pk, "indicators", n=3).markdown
    '共**3**起。'
    >>> section_note(pk, "risk") is None
    True
    """
    text = (pack.notes or {}).get(section_id)
    if text is None or not str(text).strip():
        return None
    return render_note(str(text), name=note_name(section_id), **ctx)
