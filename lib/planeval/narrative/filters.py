"""Jinja2 filters for templates (number formats and phrasing). Filled by the phrasing module."""

from __future__ import annotations

FILTERS: dict = {}
