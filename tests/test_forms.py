"""The built-in forms: each loads, and each carries what its notice prints."""

from datetime import date
from decimal import Decimal

import pytest

from wenuan.forms import model as forms

BUILTIN = ["ezhou-2022", "jiaozuo-2019", "jiaozuo-2023", "pingdingshan-2010", "zhengzhou-2021"]


def test_the_five_notices_are_built_in():
    assert list(forms.catalogue()) == BUILTIN


@pytest.mark.parametrize("form_id", BUILTIN)
def test_every_builtin_form_loads_with_tables_rules_and_deadlines(form_id):
    form = forms.get_form(form_id)
    assert form.id == form_id
    assert form.tables and all(tb.cells for tb in form.tables)
    assert any(d.tables for d in form.deadlines), "a deadline for the returns"
    for tb in form.tables:
        for rule in tb.rules:
            assert rule.basis.strip()
            assert rule.kind in ("identity", "inequality", "rule")


@pytest.mark.parametrize("form_id", BUILTIN)
def test_every_builtin_form_passes_the_report_sentence_check(form_id):
    # the catalogue skips it for built-in forms (a command starts a tenth of a second sooner)
    form = forms.load_form(forms.builtin_dir() / f"{form_id}.yaml", sentences=True)
    assert form.report is not None and list(form.report.templates())


# Every code the Pingdingshan notice prints, with its unit(s), table by table.
PINGDINGSHAN_SWN = {
    "01A": "人",
    "02A": "人",
    "03A": "户",
    "03B": "户",
    "03C": "户",
    "03D": "户",
    "03E": "户",
    "04A": "个",
    "04B": "户",
    "04C": "户",
    "04D": "人",
    "05A": "万元",
    "05B": "万元",
    "05C": "万元",
    "05D": "万元",
    "06A": "万元",
    "06B": "万元",
    "06C": "万元",
    "07A": "人次",
    "07B": "人次",
    "07C": "个",
    "07D": "人次",
    "07E": "人次",
    "07F": "人次",
    "07G": "人次",
    "07H": "对",
    "08A[名]": "名",
    "08A[万元]": "万元",
    "08B[名]": "名",
    "08B[万元]": "万元",
    "09A": "人次",
    "09B[列]": "列",
    "09B[人次]": "人次",
    "09C[辆]": "辆",
    "09C[人次]": "人次",
    "09D": "张",
    "10A": "万元",
}
PINGDINGSHAN_BFZX = {
    "01A": "个",
    "01B": "个",
    "01C": "个",
    "02A": "个",
    "02B": "个",
    "02C": "个",
    "03A": "人",
    "03B": "人",
    "03C": "人",
    "04A": "个",
    "05A": "万元",
    "05B": "万元",
    "05C": "万元",
    "05D": "万元",
    "05E": "万元",
    "06A[个]": "个",
    "06A[万元]": "万元",
    "06B": "个",
    "07A[个]": "个",
    "07A[万元]": "万元",
    "07B": "个",
    **{f"0{n}{x}[人次]": "人次" for n in (8, 9) for x in "ABCDEFGHIJ"},
    **{f"0{n}{x}[万元]": "万元" for n in (8, 9) for x in "ABCDEFGHIJ"},
    "10A[件]": "件",
    "10A[人]": "人",
}


@pytest.mark.parametrize(
    "table_id, expected", [("swn", PINGDINGSHAN_SWN), ("bfzx", PINGDINGSHAN_BFZX)]
)
def test_pingdingshan_has_every_printed_code_with_its_unit(table_id, expected):
    table = forms.get_form("pingdingshan-2010").table(table_id)
    assert {ref: cell.unit for ref, cell in table.cells.items()} == expected


def _identities(table):
    return {r.expr.replace(" ", "") for r in table.rules if r.kind == "identity"}


def test_pingdingshan_identities():
    form = forms.get_form("pingdingshan-2010")
    assert _identities(form.table("swn")) == {"05A=05B+05C+05D"}
    bfzx = _identities(form.table("bfzx"))
    assert {"01A=01B+01C", "02A=02B+02C", "03A=03B+03C", "05A=05B+05C+05D+05E"} <= bfzx
    for row in ("08", "09"):
        for unit in ("人次", "万元"):
            parts = "+".join(f"{row}{x}[{unit}]" for x in "BCDEFGHIJ")
            assert f"{row}A[{unit}]={parts}" in bfzx
    assert len(bfzx) == 8


def test_pingdingshan_printed_identity_is_not_marked_reconstructed():
    rule = next(
        r for r in forms.get_form("pingdingshan-2010").table("swn").rules if r.id == "swn-05"
    )
    assert (rule.reconstructed, rule.basis) == (False, "（注：05A=05B+05C+05D）")


def test_pingdingshan_migrant_workers_within_workers():
    exprs = {r.expr for r in forms.get_form("pingdingshan-2010").table("swn").rules}
    assert {"08B[名] <= 08A[名]", "08B[万元] <= 08A[万元]", "02A <= 01A"} <= exprs


def test_ezhou_surviving_rows_and_identities_are_exact():
    table = forms.get_form("ezhou-2022").table("swn")
    assert _identities(table) == {"E=E1+E2+E3+E4+E5", "F=F1+F2+F3"}
    exact = [
        "C9",
        "D9",
        "C10",
        "D10",
        "C11",
        "D11",
        "E",
        "E1",
        "E2",
        "E3",
        "E4",
        "E5",
        "F",
        "F1",
        "F2",
        "F3",
        "G",
        "H",
        "I",
        "J1",
        "J2",
        "J3",
        "J4",
    ]
    units = {ref: c.unit for ref, c in table.cells.items()}
    assert [units[c] for c in exact] == [
        "人次",
        "万元",
        "人次",
        "万元",
        "人次",
        "万元",
        *["人次"] * 6,
        *["人次"] * 4,
        "人次",
        "人次",
        "万元",
        "人次",
        "万元",
        "人次",
        "万元",
    ]
    items = {item.code: item for item, _ in table.walk()}
    assert all(not items[c].reconstructed for c in ("C9", "E", "F", "G", "J3"))
    assert all(items[c].reconstructed for c in ("A", "B", "C1", "C8"))


def test_zhengzhou_units_are_the_17_districts_with_their_leaders_and_8_industry_unions():
    form = forms.get_form("zhengzhou-2021")
    assert len(form.units) == 25
    assert (form.units[0].name, form.units[0].leader) == ("新郑市", "赵新中")
    assert (form.units[16].name, form.units[16].leader) == ("航空港区", "张玉剑")
    # 主送“市各产业工会”: the 8 the 附件 names among those who go with the leaders
    industry = [u.name for u in form.units if u.kind == "产业工会"]
    assert industry == [
        "财贸金融工会",
        "建设邮电工会",
        "农林水利工会",
        "轻工纺织工会",
        "机械冶金工会",
        "郑州市机关工会",
        "教科文卫体工会",
        "能源石化工会",
    ]
    assert all(name in u.note for u in form.units[17:] for name in [u.name])  # as printed
    rule = next(r for r in form.table("jwj").rules if r.id == "jwj-model-workers-1000")
    assert (rule.expr, rule.severity, rule.reconstructed) == ("A1 <= 0.1 * A", "warning", True)


def test_pingdingshan_roster_has_the_direct_enterprises_the_notice_names():
    form = forms.get_form("pingdingshan-2010")
    direct = [u.name for u in form.units if u.kind == "直属企业"]
    assert direct == ["中平能化", "供电公司", "江河", "鸿翔", "钢司", "铁矿", "姚电"]
    assert len(form.units) == 23


@pytest.mark.parametrize(
    "form_id, deadline_id, expected",
    [
        ("pingdingshan-2010", "returns", date(2010, 2, 1)),
        ("pingdingshan-2010", "visits", date(2010, 2, 1)),  # 农历腊月十八, as the notice says
        ("pingdingshan-2010", "provincial-funds", date(2010, 2, 13)),  # 春节前 = 除夕
        ("ezhou-2022", "returns", date(2022, 1, 26)),
        ("zhengzhou-2021", "returns", date(2021, 5, 31)),
        ("jiaozuo-2019", "returns", date(2019, 1, 16)),
    ],
)
def test_deadlines_resolve(form_id, deadline_id, expected):
    form = forms.get_form(form_id)
    assert next(d for d in form.deadlines if d.id == deadline_id).date == expected


def test_amounts_round_half_up_in_decimal():
    cell = forms.get_form("pingdingshan-2010").table("swn").cells["05A"]
    assert cell.quantize(Decimal("88.125")) == Decimal("88.13")
    assert round(88.125, 2) == 88.12  # what float would have done
    assert forms.get_form("pingdingshan-2010").table("swn").cells["01A"].decimals == 0
