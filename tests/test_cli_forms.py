"""`wenuan forms`, `wenuan show` and `--version` through the CLI."""

import json
import shutil
from datetime import date

import pytest
from conftest import golden
from typer.testing import CliRunner

from wenuan import __version__
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.words import present

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
    (payees,) = data["lists"]
    assert payees["columns"][1] == {
        "name": "公民身份号码",
        "kind": "id_number",
        "words": ["身份证号码", "身份证号", "身份证", "证件号码"],
        "required": True,
    }
    (in_period,) = payees["rules"]
    assert (in_period["start_date"], in_period["end_date"]) == ("2009-12-21", "2010-02-13")
    assert payees["register_check"] == {"payees": "依档帮扶，实名制发放。", "coverage": None}
    recon = payees["reconcile"]
    assert (recon["count"], recon["amount"], recon["amount_part"]) == ("04B", "06A", True)
    assert recon["amount_tolerance"] == "0.005"


def test_show_text_of_a_list_with_an_age_and_an_amount_rule():
    result = invoke("show", "zhengzhou-2021")
    assert result.exit_code == 0
    text = result.stdout.split("【实名制发放明细 models-70】")[1]
    assert "    models-1000  错误  类别含“全国劳模”者每人 1000 元\n" in text
    assert "    models-70  错误  类别含“全国劳模”者2021-07-01 满 70 周岁\n" in text
    assert "    by-card  错误  发到银行卡，不用现金、存折\n" in text


def test_a_bad_scope_in_a_user_form_is_exit_2_with_file_and_line(tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    src = forms.builtin_dir() / "zhengzhou-2021.yaml"
    text = src.read_text(encoding="utf-8").replace(
        "        scope: unit", "        scope: district", 1
    )
    (folder / "zhengzhou-2021.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("        scope: district") + 1
    result = invoke("--forms", str(folder), "show", "zhengzhou-2021")
    assert result.exit_code == 2
    assert f"表式文件 {folder / 'zhengzhou-2021.yaml'} 第 {line} 行：“scope” 的值不对" in (
        result.stderr
    )


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


# ---- the command line in the clerk's language ------------------------------------------------

COMMANDS = ["forms", "show", "template", "validate", "consolidate", "status", "render"]
ENGLISH = [
    "Usage", "Options", "Arguments", "Commands", "required]", "default:", "env var",
    "Show this message", "Missing", "No such", "Did you mean", "Try ", "Error", "Invalid value",
    "Got unexpected", "requires an argument", "does not take", "Aborted", "is not one of",
    "<list", "<bool>", "<str>", "<path>", "{", "...",
]  # fmt: skip
COMMON_MISTAKES = [
    [],
    ["valdate", "x.xlsx"],
    ["template", "ezhou-2022"],
    ["show"],
    ["show", "ezhou-2022", "--format", "xml"],
    ["validate", "--bogus", "x.xlsx"],
    ["forms", "extra"],
    ["forms", "--lang"],
    ["validate", "--strict=yes", "x.xlsx"],
    ["status", "x"],
]


@pytest.mark.parametrize("args", [[c, "--help"] for c in COMMANDS] + [["--help"]] + COMMON_MISTAKES,
                         ids=lambda a: " ".join(a) or "nothing")  # fmt: skip
def test_no_framework_english_where_a_clerk_meets_it(args):
    result = invoke(*args)
    shown = result.stdout + result.stderr
    assert result.exit_code in (0, 2)
    assert shown.strip()
    assert [w for w in ENGLISH if w in shown] == [], shown


def test_usage_errors_in_chinese_and_in_english():
    result = invoke("valdate", "x.xlsx", prog_name="wenuan")
    assert (result.exit_code, result.stderr) == (
        2,
        "用法：wenuan [选项] 命令 [参数]…\n用 'wenuan -h' 查看帮助。\n\n"
        "错误：没有命令 'valdate'。你是不是要用 'validate'？\n",
    )
    missing = invoke("template", "ezhou-2022")
    assert missing.stderr.endswith("错误：缺少选项 '-o' / '--output'。\n")
    english = invoke("--lang", "en", "template", "ezhou-2022")
    assert english.stderr.endswith("Error: Missing option '-o' / '--output'.\n")


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_h_is_help_and_metavars_read(command):
    short, long = invoke(command, "-h"), invoke(command, "--help")
    assert short.exit_code == long.exit_code == 0
    assert short.stdout == long.stdout
    assert "--format text|json" in short.stdout and "--lang zh|en" in short.stdout
    assert "--forms 文件夹" in short.stdout


def test_root_help_lists_every_command_whole():
    shown = " ".join(invoke("-h").stdout.split())
    for name in COMMANDS:
        first = typer_help(name).splitlines()[0]
        assert " ".join(first.split()) in shown


def typer_help(name):
    import typer

    from wenuan.words.messages import t

    return t(typer.main.get_command(app).commands[name].help)  # a catalogue key, in zh


def test_shared_options_before_the_command():
    assert (
        invoke("--lang", "en", "show", "ezhou-2022").stdout
        == invoke("show", "ezhou-2022", "--lang", "en").stdout
    )
    assert invoke("--lang", "en", "-h").stdout.startswith("Usage: root [OPTIONS] COMMAND")
    assert invoke("--lang", "en").stderr.startswith("Usage: root [OPTIONS] COMMAND [ARGS]...")
    data = invoke("--format", "json", "--lang=en", "forms")
    assert data.exit_code == 0 and json.loads(data.stdout)[0]["id"] == "ezhou-2022"


def test_template_and_render_take_format_json(tmp_path):
    out = tmp_path / "空白.xlsx"
    result = invoke("--format", "json", "template", "ezhou-2022", "-o", str(out))
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"written": str(out)})
    table = tmp_path / "表.xlsx"
    result = invoke("render", "--form", "ezhou-2022", "-o", str(table), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"written": str(table)})


@pytest.mark.parametrize(
    "name, form_id",
    [
        ("平顶山 2010", "pingdingshan-2010"),
        ("平顶山2010", "pingdingshan-2010"),
        ("平顶山市2010年", "pingdingshan-2010"),
        ("鄂州 2022", "ezhou-2022"),
        ("鄂州", "ezhou-2022"),
        ("焦作 2023", "jiaozuo-2023"),
    ],
)
def test_a_form_is_named_by_city_and_year(name, form_id):
    result = invoke("show", name)
    assert result.exit_code == 0
    assert result.stdout == invoke("show", form_id).stdout


def test_near_misses_and_ambiguous_cities_get_a_did_you_mean():
    known = "ezhou-2022、jiaozuo-2019、jiaozuo-2023、pingdingshan-2010、zhengzhou-2021"
    assert invoke("show", "pingdingshan-2011").stderr == (
        f"错误：没有名为 pingdingshan-2011 的表式。你是不是要用 pingdingshan-2010？现有：{known}\n"
    )
    assert invoke("show", "焦作").stderr == (
        f"错误：没有名为 焦作 的表式。你是不是要用 jiaozuo-2019、jiaozuo-2023？现有：{known}\n"
    )
    status = invoke("status", ".", "--form", "平顶山 2011")
    assert status.exit_code == 2
