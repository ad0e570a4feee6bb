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


def _source(kind: str) -> tuple[Path, int]:
    """The font file and face index a subset of ``kind`` is cut from."""
    if kind == "serif":
        return serif_regular(), 0
    if kind == "sans":
        return sans_regular(), 0
    if kind == "sans-bold":
        src = sans_variable()
        return src, _sc_face_index(src)
    raise ValueError(f"unknown font kind {kind!r}")


def _hb_subset(src: Path, index: int, chars: str, *, weight: int | None = None) -> bytes:
    """An OpenType subset of face ``index`` of ``src`` holding ``chars``, cut by HarfBuzz.

    Every layout feature, script and name is kept (what the face does for these characters,
    the ZHS ``locl`` dash and the ``——`` ligature of ``ccmp`` among them); ``.notdef`` keeps
    its outline. ``weight``: pin the variable font's ``wght`` axis there (a static instance)
    and downgrade its CFF2 outlines to CFF, which PDF can embed.
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(src)), index)
    inp = hb.SubsetInput()
    inp.unicode_set.update(ord(c) for c in chars)
    for every in (inp.layout_feature_tag_set, inp.layout_script_tag_set, inp.name_id_set,
                  inp.name_lang_id_set):  # fmt: skip
        every.clear()
        every.invert()
    flags = hb.SubsetFlags.NOTDEF_OUTLINE
    if weight is not None:
        inp.pin_axis_location(face, "wght", weight)
        flags |= hb.SubsetFlags.DOWNGRADE_CFF2
    inp.flags = flags
    out = hb.subset(face, inp)
    if out is None:  # pragma: no cover - HarfBuzz could not subset this face
        raise RuntimeError(f"HarfBuzz could not subset {src.name}")
    return bytes(out.blob.data)


def subset_font(kind: str, text: str, *, cache_dir: Path | None = None) -> bytes:
    """A WOFF subset of one report font holding the characters of ``text`` (plus BASE_CHARS).

    Parameters
    ----------
    kind : ``"serif"`` (Noto Serif SC Regular, body), ``"sans"`` (Noto Sans SC Regular, 黑体) or
        ``"sans-bold"`` (the Simplified Chinese face of the Noto Sans CJK variable font,
        instanced at weight 700: a real bold).
    text : the text that will be set in this font.
    cache_dir : where finished subsets are kept, keyed by font and character set
        (default ``paths.CACHE_DIR / "fonts"``).

    Returns
    -------
    bytes
        The WOFF font file, for ``@font-face { src: url(data:font/woff;base64,...) }``.

    Notes
    -----
    Every county's first report has a character set of its own (its names), so each report
    cuts its faces anew. HarfBuzz's subsetter (``hb-subset``, through ``uharfbuzz``) cuts the
    three in about 0.05 CPU-s; fontTools' subsetter took 0.8 s for the serif face, 0.5 s for
    the sans and 2.4 s for the bold (instanced by ``varLib.mutator``): it decompiles the CJK
    fonts' layout tables and outlines in Python. The WOFF wrapper (zlib; fontTools, from
    HarfBuzz's bytes) keeps the whole font's bounding boxes, which hold every glyph of the
    subset. ``tests/unit/test_report_fonts.py`` checks the outlines against the source faces
    (the bold against the variable font's exact blend at weight 700).
    """
    import hashlib
    import io

    from fontTools.ttLib import TTFont

    from planeval.paths import CACHE_DIR

    chars = "".join(sorted(set(text) | set(BASE_CHARS)))
    src, index = _source(kind)
    key = hashlib.sha256(
        f"v4-hb\0{kind}\0{src.name}\0{src.stat().st_size}\0{chars}".encode()
    ).hexdigest()[:24]
    cache = Path(cache_dir or CACHE_DIR / "fonts")
    hit = cache / f"{kind}-{key}.woff"
    if hit.exists():
        return hit.read_bytes()

    otf = _hb_subset(src, index, chars, weight=700 if kind == "sans-bold" else None)
    font = TTFont(io.BytesIO(otf), recalcBBoxes=False, recalcTimestamp=False)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    data = buf.getvalue()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = hit.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(hit)
    return data
