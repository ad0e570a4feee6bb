"""The findings thresholds: one documented YAML file (``thresholds.yaml``), overridable per run.

>>> t = load_thresholds()
>>> t["rectification.benchmark"]
0.984
>>> load_thresholds('{"rectification": {"benchmark": 0.95}}')["rectification.benchmark"]
0.95
>>> load_thresholds("projects.delay_gap: 0.1")["projects.delay_gap"]
0.1
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from planeval import safeyaml

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.yaml")
SEVERITIES: tuple[str, ...] = ("高", "中", "低")


class FindingsConfigError(ValueError):
    """An override of the findings thresholds that cannot be used (message in Chinese)."""


@cache
def _defaults() -> dict[str, Any]:
    return safeyaml.load(THRESHOLDS_FILE.read_text(encoding="utf-8"))


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        # verdict_severity is a value (a mapping), not a section
        if isinstance(v, Mapping) and not key.endswith("verdict_severity"):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _check_value(key: str, default: Any, value: Any) -> Any:
    if key.endswith("severity") and not key.endswith("verdict_severity"):
        if value not in SEVERITIES:
            raise FindingsConfigError(
                f"发现规则阈值 (findings) “{key}” 的值“{value}”无效：严重程度应为 高、中 或 低"
            )
        return value
    if key.endswith("verdict_severity"):
        if not isinstance(value, Mapping) or any(s not in SEVERITIES for s in value.values()):
            raise FindingsConfigError(
                f"发现规则阈值 (findings) “{key}” 应为“评价: 严重程度”的映射，严重程度为 高、中 或 低"
            )
        return dict(value)
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FindingsConfigError(
                f"发现规则阈值 (findings) “{key}” 的值“{value}”无效：应为数字"
            )
        if value < 0:
            raise FindingsConfigError(
                f"发现规则阈值 (findings) “{key}” 的值“{value}”无效：不能为负数"
            )
        return value
    return value


@dataclass(frozen=True)
class Thresholds(Mapping[str, Any]):
    """Flat, read-only view of the thresholds: ``t["projects.delay_gap"]``.

    ``overridden`` lists the keys whose value came from the run's parameters (shown in the
    method note).
    """

    values: dict[str, Any]
    overridden: tuple[str, ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"unknown findings threshold {key!r}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def parse_overrides(text: str | Mapping[str, Any] | None) -> dict[str, Any]:
    """Read overrides given as a mapping, or as JSON / YAML text (empty → no overrides).

    Nested (``{"projects": {"delay_gap": 0.1}}``) and dotted (``{"projects.delay_gap": 0.1}``)
    keys are both accepted.

    Raises
    ------
    FindingsConfigError
        When the text is not a mapping.
    """
    if text is None:
        return {}
    if isinstance(text, Mapping):
        data: Any = text
    else:
        s = str(text).strip()
        if not s:
            return {}
        try:
            data = json.loads(s)
        except json.JSONDecodeError:
            try:
                data = safeyaml.load(s)
            except safeyaml.SafeYAMLError as e:
                raise FindingsConfigError(
                    f"发现规则阈值 (findings) 参数无法解析为 JSON 或 YAML：{e}"
                ) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise FindingsConfigError(
            f'发现规则阈值 (findings) 参数应为键值映射，例如 {{"projects.delay_gap": 0.1}}，实际为“{data}”'
        )
    return _flatten(data)


def load_thresholds(overrides: str | Mapping[str, Any] | None = None) -> Thresholds:
    """The documented thresholds with ``overrides`` applied.

    Parameters
    ----------
    overrides
        JSON or YAML text, or a mapping; nested or dotted keys (see :func:`parse_overrides`).

    Returns
    -------
    Thresholds

    Raises
    ------
    FindingsConfigError
        For an unknown key (the message lists the valid ones) or a value of the wrong kind.
    """
    values = copy.deepcopy(_flatten(_defaults()))
    ov = parse_overrides(overrides)
    for key, value in ov.items():
        if key not in values:
            valid = "、".join(sorted(values))
            raise FindingsConfigError(
                f"发现规则阈值 (findings) 中没有“{key}”这一项；可用的项：{valid}"
            )
        values[key] = _check_value(key, values[key], value)
    return Thresholds(values, tuple(sorted(ov)))
