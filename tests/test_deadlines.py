"""Dates as notices write them, resolved through the lunar calendar and official working days."""

from datetime import date

import pytest

from wenuan.forms import deadlines


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2010-02-01", date(2010, 2, 1), date(2010, 2, 1)),
        ("2010年2月1日前", date(2010, 2, 1), date(2010, 2, 1)),
        ("农历2009年腊月十八", date(2010, 2, 1), date(2010, 2, 1)),
        ("农历2009年十二月十八", date(2010, 2, 1), date(2010, 2, 1)),
        ("农历2009年腊月初十", date(2010, 1, 24), date(2010, 1, 24)),
        ("农历2023年正月廿一", date(2023, 2, 11), date(2023, 2, 11)),
        ("2010年春节前", date(2010, 2, 13), date(2010, 2, 13)),
        ("2022年春节", date(2022, 2, 1), date(2022, 2, 1)),
        ("2024年除夕", date(2024, 2, 9), date(2024, 2, 9)),
        ("2024年元宵节", date(2024, 2, 24), date(2024, 2, 24)),
        ("2024年2月中旬", date(2024, 2, 11), date(2024, 2, 20)),
        ("2009年12月下旬", date(2009, 12, 21), date(2009, 12, 31)),
        ("2024年2月下旬", date(2024, 2, 21), date(2024, 2, 29)),
        ("2021年5月", date(2021, 5, 1), date(2021, 5, 31)),
    ],
)
def test_resolve(text, start, end):
    assert deadlines.resolve(text) == deadlines.Span(start, end)


@pytest.mark.parametrize(
    "text", ["2010年13月1日", "明年春天", "农历2009年腊月三十二", "2010-02-30"]
)
def test_unresolvable(text):
    assert deadlines.check(text) is not None


def test_official_working_days_include_adjusted_weekends():
    assert deadlines.day_kind(date(2010, 2, 1)) == deadlines.DayKind(True, True)
    assert deadlines.day_kind(date(2022, 1, 29)) == deadlines.DayKind(True, True)  # 调休上班的周六
    assert deadlines.day_kind(date(2022, 2, 1)) == deadlines.DayKind(False, True)  # 春节
    assert deadlines.day_kind(date(2099, 1, 5)) == deadlines.DayKind(True, False)  # 无官方数据


def test_working_days_between_counts_official_calendar():
    # 2022-01-26 (Wed) to 2022-02-07: 春节 1-31..2-6 off, 1-29 and 1-30 adjusted working days.
    assert deadlines.working_days_between(date(2022, 1, 26), date(2022, 2, 7)) == 5
    assert deadlines.working_days_between(date(2022, 2, 7), date(2022, 1, 26)) == -5


def test_user_calendar_overrides():
    extra = {date(2099, 1, 5): False}
    assert deadlines.day_kind(date(2099, 1, 5), extra) == deadlines.DayKind(False, True)
