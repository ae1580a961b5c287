"""Workbooks wenuan writes: the blank template and the annotated copy of a return.

Outputs are written to a temporary file beside the target and renamed into place, so a crash
never leaves half a file, and an existing file is only replaced when the caller says so.
"""

import errno
import io
import os
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from wenuan.errors import WenuanError
from wenuan.forms.model import Form, Table
from wenuan.reading import META_SHEET
from wenuan.words.messages import t

FIRST_ITEM_ROW = 6
COLUMNS = ("序号", "代码", "项目", "单位", "数值", "单位", "数值", "备注")
VALUE_COLUMNS = ("E", "G")
UNIT_COLUMNS = ("D", "F")
FONT = "宋体"


XLSX = (".xlsx",)


def check_target(target: Path, force: bool, suffixes: tuple[str, ...] = XLSX) -> None:
    """Refuse an output before any work: a wrong suffix, an existing file without --force."""
    if target.is_dir():
        raise WenuanError("cannot_write", path=str(target), why=t("why_is_dir"))
    if target.suffix.lower() not in suffixes:
        raise WenuanError(
            "output_suffix",
            path=str(target),
            suffixes="、".join(suffixes),
            example=str(target) + suffixes[0] if not target.suffix else target.stem + suffixes[0],
        )
    if target.exists() and not force:
        raise WenuanError("exists", path=str(target))


@contextmanager
def output_errors(target: Path):
    """An OSError while writing `target` becomes a plain message (exit 2): it is the user's
    situation (a file open in Excel, a missing folder, a full disk), not a bug."""
    try:
        yield
    except OSError as e:
        raise WenuanError("cannot_write", path=str(target), why=_why(e, target)) from None


_WHY = {  # getattr: not every errno exists on Windows
    getattr(errno, name, None): key
    for names, key in (
        (("EACCES", "EPERM", "EBUSY", "ETXTBSY"), "why_locked"),
        (("ENOSPC", "EDQUOT", "EFBIG"), "why_full"),
        (("EROFS",), "why_read_only"),
        (("ENAMETOOLONG",), "why_too_long"),
        (("EISDIR",), "why_is_dir"),
    )
    for name in names
}


def _why(e: OSError, target: Path) -> str:
    if e.errno == errno.ENOENT:
        return t("why_no_folder", folder=str(target.parent))
    if e.errno == errno.EEXIST and target.is_file():  # a folder to make where a file is
        return t("why_not_folder", file=str(target))
    if e.errno == errno.ENOTDIR:
        blocking = next((p for p in reversed(target.parents) if p.is_file()), target.parent)
        return t("why_not_folder", file=str(blocking))
    key = _WHY.get(e.errno)
    return t(key) if key else (e.strerror or type(e).__name__)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomically(target: Path, data: bytes, force: bool) -> None:
    """Write `target` whole or not at all, with the permissions the umask gives (mkstemp's
    own are 0600); without `force`, a file that appears meanwhile is never replaced."""
    with output_errors(target):
        fd, tmp = tempfile.mkstemp(suffix=".tmp", dir=target.parent, prefix=".wenuan-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            if force:
                os.replace(tmp, target)
            else:
                _link_new(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)


def _link_new(tmp: str, target: Path) -> None:
    """Put `tmp` at `target` only if nothing is there: a hard link fails on an existing name
    (two runs at once cannot both win); where links are not supported, check and rename."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise WenuanError("exists", path=str(target)) from None
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES):
            raise
        if target.exists():
            raise WenuanError("exists", path=str(target)) from None
        os.replace(tmp, target)


def save_atomically(document, target: Path, force: bool, suffixes: tuple[str, ...] = XLSX) -> None:
    """Save a workbook (or Word document) to `target`, whole or not at all; never overwrite
    unless forced. It is made in memory first, so an interrupted run leaves no partial file."""
    buffer = io.BytesIO()
    document.save(buffer)  # first: a write-only workbook left unsaved leaves temporary files
    check_target(target, force, suffixes)
    write_bytes_atomically(target, buffer.getvalue(), force)


def write_text_atomically(target: Path, text: str, force: bool) -> None:
    """Write UTF-8 text (with a BOM, so Notepad and WPS pick the encoding) atomically."""
    if target.exists() and not force:
        raise WenuanError("exists", path=str(target))
    write_bytes_atomically(target, notepad_bytes(text), force)


def notepad_bytes(text: str) -> bytes:
    """Text as Notepad and WPS open it right: UTF-8 with a BOM, lines ending CRLF."""
    return ("\ufeff" + text).replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def text(value):
    """A value from a file as it may go into a cell: text stays text (never a formula, never
    a control character openpyxl refuses)."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # only for a text: the plan writes none

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def as_text(cell, value) -> None:
    """Put `value` in `cell` as written: `=…` from a return is shown, not calculated."""
    cell.value = text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in range(10))}
_FORBIDDEN = set('<>:"/\\|?*')
NAME_CHARS = 60  # CJK characters are 3 bytes in UTF-8: well under the 255 bytes of a name


def safe_name(words: str, fallback: str = "未命名") -> str:
    """Text from a file made fit to be part of one file name on Windows and Linux: no folder
    separators or `..`, no character Windows refuses, no control or invisible format
    characters, no reserved device name (CON, NUL, COM1…), at most NAME_CHARS characters."""
    import unicodedata

    name = "".join(
        "_"
        if ch in _FORBIDDEN
        or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
        else ch
        for ch in words
    )
    name = name.strip(" ._")[:NAME_CHARS].strip(" .")  # Windows drops trailing dots and spaces
    if not name:
        return fallback
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = "_" + name
    return name


def template(form: Form):
    """A blank fillable workbook: one sheet per table, laid out like the notice's table."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for table in form.tables:
        _table_sheet(wb, form, table)
    meta = wb.create_sheet(META_SHEET)
    for row in (
        ("form", form.id),
        ("version", str(form.version)),
        ("tables", ",".join(tb.id for tb in form.tables)),
    ):
        meta.append(row)
    meta.sheet_state = "hidden"
    return wb


def filled(form: Form, values: dict[str, object], header: dict[str, object] | None = None):
    """The template filled: `values` by "table:ref", `header` by unit/person/phone/date."""
    wb = template(form)
    for table in form.tables:
        ws = wb[_sheet_name(table)]
        for ref, at in cell_positions(table).items():
            v = values.get(f"{table.id}:{ref}")
            if isinstance(v, str):  # typed text stays text: `=…` is never a formula
                as_text(ws[at], v)
            elif v is not None:
                ws[at] = (
                    float(v)
                    if hasattr(v, "as_tuple") and table.cells[ref].decimals
                    else (int(v) if hasattr(v, "as_tuple") else v)
                )
        for key, at in zip(
            ("unit", "person", "phone", "date"), ("B3", "F3", "B4", "F4"), strict=True
        ):
            if header and header.get(key) is not None:
                as_text(ws[at], header[key])
    return wb


def _sheet_name(table: Table) -> str:
    return table.title[:31].replace("/", "／")


def cell_positions(table: Table) -> dict[str, str]:
    """Where `template` puts each fillable value: ref -> A1."""
    out, row = {}, FIRST_ITEM_ROW
    for item, _ in table.walk():
        refs = [r for r, c in table.cells.items() if c.item == item.code]
        for ref, col in zip(refs, VALUE_COLUMNS, strict=False):
            out[ref] = f"{col}{row}"
        row += 1
    return out


HEADER_FIELDS = (  # key, label, its row and column, where its value goes (read by label)
    ("unit", "填报单位：", 3, 0, "B3:D3"),
    ("person", "填报人：", 3, 4, "F3:H3"),
    ("phone", "联系电话：", 4, 0, "B4:D4"),
    ("date", "填报日期：", 4, 4, "F4:H4"),
)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
INPUT_FILL = "FFF9E5"
# Excel's own "Bad" and "Neutral" styles: a total that is wrong, a figure to check
ERROR_LOOK, WARNING_LOOK = ("FFC7CE", "9C0006"), ("FFEB9C", "9C5700")
LABEL_WIDTH = 56  # the widest the label column grows before its labels wrap
CJK_LINE = 14.5  # points a line of 11-point 宋体 takes


def text_width(value) -> int:
    """The width a value takes in a column, in Excel's units: a CJK character counts two."""
    import unicodedata

    if value is None:
        return 0
    shown = (
        value
        if isinstance(value, str)
        else (f"{value:.2f}" if isinstance(value, float) else str(value))
    )
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


def _figure(value, decimals: int):
    """A value as it goes into a cell: counts whole, 万元 as a number with two decimals."""
    if isinstance(value, Decimal):
        return float(value) if decimals else int(value)
    return value


def _merge(ws, ref: str) -> None:
    """Merge cells in an ordinary or a streamed (write-only) worksheet."""
    if hasattr(ws, "merge_cells"):
        ws.merge_cells(ref)
    else:
        ws.merged_cells.add(ref)


def _print_setup(
    ws, landscape: bool = False, title_rows=None, title_cols=None, fit_width: bool = True
) -> None:
    """A4, fitted to the page width (unless too wide to read so), page numbers in the footer,
    titles repeated on every page."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:  # too wide for one page: smaller, and the margins narrow
        ws.page_setup.scale = WIDE_SCALE
        ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title_rows:
        ws.print_title_rows = title_rows
    if title_cols:
        ws.print_title_cols = title_cols


def _table_sheet(
    wb, form: Form, table: Table, values=None, header=None, blank=True, index=None
) -> None:
    """One table laid out as the notice prints it, on A4: `blank`, for a unit to fill (only the
    yellow cells, the header and 备注 open; each value cell with a prompt naming its item and
    unit and a check; totals coloured while they disagree with their parts), or holding figures
    (a total). Works in ordinary and write-only workbooks: rows are appended, styles set first."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    ws = wb.create_sheet(_sheet_name(table), index)
    thin = Side(style="thin")
    box, underline = Border(left=thin, right=thin, top=thin, bottom=thin), Border(bottom=thin)
    body, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    positions = cell_positions(table)
    rows, depths, units = sheet_rows(form, table, values, header)
    last = len(depths) + FIRST_ITEM_ROW - 1  # the last row of the table proper

    # widths from the text: every heading, unit and header label whole, labels wrapped
    widths = [max(text_width(r[c]) for r in rows[4:last]) + 3 for c in range(8)]
    for _, label, _, c, _ in HEADER_FIELDS:
        widths[c] = max(widths[c], text_width(label) + 2)
    widths[2] = min(
        LABEL_WIDTH,
        max(text_width(r[2]) + 4 * d + 3 for r, d in zip(rows[5:last], depths, strict=True)),
    )
    widths[4] = widths[6] = max(widths[4], widths[6], 12)
    widths[7] = max(widths[7], 12, max(text_width(r[5]) for r in rows[2:4]) + 3 - sum(widths[5:7]))
    for col, width in zip("ABCDEFGH", widths, strict=True):
        ws.column_dimensions[col].width = width
    line_chars = widths[2] - 3
    ws.row_dimensions[1].height = 24
    for r in (2, len(rows)) if table.note else (2,):  # they span the table's width, wrapped
        ws.row_dimensions[r].height = CJK_LINE * _wrapped_lines(rows[r - 1][0], sum(widths) - 4)
    for r, depth in zip(range(6, last + 1), depths, strict=True):
        lines = -(-(text_width(rows[r - 1][2]) + 4 * depth) // line_chars)
        if lines > 1:  # Excel and LibreOffice do not grow rows for wrapped text on their own
            ws.row_dimensions[r].height = CJK_LINE * lines

    _print_setup(ws, title_rows="1:5")  # first: a write-only sheet writes it with its first row
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    for r, values_row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values_row):
            cell = WriteOnlyCell(ws, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text from a file stays text, never a formula
            at = f"{'ABCDEFGH'[c]}{r}"
            cell.font = body
            if r == 1:
                cell.font = Font(name=FONT, size=16, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center")
            elif r == 2:
                cell.alignment = centre
            elif r > last:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif r in (3, 4) and c in (1, 5):  # a header value, written in by the unit
                cell.border = underline
                cell.alignment = Alignment(horizontal="left", vertical="center")
                if blank:
                    cell.protection = unlocked
                if (r, c) == (4, 5):
                    cell.number_format = DATE_FORMAT
            elif r == 5:
                cell.font, cell.border, cell.alignment = bold, box, centre
            elif 5 < r <= last:
                cell.border = box
                cell.alignment = (
                    Alignment(
                        horizontal="left",
                        indent=depths[r - 6] * 2 if c == 2 else 0,
                        wrap_text=True,
                        vertical="center",
                    )
                    if c in (2, 7)
                    else centre
                )
                if at in units:
                    cell.number_format = "0.00" if units[at].decimals else "0"
                    if blank:
                        cell.protection, cell.fill = unlocked, input_fill
                elif c == 7 and blank:
                    cell.protection = unlocked  # 备注: a clerk may explain a figure
            cells.append(cell)
        if 2 < r < 5:  # the underline runs under the whole merged value
            for c in (2, 3, 6, 7):
                cell = WriteOnlyCell(ws)
                cell.border = underline
                cells[c] = cell
        ws.append(cells)
    for ref in merged_ranges(table, len(rows)):
        _merge(ws, ref)
    if blank:
        for at, cell in units.items():
            ws.add_data_validation(_value_rule(at, cell))
        ws.add_data_validation(_date_rule("F4"))
        _live_checks(ws, table, positions)
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    ws.print_area = f"A1:H{len(rows)}"


def sheet_rows(form: Form, table: Table, values=None, header=None) -> tuple[list, list, dict]:
    """The rows a table's sheet holds (title, heading, header fields, column heads, an item a
    row, the note), each item row's depth, and the value cells' Cell by A1."""
    values, header = values or {}, header or {}
    positions = cell_positions(table)
    heading = "　".join(x for x in (form.union, form.doc_no, form.campaign) if x)
    rows: list[list] = [[table.title], [heading], [None] * 8, [None] * 8, list(COLUMNS)]
    for key, label, r, c, _ in HEADER_FIELDS:
        rows[r - 1][c], rows[r - 1][c + 1] = label, text(header.get(key))
    depths, units = [], {}
    for item, depth in table.walk():
        row = [item.seq, item.code, item.label, None, None, None, None, None]
        refs = [r for r, c in table.cells.items() if c.item == item.code]
        for ref, unit_col in zip(refs, UNIT_COLUMNS, strict=False):
            cell = table.cells[ref]
            col = ord(unit_col) - 65
            row[col] = (
                cell.unit
                if ref in (item.code, f"{item.code}[{cell.unit}]")
                else f"{cell.unit}（{ref}）"
            )
            row[col + 1] = _figure(values.get(f"{table.id}:{ref}"), cell.decimals)
            units[positions[ref]] = cell
        rows.append(row)
        depths.append(depth)
    if table.note:
        rows += [[], [f"注：{table.note}"]]
    return rows, depths, units


def merged_ranges(table: Table, height: int) -> tuple[str, ...]:
    """The merged cells of a table's sheet of `height` rows: title, heading, header values,
    the note."""
    notes = (f"A{height}:H{height}",) if table.note else ()
    return ("A1:H1", "A2:H2", *(span for *_, span in HEADER_FIELDS), *notes)


def _value_rule(at: str, cell):
    """The check and the input prompt of one value cell: the item's label and unit, and what
    may be typed (a count: a whole number not below 0; 万元: at most two decimals)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if cell.decimals:
        rule = DataValidation(
            type="custom",
            formula1=f"AND(ISNUMBER({at}),{at}>=0,ROUND({at},2)={at})",
            errorTitle="只能填金额",
            error=f"此项单位是{cell.unit}，请填不小于 0 的数，最多两位小数。",
        )
        hint = "填不小于 0 的数，最多两位小数"
    else:
        rule = DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            errorTitle="只能填整数",
            error="此项是计数，请填 0 或正整数。",
        )
        hint = "填 0 或正整数"
    rule.allow_blank = rule.showErrorMessage = rule.showInputMessage = True
    rule.promptTitle = f"单位：{cell.unit}"
    rule.prompt = f"{cell.label}（{cell.unit}）\n{hint}。"[:255]  # Excel's limit
    rule.add(at)
    return rule


def _date_rule(at: str):
    """填报日期: a date, prompted with an example."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2099,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="只能填日期",
        error="请填日期，如 2010-01-28。",
        promptTitle="填报日期",
        prompt="填日期，如 2010-01-28。",
    )
    rule.add(at)
    return rule


def _live_checks(ws, table: Table, positions: dict[str, str]) -> None:
    """Conditional formatting that colours a total while it disagrees with its parts: red for
    an error, amber for a warning (a figure to check)."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    for rule in table.rules:
        expr = rule.parsed
        if rule.kind not in ("identity", "inequality"):
            continue
        refs = [str(r) for r in expr.refs()]
        cells = [positions[r] for r in refs]
        filled = f"COUNT({','.join(cells)})={len(cells)}"
        if rule.kind == "identity":
            total, parts = cells[0], cells[1:]
            tol = "0.005*" + str(len(cells)) if table.cells[refs[0]].decimals else "0"
            formula = f"AND({filled},ABS({total}-({'+'.join(parts)}))>{tol})"
            target = total
        else:
            left, right = cells
            op = {"<=": ">", "<": ">=", ">=": "<", ">": "<="}[expr.op]
            formula = f"AND({filled},{left}{op}{right})"
            target = left
        fill, font = ERROR_LOOK if rule.severity == "error" else WARNING_LOOK
        ws.conditional_formatting.add(
            target,
            FormulaRule(
                formula=[formula],
                fill=PatternFill("solid", fgColor=fill),
                font=Font(color=font, bold=True),
            ),
        )


ANNOTATED = (".xlsx", ".xlsm")


def annotate(path: Path, findings, target: Path, force: bool) -> None:
    """A copy of the return (or list) with every cell a finding names highlighted, the cell a
    suggestion points at included, and a comment saying why."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    suffix = path.suffix.lower()
    if suffix not in ANNOTATED:
        raise WenuanError("annotate_xlsx_only", path=str(path))
    check_target(target, force, (suffix,))  # an .xlsm copy keeps its macros, an .xlsx has none
    try:
        wb = load_workbook(path, keep_vba=suffix == ".xlsm")
    except Exception:  # openpyxl raises many types for a file it cannot take
        raise WenuanError("annotate_unreadable", path=str(path)) from None
    from wenuan.words.findings import say, to_change

    fill = PatternFill("solid", fgColor="FFC7CE")
    notes: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        if f.severity == "info":  # a note on reading marks nothing
            continue
        places = [f.cell, to_change(f)]
        for place in dict.fromkeys(p for p in places if p and "!" in p):
            sheet, ref = place.rsplit("!", 1)
            notes.setdefault((sheet, ref), []).append(text(say(f, "unit")))
    for (sheet, ref), texts in notes.items():
        if sheet not in wb.sheetnames:
            continue
        first, _, last = ref.partition(":")  # a range (a list's column, 明细!D4:D9): its cells
        cells = [c for row in wb[sheet][ref] for c in row] if last else [wb[sheet][first]]
        for cell in cells:
            cell.fill = fill
        note = "\n".join(texts)
        if cells[0].comment:  # a cell a range starts at, named by findings of its own too
            note = cells[0].comment.text + "\n" + note
        cells[0].comment = Comment(note, "wenuan", width=360, height=160)
    save_atomically(wb, target, force, (suffix,))


CHART_UNITS = 50  # a bar a unit reads up to about this many units
WIDE_SCALE = 80  # percent: 各单位 prints this size, about 15 items a page
ITEM_WIDTH = 10  # a column of 各单位: about five CJK characters of its label a line
A4_LANDSCAPE_EMU = (9_360_000, 6_480_000)  # 26 × 18 cm
SMALL_LINE = 13  # points a line of 10-point text takes


def _wrapped_lines(value, width: float) -> int:
    """Lines a text takes wrapped in a column `width` wide."""
    return max(1, -(-text_width(value) // max(int(width) - 1, 1)))


def consolidation(result, header: dict[str, object]) -> "Streamed":
    """The consolidated workbook, written as it streams and printable as it is: the total in
    the form's layout, every unit's figures (a row a unit, a column an item), a chart of the
    main items on a sheet of its own, and the provenance of each file. Its rows of units and
    files are those `result.book` took as the returns came, or else read back now."""
    book = result.book
    if book is None:
        book = Total(result.form)
        for row in result.units():
            book.unit(row)
        for source in result.sources():
            book.source(source)
    return book.finish(result, header)


class Total:
    """The consolidated workbook made as the returns come: each unit's row of 各单位 and each
    file's of 来源 written as it is added (so little is left once the last return is in), the
    total's own sheets by `finish`."""

    def __init__(self, form: Form):
        from openpyxl import Workbook

        self.form, self.wb = form, Workbook(write_only=True)
        _quiet_when_let_go()
        self.keys = [(tb, ref) for tb in form.tables for ref in tb.cells]
        self.units = _Units(self.wb, form, self.keys)
        self.sources = _Sources(self.wb)

    def unit(self, row: dict) -> None:
        """One included unit's row: {"unit", "path", "values"}."""
        self.units.add(row["unit"], row["path"], row["values"])

    def source(self, source) -> None:
        """One file's line of provenance (a consolidate.Source)."""
        self.sources.add(source)

    def close(self) -> None:
        """Let go of the rows (a total refused is never saved)."""
        self.units.rows.file.close()
        self.sources.rows.file.close()

    def finish(self, result, header: dict[str, object]) -> "Streamed":
        """The workbook once every return is in: the total's tables first, the rows' ends,
        the chart."""
        form, wb, keys = self.form, self.wb, self.keys
        for i, table in enumerate(form.tables):
            _table_sheet(wb, form, table, result.total, header, blank=False, index=i)
        few = 0 < result.included <= FEW_UNITS  # a row a unit would print a page per 15 items
        items = _items_sheet(wb, result, keys, len(form.tables)) if few else None
        units = self.units.finish(result.total)
        sources = self.sources.finish(result.missing)
        meta = wb.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        for row in (
            ("form", form.id),
            ("version", str(form.version)),
            ("tables", ",".join(tb.id for tb in form.tables)),
            ("kind", "total"),
        ):
            meta.append(list(row))
        count = units.count - 3  # the rows of units: not the two of headings, nor the total's
        if items:
            units.ws.sheet_state = "hidden"  # kept for render and scripts; 分单位 is printed
        if count:  # last: a chart sheet before a worksheet shifts the worksheet's print area
            _chart_sheet(wb, form, keys, count)
        return Streamed(wb, [units, sources, *([items] if items else [])])


FEW_UNITS = 8  # up to this many units, 各单位 prints with the items as rows (分单位)


def _items_sheet(wb, result, keys, index: int) -> "Rows":
    """分单位: the figures of a few units with an item a row and a unit a column, the total
    last, on portrait A4 pages as wide as the units need. Returns its rows."""
    from openpyxl.styles import Alignment, Border, Font, Side

    form = result.form
    units = list(result.units())
    ws = wb.create_sheet("分单位", index)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    rows = Rows(ws, 2 + len(units) + 1)
    look = {
        name: rows.look(Font(name=FONT, size=10, bold=name == "head"), box, align, number)
        for name, align, number in (
            ("head", centre, None),
            ("label", Alignment(vertical="center", wrap_text=True), None),
            ("code", centre, None),
            (0, centre, "0"),
            (1, centre, "0.00"),
        )
    }
    names = [str(u["unit"] or "") for u in units]
    widths = [14, LABEL_WIDTH - 16] + [max(10, text_width(n) + 2) for n in names] + [10]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[_column(i)].width = width
    ws.freeze_panes = "C2"
    _print_setup(ws, title_rows="1:1", title_cols="A:B")
    heads = ["代码", "项目（单位）", *names, "合计"]
    rows.append([(h, look["head"]) for h in heads], SMALL_LINE * 2)
    for tb, ref in keys:
        cell = tb.cells[ref]
        key, number = f"{tb.id}:{ref}", look[bool(cell.decimals)]
        label = f"{cell.label}（{cell.unit}）"
        figures = [_figure(v.get(key), cell.decimals) for v in [u["values"] for u in units]]
        code = ref if len(form.tables) == 1 else key
        rows.append(
            [(code, look["code"]), (label, look["label"])]
            + [(f, number) for f in [*figures, _figure(result.total.get(key), cell.decimals)]],
            SMALL_LINE * _wrapped_lines(label, widths[1] * 1.2) + 3,  # 10-point text, some air
        )
    return rows


class _Units:
    """各单位: a row a unit and a column an item, headed by the item's label and unit (its code
    in the small first row), the total last; the headings and unit names stay on screen and
    are printed on every page. Each unit's row is written as it comes."""

    def __init__(self, wb, form: Form, keys):
        from openpyxl.styles import Alignment, Border, Font, Side

        ws = wb.create_sheet("各单位")
        thin = Side(style="thin")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        body, bold = Font(name=FONT, size=10), Font(name=FONT, size=10, bold=True)
        small = Font(name=FONT, size=8, color="808080")
        self.widths = [8, 6]  # the widest unit name and file name so far
        labels = [f"{tb.cells[ref].label}（{tb.cells[ref].unit}）" for tb, ref in keys]
        self.rows = rows = Rows(ws, 2 + len(keys))
        self.heading, self.plain = rows.look(bold, box, centre), rows.look(body, box, centre)
        code, self.name, self.file = (
            rows.look(small, box, centre),
            rows.look(body, box, left),
            rows.look(small, box, left),
        )
        # the codes stay the first row: render (and scripts) find the columns by them
        codes = [ref if len(form.tables) == 1 else f"{tb.id}:{ref}" for tb, ref in keys]
        rows.append([("单位", self.heading), ("文件", self.heading)] + [(c, code) for c in codes])
        height = SMALL_LINE * max(_wrapped_lines(x, ITEM_WIDTH) for x in labels)
        heads = [(None, self.plain), (None, self.plain)] + [(x, self.heading) for x in labels]
        rows.append(heads, height)
        figure = {d: rows.look(body, box, centre, "0.00" if d else "0") for d in (0, 1)}
        self.columns = [(f"{tb.id}:{ref}", tb.cells[ref].decimals) for tb, ref in keys]
        self.looks = [figure[bool(d)] for _, d in self.columns]
        # a row's figures, all numbers, in one format: {0} the row, {1}… the figures
        self.numbers = "".join(
            f'<c r="{col}{{0}}" s="{look}" t="n"><v>{{{i}:.16g}}</v></c>'
            for i, (col, look) in enumerate(zip(rows.columns[2:], self.looks, strict=True), 1)
        )

    def figures(self, values: dict) -> list:
        return [
            (_figure(values.get(k), d), look)
            for (k, d), look in zip(self.columns, self.looks, strict=True)
        ]

    def add(self, unit: str | None, path: str, values: dict) -> None:
        name = Path(path).name
        self.widths = [
            max(self.widths[0], text_width(unit or "")),
            max(self.widths[1], text_width(name)),
        ]
        head = [(unit, self.name), (name, self.file)]
        figures = [_figure(values.get(k), d) for k, d in self.columns]
        try:
            self.rows.append(head, rest=self.numbers.format(self.rows.count + 1, *figures))
        except (TypeError, ValueError):  # an empty figure: cell by cell
            self.rows.append(head + list(zip(figures, self.looks, strict=True)))

    def finish(self, total: dict) -> "Rows":
        """The total's row, the column widths, the panes and the print settings."""
        rows, ws = self.rows, self.rows.ws
        ws.column_dimensions["A"].width = self.widths[0] + 3
        ws.column_dimensions["B"].width = min(self.widths[1] + 2, 24)
        for i in range(len(self.columns)):
            ws.column_dimensions[_column(3 + i)].width = ITEM_WIDTH
        ws.freeze_panes = "C3"
        _print_setup(ws, landscape=True, title_rows="1:2", title_cols="A:A", fit_width=False)
        _merge(ws, "A1:A2")
        _merge(ws, "B1:B2")
        rows.append([("合计", self.heading), (None, self.plain)] + self.figures(total))
        return rows


def _column(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _chart_sheet(wb, form: Form, keys, count: int) -> None:
    """图表: the main items of the first table by unit, on a sheet of its own (one page), each
    bar named by its item's label and unit."""
    from openpyxl.chart import BarChart, Reference, Series
    from openpyxl.drawing.xdr import XDRPoint2D, XDRPositiveSize2D
    from openpyxl.worksheet.page import PrintPageSetup

    table = form.tables[0]
    depth = {it.code: d for it, d in table.walk()}
    chosen = [c.item for c in form.report.chart] if form.report else []
    main = [
        i
        for i, (tb, ref) in enumerate(keys)
        if (
            f"{tb.id}:{ref}" in chosen if chosen else tb is table and depth[tb.cells[ref].item] == 0
        )
    ]
    if not main:
        return
    measures = [keys[i][0].cells[keys[i][1]].unit for i in main]  # one unit of measure a chart
    common = max(measures, key=lambda u: (measures.count(u), u == "万元"))
    main = [i for i, unit in zip(main, measures, strict=True) if unit == common][:4]
    units = wb["各单位"]
    last = min(count, CHART_UNITS) + 2
    chart = BarChart()
    chart.title = f"{table.title}：各单位主要项目"
    for i in main:
        tb, ref = keys[i]
        cell = tb.cells[ref]
        values = Reference(units, min_col=3 + i, min_row=3, max_row=last)
        chart.series.append(Series(values, title=f"{cell.label}（{cell.unit}）"))
    chart.set_categories(Reference(units, min_col=1, min_row=3, max_row=last))
    chart.y_axis.title = "、".join(dict.fromkeys(keys[i][0].cells[keys[i][1]].unit for i in main))
    chart.x_axis.delete = chart.y_axis.delete = False  # else newer Excel hides the axes
    chart.legend.position = "b"
    sheet = wb.create_chartsheet("图表")
    sheet.pageSetup = PrintPageSetup(paperSize="9", orientation="landscape")
    sheet.add_chart(chart)
    # the size of the printed page: Excel stretches a chart sheet's chart, LibreOffice does not
    chart.anchor.pos = XDRPoint2D(0, 0)
    chart.anchor.ext = XDRPositiveSize2D(*A4_LANDSCAPE_EMU)


class _Sources:
    """来源: each file, its unit, when received, its SHA-256, what was found, whether counted;
    and the units that did not report. Each file's row is written as it comes."""

    HEADS = ("文件", "单位", "收到日期", "错误", "警告", "计入合计", "问题", "SHA-256")

    def __init__(self, wb):
        from openpyxl.styles import Alignment, Font

        ws = wb.create_sheet("来源")
        wrap = Alignment(vertical="top", wrap_text=True)
        self.rows = rows = Rows(ws, len(self.HEADS))
        self.body, self.small = (
            rows.look(Font(name=FONT, size=10), None, wrap),
            rows.look(Font(name=FONT, size=8), None, wrap),
        )
        bold = rows.look(Font(name=FONT, size=10, bold=True), None, wrap)
        rows.append([(x, bold) for x in self.HEADS])

    def _row(self, values) -> None:
        self.rows.append([(x, self.small if c == 7 else self.body) for c, x in enumerate(values)])

    def add(self, s) -> None:
        self._row(
            (
                s.path,
                s.unit,
                s.received,
                s.errors,
                s.warnings,
                "是" if s.included else "否",
                "\n".join(s.findings),
                s.sha256,
            )
        )

    def finish(self, missing: list[str]) -> "Rows":
        """The units that did not report, the widths, the panes and the print settings."""
        for name in missing:
            self._row((None, name, None, None, None, "未报送"))
        ws = self.rows.ws
        # the hash last and outside the print area: on paper, names and times; on screen, proof
        widths = (30, 16, 12, 6, 6, 9, 60, 66)
        for col, width in zip("ABCDEFGH", widths, strict=True):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = "A2"
        _print_setup(ws, landscape=True, title_rows="1:1")
        ws.print_area = f"A1:G{self.rows.count}"
        return self.rows


class Rows:
    """The rows of a large sheet as XML text, kept in a temporary file until the workbook is
    saved: openpyxl spends some 20 µs on a styled cell (finding its style objects among the
    workbook's by equality, checking its value), the text a tenth of that."""

    def __init__(self, ws, columns: int):
        self.ws, self.count, self.file = ws, 0, tempfile.TemporaryFile()
        self.columns = [_column(i) for i in range(1, columns + 1)]

    def look(self, font, border, alignment, number_format: str | None = None) -> str:
        """The style id of a look, registered with the workbook once."""
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws)
        for name, value in (("font", font), ("border", border), ("alignment", alignment)):
            if value is not None:
                setattr(cell, name, value)
        if number_format:
            cell.number_format = number_format
        return str(cell.style_id)

    def append(self, cells: list[tuple], height: float | None = None, rest: str = "") -> None:
        """One row: a (value, style id) a cell, as openpyxl writes it (text inline, never a
        formula), then the XML of the `rest` of its cells; `height` in points."""
        self.count += 1
        r = self.count
        size = f' ht="{height:.16g}" customHeight="1"' if height else ""
        xml = "".join(
            [
                _cell_xml(f"{col}{r}", value, style)
                for col, (value, style) in zip(self.columns, cells, strict=False)
            ]
        )
        self.file.write(f'<row r="{r}"{size}>{xml}{rest}</row>'.encode("utf-8", "replace"))


def _cell_xml(at: str, value, style: str) -> str:
    """A cell as openpyxl writes it: a number, text inline (never a formula), or empty."""
    kind = type(value)  # the figures of 各单位 first: most cells a large total has
    if kind is float or kind is int or isinstance(value, int | float) and kind is not bool:
        return f'<c r="{at}" s="{style}" t="n"><v>{value:.16g}</v></c>'
    if value is None or value == "":
        return f'<c r="{at}" s="{style}"/>'
    shown = text(str(value))
    space = ' xml:space="preserve"' if shown != shown.strip() else ""
    shown = shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    shown = shown.replace("\r", "&#13;")  # a bare CR would be read back as a line feed
    return f'<c r="{at}" s="{style}" t="inlineStr"><is><t{space}>{shown}</t></is></c>'


_WRITERS = {"WorksheetWriter.get_stream", "WriteOnlyWorksheet._write_rows"}


def _quiet_when_let_go() -> None:
    """Ctrl-C while a write-only workbook is made or saved leaves openpyxl's sheet writers half
    done; each then prints "Exception ignored … LxmlSyntaxError" and a traceback as Python lets
    it go, after the run has already said it stopped. Those, and only those, are not printed."""
    import sys

    shown = sys.unraisablehook
    if getattr(shown, "wenuan", False):
        return

    def hook(unraisable) -> None:
        if getattr(unraisable.object, "__qualname__", None) not in _WRITERS:
            shown(unraisable)

    hook.wenuan = True
    sys.unraisablehook = hook


class Streamed:
    """A write-only workbook and the rows of its large sheets, put into their sheets' XML as
    the workbook is saved (to a path or a binary file)."""

    def __init__(self, wb, rows: list[Rows]):
        self.wb, self.rows = wb, rows

    def save(self, target) -> None:
        import shutil
        import zipfile

        made = io.BytesIO()
        self.wb.save(made)
        parts = {rows.ws.path[1:]: rows.file for rows in self.rows}
        try:
            with zipfile.ZipFile(made) as src, zipfile.ZipFile(target, "w") as out:
                for info in src.infolist():
                    data = src.read(info)
                    part = zipfile.ZipInfo(info.filename, info.date_time)
                    part.compress_type = zipfile.ZIP_DEFLATED
                    if info.filename not in parts:
                        out.writestr(part, data)
                        continue
                    head, tail = data.split(b"<sheetData></sheetData>")
                    with out.open(part, "w") as sheet:
                        sheet.write(head + b"<sheetData>")
                        parts[info.filename].seek(0)
                        shutil.copyfileobj(parts[info.filename], sheet)
                        sheet.write(b"</sheetData>" + tail)
        finally:
            for rows in self.rows:
                rows.file.close()
