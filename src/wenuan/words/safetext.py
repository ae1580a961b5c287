"""Text from a file or a name made safe to show: one function for terminals, notices and the web
page (`printable`), one for JSON (`json_text`); file names have `writing.safe_name`. `shown`
also masks ID and card numbers (`idnumbers.mask_numbers`).

The convention: a control character (C0 and C1, DEL, line breaks and tabs included), a
direction mark or override (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069) and a line or
paragraph separator (U+2028/U+2029) is written as Python writes it in a string: `\\x1b`, `\\n`,
`\\u202e`. Nothing else changes, a backslash neither."""

import re

_BIDI = "\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"  # with U+2028/9, line separators
_ANY = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_BUT_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")
_NOT_C0 = re.compile(f"[\x7f-\x9f{_BIDI}]")


def _visible(m: re.Match) -> str:
    return m.group().encode("unicode_escape").decode("ascii")


def printable(text, lines: bool = False) -> str:
    """`text` with every control and bidi character written as a visible escape (`\\x1b`,
    `\\u202e`); with `lines`, line breaks stay (text wenuan made of lines, not a name)."""
    s = str(text)
    return (_BUT_LINES if lines else _ANY).sub(_visible, s)


def shown(text) -> str:
    """Text from a file as wenuan shows it anywhere: printable, ID and card numbers masked."""
    from wenuan.lists.idnumbers import mask_numbers

    return printable(mask_numbers(text))


def json_text(data) -> str:
    """`data` as indented JSON whose text holds no control or bidi character: JSON writes C0
    controls as `\\u001b` itself; the others are written so too (a JSON reader gets them back)."""
    import json  # only for --format json: not in every command's start

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _NOT_C0.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
