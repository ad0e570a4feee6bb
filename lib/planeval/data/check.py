"""``planeval check-data PATH``: a short summary of a good pack, or every problem of a bad one."""

from __future__ import annotations

import sys
from typing import TextIO

from planeval.data.pack import DataPack, DataPackError
from planeval.data.schema import LEDGERS


def format_summary(pack: DataPack) -> str:
    """The summary ``check-data`` prints for a pack that passed."""
    s = pack.summary
    order = [lg.zh for lg in LEDGERS if lg.zh in s.ledgers]
    lines = [f"数据包：{pack.root}", f"台账（{len(order)} 个）："]
    width = max((len(z) for z in order), default=0)
    for zh in order:
        yrs = s.years.get(zh)
        span = (
            ""
            if yrs is None
            else (f"，{yrs[0]}年" if yrs[0] == yrs[1] else f"，{yrs[0]}–{yrs[1]}年")
        )
        pad = "\u3000" * (width - len(zh))
        lines.append(f"  {zh}{pad}  {s.ledgers[zh]:>6} 行{span}    来源：{s.sources[zh]}")
    if s.missing:
        lines.append(f"未提供的可选台账（相关章节将注明“无数据”）：{'、'.join(s.missing)}")
    if s.normalised:
        lines.append("已自动规范化：")
        lines += [f"  - {n}" for n in s.normalised]
    if s.warnings:
        lines.append(f"警告（{len(s.warnings)} 条，不影响使用）：")
        lines += [f"  {i}. {p}" for i, p in enumerate(s.warnings, 1)]
    if pack.notes:
        lines.append(f"分析说明：{'、'.join(f'notes/{k}.md' for k in sorted(pack.notes))}")
    if pack.suppress:
        lines.append(f"不采用的发现（notes/suppress.yaml）：{len(pack.suppress)} 条")
    lines.append("检查通过。")
    return "\n".join(lines)


def format_problems(err: DataPackError) -> str:
    """Every error, numbered, then the warnings."""
    out = [err.report()]
    warns = [p for p in err.problems if p.severity == "warning"]
    if warns:
        out.append(f"另有 {len(warns)} 条警告：")
        out += [f"  {i}. {p}" for i, p in enumerate(warns, 1)]
    return "\n".join(out)


def main(path: str, *, out: TextIO | None = None) -> int:
    """Check the pack at ``path``; print the summary (exit 0) or every problem (exit 1)."""
    from planeval.data.load import load_pack

    out = out or sys.stdout
    try:
        pack = load_pack(path)
    except DataPackError as e:
        print(format_problems(e), file=out)
        return 1
    except Exception as e:  # never a traceback for a data problem
        print(
            f"检查数据包时出错（{type(e).__name__}: {e}）。请检查数据包 {path}，"
            "如无法解决请把这条信息报告给维护者。",
            file=out,
        )
        return 1
    print(format_summary(pack), file=out)
    return 0
