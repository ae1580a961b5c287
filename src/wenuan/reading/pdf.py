"""Returns sent as a PDF saved from Excel, WPS or Word: its text layer read as a Word document
is, the tables' rows as rows of cells and the lines around them (title, 填报单位, 填报日期) as
rows of one cell, page after page in one grid. A scan or a photo has no text: it is refused."""

import re
from pathlib import Path

from wenuan.reading.model import Grid, Unreadable

PDF = {".pdf"}
MAX_PAGES = 50  # a return is a page or two; a long PDF is a report with the return inside
MAX_CHARS = 20_000  # characters a page: a dense A4 page holds about 3,000
# a table ruled with lines, as Excel and Word print them; else columns lined up by their text
RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
ALIGNED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
GUTTER = 4  # points of white between two columns printed without rules
_WRAPPED = re.compile(r"(?<=[^\x00-\x7f])\n|\n(?=[^\x00-\x7f])")  # wrapped beside a CJK character


def grids(path: Path, bounds=None) -> list[Grid]:
    """The PDF as one grid; a cell is named by page, table, row and column: 第1页表格1第3行第4列,
    a line outside the tables by page and line: 第1页第2行. `bounds` (a workbook.Bounds) limits
    its rows: a return's by default."""
    from wenuan.reading.workbook import MAX_FILE, RETURN

    if path.stat().st_size > MAX_FILE:
        raise Unreadable("too_large")
    try:
        return [_read(path, (bounds or RETURN).rows)]
    except Unreadable:
        raise
    except BaseException as e:  # pdfminer raises many types for a damaged file
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        if type(e).__name__ == "PdfminerException" and "Password" in repr(e.args):
            raise Unreadable("encrypted") from None
        raise Unreadable("corrupt") from None


def _read(path: Path, most: int) -> Grid:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise Unreadable("pdf_too_many_pages", limit=MAX_PAGES)
        chars = [len(page.chars) for page in pages]
        if not any(chars):
            raise Unreadable("pdf_no_text")
        if max(chars) > MAX_CHARS:
            raise Unreadable("too_large")
        found = [_tables(page, RULED) for page in pages]
        if not any(found):  # no ruled table anywhere: columns lined up with spaces
            found = [_aligned(page) for page in pages]
        if not any(found):
            raise Unreadable("pdf_no_table")
        rows: list[list] = []
        covered: set[tuple[int, int]] = set()
        places: dict[tuple[int, int], str] = {}
        for n, (page, tables) in enumerate(zip(pages, found, strict=True), 1):
            _page(page, n, tables, rows, covered, places)
            if len(rows) > most:
                raise Unreadable("too_many_rows", limit=most)
    return Grid("", rows, covered, places=places)


def _tables(page, settings: dict) -> list:
    """A page's tables of two columns or more: a box round one column (the figures a template
    frames for input) is no table."""
    return [t for t in page.find_tables(settings) if max(len(row.cells) for row in t.rows) > 1]


def _aligned(page) -> list:
    """The tables of a page printed without rules: where pdfplumber sees rows and columns of
    text, the columns cut at the gutters no word crosses (a label indented under 其中 is not a
    column of its own)."""
    out = []
    for table in _tables(page, ALIGNED):
        left, top, right, bottom = table.bbox
        edges, reach = [left], left
        for word in sorted(page.within_bbox(table.bbox).extract_words(), key=lambda w: w["x0"]):
            if word["x0"] > reach + GUTTER:
                edges.append((reach + word["x0"]) / 2)
            reach = max(reach, word["x1"])
        cut = {**ALIGNED, "vertical_strategy": "explicit", "explicit_vertical_lines": edges}
        edges.append(reach)
        out += _tables(page.within_bbox(table.bbox, strict=False), cut)
    return out


def _page(page, n: int, tables, rows: list, covered: set, places: dict) -> None:
    """Add a page's lines and table rows to `rows`, top to bottom."""
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: o.get("object_type") != "char" or not _within(o, boxes))
    blocks = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
    blocks += [(t.bbox[1], t) for t in tables]
    lines = tables = 0
    for _, block in sorted(blocks, key=lambda b: b[0]):
        if isinstance(block, str):
            lines += 1
            places[(len(rows), 0)] = f"第{n}页第{lines}行"
            rows.append([block])
            continue
        tables += 1
        for i, cells in enumerate(block.extract()):
            r = len(rows)
            for j, text in enumerate(cells):
                places[(r, j)] = f"第{n}页表格{tables}第{i + 1}行第{j + 1}列"
                if text is None:
                    covered.add((r, j))  # under a merged cell: read once, where it starts
            rows.append([_joined(text) for text in cells])


def _within(char: dict, boxes: list) -> bool:
    """Whether a character's centre is inside one of the tables."""
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _joined(text: str | None) -> str:
    """A cell's text with its wrapped lines joined: no space inside Chinese, one between words."""
    return _WRAPPED.sub("", text).replace("\n", " ") if text else ""
