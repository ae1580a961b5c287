"""Each unit's own link (issue 23): `wenuan links`, the unit's page, its upload and typed return,
and that a link opens nothing but its own unit's page."""

import json
import re
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from wenuan.cli import app as cli_app
from wenuan.web.campaign import Campaign, token_hash

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
