"""`wenuan forms`, `wenuan show` and `--version` through the CLI."""

import json
import shutil
from datetime import date

import pytest
from conftest import golden
from typer.testing import CliRunner

from wenuan import __version__, forms, present
from wenuan.cli import app

runner = CliRunner()


def invoke(*args, **kw):
    return runner.invoke(app, list(args), **kw)


def test_version():
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"wenuan {__version__}\n")


def test_forms_text():
    result = invoke("forms")
    assert result.exit_code == 0
    golden("forms_expected.txt", result.stdout)


def test_forms_json_is_the_library_data():
    result = invoke("forms", "--format", "json")
    assert result.exit_code == 0
    entries = forms.catalogue()
    loaded = {fid: forms.load_entry(e) for fid, e in entries.items()}
    assert json.loads(result.stdout) == present.forms_data(entries, loaded, date.today())
    first = json.loads(result.stdout)[0]
    assert {"id", "city", "title", "tables"} <= set(first)


@pytest.mark.parametrize("form_id", ["pingdingshan-2010", "ezhou-2022"])
def test_show_text(form_id):
    result = invoke("show", form_id)
    assert result.exit_code == 0
    golden(f"show_{form_id}_expected.txt", result.stdout)


def test_show_english():
    result = invoke("show", "ezhou-2022", "--lang", "en")
    assert result.exit_code == 0
    golden("show_ezhou-2022_en_expected.txt", result.stdout)


def test_show_json_is_the_library_data():
    result = invoke("show", "pingdingshan-2010", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == present.form_data(forms.get_form("pingdingshan-2010"))
    swn = data["tables"][0]
    assert swn["items"][0] == {
        "code": "01A",
        "seq": "01",
        "label": "当地职工总数",
        "unit": "人",
        "values": [{"code": "01A", "unit": "人", "label": None}],
        "required": True,
        "reconstructed": False,
        "note": None,
        "items": [],
    }
    row08 = swn["items"][8]["items"][0]
    assert (row08["code"], row08["unit"], [v["code"] for v in row08["values"]]) == (
        "08A",
        "名/万元",
        ["08A[名]", "08A[万元]"],
    )
    assert swn["rules"][0]["expr"] == "05A = 05B + 05C + 05D"
    returns = data["deadlines"][0]
    assert (returns["date"], returns["weekday"], returns["workday"]) == ("2010-02-01", 1, True)


def test_unknown_form_is_a_usage_error():
    result = invoke("show", "nowhere-2030")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：没有名为 nowhere-2030 的表式。现有：ezhou-2022")


def _user_form(tmp_path, title="用户改过的鄂州表式"):
    src = forms.builtin_dir() / "ezhou-2022.yaml"
    text = src.read_text(encoding="utf-8").replace(
        "title: 鄂州市总工会关于2022年春节期间组织开展送温暖活动的通知", f"title: {title}"
    )
    (tmp_path / "ezhou-2022.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_user_form_overrides_builtin_and_forms_says_so(tmp_path):
    result = invoke("forms", "--forms", str(_user_form(tmp_path)))
    assert result.exit_code == 0
    assert "ezhou-2022  鄂州  用户改过的鄂州表式\n" in result.stdout
    assert f"    来源：{tmp_path / 'ezhou-2022.yaml'}（覆盖内置）\n" in result.stdout
    data = json.loads(invoke("forms", "--forms", str(tmp_path), "--format", "json").stdout)
    assert [r["overrides_builtin"] for r in data if r["id"] == "ezhou-2022"] == [True]


def test_forms_directory_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WENUAN_FORMS", str(_user_form(tmp_path, "环境变量表式")))
    result = invoke("show", "ezhou-2022")
    assert result.stdout.startswith("ezhou-2022  环境变量表式\n")


def test_new_form_in_user_directory(tmp_path):
    shutil.copy(forms.builtin_dir() / "ezhou-2022.yaml", tmp_path / "x.yaml")
    text = (
        (tmp_path / "x.yaml")
        .read_text(encoding="utf-8")
        .replace("id: ezhou-2022", "id: ezhou-2023")
    )
    (tmp_path / "x.yaml").unlink()
    (tmp_path / "ezhou-2023.yaml").write_text(text, encoding="utf-8")
    result = invoke("forms", "--forms", str(tmp_path), "--format", "json")
    ids = [r["id"] for r in json.loads(result.stdout)]
    assert "ezhou-2023" in ids and "ezhou-2022" in ids


def test_broken_user_form_is_reported_with_file_and_line(tmp_path):
    path = tmp_path / "ezhou-2022.yaml"
    text = (forms.builtin_dir() / "ezhou-2022.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("expr: F = F1 + F2 + F3", "expr: F = F1 + F2 + F9"), encoding="utf-8"
    )
    line = text.splitlines().index("        expr: F = F1 + F2 + F3") + 1
    result = invoke("show", "ezhou-2022", "--forms", str(tmp_path))
    assert result.exit_code == 2
    assert (
        result.stderr == f"错误：表式文件 {path} 第 {line} 行：规则 swn-F 引用了不存在的代码 F9\n"
    )


def test_missing_forms_directory(tmp_path):
    result = invoke("forms", "--forms", str(tmp_path / "nope"), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == f"Error: forms directory does not exist: {tmp_path / 'nope'}\n"
