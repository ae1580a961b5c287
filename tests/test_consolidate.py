"""consolidate and status: totals that are returns, refusals, rosters, provenance, chasing."""

import json
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from conftest import write_return
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wenuan.checking import consolidate, samples, validate
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.forms.rules import holds

ALL = forms.Library()
runner = CliRunner()
EXAMPLES = Path(__file__).parents[1] / "examples"


def ret(folder: Path, name: str, unit: str, seed: int, form_id="pingdingshan-2010", changes=None):
    form = ALL[form_id]
    return write_return(
        folder / name, form, {**samples.consistent(form, seed), **(changes or {})}, unit
    )


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    for i, unit in enumerate(["叶县总工会", "卫东区", "鲁山县总工会"]):
        ret(folder, f"{i}.xlsx", unit, seed=i)
    return folder


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_total_is_the_sum_and_itself_a_valid_return(batch, tmp_path):
    out = tmp_path / "total.xlsx"
    result = cli("consolidate", batch, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "汇总 pingdingshan-2010：3 个单位，3 个文件\n未报送（20）：新华、舞钢、"
    )
    form = ALL["pingdingshan-2010"]
    expected = {}
    for seed in range(3):
        consolidate.add(expected, samples.consistent(form, seed))
    report = validate.validate_file(out, ALL, validate.Options(received=date(2010, 1, 30)))
    assert (report.form, report.errors, report.unit) == ("pingdingshan-2010", 0, "平顶山市总工会")
    assert report.values == expected
    wb = openpyxl.load_workbook(out)
    units = [[c.value for c in row] for row in wb["各单位"].iter_rows()]
    assert [r[0] for r in units] == ["单位", None, "叶县", "卫东区", "鲁山", "合计"]
    assert (units[0][2], units[1][2]) == ("swn:01A", "当地职工总数（人）")
    assert units[-1][2] == float(expected["swn:01A"])
    sources = [[c.value for c in row] for row in wb["来源"].iter_rows()]
    assert sources[1][7] == consolidate.sha256(batch / "0.xlsx") and sources[1][5] == "是"
    assert sources[-1][1:] == ["姚电", None, None, None, "未报送", None, None]
    with zipfile.ZipFile(out) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
        chart = z.read("xl/charts/chart1.xml").decode()
        assert "<barChart>" in chart and "'各单位'!$A$3:$A$5" in chart
        # the form's chart items, one unit of measure: never 人, 户 and 万元 on one axis
        assert "<v>筹集慰问款物总额（万元）</v>" in chart and "swn:" not in chart
        assert "（人）" not in chart and "（户）" not in chart
    assert wb.sheetnames == [
        "送温暖工程统计表",
        "困难职工帮扶中心统计表",
        "分单位",  # three units: their figures an item a row, printed; 各单位 hidden
        "各单位",
        "来源",
        "wenuan",
        "图表",  # last: a chart sheet before a worksheet would shift its print area
    ]


def test_json_is_the_library_result(batch):
    result = cli("consolidate", batch, "--format", "json")
    data = json.loads(result.stdout)
    assert (data["form"], data["refused"], len(data["units"])) == ("pingdingshan-2010", False, 3)
    assert data["units"][0]["unit"] == "叶县"
    assert data["total"]["swn:01A"] == str(sum(D(u["values"]["swn:01A"]) for u in data["units"]))
    files = validate.collect([batch])
    lib = consolidate.consolidate(validate.check_all(files, ALL, validate.Options()), ALL)
    assert data["total"] == {k: str(v) for k, v in lib.total.items()}
    assert data["missing"] == lib.missing
    lib.close()


def test_a_total_consolidates_again_at_the_next_level(batch, tmp_path):
    (tmp_path / "up").mkdir()
    first = tmp_path / "up" / "a.xlsx"
    assert cli("consolidate", batch, "-o", first, "--unit", "甲市总工会").exit_code == 0
    other = tmp_path / "other"
    other.mkdir()
    ret(other, "c.xlsx", "乙", seed=7)
    assert (
        cli(
            "consolidate", other, "-o", tmp_path / "up" / "b.xlsx", "--unit", "乙市总工会"
        ).exit_code
        == 0
    )
    result = cli("consolidate", tmp_path / "up", "--format", "json")
    province = json.loads(result.stdout)["total"]
    direct = json.loads(cli("consolidate", batch, other / "c.xlsx", "--format", "json").stdout)[
        "total"
    ]
    assert province == direct


def _refused(result, *lines):
    assert result.exit_code == 1
    assert result.stdout == "\n".join(["不能汇总，未写出任何文件：", *lines]) + "\n"


def test_refuses_a_unit_reported_twice(batch, tmp_path):
    ret(batch, "9.xlsx", " 叶县 ", seed=9)
    out = tmp_path / "t.xlsx"
    _refused(
        cli("consolidate", batch, "-o", out),
        f"  - 单位“叶县”报了两次：{batch / '0.xlsx'} 和 {batch / '9.xlsx'}",
    )
    assert not out.exists()


def test_refuses_mixed_forms(batch, tmp_path):
    shutil.copy(EXAMPLES / "ezhou-2022_valid.xlsx", batch / "z.xlsx")
    _refused(
        cli("consolidate", batch),
        f"  - {batch / 'z.xlsx'} 是表式 ezhou-2022，与其他报表的 pingdingshan-2010 不同",
    )


def test_refuses_errors_unless_allowed(batch, tmp_path):
    ret(batch, "e.xlsx", "新华", seed=4, changes={"swn:01A": "十二"})
    _refused(
        cli("consolidate", batch),
        f"  - {batch / 'e.xlsx'} 有 1 个错误（改正后再汇总，或加 --allow-errors 照样汇总并列出）",
    )
    result = cli("consolidate", batch, "--allow-errors", "-o", tmp_path / "t.xlsx")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2] == "照样计入的有错误的报表：新华"
    # 新华's 01A was unreadable, so the total's 01A lacks it: the total's own check says so
    assert lines[3] == "合计按汇总表的规则核对，有 1 条不符："
    assert lines[4].startswith("  ✗ 错误  当地困难职工总数 2826 人，不应大于当地职工总数 2489 人")
    assert "（02A <= 01A；规则 swn-02-in-01）。" in lines[4]


def test_roster_file_and_missing_units(batch, tmp_path):
    roster = tmp_path / "roster.txt"
    roster.write_text("叶县\n卫东区\n鲁山县\n湛河区\n", encoding="utf-8")
    result = cli("consolidate", batch, "--roster", roster)
    assert result.stdout.splitlines()[1] == "未报送（1）：湛河区"


def test_existing_output_is_kept_without_force(batch, tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    result = cli("consolidate", batch, "-o", out)
    assert result.exit_code == 2 and out.read_bytes() == b"keep me"
    assert cli("consolidate", batch, "-o", out, "--force").exit_code == 0


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_total_and_it_reads_back(batch, tmp_path):
    out = tmp_path / "total.xlsx"
    assert cli("consolidate", batch, "-o", out).exit_code == 0
    subprocess.run(
        [SOFFICE, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    again = validate.validate_file(tmp_path / "total.ods", ALL, validate.Options())
    original = validate.validate_file(out, ALL, validate.Options())
    assert again.values == original.values and again.errors == 0


# ---- properties ------------------------------------------------------------------------------

FORM_IDS = sorted(ALL)


def _identities(form):
    for table in form.tables:
        for rule in table.rules:
            if rule.kind in ("identity", "inequality"):
                yield rule.parsed, [f"{table.id}:{r}" for r in rule.parsed.refs()]
    for rule in form.rules:
        if rule.kind in ("identity", "inequality"):
            yield rule.parsed, [str(r) for r in rule.parsed.refs()]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(FORM_IDS), st.lists(st.integers(0, 10_000), min_size=1, max_size=6))
def test_total_of_valid_returns_is_a_valid_total(form_id, seeds):
    # every rule of a total is linear and homogeneous (X <= 0.5 * Y, parts = whole), so a sum
    # of returns that keep it keeps it, exactly; a unit's own rule (Zhengzhou's one visit a
    # district, H <= 1) is not asked of the total, where H is one a district
    form = ALL[form_id]
    total = {}
    for seed in seeds:
        values = samples.consistent(form, seed)
        assert validate.check_total(form, values) == []
        consolidate.add(total, values)
    for expr, keys in _identities(form):
        vals = {r: (total[k], total[k]) for r, k in zip(expr.refs(), keys, strict=True)}
        assert holds(expr, vals), (form_id, expr)
    assert validate.check_total(form, total) == []


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(FORM_IDS), st.integers(0, 999), st.integers(0, 999), st.integers(0, 999))
def test_consolidating_a_total_with_more_equals_consolidating_all(form_id, a, b, c):
    form = ALL[form_id]
    va, vb, vc = (samples.consistent(form, s) for s in (a, b, c))
    ab = {}
    for v in (va, vb):
        consolidate.add(ab, v)
    step = {}
    for v in (ab, vc):
        consolidate.add(step, v)
    once = {}
    for v in (va, vb, vc):
        consolidate.add(once, v)
    assert step == once


# ---- status ----------------------------------------------------------------------------------


def test_status_lists_received_missing_late_and_wrong(batch, tmp_path):
    late = ret(batch, "late.xlsx", "新华", seed=5)
    wb = openpyxl.load_workbook(late)
    wb["送温暖工程统计表"]["F4"] = date(2010, 2, 4)
    wb.save(late)
    ret(batch, "bad.xlsx", "舞钢", seed=6, changes={"swn:01A": "十二"})
    status = ("status", batch, "--form", "pingdingshan-2010", "--as-of", "2010-01-29")
    result = cli(
        *status,
        "--notices",
        tmp_path / "notices",
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "pingdingshan-2010 报送情况（截至 2010-01-29），截止 2010-02-01，还剩 3 天（1 个工作日）"
    )
    assert lines[1:6] == [
        "  叶县  已报送  收到 2010-01-28  0 个错误，0 个警告",
        "  卫东区  已报送  收到 2010-01-28  0 个错误，0 个警告",
        "  鲁山  已报送  收到 2010-01-28  0 个错误，0 个警告",
        "  新华  逾期  收到 2010-02-04  逾期 3 天（3 个工作日）  0 个错误，0 个警告",
        "  舞钢  有错误  收到 2010-01-28  1 个错误，0 个警告",
    ]
    assert lines[-1] == "已报送 3，有错误 1，逾期 1，逾期且有错误 0，未报送 18"
    notices = sorted(p.name for p in (tmp_path / "notices").iterdir())
    assert len(notices) == 40 and "叶县_更正通知.txt" not in notices
    assert {"舞钢_更正通知.txt", "舞钢_更正通知.docx"} <= set(notices)
    text = (tmp_path / "notices" / "舞钢_更正通知.txt").read_text(encoding="utf-8-sig")
    assert "    1. 贵单位报表第 6 行“当地职工总数”（E6）填的是“十二”，不是数字" in text
    assert "请务必于2010年2月1日前将送温暖活动报告和统计表报送市总保障部" in text
    missing = (tmp_path / "notices" / "湛河_更正通知.txt").read_text(encoding="utf-8-sig")
    assert missing.splitlines()[2] == "湛河区总工会："  # no return: the roster's full name
    assert (
        "贵单位尚未报送《送温暖工程统计表》、《困难职工帮扶中心统计表》。请于2010年2月1日前报市总保障部。"
        in missing
    )
    data = json.loads(
        cli(
            *status,
            "--format",
            "json",
        ).stdout
    )
    assert (data["days_left"], data["workdays_left"]) == (3, 1)
    assert [u["state"] for u in data["units"][:5]] == ["ok", "ok", "ok", "late", "errors"]


def test_a_figure_far_from_the_other_units_is_flagged_in_the_total(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    units = ALL["pingdingshan-2010"].units[:16]
    v = samples.consistent(ALL["pingdingshan-2010"], seed=3)
    for i, unit in enumerate(units):
        changes = {"swn:10A": v["swn:10A"] * 10000} if i == 3 else None
        ret(folder, f"{i:02d}.xlsx", unit.name, seed=i if i != 3 else 3, changes=changes)
    result = cli("consolidate", folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    (o,) = json.loads(result.stdout)["outliers"]
    typed = f"{v['swn:10A'] * 10000:.2f}"
    assert (o["unit"], o["path"], o["kind"], o["items"]) == (
        units[3].name,
        str(folder / "03.xlsx"),
        "outlier",
        ["10A"],
    )
    assert o["cell"] == "送温暖工程统计表!E43"
    assert o["suggestion"] == {
        "item": "10A",
        "value": str(v["swn:10A"]),
        "cell": "送温暖工程统计表!E43",
        "why": "unit",
    }
    text = cli("consolidate", folder).stdout
    assert "有 1 个数字与其他单位相差悬殊，已计入合计，请核对：" in text
    assert f"  ! {units[3].name} 送温暖工程统计表!E43  经过与用人单位协商" in text and typed in text


def test_notices_come_as_word_documents_with_the_same_words(batch, tmp_path):
    import docx

    ret(batch, "bad.xlsx", "舞钢", seed=6, changes={"swn:01A": "十二"})
    notices = tmp_path / "notices"
    args = ("status", batch, "--form", "pingdingshan-2010", "--as-of", "2010-01-29")
    assert cli(*args, "--notices", notices).exit_code == 0
    doc = docx.Document(str(notices / "舞钢_更正通知.docx"))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    words = [p.text for p in doc.paragraphs if p.text]
    assert words == [
        "更正通知",
        "舞钢：",
        "贵单位报送的《送温暖工程统计表》、《困难职工帮扶中心统计表》（文件 bad.xlsx）经审核有以下"
        "问题，请核对更正后于2010年2月1日前重新报市总保障部：",
        "1. 贵单位报表第 6 行“当地职工总数”（E6）填的是“十二”，不是数字",
        "截止时间依据通知原文：“请务必于2010年2月1日前将送温暖活动报告和统计表报送市总保障部”",
        "平顶山市总工会",
        "2010年1月29日",
    ]
    assert not doc.tables  # a letter: the problems numbered in its body
    text = (notices / "舞钢_更正通知.txt").read_text(encoding="utf-8-sig")
    said = [line.strip() for line in text.splitlines() if line.strip()]
    assert said == words
    missing = docx.Document(str(notices / "湛河_更正通知.docx"))
    assert [p.text for p in missing.paragraphs if p.text][:3] == [
        "催报通知",
        "湛河区总工会：",
        "贵单位尚未报送《送温暖工程统计表》、《困难职工帮扶中心统计表》。请于2010年2月1日前报市总保障部。",
    ]
    assert not missing.tables
