"""Workbooks (xlsx, xlsm, xls, ods) opened safely and turned into grids of cell values."""

import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from wenuan.reading.extent import check_extent
from wenuan.reading.formats import WAN, shown_wan, wan
from wenuan.reading.formulas import in_package
from wenuan.reading.hidden import hidden_columns, hidden_rows
from wenuan.reading.model import Grid, Unreadable
from wenuan.reading.package import Package

META_SHEET = "wenuan"
WORKBOOKS = {".xlsx", ".xlsm", ".xls", ".ods"}

# These bounds refuse, before anything is inflated, what no return or list can be: zip bombs,
# million-row sheets, workbooks of a thousand sheets.
MAX_FILE = 64 << 20
MAX_RATIO = 100  # uncompressed / compressed, for parts over 1 MiB
MAX_SHEETS = 100


@dataclass(frozen=True)
class Bounds:
    """How large a workbook may be: rows and columns a sheet, one XML part and all parts
    uncompressed."""

    rows: int
    columns: int
    entry: int
    total: int


# A return has tens of rows and columns and is tens of kilobytes: 5,000 rows or 200 columns is
# no return.
RETURN = Bounds(rows=5000, columns=200, entry=16 << 20, total=64 << 20)
# A payment list has a row a person: a city's 100,000 people (and room for titles, headings,
# notes) on one sheet, about 60 MiB of sheet XML (Excel's shared strings make it smaller), in
# a dozen columns (calamine's grid of 120,000 x 100 cells is some 400 MiB).
LIST = Bounds(rows=120_000, columns=100, entry=128 << 20, total=160 << 20)


def check_container(package: Package, bounds: Bounds = RETURN) -> list | None:
    """Refuse a file that is too large, or a zip whose parts inflate too far, without inflating
    any; the zip's directory (None for an .xls), kept in `package.infos`."""
    import zipfile

    if package.size > MAX_FILE:
        raise Unreadable("too_large")
    if package.suffix == ".xls":
        return None  # an OLE file: its size is its size
    try:
        infos = package.directory()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise Unreadable("corrupt") from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > bounds.entry
            or total > bounds.total
            or (info.file_size > 1 << 20 and ratio > MAX_RATIO)
        ):
            raise Unreadable("too_large")
    if sum(i.filename.startswith("xl/worksheets/sheet") for i in infos) > MAX_SHEETS:
        raise Unreadable("too_many_sheets")
    return infos


def open_workbook(path: Path, bounds: Bounds = RETURN):
    """Open with python-calamine, turning its errors into Unreadable."""
    return _opened(path, bounds)[0]


def _opened(path: Path, bounds: Bounds):
    """The workbook open, and its file read once (a Package: the zip's directory check_container
    read, the parts the bounds' look inflated)."""
    import python_calamine as pc

    if path.suffix.lower() not in WORKBOOKS:
        raise Unreadable("suffix")
    package = Package.open(path)
    if _is_encrypted(package):
        raise Unreadable("encrypted")
    check_container(package, bounds)
    # calamine's grid of a sheet is rows x columns, all of it
    check_extent(package, bounds)
    try:
        if package.data is None:
            return pc.CalamineWorkbook.from_path(str(path)), package
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(package.data)), package
    except pc.PasswordError:
        raise Unreadable("encrypted") from None
    except BaseException as e:  # calamine raises several types, or panics, for a damaged file
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise Unreadable("corrupt") from None


def _is_encrypted(package: Package) -> bool:
    """An encrypted xlsx is an OLE file holding an EncryptionInfo stream, not a zip."""
    with package.raw() as f:
        if f.read(8) != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or package.suffix == ".xls":
            return False
        f.seek(0)
        return b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in f.read(
            1 << 20
        )


def grids(path: Path, bounds: Bounds = RETURN) -> tuple[list[Grid], dict[str, str]]:
    """The visible sheets as grids, and what the hidden `wenuan` sheet of a template records."""
    workbook, package = _opened(path, bounds)
    if bounds is not RETURN:
        package = None  # a list's columns all count, hidden or not; its sheets' XML let go
    out, meta = [], {}
    hidden_cols = hidden_columns(package) if package else {}
    as_wan = shown_wan(package) if package else {}  # 元 shown as 万元 by a format
    lines = _once(lambda: hidden_rows(package))  # read only if a table is found twice
    formulas = _once(partial(in_package, package)) if package else None  # for an empty cell
    try:
        hidden = {m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Hidden")}
        for name in workbook.sheet_names:
            if name == META_SHEET:
                rows = workbook.get_sheet_by_name(name).to_python()
                meta = {str(r[0]): str(r[1]) for r in rows if len(r) > 1}
            elif name not in hidden:  # a hidden sheet is a clerk's scratch, not the return
                out.append(
                    _grid(
                        workbook,
                        name,
                        bounds.rows,
                        hidden_cols.get(name, frozenset()),
                        (lambda name=name: lines().get(name, frozenset()))
                        if bounds is RETURN
                        else None,
                        as_wan.get(name),
                        formulas and partial(formulas, name),
                    )
                )
    except Unreadable:
        raise
    except BaseException as e:  # calamine raises, or panics (a BaseException), on damaged parts
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise Unreadable("bad_content") from None
    finally:
        workbook.close()
    return out, meta


def _once(read):
    """`read`, called at most once for each arguments, when first asked (functools.cache does
    the same, at some 20,000 instructions to make: two are made a file)."""
    done = {}
    return lambda *args: done[args] if args in done else done.setdefault(args, read(*args))


def _grid(
    workbook, name: str, most: int, hidden=frozenset(), hidden_lines=None, shown=None, formulas=None
) -> Grid:
    """A sheet's values with its offset in the file, the cells hidden under merges, the
    hidden columns and rows, and the figures a format shows ÷ 10,000 as shown."""
    sheet = workbook.get_sheet_by_name(name)
    if sheet.total_height > most:
        raise Unreadable("too_many_rows", limit=most)
    rows = sheet.to_python()
    r0, c0 = sheet.start or (0, 0)
    covered, merges = set(), []
    for (ra, ca), (rb, cb) in sheet.merged_cell_ranges or []:
        merges.append((ra - r0, ca - c0, rb - r0, cb - c0))
        for r in range(ra, rb + 1):
            for c in range(ca, cb + 1):
                if (r, c) != (ra, ca):
                    covered.add((r - r0, c - c0))
    return Grid(
        name,
        rows,
        covered,
        (r0, c0),
        merges=merges,
        hidden=frozenset(c - c0 for c in hidden),
        find_hidden_rows=hidden_lines and (lambda: frozenset(r - r0 for r in hidden_lines())),
        shown=_as_shown(rows, shown, r0, c0) if shown else {},
        find_uncalculated=formulas,
    )


def _as_shown(rows: list[list], cells: dict[tuple[int, int], str], r0: int, c0: int) -> dict:
    """Put in `rows` the figure each formatted number shows (123456 under 0!.0000: 12.3456);
    the stored value and the format of each, by cell."""
    from decimal import Decimal

    from wenuan.forms.model import quantize

    out = {}
    for (r, c), code in cells.items():
        r, c = r - r0, c - c0
        if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
            v = rows[r][c]
            if type(v) in (int, float) and v == v and abs(v) != float("inf"):
                shown = quantize(Decimal(repr(v)) / WAN, wan(code).decimals)
                rows[r][c] = float(shown)
                out[r, c] = (v, code)
    return out
