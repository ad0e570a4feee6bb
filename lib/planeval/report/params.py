"""Run parameters: the ``params/*.yaml`` file, validated before any notebook runs.

A parameter file is data: it is read with :func:`planeval.safeyaml.load` (``yaml.safe_load``
without aliases beyond a few, tags or duplicate keys) and validated by :class:`RunParams`
(pydantic). Periods and dates are quoted strings (an unquoted ``2023-07-15`` would become a YAML
date, papermill issue #345). :func:`check_chapter_params` then compares what the runner will inject
with what each chapter's ``parameters`` cell declares (``papermill.inspect_notebook``) and fails
hard on an unknown or missing parameter (papermill itself only logs a warning).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError, field_validator

from planeval import safeyaml
from planeval.paths import PROJ_ROOT, UnsafePathError, folder_name, path_inside
from planeval.periods import Period, PeriodError
from planeval.plan import Plan, PlanError, current_plan, read_plan

# Chinese names of every parameter a user can meet (errors name both).
PARAM_ZH: dict[str, str] = {
    "county": "县名",
    "organization": "编制单位",
    "period": "评估期",
    "data": "数据包目录",
    "out": "输出根目录",
    "title": "报告标题",
    "report_date": "报告日期",
    "findings": "问题识别阈值",
    "data_dir": "数据包目录",
    "metrics_dir": "关键数字目录",
}
# Every chapter must declare these (papermill would silently ignore an undeclared one).
REQUIRED_NOTEBOOK_PARAMS: tuple[str, ...] = ("data_dir", "period", "county", "metrics_dir")


def zh_name(name: str) -> str:
    """``评估期 (period)``: how a message names a parameter."""
    return f"{PARAM_ZH[name]} ({name})" if name in PARAM_ZH else name


class ParamsError(ValueError):
    """Parameters that cannot be used; ``problems`` holds one Chinese message per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"参数有 {len(self.problems)} 个问题，报告未生成："]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


class RunParams(BaseModel):
    """One report run, as written in ``params/<name>.yaml``.

    Attributes
    ----------
    county : 县名, e.g. ``示例县``.
    organization : 编制单位 shown on the cover.
    period : 评估期 as accepted by :meth:`planeval.periods.Period.parse` (``"2022"``, ``2022``,
        ``2023年上半年``, ``中期`` …); kept as written, the notebooks parse it again.
    data : data pack folder, relative to the repository root (or absolute).
    out : output root; the report goes to ``<out>/<county>/<period slug>/``.
    title : optional title; default《<county><“plan”>应急管理体系及能力建设规划<评估类型>报告》,
        the plan being the data pack's (``plan.yaml``; 十四五 without one).
    report_date : optional ``YYYY-MM-DD`` shown on the cover; default the run date.
    findings : optional threshold overrides, injected into chapters that declare ``findings``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    county: StrictStr
    organization: StrictStr
    period: StrictStr
    data: StrictStr = "data/demo"
    out: StrictStr = "reports"
    title: Optional[StrictStr] = None  # noqa: UP045 (papermill-style Optional, as in notebooks)
    report_date: Optional[StrictStr] = None  # noqa: UP045
    findings: Optional[dict[str, Any]] = None  # noqa: UP045

    @field_validator("county", "organization")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("不能为空")
        return v.strip()

    @field_validator("period", mode="before")
    @classmethod
    def _period_as_written(cls, v: Any) -> Any:
        """An unquoted ``period: 2022`` is a YAML int; it means the year, as the analyst wrote."""
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @field_validator("report_date", mode="before")
    @classmethod
    def _date_as_written(cls, v: Any) -> Any:
        """An unquoted ``report_date: 2023-07-31`` is a YAML date (papermill issue #345)."""
        return v.isoformat() if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else v

    @field_validator("county", mode="after")
    @classmethod
    def _county_is_one_folder(cls, v: str) -> str:
        # The county names the report folder <out>/<county>/: it must be exactly one folder name.
        try:
            return folder_name(v)
        except UnsafePathError as e:
            raise ValueError(
                f"“{_shown(v)}”不能用作报告目录名：{e}（县名只能是一个文件夹名，如“示例县”）"
            ) from None

    @field_validator("data", "out", "title", "organization")
    @classmethod
    def _no_control_chars(cls, v: str | None) -> str | None:
        if v is not None and any(ord(c) < 32 or ord(c) == 127 for c in v):
            bad = next(c for c in v if ord(c) < 32 or ord(c) == 127)
            raise ValueError(f"“{_shown(v)}”含有控制字符 U+{ord(bad):04X}")
        return v

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        try:
            Period.parse(v)
        except PeriodError as e:
            raise ValueError(str(e)) from None
        return v

    @field_validator("report_date")
    @classmethod
    def _date(cls, v: str | None) -> str | None:
        if v is None:
            return v
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"“{v}” 不是 YYYY-MM-DD 格式的日期") from None
        return v

    # ---------------------------------------------------------------- derived
    @property
    def plan(self) -> Plan:
        """The plan evaluated: the data pack's ``plan.yaml``, or the default (十四五).

        Raises
        ------
        ParamsError
            The pack's plan file cannot be read.
        """
        try:
            return read_plan(self.data_path)
        except PlanError as e:
            raise ParamsError([f"数据包 {self.data}：{e}"]) from None

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period, plan=self.plan)

    @property
    def data_path(self) -> Path:
        p = Path(self.data)
        return p if p.is_absolute() else PROJ_ROOT / p

    @property
    def out_path(self) -> Path:
        p = Path(self.out)
        return p if p.is_absolute() else PROJ_ROOT / p

    @property
    def date_obj(self) -> dt.date:
        return dt.date.fromisoformat(self.report_date) if self.report_date else dt.date.today()

    @property
    def date_label(self) -> str:
        d = self.date_obj
        return f"{d.year}年{d.month}月{d.day}日"

    @property
    def report_title(self) -> str:
        """The cover title: the seed's form, with the 评估 type of the period."""
        if self.title:
            return self.title
        kind = self.period_obj.report_kind_label
        return f"{self.county}{self.plan.quoted}应急管理体系及能力建设规划{kind}报告"

    def target_dir(self) -> Path:
        """``<out>/<county>/<period slug>/``, checked to resolve inside ``out``.

        Raises
        ------
        ParamsError
            The folder would resolve outside ``out`` (e.g. ``<out>/<county>`` is a symbolic link
            to another place): the swap that replaces the report must never rename or remove
            anything outside the output root.
        """
        try:
            return path_inside(self.out_path, self.county, self.period_obj.slug)
        except UnsafePathError as e:
            raise ParamsError([f"参数 {zh_name('out')}：报告目录不安全：{e}"]) from None


def _shown(v: str) -> str:
    """A value quoted in a message, control characters made visible (``\\x00``)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in v)


def _pydantic_problems(e: ValidationError, source: str) -> list[str]:
    out = []
    for err in e.errors():
        loc = err["loc"][0] if err["loc"] else ""
        name = zh_name(str(loc)) if loc else "参数"
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = "、".join(zh_name(n) for n in RunParams.model_fields)
            out.append(f"{source}：未知参数 {name}（可用参数：{allowed}）")
        elif kind == "missing":
            out.append(f"{source}：缺少必填参数 {name}")
        elif kind in ("string_type",):
            hint = (
                '；请写成带引号的文本，如 period: "2023年上半年"、report_date: "2023-07-31"'
                if loc in ("period", "report_date")
                else ""
            )
            out.append(f"{source}：参数 {name} 应为文本，实际为 “{err.get('input')}”{hint}")
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(f"{source}：参数 {name}：{msg}")
    return out


def plan_period_problem(p: Period, plan: Plan | None = None) -> str | None:
    """Why period ``p`` cannot be evaluated against ``plan`` (default: the current plan; None when
    it can).

    A period before the plan (2019, or the base year 2020 itself) would be compared with a later
    base or with itself; one after it has no target left to judge. Both are refused; the base
    year's figures appear in every report as the 基期值.

    >>> plan_period_problem(Period.parse("2021")) is None
    True
    >>> print(plan_period_problem(Period.parse("2020")))  # doctest: +ELLIPSIS
    评估期 (period)“2020年”不在规划期（2021年—2025年）内…
    """
    plan = plan or current_plan()
    start, end, base_year = plan.start, plan.end, plan.base_year
    if start <= p.start and p.end <= end:
        return None
    return (
        f"{zh_name('period')}“{p.label}”不在规划期（{start.year}年—{end.year}年）内："
        f"规划评估只评价{start.year}年1月1日至{end.year}年12月31日之间的时段（年度、半年、季度、"
        f"中期、总结）；基期{base_year}年的数值作为各指标的基期值列入每份报告，不单独出具基期评估报告"
    )


def load_params(path: str | Path, overrides: dict[str, Any] | None = None) -> RunParams:
    """Read and validate a parameter file; ``overrides`` (from the command line) win.

    Parameters
    ----------
    path : the YAML file.
    overrides : values that replace the file's (``None`` values are ignored).

    Returns
    -------
    RunParams

    Raises
    ------
    ParamsError
        Unreadable file, not a mapping, unknown or missing key, bad period or date; each message
        names the file and the parameter in Chinese and English.
    """
    path = Path(path)
    source = f"参数文件 {path}"
    try:
        raw = safeyaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParamsError([f"{source} 不存在"]) from None
    except UnicodeDecodeError:
        raise ParamsError([f"{source} 不是 UTF-8 编码的文本，请用 UTF-8 保存"]) from None
    except OSError as e:
        raise ParamsError([f"{source} 无法读取：{e.strerror or e}"]) from None
    except safeyaml.SafeYAMLError as e:
        raise ParamsError([f"{source} 不是有效的参数文件：{e}"]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParamsError([f"{source} 应为“参数名: 值”的映射"])
    raw = {str(k): v for k, v in raw.items()}
    for k, v in (overrides or {}).items():
        if v is not None:
            raw[k] = v
    try:
        params = RunParams(**raw)
    except ValidationError as e:
        raise ParamsError(_pydantic_problems(e, source)) from None
    if msg := plan_period_problem(params.period_obj, params.plan):
        raise ParamsError([f"{source}：参数 {msg}"])
    return params


def notebook_values(params: RunParams, *, data_dir: Path, metrics_dir: Path) -> dict[str, Any]:
    """Every value the runner can inject into a chapter, by notebook parameter name."""
    vals: dict[str, Any] = {
        "data_dir": str(data_dir),
        "period": params.period,
        "county": params.county,
        "metrics_dir": str(metrics_dir),
        "organization": params.organization,
        "report_date": params.date_obj.isoformat(),
    }
    if params.findings is not None:
        vals["findings"] = dict(params.findings)
    return vals


def _as_declared(value: Any, info: dict[str, Any]) -> Any:
    """A mapping goes to a ``str`` parameter as JSON text (the chapter parses it)."""
    import json

    if isinstance(value, dict) and info.get("inferred_type_name") == "str":
        return json.dumps(value, ensure_ascii=False)
    return value


def check_findings(findings: dict[str, Any] | None, source: str) -> list[str]:
    """Check threshold overrides against the findings thresholds, when that module exists."""
    if not findings:
        return []
    try:
        from planeval.thresholds import load_thresholds
    except ImportError:
        return []
    try:
        load_thresholds(findings)
    except ValueError as e:
        return [f"{source}：{e}"]
    return []


def check_chapter_params(
    declared: dict[str, dict[str, dict[str, Any]]],
    values: dict[str, Any],
    *,
    params_source: str = "参数文件",
) -> dict[str, dict[str, Any]]:
    """Match runner values with each chapter's declared parameters.

    Parameters
    ----------
    declared : notebook file name → ``papermill.inspect_notebook`` result (name → info with
        ``default``).
    values : what the runner can supply (:func:`notebook_values`).
    params_source : names the parameter file in messages.

    Returns
    -------
    dict
        notebook file name → the parameters to inject (only those it declares).

    Raises
    ------
    ParamsError
        A chapter lacks a required parameter, declares one the runner cannot supply and that has
        no default, or the parameter file carries an optional key (``findings``) no chapter
        declares.
    """
    problems: list[str] = []
    inject: dict[str, dict[str, Any]] = {}
    for nb, params in declared.items():
        for req in REQUIRED_NOTEBOOK_PARAMS:
            if req not in params:
                problems.append(f"章节 {nb} 的 parameters 单元格缺少参数 {zh_name(req)}")
        for name, info in params.items():
            if name not in values and not str(info.get("default") or "").strip():
                problems.append(
                    f"章节 {nb} 声明了参数 {zh_name(name)}，但参数文件没有提供、也没有默认值"
                )
        inject[nb] = {k: _as_declared(v, params[k]) for k, v in values.items() if k in params}
    if "findings" in values and not any("findings" in p for p in declared.values()):
        problems.append(f"{params_source}：参数 {zh_name('findings')} 没有任何章节使用（未知参数）")
    problems += check_findings(values.get("findings"), params_source)
    if problems:
        raise ParamsError(problems)
    return inject
