import os
from pathlib import Path

import pytest
from hypothesis import settings

from wenuan.words.messages import set_lang

# CI runs the same examples every time (a red CI then names a reproducible case);
# a developer's runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parents[1] / "examples"
UPDATE = os.environ.get("WENUAN_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """Parsed form files are cached in a folder of the test run's own, never the user's."""
    os.environ["WENUAN_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _chinese_and_clean_env(monkeypatch):
    """Every test starts in Chinese with no user form directories."""
    monkeypatch.delenv("WENUAN_FORMS", raising=False)
    monkeypatch.delenv("WENUAN_LANG", raising=False)
    set_lang("zh")
    yield
    set_lang("zh")


def golden(name: str, actual: str) -> None:
    """Compare `actual` with tests/fixtures/<name>, whole; WENUAN_UPDATE_GOLDEN=1 rewrites it."""
    path = FIXTURES / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"golden file {name} differs (WENUAN_UPDATE_GOLDEN=1 rewrites it)"


def write_return(path: Path, form, values: dict, unit: str) -> Path:
    """A return in wenuan's template with the figures given, filled in as 王芳 of `unit` on
    2010-01-28 (on time for every form's tests)."""
    from datetime import date

    from wenuan.outputs import writing

    head = {"unit": unit, "person": "王芳", "phone": "0375-2916465", "date": date(2010, 1, 28)}
    writing.save_atomically(writing.filled(form, values, head), path, force=True)
    return path


def example_figures(form, changes: dict | None = None) -> dict:
    """The figures of examples/<form>_valid.xlsx (examples/figures.yaml, its totals added up),
    with `changes` ("table:ref" -> text) made before the totals are added up again."""
    from decimal import Decimal

    from wenuan.checking import samples
    from wenuan.forms import yamlfile

    data, _ = yamlfile.load(EXAMPLES / "figures.yaml")
    given = {k: Decimal(v) for k, v in {**data[form.id], **(changes or {})}.items()}
    return samples.added_up(form, given)
