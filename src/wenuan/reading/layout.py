"""Where each table of a form is in a file, and where each of its values is.

1. Regions: a table's title (or a close variant of it) starts a region, which runs down to the
   next title and, when tables stand side by side, right to the empty column before the next.
   Rows with no title above them form a region of their own, split where a code sequence
   restarts, and go to the table whose items they name most.
2. Rows: a row names an item by its code, by its label (as people write it, see `labels`), or
   continues the row above (a row with two figures written as two rows, one per unit).
3. Columns: the header row gives each column a role (序号, 代码, 项目, 单位, 数值, 上年同期,
   备注); without one, roles come from what the columns hold. A value is read from a value
   column only, never from a label, code, unit, last-year or remarks column.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import NamedTuple

from wenuan.forms.model import UNITS, Form, Table
from wenuan.numbers import parse
from wenuan.reading.labels import MARGIN, Labels, canonical, fold, unit_in_label
from wenuan.reading.model import Entry, Grid, Return, a1

_UNIT_TEXT = re.compile(
    rf"^\(?({'|'.join(sorted(map(re.escape, UNITS), key=len, reverse=True))})"
    r"\)?(?:\([0-9A-Za-z\[\]]+\))?$"
)
SIDE_BY_SIDE_ROWS = 3  # titles this close in rows belong to tables side by side
_UNIT_NAMES = tuple(UNITS)  # the units a figure may be written with (12人)
_YUAN_SLIPS = {("元", "万元"), ("万元", "元")}  # a unit beside a value that changes its scale
NAMES_KEPT = 50_000  # texts whose meaning a plan remembers
TITLE_SLACK = 16  # characters a title cell may add to the title: 附件2、2010年 …、（续表）

# Header words for column roles, tried in this order (上年同期数 is last year's, not a value;
# "prior" heads any figures that are not the return's: last year's, a change, a rate, a target).
ROLES = (
    ("note", ("备注", "说明", "附注")),
    (
        "prior",
        (
            *("上年", "去年", "同期", "上期", "增减", "增长", "同比", "比上年", "占比", "比例"),
            *("%", "率", "任务", "计划", "目标", "预算"),
        ),
    ),
    ("code", ("代码", "编码", "代号", "编号")),
    ("seq", ("序号", "行次", "栏次")),
    ("unit", ("计量单位", "单位")),
    (
        "value",
        (
            "数值",
            "值",
            "本期",
            "本年",
            "今年",
            "数量",
            "合计",
            "金额",
            "实际",
            "完成",
            "填报",
            "数据",
            "累计",
            "人数",
            "户数",
            "人次",
            "数",
        ),
    ),
    ("label", ("项目", "指标", "名称", "内容", "类别", "事项")),
)


def unit_word(text) -> str | None:
    """人, （人）, 万元（D9): the unit a unit cell names, else None."""
    return _unit_word(text) if isinstance(text, str) else None


@lru_cache(maxsize=1 << 14)
def _unit_word(text: str) -> str | None:
    m = _UNIT_TEXT.match(fold(text))
    return m.group(1) if m else None


@lru_cache(maxsize=1 << 12)
def role_of(text: str) -> str | None:
    """The role a header cell gives its column."""
    text = fold(text)
    if not text or len(text) > 12 or ":" in text:
        return None
    if text in ("单位", "计量单位") or text.startswith("计量"):
        return "unit"
    for role, words in ROLES:
        if role != "unit" and any(w in text for w in words):
            return role
    return "value" if unit_word(text) or unit_in_label(text) else None  # 慰问对象（人次）


_YEAR_IN = re.compile(r"((?:19|20)\d\d)年")


@dataclass(frozen=True)
class _Plan:
    """What reading needs of a table, worked out once."""

    labels: Labels
    title: str  # canonical
    codes: dict[str, tuple[str, str | None]]  # code as written -> (item, the one ref it names)
    refs: dict[str, list[tuple[str, str]]]  # item -> [(ref, unit)]
    names: dict[str, tuple] = field(default_factory=dict)  # what a cell's text names, once


_PLANS: dict[int, tuple[Table, _Plan]] = {}


def plan(table: Table) -> _Plan:
    """The table's reading plan (kept with the table, so its id stays its own)."""
    if id(table) not in _PLANS:
        refs: dict[str, list[tuple[str, str]]] = {}
        codes: dict[str, tuple[str, str | None]] = {}
        for ref, cell in table.cells.items():
            refs.setdefault(cell.item, []).append((ref, cell.unit))
        for item, group in refs.items():
            codes[item.upper()] = (item, None)
            for ref, _ in group:
                if "[" not in ref and ref != item:  # Ezhou's D9 beside C9
                    codes[ref.upper()] = (item, ref)
        _PLANS[id(table)] = (
            table,
            _Plan(Labels(table), canonical(table.title), codes, refs),
        )
    return _PLANS[id(table)][1]


# --- regions -------------------------------------------------------------------------------


@dataclass
class Region:
    """A rectangle of a grid holding (part of) one table."""

    grid: Grid
    rows: range
    cols: range
    table: str | None = None


_TITLES: dict[int, tuple[Form, dict]] = {}


def _titles(form: Form) -> dict:
    """Texts already seen, and the table whose title each carries (None: no title)."""
    if id(form) not in _TITLES or len(_TITLES[id(form)][1]) > NAMES_KEPT:
        _TITLES[id(form)] = (form, {})
    return _TITLES[id(form)][1]


def _titled(text: str, form: Form) -> str | None:
    """The table whose title a cell carries, if it is a title cell."""
    key = canonical(text)
    if len(key) < 4:
        return None
    best, best_len = None, 0
    for table in form.tables:
        title = plan(table).title
        if len(key) > len(title) + TITLE_SLACK or len(title) <= best_len:
            continue
        if title in key or (
            2 * min(len(key), len(title)) >= 0.9 * (len(key) + len(title))  # may reach 90
            and len(set(title) & set(key)) >= 0.8 * len(set(title))
            and _ratio(title, key) >= 90
        ):
            best, best_len = table.id, len(title)
    return best


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz  # imported only when a text is near enough to need it

    return fuzz.ratio(a, b)


def _title_cells(grid: Grid, form: Form) -> list[tuple[int, int, str]]:
    """(row, column, table) of each cell holding a table's title."""
    known = _titles(form)
    out = []
    for r, c, text in grid.texts:
        table = known.get(text, 0)  # None: seen, no title
        if table == 0:
            table = known[text] = _titled(text, form)
        if table:
            out.append((r, c, table))
    return out


_UNION = re.compile(r"^(.{1,16}?(?:总工会|工会))")
_REPORT = re.compile(r"^(.{1,16}?(?:总工会|工会))关于.*(?:报告|情况|统计)")


def unit_in_title(grids: list[Grid], form: Form) -> Entry | None:
    """The reporting union named before a table's title (温县总工会冬日送温暖…统计表), or as the
    sender of a report that holds the tables (叶县总工会关于…情况的报告), unless it is the union
    that issued the notice (its own title copied from the notice)."""
    for grid in grids:
        first = min((r for r, _, _ in _title_cells(grid, form)), default=len(grid.rows))
        for r, c, text in grid.texts:
            m = _REPORT.match(fold(text)) if r < first else None
            if m and m.group(1) != fold(form.union or ""):
                return Entry(m.group(1), grid.name, grid.place(r, c), "title")
        for r, c, table in _title_cells(grid, form):
            title, text = fold(form.table(table).title), fold(grid.rows[r][c])
            if title not in text:
                continue
            m = _UNION.match(re.sub(r"^附件\d*[:：]?", "", text.split(title)[0]))
            if m and m.group(1) != fold(form.union or ""):
                return Entry(m.group(1), grid.name, grid.place(r, c), "title")
    return None


def regions(form: Form, grid: Grid) -> list[Region]:
    """The grid cut into regions: under each title, and what is left with no title."""
    rows, width = grid.rows, max(map(len, grid.rows), default=0)
    titles = _title_cells(grid, form)
    if not titles:
        return _untitled(Region(grid, range(len(rows)), range(width)), form)
    out = []
    first = min(r for r, _, _ in titles)
    if first > 0:  # rows above the first title: a header, or a table whose title is missing
        out += _untitled(Region(grid, range(first), range(width)), form)
    for r, c, tid in titles:
        beside = [c2 for r2, c2, _ in titles if abs(r2 - r) <= SIDE_BY_SIDE_ROWS and c2 != c]
        left = _gap_before(grid, c, r) if any(c2 < c for c2 in beside) else 0
        right = min((_gap_before(grid, c2, r) for c2 in beside if c2 > c), default=width)
        below = [
            r2
            for r2, c2, _ in titles
            if r2 > r + SIDE_BY_SIDE_ROWS or (r2 > r and left <= c2 < right)
        ]
        bottom = min(below, default=len(rows))
        out.append(Region(grid, range(r, bottom), range(left, right), tid))
    return out


def _gap_before(grid: Grid, col: int, row: int) -> int:
    """The first column of the table whose title is at `col`: just after the nearest empty
    column to its left (tables side by side are kept apart by one), else `col` itself."""
    for c in range(col - 1, 0, -1):
        if all(len(r) <= c or r[c] in (None, "") for r in grid.rows[row:]):
            return c + 1
    return col


def _untitled(region: Region, form: Form) -> list[Region]:
    """Rows with no title over them, cut into the tables they name: where a code sequence
    restarts, or where the labels turn from one table's to another's."""
    out = []
    for piece in _split_on_restart(region, form):
        votes: dict[int, str] = {}  # row -> the one table whose label (else code) it carries
        hits = {t.id: _hits(piece, plan(t)) for t in form.tables}
        for by_label in (True, False):
            for tid, rows in hits.items():
                for r, hit in rows.items():
                    if not by_label or hit.label_col is not None:
                        votes[r] = tid if r not in votes else ""
            if any(votes.values()):
                break
        runs: list[tuple[int, str]] = []  # (first row, table), runs of two votes or more
        for r in sorted(r for r, tid in votes.items() if tid):
            if runs and runs[-1][1] == votes[r]:
                continue
            if sum(1 for r2, tid in votes.items() if r2 >= r and tid == votes[r]) >= 2:
                runs.append((r, votes[r]))
        if len(runs) < 2:
            piece.table = runs[0][1] if runs else _best_table(piece, form)
            out.append(piece)
            continue
        # a run starts after the last row of the run before: its title and header go with it
        cuts = [
            max(r2 for r2, tid in votes.items() if r2 < r and tid == prev) + 1
            for (r, _), (_, prev) in zip(runs[1:], runs, strict=False)
        ]
        bounds = [piece.rows.start, *cuts, piece.rows.stop]
        for (_, tid), a, b in zip(runs, bounds, bounds[1:], strict=False):
            out.append(Region(piece.grid, range(a, b), piece.cols, tid))
    return out


def _split_on_restart(region: Region, form: Form) -> list[Region]:
    """A region without a title, cut where a code seen before comes again (two tables, one
    under the other, whose codes both start at 01A)."""
    seen: dict[str, int] = {}
    codes = {code for t in form.tables for code in plan(t).codes}
    start, last = region.rows.start, None
    out = []
    for r in region.rows:
        row = region.grid.rows[r]
        for c in region.cols:
            v = row[c] if c < len(row) else None
            code = fold(v).upper() if isinstance(v, str) else None
            if code not in codes:
                continue
            if code in seen and r - seen[code] > 1 and len(seen) >= 3:
                cut = last + 1  # the next table's title and header go with it
                out.append(Region(region.grid, range(start, cut), region.cols))
                start, seen = cut, {}
            seen.setdefault(code, r)
            last = r
            break
    out.append(Region(region.grid, range(start, region.rows.stop), region.cols))
    return out


# --- rows and columns ----------------------------------------------------------------------


class _Hit(NamedTuple):
    """A row that names an item: by code or label, in column `col`."""

    row: int
    col: int
    how: str
    codes: tuple[str, ...]  # the item, or the items its label could be
    ref: str | None = None  # a per-value code (D9) names one ref of its item
    text: str | None = None
    score: float | None = None
    label_col: int | None = None  # where the row's label is, when it has one


_hit = partial(tuple.__new__, _Hit)  # a _Hit of all its fields, made without NamedTuple's call


@dataclass
class _Columns:
    """The roles of a region's columns."""

    values: list[int]
    units: set[int] = field(default_factory=set)
    unit_of: dict[int, str] = field(default_factory=dict)  # a value column's header unit
    label: int | None = None
    unit_beside: dict[int, int | None] = field(
        default_factory=dict
    )  # the unit column beside each value column

    def __post_init__(self):
        # each value column with its unit column and its header's unit, for every row
        self.slotted = [(c, self.unit_beside.get(c), self.unit_of.get(c)) for c in self.values]
        self.lone = len(self.values) == 1 and bool(self.units)  # one value, its unit in the row


def _cell(grid: Grid, r: int, c: int):
    row = grid.rows[r]
    return row[c] if c < len(row) and (r, c) not in grid.covered else None


def _hits(region: Region, p: _Plan) -> dict[int, _Hit]:
    """Each row's naming cell: a code beats a label; labels matched exactly (after folding)."""
    out: dict[int, _Hit] = {}
    coded: set[int] = set()  # rows named by a code: the rest of the row is not looked at
    covered, rows, cols, names = region.grid.covered, region.rows, region.cols, p.names
    for r, c, v in region.grid.texts_in(rows):
        named = names.get(v)
        if named is not None and not named:
            continue  # a text seen before that names nothing: most texts of a batch
        if c not in cols or r in coded or (covered and (r, c) in covered):
            continue
        if named is None:
            if len(p.names) > NAMES_KEPT:  # a long batch meets many names and phones
                p.names.clear()
            named = p.names[v] = _names(v, p)
        if not named:
            continue
        how, codes, ref = named
        if how == "code":
            label_col = out[r].label_col if r in out else None
            out[r] = _hit((r, c, "code", codes, ref, None, None, label_col))
            coded.add(r)
        elif r not in out and how == "label":
            out[r] = _hit((r, c, how, codes, None, v, None, c))
        elif r not in out:  # 05A筹集慰问款物总额: a code written into the label cell
            out[r] = _Hit(r, c, "code", codes, None, label_col=c)
    return out


def _names(text: str, p: _Plan) -> tuple:
    """What a cell's text names in a table: ("code", items, ref), ("label", items, None),
    ("code-label", item, None) for 05A筹集…, or () for nothing (kept per text in the plan)."""
    folded = fold(text)
    if folded.upper() in p.codes:
        item, ref = p.codes[folded.upper()]
        return ("code", (item,), ref)
    if m := p.labels.match(text, near=False):
        return ("label", m.codes, None)
    if code := _code_with_label(folded, p):
        return ("code-label", (code,), None)
    return ()


_CODE = r"[0-9]{0,2}[A-Z][0-9]{0,2}"
_CODE_AND_LABEL = re.compile(rf"^({_CODE})[.、:]?(.{{2,}})$|^(.{{2,}}?)\(?({_CODE})\)?$", re.I)


def _code_with_label(folded: str, p: _Plan) -> str | None:
    """05A筹集慰问款物总额, 筹集慰问款物总额(05A) or …总额 05A: a code written into its label."""
    m = _CODE_AND_LABEL.match(folded)
    if not m:
        return None
    code, label = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    item = p.codes.get(code.upper(), (None,))[0]
    found = p.labels.match(label, near=False)
    return item if item and found and item in found.codes else None


def _near_hits(region: Region, p: _Plan, col: int, hits: dict[int, _Hit]) -> None:
    """Rows not named yet whose label-column text is near an item's label."""
    covered = region.grid.covered
    for r, c, v in region.grid.texts_in(region.rows):  # "" names nothing
        if c != col or r in hits or (covered and (r, c) in covered):
            continue
        if m := p.labels.match(v):
            hits[r] = _Hit(
                r,
                col,
                m.how if m.how == "near" else "label",
                m.codes,
                None,
                v,
                m.score if m.how == "near" else None,
                col,
            )


GAP = 50  # partial similarity a row between two recognised rows must reach for an item there


def _gap_hits(region: Region, p: _Plan, cols: _Columns, hits: dict[int, _Hit]) -> None:
    """Rows not named yet that hold a figure, between two rows that name items, matched to the
    form's items not named yet between those two (其中低于低保线的困难职工家庭 shortened to 低于低保
    线的家庭): in order, each pair's partial similarity at least GAP, the best total (an
    alignment by dynamic programming)."""
    covered, col = region.grid.covered, cols.label
    loose = [
        r
        for r, c, text in region.grid.texts_in(region.rows)
        if c == col
        and r not in hits
        and not (covered and (r, col) in covered)
        and _gap_row(region, cols, r, text)
    ]
    if not loose:
        return  # most tables: every row with a figure is named
    first = hits[min(hits)]
    if loose[-1] < first.row and len(first.codes) == 1 and p.labels.order[first.codes[0]] == 0:
        return  # only rows above the form's first item (the header row): no item is there
    anchors = sorted((r, p.labels.order[h.codes[0]]) for r, h in hits.items() if len(h.codes) == 1)
    bounds = [(region.rows.start - 1, -1), *anchors, (region.rows.stop, len(p.labels.order))]
    between: dict[int, list[int]] = {}  # the loose rows between bounds[i] and bounds[i + 1]
    starts = [r for r, _ in bounds]
    for r in loose:  # a loose row is no anchor: it falls strictly between two
        between.setdefault(bisect_left(starts, r) - 1, []).append(r)
    named = None
    for i, rows in between.items():  # in the rows' order, as `loose` is
        (_, o1), (_, o2) = bounds[i], bounds[i + 1]
        if o2 - o1 < 2:
            continue  # no item between the two (the header row above the first item)
        named = named or {c for h in hits.values() for c in h.codes}
        items = [
            c
            for c, o in p.labels.order.items()
            if o1 < o < o2 and c not in named and c not in p.labels.heading_codes
        ]
        for r, code, score in _align(region, cols.label, rows, items, p) if items else ():
            text = _cell(region.grid, r, cols.label)
            hits[r] = _Hit(r, cols.label, "near", (code,), None, text, score, cols.label)


def _gap_row(region: Region, cols: _Columns, r: int, text: str) -> bool:
    """A row whose label `text` has four characters or more, no total's word, and a figure."""
    if len(key := canonical(text)) < 4 or key in _TOTAL_WORDS:
        return False
    return any(s.raw not in (None, "") for s in _slots(region, cols, r, None))


def _align(region: Region, col: int, rows: list[int], items: list[str], p: _Plan) -> list:
    """Rows matched to items keeping their order: as many rows as items pair off in order (each
    pair at least GAP alike); else the order-keeping matching with the largest total similarity
    (dynamic programming), of which only the pairs each clearly the other's best are kept."""
    from rapidfuzz import fuzz

    texts = [canonical(_cell(region.grid, r, col)) for r in rows]
    labels = [canonical(p.labels.items[c].label) for c in items]
    score = [[fuzz.partial_ratio(t, lb) for lb in labels] for t in texts]
    n, m = len(rows), len(items)
    if n == m:
        pairs = list(zip(range(n), range(m), strict=True))
    else:
        pairs = [(i, j) for i, j in _best_path(score, n, m) if _clearly(score, i, j)]
    return [(rows[i], items[j], round(score[i][j], 1)) for i, j in pairs if score[i][j] >= GAP]


def _best_path(score: list[list[float]], n: int, m: int) -> list[tuple[int, int]]:
    """The order-keeping pairs (row, item) with the largest total score, pairs below GAP left."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = score[i][j] + best[i + 1][j + 1] if score[i][j] >= GAP else 0.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if score[i][j] >= GAP and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _clearly(score: list[list[float]], i: int, j: int) -> bool:
    """Whether row i and item j are each other's best by MARGIN over any other."""
    others = [s for jj, s in enumerate(score[i]) if jj != j]
    others += [row[j] for ii, row in enumerate(score) if ii != i]
    return all(score[i][j] >= s + MARGIN for s in others)


def _header(region: Region, first: int, key_cols: set[int]) -> tuple[dict, dict]:
    """The roles (and units) the header rows just above the first item give the columns. Of
    columns headed by years (2009年 | 2010年), the latest year's holds the values."""
    grid = region.grid
    roles: dict[int, str] = {}
    units: dict[int, str] = {}
    years: dict[int, int] = {}
    for r in range(max(region.rows.start, first - 3), first):
        row_roles, row_units, row_years, carried = {}, {}, {}, None
        row = grid.rows[r]
        for c in region.cols:
            if (r, c) in grid.covered:  # a header merged over several columns names each
                v = carried
            else:
                v = row[c] if c < len(row) else None
            carried = v if isinstance(v, str) else None
            if not isinstance(v, str) or c in key_cols:
                continue
            if role := role_of(v):
                row_roles[c] = role
                if u := unit_in_label(v) or unit_word(v):
                    row_units[c] = u
            if year := _header_year(v):
                row_years[c] = year
        if len(set(row_years.values())) < 2:
            row_years = {}  # years head columns only when the row sets two side by side
        if len(row_roles) + min(len(row_years), 2) < 2:
            continue  # 填报人：… or a title is no header row
        for c, role in row_roles.items():
            if roles.get(c) not in ("prior", "note"):  # 上年同期 over 数量 stays last year's
                roles[c] = role
        units |= row_units
        years |= row_years
    if len(set(years.values())) > 1:
        for c, year in years.items():
            if roles.get(c) in (None, "value"):
                roles[c] = "value" if year == max(years.values()) else "prior"
    return roles, units


@lru_cache(maxsize=1 << 12)
def _header_year(text: str) -> int | None:
    """The year a header cell names (2010年元旦春节), not a date's nor a long text's."""
    found = _YEAR_IN.findall(fold(text))
    return max(map(int, found)) if found and len(fold(text)) <= 16 and "月" not in text else None


def _columns(region: Region, hits: dict[int, _Hit]) -> _Columns:
    """Column roles from the header row above the first item, else from the columns' contents."""
    grid = region.grid
    key_cols, labels = set(), {}  # the columns that name rows; how many rows each labels
    for h in hits.values():
        key_cols.add(h.col)
        if (c := h.label_col) is not None:
            key_cols.add(c)
            labels[c] = labels.get(c, 0) + 1
    label_col = max(labels, key=labels.__getitem__) if labels else None  # the first of a tie
    if label_col is None:  # codes named every row: the labels are the longest texts beside them
        label_col = _mode(_longest_text(grid.rows[r], region.cols) for r in list(hits)[:3])
    key_cols.add(label_col)
    key_cols.discard(None)
    first = min(hits)
    roles, header_units = _header(region, first, key_cols)
    shown = [c for c in region.cols if c not in grid.hidden]
    values = [c for c in shown if roles.get(c) == "value" and c not in key_cols]
    values = [c for c in values if not _yuan_helper(region, hits, c, values, header_units)]
    units = {c for c in shown if roles.get(c) == "unit"}
    start = min(key_cols)
    if not values:  # no header: the columns right of the labels that hold figures
        skip = key_cols | {c for c, role in roles.items() if role in ("prior", "note", "seq")}
        for c in shown:
            if c <= start or c in skip:
                continue
            cells = [_cell(grid, r, c) for r in hits]
            if any(unit_word(v) for v in cells):
                units.add(c)
            elif any(
                v is not None and v != "" and parse(v, _UNIT_NAMES).problem is None for v in cells
            ):
                values.append(c)
        if not values:  # the notice's form sent back empty: the blank before each unit
            values = [c for c in sorted(units) if c - 1 > start and c - 1 not in skip | units]
            values = [c - 1 for c in values]
    else:  # unit words in a column the header did not name (the template's 单位 beside 数值)
        other = set(shown).difference(key_cols, values, units)
        units |= {
            c
            for r, c, text in grid.texts_in(region.rows)
            if c in other and r in hits and _unit_word(text)
        }
    # A value's unit is written beside it: after it (数值 | 单位, as the notice prints ____人)
    # or before it (单位 | 数值, as the template); which, the first of the columns tells. A value
    # column whose header names its unit (a 元 helper column) needs no unit column: not counted.
    paired = [c for c in values if c not in header_units] or values
    after = bool(values and units) and min(paired) < min(units)
    unit_beside = {}
    for c in values:
        if after:
            near = [u for u in units if u > c and not any(c < v < u for v in values)]
            unit_beside[c] = min(near) if near else None
        else:
            near = [u for u in units if u < c and not any(u < v < c for v in values)]
            unit_beside[c] = max(near) if near else None
    return _Columns(
        values,
        units,
        {c: u for c, u in header_units.items() if c in values},
        label_col,
        unit_beside,
    )


def _yuan_helper(region: Region, hits, c: int, values: list[int], header_units) -> bool:
    """A column headed 元 whose every figure has a figure beside it in another value column
    (金额（元） | 数值 =ROUND(C5/10000,2)): the clerk's helper, not the return's 万元."""
    if header_units.get(c) != "元":
        return False
    others = [o for o in values if header_units.get(o) != "元"]
    rows = [r for r in hits if _cell(region.grid, r, c) not in (None, "")]
    return bool(others and rows) and all(
        any(_cell(region.grid, r, o) not in (None, "") for o in others) for r in rows
    )


def _longest_text(row: list, cols: range) -> int | None:
    texts = [(len(v), c) for c, v in enumerate(row) if c in cols and isinstance(v, str)]
    return max(texts)[1] if texts else None


def _mode(values) -> int | None:
    """The most frequent value, the first seen of those tied (as Counter.most_common)."""
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


class _Slot(NamedTuple):
    """A value cell of a row, and the unit written for it, if any."""

    col: int
    raw: object
    hint: str | None
    beside: bool = False  # the hint is the row's own unit cell beside the value


_slot = partial(tuple.__new__, _Slot)  # a _Slot made without NamedTuple's slower call


def _slots(region: Region, cols: _Columns, r: int, label: str | None) -> list[_Slot]:
    """The row's value cells, each with the unit written for it: in the unit column beside
    it, in the column's header, in the row's label, or in the row's one unit column."""
    grid = region.grid
    row, covered = grid.rows[r], grid.covered if r in grid.covered_rows else None
    width = len(row)
    out = []
    for c, u, header_unit in cols.slotted:
        if covered and (r, c) in covered:
            continue
        own, hint = _hint(cols, row, width, u, header_unit, label)
        out.append(_slot((c, row[c] if c < width else None, hint, own is not None)))
    return out


def _hint(cols: _Columns, row: list, width: int, u: int | None, header_unit, label):
    """(the unit written beside a value cell, the unit its figure is written in): the one
    beside it, else its column header's, else its label's, else the row's one unit cell."""
    beside = row[u] if u is not None and u < width else None
    own = _unit_word(beside) if beside and beside.__class__ is str else None
    hint = own or header_unit or (unit_in_label(label) if label else None)
    if hint is None and cols.lone:
        found = {w for cu in cols.units if cu < width and (w := unit_word(row[cu]))}
        hint = found.pop() if len(found) == 1 else None
    return own, hint


def _row_entry(grid: Grid, cols: _Columns, r: int, pending, how: str, label, score):
    """(ref, Entry) of a row's one value cell in a region with one value column and no merged
    cell (most regions), or None: what `_slots`, `_assign` and `cell_entry` make of it in one
    step. The cell holds the first figure still to read in the unit written for it, else the
    first it may hold (a count's cell holds no money, nor money's a count)."""
    row = grid.rows[r]
    width = len(row)
    c, u, header_unit = cols.slotted[0]
    own, hint = _hint(cols, row, width, u, header_unit, label)
    for choice in pending:
        if choice[1] == hint:
            break
    else:
        for choice in pending:
            if own is None or (hint in _MONEY) == (choice[1] in _MONEY):
                break
        else:
            return None
    ref, unit = choice
    raw = row[c] if c < width else None
    return ref, cell_entry(grid, r, c, raw, unit, hint, how, label, score)


def _filled_first(slots) -> _Slot | None:
    """The first cell that holds something, else the first cell."""
    first = None
    for s in slots:
        if s.raw is not None and s.raw != "":
            return s
        first = first or s
    return first


_MONEY = {"万元", "元"}


def _may_be(slot: _Slot, unit: str) -> bool:
    """A cell whose row writes its unit beside it may hold a figure in `unit`: 人 for 名 may,
    but a count never holds money nor money a count (that is another item's figure)."""
    return not slot.beside or (slot.hint in _MONEY) == (unit in _MONEY)


def _one(unit: str, slots: list[_Slot]) -> _Slot | None:
    """The cell of a row's one value: the first filled cell for its unit, else the first
    filled cell for no unit (数量 | 金额: the 万元 figure under 金额), else for 元 where it is 万元
    or the reverse (数量 | 金额（元）: typed in 元, said where it stands), else the first empty
    cell for its unit, else a cell for another unit that may hold it."""
    if len(slots) == 1:  # most rows: one value cell, which all of the above come down to
        s = slots[0]
        return s if s.hint == unit or _may_be(s, unit) else None
    empty = None
    for s in slots:
        if s.hint == unit:
            if s.raw is not None and s.raw != "":
                return s  # most rows
            empty = empty or s
    for s in slots:
        if s.hint is None and s.raw not in (None, ""):
            return s
    for s in slots:
        if (s.hint, unit) in _YUAN_SLIPS and s.raw not in (None, ""):
            return s
    return empty or _filled_first(s for s in slots if s.hint != unit and _may_be(s, unit))


def _assign(pending: list[tuple[str, str]], slots: list[_Slot]) -> list[tuple[tuple, _Slot]]:
    """(ref, unit) to value cells: by the unit written beside a value, then in order."""
    free = list(slots)
    out, rest = [], []
    for ref in pending:
        for s in free:
            if s.hint == ref[1]:
                free.remove(s)
                out.append((ref, s))
                break
        else:
            rest.append(ref)
    units = {u for _, u in pending} if rest and free else ()
    for ref in rest:
        for s in free:
            if (s.hint is None or s.hint not in units) and _may_be(s, ref[1]):
                free.remove(s)
                out.append((ref, s))
                break
    return out


def read_region(region: Region, table: Table, found: dict[str, Entry]) -> int:
    """Read a region's values into `found` (first reading wins); how many refs it named."""
    p = plan(table)
    hits = _hits(region, p)
    if not hits:
        return 0
    cols = _columns(region, hits)
    if cols.label is not None:  # near labels, now that the label column is known
        _near_hits(region, p, cols.label, hits)
        _gap_hits(region, p, cols, hits)
    parts_first = _parts_first(hits, p)
    grid = region.grid
    sheet, place, merges = grid.name, grid.place, grid.merges
    full = (
        {item for item, refs in p.refs.items() if all(ref in found for ref, _ in refs)}
        if found
        else set()
    )
    named = 0
    last: str | None = None  # the item read last, for same-named rows and continued rows
    waiting = None  # a total written as a heading: its figures may be in a 合计 row under it
    lone = len(cols.slotted) == 1 and not grid.covered  # one value column, no merged cell
    totals = p.labels.totals

    def take(item, r, how, label, score, pending, slots) -> None:
        nonlocal named
        if len(pending) == 1:  # most rows: one value, the cell for its unit, else one for none
            ref, unit = pending[0]
            if s := _one(unit, slots):
                found[ref] = cell_entry(grid, r, s.col, s.raw, unit, s.hint, how, label, score)
                named += 1
        else:
            for (ref, unit), (col, raw, hint, _) in _assign(pending, slots):
                found[ref] = cell_entry(grid, r, col, raw, unit, hint, how, label, score)
                named += 1
        if merges:  # 758 typed once in a cell merged over E's and E1's: not read
            for ref, unit in pending:
                if not _filled(found, ref) and (m := _merged_over(region, cols, r, unit)):
                    found[ref] = Entry(None, sheet, place(r, m[0]), how, label, merged=m[1])
        refs = p.refs[item]
        if len(refs) == 1 or _filled_all(found, refs):
            full.add(item)  # every value of the item read: its label names no other row

    for r in region.rows:
        hit = hits.get(r)
        if hit is None:
            if waiting and _is_total_row(region, cols, r):
                item, pending = waiting[0], waiting[5]
                take(item, r, "total", None, None, pending, _slots(region, cols, r, None))
                waiting = None
                continue
            if last is None:
                continue  # no item read yet: nothing to total or continue
            if (total := _total_above(last, p, found, full)) and _is_total_row(region, cols, r):
                # 建档困难职工情况 | parts | 小计: the heading named no item, the 小计 is its total
                take(total, r, "total", None, None, p.refs[total], _slots(region, cols, r, None))
                last = total
                continue
            if not _continues(region, cols, r, last, p, found):
                continue
            hit = _hit((r, cols.label or 0, "continued", (last,), None, None, None, None))
        codes = hit.codes
        if len(codes) == 1:
            item = codes[0]
        elif parts_first:
            item = _over_total(hit, hits, p, full)
        else:
            item = p.labels.resolve(codes, last, full)
        if item is None or item in full:
            continue
        last = item
        refs = p.refs[item]
        if len(refs) == 1:  # most items hold one figure
            pending = refs
        else:
            pending = [
                (ref, u)
                for ref, u in refs
                if ((e := found.get(ref)) is None or e.raw in (None, "")) and hit.ref in (None, ref)
            ]
        label = hit.text if hit.how in ("label", "near") else None
        if lone and item not in totals:  # most rows: one value cell
            if taken := _row_entry(grid, cols, r, pending, hit.how, label, hit.score):
                found[taken[0]] = taken[1]
                named += 1
            if len(refs) == 1 or _filled_all(found, refs):
                full.add(item)  # every value of the item read: its label names no other row
            continue
        slots = _slots(region, cols, r, label)
        if item in totals and all(s.raw in (None, "") for s in slots):
            if waiting:
                take(*waiting)  # no 合计 row came: the earlier total is empty where it stands
            waiting = (item, r, hit.how, label, hit.score, pending, slots)
            continue
        take(item, r, hit.how, label, hit.score, pending, slots)
    if waiting:
        take(*waiting)
    return named


def cell_entry(grid: Grid, r: int, col: int, raw, unit: str, hint, how: str, label, score) -> Entry:
    """The Entry of a value read from a cell for a figure in `unit`, the unit written for it
    `hint` (kept when it is 元 for 万元 or the reverse), with its 万元 format's stored value."""
    hint = hint if hint != unit and (hint, unit) in _YUAN_SLIPS else None
    place = a1(r, col) if grid.places is None and grid.origin == (0, 0) else grid.place(r, col)
    out = Entry(raw, grid.name, place, how, label, hint, score)
    if grid.shown:
        out.shown = grid.shown.get((r, col))
    return out


def _merged_over(region: Region, cols: _Columns, r: int, unit: str) -> tuple | None:
    """(the column, D16:D17) of the row's value cell for `unit` when it is under a filled merged
    cell that starts in another figure's cell: it shows one figure for two."""
    grid = region.grid
    for c in cols.values:
        if (r, c) not in grid.covered:
            continue
        u = cols.unit_beside.get(c)
        if (unit_word(_cell(grid, r, u)) if u is not None else None) not in (None, unit):
            continue
        for top, left, bottom, right in grid.merges:
            if top <= r <= bottom and left <= c <= right:
                if left in cols.values and _cell(grid, top, left) not in (None, ""):
                    return c, f"{grid.place(top, left)}:{grid.place(bottom, right)}"
                break
    return None


def _total_above(last: str | None, p: _Plan, found, full) -> str | None:
    """The item whose parts were read last, when its own figure is not read yet."""
    total = p.labels.parent.get(last) if last else None
    if total is None or total in full or total in p.labels.heading_codes:
        return None
    return None if any(ref in found for ref, _ in p.refs[total]) else total


def _totals_of(hit: _Hit, hits: dict[int, _Hit], p: _Plan) -> list[int]:
    """The rows naming an item that a label several items share (地市级) may be a part of."""
    parents = {p.labels.parent.get(c) for c in hit.codes}
    return [r for r, h in hits.items() if len(h.codes) == 1 and h.codes[0] in parents]


def _parts_first(hits: dict[int, _Hit], p: _Plan) -> bool:
    """Totals typed under their parts (地市级, 县（区）级, then 01A): the first row of a shared
    label has none of its totals above it, and the last has one below it."""
    shared = [hits[r] for r in sorted(hits) if len(hits[r].codes) > 1]
    if not shared:
        return False
    first, last = shared[0], shared[-1]
    return all(r > first.row for r in _totals_of(first, hits, p)) and any(
        r > last.row for r in _totals_of(last, hits, p)
    )


def _over_total(hit: _Hit, hits: dict[int, _Hit], p: _Plan, taken) -> str | None:
    """Of the items a shared label may be, the one whose total is the next total below."""
    below = [r for r in _totals_of(hit, hits, p) if r > hit.row]
    if not below:
        return None
    total = hits[min(below)].codes[0]
    under = [c for c in hit.codes if p.labels.parent.get(c) == total and c not in taken]
    return under[0] if len(under) == 1 else None


def _filled_all(found: dict[str, Entry], refs: list[tuple[str, str]]) -> bool:
    """Whether every ref of an item is read from a cell that holds something."""
    for ref, _ in refs:
        e = found.get(ref)
        if e is None or e.raw is None or e.raw == "":
            return False
    return True


def _filled(found: dict[str, Entry], ref: str) -> bool:
    """A ref read from a cell that holds something (an empty cell of a row with two figures may
    be the clerk's: the second figure is on the row below)."""
    return ref in found and found[ref].raw not in (None, "")


_TOTAL_WORDS = {"合计", "小计", "总计", "共计"}


def _is_total_row(region: Region, cols: _Columns, r: int) -> bool:
    """A 合计 row: its label says so and it holds a figure."""
    row = region.grid.rows[r]
    label = row[cols.label] if cols.label is not None and cols.label < len(row) else None
    words = {fold(v) for v in row[: min(cols.values, default=0)] if isinstance(v, str)}
    if not (words | {fold(label or "")}) & _TOTAL_WORDS:
        return False
    return any(s.raw not in (None, "") for s in _slots(region, cols, r, None))


_MONEY_WORDS = ("金额", "款物", "资金", "款额")  # a clerk's word for a figure in 万元


def _figure_word(label: str, item, pending: set[str]) -> bool:
    """Whether a row's label is the word for one of an item's figures still to read: the
    form's (共包专列 | 列, then 运送 | 人次), a label holding it (追讨欠薪金额 for 欠薪), or a word
    for money under a count (金额, 款物, 资金) when the figure still to read is money."""
    text = canonical(label)
    for v in item.all_values:
        if v.unit not in pending:
            continue
        word = canonical(v.label) if v.label else None
        if word and (word == text or (word in text and len(text) <= len(word) + 4)):
            return True
        if v.unit in _MONEY and any(w in text for w in _MONEY_WORDS) and len(text) <= 8:
            return True
    return False


def _continues(region: Region, cols: _Columns, r: int, last: str, p: _Plan, found) -> bool:
    """A row under a two-figure item, with no label of its own (or the word the form gives its
    other figure: 运送, 发放款物), that holds its other figure: its unit is written in the row,
    or it holds a figure (a footer's text is no figure)."""
    pending = {
        u for ref, u in p.refs.get(last, ()) if (e := found.get(ref)) is None or e.raw in (None, "")
    }
    if not pending:
        return False
    label = _cell(region.grid, r, cols.label) if cols.label is not None else None
    if label not in (None, "") and not _figure_word(str(label), p.labels.items[last], pending):
        return False
    row = region.grid.rows[r]
    if any(unit_word(row[c]) in pending for c in cols.units if c < len(row)):
        return True
    figures = [s.raw for s in _slots(region, cols, r, None) if s.raw not in (None, "")]
    return bool(figures) and all(parse(v, _UNIT_NAMES).problem is None for v in figures)


# --- the whole file ------------------------------------------------------------------------


def read_tables(ret: Return, form: Form, grids: list[Grid]) -> None:
    """Find every table of the form in the grids and read its values into the return."""
    all_regions = [reg for g in grids for reg in regions(form, g)]
    for table in form.tables:
        found: dict[str, Entry] = {}
        places: list[str] = []
        # a table in hidden rows (last year's, kept above this year's) is read only when the
        # table is nowhere in sight; a hidden row of a visible table is read as any other
        ours = [reg for reg in all_regions if reg.table == table.id]
        if len(ours) > 1:
            ours.sort(key=_out_of_sight)
        for reg in ours:
            if found and _out_of_sight(reg):
                break
            part: dict[str, Entry] = {}
            if not sum(read_region(half, table, part) for half in _halves(reg)):
                continue
            where = reg.grid.name or reg.grid.place(reg.rows.start, reg.cols.start)
            if found and len(part.keys() & found.keys()) >= max(3, len(part) // 2):
                places.append(where)  # the same table again (a copy of a sheet): first counts
                continue
            if not found:
                places.append(where)
                found.update(part)
                continue
            for ref, entry in part.items():
                found.setdefault(ref, entry)  # a table continued on another sheet (续表)
        if not found:
            ret.missing_tables.append(table.id)
            continue
        ret.tables[table.id] = found
        if len(places) > 1:
            ret.twice[table.id] = places


def _out_of_sight(region: Region) -> bool:
    """Every row of the region that holds text is hidden."""
    hidden = region.grid.hidden_rows
    return bool(hidden) and all(
        r in hidden for r, c, _ in region.grid.texts_in(region.rows) if c in region.cols
    )


def _halves(region: Region) -> list[Region]:
    """A region whose header row heads two items a row (项目 | 数值 | 项目 | 数值, to save paper)
    as its left and right halves; else the region itself."""
    grid, rows, cols = region.grid, region.rows, region.cols
    heads: dict[int, list[tuple[int, str]]] = {}  # the first rows' header words, by row
    for r, c, v in grid.texts_in(range(rows.start, min(rows.stop, rows.start + 8))):
        if c in cols and (role := role_of(v)):
            heads.setdefault(r, []).append((c, role))
    for roles in heads.values():
        labels = [c for c, role in roles if role == "label"]
        values = [c for c, role in roles if role == "value"]
        if (
            len(labels) == 2
            and any(labels[0] < c < labels[1] for c in values)
            and (max(values) > labels[1])
        ):
            cut = labels[1]
            return [
                Region(grid, rows, range(cols.start, cut), region.table),
                Region(grid, rows, range(cut, cols.stop), region.table),
            ]
    return [region]


def _best_table(region: Region, form: Form) -> str | None:
    """The table whose codes and labels an untitled region names most."""
    best, best_n = None, 1  # one stray word is not a table
    for table in form.tables:
        n = len(_hits(region, plan(table)))
        if n > best_n:
            best, best_n = table.id, n
    return best
