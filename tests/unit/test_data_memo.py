"""The in-process memo of load_pack: the same unchanged pack is built once per process, and a
caller cannot change the frames another caller gets."""

from __future__ import annotations

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
