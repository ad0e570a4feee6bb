"""The run's manifest: what went in (sha256 of every input file, parameters, code, package
versions, git commit), what came out (per-chapter status and seconds, seconds per stage), and the
fingerprint ``--if-changed`` compares."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from planeval.paths import KERNEL_NAME, PACKAGE_DIR, PROJ_ROOT
from planeval.report.chapters import Chapter, ChapterResult
from planeval.version import __version__

MANIFEST = "manifest.json"
# Packages whose versions go into the manifest (what produced the figures and the files).
MANIFEST_PACKAGES = (
    "planeval",
    "pandas",
    "numpy",
    "matplotlib",
    "python-calamine",
    "pandera",
    "papermill",
    "nbconvert",
    "ipykernel",
    "weasyprint",
    "pypandoc-binary",
    "python-docx",
    "jinja2",
)
# Files of the package whose bytes enter the code hash.
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".yaml", ".md")


def sha256(p: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with p.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def input_files(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of the data pack (relative path → hash); Office lock files skipped."""
    out = {}
    for p in sorted(Path(data_dir).rglob("*")):
        if p.is_file() and not p.name.startswith(("~$", ".")):
            out[p.relative_to(data_dir).as_posix()] = sha256(p)
    return out


def code_hash(notebooks: list[Chapter]) -> str:
    """Hash of the package source, templates and the chapter notebooks."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix in CODE_SUFFIXES:
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    for ch in notebooks:
        h.update(ch.name.encode() + b"\0" + ch.path.read_bytes())
    return h.hexdigest()


def fingerprint(
    inputs: dict[str, str], params: dict[str, Any], code: str, formats: list[str]
) -> str:
    """One hash of everything a report depends on (``--if-changed`` compares it)."""
    blob = json.dumps(
        {"inputs": inputs, "params": params, "code": code, "formats": formats},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def packages() -> dict[str, str]:
    """Versions of :data:`MANIFEST_PACKAGES` and of Python."""
    out = {}
    for name in MANIFEST_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    out["python"] = sys.version.split()[0]
    return out


def git_commit() -> str | None:
    """The repository's HEAD (``+dirty`` when tracked files changed), or None outside git."""
    try:
        r = subprocess.run(
            ["git", "-C", str(PROJ_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        if r.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", str(PROJ_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
        return r.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the report in ``folder``, or None when absent or unreadable."""
    mf = folder / MANIFEST
    if not mf.exists():
        return None
    try:
        return json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def build_manifest(
    *,
    params,
    params_file: str | Path,
    data_dir: Path,
    inputs: dict[str, str],
    fp: str,
    jobs: int,
    results: list[ChapterResult],
    stages: dict[str, float],
    outputs: dict[str, Path],
) -> dict[str, Any]:
    """The manifest of one run (``params`` is the checked :class:`RunParams`)."""
    status = "ok" if all(r.ok for r in results) else "failed"
    period = params.period_obj
    return {
        "planeval": __version__,
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "status": status,
        "params_file": str(params_file),
        "params": params.model_dump(),
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "slug": period.slug,
        },
        "title": params.report_title,
        "data_dir": str(data_dir),
        "inputs": inputs,
        "packages": packages(),
        "git_commit": git_commit(),
        "fingerprint": fp,
        "kernel": KERNEL_NAME,
        "jobs": jobs,
        "chapters": [{**asdict(r), "executed": f"notebooks/{r.file}"} for r in results],
        "stages_seconds": stages,
        "outputs": {k: v.name for k, v in outputs.items()},
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``folder/manifest.json``."""
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
