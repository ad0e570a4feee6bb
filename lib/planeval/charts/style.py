"""The shared chart style: CJK font from the pip font package, registered once; consistent
colours; figure sizes that fit an A4 page (text width ≈ 16 cm)."""

from __future__ import annotations

from functools import cache

import matplotlib
import matplotlib.pyplot as plt
from matplotlib import font_manager

from planeval import fonts

# Colours: a sober palette that prints well in grey.
COLORS = {
    "primary": "#1f4e79",
    "secondary": "#c55a11",
    "accent": "#548235",
    "muted": "#7f7f7f",
    "warn": "#c00000",
    "light": "#bdd7ee",
}
PALETTE = ["#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#bf9000", "#7f7f7f"]

# Sizes in inches: A4 text width is about 6.3 in.
SIZES = {"wide": (6.3, 3.2), "square": (4.6, 4.0), "tall": (6.3, 4.6), "small": (4.2, 2.8)}


@cache
def _register_font() -> str:
    path = fonts.sans_regular()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_report_style() -> None:
    """Apply the report style (idempotent, cheap after the first call)."""
    family = _register_font()
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.titlesize": 11,
            "axes.labelsize": 9,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "legend.fontsize": 8.5,
            "legend.frameon": False,
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "figure.figsize": SIZES["wide"],
        }
    )


def new_figure(size: str = "wide", **kw):
    """A styled ``(fig, ax)`` of one of SIZES (wide, square, tall, small)."""
    use_report_style()
    return plt.subplots(figsize=SIZES[size], **kw)
