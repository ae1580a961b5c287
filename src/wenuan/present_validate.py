"""`wenuan validate` as text: per file, findings grouped by table and severity, then a summary."""

from wenuan.findings import FileReport
from wenuan.forms import Form
from wenuan.messages import t

_MARK = {"error": "✗", "warning": "!"}


def reports_text(reports: list[FileReport], forms: dict[str, Form]) -> str:
    """Every file's findings, and a last line that counts files that pass."""
    lines = []
    for report in reports:
        head = f"{report.path}  {report.form or '?'}  {report.unit or ''}".rstrip()
        verdict = (
            t("summary_ok")
            if not report.findings
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
            for f in sorted(groups[table], key=lambda f: f.severity != "error"):
                where = f" {f.cell}" if f.cell else ""
                lines.append(
                    f"    {_MARK[f.severity]} {t('severity_' + f.severity)}{where}  {f.message}"
                )
    bad = sum(not r.ok for r in reports)
    if len(reports) > 1:
        lines.append(t("summary_total", files=len(reports), ok=len(reports) - bad, bad=bad))
    return "\n".join(lines)
