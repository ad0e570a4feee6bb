"""Narrative: Jinja2 paragraph templates, Chinese phrasing and number formats, analyst notes."""

from planeval.narrative.render import Narrative, render, render_string

__all__ = ["Narrative", "render", "render_string"]
