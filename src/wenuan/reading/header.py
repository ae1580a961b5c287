"""The return's header fields (填报单位, 填报人, 联系电话, 填报日期), wherever a clerk wrote them:
after a colon in the same cell, several in one cell beside other signatures (单位负责人：…
审核人：…), or in the next cell of the row."""

import re
import unicodedata
from datetime import date
from functools import lru_cache

from wenuan.forms.model import UNITS
from wenuan.reading.model import Entry, Grid

FIELDS = {
    "unit": ("填报单位", "填表单位", "报送单位", "单位名称", "单位"),
    "person": ("填报人", "填表人", "制表人", "制表", "统计人", "统计员", "经办人", "联系人"),
    "phone": ("联系电话", "联系方式", "办公电话", "电话", "手机"),
    "date": ("填报日期", "填表日期", "报送日期", "报表日期", "填报时间", "填表时间", "日期"),
    "both": ("联系人及电话", "联系人及联系电话", "联系人和电话"),  # person and phone in one
    "other": (
        "单位负责人",
        "负责人",
        "审核人",
        "审核",
        "分管领导",
        "主管领导",
        "签字",
        "签名",
        "计量单位",
    ),
}
_STAMP = r"(?:[(（](?:盖章|章|签字|签章)[)）])?"
_WORDS = sorted(((w, k) for k, ws in FIELDS.items() for w in ws), key=lambda x: -len(x[0]))
_NAME = dict(_WORDS)
# a field's name, and then a colon (or, at the start of a cell, nothing: its value is beside)
_FIELD = re.compile(rf"({'|'.join(re.escape(w) for w, _ in _WORDS)})\s*{_STAMP}\s*(?:[:：]|$)")
_NOTES = ("注", "说明", "备注", "附注", "填表说明")
_TAIL = re.compile(rf"\s*{_STAMP}\s*$")
# a day as clerks write it: 2023年12月20日, 23年12月20日, 二〇二三年十二月二十日, 2010年元月30日,
# 2023.12.20, 2023-12-20, 2023/12/20
_DAY = (
    r"(?:(?:19|20)?\d\d|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|元|[一二三四五六七八九十]{1,2})"
    r"\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
    r"|(?:19|20)\d\d(?:-\d{1,2}-\d{1,2}|\.\d{1,2}\.\d{1,2}|/\d{1,2}/\d{1,2})"
)
_DATE_AFTER = re.compile(rf"\s({_DAY})$")
_DATE_BEFORE = re.compile(rf"^({_DAY})\s")
_UNITS_ONLY = re.compile(
    rf"(?:\s*(?:{'|'.join(sorted(UNITS, key=len, reverse=True))})\s*[、,，/;；]?)+"
)


def read_header(grids: list[Grid]) -> dict[str, Entry]:
    """Each header field's first appearance, in reading order; then, for the fields the body
    lacks, in a Word document's page headers and footers."""
    out: dict[str, Entry] = {}
    for grid in [*grids, *(m for g in grids for m in g.margins)]:
        for r, c, text in grid.texts:
            if fields_in(text):
                _take(grid, r, c, out)
                if len(out) == 4:  # unit, person, phone and date: the rest cannot change them
                    return out
    return out


# the patterns below match what a return seldom has: kept as text, re compiles each on first use
_LONE_DATE = rf"\s*(?:{_DAY})\s*"
_IN_TITLE = rf"表\s*[(（]\s*({_DAY})\s*[)）]\s*$"  # …统计表（2023年12月20日）
_STAMPED = r"盖章|公章|[(（]\s*章\s*[)）]"
TOP_ROWS = 5  # a day at the top right is in the title's rows, above the table
# a text that leads to a day which is not the filled one: 统计截止日期 | 2009年12月31日
_LEADS = r"(?:日期|时间|截至|截止|止|至|前)\s*[:：]?\s*$"


def day_written(grids: list[Grid]) -> Entry | None:
    """填报日期 written without its name, where clerks put it: a day alone on the line of
    another header field (填表人：王芳 | 2023年12月20日), at the top right, in brackets after the
    title, or on the line under the stamp; else the last line of the file; else in a page
    header or footer."""
    return _day_in(grids) or date_at_end(grids) or _day_in([m for g in grids for m in g.margins])


def _day_in(grids: list[Grid]) -> Entry | None:
    """A day alone on a header field's line, at the top right, after the title or under the
    stamp (see `day_written`)."""
    for grid in grids:
        stamped = False  # the line above was the stamp's
        for r, row in enumerate(grid.rows):
            texts = [v for v in row if isinstance(v, str) and v.strip()]
            days = [c for c, v in enumerate(row) if _alone(v) and (r, c) not in grid.covered]
            if days:
                others = [v for v in texts if not _alone(v)]
                if (
                    any(fields_in(v) for v in others)
                    or (r < TOP_ROWS and not any(re.search(_LEADS, v) for v in others))
                    or (stamped and not others)
                ):
                    return _day_entry(grid, r, days[0], row[days[0]])
            for c, v in enumerate(row):
                if isinstance(v, str) and (m := re.search(_IN_TITLE, v)):
                    return _day_entry(grid, r, c, m.group(1))
            if texts:
                stamped = any(re.search(_STAMPED, v) for v in texts)
    return None


def _alone(value) -> bool:
    """Whether a cell holds a day and nothing else: a date cell, or its text."""
    if isinstance(value, date):
        return True
    return isinstance(value, str) and re.fullmatch(_LONE_DATE, value) is not None


def _day_entry(grid: Grid, r: int, c: int, raw) -> Entry:
    return Entry(raw.strip() if isinstance(raw, str) else raw, grid.name, grid.place(r, c), "label")


def date_at_end(grids: list[Grid]) -> Entry | None:
    """A day written alone as the last text of a sheet or document (a report signed off with
    its date on the last line), for a return that names no 填报日期."""
    for grid in grids:
        texts = grid.texts
        if texts and re.fullmatch(_LONE_DATE, texts[-1][2]):
            r = texts[-1][0]
            if not any(re.search(_LEADS, v) for row, _, v in texts[:-1] if row == r):
                return _day_entry(grid, *texts[-1])  # not 以上数据统计截至 | 2010年1月28日
    return None


@lru_cache(maxsize=1 << 14)
def fields_in(text: str) -> tuple[tuple[str, str], ...]:
    """(field, value) pairs a cell's text gives, in order; a value may be "" (it is beside)."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    if text.startswith(_NOTES):
        return ()  # 注：联系人：… is the notice's own contact, not the return's
    # a name with its colon, or a cell that is a name alone (its value in the next cell)
    found = [
        m
        for m in _FIELD.finditer(text)
        if m.group(0).rstrip()[-1] in ":：" or (m.start() == 0 and len(m.group(1)) >= 3)
    ]  # a bare 单位, 日期 or 电话 is a column's heading, not a field
    if not found:
        return ()
    pairs = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        value = _TAIL.sub("", text[m.end() : end]).strip(" ,;，；、.。")
        if value in ("年月日", "年 月 日") or re.fullmatch(r"年\s*月\s*日", value):
            value = ""
        key = _NAME[m.group(1)]
        if key == "unit" and _UNITS_ONLY.fullmatch(value):
            key = "other"  # 单位：万元、人 says the units of the figures, not who reports
        day = _DATE_AFTER.search(value) if key != "date" else None
        if day:  # 联系电话：0711-3223456　　2022年1月24日: the day is written after the value
            value = value[: day.start()]
        pairs.append((key, value))
        if day:
            pairs.append(("date", day.group(1)))
    if day := _DATE_BEFORE.match(text[: found[0].start()]):
        pairs.append(("date", day.group(1)))  # 2023年12月20日　　填表人：王芳
    return tuple(pairs)


def _take(grid: Grid, r: int, c: int, out: dict[str, Entry]) -> None:
    pairs = fields_in(grid.rows[r][c])
    for i, (key, value) in enumerate(pairs):
        if key == "other":
            continue
        if not value and i + 1 == len(pairs) and (nxt := _next_value(grid, r, c)) is not None:
            value, at = grid.rows[r][nxt], nxt
        else:
            at = c
        if key == "unit" and isinstance(value, str):
            value = unstamped(value)
        if value in (None, ""):
            continue
        if key == "both":
            name, phone = _name_and_phone(str(value))
            for k, v in (("person", name), ("phone", phone)):
                if v and k not in out:
                    out[k] = Entry(v, grid.name, grid.place(r, at), "label")
        elif key not in out:
            out[key] = Entry(value, grid.name, grid.place(r, at), "label")


# 叶县总工会（盖章）, （单位公章）, （签章）: where the stamp goes, not the unit's name
_STAMP_MARK = r"[(（]\s*[^()（）]{0,6}?(?:章|签\s*字|签\s*名)\s*[)）]|\s+(?:盖章|公章|签章)$"


def unstamped(unit: str) -> str:
    """A 填报单位 without the stamp's mark written after it."""
    return re.sub(_STAMP_MARK, "", unit).strip() if "章" in unit or "签" in unit else unit


def _name_and_phone(text: str) -> tuple[str, str]:
    """联系人及电话：王芳 13903750001 -> (王芳, 13903750001)."""
    m = re.search(r"[+\d(（][\d\s\-－—()（）转]{5,}", text)
    if not m:
        return text.strip(), ""
    return (text[: m.start()] + text[m.end() :]).strip(" ,;，；、"), m.group(0).strip()


def _next_value(grid: Grid, r: int, c: int) -> int | None:
    """The next non-empty cell to the right that is not another field's name."""
    row = grid.rows[r]
    for cj in range(c + 1, len(row)):
        v = row[cj]
        if v in (None, "") or (r, cj) in grid.covered:
            continue
        if isinstance(v, str) and fields_in(v):
            return None
        return cj
    return None
