"""The run's collector thresholds (:func:`planeval.report.runner.fewer_collections`)."""

from __future__ import annotations

import gc

import pytest

from planeval.report.runner import RUN_GC_THRESHOLDS, fewer_collections


@pytest.fixture
def thresholds():
    old = gc.get_threshold()
    yield
    gc.set_threshold(*old)


def test_raises_the_default_thresholds_and_restores_them(thresholds):
    gc.set_threshold(700, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (10000, 20, 20) == RUN_GC_THRESHOLDS
    assert gc.get_threshold() == (700, 10, 10)


def test_restores_them_when_the_block_raises(thresholds):
    gc.set_threshold(700, 10, 10)
    with pytest.raises(KeyError), fewer_collections():
        raise KeyError("x")
    assert gc.get_threshold() == (700, 10, 10)


def test_keeps_a_callers_higher_thresholds_and_a_zero_first_threshold(thresholds):
    gc.set_threshold(50000, 5, 100)
    with fewer_collections():
        assert gc.get_threshold() == (50000, 20, 100)
    gc.set_threshold(0, 10, 10)  # 0: automatic collection off
    with fewer_collections():
        assert gc.get_threshold() == (0, 20, 20)
    assert gc.get_threshold() == (0, 10, 10)


def test_overlapping_runs_restore_the_thresholds_once_the_last_one_ends(thresholds):
    gc.set_threshold(700, 10, 10)
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first run ends while the second still runs
    assert gc.get_threshold() == (10000, 20, 20)
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)
