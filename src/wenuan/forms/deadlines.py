"""Dates as notices write them (2010年春节前, 农历2009年腊月十八, 2024年2月中旬), resolved to days.

Lunar dates go through lunar-python (正月 and 腊月 of 1950–2100 through a table of its dates)
and official working days through chinese-calendar. A form file writes `when` with its year, so
it resolves on its own; the notice's exact words stay beside it in `text`.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_CN_NUM = {c: i for i, c in enumerate("〇一二三四五六七八九十", start=0)}
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}
_TEN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}
_FESTIVALS = {"除夕": None, "春节": (1, 1), "元宵": (1, 15), "元宵节": (1, 15)}


class DateError(ValueError):
    """A date expression that does not resolve."""


@dataclass(frozen=True)
class Span:
    """The first and last day an expression can mean; a plain date has start == end."""

    start: date
    end: date


def _cn_number(text: str) -> int:
    """一 … 三十, 廿一, 初五 as a number."""
    text = text.removeprefix("初")
    if text.isdigit():
        return int(text)
    if text.startswith("廿"):
        return 20 + (_CN_NUM[text[1]] if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)
    if len(text) == 1 and text in _CN_NUM:
        return _CN_NUM[text]
    raise DateError(text)


# 正月初一 of each Chinese year from 1950 to 2101, as its day of the Gregorian year, and whether
# the 腊月 of each year from 1950 to 2100 has 30 days (1) or 29 (0): lunar-python's own dates
# (tests/test_deadlines.py compares them all), so that a form's 春节前 or 腊月十八 does not import
# it (a tenth of a command's start)
TABLED = 1950
_SPRING = [
    int(n)
    for n in """
48 37 27 45 34 24 43 31 49 39 28 46 36 25 44 33 21 40 30 48
37 27 46 34 23 42 31 49 38 28 47 36 25 44 33 51 40 29 48 37
27 46 35 23 41 31 50 38 28 47 36 24 43 32 22 40 29 49 38 26
45 34 23 41 31 50 39 28 47 36 25 43 32 22 41 29 48 37 26 44
34 23 42 31 50 39 28 46 35 24 43 32 22 41 30 48 37 26 45 33
23 42 32 50 39 28 46 35 24 43 33 21 40 29 48 36 26 45 34 23
42 31 50 38 27 46 36 24 43 33 22 40 29 48 37 26 45 34 24 41
30 49 38 27 46 36 25 43 32 21 40 29
""".split()
]
_LA_YUE_30 = (
    "01101110100100100110111111100011111100011110110010"
    "01011011111001101111101100000100111111000111111100"
    "01111010000001011011111001001111101101000000101111"
    "0"
)


def _tabled(year: int, month: int, day: int) -> date | None:
    """A day of 正月 or 腊月 (up to the 29th, which every month has) from the table above."""
    i = year - TABLED
    if not (0 <= i < len(_LA_YUE_30) and month in (1, 12) and 1 <= day <= 29):
        return None
    if month == 1:
        return date(year, 1, 1) + timedelta(days=_SPRING[i] - 1 + day - 1)
    next_first = date(year + 1, 1, 1) + timedelta(days=_SPRING[i + 1] - 1)
    return next_first - timedelta(days=29 + int(_LA_YUE_30[i]) - (day - 1))


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the Chinese calendar (lunar year, month, day)."""
    if tabled := _tabled(year, month, day):
        return tabled
    from lunar_python import Lunar

    try:
        solar = Lunar.fromYmd(year, month, day).getSolar()
    except Exception as e:  # lunar-python raises plain Exception for impossible days
        raise DateError(f"农历{year}年{month}月{day}日") from e
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def spring_festival(year: int) -> date:
    """正月初一 of the Chinese year that begins in Gregorian `year`."""
    return lunar_to_solar(year, 1, 1)


@lru_cache(maxsize=1024)  # a list's rules resolve the same few dates for every row
def resolve(text: str) -> Span:
    """Resolve a date expression; a trailing 前 means "by", so `2010年2月1日前` is 2010-02-01."""
    s = str(text).strip().replace(" ", "")
    before = s.endswith("前")
    s = s.removesuffix("前")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
        return _day(date(*map(int, m.groups())))
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", s):
        return _day(date(*map(int, m.groups())))
    if m := re.fullmatch(r"(\d{4})年(\d{1,2})月(上旬|中旬|下旬)?", s):
        year, month = int(m[1]), int(m[2])
        first, last = _TEN_DAYS.get(m[3], (1, 31))
        last = min(last, calendar.monthrange(year, month)[1])
        return Span(date(year, month, first), date(year, month, last))
    if m := re.fullmatch(r"农历(\d{4})年(闰)?(.+)月(.+)", s):
        if m[2]:
            raise DateError("闰月")
        month_text = m[3]
        month = _LUNAR_MONTHS.get(month_text) or _cn_number(month_text)
        return _day(lunar_to_solar(int(m[1]), month, _cn_number(m[4])))
    if m := re.fullmatch(r"(\d{4})年(除夕|春节|元宵节?|元旦)", s):
        year, name = int(m[1]), m[2]
        if name == "元旦":
            day = date(year, 1, 1)
        elif name == "除夕":
            day = spring_festival(year) - timedelta(days=1)
        else:
            day = lunar_to_solar(year, *_FESTIVALS[name])
        if before and name != "除夕":
            day -= timedelta(days=1)  # 春节前: by the last day before the festival
        return _day(day)
    raise DateError(text)


def _day(d: date) -> Span:
    return Span(d, d)


# a day as notices write one: 5月31日, 2010年2月1日, 31号, 腊月十八, 春节前, 2月中旬, 月底 (text:
# compiled when a form file is first checked, not by a command that reads checked forms)
_NAMES_A_DAY = (
    r"[\d〇一二三四五六七八九十廿初]\s*[月日号]|春节|元旦|除夕|元宵|[上中下]旬|月底|年底|[腊正冬]月"
)


def names_a_day(text: str) -> bool:
    """Whether a notice's sentence names a day or a date (a deadline's quote must)."""
    return bool(re.search(_NAMES_A_DAY, text))


def check(text: str) -> str | None:
    """None when `text` resolves, else why not."""
    try:
        resolve(text)
    except (DateError, ValueError, KeyError) as e:
        return str(e) or text
    return None


@dataclass(frozen=True)
class DayKind:
    """Whether a day is worked, and whether that comes from official data or a Mon–Fri guess."""

    workday: bool
    official: bool


def day_kind(d: date, extra: dict[date, bool] | None = None) -> DayKind:
    """Official working day per the State Council's holiday arrangements, else Mon–Fri."""
    if extra and d in extra:
        return DayKind(extra[d], True)
    return _official_kind(d)


@lru_cache(maxsize=1 << 16)
def _official_kind(d: date) -> DayKind:
    """Kept: a page shown again counts the same thousands of days (chinese-calendar is slow)."""
    import chinese_calendar

    try:
        return DayKind(chinese_calendar.is_workday(d), True)
    except NotImplementedError:  # no official data for that year yet
        return DayKind(d.weekday() < 5, False)


def has_official_data(year: int) -> bool:
    """Whether chinese-calendar knows the State Council's holiday arrangements for `year`."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def load_calendar(path) -> dict[date, bool]:
    """A user's list of days: lines `2027-02-06 班` (worked) or `2027-02-10 休` (off)."""
    days: dict[date, bool] = {}
    for n, line in enumerate(open(path, encoding="utf-8-sig"), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        kind = parts[1] if len(parts) == 2 else ""
        if kind not in ("班", "休", "workday", "holiday"):
            raise DateError(f"{path}:{n}: {line}")
        days[date.fromisoformat(parts[0])] = kind in ("班", "workday")
    return days


def working_days_between(start: date, end: date, extra: dict[date, bool] | None = None) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier)."""
    sign, (a, b) = (1, (start, end)) if end >= start else (-1, (end, start))
    count, d = 0, a
    while d < b:
        d += timedelta(days=1)
        count += day_kind(d, extra).workday
    return sign * count
