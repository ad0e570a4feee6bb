"""``planeval run``: parameters → validated pack → chapters (papermill, parallel) → report.

The run builds everything in a staging folder beside the target
(``<out>/<county>/.planeval-run-<slug>-<pid>/``) and swaps it in only at the end, so a killed or
crashed run leaves the previous report untouched. A failing chapter does not stop the others: its
executed notebook (with the error cell) is kept, the report gets a placeholder section, and the
run exits non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from planeval.paths import KERNEL_NAME, NOTEBOOKS_DIR, PACKAGE_DIR, PROJ_ROOT
from planeval.report.chapters import Chapter, discover
from planeval.report.kernels import WarmKernels
from planeval.report.params import (
    ParamsError,
    check_chapter_params,
    load_params,
    notebook_values,
)

FORMATS = ("html", "pdf", "docx")
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
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------- progress
class Progress:
    """Chapter started/finished lines on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.t0 = time.monotonic()

    def __call__(self, msg: str) -> None:
        if self.enabled:
            print(f"[{time.monotonic() - self.t0:6.1f}s] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- results
@dataclass
class ChapterResult:
    """What happened to one chapter."""

    id: str
    file: str
    title: str
    stage: int
    status: str = "pending"  # ok | failed
    seconds: float = 0.0
    error: str = ""
    executed: str = ""  # path of the executed notebook

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class RunResult:
    """The outcome of :func:`run` (also what ``manifest.json`` records)."""

    exit_code: int
    target: Path | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    chapters: list[ChapterResult] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    skipped: bool = False
    message: str = ""


def _one_line(text: str, limit: int = 200) -> str:
    text = _ANSI.sub("", str(text)).strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def execute_chapter(
    ch: Chapter, out_nb: Path, parameters: dict[str, Any], cwd: Path, km=None
) -> ChapterResult:
    """Execute one chapter with papermill (always passing ``kernel_name``); never raises.

    ``km``: a running kernel to execute in (a warm one from :class:`WarmKernels`); None starts
    a fresh kernel for this chapter.
    """
    import logging

    import papermill
    from papermill.exceptions import PapermillExecutionError

    # Parameters were checked by check_chapter_params; papermill's own warnings are noise here.
    logging.getLogger("papermill").setLevel(logging.ERROR)

    res = ChapterResult(ch.id, ch.name, ch.title, ch.stage, executed=str(out_nb))
    t = time.monotonic()
    try:
        papermill.execute_notebook(
            str(ch.path),
            str(out_nb),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            log_output=False,
            # The kernel's working directory, given to nbclient rather than papermill's ``cwd``
            # (which os.chdir()s the whole process: not safe with chapters in parallel threads).
            resources={"metadata": {"path": str(cwd)}},
            # Quiet kernels: no ipykernel start-up warnings on the terminal or in cron mail.
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
            **({"km": km} if km is not None else {}),
        )
        res.status = "ok"
    except PapermillExecutionError as e:
        res.status = "failed"
        res.error = _one_line(f"{e.ename}: {e.evalue}")
    except Exception as e:  # noqa: BLE001 - kernel death, missing kernel… all become a failed chapter
        res.status = "failed"
        res.error = _one_line(f"{type(e).__name__}: {e}")
    res.seconds = round(time.monotonic() - t, 2)
    return res


def record_final_paths(executed: Path, staging: Path, target: Path) -> None:
    """Make an executed notebook record the report folder instead of the staging folder.

    The chapters run with ``metrics_dir`` inside the staging folder, which is renamed to the
    target at the end; the injected-parameters cell and papermill's metadata (parameters,
    output path) are rewritten so that re-running the executed notebook by hand points at the
    final folder.
    """
    import nbformat

    old, new = str(staging), str(target)
    # papermill writes the non-ASCII characters of a string parameter as \uXXXX escapes
    old_esc, new_esc = (json.dumps(x)[1:-1] for x in (old, new))
    nb = nbformat.read(executed, as_version=4)
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell.source.replace(old, new).replace(old_esc, new_esc)
            changed |= src != cell.source
            cell.source = src

    def fix(node):  # papermill's metadata: output_path, parameters …
        nonlocal changed
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in list(items):
            if isinstance(v, str) and old in v:
                node[k] = v.replace(old, new)
                changed = True
            elif isinstance(v, dict | list):
                fix(v)

    fix(nb.metadata.get("papermill", {}))
    if changed:
        nbformat.write(nb, executed)


# --------------------------------------------------------------------------- fingerprints
def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_OS_REASONS: dict[type, str] = {
    PermissionError: "没有访问权限",
    FileNotFoundError: "文件不存在",
    IsADirectoryError: "应为文件而不是目录",
    NotADirectoryError: "应为目录而不是文件",
}


def os_error_message(e: OSError, what: str) -> str:
    """One Chinese line for an OSError, naming the path: ``无法读取文件：/p/a.xlsx（没有访问权限）``.

    >>> os_error_message(PermissionError(13, "Permission denied", "/p/a.xlsx"), "无法读取文件")
    '无法读取文件：/p/a.xlsx（没有访问权限）'
    >>> os_error_message(OSError(5, "Input/output error", "/p/b.csv"), "无法读取文件")
    '无法读取文件：/p/b.csv（Input/output error）'
    """
    reason = next((z for t, z in _OS_REASONS.items() if isinstance(e, t)), None)
    reason = reason or e.strerror or type(e).__name__
    where = e.filename if e.filename is not None else "（未知路径）"
    extra = f" → {e.filename2}" if e.filename2 is not None else ""
    return f"{what}：{where}{extra}（{reason}）"


def _fail(message: str, err) -> RunResult:
    print(message, file=err)
    return RunResult(exit_code=1, message=message)


def input_files(data_dir: Path) -> dict[str, str]:
    """sha256 of every file of the data pack (relative path → hash); Office lock files skipped."""
    out = {}
    for p in sorted(Path(data_dir).rglob("*")):
        if p.is_file() and not p.name.startswith(("~$", ".")):
            out[p.relative_to(data_dir).as_posix()] = _sha256(p)
    return out


def code_hash(notebooks: list[Chapter]) -> str:
    """Hash of the package source, templates and the chapter notebooks."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if (
            p.is_file()
            and "__pycache__" not in p.parts
            and p.suffix
            in (
                ".py",
                ".j2",
                ".css",
                ".json",
                ".yaml",
                ".md",
            )
        ):
            h.update(p.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + p.read_bytes())
    for ch in notebooks:
        h.update(ch.name.encode() + b"\0" + ch.path.read_bytes())
    return h.hexdigest()


def fingerprint(
    inputs: dict[str, str], params: dict[str, Any], code: str, formats: list[str]
) -> str:
    blob = json.dumps(
        {"inputs": inputs, "params": params, "code": code, "formats": formats},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def _packages() -> dict[str, str]:
    out = {}
    for name in MANIFEST_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    out["python"] = sys.version.split()[0]
    return out


def _git_commit() -> str | None:
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


# --------------------------------------------------------------------------- staging and swap
def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def recover(target: Path) -> None:
    """Undo a swap interrupted between its two renames (target moved to .old, staging not in)."""
    old = _old(target)
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
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
        if pid != os.getpid() and not _pid_alive(pid):
            shutil.rmtree(d, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Make ``staging`` the report folder: target → .old, staging → target, drop .old."""
    old = _old(target)
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


def _manifest_ok(target: Path) -> dict[str, Any] | None:
    mf = target / "manifest.json"
    if not mf.exists():
        return None
    try:
        return json.loads(mf.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


# --------------------------------------------------------------------------- the run
def run(
    params_file: str | Path,
    *,
    overrides: dict[str, Any] | None = None,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    chapters: list[str] | None = None,
    jobs: int | None = None,
    if_changed: bool = False,
    formats: list[str] | None = None,
    progress: Progress | None = None,
    out=None,
    err=None,
) -> RunResult:
    """Execute the chapters and assemble the report.

    Parameters
    ----------
    params_file : ``params/<name>.yaml``.
    overrides : ``period``, ``data``, ``out`` from the command line.
    notebooks_dir : folder of chapter notebooks (tests point it at fixtures).
    chapters : chapter ids to run (default all).
    jobs : chapters executed in parallel (default: number of cores).
    if_changed : skip when inputs, parameters and code match the existing manifest.
    formats : subset of ``html``, ``pdf``, ``docx`` (HTML is always written).

    Returns
    -------
    RunResult
        ``exit_code`` 0 when every chapter and format succeeded, 1 otherwise, 2 for bad
        parameters. Messages go to ``err`` (Chinese, no traceback); output paths to ``out``.
    """
    import planeval
    from planeval.data.pack import DataPackError

    out = out or sys.stdout
    err = err or sys.stderr
    progress = progress or Progress()
    stages: dict[str, float] = {}
    t0 = time.monotonic()
    formats = list(formats or FORMATS)
    bad = [f for f in formats if f not in FORMATS]
    try:
        if bad:
            raise ParamsError(
                [f"--formats 中的格式不支持：{'、'.join(bad)}（可用：html、pdf、docx）"]
            )
        params = load_params(params_file, overrides)
        chs = discover(Path(notebooks_dir), chapters)
        target = params.target_dir()
        data_dir = params.data_path
        if not data_dir.is_dir():
            raise ParamsError([f"参数 数据包目录 (data)：目录 {data_dir} 不存在"])
        staging = target.parent / f".planeval-run-{target.name}-{os.getpid()}"
        values = notebook_values(params, data_dir=data_dir, metrics_dir=staging / "metrics")
        inject = check_chapter_params(
            {c.name: c.parameters for c in chs}, values, params_source=f"参数文件 {params_file}"
        )
    except ParamsError as e:
        print(e.report(), file=err)
        return RunResult(exit_code=2, message=e.report())
    stages["params"] = round(time.monotonic() - t0, 2)

    # --if-changed: compare with the manifest of the report in place.
    t = time.monotonic()
    try:
        inputs = input_files(data_dir)
        pdump = params.model_dump()
        fp = fingerprint(
            inputs, {**pdump, "chapters": [c.id for c in chs]}, code_hash(chs), formats
        )
        recover(target)
    except OSError as e:
        return _fail(os_error_message(e, "无法读取文件"), err)
    if if_changed:
        prev = _manifest_ok(target)
        if prev and prev.get("fingerprint") == fp and prev.get("status") == "ok":
            msg = f"输入、参数与代码均未变化，跳过：{target}"
            print(msg, file=out)
            return RunResult(exit_code=0, target=target, skipped=True, message=msg)

    # Kernels start (and import what chapters need) while the pack is validated.
    jobs = max(1, jobs or os.cpu_count() or 1)
    kernels = WarmKernels(min(jobs, len(chs)), Path(notebooks_dir))
    with kernels:
        # The pack is validated once, before any chapter (load_pack caches a Parquet copy).
        progress(f"检查数据包 {data_dir}")
        try:
            planeval.load_pack(data_dir)
        except DataPackError as e:
            print(e.report(), file=err)
            return RunResult(exit_code=1, message=e.report())
        except OSError as e:
            return _fail(os_error_message(e, "无法读取数据包文件"), err)
        except Exception as e:  # noqa: BLE001 - a bug must not end in a traceback
            return _fail(f"检查数据包 {data_dir} 时出错：{type(e).__name__}: {e}", err)
        stages["validate"] = round(time.monotonic() - t, 2)

        try:
            clean_stale_staging(target)
            if staging.exists():
                shutil.rmtree(staging)
            (staging / "notebooks").mkdir(parents=True)
            (staging / "metrics").mkdir()
        except OSError as e:
            return _fail(os_error_message(e, "无法创建报告输出目录"), err)
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet kernels

        # Chapters: stage 1 in parallel, then stage 2 (reads stage 1's metrics).
        t = time.monotonic()
        results: dict[str, ChapterResult] = {}

        def job(ch: Chapter) -> ChapterResult:
            progress(f"开始 {ch.name}")
            with kernels.kernel() as use:
                r = execute_chapter(
                    ch, staging / "notebooks" / ch.name, inject[ch.name], ch.path.parent, km=use.km
                )
                use.ok = r.ok
            state = "完成" if r.ok else f"失败：{r.error}"
            progress(f"{state} {ch.name}（{r.seconds:.1f} 秒）")
            return r

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for stage in (1, 2):
                for r in pool.map(job, [c for c in chs if c.stage == stage]):
                    results[r.file] = r
        ordered = [results[c.name] for c in chs]
        for r in ordered:
            if Path(r.executed).is_file():
                # Cosmetic only: on any failure the notebook stays as executed.
                with contextlib.suppress(Exception):
                    record_final_paths(Path(r.executed), staging, target)
        stages["execute"] = round(time.monotonic() - t, 2)

        # Assemble the report; any crash here leaves the previous report in place.
        outputs: dict[str, Path] = {}
        try:
            from planeval.report import stitch

            t = time.monotonic()
            progress("生成 HTML")
            html_path = staging / "report.html"
            stitch.write_html(ordered, params, html_path)
            outputs["html"] = html_path
            stages["html"] = round(time.monotonic() - t, 2)
            # Word (pandoc, a subprocess) is built beside the PDF: both only read report.html.
            docx_seconds: dict[str, float] = {}

            def make_docx() -> Path:
                t1 = time.monotonic()
                from planeval.report import docx

                path = docx.write_docx(html_path, staging / "report.docx")
                docx_seconds["docx"] = round(time.monotonic() - t1, 2)
                return path

            with ThreadPoolExecutor(max_workers=1) as side:
                word = side.submit(make_docx) if "docx" in formats else None
                if "pdf" in formats:
                    t = time.monotonic()
                    progress("生成 PDF")
                    from planeval.report import pdf

                    outputs["pdf"] = pdf.write_pdf(html_path, staging / "report.pdf")
                    stages["pdf"] = round(time.monotonic() - t, 2)
                if word is not None:
                    progress("生成 Word")
                    outputs["docx"] = word.result()
                    stages["docx"] = docx_seconds["docx"]
        except Exception as e:  # noqa: BLE001 - report a clear message, keep the previous report
            msg = (
                f"报告组装失败（{_one_line(f'{type(e).__name__}: {e}')}）；"
                f"原有报告未改动：{target}；本次中间结果保留在 {staging}"
            )
            print(msg, file=err)
            return RunResult(
                exit_code=1, target=target, chapters=ordered, stages=stages, message=msg
            )

        failed = [r for r in ordered if not r.ok]
        status = "ok" if not failed else "failed"
        stages["total"] = round(time.monotonic() - t0, 2)
        manifest = {
            "planeval": planeval.__version__,
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "status": status,
            "params_file": str(params_file),
            "params": pdump,
            "period": {
                "label": params.period_obj.label,
                "start": params.period_obj.start.isoformat(),
                "end": params.period_obj.end.isoformat(),
                "slug": params.period_obj.slug,
            },
            "title": params.report_title,
            "data_dir": str(data_dir),
            "inputs": inputs,
            "packages": _packages(),
            "git_commit": _git_commit(),
            "fingerprint": fp,
            "kernel": KERNEL_NAME,
            "jobs": jobs,
            "chapters": [{**asdict(r), "executed": f"notebooks/{r.file}"} for r in ordered],
            "stages_seconds": stages,
            "outputs": {k: v.name for k, v in outputs.items()},
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
        )

        # A partial report replaces the previous one, but a previous complete one is kept aside.
        prev = _manifest_ok(target)
        if failed and prev and prev.get("status") == "ok":
            keep = target.with_name(target.name + ".last-good")
            if keep.exists():
                shutil.rmtree(keep)
            shutil.copytree(target, keep)
            print(f"上一次完整的报告已另存为：{keep}", file=err)
        swap_in(staging, target)
        final = {k: target / v.name for k, v in outputs.items()}

        for r in failed:
            print(
                f"章节 {r.file}（{r.title}）生成失败：{r.error}；已执行的 notebook：{target / 'notebooks' / r.file}",
                file=err,
            )
        for k in ("html", "pdf", "docx"):
            if k in final:
                print(final[k], file=out)
        return RunResult(
            exit_code=0 if status == "ok" else 1,
            target=target,
            outputs=final,
            chapters=ordered,
            stages=stages,
        )


def main(args: argparse.Namespace) -> int:
    """Entry point for ``planeval run`` (arguments parsed in :mod:`planeval.cli`)."""
    overrides = {"period": args.period, "data": args.data, "out": args.out}
    chapters = [c.strip() for c in args.chapters.split(",") if c.strip()] if args.chapters else None
    formats = [f.strip() for f in args.formats.split(",") if f.strip()] if args.formats else None
    res = run(
        args.params,
        overrides=overrides,
        chapters=chapters,
        jobs=args.jobs,
        if_changed=args.if_changed,
        formats=formats,
    )
    return res.exit_code
