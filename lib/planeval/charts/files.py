"""Every chart also as files for re-use (PPT, Word): PNG at 300 dpi and SVG.

A chapter's figure is shown in its notebook as usual; in IPython each figure's output bundle
also carries :data:`MIME` — ``{"title", "png" (base64, 300 dpi), "svg"}`` — which the report's
HTML ignores (nbconvert renders only the mime types it knows) and which
:func:`planeval.report.exports.write_figures` writes to ``figures/`` named by 图N and title.
The executed notebook thus holds the chart files it showed: nothing is redrawn afterwards.
"""

from __future__ import annotations

import base64
import io
from typing import Any

MIME = "application/vnd.planeval.figure+json"
DPI = 300
# zlib level of the 300-dpi PNG: 3 instead of Pillow's 6 halves its encoding time (0.76 → 0.39
# CPU-s over the demo's 12 charts) for files about 12 % larger; the pixels are the same.
PNG_COMPRESS_LEVEL = 3
# Off in the kernels of a run without companions (``planeval run/batch --no-companions``: no
# figures/ folder is written, so the two extra drawings per chart are not made); a notebook
# opened by hand keeps it on.
ENABLED = True


def chart_title(fig) -> str:
    """The title a chart carries: its ``suptitle``, else the title of its only titled axes."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        return sup.get_text().strip()
    titled = [ax for ax in fig.axes if ax.get_title().strip()]
    return titled[0].get_title().strip() if len(titled) == 1 else ""


def figure_files(fig) -> dict[str, str] | None:
    """The chart as drawn: its title, a 300-dpi PNG (base64) and an SVG (text as paths);
    None (nothing added to the output) when :data:`ENABLED` is off."""
    if not ENABLED:
        return None
    import matplotlib

    png, svg = io.BytesIO(), io.StringIO()
    # The tight box (savefig.bbox) computed once for both files: left to savefig, each file
    # would draw the chart once more only to measure it (a third less work per chart).
    box: Any = matplotlib.rcParams["savefig.bbox"]
    if box == "tight":
        box = fig.get_tightbbox(fig.canvas.get_renderer()).padded(
            matplotlib.rcParams["savefig.pad_inches"]
        )
    fig.savefig(
        png,
        format="png",
        dpi=DPI,
        bbox_inches=box,
        pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
    )
    fig.savefig(svg, format="svg", bbox_inches=box)
    return {
        "title": chart_title(fig),
        "png": base64.b64encode(png.getvalue()).decode("ascii"),
        "svg": svg.getvalue(),
    }


def register() -> None:
    """In IPython, add :data:`MIME` to every figure's output bundle (idempotent; called by
    :func:`planeval.charts.style.new_figure` after the figure exists).

    The formatter goes first, so the files keep the chart exactly as drawn, before any other
    formatter (the report's ``<figure>``) takes the title off into a caption.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    ip = get_ipython()
    if ip is None:
        return
    from matplotlib.figure import Figure

    df = ip.display_formatter
    if MIME not in df.formatters:
        from IPython.core.formatters import BaseFormatter
        from traitlets import ObjectName, Unicode

        class FigureFilesFormatter(BaseFormatter):
            format_type = Unicode(MIME)
            print_method = ObjectName("_repr_planeval_figure_")
            _return_type = dict

        df.formatters = {MIME: FigureFilesFormatter(parent=df), **df.formatters}
        if MIME not in df.active_types:
            df.active_types = [MIME, *df.active_types]
    # Again on every call: the inline backend, loaded with the first figure, takes Figure off
    # every formatter (IPython's select_figure_formats).
    df.formatters[MIME].for_type(Figure, figure_files)
