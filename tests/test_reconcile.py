"""check-list --return: the list's count and sum against the unit's return (e.g. 04B 户, 06A 万元)."""

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from wenuan.checking import samples
from wenuan.cli import app
from wenuan.errors import FormFileError
from wenuan.forms import model as forms
from wenuan.lists import idnumbers as ids
from wenuan.lists import paylists
from wenuan.outputs import writing

FORMS = Path(__file__).parents[1] / "forms"
PDS = forms.load_form(FORMS / "pingdingshan-2010.yaml")
runner = CliRunner()


def person(area: str, born: date, seq: int) -> str:
    base = f"{area}{born:%Y%m%d}{seq:03d}"
    return base + ids.check_digit(base)


PEOPLE = [person("410402", date(1960 + i, 3, 2), 11 + i) for i in range(3)]


def paylist(folder: Path, name="list.xlsx", unit="叶县总工会") -> Path:
    """Three households paid 500, 500 and 600.004 元: 1600.004 元, 0.1600004 万元."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["送温暖帮扶资金实名制发放明细"])
    ws.append([f"填报单位：{unit}"])
    ws.append(["序号", "户主姓名", "身份证号码", "金额（元）"])
    for i, (who, amount) in enumerate(
        zip(["张三", "李四", "王五"], [500, 500, 600.004], strict=True)
    ):
        ws.append([i + 1, who, PEOPLE[i], amount])
    ws.append(["合计", None, None, 1600.004])
    path = folder / name
    wb.save(path)
    return path


def a_return(folder: Path, name: str, unit: str, households, wanyuan) -> Path:
    values = {**samples.consistent(PDS, 1), "swn:04B": D(households), "swn:06A": D(wanyuan)}
    head = {"unit": unit, "person": "王芳", "phone": "0375-2916465", "date": date(2010, 1, 28)}
    path = folder / name
    writing.save_atomically(writing.filled(PDS, values, head), path, force=True)
    return path


def _check(lst, ret):
    (report,) = paylists.check_lists([lst], PDS, PDS.lists[0], b"s", returns=ret)
    return [(f.severity, f.kind, f.cell, f.message) for f in report.findings]


def _cells():
    at = writing.cell_positions(PDS.table("swn"))
    return at["04B"], at["06A"]


def test_agreeing_within_rounding_is_silent(tmp_path):
    # 0.1600004 万元 is 0.16 within ±0.005
    assert _check(paylist(tmp_path), a_return(tmp_path, "r.xlsx", "叶县", 3, "0.16")) == []


def test_off_by_one_household_and_by_0_01_wanyuan(tmp_path):
    # 04B is `count_part` (it counts households visited with goods alone too): fewer rows than
    # it is a warning; a sum above 06A is an error
    ret = a_return(tmp_path, "r.xlsx", "叶县总工会", 4, "0.15")
    c04b, c06a = _cells()
    assert _check(paylist(tmp_path), ret) == [
        (
            "warning",
            "reconcile",
            "明细!C4:C6",
            f"明细共 3 户（明细!C4:C6），报表 r.xlsx 中慰问困难职工（含农民工）"
            f"（04B，{c04b}）填 4 户（依档帮扶，实名制发放。）",
        ),
        (
            "error",
            "reconcile",
            "明细!D4:D6",
            f"明细金额合计 1600.004 元，即 0.1600004 万元（明细!D4:D6），报表 r.xlsx 中发放款物（06A，{c06a}）"
            f"填 0.15 万元，相差 0.01 万元（依档帮扶，实名制发放。）",
        ),
    ]


def test_more_rows_than_04b_is_an_error(tmp_path):
    ret = a_return(tmp_path, "r.xlsx", "叶县总工会", 2, "0.16")
    c04b = _cells()[0]
    assert _check(paylist(tmp_path), ret) == [
        (
            "error",
            "reconcile",
            "明细!C4:C6",
            f"明细共 3 户（明细!C4:C6），报表 r.xlsx 中慰问困难职工（含农民工）"
            f"（04B，{c04b}）填 2 户（依档帮扶，实名制发放。）",
        ),
    ]


def test_a_list_below_06a_is_a_warning_as_06a_counts_goods_and_other_payees(tmp_path):
    ret = a_return(tmp_path, "r.xlsx", "叶县总工会", 3, "0.17")
    c06a = _cells()[1]
    assert _check(paylist(tmp_path), ret) == [
        (
            "warning",
            "reconcile",
            "明细!D4:D6",
            f"明细金额合计 1600.004 元，即 0.1600004 万元（明细!D4:D6），少于报表 r.xlsx 中发放款物（06A，{c06a}）"
            f"的 0.17 万元，相差 0.01 万元：“发放款物”还计入明细以外"
            "的款物（实物、其他对象），请核对差额（依档帮扶，实名制发放。）",
        ),
    ]


def test_a_folder_of_returns_is_matched_by_unit(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    a_return(folder, "a.xlsx", "卫东区", 9, "9")
    a_return(folder, "b.xlsx", "叶县", 3, "0.16")
    assert _check(paylist(tmp_path), folder) == []
    other = paylist(tmp_path, "x.xlsx", unit="鲁山县总工会")
    assert _check(other, folder) == [
        (
            "warning",
            "reconcile",
            "明细!B3",
            "returns 中没有填报单位为 鲁山县总工会 的报表，未能核对",
        )
    ]


def test_cli_and_no_whole_numbers_and_a_list_without_reconcile(tmp_path):
    lst = paylist(tmp_path)
    ret = a_return(tmp_path, "r.xlsx", "叶县", 2, "0.16")  # more rows than 04B: an error
    for fmt in ("text", "json"):
        for lang in ("zh", "en"):
            result = runner.invoke(
                app,
                ["check-list", str(lst), "--form", "pingdingshan-2010", "--return", str(ret),
                 "--format", fmt, "--lang", lang],
            )  # fmt: skip
            assert result.exit_code == 1
            assert "04B" in result.stdout
            out = re.sub(r'"id_hash": "[0-9a-f]{16}"', "", result.stdout)
            assert not re.search(r"\d{11,}", out)
            assert not any(p[6:-4] in out for p in PEOPLE)
    refused = runner.invoke(
        app, ["check-list", str(lst), "--form", "zhengzhou-2021", "--return", str(ret)]
    )
    assert refused.exit_code == 2 and "reconcile:" in refused.output


@pytest.mark.parametrize(
    "reconcile, problem",
    [
        ("{table: nope, count: 04B, basis: x}", "reconcile 引用了不存在的表 nope"),
        ("{table: swn, count: 99Z, basis: x}", "规则 reconcile 引用了不存在的代码 99Z"),
        ("{table: swn, count: 06A, basis: x}", "count 须为计数"),
        ("{table: swn, amount: 04B, basis: x}", "amount 须为元或万元"),
    ],
)
def test_a_broken_reconcile_is_refused(tmp_path, reconcile, problem):
    text = (FORMS / "pingdingshan-2010.yaml").read_text(encoding="utf-8")
    text = re.sub(r"    reconcile:\n(      .*\n)+", f"    reconcile: {reconcile}\n", text)
    path = tmp_path / "pingdingshan-2010.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        forms.load_form(path)
    assert problem in str(e.value)


def test_the_annotated_copy_marks_a_reconcile_finding_on_its_column(tmp_path):
    lst = paylist(tmp_path)
    ret = a_return(tmp_path, "r.xlsx", "叶县", 3, "0.15")
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(
        app,
        ["check-list", str(lst), "--form", "pingdingshan-2010", "--return", str(ret),
         "--annotate", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(out).active
    red = {c.coordinate for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb == "00FFC7CE"}
    assert red == {"D4", "D5", "D6"}
    assert ws["D4"].comment.text.startswith("明细金额合计 1600.004 元") and ws["D5"].comment is None
