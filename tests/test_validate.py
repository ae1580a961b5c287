"""validate: the round trip, each kind of finding, suggestions, layouts and formats."""

import hashlib
import json
import shutil
import subprocess
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from conftest import golden
from typer.testing import CliRunner

from wenuan.checking import samples, validate
from wenuan.checking.findings import report_json
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import writing
from wenuan.words.findings import say

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
HEADER = {
    "unit": "叶县总工会",
    "person": "王芳",
    "phone": "0375-2916465",
    "date": date(2010, 1, 28),
}
runner = CliRunner()


def write(tmp_path, form_id, changes=None, header=HEADER, name="r.xlsx"):
    form = ALL[form_id]
    values = {**samples.consistent(form), **(changes or {})}
    path = tmp_path / name
    writing.save_atomically(writing.filled(form, values, header), path, force=True)
    return path


def check(path, **options):
    return validate.validate_file(path, ALL, validate.Options(**options))


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_round_trip_template_filled_validates_clean(tmp_path, form_id):
    report = check(write(tmp_path, form_id))
    assert (report.form, report.unit, report.findings) == (form_id, "叶县总工会", [])


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_blank_template_reports_every_required_cell_missing_at_its_cell(tmp_path, form_id):
    form = ALL[form_id]
    path = tmp_path / "blank.xlsx"
    writing.save_atomically(writing.template(form), path, force=False)
    report = check(path)
    missing = [(f.table, f.items[0], f.cell) for f in report.findings if f.kind == "missing"]
    expected = [
        (tb.id, ref, f"{writing._sheet_name(tb)}!{at}")
        for tb in form.tables
        for ref, at in writing.cell_positions(tb).items()
    ]
    assert missing == expected
    assert [f.message for f in report.findings if f.kind == "header"] == [
        "未填写填报单位",
        "未填写填报人",
        "未填写联系电话",
    ]


def _only(report, kind):
    found = [f for f in report.findings if f.kind == kind]
    assert len(found) == 1, [f.message for f in report.findings]
    return found[0]


# pingdingshan swn: 05A = 05B + 05C + 05D, and 06A (spent) <= 05A (raised).
FUNDS = {
    "swn:05A": D("34.71"),
    "swn:05B": D("13.14"),
    "swn:05C": D("9.00"),
    "swn:05D": D("12.57"),
    "swn:06A": D("10.00"),
    "swn:06B": D("2.00"),
    "swn:06C": D("3.00"),
}


def test_funds_figures_are_consistent(tmp_path):
    assert check(write(tmp_path, "pingdingshan-2010", FUNDS)).findings == []


@pytest.mark.parametrize(
    "typed, slip",
    [
        (D("13.41"), "13.41 疑为 13.14（两位数字颠倒）"),
        (D("93.14"), "93.14 疑为 13.14（一位数字写错）"),
        (D("133.14"), "133.14 疑为 13.14（多打了一位数字）"),
        (D("7.77"), None),  # no one cell's change is a slip: the candidates, no suggestion
        (D("131400"), "131400.00 疑为 13.14（按元填写，应为万元）"),
    ],
)
def test_identity_failure_names_the_cell_and_the_fix(tmp_path, typed, slip):
    report = check(write(tmp_path, "pingdingshan-2010", {**FUNDS, "swn:05B": typed}))
    f = _only(report, "identity")
    assert (f.severity, f.items, f.cell, f.rule) == (
        "error",
        ["05A", "05B", "05C", "05D"],
        "送温暖工程统计表!E19",
        "swn-05",
    )
    assert f.message.startswith(
        "筹集慰问款物总额 34.71 万元，不等于政府拨款、工会拨款、社会募集三项之和 "
    )
    assert "（05A = 05B + 05C + 05D；规则 swn-05）。" in f.message
    assert f.message.endswith("依据：“（注：05A=05B+05C+05D）”。")
    if slip is None:
        assert f.suggestion is None
        assert (
            "有 4 种同样小的改法，无法确定是哪一种，请逐一核对：政府拨款（05B，E20）；或"
            in f.message
        )
    else:
        assert (f.suggestion.item, f.suggestion.value, f.suggestion.cell) == (
            "05B",
            D("13.14"),
            "送温暖工程统计表!E20",
        )
        assert f"。最可能是政府拨款（05B，E20）填错：{slip}。只改" in f.message
        assert "也同样能使各项相符；政府拨款（05B）像是笔误，可能性较大。依据" in f.message


def test_dropped_digit_and_sign_slip(tmp_path):
    f = _only(
        check(write(tmp_path, "pingdingshan-2010", {**FUNDS, "swn:05B": D("1.31")})), "identity"
    )
    assert "1.31 疑为 13.14（漏打了一位数字）" in f.message and f.suggestion.value == D("13.14")
    report = check(write(tmp_path, "pingdingshan-2010", {**FUNDS, "swn:05B": D("-13.14")}))
    assert _only(report, "range").message == "政府拨款（05B）不能为负数，填的是 -13.14"
    assert "-13.14 疑为 13.14（正负号写反了）" in _only(report, "identity").message


def test_empty_part_gets_the_difference(tmp_path):
    f = _only(check(write(tmp_path, "pingdingshan-2010", {**FUNDS, "swn:05D": None})), "missing")
    assert f.message == "社会募集（05D）未填写；按 05A = 05B + 05C + 05D，应为 12.57。"
    assert (
        say(f, "unit") == "贵单位报表第 22 行“社会募集”（E22）未填写；按表中其他各项，应为 12.57。"
    )
    assert (f.cell, f.suggestion.value) == ("送温暖工程统计表!E22", D("12.57"))


def test_part_larger_than_whole(tmp_path):
    report = check(write(tmp_path, "pingdingshan-2010", {"swn:02A": 999999}))
    f = _only(report, "inequality")
    assert f.message.startswith("当地困难职工总数 999999 人，不应大于当地职工总数 ")
    assert "（02A <= 01A；规则 swn-02-in-01）。" in f.message


def test_fixed_amount_rule(tmp_path):
    # zhengzhou: each national model worker aged 70+ gets 1000 元, paid by the 市总 from a
    # special fund: more than 0.1 万元 a head is a warning; a district that paid none, 0, passes
    v = samples.consistent(ALL["zhengzhou-2021"])
    report = check(write(tmp_path, "zhengzhou-2021", {"jwj:A1": v["jwj:A"] * D("0.2")}))
    f = _only(report, "rule")
    assert (f.rule, f.severity) == ("jwj-model-workers-1000", "warning")
    assert f.message.startswith(
        "发放慰问金 186.40 万元，不应大于按走访慰问70周岁及以上的全国劳模每人 0.1 万元计 93.20 万元"
    )
    assert f.message.endswith(
        "每人发放 1000 元慰问金（发银行卡）。70周岁及以上的全国劳模慰问金，从全国劳模专项补助资金中列支。”。"
    )
    assert check(write(tmp_path, "zhengzhou-2021", {"jwj:A1": 0}, name="b.xlsx")).findings == []


def test_values_as_typed_in_a_return(tmp_path):
    v = samples.consistent(ALL["pingdingshan-2010"])
    changes = {
        "swn:01A": f"{int(v['swn:01A']):,}人",
        "swn:02A": "".join(chr(ord(c) + 0xFEE0) for c in str(v["swn:02A"])),
        "swn:04A": f" {v['swn:04A']} ",
    }
    assert check(write(tmp_path, "pingdingshan-2010", changes)).findings == []


@pytest.mark.parametrize(
    "typed, kind, severity, message",
    [
        ("十二", "type", "error", "当地职工总数（01A）填的是“十二”，不是数字"),
        (12.5, "type", "error", "当地职工总数（01A）是计数（人），应为整数，填的是 12.5"),
        ("—", "missing", "error", "当地职工总数（01A）填的是“—”，不是数字；没有的请填 0"),
        ("12户", "type", "error", "当地职工总数（01A）的单位应为人，填的是“12户”"),
    ],
)
def test_bad_values(tmp_path, typed, kind, severity, message):
    f = _only(check(write(tmp_path, "pingdingshan-2010", {"swn:01A": typed})), kind)
    assert (f.severity, f.message, f.cell) == (severity, message, "送温暖工程统计表!E6")


def test_yuan_for_wanyuan_in_text(tmp_path):
    f = _only(check(write(tmp_path, "pingdingshan-2010", {"swn:10A": "5000元"})), "type")
    assert (
        f.message
        == "经过与用人单位协商，为农民工返乡争取经济补贴（10A）的单位是万元，填的是“5000元”，是按元填写的；换算为 0.50 万元"
    )
    assert f.suggestion.value == D("0.50")


def test_amount_with_three_decimals_is_a_warning_rounded_half_up(tmp_path):
    f = _only(check(write(tmp_path, "pingdingshan-2010", {"swn:10A": D("88.125")})), "type")
    assert (f.severity, f.suggestion.value) == ("warning", D("88.13"))


def test_header_findings(tmp_path):
    report = check(
        write(tmp_path, "pingdingshan-2010", header={**HEADER, "person": None, "phone": "12ab"})
    )
    assert [(f.severity, f.message) for f in report.findings] == [
        ("error", "未填写填报人"),
        ("warning", "联系电话“12ab”不像电话号码"),
    ]


@pytest.mark.parametrize(
    "phone", ["13812345678", "0375-2916465", "(0391)3999913", "027 - 6022 9321", "2916465"]
)
def test_plausible_phones(tmp_path, phone):
    assert (
        check(write(tmp_path, "pingdingshan-2010", header={**HEADER, "phone": phone})).findings
        == []
    )


def test_late_by_days_and_official_working_days(tmp_path):
    # due 2022-01-26 (Wed); received 2022-02-07: 12 days, 5 working days (春节, adjusted weekends)
    path = write(tmp_path, "ezhou-2022", header={**HEADER, "date": "2022年2月7日"})
    f = _only(check(path), "deadline")
    assert f.severity == "warning"
    assert f.message.startswith("逾期 12 天（5 个工作日）：截止 2022-01-26，收到 2022-02-07。")
    assert check(path, received=date(2022, 1, 26)).findings == []


def test_late_in_a_year_without_official_data(tmp_path):
    report = check(write(tmp_path, "ezhou-2022"), received=date(2027, 1, 4))
    assert (
        "（2027 年没有官方节假日安排数据，工作日按周一至周五计算；可用 --calendar 提供）"
        in _only(report, "deadline").message
    )


def test_strict_turns_warnings_into_failures(tmp_path):
    path = write(tmp_path, "ezhou-2022", header={**HEADER, "phone": None})
    assert check(path).ok and not check(path, strict=True).ok


def test_formula_without_cached_value(tmp_path):
    path = write(tmp_path, "pingdingshan-2010")
    wb = openpyxl.load_workbook(path)
    wb["送温暖工程统计表"]["E19"] = "=E20+E21+E22"  # openpyxl stores no cached value
    wb.save(path)
    f = _only(check(path), "formula")
    assert (f.cell, f.message) == (
        "送温暖工程统计表!E19",
        "筹集慰问款物总额（05A）是公式但没有计算结果，请在 Excel 或 WPS 中打开并保存后再发送",
    )


def test_formula_found_in_the_file_as_read(tmp_path):
    """The empty cell's formula is looked for in the parts the reader inflated, not in the file
    opened again: the file gone by the time the return is checked, the finding is the same."""
    from wenuan.reading import read

    path = write(tmp_path, "pingdingshan-2010")
    wb = openpyxl.load_workbook(path)
    wb["送温暖工程统计表"]["E19"] = "=E20+E21+E22"
    wb.save(path)
    ret, form = read(path, ALL)
    path.unlink()
    f = _only(validate.validate(form, ret, validate.Options()), "formula")
    assert (f.cell, f.what) == ("送温暖工程统计表!E19", "f_formula")


def test_foreign_layout_is_read(tmp_path):
    """Codes and values in other columns, rows shuffled, a merged title, notes, a hidden row."""
    form = ALL["ezhou-2022"]
    v = samples.consistent(form)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "我们自己的表"
    ws["B1"] = "2022年春节期间各级工会送温暖统计表（鄂城区）"
    ws.merge_cells("B1:H1")
    ws["B2"] = "填报单位：鄂城区总工会"
    ws["E2"] = "填报人："
    ws["F2"] = "李明"
    ws["B3"] = "联系电话：027-60229321"
    ws["E3"] = "填报日期：2022年1月20日"
    rows = []
    for item, _ in form.table("swn").walk():
        refs = [r for r, c in form.table("swn").cells.items() if c.item == item.code]
        if refs:
            rows.append(
                ["说明", item.label, item.code, *[float(v[f"swn:{r}"]) for r in refs], "备注：已核"]
            )
    for i, row in enumerate(reversed(rows)):
        for j, value in enumerate(row):
            ws.cell(row=5 + i, column=2 + j, value=value)
    ws.row_dimensions[7].hidden = True
    path = tmp_path / "own.xlsx"
    wb.save(path)
    report = check(path)
    assert (report.form, report.unit, report.findings) == ("ezhou-2022", "鄂城区总工会", [])
    report = check(path, form_id="ezhou-2022")
    assert report.findings == []


def test_unreadable_file_is_a_finding_and_the_batch_goes_on(tmp_path):
    good = write(tmp_path, "pingdingshan-2010", name="good.xlsx")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"\x00not a workbook" * 10)
    result = runner.invoke(app, ["validate", str(bad), str(good), "--format", "json"])
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [(f["path"], f["ok"]) for f in files] == [(str(bad), False), (str(good), True)]
    assert files[0]["findings"] == [
        {
            "severity": "error",
            "kind": "unreadable",
            "items": [],
            "cell": None,
            "table": None,
            "rule": None,
            "message": "bad.xlsx 已损坏或不是表格文件，无法读取",
            "suggestion": None,
            "suggestions": [],
            "suspects": [],
            "what": "read_corrupt",
            "params": {"path": "bad.xlsx"},
        }
    ]


def test_unknown_form(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "与送温暖无关的表格"
    wb.save(tmp_path / "x.xlsx")
    f = _only(check(tmp_path / "x.xlsx"), "unknown_form")
    assert f.message.startswith("认不出 x.xlsx 是哪个表式")


# ---- CLI ---------------------------------------------------------------------------------------


def test_cli_exit_codes(tmp_path):
    good = write(tmp_path, "pingdingshan-2010", name="good.xlsx")
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    assert (
        runner.invoke(
            app, ["validate", str(EXAMPLES / "pingdingshan-2010_identity.xlsx")]
        ).exit_code
        == 1
    )
    assert runner.invoke(app, ["validate", str(good), "--form", "nowhere"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(good), "--bogus"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(tmp_path / "none.xlsx")]).exit_code == 2


def test_cli_text_golden():
    files = sorted(
        str(p.relative_to(EXAMPLES.parent)) for p in EXAMPLES.glob("pingdingshan-2010_*.xlsx")
    )
    import os

    cwd = os.getcwd()
    os.chdir(EXAMPLES.parent)
    try:
        result = runner.invoke(app, ["validate", *files])
        result_en = runner.invoke(app, ["validate", *files, "--lang", "en"])
        result_json = runner.invoke(app, ["validate", *files, "--format", "json"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1
    golden("validate_pingdingshan_expected.txt", result.stdout)
    golden("validate_pingdingshan_en_expected.txt", result_en.stdout)
    golden("validate_pingdingshan_expected.json", result_json.stdout)
    reports = [validate.validate_file(EXAMPLES.parent / f, ALL, validate.Options()) for f in files]
    for r, f in zip(reports, files, strict=True):
        r.path = f
    assert json.loads(result_json.stdout) == json.loads(json.dumps(report_json(reports)))


def test_annotate_marks_cells_and_leaves_the_input_alone(tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(EXAMPLES / "pingdingshan-2010_identity.xlsx", src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["validate", str(src), "--annotate", str(out)])
    assert result.exit_code == 1
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    ws = openpyxl.load_workbook(out)["送温暖工程统计表"]
    assert ws["E19"].fill.fgColor.rgb == "00FFC7CE"
    said = (
        "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和 84.55 万元，"
        "相差 0.45 万元。最可能是贵单位报表第 20 行“政府拨款”（E20）填错：38.05 疑为 38.50"
        "（两位数字颠倒）。"
        + "只改“工会拨款”、“社会募集”或“筹集慰问款物总额”也同样能使各项相符；“政府拨款”像是笔误，可能性较大。"
    )
    assert ws["E19"].comment.text == said  # in the unit's words, at the total
    assert ws["E20"].comment.text == said and ws["E20"].fill.fgColor.rgb == "00FFC7CE"  # the fix
    again = runner.invoke(app, ["validate", str(src), "--annotate", str(out)])
    assert again.exit_code == 2 and "已存在；要覆盖请加 --force" in again.stderr
    assert (
        runner.invoke(app, ["validate", str(src), "--annotate", str(out), "--force"]).exit_code == 1
    )


def test_template_command_refuses_to_overwrite(tmp_path):
    out = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", "ezhou-2022", "-o", str(out)]).exit_code == 0
    ws = openpyxl.load_workbook(out)["2022年春节期间各级工会送温暖统计表"]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.protection.sheet
    assert ws.print_title_rows == "$1:$5"
    assert not ws["E6"].protection.locked and ws["C6"].protection.locked
    assert len(ws.conditional_formatting) == 4
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert rules["G10"].formula1 == "AND(ISNUMBER(G10),G10>=0,ROUND(G10,2)=G10)"  # D1 万元
    counts = rules["E10"]
    assert (counts.type, counts.operator, counts.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert runner.invoke(app, ["template", "ezhou-2022", "-o", str(out)]).exit_code == 2


# ---- files saved by a real spreadsheet program --------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if not SOFFICE:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("lo")
    srcs = [EXAMPLES / "pingdingshan-2010_valid.xlsx", EXAMPLES / "pingdingshan-2010_identity.xlsx"]
    for fmt in ("xls", "ods"):
        subprocess.run(
            [SOFFICE, "--headless", "--convert-to", fmt, "--outdir", str(out), *map(str, srcs)],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_files_saved_by_libreoffice_read_like_the_original(converted, suffix):
    valid = check(converted / f"pingdingshan-2010_valid.{suffix}")
    assert (valid.form, valid.findings) == ("pingdingshan-2010", [])
    original = check(EXAMPLES / "pingdingshan-2010_identity.xlsx")
    again = check(converted / f"pingdingshan-2010_identity.{suffix}")
    assert [(f.kind, f.cell, f.message) for f in again.findings] == [
        (f.kind, f.cell, f.message) for f in original.findings
    ]


def test_a_template_return_loads_only_its_own_form(tmp_path):
    """A broken user form elsewhere does not stop a return that names its form."""
    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    (forms_dir / "zhengzhou-2021.yaml").write_text("id: [", encoding="utf-8")
    good = write(tmp_path, "pingdingshan-2010")
    assert runner.invoke(app, ["validate", str(good), "--forms", str(forms_dir)]).exit_code == 0
    result = runner.invoke(app, ["forms", "--forms", str(forms_dir)])
    assert result.exit_code == 2 and "zhengzhou-2021.yaml 第 1 行" in result.stderr


def test_a_large_batch_is_checked_in_parallel_with_the_same_reports(tmp_path):
    sources = sorted(EXAMPLES.glob("*.xlsx"))
    files = []
    for i in range(validate.PARALLEL_FROM + 6):
        files.append(tmp_path / f"{i:03d}.xlsx")
        shutil.copy(sources[i % len(sources)], files[-1])
    library = forms.Library()
    parallel = [r.to_json() for r in validate.check_all(files, library, validate.Options())]
    serial = [validate.validate_file(p, library, validate.Options()).to_json() for p in files]
    assert parallel == serial


def test_a_stopping_error_crosses_processes_whole():
    import pickle

    from wenuan.errors import FormFileError

    err = pickle.loads(pickle.dumps(FormFileError("f.yaml", 3, "坏了")))
    assert (str(err), err.line) == ("表式文件 f.yaml 第 3 行：坏了", 3)


def test_validating_one_return_imports_only_what_it_needs():
    """`wenuan validate one.xlsx` starts in a quarter of a second only if the libraries other
    commands use stay out: pydantic's plugin look-up, lunar-python (春节前 is in a table), YAML
    (the form is cached), the report's and the total's libraries, the web page."""
    import sys

    code = (
        "import sys\n"
        "from wenuan.cli import main\n"
        f"sys.argv = ['wenuan', 'validate', {str(EXAMPLES / 'pingdingshan-2010_valid.xlsx')!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    print('exit', e.code)\n"
        "heavy = ['importlib.metadata', 'lunar_python', 'ruamel', 'jinja2', 'openpyxl', 'docx',"
        " 'scipy', 'numpy', 'rapidfuzz', 'rich', 'wenuan.web', 'wenuan.outputs']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    for _ in range(2):  # the first run may parse the form and cache it
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.splitlines()[-2:] == ["exit 0", "[]"], run.stderr


def test_pydantic_asks_its_plugin_loader_for_get_plugins_alone():
    """cli._without_pydantic_plugins stands in for pydantic.plugin._loader with `get_plugins`
    only: a pydantic that imports anything else from it must fail here, not in a user's run."""
    import pydantic

    root = Path(pydantic.__file__).parent
    uses = {
        line.strip()
        for path in root.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "_loader" in line and "import" in line
    }
    assert uses == {"from ._loader import get_plugins"}
