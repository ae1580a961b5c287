"""Payment lists (实名制发放明细) as units keep them: the header row found by its column words,
the columns in any order, one person a row, on one sheet or several.

A header cell names the column whose name or header word it equals (after `canonical`:
`金额（元）` is `金额`) or, failing that, the column with the longest word it contains
(`身份证号码（18位）` is the ID column). A sheet's header row is the row among its first
`HEADER_ROWS` that names the most columns, the ID column among them. Below it, a row is a
person when its ID cell or two of its named cells are filled; a 合计 row and notes under the
list (制表人：…) are not.
"""

from dataclasses import dataclass, field

from wenuan.forms.model import PaymentList
from wenuan.reading.labels import canonical, fold
from wenuan.reading.model import Entry, Grid

HEADER_ROWS = 30
_TOTALS = ("合计", "小计", "总计", "累计")  # each has 计: a cell without it is no total


@dataclass
class ListPart:
    """The list as found on one sheet: where each column is, the rows of people, what lacks."""

    sheet: str
    header: str  # the header row's first named cell, as 'sheet!A3'
    columns: dict[str, str]  # column name -> its header cell
    missing: list[str]  # required columns not found
    grid: Grid = field(repr=False)
    top: int = 0  # the header row's index in the grid
    at: list[tuple[str, int]] = field(default_factory=list)  # (column kind or name, index)
    rows: list[dict[str, Entry]] = field(default_factory=list)  # column kind or name -> cell
    lines: list[int] = field(default_factory=list)  # each person's row in the grid

    def places(self, n: int) -> dict[str, str]:
        """The n-th person's cells, filled or not, in column order (worked out only when a
        finding needs them: a list has many rows and few findings)."""
        return {k: _place(self.grid, self.lines[n], i) for k, i in self.at}


def _words(paylist: PaymentList) -> list[tuple[str, str]]:
    """(canonical word, column name) for every column's name and header words."""
    return [
        (canonical(w), c.name) for c in paylist.columns for w in (c.name, *c.words) if canonical(w)
    ]


def _name_columns(row: list, words: list[tuple[str, str]]) -> dict[str, int]:
    """Column name -> index in the row, each column taken by the cell naming it best."""
    scored = []
    for i, value in enumerate(row):
        if not isinstance(value, str) or not value.strip():
            continue
        text = canonical(value)
        for word, name in words:
            if text == word:
                scored.append((100 + len(word), i, name))
            elif word in text:
                scored.append((len(word), i, name))
    out: dict[str, int] = {}
    used: set[int] = set()
    for _, i, name in sorted(scored, key=lambda s: (-s[0], s[1])):
        if name not in out and i not in used:
            out[name] = i
            used.add(i)
    return out


def find_parts(grids: list[Grid], paylist: PaymentList) -> list[ListPart]:
    """The list on each sheet that holds it, in sheet order; none when no header row is found."""
    words = _words(paylist)
    id_name = paylist.column("id_number").name
    key_of = {c.name: (c.kind if c.kind != "text" else c.name) for c in paylist.columns}
    parts = []
    for grid in grids:
        best, best_at = {}, None
        for r, row in enumerate(grid.rows[:HEADER_ROWS]):
            named = _name_columns(row, words)
            if id_name in named and len(named) >= 2 and len(named) > len(best):
                best, best_at = named, r
        if best_at is None:
            continue
        first = min(best.values())
        part = ListPart(
            sheet=grid.name,
            header=_place(grid, best_at, first),
            columns={name: _place(grid, best_at, i) for name, i in best.items()},
            missing=[c.name for c in paylist.columns if c.required and c.name not in best],
            grid=grid,
            top=best_at,
            at=sorted(((key_of[name], i) for name, i in best.items()), key=lambda x: x[1]),
        )
        for r in range(best_at + 1, len(grid.rows)):
            row = grid.rows[r]
            cells = {
                k: Entry(row[i], grid.name, grid.place(r, i))
                for k, i in part.at
                if i < len(row) and _filled(row[i])
            }
            if _is_person(cells, row):
                part.rows.append(cells)
                part.lines.append(r)
        parts.append(part)  # a header with no one under it is still the list
    return parts


def _place(grid: Grid, r: int, c: int) -> str:
    where = grid.place(r, c)
    return f"{grid.name}!{where}" if grid.name else where


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _is_person(cells: dict[str, Entry], row: list) -> bool:
    if any(isinstance(v, str) and "计" in v and fold(v).startswith(_TOTALS) for v in row):
        return False
    return "id_number" in cells or len(cells) >= 2
