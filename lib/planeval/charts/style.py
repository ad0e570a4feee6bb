"""The shared chart style: CJK font from the pip font package, registered once; consistent
colours; figure sizes that fit an A4 page (text width ≈ 15.6 cm).

In a notebook, a figure shows as ``<figure class="chart">``: the picture without its title, and
the title as the caption below it (``figcaption``), which the stitched report numbers 图1…图N.
"""

from __future__ import annotations

import base64
import html
import io
from functools import cache

from planeval import fonts
from planeval.charts import files

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
    from matplotlib import font_manager

    path = fonts.sans_regular()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def figure_html(fig) -> str:
    """``<figure class="chart">``: the chart as PNG without its title, the title as caption.

    The picture keeps its printed size (``width`` at 96 px per inch, as WeasyPrint and pandoc
    read it), so a chart's lettering prints at the size it was drawn.
    """
    title = files.chart_title(fig)
    if title:
        sup = getattr(fig, "_suptitle", None)
        if sup is not None and sup.get_text().strip() == title:
            sup.set_text("")
        else:
            for ax in fig.axes:
                if ax.get_title().strip() == title:
                    ax.set_title("")
    buf = io.BytesIO()
    import matplotlib

    dpi = matplotlib.rcParams["savefig.dpi"]
    dpi = fig.get_dpi() if dpi == "figure" else dpi
    files.save_measured(fig, buf, files.tight_box(fig, dpi), format="png", dpi=dpi)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * 96)
    alt = html.escape(title or "图表")
    cap = f'<figcaption class="figure-caption">{html.escape(title)}</figcaption>'
    return (
        f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{alt}" '
        f'width="{width}">{cap}</figure>'
    )


def _register_display() -> None:
    """In IPython, show figures through :func:`figure_html` (and not also as a bare PNG)."""
    ip = files.ipython()
    if ip is None:
        return
    from matplotlib.figure import Figure

    formatters = ip.display_formatter.formatters
    formatters["text/html"].for_type(Figure, figure_html)
    formatters["image/png"].for_type(Figure, lambda fig: None)


def _no_redraw_before_inline_show() -> None:
    """With the inline backend, drop pyplot's ``post_execute`` redraw of every open figure.

    pyplot registers ``_draw_all_if_interactive`` when its backend is set (for GUI windows that
    refresh after each cell). Inline, it renders each chart in full only for the result to be
    thrown away: the inline ``flush_figures`` that runs next draws it again for the output (and
    figures/ twice more). Measured: 7 % of a chapter kernel's CPU, 0.4 CPU-s a county. Another
    backend (``%matplotlib widget``) keeps the hook. Through pyplot's own
    ``uninstall_repl_displayhook``, so pyplot knows: ``plt.ioff()`` still works, and
    ``plt.ion()`` or a backend switch puts the hook back.
    """
    ip = files.ipython()
    if ip is None:
        return
    import matplotlib
    import matplotlib.pyplot as plt

    hook = getattr(plt, "_draw_all_if_interactive", None)
    if "inline" in matplotlib.get_backend() and hook in ip.events.callbacks["post_execute"]:
        plt.uninstall_repl_displayhook()


def use_report_style() -> None:
    """Apply the report style (idempotent, cheap after the first call)."""
    # matplotlib is imported where it draws: the main process of a run imports the chapter
    # modules (their metric contracts) but never draws, and pyplot is a third of a second.
    import matplotlib
    import matplotlib.pyplot as plt

    _register_display()
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
    import matplotlib.pyplot as plt

    use_report_style()
    fig_ax = plt.subplots(figsize=SIZES[size], **kw)
    # Again now that the figure exists: the inline backend, loaded with a kernel's first
    # figure, takes Figure off every formatter (IPython's select_figure_formats), which would
    # show that chart as a bare PNG without its 图N caption.
    _register_display()
    files.register()  # every chart also as PNG (300 dpi) and SVG for figures/
    _no_redraw_before_inline_show()  # the hook is set with the backend, at the first figure
    return fig_ax
