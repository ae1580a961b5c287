"""Returns filled in Word: a .docx body (paragraphs and tables, in order) as one grid; .doc and
.wps converted to .docx through LibreOffice first, when it is installed."""

import shutil
from pathlib import Path

from wenuan.reading.model import Grid, Unreadable

WORD = {".docx", ".doc", ".wps"}
CONVERT_SECONDS = 120
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def grids(path: Path, bounds=None) -> list[Grid]:
    """The document as one grid: a paragraph is a row of one cell, a table row a row of cells, a
    table nested in a cell read where it stands (tables are numbered in document order).
    `bounds` (a workbook.Bounds) limits its size: a return's by default."""
    if path.suffix.lower() != ".docx":
        import tempfile

        from wenuan.reading.workbook import MAX_FILE

        if path.stat().st_size > MAX_FILE:  # before any copy or conversion
            raise Unreadable("too_large")
        with tempfile.TemporaryDirectory(prefix="wenuan-word-") as tmp:
            return grids(_to_docx(path, Path(tmp)), bounds)
    from wenuan.reading.package import Package
    from wenuan.reading.workbook import RETURN, check_container

    check_container(Package(path), bounds or RETURN)
    try:
        import docx

        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        margins = list(_margins(document))
    except Exception:
        raise Unreadable("corrupt") from None
    body = _grid(blocks)
    body.margins = [_grid(part.iter_inner_content(), where) for part, where in margins]
    return [body]


def _grid(blocks, prefix: str = "") -> Grid:
    """Paragraphs and tables as one grid, text boxes read where they are anchored; `prefix`
    names the part in a place (页眉, 页脚; the body has none)."""
    rows: list[list] = []
    covered: set[tuple[int, int]] = set()
    places: dict[tuple[int, int], str] = {}
    tables = 0

    def read(blocks) -> None:
        nonlocal tables
        for block in blocks:
            if not hasattr(block, "rows"):
                if prefix:
                    places[(len(rows), 0)] = prefix
                rows.append([block.text])
                for box in _boxes(block):
                    read(box)
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
                    places[(r, j)] = f"{prefix}表格{tables}第{i + 1}行第{j + 1}列"
                    if (j and tc is tcs[j - 1]) or (j < len(above) and tc is above[j]):
                        covered.add((r, j))  # a merged cell is read once, where it starts
                rows.append([c.text if (r, j) not in covered else "" for j, c in enumerate(cells)])
                above = tcs

    read(blocks)
    return Grid("", rows, covered, places=places)


def _boxes(paragraph):
    """What each text box anchored in a paragraph holds, as paragraphs and tables: a VML
    v:textbox or a DrawingML wps:txbx, once (mc:AlternateContent holds both; its Fallback is
    skipped), a box inside a box read with the outer box."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    p, box_tag = paragraph._p, qn("w:txbxContent")
    for box in p.iter(box_tag):
        up = box.getparent()
        while up is not None and up is not p and up.tag not in (box_tag, FALLBACK):
            up = up.getparent()
        if up is p:  # not in a fallback, nor in another box
            yield [
                Paragraph(e, paragraph) if e.tag == qn("w:p") else Table(e, paragraph)
                for e in box
                if e.tag in (qn("w:p"), qn("w:tbl"))
            ]


def _margins(document):
    """Each page header and footer of the document once, with its name: 页眉, 页脚."""
    seen: set = set()
    for section in document.sections:
        parts = [(section.header, "页眉"), (section.footer, "页脚")]
        if section.different_first_page_header_footer:
            parts += [(section.first_page_header, "页眉"), (section.first_page_footer, "页脚")]
        for part, where in parts:
            if not part.is_linked_to_previous and id(part.part) not in seen:
                seen.add(id(part.part))
                yield part, where


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
