"""Accident grades by 《生产安全事故报告和调查处理条例》(国务院令第493号) 第三条.

An accident takes the highest grade reached on any of three measures; "以上" includes the number,
"以下" excludes it. Exactly 3 deaths is 较大, 10 is 重大, 30 is 特别重大. Fires use the same numbers
(公安部 2007) with 直接财产损失 as the loss measure.

Deaths are counted with the missing (死亡（含失踪）), as the statistics do.
"""

from __future__ import annotations

from planeval.numbers import finite_float
from planeval.vocab import GRADES, MAJOR_OR_ABOVE, SEVERE

# (grade, deaths ≥, serious injuries ≥, direct loss in 万元 ≥), highest first.
GRADE_THRESHOLDS: tuple[tuple[str, int, int, float], ...] = (
    ("特别重大", 30, 100, 10000.0),
    ("重大", 10, 50, 5000.0),
    ("较大", 3, 10, 1000.0),
)


def _recorded(x: float | int | None) -> float:
    """A ledger count for the grade rule: a blank cell records none (0)."""
    return finite_float(x) or 0.0


def accident_grade(
    deaths: float | int | None,
    serious_injuries: float | int | None = 0,
    loss_wan: float | int | None = 0.0,
    missing: float | int | None = 0,
) -> str:
    """Grade of one accident: 一般 / 较大 / 重大 / 特别重大.

    Parameters
    ----------
    deaths, missing : number of people dead and missing (counted together).
    serious_injuries : 重伤 including acute industrial poisoning.
    loss_wan : direct economic loss in 万元 (1000 万元 = 1 千万元; 1亿元 = 10000 万元).

    Examples
    --------
    >>> accident_grade(2), accident_grade(3), accident_grade(9), accident_grade(10)
    ('一般', '较大', '较大', '重大')
    >>> accident_grade(0, 0, 999.9), accident_grade(0, 0, 1000)
    ('一般', '较大')
    """
    d = _recorded(deaths) + _recorded(missing)
    s = _recorded(serious_injuries)
    loss = _recorded(loss_wan)
    for grade, d_min, s_min, loss_min in GRADE_THRESHOLDS:
        if d >= d_min or s >= s_min or loss >= loss_min:
            return grade
    return "一般"


def grade_rank(grade: str) -> int:
    """0 for 一般 … 3 for 特别重大."""
    return GRADES.index(grade)


def is_major_or_above(grade: str) -> bool:
    """较大以上 (较大, 重大, 特别重大)."""
    return grade in MAJOR_OR_ABOVE


def is_severe(grade: str) -> bool:
    """重特大 (重大, 特别重大)."""
    return grade in SEVERE
