"""The ids findings carry (``kind:subject``), and every id the rules could give for a pack.

An analyst drops a finding by its id in ``notes/suppress.yaml``; a mistyped id would drop
nothing while the appendix counts it. Whether a finding fires depends on the period, its id does
not: ``indicator-lagging:3`` is possible when indicator 3 exists, ``major-accident:SG2021-01``
when that accident does. This module sits on a low floor (it reads ledger frames, the sector
vocabulary and the formula registry) so that ``check-data`` can refuse an impossible id before
any chapter runs; ``findings.rules.make_finding`` builds the ids, the registry's topics list
the kinds (a test keeps :data:`SUBJECT_SOURCE` equal to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Where the subject part of each finding kind's id (``kind:subject``, see ``rules.make_finding``)
# comes from: "" for kinds without a subject. Must list exactly ``registry.CHAPTERS.kinds()`` (a
# test checks).
SUBJECT_SOURCE: dict[str, str] = {
    "indicator-unlikely": "indicator code",
    "indicator-lagging": "indicator code",
    "major-accident": "accident id",
    "sector-rectification": "sector",
    "sector-overdue": "sector",
    "disaster-rate": "disaster rate",
    "drill-double-blind": "",
    "drill-live-share": "",
    "reserve-shortfall": "",
    "project-cannot-finish": "project name",
    "project-not-started": "project name",
    "project-delayed": "project name",
    "project-investment": "project name",
}


def _subjects(frames: Mapping[str, Any], source: str) -> list[str]:
    from planeval import vocab

    def col(key: str, name: str) -> list[str]:
        df = frames.get(key)
        return [] if df is None else [str(v) for v in df[name].dropna().unique()]

    if source == "indicator code":
        return col("indicators", "code")
    if source == "accident id":
        return col("accidents", "id")
    if source == "sector":
        return list(vocab.SECTORS)
    if source == "disaster rate":
        return [k for k in vocab.formula_keys() if k.startswith("disaster_")]
    if source == "project name":
        return col("projects", "name")
    return []


def possible_finding_ids(frames: Mapping[str, Any]) -> list[str]:
    """Every finding id the rules could give for a pack with these ledger frames.

    Whether a finding fires depends on the period; its id does not: ``indicator-lagging:3`` is a
    possible id when indicator 3 exists, ``major-accident:SG2021-01`` when that accident does.
    """
    out: list[str] = []
    for kind, source in SUBJECT_SOURCE.items():
        out += [f"{kind}:{s}" for s in _subjects(frames, source)] if source else [kind]
    return out


def unknown_suppress_ids(
    suppress: Mapping[str, str], frames: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The ids of ``notes/suppress.yaml`` no rule can give for this pack, each with the closest
    possible ids (at most three)."""
    import difflib

    possible = possible_finding_ids(frames)
    known = set(possible)
    out: dict[str, list[str]] = {}
    for fid in suppress:
        if fid in known:
            continue
        kind, _, subject = fid.partition(":")
        pool = (
            [p for p in possible if p.partition(":")[0] == kind] if kind in SUBJECT_SOURCE else []
        )
        close = difflib.get_close_matches(fid, pool or possible, n=3, cutoff=0.0 if pool else 0.4)
        out[fid] = close
    return out
