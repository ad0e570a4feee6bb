"""``planeval batch`` end to end, kept small: one fixture chapter, HTML only.

The same county list runs on the default LocalCluster and on a separately started
``dask scheduler`` + ``dask worker`` pair on 127.0.0.1; one county's pack is unusable and must
fail alone.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from planeval.batch import batch

pytestmark = pytest.mark.slow

TESTS = Path(__file__).parents[1]
CLEAN_PACK = TESTS / "fixtures" / "packs" / "clean"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    nb = tmp / "notebooks"
    nb.mkdir()
    shutil.copy(TESTS / "fixtures" / "notebooks" / "10_alpha.ipynb", nb)
    (tmp / "empty").mkdir()  # no ledger at all: the county fails at validation
    counties = [
        {"county": "甲县", "pack": str(CLEAN_PACK), "organization": "甲县应急管理局"},
        {"county": "乙县", "pack": str(CLEAN_PACK), "organization": "乙县应急管理局"},
        {"county": "坏县", "pack": "empty", "organization": "坏县应急管理局"},
    ]
    lst = tmp / "县区.yaml"
    lst.write_text(
        yaml.safe_dump({"period": "midterm", "counties": counties}, allow_unicode=True),
        encoding="utf-8",
    )
    return tmp, nb, lst


def _batch(setup, **kw):
    tmp, nb, lst = setup
    out, err = io.StringIO(), io.StringIO()
    res = batch(
        lst,
        out=tmp / "reports",
        formats=["html"],
        notebooks_dir=nb,
        progress_bar=False,
        stdout=out,
        stderr=err,
        **kw,
    )
    return res, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def local_run(setup):
    return _batch(setup, workers=2)


def test_local_cluster_builds_the_good_counties(local_run, setup):
    res, out, err = local_run
    tmp = setup[0]
    assert res.exit_code == 1  # one county failed
    by = {o.county: o for o in res.outcomes}
    assert [o.county for o in res.outcomes] == ["甲县", "乙县", "坏县"]  # the list's order
    for c in ("甲县", "乙县"):
        assert by[c].status == "ok", by[c].message
        target = tmp / "reports" / c / "midterm-2023H1"
        assert by[c].report == str(target / "report.html")
        m = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        assert m["status"] == "ok" and m["params"]["county"] == c and m["jobs"] == 1
        assert m["params_file"].endswith(f"{c}.yaml")
        assert not list(target.parent.glob(".planeval-run-*"))
    # the failing county: its own Chinese message, no report, no traceback
    bad = by["坏县"]
    assert bad.status == "failed" and bad.report is None
    assert "没有找到任何台账文件" in bad.message and "Traceback" not in err + out
    assert not (tmp / "reports" / "坏县" / "midterm-2023H1").exists()
    # one log line per county (not a terminal), and the summary table
    assert sum("完成（" in ln for ln in err.splitlines()) == 2 and "坏县 失败" in err
    assert "共 3 个县区：成功 2，失败 1" in out
    assert str(tmp / "reports" / "甲县" / "midterm-2023H1" / "report.html") in out
    # two workers, one county each at a time
    assert len({o.worker for o in res.outcomes}) >= 1
    summary = json.loads(
        (tmp / "reports" / ".batch" / "midterm-2023H1" / "summary.json").read_text("utf-8")
    )
    assert [c["status"] for c in summary["counties"]] == ["ok", "ok", "failed"]
    # the 县区对比 beside them: every link opens a county report (relative), none for 坏县
    assert res.compare["html"] == tmp / "reports" / "县区对比-midterm-2023H1.html"
    assert res.compare["xlsx"].is_file() and f"县区对比：{res.compare['html']}" in out
    assert "pdf" not in res.compare  # --formats html: no PDF of the comparison either
    soup = BeautifulSoup(res.compare["html"].read_text(encoding="utf-8"), "html.parser")
    links = {urllib.parse.unquote(a["href"]).partition("#")[0] for a in soup.find_all("a")}
    assert links == {f"{c}/midterm-2023H1/report.html" for c in ("甲县", "乙县")}
    assert all((tmp / "reports" / link).is_file() for link in links)
    # the reports' list (written by each county's run before) links the comparison too
    index = (tmp / "reports" / "index.html").read_text(encoding="utf-8")
    assert f'href="{urllib.parse.quote("县区对比-midterm-2023H1.html")}"' in index


@pytest.fixture
def dask_pair(tmp_path):
    """A ``dask scheduler`` and one ``dask worker`` on 127.0.0.1, stopped after the test."""
    sfile = tmp_path / "scheduler.json"
    common = ["--no-dashboard"]
    sched = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0"]
        + ["--scheduler-file", str(sfile), *common],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    worker = None
    try:
        for _ in range(600):  # until the scheduler wrote its address (no fixed sleep)
            if sfile.exists() and sfile.stat().st_size:
                break
            try:
                sched.wait(timeout=0.1)
                pytest.fail("dask scheduler exited")
            except subprocess.TimeoutExpired:
                pass
        address = json.loads(sfile.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        worker = subprocess.Popen(
            [str(BIN / "dask"), "worker", "--scheduler-file", str(sfile), "--host", "127.0.0.1"]
            + ["--nworkers", "1", "--nthreads", "1", "--memory-limit", "0", *common],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        yield address
    finally:
        for p in (worker, sched):
            if p is not None and p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)


def test_existing_scheduler_with_if_changed(local_run, setup, dask_pair):
    tmp, _, lst = setup
    # 乙县's report date changes: its parameters differ, so it is rebuilt; 甲县 is skipped.
    data = yaml.safe_load(lst.read_text(encoding="utf-8"))
    data["counties"][1]["report_date"] = "2023-08-01"
    lst.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = (tmp / "reports" / "甲县" / "midterm-2023H1" / "manifest.json").read_text("utf-8")
    res, out, err = _batch(setup, scheduler=dask_pair, if_changed=True, compare=False)
    by = {o.county: o for o in res.outcomes}
    assert by["甲县"].status == "skipped" and by["乙县"].status == "ok", err
    assert by["坏县"].status == "failed" and res.exit_code == 1
    after = (tmp / "reports" / "甲县" / "midterm-2023H1" / "manifest.json").read_text("utf-8")
    assert after == before
    m = json.loads(
        (tmp / "reports" / "乙县" / "midterm-2023H1" / "manifest.json").read_text("utf-8")
    )
    assert m["params"]["report_date"] == "2023-08-01"
    # the tasks ran in the separately started worker, not in this process
    assert all(not o.worker.endswith(f":{os.getpid()}") for o in res.outcomes)


def test_unreachable_scheduler_is_a_chinese_message(setup):
    res, out, err = _batch(setup, scheduler="tcp://127.0.0.1:9", compare=False)
    assert res.exit_code == 2 and "无法连接Dask 调度器 tcp://127.0.0.1:9" in err
    assert "Traceback" not in err


def _params_file(tmp_path, county: str, organization: str):
    """One county's parameter file on the clean pack, reports under ``tmp_path / "r"``."""
    p = tmp_path / f"{county}.yaml"
    data = {"county": county, "organization": organization, "period": "midterm",
            "data": str(CLEAN_PACK), "out": str(tmp_path / "r")}  # fmt: skip
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_a_worker_keeps_its_kernel_from_county_to_county(setup, tmp_path, monkeypatch):
    """run(kernels=pool), as a batch worker calls it: the second county starts no kernel."""
    from planeval.report import kernels as kernels_mod
    from planeval.report.execute import Progress
    from planeval.report.kernels import WarmKernels
    from planeval.report.runner import run

    _, nb, _ = setup
    started = []
    real = kernels_mod.kernel_manager
    monkeypatch.setattr(kernels_mod, "kernel_manager", lambda: started.append(1) or real())
    with WarmKernels(1, nb) as pool:
        for county in ("甲县", "乙县"):
            p = _params_file(tmp_path, county, "局")
            res = run(p, notebooks_dir=nb, jobs=1, formats=["html"], progress=Progress(False),
                      out=io.StringIO(), err=io.StringIO(), kernels=pool)  # fmt: skip
            assert res.exit_code == 0, res.message
    assert len(started) == 1


def test_a_county_task_without_companions_writes_the_report_alone(setup, tmp_path):
    """``planeval batch --no-companions``: the worker's run writes report.html and its
    manifest, and none of 附表.xlsx, 数据核查清单 or the chapter pages; its kernel draws each
    chart once, for the report, without the PNG/SVG files no figures/ folder will hold. A
    county with some companions after it (``--companions figures,xlsx``), in the same worker,
    gets a kernel that draws them, and those two companions only."""
    from planeval.batch.build import CountyTask, build_county, close_worker_kernels
    from planeval.charts.files import MIME

    _, nb, _ = setup
    tasks = [
        CountyTask(county, str(_params_file(tmp_path, county, "局")), str(nb), ("html",),
                   companions=companions)
        for county, companions in (("丙县", ()), ("丁县", ("figures", "xlsx")))
    ]  # fmt: skip
    try:
        alone, full = [build_county(t) for t in tasks]
    finally:
        close_worker_kernels()
    target = tmp_path / "r" / "丙县" / "midterm-2023H1"
    assert alone.status == "ok" and alone.report == str(target / "report.html"), alone.message
    m = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert "--no-companions" in m["exports"]["skipped"]
    assert not (target / "附表.xlsx").exists() and not (target / "数据核查清单.html").exists()
    assert not list(target.glob("notebooks/*.html"))

    def chart_outputs(county):
        nb_file = tmp_path / "r" / county / "midterm-2023H1" / "notebooks" / "10_alpha.ipynb"
        cells = json.loads(nb_file.read_text(encoding="utf-8"))["cells"]
        outs = [o.get("data", {}) for c in cells for o in c.get("outputs", [])]
        return [o for o in outs if '<figure class="chart">' in "".join(o.get("text/html", ""))]

    assert full.status == "ok", full.message
    (drawn,), (with_files,) = chart_outputs("丙县"), chart_outputs("丁县")
    assert MIME not in drawn  # the chart is in the report, its files were not drawn
    assert MIME in with_files and with_files[MIME]["svg"].lstrip().startswith("<?xml")
    other = tmp_path / "r" / "丁县" / "midterm-2023H1"
    assert list((other / "figures").glob("*.svg")) and (other / "附表.xlsx").is_file()
    assert not (other / "数据核查清单.html").exists() and not list(other.glob("notebooks/*.html"))


def test_local_cluster_workers_run_without_the_statistical_profiler():
    """Dask samples each worker's task thread every 10 ms unless told not to (about a tenth of a
    county's CPU); the LocalCluster's workers get ``profile.enabled: False``, the rest stays."""
    from planeval.batch import build

    with build._client(None, 1) as client:
        (callbacks,) = client.run(
            lambda dask_worker: sorted(dask_worker.periodic_callbacks)
        ).values()
    assert "profile" not in callbacks and "profile-cycle" not in callbacks
    assert "heartbeat" in callbacks  # the worker is a normal one otherwise


@contextlib.contextmanager
def in_process_client(scheduler, workers):
    """A stand-in for build._client: one worker thread in this process, no dashboard."""
    from distributed import Client

    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as c:
        yield c


def test_the_comparison_is_made_while_the_cluster_closes(setup, tmp_path, monkeypatch):
    """Once every county is done, the 县区对比 is written beside the workers' closing (it only
    reads the reports on disk), not after it; the result still carries it."""
    import contextlib
    import threading

    from planeval.batch import build

    events: list[str] = []
    started = threading.Event()

    @contextlib.contextmanager
    def in_process(scheduler, workers):
        with in_process_client(scheduler, workers) as client:
            yield client
            # closing waits (a while at most) for the comparison to have begun: it has, when
            # it runs beside the closing; made after the closing, it comes second
            started.wait(timeout=10)
            events.append("cluster closing")

    def fake_county(task):
        return build.CountyOutcome(task.county, "ok", seconds=0.1)

    def fake_compare(counties, outcomes, stderr, with_pdf):
        events.append(f"compare {len(outcomes)}{' with its PDF' if with_pdf else ''}")
        started.set()
        return {"html": tmp_path / "对比.html"}

    monkeypatch.setattr(build, "_client", in_process)
    monkeypatch.setattr(build, "build_county", fake_county)
    monkeypatch.setattr(build, "_compare", fake_compare)
    tmp, nb, lst = setup
    res = batch(lst, out=tmp_path, formats=["html"], notebooks_dir=nb, progress_bar=False,
                stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert events == ["compare 3", "cluster closing"]
    assert res.compare == {"html": tmp_path / "对比.html"} and res.exit_code == 0
    # a batch that makes PDFs asks for the comparison's PDF too
    events.clear()
    started.clear()
    batch(lst, out=tmp_path, formats=["html", "pdf"], notebooks_dir=nb, progress_bar=False,
          stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert events == ["compare 3 with its PDF", "cluster closing"]


def test_the_chosen_companions_reach_every_task_and_the_summary_says_what_is_left_out(
    setup, tmp_path, monkeypatch
):
    """``planeval batch --companions 附表,核查清单``: each county's task carries the names
    (sorted, whatever their spelling), summary.json records them, and the closing lines say
    what no county folder holds."""
    from planeval.batch import build

    def fake_county(task):  # the task as the worker got it (Dask sends a copy of this function)
        return build.CountyOutcome(task.county, "ok", seconds=0.1, message=repr(task.companions))

    monkeypatch.setattr(build, "_client", in_process_client)
    monkeypatch.setattr(build, "build_county", fake_county)
    tmp, nb, lst = setup
    out = io.StringIO()
    res = batch(lst, out=tmp_path, formats=["html"], notebooks_dir=nb, progress_bar=False,
                companions="附表,核查清单", compare=False, stdout=out,
                stderr=io.StringIO())  # fmt: skip
    assert res.exit_code == 0
    assert [o.message for o in res.outcomes] == [repr(("checklist", "xlsx"))] * 3
    assert (
        "各县未生成图表文件（figures/）、章节页（notebooks/*.html）、本次变化（本次变化.txt）"
        "（--companions checklist,xlsx）"
    ) in out.getvalue()
    (summary,) = tmp_path.glob(".batch/*/summary.json")
    assert json.loads(summary.read_text(encoding="utf-8"))["companions"] == ["checklist", "xlsx"]
    out = io.StringIO()
    res = batch(lst, out=tmp_path, formats=["html"], notebooks_dir=nb, progress_bar=False,
                compare=False, stdout=out, stderr=io.StringIO())  # fmt: skip
    assert "未生成" not in out.getvalue()  # every companion: nothing to say
    assert res.outcomes[0].message == repr(("changes", "checklist", "figures", "pages", "xlsx"))


def test_the_end_of_a_batch_also_ends_each_workers_word_children():
    """A ``--scheduler`` cluster's workers live on after the batch: close_worker_kernels (run
    on each at its end) stops their warm Word children too, not only their kernels."""
    from planeval.batch.build import close_worker_kernels
    from planeval.report import docx as D

    child = D.Converter()
    D._give_back(child)
    assert [child] == D._IDLE
    close_worker_kernels()
    assert D._IDLE == [] and not child.alive()
