"""Each unit's own link (issue 23): `wenuan links`, the unit's page, its upload and typed return,
and that a link opens nothing but its own unit's page."""

import json
import re
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from wenuan.cli import app as cli_app
from wenuan.web.app import Hosts, create_app
from wenuan.web.campaign import Campaign, token_hash
from wenuan.web.units import unlinked

LINK = re.compile(r"^http://city\.example:8765/u/([A-Za-z0-9_-]{24})$")


def links(folder: Path, *args: str) -> tuple[int, dict]:
    r = CliRunner().invoke(
        cli_app,
        ["links", "--dir", str(folder), "--base", "http://city.example:8765/", "--format", "json"]
        + list(args),
    )
    return r.exit_code, json.loads(r.stdout) if r.exit_code == 0 else r.stderr


def test_links_gives_each_roster_unit_a_link_once_and_keeps_only_its_hash(tmp_path):
    code, out = links(tmp_path, "--form", "pingdingshan-2010")
    assert code == 0
    assert len(out["links"]) == 23 and out["links"][0]["unit"] == "叶县"
    tokens = [LINK.match(link["url"])[1] for link in out["links"]]
    assert len(set(tokens)) == 23
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    kept = dict(db.execute("SELECT unit_key, token_sha256 FROM links"))
    assert kept["叶县"] == token_hash(tokens[0])
    dump = "\n".join(db.iterdump())
    assert not any(token in dump for token in tokens)  # only the hashes are stored
    code, again = links(tmp_path)  # the form chosen is kept; given links are not shown again
    assert code == 0
    assert again["links"][0] == {
        "unit": "叶县",
        "url": None,
        "issued_at": out["links"][0]["issued_at"],
    }
    assert all(link["url"] is None for link in again["links"])
    campaign = Campaign(tmp_path)  # a restart: the link still opens its unit
    assert campaign.linked_unit(tokens[2]) == "鲁山"
    assert campaign.linked_unit(tokens[2][:-1] + "!") is None
    assert campaign.linked_unit("x" * 24) is None


def test_renew_replaces_one_link_and_the_old_stops_at_once(tmp_path):
    _, out = links(tmp_path, "--form", "pingdingshan-2010")
    old = LINK.match(out["links"][0]["url"])[1]
    code, renewed = links(tmp_path, "--renew", "叶县总工会")  # by any name the roster knows
    assert code == 0
    assert [link["unit"] for link in renewed["links"] if link["url"]] == ["叶县"]
    new = LINK.match(renewed["links"][0]["url"])[1]
    campaign = Campaign(tmp_path)
    assert (campaign.linked_unit(old), campaign.linked_unit(new)) == (None, "叶县")
    assert campaign.linked_unit(LINK.match(out["links"][1]["url"])[1]) == "卫东区"


def test_links_refuses_an_unknown_unit_and_a_campaign_without_form(tmp_path):
    assert links(tmp_path) == (
        2,
        "错误：还没有选择表式：请加 --form 表式，或先在 wenuan serve 的网页上选择\n",
    )
    assert links(tmp_path, "--form", "pingdingshan-2010", "--renew", "洛阳") == (
        2,
        "错误：名单中没有单位“洛阳”，无法重发它的链接\n",
    )
    assert not Campaign(tmp_path).store.links()  # nothing given when one name is wrong


def test_links_text_lists_a_line_a_unit(tmp_path):
    r = CliRunner().invoke(
        cli_app,
        ["links", "--dir", str(tmp_path), "--form", "pingdingshan-2010", "--base", "http://h"],
    )
    first = r.stdout.splitlines()[0]
    assert r.exit_code == 0 and re.fullmatch(r"叶县  http://h/u/[A-Za-z0-9_-]{24}", first)
    r = CliRunner().invoke(cli_app, ["links", "--dir", str(tmp_path)])
    assert re.fullmatch(
        r"叶县：已于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 发放（链接只在发放时显示一次；要重发请用"
        r" --renew 叶县，旧链接随即失效）",
        r.stdout.splitlines()[0],
    )


# ---- the unit's page and its upload --------------------------------------------------------

EXAMPLES = Path(__file__).parents[1] / "examples"
VALID = EXAMPLES / "pingdingshan-2010_valid.xlsx"  # 叶县总工会's return, no finding
LUSHAN = EXAMPLES / "own-layouts" / "鲁山_自制表_有错.xlsx"  # 鲁山's, one error
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CITY = "http://192.0.2.7:8765"  # the city's computer as a unit's phone reaches it
TOKEN = "city-s3cret"


@pytest.fixture
def served(tmp_path):
    """A campaign served beyond loopback (behind the city's token), and each unit's token."""
    campaign = Campaign(tmp_path, "pingdingshan-2010")
    tokens = {link.unit: link.url.rsplit("/", 1)[1] for link in campaign.links(CITY)}
    app = create_app(campaign, TOKEN, Hosts.bound("0.0.0.0", 8765))
    return app, tokens


def phone(app) -> TestClient:
    """A unit's browser: no city token, posts from the page it is on."""
    return TestClient(app, base_url=CITY, headers={"Origin": CITY})


def sent(client, token: str, path: Path, name: str | None = None):
    files = [("files", (name or path.name, path.read_bytes(), XLSX))]
    return client.post(f"/u/{token}/upload", files=files, headers={"Accept": "application/json"})


def test_the_unit_page_shows_its_form_deadline_and_state_without_the_city_token(served):
    app, tokens = served
    r = phone(app).get(f"/u/{tokens['叶县']}")
    assert r.status_code == 200 and "set-cookie" not in r.headers  # never the city's token
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in r.text
    assert '<h1 id="form-title">平顶山市 2010年 送温暖工程统计表</h1>' in r.text
    assert re.search(r'<p id="deadline">报送截止：<b>2010年2月1日</b>（已过 \d+ 天）</p>', r.text)
    assert '<b id="unit-name">叶县</b>' in r.text and ">未报送</span>" in r.text
    assert '<p id="no-return">还没有收到本单位的报表。</p>' in r.text
    assert f'action="/u/{tokens["叶县"]}/upload"' in r.text
    assert "鲁山" not in r.text and 'href="/"' not in r.text  # no other unit, no city page
    assert r.headers["x-frame-options"] == "DENY"


def test_a_link_opens_its_own_unit_only_and_nothing_of_the_city(served):
    app, tokens = served
    city = TestClient(app, base_url=CITY, headers={"Origin": CITY}, cookies={"wenuan_token": TOKEN})
    assert (
        city.post(
            "/upload",
            files=[("files", (LUSHAN.name, LUSHAN.read_bytes(), XLSX))],
            headers={"Accept": "application/json"},
        ).status_code
        == 200
    )
    assert '<td class="via">市总代收</td>' in city.get("/unit/鲁山").text
    unit = phone(app)
    assert unit.get(f"/u/{tokens['叶县']}").status_code == 200
    for path in (
        "/",
        "/api/status",
        "/unit/鲁山",
        "/notice/鲁山",
        "/submission/1/original",
        "/submission/1/annotated",
        "/total.xlsx",
        "/report.docx",
    ):
        r = unit.get(path)
        assert (r.status_code, "set-cookie" in r.headers) == (403, False), path
    assert unit.post("/withdraw/鲁山").status_code == 403
    assert unit.post("/form", data={"form": "ezhou-2022"}).status_code == 403
    page = unit.get(f"/u/{tokens['鲁山']}")
    assert page.headers["cache-control"] == "no-store"  # no shared browser or proxy keeps it
    assert "cache-control" not in city.get("/unit/鲁山").headers
    lushan = page.text  # 鲁山's own page has its finding
    said = "筹集慰问款物总额 85.00 万元"
    assert said in lushan and said not in unit.get(f"/u/{tokens['叶县']}").text
    for wrong in ("x" * 24, tokens["叶县"][:-1], tokens["叶县"] + "x", "%00", "a b"):
        assert unit.get(f"/u/{wrong}").status_code == 404
        assert sent(unit, wrong, VALID).status_code == 404
    for path in (f"/u/{tokens['叶县']}/../../api/status", "/u/..", "/u/%2e%2e/api/status"):
        assert unit.get(path).status_code in (403, 404), path


def test_a_renewed_link_is_gone_at_once_from_the_running_page(served, tmp_path):
    app, tokens = served
    Campaign(tmp_path).links(CITY, ["叶县"])  # the CLI, while the page runs
    assert phone(app).get(f"/u/{tokens['叶县']}").status_code == 404
    assert phone(app).get(f"/u/{tokens['鲁山']}").status_code == 200


def test_a_unit_link_keeps_the_door_host_origin_and_size(served):
    app, tokens = served
    evil = "http://evil.example:8765"
    r = TestClient(app, base_url=evil, headers={"Origin": evil}).get(f"/u/{tokens['叶县']}")
    assert r.status_code == 421  # DNS rebinding: still refused by name
    r = sent(TestClient(app, base_url=CITY, headers={"Origin": evil}), tokens["叶县"], VALID)
    assert r.status_code == 403 and "拒绝来自其他网站的提交" in r.text
    r = sent(TestClient(app, base_url=CITY), tokens["叶县"], VALID)
    assert r.status_code == 403 and "拒绝来源不明的提交" in r.text


def test_an_upload_through_a_link_is_its_units_and_warns_when_it_names_another(served):
    app, tokens = served
    unit = phone(app)
    r = sent(unit, tokens["叶县"], LUSHAN)
    assert r.status_code == 200
    (got,) = r.json()["received"]
    assert (got["unit"], got["unit_key"], got["errors"], got["warnings"]) == ("叶县", "叶县", 1, 1)
    assert got["findings"][-1] == {
        "severity": "warning",
        "kind": "header",
        "items": [],
        "cell": None,
        "table": None,
        "rule": None,
        "message": "这份报表的填报单位写的是“鲁山”，但它是通过叶县的专属链接上传的，已记为叶县的报送；"
        "如果传错了文件，请重新上传本单位的报表",
        "suggestion": None,
        "suggestions": [],
        "suspects": [],
        "what": "u_names_other",
        "params": {"named": "鲁山", "unit": "叶县"},
    }
    assert got["lines"][-1] == got["findings"][-1]["message"]
    page = unit.get(f"/u/{tokens['叶县']}").text
    assert ">有错误</span>" in page and page.count('<li class="sev-') == 2
    assert "已记为叶县的报送" in page and "（以此为准）" in page
    (own,) = sent(unit, tokens["叶县"], VALID).json()["received"]  # 叶县总工会: its own
    assert (own["unit"], own["errors"], own["warnings"], own["findings"]) == ("叶县", 0, 0, [])
    page = unit.get(f"/u/{tokens['叶县']}").text
    assert '<p id="no-findings" class="good">没有发现问题。</p>' in page
    assert (
        page.count("　0 个错误，0 个警告（单位链接上传）（以此为准）</li>") == 1
        and ">已报送</span>" in page
    )
    assert "　鲁山_自制表_有错.xlsx　1 个错误，1 个警告（单位链接上传）</li>" in page
    city = TestClient(app, base_url=CITY, cookies={"wenuan_token": TOKEN})
    lines = {u["unit"]: (u["state"], u["errors"]) for u in city.get("/api/status").json()["units"]}
    assert lines["叶县"] == ("ok", 0) and lines["鲁山"] == ("missing", 0)
    page = city.get("/unit/叶县").text
    assert page.count('<td class="via">单位链接上传</td>') == 2


def test_a_plain_form_upload_answers_with_the_units_page(served):
    app, tokens = served
    files = [("files", (LUSHAN.name, LUSHAN.read_bytes(), XLSX))]
    r = phone(app).post(f"/u/{tokens['鲁山']}/upload", files=files)
    assert r.status_code == 200 and '<section class="card" id="received">' in r.text
    assert '<p><b>鲁山_自制表_有错.xlsx</b>：<span class="bad">1 个错误</span></p>' in r.text


def test_a_token_never_reaches_the_log():
    assert unlinked("/u/abcDEF123_-abcDEF123_-ab/upload") == "/u/…/upload"
    assert unlinked("/unit/鲁山") == "/unit/鲁山"


# ---- typed in ------------------------------------------------------------------------------


def figures_of(path: Path) -> dict[str, str]:
    """A return's figures by "table:ref", as `validate --explain` names them."""
    from wenuan.checking.validate import Options, validate_file
    from wenuan.forms.model import Library

    report = validate_file(path, Library(None), Options())
    return {k: str(v) for k, v in report.values.items()}


def typed(client, token: str, values: dict, submit: bool = False, **more):
    return client.post(f"/u/{token}/figures", json={"values": values, "submit": submit, **more})


def test_the_typing_page_lists_every_field_by_label_and_unit_filled_from_the_last_return(served):
    app, tokens = served
    unit = phone(app)
    page = unit.get(f"/u/{tokens['叶县']}/figures").text
    assert page.count('inputmode="decimal"') == len(figures_of(VALID)) == 100
    assert (
        '<span class="label">08A[万元] 共协助政府有关部门帮助职工追讨欠薪（欠薪）（万元）</span>'
        in page
    )
    assert 'data-key="swn:05B" name="swn:05B" value=""' in page
    assert '<script src="/static/unit.js"></script>' in page
    assert unit.get("/static/unit.js").status_code == 200
    sent(unit, tokens["叶县"], VALID)
    page = unit.get(f"/u/{tokens['叶县']}/figures").text
    assert 'data-key="swn:05B" name="swn:05B" value="38.5"' in page
    assert 'data-header="person" name="person" value="王芳"' in page


def test_typed_figures_are_checked_as_they_come_and_named_by_their_fields(served, tmp_path):
    app, tokens = served
    values = {**figures_of(VALID), "swn:05B": "38.05"}  # 鲁山's slip, typed
    r = typed(phone(app), tokens["叶县"], values, header={"person": "王芳", "phone": "13803751234"})
    assert r.status_code == 200
    data = r.json()
    assert data["submitted"] is False
    (wrong,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert (wrong["kind"], wrong["rule"], wrong["fields"]) == (
        "identity",
        "swn-05",
        ["swn:05B", "swn:05A"],
    )
    assert wrong["suggestion"] == {
        "item": "05B",
        "value": "38.50",
        "cell": "送温暖工程统计表!E20",
        "why": "transposition",
    }
    assert "38.05 疑为 38.50" in wrong["words"] and "05B" not in wrong["words"]  # the unit's words
    assert "（05B，E20）" in wrong["message"]  # the clerk's, with the code
    r = typed(phone(app), tokens["叶县"], {"swn:05A": "3.43"})  # a start: the rest unfilled
    first = {(f["kind"], f["severity"], tuple(f["fields"])) for f in r.json()["findings"]}
    assert {("header", "error", ("person",)), ("header", "warning", ("phone",))} <= first
    assert ("missing", "error", ("swn:05B",)) in first and (
        "missing",
        "error",
        ("swn:05A",),
    ) not in first
    assert not Campaign(tmp_path).store.history("pingdingshan-2010", "叶县")  # only checked


def test_a_typed_return_is_submitted_only_without_errors_as_a_filled_template(served, tmp_path):
    app, tokens = served
    unit = phone(app)
    head = {"person": "王芳", "phone": "13803751234"}
    values = {**figures_of(VALID), "swn:05B": "38.05"}
    r = typed(unit, tokens["叶县"], values, True, header=head)
    assert r.status_code == 200 and r.json()["submitted"] is False
    assert not Campaign(tmp_path).store.history("pingdingshan-2010", "叶县")
    values["swn:05B"] = "38.50"
    r = typed(unit, tokens["叶县"], values, True, header=head)
    assert r.json()["submitted"] is True
    assert [f["severity"] for f in r.json()["findings"]] == ["warning"]  # late: typed today
    (sub,) = Campaign(tmp_path).store.history("pingdingshan-2010", "叶县")
    assert (sub.file_name, sub.errors, sub.warnings) == ("叶县_在线填报.xlsx", 0, 1)
    city = TestClient(app, base_url=CITY, cookies={"wenuan_token": TOKEN})
    assert city.get("/api/status").json()["units"][0]["state"] == "late"
    got = city.get(f"/submission/{sub.id}/original")
    path = tmp_path / "downloaded.xlsx"
    path.write_bytes(got.content)
    assert figures_of(path) == {**figures_of(VALID), "swn:05B": "38.5"}
    assert '<li class="latest">' in unit.get(f"/u/{tokens['叶县']}").text


def test_a_typed_request_that_is_not_one_is_refused(served):
    app, tokens = served
    unit, token = phone(app), tokens["叶县"]
    refused = {"refused": "填写的内容无法处理：请刷新页面后重新填写"}
    for body in (
        {"values": {"swn:99Z": "1"}, "submit": False},  # no such field
        {"values": {"swn:05A": "1" * 41}, "submit": False},  # too long
        {"values": {"swn:05A": 1}, "submit": False},  # not text
        {"values": {}, "submit": "yes"},
        {"values": {}, "header": {"unit": "鲁山"}, "submit": False},  # the unit is the link's
        [1, 2],
    ):
        r = unit.post(f"/u/{token}/figures", json=body)
        assert (r.status_code, r.json()) == (400, refused), body
    r = unit.post(f"/u/{token}/figures", content=b"{" * 70000)
    assert (r.status_code, r.json()) == (400, refused)
    r = unit.post(f"/u/{token}/figures", content=b"not json")
    assert (r.status_code, r.json()) == (400, refused)
    evil = TestClient(app, base_url=CITY, headers={"Origin": "http://evil.example"})
    assert typed(evil, token, {"swn:05A": "1"}).status_code == 403
    assert typed(unit, "x" * 24, {"swn:05A": "1"}).status_code == 404


def test_a_typed_formula_stays_text_and_a_fraction_of_a_count_is_seen(served):
    app, tokens = served
    r = typed(phone(app), tokens["叶县"], {"swn:01A": "=1+1", "swn:02A": "3.5"})
    found = {f["fields"][0]: f["kind"] for f in r.json()["findings"] if f["fields"]}
    assert found["swn:01A"] == "type" and found["swn:02A"] == "type"


# ---- 核实说明 --------------------------------------------------------------------------------


def test_a_unit_explains_a_warning_and_it_counts_no_more_and_the_city_sees_why(served):
    app, tokens = served
    unit, token = phone(app), tokens["叶县"]
    values = {**figures_of(VALID), "swn:08B[名]": "400"}  # more migrant workers than workers
    r = typed(unit, token, values, True, header={"person": "王芳", "phone": "13803751234"})
    assert r.json()["submitted"] is True
    city = TestClient(app, base_url=CITY, headers={"Origin": CITY}, cookies={"wenuan_token": TOKEN})
    assert city.get("/api/status").json()["units"][0]["warnings"] == 1
    assert "依据：“注：本表中职工均包括农民工”" in city.get("/notice/叶县").text
    page = unit.get(f"/u/{token}").text
    (key,) = re.findall(r'<input type="hidden" name="finding" value="([0-9a-f]{16})">', page)
    why = "本县 08A 只填了非农民工职工，08B 为农民工，数字无误"
    r = unit.post(f"/u/{token}/explain", data={"finding": key, "text": why}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/u/{token}#findings")
    page = unit.get(f"/u/{token}").text
    assert f'<div class="explained">已说明：{why}</div>' in page and "修改说明" in page
    assert city.get("/api/status").json()["units"][0]["warnings"] == 0  # explained: not counted
    page = city.get("/unit/叶县").text
    assert f"单位的核实说明：{why}" in page and '<td class="via">单位在线填写</td>' in page
    assert "08B" not in city.get("/notice/叶县").text  # not in the correction notice either


def test_only_a_warning_of_the_units_own_return_can_be_explained(served):
    app, tokens = served
    unit = phone(app)
    sent(unit, tokens["鲁山"], LUSHAN)  # one error, no warning
    page = unit.get(f"/u/{tokens['鲁山']}").text
    assert 'name="finding"' not in page  # an error can only be fixed
    r = unit.post(f"/u/{tokens['鲁山']}/explain", data={"finding": "0" * 16, "text": "对的"})
    assert r.status_code == 404
    values = {**figures_of(VALID), "swn:08B[名]": "400"}
    typed(unit, tokens["叶县"], values, True, header={"person": "王芳", "phone": "13803751234"})
    key = re.search(r'name="finding" value="(\w+)"', unit.get(f"/u/{tokens['叶县']}").text)[1]
    r = unit.post(f"/u/{tokens['鲁山']}/explain", data={"finding": key, "text": "对的"})
    assert r.status_code == 404  # another unit's warning
    r = unit.post(f"/u/{tokens['叶县']}/explain", data={"finding": key, "text": "  "})
    assert r.status_code == 400 and "核实说明未保存：请写明理由（最多 500 字）" in r.text
    r = unit.post(f"/u/{tokens['叶县']}/explain", data={"finding": key, "text": "x" * 501})
    assert r.status_code == 400
    evil = TestClient(app, base_url=CITY, headers={"Origin": "http://evil.example"})
    r = evil.post(f"/u/{tokens['叶县']}/explain", data={"finding": key, "text": "对的"})
    assert r.status_code == 403


def test_each_link_has_its_own_rate_of_sends_and_checks(tmp_path, monkeypatch):
    from wenuan.web import units

    monkeypatch.setattr(units, "SENDS_PER_MINUTE", 2)
    monkeypatch.setattr(units, "CHECKS_PER_MINUTE", 3)
    campaign = Campaign(tmp_path, "pingdingshan-2010")
    tokens = {link.unit: link.url.rsplit("/", 1)[1] for link in campaign.links(CITY)}
    unit = phone(create_app(campaign, TOKEN, Hosts.bound("0.0.0.0", 8765)))
    too_many = {"refused": "一分钟内提交太多次了，请稍等一分钟再试"}
    assert [sent(unit, tokens["叶县"], VALID).status_code for _ in range(2)] == [200, 200]
    r = sent(unit, tokens["叶县"], VALID)
    assert (r.status_code, r.json(), r.headers["retry-after"]) == (429, too_many, "60")
    files = [("files", (VALID.name, VALID.read_bytes(), XLSX))]
    r = unit.post(f"/u/{tokens['叶县']}/upload", files=files)
    assert r.status_code == 429 and "请稍等一分钟再试" in r.text
    assert sent(unit, tokens["鲁山"], LUSHAN).status_code == 200  # its own rate
    codes = [typed(unit, tokens["叶县"], {"swn:05A": "1"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = typed(unit, tokens["鲁山"], {"swn:05A": "1"}, True)  # a submission is a send
    assert r.status_code == 200 and r.json()["submitted"] is False
    assert typed(unit, tokens["鲁山"], {"swn:05A": "1"}, True).status_code == 429


def test_the_city_gives_the_links_on_its_page_as_a_list_and_a_sheet_of_qr_slips(served, tmp_path):
    app, tokens = served  # every unit has a link already (the CLI gave them)
    city = TestClient(app, base_url=CITY, headers={"Origin": CITY}, cookies={"wenuan_token": TOKEN})
    assert f'name="base" value="{CITY}"' in city.get("/").text  # the address the clerk uses
    r = city.post("/links", data={"base": CITY})
    assert r.status_code == 200 and '<p id="no-new-links">' in r.text and "<svg" not in r.text
    r = city.post("/links", data={"base": "http://wenuan.lan:8765", "renew": "1"})
    listed = re.findall(r"^(\S+)　(http://wenuan\.lan:8765/u/[\w-]{24})$", r.text, re.M)
    assert len(listed) == 23 and listed[0][0] == "叶县"
    assert r.text.count('<svg width="') == 23 and r.text.count('<section class="slip">') == 23
    assert f'<p class="url">{listed[0][1]}</p>' in r.text
    campaign = Campaign(tmp_path)
    assert campaign.linked_unit(tokens["叶县"]) is None  # all given again: the old ones go
    assert campaign.linked_unit(listed[0][1].rsplit("/", 1)[1]) == "叶县"
    r = city.post("/links", data={"base": "javascript:alert(1)"})
    assert r.status_code == 400 and "网址开头应像 http://192.168.1.20:8765 这样" in r.text
    unit = phone(app)
    assert unit.post("/links", data={"base": CITY, "renew": "1"}).status_code == 403


def test_a_database_of_before_gains_links_explanations_and_how_each_return_came(tmp_path):
    from wenuan.web.store import SCHEMA, Store

    (tmp_path / "wenuan-data").mkdir()
    db = sqlite3.connect(tmp_path / "wenuan-data" / "wenuan.db")
    db.executescript(SCHEMA.split("CREATE TABLE IF NOT EXISTS links")[0])  # as it was before
    db.execute(
        "INSERT INTO submissions (form, unit_key, file_name, sha256, size, uploaded_at, errors,"
        " warnings, report) VALUES ('f', '叶县', 'x.xlsx', ?, 1, '', 0, 0, ?)",
        (
            "a" * 64,
            '{"form": "f", "unit": "叶县", "received": null, "findings": [], "values": {},'
            ' "header": {}}',
        ),
    )
    db.commit()
    db.close()
    store = Store(tmp_path)
    assert [s.via for s in store.history("f", "叶县")] == ["clerk"]
    assert store.links() == {} and store.explanations("f") == {}


def test_the_audit_log_says_who_did_what_when_with_which_file(served, tmp_path):
    import hashlib
    import io

    import openpyxl

    app, tokens = served
    city = TestClient(app, base_url=CITY, headers={"Origin": CITY}, cookies={"wenuan_token": TOKEN})
    files = [("files", ("=1+1.xlsx", LUSHAN.read_bytes(), XLSX))]
    city.post("/upload", files=files, headers={"Accept": "application/json"})
    unit = phone(app)
    sent(unit, tokens["叶县"], VALID)
    values = {**figures_of(VALID), "swn:08B[名]": "400"}
    typed(unit, tokens["叶县"], values, True, header={"person": "王芳", "phone": "13803751234"})
    key = re.search(r'name="finding" value="(\w+)"', unit.get(f"/u/{tokens['叶县']}").text)[1]
    unit.post(f"/u/{tokens['叶县']}/explain", data={"finding": key, "text": "=数字无误"})
    city.post("/withdraw/鲁山")
    city.post("/links", data={"base": CITY})  # every unit has one: nothing given, nothing logged
    assert unit.get("/audit.xlsx").status_code == 403
    r = city.get("/audit.xlsx")
    assert (
        r.status_code == 200
        and "filename*=UTF-8''%E6%93%8D%E4%BD%9C" in r.headers["content-disposition"]
    )
    ws = openpyxl.load_workbook(io.BytesIO(r.content))["操作记录"]
    rows = [[c.value for c in row][1:] for row in ws.iter_rows()]
    sha = hashlib.sha256
    assert rows[0] == ["操作者", "操作", "单位", "文件 SHA-256", "说明"]
    assert rows[24:] == [  # after the 23 links the fixture gave
        ["市总", "市总代收报表", "鲁山", sha(LUSHAN.read_bytes()).hexdigest(), "=1+1.xlsx"],
        ["叶县", "单位链接上传", "叶县", sha(VALID.read_bytes()).hexdigest(), VALID.name],
        [
            "叶县",
            "单位在线填写",
            "叶县",
            Campaign(tmp_path).store.history("pingdingshan-2010", "叶县")[0].sha256,
            "叶县_在线填报.xlsx",
        ],
        ["叶县", "写核实说明", "叶县", None, "=数字无误"],
        ["市总", "撤回报送", "鲁山", None, None],
    ]
    assert rows[1] == ["市总", "发放链接", "叶县", None, None] and len(rows) == 29
    assert ws["F25"].data_type == "s" and ws["F28"].data_type == "s"  # text, never a formula


def test_behind_a_proxy_its_public_name_is_admitted_and_the_city_needs_its_token(
    tmp_path, monkeypatch
):
    """`wenuan serve --allow-host wenuan.example.org:443` on loopback, Caddy in front: units and
    the city come in through loopback, so the city's pages need the token there too."""
    import socket

    import uvicorn

    ran = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.append(app))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["serve", "--dir", str(tmp_path), "--port", str(port), "--no-browser"]
    args += ["--form", "pingdingshan-2010", "--allow-host", "wenuan.example.org:443"]
    r = CliRunner().invoke(cli_app, args)
    token = re.search(r"\?token=(\S+)", r.output)[1]
    public = "https://wenuan.example.org"
    unit_token = Campaign(tmp_path).links(public)[0].url.rsplit("/", 1)[1]
    browser = TestClient(ran[-1], base_url=public, headers={"Origin": public})
    assert browser.get("/").status_code == 403  # the world, through the proxy
    assert browser.get(f"/?token={token}").status_code == 200
    browser.cookies.clear()
    assert browser.get(f"/u/{unit_token}").status_code == 200
    assert sent(browser, unit_token, VALID).status_code == 200
    assert (
        TestClient(ran[-1], base_url="https://wenuan.example.org:8443").get("/").status_code == 421
    )
    assert Hosts.bound("127.0.0.1", 8765, ["wenuan.lan:8080"]).admit("wenuan.lan:8080")
    assert not Hosts.bound("127.0.0.1", 8765, ["wenuan.lan:8080"]).admit("wenuan.lan")


def test_the_days_left_as_the_unit_page_says_them():
    from wenuan.web.units import days_left_words

    assert [days_left_words(d) for d in (3, 0, -2, None)] == [
        "还有 3 天",
        "今天截止",
        "已过 2 天",
        "",
    ]
