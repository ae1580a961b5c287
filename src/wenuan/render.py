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


def templates_dir() -> Path:
    """The default Word templates: in the installed package, or the repository's templates/."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parents[2] / "templates"


def _figure(value: Decimal | None, decimals: int) -> str:
    from wenuan.validate import show

    return "" if value is None else show(value, decimals)


def summary(form: Form, data: Data) -> list[str]:
    """Paragraphs written from the figures: each table's main items, and each identity's parts."""
    out = []

    def said(table, ref: str) -> str | None:
        cell = table.cells[ref]
        value = data.values.get(f"{table.id}:{ref}")
        if value is None:
            return None
        label = cell.label.removeprefix("其中").lstrip("：: ")
        return f"{label}{_figure(value, cell.decimals)}{cell.unit}"

    for table in form.tables:
        tops = [ref for ref, cell in table.cells.items() if _depth(table, cell.item) <= 1]
        parts = [s for ref in tops if (s := said(table, ref))]
        if parts:
            out.append(f"《{table.title}》：" + "；".join(parts) + "。")
        for rule in table.rules:
            if rule.kind != "identity":
                continue
            refs = [str(r) for r in rule.parsed.refs()]
            pieces = [said(table, r) for r in refs]
            if all(pieces):
                out.append(f"{pieces[0]}，其中" + "、".join(pieces[1:]) + f"（{rule.expr}）。")
    return out


def _depth(table, code: str) -> int:
    return next(d for item, d in table.walk() if item.code == code)


def _statistics_tables(tpl, form: Form, data: Data):
    """The filled statistics tables as a Word subdocument: 代码, 项目, 单位, 数值."""
    sub = tpl.new_subdoc()
    for table in form.tables:
        sub.add_paragraph(table.title, style="Heading 2")
        rows = [(item, depth) for item, depth in table.walk()]
        grid = sub.add_table(rows=1, cols=4)
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, ("代码", "项目", "单位", "数值"), strict=True):
            cell.text = text
        for item, depth in rows:
            refs = [r for r, c in table.cells.items() if c.item == item.code]
            units = "、".join(table.cells[r].unit for r in refs)
            figures = "、".join(
                _figure(data.values.get(f"{table.id}:{r}"), table.cells[r].decimals) for r in refs
            )
            cells = grid.add_row().cells
            for cell, text in zip(
                cells, (item.code, "　" * depth + item.label, units, figures), strict=True
            ):
                cell.text = text
        _widths(grid, (18, 88, 22, 32))
        if table.note:
            sub.add_paragraph(f"注：{table.note}")
    return sub


def _widths(grid, mm: tuple[int, ...]) -> None:
    """Column widths in millimetres: Word reads each cell's width, LibreOffice the grid's."""
    from docx.shared import Mm

    grid.autofit = False
    for column, width in zip(grid.columns, mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _units_table(tpl, form: Form, data: Data):
    """Per unit, the main items of the first table: the units behind a total."""
    table = form.tables[0]
    main = [r for r, c in table.cells.items() if _depth(table, c.item) == 0][:4]
    sub = tpl.new_subdoc()
    grid = sub.add_table(rows=1, cols=1 + len(main))
    grid.style = "Table Grid"
    heads = ["单位"] + [f"{r}（{table.cells[r].unit}）" for r in main]
    for cell, text in zip(grid.rows[0].cells, heads, strict=True):
        cell.text = text
    for unit in data.units:
        cells = grid.add_row().cells
        cells[0].text = str(unit["unit"])
        for cell, ref in zip(cells[1:], main, strict=True):
            cell.text = _figure(unit["values"].get(f"{table.id}:{ref}"), table.cells[ref].decimals)
    _widths(grid, (40, *[120 // len(main)] * len(main)))
    return sub


CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
]


def cjk_fonts() -> list[str]:
    """The Chinese fonts matplotlib can draw with. Its font list is cached when first made: a
    font installed after that is looked for on disk and added, once."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names & set(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if any(
                k in Path(path).name.lower() for k in ("wqy", "cjk", "simhei", "msyh", "sourcehan")
            ):
                font_manager.fontManager.addfont(path)
        names = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in CJK_FONTS if f in names]


def chart_png(form: Form, data: Data, target: Path) -> bool:
    """A bar chart of the first table's main items (per unit for a total), Chinese labels shown."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    from matplotlib import pyplot as plt

    fonts = cjk_fonts()
    if not fonts:
        return False  # without a Chinese font the labels would be boxes: no chart rather than that
    plt.rcParams["font.sans-serif"] = fonts + ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    table = form.tables[0]
    main = [r for r, c in table.cells.items() if _depth(table, c.item) == 0]
    unit = max(
        {table.cells[r].unit for r in main},
        key=lambda u: sum(table.cells[r].unit == u for r in main),
    )
    refs = [r for r in main if table.cells[r].unit == unit][:8]
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=150)
    if data.units:
        ref = refs[0]
        labels = [str(u["unit"]) for u in data.units][:30]
        values = [float(u["values"].get(f"{table.id}:{ref}") or 0) for u in data.units][:30]
        ax.bar(labels, values, color="#c0392b")
        ax.set_title(f"各单位 {ref} {table.cells[ref].label}（{unit}）")
        ax.tick_params(axis="x", rotation=45)
    else:
        labels = [f"{r} {table.cells[r].label[:10]}" for r in refs]
        values = [float(data.values.get(f"{table.id}:{r}") or 0) for r in refs]
        ax.barh(labels[::-1], values[::-1], color="#c0392b")
        ax.set_title(f"{table.title}：主要项目（{unit}）")
    fig.tight_layout()
    fig.savefig(target)
    plt.close(fig)
    return True


def render_docx(
    form: Form,
    data: Data,
    target: Path,
    force: bool,
    template: Path | None = None,
    chasing: list[str] | None = None,
) -> None:
    """The Word report: title, a summary written from the figures, the tables, units, chart."""
    import tempfile
    from datetime import date

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    from wenuan.writing import save_atomically

    source = template or templates_dir() / "report.docx"
    try:
        tpl = DocxTemplate(str(source))
        tpl.init_docx()
    except Exception as e:  # python-docx raises several types for a file that is no docx
        raise WenuanError("template_unreadable", path=str(source), why=type(e).__name__) from None
    with tempfile.TemporaryDirectory() as tmp:
        picture = Path(tmp) / "chart.png"
        context = {
            "union": form.union,
            "report_title": f"{form.campaign}情况报告",
            "intro": f"根据《{form.title}》"
            + (f"（{form.doc_no}）" if form.doc_no else "")
            + "要求，现将有关情况报告如下。",
            "summary": summary(form, data),
            "tables": _statistics_tables(tpl, form, data),
            "units": _units_table(tpl, form, data) if data.units else None,
            "chasing": chasing or [],
            "chart": InlineImage(tpl, str(picture), width=Mm(150))
            if data.values and chart_png(form, data, picture)
            else None,
            "date": date.today().isoformat(),
        }
        try:
            tpl.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
        except TemplateError as e:
            where = f"第 {e.lineno} 行" if getattr(e, "lineno", None) else ""
            raise WenuanError(
                "template_error", path=str(source), where=where, why=e.message or type(e).__name__
            ) from None
        save_atomically(tpl, target, force, (".docx",))


def to_pdf(docx: Path, target: Path, force: bool) -> None:
    """Convert a rendered report to PDF with LibreOffice headless, when it is installed."""
    import shutil
    import subprocess
    import tempfile

    from wenuan.writing import check_target, write_bytes_atomically

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise WenuanError("no_libreoffice")
    check_target(target, force, (".pdf",))
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"  # its own profile: works beside a running LibreOffice
        run = subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(docx),
            ],
            capture_output=True,
            timeout=180,
            check=False,
        )
        made = Path(tmp) / (docx.stem + ".pdf")
        if run.returncode != 0 or not made.exists():
            raise WenuanError("pdf_failed", why=run.stderr.decode(errors="replace")[-200:])
        write_bytes_atomically(target, made.read_bytes(), force)
