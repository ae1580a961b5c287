"""No output shows an ID or card number whole, however it was typed and in whichever column; no
output prints a control or bidi character a file or a name put in it (`safetext.printable`)."""

import html
import json
import logging
import re
import unicodedata
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient
from test_paylists import card as _card
from test_paylists import person as _id
from typer.testing import CliRunner

from wenuan.cli import app
from wenuan.lists.idnumbers import mask_numbers
from wenuan.web.app import create_app
from wenuan.web.campaign import Campaign, shown_name
from wenuan.words.safetext import json_text, printable

runner = CliRunner()
LOCAL = "http://127.0.0.1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


ID18 = _id("410105", date(1948, 8, 4), 131)
IDX = next(n for s in range(1, 99) if (n := _id("410102", date(1950, 3, 7), s))[-1] == "X")
ID15 = "410105480804131"  # the old kind, before 1999
CARD19 = _card("622202100000000002")
CARD16 = _card("622848000000004")
CARD13 = "4123456789012"
NUMBERS = [ID18, IDX, ID15, CARD19, CARD16, CARD13]
WIDE = str.maketrans("0123456789Xx", "０１２３４５６７８９ＸＸ")


def _groups(n: str, sizes=(4,)) -> list[str]:
    out, at, i = [], 0, 0
    while at < len(n):
        size = sizes[min(i, len(sizes) - 1)]
        out.append(n[at : at + size])
        at, i = at + size, i + 1
    return out


SHAPES = {  # each a way a clerk may have typed number n in a cell
    "plain": lambda n: n,
    "spaced": lambda n: " ".join(_groups(n)),
    "6-8-4": lambda n: " ".join(_groups(n, (6, 8, 4))),
    "dashes": lambda n: "-".join(_groups(n)),
    "dots": lambda n: ".".join(_groups(n)),
    "full-width": lambda n: n.translate(WIDE),
    "inside-text": lambda n: f"张三（{n}）号",
    "lower-x": lambda n: n.lower(),
    "zero-width": lambda n: "\u200b".join(_groups(n)),
    "line-break": lambda n: "\n".join(_groups(n, (6, 8, 4))),
}
COLUMNS = ["序号", "姓名", "公民身份号码", "类别", "金额（元）", "银行卡号", "发放方式", "发放日期"]
COLUMNS += ["所在单位"]
BASE = [1, "王五", _id("410103", date(1945, 6, 1), 21), "全国劳模", 800]
BASE += [_card("622202100000000001"), "银行卡", "2021-05-20", "郑州煤矿"]
SHEET = f"明细{ID15}"  # a sheet's name holds one too, and it is part of every cell named


def hostile_list(path: Path) -> Path:
    """Every column of Zhengzhou's list given every number in every shape, a row each, and the
    numbers as number cells; each row has a finding (800 元 for 1000) that quotes its name."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["填报单位：金水区总工会"])
    ws.append(COLUMNS)
    for column in range(1, len(COLUMNS)):
        for shape in SHAPES.values():
            for n in NUMBERS:
                row = list(BASE)
                text = shape(n)
                row[column] = f"现金（原卡{text}）" if COLUMNS[column] == "发放方式" else text
                ws.append(row)
        for n in NUMBERS:  # a number cell: 13 to 15 digits exact, 18 rounded by Excel
            row = list(BASE)
            row[column] = int(n.rstrip("X")) if n[-1] != "X" else n
            ws.append(row)
    wb.save(path)
    return path


_GAPS = re.compile(r"\\u[0-9a-f]{4}|\\x[0-9a-f]{2}|\\[ntr]|[\s\-_.\u00ad\u00b7\u2010-\u2015\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2212\u30fb\ufeff]")  # fmt: skip
_HASHES = re.compile(r'"(?:id|card)_hash": "[0-9a-f]{16}"')


def leaks(text: str) -> list[str]:
    """The planted numbers found in `text` whole, or their first or last 11 characters, with
    every gap, escape and width folded away (what a masked number never shows)."""
    flat = _GAPS.sub("", unicodedata.normalize("NFKC", _HASHES.sub("", text))).upper()
    return [n for n in NUMBERS if any(part in flat for part in (n, n[:11], n[-11:]))]


def test_a_list_with_numbers_in_every_column_and_shape_shows_none_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("WENUAN_SALT", "s")
    path = hostile_list(tmp_path / f"明细{CARD13}.xlsx")
    assert leaks(path.name) == [CARD13]  # the scan finds what is there
    plain = tmp_path / "明细.xlsx"  # validate prints the paths it is given as they are
    plain.write_bytes(path.read_bytes())

    copy = tmp_path / "标注.xlsx"
    outputs = {}
    for fmt in ("text", "json"):
        result = cli("check-list", path, "--form", "zhengzhou-2021", "--format", fmt)
        assert result.exit_code == 1, result.stderr
        outputs[f"check-list {fmt}"] = result.stdout + result.stderr
        result = cli("validate", plain, "--form", "zhengzhou-2021", "--format", fmt)
        outputs[f"validate {fmt}"] = result.stdout + result.stderr
    result = cli("check-list", path, "--form", "zhengzhou-2021", "--annotate", copy)
    assert result.exit_code == 1
    wb, marked = openpyxl.load_workbook(path), openpyxl.load_workbook(copy)
    cells = [[c.value for c in row] for row in wb[SHEET].iter_rows()]
    assert [[c.value for c in row] for row in marked[SHEET].iter_rows()] == cells
    comments = [c.comment.text for row in marked[SHEET].iter_rows() for c in row if c.comment]
    assert len(comments) > 100
    outputs["comments"] = "\n".join(comments)

    campaign = Campaign(tmp_path / "campaign", "zhengzhou-2021")
    client = TestClient(create_app(campaign), base_url=LOCAL, headers={"Origin": LOCAL})
    sent = [("files", (path.name, path.read_bytes(), XLSX))]
    r = client.post("/upload", files=sent, headers={"Accept": "application/json"})
    outputs["upload"] = r.text
    page = client.get(f"/unit/{r.json()['received'][0]['unit_key']}")
    assert page.status_code == 200 and 'class="sheet"' in page.text
    outputs["unit page"] = html.unescape(page.text)
    outputs["status"] = client.get("/api/status").text

    assert {name: leaks(text) for name, text in outputs.items()} == dict.fromkeys(outputs, [])
    text = outputs["check-list text"]
    assert f"✗ {tmp_path}/明细4123 **** **** 9012.xlsx  528 人  " in text
    for column, shape, n, cell, said in QUOTED:
        where = f"明细410105*****4131!{cell}{_row(column, shape, n)}"
        assert f"\n    ✗ 错误 {where}  {said}" in text


def _row(column: str, shape: str, n: str) -> int:
    """The row of the list where `column` holds `n` typed as `shape`."""
    block = 3 + (COLUMNS.index(column) - 1) * (len(SHAPES) + 1) * len(NUMBERS)
    return block + list(SHAPES).index(shape) * len(NUMBERS) + NUMBERS.index(n)


QUOTED = [  # where a finding quotes a column, and what it says
    ("姓名", "plain", ID18, "E", "410105********1318：发放 800 元，"),
    ("姓名", "6-8-4", IDX, "E", "410102********007X：发放 800 元，"),
    ("金额（元）", "plain", ID18, "E", "王五：发放 410105********1318 元，"),
    ("金额（元）", "spaced", ID18, "E", "王五：发放 410105********1318 元，"),
    ("金额（元）", "full-width", CARD19, "E", "王五：发放 6222 **** **** 0025 元，"),
    ("金额（元）", "full-width", IDX, "E", "王五：金额“410102********007X”不是数字"),
    ("金额（元）", "inside-text", ID18, "E", "王五：金额“张三（410105********131…”不是数字"),
    ("发放方式", "spaced", ID18, "G", "王五：未发到银行卡（现金（原卡410105********1318））"),
    ("发放方式", "dashes", CARD16, "G", "王五：未发到银行卡（现金（原卡6228 **** **** 0049））"),
    ("发放方式", "dots", ID15, "G", "王五：未发到银行卡（现金（原卡410105*****4131））"),
    (
        "发放方式",
        "inside-text",
        IDX,
        "G",
        "王五：未发到银行卡（现金（原卡张三（410102********007X）号））",
    ),
    ("发放日期", "spaced", ID18, "H", "王五：发放日期“410105********1318”不是日期"),
    ("发放日期", "line-break", CARD13, "H", "王五：发放日期“4123 **** **** 9012”不是日期"),
]


def test_exact_messages_for_numbers_typed_in_other_columns(tmp_path):
    rows = [
        ["姓名", "公民身份号码", "金额（元）", "银行卡号", "发放方式", "发放日期"],
        [f"张三{ID18}", BASE[2], "4101 0519 4808 0804 13", BASE[5], "银行卡", "2021-05-20"],
        ["李四", BASE[2].replace("2", "3"), 1000, None, f"现金（原卡{CARD19}）", "2021-05-20"],
        ["赵六", BASE[2], 1000, BASE[5], "银行卡", f"2021-5-20 {'-'.join(_groups(ID18))}"],
    ]
    wb = openpyxl.Workbook()
    wb.active.title = "明细"
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "l.xlsx")
    result = cli("check-list", tmp_path / "l.xlsx", "--form", "zhengzhou-2021")
    rule = "（对 70 周岁及以上（截至 2021 年 7 月 1 日）的全国劳模……每人发放 1000 元慰问金）"
    assert result.stdout.splitlines()[1:-1] == [
        f"    ✗ 错误 明细!C2  张三410105********1318：发放 410105********0413 元，通知规定每人 1000 元{rule}",
        "    ✗ 错误 明细!D3  李四：缺少银行卡号",
        "    ✗ 错误 明细!B3  李四：公民身份号码 410103********0314 校验码不对（末位与前 17 位不符，可能录错了一位）",
        "    ✗ 错误 明细!E3  李四：未发到银行卡（现金（原卡6222 **** **** 0025））（每人发放 1000 元慰问金（发银行卡））",
        "    ✗ 错误 明细!B4  赵六：公民身份号码 410103********0214 与 明细!B2（张三410105********1318）重复：同一人发放了两次",
        "    ✗ 错误 明细!F4  赵六：发放日期“2021-5-20 410105****…”不是日期",
    ]  # fmt: skip


# ---- the masking function ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, masked",
    [
        ("4101 0519 4808 0804 13", "410105********0413"),
        ("张三410105194808041312", "张三410105********1312"),
        ("现金（原卡6222021000000000025）", "现金（原卡6222 **** **** 0025）"),
        ("郑州-4101-0519-4808-0804-13", "郑州-410105********0413"),
        ("4101.0519.4808.0804.13", "410105********0413"),
        ("41010519480804131x号", "410105********131X号"),
        ("４１０１０５１９４８０８０４１３１２", "410105********1312"),
        ("410105480804131", "410105*****4131"),
        ("6222\u200b0212\u202e3456 7890", "6222 **** **** 7890"),
        ("4101 0519\n4808 0804 13", "410105********0413"),
        ("4.10105194808041E+17", "410105************"),
        ("410105194808041312.00", "410105********1312.00"),
        ("1234567890123", "1234 **** **** 0123"),
        ("410105194808041312 13800138000", "410105********1312 13800138000"),
        ("2021-05-01 6222021000000000025", "2021-05-01 6222 **** **** 0025"),
        ("41010519480804131213800138000", "4101 **** **** 8000"),  # glued: all of it
    ],
)
def test_numbers_are_masked_however_typed(text, masked):
    assert mask_numbers(text) == masked
    assert mask_numbers(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "1234567.89",
        "0375-2916465",
        "0375-2916465-801",
        "+86 138 0013 8000",
        "13800138000 13900139000",
        "2021-05-20",
        "2021.05.01-2021.05.31",
        "2025-01-01 12:00:00",
        "500.00 300.00 200.00",
        "0.30000000000000004",
        "100000000000000000000000000",
        "合计 123456789012 元",
        "410102********0115",
        "6222 **** **** 0017",
    ],
)
def test_figures_phones_dates_and_masked_numbers_stay(text):
    assert mask_numbers(text) == text


# ---- text to terminals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, shown",
    [
        ("叶县\x1b[2J", "叶县\\x1b[2J"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("叶县\u202etxt.exe", "叶县\\u202etxt.exe"),
        (
            "\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
            "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c",
        ),
        ("\x7f\x85\x9b", "\\x7f\\x85\\x9b"),
        ("a\u2028b\u2029", "a\\u2028b\\u2029"),
        ("C:\\叶县　总工会 ✓", "C:\\叶县　总工会 ✓"),
    ],
)
def test_printable_writes_controls_and_bidi_as_visible_escapes(text, shown):
    assert printable(text) == shown
    assert printable(shown) == shown


def test_json_keeps_the_text_and_escapes_what_a_terminal_would_obey():
    data = {"unit": "叶县\u202e\x1b\x9b总工会"}
    text = json_text(data)
    assert text == '{\n  "unit": "叶县\\u202e\\u001b\\u009b总工会"\n}'
    assert json.loads(text) == data


def test_the_web_shows_a_file_name_sent_with_controls_visibly():
    assert shown_name("C:\\fakepath\\叶县\u202exslx.exe\n✓ 通过.xlsx") == (
        "叶县\\u202exslx.exe\\n✓ 通过.xlsx"
    )
    assert shown_name("") == "未命名"


# ---- what a file or a name may try on a terminal ----------------------------------------------

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _return(folder: Path, name: str, unit: str, person: str = "") -> Path:
    """A pingdingshan-2010 return (without 填报人 by default: one error)."""
    from test_adversarial import ret

    return ret(folder, name, unit, person=person)


def test_a_file_name_cannot_print_a_line_of_its_own(tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    _return(folder, "假\n✓ 叶县.xlsx", "叶县")
    _return(folder, "鲁山\u202exslx.xlsx", "鲁山", person="王芳")
    result = cli("validate", folder, "--form", "pingdingshan-2010")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"✗ {folder}/假\\n✓ 叶县.xlsx  pingdingshan-2010  叶县  1 个错误，0 个警告",
        "  【表头与文件】",
        "    ✗ 错误  未填写填报人",
        f"✓ {folder}/鲁山\\u202exslx.xlsx  pingdingshan-2010  鲁山  通过",
        "共 2 个文件：1 个通过，1 个有错误",
    ]


def test_escapes_typed_in_cells_reach_no_terminal(tmp_path):
    """Excel's `_x001B_` escapes become real controls when read: shown as `\\x1b`, in text and
    in JSON (which a reader decodes back to the cell's text)."""
    folder = tmp_path / "returns"
    folder.mkdir()
    path = _return(folder, "r.xlsx", "叶县_x001B_[2J_x001B_]0;title_x0007_\u202e", "王芳")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows(min_row=6) for c in row if type(c.value) is int)
    cell.value = "12_x001B_[31m"
    wb.save(path)
    unit = "叶县\\x1b[2J\\x1b]0;title\\x07\\u202e"
    result = cli("validate", path, "--form", "pingdingshan-2010")
    lines = result.stdout.splitlines()
    assert lines[0] == f"✗ {path}  pingdingshan-2010  {unit}  1 个错误，0 个警告"
    assert (
        lines[2]
        == "    ✗ 错误 送温暖工程统计表!E6  当地职工总数（01A）填的是“12\\x1b[31m”，不是数字"
    )
    assert not UNSAFE.search(result.stdout)
    result = cli("validate", path, "--form", "pingdingshan-2010", "--format", "json")
    assert not UNSAFE.search(result.stdout)
    (report,) = json.loads(result.stdout)["files"]
    assert report["unit"] == "叶县\x1b[2J\x1b]0;title\x07\u202e"
    result = cli("status", folder, "--form", "pingdingshan-2010", "--as-of", "2010-01-30")
    assert f"  {unit}（不在名单中）  有错误  收到 2010-01-28  1 个错误，0 个警告" in result.stdout
    assert not UNSAFE.search(result.stdout)


def test_notices_and_the_web_page_show_names_the_same_way(tmp_path):
    import docx

    folder = tmp_path / "returns"
    folder.mkdir()
    _return(folder, "r.xlsx", "叶县\u202e总工会")
    notices = tmp_path / "notices"
    cli("status", folder, "--form", "pingdingshan-2010", "--as-of", "2010-01-30",
        "--notices", notices)  # fmt: skip
    words = "\n".join(
        p.text for p in docx.Document(notices / "叶县_总工会_更正通知.docx").paragraphs
    )
    assert "叶县\\u202e总工会：" in words and not UNSAFE.search(words)

    client = TestClient(
        create_app(Campaign(tmp_path / "c", "pingdingshan-2010")),
        base_url=LOCAL,
        headers={"Origin": LOCAL},
    )
    sent = [("files", ("C:\\x\\叶县\u202exslx.xlsx", (folder / "r.xlsx").read_bytes(), XLSX))]
    (got,) = client.post("/upload", files=sent, headers={"Accept": "application/json"}).json()[
        "received"
    ]
    assert (got["name"], got["unit"]) == ("叶县\\u202exslx.xlsx", "叶县\u202e总工会")
    for page in (client.get("/"), client.get(f"/unit/{got['unit_key']}")):
        assert "叶县\\u202e总工会" in page.text and not UNSAFE.search(page.text.replace("\n", ""))


def test_the_servers_log_masks_numbers_and_shows_controls(tmp_path, monkeypatch, caplog):
    campaign = Campaign(tmp_path, "pingdingshan-2010")

    def broken(*a, **k):
        raise RuntimeError(f"cell {ID18} \x1b[2J")

    monkeypatch.setattr(campaign, "status", broken)
    client = TestClient(
        create_app(campaign),
        base_url=LOCAL,
        headers={"Origin": LOCAL},
        raise_server_exceptions=False,
    )
    with caplog.at_level(logging.ERROR, "wenuan.serve"):
        assert client.get(f"/?{ID18}").status_code == 500
    assert "RuntimeError: cell 410105********1318 \\x1b[2J" in caplog.text
    assert leaks(caplog.text) == [] and "\x1b" not in caplog.text


def test_an_internal_error_quotes_no_number_and_no_control(monkeypatch, capsys):
    import wenuan.cli

    def broken():
        raise ValueError(f"cell {ID18} \x1b[2J")

    monkeypatch.setattr(wenuan.cli, "app", broken)
    with pytest.raises(SystemExit) as exit:
        wenuan.cli.main()
    assert exit.value.code == 3
    said = "内部错误（请把这条消息报告给维护者）：ValueError: cell 410105********1318 \\x1b[2J"
    assert capsys.readouterr().err.splitlines()[0] == said
