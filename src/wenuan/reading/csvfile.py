"""Returns saved by Excel or WPS as CSV (逗号分隔): GBK or UTF-8 (with or without its BOM),
comma- or tab-separated, read as one sheet named after the file, every cell as text."""

import codecs
import io
from pathlib import Path

from wenuan.reading.model import Grid, Unreadable

CSV = {".csv"}
MAX_COLUMNS = 16_384  # Excel's last column, XFD


def grids(path: Path, bounds=None) -> list[Grid]:
    """The file as one grid named after it (Excel names the sheet so); cells are A1 as in Excel.
    `bounds` (a workbook.Bounds) limits its rows: a return's by default."""
    import csv

    from wenuan.reading.workbook import MAX_FILE, RETURN

    most = (bounds or RETURN).rows
    if path.stat().st_size > MAX_FILE:
        raise Unreadable("too_large")
    text = _decoded(path.read_bytes())
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=_separator(text)):
            if len(rows) == most:
                raise Unreadable("too_many_rows", limit=most)
            if len(row) > MAX_COLUMNS:
                raise Unreadable("too_large")
            rows.append(row)
    except csv.Error:  # a field longer than the csv module takes, a stray NUL
        raise Unreadable("corrupt") from None
    return [Grid(path.stem, rows)]


def _decoded(data: bytes) -> str:
    """Text as Excel writes it: UTF-8 with a BOM (CSV UTF-8), UTF-16 with one (Unicode text),
    else UTF-8, else the system's code page, GBK (read as GB18030, which holds it)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif b"\0" in data:
        raise Unreadable("corrupt")  # a binary file named .csv
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("corrupt")


def _separator(text: str) -> str:
    """A tab when the first lines hold more tabs than commas, else a comma."""
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","
