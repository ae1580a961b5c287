"""`wenuan validate` as text: per file, findings grouped by table and severity, then a summary."""

from wenuan.checking.findings import FileReport
from wenuan.forms.model import Form
from wenuan.words.findings import say, words
from wenuan.words.messages import t
from wenuan.words.safetext import printable, shown

_MARK = {"error": "✗", "warning": "!", "info": "i"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def reports_text(reports: list[FileReport], forms: dict[str, Form], explain: bool = False) -> str:
    """Every file's findings, and a last line that counts files that pass."""
    lines = []
    for report in reports:
        head = f"{printable(report.path)}  {report.form or '?'}  {printable(report.unit or '')}"
        head = head.rstrip()
        verdict = (
            t("summary_ok")
            if not report.errors and not report.warnings
            else t("summary_counts", errors=report.errors, warnings=report.warnings)
        )
        lines.append(f"{'✓' if report.ok else '✗'} {head}  {verdict}")
        titles = {tb.id: tb.title for tb in forms[report.form].tables} if report.form else {}
        groups: dict[str | None, list] = {}
        for f in report.findings:
            groups.setdefault(f.table, []).append(f)
        for table in sorted(
            groups, key=lambda x: (x is not None, list(titles).index(x) if x in titles else 0)
        ):
            lines.append(f"  【{titles.get(table, t('general'))}】")
            for f in sorted(groups[table], key=lambda f: _ORDER[f.severity]):
                lines.append(finding_line(f))
        if explain and report.form:
            lines += _explain(report, titles)
    bad = sum(not r.ok for r in reports)
    if len(reports) > 1:
        lines.append(t("summary_total", files=len(reports), ok=len(reports) - bad, bad=bad))
    return "\n".join(lines)


def finding_line(f) -> str:
    """A finding as one line: its mark, severity, cell (a sheet's name, shown safe) and
    message."""
    where = f" {shown(f.cell)}" if f.cell else ""
    return f"    {_MARK[f.severity]} {t('severity_' + f.severity)}{where}  {say(f)}"


def _explain(report: FileReport, titles: dict[str, str]) -> list[str]:
    """Each value's cell and how its row was recognized: what the reader assumed."""
    lines = [f"  {t('explain_head')}"]
    table = None
    for r in report.reading:
        if r["table"] != table:
            table = r["table"]
            lines.append(f"    【{titles[table]}】")
        how = t(f"how_{r['how']}", read=r["read"], score=f"{r['score'] or 0:.0f}")
        if r.get("format"):
            how += t("how_format", code=r["format"])
        cell, label = printable(r["cell"] or "—"), printable(r["label"])
        lines.append(f"      {_pad(r['item'], 10)}{_pad(cell, 24)}{how}  {label}")
    if report.parts:  # a workbook of several units: the sheets not read as the unit's own
        each = [t("explain_part", sheet=p["sheet"], unit=p["unit"] or "?") for p in report.parts]
        lines.append(f"  {t('explain_parts', sheet=report.sheet, parts='、'.join(each))}")
    return lines


def _pad(text: str, width: int) -> str:
    """Text padded to a width in terminal columns (a Chinese character takes two)."""
    from unicodedata import east_asian_width

    used = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def consolidation_data(result) -> dict:
    """The JSON of `wenuan consolidate`: totals, each unit's values, sources, missing units."""
    return {
        "form": result.form.id if result.form else None,
        "refused": result.refused,
        "refusals": refusals(result),
        "missing": result.missing,
        "total": {k: str(v) for k, v in result.total.items()},
        "units": [
            {"unit": u["unit"], "path": u["path"], "values": u["values"]}
            for u in result.units(text=True)  # as str(Decimal) wrote them
        ],
        "sources": [vars(s) for s in result.sources()],
        "outliers": [
            {"unit": unit, "path": path, **f.to_json()} for unit, path, f in result.outliers
        ],
        "findings": [f.to_json() for f in result.findings],
    }


def refusals(result) -> list[str]:
    """Why the returns were not added up, in the clerk's words."""
    return [words(r["what"], r["params"], "clerk") for r in result.refusals]


def consolidation_text(result) -> str:
    """What `wenuan consolidate` says: refusals, or the count of units and who is missing."""
    if result.refused:
        return "\n".join([t("c_refused"), *(f"  - {printable(r)}" for r in refusals(result))])
    lines = [t("c_summary", form=result.form.id, units=result.included, files=result.files)]
    if result.missing:
        names = printable("、".join(result.missing))
        lines.append(t("c_missing", n=len(result.missing), names=names))
    if result.with_errors:
        lines.append(t("c_with_errors", names=printable("、".join(result.with_errors))))
    if result.findings:
        lines.append(t("c_total_findings", n=len(result.findings)))
        for f in result.findings:
            lines.append(f"  {_MARK[f.severity]} {t('severity_' + f.severity)}  {say(f)}")
    if result.outliers:
        lines.append(t("c_outliers", n=len(result.outliers)))
        for unit, path, f in result.outliers:
            lines.append(f"  ! {printable(unit or path)} {printable(f.cell or '')}  {say(f)}")
    return "\n".join(lines)


def lists_text(reports: list[FileReport], paylist) -> str:
    """Each file's findings under its list, and a last line counting people and files."""
    lines = []
    for r in reports:
        verdict = (
            t("summary_ok")
            if not r.errors and not r.warnings
            else t("summary_counts", errors=r.errors, warnings=r.warnings)
        )
        rows = r.values.get("rows", 0)
        if r.values.get("register"):
            count = t("l_register_rows", n=rows, missing=r.values.get("missing", 0))
        else:
            count = t("l_rows", n=rows)
        lines.append(f"{'✓' if r.ok else '✗'} {shown(r.path)}  {count}  {verdict}")
        lines += [finding_line(f) for f in r.findings]
    lists = [r for r in reports if not r.values.get("register")]
    bad = sum(not r.ok for r in lists)
    total = sum(r.values.get("rows", 0) for r in lists)
    lines.append(
        t("l_total", title=paylist.title, rows=total, files=len(lists), ok=len(lists) - bad)
    )
    return "\n".join(lines)
