"""Findings in words: real findings of every kind said to a unit, a clerk and a script, in
Chinese and English; a unit's words hold no item code, rule id, formula or hash."""

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import EXAMPLES
from test_formats import _formatted
from test_list_batch import ZZ, batch_of_50, save
from test_suggest import BIG, FAR, HEADER, PDS
from test_validate import ALL, FUNDS, check, write

from wenuan.checking import samples, screen, validate
from wenuan.checking.findings import Finding
from wenuan.forms.model import Library
from wenuan.lists import paylists
from wenuan.reading import Entry, Return
from wenuan.words.findings import AUDIENCES, say, words
from wenuan.words.messages import CATALOGUE

RULE_IDS = {r.id for f in ALL.values() for r in [*f.rules, *(r for t in f.tables for r in t.rules)]}
CODES = {c.item for f in ALL.values() for t in f.tables for c in t.cells.values()} | {
    ref for f in ALL.values() for t in f.tables for ref in t.cells
}
HEX = re.compile(r"[0-9a-f]{64}")
A1 = re.compile(r"[A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?")


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from _strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from _strings(v)


def _cells(f: Finding) -> set[str]:
    """The A1 references of the cells a finding names: what a unit is shown of its file."""
    places = [f.cell or "", *(s.cell or "" for s in [f.suggestion, *f.also] if s)]
    places += list(_strings(f.params))
    return {m for p in places for m in A1.findall(p.rsplit("!", 1)[-1])}


def _trouble(text: str, f: Finding) -> list[str]:
    """What a unit must not read: a code, a rule id, a formula, a hash, an option."""
    for cell in sorted(_cells(f), key=len, reverse=True):
        text = text.replace(cell, "")
    found = [r for r in RULE_IDS if r in text]
    found += [c for c in CODES if re.search(rf"(?<![\w\[]){re.escape(c)}(?![\w\]])", text)]
    found += [x for x in ("=", "+", "<", ">", "--") if x in text]
    return found + HEX.findall(text)


def _returns(tmp: Path) -> list[Finding]:
    """Findings of the bundled examples and of small crafted returns: every kind a return has."""
    lib = Library([])
    paths = sorted(EXAMPLES.glob("*.xlsx")) + sorted((EXAMPLES / "own-layouts").iterdir())
    out = [f for p in paths for f in validate.validate_file(p, lib, validate.Options()).findings]
    crafted = [
        {**BIG, "swn:06C": D("-18.40")},  # a sign slip, fixed on its range finding
        {**FUNDS, "swn:05D": None},  # an empty term, filled
        {**FUNDS, "swn:05A": D("99.99")},  # tied cells
        {**FUNDS, "swn:05B": D("77.77")},  # located
        {**FUNDS, "swn:05B": D("13.41"), "swn:05C": D("90.00")},  # two fixes
        {"swn:01A": 12.5},
        {"swn:01A": "12户"},
        {"swn:01A": "—"},
        {"swn:10A": D("88.125")},
        {"swn:10A": "1" + "0" * 26},
        {**BIG, "swn:06C": D("95.00")},  # a bound
    ]
    for i, changes in enumerate(crafted):
        out += check(write(tmp, PDS, changes, name=f"c{i}.xlsx")).findings
    head = {"unit": "叶县总工会", "person": None, "phone": "12ab", "date": "某日"}
    out += check(write(tmp, "ezhou-2022", header=head, name="h.xlsx")).findings
    out += check(write(tmp, "ezhou-2022", name="late.xlsx"), received=date(2027, 1, 4)).findings
    v = samples.consistent(ALL["jiaozuo-2019"])
    out += check(write(tmp, "jiaozuo-2019", {"bfzx:08C[人次]": v["bfzx:08C[人次]"] + 37})).findings
    out += _merged(write(tmp, "jiaozuo-2019", name="merged.xlsx"))
    (tmp / "bad.xlsx").write_bytes(b"not a workbook")
    out += validate.validate_file(tmp / "bad.xlsx", lib, validate.Options()).findings
    return out


def _merged(path: Path) -> list[Finding]:
    """E and E1 (equal) typed once in one cell merged over both: E1 is `f_merged`."""
    import openpyxl

    places = check(path).places
    (sheet, top), (_, below) = (places[k].rsplit("!", 1) for k in ("swn:E", "swn:E1"))
    wb = openpyxl.load_workbook(path)
    wb[sheet.strip("'")].merge_cells(f"{top}:{below}")
    wb.save(path)
    found = check(path).findings
    assert [(f.what, f.cell) for f in found] == [("f_merged", places["swn:E1"])]
    return found


def _batch(places: dict[str, str], n: int, changes: dict[int, dict]) -> list:
    """Checked returns of `n` units, each value at the cell a template return holds it in."""
    form = ALL[PDS]
    out = []
    for i in range(n):
        values = {**samples.consistent(form, seed=i), **changes.get(i, {})}
        ret = Return(Path(f"r{i}.xlsx"), form.id)
        ret.header = {k: Entry(v, "s", "A1") for k, v in HEADER.items()}
        for key, value in values.items():
            table, ref = key.split(":", 1)
            sheet, cell = places[key].rsplit("!", 1)
            ret.tables.setdefault(table, {})[ref] = Entry(float(value), sheet, cell)
        report = validate.validate(form, ret, validate.Options())
        report.unit = f"单位{i}"
        out.append(report)
    return out


def _screened(tmp: Path) -> list[Finding]:
    places = check(write(tmp, PDS, name="template.xlsx")).places
    v = samples.consistent(ALL[PDS], seed=3)
    reports = _batch(places, 16, {3: {FAR: v[FAR] * 10000}})
    screen.screen(reports, ALL)
    v = samples.consistent(ALL[PDS], seed=1)
    now = _batch(places, 2, {1: {"swn:07A": v["swn:07A"] * 10}})
    screen.screen(now, ALL, _batch(places, 2, {}))
    shown, _ = _formatted(tmp, {"swn:05A": (34300, "0!.0000"), "swn:01A": (9320000, "0!.0000")})
    return reports[3].findings + now[1].findings + check(shown).findings


def _lists(tmp: Path) -> list[Finding]:
    tmp.mkdir()
    paths = batch_of_50(tmp)
    row = [1, "张三", "11010119900307123X", "全国劳模", "一千", "6222021234", "某日"]
    odd = save(tmp / "odd.xlsx", "某区总工会", [row, [2, "李四", "410102193001011234", "", 500]])
    reports = paylists.check_lists([*paths, odd], ZZ, ZZ.lists[0], b"salt")
    return [f for r in reports for f in r.findings]


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> list[Finding]:
    tmp = tmp_path_factory.mktemp("words")
    return _returns(tmp) + _screened(tmp) + _lists(tmp / "lists")


def test_every_kind_is_found(findings):
    kinds = {f.kind for f in findings}
    assert {"identity", "inequality", "rule", "missing", "type", "range", "header"} <= kinds
    assert {"deadline", "format", "outlier", "unreadable", "id_number", "duplicate"} <= kinds
    advice = {f.params.get("advice", {}).get("how") for f in findings}
    assert {"fix", "located", "ties"} <= advice
    assert any("fix" in f.params for f in findings)  # a sign, an empty term, an outlier


def test_every_finding_is_said_to_every_audience_in_both_languages(findings):
    for f in findings:
        assert f.what in CATALOGUE or f.what.startswith("f_"), f.what
        for audience in AUDIENCES:
            for lang in ("zh", "en"):
                text = say(f, audience, lang)
                assert text and "{" not in text, (f.what, audience, lang, text)


def test_a_unit_reads_no_code_rule_formula_or_hash(findings):
    for f in findings:
        for lang in ("zh", "en"):
            text = say(f, "unit", lang)
            assert _trouble(text, f) == [], (f.what, lang, text)


def test_a_clerk_reads_the_same_sentence_then_the_codes(findings):
    for f in (f for f in findings if f.kind == "identity"):
        unit, clerk = say(f, "unit"), say(f, "clerk")
        first = unit.split("。")[0]
        assert clerk.startswith(first + "（" + f.params["expr"]), clerk


def test_json_keeps_its_keys_and_adds_what_and_params(findings):
    for f in findings:
        data = f.to_json()
        assert {"severity", "kind", "items", "cell", "table", "rule", "message"} <= data.keys()
        assert {"suggestion", "suggestions", "suspects", "what", "params"} <= data.keys()
        assert data["message"] == say(f, "clerk") == say(f, "json")
        assert Finding.from_json(data).to_json() == data


def test_a_finding_kept_before_findings_were_data_keeps_its_words():
    old = {"severity": "error", "kind": "missing", "message": "旧的话", "items": []}
    old |= {"cell": None, "table": None, "rule": None}
    assert say(Finding.from_json(old), "unit") == "旧的话"


PINGDINGSHAN_UNIT = (
    "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和 84.55 万元，"
    "相差 0.45 万元。最可能是贵单位报表第 20 行“政府拨款”（E20）填错：38.05 疑为 38.50"
    "（两位数字颠倒）。只改“工会拨款”、“社会募集”或“筹集慰问款物总额”也同样能使各项相符；“政府拨款”像是笔误，可能性较大。"
)


@pytest.mark.parametrize(
    "name, audience, lang, expected",
    [
        ("pingdingshan-2010_identity.xlsx", "unit", "zh", PINGDINGSHAN_UNIT),
        (
            "pingdingshan-2010_identity.xlsx",
            "clerk",
            "zh",
            "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和 84.55 万元，"
            "相差 0.45 万元（05A = 05B + 05C + 05D；规则 swn-05）。最可能是政府拨款（05B，E20）"
            "填错：38.05 疑为 38.50（两位数字颠倒）。只改工会拨款（05C）、社会募集（05D）或筹集慰问款物总额（05A）也同样能使各项相符；政府拨款（05B）像是笔误，可能性较大。"
            "依据：“（注：05A=05B+05C+05D）”。",
        ),
        (
            "pingdingshan-2010_identity.xlsx",
            "unit",
            "en",
            "筹集慰问款物总额 (85.00 万元) is not equal to the sum of 政府拨款, 工会拨款 and 社会募集"
            " (84.55 万元): 0.45 万元 apart. Most likely “政府拨款” in row 20 of your return (E20) is"
            " wrong: 38.05 may be 38.50 (two digits swapped). Changing “工会拨款”, “社会募集” or"
            " “筹集慰问款物总额” instead would be as small a change; “政府拨款” looks like a slip,"
            " so it is likelier.",
        ),
        (
            "own-layouts/鲁山_自制表_有错.xlsx",
            "unit",
            "zh",
            PINGDINGSHAN_UNIT.replace("第 20 行", "第 17 行").replace("（E20）", "（D17）"),
        ),
        (
            "zhengzhou-2021_identity.xlsx",
            "unit",
            "zh",
            "走访慰问建档困难职工家庭 210 户，不等于当地建档的困难职工家庭 201 户，相差 9 户。"
            "依据：“对当地建档的困难职工实行走访慰问全覆盖并发放适当慰问品”。",
        ),
        (
            "zhengzhou-2021_identity.xlsx",
            "clerk",
            "zh",
            "走访慰问建档困难职工家庭 210 户，不等于当地建档的困难职工家庭 201 户，相差 9 户"
            "（C1 = C；规则 jwj-full-coverage）。"
            "依据：“对当地建档的困难职工实行走访慰问全覆盖并发放适当慰问品”。",
        ),
        (
            "jiaozuo-2019_missing.xlsx",
            "unit",
            "zh",
            "贵单位报表第 26 行“生活救助”（E26）未填写；按表中其他各项，应为 540。",
        ),
    ],
)
def test_golden_words(name, audience, lang, expected):
    (f,) = validate.validate_file(EXAMPLES / name, Library([]), validate.Options()).findings
    assert say(f, audience, lang) == expected


def _rule_finding(**advice) -> Finding:
    """A failing 05A = 05B + 05C + 05D with the advice given (as localization would give it)."""
    term = [
        {"ref": r, "item": r, "label": label, "unit": "万元", "cell": f"表!E{row}", "value": "1"}
        for r, label, row in [("05A", "总额", 19), ("05B", "政府拨款", 20), ("05C", "工会", 21)]
    ]
    params = {"kind": "identity", "rule": "r", "expr": "05A = 05B + 05C", "basis": "注"}
    params |= {"op": "=", "left": "3", "right": "2", "diff": "1", "terms": term, "advice": advice}
    return Finding("error", "identity", what="f_identity", params=params)


def _cell(item, row, label):
    return {"item": item, "label": label, "unit": "万元", "cell": f"表!E{row}"}


def test_unique_is_said_only_when_proved():
    located = [_cell("05B", 20, "政府拨款")]
    assert "唯一" not in say(_rule_finding(how="located", located=located, unique=False), "unit")
    said = say(_rule_finding(how="located", located=located, unique=True), "unit")
    assert "最可能是贵单位报表第 20 行“政府拨款”（E20）填错（只改这里是唯一的最小改法）" in said
    fix = {**located[0], "old": "1.41", "new": "1.14", "why": "transposition", "unique": True}
    said = say(_rule_finding(how="fix", fixes=[fix], unique=True), "unit")
    assert "1.41 疑为 1.14（两位数字颠倒）。只改这一处，是唯一能使各项相符的改法。依据" in said


def test_every_tied_set_is_named():
    ties = [[_cell(f"0{i}X", 10 + i, f"项目{i}")] for i in range(9)]
    said = say(_rule_finding(how="ties", ties=ties), "unit")
    assert said.count("；或") == 8 and "有 9 种同样小的改法" in said
    assert all(f"“项目{i}”（E{10 + i}）" in said for i in range(9))


def test_a_deduced_value_is_said_as_the_value_the_rules_pin():
    fix = {**_cell("05B", 20, "政府拨款"), "old": "3", "new": "1", "why": "deduced"}
    said = say(_rule_finding(how="fix", fixes=[fix]), "unit")
    assert "贵单位报表第 20 行“政府拨款”（E20）填的是 3，按表中各项的关系应为 1。" in said


def test_a_figure_is_echoed_as_typed():
    assert validate.typed_as(932000.0) == "932000" and validate.typed_as(12.5) == "12.5"
    assert words("f_yuan", {**_cell("G", 18, "资金"), "raw": "932000", "value": "93.20"}, "unit")


def test_a_side_in_other_units_is_a_rate(tmp_path):
    f = _rule_finding(how="none")
    f.params["expr"] = "05A <= 0.5 * 05B"
    f.params["terms"][1]["unit"] = "人"
    assert say(f, "unit").startswith("总额 3 万元，不应大于按政府拨款每人 0.5 万元计 2 万元。")


def test_the_notice_is_addressed_by_the_returns_name_and_points_at_the_cell_to_change():
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from wenuan.checking import status
    from wenuan.outputs.notices import notice_docx
    from wenuan.words.notices import notice_text

    form = ALL[PDS]
    path = EXAMPLES / "own-layouts" / "鲁山_自制表_有错.xlsx"
    report = validate.validate_file(path, Library([]), validate.Options())
    st = status.status([report], form, date(2010, 1, 30))
    line = next(u for u in st.units if u.unit == "鲁山")
    text = notice_text(st, line)
    assert text.splitlines()[:3] == ["更正通知", "", "鲁山县总工会："]
    assert "    1. 筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和" in text
    assert (
        "最可能是贵单位报表第 17 行“政府拨款”（D17）填错：38.05 疑为 38.50（两位数字颠倒）。"
        in text
    )
    assert "请核对更正后于2010年2月1日前重新报市总保障部" in text
    assert text.endswith("平顶山市总工会\n2010年1月30日\n")
    assert _trouble(text.replace("xlsx", ""), report.findings[0]) == []
    missing = next(u for u in st.units if u.unit == "宝丰")
    assert notice_text(st, missing).splitlines()[2] == "宝丰县总工会："  # the roster's full name
    doc = notice_docx(st, line)
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert (paragraphs[0].text, paragraphs[0].alignment) == ("更正通知", WD_ALIGN_PARAGRAPH.CENTER)
    assert paragraphs[1].text == "鲁山县总工会："
    assert paragraphs[3].text.startswith("1. 筹集慰问款物总额")
    assert [(p.text, p.alignment) for p in paragraphs[-2:]] == [
        ("平顶山市总工会", WD_ALIGN_PARAGRAPH.RIGHT),
        ("2010年1月30日", WD_ALIGN_PARAGRAPH.RIGHT),
    ]
    assert round(doc.sections[0].page_width.mm) == 210 and not doc.tables
