"""Font subsets embedded in the HTML/PDF: the right characters, a real bold, PDF-embeddable."""

from __future__ import annotations

import io

from fontTools.ttLib import TTFont

from planeval import fonts


def test_bold_subset_is_static_weight_700_cff(tmp_path):
    data = fonts.subset_font("sans-bold", "规划评估报告", cache_dir=tmp_path)
    f = TTFont(io.BytesIO(data))
    assert f["OS/2"].usWeightClass == 700
    assert "fvar" not in f and "CFF2" not in f and "CFF " in f  # PDF embeds CFF, not CFF2
    cmap = f.getBestCmap()
    assert all(ord(c) in cmap for c in "规划评估报告第页共")
    assert list(tmp_path.glob("sans-bold-*.woff"))  # cached: the next run reuses it
    assert fonts.subset_font("sans-bold", "规划评估报告", cache_dir=tmp_path) == data


def test_serif_subset_covers_text(tmp_path):
    f = TTFont(io.BytesIO(fonts.subset_font("serif", "应急管理", cache_dir=tmp_path)))
    cmap = f.getBestCmap()
    assert all(ord(c) in cmap for c in "应急管理（）、。0123456789")
    assert ord("龘") not in cmap  # a subset, not the whole font


def test_fast_bold_instance_draws_the_weight_700_outlines():
    """The bold is pinned by ``varLib.mutator`` (fast). Its glyphs must be the variable font's
    own outlines at weight 700, blended exactly (``getGlyphSet(location=...)``, no rounding):
    the same advance widths, the same points, each within 5 font units of 1000 (the mutator
    rounds every relative move, so the error adds up along a contour: 4.5 at most on these
    characters, 0.07 pt on a 16 pt heading); and not the regular weight's outlines."""
    from fontTools import subset as ft_subset
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    src = fonts.sans_variable()
    text = "应急管理规划评估报告"

    def cut():
        f = TTFont(str(src), fontNumber=fonts._sc_face_index(src), recalcBBoxes=False)
        opts = ft_subset.Options()
        opts.notdef_outline = True
        sub = ft_subset.Subsetter(opts)
        sub.populate(text=text)
        sub.subset(f)
        return f

    def points(glyphs, name):
        pen = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(pen)
        return [pt for _, args in pen.value for pt in args]

    def distance(a, b):
        return (
            abs(p - q) for pa, pb in zip(a, b, strict=True) for p, q in zip(pa, pb, strict=True)
        )

    variable = cut()
    exact, regular = variable.getGlyphSet(location={"wght": 700}), variable.getGlyphSet()
    bold = fonts.bold_instance(cut())
    assert "fvar" not in bold and bold["OS/2"].usWeightClass == 700
    drawn = bold.getGlyphSet()
    for ch in text:
        name = bold.getBestCmap()[ord(ch)]
        assert name == variable.getBestCmap()[ord(ch)]
        assert drawn[name].width == exact[name].width == 1000
        got, want, reg = points(drawn, name), points(exact, name), points(regular, name)
        assert len(got) == len(want) == len(reg)
        off = max(distance(got, want))
        assert off <= 5, (ch, off)
        assert max(distance(got, reg)) > 20, ch
