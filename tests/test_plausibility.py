"""Plausibility warnings (核实性审核) and rules' scope: a unit's own rule never judges a total."""

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import EXAMPLES, example_figures, write_return
from typer.testing import CliRunner

from wenuan.checking import validate
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.forms.rules import render
from wenuan.words.messages import t

ALL = forms.Library()
runner = CliRunner()


def figures(form_id: str, changes: dict | None = None) -> dict[str, D]:
    """The example unit's plausible figures, changed (the changes may break rules: that is the
    point), totals added up again."""
    return example_figures(ALL[form_id], changes)


def check(tmp_path, form_id, values, name="r.xlsx"):
    path = write_return(tmp_path / name, ALL[form_id], values, "示例单位")
    return validate.validate_file(path, ALL, validate.Options())


def _rule(form_id, rule_id):
    form = ALL[form_id]
    return next(r for tb in form.tables for r in tb.rules if r.id == rule_id)


# (form, rule, changed figures, left's value, right's value): each change breaks that rule alone
IMPLAUSIBLE = [
    ("zhengzhou-2021", "jwj-model-workers-1000", {"jwj:A1": "0.80"}, "0.80", "0.40"),
    ("zhengzhou-2021", "jwj-allowance-per-family", {"jwj:C3": "48.00"}, "48.00", "24.00"),
    ("zhengzhou-2021", "jwj-models-per-visit", {"jwj:B[万元]": "35.00"}, "35.00", "32.50"),
    ("zhengzhou-2021", "jwj-one-enterprise", {"jwj:H": "2"}, "2", "1"),
    ("zhengzhou-2021", "jwj-one-family", {"jwj:H1": "3"}, "3", "1"),
    ("pingdingshan-2010", "swn-out-of-poverty-in-registered", {"swn:03E": "1500"}, "1500", "1480"),
    (
        "pingdingshan-2010",
        "swn-money-per-household",
        {"swn:05D": "1000.00", "swn:06A": "1000.00"},
        "987.80",
        "760.00",
    ),
    ("pingdingshan-2010", "swn-money-per-model-worker", {"swn:06B": "20.00"}, "20.00", "18.00"),
    ("pingdingshan-2010", "swn-money-per-migrant", {"swn:04D": "10"}, "8.60", "5.00"),
    ("pingdingshan-2010", "swn-train-most", {"swn:09B[人次]": "3500"}, "3500", "3000"),
    (
        "pingdingshan-2010",
        "swn-train-least",
        {"swn:09B[列]": "54"},  # the old example's 54 special trains for 93 people
        "1200",
        "16200",
        "最可能是 送温暖工程统计表!E40（09B[列]）填错，改为 4 后各项规则都成立"
        "（54 疑为一位数字写错）。",  # a warning: leaving it is as small
    ),
    ("pingdingshan-2010", "swn-bus-most", {"swn:09C[人次]": "4000"}, "4000", "3600"),
    (
        "pingdingshan-2010",
        "swn-return-subsidy-per-person",
        {"swn:10A": "600.00"},
        "600.00",
        "520.00",
    ),
    ("pingdingshan-2010", "swn-08-migrant-in-staff", {"swn:08B[名]": "400"}, "400", "310"),
    (
        "pingdingshan-2010",
        "swn-08-migrant-in-staff-amount",
        {"swn:08B[万元]": "200.00"},
        "200.00",
        "186.40",
    ),
    ("jiaozuo-2019", "swn-money-per-hardship-visit", {"swn:C3": "50"}, "31.00", "25.00"),
    (
        "jiaozuo-2019",
        "swn-money-per-visit",
        {"swn:C4": "10", "swn:D4": "700.00", "swn:B": "800.00"},
        "754.15",
        "641.50",
    ),
    ("jiaozuo-2023", "dryx-money-per-household", {"dryx:G": "250.00"}, "250.00", "201.00"),
    ("ezhou-2022", "swn-money-per-hardship-visit", {"swn:D11": "300.00"}, "300.00", "210.00"),
]


@pytest.mark.parametrize(
    "form_id, rule_id, changes, lv, rv, fix",
    [(*c, "")[:6] for c in IMPLAUSIBLE],
    ids=[f"{c[0]}:{c[1]}" for c in IMPLAUSIBLE],
)
def test_an_implausible_figure_is_one_warning_quoting_its_basis(
    tmp_path, form_id, rule_id, changes, lv, rv, fix
):
    rule = _rule(form_id, rule_id)
    report = check(tmp_path, form_id, figures(form_id, changes))
    (f,) = report.findings
    expr = rule.parsed
    left, right = render(expr.left), render(expr.right)
    assert (f.rule, f.severity, report.errors) == (rule_id, "warning", 0)
    assert f.message == (
        f"不符合 {rule.expr}（规则 {rule_id}，依据：{rule.basis}）：{left} 为 {lv}，{right} 为 {rv}，"
        f"{left} 应{t('cmp_' + expr.op)} {rv}。{fix}"
    )


def test_every_plausibility_warning_has_an_implausible_case():
    # a warning whose note starts 核实性 is a plausibility bound: each is tested above
    bounds = {
        (form_id, r.id)
        for form_id in ALL
        for tb in ALL[form_id].tables
        for r in tb.rules
        if r.severity == "warning" and (r.note or "").startswith("核实性")
    }
    assert bounds <= {(c[0], c[1]) for c in IMPLAUSIBLE}
    assert len(bounds) == 15


@pytest.mark.parametrize("form_id", ["pingdingshan-2010", "jiaozuo-2019"])
def test_sources_of_the_centres_funds_that_do_not_add_up_are_a_warning(tmp_path, form_id):
    # only the first of the four sources says 其中: others (上年结转, interest) are honest
    report = check(tmp_path, form_id, figures(form_id, {"bfzx:05A": "80.00"}))
    assert [(f.rule, f.severity) for f in report.findings] == [("bfzx-05", "warning")]


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_the_plausible_figures_keep_every_rule(tmp_path, form_id):
    assert check(tmp_path, form_id, figures(form_id)).findings == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*_valid.xlsx")), ids=lambda p: p.name)
def test_the_valid_examples_have_no_finding(path):
    report = validate.validate_file(path, ALL, validate.Options())
    assert (report.form, report.findings) == (path.name.split("_")[0], [])


# ---- scope -----------------------------------------------------------------------------------


def _zhengzhou_returns(folder: Path, n: int) -> Path:
    folder.mkdir()
    values = figures("zhengzhou-2021")
    for unit in ALL["zhengzhou-2021"].units[:n]:
        write_return(folder / f"{unit.name}.xlsx", ALL["zhengzhou-2021"], values, unit.name)
    return folder


def test_a_unit_rule_judges_a_units_return(tmp_path):
    report = check(tmp_path, "zhengzhou-2021", figures("zhengzhou-2021", {"jwj:H": "2"}))
    assert [(f.rule, f.severity) for f in report.findings] == [("jwj-one-enterprise", "warning")]


def test_a_zhengzhou_total_of_several_districts_has_no_finding_from_a_one_district_rule(
    tmp_path,
):
    folder = _zhengzhou_returns(tmp_path / "returns", 3)
    out = tmp_path / "合计.xlsx"
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "汇总 zhengzhou-2021：3 个单位，3 个文件"
    assert "合计按汇总表的规则核对" not in result.stdout
    # the total read back is judged as a total: H = 3 (one a district) breaks no rule
    report = validate.validate_file(out, ALL, validate.Options(received=date(2021, 5, 31)))
    assert (report.values["jwj:H"], report.values["jwj:H1"]) == (3, 3)
    assert [f.message for f in report.findings] == ["未填写联系电话"]  # the total's own header
    text = runner.invoke(app, ["validate", str(out), "--received", "2021-05-31"])
    assert text.exit_code == 0 and "jwj-one" not in text.stdout


def test_the_total_read_back_as_a_return_would_break_the_unit_rule(tmp_path):
    # the same figures in a unit's template (no 各单位/来源 sheets, no mark): the rule fires
    values = {k: v * 3 for k, v in figures("zhengzhou-2021").items()}
    report = check(tmp_path, "zhengzhou-2021", values)
    assert sorted(f.rule for f in report.findings) == ["jwj-one-enterprise", "jwj-one-family"]


def test_a_total_whose_mark_is_lost_is_known_by_its_sheets(tmp_path):
    import openpyxl

    folder = _zhengzhou_returns(tmp_path / "returns", 2)
    out = tmp_path / "合计.xlsx"
    runner.invoke(app, ["consolidate", str(folder), "-o", str(out)])
    wb = openpyxl.load_workbook(out)
    del wb["wenuan"]  # copied into another workbook: the hidden mark is gone
    wb.save(out)
    report = validate.validate_file(
        out, ALL, validate.Options(form_id="zhengzhou-2021", received=date(2021, 5, 31))
    )
    assert [f.message for f in report.findings] == ["未填写联系电话"]


def test_consolidation_checks_the_total_by_the_totals_rules(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    form = ALL["pingdingshan-2010"]
    plausible = figures("pingdingshan-2010")
    write_return(folder / "a.xlsx", form, plausible, "叶县")
    write_return(folder / "b.xlsx", form, plausible, "卫东区")
    result = runner.invoke(app, ["consolidate", str(folder), "--format", "json"])
    assert (result.exit_code, json.loads(result.stdout)["findings"]) == (0, [])
    # a return included despite its error (03A unreadable) leaves the total's 03A short of
    # its three parts: the total's own check says so
    write_return(folder / "c.xlsx", form, {**plausible, "swn:03A": "十二"}, "鲁山")
    result = runner.invoke(app, ["consolidate", str(folder), "--allow-errors", "--format", "json"])
    (f,) = json.loads(result.stdout)["findings"]
    assert (f["rule"], f["severity"]) == ("swn-03BCD-in-03A", "error")
    assert "：03B + 03C + 03D 为 4110，03A 为 2960，" in f["message"]
