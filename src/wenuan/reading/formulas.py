"""Formula cells that carry no cached value, in an xlsx/xlsm file.

python-calamine reads a formula's cached result; a file written by a program that never
calculated it (a script, some converters) has none, and the cell reads empty. Such a cell must
be a finding, never a silent 0, so when a required cell reads empty this looks at the sheet's
XML for a formula there. Only asked for empty cells, so valid returns cost nothing.
"""

import io
import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path, PurePosixPath

from wenuan.reading.model import Unreadable
from wenuan.reading.package import Package

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MAX_XML = 50_000_000
XLSX = (".xlsx", ".xlsm")
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")  # a formula element, with or without a prefix


@lru_cache(maxsize=64)
def uncalculated(path: Path, sheet: str) -> frozenset[str]:
    """A1 references of the sheet's formula cells that have no cached value, the file read
    from disk (`in_package` when the reader's package is at hand)."""
    if path.suffix.lower() not in XLSX:
        return frozenset()  # xls and ods always store results
    try:
        return in_package(Package.open(path), sheet)
    except OSError:
        return frozenset()


def in_package(package: Package, sheet: str) -> frozenset[str]:
    """`uncalculated` over the file as the reader had it: its parts inflated once."""
    if package.suffix not in XLSX:
        return frozenset()
    from defusedxml.ElementTree import iterparse

    try:
        name = sheet_part(package, sheet)
        if package.members()[name].file_size > MAX_XML:
            return frozenset()
        data = package.read(name)
        if not FORMULA.search(data):
            return frozenset()  # most sheets: no formula at all, nothing to parse
        found = set()
        with io.BytesIO(data) as xml:
            for _, el in iterparse(xml):
                if el.tag == f"{_NS}c":
                    has_formula = el.find(f"{_NS}f") is not None
                    v = el.find(f"{_NS}v")
                    if has_formula and (v is None or not (v.text or "").strip()):
                        found.add(el.get("r"))
                    el.clear()
        return frozenset(found)
    except (*ODD_ZIP, Unreadable):  # a damaged or odd zip: no formulas found, the reader has spoken
        return frozenset()


ODD_ZIP = (
    zlib.error,  # a damaged part
    EOFError,
    KeyError,
    StopIteration,
    zipfile.BadZipFile,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    SyntaxError,  # xml.etree's ParseError: a sheet's XML damaged
)


def sheet_part(z, sheet: str) -> str:
    """The zip member holding a sheet's XML, by the sheet's name (`z`: a zipfile.ZipFile or a
    package.Package)."""
    book, rels = z.read("xl/workbook.xml"), z.read("xl/_rels/workbook.xml.rels")
    find = _part if len(book) + len(rels) <= 1 << 16 else _part.__wrapped__  # kept when small
    return find(book, rels, sheet)


@lru_cache(maxsize=64)  # the returns filled in from one template share these two parts
def _part(book_xml: bytes, rels_xml: bytes, sheet: str) -> str:
    from defusedxml.ElementTree import fromstring

    book = fromstring(book_xml)
    rels = fromstring(rels_xml)
    rid = next(s.get(_REL) for s in book.iter(f"{_NS}sheet") if s.get("name") == sheet)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
