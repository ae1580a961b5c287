"""Number formats that show a figure in 万元 while the cell holds 元: the finance office's
`0!.0000` (123456 元 shows as 12.3456). python-calamine gives the stored value and no format, so
each format's own record of them is read: the styles first, the cells only when a style uses one.

What a format code means is Excel's rule (Microsoft, "Review guidelines for customizing a number
format", and ECMA-376 Part 1, 18.8.31 numFmts): `0 # ?` are digit places; an unquoted `.` is the
decimal point; `"…"` and `\\x` are shown as written, and so is `!x` in Excel and WPS (LibreOffice
7.4 does not take `!` so: it shows `0!.0000` as 123456!.0000 and saves it as `0\\!.0000`); a
comma between digit places groups thousands and a comma after the last one divides by 1,000
(`0.0,` shows thousands of 元, `0.00,,` millions: never 万元). With no decimal point and a point
written as text, every digit place is a whole-number digit: `0!.0000` shows 123456 as 12.3456,
`0!.0,` divides by 1,000 and shows 123 as 12.3 — both ten thousands, to 4 and 1 decimals.
"""

import re
import struct
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from wenuan.reading.formulas import ODD_ZIP
from wenuan.reading.package import Package, package

WAN = 10000


class Wan(NamedTuple):
    """A format showing a number ÷ 10,000: the decimals it shows, and whether it is the `!` trick
    as LibreOffice rewrote it (`0\\!.0000`: it now shows 123456!.0000, no longer 12.3456)."""

    decimals: int
    rewritten: bool = False


# sheet name -> {0-based (row, column) in the sheet: the format code that shows it ÷ 10,000}
Shown = dict[str, dict[tuple[int, int], str]]

_TOKEN = re.compile(r'"[^"]*"|\\.|!.|_.|\*.|\[[^\]]*\]|.', re.S)


@lru_cache(maxsize=256)
def wan(code: str) -> Wan | None:
    """How a format code shows a number, when it shows it ÷ 10,000 (`0!.0000`, `0"."0000`,
    `0!.0,`, with text around it such as "万元"); None for every other code."""
    section, quoted = [], False
    for ch in code:  # the first section (positive numbers, or all when it is alone)
        quoted ^= ch == '"'
        if ch == ";" and not quoted and not (section and section[-1] in "\\!"):
            break
        section.append(ch)
    shape = []  # 0, d (# or ?): digit places, p: a point written as text, .: the decimal point
    for tok in _TOKEN.findall("".join(section)):
        if tok == "0":
            shape.append("0")
        elif tok in ("#", "?"):
            shape.append("d")
        elif tok in (".", ","):
            shape.append(tok)
        elif tok in ('"."', "\\.", "!."):
            shape.append("p")
        elif tok in ("\\!", "!!", '"!"'):
            shape.append("!")
        elif tok[0] == "[":
            if re.fullmatch(r"\[[hms]+\]", tok, re.I):
                return None  # elapsed time
        elif tok in ("%", "@", "/") or re.fullmatch(r"[A-Za-z]", tok):
            return None  # percent, text, fraction, date or time, General, scientific
        elif shape and shape[-1] != "t":
            shape.append("t")  # other text: around the figure, not in it
    digits = "".join(shape).strip("t")
    rewritten = "!." in digits  # LibreOffice's `0\!.0000`: the trick's point made a real one
    # after the point only 0s: `#!.####` shows 123 as .123, not .0123
    m = re.fullmatch(r"[0d]+p(0+)(,*)", digits.replace("!.", "p"))
    if not m:
        return None
    places, scaling = len(m.group(1)), len(m.group(2))
    if 10**places * 1000**scaling != WAN:
        return None
    return Wan(places, rewritten)


# --- xlsx, xlsm -------------------------------------------------------------------------------

_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b[^>]*>")
_ID = re.compile(rb'\bnumFmtId="(\d+)"')
_CODE = re.compile(rb'\bformatCode="([^"]*)"')
_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)(/?)>")
_FONTS = re.compile(rb"<(?:\w+:)?(?:fonts|cellXfs)\b")
_R = re.compile(rb'\br="([A-Z]*)(\d+)"')
_S = re.compile(rb'\bs="(\d+)"')


def shown_wan(source: "Path | Package") -> Shown:
    """Each sheet's cells whose format shows their number ÷ 10,000 ({} when none, for most
    returns after reading only the styles; {} too for a damaged file: the reader says so).
    `source`: the file, or its Package."""
    suffix = source.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx(package(source))
        if suffix == ".xls":
            return _xls(package(source))
        if suffix == ".ods":
            return _ods(package(source))
    except (*ODD_ZIP, struct.error, IndexError, UnicodeDecodeError, ValueError):
        pass
    return {}


@lru_cache(maxsize=64)
def _codes(styles: bytes) -> dict[int, str]:
    """The number formats of styles.xml that show a number ÷ 10,000, by id (kept per styles: a
    batch made from one template has the same; not to be changed)."""
    from html import unescape

    codes = {}
    for tag in _NUMFMT.findall(styles):
        n, c = _ID.search(tag), _CODE.search(tag)
        if n and c and wan(code := unescape(c.group(1).decode("utf-8"))):
            codes[int(n.group(1))] = code
    return codes


def _xlsx(package: Package) -> Shown:
    from wenuan.reading.hidden import _quick_head, by_sheet

    names = package.members()
    if (styles := names.get("xl/styles.xml")) is None:
        return {}
    # the number formats come first, before the fonts: most returns stop there
    if "xl/styles.xml" not in package.parts:
        with package.raw() as raw:
            if (head := _quick_head(raw, styles, _FONTS)) and not _codes(head):
                return {}
    styles = package.read("xl/styles.xml")
    codes = _codes(styles)
    if not codes:
        return {}
    from defusedxml.ElementTree import fromstring

    root = fromstring(styles)
    xfs = next((e for e in root if e.tag.endswith("cellXfs")), [])
    styled = {
        str(k).encode(): codes[n]
        for k, xf in enumerate(xfs)
        if (n := int(xf.get("numFmtId", "0"))) in codes
    }
    found: dict[str, dict[tuple[int, int], str]] = {}
    for name in names:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            if cells := _xlsx_cells(package.read(name), styled):
                found[name] = cells
    return by_sheet(package, found)


def _xlsx_cells(xml: bytes, styled: dict[bytes, str]) -> dict[tuple[int, int], str]:
    """The cells of a sheet's XML whose style is one of `styled` (a cell's place is its `r`, or
    the one after the cell before it when a writer leaves `r` out)."""
    if b"0" not in styled and not any(b's="' + s + b'"' in xml for s in styled):
        return {}
    out, row, col = {}, -1, -1
    for m in _CELL.finditer(xml):
        attrs = m.group(2)
        r = _R.search(attrs)
        if m.group(1) == b"row":
            row, col = (int(r.group(2)) - 1 if r else row + 1), -1
            continue
        if r:
            col = _column(r.group(1)) if r.group(1) else col + 1
            row = int(r.group(2)) - 1
        else:
            col += 1
        s = _S.search(attrs)
        if (code := styled.get(s.group(1) if s else b"0")) is not None:
            out[row, col] = code
    return out


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


# --- xls --------------------------------------------------------------------------------------


def _xls(package: Package) -> Shown:
    """BIFF8: FORMAT records give the codes, XF records (in order) their format, and each
    number's record (NUMBER, RK, MULRK, FORMULA) its XF; BOUNDSHEET names where a sheet starts."""
    from wenuan.reading.hidden import biff_stream

    data = biff_stream(package)
    if data is None:
        return {}
    codes: dict[int, str] = {}
    xfs: list[int] = []
    starts: dict[int, str] = {}
    out: Shown = {}
    styled: dict[int, str] = {}
    sheet = None
    i = 0
    while i + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, i)
        body = data[i + 4 : i + 4 + size]
        if kind == 0x041E:  # FORMAT
            number, chars, wide = struct.unpack_from("<HHB", body)
            text = body[5 : 5 + chars * (2 if wide & 1 else 1)]
            code = text.decode("utf-16-le" if wide & 1 else "latin-1")
            if wan(code):
                codes[number] = code
        elif kind == 0x00E0:  # XF
            xfs.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == 0x0085:  # BOUNDSHEET
            at, _, _, chars, wide = struct.unpack_from("<IBBBB", body)
            text = body[8 : 8 + chars * (2 if wide & 1 else 1)]
            starts[at] = text.decode("utf-16-le" if wide & 1 else "latin-1")
        elif kind == 0x0809:  # BOF
            sheet = starts.get(i)
            if starts and not styled:  # the globals read: the styles that divide, if any
                styled = {k: codes[n] for k, n in enumerate(xfs) if n in codes}
                if not styled:
                    return {}  # most files: no cell looked at
        elif sheet is not None and kind in (0x0203, 0x027E, 0x0006):  # NUMBER, RK, FORMULA
            row, col, xf = struct.unpack_from("<HHH", body)
            if xf in styled:
                out.setdefault(sheet, {})[row, col] = styled[xf]
        elif sheet is not None and kind == 0x00BD:  # MULRK: several RKs of a row
            row, first = struct.unpack_from("<HH", body)
            for k in range((size - 6) // 6):
                xf = struct.unpack_from("<H", body, 4 + 6 * k)[0]
                if xf in styled:
                    out.setdefault(sheet, {})[row, first + k] = styled[xf]
        i += 4 + size
    return out


# --- ods --------------------------------------------------------------------------------------

# an .ods file's patterns, kept as text: re compiles each when an .ods file first needs it
_NUMBER_STYLE = (
    rb'(?s)<number:number-style\b[^>]*\bstyle:name="([^"]*)"[^>]*>(.*?)</number:number-style>'
)
_NUMBER = rb"(?s)<number:number\b([^>]*)>(.*?)</number:number>"
_EMBEDDED = rb'<number:embedded-text\b[^>]*number:position="(\d+)"[^>]*>([^<]*)<'
_PLACES = rb'number:decimal-places="(\d+)"'
_FACTOR = rb'number:display-factor="(\d+)"'
_LEAST = rb'number:min-(integer-digits|decimal-places)="(\d+)"'
_POSITIVE = rb'<style:map\b[^>]*condition="value\(\)&gt;=?0"[^>]*apply-style-name="([^"]*)"'
_CELL_STYLE = rb'<style:style\b[^>]*\bstyle:name="([^"]*)"[^>]*data-style-name="([^"]*)"'
_ODS_TAG = rb"<table:(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
_NAME = rb'\btable:name="([^"]*)"'
_STYLE = rb'\btable:style-name="([^"]*)"'
_ROWS = rb'\btable:number-rows-repeated="(\d+)"'
_COLS = rb'\btable:number-columns-repeated="(\d+)"'
_MOST_ROWS = 5000  # a return's rows (workbook.RETURN): repeated rows past it hold no figure


def _ods_code(body: bytes) -> str | None:
    """An ODF number style written as the Excel code it came from, when it is the trick: a point
    as embedded text (LibreOffice's `0"."0000`), or an embedded "!" before the decimals (its
    `0\\!.0000`); None for any other style."""
    m = re.search(_NUMBER, body)
    if not m or b'number:grouping="true"' in m.group(1):
        return None
    places = int(p.group(1)) if (p := re.search(_PLACES, m.group(1))) else 0
    least = {k: int(v) for k, v in re.findall(_LEAST, m.group(1))}  # digits shown even when 0
    factor = int(f.group(1)) if (f := re.search(_FACTOR, m.group(1))) else 1
    commas = {1: "", 1000: ",", 1000000: ",,"}.get(factor)
    texts = re.findall(_EMBEDDED, m.group(2))
    if commas is None or len(texts) != 1:
        return None
    (position, text) = texts[0]
    if text == b"." and places == 0 and 0 < int(position) <= least.get(b"integer-digits", 0):
        return '0"."' + "0" * int(position) + commas
    if text == b"!" and 0 < places == least.get(b"decimal-places") and int(position) == 0:
        return "0\\!." + "0" * places + commas
    return None


def _ods(package: Package) -> Shown:
    """content.xml's cells whose cell style has a data style showing ÷ 10,000 (the data styles
    are in styles.xml or content.xml); rows and columns counted as repeated."""
    content = package.read("content.xml")
    parts = [content]
    if "styles.xml" in package.members():
        parts.append(package.read("styles.xml"))
    if not any(b"number:embedded-text" in part for part in parts):
        return {}  # most files: no text inside a number, no cell looked at
    bodies = {n: b for part in parts for n, b in re.findall(_NUMBER_STYLE, part)}
    codes = {}
    for name, body in bodies.items():
        if positive := re.search(_POSITIVE, body):
            body = bodies.get(positive.group(1), body)
        if (code := _ods_code(body)) and wan(code):
            codes[name] = code
    styled = {
        cell: codes[data]
        for part in parts
        for cell, data in re.findall(_CELL_STYLE, part)
        if data in codes
    }
    if not styled:
        return {}
    from html import unescape

    out: Shown = {}
    sheet, row, col, rows = None, -1, 0, 1
    for m in re.finditer(_ODS_TAG, content):
        kind, attrs = m.group(1), m.group(2)
        if kind == b"table":
            name = re.search(_NAME, attrs)
            sheet, row, rows = unescape(name.group(1).decode("utf-8")) if name else None, -1, 1
        elif kind == b"table-row":
            row += rows
            rows = int(n.group(1)) if (n := re.search(_ROWS, attrs)) else 1
            col = 0
        else:
            cols = int(n.group(1)) if (n := re.search(_COLS, attrs)) else 1
            s = re.search(_STYLE, attrs)
            if sheet and s and s.group(1) in styled and b"office:value=" in attrs:
                for r in range(row, min(row + rows, _MOST_ROWS)):
                    for c in range(col, col + min(cols, 256)):
                        out.setdefault(sheet, {})[r, c] = styled[s.group(1)]
            col += cols
    return out
