"""``planeval batch``: every county of a list, one report each, on Dask distributed.

One county is one task (:func:`build_county`, a plain function): it runs ``planeval run`` for
that county with its chapters one after another (``jobs=1``), so a worker with one thread holds
one county at a time and the cluster's width is the number of counties built at once. Each
county keeps what a single run has: the atomic build (staging folder, swap at the end),
``--if-changed`` and its ``manifest.json``. A failing county — bad pack, failed chapter, even a
worker process that dies — is recorded and the others go on.

By default the cluster is a :class:`distributed.LocalCluster` on 127.0.0.1: one worker process
per core, one thread each. ``scheduler="tcp://host:8786"`` uses an existing cluster instead
(``dask scheduler`` + ``dask worker``, or one from dask-jobqueue / dask-kubernetes); its workers
must see the same paths (packs, output root) and have planeval installed.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import logging
import os
import resource
import socket
import sys
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planeval.batch.counties import CountyList, load_counties
from planeval.paths import NOTEBOOKS_DIR
from planeval.report.companions import ALL as ALL_COMPANIONS
from planeval.report.companions import from_args as companions_arg
from planeval.report.companions import parse_companions, skipped_text
from planeval.report.kernels import WarmKernels
from planeval.report.params import ParamsError
from planeval.workspace import display_width

FORMATS = ("html", "pdf", "docx")
# The worker settings a LocalCluster gets; start the workers of a ``--scheduler`` cluster with
# the same (``DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False dask worker …``).
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
STATUS_ZH = {"ok": "完成", "skipped": "未变化，跳过", "failed": "失败"}


@dataclass(frozen=True)
class CountyTask:
    """What a worker needs to build one county (plain data: it travels to the worker)."""

    county: str
    params_file: str
    notebooks_dir: str
    formats: tuple[str, ...] | None = None
    if_changed: bool = False
    # what is written beside each report (planeval.report.companions; () the report alone)
    companions: tuple[str, ...] = tuple(sorted(ALL_COMPANIONS))


@dataclass
class CountyOutcome:
    """What happened to one county."""

    county: str
    status: str  # ok | skipped | failed
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the task's process and its children (kernels, pandoc)
    report: str | None = None  # report.html, when one was written
    target: str | None = None  # the report folder
    message: str = ""
    worker: str = ""
    # False: the run failed before its build replaced the county's folder, so ``report`` is an
    # earlier run's (kept, never destroyed) and not this period's figures
    current: bool = True

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")


@dataclass
class BatchResult:
    """The outcome of :func:`batch`."""

    exit_code: int
    outcomes: list[CountyOutcome] = field(default_factory=list)
    seconds: float = 0.0
    compare: dict[str, Path] = field(default_factory=dict)  # the 县区对比 html and xlsx
    message: str = ""


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _headline(message: str) -> str:
    """A message's first line for one table cell; a line that only announces a list
    (``数据包有 1 个错误，请修正后重试：``) with the list's first item.

    >>> _headline("数据包有 1 个错误，请修正后重试：\\n    1. /p：没有找到任何台账文件\\n    2. …")
    '数据包有 1 个错误，请修正后重试：1. /p：没有找到任何台账文件'
    """
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    if not lines:
        return ""
    return lines[0] + lines[1] if lines[0].endswith("：") and len(lines) > 1 else lines[0]


def _first_lines(text: str, n: int = 6) -> str:
    lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    return "\n".join(lines[:n] + (["…"] if len(lines) > n else []))


# This worker process's warm kernels, by chapters folder and whether charts carry their files:
# started by the first county, reused by every later one (reset between chapters as within a
# run), closed at the end of the batch.
_WORKER_KERNELS: dict[tuple[str, bool], WarmKernels] = {}


def worker_kernels(notebooks_dir: str, figure_files: bool = True) -> WarmKernels:
    """The warm kernel of this worker process for ``notebooks_dir`` (one: one thread);
    ``figure_files`` off for counties built without their figures/."""
    key = (notebooks_dir, bool(figure_files))
    pool = _WORKER_KERNELS.get(key)
    if pool is None:
        pool = _WORKER_KERNELS[key] = WarmKernels(1, Path(notebooks_dir), figure_files=figure_files)
        atexit.register(pool.close)
    return pool


def close_worker_kernels() -> int:
    """Stop this process's warm kernels and its warm Word children (run on every worker at
    the end of a batch: a ``--scheduler`` cluster's workers live on after it)."""
    from planeval.report.docx import close_converters

    n = len(_WORKER_KERNELS)
    for pool in _WORKER_KERNELS.values():
        pool.close()
    _WORKER_KERNELS.clear()
    close_converters()
    return n


def build_county(task: CountyTask) -> CountyOutcome:
    """Build one county's report with ``planeval run`` (chapters sequential); never raises.

    Parameters
    ----------
    task : the county's parameter file, chapters folder, formats and ``if_changed``.

    Returns
    -------
    CountyOutcome
        ``status`` ``ok``, ``skipped`` (``if_changed`` and nothing changed) or ``failed`` with
        the run's Chinese messages in ``message``.
    """
    from planeval.report.execute import Progress
    from planeval.report.runner import run

    t0, c0 = time.monotonic(), _cpu()
    out, err = io.StringIO(), io.StringIO()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        chosen = parse_companions(task.companions)
        res = run(
            task.params_file,
            notebooks_dir=Path(task.notebooks_dir),
            jobs=1,
            if_changed=task.if_changed,
            formats=list(task.formats) if task.formats else None,
            companions=chosen,
            progress=Progress(enabled=False),
            out=out,
            err=err,
            kernels=worker_kernels(task.notebooks_dir, "figures" in chosen),
        )
    except Exception as e:  # noqa: BLE001 - a bug in one county must not end the batch
        said = e.report() if isinstance(e, ParamsError) else f"{type(e).__name__}: {e}"
        return CountyOutcome(
            task.county,
            "failed",
            round(time.monotonic() - t0, 2),
            round(_cpu() - c0, 2),
            message=f"生成报告时出错：{said}",
            worker=worker,
            current=False,
        )
    status = "skipped" if res.skipped else ("ok" if res.exit_code == 0 else "failed")
    html = res.outputs.get("html") or (res.target / "report.html" if res.target else None)
    return CountyOutcome(
        task.county,
        status,
        round(time.monotonic() - t0, 2),
        round(_cpu() - c0, 2),
        report=str(html) if html is not None and Path(html).is_file() else None,
        target=str(res.target) if res.target else None,
        message=_first_lines(err.getvalue()) if status == "failed" else "",
        worker=worker,
        current=status != "failed" or bool(res.outputs),
    )


# --------------------------------------------------------------------------- the cluster
@contextlib.contextmanager
def _client(scheduler: str | None, workers: int | None):
    """A dask Client: on ``scheduler``, or on a LocalCluster (one process per core, 1 thread)."""
    import dask
    from distributed import Client

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if scheduler:
        client = Client(scheduler, timeout="20s")
        try:
            yield client
        finally:
            client.close()
        return
    n = max(1, workers or os.cpu_count() or 1)
    # Each worker's Nanny copies dask.config at creation; the statistical profiler it would
    # otherwise run samples the task thread every 10 ms — about a tenth of a county's CPU.
    with dask.config.set(WORKER_CONFIG):
        cluster = _local_cluster(n)
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def _local_cluster(n: int):
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
        # The kernels a county starts are the worker's children, outside its memory accounting:
        # a limit would only pause or kill workers for memory they do not hold.
        memory_limit=0,
    )


class _Ticker:
    """A progress bar over counties on a terminal; otherwise one log line per county."""

    def __init__(self, total: int, stream, bar: bool | None):
        self.stream = stream
        self.t0 = time.monotonic()
        self.bar = None
        if bar if bar is not None else stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=stream, unit="县", desc="县区报告", leave=True)

    def __call__(self, o: CountyOutcome) -> None:
        line = f"{o.county} {STATUS_ZH[o.status]}（{o.seconds:.1f} 秒）"
        if o.status == "failed":
            line += f"：{o.message.splitlines()[0] if o.message else ''}"
        if self.bar is not None:
            self.bar.set_postfix_str(f"{o.county} {STATUS_ZH[o.status]}", refresh=False)
            self.bar.update(1)
            if o.status == "failed":
                self.bar.write(line, file=self.stream)
        else:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            print(f"{stamp} [{time.monotonic() - self.t0:7.1f}s] {line}", file=self.stream)
            self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary_table(outcomes: list[CountyOutcome]) -> str:
    """The end-of-batch table: county, status, seconds, report path (a failed county: its
    first error, after this run's partial report if it has one); columns aligned in terminal
    columns (a CJK character takes two)."""

    def pad(text: str, width: int) -> str:
        return text + " " * (width - display_width(text))

    statuses = [STATUS_ZH[o.status] for o in outcomes]
    w = max(display_width(t) for t in ["县区", *(o.county for o in outcomes)])
    ws = max(display_width(t) for t in ["状态", *statuses])
    lines = [f"{pad('县区', w)}  {pad('状态', ws)}  {' ' * (7 - display_width('秒数'))}秒数  报告"]
    for o, status in zip(outcomes, statuses, strict=True):
        said = _headline(o.message)
        # a failed county: why, and its report when this run's (partial) one replaced the
        # folder; an earlier run's report left in place is not named
        if o.status != "failed":
            where = o.report or said
        elif o.current and o.report:
            where = f"{o.report}（{said}）" if said else o.report
        else:
            where = said
        lines.append(f"{pad(o.county, w)}  {pad(status, ws)}  {o.seconds:7.1f}  {where}")
    n_bad = sum(not o.ok for o in outcomes)
    lines.append(f"共 {len(outcomes)} 个县区：成功 {len(outcomes) - n_bad}，失败 {n_bad}")
    return "\n".join(lines)


def write_params_files(counties: CountyList) -> dict[str, Path]:
    """Each county's parameter file under ``<out>/.batch/<period slug>/<county>.yaml``.

    They are what each county's run (and its manifest) records, and what re-runs one county
    by hand: ``planeval run --params <that file>``.
    """
    files = {}
    for p in counties.params:
        d = p.out_path / ".batch" / p.period_obj.slug
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"{p.county}.yaml"
        text = yaml.safe_dump(p.model_dump(exclude_none=True), allow_unicode=True, sort_keys=False)
        tmp = f.with_name(f".{f.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(f)
        files[p.county] = f
    return files


def batch(
    counties_file: str | Path,
    *,
    period: str | None = None,
    out: str | Path | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    if_changed: bool = False,
    formats: list[str] | None = None,
    companions: bool | str | Iterable[str] = True,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    compare: bool = True,
    progress_bar: bool | None = None,
    stdout=None,
    stderr=None,
) -> BatchResult:
    """Build every county's report of a county list on Dask distributed.

    Parameters
    ----------
    counties_file : the county list (YAML or CSV, see :mod:`planeval.batch.counties`).
    period : the one 评估期 of every report (wins over the list's ``period:``).
    out : output root (default the list's ``out:``, else ``reports``).
    scheduler : address of an existing Dask scheduler (``tcp://10.0.0.5:8786``); None starts
        a LocalCluster on 127.0.0.1.
    workers : LocalCluster worker processes (default: number of cores).
    if_changed : skip a county whose inputs, parameters and code match its manifest.
    formats : subset of ``html``, ``pdf``, ``docx`` (HTML is always written).
    companions : which of each county's 附表.xlsx, figures/, chapter pages, 本次变化 and
        数据核查清单 to write (:func:`~planeval.report.companions.parse_companions`: True,
        the default, all; ``"xlsx,checklist"`` those; False, ``--no-companions``, none: each
        report alone. On 2026-12-03, 4 counties on 1 worker, a county cost 17.9-18.5 CPU-s
        with all, 14.8-15.6 with ``xlsx,checklist``, 12.4-13.6 with none. The 县区对比 reads
        the counties' metrics, so it is written either way).
    notebooks_dir : the chapter notebooks (tests point it at fixtures).
    compare : also write the 县区对比 report (``<out>/县区对比-<slug>.html`` and ``.xlsx``).
    progress_bar : a bar over counties (default: when ``stderr`` is a terminal); else one
        line per county.

    Returns
    -------
    BatchResult
        ``exit_code`` 0 when every county succeeded (or was skipped), 1 when any failed, 2 for
        a bad list or an unreachable scheduler. Messages in Chinese on ``stderr``; the summary
        table on ``stdout``.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    t0 = time.monotonic()
    try:
        bad = [f for f in formats or () if f not in FORMATS]
        if bad:
            raise ParamsError(
                [f"--formats 中的格式不支持：{'、'.join(bad)}（可用：html、pdf、docx）"]
            )
        chosen = tuple(sorted(parse_companions(companions)))
        counties = load_counties(
            counties_file, period=period, out=str(out) if out is not None else None
        )
        files = write_params_files(counties)
    except ParamsError as e:
        print(e.report().replace("报告未生成", "批量任务未开始"), file=stderr)
        return BatchResult(exit_code=2, message=e.report())
    except OSError as e:
        msg = f"无法写入县区参数文件：{e.filename}（{e.strerror}）"
        print(msg, file=stderr)
        return BatchResult(exit_code=2, message=msg)

    tasks = [
        CountyTask(
            county=c,
            params_file=str(files[c]),
            notebooks_dir=str(Path(notebooks_dir).resolve()),
            formats=tuple(formats) if formats else None,
            if_changed=if_changed,
            companions=chosen,
        )
        for c in counties.counties
    ]
    outcomes: dict[str, CountyOutcome] = {}
    comparing: Future | None = None
    side = ThreadPoolExecutor(max_workers=1)  # the comparison, beside the cluster's closing
    try:
        with _client(scheduler, workers) as client:
            from distributed import as_completed

            run_id = uuid.uuid4().hex[:8]
            futures = {
                client.submit(build_county, t, key=f"planeval-{run_id}-{i}", pure=False): t
                for i, t in enumerate(tasks)
            }
            ticker = _Ticker(len(tasks), stderr, progress_bar)
            finished = False
            try:
                for fut in as_completed(futures):
                    t = futures[fut]
                    try:
                        o = fut.result()
                    except Exception as e:  # noqa: BLE001 - the worker died, not the county code
                        o = CountyOutcome(
                            t.county,
                            "failed",
                            message=f"工作进程异常退出：{type(e).__name__}: {e}",
                            current=False,
                        )
                    outcomes[t.county] = o
                    ticker(o)
                finished = True
            finally:
                ticker.close()
                if compare and finished:
                    # the comparison reads the county reports on disk: made while the workers
                    # stop their kernels and the cluster closes, not after
                    ordered = [outcomes[c] for c in counties.counties]
                    with_pdf = formats is None or "pdf" in formats
                    comparing = side.submit(_compare, counties, ordered, stderr, with_pdf)
                with contextlib.suppress(Exception):
                    client.run(close_worker_kernels)
    except (OSError, TimeoutError) as e:
        where = f"Dask 调度器 {scheduler}" if scheduler else "本机 Dask 集群 (LocalCluster)"
        msg = f"无法连接{where}：{type(e).__name__}: {e}"
        print(msg, file=stderr)
        return BatchResult(exit_code=2, message=msg)
    finally:
        side.shutdown(wait=True)  # a comparison under way ends here, whatever happened

    ordered = [outcomes[c] for c in counties.counties]
    result = BatchResult(
        exit_code=0 if all(o.ok for o in ordered) else 1,
        outcomes=ordered,
        seconds=round(time.monotonic() - t0, 2),
    )
    slug = counties.params[0].period_obj.slug
    root = counties.params[0].out_path
    summary = {
        "counties_file": str(counties.source),
        "period": counties.period,
        "scheduler": scheduler or "LocalCluster",
        "companions": list(chosen),
        "seconds": result.seconds,
        "counties": [asdict(o) for o in ordered],
    }
    with contextlib.suppress(OSError):
        (root / ".batch" / slug / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    if comparing is not None:
        result.compare = comparing.result()  # never raises: _compare reports its own failure
    print(summary_table(ordered), file=stdout)
    if (left := skipped_text(frozenset(chosen))) is not None:
        print(f"各县{left}", file=stdout)  # what a reader of the folders will not find
    for k in ("html", "xlsx", "pdf"):
        if k in result.compare:
            print(f"县区对比：{result.compare[k]}", file=stdout)
    for o in ordered:
        if o.status == "failed" and o.message:
            print(f"{o.county} 失败：\n{_indent(o.message)}", file=stderr)
    return result


def _indent(text: str) -> str:
    return "\n".join("  " + ln for ln in text.splitlines())


def _compare(
    counties: CountyList, outcomes: list[CountyOutcome], stderr, with_pdf: bool = True
) -> dict[str, Path]:
    """The 县区对比 (HTML, xlsx, and the PDF when the batch makes PDFs), then the reports'
    index again, which now links it. Reports its own failures: never raises."""
    from planeval.batch import compare

    try:
        written = compare.write_comparison(counties, outcomes)
    except Exception as e:  # noqa: BLE001 - the county reports stand without the comparison
        print(f"县区对比报告生成失败：{type(e).__name__}: {e}", file=stderr)
        return {}
    if with_pdf:
        pdf = written["html"].with_suffix(".pdf")
        try:
            written["pdf"] = compare.write_pdf(written["html"], pdf)
        except Exception as e:  # noqa: BLE001 - the HTML and xlsx stand without it
            print(f"县区对比 PDF 未能生成：{type(e).__name__}: {e}", file=stderr)
    from planeval.report.exports import write_index

    try:  # the reports' list links the comparison too (the county runs wrote it before)
        write_index(written["html"].parent)
    except OSError as e:
        print(f"报告目录 index.html 未能更新：{e}", file=stderr)
    return written


def main(args: Any) -> int:
    """Entry point for ``planeval batch`` (arguments parsed in :mod:`planeval.cli`)."""
    formats = [f.strip() for f in args.formats.split(",") if f.strip()] if args.formats else None
    res = batch(
        args.counties,
        period=args.period,
        out=args.out,
        scheduler=args.scheduler,
        workers=args.workers,
        if_changed=args.if_changed,
        formats=formats,
        companions=companions_arg(args),
        compare=not args.no_compare,
    )
    return res.exit_code
