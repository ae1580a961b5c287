"""Locating and correcting errors: each class of slip on small returns, and a property test."""

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from test_validate import ALL, FUNDS, _only, check, write

from wenuan.checking import samples, screen, suggest, validate
from wenuan.reading import Entry, Return

PDS = "pingdingshan-2010"
HEADER = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010-01-28"}
# 06A (spent) 80.20 of 05A (raised) 134.71; 06C (to migrant workers) 18.40 of it
BIG = {
    "swn:05A": D("134.71"),
    "swn:05B": D("113.14"),
    "swn:05C": D("9.00"),
    "swn:05D": D("12.57"),
    "swn:06A": D("80.20"),
    "swn:06B": D("2.00"),
    "swn:06C": D("18.40"),
}
SWN = "筹集慰问款物总额 {} 万元，不等于政府拨款、工会拨款、社会募集三项之和 {} 万元，相差 {} 万元"
SWN_CODES = "（05A = 05B + 05C + 05D；规则 swn-05）。"
SWN_BASIS = "依据：“（注：05A=05B+05C+05D）”。"
C06 = "向农民工发放 {} 万元，不应大于发放款物 80.20 万元（06C <= 06A；规则 swn-06C-in-06A）。"
C06_BASIS = "依据：“其中向农民工发放”。"


def sugs(finding):
    return [(s.item, s.value, s.cell, s.why) for s in [finding.suggestion, *finding.also] if s]


def test_a_bound_is_not_a_fix_but_yuan_for_wanyuan_within_it_is(tmp_path):
    f = _only(check(write(tmp_path, PDS, {**BIG, "swn:06C": D("184000.00")})), "inequality")
    assert f.message == (
        C06.format("184000.00")
        + "最可能是向农民工发放（06C，E26）填错：184000.00 疑为 18.40（按元填写，应为万元）。"
        + "只改这一处，是唯一能使各项相符的改法。"
        + C06_BASIS
    )
    assert sugs(f) == [("06C", D("18.40"), "送温暖工程统计表!E26", "unit")]


def test_a_bound_alone_names_the_limit_and_no_value(tmp_path):
    # raising 06A (spent) to 95.00 would do as well: a tie, and 95.00 may be 9.50 (a slip)
    f = _only(check(write(tmp_path, PDS, {**BIG, "swn:06C": D("95.00")})), "inequality")
    assert f.message == (
        C06.format("95.00")
        + "最可能是向农民工发放（06C，E26）填错，请核对。"
        + "只改发放款物（06A）也同样能使各项相符；向农民工发放（06C）像是笔误，可能性较大。"
        + C06_BASIS
    )
    assert (f.suggestion, f.suspects) == (None, ["06C"])


def test_a_negative_value_is_taken_as_the_slip(tmp_path):
    report = check(write(tmp_path, PDS, {**BIG, "swn:05B": D("-1250")}))
    assert _only(report, "range").suggestion is None
    f = _only(report, "identity")
    assert "最可能是政府拨款（05B，E20）填错" in f.message or "以下各项之中有填错的" in f.message
    assert f.suggestion is None  # −1250 is no slip of 113.14: no value is guessed


def test_a_sign_slip_no_rule_shows_goes_on_the_range_finding(tmp_path):
    report = check(write(tmp_path, PDS, {**BIG, "swn:06C": D("-18.40")}))
    f = _only(report, "range")
    assert f.message == (
        "向农民工发放（06C）不能为负数，填的是 -18.4；-18.40 疑为 18.40（正负号写反了）。"
        "只改这一处，是唯一能使各项相符的改法。"
    )
    assert sugs(f) == [("06C", D("18.40"), "送温暖工程统计表!E26", "sign")]


def test_digits_are_compared_with_their_sign():
    assert suggest.kind_of_slip(D(-8), D(6), 0) is None
    assert suggest.kind_of_slip(D(-6), D(6), 0) == "sign"
    assert suggest.kind_of_slip(D("13.41"), D("13.14"), 2) == "transposition"
    assert suggest.kind_of_slip(D("131.40"), D("13.14"), 2) == "decimal"


def test_two_slips_in_two_rules_of_one_group_are_both_corrected(tmp_path):
    changes = {**BIG, "swn:05B": D("113.41"), "swn:06C": D("184000.00")}
    report = check(write(tmp_path, PDS, changes))
    identity, bound = _only(report, "identity"), _only(report, "inequality")
    assert identity.message == (
        SWN.format("134.71", "134.98", "0.27")
        + SWN_CODES
        + "最可能是政府拨款（05B，E20）填错：113.41 疑为 113.14（两位数字颠倒）。"
        + "只改工会拨款（05C）与向农民工发放（06C）、社会募集（05D）与向农民工发放（06C）"
        + "或筹集慰问款物总额（05A）与向农民工发放（06C）也同样能使各项相符；"
        + "政府拨款（05B）与向农民工发放（06C）像是笔误，可能性较大。"
        + SWN_BASIS
    )
    assert sugs(identity) == [("05B", D("113.14"), "送温暖工程统计表!E20", "transposition")]
    assert sugs(bound) == [("06C", D("18.40"), "送温暖工程统计表!E26", "unit")]


def test_two_slips_in_one_rule(tmp_path):
    report = check(write(tmp_path, PDS, {**FUNDS, "swn:05B": D("13.41"), "swn:05C": D("90.00")}))
    f = _only(report, "identity")
    assert f.message == (
        SWN.format("34.71", "115.98", "81.27")
        + SWN_CODES
        + "最可能是政府拨款（05B，E20）填错：13.41 疑为 13.14（两位数字颠倒）。"
        + "最可能是工会拨款（05C，E21）填错：90.00 疑为 9.00（小数点位置错了）。"
        + SWN_BASIS
    )
    assert [s[:2] for s in sugs(f)] == [("05B", D("13.14")), ("05C", D("9.00"))]
    assert f.suspects == ["05B", "05C"]


def test_a_random_value_is_located_with_the_change_that_ties_and_its_pinned_value(tmp_path):
    # 05C or 05D alone cannot absorb 64.63 (they would go negative); 05A can: a tie of two
    f = _only(check(write(tmp_path, PDS, {**FUNDS, "swn:05B": D("77.77")})), "identity")
    assert f.message == (
        SWN.format("34.71", "99.34", "64.63")
        + SWN_CODES
        + "最可能是政府拨款（05B，E20）填错，请核对。"
        + "若只有政府拨款（05B，E20）填错，按各项规则应为 13.14。"
        + "只改筹集慰问款物总额（05A）也同样能使各项相符；"
        + "改筹集慰问款物总额（05A）要改含分项的项目，它填错的可能较小，政府拨款（05B）可能性较大。"
        + SWN_BASIS
    )
    assert (f.suggestion, f.suspects) == (None, ["05B"])


def test_a_wrong_total_leaves_the_candidates(tmp_path):
    f = _only(check(write(tmp_path, PDS, {**FUNDS, "swn:05A": D("99.99")})), "identity")
    assert f.message.endswith(
        "相差 65.28 万元（05A = 05B + 05C + 05D；规则 swn-05）。有 4 种同样小的改法，无法确定是哪一种，"
        "请逐一核对：政府拨款（05B，E20）；或工会拨款（05C，E21）；或社会募集（05D，E22）；"
        "或筹集慰问款物总额（05A，E19）。" + SWN_BASIS
    )
    assert f.suggestion is None


def test_a_failing_warning_elsewhere_does_not_switch_fixes_off(tmp_path):
    # fewer households visited (04B) than registered (03A): a warning, true of this return
    v = samples.consistent(ALL[PDS])
    changes = {**FUNDS, "swn:04B": v["swn:03A"] - 1, "swn:05B": D("13.41")}
    report = check(write(tmp_path, PDS, changes))
    assert _only(report, "inequality").severity == "warning"
    assert _only(report, "identity").suggestion.value == D("13.14")


# ---- the property: a single typo is corrected exactly, or left without a suggestion ---------


def _return(form, values) -> Return:
    ret = Return(Path("r.xlsx"), form.id)
    ret.header = {k: Entry(v, "s", "A1") for k, v in HEADER.items()}
    for table in form.tables:
        ret.tables[table.id] = {
            ref: Entry(float(values[f"{table.id}:{ref}"]), table.title, ref)
            for ref in table.cells
            if values.get(f"{table.id}:{ref}") is not None
        }
    return ret


def _equality_cells(form) -> list[str]:
    model, _, _ = validate.rule_model(form)
    return sorted({k for c in model.checks if c.op == "=" for k in c.keys})


@st.composite
def typos(draw):
    form = ALL[draw(st.sampled_from(sorted(ALL)))]
    values = samples.consistent(form, seed=draw(st.integers(0, 50)))
    key = draw(st.sampled_from(_equality_cells(form)))
    decimals = 2 if values[key].as_tuple().exponent < 0 else 0
    text = str(int(values[key].scaleb(decimals))).zfill(decimals + 1)
    i = draw(st.integers(0, len(text) - 1))
    digit = draw(st.sampled_from("0123456789"))
    kind = draw(st.sampled_from(["swap", "digit", "extra", "drop", "unit", "sign"]))
    if kind == "swap" and i + 1 < len(text):
        text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    elif kind == "digit":
        text = text[:i] + digit + text[i + 1 :]
    elif kind == "extra":
        text = text[:i] + digit + text[i:]
    elif kind == "drop" and len(text) > 1:
        text = text[:i] + text[i + 1 :]
    # a slip that leaves a leading zero ("506" -> "06") drops two digits, not one
    assume(text == str(int(text)).zfill(decimals + 1))
    typed = D(int(text)).scaleb(-decimals)
    if kind == "unit" and decimals:
        typed = values[key] * 10000
    if kind == "sign":
        typed = -values[key]
    return form, values, key, typed


@settings(max_examples=150, deadline=None)
@given(typos())
def test_a_single_typo_is_corrected_exactly_or_not_at_all(case):
    form, values, key, typed = case
    ret = _return(form, {**values, key: typed})
    report = validate.validate(form, ret, validate.Options())
    table, ref = key.split(":", 1)
    where = f"{form.table(table).title}!{ref}"  # a rule across tables has no table of its own
    for f in report.findings:
        for s in [f.suggestion, *f.also]:
            if s is not None:
                assert (s.cell, s.item, s.value) == (where, ref, values[key]), f.message


# ---- the batch screen -------------------------------------------------------------------------


def _batch(n: int, changes: dict[int, dict]) -> list:
    form = ALL[PDS]
    out = []
    for i in range(n):
        values = {**samples.consistent(form, seed=i), **changes.get(i, {})}
        report = validate.validate(form, _return(form, values), validate.Options())
        report.unit = f"单位{i}"
        out.append(report)
    return out


# bfzx 07A[万元] (政府拨款的金额合计) is in no rule: 10A, the old example, now has a
# plausibility bound (swn-return-subsidy-per-person) that catches 元 typed for 万元 by itself
FAR = "bfzx:07A[万元]"


def test_yuan_for_wanyuan_in_an_item_no_rule_covers_is_an_outlier_with_its_fix():
    v = samples.consistent(ALL[PDS], seed=3)
    reports = _batch(16, {3: {FAR: v[FAR] * 10000}})
    assert all(not r.findings for r in reports)  # no rule sees it
    screen.screen(reports, ALL)
    f = _only(reports[3], "outlier")
    assert f.severity == "warning" and f.items == ["07A[万元]"]
    assert f.message == (
        "县（区）级帮扶中心中，地方财政拨款支持的（政府拨款的金额合计）（07A[万元]）填的是 "
        f"{v[FAR] * 10000:.2f} 万元，约为其他 15 个单位中位数的 13,069 倍"
        "（按与县（区）级以上困难职工帮扶中心总数的比例），请核对；"
        f"{v[FAR] * 10000:.2f} 疑为 {v[FAR]}（按元填写，应为万元）。"
    )
    assert (f.suggestion.item, f.suggestion.value, f.suggestion.why) == (
        "07A[万元]",
        v[FAR],
        "unit",
    )
    assert [r for i, r in enumerate(reports) if i != 3 and r.findings] == []


def test_a_big_batch_is_screened_against_all_units_at_once():
    # past 200 units the median and MAD are worked out once, not once a unit left out
    v = samples.consistent(ALL[PDS], seed=3)
    reports = _batch(230, {3: {FAR: v[FAR] * 10000}})
    screen.screen(reports, ALL)
    f = _only(reports[3], "outlier")
    assert "约为其他 229 个单位中位数的" in f.message
    assert (f.cell, f.suggestion.value, f.suggestion.why) == (
        "困难职工帮扶中心统计表!07A[万元]",
        v[FAR],
        "unit",
    )
    assert sum(bool(r.findings) for r in reports) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.just(float("nan")), st.floats(-2, 6), st.sampled_from([0.0, 0.5, 1.0])),
        min_size=screen.MIN_OTHERS + 1,
        max_size=40,
    )
)
def test_a_small_batch_sweep_keeps_every_unit_the_exact_test_flags(scores):
    """Below 200 units each unit is scored against the others' median and MAD; the sweep that
    picks which units to score must never leave out one the exact test flags."""
    from array import array

    stats = screen._Stats(array("d", scores))
    flagged = {
        i
        for i, x in enumerate(scores)
        if x == x and (sc := stats.scale(i, 0.0)) is not None and screen._far(*sc[:3])
    }
    assert flagged <= set(stats.candidates())


def test_too_few_units_are_not_screened():
    v = samples.consistent(ALL[PDS], seed=3)
    reports = _batch(5, {3: {FAR: v[FAR] * 10000}})
    screen.screen(reports, ALL)
    assert all(not r.findings for r in reports)


def test_a_figure_that_moved_by_a_power_of_ten_from_last_year():
    v = samples.consistent(ALL[PDS], seed=1)
    now = _batch(2, {1: {"swn:07A": v["swn:07A"] * 10}})
    before = _batch(2, {})
    screen.screen(now, ALL, before)
    f = _only(now[1], "outlier")
    assert f.message == (
        f"向困难职工和下岗失业人员提供政策宣传（07A）填的是 {v['swn:07A'] * 10} 人次，"
        f"是上年 {v['swn:07A']} 的 10 倍，请核对。"
    )
    assert not now[0].findings


@pytest.mark.parametrize("lang", ["en"])
def test_messages_in_english(tmp_path, lang):
    from wenuan.words.messages import set_lang

    set_lang(lang)
    f = _only(check(write(tmp_path, PDS, {**BIG, "swn:06C": D("184000.00")})), "inequality")
    assert f.message == (
        "向农民工发放 (184000.00 万元) should be at most 发放款物 (80.20 万元)"
        " (06C <= 06A; rule swn-06C-in-06A). Most likely 向农民工发放 (06C, E26) is wrong:"
        " 184000.00 may be 18.40 (元 typed for 万元). This is the only change of one cell that makes every figure agree. Basis: “其中向农民工发放”."
    )


# ---- a loose slip alone in one failing sum: suggested only when a coincidence is unlikely ----


def test_a_dropped_digit_two_slips_explain_as_well_is_named_without_a_value(tmp_path):
    # 1.14 for 13.14 is a dropped digit, but two slips in the sum give 12.00 about as often
    f = _only(check(write(tmp_path, PDS, {**FUNDS, "swn:05B": D("1.14")})), "identity")
    assert f.message.startswith(SWN.format("34.71", "22.71", "12.00") + SWN_CODES)
    assert (
        "有 4 种同样小的改法，无法确定是哪一种，请逐一核对：政府拨款（05B，E20）；或" in f.message
    )
    assert (f.suggestion, f.also) == (None, [])


def test_two_slips_in_one_sum_are_not_taken_for_a_dropped_digit(tmp_path):
    # 05B 1.43 typed 0.13 and 05D 0.86 typed 0.36: 05B 0.13 -> 1.93 would restore the sum
    v = {"swn:05A": D("2.71"), "swn:05B": D("0.13"), "swn:05C": D("0.42"), "swn:05D": D("0.36")}
    f = _only(check(write(tmp_path, PDS, {**FUNDS, **v})), "identity")
    assert f.suggestion is None


def test_the_odds_of_one_slip_against_two():
    model, _, decimals = validate.rule_model(ALL[PDS])
    eq = next(c for c in model.checks if set(c.keys) == {f"swn:05{c}" for c in "ABCD"})
    x = {k: int(v.scaleb(decimals[k])) for k, v in FUNDS.items()}
    # a slip at the last digit of a cent figure: two slips make 0.01 less often than one
    assert suggest.one_over_two(eq, {**x, "swn:05B": 1304}, decimals) == pytest.approx(7.18, 0.01)
    assert suggest.one_over_two(eq, {**x, "swn:05B": 114}, decimals) == pytest.approx(2.49, 0.01)
    assert suggest.one_over_two(eq, {**x, "swn:05B": 314}, decimals) >= suggest.ONE_OVER_TWO
    assert suggest.one_over_two(eq, {**x, "swn:05B": 114}, decimals) < suggest.ONE_OVER_TWO


def test_a_count_with_a_trailing_zero_typed_twice():
    assert suggest.kind_of_slip(D(570), D(57), 0) == "zero"
    assert suggest.kind_of_slip(D(57), D(5), 0) == "extra"


def test_a_count_no_rule_covers_typed_ten_times_over_is_corrected_by_the_batch():
    form = ALL["jiaozuo-2023"]
    values = [samples.consistent(form, seed=i) for i in range(16)]
    values[3] = {**values[3], "dryx:D": values[3]["dryx:D"] * 10}
    reports = [validate.validate(form, _return(form, v), validate.Options()) for v in values]
    for i, r in enumerate(reports):
        r.unit = f"单位{i}"
    screen.screen(reports, ALL)
    f = _only(reports[3], "outlier")
    typed, right = values[3]["dryx:D"], values[3]["dryx:D"] / 10
    assert f.message.endswith(f"；{typed} 疑为 {right}（末尾多打了一个 0）。")
    assert (f.suggestion.item, f.suggestion.value, f.suggestion.why) == ("D", right, "zero")
    assert [r for i, r in enumerate(reports) if i != 3 and r.findings] == []


def test_the_odds_count_only_slips_the_other_rules_leave_standing():
    # 01A 167 = 01B 74 + 01C 93, 01B typed 7: a slip of 01B below 74 would break 02B <= 01B
    # and 06A <= 01B (both 74), so two slips in the sum seldom give 67; one slip often does
    model, _, decimals = validate.rule_model(ALL[PDS])
    v = samples.consistent(ALL[PDS], seed=1)
    x = {k: int(val.scaleb(decimals[k])) for k, val in v.items()} | {"bfzx:01B": 7}
    eq = next(c for c in model.checks if set(c.keys) == {"bfzx:01A", "bfzx:01B", "bfzx:01C"})
    group = next(g for g in model.groups if eq in g)
    assert suggest.one_over_two(eq, x, decimals) == pytest.approx(2.94, 0.01)
    assert suggest.one_over_two(eq, x, decimals, group) == pytest.approx(10.68, 0.01)


def test_a_dropped_digit_the_other_rules_single_out_is_corrected(tmp_path):
    v = samples.consistent(ALL[PDS], seed=1)
    report = check(write(tmp_path, PDS, {**v, "bfzx:01B": D(7)}))
    assert [f.kind for f in report.findings] == ["identity", "inequality", "inequality"]
    f = report.findings[0]
    assert "相差 67 个（01A = 01B + 01C；规则 bfzx-01）。" in f.message
    assert "最可能是地市级（01B，E7）填错：7 疑为 74（漏打了一位数字）。" in f.message
    assert {sugs(f)[0] for f in report.findings} == {
        ("01B", D(74), "困难职工帮扶中心统计表!E7", "dropped")
    }


def _outcome(sets) -> tuple:
    """What `diagnose` takes from the cheapest sets: the one cheapest, or every candidate."""
    if len(sets) == 1 or (sets and sets[0][0] < sets[1][0] - 1e-6):
        return ("located", sorted(sets[0][1]))
    return ("candidates", sorted({k for _, s in sets for k in s}))


@pytest.mark.parametrize("form_id", sorted(ALL))
def test_sets_found_without_the_solver_are_the_solvers(form_id, monkeypatch):
    import random

    form = ALL[form_id]
    model, totals, decimals = validate.rule_model(form)
    compared = without = 0
    for seed in range(40):
        rng = random.Random(seed)
        values = samples.consistent(form, seed=seed)
        x = {k: int(v.scaleb(decimals[k])) for k, v in values.items()}
        for k in rng.sample(sorted({k for c in model.checks for k in c.keys}), rng.randint(1, 3)):
            x[k] = rng.choice([-x[k], x[k] * 10000, x[k] // 10, rng.randrange(2 * x[k] + 10), 0])
        weights = {
            k: suggest.NEGATIVE if v < 0 else suggest.TOTAL if k in totals else suggest.CELL
            for k, v in x.items()
        }
        for group in model.groups:
            checks = list(group)
            keys = {k for c in checks for k in c.keys}
            if all(c.holds(x) for c in checks) and all(x[k] >= 0 for k in keys):
                continue
            fast = suggest.smallest_sets(checks, x, weights)
            with monkeypatch.context() as m:
                m.setattr(suggest, "_single_sets", lambda *a: None)
                solver = suggest.smallest_sets(checks, x, weights, most=50)
            assert _outcome(fast) == _outcome(solver), (seed, fast, solver)
            compared += 1
            top = 2 * max(sum(abs(x[k]) for k in keys), 1) + 10**4
            without += suggest._single_sets(checks, x, weights, sorted(keys), top) is not None
    assert compared >= 10 and without >= 10, (compared, without)  # the fast path was taken


def test_a_failing_sum_of_ten_parts_no_slip_explains_names_every_cell(tmp_path):
    """Eleven cells tie as the one to change (no slip gives 37): all are named, not six of them."""
    jz = "jiaozuo-2019"
    typed = samples.consistent(ALL[jz])["bfzx:08C[人次]"] + 37
    f = _only(check(write(tmp_path, jz, {"bfzx:08C[人次]": typed})), "identity")
    parts = [f"08{c}[人次]" for c in "BCDEFGHIJ"]
    named = [tie[0]["item"] for tie in f.params["advice"]["ties"]]
    assert named == [*parts, "08A[人次]"]  # every one, not six of them
    for item in ["08A[人次]", *parts]:
        assert f"（{item}，E" in f.message
    assert (f.suggestion, f.suspects) == (None, [])


JZ = "jiaozuo-2019"  # bfzx: 01A = 01B + 01C; 02A = 02B + 02C; 02C, 07A <= 01C; 07B <= 07A


def test_of_two_digit_slips_in_one_group_the_one_that_stands_alone_is_corrected(tmp_path):
    """01C 44 for 84 and 02B 6 for 66: two loose slips in two sums of one group. 44 → 84 would
    be taken alone, so it is; 6 → 66 would not (two slips in 02A's sum give 60 as well): 02B is
    named as the one cell left to change, without a value."""
    report = check(write(tmp_path, JZ, {"bfzx:01C": D(44), "bfzx:02B": D(6)}))
    by_rule = {f.rule: f for f in report.findings}
    assert sorted(by_rule) == ["bfzx-01", "bfzx-02", "bfzx-02C-in-01C", "bfzx-07-in-01C"]
    for rule in ("bfzx-01", "bfzx-02C-in-01C", "bfzx-07-in-01C"):
        f = by_rule[rule]
        assert sugs(f) == [("01C", D(84), "2018年度困难职工帮扶中心工作统计表!E8", "digit")], rule
        assert (
            "（01C，E8）填错：44 疑为 84（一位数字写错）。另有一处填错，见其他问题。" in f.message
        )
    f = by_rule["bfzx-02"]
    assert (f.suggestion, f.suspects) == (None, ["02B"])
    assert "相差 60 个（02A = 02B + 02C；规则 bfzx-02）。最可能是" in f.message
    assert "（02B，E10）填错，请核对。" in f.message


TIED = "只改 01C 与 02A 也同样能使规则成立；改 01C 与 02A 要改含分项的项目，它填错的可能较小，01C 与 02B 可能性较大。"


def test_a_slip_every_tied_pair_shares_is_corrected(tmp_path):
    """01A 105 for 150 (digits swapped) and 07B 834 for 84 (a digit too many): 834 may be 84,
    83 or 34 under 07A = 84, so three pairs tie, and all three correct 01A to 150."""
    report = check(write(tmp_path, JZ, {"bfzx:01A": D(105), "bfzx:07B": D(834)}))
    by_rule = {f.rule: f for f in report.findings}
    assert sugs(by_rule["bfzx-01"]) == [
        ("01A", D(150), "2018年度困难职工帮扶中心工作统计表!E6", "transposition")
    ]
    assert "填错：105 疑为 150（两位数字颠倒）。另有一处填错，见其他问题。" in (
        by_rule["bfzx-01"].message
    )
    bound = by_rule["bfzx-07B-in-07A"]
    assert (bound.suggestion, bound.suspects) == (None, ["07B"])


def test_two_slips_each_alone_under_a_bound_the_sure_one_is_corrected(tmp_path):
    """07A 89 for 84 (`07B <= 07A <= 01C`, both 84: only 84 fits) and 06B 663 for 66 (under
    `06B <= 06A` = 66 it may be 66 or 63): no sum pins either slip, yet every pair that restores
    both bounds corrects 07A to 84; 06B is named without a value."""
    changes = {"bfzx:07A[个]": D(89), "bfzx:06B": D(663)}
    by_rule = {f.rule: f for f in check(write(tmp_path, JZ, changes)).findings}
    assert sorted(by_rule) == ["bfzx-06B-in-06A", "bfzx-07-in-01C"]
    assert sugs(by_rule["bfzx-07-in-01C"]) == [
        ("07A[个]", D(84), "2018年度困难职工帮扶中心工作统计表!E23", "digit")
    ]
    bound = by_rule["bfzx-06B-in-06A"]
    assert (bound.suggestion, bound.suspects) == (None, ["06B"])
    assert " 663 个，不应大于" in bound.message
    assert "（06B，E22）填错（只改这里是唯一的最小改法），请核对。" in bound.message


EXPRS = [  # beside the forms' rules: constants, a reference twice, a product of two
    "A1 = 0.1 * A",
    "A - A <= B",
    "2.0 * (A + B) >= C - 3.5",
    "A = B * 0.5 + C * 2.0 - 1.0",
    "A * B = C",
]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_rule_checked_as_a_sum_says_what_interval_arithmetic_says(data):
    """The sums worked out once a form (suggest.affine) agree with `holds_within` on every
    rule of every form and on expressions with constants, repeats and products."""
    from wenuan.forms.rules import parse

    cases = []  # (expr, keys, its sum, each key's half unit)
    for form in ALL.values():
        half = {
            f"{tb.id}:{r}": validate._HALF[c.decimals]
            for tb in form.tables
            for r, c in tb.cells.items()
        }
        for (rule, _, keys), summed in zip(
            validate._bound_rules(form), validate._affine_rules(form), strict=True
        ):
            cases.append((rule.parsed, keys, summed, half))
    half = {"A": D(0), "C": D(0), "A1": D("0.005"), "B": D("0.005")}
    for text in EXPRS:
        expr = parse(text)
        keys = [str(r) for r in expr.refs()]
        cases.append((expr, keys, suggest.affine(expr, keys, half), half))
    assert sum(c is None for _, _, c, _ in cases) == 1  # the product alone is left to intervals
    number = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
    for expr, keys, summed, half in cases:
        if summed is None:
            continue
        values = {k: data.draw(number) for k in dict.fromkeys(keys)}
        if data.draw(st.booleans()):  # a case where the rule holds, or nearly
            values[keys[0]] = D(0)
            values[keys[0]] = -(summed.const + sum(c * values[k] for k, c in summed.terms))
            values[keys[0]] += data.draw(st.sampled_from([D(0), D("0.01"), D("-0.01"), D(1)]))

        def interval(k, v, half=half):
            return v - half[k], v + half[k]

        assert summed.holds(values) == suggest.holds_within(expr, keys, values, interval)


# ---- only true claims: unique, ties, values pinned ------------------------------------------


def _zhengzhou_2021_as_first_written(tmp_path):
    """Zhengzhou's form with its first rule, A1 = 0.1 * A (an error): 1000 元 a model worker."""
    from wenuan.forms import model as forms

    text = (Path(__file__).parents[1] / "forms" / "zhengzhou-2021.yaml").read_text()
    old = "expr: A1 <= 0.1 * A\n        severity: warning"
    assert old in text
    path = tmp_path / "zhengzhou-2021.yaml"
    path.write_text(text.replace(old, "expr: A1 = 0.1 * A"))
    return forms.load_form(path)


def test_a_that_ties_with_a1_is_no_unique_change(tmp_path):
    """A typed 923 for 932, A1 93.20: A → 932 and A1 → 92.30 are both one cell (both digits
    swapped). Neither is called the only one; both are named, A1 first (A has parts)."""
    from wenuan.outputs import writing

    form = _zhengzhou_2021_as_first_written(tmp_path)
    values = {**samples.consistent(form), "jwj:A": D(923), "jwj:A1": D("93.20")}
    path = tmp_path / "r.xlsx"
    writing.save_atomically(writing.filled(form, values, HEADER), path, force=True)
    report = validate.validate_file(path, {form.id: form}, validate.Options())
    f = _only(report, "rule")
    assert "唯一" not in f.message
    assert f.message.split("依据")[0].endswith(
        "最可能是发放慰问金（A1，E7）填错，请核对。若只有发放慰问金（A1，E7）填错，按各项规则应为 92.30。"
        "只改走访慰问70周岁及以上的全国劳模（A）也同样能使各项相符；改走访慰问70周岁及以上的全国劳模（A）"
        "要改含分项的项目，它填错的可能较小，发放慰问金（A1）可能性较大。"
    )
    assert (f.suggestion, f.suspects) == (None, ["A1"])
    model, totals, decimals = validate.rule_model(form)
    x = {k: int(v.scaleb(decimals[k])) for k, v in values.items()}
    weights = {k: suggest.TOTAL if k in totals else suggest.CELL for k in x}
    group = next(g for g in model.groups if any("jwj:A" in c.keys for c in g))
    d = suggest.diagnose(group, x, decimals, weights)
    assert (d.unique, d.ties, d.why_first) == (False, [["jwj:A1"], ["jwj:A"]], "total_cell")
    assert d.deduced == [suggest.Fix("jwj:A1", 9230, "deduced")]


def _diagnosis(form_id: str, changes: dict):
    form = ALL[form_id]
    model, totals, decimals = validate.rule_model(form)
    values = {**samples.consistent(form), **changes}
    x = {k: int(v.scaleb(decimals[k])) for k, v in values.items()}
    weights = {k: suggest.TOTAL if k in totals else suggest.CELL for k in x}
    key = next(iter(changes))
    group = next(g for g in model.groups if any(key in c.keys for c in g))
    return suggest.diagnose(group, x, decimals, weights)


def test_a_transposition_another_cell_ties_with_is_not_sure():
    d = _diagnosis(PDS, {**FUNDS, "swn:05B": D("13.41")})
    assert d.fixes == [suggest.Fix("swn:05B", 1314, "transposition")]
    assert d.unique is False
    assert d.ties == [["swn:05B"], ["swn:05C"], ["swn:05D"], ["swn:05A"]]
    assert d.why_first == "transposition"


def test_a_negative_value_only_it_can_mend_is_unique_and_pinned():
    d = _diagnosis(PDS, {**BIG, "swn:05B": D("-1250")})
    assert (d.fixes, d.located, d.unique, d.ties) == ([], ["swn:05B"], True, [])
    assert d.deduced == [suggest.Fix("swn:05B", 11314, "deduced")]


def test_eleven_tied_cells_are_all_listed():
    """No cut at six: each of the eleven cells of a failing sum of ten parts alone would do."""
    jz = "jiaozuo-2019"
    typed = samples.consistent(ALL[jz])["bfzx:08C[人次]"] + 37
    d = _diagnosis(jz, {"bfzx:08C[人次]": typed})
    parts = [f"bfzx:08{c}[人次]" for c in "BCDEFGHIJ"]
    assert d.ties == [[k] for k in parts] + [["bfzx:08A[人次]"]]
    assert (d.unique, d.why_first) == (False, None)


def test_pairs_of_cells_in_no_common_rule_are_found_without_the_solver(monkeypatch):
    """01C 44 and 02B 6: no one cell mends both sums, so the smallest sets are pairs; those in
    no common rule are judged by each cell's interval, without the solver."""
    form = ALL[JZ]
    model, _, decimals = validate.rule_model(form)
    values = {**samples.consistent(form), "bfzx:01C": D(44), "bfzx:02B": D(6)}
    x = {k: int(v.scaleb(decimals[k])) for k, v in values.items()}
    group = next(g for g in model.groups if any("bfzx:01C" in c.keys for c in g))
    solved, can_fix = [], suggest._can_fix
    monkeypatch.setattr(suggest, "_can_fix", lambda *a: solved.append(a[2]) or can_fix(*a))
    sets, complete = suggest.smallest_by_count(list(group), x)
    assert (sorted(sorted(s) for s in sets), complete) == (
        [["bfzx:01C", "bfzx:02A"], ["bfzx:01C", "bfzx:02B"]],
        True,
    )
    assert solved == [{"bfzx:01C", "bfzx:02C"}]  # 02C <= 01C: the one pair in a common rule
