"""The messy fixture pack loads to the same frames as its clean twin; the cache; check-data."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from test_data_validation import ACC, make_pack

from planeval import paths
from planeval.data import check, load
from planeval.data.load import load_pack
from planeval.data.pack import PROVENANCE
from planeval.data.schema import LEDGERS

PACKS = paths.PROJ_ROOT / "tests" / "fixtures" / "packs"


@pytest.fixture(scope="module")
def clean():
    return load_pack(PACKS / "clean", use_cache=False)


@pytest.fixture(scope="module")
def messy():
    return load_pack(PACKS / "messy", use_cache=False)


def test_messy_equals_clean(clean, messy):
    assert set(clean.frames) == set(messy.frames) == {lg.key for lg in LEDGERS}
    for key in clean.frames:
        a = clean.frames[key].drop(columns=list(PROVENANCE))
        b = messy.frames[key].drop(columns=list(PROVENANCE))
        pd.testing.assert_frame_equal(a, b, obj=key)


def test_hand_checked_figures(clean):
    acc = clean.accidents
    assert acc["grade"].tolist() == ["一般", "一般", "较大", "一般"]  # 3 deaths is 较大
    assert int(acc["deaths"].sum()) == 6
    assert clean.annual_value(2021, "地区生产总值(亿元)") == 1234.5
    assert clean.annual_note(2021, "常住人口(万人)") == "第七次人口普查后修订"
    assert clean.hazards["fixed"].isna().sum() == 1  # one open hazard
    assert clean.indicators["base_year"].tolist()[:2] == [2020, 2020]
    assert clean.indicators["base_year"].isna().tolist() == [False, False, True]


def test_messy_provenance_and_extras(messy):
    acc = messy.accidents
    assert acc["_row"].tolist() == [3, 4, 6, 7]  # title row 1, header 2, blank row 5
    assert acc["_file"].unique().tolist() == ["应急管理台账2023.xlsx"]
    assert messy.hazards["_file"].unique().tolist() == ["隐患.csv"]
    assert messy.fires["_sheet"].unique().tolist() == [""]
    assert messy.notes == {"12_risk": "危化品专项整治的数据来自县安委办通报。\n"}
    assert messy.suppress == {"reserve-shortfall": "冲锋舟已于2023年7月补齐"}


def test_dtypes(clean):
    for lg in LEDGERS:
        df = clean.frames[lg.key]
        for f in lg.fields:
            want = {"date": "datetime64[ns]", "int": "int64", "float": "float64"}.get(f.kind)
            if f.kind == "year":
                want = "Int64" if f.nullable else "int64"
            if want:
                assert str(df[f.name].dtype) == want, (lg.key, f.name)
            else:
                assert pd.api.types.is_string_dtype(df[f.name]), (lg.key, f.name)
        assert df["_row"].dtype == "int64"


def test_cache_hit_returns_equal_pack(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    first = load_pack(PACKS / "messy")
    entries = list((tmp_path / "cache" / "packs").iterdir())
    assert [e.name for e in entries] == [first.input_hash]
    calls = []
    monkeypatch.setattr(load, "_build", lambda *a: calls.append(a))
    second = load_pack(PACKS / "messy")
    assert calls == []  # served from the cache
    assert second.input_hash == first.input_hash
    assert second.summary == first.summary
    assert (second.notes, second.suppress) == (first.notes, first.suppress)
    for key, df in first.frames.items():
        pd.testing.assert_frame_equal(second.frames[key], df, obj=key)


def test_cache_key_follows_input_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    rows = [ACC, ["A1", "2021-03-05", "消防", "火灾", 1]]
    root = make_pack(tmp_path / "p", 生产安全事故=rows)
    a = load_pack(root)
    rows[1][4] = 2
    make_pack(tmp_path / "p", 生产安全事故=rows)
    b = load_pack(root)
    assert a.input_hash != b.input_hash
    assert b.accidents["deaths"].tolist() == [2]


def test_cache_race_keeps_one_complete_entry(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    pack = load_pack(PACKS / "clean", use_cache=False)
    target = tmp_path / "cache" / "packs" / pack.input_hash
    load._write_cache(target, pack)
    load._write_cache(target, pack)  # a second writer finds it done
    assert sorted(p.name for p in (tmp_path / "cache" / "packs").iterdir()) == [pack.input_hash]
    assert load._read_cache(target, pack.root, pack.input_hash) is not None


def test_check_data_summary(clean):
    buf = io.StringIO()
    assert check.main(str(PACKS / "clean"), out=buf) == 0
    text = buf.getvalue()
    assert "台账（16 个）：" in text
    assert "  生产安全事故       4 行，2021–2023年    来源：台账.xlsx › 生产安全事故" in text
    assert "  物资储备　　       2 行    来源：台账.xlsx › 物资储备" in text
    assert text.rstrip().endswith("检查通过。")


def test_check_data_messy_says_what_was_normalised():
    buf = io.StringIO()
    assert check.main(str(PACKS / "messy"), out=buf) == 0
    text = buf.getvalue()
    assert "  - 生产安全事故：删除合计/小计行 1 行（第8行）" in text
    assert "  - 生产安全事故：跳过表头上方的标题行（第1行）" in text
    assert "警告（2 条，不影响使用）：" in text


def test_check_data_lists_every_problem(tmp_path):
    rows = [ACC, ["A1", "2021-03-05", "消防", "火灾", -1], ["A1", "2021-03-06", "化工", "火灾", 0]]
    root = make_pack(tmp_path, 生产安全事故=rows)
    buf = io.StringIO()
    assert check.main(str(root), out=buf) == 1
    lines = buf.getvalue().splitlines()
    assert lines[0] == "数据包有 3 个错误，请修正后重试："
    assert (
        lines[1]
        == "  1. 生产安全事故.xlsx，工作表“生产安全事故”，第2行，列“死亡 (deaths)”，值“-1”：不能为负数"
    )
    assert lines[2].startswith(
        "  2. 生产安全事故.xlsx，工作表“生产安全事故”，第3行，列“编号 (id)”，值“A1”：编号重复"
    )
    assert lines[3].startswith(
        "  3. 生产安全事故.xlsx，工作表“生产安全事故”，第3行，列“行业领域 (sector)”，值“化工”"
    )


def test_check_data_cli_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "planeval.cli", "check-data", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (
        proc.stdout.strip()
        == f"数据包有 1 个错误，请修正后重试：\n  1. {tmp_path / 'missing'}：数据包目录不存在，请检查路径"
    )
