"""The return's header fields (填报单位, 填报人, 联系电话, 填报日期), wherever a clerk wrote them:
after a colon in the same cell, several in one cell, or in the next cell of the row."""

import re
from functools import lru_cache

from wenuan.reading.labels import fold
from wenuan.reading.model import Entry, Grid

KEYS = {
    "unit": ("填报单位(盖章)", "填报单位", "填表单位", "报送单位", "单位名称", "单位(盖章)"),
    "person": ("填报人", "填表人", "制表人", "经办人", "联系人"),
    "phone": ("联系电话", "联系方式", "电话", "手机"),
    "date": ("填报日期", "填表日期", "报送日期", "报表日期", "日期"),
}
_WORDS = sorted(((w, k) for k, ws in KEYS.items() for w in ws), key=lambda x: -len(x[0]))
_KEY = re.compile("|".join(re.escape(w) for w, _ in _WORDS))
_FIELD = dict(_WORDS)


def read_header(grids: list[Grid]) -> dict[str, Entry]:
    """Each header field's first appearance, in reading order."""
    out: dict[str, Entry] = {}
    for grid in grids:
        for r, row in enumerate(grid.rows):
            for c, v in enumerate(row):
                if isinstance(v, str) and _has_key(v):
                    _fields_of(grid, r, c, out)
    return out


@lru_cache(maxsize=1 << 14)
def _has_key(text: str) -> bool:
    return _KEY.search(fold(text)) is not None


def _fields_of(grid: Grid, r: int, c: int, out: dict[str, Entry]) -> None:
    folded = fold(grid.rows[r][c])
    keys = list(_KEY.finditer(folded))
    if keys[0].start() > 0 and not folded[: keys[0].start()].endswith(("(", "（")):
        if not any(folded.startswith(w) for w, _ in _WORDS):
            return  # a sentence that mentions a key (…请填报单位…), not a field
    for i, m in enumerate(keys):
        key = _FIELD[m.group()]
        end = keys[i + 1].start() if i + 1 < len(keys) else len(folded)
        rest = folded[m.end() : end]
        if key == "date" and m.group() == "日期" and not rest.startswith((":", "：")):
            continue  # 日期 alone only with its colon: 以上数据统计截至… is no field
        if key in out:
            continue
        value = rest.lstrip(":").strip(",;、.。")
        value = "" if value in ("年月日", "(盖章)") else value
        if value:
            out[key] = Entry(value, grid.name, grid.place(r, c), "label")
        elif i + 1 == len(keys):
            nxt = _next_value(grid, r, c)
            if nxt is not None:
                out[key] = Entry(grid.rows[r][nxt], grid.name, grid.place(r, nxt), "label")


def _next_value(grid: Grid, r: int, c: int) -> int | None:
    """The next non-empty cell to the right that is not another key."""
    row = grid.rows[r]
    for cj in range(c + 1, len(row)):
        v = row[cj]
        if v in (None, "") or (r, cj) in grid.covered:
            continue
        if isinstance(v, str) and _KEY.match(fold(v)):
            return None
        return cj
    return None
