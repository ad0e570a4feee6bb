"""The ``planeval`` command: ``init``, ``check-data``, ``run``, ``batch``, ``make-template``,
``make-demo``.

Each subcommand's work lives in its own module; this file parses arguments, sets how much is
printed (``-q``/``-v``) and speaks Chinese, argparse's own frame included (its "usage:",
"options", "error:" … are translated through the ``gettext`` hook argparse calls).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import planeval
from planeval.exitcodes import EXIT_CODES_ZH, EXIT_OK, EXIT_USAGE
from planeval.report.companions import add_options as add_companion_options

# argparse's own messages (Python 3.11 msgids) in Chinese.
_ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r（应为 %(type)s）",
    "expected one argument": "后面需要一个值",
    "expected at most one argument": "后面最多一个值",
    "expected at least one argument": "后面至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n（运行 %(prog)s -h 查看帮助）\n",
    "ignored explicit argument %r": "忽略了多余的值 %r",
}


def _zh(msg: str) -> str:
    return _ARGPARSE_ZH.get(msg, msg)


def _zh_n(singular: str, plural: str, n: int) -> str:
    return {
        "expected %s argument": "后面需要 %s 个值",
        "expected %s arguments": "后面需要 %s 个值",
    }.get(singular if n == 1 else plural, singular if n == 1 else plural)


@contextlib.contextmanager
def _chinese_argparse() -> Iterator[None]:
    """argparse looks its messages up through module-level ``_``/``ngettext`` when it builds a
    parser, formats help and reports an error: answer them in Chinese while we do that."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _zh, _zh_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _verbosity() -> argparse.ArgumentParser:
    """``-q``/``-v``, accepted before and after the subcommand (SUPPRESS: no override)."""
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=argparse.SUPPRESS,
        help="只输出错误和生成的文件路径",
    )
    g.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=argparse.SUPPRESS,
        help="输出更多过程信息（每个章节的开始、结束和用时）",
    )
    return p


def _parser() -> argparse.ArgumentParser:
    common = _verbosity()
    p = argparse.ArgumentParser(
        prog="planeval",
        description=(
            "县级应急管理体系及能力建设规划评估报告工作簿：把应急管理局的 Excel 台账变成评估报告"
            "（HTML、PDF、Word）。\n"
            "第一次使用：planeval init 青山县 → 填写台账 → planeval check-data → planeval run。"
        ),
        epilog=EXIT_CODES_ZH + "\n\n各命令的选项：planeval <命令> -h",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"planeval {planeval.__version__}",
        help="显示版本号并退出",
    )
    sub = p.add_subparsers(dest="cmd", title="命令", metavar="<命令>")

    def add(name: str, help_text: str, description: str | None = None) -> argparse.ArgumentParser:
        return sub.add_parser(
            name,
            help=help_text,
            description=description or help_text,
            epilog=EXIT_CODES_ZH,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            parents=[common],
        )

    i = add(
        "init",
        "为一个县建立工作目录：台账模板、参数文件、分析说明目录",
        "为一个县建立工作目录：<目录>/数据包/（空白台账模板和 notes/ 分析说明目录）"
        "和 <目录>/评估参数.yaml（已写好县名的参数文件，带注释）。",
    )
    i.add_argument("county", metavar="县名", help="如 青山县")
    i.add_argument("dir", metavar="目录", nargs="?", help="工作目录（默认：当前目录下的 <县名>/）")

    c = add("check-data", "检查数据包并一次列出全部问题")
    c.add_argument("path", metavar="数据包目录", help="放台账工作簿的文件夹")

    r = add("run", "执行各章节并生成报告（HTML、PDF、Word）")
    r.add_argument(
        "--params", required=True, metavar="FILE", help="参数文件，如 params/midterm-2023H1.yaml"
    )
    r.add_argument(
        "--period",
        metavar="PERIOD",
        help="覆盖参数文件的评估期：中期、总结、2022年、2023年上半年、2023年第三季度、2023H1 …",
    )
    r.add_argument("--data", metavar="DIR", help="覆盖参数文件的数据包目录")
    r.add_argument("--out", metavar="DIR", help="覆盖输出根目录（默认 reports/）")
    r.add_argument("--chapters", metavar="IDS", help="只执行这些章节（逗号分隔的章节 id）")
    r.add_argument("--jobs", type=int, metavar="N", help="并行执行的章节数（默认 CPU 核数）")
    r.add_argument(
        "--if-changed", action="store_true", help="输入、参数与代码都未变时跳过（定时任务用）"
    )
    r.add_argument(
        "--formats", metavar="FORMATS", help="输出格式，逗号分隔：html,pdf,docx（默认全部）"
    )
    add_companion_options(
        r,
        "只生成报告本身，不生成附表.xlsx、figures/、章节页、本次变化和数据核查清单（草稿预览更快）",
    )

    b = add("batch", "按县区清单批量生成报告（Dask 分布式）")
    b.add_argument(
        "counties", metavar="清单", help="县区清单（.yaml 或 .csv）：county、pack、organization"
    )
    b.add_argument(
        "--period", metavar="PERIOD", help="评估期，如 2023年上半年（默认取清单中的 period）"
    )
    b.add_argument("--out", metavar="DIR", help="输出根目录（默认 reports/）")
    b.add_argument(
        "--scheduler", metavar="ADDR", help="已有 Dask 调度器地址，如 tcp://10.0.0.5:8786"
    )
    b.add_argument("--workers", type=int, metavar="N", help="本机工作进程数（默认 CPU 核数）")
    b.add_argument("--if-changed", action="store_true", help="某县输入、参数与代码未变时跳过")
    b.add_argument(
        "--formats", metavar="FORMATS", help="输出格式，逗号分隔：html,pdf,docx（默认全部）"
    )
    add_companion_options(
        b, "每县只生成报告本身，不生成附表.xlsx、figures/、章节页、本次变化和数据核查清单"
    )
    b.add_argument("--no-compare", action="store_true", help="不生成县区对比报告")

    t = add("make-template", "生成空白台账填报模板（Excel 工作簿）")
    t.add_argument("out", metavar="文件", help="模板文件路径，如 台账模板.xlsx")
    t.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    o = add(
        "outline",
        "列出报告提纲：每一节的序号、标题和编号（分析说明 notes/<编号>.md、规划任务的所属章节）",
    )
    o.add_argument(
        "path", metavar="数据包目录", nargs="?", default=None, help="用该数据包自己的 outline.yaml"
    )
    o.add_argument("--blocks", action="store_true", help="同时列出每节的计算内容和全部可用内容")

    d = add("make-demo", "重新生成示例县数据包")
    d.add_argument(
        "out", metavar="目录", nargs="?", default=None, help="输出目录（默认 data/demo）"
    )
    return p


def command_hint() -> str:
    """How the user started this command, for the next-step lines we print.

    ``planeval`` when that is what PATH finds, ``python -m planeval`` under ``-m``, otherwise
    the path as typed (``.venv/bin/planeval``).
    """
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "planeval"
    if Path(argv0).name in ("__main__.py", "-m", "-c"):
        return "python -m planeval"
    found = shutil.which("planeval")
    if found and os.path.realpath(found) == os.path.realpath(argv0):
        return "planeval"
    if Path(argv0).stem != "planeval":
        return "planeval"
    return argv0


def setup_logging(verbosity: int) -> None:
    """Stage lines on stderr: always (terminal and logs), none with ``-q``, chapters with ``-v``.

    On a terminal a line starts with the seconds since the start; in a log (stderr redirected)
    with the date and time, so a cron log reads on its own.
    """
    from planeval.report.console import configure

    configure(verbosity)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    with _chinese_argparse():
        parser = _parser()
        if not argv:
            parser.print_help()
            return EXIT_OK
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:  # -h, --version (0) or a usage error (2, message printed)
            return int(e.code or 0)
    if args.cmd is None:
        parser.print_help()
        return EXIT_OK
    setup_logging(getattr(args, "verbosity", 0))
    if args.cmd == "init":
        from planeval.workspace import main as init_main

        return init_main(args.county, args.dir, command=command_hint())
    if args.cmd == "check-data":
        from planeval.data.check import main as check_main

        return check_main(args.path)
    if args.cmd == "make-demo":
        from planeval.demo.generate import main as demo_main

        return demo_main(args.out)
    if args.cmd == "make-template":
        from planeval.data.template import main as template_main

        return template_main(args.out, force=args.force)
    if args.cmd == "outline":
        return _outline_main(args.path, args.blocks)
    if args.cmd == "batch":
        from planeval.batch.build import main as batch_main

        return batch_main(args)
    if args.cmd == "run":
        from planeval.report.runner import main as run_main

        return run_main(args)
    return EXIT_USAGE


def _outline_main(path: str | None, blocks: bool) -> int:
    """``planeval outline [数据包目录] [--blocks]``: the (pack's) outline, numbered, with ids."""
    from planeval.outline import OutlineError, describe, read_outline

    try:
        ol = read_outline(path)
    except OutlineError as e:
        print("\n".join(e.problems), file=sys.stderr)
        return EXIT_USAGE
    with contextlib.suppress(BrokenPipeError):  # `planeval outline | head`
        print(describe(ol.numbered(), blocks=blocks))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
