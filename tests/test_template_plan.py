"""A return filled into wenuan's own template is read at the template's cells (template_plan)
exactly as the general reader reads it, whatever a unit types into the header fields; anything
else goes to the general reader."""

import importlib
from datetime import date, datetime, time
from pathlib import Path
from unittest import mock

import clerk_layouts as cl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_layouts import HEADERS

from wenuan import reading
from wenuan.checking import samples, validate
from wenuan.forms import model as forms
from wenuan.outputs import writing
from wenuan.reading import blanks, template_plan

ALL = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
OPTIONS = validate.Options(received=date(2010, 1, 28), explain=True)


def read_both(path: Path, form_id: str, grids=None) -> tuple[bool, tuple, tuple]:
    """Whether the template's plan read the file, and (Return, tables in order, validate's
    report) by the plan (when it took it) and by the general reader alone."""
    template_plan.plan_of(ALL[form_id])  # made now: the first return of a form waits for it
    taken = []
    real = template_plan.read_tables

    def spy(*args):
        taken.append(real(*args))
        return taken[-1]

    def general(*args):
        return False

    out = []
    for hook in (spy, general):
        with mock.patch.object(template_plan, "read_tables", hook):
            if grids is not None:
                with mock.patch.object(reading, "sheets", lambda _p: (grids, {})):
                    ret, form = reading.read(path, ALL, form_id)
            else:
                ret, form = reading.read(path, ALL, form_id)
        order = [(t, list(found.items())) for t, found in ret.tables.items()]
        out.append((ret, order, validate.validate(form, ret, OPTIONS)))
    return taken == [True], out[0], out[1]


def grids_of(form_id: str, values: dict, header: dict) -> list:
    """The template filled in, as the workbook reader gives its sheets."""
    return [blanks.expanded(g) for g in template_plan._grids(ALL[form_id], values, header)]


# --- the header a unit types: adversarial words -----------------------------------------------

FORM_WORDS = {
    fid: [
        *(t.title for t in form.tables),
        *(f"附件2、{t.title}（续表）" for t in form.tables),
        *(f"{form.union or ''}{t.title}" for t in form.tables),
        *(item.label for t in form.tables for item, _ in t.walk()),
        *(item.code for t in form.tables for item, _ in t.walk()),
        *(ref for t in form.tables for ref in t.cells),
        *(f"{item.code}{item.label}" for t in form.tables for item, _ in t.walk()),
    ]
    for fid, form in ALL.items()
}
WORDS = [
    *("元", "万元", "人", "户", "人次", "个", "（万元）", "单位：万元", "万元（D9）", "计量单位"),
    *("合计", "小计", "总计", "共计", "其中"),
    *("2010年", "2009年", "2010", "2010年元旦春节", "2023年度"),
    *("0", "01", "1", "12345", "3.5", "-2", "0375-2916465", "13903750001"),
    *("序号", "代码", "项目", "单位", "数值", "备注", "上年同期", "本期数", "金额", "指标名称"),
    *("：", "、", "—", "/", "（）", " ", "\n", "=SUM(E6:E9)", "#N/A"),
    *("叶县总工会", "鲁山县总工会", "新华区总工会", "平顶山市总工会", "某某有限公司工会"),
    *("王芳", "李娜", "欧阳明", "张数", "刘计划"),
    *("2010年1月30日", "2010-01-30", "2010.1.30", "二〇一〇年一月三十日"),
    *("送温暖工程统计表", "困难职工帮扶中心统计表", "统计表", "温暖"),
]


PLAIN = [
    *("叶县总工会", "鲁山县总工会", "新华区总工会", "某某有限公司工会", "汝州市第3基层工会"),
    *("王芳", "李娜", "欧阳明", "张 伟", "0375-2916465", "13903750001", "0375－2916465转8"),
    *("2010年1月30日", "2010-01-30", "2010.1.30", "二〇一〇年一月三十日", "", None),
]


def header_values(form_id: str):
    """What a unit types into a header cell: mostly its plain words; else words the reader
    knows (the form's labels, codes, titles, unit words, years, headings), alone or joined to
    plain ones; a number or a date; or a cell kind the template's header takes nothing of."""
    word = st.sampled_from(WORDS + FORM_WORDS[form_id] + [w for w in PLAIN if w])
    text = st.lists(word, min_size=1, max_size=3).flatmap(
        lambda ws: st.sampled_from(["", " ", "、"]).map(lambda sep: sep.join(ws))
    )
    plain = st.sampled_from(PLAIN)
    typed = st.sampled_from([375291, 13903750001.0, date(2010, 1, 30), datetime(2010, 1, 30, 9)])
    odd = st.sampled_from([True, False, time(9)])
    return st.one_of(plain, plain, plain, text, typed, odd)


FIGURES = st.one_of(
    st.sampled_from([None, 0, 0.0, -1, -12.5, 10**13, 1e15, 0.005, 12.345, 3.5]),
    st.integers(-(10**6), 10**9),
    st.decimals(0, 10**6, places=2).map(float),
)


@pytest.mark.parametrize("form_id", sorted(ALL))
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_when_the_plan_reads_a_template_return_it_reads_what_the_general_reader_reads(
    form_id, data
):
    form = ALL[form_id]
    cells = [f"{t.id}:{ref}" for t in form.tables for ref in writing.cell_positions(t)]
    values = {key: data.draw(FIGURES, label=key) for key in cells}
    keys = ("unit", "person", "phone", "date")
    header = {k: data.draw(header_values(form_id), label=k) for k in keys}
    taken, fast, general = read_both(Path("r.xlsx"), form_id, grids_of(form_id, values, header))
    event("read by the plan" if taken else "read by the general reader")
    assert fast == general  # the Return, its tables in order, validate's report
    if taken:  # what it took: header cells that are numbers, dates or plain words
        for v in header.values():
            assert v is None or v.__class__ is not bool and v.__class__ is not time


ORDINARY = [
    {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010年1月30日"},
    {"unit": "鲁山县总工会", "person": "欧阳明", "phone": 13903750001, "date": date(2010, 1, 28)},
    {
        "unit": "平顶山市新华区总工会",
        "person": "李娜",
        "phone": "13903750001",
        "date": "2010-01-30",
    },
    {
        "unit": "舞钢市总工会（盖章）",
        "person": "赵敏",
        "phone": "0375-8123456",
        "date": "2010.1.30",
    },
    {"unit": "宝丰县总工会", "person": "陈静", "phone": None, "date": datetime(2010, 1, 29)},
    {"unit": None, "person": None, "phone": None, "date": None},
]


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_ordinary_returns_of_distinct_units_take_the_plan(tmp_path, form_id):
    form, taken = ALL[form_id], 0
    for seed, header in enumerate(ORDINARY):
        values = samples.consistent(form, seed)
        if seed == 2:  # some figures left blank
            values = {k: v for i, (k, v) in enumerate(values.items()) if i % 3}
        path = tmp_path / f"{seed}.xlsx"
        writing.save_atomically(writing.filled(form, values, header), path, True)
        took, fast, general = read_both(path, form_id)
        assert fast == general
        taken += took
    assert taken == len(ORDINARY)


def test_the_plan_is_made_at_a_forms_second_return(tmp_path, monkeypatch):
    form = ALL["jiaozuo-2023"].model_copy(deep=True)  # a form of its own: no plan yet
    monkeypatch.setattr(template_plan, "_plan", mock.Mock(wraps=template_plan._plan))
    path = tmp_path / "r.xlsx"
    writing.save_atomically(writing.filled(form, samples.consistent(form)), path, True)
    grids, _ = reading.sheets(path)
    ret = reading.Return(path=path)
    assert not template_plan.read_tables(ret, form, grids) and not ret.tables
    assert template_plan._plan.call_count == 0  # one file alone does not pay for the plan
    assert template_plan.read_tables(ret, form, grids) and ret.tables
    assert template_plan.read_tables(reading.Return(path=path), form, grids)
    assert template_plan._plan.call_count == 1


# --- what the plan leaves to the general reader ------------------------------------------------


def _text_in_value_cell(g):
    g.rows[5][4] = "12"


def _remark(g):
    g.rows[5][7] = "含上年结转5万元"


def _label_changed(g):
    g.rows[5][2] += "（人）"


def _row_added(g):
    g.rows.insert(6, [""] * 8)


def _column_added(g):
    for row in g.rows:
        row.append("")


def _merge_added(g):
    g.merges.append((5, 4, 5, 5))


def _hidden_column(g):
    g.hidden = frozenset({6})


def _sheet_renamed(g):
    g.name = "Sheet1"


def _moved(g):
    g.origin = (1, 0)


def _figure_in_unit_cell(g):
    g.rows[5][3] = 5.0


def _date_in_value_cell(g):
    g.rows[5][4] = datetime(2010, 1, 1)


def _text_beside_the_table(g):
    g.rows[3][2] = "万元"


MUTATIONS = [
    _text_in_value_cell,
    _remark,
    _label_changed,
    _row_added,
    _column_added,
    _merge_added,
    _hidden_column,
    _sheet_renamed,
    _moved,
    _figure_in_unit_cell,
    _date_in_value_cell,
    _text_beside_the_table,
]


@pytest.mark.parametrize("change", MUTATIONS, ids=[m.__name__.strip("_") for m in MUTATIONS])
def test_anything_but_figures_and_plain_header_words_goes_to_the_general_reader(change):
    form = ALL["pingdingshan-2010"]
    grids = grids_of(form.id, samples.consistent(form), ORDINARY[0])
    assert template_plan.plan_of(form).holds(grids)
    change(grids[0])
    assert not template_plan.plan_of(form).holds(grids)


@pytest.mark.parametrize(
    "text, why",
    [
        ("送温暖工程统计表", "a table's title"),
        ("当地职工总数", "an item's label"),
        ("01A", "an item's code"),
        ("05A筹集慰问款物总额", "a code written into its label"),
        ("万元", "a unit word: a column's unit"),
        ("数值", "a column's heading"),
        ("2010年", "a year heading a column"),
    ],
)
def test_a_header_word_the_reader_takes_for_something_goes_to_the_general_reader(text, why):
    form = ALL["pingdingshan-2010"]
    grids = grids_of(form.id, samples.consistent(form), {**ORDINARY[0], "person": text})
    assert not template_plan.plan_of(form).holds(grids), why


# --- every template-layout file the corpora build ---------------------------------------------


def _corpus():
    """(name, builder, form) of every workbook builder of the layout corpora that needs no
    LibreOffice."""
    out = [
        (n, lay.build, f)
        for n, lay in cl.LAYOUTS.items()
        if lay.suffix == ".xlsx" and not lay.needs_soffice
        for f in lay.forms
    ]
    for module in ("third", "fourth", "sixth", "fresh"):
        mod = importlib.import_module(f"test_layouts_{module}")
        for table in (mod.LAYOUTS, getattr(mod, "LIMITS", {})):
            for n, (builder, fids, suffix, *office) in table.items():
                if suffix == ".xlsx" and not any(office):
                    out += [(f"{module}-{n}", builder, f) for f in fids]
    return out


CORPUS = _corpus()


@pytest.mark.parametrize("name, build, form_id", CORPUS, ids=[f"{n}-{f}" for n, _, f in CORPUS])
def test_every_corpus_workbook_reads_the_same_with_the_plan(tmp_path, name, build, form_id):
    form, path = ALL[form_id], tmp_path / "r.xlsx"
    build(form, samples.consistent(form), HEADERS[form_id], path)
    taken, fast, general = read_both(path, form_id)
    assert fast == general
    assert taken == (name == "template")  # the other layouts are not the template
