"""Findings: what is wrong in a return, where, and the likely fix. Data, never exceptions."""

from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal

# The kinds a finding can have; scripts rely on these names (documented in docs/reference.md).
KINDS = (
    "unreadable",
    "unknown_form",
    "missing",
    "type",
    "range",
    "identity",
    "inequality",
    "rule",
    "deadline",
    "header",
    "formula",
    "table",
    "label",
    "outlier",
    "id_number",
    "bank_card",
    "duplicate",
    "list_rule",
)


@dataclass(frozen=True)
class Suggestion:
    """The value that most likely fixes the return, for one item, and why (a slip's kind…)."""

    item: str
    value: Decimal
    cell: str | None = None
    why: str | None = None  # unit, sign, transposition, digit, extra, dropped, decimal, fill…

    def to_json(self) -> dict:
        return {"item": self.item, "value": str(self.value), "cell": self.cell, "why": self.why}

    @classmethod
    def from_json(cls, data: dict) -> "Suggestion":
        """The suggestion `to_json` wrote."""
        return cls(data["item"], Decimal(data["value"]), data["cell"], data["why"])


@dataclass
class Finding:
    """One problem, as data: severity, kind, what is wrong (a catalogue key) and the figures,
    names and cells its words need, the items and cell it concerns, maybe a fix. Its words are
    made where it is shown (`wenuan.words.findings.say`), for a unit, a clerk or a script."""

    severity: str  # "error", "warning", or "info" (what the reader assumed; never fails a return)
    kind: str
    _: KW_ONLY
    what: str  # the catalogue's key for what is wrong
    params: dict = field(default_factory=dict)  # JSON values: str, int, lists and dicts of them
    items: list[str] = field(default_factory=list)
    cell: str | None = None  # 'sheet'!A1 in the file as sent
    table: str | None = None
    rule: str | None = None
    suggestion: Suggestion | None = None
    also: list[Suggestion] = field(default_factory=list)  # a second slip in the same rule
    suspects: list[str] = field(default_factory=list)  # items localization names as wrong
    subject: dict | None = None  # a payment list's person: masked numbers and their hashes

    @property
    def message(self) -> str:
        """The clerk's words in the language in use (made by `wenuan.words.findings.say`)."""
        from wenuan.words.findings import say

        return say(self, "clerk")

    def to_json(self) -> dict:
        """The finding for scripts: every field, the clerk's words as `message`."""
        out = {
            "severity": self.severity,
            "kind": self.kind,
            "items": self.items,
            "cell": self.cell,
            "table": self.table,
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion.to_json() if self.suggestion else None,
            "suggestions": [s.to_json() for s in [self.suggestion, *self.also] if s],
            "suspects": self.suspects,
            "what": self.what,
            "params": self.params,
        }
        if self.subject is not None:
            out["subject"] = self.subject
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        """The finding `to_json` wrote (a page kept in a database shows it again); one written
        before findings were data keeps its words."""
        fixes = [Suggestion.from_json(s) for s in data.get("suggestions", [])]
        what, params = data.get("what"), data.get("params")
        if what is None:
            what, params = "text", {"text": data["message"]}
        return cls(
            data["severity"],
            data["kind"],
            what=what,
            params=params or {},
            items=data["items"],
            cell=data["cell"],
            table=data["table"],
            rule=data["rule"],
            suggestion=fixes[0] if fixes else None,
            also=fixes[1:],
            suspects=data.get("suspects", []),
            subject=data.get("subject"),
        )


@dataclass
class FileReport:
    """The findings for one file, and whether it passes."""

    path: str
    form: str | None = None
    unit: str | None = None
    received: str | None = None
    findings: list[Finding] = field(default_factory=list)
    strict: bool = False
    values: dict = field(default_factory=dict, repr=False)  # "table:ref" -> Decimal; not in JSON
    header: dict = field(default_factory=dict, repr=False)  # unit/person/phone/date as written
    reading: list = field(default_factory=list, repr=False)  # where each value was read, and how
    places: dict = field(default_factory=dict, repr=False)  # "table:ref" -> the cell read
    sha256: str | None = field(default=None, repr=False)  # the file's, when already known
    sheet: str | None = None  # a workbook of several units: the sheet read as the unit's own
    parts: list = field(default_factory=list)  # ... and its sub-units' sheets: {sheet, unit}

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def ok(self) -> bool:
        """No error; with --strict, no warning either."""
        return not self.errors and not (self.strict and self.warnings)

    def to_json(self, explain: bool = False) -> dict:
        out = {
            "path": self.path,
            "form": self.form,
            "unit": self.unit,
            "received": self.received,
            "ok": self.ok,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.parts:
            out["sheet"], out["parts"] = self.sheet, self.parts
        if explain:
            out["reading"] = self.reading
        return out


def report_json(reports: list[FileReport], explain: bool = False) -> dict:
    """The JSON document `wenuan validate --format json` prints (`--explain` adds `reading`)."""
    return {"files": [r.to_json(explain) for r in reports]}
