"""``make bench``: how fast the report builds, where the time goes, how the data path scales.

Part 1 — the report build on ``params/midterm-2023H1.yaml`` (demo county), three ways:

(a) ``planeval run`` as shipped (a subprocess; stage timings from its ``manifest.json``);
(b) the naive way the tools' docs show: the ``papermill`` CLI once per chapter, sequentially
    (stage-1 chapters, then stage-2), the executed notebooks concatenated with nbformat,
    ``jupyter nbconvert --to html --no-input`` on the merged notebook (the stock lab template: the
    project's template needs resources the CLI cannot pass), then the project's own
    ``planeval.report.pdf.write_pdf`` / ``planeval.report.docx.write_docx`` on that HTML, each
    step its own process as a shell script would run it;
(c) the lower bound: every chapter's code cells executed in one Python process (see
    ``bench/inproc.py``): the same lib calls, the same figures rendered to PNG in memory, the
    validated pack loaded once; no kernels, notebooks or documents.

One untimed warm-up of (a) first fills the pack and font caches, so every timed run is warm.

Part 2 — the data path at scale, on a synthetic province (``bench/scale_pack.py``; 100 counties
≈ 2 000 000 隐患, 300 000 执法检查, 5 000 事故 rows), each measurement in a fresh process (peak
RSS = that process's ``VmHWM``):

- from Parquet: ``load_pack(use_cache=False)`` (read, normalise, pandera validation, cross-ledger
  checks) and then every chapter's statistics, tables, narratives and charts (the chapters' code
  cells in-process, on the already validated pack), at each size;
- from ``.xlsx`` (python-calamine): ``load_pack`` at the sizes an Excel sheet can hold;
- reading sheet 隐患 with openpyxl (read-only) vs python-calamine.

Medians of ``--repeat`` runs (default 3; ``--repeat-full`` for the largest size, default 1 to
keep ``make bench`` under 15 minutes on 2 cores). ``--quick`` is a smoke run on tiny sizes
(one chapter, HTML only, one repetition) for ``tests/smoke/test_bench_quick.py``.
Results: a table on stdout and ``bench/results/bench-<time>.json`` (+ ``latest.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import scale_pack  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
WORK = BENCH / ".data" / "work"  # scratch (reports, executed notebooks); --work overrides
MEASURE = BENCH / "_measure.py"


# --------------------------------------------------------------------------- helpers
def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def sh(cmd: list[str], *, cwd: Path = ROOT, env: dict | None = None) -> float:
    """Run ``cmd``; its wall time in seconds (raises with its output on failure)."""
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(
            f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}"
        )
    return took


def measure(task: str, args: dict[str, Any]) -> dict[str, Any]:
    """One ``_measure.py`` run in a fresh process; its result plus ``wall_s``."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, str(MEASURE), task, json.dumps(args, ensure_ascii=False)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t
    line = next((ln for ln in r.stdout.splitlines() if ln.startswith("BENCH-RESULT ")), None)
    if r.returncode != 0 or line is None:
        raise RuntimeError(f"measure {task} failed ({r.returncode}):\n{r.stderr[-4000:]}")
    out = json.loads(line.removeprefix("BENCH-RESULT "))
    out["wall_s"] = wall
    return out


def med(xs: list[float]) -> float:
    return float(statistics.median(xs))


def median_dict(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Element-wise median of numeric leaves (nested dicts too); other values from run 0."""
    out: dict[str, Any] = {}
    for k, v in runs[0].items():
        if isinstance(v, bool):
            out[k] = v
        elif isinstance(v, int):
            out[k] = int(med([r[k] for r in runs]))
        elif isinstance(v, float):
            out[k] = med([r[k] for r in runs])
        elif isinstance(v, dict):
            out[k] = median_dict([r[k] for r in runs])
        else:
            out[k] = v
    return out


def repeat(n: int, fn, label: str) -> dict[str, Any]:
    runs = []
    for i in range(n):
        log(f"{label} ({i + 1}/{n})")
        runs.append(fn())
    m = median_dict(runs)
    m["runs"] = n
    m["all_wall_s"] = [r.get("wall_s") for r in runs]
    return m


# --------------------------------------------------------------------------- part 1
def chapter_setup(params_file: Path, chapters: list[str] | None, metrics_dir: Path) -> dict:
    """What the runner would inject into each chapter (its own params code), in run order."""
    import inproc
    import papermill

    from planeval.report.params import check_chapter_params, load_params, notebook_values

    params = load_params(params_file)
    chs = inproc.chapter_list(ROOT / "notebooks")
    if chapters:
        chs = [c for c in chs if c["id"] in chapters]
    values = notebook_values(params, data_dir=params.data_path, metrics_dir=metrics_dir)
    declared = {Path(c["path"]).name: papermill.inspect_notebook(c["path"]) for c in chs}
    inject = check_chapter_params(declared, values)
    return {"params": params, "chapters": chs, "inject": inject}


def run_shipped(params_file: Path, out: Path, chapters: list[str] | None, formats: str | None):
    cmd = [str(BIN / "planeval"), "run", "--params", str(params_file), "--out", str(out)]
    if chapters:
        cmd += ["--chapters", ",".join(chapters)]
    if formats:
        cmd += ["--formats", formats]
    wall = sh(cmd)
    mf = json.loads(next(out.glob("*/*/manifest.json")).read_text(encoding="utf-8"))
    st = mf["stages_seconds"]
    return {
        "wall_s": wall,
        "stages": {
            "validate": st.get("params", 0) + st.get("validate", 0),
            "execute": st.get("execute", 0),
            "stitch": st.get("html", 0),
            "pdf": st.get("pdf", 0),
            "docx": st.get("docx", 0),
        },
        "chapters_s": {c["id"]: c["seconds"] for c in mf["chapters"]},
        "jobs": mf.get("jobs"),
        "status": mf.get("status"),
    }


def run_naive(setup: dict, work: Path, formats: str | None) -> dict[str, Any]:
    import nbformat
    import yaml

    shutil.rmtree(work, ignore_errors=True)
    (work / "nb").mkdir(parents=True)
    inject = {**setup["inject"]}
    stages = {}
    t = time.perf_counter()
    executed = []
    for ch in setup["chapters"]:  # stage 1 then stage 2, file-name order (the runner's order)
        name = Path(ch["path"]).name
        p = dict(inject[name])
        p["metrics_dir"] = str(work / "metrics") if "metrics_dir" in p else None
        p = {k: v for k, v in p.items() if v is not None}
        dst = work / "nb" / name
        sh(
            [
                str(BIN / "papermill"),
                ch["path"],
                str(dst),
                "-k",
                "planeval",
                "--cwd",
                str(ROOT / "notebooks"),
                "-y",
                yaml.safe_dump(p, allow_unicode=True),
                "--no-progress-bar",
            ]
        )
        executed.append(dst)
    stages["execute"] = time.perf_counter() - t
    t = time.perf_counter()
    merged = nbformat.v4.new_notebook()
    for p in sorted(executed):  # report order = file-name order
        nb = nbformat.read(p, as_version=4)
        merged.metadata.setdefault("kernelspec", nb.metadata.get("kernelspec", {}))
        merged.cells += nb.cells
    for i, c in enumerate(merged.cells):
        c["id"] = f"c{i}"
    nbformat.write(merged, work / "report.ipynb")
    sh(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            str(work / "report.ipynb"),
            "--output-dir",
            str(work),
        ]
    )
    stages["stitch"] = time.perf_counter() - t
    html = work / "report.html"
    fmts = (formats or "html,pdf,docx").split(",")
    if "pdf" in fmts:
        stages["pdf"] = sh(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from planeval.report import pdf; "
                "pdf.write_pdf(Path(sys.argv[1]), Path(sys.argv[2]))",
                str(html),
                str(work / "report.pdf"),
            ]
        )
    if "docx" in fmts:
        stages["docx"] = sh(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from planeval.report import docx; "
                "docx.write_docx(Path(sys.argv[1]), Path(sys.argv[2]))",
                str(html),
                str(work / "report.docx"),
            ]
        )
    return {"wall_s": sum(stages.values()), "stages": stages}


def run_lower(setup: dict, work: Path) -> dict[str, Any]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    values: dict[str, Any] = {}
    declared: dict[str, list[str]] = {}
    for ch in setup["chapters"]:
        vals = dict(setup["inject"][Path(ch["path"]).name])
        if "metrics_dir" in vals:
            vals["metrics_dir"] = str(work / "metrics")
        values.update(vals)
        declared[ch["path"]] = list(vals)
    return measure("lower", {"chapters": setup["chapters"], "values": values, "declared": declared})


def part_report(a: argparse.Namespace) -> dict[str, Any]:
    params_file = (ROOT / a.params).resolve()
    chapters = a.chapters.split(",") if a.chapters else None
    setup = chapter_setup(params_file, chapters, WORK / "metrics")
    out = WORK / "reports"
    shutil.rmtree(out, ignore_errors=True)
    if not a.quick:
        log("(a) warm-up run (fills the pack and font caches; not timed)")
        run_shipped(params_file, out, chapters, a.formats)
    res: dict[str, Any] = {
        "chapters": [c["id"] for c in setup["chapters"]],
        "formats": a.formats or "html,pdf,docx",
    }
    res["a_shipped"] = repeat(
        a.repeat, lambda: run_shipped(params_file, out, chapters, a.formats), "(a) planeval run"
    )
    res["b_naive"] = repeat(
        a.repeat,
        lambda: run_naive(setup, WORK / "naive", a.formats),
        "(b) naive papermill CLI + nbconvert CLI",
    )
    res["c_lower"] = repeat(
        a.repeat, lambda: run_lower(setup, WORK / "lower"), "(c) in-process lower bound"
    )
    wa, wb, wc = (res[k]["wall_s"] for k in ("a_shipped", "b_naive", "c_lower"))
    res["a_over_c"] = wa / wc
    res["b_over_a"] = wb / wa
    st = res["a_shipped"]["stages"]
    res["a_share"] = {k: v / wa for k, v in st.items()}
    res["a_share"]["other (process start, manifest, swap)"] = max(0.0, 1 - sum(st.values()) / wa)
    return res


# --------------------------------------------------------------------------- part 2
def part_data(a: argparse.Namespace) -> dict[str, Any]:
    sizes = [int(s) for s in a.sizes.split(",")]
    full = max(sizes)
    xlsx_sizes = [int(s) for s in a.xlsx_sizes.split(",")] if a.xlsx_sizes else []
    res: dict[str, Any] = {"sizes_counties": sizes, "rows": {}, "parquet": {}, "xlsx": {}}
    values = {"period": "midterm", "county": "示例省"}
    chapters = a.chapters.split(",") if a.chapters else None
    for n in sizes:
        d = scale_pack.ensure_pack(n, "parquet", log=log)
        reps = a.repeat_full if n == full and len(sizes) > 1 else a.repeat
        r = repeat(
            reps,
            lambda d=d: measure(
                "stats",
                {
                    "dir": str(d),
                    "notebooks": str(ROOT / "notebooks"),
                    "values": values,
                    "chapters": chapters,
                },
            ),
            f"parquet pack, {n} counties: load_pack + chapter statistics",
        )
        res["parquet"][n] = r
        res["rows"][n] = r["rows"]
    for n in xlsx_sizes:
        try:
            d = scale_pack.ensure_pack(n, "xlsx", log=log)
        except scale_pack.ExcelTooLarge as e:
            res["xlsx"][n] = {"skipped": str(e)}
            continue
        reps = a.repeat_full if n == full and len(sizes) > 1 else a.repeat
        res["xlsx"][n] = repeat(
            reps,
            lambda d=d: measure("load", {"dir": str(d)}),
            f"xlsx pack, {n} counties: load_pack",
        )
    # a province-sized 隐患 ledger does not fit in one Excel sheet: say so in the table
    if (
        full not in res["xlsx"]
        and scale_pack.PER_COUNTY["hazards"] * full + 1 > scale_pack.EXCEL_MAX_ROWS
    ):
        res["xlsx"][full] = {
            "skipped": f"隐患 {scale_pack.PER_COUNTY['hazards'] * full:,} rows > "
            f"{scale_pack.EXCEL_MAX_ROWS - 1:,} data rows an Excel sheet holds"
        }
    if a.openpyxl_counties:
        n = a.openpyxl_counties
        f = next(scale_pack.ensure_pack(n, "xlsx", log=log).glob("*.xlsx"))
        arg = {"file": str(f), "sheet": "隐患"}
        cal = repeat(
            a.repeat, lambda: measure("calamine", arg), f"calamine, sheet 隐患, {n} counties"
        )
        opx = repeat(
            a.repeat_openpyxl,
            lambda: measure("openpyxl", arg),
            f"openpyxl read-only, sheet 隐患, {n} counties",
        )
        res["excel_read"] = {
            "counties": n,
            "rows": cal["rows"],
            "calamine": cal,
            "openpyxl": opx,
            "speedup": opx["read_s"] / cal["read_s"],
        }
    small = min(sizes)
    if small != full:
        ps, pf = res["parquet"][small], res["parquet"][full]
        res["growth"] = {
            "from": small,
            "to": full,
            "rows_ratio": full / small,
            "validate_time": pf["load_s"] / ps["load_s"],
            "stats_time": pf["stats_s"] / ps["stats_s"],
            "total_time": pf["total_s"] / ps["total_s"],
            "peak_rss": pf["maxrss_mb"] / ps["maxrss_mb"],
        }
    return res


# --------------------------------------------------------------------------- report
def targets(res: dict[str, Any], quick: bool) -> list[dict[str, Any]]:
    out = []

    def add(name: str, value: float | None, ok: bool | None, shown: str) -> None:
        out.append({"target": name, "value": value, "met": ok, "shown": shown})

    rep = res.get("report")
    if rep:
        add(
            "(a) ≤ 2 × (c)",
            rep["a_over_c"],
            rep["a_over_c"] <= 2,
            f"(a)/(c) = {rep['a_over_c']:.2f}",
        )
        add(
            "(b)/(a) ≥ 2", rep["b_over_a"], rep["b_over_a"] >= 2, f"(b)/(a) = {rep['b_over_a']:.2f}"
        )
    data = res.get("data")
    if data:
        full = max(data["sizes_counties"])
        pf = data["parquet"][full]
        add(
            f"validate + all chapter statistics ≤ 60 s from Parquet ({full} counties)",
            pf["total_s"],
            pf["total_s"] <= 60,
            f"{pf['total_s']:.1f} s",
        )
        add(
            f"peak memory ≤ 4 GB ({full} counties)",
            pf["maxrss_mb"],
            pf["maxrss_mb"] <= 4096,
            f"{pf['maxrss_mb']:.0f} MB",
        )
        ex = data.get("excel_read")
        if ex:
            add(
                "python-calamine ≥ 5 × faster than openpyxl",
                ex["speedup"],
                ex["speedup"] >= 5,
                f"{ex['speedup']:.1f} ×",
            )
        g = data.get("growth")
        if g:
            lim = g["rows_ratio"] * 1.1
            add(
                f"linear growth ({g['from']} → {g['to']} counties, rows × {g['rows_ratio']:.0f})",
                g["total_time"],
                g["total_time"] <= lim and g["peak_rss"] <= lim,
                f"time × {g['total_time']:.1f}, peak RSS × {g['peak_rss']:.1f}",
            )
    if quick:
        for t in out:
            t["shown"] += " (quick run: not the target sizes)"
    return out


def print_table(res: dict[str, Any]) -> None:
    p = print
    rep = res.get("report")
    if rep:
        p(
            "\n## Report build (params/midterm-2023H1.yaml; wall seconds, median of "
            f"{rep['a_shipped']['runs']}; chapters: {len(rep['chapters'])}; formats: {rep['formats']})"
        )
        p(
            f"{'way':<48}{'total':>8}{'validate':>10}{'execute':>9}{'stitch':>8}{'pdf':>7}{'docx':>7}"
        )
        rows = (
            ("(a) planeval run", "a_shipped"),
            ("(b) papermill CLI ×N + nbconvert CLI", "b_naive"),
        )
        for label, k in rows:
            st = rep[k]["stages"]
            cells = [
                f"{st[s]:.1f}" if s in st else "—"
                for s in ("validate", "execute", "stitch", "pdf", "docx")
            ]
            p(
                f"{label:<48}{rep[k]['wall_s']:>8.1f}{cells[0]:>10}{cells[1]:>9}{cells[2]:>8}"
                f"{cells[3]:>7}{cells[4]:>7}"
            )
        c = rep["c_lower"]
        p(
            f"{'(c) lower bound: chapters in one process':<48}{c['wall_s']:>8.1f}"
            f"   (chapter code {c['work_s']:.1f} s, {int(c['figures'])} figures; rest = start + imports)"
        )
        p(f"(a)/(c) = {rep['a_over_c']:.2f}    (b)/(a) = {rep['b_over_a']:.2f}")
        p("(a) share per stage: " + ", ".join(f"{k} {v:.0%}" for k, v in rep["a_share"].items()))
        p(
            "(a) per chapter (s, in parallel, jobs="
            f"{rep['a_shipped'].get('jobs')}): "
            + ", ".join(f"{k} {v:.1f}" for k, v in rep["a_shipped"]["chapters_s"].items())
        )
        p("(c) per chapter (s): " + ", ".join(f"{k} {v:.2f}" for k, v in c["chapters_s"].items()))
    data = res.get("data")
    if data:
        p("\n## Data path at scale (synthetic province; seconds / peak RSS MB of a fresh process)")
        p(
            f"{'pack':<34}{'隐患 rows':>11}{'read':>7}{'normal.':>8}{'pandera':>8}{'load':>7}"
            f"{'stats':>7}{'total':>7}{'RSS MB':>8}{'runs':>5}"
        )
        for fmt in ("parquet", "xlsx"):
            for n, r in sorted(data[fmt].items(), key=lambda kv: int(kv[0])):
                label = f"{fmt}, {n} counties"
                if "skipped" in r:
                    p(f"{label:<34}  not possible: {r['skipped']}")
                    continue
                s = r["load_steps"]
                stats = r.get("stats_s")
                total = r.get("total_s", r["load_s"])
                p(
                    f"{label:<34}{int(r['rows']['hazards']):>11,}{s['read']:>7.1f}{s['normalise']:>8.1f}"
                    f"{s['validate (pandera)']:>8.1f}{r['load_s']:>7.1f}"
                    f"{'' if stats is None else f'{stats:.1f}':>7}{total:>7.1f}{r['maxrss_mb']:>8.0f}{r['runs']:>5}"
                )
        g = data.get("growth")
        if g:
            p(
                f"growth {g['from']} → {g['to']} counties (rows × {g['rows_ratio']:.0f}): validate × "
                f"{g['validate_time']:.1f}, chapter statistics × {g['stats_time']:.1f}, total × "
                f"{g['total_time']:.1f}, peak RSS × {g['peak_rss']:.1f}"
            )
        full = max(data["sizes_counties"])
        p(
            f"chapters at {full} counties (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in data["parquet"][full]["chapters_s"].items())
        )
        ex = data.get("excel_read")
        if ex:
            p(
                f"sheet 隐患 ({int(ex['rows']) - 1:,} rows): python-calamine {ex['calamine']['read_s']:.1f} s "
                f"({ex['calamine']['maxrss_mb']:.0f} MB), openpyxl read-only {ex['openpyxl']['read_s']:.1f} s "
                f"({ex['openpyxl']['maxrss_mb']:.0f} MB): calamine {ex['speedup']:.1f} × faster"
            )
    p("\n## Targets")
    for t in res["targets"]:
        mark = "MET    " if t["met"] else "NOT MET"
        p(f"  [{mark}] {t['target']}: {t['shown']}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: tiny sizes, one chapter, one run"
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--repeat-full", type=int, default=1, help="runs at the largest size")
    ap.add_argument("--repeat-openpyxl", type=int, default=1, help="openpyxl runs (slow)")
    ap.add_argument("--sizes", default="10,100", help="province sizes in counties (Parquet)")
    ap.add_argument("--xlsx-sizes", default="10", help="sizes also measured from .xlsx")
    ap.add_argument(
        "--openpyxl-counties", type=int, default=10, help="size for openpyxl vs calamine (0 = skip)"
    )
    ap.add_argument("--params", default="params/midterm-2023H1.yaml")
    ap.add_argument("--chapters", default="", help="chapter ids to run (default all)")
    ap.add_argument("--formats", default="", help="formats for part 1 (default html,pdf,docx)")
    ap.add_argument("--skip-report", action="store_true", help="skip part 1 (report build)")
    ap.add_argument("--skip-data", action="store_true", help="skip part 2 (data path)")
    ap.add_argument("--results", default=str(RESULTS), help="folder for the JSON results")
    ap.add_argument("--work", default=str(WORK), help="scratch folder (emptied per run)")
    a = ap.parse_args(argv)
    if a.quick:
        a.repeat, a.repeat_full, a.repeat_openpyxl = 1, 1, 1
        a.sizes, a.xlsx_sizes, a.openpyxl_counties = "1,2", "1", 1
        a.chapters = a.chapters or "projects"
        a.formats = a.formats or "html"
    return a


def main(argv: list[str] | None = None) -> int:
    global WORK
    a = parse_args(argv)
    WORK = Path(a.work).resolve()
    t0 = time.perf_counter()
    res: dict[str, Any] = {
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_avg_at_start": os.getloadavg(),
        },
        "args": vars(a),
    }
    if not a.skip_report:
        res["report"] = part_report(a)
    if not a.skip_data:
        res["data"] = part_data(a)
    res["targets"] = targets(res, a.quick)
    res["bench_seconds"] = time.perf_counter() - t0
    print_table(res)
    out = Path(a.results)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = f"bench-{'quick-' if a.quick else ''}{stamp}.json"
    text = json.dumps(res, ensure_ascii=False, indent=2, default=str)
    (out / name).write_text(text, encoding="utf-8")
    (out / ("latest-quick.json" if a.quick else "latest.json")).write_text(text, encoding="utf-8")
    print(f"\nresults: {out / name}   ({res['bench_seconds'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
