"""Checks before any chapter runs: is the Jupyter kernel ``planeval`` there and usable?

Every chapter runs in the kernel ``planeval`` (papermill is always given ``kernel_name``).
``make venv`` registers it; a conda environment or a hand-made venv may not have. Without this
check each chapter would fail on its own with jupyter_client's English ``NoSuchKernel``; with it
the run stops once, in Chinese, with the one command that fixes it (exit status 3).
"""

from __future__ import annotations

import sys
from pathlib import Path

from planeval.paths import KERNEL_NAME

_DISPLAY = "planeval (Python 3.11)"


def install_command(python: str | None = None) -> str:
    """The line that registers the kernel for this interpreter."""
    exe = python or sys.executable
    q = f'"{exe}"' if " " in exe else exe
    return f'{q} -m ipykernel install --sys-prefix --name {KERNEL_NAME} --display-name "{_DISPLAY}"'


def kernel_problem(name: str = KERNEL_NAME) -> str | None:
    """Why the chapters could not start in kernel ``name`` (Chinese), or None when it is fine.

    Checks that the kernelspec exists in this environment's Jupyter paths and that the Python
    it starts exists (a kernel registered from a venv that was deleted or moved).
    """
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError:
        return (
            "缺少 jupyter_client / ipykernel，无法执行章节。请在本环境中安装本项目："
            f"{sys.executable} -m pip install -e .（用 make 的话：make venv）"
        )
    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return (
            f"未找到 Jupyter 内核 {name}：各章节在这个内核中运行，需要先注册一次：\n"
            f"  {install_command()}\n"
            "（用 make 的话：make venv；conda 环境的步骤见 environment.yml 开头）"
        )
    exe = spec.argv[0] if spec.argv else ""
    if exe and ("/" in exe or "\\" in exe) and not Path(exe).exists():
        return (
            f"Jupyter 内核 {name} 指向的 Python 不存在：{exe}（环境被删除或移动过）。请重新注册：\n"
            f"  {install_command()}"
        )
    return None
