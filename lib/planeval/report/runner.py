"""``planeval run``: parameters → validated pack → chapters (papermill, parallel) → report.

The orchestration only; the parts live beside it: :mod:`~planeval.report.chapters` (discovery,
results), :mod:`~planeval.report.execute` (one chapter through papermill),
:mod:`~planeval.report.staging` (build aside, swap in), :mod:`~planeval.report.manifest`
(inputs, fingerprint, what happened), :mod:`~planeval.report.stitch` / ``pdf`` / ``docx``.

A failing chapter does not stop the others: its executed notebook (with the error cell) is kept,
the report gets a placeholder section, and the run exits non-zero.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planeval.exitcodes import EXIT_ENV, EXIT_USAGE
from planeval.paths import NOTEBOOKS_DIR
from planeval.periods import Period
from planeval.report import exports, manifest, preflight, staging, translator
from planeval.report.chapters import Chapter, ChapterResult, discover
from planeval.report.companions import ALL as ALL_COMPANIONS
from planeval.report.companions import from_args as companions_arg
from planeval.report.companions import option_text, parse_companions, skipped_text
from planeval.report.execute import Progress, execute_chapter, one_line, record_final_paths
from planeval.report.kernels import WarmKernels
from planeval.report.params import (
    ParamsError,
    RunParams,
    check_chapter_params,
    load_params,
    notebook_values,
)

__all__ = ["FORMATS", "Progress", "RunResult", "main", "os_error_message", "run"]

FORMATS = ("html", "pdf", "docx")
# Tests only: "N:/path/to/fifo" pauses the run once N chapters have finished — it writes
# "paused" to the FIFO and then blocks until the process is killed (tests/e2e/test_robustness.py
# kills a run mid-way without guessing when "mid-way" is).
PAUSE_ENV = "PLANEVAL_TEST_PAUSE_AFTER"

# Python's cyclic collector during a run: at the default thresholds (700, 10, 10) the run's
# big, long-lived trees (the stitched report's BeautifulSoup tree, the executed notebooks, the
# PDF's layout boxes) keep crossing the "25 % new long-lived objects" rule, and each of the
# ~9 full collections per county scans every live object again: measured 2.5 CPU-s per county
# in the run process, kernels apart. At (10000, 20, 20) it is 0.4–0.7 CPU-s, for about 125 MB
# more peak memory (480 → 605 MB); the chapters' kernels are separate processes and unaffected.
RUN_GC_THRESHOLDS = (10000, 20, 20)


_GC_LOCK = threading.Lock()
_GC_STATE: dict[str, Any] = {"depth": 0, "old": None}  # runs inside fewer_collections, and
# the thresholds the first of them found (runs overlapping in threads restore them once, last)


@contextlib.contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = RUN_GC_THRESHOLDS):
    """Run the block with the collector's ``thresholds``; the previous ones afterwards.

    Only raises thresholds already lower (a caller who tuned the collector higher keeps
    theirs); a disabled collector stays disabled. The thresholds are the process's: blocks
    that overlap (runs in threads) share them, and the last one out restores what the first
    one in found.
    """
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            old = _GC_STATE["old"] = gc.get_threshold()
            gc.set_threshold(*(max(o, t) if o else o for o, t in zip(old, thresholds, strict=True)))
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0:
                gc.set_threshold(*_GC_STATE["old"])


def pause_hook() -> Callable[[], None]:
    """What to call after each chapter: nothing, unless :data:`PAUSE_ENV` is set."""
    spec = os.environ.get(PAUSE_ENV, "")
    if ":" not in spec:
        return lambda: None
    n, fifo = spec.split(":", 1)
    lock = threading.Lock()
    done = [0]

    def after_chapter() -> None:
        with lock:
            done[0] += 1
            hit = done[0] == int(n)
        if hit:
            with open(fifo, "w", encoding="utf-8") as f:
                f.write("paused\n")
            with open(fifo, encoding="utf-8") as f:  # no writer ever comes: wait to be killed
                f.read()

    return after_chapter


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


class RunStop(Exception):
    """Ends a run early with an exit code and a message already meant for the analyst."""

    def __init__(self, result: RunResult):
        super().__init__(result.message)
        self.result = result


def _stop(message: str, err, exit_code: int = 1) -> RunStop:
    print(message, file=err)
    return RunStop(RunResult(exit_code=exit_code, message=message))


@dataclass
class Plan:
    """What a run will do, once the parameters and chapters are checked."""

    params_file: str | Path
    params: RunParams
    chapters: list[Chapter]
    inject: dict[str, dict[str, Any]]
    target: Path
    staging: Path
    data_dir: Path
    formats: list[str]
    notebooks_dir: Path
    # what is written beside the report (planeval.report.companions): 附表.xlsx, figures/,
    # chapter pages, 本次变化, 数据核查清单; all by default
    companions: frozenset[str] = ALL_COMPANIONS


def plan_run(
    params_file: str | Path,
    overrides: dict[str, Any] | None,
    notebooks_dir: Path,
    chapters: list[str] | None,
    formats: list[str],
    companions: bool | str | Iterable[str] = True,
) -> Plan:
    """Check the parameters, discover the chapters, match parameters (raises ParamsError)."""
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParamsError([f"--formats 中的格式不支持：{'、'.join(bad)}（可用：html、pdf、docx）"])
    chosen = parse_companions(companions)
    params = load_params(params_file, overrides)
    chs = discover(Path(notebooks_dir), chapters)
    target = params.target_dir()
    data_dir = params.data_path
    if not data_dir.is_dir():
        raise ParamsError([f"参数 数据包目录 (data)：目录 {data_dir} 不存在"])
    stage_dir = staging.staging_dir(target)
    values = notebook_values(params, data_dir=data_dir, metrics_dir=stage_dir / "metrics")
    inject = check_chapter_params(
        {c.name: c.parameters for c in chs}, values, params_source=f"参数文件 {params_file}"
    )
    return Plan(
        params_file, params, chs, inject, target, stage_dir, data_dir, formats,
        Path(notebooks_dir), chosen,
    )  # fmt: skip


def validate_pack(data_dir: Path, err, period: Period | None = None) -> None:
    """Load (and cache) the data pack once before any chapter; RunStop with its report if bad,
    or if it holds no data at all for ``period`` (:mod:`planeval.period_data`)."""
    import planeval
    from planeval.data.check import check_suppress
    from planeval.data.pack import DataPackError
    from planeval.period_data import period_data_problem

    try:
        pack = planeval.load_pack(data_dir)
        check_suppress(pack)  # and the finding ids of notes/suppress.yaml
        msg = None if period is None else period_data_problem(pack, period)
    except DataPackError as e:
        raise _stop(e.report(), err) from None
    except OSError as e:
        raise _stop(os_error_message(e, "无法读取数据包文件"), err) from None
    except Exception as e:  # noqa: BLE001 - a bug must not end in a traceback
        raise _stop(f"检查数据包 {data_dir} 时出错：{type(e).__name__}: {e}", err) from None
    if msg:
        raise _stop(msg, err)


def compute_findings(plan: Plan, progress: Callable[[str], None]) -> bool:
    """The run's findings, once, from stage 1's key figures: ``metrics/findings.json``.

    Returns False (and the stage-2 chapters compute them themselves, showing any error in their
    notebook) when this fails; never raises.
    """
    import planeval
    from planeval.findings.engine import run_findings, write_findings
    from planeval.plan import using_plan

    try:
        pack = planeval.load_pack(plan.data_dir)  # the validated pack, from the in-process memo
        with using_plan(pack.plan):
            res = run_findings(
                pack,
                plan.params.period_obj,
                str(plan.staging / "metrics"),
                plan.params.findings or "",
            )
        write_findings(plan.staging / "metrics", res)
    except Exception as e:  # noqa: BLE001 - the stage-2 notebooks will say what went wrong
        progress(
            f"问题识别未能在运行中完成（{one_line(f'{type(e).__name__}: {e}')}），由各章自行计算"
        )
        return False
    return True


def execute_stages(
    plan: Plan,
    kernels: WarmKernels,
    jobs: int,
    progress: Progress,
    stages: dict[str, float] | None = None,
) -> list[ChapterResult]:
    """Stage 1 in parallel, the findings once, then stage 2 (renders them); results in report
    order."""
    results: dict[str, ChapterResult] = {}
    stages = {} if stages is None else stages
    after_chapter = pause_hook()

    def job(ch: Chapter) -> ChapterResult:
        progress.chapter_started(ch.name)
        with kernels.kernel() as use:
            r = execute_chapter(
                ch,
                plan.staging / "notebooks" / ch.name,
                plan.inject[ch.name],
                ch.path.parent,
                km=use.km,
                kc=use.kc,
            )
            use.ok = r.ok
        progress.chapter_done(ch.name, r.ok, r.seconds, r.error)
        after_chapter()
        return r

    n = len(plan.chapters)
    progress.stage(f"执行 {n} 个章节（同时 {min(jobs, n)} 个）")
    with ThreadPoolExecutor(max_workers=jobs) as pool, progress.chapters(n):
        for stage in (1, 2):
            chapters = [c for c in plan.chapters if c.stage == stage]
            if stage == 2 and chapters:
                t = time.monotonic()
                progress("问题识别")
                compute_findings(plan, progress)
                stages["findings"] = round(time.monotonic() - t, 2)
            for r in pool.map(job, chapters):
                results[r.file] = r
    ordered = [results[c.name] for c in plan.chapters]
    for r in ordered:
        if Path(r.executed).is_file():
            # Cosmetic only: on any failure the notebook stays as executed.
            with contextlib.suppress(Exception):
                record_final_paths(Path(r.executed), plan.staging, plan.target)
    return ordered


def _companions(
    plan: Plan, ordered: list[ChapterResult], html_path: Path, progress: Progress
) -> tuple[dict[str, Any], str | None]:
    """What is written beside report.html and read from it: what the manifest records, and
    the report with its cells linked to the 数据核查清单 (None without one), to be written
    once the PDF and the Word file are made."""
    try:
        return _write_companions(plan, ordered, html_path, progress)
    finally:
        exports.forget_parsed()  # the report's tree, read by the exports and the checklist


def _write_companions(
    plan: Plan, ordered: list[ChapterResult], html_path: Path, progress: Progress
) -> tuple[dict[str, Any], str | None]:
    from planeval.report import stitch

    # 附表.xlsx, figures/, chapter pages and 本次变化 beside the report (read from report.html;
    # the file and its tables read once, for them and the checklist).
    text = html_path.read_text(encoding="utf-8")
    tables = exports.report_tables(text)
    exported = exports.write_exports(
        ordered,
        html_path,
        plan.staging,
        plan.params.report_title,
        stitch.cover_info(plan.params),
        previous=exports.previous_good(plan.target) if "changes" in plan.companions else None,
        tables=tables,
        parts=plan.companions,
        text=text,
    )
    if (skipped := skipped_text(plan.companions)) is not None:
        exported["skipped"] = skipped
    linked = None
    if "checklist" not in plan.companions:
        return exported, linked
    # 数据核查清单 (the report's cells then link to it): never a reason to lose the report.
    from planeval.report import provenance

    try:
        exported["checklist"], linked = provenance.write_for_report(
            plan.data_dir,
            plan.params.period_obj,
            html_path,
            plan.staging,
            plan.params.report_title,
            tables=tables,
            text=text,
        )
    except Exception as e:  # noqa: BLE001 - a clear message; the report itself is complete
        exported["checklist"] = {"error": one_line(f"{type(e).__name__}: {e}")}
        progress(f"数据核查清单未能生成：{exported['checklist']['error']}")
    if "link_error" in exported["checklist"]:
        progress(f"报告中的数字未能链接到数据核查清单：{exported['checklist']['link_error']}")
    return exported, linked


def assemble(
    plan: Plan,
    ordered: list[ChapterResult],
    stages: dict[str, float],
    progress: Progress,
) -> tuple[dict[str, Path], dict[str, Any]]:
    """Write report.html and what is read from it (:mod:`planeval.report.exports`), then the
    PDF and, beside it in its own process, the Word file; the outputs and the exports' record."""
    from planeval.report import stitch

    outputs: dict[str, Path] = {}
    t = time.monotonic()
    progress("生成 HTML")
    html_path = plan.staging / "report.html"
    stitch.write_html(ordered, plan.params, html_path, plan.data_dir)
    outputs["html"] = html_path
    # the companions chosen (none: only tables.json, what a later build's 本次变化 compares with)
    exported, linked = _companions(plan, ordered, html_path, progress)
    stages["html"] = round(time.monotonic() - t, 2)
    # Word is converted beside the PDF (both only read report.html), in its own process: in
    # this one pandoc's reading would compete with WeasyPrint for the GIL. It then follows the
    # PDF's layout (contents page numbers, landscape tables) once that is known.
    docx_seconds: dict[str, float] = {}
    pdf_layout: Future = Future()

    def make_docx() -> Path:
        t1 = time.monotonic()
        from planeval.report import docx

        path = docx.write_docx_process(
            html_path,
            plan.staging / "report.docx",
            layout=pdf_layout.result if "pdf" in plan.formats else None,
        )
        docx_seconds["docx"] = round(time.monotonic() - t1, 2)
        return path

    with ThreadPoolExecutor(max_workers=1) as side:
        word = side.submit(make_docx) if "docx" in plan.formats else None
        if "pdf" in plan.formats:
            t = time.monotonic()
            progress("生成 PDF")
            from planeval.report import pdf

            try:
                pdf_layout.set_result(pdf.build_pdf(html_path, plan.staging / "report.pdf"))
            except BaseException as e:
                pdf_layout.set_exception(e)
                raise
            outputs["pdf"] = plan.staging / "report.pdf"
            stages["pdf"] = round(time.monotonic() - t, 2)
        if word is not None:
            progress("生成 Word")
            outputs["docx"] = word.result()
            stages["docx"] = docx_seconds["docx"]
    # Only now: the PDF and the Word file keep the tables as printed, without links.
    if linked is not None:  # the checklist was written (not skipped, not failed)
        html_path.write_text(linked, encoding="utf-8")
    return outputs, exported


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
    kernels: WarmKernels | None = None,
    companions: bool | str | Iterable[str] = True,
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
    companions : which of 附表.xlsx, figures/, the chapter pages, 本次变化 and the 数据核查清单
        to write beside the report (:func:`~planeval.report.companions.parse_companions`:
        True, the default, all; ``"xlsx,checklist"`` those; False, ``--no-companions``, none:
        the report alone, a faster draft).
    kernels : warm kernels to run the chapters on, kept running afterwards (a batch worker
        keeps one pool for all its counties); default: a pool of ``jobs`` kernels for this run.

    Returns
    -------
    RunResult
        ``exit_code`` 0 when every chapter and format succeeded, 1 otherwise, 2 for bad
        parameters, 3 when the kernel ``planeval`` is missing (:mod:`planeval.exitcodes`).
        Messages go to ``err`` (Chinese, no traceback); output paths to ``out``; stage lines
        through ``progress`` (:class:`~planeval.report.console.RunProgress`).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    progress = progress or Progress()
    t0 = time.monotonic()
    try:
        plan = plan_run(
            params_file, overrides, notebooks_dir, chapters, list(formats or FORMATS), companions
        )
    except ParamsError as e:
        print(e.report(), file=err)
        return RunResult(exit_code=EXIT_USAGE, message=e.report())
    translator.register()  # readable injected parameters (also done by papermill's entry point)
    stages: dict[str, float] = {"params": round(time.monotonic() - t0, 2)}
    try:
        with fewer_collections():
            return _run_planned(plan, jobs, if_changed, progress, stages, t0, out, err, kernels)
    except RunStop as stop:
        return stop.result


def _run_planned(
    plan: Plan,
    jobs,
    if_changed: bool,
    progress,
    stages: dict[str, float],
    t0: float,
    out,
    err,
    pool: WarmKernels | None = None,
) -> RunResult:
    target = plan.target
    # --if-changed: compare with the manifest of the report in place.
    t = time.monotonic()
    try:
        inputs = manifest.input_files(plan.data_dir)
        fp = manifest.fingerprint(
            inputs,
            {**plan.params.model_dump(), "chapters": [c.id for c in plan.chapters]},
            manifest.code_hash(plan.chapters),
            plan.formats + ([mark] if (mark := option_text(plan.companions)) else []),
        )
        staging.recover(target)
    except OSError as e:
        raise _stop(os_error_message(e, "无法读取文件"), err) from None
    if if_changed:
        prev = manifest.read_manifest(target)
        if prev and prev.get("fingerprint") == fp and prev.get("status") == "ok":
            msg = f"输入、参数与代码均未变化，跳过：{target}"
            print(msg, file=out)
            return RunResult(exit_code=0, target=target, skipped=True, message=msg)

    # Every chapter runs in the kernel "planeval": say once, in Chinese, if it cannot start.
    if (problem := preflight.kernel_problem()) is not None:
        raise _stop(problem, err, exit_code=EXIT_ENV)

    # Kernels start (and import what chapters need) while the pack is validated.
    jobs = max(1, jobs or os.cpu_count() or 1)
    own = (
        pool is None
        or pool.cwd.resolve() != Path(plan.notebooks_dir).resolve()
        or pool.figure_files != ("figures" in plan.companions)
    )
    pool = (
        WarmKernels(
            min(jobs, len(plan.chapters)),
            plan.notebooks_dir,
            figure_files="figures" in plan.companions,
        )
        if own
        else pool
    )
    with pool if own else contextlib.nullcontext(pool) as kernels:
        progress(f"检查数据包 {plan.data_dir}")
        validate_pack(plan.data_dir, err, plan.params.period_obj)
        stages["validate"] = round(time.monotonic() - t, 2)
        try:
            staging.clean_stale_staging(target)
            staging.prepare(plan.staging)
        except OSError as e:
            raise _stop(os_error_message(e, "无法创建报告输出目录"), err) from None
        os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # quiet kernels

        t = time.monotonic()
        ordered = execute_stages(plan, kernels, jobs, progress, stages)
        stages["execute"] = round(time.monotonic() - t, 2)

        # Assemble the report; any crash here leaves the previous report in place.
        try:
            outputs, exported = assemble(plan, ordered, stages, progress)
        except Exception as e:  # noqa: BLE001 - report a clear message, keep the previous report
            msg = (
                f"报告组装失败（{one_line(f'{type(e).__name__}: {e}')}）；"
                f"原有报告未改动：{target}；本次中间结果保留在 {plan.staging}"
            )
            print(msg, file=err)
            return RunResult(
                exit_code=1, target=target, chapters=ordered, stages=stages, message=msg
            )
        stages["total"] = round(time.monotonic() - t0, 2)
        progress.stage(f"报告已生成（共 {stages['total']:.1f} 秒）")
        return _finish(plan, ordered, outputs, stages, inputs, fp, jobs, out, err, exported)


def _finish(
    plan: Plan,
    ordered: list[ChapterResult],
    outputs: dict[str, Path],
    stages: dict[str, float],
    inputs: dict[str, str],
    fp: str,
    jobs: int,
    out,
    err,
    exported: dict[str, Any] | None = None,
) -> RunResult:
    """Write the manifest, keep a complete previous report aside if needed, swap in, print."""
    target = plan.target
    mf = manifest.build_manifest(
        params=plan.params,
        params_file=plan.params_file,
        data_dir=plan.data_dir,
        inputs=inputs,
        fp=fp,
        jobs=jobs,
        results=ordered,
        stages=stages,
        outputs=outputs,
    )
    if exported is not None:
        mf["exports"] = exported
    manifest.write_manifest(plan.staging, mf)
    failed = [r for r in ordered if not r.ok]
    # A partial report replaces the previous one, but a previous complete one is kept aside.
    prev = manifest.read_manifest(target)
    if failed and prev and prev.get("status") == "ok":
        keep = staging.keep_last_good(target)
        print(f"上一次完整的报告已另存为：{keep}", file=err)
    staging.swap_in(plan.staging, target)
    final = {k: target / v.name for k, v in outputs.items()}
    try:  # the list of every report under the output root
        exports.write_index(target.parent.parent)
    except OSError as e:
        print(os_error_message(e, "报告目录 index.html 未能更新"), file=err)
    for r in failed:
        print(
            f"章节 {r.file}（{r.title}）生成失败：{r.error}；"
            f"已执行的 notebook：{target / 'notebooks' / r.file}",
            file=err,
        )
    for k in FORMATS:
        if k in final:
            print(final[k], file=out)
    return RunResult(
        exit_code=0 if not failed else 1,
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
        companions=companions_arg(args),
    )
    return res.exit_code
