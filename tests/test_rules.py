"""Rule expressions: parsed without eval, checked with interval arithmetic."""

from decimal import Decimal as D

import pytest

from wenuan.forms import rules
from wenuan.forms.rules import Ref


@pytest.mark.parametrize(
    "text, kind, refs",
    [
        ("05A = 05B + 05C + 05D", "identity", ["05A", "05B", "05C", "05D"]),
        ("08B[名] <= 08A[名]", "inequality", ["08B[名]", "08A[名]"]),
        ("04B ≥ 03A", "inequality", ["04B", "03A"]),
        ("A1 = 0.1 * A", "rule", ["A1", "A"]),
        ("C1 = C", "rule", ["C1", "C"]),
        ("H = 1", "rule", ["H"]),
        ("swn:B1 <= bfzx:05B + bfzx:05C", "rule", ["swn:B1", "bfzx:05B", "bfzx:05C"]),
        ("E = (E1 + E2) - E3", "rule", ["E", "E1", "E2", "E3"]),
    ],
)
def test_parse(text, kind, refs):
    expr = rules.parse(text)
    assert expr.kind == kind
    assert [str(r) for r in expr.refs()] == refs


@pytest.mark.parametrize(
    "text", ["05A + 05B", "05A = ", "05A = 05B +", "05A = __import__('os')", "a = (b"]
)
def test_parse_refuses(text):
    with pytest.raises(rules.ExprError):
        rules.parse(text)


def _iv(v, half):
    return (D(v) - D(half), D(v) + D(half))


def test_amount_identity_tolerates_rounding_of_each_term():
    expr = rules.parse("A = B + C + D")
    a, b, c, d = (
        Ref(None, "A", None),
        Ref(None, "B", None),
        Ref(None, "C", None),
        Ref(None, "D", None),
    )
    # 1/3 万元 each, written to two decimals: 0.33 * 3 = 0.99, total written 1.00
    vals = {
        a: _iv("1.00", "0.005"),
        b: _iv("0.33", "0.005"),
        c: _iv("0.33", "0.005"),
        d: _iv("0.33", "0.005"),
    }
    assert rules.holds(expr, vals)
    vals[a] = _iv("1.03", "0.005")  # off by 0.04 > 4 × 0.005
    assert not rules.holds(expr, vals)


def test_count_identity_is_exact():
    expr = rules.parse("A = B + C")
    a, b, c = (Ref(None, x, None) for x in "ABC")
    assert rules.holds(expr, {a: (D(3), D(3)), b: (D(1), D(1)), c: (D(2), D(2))})
    assert not rules.holds(expr, {a: (D(4), D(4)), b: (D(1), D(1)), c: (D(2), D(2))})


def test_inequality_and_fixed_amount():
    le = rules.parse("B <= A")
    a, b = Ref(None, "A", None), Ref(None, "B", None)
    assert rules.holds(le, {a: (D(5), D(5)), b: (D(5), D(5))})
    assert not rules.holds(le, {a: (D(5), D(5)), b: (D(6), D(6))})
    fixed = rules.parse("B = 0.1 * A")
    assert rules.holds(fixed, {a: (D(7), D(7)), b: _iv("0.70", "0.005")})
    assert not rules.holds(fixed, {a: (D(7), D(7)), b: _iv("0.07", "0.005")})
