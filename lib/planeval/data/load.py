"""``load_pack``: read, normalise and validate a data pack, with a Parquet cache.

Every chapter notebook loads the pack, so a validated pack is cached as Parquet under
``paths.CACHE_DIR/packs/<input hash>/``; the hash covers every input file's bytes (ledgers and
notes), the package version and the source of the modules that define and check the format
(so any change of schema, vocabulary or rules invalidates it). The cache is written to a temporary
folder and renamed into place, so parallel processes never see half a cache.

Within one process (chapters run one after another in a reused kernel, each calling
``load_pack``) the last :data:`MEMO_SIZE` packs are also kept in memory, keyed by folder and input
hash (and cache folder): loading the same unchanged pack again returns the pack already built. Its frames are shared
and read-only by contract; each call gets its own ``frames`` dict of shallow copies
(``DataFrame.copy(deep=False)``, which under pandas' copy-on-write never writes through to the
shared data), so a caller that adds a column or assigns cells cannot change another's frames.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
import shutil
import tempfile
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from planeval import paths
from planeval.data import normalise as _normalise
from planeval.data import read as _read
from planeval.data import validate as _validate
from planeval.data.pack import DataPack, DataPackError, LoadSummary, Problem
from planeval.data.schema import LEDGER_BY_KEY, LEDGERS
from planeval.data.units import convert_annual_units
from planeval.narrative.render import syntax_error as note_syntax_error

CACHE_FORMAT = 1
MEMO_SIZE = 2  # packs kept in memory per process (the province-sized one is ~1–2 GB)
# (cache folder, pack folder, input hash) -> pack
_MEMO: OrderedDict[tuple[str, str, str], DataPack] = OrderedDict()
_CODE_FILES = (
    "data/schema.py",
    "data/read.py",
    "data/xlsx.py",
    "data/normalise.py",
    "data/validate.py",
    "data/units.py",
    "data/load.py",
    "data/pack.py",
    "vocab.py",
    "grades.py",
    "safeyaml.py",
)


def code_fingerprint() -> str:
    """Hash of the package version and the code that defines and checks the pack format."""
    from planeval.version import __version__

    h = hashlib.sha256(f"planeval {__version__} cache {CACHE_FORMAT}".encode())
    for rel in _CODE_FILES:
        p = paths.PACKAGE_DIR / rel
        h.update(rel.encode())
        h.update(p.read_bytes() if p.exists() else b"")
    return h.hexdigest()


def input_hash(inv: _read.Inventory) -> str:
    """Hash of every input file (relative path + bytes) and :func:`code_fingerprint`."""
    h = hashlib.sha256(code_fingerprint().encode())
    for p in inv.files:
        data = p.read_bytes()
        h.update(
            p.relative_to(inv.root).as_posix().encode() + b"\0" + str(len(data)).encode() + b"\0"
        )
        h.update(data)
    return h.hexdigest()[:32]


def load_pack(path: str | Path, *, use_cache: bool = True) -> DataPack:
    """Read, normalise and validate the data pack in folder ``path``.

    Parameters
    ----------
    path : the pack folder (see README: one workbook and/or one file per ledger, ``notes/``).
    use_cache : reuse (and write) the validated frames under ``paths.CACHE_DIR/packs``, and
        the packs already loaded in this process (see the module docstring); False reads and
        validates everything afresh.

    Returns
    -------
    DataPack
        English column names plus ``_file, _sheet, _row``; see ``pack.py`` for dtypes.

    Raises
    ------
    DataPackError
        With every problem found (file, sheet, Excel row, column, value, rule), in Chinese.
    """
    inv = _read.survey(path)
    errors = [p for p in inv.problems if p.severity == "error"]
    if errors:
        raise DataPackError(inv.problems)
    try:
        digest = input_hash(inv)
    except OSError as e:
        raise DataPackError([Problem(str(path), f"无法读取数据包中的文件：{e}")]) from None
    cache = paths.CACHE_DIR / "packs" / digest
    if not use_cache:
        return _plan_checked(_build(inv, digest))
    key = (str(paths.CACHE_DIR), str(inv.root.resolve()), digest)
    pack = _MEMO.get(key)
    if pack is None:
        pack = _read_cache(cache, inv.root.resolve(), digest)
        if pack is None:
            pack = _build(inv, digest)
            _write_cache(cache, pack)
        _MEMO[key] = pack
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    _MEMO.move_to_end(key)
    return _plan_checked(_handout(pack))


def _plan_checked(pack: DataPack) -> DataPack:
    """The plan, outline and task-list checks (``plan_check``): errors refuse the pack, warnings
    join the summary. Run on every load: they read files outside the cached validation."""
    from planeval.data import plan_check

    found = plan_check.problems(pack)
    if any(p.severity == "error" for p in found):
        raise DataPackError([*found, *pack.summary.warnings])
    pack.summary.warnings.extend(found)
    return pack


def _handout(pack: DataPack) -> DataPack:
    """A caller's view of a memoised pack: its own dicts, frames as shallow copy-on-write
    copies of the shared (read-only) ones."""
    s = pack.summary
    return dataclasses.replace(
        pack,
        frames={k: df.copy(deep=False) for k, df in pack.frames.items()},
        notes=dict(pack.notes),
        suppress=dict(pack.suppress),
        summary=dataclasses.replace(
            s,
            ledgers=dict(s.ledgers),
            years=dict(s.years),
            sources=dict(s.sources),
            normalised=list(s.normalised),
            warnings=list(s.warnings),
            missing=list(s.missing),
        ),
    )


def _build(inv: _read.Inventory, digest: str) -> DataPack:
    # Reading and normalising a province-sized pack makes millions of long-lived objects; the
    # cyclic collector would walk them all again and again (none of them is garbage).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_pack(inv, digest)
    finally:
        if was_enabled:
            gc.enable()


def _build_pack(inv: _read.Inventory, digest: str) -> DataPack:
    sources, probs = _read.read_tables(inv)
    return _from_sources(inv, sources, list(inv.problems) + probs, digest)


def validate_sources(sources: list[_read.Source], root: str | Path) -> DataPack:
    """Normalise and validate ledgers already read (:class:`~planeval.data.read.Source` grids),
    exactly as :func:`load_pack` does after reading; no cache, no notes.

    For tests that build cells in memory (the property tests throw junk at every column).

    Raises
    ------
    DataPackError
        Every problem, located.
    """
    return _from_sources(_read.Inventory(root=Path(root)), list(sources), [], "")


def _from_sources(
    inv: _read.Inventory, sources: list[_read.Source], problems: list[Problem], digest: str
) -> DataPack:
    summary = LoadSummary()
    frames: dict[str, pd.DataFrame] = {}
    wheres: dict[str, str] = {}
    empty: set[str] = set()  # ledgers present with a header but no data rows
    # Rows that passed every cell check, of ledgers that have errors elsewhere: the checks across
    # ledgers (grades, 年度汇总 against the event ledgers) still run on them, so that check-data
    # reports every problem in one run; ``uncertain`` holds the years they cannot speak for.
    partial: dict[str, pd.DataFrame] = {}
    uncertain: dict[str, set[int] | None] = {}
    for src in sorted(sources, key=lambda s: [lg.key for lg in LEDGERS].index(s.ledger.key)):
        try:
            parsed = _normalise.normalise(src)
            if src.ledger.key == "annual":  # 亿元 / 万人次 / 人 … written in the measure name
                convert_annual_units(parsed)
            vprobs = _validate.validate_frame(parsed)
        except Exception as e:  # noqa: BLE001 - a bug must name the sheet, not end in a traceback
            problems.append(
                Problem(
                    src.file,
                    f"检查这张表时程序出错（{type(e).__name__}: {e}），请把这条信息报告给维护者",
                    sheet=src.sheet,
                )
            )
            continue
        problems += parsed.problems
        problems += vprobs
        summary.normalised += _normalise.describe_notes(parsed)
        errors = [
            p
            for p in problems
            if p.severity == "error" and p.file == src.file and p.sheet == src.sheet
        ]
        if parsed.frame is None or errors:
            if parsed.frame is not None:
                got = _validate.rows_that_passed(parsed, errors)
                if got is not None:
                    df, years = got
                    if src.ledger.key == "accidents" and len(df):
                        df, gprobs, _ = _validate.derive_grades(df, src)
                        problems += gprobs
                    partial[src.ledger.key] = df
                    uncertain[src.ledger.key] = years
                    wheres[src.ledger.key] = src.where
            continue
        if parsed.frame.empty:  # only a header (e.g. an unfilled template sheet): not provided
            empty.add(src.ledger.key)
            if src.ledger.required:
                problems.append(
                    Problem(
                        src.file,
                        f"必需的台账“{src.ledger.zh}”只有表头、没有数据行：请至少填写一行",
                        sheet=src.sheet,
                    )
                )
            continue
        df = _validate.finalise(parsed)
        if src.ledger.key == "accidents":
            df, gprobs, had = _validate.derive_grades(df, src)
            problems += gprobs
            if not had:
                summary.normalised.append("生产安全事故：按国务院令第493号第三条计算事故等级")
        frames[src.ledger.key] = df
        wheres[src.ledger.key] = src.where
        summary.ledgers[src.ledger.zh] = len(df)
        summary.sources[src.ledger.zh] = src.where
    present = {s.ledger.key for s in sources} - empty
    root_name = inv.root.name or str(inv.root)
    for lg in LEDGERS:
        if lg.key in present or (lg.required and lg.key in empty):  # the latter: said above
            continue
        if lg.required:
            problems.append(
                Problem(
                    root_name,
                    f"缺少必需的台账“{lg.zh}”：请在工作簿中加一个名为“{lg.zh}”的工作表，"
                    f"或放一个“{lg.zh}.xlsx”文件",
                )
            )
        else:
            summary.missing.append(lg.zh)
    problems += _validate.check_annual_totals({**partial, **frames}, wheres, uncertain)
    notes, suppress, nprobs = _read_notes(inv)
    problems += nprobs
    summary.warnings = [p for p in problems if p.severity == "warning"]
    if any(p.severity == "error" for p in problems):
        raise DataPackError(problems)
    for key, df in frames.items():
        lg = LEDGER_BY_KEY[key]
        if key == "annual":
            yrs = df["year"]
        elif lg.date_field:
            yrs = df[lg.date_field].dropna().dt.year
        else:
            continue
        if len(yrs):
            summary.years[lg.zh] = (int(yrs.min()), int(yrs.max()))
    return DataPack(
        root=inv.root.resolve(),
        frames=frames,
        notes=notes,
        suppress=suppress,
        summary=summary,
        input_hash=digest,
    )


def _read_text(p: Path) -> str:
    data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("utf-8", data, 0, 1, "无法识别编码")


def _read_notes(inv: _read.Inventory) -> tuple[dict[str, str], dict[str, str], list[Problem]]:
    from planeval import safeyaml

    notes: dict[str, str] = {}
    probs: list[Problem] = []
    for sid, p in inv.notes.items():
        try:
            notes[sid] = _read_text(p)
        except (OSError, UnicodeDecodeError):
            probs.append(Problem(f"notes/{p.name}", "无法读取说明文件，请保存为 UTF-8 编码"))
            continue
        if why := note_syntax_error(notes[sid]):
            probs.append(Problem(f"notes/{p.name}", why))
    suppress: dict[str, str] = {}
    if inv.suppress is not None:
        shown = f"notes/{inv.suppress.name}"
        try:
            data = safeyaml.load(_read_text(inv.suppress))
        except safeyaml.SafeYAMLError as e:
            why = e.reason if "YAML 格式错误" not in e.reason else "YAML 格式错误"
            return (
                notes,
                suppress,
                probs + [Problem(shown, f"{why}；应为每行“发现id: 原因”", row=e.line)],
            )
        except (OSError, UnicodeDecodeError):
            return notes, suppress, probs + [Problem(shown, "无法读取文件，请保存为 UTF-8 编码")]
        if data is None:
            data = {}
        if not isinstance(data, dict):
            probs.append(Problem(shown, "应为“发现id: 原因”的映射（每行一条）"))
        else:
            for k, v in data.items():
                if v is None or not str(v).strip():
                    probs.append(Problem(shown, "请写明不采用该发现的原因", column=str(k)))
                else:
                    suppress[str(k)] = str(v).strip()
    return notes, suppress, probs


# --- cache -----------------------------------------------------------------------------------


def _problem_to_json(p: Problem) -> dict:
    d = dict(p.__dict__)
    d["value"] = None if p.value is None else str(p.value)
    return d


def _write_cache(cache: Path, pack: DataPack) -> None:
    if cache.exists():
        return
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{cache.name}-", dir=cache.parent))
        for key, df in pack.frames.items():
            df.to_parquet(tmp / f"{key}.parquet", index=False)
        s = pack.summary
        meta = {
            "format": CACHE_FORMAT,
            "ledgers": list(pack.frames),
            "notes": pack.notes,
            "suppress": pack.suppress,
            "summary": {
                "ledgers": s.ledgers,
                "years": s.years,
                "sources": s.sources,
                "normalised": s.normalised,
                "missing": s.missing,
                "warnings": [_problem_to_json(p) for p in s.warnings],
            },
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        try:
            os.rename(tmp, cache)
        except OSError:  # another process won the race: its cache is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        pass  # a read-only checkout still works, only slower


def _read_cache(cache: Path, root: Path, digest: str) -> DataPack | None:
    meta_path = cache / "meta.json"
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT:
            return None
        frames = {}
        for key in meta["ledgers"]:
            df = pd.read_parquet(cache / f"{key}.parquet")
            frames[key] = _restore_dtypes(key, df)
        s = meta["summary"]
        summary = LoadSummary(
            ledgers=s["ledgers"],
            years={k: tuple(v) for k, v in s["years"].items()},
            sources=s["sources"],
            normalised=s["normalised"],
            missing=s["missing"],
            warnings=[Problem(**w) for w in s["warnings"]],
        )
    except Exception:  # a damaged cache is rebuilt, never trusted
        return None
    return DataPack(
        root=root,
        frames=frames,
        notes=meta["notes"],
        suppress=meta["suppress"],
        summary=summary,
        input_hash=digest,
    )


def _restore_dtypes(key: str, df: pd.DataFrame) -> pd.DataFrame:
    """Make sure cached frames carry exactly the dtypes of a fresh load."""
    lg = LEDGER_BY_KEY[key]
    out = df.copy()
    for f in lg.fields:
        if f.kind == "date":
            out[f.name] = out[f.name].astype("datetime64[ns]")
        elif f.kind == "int" or (f.kind == "year" and not f.nullable):
            out[f.name] = out[f.name].astype("int64")
        elif f.kind == "year":
            out[f.name] = out[f.name].astype("Int64")
        elif f.kind == "float":
            out[f.name] = out[f.name].astype("float64")
        else:
            out[f.name] = out[f.name].astype("str")
    for c in ("_file", "_sheet"):
        out[c] = out[c].astype("str")
    out["_row"] = out["_row"].astype("int64")
    return out
