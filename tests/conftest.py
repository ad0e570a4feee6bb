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
