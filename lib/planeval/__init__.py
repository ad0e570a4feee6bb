"""planeval — evaluate a county's 14th Five-Year emergency-management plan from its ledgers.

Public surface: ``load_pack`` (the validated data pack), ``Period`` (evaluation periods),
``accident_grade``. Chapters import the rest from the sub-packages:

- ``planeval.data``        — pack format, reading, validation
- ``planeval.indicators``  — indicator formulas, progress, verdicts
- ``planeval.chapters``    — the chapters of 重大战略任务 (risk, disasters, rescue, reserves,
  society) and of （三）重大工程 (projects), each split by layer
- ``planeval.findings``    — problems and recommendations from the chapters' metrics
- ``planeval.narrative``   — Jinja2 paragraph templates, Chinese phrasing
- ``planeval.charts``      — the shared chart style
- ``planeval.report``      — the runner and the stitched HTML / PDF / Word report
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from planeval.version import __version__

if TYPE_CHECKING:
    from planeval.data import DataPack, DataPackError, load_pack
    from planeval.grades import accident_grade
    from planeval.periods import Period, PeriodError

# Imported on first use (PEP 562): ``python -m planeval.report.docx`` (Word beside the PDF) and
# ``planeval --help`` need neither pandas nor pandera; ``planeval.load_pack`` works as before.
_LAZY = {
    "DataPack": "planeval.data",
    "DataPackError": "planeval.data",
    "load_pack": "planeval.data",
    "accident_grade": "planeval.grades",
    "Period": "planeval.periods",
    "PeriodError": "planeval.periods",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'planeval' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "__version__",
    "DataPack",
    "DataPackError",
    "Period",
    "PeriodError",
    "accident_grade",
    "load_pack",
]
