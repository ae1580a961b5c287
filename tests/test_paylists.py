"""Real-name payment lists: the `lists:` of a form, reading lists in units' layouts, findings."""

from pathlib import Path

import pytest

from wenuan.errors import FormFileError
from wenuan.forms import model as forms

FORMS = Path(__file__).parents[1] / "forms"


def _with_list(tmp_path, text: str) -> Path:
    """The Zhengzhou form with its `lists:` replaced by `text`."""
    source = (FORMS / "zhengzhou-2021.yaml").read_text(encoding="utf-8").split("\nlists:\n")[0]
    path = tmp_path / "zhengzhou-2021.yaml"
    path.write_text(source + "\nlists:\n" + text, encoding="utf-8")
    return path


def test_built_in_lists_load():
    zz = forms.load_form(FORMS / "zhengzhou-2021.yaml").lists[0]
    assert [c.kind for c in zz.columns][:2] == ["name", "id_number"]
    assert [r.check for r in zz.rules] == ["amount", "age", "card", "date"]
    assert forms.load_form(FORMS / "pingdingshan-2010.yaml").lists[0].id == "payees"


LIST = """\
  - id: l
    title: 明细
    basis: 实名制发放
    columns:
      - {name: 姓名, kind: name}
      - {name: 公民身份号码, kind: id_number}
"""


@pytest.mark.parametrize(
    "text, line, problem",
    [
        (LIST + "    colour: red\n", None, "未知的键 “colour”"),
        (LIST + "      - {name: 卡号, kind: card}\n", None, "“kind” 的值不对"),
        (LIST + "      - {name: 证件, kind: id_number}\n", None, "kind: id_number 的列出现了两次"),
        (LIST.replace("kind: id_number", "kind: text"), None, "须有 kind: id_number 的列"),
        (
            LIST + "    rules:\n      - {id: a, check: amount, basis: 每人1000元}\n",
            None,
            "发放规则 a 需要 amount",
        ),
        (
            LIST + "    rules:\n      - {id: c, check: card, basis: 发银行卡}\n",
            None,
            "发放规则 c 需要 bank_card",
        ),
        (
            LIST
            + "    rules:\n      - {id: g, check: age, min_age: 70, as_of: 七月一日, basis: 70周岁}\n",
            None,
            "日期 “七月一日” 无法解析",
        ),
    ],
    ids=["unknown-key", "bad-kind", "kind-twice", "no-id-column", "amount", "card", "bad-date"],
)
def test_a_broken_list_is_refused_naming_file_and_line(tmp_path, text, line, problem):
    path = _with_list(tmp_path, text)
    with pytest.raises(FormFileError) as e:
        forms.load_form(path)
    assert problem in e.value.problem
    lines = path.read_text(encoding="utf-8").splitlines()
    assert e.value.line is not None and e.value.line > lines.index("lists:")


# ---- checking lists ----------------------------------------------------------------------------

import json  # noqa: E402
import re  # noqa: E402
from datetime import date  # noqa: E402

import openpyxl  # noqa: E402
from conftest import golden  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from wenuan.cli import app  # noqa: E402
from wenuan.lists import idnumbers as ids  # noqa: E402
from wenuan.lists import paylists  # noqa: E402

runner = CliRunner()
ZZ = forms.load_form(FORMS / "zhengzhou-2021.yaml")


def person(area: str, born: date, seq: int) -> str:
    base = f"{area}{born:%Y%m%d}{seq:03d}"
    return base + ids.check_digit(base)


def card(start: str) -> str:
    return start + ids.luhn_digit(start)


ID_A = person("410102", date(1940, 3, 2), 11)
ID_B = person("410103", date(1945, 6, 1), 21)
ID_B_TYPO = ID_B[:-1] + ("0" if ID_B[-1] != "0" else "1")
ID_C = person("410104", date(1955, 1, 1), 31)
ID_D = person("410105", date(1948, 8, 8), 41)
ID_E = person("410106", date(1949, 9, 9), 51)
CARD_A = card("622202100000000001")
CARD_B = card("622202100000000002")
CARD_C_TYPO = CARD_B[:-1] + str((int(CARD_B[-1]) + 1) % 10)
CARD_D = card("622848000000000004")
ALL_NUMBERS = [ID_A, ID_B, ID_B_TYPO, ID_C, ID_D, ID_E, CARD_A, CARD_B, CARD_C_TYPO, CARD_D]


def _save(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def unit_a(tmp_path) -> Path:
    """The list in the form's own column order, under a title, with a total and a signature."""
    return _save(
        tmp_path / "a.xlsx",
        [
            ["70周岁及以上全国劳模慰问金发放明细"],
            ["填报单位：金水区总工会"],
            [
                "序号",
                "姓名",
                "公民身份号码",
                "类别",
                "金额（元）",
                "银行卡号",
                "发放方式",
                "发放日期",
                "所在单位",
            ],
            [1, "张三", ID_A, "全国劳模", 1000, CARD_A, "银行卡", date(2021, 5, 20), "郑州煤矿"],
            [2, "李四", ID_B_TYPO, "全国劳模", 1000, CARD_B, "银行卡", "2021-05-20", "郑州纺织厂"],
            [
                3,
                "王五",
                float(ID_E),
                "全国劳模",
                1000,
                CARD_B,
                "银行卡",
                "2021-05-20",
                "郑州机械厂",
            ],
            [4, "赵六", ID_C, "全国劳模", 800, CARD_C_TYPO, "银行卡", "2021-05-21", "郑州铝厂"],
            [5, "钱七", ID_A, "全国劳模", 1000, CARD_A, "银行卡", "2021-05-22", "郑州煤矿"],
            [6, "孙八", ID_D, "全国劳模", 1000, None, "现金", "2021年6月15日", "郑州电厂"],
            ["合计", None, None, None, 5800],
            ["制表人：王芳"],
        ],
    )


def unit_b(tmp_path) -> Path:
    """A clerk's own layout: the ID first, other header words, no title, no category."""
    return _save(
        tmp_path / "b.xlsx",
        [
            ["身份证号码（18位）", "职工姓名", "慰问金", "卡号", "日期", "工作单位"],
            [ID_E, "周九", "1000元", CARD_A, "2021.5.10", "郑州机车厂"],
            [ID_D.lower(), "吴十", 1000, CARD_D, "2021年5月12日", "郑州电厂"],
        ],
    )


def _check(*paths):
    return list(paylists.check_lists(list(paths), ZZ, ZZ.lists[0], b"salt"))


def test_each_kind_of_finding_at_its_cell(tmp_path):
    a, b = _check(unit_a(tmp_path), unit_b(tmp_path))
    found = [(f.severity, f.kind, f.cell, f.rule, f.message) for f in a.findings + b.findings]
    assert found == EXPECTED
    assert (a.values["rows"], b.values["rows"]) == (6, 2)


EXPECTED = [
    (
        "error",
        "id_number",
        "明细!C5",
        None,
        "李四：公民身份号码 410103********0210 校验码不对（末位与前 17 位不符，可能录错了一位）",
    ),
    (
        "error",
        "id_number",
        "明细!C6",
        None,
        "王五：公民身份号码存成了数字（410106************），后几位已丢失：请把该列设为“文本”后重新录入",
    ),
    (
        "error",
        "duplicate",
        "明细!F6",
        None,
        "王五：银行卡号 6222 **** **** 0025 也是 明细!F5（李四）的卡：一张卡发给了两个人",
    ),
    (
        "error",
        "bank_card",
        "明细!F7",
        None,
        "赵六：银行卡号 6222 **** **** 0026 校验位不对（Luhn），可能录错了一位",
    ),
    (
        "error",
        "list_rule",
        "明细!E7",
        "models-1000",
        "赵六：发放 800 元，通知规定每人 1000 元（对 70 周岁及以上（截至 2021 年 7 月 1 日）的全国劳模……每人发放 1000 元慰问金）",
    ),
    (
        "error",
        "list_rule",
        "明细!C7",
        "models-70",
        "赵六：截至 2021-07-01 为 66 周岁，不满 70 周岁（对 70 周岁及以上（截至 2021 年 7 月 1 日）的全国劳模）",
    ),
    (
        "error",
        "duplicate",
        "明细!C8",
        None,
        "钱七：公民身份号码 410102********0115 与 明细!C4（张三）重复：同一人发放了两次",
    ),
    ("error", "missing", "明细!F9", None, "孙八：缺少银行卡号"),
    (
        "error",
        "list_rule",
        "明细!G9",
        "by-card",
        "孙八：未发到银行卡（现金）（每人发放 1000 元慰问金（发银行卡））",
    ),
    (
        "error",
        "list_rule",
        "明细!H9",
        "in-period",
        "孙八：发放日期 2021-06-15 不在 2021-05-01 至 2021-05-31 之间（“工会进万家”调研走访慰问活动集中在2021年5月开展，5月31日前结束。）",
    ),
    (
        "error",
        "duplicate",
        "明细!D2",
        None,
        "周九：银行卡号 6222 **** **** 0017 也是 a.xlsx 明细!F4（张三）的卡：一张卡发给了两个人",
    ),
    (
        "error",
        "duplicate",
        "明细!A3",
        None,
        "吴十：公民身份号码 410105********0413 与 a.xlsx 明细!C9（孙八）重复：同一人发放了两次",
    ),
]


def _run(*args, lang="zh"):
    return runner.invoke(
        app, ["check-list", *map(str, args), "--form", "zhengzhou-2021", "--lang", lang]
    )


def test_json_is_the_librarys_report_and_matches_the_golden_file(tmp_path, monkeypatch):
    monkeypatch.setenv("WENUAN_SALT", "golden")
    paths = [unit_a(tmp_path), unit_b(tmp_path)]
    result = _run(*paths, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    reports = list(paylists.check_lists(paths, ZZ, ZZ.lists[0], b"golden"))
    assert data == paylists.lists_json(reports, ZZ.lists[0], "env")
    text = result.stdout.replace(str(tmp_path) + "/", "")
    golden("check_list_expected.json", text)


def test_the_same_salt_matches_across_runs_and_a_run_salt_does_not(tmp_path, monkeypatch):
    path = unit_b(tmp_path)
    monkeypatch.setenv("WENUAN_SALT", "s")
    hashes = [json.loads(_run(path, "--format", "json").stdout) for _ in range(2)]
    assert hashes[0] == hashes[1]
    monkeypatch.delenv("WENUAN_SALT")
    again = json.loads(_run(path, "--format", "json").stdout)
    assert again["salt"] == "run" and again != hashes[0]


def test_text_output_and_exit_codes(tmp_path):
    clean = _save(
        tmp_path / "ok.xlsx",
        [["姓名", "公民身份号码", "金额（元）", "银行卡号", "发放日期"],
         ["张三", ID_A, 1000, CARD_A, "2021-05-20"]],
    )  # fmt: skip
    result = _run(clean)
    assert (result.exit_code, result.stdout) == (
        0,
        f"✓ {clean}  1 人  通过\n70周岁及以上全国劳模慰问金发放明细：1 个文件共 1 人，1 个文件通过\n",
    )
    assert _run(unit_a(tmp_path)).exit_code == 1
    assert _run(tmp_path / "nowhere.xlsx").exit_code == 2
    assert runner.invoke(app, ["check-list", str(clean), "--form", "jiaozuo-2023"]).exit_code == 2


def test_a_file_without_a_list_is_a_finding(tmp_path):
    path = _save(tmp_path / "x.xlsx", [["项目", "数值"], ["走访户数", 12]])
    (report,) = _check(path)
    assert [(f.kind, f.message) for f in report.findings] == [
        ("table", "没有找到发放明细：表头须有 姓名、公民身份号码、金额（元）、银行卡号 等列")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_output_holds_a_whole_number(tmp_path, lang, fmt):
    result = _run(unit_a(tmp_path), unit_b(tmp_path), "--format", fmt, lang=lang)
    # unit A's list as the register of the 建档 list: 依档帮扶 and 全覆盖 findings name people too
    against = _run(unit_b(tmp_path), "--list", "hardship-visits", "--register", unit_a(tmp_path),
                   "--format", fmt, lang=lang)  # fmt: skip
    assert "coverage" in against.stdout or "全覆盖" in against.stdout
    out = result.stdout + (result.stderr or "") + against.stdout
    out = re.sub(r'"(?:id|card)_hash": "[0-9a-f]{16}"', "", out)  # hex may hold digit runs
    for number in ALL_NUMBERS:
        assert number not in out and number.lower() not in out
        assert number[6:-4] not in out  # not even the middle (birth date and sequence)
    assert not re.search(r"\d{11,}", out)  # nothing longer than a masked ID's first six digits
