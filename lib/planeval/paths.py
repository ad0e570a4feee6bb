"""Every path the project uses, defined once (cookiecutter-data-science ``config.py`` habit)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJ_ROOT / "data"
DEMO_DATA_DIR = DATA_DIR / "demo"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
PARAMS_DIR = PROJ_ROOT / "params"
REPORTS_DIR = PROJ_ROOT / "reports"
CACHE_DIR = PROJ_ROOT / ".cache"

# Jinja2 narrative templates (one file per paragraph kind); analysts may reword them.
NARRATIVE_TEMPLATES_DIR = PACKAGE_DIR / "narrative" / "templates"
# The one nbconvert template directory (conf.json with base_template: lab).
NBCONVERT_TEMPLATE_DIR = PACKAGE_DIR / "report" / "templates" / "planeval"

# Kernel registered into .venv by `make venv`; always passed to papermill.
KERNEL_NAME = "planeval"


# --------------------------------------------------------------------------- names used as paths
# A name the user chooses (the county) becomes one folder under the output root. It must stay one
# folder: no separator, no ``.``/``..``, nothing invisible, nothing Windows refuses (reports are
# copied to Windows machines), and short enough for every file system (255 bytes per name).
_FORBIDDEN_IN_NAME = '/\\:*?"<>|'
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(10)
}
MAX_NAME_CHARS = 50


class UnsafePathError(ValueError):
    """A user-chosen name or path that would leave the folder it belongs in (message in Chinese)."""


def _invisible(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")


def folder_name(name: str) -> str:
    """Check that ``name`` can be used as exactly one folder name, and return it.

    Parameters
    ----------
    name : e.g. the county, ``示例县``.

    Returns
    -------
    str
        ``name`` unchanged (a checked name is never silently rewritten: two counties whose names
        differ only in a stripped character must not share a folder).

    Raises
    ------
    UnsafePathError
        Separators (``/``, ``\\``), ``.``/``..``, a leading ``.``, a trailing ``.`` or space,
        control or invisible characters (NUL, zero-width, direction marks), characters Windows
        forbids (``:*?"<>|``), Windows device names, or more than :data:`MAX_NAME_CHARS`
        characters. The message says which.

    Examples
    --------
    >>> folder_name("示例县")
    '示例县'
    >>> folder_name("../../x")
    Traceback (most recent call last):
    ...
    planeval.paths.UnsafePathError: 含有路径分隔符“/”
    """
    for ch in name:
        if _invisible(ch):
            raise UnsafePathError(f"含有不可见的控制字符 U+{ord(ch):04X}")
    for ch in name:
        if ch in _FORBIDDEN_IN_NAME:
            kind = "路径分隔符" if ch in "/\\" else "文件名不允许的字符"
            raise UnsafePathError(f"含有{kind}“{ch}”")
    if name in (".", ".."):
        raise UnsafePathError(f"“{name}”表示目录本身或上级目录")
    if not name or not name.strip():
        raise UnsafePathError("为空")
    if name.startswith("."):
        raise UnsafePathError("不能以“.”开头（隐藏目录）")
    if name != name.rstrip(". "):
        raise UnsafePathError("不能以“.”或空格结尾")
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        raise UnsafePathError(f"“{name}”是 Windows 的设备名")
    if len(name) > MAX_NAME_CHARS:
        raise UnsafePathError(f"超过 {MAX_NAME_CHARS} 个字符")
    return name


def path_inside(root: Path, *names: str) -> Path:
    """``root / names[0] / ...``, refused unless it resolves strictly inside ``root``.

    Each name is checked with :func:`folder_name`; the joined path is then resolved (symbolic
    links followed) and must lie below ``root`` resolved, so a symlinked county folder pointing
    elsewhere is refused too. Whatever later renames or removes this path (the report swap) stays
    inside ``root``.

    Raises
    ------
    UnsafePathError
        A name is not a single folder name, or the path resolves outside ``root``.
    """
    for n in names:
        folder_name(n)
    path = Path(root).joinpath(*names)
    real_root = Path(root).resolve()
    real = path.resolve()
    if real == real_root or not real.is_relative_to(real_root):
        raise UnsafePathError(f"{path} 实际指向 {real}，不在 {real_root} 之内（符号链接？）")
    return path
