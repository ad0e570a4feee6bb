"""Run the hostile-input corpus (``hostile_corpus.py``): each case refused with located messages
or accepted with the hand-worked figures; never a traceback, never an unlocated error."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_corpus import CASES, Case

from planeval.data import DataPackError
from planeval.data.check import check_suppress
from planeval.data.check import main as check_data
from planeval.data.load import load_pack

PLANEVAL = Path(sys.executable).with_name("planeval")


def located(p) -> bool:
    """A problem names its file and at least a sheet, a row or a column (or is about a file)."""
    return bool(p.file) and (
        p.sheet is not None or p.row is not None or p.column is not None or "." in p.file
    )


def figures(pack, keys) -> dict[str, float]:
    out = {}
    for k in keys:
        ledger, col = k.split(".")
        if ledger == "suppress":
            out[k] = len(pack.suppress)
            continue
        df = pack.get(ledger)
        out[k] = len(df) if col == "rows" else float(df[col].sum())
    return out


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_case(c: Case, tmp_path):
    root = tmp_path / c.id
    c.build(root)
    if c.subprocess:  # it used to abort in native code: the exit status itself is the test
        r = subprocess.run(
            [str(PLANEVAL), "check-data", str(root)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert r.returncode == (1 if c.refused else 0), (r.returncode, r.stdout, r.stderr)
        assert "Traceback" not in r.stdout + r.stderr
        for words in c.refused:
            assert words in r.stdout
    buf = io.StringIO()
    code = check_data(str(root), out=buf)
    text = buf.getvalue()
    assert "Traceback" not in text and "检查数据包时出错" not in text, text
    if c.refused:
        assert code == 1, text
        with pytest.raises(DataPackError) as ei:
            check_suppress(load_pack(root, use_cache=False))
        errors = [p for p in ei.value.problems if p.severity == "error"]
        assert all(located(p) for p in errors), [str(p) for p in errors]
        assert len(errors) == len(c.refused), [str(p) for p in errors]
        for words in c.refused:
            assert any(words in str(p) for p in errors), (words, [str(p) for p in errors])
    else:
        assert code == 0, text
        pack = check_suppress(load_pack(root, use_cache=False))
        assert figures(pack, c.accepted) == pytest.approx(c.accepted)
        warns = [str(w) for w in pack.summary.warnings]
        for words in c.warnings:
            assert any(words in w for w in warns), (words, warns)


def test_corpus_writes_out(tmp_path):
    from hostile_corpus import write_corpus

    out = write_corpus(tmp_path / "corpus")
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(c.id for c in CASES)
    assert (out / "expected.json").exists()
