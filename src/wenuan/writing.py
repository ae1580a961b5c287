"""Workbooks wenuan writes: the blank template and the annotated copy of a return.

Outputs are written to a temporary file beside the target and renamed into place, so a crash
never leaves half a file, and an existing file is only replaced when the caller says so.
"""

import errno
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from wenuan.errors import WenuanError
from wenuan.forms import Form, Table
from wenuan.messages import t
from wenuan.reading import META_SHEET

TITLE_ROW, HEADER_ROWS, FIRST_ITEM_ROW = 1, (3, 4), 6
COLUMNS = ("序号", "代码", "项目", "单位", "数值", "单位", "数值", "备注")
VALUE_COLUMNS = ("E", "G")
UNIT_COLUMNS = ("D", "F")
FONT = "宋体"
LABEL_CHARS = 27  # CJK characters that fit a line of the label column (width 56)


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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def as_text(cell, value) -> None:
    """Put `value` in `cell` as written: `=…` from a return is shown, not calculated."""
    cell.value = text(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"


def _literal(ws, value):
    """A write-only cell holding `value`, text kept as text."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(ws)
    as_text(cell, value)
    return cell


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
            if v is not None:
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


def _table_sheet(wb, form: Form, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(_sheet_name(table))
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=11)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"] = table.title
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    ws["A2"] = "　".join(x for x in (form.union, form.doc_no, form.campaign) if x)
    ws["A2"].alignment = Alignment(horizontal="center")
    unlocked = Protection(locked=False)
    for label, at, value_at in (
        ("填报单位：", "A3", "B3"),
        ("填报人：", "E3", "F3"),
        ("联系电话：", "A4", "B4"),
        ("填报日期：", "E4", "F4"),
    ):
        ws[at] = label
        ws[at].font = body
        ws[value_at].protection = unlocked
        ws[value_at].border = Border(bottom=thin)
    ws.merge_cells("B3:D3")
    ws.merge_cells("B4:D4")
    ws.merge_cells("F3:H3")
    ws.merge_cells("F4:H4")
    for col, title in enumerate(COLUMNS, start=1):
        c = ws.cell(row=5, column=col, value=title)
        c.font = Font(name=FONT, size=11, bold=True)
        c.border = box
        c.alignment = Alignment(horizontal="center", vertical="center")
    counts = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="只能填整数",
        error="此项是计数，请填 0 或正整数。",
    )
    ws.add_data_validation(counts)
    input_fill = PatternFill("solid", fgColor="FFF9E5")
    positions = cell_positions(table)
    row = FIRST_ITEM_ROW
    for item, depth in table.walk():
        ws.cell(row=row, column=1, value=item.seq)
        ws.cell(row=row, column=2, value=item.code)
        label = ws.cell(row=row, column=3, value=item.label)
        label.alignment = Alignment(indent=depth * 2, wrap_text=True, vertical="center")
        lines = -(-(len(item.label) + depth * 2) // LABEL_CHARS)  # CJK characters a line
        if lines > 1:  # Excel and LibreOffice do not grow rows for wrapped text on their own
            ws.row_dimensions[row].height = 15 * lines
        refs = [r for r, c in table.cells.items() if c.item == item.code]
        for ref, unit_col in zip(refs, UNIT_COLUMNS, strict=False):
            cell = table.cells[ref]
            unit_text = (
                cell.unit
                if ref in (item.code, f"{item.code}[{cell.unit}]")
                else f"{cell.unit}（{ref}）"
            )
            ws[f"{unit_col}{row}"] = unit_text
            target = ws[positions[ref]]
            target.protection = unlocked
            target.fill = input_fill
            target.number_format = "0.00" if cell.decimals else "0"
            if cell.decimals:  # one rule a cell: its formula names the cell itself
                ws.add_data_validation(_amount_rule(target.coordinate))
            else:
                counts.add(target.coordinate)
        for col in range(1, len(COLUMNS) + 1):
            c = ws.cell(row=row, column=col)
            c.border = box
            if col != 3:
                c.font = body
                c.alignment = Alignment(horizontal="center", vertical="center")
            else:
                c.font = body
        row += 1
    if table.note:
        ws.cell(row=row + 1, column=1, value=f"注：{table.note}").font = body
    _live_checks(ws, table, positions)
    for col, width in zip("ABCDEFGH", (6, 8, 56, 7, 12, 9, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "1:5"
    ws.print_area = f"A1:H{row + 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _amount_rule(at: str):
    """万元: a number not below 0 with at most two decimals."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(
        type="custom",
        formula1=f"AND(ISNUMBER({at}),{at}>=0,ROUND({at},2)={at})",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="只能填金额",
        error="此项单位是万元，请填不小于 0 的数，最多两位小数。",
    )
    rule.add(at)
    return rule


def _live_checks(ws, table: Table, positions: dict[str, str]) -> None:
    """Conditional formatting that turns a total red while it disagrees with its parts."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
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
        ws.conditional_formatting.add(
            target, FormulaRule(formula=[formula], fill=red, font=Font(color="9C0006", bold=True))
        )


ANNOTATED = (".xlsx", ".xlsm")


def annotate(path: Path, findings, target: Path, force: bool) -> None:
    """A copy of the return with every cell a finding names highlighted, the cell a suggestion
    points at included, and a comment saying why."""
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
    fill = PatternFill("solid", fgColor="FFC7CE")
    notes: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        if f.severity == "info":  # a note on reading marks nothing
            continue
        places = [f.cell, f.suggestion.cell if f.suggestion else None]
        for place in dict.fromkeys(p for p in places if p and "!" in p):
            sheet, ref = place.rsplit("!", 1)
            notes.setdefault((sheet, ref), []).append(text(f.message))
    for (sheet, ref), texts in notes.items():
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][ref]
        cell.fill = fill
        cell.comment = Comment("\n".join(texts), "wenuan", width=360, height=160)
    save_atomically(wb, target, force, (suffix,))


CHART_UNITS = 50  # a bar a unit reads up to about this many units


def consolidation(result, header: dict[str, object]):
    """The consolidated workbook, written as it streams: the total in the form's layout, every
    unit's figures side by side, the provenance of each file, and a chart of the main items."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    form = result.form
    wb = Workbook(write_only=True)
    bold = Font(name=FONT, bold=True)

    def styled(ws, value, font=bold):
        cell = WriteOnlyCell(ws, value=value)
        cell.font = font
        return cell

    table_sheets = []
    for table in form.tables:
        ws = wb.create_sheet(_sheet_name(table))
        table_sheets.append(ws)
        ws.append([styled(ws, table.title, Font(name=FONT, size=16, bold=True))])
        ws.append([" ".join(x for x in (form.union, form.doc_no, form.campaign) if x)])
        ws.append(
            [
                _literal(ws, v)
                for v in (
                    "填报单位：",
                    header.get("unit"),
                    None,
                    None,
                    "填报人：",
                    header.get("person"),
                )
            ]
        )
        ws.append(
            [
                _literal(ws, v)
                for v in (
                    "联系电话：",
                    header.get("phone"),
                    None,
                    None,
                    "填报日期：",
                    header.get("date"),
                )
            ]
        )
        ws.append([styled(ws, c) for c in COLUMNS])
        for item, depth in table.walk():
            refs = [r for r, c in table.cells.items() if c.item == item.code]
            row = [item.seq, item.code, "　" * depth + item.label, None, None, None, None]
            for ref, at in zip(refs, (3, 5), strict=False):
                cell = table.cells[ref]
                row[at] = (
                    cell.unit
                    if ref in (item.code, f"{item.code}[{cell.unit}]")
                    else (f"{cell.unit}（{ref}）")
                )
                value = result.total.get(f"{table.id}:{ref}")
                row[at + 1] = float(value) if value is not None else None
            ws.append(row)
    keys = [(tb, ref) for tb in form.tables for ref in tb.cells]
    units = wb.create_sheet("各单位")
    units.append(
        [styled(units, "单位"), styled(units, "文件")]
        + [
            styled(
                units,
                f"{ref}（{tb.cells[ref].unit}）"
                if len(form.tables) == 1
                else f"{tb.id}:{ref}（{tb.cells[ref].unit}）",
            )
            for tb, ref in keys
        ]
    )
    count = 0
    for row in result.units():
        count += 1
        values = row["values"]
        units.append(
            [_literal(units, row["unit"]), _literal(units, Path(row["path"]).name)]
            + [
                float(values[f"{tb.id}:{ref}"]) if f"{tb.id}:{ref}" in values else None
                for tb, ref in keys
            ]
        )
    units.append(
        [styled(units, "合计"), None]
        + [
            float(result.total[f"{tb.id}:{ref}"]) if f"{tb.id}:{ref}" in result.total else None
            for tb, ref in keys
        ]
    )
    sources = wb.create_sheet("来源")
    sources.append(
        [
            styled(sources, h)
            for h in ("文件", "单位", "收到日期", "SHA-256", "错误", "警告", "计入合计", "问题")
        ]
    )
    for s in result.sources():
        row = [
            s.path,
            s.unit,
            s.received,
            s.sha256,
            s.errors,
            s.warnings,
            "是" if s.included else "否",
            "\n".join(s.findings),
        ]
        sources.append([_literal(sources, v) for v in row])
    for name in result.missing:
        sources.append([None, _literal(sources, name), None, None, None, None, "未报送"])
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for row in (
        ("form", form.id),
        ("version", str(form.version)),
        ("tables", ",".join(tb.id for tb in form.tables)),
        ("kind", "total"),
    ):
        meta.append(list(row))
    main = [
        i
        for i, (tb, ref) in enumerate(keys)
        if tb is form.tables[0]
        and next(d for it, d in tb.walk() if it.code == tb.cells[ref].item) == 0
    ][:4]
    if count and main:
        chart = BarChart()
        chart.title = f"{form.tables[0].title}：各单位主要项目"
        chart.y_axis.title = "数值"
        last = min(count, CHART_UNITS) + 1
        for i in main:
            chart.add_data(
                Reference(units, min_col=3 + i, min_row=1, max_row=last), titles_from_data=True
            )
        chart.set_categories(Reference(units, min_col=1, min_row=2, max_row=last))
        chart.width, chart.height = 24, 12
        table_sheets[0].add_chart(chart, "J2")
    return wb
