"""Render narrative templates (Jinja2 → Markdown → safe HTML).

Templates live in ``narrative/templates/*.md.j2`` so an analyst can reword them without touching
Python. Rendering is strict: a template field that does not exist is an error naming the
template and the field. Markdown is turned into HTML with raw HTML disabled, so text that comes
from the data pack (unit names, 简况, notes) can never inject markup.

Two more guards keep pack text from becoming markup:

- every *value* a template prints (``{{ x }}``) that is a plain ``str`` has its Markdown
  characters backslash-escaped (:func:`escape_markdown`, the environments' ``finalize`` hook), so
  a unit name ``2*3*4`` stays ``2*3*4`` instead of turning into italics; the template's own text,
  numbers formatted by filters, rendered :class:`Narrative` objects and :class:`Md` strings
  (already Markdown: ``Narrative.markdown``) are left as they are;
- links and images are never rendered: ``[文件](https://…)`` shows as ``文件（https://…）`` and
  ``![x](http://…)`` as ``［图片未嵌入：x］``, so a note cannot make the report reach outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from planeval.paths import NARRATIVE_TEMPLATES_DIR
from planeval.plan import current_plan


class NarrativeError(ValueError):
    """A template or note refers to a figure that does not exist, or cannot be parsed."""


class Md(str):
    """A string that is already Markdown (a rendered template): printed as is, never escaped."""

    __slots__ = ()


# The characters that make inline Markdown (emphasis, code, links/images, table cells) and the
# backslash escape itself; a character already escaped is left alone, so escaping is idempotent
# (a macro's output printed again is not escaped twice).
_MD_SPECIAL = re.compile(r"(?<!\\)([*_`\[\]|])")
_MD_ESCAPED = re.compile(r"\\([*_`\[\]|])")


def escape_markdown(text: str) -> str:
    r"""``text`` with its inline Markdown characters backslash-escaped (idempotent).

    >>> escape_markdown("2*3*4 <b>x</b>"), escape_markdown("a_b [c]|d")
    ('2\\*3\\*4 <b>x</b>', 'a\\_b \\[c\\]\\|d')
    >>> escape_markdown(escape_markdown("2*3")) == escape_markdown("2*3")
    True
    >>> escape_markdown("下降12.5%，1,234起")  # formatted numbers need nothing
    '下降12.5%，1,234起'
    """
    return _MD_SPECIAL.sub(r"\\\1", text)


def unescape_markdown(text: str) -> str:
    r"""Undo :func:`escape_markdown` (for a rendered text used as plain text, e.g. a table cell).

    >>> unescape_markdown(escape_markdown("2*3*4_[x]"))
    '2*3*4_[x]'
    """
    return _MD_ESCAPED.sub(r"\1", text)


def _finalize(value):
    """Jinja ``finalize``: escape a printed plain ``str`` value (see the module docstring)."""
    if isinstance(value, str) and not isinstance(value, Md):
        return escape_markdown(value)
    return value


# Template folders searched after the package's own (a chapter registered from outside the
# package brings its templates: ChapterSpec.templates).
_EXTRA_DIRS: list[str] = []


def add_template_dir(path) -> None:
    """Search ``path`` for templates too, after ``narrative/templates`` (idempotent)."""
    p = str(path)
    if p not in _EXTRA_DIRS:
        _EXTRA_DIRS.append(p)
        _env.cache_clear()


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(NARRATIVE_TEMPLATES_DIR), *_EXTRA_DIRS]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown; HTML safety comes from markdown-it html=False
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=_finalize,
    )
    from planeval.narrative import filters

    env.filters.update(filters.FILTERS)
    return env


@cache
def sandbox() -> SandboxedEnvironment:
    """For text from outside the code base (analysts' notes): a note must not reach Python
    internals (``{{ ''.__class__ }}``-style tricks raise an error)."""
    from planeval.narrative import filters

    env = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown; HTML safety comes from markdown-it with html=False
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(filters.FILTERS)
    return env


def _link_open(self, tokens, idx, options, env) -> str:
    return ""


def _link_close(self, tokens, idx, options, env) -> str:
    """After a link's text: its address in brackets (nothing when the text is the address)."""
    j = idx - 1
    while j >= 0 and tokens[j].type != "link_open":
        j -= 1
    href = str(tokens[j].attrGet("href") or "") if j >= 0 else ""
    text = "".join(t.content for t in tokens[j + 1 : idx] if t.type in ("text", "code_inline"))
    if not href or text == href or tokens[j].markup == "autolink":
        return ""
    return escapeHtml(f"（{href}）")


def _image(self, tokens, idx, options, env) -> str:
    t = tokens[idx]
    alt = "".join(c.content for c in (t.children or [])) or str(t.attrGet("src") or "")
    return escapeHtml(f"［图片未嵌入：{alt}］")


@cache
def _md() -> MarkdownIt:
    """CommonMark + tables, raw HTML escaped, and no ``<a>``/``<img>`` ever emitted: a link keeps
    its text and shows its address in brackets, an image shows as ``［图片未嵌入：alt］``
    (the report is one offline file; the stitcher refuses anything that loads from outside)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


def markdown_to_html(text: str) -> str:
    """Markdown to HTML with raw HTML escaped (never passed through) and links/images as text.

    >>> markdown_to_html("见[文件](https://www.mem.gov.cn/)与![图](http://a/b.png)")
    '<p>见文件（https://www.mem.gov.cn/）与［图片未嵌入：图］</p>\\n'
    """
    return _md().render(text)


@dataclass(frozen=True)
class Narrative:
    """Rendered narrative: Markdown text that displays as safe HTML in a notebook."""

    markdown: str

    @property
    def plain(self) -> str:
        """The text without the escapes added to printed values (for a plain-text use)."""
        return unescape_markdown(self.markdown)

    def _repr_html_(self) -> str:
        return f'<div class="narrative">{markdown_to_html(self.markdown)}</div>'

    def __str__(self) -> str:
        return self.markdown


def _undefined_message(e: jinja2.UndefinedError, source: str) -> str:
    return f"{source} 引用了不存在的数字字段 (field)：{e.message}"


def render(template: str, /, **ctx) -> Narrative:
    """Render ``narrative/templates/<template>`` (e.g. ``"indicators/year.md.j2"``)."""
    ctx.setdefault("plan", current_plan())  # the plan evaluated: {{ plan.quoted }} …
    try:
        text = _env().get_template(template).render(**ctx)
    except jinja2.UndefinedError as e:
        raise NarrativeError(_undefined_message(e, f"模板 {template}")) from None
    return Narrative(Md(text.strip()))


def render_string(source: str, /, *, name: str = "说明", **ctx) -> Narrative:
    """Render a template given as text (an analyst's note) in a Jinja2 sandbox, strictly.

    ``name`` names the text in errors: a field that does not exist, a syntax error, or an
    operation the sandbox forbids each raise :class:`NarrativeError`.
    """
    ctx.setdefault("plan", current_plan())
    try:
        text = sandbox().from_string(source).render(**ctx)
    except jinja2.UndefinedError as e:
        raise NarrativeError(_undefined_message(e, name)) from None
    except jinja2.TemplateSyntaxError as e:
        raise NarrativeError(f"{name} 第{e.lineno}行模板语法错误：{e.message}") from None
    except jinja2.exceptions.SecurityError as e:
        raise NarrativeError(f"{name} 使用了不允许的模板操作：{e}") from None
    return Narrative(Md(text.strip()))


def syntax_error(text: str) -> str | None:
    r"""Why a note's template syntax cannot be parsed, in Chinese, or None when it parses.

    Only syntax: which fields a note may use depends on its chapter, checked when the chapter
    renders it. The public note validator the data pack loader calls.

    >>> syntax_error("共{{ n|int }}起") is None
    True
    >>> syntax_error("甲\n共{{ n|int 起").split("：")[0]
    '第2行模板语法错误（{{ … }} 或 {% … %} 未正确书写）'
    """
    import jinja2

    try:
        sandbox().parse(text)
    except jinja2.TemplateSyntaxError as e:
        return f"第{e.lineno}行模板语法错误（{{{{ … }}}} 或 {{% … %}} 未正确书写）：{e.message}"
    return None
