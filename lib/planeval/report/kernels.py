"""Warm kernels for the chapter runs.

Starting a kernel and importing pandas, matplotlib and planeval costs about two seconds per
chapter — more than most chapters' own work. The runner therefore keeps one kernel per worker:
started (and its imports done) while the data pack is being validated, reused from chapter to
chapter with the user namespace reset in between, and restarted after a chapter fails, so one
chapter's state can never leak into the next one's figures.

Each kernel has exactly one client for its whole life, connected (and ``wait_for_ready``) once
when the kernel starts: the warm-up, every chapter (through the engine of
:mod:`planeval.report.engine`) and every reset run on it — no client set-up and no readiness
round trips per chapter.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

from jupyter_client.blocking import BlockingKernelClient
from jupyter_client.manager import KernelManager

from planeval.paths import KERNEL_NAME

# What every chapter imports: done once per kernel, while the pack is validated.
WARM_UP = """\
import pandas, matplotlib, matplotlib.pyplot
import planeval, planeval.data, planeval.report.display, planeval.charts, planeval.narrative
import planeval.report.kernels, planeval.charts.files
"""
# Between chapters (see fresh_namespace); it binds no name in the namespace it clears.
RESET = '__import__("planeval.report.kernels").report.kernels.fresh_namespace()\n'


def fresh_namespace() -> None:
    """Run in a warm kernel between two chapters: a fresh namespace, no figure left open.

    This is ``%reset -f`` without the two full garbage collections it makes (one in
    ``DisplayHook.flush``, one in the magic): with pandas, matplotlib and a loaded pack in
    memory each takes about 0.08 s, 1.6 CPU-s for a county's eleven chapters. What the reset
    frees is reclaimed by reference counting, cycles by the collector's own passes. Module-level
    caches (the fonts registered with matplotlib, the loaded pack keyed by its input hash)
    deliberately survive.
    """
    import gc

    import matplotlib.pyplot as plt
    from IPython import get_ipython

    collect = gc.collect
    gc.collect = lambda generation=2: 0
    ip = get_ipython()
    try:
        ip.run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
    plt.close("all")
    # with history off nothing flushes these (the saving thread did), and a reset that keeps
    # its session keeps the inputs and output reprs: they grew for a worker's life long
    hist = ip.history_manager
    hist.db_input_cache.clear()
    hist.input_hist_parsed[:] = [""]  # as a new session starts them (In is this list)
    hist.input_hist_raw[:] = [""]
    hist.output_hist_reprs.clear()


# Quiet kernels (no ipykernel start-up warnings on the terminal or in cron mail), and without
# IPython's input history: a warm kernel wrote every cell to the one history.sqlite all
# kernels share (a thread and a commit per cell, the warm kernels of a batch's workers on one
# file; papermill's own kernels were already given an in-memory one); a chapter's notebook is
# its record.
EXTRA_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
START_TRIES = 3  # a kernel that fails to start (a port taken meanwhile) is tried again


def kernel_manager() -> KernelManager:
    """A KernelManager for :data:`KERNEL_NAME` that cannot collide with another kernel's ports.

    With TCP, jupyter_client picks free ports by binding and releasing them, so kernels started
    at the same moment (a batch: several workers, each starting its kernels) can pick the same
    port. On POSIX the kernel therefore talks over Unix sockets (``transport="ipc"``) named by a
    fresh uuid in a private folder: no port, no race. On Windows it stays TCP and a failed
    start is retried (:data:`START_TRIES`).
    """
    if sys.platform == "win32":
        return KernelManager(kernel_name=KERNEL_NAME)
    # Short on purpose: a Unix socket path is limited to ~104 bytes.
    folder = os.path.join(tempfile.gettempdir(), f"planeval-ipc-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    ip = os.path.join(folder, uuid.uuid4().hex[:16])
    return KernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=ip)


def _run_code(kc: BlockingKernelClient, code: str, timeout: float = 120) -> bool:
    """Run ``code`` on the kernel's client; True when it ran without error."""
    try:
        reply = kc.execute_interactive(
            code, timeout=timeout, store_history=False, output_hook=lambda m: None
        )
        return reply["content"].get("status") == "ok"
    except Exception:  # noqa: BLE001 - a kernel that cannot run this is replaced
        return False


def _connect(km: KernelManager) -> BlockingKernelClient:
    """The kernel's one client: channels started, kernel answering (the only wait_for_ready)."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
    except Exception:
        kc.stop_channels()
        raise
    kc.allow_stdin = False  # as nbclient sets it: a chapter asking for input fails, not hangs
    return kc


class WarmKernels:
    """A pool of ``n`` running kernels named :data:`KERNEL_NAME`, working directory ``cwd``."""

    def __init__(self, n: int, cwd: Path, *, figure_files: bool = True):
        self.cwd = Path(cwd)
        # Whether the chapters' charts also carry their PNG/SVG files (planeval.charts.files):
        # off for a run that does not write figures/ (``--companions`` without figures).
        self.figure_files = bool(figure_files)
        self._free: queue.Queue[KernelManager] = queue.Queue()
        self._all: list[KernelManager] = []
        self._clients: dict[int, BlockingKernelClient] = {}  # id(km) → its one client
        self._lock = threading.Lock()
        self._starters = [threading.Thread(target=self._add, daemon=True) for _ in range(n)]
        for t in self._starters:
            t.start()

    def _start(self) -> KernelManager:
        for attempt in range(START_TRIES):
            km = kernel_manager()
            kc = None
            try:
                km.start_kernel(cwd=str(self.cwd), extra_arguments=EXTRA_ARGS)
                kc = _connect(km)
                # an import error shows in the chapter, not here
                _run_code(kc, WARM_UP + f"planeval.charts.files.ENABLED = {self.figure_files}\n")
                if km.is_alive():
                    break
            except Exception:
                if attempt == START_TRIES - 1:
                    raise
            if kc is not None:
                kc.stop_channels()
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
        else:
            raise RuntimeError("kernel did not start")
        with self._lock:
            self._all.append(km)
            self._clients[id(km)] = kc
        return km

    def _add(self) -> None:
        with contextlib.suppress(Exception):  # a kernel that fails to start: papermill's own try
            self._free.put(self._start())

    @contextlib.contextmanager
    def kernel(self) -> Iterator[_Use]:
        """A clean kernel for one chapter (``.km`` is None if none could be started).

        The caller reports whether the chapter succeeded through ``ok``: a kernel whose chapter
        failed is shut down and replaced, a kernel whose chapter succeeded is reset and reused.
        """
        for t in self._starters:
            t.join()
        km = None
        if self._all:  # one per worker: a free one is there unless a start failed
            with contextlib.suppress(queue.Empty):
                km = self._free.get(timeout=600)
        with self._lock:
            kc = self._clients.get(id(km)) if km is not None else None
        holder = _Use(km, kc)
        try:
            yield holder
        finally:
            if km is not None:
                if holder.ok and km.is_alive() and _run_code(kc, RESET):
                    self._free.put(km)
                else:
                    self._retire(km)
                    self._add()

    def _retire(self, km: KernelManager) -> None:
        with self._lock:
            kc = self._clients.pop(id(km), None)
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        with contextlib.suppress(Exception):
            km.shutdown_kernel(now=True)
        with self._lock, contextlib.suppress(ValueError):
            self._all.remove(km)

    def close(self) -> None:
        """Stop every kernel (also the ones still starting)."""
        for t in self._starters:
            t.join()
        with self._lock:
            kms = list(self._all)
        for km in kms:
            self._retire(km)

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Use:
    """What the runner gets from :meth:`WarmKernels.kernel`: the kernel, its one client, and an
    ``ok`` flag."""

    def __init__(self, km: KernelManager | None, kc: BlockingKernelClient | None = None):
        self.km = km
        self.kc = kc
        self.ok = False
