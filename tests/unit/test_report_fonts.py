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


def _points(glyphs, name):
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    pen = DecomposingRecordingPen(glyphs)
    glyphs[name].draw(pen)
    return [pt for _, args in pen.value for pt in args]


def _distance(a, b):
    return (abs(p - q) for pa, pb in zip(a, b, strict=True) for p, q in zip(pa, pb, strict=True))


TEXT = "应急管理规划评估报告（2023年）：隐患整改率98.4%——较大事故"


def test_regular_subsets_draw_the_source_faces_outlines(tmp_path):
    """Serif and sans subsets: every character of the text drawn exactly as the source face
    draws it (the same points, the same advance width)."""
    for kind, src in (("serif", fonts.serif_regular()), ("sans", fonts.sans_regular())):
        sub = TTFont(io.BytesIO(fonts.subset_font(kind, TEXT, cache_dir=tmp_path)))
        full = TTFont(str(src), lazy=True)
        got, want = sub.getGlyphSet(), full.getGlyphSet()
        for ch in TEXT:
            a, b = sub.getBestCmap()[ord(ch)], full.getBestCmap()[ord(ch)]
            assert got[a].width == want[b].width, (kind, ch)
            assert _points(got, a) == _points(want, b), (kind, ch)
        assert ord("龘") not in sub.getBestCmap()


def test_bold_subset_draws_the_weight_700_outlines(tmp_path):
    """The bold is the variable font pinned at weight 700 (by HarfBuzz). Its glyphs must be
    that font's own outlines at 700, blended exactly by fontTools (``getGlyphSet(location=...)``,
    no rounding): the same advance widths, the same points within 1 font unit of 1000 (the
    instance rounds to integers), and not the regular weight's outlines."""
    src = fonts.sans_variable()
    variable = TTFont(str(src), fontNumber=fonts._sc_face_index(src), lazy=True)
    exact, regular = variable.getGlyphSet(location={"wght": 700}), variable.getGlyphSet()
    bold = TTFont(io.BytesIO(fonts.subset_font("sans-bold", TEXT, cache_dir=tmp_path)))
    drawn = bold.getGlyphSet()
    for ch in TEXT:
        name, vname = bold.getBestCmap()[ord(ch)], variable.getBestCmap()[ord(ch)]
        assert drawn[name].width == round(exact[vname].width), ch
        got, want, reg = _points(drawn, name), _points(exact, vname), _points(regular, vname)
        assert len(got) == len(want) == len(reg), ch
        assert max(_distance(got, want)) <= 1, ch
        if "\u4e00" <= ch <= "\u9fff":
            assert max(_distance(got, reg)) > 20, ch  # a real bold, not the regular outlines


def _substitutes(font, tag: str, char: str) -> bool:
    """Whether a GSUB feature ``tag`` of ``font`` (under any script) substitutes ``char``."""
    gsub, glyph = font["GSUB"].table, font.getBestCmap()[ord(char)]
    for rec in gsub.FeatureList.FeatureRecord:
        if rec.FeatureTag != tag:
            continue
        for i in rec.Feature.LookupListIndex:
            for sub in gsub.LookupList.Lookup[i].SubTable:
                sub = getattr(sub, "ExtSubTable", sub)
                if glyph in getattr(sub, "mapping", {}) or glyph in getattr(sub, "ligatures", {}):
                    return True
    return False


def test_subsets_keep_the_chinese_forms_of_the_layout_features(tmp_path):
    """The subsets keep the faces' layout tables for their characters: with lang zh-Hans the
    em dash takes its Chinese (full-width) form (``locl``) and "——" its ligature (``ccmp``);
    Latin keeps its kerning."""
    for kind in ("serif", "sans", "sans-bold"):
        f = TTFont(io.BytesIO(fonts.subset_font(kind, TEXT, cache_dir=tmp_path)))
        assert _substitutes(f, "locl", "—") and _substitutes(f, "ccmp", "—"), kind
        assert "kern" in {r.FeatureTag for r in f["GPOS"].table.FeatureList.FeatureRecord}
