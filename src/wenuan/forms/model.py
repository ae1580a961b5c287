"""Forms as data: the pydantic model of a notice's forms, and loading them from YAML files."""

import os
import pickle
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator
from pydantic import Field as PydanticField

from wenuan.errors import FormFileError, UnknownForm
from wenuan.forms import deadlines, rules, yamlfile
from wenuan.words.messages import t

# Units a value may have, with the decimals it is written to (0: a whole count).
UNITS: dict[str, int] = {
    "人": 0,
    "户": 0,
    "个": 0,
    "家": 0,
    "人次": 0,
    "名": 0,
    "列": 0,
    "辆": 0,
    "张": 0,
    "件": 0,
    "对": 0,
    "次": 0,
    "项": 0,
    "场": 0,
    "万元": 2,
    "元": 2,
}
FORMS_ENV = "WENUAN_FORMS"


_WIDE = Context(prec=100)  # the default 28 digits fail on absurd values


def quantize(value: Decimal, decimals: int) -> Decimal:
    """Round half-up, as a clerk and Excel do, never through float."""
    exponent = Decimal(1).scaleb(-decimals, _WIDE)
    return value.quantize(exponent, rounding=ROUND_HALF_UP, context=_WIDE)


class Model(BaseModel):
    # a validator is built when a form file is first checked, not at import: a checked form
    # comes back from the cache without one (load_form)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Value(Model):
    """One number in a row: a row such as 08A (名 and 万元) has two."""

    unit: str
    code: str | None = None  # its own printed code, as Ezhou's D9 beside C9
    label: str | None = None


class Item(Model):
    """A row of a statistics table: a printed code, a label, and its value(s) or sub-rows."""

    code: str
    label: str
    seq: str | None = None  # the 序号 column, where the table has one
    unit: str | None = None  # shorthand for one value
    values: list[Value] = []
    required: bool = True
    note: str | None = None
    reconstructed: bool = False
    items: list["Item"] = []

    @model_validator(mode="after")
    def _one_way_to_give_units(self):
        if self.unit and self.values:
            raise ValueError("unit/values")
        return self

    @property
    def all_values(self) -> list[Value]:
        """The values this row holds: none for a heading."""
        return [Value(unit=self.unit)] if self.unit else self.values

    def walk(self, depth: int = 0):
        """This item and its sub-items, depth first, with their depth."""
        yield self, depth
        for child in self.items:
            yield from child.walk(depth + 1)


class Cell(Model):
    """One fillable value: what a rule names and a return holds."""

    ref: str  # 05A, 08A[万元], D9
    item: str
    unit: str
    label: str
    required: bool

    @property
    def decimals(self) -> int:
        """Decimals the value is written to: 2 for 万元, 0 for counts."""
        return UNITS[self.unit]

    def quantize(self, value: Decimal) -> Decimal:
        """The value rounded half-up to the unit's decimals (88.125 万元 -> 88.13)."""
        return quantize(value, self.decimals)


class Rule(Model):
    """A check on a return's figures, quoting the notice's sentence it rests on.

    `scope`: whose figures it judges: a unit's own return (`unit`: one visit per district), a
    consolidated total (`total`), or both (a sum keeps every rule linear in its figures)."""

    id: str
    expr: str
    severity: Literal["error", "warning"] = "error"
    scope: Literal["unit", "total", "both"] = "both"
    basis: str
    reconstructed: bool = False
    note: str | None = None

    @cached_property
    def parsed(self) -> rules.Expr:
        """The expression as a tree (the form checks it parses before anyone asks)."""
        return rules.parse(self.expr)

    @property
    def kind(self) -> str:
        """identity, inequality or rule."""
        return self.parsed.kind

    def judges(self, total: bool) -> bool:
        """Whether the rule applies to a total (`total`) or to a unit's own return."""
        return self.scope == "both" or self.scope == ("total" if total else "unit")


class Table(Model):
    """One statistics table (统计表) of a form."""

    id: str
    title: str
    note: str | None = None  # printed under the table (template, filled table, report)
    remark: str | None = None  # about the form itself (how it was reconstructed): never printed
    reconstructed: bool = False
    items: list[Item]
    rules: list[Rule] = []

    def walk(self):
        """Every item with its depth, in printed order."""
        for item in self.items:
            yield from item.walk()

    @cached_property
    def cells(self) -> dict[str, Cell]:
        """Every fillable value by its reference, in printed order."""
        out: dict[str, Cell] = {}
        for item, _ in self.walk():
            values = item.all_values
            for cell in values:
                ref = cell.code or (item.code if len(values) == 1 else f"{item.code}[{cell.unit}]")
                label = item.label + (f"（{cell.label}）" if cell.label else "")
                out[ref] = Cell(
                    ref=ref, item=item.code, unit=cell.unit, label=label, required=item.required
                )
        return out


class Unit(Model):
    """A reporting unit (填报单位) the notice names."""

    name: str
    kind: str | None = None
    aliases: list[str] = []
    leader: str | None = None  # the city leader who visits it (市总领导)
    liaison: str | None = None  # 联络员
    party: str | None = None  # who goes with the leader (参加人员和部门)
    note: str | None = None
    reconstructed: bool = False


class Deadline(Model):
    """Something due by a date: as the notice writes it (`text`, the sentence that names the
    date; for a reconstructed deadline, the day assumed and why) and as it resolves (`when`)."""

    id: str
    what: str
    to: str | None = None
    when: str
    text: str
    tables: list[str] = []  # the tables whose returns this deadline is for
    reconstructed: bool = False
    note: str | None = None

    @property
    def date(self) -> date:
        """The last day it may be done."""
        return deadlines.resolve(self.when).end


class Period(Model):
    """The campaign's time, as written and as resolvable start and end."""

    text: str
    start: str
    end: str
    reconstructed: bool = False


# What a column of a payment list holds; each but `text` at most once a list.
COLUMN_KINDS = ("name", "id_number", "category", "amount", "bank_card", "method", "date", "unit")


class ListColumn(Model):
    """A column of a payment list: its printed name, what it holds, the header words naming it."""

    name: str  # 公民身份号码
    kind: Literal[COLUMN_KINDS + ("text",)] = "text"  # type: ignore[valid-type]
    words: list[str] = []  # other header words for it (身份证号, 身份证号码…)
    required: bool = True


class ListRule(Model):
    """A rule of the notice every row of a payment list must keep, quoting its sentence.

    amount: the row's amount is `amount` 元; age: the person (by the ID number's birth date) is
    `min_age` 周岁 or more on `as_of`; card: paid to a bank card (or passbook, `passbook: true`),
    not in cash; date: paid between `start` and `end` (default: the form's period). A rule with a
    `category` applies to the rows whose 类别 names it."""

    id: str
    check: Literal["amount", "age", "card", "date"]
    category: str | None = None
    amount: Decimal | None = None  # 元
    min_age: int | None = None
    as_of: str | None = None
    passbook: bool = False
    start: str | None = None
    end: str | None = None
    severity: Literal["error", "warning"] = "error"
    basis: str
    reconstructed: bool = False
    note: str | None = None


class RegisterRule(Model):
    """What the notice asks of the register of 建档 families, each quoting its sentence.

    payees (依档帮扶): every payee is in the register; coverage (全覆盖): every registered person
    is paid by some list of the batch."""

    payees: str | None = None
    coverage: str | None = None


class Reconcile(Model):
    """Which items of the unit's return the list must agree with (check-list --return).

    count: the list's rows (people or households) equal this item; amount: the sum of the list's
    amounts (元), in this item's unit, agrees within its rounding (half its last decimal). With
    `amount_part`, the item also counts what the list does not hold (goods, other payees): a
    sum above it is an error, below it a warning; `count_part` says the same of the count."""

    table: str
    count: str | None = None
    amount: str | None = None
    amount_part: bool = False
    count_part: bool = False
    severity: Literal["error", "warning"] = "error"
    basis: str
    reconstructed: bool = False
    note: str | None = None


class PaymentList(Model):
    """A real-name payment list (实名制发放明细) the notice asks for: its columns and rules."""

    id: str
    title: str
    basis: str
    note: str | None = None
    reconstructed: bool = False
    columns: list[ListColumn] = PydanticField(min_length=1)
    rules: list[ListRule] = []
    register_check: RegisterRule | None = None  # check-list --register: 依档帮扶, 全覆盖
    reconcile: Reconcile | None = None  # check-list --return: the return's items it agrees with

    def column(self, kind: str) -> ListColumn | None:
        """The column holding `kind`, if the list has one."""
        return next((c for c in self.columns if c.kind == kind), None)


# What a sentence of the report may name besides the tables (see `ReportText`), and what it may
# ask of a figure: its label and unit, its share of a whole, an amount per head in 元, the units
# with the most of it, last year's figure and the change since.
REPORT_NAMES = ("union", "campaign", "period", "who", "units")
FIGURE_ATTRS = ("label", "unit", "share", "per", "top", "last", "change")

Paragraph = str | list[str]  # a paragraph, or its sentences (each left out if a figure is absent)


class ReportColumn(Model):
    """A column of the per-unit table and the chart: an item (`swn:05A`) and a short header."""

    item: str
    label: str | None = None


class ReportText(Model):
    """The report's words: jinja2 sentences over the figures, in the notice's own words.

    A sentence names a figure as `{{ swn['05A'] }}` (table id, item code); a sentence whose
    figure is absent (not filled, no units, no previous year) is left out of its paragraph."""

    title: str | None = None  # 标题; default: {union}关于{campaign}情况的报告
    to: str | None = None  # 主送; default: the returns deadline's `to` for a unit's return
    basis: str | None = None  # a total's basis, the upper arrangement as the notice names it
    advice: str | None = None  # the notice's words asking for 困难职工状况和政策建议, if it does
    basics: list[Paragraph] = []  # 一、基本情况
    results: list[Paragraph] = []  # 三、取得成效 (before the notes' own)
    columns: list[ReportColumn] = []  # per-unit table; default: the first table's main items
    chart: list[ReportColumn] = []  # items drawn by unit; default: the columns in one unit

    def templates(self):
        """Every sentence template with its place in the section, for checking."""
        for key in ("title", "to"):
            if getattr(self, key) is not None:
                yield (key,), getattr(self, key)
        for key in ("basics", "results"):
            for pi, para in enumerate(getattr(self, key)):
                if isinstance(para, str):
                    yield (key, pi), para
                else:
                    for si, sentence in enumerate(para):
                        yield (key, pi, si), sentence


class Form(Model):
    """A notice's forms: its tables, rules, deadlines and reporting units."""

    id: str
    version: int = 1
    city: str
    union: str
    doc_no: str | None = None
    title: str
    campaign: str
    source: str
    period: Period | None = None
    note: str | None = None
    units: list[Unit] = []
    deadlines: list[Deadline] = []
    tables: list[Table] = PydanticField(min_length=1)
    rules: list[Rule] = []  # rules across the tables of the form
    lists: list[PaymentList] = []  # real-name payment lists (实名制发放明细)
    report: ReportText | None = None  # the Word report's sentences (wenuan render)
    _file: Path | None = PrivateAttr(None)  # the form file it was loaded from

    @property
    def file(self) -> Path | None:
        """The form file it was loaded from, for errors found when it is used."""
        return self._file

    def table(self, table_id: str) -> Table:
        """The table with that id."""
        return next(t for t in self.tables if t.id == table_id)

    def next_deadline(self, today: date) -> tuple[Deadline, bool] | None:
        """The first returns deadline on or after today; else the last one, marked past."""
        candidates = [d for d in self.deadlines if d.tables] or self.deadlines
        if not candidates:
            return None
        ordered = sorted(candidates, key=lambda d: d.date)
        upcoming = [d for d in ordered if d.date >= today]
        return (upcoming[0], False) if upcoming else (ordered[-1], True)


# ---- loading -------------------------------------------------------------------------------

_PYDANTIC_KEYS = {"extra_forbidden": "unknown_key", "missing": "missing_key"}


def load_form(path: Path, sentences: bool = True) -> Form:
    """Load and check one form file; a broken file raises FormFileError naming file and line.
    `sentences=False` leaves the report's sentences unchecked (jinja2 costs a command's start
    a tenth of a second): for the built-in forms, whose sentences the tests check. A form
    checked once is kept in the cache, for the same bytes checked by the same code."""
    raw = yamlfile.read(path)
    kept = yamlfile.cache_file(raw, "checked", ".pickle", f"{_code_stamp()} {sentences}")
    if (form := _kept(kept)) is not None:
        form._file = path
        return form
    data, lines = yamlfile.load(path, raw)
    try:
        form = Form.model_validate(data)
    except ValidationError as e:
        # a misspelt key also makes its right spelling "missing": name the misspelling
        err = sorted(e.errors(), key=lambda x: x["type"] != "extra_forbidden")[0]
        loc = tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function")))
        key = next((str(x) for x in reversed(loc) if isinstance(x, str)), "")
        msg_key = _PYDANTIC_KEYS.get(err["type"])
        problem = t(msg_key, key=key) if msg_key else t("bad_value", key=key, detail=err["msg"])
        raise FormFileError(path, yamlfile.line_of(lines, loc), problem) from None
    for loc, problem in _problems(form, sentences):
        raise FormFileError(path, yamlfile.line_of(lines, loc), problem)
    form._file = path
    if kept:
        try:
            yamlfile.store(kept, pickle.dumps(form))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # a form that cannot be kept is checked each time
    return form


@cache
def _code_stamp() -> str:
    """When and how large the code that reads and checks a form is: a form checked by other
    code (another version, a file edited in a checkout) is checked again."""
    code = (__file__, rules.__file__, deadlines.__file__, yamlfile.__file__)
    return " ".join(f"{s.st_mtime_ns}:{s.st_size}" for s in map(os.stat, code))


def _kept(entry: Path | None) -> Form | None:
    """The checked form the cache keeps, if it can be read (else it is checked again)."""
    try:
        form = pickle.loads(entry.read_bytes()) if entry else None
    except Exception:  # missing, damaged, or made by other code: pickle raises many kinds
        return None
    return form if isinstance(form, Form) else None


def _problems(form: Form, sentences: bool = True):
    """What is wrong in a form that the schema alone cannot see, each with its place."""
    ids: set[str] = set()
    for ti, table in enumerate(form.tables):
        if table.id in ids:
            yield ("tables", ti, "id"), t("duplicate_id", id=table.id)
        ids.add(table.id)
        yield from _table_problems(table, ("tables", ti))
    table_ids = {tb.id for tb in form.tables}
    all_refs = {f"{tb.id}:{ref}" for tb in form.tables for ref in tb.cells}
    for ri, rule in enumerate(form.rules):
        yield from _rule_problems(rule, ("rules", ri), lambda r: str(r) in all_refs)
    for di, deadline in enumerate(form.deadlines):
        if why := deadlines.check(deadline.when):
            yield ("deadlines", di, "when"), t("bad_date", text=deadline.when, detail=why)
        if not deadlines.names_a_day(deadline.text):
            yield ("deadlines", di, "text"), t("deadline_text_no_day", deadline=deadline.id)
        for table in deadline.tables:
            if table not in table_ids:
                yield (
                    ("deadlines", di, "tables"),
                    t("unknown_table", deadline=deadline.id, table=table),
                )
    for li, paylist in enumerate(form.lists):
        if paylist.id in ids:
            yield ("lists", li, "id"), t("duplicate_id", id=paylist.id)
        ids.add(paylist.id)
        yield from _list_problems(form, paylist, ("lists", li))
    if form.report and sentences:
        yield from _report_problems(form, ("report",))
    if form.period:
        for end in ("start", "end"):
            text = getattr(form.period, end)
            if why := deadlines.check(text):
                yield ("period", end), t("bad_date", text=text, detail=why)


def _report_problems(form: Form, where: tuple):
    """A sentence that does not parse, names what is not there, or asks a figure for nothing."""
    from jinja2 import TemplateSyntaxError, nodes

    from wenuan import bounded

    tables = {tb.id: tb for tb in form.tables}
    env = bounded.sentences()  # as they are rendered: checking computes nothing
    for loc, text in form.report.templates():
        at = (*where, *loc)
        try:
            tree = env.parse(text)
        except TemplateSyntaxError as e:
            yield at, t("report_syntax", detail=e.message)
            continue
        if next(
            tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)), None
        ):
            yield at, t("report_include")
        for name in sorted(bounded.undeclared(tree) - {*tables, *REPORT_NAMES}):
            yield at, t("report_name", name=name, known="、".join([*tables, *REPORT_NAMES]))
        for node in tree.find_all(nodes.Getitem):
            table = tables.get(getattr(node.node, "name", None))
            code = getattr(node.arg, "value", None)
            if table and code not in table.cells:
                yield at, t("report_item", table=table.id, code=code)
        for node in tree.find_all(nodes.Getattr):
            root = node.node
            while isinstance(root, nodes.Getattr):
                root = root.node
            if isinstance(root, nodes.Getitem) and node.attr not in FIGURE_ATTRS:
                yield at, t("report_attr", attr=node.attr, known="、".join(FIGURE_ATTRS))
    for ci, column in enumerate(form.report.columns):
        yield from _report_item(tables, column.item, (*where, "columns", ci, "item"))
    for ci, column in enumerate(form.report.chart):
        yield from _report_item(tables, column.item, (*where, "chart", ci, "item"))


def _report_item(tables: dict, key: str, at: tuple):
    table_id, _, code = key.partition(":")
    if table_id not in tables or code not in tables[table_id].cells:
        yield at, t("report_item", table=table_id, code=code)


_RULE_NEEDS = {"amount": "amount", "age": "id_number", "card": "bank_card", "date": "date"}


def _list_problems(form: Form, paylist: PaymentList, where: tuple):
    """A column kind given twice, a list without ID numbers, a rule missing what it needs."""
    kinds: set[str] = set()
    for ci, column in enumerate(paylist.columns):
        if column.kind != "text" and column.kind in kinds:
            yield (*where, "columns", ci, "kind"), t("list_kind_twice", kind=column.kind)
        kinds.add(column.kind)
    if "id_number" not in kinds:
        yield (*where, "columns"), t("list_needs_column", list=paylist.id, kind="id_number")
    if (rec := paylist.reconcile) is not None:
        yield from _reconcile_problems(form, rec, kinds, (*where, "reconcile"))
    rule_ids: set[str] = set()
    for ri, rule in enumerate(paylist.rules):
        at = (*where, "rules", ri)
        if rule.id in rule_ids:
            yield (*at, "id"), t("duplicate_id", id=rule.id)
        rule_ids.add(rule.id)
        if _RULE_NEEDS[rule.check] not in kinds:
            yield at, t("list_rule_needs", rule=rule.id, need=_RULE_NEEDS[rule.check])
        needs = {
            "amount": ["amount"],
            "age": ["min_age", "as_of"],
            "date": [] if form.period else ["start", "end"],
        }.get(rule.check, [])
        for key in needs:
            if getattr(rule, key) is None:
                yield at, t("list_rule_needs", rule=rule.id, need=key)
        if rule.category is not None and "category" not in kinds:
            yield (*at, "category"), t("list_rule_needs", rule=rule.id, need="category")
        for key in ("as_of", "start", "end"):
            text = getattr(rule, key)
            if text is not None and (why := deadlines.check(text)):
                yield (*at, key), t("bad_date", text=text, detail=why)


def _reconcile_problems(form: Form, rec: Reconcile, kinds: set[str], where: tuple):
    """An unknown table or item, a count that is not a count, an amount not in 元 or 万元."""
    table = next((tb for tb in form.tables if tb.id == rec.table), None)
    if table is None:
        yield (*where, "table"), t("reconcile_table", table=rec.table)
        return
    if rec.count is None and rec.amount is None:
        yield where, t("list_rule_needs", rule="reconcile", need="count / amount")
    for key, units in (("count", None), ("amount", ("元", "万元"))):
        ref = getattr(rec, key)
        if ref is None:
            continue
        cell = table.cells.get(ref)
        if cell is None:
            yield (*where, key), t("unknown_ref", rule="reconcile", ref=ref)
        elif (units and cell.unit not in units) or (not units and cell.decimals):
            yield (*where, key), t("reconcile_unit", ref=ref, unit=cell.unit, key=key)
    if rec.amount is not None and "amount" not in kinds:
        yield (*where, "amount"), t("list_rule_needs", rule="reconcile", need="amount")


def _table_problems(table: Table, where: tuple):
    seen: set[str] = set()
    for path, item in _items_with_paths(table.items, (*where, "items")):
        for code in {item.code} | {v.code for v in item.values if v.code}:
            if code in seen:
                yield (*path, "code"), t("duplicate_code", code=code, table=table.id)
            seen.add(code)
        for vi, cell in enumerate(item.all_values):
            if cell.unit not in UNITS:
                loc = (*path, "unit") if item.unit else (*path, "values", vi, "unit")
                yield loc, t("unknown_unit", unit=cell.unit, known="、".join(UNITS))
    rule_ids: set[str] = set()
    for ri, rule in enumerate(table.rules):
        if rule.id in rule_ids:
            yield (*where, "rules", ri, "id"), t("duplicate_id", id=rule.id)
        rule_ids.add(rule.id)
        found = list(
            _rule_problems(
                rule, (*where, "rules", ri), lambda r: not r.table and str(r) in table.cells
            )
        )
        yield from found
        if not found and rule.kind in ("identity", "inequality"):
            units = {str(r): table.cells[str(r)].unit for r in rule.parsed.refs()}
            if len(set(units.values())) > 1:
                mixed = "、".join(f"{ref}（{unit}）" for ref, unit in units.items())
                yield (*where, "rules", ri, "expr"), t("mixed_units", rule=rule.id, refs=mixed)
    yield from _cycles(table, (*where, "rules"))


def _items_with_paths(items: list[Item], where: tuple):
    for i, item in enumerate(items):
        yield (*where, i), item
        yield from _items_with_paths(item.items, (*where, i, "items"))


def _rule_problems(rule: Rule, where: tuple, known):
    try:
        parsed = rule.parsed
    except rules.ExprError as e:
        yield (*where, "expr"), t("bad_expr", rule=rule.id, detail=str(e))
        return
    for ref in parsed.refs():
        if not known(ref):
            yield (*where, "expr"), t("unknown_ref", rule=rule.id, ref=str(ref))


def _cycles(table: Table, where: tuple):
    """A total that is, through identities, a part of itself."""
    graph: dict[str, list[tuple[str, int]]] = {}
    for ri, rule in enumerate(table.rules):
        try:
            expr = rule.parsed
        except rules.ExprError:
            continue
        if expr.kind == "identity":
            for part in expr.parts():
                graph.setdefault(str(expr.left), []).append((str(part), ri))

    done: set[str] = set()  # a depth-first walk without recursion: chains may be long
    for start in list(graph):
        if start in done:
            continue
        path, edges = {start: None}, [iter(graph[start])]  # a dict: ordered, quick to search
        while edges:
            nxt, ri = next(edges[-1], (None, None))
            if nxt is None:
                done.add(path.popitem()[0])
                edges.pop()
            elif nxt in path:
                trail = list(path)
                cycle = " → ".join(trail[trail.index(nxt) :] + [nxt])
                yield (*where, ri, "expr"), t("identity_cycle", cycle=cycle)
                return
            elif nxt not in done:
                path[nxt] = None
                edges.append(iter(graph.get(nxt, [])))


# ---- finding forms ---------------------------------------------------------------------------


def builtin_dir() -> Path:
    """The built-in forms: in the installed package, or the repository's forms/ in a checkout."""
    packaged = Path(__file__).parents[1] / "data" / "forms"
    return packaged if packaged.is_dir() else Path(__file__).parents[3] / "forms"


class FormEntry(BaseModel):
    """A form found on disk: where it is and whether it hides a built-in form of the same id."""

    id: str
    path: Path
    builtin: bool
    overrides: bool = False


def form_dirs(extra: list[Path] | None = None) -> list[Path]:
    """User form directories, from --forms then $WENUAN_FORMS, before the built-in ones."""
    dirs = list(extra or [])
    env = os.environ.get(FORMS_ENV, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs


def catalogue(extra: list[Path] | None = None) -> dict[str, FormEntry]:
    """Every form id and the file it comes from; a user form wins over a built-in one."""
    from wenuan.errors import WenuanError

    found: dict[str, FormEntry] = {}
    for path in sorted(builtin_dir().glob("*.yaml")):
        found[path.stem] = FormEntry(id=path.stem, path=path, builtin=True)
    user: dict[str, FormEntry] = {}
    for d in form_dirs(extra):
        if not d.is_dir():
            raise WenuanError("forms_dir_missing", path=str(d))
        for path in sorted([*d.glob("*.yaml"), *d.glob("*.yml")]):
            if path.stem not in user:  # the first directory named wins
                user[path.stem] = FormEntry(
                    id=path.stem, path=path, builtin=False, overrides=path.stem in found
                )
    found.update(user)
    return dict(sorted(found.items()))


def get_form(name: str, extra: list[Path] | None = None) -> Form:
    """The form named by its id or by city and year (see `Library.resolve`), loaded and checked."""
    forms = Library(extra)
    return forms[forms.resolve(name)]


def load_entry(entry: FormEntry) -> Form:
    """Load a catalogue entry; its file name must be its id."""
    form = load_form(entry.path, sentences=not entry.builtin)
    if form.id != entry.id:
        raise FormFileError(entry.path, 1, t("file_id_mismatch", stem=entry.id, id=form.id))
    return form


class Library(Mapping):
    """The forms by id, each loaded (and checked) the first time it is asked for."""

    def __init__(self, extra: list[Path] | None = None):
        self.extra = extra
        self.entries = catalogue(extra)
        self._loaded: dict[str, Form] = {}

    def __getitem__(self, form_id: str) -> Form:
        if form_id not in self._loaded:
            self._loaded[form_id] = load_entry(self.entries[form_id])
        return self._loaded[form_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def resolve(self, name: str) -> str:
        """The id of the form `name` means: its id, or its city and year as a clerk says them
        (平顶山 2010, 平顶山2010, 平顶山市2010年), or the city alone when it has one form."""
        import difflib
        import re

        if name in self.entries:
            return name
        said = re.fullmatch(r"\s*(\D+?)\s*市?\s*(?:(\d{4})\s*年?)?\s*", name)
        if said:
            city, year = said.groups()
            hits = [
                fid
                for fid in self.entries
                if (year is None or fid.endswith(f"-{year}")) and self._city(fid) == city
            ]
            if len(hits) == 1:
                return hits[0]
            close = hits  # a city with several forms: they are what was meant
        else:
            close = []
        close = close or difflib.get_close_matches(name.strip().lower(), list(self.entries), n=3)
        raise UnknownForm(name, list(self.entries), close)

    def _city(self, form_id: str) -> str | None:
        try:
            return self[form_id].city.removesuffix("市")
        except FormFileError:
            return None  # a broken form file shows when that form itself is asked for

    def __len__(self) -> int:
        return len(self.entries)
