"""validate(form, return) -> FileReport: every check a return must pass, as findings."""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from wenuan import numbers
from wenuan.checking import suggest
from wenuan.checking.findings import FileReport, Finding, Suggestion
from wenuan.forms import deadlines
from wenuan.forms.model import UNITS, Cell, Form, Rule, quantize
from wenuan.forms.rules import render
from wenuan.reading import Entry, Return, Unreadable, read
from wenuan.reading.dates import parse_date
from wenuan.reading.units import is_total
from wenuan.words.messages import t

_PHONE = re.compile(r"^(\+?86)?(1\d{10}|0\d{2,3}\d{7,8}|\d{7,8})(转\d{1,6})?$")
_UNIT_SUFFIXES = tuple(UNITS)


@dataclass
class Options:
    """How to validate: the date received, strictness, extra calendar days, a form override."""

    received: date | None = None
    strict: bool = False
    calendar: dict[date, bool] | None = None
    form_id: str | None = None
    explain: bool = False  # keep where each value was read (validate --explain)


def show(value: Decimal, decimals: int) -> str:
    """A figure as a clerk writes it: 12, 3.50."""
    return f"{quantize(value, decimals):f}"


def collect(paths: list[Path], empty_ok: bool = False) -> list[Path]:
    """The return files named, folders searched for workbooks (sorted); none at all is an error
    unless `empty_ok` (a chasing list on the first day: everyone is missing)."""
    from wenuan.errors import WenuanError
    from wenuan.reading import READABLE

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in READABLE
                and p.is_file()
                and not p.name.startswith(("~$", ".~lock"))
            )
            if not found and not empty_ok:
                raise WenuanError("no_inputs", path=str(path))
            files += found
        elif path.exists() or path.is_symlink():
            files.append(path)  # a pipe or a device named here is refused, as a finding, unread
        elif not empty_ok:
            raise WenuanError("no_inputs", path=str(path))
    return files


def input_problem(path: Path) -> str | None:
    """Why a file named as input cannot be opened (missing, a pipe, a device), or None."""
    if regular_file(path):
        return None
    return t("read_not_regular" if path.exists() else "read_missing", path=path.name)


def regular_file(path: Path) -> bool:
    """Whether `path` is an ordinary file: a pipe or a device would hang or never end a read."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


TOO_LARGE = Decimal(10) ** 12  # no count of people nor sum of 万元 in a return comes near
PARALLEL_FROM = 64  # fewer files are checked by one worker: more would cost more to start


def check_all(paths: list[Path], forms, options: Options) -> Iterator[FileReport]:
    """Each file's report, in the files' order. A batch is read in worker processes (on every
    core when large): a file that ends its worker (a native abort, memory or time exhausted) is
    that file's finding. One file is read here, guarded by the reader's bounds: a worker would
    cost more to start than most returns take to check."""
    if len(paths) < 2 or not hasattr(forms, "extra"):
        for path in paths:
            yield validate_file(path, forms, options)
        return
    from wenuan.words.messages import get_lang
    from wenuan.workers import Died, Workers

    size = min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_FROM else 1
    workers = Workers(size, start_worker, (forms.extra, options, get_lang()))
    for path, got in zip(paths, workers.map(check_in_worker, paths), strict=True):
        yield died(path, options) if isinstance(got, Died) else got


def died(path: Path, options: Options) -> FileReport:
    """The report of a file whose worker died reading it."""
    report = FileReport(path=str(path), strict=options.strict)
    report.findings.append(Finding("error", "unreadable", t("read_died", path=path.name)))
    return report


_worker: tuple = ()


def start_worker(extra, options: Options, lang: str) -> None:
    """Set up a worker process: the forms, the options and the language of its checks."""
    global _worker
    from wenuan.forms.model import Library
    from wenuan.words.messages import set_lang

    set_lang(lang)
    _worker = (Library(extra), options)


def check_in_worker(path: Path, options: Options | None = None) -> FileReport:
    """validate_file in a worker, with its options or the ones given."""
    forms, default = _worker
    return validate_file(path, forms, options or default)


def validate_file(path: Path, forms: dict[str, Form], options: Options) -> FileReport:
    """Read and check one file; a file that cannot be read is a finding, never an exception."""
    report = FileReport(path=str(path), strict=options.strict)
    if why := input_problem(path):
        report.findings.append(Finding("error", "unreadable", why))
        return report
    try:
        ret, form = read(path, forms, options.form_id)
    except Unreadable as e:
        kind = "unknown_form" if "form" in str(e) else "unreadable"  # unknown_form, other_form…
        message = t(f"read_{e}", path=path.name, **e.params)
        report.findings.append(Finding("error", kind, message))
        return report
    return validate(form, ret, options, report)


def validate(
    form: Form, ret: Return, options: Options, report: FileReport | None = None
) -> FileReport:
    """Check a return against its form; never raises on bad data."""
    report = report or FileReport(path=str(ret.path), strict=options.strict)
    report.form = form.id
    findings = report.findings
    unit = ret.header.get("unit")
    report.unit = str(unit.raw).strip() if unit and str(unit.raw).strip() else None
    findings += _header_findings(ret)
    findings += _table_findings(form, ret)
    values: dict[str, Decimal] = {}  # "table:ref" -> value
    places: dict[str, str] = {}  # "table:ref" -> the cell it was read from
    cells: dict[str, tuple[Cell, Entry | None, str]] = {}
    for table, keyed in _keyed_cells(form):
        if table.id in ret.missing_tables:
            continue  # one finding says so; no cascade of missing items
        entries = ret.tables.get(table.id, {})
        shown: list[Finding] = []  # 元 shown as 万元: one note a table, not one a cell
        for ref, cell, key in keyed:
            entry = entries.get(ref)
            cells[key] = (cell, entry, table.id)
            value, finding = _read_value(cell, entry, table.id, ret)
            if entry and entry.shown:
                note = _shown_finding(cell, entry, table.id, value)
                (shown if note.severity == "info" else findings).append(note)
            if finding:
                findings.append(finding)
            if value is not None:
                values[key] = value
                places[key] = entry.place
        findings += _shown_together(shown, entries)
    report.values, report.places = values, places
    if ret.chosen:
        findings += _parts_findings(form, ret, values)
        report.sheet = ret.sheet
        report.parts = [{"sheet": p.sheet, "unit": p.unit} for p in ret.parts]
    report.header = {k: e.raw for k, e in ret.header.items()}
    if options.explain:
        report.reading = _reading(form, ret)
    findings += _rule_findings(form, values, cells, findings, ret.total)
    findings += _fill_suggestions(form, values, cells, findings, ret.total)
    received = options.received or _header_date(ret)
    if "date" not in ret.header and returns_deadline(form):
        # no 填报日期 anywhere: lateness is judged by the day the file came, and the unit told so
        received = received or ret.file_day
        how = "f_no_date_received" if options.received else "f_no_date_file"
        if received:
            findings.append(Finding("info", "deadline", t(how, received=received.isoformat())))
    report.received = received.isoformat() if received else None
    if received:
        findings += _deadline_findings(form, received, options.calendar)
    return report


_KEYED: dict[int, tuple[Form, list]] = {}


def _keyed_cells(form: Form) -> list:
    """Each table with its cells as (ref, cell, "table:ref"), worked out once a form."""
    if id(form) not in _KEYED:  # the form is kept with them, so its id stays its own
        keyed = [(tb, [(r, c, f"{tb.id}:{r}") for r, c in tb.cells.items()]) for tb in form.tables]
        _KEYED[id(form)] = (form, keyed)
    return _KEYED[id(form)][1]


def _place(entry: Entry | None) -> str | None:
    return entry.place if entry else None


def _reading(form: Form, ret: Return) -> list[dict]:
    """Where each value was read and how its row was recognized (for --explain)."""
    out = []
    for table in form.tables:
        entries = ret.tables.get(table.id, {})
        for ref, cell in table.cells.items():
            entry = entries.get(ref)
            out.append(
                {
                    "table": table.id,
                    "item": ref,
                    "label": cell.label,
                    "cell": _place(entry),
                    "how": entry.how if entry else "not_found",
                    "read": entry.label if entry and entry.how == "near" else None,
                    "score": entry.score if entry else None,
                    "format": entry.shown[1] if entry and entry.shown else None,
                }
            )
    return out


def _parts_findings(form: Form, ret: Return, values: dict[str, Decimal]) -> list[Finding]:
    """A workbook of several units: which sheet was read as the unit's own and why, and where
    a 汇总 sheet differs from the sum of its sub-units' sheets (item by item)."""
    others = "、".join(p.sheet for p in ret.parts)
    params = {"sheet": ret.sheet, "parts": others, "count": len(ret.parts)}
    if ret.chosen == "first":
        out = [Finding("warning", "table", "", what="f_units_first", params=params)]
    else:
        out = [Finding("info", "table", "", what=f"f_units_{ret.chosen}", params=params)]
    if ret.chosen != "total" or not is_total(ret.sheet):
        return out  # 本级, or the sender's own: its figures are not the others' sum
    for table, keyed in _keyed_cells(form):
        differs = []  # (ref, the parts' sum, as said)
        for ref, cell, key in keyed:
            entries = [p.tables.get(table.id, {}).get(ref) for p in ret.parts]
            parts = [_read_value(cell, e, table.id, ret)[0] for e in entries]
            if key not in values or any(v is None for v in parts):
                continue  # a figure not read on a sheet: its own finding, or none to compare
            if (total := sum(parts)) != values[key]:
                old, new = show(values[key], cell.decimals), show(total, cell.decimals)
                differs.append((ref, total, f"{ref} {old} ≠ {new}"))
        if differs:
            entries = ret.tables[table.id]
            fixes = [Suggestion(r, v, entries[r].place, "sum") for r, v, _ in differs]
            said = "；".join(d for _, _, d in differs)
            finding = Finding(
                "error",
                "rule",
                "",
                [r for r, _, _ in differs],
                fixes[0].cell,
                table.id,
                suggestion=fixes[0],
                also=fixes[1:],
                what="f_parts_sum",
                params={**params, "items": said},
            )
            out.append(finding)
    return out


def _table_findings(form: Form, ret: Return) -> list[Finding]:
    """A table not found, a table found twice, and the labels read by similarity only."""
    out = []
    for table in form.tables:
        if table.id in ret.missing_tables:
            msg = t("f_no_table", title=table.title)
            out.append(Finding("error", "table", msg, table=table.id))
        elif table.id in ret.twice:
            msg = t("f_table_twice", title=table.title, places="、".join(ret.twice[table.id]))
            out.append(Finding("warning", "table", msg, table=table.id))
        near = {}
        for ref, entry in ret.tables.get(table.id, {}).items():
            if entry.how == "near":
                near.setdefault(table.cells[ref].item, (ref, entry))
        for code, (ref, entry) in near.items():
            label = next(item.label for item, _ in table.walk() if item.code == code)
            msg = t(
                "f_near_label",
                read=_clip(str(entry.label)),
                code=code,
                label=label,
                score=f"{entry.score:.0f}",
            )
            out.append(Finding("info", "label", msg, [ref], entry.place, table.id))
    return out


def _finding(severity, kind, message, cell: Cell, entry, table, **kw) -> Finding:
    return Finding(severity, kind, message, [cell.ref], _place(entry), table, **kw)


def _read_value(cell: Cell, entry: Entry | None, table: str, ret: Return):
    """The value of one cell, or the finding that says why there is none."""
    raw = entry.raw if entry else None
    if type(raw) is float and 0 <= raw < TOO_LARGE and not entry.unit:
        if raw == int(raw):
            return Decimal(int(raw)), None  # most cells: a whole number, nothing to say
        if cell.decimals and not entry.shown:  # an amount to its decimals, nothing to say
            value = numbers.parse(raw).value
            if value < TOO_LARGE and value.as_tuple().exponent >= -cell.decimals:
                return value, None
    name = f"{cell.ref}（{cell.label}）"
    parsed = numbers.parse(entry.raw if entry else None, _UNIT_SUFFIXES)
    if entry and entry.unit and parsed.value is not None and not parsed.unit:
        parsed = numbers.Parsed(parsed.value, entry.unit)  # the unit written beside it
    if parsed.problem:
        msg = t("f_not_number", item=name, raw=_clip(str(entry.raw)))
        return None, _finding("error", "type", msg, cell, entry, table)
    value = parsed.value
    if parsed.unit == "万":  # 1.2万: 12000 people, or 1.2 in a 万元 cell
        if cell.unit != "万元":
            value *= 10000
            value = value.quantize(1) if value == value.to_integral_value() else value
        parsed = numbers.Parsed(value)
    if value is None:
        if entry and ret.uncalculated(entry):
            return None, _finding("error", "formula", t("f_formula", item=name), cell, entry, table)
        if cell.required:
            typed = str(entry.raw).strip() if entry and entry.raw is not None else ""
            msg = t("f_dash", item=name, raw=_clip(typed)) if typed else t("f_missing", item=name)
            return None, _finding("error", "missing", msg, cell, entry, table)
        return None, None
    if parsed.unit and parsed.unit != cell.unit:
        if parsed.unit == "元" and cell.unit == "万元":
            fixed = quantize(value / 10000, 2)
            msg = t("f_yuan", item=name, raw=_clip(str(entry.raw)), value=show(fixed, 2))
            sug = Suggestion(cell.ref, fixed, _place(entry), "unit")
            return None, _finding("error", "type", msg, cell, entry, table, suggestion=sug)
        msg = t("f_wrong_unit", item=name, raw=_clip(str(entry.raw)), unit=cell.unit)
        return None, _finding("error", "type", msg, cell, entry, table)
    if abs(value) >= TOO_LARGE:
        msg = t("f_too_large", item=name, value=_clip(f"{value:f}"))
        return None, _finding("error", "range", msg, cell, entry, table)
    if value < 0:  # kept for the rules, so a sign slip can be located
        msg = t("f_negative", item=name, value=f"{value:f}")
        return value, _finding("error", "range", msg, cell, entry, table)
    if cell.decimals == 0 and value != value.to_integral_value():
        msg = t("f_not_whole", item=name, value=f"{value:f}", unit=cell.unit)
        return None, _finding("error", "type", msg, cell, entry, table)
    if entry.shown and cell.unit == "万元":  # 12.3456 shown: the 12.35 万元 a clerk writes
        value = quantize(value, cell.decimals)
    if value.as_tuple().exponent < -cell.decimals:
        fixed = quantize(value, cell.decimals)
        msg = t("f_decimals", item=name, value=f"{value:f}", fixed=show(fixed, cell.decimals))
        sug = Suggestion(cell.ref, fixed, _place(entry), "rounding")
        return value, _finding("warning", "type", msg, cell, entry, table, suggestion=sug)
    return value, None


def _shown_finding(cell: Cell, entry: Entry, table: str, value: Decimal | None) -> Finding:
    """Read as a number format shows it (0!.0000: 元 shown as 万元): an `info` for a 万元 item;
    a `warning` for an item in another unit, or for the format as LibreOffice rewrites it."""
    from wenuan.reading.formats import wan

    stored, code = entry.shown
    how = wan(code)
    shown = quantize(Decimal(repr(entry.raw)), how.decimals)
    value = shown if value is None else value  # not read (a count not whole): what it shows
    params = {
        "item": f"{cell.ref}（{cell.label}）",
        "stored": _clip(f"{numbers.parse(stored).value:f}"),
        "code": _clip(code),
        "shown": _clip(f"{shown:f}"),
        "value": show(value, cell.decimals) if cell.unit == "万元" else f"{value:f}",
        "unit": cell.unit,
    }
    if cell.unit != "万元":
        return _finding("warning", "format", t("f_shown_other", **params), cell, entry, table)
    if how.rewritten:
        return _finding("warning", "format", t("f_shown_rewritten", **params), cell, entry, table)
    return _finding("info", "format", t("f_shown_wan", **params), cell, entry, table)


def _shown_together(notes: list[Finding], entries: dict[str, Entry]) -> list[Finding]:
    """A table's 万元 cells read as their format shows them: one `info` per format code, naming
    the first cell and how many there are (a finance office formats every amount so)."""
    by_code: dict[str, list[Finding]] = {}
    for f in notes:
        by_code.setdefault(entries[f.items[0]].shown[1], []).append(f)
    out = []
    for code, group in by_code.items():
        if len(group) == 1:
            out += group
            continue
        first = entries[group[0].items[0]]
        msg = t(
            "f_shown_many",
            n=len(group),
            code=_clip(code),
            item=group[0].items[0],
            stored=_clip(f"{numbers.parse(first.shown[0]).value:f}"),
            value=_clip(f"{quantize(Decimal(repr(first.raw)), 2):f}"),
        )
        items = [i for f in group for i in f.items]
        out.append(Finding("info", "format", msg, items, group[0].cell, group[0].table))
    return out


def _clip(text: str, most: int = 40) -> str:
    """A cell's text as quoted in a message: long text cut, so one cell cannot flood a report;
    ID and card numbers masked first, so that no cut leaves a part of one whole."""
    from wenuan.lists.idnumbers import mask_numbers

    text = mask_numbers(text)
    return text if len(text) <= most else text[:most] + "…"


_BOUND: dict[tuple[int, bool], tuple[Form, list]] = {}


def _bound_rules(form: Form, total: bool = False) -> list[tuple[Rule, str | None, list[str]]]:
    """Every rule that judges a unit's return (or a total) with the value keys ("table:ref") of
    its references (worked out once a form)."""
    key = (id(form), total)
    if key not in _BOUND:  # the form is kept with its rules, so its id stays its own
        _BOUND[key] = (form, _bind(form, total))
    return _BOUND[key][1]


def _bind(form: Form, total: bool) -> list[tuple[Rule, str | None, list[str]]]:
    out = []
    for table in form.tables:
        for rule in table.rules:
            out.append((rule, table.id, [f"{table.id}:{r}" for r in rule.parsed.refs()]))
    for rule in form.rules:
        out.append((rule, None, [str(r) for r in rule.parsed.refs()]))
    return [bound for bound in out if bound[0].judges(total)]


_HALF = {d: Decimal(5).scaleb(-d - 1) if d else Decimal(0) for d in range(3)}  # ±half a unit


def _interval_of(cells):
    def interval(key: str, value: Decimal) -> tuple[Decimal, Decimal]:
        half = _HALF[cells[key][0].decimals]
        return value - half, value + half

    return interval


def rule_model(form: Form, total: bool = False) -> tuple[suggest.Model, set[str], dict[str, int]]:
    """The form's rules for a unit's return (or a total) as integer checks in groups, its
    totals, and each cell's decimals."""
    cached = _MODELS.get((id(form), total))
    if cached is None or cached[0] is not form:  # the form is kept, so its id stays its own
        bound = [(r.parsed, k, r.severity == "warning") for r, _, k in _bound_rules(form, total)]
        decimals = {
            f"{tb.id}:{ref}": c.decimals for tb in form.tables for ref, c in tb.cells.items()
        }
        totals = {
            f"{tb.id}:{ref}"
            for tb in form.tables
            for item, _ in tb.walk()
            if item.items
            for ref, c in tb.cells.items()
            if c.item == item.code
        }
        model = suggest.compile_rules(bound, decimals)
        cached = _MODELS[(id(form), total)] = (form, model, totals, decimals)
    return cached[1], cached[2], cached[3]


_MODELS: dict[tuple[int, bool], tuple] = {}


def _weight(key: str, value: Decimal, entry: Entry | None, totals: set[str]) -> float:
    """What changing a cell costs: less when negative or typed with a unit, more for a total."""
    if value < 0:
        return suggest.NEGATIVE
    if (
        entry is not None
        and isinstance(entry.raw, str)
        and numbers.parse(entry.raw, _UNIT_SUFFIXES).unit
    ):
        return suggest.WITH_UNIT
    return suggest.TOTAL if key in totals else suggest.CELL


def _sign_fixes(diagnosis, in_failing: set[str], cells, values, ranges) -> None:
    """A fix of a negative value that no failing rule shows goes on its own `range` finding."""
    for fix in diagnosis.fixes:
        cell, entry, table = cells[fix.key]
        finding = ranges.get((table, cell.ref))
        if fix.key in in_failing or finding is None or finding.suggestion:
            continue
        new = Decimal(fix.value).scaleb(-cell.decimals)
        why = t(f"slip_{fix.why}", old=show(values[fix.key], cell.decimals)) + t("sure_single")
        finding.message += t("f_negative_fix", value=show(new, cell.decimals), why=why)
        finding.suggestion = Suggestion(cell.ref, new, _place(entry), fix.why)
        finding.suspects = [cell.ref]


_AFFINE: dict[tuple[int, bool], tuple[Form, list]] = {}


def _affine_rules(form: Form, total: bool = False) -> list[suggest.Affine | None]:
    """Each bound rule's sum over its cells (None for a product of two), worked out once a form."""
    key = (id(form), total)
    if key not in _AFFINE:  # the form is kept with them, so its id stays its own
        half = {
            f"{tb.id}:{r}": _HALF[c.decimals] for tb in form.tables for r, c in tb.cells.items()
        }
        _AFFINE[key] = (
            form,
            [
                suggest.affine(rule.parsed, keys, half) if half.keys() >= set(keys) else None
                for rule, _, keys in _bound_rules(form, total)
            ],
        )
    return _AFFINE[key][1]


def check_total(form: Form, values: dict[str, Decimal]) -> list[Finding]:
    """The findings of the rules that judge a total, over consolidated figures ("table:ref")."""
    cells = {key: (cell, None, tb.id) for tb, keyed in _keyed_cells(form) for _, cell, key in keyed}
    return _rule_findings(form, values, cells, [], total=True)


def _rule_findings(
    form: Form, values: dict[str, Decimal], cells, findings, total: bool = False
) -> list[Finding]:
    ranges = {(f.table, f.items[0]): f for f in findings if f.kind == "range" and f.items}
    interval = _interval_of(cells)
    failing = []
    bound = zip(_bound_rules(form, total), _affine_rules(form, total), strict=True)
    for index, ((rule, table, keys), check) in enumerate(bound):
        if not all(k in values for k in keys):
            continue  # an empty or bad value is already a finding of its own
        if not (
            check.holds(values)
            if check
            else suggest.holds_within(rule.parsed, keys, values, interval)
        ):
            failing.append((index, rule, table, keys))
    negative = {k for k, v in values.items() if v < 0}
    if not failing and not negative:
        return []  # the common case: a valid return costs no solver
    decimals = {k: c[0].decimals for k, c in cells.items()}
    model, totals, _ = rule_model(form, total)
    x = {k: int(quantize(v, decimals[k]).scaleb(decimals[k])) for k, v in values.items()}
    weights = {k: _weight(k, v, cells[k][1], totals) for k, v in values.items()}
    diagnoses = {}
    wanted = {i for i, *_ in failing}
    for group in model.groups:
        if any(c.index in wanted or negative.intersection(c.keys) for c in group):
            found = suggest.diagnose(group, x, decimals, weights)
            diagnoses.update({c.index: found for c in group})
            if found:
                _sign_fixes(
                    found, {k for _, _, _, keys in failing for k in keys}, cells, values, ranges
                )
    out = []
    for index, rule, table, keys in failing:
        msg = _rule_message(rule, keys, values, decimals)
        msg, sugs, suspects = _advice(msg, rule, keys, diagnoses.get(index), values, cells)
        first = cells[keys[0]][1]
        out.append(
            Finding(
                rule.severity,
                rule.kind,
                msg,
                [cells[k][0].ref for k in keys],
                _place(first),
                table,
                rule=rule.id,
                suggestion=sugs[0] if sugs else None,
                also=sugs[1:],
                suspects=suspects,
            )
        )
    return out


def _rule_message(rule: Rule, keys: list[str], values, decimals) -> str:
    """The rule that fails, its basis, and both sides' values (and the limit, if a bound)."""
    expr = rule.parsed
    vals = {r: values[k] for r, k in zip(expr.refs(), keys, strict=True)}
    dec = max(decimals[k] for k in keys)
    left, right = suggest.value(expr.left, vals), suggest.value(expr.right, vals)
    kind = rule.kind if rule.kind != "rule" or expr.op == "=" else "inequality"
    return t(
        f"f_{kind}",
        rule=rule.id,
        expr=rule.expr,
        basis=rule.basis,
        left=render(expr.left),
        lv=show(left, dec),
        right=render(expr.right),
        rv=show(right, dec),
        diff=show(abs(left - right), dec),
        cmp=t(f"cmp_{expr.op}") if expr.op != "=" else "",
    )


def _where(key: str, cells) -> str:
    cell, entry, _ = cells[key]
    return f"{_place(entry) or cell.ref}（{cell.ref}）"


def _either(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return t("list_sep").join(names[:-1]) + t("or") + names[-1]


def _advice(msg: str, rule: Rule, keys, diagnosis, values, cells) -> tuple[str, list, list]:
    """The message completed with the fix, the located cells or the candidates; suggestions and
    the items named as wrong."""
    if diagnosis is None:
        return msg + t("f_no_single_fix"), [], []
    fixes = [f for f in diagnosis.fixes if f.key in keys]
    here = [k for k in diagnosis.located or [] if k in keys]
    sugs = []
    for fix in fixes:
        cell, entry, _ = cells[fix.key]
        new = Decimal(fix.value).scaleb(-cell.decimals)
        why = t(f"slip_{fix.why}", old=show(values[fix.key], cell.decimals))
        others = [f for f in diagnosis.fixes if f is not fix]
        if diagnosis.partial:
            why += t("sure_part")
        else:
            why += t("sure_pair", other=cells[others[0].key][0].ref) if others else t("sure_single")
        where = _place(entry) or cell.ref
        value = show(new, cell.decimals)
        kind = "f_suggest_part" if diagnosis.partial else "f_suggest"
        msg += t(kind, cell=where, item=cell.ref, value=value, why=why)
        sugs.append(Suggestion(cell.ref, new, _place(entry), fix.why))
    fixed = {f.key for f in fixes}
    rest = [k for k in here if k not in fixed]
    if rest:
        msg += t("f_located", cells=t("list_sep").join(_where(k, cells) for k in rest))
    if fixes or rest:
        return msg, sugs, [cells[k][0].ref for k in here]
    named = [k for k in diagnosis.candidates if k in keys] or (
        diagnosis.candidates if diagnosis.located is None else []
    )
    if len(named) > 1:
        return msg + t("f_one_of", cells=_either([cells[k][0].ref for k in named])), [], []
    if len(named) == 1:
        return msg + t("f_located", cells=_where(named[0], cells)), [], [cells[named[0]][0].ref]
    if diagnosis.located is not None and rule.severity == "warning":
        return msg, [], []
    return msg + t("f_no_single_fix"), [], []


def _fill_suggestions(
    form: Form, values, cells, findings: list[Finding], total: bool = False
) -> list[Finding]:
    """An empty term of an equality whose other terms are filled: suggest the value that fits."""
    missing = {(f.table, f.items[0]): f for f in findings if f.kind == "missing"}
    for rule, _, keys in _bound_rules(form, total):
        if rule.parsed.op != "=":
            continue
        empty = [k for k in keys if k not in values]
        if len(empty) != 1 or empty[0] not in cells:  # not in cells: its table is missing
            continue
        key = empty[0]
        cell, entry, tb = cells[key]
        finding = missing.get((tb, cell.ref))
        if finding is None or finding.suggestion:
            continue
        new = suggest.solve(rule.parsed, keys, key, values)
        if new is None or new < 0:
            continue
        new = quantize(new, cell.decimals)
        finding.suggestion = Suggestion(cell.ref, new, _place(entry), "fill")
        finding.message += t("f_fill", expr=rule.expr, value=show(new, cell.decimals))
    return []


def _header_findings(ret: Return) -> list[Finding]:
    out = []
    for key in ("unit", "person"):
        entry = ret.header.get(key)
        if not entry or not str(entry.raw).strip():
            out.append(Finding("error", "header", t(f"f_no_{key}"), cell=_place(entry)))
    day = ret.header.get("date")
    if day and str(day.raw).strip() and parse_date(day.raw) is None:
        raw = _clip(str(day.raw))
        out.append(Finding("warning", "header", t("f_bad_date", raw=raw), cell=_place(day)))
    phone = ret.header.get("phone")
    if not phone or not str(phone.raw).strip():
        out.append(Finding("warning", "header", t("f_no_phone"), cell=_place(phone)))
    else:
        raw = str(phone.raw)
        numbers = re.split(r"[、,，/;；]|\s{2,}", raw.removesuffix(".0"))  # a landline, a mobile
        if not all(_PHONE.match(re.sub(r"[\s\-－—()（）]", "", n)) for n in numbers if n.strip()):
            out.append(Finding("warning", "header", t("f_bad_phone", raw=raw), cell=_place(phone)))
    return out


def _header_date(ret: Return) -> date | None:
    entry = ret.header.get("date")
    return parse_date(entry.raw) if entry else None


def returns_deadline(form: Form):
    """The deadline the returns are due by."""
    return next((d for d in form.deadlines if d.tables), None)


def _deadline_findings(form: Form, received: date, calendar) -> list[Finding]:
    deadline = returns_deadline(form)
    if deadline is None or received <= deadline.date:
        return []
    days = (received - deadline.date).days
    work = deadlines.working_days_between(deadline.date, received, calendar)
    msg = t(
        "f_late",
        days=days,
        work=work,
        deadline=deadline.date.isoformat(),
        received=received.isoformat(),
        text=deadline.text,
    )
    years = range(deadline.date.year, received.year + 1)
    given = {d.year for d in calendar or {}}
    guessed = [y for y in years if y not in given and not deadlines.has_official_data(y)]
    if guessed:
        msg += t("f_late_guess", years="、".join(map(str, guessed)))
    return [Finding("warning", "deadline", msg)]
