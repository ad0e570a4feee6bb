"""Chinese phrasing and number formats as a Chinese report writes them.

- counts (人, 起, 次, 家) as integers with thousands separators: ``1,234``
- 万元 with two decimals: ``12.50万元``
- percentages with one decimal: ``12.5%``
- change on a comparison base: ``下降12.5%`` / ``上升20.0%`` / ``持平`` (never "下降0%") /
  ``由0起增至2起`` (no percentage of a zero base)
"""

from __future__ import annotations

import math
import re


def _isnan(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def fmt_int(x, dash: str = "—") -> str:
    """An integer count: ``fmt_int(1234.0) == '1,234'``; None/NaN → ``—``."""
    if _isnan(x):
        return dash
    return f"{round(float(x)):,}"


def fmt_num(x, digits: int = 2, dash: str = "—") -> str:
    """A number with ``digits`` decimals: ``fmt_num(0.1234, 3) == '0.123'``."""
    if _isnan(x):
        return dash
    return f"{float(x):,.{digits}f}"


def fmt_wan(x, dash: str = "—") -> str:
    """An amount in 万元 with two decimals (no unit): ``fmt_wan(12.5) == '12.50'``."""
    return fmt_num(x, 2, dash)


#: From this many 万元 (1 亿元) on, an amount is written in 亿元.
YI_IN_WAN = 10_000


def fmt_money(x, dash: str = "—") -> str:
    """An amount given in 万元, with its unit: 亿元 from 1 亿元 on, else 万元 (two decimals).

    >>> fmt_money(12.5), fmt_money(9999.99), fmt_money(10000), fmt_money(33402000)
    ('12.50万元', '9,999.99万元', '1.00亿元', '3,340.20亿元')
    >>> fmt_money(float("nan"))
    '—'
    """
    if _isnan(x):
        return dash
    v = float(x)
    if abs(v) >= YI_IN_WAN:
        return f"{fmt_num(v / YI_IN_WAN, 2)}亿元"
    return f"{fmt_num(v, 2)}万元"


# A ratio this close to 0 or 1 is that value (float noise from sums and quotients).
_RATIO_EPS = 1e-12


def pct_shown(x, digits: int = 1) -> float:
    """The percentage :func:`fmt_pct` prints for ratio ``x``, as a number.

    Rounded to ``digits`` decimals, except that a ratio below 1 never shows as 100 % (98.96 %
    … 99.99 % → 99.9 % at one decimal: "100.0%" would claim every hazard was rectified) and a
    ratio other than 0 never shows as 0 % (0.0004 → 0.1 %, −0.0004 → −0.1 %).

    >>> pct_shown(61 / 62), pct_shown(0.9996), pct_shown(1.0), pct_shown(0.0004), pct_shown(0)
    (98.4, 99.9, 100.0, 0.1, 0.0)
    >>> pct_shown(-0.0004), pct_shown(0.99999, 2), pct_shown(1 - 1e-15)
    (-0.1, 99.99, 100.0)
    """
    v = float(x)
    step = 10.0**-digits
    shown = round(float(f"{v * 100:.{digits}f}"), digits)
    if abs(v - 1) > _RATIO_EPS and v < 1 and shown >= 100:
        return round(100 - step, digits)
    if abs(v) > _RATIO_EPS and shown == 0:
        return round(step if v > 0 else -step, digits)
    return shown


def fmt_pct(x, digits: int = 1, dash: str = "—") -> str:
    """A ratio (0.125) as a percentage: ``'12.5%'`` (see :func:`pct_shown` for the edges).

    >>> fmt_pct(0.125), fmt_pct(0.9996), fmt_pct(1.0), fmt_pct(0.0004), fmt_pct(0.0), fmt_pct(None)
    ('12.5%', '99.9%', '100.0%', '0.1%', '0.0%', '—')
    """
    if _isnan(x):
        return dash
    return f"{pct_shown(x, digits):.{digits}f}%"


def pct_below(rate, benchmark, digits: int = 1) -> bool:
    """``rate`` below ``benchmark`` as the report prints them (:func:`pct_shown`), so a sentence
    never says "98.4%…低于全国98.4%": 61/62 = 98.39 % shows as 98.4 % and is *not* below 98.4 %.
    Used by the chapters' wording and the findings rules alike. False when either is missing.

    >>> pct_below(61 / 62, 0.984), pct_below(0.9834, 0.984), pct_below(0.9996, 1.0)
    (False, True, True)
    >>> pct_below(None, 0.984)
    False
    """
    if _isnan(rate) or _isnan(benchmark):
        return False
    return pct_shown(rate, digits) < pct_shown(benchmark, digits)


def pct_change(cur, prev) -> float | None:
    """(cur − prev) / prev, or None when prev is 0/None/NaN."""
    if _isnan(cur) or _isnan(prev) or float(prev) == 0:
        return None
    return (float(cur) - float(prev)) / float(prev)


def change_phrase(cur, prev, unit: str = "", digits: int = 1, value_digits: int = 0) -> str:
    """Wording of the change from ``prev`` to ``cur``.

    Examples
    --------
    >>> change_phrase(7, 8)
    '下降12.5%'
    >>> change_phrase(6, 5)
    '上升20.0%'
    >>> change_phrase(5, 5)
    '持平'
    >>> change_phrase(2, 0, "起")
    '由0起增至2起'
    >>> change_phrase(0, 0, "起")
    '持平'
    """
    if _isnan(cur) or _isnan(prev):
        return "无可比数据"
    c, p = float(cur), float(prev)
    fmt = (lambda v: fmt_int(v)) if value_digits == 0 else (lambda v: fmt_num(v, value_digits))
    if round(c, 10) == round(p, 10):
        return "持平"
    if p == 0:
        return f"由{fmt(p)}{unit}增至{fmt(c)}{unit}"
    r = (c - p) / p
    word = "下降" if r < 0 else "上升"
    txt = f"{abs(r) * 100:.{digits}f}%"
    if txt == f"{0:.{digits}f}%":  # a change too small to show: say 基本持平, never 下降0%
        return "基本持平"
    return f"{word}{txt}"


# ----------------------------------------------------------------------------- more formats
def fmt_value(x, digits: int = 0, dash: str = "—") -> str:
    """A figure at an indicator's precision: integers for counts (``digits=0``), else decimals.

    >>> fmt_value(5.0), fmt_value(0.0125, 3), fmt_value(None)
    ('5', '0.013', '—')
    """
    return fmt_int(x, dash) if digits == 0 else fmt_num(x, digits, dash)


def fmt_date(d, dash: str = "—") -> str:
    """A date as 2021年3月5日 (accepts date, datetime, Timestamp or an ISO string)."""
    if d is None or (not isinstance(d, str) and _isnan_date(d)):
        return dash
    s = str(d)[:10]
    try:
        y, m, day = (int(p) for p in s.split("-"))
    except ValueError:
        return s
    return f"{y}年{m}月{day}日"


def fmt_year_month(d, dash: str = "—") -> str:
    """A date as 2021年3月 (the day left out), from the same inputs as :func:`fmt_date`.

    >>> fmt_year_month("2021-03-05"), fmt_year_month(None)
    ('2021年3月', '—')
    """
    full = fmt_date(d, dash)
    return full.split("月", 1)[0] + "月" if "月" in full else full


def fmt_month_day(d) -> str:
    """A date as 3月5日 (the year is said by the paragraph)."""
    full = fmt_date(d)
    return full.split("年", 1)[1] if "年" in full else full


def _isnan_date(d) -> bool:
    try:
        return d != d  # NaT / NaN
    except Exception:  # noqa: BLE001 - anything odd is "not a date"
        return True


def join_cn(items, sep: str = "、") -> str:
    """Items joined the Chinese way: ``join_cn(['工贸行业', '建筑施工']) == '工贸行业、建筑施工'``."""
    return sep.join(str(i) for i in items)


def ratio_change_phrase(r, digits: int = 1, lower_is_better: bool = True) -> str:
    """A yearly change ratio as words: −0.052 → ``下降5.2%``; 0 → ``持平``; None → ``—``.

    >>> ratio_change_phrase(-0.052), ratio_change_phrase(0.1), ratio_change_phrase(0.0)
    ('下降5.2%', '上升10.0%', '持平')
    """
    if _isnan(r):
        return "—"
    v = float(r)
    txt = f"{abs(v) * 100:.{digits}f}%"
    if txt == f"{0:.{digits}f}%":
        return "持平"
    return f"{'下降' if v < 0 else '上升'}{txt}"


def change_with_base(cur, prev, unit: str = "", digits: int = 1, value_digits: int = 0) -> str:
    """:func:`change_phrase` that always names both figures for a zero base or equal values.

    >>> change_with_base(7, 8, "起")
    '下降12.5%'
    >>> change_with_base(2, 0, "起")
    '由0起增至2起'
    >>> change_with_base(0, 0, "起")
    '持平（均为0起）'
    """
    ph = change_phrase(cur, prev, unit, digits, value_digits)
    if ph == "持平" and not _isnan(cur):
        v = fmt_int(cur) if value_digits == 0 else fmt_num(cur, value_digits)
        return f"持平（均为{v}{unit}）"
    return ph


# --------------------------------------------------------------------------- running text style
# Thousands separators: running text writes 5845项, not 5,845项 (GB/T 9704 practice; tables
# may keep them).
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
# Amounts in 万元/亿元 and areas in 公顷 at the precision they carry: 23610.00万元 → 23610万元,
# 456.70万元 → 456.7万元, 23830.0公顷 → 23830公顷 (95.64万元 stays).
_TRAILING_ZEROS = re.compile(r"(\d)\.(\d*?)0+(?=\s*(?:万元|亿元|公顷|万人))")
_BARE_POINT = re.compile(r"(\d)\.(?=\s*(?:万元|亿元|公顷|万人))")
# One numbering punctuation: 1. (half-width), never 1．
_FULLWIDTH_POINT = re.compile(r"(?<![\d.])(\d{1,2})．")
# Spaces left where lines were joined: after Chinese punctuation, or between Chinese characters.
_SPACE_AFTER_PUNCT = re.compile(r"(?<=[，。；：、！？）》”’])[ \t\r\n\u3000]+(?=\S)")
_SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u4e00-\u9fff])[ \t\r\n]+(?=[\u4e00-\u9fff（《“])")


def tidy_text(text: str, *, in_table: bool = False) -> str:
    r"""Running text as a Chinese report writes it: no thousands separators (kept in tables),
    amounts in 万元/亿元 and areas in 公顷 without trailing zeros, the numbering punctuation
    ``1.`` (not ``1．``), and no space left where two lines were joined.

    >>> tidy_text("累计排查隐患5,845项，投资23,610.00万元、456.70万元，面积23,830.0公顷")
    '累计排查隐患5845项，投资23610万元、456.7万元，面积23830公顷'
    >>> tidy_text("1．智慧应急工程；事故发生后，\n县安委会（年化）。 2023年")
    '1.智慧应急工程；事故发生后，县安委会（年化）。2023年'
    >>> tidy_text("13,191", in_table=True), tidy_text("下降 12.5%"), tidy_text("2.50万元")
    ('13,191', '下降 12.5%', '2.5万元')
    """
    if not in_table:
        text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
        text = _TRAILING_ZEROS.sub(r"\1.\2", text)
        text = _BARE_POINT.sub(r"\1", text)
    text = _FULLWIDTH_POINT.sub(r"\1.", text)
    text = _SPACE_AFTER_PUNCT.sub("", text)
    return _SPACE_BETWEEN_CJK.sub("", text)
