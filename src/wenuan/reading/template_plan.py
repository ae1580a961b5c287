"""A return filled into the template `wenuan template` writes, read at the template's own cells.

The template's layout is worked out once a form, from the rows `writing` puts on each sheet (no
workbook is written): which cells hold its fixed texts, which its figures, which the header
fields a unit types (填报单位, 填报人, 联系电话, 填报日期); and, by the general reader run over
it filled and blank, the cell and the way (code, label) each figure is named. A file's grids
are read this way only when they are that template filled in: the same sheets, merges and
fixed texts, no hidden column, a number or nothing in each value cell, and in each header cell
a number, a date, nothing, or a text none of the reader's tests that look at such a cell (a
title, a code or label of an item, a column heading, a unit word, a year) takes for anything.
Then the general reader finds nothing else in the file, and reads each figure where it is.
"""

from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

from wenuan.forms.model import Form
from wenuan.reading import blanks, layout
from wenuan.reading.model import Entry, Grid, Return

_HEADER_KINDS = (int, float, date, datetime)  # a phone typed as a number, a date typed as one
INERT_KEPT = 50_000  # header texts whose verdict a plan remembers (a batch's names and phones)


class _Group:
    """One item's row: its entries as (ref, sheet, row, column, unit, hint, how, label, score),
    whether it waits for a 合计 row when its cells are empty (an item with parts), and its
    value cells."""

    __slots__ = ("entries", "waits", "sheet", "row", "cols")

    def __init__(self, entries: list, waits: bool, cols: tuple[int, ...]):
        self.entries, self.waits, self.cols = entries, waits, cols
        self.sheet, self.row = entries[0][1], entries[0][2]


@dataclass
class _Sheet:
    """A table's sheet of the template: what each row's fixed cells hold, where figures and
    header fields go."""

    name: str
    height: int
    width: int
    merges: list[tuple[int, int, int, int]]
    fixed: list[tuple]  # per row: (getter of its fixed cells or None for all, what they hold)
    values: list[tuple[int, int]]
    header: list[tuple[int, int]]


@dataclass
class Plan:
    """A form's template as the reader finds it."""

    form: Form
    sheets: list[_Sheet]
    tables: list[tuple[str, list[_Group]]]
    inert: dict[str, bool]

    def holds(self, grids: list[Grid]) -> bool:
        """Whether the grids are the template with figures in its value cells and plain words,
        numbers or dates in its header cells, and nothing else changed."""
        if len(grids) != len(self.sheets):
            return False
        for grid, sheet in zip(grids, self.sheets, strict=True):
            rows = grid.rows
            if (
                grid.name != sheet.name
                or grid.places is not None
                or grid.origin != (0, 0)
                or grid.hidden
                or grid.margins
                or len(rows) != sheet.height
                or sorted(grid.merges) != sheet.merges
            ):
                return False
            for row, (getter, want) in zip(rows, sheet.fixed, strict=True):
                if len(row) != sheet.width or (getter(row) if getter else row) != want:
                    return False
            for r, c in sheet.values:
                v = rows[r][c]
                if v.__class__ not in (int, float) and v is not None and v != "":
                    return False  # a text, a date, a bool: the general reader decides
            for r, c in sheet.header:
                v = rows[r][c]
                if v.__class__ is str:
                    if v and not self._inert(v):
                        return False
                elif v is not None and v.__class__ not in _HEADER_KINDS:
                    return False  # a bool, a time: not what the template's header cells take
        return True

    def _inert(self, text: str) -> bool:
        """Whether no test of the reader that looks at a header cell's text takes it for
        anything: a title (`regions`), an item's code or label (`_hits`), a column's role or
        unit (`_header`, `_halves`), a year heading a column (`_header`)."""
        known = self.inert.get(text)
        if known is None:
            if len(self.inert) > INERT_KEPT:
                self.inert.clear()
            known = self.inert[text] = (
                layout._titled(text, self.form) is None
                and layout.role_of(text) is None
                and layout._header_year(text) is None
                and not any(layout._names(text, layout.plan(t)) for t in self.form.tables)
            )
        return known

    def read(self, ret: Return, grids: list[Grid]) -> None:
        """Each table's entries at the template's cells, in the general reader's order."""
        entry = layout.cell_entry
        for tid, groups in self.tables:
            found: dict[str, Entry] = {}
            for group in _ordered(groups, grids):
                grid = grids[group.sheet]
                row = grid.rows[group.row]
                for ref, _, r, c, unit, hint, how, label, score in group.entries:
                    found[ref] = entry(grid, r, c, row[c], unit, hint, how, label, score)
            ret.tables[tid] = found


def _ordered(groups: list[_Group], grids: list[Grid]):
    """The items in the order the general reader takes them: an item with parts whose cells are
    all empty is taken when the next such item comes, or at the end (it waits for a 合计 row)."""
    waiting = None
    for group in groups:
        if group.waits:
            row = grids[group.sheet].rows[group.row]
            if all(row[c] in (None, "") for c in group.cols):
                if waiting:
                    yield waiting
                waiting = group
                continue
        yield group
    if waiting:
        yield waiting


_PLANS: dict[int, tuple[Form, Plan | None]] = {}
_MET: dict[int, Form] = {}  # forms of which this process has read a return


def read_tables(ret: Return, form: Form, grids: list[Grid]) -> bool:
    """Read the tables of a return filled into the form's template at the template's cells;
    False (nothing read) when the grids are not that template filled in. The plan is made at a
    form's second return: one file alone (`wenuan validate one.xlsx`) does not pay for it."""
    if id(form) not in _PLANS and id(form) not in _MET:
        _MET[id(form)] = form  # kept, so its id stays its own
        return False
    plan = plan_of(form)
    if plan is None or not plan.holds(grids):
        return False
    plan.read(ret, grids)
    return True


def plan_of(form: Form) -> Plan | None:
    """The form's template plan, made once a form (None: its template is not read this way)."""
    if id(form) not in _PLANS:
        _PLANS[id(form)] = (form, _plan(form))  # the form kept, so its id stays its own
    return _PLANS[id(form)][1]


def _at(a1: str) -> tuple[int, int]:
    """(row, column) of a cell such as E12 (one letter: the template is A to H)."""
    return int(a1[1:]) - 1, ord(a1[0]) - 65


def _grids(form: Form, values: dict, header: dict | None = None) -> list[Grid]:
    """The template's sheets as the workbook reader gives them, `values` in the value cells
    (and `header` in the header cells)."""
    from wenuan.outputs import writing

    out = []
    for table in form.tables:
        rows = writing.sheet_rows(form, table, values, header)[0]
        width = len(writing.COLUMNS)
        rows = [["" if v is None else v for v in row] + [""] * (width - len(row)) for row in rows]
        merges, covered = [], set()
        for span in writing.merged_ranges(table, len(rows)):
            (top, left), (bottom, right) = map(_at, span.split(":"))
            merges.append((top, left, bottom, right))
            covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
            covered.discard((top, left))
        out.append(Grid(writing._sheet_name(table), rows, covered, merges=merges))
    return out


def _plan(form: Form) -> Plan | None:
    """The form's template as the general reader reads it filled and blank; None when the two
    differ in anything but the figures, or the reader finds any figure outside a value cell."""
    from wenuan.outputs import writing

    positions = {
        t.id: {ref: _at(a1) for ref, a1 in writing.cell_positions(t).items()} for t in form.tables
    }
    filled = {f"{t}:{ref}": n for t, refs in positions.items() for n, ref in enumerate(refs, 1)}
    runs = []
    for values in (filled, {}):
        grids = _grids(form, values)
        if any(blanks.expanded(g) is not g for g in grids):
            return None  # a sentence with blanks in the template: not this plain layout
        ret = Return(path=Path(form.id))
        layout.read_tables(ret, form, grids)
        if ret.missing_tables or ret.twice:
            return None
        runs.append((grids, ret))
    (grids, ret), (blank, empty) = runs
    names = [g.name for g in grids]
    value_cols = tuple(ord(c) - 65 for c in writing.VALUE_COLUMNS)
    tables, values = [], {i: [] for i in range(len(grids))}
    for table in form.tables:
        found, none = ret.tables[table.id], empty.tables[table.id]
        if found.keys() != none.keys():
            return None
        p, groups = layout.plan(table), []
        for ref, e in found.items():
            s, (r, c) = names.index(e.sheet), positions[table.id].get(ref, (-1, -1))
            if (
                grids[s].place(r, c) != e.cell
                or _seen(e) != _seen(none[ref])
                or e.merged
                or e.shown
            ):
                return None
            item = table.cells[ref].item
            fields = (ref, s, r, c, table.cells[ref].unit, e.unit, e.how, e.label, e.score)
            if groups and groups[-1].row == r and groups[-1].sheet == s:
                groups[-1].entries.append(fields)
            else:
                groups.append(_Group([fields], bool(p.labels.items[item].items), value_cols))
            values[s].append((r, c))
        for run_grids, run in runs:
            order = [f[0] for g in _ordered(groups, run_grids) for f in g.entries]
            if order != list(run.tables[table.id]):
                return None
        tables.append((table.id, groups))
    sheets = [_sheet(g, values[i], writing.HEADER_FIELDS) for i, g in enumerate(blank)]
    return None if None in sheets else Plan(form, sheets, tables, {})


def _seen(e: Entry) -> tuple:
    return (e.sheet, e.cell, e.how, e.label, e.unit, e.score, e.merged, e.shown)


def _sheet(grid: Grid, values: list[tuple[int, int]], fields) -> _Sheet | None:
    """A blank template sheet's plan: every cell but its value and header cells is fixed (text,
    or nothing); None when a fixed cell holds anything but text."""
    header = [(r - 1, c + 1) for _, _, r, c, _ in fields]
    open_cells = set(values) | set(header)
    width = len(grid.rows[0])
    fixed = []
    for r, row in enumerate(grid.rows):
        if any(v.__class__ is not str for v in row):
            return None
        cols = [c for c in range(width) if (r, c) not in open_cells]
        if len(cols) == width:
            fixed.append((None, row))
        else:
            getter = itemgetter(*cols)  # one column: the cell itself, compared as it is
            fixed.append((getter, getter(row)))
    return _Sheet(grid.name, len(grid.rows), width, sorted(grid.merges), fixed, values, header)
