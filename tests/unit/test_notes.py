"""Analysts' notes: rendered with the section's fields, never raw HTML, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from planeval.data.pack import DataPack
from planeval.narrative.notes import render_note, section_note
from planeval.narrative.render import NarrativeError, markdown_to_html


def _pack(notes):
    return DataPack(root=Path("."), frames={}, notes=notes)


def test_missing_note_gives_nothing():
    assert section_note(_pack({}), "indicators", total_deaths=3) is None
    assert section_note(_pack({"indicators": "  \n"}), "indicators") is None


def test_note_uses_fields_and_filters():
    n = section_note(
        _pack({"indicators": "评估期内死亡{{ total_deaths|int }}人，{{ 7|change(8) }}。"}),
        "indicators",
        total_deaths=9,
    )
    assert n.markdown == "评估期内死亡9人，下降12.5%。"


def test_unknown_field_names_note_and_field():
    with pytest.raises(NarrativeError) as e:
        section_note(_pack({"indicators": "死亡{{ deaths_totl }}人"}), "indicators", total_deaths=9)
    msg = str(e.value)
    assert "indicators" in msg and "deaths_totl" in msg and "不存在" in msg


def test_syntax_error_names_note():
    with pytest.raises(NarrativeError, match="indicators.*第1行模板语法错误"):
        section_note(_pack({"indicators": "{{ total_deaths "}), "indicators", total_deaths=9)


def test_raw_html_never_passes():
    n = section_note(_pack({"indicators": "注意<script>alert(1)</script><b>粗</b>"}), "indicators")
    html = markdown_to_html(n.markdown)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert "<script>" not in n._repr_html_()


def test_sandbox_blocks_python_internals():
    with pytest.raises(NarrativeError, match="不允许"):
        render_note("{{ ''.__class__.__mro__[1].__subclasses__() }}", name="分析说明“x”")
