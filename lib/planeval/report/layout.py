"""The one page layout of the Word and PDF reports (公文 form, GB/T 9704-2012 as far as a county
evaluation report follows it), so that the two paginate alike and a page reference holds in both.

``docx.py`` builds the Word styles from these numbers; ``templates/planeval/print.css`` writes the
same numbers for WeasyPrint (``tests/unit/test_report_layout.py`` checks that they agree).

- A4, 版心 156 mm × 225 mm: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
- Body 三号 (16 pt) on a fixed line pitch of 28.9 pt (22 lines a page), characters condensed by
  0.25 pt so that 28 fit a line (28 × 15.75 pt = 441 pt ≤ 442.2 pt).
- Title 二号 (22 pt); headings 三号 like the body: 一级 黑体, 二级 楷体, 三级 仿宋 bold, 四级 仿宋.
- Page numbers 四号 (14 pt) “— N —” below the type area, at the outside corner one character in
  (odd pages right, even pages left); the cover carries none (it is page 1, unnumbered).
- Tables 五号 (10.5 pt, 15 pt lines); from 11 columns 小五 (9 pt, 12 pt lines).
- A table too wide for the portrait text width is set on an A4 landscape page (margins below).
"""

from __future__ import annotations

MM_PER_PT = 25.4 / 72

PAGE_MM = (210.0, 297.0)
MARGINS_MM = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
LANDSCAPE_MARGINS_MM = {"top": 24.0, "bottom": 24.0, "left": 26.0, "right": 26.0}
FOOTER_MM = 22.0  # page bottom to the page number's baseline box: 7 mm below the type area

BODY_PT = 16.0  # 三号
LINE_PT = 28.9  # fixed line pitch: 225 mm / 22 lines
CHAR_SPACING_PT = -0.25  # 28 characters a line
INDENT_PT = 32.0  # first-line indent: two characters
TITLE_PT = 22.0  # 二号
PAGE_NUMBER_PT = 14.0  # 四号
CAPTION_PT = 14.0  # 表题、图题: 四号黑体
CAPTION_LINE_PT = 24.0
NOTE_PT = 12.0  # 表注: 小四
NOTE_LINE_PT = 18.0
TABLE_PT, TABLE_LINE_PT = 10.5, 15.0
SMALL_TABLE_PT, SMALL_TABLE_LINE_PT = 9.0, 12.0
SMALL_TABLE_COLUMNS = 11  # from this many columns a table is set in SMALL_TABLE_PT
CELL_PAD_PT, SMALL_CELL_PAD_PT = 4.0, 2.0  # left and right cell padding

# Word names the faces Chinese offices have; the PDF embeds openly licensed stand-ins (fonts.py).
FACES = {
    "title": "方正小标宋简体",
    "hei": "黑体",
    "kai": "楷体_GB2312",
    "fang": "仿宋_GB2312",
    "song": "宋体",
}


def text_width_pt(landscape: bool = False) -> float:
    """The type area's width in points (portrait 156 mm, landscape 245 mm)."""
    w = PAGE_MM[1] if landscape else PAGE_MM[0]
    m = LANDSCAPE_MARGINS_MM if landscape else MARGINS_MM
    return (w - m["left"] - m["right"]) / MM_PER_PT


def twips(pt: float) -> int:
    """Points to twentieths of a point (Word's dxa)."""
    return round(pt * 20)


def mm_twips(mm: float) -> int:
    return twips(mm / MM_PER_PT)
