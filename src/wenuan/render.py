"""Reports from the data: the filled official table (xlsx), the Word report (docx), PDF.

Word templates are .docx files with jinja2 tags (docxtpl), rendered in jinja2's sandbox: a
template reaches only the figures given to it, never Python internals or the file system.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from wenuan.errors import WenuanError
from wenuan.forms import Form
from wenuan.validate import Options, validate_file


@dataclass
class Data:
    """What a report is made from: the figures, the header, and the units behind a total."""

    values: dict[str, Decimal] = field(default_factory=dict)
    header: dict[str, object] = field(default_factory=dict)
    units: list[dict] = field(default_factory=list)  # per unit, when the data is a total


def load_data(path: Path | None, form: Form, forms) -> Data:
    """The figures of a return or a consolidated total; none for the blank official table."""
    if path is None:
        return Data()
    report = validate_file(path, forms, Options(form_id=form.id))
    if report.form is None or any(
        f.kind in ("unreadable", "unknown_form") for f in report.findings
    ):
        raise WenuanError(
            "render_unreadable", path=str(path), why="；".join(f.message for f in report.findings)
        )
    return Data(report.values, report.header, _units_of_total(path, form))


def _units_of_total(path: Path, form: Form) -> list[dict]:
    """The 各单位 sheet of a workbook written by `wenuan consolidate`, if it has one."""
    from wenuan.numbers import parse
    from wenuan.reading import open_workbook

    wb = open_workbook(path)
    try:
        if "各单位" not in wb.sheet_names:
            return []
        rows = wb.get_sheet_by_name("各单位").to_python()
    finally:
        wb.close()
    # one table: columns are named `01A（人）`; several: `swn:01A（人）`
    prefix = f"{form.tables[0].id}:" if len(form.tables) == 1 else ""
    head = [prefix + str(h).split("（")[0] for h in rows[0]]
    return [
        {
            "unit": row[0],
            "values": {k: parse(v).value for k, v in zip(head[2:], row[2:], strict=False)},
        }
        for row in rows[1:]
        if row and row[0] not in ("合计", "")
    ]


def render_xlsx(form: Form, data: Data, target: Path, force: bool) -> None:
    """The official table(s) in the notice's layout with the figures, print-ready on A4."""
    from wenuan import writing

    writing.save_atomically(writing.filled(form, data.values, data.header), target, force)
