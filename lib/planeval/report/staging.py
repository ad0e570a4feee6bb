"""Staging and swap: a run builds in ``<out>/<county>/.planeval-run-<slug>-<pid>/`` and swaps it
in only at the end, so a killed or crashed run leaves the previous report untouched."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir(target: Path, pid: int | None = None) -> Path:
    """The staging folder of this process for ``target`` (beside it, so the swap is a rename)."""
    return target.parent / f".planeval-run-{target.name}-{os.getpid() if pid is None else pid}"


def old_dir(target: Path) -> Path:
    """Where the previous report sits during the swap."""
    return target.with_name(target.name + ".old")


def recover(target: Path) -> None:
    """Undo a swap interrupted between its two renames (target moved to .old, staging not in)."""
    old = old_dir(target)
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (also when it belongs to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(target: Path) -> None:
    """Remove staging folders left by killed runs (their process is gone)."""
    if not target.parent.exists():
        return
    for d in target.parent.glob(f".planeval-run-{target.name}-*"):
        try:
            pid = int(d.name.rsplit("-", 1)[1])
        except ValueError:
            continue
        if pid != os.getpid() and not pid_alive(pid):
            shutil.rmtree(d, ignore_errors=True)


def prepare(staging: Path) -> None:
    """A fresh, empty staging folder with ``notebooks/`` and ``metrics/`` (raises OSError)."""
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "notebooks").mkdir(parents=True)
    (staging / "metrics").mkdir()


def keep_last_good(target: Path) -> Path:
    """Copy the report in place to ``<slug>.last-good/`` (before a partial report replaces it)."""
    keep = target.with_name(target.name + ".last-good")
    if keep.exists():
        shutil.rmtree(keep)
    shutil.copytree(target, keep)
    return keep


def swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the report folder: target → .old, staging → target, drop .old."""
    old = old_dir(target)
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)
