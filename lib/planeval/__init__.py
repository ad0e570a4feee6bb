"""planeval — evaluate a county's 14th Five-Year emergency-management plan from its ledgers.

Public surface: ``load_pack`` (the validated data pack), ``Period`` (evaluation periods),
``accident_grade``. Chapters import the rest from the sub-packages:

- ``planeval.data``        — pack format, reading, validation
- ``planeval.indicators``  — indicator formulas, progress, verdicts
- ``planeval.tasks``       — 重大战略任务 statistics (sectors, disasters, rescue, reserves, society)
- ``planeval.findings``    — problems and recommendations from the chapters' metrics
- ``planeval.narrative``   — Jinja2 paragraph templates, Chinese phrasing
- ``planeval.charts``      — the shared chart style
- ``planeval.report``      — the runner and the stitched HTML / PDF / Word report
"""

from planeval.data import DataPack, DataPackError, load_pack
from planeval.grades import accident_grade
from planeval.periods import Period, PeriodError

__version__ = "0.1.0"
__all__ = [
    "DataPack",
    "DataPackError",
    "Period",
    "PeriodError",
    "accident_grade",
    "load_pack",
]
