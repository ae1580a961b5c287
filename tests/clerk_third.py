"""A third clerk's layouts: returns retyped the way county offices do, built for the tests.

Written from the forms, the template and the README only (not from the reader), each builder
`build_<layout>(form, values, header, path) -> positions` writes one return of `form` holding
`values` ("table:ref" -> Decimal) and says where each figure was typed, as `clerk_layouts` does:
"{sheet}!{A1}" in a workbook (a copy converted by LibreOffice keeps the xlsx's sheets and cells),
"表格{n}第{r}行第{c}列" in a Word document (1-based, python-docx's grid).
"""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import clerk_layouts as cl

from wenuan.forms.model import Form, Table

CN = "一二三四五六七八九十"


def lines(table: Table):
    """(item, depth, refs) in printed order; refs empty for a heading with no figure."""
    for item, depth in table.walk():
        yield item, depth, cl.refs_of(table, item.code)


def num(table: Table, ref: str, v: Decimal):
    """A figure as a number cell: a float for 万元, an int for counts."""
    return float(v) if table.cells[ref].decimals else int(v)


def unit(table: Table, ref: str) -> str:
    return table.cells[ref].unit


class Sheet:
    """A worksheet and the places its figures were typed."""

    def __init__(self, wb, name: str, positions: dict):
        self.ws = wb.create_sheet(name)
        self.positions = positions

    def put(self, r: int, c: int, text, merge_to: tuple[int, int] | None = None):
        if text is not None:
            self.ws.cell(r, c, text)
        if merge_to:
            self.ws.merge_cells(
                start_row=r, start_column=c, end_row=merge_to[0], end_column=merge_to[1]
            )

    def fig(self, r: int, c: int, table: Table, ref: str, values, shown=None):
        from openpyxl.utils import get_column_letter

        v = values[f"{table.id}:{ref}"]
        self.ws.cell(r, c, num(table, ref, v) if shown is None else shown(table, ref, v))
        self.positions[f"{table.id}:{ref}"] = f"{self.ws.title}!{get_column_letter(c)}{r}"


def title_row(s: Sheet, r: int, text: str, width: int) -> int:
    from openpyxl.styles import Alignment, Font

    s.put(r, 1, text, (r, width))
    s.ws.cell(r, 1).alignment = Alignment(horizontal="center")
    s.ws.cell(r, 1).font = Font(size=16, bold=True)
    return r + 1


def footer(s: Sheet, r: int, header) -> int:
    """单位负责人 | 填表人 | 联系电话 on one row, the date as a date cell under it."""
    d = header["date"]
    s.put(r, 1, "单位负责人：")
    s.put(r, 3, f"填表人：{header['person']}")
    s.put(r, 5, f"联系电话：{header['phone']}")
    s.put(r + 1, 1, "填报日期：")
    s.ws.cell(r + 1, 2, datetime(d.year, d.month, d.day)).number_format = "yyyy年m月d日"
    return r + 2


def header_row(s: Sheet, r: int, header) -> int:
    s.put(r, 1, f"填报单位（盖章）：{header['unit']}")
    return r + 1


def heading(s: Sheet, table, header, names: tuple[str, ...], width: int | None = None) -> int:
    """The title across the table, 填报单位 under it, then the column names: the first item's row."""
    r = header_row(s, title_row(s, 1, table.title, width or len(names)), header)
    for c, name in enumerate(names, 1):
        s.put(r, c, name)
    return r + 1


# ---------------------------------------------------------------------------------------------
# The layouts.


def seq_label(depth: int, counters: list[int]) -> str | None:
    """一、 at the top, （一） under it, 1. under that (the 序号 a clerk types)."""
    n = counters[depth]
    if depth == 0:
        return f"{CN[(n - 1) % 10]}、"
    if depth == 1:
        return f"（{CN[(n - 1) % 10]}）"
    return f"{n}."


def build_seq_multilevel(form: Form, values, header, path: Path) -> dict:
    """序号 numbered as outlines are (一、 then （一） then 1.), its sub-numbers in the same column;
    项目 | 计量单位 | 数量 | 计量单位 | 数量, no codes; title merged, 填报单位 on the row under it,
    signatures and a date cell at the bottom."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("序号", "项目", "计量单位", "数量", "计量单位", "数量"))
        counters = [0] * 8
        for item, depth, refs in lines(table):
            counters[depth] += 1
            counters[depth + 1 :] = [0] * (len(counters) - depth - 1)
            s.put(r, 1, seq_label(depth, counters))
            s.put(r, 2, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values)
            r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def unit_words(table: Table, refs) -> str:
    return "、".join(unit(table, ref) for ref in refs)


def build_unit_section_rows(form: Form, values, header, path: Path) -> dict:
    """No unit column: the rows grouped by unit, each group under a row merged across the table
    that says its unit (（单位：万元）, （单位：人次、万元） for a row of two figures); 项目 | 数值 |
    数值; the header fields in cells above the table."""
    wb, positions = cl.new_book(), {}
    for table in form.tables:
        s = Sheet(wb, table.title[:10], positions)
        r = title_row(s, 1, table.title, 3)
        s.put(r, 1, f"填报单位：{header['unit']}")
        s.put(r, 2, f"填报人：{header['person']}")
        s.put(r, 3, f"联系电话：{header['phone']}")
        r += 1
        for c, name in enumerate(("项目", "数值", "数值"), 1):
            s.put(r, c, name)
        r += 1
        current = None
        for item, _depth, refs in lines(table):
            if refs and unit_words(table, refs) != current:
                current = unit_words(table, refs)
                s.put(r, 1, f"（单位：{current}）", (r, 3))
                r += 1
            s.put(r, 1, item.label)
            for j, ref in enumerate(refs):
                s.fig(r, 2 + j, table, ref, values)
            r += 1
        d = header["date"]
        s.put(r + 1, 1, f"填报日期：{d.year}年{d.month}月{d.day}日")
    wb.save(path)
    return positions


def post_order(table: Table):
    """(item, depth) with each item after its sub-items: the parts first, their total under them."""

    def walk(item, depth):
        for child in item.items:
            yield from walk(child, depth + 1)
        yield item, depth

    for item in table.items:
        yield from walk(item, 0)


def build_parts_then_total(form: Form, values, header, path: Path) -> dict:
    """Each total typed under its parts (05B, 05C, 05D, then 05A), as a clerk who adds up as he
    goes; 序号 1, 2, 3… as numbers | 项目 | 单位 | 本年数 | 单位 | 本年数, no codes."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"Sheet{k + 1}", positions)
        r = heading(s, table, header, ("序号", "项目", "单位", "本年数", "单位", "本年数"))
        for n, (item, _depth) in enumerate(post_order(table), 1):
            s.put(r, 1, n)
            s.put(r, 2, item.label)
            for j, ref in enumerate(cl.refs_of(table, item.code)):
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values)
            r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def yuan(table: Table, ref: str, v: Decimal):
    """A 万元 figure typed in 元 (a count as it is)."""
    return int(v * 10000) if table.cells[ref].unit == "万元" else num(table, ref, v)


def build_yuan_columns(form: Form, values, header, path: Path) -> dict:
    """项目 | 数量 | 金额（元）: counts in 数量, every amount in 元 under a header that says 元 (the
    clerk's ledger is in 元); a row of two counts on two rows."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("项目", "数量", "金额（元）"))
        for item, _depth, refs in lines(table):
            counts = [ref for ref in refs if unit(table, ref) != "万元"]
            money = [ref for ref in refs if unit(table, ref) == "万元"]
            rows = max(1, len(counts))
            s.put(r, 1, f"{item.label}（{unit_words(table, refs)}）" if refs else item.label)
            for j in range(rows):
                if j < len(counts):
                    s.fig(r + j, 2, table, counts[j], values)
                if j == 0 and money:
                    s.fig(r, 3, table, money[0], values, yuan)
            r += rows
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def build_styled_print(form: Form, values, header, path: Path) -> dict:
    """The template's columns with codes, dressed for printing as an office does: frozen panes,
    a print area and print titles, borders and fills, an autofilter, number formats that show
    the unit (0.00"万元", #,##0"人") or a dash for zero, a comment on a figure, a validation."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Border, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin")
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"{k + 1}.{table.title[:8]}", positions)
        ws = s.ws
        r = title_row(s, 1, table.title, 7)
        s.put(r, 1, f"填报单位：{header['unit']}")
        s.put(r, 5, f"填报人：{header['person']}")
        r += 1
        names = ("序号", "代码", "指标名称", "计量单位", "本期", "计量单位", "本期")
        for c, name in enumerate(names, 1):
            s.put(r, c, name)
            ws.cell(r, c).fill = PatternFill("solid", fgColor="DDEBF7")
        head = r
        r += 1
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        ws.add_data_validation(dv)
        for n, (item, _depth, refs) in enumerate(lines(table), 1):
            s.put(r, 1, n)
            s.put(r, 2, item.code)
            s.put(r, 3, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 4 + 2 * j, unit(table, ref))
                s.fig(r, 5 + 2 * j, table, ref, values)
                c = ws.cell(r, 5 + 2 * j)
                c.number_format = '0.00"万元"' if unit(table, ref) == "万元" else '#,##0;-#,##0;"-"'
                dv.add(c)
                if n == 2:
                    c.comment = Comment("已与财务核对", "王")
            for c in range(1, 8):
                ws.cell(r, c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
            r += 1
        ws.freeze_panes = ws.cell(head + 1, 4)
        ws.auto_filter.ref = f"A{head}:G{r - 1}"
        ws.print_area = f"A1:G{r + 2}"
        ws.print_title_rows = f"{head}:{head}"
        ws.page_setup.orientation = "landscape"
        ws.column_dimensions["C"].width = 40
        s.put(r + 1, 1, f"联系电话：{header['phone']}")
        d = header["date"]
        s.put(r + 2, 1, f"填报日期：{d.year}.{d.month}.{d.day}")
    wb.save(path)
    return positions


def groups(table: Table):
    """The rows of a table under its top-level items: [(top item, [(item, depth, refs)…])]."""
    out = []
    for item, depth, refs in lines(table):
        if depth == 0:
            out.append((item, []))
        out[-1][1].append((item, depth, refs))
    return out


def build_group_merged_column(form: Form, values, header, path: Path) -> dict:
    """Two label columns as printed statistical tables have them: a top item's label merged down
    column A over its rows, its own figures on a 合计 row, its sub-items' labels in column B; a
    top item without sub-items spans A:B. | 计量单位 | 数值 | 计量单位 | 数值; no codes."""
    from openpyxl.styles import Alignment

    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = title_row(s, 1, table.title, 6)
        r = header_row(s, r, header)
        s.put(r, 1, "项目", (r, 2))
        for c, name in enumerate(("计量单位", "数值", "计量单位", "数值"), 3):
            s.put(r, c, name)
        r += 1
        for top, rows in groups(table):
            first = r
            for item, depth, refs in rows:
                if depth == 0 and len(rows) == 1:
                    s.put(r, 1, top.label, (r, 2))
                elif depth == 0:
                    if not refs:
                        continue  # a heading: its label is column A's
                    s.put(r, 2, "合计")
                else:
                    s.put(r, 2, item.label)
                for j, ref in enumerate(refs):
                    s.put(r, 3 + 2 * j, unit(table, ref))
                    s.fig(r, 4 + 2 * j, table, ref, values)
                r += 1
            if len(rows) > 1:
                s.put(first, 1, top.label, (r - 1, 1))
                s.ws.cell(first, 1).alignment = Alignment(vertical="center", wrap_text=True)
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def build_banner_header(form: Form, values, header, path: Path) -> dict:
    """The header in one cell merged across the table under the title (填报单位（盖章）：… with
    填报日期 at its right end) and the units on a line of their own; 序号 | 指标名称 | 代码 |
    计量单位 | 本期数 | 计量单位 | 本期数; 填表人 and 电话 in one merged cell under the table."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"附表{k + 1}", positions)
        r = title_row(s, 1, table.title, 7)
        d = header["date"]
        gap = "\u3000" * 10
        s.put(
            r,
            1,
            f"填报单位（盖章）：{header['unit']}{gap}填报日期：{d.year}年{d.month}月{d.day}日",
            (r, 7),
        )
        r += 1
        for c, name in enumerate(
            ("序号", "指标名称", "代码", "计量单位", "本期数", "计量单位", "本期数"), 1
        ):
            s.put(r, c, name)
        r += 1
        for n, (item, _depth, refs) in enumerate(lines(table), 1):
            s.put(r, 1, n)
            s.put(r, 2, item.label)
            s.put(r, 3, item.code)
            for j, ref in enumerate(refs):
                s.put(r, 4 + 2 * j, unit(table, ref))
                s.fig(r, 5 + 2 * j, table, ref, values)
            r += 1
        s.put(
            r,
            1,
            f"审核人：　　　填表人：{header['person']}　　　联系电话：{header['phone']}",
            (r, 7),
        )
    wb.save(path)
    return positions


def build_cover_sheet(form: Form, values, header, path: Path) -> dict:
    """A 封面 sheet (the campaign, 填报单位, 填报人, 电话, 日期 as cells), a 填表说明 sheet of numbered
    notes with numbers and codes, then a sheet a table with no header fields: 代码 | 指标 | 单位 |
    数值 | 单位 | 数值."""
    wb, positions = cl.new_book(), {}
    cover = Sheet(wb, "封面", positions)
    cover.put(2, 2, form.campaign or form.title)
    for r, (word, key) in enumerate(
        (
            ("填报单位：", "unit"),
            ("填报人：", "person"),
            ("联系电话：", "phone"),
            ("填报日期：", "date"),
        ),
        5,
    ):
        cover.put(r, 2, word)
        v = header[key]
        cover.put(r, 3, datetime(v.year, v.month, v.day) if key == "date" else v)
    cover.ws.cell(8, 3).number_format = "yyyy-mm-dd"
    notes = Sheet(wb, "填表说明", positions)
    rules = [rule.expr for t in form.tables for rule in t.rules][:3]
    for r, text in enumerate(
        [
            "填表说明：",
            "1. 本表金额单位为万元，保留2位小数；人数为整数。",
            *(f"{n}. 逻辑关系：{e}。" for n, e in enumerate(rules, 2)),
            f"{len(rules) + 2}. 统计时间截至{header['date'].year}年1月10日，共2页。",
        ],
        1,
    ):
        notes.put(r, 1, text)
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = title_row(s, 1, table.title, 6)
        for c, name in enumerate(("代码", "指标", "单位", "数值", "单位", "数值"), 1):
            s.put(r, c, name)
        r += 1
        for item, _depth, refs in lines(table):
            s.put(r, 1, item.code)
            s.put(r, 2, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values)
            r += 1
    wb.save(path)
    return positions


def build_word_merged_first_col(form: Form, values, header, path: Path) -> dict:
    """A Word return laid out as the group-merged sheet: a top item's label merged down the first
    column over its rows (合计 on its own figures' row), the sub-items' labels in the second;
    计量单位 | 数值 | 计量单位 | 数值; the header as paragraphs above, the date below."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(f"填报单位：{header['unit']}　　填表人：{header['person']}")
    positions = {}
    for n, table in enumerate(form.tables, 1):
        doc.add_paragraph(table.title)
        plan = []  # (label A, label B, refs); A None under a merged top label
        merges = []
        for top, rows in groups(table):
            first = len(plan)
            for item, depth, refs in rows:
                if depth == 0 and len(rows) == 1:
                    plan.append(("span", top.label, refs))
                elif depth == 0:
                    if refs:
                        plan.append((top.label, "合计", refs))
                else:
                    plan.append((top.label if len(plan) == first else None, item.label, refs))
            if len(rows) > 1 and len(plan) - first > 1:
                merges.append((first, len(plan) - 1))
            elif len(rows) > 1:
                plan[first] = (top.label, plan[first][1], plan[first][2])
        wt = doc.add_table(rows=1 + len(plan), cols=6)
        wt.style = "Table Grid"
        wt.cell(0, 0).merge(wt.cell(0, 1)).text = "项目"
        for c, name in enumerate(("计量单位", "数值", "计量单位", "数值"), 2):
            wt.cell(0, c).text = name
        for i, (a, b, refs) in enumerate(plan, 1):
            if a == "span":
                wt.cell(i, 0).merge(wt.cell(i, 1)).text = b
            else:
                wt.cell(i, 1).text = b
            for j, ref in enumerate(refs):
                wt.cell(i, 2 + 2 * j).text = unit(table, ref)
                v = values[f"{table.id}:{ref}"]
                wt.cell(i, 3 + 2 * j).text = str(num(table, ref, v))
                positions[f"{table.id}:{ref}"] = f"表格{n}第{i + 1}行第{4 + 2 * j}列"
        for a, b in merges:
            label = plan[a][0]
            wt.cell(a + 1, 0).merge(wt.cell(b + 1, 0)).text = label
    d = header["date"]
    doc.add_paragraph(f"联系电话：{header['phone']}　　{d.year}年{d.month}月{d.day}日")
    doc.save(path)
    return positions


FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def typed(table: Table, ref: str, v: Decimal, i: int):
    """Figures as typed by hand: full-width digits, a space as thousands separator, the unit
    after the figure (3.50万元, 120户), a plain number."""
    u = unit(table, ref)
    text = f"{v:.2f}" if table.cells[ref].decimals else str(v)
    if i % 4 == 0:
        return text.translate(FULL)
    if i % 4 == 1 and abs(v) >= 1000:
        whole, _, frac = text.partition(".")
        spaced = f"{int(whole):,}".replace(",", " ")
        return spaced + ("." + frac if frac else "")
    if i % 4 == 2:
        return f"{text}{u}"
    return num(table, ref, v)


def build_typed_figures(form: Form, values, header, path: Path) -> dict:
    """Codes kept (代码 | 项目 | 单位 | 数值 | 单位 | 数值) and figures typed as text the ways hands do:
    full-width digits (１２３．４５), a space between thousands (12 345), the unit after the figure
    (3.50万元, 120户); the header on one line above."""
    wb, positions = cl.new_book(), {}
    i = 0
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = title_row(s, 1, table.title, 6)
        d = header["date"]
        s.put(
            r,
            1,
            f"填报单位：{header['unit']}　填报人：{header['person']}　联系电话：{header['phone']}"
            f"　填报日期：{d.year}年{d.month}月{d.day}日",
        )
        r += 1
        for c, name in enumerate(("代码", "项目", "单位", "数值", "单位", "数值"), 1):
            s.put(r, c, name)
        r += 1
        for item, _depth, refs in lines(table):
            s.put(r, 1, item.code)
            s.put(r, 2, item.label)
            for j, ref in enumerate(refs):
                i += 1
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values, lambda t, ref, v, i=i: typed(t, ref, v, i))
            r += 1
    wb.save(path)
    return positions


SUM_ROWS = 2  # a run of at least this many sibling rows of two figures gets the clerk's 合计


def own_totals(table: Table):
    """Runs of sibling items of two figures of the same units (C1…C11 人次/万元): the clerk adds
    a 合计 row under each, a row the notice does not have."""
    runs, run, last = [], [], None
    for item, depth, refs in lines(table):
        key = (depth, tuple(unit(table, ref) for ref in refs)) if len(refs) == 2 else None
        if key is not None and key == last and not item.items:
            run.append(refs)
        else:
            if len(run) >= SUM_ROWS:
                runs.append(run)
            run = [refs] if key is not None and not item.items else []
        last = key if run else None
    if len(run) >= SUM_ROWS:
        runs.append(run)
    return {id(run[-1]): run for run in runs}


def build_own_total_rows(form: Form, values, header, path: Path) -> dict:
    """序号 | 项目 | 单位 | 数值 | 单位 | 数值, no codes, and the clerk's own 合计 rows under runs of
    similar items (C1…C11, 08B…08J), rows the notice does not have, added up from the figures
    as typed."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        ends = own_totals(table)
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("序号", "项目", "单位", "数值", "单位", "数值"))
        n = 0
        for item, _depth, refs in lines(table):
            n += 1
            s.put(r, 1, n)
            s.put(r, 2, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values)
            r += 1
            if id(refs) in ends:
                s.put(r, 2, "合计")
                for j in range(2):
                    part = [values[f"{table.id}:{rs[j]}"] for rs in ends[id(refs)]]
                    s.put(r, 3 + 2 * j, unit(table, refs[j]))
                    s.put(r, 4 + 2 * j, num(table, refs[j], sum(part)))
                r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def build_yuan_formula(form: Form, values, header, path: Path) -> dict:
    """项目 | 单位 | 金额（元） | 数值: the clerk types each amount in 元 and lets a formula make
    万元 (=ROUND(C5/10000,2)); counts typed in 数值. Saved by LibreOffice (the values cached)."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("项目", "单位", "金额（元）", "数值"))
        for item, _depth, refs in lines(table):
            s.put(r, 1, item.label)
            for ref in refs:
                s.put(r, 2, unit(table, ref))
                if unit(table, ref) == "万元":
                    s.put(r, 3, yuan(table, ref, values[f"{table.id}:{ref}"]))
                    s.fig(r, 4, table, ref, values, lambda *_a, r=r: f"=ROUND(C{r}/10000,2)")
                else:
                    s.fig(r, 4, table, ref, values)
                r += 1
            if not refs:
                r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def recalculated(builder):
    """A builder whose xlsx is opened and saved again by LibreOffice (formulas get values)."""

    def build(form: Form, values, header, path: Path) -> dict:
        import subprocess

        source = path.with_name(path.stem + ".source.xlsx")
        positions = builder(form, values, header, source)
        out = path.parent / "lo-out"
        out.mkdir(exist_ok=True)
        subprocess.run(
            [
                cl.soffice(),
                f"-env:UserInstallation=file://{cl._PROFILE}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        (out / source.name).replace(path)
        return positions

    build.__name__ = builder.__name__ + "_recalculated"
    return build


def build_units_on_sheets(form: Form, values, header, path: Path) -> dict:
    """A township union's workbook: its own return and the returns of two units under it, one
    sheet a unit (named for the unit), each with its header; only the first is the sender's.
    The positions are the first sheet's."""
    wb, positions = cl.new_book(), {}
    others = {}
    for n, unit_name in enumerate((header["unit"], "城关镇工会", "开发区工会")):
        out = positions if n == 0 else others
        s = Sheet(wb, unit_name, out)
        r = 1
        for table in form.tables:
            r = title_row(s, r, table.title, 5)
            s.put(r, 1, f"填报单位：{unit_name}")
            s.put(r, 3, f"填报人：{header['person']}")
            r += 1
            for c, name in enumerate(("项目", "单位", "数值", "单位", "数值"), 1):
                s.put(r, c, name)
            r += 1
            for item, _depth, refs in lines(table):
                s.put(r, 1, item.label)
                for j, ref in enumerate(refs):
                    s.put(r, 2 + 2 * j, unit(table, ref))
                    s.fig(
                        r,
                        3 + 2 * j,
                        table,
                        ref,
                        values,
                        None if n == 0 else (lambda t, ref, v, n=n: num(t, ref, v * n + n)),
                    )
                r += 1
            r += 2
        footer(s, r, header)
    wb.save(path)
    return positions


DASHES = ("-", "—", "／", None)


def build_dashes_for_zero(form: Form, values, header, path: Path) -> dict:
    """Codes kept (序号 | 代码 | 项目 | 单位 | 数值 | 单位 | 数值); each figure 0 typed as the clerk's
    habit has it, in turn -, —, ／ or left blank; the other figures as numbers."""
    wb, positions = cl.new_book(), {}
    zeros = 0
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("序号", "代码", "项目", "单位", "数值", "单位", "数值"))
        for n, (item, _depth, refs) in enumerate(lines(table), 1):
            s.put(r, 1, n)
            s.put(r, 2, item.code)
            s.put(r, 3, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 4 + 2 * j, unit(table, ref))
                if values[f"{table.id}:{ref}"] == 0:
                    dash = DASHES[zeros % len(DASHES)]
                    zeros += 1
                    s.fig(r, 5 + 2 * j, table, ref, values, lambda *_a, d=dash: d)
                else:
                    s.fig(r, 5 + 2 * j, table, ref, values)
            r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def build_wan_display_format(form: Form, values, header, path: Path) -> dict:
    """Amounts typed in 元 and shown as 万元 by a number format (0!.0000, the finance office's
    trick: 34300 shows as 3.4300), under a 数值 header; codes kept."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = heading(s, table, header, ("代码", "项目", "单位", "数值", "单位", "数值"), width=5)
        for item, _depth, refs in lines(table):
            s.put(r, 1, item.code)
            s.put(r, 2, item.label)
            for j, ref in enumerate(refs):
                s.put(r, 3 + 2 * j, unit(table, ref))
                s.fig(r, 4 + 2 * j, table, ref, values, yuan)
                if unit(table, ref) == "万元":
                    s.ws.cell(r, 4 + 2 * j).number_format = "0!.0000"
            r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions


def build_lanci_row(form: Form, values, header, path: Path) -> dict:
    """A statistics office's table: 指标名称 | 代码 | 计量单位 | 本年实际 | 上年同期, under them the
    栏次 row (甲 | 乙 | 丙 | 1 | 2) that numbers the columns, and 本年实际 with its unit in the
    header (本年实际（人、户、万元）); a row of two figures on two rows, its label merged."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = title_row(s, 1, table.title, 5)
        d = header["date"]
        s.put(r, 1, f"填报单位：{header['unit']}")
        s.put(r, 4, f"{d.year}年{d.month}月{d.day}日")
        r += 1
        units = "、".join(dict.fromkeys(c.unit for c in table.cells.values()))
        for c, name in enumerate(
            ("指标名称", "代码", "计量单位", f"本年实际（{units}）", "上年同期"), 1
        ):
            s.put(r, c, name)
        r += 1
        for c, name in enumerate(("甲", "乙", "丙", 1, 2), 1):
            s.put(r, c, name)
        r += 1
        for item, _depth, refs in lines(table):
            first = r
            s.put(r, 1, item.label)
            s.put(r, 2, item.code)
            for ref in refs or [None]:
                if ref:
                    s.put(r, 3, unit(table, ref))
                    s.fig(r, 4, table, ref, values)
                    s.put(r, 5, cl.previous_year(table, ref, values[f"{table.id}:{ref}"]))
                r += 1
            if r - first > 1:
                s.ws.merge_cells(start_row=first, start_column=1, end_row=r - 1, end_column=1)
                s.ws.merge_cells(start_row=first, start_column=2, end_row=r - 1, end_column=2)
        s.put(r + 1, 1, f"填表人：{header['person']}　　联系电话：{header['phone']}")
    wb.save(path)
    return positions


def build_last_year_rows_hidden(form: Form, values, header, path: Path) -> dict:
    """Last year's sheet reused: last year's table kept at the top with its rows hidden, this
    year's typed again under it (title, 序号 | 项目 | 单位 | 数值 | 单位 | 数值, no codes)."""
    wb, positions = cl.new_book(), {}
    for k, table in enumerate(form.tables):
        s = Sheet(wb, f"表{CN[k]}", positions)
        r = 1
        for year, figures in (("old", None), ("new", values)):
            top = r
            r = title_row(s, r, table.title, 6)
            r = header_row(s, r, header)
            for c, name in enumerate(("序号", "项目", "单位", "数值", "单位", "数值"), 1):
                s.put(r, c, name)
            r += 1
            for n, (item, _depth, refs) in enumerate(lines(table), 1):
                s.put(r, 1, n)
                s.put(r, 2, item.label)
                for j, ref in enumerate(refs):
                    s.put(r, 3 + 2 * j, unit(table, ref))
                    v = values[f"{table.id}:{ref}"]
                    if figures is None:
                        s.put(r, 4 + 2 * j, cl.previous_year(table, ref, v))
                    else:
                        s.fig(r, 4 + 2 * j, table, ref, values)
                r += 1
            if year == "old":
                for hide in range(top, r + 1):
                    s.ws.row_dimensions[hide].hidden = True
                r += 1
        footer(s, r + 1, header)
    wb.save(path)
    return positions
