"""Shared helpers of the capacity-chapter backtests (disasters, rescue, reserves, society).

The independent recomputations read the demo workbook with openpyxl and plain Python — no
pandas, no planeval code — so a bug in the chapter code cannot hide in the expected figures.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from planeval.paths import DEMO_DATA_DIR

EXPECTED = Path(__file__).parent / "expected"
WORKBOOK = DEMO_DATA_DIR / "示例县应急管理台账.xlsx"
START, END = datetime(2021, 1, 1), datetime(2023, 6, 30)
# the mid-term's year slices: (label, first day, last day, share of the year)
SLICES = [
    ("2021年", datetime(2021, 1, 1), datetime(2021, 12, 31), 1.0),
    ("2022年", datetime(2022, 1, 1), datetime(2022, 12, 31), 1.0),
    ("2023年上半年", datetime(2023, 1, 1), datetime(2023, 6, 30), 0.5),
]

needs_demo = pytest.mark.skipif(not WORKBOOK.exists(), reason="demo data pack not built")


def sheet(name: str) -> list[dict]:
    """Rows of a demo sheet as dicts keyed by the Chinese header."""
    from openpyxl import load_workbook

    wb = load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = wb[name].iter_rows(values_only=True)
    head = next(rows)
    out = [dict(zip(head, r, strict=False)) for r in rows if any(v is not None for v in r)]
    wb.close()
    return out


def demo_pack():
    import planeval

    return planeval.load_pack(DEMO_DATA_DIR)


def expected(name: str) -> pd.DataFrame:
    return pd.read_csv(EXPECTED / name, dtype={"年度": str})


def check(actual: pd.DataFrame, name: str) -> None:
    """``actual`` (as the CSV would store it) equals the committed ``expected/<name>``."""
    exp = expected(name)
    act = pd.read_csv(__import__("io").StringIO(actual.to_csv(index=False)), dtype={"年度": str})
    pd.testing.assert_frame_equal(act, exp, check_dtype=False, rtol=1e-9)
