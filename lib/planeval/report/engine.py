"""A papermill engine that executes in an already connected kernel client.

papermill's own ``nbclient`` engine accepts a running kernel (``km``) but always makes a new
client for it and waits for the kernel to answer (``wait_for_ready``) before every notebook;
the warm kernels of :mod:`planeval.report.kernels` then needed a second client for the reset
between chapters. This engine — registered in papermill's engine registry as
:data:`ENGINE_NAME` — is papermill's ``nbclient`` engine with one difference: given ``kc``, the
notebook runs on that client; and the executed notebook is written as it goes at most every
:data:`SAVE_EVERY` seconds (papermill writes the whole notebook twice per cell: a chapter's
charts make that megabytes of JSON per cell), and always at its end, failed or not. Everything
else is papermill's: parameters cell injection, the error cell and ``PapermillExecutionError``.
"""

from __future__ import annotations

import time

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "planeval-warm"
SAVE_EVERY = 10.0  # seconds between the writes of a running chapter's notebook


def throttled_save(nb_man, every: float = SAVE_EVERY, clock=time.monotonic):
    """``nb_man.save`` as papermill calls it at each cell's start and end, writing only when
    ``every`` seconds have passed since the last write; papermill's own final write (its
    ``notebook_complete``, after the engine returns) goes to the real ``save`` again once the
    caller deletes the instance attribute this is assigned to."""
    real = nb_man.save
    last = [clock()]

    def save(**kwargs):
        now = clock()
        if now - last[0] >= every:
            real(**kwargs)
            last[0] = now

    return save


class WarmClientEngine(NBClientEngine):
    """papermill's nbclient engine, on a given connected kernel client (``kc``)."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        kc=None,
        **kwargs,
    ):
        # The same arguments as NBClientEngine.execute_managed_notebook (papermill 2.x).
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, **final_kwargs)
        if kc is not None:
            # nbclient starts a client only when it has none; it keeps a client it did not make
            # (it owns neither the kernel nor the client: km was given).
            client.kc = kc
        nb_man.save = throttled_save(nb_man)
        try:
            return client.execute()
        finally:
            del nb_man.save  # the class's own: notebook_complete writes the notebook as it ended


papermill_engines.register(ENGINE_NAME, WarmClientEngine)
