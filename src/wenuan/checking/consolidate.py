"""Many returns of one form into a total that is itself a return of that form, with provenance.

Returns are read, checked and added one at a time and then dropped: the running total and one
summary line a file stay in memory, each unit's figures go to a temporary file that the
workbook writer streams back, so memory does not grow with the number of returns.
"""

import functools
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from wenuan.checking import screen
from wenuan.checking.findings import FileReport, Finding
from wenuan.forms.model import Form, Unit
from wenuan.forms.roster import Roster, unit_key


def sha256(path: Path) -> str:
    """The file's SHA-256, to show which file was added; empty for a pipe or a device."""
    from wenuan.checking.validate import regular_file

    if not regular_file(path):
        return ""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Source:
    """One file's line in the provenance: where it came from and what was found."""

    path: str
    unit: str | None
    form: str | None
    received: str | None
    sha256: str
    errors: int
    warnings: int
    findings: list[str]
    included: bool = False


@dataclass
class Result:
    """What consolidation found: the total, counts, missing units, refusals; per-file lines and
    per-unit figures wait in temporary files, so memory stays flat however many returns."""

    form: Form | None
    total: dict[str, Decimal] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    refusals: list[dict] = field(default_factory=list)  # why not: {"what", "params"} each
    files: int = 0
    included: int = 0
    with_errors: list[str] = field(default_factory=list)  # included despite errors
    # anonymous temporary files (no name on disk, so even a killed run leaves none behind)
    spill: IO[bytes] | None = None  # a JSON line per included unit: {"unit", "path", "values"…}
    starts: list[int] = field(default_factory=list)  # where each unit's line starts in spill
    outliers: list[tuple[str | None, str, Finding]] = field(default_factory=list)  # unit, path
    findings: list[Finding] = field(default_factory=list)  # the total's, by the total's rules
    provenance: IO[bytes] | None = None  # a JSON line per file: a Source
    book: Any = None  # what took each unit's row and each file's Source as they came
    scores: Any = None  # the figures on the batch screen's scale, gathered as they came

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def units(self, text: bool = False) -> Iterator[dict]:
        """Each included unit's figures, read back from the spill file: Decimal, or with
        `text` as written ("12.50")."""
        for row in _lines(self.spill):
            if not text:
                row["values"] = {k: Decimal(v) for k, v in row["values"].items()}
            yield row

    def unit(self, i: int) -> FileReport:
        """The i-th included unit as a report: its values and where they were read."""
        self.spill.seek(self.starts[i])
        row = json.loads(self.spill.readline())
        values = {k: Decimal(v) for k, v in row["values"].items()}
        report = FileReport(row["path"], self.form.id, row["unit"], values=values)
        report.places = row["places"]
        return report

    def sources(self) -> Iterator[Source]:
        """Each file's provenance line, in the order the files were checked."""
        for row in _lines(self.provenance):
            yield Source(**row)

    def close(self) -> None:
        for f in (self.spill, self.provenance, self.book):
            if f:
                f.close()


def _lines(spill: IO[bytes] | None) -> Iterator[dict]:
    if spill is None:
        return
    spill.seek(0)
    for line in spill:
        yield json.loads(line)


def _temp() -> IO[bytes]:
    """A file of JSON lines, in bytes: a text file's `tell` costs as much as the line."""
    return tempfile.TemporaryFile("w+b", prefix="wenuan-", suffix=".jsonl")


def _line(row: dict) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode()


def add(total: dict[str, Decimal], values: dict[str, Decimal]) -> None:
    """Add one return's values into a running total, cell by cell."""
    for key, value in values.items():
        total[key] = total.get(key, Decimal(0)) + value


def consolidate(
    reports: Iterable[FileReport],
    forms,
    form_id: str | None = None,
    roster: list[Unit] | None = None,
    allow_errors: bool = False,
    book: Callable[[Form], Any] | None = None,
) -> Result:
    """Add checked returns; refuse (refusals set) on mixed forms, a unit twice, or errors.
    `book(form)`, once the form is known, makes what takes each added unit's row (`unit`) and
    each file's Source (`source`) as they come: the total workbook, written meanwhile."""
    result = Result(form=forms[form_id] if form_id else None)
    seen: dict[str, str] = {}  # unit key -> its file: the one thing kept a unit
    result.spill = out = _temp()
    result.provenance = log = _temp()
    names = None
    try:
        for report in reports:
            if result.form is None and report.form is not None:
                result.form = forms[report.form]
            if names is None and result.form is not None:
                names = Roster(roster if roster is not None else result.form.units)
                result.scores = screen.Scores(result.form)
                if book is not None:
                    result.book = book(result.form)
                    for earlier in result.sources():  # the unreadable ones before the form
                        result.book.source(earlier)
            source = _take(result, report, names, seen, allow_errors, out)
            log.write(_line(vars(source)))
            if result.book is not None and not result.refused:
                result.book.source(source)
    except BaseException:
        result.close()
        raise
    if names is not None:
        result.missing = [n for n in names.names if unit_key(n) not in seen]
    if result.refused and result.book is not None:  # never written: let go of its rows now
        result.book.close()
        result.book = None
    if result.form is not None and not result.refused:
        from wenuan.checking.validate import check_total

        result.findings = check_total(result.form, result.total)
        unit_of = functools.cache(result.unit)  # a far unit is read back once, not twice
        for i, finding in screen.outliers(result.form, result.scores, unit_of):
            report = unit_of(i)
            result.outliers.append((report.unit, report.path, finding))
    return result


def _refusal(what: str, **params) -> dict:
    """Why a file stops the total: the catalogue's key and its words' parameters."""
    return {"what": what, "params": params}


def _take(result: Result, report: FileReport, names, seen, allow_errors, out) -> Source:
    """Record one checked return, and add it when it may be added."""
    path = Path(report.path)
    shown = [f for f in report.findings if f.severity != "info"]
    messages = [f"{f.cell + ' ' if f.cell else ''}{f.message}" for f in shown]  # provenance
    source = Source(
        str(path),
        report.unit,
        report.form,
        report.received,
        report.sha256 or sha256(path),
        report.errors,
        report.warnings,
        messages,
    )
    result.files += 1
    if report.form is None:
        why = [{"what": f.what, "params": f.params} for f in shown]
        result.refusals.append(_refusal("c_unreadable", path=str(path), why=why))
        return source
    if report.form != result.form.id:
        expected = result.form.id
        result.refusals.append(
            _refusal("c_mixed", path=str(path), form=report.form, expected=expected)
        )
        return source
    unit = names.canonical(report.unit) if report.unit else None
    if unit is not None:
        key = unit_key(unit)
        if key in seen:
            refusal = _refusal("c_twice", unit=unit, first=seen[key], second=str(path))
            result.refusals.append(refusal)
            return source
        seen[key] = str(path)
    if report.errors and not allow_errors:
        result.refusals.append(_refusal("c_errors", path=str(path), errors=report.errors))
        return source
    source.unit, source.included = unit, True
    result.included += 1
    if report.errors:
        result.with_errors.append(unit or str(path))
    add(result.total, report.values)
    result.scores.add(report.values)
    row = {
        "unit": unit,
        "path": str(path),
        "values": {k: str(v) for k, v in report.values.items()},
        "places": report.places,
    }
    result.starts.append(out.tell())
    out.write(_line(row))
    if result.book is not None and not result.refused:
        result.book.unit({**row, "values": report.values})
    return source
