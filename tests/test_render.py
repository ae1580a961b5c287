"""render: the filled official table, and (when asked) the Word report."""

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wenuan import forms, render, samples, validate, writing
from wenuan.cli import app

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = forms.Library()
runner = CliRunner()


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_render_xlsx_puts_every_figure_in_its_place(tmp_path, form_id):
    form = ALL[form_id]
    out = tmp_path / "filled.xlsx"
    data = EXAMPLES / f"{form_id}_valid.xlsx"
    result = runner.invoke(app, ["render", "--form", form_id, "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    expected = samples.consistent(form)
    for table in form.tables:
        ws = wb[writing._sheet_name(table)]
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        for ref, at in writing.cell_positions(table).items():
            cell = table.cells[ref]
            assert ws[at].value == pytest.approx(float(expected[f"{table.id}:{ref}"])), (ref, at)
            assert ws[at].number_format == ("0.00" if cell.decimals else "0")
    assert validate.validate_file(out, ALL, validate.Options()).errors == 0


def test_render_without_data_is_the_blank_official_table(tmp_path):
    out = tmp_path / "blank.xlsx"
    assert runner.invoke(app, ["render", "--form", "ezhou-2022", "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out)["2022年春节期间各级工会送温暖统计表"]
    assert ws["A1"].value == "2022年春节期间各级工会送温暖统计表"
    assert ws["B6"].value == "A" and ws["E6"].value is None


def test_render_reads_the_units_behind_a_total(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    form = ALL["ezhou-2022"]
    for i, unit in enumerate(["鄂城区", "华容区"]):
        head = {"unit": unit, "person": "王芳", "phone": "027-60229321", "date": "2022-01-20"}
        writing.save_atomically(
            writing.filled(form, samples.consistent(form, i), head), folder / f"{i}.xlsx", True
        )
    total = tmp_path / "total.xlsx"
    assert runner.invoke(app, ["consolidate", str(folder), "-o", str(total)]).exit_code == 0
    data = render.load_data(total, form, ALL)
    assert [u["unit"] for u in data.units] == ["鄂城区总工会", "华容区总工会"]
    assert data.units[1]["values"]["swn:E"] == samples.consistent(form, 1)["swn:E"]


def test_render_refuses_other_suffixes_and_unreadable_data(tmp_path):
    result = runner.invoke(app, ["render", "--form", "ezhou-2022", "-o", str(tmp_path / "x.txt")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：输出文件须为 .xlsx、.docx 或 .pdf：{tmp_path / 'x.txt'}\n",
    )
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nope")
    result = runner.invoke(
        app, ["render", "--form", "ezhou-2022", "--data", str(bad), "-o", str(tmp_path / "y.xlsx")]
    )
    assert result.exit_code == 2
    assert (
        result.stderr == f"错误：无法从 {bad} 取得数据：bad.xlsx 已损坏或不是表格文件，无法读取\n"
    )
