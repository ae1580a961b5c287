"""Returns filled in Word: a .docx body (paragraphs and tables, in order) as one grid; .doc and
.wps converted to .docx through LibreOffice first, when it is installed."""

import shutil
import tempfile
from pathlib import Path

from wenuan.reading.model import Grid, Unreadable

WORD = {".docx", ".doc", ".wps"}
CONVERT_SECONDS = 120


def grids(path: Path, bounds=None) -> list[Grid]:
    """The document as one grid: a paragraph is a row of one cell, a table row a row of cells, a
    table nested in a cell read where it stands (tables are numbered in document order).
    `bounds` (a workbook.Bounds) limits its size: a return's by default."""
    if path.suffix.lower() != ".docx":
        from wenuan.reading.workbook import MAX_FILE

        if path.stat().st_size > MAX_FILE:  # before any copy or conversion
            raise Unreadable("too_large")
        with tempfile.TemporaryDirectory(prefix="wenuan-word-") as tmp:
            return grids(_to_docx(path, Path(tmp)), bounds)
    from wenuan.reading.workbook import RETURN, check_container

    check_container(path, bounds or RETURN)
    try:
        import docx

        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception:
        raise Unreadable("corrupt") from None
    rows: list[list] = []
    covered: set[tuple[int, int]] = set()
    places: dict[tuple[int, int], str] = {}
    tables = 0

    def read(blocks) -> None:
        nonlocal tables
        for block in blocks:
            if not hasattr(block, "rows"):
                rows.append([block.text])
                continue
            tables += 1
            if any(cell.tables for row in block.rows for cell in row.cells):
                # a frame: a table holding tables (an office's bordered box round the return)
                # is read as what its cells hold, in order, each cell once
                done: set = set()
                for row in block.rows:
                    for cell in row.cells:
                        if cell._tc not in done:
                            done.add(cell._tc)
                            read(cell.iter_inner_content())
                continue
            above: list = []
            for i, row in enumerate(block.rows):
                cells = row.cells
                tcs = [c._tc for c in cells]
                r = len(rows)
                for j, tc in enumerate(tcs):
                    places[(r, j)] = f"表格{tables}第{i + 1}行第{j + 1}列"
                    if (j and tc is tcs[j - 1]) or (j < len(above) and tc is above[j]):
                        covered.add((r, j))  # a merged cell is read once, where it starts
                rows.append([c.text if (r, j) not in covered else "" for j, c in enumerate(cells)])
                above = tcs

    read(blocks)
    return [Grid("", rows, covered, places=places)]


def _to_docx(path: Path, folder: Path) -> Path:
    """A .doc or .wps converted by LibreOffice headless, in a box (see `office`)."""
    from wenuan import office

    program = office.program()
    if program is None:
        raise Unreadable("needs_office")
    source = folder / f"in{path.suffix.lower()}"  # a plain name: LibreOffice mangles some
    shutil.copyfile(path, source)
    try:
        return office.convert(program, source, "docx", folder, CONVERT_SECONDS)
    except office.Failed:
        raise Unreadable("corrupt") from None
