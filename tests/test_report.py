"""The Word report as people write it, and render refusing figures it cannot vouch for."""

import io
import json
import os
import re
import shutil
import subprocess
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import test_form_errors
from conftest import golden
from typer.testing import CliRunner

from wenuan.checking import samples
from wenuan.cli import app
from wenuan.errors import FormFileError, WenuanError
from wenuan.forms import model as forms
from wenuan.outputs import narrative, render, writing
from wenuan.words.messages import set_lang

EXAMPLES = Path(__file__).parents[1] / "examples"
ALL = forms.Library()
runner = CliRunner()
DAY = date(2010, 2, 1)


def _total(folder: Path, form_id: str, seeds=(0, 1, 2)) -> Path:
    """The total of three units' consistent returns, written by `wenuan consolidate`."""
    form = ALL[form_id]
    folder.mkdir(parents=True)
    for i, unit in zip(seeds, form.units, strict=False):
        head = {"unit": unit.name, "person": "王芳", "phone": "0375-2222222", "date": "2010-01-20"}
        writing.save_atomically(
            writing.filled(form, samples.consistent(form, i), head), folder / f"{i}.xlsx", True
        )
    total = folder.parent / f"{folder.name}_total.xlsx"
    result = runner.invoke(app, ["consolidate", str(folder), "-o", str(total)])
    assert result.exit_code == 0, result.output
    return total


@pytest.fixture(scope="module")
def totals(tmp_path_factory):
    base = tmp_path_factory.mktemp("totals")
    return {form_id: _total(base / form_id, form_id) for form_id in ALL}


def _report(tmp_path, form_id, total, notes=None, previous=None) -> Path:
    form = ALL[form_id]
    data = render.load_data(total, form, ALL)
    if previous:
        data.previous = render.load_previous(previous, form, ALL)
    out = tmp_path / "report.docx"
    render.render_docx(form, data, out, True, notes=notes, today=DAY)
    return out


def _read_back(path: Path) -> str:
    """The report as text: each paragraph on a line, each table's rows joined by |."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs if p.text.strip()]
    for table in document.tables[:1]:
        lines += [" | ".join(c.text.replace("\n", "") for c in row.cells) for row in table.rows]
    return "\n".join(lines) + "\n"


def _prose(path: Path) -> list[str]:
    """The report's sentences, before its 附件 (where the codes belong) and without its tables."""
    paragraphs = docx.Document(str(path)).paragraphs
    end = next(i for i, p in enumerate(paragraphs) if p.paragraph_format.page_break_before)
    return [p.text for p in paragraphs[:end]]


CODE_OR_FORMULA = re.compile(r"[A-Za-z]|[=<>≤≥]")


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_report_of_a_total_reads_as_written(tmp_path, totals, form_id):
    out = _report(tmp_path, form_id, totals[form_id])
    golden(f"report_{form_id}_expected.txt", _read_back(out))
    prose = _prose(out)
    assert [p for p in prose if CODE_OR_FORMULA.search(p)] == []
    heads = docx.Document(str(out)).tables[0].rows[0].cells
    assert [c.text for c in heads if CODE_OR_FORMULA.search(c.text)] == []
    assert prose[-2:] == [ALL[form_id].union, "2010年2月1日"]


NOTES = """\
主送：河南省总工会

## 二、主要做法
（一）领导重视，精心组织。市总成立送温暖活动领导小组。

**（二）多方筹集资金**，确保款物全部用于帮扶困难职工。

## 取得成效
困难职工普遍得到走访慰问。

## 四、困难职工状况和政策建议
困难职工多集中在停产半停产企业，建议将其家庭纳入城市低保。

## 五、存在问题
资金缺口较大。

## 下一步打算
完善常态化帮扶机制。
"""


def test_notes_and_last_year_fill_the_parts_people_write(tmp_path, totals):
    notes_file = tmp_path / "材料.md"
    notes_file.write_text(NOTES, encoding="utf-8")
    previous = _total(tmp_path / "last", "pingdingshan-2010", seeds=(5, 6))
    notes = narrative.read_notes(notes_file)
    out = _report(tmp_path, "pingdingshan-2010", totals["pingdingshan-2010"], notes, previous)
    golden("report_pingdingshan-2010_notes_expected.txt", _read_back(out))
    text = "\n".join(_prose(out))
    assert "【" not in text and "与上年相比，筹集慰问款物" in text


def test_notes_from_word_and_a_heading_that_is_no_part(tmp_path):
    document = docx.Document()
    document.add_heading("主要做法", level=1)
    document.add_paragraph("一是早部署。")
    document.add_paragraph("二是广覆盖。")
    document.add_heading("存在问题", level=2)
    document.add_paragraph("资金不足。")
    path = tmp_path / "材料.docx"
    document.save(str(path))
    assert narrative.read_notes(path) == {
        "methods": ["一是早部署。", "二是广覆盖。"],
        "problems": ["资金不足。"],
    }
    bad = tmp_path / "bad.md"
    bad.write_text("## 主要做法\n做了。\n## 其他\n别的。\n", encoding="utf-8")
    with pytest.raises(WenuanError) as e:
        narrative.read_notes(bad)
    assert str(e.value) == (
        f"材料文件 {bad} 第 3 行：“其他” 不是报告的一部分；标题请用：基本情况、做法、成效、困难职工状况、问题、打算"
    )


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not (OFFICE and shutil.which("pdftotext")), reason="LibreOffice missing")
def test_report_pdf_pages_and_the_date_never_alone(tmp_path, totals):
    out = tmp_path / "report.pdf"
    total = totals["pingdingshan-2010"]
    result = runner.invoke(
        app, ["render", "--form", "pingdingshan-2010", "--data", str(total), "-o", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages == 5  # 3 pages of report, 2 of 附件
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    page = next(p for p in text.split("\f") if "平顶山市总工会\n" in p and "年" in p)
    assert "下一步打算" in page  # the 落款 and the date keep with the last part


# ---- what render refuses ------------------------------------------------------------------------


def test_render_refuses_data_of_another_form(tmp_path, totals):
    total = totals["pingdingshan-2010"]
    args = [
        "render",
        "--form",
        "jiaozuo-2019",
        "--data",
        str(total),
        "-o",
        str(tmp_path / "r.docx"),
    ]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：无法从 {total} 取得数据：{total.name} 不是 jiaozuo-2019 的报表："
        "看起来是 pingdingshan-2010 的表式（没有找到《2019年各级工会送温暖统计表》）\n",
    )
    result = runner.invoke(app, [*args, "--lang", "en"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: cannot take figures from {total}: {total.name} is not a return of jiaozuo-2019: "
        "it looks like pingdingshan-2010 (the table “2019年各级工会送温暖统计表” is not there)\n",
    )
    assert not (tmp_path / "r.docx").exists()


def test_render_refuses_a_return_with_errors_and_lists_them(tmp_path):
    bad = EXAMPLES / "pingdingshan-2010_identity.xlsx"
    out = tmp_path / "r.docx"
    args = ["render", "--form", "pingdingshan-2010", "--data", str(bad), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and not out.exists()
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"错误：{bad} 有 1 个错误，未生成报告：数字核对无误后再生成，"
        "或加 --allow-errors 生成注明“数据未经核实”的报告"
    )
    assert lines[3].startswith(
        "    ✗ 错误 送温暖工程统计表!E19  筹集慰问款物总额 85.00 万元，不等于"
    )
    result = runner.invoke(app, [*args, "--lang", "en", "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad} has 1 error(s); no report written")
    import json

    data = json.loads(result.stdout)
    assert data["written"] is None and data["files"][0]["findings"][0]["rule"] == "swn-05"


def test_allow_errors_says_on_the_first_page_the_figures_are_not_verified(tmp_path):
    set_lang("zh")
    bad = EXAMPLES / "pingdingshan-2010_identity.xlsx"
    out = tmp_path / "r.docx"
    result = runner.invoke(
        app,
        ["render", "--form", "pingdingshan-2010", "--data", str(bad), "-o", str(out)]
        + ["--allow-errors"],
    )
    assert result.exit_code == 0, result.stderr
    assert f"注意：{bad} 有 1 个错误，报告首页已注明数据未经核实" in result.stderr
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[1].startswith(
        "【注意：本报告所据数据未经核实。pingdingshan-2010_identity.xlsx 有 1 个错误：筹集慰问款物总额"
    )
    assert paragraphs[2] == "市总保障部："  # a unit's return goes where the notice says
    # a unit's own report is its union's: titled and signed so, the city's notice its basis
    assert paragraphs[0] == "叶县总工会关于2010年元旦春节\n送温暖活动情况的报告"
    assert paragraphs[3].startswith("根据《平顶山市总工会关于2010年元旦春节期间开展送温暖活动的")
    assert "叶县总工会开展以“心系职工情，温暖进万家”为主题的送温暖活动。" in paragraphs[5]
    assert _prose(out)[-2] == "叶县总工会"


# ---- the report: section of a form file --------------------------------------------------------

FORM = test_form_errors.GOOD  # a small form: table t, items 01A = 01B + 01C


@pytest.mark.parametrize(
    "sentence, problem",
    [
        ("共{{ t['01A'] }万元。", "报告语句写法有误：unexpected '}'"),
        ("共{{ t['09Z'] }}万元。", "报告语句引用了不存在的项目 t['09Z']"),
        (
            "{{ city }}共{{ t['01A'] }}万元。",
            "报告语句中的 “city” 不存在（可用：t、union、campaign、period、who、units）",
        ),
        (
            "占{{ t['01B'].shar(t['01A']) }}。",
            "报告语句中的数字没有 “.shar”（可用：label、unit、share、per、top、last、change）",
        ),
    ],
    ids=["syntax", "item", "name", "attribute"],
)
def test_a_bad_report_sentence_is_refused_with_its_line(tmp_path, sentence, problem):
    path = tmp_path / "demo.yaml"
    path.write_text(FORM + f'report:\n  basics:\n    - - "共有。"\n      - "{sentence}"\n', "utf-8")
    with pytest.raises(FormFileError) as e:
        forms.load_form(path)
    assert (e.value.line, e.value.problem) == (FORM.count("\n") + 4, problem)


def test_a_users_form_with_a_bad_sentence_is_refused_when_loaded(tmp_path):
    _form_file(tmp_path, "{{ t['09Z'] }}")  # the catalogue checks the sentences of users' forms
    with pytest.raises(FormFileError) as e:
        forms.Library([tmp_path])["demo"]
    assert "09Z" in e.value.problem


def test_a_report_sentence_cannot_reach_python_internals(tmp_path):
    with pytest.raises(FormFileError) as e:
        forms.load_form(_form_file(tmp_path, "{{ t['01A'].__class__ }}"))
    assert "“.__class__”" in e.value.problem
    form = forms.load_form(_form_file(tmp_path, "共{{ t['01A'] }}万元。"))
    ctx = narrative.context(form, narrative.Figures({"t:01A": Decimal(1)}, form), "我们")
    assert narrative.sentence("共{{ t['01A'] }}万元。", ctx) == "共1.00万元。"
    with pytest.raises(WenuanError):  # the sandbox, when a sentence was not checked at load
        narrative.sentence("{{ t['01A']._figures.form }}", ctx)


def _form_file(tmp_path, sentence):
    path = tmp_path / "demo.yaml"
    path.write_text(FORM + f'report:\n  basics:\n    - "{sentence}"\n', "utf-8")
    return path


# ---- bounded templates: a sentence or a template that runs away is a plain error, exit 2 ------

NESTED = "{% for a in range(N) %}{% for b in range(N) %}{% for c in range(N) %}{% endfor %}{% endfor %}{% endfor %}"  # fmt: skip
RUNAWAY = [  # (id, the form's sentence, the Word template's tag, why)
    ("power", "{{ 9**(9**9) }}", None, "数或重复次数太大（**）"),
    ("repeat", "{{ 'x' * 10**10 }}", None, "数或重复次数太大（*）"),
    ("range", NESTED.replace("N", "10**5"), None, "数或重复次数太大（range）"),
    ("loops", NESTED.replace("N", "10**4"), None, "运行超过 2 秒，已停止（是否有很大的循环？）"),
    (
        "update",
        "{{ t.update({'01A': 1}) }}",
        "{{ summary.append('x') }}",
        "不允许的操作：access to attribute {} object is unsafe.",
    ),  # fmt: skip
    (
        "macro",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        None,
        "宏调用自身太多层（递归过深）",
    ),  # fmt: skip
    ("memory", "{{ 'x'.ljust(10**9) }}", None, "占用内存超过 512 MiB，已停止"),
    ("include", None, "{% include 'x.docx' %}", "不能引用其他模板（x.docx）"),
]


@pytest.fixture
def seconds(monkeypatch):
    """A time limit of 2 s, so that the tests that reach it end soon."""
    from wenuan import bounded

    monkeypatch.setattr(bounded, "SECONDS", 2)
    return 2


def _needs_memory_limit(case: str) -> None:
    if case == "memory" and not Path("/proc/self/statm").exists():
        pytest.skip("no address-space limit on this system")


@pytest.mark.parametrize("case, sentence, _, why", [r for r in RUNAWAY if r[1]], ids=[r[0] for r in RUNAWAY if r[1]])  # fmt: skip
def test_a_runaway_sentence_is_a_form_error_on_its_line(tmp_path, seconds, case, sentence, _, why):
    _needs_memory_limit(case)
    path = tmp_path / "demo.yaml"
    path.write_text(
        FORM + f"report:\n  basics:\n    - 共有。\n    - {json.dumps(sentence)}\n", "utf-8"
    )
    result = _render_in_time(tmp_path / "r.docx", seconds, "--form", "demo", "--forms", tmp_path)
    why = why.format("'update' of 'Table'")
    line = FORM.count("\n") + 4
    assert (result.exit_code, result.stderr) == (
        2, f"错误：表式文件 {path} 第 {line} 行：报告语句无法生成：{why}\n"
    )  # fmt: skip


@pytest.mark.parametrize("case, sentence, tag, why", RUNAWAY, ids=[r[0] for r in RUNAWAY])
def test_a_runaway_template_is_an_error_on_its_line(tmp_path, seconds, case, sentence, tag, why):
    _needs_memory_limit(case)
    document = docx.Document()
    document.add_paragraph("报告")
    document.add_paragraph(tag or sentence)
    template = tmp_path / "mine.docx"
    document.save(str(template))
    result = _render_in_time(
        tmp_path / "r.docx", seconds, "--form", "ezhou-2022", "--template", template
    )
    why = why.format("'append' of 'list'")
    assert (result.exit_code, result.stderr) == (2, f"错误：模板 {template} 第 3 行有误：{why}\n")


def _render_in_time(out: Path, seconds: int, *args):
    """`wenuan render … -o out`, which must end within the time limit, having written nothing."""
    began = time.monotonic()
    result = runner.invoke(app, ["render", *map(str, args), "-o", str(out)])
    assert time.monotonic() - began < seconds + 10 and not out.exists()
    return result


def test_a_sentence_that_includes_is_refused_when_the_form_is_loaded(tmp_path):
    path = _form_file(tmp_path, "{% include 'x' %}{% import 'y' as z %}")
    result = runner.invoke(app, ["show", "demo", "--forms", str(tmp_path), "--lang", "en"])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: form file {path}, line {FORM.count(chr(10)) + 3}: "
        "a report sentence cannot include, import or extend another template\n",
    )


def test_checking_a_sentence_when_the_form_is_loaded_computes_nothing(tmp_path):
    began = time.monotonic()  # jinja2 would fold these constants while compiling, unbounded
    form = forms.load_form(_form_file(tmp_path, "{{ 'x'|center(10000000000) }}{{ 9**(9**9) }}"))
    assert time.monotonic() - began < 5 and form.report.basics


def test_a_runaway_sentence_in_english_and_on_the_web_page(tmp_path, seconds):
    from starlette.testclient import TestClient

    from wenuan.web.app import create_app
    from wenuan.web.campaign import Campaign

    text = (forms.builtin_dir() / "pingdingshan-2010.yaml").read_text("utf-8")
    first = '    - - "{{ period }}，{{ who }}开展'
    assert first in text
    user = tmp_path / "forms"
    user.mkdir()
    path = user / "pingdingshan-2010.yaml"
    path.write_text(text.replace(first, '    - - "{{ 9**(9**9) }}"\n' + first), "utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith(first))
    result = runner.invoke(app, ["render", "--form", "pingdingshan-2010", "--forms", str(user),
                                 "-o", str(tmp_path / "r.docx"), "--lang", "en"])  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        2, f"Error: form file {path}, line {line}: a report sentence cannot be made: "
        "a number, repetition or range far too big (**)\n"
    )  # fmt: skip
    set_lang("zh")
    client = TestClient(create_app(Campaign(tmp_path / "c", "pingdingshan-2010", [user])),
                        base_url="http://127.0.0.1", headers={"Origin": "http://127.0.0.1"})  # fmt: skip
    (tmp_path / "c").mkdir(exist_ok=True)
    valid = EXAMPLES / "pingdingshan-2010_valid.xlsx"
    files = [("files", (valid.name, valid.read_bytes(), "application/octet-stream"))]
    assert client.post("/upload", files=files, headers={"Accept": "application/json"}).is_success
    page = client.get("/report.docx")
    assert page.status_code == 409
    assert f"表式文件 {path} 第 {line} 行：报告语句无法生成：数或重复次数太大（**）" in page.text


def _sleep(seconds: float) -> str:
    time.sleep(seconds)  # outside `limits`: only the kill ends it
    return "woke"


def _refuse() -> None:
    raise WenuanError("render_suffix", path="x")


def test_the_child_is_killed_when_its_own_limits_do_not_stop_it(monkeypatch):
    from wenuan import bounded

    assert bounded.run(_sleep, 0) == "woke"
    with pytest.raises(WenuanError) as e:
        bounded.run(_refuse)  # an error travels whole from the child
    assert str(e.value) == "输出文件须为 .xlsx、.docx 或 .pdf：x"
    monkeypatch.setattr(bounded, "KILL_AFTER", 1)
    began = time.monotonic()
    with pytest.raises(bounded.Killed):
        bounded.run(_sleep, 60)
    assert time.monotonic() - began < 10
    with pytest.raises(bounded.Killed):  # a child that dies says nothing: the same
        bounded.run(os._exit, 9)


# ---- issue 21: a report a 保障部 head would sign -------------------------------------------------


def _seven_units(suspect: bool) -> render.Data:
    """7 of pingdingshan's 23 units in, 鲁山's 筹集慰问款物总额 typed 100 times too large."""
    form = ALL["pingdingshan-2010"]
    units, total = [], {}
    for i, unit in enumerate(form.units[:7]):
        values = dict(samples.consistent(form, i))
        if suspect and i == 2:
            values["swn:05A"] *= 100
        units.append({"unit": unit.name, "values": values})
        for key, value in values.items():
            total[key] = total.get(key, 0) + value
    return render.Data(total, {}, units, missing=[u.name for u in form.units[7:]])


def test_a_suspect_figure_stays_out_of_the_top_and_goes_to_the_cover_note():
    form = ALL["pingdingshan-2010"]
    said = render.words(form, _seven_units(suspect=True), None, DAY)
    assert said.basics[0] == (
        "截至2010年2月1日，应报送的23个单位中已有7个报送统计表，以下数字据已报送的7个单位统计。"
    )
    assert said.basics[-1] == (
        "筹集慰问款物较多的是宝丰（3.57万元）、叶县（3.43万元）、新华（3.43万元）；"
        "慰问困难职工户数较多的是鲁山（985户）、卫东区（933户）、宝丰（920户）。"
    )
    assert render.cover_words(form, _seven_units(suspect=True), None, DAY)[1] == (
        "以下数字与其他单位相差悬殊，尚待核实，报告未将其列入“较多的是”："
        "鲁山的筹集慰问款物总额（344.00万元）。"
    )
    plain = render.words(form, _seven_units(suspect=False), None, DAY)
    assert plain.basics[-1].startswith(
        "筹集慰问款物较多的是宝丰（3.57万元）、鲁山（3.44万元）、叶县"
    )


def test_the_top_three_only_when_more_than_three_units_reported(totals):
    form = ALL["pingdingshan-2010"]
    data = render.load_data(totals["pingdingshan-2010"], form, ALL)
    assert len(data.units) == 3 and len(data.missing) == 20
    said = render.words(form, data, None, DAY)
    assert [p for p in said.basics if "较多的是" in p] == []
    assert said.intro == "按照全总、省总的工作部署，现将我市2010年元旦春节送温暖活动情况报告如下："
    assert said.to == "【请填写主送单位（上级工会，如省总工会）】："
    assert said.heads["situation"] == "四、困难职工状况和政策建议"


def test_a_units_report_is_signed_by_its_union():
    form = ALL["pingdingshan-2010"]
    names = ["叶县", "中平能化", "轻纺工会", "鲁山县总工会", "不在名单"]
    assert [render.union_name(form, n) for n in names] == [
        "叶县总工会",
        "中平能化工会",  # a 直属企业's union
        "轻纺工会",
        "鲁山县总工会",
        "不在名单总工会",
    ]


def test_titles_and_headings_break_between_words():
    assert render.title_lines("平顶山市总工会关于2010年元旦春节送温暖活动情况的报告") == (
        "平顶山市总工会关于2010年元旦春节\n送温暖活动情况的报告"
    )
    assert (
        render.title_lines(  # never inside quotation marks
            "郑州市总工会关于建党100周年“工会进万家”调研走访慰问活动情况的报告"
        )
        == "郑州市总工会关于\n建党100周年“工会进万家”\n调研走访慰问活动情况的报告"
    )
    assert render.title_lines("叶县总工会关于送温暖活动情况的报告") == (
        "叶县总工会关于送温暖活动情况的报告"
    )
    assert [render.header_lines(x, 26) for x in ("筹集慰问款物", "筹集送温暖款物")] == [
        "筹集慰问款物",
        "筹集送温暖\n款物",
    ]
    assert render.header_lines("走访慰问困难职工家庭户数", 24) == "走访慰问\n困难职工\n家庭户数"


def test_notes_typed_on_the_page_read_as_a_file_and_write_back():
    typed = "主送：河南省总工会\n\n## 主要做法\n一是早部署。\n\n二是广覆盖。\n\n## 困难职工状况和政策建议\n建议纳入低保。\n"
    notes = narrative.notes_from_text(typed)
    assert notes == {
        "to": ["河南省总工会"],
        "methods": ["一是早部署。", "二是广覆盖。"],
        "situation": ["建议纳入低保。"],
    }
    assert narrative.notes_from_text(narrative.notes_text(notes)) == notes


def test_the_page_keeps_to_notes_and_date_so_the_report_has_no_placeholder(tmp_path):
    from starlette.testclient import TestClient

    from wenuan.web.app import create_app
    from wenuan.web.campaign import Campaign

    local = "http://127.0.0.1"
    client = TestClient(
        create_app(Campaign(tmp_path, "pingdingshan-2010")),
        base_url=local,
        headers={"Origin": local},
    )
    sent = EXAMPLES / "pingdingshan-2010_valid.xlsx"
    files = [("files", (sent.name, sent.read_bytes(), "application/octet-stream"))]
    assert client.post("/upload", files=files).status_code == 200
    assert 'id="report-to"' in client.get("/").text
    words = "\n\n".join(f"## {w}\n写了{w}。" for w in ("主要做法", "困难职工状况", "问题", "打算"))
    r = client.post(
        "/report-words",
        data={"to": "河南省总工会", "date": "2010-02-01", "notes": words},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/").text
    assert (
        'value="河南省总工会"' in page and 'value="2010-02-01"' in page and "写了主要做法" in page
    )
    r = client.get("/report.docx")
    report = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs]
    assert report[1] == "河南省总工会：" and "2010年2月1日" in report
    assert [p for p in report if "【" in p] == []
    r = client.post("/report-words", data={"to": "", "date": "明天", "notes": ""})
    assert r.status_code == 400 and "无法识别的日期：明天" in r.text


def test_a_report_is_dated_today_or_as_it_was_due_when_the_campaign_is_past():
    from datetime import date

    from wenuan.outputs.render import signing_day

    form = ALL["pingdingshan-2010"]
    assert signing_day(form, date(2026, 12, 3)) == date(2010, 2, 1)  # written afterwards
    assert signing_day(form, date(2010, 1, 28)) == date(2010, 1, 28)  # during the campaign
