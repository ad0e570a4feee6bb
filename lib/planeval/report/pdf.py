"""PDF from the report HTML with WeasyPrint: the 公文 page layout shared with the Word file.

The fonts are the WOFF subsets already embedded in the HTML (Noto Serif SC for 仿宋/楷体/小标宋,
Noto Sans SC for 黑体; see :mod:`planeval.fonts`). ``print.css`` adds the page layout of
:mod:`planeval.report.layout`. :func:`print_layout` reads back what the Word file needs to
paginate alike: the page of every heading (for its table of contents) and the landscape tables.

Wide tables are set smaller (classes ``wide``/``xwide`` from the stitcher); after layout, any
table still wider than the page's content box is moved to a landscape page (``@page wide``) and
the document is laid out again — only then, so the usual run costs one layout. Every table gets
the Word file's column widths (:func:`set_column_widths`), so both wrap their cells alike.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from planeval.paths import NBCONVERT_TEMPLATE_DIR

PRINT_CSS = NBCONVERT_TEMPLATE_DIR / "print.css"


def overflowing_tables(document) -> list[str]:
    """The tables (``data-tbl`` numbers) wider than their page's content box, in order.

    Parameters
    ----------
    document : a laid-out ``weasyprint.Document`` (``HTML(...).render()``).
    """
    from weasyprint.formatting_structure import boxes

    out: list[str] = []
    for page in document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if not isinstance(box, boxes.TableBox):
                continue
            if box.border_box_x() + box.border_width() > right + 0.5:  # 0.5 px tolerance
                n = box.element.get("data-tbl") if box.element is not None else None
                if n and n not in out:
                    out.append(n)
    return out


def landscape_tables(document) -> list[str]:
    """The tables (``data-tbl`` numbers) laid out on landscape pages."""
    from weasyprint.formatting_structure import boxes

    out: list[str] = []
    for page in document.pages:
        if page.width <= page.height:
            continue
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableBox) and box.element is not None:
                n = box.element.get("data-tbl")
                if n and n not in out:
                    out.append(n)
    return out


def set_column_widths(soup) -> None:
    """Give every table the column widths the Word file gets (:func:`colwidths.column_widths`:
    from the cells' text, never narrower than the longest word, over the portrait or landscape
    text width), as a ``<colgroup>`` with fixed layout: the two files then wrap every cell
    alike, and their rows have the same height. A portrait table whose words cannot fit the
    portrait width goes to a landscape page. Tables with row spans keep the automatic
    layout."""
    from planeval.report import colwidths as cw
    from planeval.report import layout as L

    for table in soup.find_all("table"):
        for old in table.find_all("colgroup", class_="pv-cols"):
            old.decompose()
        trs = table.find_all("tr")
        if not trs or table.find(["td", "th"], attrs={"rowspan": True}):
            continue
        rows = []
        for tr in trs:
            row: list[str] = []
            for c in tr.find_all(["th", "td"], recursive=False):
                row += [c.get_text("", strip=True)] * int(c.get("colspan", 1) or 1)
            rows.append(row)
        wrap = table.find_parent("div", class_="table-wrap") or table
        landscape = "landscape" in wrap.get("class", [])
        ncols = max(len(r) for r in rows)
        small = not landscape and ncols >= L.SMALL_TABLE_COLUMNS
        if (
            not landscape
            and cw.needed_width(
                rows,
                L.SMALL_TABLE_PT if small else L.TABLE_PT,
                L.twips(L.SMALL_CELL_PAD_PT if small else L.CELL_PAD_PT),
            )
            > cw.TEXT_WIDTH_TWIPS
        ):  # its words do not fit portrait: a landscape page
            wrap["class"] = [*wrap.get("class", []), "landscape"]
            landscape, small = True, False
        widths = cw.column_widths(
            rows,
            L.SMALL_TABLE_PT if small else L.TABLE_PT,
            total=cw.LANDSCAPE_WIDTH_TWIPS if landscape else cw.TEXT_WIDTH_TWIPS,
            margin=L.twips(L.SMALL_CELL_PAD_PT if small else L.CELL_PAD_PT),
        )
        if not widths:
            continue
        group = soup.new_tag("colgroup", attrs={"class": "pv-cols"})
        for w in widths:
            group.append(
                soup.new_tag("col", attrs={"style": f"width:{100 * w / sum(widths):.3f}%"})
            )
        table.insert(0, group)
        if "fixed-cols" not in table.get("class", []):
            table["class"] = [*table.get("class", []), "fixed-cols"]


def print_html(html_text: str, landscape: list[str] = ()) -> str:
    """The report HTML as the PDF lays it out: ``landscape`` tables (``data-tbl``) moved to
    landscape pages, and every table's column widths those of the Word file."""
    from bs4 import BeautifulSoup

    from planeval.report.stitch import lead_headings

    soup = BeautifulSoup(html_text, "html.parser")
    for n in landscape:
        table = soup.find("table", attrs={"data-tbl": n})
        if table is None:
            continue
        wrap = table.find_parent("div", class_="table-wrap") or table
        if "landscape" not in wrap.get("class", []):
            wrap["class"] = [*wrap.get("class", []), "landscape"]
    set_column_widths(soup)  # may move a table whose words do not fit portrait
    lead_headings(soup)
    flatten_chrome(soup)
    return str(soup)


# The notebook's wrappers around each output, which report.css sets as bare blocks (no margin,
# padding or border: nothing of their own on the page), and the collapsers it hides.
CHROME = frozenset({
    "jp-Cell", "jp-CodeCell", "jp-Notebook-cell", "jp-mod-noInput", "jp-Cell-outputWrapper",
    "jp-OutputArea", "jp-Cell-outputArea", "jp-OutputArea-child", "jp-OutputArea-output",
    "jp-RenderedHTMLCommon", "jp-RenderedHTML",
})  # fmt: skip
_COLLAPSER = "jp-Collapser"
# What may sit directly in a wrapper that is taken out: blocks (an inline or text would join
# the next cell's in one line).
_BLOCKS = frozenset({
    "div", "p", "table", "figure", "section", "nav", "ul", "ol", "dl", "pre", "blockquote",
    "hr", "h1", "h2", "h3", "h4", "h5", "h6", "details", "aside", "header", "footer",
})  # fmt: skip


def flatten_chrome(soup) -> None:
    """Take out the notebook's wrappers (:data:`CHROME`: a ``div`` with only those classes,
    its content kept in its place) and its hidden collapsers, for the layout only.

    They are a third of the report's elements, each a box WeasyPrint cascades and lays out;
    without them it does the same pages with less work (the demo's 72 pages pixel-identical).
    A wrapper with any other class (an image's ``jp-RenderedImage``, markdown's) stays.
    """
    from bs4 import Comment

    def bare(div) -> bool:  # only blocks inside (text or an inline beside them would join
        # the next cell's in one line) and no id a link could point at (nbconvert's cell ids)
        ident = div.get("id")
        if ident and not ident.startswith("cell-id="):
            return False
        return all(
            c.name in _BLOCKS
            if c.name
            else isinstance(c, Comment) or not c.strip()  # a nameless child is text
            for c in div.children
        )

    for div in soup.find_all("div", class_=True):
        classes = div.get("class") or []
        if _COLLAPSER in classes and not div.get_text(strip=True):
            div.decompose()
        elif classes and CHROME.issuperset(classes) and bare(div):
            div.unwrap()


@dataclass(frozen=True)
class PrintLayout:
    """What the PDF layout decided, for the Word file to follow.

    pages : anchor id (``sec-N``, a heading) → page number (the cover is page 1).
    landscape : ``data-tbl`` numbers of the tables set on landscape pages.
    page_count : pages in the PDF.
    """

    pages: dict[str, int] = field(default_factory=dict)
    landscape: tuple[str, ...] = ()
    page_count: int = 0


def print_layout(document) -> PrintLayout:
    """The :class:`PrintLayout` of a document laid out by :func:`render`."""
    pages: dict[str, int] = {}
    for n, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            pages.setdefault(anchor, n)
    return PrintLayout(
        pages=pages,
        landscape=tuple(getattr(document, "planeval_landscape", ())),
        page_count=len(document.pages),
    )


# A font the HTML embeds as a data URI, in the markup the PDF is laid out from.
_FONT_DATA = re.compile(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)")
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S | re.I)
FONT_URL = "planeval-font:{}.woff"  # what the PDF's layout reads instead: the same bytes


class _Inlined:
    """The data URIs taken out of a document for :func:`_fetcher`: each distinct base64 text
    decoded once and given one URL (``url_format`` numbered in order)."""

    def __init__(self, url_format: str) -> None:
        self.url_format = url_format
        self.urls: dict[str, str] = {}  # base64 text → URL
        self.data: dict[str, bytes] = {}  # URL → bytes

    def url(self, b64: str) -> str | None:
        """The URL of ``b64``'s bytes; None when it does not decode (then left as it is)."""
        url = self.urls.get(b64)
        if url is None:
            try:
                raw = base64.b64decode(b64)
            except ValueError:
                return None
            url = self.urls[b64] = self.url_format.format(len(self.urls))
            self.data[url] = raw
        return url


def fonts_by_reference(text: str) -> tuple[str, dict[str, bytes]]:
    """``text`` with each embedded WOFF font (``url(data:font/woff;base64,…)``) replaced by a
    short :data:`FONT_URL`, and those URLs' bytes.

    The subsets are 0.75 MB of base64 in the demo's ``<style>``: as data URIs, WeasyPrint's
    HTML and CSS parsers scan every character of them before decoding the same bytes (measured
    0.15-0.4 CPU-s of a 4 s layout; the pages are pixel-identical). The URLs are served from
    memory by :func:`_fetcher`; a font used twice is decoded once.
    """
    fonts = _Inlined(FONT_URL)

    def refer(m: re.Match) -> str:
        url = fonts.url(m.group(1))
        return m.group(0) if url is None else f"url({url})"

    # in the markup's <style> blocks only: report text that merely quotes such a URI stays
    out = _STYLE.sub(lambda m: _FONT_DATA.sub(refer, m.group(0)), text)
    return out, fonts.data


# A picture the HTML embeds as a data URI (``<img src="data:image/png;base64,…">``: the charts),
# in the markup's img tags.
_IMG_DATA = re.compile(
    r'(<img\b[^>]*?\ssrc=")data:(image/(?:png|jpeg|gif));base64,([A-Za-z0-9+/=\s]+)"', re.I
)
IMAGE_URL = "planeval-image:{}"  # what the PDF's layout reads instead: the same bytes


def images_by_reference(text: str) -> tuple[str, dict[str, tuple[bytes, str]]]:
    """``text`` with each picture embedded in an ``<img>`` as a data URI (the charts: about
    0.9 MB of base64 in the demo) given a short :data:`IMAGE_URL` instead, and those URLs'
    bytes and types, for :func:`_fetcher` to serve from memory.

    The HTML parsers before and in the layout (print_html's, WeasyPrint's) then no longer
    scan that base64 (WeasyPrint's parse of the demo's markup: 0.26 → 0.13 CPU-s); WeasyPrint
    gets the same bytes it decoded from the URI (the pages are pixel-identical). Text that
    merely quotes such markup is escaped, so never matches.
    """
    images = _Inlined(IMAGE_URL)  # a picture shown twice: one URL, one image in the PDF
    types: dict[str, str] = {}

    def refer(m: re.Match) -> str:
        url = images.url(m.group(3))
        if url is None:  # left to WeasyPrint, which shows the alt text instead
            return m.group(0)
        types.setdefault(url, m.group(2).lower())
        return f'{m.group(1)}{url}"'

    out = _IMG_DATA.sub(refer, text)
    return out, {url: (data, types[url]) for url, data in images.data.items()}


def _fetcher(fonts: dict[str, bytes], images: dict[str, tuple[bytes, str]] | None = None):
    """The layout's URL fetcher: ``data:`` URIs, the report's own fonts by :data:`FONT_URL`
    and its pictures by :data:`IMAGE_URL`; anything else refused (the PDF loads nothing from
    outside)."""
    import weasyprint
    from weasyprint import urls

    served = {url: (data, "font/woff") for url, data in fonts.items()}
    served.update(images or {})
    if hasattr(urls, "URLFetcher"):  # WeasyPrint ≥ 66

        class Fetcher(urls.URLFetcher):
            def fetch(self, url, headers=None):
                if url in served:
                    data, mime = served[url]
                    return urls.URLFetcherResponse(url, data, {"Content-Type": mime})
                return super().fetch(url, headers)

        return Fetcher(allowed_protocols={"data"})

    def fetcher(url: str, *args, **kwargs):  # pragma: no cover - older WeasyPrint
        if url in served:
            data, mime = served[url]
            return {"string": data, "mime_type": mime}
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"planeval: external resource refused: {url}")

    return fetcher


def page_document(text: str):
    """A self-contained page (its fonts embedded as ``data:`` URIs, as :func:`planeval.report.
    stitch.font_css` writes them) laid out by WeasyPrint with the report's fetcher: the fonts
    by reference, anything from outside refused. Returns the ``weasyprint.Document``."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    text, fonts = fonts_by_reference(text)
    return weasyprint.HTML(string=text, url_fetcher=_fetcher(fonts)).render()


def render(html_path: Path):
    """Lay out ``html_path`` with the print stylesheet; returns the ``weasyprint.Document``
    (wide tables that overflow already moved to landscape pages, listed in its attribute
    ``planeval_landscape``)."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    css = [weasyprint.CSS(filename=str(PRINT_CSS))]
    html_path = Path(html_path)
    # the pictures and fonts by reference once, before anything parses the markup
    # (print_html, each layout)
    source, images = images_by_reference(html_path.read_text(encoding="utf-8"))
    source, fonts = fonts_by_reference(source)
    fetch = _fetcher(fonts, images)

    def lay_out(text: str):
        return weasyprint.HTML(
            string=text, base_url=str(html_path), url_fetcher=fetch, encoding="utf-8"
        ).render(stylesheets=css)

    doc = lay_out(print_html(source))
    marked = landscape_tables(doc)
    wide = overflowing_tables(doc)
    if wide:
        doc = lay_out(print_html(source, wide))
    doc.planeval_landscape = tuple(sorted({*marked, *wide}, key=int))
    return doc


# WeasyPrint's own list of the tables a PDF font program does not need (its _harfbuzz_subset).
_PDF_DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH",
                    "PCLT", "SVG ")  # fmt: skip


def _hb_font_subset(font, to_unicode, hinting) -> bytes | None:
    """WeasyPrint's HarfBuzz subsetting of one PDF font (``Font._harfbuzz_subset``, the same
    two passes and flags) done by ``uharfbuzz``: the glyphs the pages use, at their ids, then
    the ids past the last one dropped. None if HarfBuzz cannot subset it."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(font.file_content), font.index)
    notdef = hb.SubsetFlags.NOTDEF_OUTLINE if font.missing else 0
    first = hb.SubsetInput()
    first.glyph_set.update(sorted(to_unicode))
    first.flags = (hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
                   | hb.SubsetFlags.DESUBROUTINIZE | notdef)  # fmt: skip
    first.drop_table_tag_set.update(int.from_bytes(t.encode(), "big") for t in _PDF_DROP_TABLES)
    kept = hb.subset(face, first)
    if kept is None:
        return None
    second = hb.SubsetInput()
    second.glyph_set.update(range(max(to_unicode) + 1))
    second.flags = (hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
                    | (0 if hinting else hb.SubsetFlags.NO_HINTING) | notdef)  # fmt: skip
    out = hb.subset(kept, second)
    return bytes(out.blob.data) if out is not None else None


def _subset_fonts_with_harfbuzz() -> None:
    """Give WeasyPrint HarfBuzz's font subsetting where the system has no libharfbuzz-subset
    (once per process).

    WeasyPrint cuts each embedded font down to the glyphs the PDF uses: with the system's
    ``libharfbuzz-subset`` when there is one (Debian's package ``libharfbuzz-subset0``, not
    on every machine), else with fontTools — deprecated by WeasyPrint, and 2 to 3 of the 4.6
    CPU-s of writing the demo PDF. Without the library its fontTools path is pointed at
    :func:`_hb_font_subset`, the same subsetting by ``uharfbuzz`` (a dependency: the report
    fonts are cut with it); a font HarfBuzz cannot subset still goes to fontTools.
    """
    try:
        from weasyprint.pdf import fonts as wp_fonts
    except ImportError:  # pragma: no cover - another WeasyPrint layout
        return
    font_class = getattr(wp_fonts, "Font", None)
    if (
        getattr(wp_fonts, "harfbuzz_subset", None) is not None
        or font_class is None
        or getattr(font_class, "_planeval_hb", False)
        or not hasattr(font_class, "_fonttools_subset")
    ):
        return
    fonttools_subset = font_class._fonttools_subset

    def subset(self, to_unicode, hinting):
        data = _hb_font_subset(self, to_unicode, hinting)
        if data:
            self.file_content = data
        else:  # pragma: no cover - a font HarfBuzz cannot subset
            fonttools_subset(self, to_unicode, hinting)

    font_class._fonttools_subset = subset
    font_class._planeval_hb = True


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Render ``html_path`` to ``pdf_path``; nothing is fetched from the network."""
    build_pdf(html_path, pdf_path)
    return Path(pdf_path)


def build_pdf(html_path: Path, pdf_path: Path) -> PrintLayout:
    """:func:`write_pdf`, returning the layout the Word file follows.

    Returns
    -------
    PrintLayout
        The pages of the headings and the landscape tables, for :func:`docx.write_docx`.
    """
    doc = render(html_path)
    _subset_fonts_with_harfbuzz()
    doc.write_pdf(str(pdf_path))
    return print_layout(doc)
