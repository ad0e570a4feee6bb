"""Typed parameters, checked inside the notebook: ``-p period 2022`` is not silently an int.

A chapter's ``parameters`` cell declares ``period: str = "midterm"``. papermill injects values
after it without looking at those types: ``papermill … -p period 2022`` makes ``period`` the int
2022, ``-p data_dir 5`` an int data folder. IPython records the cell's annotations in the
namespace's ``__annotations__``; :func:`check_types` compares each declared parameter's value
with its type and stops the chapter with one Chinese message naming every mismatch and the way
to pass the value as text (papermill's ``-r``, which passes it raw, or quotes in YAML).

``planeval run`` never trips it (its parameter file is validated first); it is for papermill
and hand-edited notebooks, and runs at the end of the injected-parameters cell (see
:mod:`planeval.report.translator`) and in the chapter facade.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

# The help each chapter's parameters cell gives (``name: type = default  # help``): what the value
# is and every accepted form, so an analyst in JupyterLab needs no other page.
# tests/unit/test_nbparams.py checks every chapter notebook against it.
PARAMETER_HELP: dict[str, str] = {
    "data_dir": "数据包目录（放台账工作簿和 notes/ 的文件夹）；留空则用内置示例县数据",
    "period": "评估期：中期、总结、2022年、2023年上半年、2023年第三季度、2021-01-01..2023-06-30"
    "（也可写 midterm、final、2022、2023H1、2023Q3）",
    "county": "县名，用于标题和正文，如 青山县",
    "metrics_dir": "关键数字 JSON 的输出目录；留空则不写",
    "findings": '问题识别阈值覆盖：JSON 或 YAML 映射，如 {"projects.delay_gap": 0.1}，'
    "可用的键见 lib/planeval/thresholds.yaml；留空用默认值",
}

_KIND_ZH = {str: "文本", int: "整数", float: "数值", bool: "是/否 (True/False)", dict: "映射"}


class ParameterTypeError(TypeError):
    """Parameters whose values do not have their declared types (message in Chinese)."""


def _allowed(annotation: Any) -> tuple[type, ...] | None:
    """The runtime types an annotation admits, or None when it cannot be checked."""
    if isinstance(annotation, str):  # `from __future__ import annotations` in a cell
        annotation = {"str": str, "int": int, "float": float, "bool": bool}.get(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[type] = []
        for arg in typing.get_args(annotation):
            sub = _allowed(arg)
            if sub is None:
                return None
            out += sub
        return tuple(out)
    if annotation is type(None):
        return (type(None),)
    if annotation is float:
        return (float, int)  # 15 is a fine value for a float parameter
    if isinstance(annotation, type):
        return (annotation,)
    return None


def _ok(value: Any, allowed: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in allowed:
        return False  # True is an int to Python, not to an analyst
    return isinstance(value, allowed)


def _kind(allowed: tuple[type, ...]) -> str:
    names = [_KIND_ZH.get(t, t.__name__) for t in allowed if t is not type(None)]
    if int in allowed and float in allowed:
        names.remove("整数")
    text = "或".join(dict.fromkeys(names))
    return text + ("（可为 None）" if type(None) in allowed else "")


def check_types(namespace: Mapping[str, Any], names: list[str] | None = None) -> None:
    """Check the declared parameters of a notebook namespace (``globals()`` in a cell).

    Parameters
    ----------
    namespace : the kernel's globals after the parameters (and injected-parameters) cells.
    names : the parameters to check (default: every annotated name in ``namespace``).

    Raises
    ------
    ParameterTypeError
        One or more values do not have their declared type; the message names each parameter,
        its value and the declared type, and says how to pass text.

    Examples
    --------
    >>> check_types({"__annotations__": {"period": str}, "period": "2022"})
    >>> check_types({"__annotations__": {"period": str}, "period": 2022})
    Traceback (most recent call last):
    ...
    planeval.report.nbparams.ParameterTypeError: 参数类型不符，本章未执行：
      - 参数 period 应为文本，实际为整数 2022（papermill 请用 -r period 2022 按原文传入；YAML 中请加引号："2022"）
    """
    declared = dict(namespace.get("__annotations__") or {})
    problems = []
    for name in names if names is not None else list(declared):
        if name not in declared or name not in namespace:
            continue
        allowed = _allowed(declared[name])
        value = namespace[name]
        if allowed is None or _ok(value, allowed):
            continue
        got = _KIND_ZH.get(type(value), type(value).__name__)
        msg = f"参数 {name} 应为{_kind(allowed)}，实际为{got} {value!r}"
        if str in allowed and isinstance(value, int | float):
            msg += f'（papermill 请用 -r {name} {value} 按原文传入；YAML 中请加引号："{value}"）'
        problems.append(msg)
    if problems:
        raise ParameterTypeError(
            "参数类型不符，本章未执行：\n" + "\n".join(f"  - {p}" for p in problems)
        )
