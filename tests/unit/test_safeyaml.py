"""The one YAML loader (``planeval.safeyaml``) and every reader that goes through it."""

from __future__ import annotations

import time

import pytest

from planeval import safeyaml
from planeval.safeyaml import SafeYAMLError

# nine nested anchors: 9**9 (387 million) leaves in a 300-byte file
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_alias_bomb_refused_at_once():
    t = time.process_time()
    with pytest.raises(SafeYAMLError, match="引用（\\*别名）超过 16 个") as e:
        safeyaml.load(BOMB)
    assert e.value.line == 3  # the 17th alias is on the third line
    assert time.process_time() - t < 1  # CPU time of this process, not wall clock


def test_a_few_aliases_are_fine():
    text = "a: &x 1\n" + "".join(f"k{i}: *x\n" for i in range(16))
    assert safeyaml.load(text)["k15"] == 1
    with pytest.raises(SafeYAMLError):
        safeyaml.load(text + "k16: *x\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system [ls]",
        "a: !!binary aGVsbG8=",
        "a: !!set {x, y}",
        "a: !custom x",
        "a: !!str 2022",
    ],
)
def test_every_explicit_tag_refused(text):
    with pytest.raises(SafeYAMLError, match="不允许使用 YAML 标签"):
        safeyaml.load(text)


def test_duplicate_key_refused_with_both_lines():
    with pytest.raises(SafeYAMLError, match="键“county”出现了两次（第1行和第3行）"):
        safeyaml.load("county: 甲县\nperiod: '2022'\ncounty: 乙县\n")


def test_deep_nesting_and_size():
    with pytest.raises(SafeYAMLError, match="嵌套超过 64 层"):
        safeyaml.load("[" * 5000)
    with pytest.raises(SafeYAMLError, match="文件超过 1 MB"):
        safeyaml.load("a: " + "x" * (1 << 20))


def test_ordinary_yaml_reads_as_safe_load_does():
    import datetime as dt

    got = safeyaml.load(
        "county: 示例县\nperiod: 2022\nreport_date: 2023-07-31\nx: [1, 2.5, null]\n"
    )
    assert got == {
        "county": "示例县",
        "period": 2022,
        "report_date": dt.date(2023, 7, 31),
        "x": [1, 2.5, None],
    }


def test_syntax_error_has_its_line():
    with pytest.raises(SafeYAMLError) as e:
        safeyaml.load("a: 1\nb: [1, 2\n")
    assert e.value.line == 3 and "YAML 格式错误" in e.value.reason


# --------------------------------------------------------------------------- the readers
def test_suppress_yaml_bomb_is_a_located_problem(tmp_path):
    import shutil
    from pathlib import Path

    from planeval.data import DataPackError
    from planeval.data.load import load_pack

    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "packs" / "clean", tmp_path / "p")
    (tmp_path / "p" / "notes").mkdir(exist_ok=True)
    (tmp_path / "p" / "notes" / "suppress.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(DataPackError) as e:
        load_pack(tmp_path / "p", use_cache=False)
    errs = [str(p) for p in e.value.problems if p.severity == "error"]
    assert errs == [
        "notes/suppress.yaml，第3行：引用（*别名）超过 16 个：这类文件不需要锚点和别名，请直接写出每个值；"
        "应为每行“发现id: 原因”"
    ]


def test_params_file_goes_through_the_same_loader(write_params, tmp_path):
    from planeval.report.params import ParamsError, load_params

    p = write_params()
    p.write_text(p.read_text(encoding="utf-8") + "county: 乙县\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="键“county”出现了两次"):
        load_params(p)
    p.write_text(BOMB, encoding="utf-8")
    with pytest.raises(ParamsError, match="引用"):
        load_params(p)


def test_findings_overrides_go_through_the_same_loader():
    from planeval.thresholds import FindingsConfigError, parse_overrides

    with pytest.raises(FindingsConfigError, match="不允许使用 YAML 标签"):
        parse_overrides("projects.delay_gap: !!float 0.1")
