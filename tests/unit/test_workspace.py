"""``planeval init <县名> [DIR]``: the folder a new analyst starts from."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import yaml

import planeval
from planeval.cli import main as cli_main
from planeval.data.check import main as check_main
from planeval.data.schema import LEDGERS
from planeval.report.params import load_params
from planeval.workspace import InitError, display_width, init_workspace, main


def _fill_required(book):
    wb = openpyxl.load_workbook(book)
    wb["指标"].append(
        [
            "1",
            "生产安全事故死亡人数",
            "人",
            "生产安全事故死亡人数",
            2020,
            10,
            "较基期下降百分比",
            15,
            "约束性",
        ]
    )
    wb["年度汇总"].append([2021, "生产安全事故死亡人数", 9])
    wb.save(book)


def test_init_writes_pack_params_and_notes(tmp_path):
    top = init_workspace("青山县", tmp_path / "qs")
    assert sorted(p.relative_to(top).as_posix() for p in top.rglob("*")) == [
        "README.md",
        "数据包",
        "数据包/notes",
        "数据包/notes/README.md",
        "数据包/notes/suppress.yaml",
        "数据包/青山县应急管理台账.xlsx",
        "评估参数.yaml",
    ]
    wb = openpyxl.load_workbook(top / "数据包" / "青山县应急管理台账.xlsx")
    assert wb.sheetnames == ["说明", *(lg.zh for lg in LEDGERS)]
    # The notes README names every chapter id a note can be written for.
    notes = (top / "数据包" / "notes" / "README.md").read_text(encoding="utf-8")
    for cid in ("overview", "indicators", "risk", "projects", "adjustments"):
        assert f"`{cid}.md`" in notes
    assert "填报时点" in notes
    assert yaml.safe_load((top / "数据包" / "notes" / "suppress.yaml").read_text("utf-8")) is None


def test_params_file_is_for_that_county_and_points_at_the_pack(tmp_path):
    top = init_workspace("青山县", tmp_path / "qs", today=dt.date(2024, 3, 1))
    text = (top / "评估参数.yaml").read_text(encoding="utf-8")
    p = load_params(top / "评估参数.yaml")
    assert (p.county, p.organization, p.period) == ("青山县", "青山县应急管理局", "中期")
    assert p.data_path == (top / "数据包").resolve()
    assert p.report_title == "青山县“十四五”应急管理体系及能力建设规划中期评估报告"
    assert p.target_dir().parts[-2:] == ("青山县", "midterm-2023H1")
    # the report lands in the analyst's folder (报告/ beside the pack), not in the install
    assert p.target_dir() == (top / "报告" / "青山县" / "midterm-2023H1").resolve()
    # Commented: every optional parameter is explained, the accepted periods are listed.
    for word in (
        "# report_date:",
        "# title:",
        "# findings:",
        "2023年上半年",
        "2023年第三季度",
        "总结",
    ):
        assert word in text
    assert "示例县" not in text


def test_fresh_pack_gives_only_the_two_required_ledger_errors(tmp_path):
    top = init_workspace("青山县", tmp_path / "qs")
    out = io.StringIO()
    assert check_main(str(top / "数据包"), out=out) == 1
    text = out.getvalue()
    assert "数据包有 2 个错误" in text and "警告" not in text  # README, notes/ are not ledgers


def test_filled_pack_checks_clean_without_warnings(tmp_path):
    top = init_workspace("青山县", tmp_path / "qs")
    _fill_required(top / "数据包" / "青山县应急管理台账.xlsx")
    pack = planeval.load_pack(top / "数据包", use_cache=False)
    assert pack.summary.warnings == [] and pack.notes == {} and pack.suppress == {}
    assert pack.indicators["target_type"].tolist() == ["decline_pct"]
    out = io.StringIO()
    assert check_main(str(top / "数据包"), out=out) == 0
    assert out.getvalue().rstrip().endswith("检查通过。")


def test_default_folder_is_the_county_name_in_the_current_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli_main(["init", "青山县"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "青山县" / "评估参数.yaml").is_file()
    assert "check-data 青山县/数据包" in out.replace("\\", "/")
    assert "run --params 青山县/评估参数.yaml" in out.replace("\\", "/")


def test_nothing_is_overwritten(tmp_path):
    top = init_workspace("青山县", tmp_path / "qs")
    (top / "评估参数.yaml").write_text("county: 改过的\n", encoding="utf-8")
    s = io.StringIO()
    assert main("青山县", str(top), stream=s) == 1
    assert "已存在，未做任何改动" in s.getvalue()
    assert (top / "评估参数.yaml").read_text(encoding="utf-8") == "county: 改过的\n"


def test_existing_empty_folder_is_fine(tmp_path):
    (tmp_path / "qs").mkdir()
    assert init_workspace("青山县", tmp_path / "qs").is_dir()


@pytest.mark.parametrize("bad", ["", "  ", "青山/县", "a:b", ".."])
def test_county_must_be_a_folder_name(tmp_path, bad):
    with pytest.raises(InitError, match="县名"):
        init_workspace(bad, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_a_file_in_the_way(tmp_path):
    (tmp_path / "qs").write_text("x")
    with pytest.raises(InitError, match="不是文件夹"):
        init_workspace("青山县", tmp_path / "qs")


def test_listing_is_aligned_for_chinese_names(tmp_path):
    s = io.StringIO()
    assert main("青山县", str(tmp_path / "qs"), stream=s) == 0
    rows = s.getvalue().splitlines()[1:4]
    # The description column starts at the same terminal column although the names mix
    # two-column Chinese characters and one-column ASCII.
    columns = {display_width(ln[: ln.index(ln.split()[1])]) for ln in rows}
    assert len(columns) == 1, rows


def test_display_width():
    assert display_width("数据包/a") == 8


def test_the_period_is_the_evaluation_due_today(tmp_path):
    # December 2026: the 十四五 plan has ended, the county writes its 总结评估 (2021-2025).
    top = init_workspace("青山县", tmp_path / "qs", today=dt.date(2026, 12, 1))
    p = load_params(top / "评估参数.yaml")
    assert p.period == "总结"
    assert (p.period_obj.start, p.period_obj.end) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    assert p.report_title == "青山县“十四五”应急管理体系及能力建设规划总结评估报告"
    # Near miss: the day after the mid-term date, the 中期评估; before it, last year's 年度评估.
    top = init_workspace("青山县", tmp_path / "b", today=dt.date(2023, 7, 1))
    assert load_params(top / "评估参数.yaml").period == "中期"
    top = init_workspace("青山县", tmp_path / "c", today=dt.date(2023, 6, 30))
    assert load_params(top / "评估参数.yaml").period == "2022年"
