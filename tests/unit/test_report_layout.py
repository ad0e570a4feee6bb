"""The PDF's print.css and the Word styles share one layout (report/layout.py)."""

from __future__ import annotations

import re

from planeval.paths import NBCONVERT_TEMPLATE_DIR
from planeval.report import layout as L

CSS = (NBCONVERT_TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")


def _rule(selector: str) -> str:
    m = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert m, selector
    return m.group(1)


def test_print_css_page_geometry_is_the_layouts():
    m = L.MARGINS_MM
    assert f"margin: {m['top']:g}mm {m['right']:g}mm {m['bottom']:g}mm {m['left']:g}mm" in CSS
    lm = L.LANDSCAPE_MARGINS_MM
    wide = _rule("@page wide")
    assert f"margin: {lm['top']:g}mm {lm['right']:g}mm {lm['bottom']:g}mm {lm['left']:g}mm" in wide


def test_print_css_type_sizes_are_the_layouts():
    body = _rule("body.planeval-report")
    assert f"font-size: {L.BODY_PT:g}pt" in body
    assert f"line-height: {L.LINE_PT:g}pt" in body
    assert f"letter-spacing: {L.CHAR_SPACING_PT:g}pt" in body
    assert f"text-indent: {L.INDENT_PT:g}pt" in _rule(".narrative p, .jp-MarkdownOutput p")
    table = _rule("table")
    assert (
        f"font-size: {L.TABLE_PT:g}pt" in table and f"line-height: {L.TABLE_LINE_PT:g}pt" in table
    )
    small = _rule("table.xwide")
    assert f"font-size: {L.SMALL_TABLE_PT:g}pt" in small
    assert f"line-height: {L.SMALL_TABLE_LINE_PT:g}pt" in small
    assert f"font-size: {L.TITLE_PT:g}pt" in _rule(".cover-title")
    for corner in ("@bottom-right", "@bottom-left"):  # odd pages right, even pages left
        box = _rule(corner)
        assert 'content: "— " counter(page) " —"' in box
        assert f"font-size: {L.PAGE_NUMBER_PT:g}pt" in box


def test_28_characters_fit_a_line_and_22_lines_a_page():
    width = L.text_width_pt()
    assert 28 * (L.BODY_PT + L.CHAR_SPACING_PT) <= width < 29 * (L.BODY_PT + L.CHAR_SPACING_PT)
    height = (L.PAGE_MM[1] - L.MARGINS_MM["top"] - L.MARGINS_MM["bottom"]) / L.MM_PER_PT
    assert int(height // L.LINE_PT) == 22
