"""Shared test fixtures (kept small): fixture chapters, the clean test pack, parameter files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

TESTS_DIR = Path(__file__).parent
FIXTURES = TESTS_DIR / "fixtures"
FIXTURE_NOTEBOOKS = FIXTURES / "notebooks"
CLEAN_PACK = FIXTURES / "packs" / "clean"


@pytest.fixture
def write_params(tmp_path):
    """``write_params(**fields) -> Path``: a params YAML in tmp_path (defaults: the clean pack)."""

    def _write(name: str = "p.yaml", **fields) -> Path:
        data = {
            "county": "测试县",
            "organization": "测试县应急管理局",
            "period": "midterm",
            "data": str(CLEAN_PACK),
            "out": str(tmp_path / "reports"),
            "report_date": "2023-07-31",
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        p = tmp_path / name
        p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return p

    return _write


def _table_overflow(document) -> list[tuple[int, str | None, float]]:
    """(page, table ``data-tbl``, px past the content box) for every table wider than its
    page's content box — measured on WeasyPrint's layout boxes, independently of pdf.py."""
    from weasyprint.formatting_structure import boxes

    out = []
    for n, page in enumerate(document.pages, 1):
        box = page._page_box
        right = box.content_box_x() + box.width
        stack = [box]
        while stack:
            b = stack.pop()
            if isinstance(b, boxes.TableBox):
                over = b.border_box_x() + b.border_width() - right
                if over > 0.5:
                    tbl = b.element.get("data-tbl") if b.element is not None else None
                    out.append((n, tbl, round(over, 1)))
            stack.extend(getattr(b, "children", []))
    return out


@pytest.fixture
def table_overflow():
    """The layout check for tables sticking out of the page (see ``_table_overflow``)."""
    return _table_overflow
