"""``planeval init <县名> [DIR]``: everything a new analyst needs to start one county's report.

::

    <DIR>/                        default: ./<县名>
    ├── README.md                 the steps, with the exact commands for this folder
    ├── 评估参数.yaml              the parameter file, commented, county and 编制单位 filled in
    └── 数据包/                    the data pack (what check-data and the run read)
        ├── <县名>应急管理台账.xlsx  the empty template (说明 sheet, one sheet per ledger)
        └── notes/
            ├── README.md         which note goes into which chapter, and how
            └── suppress.yaml     findings not to adopt (comments only: none yet)

The reader skips ``README*`` files, so the pack checks clean as soon as 指标 and 年度汇总 are
filled. The parameter file is outside the pack (the reader would warn about a YAML file among
the ledgers). Nothing that exists is overwritten.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

from planeval.data.template import write_template
from planeval.paths import NOTEBOOKS_DIR, PROJ_ROOT, UnsafePathError, folder_name

PARAMS_NAME = "评估参数.yaml"
PACK_NAME = "数据包"

# Chapter ids and what an analyst's note there is for (when the notebooks cannot be read).
_FALLBACK_CHAPTERS = (
    ("overview", "总体评价"),
    ("indicators", "（一）主要指标进展"),
    ("risk", "1. 提升风险管控能力"),
    ("disasters", "2. 推进自然灾害综合治理"),
    ("rescue", "3. 强化应急救援能力"),
    ("reserves", "4. 提高综合保障能力"),
    ("society", "5. 增强科技支撑和社会共治能力"),
    ("projects", "（三）重大工程项目进展"),
    ("problems", "二、存在的主要问题"),
    ("suggestions", "三、下一步工作建议"),
    ("adjustments", "四、规划调整建议"),
)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class InitError(ValueError):
    """Why the folder was not created (Chinese, names the path)."""


def chapters() -> list[tuple[str, str]]:
    """(chapter id, title) in report order, from the chapter notebooks when readable."""
    try:
        from planeval.report.chapters import discover

        found = [(c.id, c.title) for c in discover(NOTEBOOKS_DIR)]
    except Exception:  # noqa: BLE001 - an install without notebooks still gets the list
        found = []
    return found or list(_FALLBACK_CHAPTERS)


def _portable(path: Path) -> str:
    """How the parameter file names a folder: relative to the repository root when inside it
    (how ``data``/``out`` are resolved), absolute otherwise; forward slashes on every OS."""
    path = path.resolve()
    try:
        return path.relative_to(PROJ_ROOT.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _shown(path: Path) -> str:
    """A path as the next-step lines print it: relative to the current folder when inside it."""
    try:
        rel = path.resolve().relative_to(Path.cwd().resolve())
        return str(rel) if str(rel) != "." else "."
    except ValueError:
        return str(path)


def default_period(plan, today: dt.date) -> tuple[str, str]:
    """The evaluation a county is writing on ``today``: (period as written, its name).

    After the plan's end the 总结评估; after the mid-term date the 中期评估; else the last
    complete year of the plan (年度评估), or the 中期评估 still ahead in its first year.

    >>> from planeval.plan import DEFAULT_PLAN as P
    >>> [default_period(P, dt.date(*d)) for d in ((2026, 12, 1), (2024, 3, 1), (2022, 5, 1))]
    [('总结', '总结评估'), ('中期', '中期评估'), ('2021年', '年度评估')]
    """
    if today > plan.end:
        return "总结", "总结评估"
    if today > plan.midterm_end:
        return "中期", "中期评估"
    if today.year - 1 >= plan.start.year:
        return f"{today.year - 1}年", "年度评估"
    return "中期", "中期评估"


def params_text(county: str, pack: Path, today: dt.date | None = None) -> str:
    """The commented parameter file for ``county`` whose pack is ``pack``; reports go to
    ``报告/`` beside the pack (the analyst's own folder, not the planeval install); the period
    is the evaluation due on ``today`` (:func:`default_period`)."""
    from planeval.plan import current_plan

    pl = current_plan()
    period, kind = default_period(pl, today or dt.date.today())
    plan, y0, y1 = pl.quoted, pl.start.year, pl.end.year
    mid = f"{pl.midterm_end.year}年{pl.midterm_end.month}月{pl.midterm_end.day}日"
    return f"""\
# {county}{plan}应急管理体系及能力建设规划评估的参数文件（planeval init 生成，可直接修改）。
# 生成报告：planeval run --params {PARAMS_NAME}（在本文件所在目录运行；否则写出本文件的路径）
# 写法：每行“参数名: 值”，冒号后有一个空格；值可加引号也可不加；# 后面是注释。

# 县名：显示在封面和标题中，也是输出目录名
county: {county}

# 编制单位：显示在封面
organization: {county}应急管理局

# 评估期，可写：
#   中期          {y0}年1月1日至{mid}（中期评估）
#   总结          {y0}年至{y1}年（总结评估）
#   2022年        一年（年度评估，与上一年同比）
#   2023年上半年  半年（与上一年同期比）；2023年下半年 同理
#   2023年第三季度 一个季度
#   2021-01-01..2023-06-30  任意起止日期
period: {period}

# 数据包目录：放台账工作簿和 notes/ 的文件夹（相对路径从 planeval 目录算起）
data: {_portable(pack)}

# 输出根目录：报告写到 <out>/{county}/<评估期>/（report.html、report.pdf、report.docx）
out: {_portable(pack.parent / "报告")}

# 报告日期（封面），不写则用生成当天：
# report_date: "2023-07-31"

# 报告标题，不写则为《{county}{plan}应急管理体系及能力建设规划{kind}报告》（随评估期变化）：
# title: {county}{plan}应急管理体系及能力建设规划{kind}报告

# 问题识别阈值，不写则用默认值（见 lib/planeval/findings/thresholds.yaml），例如：
# findings:
#   projects.delay_gap: 0.1
"""


def notes_readme(county: str) -> str:
    rows = "\n".join(f"| `{cid}.md` | {title} |" for cid, title in chapters())
    return f"""\
# {county} 分析说明（可选）

本目录中的 `<章节id>.md` 会放进报告对应章节，写在计算出的文字之后。不需要的就不建文件：
没有说明的章节只有计算出的内容。本文件（README.md）不会进入报告。

| 文件 | 放入的章节 |
|---|---|
{rows}

- 用 Markdown 书写（空一行分段，`**加粗**`）；HTML 标签会按原文显示。
- 可以引用本章的数字，写作 `{{{{ 字段名 }}}}`（字段名见生成报告后的 `metrics/<章节id>.json`）；
  写了本章没有的名称，生成时会指出。
- **物资储备、救援队伍、应急预案、重大工程台账是某一时点的快照**：请填写各台账的“填报时点”列，
  报告按这个时点判断并注明日期。
- 报告提纲中没有计算内容的节（如“坚持党的集中领导”）也可写说明：文件名为该节的编号，
  如 `system.leadership.md`（`planeval outline` 列出全部编号）。
- `suppress.yaml`：不采用的问题发现，每行“发现id: 原因”（发现id 见 `metrics/problems.json`）。
"""


SUPPRESS_TEXT = """\
# 不采用的问题发现：每行“发现id: 原因”，发现id 见报告附录“问题识别规则”。例如：
# risk.overdue_major: 该批重大隐患已于7月初整改完毕，台账尚未更新
"""


def workspace_readme(county: str, command: str, top: Path) -> str:
    pack = top / PACK_NAME
    params = top / PARAMS_NAME
    return f"""\
# {county} 规划评估工作目录

1. **填写台账**：在 Excel 或 WPS 中打开 `{PACK_NAME}/{county}应急管理台账.xlsx`。第一个工作表“说明”
   介绍每一列（类型、是否必填、可选值）。必填“指标”和“年度汇总”；其余台账有数据就填，
   没有就只留表头（视为未提供，报告中注明无数据）。可以把已有的台账工作簿直接放进 `{PACK_NAME}/`，
   工作表以台账名称命名即可。
2. **检查数据**：`{command} check-data {_shown(pack)}`
   一次列出全部问题（文件、工作表、行号、列名和原因）；改好后再运行，直到显示“检查通过”。
3. **核对参数**：`{PARAMS_NAME}` 中的县名、编制单位和评估期（已按今天应做的评估填写，可改）。
4. **生成报告**：`{command} run --params {_shown(params)}`
   报告在 `报告/{county}/` 下：report.html、report.pdf、report.docx。
5. **补充分析说明**（可选）：见 `{PACK_NAME}/notes/README.md`。
"""


def init_workspace(
    county: str,
    folder: str | Path | None = None,
    *,
    command: str = "planeval",
    today: dt.date | None = None,
) -> Path:
    """Create the working folder for ``county`` (see the module docstring).

    Parameters
    ----------
    county : 县名, e.g. ``青山县``.
    folder : the working folder (default ``./<county>``); it may exist but must not hold any of
        the files this writes.
    command : how the printed next steps start the ``planeval`` command.
    today : the date the evaluation period is chosen for (default: today; :func:`default_period`).

    Returns
    -------
    Path
        The working folder.

    Raises
    ------
    InitError
        A blank county or one that cannot be a folder name, a file in the way, or a folder that
        cannot be written.
    """
    county = (county or "").strip()
    if not county:
        raise InitError("县名不能为空，如：planeval init 青山县")
    try:
        folder_name(county)  # the same rule as the parameter file's county (the report folder)
    except UnsafePathError as e:
        raise InitError(f"县名“{county}”不能用作文件夹名：{e}") from None
    top = Path(folder).expanduser() if folder else Path(county)
    pack = top / PACK_NAME
    book = pack / f"{county}应急管理台账.xlsx"
    files = {
        book: None,
        top / PARAMS_NAME: params_text(county, pack, today),
        top / "README.md": workspace_readme(county, command, top),
        pack / "notes" / "README.md": notes_readme(county),
        pack / "notes" / "suppress.yaml": SUPPRESS_TEXT,
    }
    if top.exists() and not top.is_dir():
        raise InitError(f"{top} 已存在且不是文件夹，请换一个目录")
    taken = [p for p in files if p.exists()]
    if taken:
        raise InitError(
            f"{_shown(taken[0])} 已存在，未做任何改动（不覆盖已有文件）；请换一个目录，"
            f"或先移走 {top} 中的旧文件"
        )
    try:
        (pack / "notes").mkdir(parents=True, exist_ok=True)
        write_template(book)
        for path, text in files.items():
            if text is not None:
                path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as e:
        raise InitError(f"无法写入 {e.filename or top}：{e.strerror or e}") from None
    return top


def main(
    county: str,
    folder: str | None = None,
    *,
    command: str = "planeval",
    stream: TextIO | None = None,
) -> int:
    """``planeval init``: create the folder and print what is in it and the next steps."""
    stream = stream or sys.stdout
    try:
        top = init_workspace(county, folder, command=command)
    except InitError as e:
        print(e, file=stream)
        return 1
    county = county.strip()
    pack, params = top / PACK_NAME, top / PARAMS_NAME
    listing = [
        (f"{PACK_NAME}/{county}应急管理台账.xlsx", "空白台账模板（第一个工作表“说明”介绍每一列）"),
        (f"{PACK_NAME}/notes/", "分析说明（可选），写法见其中的 README.md"),
        (PARAMS_NAME, "参数：县名、编制单位、评估期"),
    ]
    width = max(display_width(name) for name, _ in listing) + 2
    lines = [f"已为{county}建立工作目录：{top.resolve()}"]
    lines += [f"  {name}{' ' * (width - display_width(name))}{what}" for name, what in listing]
    lines += [
        "下一步：",
        "  1. 在 Excel 或 WPS 中填写台账模板：必填“指标”“年度汇总”，其余台账有数据就填",
        f"  2. 检查数据：{command} check-data {_shown(pack)}",
        f"  3. 生成报告：{command} run --params {_shown(params)}",
    ]
    print("\n".join(lines), file=stream)
    return 0
