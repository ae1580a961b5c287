"""Every command has help text and is documented in the README."""

from pathlib import Path

import pytest
import typer

from wenuan.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = [c.name for c in typer.main.get_command(app).commands.values()]


def test_there_are_commands():
    assert {"forms", "show"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_is_in_readme(name):
    command = typer.main.get_command(app).commands[name]
    assert command.help and command.help.strip()
    assert f"wenuan {name}" in README


def test_readme_example_form_loads(tmp_path):
    from wenuan.forms.model import load_form

    block = README.split("## Writing a form", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "demo-2027.yaml"
    path.write_text(block, encoding="utf-8")
    form = load_form(path)
    table = form.tables[0]
    assert list(table.cells) == ["01A", "01B", "01C", "01D", "01E[名]", "01E[万元]"]
    assert [r.kind for r in table.rules] == ["identity", "inequality"]
    assert form.deadlines[0].date.isoformat() == "2027-01-25"  # 农历2026年腊月十八
