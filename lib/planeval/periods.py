"""Evaluation periods: parsing, Chinese labels, same period a year earlier, 时序进度.

>>> p = Period.parse("midterm")
>>> p.label
'2021年至2023年上半年'
>>> p.plan_elapsed_share
0.5
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from planeval.plan import Plan, current_plan


class PeriodError(ValueError):
    """A period string that cannot be read (message in Chinese, names the value)."""


_QUARTER_ZH = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_QUARTER_DIGIT = {"一": "1", "二": "2", "三": "3", "四": "4"}
# One day inside a range: 2021-01-01, 2021/1/1, 2021.1.1 or 2021年1月1日.
_DAY = r"\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)"

# Every accepted form, as messages and help texts list them.
ACCEPTED_ZH = (
    "可写作 2022 或 2022年（年度）、2023年上半年 或 2023H1（半年）、2023年第三季度 或 2023Q3（季度）、"
    "中期 或 midterm（规划期前两年半）、总结 或 final（整个规划期）、"
    "2021-01-01..2023-06-30（起止日期），定时任务还可用 last-half、last-year、last-quarter"
)


def _plain(s: str) -> str:
    """Full-width digits and letters to ASCII (２０２２ → 2022); spaces inside removed."""
    return unicodedata.normalize("NFKC", s).replace(" ", "") if s else s


def _day(s: str, shown: str) -> date:
    y, m, d = (int(x) for x in re.split(r"[-/.年月日]", s)[:3])
    try:
        return date(y, m, d)
    except ValueError:
        raise PeriodError(f"评估期 (period) “{shown}” 中的日期 {s} 不存在") from None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_between(start: date, end: date) -> float:
    """Months from ``start`` (inclusive) to ``end`` (inclusive), partial months by days."""
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    days_in_month = calendar.monthrange(end.year, end.month)[1]
    frac = end.day / days_in_month
    start_frac = (start.day - 1) / calendar.monthrange(start.year, start.month)[1]
    return whole + frac - start_frac


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, order=True)
class Period:
    """A closed date interval ``start..end`` with the kind it was written as.

    kind is one of ``year``, ``half``, ``quarter``, ``midterm``, ``final``, ``range``.
    ``plan`` is the plan the period is evaluated in (:func:`planeval.plan.current_plan` unless
    given): it fixes the named evaluations and 时序进度; it takes no part in equality or order.
    """

    start: date
    end: date
    kind: str = "range"
    plan: Plan = field(default_factory=current_plan, compare=False, repr=False)

    # ---------------------------------------------------------------- parsing
    @classmethod
    def parse(
        cls, text: str | int, *, today: date | None = None, plan: Plan | None = None
    ) -> Period:
        """Read a period as an analyst or a parameter file writes it.

        Accepted (full-width digits too; an ``int`` such as an unquoted YAML ``2022`` as well):

        - a year: ``2022``, ``2022年``, ``2022年度``;
        - a half year: ``2023H1``, ``2023年上半年``, ``2023年下半年``;
        - a quarter: ``2023Q3``, ``2023年第三季度``, ``2023年三季度``, ``2023年第3季度``;
        - the plan's evaluations: ``midterm``/``中期``/``中期评估`` (the plan's start to its
          ``midterm_end``: 2021-01-01..2023-06-30 for 十四五), ``final``/``总结``/``总结评估``
          (the whole plan);
        - a date range: ``2021-01-01..2023-06-30`` (also with ``至`` or ``~`` between the dates,
          and dates written ``2021/1/1``, ``2021.1.1`` or ``2021年1月1日``).

        For scheduled runs, ``last-half``, ``last-year`` and ``last-quarter`` name the most
        recent period that has ended before ``today`` (default: the real date).

        ``plan`` (default :func:`~planeval.plan.current_plan`) is carried by the period.

        >>> Period.parse("2023年上半年").slug, Period.parse(2022).label
        ('2023H1', '2022年')
        >>> from planeval.plan import Plan
        >>> Period.parse("midterm", plan=Plan.named("十五五")).as_range()
        '2026-01-01..2028-06-30'
        """
        pl = plan or current_plan()
        if isinstance(text, Period):
            return text if plan is None else text.in_plan(plan)
        return cls._parse(text, today, pl).in_plan(pl)

    @classmethod
    def _parse(cls, text: str | int, today: date | None, plan: Plan) -> Period:
        if isinstance(text, bool) or not isinstance(text, str | int):
            raise PeriodError(
                f'评估期 (period) 应为文本，如 "2023年上半年"，实际为 {type(text).__name__} “{text}”'
            )
        shown = str(text).strip()
        s = _plain(shown)
        low = s.lower()
        if low in ("last-half", "last-year", "last-quarter"):
            return cls._last(low, today or date.today())
        if low in ("midterm", "mid-term", "中期", "中期评估"):
            return cls(plan.start, plan.midterm_end, "midterm")
        if low in ("final", "总结", "总结评估"):
            return cls(plan.start, plan.end, "final")
        if m := re.fullmatch(r"(\d{4})(?:年度?)?", s):
            y = int(m[1])
            return cls(date(y, 1, 1), date(y, 12, 31), "year")
        half = re.fullmatch(r"(\d{4})[Hh]([12])", s) or re.fullmatch(r"(\d{4})年([上下])半年", s)
        if m := half:
            y, h = int(m[1]), 1 if m[2] in ("1", "上") else 2
            return cls(date(y, 1 if h == 1 else 7, 1), _month_end(y, 6 if h == 1 else 12), "half")
        quarter = re.fullmatch(r"(\d{4})[Qq]([1-4])", s) or re.fullmatch(
            r"(\d{4})年第?([1-4一二三四])季度", s
        )
        if m := quarter:
            y, q = int(m[1]), int(_QUARTER_DIGIT.get(m[2], m[2]))
            return cls(date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter")
        if m := re.fullmatch(rf"({_DAY})\s*(?:\.\.|至|~|～)\s*({_DAY})", s):
            a, b = _day(m[1], shown), _day(m[2], shown)
            if b < a:
                raise PeriodError(f"评估期 (period) “{shown}” 的结束日期早于开始日期")
            return cls(a, b, "range")
        raise PeriodError(f"评估期 (period) “{shown}” 无法识别：{ACCEPTED_ZH}")

    @classmethod
    def _last(cls, which: str, today: date) -> Period:
        if which == "last-year":
            return cls.parse(str(today.year - 1))
        if which == "last-half":
            return cls.parse(f"{today.year}H1" if today.month >= 7 else f"{today.year - 1}H2")
        q = (today.month - 1) // 3  # quarters fully ended this year
        return cls.parse(f"{today.year}Q{q}" if q else f"{today.year - 1}Q4")

    def in_plan(self, plan: Plan) -> Period:
        """The same dates, evaluated in ``plan``."""
        return self if self.plan == plan else Period(self.start, self.end, self.kind, plan)

    def _new(self, start: date, end: date, kind: str) -> Period:
        return Period(start, end, kind, self.plan)

    @property
    def plan_start(self) -> date:
        """First day of the plan (2021-01-01 for 十四五)."""
        return self.plan.start

    def since_plan_start(self) -> Period:
        """From the plan's first day to this period's end (for cumulative and 年均 figures);
        the period itself when it ends before the plan starts."""
        if self.end < self.plan.start:
            return self
        return self._new(self.plan.start, self.end, "range")

    def __post_init__(self) -> None:
        if not (1990 <= self.start.year <= 2100 and 1990 <= self.end.year <= 2100):
            raise PeriodError(f"评估期 (period) {self.start}..{self.end} 超出合理范围 (1990–2100)")

    # ------------------------------------------------------------- properties
    @property
    def slug(self) -> str:
        """A file-system name: ``midterm-2023H1``, ``2022``, ``2023H1``, ``2021-01-01_2023-06-30``."""
        if self.kind == "midterm":
            return f"midterm-{self.end.year}H{1 if self.end.month <= 6 else 2}"
        if self.kind == "final":
            return f"final-{self.end.year}"
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "half":
            return f"{self.start.year}H{1 if self.start.month == 1 else 2}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """Chinese label as a report writes it: 2023年上半年, 2021年至2023年上半年."""
        if self.kind == "year":
            return f"{self.start.year}年"
        if self.kind == "half":
            return f"{self.start.year}年{'上' if self.start.month == 1 else '下'}半年"
        if self.kind == "quarter":
            return f"{self.start.year}年{_QUARTER_ZH[(self.start.month + 2) // 3]}"
        return f"{self._span_start_label()}至{self._span_end_label()}"

    def _span_start_label(self) -> str:
        year_form = (self.end.month, self.end.day) in ((12, 31), (6, 30))
        if self.start.month == 1 and self.start.day == 1 and year_form:
            return f"{self.start.year}年"
        return _cn_date(self.start)

    def _span_end_label(self) -> str:
        """Year forms (2023年, 2023年上半年) only after a 1 January start; dates otherwise."""
        e = self.end
        if self.start.month == 1 and self.start.day == 1:
            if e == date(e.year, 12, 31):
                return f"{e.year}年"
            if e == date(e.year, 6, 30):
                return f"{e.year}年上半年"
        return _cn_date(e)

    @property
    def report_kind_label(self) -> str:
        """评估 type for the title: 中期评估 / 总结评估 / 年度评估 / 半年评估 / 季度评估 / 评估."""
        return {
            "midterm": "中期评估",
            "final": "总结评估",
            "year": "年度评估",
            "half": "半年评估",
            "quarter": "季度评估",
        }.get(self.kind, "阶段评估")

    @property
    def years(self) -> list[int]:
        """Calendar years the period touches, in order."""
        return list(range(self.start.year, self.end.year + 1))

    def year_slice(self, year: int) -> Period:
        """The part of this period inside ``year`` (kind ``year`` when it is the whole year)."""
        a = max(self.start, date(year, 1, 1))
        b = min(self.end, date(year, 12, 31))
        if b < a:
            raise PeriodError(f"{year}年不在评估期 {self.label} 内")
        if a == date(year, 1, 1) and b == date(year, 12, 31):
            return self._new(a, b, "year")
        if a == date(year, 1, 1) and b == date(year, 6, 30):
            return self._new(a, b, "half")
        if a == date(year, 7, 1) and b == date(year, 12, 31):
            return self._new(a, b, "half")
        if a.day == 1 and a.month in (1, 4, 7, 10) and b == _month_end(year, a.month + 2):
            return self._new(a, b, "quarter")
        return self._new(a, b, "range")

    def year_slices(self) -> list[Period]:
        """One sub-period per calendar year: [2021年, 2022年, 2023年上半年] for the mid-term."""
        return [self.year_slice(y) for y in self.years]

    @property
    def is_full_years(self) -> bool:
        """True when the period is made of whole calendar years."""
        return self.start == date(self.start.year, 1, 1) and self.end == date(self.end.year, 12, 31)

    @property
    def is_partial_year(self) -> bool:
        """True for a period inside one year that is not the whole year (half, quarter, range)."""
        return self.start.year == self.end.year and not self.is_full_years

    def shift_years(self, n: int) -> Period:
        """The same dates ``n`` years later (negative: earlier); 29 Feb becomes 28 Feb."""

        def sh(d: date) -> date:
            try:
                return d.replace(year=d.year + n)
            except ValueError:  # 29 Feb
                return d.replace(year=d.year + n, day=28)

        end = sh(self.end)
        if self.end == _month_end(self.end.year, self.end.month):
            end = _month_end(end.year, end.month)
        return self._new(sh(self.start), end, self.kind)

    def previous_year(self) -> Period:
        """The same period a year earlier (for 同比)."""
        return self.shift_years(-1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def year_fraction(self) -> float:
        """Length in years by months (a half year is exactly 0.5)."""
        return _months_between(self.start, self.end) / 12

    @property
    def plan_elapsed_share(self) -> float:
        """时序进度: share of the plan period elapsed at ``end`` (0..1, by months)."""
        return self.plan.elapsed_share(self.end)

    @property
    def plan_years_left(self) -> float:
        """Years of the plan left after ``end`` (2.5 at the 十四五 mid-term)."""
        return self.plan.years_left(self.end)

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label

    def as_range(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def last_day(self) -> date:
        return self.end

    @property
    def first_day_after(self) -> date:
        return self.end + timedelta(days=1)
