"""A papermill engine that executes in an already connected kernel client.

papermill's own ``nbclient`` engine accepts a running kernel (``km``) but always makes a new
client for it and waits for the kernel to answer (``wait_for_ready``) before every notebook;
the warm kernels of :mod:`planeval.report.kernels` then needed a second client for the reset
between chapters. This engine — registered in papermill's engine registry as
:data:`ENGINE_NAME` — is papermill's ``nbclient`` engine with one difference: given ``kc``, the
notebook runs on that client. Everything else is papermill's: parameters cell injection, the
executed notebook written as it goes, the error cell and ``PapermillExecutionError`` on failure.
"""

from __future__ import annotations

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

ENGINE_NAME = "planeval-warm"


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
        return client.execute()


papermill_engines.register(ENGINE_NAME, WarmClientEngine)
