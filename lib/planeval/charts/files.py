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
# Off in the kernels of a run that writes no figures/ folder (``planeval run/batch
# --no-companions``, or ``--companions`` without figures), so the two extra drawings per chart
# are not made; a notebook opened by hand keeps it on.
ENABLED = True


def chart_title(fig) -> str:
    """The title a chart carries: its ``suptitle``, else the title of its only titled axes."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text().strip():
        return sup.get_text().strip()
    titled = [ax for ax in fig.axes if ax.get_title().strip()]
    return titled[0].get_title().strip() if len(titled) == 1 else ""


def tight_box(fig, dpi: float | None = None) -> Any:
    """What ``savefig`` crops the chart to (``savefig.bbox``: "tight" — the drawn artists plus
    ``savefig.pad_inches`` — or whatever else it is set to), in inches; ``dpi``: measured as
    drawn at that resolution, as savefig measures it (text extents move by a pixel or two
    between resolutions); default the figure's own.

    "tight" itself (savefig measures) when measuring here could differ from savefig's: a real
    layout engine (constrained, tight) that savefig runs before it measures, or a canvas
    without a renderer of its own.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    box: Any = matplotlib.rcParams["savefig.bbox"]
    engine = fig.get_layout_engine()
    if box != "tight" or not hasattr(fig.canvas, "get_renderer"):
        return box
    if engine is not None and not isinstance(engine, PlaceHolderLayoutEngine):
        return box
    own = fig.get_dpi()
    # as savefig does: no window (a GUI or widget figure's) resized for the measuring dpi
    manager, fig.canvas.manager = fig.canvas.manager, None
    try:
        if dpi is not None and dpi != own:
            fig.set_dpi(dpi)
        return fig.get_tightbbox(fig.canvas.get_renderer()).padded(
            matplotlib.rcParams["savefig.pad_inches"]
        )
    finally:
        if fig.get_dpi() != own:
            fig.set_dpi(own)
        fig.canvas.manager = manager


def save_measured(fig, out, box, **kwargs) -> None:
    """``fig.savefig(out, bbox_inches=box, **kwargs)`` drawing the chart once.

    A chapter's ``fig.tight_layout()`` leaves a placeholder layout engine on the figure, and
    with any engine set ``savefig`` first draws the whole chart (text laid out, nothing
    rendered) before drawing it for real, for the engine's sake; the placeholder does nothing
    with it. So the engine is taken off for the save and put back after: a third less work
    per file, the same pixels.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    idle = isinstance(engine, PlaceHolderLayoutEngine) and not (
        matplotlib.rcParams["figure.autolayout"]  # then None would set a real engine
        or matplotlib.rcParams["figure.constrained_layout.use"]
    )
    if idle:
        fig.set_layout_engine(None)
    try:
        fig.savefig(out, bbox_inches=box, **kwargs)
    finally:
        if idle:
            fig.set_layout_engine(engine)


def figure_files(fig) -> dict[str, str] | None:
    """The chart as drawn: its title, a 300-dpi PNG (base64) and an SVG (text as paths);
    None (nothing added to the output) when :data:`ENABLED` is off."""
    if not ENABLED:
        return None
    import matplotlib

    png, svg = io.BytesIO(), io.StringIO()
    # The tight box computed once for both files (left to savefig, each file would measure it
    # again); no measuring pass either (see save_measured).
    box = tight_box(fig)
    save_measured(
        fig,
        png,
        box,
        format="png",
        dpi=DPI,
        pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
    )
    # The same chart, the same SVG: no date, ids from a fixed salt (not random ones), so two
    # builds of the same data give the same file.
    with matplotlib.rc_context({"svg.hashsalt": "planeval"}):
        save_measured(fig, svg, box, format="svg", metadata={"Date": None})
    return {
        "title": chart_title(fig),
        "png": base64.b64encode(png.getvalue()).decode("ascii"),
        "svg": svg.getvalue(),
    }


def ipython():
    """The running IPython shell (a kernel, a console), or None."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    return get_ipython()


def register() -> None:
    """In IPython, add :data:`MIME` to every figure's output bundle (idempotent; called by
    :func:`planeval.charts.style.new_figure` after the figure exists).

    The formatter goes first, so the files keep the chart exactly as drawn, before any other
    formatter (the report's ``<figure>``) takes the title off into a caption.
    """
    ip = ipython()
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
