"""One measurement in a fresh process (so that its peak RSS is its own).

``python bench/_measure.py TASK JSON-ARGS`` prints one line ``BENCH-RESULT {...}`` with the
step timings (seconds, measured inside the process, imports excluded unless said) and
``maxrss_mb`` (peak resident set size of this process, ``VmHWM``).

Tasks:
  read      {"dir"}                    raw read of every ledger (planeval.data.read.read_tables)
  load      {"dir"}                    load_pack(dir, use_cache=False), split by step
  stats     {"dir", "notebooks", "values", "chapters"?}  load_pack(use_cache=False) + the
                                       chapters (default all) in-process
  openpyxl  {"file", "sheet"}          openpyxl read-only, values of every cell of one sheet
  calamine  {"file", "sheet"}          python-calamine, the same sheet
  lower     {"chapters", "values", "declared"}  (c): all chapters in-process, warm pack cache
  documents {"params", "notebooks", "report", "out"}  the documents of the floor: one HTML export of a built
                                       report's executed chapters (the project's stitch), then
                                       the PDF here with the Word file beside it in its own
                                       process, as the runner makes them; CPU includes children
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _maxrss_mb() -> float:
    """Peak RSS of this process image: ``VmHWM`` of /proc/self/status.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: Linux carries that high-water mark over ``fork`` +
    ``execve``, so a child would report at least its parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _instrument_load() -> dict[str, float]:
    """Wrap the steps load_pack calls with timers (the module attributes it looks up)."""
    from planeval.data import normalise, read, validate

    spent: dict[str, float] = defaultdict(float)

    def timed(mod, name, label):
        real = getattr(mod, name)

        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t

        setattr(mod, name, wrapper)

    timed(read, "read_tables", "read")
    timed(normalise, "normalise", "normalise")
    timed(validate, "validate_frame", "validate (pandera)")
    timed(validate, "finalise", "finalise")
    timed(validate, "derive_grades", "derive_grades")
    timed(validate, "check_annual_totals", "cross-ledger checks")
    return spent


def task_read(a: dict) -> dict:
    from planeval.data import read

    t = time.perf_counter()
    inv = read.survey(a["dir"])
    sources, _ = read.read_tables(inv)
    return {"read_s": time.perf_counter() - t, "rows": {s.ledger.key: s.n_rows for s in sources}}


def _load(a: dict) -> tuple[object, dict]:
    import planeval

    spent = _instrument_load()
    t = time.perf_counter()
    pack = planeval.load_pack(a["dir"], use_cache=False)
    total = time.perf_counter() - t
    steps = dict(spent)
    steps["other"] = total - sum(spent.values())
    return pack, {
        "load_s": total,
        "load_steps": steps,
        "rows": {k: len(v) for k, v in pack.frames.items()},
    }


def task_load(a: dict) -> dict:
    _, out = _load(a)
    return out


def task_stats(a: dict) -> dict:
    import tempfile

    import inproc

    pack, out = _load(a)
    chapters = inproc.chapter_list(Path(a["notebooks"]))
    if a.get("chapters"):
        chapters = [c for c in chapters if c["id"] in a["chapters"]]
    with tempfile.TemporaryDirectory() as metrics:
        values = {**a["values"], "data_dir": a["dir"], "metrics_dir": metrics}
        t = time.perf_counter()
        res = inproc.run_all(chapters, values, preloaded={str(Path(a["dir"]).resolve()): pack})
        out["stats_s"] = time.perf_counter() - t
    out["chapters_s"] = {k: v["seconds"] for k, v in res.items()}
    out["figures"] = sum(v["figures"] for v in res.values())
    out["total_s"] = out["load_s"] + out["stats_s"]
    return out


def task_openpyxl(a: dict) -> dict:
    from openpyxl import load_workbook

    t = time.perf_counter()
    wb = load_workbook(a["file"], read_only=True, data_only=True)
    n = 0
    for _row in wb[a["sheet"]].iter_rows(values_only=True):
        n += 1
    wb.close()
    return {"read_s": time.perf_counter() - t, "rows": n}


def task_calamine(a: dict) -> dict:
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    wb = CalamineWorkbook.from_path(a["file"])
    rows = wb.get_sheet_by_name(a["sheet"]).to_python(skip_empty_area=False)
    return {"read_s": time.perf_counter() - t, "rows": len(rows)}


def task_lower(a: dict) -> dict:
    import inproc

    t = time.perf_counter()
    res = inproc.run_all(a["chapters"], a["values"], a.get("declared"))
    return {
        "chapters_s": {k: v["seconds"] for k, v in res.items()},
        "figures": sum(v["figures"] for v in res.values()),
        "work_s": time.perf_counter() - t,
    }


def _cpu() -> float:
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def task_documents(a: dict) -> dict:
    """The issue's floor beyond the chapters' code: one HTML export + WeasyPrint + pandoc beside.

    The executed chapter notebooks of a finished ``planeval run`` (``report``, its output folder)
    are stitched into ``out``/report.html by :func:`planeval.report.stitch.write_html` (the one
    HTML export); the PDF is then made in this process while the Word file is made beside it
    (:func:`planeval.report.docx.write_docx_process`, following the PDF's layout) — the runner's
    documents without its companions, kernels or manifest.
    """
    from concurrent.futures import Future, ThreadPoolExecutor

    from planeval.report import docx, pdf, stitch
    from planeval.report.chapters import ChapterResult, discover
    from planeval.report.params import load_params

    params = load_params(a["params"])
    out = Path(a["out"])
    out.mkdir(parents=True, exist_ok=True)
    # the built report's executed notebooks, in report order (its source notebooks' ids)
    executed = Path(a["report"]) / "notebooks"
    results = [
        ChapterResult(
            id=ch.id,
            file=ch.name,
            title=ch.title,
            stage=ch.stage,
            status="ok",
            executed=str(executed / ch.name),
        )
        for ch in discover(Path(a["notebooks"]))
        if (executed / ch.name).exists()
    ]
    c0, t0 = _cpu(), time.perf_counter()
    html = stitch.write_html(results, params, out / "report.html", params.data_path)
    c1, t1 = _cpu(), time.perf_counter()
    layout: Future = Future()
    with ThreadPoolExecutor(max_workers=1) as side:
        word = side.submit(docx.write_docx_process, html, out / "report.docx", layout=layout.result)
        layout.set_result(pdf.build_pdf(html, out / "report.pdf"))
        word.result()
    c2, t2 = _cpu(), time.perf_counter()
    return {
        "chapters": len(results),
        "html_wall_s": t1 - t0,
        "html_cpu_s": c1 - c0,
        "pdf_docx_wall_s": t2 - t1,
        "pdf_docx_cpu_s": c2 - c1,
        "wall_s": t2 - t0,
        "cpu_s": c2 - c0,
    }


TASKS = {
    "read": task_read,
    "load": task_load,
    "stats": task_stats,
    "openpyxl": task_openpyxl,
    "calamine": task_calamine,
    "lower": task_lower,
    "documents": task_documents,
}


def main() -> int:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    os.environ.setdefault("MPLBACKEND", "Agg")
    out = TASKS[task](args)
    out["process_s"] = time.perf_counter() - T_START
    out["maxrss_mb"] = _maxrss_mb()
    print("BENCH-RESULT " + json.dumps(out, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
