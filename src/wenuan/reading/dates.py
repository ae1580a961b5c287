"""Dates as clerks write them: a date cell, 2010年2月1日, 2010.2.1, 二〇一〇年一月三十日."""

import re
from datetime import date, datetime
from functools import lru_cache


def parse_date(raw) -> date | None:
    """A date as clerks write it: a date cell, 2010-02-01, 2010年2月1日, 2010.2.1, 2010/2/1,
    2010年元月30日, 二〇一〇年一月三十日, 23年12月20日."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    return _date_text(str(raw))


@lru_cache(maxsize=4096)  # a payment list repeats the same few dates on every row
def _date_text(text: str) -> date | None:
    text = _CHINESE_DIGITS.sub(lambda m: _chinese_number(m.group()), text.replace("元月", "1月"))
    m = re.fullmatch(
        r"\s*(\d{4}|\d\d(?=\s*年))\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?\s*", text
    )
    if not m:
        return None
    year, month, day = map(int, m.groups())
    try:
        return date(year + 2000 * (year < 100), month, day)  # 23年12月20日
    except ValueError:
        return None


_CHINESE_DIGITS = re.compile("[〇零一二三四五六七八九十]+")
_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _chinese_number(text: str) -> str:
    """二〇一〇 -> 2010 (digit by digit); 三十 -> 30, 十二 -> 12, 二十一 -> 21."""
    if "十" not in text:
        return "".join(str(_DIGIT[c]) for c in text)
    tens, _, ones = text.partition("十")
    return str(_DIGIT.get(tens, 1) * 10 + (_DIGIT[ones] if ones else 0))
