"""Exit statuses of every ``planeval`` command (one list; ``planeval --help`` prints it)."""

from __future__ import annotations

EXIT_OK = 0  # done (or skipped by --if-changed: nothing changed)
EXIT_FAILED = 1  # the data pack has errors, a chapter or a format failed (the report says which)
EXIT_USAGE = 2  # bad command line or parameter file: nothing was run
EXIT_ENV = 3  # the installation is incomplete (e.g. no Jupyter kernel "planeval"): nothing run

EXIT_CODES_ZH = f"""退出码：
  {EXIT_OK}  成功（--if-changed 时输入未变而跳过也是 0）
  {EXIT_FAILED}  数据包有错误，或某个章节、某种格式生成失败（报告照常写出并注明失败的章节）
  {EXIT_USAGE}  命令行或参数文件有误，未执行任何章节
  {EXIT_ENV}  安装不完整（如 Jupyter 内核 planeval 未注册），未执行任何章节"""
