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


def test_every_bundled_deadline_quotes_a_sentence_that_names_its_day():
    from wenuan.forms import model as forms

    for form_id, entry in forms.catalogue().items():
        for deadline in forms.load_entry(entry).deadlines:
            assert deadlines.names_a_day(deadline.text), (form_id, deadline.id, deadline.text)
    zhengzhou = forms.get_form("zhengzhou-2021")
    returns = next(d for d in zhengzhou.deadlines if d.id == "returns")
    assert returns.text == "请各单位于5月31日前……对困难职工调研走访慰问活动总结报送保障工作部"


@pytest.mark.parametrize(
    "text, names",
    [
        ("请务必于2010年2月1日前将送温暖活动报告和统计表报送市总保障部", True),
        ("省财政专项资金必须在春节前使用完毕", True),
        ("中央财政专项资金必须在2009年12月31号之前用完", True),
        ("至农历腊月十八结束", True),
        ("对困难职工调研走访慰问活动总结报送保障工作部", False),
        ("另将文本电子版发送到邮箱jzszghbzb@163.com", False),
    ],
)
def test_a_sentence_names_a_day(text, names):
    assert deadlines.names_a_day(text) is names


def test_a_deadline_no_sentence_names_says_it_is_assumed_not_quoted():
    from pathlib import Path

    from wenuan.checking import validate
    from wenuan.forms import model as forms

    loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
    path = Path(__file__).parents[1] / "examples" / "jiaozuo-2023_late-no-person.xlsx"
    report = validate.validate_file(path, loaded, validate.Options())
    assert [f.message for f in report.findings if f.kind == "deadline"] == [
        "逾期 3 天（0 个工作日）：截止 2024-02-09，收到 2024-02-12。通知未写明报送时间，截止日按此推定："
        "2024年春节前（焦作2019年、鄂州2022年、平顶山2010年的通知都要求春节前报送）"
    ]


def test_the_table_of_spring_festivals_and_la_yue_is_lunar_pythons_for_every_year():
    from lunar_python import Lunar

    def lunar(year, month, day):
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return date(solar.getYear(), solar.getMonth(), solar.getDay())

    years = range(deadlines.TABLED, deadlines.TABLED + 151)
    assert years[-1] == 2100
    for year in years:
        for month, day in [(1, 1), (1, 15), (1, 29), (12, 1), (12, 18), (12, 29)]:
            assert deadlines._tabled(year, month, day) == lunar(year, month, day), (year, month)
    assert deadlines._tabled(2101, 1, 1) is None  # past the table: lunar-python's
    assert deadlines.lunar_to_solar(2101, 1, 1) == lunar(2101, 1, 1)
    assert deadlines._tabled(2024, 12, 30) is None  # a 30th that may not be there: lunar-python's
    with pytest.raises(deadlines.DateError):
        deadlines.resolve("农历2024年腊月三十")  # 2024's 腊月 has 29 days


def test_the_built_in_forms_deadlines_resolve_without_lunar_python():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wenuan.forms import model\n"
        "for fid in model.catalogue():\n"
        "    model.get_form(fid)\n"
        "print('lunar_python' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout == "False\n"
