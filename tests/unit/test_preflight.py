"""The kernel check the runner makes before any chapter: absent or broken, said in Chinese."""

from __future__ import annotations

import json
import sys

import pytest

from planeval.report import preflight


@pytest.fixture
def jupyter_path(tmp_path, monkeypatch):
    """An empty Jupyter data path of our own: only kernels written here exist."""
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    import jupyter_core.paths as jp

    monkeypatch.setattr(jp, "ENV_JUPYTER_PATH", [str(tmp_path)])
    monkeypatch.setattr(jp, "SYSTEM_JUPYTER_PATH", [str(tmp_path)])
    return tmp_path


def _kernel(root, name, argv0):
    d = root / "kernels" / name
    d.mkdir(parents=True)
    (d / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [argv0, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": name,
                "language": "python",
            }
        ),
        encoding="utf-8",
    )


def test_the_installed_kernel_is_fine():
    assert preflight.kernel_problem() is None  # make venv registered it


def test_missing_kernel_gives_the_command(jupyter_path):
    msg = preflight.kernel_problem("planeval-absent")
    assert msg.startswith("未找到 Jupyter 内核 planeval-absent：")
    assert "-m ipykernel install --sys-prefix --name planeval" in msg
    assert sys.executable in msg and "environment.yml" in msg


def test_kernel_whose_python_is_gone(jupyter_path):
    _kernel(jupyter_path, "planeval-moved", str(jupyter_path / "gone" / "bin" / "python"))
    msg = preflight.kernel_problem("planeval-moved")
    assert "指向的 Python 不存在" in msg and "gone" in msg


def test_kernel_with_a_bare_command_is_trusted(jupyter_path):
    _kernel(jupyter_path, "planeval-bare", "python")  # resolved on PATH by jupyter_client
    assert preflight.kernel_problem("planeval-bare") is None


def test_install_command_quotes_a_path_with_spaces():
    assert preflight.install_command("C:/Program Files/py/python.exe").startswith(
        '"C:/Program Files/py/python.exe" -m ipykernel install'
    )
