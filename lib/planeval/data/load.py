"""``load_pack``: read, normalise and validate a data pack, with a Parquet cache.

Every chapter notebook loads the pack, so a validated pack is cached as Parquet under
``paths.CACHE_DIR/packs/<input hash>/``; the hash covers every input file's bytes (ledgers and
notes), the package version and the source of the modules that define and check the format
(so any change of schema, vocabulary or rules invalidates it). The cache is written to a temporary
folder and renamed into place, so parallel processes never see half a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from planeval import paths
from planeval.data import normalise as _normalise
from planeval.data import read as _read
from planeval.data import validate as _validate
from planeval.data.pack import DataPack, DataPackError, LoadSummary, Problem
from planeval.data.schema import LEDGER_BY_KEY, LEDGERS

CACHE_FORMAT = 1
_CODE_FILES = (
    "data/schema.py",
    "data/read.py",
    "data/normalise.py",
    "data/validate.py",
    "data/load.py",
    "data/pack.py",
    "vocab.py",
    "grades.py",
    "indicators/registry.py",
)


def code_fingerprint() -> str:
    """Hash of the package version and the code that defines and checks the pack format."""
    from planeval import __version__

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
    use_cache : reuse (and write) the validated frames under ``paths.CACHE_DIR/packs``.

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
    if use_cache:
        hit = _read_cache(cache, inv.root.resolve(), digest)
        if hit is not None:
            return hit
    pack = _build(inv, digest)
    if use_cache:
        _write_cache(cache, pack)
    return pack


def _build(inv: _read.Inventory, digest: str) -> DataPack:
    problems: list[Problem] = list(inv.problems)
    sources, probs = _read.read_tables(inv)
    problems += probs
    summary = LoadSummary()
    frames: dict[str, pd.DataFrame] = {}
    wheres: dict[str, str] = {}
    for src in sorted(sources, key=lambda s: [lg.key for lg in LEDGERS].index(s.ledger.key)):
        parsed = _normalise.normalise(src)
        problems += parsed.problems
        problems += _validate.validate_frame(parsed)
        summary.normalised += _normalise.describe_notes(parsed)
        if parsed.frame is None or any(
            p.severity == "error" and p.file == src.file and p.sheet == src.sheet for p in problems
        ):
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
    present = {s.ledger.key for s in sources}
    root_name = inv.root.name or str(inv.root)
    for lg in LEDGERS:
        if lg.key in present:
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
    problems += _validate.check_annual_totals(frames, wheres)
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
    import yaml

    notes: dict[str, str] = {}
    probs: list[Problem] = []
    for sid, p in inv.notes.items():
        try:
            notes[sid] = _read_text(p)
        except (OSError, UnicodeDecodeError):
            probs.append(Problem(f"notes/{p.name}", "无法读取说明文件，请保存为 UTF-8 编码"))
    suppress: dict[str, str] = {}
    if inv.suppress is not None:
        shown = f"notes/{inv.suppress.name}"
        try:
            data = yaml.safe_load(_read_text(inv.suppress))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            return (
                notes,
                suppress,
                probs
                + [
                    Problem(
                        shown,
                        "YAML 格式错误，应为每行“发现id: 原因”",
                        row=None if mark is None else mark.line + 1,
                    )
                ],
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
