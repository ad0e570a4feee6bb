"""The Word file as an office suite shows it: LibreOffice converts it to PDF (optional test).

The Word file names the office faces (仿宋_GB2312, 黑体 …); ``fonts.fontconfig_file`` maps them to
the open faces the PDF embeds, so LibreOffice lays the file out with the PDF's metrics.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from planeval import fonts
from planeval.report import docx, pdf
from planeval.report.stitch import finish_html

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.optional,
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed"),
]

_PARA = "示例县扎实推进规划实施，各项任务总体有序推进，部分指标进展不平衡。" * 6
_ROWS = "".join(
    f"<tr><td>{n}</td><td>智慧应急工程</td><td>县应急指挥中心及信息化平台建设</td>"
    f"<td>1,800.00</td><td>已完工</td></tr>"
    for n in range(1, 5)
)
_BODY = (
    "<h2>一、总体进展</h2><h3>（一）主要指标</h3>"
    + "".join(f'<div class="narrative"><p>{_PARA}</p></div>' for _ in range(6))
    + "<h3>（二）重大工程</h3>"
    + '<div class="table-wrap"><p class="table-caption">表1 重大工程项目</p><table>'
    + "<thead><tr><th>序号</th><th>类别</th><th>项目</th><th>计划投资(万元)</th><th>状态</th>"
    + f"</tr></thead><tbody>{_ROWS}</tbody></table></div>"
    + "<h2>二、主要问题</h2>"
    + f'<div class="narrative"><p>{_PARA}</p></div>'
)


def _report(tmp_path):
    from planeval.paths import NBCONVERT_TEMPLATE_DIR

    css = (NBCONVERT_TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")
    raw = (
        '<html lang="zh-CN"><head><meta charset="utf-8"><style>/* planeval:fonts */</style>'
        f'<style media="print">{css}</style></head><body class="planeval-report">'
        '<section class="cover"><h1 class="cover-title">甲县规划中期评估报告</h1></section>'
        '<nav class="toc" id="toc"><h2 class="toc-title">目　录</h2><!-- planeval:toc --></nav>'
        f"<main>{_BODY}</main></body></html>"
    )
    html = tmp_path / "report.html"
    html.write_text(finish_html(raw), encoding="utf-8")
    layout = pdf.build_pdf(html, tmp_path / "report.pdf")
    return docx.write_docx(html, tmp_path / "report.docx", layout=layout), layout


def _convert(path, tmp_path):
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.fontconfig_file(tmp_path / "fonts.conf"))}
    env["HOME"] = str(tmp_path)  # a fresh LibreOffice profile
    out = tmp_path / "lo"
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
        env=env,
    )
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(str(out / "report.pdf")).pages]


def test_libreoffice_shows_toc_page_numbers_and_whole_table_cells(tmp_path):
    word, layout = _report(tmp_path)
    pages = _convert(word, tmp_path)
    toc = pages[1]
    # Every entry carries its page number as written (the PDF's), no field update needed …
    for heading, anchor_text in (
        ("一、总体进展", "一、总体进展"),
        ("二、主要问题", "二、主要问题"),
    ):
        m = re.search(re.escape(heading) + r"[.…·\s]*(\d+)", toc)
        assert m, toc
        shown = int(m.group(1))
        # … and LibreOffice puts the heading on that very page (the layouts agree).
        on = [n for n, text in enumerate(pages, 1) if n > 2 and anchor_text in text]
        assert on and on[0] == shown, (heading, shown, on)
    assert layout.page_count == len(pages)
    # No table cell holds one character per line: no two lines in a row with a single
    # Chinese character only.
    lines = [ln.strip() for text in pages for ln in text.splitlines()]
    single = [bool(re.fullmatch(r"[\u4e00-\u9fff]", ln)) for ln in lines]
    assert not any(a and b for a, b in zip(single, single[1:], strict=False)), lines
