"""The companions a report can ship beside its HTML, one registry (``--companions``).

Each is read from the finished report or the executed chapters (:mod:`planeval.report.exports`,
:mod:`planeval.report.provenance`); a run writes all of them by default, ``--companions`` picks
some (a city's batch may want only each county's 附表 and 数据核查清单), ``--no-companions``
none (the report alone, a draft). Chosen by their names or by their Chinese names:

>>> sorted(parse_companions("checklist,附表"))
['checklist', 'xlsx']
>>> parse_companions(True) == ALL, parse_companions(False)
(True, frozenset())
>>> skipped_text(frozenset({"xlsx", "checklist"}))
'未生成图表文件（figures/）、章节页（notebooks/*.html）、本次变化（本次变化.txt）（--companions checklist,xlsx）'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Companion:
    name: str  # as written after --companions
    zh: str  # as the analyst calls it
    files: str  # what it writes, in the report folder
    aliases: tuple[str, ...] = ()


COMPANIONS: dict[str, Companion] = {
    c.name: c
    for c in (
        Companion("xlsx", "附表", "附表.xlsx"),
        Companion("figures", "图表文件", "figures/", ("图表",)),
        Companion("pages", "章节页", "notebooks/*.html"),
        Companion("changes", "本次变化", "本次变化.txt"),
        Companion("checklist", "数据核查清单", "数据核查清单.html/.xlsx/.json", ("核查清单",)),
    )
}
ALL = frozenset(COMPANIONS)
_BY_NAME = {
    key.casefold(): c.name for c in COMPANIONS.values() for key in (c.name, c.zh, *c.aliases)
}
_ALL_WORDS = {"all", "全部"}
_NONE_WORDS = {"none", "无"}


def listing() -> str:
    """The names to choose from, for messages and help: ``xlsx（附表）、figures（图表文件）…``."""
    return "、".join(f"{c.name}（{c.zh}）" for c in COMPANIONS.values())


def parse_companions(value: str | Iterable[str] | bool | None) -> frozenset[str]:
    """The companions ``value`` names: a comma-separated text (full-width commas and 、 too),
    names or Chinese names, ``all``/``全部``, ``none``/``无``; a list of such texts (an empty
    list: none); True or None for all, False for none.

    Raises
    ------
    planeval.report.params.ParamsError
        A name that is no companion (the message lists the names), a text with no name at all,
        or a value that is none of the above.
    """
    from planeval.report.params import ParamsError

    if value is None or value is True:
        return ALL
    if value is False:
        return frozenset()
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, Iterable) and not isinstance(value, bytes | bytearray):
        items = list(value)
    else:
        items = None
    if items is None or not all(isinstance(x, str) for x in items):
        raise ParamsError(
            [f"--companions 应为逗号分隔的附件名，实际为 {type(value).__name__} “{value}”"]
        )
    words = []
    for item in items:
        for sep in ("，", "、", ";", "；"):
            item = item.replace(sep, ",")
        words += [w.strip() for w in item.split(",") if w.strip()]
    if items and not words:  # "", or [""] from an empty variable split on commas
        raise ParamsError(
            [f"--companions 后面需要附件名（可用：{listing()}）；不生成附件请用 --no-companions"]
        )
    chosen: set[str] = set()
    bad = []
    for w in words:
        key = w.casefold()
        if key in _ALL_WORDS:
            chosen |= ALL
        elif key in _NONE_WORDS:
            continue
        elif key in _BY_NAME:
            chosen.add(_BY_NAME[key])
        else:
            bad.append(w)
    if bad:
        raise ParamsError(
            [f"--companions 中的附件不认识：{'、'.join(bad)}（可用：{listing()}，或 all、none）"]
        )
    return frozenset(chosen)


def option_text(chosen: frozenset[str]) -> str:
    """The command-line option that gives ``chosen``: ``""`` for all, ``--no-companions`` for
    none, else ``--companions a,b`` (names sorted)."""
    if chosen == ALL:
        return ""
    if not chosen:
        return "--no-companions"
    return "--companions " + ",".join(sorted(chosen))


def skipped_text(chosen: frozenset[str]) -> str | None:
    """What the manifest says was not written (None when every companion was)."""
    left = [c for c in COMPANIONS.values() if c.name not in chosen]
    if not left:
        return None
    return f"未生成{'、'.join(f'{c.zh}（{c.files}）' for c in left)}（{option_text(chosen)}）"


def from_args(args) -> str | bool:
    """What ``--companions LIST`` / ``--no-companions`` ask for (neither: all), for
    :func:`parse_companions`."""
    if getattr(args, "no_companions", False):
        return False
    chosen = getattr(args, "companions", None)
    return True if chosen is None else chosen


def add_options(parser, none_help: str) -> None:
    """``--companions LIST`` and ``--no-companions`` (``none_help``), one or the other."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--companions",
        metavar="LIST",
        help=f"只生成这些附件，逗号分隔：{listing()}（默认全部；如 --companions xlsx,checklist）",
    )
    group.add_argument("--no-companions", action="store_true", help=none_help)
