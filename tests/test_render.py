"""render: the filled official table, and (when asked) the Word report."""

from pathlib import Path

import openpyxl
import pytest
from conftest import example_figures
from typer.testing import CliRunner

from wenuan.checking import samples, validate
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import render, writing

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = forms.Library()
runner = CliRunner()


def render_example(out: Path, form_id: str = "pingdingshan-2010"):
    """Render the bundled valid example of a form to `out`."""
    data = EXAMPLES / f"{form_id}_valid.xlsx"
    return runner.invoke(app, ["render", "--form", form_id, "--data", str(data), "-o", str(out)])


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_render_xlsx_puts_every_figure_in_its_place(tmp_path, form_id):
    form = ALL[form_id]
    out = tmp_path / "filled.xlsx"
    data = EXAMPLES / f"{form_id}_valid.xlsx"
    result = runner.invoke(app, ["render", "--form", form_id, "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    expected = example_figures(form)
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


@pytest.fixture
def ezhou_total(tmp_path):
    """Two units' returns of ezhou-2022 in a folder, and their consolidated total."""
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
    return folder, total


def test_render_reads_the_units_behind_a_total(ezhou_total):
    _, total = ezhou_total
    form = ALL["ezhou-2022"]
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


# ---- the Word report ---------------------------------------------------------------------------

import shutil  # noqa: E402
import subprocess  # noqa: E402

import docx  # noqa: E402


def _docx_tables(path: Path) -> list[list[list[str]]]:
    return [
        [[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables
    ]


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_render_docx_puts_every_figure_in_its_table(tmp_path, form_id):
    form = ALL[form_id]
    out = tmp_path / "report.docx"
    data = EXAMPLES / f"{form_id}_valid.xlsx"
    result = runner.invoke(app, ["render", "--form", form_id, "--data", str(data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    expected = example_figures(form)
    tables = _docx_tables(out)
    assert len(tables) == len(form.tables)
    for table, rows in zip(form.tables, tables, strict=True):
        assert rows[0] == ["代码", "项目", "单位", "数值"]
        by_code = {r[0]: r for r in rows[1:]}
        for item, _ in table.walk():
            refs = [r for r, c in table.cells.items() if c.item == item.code]
            figures = "、".join(
                validate.show(expected[f"{table.id}:{r}"], table.cells[r].decimals) for r in refs
            )
            assert by_code[item.code][3] == figures, (table.id, item.code)
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert (
        normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋"
    )
    text = "\n".join(p.text for p in document.paragraphs)
    title = form.title.replace("《", "〈").replace("》", "〉")  # a title within a title
    assert f"根据《{title}》" in text and "关于" in text.splitlines()[0]


def test_report_summary_is_written_from_the_figures(tmp_path):
    out = tmp_path / "r.docx"
    assert render_example(out).exit_code == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    v = example_figures(ALL["pingdingshan-2010"])
    assert (
        f"共筹集慰问款物{v['swn:05A']:.2f}万元，其中政府拨款{v['swn:05B']:.2f}万元、"
        f"工会拨款{v['swn:05C']:.2f}万元、社会募集{v['swn:05D']:.2f}万元，"
    ) in text
    assert "05A" not in text.split("附件")[0] and "=" not in text


def test_report_of_a_total_lists_its_units(tmp_path, ezhou_total):
    folder, total = ezhou_total
    form = ALL["ezhou-2022"]
    out = tmp_path / "r.docx"
    result = runner.invoke(
        app,
        [
            "render",
            "--form",
            "ezhou-2022",
            "--data",
            str(total),
            "-o",
            str(out),
            "--returns",
            str(folder),
            "--cover",
            str(tmp_path / "说明.docx"),
            "--to",
            "湖北省总工会",
            "--date",
            "2022-01-30",
        ],
    )
    assert result.exit_code == 0, result.stderr
    units = _docx_tables(out)[0]
    # headings broken between words, enterprises counted in 家
    assert units[0][:3] == ["单位", "筹集送温暖\n款物\n（万元）", "走访慰问企业\n（家）"]
    assert [r[0] for r in units[1:]] == ["鄂城区总工会", "华容区总工会", "合计"]
    assert units[2][1] == validate.show(samples.consistent(form, 1)["swn:A"], 2)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "未报送" not in text and "湖北省总工会：" in text and "2022年1月30日" in text
    cover = [p.text for p in docx.Document(str(tmp_path / "说明.docx")).paragraphs]
    assert cover[1] == (
        "截至2022年1月30日，应报送的5个单位中已报送2个，3个尚未报送（梁子湖区总工会、"
        "葛店开发区总工会、临空经济区总工会）；报告中的数字据已报送的2个单位统计，"
        "其余单位报齐后另行补报。"
    )


def _template(tmp_path: Path, tag: str) -> Path:
    document = docx.Document()
    document.add_paragraph("报告")
    document.add_paragraph(tag)
    path = tmp_path / "mine.docx"
    document.save(str(path))
    return path


def test_a_template_that_reaches_for_python_internals_is_refused(tmp_path):
    evil = _template(tmp_path, "{{ union.__class__.__mro__[1].__subclasses__() }}")
    out = tmp_path / "r.docx"
    result = runner.invoke(
        app, ["render", "--form", "ezhou-2022", "-o", str(out), "--template", str(evil)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：模板 {evil} 第 3 行有误：不允许的操作：")
    assert "__class__" in result.stderr and not out.exists()


def test_a_broken_template_names_the_tag(tmp_path):
    broken = _template(tmp_path, "{% for x in summary %}{{ x }}")
    result = runner.invoke(
        app,
        [
            "render",
            "--form",
            "ezhou-2022",
            "-o",
            str(tmp_path / "r.docx"),
            "--template",
            str(broken),
        ],
    )
    assert result.exit_code == 2
    assert "有误：" in result.stderr and "endfor" in result.stderr


def test_a_template_that_is_no_docx(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a document")
    result = runner.invoke(
        app,
        ["render", "--form", "ezhou-2022", "-o", str(tmp_path / "r.docx"), "--template", str(bad)],
    )
    assert result.exit_code == 2 and f"模板 {bad} 无法打开" in result.stderr


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    not (OFFICE and shutil.which("pdftotext")), reason="LibreOffice or pdftotext missing"
)
def test_pdf_through_libreoffice_has_the_chinese_and_the_figures(tmp_path):
    out = tmp_path / "report.pdf"
    result = render_example(out)
    assert result.exit_code == 0, result.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    v = example_figures(ALL["pingdingshan-2010"])
    assert "送温暖" in text and "平顶山市总工会" in text and "筹集慰问款物总额" in text
    assert f"{v['swn:05A']:.2f}" in text and str(v["swn:01A"]) in text
    assert (
        subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout.count("A4")
        == 1
    )


def test_pdf_without_libreoffice_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(app, ["render", "--form", "ezhou-2022", "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert "生成 PDF 需要 LibreOffice，本机未安装" in result.stderr


def test_chart_draws_chinese_with_a_cjk_font(tmp_path):
    if not render.cjk_fonts():
        pytest.skip("no CJK font installed")
    form = ALL["ezhou-2022"]
    png = tmp_path / "c.png"
    assert render.chart_png(form, render.Data(values=samples.consistent(form)), png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
