"""One matplotlib style for every chapter's charts."""

from planeval.charts.style import COLORS, new_figure, use_report_style

__all__ = ["COLORS", "new_figure", "use_report_style"]
