"""公民身份号码 and bank card numbers: checked by their definitions, masked, and hashed.

Pure functions, no file and no output: an ID number is checked by GB 11643-1999 (the ISO 7064
MOD 11-2 check digit, a real birth date, a province code of GB/T 2260), a 15-digit number of
before 1999 is recognized and converted; a card by its length and the Luhn digit (ISO/IEC 7812).
A number never leaves wenuan whole: `mask_id`, `mask_card`, and `fingerprint` for matching.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from operator import mul

# GB/T 2260 province-level codes (the first two digits); 71 台湾, 81 香港, 82 澳门.
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK = "10X98765432"
CARD_LENGTHS = range(16, 20)  # 银联 debit and credit cards: 16 to 19 digits
_SEPARATORS = re.compile(r"[\s\-]")


_ID18 = re.compile(r"\d{17}[\dX]")
_LOST = re.compile(r"\s*\d(?:\.\d+)?[eE]\+?\d+\s*")


def normalize(text) -> str:
    """A number as typed, full-width folded, spaces and dashes removed, x made X."""
    s = str(text)
    if s.isascii() and s.isalnum():  # the usual cell: nothing to fold or remove
        return s.upper()
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", s)).upper()


def check_digit(first17: str) -> str:
    """The 18th character of an ID number: ISO 7064 MOD 11-2 over the first 17 digits."""
    if len(first17) != 17:
        raise ValueError(first17)
    return _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


@dataclass(frozen=True)
class IdNumber:
    """An ID number as checked: its 18-digit form, birth date, and what is wrong (or None)."""

    digits: str  # 18 characters for a 15-digit number too (converted); else as typed
    birth: date | None
    problem: str | None  # chars, length, province, birth, checksum
    old: bool = False  # a 15-digit number of before 1999


def check_id(text) -> IdNumber:
    """Check a 公民身份号码 (18 digits, or 15 of the old kind) by GB 11643."""
    s = normalize(text)
    if len(s) == 15 and s.isdigit():
        birth = _birth(f"19{s[6:12]}")
        converted = s[:6] + "19" + s[6:] + check_digit(s[:6] + "19" + s[6:])
        problem = _province(s) or (None if birth else "birth")
        return IdNumber(converted, birth, problem, old=True)
    if not _ID18.fullmatch(s):
        bad = len(s) in (15, 18) or not re.fullmatch(r"[\dX]*", s)
        return IdNumber(s, None, "chars" if bad else "length")
    birth = _birth(s[6:14])
    problem = (
        _province(s)
        or (None if birth else "birth")
        or (None if check_digit(s[:17]) == s[17] else "checksum")
    )
    return IdNumber(s, birth, problem)


def _province(s: str) -> str | None:
    return None if s[:2] in PROVINCES else "province"


def _birth(yyyymmdd: str) -> date | None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    return born if born.year >= 1890 else None


def age_on(birth: date, day: date) -> int:
    """Full years (周岁) on `day`: a person born 1951-07-01 is 70 on 2021-07-01."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_DOUBLED = tuple(2 * d - 9 if d > 4 else 2 * d for d in range(10))  # 2d, its digits summed


def luhn_digit(partial: str) -> str:
    """The Luhn check digit that completes `partial`."""
    doubled = sum(map(_DOUBLED.__getitem__, map(int, partial[::-2])))  # from the rightmost
    kept = sum(map(int, partial[-2::-2]))
    return str(-(doubled + kept) % 10)


def luhn_ok(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the others."""
    return len(digits) > 1 and digits.isdigit() and luhn_digit(digits[:-1]) == digits[-1]


def check_card(text) -> str | None:
    """What is wrong with a bank card number (chars, length, luhn), or None."""
    s = normalize(text)
    if not s.isdigit():
        return "chars"
    if len(s) not in CARD_LENGTHS:
        return "length"
    return None if luhn_ok(s) else "luhn"


def lost_digits(raw) -> bool:
    """A long number stored as a number (4.10402198001011E+17): Excel keeps 15 digits, so the
    rest are gone and must be typed again as text; never guessed."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, (int, float)):
        return abs(raw) >= 1e15
    s = str(raw)
    return ("e" in s or "E" in s) and bool(_LOST.fullmatch(s))


def digits_of(raw) -> str:
    """The characters of a number cell as a text: 410402195101011234, or an integer cell
    (a 15-digit number survives as one); a lost-digits value gives its rounded digits."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and lost_digits(raw):
        try:
            raw = int(float(raw))
        except (OverflowError, ValueError):
            pass
    return normalize(raw)


def mask_id(text) -> str:
    """An ID number with all but its first 6 and last 4 characters hidden: 410402********1234."""
    s = digits_of(text)
    if lost_digits(text):  # its last digits are rounding, not the person's: none shown
        return s[:6] + "*" * (len(s) - 6)
    if len(s) >= 14:
        return s[:6] + "*" * (len(s) - 10) + s[-4:]
    return _mask_short(s)


def mask_card(text) -> str:
    """A card number with all but its first and last 4 digits hidden: 6222 **** **** 1234."""
    s = digits_of(text)
    if lost_digits(text):
        return f"{s[:4]} **** **** ****"
    if len(s) >= 12:
        return f"{s[:4]} **** **** {s[-4:]}"
    return _mask_short(s)


def _mask_short(s: str) -> str:
    """A short or garbled number: only its last 2 characters shown."""
    return "*" * max(len(s) - 2, 0) + s[-2:] if len(s) > 4 else "*" * len(s)


def fingerprint(text, salt: bytes) -> str:
    """A salted hash of a number, the same for the same number and salt: for matching."""
    return hashlib.sha256(salt + digits_of(text).encode()).hexdigest()[:16]


# What may stand between the digit groups of a number typed by hand: spaces and line breaks,
# dashes, dots, underscores, and invisible marks (zero-width, soft hyphen, direction marks).
_GAP = (
    r"\s\-_.\u00ad\u00b7\u2010-\u2015\u2024\u2212\u30fb\ufe58\ufe63\uff0d\uff0e"
    r"\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
)
_X = "XxＸｘ"
_RUN = re.compile(rf"\d(?:[{_GAP}]{{0,3}}\d){{12,}}(?:[{_X}](?![A-Za-z]))?")  # 13 digits or more
_GROUP = re.compile(r"\d+")
_LOST_TEXT = re.compile(r"\d[.．]\d{12,}[eE]\+?\d+")  # an ID or card as Excel shows a number
_DOTS = (".", "．")
# the digits a mask shows (+86 too) are not joined to the numbers beside them: 1312 138…
_MASK_BEFORE = re.compile(rf"\*[{_GAP}]{{0,3}}$")
_MASK_AFTER = re.compile(rf"[{_GAP}]{{0,3}}\*")


def mask_numbers(text) -> str:
    """`text` with every number that could be an ID (15 or 18 characters, X last) or a card
    (13 to 19 digits) masked as `mask_id` or `mask_card` would, however typed: in groups with
    spaces, dashes or dots between, full-width, inside other words. Amounts (a decimal part),
    phone numbers (an area code starting with 0) and dates at either end stay as they are."""
    s = _LOST_TEXT.sub(lambda m: mask_id(m.group()), str(text))
    return _RUN.sub(_masked_run, s)


def _masked_run(m: re.Match) -> str:
    """One run of digit groups, its stretches that could be an ID or card masked."""
    run = m.group()
    spans = [g.span() for g in _GROUP.finditer(run)]
    gaps = [run[a[1] : b[0]] for a, b in zip(spans, spans[1:], strict=False)]
    sizes = [b - a for a, b in spans]
    sizes[-1] += run[-1] in _X
    apart = [False] * len(spans)  # groups no ID or card is made of
    before = m.string[max(m.start() - 4, 0) : m.start()]
    apart[0] = before[-1:] == "+" or sizes[0] <= 4 and bool(_MASK_BEFORE.search(before))
    apart[-1] |= sizes[-1] <= 6 and bool(_MASK_AFTER.match(m.string, m.end()))
    digits = [run[a:b] for a, b in spans]
    for i, gap in enumerate(gaps):  # 1234567.89: the digits after a lone dot are a fraction
        near = gaps[i - 1 : i] + gaps[i + 1 : i + 2]
        fraction = gap in _DOTS and all(g not in _DOTS for g in near)
        apart[i + 1] |= fraction and (sizes[i + 1] < 13 or _noise(digits[i + 1]))
    for order in (range(0, len(spans) - 2, 3), range(len(spans) - 3, -1, -3)):
        for i in order:  # dates at either end: 2021.5.1-2021.5.31
            if not _date(digits[i : i + 3], gaps[i : i + 2]):
                break
            apart[i : i + 3] = [True] * 3
    masked = [False] * len(spans)
    for i in range(len(spans)):
        total = 0
        for j in range(i, len(spans)):
            if apart[j]:
                break
            total += sizes[j]
            if total > 19:  # one long group may hold one, glued to more; 10**26 does not
                masked[i] |= i == j and not _noise(digits[i])
                break
            if total >= 13 and not _phone(sizes[i : j + 1], digits[i]):
                masked[i : j + 1] = [True] * (j + 1 - i)
    out, at, i = [], 0, 0
    while i < len(spans):
        if not masked[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(spans) and masked[j + 1]:
            j += 1
        end = len(run) if j == len(spans) - 1 else spans[j][1]
        out += [run[at : spans[i][0]], _masked(run[spans[i][0] : end])]
        at, i = end, j + 1
    return "".join(out) + run[at:]


def _masked(typed: str) -> str:
    """A stretch of groups as one number, masked as an ID (15 or 18 characters) or a card."""
    chars = "".join(str(unicodedata.decimal(c)) for c in typed if c.isdigit())
    chars += "X" if typed[-1] in _X else ""
    return mask_id(chars) if len(chars) in (15, 18) or chars[-1] == "X" else mask_card(chars)


def _noise(fraction: str) -> bool:
    """Whether long digits are a binary float's fraction (0.30000000000000004) or a round
    figure (10**26), not a number typed."""
    return "00000" in fraction or "99999" in fraction


def _date(groups: list[str], gaps: list[str]) -> bool:
    """Whether three groups with the same gap between them are a date (2021-05-20)."""
    if len(groups) < 3 or gaps[0] != gaps[1]:
        return False
    y, mo, d = groups
    short = len(y) == 4 and len(mo) <= 2 and len(d) <= 2
    return short and 1900 <= int(y) < 2100 and 1 <= int(mo) <= 12 and 1 <= int(d) <= 31


def _phone(sizes: list[int], first: str) -> bool:
    """Whether groups are a phone number: an area code 0375, 7 or 8 digits, an extension."""
    return (
        first[0] in "0０"
        and 3 <= sizes[0] <= 4
        and len(sizes) in (2, 3)
        and 7 <= sizes[1] <= 8
        and (len(sizes) == 2 or sizes[2] <= 4)
    )
