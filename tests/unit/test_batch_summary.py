"""The end-of-batch table lines up on a terminal, where a CJK character takes two columns."""

from planeval.batch.build import CountyOutcome, summary_table
from planeval.workspace import display_width


def test_columns_line_up_in_terminal_columns():
    table = summary_table(
        [
            CountyOutcome("甲1县", "ok", 23.94, report="r/甲1县/report.html"),
            CountyOutcome("乙县", "skipped", 0.25, report="r/乙县/report.html"),
            CountyOutcome("丙县", "failed", 101.0, message="数据包有错误\n第二行"),
        ]
    )
    # hand-worked: 县区 column 5 wide (甲1县 = 2+1+2), 状态 12 (未变化，跳过: six wide
    # characters, the full-width comma one of them), seconds right-aligned in 7
    assert table.splitlines() == [
        "县区   状态             秒数  报告",
        "甲1县  完成             23.9  r/甲1县/report.html",
        "乙县   未变化，跳过      0.2  r/乙县/report.html",
        "丙县   失败            101.0  数据包有错误",
        "共 3 个县区：成功 2，失败 1",
    ]
    # the report column starts at one terminal column on every line
    starts = {display_width(line[: line.rfind("  ") + 2]) for line in table.splitlines()[:4]}
    assert starts == {30}  # 5 + 2 + 12 + 2 + 7 + 2
