"""Every command has help text and is documented: in the README, the reference and the guide;
the README's commands run as written, and every link in the docs resolves."""

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from wenuan.cli import app
from wenuan.words.messages import CATALOGUE

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "使用说明.md").read_text(encoding="utf-8")
COMMANDS = [c.name for c in typer.main.get_command(app).commands.values()]
CLERKS = ["validate", "consolidate", "status", "render", "template", "forms", "show", "serve"]


def section(text: str, heading: str) -> str:
    """The body of a `## heading` section, up to the next `## `."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_there_are_commands():
    assert {"forms", "show"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_readme_and_reference(name):
    command = typer.main.get_command(app).commands[name]
    zh, en = CATALOGUE[command.help]
    assert zh.strip() and en.strip()
    assert f"`wenuan {name}" in section(README, "Commands 命令")
    assert f"| `wenuan {name}" in section(REFERENCE, "Commands 命令")


@pytest.mark.parametrize("name", CLERKS)
def test_the_guide_shows_each_command_a_clerk_uses(name):
    assert re.search(rf"^(D:\\送温暖2027> )?wenuan {name}\b", GUIDE, re.M), name  # as typed


def test_readme_keeps_the_two_commands_ci_runs():
    def block(name):
        return README.split(f"<!-- {name} -->\n```\n", 1)[1].split("\n```\n<!-- /", 1)[0]

    assert block("main-command") == (
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && wenuan validate examples/"
    )
    assert block("test-command") == (
        'python3 -m venv .venv && . .venv/bin/activate && pip install ".[test]" && pytest'
    )


QUICK = section(README, "Quick start (English)").split("```sh\n", 1)[1].split("```", 1)[0]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A folder with the examples, where the quick start's lines run one after another."""
    here = tmp_path_factory.mktemp("quick")
    shutil.copytree(ROOT / "examples", here / "examples")
    return here


@pytest.mark.parametrize("line", QUICK.strip().splitlines())
def test_the_readme_quick_start_runs_as_written(line, folder, monkeypatch):
    typed, _, comment = line.partition("#")
    words = shlex.split(typed)
    assert words[0] == "wenuan"
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(app, words[1:])
    expected = int(re.match(r" exit (\d)", comment)[1]) if comment else 0
    assert result.exit_code == expected, result.output
    assert result.stdout.strip() or result.stderr.startswith("已写出")


PROMPT = "D:\\送温暖2027> "


def sessions(text: str) -> list[tuple[str, list[str]]]:
    """The guide's commands as a clerk types them after the prompt, each with the lines shown."""
    typed = []
    for block in re.findall(r"^```\n(.*?)^```$", text, flags=re.S | re.M):
        for line in block.splitlines():
            if line.startswith(PROMPT):
                typed.append((line[len(PROMPT) :], []))
            elif typed and block.startswith(PROMPT):
                typed[-1][1].append(line)
    return typed


def shows(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines shown match: a line “……” stands for any lines, “……” in a line for any text."""
    if not expected:
        return not actual
    if expected[0] == "……":
        return any(shows(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    pattern = ".*".join(map(re.escape, expected[0].split("……")))
    return bool(actual) and re.fullmatch(pattern, actual[0]) and shows(expected[1:], actual[1:])


def run_as_typed(line: str) -> str:
    """What the clerk sees: wenuan's output; notepad's text; nothing from move."""
    words = shlex.split(line.replace("\\", "/"))
    if words[0] == "notepad":
        return Path(words[1]).read_text(encoding="utf-8-sig")
    if words[:2] == ["move", "/Y"]:
        shutil.move(words[2], words[3])
        return ""
    assert words[0] == "wenuan", line
    return CliRunner().invoke(app, words[1:], prog_name="wenuan").output


def test_the_guide_shows_what_each_command_prints(tmp_path, monkeypatch):
    """The guide's commands run in order in a campaign folder: 叶县 sent a good return, 鲁山 one
    with a slip, and 鲁山's corrected return waits in 下载."""
    import openpyxl

    (tmp_path / "收到的报表").mkdir()
    (tmp_path / "下载").mkdir()
    shutil.copy(
        ROOT / "examples" / "pingdingshan-2010_valid.xlsx", tmp_path / "收到的报表" / "叶县.xlsx"
    )
    wrong = ROOT / "examples" / "own-layouts" / "鲁山_自制表_有错.xlsx"
    shutil.copy(wrong, tmp_path / "收到的报表" / "鲁山.xlsx")
    book = openpyxl.load_workbook(wrong)
    book["报表"]["D17"] = 38.5  # the swapped digits put back
    book.save(tmp_path / "下载" / "鲁山（改）.xlsx")
    monkeypatch.chdir(tmp_path)
    typed = sessions(GUIDE)
    assert len(typed) >= 12
    for line, expected in typed:
        actual = run_as_typed(line).rstrip("\n")
        shown = [e.replace("\\", "/") for e in expected]
        assert shows(shown, actual.splitlines() if actual else []), f"{line}\n{actual}"


def test_reference_example_form_loads(tmp_path):
    from wenuan.forms.model import load_form

    block = section(REFERENCE, "Writing a form 编写表式").split("```yaml\n", 1)[1].split("```")[0]
    path = tmp_path / "demo-2027.yaml"
    path.write_text(block, encoding="utf-8")
    form = load_form(path)
    table = form.tables[0]
    assert list(table.cells) == ["01A", "01B", "01C", "01D", "01E[名]", "01E[万元]"]
    assert [r.kind for r in table.rules] == ["identity", "inequality"]
    assert form.deadlines[0].date.isoformat() == "2027-01-25"  # 农历2026年腊月十八


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown file's headings."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {
        re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
        for h in re.findall(r"^#{1,6} (.+)$", text, re.M)
    }


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINKS = [
    (doc, target)
    for doc in DOCS
    for target in re.findall(
        r"\]\(([^)\s]+)\)",
        re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S),
    )
    if not target.startswith(("http://", "https://"))
]


@pytest.mark.parametrize("doc, target", LINKS, ids=[f"{d.name}→{t}" for d, t in LINKS])
def test_every_link_in_the_docs_resolves(doc, target):
    file, _, anchor = target.partition("#")
    path = (doc.parent / file).resolve() if file else doc
    assert path.is_file(), f"{doc.name}: no file {file}"
    if anchor:
        assert anchor in anchors(path), f"{doc.name}: no heading #{anchor} in {path.name}"


def test_there_are_links_to_check():
    assert len(LINKS) > 30
    assert {d.name for d, _ in LINKS} >= {"README.md", "reference.md", "使用说明.md"}
