"""One dependency list: environment.yml installs the project itself (`-e .[dev,lab]`), so conda users
get exactly pyproject.toml's dependencies; conda adds only the C libraries WeasyPrint loads."""

from __future__ import annotations

import re
import tomllib

import yaml

from planeval.paths import PROJ_ROOT


def test_environment_yml_installs_the_project():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip == ["-e .[dev,lab]"]  # the project with its tests and JupyterLab


def test_conda_brings_only_what_pip_cannot_weasyprints_c_libraries():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {re.split(r"[=<>]", d)[0]: d for d in env["dependencies"] if isinstance(d, str)}
    assert set(conda) == {"python", "pip", "pango", "harfbuzz", "fontconfig"}
    assert conda["pango"] == "pango>=1.44"  # WeasyPrint's floor
    pyproject = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    libs = {re.split(r"[\[<>=~]", d)[0].lower() for d in pyproject["project"]["dependencies"]}
    assert not libs & set(conda)  # a Python library is never listed twice


def test_lab_extra_is_jupyterlab():
    pyproject = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(
        d.startswith("jupyterlab") for d in pyproject["project"]["optional-dependencies"]["lab"]
    )


def test_python_versions_agree():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    py = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    pyproject = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = pyproject["project"]["requires-python"].removeprefix(">=")
    assert py.split("=")[1] >= floor


def test_dev_extra_has_the_test_tools():
    pyproject = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dev = " ".join(pyproject["project"]["optional-dependencies"]["dev"])
    assert "pytest" in dev and "pypdf" in dev
