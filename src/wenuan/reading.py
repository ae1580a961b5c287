"""Any workbook (xlsx, xlsm, xls, ods) to a Return: each item's raw value and the cell it is in.

The reader is layout-tolerant: a row that holds an item's code (or its exact label) holds that
item's value(s), in the form's order, in the cells to its right — whatever the row order, the
extra rows and columns, the merged titles or the hidden rows. A workbook written by
`wenuan template` records its form in a hidden sheet.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wenuan.forms import UNITS, Form, Table

META_SHEET = "wenuan"
READABLE = {".xlsx", ".xlsm", ".xls", ".ods"}
HEADER_KEYS = {"unit": "填报单位", "person": "填报人", "phone": "联系电话", "date": "填报日期"}
_UNIT_WORDS = set(UNITS) | {f"({u})" for u in UNITS}
_UNIT_WITH_CODE = re.compile(rf"^(?:{'|'.join(map(re.escape, UNITS))})\([0-9A-Za-z\[\]]+\)$")


def _is_unit_word(text: str) -> bool:
    """人, (人), 万元(D9): a unit cell, not a value (text is normalized: full-width folded)."""
    return text in _UNIT_WORDS or bool(_UNIT_WITH_CODE.match(text))


MAX_ROWS = 5000  # a return has tens of rows; more than this is not a return


class Unreadable(Exception):
    """The file cannot be read as a workbook; the message says why, in the user's words."""


@dataclass
class Entry:
    """One value as found: the raw cell content and where it is."""

    raw: object
    sheet: str
    cell: str  # A1 reference in the file as sent


@dataclass
class Return:
    """What one file says: its form, header fields and entries by table and reference."""

    path: Path
    form_id: str | None = None
    form_version: str | None = None
    header: dict[str, Entry] = field(default_factory=dict)
    tables: dict[str, dict[str, Entry]] = field(default_factory=dict)
    sheets_of_tables: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1 << 14)
def a1(row: int, col: int) -> str:
    """0-based (row, col) as an A1 reference."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


@lru_cache(maxsize=1 << 16)
def norm(text) -> str:
    """Text as compared: full-width folded, spaces removed."""
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").replace("\u3000", "").strip()


# A return is tens of kilobytes. These bounds refuse, before anything is inflated, what no
# return can be: zip bombs, million-row sheets, workbooks of a thousand sheets.
MAX_FILE = 64 << 20
MAX_ENTRY = 16 << 20  # one XML part, uncompressed
MAX_TOTAL = 64 << 20  # all parts, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for parts over 1 MiB
MAX_SHEETS = 100


def check_container(path: Path) -> None:
    """Refuse a file that is too large, or a zip whose parts inflate too far, without reading it."""
    import zipfile

    if path.stat().st_size > MAX_FILE:
        raise Unreadable("too_large")
    if path.suffix.lower() == ".xls":
        return  # an OLE file: its size is its size
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise Unreadable("corrupt") from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_ENTRY
            or total > MAX_TOTAL
            or (info.file_size > 1 << 20 and ratio > MAX_RATIO)
        ):
            raise Unreadable("too_large")
    if sum(i.filename.startswith("xl/worksheets/sheet") for i in infos) > MAX_SHEETS:
        raise Unreadable("too_many_sheets")


def open_workbook(path: Path):
    """Open with python-calamine, turning its errors into Unreadable."""
    import python_calamine as pc

    if path.suffix.lower() not in READABLE:
        raise Unreadable("suffix")
    if _is_encrypted(path):
        raise Unreadable("encrypted")
    check_container(path)
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise Unreadable("encrypted") from None
    except BaseException as e:  # calamine raises several types, or panics, for a damaged file
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise Unreadable("corrupt") from None


def _is_encrypted(path: Path) -> bool:
    """An encrypted xlsx is an OLE file holding an EncryptionInfo stream, not a zip."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or path.suffix.lower() == ".xls":
        return False
    with open(path, "rb") as f:
        return b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in f.read(
            1 << 20
        )


def sheet_rows(workbook, name: str):
    """A sheet's rows with their absolute 0-based row and column offsets, merged cells noted."""
    sheet = workbook.get_sheet_by_name(name)
    if sheet.total_height > MAX_ROWS:
        raise Unreadable("too_many_rows")
    rows = sheet.to_python()
    start = sheet.start or (0, 0)
    covered = set()
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    return rows, start, covered


def read(path: Path, forms: dict[str, Form], form_id: str | None = None) -> tuple[Return, Form]:
    """Read a return; the form is `form_id`, else the one the file records, else the best match."""
    workbook = open_workbook(path)
    ret = Return(path=path)
    try:
        names = workbook.sheet_names
        sheets = {}
        for name in names:
            if name == META_SHEET:
                rows, _, _ = sheet_rows(workbook, name)
                meta = {str(r[0]): str(r[1]) for r in rows if len(r) > 1}
                ret.form_id, ret.form_version = meta.get("form"), meta.get("version")
            else:
                sheets[name] = sheet_rows(workbook, name)
    except Unreadable:
        raise
    except BaseException as e:  # calamine raises, or panics (a BaseException), on damaged parts
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        raise Unreadable("bad_content") from None
    finally:
        workbook.close()
    form = forms.get(form_id or "") or forms.get(ret.form_id or "")
    if form is None:
        form = recognize(
            {
                norm(v)
                for rows, _, _ in sheets.values()
                for row in rows
                for v in row
                if isinstance(v, str) and v.strip()
            },
            forms,
        )
    if form is None:
        raise Unreadable("unknown_form")
    _read_header(ret, sheets)
    _read_tables(ret, form, sheets)
    return ret, form


def recognize(texts: set[str], forms: dict[str, Form]) -> Form | None:
    """The form whose table titles and item labels the file's texts match best, if any."""
    best, best_score = None, 0
    for form in forms.values():
        score = sum(5 for tb in form.tables if norm(tb.title) in texts)
        score += sum(len(_plan(tb).labels & texts) for tb in form.tables)
        if score > best_score:
            best, best_score = form, score
    return best if best_score >= 3 else None


def _read_header(ret: Return, sheets) -> None:
    """填报单位 / 填报人 / 联系电话 / 填报日期: the text after the colon, or the next cell."""
    for name, (rows, (r0, c0), _) in sheets.items():
        for ri, row in enumerate(rows[:12]):
            for ci, value in enumerate(row):
                if not isinstance(value, str):
                    continue
                text = norm(value)
                for key, word in HEADER_KEYS.items():
                    if key in ret.header or not text.startswith(word):
                        continue
                    rest = re.sub(r"^[:：]", "", text[len(word) :])
                    if rest:
                        ret.header[key] = Entry(
                            value.split("：")[-1].split(":")[-1].strip(), name, a1(r0 + ri, c0 + ci)
                        )
                        continue
                    nxt = next(
                        ((cj, v) for cj, v in enumerate(row) if cj > ci and v not in ("", None)),
                        None,
                    )
                    if nxt and not any(norm(nxt[1]).startswith(w) for w in HEADER_KEYS.values()):
                        ret.header[key] = Entry(nxt[1], name, a1(r0 + ri, c0 + nxt[0]))


def _table_sheet(table: Table, sheets, used: set[str]) -> str | None:
    """The sheet holding a table: named for it (a template), else with its title or most labels."""
    named = table.title[:31].replace("/", "／")
    if named in sheets and named not in used:
        return named
    title = norm(table.title)
    plan = _plan(table)
    keys = plan.labels | set(plan.refs_of_item)
    best, best_score = None, 0
    for name, (rows, _, _) in sheets.items():
        if name in used:
            continue
        texts = {norm(v) for row in rows for v in row if isinstance(v, str)}
        score = (100 if title in texts else 0) + len(keys & texts)
        if score > best_score:
            best, best_score = name, score
    return best


def _read_tables(ret: Return, form: Form, sheets) -> None:
    used: set[str] = set()
    for table in form.tables:
        name = _table_sheet(table, sheets, used) if len(sheets) > 1 else next(iter(sheets), None)
        if name is None:
            continue
        used.add(name)
        ret.sheets_of_tables[table.id] = name
        ret.tables[table.id] = _read_table(table, name, *sheets[name])


@dataclass(frozen=True)
class _Plan:
    """What reading needs of a table, worked out once: how rows name items, and their refs."""

    by_key: dict[str, str]  # code, or a label that names one item only -> item code
    labels: set[str]
    refs_of_item: dict[str, list[str]]


_PLANS: dict[int, tuple[Table, _Plan]] = {}


def _plan(table: Table) -> _Plan:
    if id(table) not in _PLANS:  # the table is kept with its plan, so its id stays its own
        refs_of_item: dict[str, list[str]] = {}
        for ref, cell in table.cells.items():
            refs_of_item.setdefault(cell.item, []).append(ref)
        items = [item for item, _ in table.walk()]
        counts: dict[str, int] = {}
        for item in items:
            counts[norm(item.label)] = counts.get(norm(item.label), 0) + 1
        by_key: dict[str, str] = {}
        for item in items:
            if item.code in refs_of_item:
                by_key[item.code] = item.code
                if counts[norm(item.label)] == 1:  # 地市级 under 01A, 02A, 03A names none
                    by_key[norm(item.label)] = item.code
        _PLANS[id(table)] = (table, _Plan(by_key, set(counts), refs_of_item))
    return _PLANS[id(table)][1]


def _read_table(table: Table, name: str, rows, start, covered) -> dict[str, Entry]:
    r0, c0 = start
    plan = _plan(table)
    by_key, labels, refs_of_item = plan.by_key, plan.labels, plan.refs_of_item
    found: dict[str, Entry] = {}
    for ri, row in enumerate(rows):
        for ci, value in enumerate(row):
            if not isinstance(value, str):
                continue
            code = by_key.get(norm(value).upper()) or by_key.get(norm(value))
            if code is None or refs_of_item[code][0] in found:
                continue
            refs = refs_of_item[code]
            slots = []
            for cj in range(ci + 1, len(row)):
                if (r0 + ri, c0 + cj) in covered:
                    continue
                v = row[cj]
                t = norm(v) if isinstance(v, str) else None
                if t is not None and (_is_unit_word(t) or t in labels or t.upper() == code):
                    continue
                slots.append(cj)
                if len(slots) == len(refs):
                    break
            for ref, cj in zip(refs, slots, strict=False):
                found[ref] = Entry(row[cj], name, a1(r0 + ri, c0 + cj))
            break
    return found
