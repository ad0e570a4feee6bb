"""Render narrative templates (Jinja2 → Markdown → safe HTML).

Templates live in ``narrative/templates/*.md.j2`` so an analyst can reword them without touching
Python. Rendering is strict: a template field that does not exist is an error naming the
template and the field. Markdown is turned into HTML with raw HTML disabled, so text that comes
from the data pack (unit names, 简况, notes) can never inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt

from planeval.paths import NARRATIVE_TEMPLATES_DIR


class NarrativeError(ValueError):
    """A template or note refers to a figure that does not exist, or cannot be parsed."""


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(NARRATIVE_TEMPLATES_DIR)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; HTML safety comes from markdown-it html=False
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    from planeval.narrative import filters

    env.filters.update(filters.FILTERS)
    return env


@cache
def _sandbox() -> SandboxedEnvironment:
    """For text from outside the code base (analysts' notes): a note must not reach Python
    internals (``{{ ''.__class__ }}``-style tricks raise an error)."""
    from planeval.narrative import filters

    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown; HTML safety comes from markdown-it with html=False
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(filters.FILTERS)
    return env


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown_to_html(text: str) -> str:
    """Markdown to HTML with raw HTML escaped (never passed through)."""
    return _md().render(text)


@dataclass(frozen=True)
class Narrative:
    """Rendered narrative: Markdown text that displays as safe HTML in a notebook."""

    markdown: str

    def _repr_html_(self) -> str:
        return f'<div class="narrative">{markdown_to_html(self.markdown)}</div>'

    def __str__(self) -> str:
        return self.markdown


def _undefined_message(e: jinja2.UndefinedError, source: str) -> str:
    return f"{source} 引用了不存在的数字字段 (field)：{e.message}"


def render(template: str, /, **ctx) -> Narrative:
    """Render ``narrative/templates/<template>`` (e.g. ``"indicators/year.md.j2"``)."""
    try:
        text = _env().get_template(template).render(**ctx)
    except jinja2.UndefinedError as e:
        raise NarrativeError(_undefined_message(e, f"模板 {template}")) from None
    return Narrative(text.strip())


def render_string(source: str, /, *, name: str = "说明", **ctx) -> Narrative:
    """Render a template given as text (an analyst's note) in a Jinja2 sandbox, strictly.

    ``name`` names the text in errors: a field that does not exist, a syntax error, or an
    operation the sandbox forbids each raise :class:`NarrativeError`.
    """
    try:
        text = _sandbox().from_string(source).render(**ctx)
    except jinja2.UndefinedError as e:
        raise NarrativeError(_undefined_message(e, name)) from None
    except jinja2.TemplateSyntaxError as e:
        raise NarrativeError(f"{name} 第{e.lineno}行模板语法错误：{e.message}") from None
    except jinja2.exceptions.SecurityError as e:
        raise NarrativeError(f"{name} 使用了不允许的模板操作：{e}") from None
    return Narrative(text.strip())
