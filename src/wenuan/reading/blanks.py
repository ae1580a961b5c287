"""The notice's own form filled in: a table whose rows are sentences with blanks (当地职工总数
人；) and a unit's figure typed into each blank (当地职工总数　36517　人。), read as cells:
the label, then each blank's figure and unit (共包专列　2　列，运送　1800　人次 -> 共包专列 | 2 |
列 | 1800 | 人次)."""

import re
import unicodedata
from functools import lru_cache

from wenuan.forms.model import UNITS
from wenuan.reading.model import Grid

_UNITS = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
# a blank: a figure (typed in it, spaces or underscores around it or not) or an empty run of
# spaces and underscores; then the unit printed after it
_BLANK = re.compile(rf"[ _]*(?P<fig>-?\d[\d,]*(?:\.\d+)?)?[ _]*(?P<unit>{_UNITS})")
_CLAUSE = re.compile(r"^[,;.，；。、]")
_ENDS = re.compile(r"(?<=[;。；])\s*\n")  # several sentences in one cell, a line each


def _han(text: str) -> int:
    """How many Chinese characters a text holds (counted: a pattern of the whole range takes some
    2 ms to compile, at every start)."""
    return sum("\u4e00" <= c <= "\u9fff" for c in text)


def blanks(text: str) -> list | None:
    """A sentence with blanks as [label, figure, unit, figure, unit, …] (a figure "" when the
    blank is empty), or None when the text is no such sentence."""
    text = unicodedata.normalize("NFKC", text).replace("\n", "")
    if ":" in text or _han(text) < 4:
        return None  # 填报单位：… is a header field, 人 alone a unit
    segments, found, start = [], [], 0
    for m in _BLANK.finditer(text):
        blank, before = m.group(0)[: m.start("unit") - m.start()], text[start : m.start()]
        after = text[m.end() : m.end() + 1]
        # a blank is a figure, two spaces or more, or a space before a unit that ends a clause
        if not (
            m.group("fig") or len(blank) >= 2 or (blank and (not after or _CLAUSE.match(after)))
        ):
            continue
        if not found and _han(before) < 2:
            return None  # the label comes first
        segments.append(before)
        found.append((m.group("fig") or "", m.group("unit")))
        start = m.end()
    if not found:
        return None
    label = segments[0]
    for segment in segments[1:]:  # 帮助　名职工追讨欠薪　万元: the words between go on the label
        if _CLAUSE.match(segment):
            break  # 共包专列　列，运送　人次: a new clause is the second figure's own word
        label += segment
    return [label.strip(" ,;.，；。、_"), *(v for pair in found for v in pair)]


def sentences(text: str) -> list[str]:
    """A cell's text as its sentences, when it holds several with blanks (a line each)."""
    parts = [p for p in _ENDS.split(text) if p.strip()]
    return parts if len(parts) > 1 and all(blanks(p) for p in parts) else [text]


_KEY = re.compile(r"^[(（]?[0-9A-Za-z一二三四五六七八九十]{1,3}[)）.、]?$")  # 01, （A）, 一、


def filled_rows(row: list[str]) -> list[tuple[int, list]] | None:
    """A table row of the notice's form (01 | （A） | 当地职工总数　36517　人。) as the rows it
    reads as, each with the sentence's index in the cell; None for any other row. The sentence
    is the row's last text, and every other text is a number or a code."""
    texts = [j for j, v in enumerate(row) if v and v.strip()]
    if not texts or any(not _keys(row[j]) for j in texts[:-1]):
        return None
    k = texts[-1]
    cells = _sentence_cells(row[k])
    return [(i, [*row[:k], *c]) for i, c in enumerate(cells)] if cells else None


@lru_cache(maxsize=1 << 12)
def _sentence_cells(text: str) -> tuple | None:
    """Each sentence of a cell as its cells, or None (kept per text: a batch repeats its rows)."""
    cells = tuple(blanks(p) for p in sentences(text))
    return cells if all(cells) else None


def _keys(text: str) -> bool:
    """01, （A）, or several a line (（C）（D）（E） beside three sentences in one cell)."""
    return all(_KEY.match(line.strip()) for line in text.split("\n") if line.strip())


def expanded(grid: Grid) -> Grid:
    """The grid with each row of the notice's form read as its cells (label, figure, unit …), all
    at the sentence's cell (its second blank 第2空, a second sentence in the cell 第2句); the grid
    itself when it holds no such row."""
    lines = [_filled(row) for row in grid.rows]
    if not any(lines):
        return grid
    rows, places, covered = [], {}, set()
    for r, filled in enumerate(lines):
        row = grid.rows[r]
        k = max(j for j, v in enumerate(row) if _text(v)) if filled else len(row)
        for n, line in filled or [(0, row)]:
            at = len(rows)
            for j in range(len(line)):
                if j < k:
                    places[(at, j)] = grid.place(r, j)
                    if (r, j) in grid.covered:
                        covered.add((at, j))
                    continue
                blank = (j - k + 1) // 2  # label | figure | unit | figure | unit: its blank
                places[(at, j)] = (
                    grid.place(r, k)
                    + (f"第{n + 1}句" if n else "")
                    + (f"第{blank}空" if blank > 1 else "")
                )
            rows.append(line)
    return Grid(grid.name, rows, covered, places=places, hidden=grid.hidden, margins=grid.margins)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _filled(row: list) -> list[tuple[int, list]] | None:
    """filled_rows of a row whose cells may hold numbers (a sheet's 1 | （A） | sentence)."""
    for last in reversed(row):
        if last is not None and last != "":
            break
    else:
        return None
    if not isinstance(last, str) or len(last := last.strip()) < 5 or not _sentence_cells(last):
        return None  # the row's last text is no sentence (a figure, a unit): most rows
    return filled_rows([_text(v) for v in row])
