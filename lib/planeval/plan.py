"""The plan being evaluated, as data: its name, its years, its base year.

A county's plan is named after the Five-Year Plan it belongs to (十四五, 十五五 …). Everything the
report says about the plan's time follows one :class:`Plan`: the named evaluations (中期 = the
plan's first two and a half years, 总结 = the whole plan), 时序进度 (the share of the plan's
months elapsed), the titles, the verdict words of a final evaluation and the sentences about the
next plan (衔接“十五五”规划).

The plan is read from the data pack's ``plan.yaml`` (规划.yaml also works); a pack without one
evaluates :data:`DEFAULT_PLAN`. The file needs only the name — the years of a numbered
Five-Year Plan follow from it — and may state them::

    name: 十五五          # 规划名称（规划期、基期由名称推出，也可写明）
    start: 2026-01-01    # 规划期起（可选）
    end: 2030-12-31      # 规划期止（可选）
    base_year: 2025      # 基期年份（可选，默认规划期起的上一年）
    midterm_end: 2028-06-30  # 中期评估截止日（可选，默认第三年6月30日）

Examples
--------
>>> DEFAULT_PLAN.name, DEFAULT_PLAN.start, DEFAULT_PLAN.end, DEFAULT_PLAN.base_year
('十四五', datetime.date(2021, 1, 1), datetime.date(2025, 12, 31), 2020)
>>> p = Plan.named("十五五")
>>> p.start, p.end, p.base_year, p.midterm_end, p.next_name
(datetime.date(2026, 1, 1), datetime.date(2030, 12, 31), 2025, datetime.date(2028, 6, 30), '十六五')
>>> p.quoted, p.years
('“十五五”', (2026, 2027, 2028, 2029, 2030))
"""

from __future__ import annotations

import calendar
import contextlib
import contextvars
import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

PLAN_FILES = ("plan.yaml", "规划.yaml")

_CN_DIGITS = "零一二三四五六七八九"


class PlanError(ValueError):
    """A plan file or plan value that cannot be used (message in Chinese, names the field)."""


def cn_ordinal(n: int) -> str:
    """1 → 一, 14 → 十四, 15 → 十五, 20 → 二十, 21 → 二十一 (1 ≤ n ≤ 99)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _from_cn(text: str) -> int | None:
    """十四 → 14, 十五 → 15, 二十一 → 21, 九 → 9; None when ``text`` is not such a numeral."""
    m = re.fullmatch(r"([二三四五六七八九]?)(十?)([一二三四五六七八九]?)", text)
    if not m or not text:
        return None
    tens = (_CN_DIGITS.index(m[1]) if m[1] else 1) if m[2] else 0
    if m[1] and not m[2]:
        return None
    ones = _CN_DIGITS.index(m[3]) if m[3] else 0
    return tens * 10 + ones or None


def five_year_number(name: str) -> int | None:
    """The number of a Five-Year Plan name: 十四五 → 14, “十五五”规划 → 15; None otherwise."""
    m = re.search(r"([一二三四五六七八九十]{1,3})五", name.strip("“”\"' "))
    return _from_cn(m[1]) if m else None


def five_year_start(n: int) -> int:
    """First year of the n-th Five-Year Plan (the 3rd began in 1966 after the 1963–65
    adjustment years; the 1st in 1953): 14 → 2021, 15 → 2026."""
    if n < 3:
        return 1953 + 5 * (n - 1)
    return 1966 + 5 * (n - 3)


class Plan(BaseModel):
    """A plan: name, period and base year (immutable, hashable).

    Attributes
    ----------
    name : ``十四五`` (written without quotation marks; :attr:`quoted` adds them).
    start, end : first and last day of the plan period.
    base_year : the year the plan's targets are measured against (基期).
    midterm_end : last day covered by the 中期评估 (default: 30 June of the third year).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    name: str = Field(validation_alias=AliasChoices("name", "名称", "规划", "规划名称"))
    start: dt.date = Field(validation_alias=AliasChoices("start", "开始", "起始", "规划期起"))
    end: dt.date = Field(validation_alias=AliasChoices("end", "结束", "截止", "规划期止"))
    base_year: int = Field(validation_alias=AliasChoices("base_year", "基期", "基期年份"))
    midterm_end: dt.date = Field(
        validation_alias=AliasChoices("midterm_end", "中期截止", "中期评估截止")
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_name(cls, data: Any) -> Any:
        """Years a numbered Five-Year Plan implies, for the fields the file leaves out."""
        if not isinstance(data, dict):
            return data
        d = dict(data)
        key = next((k for k in ("name", "名称", "规划", "规划名称") if k in d), None)
        if key is not None and isinstance(d[key], str):
            d[key] = d[key].strip().strip("“”\"'").removesuffix("规划").strip("“”\"'")
        name = d.get(key) if key else None
        given = set(d)
        n = five_year_number(name) if isinstance(name, str) else None

        def has(*keys: str) -> bool:
            return bool(given & set(keys))

        if n is not None:
            y0 = five_year_start(n)
            if not has("start", "开始", "起始", "规划期起"):
                d["start"] = dt.date(y0, 1, 1)
            if not has("end", "结束", "截止", "规划期止"):
                d["end"] = dt.date(y0 + 4, 12, 31)
        start = next((d[k] for k in ("start", "开始", "起始", "规划期起") if k in d), None)
        start = _as_date(start)
        if start is not None:
            if not has("base_year", "基期", "基期年份"):
                d["base_year"] = start.year - 1
            if not has("midterm_end", "中期截止", "中期评估截止"):
                d["midterm_end"] = dt.date(start.year + 2, 6, 30)
        return d

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("不能为空（如 十五五）")
        return v

    @model_validator(mode="after")
    def _check(self) -> Plan:
        if self.end <= self.start:
            raise ValueError(f"规划期止 (end) {self.end} 不晚于规划期起 (start) {self.start}")
        if not (self.start <= self.midterm_end < self.end):
            raise ValueError(
                f"中期评估截止日 (midterm_end) {self.midterm_end} 应在规划期 {self.start}—{self.end} 内"
            )
        if not (self.start.year - 10 <= self.base_year < self.start.year + 1):
            raise ValueError(
                f"基期年份 (base_year) {self.base_year} 应不晚于规划期起始年 {self.start.year}"
            )
        return self

    # ------------------------------------------------------------ construction
    @classmethod
    def named(cls, name: str, **fields: Any) -> Plan:
        """The plan ``name`` (十五五) with the years its number implies; ``fields`` override.

        Raises
        ------
        PlanError
            A name that is not a numbered Five-Year Plan and no ``start``/``end`` given.
        """
        return parse_plan({"name": name, **fields}, source="规划")

    # ------------------------------------------------------------- properties
    @property
    def quoted(self) -> str:
        """“十四五” (as titles and sentences write it)."""
        return f"“{self.name}”"

    @property
    def years(self) -> tuple[int, ...]:
        """The calendar years of the plan: (2021, …, 2025)."""
        return tuple(range(self.start.year, self.end.year + 1))

    @property
    def n_years(self) -> float:
        """Length in years by months (5.0 for a Five-Year Plan)."""
        return _months_between(self.start, self.end) / 12

    @property
    def months(self) -> float:
        return _months_between(self.start, self.end)

    @property
    def span_label(self) -> str:
        """2021—2025年 (whole years) or 2021年1月1日—2025年12月31日."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return f"{self.start.year}—{self.end.year}年"
        return f"{_cn(self.start)}—{_cn(self.end)}"

    @property
    def next_name(self) -> str | None:
        """The next Five-Year Plan's name (十四五 → 十五五); None for a plan without a number."""
        n = five_year_number(self.name)
        return f"{cn_ordinal(n + 1)}五" if n is not None and n < 99 else None

    @property
    def next_quoted(self) -> str:
        """“十五五”, or 下一规划期 when the plan has no number."""
        nxt = self.next_name
        return f"“{nxt}”" if nxt else "下一规划期"

    def elapsed_share(self, end: dt.date) -> float:
        """时序进度 at ``end``: share of the plan's months elapsed (0..1, partial months by days).

        >>> DEFAULT_PLAN.elapsed_share(dt.date(2023, 6, 30))
        0.5
        >>> Plan.named("十五五").elapsed_share(dt.date(2026, 12, 31))
        0.2
        """
        if end < self.start:
            return 0.0
        return round(_months_between(self.start, min(end, self.end)) / self.months, 6)

    def years_left(self, end: dt.date) -> float:
        """Years of the plan left after ``end`` (2.5 at the 十四五 mid-term)."""
        return self.n_years * (1 - self.elapsed_share(end))

    def contains(self, d: dt.date) -> bool:
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.quoted


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


def _months_between(start: dt.date, end: dt.date) -> float:
    """Months from ``start`` (inclusive) to ``end`` (inclusive), partial months by days."""
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    frac = end.day / calendar.monthrange(end.year, end.month)[1]
    start_frac = (start.day - 1) / calendar.monthrange(start.year, start.month)[1]
    return whole + frac - start_frac


_FIELD_ZH = {
    "name": "规划名称",
    "start": "规划期起",
    "end": "规划期止",
    "base_year": "基期年份",
    "midterm_end": "中期评估截止日",
}


def parse_plan(data: Any, *, source: str = "plan.yaml") -> Plan:
    """A :class:`Plan` from a mapping (a parsed ``plan.yaml``, a parameter), or a plan name.

    Raises
    ------
    PlanError
        With every problem, in Chinese with the English field name, naming ``source``.
    """
    if isinstance(data, Plan):
        return data
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict):
        raise PlanError(f"{source}：应为键值映射（name: 十五五 …），实际为 {type(data).__name__}")
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        msgs = []
        errors = e.errors()
        no_start = any(x["type"] == "missing" and x["loc"] == ("start",) for x in errors)
        if any(x["loc"] == ("name",) for x in errors):  # a blank name: nothing else follows
            errors = [x for x in errors if x["loc"] == ("name",)]
        for err in errors:
            loc = ".".join(str(x) for x in err["loc"])
            if no_start and err["type"] == "missing" and loc in ("base_year", "midterm_end"):
                continue  # follow from start: only start is worth asking for
            field = f"{_FIELD_ZH.get(loc, loc)} ({loc})" if loc else ""
            text = str(err.get("msg", "")).removeprefix("Value error, ")
            if err["type"] == "missing":
                text = "缺少此项（名称不是“十N五”形式时须写明规划期起止）"
            elif err["type"] == "extra_forbidden":
                text = "不认识的键（可用：name、start、end、base_year、midterm_end）"
            elif err["type"].startswith(("date", "int")):
                text = f"值“{err.get('input')}”无法识别（日期写作 2026-01-01，年份写作 2025）"
            msgs.append(f"{field}：{text}" if field else text)
        raise PlanError(f"{source}：" + "；".join(msgs)) from None


DEFAULT_PLAN = Plan(
    name="十四五",
    start=dt.date(2021, 1, 1),
    end=dt.date(2025, 12, 31),
    base_year=2020,
    midterm_end=dt.date(2023, 6, 30),
)


_CURRENT: contextvars.ContextVar[Plan | None] = contextvars.ContextVar(
    "planeval_plan", default=None
)
_PROCESS: list[Plan] = [DEFAULT_PLAN]  # the kernel's plan, for code outside any use_plan()


def current_plan() -> Plan:
    """The plan being evaluated here: the one set by :func:`use_plan` in this context, else
    the process's (:func:`use_plan` with ``process=True``), else :data:`DEFAULT_PLAN`.

    A chapter sets it for its kernel from its pack (``open_chapter``), so that periods made
    without an explicit plan and the narrative templates (``{{ plan.quoted }}``) follow the
    pack's plan. (A notebook cell runs in its own copy of the context, so a context variable
    set in one cell would be gone in the next: hence the process's plan.)
    """
    return _CURRENT.get() or _PROCESS[0]


def use_plan(plan: Plan, *, process: bool = False) -> contextvars.Token | None:
    """Make ``plan`` the :func:`current_plan`: in this context (returns the token to reset
    it), or, with ``process=True``, for the whole process (a chapter's kernel; returns None)."""
    if process:
        _PROCESS[0] = plan
        return None
    return _CURRENT.set(plan)


@contextlib.contextmanager
def using_plan(plan: Plan) -> Iterator[Plan]:
    """``with using_plan(pack.plan):`` — :func:`current_plan` is ``plan`` inside the block
    (this thread and context only: counties of a batch in one process do not mix)."""
    token = _CURRENT.set(plan)
    try:
        yield plan
    finally:
        _CURRENT.reset(token)


def plan_file(root: str | Path) -> Path | None:
    """The pack's plan file (``plan.yaml`` or ``规划.yaml``), or None."""
    for name in PLAN_FILES:
        p = Path(root) / name
        if p.is_file():
            return p
    return None


def read_plan(root: str | Path | None) -> Plan:
    """The plan of the data pack in folder ``root`` (:data:`DEFAULT_PLAN` without a plan file).

    Raises
    ------
    PlanError
        The file is not YAML, or its plan is not valid (message names the file and the field).
    """
    if root is None:
        return DEFAULT_PLAN
    p = plan_file(root)
    if p is None:
        return DEFAULT_PLAN
    st = p.stat()
    return _read_cached(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=16)
def _read_cached(path: str, _mtime: int, _size: int) -> Plan:
    import yaml

    name = Path(path).name
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise PlanError(f"{name}：不是有效的 YAML（{str(e).splitlines()[0]}）") from None
    if data is None:
        return DEFAULT_PLAN
    return parse_plan(data, source=name)
