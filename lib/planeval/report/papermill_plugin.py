"""papermill's default engine under the name ``planeval``, declared as an entry point.

papermill imports every ``papermill.engine`` entry point when it is imported
(``papermill_engines.register_entry_points()``). Loading this one registers the readable
translator for the ``planeval`` kernel (:mod:`planeval.report.translator`), so executed chapters
show ``county = "青山县"`` and check their parameters' types also when run with the ``papermill``
command line (``papermill notebooks/11_indicators.ipynb out.ipynb -k planeval -p county 青山县``).
``--engine planeval`` works and behaves exactly like papermill's default engine.
"""

from __future__ import annotations

from typing import Any

_ENGINE: Any = None


def _engine() -> type:
    """The engine class, made on first use: papermill may still be importing when it asks."""
    global _ENGINE
    if _ENGINE is None:
        from papermill.engines import NBClientEngine

        class PlanevalEngine(NBClientEngine):
            """papermill's nbclient engine, unchanged (the entry point needs an engine)."""

        _ENGINE = PlanevalEngine
    return _ENGINE


def __getattr__(name: str) -> Any:  # PEP 562: answers even while this module is importing
    if name == "PlanevalEngine":
        return _engine()
    raise AttributeError(name)


try:
    from planeval.report.translator import register
except ImportError:
    # The translator module is being imported right now (its import of papermill brought us
    # here); it registers itself when it finishes.
    pass
else:
    register()
