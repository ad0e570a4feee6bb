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
    assert list(tmp_path.glob("sans-bold-*.woff2"))  # cached: the next run reuses it
    assert fonts.subset_font("sans-bold", "规划评估报告", cache_dir=tmp_path) == data


def test_serif_subset_covers_text(tmp_path):
    f = TTFont(io.BytesIO(fonts.subset_font("serif", "应急管理", cache_dir=tmp_path)))
    cmap = f.getBestCmap()
    assert all(ord(c) in cmap for c in "应急管理（）、。0123456789")
    assert ord("龘") not in cmap  # a subset, not the whole font
