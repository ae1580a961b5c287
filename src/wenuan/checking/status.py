"""Who has reported, who is late, who is wrong: the chasing list, and notices to send back."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wenuan.checking.findings import Finding
from wenuan.checking.validate import returns_deadline
from wenuan.forms import deadlines
from wenuan.forms.model import Form, Unit
from wenuan.forms.roster import Roster, unit_key


@dataclass
class UnitStatus:
    """One unit's line: its return (if any), when it came, whether on time, what is wrong."""

    unit: str
    full: str | None = None  # the roster's full name (鲁山县总工会 for 鲁山)
    named: str | None = None  # the name on its return
    in_roster: bool = True
    path: str | None = None
    received: str | None = None
    late_days: int | None = None
    late_workdays: int | None = None
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def state(self) -> str:
        """missing, late_errors, errors, late, ok: what the collector must do about it."""
        if self.path is None:
            return "missing"
        late = bool(self.late_days and self.late_days > 0)
        if self.errors:
            return "late_errors" if late else "errors"
        return "late" if late else "ok"


@dataclass
class Status:
    """The chasing list of one form as of a day."""

    form: Form
    as_of: date
    deadline: date | None
    days_left: int | None
    workdays_left: int | None
    units: list[UnitStatus]

    def to_json(self) -> dict:
        return {
            "form": self.form.id,
            "as_of": self.as_of.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "workdays_left": self.workdays_left,
            "units": [
                {
                    "unit": u.unit,
                    "in_roster": u.in_roster,
                    "state": u.state,
                    "path": u.path,
                    "received": u.received,
                    "late_days": u.late_days,
                    "late_workdays": u.late_workdays,
                    "errors": u.errors,
                    "warnings": u.warnings,
                    "findings": [f.to_json() for f in u.findings],
                }
                for u in self.units
            ],
        }


def status(
    reports, form: Form, as_of: date, roster: list[Unit] | None = None, calendar=None
) -> Status:
    """Line checked returns of `form` up against the units that must report."""
    names = Roster(roster if roster is not None else form.units)
    by_unit = {unit_key(n): UnitStatus(n, names.full(n)) for n in names.names}
    due = returns_deadline(form)
    for report in reports:
        name = names.canonical(report.unit) if report.unit else Path(report.path).stem
        key = unit_key(name)
        line = by_unit.setdefault(key, UnitStatus(name, in_roster=name in names))
        if (
            line.path is not None
            and line.received
            and report.received
            and report.received < line.received
        ):
            continue  # the later of two returns from one unit stands
        line.path, line.received, line.named = report.path, report.received, report.unit
        line.findings = [  # lateness has its own column; notes on reading need no correction
            f for f in report.findings if f.kind != "deadline" and f.severity != "info"
        ]
        line.errors = sum(f.severity == "error" for f in line.findings)
        line.warnings = sum(f.severity == "warning" for f in line.findings)
        if due and report.received:
            got = date.fromisoformat(report.received)
            line.late_days = (got - due.date).days
            line.late_workdays = deadlines.working_days_between(due.date, got, calendar)
    left = work_left = None
    if due:
        left = (due.date - as_of).days
        work_left = deadlines.working_days_between(as_of, due.date, calendar)
    return Status(form, as_of, due.date if due else None, left, work_left, list(by_unit.values()))


STATES = ("missing", "late_errors", "errors", "late", "ok")


def counts(st: Status) -> dict[str, int]:
    """How many units are in each state."""
    return {k: sum(u.state == k for u in st.units) for k in STATES}
