"""check-list over a batch: a duplicate across two units in a batch of 50 lists, the bounds of a
list sheet, and the notices other than Zhengzhou's that call for lists (Jiaozuo 2019, Ezhou 2022)."""

import dataclasses
import json
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.lists import idnumbers as ids
from wenuan.lists import paylists

FORMS = Path(__file__).parents[1] / "forms"
ZZ = forms.load_form(FORMS / "zhengzhou-2021.yaml")
runner = CliRunner()


def person(n: int) -> str:
    """The n-th distinct valid ID number: born 1930–1949 (70 or more on 2021-07-01)."""
    base = f"410102{1930 + n % 20}{1 + n % 12:02d}{1 + n % 28:02d}{n // 20:03d}"
    return base + ids.check_digit(base)


def card(n: int) -> str:
    start = f"622202{n:012d}"
    return start + ids.luhn_digit(start)


def save(path: Path, unit: str, rows: list[list], header=None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["70周岁及以上全国劳模慰问金发放明细"])
    ws.append([f"填报单位：{unit}"])
    ws.append(
        header or ["序号", "姓名", "公民身份号码", "类别", "金额（元）", "银行卡号", "发放日期"]
    )
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def batch_of_50(folder: Path) -> list[Path]:
    """50 units' lists of 4 people each, all valid; then two planted duplicates across units:
    unit 17's third person is unit 42's second (the same ID, each with a card of their own), and
    unit 33's first person is paid to unit 8's fourth person's card."""
    rows = {
        u: [
            [
                i + 1,
                f"劳模{u}-{i}",
                person(u * 4 + i),
                "全国劳模",
                1000,
                card(u * 4 + i),
                "2021-05-20",
            ]
            for i in range(4)
        ]  # fmt: skip
        for u in range(1, 51)
    }
    rows[42][1][2] = rows[17][2][2]  # the same ID paid by two units
    rows[33][0][5] = rows[8][3][5]  # the same card for two people
    return [save(folder / f"unit{u:02d}.xlsx", f"第{u}单位", rows[u]) for u in rows]


def test_a_duplicate_across_two_units_of_50_names_both_places(tmp_path):
    paths = batch_of_50(tmp_path)
    reports = list(paylists.check_lists(paths, ZZ, ZZ.lists[0], b"salt"))
    found = [
        (Path(r.path).name, f.kind, f.cell, f.message, f.subject)
        for r in reports
        for f in r.findings
    ]
    same_id, same_card = person(17 * 4 + 2), card(8 * 4 + 3)
    assert found == [
        (
            "unit33.xlsx",
            "duplicate",
            "明细!F4",
            f"劳模33-0：银行卡号 {ids.mask_card(same_card)} 也是 unit08.xlsx 明细!F7（劳模8-3）"
            "的卡：一张卡发给了两个人",
            {
                "bank_card": ids.mask_card(same_card),
                "card_hash": ids.fingerprint(same_card, b"salt"),
            },
        ),
        (
            "unit42.xlsx",
            "duplicate",
            "明细!C5",
            f"劳模42-1：公民身份号码 {ids.mask_id(same_id)} 与 unit17.xlsx 明细!C6（劳模17-2）"
            "重复：同一人发放了两次",
            {"id_number": ids.mask_id(same_id), "id_hash": ids.fingerprint(same_id, b"salt")},
        ),
    ]
    assert [r.values["rows"] for r in reports] == [4] * 50
    assert [Path(r.path).name for r in reports if not r.ok] == ["unit33.xlsx", "unit42.xlsx"]


def test_the_batch_from_the_command_line_as_json(tmp_path, monkeypatch):
    monkeypatch.setenv("WENUAN_SALT", "s")
    batch_of_50(tmp_path)
    result = runner.invoke(
        app, ["check-list", str(tmp_path), "--form", "zhengzhou-2021", "--format", "json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert len(data["files"]) == 50 and sum(f["rows"] for f in data["files"]) == 200
    dups = [(Path(f["path"]).name, x["cell"]) for f in data["files"] for x in f["findings"]]
    assert dups == [("unit33.xlsx", "明细!F4"), ("unit42.xlsx", "明细!C5")]
    assert not any(n in result.stdout for n in (person(17 * 4 + 2), card(8 * 4 + 3)))


# ---- bounds ----------------------------------------------------------------------------------


def test_a_list_may_be_longer_than_a_return_but_is_bounded(tmp_path, monkeypatch):
    from wenuan.reading import workbook

    many = [
        [i + 1, f"劳模{i}", person(i), "全国劳模", 1000, card(i), "2021-05-20"] for i in range(6000)
    ]
    path = save(tmp_path / "big.xlsx", "第1单位", many)
    assert workbook.RETURN.rows < 6000 <= workbook.LIST.rows
    (report,) = paylists.check_lists([path], ZZ, ZZ.lists[0], b"s")
    assert (report.values["rows"], report.findings) == (6000, [])

    monkeypatch.setattr(workbook, "LIST", dataclasses.replace(workbook.LIST, rows=5000))
    (report,) = paylists.check_lists([path], ZZ, ZZ.lists[0], b"s")
    assert [(f.kind, f.message) for f in report.findings] == [
        (
            "unreadable",
            "big.xlsx 的工作表“明细”在 A5001 还有内容，超出一份发放明细的上限"
            "（最多 5000 行、100 列）；请分成几个文件，或删去表格以外的内容",
        )
    ]  # seen before python-calamine reads the sheet


# ---- Jiaozuo 2019 and Ezhou 2022 -------------------------------------------------------------

JZ = forms.load_form(FORMS / "jiaozuo-2019.yaml")
EZ = forms.load_form(FORMS / "ezhou-2022.yaml")
PASSBOOK = "101203456789"  # a passbook's account: 12 digits, no Luhn digit


def card_or_passbook_list(folder: Path, title: str, year: int = 2019) -> Path:
    """Four people: paid to a card, to a passbook, in cash, and to a card before the campaign."""
    header = [
        "序号",
        "户主姓名",
        "身份证号码",
        "金额（元）",
        "银行卡号或存折号",
        "发放方式",
        "发放日期",
    ]
    rows = [
        [1, "张三", person(1), 800, card(1), "银行卡", f"{year}-01-10"],
        [2, "李四", person(2), 800, PASSBOOK, "存折", f"{year}-01-12"],
        [3, "王五", person(3), 800, None, "现金", f"{year}-01-12"],
        [4, "赵六", person(4), 600, card(4), "银行卡", f"{year - 1}-11-30"],
    ]
    path = save(folder / "list.xlsx", "解放区总工会", rows, header)
    wb = openpyxl.load_workbook(path)
    wb.active["A1"] = title
    wb.save(path)
    return path


def _found(form, path, **kw):
    (report, *rest) = paylists.check_lists([path], form, form.lists[0], b"s", **kw)
    return [(f.severity, f.kind, f.cell, f.rule, f.message) for f in report.findings], rest


def test_jiaozuo_pays_to_a_card_or_a_passbook_never_in_cash(tmp_path):
    assert JZ.lists[0].rules[0].passbook
    found, _ = _found(JZ, card_or_passbook_list(tmp_path, JZ.lists[0].title))
    assert found == [
        ("error", "missing", "明细!E6", None, "王五：缺少银行卡号或存折号"),
        (
            "error",
            "list_rule",
            "明细!F6",
            "card-or-passbook",
            "王五：未发到银行卡（现金）（通过银行卡（或存折）发放。）",
        ),
        (
            "warning",
            "list_rule",
            "明细!G7",
            "in-period",
            "赵六：发放日期 2018-11-30 不在 2018-12-01 至 2019-02-05 之间"
            "（市总工会决定在2019年元旦春节期间组织全市工会开展送温暖活动）",
        ),
    ]


def test_ezhou_pays_to_a_card_only(tmp_path):
    found, _ = _found(EZ, card_or_passbook_list(tmp_path, EZ.lists[0].title, 2022))
    basis = "采取非现金形式支付，通过银行卡发放至送温暖对象个人账户"
    assert found == [
        ("error", "list_rule", "明细!F5", "by-card", f"李四：未发到银行卡（存折）（{basis}）"),
        ("error", "missing", "明细!E6", None, "王五：缺少银行卡号"),
        ("error", "list_rule", "明细!F6", "by-card", f"王五：未发到银行卡（现金）（{basis}）"),
        (
            "warning",
            "list_rule",
            "明细!G7",
            "in-period",
            "赵六：发放日期 2021-11-30 不在 2022-01-01 至 2022-02-01 之间"
            "（市总工会决定在 2022 年春节期间继续组织全市工会开展送温暖活动）",
        ),
    ]
    assert EZ.lists[0].register_check is None and EZ.lists[0].reconcile is None


def test_jiaozuo_payees_are_in_the_register_and_b1_is_the_lists_money(tmp_path):
    from decimal import Decimal as D

    from wenuan.checking import samples
    from wenuan.outputs import writing

    lst = card_or_passbook_list(tmp_path, JZ.lists[0].title)
    register = save(tmp_path / "名册.xlsx", "解放区总工会", [[1, "张三", person(1)],
                    [2, "李四", person(2)], [3, "王五", person(3)]],
                    ["序号", "户主姓名", "身份证号码"])  # fmt: skip
    found, (book,) = _found(JZ, lst, register=register)
    basis = "严格执行“依档帮扶”“先建档、后帮扶、实名制”的原则"
    assert ("error", "register", "明细!C7", None,
            f"赵六：公民身份号码 {ids.mask_id(person(4))} 不在建档名册 名册.xlsx 中（{basis}）"
            ) in found  # fmt: skip
    assert book.findings == []  # 全覆盖 is not what Jiaozuo's list quotes

    def a_return(b1: str) -> Path:
        values = {**samples.consistent(JZ, 1), "swn:B1": D(b1)}
        head = {"unit": "解放区总工会", "person": "王芳", "phone": "0391-3999913"}
        path = tmp_path / f"r{b1}.xlsx"
        writing.save_atomically(writing.filled(JZ, values, head), path, force=True)
        return path

    recon = lambda b1: [x for x in _found(JZ, lst, returns=a_return(b1))[0] if x[1] == "reconcile"]  # noqa: E731
    assert recon("0.30") == []  # 800 + 800 + 800 + 600 元 = 0.30 万元
    ((severity, _, cell, rule, message),) = recon("0.31")
    assert (severity, cell, rule) == ("error", "明细!D4:D7", "reconcile-amount")
    assert message.startswith("明细金额合计 3000 元，即 0.3 万元（明细!D4:D7），报表 r0.31.xlsx 中")


# ---- the annotated copy ----------------------------------------------------------------------


def test_the_annotated_copy_marks_the_findings_and_adds_no_number(tmp_path, monkeypatch):
    monkeypatch.setenv("WENUAN_SALT", "s")
    typo = card(2)[:-1] + str((int(card(2)[-1]) + 1) % 10)
    source = save(tmp_path / "list.xlsx", "第1单位", [
        [1, "张三", person(1), "全国劳模", 1000, card(1), "2021-05-20"],
        [2, "李四", person(2), "全国劳模", 800, typo, "2021-05-20"],
        [3, "王五", float(person(3)), "全国劳模", 1000, card(3), "2021-05-20"],
        [4, "钱七", person(1), "全国劳模", 1000, card(4), "2021-06-20"],
    ])  # fmt: skip
    out = tmp_path / "标注.xlsx"
    args = ["check-list", str(source), "--form", "zhengzhou-2021", "--annotate", str(out)]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 1 and out.exists()
    findings = json.loads(result.stdout)["files"][0]["findings"]
    marked = {f["cell"].split("!")[1] for f in findings}
    assert marked == {"E5", "F5", "C6", "C7", "G7"}

    before, after = openpyxl.load_workbook(source).active, openpyxl.load_workbook(out).active
    red = {
        c.coordinate for row in after.iter_rows() for c in row if c.fill.fgColor.rgb == "00FFC7CE"
    }
    assert red == marked
    for row_in, row_out in zip(before.iter_rows(), after.iter_rows(), strict=True):
        for a, b in zip(row_in, row_out, strict=True):
            assert (a.coordinate, a.value) == (b.coordinate, b.value)  # the input's numbers only
            if b.coordinate not in marked:
                assert b.comment is None
    for f in findings:
        assert f["message"] in after[f["cell"].split("!")[1]].comment.text
    notes = "".join(after[c].comment.text for c in marked)
    assert not re.search(r"\d{11,}", notes) and ids.mask_id(person(1)) in notes

    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output  # never overwritten without it
    both = runner.invoke(app, [*args[:2], str(tmp_path), *args[2:], "--force"])
    assert both.exit_code == 2 and "只能用于一个文件" in both.output
