"""The design card's three uses, typed as the card writes them, each in an empty folder."""

import json
import os
import shlex
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from conftest import write_return
from typer.testing import CliRunner

import wenuan
from wenuan.checking import samples, validate
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import render

ALL = forms.Library()
EXAMPLES = Path(__file__).parents[1] / "examples"
README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
REFERENCE = (Path(__file__).parents[1] / "docs" / "reference.md").read_text(encoding="utf-8")
VALIDATE = "wenuan validate return.xlsx"
RENDER = "wenuan render --form ezhou-2022"
CONSOLIDATE = "wenuan consolidate returns/ -o 合计.xlsx --format json"
TABLE = "鄂州2022送温暖统计表.xlsx"
runner = CliRunner()


@pytest.fixture
def here(tmp_path, monkeypatch):
    """An empty folder, the current one."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def typed(line: str, *more: str):
    """Run a line as typed (`wenuan …`), and any words after it."""
    words = shlex.split(line)
    assert words[0] == "wenuan"
    return runner.invoke(app, words[1:] + list(more))


def returns(folder: Path, units=("鄂城区", "华容区")) -> Path:
    """Consistent ezhou-2022 returns of the units, one file each."""
    folder.mkdir()
    form = ALL["ezhou-2022"]
    for i, unit in enumerate(units):
        write_return(folder / f"{i}.xlsx", form, samples.consistent(form, i), unit)
    return folder


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("line", [VALIDATE, RENDER, CONSOLIDATE])
def test_the_docs_show_each_line_as_typed_in_the_table_and_the_quick_start(line):
    table = REFERENCE.split("## Commands 命令\n", 1)[1].strip().split("\n\n", 1)[0]
    quick = README.split("## 快速上手（中文）", 1)[1].split("\n## ", 1)[0]
    assert f"`{line}`" in table and f"`{line}`" in quick


def test_validate_return_xlsx(here):
    shutil.copy(EXAMPLES / "ezhou-2022_valid.xlsx", here / "return.xlsx")
    result = typed(VALIDATE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "✓ return.xlsx  ezhou-2022  鄂城区总工会  通过\n"
    assert listing(here) == ["return.xlsx"]  # a check writes nothing


def test_render_form_writes_the_official_table_under_its_chinese_name(here):
    result = typed(RENDER)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"已写出 {TABLE}\n"
    assert listing(here) == [TABLE]
    ws = openpyxl.load_workbook(here / TABLE)["2022年春节期间各级工会送温暖统计表"]
    assert ws["A1"].value == "2022年春节期间各级工会送温暖统计表"
    assert ws["B6"].value == "A" and ws["E6"].value is None  # the blank table: no data given
    assert json.loads(typed(RENDER, "--format", "json", "--force").stdout) == {"written": TABLE}


def test_render_twice_is_refused_not_numbered_and_force_replaces(here):
    assert typed(RENDER).exit_code == 0
    before = (here / TABLE).read_bytes()
    again = typed(RENDER)
    assert (again.exit_code, again.stdout) == (2, "")
    assert again.stderr == f"错误：{TABLE} 已存在；要覆盖请加 --force，或用 -o 另取文件名\n"
    english = typed(RENDER, "--lang", "en")
    assert english.stderr == (
        f"Error: {TABLE} exists; add --force to overwrite it, or -o to write another file\n"
    )
    assert listing(here) == [TABLE] and (here / TABLE).read_bytes() == before
    forced = typed(RENDER, "--force")
    assert (forced.exit_code, forced.stderr) == (0, f"已写出 {TABLE}\n")
    assert listing(here) == [TABLE]


def test_render_with_data_adds_the_unit_to_the_name(here):
    shutil.copy(EXAMPLES / "ezhou-2022_valid.xlsx", here / "return.xlsx")
    result = typed(RENDER, "--data", "return.xlsx")
    name = "鄂州2022送温暖统计表_鄂城区总工会.xlsx"
    assert (result.exit_code, result.stderr) == (0, f"已写出 {name}\n")
    assert listing(here) == ["return.xlsx", name]
    figures = validate.validate_file(here / name, ALL, validate.Options())
    assert (
        figures.values
        == validate.validate_file(here / "return.xlsx", ALL, validate.Options()).values
    )
    assert typed(RENDER, "-o", "其他.xlsx").stderr == "已写出 其他.xlsx\n"  # -o keeps its meaning


def test_a_unit_from_the_file_is_made_safe_in_the_name(here):
    form = ALL["ezhou-2022"]
    write_return(here / "r.xlsx", form, samples.consistent(form), "../鄂城\u202e区:总工会")
    result = typed(RENDER, "--data", "r.xlsx")
    name = "鄂州2022送温暖统计表_.._鄂城_区_总工会.xlsx"
    assert (result.exit_code, result.stderr) == (0, f"已写出 {name}\n")
    assert listing(here) == ["r.xlsx", name]


@pytest.mark.parametrize(
    "form_id, name",
    [
        ("ezhou-2022", "鄂州2022送温暖统计表.xlsx"),
        ("jiaozuo-2019", "焦作2019送温暖统计表.xlsx"),
        ("jiaozuo-2023", "焦作2023冬日送温暖·工会在行动统计表.xlsx"),
        ("pingdingshan-2010", "平顶山2010送温暖工程统计表.xlsx"),
        ("zhengzhou-2021", "郑州2021“工会进万家”调研走访慰问活动情况汇总表.xlsx"),
    ],
)
def test_default_name_of_each_form(form_id, name):
    assert render.default_name(ALL[form_id], render.Data()) == name


def test_consolidate_without_o_writes_nothing_and_says_so(here):
    returns(here / "returns")
    result = typed("wenuan consolidate returns/")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "汇总 ezhou-2022：2 个单位，2 个文件\n"
        "未报送（3）：梁子湖区总工会、葛店开发区总工会、临空经济区总工会\n"
    )
    assert result.stderr == "未写出汇总表（没有给 -o）；要写出，加 -o 合计.xlsx\n"
    as_json = typed("wenuan consolidate returns/ --format json")
    assert as_json.stderr == result.stderr
    english = typed("wenuan consolidate returns/ --lang en")
    assert english.stderr == "no total was written (no -o given); add -o total.xlsx to write it\n"
    assert listing(here) == ["returns"]
    written = typed(CONSOLIDATE)
    assert (written.exit_code, written.stderr) == (0, "")
    assert written.stdout == as_json.stdout  # the same JSON, file or no file
    assert listing(here) == ["returns", "合计.xlsx"]


SCRIPT = f"""{CONSOLIDATE} > 合计.json
echo "wenuan: $?"
"""


def run_script(folder: Path) -> subprocess.CompletedProcess:
    """The card's consolidation line in a shell script, the `wenuan` on PATH running the
    sources under test."""
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(Path(wenuan.__file__).parents[1]),
        "WENUAN_LANG": "zh",
    }
    (folder / "batch.sh").write_text(SCRIPT, encoding="utf-8")
    return subprocess.run(
        ["sh", "batch.sh"], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_consolidation_in_a_shell_script(tmp_path):
    if not (Path(sys.executable).parent / "wenuan").exists():
        pytest.skip("no `wenuan` console script beside this Python (not installed)")
    returns(tmp_path / "returns")
    first = run_script(tmp_path)
    assert (first.stdout, first.stderr) == ("wenuan: 0\n", "")
    data = json.loads((tmp_path / "合计.json").read_text(encoding="utf-8"))
    assert (data["form"], data["refused"], [u["unit"] for u in data["units"]]) == (
        "ezhou-2022",
        False,
        ["鄂城区总工会", "华容区总工会"],
    )
    total = validate.validate_file(tmp_path / "合计.xlsx", ALL, validate.Options())
    assert total.errors == 0 and total.values == {k: D(v) for k, v in data["total"].items()}
    again = run_script(tmp_path)  # the total is there: kept, exit 2, the JSON file emptied
    assert again.stdout == "wenuan: 2\n"
    assert again.stderr == "错误：合计.xlsx 已存在；要覆盖请加 --force\n"
    (tmp_path / "合计.xlsx").unlink()
    form = ALL["ezhou-2022"]
    write_return(tmp_path / "returns" / "2.xlsx", form, samples.consistent(form, 2), "鄂城区总工会")
    refused = run_script(tmp_path)  # 鄂城区 twice: nothing written, exit 1, the refusal in JSON
    assert refused.stdout == "wenuan: 1\n"
    assert json.loads((tmp_path / "合计.json").read_text(encoding="utf-8"))["refused"] is True
    assert not (tmp_path / "合计.xlsx").exists()
