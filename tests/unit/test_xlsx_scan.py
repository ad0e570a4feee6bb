"""The zip scan that runs before calamine (``planeval.data.xlsx``): extents, budgets, facts."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from planeval.data import xlsx


def book(path, edit=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "火灾"
    ws.append(["日期", "乡镇"])
    ws.append(["2021-01-01", "城关镇"])
    if edit:
        edit(wb)
    wb.save(path)
    return path


def rewrite(path, member, fn):
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, fn(data) if info.filename == member else data)


@pytest.mark.parametrize(
    ("n", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (256, "IV"), (16384, "XFD")]
)
def test_column_letters_round_trip(n, letters):
    assert xlsx.col_letters(n) == letters and xlsx.col_number(letters) == n


def test_ordinary_sheet_takes_the_fast_path(tmp_path):
    s = xlsx.scan_workbook(book(tmp_path / "a.xlsx")).sheets["火灾"]
    assert s.too_big is None and s.has_values and s.max_row == 0  # extent not computed


@pytest.mark.parametrize(
    ("ref", "refused"),
    [
        ("Z1048576", False),  # 1 048 576 × 26 = MAX_CELLS exactly: the limit itself is allowed
        ("AA1048576", True),  # one column more
        ("IV3", False),  # 256 columns, 3 rows
        ("IW3", True),  # column 257
    ],
)
def test_extent_limits_near_misses(tmp_path, ref, refused):
    p = book(tmp_path / "a.xlsx", lambda wb: wb["火灾"].__setitem__(ref, "x"))
    s = xlsx.scan_workbook(p).sheets["火灾"]
    assert (s.too_big is not None) is refused
    if refused:
        assert s.far_cell == ref and ref in s.too_big


def test_namespace_prefixed_sheet_is_scanned(tmp_path):
    p = book(tmp_path / "a.xlsx")

    def prefix(data: bytes) -> bytes:
        x = data.decode()
        x = x.replace("<", "<x:").replace("<x:/", "</x:").replace("<x:?", "<?")
        x = x.replace('xmlns="', 'xmlns:x="')
        row = '<x:row r="9"><x:c r="XFD9" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>'
        return x.replace("</x:sheetData>", row + "</x:sheetData>").encode()

    rewrite(p, "xl/worksheets/sheet1.xml", prefix)
    assert xlsx.scan_workbook(p).sheets["火灾"].far_cell == "XFD9"


def test_part_budget_counts_what_is_really_inflated(tmp_path, monkeypatch):
    p = book(tmp_path / "a.xlsx")
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 200)  # the sheet XML is ~1 KB
    with pytest.raises(xlsx.Refused, match="解压后"):
        xlsx.scan_workbook(p)


def test_not_a_zip(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(xlsx.Refused, match="无法打开 Excel 文件"):
        xlsx.scan_workbook(p)


def test_merges_hidden_and_formulas_are_facts(tmp_path):
    def edit(wb):
        ws = wb["火灾"]
        ws.merge_cells("A1:B1")
        ws["B2"] = "=A2"
        wb.create_sheet("选项").sheet_state = "hidden"

    b = xlsx.scan_workbook(book(tmp_path / "a.xlsx", edit))
    s = b.sheets["火灾"]
    assert s.merged == ((1, 1, 1, 2),) and s.uncalculated == ((2, 2, "A2"),)
    assert b.sheets["选项"].hidden and not s.hidden
