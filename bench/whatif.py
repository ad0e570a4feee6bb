"""What-if: ``load_pack`` with the proposed data-path fixes, applied as in-process patches.

The fixes belong in ``lib/planeval/data/read.py`` and ``normalise.py`` (other engineers' files);
this script measures them without editing those files, and checks that the patched load gives
exactly the same DataPack frames and load summary as the shipped code.

1. ``read._read_parquet``: build the raw grid column-wise (``DataFrame.astype(object)`` → blanks
   to ``""`` → ``values.tolist()``) instead of ``itertuples`` + ``pd.isna`` per cell.
2. ``normalise``: every cell parser (``parse_int/number/date/year/str``) and ``map_choice`` is
   memoised per distinct (type, value) within the process — ledgers repeat the same dates, sectors,
   units and counts thousands of times; a cached answer replays the normalisation notes it made
   (``Counter`` delta) and re-raises the same ``CellError``, so messages and counts are unchanged.
3. the 合计/小计 row test calls ``norm_name(fw_to_ascii(c))`` on every text cell of every row;
   memoising ``norm_name`` and ``fw_to_ascii`` (pure str → str) removes most of that cost
   (in the real fix: test ``"计" in c`` before the regex).
4. ``--gc``: the cyclic garbage collector is paused while the pack is read and normalised
   (``gc.disable()`` … ``gc.enable()`` around ``load._build``, or ``gc.freeze()`` after reading):
   millions of live row lists make each full collection walk them all (measured at 2 M rows:
   68 s → 58 s on top of fixes 1–3).

Usage: ``python bench/whatif.py PACK_DIR [--check] [--gc] [--gc-only]`` prints shipped vs
patched seconds (``--check``: also load with the shipped code and compare; ``--gc-only``: only
fix 4) and the peak RSS.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import Counter
from pathlib import Path


def _memo_parser(fn):
    cache: dict = {}

    def wrapper(v, notes):
        try:
            key = (type(v), v)
            hit = cache.get(key)
        except TypeError:  # unhashable: parse directly
            return fn(v, notes)
        if hit is None:
            delta: Counter = Counter()
            try:
                hit = (True, fn(v, delta), delta)
            except Exception as e:  # noqa: BLE001 - the same CellError is raised again
                hit = (False, e, delta)
            cache[key] = hit
        ok, value, delta = hit
        if delta:
            notes.update(delta)
        if not ok:
            raise value
        return value

    return wrapper


def apply_patches() -> None:
    """Monkeypatch planeval.data.read / normalise with the proposed fixes."""
    import pandas as pd

    from planeval.data import normalise, read

    def _read_parquet(p, rel):
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(p)
        except Exception as e:
            raise read._Unreadable(f"无法读取 Parquet 文件（文件可能已损坏）：{e}") from None
        df = table.to_pandas()
        grid = df.astype(object).where(df.notna(), "")
        rows = [[str(c) for c in df.columns], *grid.values.tolist()]
        return [read.Source(read.ledger_for(p.stem), rel, None, rows)]

    read._read_parquet = _read_parquet
    for kind, fn in list(normalise._PARSERS.items()):
        normalise._PARSERS[kind] = _memo_parser(fn)
    real_map = normalise.map_choice
    choice_cache: dict = {}

    def map_choice(f, value, notes):
        key = (f.name, f.choices is None, value)
        hit = choice_cache.get(key)
        if hit is None:
            delta: Counter = Counter()
            hit = (real_map(f, value, delta), delta)
            choice_cache[key] = hit
        if hit[1]:
            notes.update(hit[1])
        return hit[0]

    normalise.map_choice = map_choice
    normalise.norm_name = functools.lru_cache(maxsize=1 << 16)(normalise.norm_name)
    normalise.fw_to_ascii = functools.lru_cache(maxsize=1 << 16)(normalise.fw_to_ascii)
    del pd


def _load(path: str, gc_off: bool = False):
    import gc

    import planeval

    t = time.perf_counter()
    if gc_off:
        gc.disable()
    try:
        pack = planeval.load_pack(path, use_cache=False)
    finally:
        gc.enable()
    return pack, time.perf_counter() - t


def main(argv: list[str]) -> int:
    path = argv[0]
    check = "--check" in argv
    gc_off = "--gc" in argv
    out: dict = {"pack": path, "gc_paused": gc_off}
    if check:
        shipped, out["shipped_s"] = _load(path)
    if "--gc-only" not in argv:
        apply_patches()
    patched, out["patched_s"] = _load(path, gc_off)
    if check:
        import pandas as pd

        for key, df in shipped.frames.items():
            pd.testing.assert_frame_equal(df, patched.frames[key], check_exact=True)
        assert shipped.summary.normalised == patched.summary.normalised
        out["identical"] = True
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            out["peak_rss_mb"] = int(line.split()[1]) / 1024
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
