"""The 数据核查清单's proof: each entry's figure recomputed from its listed rows alone, read from
the original workbook (openpyxl / csv / pyarrow, not the planeval loader), and the value as the
report prints it worked out by hand. Used by tests/unit/test_provenance.py (the entries of the
demo and messy packs) and tests/e2e/test_demo_report.py (the demo report's own checklist, with
the figures its sentences print)."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from planeval.data.schema import LEDGERS
from planeval.vocab import SECTOR_ALIASES

HEADERS = {  # Chinese column name → every header the format accepts for it
    f.zh: {f.zh, *f.aliases} for ledger in LEDGERS for f in ledger.fields
}


@cache
def _workbook(path: Path):
    return openpyxl.load_workbook(path, data_only=True)


@cache
def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "utf-16", "gb18030"):  # the encodings the format accepts
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text, newline="")))
    raise AssertionError(f"{path}: not UTF-8, UTF-16 or GBK")


# 等级 as a ledger may write it (the format's accepted values, written out again here).
LEVELS = {"重大": "重大", "重大隐患": "重大", "一般": "一般", "一般隐患": "一般"}


@cache
def _grid(pack: Path, file: str, sheet: str) -> list[list[object]]:
    """The sheet (or file) as rows of raw cells; grid[0] is Excel row 1."""
    path = pack / file
    if path.suffix == ".xlsx":
        return [list(r) for r in _workbook(path)[sheet].iter_rows(values_only=True)]
    if path.suffix == ".csv":
        return _csv(path)
    import pyarrow.parquet as pq

    t = pq.read_table(path).to_pylist()
    names = list(t[0]) if t else []
    return [names, *([r[n] for n in names] for r in t)]


def _header(grid: list[list[object]], row: int, names: list[str]) -> dict[str, int]:
    """Column index of each wanted Chinese name, from the header row above data row ``row``."""
    for r in range(0, row - 1):
        cells = [_text(c) for c in grid[r]]
        found = {}
        for name in names:
            for i, c in enumerate(cells):
                if c in HEADERS.get(name, {name}):
                    found[name] = i
        if len(found) == len(names):
            return found
    raise AssertionError(f"no header row with {names}")


def _text(v: object) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v))) if v is not None else ""


def _number(v: object) -> float:
    if v is None or _text(v) == "":
        return 0.0  # a blank count is none (the formulas sum with blanks as 0)
    if isinstance(v, (int, float)):
        return float(v)
    return float(_text(v).replace(",", ""))


def _date(v: object) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and 20000 < v < 80000:  # an Excel date serial, unformatted
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$", _text(v))
    return dt.date(*map(int, m.groups())) if m else None


def _cell(pack: Path, src, name: str) -> object:
    grid = _grid(pack, src["file"], src["sheet"])
    col = _header(grid, src["row"], [name])[name]
    return grid[src["row"] - 1][col]


def printed(x: float, digits: int, style: str = "", in_text: bool = False) -> str:
    """As the report prints it, worked out here by hand: tables at ``digits`` with thousands
    separators; running text without them, 万元/亿元 and 公顷 without trailing zeros; a
    percentage never rounded up to 100.0% or down to 0.0%."""
    sep = "" if in_text else ","
    if style == "change":  # the size of a change: "下降20.0%" prints 20.0%, plainly rounded
        return f"{x * 100:.{digits}f}%"
    if style == "pct":
        p = round(x * 100, digits)
        p = 100 - 10**-digits if p == 100 and x < 1 else 10**-digits if p == 0 and x > 0 else p
        return f"{p:.{digits}f}%"
    if style == "money":
        unit, v = ("亿元", x / 10000) if abs(x) >= 10000 else ("万元", x)
        text = f"{v:{sep}.2f}"
        return (text.rstrip("0").rstrip(".") if in_text else text) + unit
    text = f"{round(x):{sep}}" if digits == 0 else f"{x:{sep}.{digits}f}"
    return text.rstrip("0").rstrip(".") if in_text and style == "area" else text


def recompute(pack: Path, e: dict) -> float:
    """The figure from the entry's listed rows, read from the original file."""
    comp = e["computed"]
    if comp["kind"] in ("change", "mean", "progress"):  # figures, each from its own rows
        values, at = [], 0
        for part in comp["parts"]:
            rows = e["sources"][at : at + part["rows"]]
            at += part["rows"]
            den = e["sources"][at] if part["denominator"] else None
            at += part["denominator"]
            sub = {"computed": part["computed"], "filters": part["filters"], "sources": rows,
                   "denominator_source": den}  # fmt: skip
            values.append(recompute(pack, sub))
        assert at == len(e["sources"])
        if comp["kind"] == "mean":  # weighted by each slice's share of its year
            shares = [part["fraction"] for part in comp["parts"]]
            if comp["counts"]:  # a count of part of a year is not annualised: Σ ÷ Σ share
                return sum(values) / sum(shares)
            return sum(v * w for v, w in zip(values, shares, strict=True)) / sum(shares)
        if comp["kind"] == "progress":  # 完成进度 of a 下降 target (a count's level floored)
            base, current, pct = values
            level = base * (1 - pct / 100)
            level = math.floor(level + 1e-9) if comp["integer"] else level
            return (base - current) / (base - level)
        cur, prev = values
        assert ("下降" if cur < prev else "上升") == comp["direction"]
        return abs(cur - prev) / prev
    if comp["kind"] == "elapsed":  # 时序进度: the plan's months elapsed at the period end
        start, end, last = (
            dt.date.fromisoformat(comp[k]) for k in ("plan_start", "end", "plan_end")
        )
        assert not e["sources"]

        def months(a: dt.date, b: dt.date) -> float:  # a month begun counts by its days
            whole = (b.year - a.year) * 12 + b.month - a.month
            days = calendar.monthrange(b.year, b.month)[1]
            return whole + b.day / days

        return round(months(start, min(end, last)) / months(start, last), 6)  # kept to 6 places
    if comp["kind"] == "given":  # one cell (a percentage written as 60: scale 0.01)
        [src] = e["sources"]
        return _number(_cell(pack, src, comp["field"])) * comp.get("scale", 1)
    if comp["kind"] == "parameter":  # an evaluation parameter: its default, read from the file
        import yaml

        from planeval.paths import PROJ_ROOT

        node = yaml.safe_load((PROJ_ROOT / "lib" / "planeval" / comp["file"]).read_text("utf-8"))
        for part in comp["key"].split("."):
            node = node[part]
        assert not e["sources"]
        return float(node)
    if comp["kind"] == "quoted":  # a number the ledger's own words give, printed with them
        [src] = e["sources"]
        words = _text(_cell(pack, src, comp["field"]))
        tokens = re.findall(r"(?<![\d.,])\d+(?:\.\d+)?(?![\d.,])", words)
        assert comp["token"] in tokens, (src, words)
        return float(comp["token"])
    if comp["kind"] in ("row_ratio", "row_diff"):  # one row's cell over (less) another
        [src] = e["sources"]
        num = _number(_cell(pack, src, comp["numerator_field"]))
        den = _number(_cell(pack, src, comp["denominator_field"]))
        assert (num, den) == pytest.approx((comp["numerator"], comp["denominator"]))
        return num / den if comp["kind"] == "row_ratio" else num - den
    if comp["kind"] == "annual":
        [src] = e["sources"]
        num = _number(_cell(pack, src, "数值"))
        assert _text(_cell(pack, src, "项目")) == _text(src["values"]["项目"])
    else:
        num, den = 0.0, 0
        dated = "截至" in e["filters"] or "期间" in e["filters"]  # else: every row (a project's)
        if "截至" in e["filters"]:  # a stock at a date: the row's date blank or not after it
            lo, hi = None, dt.date.fromisoformat(e["filters"]["截至"])
        elif not dated:
            lo = hi = None
        else:
            lo, hi = (dt.date.fromisoformat(x) for x in e["filters"]["期间"].split(".."))
        batches: set[str] = set()
        for src in e["sources"]:
            # the date the period applies to: named, or the ledger's date (listed first)
            date_name = comp.get("date_field") or next(iter(src["values"]))
            d = _date(_cell(pack, src, date_name)) if dated else None
            if hi is None:
                pass
            elif lo is None:
                assert d is None or d <= hi, (src, d)
            else:
                assert d is not None and lo <= d <= hi, (src, d)  # the row is in the period
            if "整改完成日期至" in e["filters"]:  # rectified by that date, as the file says
                fixed = _date(_cell(pack, src, "整改完成日期"))
                until = dt.date.fromisoformat(e["filters"]["整改完成日期至"])
                assert fixed is not None and fixed <= until, (src, fixed)
            if "整改晚于期限" in e["filters"]:  # and only after its deadline
                fixed = _date(_cell(pack, src, "整改完成日期"))
                deadline = _date(_cell(pack, src, "整改期限"))
                assert deadline is not None and fixed > deadline, (src, fixed, deadline)
            if "期末未整改" in e["filters"]:  # a stock: still open at the period end
                fixed = _date(_cell(pack, src, "整改完成日期"))
                at = dt.date.fromisoformat(e["filters"]["期末未整改"])
                assert fixed is None or fixed > at, (src, fixed)
            if "整改期限早于" in e["filters"]:  # and past its deadline then
                deadline = _date(_cell(pack, src, "整改期限"))
                at = dt.date.fromisoformat(e["filters"]["整改期限早于"])
                assert deadline is not None and deadline < at, (src, deadline)
            if "计划投资大于0" in e["filters"]:  # a project the 投资完成率 counts
                assert _number(_cell(pack, src, "计划投资(万元)")) > 0, src
            if "目标数量大于0" in e["filters"]:  # a 物资储备 line with a target
                assert _number(_cell(pack, src, "目标数量")) > 0, src
            if "达到目标" in e["filters"]:  # at or above it
                assert _number(_cell(pack, src, "数量")) >= _number(_cell(pack, src, "目标数量"))
            for name, accepted in e["filters"].get("列", {}).items():
                assert _text(_cell(pack, src, name)) in accepted, (src, name)
            if "行业领域" in e["filters"]:  # and passes the entry's filters, read from the file
                sector = _text(_cell(pack, src, "行业领域"))
                sector = SECTOR_ALIASES.get(sector, sector)  # the format's accepted short names
                assert sector in e["filters"]["行业领域"], (src, sector)
            if "等级" in e["filters"] and src["ledger"] == "隐患":  # an accident's is computed
                level = LEVELS.get(_text(_cell(pack, src, "等级")))
                assert level in e["filters"]["等级"], (src, level)
            if comp["kind"] == "share":  # every row is the denominator's; the numerator's too
                den += 1  # when it passes the numerator's own filters
                hit = comp["numerator_filters"]
                if "整改完成日期至" in hit:  # rectified by then
                    fixed = _date(_cell(pack, src, "整改完成日期"))
                    until = dt.date.fromisoformat(hit["整改完成日期至"])
                    num += fixed is not None and fixed <= until
                else:  # 达到目标: a reserve line at or above its target
                    q, t = (_number(_cell(pack, src, c)) for c in ("数量", "目标数量"))
                    num += q >= t
            elif comp["kind"] == "sum_ratio":  # Σ numerator fields ÷ Σ denominator fields
                num += sum(_number(_cell(pack, src, f)) for f in comp["numerator_fields"])
                den += sum(_number(_cell(pack, src, f)) for f in comp["denominator_fields"])
            elif comp["kind"] == "mean_capped":  # 平均保障率: the mean of min(数量 ÷ 目标, 1)
                den += 1
                q, t = (_number(_cell(pack, src, c)) for c in ("数量", "目标数量"))
                num += min(q / t, 1.0)
            elif comp["kind"] == "count":
                num += 1
            elif comp["kind"] == "batches":  # 检查次数: each 批次 once, a row without one alone
                batch = _text(_cell(pack, src, "检查批次")) if "检查批次" in src["values"] else ""
                if batch:
                    num += batch not in batches
                    batches.add(batch)
                else:
                    num += 1
            else:
                num += sum(
                    _number(_cell(pack, src, f))
                    for f in comp["numerator_fields"]
                    if f in src["values"]
                )
    assert num == pytest.approx(comp["numerator"])
    if comp["kind"] == "sum_ratio":
        assert den == pytest.approx(comp["denominator"]) and den > 0
        return num / den
    if comp["kind"] in ("share", "mean_capped"):
        assert den == comp["denominator"] > 0
        return num / den
    if "denominator_measure" not in comp:
        return num
    den = e["denominator_source"]
    assert _text(_cell(pack, den, "项目")) == _text(comp["denominator_measure"])
    assert (
        int(_number(_text(_cell(pack, den, "年份")).removesuffix("年"))) == comp["denominator_year"]
    )
    return num / (_number(_cell(pack, den, "数值")) * comp["fraction"]) * comp["scale"]


def check_entry(pack: Path, e: dict) -> None:
    """The entry recomputes from its rows to its unrounded value and prints as the report does."""
    value = recompute(pack, e)
    assert value == pytest.approx(e["value"], rel=1e-9, abs=1e-12), e["id"]
    in_text = e["table"] == "正文"
    assert printed(value, e["digits"], e.get("style", ""), in_text) == e["printed"], e["id"]


grid_of, header_of, date_of = _grid, _header, _date  # for tests that read the workbook too
