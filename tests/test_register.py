"""check-list --register: 依档帮扶 (each payee in the register) and 全覆盖 (each registered person paid)."""

import json
import re
from datetime import date
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.lists import idnumbers as ids
from wenuan.lists import paylists

FORMS = Path(__file__).parents[1] / "forms"
PDS = forms.load_form(FORMS / "pingdingshan-2010.yaml")
ZZ = forms.load_form(FORMS / "zhengzhou-2021.yaml")
runner = CliRunner()


def person(area: str, born: date, seq: int) -> str:
    base = f"{area}{born:%Y%m%d}{seq:03d}"
    return base + ids.check_digit(base)


ID_A = person("410402", date(1960, 3, 2), 11)
ID_B = person("410403", date(1965, 6, 1), 21)
ID_C = person("410404", date(1970, 1, 1), 31)
ID_D = person("410405", date(1972, 8, 8), 41)
ALL = [ID_A, ID_B, ID_C, ID_D]


def _save(path: Path, rows: list[list], sheet: str = "名册") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def register(tmp_path) -> Path:
    """The register in its own layout: a title, 序号, 户主姓名 and 身份证号码, more columns."""
    return _save(
        tmp_path / "名册.xlsx",
        [
            ["建档困难职工名册"],
            ["序号", "户主姓名", "身份证号码", "困难类别", "家庭住址"],
            [1, "张三", ID_A, "低保", "新华区"],
            [2, "李四", ID_B, "大病", "卫东区"],
            [3, "王五", ID_C, "单亲", "湛河区"],
        ],
    )


def paid(tmp_path) -> Path:
    """A list paying 张三 (registered) and 赵六 (not registered)."""
    return _save(
        tmp_path / "list.xlsx",
        [
            ["姓名", "公民身份号码", "金额（元）", "发放日期"],
            ["张三", ID_A, 500, "2010-01-20"],
            ["赵六", ID_D, 500, "2010-01-21"],
        ],
        "明细",
    )


def test_a_payee_not_in_the_register_is_named_at_the_cell(tmp_path):
    reports = list(
        paylists.check_lists([paid(tmp_path)], PDS, PDS.lists[0], b"s", register(tmp_path))
    )
    found = [(f.severity, f.kind, f.cell, f.message) for r in reports for f in r.findings]
    assert found == [
        (
            "error",
            "register",
            "明细!B3",
            "赵六：公民身份号码 410405********041X 不在建档名册 名册.xlsx 中（依档帮扶，实名制发放。）",
        )
    ]
    assert reports[-1].values == {"rows": 3, "register": True, "missing": 0}


def test_each_registered_person_not_paid_is_a_coverage_finding(tmp_path):
    hardship = ZZ.lists[1]
    reports = list(paylists.check_lists([paid(tmp_path)], ZZ, hardship, b"s", register(tmp_path)))
    assert [f.kind for f in reports[0].findings] == []  # no 依档帮扶 rule in this list
    found = [(f.kind, f.cell, f.message) for f in reports[1].findings]
    assert found == [
        (
            "coverage",
            "名册!C4",
            "李四：公民身份号码 410403********021X 已建档，本批发放明细中没有此人"
            "（对当地建档的困难职工实行走访慰问全覆盖）",
        ),
        (
            "coverage",
            "名册!C5",
            "王五：公民身份号码 410404********0311 已建档，本批发放明细中没有此人"
            "（对当地建档的困难职工实行走访慰问全覆盖）",
        ),
    ]
    assert reports[1].values == {"rows": 3, "register": True, "missing": 2}


def _run(*args, form="zhengzhou-2021", lang="zh"):
    return runner.invoke(app, ["check-list", *map(str, args), "--form", form, "--lang", lang])


def test_cli_text_json_and_a_list_without_a_register_rule(tmp_path, monkeypatch):
    lst, reg = paid(tmp_path), register(tmp_path)
    result = _run(lst, "--list", "hardship-visits", "--register", reg)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"✓ {lst}  2 人  通过"
    assert lines[1] == f"✗ {reg}  建档名册 3 人，2 人未发放  2 个错误，0 个警告"
    assert lines[-1] == "建档困难职工走访慰问明细：1 个文件共 2 人，1 个文件通过"
    monkeypatch.setenv("WENUAN_SALT", "k")
    result = _run(lst, "--list", "hardship-visits", "--register", reg, "--format", "json")
    data = json.loads(result.stdout)
    reports = list(paylists.check_lists([lst], ZZ, ZZ.lists[1], b"k", reg))
    assert data == paylists.lists_json(reports, ZZ.lists[1], "env")
    assert data["files"][1]["register"] is True and data["files"][1]["missing"] == 2
    refused = _run(lst, "--register", reg)  # models-70 quotes no register rule
    assert refused.exit_code == 2
    assert "没有依档帮扶或全覆盖的规定" in refused.output


def test_no_register_output_holds_a_whole_number(tmp_path):
    lst, reg = paid(tmp_path), register(tmp_path)
    for form, extra in (
        ("pingdingshan-2010", []),
        ("zhengzhou-2021", ["--list", "hardship-visits"]),
    ):
        for fmt in ("text", "json"):
            for lang in ("zh", "en"):
                result = _run(lst, *extra, "--register", reg, "--format", fmt, form=form, lang=lang)
                out = re.sub(r'"id_hash": "[0-9a-f]{16}"', "", result.stdout + result.stderr)
                for number in ALL:
                    assert number not in out and number[6:-4] not in out
                assert not re.search(r"\d{11,}", out)
