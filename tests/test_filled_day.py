"""填报日期 where clerks write it without its name, and lateness judged by the day received
(with an `info` saying so) when the return gives no day at all."""

import os
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from wenuan.checking import validate
from wenuan.forms import model as forms
from wenuan.reading import read
from wenuan.words.messages import set_lang

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = forms.Library()
SHEET = "送温暖工程统计表"
LATE_2 = (  # due 2010-02-01, a Monday
    "逾期 2 天（2 个工作日）：截止 2010-02-01，收到 2010-02-03。"
    "通知原文：“请务必于2010年2月1日前将送温暖活动报告和统计表报送市总保障部”"
)


def _undated(tmp_path: Path, edit, saved: date = date(2010, 1, 30)) -> Path:
    """Pingdingshan's valid return with its 填报日期 lines cleared, `edit` applied to its first
    sheet, and the file last written on `saved`."""
    import openpyxl

    path = tmp_path / "叶县.xlsx"
    shutil.copy(EXAMPLES / "pingdingshan-2010_valid.xlsx", path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[:2]:
        ws["E4"], ws["F4"] = None, None
    for merged in ("A1:H1", "A2:H2", "F3:H3"):
        wb[SHEET].unmerge_cells(merged)  # the clerk's own sheet: H2 and H3 free
    edit(wb[SHEET])
    wb.save(path)
    when = datetime(saved.year, saved.month, saved.day, 12).timestamp()
    os.utime(path, (when, when))
    return path


def _foot(ws) -> None:
    """The stamp, then the day on the line under it, then an attachment's line."""
    end = ws.max_row
    ws.cell(end + 2, 5, "叶县总工会（盖章）")
    ws.cell(end + 3, 5, "2010年2月3日")
    ws.cell(end + 5, 1, "附：送温暖活动情况说明一份")


@pytest.mark.parametrize(
    "edit, raw, cell",
    [
        (lambda ws: ws.__setitem__("H2", "2010年2月3日"), "2010年2月3日", "H2"),
        (lambda ws: ws.__setitem__("H2", "二〇一〇年二月三日"), "二〇一〇年二月三日", "H2"),
        (lambda ws: ws.__setitem__("H2", date(2010, 2, 3)), date(2010, 2, 3), "H2"),
        (lambda ws: ws.__setitem__("H3", "2010.2.3"), "2010.2.3", "H3"),
        (lambda ws: ws.__setitem__("H3", "2010-02-03"), "2010-02-03", "H3"),
        (lambda ws: ws.__setitem__("H3", "10年2月3日"), "10年2月3日", "H3"),
        (lambda ws: ws.__setitem__("E3", "填表人：王芳　　2010年2月3日"), "2010年2月3日", "E3"),
        (lambda ws: ws.__setitem__("E3", "2010年2月3日　　填表人：王芳"), "2010年2月3日", "E3"),
        (
            lambda ws: ws.__setitem__("A1", "送温暖工程统计表（2010年2月3日）"),
            "2010年2月3日",
            "A1",
        ),
        (_foot, "2010年2月3日", None),
    ],
    ids=[
        "top-right",
        "top-right-chinese",
        "top-right-date-cell",
        "beside-person-dots",
        "beside-person-dashes",
        "beside-person-short-year",
        "after-person-in-its-cell",
        "before-person-in-its-cell",
        "in-the-title",
        "under-the-stamp",
    ],
)
def test_the_day_filled_where_clerks_write_it(tmp_path, edit, raw, cell):
    path = _undated(tmp_path, edit)
    ret, _ = read(path, ALL)
    day = ret.header["date"]
    assert day.raw == raw
    assert day.place == f"{SHEET}!{cell or day.cell}"
    report = validate.validate_file(path, ALL, validate.Options())
    assert (report.received, report.form) == ("2010-02-03", "pingdingshan-2010")
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        ("warning", "deadline", LATE_2)
    ]


def test_the_day_under_the_stamp_is_the_line_below_it(tmp_path):
    ret, _ = read(_undated(tmp_path, _foot), ALL)
    assert ret.header["date"].cell == "E48"


@pytest.mark.parametrize(
    "edit",
    [
        lambda ws: ws.__setitem__("H2", "截至2010年1月28日"),
        lambda ws: (ws.__setitem__("G2", "统计截止日期"), ws.__setitem__("H2", "2010年1月28日")),
        lambda ws: ws.__setitem__("A1", "送温暖工程统计表（截至2010年1月28日）"),
        lambda ws: (
            ws.__setitem__("A47", "以上数据统计截至"),
            ws.__setitem__("B47", "2010年1月28日"),  # the last line: not the day signed
        ),
        lambda ws: None,
    ],
    ids=["a-sentence", "a-cut-off-day", "a-cut-off-in-the-title", "a-cut-off-at-the-foot", "none"],
)
def test_no_day_filled_is_an_info_and_the_file_s_day_judges_lateness(tmp_path, edit):
    path = _undated(tmp_path, edit)
    report = validate.validate_file(path, ALL, validate.Options())
    assert "date" not in report.header
    assert (report.received, [(f.severity, f.kind, f.message) for f in report.findings]) == (
        "2010-01-30",
        [
            (
                "info",
                "deadline",
                "没有找到填报日期：是否逾期按文件的日期 2010-01-30 判断（可用 --received 指定收到日期）",
            )
        ],
    )


def test_no_day_filled_and_a_late_file_is_late_by_its_own_day(tmp_path):
    path = _undated(tmp_path, lambda ws: None, saved=date(2010, 2, 3))
    report = validate.validate_file(path, ALL, validate.Options())
    assert [(f.severity, f.message) for f in report.findings] == [
        (
            "info",
            "没有找到填报日期：是否逾期按文件的日期 2010-02-03 判断（可用 --received 指定收到日期）",
        ),
        ("warning", LATE_2),
    ]


def test_no_day_filled_with_received_given_says_so_in_both_languages(tmp_path):
    path = _undated(tmp_path, lambda ws: None, saved=date(2010, 2, 5))
    options = validate.Options(received=date(2010, 2, 3))
    report = validate.validate_file(path, ALL, options)
    assert [f.message for f in report.findings] == [
        "没有找到填报日期：是否逾期按收到日期 2010-02-03（--received）判断",
        LATE_2,
    ]
    set_lang("en")
    report = validate.validate_file(path, ALL, options)
    assert report.findings[0].message == (
        "no 填报日期 (date filled) found: lateness is judged by the date received, 2010-02-03 "
        "(--received)"
    )


def test_a_form_without_a_deadline_says_nothing_of_the_day(tmp_path):
    path = _undated(tmp_path, lambda ws: None)
    ret, form = read(path, ALL)
    undated = form.model_copy(update={"deadlines": []})
    assert validate.validate(undated, ret, validate.Options()).findings == []
