"""A sixth clerk's layouts, built blind: from the forms, the notices, the README and the reference.

Written without reading the reader. Each `build_<layout>(form, values, header, path) -> positions`
writes one return of `form` holding `values` ("table:ref" -> Decimal) and says where each figure
was typed, as `clerk_fourth` does: "{sheet}!{A1}" in a workbook or a CSV (the sheet is the file's
stem), "表格{n}第{r}行第{c}列" in a Word document (1-based, python-docx's grid). A PDF's places are
its source's (the test maps them through what wenuan read from both).
"""

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import clerk_fourth as c4
import clerk_layouts as cl
from openpyxl.utils import get_column_letter

from wenuan.checking import samples
from wenuan.forms.model import Form, Table

lines, unit, plain_text, cn_date = c4.lines, c4.unit, c4.plain_text, c4.cn_date


def num(table: Table, ref: str, v: Decimal):
    return float(v) if table.cells[ref].decimals else int(v)


def at(ws, r: int, c: int) -> str:
    return f"{ws.title}!{get_column_letter(c)}{r}"


CN_DIGITS = "〇一二三四五六七八九"


def cn_numeral_date(d) -> str:
    """二〇一〇年一月二十八日, as a 公文 is dated."""

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return (
            (CN_DIGITS[tens] if tens > 1 else "")
            + ("十" if tens else "")
            + (CN_DIGITS[ones] if ones or not tens else "")
        )

    return "".join(CN_DIGITS[int(x)] for x in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def stat_rows(ws, table: Table, values, top: int, positions: dict, names, shown=num, note=None):
    """序号 | 项目 | (单位 | 数值)… [| 备注] from row `top`: a row an item, the top items
    numbered 1, 2…; `note(i)` the 备注 text of the i-th row. Returns the next free row."""
    for c, name in enumerate(names, 1):
        ws.cell(top, c, name)
    r, seq = top + 1, 0
    for i, (item, depth, refs) in enumerate(lines(table)):
        if depth == 0:
            seq += 1
        ws.cell(r, 1, seq if depth == 0 else None)
        ws.cell(r, 2, item.label)
        for j, ref in enumerate(refs):
            ws.cell(r, 3 + 2 * j, unit(table, ref))
            ws.cell(r, 4 + 2 * j, shown(table, ref, values[f"{table.id}:{ref}"]))
            positions[f"{table.id}:{ref}"] = at(ws, r, 4 + 2 * j)
        if note and refs and note(i):
            ws.cell(r, len(names), note(i))
        r += 1
    return r


NAMES = ("序号", "项目", "计量单位", "本期数", "计量单位", "本期数")


def build_title_stamp_line(form: Form, values, header, path: Path) -> dict:
    """A sheet a table (附表1, 附表2): the title merged across the table, then one cell merged
    across holding `填报单位：叶县总工会（盖章）` and the day at its right end with no label; 填表人
    and 联系电话 in one cell at the foot; the 项目 column widened to its longest label, the page
    set to print all columns on one page, the table ruled (所有框线)."""
    from openpyxl.styles import Border, Side

    wb, positions = cl.new_book(), {}
    for n, table in enumerate(form.tables, 1):
        ws = wb.create_sheet(f"附表{n}")
        longest = max(len(item.label) for item, _d in table.walk())
        for col, width in zip("ABCDEF", (6, 2 * longest + 4, 9, 10, 9, 10), strict=True):
            ws.column_dimensions[col].width = width
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.cell(1, 1, table.title)
        ws.merge_cells("A1:F1")
        ws.cell(
            2, 1, f"填报单位：{header['unit']}（盖章）　　　　　　　　{cn_date(header['date'])}"
        )
        ws.merge_cells("A2:F2")
        r = stat_rows(ws, table, values, 3, positions, NAMES)
        thin = Side(style="thin")
        for row in ws.iter_rows(min_row=3, max_row=r - 1, max_col=6):
            for cell in row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.cell(r + 1, 1, f"填表人：{header['person']}　　　联系电话：{header['phone']}")
        ws.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=6)
    wb.save(path)
    return positions


REMARKS = ("含上年结转5万元", "其中市总下拨2.5万元", "较上年增加12户", "共3批次，走访18家", "")


def build_beizhu_numbers(form: Form, values, header, path: Path) -> dict:
    """项目 | 单位 | 数值 | 单位 | 数值 | 备注, the 备注 column holding the clerk's notes with numbers
    in them (`含上年结转5万元`, `其中市总下拨2.5万元`, `较上年增加12户`); header fields in cells."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        top = cl.header_cells(ws, 2, header)
        names = (*NAMES, "备注")
        r = stat_rows(ws, table, values, top + 1, positions, names, note=lambda i: REMARKS[i % 5])
        ws.cell(r + 1, 1, "注：备注栏请写明资金来源。")
    wb.save(path)
    return positions


def _return_sheet(ws, form, values, header, positions):
    """Every table of the form on one sheet, one under the other, each under its title; the header
    on one line at the top, the date at the foot."""
    ws.cell(1, 1, form.campaign or form.title)
    ws.cell(2, 1, f"填报单位：{header['unit']}　　填报人：{header['person']}")
    r = 3
    for table in form.tables:
        ws.cell(r, 1, table.title)
        r = stat_rows(ws, table, values, r + 1, positions, NAMES) + 1
    ws.cell(r, 1, f"联系电话：{header['phone']}　　填报日期：{cn_date(header['date'])}")


def last_year(form: Form, values) -> dict:
    """Last year's figures: a consistent set of another seed (the rules held last year too)."""
    return samples.consistent(form, seed=3)


def build_hidden_last_year_sheet(form: Form, values, header, path: Path) -> dict:
    """Last year's workbook reused: its sheet (named for last year, last year's date) kept first and
    hidden, this year's return on a new sheet after it."""
    wb = cl.new_book()
    d = header["date"]
    old = wb.create_sheet(f"{d.year - 1}年")
    _return_sheet(old, form, last_year(form, values), {**header, "date": d.replace(d.year - 1)}, {})
    old.sheet_state = "hidden"
    positions: dict = {}
    _return_sheet(wb.create_sheet(f"{d.year}年"), form, values, header, positions)
    wb.save(path)
    return positions


TOWNS = (("城关镇", "城关镇工会"), ("南庄镇", "南庄镇工会"))


def town_figures(form: Form) -> list[dict]:
    """The two townships' figures (each consistent); the county's total is their sum."""
    return [samples.consistent(form, seed=s) for s in (11, 12)]


def units_total(form: Form) -> dict:
    a, b = town_figures(form)
    return {k: a[k] + b[k] for k in a}


def build_units_total_middle(form: Form, values, header, path: Path) -> dict:
    """A county's workbook: the townships' returns on sheets of their names and the county's total
    on a sheet named 全县合计 between them (the clerk inserted it after the first)."""
    wb = cl.new_book()
    (n1, u1), (n2, u2) = TOWNS
    f1, f2 = town_figures(form)
    _return_sheet(wb.create_sheet(n1), form, f1, {**header, "unit": u1}, {})
    positions: dict = {}
    _return_sheet(wb.create_sheet("全县合计"), form, values, header, positions)
    _return_sheet(wb.create_sheet(n2), form, f2, {**header, "unit": u2}, {})
    wb.save(path)
    return positions


def adding(table: Table, ref: str, v: Decimal):
    """A figure typed as the sum the clerk did in the cell (=900+32, =1.2+2.23)."""
    if v < 2:
        return num(table, ref, v)
    part = (v / 3).quantize(Decimal(1) if not table.cells[ref].decimals else Decimal("0.01"))
    return f"={part}+{v - part}"


def _retyped(form: Form, values, header, path: Path, shown) -> dict:
    """The template's columns retyped, a sheet a table, each figure as `shown` types it."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        top = cl.header_cells(ws, 2, header)
        stat_rows(ws, table, values, top + 1, positions, NAMES, shown=shown)
    wb.save(path)
    return positions


def build_adding_formulas(form: Form, values, header, path: Path) -> dict:
    """Each figure typed as the addition the clerk did in the cell (=900+32: the townships'
    figures added as they were phoned in); saved by LibreOffice, so each cell has its value."""
    return _retyped(form, values, header, path, adding)


def _stamp_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (160, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, 156, 156), outline=(220, 0, 0, 255), width=6)
    draw.polygon([(80, 50), (92, 85), (128, 85), (98, 105), (110, 140), (80, 118)], (220, 0, 0))
    img.save(path)
    return path


def build_stamp_image(form: Form, values, header, path: Path) -> dict:
    """The unit's red seal pasted as a picture over the 填报单位 line and the date at the foot (the
    clerk scanned the stamp once and pastes it into every return)."""
    from openpyxl.drawing.image import Image

    wb, positions = cl.new_book(), {}
    png = _stamp_png(path.with_name(path.stem + "-stamp.png"))
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        ws.cell(2, 1, f"填报单位（盖章）：{header['unit']}")
        ws.add_image(Image(str(png)), "C2")
        r = stat_rows(ws, table, values, 3, positions, NAMES)
        ws.cell(r + 1, 1, f"填表人：{header['person']}　联系电话：{header['phone']}")
        ws.cell(r + 2, 1, "填报日期：")
        d = header["date"]
        ws.cell(r + 2, 2, datetime(d.year, d.month, d.day)).number_format = "yyyy年m月d日"
        ws.add_image(Image(str(png)), f"B{r + 1}")
    wb.save(path)
    return positions


def build_units_header_line(form: Form, values, header, path: Path) -> dict:
    """No unit column: the units listed once in the header line (`单位：户、人、个、人次、万元`) at
    the right of the 填报单位 line; 序号 | 项目 | 数量, a row an item."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        ws.cell(2, 1, f"填报单位：{header['unit']}")
        units = dict.fromkeys(c.unit for c in table.cells.values())
        ws.cell(2, 3, "单位：" + "、".join(units))
        for c, name in enumerate(("序号", "项目", "数量"), 1):
            ws.cell(3, c, name)
        r = 4
        for item, depth, refs in lines(table):
            assert len(refs) <= 1, "a form of one figure an item"
            ws.cell(r, 1, item.seq if depth == 0 else None)
            ws.cell(r, 2, item.label)
            for ref in refs:
                ws.cell(r, 3, num(table, ref, values[f"{table.id}:{ref}"]))
                positions[f"{table.id}:{ref}"] = at(ws, r, 3)
            r += 1
        ws.cell(r + 1, 1, f"填表人：{header['person']}　联系电话：{header['phone']}")
        ws.cell(r + 2, 1, f"填报日期：{cn_date(header['date'])}")
    wb.save(path)
    return positions


def build_date_dotted_foot(form: Form, values, header, path: Path) -> dict:
    """The 填报单位 line on top; at the foot a signature row (单位负责人 | 审核人 | 填表人 | 联系电话)
    and the day alone on the last line, typed `2019.1.14`, at the right."""
    wb, positions = cl.new_book(), {}
    d = header["date"]
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        ws.cell(2, 1, f"填报单位：{header['unit']}")
        r = stat_rows(ws, table, values, 3, positions, NAMES)
        ws.cell(r + 1, 1, "单位负责人：")
        ws.cell(r + 1, 2, "审核人：")
        ws.cell(r + 1, 3, f"填表人：{header['person']}")
        ws.cell(r + 1, 5, f"联系电话：{header['phone']}")
        ws.cell(r + 2, 5, f"{d.year}.{d.month}.{d.day}")
    wb.save(path)
    return positions


def build_unit_after_value(form: Form, values, header, path: Path) -> dict:
    """项目 | 数值 | 单位 | 数值 | 单位: the unit after each figure, as the notice prints `____人`;
    no 序号, no codes; header in cells above."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        top = cl.header_cells(ws, 2, header)
        for c, name in enumerate(("项目", "数值", "单位", "数值", "单位"), 1):
            ws.cell(top + 1, c, name)
        r = top + 2
        for item, _depth, refs in lines(table):
            ws.cell(r, 1, item.label)
            for j, ref in enumerate(refs):
                ws.cell(r, 2 + 2 * j, num(table, ref, values[f"{table.id}:{ref}"]))
                ws.cell(r, 3 + 2 * j, unit(table, ref))
                positions[f"{table.id}:{ref}"] = at(ws, r, 2 + 2 * j)
            r += 1
    wb.save(path)
    return positions


def build_merged_equal_figures(form: Form, values, header, path: Path) -> dict:
    """The template's columns retyped, and where an item and its sub-item hold the same figure
    (E and E1 both 758 户) the clerk merged the two 数值 cells into one showing it once."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        top = cl.header_cells(ws, 2, header)
        r = stat_rows(ws, table, values, top + 1, positions, NAMES)
        for rule in table.rules:
            refs = [str(x) for x in rule.parsed.refs()]
            if rule.parsed.op == "=" and len(refs) == 2:
                a, b = sorted(
                    (positions[f"{table.id}:{x}"].split("!")[1] for x in refs),
                    key=lambda c: int(c[1:]),
                )
                if values[f"{table.id}:{refs[0]}"] == values[f"{table.id}:{refs[1]}"]:
                    if a[0] == b[0] and abs(int(a[1:]) - int(b[1:])) == 1:
                        ws.merge_cells(f"{a}:{b}")
        ws.cell(r + 1, 1, "填报日期：" + cn_date(header["date"]))
    wb.save(path)
    return positions


def area_parts(table: Table, ref: str, v: Decimal) -> tuple:
    """A figure split between 城区 and 乡镇 (about a third in town), as numbers."""
    step = Decimal("0.01") if table.cells[ref].decimals else Decimal(1)
    town = (v / 3).quantize(step)
    return num(table, ref, town), num(table, ref, v - town)


def build_area_columns(form: Form, values, header, path: Path) -> dict:
    """序号 | 项目 | 单位 | 城区 | 乡镇 | 合计: the county's figures kept by area and added up in the
    合计 column (the return's figure); a row a figure, a two-figure item's label on both rows."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        top = cl.header_cells(ws, 2, header) + 1
        for c, name in enumerate(("序号", "项目", "单位", "城区", "乡镇", "合计"), 1):
            ws.cell(top, c, name)
        r, seq = top + 1, 0
        for item, depth, refs in lines(table):
            seq += depth == 0
            if not refs:
                ws.cell(r, 1, seq if depth == 0 else None)
                ws.cell(r, 2, item.label)
                r += 1
            for j, ref in enumerate(refs):
                v = values[f"{table.id}:{ref}"]
                ws.cell(r, 1, seq if depth == 0 and j == 0 else None)
                ws.cell(r, 2, item.label)
                ws.cell(r, 3, unit(table, ref))
                a, b = area_parts(table, ref, v)
                ws.cell(r, 4, a)
                ws.cell(r, 5, b)
                ws.cell(r, 6, num(table, ref, v))
                positions[f"{table.id}:{ref}"] = at(ws, r, 6)
                r += 1
    wb.save(path)
    return positions


def wu(table: Table, ref: str, v: Decimal):
    """A figure as typed by a clerk who writes 无 for nothing."""
    return "无" if v == 0 else num(table, ref, v)


def build_wu_for_zero(form: Form, values, header, path: Path) -> dict:
    """The template's columns retyped, each figure 0 typed as 无 (nothing to report)."""
    return _retyped(form, values, header, path, wu)


def build_header_right_slash_date(form: Form, values, header, path: Path) -> dict:
    """填报单位 at the left of the line under the title and `填报日期：2022/1/24` typed as text in
    the table's last column of that line, as a clerk right-aligns it; 填表人 and phone at the foot."""
    wb, positions = cl.new_book(), {}
    d = header["date"]
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        ws.cell(1, 1, table.title)
        ws.cell(2, 1, "填报单位：")
        ws.cell(2, 2, header["unit"])
        ws.cell(2, 6, f"填报日期：{d.year}/{d.month}/{d.day}")
        r = stat_rows(ws, table, values, 3, positions, NAMES)
        ws.cell(r, 1, f"填表人：{header['person']}")
        ws.cell(r, 4, f"联系电话：{header['phone']}")
    wb.save(path)
    return positions


# --- Word --------------------------------------------------------------------------------------


def _word_table(container, table, values, n, positions):
    rows = list(lines(table))
    wt = container.add_table(rows=1 + len(rows), cols=5)
    wt.style = "Table Grid"
    for c, name in enumerate(("项目", "计量单位", "数量", "计量单位", "数量")):
        wt.cell(0, c).text = name
    c4._fill_stats(wt, table, values, n, positions, 1)
    return wt


def build_word_cn_date(form: Form, values, header, path: Path) -> dict:
    """A Word return signed off as a 公文 is: 填表人 and phone, then `（盖章）` and the day in
    Chinese numerals (二〇一〇年一月二十八日) on the last two lines, right-aligned."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(f"填报单位：{header['unit']}")
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        _word_table(doc, table, values, n, positions)
    doc.add_paragraph(f"填表人：{header['person']}　　联系电话：{header['phone']}")
    for text in ("（盖章）", cn_numeral_date(header["date"])):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return positions


def build_word_whole_in_table(form: Form, values, header, path: Path) -> dict:
    """Each table a Word table holding the whole return: its first row the title merged across,
    the second 填报单位 and the day merged across, then the column header, the items, and a last
    row merged across with 填表人 and phone."""
    import docx

    doc = docx.Document()
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        rows = list(lines(table))
        wt = doc.add_table(rows=4 + len(rows), cols=5)
        wt.style = "Table Grid"
        last = 3 + len(rows)
        for r, text in (
            (0, table.title),
            (1, f"填报单位：{header['unit']}　　　　填报日期：{cn_date(header['date'])}"),
            (last, f"填表人：{header['person']}　　联系电话：{header['phone']}"),
        ):
            wt.cell(r, 0).merge(wt.cell(r, 4)).text = text
        for c, name in enumerate(("项目", "计量单位", "数量", "计量单位", "数量")):
            wt.cell(2, c).text = name
        c4._fill_stats(wt, table, values, n, positions, 3)
        doc.add_paragraph("")
    doc.save(path)
    return positions


def build_word_page_header(form: Form, values, header, path: Path) -> dict:
    """填报单位 and 填报人 in the page header (页眉), so that each page carries them, and the day
    typed `2019.1.14` in the page footer (页脚) after 联系电话; the body holds only the tables
    under their titles."""
    import docx

    doc = docx.Document()
    section = doc.sections[0]
    d = header["date"]
    section.header.paragraphs[
        0
    ].text = f"填报单位：{header['unit']}　　　　填报人：{header['person']}"
    section.footer.paragraphs[0].text = f"联系电话：{header['phone']}　　{d.year}.{d.month}.{d.day}"
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        _word_table(doc, table, values, n, positions)
    doc.save(path)
    return positions


_TEXTBOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape id="box{n}" type="#_x0000_t202" style="width:450pt;height:600pt">'
    "<v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict></w:r>"
)


def build_word_textbox(form: Form, values, header, path: Path) -> dict:
    """The clerk laid the page out in WPS with a text box: the title, 填报单位 and each table are
    inside a text box (a v:textbox), the date in the body under it."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    positions: dict = {}
    holder = doc.add_paragraph()
    for n, table in enumerate(form.tables, 1):
        run = parse_xml(_TEXTBOX.format(n=n))
        holder._p.append(run)
        box = run.find(".//" + qn("w:txbxContent"))
        for text in (table.title, f"填报单位：{header['unit']}　　填报人：{header['person']}"):
            p = doc.add_paragraph(text)
            box.append(p._p)
        wt = _word_table(doc, table, values, n, positions)
        box.append(wt._tbl)
        box.append(doc.add_paragraph("")._p)
    doc.add_paragraph(f"联系电话：{header['phone']}　　填报日期：{cn_date(header['date'])}")
    doc.save(path)
    return positions


UNDERSCORE = "＿＿"


def blank_sentence(table: Table, item, values) -> tuple[str, list[str]]:
    """The notice's sentence with each blank's underline kept around the figure typed in it (WPS
    underlines the blank; the clerk types between the underscores): `当地职工总数＿＿932＿＿人；`."""
    refs = cl.refs_of(table, item.code)
    figures = [plain_text(table, r, values[f"{table.id}:{r}"]) for r in refs]
    vals = item.all_values
    first = vals[0].label or ""
    text = item.label + ("" if item.label.endswith(first) else first)
    text += f"{UNDERSCORE}{figures[0]}{UNDERSCORE}{unit(table, refs[0])}"
    for ref, fig, value in zip(refs[1:], figures[1:], vals[1:], strict=True):
        text += f"，{value.label or ''}{UNDERSCORE}{fig}{UNDERSCORE}{unit(table, ref)}"
    return text + "；", refs


def build_notice_underscores(form: Form, values, header, path: Path) -> dict:
    """The notice's own form filled in WPS: a 3-column table a table (seq | （A） | sentence), each
    figure typed between the blank's full-width underscores."""
    import docx

    doc = docx.Document()
    positions: dict = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        doc.add_paragraph(f"填报单位：{header['unit']}　　填报人：{header['person']}")
        wt = doc.add_table(rows=0, cols=3)
        for r, (item, _d, refs) in enumerate(lines(table), 1):
            row = wt.add_row().cells
            row[0].text = item.seq or ""
            letter = item.code[-1] if item.code[-1].isalpha() else ""
            row[1].text = f"（{letter}）" if letter else ""
            if refs:
                row[2].text, _ = blank_sentence(table, item, values)
                for j, ref in enumerate(refs):
                    blank = f"第{j + 1}空" if j else ""
                    positions[f"{table.id}:{ref}"] = f"表格{n}第{r}行第3列" + blank
            else:
                row[2].text = item.label
    doc.add_paragraph(f"联系电话：{header['phone']}")
    doc.add_paragraph(cn_date(header["date"]))
    doc.save(path)
    return positions


def build_running_text(form: Form, values, header, path: Path) -> dict:
    """The first table written as the notice's sentences in running paragraphs (no table): a
    report's body, `当地职工总数932人；当地困难职工总数697人；…`; any other table as a Word table."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(f"{header['unit']}送温暖活动开展情况")
    doc.add_paragraph(f"填报单位：{header['unit']}")
    positions: dict = {}
    first = form.tables[0]
    text = ""
    for item, _d, refs in lines(first):
        if refs:
            sentence, _ = blank_sentence(first, item, values)
            text += sentence.replace(UNDERSCORE, "")
            for ref in refs:
                positions[f"{first.id}:{ref}"] = "正文"
    doc.add_paragraph(first.title + "：" + text)
    for n, table in enumerate(form.tables[1:], 1):
        doc.add_paragraph(table.title)
        _word_table(doc, table, values, n, positions)
    doc.add_paragraph(cn_date(header["date"]))
    doc.save(path)
    return positions


# --- CSV, and files made by LibreOffice ----------------------------------------------------------


def thousands(table: Table, ref: str, v: Decimal) -> str:
    return f"{v:,.{table.cells[ref].decimals}f}"


def build_csv_gbk_tab(form: Form, values, header, path: Path) -> dict:
    """A sheet exported from WPS as 文本文件（制表符分隔）: GBK, tabs, every table one under the
    other, the figures as shown (thousands separators, 2 decimals for 万元)."""
    rows = [
        [form.campaign or form.title],
        [f"填报单位：{header['unit']}", "", "", f"填报人：{header['person']}"],
    ]
    positions: dict = {}
    for table in form.tables:
        rows += [[table.title], list(NAMES)]
        for item, depth, refs in lines(table):
            row = [item.seq if depth == 0 and item.seq else "", item.label]
            for ref in refs:
                positions[f"{table.id}:{ref}"] = (
                    f"{path.stem}!{get_column_letter(len(row) + 2)}{len(rows) + 1}"
                )
                row += [unit(table, ref), thousands(table, ref, values[f"{table.id}:{ref}"])]
            rows.append(row)
        rows.append([])
    rows.append([f"联系电话：{header['phone']}", "", "", f"填报日期：{cn_date(header['date'])}"])
    with path.open("w", encoding="gbk", newline="") as out:
        csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return positions


def made_by_office(builder, fmt: str):
    """A builder whose file is saved by LibreOffice as `fmt` (xls, ods, pdf); the source beside it
    as `<stem>.source.<ext>` (a PDF's places are its source's)."""

    def build(form: Form, values, header, path: Path) -> dict:
        ext = ".docx" if "word" in builder.__name__ else ".xlsx"
        source = path.with_name(path.stem + ".source" + ext)
        positions = builder(form, values, header, source)
        cl.convert(source, fmt).replace(path)
        return positions

    build.__name__ = f"{builder.__name__}_{fmt}"
    return build


def source_of(path: Path) -> Path | None:
    """The file a LibreOffice-made return was made from."""
    found = sorted(path.parent.glob(path.stem + ".source.*"))
    return found[0] if found else None
