"""Tables with the items across the columns and the unit's figures on one row (a unit copying its
line of the city's 各单位 sheet: a row of codes or a two-row header of labels, maybe a 栏次 row,
then its own row), read as the same table turned so the items run down the rows."""

from wenuan.forms.model import Form
from wenuan.numbers import parse
from wenuan.reading import layout
from wenuan.reading.labels import fold
from wenuan.reading.model import Entry, Grid, Return, a1

MIN_FIGURES = 3  # a row with fewer figures is no unit's line


def turned(grid: Grid) -> Grid | None:
    """The grid with rows and columns swapped, each cell keeping its place in the sheet; None
    unless exactly one row holds the figures (several units' lines are no one unit's return)."""
    if len(_lines(grid)) != 1:
        return None
    width = max((len(row) for row in grid.rows), default=0)
    kept = [[] if _numbering(row) else row for row in grid.rows]  # 栏次 1, 2, 3: no figures
    rows = [[row[c] if c < len(row) else None for row in kept] for c in range(width)]
    r0, c0 = grid.origin
    places = {(c, r): a1(r0 + r, c0 + c) for r in range(len(grid.rows)) for c in range(width)}
    return Grid(
        grid.name,
        rows,
        {(c, r) for r, c in grid.covered},
        places=places if grid.places is None else {(c, r): p for (r, c), p in grid.places.items()},
        hidden=frozenset(),
    )


def _lines(grid: Grid) -> list[int]:
    """The rows that hold figures, not counting a 栏次 row."""
    return [
        r for r, row in enumerate(grid.rows) if _figures(row) >= MIN_FIGURES and not _numbering(row)
    ]


def _figures(row: list) -> int:
    """How many cells of a row hold a figure."""
    return sum(
        1
        for v in row
        if (type(v) in (int, float)) or (isinstance(v, str) and v.strip() and _number(v))
    )


def _number(text: str) -> bool:
    return parse(text).problem is None and parse(text).value is not None


def _numbering(row: list) -> bool:
    """A 栏次 row: 1, 2, 3 … (or 栏次 | 1 | 2 …)."""
    numbers = [int(v) for v in row if type(v) in (int, float) and v == int(v)]
    numbers += [int(v) for v in row if isinstance(v, str) and v.strip().isdigit()]
    return len(numbers) >= MIN_FIGURES and numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    )


_UNIT_HEADS = {"单位", "单位名称", "填报单位", "县(市、区)", "县(市)区", "地区"}


def read_across(ret: Return, form: Form, grids: list[Grid]) -> None:
    """The tables not found down the rows, read across the columns of a sheet with one unit's
    line; the unit's name from that line's 单位 column when no 填报单位 was found."""
    turns = [(g, t) for g in grids if (t := turned(g))]
    if not turns:
        return
    across = Return(path=ret.path, form_id=ret.form_id)
    layout.read_tables(across, form, [t for _, t in turns])
    for tid in [t for t in ret.missing_tables if t in across.tables]:
        ret.tables[tid] = across.tables[tid]
        ret.missing_tables.remove(tid)
        if "unit" not in ret.header:
            ret.header |= _unit_on_line(turns)


def _unit_on_line(turns: list[tuple[Grid, Grid]]) -> dict[str, Entry]:
    """The unit's name on its line, under a 单位 heading."""
    for grid, _ in turns:
        (line,) = _lines(grid)
        for _, c, text in grid.texts_in(range(line)):
            name = grid.rows[line][c] if c < len(grid.rows[line]) else None
            if fold(text) in _UNIT_HEADS and isinstance(name, str) and name.strip():
                return {"unit": Entry(name.strip(), grid.name, grid.place(line, c), "label")}
    return {}
