"""The ``planeval`` command: ``run``, ``batch``, ``check-data``, ``make-demo``, ``make-template``.

Each subcommand's work lives in its own module; this file only parses arguments.
"""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="planeval",
        description="县级“十四五”应急管理规划评估报告工作簿 (planeval)",
    )
    sub = p.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="执行各章节 notebook 并生成报告 (HTML/PDF/Word)")
    r.add_argument("--params", required=True, help="参数文件 params/<name>.yaml")
    r.add_argument("--period", help="覆盖评估期，如 2023H1、2022、midterm")
    r.add_argument("--data", help="覆盖数据包目录")
    r.add_argument("--out", help="覆盖输出根目录 (默认 reports/)")
    r.add_argument("--chapters", help="只执行这些章节 (逗号分隔的章节 id)")
    r.add_argument("--jobs", type=int, help="并行执行的章节数 (默认 CPU 核数)")
    r.add_argument(
        "--if-changed", action="store_true", help="输入、参数与代码未变时跳过 (定时任务)"
    )
    r.add_argument("--formats", help="输出格式，逗号分隔：html,pdf,docx (默认全部)")

    b = sub.add_parser("batch", help="按县区清单批量生成报告 (Dask 分布式)")
    b.add_argument("counties", help="县区清单 (.yaml 或 .csv)：county、pack、organization")
    b.add_argument("--period", help="评估期，如 2023H1 (默认取清单中的 period)")
    b.add_argument("--out", help="输出根目录 (默认 reports/)")
    b.add_argument("--scheduler", help="已有 Dask 调度器地址，如 tcp://10.0.0.5:8786")
    b.add_argument("--workers", type=int, help="本机工作进程数 (默认 CPU 核数)")
    b.add_argument("--if-changed", action="store_true", help="某县输入、参数与代码未变时跳过")
    b.add_argument("--formats", help="输出格式，逗号分隔：html,pdf,docx (默认全部)")
    b.add_argument("--no-compare", action="store_true", help="不生成县区对比报告")

    c = sub.add_parser("check-data", help="检查数据包并列出全部问题")
    c.add_argument("path", help="数据包目录")

    d = sub.add_parser("make-demo", help="重新生成示例县数据包")
    d.add_argument("out", nargs="?", default=None, help="输出目录 (默认 data/demo)")

    t = sub.add_parser("make-template", help="生成空白台账填报模板 (Excel 工作簿)")
    t.add_argument("out", help="模板文件路径，如 台账模板.xlsx")
    t.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "check-data":
        from planeval.data.check import main as check_main

        return check_main(args.path)
    if args.cmd == "make-demo":
        from planeval.demo.generate import main as demo_main

        return demo_main(args.out)
    if args.cmd == "make-template":
        from planeval.data.template import main as template_main

        return template_main(args.out, force=args.force)
    if args.cmd == "batch":
        from planeval.batch.build import main as batch_main

        return batch_main(args)
    if args.cmd == "run":
        from planeval.report.runner import main as run_main

        return run_main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
