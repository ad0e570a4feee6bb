"""Value rules of the pack, as pandera schemas built from ``schema.LEDGERS``, and the checks
that span ledgers.

Per column (pandera ``Column``): nullable (a required cell may not be blank), ``choices``
(``isin``), counts and amounts ≥ 0 unless ``signed``, dates between 2000-01-01 and one year after
today, years in the same range, ``unique`` fields (编号…), 进度(%) ≤ 100.
Per row (pandera wide checks): 整改完成日期 not before 发现日期 (隐患); 已整改 ≤ 发现隐患 and
结束日期 not before 开始日期 (专项整治); one value per (年份, 项目) (年度汇总).
Across ledgers (plain pandas, after each ledger passed): the accident grade derived by the
493号令 rule against a grade the sheet carries; 年度汇总 yearly totals against the event ledgers
for the years those ledgers cover (every year from their first to their last event, inclusive).

Every failure becomes a :class:`~planeval.data.pack.Problem` naming the Excel row; validation is
lazy so that every problem is reported at once.
"""

from __future__ import annotations

import dataclasses
import difflib
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planeval import vocab
from planeval.data.normalise import Parsed, show
from planeval.data.pack import Problem
from planeval.data.read import Source
from planeval.data.schema import Field, Ledger
from planeval.grades import accident_grade
from planeval.vocab import FORMULA_NAMES, formula_keys

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pandera.pandas as pa
    from pandera.errors import SchemaErrors

DATE_MIN = pd.Timestamp("2000-01-01")


def date_max(planned: bool = False) -> pd.Timestamp:
    """The latest acceptable date: one year after today (a planned date: fifteen years)."""
    return pd.Timestamp.today().normalize() + pd.DateOffset(years=15 if planned else 1)


def _d(x: object) -> str:
    return show(x)


# --- messages ------------------------------------------------------------------------------


def choice_message(f: Field, value: object) -> str:
    """Why ``value`` is not a valid choice for ``f``, with the closest valid names."""
    v = str(value)
    if f.name == "formula":
        keys = "、".join(f"{k}（{n}）" for k, n in FORMULA_NAMES.items())
        close = difflib.get_close_matches(
            v, [*FORMULA_NAMES, *FORMULA_NAMES.values()], n=1, cutoff=0.5
        )
        hint = f"最接近的是“{close[0]}”；" if close else ""
        return f"未知的指标公式键；{hint}可用的键（也可写中文名）：{keys}"
    choices = tuple(f.choices or ())
    if choices is vocab.SECTORS:
        pool = {c: c for c in choices} | dict(vocab.SECTOR_ALIASES)
        hits = difflib.get_close_matches(v, list(pool), n=6, cutoff=0.3)
        close = list(dict.fromkeys(pool[h] for h in hits))[:3]
        hint = f"最接近的有：{'、'.join(close)}；" if close else ""
        return f"不是有效的行业领域；{hint}有效名称：{'、'.join(choices)}"
    if f.choice_zh:  # 目标类型: the Chinese names only (the keys are accepted, not offered)
        names = [f.choice_zh[k] for k in choices]
        pool = {zh: zh for zh in names} | {k: f.choice_zh[k] for k in choices}
        close = [n for n in names if v and v in n]  # "下降" is part of 较基期下降百分比
        close += [pool[h] for h in difflib.get_close_matches(v, list(pool), n=2, cutoff=0.4)]
        close = list(dict.fromkeys(close))
        hint = f"最接近的是“{close[0]}”；" if close else ""
        return f"不是有效的{f.zh}；{hint}可选值：{'、'.join(names)}"
    close = difflib.get_close_matches(v, list(choices), n=2, cutoff=0.4)
    hint = f"最接近的有：{'、'.join(close)}；" if close else ""
    return f"不是有效的{f.zh}；{hint}可选值：{'、'.join(choices)}"


@dataclass(frozen=True)
class RowRule:
    """A pandera wide check and how to report it: at ``column``, with ``message(row)``."""

    name: str
    column: str
    test: Callable[[pd.DataFrame], pd.Series]
    message: Callable[[pd.Series, pd.DataFrame], str]


def _fixed_before_found(d: pd.DataFrame) -> pd.Series:
    return ~(d["fixed"] < d["found"]).fillna(False)


def _end_before_start(d: pd.DataFrame) -> pd.Series:
    return ~(d["end"] < d["start"]).fillna(False)


def _fixed_gt_hazards(d: pd.DataFrame) -> pd.Series:
    return ~(d["fixed"] > d["hazards"]).fillna(False).astype(bool)


def _annual_unique(d: pd.DataFrame) -> pd.Series:
    dup = d.duplicated(["year", "measure"], keep="first")
    return ~(dup & d["year"].notna() & d["measure"].notna())


def _annual_first(row: pd.Series, d: pd.DataFrame) -> str:
    same = d[(d["year"] == row["year"]) & (d["measure"] == row["measure"])]
    return f"同一年份、同一项目重复（与第{same.index.min()}行相同：{row['year']}年“{row['measure']}”）；每个年份每个项目只能有一行"


ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "hazards": (
        RowRule(
            "fixed_before_found",
            "fixed",
            _fixed_before_found,
            lambda r, d: f"整改完成日期早于发现日期 ({_d(r['found'])})",
        ),
    ),
    "campaigns": (
        RowRule(
            "fixed_gt_hazards",
            "fixed",
            _fixed_gt_hazards,
            lambda r, d: f"已整改数大于发现隐患数 ({_d(r['hazards'])})",
        ),
        RowRule(
            "end_before_start",
            "end",
            _end_before_start,
            lambda r, d: f"结束日期早于开始日期 ({_d(r['start'])})",
        ),
    ),
    "annual": (RowRule("annual_unique", "measure", _annual_unique, _annual_first),),
}


# --- schemas -------------------------------------------------------------------------------

_PANDERA_DTYPES = {"int": "Int64", "year": "Int64", "float": "float64", "date": "datetime64[ns]"}


def column_checks(f: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if f.name == "formula":
        keys = formula_keys()
        checks.append(pa.Check(lambda s: s.isin(keys), name="choice"))
    elif f.choices is not None:
        ch = tuple(f.choices)
        checks.append(pa.Check(lambda s: s.isin(ch), name="choice"))
    if f.kind in ("int", "float") and not f.signed:
        checks.append(pa.Check(lambda s: s >= 0, name="nonneg"))
    if f.kind == "date":
        hi = f.planned
        checks.append(pa.Check(lambda s: (s >= DATE_MIN) & (s <= date_max(hi)), name="date_range"))
    if f.kind == "year":
        checks.append(
            pa.Check(lambda s: (s >= DATE_MIN.year) & (s <= date_max().year), name="year_range")
        )
    if f.name == "progress":
        checks.append(pa.Check(lambda s: s <= 100, name="pct_max"))
    return checks


def build_schema(ledger: Ledger) -> pa.DataFrameSchema:
    """The pandera schema of one ledger's parsed frame (index = Excel row)."""
    cols = {
        f.name: pa.Column(
            _PANDERA_DTYPES.get(f.kind),
            checks=column_checks(f),
            nullable=f.nullable,
            unique=f.unique,
            report_duplicates="exclude_first",
            required=True,
        )
        for f in ledger.fields
    }
    wide = [
        pa.Check(rule.test, name=rule.name, ignore_na=False)
        for rule in ROW_RULES.get(ledger.key, ())
    ]
    return pa.DataFrameSchema(cols, checks=wide, name=ledger.key)


def _column_message(f: Field, check: str, value: object, frame: pd.DataFrame) -> str:
    if check == "not_nullable":
        return "不能为空（必填）"
    if check == "field_uniqueness":
        first = frame.index[frame[f.name] == value].min()
        return f"{f.zh}重复（与第{first}行相同），{f.zh}必须唯一"
    if check == "choice":
        return choice_message(f, value)
    if check == "nonneg":
        return "不能为负数"
    if check == "date_range":
        return f"日期超出合理范围（应在 {_d(DATE_MIN)} 至 {_d(date_max(f.planned))} 之间）"
    if check == "year_range":
        return f"年份超出合理范围（应在 {DATE_MIN.year} 至 {date_max().year} 之间）"
    if check == "pct_max":
        return "进度不能超过 100%"
    return f"不符合规则 {check}"


def validate_frame(parsed: Parsed) -> list[Problem]:
    """Run the ledger's pandera schema on the parsed frame; every failure as a Problem."""
    frame = parsed.frame
    if frame is None:
        return []
    lg, src = parsed.ledger, parsed.source
    schema = build_schema(lg)
    try:
        schema.validate(frame, lazy=True)
        return []
    except SchemaErrors as e:
        fc = e.failure_cases
    rules = {r.name: r for r in ROW_RULES.get(lg.key, ())}
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for rec in fc.to_dict("records"):
        check, col, idx = str(rec["check"]), rec["column"], rec["index"]
        row = None if idx is None or (isinstance(idx, float) and np.isnan(idx)) else int(idx)
        if check in rules:
            rule = rules[check]
            key = (check, row)
            if key in seen or row is None:
                continue
            seen.add(key)
            r = frame.loc[row]
            f = lg.field(rule.column)
            problems.append(
                Problem(
                    src.file,
                    rule.message(r, frame),
                    sheet=src.sheet,
                    row=row,
                    column=f.label,
                    value=_d(r[rule.column]),
                )
            )
            continue
        try:
            f = lg.field(str(col))
        except KeyError:
            problems.append(Problem(src.file, f"不符合规则 {check}", sheet=src.sheet, row=row))
            continue
        if row is not None and (row, f.name) in parsed.failed:
            continue  # already reported as unreadable
        value = rec["failure_case"]
        problems.append(
            Problem(
                src.file,
                _column_message(f, check, value, frame),
                sheet=src.sheet,
                row=row,
                column=f.label,
                value=None if pd.isna(value) else _d(value),
            )
        )
    problems.sort(key=lambda p: p.row or 0)
    return problems


# --- final frames ----------------------------------------------------------------------------


def finalise(parsed: Parsed) -> pd.DataFrame:
    """The DataPack frame: blank optional counts → 0 and int64; provenance columns."""
    lg, src = parsed.ledger, parsed.source
    df = parsed.frame.copy()
    for f in lg.fields:
        if f.kind == "int":
            df[f.name] = df[f.name].fillna(0).astype("int64")
        elif f.kind == "year" and not f.nullable:
            df[f.name] = df[f.name].astype("int64")
    df = df.reset_index()
    df["_file"] = pd.Series([src.file] * len(df), dtype="str")
    df["_sheet"] = pd.Series([src.sheet or ""] * len(df), dtype="str")
    df["_row"] = df["_row"].astype("int64")
    return df[[f.name for f in lg.fields] + ["_file", "_sheet", "_row"]]


def rows_that_passed(
    parsed: Parsed, errors: list[Problem]
) -> tuple[pd.DataFrame, set[int] | None] | None:
    """The ledger frame without the rows that have an error, for the checks across ledgers.

    Returns None when an error is not tied to a data row (a header problem: the columns cannot
    be trusted). Otherwise the frame (as :func:`finalise` makes it) and the years the dropped rows
    fall in (None when a dropped row has no readable date: every year is then uncertain).
    """
    frame = parsed.frame
    if frame is None:
        return None
    rows = {p.row for p in errors}
    if any(r is None or r not in frame.index for r in rows):
        return None
    rows |= {r for r, _ in parsed.failed}  # cells read as blank behind an error (merged cells)
    lg = parsed.ledger
    years: set[int] | None = set()
    if lg.date_field is not None or lg.key == "annual":
        col = "year" if lg.key == "annual" else lg.date_field
        bad = frame.loc[sorted(rows), col]
        if bad.isna().any():
            years = None
        else:
            years = {int(y) for y in (bad if lg.key == "annual" else bad.dt.year)}
    kept = dataclasses.replace(parsed, frame=frame.drop(index=sorted(rows)))
    return finalise(kept), years


def derive_grades(df: pd.DataFrame, src: Source) -> tuple[pd.DataFrame, list[Problem], bool]:
    """Fill ``grade`` by the 493号令 rule; a grade in the sheet that disagrees is an error.

    Returns the frame, the problems and whether the sheet carried any grade.
    """
    derived = [
        accident_grade(r.deaths, r.serious_injuries, r.loss, r.missing)
        for r in df[["deaths", "serious_injuries", "loss", "missing"]].itertuples(index=False)
    ]
    given = df["grade"]
    problems = []
    f = next(x for x in _accident_fields() if x.name == "grade")
    for i, (g, d) in enumerate(zip(given, derived, strict=True)):
        if pd.isna(g) or g == d:
            continue
        r = df.iloc[i]
        loss = "未填" if pd.isna(r["loss"]) else f"{_d(float(r['loss']))}万元"
        problems.append(
            Problem(
                src.file,
                f"事故等级与按国务院令第493号第三条计算的等级“{d}”不符（死亡{r['deaths']}人、失踪{r['missing']}人、"
                f"重伤{r['serious_injuries']}人、直接经济损失{loss}）",
                sheet=src.sheet,
                row=int(r["_row"]),
                column=f.label,
                value=g,
            )
        )
    out = df.copy()
    out["grade"] = pd.Series(derived, index=df.index, dtype="str")
    return out, problems, bool(given.notna().any())


def _accident_fields() -> tuple[Field, ...]:
    from planeval.data.schema import LEDGER_BY_KEY

    return LEDGER_BY_KEY["accidents"].fields


# --- across ledgers ------------------------------------------------------------------------

# 年度汇总 measure -> (ledger, total of one year's rows, unit, tolerance)
ANNUAL_FROM_LEDGER: dict[str, tuple[str, Callable[[pd.DataFrame], float], str, float]] = {
    "生产安全事故起数": ("accidents", lambda d: float(len(d)), "起", 0.0),
    "生产安全事故死亡人数": (
        "accidents",
        lambda d: float((d["deaths"] + d["missing"]).sum()),
        "人（含失踪）",
        0.0,
    ),
    "火灾死亡人数": ("fires", lambda d: float(d["deaths"].sum()), "人", 0.0),
    "自然灾害受灾人次": ("disasters", lambda d: float(d["affected"].sum()), "人次", 0.0),
    "自然灾害死亡失踪人数": (
        "disasters",
        lambda d: float((d["deaths"] + d["missing"]).sum()),
        "人",
        0.0,
    ),
    "自然灾害直接经济损失(万元)": ("disasters", lambda d: float(d["loss"].sum()), "万元", 0.05),
}


def covered_years(df: pd.DataFrame, date_field: str) -> range:
    """Years an event ledger covers: from its first to its last event's year, inclusive."""
    years = df[date_field].dropna().dt.year
    if years.empty:
        return range(0)
    return range(int(years.min()), int(years.max()) + 1)


def check_annual_totals(
    frames: dict[str, pd.DataFrame],
    wheres: dict[str, str],
    uncertain: dict[str, set[int] | None] | None = None,
) -> list[Problem]:
    """年度汇总 totals that contradict an event ledger for a year it covers.

    ``uncertain``: ledger key → the years for which rows were dropped for errors (None: every
    year); those years are not compared, since the ledger's total for them is not known."""
    uncertain = uncertain or {}
    from planeval.data.schema import LEDGER_BY_KEY

    annual = frames.get("annual")
    if annual is None:
        return []
    f_value = LEDGER_BY_KEY["annual"].field("value")
    problems = []
    for rec in annual.to_dict("records"):
        r = pd.Series(rec)
        spec = ANNUAL_FROM_LEDGER.get(r.measure)
        if spec is None:
            continue
        key, total, unit, tol = spec
        ev = frames.get(key)
        if ev is None:
            continue
        lg = LEDGER_BY_KEY[key]
        if int(r.year) not in covered_years(ev, lg.date_field):
            continue
        if key in uncertain and (uncertain[key] is None or int(r.year) in uncertain[key]):
            continue
        got = total(ev[ev[lg.date_field].dt.year == int(r.year)])
        if abs(got - float(r.value)) <= tol + 1e-9:
            continue
        problems.append(
            Problem(
                r["_file"],
                f"{r.year}年“{r.measure}”与台账“{lg.zh}”（{wheres[key]}）不一致：台账中{r.year}年合计为 "
                f"{_d(round(got, 4))}{unit}；台账覆盖的年份（{_span(ev, lg.date_field)}）年度汇总应与台账一致或不填",
                sheet=r["_sheet"] or None,
                row=int(r["_row"]),
                column=f_value.label,
                value=_d(float(r.value)),
            )
        )
    return problems


def _span(df: pd.DataFrame, date_field: str) -> str:
    yrs = covered_years(df, date_field)
    return f"{yrs.start}–{yrs.stop - 1}年"
