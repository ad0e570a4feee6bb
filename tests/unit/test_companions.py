"""``--companions``: which files a report ships beside it (planeval.report.companions)."""

from __future__ import annotations

import argparse

import pytest

from planeval.cli import _parser as build_parser
from planeval.report.companions import (
    ALL,
    COMPANIONS,
    from_args,
    option_text,
    parse_companions,
    skipped_text,
)
from planeval.report.params import ParamsError


def test_the_five_companions_in_the_order_a_report_folder_lists_them():
    assert list(COMPANIONS) == ["xlsx", "figures", "pages", "changes", "checklist"]
    assert frozenset(COMPANIONS) == ALL


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("xlsx,checklist", {"xlsx", "checklist"}),
        ("附表，数据核查清单", {"xlsx", "checklist"}),  # Chinese names, a full-width comma
        ("核查清单、图表", {"checklist", "figures"}),  # the short names, 、 between
        (" Pages ; changes ", {"pages", "changes"}),  # case and spaces do not matter
        ("checklist,checklist", {"checklist"}),
        ("all", set(ALL)),
        ("全部", set(ALL)),
        ("none", set()),
        ("无", set()),
        (["figures", "章节页"], {"figures", "pages"}),
        (["xlsx,checklist", "pages"], {"xlsx", "checklist", "pages"}),  # each item split
        ((), set()),  # an empty list: none (a batch task's)
        (True, set(ALL)),
        (None, set(ALL)),
        (False, set()),
    ],
)
def test_parse_names_chinese_names_and_the_words_for_all_and_none(value, expected):
    assert parse_companions(value) == frozenset(expected)


def test_an_unknown_name_is_a_chinese_error_listing_the_names():
    with pytest.raises(ParamsError) as e:
        parse_companions("xlsx,图片,pdf")
    (msg,) = e.value.problems
    assert msg.startswith("--companions 中的附件不认识：图片、pdf（可用：xlsx（附表）、figures")
    assert msg.endswith("checklist（数据核查清单），或 all、none）")


@pytest.mark.parametrize("value", ["", " ，、 ", [""], ["  ", ","]])
def test_a_text_without_a_name_is_an_error_not_none_nor_all(value):
    """``--companions ""`` (an empty shell variable, say), or the list ``"".split(",")`` gives
    an API caller: neither all nor none silently (an empty list is none, as documented)."""
    with pytest.raises(ParamsError) as e:
        parse_companions(value)
    assert e.value.problems[0].startswith("--companions 后面需要附件名（可用：xlsx（附表）")
    assert e.value.problems[0].endswith("不生成附件请用 --no-companions")
    assert parse_companions([]) == frozenset()


@pytest.mark.parametrize("value", [1, b"xlsx", ["xlsx", 2]])
def test_a_value_of_another_type_is_a_chinese_error(value):
    with pytest.raises(ParamsError) as e:
        parse_companions(value)
    assert e.value.problems[0].startswith("--companions 应为逗号分隔的附件名，实际为 ")


def test_the_option_that_gives_a_choice_and_what_the_manifest_says_was_left_out():
    assert option_text(ALL) == ""
    assert option_text(frozenset()) == "--no-companions"
    assert option_text(frozenset({"xlsx", "checklist"})) == "--companions checklist,xlsx"
    assert skipped_text(ALL) is None
    assert skipped_text(frozenset({"figures", "pages", "changes", "checklist"})) == (
        "未生成附表（附表.xlsx）（--companions changes,checklist,figures,pages）"
    )
    assert skipped_text(frozenset()).startswith("未生成附表（附表.xlsx）、图表文件（figures/）")
    assert skipped_text(frozenset()).endswith(
        "数据核查清单（数据核查清单.html/.xlsx/.json）（--no-companions）"
    )


@pytest.mark.parametrize("sub", [["run", "--params", "p.yaml"], ["batch", "县区.yaml"]])
def test_the_command_line_of_run_and_batch(sub, capsys):
    parser = build_parser()
    assert from_args(parser.parse_args(sub)) is True
    assert from_args(parser.parse_args([*sub, "--no-companions"])) is False
    assert (
        from_args(parser.parse_args([*sub, "--companions", "xlsx,checklist"])) == "xlsx,checklist"
    )
    assert from_args(parser.parse_args([*sub, "--companions", ""])) == ""  # then an error
    with pytest.raises(SystemExit) as e:
        parser.parse_args([*sub, "--companions", "xlsx", "--no-companions"])
    assert e.value.code == 2
    assert from_args(argparse.Namespace()) is True  # a caller's own namespace
