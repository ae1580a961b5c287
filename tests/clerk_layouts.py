"""Returns as county clerks type them: a corpus of layouts that are not wenuan's template.

Each builder is `build_<layout>(form, values, header, path) -> positions`: it writes one return
of `form` holding `values` ("table:ref" -> Decimal, as `samples.consistent` gives them) and the
header fields `header` ({"unit", "person", "phone", "date"}), laid out the way a clerk retypes
the notice's table in Excel/WPS or Word, and says where each figure was written.

Positions (what a finding's `cell` is expected to name, "in the file as sent"):
- workbooks (xlsx, and xls/ods converted from them): "{sheet}!{A1}", the sheet's name unquoted,
  as the template's findings write it (`送温暖工程统计表!E19`). A converted copy keeps the sheet
  names and cells of the xlsx it was converted from.
- Word (.docx): "表格{n}第{r}行第{c}列": n is the table's 1-based place among the document's tables,
  r and c the 1-based row and column of the python-docx grid (`doc.tables[n-1].cell(r-1, c-1)`,
  the column-header row is row 1); a merged cell answers to every grid position it spans.
Every figure is written equal to its value: a number cell, or (only in `text_numbers`) text that
reads as the same number ("1,200", "12 人"). No builder writes `—` or leaves a value blank.

The layouts do not follow any reader's internals; they follow what clerks do (see LAYOUTS).
"""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from wenuan.forms.model import Form, Table, quantize

Positions = dict[str, str]

CN_NUMBERS = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
SWAP_BRACKETS = str.maketrans("（）()", "()（）")
REMARKS = ("较上年增加", "", "含春节前补发2笔", "", "同比增长5%", "", "已核实", "")


# ---------------------------------------------------------------------------------------------
# Rows of a table as a clerk lays them out, before they are put in a sheet or a Word table.


@dataclass
class Grid:
    """A table's body: rows of cell contents, where each figure sits, merged label cells."""

    cols: list[str]  # column roles, in order
    rows: list[list[object]]
    at: dict[str, tuple[int, int]]  # "table:ref" -> (row, col), 0-based in `rows`
    merges: list[tuple[int, int, int]]  # (first row, col, last row), vertical merges
    starts: list[int]  # rows where a top-level item begins


def refs_of(table: Table, code: str) -> list[str]:
    """The refs an item's row holds, in printed order."""
    return [r for r, c in table.cells.items() if c.item == code]


def number(table: Table, ref: str, v: Decimal, i: int = 0) -> object:
    """A figure as a number cell: an int for counts, a float for 万元."""
    return float(v) if table.cells[ref].decimals else int(v)


def previous_year(table: Table, ref: str, v: Decimal) -> object:
    """A 上年同期 figure that differs from this year's."""
    cell = table.cells[ref]
    prev = quantize(v * Decimal("0.8"), cell.decimals) + 3
    if prev == v:
        prev += 1
    return float(prev) if cell.decimals else int(prev)


def plain(item, depth, i, unit):
    return item.label


def grid(table: Table, values, cols, rows="one", label=plain, figure=number, merge=True) -> Grid:
    """Lay a table out: `rows` is "one" (a row an item, its second figure in value2), "split" (a
    row a figure, unit in the unit column, label merged over the rows when `merge`) or
    "split-unit-label" (a row a figure, the unit in brackets after the label)."""
    out = Grid(list(cols), [], {}, [], [])
    n = 0
    for i, (item, depth) in enumerate(table.walk()):
        refs = refs_of(table, item.code)
        own_codes = any(v.code for v in item.all_values)
        lines = [refs] if rows == "one" or not refs else [[ref] for ref in refs]
        first = len(out.rows)
        if depth == 0:
            out.starts.append(first)
        for j, line in enumerate(lines):
            n += 1
            unit = table.cells[line[0]].unit if line else None
            row: list[object] = []
            for role in cols:
                text: object = None
                if role == "seq":
                    text = item.seq if j == 0 else None
                elif role == "code":
                    text = (
                        line[0]
                        if own_codes and line
                        else (item.code if j == 0 or not merge else None)
                    )
                elif role == "label":
                    if rows == "split-unit-label":
                        text = label(item, depth, i, unit)
                    elif j == 0 or not merge:
                        text = label(item, depth, i, None)
                elif role == "unit" and line:
                    text = unit
                elif role == "unit2" and len(line) > 1:
                    text = table.cells[line[1]].unit
                elif role == "value" and line:
                    out.at[f"{table.id}:{line[0]}"] = (len(out.rows), len(row))
                    text = figure(table, line[0], values[f"{table.id}:{line[0]}"], n)
                elif role == "value2" and len(line) > 1:
                    out.at[f"{table.id}:{line[1]}"] = (len(out.rows), len(row))
                    text = figure(table, line[1], values[f"{table.id}:{line[1]}"], n + 100)
                elif role == "prev" and line:
                    text = previous_year(table, line[0], values[f"{table.id}:{line[0]}"])
                elif role == "note" and j == 0:
                    text = (item.note if item.note and len(item.note) <= 12 else None) or (
                        REMARKS[i % len(REMARKS)] or None
                    )
                elif role == "helper":
                    text = n
                row.append(text)
            out.rows.append(row)
        if rows == "split" and merge and len(lines) > 1:
            for role in ("seq", "label") + (() if own_codes else ("code",)):
                if role in cols:
                    out.merges.append((first, cols.index(role), len(out.rows) - 1))
    return out


# ---------------------------------------------------------------------------------------------
# Labels as people write them.


def near(item, depth, i, unit):
    """A label a little off the form's: year dropped or changed to 本年度, 本年度 dropped,
    brackets swapped, a trailing colon."""
    t = item.label
    m = re.match(r"\d{4}年度?", t)
    if m:
        return t[m.end() :] if i % 2 == 0 else "本年度" + t[m.end() :]
    if t.startswith("本年度"):
        return t[3:]
    if any(b in t for b in "（）()"):
        return t.translate(SWAP_BRACKETS)
    return t + "：" if i % 2 else t


def _numbered(style: str, n: int) -> str:
    return {"1.": f"{n}.", "（一）": f"（{CN_NUMBERS[(n - 1) % 10]}）", "①": CIRCLED[(n - 1) % 15]}[
        style
    ]


def spoken(style: str):
    """Labels as typed without codes: spaced out to align, broken over two lines, 其中 added or
    dropped, the top rows numbered in `style` ("1.", "（一）" or "①")."""
    top = iter(range(1, 100))

    def label(item, depth, i, unit):
        t = item.label
        m = re.match(r"其中[:：]?\s*", t)
        prefix = ""
        if m:
            t = t[m.end() :]
            prefix = "" if i % 2 == 0 else "其中："
        elif depth > 0 and i % 3 == 1:
            prefix = "其中"
        if len(t) <= 8:
            t = (" " if i % 2 == 0 else "\u3000").join(t) if i % 3 != 2 else t
        elif len(t) > 16 and i % 2 == 0:
            t = t[: len(t) // 2] + "\n" + t[len(t) // 2 :]
        t = prefix + t
        if depth == 0:
            t = _numbered(style, next(top)) + (" " if style == "1." else "") + t
        if unit:
            t += f"（{unit}）"
        return t

    return label


def with_unit(item, depth, i, unit):
    """The label with its unit in brackets, numbered （一） at the top rows, 其中： kept."""
    t = item.label.replace("其中:", "其中：").replace("其中： ", "其中：")
    return t + (f"（{unit}）" if unit else "")


# ---------------------------------------------------------------------------------------------
# Putting grids in sheets, header fields where clerks put them.


def put(ws, g: Grid, top: int, left: int, names: dict | None, title: str | None, body=None):
    """Write a grid at (top, left) under an optional title row and a column-header row (none when
    `names` is None); `body` a range of the grid's rows. Returns (positions, next free row)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    rows = range(len(g.rows)) if body is None else body
    r = top
    if title:
        ws.cell(r, left, title).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=left, end_row=r, end_column=left + len(g.cols) - 1)
        r += 1
    if names is not None:
        for k, role in enumerate(g.cols):
            ws.cell(r, left + k, names.get(role) or None)
        r += 1
    first = r
    for gi in rows:
        for k, text in enumerate(g.rows[gi]):
            if text is not None:
                c = ws.cell(r, left + k, text)
                if isinstance(text, str) and "\n" in text:
                    c.alignment = Alignment(wrap_text=True, vertical="center")
        r += 1
    for r0, c, r1 in g.merges:
        if r0 in rows and r1 in rows:
            ws.merge_cells(
                start_row=first + r0 - rows[0],
                start_column=left + c,
                end_row=first + r1 - rows[0],
                end_column=left + c,
            )
    positions = {
        key: f"{ws.title}!{get_column_letter(left + c)}{first + gr - rows[0]}"
        for key, (gr, c) in g.at.items()
        if gr in rows
    }
    return positions, r


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def header_cells(ws, row: int, header: dict) -> int:
    """填报单位：| unit … 填报人：| person; 联系电话：| phone … 填报日期：| a real date cell."""
    for r, pairs in (
        (row, (("填报单位：", "unit"), ("填报人：", "person"))),
        (row + 1, (("联系电话：", "phone"), ("填报日期：", "date"))),
    ):
        for k, (word, key) in enumerate(pairs):
            ws.cell(r, 1 + 4 * k, word)
            value = header[key]
            ws.cell(
                r,
                2 + 4 * k,
                datetime(value.year, value.month, value.day) if key == "date" else value,
            )
    ws.cell(row + 1, 6).number_format = "yyyy年m月d日"
    return row + 2


def header_line(ws, row: int, header: dict) -> int:
    """All on one line in one cell, spaced with full-width spaces."""
    ws.cell(
        row,
        1,
        f"填报单位：{header['unit']}　　填报人：{header['person']}　　联系电话：{header['phone']}",
    )
    return row + 1


def footer_stamp(ws, row: int, header: dict) -> int:
    """At the bottom: 填报单位（盖章）, 填报人 and 联系电话 in one cell, the date as text."""
    ws.cell(row, 1, f"填报单位（盖章）：{header['unit']}")
    ws.cell(row + 1, 1, f"填报人：{header['person']}    联系电话：{header['phone']}")
    ws.cell(row + 2, 1, f"填报日期：{cn_date(header['date'])}")
    return row + 3


def footer_signatures(ws, row: int, header: dict) -> int:
    """A signature row (单位负责人/审核人/填表人), the phone, and a real date cell."""
    ws.cell(row, 1, "单位负责人：")
    ws.cell(row, 3, "审核人：")
    ws.cell(row, 5, f"填表人：{header['person']}")
    ws.cell(row + 1, 1, f"联系电话：{header['phone']}")
    ws.cell(row + 2, 1, "填报日期：")
    d = header["date"]
    ws.cell(row + 2, 2, datetime(d.year, d.month, d.day)).number_format = "yyyy-mm-dd"
    return row + 3


def new_book():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


SHEET_NAMES = ("表一", "表二", "表三")
CODED = ["seq", "code", "label", "unit", "value", "unit2", "value2"]
CODED_NAMES = {
    "seq": "序号",
    "code": "代码",
    "label": "项目",
    "unit": "单位",
    "value": "数值",
    "unit2": "单位",
    "value2": "数值",
}


# ---------------------------------------------------------------------------------------------
# The layouts.


def build_template(form: Form, values, header, path: Path) -> Positions:
    """Control: wenuan's own template, filled (what the current reader reads)."""
    from wenuan.outputs import writing

    writing.save_atomically(writing.filled(form, values, header), path, force=True)
    return {
        f"{t.id}:{ref}": f"{writing._sheet_name(t)}!{at}"
        for t in form.tables
        for ref, at in writing.cell_positions(t).items()
    }


def build_near_labels(form: Form, values, header, path: Path) -> Positions:
    """Codes kept, labels a little off the form's (year dropped/changed to 本年度, 本年度 dropped,
    brackets swapped, trailing ：); a sheet a table named 表一/表二; header in cells at the top."""
    wb, positions = new_book(), {}
    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        ws.merge_cells("A1:G1")
        row = header_cells(ws, 2, header)
        got, _ = put(ws, grid(table, values, CODED, label=near), row, 1, CODED_NAMES, None)
        positions |= got
    wb.save(path)
    return positions


def build_both_tables_one_sheet(form: Form, values, header, path: Path) -> Positions:
    """Both tables on one sheet, one under the other, each under its own title row, codes
    repeating; header on one line at the top, the date as text at the bottom."""
    wb, positions = new_book(), {}
    ws = wb.create_sheet("Sheet1")
    row = header_line(ws, 1, header) + 1
    cols = ["seq", "label", "code", "unit", "value", "unit2", "value2"]
    names = {
        "seq": "序号",
        "label": "指标名称",
        "code": "代码",
        "unit": "单位",
        "value": "数量",
        "unit2": "单位",
        "value2": "数量",
    }
    for table in form.tables:
        got, row = put(ws, grid(table, values, cols), row, 1, names, table.title)
        positions |= got
        if table.note:
            ws.cell(row, 1, f"注：{table.note}")
        row += 3  # blank rows between the tables
    ws.cell(row, 5, f"填报日期：{cn_date(header['date'])}")
    wb.save(path)
    return positions


def build_labels_only(form: Form, values, header, path: Path) -> Positions:
    """No codes: labels spaced out, broken over lines, 其中 added/dropped, numbered 1.; a row a
    figure with the label merged over a two-figure item's rows and the unit in 计量单位; sheets
    left as Sheet1/Sheet2; header at the bottom (盖章, person+phone in one cell, text date)."""
    wb, positions = new_book(), {}
    cols = ["label", "unit", "value"]
    names = {"label": "项　　目", "unit": "计量单位", "value": "数值"}
    for k, table in enumerate(form.tables, start=1):
        ws = wb.create_sheet(f"Sheet{k}")
        got, row = put(
            ws, grid(table, values, cols, "split", spoken("1.")), 1, 1, names, table.title
        )
        positions |= got
        footer_stamp(ws, row + 1, header)
    wb.save(path)
    return positions


def build_unit_in_label(form: Form, values, header, path: Path) -> Positions:
    """No codes, no unit column: the unit in brackets after each label (筹集慰问款物总额（万元）), a
    two-figure item as two rows each with its own label; columns 序号 | 指标 | 本年."""
    wb, positions = new_book(), {}
    cols = ["seq", "label", "value"]
    names = {"seq": "序号", "label": "指标", "value": "本年"}
    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        row = header_cells(ws, 2, header)
        got, _ = put(
            ws, grid(table, values, cols, "split-unit-label", with_unit), row, 1, names, None
        )
        positions |= got
    wb.save(path)
    return positions


def build_code_after_unit(form: Form, values, header, path: Path) -> Positions:
    """序号 | 指标名称 | 计量单位 | 代码 | 本期数 | 上年同期 | 备注: a row a figure (label and code merged
    over a two-figure item, or each figure's own code as D9), last year's figures to the right,
    text remarks; unit at the top, a signature row and a date cell at the bottom."""
    wb, positions = new_book(), {}
    cols = ["seq", "label", "unit", "code", "value", "prev", "note"]
    names = {
        "seq": "序号",
        "label": "指标名称",
        "unit": "计量单位",
        "code": "代码",
        "value": "本期数",
        "prev": "上年同期",
        "note": "备注",
    }
    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        ws.merge_cells("A1:G1")
        ws.cell(2, 1, f"填报单位（盖章）：{header['unit']}")
        got, row = put(ws, grid(table, values, cols, "split"), 3, 1, names, None)
        positions |= got
        footer_signatures(ws, row + 1, header)
    wb.save(path)
    return positions


def build_prev_year_left(form: Form, values, header, path: Path) -> Positions:
    """项目 | 上年数 | 数值 | 单位 | 备注: last year's column left of the current one, the label
    repeated on each row of a two-figure item, labels numbered （一）; header in cells on top."""
    wb, positions = new_book(), {}
    cols = ["label", "prev", "value", "unit", "note"]
    names = {"label": "项目", "prev": "上年数", "value": "数值", "unit": "单位", "note": "备注"}
    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        row = header_cells(ws, 2, header)
        g = grid(table, values, cols, "split", spoken("（一）"), merge=False)
        got, _ = put(ws, g, row, 1, names, None)
        positions |= got
    wb.save(path)
    return positions


def build_missing_second_table(form: Form, values, header, path: Path) -> Positions:
    """A clerk's coded layout with only the first table: the second sheet was deleted."""
    wb = new_book()
    table = form.tables[0]
    ws = wb.create_sheet(SHEET_NAMES[0])
    ws.cell(1, 1, table.title)
    row = header_cells(ws, 2, header)
    positions, _ = put(ws, grid(table, values, CODED), row, 1, CODED_NAMES, None)
    wb.save(path)
    return positions


def build_continued_sheet(form: Form, values, header, path: Path) -> Positions:
    """The first table over two sheets (表一, then 表一（续） under a （续表） title and a repeated
    column header); any second table on its own sheet; header on one line, date at the bottom."""
    wb, positions = new_book(), {}
    cols = ["code", "label", "unit", "value", "unit2", "value2"]
    for k, table in enumerate(form.tables):
        g = grid(table, values, cols)
        cut = min(g.starts, key=lambda s: abs(s - len(g.rows) // 2)) if k == 0 else len(g.rows)
        parts = (
            [range(0, cut), range(cut, len(g.rows))]
            if 0 < cut < len(g.rows)
            else [range(len(g.rows))]
        )
        for p, body in enumerate(parts):
            ws = wb.create_sheet(SHEET_NAMES[k] + ("（续）" if p else ""))
            title = table.title + ("（续表）" if p else "")
            row = 1
            if p == 0:
                ws.cell(1, 1, title)
                row = header_line(ws, 2, header)
                title = None
            got, row = put(ws, g, row, 1, CODED_NAMES, title, body)
            positions |= got
            if p == len(parts) - 1:
                ws.cell(row + 1, 1, f"填报日期：{cn_date(header['date'])}")
    wb.save(path)
    return positions


def build_side_by_side(form: Form, values, header, path: Path) -> Positions:
    """Both tables side by side on one sheet, a blank column between, each under its title."""
    wb, positions = new_book(), {}
    ws = wb.create_sheet("统计表")
    row = header_cells(ws, 1, header) + 1
    cols = ["code", "label", "unit", "value", "unit2", "value2"]
    left = 1
    for table in form.tables:
        got, _ = put(ws, grid(table, values, cols), row, left, CODED_NAMES, table.title)
        positions |= got
        left += len(cols) + 1
    wb.save(path)
    return positions


def build_text_numbers(form: Form, values, header, path: Path) -> Positions:
    """Coded layout where some figures are typed as text: thousands separators, a unit after the
    number (12 人), stray spaces; header at the bottom with 盖章."""
    wb, positions = new_book(), {}

    def figure(table, ref, v, i):
        unit = table.cells[ref].unit
        if i % 4 == 1:
            return f"{v:,}"
        if i % 4 == 2:
            return f"{v} {unit}" if i % 8 == 2 else f"{v}{unit}"
        if i % 4 == 3:
            return f" {v} "
        return number(table, ref, v)

    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        got, row = put(ws, grid(table, values, CODED, figure=figure), 2, 1, CODED_NAMES, None)
        positions |= got
        footer_stamp(ws, row + 1, header)
    wb.save(path)
    return positions


def build_decorated(form: Form, values, header, path: Path) -> Positions:
    """Title merged across, a units line (单位：万元、人、户), a hidden helper column of row numbers
    first, 序号 | 项目 | 计量单位 | 合计, blank spacer rows between sections, labels numbered ①,
    header on one line at the top, signatures and a date cell at the bottom."""
    wb, positions = new_book(), {}
    cols = ["helper", "seq", "label", "unit", "value"]
    names = {"helper": "辅助", "seq": "序号", "label": "项目", "unit": "计量单位", "value": "合计"}
    units = "、".join(dict.fromkeys(c.unit for t in form.tables for c in t.cells.values()))
    for table, name in zip(form.tables, SHEET_NAMES, strict=False):
        ws = wb.create_sheet(name)
        ws.cell(1, 1, table.title)
        ws.merge_cells("A1:E1")
        ws.cell(2, 5, f"单位：{units}")
        row = header_line(ws, 3, header) + 1
        g = grid(table, values, cols, "split", spoken("①"))
        # spacer rows: put each section on its own, one blank row apart, one header row on top
        starts = g.starts + [len(g.rows)]
        for s, (a, b) in enumerate(zip(starts, starts[1:], strict=False)):
            got, row = put(ws, g, row, 1, names if s == 0 else None, None, range(a, b))
            positions |= got
            row += 1
        ws.column_dimensions["A"].hidden = True
        footer_signatures(ws, row + 1, header)
    wb.save(path)
    return positions


def build_word(form: Form, values, header, path: Path) -> Positions:
    """A Word return: title and header paragraphs, each table typed in a Word table (序号 | 项目 |
    代码 | 单位 | 数值 | 单位 | 数值), the date as a text paragraph at the end."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(
        f"填报单位：{header['unit']}  填报人：{header['person']}  联系电话：{header['phone']}"
    )
    cols = ["seq", "label", "code", "unit", "value", "unit2", "value2"]
    names = {
        "seq": "序号",
        "label": "项目",
        "code": "代码",
        "unit": "单位",
        "value": "数值",
        "unit2": "单位",
        "value2": "数值",
    }
    positions = {}
    for n, table in enumerate(form.tables, start=1):
        doc.add_paragraph(table.title)
        g = grid(table, values, cols)
        wt = doc.add_table(rows=1 + len(g.rows), cols=len(cols))
        wt.style = "Table Grid"
        for c, role in enumerate(cols):
            wt.cell(0, c).text = names[role]
        for r, row in enumerate(g.rows, start=1):
            for c, text in enumerate(row):
                if text is not None:
                    wt.cell(r, c).text = str(text)
        positions |= {key: f"表格{n}第{r + 2}行第{c + 1}列" for key, (r, c) in g.at.items()}
        if table.note:
            doc.add_paragraph(f"注：{table.note}")
    doc.add_paragraph(cn_date(header["date"]))
    doc.save(path)
    return positions


# ---------------------------------------------------------------------------------------------
# xls and ods through LibreOffice.


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


_PROFILE = Path(tempfile.gettempdir()) / f"lo-profile-wenuan-corpus-{Path.cwd().name}"


def convert(source: Path, fmt: str, suffix: str | None = None) -> Path:
    """`source` (xlsx) converted by LibreOffice headless to `fmt` ("xls" or "ods") beside it;
    `suffix` is the file's when `fmt` names a filter ("csv:Text - txt - csv (StarCalc):44,34,76")."""
    exe = soffice()
    if not exe:
        raise RuntimeError("soffice not installed")
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{_PROFILE}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = source.with_suffix(f".{suffix or fmt}")
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out.name}")
    return out


def converted(builder, fmt: str):
    """A builder that writes the xlsx layout as `<stem>.source.xlsx`, then converts it."""

    def build(form: Form, values, header, path: Path) -> Positions:
        source = path.with_name(path.stem + ".source.xlsx")
        positions = builder(form, values, header, source)
        out = convert(source, fmt)
        out.replace(path)
        return positions

    build.__name__ = f"{builder.__name__}_{fmt}"
    build.__doc__ = f"{builder.__doc__.splitlines()[0]} Saved as .{fmt} by LibreOffice."
    return build


def source_of(path: Path) -> Path:
    """The xlsx a converted return was made from (the return itself for xlsx)."""
    src = path.with_name(path.stem + ".source.xlsx")
    return src if src.exists() else path


@dataclass(frozen=True)
class Layout:
    """A layout, the forms it is tried with, and the suffix of the file it writes."""

    build: object
    forms: tuple[str, ...]
    suffix: str = ".xlsx"
    needs_soffice: bool = False


PDS, JZ19, JZ23, EZ, ZZ = (
    "pingdingshan-2010",
    "jiaozuo-2019",
    "jiaozuo-2023",
    "ezhou-2022",
    "zhengzhou-2021",
)

LAYOUTS = {
    "template": Layout(build_template, (PDS, JZ19, JZ23, EZ, ZZ)),
    "near-labels": Layout(build_near_labels, (PDS, JZ19, JZ23)),
    "both-tables-one-sheet": Layout(build_both_tables_one_sheet, (PDS, JZ19)),
    "labels-only": Layout(build_labels_only, (PDS, EZ, ZZ)),
    "unit-in-label": Layout(build_unit_in_label, (JZ23, EZ, JZ19)),
    "code-after-unit": Layout(build_code_after_unit, (PDS, EZ)),
    "prev-year-left": Layout(build_prev_year_left, (ZZ, JZ23, PDS)),
    "continued-sheet": Layout(build_continued_sheet, (PDS, EZ)),
    "side-by-side": Layout(build_side_by_side, (PDS, JZ19)),
    "text-numbers": Layout(build_text_numbers, (ZZ, JZ19)),
    "decorated": Layout(build_decorated, (EZ, ZZ, JZ23)),
    "word": Layout(build_word, (PDS, EZ, JZ23), ".docx"),
    "labels-only-xls": Layout(converted(build_labels_only, "xls"), (PDS,), ".xls", True),
    "both-tables-one-sheet-xls": Layout(
        converted(build_both_tables_one_sheet, "xls"), (JZ19,), ".xls", True
    ),
    "code-after-unit-ods": Layout(converted(build_code_after_unit, "ods"), (EZ,), ".ods", True),
    "decorated-ods": Layout(converted(build_decorated, "ods"), (ZZ,), ".ods", True),
}

# Only for the missing-table test: the forms with two tables.
MISSING = Layout(build_missing_second_table, (PDS, JZ19))
