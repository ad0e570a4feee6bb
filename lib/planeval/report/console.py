"""What a run says while it works: a line per stage, a progress bar on a terminal.

- :func:`stage` — one line per stage (检查数据包, 执行章节, 生成 HTML, 生成 PDF, 生成 Word) on
  stderr, on a terminal *and* in a log (cron mail, ``>> reports/cron.log``), unless ``-q``;
- :func:`detail` — a line per chapter (started, finished, seconds), with ``-v`` only;
- :class:`ChapterBar` — a progress bar over the chapters, on a terminal only (never in a log).

The lines go through the standard ``logging`` logger ``planeval``; :func:`configure` (called by
the ``planeval`` command) attaches the one handler. Without it (a library call, a test) only
warnings would show, so nothing is printed.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from typing import TextIO

LOGGER_NAME = "planeval"
log = logging.getLogger(LOGGER_NAME)
_LEVELS = {-1: logging.WARNING, 0: logging.INFO, 1: logging.DEBUG}


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class _Formatter(logging.Formatter):
    """``[  12.3s] 生成 HTML`` on a terminal; ``2026-12-01 09:30:12 生成 HTML`` in a log."""

    def __init__(self, tty: bool):
        super().__init__(datefmt="%Y-%m-%d %H:%M:%S")
        self.tty = tty
        self.t0 = time.monotonic()

    def format(self, record: logging.LogRecord) -> str:
        msg = record.getMessage()
        if self.tty:
            return f"[{time.monotonic() - self.t0:6.1f}s] {msg}"
        return f"{self.formatTime(record, self.datefmt)} {msg}"


class _Handler(logging.StreamHandler):
    """Writes above an active progress bar (tqdm.write) on a terminal."""

    def __init__(self, stream: TextIO | None = None):
        # None: whatever sys.stderr is when a line is written (a test's capture, or a stream
        # replaced since), never a stream closed in the meantime
        logging.Handler.__init__(self)
        self._fixed = stream
        self.tty = _isatty(self.stream)
        self.setFormatter(_Formatter(self.tty))

    @property
    def stream(self) -> TextIO:
        return self._fixed if self._fixed is not None else sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:  # logging's setStream
        self._fixed = value

    def emit(self, record: logging.LogRecord) -> None:
        if not self.tty:
            return super().emit(record)
        try:
            from tqdm import tqdm

            tqdm.write(self.format(record), file=self.stream)
        except Exception:  # noqa: BLE001 - printing must never end a run
            self.handleError(record)


def configure(verbosity: int = 0, stream: TextIO | None = None) -> logging.Logger:
    """Attach the one stderr handler at the level of ``-q`` (−1), default (0) or ``-v`` (1)."""
    for h in [h for h in log.handlers if isinstance(h, _Handler)]:
        log.removeHandler(h)
    log.addHandler(_Handler(stream))
    log.setLevel(_LEVELS[max(-1, min(1, verbosity))])
    log.propagate = False
    return log


def stage(msg: str) -> None:
    """One line for a stage of the run (shown unless ``-q``)."""
    log.info(msg)


def detail(msg: str) -> None:
    """One line for a chapter (shown with ``-v``)."""
    log.debug(msg)


def _our_stream() -> TextIO | None:
    for h in log.handlers:
        if isinstance(h, _Handler):
            return h.stream
    return None


class ChapterBar:
    """A progress bar over the chapters: on a terminal and unless ``-q``; a no-op otherwise.

    Parameters
    ----------
    total : number of chapters.
    enabled : force on or off (tests); default: the ``planeval`` handler writes to a terminal
        and stage lines are shown.
    stream : where to draw (default the handler's stream).
    """

    def __init__(self, total: int, *, enabled: bool | None = None, stream: TextIO | None = None):
        stream = stream or _our_stream() or sys.stderr
        if enabled is None:
            enabled = (
                _our_stream() is not None and _isatty(stream) and log.isEnabledFor(logging.INFO)
            )
        self.done = 0
        self.total = total
        self._bar = None
        if enabled and total:
            from tqdm import tqdm

            # A pty without a size (script, some CI consoles) reports 0×0: tqdm then takes -1
            # rows and draws nothing; shutil's fallback gives it a usable size.
            size = shutil.get_terminal_size((80, 24))
            width, rows = min(size.columns or 80, 100), max(size.lines, 24)
            self._bar = tqdm(
                total=total,
                desc="章节",
                unit="章",
                file=stream,
                leave=False,
                ncols=width,
                nrows=rows,
                bar_format="{desc} {n_fmt}/{total_fmt} |{bar}| {elapsed}{postfix}",
            )

    @property
    def enabled(self) -> bool:
        return self._bar is not None

    def advance(self, name: str, ok: bool = True) -> None:
        """One chapter finished (``name`` shown beside the bar)."""
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(name if ok else f"{name} 失败", refresh=False)
            self._bar.update(1)
            self._bar.refresh()  # a dozen chapters: draw every one

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ChapterBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RunProgress:
    """What ``planeval run`` reports while it works (the runner's ``progress`` argument).

    ``progress("生成 HTML")`` (or :meth:`stage`) is a stage line; :meth:`chapter_started` and
    :meth:`chapter_done` are chapter lines (``-v``) and advance the bar that :meth:`chapters`
    opens around the chapter stage. ``RunProgress(False)`` says nothing at all (tests, library
    calls that want silence); the default goes through the ``planeval`` logger, so it prints
    only when the command configured it (:func:`configure`).
    """

    def __init__(self, enabled: bool | None = None):
        self.enabled = enabled is not False
        self._bar: ChapterBar | None = None

    def __call__(self, msg: str) -> None:
        self.stage(msg)

    def stage(self, msg: str) -> None:
        if self.enabled:
            stage(msg)

    def chapters(self, total: int) -> ChapterBar:
        """The bar over ``total`` chapters (use as a context manager)."""
        self._bar = ChapterBar(total, enabled=None if self.enabled else False)
        return self._bar

    def chapter_started(self, name: str) -> None:
        if self.enabled:
            detail(f"开始 {name}")

    def chapter_done(self, name: str, ok: bool, seconds: float, error: str = "") -> None:
        if self.enabled:
            detail(
                f"{'完成' if ok else '失败'} {name}（{seconds:.1f} 秒）{'：' + error if error else ''}"
            )
        if self._bar is not None:
            self._bar.advance(name, ok)
