"""Jinja2 filters available in every narrative template."""

from __future__ import annotations

from planeval.narrative import phrasing

FILTERS: dict = {
    "int": phrasing.fmt_int,
    "num": phrasing.fmt_num,
    "wan": phrasing.fmt_wan,
    "pct": phrasing.fmt_pct,
    "change": phrasing.change_phrase,
}
