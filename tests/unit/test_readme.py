"""README shows the two commands first and a ledger table in step with the schema."""

import re

from planeval.data.schema import markdown_table
from planeval.paths import PROJ_ROOT

README = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")


def test_two_commands_come_first():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    assert "make report" in first_block and "make test" in first_block


def test_ledger_table_matches_schema():
    block = re.search(r"<!-- ledgers:start[^>]*-->\n(.*?)\n<!-- ledgers:end -->", README, re.S)
    assert block, "README lost its ledger table markers"
    assert block.group(1).strip() == markdown_table().strip()


def test_bad_input_promises_point_to_tests_that_exist():
    """Every test file, test function and corpus case the README cites exists."""
    import ast
    import sys

    section = README.split("## Your own data", 1)[1].split("## Running a report", 1)[0]
    tests = PROJ_ROOT / "tests"
    cited_files = set(re.findall(r"(tests/[\w/]+\.py)", section))
    for m in re.finditer(
        r"`((?:tests/[\w/]+/)?(test_\w+\.py))::(test_\w+)`((?:, `::test_\w+`)*)", section
    ):
        path = m.group(1) if m.group(1).startswith("tests/") else None
        path = PROJ_ROOT / path if path else next(tests.rglob(m.group(2)))
        names = {
            n.name
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.FunctionDef)
        }
        for name in [m.group(3), *re.findall(r"::(test_\w+)", m.group(4))]:
            assert name in names, f"{path.name}::{name}"
    for f in cited_files:
        assert (PROJ_ROOT / f).exists(), f
    sys.path.insert(0, str(tests / "hostile"))
    try:
        from hostile_corpus import CASES
    finally:
        sys.path.remove(str(tests / "hostile"))
    ids = {c.id for c in CASES}
    cited = set()
    for row in re.findall(r"corpus (`[\w-]+`(?:, `[\w-]+`)*)", section):
        cited |= set(re.findall(r"`([\w-]+)`", row))
    assert cited and cited <= ids, cited - ids


def _block(heading: str, lang: str) -> str:
    section = README.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{lang}\n(.*?)```", section, re.S).group(1)


def _planeval_argv(line: str) -> list[str]:
    import shlex

    return shlex.split(line.split("planeval", 1)[1].split("#")[0].replace("\\", "/"))


def test_first_report_steps_are_commands_that_parse():
    from planeval.cli import _chinese_argparse, _parser

    lines = [ln for ln in _block("Your first report", "bash").splitlines() if "planeval " in ln]
    subs = []
    with _chinese_argparse():
        for ln in lines:
            args = _parser().parse_args(_planeval_argv(ln))
            subs.append(args.cmd)
    assert subs == ["init", "check-data", "run"]


def test_no_make_section_uses_python_m_only_and_every_module_exists():
    import importlib.util

    from planeval.cli import _chinese_argparse, _parser

    lines = [ln for ln in _block("Without make", "bat").splitlines() if ln.strip()]
    assert lines[0].startswith("py -3.11 -m venv .venv")
    for ln in lines[1:]:
        assert ln.startswith(r".venv\Scripts\python -m "), ln  # no make, no bash, no PATH
        module = ln.split(" -m ", 1)[1].split()[0]
        assert importlib.util.find_spec(module) is not None, module
    cmds = [ln for ln in lines if " -m planeval " in ln]
    with _chinese_argparse():
        got = [_parser().parse_args(_planeval_argv(ln)).cmd for ln in cmds]
    assert got == ["init", "check-data", "run", "run"]  # the last one is make report


def test_durations_of_both_commands_are_stated():
    top = README.split("## Your first report", 1)[0]
    assert re.search(r"`make report` takes\s+≈ \d+ s", top)
    assert re.search(r"`make test` ≈ \d+ min", top)


def test_where_to_look_first_names_the_executed_notebook_and_the_manifest():
    section = README.split("## When something fails", 1)[1].split("\n## ", 1)[0]
    assert "notebooks/<chapter>.ipynb" in section and "manifest.json" in section
