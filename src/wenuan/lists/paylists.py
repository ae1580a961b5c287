"""check_lists(files, form) -> FileReports: real-name payment lists (实名制发放明细) checked row
by row (ID numbers, bank cards, the notice's rules) and across the batch (the same person or
card twice). Numbers appear only masked, with a salted fingerprint for matching."""

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from wenuan import numbers
from wenuan.checking.findings import FileReport, Finding
from wenuan.forms import deadlines
from wenuan.forms.model import Form, ListRule, PaymentList
from wenuan.lists import idnumbers
from wenuan.reading.model import Entry, Grid, Unreadable

SALT_ENV = "WENUAN_SALT"
_PASSBOOK = ("存折",)
_CASH = ("现金",)


def salt() -> tuple[bytes, str]:
    """The salt of fingerprints: $WENUAN_SALT (the same across runs), else random for this run."""
    if env := os.environ.get(SALT_ENV):
        return env.encode(), "env"
    return os.urandom(16), "run"


@dataclass
class Batch:
    """What has been seen so far in a batch: each ID number and card with its first place."""

    ids: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # digits -> file, cell, name
    cards: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)  # + the ID
    rows: int = 0


def choose(form: Form, list_id: str | None = None) -> PaymentList:
    """The form's payment list (by id when it has several); a form without one cannot be used."""
    from wenuan.errors import WenuanError

    if not form.lists:
        raise WenuanError("no_lists", form=form.id)
    if list_id is None:
        return form.lists[0]
    for paylist in form.lists:
        if paylist.id == list_id:
            return paylist
    raise WenuanError("unknown_list", list=list_id, known="、".join(p.id for p in form.lists))


@dataclass
class Register:
    """The register of 建档 families as read: each valid ID number with its cell and name."""

    path: Path
    report: FileReport
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # digits -> cell, name


@dataclass
class Returns:
    """The returns lists are reconciled with: one file for every list, or a folder by unit."""

    path: Path
    folder: bool
    reports: list[FileReport]  # each return as validated, with its values and cells

    def of(self, unit: str | None, form: Form) -> FileReport | None:
        """The return of the list's unit (the only return, when one file was named)."""
        if not self.folder:
            return self.reports[0]
        from wenuan.forms.roster import Roster, unit_key

        roster = Roster(form.units)
        want = unit_key(roster.canonical(unit or ""))
        return next(
            (r for r in self.reports if r.unit and unit_key(roster.canonical(r.unit)) == want),
            None,
        )


def read_returns(path: Path, form: Form, paylist: PaymentList) -> Returns:
    """The unit returns named by --return (a file or a folder), read with the form."""
    from wenuan.checking import validate
    from wenuan.errors import WenuanError

    if paylist.reconcile is None:
        raise WenuanError("no_reconcile_rule", list=paylist.id)
    options = validate.Options(form_id=form.id, explain=True)
    files = validate.collect([path])
    reports = [validate.validate_file(f, {form.id: form}, options) for f in files]
    return Returns(path, path.is_dir(), reports)


def check_lists(
    paths: list[Path],
    form: Form,
    paylist: PaymentList,
    key: bytes,
    register: Path | None = None,
    returns: Path | None = None,
):
    """Each file's report, in order; duplicates are reported on the later of the two places.

    With a register, each payee is looked up in it (依档帮扶), and the register's own report
    comes last, naming each registered person no list paid (全覆盖). With returns, each list's
    count and sum are compared with its unit's return."""
    book = read_register(register, form, paylist, key) if register else None
    units = read_returns(returns, form, paylist) if returns else None
    batch = Batch()
    for path in paths:
        yield check_list(path, form, paylist, batch, key, book, units)
    if book is not None:
        yield coverage(book, paylist, batch, key)


def read_register(path: Path, form: Form, paylist: PaymentList, key: bytes) -> Register:
    """The register read with the list reader by its name and ID columns; its problems as
    findings. A list whose form quotes no register rule cannot be checked against one."""
    from wenuan.errors import WenuanError
    from wenuan.reading.lists import find_parts

    if paylist.register_check is None:
        raise WenuanError("no_register_rule", list=paylist.id)
    report = FileReport(path=str(path), form=form.id)
    book = Register(path, report)
    shape = PaymentList(
        id="register",
        title=paylist.title,
        basis=paylist.basis,
        columns=[c for c in paylist.columns if c.kind in ("name", "id_number")],
    )
    grids = _grids(path, report)
    parts = find_parts(grids, shape) if grids is not None else []
    if grids is not None and not parts:
        words = "、".join(c.name for c in shape.columns)
        report.findings.append(_finding("error", "table", _said("l_no_list", columns=words)))
    for part in parts:
        for cells in part.rows:
            entry = cells.get("id_number")
            name = _text(cells.get("name")) or "?"
            if entry is None:
                continue
            masked = idnumbers.mask_id(entry.raw)
            subject = {"id_number": masked}
            where = entry.place
            if idnumbers.lost_digits(entry.raw):
                why = _said("l_id_lost", masked=masked, person=name)
                report.findings.append(_finding("error", "id_number", why, cell=where,
                                                table="register", subject=subject))  # fmt: skip
                continue
            person = idnumbers.check_id(idnumbers.digits_of(entry.raw))
            subject["id_hash"] = idnumbers.fingerprint(person.digits, key)
            if person.problem:
                why = _said("l_id_bad", masked=masked, why=_said(f"l_id_{person.problem}"),
                            person=name)  # fmt: skip
                report.findings.append(_finding("error", "id_number", why, cell=where,
                                                table="register", subject=subject))  # fmt: skip
            book.people.setdefault(person.digits, (where, name))
    report.values = {"rows": len(book.people), "register": True}
    return book


def coverage(book: Register, paylist: PaymentList, batch: Batch, key: bytes) -> FileReport:
    """The register's report: one 全覆盖 finding per registered person no list paid, at the
    person's cell in the register, so that each is a family to visit or a payment to find."""
    report = book.report
    basis = paylist.register_check.coverage if paylist.register_check else None
    missing = [d for d in book.people if d not in batch.ids]
    if basis:
        for digits in missing:
            where, name = book.people[digits]
            masked = idnumbers.mask_id(digits)
            subject = {"id_number": masked, "id_hash": idnumbers.fingerprint(digits, key)}
            message = _said("l_not_paid", masked=masked, basis=basis, person=name)
            report.findings.append(_finding("error", "coverage", message, cell=where,
                                            table=paylist.id, subject=subject))  # fmt: skip
    report.values["missing"] = len(missing) if basis else 0
    return report


def _grids(path: Path, report: FileReport):
    """The file's sheets (or Word tables), or None with the reason as a finding."""
    from wenuan.checking.validate import input_problem
    from wenuan.reading import word, workbook

    if why := input_problem(path):
        report.findings.append(_finding("error", "unreadable", _said(why, path=path.name)))
        return None
    try:
        if path.suffix.lower() in word.WORD:
            return word.grids(path, workbook.LIST)
        return workbook.grids(path, workbook.LIST)[0]
    except Unreadable as e:
        key = f"l_{e}" if str(e) in ("too_many_rows", "too_large", "too_far") else f"read_{e}"
        message = _said(key, **{"path": path.name, "rows": workbook.LIST.rows, **e.params})
        report.findings.append(_finding("error", "unreadable", message))
        return None


def check_list(
    path: Path,
    form: Form,
    paylist: PaymentList,
    batch: Batch,
    key: bytes,
    register: Register | None = None,
    returns: Returns | None = None,
):
    """One file's findings, the batch remembering its people for the files after it."""
    from wenuan.reading.lists import find_parts

    report = FileReport(path=str(path), form=form.id)
    report.values = {"rows": 0}
    grids = _grids(path, report)
    if grids is None:
        return report
    parts = find_parts(grids, paylist)
    report.unit = _unit(grids, parts)
    if not parts:
        words = "、".join(c.name for c in paylist.columns if c.required)
        report.findings.append(_finding("error", "table", _said("l_no_list", columns=words)))
        return report
    for part in parts:
        for name in part.missing:
            column = next(c for c in paylist.columns if c.name == name)
            words = "、".join([column.name, *column.words])
            report.findings.append(
                _finding(
                    "error",
                    "header",
                    _said("l_no_column", column=name, words=words),
                    cell=part.header,
                    table=paylist.id,
                )
            )
        for n, cells in enumerate(part.rows):
            where = partial(part.places, n)
            report.findings += _row_findings(
                cells, where, form, paylist, batch, path, key, register
            )
    report.values = {"rows": sum(len(p.rows) for p in parts)}
    batch.rows += report.values["rows"]
    if returns is not None and paylist.reconcile is not None:
        report.findings += reconcile(report, parts, form, paylist, returns)
    return report


def _unit(grids: list[Grid], parts) -> str | None:
    """The 填报单位 a list names: looked for above the list first (its many rows need no
    reading), then anywhere in the file."""
    from wenuan.reading.header import read_header

    top = {id(p.grid): p.top for p in parts}
    above = [
        Grid(g.name, g.rows[: top[id(g)]], g.covered, g.origin, g.places) if id(g) in top else g
        for g in grids
    ]
    for where in (above, grids):
        unit = read_header(where).get("unit")
        if unit and str(unit.raw).strip():
            return str(unit.raw).strip()
    return None


def reconcile(report: FileReport, parts, form: Form, paylist: PaymentList, returns: Returns):
    """The list's count of rows and sum of amounts against its unit's return, both figures and
    both places named; a return not found or without the item says so (a warning)."""
    from wenuan.forms.model import quantize

    rec = paylist.reconcile
    ret = returns.of(report.unit, form)
    where_list = parts[0].header if parts else None
    if ret is None:
        key = "l_recon_no_return" if report.unit else "l_recon_no_unit"
        message = _said(key, unit=report.unit, folder=returns.path.name)
        return [_finding("warning", "reconcile", message, cell=where_list, table=paylist.id)]
    file = Path(ret.path).name
    if ret.form is None or any(f.kind == "unreadable" for f in ret.findings):
        why = next(({"what": f.what, "params": f.params} for f in ret.findings), "")
        message = _said("l_recon_unreadable", file=file, why=why)
        return [_finding("warning", "reconcile", message, cell=where_list, table=paylist.id)]
    table = form.table(rec.table)
    places = {(r["table"], r["item"]): r["cell"] for r in ret.reading}
    out = []
    rows = [cells for p in parts for cells in p.rows]
    total = Decimal(0)
    for cells in rows:
        if (entry := cells.get("amount")) is not None:
            parsed = numbers.parse(entry.raw, ("元",))
            if parsed.value is not None and not parsed.problem:
                total += parsed.value
    for key in ("count", "amount"):
        ref = getattr(rec, key)
        if ref is None:
            continue
        cell = table.cells[ref]
        value = ret.values.get(f"{table.id}:{ref}")
        there = places.get((table.id, ref)) or ""
        kind = "id_number" if key == "count" else "amount"
        here = _column_span(parts, kind) or where_list
        if value is None:
            message = _said("l_recon_no_value", file=file, item=ref, label=cell.label)
            out.append(_finding("warning", "reconcile", message, cell=here, table=paylist.id,
                               items=[ref]))  # fmt: skip
            continue
        less = False
        if key == "count":
            if Decimal(len(rows)) == value:
                continue
            less = rec.count_part and len(rows) < value  # the item counts more than the list
            message = _said("l_recon_count", n=len(rows), unit=cell.unit, where=here, item=ref,
                        label=cell.label, m=f"{value.normalize():f}", file=file, cell=there,
                        basis=rec.basis)  # fmt: skip
        else:
            conv = total / 10000 if cell.unit == "万元" else total
            if abs(conv - value) <= Decimal("0.5").scaleb(-cell.decimals):
                continue
            diff = quantize(conv - value, cell.decimals + 2).normalize()
            less = rec.amount_part and conv < value  # the item holds more than the list
            diff = -diff if less else diff
            message = _said("l_recon_less" if less else "l_recon_amount", sum=_yuan(total),
                        conv=f"{conv.normalize():f}", unit=cell.unit, where=here, item=ref,
                        label=cell.label, m=f"{value:f}", file=file, cell=there,
                        diff=f"{diff:f}", basis=rec.basis)  # fmt: skip
        severity = "warning" if less else rec.severity
        out.append(_finding(severity, "reconcile", message, cell=here, table=paylist.id,
                           rule=f"reconcile-{key}", items=[ref]))  # fmt: skip
    return out


def _column_span(parts, kind: str) -> str | None:
    """The cells of a column from the list's first row to its last, as 'sheet!C4:C9'."""
    spots = [
        p.places(n)[kind]
        for p in parts
        if p.rows and kind in dict(p.at)
        for n in (0, len(p.rows) - 1)
    ]
    if not spots:
        return None
    first, last = spots[0], spots[-1]
    return first if first == last else f"{first}:{last.split('!')[-1]}"


def _text(entry: Entry | None) -> str:
    if entry is None:
        return ""
    raw = entry.raw
    return raw.isoformat() if isinstance(raw, date) else str(raw).strip()


def _row_findings(cells, where, form, paylist, batch, path, key, register) -> list[Finding]:
    """One person's findings; `where()` gives the row's cells, filled or not, by column."""
    out: list[Finding] = []
    name = _text(cells.get("name")) or "?"

    def add(severity, kind, message, entry=None, rule=None, subject=None, at=None):
        out.append(
            _finding(
                severity,
                kind,
                {**message, "params": {**message["params"], "person": name}},
                cell=entry.place if entry else _cell_of(where(), at),
                table=paylist.id,
                rule=rule,
                subject=subject() if subject else None,
            )
        )

    for column in paylist.columns:
        k = column.kind if column.kind != "text" else column.name
        if column.required and k not in cells:
            add("error", "missing", _said("l_missing", column=column.name), at=k)

    # the ID number
    person = None
    id_entry = cells.get("id_number")
    id_subject = None
    if id_entry is not None:
        masked = idnumbers.mask_id(id_entry.raw)
        id_subject = _about("id_number", masked, None, key)
        if idnumbers.lost_digits(id_entry.raw):
            add(
                "error",
                "id_number",
                _said("l_id_lost", masked=masked),
                id_entry,
                subject=id_subject,
            )
        else:
            person = idnumbers.check_id(idnumbers.digits_of(id_entry.raw))
            id_subject = _about("id_number", masked, person.digits, key)
            if person.problem:
                why = _said(f"l_id_{person.problem}")
                add("error", "id_number", _said("l_id_bad", masked=masked, why=why), id_entry,
                    subject=id_subject)  # fmt: skip
            elif person.old:
                add("info", "id_number", _said("l_id_old", masked=masked), id_entry,
                    subject=id_subject)  # fmt: skip
            if person.problem not in ("chars", "length"):
                seen = batch.ids.get(person.digits)
                here = (str(path), id_entry.place, name)
                if seen:
                    other = _where(seen, path)
                    add("error", "duplicate",
                        _said("l_dup_id", masked=masked, other=other, other_name=seen[2]),
                        id_entry, subject=id_subject)  # fmt: skip
                else:
                    batch.ids[person.digits] = here
            basis = paylist.register_check.payees if paylist.register_check else None
            if (
                register is not None
                and basis
                and register.people
                and not person.problem
                and person.digits not in register.people
            ):
                add("error", "register",
                    _said("l_not_registered", masked=masked, register=register.path.name,
                      basis=basis), id_entry, subject=id_subject)  # fmt: skip

    # the card
    card_entry = cells.get("bank_card")
    method = _text(cells.get("method"))
    passbook = any(w in method for w in _PASSBOOK)
    if card_entry is not None:
        masked = idnumbers.mask_card(card_entry.raw)
        subject = _about("bank_card", masked, None, key)
        if idnumbers.lost_digits(card_entry.raw):
            add(
                "error",
                "bank_card",
                _said("l_card_lost", masked=masked),
                card_entry,
                subject=subject,
            )
        else:
            digits = idnumbers.digits_of(card_entry.raw)
            subject = _about("bank_card", masked, digits, key)
            problem = idnumbers.check_card(digits)
            if problem and not (passbook and digits.isdigit()):
                why = _said(f"l_card_{problem}")
                add("error", "bank_card", _said("l_card_bad", masked=masked, why=why), card_entry,
                    subject=subject)  # fmt: skip
            if digits.isdigit():
                seen = batch.cards.get(digits)
                who = person.digits if person else name
                if seen and seen[3] != who:
                    add("error", "duplicate",
                        _said("l_dup_card", masked=masked, other=_where(seen, path),
                          other_name=seen[2]),
                        card_entry, subject=subject)  # fmt: skip
                elif not seen:
                    batch.cards[digits] = (str(path), card_entry.place, name, who)

    # amount and date as values
    amount = None
    if (entry := cells.get("amount")) is not None:
        parsed = numbers.parse(entry.raw, ("元",))
        if parsed.value is None or parsed.problem:
            add("error", "type", _said("l_not_amount", text=_clip(entry.raw)), entry)
        else:
            amount = parsed.value
    paid = None
    if (entry := cells.get("date")) is not None:
        from wenuan.reading.dates import parse_date

        paid = parse_date(entry.raw)
        if paid is None:
            add("error", "type", _said("l_not_date", text=_clip(entry.raw)), entry)

    category = _text(cells.get("category"))
    for rule in paylist.rules:
        if rule.category and "category" in cells and rule.category not in category:
            continue
        if rule.check == "amount" and amount is not None and amount != rule.amount:
            add(rule.severity, "list_rule",
                _said("l_rule_amount", amount=_yuan(amount), expected=_yuan(rule.amount),
                  basis=rule.basis), cells.get("amount"), rule.id, id_subject)  # fmt: skip
        elif rule.check == "age" and person and person.birth and not person.problem:
            on = deadlines.resolve(rule.as_of).start
            age = idnumbers.age_on(person.birth, on)
            if age < rule.min_age:
                add(rule.severity, "list_rule",
                    _said("l_rule_age", on=on.isoformat(), age=age, min_age=rule.min_age,
                      basis=rule.basis), id_entry, rule.id, id_subject)  # fmt: skip
        elif rule.check == "card":
            cash = any(w in method for w in _CASH)
            if cash or card_entry is None or (passbook and not rule.passbook):
                how = method or _said("l_no_card")
                entry = cells.get("method") or card_entry
                add(rule.severity, "list_rule", _said("l_rule_card", how=how, basis=rule.basis),
                    entry, rule.id, id_subject, "bank_card")  # fmt: skip
        elif rule.check == "date" and paid is not None:
            start, end = rule_span(rule, form)
            if not start <= paid <= end:
                add(rule.severity, "list_rule",
                    _said("l_rule_date", paid=paid.isoformat(), start=start.isoformat(),
                      end=end.isoformat(), basis=rule.basis), cells.get("date"), rule.id,
                    id_subject)  # fmt: skip
    return out


def _said(what: str, **params) -> dict:
    """What a finding says: the catalogue's key and the parameters of its words."""
    return {"what": what, "params": params}


def _finding(severity: str, kind: str, said: dict, **kw) -> Finding:
    """A finding that says `said` (a `_said`)."""
    return Finding(severity, kind, what=said["what"], params=said["params"], **kw)


_HASH = {"id_number": "id_hash", "bank_card": "card_hash"}
_HASHES = frozenset(_HASH.values())


def _about(column: str, masked: str, digits: str | None, key: bytes):
    """A finding's subject (the masked number and its salted hash), made only when a finding is:
    most rows have none, and a hash costs."""

    def subject() -> dict:
        out = {column: masked}
        if digits is not None:
            out[_HASH[column]] = idnumbers.fingerprint(digits, key)
        return out

    return subject


def _cell_of(places: dict[str, str], at: str | None) -> str:
    """The row's cell of column `at`, else its first cell."""
    return places.get(at) or next(iter(places.values()))


def rule_span(rule: ListRule, form: Form) -> tuple[date, date]:
    """The first and last day a date rule allows (by default the form's period)."""
    start = rule.start or form.period.start
    end = rule.end or form.period.end
    return deadlines.resolve(start).start, deadlines.resolve(end).end


def _where(seen: tuple, path: Path) -> str:
    """The other place: its cell, with its file when that is another file."""
    return seen[1] if seen[0] == str(path) else f"{Path(seen[0]).name} {seen[1]}"


def _yuan(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _clip(raw, most: int = 20) -> str:
    """A cell's text shortened, with any ID or card number and any long run of digits masked
    before it is cut (a cut could leave a part of one unmasked)."""
    import re

    text = idnumbers.mask_numbers(raw)
    text = re.sub(r"\d{8,}", lambda m: idnumbers.mask_id(m.group()), text)
    return text if len(text) <= most else text[:most] + "…"


def lists_json(reports: list[FileReport], paylist: PaymentList, salted: str) -> dict:
    """The JSON document `wenuan check-list --format json` prints: every text in it masked
    (a path, a unit, a sheet's name may hold a number too), the hashes as they are."""
    files = [{**r.to_json(), **_counts(r)} for r in reports]
    return {"list": paylist.id, "salt": salted, "files": _masked(files)}


def _masked(data):
    """`data` with `idnumbers.mask_numbers` applied to each string but the hashes."""
    if isinstance(data, str):
        return idnumbers.mask_numbers(data)
    if isinstance(data, list):
        return [_masked(x) for x in data]
    if isinstance(data, dict):
        return {k: v if k in _HASHES else _masked(v) for k, v in data.items()}
    return data


def _counts(report: FileReport) -> dict:
    """A list's rows; a register's people, marked as the register, and how many no list paid."""
    out = {"rows": report.values.get("rows", 0)}
    if report.values.get("register"):
        out.update(register=True, missing=report.values.get("missing", 0))
    return out
