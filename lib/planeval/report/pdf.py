"""PDF from the report HTML with WeasyPrint: A4, embedded Chinese fonts, page numbers, TOC.

The fonts are the WOFF2 subsets already embedded in the HTML (Noto Serif SC Regular for the
body; the Simplified Chinese face of the Noto Sans CJK variable font instanced at weight 700 for
headings — a real bold, not a synthetic one). ``print.css`` adds the page layout.
"""

from __future__ import annotations

import logging
from pathlib import Path

from planeval.paths import NBCONVERT_TEMPLATE_DIR

PRINT_CSS = NBCONVERT_TEMPLATE_DIR / "print.css"


def write_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Render ``html_path`` to ``pdf_path``; nothing is fetched from the network."""
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

    doc = weasyprint.HTML(filename=str(html_path), url_fetcher=fetcher, encoding="utf-8")
    doc.write_pdf(
        str(pdf_path),
        stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))],
        pdf_variant=None,
    )
    return Path(pdf_path)
