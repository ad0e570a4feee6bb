"""Unit variants of the 年度汇总 measures: published series give GDP in 万元 or 亿元, losses in
亿元, person-times in 万人次, population in 人 or 万人. A measure written with another unit in its
name — ``自然灾害直接经济损失(亿元)``, ``自然灾害受灾人次（万人次）``, ``常住人口(人)`` — is converted to
the canonical measure of :data:`planeval.vocab.ANNUAL_MEASURES` and its value scaled; the note
says so (``planeval check-data`` and the pack's ``normalised`` list show it).

>>> split_unit("自然灾害直接经济损失（亿元）"), split_unit("自然灾害受灾人次")
(('自然灾害直接经济损失', '亿元'), ('自然灾害受灾人次', None))
>>> canonical_for("自然灾害直接经济损失(亿元)")
('自然灾害直接经济损失(万元)', 10000.0)
>>> canonical_for("自然灾害受灾人次(万人次)"), canonical_for("常住人口(人)")
(('自然灾害受灾人次', 10000.0), ('常住人口(万人)', 0.0001))
>>> canonical_for("地区生产总值(亿元)") is None, canonical_for("火灾起数(万起)") is None
(True, True)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from planeval import vocab

if TYPE_CHECKING:  # pragma: no cover
    from planeval.data.normalise import Parsed

# unit → {unit written: factor that turns a value in it into the unit}
FACTORS: dict[str, dict[str, float]] = {
    "万元": {"元": 1e-4, "千元": 1e-1, "亿元": 1e4},
    "亿元": {"元": 1e-8, "万元": 1e-4},
    "人次": {"万人次": 1e4},
    "万人": {"人": 1e-4},
    "人": {"万人": 1e4},
    "万辆": {"辆": 1e-4},
}
_UNIT = re.compile(r"^(.*?)\s*[（(]\s*([^()（）]+?)\s*[)）]\s*$")


def split_unit(measure: str) -> tuple[str, str | None]:
    """``("自然灾害直接经济损失", "亿元")`` for ``自然灾害直接经济损失(亿元)``; no unit → None."""
    m = _UNIT.match(measure)
    return (m[1], m[2]) if m else (measure.strip(), None)


def implied_unit(name: str) -> str | None:
    """The unit a measure without brackets is counted in: …人次 → 人次, …人数 → 人."""
    if name.endswith("人次"):
        return "人次"
    if name.endswith("人数"):
        return "人"
    return None


def _canonical() -> dict[str, tuple[str, str]]:
    out = {}
    for m in vocab.ANNUAL_MEASURES:
        name, unit = split_unit(m)
        unit = unit or implied_unit(name)
        if unit:
            out[name] = (m, unit)
    return out


def canonical_for(measure: str) -> tuple[str, float] | None:
    """The canonical measure and the factor for ``measure`` written in another unit (None when
    it is canonical already or its unit has no known conversion)."""
    if measure in vocab.ANNUAL_MEASURES:
        return None
    name, unit = split_unit(measure.replace(" ", ""))
    canon = _canonical().get(name)
    if canon is None or unit is None:
        return None
    target, target_unit = canon
    if unit == target_unit:
        return (target, 1.0) if target != measure else None
    factor = FACTORS.get(target_unit, {}).get(unit)
    return None if factor is None else (target, factor)


def convert_annual_units(parsed: Parsed) -> None:
    """Rewrite, in ``parsed.frame`` (年度汇总), measures written in another unit to the canonical
    measure, scaling the value; one note per measure converted."""
    df = parsed.frame
    if df is None or df.empty or "measure" not in df or "value" not in df:
        return
    for written in df["measure"].dropna().unique():
        hit = canonical_for(str(written))
        if hit is None:
            continue
        target, factor = hit
        rows = df["measure"] == written
        df.loc[rows, "measure"] = target
        df.loc[rows, "value"] = df.loc[rows, "value"].astype(float) * factor
        _, unit = split_unit(str(written))
        _, to_unit = split_unit(target)
        to_unit = to_unit or implied_unit(target)
        how = "" if factor == 1 else f"，数值由{unit}换算为{to_unit}（×{factor:g}）"
        parsed.notes[f"项目“{written}”按“{target}”处理{how}"] += int(rows.sum())
