"""Warm kernels: reused across chapters with a clean namespace; replaced after a failure."""

from __future__ import annotations

import sys
import tempfile

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from planeval.report.chapters import Chapter
from planeval.report.execute import execute_chapter
from planeval.report.kernels import WarmKernels, kernel_manager

pytestmark = pytest.mark.slow


def _chapter(folder, name: str, *sources: str) -> Chapter:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "planeval",
        "display_name": "planeval",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path = folder / name
    nbformat.write(nb, path)
    return Chapter(path=path, id=name.split(".")[0], title=name)


def _run(pool: WarmKernels, ch: Chapter, out):
    with pool.kernel() as use:
        r = execute_chapter(ch, out / ch.name, {}, ch.path.parent, km=use.km, kc=use.kc)
        use.ok = r.ok
        return r, use.km


def test_kernel_is_reused_with_a_clean_namespace(tmp_path, monkeypatch):
    from jupyter_client.blocking import BlockingKernelClient

    clients, waits = [], []
    real_client, real_wait = KernelManager.client, BlockingKernelClient.wait_for_ready
    monkeypatch.setattr(
        KernelManager, "client", lambda km, **kw: clients.append(1) or real_client(km, **kw)
    )
    monkeypatch.setattr(
        BlockingKernelClient,
        "wait_for_ready",
        lambda kc, **kw: waits.append(1) or real_wait(kc, **kw),
    )
    # Chapter a counts full garbage collections from here on (a wrapper kept on the sys
    # module, which the reset does not clear); chapter b finds none made by the reset between.
    count_collections = (
        "import gc, sys\n"
        "sys._planeval_collections = []\n"
        "def _counting(*a, _calls=sys._planeval_collections, _collect=gc.collect, **k):\n"
        "    _calls.append(1)  # no global name: the reset empties this namespace\n"
        "    return _collect(*a, **k)\n"
        "gc.collect = _counting"
    )
    a = _chapter(
        tmp_path,
        "a.ipynb",
        "leak = 42\nimport os\npid = os.getpid()\nprint(pid)",
        count_collections,
    )
    b = _chapter(
        tmp_path,
        "b.ipynb",
        "assert 'leak' not in dir(), 'namespace leaked'\nimport os\nprint(os.getpid())",
        "import gc, sys\n"
        "assert sys._planeval_collections == [], 'the reset made a full collection'\n"
        "assert gc.collect.__name__ == '_counting', 'the reset did not give gc.collect back'",
    )
    with WarmKernels(1, tmp_path) as pool:
        ra, km_a = _run(pool, a, tmp_path)
        rb, km_b = _run(pool, b, tmp_path)
    assert (ra.status, rb.status) == ("ok", "ok"), rb.error
    assert km_a is km_b  # the same warm kernel served both chapters
    # one client and one readiness wait for the kernel's life: none per chapter or reset
    assert (len(clients), len(waits)) == (1, 1)
    if sys.platform != "win32":  # Unix sockets: kernels started at once cannot share a port
        assert km_a.transport == "ipc" and km_a.ip.startswith(tempfile.gettempdir())
    pid_a = nbformat.read(tmp_path / "a.ipynb", 4).cells[0].outputs[0]["text"].strip()
    pid_b = nbformat.read(tmp_path / "b.ipynb", 4).cells[0].outputs[0]["text"].strip()
    assert pid_a == pid_b


def test_failed_chapter_gets_a_fresh_kernel(tmp_path):
    bad = _chapter(tmp_path, "bad.ipynb", "x = 1", "raise ValueError('本章出错')")
    good = _chapter(tmp_path, "good.ipynb", "assert 'x' not in dir()")
    with WarmKernels(1, tmp_path) as pool:
        rbad, km_bad = _run(pool, bad, tmp_path)
        rgood, km_good = _run(pool, good, tmp_path)
    assert rbad.status == "failed" and "本章出错" in rbad.error
    assert rgood.status == "ok"
    assert km_good is not km_bad and not km_bad.is_alive()
    # the failing notebook keeps its error cell
    cells = nbformat.read(tmp_path / "bad.ipynb", 4).cells
    errors = [
        o for c in cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert [e["evalue"] for e in errors] == ["本章出错"]


def test_kernel_managers_never_share_an_address():
    a, b = kernel_manager(), kernel_manager()
    if sys.platform != "win32":
        assert a.transport == b.transport == "ipc"
        assert a.ip != b.ip and len(a.ip) + len("-99999") < 104  # Unix socket path limit


def test_a_chart_is_drawn_once_for_the_report_and_twice_for_its_files(tmp_path):
    """A chapter's chart (``tight_layout`` as the chapters call it) is drawn three times: once
    for the report's PNG and once each for figures/' 300-dpi PNG and SVG. Not seven: no
    post-execute redraw of open figures by pyplot (inline, it is dropped), and no measuring
    draw before each save (the tight box is measured without one, and the placeholder layout
    engine tight_layout leaves is off while saving)."""
    count_draws = (
        "import sys\n"
        "from matplotlib.figure import Figure\n"
        "sys._planeval_draws = []\n"
        "def _counting(self, renderer, _draw=Figure.draw, _calls=sys._planeval_draws):\n"
        "    _calls.append(1)\n"
        "    return _draw(self, renderer)\n"
        "Figure.draw = _counting"
    )
    chart = (
        "from planeval.charts.style import new_figure\n"
        "fig, ax = new_figure('small')\n"
        "ax.bar(['甲', '乙'], [3, 5])\n"
        "ax.set_title('两县对比')\n"
        "fig.tight_layout()"
    )
    check = (
        "import sys\n"
        "import matplotlib.pyplot as plt\n"
        "hooks = get_ipython().events.callbacks['post_execute']\n"
        "assert plt._draw_all_if_interactive not in hooks\n"
        "print(len(sys._planeval_draws))\n"
        "plt.ioff()  # pyplot knows the hook is gone: no error\n"
        "plt.ion()\n"
        "assert plt._draw_all_if_interactive in hooks  # and puts it back when asked"
    )
    ch = _chapter(tmp_path, "c.ipynb", count_draws, chart, check)
    with WarmKernels(1, tmp_path) as pool:
        r, _ = _run(pool, ch, tmp_path)
    assert r.status == "ok", r.error
    cells = nbformat.read(tmp_path / "c.ipynb", 4).cells
    html = [o for o in cells[1].outputs if "text/html" in o.get("data", {})]
    assert len(html) == 1 and "两县对比" in html[0]["data"]["text/html"]
    assert cells[2].outputs[0]["text"].strip() == "3"


def test_chapter_kernels_keep_no_input_history(tmp_path):
    """Warm and fresh chapter kernels alike: IPython's history (one sqlite file every warm
    kernel of a batch wrote to) is off, and a warm kernel's reset empties what it would have
    saved; the executed notebook is the record."""
    # ends in an expression: its Out is recorded (output_hist_reprs), for the reset to empty
    check = (
        "h = get_ipython().history_manager\nassert not h.enabled, 'history on'\nprint(h.db)\n1 + 1"
    )
    ch = _chapter(tmp_path, "h.ipynb", check)
    cached = _chapter(
        tmp_path,
        "c.ipynb",
        "h = get_ipython().history_manager\n"
        "print(len(h.db_input_cache), len(h.input_hist_parsed), len(h.input_hist_raw),"
        " len(h.output_hist_reprs))",
    )
    with WarmKernels(1, tmp_path) as pool:
        warm, _ = _run(pool, ch, tmp_path)
        after, _ = _run(pool, cached, tmp_path)  # the same kernel, after its reset
    assert after.status == "ok", after.error
    # only its own cell: the first chapter's went with the reset (the cache held 2 before,
    # In, parsed and raw, 3: "", the first chapter's cell and this one, and Out 1: its 1 + 1)
    out = nbformat.read(tmp_path / "c.ipynb", 4).cells[0].outputs[0]["text"].split()
    assert out == ["1", "2", "2", "0"]  # In: "" and this cell
    fresh = execute_chapter(ch, tmp_path / "fresh.ipynb", {}, tmp_path)
    assert (warm.status, fresh.status) == ("ok", "ok"), (warm.error, fresh.error)
    for nb in ("h.ipynb", "fresh.ipynb"):
        out = nbformat.read(tmp_path / nb, 4).cells[0].outputs[0]["text"]
        assert "DummyDB" in out
