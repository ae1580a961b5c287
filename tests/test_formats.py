"""元 shown as 万元 by a number format (0!.0000): the figure shown is read, and said; format codes
that do not divide by 10,000 are left alone; LibreOffice's copies read right or reported."""

import json
import shutil
import subprocess
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from test_reading import PDS, check, template_return
from typer.testing import CliRunner

from wenuan.checking import samples
from wenuan.cli import app
from wenuan.reading.formats import Wan, shown_wan, wan

runner = CliRunner()

CODES = [
    # the trick: a point written as text, four digits after it
    ("0!.0000", Wan(4)),
    ('0"."0000', Wan(4)),
    ("0\\.0000", Wan(4)),
    ("#!.0000", Wan(4)),
    ('0!.0000"万元"', Wan(4)),
    ("0!.0000万", Wan(4)),
    ("0!.0000\\万\\元", Wan(4)),
    ('"￥"0!.0000', Wan(4)),
    ('0!.0000;-0!.0000;"-"', Wan(4)),
    ("[Red]0!.0000", Wan(4)),
    ("[$-804]0!.0000", Wan(4)),
    ("0!.0000_ ", Wan(4)),
    # one digit after the text point, and a comma dividing by 1,000: ten thousands too
    ("0!.0,", Wan(1)),
    # LibreOffice 7.4 saves 0!.0000 so: a literal "!" before a real decimal point
    ("0\\!.0000", Wan(4, rewritten=True)),
    ("0\\!.0,", Wan(1, rewritten=True)),
    # not ÷ 10,000
    ("#,##0", None),  # thousands grouped
    ("0.00,,", None),  # millions
    ("0.0,", None),  # thousands
    ("0!.0000,", None),  # ten millions
    ("0!.00,", None),  # hundred thousands
    ("0.0000", None),  # four decimals
    ("0!.00", None),  # hundreds
    ("0\\!.00", None),
    ("#!.####", None),  # 123 shows as .123: not a figure ÷ 10,000
    ("#,##0!.0000", None),  # grouping across the text point: not a plain figure
    ('0.00"万元"', None),  # 万元 typed as 万元
    ("General", None),
    ("G/通用格式", None),
    ("@", None),
    ("yyyy-mm-dd", None),
    ('yyyy"年"m"月"d"日"', None),
    ("[h]:mm", None),
    ("0.00E+00", None),
    ("0%", None),
    ("# ?/?", None),
]


@pytest.mark.parametrize("code, expected", CODES, ids=[c for c, _ in CODES])
def test_format_codes(code, expected):
    assert wan(code) == expected


def _formatted(tmp_path, cells: dict[str, tuple[object, str]], name="r.xlsx"):
    """A template return with some cells (by key) holding another value under a format; the
    places of every key."""
    path = template_return(tmp_path, name=name)
    places = check(path).places
    wb = openpyxl.load_workbook(path)
    for key, (value, code) in cells.items():
        sheet, cell = places[key].rsplit("!", 1)
        wb[sheet.strip("'")][cell].value = value
        wb[sheet.strip("'")][cell].number_format = code
    wb.save(path)
    return path, places


def test_yuan_shown_as_wan_is_read_as_shown_with_an_info_at_its_cell(tmp_path):
    path, places = _formatted(
        tmp_path, {"swn:05A": (34300, "0!.0000"), "swn:05B": (11400, '0"."0000"万元"')}
    )
    report = check(path)
    assert report.values == samples.consistent(PDS)
    assert [(f.severity, f.kind, f.cell, f.message) for f in report.findings] == [
        (
            "info",
            "format",
            places["swn:05A"],
            "筹集慰问款物总额（05A）单元格里存的是 34300（元），单元格格式“0!.0000”把它显示为 "
            "3.4300（万元）；按显示的 3.43 万元读取",
        ),
        (
            "info",
            "format",
            places["swn:05B"],
            '政府拨款（05B）单元格里存的是 11400（元），单元格格式“0"."0000"万元"”把它显示为 '
            "1.1400（万元）；按显示的 1.14 万元读取",
        ),
    ]
    assert report.ok


def test_many_cells_of_one_format_are_one_note_a_table(tmp_path):
    """A finance office formats every amount so: one info for the table's cells of one format,
    at the first, naming them all; a cell of another format keeps its own."""
    cells = {
        "swn:05A": (34300, "0!.0000"),
        "swn:05B": (11400, "0!.0000"),
        "swn:06A": (34300, "0!.0000"),
        "swn:05C": (10000, '0"."0000'),
    }
    path, places = _formatted(tmp_path, cells)
    report = check(path)
    assert report.values == samples.consistent(PDS)
    got = [(f.severity, f.kind, f.cell, f.items) for f in report.findings]
    assert got == [
        ("info", "format", places["swn:05A"], ["05A", "05B", "06A"]),
        ("info", "format", places["swn:05C"], ["05C"]),
    ]
    assert report.findings[0].message == (
        "本表 3 个万元单元格里存的是元，单元格格式“0!.0000”把它们显示为万元；均按显示的万元数读取"
        "（如筹集慰问款物总额（05A）：存的是 34300，读作 3.43 万元）"
    )


def test_the_figure_shown_is_rounded_to_the_items_decimals(tmp_path):
    path, places = _formatted(tmp_path, {"swn:10A": (787149, "0!.0000")})
    report = check(path)
    assert report.values["swn:10A"] == D("78.71")
    (f,) = report.findings
    assert (f.severity, f.cell) == ("info", places["swn:10A"])
    assert "显示为 78.7149（万元）；按显示的 78.71 万元读取" in f.message


def test_a_count_under_a_wan_format_is_read_as_shown_with_a_warning(tmp_path):
    path, places = _formatted(
        tmp_path, {"swn:01A": (9320000, "0!.0000"), "swn:03B": (76, "0!.0000")}
    )
    report = check(path)
    assert report.values["swn:01A"] == 932
    assert "swn:03B" not in report.values  # 0.0076 households: not whole, as shown
    got = [(f.severity, f.kind, f.cell) for f in report.findings]
    assert got == [
        ("warning", "format", places["swn:01A"]),
        ("warning", "format", places["swn:03B"]),
        ("error", "type", places["swn:03B"]),
    ]
    assert report.findings[0].message == (
        "当地职工总数（01A）的单位是人，单元格格式“0!.0000”却把存的 9320000 除以一万显示为 932.0000；"
        "按显示的 932 读取，请核实"
    )


def test_english_explain_and_json(tmp_path):
    path, places = _formatted(tmp_path, {"swn:05A": (34300, "0!.0000")})
    result = runner.invoke(app, ["--lang", "en", "validate", str(path), "--format", "json"])
    (finding,) = json.loads(result.stdout)["files"][0]["findings"]
    assert finding["message"] == (
        "筹集慰问款物总额 (05A): the cell holds 34300 (元), shown as 3.4300 (万元) by its number "
        "format “0!.0000”; read as 3.43 万元, the figure shown"
    )
    assert (finding["severity"], finding["kind"], finding["cell"]) == (
        "info",
        "format",
        places["swn:05A"],
    )
    result = runner.invoke(app, ["validate", str(path), "--explain"])
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("05A "))
    assert "；取显示值（格式“0!.0000”除以一万）" in line
    result = runner.invoke(app, ["validate", str(path), "--explain", "--format", "json"])
    reading = json.loads(result.stdout)["files"][0]["reading"]
    assert [r["format"] for r in reading if r["format"]] == ["0!.0000"]


def test_a_return_with_no_such_format_reads_only_the_styles(tmp_path, monkeypatch):
    path = template_return(tmp_path)
    opened = []
    real = zipfile.ZipFile.read
    monkeypatch.setattr(
        zipfile.ZipFile, "read", lambda z, name, *a: opened.append(str(name)) or real(z, name, *a)
    )
    assert shown_wan(path) == {}
    assert opened == []  # the number formats come first in styles.xml: read from the file


def test_a_batch_of_one_template_and_a_return_whose_styles_differ(tmp_path):
    plain = template_return(tmp_path)
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(plain.read_bytes())
    wan_path, _ = _formatted(tmp_path, {"swn:05A": (34300, "0!.0000")}, name="wan.xlsx")
    # the template's styles looked at once for both; the other styles looked at as their own
    assert shown_wan(plain) == shown_wan(copy) == {}
    assert [set(c.values()) for c in shown_wan(wan_path).values()] == [{"0!.0000"}]
    assert shown_wan(copy) == {}


@pytest.mark.parametrize("damage", ["cellxfs", "styles", "sheet"])
def test_a_damaged_file_gives_no_formats_never_an_exception(tmp_path, damage):
    path, _ = _formatted(tmp_path, {"swn:05A": (34300, "0!.0000")})
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    if damage == "cellxfs":
        parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b"</cellXfs>", b"")
    elif damage == "styles":
        parts["xl/styles.xml"] = parts["xl/styles.xml"][:-200]
    else:
        parts = {k: v[:-100] if k.startswith("xl/worksheets/") else v for k, v in parts.items()}
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert isinstance(shown_wan(bad), dict)
    check(bad)  # a finding or a reading, never an exception
    (tmp_path / "bad.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (tmp_path / "bad.ods").write_bytes(parts["xl/styles.xml"])
    assert shown_wan(tmp_path / "bad.xls") == shown_wan(tmp_path / "bad.ods") == {}


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not _soffice(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("to", ["xlsx", "xls", "ods"])
def test_libreoffice_copies_are_read_right_or_reported(tmp_path, to):
    """LibreOffice keeps 0"."0000 (in ods: a point as embedded text) and rewrites 0!.0000 as
    0\\!.0000, which shows 34300!.0000 in every program: read as 3.43 万元 all the same, warned."""
    path, places = _formatted(
        tmp_path, {"swn:05A": (34300, "0!.0000"), "swn:05B": (11400, '0"."0000')}, "src.xlsx"
    )
    out = tmp_path / "lo"
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = check(out / f"src.{to}")
    assert report.values == samples.consistent(PDS)
    got = [(f.severity, f.kind, f.cell) for f in report.findings]
    assert got == [("warning", "format", places["swn:05A"]), ("info", "format", places["swn:05B"])]
    assert "格式“0\\!.0000”是以万元显示元的“0!.0000”经 LibreOffice 另存后的样子" in (
        report.findings[0].message
    )
