"""One dependency list: environment.yml installs the project itself (`-e .[dev]`), so conda users
get exactly pyproject.toml's dependencies."""

from __future__ import annotations

import tomllib

import yaml

from planeval.paths import PROJ_ROOT


def test_environment_yml_installs_the_project():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert pip == ["-e .[dev]"]
    conda = [d for d in deps if isinstance(d, str)]
    # Only the interpreter and pip come from conda; every library comes from pyproject.toml.
    assert sorted(d.split("=")[0] for d in conda) == ["pip", "python"]


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
