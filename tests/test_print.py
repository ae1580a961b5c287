"""What people print: the blank template and the consolidated total, cell by cell and, through
LibreOffice, page by page (every label whole, the chart on one page, unit names on every page)."""

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import write_return
from typer.testing import CliRunner

from wenuan.checking import samples
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import writing

ALL = forms.Library()
PDS = ALL["pingdingshan-2010"]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(
    not (SOFFICE and shutil.which("pdftotext")), reason="LibreOffice or pdftotext missing"
)


def pdf_pages(xlsx: Path) -> list[str]:
    """The workbook printed to PDF by LibreOffice, as the text of each page."""
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(xlsx.parent), str(xlsx)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdf = xlsx.with_suffix(".pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # a form feed ends every page


def flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def labels(form) -> list[str]:
    return [item.label for table in form.tables for item, _ in table.walk()]


@pytest.fixture(scope="module")
def total(tmp_path_factory):
    """Every unit of pingdingshan-2010 reported; their total as `wenuan consolidate` writes it."""
    folder = tmp_path_factory.mktemp("print")
    returns = folder / "returns"
    returns.mkdir()
    for i, unit in enumerate(PDS.units):
        write_return(returns / f"{i}.xlsx", PDS, samples.consistent(PDS, i), unit.name)
    out = folder / "total.xlsx"
    result = CliRunner().invoke(app, ["consolidate", str(returns), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def total_pages(total):
    return pdf_pages(total)


@needs_office
def test_the_total_prints_in_13_pages_each_sheet_as_meant(total_pages):
    pages = total_pages
    # before issue 13: 19 pages, labels cut, the chart split over two pages
    assert len(pages) <= 13
    assert "图表" not in pages[-1] and "各单位主要项目" in pages[-1]  # the chart sheet comes last
    assert "送温暖工程统计表" in pages[0] and "困难职工帮扶中心统计表" in pages[1]
    chart = [p for p in pages if "各单位主要项目" in p]
    assert len(chart) == 1
    assert "筹集慰问款物总额（万元）" in chart[0] and "swn:" not in chart[0]
    assert "（人）" not in chart[0]  # one unit of measure a chart
    units = [p for p in pages if "swn:" in p or "bfzx:" in p]
    assert len(units) == len(pages) - 4  # two tables, the chart, 来源
    for page in units:  # the unit names are printed on every page of 各单位
        assert all(u.name in page for u in PDS.units), page[:200]
    sources = pages[-2]  # 来源: names and times printed, the hashes only on screen
    assert "收到日期" in sources and "SHA-256" not in sources


@needs_office
def test_the_printed_total_has_every_label_whole_and_the_date_as_a_date(total_pages):
    pages = total_pages
    tables = flat("".join(pages[:2]))
    assert [x for x in labels(PDS) if flat(x) not in tables] == []
    assert "联系电话：" in tables and "填报日期：" in tables and "###" not in tables
    today = date.today()
    assert f"{today.year}年{today.month}月{today.day}日" in tables


@needs_office
def test_the_template_prints_a_page_a_table_with_every_label_whole(tmp_path):
    for form_id in ("pingdingshan-2010", "jiaozuo-2019"):
        form = ALL[form_id]
        out = tmp_path / f"{form_id}.xlsx"
        writing.save_atomically(writing.template(form), out, force=True)
        pages = pdf_pages(out)
        assert len(pages) == len(form.tables)
        text = flat("".join(pages))
        assert [x for x in labels(form) if flat(x) not in text] == []
        for field in ("填报单位：", "填报人：", "联系电话：", "填报日期：", "备注"):
            assert field in text


def test_total_sheets_print_on_a4_with_titles_repeated(total):
    wb = openpyxl.load_workbook(total)
    table = wb["送温暖工程统计表"]
    assert (int(table.page_setup.paperSize), table.page_setup.fitToWidth) == (9, 1)
    assert table.print_title_rows == "$1:$5" and table["F4"].number_format == writing.DATE_FORMAT
    assert table["E6"].border.left.style == "thin"
    units = wb["各单位"]
    assert (units.page_setup.orientation, units.freeze_panes) == ("landscape", "C3")
    assert (units.print_title_rows, units.print_title_cols) == ("$1:$2", "$A:$A")
    assert [units.cell(2, c).value for c in (3, 4)] == [
        "当地职工总数（人）",
        "当地困难职工总数（人）",
    ]
    assert "A1:A2" in {str(r) for r in units.merged_cells.ranges}
    assert wb.chartsheets[0].title == "图表"
    assert wb["来源"].page_setup.orientation == "landscape"


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_template_text_fits_its_column_and_each_value_cell_says_what_to_type(form_id):
    form = ALL[form_id]
    wb = writing.template(form)
    for table in form.tables:
        ws = wb[writing._sheet_name(table)]
        merged = {c for r in ws.merged_cells.ranges for row in ws[r.coord] for c in row}
        for row in ws.iter_rows(min_row=3):
            for cell in row:
                if cell.value is None or cell in merged:
                    continue
                width = ws.column_dimensions[cell.column_letter].width
                if cell.column_letter == "C":  # labels wrap: the row is as tall as they need
                    lines = -(-writing.text_width(cell.value) // (width - 3))
                    height = ws.row_dimensions[cell.row].height or writing.CJK_LINE
                    assert height >= lines * writing.CJK_LINE, cell.coordinate
                else:
                    assert writing.text_width(cell.value) < width, (cell.coordinate, cell.value)
        prompts = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
        for ref, at in writing.cell_positions(table).items():
            c = table.cells[ref]
            assert prompts[at].prompt.startswith(f"{c.label}（{c.unit}）"), (at, prompts[at].prompt)
            assert prompts[at].showInputMessage and not ws[at].protection.locked
            assert not ws[f"H{ws[at].row}"].protection.locked  # 备注 is open
        assert ws["C6"].protection.locked
        assert ws["F4"].number_format == writing.DATE_FORMAT
        assert (prompts["F4"].type, prompts["F4"].showInputMessage) == ("date", True)


def test_live_checks_colour_warnings_apart_from_errors():
    wb = writing.template(PDS)
    ws = wb["送温暖工程统计表"]
    at = writing.cell_positions(PDS.tables[0])
    fills = {
        str(rng.sqref): rule.dxf.fill.fgColor.rgb
        for rng in ws.conditional_formatting
        for rule in rng.rules
    }
    assert fills[at["05A"]] == "00" + writing.ERROR_LOOK[0]  # 05A = 05B + 05C + 05D: an error
    assert fills[at["06A"]] == "00" + writing.WARNING_LOOK[0]  # 06A <= 05A: a warning


def test_the_total_keeps_every_text_as_sent_and_each_cell_its_look(tmp_path):
    """各单位 and 来源 are written as XML text: what a unit wrote comes back exactly (markup
    characters, spaces, line breaks, a formula's look), each cell with its font, border,
    alignment and number format, an empty figure empty."""
    from wenuan.checking import consolidate
    from wenuan.checking.findings import FileReport, Finding

    names = ["叶县 & <总工会>", "=SUM(A1)", "鲁山县\r\n总工会", None]
    files = [f" {i} a&b<c>.xlsx" for i in range(4)]
    values = samples.consistent(PDS)
    keys = [f"{tb.id}:{ref}" for tb in PDS.tables for ref in tb.cells]
    gap, money = keys[0], next(k for k in keys if "万元" in k)
    reports = [
        FileReport(
            f"/in/{file}",
            PDS.id,
            name,
            values={k: v for k, v in values.items() if not (i == 3 and k == gap)},
            sha256="0" * 64,
            findings=[
                Finding("warning", "x", what="text", params={"text": f"注意 <{i}> &\n 第二行 "})
            ]
            if i == 1
            else [],
        )
        for i, (name, file) in enumerate(zip(names, files, strict=True))
    ]
    result = consolidate.consolidate(reports, {PDS.id: PDS}, PDS.id, roster=[])
    out = tmp_path / "total.xlsx"
    writing.save_atomically(writing.consolidation(result, {"unit": "汇总"}), out, force=False)
    wb = openpyxl.load_workbook(out)
    units, sources = wb["各单位"], wb["来源"]
    assert [units.cell(r, 1).value for r in range(3, 8)] == [*names, "合计"]
    assert [units.cell(r, 2).value for r in range(3, 7)] == files
    assert (units.cell(4, 1).data_type, units.cell(6, 3).value) == ("s", None)
    assert units.cell(7, 3).value == 3 * values[gap]
    figure = units.cell(3, 3)
    assert (figure.number_format, figure.font.name, figure.font.sz) == ("0", writing.FONT, 10)
    assert units.cell(3, 3 + keys.index(money)).number_format == "0.00"
    assert figure.border.left.style == units.cell(1, 1).border.bottom.style == "thin"
    assert figure.alignment.horizontal == "center" and not figure.font.b
    assert units.cell(3, 1).alignment.horizontal == "left" and units.cell(2, 3).font.b
    assert (units.cell(1, 3).font.sz, units.cell(6, 2).font.sz) == (8, 8)
    assert units.row_dimensions[2].height >= writing.SMALL_LINE * 2
    # a finding's message shows a line break from a file as a visible escape (safetext)
    assert sources.cell(3, 7).value == "注意 <1> &\\n 第二行 " and sources.cell(3, 8).font.sz == 8
    assert sources.cell(1, 1).font.b and sources.cell(3, 8).alignment.wrap_text


@needs_office
def test_a_total_of_three_units_prints_on_six_pages(tmp_path):
    """Issue 21: 3 of 23 units printed 13 pages, nine of them 各单位 about 85 % blank; a few
    units' figures print with an item a row (分单位), 各单位 kept hidden for render."""
    returns = tmp_path / "returns"
    returns.mkdir()
    for i, unit in enumerate(PDS.units[:3]):
        write_return(returns / f"{i}.xlsx", PDS, samples.consistent(PDS, i), unit.name)
    out = tmp_path / "total.xlsx"
    result = CliRunner().invoke(app, ["consolidate", str(returns), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert [wb[n].sheet_state for n in ("分单位", "各单位")] == ["visible", "hidden"]
    assert [c.value for c in wb["分单位"][1]] == [
        "代码",
        "项目（单位）",
        "叶县",
        "卫东区",
        "鲁山",
        "合计",
    ]
    pages = pdf_pages(out)
    assert len(pages) == 6  # 2 tables, 2 of 分单位, 来源, the chart
    items = [p for p in pages if "项目（单位）" in p]  # the heading repeated on each page
    assert len(items) == 2 and all("叶县" in p and "合计" in p for p in items)
