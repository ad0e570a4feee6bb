"""Bench of ``planeval batch``: N copies of the demo county, sequential ``planeval run`` vs one
``planeval batch`` on a LocalCluster, wall and CPU per county; then one county's (a)/(c).

- The N packs are copies of ``data/demo`` under different county names, each made distinct (its
  own line in ``notes/projects.md``) so that every county validates its own pack, as real
  counties do (identical copies would share one validated-pack cache entry).
- **sequential**: ``planeval run`` once per county, one after another (what a shell loop does);
  default ``--jobs`` (chapters in parallel inside each run).
- **batch**: ``planeval batch`` over the same list (LocalCluster, ``--workers`` processes, one
  county per task, chapters sequential inside a task), with the same formats.
- CPU seconds are the children's ``getrusage`` (the commands and everything they waited for:
  kernels, pandoc, dask workers).
- **(a)/(c)**: one county's ``planeval run`` wall and CPU over the in-process lower bound (c)
  of ``bench/run.py`` (``bench/inproc.py``: the chapters' code in one process, no documents).
- **(a)/floor**: the same over the issue's floor, (c) + (d): (d) is one HTML export of the
  warm-up's executed chapters (the project's stitch), then the PDF with the Word file beside it
  in its own process (``bench/_measure.py documents``) — the report without its companions.
- **linear in counties**: a second batch on half the list; the line through the two points
  gives the fixed cost (cluster start, first kernels) and the cost of each further county, and
  from them 100 counties (also printed: the naive N × 100/N).

Each county is built from cold output folders; the font cache is warmed first (one untimed run).
The machine's load average is recorded before and after: on a shared machine timings are only
indicative. ``--quick``: 2 counties, HTML only, no (a)/(c). ``--no-companions``: each report
alone (no 附表, 数据核查清单, chapter pages), in both ways; ``--companions xlsx,checklist``: those
only, in both ways.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
BIN = Path(sys.executable).parent
WORK = BENCH / ".data" / "batch"
RESULTS = BENCH / "results"
NAMES = "甲乙丙丁戊己庚辛壬癸"


def log(msg: str) -> None:
    print(f"[bench-batch {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], *, ok_codes=(0,)) -> tuple[float, float]:
    """(wall, CPU) seconds of ``cmd`` and everything it waited for."""
    c0, t0 = children_cpu(), time.perf_counter()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    if r.returncode not in ok_codes:
        raise RuntimeError(f"failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-3000:]}")
    return wall, cpu


def county_names(n: int) -> list[str]:
    return [NAMES[i % 10] + (str(i // 10) if i >= 10 else "") + "县" for i in range(n)]


def make_packs(n: int, work: Path, way: str) -> Path:
    """N distinct copies of the demo pack for one way of building, and their county list.

    Each way gets its own copies (a different note line), so neither finds the other's packs
    in the validated-pack cache.
    """
    import yaml

    rows = []
    for name in county_names(n):
        pack = work / f"packs-{way}" / name
        if not pack.exists():
            shutil.copytree(ROOT / "data" / "demo", pack)
            note = pack / "notes" / "projects.md"
            note.write_text(
                note.read_text(encoding="utf-8") + f"\n\n本副本为基准测试（{way}）用的{name}。\n",
                encoding="utf-8",
            )
        rows.append({"county": name, "pack": str(pack), "organization": f"{name}应急管理局"})
    lst = work / f"县区-{way}.yaml"
    lst.write_text(yaml.safe_dump({"counties": rows}, allow_unicode=True), encoding="utf-8")
    return lst


def documents(work: Path, formats: str) -> dict:
    """(d): the floor's documents on the warm-up run's executed chapters, in a fresh process
    (``bench/_measure.py documents``): one HTML export, the PDF with the Word file beside it.
    The floor of the issue is (c) + (d)."""
    if formats.split(",") != ["html", "pdf", "docx"]:
        raise SystemExit("the floor is measured for --formats html,pdf,docx only")
    report = next((work / "warm").glob("*/*/manifest.json")).parent
    args = {"params": str(ROOT / "params" / "midterm-2023H1.yaml"),
            "notebooks": str(ROOT / "notebooks"), "report": str(report),
            "out": str(work / "documents")}  # fmt: skip
    r = subprocess.run([sys.executable, str(BENCH / "_measure.py"), "documents",
                        json.dumps(args, ensure_ascii=False)],
                       cwd=ROOT, capture_output=True, text=True, check=True)  # fmt: skip
    line = next(x for x in r.stdout.splitlines() if x.startswith("BENCH-RESULT "))
    return json.loads(line.removeprefix("BENCH-RESULT "))


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counties", type=int, default=8, help="demo copies (default 8)")
    ap.add_argument("--workers", type=int, default=None, help="batch workers (default cores)")
    ap.add_argument("--period", default="midterm")
    ap.add_argument("--formats", default="html,pdf,docx")
    from planeval.report.companions import add_options

    add_options(ap, "each report alone, both ways")  # --companions LIST: those, both ways
    ap.add_argument("--skip-sequential", action="store_true")
    ap.add_argument("--skip-lower", action="store_true", help="skip (a)/(c) and (a)/floor")
    ap.add_argument("--no-fit", action="store_true", help="no second batch on half the list")
    ap.add_argument("--quick", action="store_true", help="2 counties, HTML only, no (a)/(c)")
    ap.add_argument("--work", default=str(WORK))
    ap.add_argument("--results", default=str(RESULTS))
    a = ap.parse_args(argv)
    if a.quick:
        a.counties, a.formats, a.skip_lower, a.no_fit = 2, "html", True, True
    work = Path(a.work)
    names = county_names(a.counties)
    res: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "counties": a.counties,
        "formats": a.formats,
        "load_before": load(),
    }
    fmt = ["--formats", a.formats]
    if a.no_companions:
        fmt.append("--no-companions")
    elif a.companions is not None:  # an empty text too: planeval says what is wrong with it
        fmt += ["--companions", a.companions]
    # True: all (the default); False: none; else the names given
    res["companions"] = False if a.no_companions else (a.companions or True)
    log("warm-up: the demo county once (font and matplotlib caches; not timed)")
    timed([str(BIN / "planeval"), "run", "--params", str(ROOT / "params" / "midterm-2023H1.yaml"),
           "--out", str(work / "warm"), *fmt])  # fmt: skip
    if not a.skip_sequential:
        from planeval.batch.build import write_params_files
        from planeval.batch.counties import load_counties

        out = work / "seq"
        shutil.rmtree(out, ignore_errors=True)
        # the same per-county parameter files the batch writes, with their own output root
        lst = make_packs(a.counties, work, "seq")
        files = write_params_files(load_counties(lst, period=a.period, out=str(out)))
        per = []
        for name in names:
            log(f"sequential planeval run {name}")
            w, c = timed([str(BIN / "planeval"), "run", "--params", str(files[name]), *fmt])
            per.append({"county": name, "wall_s": w, "cpu_s": c})
        res["sequential"] = {
            "wall_s": sum(p["wall_s"] for p in per),
            "cpu_s": sum(p["cpu_s"] for p in per),
            "per_county": per,
        }

    def run_batch(n: int, way: str) -> dict:
        out = work / way
        shutil.rmtree(out, ignore_errors=True)
        lst = make_packs(n, work, way)
        cmd = [str(BIN / "planeval"), "batch", str(lst), "--period", a.period, "--out", str(out),
               *fmt]  # fmt: skip
        if a.workers:
            cmd += ["--workers", str(a.workers)]
        log(f"planeval batch of {n} ({a.workers or os.cpu_count()} workers)")
        w, c = timed(cmd)
        summary = json.loads(next((out / ".batch").glob("*/summary.json")).read_text("utf-8"))
        return {
            "counties": n,
            "wall_s": w,
            "cpu_s": c,
            "workers": a.workers or os.cpu_count(),
            "per_county": summary["counties"],
            "status": sorted({x["status"] for x in summary["counties"]}),
        }

    res["batch"] = run_batch(a.counties, "batch")
    if not a.no_fit and a.counties >= 4:
        # the same batch on half the list: wall = fixed + per-county × N, through both points
        res["batch_half"] = run_batch(a.counties // 2, "batch-half")
    if not a.skip_lower:
        import run as bench_run

        log("(c) in-process lower bound")
        setup = bench_run.chapter_setup(
            ROOT / "params" / "midterm-2023H1.yaml", None, work / "lower" / "metrics"
        )
        c0 = children_cpu()
        lower = bench_run.run_lower(setup, work / "lower")
        res["c_lower"] = {"wall_s": lower["wall_s"], "cpu_s": children_cpu() - c0}
        log("(d) the floor's documents: one HTML export, the PDF with Word beside it")
        res["d_documents"] = documents(work, a.formats)
    res["load_after"] = load()
    report(res)
    Path(a.results).mkdir(parents=True, exist_ok=True)
    f = Path(a.results) / f"batch-{time.strftime('%Y%m%d-%H%M%S')}.json"
    f.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    log(f"results: {f}")
    return 0


def report(res: dict) -> None:
    n = res["counties"]
    chosen = res.get("companions", True)
    extra = {True: "", False: ", --no-companions"}.get(chosen, f", --companions {chosen}")
    print(
        f"## planeval batch: {n} demo copies, formats {res['formats']}{extra}, {res['cores']} cores"
    )
    print(f"load average before {res['load_before']}, after {res['load_after']}")
    print(f"{'way':<40}{'wall s':>9}{'wall/county':>13}{'CPU s/county':>14}")
    rows = []
    if "sequential" in res:
        rows.append(("sequential planeval run ×N", res["sequential"]))
    rows.append((f"planeval batch ({res['batch']['workers']} workers)", res["batch"]))
    for label, r in rows:
        print(f"{label:<40}{r['wall_s']:9.1f}{r['wall_s'] / n:13.1f}{r['cpu_s'] / n:14.1f}")
    if "sequential" in res:
        print(
            f"batch speed-up over sequential: {res['sequential']['wall_s'] / res['batch']['wall_s']:.2f}×"
        )
    per = res["batch"]["per_county"]
    print(f"extrapolated 100 counties (batch, {n} × 100/{n}): "
          f"{res['batch']['wall_s'] / n * 100 / 60:.1f} min")  # fmt: skip
    if "batch_half" in res:
        h = res["batch_half"]
        slope = (res["batch"]["wall_s"] - h["wall_s"]) / (n - h["counties"])
        fixed = res["batch"]["wall_s"] - slope * n
        cpu_slope = (res["batch"]["cpu_s"] - h["cpu_s"]) / (n - h["counties"])
        print(f"batch of {h['counties']}: {h['wall_s']:.1f} s; through both points: "
              f"{fixed:.1f} s fixed + {slope:.2f} s a county ({cpu_slope:.1f} CPU-s a county); "
              f"100 counties: {(fixed + 100 * slope) / 60:.1f} min")  # fmt: skip
    print("per county in the batch (task seconds / CPU seconds): " + ", ".join(
        f"{p['county']} {p['seconds']:.1f}/{p['cpu_seconds']:.1f}" for p in per))  # fmt: skip
    if "c_lower" in res and "sequential" in res:
        a = res["sequential"]["per_county"][0]
        c = res["c_lower"]
        print(f"(a)/(c) one county: wall {a['wall_s'] / c['wall_s']:.2f}, "
              f"CPU {a['cpu_s'] / c['cpu_s']:.2f}  ((c) = {c['wall_s']:.1f} s wall, {c['cpu_s']:.1f} CPU-s)")  # fmt: skip
        if "d_documents" in res:
            d = res["d_documents"]
            fw, fc = c["wall_s"] + d["wall_s"], c["cpu_s"] + d["cpu_s"]
            print(f"floor (c)+(d): {fw:.1f} s wall, {fc:.1f} CPU-s  ((d) documents "
                  f"{d['wall_s']:.1f} s, {d['cpu_s']:.1f} CPU-s: HTML {d['html_wall_s']:.1f} s, "
                  f"PDF with Word beside {d['pdf_docx_wall_s']:.1f} s)")  # fmt: skip
            print(f"(a)/floor one county: wall {a['wall_s'] / fw:.2f}, CPU {a['cpu_s'] / fc:.2f}")


if __name__ == "__main__":
    sys.exit(main())
