"""wenuan serve over HTTP (Starlette's test client): every route, the same findings and totals
as the CLI, resubmissions kept in SQLite across a restart, bad uploads, limits and the token."""

import io
import json
import re
import shutil
import sqlite3
import threading
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from wenuan.checking import status, validate
from wenuan.cli import app as cli_app
from wenuan.forms.model import Library
from wenuan.web import app as web_app
from wenuan.web import campaign as campaign_mod
from wenuan.web.app import Hosts, create_app
from wenuan.web.campaign import Campaign
from wenuan.words.notices import notice_text

EXAMPLES = Path(__file__).parents[1] / "examples"
IDENTITY = EXAMPLES / "pingdingshan-2010_identity.xlsx"
VALID = EXAMPLES / "pingdingshan-2010_valid.xlsx"
OWN = EXAMPLES / "own-layouts"
LUSHAN = OWN / "鲁山_自制表_有错.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOCAL = "http://127.0.0.1"
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none';"
    " object-src 'none'; base-uri 'none'; form-action 'self'"
)


def corrected_lushan(folder: Path) -> Path:
    """鲁山's return with the fix the finding suggests typed in: 05B (D17) 38.05 → 38.50."""
    wb = openpyxl.load_workbook(LUSHAN)
    assert wb["报表"]["D17"].value == 38.05
    wb["报表"]["D17"] = 38.5
    path = folder / "鲁山_改正.xlsx"
    wb.save(path)
    return path


def local(app, **options) -> TestClient:
    """A client at the page's own address whose posts say they come from it, as a browser's do."""
    return TestClient(app, base_url=LOCAL, headers={"Origin": LOCAL}, **options)


@pytest.fixture
def client(tmp_path):
    return local(create_app(Campaign(tmp_path, "pingdingshan-2010")))


def upload(client, *paths, names=None):
    files = [
        ("files", ((names or {}).get(p, p.name), p.read_bytes(), XLSX)) for p in map(Path, paths)
    ]
    r = client.post("/upload", files=files, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    return r.json()["received"]


def states(client) -> dict[str, tuple]:
    units = client.get("/api/status").json()["units"]
    return {u["unit"]: (u["state"], u["errors"], u["warnings"]) for u in units}


def test_home_without_a_form_offers_the_forms_and_choosing_one_lists_the_roster(tmp_path):
    client = local(create_app(Campaign(tmp_path)))
    page = client.get("/").text
    assert '<option value="平顶山市 2010年 送温暖工程统计表" >' in page
    assert 'id="roster"' not in page
    assert client.get("/api/status").json() == {"form": None, "units": []}
    r = client.post("/form", data={"form": "平顶山 2010"}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    page = client.get("/").text
    assert page.count('data-state="missing"') == 23  # 16 + the 7 直属企业 (issue 21)
    assert '<p id="status-head">平顶山市 2010年 送温暖工程统计表 报送情况（截至' in page
    assert "<title>报送情况 · 平顶山市 2010年 送温暖工程统计表 · wenuan</title>" in page
    client.post("/form", data={"form": "鄂州市 2022年 送温暖统计表"})  # as the select sends it
    assert client.get("/api/status").json()["form"] == "ezhou-2022"
    r = client.post("/form", data={"form": "nowhere-1999"})
    assert r.status_code == 400 and "没有名为 nowhere-1999 的表式" in r.text


def test_the_first_return_names_the_form_when_none_was_chosen(tmp_path):
    client = local(create_app(Campaign(tmp_path)))
    (got,) = upload(client, LUSHAN)
    assert (got["form"], got["unit"], got["errors"]) == ("pingdingshan-2010", "鲁山", 1)
    assert client.get("/api/status").json()["form"] == "pingdingshan-2010"


def test_a_roster_of_its_own_replaces_the_forms_units(tmp_path):
    from wenuan.forms.roster import read_roster

    (tmp_path / "名单.txt").write_text("叶县总工会\n湛河区\n", encoding="utf-8")
    campaign = Campaign(tmp_path, "pingdingshan-2010", roster=read_roster(tmp_path / "名单.txt"))
    client = local(create_app(campaign))
    upload(client, VALID)
    assert states(client) == {"叶县总工会": ("ok", 0, 0), "湛河区": ("missing", 0, 0)}
    r = client.get("/total.xlsx")
    assert r.status_code == 200
    sources = [
        [c.value for c in row]
        for row in openpyxl.load_workbook(io.BytesIO(r.content))["来源"].iter_rows()
    ]
    assert sources[-1][1:3] == ["湛河区", None] and sources[-1][5] == "未报送"


def test_roster_is_wenuan_status_over_the_same_files(client, tmp_path):
    got = upload(client, IDENTITY, LUSHAN, EXAMPLES / "ezhou-2022_valid.xlsx")
    assert [(g["unit"], g["form"], g["errors"], g["warnings"]) for g in got] == [
        ("叶县", "pingdingshan-2010", 1, 0),
        ("鲁山", "pingdingshan-2010", 1, 0),
        ("鄂城区总工会", "ezhou-2022", 0, 0),  # kept under its own form
    ]
    folder = tmp_path / "returns"
    folder.mkdir()
    for p in (IDENTITY, LUSHAN):
        shutil.copy(p, folder)
    result = CliRunner().invoke(
        cli_app, ["status", str(folder), "--form", "pingdingshan-2010", "--format", "json"]
    )
    cli_units = json.loads(result.output)["units"]
    web = client.get("/api/status").json()
    assert web["counts"] == {"ok": 0, "errors": 2, "late": 0, "late_errors": 0, "missing": 21}

    def comparable(units):  # the CLI names files by their path, the page by their name
        return sorted(
            (u["unit"], u["state"], u["received"], [f["message"] for f in u["findings"]])
            for u in units
        )

    assert comparable(web["units"]) == comparable(cli_units)
    page = client.get("/").text
    assert re.search(r'id="total-errors">2<', page) and re.search(r'id="total-warnings">0<', page)
    client.post("/form", data={"form": "ezhou-2022"})
    assert states(client)["鄂城区总工会"] == ("ok", 0, 0)


def test_a_file_of_no_form_is_read_as_the_pages_form_and_can_be_withdrawn(client):
    (got,) = upload(client, VALID, names={VALID: "叶县.xlsx"})
    assert got["unit"] == "叶县"
    r = client.post(
        "/upload",
        files=[("files", ("错的.xlsx", b"", XLSX))],
        headers={"Accept": "application/json"},
    )
    assert r.json()["received"][0]["unit"] == "错的"
    assert states(client)["错的"] == ("errors", 1, 0)
    assert client.get("/total.xlsx").status_code == 409  # 错的.xlsx cannot be read: refused
    assert 'action="/withdraw/%E9%94%99%E7%9A%84"' in client.get("/unit/错的").text
    r = client.post("/withdraw/错的", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/")
    assert "错的" not in states(client)
    assert client.get("/total.xlsx").status_code == 200
    client.post("/withdraw/叶县")
    assert states(client)["叶县"] == ("missing", 0, 0)
    page = client.get("/unit/叶县").text
    assert "已撤回" in page and 'id="withdraw"' not in page
    upload(client, VALID, names={VALID: "叶县.xlsx"})  # the same file again counts again
    assert states(client)["叶县"] == ("ok", 0, 0)
    assert client.post("/withdraw/nobody").status_code == 404


def test_unit_page_shows_findings_by_table_suggestion_preview_and_history(client):
    upload(client, LUSHAN)
    page = client.get("/unit/鲁山").text
    assert "【送温暖工程统计表】" in page
    assert '<td class="cell">报表 D16</td>' in page and "swn-05" not in page
    said = "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和 84.55 万元"
    assert said in page  # in the words the unit reads
    assert "最可能是贵单位报表第 17 行“政府拨款”（D17）填错：38.05 疑为 38.50" in page
    assert "<div>报表 D17 改为 <b>38.50</b></div>" in page
    marked = re.findall(r'class="marked" title="([^"]*)" data-place="([^"]+)"', page)
    assert [place for _, place in marked] == ["报表 D16", "报表 D17"]
    assert marked[0][0].startswith("报表 D16：" + said) and marked[1][0].startswith("报表 D17：")
    assert history(page) == [("鲁山_自制表_有错.xlsx", "1 个错误，0 个警告")]
    assert client.get("/unit/nobody").status_code == 404


def engineers_words(library: Library) -> re.Pattern:
    """What a clerk never reads on the page: a form's id, a rule's id, a SHA-256."""
    forms = [library[fid] for fid in library]
    rules = {r.id for f in forms for r in [*f.rules, *(r for tb in f.tables for r in tb.rules)]}
    rules |= {r.id for f in forms for pl in f.lists for r in pl.rules}
    words = "|".join(map(re.escape, sorted({*library, *rules}, key=len, reverse=True)))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])|[0-9a-f]{{64}}", re.A)


def test_no_page_names_a_form_id_a_rule_id_or_a_hash(client):
    """Every page of a campaign with the examples in, as a clerk would send them (the examples'
    own names hold the form id), another form's return among them."""
    sent = [*sorted(EXAMPLES.glob("pingdingshan-2010_*.xlsx")), LUSHAN, OWN / "叶县_自制表.xlsx"]
    names = {p: p.name.replace("pingdingshan-2010", "叶县") for p in sent}
    got = upload(client, *sent, names=names)
    assert [g["elsewhere"] for g in got] == [None] * len(sent)
    other = EXAMPLES / "ezhou-2022_identity.xlsx"
    (elsewhere,) = upload(client, other, names={other: "鄂城区.xlsx"})
    assert elsewhere["elsewhere"] == "鄂州市 2022年 送温暖统计表"  # the script says where it went
    plain = client.post("/upload", files=[("files", ("鄂城区.xlsx", other.read_bytes(), XLSX))])
    assert (
        "鄂城区.xlsx：鄂城区总工会，1 个错误，0 个警告（与上次报送的内容相同）（是 鄂州市 2022年"
        in plain.text
    )
    pages = {"plain upload": plain, "total": client.get("/total.xlsx"), "404": client.get("/x")}
    for label in ("鄂州市 2022年 送温暖统计表", "平顶山市 2010年 送温暖工程统计表"):
        client.post("/form", data={"form": label})
        pages[label] = client.get("/")
        for link in sorted(set(re.findall(r'href="(/unit/[^"]+)"', pages[label].text))):
            pages[link] = client.get(link)
            for sub in re.findall(r'href="(/unit/[^"?]+\?sub=\d+)"', pages[link].text):
                pages[sub] = client.get(sub)
    assert len(pages) == 3 + 2 + 5 + 23 + 6  # 鄂州's units, 平顶山's, 叶县's six earlier returns
    forbidden = engineers_words(Library())
    assert {url: forbidden.findall(r.text) for url, r in pages.items()} == dict.fromkeys(pages, [])
    assert (
        "不能汇总" in pages["total"].text
        and "鲁山_自制表_有错.xlsx 有 1 个错误" in pages["total"].text
    )
    yexian = pages["/unit/%E5%8F%B6%E5%8E%BF"].text
    assert "<title>叶县 · 平顶山市 2010年 送温暖工程统计表 · wenuan</title>" in yexian
    identity = [
        r.text for r in pages.values() if "<div>送温暖工程统计表 E20 改为 <b>38.50</b>" in r.text
    ]
    assert len(identity) == 3  # 叶县 missing, identity, 元 for 万元: the rule without its id
    said = "筹集慰问款物总额 85.00 万元，不等于政府拨款、工会拨款、社会募集三项之和"
    assert sum(said in text for text in identity) == 2


def sheet_previews(page: str) -> dict[str, tuple[list[str], list[tuple[str, list]]]]:
    """The unit page's sheet previews: each sheet's column letters, and its rows' numbers with
    their cells (place, text)."""
    out = {}
    for name, body in re.findall(
        r'<h3>([^<]+)</h3>\s*<div class="sheet-wrap">(.*?)</table>', page, re.S
    ):
        columns = re.findall(r'<th class="column">([A-Z]+)</th>', body)
        rows = [
            (number, re.findall(r'<td[^>]*data-place="([^"]+)">([^<]*)</td>', cells))
            for number, cells in re.findall(r'<tr><th class="row">(\d+)</th>(.*?)</tr>', body)
        ]
        out[name] = columns, rows
    return out


def test_the_preview_numbers_rows_and_letters_columns_as_excel_does(client):
    upload(client, LUSHAN)
    page = client.get("/unit/鲁山").text
    wb = openpyxl.load_workbook(LUSHAN)
    previews = sheet_previews(page)
    assert list(previews) == [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    columns, rows = previews["报表"]
    ws = wb["报表"]
    assert columns == [chr(65 + c) for c in range(ws.max_column)]
    assert [number for number, _ in rows] == [str(r) for r in range(1, ws.max_row + 1)]
    for number, cells in rows:  # each cell under its letter, beside its number
        assert [place for place, _ in cells] == [
            f"报表 {columns[i]}{number}" for i in range(len(cells))
        ]
    d17 = dict(rows[16][1])["报表 D17"]
    assert (d17, ws["D17"].value) == ("38.05", 38.05)
    assert re.search(
        r'<td class="marked" title="报表 D17：[^"]+" data-place="报表 D17">38.05</td>', page
    )
    assert re.findall(r'<tr><th class="row">17</th>(.*?)</tr>', page)[0].count("<td") == len(
        columns
    )


def test_every_download_is_named_in_chinese_with_an_ascii_fallback(client, tmp_path):
    upload(client, LUSHAN)
    upload(client, VALID, corrected_lushan(tmp_path))
    first = re.findall(r"/submission/(\d+)/original", client.get("/unit/鲁山").text)[-1]
    got = {
        url: client.get(url).headers["content-disposition"]
        for url in (
            "/total.xlsx",
            "/report.xlsx",
            "/report.docx",
            f"/submission/{first}/annotated",
            f"/submission/{first}/original",
            "/notice/卫东区",
            "/notice/卫东区?as=docx",
        )
    }

    def named(ascii_name: str, name: str) -> str:
        return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"

    assert got == {
        "/total.xlsx": named("wenuan_2010.xlsx", "平顶山2010送温暖汇总表.xlsx"),
        "/report.xlsx": named("wenuan_2010.xlsx", "平顶山2010送温暖工程统计表.xlsx"),
        "/report.docx": named("wenuan_2010.docx", "平顶山2010送温暖工作报告.docx"),
        f"/submission/{first}/annotated": named("wenuan.xlsx", "鲁山_标注.xlsx"),
        f"/submission/{first}/original": named("wenuan.xlsx", "鲁山_自制表_有错.xlsx"),
        "/notice/卫东区": named("wenuan.txt", "卫东区_更正通知.txt"),
        "/notice/卫东区?as=docx": named("wenuan.docx", "卫东区_更正通知.docx"),
    }
    (got,) = upload(client, VALID)  # a name in ASCII is its own fallback
    sub = re.findall(r"/submission/(\d+)/original", client.get("/unit/叶县").text)[0]
    assert client.get(f"/submission/{sub}/original").headers["content-disposition"] == named(
        "pingdingshan-2010_valid.xlsx", "pingdingshan-2010_valid.xlsx"
    )


def test_resubmission_replaces_keeps_history_and_survives_a_restart(tmp_path):
    client = local(create_app(Campaign(tmp_path, "pingdingshan-2010")))
    upload(client, LUSHAN)
    assert states(client)["鲁山"] == ("errors", 1, 0)
    (same,) = upload(client, LUSHAN)
    assert same["same"] is True  # the same bytes again: nothing new recorded
    fixed = corrected_lushan(tmp_path)
    upload(client, fixed)
    assert states(client)["鲁山"] == ("ok", 0, 0)
    # a restart: a new application over the same folder sees the same campaign
    again = local(create_app(Campaign(tmp_path)))
    assert states(again)["鲁山"] == ("ok", 0, 0)
    page = again.get("/unit/鲁山").text
    assert history(page) == [
        ("鲁山_改正.xlsx", "没有问题"),
        ("鲁山_自制表_有错.xlsx", "1 个错误，0 个警告"),
    ]
    assert "当前（计入汇总）" in page and "查看</a>" in page
    old = re.search(r'href="/unit/[^"?]+\?sub=(\d+)"', page).group(1)
    assert "这是较早的一次报送" in again.get(f"/unit/鲁山?sub={old}").text
    assert again.get("/unit/鲁山?sub=999").status_code == 404
    stored = sorted(p.name for p in (tmp_path / "wenuan-data" / "files").iterdir())
    assert stored == sorted([validate_sha(fixed), validate_sha(LUSHAN)])
    assert (tmp_path / "wenuan-data" / "files" / validate_sha(LUSHAN)).read_bytes() == (
        LUSHAN.read_bytes()
    )


def history(page: str) -> list[tuple[str, str]]:
    """The unit page's history as the clerk reads it: file name and result, the latest first."""
    return re.findall(r'original">([^<]+)</a></td>\s*<td class="result">([^<]+)</td>', page)


def validate_sha(path: Path) -> str:
    from wenuan.checking.consolidate import sha256

    return sha256(path)


def test_downloads_original_annotated_and_notice(client):
    upload(client, LUSHAN)
    page = client.get("/unit/鲁山").text
    sub = re.search(r"/submission/(\d+)/original", page).group(1)
    r = client.get(f"/submission/{sub}/original")
    assert r.content == LUSHAN.read_bytes()
    assert "filename*=UTF-8''%E9%B2%81" in r.headers["content-disposition"]
    r = client.get(f"/submission/{sub}/annotated")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["报表"]
    assert ws["D17"].fill.fgColor.rgb.endswith("FFC7CE") and "疑为 38.50" in ws["D17"].comment.text
    assert ws["D18"].comment is None
    r = client.get("/notice/鲁山")
    text = r.content.decode("utf-8-sig").replace("\r\n", "\n")
    st = status.status(
        [validate.validate_file(LUSHAN, Library(), validate.Options(form_id="pingdingshan-2010"))],
        Library()["pingdingshan-2010"],
        date.today(),
    )
    line = next(u for u in st.units if u.unit == "鲁山")
    line.path = LUSHAN.name
    assert text == notice_text(st, line)
    assert client.get("/notice/卫东区").status_code == 200  # a missing unit gets one too
    assert client.get("/notice/nobody").status_code == 404
    assert client.get("/submission/999/original").status_code == 404


def test_the_notice_as_word_once_the_library_makes_one(client, monkeypatch):
    import docx

    upload(client, LUSHAN)
    page = client.get("/unit/鲁山").text
    assert 'href="/notice/%E9%B2%81%E5%B1%B1?as=docx"' in page
    r = client.get("/notice/鲁山?as=docx")
    assert r.headers["content-type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    text += "\n".join(
        c.text
        for t in docx.Document(io.BytesIO(r.content)).tables
        for row in t.rows
        for c in row.cells
    )
    assert "鲁山县总工会：" in text and "贵单位报表第 17 行“政府拨款”（D17）" in text


def test_annotating_a_word_return_is_refused_in_the_cli_words(client):
    (got,) = upload(client, EXAMPLES / "own-layouts" / "鄂城区_Word填报.docx")
    client.post("/form", data={"form": got["form"]})
    page = client.get(f"/unit/{got['unit_key']}").text
    sub = re.search(r"/submission/(\d+)/original", page).group(1)
    assert 'id="download-annotated"' not in page
    r = client.get(f"/submission/{sub}/annotated")
    assert r.status_code == 409
    assert "鄂城区_Word填报.docx" in r.text  # which file could not be annotated, and why


def test_total_refuses_as_the_cli_does_then_adds_the_latest_returns(client, tmp_path):
    upload(client, IDENTITY, LUSHAN)
    r = client.get("/total.xlsx")
    assert r.status_code == 409
    assert "pingdingshan-2010_identity.xlsx 有 1 个错误" in r.text and "不能汇总" in r.text
    assert client.get("/report.docx").status_code == 409
    upload(client, VALID, corrected_lushan(tmp_path))
    r = client.get("/total.xlsx")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    folder = tmp_path / "latest"
    folder.mkdir()
    shutil.copy(VALID, folder)
    shutil.copy(corrected_lushan(tmp_path), folder)
    expected = CliRunner().invoke(
        cli_app, ["consolidate", str(folder), "--form", "pingdingshan-2010", "--format", "json"]
    )
    total = json.loads(expected.stdout)["total"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    units = [[c.value for c in row] for row in wb["各单位"].iter_rows()]
    assert units[1][0] is None and units[1][2] == "当地职工总数（人）"  # the labels under the codes
    assert [row[0] for row in units[2:]] == ["叶县", "鲁山", "合计"]
    head = [h.split("（")[0] for h in units[0]]
    assert {k: float(v) for k, v in total.items()} == {k: units[-1][head.index(k)] for k in total}
    sources = [[c.value for c in row] for row in wb["来源"].iter_rows()]
    assert [s[0] for s in sources[1:3]] == ["pingdingshan-2010_valid.xlsx", "鲁山_改正.xlsx"]
    assert sources[1][7] == validate_sha(VALID)


def test_reports_filled_table_word_and_pdf(client, tmp_path):
    upload(client, VALID, corrected_lushan(tmp_path))
    r = client.get("/report.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0].startswith("送温暖工程统计表")
    r = client.get("/report.docx")
    assert r.status_code == 200
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "情况报告" in text and "未报送" not in text  # the chasing list: in the cover note
    cover = client.get("/report.cover")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(cover.content)).paragraphs)
    assert "21个尚未报送（卫东区、" in text
    assert client.get("/report.html").status_code == 404
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed: no PDF")
    r = client.get("/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_allow_errors_includes_and_lists_them(client):
    upload(client, IDENTITY)
    r = client.get("/total.xlsx?allow_errors=1")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert [c.value for c in next(wb["来源"].iter_rows(min_row=2, max_row=2))][5] == "是"


# ---- bad uploads ---------------------------------------------------------------------------


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(VALID) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for name in z.namelist():
            w.writestr(name, z.read(name))
        w.writestr("xl/worksheets/sheet9.xml", b" " * (200 << 20))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.xlsx", b"", "空.xlsx 已损坏或不是表格文件，无法读取"),
        ("炸弹.xlsx", None, "炸弹.xlsx 过大或解压后过大，不像统计表"),
        ("说明.txt", b"hello", "说明.txt 不是 xlsx、xlsm、xls 或 ods 表格文件"),
    ],
    ids=["zero-bytes", "zip-bomb", "not-a-workbook"],
)
def test_a_bad_upload_is_a_finding_on_the_page(client, name, data, message):
    data = bomb() if data is None else data
    r = client.post(
        "/upload", files=[("files", (name, data, XLSX))], headers={"Accept": "application/json"}
    )
    (got,) = r.json()["received"]
    assert [f["message"] for f in got["findings"]] == [message]
    stem = Path(name).stem
    assert states(client)[stem] == ("errors", 1, 0)
    assert message in client.get(f"/unit/{stem}").text
    page = client.post("/upload", files=[("files", (name, data, XLSX))]).text  # a plain form
    assert "（与上次报送的内容相同）" in page


def test_a_path_in_the_file_name_is_only_a_name(client, tmp_path):
    (got,) = upload(client, LUSHAN, names={LUSHAN: "../../x.xlsx"})
    assert (got["name"], got["unit"]) == ("x.xlsx", "鲁山")
    (got,) = upload(client, VALID, names={VALID: "C:\\Users\\a\\..\\叶县.xlsx"})
    assert got["name"] == "叶县.xlsx"
    assert not (tmp_path.parent / "x.xlsx").exists() and not (tmp_path / "x.xlsx").exists()
    names = {p.name for p in (tmp_path / "wenuan-data" / "files").iterdir()}
    assert all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names) and len(names) == 2
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    assert {r[0] for r in db.execute("SELECT file_name FROM submissions")} == {
        "x.xlsx",
        "叶县.xlsx",
    }


def test_a_thousand_files_in_one_request_are_refused_whole(client, tmp_path):
    files = [("files", (f"{i}.xlsx", b"x", XLSX)) for i in range(1000)]
    r = client.post("/upload", files=files, headers={"Accept": "application/json"})
    assert r.status_code == 400
    assert "一次最多 200 个文件" in r.json()["refused"]
    r = client.post("/upload", files=files)
    assert r.status_code == 400 and "一次最多 200 个文件" in r.text
    assert states(client) == {u: ("missing", 0, 0) for u in states(client)}
    assert not list((tmp_path / "wenuan-data" / "files").iterdir())


def test_a_file_over_the_size_limit_is_not_kept(client, tmp_path, monkeypatch):
    monkeypatch.setattr(campaign_mod, "MAX_FILE", 1000)
    r = client.post(
        "/upload",
        files=[("files", ("大.xlsx", b"x" * 1001, XLSX))],
        headers={"Accept": "application/json"},
    )
    (got,) = r.json()["received"]
    assert [f["message"] for f in got["findings"]] == ["大.xlsx 过大或解压后过大，不像统计表"]
    assert not list((tmp_path / "wenuan-data" / "files").iterdir())
    monkeypatch.setattr(web_app, "MAX_REQUEST", 1000)
    r = client.post("/upload", files=[("files", ("大.xlsx", b"x" * 2000, XLSX))])
    assert r.status_code == 413 and "超过 0 MiB" in r.text


def test_concurrent_uploads_lose_nothing(tmp_path):
    campaign = Campaign(tmp_path, "pingdingshan-2010")
    client = local(create_app(campaign))
    from test_consolidate import ret

    units = ["叶县", "卫东区", "鲁山", "新华", "舞钢", "郏县", "宝丰", "石龙"]
    folder = tmp_path / "in"
    folder.mkdir()
    paths = [ret(folder, f"{u}.xlsx", u, seed=i) for i, u in enumerate(units)]
    errors = []

    def send(path):
        try:
            upload(client, path)
        except Exception as e:  # a failure in a thread must fail the test
            errors.append(e)

    threads = [threading.Thread(target=send, args=(p,)) for p in paths * 2]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    got = states(client)
    assert all(got[u] == ("ok", 0, 0) for u in units)
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    assert db.execute("SELECT COUNT(DISTINCT unit_key) FROM submissions").fetchone() == (8,)


# ---- safety --------------------------------------------------------------------------------


def test_off_loopback_every_request_needs_the_token(tmp_path):
    token = "s3cret-token"
    client = local(create_app(Campaign(tmp_path, "pingdingshan-2010"), token))
    r = client.get("/")
    assert r.status_code == 403 and "需要口令" in r.text and "token=…" in r.text
    assert client.get("/?token=wrong").status_code == 403
    r = client.get("/static/wenuan.css")  # the style, which units' own pages need too
    assert r.status_code == 200 and "set-cookie" not in r.headers
    r = client.get(f"/?token={token}")
    assert r.status_code == 200 and "wenuan_token=s3cret-token" in r.headers["set-cookie"]
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert client.get("/api/status").status_code == 200  # the cookie carries it from now on
    client.cookies.clear()
    assert client.get("/api/status").status_code == 403


def test_a_form_posted_from_another_site_is_refused(client):
    r = client.post("/form", data={"form": "ezhou-2022"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "拒绝来自其他网站的提交" in r.text
    r = client.post("/form", data={"form": "ezhou-2022"}, headers={"Origin": LOCAL})
    assert r.status_code == 200 and '"form-name">鄂州市 2022年 送温暖统计表<' in r.text


# ---- the door: host names, origins, headers ------------------------------------------------


def guarded(r) -> bool:
    """Whether a response carries the headers every one must: not framed, no foreign script."""
    return (
        r.headers.get("x-frame-options") == "DENY"
        and r.headers.get("content-security-policy") == POLICY
        and r.headers.get("x-content-type-options") == "nosniff"
        and r.headers.get("referrer-policy") == "same-origin"
    )


def message_lines(r) -> list[str]:
    """The lines of a message page (a refusal), as shown."""
    ul = re.search(r'<ul id="message-lines">(.*?)</ul>', r.text, re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", ul, re.S)


def english(lines: list[str]) -> set[str]:
    """The English words in a page's Chinese sentences, but the names of options and headers."""
    known = {"HTTP", "MiB", "wenuan", "serve", "allow", "host", "token", "Origin", "Referer"}
    return set(re.findall(r"[A-Za-z]{2,}", " ".join(lines))) - known


@pytest.mark.parametrize(
    ("bound", "host", "admitted"),
    [
        ("127.0.0.1", "127.0.0.1:8765", True),
        ("127.0.0.1", "LOCALHOST:8765", True),
        ("127.0.0.1", "[::1]:8765", True),
        ("127.0.0.1", "127.0.0.1", False),  # the browser leaves out port 80 only
        ("127.0.0.1", "127.0.0.1:80", False),
        ("127.0.0.1", "evil.example:8765", False),
        ("127.0.0.1", "localhost.evil.example:8765", False),
        ("127.0.0.1", "0.0.0.0:8765", False),
        ("127.0.0.1", "192.168.1.5:8765", False),
        ("127.0.0.1", "[::1]", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", "127.0.0.1:8765:8765", False),
        ("0.0.0.0", "192.168.1.5:8765", True),  # colleagues type this computer's address
        ("0.0.0.0", "[fe80::1]:8765", True),
        ("0.0.0.0", "evil.example:8765", False),
        ("0.0.0.0", "192.168.1.5:9999", False),
        ("192.168.1.5", "192.168.1.5:8765", True),
        ("192.168.1.5", "evil.example:8765", False),
    ],
)
def test_the_page_answers_only_to_its_own_names(bound, host, admitted):
    assert Hosts.bound(bound, 8765).admit(host) is admitted


def test_names_the_operator_gave_are_admitted_and_port_80_may_be_left_out():
    import socket

    hosts = Hosts.bound("127.0.0.1", 8765, ["wenuan.lan", " Union-PC "])
    assert hosts.admit("wenuan.lan:8765") and hosts.admit("union-pc:8765")
    assert not hosts.admit("wenuan.lan:8766") and not hosts.admit("wenuan.lan")
    assert Hosts.bound("0.0.0.0", 8765).admit(f"{socket.gethostname()}:8765")
    assert Hosts.bound("127.0.0.1", 80, ["wenuan.lan"]).admit("wenuan.lan")
    assert Hosts.bound("::1", 8765).admit("[::1]:8765")


def test_a_foreign_host_can_neither_read_nor_download_nor_post(tmp_path):
    """DNS rebinding: a page of evil.example, its name pointed at 127.0.0.1, asks as itself."""
    app = create_app(Campaign(tmp_path, "pingdingshan-2010"), hosts=Hosts.bound("127.0.0.1", 8765))
    own = TestClient(app, base_url=f"{LOCAL}:8765", headers={"Origin": f"{LOCAL}:8765"})
    upload(own, LUSHAN)
    assert own.get("/submission/1/original").content == LUSHAN.read_bytes()
    evil = "http://evil.example:8765"
    foreign = TestClient(app, base_url=evil, headers={"Origin": evil})
    for r in (
        foreign.get("/api/status"),
        foreign.get("/"),
        foreign.get("/submission/1/original"),
        foreign.get("/unit/鲁山"),
        foreign.post("/upload", files=[("files", ("x.xlsx", VALID.read_bytes(), XLSX))]),
        foreign.post("/withdraw/鲁山"),
        foreign.post("/form", data={"form": "ezhou-2022"}),
    ):
        assert r.status_code == 421 and guarded(r)
        assert message_lines(r) == [
            "拒绝：此网页只用启动 wenuan serve 时显示的地址打开；用其他名称打开的请求一律拒绝，"
            "以防其他网站冒用。需要用别的名称时，启动时加 --allow-host 名称"
        ]
        assert "鲁山" not in r.text and "pingdingshan" not in r.text and "PK" not in r.text
    assert states(own)["鲁山"] == ("errors", 1, 0)
    assert own.get("/api/status").json()["form"] == "pingdingshan-2010"
    assert len(history(own.get("/unit/鲁山").text)) == 1  # nothing new recorded


@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        ({"Origin": LOCAL}, True),
        ({"Referer": f"{LOCAL}/unit/%E9%B2%81%E5%B1%B1"}, True),  # no Origin: the Referer says
        ({}, False),
        ({"Origin": "http://evil.example"}, False),
        ({"Origin": "null"}, False),
        ({"Origin": f"{LOCAL}:8080"}, False),
        ({"Origin": "http://evil.example", "Referer": f"{LOCAL}/"}, False),  # Origin decides
        ({"Referer": "http://evil.example/"}, False),
        ({"Referer": "http://127.0.0.1.evil.example/"}, False),
        ({"Referer": "http://[127.0.0.1/"}, False),
        ({"Referer": "file:///home/a/x.html"}, False),
    ],
    ids=lambda v: str(v) if isinstance(v, bool) else "+".join(f"{k}={v[k]}" for k in v) or "none",
)
def test_a_post_must_say_it_comes_from_the_page(tmp_path, headers, accepted):
    client = TestClient(create_app(Campaign(tmp_path, "pingdingshan-2010")), base_url=LOCAL)
    for r in (
        client.post("/form", data={"form": "ezhou-2022"}, headers=headers, follow_redirects=False),
        client.post(
            "/upload", files=[("files", ("叶县.xlsx", VALID.read_bytes(), XLSX))], headers=headers
        ),
    ):
        assert guarded(r)
        if accepted:
            assert r.status_code in (200, 303)
        else:
            assert r.status_code == 403
            assert message_lines(r)[0] in (
                "拒绝来自其他网站的提交",
                "拒绝来源不明的提交：浏览器没有说明它来自哪个网页（请求中既无 Origin 也无 Referer）",
            )
    assert client.get("/api/status").json()["form"] == (
        "ezhou-2022" if accepted else "pingdingshan-2010"
    )
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone() == (int(accepted),)


def test_a_websocket_is_refused_and_the_lifespan_still_runs(tmp_path):
    from starlette.websockets import WebSocketDisconnect

    with local(create_app(Campaign(tmp_path, "pingdingshan-2010"))) as client:  # lifespan
        for path in ("/", "/static/wenuan.js", "/api/status"):
            with pytest.raises(WebSocketDisconnect) as refused:
                client.websocket_connect(path).__enter__()
            assert refused.value.code == 1008
        assert client.get("/api/status").status_code == 200


def test_every_response_carries_the_headers(client):
    upload(client, LUSHAN)
    sub = re.search(r"/submission/(\d+)/original", client.get("/unit/鲁山").text).group(1)
    responses = [
        client.get("/"),
        client.get("/unit/鲁山"),
        client.get("/api/status"),
        client.get("/static/wenuan.js"),
        client.get("/static/wenuan.css"),
        client.get(f"/submission/{sub}/original"),
        client.get(f"/submission/{sub}/annotated"),
        client.get("/notice/鲁山"),
        client.get("/total.xlsx"),  # refused: 409
        client.get("/nowhere"),
        client.get("/upload"),  # 405
        client.post("/form", data={"form": "ezhou-2022"}, headers={"Origin": "http://evil"}),
        client.post("/withdraw/鲁山", follow_redirects=False),
    ]
    codes = [r.status_code for r in responses]
    assert codes == [200, 200, 200, 200, 200, 200, 200, 200, 409, 404, 405, 403, 303]
    assert [guarded(r) for r in responses] == [True] * len(responses)


def test_the_pages_have_no_inline_script_or_style():
    """What the content security policy forbids: the pages keep their script and style in
    static/."""
    folder = Path(web_app.__file__).parent / "templates"
    for page in folder.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert re.findall(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", text) == [], page


@pytest.mark.parametrize(
    "path",
    [
        "/submission/99999999999999999999999/original",
        "/submission/99999999999999999999999/annotated",
        "/submission/9223372036854775808/original",  # one past SQLite's largest integer
        "/submission/0/original",
        "/submission/-1/original",
        "/submission/1e3/original",
        "/submission/abc/original",
        "/submission/%00/original",
        "/unit/鲁山?sub=99999999999999999999999",
        "/unit/鲁山?sub=x",
    ],
)
def test_an_id_out_of_range_or_malformed_is_not_found(client, path):
    upload(client, LUSHAN)
    r = client.get(path)
    assert (r.status_code, message_lines(r)) == (404, ["没有这个页面或文件"])


def test_the_same_new_file_sent_by_eight_at_once_is_recorded_once(tmp_path):
    client = local(create_app(Campaign(tmp_path, "pingdingshan-2010")))
    start = threading.Barrier(8)
    got, errors = [], []

    def send():
        try:
            start.wait()
            got.extend(upload(client, LUSHAN))
        except Exception as e:  # a failure in a thread must fail the test
            errors.append(e)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(g["same"] for g in got) == [False] + [True] * 7
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    assert db.execute("SELECT unit_key, previous FROM submissions").fetchall() == [("鲁山", 0)]


def test_a_database_of_before_keeps_its_history_and_loses_its_copies(tmp_path):
    """A campaign recorded before the chain: its race copies go, the rest stays in order."""
    from wenuan.web.store import SCHEMA, Store

    (tmp_path / "wenuan-data").mkdir()
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    db.executescript(SCHEMA)
    rows = [  # unit, sha, withdrawn: A recorded three times at once; B; A again after withdrawal
        ("鲁山", "a", 1),
        ("鲁山", "a", 1),
        ("叶县", "c", 0),
        ("叶县", "c", 0),
        ("叶县", "c", 0),
        ("鲁山", "b", 1),
        ("鲁山", "a", 0),
        ("叶县", "d", 0),
    ]
    for unit, sha, withdrawn in rows:
        db.execute(
            "INSERT INTO submissions (form, unit_key, file_name, sha256, size, uploaded_at,"
            " errors, warnings, report, withdrawn) VALUES ('f', ?, 'x.xlsx', ?, 1, '', 0, 0,"
            " '{}', ?)",
            (unit, sha * 64, withdrawn),
        )
    db.commit()
    db.close()
    Store(tmp_path)
    Store(tmp_path)  # a second opening changes nothing
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    kept = db.execute("SELECT id, unit_key, sha256, previous FROM submissions ORDER BY id")
    assert [(i, u, s[0], p) for i, u, s, p in kept] == [
        (1, "鲁山", "a", 0),
        (2, "鲁山", "a", 1),  # both withdrawn: sent again after a withdrawal, not a copy
        (3, "叶县", "c", 0),
        (6, "鲁山", "b", 2),
        (7, "鲁山", "a", 6),
        (8, "叶县", "d", 3),
    ]
    with pytest.raises(sqlite3.IntegrityError):  # no two submissions follow the same one
        db.execute(
            "INSERT INTO submissions (form, unit_key, file_name, sha256, size, uploaded_at,"
            " errors, warnings, report, previous) VALUES ('f', '叶县', '', '', 1, '', 0, 0, '', 3)"
        )


@pytest.mark.parametrize(
    ("send", "code", "line"),
    [
        (lambda c: c.get("/nowhere"), 404, "没有这个页面或文件"),
        (lambda c: c.get("/static/nothing.js"), 404, "没有这个页面或文件"),
        (lambda c: c.get("/upload"), 405, "这个地址不接受这种请求"),
        (lambda c: c.delete("/"), 405, "这个地址不接受这种请求"),
        (lambda c: c.post("/static/wenuan.js"), 405, "这个地址不接受这种请求"),
        (
            lambda c: c.post(
                "/upload", content=b"x", headers={"Content-Type": "multipart/form-data"}
            ),
            400,
            "请求的内容不完整或格式不对，未处理（HTTP 400）",
        ),
        (
            lambda c: c.post("/form", files=[("form", ("x.txt", b"x", "text/plain"))]),
            400,
            "请求的内容不完整或格式不对，未处理（HTTP 400）",
        ),
        (
            lambda c: c.post(
                "/upload",
                files=[("files", ("a.xlsx", b"x", XLSX))],
                headers={"Content-Length": str(1 << 40)},
            ),
            413,
            "上传的内容超过 512 MiB，未接收",
        ),
    ],
    ids=[
        "no-page",
        "no-static",
        "get-a-post",
        "delete",
        "post-static",
        "no-boundary",
        "file-to-form",
        "too-large",
    ],
)
def test_every_refusal_is_in_chinese(client, send, code, line):
    r = send(client)
    assert (r.status_code, message_lines(r)) == (code, [line])
    assert english(message_lines(r)) == set() and guarded(r)


def test_an_upload_refused_by_the_parser_says_why_in_chinese(client, monkeypatch):
    r = client.post(
        "/upload",
        content=b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b", "Accept": "application/json"},
    )
    assert r.status_code == 400
    assert r.json() == {"refused": "请求的内容不完整或格式不对，未处理（HTTP 400）"}
    monkeypatch.setattr(web_app, "MAX_REQUEST", 1000)
    r = client.post(
        "/upload",
        files=[("files", ("大.xlsx", b"x" * 2000, XLSX))],
        headers={"Accept": "application/json", "Transfer-Encoding": "chunked"},
    )
    assert r.status_code == 413 and r.json() == {"refused": "上传的内容超过 0 MiB，未接收"}


def test_a_server_error_shows_no_internals(tmp_path, monkeypatch):
    campaign = Campaign(tmp_path, "pingdingshan-2010")

    def broken(*a, **k):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(campaign, "status", broken)
    client = local(create_app(campaign), raise_server_exceptions=False)
    r = client.get("/")
    assert r.status_code == 500 and "内部错误" in r.text and guarded(r)
    assert "secret" not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text


def test_static_files_are_in_the_package(client):
    assert "uploadAll" in client.get("/static/wenuan.js").text
    assert client.get("/static/../app.py").status_code == 404


def test_serve_command_refuses_a_folder_it_cannot_make_and_a_busy_port(tmp_path):
    import socket

    (tmp_path / "a-file").write_text("")
    r = CliRunner().invoke(cli_app, ["serve", "--dir", str(tmp_path / "a-file"), "--no-browser"])
    assert r.exit_code == 2 and f"{tmp_path / 'a-file'} 是文件，不是文件夹" in r.output
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        r = CliRunner().invoke(
            cli_app, ["serve", "--dir", str(tmp_path), "--port", str(port), "--no-browser"]
        )
    assert r.exit_code == 2 and f"端口 {port} 已被占用" in r.output


def test_serve_prints_the_token_off_loopback_and_none_on_it(tmp_path, monkeypatch):
    import socket

    import uvicorn

    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.append((app, kw)))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["serve", "--dir", str(tmp_path), "--port", str(port), "--no-browser"]
    r = CliRunner().invoke(cli_app, [*args, "--host", "0.0.0.0", "--form", "鄂州 2022"])
    assert r.exit_code == 0, r.output
    token = re.search(r"\?token=(\S+)", r.output).group(1)
    assert (
        "只有带口令的链接能打开" in r.output
        and f"http://{socket.gethostname()}:{port}/?token=" in r.output
    )
    app, kw = ran[-1]
    assert kw == {"host": "0.0.0.0", "port": port, "log_level": "warning"}
    client = TestClient(app, base_url=f"http://{socket.gethostname()}:{port}")
    assert client.get("/").status_code == 403
    assert client.get(f"/?token={token}").status_code == 200
    r = CliRunner().invoke(cli_app, args)
    assert "?token=" not in r.output and f"http://127.0.0.1:{port}/\n" in r.output
    again = TestClient(ran[-1][0], base_url=f"{LOCAL}:{port}")
    assert again.get("/api/status").json()["form"] == "ezhou-2022"


def test_a_figure_far_from_the_other_units_is_listed_on_the_campaign_page(client, tmp_path):
    # the batch screen of `validate` and `consolidate`, over each unit's latest return
    from conftest import write_return

    from wenuan.checking import samples
    from wenuan.forms import model as forms
    from wenuan.outputs import writing

    form = forms.Library()["pingdingshan-2010"]
    far = "bfzx:07A[万元]"  # in no rule (10A now has a plausibility bound that catches it)
    v = samples.consistent(form, seed=3)
    paths = []
    for i, unit in enumerate(form.units[:16]):
        values = samples.consistent(form, seed=i)
        if i == 3:
            values[far] = v[far] * 10000
        paths.append(write_return(tmp_path / f"{i:02d}.xlsx", form, values, unit.name))
    upload(client, *paths[:5])
    assert 'id="outliers"' not in client.get("/").text  # five returns say too little
    upload(client, *paths[5:])
    page = client.get("/").text
    section = page[page.index('id="outliers"') :]
    assert section.count('<tr class="sev-warning">') == 1
    at = writing.cell_positions(form.table("bfzx"))["07A[万元]"]
    assert f">{form.units[3].name}</a></td><td>困难职工帮扶中心统计表 {at}</td>" in section
    assert f"疑为 {v[far]}（按元填写，应为万元）" in section


def far_out() -> bytes:
    """The valid return with one value at column ZZZZZ: python-calamine would ask for 17.8 GB."""
    out = io.BytesIO()
    with zipfile.ZipFile(VALID) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for name in z.namelist():
            data = z.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row>", b'<c r="ZZZZZ1"><v>1</v></c></row>', 1)
            w.writestr(name, data)
    return out.getvalue()


def aborting_check(path, options=None):
    """validate.check_in_worker, but a file named 炸.xlsx aborts its worker outright."""
    import os

    if path.name == "炸.xlsx":
        os.abort()
    return validate.check_in_worker(path, options)


def test_a_value_far_out_is_a_finding_and_the_page_goes_on(client):
    r = client.post(
        "/upload",
        files=[
            ("files", ("远.xlsx", far_out(), XLSX)),
            ("files", ("叶县.xlsx", VALID.read_bytes(), XLSX)),
        ],
        headers={"Accept": "application/json"},
    )
    far, valid = r.json()["received"]
    assert [f["message"] for f in far["findings"]] == [
        "远.xlsx 的工作表“送温暖工程统计表”在 ZZZZZ1 还有内容，超出一张表能读取的范围"
        "（最多 5000 行、200 列），未读取；请删去表格以外的内容后另存再发送"
    ]
    assert (valid["unit"], valid["errors"]) == ("叶县", 0)
    assert client.get("/unit/远").status_code == 200  # its preview is read in a worker too


def test_a_file_that_ends_its_worker_is_its_finding_and_other_uploads_go_on(client, monkeypatch):
    monkeypatch.setattr(validate, "check_in_worker", aborting_check)
    files = [("files", (name, VALID.read_bytes(), XLSX)) for name in ("炸.xlsx", "叶县.xlsx")]
    r = client.post("/upload", files=files, headers={"Accept": "application/json"})
    dead, valid = r.json()["received"]
    assert [f["message"] for f in dead["findings"]] == [
        "炸.xlsx 无法读取：读取它的进程异常退出（文件可能已损坏，或大得超出了读取的限度）；"
        "请在 Excel 或 WPS 中打开检查后另存再发送"
    ]
    assert (valid["unit"], valid["errors"], valid["warnings"]) == ("叶县", 0, 0)
    (again,) = upload(client, LUSHAN)  # a new worker took the dead one's place
    assert again["unit"] == "鲁山" and again["errors"] == 1
    assert states(client)["炸"] == ("errors", 1, 0)


def test_a_dropped_folder_sends_every_kind_of_file_the_reader_reads():
    """The page's script picks from a folder the files wenuan reads, no more and no fewer."""
    from wenuan.reading import READABLE

    script = (Path(web_app.__file__).parent / "static" / "wenuan.js").read_text("utf-8")
    listed = re.search(r"const READABLE = \[([^\]]*)\]", script)[1]
    assert set(re.findall(r'"(\.[a-z]+)"', listed)) == set(READABLE)
