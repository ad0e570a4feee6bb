"""``bench/run.py --quick`` runs end to end on tiny sizes and writes its results JSON.

No timed assertions (the machine's speed is not under test): only that every part of the
benchmark ran and produced positive, consistent numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from planeval.paths import PROJ_ROOT

pytestmark = pytest.mark.slow


def test_bench_quick(tmp_path):
    r = subprocess.run(
        [
            sys.executable,
            str(PROJ_ROOT / "bench" / "run.py"),
            "--quick",
            "--results",
            str(tmp_path / "results"),
            "--work",
            str(tmp_path / "work"),
        ],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "## Report build" in r.stdout and "## Data path at scale" in r.stdout
    res = json.loads((tmp_path / "results" / "latest-quick.json").read_text(encoding="utf-8"))

    rep = res["report"]
    for way in ("a_shipped", "b_naive", "c_lower"):
        assert rep[way]["wall_s"] > 0
    assert rep["a_shipped"]["status"] == "ok"
    assert rep["a_over_c"] == pytest.approx(rep["a_shipped"]["wall_s"] / rep["c_lower"]["wall_s"])
    assert set(rep["a_share"]) >= {"validate", "execute", "stitch"}

    data = res["data"]
    for n in data["sizes_counties"]:  # 20 000 隐患 rows per synthetic county
        got = data["parquet"][str(n)]
        assert got["rows"]["hazards"] == 20_000 * n
        assert got["load_s"] > 0 and got["stats_s"] > 0 and got["maxrss_mb"] > 50
    assert data["excel_read"]["speedup"] > 0
    assert data["growth"]["rows_ratio"] == 2
    assert {t["target"].split(" ")[0] for t in res["targets"]} >= {"(a)", "(b)/(a)"}
