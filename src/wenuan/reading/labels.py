"""Labels as people write them, matched to a table's items.

A label is compared in a canonical form: full-width folded, every space and line break gone,
leading numbering (`1.`, `（一）`, `①`), `其中：`, a year or 本年度 prefix, a trailing colon and
the unit in brackets removed. What still differs after that is compared by similarity
(rapidfuzz); such a match is reported, so the clerk sees what the reader assumed.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from wenuan.forms.model import UNITS, Item, Table

_CIRCLED = re.compile(r"^[\u2460-\u24ff\u2776-\u2793]")
_NUMBERING = re.compile(
    r"^(?:\(?(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)、.,:]|\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\))"
)
_OF_WHICH = re.compile(r"^(?:其中|含)[:,]?")
_YEAR = re.compile(r"^(?:\d{4}年度?|本年度|本年|今年|当年)")
_UNIT_NAMES = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
_UNIT_TAIL = re.compile(rf"\((?:单位[:：]?)?(?:{_UNIT_NAMES})(?:\)|$)|[:：]$")
_BRACKETED = re.compile(r"\([^()]*\)")
_SPACED_UNIT = re.compile(rf"(?<=\S\S)\s+(?:{_UNIT_NAMES})$")  # 筹集慰问款物总额 万元
UNIT_IN_LABEL = re.compile(rf"\((?:单位[:：]?)?({_UNIT_NAMES})\)\s*$")

NEAR = 88  # rapidfuzz ratio a near label must reach
MARGIN = 6  # ... and by which it must beat the next item


@lru_cache(maxsize=1 << 16)
def fold(text) -> str:
    """Full-width folded, every kind of space and line break removed."""
    text = unicodedata.normalize("NFKC", str(text))
    return "".join(text.split())


@lru_cache(maxsize=1 << 16)
def canonical(text) -> str:
    """A label as compared: folded; numbering, 其中, year, colon, and the unit in brackets or
    after a space removed."""
    text = unicodedata.normalize("NFKC", _CIRCLED.sub("", str(text).strip()))  # ① before NFKC
    text = fold(_SPACED_UNIT.sub("", text.strip()))
    for _ in range(2):  # 1.其中：… and 其中：1.… both occur
        text = _OF_WHICH.sub("", _NUMBERING.sub("", text))
    text = _YEAR.sub("", text)
    for _ in range(2):
        text = _UNIT_TAIL.sub("", text)
    return text


def unit_in_label(text) -> str | None:
    """The unit a label carries in brackets at its end: 筹集慰问款物总额（万元） -> 万元."""
    return _unit_in_label(str(text))


@lru_cache(maxsize=1 << 14)
def _unit_in_label(text: str) -> str | None:
    m = UNIT_IN_LABEL.search(unicodedata.normalize("NFKC", text).strip())
    return m.group(1) if m else None


@lru_cache(maxsize=1 << 14)
def _plain(text: str) -> str:
    """Canonical text with bracketed asides dropped: 慰问困难职工(含农民工) -> 慰问困难职工."""
    return _BRACKETED.sub("", text)


@dataclass(frozen=True)
class Match:
    """The items a text may name, and how: 'exact' (after canonical folding) or 'near'."""

    codes: tuple[str, ...]
    how: str
    score: float = 100.0


class Labels:
    """A table's item labels, indexed for matching (built once per table)."""

    def __init__(self, table: Table):
        self.items: dict[str, Item] = {}
        self.parent: dict[str, str | None] = {}
        self.order: dict[str, int] = {}
        self.exact: dict[str, list[str]] = {}
        self.plain: dict[str, list[str]] = {}
        self.headings: set[str] = set()
        self.heading_codes: set[str] = set()  # the items that hold no figure
        self.totals: set[str] = set()  # the items with sub-items
        stack: list[str] = []
        for i, (item, depth) in enumerate(table.walk()):
            del stack[depth:]
            self.items[item.code] = item
            self.parent[item.code] = stack[-1] if stack else None
            self.order[item.code] = i
            stack.append(item.code)
            if item.items:
                self.totals.add(item.code)
            if not item.all_values:
                self.headings.add(canonical(item.label))
                self.heading_codes.add(item.code)
                continue  # a heading holds no figure: nothing to read from its row
            key = canonical(item.label)
            self.exact.setdefault(key, []).append(item.code)
            self.plain.setdefault(_plain(key), []).append(item.code)
        self._choices = list(self.exact)
        self._near_memo: dict[str, Match | None] = {}

    def match(self, text: str, near: bool = True) -> Match | None:
        """The item(s) a cell's text names, or None."""
        key = canonical(text)
        if len(key) < 2:
            return None
        if key in self.exact:
            return Match(tuple(self.exact[key]), "exact")
        if _plain(key) in self.plain:
            return Match(tuple(self.plain[_plain(key)]), "exact")
        if not near or key in self.headings or len(key) < 4:  # 3 characters are never near
            return None
        if key not in self._near_memo:
            if len(self._near_memo) > 10_000:  # a long batch's stray texts
                self._near_memo.clear()
            self._near_memo[key] = self._near(key)
        return self._near_memo[key]

    def _near(self, key: str) -> Match | None:
        from rapidfuzz import fuzz, process

        found = process.extract(key, self._choices, scorer=fuzz.ratio, limit=2)
        if not found or found[0][1] < NEAR:
            return None
        if len(found) > 1 and found[0][1] - found[1][1] < MARGIN:
            return None  # two items are about as near: say nothing rather than guess
        return Match(tuple(self.exact[found[0][0]]), "near", round(found[0][1], 1))

    def resolve(self, codes: tuple[str, ...], last: str | None, taken) -> str | None:
        """One item of several with the same label (地市级 under 01A, 02A, 03A), by position:
        the one under the row read last, else its next sibling, else none."""
        if len(codes) == 1:
            return None if codes[0] in taken else codes[0]
        free = [c for c in codes if c not in taken]
        if len(free) <= 1:
            return free[0] if free else None
        if last is None:
            return None
        for anchor in (last, self.parent.get(last)):
            under = [c for c in free if anchor and self.parent[c] == anchor]
            if len(under) == 1:
                return under[0]
        after = [c for c in free if self.order[c] > self.order[last]]
        return min(after, key=self.order.get) if after else None
