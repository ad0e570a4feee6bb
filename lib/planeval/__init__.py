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

from planeval.data import DataPack, DataPackError, load_pack
from planeval.grades import accident_grade
from planeval.periods import Period, PeriodError
from planeval.version import __version__

__all__ = [
    "__version__",
    "DataPack",
    "DataPackError",
    "Period",
    "PeriodError",
    "accident_grade",
    "load_pack",
]
