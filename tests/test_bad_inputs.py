"""A corpus of bad inputs, made here: each gives one clear finding or error, fast, never a
traceback, and a batch goes on past it."""

import io
import json
import random
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wenuan.checking import validate
from wenuan.checking.findings import KINDS
from wenuan.cli import app
from wenuan.forms import model as forms

EXAMPLES = Path(__file__).parents[1] / "examples"
VALID = EXAMPLES / "ezhou-2022_valid.xlsx"
ALL = forms.Library()
runner = CliRunner()


def _rezip(target: Path, replace: dict[str, bytes], source: Path = VALID) -> Path:
    """A copy of `source` with some parts replaced or added."""
    with zipfile.ZipFile(source) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.update(replace)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def _encrypted(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with open(VALID, "rb") as src:
        OOXMLFile(src).encrypt("密码123", out)
    path.write_bytes(out.getvalue())
    return path


def _sheet_xml(rows: int) -> bytes:
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, rows + 1))
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def _many_sheets(path: Path, n: int) -> Path:
    tiny = _sheet_xml(1)
    return _rezip(path, {f"xl/worksheets/sheet{i}.xml": tiny for i in range(10, 10 + n)})


def _entities(path: Path) -> Path:
    lol = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    sst = (
        f'<?xml version="1.0"?>{lol}<sst xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    return _rezip(path, {"xl/sharedStrings.xml": sst.encode()})


CASES = {
    # name: (make(path) -> path, expected message)
    "zero-bytes": (lambda p: (p.write_bytes(b""), p)[1], "{name} 已损坏或不是表格文件，无法读取"),
    "random-bytes": (
        lambda p: (p.write_bytes(random.Random(1).randbytes(5000)), p)[1],
        "{name} 已损坏或不是表格文件，无法读取",
    ),
    "docx-renamed": (_docx, "{name} 已损坏或不是表格文件，无法读取"),
    "pdf-renamed": (
        lambda p: (p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF"), p)[1],
        "{name} 已损坏或不是表格文件，无法读取",
    ),
    "truncated-zip": (
        lambda p: (p.write_bytes(VALID.read_bytes()[:3000]), p)[1],
        "{name} 已损坏或不是表格文件，无法读取",
    ),
    "encrypted": (_encrypted, "{name} 有密码保护，无法读取；请去掉密码后再发送"),
    "zip-bomb": (
        lambda p: _rezip(p, {"xl/worksheets/sheet1.xml": b" " * (200 << 20)}),
        "{name} 过大或解压后过大，不像统计表",
    ),
    "million-rows": (
        lambda p: _rezip(p, {"xl/worksheets/sheet1.xml": _sheet_xml(1_000_000)}),
        "{name} 过大或解压后过大，不像统计表",
    ),
    "thousand-sheets": (lambda p: _many_sheets(p, 1000), "{name} 的工作表过多，不像统计表"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_one_clear_finding_fast(tmp_path, case):
    make, message = CASES[case]
    path = make(tmp_path / f"{case}.xlsx")
    start = time.perf_counter()
    report = validate.validate_file(path, ALL, validate.Options())
    assert time.perf_counter() - start < 10  # bound, not a benchmark: a hang would fail here
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        ("error", "unreadable", message.format(name=path.name))
    ]


def test_entity_expansion_in_shared_strings_is_not_expanded(tmp_path):
    path = _entities(tmp_path / "lol.xlsx")
    start = time.perf_counter()
    report = validate.validate_file(path, ALL, validate.Options())
    assert time.perf_counter() - start < 10
    assert [f.kind for f in report.findings] == ["unreadable"]  # refused, not expanded
    assert "lol" * 100 not in json.dumps(report.to_json(), ensure_ascii=False)


def test_batch_goes_on_past_every_bad_file(tmp_path):
    folder = tmp_path / "批 次 1"
    folder.mkdir()
    for case, (make, _) in CASES.items():
        make(folder / f"{case}.xlsx")
    shutil.copy(VALID, folder / "鄂城区 报表.xlsx")
    result = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert len(files) == len(CASES) + 1
    good = [f for f in files if f["ok"]]
    assert [Path(f["path"]).name for f in good] == ["鄂城区 报表.xlsx"]


def test_long_strings_and_merged_input_cells(tmp_path):
    import openpyxl

    path = tmp_path / "odd.xlsx"
    shutil.copy(VALID, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["2022年春节期间各级工会送温暖统计表"]
    ws["E6"] = "长" * 100_000
    ws.merge_cells("E7:G8")
    wb.save(path)
    report = validate.validate_file(path, ALL, validate.Options())
    first = report.findings[0]
    assert (first.kind, first.cell) == ("type", "2022年春节期间各级工会送温暖统计表!E6")
    assert first.message == "共筹集送温暖款物（A）填的是“" + "长" * 40 + "…”，不是数字"
    assert all(len(f.message) < 400 for f in report.findings)


def test_xlsm_with_macros_is_read_and_nothing_runs(tmp_path):
    path = _rezip(
        tmp_path / "macro.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512}
    )
    report = validate.validate_file(path, ALL, validate.Options())
    assert (report.form, report.findings) == ("ezhou-2022", [])


def test_empty_directory_is_a_usage_error(tmp_path):
    (tmp_path / "空").mkdir()
    result = runner.invoke(app, ["validate", str(tmp_path / "空")])
    assert result.exit_code == 2
    assert result.stderr == f"错误：没有找到要检查的文件：{tmp_path / '空'}\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 14_000), st.integers(0, 255)), min_size=1, max_size=20))
def test_fuzzed_bytes_give_findings_never_exceptions(tmp_path, flips):
    data = bytearray(VALID.read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(bytes(data))
    report = validate.validate_file(path, ALL, validate.Options())
    assert all(f.kind in KINDS for f in report.findings)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["E6", "E7", "E8", "G10", "E16", "E17", "B3", "F4"]),
        st.one_of(
            st.text(max_size=30),
            st.integers(-(10**12), 10**12),
            st.floats(allow_nan=True, allow_infinity=True),
            st.none(),
        ),
        max_size=8,
    )
)
@example({"E7": 1.7976931348623155e308})  # read back as inf: once an InvalidOperation
def test_fuzzed_cell_values_give_findings_never_exceptions(tmp_path, cells):
    import openpyxl

    wb = openpyxl.load_workbook(VALID)
    ws = wb["2022年春节期间各级工会送温暖统计表"]
    for at, value in cells.items():
        if isinstance(value, str):
            value = "".join(ch for ch in value if ch.isprintable())
        ws[at] = value
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    report = validate.validate_file(path, ALL, validate.Options())
    # read as the form, or (an absurd value in a date cell) refused as content that cannot be read
    assert report.form == "ezhou-2022" or [f.message for f in report.findings] == [
        "cells.xlsx 中有无法读取的内容（文件损坏，或单元格里有超出范围的值，例如日期），"
        "请在 Excel 或 WPS 中检查后另存再发送"
    ]


def test_absurd_date_and_absurd_figure(tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(VALID)
    ws = wb["2022年春节期间各级工会送温暖统计表"]
    ws["F4"] = "下周一"  # the 填报日期 cell
    ws["E7"] = 1e26
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    report = validate.validate_file(path, ALL, validate.Options())
    assert [(f.severity, f.kind, f.message) for f in report.findings] == [
        (
            "warning",
            "header",
            "填报日期“下周一”无法识别，按未知处理（可用 --received 指定收到日期）",
        ),
        (
            "error",
            "range",
            "市总工会下拨送温暖补助资金（A1）的数值 100000000000000000000000000 大得不合理，请核对",
        ),
    ]
