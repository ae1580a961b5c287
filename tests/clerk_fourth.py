"""A fourth clerk's layouts: Word returns as offices make them, and WPS habits, built for the tests.

Written from the forms, the template and the README only (not from the reader), each builder
`build_<layout>(form, values, header, path) -> positions` writes one return of `form` holding
`values` ("table:ref" -> Decimal) and says where each figure was typed, as `clerk_layouts` does:
"{sheet}!{A1}" in a workbook, "表格{n}第{r}行第{c}列" in a Word document (1-based, python-docx's
grid; n counts the document's tables in order, a table nested in a cell after the one holding it).
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import clerk_layouts as cl

from wenuan.forms.model import Form, Table


def lines(table: Table):
    """(item, depth, refs) in printed order; refs empty for a heading with no figure."""
    for item, depth in table.walk():
        yield item, depth, cl.refs_of(table, item.code)


def unit(table: Table, ref: str) -> str:
    return table.cells[ref].unit


def plain_text(table: Table, ref: str, v: Decimal) -> str:
    """The figure as a clerk types it in Word: 3.50 as 3.5, 12 as 12."""
    if table.cells[ref].decimals:
        text = f"{v:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(int(v))


def cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _fill_stats(wt, table: Table, values, n: int, positions: dict, first_row: int = 1) -> None:
    """项目 | 单位 | 数值 | 单位 | 数值 rows from `first_row` (0-based) of a Word table."""
    for i, (item, depth, refs) in enumerate(lines(table)):
        r = first_row + i
        wt.cell(r, 0).text = ("　" * depth) + item.label
        for j, ref in enumerate(refs):
            wt.cell(r, 1 + 2 * j).text = unit(table, ref)
            wt.cell(r, 2 + 2 * j).text = plain_text(table, ref, values[f"{table.id}:{ref}"])
            positions[f"{table.id}:{ref}"] = f"表格{n}第{r + 1}行第{3 + 2 * j}列"


def _stats_table(container, table: Table, values, n: int, positions: dict):
    rows = list(lines(table))
    wt = container.add_table(rows=1 + len(rows), cols=5)
    wt.style = "Table Grid"
    for c, name in enumerate(("项目", "单位", "数值", "单位", "数值")):
        wt.cell(0, c).text = name
    _fill_stats(wt, table, values, n, positions)
    return wt


def build_word_nested_frame(form: Form, values, header, path: Path) -> dict:
    """The whole return inside a one-cell frame table (an office's bordered 公文 box): the title,
    填报单位 and each statistics table nested in that cell; the date under the frame."""
    import docx

    doc = docx.Document()
    frame = doc.add_table(rows=1, cols=1)
    frame.style = "Table Grid"
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = form.campaign or form.title
    cell.add_paragraph(f"填报单位：{header['unit']}　　填报人：{header['person']}")
    positions: dict = {}
    for n, table in enumerate(form.tables, 2):
        cell.add_paragraph(table.title)
        _stats_table(cell, table, values, n, positions)
        cell.add_paragraph("")
    doc.add_paragraph(f"联系电话：{header['phone']}　　填报日期：{cn_date(header['date'])}")
    doc.save(path)
    return positions


def build_word_header_table(form: Form, values, header, path: Path) -> dict:
    """The header fields in a one-row table above the statistics (填报单位 | … | 填报日期 | …),
    then each table's title and its table (项目 | 代码 | 计量单位 | 数值 | 计量单位 | 数值)."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    ht = doc.add_table(rows=1, cols=8)
    ht.style = "Table Grid"
    for c, text in enumerate(
        (
            "填报单位",
            header["unit"],
            "填报人",
            header["person"],
            "联系电话",
            header["phone"],
            "填报日期",
            cn_date(header["date"]),
        )
    ):
        ht.cell(0, c).text = text
    positions: dict = {}
    for n, table in enumerate(form.tables, 2):
        doc.add_paragraph(table.title)
        rows = list(lines(table))
        wt = doc.add_table(rows=1 + len(rows), cols=6)
        wt.style = "Table Grid"
        for c, name in enumerate(("项目", "代码", "计量单位", "数值", "计量单位", "数值")):
            wt.cell(0, c).text = name
        for i, (item, _depth, refs) in enumerate(rows, 1):
            wt.cell(i, 0).text = item.label
            wt.cell(i, 1).text = item.code
            for j, ref in enumerate(refs):
                wt.cell(i, 2 + 2 * j).text = unit(table, ref)
                wt.cell(i, 3 + 2 * j).text = plain_text(table, ref, values[f"{table.id}:{ref}"])
                positions[f"{table.id}:{ref}"] = f"表格{n}第{i + 1}行第{4 + 2 * j}列"
    doc.save(path)
    return positions


def build_word_back_to_back(form: Form, values, header, path: Path) -> dict:
    """No document title: 填报单位 on the first line, then the tables one after the other with only
    a paragraph of the table's title between them (项目 | 单位 | 数值 | 单位 | 数值, sub-items
    indented with full-width spaces); 填表人, phone and date on the last line."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(f"填报单位（盖章）：{header['unit']}")
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        _stats_table(doc, table, values, n, positions)
    doc.add_paragraph(
        f"填表人：{header['person']}　联系电话：{header['phone']}　{cn_date(header['date'])}"
    )
    doc.save(path)
    return positions


def build_word_merged_units(form: Form, values, header, path: Path) -> dict:
    """序号 | 项目 | 数值 | 备注, a row a figure: an item of two figures takes two rows with its
    项目 cell merged down over both, and each figure carries its unit typed in the cell
    (`12人次`, `3.5万元`); the header as paragraphs above."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(f"填报单位：{header['unit']}")
    doc.add_paragraph(f"填报人：{header['person']}　　联系电话：{header['phone']}")
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        plan = []  # (seq, label, ref or None, first row of the item, rows of the item)
        seq = 0
        for item, depth, refs in lines(table):
            if depth == 0:
                seq += 1
            for j, ref in enumerate(refs or [None]):
                plan.append((str(seq) if depth == 0 and j == 0 else "", item.label, ref, j, refs))
        wt = doc.add_table(rows=1 + len(plan), cols=4)
        wt.style = "Table Grid"
        for c, name in enumerate(("序号", "项目", "数值", "备注")):
            wt.cell(0, c).text = name
        for i, (s, label, ref, j, _refs) in enumerate(plan, 1):
            wt.cell(i, 0).text = s
            if j == 0:
                wt.cell(i, 1).text = label
            if ref:
                v = values[f"{table.id}:{ref}"]
                wt.cell(i, 2).text = plain_text(table, ref, v) + unit(table, ref)
                positions[f"{table.id}:{ref}"] = f"表格{n}第{i + 1}行第3列"
            if j == 1:
                wt.cell(i - 1, 1).merge(wt.cell(i, 1))
                wt.cell(i - 1, 0).merge(wt.cell(i, 0))
    doc.add_paragraph(f"填报日期：{cn_date(header['date'])}")
    doc.save(path)
    return positions


def build_word_title_unit(form: Form, values, header, path: Path) -> dict:
    """A report, not a form: `叶县总工会关于…送温暖…情况的报告` is the only place the unit is named,
    a sentence, then each table under its title; the person and phone, and the date, at the end."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(f"{header['unit']}关于{form.campaign or form.title}开展情况的报告")
    doc.add_paragraph("市总工会：")
    doc.add_paragraph("根据通知要求，现将我单位送温暖活动开展情况统计如下：")
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(f"附表{n}：{table.title}")
        _stats_table(doc, table, values, n, positions)
    doc.add_paragraph(f"填表人：{header['person']}　　联系电话：{header['phone']}")
    doc.add_paragraph(cn_date(header["date"]))
    doc.save(path)
    return positions


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def build_word_split_pages(form: Form, values, header, path: Path) -> dict:
    """Each table over two pages: its header row set to repeat on each page, and the clerk, to be
    sure, typed the header row again where the second page begins (a page break before it)."""
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(
        f"填报单位：{header['unit']}　填报人：{header['person']}　联系电话：{header['phone']}"
    )
    positions: dict = {}
    names = ("项目", "单位", "数值", "单位", "数值")
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        rows = list(lines(table))
        half = (len(rows) + 1) // 2
        wt = doc.add_table(rows=2 + len(rows), cols=5)
        wt.style = "Table Grid"
        _repeat_header(wt.rows[0])
        for c, name in enumerate(names):
            wt.cell(0, c).text = name
            wt.cell(1 + half, c).text = name
        wt.cell(1 + half, 0).paragraphs[0].runs[0].add_break(WD_BREAK.PAGE)
        for i, (item, _depth, refs) in enumerate(rows):
            r = 1 + i if i < half else 2 + i
            wt.cell(r, 0).text = item.label
            for j, ref in enumerate(refs):
                wt.cell(r, 1 + 2 * j).text = unit(table, ref)
                wt.cell(r, 2 + 2 * j).text = plain_text(table, ref, values[f"{table.id}:{ref}"])
                positions[f"{table.id}:{ref}"] = f"表格{n}第{r + 1}行第{3 + 2 * j}列"
    doc.add_paragraph(f"填报日期：{cn_date(header['date'])}")
    doc.save(path)
    return positions


def build_word_landscape(form: Form, values, header, path: Path) -> dict:
    """A portrait first page (title, header), then a landscape section for the wide tables:
    序号 | 项目 | 代码 | 单位 | 本年数 | 上年同期 | 增减（%） | 备注, a row a figure."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(f"填报单位：{header['unit']}")
    doc.add_paragraph(f"填报人：{header['person']}　　联系电话：{header['phone']}")
    doc.add_paragraph(f"填报日期：{cn_date(header['date'])}")
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        plan = [
            (item, ref, k, j)
            for k, (item, _d, refs) in enumerate(lines(table))
            for j, ref in enumerate(refs or [None])
        ]
        wt = doc.add_table(rows=1 + len(plan), cols=8)
        wt.style = "Table Grid"
        for c, name in enumerate(
            ("序号", "项目", "代码", "单位", "本年数", "上年同期", "增减（%）", "备注")
        ):
            wt.cell(0, c).text = name
        for i, (item, ref, k, j) in enumerate(plan, 1):
            wt.cell(i, 0).text = str(k + 1) if j == 0 else ""
            wt.cell(i, 1).text = item.label
            wt.cell(i, 2).text = item.code if j == 0 else ""
            if ref:
                v = values[f"{table.id}:{ref}"]
                prev = cl.previous_year(table, ref, v)
                wt.cell(i, 3).text = unit(table, ref)
                wt.cell(i, 4).text = plain_text(table, ref, v)
                wt.cell(i, 5).text = str(prev)
                if prev:
                    wt.cell(i, 6).text = f"{(float(v) / float(prev) - 1) * 100:.1f}"
                positions[f"{table.id}:{ref}"] = f"表格{n}第{i + 1}行第5列"
    doc.save(path)
    return positions


def round_trip(builder):
    """A Word builder whose .docx is saved as .doc by LibreOffice and back to .docx (as a clerk
    whose office still keeps .doc does)."""

    def build(form: Form, values, header, path: Path) -> dict:
        work = path.parent / f"{path.stem}-rt"
        work.mkdir(exist_ok=True)
        source = work / "return.docx"
        positions = builder(form, values, header, source)
        doc = cl.convert(source, "doc")
        source.unlink()
        cl.convert(doc, "docx").replace(path)
        return positions

    build.__name__ = builder.__name__ + "_round_trip"
    return build


def as_doc(builder):
    """A Word builder whose .docx is saved as .doc by LibreOffice (the .doc is the return)."""

    def build(form: Form, values, header, path: Path) -> dict:
        source = path.with_name(path.stem + ".source.docx")
        positions = builder(form, values, header, source)
        cl.convert(source, "doc").replace(path)
        return positions

    build.__name__ = builder.__name__ + "_doc"
    return build


# --- WPS habits ---------------------------------------------------------------------------------


def _sums(table: Table, values):
    """{total ref: [part refs]} for the table's sum identities that hold in `values` (the clerk
    lets =SUM() make a total only where it agrees with what he means to send)."""
    out = {}
    for rule in table.rules:
        if rule.kind != "identity" or rule.parsed.op != "=":
            continue
        refs = [str(r) for r in rule.parsed.refs()]
        total, parts = refs[0], refs[1:]
        if all(r in table.cells for r in refs) and values[f"{table.id}:{total}"] == sum(
            values[f"{table.id}:{r}"] for r in parts
        ):
            out.setdefault(total, parts)
    return out


def build_sheet1_no_titles(form: Form, values, header, path: Path) -> dict:
    """WPS's Sheet1 holding every table: 填报单位 on top, then for each table only its column header
    (序号 | 项目 | 单位 | 数值 | 单位 | 数值) and its rows, one blank row between the tables, no
    titles; each total a =SUM() of its parts' cells where they add up; the signature at the foot."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.cell(1, 1, f"填报单位：{header['unit']}")
    positions: dict = {}
    r = 2
    for t, table in enumerate(form.tables):
        if t:
            r += 1  # one blank row
        for c, name in enumerate(("序号", "项目", "单位", "数值", "单位", "数值"), 1):
            ws.cell(r, c, name)
        r += 1
        where: dict = {}
        for k, (item, _depth, refs) in enumerate(lines(table), 1):
            ws.cell(r, 1, k)
            ws.cell(r, 2, item.label)
            for j, ref in enumerate(refs):
                ws.cell(r, 3 + 2 * j, unit(table, ref))
                v = values[f"{table.id}:{ref}"]
                ws.cell(r, 4 + 2 * j, float(v) if table.cells[ref].decimals else int(v))
                where[ref] = f"{get_column_letter(4 + 2 * j)}{r}"
                positions[f"{table.id}:{ref}"] = f"Sheet1!{where[ref]}"
            r += 1
        for total, parts in _sums(table, values).items():
            cell = ws[where[total]]
            cell.value = "=SUM(" + ",".join(where[p] for p in parts) + ")"
    r += 1
    ws.cell(r, 1, f"填表人：{header['person']}")
    ws.cell(r, 4, f"联系电话：{header['phone']}")
    d = header["date"]
    ws.cell(r + 1, 1, "填报日期：")
    ws.cell(r + 1, 2, datetime(d.year, d.month, d.day)).number_format = "yyyy/m/d"
    wb.save(path)
    return positions


THOUSANDS = "，"


def wps_text(table: Table, ref: str, v: Decimal, i: int) -> str:
    """A figure typed into a cell formatted as text, the ways WPS users leave them: a leading
    space, a trailing `.`, a Chinese comma between thousands (`1，234`), a trailing space after a
    two-decimal amount (`12.50 `)."""
    cell = table.cells[ref]
    text = f"{v:.{cell.decimals}f}" if cell.decimals else str(int(v))
    whole, _, frac = text.partition(".")
    if abs(v) >= 1000 and i % 2 == 0:
        digits = whole.lstrip("-")
        groups = []
        while len(digits) > 3:
            groups.insert(0, digits[-3:])
            digits = digits[:-3]
        whole = ("-" if whole.startswith("-") else "") + THOUSANDS.join([digits, *groups])
        return whole + (f".{frac}" if frac else "")
    if cell.decimals:
        return text + " " if i % 3 else " " + text
    return text + "." if i % 3 == 1 else " " + text


def build_wps_text_figures(form: Form, values, header, path: Path) -> dict:
    """A sheet a table (WPS names: 表1, 表2), every figure typed in a cell formatted as text
    (`wps_text`), and a 备注 column of percentages (`占比35.2%`, `同比增长8%`)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    positions: dict = {}
    i = 0
    for t, table in enumerate(form.tables, 1):
        ws = wb.create_sheet(f"表{t}")
        ws.cell(1, 1, table.title)
        ws.cell(2, 1, f"填报单位：{header['unit']}")
        ws.cell(2, 4, f"填报人：{header['person']}")
        for c, name in enumerate(("项目", "计量单位", "数值", "计量单位", "数值", "备注"), 1):
            ws.cell(3, c, name)
        r = 4
        for item, _depth, refs in lines(table):
            ws.cell(r, 1, item.label)
            for j, ref in enumerate(refs):
                i += 1
                ws.cell(r, 2 + 2 * j, unit(table, ref))
                c = ws.cell(r, 3 + 2 * j, wps_text(table, ref, values[f"{table.id}:{ref}"], i))
                c.number_format = "@"
                positions[f"{table.id}:{ref}"] = f"{ws.title}!{get_column_letter(3 + 2 * j)}{r}"
            if refs and i % 4 == 1:
                ws.cell(r, 6, f"占比{30 + i % 17}.{i % 10}%")
            elif refs and i % 4 == 3:
                ws.cell(r, 6, f"同比增长{i % 9 + 1}%")
            r += 1
        ws.cell(r + 1, 1, f"联系电话：{header['phone']}")
        ws.cell(r + 1, 4, f"填报日期：{cn_date(header['date'])}")
    wb.save(path)
    return positions
