"""Table column widths from the cells' text, in twips: the Word file sets them on its tables
(:mod:`planeval.report.docx`) and the PDF on the same tables' ``<colgroup>``
(:mod:`planeval.report.pdf`), so both wrap every cell alike."""

from __future__ import annotations

import re

from planeval.report import layout as L

TEXT_WIDTH_TWIPS = L.twips(L.text_width_pt())  # 156 mm
LANDSCAPE_WIDTH_TWIPS = L.twips(L.text_width_pt(landscape=True))  # 245 mm


def text_width(text: str) -> float:
    """Width of ``text`` in half-ems: CJK and full-width characters 2, a per cent sign 1.8,
    other characters (digits in the CJK faces are a little over half an em) 1.15."""
    return sum(2 if ord(c) >= 0x2E80 else 1.8 if c in "%‰" else 1.15 for c in text)


_NUMBER = re.compile(r"^[\s\d.,%‰+\-−—–~～≤≥<>()（）/]+$")
_DIGIT = re.compile(r"\d")
# A “word” no line may break inside: a run of Latin letters, digits and the signs numbers carry.
_TOKEN = re.compile(r"[0-9A-Za-z.,%‰+\-−~～≤≥<>/:：×÷]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
CELL_MARGIN_TWIPS = L.twips(L.CELL_PAD_PT)  # left and right, as in the Table style


def is_number(text: str) -> bool:
    """A cell that holds a number (aligned right): digits and the signs numbers carry."""
    text = text.strip()
    return bool(text) and bool(_DIGIT.search(text)) and bool(_NUMBER.match(text))


def longest_word(text: str, header: bool = False) -> float:
    """Width (half-ems) of the longest piece of ``text`` that must not be broken.

    A number or Latin word is one piece (“13,191”, “98.5%”, “SG2022-03”); Chinese text breaks
    between characters, but never leaves one character on a line: a Chinese word of up to four
    characters (超额完成, 序号, 严重程度) is one piece, a longer text needs two characters.
    """
    text = text.strip()
    if not text:
        return 0
    if _NUMBER.match(text) or (len(text) <= 4 and not _TOKEN.search(text)):
        return text_width(text)
    tokens = [text_width(t) for t in _TOKEN.findall(text)]
    cjk = 4 if _CJK.search(text) else 0
    return max([cjk, *tokens])


def needed_width(
    rows: list[list[str]], font_pt: float = L.TABLE_PT, margin: int = CELL_MARGIN_TWIPS
) -> int:
    """The narrowest a table can be (twips): every column its longest word and cell margins."""
    ncols = max((len(r) for r in rows), default=0)
    need = [2.0] * ncols
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            need[j] = max(need[j], longest_word(text.strip(), header=i == 0) + 0.5)
    return round(sum(need) * font_pt * 10) + ncols * 2 * margin


def column_widths(
    rows: list[list[str]],
    font_pt: float = L.TABLE_PT,
    total: int = TEXT_WIDTH_TWIPS,
    margin: int = CELL_MARGIN_TWIPS,
) -> list[int]:
    """Column widths (twips, summing to ``total``) from the cells' text.

    A column needs at least its longest word (:func:`longest_word`: numbers and words of up to
    four characters never wrap, no column ever holds one character per line) and would like its
    widest text up to 12 characters (a header counts up to 4). When the preferred widths do not
    fit, every column keeps what it needs and the text columns share what is left, in
    proportion to what more they would like.
    """
    ncols = max((len(r) for r in rows), default=0)
    if not ncols:
        return []
    need, want = [2.0] * ncols, [2.0] * ncols  # half-ems
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            text = text.strip()
            w = text_width(text)
            need[j] = max(need[j], longest_word(text, header=i == 0) + 0.5)
            want[j] = max(want[j], min(8 if i == 0 else 24, w))
    want = [max(n, w) for n, w in zip(need, want, strict=True)]
    half_em = font_pt * 10  # twips
    text_total = total - ncols * 2 * margin  # what the cell margins leave for the text
    avail = text_total / half_em
    if sum(want) <= avail:
        weights = want
    elif sum(need) <= avail:
        spare = avail - sum(need)
        extra = [w - n for n, w in zip(need, want, strict=True)]
        weights = [n + spare * e / (sum(extra) or 1) for n, e in zip(need, extra, strict=True)]
    else:
        weights = need
    # every column gets its two cell margins, and the text width in proportion to its weight
    widths = [2 * margin + int(text_total * w / sum(weights)) for w in weights]
    widths[-1] += total - sum(widths)
    return widths
