"""The report outline as data: sections, titles, order, what goes in each, and their numbering.

The default outline is ``planeval/outline.yaml`` (the seed report's structure); a data pack may
carry its own ``outline.yaml`` (or ``提纲.yaml``) in the same form. Each section has an ``id``
(used by the 规划任务 ledger's 所属章节 and by the analyst's note ``notes/<id>.md``), a ``title``
written without its number, and what goes in it, in this order: computed ``blocks`` (made by the
chapters, see :data:`BLOCKS`), the plan tasks whose 所属章节 is the section (unless
``tasks: false``), the analyst's note, then its sub-sections. ``expand: sectors`` makes one
sub-section per key sector, ``expand: projects`` one per 重大工程 category and, below it, one per
project (from the pack's ledger).

Numbering is the tool's: 一、 （一） 1. （1） ① by depth, counting only the numbered sections that
appear (a section with nothing in it is left out and the numbers close up).

This module knows no pack and no chapter code: it is data and rules, below everything that
renders (so ``check-data`` can check a pack's outline and task list against it).

Examples
--------
>>> ol = default_outline()
>>> [n.id for n in ol.sections]
['overview', 'progress', 'problems', 'suggestions', 'adjustments']
>>> ex = ol.expanded(projects=[("智慧应急", ["指挥中心"])])
>>> [(n.number, n.title) for n in ex.walk() if n.id.startswith("system")][:2]
[('1.', '加强应急管理体系建设'), ('（1）', '坚持党的集中领导')]
>>> ex.node("risk.sectors.工贸行业").heading
'①工贸行业'
>>> ex.node("projects.智慧应急.指挥中心").blocks
('projects.project:指挥中心',)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from planeval import vocab

DEFAULT_OUTLINE_FILE = Path(__file__).with_name("outline.yaml")
OUTLINE_FILES = ("outline.yaml", "提纲.yaml")

# Computed blocks a section can hold: id → (chapter that makes it, what it is). A block id with
# a ``:`` takes an argument (``risk.sector:工贸行业``); the family is what is checked here.
BLOCKS: dict[str, tuple[str, str]] = {
    "overview": ("overview", "总体评价：规划实施总体判断"),
    "indicators": ("indicators", "主要指标进展表、分年度事故情况与图"),
    "risk": ("risk", "执法检查和隐患排查治理总表、分年度表与图"),
    "risk.campaigns": ("risk", "安全生产专项整治汇总表"),
    "risk.sector": (
        "risk",
        "一个重点行业领域的检查、隐患、整改、执法和专项整治（risk.sector:行业领域）",
    ),
    "disasters": ("disasters", "自然灾害损失和防治指标"),
    "rescue": ("rescue", "应急预案、演练和救援队伍"),
    "reserves": ("reserves", "应急物资储备"),
    "society": ("society", "宣传、培训和志愿服务"),
    "projects": ("projects", "重大工程项目总体进展、项目表与图"),
    "projects.category": ("projects", "一类重大工程的项目进展（projects.category:类别）"),
    "projects.project": ("projects", "一个重大工程项目的进展（projects.project:项目名称）"),
    "tasks.summary": ("outline", "全部规划任务的完成情况（已完成、序时推进、滞后各几项）"),
    "problems": ("problems", "存在的主要问题"),
    "suggestions": ("suggestions", "下一步工作建议"),
    "adjustments": ("adjustments", "规划调整建议"),
}
EXPANSIONS = ("sectors", "projects")
# The key sectors a ``expand: sectors`` section lists (the seed's eleven, without 其他).
EXPANDED_SECTORS: tuple[str, ...] = tuple(s for s in vocab.SECTORS if s != "其他")

_CN = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ID = re.compile(r"^[A-Za-z0-9_\-.\u4e00-\u9fff（）()·、]+$")


class OutlineError(ValueError):
    """An outline that cannot be used; ``problems`` holds one Chinese message per problem."""

    def __init__(self, problems: Sequence[str], source: str = "outline.yaml"):
        self.problems = list(problems)
        self.source = source
        super().__init__(f"{source}：" + "；".join(self.problems))


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (1 ≤ n ≤ 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")
    return head + (_CN[ones] if ones else "")


_NUMBER_PREFIX = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+\s*[.．、]|[①-⑳])\s*"
)


def unnumbered(title: str) -> str:
    """A section title without the number :func:`number_for` (or an analyst) put before it.

    >>> [unnumbered(t) for t in ("二、存在的问题", "（二）提升风险管控能力", "2. 风险", "（3）演练",
    ...                          "②预案", "一网统管工程")]
    ['存在的问题', '提升风险管控能力', '风险', '演练', '预案', '一网统管工程']
    """
    return _NUMBER_PREFIX.sub("", title)


def number_for(depth: int, n: int) -> str:
    """The number of the n-th section at ``depth`` (1-based): 一、 （一） 1. （1） ①.

    >>> [number_for(d, 2) for d in (1, 2, 3, 4, 5)]
    ['二、', '（二）', '2.', '（2）', '②']
    """
    if depth == 1:
        return f"{cn_number(n)}、"
    if depth == 2:
        return f"（{cn_number(n)}）"
    if depth == 3:
        return f"{n}."
    if depth == 4:
        return f"（{n}）"
    return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"{n})"


def block_family(block: str) -> str:
    return block.split(":", 1)[0]


def block_chapter(block: str) -> str:
    """The chapter that makes ``block`` (KeyError for an unknown block)."""
    return BLOCKS[block_family(block)][0]


@dataclass(frozen=True)
class Section:
    """One section of the outline.

    ``number`` and ``depth`` are filled by :meth:`Outline.numbered` (``""`` and 0 before).
    """

    id: str
    title: str
    numbered: bool = True
    blocks: tuple[str, ...] = ()
    tasks: bool = True
    expand: str | None = None
    sections: tuple[Section, ...] = ()
    depth: int = 0
    number: str = ""

    @property
    def heading(self) -> str:
        """The title with its number: ``（二）重大战略任务进展``, ``1. 加强应急管理体系建设``."""
        if not self.number:
            return self.title
        sep = " " if self.number.endswith(".") else ""
        return f"{self.number}{sep}{self.title}"

    @property
    def level(self) -> int:
        """The HTML heading level: depth 1 → h2 … depth 4 and below → h5, h6."""
        return min(self.depth + 1, 6)

    def walk(self) -> Iterator[Section]:
        yield self
        for s in self.sections:
            yield from s.walk()


@dataclass(frozen=True)
class Outline:
    """The report's sections in order (top level first)."""

    sections: tuple[Section, ...]
    source: str = "outline.yaml"
    extra: dict = field(default_factory=dict, compare=False)

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def ids(self) -> list[str]:
        return [s.id for s in self.walk()]

    def node(self, sid: str) -> Section:
        """The section ``sid`` (KeyError with the valid ids)."""
        for s in self.walk():
            if s.id == sid:
                return s
        raise KeyError(sid)

    def blocks(self) -> list[str]:
        return [b for s in self.walk() for b in s.blocks]

    def chapters(self) -> list[str]:
        """The chapters whose blocks the outline places, in the order they first appear."""
        out: list[str] = []
        for b in self.blocks():
            c = block_chapter(b)
            if c != "outline" and c not in out:
                out.append(c)
        return out

    # ------------------------------------------------------------ expansion
    def expanded(
        self,
        *,
        sectors: Sequence[str] = EXPANDED_SECTORS,
        projects: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> Outline:
        """The outline with ``expand`` sections filled in, then numbered.

        Parameters
        ----------
        sectors : the sectors an ``expand: sectors`` section lists (default the eleven).
        projects : (category, [project names]) in ledger order, for ``expand: projects``.
        """

        def grow(s: Section) -> Section:
            kids = tuple(grow(k) for k in s.sections)
            if s.expand == "sectors":
                kids += tuple(
                    Section(id=f"{s.id}.{sec}", title=sec, blocks=(f"risk.sector:{sec}",))
                    for sec in sectors
                )
            elif s.expand == "projects":
                for cat, names in projects:
                    cid = f"{s.id}.{cat}"
                    kids += (
                        Section(
                            id=cid,
                            title=str(cat),
                            blocks=(f"projects.category:{cat}",),
                            sections=tuple(
                                Section(
                                    id=f"{cid}.{n}", title=str(n), blocks=(f"projects.project:{n}",)
                                )
                                for n in names
                            ),
                        ),
                    )
            return replace(s, sections=kids, expand=None)

        return replace(self, sections=tuple(grow(s) for s in self.sections)).numbered()

    def numbered(self, keep: set[str] | None = None) -> Outline:
        """Numbers and depths filled in; with ``keep``, only those sections (and their
        ancestors) are kept and counted, so the numbers close up over empty sections."""

        def visit(ss: Sequence[Section], depth: int) -> tuple[Section, ...]:
            out = []
            n = 0
            for s in ss:
                kids = visit(s.sections, depth + 1)
                if keep is not None and s.id not in keep and not kids:
                    continue
                num = ""
                if s.numbered:
                    n += 1
                    num = number_for(depth, n)
                out.append(replace(s, sections=kids, depth=depth, number=num))
            return tuple(out)

        return replace(self, sections=visit(self.sections, 1))


# ---------------------------------------------------------------------------- reading
_KEYS = {"id", "title", "numbered", "blocks", "tasks", "expand", "sections"}
_KEY_ZH = {"id": "编号", "title": "标题", "blocks": "计算内容", "sections": "下级各节"}


def parse_outline(data: Any, *, source: str = "outline.yaml") -> Outline:
    """An :class:`Outline` from parsed YAML; every problem at once.

    Raises
    ------
    OutlineError
        Not a mapping with ``sections``, a section without id or title, an unknown key,
        duplicate ids, an unknown block (with the valid ones), an unknown ``expand``.
    """
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise OutlineError(["应为含 sections 列表的映射（见 planeval/outline.yaml）"], source)
    seen: set[str] = set()

    def one(d: Any, where: str) -> Section | None:
        if not isinstance(d, dict):
            problems.append(f"{where}：每一节应为映射（id、title …），实际为“{d}”")
            return None
        unknown = sorted(set(map(str, d)) - _KEYS)
        if unknown:
            problems.append(
                f"{where}：不认识的键 {'、'.join(unknown)}（可用：{'、'.join(sorted(_KEYS))}）"
            )
        sid = d.get("id")
        title = d.get("title")
        if not isinstance(sid, str) or not sid.strip():
            problems.append(f"{where}：缺少编号 (id)")
            return None
        sid = sid.strip()
        here = f"{where}（{sid}）"
        if not _ID.match(sid):
            problems.append(f"{here}：编号 (id) 只能含字母、数字、汉字和 . _ -")
        if sid in seen:
            problems.append(f"{here}：编号 (id) 重复")
        seen.add(sid)
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{here}：缺少标题 (title)")
            title = sid
        blocks = d.get("blocks") or []
        if isinstance(blocks, str):
            blocks = [blocks]
        if not isinstance(blocks, list):
            problems.append(f"{here}：计算内容 (blocks) 应为列表")
            blocks = []
        for b in blocks:
            if block_family(str(b)) not in BLOCKS:
                problems.append(
                    f"{here}：未知的计算内容 (blocks)“{b}”（可用：{'、'.join(BLOCKS)}）"
                )
        expand = d.get("expand")
        if expand is not None and expand not in EXPANSIONS:
            problems.append(
                f"{here}：未知的展开方式 (expand)“{expand}”（可用：{'、'.join(EXPANSIONS)}）"
            )
            expand = None
        kids_raw = d.get("sections") or []
        if not isinstance(kids_raw, list):
            problems.append(f"{here}：下级各节 (sections) 应为列表")
            kids_raw = []
        kids = tuple(s for i, k in enumerate(kids_raw, 1) if (s := one(k, f"{here}第{i}节")))
        return Section(
            id=sid,
            title=str(title).strip(),
            numbered=bool(d.get("numbered", True)),
            blocks=tuple(str(b) for b in blocks),
            tasks=bool(d.get("tasks", True)),
            expand=expand,
            sections=kids,
        )

    tops = tuple(t for i, d in enumerate(data["sections"], 1) if (t := one(d, f"第{i}节")))
    placed = [b for s in tops for x in s.walk() for b in x.blocks]
    for b in sorted({b for b in placed if placed.count(b) > 1}):
        problems.append(f"计算内容“{b}”出现了不止一次")
    if problems:
        raise OutlineError(problems, source)
    return Outline(tops, source=source).numbered()


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise OutlineError([f"不是有效的 YAML（{str(e).splitlines()[0]}）"], path.name) from None


@functools.lru_cache(maxsize=1)
def default_outline() -> Outline:
    """The default outline (``planeval/outline.yaml``)."""
    return parse_outline(_read_yaml(DEFAULT_OUTLINE_FILE), source="planeval/outline.yaml")


def outline_file(root: str | Path | None) -> Path | None:
    if root is None:
        return None
    for name in OUTLINE_FILES:
        p = Path(root) / name
        if p.is_file():
            return p
    return None


def read_outline(root: str | Path | None) -> Outline:
    """The outline of the pack in folder ``root``: its ``outline.yaml``, or the default.

    Raises
    ------
    OutlineError
        The pack's outline is not valid (every problem, naming the file).
    """
    p = outline_file(root)
    if p is None:
        return default_outline()
    st = p.stat()
    return _read_cached(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=8)
def _read_cached(path: str, _mtime: int, _size: int) -> Outline:
    p = Path(path)
    return parse_outline(_read_yaml(p), source=p.name)


def describe(ol: Outline, *, blocks: bool = False) -> str:
    """What ``planeval outline`` prints: each section's number, title and id (the note slot
    ``notes/<id>.md`` and the 所属章节 of its tasks), indented by depth; with ``blocks``, the
    blocks each holds and then every block a section may hold."""
    lines = []
    for s in ol.walk():
        pad = "  " * (s.depth - 1)
        what = f"  计算内容：{'、'.join(s.blocks)}" if blocks and s.blocks else ""
        lines.append(f"{pad}{s.heading}  [{s.id}]{what}")
    if blocks:
        lines.append("")
        lines.append("可用的计算内容 (blocks)：")
        lines += [f"  {k}  {v[1]}" for k, v in BLOCKS.items()]
    return "\n".join(lines)
