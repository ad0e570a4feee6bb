"""Injected parameters an analyst can read: Chinese written as Chinese, not ``\\u9752``.

papermill writes the values it injects into a chapter (the ``injected-parameters`` cell) through
a *translator* looked up by kernel name, then by language. Its Python translator escapes every
non-ASCII character (``county = "\\u9752\\u5c71\\u53bf"``), so the executed notebook — the log of
a run — hides the county, the period and the data folder. :class:`ReadableTranslator` writes the
same Python literals with printable characters kept as they are (``county = "青山县"``); only
quotes, backslashes and unprintable characters (newlines, control and invisible characters) are
escaped, so the cell is still exactly the value papermill was given.

It is registered for the kernel ``planeval`` only (papermill's registry, as papermill registers
its own: ``papermill_translators.register(name, Translator)``), so other notebooks in the same
process keep papermill's behaviour. Importing this module registers it (idempotent); so does
importing papermill itself in an environment where planeval is installed, through the
``papermill.engine`` entry point in :mod:`planeval.report.papermill_plugin` — the ``papermill``
command line included.

After the assignments the cell checks the injected values against the types the parameters
cell declares (:func:`planeval.report.nbparams.check_types`): ``papermill -p period 2022``
gives an int, which is refused in Chinese instead of being accepted silently.
"""

from __future__ import annotations

from papermill.translators import PythonTranslator, papermill_translators

from planeval.paths import KERNEL_NAME

HEADER = "Parameters（planeval run 注入，覆盖上面 parameters 单元格的默认值）"


def py_literal(text: str) -> str:
    """A double-quoted Python string literal for ``text``, printable characters kept.

    >>> print(py_literal('青山县'))
    "青山县"
    >>> print(py_literal('a"b\\\\c\\n'))
    "a\\"b\\\\c\\n"
    """
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch.isprintable():
            out.append(ch)
        else:  # newline, tab, NUL, zero-width and direction marks: visible escapes
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return '"' + "".join(out) + '"'


class ReadableTranslator(PythonTranslator):
    """papermill's Python translator, with strings written readably (see the module)."""

    @classmethod
    def translate_escaped_str(cls, str_val):
        if isinstance(str_val, str):
            return py_literal(str_val)
        return super().translate_escaped_str(str_val)

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        """The assignments, then the type check of what was injected (``-p period 2022`` is
        an int; see :mod:`planeval.report.nbparams`)."""
        content = super().codify(parameters, HEADER if comment == "Parameters" else comment)
        names = ", ".join(py_literal(str(n)) for n in parameters)
        return (
            content
            + "from planeval.report.nbparams import check_types  # 按 parameters 单元格声明的类型检查\n"
            + f"check_types(globals(), [{names}])\n"
        )


def register() -> None:
    """Use :class:`ReadableTranslator` for notebooks run with the ``planeval`` kernel."""
    papermill_translators.register(KERNEL_NAME, ReadableTranslator)


# At import, so that papermill's entry-point loading (report/papermill_plugin.py) finds it done
# even when this module is what imported papermill in the first place.
register()
