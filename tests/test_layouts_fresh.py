"""Returns in layouts the reader was not built against: a second clerk's corpus.

Written from the forms, the template and the README only, as a county clerk retypes the notice's
table in Excel, WPS or Word (see each builder's docstring for what the clerk did). Each layout is
built in the test run. The contract for a correct return: no `error` or `warning` finding (an
`info` note on what was assumed is allowed), and every figure read equals the figure written.
Layouts the reader cannot be expected to read (`LIMITS`) must not yield a wrong figure: every
figure read is the one written, and what is not read is an error finding.
"""

import itertools
import re
from datetime import datetime
from decimal import Decimal

import clerk_layouts as cl
import pytest
from test_layouts import ALL, HEADERS, slips

from wenuan.checking import samples, validate
from wenuan.forms.rules import holds
from wenuan.outputs import writing

# ---------------------------------------------------------------------------------------------
# A figure written into a cell, remembered by its key so the test knows what was written.


class Fig:
    """A figure: its key ("table:ref") and what is typed into the cell."""

    def __init__(self, key: str, shown):
        self.key, self.shown = key, shown


def num(table, ref, v: Decimal):
    """A figure as a number cell."""
    return float(v) if table.cells[ref].decimals else int(v)


def fig(table, ref, values, shown=None):
    v = values[f"{table.id}:{ref}"]
    return Fig(f"{table.id}:{ref}", num(table, ref, v) if shown is None else shown(table, ref, v))


def lines(table):
    """(item, depth, refs) in printed order."""
    for item, depth in table.walk():
        yield item, depth, cl.refs_of(table, item.code)


def unit_of(table, ref):
    return table.cells[ref].unit


def write_rows(ws, rows, top=1, left=1, written=None):
    """Rows of cells into a sheet from (top, left); Fig cells are recorded in `written`."""
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            if isinstance(cell, Fig):
                written[cell.key] = written.get(cell.key, 0) + 1
                cell = cell.shown
            ws.cell(top + r, left + c, cell)
    return top + len(rows)


def word_rows(t, rows, top, written):
    """Rows of cells into a Word table from row `top`, as `write_rows` does into a sheet."""
    for r, row in enumerate(rows, start=top):
        for c, cell in enumerate(row):
            if isinstance(cell, Fig):
                written[cell.key] = written.get(cell.key, 0) + 1
                cell = cell.shown
            if cell is not None:
                t.cell(r, c).text = str(cell)


def header_line(header) -> str:
    d = header["date"]
    return (
        f"填报单位：{header['unit']}　　填报人：{header['person']}　　"
        f"联系电话：{header['phone']}　　填报日期：{d.year}年{d.month}月{d.day}日"
    )


def signatures(ws, row, header):
    ws.cell(row, 1, f"填表人：{header['person']}")
    ws.cell(row, 3, f"联系电话：{header['phone']}")
    ws.cell(row + 1, 1, "填报日期：")
    d = header["date"]
    ws.cell(row + 1, 2, datetime(d.year, d.month, d.day)).number_format = "yyyy年m月d日"
    return row + 2


def titled_sheet(wb, table, header):
    """A sheet for a table: its title on row 1, the header fields on one line on row 2."""
    ws = wb.create_sheet(table.title[:12])
    ws.cell(1, 1, table.title)
    ws.cell(2, 1, header_line(header))
    return ws


def book():
    return cl.new_book()


HALF = str.maketrans("（）：，", "():,")
CN = "一二三四五六七八九十"


# ---------------------------------------------------------------------------------------------
# The layouts. Each builder returns {key: times written}.


def build_halfwidth_qizhong_row(form, values, header, path):
    """序号 一、二、… | 项目 | 计量单位 | 数量; no codes; brackets and colons half-width; the 其中
    of sub-items moved to a row of its own (其中:) above them; a two-figure item on two rows, the
    second with its label left blank; header on one line above the table."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:10])
        rows = [[table.title], [header_line(header)], ["序号", "项目", "计量单位", "数量"]]
        top, qizhong_done = 0, set()
        for item, depth, refs in lines(table):
            label = item.label
            m = re.match(r"其中[:：]?\s*", label)
            if m:
                label = label[m.end() :]
            if depth > 0 and m and depth not in qizhong_done:
                rows.append([None, "其中:"])
                qizhong_done.add(depth)
            if depth == 0:
                qizhong_done = set()
                top += 1
            seq = f"{CN[(top - 1) % 10]}、" if depth == 0 else None
            if not refs:
                rows.append([seq, label.translate(HALF)])
            for j, ref in enumerate(refs):
                rows.append(
                    [
                        seq if j == 0 else None,
                        label.translate(HALF) if j == 0 else None,
                        unit_of(table, ref),
                        fig(table, ref, values),
                    ]
                )
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def count_money_rows(table, values, joined: bool, repeat: bool):
    """序号 | 项目 | 单位 | count | 万元: a count-and-money item on one row (单位 人次/万元 when
    `joined`, else 人次), a one-figure item's figure in the column of its unit, any other item
    with two figures on two rows (its label on both when `repeat`)."""
    rows = []
    for item, _depth, refs in lines(table):
        units = [unit_of(table, r) for r in refs]
        if len(refs) == 2 and units[1] == "万元" and units[0] != "万元":
            unit = "/".join(units) if joined else units[0]
            figures = [fig(table, refs[0], values), fig(table, refs[1], values)]
            rows.append([item.seq, item.label, unit, *figures])
            continue
        if not refs:
            rows.append([item.seq, item.label, None, None, None])
        for j, ref in enumerate(refs):
            money = unit_of(table, ref) == "万元"
            f = fig(table, ref, values)
            label = item.label if j == 0 or repeat else None
            row = [item.seq if j == 0 else None, label, unit_of(table, ref)]
            rows.append(row + ([None, f] if money else [f, None]))
    return rows


def build_two_row_header(form, values, header, path):
    """序号 | 项目 | 计量单位 | 本期数 merged over 数量 | 金额 in a second header row (序号, 项目 and
    计量单位 merged down over both rows): counts under 数量, 万元 under 金额; a 人次+万元 item on one
    row (单位 人次/万元), any other two-figure item on two rows."""
    from openpyxl.styles import Alignment

    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        ws.merge_cells("A1:E1")
        for c, name in enumerate(["序号", "项目", "计量单位"], start=1):
            ws.cell(3, c, name)
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
        ws.cell(3, 4, "本期数").alignment = Alignment(horizontal="center")
        ws.merge_cells("D3:E3")
        ws.cell(4, 4, "数量")
        ws.cell(4, 5, "金额")
        rows = count_money_rows(table, values, joined=True, repeat=False)
        end = write_rows(ws, rows, top=5, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


previous = cl.previous_year  # a 上年同期 figure that differs from this year's


def build_prev_year_growth(form, values, header, path):
    """项目 | 单位 | 上年同期 | 同比增减（%） | 完成比例 | 本期数: three columns of other figures left of
    this year's; no codes; a two-figure item on two rows with its label repeated."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        rows = [["项目", "单位", "上年同期", "同比增减（%）", "完成比例", "本期数"]]
        for item, _depth, refs in lines(table):
            if not refs:
                rows.append([item.label])
            for ref in refs:
                v = values[f"{table.id}:{ref}"]
                p = previous(table, ref, v)
                growth = round((float(v) - float(p)) / float(p) * 100, 1) if p else None
                rows.append(
                    [item.label, unit_of(table, ref), p, growth, "100%", fig(table, ref, values)]
                )
        end = write_rows(ws, rows, top=3, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_target_and_done(form, values, header, path):
    """项目 | 单位 | 任务数 | 完成数 | 完成率: the county's target left of what was done (a target
    set by the city, 120% of it here), and the rate after; a row a figure."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        rows = [["项目", "单位", "任务数", "完成数", "完成率"]]
        for item, _depth, refs in lines(table):
            if not refs:
                rows.append([item.label])
            for ref in refs:
                v = values[f"{table.id}:{ref}"]
                target = num(table, ref, v * Decimal("1.2")) if v else 1
                rate = f"{float(v) / float(target) * 100:.1f}%"
                rows.append(
                    [item.label, unit_of(table, ref), target, fig(table, ref, values), rate]
                )
        end = write_rows(ws, rows, top=3, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_unit_line_above(form, values, header, path):
    """No unit column: 单位：万元 on a line above the table (right), the counts' units in brackets
    after their labels; a two-figure item on two rows: 'label（人次）' then 'label' for its 万元
    figure; columns 序号 | 项目 | 数值."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        ws.cell(3, 3, "单位：万元")
        rows = [["序号", "项目", "数值"]]
        for item, _depth, refs in lines(table):
            if not refs:
                rows.append([item.seq, item.label])
            for j, ref in enumerate(refs):
                u = unit_of(table, ref)
                label = item.label if u == "万元" else f"{item.label}（{u}）"
                rows.append([item.seq if j == 0 else None, label, fig(table, ref, values)])
        end = write_rows(ws, rows, top=4, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def bigger(form, values):
    """The counts times 10 (so thousands appear), when every rule still holds; and 12,000 for the
    first item when it is a count."""
    out = dict(values)
    for key in values:
        table_id, ref = key.split(":", 1)
        table = next(t for t in form.tables if t.id == table_id)
        if not table.cells[ref].decimals:
            out[key] = values[key] * 10
    if all_hold(form, out):
        values = out
    t0 = form.tables[0]
    first = f"{t0.id}:{next(iter(t0.cells))}"
    trial = {**values, first: Decimal(12000)}
    return trial if all_hold(form, trial) and not t0.cells[first.split(":")[1]].decimals else values


def all_hold(form, values):
    for table in form.tables:
        for rule in table.rules:
            expr = rule.parsed
            keys = [f"{table.id}:{r}" for r in expr.refs()]
            if not holds(
                expr, {r: (values[k], values[k]) for r, k in zip(expr.refs(), keys, strict=True)}
            ):
                return False
    for rule in form.rules:
        expr = rule.parsed
        if not holds(expr, {r: (values[str(r)], values[str(r)]) for r in expr.refs()}):
            return False
    return True


_TYPED = itertools.count(1)
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def text_figure(table, ref, v):
    n = next(_TYPED)
    whole = not table.cells[ref].decimals
    if whole and v >= 10000 and v % 1000 == 0:
        return f"{v / 10000:g}万"
    if whole and v >= 1000:
        return f"{v:,}"
    if n % 3 == 0:
        return str(v).translate(FULL)
    if n % 3 == 1:
        return f"{v}"
    return f"{v:,}" if whole else f"{v:.2f}"


def build_text_thousands(form, values, header, path):
    """The template's columns retyped (序号 | 代码 | 项目 | 单位 | 数值 | 单位 | 数值) with every
    figure typed as text: thousands separators (12,340), 1.2万 for 12,000 people, full-width
    digits (８８, typed with the Chinese input method in full-width mode)."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], cl.CODED_NAMES.values()]
        rows[2] = list(rows[2])
        rows += body_rows(table, values, code=True, shown=text_figure)
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_counts_and_money_columns(form, values, header, path):
    """序号 | 项目 | 单位 | 户数（人次） | 金额（万元）: a two-figure item's count and money side by
    side under their own headings, a one-figure item in the column its unit belongs to; no codes;
    an item with two counts (列 and 人次) on two rows."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        rows = [["序号", "项目", "单位", "户数（人次）", "金额（万元）"]]
        rows += count_money_rows(table, values, joined=False, repeat=True)
        end = write_rows(ws, rows, top=3, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def body_rows(table, values, code=False, seq=True, label=None, shown=None):
    """[序号] | [代码] | 项目 | 单位 | 数值 | 单位 | 数值, a row an item; `label(item)` the label as
    typed, `shown` how a figure is typed (see `fig`)."""
    rows = []
    for item, _depth, refs in lines(table):
        row = [item.seq] if seq else []
        row += ([item.code] if code else []) + [label(item) if label else item.label]
        for ref in refs:
            row += [unit_of(table, ref), fig(table, ref, values, shown)]
        rows.append(row)
    return rows


NAMES = ["序号", "项目", "单位", "数值", "单位", "数值"]


def build_print_title_typed_twice(form, values, header, path):
    """One sheet a table; the title and column header typed again half way down (the clerk copied
    page 2 of the printout with its repeated title rows); no codes; header on one line on top,
    signatures at the bottom."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        body = body_rows(table, values)
        starts = [i for i, (_, d, _) in enumerate(lines(table)) if d == 0]
        cut = min(starts[1:] or [len(body)], key=lambda s: abs(s - len(body) // 2))
        rows = [[table.title], [header_line(header)], NAMES, *body[:cut]]
        rows += [[table.title], NAMES, *body[cut:]]
        end = write_rows(ws, rows, written=written)
        ws.print_title_rows = "1:3"
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_transposed(form, values, header, path):
    """The table turned over: the items across one header row (label and unit), the unit's figures
    on the row below, as in the city's 各单位 summary; only for forms of one table."""
    wb, written = book(), {}
    table = form.tables[0]
    ws = wb.create_sheet("Sheet1")
    ws.cell(1, 1, table.title)
    ws.cell(2, 1, header_line(header))
    heads, figs = ["单位"], [header["unit"]]
    for item, _depth, refs in lines(table):
        for ref in refs:
            heads.append(f"{item.label}（{unit_of(table, ref)}）")
            figs.append(fig(table, ref, values))
    end = write_rows(ws, [heads, figs], top=3, written=written)
    signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_hidden_helper_columns(form, values, header, path):
    """序号 | 项目 | [hidden: 元] | [hidden: 上年] | 单位 | 数值 | 单位 | 数值: two hidden helper columns
    between the labels and the figures, the 万元 figures in 元 (what the clerk typed before
    dividing by 10,000) and last year's figures, headed 元 and 上年."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["序号", "项目", "元", "上年", *NAMES[2:]]]
        for item, _depth, refs in lines(table):
            row = [item.seq, item.label, None, None]
            if refs:
                v = values[f"{table.id}:{refs[0]}"]
                row[2] = float(v * 10000) if table.cells[refs[0]].decimals else None
                row[3] = previous(table, refs[0], v)
            for ref in refs:
                row += [unit_of(table, ref), fig(table, ref, values)]
            rows.append(row)
        end = write_rows(ws, rows, written=written)
        ws.column_dimensions["C"].hidden = True
        ws.column_dimensions["D"].hidden = True
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_last_year_hidden(form, values, header, path):
    """Last year's return reused: its 数值 column hidden and a new 数值 column typed right of it
    (序号 | 项目 | 单位 | [hidden: 数值, last year's] | 数值); a row a figure."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["序号", "项目", "单位", "数值", "数值"]]
        for item, _depth, refs in lines(table):
            if not refs:
                rows.append([item.seq, item.label])
            for j, ref in enumerate(refs):
                v = values[f"{table.id}:{ref}"]
                rows.append(
                    [
                        item.seq if j == 0 else None,
                        item.label if j == 0 else None,
                        unit_of(table, ref),
                        previous(table, ref, v),
                        fig(table, ref, values),
                    ]
                )
        end = write_rows(ws, rows, written=written)
        ws.column_dimensions["D"].hidden = True
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def qizhong_cell(ws, group: list[int]) -> None:
    """其中 in column B, merged down the rows of the parts (then forgotten)."""
    if group:
        ws.cell(group[0], 2, "其中")
        if len(group) > 1:
            ws.merge_cells(start_row=group[0], start_column=2, end_row=group[-1], end_column=2)
        group.clear()


def build_qizhong_column(form, values, header, path):
    """Two label columns, as many printed tables have: a top item's label across both, its parts
    under a 其中 cell merged down the first and their labels in the second (序号 | 项目 merged
    over two columns | 单位 | 数值 | 单位 | 数值); no codes."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        for c, name in enumerate(["序号", "项目", None, "单位", "数值", "单位", "数值"], start=1):
            ws.cell(3, c, name)
        ws.merge_cells("B3:C3")
        r = 4
        group: list[int] = []  # rows of the current parts, for the 其中 merge
        for item, depth, refs in lines(table):
            label = re.sub(r"^其中[:：]?\s*", "", item.label)
            if depth == 0:
                qizhong_cell(ws, group)
                ws.cell(r, 1, item.seq)
                ws.cell(r, 2, label)
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
            else:
                ws.cell(r, 3, label)
                group.append(r)
            cells = []
            for ref in refs:
                cells += [unit_of(table, ref), fig(table, ref, values)]
            write_rows(ws, [cells], top=r, left=4, written=written)
            r += 1
        qizhong_cell(ws, group)
        signatures(ws, r + 1, header)
    wb.save(path)
    return written


def build_value_label_rows(form, values, header, path):
    """A two-figure item on two rows, the second labelled by what its figure is, as the notice's
    sentence says it (共包专列 __列，运送 __人次 -> 共包专列 | 列, then 运送 | 人次); 项目 | 单位 | 数值."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["项目", "单位", "数值"]]
        for item, _depth, refs in lines(table):
            if not refs:
                rows.append([item.label])
            labels = {r: v.label for r, v in zip(refs, item.all_values, strict=True)}
            for j, ref in enumerate(refs):
                label = item.label if j == 0 else (labels.get(ref) or "")
                rows.append([label or None, unit_of(table, ref), fig(table, ref, values)])
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_sum_formulas(form, values, header, path):
    """Totals typed as formulas (=SUM of the parts), as Excel users do; the file saved by
    LibreOffice, so each formula carries its computed value (序号 | 代码 | 项目 | 单位 | 数值)."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["序号", "代码", *NAMES[1:]]]
        at = {}
        for item, _depth, refs in lines(table):
            if len(refs) != 1:
                row = [item.seq, item.code, item.label]
                for ref in refs:
                    row += [unit_of(table, ref), fig(table, ref, values)]
                rows.append(row)
                continue
            at[refs[0]] = len(rows) + 1
            rows.append(
                [
                    item.seq,
                    item.code,
                    item.label,
                    unit_of(table, refs[0]),
                    fig(table, refs[0], values),
                ]
            )
        for rule in table.rules:
            expr = rule.parsed
            refs = [str(r) for r in expr.refs()]
            if expr.op == "=" and len(refs) > 2 and all(r in at for r in refs) and "+" in rule.expr:
                parts = ",".join(f"E{at[r]}" for r in refs[1:])
                rows[at[refs[0]] - 1][4] = Fig(f"{table.id}:{refs[0]}", f"=SUM({parts})")
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    typed = path.with_name(path.stem + ".typed.xlsm")  # not the name LibreOffice writes
    wb.save(typed)
    cl.convert(typed, path.suffix[1:]).replace(path)
    return written


def build_no_header_numeric_seq(form, values, header, path):
    """No column header row at all: 序号 typed as numbers 1, 2, 3 (Excel's fill), the label, the
    unit and the figure; a two-figure item on two rows, label repeated; a title merged across."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        ws.merge_cells("A1:D1")
        rows, n = [], 0
        for item, _depth, refs in lines(table):
            if not refs:
                n += 1
                rows.append([n, item.label])
            for ref in refs:
                n += 1
                rows.append([n, item.label, unit_of(table, ref), fig(table, ref, values)])
        end = write_rows(ws, rows, top=3, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_pairs_per_row(form, values, header, path):
    """Two items a row to save paper, as in a Word-style sheet: 项目 | 单位 | 数值 | 项目 | 单位 | 数值
    (the items in order, left then right); a two-figure item takes two places."""
    wb, written = book(), {}
    for table in form.tables:
        ws = titled_sheet(wb, table, header)
        places = []
        for item, _depth, refs in lines(table):
            for j, ref in enumerate(refs):
                label = item.label if j == 0 else f"{item.label}（{unit_of(table, ref)}）"
                places.append([label, unit_of(table, ref), fig(table, ref, values)])
        half = (len(places) + 1) // 2
        rows = [["项目", "单位", "数值", "项目", "单位", "数值"]]
        for i in range(half):
            right = places[half + i] if half + i < len(places) else []
            rows.append(places[i] + right)
        end = write_rows(ws, rows, top=3, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_row_deleted(form, values, header, path):
    """The template's columns retyped with codes, one item's row deleted (the unit had nothing to
    report and took the row out instead of typing 0): that item is then missing."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["序号", "代码", *NAMES[1:]]]
        body = body_rows(table, values, code=True)
        rows += [row for row in body if row[1] != DELETED.get(table.id)]
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


DELETED = {"swn": "04C", "bfzx": "07B", "dryx": "C3"}


def build_template_copied(form, values, header, path):
    """wenuan's template filled, its sheets' cells copied into a new workbook (no hidden sheet), the
    notice line under the title and the empty rows deleted, the 备注 column left out."""
    src = writing.filled(form, values, header)
    wb, written = book(), {}
    positions = {
        f"{t.id}:{ref}": (writing._sheet_name(t), at)
        for t in form.tables
        for ref, at in writing.cell_positions(t).items()
    }
    by_cell = {v: k for k, v in positions.items()}
    for ws in src.worksheets:
        if ws.sheet_state != "visible":
            continue
        out = wb.create_sheet(ws.title)
        rows = []
        for r, row in enumerate(ws.iter_rows(), start=1):
            if r == 2 or all(c.value in (None, "") for c in row):
                continue
            cells = []
            for c in row[:7]:
                key = by_cell.get((ws.title, c.coordinate))
                cells.append(Fig(key, c.value) if key else c.value)
            rows.append(cells)
        write_rows(out, rows, written=written)
        for c in out[2]:
            if c.value is not None and not isinstance(c.value, str):
                c.number_format = "yyyy年m月d日"
    wb.save(path)
    return written


def sum_parents(table):
    """Items whose figure the table's rules say is the sum of the items under them."""
    out = set()
    for rule in table.rules:
        expr = rule.parsed
        refs = [str(r) for r in expr.refs()]
        if expr.op == "=" and len(refs) > 2:
            out.add(refs[0].split("[")[0])
    return out


def build_total_on_top(form, values, header, path):
    """A sum item written as a heading with no figure, then a 合计 row with its figures, then its
    parts (the 合计 on top, not under the parts); 序号 | 项目 | 单位 | 数值 | 单位 | 数值."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], NAMES]
        parents = sum_parents(table)
        for item, _depth, refs in lines(table):
            figures = []
            for ref in refs:
                figures += [unit_of(table, ref), fig(table, ref, values)]
            if item.code in parents and item.items:
                rows.append([item.seq, item.label])
                rows.append([None, "合计", *figures])
            else:
                rows.append([item.seq, item.label, *figures])
        end = write_rows(ws, rows, written=written)
        signatures(ws, end + 1, header)
    wb.save(path)
    return written


def build_word_split_table(form, values, header, path):
    """A Word return whose first table is split in two Word tables by a page break (the clerk
    pressed Ctrl+Enter inside it): the second part has no header row; no codes."""
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.add_paragraph(form.campaign or form.title)
    doc.add_paragraph(header_line(header))
    written: dict = {}

    def add(rows, with_names):
        t = doc.add_table(rows=len(rows) + with_names, cols=len(NAMES))
        t.style = "Table Grid"
        if with_names:
            for c, name in enumerate(NAMES):
                t.cell(0, c).text = name
        word_rows(t, rows, with_names, written)

    for k, table in enumerate(form.tables):
        doc.add_paragraph(table.title)
        body = body_rows(table, values)
        if k == 0:
            starts = [i for i, (_, d, _) in enumerate(lines(table)) if d == 0]
            cut = min(starts[1:] or [len(body)], key=lambda s: abs(s - len(body) // 2))
            add(body[:cut], 1)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            add(body[cut:], 0)
        else:
            add(body, 1)
        if table.note:
            doc.add_paragraph(f"注：{table.note}")
    doc.add_paragraph(f"填报日期：{cl.cn_date(header['date'])}")
    doc.save(path)
    return written


def build_word_two_row_header(form, values, header, path):
    """A Word return with a header over two rows (项目 and 单位 merged down, 本年完成 merged over
    人次（个、户） | 金额（万元）), a two-figure item's count and money side by side, a one-figure
    item's figure under the column of its unit."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(header_line(header))
    written: dict = {}
    for table in form.tables:
        doc.add_paragraph(table.title)
        body = [row[1:] for row in count_money_rows(table, values, joined=True, repeat=False)]
        t = doc.add_table(rows=2 + len(body), cols=4)
        t.style = "Table Grid"
        t.cell(0, 0).merge(t.cell(1, 0)).text = "项目"
        t.cell(0, 1).merge(t.cell(1, 1)).text = "单位"
        t.cell(0, 2).merge(t.cell(0, 3)).text = "本年完成"
        t.cell(1, 2).text = "人次（个、户）"
        t.cell(1, 3).text = "金额（万元）"
        word_rows(t, body, 2, written)
    doc.add_paragraph(f"填报日期：{cl.cn_date(header['date'])}")
    doc.save(path)
    return written


def build_notes_with_numbers(form, values, header, path):
    """The template's columns with codes, and under each table a 填报说明 block of numbered notes
    naming codes, labels and numbers (05A=05B+05C+05D, 金额保留2位小数, 截至2009年12月31日)."""
    wb, written = book(), {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:12])
        rows = [[table.title], [header_line(header)], ["序号", "代码", *NAMES[1:]]]
        rows += body_rows(table, values, code=True)
        end = write_rows(ws, rows, written=written)
        first, second = list(table.cells)[:2]
        rule = next((r.expr for r in table.rules), f"{second} <= {first}")
        label = table.cells[first].label
        notes = [
            "填报说明：",
            f"1. {rule}，各项不得漏填，无数据填0；",
            f"2. {first} {label} 按 {header['date'].year - 1} 年末数填写，单位 {unit_of(table, first)}；",
            "3. 金额单位为万元，保留2位小数（如 12.50）；",
            f"4. 统计时间截至{header['date'].year}年1月31日，于2月1日前报送，共 2 张表。",
        ]
        for k, text in enumerate(notes):
            ws.cell(end + 1 + k, 1, text)
            ws.merge_cells(start_row=end + 1 + k, start_column=1, end_row=end + 1 + k, end_column=7)
        signatures(ws, end + 2 + len(notes), header)
    wb.save(path)
    return written


# The way people shorten the notice's labels (平顶山 送温暖工程统计表).
SHORT = {
    "01A": "职工总数",
    "02A": "困难职工数",
    "03A": "建档困难职工户数",
    "03B": "低保线以下户",
    "03C": "低保边缘户",
    "03D": "意外致困户",
    "03E": "脱贫户数",
    "04A": "困难企业数",
    "04B": "困难职工户数",
    "04C": "困难劳模户数",
    "04D": "农民工人数",
    "05A": "筹集款物",
    "05B": "政府拨款",
    "05C": "工会拨款",
    "05D": "社会募集",
    "06A": "发放款物",
    "06B": "劳模",
    "06C": "农民工",
    "07A": "政策宣传",
    "07B": "落实政策",
    "07C": "就业岗位",
    "07D": "就业培训",
    "07E": "医疗救助",
    "07F": "助学帮扶",
    "07G": "法律援助",
    "07H": "结对帮扶",
    "08A": "帮职工讨薪",
    "08B": "帮农民工讨薪",
    "09A": "平安返乡",
    "09B": "包专列",
    "09C": "包车",
    "09D": "购票",
    "10A": "返乡补贴",
}


def short(table, item):
    if table.id == "swn" and item.code in SHORT:
        return SHORT[item.code]
    label = re.sub(r"^(其中[:：]?\s*|\d{4}年度?)", "", item.label)
    label = re.sub(r"（[^）]*）", "", label)
    return label[:8]


def short_labels(codes: bool):
    """The labels shortened as people say them (困难职工户数 for 慰问困难职工（含农民工）, 筹集款物
    for 筹集慰问款物总额): with `codes`, 代码 | 项目 | 单位 | 数值 | 单位 | 数值; without, 序号 in
    place of 代码, and what 劳模 or 农民工 alone means is not in the row."""

    def build(form, values, header, path):
        wb, written = book(), {}
        for table in form.tables:
            ws = wb.create_sheet(table.title[:12])
            rows = [[table.title], [header_line(header)], ["代码" if codes else "序号", *NAMES[1:]]]
            rows += body_rows(
                table, values, code=codes, seq=not codes, label=lambda i, t=table: short(t, i)
            )
            end = write_rows(ws, rows, written=written)
            signatures(ws, end + 1, header)
        wb.save(path)
        return written

    return build


PDS, JZ19, JZ23, EZ, ZZ = cl.PDS, cl.JZ19, cl.JZ23, cl.EZ, cl.ZZ

# name: (builder, forms, suffix)
LAYOUTS = {
    "halfwidth-qizhong-row": (build_halfwidth_qizhong_row, (PDS, EZ, ZZ), ".xlsx"),
    "two-row-header": (build_two_row_header, (PDS, JZ19, EZ), ".xlsx"),
    "prev-year-growth": (build_prev_year_growth, (PDS, JZ23, ZZ), ".xlsx"),
    "target-and-done": (build_target_and_done, (PDS, JZ23), ".xlsx"),
    "unit-line-above": (build_unit_line_above, (EZ, JZ23, ZZ), ".xlsx"),
    "text-thousands": (build_text_thousands, (PDS, JZ19, EZ), ".xlsx"),
    "counts-and-money-columns": (build_counts_and_money_columns, (PDS, JZ19, EZ), ".xlsx"),
    "print-title-typed-twice": (build_print_title_typed_twice, (PDS, EZ, JZ19), ".xlsx"),
    "hidden-helper-columns": (build_hidden_helper_columns, (PDS, JZ19, JZ23), ".xlsx"),
    "last-year-hidden": (build_last_year_hidden, (PDS, EZ), ".xlsx"),
    "qizhong-column": (build_qizhong_column, (PDS, EZ, ZZ), ".xlsx"),
    "value-label-rows": (build_value_label_rows, (PDS, EZ, JZ19), ".xlsx"),
    "sum-formulas": (build_sum_formulas, (PDS, EZ), ".xlsx"),
    "sum-formulas-xls": (build_sum_formulas, (JZ23,), ".xls"),
    "no-header-numeric-seq": (build_no_header_numeric_seq, (PDS, EZ, JZ23), ".xlsx"),
    "pairs-per-row": (build_pairs_per_row, (JZ23, ZZ), ".xlsx"),
    "last-year-hidden-xls": (cl.converted(build_last_year_hidden, "xls"), (JZ19,), ".xls"),
    "last-year-hidden-ods": (cl.converted(build_last_year_hidden, "ods"), (ZZ,), ".ods"),
    "template-copied": (build_template_copied, (ZZ, EZ, JZ23), ".xlsx"),
    "total-on-top": (build_total_on_top, (PDS, EZ, JZ19), ".xlsx"),
    "word-split-table": (build_word_split_table, (PDS, EZ, JZ23), ".docx"),
    # A clerk copies the city's 各单位 summary (a row a unit) for his own one row: read across
    "transposed": (build_transposed, (JZ23, ZZ), ".xlsx"),
    "word-two-row-header": (build_word_two_row_header, (PDS, EZ, JZ19), ".docx"),
    "notes-with-numbers": (build_notes_with_numbers, (PDS, JZ19, EZ, ZZ), ".xlsx"),
    "short-labels-with-codes": (short_labels(codes=True), (PDS, JZ19), ".xlsx"),
    "two-row-header-xls": (cl.converted(build_two_row_header, "xls"), (PDS,), ".xls"),
    "hidden-helper-columns-xls": (
        cl.converted(build_hidden_helper_columns, "xls"),
        (JZ19,),
        ".xls",
    ),
}
# Layouts the reader is not expected to read whole: it must not read a figure wrongly.
LIMITS = {
    "short-labels-no-codes": (short_labels(codes=False), (PDS,), ".xlsx"),
}

NEEDS_SOFFICE = {"sum-formulas"}
CASES = [(n, f) for n, (_, fs, _) in LAYOUTS.items() for f in fs]
LIMIT_CASES = [(n, f) for n, (_, fs, _) in LIMITS.items() for f in fs]


def figures(form_id, name):
    form = ALL[form_id]
    values = samples.consistent(form, seed=7)
    return bigger(form, values) if name == "text-thousands" else values


def build(tmp_path, name, form_id, values, layouts):
    builder, _, suffix = layouts[name]
    if (suffix in (".xls", ".ods") or name in NEEDS_SOFFICE) and not cl.soffice():
        pytest.skip("LibreOffice (soffice) is not installed: it makes this layout")
    path = tmp_path / f"{form_id}-{name}{suffix}"
    written = builder(ALL[form_id], values, HEADERS[form_id], path)
    assert written == dict.fromkeys(values, 1), "the builder writes each figure once"
    return path


def test_a_dozen_fresh_layouts_cover_every_form():
    assert len(LAYOUTS) >= 12
    assert {f for _, fs, _ in LAYOUTS.values() for f in fs} == set(ALL)


@pytest.mark.parametrize("name, form_id", CASES, ids=[f"{f}-{n}" for n, f in CASES])
def test_fresh_layout_reads_clean(tmp_path, name, form_id):
    values = figures(form_id, name)
    path = build(tmp_path, name, form_id, values, LAYOUTS)
    report = validate.validate_file(path, ALL, validate.Options())
    loud = [
        (f.severity, f.kind, f.cell, f.message)
        for f in report.findings
        if f.severity in ("error", "warning")
    ]
    assert report.form == form_id
    assert loud == []
    wrong = {k: (v, values.get(k)) for k, v in report.values.items() if values.get(k) != v}
    assert wrong == {}
    assert report.values == values
    assert report.unit == HEADERS[form_id]["unit"]


@pytest.mark.parametrize("name, form_id", LIMIT_CASES, ids=[f"{f}-{n}" for n, f in LIMIT_CASES])
def test_unreadable_layout_gives_no_wrong_figure(tmp_path, name, form_id):
    values = figures(form_id, name)
    path = build(tmp_path, name, form_id, values, LIMITS)
    report = validate.validate_file(path, ALL, validate.Options())
    wrong = {k: (v, values.get(k)) for k, v in report.values.items() if values.get(k) != v}
    assert wrong == {}, "a figure read from the wrong row or column"
    if report.values != values:
        assert report.errors > 0, "what is not read is said"


def test_text_figures_are_typed_as_text(tmp_path):
    """The text-thousands builder types text, not numbers: 1.2万, 12,340 and full-width digits
    (a builder typing numbers would make its test prove nothing)."""
    import openpyxl

    values = figures(PDS, "text-thousands")
    assert values["swn:01A"] == 12000
    path = build(tmp_path, "text-thousands", PDS, values, LAYOUTS)
    ws = openpyxl.load_workbook(path).worksheets[0]
    typed = [c.value for row in ws.iter_rows(min_row=4) for c in row[4:7:2]]
    assert "1.2万" in typed
    assert any(isinstance(v, str) and "," in v for v in typed)
    assert any(isinstance(v, str) and "０" <= v[0] <= "９" for v in typed)
    assert not any(isinstance(v, (int, float)) for v in typed)


@pytest.mark.parametrize("form_id", [PDS, JZ23])
def test_a_deleted_row_is_its_items_missing_and_nothing_else(tmp_path, form_id):
    form = ALL[form_id]
    values = samples.consistent(form, seed=7)
    gone = {f"{t}:{code}" for t, code in DELETED.items() if t in {x.id for x in form.tables}}
    kept = {k: v for k, v in values.items() if k not in gone}
    path = tmp_path / "deleted.xlsx"
    assert build_row_deleted(form, values, HEADERS[form_id], path) == dict.fromkeys(kept, 1)
    report = validate.validate_file(path, ALL, validate.Options())
    assert report.values == kept
    errors = [(f.kind, f"{f.table}:{f.items[0]}") for f in report.findings if f.severity == "error"]
    assert errors == [("missing", k) for k in sorted(gone, key=list(values).index)]


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_hidden_columns_of_a_damaged_file_are_none_never_an_exception(tmp_path, suffix):
    """hidden_columns reads each format's own records: cut short or with bytes changed, a file
    gives {} or what it can, and never raises (the reader proper reports the damage)."""
    from wenuan.reading.hidden import hidden_columns

    values = figures(JZ23, "last-year-hidden")
    builder = (
        build_last_year_hidden
        if suffix == ".xlsx"
        else cl.converted(build_last_year_hidden, suffix[1:])
    )
    if suffix != ".xlsx" and not cl.soffice():
        pytest.skip("LibreOffice (soffice) is not installed: no xls/ods copies")
    good = tmp_path / f"good{suffix}"
    builder(ALL[JZ23], values, HEADERS[JZ23], good)
    assert hidden_columns(good) == {ALL[JZ23].tables[0].title[:12]: frozenset({3})}
    data = good.read_bytes()
    for k in range(40):
        bad = bytearray(data[: len(data) * (k + 1) // 41] if k % 2 else data)
        for at in range(k * 37, len(bad), 211 + k):
            bad[at] = (bad[at] + 1 + k) % 256
        path = tmp_path / f"bad{k}{suffix}"
        path.write_bytes(bytes(bad))
        assert isinstance(hidden_columns(path), dict)


# A SUM formula's total follows its parts: a slip in a part breaks no identity there.
SLIPS = [(n, f) for n, f in CASES if not n.startswith("sum-formulas") and slips(f)]


@pytest.mark.parametrize("name, form_id", SLIPS, ids=[f"{f}-{n}-slip" for n, f in SLIPS])
def test_fresh_layout_with_one_slip_is_one_rule_error(tmp_path, name, form_id):
    """Two digits of one part of an identity swapped (as `test_layouts.slip` chooses): exactly
    that rule's error, and the slipped figure read as typed."""
    from test_layouts import slip

    key, typed, _original, values, rule = slip(ALL[form_id])
    path = build(tmp_path, name, form_id, values, LAYOUTS)
    report = validate.validate_file(path, ALL, validate.Options())
    errors = [(f.kind, f.rule) for f in report.findings if f.severity == "error"]
    assert errors == [(rule.kind, rule.id)]
    assert report.values[key] == typed
