"""The county list of a batch: which counties, which data pack, which 编制单位.

A county list is data, checked before anything runs. Two forms:

YAML — a list, or a mapping with ``counties:`` (and optionally ``period:`` and ``out:``)::

    period: "2023H1"
    counties:
      - county: 甲县
        pack: packs/甲县            # relative to the list file's folder
        organization: 甲县应急管理局
        report_date: "2023-07-31"   # any other key overrides that county's parameter

CSV (UTF-8, a header row): columns ``county``, ``pack``, ``organization`` (or 县名, 数据包,
编制单位) and optional ``title``/``report_date`` (报告标题, 报告日期); an empty cell is no override.

Every county becomes one :class:`~planeval.report.params.RunParams` (the same checks as a
parameter file): all problems are reported at once, each naming the file and the row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from planeval.report.params import ParamsError, RunParams, zh_name

# Column names of a county list (English key → accepted Chinese header).
COLUMNS_ZH = {
    "county": "县名",
    "pack": "数据包",
    "organization": "编制单位",
    "title": "报告标题",
    "report_date": "报告日期",
    "findings": "问题识别阈值",
}
REQUIRED = ("county", "pack", "organization")
# What a county may override: every run parameter except the ones the batch sets for all
# (one period and one output root, so that the comparison can link every report).
OVERRIDABLE = tuple(
    k for k in RunParams.model_fields if k not in ("county", "data", "period", "out")
)


@dataclass(frozen=True)
class CountyList:
    """A checked county list: one :class:`RunParams` per county, in the list's order."""

    source: Path
    params: tuple[RunParams, ...]
    period: str

    @property
    def counties(self) -> list[str]:
        return [p.county for p in self.params]


def _rows_yaml(path: Path) -> tuple[list[Any], dict[str, Any]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise ParamsError([f"县区清单 {path} 不是有效的 YAML：{e}"]) from None
    top: dict[str, Any] = {}
    if isinstance(raw, dict):
        top = {str(k): v for k, v in raw.items() if k != "counties"}
        raw = raw.get("counties")
    if not isinstance(raw, list):
        raise ParamsError([f"县区清单 {path} 应为县区列表，或含 counties: 列表的映射"])
    unknown = sorted(set(top) - {"period", "out"})
    if unknown:
        raise ParamsError(
            [f"县区清单 {path}：未知的顶层键 {'、'.join(unknown)}（可用：period、out、counties）"]
        )
    return raw, top


def _rows_csv(path: Path) -> list[Any]:
    zh_to_key = {zh: k for k, zh in COLUMNS_ZH.items()}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except UnicodeDecodeError:
        raise ParamsError([f"县区清单 {path} 无法读取，请保存为 UTF-8 编码"]) from None
    out = []
    for row in rows:
        rec = {}
        for k, v in row.items():
            if k is None:  # more cells than headers
                rec["_extra"] = v
                continue
            key = zh_to_key.get(k.strip(), k.strip())
            if v is not None and v.strip():
                rec[key] = v.strip()
        out.append(rec)
    return out


def load_counties(
    path: str | Path, *, period: str | None = None, out: str | None = None
) -> CountyList:
    """Read and check a county list (``.yaml``/``.yml`` or ``.csv``).

    Parameters
    ----------
    path : the list file.
    period : the batch's 评估期; wins over the YAML's ``period:``.
    out : the output root; wins over the YAML's ``out:`` and any county's ``out``.

    Returns
    -------
    CountyList

    Raises
    ------
    ParamsError
        Unreadable file, no period, a row without county/pack/organization, an unknown key,
        a pack folder that does not exist, two rows with the same county; every problem, in
        Chinese, naming the row.
    """
    path = Path(path)
    if not path.is_file():
        raise ParamsError([f"县区清单 {path} 不存在"])
    top: dict[str, Any] = {}
    if path.suffix.lower() == ".csv":
        rows = _rows_csv(path)
    elif path.suffix.lower() in (".yaml", ".yml"):
        rows, top = _rows_yaml(path)
    else:
        raise ParamsError([f"县区清单 {path} 应为 .yaml 或 .csv 文件"])
    period = period or top.get("period")
    if period is None:
        raise ParamsError([f"没有评估期 (period)：请用 --period 指定，或写在县区清单 {path} 中"])
    out = out or top.get("out")
    base = path.resolve().parent
    problems: list[str] = []
    params: list[RunParams] = []
    seen: dict[str, int] = {}
    if not rows:
        problems.append(f"县区清单 {path} 中没有县区")
    for i, row in enumerate(rows, 1):
        where = f"县区清单 {path} 第 {i} {'行' if path.suffix.lower() == '.csv' else '项'}"
        if not isinstance(row, dict):
            problems.append(f"{where}：应为“键: 值”的映射（county、pack、organization）")
            continue
        row = {str(k): v for k, v in row.items()}
        if "_extra" in row:
            problems.append(f"{where}：单元格比表头多")
            continue
        missing = [k for k in REQUIRED if row.get(k) in (None, "")]
        if missing:
            names = "、".join(f"{COLUMNS_ZH[k]} ({k})" for k in missing)
            problems.append(f"{where}：缺少 {names}")
            continue
        unknown = sorted(set(row) - set(REQUIRED) - set(OVERRIDABLE))
        if unknown:
            allowed = "、".join(f"{COLUMNS_ZH.get(k, zh_name(k))} ({k})" for k in OVERRIDABLE)
            problems.append(f"{where}：未知的键 {'、'.join(unknown)}（可覆盖：{allowed}）")
            continue
        pack = Path(str(row.pop("pack")))
        pack = pack if pack.is_absolute() else base / pack
        if not pack.is_dir():
            problems.append(f"{where}：数据包 (pack) 目录 {pack} 不存在")
            continue
        fields = {**row, "data": str(pack), "period": period}
        if out is not None:
            fields["out"] = str(out)
        try:
            p = RunParams(**fields)
        except ValidationError as e:
            for err in e.errors():
                loc = str(err["loc"][0]) if err["loc"] else ""
                msg = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"{where}：{zh_name(loc) if loc else '参数'}：{msg}")
            continue
        if p.county in seen:
            problems.append(
                f"{where}：县名 (county) “{p.county}”与第 {seen[p.county]} 项重复"
                "（两项会写入同一个报告目录）"
            )
            continue
        seen[p.county] = i
        params.append(p)
    if problems:
        raise ParamsError(problems)
    return CountyList(source=path, params=tuple(params), period=str(period))
