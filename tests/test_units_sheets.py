"""A workbook of several units' returns, one a sheet: the unit's own return is its 汇总 sheet
(or the sheet its file's name names), the others its sub-units; never a silent pick."""

import json
from decimal import Decimal as D

import openpyxl
from typer.testing import CliRunner

from wenuan.checking import samples, validate
from wenuan.cli import app
from wenuan.forms import model as forms

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
JZ23 = ALL["jiaozuo-2023"]
TABLE = JZ23.tables[0]
BASE = samples.consistent(JZ23)
TOWNS = (("城关镇", "城关镇工会"), ("南庄镇", "南庄镇工会"))
COUNTY = "中站区总工会"


def scaled(k: int) -> dict[str, D]:
    """Figures that keep every rule: the consistent ones times k."""
    return {key: v * k for key, v in BASE.items()}


def sheet(wb, name: str, unit: str | None, values: dict[str, D]) -> None:
    """A unit's return on one sheet, as a clerk types it: title, 填报单位, 项目 | 单位 | 数值."""
    ws = wb.create_sheet(name)
    ws.append([TABLE.title])
    ws.append([f"填报单位：{unit}" if unit else ""])
    ws.append(["项目", "单位", "数值"])
    for ref, cell in TABLE.cells.items():
        v = values[f"dryx:{ref}"]
        ws.append([cell.label, cell.unit, float(v) if cell.decimals else int(v)])
    ws.append(["填报人：赵磊", "联系电话：0391-2925512", "填报日期：2024年2月5日"])


def book(path, sheets) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, unit, values in sheets:
        sheet(wb, name, unit, values)
    wb.save(path)


def towns(k=(1, 2)):
    return [(name, unit, scaled(n)) for (name, unit), n in zip(TOWNS, k, strict=True)]


def check(path):
    return validate.validate_file(path, ALL, validate.Options())


def said(report):
    return [(f.severity, f.kind, f.items, f.cell, f.message) for f in report.findings]


PARTS = [{"sheet": "城关镇", "unit": "城关镇工会"}, {"sheet": "南庄镇", "unit": "南庄镇工会"}]
READ_TOTAL = (
    "info",
    "table",
    [],
    None,
    "文件里有几个单位的表：按“汇总”表读取本单位的数字，另外 2 张是下级单位的（城关镇、南庄镇）",
)


def test_total_last_is_the_units_own_and_the_towns_its_parts(tmp_path):
    path = tmp_path / "r.xlsx"
    book(path, [*towns(), ("汇总", COUNTY, scaled(3))])
    report = check(path)
    assert said(report) == [READ_TOTAL]
    assert report.values == {k: v * 3 for k, v in BASE.items()}
    assert report.unit == COUNTY
    assert report.places["dryx:A"] == "汇总!C4"
    assert report.to_json()["sheet"] == "汇总"
    assert report.to_json()["parts"] == PARTS


def test_total_first_is_read_the_same(tmp_path):
    path = tmp_path / "r.xlsx"
    book(path, [("汇总", COUNTY, scaled(3)), *towns()])
    report = check(path)
    assert said(report) == [READ_TOTAL]
    assert report.values == {k: v * 3 for k, v in BASE.items()}
    assert report.unit == COUNTY and report.parts == PARTS


def test_towns_without_a_total_read_the_first_and_say_so(tmp_path):
    path = tmp_path / "r.xlsx"
    book(path, [*towns(), ("北山乡", "北山乡工会", scaled(4))])
    report = check(path)
    assert said(report) == [
        (
            "warning",
            "table",
            [],
            None,
            "文件里有几个单位的表（“城关镇”和南庄镇、北山乡），没有汇总表，也看不出哪一张是本单位的："
            "按第一张“城关镇”读取。如本单位的数字不在这张，请只报本单位的表，或加一张名为“汇总”的表",
        )
    ]
    assert report.values == BASE
    assert report.unit == "城关镇工会"  # the sheet read, named as such: not a mix of sheets


def test_the_sheet_the_file_name_names_is_the_senders(tmp_path):
    path = tmp_path / "中站区总工会冬日送温暖统计表.xlsx"
    book(path, [*towns(), ("本区", COUNTY, scaled(5))])
    report = check(path)
    assert said(report) == [
        (
            "info",
            "table",
            [],
            None,
            "文件里有几个单位的表：按填报单位与文件名相符的“本区”读取本单位的数字，"
            "另外 2 张是下级单位的（城关镇、南庄镇）",
        )
    ]  # its own figures are not the sum of the others': nothing compared
    assert report.values == {k: v * 5 for k, v in BASE.items()}
    assert report.unit == COUNTY


def test_a_slip_in_the_total_is_found_at_its_cell(tmp_path):
    path = tmp_path / "r.xlsx"
    total = scaled(3) | {"dryx:A1": D(212)}  # 222 typed 212
    book(path, [*towns(), ("汇总", COUNTY, total)])
    report = check(path)
    errors = [f for f in report.findings if f.severity == "error"]
    # the form's rule says one of A1, A2, A3 is wrong; the towns' sum says which, and the fix
    assert [(f.kind, f.rule, f.cell) for f in errors] == [
        ("rule", None, "汇总!C5"),
        ("identity", "dryx-A", "汇总!C4"),
    ]
    assert errors[0].message == (
        "“汇总”表与下级单位各表（城关镇、南庄镇）之和不符：深度困难（A1）212，各表之和 222"
    )
    assert [s.to_json() for s in [errors[0].suggestion, *errors[0].also]] == [
        {"item": "A1", "value": "222", "cell": "汇总!C5", "why": "sum"}
    ]


def test_a_total_that_is_not_the_sum_is_one_finding_naming_sheets_and_items(tmp_path):
    path = tmp_path / "r.xlsx"
    total = scaled(3) | {"dryx:D": D(2915), "dryx:F": D(2770)}  # 2910 and 2772: rules hold
    book(path, [("汇总", COUNTY, total), *towns()])
    report = check(path)
    assert said(report) == [
        READ_TOTAL,
        (
            "error",
            "rule",
            ["D", "F"],
            "汇总!C13",
            "“汇总”表与下级单位各表（城关镇、南庄镇）之和不符："
            "走访调研企业（D）2915，各表之和 2910；心理疏导（F）2770，各表之和 2772",
        ),
    ]
    assert report.parts == PARTS


def test_a_copy_of_the_same_units_sheet_is_no_sub_unit(tmp_path):
    path = tmp_path / "r.xlsx"
    book(path, [("城关镇", "城关镇工会", BASE), ("城关镇 (2)", "城关镇工会", scaled(2))])
    report = check(path)
    assert [(f.severity, f.kind) for f in report.findings] == [("warning", "table")]
    assert "出现了不止一次" in report.findings[0].message
    assert report.values == BASE and report.parts == []


def test_explain_and_json_list_the_sub_units(tmp_path):
    path = tmp_path / "r.xlsx"
    book(path, [*towns(), ("汇总", COUNTY, scaled(3))])
    out = CliRunner().invoke(app, ["validate", str(path), "--explain"])
    assert out.exit_code == 0, out.output
    assert "下级单位的表：城关镇（城关镇工会）、南庄镇（南庄镇工会）" in out.output
    out = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    data = json.loads(out.output)["files"][0]
    assert (data["sheet"], data["parts"]) == ("汇总", PARTS)
