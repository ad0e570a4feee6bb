"""The Makefile's help (no colour codes into a pipe, variables documented) and ``make lab``
(JupyterLab installed once, started with --allow-root as root). Only ``make help`` and
``make -n`` run: nothing is built."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess

import pytest

from planeval.paths import PROJ_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
MAKEFILE = (PROJ_ROOT / "Makefile").read_text(encoding="utf-8")


def _make(*args: str) -> str:
    r = subprocess.run(
        ["make", "-s", "--no-print-directory", *args],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_COLOR": ""},
    )
    return r.stdout


def test_help_into_a_pipe_has_no_colour_codes_and_lists_every_target():
    out = _make("help")
    assert "\x1b" not in out
    documented = re.findall(r"^## .*\n([a-zA-Z_-]+):", MAKEFILE, re.M)
    assert {"report", "test", "check-data", "init", "lab", "strip"} <= set(documented)
    for target in documented:
        assert re.search(rf"^  {target} +\S", out, re.M), target


def test_help_documents_the_variables():
    out = _make("help")
    tail = out.split("Variables", 1)[1]
    for var in ("PARAMS=", "DATA=", "COUNTY="):
        assert var in tail
    assert "params/midterm-2023H1.yaml" in tail and "data/demo" in tail


def test_help_on_a_terminal_is_coloured():
    leader, follower = pty.openpty()
    try:
        subprocess.run(
            ["make", "-s", "--no-print-directory", "help"],
            cwd=PROJ_ROOT,
            stdout=follower,
            check=True,
            env={k: v for k, v in os.environ.items() if k != "NO_COLOR"},
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    assert b"\x1b[36m" in b"".join(chunks)


def test_lab_installs_jupyterlab_only_when_missing_and_allows_root():
    dry = _make("-n", "lab")
    guard = next(ln for ln in dry.splitlines() if "import jupyterlab" in ln)
    assert guard.index("import jupyterlab") < guard.index("pip install")  # "|| pip install"
    start = next(ln for ln in dry.splitlines() if "jupyter lab" in ln)
    assert ("--allow-root" in start) == (os.geteuid() == 0)
    assert start.rstrip().endswith("notebooks/")


def test_report_and_check_data_take_the_variables():
    assert '--params "青山县/评估参数.yaml"' in _make("-n", "report", "PARAMS=青山县/评估参数.yaml")
    assert 'check-data "青山县/数据包"' in _make("-n", "check-data", "DATA=青山县/数据包")
    assert 'init "青山县"' in _make("-n", "init", "COUNTY=青山县")
