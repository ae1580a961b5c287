"""validate(form, return) -> FileReport: every check a return must pass, as findings."""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from wenuan import numbers
from wenuan.checking import suggest
from wenuan.checking.findings import FileReport, Finding, Suggestion
from wenuan.forms import deadlines
from wenuan.forms.model import UNITS, Cell, Form, Rule, quantize
from wenuan.reading import Entry, Return, Unreadable, read
from wenuan.reading.dates import parse_date
from wenuan.reading.units import is_total

_PHONE = re.compile(r"^(\+?86)?(1\d{10}|0\d{2,3}\d{7,8}|\d{7,8})(转\d{1,6})?$")
_PHONES = re.compile(r"[、,，/;；]|\s{2,}")  # between two numbers in one cell
_PHONE_MARKS = re.compile(r"[\s\-－—()（）]")  # within a number: 0375-1234567, (0375)
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
    """Why a file named as input cannot be opened (missing, a pipe, a device), as the
    catalogue's key (its words take `path`), or None."""
    if regular_file(path):
        return None
    return "read_not_regular" if path.exists() else "read_missing"


def regular_file(path: Path) -> bool:
    """Whether `path` is an ordinary file: a pipe or a device would hang or never end a read."""
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


TOO_LARGE = Decimal(10) ** 12  # no count of people nor sum of 万元 in a return comes near
_FLOAT_TOO_LARGE = float(TOO_LARGE)  # the same bound, compared with a float at a float's cost
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
    report.findings.append(unreadable("read_died", path))
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
        report.findings.append(unreadable(why, path))
        return report
    try:
        ret, form = read(path, forms, options.form_id)
    except Unreadable as e:
        kind = "unknown_form" if "form" in str(e) else "unreadable"  # unknown_form, other_form…
        report.findings.append(unreadable(f"read_{e}", path, kind, **e.params))
        return report
    return validate(form, ret, options, report)


def unreadable(what: str, path: Path, kind: str = "unreadable", **params) -> Finding:
    """The finding of a file that cannot be read: `what` is the catalogue's key."""
    return Finding("error", kind, what=what, params={"path": path.name, **params})


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
    for table, keyed in _keyed_cells(form):
        if table.id in ret.missing_tables:
            continue  # one finding says so; no cascade of missing items
        entries = ret.tables.get(table.id, {})
        shown: list[Finding] = []  # 元 shown as 万元: one note a table, not one a cell
        for ref, cell, key, decimals in keyed:
            entry = entries.get(ref)
            if (
                entry is not None
                and not entry.unit
                and not entry.shown
                and (value := _plain(entry.raw, decimals)) is not None
            ):  # most cells: _read_value's first case, with nothing to say
                # Entry.place, written out: a property's call costs as much as the string
                values[key] = value
                places[key] = f"{entry.sheet}!{entry.cell}" if entry.sheet else entry.cell
                continue
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
    cells = partial(_cells, form, ret)  # worked out only when a rule fails or a cell is empty
    findings += _rule_findings(form, values, cells, findings, ret.total)
    findings += _fill_suggestions(form, values, cells, findings, ret.total)
    received = options.received or _header_date(ret)
    if "date" not in ret.header and returns_deadline(form):
        # no 填报日期 anywhere: lateness is judged by the day the file came, and the unit told so
        received = received or ret.file_day
        how = "f_no_date_received" if options.received else "f_no_date_file"
        if received:
            findings.append(
                Finding("info", "deadline", what=how, params={"received": received.isoformat()})
            )
    report.received = received.isoformat() if received else None
    if received:
        findings += _deadline_findings(form, received, options.calendar)
    return report


_KEYED: dict[int, tuple[Form, list]] = {}


def _keyed_cells(form: Form) -> list:
    """Each table with its cells as (ref, cell, "table:ref", decimals), worked out once a form."""
    if id(form) not in _KEYED:  # the form is kept with them, so its id stays its own
        keyed = [
            (tb, [(r, c, f"{tb.id}:{r}", c.decimals) for r, c in tb.cells.items()])
            for tb in form.tables
        ]
        _KEYED[id(form)] = (form, keyed)
    return _KEYED[id(form)][1]


def _cells(form: Form, ret: Return | None) -> dict[str, tuple[Cell, Entry | None, str]]:
    """Each cell of the tables found, by "table:ref", with its entry (or None) and its table."""
    tables, missing = (ret.tables, ret.missing_tables) if ret else ({}, [])
    return {
        key: (cell, tables.get(tb.id, {}).get(ref), tb.id)
        for tb, keyed in _keyed_cells(form)
        if tb.id not in missing
        for ref, cell, key, _ in keyed
    }


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
        out = [Finding("warning", "table", what="f_units_first", params=params)]
    else:
        out = [Finding("info", "table", what=f"f_units_{ret.chosen}", params=params)]
    if ret.chosen != "total" or not is_total(ret.sheet):
        return out  # 本级, or the sender's own: its figures are not the others' sum
    for table, keyed in _keyed_cells(form):
        differs = []  # (ref, the parts' sum, as said)
        for ref, cell, key, _ in keyed:
            entries = [p.tables.get(table.id, {}).get(ref) for p in ret.parts]
            parts = [_read_value(cell, e, table.id, ret)[0] for e in entries]
            if key not in values or any(v is None for v in parts):
                continue  # a figure not read on a sheet: its own finding, or none to compare
            if (total := sum(parts)) != values[key]:
                old, new = show(values[key], cell.decimals), show(total, cell.decimals)
                plain = cell.label.removeprefix("其中")
                differs.append((ref, total, f"{plain}（{ref}）{old}，各表之和 {new}"))
        if differs:
            entries = ret.tables[table.id]
            fixes = [Suggestion(r, v, entries[r].place, "sum") for r, v, _ in differs]
            said = "；".join(d for _, _, d in differs)
            labels = "；".join(d.replace(f"（{r}）", "") for r, _, d in differs)
            finding = Finding(
                "error",
                "rule",
                items=[r for r, _, _ in differs],
                cell=fixes[0].cell,
                table=table.id,
                suggestion=fixes[0],
                also=fixes[1:],
                what="f_parts_sum",
                params={**params, "items": said, "labels": labels},
            )
            out.append(finding)
    return out


def _table_findings(form: Form, ret: Return) -> list[Finding]:
    """A table not found, a table found twice, and the labels read by similarity only."""
    out = []
    for table in form.tables:
        if table.id in ret.missing_tables:
            params = {"title": table.title}
            out.append(Finding("error", "table", what="f_no_table", params=params, table=table.id))
        elif table.id in ret.twice:
            params = {"title": table.title, "places": ret.twice[table.id]}
            out.append(
                Finding("warning", "table", what="f_table_twice", params=params, table=table.id)
            )
        near = {}
        for ref, entry in ret.tables.get(table.id, {}).items():
            if entry.how == "near":
                near.setdefault(table.cells[ref].item, (ref, entry))
        for code, (ref, entry) in near.items():
            label = next(item.label for item, _ in table.walk() if item.code == code)
            params = {
                **about(table.cells[ref], entry),
                "item": code,
                "label": label,
                "read": _clip(str(entry.label)),
                "score": f"{entry.score:.0f}",
            }
            out.append(
                Finding(
                    "info",
                    "label",
                    what="f_near_label",
                    params=params,
                    items=[ref],
                    cell=entry.place,
                    table=table.id,
                )
            )
    return out


def about(cell: Cell, entry: Entry | None, place: str | None = None) -> dict:
    """What the words need to name a cell: its item code, label, unit, and place in the file."""
    where = place or _place(entry)
    return {"item": cell.ref, "label": cell.label, "unit": cell.unit, "cell": where}


def _finding(severity, kind, what, cell: Cell, entry, table, params=None, **kw) -> Finding:
    return Finding(
        severity,
        kind,
        what=what,
        params={**about(cell, entry), **(params or {})},
        items=[cell.ref],
        cell=_place(entry),
        table=table,
        **kw,
    )


def _read_value(cell: Cell, entry: Entry | None, table: str, ret: Return):
    """The value of one cell, or the finding that says why there is none."""
    if entry and not entry.unit:  # most cells: a figure as stored, nothing to say
        value = _plain(entry.raw, 0 if entry.shown else cell.decimals)  # shown: whole only
        if value is not None:
            return value, None
    parsed = numbers.parse(entry.raw if entry else None, _UNIT_SUFFIXES)
    if entry and entry.unit and parsed.value is not None and not parsed.unit:
        parsed = numbers.Parsed(parsed.value, entry.unit)  # the unit written beside it
    if parsed.problem:
        typed = {"raw": _clip(typed_as(entry.raw))}
        return None, _finding("error", "type", "f_not_number", cell, entry, table, typed)
    value = parsed.value
    if parsed.unit == "万":  # 1.2万: 12000 people, or 1.2 in a 万元 cell
        if cell.unit != "万元":
            value *= 10000
            value = value.quantize(1) if value == value.to_integral_value() else value
        parsed = numbers.Parsed(value)
    if value is None:
        if entry and ret.uncalculated(entry):
            return None, _finding("error", "formula", "f_formula", cell, entry, table)
        if entry and entry.merged:  # one figure shown for two: neither is read
            params = {"span": entry.merged}
            return None, _finding("error", "missing", "f_merged", cell, entry, table, params)
        if cell.required:
            typed = str(entry.raw).strip() if entry and entry.raw is not None else ""
            what = "f_dash" if typed else "f_missing"
            params = {"raw": _clip(typed)} if typed else {}
            return None, _finding("error", "missing", what, cell, entry, table, params)
        return None, None
    if parsed.unit and parsed.unit != cell.unit:
        if parsed.unit == "元" and cell.unit == "万元":
            fixed = quantize(value / 10000, 2)
            params = {"raw": _clip(typed_as(entry.raw)), "value": show(fixed, 2)}
            sug = Suggestion(cell.ref, fixed, _place(entry), "unit")
            return None, _finding(
                "error", "type", "f_yuan", cell, entry, table, params, suggestion=sug
            )
        params = {"raw": _clip(typed_as(entry.raw))}
        return None, _finding("error", "type", "f_wrong_unit", cell, entry, table, params)
    if abs(value) >= TOO_LARGE:
        params = {"value": _clip(f"{value:f}")}
        return None, _finding("error", "range", "f_too_large", cell, entry, table, params)
    if value < 0:  # kept for the rules, so a sign slip can be located
        params = {"value": f"{value:f}"}
        return value, _finding("error", "range", "f_negative", cell, entry, table, params)
    if cell.decimals == 0 and value != value.to_integral_value():
        params = {"value": f"{value:f}"}
        return None, _finding("error", "type", "f_not_whole", cell, entry, table, params)
    if entry.shown and cell.unit == "万元":  # 12.3456 shown: the 12.35 万元 a clerk writes
        value = quantize(value, cell.decimals)
    if value.as_tuple().exponent < -cell.decimals:
        fixed = quantize(value, cell.decimals)
        params = {"value": f"{value:f}", "fixed": show(fixed, cell.decimals)}
        sug = Suggestion(cell.ref, fixed, _place(entry), "rounding")
        return value, _finding(
            "warning", "type", "f_decimals", cell, entry, table, params, suggestion=sug
        )
    return value, None


_WHOLE: dict[int, Decimal] = {}  # the counts below 10000 met, each made once (a Decimal is
# immutable): most figures of a return are such counts


def _plain(raw, decimals: int) -> Decimal | None:
    """A float a workbook stores, as its figure when whole or to at most `decimals` decimals
    (of the 15 digits `numbers.of_float` keeps) and below TOO_LARGE; else None."""
    if raw.__class__ is not float or not 0 <= raw < _FLOAT_TOO_LARGE:
        return None
    if raw == (whole := int(raw)):
        if (value := _WHOLE.get(whole)) is None:
            value = Decimal(whole)
            if whole < 10_000:
                _WHOLE[whole] = value
        return value
    if decimals:
        text = f"{raw:.15g}"  # numbers.of_float; "e" only below 0.0001, too many decimals
        if "e" not in text and len(text.partition(".")[2]) <= decimals:
            value = Decimal(text)
            return value if value < TOO_LARGE else None
    return None


def typed_as(raw) -> str:
    """A cell's content as the clerk typed it: 932000, not the 932000.0 a workbook stores."""
    if type(raw) is float:
        number = Decimal(repr(raw))  # 932000.0 as 932000; 1.8e308 whole, not rounded to 28 digits
        return f"{number.to_integral_value() if number == number.to_integral_value() else number:f}"
    return str(raw)


def _shown_finding(cell: Cell, entry: Entry, table: str, value: Decimal | None) -> Finding:
    """Read as a number format shows it (0!.0000: 元 shown as 万元): an `info` for a 万元 item;
    a `warning` for an item in another unit, or for the format as LibreOffice rewrites it."""
    from wenuan.reading.formats import wan

    stored, code = entry.shown
    how = wan(code)
    shown = quantize(Decimal(repr(entry.raw)), how.decimals)
    value = shown if value is None else value  # not read (a count not whole): what it shows
    params = {
        "stored": _clip(f"{numbers.parse(stored).value:f}"),
        "code": _clip(code),
        "shown": _clip(f"{shown:f}"),
        "value": show(value, cell.decimals) if cell.unit == "万元" else f"{value:f}",
    }
    if cell.unit != "万元":
        return _finding("warning", "format", "f_shown_other", cell, entry, table, params)
    if how.rewritten:
        return _finding("warning", "format", "f_shown_rewritten", cell, entry, table, params)
    return _finding("info", "format", "f_shown_wan", cell, entry, table, params)


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
        params = {
            **{k: group[0].params[k] for k in ("item", "label", "unit", "cell")},
            "n": len(group),
            "code": _clip(code),
            "stored": _clip(f"{numbers.parse(first.shown[0]).value:f}"),
            "value": _clip(f"{quantize(Decimal(repr(first.raw)), 2):f}"),
        }
        items = [i for f in group for i in f.items]
        out.append(
            Finding(
                "info",
                "format",
                what="f_shown_many",
                params=params,
                items=items,
                cell=group[0].cell,
                table=group[0].table,
            )
        )
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
        finding.params["fix"] = _fix(fix, new, values, cells, diagnosis.unique)
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
    return _rule_findings(form, values, partial(_cells, form, None), [], total=True)


def _rule_findings(
    form: Form, values: dict[str, Decimal], cells_of, findings, total: bool = False
) -> list[Finding]:
    """The rules the values fail, located; `cells_of()` gives `_cells`, called only then."""
    failing = []
    interval = None  # each cell's decimals, for a rule that multiplies two
    bound = zip(_bound_rules(form, total), _affine_rules(form, total), strict=True)
    for index, ((rule, table, keys), check) in enumerate(bound):
        # an empty or bad value (not in `values`) is already a finding of its own
        if check is None:
            if not all(map(values.__contains__, keys)):
                continue
            interval = interval or _interval_of(cells_of())
            holds = suggest.holds_within(rule.parsed, keys, values, interval)
        else:
            try:
                holds = check.holds(values)
            except KeyError:
                continue
        if not holds:
            failing.append((index, rule, table, keys))
    negative = set()
    if values and min(values.values()) < 0:  # a sign to locate: rare
        negative = {k for k, v in values.items() if v < 0}
    if not failing and not negative:
        return []  # the common case: a valid return costs no solver
    cells = cells_of()
    ranges = {(f.table, f.items[0]): f for f in findings if f.kind == "range" and f.items}
    model, totals, decimals = rule_model(form, total)
    wanted = {i for i, *_ in failing}
    groups = [
        group
        for group in model.groups
        if any(c.index in wanted or negative.intersection(c.keys) for c in group)
    ]
    looked = {k for group in groups for c in group for k in c.keys if k in values}
    x = {k: int(quantize(values[k], decimals[k]).scaleb(decimals[k])) for k in looked}
    weights = {k: _weight(k, values[k], cells[k][1], totals) for k in looked}
    diagnoses = {}
    in_failing = {k for _, _, _, keys in failing for k in keys}
    for group in groups:
        found = suggest.diagnose(group, x, decimals, weights)
        diagnoses.update({c.index: found for c in group})
        if found:
            _sign_fixes(found, in_failing, cells, values, ranges)
    out = []
    for index, rule, table, keys in failing:
        params = _rule_params(rule, keys, values, decimals, cells)
        advice, sugs, suspects = _advice(rule, keys, diagnoses.get(index), values, cells)
        first = cells[keys[0]][1]
        out.append(
            Finding(
                rule.severity,
                rule.kind,
                what=f"f_{params['kind']}",
                params={**params, "advice": advice},
                items=[cells[k][0].ref for k in keys],
                cell=_place(first),
                table=table,
                rule=rule.id,
                suggestion=sugs[0] if sugs else None,
                also=sugs[1:],
                suspects=suspects,
            )
        )
    return out


def _rule_params(rule: Rule, keys: list[str], values, decimals, cells) -> dict:
    """The rule that fails, its basis, each of its cells, and both sides' values."""
    expr = rule.parsed
    vals = {r: values[k] for r, k in zip(expr.refs(), keys, strict=True)}
    dec = max(decimals[k] for k in keys)
    left, right = suggest.value(expr.left, vals), suggest.value(expr.right, vals)
    terms = []
    for ref, key in zip(expr.refs(), keys, strict=True):
        cell, entry, _ = cells[key]
        value = show(values[key], cell.decimals)
        terms.append({"ref": str(ref), **about(cell, entry), "value": value})
    return {
        "kind": rule.kind if rule.kind != "rule" or expr.op == "=" else "inequality",
        "rule": rule.id,
        "expr": rule.expr,
        "basis": rule.basis,
        "op": expr.op,
        "left": show(left, dec),
        "right": show(right, dec),
        "diff": show(abs(left - right), dec),
        "terms": list({term["ref"]: term for term in terms}.values()),
    }


def _fix(fix, new: Decimal | None, values, cells, unique: bool) -> dict:
    """A fix as the words need it: the cell, its old and new figures, the slip, and whether
    no other change of as many cells makes the rules hold."""
    cell, entry, _ = cells[fix.key]
    new = Decimal(fix.value).scaleb(-cell.decimals) if new is None else new
    old, value = show(values[fix.key], cell.decimals), show(new, cell.decimals)
    return {**about(cell, entry), "old": old, "new": value, "why": fix.why, "unique": unique}


def _advice(rule: Rule, keys, diagnosis, values, cells) -> tuple[dict, list, list]:
    """What to tell about the fix: the fixes, the located cells or the tied sets, as data;
    the suggestions and the items named as wrong."""
    if diagnosis is None:
        return {"how": "none"}, [], []
    fixes = [f for f in diagnosis.fixes if f.key in keys]
    here = [k for k in diagnosis.located or [] if k in keys]
    sugs, said = [], []
    for fix in fixes:
        cell, entry, _ = cells[fix.key]
        new = Decimal(fix.value).scaleb(-cell.decimals)
        said.append(_fix(fix, new, values, cells, diagnosis.unique))
        sugs.append(Suggestion(cell.ref, new, _place(entry), fix.why))
    fixed = {f.key for f in fixes}
    rest = [k for k in here if k not in fixed]
    advice = {
        "unique": diagnosis.unique,
        "partial": diagnosis.partial,
        "fixes": said,
        "located": [about(*cells[k][:2]) for k in rest],
    }
    ties = [[about(*cells[k][:2]) for k in tie if k in cells] for tie in diagnosis.ties]
    advice["why_first"] = diagnosis.why_first
    if rest and diagnosis.deduced:  # what the rules make them if only they are wrong
        advice["deduced"] = [_fix(f, None, values, cells, False) for f in diagnosis.deduced]
    if (fixes or rest) and len(ties) > 1:
        advice["ties"] = ties  # the change named is one of several as small
    if fixes or rest:
        return (
            {"how": "fix" if fixes else "located", **advice},
            sugs,
            [cells[k][0].ref for k in here],
        )
    if ties and not diagnosis.located:  # every tied set, the likelier first
        return {"how": "ties", **advice, "ties": ties}, [], []
    named = [k for k in diagnosis.candidates if k in keys] or (
        diagnosis.candidates if diagnosis.located is None else []
    )
    if len(named) > 1:
        return (
            {"how": "candidates", **advice, "located": [about(*cells[k][:2]) for k in named]},
            [],
            [],
        )
    if len(named) == 1:
        located = [about(*cells[named[0]][:2])]
        return {"how": "located", **advice, "located": located}, [], [cells[named[0]][0].ref]
    if diagnosis.located is not None and rule.severity == "warning":
        return {"how": "quiet"}, [], []
    return {"how": "none"}, [], []


def _fill_suggestions(
    form: Form, values, cells_of, findings: list[Finding], total: bool = False
) -> list[Finding]:
    """An empty term of an equality whose other terms are filled: suggest the value that fits."""
    missing = {(f.table, f.items[0]): f for f in findings if f.kind == "missing"}
    if not missing:
        return []  # nothing empty to fill: most returns
    cells = cells_of()
    bound = zip(_bound_rules(form, total), _affine_rules(form, total), strict=True)
    for (rule, _, keys), check in bound:
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
        new = check.solve(values, key) if check else suggest.solve(rule.parsed, keys, key, values)
        if new is None or new < 0:
            continue
        new = quantize(new, cell.decimals)
        finding.suggestion = Suggestion(cell.ref, new, _place(entry), "fill")
        finding.params["fix"] = {"new": show(new, cell.decimals), "why": "fill", "expr": rule.expr}
    return []


def _header_findings(ret: Return) -> list[Finding]:
    out = []
    for key in ("unit", "person"):
        entry = ret.header.get(key)
        if not entry or not str(entry.raw).strip():
            out.append(Finding("error", "header", what=f"f_no_{key}", cell=_place(entry)))
    day = ret.header.get("date")
    if day and str(day.raw).strip() and parse_date(day.raw) is None:
        params = {"raw": _clip(str(day.raw))}
        out.append(Finding("warning", "header", what="f_bad_date", params=params, cell=_place(day)))
    phone = ret.header.get("phone")
    if not phone or not str(phone.raw).strip():
        out.append(Finding("warning", "header", what="f_no_phone", cell=_place(phone)))
    else:
        raw = str(phone.raw)
        numbers = _PHONES.split(raw.removesuffix(".0"))  # a landline, a mobile
        if not all(_PHONE.match(_PHONE_MARKS.sub("", n)) for n in numbers if n.strip()):
            params = {"raw": _clip(typed_as(phone.raw))}
            out.append(
                Finding("warning", "header", what="f_bad_phone", params=params, cell=_place(phone))
            )
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
    years = range(deadline.date.year, received.year + 1)
    given = {d.year for d in calendar or {}}
    params = {
        "days": days,
        "work": work,
        "deadline": deadline.date.isoformat(),
        "received": received.isoformat(),
        "text": deadline.text,
        "guessed": [str(y) for y in years if y not in given and not deadlines.has_official_data(y)],
    }
    what = "f_late_assumed" if deadline.reconstructed else "f_late"  # no sentence to quote
    return [Finding("warning", "deadline", what=what, params=params)]
