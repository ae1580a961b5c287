"""Values as people type them."""

from decimal import Decimal as D

import pytest

from wenuan.forms.model import UNITS
from wenuan.numbers import Parsed, parse

UNITS_T = tuple(UNITS)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (12, Parsed(D(12))),
        (12.0, Parsed(D(12))),
        (88.125, Parsed(D("88.125"))),
        (1e26, Parsed(D("1E+26"))),  # not int(1e26), which carries binary noise
        (0.1 + 0.2, Parsed(D("0.3"))),  # a formula's float noise, as Excel shows it
        ("1,200", Parsed(D(1200))),
        ("1，200", Parsed(D(1200))),
        ("１２", Parsed(D(12))),
        ("12人", Parsed(D(12), "人")),
        ("3.5万元", Parsed(D("3.5"), "万元")),
        ("5000元", Parsed(D(5000), "元")),
        ("1.2万", Parsed(D("1.2"), "万")),  # ten thousands: the reader scales it by the cell's unit
        ("1.2万万", Parsed(None, problem="not_number")),
        (" 5 ", Parsed(D(5))),
        ("0.50", Parsed(D("0.50"))),
        ("-3", Parsed(D(-3))),
        ("", Parsed(None)),
        (None, Parsed(None)),
        ("—", Parsed(None)),
        ("/", Parsed(None)),
        ("无", Parsed(None)),
        ("  ", Parsed(None)),
        ("十二", Parsed(None, problem="not_number")),
        ("12abc", Parsed(None, problem="not_number")),
        ("1.2.3", Parsed(None, problem="not_number")),
        (True, Parsed(None, problem="not_number")),
        (float("nan"), Parsed(None, problem="not_number")),
    ],
)
def test_parse(raw, expected):
    assert parse(raw, UNITS_T) == expected


def test_ten_thousands_only_where_amounts_are_in_wanyuan():
    """1.2万 is read only by a caller whose units include 万元 (a return); a payment list in 元
    keeps it as text it cannot read, as before."""
    assert parse("1.2万", ("元",)) == Parsed(None, problem="not_number")
