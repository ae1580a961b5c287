"""A campaign as the page sees it: the form, what each unit sent, and the library calls the CLI
makes (validate_file, status, consolidate, render, annotate) applied to the stored files."""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import weakref
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from wenuan.checking import consolidate, screen, validate
from wenuan.checking import status as chasing
from wenuan.checking.findings import FileReport, Finding
from wenuan.errors import WenuanError
from wenuan.forms.model import Library, Unit
from wenuan.forms.roster import Roster, unit_key
from wenuan.lists.idnumbers import mask_numbers
from wenuan.outputs import render, writing
from wenuan.web.store import CLERK, LINK, TYPED, Store, Submission
from wenuan.words.findings import say, to_change
from wenuan.words.safetext import shown

MAX_FILE = 64 << 20  # the reader refuses larger files unread; nothing larger is kept either
PREVIEW_ROWS, PREVIEW_COLUMNS = 200, 30


@dataclass
class Received:
    """What became of one uploaded file: its unit's line and the findings, or why not kept."""

    name: str
    unit: str | None = None
    unit_key: str | None = None
    form: str | None = None
    errors: int = 0
    warnings: int = 0
    same: bool = False  # the same content as the unit's last submission: nothing new recorded
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "unit": self.unit,
            "unit_key": self.unit_key,
            "form": self.form,
            "errors": self.errors,
            "warnings": self.warnings,
            "same": self.same,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class Link:
    """A unit's personal link: its address when just made (else None: only its hash is kept)."""

    unit: str
    url: str | None
    issued_at: str | None = None

    def to_json(self) -> dict:
        return {"unit": self.unit, "url": self.url, "issued_at": self.issued_at}


TYPED_FIGURE = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,8})?")  # a figure as typed: else text
CITY = "市总"  # who did it, in the audit log, when not a unit through its link
TOKEN_BYTES = 18  # 144 random bits, 24 characters in a link
TOKEN_SHAPE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def token_hash(token: str) -> str:
    """What the store keeps of a link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


AUDIT_WORDS = {
    CLERK: "市总代收报表",
    LINK: "单位链接上传",
    TYPED: "单位在线填写",
    "explain": "写核实说明",
    "withdraw": "撤回报送",
    "link_given": "发放链接",
    "link_renewed": "重发链接",
}


def finding_key(finding: Finding) -> str:
    """A warning as an explanation names it: the same warning of a return sent again keeps
    its explanation; any other figure or wording is another warning."""
    what = [finding.kind, finding.rule, finding.items, finding.cell, finding.message]
    return hashlib.sha256(json.dumps(what, ensure_ascii=False).encode()).hexdigest()[:16]


def shown_name(name: str) -> str:
    """An uploaded file's name as shown: the last part of whatever path the browser sent, its
    controls and bidi marks visible and ID and card numbers masked (`safetext.shown`)."""
    last = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return shown(last[:120]) or "未命名"


@contextmanager
def named_copy(path: Path, name: str):
    """The stored file under its sent name made safe, in a private temporary folder: the
    library names files in its messages, and reads by suffix."""
    with tempfile.TemporaryDirectory(prefix="wenuan-serve-") as tmp:
        target = Path(tmp) / writing.safe_name(name)
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
        yield target


class Campaign:
    """One campaign directory: its form, its roster and every return received."""

    def __init__(
        self,
        folder: Path,
        form: str | None = None,
        extra: list[Path] | None = None,
        roster: list[Unit] | None = None,
    ):
        self.folder = folder
        self.forms = Library(extra)
        self.units = roster  # --roster, as status and consolidate take it; else the form's
        self.store = Store(folder)
        self._workers = None
        self._lock = threading.Lock()
        if form:
            self.store.set_setting("form", self.forms.resolve(form))

    @property
    def form_id(self) -> str | None:
        chosen = self.store.setting("form")
        return chosen if chosen in self.forms else None

    def choose(self, form: str) -> str:
        """Make `form` (an id, or city and year) the campaign's form."""
        return self.store.set_setting("form", self.forms.resolve(form))

    def roster(self, form_id: str) -> Roster:
        return Roster(self.units if self.units is not None else self.forms[form_id].units)

    def key_of(self, report: FileReport, form_id: str) -> tuple[str, str]:
        """The unit a report comes from, as status names its line, and its key."""
        name = self.roster(form_id).canonical(report.unit) if report.unit else None
        name = name or Path(report.path).stem
        return name, unit_key(name)

    # ---- personal links -------------------------------------------------------------------

    def links(self, base: str, renew: list[str] | None = None) -> list[Link]:
        """Each roster unit's link under `base`: made for a unit that has none, or is named in
        `renew` (its old link stops working); the others are listed without their address."""
        if self.form_id is None:
            raise WenuanError("links_no_form")
        roster = self.roster(self.form_id)
        again = set()
        for name in renew or []:
            if name not in roster:
                raise WenuanError("links_unknown_unit", unit=name)
            again.add(unit_key(roster.canonical(name)))
        made = {}
        for name in roster.names:
            key, token = unit_key(name), secrets.token_urlsafe(TOKEN_BYTES)
            if self.store.issue_link(key, token_hash(token), key in again):
                made[name] = f"{base.rstrip('/')}/u/{token}"
                self.store.log(CITY, "link_renewed" if key in again else "link_given", key)
        issued = self.store.links()
        return [Link(n, made.get(n), issued.get(unit_key(n))) for n in roster.names]

    def linked_unit(self, token: str) -> str | None:
        """The roster's name of the unit a link's token opens, or None: a token never given,
        renewed since, or of a unit the roster no longer has."""
        if self.form_id is None or len(token) > 64 or not set(token) <= TOKEN_SHAPE:
            return None
        key = self.store.linked(token_hash(token))
        return next((n for n in self.roster(self.form_id).names if unit_key(n) == key), None)

    def typed(
        self, unit: str, values: dict[str, str], header: dict[str, str], submit: bool
    ) -> tuple[FileReport, Received | None]:
        """A return typed on a unit's page (figures by "table:ref", the person and phone),
        checked as the filled template it makes (`writing.filled`), dated today: its report,
        and when `submit` and no error is left, that workbook received as the unit's."""
        form = self.forms[self.form_id]
        figures = {k: _typed(v) for k, v in values.items() if v.strip()}
        head = {**header, "unit": unit, "date": date.today()}
        buffer = io.BytesIO()
        writing.filled(form, figures, head).save(buffer)
        name = f"{writing.safe_name(unit)}_在线填报.xlsx"
        with tempfile.TemporaryDirectory(prefix="wenuan-serve-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(buffer.getvalue())
            options = validate.Options(form_id=self.form_id)
            report = self.workers().call(validate.check_in_worker, path, options)
        report.path = name
        if not submit or report.errors:
            return report, None
        buffer.seek(0)
        return report, self.receive(name, buffer, unit, TYPED)

    # ---- receiving ------------------------------------------------------------------------

    def receive(self, name: str, source, unit: str | None = None, via: str = "") -> Received:
        """Keep one uploaded file and check it as `wenuan validate` would: the form it names
        or looks like, else the page's form (as --form); bad files are findings, never
        exceptions. A return of another form is kept under that form. Sent through a unit's
        link, it is that `unit`'s, with a warning when it names another unit of the roster;
        `via` says how it came (store.CLERK, LINK, TYPED), else by the link or the clerk."""
        name = shown_name(name)
        if (kept := self.store.keep(source, MAX_FILE)) is None:
            params = {"path": name}
            finding = Finding("error", "unreadable", what="read_too_large", params=params)
            return Received(name, errors=1, findings=[finding])
        sha, size = kept
        report = self.check(sha, name, None)
        current = self.form_id
        if report.form is None and current and report.findings[0].kind == "unknown_form":
            report = self.check(sha, name, current)  # not recognized: read as the page's form
        if current is None and report.form is not None:  # the first return names the form
            current = self.store.set_setting("form", report.form, only_if_unset=True)
        form_id = report.form or current
        got = Received(name, form=report.form, findings=report.findings)
        got.errors, got.warnings = report.errors, report.warnings
        if form_id is None:
            return got  # no form yet and this file names none: shown, not kept for a unit
        got.unit, got.unit_key = self.key_of(report, form_id)
        if unit is not None:
            if got.unit != unit and got.unit in self.roster(form_id):
                params = {"named": got.unit, "unit": unit}
                report.findings.append(
                    Finding("warning", "header", what="u_names_other", params=params)
                )
                got.warnings = report.warnings
            report.unit, got.unit, got.unit_key = unit, unit, unit_key(unit)
        via = via or (LINK if unit else CLERK)
        got.same = self.store.add(form_id, got.unit_key, name, sha, size, report, via) is None
        self.store.log(unit or CITY, via, got.unit_key, sha, name)
        return got

    def check(self, sha: str, name: str, form_id: str | None) -> FileReport:
        """validate_file on a stored file, under the name it was sent with, in a worker: a
        file that ends its worker is that file's finding, and the page goes on."""
        from wenuan.workers import Died

        options = validate.Options(form_id=form_id)
        with named_copy(self.store.path(sha), name) as path:
            try:
                report = self.workers().call(validate.check_in_worker, path, options)
            except Died:
                report = validate.died(path, options)
        report.path, report.sha256 = name, sha
        return report

    def workers(self):
        """The worker processes that read the files received, started when first needed."""
        with self._lock:
            if self._workers is None:
                import multiprocessing

                from wenuan.words.messages import get_lang
                from wenuan.workers import Workers

                # never fork the server: its threads may hold locks a child would inherit
                ways = multiprocessing.get_all_start_methods()
                self._workers = Workers(
                    min(os.cpu_count() or 1, 4),
                    validate.start_worker,
                    (self.forms.extra, validate.Options(), get_lang()),
                    "forkserver" if "forkserver" in ways else "spawn",
                )
                weakref.finalize(self, self._workers.close)  # a campaign let go ends its own
            return self._workers

    def close(self) -> None:
        """End the worker processes."""
        if self._workers is not None:
            self._workers.close()

    # ---- the chasing list -----------------------------------------------------------------

    def status(self, as_of: date | None = None, answered: bool = True) -> chasing.Status:
        """`wenuan status` over each unit's latest submission; a warning its unit explained
        counts no more, and is in no notice (unless not `answered`)."""
        latest = [s.report for s in self.store.latest(self.form_id)]
        form = self.forms[self.form_id]
        st = chasing.status(latest, form, as_of or date.today(), self.units)
        said = self.store.explanations(self.form_id) if answered else {}
        for line in st.units if said else []:
            key = unit_key(line.unit)
            line.findings = [f for f in line.findings if (key, finding_key(f)) not in said]
            line.warnings = sum(f.severity == "warning" for f in line.findings)
        return st

    def explain(self, unit: str, finding: str, text: str) -> bool:
        """Keep a unit's 核实说明 of one warning of its standing return (by `finding_key`):
        whether there is such a warning (an error can only be fixed)."""
        line = next(u for u in self.status(answered=False).units if u.unit == unit)
        if not any(f.severity == "warning" and finding_key(f) == finding for f in line.findings):
            return False
        self.store.explain(self.form_id, unit_key(unit), finding, text)
        self.store.log(unit, "explain", unit_key(unit), "", text)
        return True

    def explained(self, key: str) -> dict[str, str]:
        """A unit's explanations, by the key of the warning each explains."""
        said = self.store.explanations(self.form_id)
        return {finding: text for (unit, finding), text in said.items() if unit == key}

    def outliers(self) -> list[tuple[str, Finding]]:
        """(unit, finding) for each figure far from the other units' latest returns: the
        screen `wenuan validate` and `consolidate` run on a batch (six returns or more)."""
        latest = [s.report for s in self.store.latest(self.form_id)]
        latest = [r for r in latest if r.form == self.form_id and r.values]
        form = self.forms[self.form_id]
        found = screen.outliers(form, [r.values for r in latest], latest.__getitem__)
        return [(self.key_of(latest[i], self.form_id)[0], f) for i, f in found]

    def withdraw(self, key: str) -> None:
        """Take a unit's submissions out of the roster and the total; the files and the
        history stay."""
        self.store.withdraw(self.form_id, key)
        self.store.log(CITY, "withdraw", key)

    def unit(self, key: str) -> tuple[chasing.UnitStatus | None, list[Submission]]:
        """A unit's line in the chasing list, and its submissions, the latest first."""
        line = next((u for u in self.status().units if unit_key(u.unit) == key), None)
        return line, self.store.history(self.form_id, key)

    def notice(self, key: str, word: bool = False) -> tuple[str, bytes]:
        """The correction notice of one unit as `status --notices` writes it: text, or a Word
        document."""
        from wenuan.outputs.notices import notice_docx
        from wenuan.words.notices import notice_text

        st = self.status()
        line = next(u for u in st.units if unit_key(u.unit) == key)
        stem = f"{writing.safe_name(line.unit)}_更正通知"
        if word:
            buffer = io.BytesIO()
            notice_docx(st, line).save(buffer)
            return f"{stem}.docx", buffer.getvalue()
        return f"{stem}.txt", writing.notepad_bytes(notice_text(st, line))

    @staticmethod
    def word_notices() -> bool:
        """Whether the library writes notices as Word documents too (it does)."""
        return True

    def annotated(self, sub: Submission) -> tuple[str, bytes]:
        """The annotated copy of a submission, as `validate --annotate` writes it, named
        after its unit (鲁山_标注.xlsx)."""
        if sub.report.form is None:
            raise WenuanError("annotate_unreadable", path=sub.file_name)
        with named_copy(self.store.path(sub.sha256), sub.file_name) as path:
            target = path.with_name(f"{path.stem}_标注{path.suffix.lower()}")
            writing.annotate(path, sub.report.findings, target, False)
            unit = writing.safe_name(self.key_of(sub.report, sub.form)[0])
            return f"{unit}_标注{target.suffix}", target.read_bytes()

    def preview(self, sub: Submission) -> list[dict]:
        """The sheets of a submission as read (in a worker), each cell a finding names marked
        with why; a sheet's rows numbered and its columns lettered as Excel shows them (a Word
        table's cells have their own names); ID and card numbers masked wherever they stand."""
        marks: dict[str, list[str]] = {}
        for f in sub.report.findings:
            if f.severity != "info":
                for place in dict.fromkeys([f.cell, to_change(f)]):
                    if place:
                        marks.setdefault(place, []).append(say(f, "unit"))
        from wenuan.workers import Died

        try:
            with named_copy(self.store.path(sub.sha256), sub.file_name) as path:
                out = self.workers().call(sheet_cells, path)
        except (Died, OSError):
            return []
        for sheet in out:
            sheet["name"] = mask_numbers(sheet["name"] or sub.file_name)
            for row in sheet["rows"]:
                for cell in row["cells"]:
                    cell["why"] = marks.get(cell["place"], [])
                    cell["place"] = mask_numbers(cell["place"])
        return out

    def audit_workbook(self) -> bytes:
        """The audit log as an xlsx: when, who, what, which unit, the file's SHA-256, detail."""
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "操作记录"
        ws.append(["时间", "操作者", "操作", "单位", "文件 SHA-256", "说明"])
        for at, who, what, key, sha, detail in self.store.audit():
            ws.append([at.replace("T", " "), None, AUDIT_WORDS.get(what, what), None, sha, None])
            for column, text in ((2, who), (4, key), (6, detail)):  # from units: never a formula
                writing.as_text(ws.cell(ws.max_row, column), text)
        for column, width in zip("ABCDEF", (20, 14, 16, 14, 66, 40), strict=True):
            ws.column_dimensions[column].width = width
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    # ---- totals and reports ---------------------------------------------------------------

    def consolidated(self, allow_errors: bool = False):
        """`wenuan consolidate` over each unit's latest submission: the Result (refused or not)."""
        latest = [s.report for s in self.store.latest(self.form_id)]
        return consolidate.consolidate(latest, self.forms, self.form_id, self.units, allow_errors)

    def total_workbook(self, allow_errors: bool = False) -> tuple[list[str], bytes | None]:
        """The consolidated workbook's bytes, or the refusals in the CLI's words."""
        result = self.consolidated(allow_errors)
        try:
            if result.refused:
                from wenuan.words.present_validate import consolidation_text

                return consolidation_text(result).splitlines(), None
            form = result.form
            head = {"unit": form.union, "person": "汇总", "date": date.today()}
            buffer = io.BytesIO()
            writing.consolidation(result, head).save(buffer)
            return [], buffer.getvalue()
        finally:
            result.close()

    def report(self, kind: str, allow_errors: bool = False) -> tuple[list[str], bytes | None]:
        """The filled official table (xlsx), the Word report (docx) or its PDF, made from the
        total as `wenuan render --data total.xlsx` makes them; or the refusals."""
        refusals, total = self.total_workbook(allow_errors)
        if total is None:
            return refusals, None
        form = self.forms[self.form_id]
        with tempfile.TemporaryDirectory(prefix="wenuan-serve-") as tmp:
            data_path = Path(tmp) / "合计.xlsx"
            data_path.write_bytes(total)
            data = render.load_data(data_path, form, self.forms)
            target = Path(tmp) / f"report.{kind}"
            if kind == "xlsx":
                render.render_xlsx(form, data, target, False)
            elif kind == "cover":
                target = target.with_suffix(".docx")
                render.render_cover(form, data, target, False, self.status(), self.report_day())
            else:
                docx = Path(tmp) / "report.docx"
                notes, day = self.report_notes(), self.report_day()
                render.render_docx(form, data, docx, True, None, notes, day)
                if kind == "pdf":
                    render.to_pdf(docx, target, False)
            return [], target.read_bytes()

    def report_notes(self) -> dict[str, list[str]]:
        """What the clerk gave for the report (主送 and the parts people write), as kept."""
        from wenuan.outputs import narrative

        return narrative.notes_from_text(self.store.setting("report_notes") or "")

    def report_day(self) -> date | None:
        """The report's date as kept (None: today)."""
        kept = self.store.setting("report_date")
        return date.fromisoformat(kept) if kept else None

    def keep_report_words(self, to: str, text: str, day: str, file_name="", file=None) -> None:
        """Keep 主送, the notes (typed, or from a Markdown or Word file) and the date for the
        report; refused (nothing kept) when the notes or the date cannot be read."""
        from wenuan.outputs import narrative
        from wenuan.reading.dates import parse_date

        if file is not None and file_name:
            with tempfile.TemporaryDirectory(prefix="wenuan-serve-") as tmp:
                path = Path(tmp) / writing.safe_name(shown_name(file_name))
                path.write_bytes(file.read(MAX_FILE))
                notes = narrative.read_notes(path)
        else:
            notes = narrative.notes_from_text(text)
        if to.strip():
            notes["to"] = [to.strip()]
        signed = parse_date(day) if day.strip() else None
        if day.strip() and signed is None:
            raise WenuanError("bad_received", text=day.strip())
        self.store.set_setting("report_notes", narrative.notes_text(notes))
        self.store.set_setting("report_date", signed.isoformat() if signed else "")


def sheet_cells(path: Path) -> list[dict]:
    """A file's sheets as the page previews them: each cell's text and place ([] when the file
    cannot be read)."""
    from wenuan.reading import Unreadable, sheets

    try:
        grids, _ = sheets(path)
    except (Unreadable, OSError):
        return []
    from wenuan.reading.model import a1

    out = []
    for grid in grids:
        rows, sheet = [], grid.places is None
        for r, row in enumerate(grid.rows[:PREVIEW_ROWS]):
            cells = []
            for c, value in enumerate(row[:PREVIEW_COLUMNS]):
                place = grid.place(r, c)
                where = f"{grid.name}!{place}" if grid.name else place
                shown = "" if (r, c) in grid.covered else mask_numbers(_cell_text(value))
                cells.append({"text": shown, "place": where})
            rows.append({"number": grid.origin[0] + r + 1 if sheet else None, "cells": cells})
        width = max((len(row["cells"]) for row in rows), default=0)
        letters = [a1(0, grid.origin[1] + c)[:-1] for c in range(width)] if sheet else []
        out.append({"name": grid.name, "columns": letters, "rows": rows})
    return out


def typed_fields(form) -> dict[str, str]:
    """The fields of a typed return: each figure's label (with its unit) by "table:ref"."""
    return {
        f"{tb.id}:{ref}": f"{c.label}（{c.unit}）" if c.unit else c.label
        for tb in form.tables
        for ref, c in tb.cells.items()
    }


def field_places(form) -> dict[str, str]:
    """Each typed field by the cell of the filled template it goes to ('sheet'!A1 and
    sheet!A1, as findings name cells); the person and the phone by theirs."""
    out = {}
    for tb in form.tables:
        sheet = writing._sheet_name(tb)
        for ref, at in writing.cell_positions(tb).items():
            out[f"{sheet}!{at}"] = out[f"'{sheet}'!{at}"] = f"{tb.id}:{ref}"
        for key, at in (("person", "F3"), ("phone", "B4")):
            out[f"{sheet}!{at}"] = out[f"'{sheet}'!{at}"] = key
    return out


def _typed(text: str):
    """A typed figure as the template takes it: a number when it is one (a fraction as a
    float, so a count typed 3.5 is checked as 3.5), else the text, for the check to judge."""
    text = text.strip()
    if not TYPED_FIGURE.fullmatch(text):
        return text
    figure = Decimal(text)
    return figure if figure == figure.to_integral_value() else float(figure)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
