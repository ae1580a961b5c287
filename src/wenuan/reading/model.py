"""What reading produces: a Return (values by table and reference, each with its place) and the
Grid it was read from."""

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path


class Unreadable(Exception):
    """The file cannot be read as a return; the message key says why, in the user's words."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.params = params  # what the message names besides the file


@lru_cache(maxsize=1 << 14)
def a1(row: int, col: int) -> str:
    """0-based (row, col) as an A1 reference."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


@dataclass
class Grid:
    """A sheet (or a Word document's body) as rows of cell values."""

    name: str  # the sheet's name; "" for a Word document
    rows: list[list]
    covered: set[tuple[int, int]] = field(default_factory=set)  # cells under a merge
    origin: tuple[int, int] = (0, 0)  # where rows[0][0] is in the sheet
    places: dict[tuple[int, int], str] | None = None  # a Word table's own words for a cell
    hidden: frozenset[int] = frozenset()  # hidden columns: a clerk's helpers, never a value
    # cells whose number format shows 元 as 万元 (0!.0000): the row holds the figure shown,
    # this the stored value and the format
    shown: dict[tuple[int, int], tuple[object, str]] = field(default_factory=dict)
    # a sheet's merged cells (top, left, bottom, right): the cell each covered cell is under
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # a Word document's page headers and footers: read for the header fields the body lacks
    margins: list["Grid"] = field(default_factory=list)
    # hidden rows, looked up only when a table is found twice (a zero-argument function)
    find_hidden_rows: Callable[[], frozenset[int]] | None = field(default=None, compare=False)
    # formula cells without a cached value, looked up only when a required cell reads empty
    find_uncalculated: Callable[[], frozenset[str]] | None = field(default=None, compare=False)

    @cached_property
    def hidden_rows(self) -> frozenset[int]:
        """Rows hidden in the sheet: a table in them is read only when none is in sight."""
        return self.find_hidden_rows() if self.find_hidden_rows else frozenset()

    @cached_property
    def texts(self) -> list[tuple[int, int, str]]:
        """(row, column, text) of every cell holding text, in reading order."""
        return [
            (r, c, v)
            for r, row in enumerate(self.rows)
            for c, v in enumerate(row)
            if v and type(v) is str  # a cell's value is a str, a number, a date or None
        ]

    @cached_property
    def covered_rows(self) -> frozenset[int]:
        """The rows that hold a cell under a merge."""
        return frozenset(r for r, _ in self.covered)

    @cached_property
    def text_rows(self) -> list[int]:
        """The row of each of `texts`, in order: where a range of rows' texts starts and ends."""
        return [r for r, _, _ in self.texts]

    def texts_in(self, rows: range) -> list[tuple[int, int, str]]:
        """The `texts` of a range of rows."""
        return self.texts[
            bisect_left(self.text_rows, rows.start) : bisect_left(self.text_rows, rows.stop)
        ]

    def place(self, r: int, c: int) -> str:
        """Where a cell is, as the user finds it: A1 in a sheet, 表格1第2行第3列 in Word."""
        if self.places is not None:
            return self.places.get((r, c), f"第{r + 1}段")
        return a1(self.origin[0] + r, self.origin[1] + c)


@dataclass(slots=True)
class Entry:
    """One value as found: the raw cell content, where it is, and how its row was recognized."""

    raw: object
    sheet: str
    cell: str  # A1 in the sheet as sent (or 表格1第2行第3列 in a Word document)
    how: str = "code"  # code, label, near (a label matched by similarity), continued (next row)
    label: str | None = None  # the label as written, when matched by label
    unit: str | None = None  # a unit written beside the value that differs from the form's
    score: float | None = None  # similarity of a near label, 0-100
    shown: tuple[object, str] | None = None  # (stored value, format) when raw is the figure
    # a number format shows: 123456 stored, 0!.0000, raw 12.3456
    merged: str | None = None  # D16:D17: its cell is under a merged cell showing another figure

    @property
    def place(self) -> str:
        """'sheet!A1', or the cell alone in a Word document."""
        return f"{self.sheet}!{self.cell}" if self.sheet else self.cell


@dataclass
class Part:
    """A sub-unit's return on its own sheet of a workbook that holds several units' returns."""

    sheet: str
    unit: str | None
    tables: dict[str, dict[str, Entry]]


@dataclass
class Return:
    """What one file says: its form, header fields and entries by table and reference."""

    path: Path
    form_id: str | None = None
    form_version: str | None = None
    header: dict[str, Entry] = field(default_factory=dict)
    tables: dict[str, dict[str, Entry]] = field(default_factory=dict)
    missing_tables: list[str] = field(default_factory=list)
    twice: dict[str, list[str]] = field(default_factory=dict)  # table -> places of its copies
    total: bool = False  # a consolidated total (the workbook `wenuan consolidate` writes)
    # a workbook of several units' returns: the sheet read as the unit's own, why that one
    # ("total": named 汇总…, "sender": its 填报单位 is the file's sender, "first": no sign), and
    # the sub-units' returns on the other sheets
    sheet: str | None = None
    chosen: str | None = None
    parts: list[Part] = field(default_factory=list)
    # each sheet's Grid.find_uncalculated: the file's parts as the reader had them, not re-read
    uncalculated_in: dict[str, Callable[[], frozenset[str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def uncalculated(self, entry: Entry) -> bool:
        """Whether an empty cell holds a formula never calculated (saved by a program that does
        not compute, so the figure exists only once Excel opens it)."""
        from wenuan.reading.formulas import uncalculated

        if find := self.uncalculated_in.get(entry.sheet):
            return entry.cell in find()
        return entry.cell in uncalculated(self.path, entry.sheet)

    @property
    def file_day(self) -> date | None:
        """The day the file was last written: when it was saved from the mail, or uploaded."""
        try:
            return date.fromtimestamp(self.path.stat().st_mtime)
        except (OSError, ValueError, OverflowError):
            return None
