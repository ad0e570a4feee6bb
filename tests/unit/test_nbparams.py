"""Typed parameters are checked inside the notebook (papermill itself does not)."""

from __future__ import annotations

from typing import Optional

import pytest
from IPython.core.interactiveshell import InteractiveShell

from planeval.paths import NOTEBOOKS_DIR
from planeval.report.nbparams import ParameterTypeError, check_types

CELL = """\
data_dir: str = ""        # 数据包目录
period: str = "midterm"   # 评估期
jobs: int = 1             # 并行数
ratio: float = 0.5        # 比例
title: Optional[str] = None  # 标题
"""


def _ns(**values):
    ns = {
        "__annotations__": {
            "data_dir": str,
            "period": str,
            "jobs": int,
            "ratio": float,
            "title": Optional[str],  # noqa: UP045 - the papermill form
        },
        "data_dir": "",
        "period": "midterm",
        "jobs": 1,
        "ratio": 0.5,
        "title": None,
    }
    ns.update(values)
    return ns


def test_declared_types_pass():
    check_types(_ns())
    check_types(_ns(ratio=15, title="青山县报告"))  # an int is a fine float; Optional accepts str


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"period": 2022}, "参数 period 应为文本，实际为整数 2022（papermill 请用 -r period 2022"),
        ({"data_dir": 5.5}, "参数 data_dir 应为文本，实际为数值 5.5"),
        ({"jobs": "2"}, "参数 jobs 应为整数，实际为文本 '2'"),
        ({"jobs": True}, "参数 jobs 应为整数，实际为是/否 (True/False) True"),
        ({"ratio": "0.5"}, "参数 ratio 应为数值，实际为文本 '0.5'"),
        ({"title": 3}, "参数 title 应为文本（可为 None），实际为整数 3"),
    ],
)
def test_mismatches_are_named_in_chinese(values, said):
    with pytest.raises(ParameterTypeError) as e:
        check_types(_ns(**values))
    assert said in str(e.value)
    assert str(e.value).startswith("参数类型不符，本章未执行：")


def test_every_mismatch_at_once_and_only_the_names_asked():
    with pytest.raises(ParameterTypeError) as e:
        check_types(_ns(period=2022, jobs="x"))
    assert str(e.value).count("\n  - ") == 2
    check_types(_ns(jobs="x"), names=["period", "data_dir"])  # jobs not asked: passes
    check_types({"period": 2022})  # nothing declared: nothing to check


def test_in_a_kernel_namespace_after_papermill_injection():
    sh = InteractiveShell.instance()
    try:
        sh.run_cell(CELL)
        sh.run_cell("period = 2022")  # what `papermill -p period 2022` injects
        r = sh.run_cell("from planeval.report.nbparams import check_types; check_types(globals())")
        assert isinstance(r.error_in_exec, ParameterTypeError)
        assert "参数 period 应为文本，实际为整数 2022" in str(r.error_in_exec)
        sh.run_cell('period = "2022"')  # `-r period 2022`
        assert sh.run_cell("check_types(globals())").error_in_exec is None
    finally:
        InteractiveShell.clear_instance()


def test_the_period_help_lists_only_forms_that_parse():
    import re

    from planeval.periods import Period
    from planeval.report.nbparams import PARAMETER_HELP

    listed = PARAMETER_HELP["period"].split("：", 1)[1]
    forms = [f.removeprefix("也可写 ") for f in re.findall(r"[^、（）]+", listed)]
    assert forms[:6] == [
        "中期",
        "总结",
        "2022年",
        "2023年上半年",
        "2023年第三季度",
        "2021-01-01..2023-06-30",
    ]
    for form in forms:
        Period.parse(form)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_chapter_parameters_cell_says_what_it_accepts(path):
    import papermill

    from planeval.report.nbparams import PARAMETER_HELP

    declared = papermill.inspect_notebook(str(path))
    assert {"data_dir", "period", "county", "metrics_dir"} <= set(declared)
    for name, info in declared.items():
        assert info["help"] == PARAMETER_HELP[name], name
