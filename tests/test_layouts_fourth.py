"""Returns in a fourth clerk's layouts: Word returns and WPS habits, with slips across tables.

The builders are in `clerk_fourth` (written from the forms and the README, not from the reader).
Each (layout, form) is tried with these returns:
- `valid`: no `error` or `warning` finding (an `info` is fine) and every figure read is the one
  written;
- `two`: two slips (two digits swapped), in two different tables where the form has two, else in
  two different rules;
- `cross`: one slip in the rule that spans both tables (jiaozuo-2019's `swn:B1 <= bfzx:05B +
  bfzx:05C`, the only form-level rule);
- `three`: three slips in three different rules.
A slip return must give the findings the template gives for the same figures (wenuan's own
layout, where reading is not in doubt), each naming the place where this clerk typed the figure,
its suggestion the true value; and the figures are read as typed.
"""

from decimal import Decimal
from itertools import combinations

import clerk_fourth as c4
import clerk_layouts as cl
import clerk_third as ct
import pytest
from test_layouts import ALL, HEADERS, _swaps
from test_layouts_third import build, expected, seen

from wenuan.checking import samples, validate
from wenuan.forms.rules import holds

PDS, JZ19, JZ23, EZ, ZZ = cl.PDS, cl.JZ19, cl.JZ23, cl.EZ, cl.ZZ

# name: (builder, forms, suffix, needs LibreOffice)
LAYOUTS = {
    "word-nested-frame": (c4.build_word_nested_frame, (PDS, EZ), ".docx", False),
    "word-header-table": (c4.build_word_header_table, (JZ19, ZZ), ".docx", False),
    "word-back-to-back": (c4.build_word_back_to_back, (PDS, JZ19), ".docx", False),
    "word-merged-units": (c4.build_word_merged_units, (PDS, JZ19, EZ), ".docx", False),
    "word-title-unit": (c4.build_word_title_unit, (PDS, JZ23), ".docx", False),
    "word-split-pages": (c4.build_word_split_pages, (JZ19, EZ), ".docx", False),
    "word-landscape": (c4.build_word_landscape, (PDS, ZZ), ".docx", False),
    "word-merged-units-rt": (
        c4.round_trip(c4.build_word_merged_units),
        (JZ19, ZZ),
        ".docx",
        True,
    ),
    "word-title-unit-doc": (c4.as_doc(c4.build_word_title_unit), (JZ19,), ".doc", True),
    # saved again by LibreOffice, so each =SUM() carries its value
    "sheet1-no-titles": (
        ct.recalculated(c4.build_sheet1_no_titles),
        (PDS, JZ19, JZ23),
        ".xlsx",
        True,
    ),
    "wps-text-figures": (c4.build_wps_text_figures, (PDS, JZ19, EZ, JZ23, ZZ), ".xlsx", False),
}
# Not read whole: must never give a wrong figure, and what is not read is an error saying so.
LIMITS = {
    # Through .doc and back, LibreOffice writes one of these Word tables (Pingdingshan's 帮扶中心
    # table, Jiaozuo 2023's only one) as a paragraph of run-together text: the table is no longer
    # in the file, so it is one `table` error (缺报), never figures picked out of the text.
    "word-header-table-rt": (
        c4.round_trip(c4.build_word_header_table),
        (PDS, JZ23),
        ".docx",
        True,
    ),
}

KINDS = ("valid", "two", "cross", "three")


def _kinds(form_id):
    return [k for k in KINDS if k != "cross" or ALL[form_id].rules]


CASES = [(n, f, k) for n, (_, fs, _, _) in LAYOUTS.items() for f in fs for k in _kinds(f)]


# --- the slips --------------------------------------------------------------------------------


def _rules(form):
    """(rule, table id or None, keys) for every rule, the form-level ones last."""
    for table in form.tables:
        for rule in table.rules:
            yield rule, table.id, [f"{table.id}:{r}" for r in rule.parsed.refs()]
    for rule in form.rules:
        yield rule, None, [str(r) for r in rule.parsed.refs()]


def broken(form, values) -> set[str]:
    out = set()
    for rule, _, keys in _rules(form):
        expr = rule.parsed
        env = {r: (values[k], values[k]) for r, k in zip(expr.refs(), keys, strict=True)}
        if not holds(expr, env):
            out.add(rule.id)
    return out


def _candidates(form, values):
    """(key, typed, rules it breaks alone) for each slip of a figure in a rule: two digits swapped,
    or a 0 typed too many (a 万元 figure typed in 元)."""
    before = broken(form, values)
    seen_keys = set()
    for _rule, _, keys in _rules(form):
        for key in keys:
            if key in seen_keys:
                continue
            seen_keys.add(key)
            table, ref = key.split(":", 1)
            yuan = next(t for t in form.tables if t.id == table).cells[ref].unit == "万元"
            for typed in [*_swaps(values[key]), values[key] * (10000 if yuan else 10)]:
                new = broken(form, {**values, key: typed}) - before
                if new:
                    yield key, typed, frozenset(new)


def _table_of(form, rule_id):
    return next((t.id for t in form.tables for r in t.rules if r.id == rule_id), None)


def returned(form, kind):
    """(values as typed, {slipped key: true value}) for a kind of return."""
    base = samples.consistent(form)
    if kind == "valid":
        return base, {}
    cands = sorted(_candidates(form, base), key=lambda c: len(c[2]))
    if kind == "cross":
        cross = {r.id for r in form.rules}
        key, typed, _ = next(c for c in _candidates(form, base) if c[2] & cross)
        return {**base, key: typed}, {key: base[key]}
    n = 2 if kind == "two" else 3
    for picked in combinations(cands, n):
        keys = {c[0] for c in picked}
        rules = [c[2] for c in picked]
        union = frozenset().union(*rules)
        if len(keys) < n or len(union) < sum(map(len, rules)):
            continue  # each slip breaks rules of its own
        if kind == "two" and len(form.tables) > 1:
            if len({_table_of(form, next(iter(r))) for r in rules}) < 2:
                continue
        values = {**base, **{c[0]: c[1] for c in picked}}
        if broken(form, values) == union:
            return values, {c[0]: base[c[0]] for c in picked}
    raise AssertionError(f"no {kind} slips for {form.id}")


# --- the contract -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form_id, kind", [(f, k) for f in sorted(ALL) for k in KINDS[1:] if k in _kinds(f)]
)
def test_the_slips_and_the_template_oracle(tmp_path, form_id, kind):
    """Each kind of return breaks what it says, and the template suggests only true values
    (a slip across tables only where a form has a rule across them: jiaozuo-2019)."""
    form = ALL[form_id]
    values, truth = returned(form, kind)
    assert len(truth) == {"two": 2, "cross": 1, "three": 3}[kind]
    found = expected(tmp_path, form_id, kind, values)
    assert any(f[0] in ("error", "warning") for f in found), found
    for f in found:
        for item, value, key in f[5]:
            assert key in truth and truth[key] == Decimal(value), (f, truth)
            assert key.split(":", 1)[1] == item


@pytest.mark.parametrize("name, form_id, kind", CASES, ids=[f"{f}-{n}-{k}" for n, f, k in CASES])
def test_fourth_layout(tmp_path, name, form_id, kind):
    form = ALL[form_id]
    values, _truth = returned(form, kind)
    path, positions = build(tmp_path, name, form_id, values, LAYOUTS)
    assert set(positions) == set(values)
    report = validate.validate_file(path, ALL, validate.Options())
    assert report.form == form_id
    wrong = {k: (report.values.get(k), v) for k, v in values.items() if report.values.get(k) != v}
    assert wrong == {}, "figures read (got, written)"
    assert seen(report, positions) == expected(tmp_path, form_id, kind, values)
    assert report.unit == HEADERS[form_id]["unit"]


LIMIT_CASES = [(n, f) for n, (_, fs, _, _) in LIMITS.items() for f in fs]


@pytest.mark.parametrize("name, form_id", LIMIT_CASES, ids=[f"{f}-{n}" for n, f in LIMIT_CASES])
def test_limit_gives_no_wrong_figure(tmp_path, name, form_id):
    form = ALL[form_id]
    values = samples.consistent(form)
    path, _positions = build(tmp_path, name, form_id, values, LIMITS)
    report = validate.validate_file(path, ALL, validate.Options())
    assert report.form == form_id
    wrong = {k: (v, values[k]) for k, v in report.values.items() if v != values.get(k)}
    assert wrong == {}, "figures read wrongly (got, written)"
    unread = {k.split(":")[0] for k in values if k not in report.values}
    tables = {f.table for f in report.findings if f.severity == "error" and f.kind == "table"}
    assert unread and unread <= tables, report.findings


def test_a_report_signed_off_with_its_day_on_the_last_line_is_dated_by_it(tmp_path):
    """No 填报日期 field: the day alone on the report's last line is the day it was filled in,
    so lateness is counted from it."""
    from datetime import timedelta

    form = ALL[PDS]
    late = validate.returns_deadline(form).date + timedelta(days=3)
    path = tmp_path / "report.docx"
    c4.build_word_title_unit(form, samples.consistent(form), {**HEADERS[PDS], "date": late}, path)
    report = validate.validate_file(path, ALL, validate.Options())
    assert report.header["date"] == f"{late.year}年{late.month}月{late.day}日"
    assert [(f.severity, f.kind) for f in report.findings] == [("warning", "deadline")]
    assert report.findings[0].message.startswith(
        "逾期 3 天（3 个工作日）：截止 2010-02-01，收到 2010-02-04"
    )


def test_a_date_inside_a_sentence_at_the_end_is_not_taken_for_the_day():
    from wenuan.reading.header import date_at_end
    from wenuan.reading.model import Grid

    def grid(last: str) -> Grid:
        return Grid("", [["填报单位：叶县总工会"], [None], [last]])

    assert date_at_end([grid("二〇一〇年元月二十八日")]).raw == "二〇一〇年元月二十八日"
    assert date_at_end([grid("2010年1月28日 ")]).cell == "A3"
    assert date_at_end([grid("截至2010年1月28日")]) is None
    assert date_at_end([grid("2010年1月28日前报送")]) is None
