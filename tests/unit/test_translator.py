"""Injected parameters are readable Chinese and still exactly the values given."""

from __future__ import annotations

import ast

import nbformat
import pytest
from papermill.parameterize import parameterize_notebook
from papermill.translators import PythonTranslator, papermill_translators

from planeval.report.translator import HEADER, ReadableTranslator, py_literal, register

VALUES = [
    "青山县",
    "2023年上半年",
    "/数据/青山县/数据包",
    'C:\\台账\\"新"',
    "第一行\n第二行\t",
    "零宽\u200b空格",
    "",
    "emoji 🚒",
]


@pytest.mark.parametrize("text", VALUES)
def test_literal_is_the_same_value(text):
    assert ast.literal_eval(py_literal(text)) == text


def test_chinese_stays_chinese_unprintables_are_escaped():
    assert py_literal("青山县") == '"青山县"'
    assert py_literal("a\nb") == '"a\\nb"'
    assert py_literal("零宽\u200b") == '"零宽\\u200b"'  # invisible characters stay visible
    # papermill's own translator, for comparison: every Chinese character escaped
    assert PythonTranslator.translate_str("青山县") == '"\\u9752\\u5c71\\u53bf"'


def test_codify_writes_a_readable_injected_cell():
    src = ReadableTranslator.codify(
        {"county": "青山县", "period": "中期", "jobs": 2, "findings": {"阈值": 0.1}}
    )
    lines = src.strip().splitlines()
    assert lines[0] == f"# {HEADER}"
    assert 'county = "青山县"' in lines and 'period = "中期"' in lines
    assert "jobs = 2" in lines
    assert lines[-1] == 'check_types(globals(), ["county", "period", "jobs", "findings"])'
    ns: dict = {"__annotations__": {"county": str, "period": str, "jobs": int, "findings": dict}}
    exec(src, ns)  # noqa: S102 - the cell papermill would run (types as declared: no error)
    assert ns["findings"] == {"阈值": 0.1}


def test_the_injected_cell_refuses_an_int_for_a_str_parameter():
    from planeval.report.nbparams import ParameterTypeError

    src = ReadableTranslator.codify({"period": 2022})
    with pytest.raises(ParameterTypeError, match="参数 period 应为文本，实际为整数 2022"):
        exec(src, {"__annotations__": {"period": str}})  # noqa: S102


def test_registered_for_the_planeval_kernel_only():
    register()
    register()  # idempotent
    assert papermill_translators.find_translator("planeval", "python") is ReadableTranslator
    assert papermill_translators.find_translator("python3", "python") is PythonTranslator


def test_papermill_injects_readable_parameters():
    register()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "planeval", "language": "python", "display_name": "p"}
    cell = nbformat.v4.new_code_cell('county: str = "示例县"  # 县名')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["papermill"] = {}  # as papermill.execute_notebook prepares it
    out = parameterize_notebook(nb, {"county": "青山县"}, kernel_name="planeval")
    injected = next(c for c in out.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'county = "青山县"' in injected.source
    assert "\\u" not in injected.source


def test_importing_papermill_alone_registers_it():
    # The papermill.engine entry point: a fresh process that imports only papermill (as the
    # papermill command line does) gets the readable translator and the planeval engine.
    import subprocess
    import sys

    code = (
        "import papermill\n"
        "from papermill.translators import papermill_translators as t\n"
        "from papermill.engines import papermill_engines as e\n"
        "print(t.find_translator('planeval', 'python').__name__, e.get_engine('planeval').__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["ReadableTranslator", "PlanevalEngine"]
