"""A synthetic province-sized data pack: the demo county (``planeval.demo.generate``) scaled.

``build_frames(counties)`` makes ``counties`` copies of the demo county's ledgers, each with its
own county name (``示例001县`` …) in unit, town, plan, drill, depot, team and project names, and
fresh unique ids. Per county the three big ledgers are resampled (seeded, deterministic) to the
issue's province proportions — 100 counties ≈ 2 000 000 隐患, 300 000 执法检查, 5 000 生产安全事故
rows — and every other ledger is copied as is. 年度汇总 is the sum of the counties' (all its
measures are additive), so the cross-ledger checks of ``load_pack`` still pass; 指标 is the
demo's (one plan for the province).

``ensure_pack(counties, fmt)`` writes the pack once under ``bench/.data/`` (git-ignored) and
reuses it while ``PACK_VERSION`` and the demo generator are unchanged:

- ``parquet``: one ``<台账>.parquet`` per ledger, Chinese headers (the per-ledger file layout
  ``load_pack`` accepts);
- ``xlsx``: one workbook, one sheet per ledger, written with openpyxl's write-only mode. Excel
  holds at most 1 048 576 rows per sheet, so a pack whose 隐患 ledger is larger cannot be an
  Excel workbook at all (``ExcelTooLarge``).

Usage: ``python bench/scale_pack.py COUNTIES [parquet|xlsx|both]`` prints the pack folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from planeval.data.schema import LEDGER_BY_KEY, LEDGERS
from planeval.demo import generate as demo

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"
EXCEL_MAX_ROWS = 1_048_576  # per sheet, header included

# Rows per county for the resampled ledgers (100 counties = the province).
PER_COUNTY = {"hazards": 20_000, "inspections": 3_000, "accidents": 50}
SINGLE = ("indicators",)  # one table for the whole province
SUMMED = ("annual",)  # province total = sum of the counties
# str columns that carry a place or organisation name: "示例县" → the county's name
RENAME_COLUMNS = {
    "accidents": ("unit", "summary"),
    "inspections": ("unit", "action"),
    "hazards": ("unit",),
    "plans": ("name",),
    "drills": ("name",),
    "reserves": ("depot",),
    "teams": ("name",),
    "outreach": ("title",),
}
TOWN_COLUMNS = {"accidents": "town", "fires": "town"}
UNIQUE_PREFIX = {"projects": "name", "disasters": "name", "campaigns": "campaign", "tasks": "id"}


class ExcelTooLarge(ValueError):
    """The pack has a ledger with more rows than an Excel sheet can hold."""


def county_name(i: int) -> str:
    """The ``i``-th (0-based) synthetic county's name."""
    return f"示例{i + 1:03d}县"


def _demo_frames() -> dict[str, pd.DataFrame]:
    tables = demo.build_tables()
    out = {}
    for key, rows in tables.items():
        lg = LEDGER_BY_KEY[key]
        df = pd.DataFrame(rows, columns=[f.name for f in lg.fields])
        for f in lg.fields:
            if f.kind == "date":
                df[f.name] = pd.to_datetime(df[f.name])
        out[key] = df
    return out


def _resample(
    df: pd.DataFrame, n: int, rng: np.random.Generator, date_field: str | None
) -> pd.DataFrame:
    """``n`` rows of ``df``: all rows plus a random extra sample, or a random subset; date order."""
    if n >= len(df):
        idx = np.concatenate([np.arange(len(df)), rng.choice(len(df), n - len(df), replace=True)])
    else:
        idx = np.sort(rng.choice(len(df), n, replace=False))
    out = df.iloc[idx]
    if date_field:
        out = out.sort_values(date_field, kind="stable")
    return out.reset_index(drop=True)


def _county(key: str, df: pd.DataFrame, i: int, rng: np.random.Generator) -> pd.DataFrame:
    name = county_name(i)
    if key in PER_COUNTY:
        df = _resample(df, PER_COUNTY[key], rng, LEDGER_BY_KEY[key].date_field)
    else:
        df = df.copy()
    for col in RENAME_COLUMNS.get(key, ()):
        if col == "unit":  # every unit carries its county (demo units may start with a town)
            df[col] = name + df[col].str.replace(demo.COUNTY, "", regex=False).astype("object")
        else:
            df[col] = df[col].str.replace(demo.COUNTY, name, regex=False)
    if key in TOWN_COLUMNS:
        col = TOWN_COLUMNS[key]
        df[col] = name + df[col].astype("object")
    if key in UNIQUE_PREFIX:
        col = UNIQUE_PREFIX[key]
        df[col] = name + df[col].astype("object")
    if key == "hazards":
        df["id"] = [f"YH{i + 1:03d}{j:07d}" for j in range(len(df))]
    elif key == "accidents":
        df["id"] = [f"SG{i + 1:03d}-{j:04d}" for j in range(len(df))]
    return df


def build_frames(counties: int) -> dict[str, pd.DataFrame]:
    """The province's ledgers (English column names), ``counties`` counties' worth.

    Parameters
    ----------
    counties : number of county copies (100 = the issue's province size).

    Returns
    -------
    dict
        ledger key → DataFrame in schema field order; dates are ``datetime64``.
    """
    base = _demo_frames()
    out: dict[str, pd.DataFrame] = {}
    for key, df in base.items():
        if key in SINGLE:
            out[key] = df
            continue
        if key in SUMMED:
            total = df.copy()
            total["value"] = total["value"] * counties
            out[key] = total
            continue
        parts = []
        for i in range(counties):
            rng = np.random.default_rng([demo.SEED, 7, i, sorted(base).index(key)])
            parts.append(_county(key, df, i, rng))
        out[key] = pd.concat(parts, ignore_index=True)
    return out


# --------------------------------------------------------------------------- writing
def _zh(key: str, df: pd.DataFrame) -> pd.DataFrame:
    lg = LEDGER_BY_KEY[key]
    return df.rename(columns={f.name: f.zh for f in lg.fields})


def write_parquet(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """One ``<台账>.parquet`` per ledger with the Chinese headers."""
    folder.mkdir(parents=True, exist_ok=True)
    for key, df in frames.items():
        _zh(key, df).to_parquet(folder / f"{LEDGER_BY_KEY[key].zh}.parquet", index=False)


def write_xlsx(frames: dict[str, pd.DataFrame], folder: Path) -> None:
    """One workbook, one sheet per ledger (openpyxl write-only; dates as date cells)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    too_big = {k: len(df) for k, df in frames.items() if len(df) + 1 > EXCEL_MAX_ROWS}
    if too_big:
        shown = ", ".join(f"{LEDGER_BY_KEY[k].zh} {n:,} rows" for k, n in too_big.items())
        raise ExcelTooLarge(f"more rows than an Excel sheet holds ({EXCEL_MAX_ROWS:,}): {shown}")
    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    for lg in LEDGERS:
        df = frames.get(lg.key)
        if df is None:
            continue
        ws = wb.create_sheet(lg.zh)
        ws.append([f.zh for f in lg.fields])
        kinds = [f.kind for f in lg.fields]
        cols = []
        for f in lg.fields:
            s = df[f.name]
            if f.kind == "date":
                vals = [None if pd.isna(v) else v.date() for v in s]
            else:
                vals = s.astype("object").where(s.notna(), None).tolist()
            cols.append(vals)
        date_cells = [j for j, k in enumerate(kinds) if k == "date"]
        for row in zip(*cols, strict=True):
            row = list(row)
            for j in date_cells:
                if row[j] is not None:
                    c = WriteOnlyCell(ws, value=row[j])
                    c.number_format = "yyyy-mm-dd"
                    row[j] = c
            ws.append(row)
    wb.save(folder / "省级应急管理台账.xlsx")


# --------------------------------------------------------------------------- cache
PACK_VERSION = 2  # bump when the scaling above changes what the packs hold


@functools.cache
def _code_key() -> str:
    """Cache key: PACK_VERSION and the demo generator's tables (not its source text, which other
    edits touch without changing the data)."""
    h = hashlib.sha256(f"scale_pack {PACK_VERSION}".encode())
    for key, rows in demo.build_tables().items():
        h.update(key.encode())
        h.update(repr(rows).encode())
    return h.hexdigest()[:10]


def _drop_stale(counties: int) -> None:
    """Remove this size's packs built from other versions of the generator."""
    for d in DATA_DIR.glob(f"province-{counties:03d}-*"):
        if d.name != f"province-{counties:03d}-{_code_key()}":
            shutil.rmtree(d, ignore_errors=True)


def pack_dir(counties: int, fmt: str) -> Path:
    """Where the pack of ``counties`` counties in format ``fmt`` is cached."""
    return DATA_DIR / f"province-{counties:03d}-{_code_key()}" / fmt


def ensure_pack(counties: int, fmt: str, *, log=print) -> Path:
    """The cached pack folder, built first if missing (atomic: built beside, then renamed).

    Raises
    ------
    ExcelTooLarge
        ``fmt == "xlsx"`` and a ledger has more rows than an Excel sheet.
    """
    target = pack_dir(counties, fmt)
    if (target / ".complete").exists():
        return target
    if fmt == "xlsx" and PER_COUNTY["hazards"] * counties + 1 > EXCEL_MAX_ROWS:
        raise ExcelTooLarge(
            f"隐患 {PER_COUNTY['hazards'] * counties:,} rows > {EXCEL_MAX_ROWS - 1:,} "
            "(Excel's rows per sheet)"
        )
    _drop_stale(counties)
    t = time.perf_counter()
    frames = build_frames(counties)
    tmp = target.with_name(f".tmp-{fmt}-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (write_parquet if fmt == "parquet" else write_xlsx)(frames, tmp)
    shutil.copytree(demo.paths.DEMO_DATA_DIR / "notes", tmp / "notes")
    (tmp / ".complete").write_text("ok\n")
    try:
        tmp.rename(target)
    except OSError:  # another process built it meanwhile: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
        if not (target / ".complete").exists():
            raise
    rows = {k: len(v) for k, v in frames.items()}
    log(
        f"built {fmt} pack, {counties} counties ({rows['hazards']:,} 隐患, "
        f"{rows['inspections']:,} 执法检查, {rows['accidents']:,} 事故) in "
        f"{time.perf_counter() - t:.0f} s: {target}"
    )
    return target


def row_counts(counties: int) -> dict[str, int]:
    """Rows per ledger of a pack of ``counties`` counties (without building it)."""
    base = {k: len(v) for k, v in demo.build_tables().items()}
    return {
        k: n if k in SINGLE + SUMMED else PER_COUNTY.get(k, n) * counties for k, n in base.items()
    }


def main(argv: list[str]) -> int:
    counties = int(argv[0]) if argv else 10
    fmts = ["parquet", "xlsx"] if len(argv) < 2 or argv[1] == "both" else [argv[1]]
    for fmt in fmts:
        print(ensure_pack(counties, fmt))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
