"""县区对比: the counties of a batch side by side (HTML and xlsx).

Read from each county's ``metrics/*.json`` (what its chapters wrote), never recomputed:

- every indicator's value and verdict per county, as a matrix (a county a row, an indicator a
  column);
- the counties ranked on the main rates: 隐患整改率, 重大隐患整改率, 重大工程投资完成率, and the
  share of the plan's indicators 达到或基本符合时序进度要求 (超额完成/达到预期/基本符合);
- the counties with 较大以上 accidents, with overdue open major hazards, with lagging projects.

Every county cell links to that county's report by a relative link (``<县>/<slug>/report.html``,
with the anchor of the matching section when the report has one), so the output root can be
copied or served as a whole. A county whose report failed or whose figures are absent shows
“无数据”, never a zero, and is ranked after the others; a list (较大以上 accidents, overdue
hazards, lagging projects) says "none" only of the counties whose data cover it, names the
others as unknown, and names the period it speaks of. Under the matrix, each indicator's
现状值 basis (a year, a cumulative or an average since the plan began).
"""

from __future__ import annotations

import json
import math
import os
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planeval.indicators.progress import NOT_ASSESSED, VERDICTS
from planeval.narrative.phrasing import fmt_date, fmt_pct, fmt_value, pct_shown

ON_TRACK = ("超额完成", "达到预期", "基本符合")
NO_DATA = "无数据"
# Sections of a county report a cell links to: the heading of the outline's section of that
# chapter (its data-section), else the first heading containing one of the words.
SECTIONS = {
    "indicators": ("主要指标",),
    "risk": ("隐患", "安全生产"),
    "projects": ("重大工程",),
}
_HEADING = re.compile(r"<h[234]\b([^>]*)>(.*?)</h[234]>", re.S)
_ATTR = re.compile(r'(?<![\w-])(id|data-section)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


@dataclass
class CountyFigures:
    """What the comparison knows about one county."""

    county: str
    status: str  # the batch status: ok | skipped | failed
    link: str | None = None  # report.html relative to the output root
    anchors: dict[str, str] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] | None = None  # name → the indicator's metrics
    major_accidents: list[dict[str, Any]] | None = None  # the ledger's, with their details
    # 较大以上 count of each slice of the period (label, count; None: the data do not say)
    major_counts: list[tuple[str, int | None]] | None = None
    risk: dict[str, Any] | None = None  # risk metrics' totals
    projects: dict[str, Any] | None = None  # projects metrics' summary
    projects_as_of: str | None = None  # the 重大工程 ledger's date (ISO)
    # chapter id → title, of the chapters that failed in the county's report
    failed: dict[str, str] = field(default_factory=dict)

    def href(self, section: str | None = None) -> str | None:
        if self.link is None:
            return None
        anchor = self.anchors.get(section or "")
        return f"{self.link}#{anchor}" if anchor else self.link


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _anchors(report: Path) -> dict[str, str]:
    try:
        text = report.read_text(encoding="utf-8")
    except OSError:
        return {}
    heads = []
    for m in _HEADING.finditer(text):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("id"):
            heads.append((attrs["id"], attrs.get("data-section", ""), _TAG.sub("", m.group(2))))
    out = {}
    for key, words in SECTIONS.items():
        # the heading of the outline's section of that chapter (data-section="risk"); a
        # report without the marks (an older version's): the first heading with one of the
        # words
        hit = next((i for i, sec, _ in heads if sec == key), None) or next(
            (i for i, _, t in heads if any(w in t for w in words)), None
        )
        if hit:
            out[key] = hit
    return out


def collect(root: Path, county: str, status: str, target: Path | None) -> CountyFigures:
    """One county's figures from ``target/metrics`` (nothing when the report is absent)."""
    f = CountyFigures(county, status)
    if target is None or not (target / "report.html").is_file():
        return f
    f.link = Path(os.path.relpath(target / "report.html", root)).as_posix()
    f.anchors = _anchors(target / "report.html")
    mf = _read_json(target / "manifest.json") or {}
    f.failed = {
        str(c.get("id")): str(c.get("title") or c.get("id"))
        for c in mf.get("chapters") or []
        if isinstance(c, dict) and c.get("status") not in (None, "ok")
    }
    m = target / "metrics"
    ind = _read_json(m / "indicators.json")
    if ind is not None:
        f.indicators = {
            str(i.get("name")): i for i in ind.get("indicators") or [] if isinstance(i, dict)
        } or None
        acc = ind.get("major_accidents")
        f.major_accidents = list(acc) if isinstance(acc, list) else None
        years = ind.get("years")
        if isinstance(years, list) and years:
            f.major_counts = [
                (str(y.get("label") or ""), _count(y.get("major_count")))
                if isinstance(y, dict)
                else ("", None)
                for y in years
            ]
    risk = _read_json(m / "risk.json")
    if risk is not None and isinstance(risk.get("totals"), dict):
        f.risk = risk["totals"]
    proj = _read_json(m / "projects.json")
    if proj is not None and proj.get("available") and isinstance(proj.get("summary"), dict):
        f.projects = proj["summary"]
        f.projects_as_of = str(proj.get("ledger_as_of") or "") or None
    return f


# --------------------------------------------------------------------------- the tables
@dataclass
class Cell:
    """A table cell: what it shows, an optional link, a CSS class (verdicts, 无数据)."""

    shown: str  # the figure as printed (or 无数据, a name …)
    href: str | None = None
    cls: str = ""
    # what the page adds in brackets after the figure (a verdict, a rank): in the xlsx the
    # column beside it (NOTE_HEADS), so that a spreadsheet sorts the figures as numbers
    note: str = ""

    @property
    def text(self) -> str:
        """The cell as the page shows it: ``4（达到预期）``."""
        return f"{self.shown}（{self.note}）" if self.note else self.shown


# The tables whose figures carry a note, and the xlsx header of the notes' columns: one beside
# every column after the county's, whatever the counties' figures (the layout does not move).
NOTE_HEADS = {"主要指标对比": "评价", "主要比率排名": "名次/说明"}


def _num(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(x) else None  # NaN, inf: no figure


def _count(x: Any) -> int | None:
    v = _num(x)
    return None if v is None else int(v)


def indicator_matrix(figs: Sequence[CountyFigures]) -> tuple[list[str], list[list[Cell]]]:
    """Rows: each county, in the list's order, linked to its report; columns: each indicator
    (in the first county's order, then any other county's) with its unit, ``value（verdict）``
    linked to the county's indicators section. Counties are rows, as in the other tables: a
    province's hundred counties make a long table, not a hundred columns, and a spreadsheet
    sorts and filters rows. An indicator the counties give in different units has the unit
    in each cell, not in its header."""
    names: list[str] = []
    units: dict[str, set[str]] = {}
    for f in figs:
        for name, i in (f.indicators or {}).items():
            if name not in names:
                names.append(name)
            units.setdefault(name, set()).add(str(i.get("unit") or ""))
    one_unit = {n: next(iter(u)) for n, u in units.items() if len(u) == 1}
    header = ["县区", *[f"{n}（{one_unit[n]}）" if one_unit.get(n) else n for n in names]]
    rows = []
    for f in figs:
        row = [Cell(f.county, f.href())]
        for name in names:
            i = (f.indicators or {}).get(name)
            if f.indicators is None:
                row.append(Cell(NO_DATA, f.href(), "nodata"))
            elif i is None:
                row.append(Cell("未列入", f.href("indicators"), "nodata"))
            else:
                v = _num(i.get("current_value"))
                verdict = str(i.get("verdict") or NOT_ASSESSED)
                shown = fmt_value(v, int(i.get("digits") or 0)) if v is not None else NO_DATA
                if v is not None and name not in one_unit:
                    shown += str(i.get("unit") or "")
                cls = f"v{VERDICTS.index(verdict)}" if verdict in VERDICTS else "nodata"
                note = str(i.get("verdict_text") or verdict)
                row.append(Cell(shown, f.href("indicators"), cls, note))
        rows.append(row)
    return (header, rows) if names else (header, [])


def on_track_share(f: CountyFigures) -> float | None:
    """Share of the plan's indicators that are 超额完成, 达到预期 or 基本符合, over all of them
    (无法评价 included), as the county report counts them (规划确定的9项主要指标中，4项达到或
    基本符合时序进度要求); None when none could be assessed (no figure, not a zero)."""
    if not f.indicators:
        return None
    listed = list(f.indicators.values())
    if not any(i.get("verdict") in VERDICTS for i in listed):
        return None
    return sum(i.get("verdict") in ON_TRACK for i in listed) / len(listed)


def unassessed(f: CountyFigures) -> int:
    """How many of the county's indicators are 无法评价 (or carry no verdict)."""
    return sum(i.get("verdict") not in VERDICTS for i in (f.indicators or {}).values())


RATES: tuple[tuple[str, str, str, str, str], ...] = (
    # (title, section, how to get it, its denominator, said when that is 0)
    ("隐患整改率", "risk", "risk.rate", "risk.found", "期内未发现隐患"),
    ("重大隐患整改率", "risk", "risk.major_rate", "risk.major", "期内未发现重大隐患"),
    ("重大工程投资完成率", "projects", "projects.investment_rate",
     "projects.planned_investment", "无计划投资"),
    ("主要指标达到或基本符合时序进度要求的比例", "indicators", "on_track", "", ""),
)  # fmt: skip


def _figure(f: CountyFigures, where: str) -> float | None:
    """``"risk.rate"``: the number under that key of the county's risk totals (None: none)."""
    part, key = where.split(".")
    src = getattr(f, part)
    return _num(src.get(key)) if src else None


def rate(f: CountyFigures, how: str) -> float | None:
    return on_track_share(f) if how == "on_track" else _figure(f, how)


def _zero_base(f: CountyFigures, base: str) -> bool:
    """The county has the data and the rate's denominator is 0 (no rate, but not 无数据)."""
    return bool(base) and _figure(f, base) == 0


def ranks(values: Sequence[float | None]) -> list[int | None]:
    """Competition ranks, highest first (1, 1, 3); None (no figure) gets no rank.

    >>> ranks([0.9, None, 0.95, 0.9])
    [2, None, 1, 2]
    """
    have = [v for v in values if v is not None]
    return [None if v is None else 1 + sum(w > v for w in have) for v in values]


def ranking(figs: Sequence[CountyFigures]) -> tuple[list[str], list[list[Cell]]]:
    """The counties sorted by 隐患整改率 (then the other rates); each rate with its rank, ranked
    on the rate as printed (two counties shown 95.9% share a rank). 投资完成率 from ledgers of
    different dates carries its ledger's date."""
    cols = [[rate(f, how) for f in figs] for _, _, how, _, _ in RATES]
    rk = [ranks([None if v is None else pct_shown(v, 1) for v in c]) for c in cols]
    dates = {f.projects_as_of for f in figs if rate(f, "projects.investment_rate") is not None}
    order = sorted(
        range(len(figs)),
        key=lambda j: tuple((r[j] is None, r[j] or 0) for r in rk) + (j,),
    )
    header = ["县区", *[t[0] for t in RATES]]
    rows = []
    for j in order:
        f = figs[j]
        row = [Cell(f.county, f.href(), "" if f.link else "nodata")]
        for (_, section, how, base, zero), c, r in zip(RATES, cols, rk, strict=True):
            if c[j] is None and _zero_base(f, base):
                row.append(Cell("—", f.href(section), "nodata", zero))
            elif c[j] is None:
                row.append(Cell(NO_DATA, f.href(section), "nodata"))
            else:
                note = f"第{r[j]}名"
                if section == "projects" and len(dates) > 1 and f.projects_as_of:
                    note += f"，截至{fmt_date(f.projects_as_of)}"
                if how == "on_track" and unassessed(f):
                    note += f"，{unassessed(f)}项无法评价"
                row.append(Cell(fmt_pct(c[j]), f.href(section), note=note))
        rows.append(row)
    return header, rows


def major_accidents(figs: Sequence[CountyFigures]) -> tuple[list[str], list[list[Cell]]]:
    """A row per 较大以上 accident of the ledgers; where a slice's count (a year's 年度汇总, with
    no ledger) is more than the ledger lists for it, a row saying how many more."""
    header = ["县区", "发生日期", "等级", "行业领域", "事故类型", "死亡（含失踪，人）", "单位"]
    rows = []
    for f in figs:
        listed = f.major_accidents or []
        for a in listed:
            deaths = _num(a.get("deaths"))
            rows.append(
                [
                    Cell(f.county, f.href("indicators")),
                    Cell(fmt_date(a.get("date"))),
                    Cell(str(a.get("grade") or "—")),
                    Cell(str(a.get("sector") or "—")),
                    Cell(str(a.get("type") or "—")),
                    Cell(fmt_value(deaths)),
                    Cell(str(a.get("unit") or "—")),
                ]
            )
        for label, n in f.major_counts or []:
            more = (n or 0) - sum(str(a.get("date") or "")[:4] == label[:4] for a in listed)
            if more > 0:
                rows.append(
                    [
                        Cell(f.county, f.href("indicators")),
                        Cell(f"{label}（年度汇总）"),
                        Cell(f"较大以上{more}起"),
                        *[Cell("—") for _ in range(4)],
                    ]
                )
    return header, rows


def overdue_major(figs: Sequence[CountyFigures]) -> tuple[list[str], list[list[Cell]]]:
    header = ["县区", "逾期未整改重大隐患（项）", "未整改重大隐患（项）", "重大隐患整改率"]
    rows = []
    for f in figs:
        r = f.risk or {}
        n = _num(r.get("overdue_open_major"))
        if n:
            mr = _num(r.get("major_rate"))
            rows.append(
                [
                    Cell(f.county, f.href("risk")),
                    Cell(fmt_value(n)),
                    Cell(fmt_value(_num(r.get("open_major")))),
                    Cell(fmt_pct(mr) if mr is not None else NO_DATA),
                ]
            )
    return header, rows


def no_report(f: CountyFigures) -> str:
    """Why a county has no report to compare (the page's list, each table's notes, the xlsx)."""
    return "本次报告生成失败" if f.status == "failed" else "报告未生成"


def _chapter_failed(f: CountyFigures, chapter: str) -> str | None:
    """``丙县（“提升风险管控能力”一章生成失败）`` when that chapter failed in this report (its
    figures are absent because of it, not because a ledger is)."""
    title = f.failed.get(chapter)
    if title is None:
        return None
    from planeval.outline import unnumbered

    return f"{f.county}（“{unnumbered(title)}”一章生成失败）"


def _gap_majors(f: CountyFigures) -> str | None:
    """The county as the accidents list names it when it cannot speak for it (None: it can):
    ``丙县（无较大以上事故数据）``, ``丙县2021年（无较大以上事故数据）`` for some years only."""
    if f.link is None:
        return f"{f.county}（{no_report(f)}）"
    counts = f.major_counts or []
    if not counts and (why := _chapter_failed(f, "indicators")):
        return why
    unknown = [label for label, n in counts if n is None]
    if counts and not unknown:
        return None
    years = "、".join(unknown) if counts and len(unknown) < len(counts) else ""
    return f"{f.county}{years}（无较大以上事故数据）"


def _gap_overdue(f: CountyFigures) -> str | None:
    if f.link is None:
        return f"{f.county}（{no_report(f)}）"
    known = f.risk is not None and _num(f.risk.get("overdue_open_major")) is not None
    if known:
        return None
    return _chapter_failed(f, "risk") or f"{f.county}（无隐患台账）"


def _gap_projects(f: CountyFigures) -> str | None:
    if f.link is None:
        return f"{f.county}（{no_report(f)}）"
    if f.projects is not None:
        return None
    return _chapter_failed(f, "projects") or f"{f.county}（无重大工程台账）"


LAG_KINDS = (
    ("delayed", "进度滞后"),
    ("cannot_finish", "难以按期完工"),
    ("not_started_overdue", "逾期未开工"),
    ("undecided", "开工日期未确定，能否在规划期内完工待跟踪"),
    ("investment_lag", "投资完成滞后"),
)


def lagging_projects(figs: Sequence[CountyFigures]) -> tuple[list[str], list[list[Cell]]]:
    """A row per project behind (or whose finishing cannot be judged), with its ledger's date."""
    header = ["县区", "项目", "情形", "台账截至"]
    rows = []
    for f in figs:
        s = f.projects or {}
        found: dict[str, list[str]] = {}
        for key, label in LAG_KINDS:
            for name in s.get(key) or []:
                found.setdefault(str(name), []).append(label)
        for name, labels in found.items():
            rows.append(
                [
                    Cell(f.county, f.href("projects")),
                    Cell(name),
                    Cell("、".join(labels)),
                    Cell(fmt_date(f.projects_as_of)),
                ]
            )
    return header, rows


def not_built(figs: Sequence[CountyFigures]) -> list[CountyFigures]:
    return [f for f in figs if f.link is None]


# --------------------------------------------------------------------------- writers
@dataclass
class Section:
    """One table of the comparison, as the page and the workbook show it."""

    title: str
    empty: str  # said instead of the table when it has no row
    header: list[str]
    rows: list[list[Cell]]
    # said under it: what its figures are (the indicators' bases), or the counties a list
    # cannot speak for (no such data, no report)
    note: str = ""


def _absent(
    figs: Sequence[CountyFigures], gap, when: str, none_said: str, unknown_said: str
) -> tuple[str, str]:
    """(what to say when no county is listed, the counties the list cannot speak for).

    A list says "none" only of the counties whose data cover it (``gap(f)`` None), for the
    time it is true of (``when``: “2023年上半年”, “截至2023年6月30日”): of 各县区 when all do,
    else by name (up to five) or as 其余N个县区; the others are named with why (no such data,
    some years without it, no report) — absence is not zero.
    """
    gaps = [(f, gap(f)) for f in figs]
    unknown = [why for _, why in gaps if why is not None]
    known = [f.county for f, why in gaps if why is None]
    note = f"{'、'.join(unknown)}{unknown_said}。" if unknown else ""
    if not unknown:
        empty = f"{when}，各县区均{none_said}。"
    elif len(known) == 1:
        empty = f"{when}，{known[0]}{none_said}。"
    elif known and len(known) <= 5:
        empty = f"{when}，{'、'.join(known)}均{none_said}。"
    elif known:
        empty = f"{when}，其余{len(known)}个县区均{none_said}。"
    else:
        empty = ""
    return empty, note


def basis_note(figs: Sequence[CountyFigures]) -> str:
    """What the matrix's figures are: each indicator's 现状值 basis (“2022年”, “2021年至2023年
    上半年累计”), the indicators of one basis together; an indicator whose counties give it on
    different bases is said to be so."""
    bases: dict[str, set[str]] = {}
    for f in figs:
        for name, i in (f.indicators or {}).items():
            b = str(i.get("current_basis") or "").strip()
            if b and _num(i.get("current_value")) is not None:  # a figure shown, on a basis
                bases.setdefault(name, set()).add(b)
    groups: dict[str, list[str]] = {}
    mixed = []
    for name, bs in bases.items():
        if len(bs) == 1:
            groups.setdefault(next(iter(bs)), []).append(name)
        else:
            mixed.append(name)
    parts = [f"{'、'.join(names)}为{b}" for b, names in groups.items()]
    if mixed:
        parts.append(f"{'、'.join(mixed)}各县区口径不一（见各县区报告）")
    return f"现状值口径：{'；'.join(parts)}。" if parts else ""


def comparison_tables(
    figs: Sequence[CountyFigures], period: str = "评估期内", as_of: str = "评估期末"
) -> list[Section]:
    """The comparison's tables in the report's order. The lists' sentences name the time they
    are true of: ``period`` (the period's label) for the accidents in it, ``as_of`` (its end,
    “2023年6月30日”) for the hazards still open then, the ledgers' date for the projects."""
    sections = [
        Section(
            "主要指标对比", "各县区均无指标数据。", *indicator_matrix(figs), note=basis_note(figs)
        ),
        Section("主要比率排名", "", *ranking(figs)),
    ]
    dates = {f.projects_as_of for f in figs if _gap_projects(f) is None}
    projects_when = (
        f"截至{fmt_date(next(iter(dates)))}"
        if len(dates) == 1 and None not in dates
        else "截至各县区重大工程台账的填报时点"
    )
    for title, rows_of, gap, when, none_said, unknown_said in (
        ("发生较大以上生产安全事故的县区", major_accidents, _gap_majors, period,
         "未发生较大以上生产安全事故", "是否发生较大以上生产安全事故未知"),
        ("存在逾期未整改重大隐患的县区", overdue_major, _gap_overdue, f"截至{as_of}",
         "无逾期未整改的重大隐患", "是否存在逾期未整改的重大隐患未知"),
        ("重大工程滞后的县区", lagging_projects, _gap_projects, projects_when,
         "无滞后的重大工程项目", "重大工程是否滞后未知"),
    ):  # fmt: skip
        empty, note = _absent(figs, gap, when, none_said, unknown_said)
        sections.append(Section(title, empty, *rows_of(figs), note=note))
    return sections


def write_html(
    figs: Sequence[CountyFigures],
    path: Path,
    *,
    title: str,
    period: str,
    label: str = "评估期内",
    as_of: str = "评估期末",
) -> Path:
    """The comparison as one self-contained HTML file (fonts embedded, no external resource);
    ``label``: the period's label, which the lists' sentences name."""
    import jinja2
    from bs4 import BeautifulSoup

    from planeval.report.stitch import font_css

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("planeval.batch", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # County folders are Chinese: percent-encode the path, keep the anchor.
    env.filters["href"] = lambda h: urllib.parse.quote(h, safe="/#")
    doc = env.get_template("compare.html.j2").render(
        title=title,
        period=period,
        tables=comparison_tables(figs, label, as_of),
        missing=[(f.county, no_report(f)) for f in not_built(figs)],
        counties=figs,
        verdicts=VERDICTS,
        fonts="/*FONTS*/",
    )
    doc = doc.replace("/*FONTS*/", font_css(BeautifulSoup(doc, "html.parser")), 1)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(doc, encoding="utf-8")
    tmp.replace(path)
    return path


_LINK = re.compile(r'<a\s+href="[^"]*">(.*?)</a>', re.S)
_LINKS_NOTE = re.compile(r'<span class="links-note">.*?</span>', re.S)


def write_pdf(html_path: Path, path: Path) -> Path:
    """The comparison page as a PDF to send upward or print (A4 landscape, fonts embedded,
    nothing fetched from outside). Without its links: they open the county reports beside
    the page, and a PDF carries absolute paths of this machine that mean nothing elsewhere."""
    from planeval.report.pdf import page_document

    page = _LINK.sub(r"\1", html_path.read_text(encoding="utf-8"))
    doc = page_document(_LINKS_NOTE.sub("", page))  # "click a county": it has no links
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    doc.write_pdf(tmp)
    tmp.replace(path)
    return path


def write_xlsx(
    figs: Sequence[CountyFigures],
    path: Path,
    *,
    title: str,
    label: str = "评估期内",
    as_of: str = "评估期末",
) -> Path:
    """The same tables as sheets: every county and figure cell a relative hyperlink to the
    county's report, as on the page; each figure a number as printed, its verdict or rank
    (:data:`NOTE_HEADS`) in the column beside it; text never evaluated as a formula; the
    page's sentences (an empty list's, the notes under a table) in rows below the table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from planeval.report.exports import cell_value, put_text

    wb = Workbook()
    wb.remove(wb.active)
    head_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for sec in comparison_tables(figs, label, as_of):
        sheet_title, empty, header, rows = sec.title, sec.empty, sec.header, sec.rows
        ws = wb.create_sheet(sheet_title[:31])
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=13)
        # a table whose figures carry a note (a verdict, a rank): beside each figure column
        # (all after the county's) a column for the notes
        note_head = NOTE_HEADS.get(sheet_title)
        heads = [header[0]]
        for h in header[1:]:
            heads += [h, note_head] if note_head else [h]
        ws.append(heads)
        for c in ws[2]:
            c.font, c.fill = head_font, fill
        for row in rows:
            ws.append([None] * len(heads))
            cells = iter(ws[ws.max_row])
            for j, c in enumerate(row):
                cell = next(cells)
                # a figure as printed (99.96 % is printed 99.9 %, never the 100.0 % Excel
                # would show for 0.9996), in its printed format; text never evaluated
                value, fmt = cell_value(c.shown)
                if isinstance(value, str):
                    put_text(cell, value)
                else:
                    cell.value, cell.number_format = value, fmt
                if c.href:
                    cell.hyperlink = c.href
                    cell.font = Font(color="1F4E79", underline="single")
                if note_head and j:
                    note = next(cells)
                    if c.note:
                        put_text(note, c.note)
        for col in ws.columns:
            # as wide as the values (a long indicator name wraps in its header, up to 12
            # characters a line)
            cells = list(col)[1:]
            head = len(str(cells[0].value or "")) if cells else 0
            width = max([min(head, 12), *(len(str(c.value or "")) for c in cells[1:])], default=8)
            ws.column_dimensions[col[0].column_letter].width = min(40, max(8, width * 1.8 + 2))
        for row in ws.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(vertical="top", wrap_text=True)
        # the sentences after the widths: a line each, running on across the empty cells
        for said in ([empty] if not rows and empty else []) + ([sec.note] if sec.note else []):
            ws.append([None])
            put_text(ws.cell(ws.max_row, 1), said)
        ws.freeze_panes = "B3"
    if not_built(figs):
        ws = wb.create_sheet("没有本次报告的县区")
        ws.append(["县区", "状态"])
        for f in not_built(figs):
            ws.append([f.county, no_report(f)])
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def write_comparison(counties, outcomes) -> dict[str, Path]:
    """Write ``<out>/县区对比-<slug>.html`` and ``.xlsx`` for a batch.

    Parameters
    ----------
    counties : the batch's :class:`~planeval.batch.counties.CountyList`.
    outcomes : its :class:`~planeval.batch.build.CountyOutcome` list, in the same order.

    Returns
    -------
    dict
        ``{"html": path, "xlsx": path}``.
    """
    first = counties.params[0]
    root, slug = first.out_path, first.period_obj.slug
    figs = []
    for p, o in zip(counties.params, outcomes, strict=True):
        target = Path(o.target) if o.target else p.target_dir()
        # a failed county's report from an earlier run (this run's never replaced it) is not
        # this period's figures: the county is shown as not built
        built = (o.report or o.ok) and o.current
        figs.append(collect(root, p.county, o.status, target if built else None))
    label, as_of = first.period_obj.label, fmt_date(first.period_obj.end)
    title = f"县区对比：{label}规划实施评估"
    said = {"title": title, "label": label, "as_of": as_of}
    return {
        "html": write_html(figs, root / f"县区对比-{slug}.html", period=slug, **said),
        "xlsx": write_xlsx(figs, root / f"县区对比-{slug}.xlsx", **said),
    }
