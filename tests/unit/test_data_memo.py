"""The in-process memo of load_pack: the same unchanged pack is built once per process, and a
caller cannot change the frames another caller gets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from test_data_validation import ACC, make_pack

from planeval import paths
from planeval.data import load
from planeval.data.load import load_pack


def test_same_pack_is_built_once_and_shared_read_only(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    root = make_pack(tmp_path / "p", 生产安全事故=[ACC, ["A1", "2021-03-05", "消防", "火灾", 1]])
    a = load_pack(root)
    monkeypatch.setattr(load, "_read_cache", lambda *_: None)
    monkeypatch.setattr(load, "_build", lambda *_: (_ for _ in ()).throw(AssertionError("rebuilt")))
    b = load_pack(root)  # from memory: neither the disk cache nor a rebuild
    assert b.input_hash == a.input_hash
    pd.testing.assert_frame_equal(a.accidents, b.accidents)
    # a caller mutating its frames (new column, cell, dropped ledger) leaves the others intact
    b.accidents["x"] = 1
    b.accidents.loc[b.accidents.index[0], "deaths"] = 9
    del b.frames["annual"]
    b.summary.normalised.append("x")
    c = load_pack(root)
    assert "x" not in c.accidents and "x" not in a.accidents
    assert c.accidents["deaths"].tolist() == a.accidents["deaths"].tolist() == [1]
    assert "annual" in c.frames and "x" not in c.summary.normalised


def test_changed_pack_is_reloaded_and_memo_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    rows = [ACC, ["A1", "2021-03-05", "消防", "火灾", 1]]
    roots = [make_pack(tmp_path / f"p{i}", 生产安全事故=rows) for i in range(3)]
    root = roots[0]
    assert load_pack(root).accidents["deaths"].tolist() == [1]
    rows[1][4] = 2
    make_pack(root, 生产安全事故=rows)
    assert load_pack(root).accidents["deaths"].tolist() == [2]
    for r in roots[1:]:
        load_pack(r)
    assert len(load._MEMO) <= load.MEMO_SIZE


def test_no_memo_without_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    root = make_pack(tmp_path / "p", 生产安全事故=[ACC, ["A1", "2021-03-05", "消防", "火灾", 1]])
    load_pack(root, use_cache=False)
    assert not any(k[0] == str(tmp_path / "cache") for k in load._MEMO)


def test_two_workers_writing_the_pack_cache_at_once(tmp_path, monkeypatch):
    """A batch's workers validate packs at the same time: the one that renames its cache folder
    second keeps the first one's and leaves nothing half-written behind."""
    import os

    cache_dir = tmp_path / "cache"
    monkeypatch.setattr(paths, "CACHE_DIR", cache_dir)
    root = make_pack(tmp_path / "p", 生产安全事故=[ACC, ["A1", "2021-03-05", "消防", "火灾", 1]])
    real_rename = os.rename
    seen = []

    def other_worker_wins(src, dst):
        # Just before our rename, another worker's complete cache lands at the same place.
        seen.append((Path(src).name, Path(dst).name))
        other = Path(dst).with_name("other")
        os.makedirs(other)
        for f in Path(src).iterdir():
            (other / f.name).write_bytes(f.read_bytes())
        real_rename(other, dst)
        return real_rename(src, dst)  # fails: the destination is a non-empty folder

    monkeypatch.setattr(load.os, "rename", other_worker_wins)
    a = load_pack(root)
    monkeypatch.setattr(load.os, "rename", real_rename)
    assert len(seen) == 1 and seen[0][0].startswith(".tmp-")
    (digest,) = [d.name for d in (cache_dir / "packs").iterdir()]  # no temp folder left
    assert digest == a.input_hash and (cache_dir / "packs" / digest / "meta.json").is_file()
    load._MEMO.clear()
    monkeypatch.setattr(load, "_build", lambda *_: (_ for _ in ()).throw(AssertionError("rebuilt")))
    b = load_pack(root)  # a new worker reads the surviving cache
    pd.testing.assert_frame_equal(a.accidents, b.accidents)


def test_annual_lookup_first_row_blank_notes_and_a_replaced_frame():
    """年度汇总 looked up by (year, measure): the first row when a pair repeats, None when
    absent or when the 口径说明 is blank; a new frame put in its place is read afresh."""
    from planeval.data.pack import DataPack

    frame = pd.DataFrame(
        {
            "year": [2020, 2021, 2021, 2022],
            "measure": ["常住人口(万人)", "常住人口(万人)", "常住人口(万人)", "常住人口(万人)"],
            "value": [50.0, 51.5, 99.0, float("nan")],
            "basis_note": [None, "第七次人口普查后修订", "重复行", "  "],
        }
    )
    pack = DataPack(root=Path("."), frames={"annual": frame})
    assert pack.annual_value(2021, "常住人口(万人)") == 51.5  # the first of the two 2021 rows
    assert pack.annual_note(2021, "常住人口(万人)") == "第七次人口普查后修订"
    assert pack.annual_note(2020, "常住人口(万人)") is None  # no note
    assert pack.annual_note(2022, "常住人口(万人)") is None  # a blank note
    assert pd.isna(pack.annual_value(2022, "常住人口(万人)"))  # a row without a value: NaN
    assert pack.annual_value(2023, "常住人口(万人)") is None  # no row
    assert pack.annual_value(2021, "地区生产总值(亿元)") is None
    pack.frames["annual"] = frame.assign(value=[1.0, 2.0, 3.0, 4.0]).drop(columns="basis_note")
    assert pack.annual_value(2021, "常住人口(万人)") == 2.0
    assert pack.annual_note(2021, "常住人口(万人)") is None  # the new frame has no notes
