"""Property tests: junk in any cell of any ledger column, junk anywhere in a worksheet.

The invariants (issue 11): never a traceback (every exception is a DataPackError), never an
abort from native code (a process killed by SIGABRT takes pytest with it), and every error
located — file, sheet, row as Excel shows it and, for a cell, the column with its English field
name. The valid rows come from the clean test pack, so only the junk can cause an error.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from hostile_corpus import base_pack
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from planeval.data import LEDGERS, DataPackError
from planeval.data import xlsx as xlsx_scan
from planeval.data.load import load_pack, validate_sources
from planeval.data.read import read_tables, survey

CLEAN = Path(__file__).parents[1] / "fixtures" / "packs" / "clean"
SETTINGS = settings(
    max_examples=40,
    derandomize=True,  # the same examples in every run: a failure can be reproduced
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NASTY = [
    "合计",
    "小计",
    "=1+1",
    "\x00",
    "SG\u200b1",
    "\ufeff",
    "１２",
    "1,234",
    "-1",
    "1e400",
    "2021年13月40日",
    "  ",
    10**20,
    -(10**20),
    float("inf"),
    float("nan"),
    1e-300,
    True,
    dt.date(1900, 1, 1),
    dt.datetime(2262, 4, 12),
    "NaN",
    "None",
    "<script>",
    "'; DROP TABLE",
    "a" * 5000,
]
junk = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)

_SOURCES = None


def clean_sources():
    """The clean pack's ledgers as read (grids of raw cells), read once."""
    global _SOURCES
    if _SOURCES is None:
        _SOURCES, probs = read_tables(survey(CLEAN))
        assert not probs
    return copy.deepcopy(_SOURCES)


COLUMNS = [(lg.key, f.name) for lg in LEDGERS for f in lg.fields]


def with_junk(ledger: str, field: str, values: list[object]):
    """The clean sources, with ``values`` in column ``field`` of ledger ``ledger`` (one per data
    row, rows added when there are more values than rows)."""
    sources = clean_sources()
    src = next(s for s in sources if s.ledger.key == ledger)
    header = src.rows[0]
    lg = src.ledger
    f = lg.field(field)
    j = next((k for k, h in enumerate(header) if h in f.headers), None)
    if j is None:  # an optional column the clean pack lacks: add it
        header.append(f.zh)
        j = len(header) - 1
        for r in src.rows[1:]:
            r.append(None)
    template = src.rows[1]
    for i, v in enumerate(values):
        if 1 + i >= len(src.rows):
            src.rows.append(list(template))
        row = src.rows[1 + i]
        row.extend([None] * (j + 1 - len(row)))
        row[j] = v
    return sources


def assert_located(err: DataPackError) -> None:
    for p in err.problems:
        if p.severity != "error":
            continue
        assert p.file, p
        assert p.sheet is not None or "." in p.file, str(p)
        if p.column is not None and p.row is not None and "(" in p.column:
            assert p.column.endswith(")"), str(p)  # 中文 (english)
        assert p.row is not None or p.column is not None or "两次" in p.rule, str(p)


def check(sources, ledger: str) -> None:
    # the junk ledger, the two required ones, and the event ledgers 年度汇总 is checked against
    keep = {ledger, "indicators", "annual"} | ({"accidents"} if ledger == "annual" else set())
    try:
        validate_sources([s for s in sources if s.ledger.key in keep], CLEAN)
    except DataPackError as e:
        assert_located(e)


@pytest.mark.parametrize(("ledger", "field"), COLUMNS, ids=[f"{a}.{b}" for a, b in COLUMNS])
def test_every_column_takes_every_nasty_value(ledger, field):
    """All of NASTY at once in one column (one row each): refused or accepted, always located."""
    check(with_junk(ledger, field, NASTY), ledger)


@SETTINGS
@given(column=st.sampled_from(COLUMNS), values=st.lists(junk, min_size=1, max_size=4))
def test_random_junk_in_any_column(column, values):
    check(with_junk(*column, values), column[0])


# ------------------------------------------------------------------ junk anywhere in a sheet
@settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a shrink would re-read dozens of workbooks
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    cells=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=1_048_576),
            st.integers(min_value=1, max_value=16_384),
            junk,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_junk_anywhere_in_a_worksheet(tmp_path_factory, small_limits, cells):
    """Cells at random places (up to XFD1048576) of the 生产安全事故 sheet: calamine must never see
    a sheet beyond the limits (the scan refuses it, naming the cell), and whatever is read is
    refused or accepted with every error located."""
    root = tmp_path_factory.mktemp("pack")

    def edit(wb):
        ws = wb["生产安全事故"]
        for r, c, v in cells:
            try:
                ws.cell(r, c, v)
            except Exception:  # noqa: BLE001 - a value openpyxl cannot write (control chars …)
                ws.cell(r, c, repr(v))

    base_pack(root, edit=edit)
    try:
        load_pack(root, use_cache=False)
    except DataPackError as e:
        assert_located(e)


@pytest.fixture(scope="module")
def small_limits():
    # A far cell within the real limits (say Y900000) would make calamine build a 23-million
    # cell grid: correct, but slow for a test. Smaller limits keep every example quick while the
    # invariant — refused before calamine, or read — is the same.
    mp = pytest.MonkeyPatch()
    mp.setattr(xlsx_scan, "MAX_CELLS", 200_000)
    yield mp
    mp.undo()
