"""ID numbers and bank cards: GB 11643 and Luhn by their definitions, masking, hashing."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenuan.lists import idnumbers as ids

VALID = "11010519491231002X"  # the example printed in GB 11643-1999
CARD = "6222021234567890128"  # 19 digits, Luhn digit 8


def test_the_standards_own_example_passes():
    got = ids.check_id(VALID)
    assert (got.problem, got.birth, got.digits) == (None, date(1949, 12, 31), VALID)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("11010519491231002x", None),  # a small x is the same X
        ("１１０１０５１９４９１２３１００２Ｘ", None),  # full-width, as typed in WPS
        ("110105 19491231 002X", None),
        ("110105194912310021", "checksum"),
        ("990105194912310028", "province"),
        ("110105194902300025", "birth"),  # 30 February
        ("110105188001010022", "birth"),  # before 1890: a typo, not a person
        ("1101051949123100", "length"),
        ("11010519491231002", "length"),
        ("1101051949123100X2", "chars"),
        ("11010519491231002Y", "chars"),
        ("身份证", "chars"),
        ("", "length"),
    ],
)
def test_id_problems(text, problem):
    assert ids.check_id(text).problem == problem


def test_a_15_digit_number_is_recognized_and_converted():
    got = ids.check_id("110105491231002")
    assert got.old and got.problem is None and got.birth == date(1949, 12, 31)
    assert got.digits == "11010519491231002" + ids.check_digit("11010519491231002")
    assert ids.check_id("990105491231002").problem == "province"
    assert ids.check_id("110105491331002").problem == "birth"


@pytest.mark.parametrize(
    "birth, day, age",
    [
        (date(1951, 7, 1), date(2021, 7, 1), 70),
        (date(1951, 7, 2), date(2021, 7, 1), 69),
        (date(1952, 2, 29), date(2021, 2, 28), 68),
    ],
)
def test_age_in_full_years(birth, day, age):
    assert ids.age_on(birth, day) == age


def _valid_ids():
    days = st.dates(date(1900, 1, 1), date(2020, 12, 31))
    return st.builds(
        lambda p, area, born, seq: (
            base := f"{p}{area:04d}{born:%Y%m%d}{seq:03d}",
            base + ids.check_digit(base),
        )[1],
        st.sampled_from(sorted(ids.PROVINCES)),
        st.integers(0, 9999),
        days,
        st.integers(0, 999),
    )


@given(_valid_ids())
def test_any_id_with_its_check_digit_passes(number):
    assert ids.check_id(number).problem is None


@given(_valid_ids(), st.integers(0, 17), st.integers(1, 9))
def test_any_single_digit_change_fails(number, at, shift):
    old = number[at]
    if old == "X":
        new = str(shift)
    else:
        new = (
            "X"
            if at == 17 and (int(old) + shift) % 10 == int(old)
            else str((int(old) + shift) % 10)
        )
    changed = number[:at] + new + number[at + 1 :]
    got = ids.check_id(changed)
    assert got.problem is not None
    if changed[:2] in ids.PROVINCES and got.birth:
        assert got.problem == "checksum"


def test_luhn_and_card_checks():
    assert ids.luhn_ok(CARD) and ids.luhn_ok("79927398713")
    assert not ids.luhn_ok("79927398710")
    assert ids.check_card(CARD) is None
    assert ids.check_card("6222 0212 3456 7890 128") is None
    assert ids.check_card("6222021234567890127") == "luhn"
    assert ids.check_card("622202123456789") == "length"  # 15 digits
    assert ids.check_card("6222-0212-3456-789A") == "chars"
    assert ids.check_card("现金") == "chars"


def _luhn_by_definition(digits: str) -> bool:
    """ISO/IEC 7812: double every second digit from the right, add the digits, a multiple of 10."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n // 10 + n % 10
    return total % 10 == 0


@given(st.text("0123456789", min_size=2, max_size=25))
def test_luhn_matches_its_definition(digits):
    assert ids.luhn_ok(digits) == _luhn_by_definition(digits)
    assert _luhn_by_definition(digits[:-1] + ids.luhn_digit(digits[:-1]))


@pytest.mark.parametrize(
    "raw, lost",
    [
        (4.10402198001011e17, True),
        ("4.10402198001011E+17", True),
        (410402198001011, False),
        ("410402195101011234", False),
        (1234.0, False),
        (True, False),
        ("6.22202E+18", True),
    ],
)
def test_numbers_stored_as_numbers(raw, lost):
    assert ids.lost_digits(raw) == lost


def test_masks():
    assert ids.mask_id(VALID) == "110105********002X"
    assert ids.mask_id("110105491231002") == "110105*****1002"
    assert ids.mask_id(4.10402198001011e17) == "410402************"
    assert ids.mask_card(6.222021234567891e18) == "6222 **** **** ****"
    assert ids.mask_card(CARD) == "6222 **** **** 0128"
    assert ids.mask_card("6222 0212 3456 7890") == "6222 **** **** 7890"
    assert ids.mask_id("12345") == "***45"
    assert ids.mask_id("123") == "***"


def test_fingerprint_matches_the_same_number_only_with_the_same_salt():
    a = ids.fingerprint(VALID, b"s")
    assert a == ids.fingerprint("11010519491231002x", b"s")
    assert a != ids.fingerprint(VALID, b"t")
    assert a != ids.fingerprint("110105194912310037", b"s")
    assert VALID not in a
