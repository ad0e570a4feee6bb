"""Accident grades (国务院令第493号 第三条): boundaries worked out from the regulation's table."""

import pytest

from planeval.grades import accident_grade, grade_rank, is_major_or_above, is_severe


@pytest.mark.parametrize(
    ("deaths", "grade"),
    [
        (0, "一般"),
        (2, "一般"),
        (3, "较大"),
        (9, "较大"),
        (10, "重大"),
        (29, "重大"),
        (30, "特别重大"),
    ],
)
def test_deaths_boundaries(deaths, grade):
    assert accident_grade(deaths) == grade


@pytest.mark.parametrize(
    ("injuries", "grade"),
    [(9, "一般"), (10, "较大"), (49, "较大"), (50, "重大"), (99, "重大"), (100, "特别重大")],
)
def test_serious_injury_boundaries(injuries, grade):
    assert accident_grade(0, injuries) == grade


@pytest.mark.parametrize(
    ("loss", "grade"),
    [
        (999.9, "一般"),
        (1000, "较大"),
        (4999.99, "较大"),
        (5000, "重大"),
        (9999.99, "重大"),
        (10000, "特别重大"),
    ],
)
def test_loss_boundaries_in_wan_yuan(loss, grade):
    assert accident_grade(0, 0, loss) == grade


def test_highest_measure_wins():
    # 2 deaths alone is 一般, but 12 serious injuries make it 较大; 5500万元 makes it 重大.
    assert accident_grade(2, 12, 100) == "较大"
    assert accident_grade(2, 12, 5500) == "重大"


def test_missing_count_with_deaths():
    # 死亡（含失踪）: 2 dead + 1 missing = 3 → 较大.
    assert accident_grade(2, 0, 0, missing=1) == "较大"


def test_blank_values_are_zero():
    assert accident_grade(None, float("nan"), None) == "一般"


def test_helpers():
    assert grade_rank("一般") == 0 and grade_rank("特别重大") == 3
    assert is_major_or_above("较大") and not is_major_or_above("一般")
    assert is_severe("重大") and not is_severe("较大")
