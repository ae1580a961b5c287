"""The notice's own Word form filled in: Pingdingshan's 附件 prints its tables as sentences with
blanks (当地职工总数　　人；) in a 3-column table with no header row; units type each figure into
its blank (当地职工总数　36517　人。)."""

from datetime import date

import docx

from wenuan.checking import samples, validate
from wenuan.forms import model as forms
from wenuan.forms.model import quantize
from wenuan.reading.blanks import blanks

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
PDS = ALL["pingdingshan-2010"]
SP = "\u3000"
# the two-figure sentences as the notice prints them (the form's label is split by a blank)
PRINTED = {
    "08A": "共协助政府有关部门帮助{0}名职工追讨欠薪{1}万元；",
    "08B": "共协助政府有关部门帮助{0}名农民工追讨欠薪{1}万元。",
}


def figure(table, ref, values) -> str:
    v = values.get(f"{table.id}:{ref}")
    return "" if v is None else f"{quantize(v, table.cells[ref].decimals):f}"


def sentence(table, item, values) -> str:
    """The notice's sentence for an item, each blank holding the unit's figure (or none)."""
    refs = [r for r, c in table.cells.items() if c.item == item.code]
    blanks_ = [f"{SP}{figure(table, r, values)}{SP}" for r in refs]
    if item.code in PRINTED and table.id == "swn":
        return PRINTED[item.code].format(*blanks_)
    vals = item.all_values
    first = vals[0].label or ""
    out = item.label + ("" if item.label.endswith(first) else first)  # …资金的共有　个
    out += f"{blanks_[0]}{table.cells[refs[0]].unit}"
    for ref, blank, value in zip(refs[1:], blanks_[1:], vals[1:], strict=True):
        out += f"，{value.label or ''}{blank}{table.cells[ref].unit}"
    return out + "；"


def notice_form(path, values, unit="叶县总工会") -> None:
    """Each table as the notice prints it: title, 填报单位 line, seq | （A） | sentence rows."""
    d = docx.Document()
    for table in PDS.tables:
        d.add_paragraph(table.title)
        d.add_paragraph(f"填报单位：{unit}    填报人：王芳    联系电话：0375-2916465")
        grid = d.add_table(rows=0, cols=3)
        for item, _ in table.walk():
            row = grid.add_row().cells
            row[0].text = item.seq or ""
            letter = item.code[-1] if item.code[-1].isalpha() else ""
            row[1].text = f"（{letter}）" if letter else ""
            row[2].text = sentence(table, item, values) if item.all_values else item.label
    d.add_paragraph("2010年1月28日")
    d.save(path)


def test_a_filled_blank_is_label_figure_unit():
    assert blanks(f"当地职工总数{SP}36517{SP}人。") == ["当地职工总数", "36517", "人"]
    assert blanks(f"当地职工总数{SP}        {SP}{SP}人。") == ["当地职工总数", "", "人"]
    assert blanks("共协助政府有关部门帮助  12  名职工追讨欠薪 3.50 万元；") == [
        "共协助政府有关部门帮助职工追讨欠薪",
        *("12", "名", "3.50", "万元"),
    ]
    assert blanks("共包专列  2  列，运送   1800 人次；") == ["共包专列", "2", "列", "1800", "人次"]
    assert blanks("地市级   3 个；（以全总审批为准）") == ["地市级", "3", "个"]
    assert blanks("填报单位：叶县  联系电话：0375-2916465") is None
    assert blanks("2010年元旦、春节期间送温暖活动中") is None
    assert blanks("（注：05A=05B+05C+05D）") is None


def test_the_notice_form_filled_in_word_reads_as_the_template(tmp_path):
    values = samples.consistent(PDS)
    path = tmp_path / "叶县.docx"
    notice_form(path, values)
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 28)))
    assert report.values == values
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.unit == "叶县总工会"
    assert report.places["swn:01A"] == "表格1第1行第3列"
    assert report.places["swn:09B[人次]"] == report.places["swn:09B[列]"] + "第2空"


def test_a_slip_typed_in_a_blank_is_found_at_its_cell(tmp_path):
    values = samples.consistent(PDS)
    slipped = values | {"swn:05B": values["swn:05B"] * 100}  # 1.14 typed 114
    path = tmp_path / "叶县.docx"
    notice_form(path, slipped)
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 28)))
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.rule, f.cell) for f in errors] == [("swn-05", "表格1第14行第3列")]  # at 05A
    fix = errors[0].suggestion
    assert (fix.item, fix.value, fix.cell) == ("05B", values["swn:05B"], "表格1第15行第3列")


def test_the_form_sent_back_empty_is_every_figure_missing_at_its_blank(tmp_path):
    path = tmp_path / "叶县.docx"
    notice_form(path, {})
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 28)))
    missing = [f for f in report.findings if f.kind == "missing"]
    assert len(missing) == sum(len(t.cells) for t in PDS.tables)
    assert not [f for f in report.findings if f.kind == "table"]
    assert {f.cell for f in missing if f.items == ["01A"] and f.table == "swn"} == {
        "表格1第1行第3列"
    }


def test_the_notice_form_copied_into_excel_reads_with_cells(tmp_path):
    """The same form retyped in a sheet: 01 | （A） | 当地职工总数　36517　人。, figures at A1 cells."""
    import openpyxl

    values = samples.consistent(PDS)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in PDS.tables:
        ws = wb.create_sheet(table.title)
        ws.append([table.title])
        ws.append(["填报单位：叶县总工会    填报人：王芳    联系电话：0375-2916465"])
        for item, _ in table.walk():
            letter = item.code[-1] if item.code[-1].isalpha() else ""
            text = sentence(table, item, values) if item.all_values else item.label
            ws.append([item.seq or None, f"（{letter}）" if letter else None, text])
    path = tmp_path / "叶县.xlsx"
    wb.save(path)
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 28)))
    assert report.values == values
    assert [f for f in report.findings if f.severity != "info"] == []
    assert report.places["swn:01A"] == "送温暖工程统计表!C3"
    assert report.places["swn:08A[万元]"] == "送温暖工程统计表!C34第2空"


def test_three_sentences_in_one_cell_are_three_rows(tmp_path):
    """The printed form puts 03C, 03D and 03E in one cell, a line each (（C）（D）（E） beside)."""
    values = samples.consistent(PDS)
    table = PDS.tables[0]
    items = {i.code: i for i, _ in table.walk()}
    d = docx.Document()
    d.add_paragraph(table.title)
    d.add_paragraph("填报单位：叶县总工会    填报人：王芳    联系电话：0375-2916465")
    grid = d.add_table(rows=0, cols=3)
    for item, _ in table.walk():
        if item.code in ("03D", "03E"):
            continue
        row = grid.add_row().cells
        row[0].text, row[1].text = item.seq or "", f"（{item.code[-1]}）"
        row[2].text = sentence(table, item, values) if item.all_values else item.label
        if item.code == "03C":
            row[1].text = "（C）\n（D）\n（E）"
            row[2].text = "\n".join(
                sentence(table, items[c], values) for c in ("03C", "03D", "03E")
            )
    path = tmp_path / "叶县.docx"
    d.save(path)
    report = validate.validate_file(path, ALL, validate.Options(received=date(2010, 1, 28)))
    swn = {k: v for k, v in values.items() if k.startswith("swn:")}
    assert {k: v for k, v in report.values.items() if k.startswith("swn:")} == swn
    assert [report.places[f"swn:{c}"] for c in ("03C", "03D", "03E")] == [
        "表格1第5行第3列",
        "表格1第5行第3列第2句",
        "表格1第5行第3列第3句",
    ]
