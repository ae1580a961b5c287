"""Returns in a sixth clerk's layouts, built blind (issue 22): habits the earlier corpora lack.

The builders are in `clerk_sixth`, written from the forms, the notices, the README and the
reference only, never from the reader. Each (layout, form) is tried with two returns:
- `valid`: no `error` or `warning` finding (an `info` is fine), every figure read is the one
  written, the 填报单位 is the unit's;
- `slip`: one figure of a rule mistyped (two digits swapped, in an error identity where the form
  has one): the findings are the template's for the same figures, each at the cell where this
  clerk typed the figure, its suggestion the true value there; the figures are read as typed.
A layout the reference says is not read (`LIMITS`) gives no wrong figure, and each figure not
read is an error finding naming its table (and item, or the table as missing).
Cases wenuan does not meet yet are `xfail(strict=True)` with what it said, for a later fixer.
"""

from decimal import Decimal

import clerk_layouts as cl
import clerk_sixth as c6
import clerk_third as ct
import pytest
from test_layouts import ALL, HEADERS, slip
from test_layouts_fourth import _candidates, broken
from test_layouts_third import build as third_build
from test_layouts_third import expected, seen, zeroed

from wenuan.checking import samples, validate

PDS, JZ19, JZ23, EZ, ZZ = cl.PDS, cl.JZ19, cl.JZ23, cl.EZ, cl.ZZ
office = c6.made_by_office

# name: (builder, forms, suffix, needs LibreOffice)
LAYOUTS = {
    "title-stamp-line": (c6.build_title_stamp_line, (PDS, EZ, JZ23), ".xlsx", False),
    "title-stamp-line-xls": (office(c6.build_title_stamp_line, "xls"), (JZ19,), ".xls", True),
    "beizhu-numbers": (c6.build_beizhu_numbers, (PDS, JZ19, ZZ), ".xlsx", False),
    "beizhu-numbers-ods": (office(c6.build_beizhu_numbers, "ods"), (EZ,), ".ods", True),
    "hidden-last-year-sheet": (c6.build_hidden_last_year_sheet, (JZ23, EZ, ZZ), ".xlsx", False),
    "hidden-last-year-sheet-xls": (
        office(c6.build_hidden_last_year_sheet, "xls"),
        (PDS,),
        ".xls",
        True,
    ),
    "units-total-middle": (c6.build_units_total_middle, (JZ23, EZ), ".xlsx", False),
    "units-total-middle-ods": (office(c6.build_units_total_middle, "ods"), (ZZ,), ".ods", True),
    "area-columns": (c6.build_area_columns, (JZ23, ZZ, EZ), ".xlsx", False),
    "word-page-header": (c6.build_word_page_header, (PDS, JZ19), ".docx", False),
    "adding-formulas": (ct.recalculated(c6.build_adding_formulas), (PDS, JZ23), ".xlsx", True),
    "stamp-image": (c6.build_stamp_image, (EZ, ZZ, JZ19), ".xlsx", False),
    "units-header-line": (c6.build_units_header_line, (JZ23,), ".xlsx", False),
    "date-dotted-foot": (c6.build_date_dotted_foot, (JZ19, ZZ), ".xlsx", False),
    "header-right-slash-date": (c6.build_header_right_slash_date, (EZ, JZ23), ".xlsx", False),
    "unit-after-value": (c6.build_unit_after_value, (PDS, JZ19), ".xlsx", False),
    "word-cn-date": (c6.build_word_cn_date, (PDS, EZ), ".docx", False),
    "word-whole-in-table": (c6.build_word_whole_in_table, (PDS, JZ19), ".docx", False),
    "word-textbox": (c6.build_word_textbox, (JZ23, ZZ), ".docx", False),
    "notice-underscores": (c6.build_notice_underscores, (PDS,), ".docx", False),
    "csv-gbk-tab": (c6.build_csv_gbk_tab, (PDS, EZ, JZ23, ZZ), ".csv", False),
    "pdf-from-xlsx": (office(c6.build_title_stamp_line, "pdf"), (PDS, EZ), ".pdf", True),
    "pdf-from-docx": (office(c6.build_word_cn_date, "pdf"), (JZ23,), ".pdf", True),
}
# Not read, as the reference says: never a wrong figure, each unread figure an error.
LIMITS = {
    # "a table typed as running text (当地职工总数 12000 人，其中…)"
    "running-text": (c6.build_running_text, (PDS,), ".docx", False),
    # "merged cells that join two items' figures"
    "merged-equal-figures": (c6.build_merged_equal_figures, (JZ19, ZZ), ".xlsx", False),
    # "a 0 typed as -, — or ／, or left blank: missing (type 0)"; 无 is the clerk's word for it
    "wu-for-zero": (c6.build_wu_for_zero, (PDS, EZ), ".xlsx", False),
}
# (layout, form, kind): what wenuan said, for the xfail mark
KNOWN: dict[tuple[str, str, str], str] = {}  # none left: issue 22 met them all
KINDS = ("valid", "slip")


def base(name, form):
    """The figures a layout is tried with: a county's total for the several-units workbook."""
    if name.startswith("units-total-middle"):
        return c6.units_total(form)
    return samples.consistent(form)


def one_slip(form, values):
    """(typed values, {key: true value}): two digits of one part of an error identity swapped so
    that only that identity breaks; for a form with none, a slip breaking one rule of its own."""
    try:
        key, _, original, changed, _ = slip(form, values)
        return changed, {key: original}
    except AssertionError:  # no identity to slip a digit in: a rule of the form's own below
        pass
    before = broken(form, values)
    for key, typed, rules in sorted(_candidates(form, values), key=lambda c: len(c[2])):
        if len(rules) == 1 and broken(form, {**values, key: typed}) - before == rules:
            return {**values, key: typed}, {key: values[key]}
    raise AssertionError(f"no slip for {form.id}")


def returned(name, form, kind):
    values = base(name, form)
    return (values, {}) if kind == "valid" else one_slip(form, values)


def _param(name, form_id, kind):
    reason = KNOWN.get((name, form_id, kind))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, form_id, kind, id=f"{form_id}-{name}-{kind}", marks=marks)


CASES = [_param(n, f, k) for n, (_, fs, _, _) in LAYOUTS.items() for f in fs for k in KINDS]


def build(tmp_path, name, form_id, values, layouts=LAYOUTS):
    return third_build(tmp_path, name, form_id, values, layouts)


def check(path):
    return validate.validate_file(path, ALL, validate.Options())


def loud(report):
    return [
        (f.severity, f.kind, f.cell, f.message)
        for f in report.findings
        if f.severity in ("error", "warning")
    ]


def test_twenty_layouts_over_every_form():
    assert len(LAYOUTS) + len(LIMITS) >= 20
    assert {f for _, fs, _, _ in LAYOUTS.values() for f in fs} == set(ALL)


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_each_form_has_its_slip_and_the_template_finds_it(tmp_path, form_id):
    """The oracle: the slip breaks a rule, and the template names it with only true values."""
    form = ALL[form_id]
    values, truth = one_slip(form, samples.consistent(form))
    found = expected(tmp_path, form_id, "slip", values)
    assert any(f[0] in ("error", "warning") for f in found), found
    (key,) = truth
    assert any(key.split(":", 1)[1] in f[3] for f in found), found
    for f in found:
        for item, value, where in f[5]:
            assert where in truth and truth[where] == Decimal(value), (f, truth)
            assert where.split(":", 1)[1] == item


@pytest.mark.parametrize("name, form_id, kind", CASES)
def test_sixth_layout(tmp_path, name, form_id, kind):
    form = ALL[form_id]
    values, truth = returned(name, form, kind)
    path, positions = build(tmp_path, name, form_id, values)
    assert set(positions) == set(values)
    report = check(path)
    assert report.form == form_id, loud(report)
    wrong = {k: (report.values.get(k), v) for k, v in values.items() if report.values.get(k) != v}
    assert wrong == {}, ("figures read (got, written)", loud(report))
    if path.suffix == ".pdf":  # the places are the PDF's own: page, table, row, column
        assert all(p.startswith("第") and "页表格" in p for p in report.places.values())
        positions = dict(report.places)
    got, want = seen(report, positions), expected(tmp_path, form_id, kind, values)
    if name.startswith("units-total-middle") and kind == "slip":
        # the total's slip also makes it differ from its parts' sum: one more error, its
        # suggestion the true figure at the slipped cell
        extra = [f for f in got if f not in want]
        assert [f[:2] for f in extra] == [("error", "rule")], got
        assert [(s[0], Decimal(s[1]), s[2]) for s in extra[0][5]] == [
            (k.split(":", 1)[1], v, k) for k, v in truth.items()
        ]
        got = [f for f in got if f in want]
    assert got == want
    assert report.unit == HEADERS[form_id]["unit"]


LIMIT_CASES = [pytest.param(n, f, id=f"{f}-{n}") for n, (_, fs, _, _) in LIMITS.items() for f in fs]


@pytest.mark.parametrize("name, form_id", LIMIT_CASES)
def test_sixth_limit_gives_no_wrong_figure(tmp_path, name, form_id):
    form = ALL[form_id]
    values = zeroed(form) if name == "wu-for-zero" else samples.consistent(form)
    path, positions = build(tmp_path, name, form_id, values, LIMITS)
    report = check(path)
    wrong = {k: (v, values.get(k)) for k, v in report.values.items() if values.get(k) != v}
    assert wrong == {}, "a figure read wrongly (got, written)"
    errors = [f for f in report.findings if f.severity == "error"]
    for key in values.keys() - report.values.keys():
        table, ref = key.split(":", 1)
        said = [f for f in errors if f.table == table and (f.kind == "table" or ref in f.items)]
        assert said, (key, [(f.kind, f.table, f.items) for f in errors])
        # where a finding names a cell, it is the figure's column (a merged cell's any row)
        cells = {f.cell.rstrip("0123456789") for f in said if f.cell}
        assert cells <= {positions[key].rstrip("0123456789")}, (key, positions[key], cells)


def test_the_day_in_chinese_numerals():
    from datetime import date

    assert c6.cn_numeral_date(date(2010, 1, 28)) == "二〇一〇年一月二十八日"
    assert c6.cn_numeral_date(date(2023, 12, 10)) == "二〇二三年十二月十日"
    assert c6.cn_numeral_date(date(2022, 1, 4)) == "二〇二二年一月四日"


@pytest.mark.parametrize("form_id, item, span", [(JZ19, "E1", "D16:D17"), (ZZ, "C1", "D9:D10")])
def test_a_figure_merged_with_another_is_named_at_its_merged_cell(tmp_path, form_id, item, span):
    """758 typed once in a cell merged over E's and E1's: E is read, E1 is not (never 758
    silently), and the one finding says the cell is merged, at E1's own row, with the fill."""
    values = samples.consistent(ALL[form_id])
    path, positions = build(tmp_path, "merged-equal-figures", form_id, values, LIMITS)
    report = check(path)
    (found,) = [f for f in report.findings if f.severity == "error"]
    key = next(k for k in values if k.endswith(f":{item}"))
    assert (found.kind, found.what, found.items, found.cell) == (
        "missing",
        "f_merged",
        [item],
        positions[key],
    )
    assert found.params["span"] == span and found.suggestion.value == values[key]
    assert f"合并成了一个格（{span}）" in found.message
