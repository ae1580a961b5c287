"""Numbers as people type them: `1,200`, `１２`, `12人`, ` 5 `, `—`, `5000元`, `1.2万`."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

EMPTY = {"", "-", "—", "——", "–", "/", "／", "无", "空", "null", "none", "n/a"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class Parsed(NamedTuple):
    """A cell read as a number: `value` None when empty or unreadable (then `problem` says why)."""

    value: Decimal | None
    unit: str | None = None  # a unit written after the number, such as 元 in `5000元`
    problem: str | None = None  # "not_number"


def of_float(raw: float) -> Decimal:
    """A finite float as the number a workbook shows: 15 significant digits, as Excel itself
    keeps (0.1+0.2 is 0.3, not binary noise)."""
    return Decimal(f"{raw:.15g}")


def parse(raw, units: tuple[str, ...] = ()) -> Parsed:
    """Read a cell's raw value (number, text, date or empty) as a Decimal."""
    if type(raw) is float and raw == raw and abs(raw) < 2**53 and raw == int(raw):
        return Parsed(Decimal(int(raw)))  # the common case: a whole number from a workbook
    if raw is None or raw == "":
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(None, problem="not_number")
    if isinstance(raw, int):
        return Parsed(Decimal(raw))
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Parsed(None, problem="not_number")
        return Parsed(of_float(raw))
    if not isinstance(raw, str):
        return Parsed(None, problem="not_number")
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if text.lower() in EMPTY:
        return Parsed(None)
    text = text.replace(",", "").replace("，", "")
    unit = None
    for u in sorted(units, key=len, reverse=True):
        if text.endswith(u) and len(text) > len(u):
            text, unit = text[: -len(u)], u
            break
    if unit is None and "万元" in units and text.endswith("万") and _NUMBER.fullmatch(text[:-1]):
        text, unit = text[:-1], "万"  # 1.2万: ten thousands (1.2万 人 is 12000, 1.2万 万元 1.2)
    if not _NUMBER.fullmatch(text):
        return Parsed(None, problem="not_number")
    try:
        return Parsed(Decimal(text), unit)
    except InvalidOperation:
        return Parsed(None, problem="not_number")
