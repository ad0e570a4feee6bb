"""PDF from the report HTML with WeasyPrint: A4, embedded Chinese fonts, page numbers, TOC.

The fonts are the WOFF2 subsets already embedded in the HTML (Noto Serif SC Regular for the
body; the Simplified Chinese face of the Noto Sans CJK variable font instanced at weight 700 for
headings — a real bold, not a synthetic one). ``print.css`` adds the page layout.

Wide tables are set smaller (classes ``wide``/``xwide`` from the stitcher); after layout, any
table still wider than the page's content box is moved to a landscape page (``@page wide``) and
the document is laid out again — only then, so the usual run costs one layout.
"""

from __future__ import annotations

import logging
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


def mark_landscape(html_text: str, tables: list[str]) -> str:
    """The report HTML with the given tables (``data-tbl``) put on landscape pages."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    for n in tables:
        table = soup.find("table", attrs={"data-tbl": n})
        if table is None:
            continue
        wrap = table.find_parent("div", class_="table-wrap") or table
        wrap["class"] = [*wrap.get("class", []), "landscape"]
    return str(soup)


def render(html_path: Path):
    """Lay out ``html_path`` with the print stylesheet; returns the ``weasyprint.Document``
    (wide tables that overflow already moved to landscape pages)."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):  # WeasyPrint ≥ 66
        fetcher = urls.URLFetcher(allowed_protocols={"data"})
    else:  # pragma: no cover - older WeasyPrint takes a function

        def fetcher(url: str, *args, **kwargs):
            if url.startswith("data:"):
                return weasyprint.default_url_fetcher(url, *args, **kwargs)
            raise ValueError(f"planeval: external resource refused: {url}")

    css = [weasyprint.CSS(filename=str(PRINT_CSS))]
    html_path = Path(html_path)
    doc = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, encoding="utf-8").render(
        stylesheets=css
    )
    wide = overflowing_tables(doc)
    if wide:
        text = mark_landscape(html_path.read_text(encoding="utf-8"), wide)
        doc = weasyprint.HTML(
            string=text, base_url=str(html_path), url_fetcher=fetcher, encoding="utf-8"
        ).render(stylesheets=css)
    return doc


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Render ``html_path`` to ``pdf_path``; nothing is fetched from the network."""
    render(html_path).write_pdf(str(pdf_path))
    return Path(pdf_path)
