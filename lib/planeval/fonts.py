"""The report's fonts: pip-installed, openly licensed (SIL OFL 1.1), found once.

- Noto Serif SC / Noto Sans SC Regular (package ``pylopdf-fonts-zh-cn``): body text and charts.
- Noto Sans CJK variable font (package ``manimgx-fonts-cjk``): a real bold (weight 700).

The Word report names the faces Chinese offices have; these open faces stand for them in the PDF
(and, through :func:`fontconfig_file`, when LibreOffice converts the Word file here):

- 方正小标宋简体 (title), 仿宋_GB2312 (body, 三级/四级 headings), 宋体 (page numbers) → Noto Serif SC;
- 黑体 (一级 headings, table headers and captions) → Noto Sans SC;
- 楷体_GB2312 (二级 headings) → Noto Serif SC: no openly licensed 楷体 face is packaged on the
  package index (LXGW WenKai is not), so 二级 headings are told apart by their numbering only.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def sans_regular() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


@cache
def serif_regular() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.serif_path())


@cache
def sans_variable() -> Path:
    import manimgx_fonts_cjk

    return next(Path(manimgx_fonts_cjk.__file__).parent.glob("*.ttc"))


# Word's face names → the open face standing for it (family name as fontconfig knows it).
STAND_INS = {
    "方正小标宋简体": "Noto Serif SC",
    "仿宋_GB2312": "Noto Serif SC",
    "仿宋": "Noto Serif SC",
    "宋体": "Noto Serif SC",
    "楷体_GB2312": "Noto Serif SC",
    "楷体": "Noto Serif SC",
    "黑体": "Noto Sans SC",
}


def fontconfig_file(path: Path) -> Path:
    """A fontconfig configuration that adds the report fonts and maps Word's face names to them.

    With ``FONTCONFIG_FILE`` pointing at it, LibreOffice lays out the Word report in the same
    faces (and so with the same metrics) as the PDF: the check that both paginate alike.
    """
    dirs = sorted({str(p.parent) for p in (sans_regular(), serif_regular())})
    aliases = "".join(
        f'<match target="pattern"><test name="family"><string>{name}</string></test>'
        f'<edit name="family" mode="assign" binding="strong"><string>{alt}</string></edit></match>'
        for name, alt in STAND_INS.items()
    )
    xml = (
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        + "".join(f"<dir>{d}</dir>" for d in dirs)
        + f"<cachedir>{Path(path).parent / 'fc-cache'}</cachedir>"
        + aliases
        + "</fontconfig>"
    )
    Path(path).write_text(xml, encoding="utf-8")
    return Path(path)


def all_fonts() -> dict[str, Path]:
    return {"sans": sans_regular(), "serif": serif_regular(), "sans_vf": sans_variable()}


# --------------------------------------------------------------------------- subsets for embedding
# Always in a subset, whatever the report says: ASCII, CJK punctuation, and the page furniture
# the print CSS adds (第 N 页 / 共 M 页, 目录).
BASE_CHARS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "　、。，．：；？！“”‘’（）《》〈〉【】〔〕—…·％‰×÷±≤≥～①②③④⑤⑥⑦⑧⑨⑩"
    + "第页共目录一二三四五六七八九十〇零年月日表图"
    + "•"  # the list marker WeasyPrint draws for <ul> (else a fallback face: DejaVu)
)


def _sc_face_index(path: Path) -> int:
    """Index of the Simplified Chinese face in the Noto Sans CJK collection."""
    from fontTools.ttLib import TTCollection

    coll = TTCollection(str(path), lazy=True)
    for i, f in enumerate(coll.fonts):
        if "CJK SC" in (f["name"].getDebugName(1) or ""):
            return i
    return 0


def subset_font(kind: str, text: str, *, cache_dir: Path | None = None) -> bytes:
    """A WOFF subset of one report font holding the characters of ``text`` (plus BASE_CHARS).

    Parameters
    ----------
    kind : ``"serif"`` (Noto Serif SC Regular, body), ``"sans"`` (Noto Sans SC Regular, 黑体) or
        ``"sans-bold"`` (the Simplified Chinese face of the Noto Sans CJK variable font,
        instanced at weight 700: a real bold).
    text : the text that will be set in this font.
    cache_dir : where finished subsets are kept, keyed by font and character set
        (default ``paths.CACHE_DIR / "fonts"``); a warm run costs nothing.

    Returns
    -------
    bytes
        The WOFF font file, for ``@font-face { src: url(data:font/woff;base64,...) }``.

    Notes
    -----
    A county's first report (its names make a new character set) pays the cut, so it is kept
    cheap, about 7 CPU-s for the three faces instead of 20:

    - WOFF (zlib), not WOFF2: Brotli at fontTools' fixed quality 11 took 2.5 s of the serif
      face's 6 s, for a file 11 % smaller;
    - the bounding boxes of the whole font are kept (``recalcBBoxes=False``): still true of a
      subset, and redrawing every glyph to recompute them took another 1.5 s;
    - the bold is pinned at weight 700 by ``varLib.mutator`` (a full instance), a third of
      ``varLib.instancer``'s time for the same outlines (``tests/unit/test_report_fonts.py``
      compares the two); the instancer is the fallback should fontTools drop the mutator.
    """
    import hashlib
    import io

    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    from planeval.paths import CACHE_DIR

    chars = "".join(sorted(set(text) | set(BASE_CHARS)))
    src = {"serif": serif_regular, "sans": sans_regular}.get(kind, sans_variable)()
    key = hashlib.sha256(
        f"v3\0{kind}\0{src.name}\0{src.stat().st_size}\0{chars}".encode()
    ).hexdigest()[:24]
    cache = Path(cache_dir or CACHE_DIR / "fonts")
    hit = cache / f"{kind}-{key}.woff"
    if hit.exists():
        return hit.read_bytes()

    if kind in ("serif", "sans"):
        font = TTFont(str(src), recalcBBoxes=False)
    elif kind == "sans-bold":
        font = TTFont(str(src), fontNumber=_sc_face_index(src), recalcBBoxes=False)
    else:
        raise ValueError(f"unknown font kind {kind!r}")
    opts = ft_subset.Options()
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    sub = ft_subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    if kind == "sans-bold":
        # Subset first, then instance: instancing the whole CJK font takes minutes.
        from fontTools.cffLib.CFF2ToCFF import convertCFF2ToCFF

        font = bold_instance(font)
        # A static instance still has a CFF2 table, which PDF cannot embed: convert to CFF.
        convertCFF2ToCFF(font)
        font.recalcBBoxes = False  # hhea recalculation trips over the converted charset
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = hit.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(hit)
    return data


def bold_instance(font, *, fast: bool = True):
    """The static weight-700 instance of a (subset) Noto Sans CJK variable font.

    ``fast``: ``varLib.mutator``, deprecated but kept by fontTools, is three times quicker than
    ``varLib.instancer`` for a full instance; ``fast=False`` (or a fontTools without the
    mutator) takes the instancer.
    """
    if fast:
        import warnings

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # its deprecation notice
                from fontTools.varLib import mutator

                return mutator.instantiateVariableFont(font, {"wght": 700})
        except ImportError:  # pragma: no cover - a fontTools without the mutator
            pass
    from fontTools.varLib import instancer

    return instancer.instantiateVariableFont(font, {"wght": 700}, updateFontNames=False)
