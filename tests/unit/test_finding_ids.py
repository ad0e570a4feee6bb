"""Finding ids a pack can have (``planeval.finding_ids``), for checking notes/suppress.yaml."""

from __future__ import annotations

import pandas as pd

from planeval.finding_ids import SUBJECT_SOURCE, possible_finding_ids, unknown_suppress_ids
from planeval.registry import CHAPTERS

FRAMES = {
    "indicators": pd.DataFrame({"code": ["1", "2"]}),
    "accidents": pd.DataFrame({"id": ["SG2021-01"]}),
    "projects": pd.DataFrame({"name": ["指挥中心"]}),
}


def test_every_kind_says_where_its_subject_comes_from():
    assert list(SUBJECT_SOURCE) == list(CHAPTERS.kinds())  # the registry's kinds, in order


def test_possible_ids_follow_the_pack():
    ids = set(possible_finding_ids(FRAMES))
    assert {"indicator-lagging:2", "major-accident:SG2021-01", "project-delayed:指挥中心"} <= ids
    assert {"sector-overdue:工贸行业", "disaster-rate:disaster_deaths_per_million"} <= ids
    assert {"drill-live-share", "reserve-shortfall"} <= ids
    assert "indicator-lagging:3" not in ids  # no indicator 3 in this pack
    assert not any(i.startswith("major-accident:") for i in possible_finding_ids({}))


def test_unknown_ids_get_the_closest_of_their_kind():
    got = unknown_suppress_ids(
        {"indicator-lagging:3": "x", "major-accident:SG2021-1": "y", "drill-live-share": "z"},
        FRAMES,
    )
    assert set(got) == {"indicator-lagging:3", "major-accident:SG2021-1"}
    assert got["major-accident:SG2021-1"][0] == "major-accident:SG2021-01"
    assert set(got["indicator-lagging:3"]) == {"indicator-lagging:1", "indicator-lagging:2"}
