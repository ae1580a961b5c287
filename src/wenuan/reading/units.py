"""A workbook of several units' returns, one a sheet (a county's townships, with or without its
own 汇总 sheet): which sheet is the unit's own return, and the sub-units' returns beside it.

The unit's own return is the sheet named 汇总/合计/全县/本级…, else the sheet whose 填报单位 the
file's name names (叶县总工会送温暖统计表.xlsx); the others are its sub-units. With neither, the
first sheet is read and the Return says so (`chosen == "first"`): never a silent pick.
"""

import re

from wenuan.forms.model import Form
from wenuan.reading import header, layout
from wenuan.reading.labels import canonical, fold
from wenuan.reading.model import Grid, Part, Return

TOTAL_WORDS = ("汇总", "合计", "总计", "全县", "全市", "全区", "全旗")  # the sum of the others
OWN_WORDS = (*TOTAL_WORDS, "本级")  # the unit's own figures (本级: without its sub-units)
_GENERIC = re.compile(r"^(?:sheet|工作表|表)\d*$|copy|副本|\(\d+\)$", re.I)
_UNION = re.compile(r"(?:总工会|工会委员会|工会)$")


def split(ret: Return, form: Form, grids: list[Grid]) -> None:
    """When several sheets each hold a whole return of different units, read the unit's own
    into `ret` (its tables and header) and the others as its parts; else leave `ret` as it is."""
    found = [(g, sub) for g in grids if (sub := _whole(ret, form, g))]
    if len(found) < 2:
        return
    units = [_unit_of(g, sub, form) for g, sub in found]
    named = [i for i, (g, _) in enumerate(found) if any(w in fold(g.name) for w in OWN_WORDS)]
    if not named and len({fold(u) for u in units if u}) < 2:
        return  # the same unit's table twice (a copy, a draft): one warning says so
    totals = [i for i in named if is_total(found[i][0].name)]
    sender = [i for i, u in enumerate(units) if u and _names(ret.path.stem, u)]
    if len(named) == 1 or len(totals) == 1:
        own, ret.chosen = (totals or named)[0], "total"
    elif len(sender) == 1:
        own, ret.chosen = sender[0], "sender"
    else:
        own, ret.chosen = 0, "first"
    grid, sub = found[own]
    ret.sheet = grid.name
    ret.tables, ret.missing_tables, ret.twice = sub.tables, sub.missing_tables, {}
    parts = {id(g) for g, _ in found}
    ret.header = header.read_header([grid, *(g for g in grids if id(g) not in parts)])
    ret.header.pop("unit", None)  # another sheet's 填报单位 is a sub-unit's
    if unit := sub.header.get("unit") or layout.unit_in_title([grid], form):
        ret.header["unit"] = unit
    ret.parts = [Part(g.name, units[i], s.tables) for i, (g, s) in enumerate(found) if i != own]


def is_total(sheet: str | None) -> bool:
    """Whether a sheet's name says it is the sum of the others (汇总, 合计, 全县…)."""
    return bool(sheet) and any(w in fold(sheet) for w in TOTAL_WORDS)


def _whole(ret: Return, form: Form, grid: Grid) -> Return | None:
    """The sheet read alone, when it holds at least half of one of the form's tables."""
    sub = Return(path=ret.path, form_id=ret.form_id)
    layout.read_tables(sub, form, [grid])
    if not any(len(sub.tables.get(t.id, {})) >= max(3, len(t.cells) // 2) for t in form.tables):
        return None
    sub.header = header.read_header([grid])
    return sub


def _unit_of(grid: Grid, sub: Return, form: Form) -> str | None:
    """The unit a sheet is the return of: its 填报单位, the union before its title, or its name
    when that is a name (城关镇) and not Sheet2, a title or a copy."""
    if (unit := sub.header.get("unit")) and str(unit.raw).strip():
        return str(unit.raw).strip()
    if unit := layout.unit_in_title([grid], form):
        return str(unit.raw)
    name = fold(grid.name)
    if any(w in name for w in OWN_WORDS):
        return None  # 汇总 names no unit
    titles = [canonical(t.title) for t in form.tables]
    if not name or _GENERIC.search(name) or any(t in name or name in t for t in titles):
        return None
    return grid.name.strip()


def _names(text: str, unit: str) -> bool:
    """Whether a file's name names a unit: 叶县总工会, or 叶县 alone."""
    core = _UNION.sub("", fold(unit))
    return len(core) >= 2 and core in fold(text)
