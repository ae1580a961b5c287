"""The help of the command line: Chinese by default, English with --lang en, never both."""

import re

import pytest
import typer
from typer.testing import CliRunner

from wenuan.cli import app
from wenuan.words.messages import CATALOGUE

runner = CliRunner()
COMMANDS = [c.name for c in typer.main.get_command(app).commands.values()]
HAN = re.compile(r"[\u4e00-\u9fff]")
# Chinese an English help keeps on purpose: the names of things as the notices print them
NAMES = ("平顶山", "送温暖", "汇总", "建档", "依档帮扶", "全覆盖", "填报单位", "填报人", "班", "休")


def shown(*args: str) -> str:
    result = runner.invoke(app, list(args), prog_name="wenuan", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


VALIDATE_ZH = """\
用法：wenuan validate [选项] 文件或文件夹…

  检查报表，指出错在哪一格、怎么改。

参数：
  文件或文件夹…  报表文件或文件夹。  [必填]

选项：
  --form 表式           指定表式（不给则自动识别）。
  --received 日期       收到日期，如 2022-01-26。
  --strict              警告也算不通过。
  --annotate 文件.xlsx  写出标注了错误的副本（一份报表，xlsx 或 xlsm）。
  --explain             列出每项数值取自哪个单元格、怎样认出。
  --calendar 文件       补充的节假日（每行 2027-02-06 班 或 休）。
  --previous 文件夹     上年的报表文件夹，对比数值。
  --force               覆盖已有文件。
  --format text|json    输出格式 text 或 json。  [默认：text]
  --lang zh|en          消息语言 zh（中文）或 en（英文）。  [环境变量：WENUAN_LANG; 默认：zh]
  --forms 文件夹        另加的表式文件夹（可多次）。
  -h, --help            显示本帮助并退出。
"""

VALIDATE_EN = """\
Usage: wenuan validate [OPTIONS] FILES|DIRS…

  Check returns: what is wrong, in which cell, and the likely fix.

Arguments:
  FILES|DIRS…  Return files or folders.  [required]

Options:
  --form FORM           The form (else recognized from each file).
  --received DATE       Date received, e.g. 2022-01-26.
  --strict              Warnings fail too.
  --annotate FILE.xlsx  Write a copy of one return with the wrong cells marked (xlsx or xlsm).
  --explain             Show the cell each value was read from and how its row was recognized.
  --calendar FILE       Extra days off and working days (a line each: 2027-02-06 班 or 休).
  --previous DIR        Last year's returns folder, to compare figures.
  --force               Overwrite an existing file.
  --format text|json    Output format, text or json.  [default: text]
  --lang zh|en          Message language, zh or en.  [env var: WENUAN_LANG; default: zh]
  --forms DIR           An extra folder of form files (repeatable).
  -h, --help            Show this message and exit.
"""


def test_validate_help_in_chinese_by_default():
    assert shown("validate", "-h") == VALIDATE_ZH


def test_validate_help_in_english_with_lang_en():
    assert shown("validate", "-h", "--lang", "en") == VALIDATE_EN
    assert shown("--lang", "en", "validate", "--help") == VALIDATE_EN


def test_root_help_lists_the_commands_in_one_language():
    zh, en = shown("-h"), shown("--lang", "en", "-h")
    assert "  validate     检查报表，指出错在哪一格、怎么改。\n" in zh
    assert "  serve        打开本机网页：收表、检查、催报、汇总、报告，不用命令行。\n" in zh
    assert "  validate     Check returns: what is wrong, in which cell, and the likely fix.\n" in en
    assert zh.startswith(
        "用法：wenuan [选项] 命令 [参数]…\n\n  送温暖统计表：表式、检查、汇总、催报、报告。\n"
    )
    assert en.startswith("Usage: wenuan [OPTIONS] COMMAND [ARGS]...\n\n  Statistics returns of")
    assert "--lang en 显示英文" in zh and "--lang zh shows it in Chinese" in en


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help_in_both_languages_from_the_catalogue(name):
    key = typer.main.get_command(app).commands[name].help
    assert key == "help_" + name.replace("-", "_")
    zh, en = CATALOGUE[key]
    assert HAN.search(zh) and not HAN.search(en)


HELPS = [words for key, words in CATALOGUE.items() if key.startswith("help_")]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_commands_help_holds_one_language(name):
    zh, en = shown(name, "-h"), shown(name, "-h", "--lang", "en")
    assert [e for _, e in HELPS if e[:20] in zh] == [], zh
    assert [z for z, _ in HELPS if z[HAN.search(z).start() :][:6] in en] == [], en
    for word in NAMES:
        en = en.replace(word, "")
    assert not HAN.search(en), en


def test_usage_errors_name_the_placeholders_in_the_language():
    zh = runner.invoke(app, ["validate"], prog_name="wenuan")
    en = runner.invoke(app, ["validate", "--lang", "en"], prog_name="wenuan")
    assert zh.stderr.endswith("错误：缺少参数 '文件或文件夹…'。\n")
    assert en.stderr.endswith("Error: Missing argument 'FILES|DIRS…'.\n")
