"""Every path the project uses, defined once (cookiecutter-data-science ``config.py`` habit)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJ_ROOT / "data"
DEMO_DATA_DIR = DATA_DIR / "demo"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMS_DIR = PROJ_ROOT / "params"
REPORTS_DIR = PROJ_ROOT / "reports"
CACHE_DIR = PROJ_ROOT / ".cache"

# Jinja2 narrative templates (one file per paragraph kind); analysts may reword them.
NARRATIVE_TEMPLATES_DIR = PACKAGE_DIR / "narrative" / "templates"
# The one nbconvert template directory (conf.json with base_template: lab).
NBCONVERT_TEMPLATE_DIR = PACKAGE_DIR / "report" / "templates" / "planeval"

# Kernel registered into .venv by `make venv`; always passed to papermill.
KERNEL_NAME = "planeval"
