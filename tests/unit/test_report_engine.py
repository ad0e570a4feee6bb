"""The warm engine's writes of a running chapter's notebook (planeval.report.engine)."""

from __future__ import annotations

from planeval.report.engine import throttled_save


class _Manager:
    def __init__(self):
        self.writes = 0

    def save(self, **kwargs):
        self.writes += 1


def test_cell_writes_at_most_every_ten_seconds_and_the_last_always():
    """papermill writes at each cell's start and end: with cells ending at 1, 3, 9.9, 10, 10.5,
    21 and 22 s, only the calls at 10 s (10 s after the start) and 21 s (11 s later) write;
    the write at the end (after the engine) goes to the manager's own save, unthrottled."""
    now = [0.0]
    man = _Manager()
    man.save = throttled_save(man, every=10.0, clock=lambda: now[0])
    for t in (1, 3, 9.9, 10, 10.5, 21, 22):
        now[0] = t
        man.save()
    assert man.writes == 2
    del man.save
    man.save()  # notebook_complete's write
    assert man.writes == 3
