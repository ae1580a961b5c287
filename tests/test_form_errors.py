"""A broken form file is refused with one message naming the file, the line and the problem."""

import pytest

from wenuan.errors import FormFileError
from wenuan.forms.model import load_form

GOOD = """\
id: demo
city: 测试
union: 测试市总工会
title: 测试通知
campaign: 测试
source: none
deadlines:
  - id: returns
    what: 统计表
    when: 2010-02-01
    text: 2月1日前
    tables: [t]
tables:
  - id: t
    title: 测试表
    items:
      - {code: 01A, label: 总数, unit: 万元}
      - {code: 01B, label: 其中甲, unit: 万元}
      - {code: 01C, label: 其中乙, unit: 万元}
    rules:
      - {id: r1, expr: 01A = 01B + 01C, basis: 注}
"""


def _load(tmp_path, text):
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    return path, load_form(path)


def test_the_good_file_loads_and_keeps_codes_as_strings(tmp_path):
    _, form = _load(tmp_path, GOOD)
    assert list(form.tables[0].cells) == ["01A", "01B", "01C"]
    assert form.tables[0].rules[0].kind == "identity"


BROKEN = [
    (
        "unknown-key",
        (
            "      - {code: 01C, label: 其中乙, unit: 万元}",
            "      - {code: 01C, lable: 其中乙, unit: 万元}",
        ),
        19,
        "未知的键 “lable”",
    ),
    (
        "duplicate-key",
        ("city: 测试\n", "city: 测试\ncity: 别的\n"),
        3,
        "键 “city” 重复（第 2 行已有）",
    ),
    ("duplicate-code", ("{code: 01C,", "{code: 01B,"), 19, "代码 01B 重复（表 t）"),
    ("unknown-ref", ("01A = 01B + 01C", "01A = 01B + 01D"), 21, "规则 r1 引用了不存在的代码 01D"),
    (
        "unknown-unit",
        ("label: 其中乙, unit: 万元", "label: 其中乙, unit: 千元"),
        19,
        "未知的计量单位 “千元”",
    ),
    ("bad-date", ("when: 2010-02-01", "when: 2010年13月1日"), 10, "日期 “2010年13月1日” 无法解析"),
    ("missing-key", ("title: 测试通知\n", ""), 1, "缺少必填的键 “title”"),
    (
        "deadline-text-without-a-day",
        ("text: 2月1日前", "text: 报市总保障部"),
        11,
        "截止时间 returns 的 text 应引用通知中写明日期的那句话，这句没有日期",
    ),
    (
        "mixed-units",
        ("unit: 万元}\n      - {code: 01C", "unit: 户}\n      - {code: 01C"),
        21,
        "规则 r1 把不同单位的数相加或比较：01A（万元）、01B（户）、01C（万元）",
    ),
    (
        "mapping-as-key",
        ("city: 测试\n", "city: 测试\n{a: b}: c\n"),
        3,
        "键必须是一个词，不能是列表或键值对",
    ),
    ("bad-expr", ("01A = 01B + 01C", "01A + 01B"), 21, "规则 r1 的表达式无法理解"),
    ("yaml-syntax", ("    title: 测试表", "    title: [测试表"), 16, "YAML 语法错误"),
    (
        "python-tag",
        ("source: none", "source: !!python/object:os.system none"),
        6,
        "不支持 YAML 标签",
    ),
    ("alias", ("tables: [t]", "tables: &x [t]\n    to: *x"), 12, "不支持 YAML 锚点和别名"),
    (
        "bad-scope",
        (
            "      - {id: r1, expr: 01A = 01B + 01C, basis: 注}",
            "      - {id: r1, expr: 01A = 01B + 01C, basis: 注, scope: county}",
        ),
        21,
        "“scope” 的值不对：Input should be 'unit', 'total' or 'both'",
    ),
]


@pytest.mark.parametrize(
    "old_new, line, message", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_form_names_file_line_and_problem(tmp_path, old_new, line, message):
    old, new = old_new
    assert old in GOOD
    with pytest.raises(FormFileError) as exc:
        _load(tmp_path, GOOD.replace(old, new, 1))
    text = str(exc.value)
    assert text.startswith(f"表式文件 {tmp_path / 'demo.yaml'} 第 {line} 行："), text
    assert message in text


def test_scope_is_kept_and_says_whose_return_a_rule_judges(tmp_path):
    text = GOOD.replace("basis: 注}", "basis: 注, scope: unit}")
    _, form = _load(tmp_path, text)
    rule = form.tables[0].rules[0]
    assert (rule.scope, rule.judges(total=False), rule.judges(total=True)) == ("unit", True, False)
    _, form = _load(tmp_path, GOOD)
    assert form.tables[0].rules[0].scope == "both"


def test_cycle_of_identities(tmp_path):
    text = GOOD.replace(
        "      - {id: r1, expr: 01A = 01B + 01C, basis: 注}",
        "      - {id: r1, expr: 01A = 01B + 01C, basis: 注}\n"
        "      - {id: r2, expr: 01B = 01A + 01C, basis: 注}",
    )
    with pytest.raises(FormFileError) as exc:
        _load(tmp_path, text)
    assert exc.value.line == 22
    assert exc.value.problem == "恒等式循环：01A → 01B → 01A"


def test_billion_laughs_is_refused_not_expanded(tmp_path):
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(FormFileError) as exc:
        _load(tmp_path, lol)
    assert exc.value.line == 1
    assert "锚点和别名" in exc.value.problem


def test_english_messages(tmp_path):
    from wenuan.words.messages import set_lang

    set_lang("en")
    with pytest.raises(FormFileError) as exc:
        _load(tmp_path, GOOD.replace("unit: 万元}", "unit: 千元}", 1))
    assert str(exc.value).startswith(
        f"form file {tmp_path / 'demo.yaml'}, line 17: unknown unit '千元'"
    )


def test_second_load_comes_from_the_cache_and_keeps_lines(tmp_path, monkeypatch):
    from ruamel.yaml import YAML

    broken = GOOD.replace("01A = 01B + 01C", "01A = 01B + 01D")
    for _ in range(2):  # parse, then from the cache: the same message and line
        with pytest.raises(FormFileError) as exc:
            _load(tmp_path, broken)
        assert (exc.value.line, exc.value.problem) == (21, "规则 r1 引用了不存在的代码 01D")
        monkeypatch.setattr(YAML, "compose", lambda *a: pytest.fail("parsed again"))
    _, form = _load(tmp_path, broken.replace("01D", "01C"))  # new bytes: parsed anew
    assert form.id == "demo"


def test_a_checked_form_comes_back_from_the_cache_unchecked_for_the_same_bytes_and_code(
    tmp_path, monkeypatch
):
    from wenuan.forms import model

    path, first = _load(tmp_path, GOOD)
    monkeypatch.setattr(model.Form, "model_validate", lambda *a: pytest.fail("checked again"))
    again = load_form(path)
    assert again == first and again is not first and again.file == path
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "demo.yaml").write_bytes(path.read_bytes())
    assert load_form(moved / "demo.yaml").file == moved / "demo.yaml"  # where it is now
    with pytest.raises(pytest.fail.Exception, match="checked again"):
        _load(tmp_path, GOOD.replace("测试通知", "另一通知"))  # new bytes: checked anew
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(model, "_code_stamp", lambda: "other code")
    with pytest.raises(pytest.fail.Exception, match="checked again"):
        load_form(path)  # the same bytes checked by other code: checked again


def test_a_damaged_cache_entry_is_checked_again(tmp_path):
    from wenuan.forms import yamlfile

    path, first = _load(tmp_path, GOOD)
    raw = path.read_bytes()
    for entry in yamlfile.cache_dir().glob("checked-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_form(path) == first
    assert raw == path.read_bytes()


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    from wenuan.forms import yamlfile

    monkeypatch.setenv("WENUAN_CACHE", "off")
    assert yamlfile.cache_dir() is None
    _, form = _load(tmp_path, GOOD)
    assert form.id == "demo"


def test_openpyxl_parses_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(GOOD) - 1),
            st.sampled_from(
                [
                    ":",
                    "-",
                    " ",
                    "\n",
                    "[",
                    "]",
                    "{",
                    "}",
                    "&a",
                    "*a",
                    "!!python/object ",
                    "01",
                    "x",
                    "#",
                    "'",
                    "",
                ]
            ),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fuzzed_form_files_load_or_say_file_and_line(tmp_path, edits):
    text = GOOD
    for at, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at + 1 :]
    try:
        _load(tmp_path, text)
    except FormFileError as e:
        assert str(e).startswith(f"表式文件 {tmp_path / 'demo.yaml'} 第 ")


# ---- form files of any depth or size: exit 2 naming file and line, never a RecursionError ----

HUGE = [
    ("yaml-flow-5000-deep", ("source: none", "source: " + "[" * 5000 + "]" * 5000), 6,
     "嵌套过深（超过 32 层）", "nested too deep (more than 32 levels)"),
    ("yaml-block-1000-deep", ("source: none\n", "source: none\nnote:\n" + "".join(
     " " * i + "-\n" for i in range(1, 1000))), 7 + 32, "嵌套过深（超过 32 层）", "nested too deep (more than 32 levels)"),
    ("items-3000-deep", ("{code: 01C, label: 其中乙, unit: 万元}",
     "{code: X, label: x, items: [" * 3000 + "{code: 01C, label: y, unit: 万元}" + "]}" * 3000), 19,
     "嵌套过深（超过 32 层）", "nested too deep (more than 32 levels)"),
    ("10000-parentheses", ("01A = 01B + 01C", "01A = " + "(" * 10000 + "01B" + ")" * 10000), 21,
     "规则 r1 的表达式无法理解：表达式过长（超过 500 个符号）",
     "rule r1: cannot read the expression: expression too long (over 500 symbols)"),
    ("200-parentheses", ("01A = 01B + 01C", "01A = " + "(" * 200 + "01B" + ")" * 200), 21,
     "规则 r1 的表达式无法理解：括号嵌套过深（超过 30 层）",
     "rule r1: cannot read the expression: brackets nested too deep (over 30)"),
    ("200-minus-signs", ("01A = 01B + 01C", "01A = " + "-" * 200 + "01B"), 21,
     "规则 r1 的表达式无法理解：括号嵌套过深（超过 30 层）",
     "rule r1: cannot read the expression: brackets nested too deep (over 30)"),
    ("sum-of-20000", ("01A = 01B + 01C", "01A = " + " + ".join(["01B"] * 20000)), 21,
     "规则 r1 的表达式无法理解：表达式过长（超过 500 个符号）",
     "rule r1: cannot read the expression: expression too long (over 500 symbols)"),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("old_new, line, zh, en", [h[1:] for h in HUGE], ids=[h[0] for h in HUGE])
def test_a_form_file_of_any_depth_is_refused_with_file_and_line(
    tmp_path, old_new, line, zh, en, lang
):
    from typer.testing import CliRunner

    from wenuan.cli import app

    old, new = old_new
    assert old in GOOD
    path = tmp_path / "demo.yaml"
    path.write_text(GOOD.replace(old, new, 1), "utf-8")
    result = CliRunner().invoke(app, ["show", "demo", "--forms", str(tmp_path), "--lang", lang])
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"错误：表式文件 {path} 第 {line} 行：{zh}\n"
        if lang == "zh"
        else f"Error: form file {path}, line {line}: {en}\n"
    )


def test_a_long_chain_of_identities_is_walked_without_recursion(tmp_path):
    n = 2000  # deeper than Python's recursion limit; the loop back is found, with its line
    chain = "".join(
        f"      - {{id: c{i}, expr: X{i} = X{i + 1} + 01B, basis: 注}}\n" for i in range(n)
    )
    chain += f"      - {{id: back, expr: X{n} = X0 + 01B, basis: 注}}\n"
    items = "".join(f"      - {{code: X{i}, label: x, unit: 万元}}\n" for i in range(n + 1))
    text = GOOD.replace("    rules:\n", "    rules:\n" + chain).replace(
        "    rules:\n", items + "    rules:\n"
    )
    with pytest.raises(FormFileError) as exc:
        _load(tmp_path, text)
    assert exc.value.line == text.splitlines().index(chain.splitlines()[-1]) + 1
    assert exc.value.problem.startswith("恒等式循环：X0 → X1 → X2 → ")
    assert exc.value.problem.endswith(f" → X{n} → X0")
