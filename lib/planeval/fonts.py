"""The report's fonts: pip-installed, openly licensed (SIL OFL 1.1), found once.

- Noto Serif SC / Noto Sans SC Regular (package ``pylopdf-fonts-zh-cn``): body text and charts.
- Noto Sans CJK variable font (package ``manimgx-fonts-cjk``): bold headings.
"""

from __future__ import annotations

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


def all_fonts() -> dict[str, Path]:
    return {"sans": sans_regular(), "serif": serif_regular(), "sans_vf": sans_variable()}
