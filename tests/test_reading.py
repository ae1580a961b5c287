"""Reading: labels as people write them, tables found twice or hidden, Word files, what the
reader assumed (--explain), and units written beside a value."""

import json
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from wenuan.checking import samples, validate
from wenuan.checking.findings import report_json
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import writing
from wenuan.reading import header
from wenuan.reading.dates import parse_date
from wenuan.reading.labels import Labels, canonical
from wenuan.reading.model import Grid

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
PDS = ALL["pingdingshan-2010"]
HEADER = {
    "unit": "叶县总工会",
    "person": "王芳",
    "phone": "0375-2916465",
    "date": date(2010, 1, 28),
}
runner = CliRunner()


def check(path, **options):
    return validate.validate_file(path, ALL, validate.Options(**options))


def template_return(tmp_path, form=PDS, changes=None, name="r.xlsx"):
    path = tmp_path / name
    values = {**samples.consistent(form), **(changes or {})}
    writing.save_atomically(writing.filled(form, values, HEADER), path, force=True)
    return path


@pytest.mark.parametrize(
    "written, expected",
    [
        ("筹 集 慰 问 款 物 总 额", "筹集慰问款物总额"),
        ("筹集慰问\n款物总额（万元）", "筹集慰问款物总额"),
        ("1．筹集慰问款物总额：", "筹集慰问款物总额"),
        ("（一）其中：政府拨款", "政府拨款"),
        ("①其中政府拨款", "政府拨款"),
        ("2009年度帮扶中心资金来源总额", "帮扶中心资金来源总额"),
        ("本年度经过工会帮扶实现脱贫的困难职工家庭", "经过工会帮扶实现脱贫的困难职工家庭"),
        ("帮助农民工购买车(船)票（单位：张）", "帮助农民工购买车(船)票"),
        ("\u3000\u3000县（区）级", "县(区)级"),
        ("筹集慰问款物总额 万元", "筹集慰问款物总额"),
        ("共包专列", "共包专列"),  # a label ending in a unit's word keeps it
        ("共 包 专 列", "共包专列"),
    ],
)
def test_labels_are_compared_as_people_write_them(written, expected):
    assert canonical(written) == expected


@pytest.mark.parametrize(
    "written",
    [
        "05A筹集慰问款物总额",
        "05A. 筹集慰问款物总额",
        "筹集慰问款物总额（05A）",
        "筹集慰问款物总额 05A",
    ],
)
def test_a_code_written_into_the_label_cell_names_the_row(written):
    from wenuan.reading.labels import fold
    from wenuan.reading.layout import _code_with_label, plan

    assert _code_with_label(fold(written), plan(PDS.table("swn"))) == "05A"
    assert _code_with_label(fold("06A筹集慰问款物总额"), plan(PDS.table("swn"))) is None


def test_a_near_label_names_its_item_with_a_score_and_a_tie_names_none():
    labels = Labels(PDS.table("bfzx"))
    m = labels.match("帮扶中心资金来源合计总额")
    assert (m.codes, m.how) == (("05A",), "near")
    assert 88 <= m.score < 100
    assert labels.match("帮扶中心") is None  # too far from every label
    assert Labels(PDS.table("swn")).match("慰问") is None


def test_a_label_several_items_share_is_resolved_by_the_row_above():
    labels = Labels(PDS.table("bfzx"))
    m = labels.match("地市级")
    assert m.codes == ("01B", "02B", "03B")
    assert labels.resolve(m.codes, "02A", set()) == "02B"  # under its parent
    assert labels.resolve(m.codes, "01C", {"01B"}) == "02B"  # the next one after
    assert labels.resolve(m.codes, None, set()) is None  # nothing above: not at all


def _grid(rows):
    return Grid("表", [list(r) for r in rows])


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            [["填报人：王芳  联系电话：0375-2916465"]],
            {"person": ("王芳", "表!A1"), "phone": ("0375-2916465", "表!A1")},
        ),
        (
            [["单位：万元、人"], [None, "填报单位（盖章）：", None, "叶县总工会"]],
            {"unit": ("叶县总工会", "表!D2")},
        ),
        (
            [["填表人：", "王芳", "填报日期：", "2010年1月28日"]],
            {"person": ("王芳", "表!B1"), "date": ("2010年1月28日", "表!D1")},
        ),
        ([["以上数据统计截至2009年12月31日"], ["请各单位认真填报单位名称"]], {}),
        ([["填报日期：    年  月  日"]], {}),
    ],
    ids=["one-cell", "stamp-at-bottom", "label-value-cells", "sentences", "blank-date"],
)
def test_header_fields_wherever_clerks_write_them(rows, expected):
    found = header.read_header([_grid(rows)])
    assert {k: (e.raw, e.place) for k, e in found.items()} == expected


def test_a_copied_sheet_is_one_warning_and_the_first_copy_counts(tmp_path):
    path = template_return(tmp_path)
    wb = openpyxl.load_workbook(path)
    copy = wb.copy_worksheet(wb["送温暖工程统计表"])
    copy["E6"] = 1  # an old draft left in the workbook
    wb.save(path)
    report = check(path)
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        (
            "warning",
            "table",
            "《送温暖工程统计表》在文件中出现了不止一次（送温暖工程统计表、送温暖工程统计表 Copy），"
            "按第一处读取；请删去多余的一份",
        )
    ]
    assert report.values["swn:01A"] == samples.consistent(PDS)["swn:01A"]


def test_a_hidden_sheet_is_not_read(tmp_path):
    path = template_return(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["送温暖工程统计表"].sheet_state = "hidden"
    wb.save(path)
    report = check(path)
    assert [(f.kind, f.table) for f in report.findings if f.severity == "error"] == [
        ("table", "swn")
    ]


def test_a_near_label_is_read_and_said(tmp_path):
    path = template_return(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["困难职工帮扶中心统计表"]
    row = next(r for r in range(1, 80) if ws.cell(r, 2).value == "05A")
    ws.cell(row, 2).value = None  # no code: the label alone names the row
    ws.cell(row, 3).value = "帮扶中心资金来源合计总额"
    wb.save(path)
    report = check(path)
    (note,) = report.findings
    assert (note.severity, note.kind, note.cell, note.items) == (
        "info",
        "label",
        f"困难职工帮扶中心统计表!E{row}",
        ["05A"],
    )
    assert note.message.startswith(
        "把“帮扶中心资金来源合计总额”读作2009年度帮扶中心资金来源总额（05A）（相似度 "
    )
    assert report.ok and report.values["bfzx:05A"] == samples.consistent(PDS)["bfzx:05A"]
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert "i 提示" in result.stdout and "通过" in result.stdout


def test_yuan_written_in_the_unit_column_is_the_yuan_for_wanyuan_slip(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["送温暖工程统计表"])
    ws.append(["填报单位：叶县总工会", None, "填报人：王芳"])
    ws.append(["项目", "单位", "本期数"])
    values = samples.consistent(PDS)
    for item, _ in PDS.table("swn").walk():
        for ref, cell in PDS.table("swn").cells.items():
            if cell.item == item.code and "[" not in ref:
                unit = "元" if ref == "06A" else cell.unit
                v = values[f"swn:{ref}"] * (10000 if ref == "06A" else 1)
                ws.append([item.label, unit, float(v)])
    path = tmp_path / "yuan.xlsx"
    wb.save(path)
    report = check(path, form_id="pingdingshan-2010")
    (f,) = [f for f in report.findings if f.items == ["06A"]]
    assert (f.kind, f.suggestion.value) == ("type", values["swn:06A"])
    assert "发放款物（06A）" in f.message


def _word_return(path, form=PDS):
    """The two tables typed into Word by a clerk: header as paragraphs, labels only."""
    values = samples.consistent(form)
    d = docx.Document()
    d.add_paragraph("填报单位：叶县总工会　　填报人：王芳　　联系电话：0375-2916465")
    d.add_paragraph("填报日期：2010年1月28日")
    for table in form.tables:
        d.add_paragraph(table.title)
        rows = [("项目", "计量单位", "数量")]
        for item, _ in table.walk():
            for ref, cell in table.cells.items():
                if cell.item == item.code:
                    rows.append((item.label, cell.unit, f"{values[f'{table.id}:{ref}']:f}"))
        t = d.add_table(rows=len(rows), cols=3)
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                t.cell(i, j).text = text
    d.save(path)
    return values


def test_a_return_filled_in_word_reads_clean_with_places_in_words(tmp_path):
    path = tmp_path / "叶县.docx"
    values = _word_return(path)
    report = check(path)
    assert (report.form, report.findings, report.values) == ("pingdingshan-2010", [], values)
    report = check(path, explain=True)
    first = report.reading[0]
    assert (first["item"], first["cell"], first["how"]) == ("01A", "表格1第2行第3列", "label")


def _soffice(source, to, folder):
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/lo",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder / f"{source.stem}.{to}"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_doc_file_is_read_through_libreoffice(tmp_path):
    values = _word_return(tmp_path / "src.docx")
    # saved as .doc by an office program: through .odt, as LibreOffice's own .doc export
    # drops long tables that python-docx writes without column widths
    doc = _soffice(_soffice(tmp_path / "src.docx", "odt", tmp_path), "doc", tmp_path)
    report = check(doc)
    assert (report.findings, report.values) == ([], values)


def test_a_doc_file_without_libreoffice_is_a_plain_finding(tmp_path, monkeypatch):
    path = tmp_path / "叶县.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    (f,) = check(path).findings
    assert (f.kind, f.message) == (
        "unreadable",
        "叶县.doc 是 .doc/.wps 文件，读取需要 LibreOffice，本机未安装；"
        "请在 Word 或 WPS 中另存为 .docx 或 .xlsx",
    )


def test_explain_says_where_each_value_was_read_in_text_and_json(tmp_path):
    path = template_return(tmp_path)
    result = runner.invoke(app, ["validate", str(path), "--explain"])
    lines = result.stdout.splitlines()
    assert lines[1] == "  读取情况（每项数值取自哪个单元格、怎样认出这一行）："
    assert lines[3] == "      01A       送温暖工程统计表!E6     按代码  当地职工总数"
    result = runner.invoke(app, ["validate", str(path), "--explain", "--format", "json"])
    data = json.loads(result.stdout)
    report = check(path, explain=True)
    assert data == json.loads(json.dumps(report_json([report], explain=True)))
    assert data["files"][0]["reading"][0] == {
        "table": "swn",
        "item": "01A",
        "label": "当地职工总数",
        "cell": "送温暖工程统计表!E6",
        "how": "code",
        "read": None,
        "score": None,
        "format": None,
    }
    plain = json.loads(runner.invoke(app, ["validate", str(path), "--format", "json"]).stdout)
    assert "reading" not in plain["files"][0]  # the JSON scripts rely on is unchanged


def test_values_are_decimals_read_from_value_columns_only(tmp_path):
    """A 上年同期 column and a 备注 with figures beside the value column are never read."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["困难职工帮扶中心统计表"])
    ws.append(["项目", "上年同期", "本期", "计量单位", "备注"])
    ws.append(["县（区）级以上困难职工帮扶中心总数", 9, 3, "个", "比上年增加2个"])
    ws.append(["地市级", 4, 1, "个", None])
    ws.append(["县（区）级", 5, 2, "个", "新建1个"])
    path = tmp_path / "own.xlsx"
    wb.save(path)
    report = check(path, form_id="pingdingshan-2010")
    assert {k: v for k, v in report.values.items() if k.startswith("bfzx:01")} == {
        "bfzx:01A": D(3),
        "bfzx:01B": D(1),
        "bfzx:01C": D(2),
    }


def test_the_bundled_own_layout_examples_read_as_their_names_say(monkeypatch):
    from pathlib import Path

    from conftest import golden

    monkeypatch.chdir(Path(__file__).parents[1])
    result = runner.invoke(app, ["validate", "examples/own-layouts"])
    assert result.exit_code == 1
    golden("validate_own_layouts_expected.txt", result.stdout)


@pytest.mark.parametrize(
    "text, pairs",
    [
        (
            "单位负责人：李明      填表人：王芳      联系电话：0375-8123456",
            (("other", "李明"), ("person", "王芳"), ("phone", "0375-8123456")),
        ),
        (
            "单位负责人：李明填表人：王芳联系电话：0375-8123456",
            (("other", "李明"), ("person", "王芳"), ("phone", "0375-8123456")),
        ),
        ("统计人：王芳", (("person", "王芳"),)),
        ("制表：王芳", (("person", "王芳"),)),
        ("联系人及电话：王芳 13903750001", (("both", "王芳 13903750001"),)),
        (
            "填报单位：叶县总工会      填报时间：2010年1月30日",
            (("unit", "叶县总工会"), ("date", "2010年1月30日")),
        ),
        ("填报单位（章）：叶县总工会", (("unit", "叶县总工会"),)),
        ("填报单位：叶县总工会（盖章）", (("unit", "叶县总工会"),)),
        ("填表人：王芳    审核人：李明", (("person", "王芳"), ("other", "李明"))),
        ("单位：万元、人", (("other", "万元、人"),)),
        ("计量单位：万元", (("other", "万元"),)),
        ("填报人", (("person", ""),)),
        ("单位", ()),
        ("注：联系人：陈会朝 联系电话：027-6022 9321", ()),
        ("请各单位认真填报单位名称", ()),
        ("以上数据统计截至2009年12月31日", ()),
    ],
)
def test_header_fields_are_split_as_written(text, pairs):
    assert header.fields_in(text) == pairs


@pytest.mark.parametrize(
    "written, day",
    [
        ("2010年元月30日", date(2010, 1, 30)),
        ("二〇一〇年一月三十日", date(2010, 1, 30)),
        ("二〇一〇年十二月二十一日", date(2010, 12, 21)),
        ("2010.2.1", date(2010, 2, 1)),
        ("2010年13月1日", None),
    ],
)
def test_dates_as_clerks_write_them(written, day):
    assert parse_date(written) == day


def test_a_person_with_a_phone_and_two_phones_in_the_footer_raise_nothing(tmp_path):
    path = template_return(tmp_path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[:2]:
        ws["E3"], ws["F3"], ws["A4"], ws["B4"] = None, None, None, None
    wb.worksheets[0]["A40"] = "联系人及电话：王芳 13903750001"
    wb.worksheets[1]["A80"] = "填表人：王芳    联系电话：0375-8123456、13903751234"
    wb.save(path)
    report = check(path)
    assert report.findings == []
    assert report.header == {
        "unit": "叶县总工会",
        "person": "王芳",
        "phone": "13903750001",
        "date": report.header["date"],
    }
    wb = openpyxl.load_workbook(path)
    wb.worksheets[0]["A40"] = "填表人：王芳    联系电话：0375-8123456、13903751234"
    wb.save(path)
    report = check(path)
    assert (report.findings, report.header["phone"]) == ([], "0375-8123456、13903751234")


def _own(rows, name="own.xlsx", tmp_path=None):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _figure(v):
    return float(v) if v != v.to_integral_value() else int(v)


@pytest.mark.parametrize("with_header", [True, False], ids=["header", "no-header"])
def test_each_unit_typed_after_its_figure_as_the_notice_prints_it(tmp_path, with_header):
    """代码 | 项目 | 数值 | 单位 | 数值 | 单位: 当地职工总数 ____人, and 名 / 万元 pairs."""
    values = samples.consistent(PDS)
    rows = []
    for table in PDS.tables:
        rows += [[table.title], ["填报单位：叶县总工会", None, "填报人：王芳"]]
        rows += [["代码", "项目", "数值", "单位", "数值", "单位"]] if with_header else []
        for item, _ in table.walk():
            row = [item.code, item.label]
            for ref, cell in table.cells.items():
                if cell.item == item.code:
                    row += [_figure(values[f"{table.id}:{ref}"]), cell.unit]
            rows.append(row)
    report = check(_own(rows, tmp_path=tmp_path))
    assert [f for f in report.findings if f.severity == "error"] == []
    assert report.values == values


def test_columns_headed_by_years_read_the_latest(tmp_path):
    values = samples.consistent(PDS)
    rows = []
    for table in PDS.tables:
        rows += [[table.title], ["代码", "项目", "计量单位", "2009年元旦春节", "2010年元旦春节"]]
        for item, _ in table.walk():
            for ref, cell in table.cells.items():
                if cell.item == item.code:
                    v = values[f"{table.id}:{ref}"]
                    rows.append([item.code, item.label, cell.unit, _figure(v * 2), _figure(v)])
    rows.append(["填报单位：叶县总工会", None, "填报人：王芳", "联系电话：0375-8123456"])
    rows.append(["填报日期：2010年1月28日"])
    report = check(_own(rows, tmp_path=tmp_path))
    assert (report.findings, report.values) == ([], values)


def test_value_columns_headed_in_the_forms_words_take_figures_by_unit(tmp_path):
    """Ezhou: 慰问对象（人次） | 发放款物（万元）; a single 万元 item under 发放款物."""
    form = ALL["ezhou-2022"]
    table = form.tables[0]
    values = samples.consistent(form)
    rows = [[table.title], ["序号", "项目", "慰问对象（人次）", "发放款物（万元）"]]
    for item, _ in table.walk():
        cells = [(r, c) for r, c in table.cells.items() if c.item == item.code]
        row = [item.seq, item.label, None, None]
        for ref, cell in cells:
            row[3 if cell.unit == "万元" else 2] = _figure(values[f"swn:{ref}"])
        rows.append(row)
    rows.append(["填报单位：鄂城区总工会", None, "填报人：李明", "联系电话：027-60229321"])
    rows.append(["填报日期：2022年1月20日"])
    report = check(_own(rows, tmp_path=tmp_path))
    assert (report.findings, report.values) == ([], values)


def test_an_empty_last_figure_is_missing_at_its_cell_not_read_from_the_footer(tmp_path):
    form = ALL["ezhou-2022"]
    table = form.tables[0]
    values = samples.consistent(form)
    rows = [[table.title], ["序号", "项目", "单位", "数值"]]
    for item, _ in table.walk():
        for k, (ref, cell) in enumerate(
            (r, c) for r, c in table.cells.items() if c.item == item.code
        ):
            figure = None if ref == "J4" else _figure(values[f"swn:{ref}"])
            rows.append([None if k else item.seq, None if k else item.label, cell.unit, figure])
    rows.append(["填表人：陈红", None, "联系电话：027-60229321", "填报日期：2022年1月25日"])
    rows.append(["填报单位：鄂城区总工会"])
    report = check(_own(rows, tmp_path=tmp_path))
    assert [(f.kind, f.cell, f.items) for f in report.findings] == [
        ("missing", f"Sheet!D{len(rows) - 2}", ["J4"])
    ]


@pytest.mark.parametrize("unit", ["UNIT0002011", "2011年新建企业工会", "叶县总工会2009"])
@pytest.mark.parametrize("day", [date(2010, 1, 28), "2010年1月28日", "2010-01-28"])
def test_years_in_the_header_fields_never_head_a_column(tmp_path, unit, day):
    """A unit's name or the date with a year in it, merged across the header, is no 2011 | 2010
    pair of column headings (a batch of 10,000 returns once read G as last year's)."""
    path = tmp_path / "r.xlsx"
    header = {**HEADER, "unit": unit, "date": day}
    writing.save_atomically(writing.filled(PDS, samples.consistent(PDS), header), path, True)
    report = check(path)
    assert (report.findings, report.unit) == ([], unit)


def test_a_return_of_another_form_is_said_to_be_one(tmp_path):
    path = tmp_path / "鄂城区.docx"
    _word_return(path, ALL["ezhou-2022"])
    (f,) = check(path, form_id="pingdingshan-2010").findings
    assert (f.kind, f.message) == (
        "unknown_form",
        "鄂城区.docx 不是 pingdingshan-2010 的报表：看起来是 ezhou-2022 的表式（它的表一张也没有找到）",
    )
    assert check(path).findings == []  # recognized on its own, it reads clean


def test_a_total_written_in_a_he_ji_row_under_its_parts(tmp_path):
    """08 and 09 of 帮扶中心: the label as a heading with no figure, the parts, then 合计."""
    table = PDS.table("bfzx")
    values = samples.consistent(PDS)
    rows = [[table.title], ["项目", "单位", "人次（个/人/件）", "金额（万元）"]]
    totals = {}
    for item, depth in table.walk():
        figures = [(ref, cell) for ref, cell in table.cells.items() if cell.item == item.code]
        v = {cell.unit: _figure(values[f"bfzx:{ref}"]) for ref, cell in figures}
        if depth == 0 and totals:  # the block before ends with its 合计
            code, (people, amount) = totals.popitem()
            rows.append(["合  计", None, people, amount])
        if item.code in ("08A", "09A"):
            rows.append([item.label, None, None, None])
            totals[item.code] = [v["人次"], v["万元"]]
            continue
        units = [cell.unit for _, cell in figures]
        if units == ["万元"]:
            rows.append([item.label, "万元", None, v["万元"]])
        else:
            rows.append(
                [item.label, units[0], v[units[0]], v.get(units[-1]) if len(units) > 1 else None]
            )
    rows.append(["填报单位：叶县总工会", None, "填报人：王芳", "联系电话：0375-8123456"])
    path = _own(rows, tmp_path=tmp_path)
    report = check(path, form_id="pingdingshan-2010", explain=True)
    assert [f for f in report.findings if f.table == "bfzx"] == []
    assert {k: v for k, v in report.values.items() if k.startswith("bfzx:")} == {
        k: v for k, v in values.items() if k.startswith("bfzx:")
    }
    total = next(r for r in report.reading if r["item"] == "08A[人次]")
    assert (
        total["how"] == "total"
        and total["cell"] == f"Sheet!C{rows.index(['合  计', None, 726, 92.43]) + 1}"
    )


@pytest.mark.parametrize(
    "title, unit",
    [
        ("温县总工会冬日送温暖·工会在行动统计表", "温县总工会"),
        ("附件1：温县总工会冬日送温暖·工会在行动统计表", "温县总工会"),
        ("焦作市总工会冬日送温暖·工会在行动统计表", None),  # the notice's own union: no unit
        ("冬日送温暖·工会在行动统计表", None),
    ],
)
def test_the_unit_named_before_the_title_when_no_line_names_it(tmp_path, title, unit):
    form = ALL["jiaozuo-2023"]
    table = form.tables[0]
    values = samples.consistent(form)
    d = docx.Document()
    rows = [(title, "", ""), ("指标", "单位", "本期")]
    for item, _ in table.walk():
        for ref, cell in table.cells.items():
            if cell.item == item.code:
                rows.append((item.label, cell.unit, f"{values[f'{table.id}:{ref}']:f}"))
    rows.append(("填表人：赵丽 联系电话：0391-3568123 填报日期：2024年2月8日", "", ""))
    grid = d.add_table(rows=len(rows), cols=3)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            grid.cell(i, j).text = text
    grid.rows[0].cells[0].merge(grid.rows[0].cells[2])
    grid.rows[-1].cells[0].merge(grid.rows[-1].cells[2])
    path = tmp_path / "温县.docx"
    d.save(path)
    report = check(path)
    assert report.values == values and report.unit == unit
    assert [f.message for f in report.findings] == ([] if unit else ["未填写填报单位"])


@pytest.mark.parametrize(
    "rows, unit",
    [
        ([["填报单位：叶县总工会（盖章）　　2010年1月28日"]], "叶县总工会"),
        ([["填报单位：叶县总工会(公章)"]], "叶县总工会"),
        ([["填报单位：叶县总工会（单位盖章）"]], "叶县总工会"),
        ([["填报单位：叶县总工会 盖章"]], "叶县总工会"),
        ([["填报单位：", "叶县总工会（签章）"]], "叶县总工会"),
        ([["填报单位（盖章）：叶县总工会"]], "叶县总工会"),
        ([["填报单位：（盖章）"], ["填报单位：叶县总工会"]], "叶县总工会"),
        ([["填报单位：叶县总工会（城关）"]], "叶县总工会(城关)"),
    ],
    ids=[
        "stamp-then-day",
        "half-width",
        "unit-stamp",
        "bare-word",
        "next-cell",
        "after-name",
        "stamp-only",
        "not-a-stamp",
    ],
)
def test_the_unit_is_read_without_the_stamps_mark(rows, unit):
    found = header.read_header([_grid(rows)])
    assert found["unit"].raw == unit


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BOXES = (
    f'<w:r xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
    "<w:txbxContent/></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>"
)


def test_a_return_in_a_text_box_is_read_once_where_it_is_anchored(tmp_path):
    """WPS writes a text box twice (DrawingML and its VML fallback): one copy is read."""
    from copy import deepcopy

    from docx.oxml import parse_xml

    from wenuan.reading import word

    plain = tmp_path / "plain.docx"
    values = _word_return(plain)
    d = docx.Document(str(plain))
    body = d.element.body
    content = [e for e in body if not e.tag.endswith("sectPr")]
    run = parse_xml(_BOXES)
    for box in run.iter(f"{{{W}}}txbxContent"):
        box.extend(deepcopy(e) for e in content)
    for e in content:
        body.remove(e)
    d.add_paragraph("附：")._p.append(run)
    boxed = tmp_path / "boxed.docx"
    d.save(boxed)
    (before,), (after,) = word.grids(plain), word.grids(boxed)
    assert after.rows == [["附："], *before.rows]
    assert sorted(after.places.values()) == sorted(before.places.values())
    report = check(boxed)
    assert (report.form, report.findings, report.values) == ("pingdingshan-2010", [], values)


def test_the_page_header_and_footer_give_the_fields_the_body_lacks(tmp_path):
    path = tmp_path / "页眉.docx"
    values = _word_return(path)
    d = docx.Document(str(path))
    first, second = d.paragraphs[:2]  # the body's header lines: only 填报单位 kept
    first.text, second.text = "填报单位：叶县总工会", ""
    section = d.sections[0]
    section.header.paragraphs[0].text = "填报单位：别的单位　　填报人：王芳"
    section.footer.paragraphs[0].text = "联系电话：0375-2916465　　2010.1.28"
    d.add_section().header.is_linked_to_previous = True
    d.save(path)
    report = check(path)
    found = {k: (str(e.raw), e.place) for k, e in report_header(path).items()}
    assert found == {
        "unit": ("叶县总工会", "第1段"),
        "person": ("王芳", "页眉"),
        "phone": ("0375-2916465", "页脚"),
        "date": ("2010.1.28", "页脚"),
    }
    assert (report.findings, report.values) == ([], values)


def report_header(path):
    from wenuan import reading

    return reading.read(path, ALL)[0].header


@pytest.mark.parametrize("body_day", [True, False], ids=["body-day-first", "footer-day"])
def test_a_day_alone_in_the_footer_counts_only_when_the_body_has_none(tmp_path, body_day):
    path = tmp_path / "页脚.docx"
    _word_return(path)
    d = docx.Document(str(path))
    d.paragraphs[1].text = ""  # no 填报日期 line
    if body_day:
        d.add_paragraph("2010年1月28日")
    d.sections[0].footer.paragraphs[0].text = "2010年2月3日"
    d.save(path)
    day = report_header(path)["date"]
    assert (day.raw, day.place) == (
        ("2010年1月28日", f"第{day.cell[1:-1]}段") if body_day else ("2010年2月3日", "页脚")
    )
