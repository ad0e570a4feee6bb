"""``planeval check-data PATH``: a short summary of a good pack, or every problem of a bad one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from planeval.data.pack import DataPack, DataPackError, Problem
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


def check_pack(path: str | Path) -> DataPack:
    """:func:`~planeval.data.load.load_pack`, then the ids of ``notes/suppress.yaml`` against the
    findings the rules could give for this pack (what ``check-data`` and ``planeval run`` check).

    Raises
    ------
    DataPackError
        The pack's problems, or one per unknown finding id with the closest valid ids.
    """
    from planeval.data.load import load_pack

    return check_suppress(load_pack(path))


def check_suppress(pack: DataPack) -> DataPack:
    """``pack`` when every id of its ``notes/suppress.yaml`` is one the rules could give.

    Raises
    ------
    DataPackError
        One problem per unknown finding id, with the closest valid ids and its line.
    """
    if not pack.suppress:
        return pack
    from planeval.finding_ids import unknown_suppress_ids

    bad = unknown_suppress_ids(pack.suppress, pack.frames)
    if bad:
        lines = _suppress_lines(pack.root)
        raise DataPackError(
            [
                Problem(
                    "notes/suppress.yaml",
                    f"没有“{fid}”这个发现标识"
                    + (f"；最接近的有：{'、'.join(close)}" if close else "")
                    + "（每个发现的标识见报告“存在的主要问题”表的“标识”列）",
                    row=lines.get(fid),
                    value=fid,
                )
                for fid, close in bad.items()
            ]
        )
    return pack


def _suppress_lines(root: Path) -> dict[str, int]:
    """finding id → its line in notes/suppress.yaml (for the message)."""
    out: dict[str, int] = {}
    for name in ("suppress.yaml", "suppress.yml"):
        p = root / "notes" / name
        if p.exists():
            for i, line in enumerate(
                p.read_text(encoding="utf-8", errors="replace").splitlines(), 1
            ):
                key = line.split(":", 1)[0].strip().strip("'\"")
                if key and not line.startswith((" ", "#")):
                    out.setdefault(key, i)
    return out


def main(path: str, *, out: TextIO | None = None) -> int:
    """Check the pack at ``path``; print the summary (exit 0) or every problem (exit 1)."""
    out = out or sys.stdout
    try:
        pack = check_pack(path)
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
