"""Hidden columns and rows of a workbook's sheets: a clerk's helper figures, or last year's, kept
out of sight. They are never read as values (python-calamine does not say which columns are hidden,
so each format's own record of it is read: only the part before the cells)."""

import re
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path

from wenuan.reading.formulas import _NS, ODD_ZIP, sheet_part
from wenuan.reading.package import Package, package

Hidden = dict[str, frozenset[int]]  # sheet name -> 0-based hidden columns
HEAD_MOST = 1 << 20  # column records come before the cells, in the first few kilobytes
BIFF = "<BIFF>"  # in Package.parts: an xls's workbook stream (no zip member has such a name)
WIDEST = 256  # a record may hide every column to the sheet's edge: the table is in the first

_COL = re.compile(rb"<(?:\w+:)?col\b[^>]*>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def hidden_columns(source: "Path | Package") -> Hidden:
    """Each sheet's hidden columns, for xlsx/xlsm, xls and ods; {} when none or unreadable.
    `source`: the file, or its Package (the parts the caller inflated read again from it)."""
    reader = {".xlsx": _xlsx, ".xlsm": _xlsx, ".xls": _xls, ".ods": _ods}.get(source.suffix.lower())
    if reader is None:
        return {}
    try:
        return reader(package(source))
    except (*ODD_ZIP, struct.error, IndexError, UnicodeDecodeError):
        return {}  # a damaged file: the reader proper says so, or reads what it can


def hidden_rows(source: "Path | Package") -> Hidden:
    """Each sheet's hidden rows (0-based), for xlsx/xlsm and xls: last year's table kept above
    this year's, out of sight; {} when none or unreadable. `source` as for hidden_columns."""
    suffix = source.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_rows(package(source))
        if suffix == ".xls":
            return _xls(package(source), rows=True)
    except (*ODD_ZIP, struct.error, IndexError, UnicodeDecodeError, ValueError):
        pass  # a damaged file: the reader proper says so, or reads what it can
    return {}


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_ROW_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')


def _xlsx_rows(package: Package) -> Hidden:
    parts = {}
    for name in package.members():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        xml = package.read(name)
        if not _ROW_HIDDEN.search(xml):
            continue  # most sheets: nothing hidden, no row looked at
        found = {
            int(n.group(1)) - 1
            for tag in _ROW_TAG.findall(xml)
            if _ROW_HIDDEN.search(tag) and (n := _ROW_NUMBER.search(tag))
        }
        if found:
            parts[name] = frozenset(found)
    return by_sheet(package, parts)


def by_sheet(package: Package, parts: dict[str, frozenset[int]]) -> Hidden:
    """What was found in each sheet's part (by member), by the sheet's name."""
    if not parts:
        return {}
    from defusedxml.ElementTree import fromstring

    book = fromstring(package.read("xl/workbook.xml"))
    names = [s.get("name") for s in book.iter(f"{_NS}sheet")]
    return {n: parts[p] for n in names if (p := sheet_part(package, n)) in parts}


def _span(first: int, last: int) -> range:
    return range(first, min(last, first + WIDEST - 1) + 1)


def _xlsx(package: Package) -> Hidden:
    parts = {}
    with package.raw() as raw:
        for info in package.directory():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                if (xml := package.parts.get(info.filename)) is not None:  # inflated already
                    m = _DATA.search(xml, 0, HEAD_MOST)
                    head = xml[: m.start() if m else HEAD_MOST]
                else:
                    head = _quick_head(raw, info)
                if head is None:  # stored, or cells begin past the first kilobytes
                    with zipfile.ZipFile(raw) as z:
                        head = _head(z, info, _DATA)
                if found := _xlsx_sheet(head):
                    parts[info.filename] = found
    return by_sheet(package, parts)  # most returns: nothing hidden, {}


def _quick_head(raw, info: zipfile.ZipInfo, stop: re.Pattern = _DATA) -> bytes | None:
    """A deflated part's first kilobytes up to `stop` (a sheet's <sheetData), inflated straight
    from the file (a tenth of opening the member through zipfile); None when `stop` is not in
    them."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return None
    raw.seek(info.header_offset)
    local = raw.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack_from("<HH", local, 26)
    raw.seek(info.header_offset + 30 + name_len + extra_len)
    return _head_of(raw.read(min(2048, info.compress_size)), stop)


@lru_cache(maxsize=64)
def _head_of(deflated: bytes, stop: re.Pattern) -> bytes | None:
    """The first kilobytes inflated up to `stop` (kept by the stored bytes: a batch made from one
    template has the same styles)."""
    head = zlib.decompressobj(-15).decompress(deflated, 2048)
    m = stop.search(head)
    return head[: m.start()] if m else None


def _head(z: zipfile.ZipFile, info, stop: re.Pattern) -> bytes:
    """A part's bytes up to where `stop` matches (the cells begin)."""
    head = b""
    with z.open(info) as xml:
        while len(head) < HEAD_MOST and not stop.search(head):
            chunk = xml.read(2048)
            if not chunk:
                break
            head += chunk
    return head[: m.start()] if (m := stop.search(head)) else head


def _xlsx_sheet(head: bytes) -> frozenset[int]:
    found: set[int] = set()
    if b"hidden" not in head:
        return frozenset()  # most sheets: no column record to look at
    for col in _COL.findall(head):
        attrs = dict(_ATTR.findall(col))
        if attrs.get(b"hidden") in (b"1", b"true") and b"min" in attrs:
            first = int(attrs[b"min"]) - 1
            found.update(_span(first, int(attrs.get(b"max", attrs[b"min"])) - 1))
    return frozenset(found)


def biff_stream(source: "Path | Package") -> bytes | None:
    """An xls file's workbook stream (BIFF8 records), or None when it has none; read once."""
    import olefile

    source = package(source)
    if BIFF not in source.parts:
        with source.raw() as raw, olefile.OleFileIO(raw) as ole:
            name = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            source.parts[BIFF] = None if name is None else ole.openstream(name).read()
    return source.parts[BIFF]


def _xls(package: Package, rows: bool = False) -> Hidden:
    """BIFF8: BOUNDSHEET records name each sheet and where its records start; a sheet's
    COLINFO records say which columns are hidden (bit 0 of their options), its ROW records
    which rows (bit 5, fDyZero), when `rows`."""
    data = biff_stream(package)
    if data is None:
        return {}
    starts: dict[int, str] = {}
    out: dict[str, set[int]] = {}
    sheet = None
    i = 0
    while i + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, i)
        body = data[i + 4 : i + 4 + size]
        if kind == 0x0085:  # BOUNDSHEET: where a sheet's records start, and its name
            at, _, _, chars, wide = struct.unpack_from("<IBBBB", body)
            text = body[8 : 8 + chars * (2 if wide & 1 else 1)]
            starts[at] = text.decode("utf-16-le" if wide & 1 else "latin-1")
        elif kind == 0x0809:  # BOF: a sheet begins (or the workbook's globals)
            sheet = starts.get(i)
        elif kind == 0x007D and sheet is not None and not rows:  # COLINFO
            first, last, _, _, options = struct.unpack_from("<HHHHH", body)
            if options & 1:
                out.setdefault(sheet, set()).update(_span(first, last))
        elif kind == 0x0208 and sheet is not None and rows:  # ROW
            row, options = struct.unpack_from("<H", body)[0], struct.unpack_from("<H", body, 12)[0]
            if options & 0x20:
                out.setdefault(sheet, set()).add(row)
        i += 4 + size
    return {name: frozenset(cols) for name, cols in out.items()}


_TABLE = re.compile(rb'<table:table\b[^>]*\btable:name="([^"]*)"')
_COLUMN = re.compile(rb"<table:table-column\b[^>]*>")
_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ROW = re.compile(rb"<table:table-row\b")


def _ods(package: Package) -> Hidden:
    """content.xml: each table's column elements, before its rows; a collapsed one is hidden."""
    from html import unescape

    if package.members()["content.xml"].file_size > 64 << 20:
        return {}
    xml = package.read("content.xml")
    out: Hidden = {}
    tables = list(_TABLE.finditer(xml))
    for k, m in enumerate(tables):
        end = tables[k + 1].start() if k + 1 < len(tables) else len(xml)
        row = _ROW.search(xml, m.end(), end)
        col, found = 0, set()
        for c in _COLUMN.findall(xml, m.end(), row.start() if row else end):
            n = int(r.group(1)) if (r := _REPEAT.search(c)) else 1
            if b'table:visibility="collapse"' in c:
                found.update(_span(col, col + n - 1))
            col += n
        if found:
            out[unescape(m.group(1).decode("utf-8"))] = frozenset(found)
    return out
