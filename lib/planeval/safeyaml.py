"""The one YAML loader for every YAML file the tool reads (parameters, ``notes/suppress.yaml``,
finding thresholds and their overrides).

``yaml.safe_load`` builds no arbitrary objects, but it still lets a small file do harm or say one
thing while meaning another:

- **aliases**: nine nested anchors (``b: &b [*a,*a,…]``) make a 1 KB file stand for 10⁹ values;
  whoever walks the result afterwards (validation, hashing, JSON) runs for minutes and gigabytes.
  At most :data:`MAX_ALIASES` aliases per document are accepted;
- **tags**: ``!!python/object`` is refused by the safe loader already; ``!!binary``, ``!!set``,
  ``!!timestamp`` or custom ``!tags`` have no place in these files either, so every explicit tag is
  refused;
- **duplicate keys**: ``county: 甲县`` … ``county: 乙县`` silently keeps the last; refused;
- **depth and size**: nesting beyond :data:`MAX_DEPTH` and files beyond :data:`MAX_BYTES` are
  refused before Python's recursion limit or memory is reached.

Errors are :class:`SafeYAMLError` with a Chinese reason and the line, never a traceback.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASES = 16
MAX_DEPTH = 64
MAX_BYTES = 1 << 20


class SafeYAMLError(ValueError):
    """Why a YAML text was refused (Chinese), with its 1-based line when known."""

    def __init__(self, reason: str, line: int | None = None):
        self.reason = reason
        self.line = line
        super().__init__(f"第{line}行：{reason}" if line else reason)


def _line(node_or_event: Any) -> int | None:
    mark = getattr(node_or_event, "start_mark", None)
    return None if mark is None else mark.line + 1


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise SafeYAMLError(
                    f"引用（*别名）超过 {MAX_ALIASES} 个：这类文件不需要锚点和别名，请直接写出每个值",
                    _line(event),
                )
        else:
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                raise SafeYAMLError(
                    f"不允许使用 YAML 标签“{tag}”：请直接写值（文字、数字），不要写 !! 或 ! 开头的标签",
                    _line(event),
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise SafeYAMLError(f"嵌套超过 {MAX_DEPTH} 层", _line(event))
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[Any, int | None] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # ``<<: *base`` (the safe loader's merge key)
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise SafeYAMLError("键必须是文字或数字", _line(key_node)) from None
            if key in seen:
                raise SafeYAMLError(
                    f"键“{key}”出现了两次（第{seen[key]}行和第{_line(key_node)}行），请只保留一处",
                    _line(key_node),
                )
            seen[key] = _line(key_node)
        return super().construct_mapping(node, deep=deep)


def load(text: str) -> Any:
    """Parse one YAML document the safe way (see the module docstring).

    Parameters
    ----------
    text : the file's text.

    Returns
    -------
    Any
        What ``yaml.safe_load`` would return for an ordinary file.

    Raises
    ------
    SafeYAMLError
        Too large, too deep, too many aliases, an explicit tag, a duplicate key, or a syntax
        error (with its line).

    Examples
    --------
    >>> load("county: 示例县\\nperiod: '2022'")
    {'county': '示例县', 'period': '2022'}
    >>> load("a: !!python/object:os.system ls")
    Traceback (most recent call last):
    ...
    planeval.safeyaml.SafeYAMLError: 第1行：不允许使用 YAML 标签“tag:yaml.org,2002:python/object:os.system”：请直接写值（文字、数字），不要写 !! 或 ! 开头的标签
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SafeYAMLError(f"文件超过 {MAX_BYTES >> 20} MB，不像是参数或说明文件")
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except SafeYAMLError:
        raise
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        detail = " ".join(str(x) for x in (e.context, e.problem) if x)
        raise SafeYAMLError(
            f"YAML 格式错误（{detail}）", None if mark is None else mark.line + 1
        ) from None
    except yaml.YAMLError as e:
        raise SafeYAMLError(f"YAML 格式错误（{e}）") from None
    except RecursionError:
        raise SafeYAMLError(f"嵌套超过 {MAX_DEPTH} 层") from None
    finally:
        loader.dispose()
