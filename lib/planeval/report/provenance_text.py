"""数据核查清单 entries of the figures the report's sentences print.

A figure of a table is often said again in a sentence ("全县共开展执法检查650次"), and some figures
are said only in sentences (a sector's 整改率 in the 从行业领域看 paragraph). An entry says where
sentences print it by its *marks*: ``(paragraph, phrase, style)`` —

- ``paragraph``: a regular expression a paragraph of the report must contain (searched in its
  text; the phrase is looked for from where it matched on); one that begins with ``§`` is
  matched against the paragraph's heading instead (a project's sentence under （1）<项目>);
- ``phrase``: a regular expression with ``{v}`` where the value stands, written with the words
  the sentence puts around it ("检查生产经营单位{v}家次");
- ``style``: how the sentence prints the value (:func:`sentence_printed`: ``""`` at the entry's
  digits, ``money`` in 万元/亿元 with its unit, ``pct`` a ratio as a percentage, ``area`` a
  decimal without trailing zeros), running-text style (no thousands separators).

:func:`place_in_text` finds each mark's first match per paragraph whose value is the entry's
value *as printed*: a sentence whose words match but whose number differs is not linked, so a
mark can fail to place (the figure counts as untraced) but cannot list the wrong rows. Each
placement becomes an entry of its own (table ``正文``, the sentence's words around the number as
its row, and ``locator``: paragraph index and character span), linked by :func:`link_text`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from planeval.narrative.phrasing import tidy_text
from planeval.report.provenance_entry import Entry, printed_as

TEXT_TABLE = "正文"  # the 表 of an entry placed in a sentence
AROUND = 14  # characters of the sentence on each side of the number shown as the entry's row
_HEADINGS = ["h1", "h2", "h3", "h4", "h5"]


def sentence_printed(value: float, digits: int, style: str = "") -> str:
    """The value as running text prints it: ``sentence_printed(23830.0, 1, "area") == "23830"``,
    ``sentence_printed(4734.7, 2, "money") == "4734.7万元"``."""
    if style == "area":
        return tidy_text(printed_as(value, digits) + "公顷").removesuffix("公顷")
    return tidy_text(printed_as(value, digits, style))


def text_blocks(main: Any) -> list[Any]:
    """The report's paragraphs and list items (not in a table, caption, heading or the
    appendix), in document order: the places sentences are looked for and linked."""
    out = []
    for el in main.find_all(["p", "li"]):
        if el.find_parent(["td", "th", "figcaption", *_HEADINGS]):
            continue
        if el.find_parent("section", class_="appendix") is not None:
            continue
        if "table-caption" in (el.get("class") or []) or (el.name == "li" and el.find("p")):
            continue
        out.append(el)
    return out


def _main(html_text: str) -> tuple[Any, Any]:
    """The report's tree (read only: :func:`planeval.report.exports.parsed_report`) and its
    ``main``."""
    from planeval.report.exports import parsed_report

    soup = parsed_report(html_text)
    return soup, soup.find("main") or soup


def _heading(el: Any) -> str:
    h = el.find_previous(_HEADINGS)
    return h.get_text("", strip=True) if h is not None else ""


def _phrase(phrase: str, printed: str) -> re.Pattern:
    head, _, tail = phrase.partition("{v}")
    return re.compile(f"{head}(?<![\\d.,])(?P<v>{re.escape(printed)})(?![\\d])(?!\\.\\d){tail}")


def place_in_text(entries: Sequence[Entry], html_text: str) -> list[Entry]:
    """An entry for every place a sentence prints a figure of ``entries`` (by their marks),
    in document order; a number is given to one entry only."""
    _, main = _main(html_text)
    blocks = text_blocks(main)
    texts = [b.get_text("") for b in blocks]
    heads = [_heading(b) for b in blocks]
    taken: dict[int, list[tuple[int, int]]] = {}
    found: list[tuple[int, int, Entry]] = []
    scoped: dict[str, list[tuple[int, int]]] = {}  # scope → (paragraph, where to look from)
    for e in entries:
        if e.value is None:
            continue
        for scope, phrase, style in e.marks:
            if scope not in scoped:  # many figures share a paragraph: find it once
                by_head = scope.startswith("§")
                where = re.compile(scope[1:] if by_head else scope)
                hits = ((k, where.search(heads[k] if by_head else t)) for k, t in enumerate(texts))
                scoped[scope] = [(k, 0 if by_head else m.start()) for k, m in hits if m]
            printed = sentence_printed(e.value, e.digits, style)
            rx = _phrase(phrase, printed)
            for k, start in scoped[scope]:
                text = texts[k]
                for m in rx.finditer(text, start):
                    span = m.span("v")
                    if any(a < span[1] and span[0] < b for a, b in taken.get(k, [])):
                        continue
                    taken.setdefault(k, []).append(span)
                    lo, hi = max(0, span[0] - AROUND), min(len(text), span[1] + AROUND)
                    snippet = (
                        ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")
                    )
                    found.append((k, span[0], dataclasses.replace(
                        e, id="", section=heads[k], table=TEXT_TABLE, row=snippet,
                        column="", printed=printed, style=style, marks=[], caption="",
                        locator={"paragraph": k, "start": span[0], "end": span[1]},
                    )))  # fmt: skip
                    break
    return [e for _, _, e in sorted(found, key=lambda t: (t[0], t[1]))]


def _wrap(soup: Any, block: Any, start: int, end: int, attrs: dict[str, str]) -> bool:
    """Put characters ``start:end`` of ``block``'s text in a link (when they lie in one text
    node); whether it was done."""
    pos = 0
    for node in list(block.find_all(string=True)):
        n = len(node)
        if pos <= start and end <= pos + n:
            if node.find_parent("a") is not None:
                return False
            s = str(node)
            a = soup.new_tag("a", attrs=attrs)
            a.string = s[start - pos : end - pos]
            before, after = s[: start - pos], s[end - pos :]
            node.replace_with(a)
            if before:
                a.insert_before(before)
            if after:
                a.insert_after(after)
            return True
        pos += n
    return False


def link_attrs(e: Entry, href: str) -> dict[str, str]:
    """A figure's link to its entry: plain, in the text colour (the report reads as before)."""
    return {
        "href": f"{href}#{e.anchor}",
        "class": "chk",
        "title": f"核查：{e.id}",
        "style": "color:inherit;text-decoration:none",
    }


def link_text(soup: Any, main: Any, entries: Sequence[Entry], href: str) -> int:
    """Link each sentence entry's number to its entry in the companion page (as the table cells
    are: a plain link in the text colour); how many were linked."""
    blocks = text_blocks(main)
    done = 0
    for e in entries:
        loc = e.locator
        if e.table != TEXT_TABLE or not loc or loc["paragraph"] >= len(blocks):
            continue
        block = blocks[loc["paragraph"]]
        if block.get_text("")[loc["start"] : loc["end"]] != e.printed:
            continue  # not the report the entry was placed in
        done += _wrap(soup, block, loc["start"], loc["end"], link_attrs(e, href))
    return done
