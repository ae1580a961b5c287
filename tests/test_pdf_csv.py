"""Returns sent as PDF (saved from Excel or Word by LibreOffice) or as CSV (GBK or UTF-8, comma
or tab) give the findings the spreadsheet gives, at their own cells; a scan is refused."""

import codecs
import shutil
from pathlib import Path

import clerk_layouts as cl
import openpyxl
import pytest

from wenuan.checking import validate
from wenuan.forms import model as forms

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = forms.Library()
needs_office = pytest.mark.skipif(not cl.soffice(), reason="LibreOffice (soffice) not installed")


def check(path: Path, **options):
    return validate.validate_file(path, ALL, validate.Options(**{"explain": True, **options}))


def _copy(tmp_path: Path, name: str) -> Path:
    source = EXAMPLES / name
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def said(what: str, params: dict) -> str:
    """The clerk's words of a finding."""
    from wenuan.words.findings import words
    from wenuan.words.safetext import shown

    return shown(words(what, params, "clerk"))


def _as_read(report, other) -> list[tuple]:
    """The report's findings with each place `other` read a value from named as `report` read
    it (送温暖工程统计表!E20 -> 第1页表格1第16行第5列)."""
    cells = {(r["table"], r["item"]): r["cell"] for r in report.reading}
    places = {r["cell"]: cells[r["table"], r["item"]] for r in other.reading if r["cell"]}

    def moved(data):
        if isinstance(data, dict):
            return {k: moved(v) for k, v in data.items()}
        if isinstance(data, list):
            return [moved(v) for v in data]
        return places.get(data, data) if isinstance(data, str) else data

    return [
        (f.severity, f.kind, f.items, f.table, f.rule, moved(f.cell), said(f.what, moved(f.params)))
        for f in other.findings
    ]


def _same_as(report, other) -> None:
    """Same form, unit, values, day received and findings, each at its own file's cell."""
    assert (report.form, report.unit, report.values, report.received) == (
        other.form,
        other.unit,
        other.values,
        other.received,
    )
    assert [
        (f.severity, f.kind, f.items, f.table, f.rule, f.cell, f.message) for f in report.findings
    ] == _as_read(report, other)


# ---------------------------------------------------------------------------------------------
# PDF


@needs_office
@pytest.mark.parametrize(
    "name",
    [
        "pingdingshan-2010_valid.xlsx",
        "pingdingshan-2010_identity.xlsx",
        "ezhou-2022_yuan-for-wanyuan.xlsx",
        "own-layouts/鄂城区_Word填报.docx",
    ],
)
def test_a_pdf_saved_from_a_return_gives_its_findings(tmp_path, name):
    source = _copy(tmp_path, name)
    pdf = cl.convert(source, "pdf")
    original, read = check(source), check(pdf)
    _same_as(read, original)
    assert all(p.startswith("第") and "页表格" in p for p in read.places.values())


@needs_office
def test_a_pdf_printed_without_rules_is_read_by_its_columns_of_text(tmp_path):
    from openpyxl.styles import Border

    source = _copy(tmp_path, "pingdingshan-2010_identity.xlsx")
    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.border = Border()  # Excel prints no gridlines: text alone, lined up
    wb.save(source)
    original, read = check(source), check(cl.convert(source, "pdf"))
    _same_as(read, original)
    assert read.findings[0].cell == "第1页表格1第20行第5列"  # blank rows between the lines


@needs_office
def test_a_slip_in_a_pdf_is_found_at_its_page_table_row_and_column(tmp_path):
    pdf = cl.convert(_copy(tmp_path, "pingdingshan-2010_identity.xlsx"), "pdf")
    report = check(pdf)
    assert report.header == {
        "unit": "叶县",
        "person": "王芳",
        "phone": "0375-2916465",
        "date": "2010年1月30日",
    }
    assert [(f.kind, f.cell, f.message) for f in report.findings] == [
        (
            "identity",
            "第1页表格1第15行第5列",
            "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和 84.55 万元，"
            "相差 0.45 万元（05A = 05B + 05C + 05D；规则 swn-05）。最可能是政府拨款"
            "（05B，第1页表格1第16行第5列）填错：38.05 疑为 38.50（两位数字颠倒）。"
            "只改工会拨款（05C）、社会募集（05D）或筹集慰问款物总额（05A）也同样能使各项相符；政府拨款（05B）像是笔误，可能性较大。"
            "依据：“（注：05A=05B+05C+05D）”。",
        )
    ]
    assert report.places["bfzx:10A[件]"] == "第2页表格1第41行第5列"  # the second sheet's page


@needs_office
def test_a_word_pdf_reads_its_wrapped_labels_and_the_date_under_the_table(tmp_path):
    pdf = cl.convert(_copy(tmp_path, "own-layouts/鄂城区_Word填报.docx"), "pdf")
    report = check(pdf)
    assert report.findings == []
    assert report.header["date"] == "2022年1月20日"  # a line on page 2, after the table
    assert report.places["swn:A1"] == "第1页表格1第3行第4列"
    how = {(r["item"], r["how"]) for r in report.reading}
    assert ("A1", "label") in how  # 其中：市总工会下 / 拨送温暖补助资金, two lines in its cell


def test_lines_wrapped_in_a_cell_are_joined_as_written():
    from wenuan.reading.pdf import _joined

    assert _joined("其中：市总工会下\n拨送温暖补助资金") == "其中：市总工会下拨送温暖补助资金"
    assert _joined("2022年\n1月\n20日") == "2022年1月20日"
    assert _joined("WPS\nOffice") == "WPS Office"
    assert _joined(None) == ""


@needs_office
def test_a_pdf_with_a_password_is_one_finding(tmp_path):
    options = (
        '{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"密码123"}}'
    )
    source = _copy(tmp_path, "pingdingshan-2010_valid.xlsx")
    pdf = cl.convert(source, f"pdf:calc_pdf_Export:{options}", "pdf")
    assert [(f.kind, f.message) for f in check(pdf).findings] == [
        ("unreadable", "pingdingshan-2010_valid.pdf 有密码保护，无法读取；请去掉密码后再发送")
    ]


def _image_pdf(path: Path, pages: int = 1) -> Path:
    from PIL import Image, ImageDraw

    images = []
    for _ in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(image)
        for y in range(100, 500, 20):  # a ruled table, photographed: lines, no text
            draw.line((50, y, 545, y), fill="black")
        images.append(image)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:])
    return path


def test_a_scanned_pdf_is_one_finding_asking_for_the_spreadsheet(tmp_path):
    report = check(_image_pdf(tmp_path / "叶县 扫描件.pdf"))
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        (
            "error",
            "unreadable",
            "叶县 扫描件.pdf 是扫描或拍照的 PDF，没有可读的文字，无法读取其中的数字；"
            "请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）",
        )
    ]


def test_a_pdf_of_more_pages_than_a_return_has_is_refused_unread(tmp_path):
    report = check(_image_pdf(tmp_path / "长.pdf", pages=51))
    assert [f.message for f in report.findings] == [
        "长.pdf 超过 50 页，不像统计表；请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）"
    ]


@needs_office
def test_a_pdf_with_text_and_no_table_is_one_finding(tmp_path):
    letter = tmp_path / "说明.txt"
    letter.write_text("叶县总工会关于送温暖活动的说明\n\n今年活动已按通知开展，报表另行报送。\n")
    report = check(cl.convert(letter, "pdf"))
    assert [(f.kind, f.message) for f in report.findings] == [
        (
            "unreadable",
            "说明.pdf 中没有找到表格，无法读取其中的数字；请发送报表的 Excel 或 WPS 表格文件（xlsx、xls）",
        )
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF"),
        lambda p: p.write_bytes(_image_pdf(p).read_bytes()[:700]),
        lambda p: p.write_bytes(bytes(range(256)) * 40),
    ],
    ids=["empty", "no-pages", "truncated", "random"],
)
def test_a_damaged_pdf_is_a_finding_never_a_traceback(tmp_path, make):
    path = tmp_path / "坏.pdf"
    make(path)
    report = check(path)
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        ("error", "unreadable", "坏.pdf 已损坏或不是表格文件，无法读取")
    ]


# ---------------------------------------------------------------------------------------------
# CSV

GBK_COMMA = "csv:Text - txt - csv (StarCalc):44,34,61"  # 61: Windows-936, Excel's ANSI in China
UTF8_TAB = "csv:Text - txt - csv (StarCalc):9,34,76"
UTF8_COMMA = "csv:Text - txt - csv (StarCalc):44,34,76"


def _bom(path: Path, bom: bytes = codecs.BOM_UTF8) -> Path:
    """As Excel's CSV UTF-8 writes it: the BOM first."""
    path.write_bytes(bom + path.read_bytes())
    return path


def _utf16(path: Path) -> Path:
    """As Excel's Unicode text writes it: UTF-16 with its BOM, tab-separated."""
    path.write_bytes(path.read_bytes().decode("utf-8").encode("utf-16"))
    return path


@needs_office
@pytest.mark.parametrize("name", ["ezhou-2022_valid.xlsx", "ezhou-2022_identity.xlsx"])
@pytest.mark.parametrize(
    "fmt, after",
    [
        (GBK_COMMA, None),
        (UTF8_TAB, _bom),
        (UTF8_COMMA, None),
        (UTF8_COMMA, _bom),
        (UTF8_TAB, _utf16),
    ],
    ids=["gbk-comma", "utf8-bom-tab", "utf8-comma", "utf8-bom-comma", "utf16-tab"],
)
def test_a_csv_saved_from_a_return_gives_its_findings(tmp_path, name, fmt, after):
    source = _copy(tmp_path, name)
    csv = cl.convert(source, fmt, "csv")
    if after:
        after(csv)
    original, read = check(source), check(csv)
    _same_as(read, original)
    sheet = "2022年春节期间各级工会送温暖统计表"
    assert read.places == {k: p.replace(sheet, csv.stem) for k, p in original.places.items()}


def test_a_gbk_csv_typed_by_hand_reads_text_figures_as_cells_do(tmp_path):
    source = _copy(tmp_path, "ezhou-2022_identity.xlsx")
    report = check(source)
    import python_calamine as pc

    rows = pc.CalamineWorkbook.from_path(str(source)).get_sheet_by_index(0).to_python()
    rows = [[int(v) if isinstance(v, float) and v.is_integer() else v for v in r] for r in rows]
    lines = [",".join(f'"{v}"' if "," in str(v) else str(v) for v in row) for row in rows]
    lines[5] = lines[5].replace("133.14", '" 133.14 "')  # a figure typed with spaces, quoted
    path = tmp_path / "鄂城区.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    read = check(path)
    _same_as(read, report)
    assert read.findings[0].cell == "鄂城区!E21"


def test_a_csv_too_long_for_a_return_or_not_text_is_a_finding(tmp_path):
    long = tmp_path / "长.csv"
    long.write_text("序号,项目\n" * 6000, encoding="utf-8")
    binary = tmp_path / "二进制.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)))
    assert [f.message for f in check(long).findings] == ["长.csv 的工作表行数过多，不像统计表"]
    assert [f.message for f in check(binary).findings] == [
        "二进制.csv 已损坏或不是表格文件，无法读取"
    ]


def test_a_folder_of_returns_takes_pdf_and_csv_too(tmp_path):
    for name in ("a.xlsx", "b.pdf", "c.csv", "d.txt", "e.docx"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in validate.collect([tmp_path])] == ["a.xlsx", "b.pdf", "c.csv", "e.docx"]
