"""How far each sheet of a workbook reaches, read from the file before python-calamine opens it.

calamine makes a sheet one dense grid, every row by every column up to its farthest value: one
value at column ZZZZZ asks for gigabytes, and a failed allocation aborts the process (Python
cannot catch that). So the places of the cells that hold a value are read first, the way
calamine places them: an xlsx cell's `r`, or the place after the cell before it when a writer
leaves `r` out; an ods cell's place counted over repeated rows and columns; an xls's cell
records. An xlsx's `<dimension>` is not trusted either way (calamine does not allocate by it: a
claimed A1:XFD1048576 over one cell costs nothing); an xls's DIMENSIONS record calamine does
allocate by, so it is bounded too.
"""

import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from html import unescape

from wenuan.reading.model import Unreadable, a1

PIECE = 4 << 20  # bytes of XML looked at at once: a list's 100 MiB sheet is never whole in memory
WHOLE = 1 << 20  # a file this small is read whole, once
Far = tuple[str, int, int] | None  # (sheet, row, column) of a value past the bounds, 0-based


def check_extent(package, bounds) -> None:
    """Refuse a workbook (a package.Package) with a sheet that has a value past `bounds` (a
    workbook.Bounds): more rows or columns than a return (or a list) can have. A damaged file
    is left to the reader. Each xlsx sheet's XML inflated whole stays in `package.parts`."""
    from wenuan.reading.formulas import ODD_ZIP

    suffix = package.suffix
    try:
        if suffix in (".xlsx", ".xlsm"):
            far = _xlsx(package, bounds)
        elif suffix == ".ods":
            far = _ods(package, bounds)
        elif suffix == ".xls":
            far = _xls(package, bounds)
        else:
            return
    except (*ODD_ZIP, struct.error, IndexError, UnicodeDecodeError):
        return  # calamine says what is wrong with it
    if far is not None:
        sheet, row, col = far
        cell = a1(row, col) if max(row, col) < 1 << 40 else f"R{row + 1}C{col + 1}"
        raise Unreadable(
            "too_far", sheet=sheet, cell=cell, rows=bounds.rows, columns=bounds.columns
        )


def _past(bounds, row: int, col: int) -> bool:
    return row >= bounds.rows or col >= bounds.columns


# --- xlsx, xlsm -------------------------------------------------------------------------------

_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_RELATION = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# a cell or row tag whole (a quoted value may hold a ">"), and whether it closes at once: only a
# sheet written oddly is walked tag by tag, so it is kept as text, compiled when first needed
_TAG = rb"""<(?:[\w.-]+:)?(row|c)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
_R = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"\s*([A-Za-z]*)(\d*)\s*")


@cache
def _unplain(rows: int, columns: int) -> tuple[re.Pattern, re.Pattern]:
    """Two searches that between them find every cell whose place is not, at a glance, inside
    `rows` x `columns`: a `<c` not followed at once by ` r="…"` holding such a place, and any
    other `r=` (a second one on a cell, a row's, one in text) not holding one. A place at a
    glance: a column of one letter, or two when the bound allows every second letter up to it
    (AZ, BZ, …), and a row of fewer digits than the bound has."""
    firsts = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: max(0, (columns - 26) // 26)]
    letters = (f"[{firsts[0]}-{firsts[-1]}]?+" if firsts else "") + "[A-Z]?+"
    plain = f"{letters}\\d{{1,{len(str(rows)) - 1}}}+".encode()
    cells = re.compile(rb'<c(?! r="' + plain + rb'")')
    others = re.compile(rb"""r(?<!<c r)\s*+=\s*+["'](?!""" + plain + rb"""["'])""")
    return cells, others


def _xlsx(package, bounds) -> Far:
    """A sheet's far value, looking at the parts the workbook names as sheets."""
    members = {i.filename.lower(): i for i in package.directory()}
    book, rels = members.get("xl/workbook.xml"), members.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return None  # calamine cannot open it either
    for name, parts in _sheets(package.read(book.filename), package.read(rels.filename)):
        for part in parts:
            if (info := members.get(part)) and (far := _xlsx_sheet(package, info, bounds)):
                return name, *far
    return None


@lru_cache(maxsize=64)
def _sheets(book: bytes, rels: bytes) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each sheet's name and the members its XML may be in (a batch's returns made from one
    template have the same workbook.xml and relations: worked out once)."""
    targets = {}
    for tag in _RELATION.findall(rels):
        attrs = _attrs(tag)
        targets[attrs.get(b"Id")] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    out = []
    for tag in _SHEET.findall(book):
        attrs = _attrs(tag)
        name = unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        # the sheet's relation id is in r:id, under whatever prefix: try every value
        parts = {p for v in attrs.values() for p in _parts(targets.get(v))}
        out.append((name, tuple(sorted(parts))))
    return tuple(out)


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return {k: a if a or not b else b for k, a, b in _ATTR.findall(tag)}


def _parts(target: str | None) -> set[str]:
    """The members a relation's target may name (calamine reads `/x` as x, `x` as xl/x)."""
    if not target:
        return set()
    target = unescape(target).lstrip("/").lower()
    return {target, "xl/" + target}


def _xlsx_sheet(package, info: zipfile.ZipInfo, bounds):
    """The place of a value past the bounds in one sheet's XML. Most sheets name every cell's
    place in its first attribute, all within bounds at a glance: two searches say so; any other
    sheet is walked cell by cell."""
    if info.file_size > PIECE:  # a list's long sheet, looked at piece by piece
        with package.raw() as raw:
            if not any(_odd(p, 0, len(p), bounds) for p in _pieces(raw, info)):
                return None
            return _walk(_pieces(raw, info), bounds)
    xml = package.read(info.filename)
    lo = xml.find(b"sheetData")  # only the sheet data is looked at
    if lo < 0 or not _odd(xml, lo, xml.rfind(b"sheetData"), bounds):
        return None
    return _walk((xml,), bounds)


def _odd(xml: bytes, lo: int, hi: int, bounds) -> bool:
    cells, others = _unplain(bounds.rows, bounds.columns)
    return bool(
        cells.search(xml, lo, hi)
        or (xml.find(b":", lo, hi) >= 0 and xml.find(b":c", lo, hi) >= 0)  # <x:c
        or others.search(xml, lo, hi)
    )


def _walk(pieces: Iterable[bytes], bounds) -> tuple[int, int] | None:
    """Each cell's place as calamine reads it: its `r` (the last, when there are two), else the
    column after the cell before it, in the row of its `<row r>` or the row after the last; a
    cell written `<c …/>` holds no value and does not count."""
    row, col = -1, -1
    for xml in pieces:
        for kind, attrs, empty in re.findall(_TAG, xml):
            places = [m.group(1) or m.group(2) or b"" for m in _R.finditer(attrs)]
            ref = _REF.fullmatch(places[-1]) if places else None  # no place: calamine's error
            letters, digits = ref.groups() if ref else (b"", b"")
            if kind == b"row":
                row, col = int(digits) - 1 if digits else row + 1, -1
                continue
            col = _column(letters) if letters else col + 1
            at = int(digits) - 1 if digits else max(row, 0)
            if not empty and _past(bounds, at, col):
                return at, col
    return None


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def _part(raw, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, whole."""
    return _whole(raw, info) if info.file_size <= PIECE else b"".join(_pieces(raw, info))


def _whole(raw, info: zipfile.ZipInfo) -> bytes:
    """A part of at most PIECE bytes inflated at once; no more than the part says it holds."""
    _at_data(raw, info)
    body = raw.read(info.compress_size)
    small = len(body) <= SMALL and info.file_size <= SMALL_WHOLE
    return (_small if small else _inflated)(body, info.compress_type, info.file_size)


SMALL, SMALL_WHOLE = 2 << 10, 16 << 10  # workbook.xml, its relations: kept as these bytes hold


def _inflated(body: bytes, method: int, size: int) -> bytes:
    """A part's bytes as stored (`method`), inflated; more than `size` bytes is refused."""
    if method == zipfile.ZIP_DEFLATED:
        body = zlib.decompressobj(-15).decompress(body, size + 1)
    if len(body) > size:
        raise Unreadable("too_large")
    return body


# a batch made from one template stores the same small parts, byte for byte: inflated once
_small = lru_cache(maxsize=64)(_inflated)


def _at_data(raw, info: zipfile.ZipInfo) -> None:
    """Seek to a part's data, past its local header (whose names a zip may make long)."""
    raw.seek(info.header_offset)
    local = raw.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise NotImplementedError  # calamine's zip reads deflate and stored parts only


def _pieces(raw, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A part's bytes, inflated straight from the file in pieces of about PIECE bytes, each cut
    after a ">" so that a tag is whole in one; no more than the part says it holds (a zip can
    lie about that: check_container trusted it)."""
    _at_data(raw, info)
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    left, seen, tail = info.compress_size, 0, b""
    while True:
        if inflate is not None and inflate.unconsumed_tail:
            piece = inflate.decompress(inflate.unconsumed_tail, PIECE)
        elif left > 0:
            chunk = raw.read(min(left, PIECE))
            if not chunk:
                break
            left -= len(chunk)
            piece = inflate.decompress(chunk, PIECE) if inflate is not None else chunk
        else:
            break
        seen += len(piece)
        if seen > info.file_size:
            raise Unreadable("too_large")
        buffer = tail + piece
        cut = buffer.rfind(b">") + 1
        if cut == len(buffer):
            tail = b""
            yield buffer
        elif cut:
            tail = buffer[cut:]
            yield buffer[:cut]
        else:
            tail = buffer
    if tail:
        yield tail


# --- ods --------------------------------------------------------------------------------------

_ODS_TAG = (  # compiled when an .ods file is first read, as _TAG
    rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"""((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(/?)>"""
)
_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROWS = re.compile(rb"""number-rows-repeated\s*=\s*["'](\d+)""")
_COLS = re.compile(rb"""number-columns-repeated\s*=\s*["'](\d+)""")


def _ods(package, bounds) -> Far:
    """content.xml's tables: a cell's place counts the repeated rows and columns before it; a
    cell with a value (or anything inside it) repeated past the bounds is far. LibreOffice's
    own empty cells repeated to column 16384 and rows to 1048576 are not."""
    with package.raw() as raw:
        content = next((i for i in package.directory() if i.filename == "content.xml"), None)
        if content is None:
            return None
        sheet, row, rows, col = "", -1, 1, 0
        whole = content.file_size <= PIECE  # inflated once, for the readers after too
        for xml in (package.read(content.filename),) if whole else _pieces(raw, content):
            for closing, kind, attrs, empty in re.findall(_ODS_TAG, xml):
                if closing:
                    continue
                if kind == b"table":
                    name = _NAME.search(attrs)
                    text = (name.group(1) or name.group(2)) if name else b""
                    sheet, row, rows = unescape(text.decode("utf-8", "replace")), -1, 1
                elif kind == b"table-row":
                    row += rows
                    rows, col = int(r.group(1)) if (r := _ROWS.search(attrs)) else 1, 0
                else:
                    cols = int(c.group(1)) if (c := _COLS.search(attrs)) else 1
                    if (b"value-type" in attrs or not empty) and _past(
                        bounds, row + rows - 1, col + cols - 1
                    ):
                        return sheet, row + rows - 1, col + cols - 1
                    col += cols
    return None


# --- xls --------------------------------------------------------------------------------------

# BIFF8 (and BIFF5) records that put a value in a cell: row and column first. MULRK: a row's
# run of numbers, its last column in its last two bytes. BLANK and MULBLANK hold no value.
_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}
_MULRK, _DIMENSIONS, _BOUNDSHEET, _BOF = 0x00BD, 0x0200, 0x0085, 0x0809


def _xls(package, bounds) -> Far:
    """Each sheet's DIMENSIONS record (calamine reserves its rows x columns) and each value's
    record; BOUNDSHEET names where a sheet starts."""
    from wenuan.reading.hidden import biff_stream

    data = biff_stream(package)
    if data is None:
        return None
    starts: dict[int, str] = {}
    sheet = ""
    i = 0
    while i + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, i)
        body = data[i + 4 : i + 4 + size]
        at = None
        if kind == _BOUNDSHEET:
            where, _, _, chars, wide = struct.unpack_from("<IBBBB", body)
            text = body[8 : 8 + chars * (2 if wide & 1 else 1)]
            starts[where] = text.decode("utf-16-le" if wide & 1 else "latin-1")
        elif kind == _BOF:
            sheet = starts.get(i, sheet)
        elif kind == _DIMENSIONS:  # the last row and column + 1
            shape = "<4xI2xH" if size >= 14 else "<2xH2xH"  # BIFF8, BIFF5
            last_row, last_col = struct.unpack_from(shape, body)
            at = (last_row - 1, last_col - 1)
        elif kind in _CELLS and size >= 4:
            at = struct.unpack_from("<HH", body)
        elif kind == _MULRK and size >= 6:
            at = (struct.unpack_from("<H", body)[0], struct.unpack_from("<H", body, size - 2)[0])
        if at is not None and _past(bounds, *at):
            return sheet, *at
        i += 4 + size
    return None
