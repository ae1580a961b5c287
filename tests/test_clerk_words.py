"""Words that are the clerk's own: a two-figure item's money row in the clerk's words (追讨欠薪金额
for 欠薪), a total typed under its parts below a heading that is not its label (建档困难职工情况 |
parts | 小计), and long labels shortened (Pingdingshan 03B–03D, 08B) between recognised rows."""

from datetime import date

import openpyxl
import pytest

from wenuan.checking import samples, validate
from wenuan.forms import model as forms
from wenuan.forms.model import quantize

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
PDS, JZ23 = ALL["pingdingshan-2010"], ALL["jiaozuo-2023"]


def rows_of(table, values, labels=None, second=None, total_below=()):
    """项目 | 单位 | 数值 rows as a clerk types them: `labels` replaces an item's label, `second`
    labels a two-figure item's second row, an item in `total_below` is typed as a heading row
    (its label, no figure), its parts, then 小计 with its figure. Each figure's row, by ref."""
    labels, second = labels or {}, second or {}
    out, at, later = [], {}, {}
    for item, _ in table.walk():
        refs = [r for r, c in table.cells.items() if c.item == item.code]
        if not refs:
            out.append([item.label, None, None])
            continue
        for i, ref in enumerate(refs):
            cell = table.cells[ref]
            v = values[f"{table.id}:{ref}"]
            figure = float(quantize(v, cell.decimals)) if cell.decimals else int(v)
            label = labels.get(item.code, item.label) if i == 0 else second.get(item.code)
            if item.code in total_below:
                out.append([labels.get(item.code, item.label), None, None])
                later[item.code] = (ref, cell.unit, figure)
                continue
            at[ref] = len(out)
            out.append([label, cell.unit, figure])
        parent = next((p for p in later if _last_part(table, p) == item.code), None)
        if parent:
            ref, unit, figure = later.pop(parent)
            at[ref] = len(out)
            out.append(["小计", unit, figure])
    return out, at


def _last_part(table, code):
    item = next(i for i, _ in table.walk() if i.code == code)
    last = item.items[-1]
    while last.items:
        last = last.items[-1]
    return last.code


def workbook(path, form, values, **kw) -> dict[str, str]:
    """One sheet a table: title, 填报单位, header, rows; the cell of each figure by key."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    cells = {}
    for table in form.tables:
        ws = wb.create_sheet(table.title[:31])
        ws.append([table.title])
        ws.append(["填报单位：叶县总工会　填报人：王芳　联系电话：0375-2916465　2010年1月28日"])
        ws.append(["项目", "单位", "数值"])
        rows, at = rows_of(table, values, **kw.get(table.id, {}))
        for row in rows:
            ws.append(row)
        cells |= {f"{table.id}:{ref}": f"{ws.title}!C{4 + i}" for ref, i in at.items()}
    wb.save(path)
    return cells


def check(path, **options):
    options = validate.Options(received=date(2010, 1, 28), **options)
    return validate.validate_file(path, ALL, options)


def not_info(report):
    return [
        (f.severity, f.kind, f.cell, f.message) for f in report.findings if f.severity != "info"
    ]


def test_a_money_row_in_the_clerks_words_is_the_items_second_figure(tmp_path):
    values = samples.consistent(PDS)
    second = {
        "08A": "追讨欠薪金额",
        "08B": "追讨欠薪金额（万元）",
        "09B": "运送",
        "09C": "运送人次",
    }
    path = tmp_path / "r.xlsx"
    cells = workbook(path, PDS, values, swn={"second": second})
    report = check(path)
    assert not_info(report) == []
    assert report.values == values
    assert report.places["swn:08A[万元]"] == cells["swn:08A[万元]"]


@pytest.mark.parametrize(
    "form, table, heading",
    [(JZ23, "dryx", {"A": "建档困难职工情况"}), (PDS, "swn", {"05A": "筹集慰问款物"})],
)
def test_a_total_under_its_parts_below_a_heading_is_the_headings_item(
    tmp_path, form, table, heading
):
    values = samples.consistent(form)
    (code,) = heading
    path = tmp_path / "r.xlsx"
    cells = workbook(path, form, values, **{table: {"labels": heading, "total_below": heading}})
    report = check(path)
    assert not_info(report) == []
    assert report.values == values
    assert report.places[f"{table}:{code}"] == cells[f"{table}:{code}"]


def test_a_slip_in_a_total_typed_under_its_parts_is_found_there(tmp_path):
    values = samples.consistent(JZ23)
    slipped = values | {"dryx:A": values["dryx:A"] + 9}
    path = tmp_path / "r.xlsx"
    heading = {"A": "建档困难职工情况"}
    cells = workbook(path, JZ23, slipped, dryx={"labels": heading, "total_below": heading})
    report = check(path)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.cell) for f in errors] == [("dryx-A", cells["dryx:A"])]


SHORT = {
    "03B": "低于低保线的困难职工家庭",
    "03C": "略高于低保线的困难职工家庭",
    "03D": "因意外事件自然灾害致困家庭",
    "08B": "帮助农民工追讨欠薪",
}


def test_long_labels_shortened_between_recognised_rows_are_placed_in_order(tmp_path):
    values = samples.consistent(PDS)
    path = tmp_path / "r.xlsx"
    cells = workbook(path, PDS, values, swn={"labels": SHORT, "second": {"08B": "欠薪"}})
    report = check(path, explain=True)
    assert not_info(report) == []
    assert report.values == values
    assert {k: report.places[k] for k in cells} == cells
    near = {(f.items[0], f.message) for f in report.findings if f.kind == "label"}
    assert (
        "03D",
        "把“因意外事件自然灾害致困家庭”读作因意外事件、自然灾害等原因造成家庭生活困难的"
        "困难职工家庭（03D）（相似度 78%）；如有误请改用表中原文",
    ) in near
    assert {i for i, _ in near} == {"03B", "03C", "03D", "08B[名]"}


def test_a_shortened_label_with_no_room_between_its_neighbours_is_not_placed(tmp_path):
    """Two rows between 03A and 03E for three items, one of them unlike any: the two that are
    like their items are placed in order, the item with no row is missing, never guessed."""
    values = samples.consistent(PDS)
    path = tmp_path / "r.xlsx"
    labels = {**SHORT, "03C": "其他情况补充说明栏目"}
    workbook(path, PDS, values, swn={"labels": labels})
    report = check(path)
    assert report.values.get("swn:03C") is None
    assert report.values["swn:03B"] == values["swn:03B"]
    assert report.values["swn:03D"] == values["swn:03D"]
