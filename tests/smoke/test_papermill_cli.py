"""The papermill command line on a chapter-shaped notebook, as a notebook user runs it:
injected parameters readable, ``-p period 2022`` (an int) refused in Chinese, ``-r`` accepted."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from planeval.paths import KERNEL_NAME

pytestmark = pytest.mark.slow


@pytest.fixture
def chapter(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "language": "python", "display_name": "p"}
    params = nbformat.v4.new_code_cell(
        'period: str = "midterm"   # 评估期\ncounty: str = "示例县"     # 县名'
    )
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "from planeval.periods import Period\nprint(Period.parse(period).label, county)"
    )
    nb.cells = [params, body]
    path = tmp_path / "ch.ipynb"
    nbformat.write(nb, path)
    return path


def _papermill(src, out, *args):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(src),
            str(out),
            "-k",
            KERNEL_NAME,
            "--log-level",
            "ERROR",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_int_period_is_refused_inside_the_notebook(chapter, tmp_path):
    out = tmp_path / "out.ipynb"
    r = _papermill(chapter, out, "-p", "period", "2022", "-p", "county", "青山县")
    assert r.returncode != 0
    nb = nbformat.read(out, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'county = "青山县"' in injected.source and "period = 2022" in injected.source
    error = [o for o in injected.outputs if o.output_type == "error"]
    assert error and error[0].ename == "ParameterTypeError"
    assert "参数 period 应为文本，实际为整数 2022（papermill 请用 -r period 2022" in error[0].evalue


def test_raw_period_runs(chapter, tmp_path):
    out = tmp_path / "out.ipynb"
    r = _papermill(chapter, out, "-r", "period", "2022年", "-p", "county", "青山县")
    assert r.returncode == 0, r.stderr
    nb = nbformat.read(out, as_version=4)
    assert nb.cells[-1].outputs[0].text == "2022年 青山县\n"
