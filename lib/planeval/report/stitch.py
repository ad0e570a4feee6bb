"""Stitch the executed chapters into one self-contained HTML report (nbconvert).

1. :func:`merge` concatenates the executed chapter notebooks in report order into one notebook
   with fresh cell ids, dropping the parameters cells and log-only outputs (stderr); a failed
   chapter becomes a placeholder section “本章生成失败：…” under its title.
2. :func:`export_html` renders it with the one custom template directory
   (``report/templates/planeval``, ``base_template: lab``): code hidden, cover, stylesheet inline.
3. :func:`finish_html` numbers the h2–h4 headings, writes the table of contents, strips anything
   that would load from outside the file, and embeds WOFF2 subsets of the report fonts.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbformat import v4

from planeval import fonts
from planeval.paths import NBCONVERT_TEMPLATE_DIR
from planeval.report.chapters import heading_level

if TYPE_CHECKING:
    from planeval.report.params import RunParams
    from planeval.report.runner import ChapterResult

DROP_TAGS = {"parameters", "injected-parameters", "remove-cell"}
FONT_MARK = "/* planeval:fonts */"
TOC_MARK = "<!-- planeval:toc -->"
# Anything that would make the browser fetch something.
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?\s*(?:https?:)?//""", re.I
)


def failure_html(title: str, error: str, notebook: str) -> str:
    """The placeholder section of a failed chapter (escaped)."""
    lvl = heading_level(title)
    return (
        f"<h{lvl}>{html.escape(title)}</h{lvl}>"
        f'<p class="chapter-failed">本章生成失败：{html.escape(error or "未知错误")}'
        f"（详见 notebooks/{html.escape(notebook)}）</p>"
    )


def _in_report(output: nbformat.NotebookNode) -> bool:
    """Whether an output belongs in the report (the executed notebook keeps them all).

    Left out: stderr (warnings, logs), errors, and an ``execute_result`` that is only a text
    repr (``Text(0, 0.5, '人数')`` from a cell ending in ``ax.set_ylabel(...)``).
    """
    kind = output.output_type
    if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
        return False
    if kind == "execute_result":
        return any(k != "text/plain" for k in output.get("data", {}))
    return True


def _report_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    out = []
    for cell in nb.cells:
        if DROP_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if _in_report(o)]
            if not cell.outputs:
                continue
        elif cell.cell_type == "raw":
            continue
        out.append(cell)
    return out


def merge(results: Sequence[ChapterResult]) -> nbformat.NotebookNode:
    """One notebook holding every chapter in order, with fresh cell ids."""
    merged = v4.new_notebook()
    cells: list[nbformat.NotebookNode] = []
    for r in results:
        if r.ok:
            nb = nbformat.read(r.executed, as_version=4)
            if not merged.metadata.get("kernelspec"):
                merged.metadata["kernelspec"] = nb.metadata.get("kernelspec", {})
                merged.metadata["language_info"] = nb.metadata.get("language_info", {})
            cells += _report_cells(nb)
        else:
            cell = v4.new_code_cell(source="")
            cell.outputs = [
                v4.new_output(
                    "display_data", data={"text/html": failure_html(r.title, r.error, r.file)}
                )
            ]
            cells.append(cell)
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:04d}"
        cell.metadata.pop("tags", None)
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    merged.cells = cells
    return merged


def export_html(nb: nbformat.NotebookNode, cover: dict[str, str]) -> str:
    """Render the merged notebook with the planeval template (fonts not yet embedded)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = tuple(DROP_TAGS)
    c.TagRemovePreprocessor.remove_input_tags = ("remove-input",)
    c.TagRemovePreprocessor.remove_all_outputs_tags = ("remove-output",)
    exporter = HTMLExporter(
        config=c,
        template_name=NBCONVERT_TEMPLATE_DIR.name,
        extra_template_basedirs=[str(NBCONVERT_TEMPLATE_DIR.parent)],
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True
    exporter.embed_images = True
    exporter.language_code = "zh-CN"
    resources = {"planeval": {**cover, "font_css": FONT_MARK}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def finish_html(raw: str, *, embed_fonts: bool = True) -> str:
    """Number headings, fill the TOC, drop external references, embed the font subsets."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup.find_all(["script", "link", "iframe", "object", "embed"]):
        tag.decompose()
    for a in soup.select("a.anchor-link"):
        a.decompose()
    # A link or image in an analyst's note must not make the file reach outside: keep the text.
    for a in soup.find_all("a", href=True):
        if not str(a["href"]).startswith("#"):
            a.replace_with(
                f"{a.get_text()}（{a['href']}）" if a.get_text() != a["href"] else a["href"]
            )
    for img in soup.find_all("img"):
        if not str(img.get("src", "")).startswith("data:"):
            img.replace_with(f"［图片未嵌入：{img.get('alt') or img.get('src', '')}］")
    _classify_cells(soup)
    main = soup.find("main")
    items = []
    for n, h in enumerate(main.find_all(["h2", "h3", "h4"]) if main else [], 1):
        h["id"] = f"sec-{n}"
        text = h.get_text(" ", strip=True)
        items.append(f'<li class="toc-{h.name[1]}"><a href="#sec-{n}">{html.escape(text)}</a></li>')
    out = str(soup)
    out = out.replace(TOC_MARK, "<ol>" + "".join(items) + "</ol>", 1)
    if embed_fonts:
        out = out.replace(FONT_MARK, font_css(soup), 1)
    else:
        out = out.replace(FONT_MARK, "", 1)
    return out


_NUMERIC = re.compile(r"^[\s\d.,%‰+\-−—–~～≤≥<>()（）/]+$")


def _classify_cells(soup) -> None:
    """Help the table layout with CJK text (every character is a line-break opportunity):
    numbers and very short words (超额完成, 约束性) never wrap (class ``nw``); long text cells
    get a minimum width (class ``txt``)."""
    for cell in soup.select("table td, table th"):
        text = cell.get_text(strip=True)
        extra = []
        if text and ((len(text) <= 12 and _NUMERIC.match(text)) or len(text) <= 4):
            extra.append("nw")
        elif len(text) >= 8:
            extra.append("txt")
        if extra:
            cell["class"] = [*cell.get("class", []), *extra]


def font_css(soup) -> str:
    """``@font-face`` rules with WOFF2 subsets (data URIs) of the body and heading fonts."""
    body = soup.body.get_text() if soup.body else ""
    heads = "".join(
        t.get_text()
        for t in soup.select(
            "h1, h2, h3, h4, h5, h6, th, .table-caption, .cover-county, .chapter-failed, b, strong"
        )
    )
    rules = []
    for family, kind, text, weight in (
        ("Planeval Serif", "serif", body, "400"),
        ("Planeval Sans", "sans-bold", heads, "700"),
    ):
        data = base64.b64encode(fonts.subset_font(kind, text)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
            f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}'
        )
    return "\n".join(rules)


def cover_info(params: RunParams) -> dict[str, str]:
    """What the cover shows."""
    return {
        "title": params.report_title,
        "county": params.county,
        "period_label": params.period_obj.label,
        "organization": params.organization,
        "date_label": params.date_label,
    }


def external_references(text: str) -> list[str]:
    """Every place in ``text`` that would load something from outside the file."""
    return [m.group(0) for m in EXTERNAL.finditer(text)]


def write_html(results: Sequence[ChapterResult], params: RunParams, path: Path) -> Path:
    """Merge, export and finish the report; write it to ``path``.

    Raises
    ------
    RuntimeError
        The HTML would load something from outside the file.
    """
    raw = export_html(merge(results), cover_info(params))
    out = finish_html(raw)
    ext = external_references(out)
    if ext:
        raise RuntimeError(f"report.html 含有外部引用：{ext[:3]}")
    Path(path).write_text(out, encoding="utf-8")
    return Path(path)
