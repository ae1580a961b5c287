"""Who has reported, who is late, who is wrong: the chasing list, and notices to send back."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from wenuan.checking.findings import Finding
from wenuan.checking.validate import returns_deadline
from wenuan.forms import deadlines
from wenuan.forms.model import Form, Unit
from wenuan.forms.roster import Roster, unit_key
from wenuan.words.messages import t
from wenuan.words.safetext import printable


@dataclass
class UnitStatus:
    """One unit's line: its return (if any), when it came, whether on time, what is wrong."""

    unit: str
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
    by_unit = {unit_key(n): UnitStatus(n) for n in names.names}
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
        line.path, line.received = report.path, report.received
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


_STATE = {
    "missing": "s_missing",
    "late_errors": "s_late_errors",
    "errors": "s_errors",
    "late": "s_late",
    "ok": "s_ok",
}


def state_words(u: UnitStatus) -> str:
    """What a unit's line says: 未报送, 逾期 3 天（2 个工作日）, 有错误 …"""
    words = t(_STATE[u.state])
    if u.late_days and u.late_days > 0:
        words += "，" + t("s_late_by", days=u.late_days, work=u.late_workdays)
    return words


def status_head(st: Status, form_name: str | None = None) -> str:
    """The chasing list's head line: the form (its id unless named), the day, the deadline
    and the days left."""
    head = t("s_head", form=form_name or st.form.id, as_of=st.as_of.isoformat())
    if st.deadline and st.days_left is not None and st.days_left < 0:
        head += t("s_deadline_past", deadline=st.deadline.isoformat(), days=-st.days_left)
    elif st.deadline:
        head += t(
            "s_deadline", deadline=st.deadline.isoformat(), days=st.days_left, work=st.workdays_left
        )
    return head


def counts(st: Status) -> dict[str, int]:
    """How many units are in each state."""
    return {k: sum(u.state == k for u in st.units) for k in _STATE}


def status_text(st: Status) -> str:
    """The chasing list as text: a head line, then one line a unit."""
    lines = [status_head(st)]
    for u in st.units:
        name = printable(u.unit) + ("" if u.in_roster else t("s_not_in_roster"))
        parts = [name, t(_STATE[u.state])]
        if u.path:
            parts.append(t("s_received", received=printable(u.received or "?")))
            if u.late_days and u.late_days > 0:
                parts.append(t("s_late_by", days=u.late_days, work=u.late_workdays))
            parts.append(t("summary_counts", errors=u.errors, warnings=u.warnings))
        lines.append("  " + "  ".join(parts))
    lines.append(t("s_counts", **counts(st)))
    return "\n".join(lines)


def chasing_lines(st: Status) -> list[str]:
    """The lines a report gives to units missing or late: the counts, then one a unit."""
    return [t("s_counts", **counts(st))] + [
        f"{printable(u.unit)}：{state_words(u)}" for u in st.units if u.state != "ok"
    ]


@dataclass
class Notice:
    """A correction notice to one unit, in parts: written out as text or as a Word document."""

    title: str
    unit: str
    paragraphs: list[str]
    problems: list[tuple[str, str]]  # (cell, what is wrong and how to fix it)
    basis: str | None  # the notice's own words on the deadline
    union: str
    day: str


def notice(st: Status, u: UnitStatus) -> Notice:
    """What to tell one unit: what to fix, where, and by when."""
    form = st.form
    due = returns_deadline(form)
    tables = "、".join(f"《{tb.title}》" for tb in form.tables)
    to = f"报{due.to}" if due and due.to else "报送"
    by = f"{st.deadline.isoformat()}" if st.deadline else ""
    paragraphs = []
    if u.state == "missing":
        paragraphs.append(
            f"你单位尚未报送{tables}。请于 {by} 前{to}。"
            if by
            else f"你单位尚未报送{tables}，请尽快{to}。"
        )
    else:
        if u.late_days and u.late_days > 0:
            paragraphs.append(
                f"你单位于 {printable(u.received)} 报送{tables}，已逾期 {u.late_days} 天"
                f"（{u.late_workdays} 个工作日），截止日期为 {st.deadline}。"
            )
        if u.findings:
            when = (
                f"于 {by} 前"
                if st.days_left is not None and st.days_left >= 0
                else ("尽快" + (f"（截止日期为 {by}）" if by else ""))
            )
            paragraphs.append(
                f"你单位报送的{tables}（文件 {printable(Path(u.path).name)}）经审核有以下问题，"
                f"请核对更正后{when}重新{to}："
            )
    return Notice(
        title={"missing": "催报通知", "late": "逾期报送提醒"}.get(u.state, "更正通知"),
        unit=printable(u.unit),
        paragraphs=paragraphs,
        # the message holds the fix; a cell names a sheet, a name from the file
        problems=[(printable(f.cell or ""), f.message) for f in u.findings],
        basis=f"截止时间依据通知原文：“{due.text}”" if due else None,
        union=form.union,
        day=f"{st.as_of.year}年{st.as_of.month}月{st.as_of.day}日",
    )


def notice_text(st: Status, u: UnitStatus) -> str:
    """A correction notice in Chinese for one unit, as plain text."""
    n = notice(st, u)
    lines = [f"{n.title}", "", f"{n.unit}：", ""]
    lines += [f"    {p}" for p in n.paragraphs]
    lines += [
        f"    {i}. {cell + '：' if cell else ''}{message}"
        for i, (cell, message) in enumerate(n.problems, start=1)
    ]
    lines += ["", f"    {n.basis}" if n.basis else "", "", n.union, n.day, ""]
    return "\n".join(lines)


NOTICE_FONT = "仿宋"
NOTICE_COLUMNS_MM = (14, 46, 98)  # 序号, 位置, 问题及改法: the A4 line less the margins


def notice_docx(st: Status, u: UnitStatus):
    """The same notice as a Word document on A4: title, unit, the problems as a table (cell,
    what is wrong and the fix), the deadline, the issuing union and the day."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    n = notice(st, u)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(26)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = NOTICE_FONT, Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), NOTICE_FONT)

    def paragraph(words: str, indent: bool = True, align=None, size=None, bold=False):
        par = doc.add_paragraph()
        run = par.add_run(words)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if indent:
            par.paragraph_format.first_line_indent = Pt(28)  # two characters
        if align is not None:
            par.alignment = align
        return par

    paragraph(n.title, False, WD_ALIGN_PARAGRAPH.CENTER, 20, True)
    paragraph(f"{n.unit}：", indent=False)
    for words in n.paragraphs:
        paragraph(words)
    if n.problems:
        grid = doc.add_table(rows=1, cols=3)
        grid.style = "Table Grid"
        for cell, words in zip(grid.rows[0].cells, ("序号", "位置", "问题及改法"), strict=True):
            cell.text = words
        for i, (where, message) in enumerate(n.problems, start=1):
            row = grid.add_row().cells
            row[0].text, row[1].text, row[2].text = str(i), where, message
        grid.autofit = False
        for column, width in zip(grid.columns, NOTICE_COLUMNS_MM, strict=True):
            column.width = Mm(width)  # Word reads the cells' widths, LibreOffice the grid's
        for row in grid.rows:
            for cell, width in zip(row.cells, NOTICE_COLUMNS_MM, strict=True):
                cell.width = Mm(width)
                for par in cell.paragraphs:
                    for run in par.runs:
                        run.font.size = Pt(11)
    if n.basis:
        paragraph(n.basis).paragraph_format.space_before = Pt(12)
    doc.add_paragraph()
    paragraph(n.union, False, WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(n.day, False, WD_ALIGN_PARAGRAPH.RIGHT)
    return doc


def write_notices(st: Status, folder: Path, force: bool) -> list[tuple[Path, bool]]:
    """A notice for each unit missing, late or wrong, as UTF-8 text (Notepad and WPS open it)
    and as a Word document beside it: each (path, written); a notice already there is kept,
    and listed unwritten, unless forced. File names come from the units' names made safe:
    nothing lands outside `folder`."""
    from wenuan.outputs.writing import (
        output_errors,
        safe_name,
        save_atomically,
        write_text_atomically,
    )

    with output_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, bool]] = []
    taken: set[str] = set()
    for u in st.units:
        if u.state == "ok":
            continue
        stem, n = f"{safe_name(u.unit)}_更正通知", 1
        while (name := f"{stem}({n})" if n > 1 else stem).casefold() in taken:
            n += 1  # two names made alike by the cleaning: Windows folds case too
        taken.add(name.casefold())
        for suffix in (".txt", ".docx"):
            target = folder / f"{name}{suffix}"
            if target.exists() and not force:
                done.append((target, False))
            elif suffix == ".txt":
                write_text_atomically(target, notice_text(st, u), force)
                done.append((target, True))
            else:
                save_atomically(notice_docx(st, u), target, force, (".docx",))
                done.append((target, True))
    return done
