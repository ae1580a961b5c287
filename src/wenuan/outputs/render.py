"""Reports from the data: the filled official table (xlsx), the Word report (docx), PDF.

Word templates are .docx files with jinja2 tags (docxtpl), rendered bounded (see `bounded`): a
template reaches only the figures given to it, never Python internals or the file system.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from wenuan.checking.findings import FileReport
from wenuan.checking.validate import Options, validate_file
from wenuan.errors import FormFileError, WenuanError
from wenuan.forms.model import Form

PDF_SECONDS = 180


@dataclass
class Data:
    """What a report is made from: the figures, the header, the units behind a total, and the
    file's check (render refuses figures with errors unless told to go on)."""

    values: dict[str, Decimal] = field(default_factory=dict)
    header: dict[str, object] = field(default_factory=dict)
    units: list[dict] = field(default_factory=list)  # per unit, when the data is a total
    check: FileReport | None = None
    previous: dict[str, Decimal] | None = None  # last year's figures (render --previous)
    missing: list[str] = field(default_factory=list)  # the roster's units a total lacks

    @property
    def errors(self) -> list[str]:
        """The errors found in the figures, as messages."""
        return (
            [f.message for f in self.check.findings if f.severity == "error"] if self.check else []
        )


def load_data(path: Path | None, form: Form, forms) -> Data:
    """The figures of a return or a consolidated total; none for the blank official table.
    A file that cannot be read, or is of another form, raises; errors in it are kept."""
    if path is None:
        return Data()
    report = _read(path, form, forms, "render_unreadable")
    units, missing = _units_of_total(path, form)
    return Data(report.values, report.header, units, report, missing=missing)


def load_previous(path: Path, form: Form, forms) -> dict[str, Decimal]:
    """Last year's figures: a return or total in the same form's layout."""
    return _read(path, form, forms, "previous_other_form").values


def _read(path: Path, form: Form, forms, refusal: str) -> FileReport:
    """A file checked as a return of `form`; one that cannot be read as such raises `refusal`."""
    report = validate_file(path, forms, Options(form_id=form.id))
    if report.form is None or any(
        f.kind in ("unreadable", "unknown_form") for f in report.findings
    ):
        why = "；".join(f.message for f in report.findings)
        raise WenuanError(refusal, path=str(path), form=form.id, why=why)
    return report


def _units_of_total(path: Path, form: Form) -> tuple[list[dict], list[str]]:
    """The 各单位 sheet of a workbook written by `wenuan consolidate`, if it has one: units as
    rows, a column for each item whose header holds its code (`01A（人）`, `swn:01A（人）`, or a
    label with the code on a line of its own); and the units its 来源 sheet says 未报送."""
    from wenuan.numbers import parse
    from wenuan.reading import open_workbook

    wb = open_workbook(path)
    try:
        if "各单位" not in wb.sheet_names:
            return [], []
        rows = wb.get_sheet_by_name("各单位").to_python()
        sources = wb.get_sheet_by_name("来源").to_python() if "来源" in wb.sheet_names else []
    finally:
        wb.close()
    head = [str(x) for x in sources[0]] if sources else []
    at = (head.index("单位"), head.index("计入合计")) if {"单位", "计入合计"} <= set(head) else None
    missing = [str(r[at[0]]) for r in sources if at and r[at[1]] == "未报送" and r[at[0]]]
    keys = {f"{tb.id}:{ref}" for tb in form.tables for ref in tb.cells}
    prefix = f"{form.tables[0].id}:" if len(form.tables) == 1 else ""
    head_row = next((i for i, r in enumerate(rows) if r and str(r[0]).strip() == "单位"), 0)
    columns = {}
    for i, text in enumerate(rows[head_row] if rows else []):
        for line in str(text).splitlines():
            key = line.split("（")[0].strip()
            key = key if key in keys else prefix + key
            if key in keys:
                columns[key] = i
    units = [
        {
            "unit": row[0],
            "values": {
                k: v
                for k, i in columns.items()
                if i < len(row) and (v := parse(row[i]).value) is not None
            },
        }
        for row in rows[head_row + 1 :]
        if row and str(row[0]).strip() not in ("合计", "")
    ]
    return units, missing


# What a table's title says before its subject: the year, the period, who fills it in
# (2022年春节期间各级工会送温暖统计表 is, in a file name, 送温暖统计表).
_TITLE_LEAD = re.compile(r"^\s*(?:\d{4}\s*年度?)?(?:[^，。]{0,8}?期间)?(?:各级工会)?")


def _city_year_title(form: Form) -> tuple[str, str, str]:
    """The form's city (平顶山), year (2010) and official table's title without its lead."""
    title = form.tables[0].title
    year = re.search(r"\d{4}$", form.id) or re.search(r"\d{4}", form.campaign)
    return (
        form.city.removesuffix("市"),
        year[0] if year else "",
        _TITLE_LEAD.sub("", title) or title,
    )


def form_label(form: Form) -> str:
    """The form as a clerk names it, never by its id: 平顶山市 2010年 送温暖工程统计表."""
    city, year, title = _city_year_title(form)
    return " ".join(w for w in (city + "市", year and year + "年", title) if w)


def made_name(form: Form, what: str, suffix: str) -> str:
    """The name of a file made for the whole campaign (汇总表, 工作报告), after `default_name`:
    平顶山2010送温暖汇总表.xlsx."""
    from wenuan.outputs.writing import safe_name

    city, year, _ = _city_year_title(form)
    return safe_name(f"{city}{year}送温暖{what}") + suffix


def default_name(form: Form, data: Data) -> str:
    """The file name `render` writes without -o: city, year and the official table's title,
    then the data's unit (鄂州2022送温暖统计表_鄂城区总工会.xlsx), fit to be a file name."""
    from wenuan.outputs.writing import safe_name

    stem = "".join(_city_year_title(form))
    if data.check:
        stem += "_" + (str(data.header.get("unit") or "").strip() or Path(data.check.path).stem)
    return safe_name(stem) + ".xlsx"


def default_target(form: Form, data: Data, force: bool) -> Path:
    """Where `render` writes without -o: `default_name` in the current folder. One there
    already is refused unless forced, never numbered: a command always names the same file."""
    target = Path(default_name(form, data))
    if target.exists() and not force:
        raise WenuanError("exists_default", path=str(target))
    return target


def render_xlsx(form: Form, data: Data, target: Path, force: bool) -> None:
    """The official table(s) in the notice's layout with the figures, print-ready on A4."""
    from wenuan.outputs import writing

    writing.save_atomically(writing.filled(form, data.values, data.header), target, force)


def templates_dir() -> Path:
    """The default Word templates: in the installed package, or the repository's templates/."""
    packaged = Path(__file__).parents[1] / "data" / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parents[3] / "templates"


def _figure(value: Decimal | None, decimals: int) -> str:
    from wenuan.checking.validate import show

    return "" if value is None else show(value, decimals)


@dataclass
class Words:
    """The report's words: each part's paragraphs, who writes to whom, and the 附件说明."""

    title: str
    to: str
    intro: str
    signer: str
    basics: list[str]
    parts: dict[str, list[str]]  # methods, results, situation (where asked), problems, plans
    placeholders: set[str] = field(default_factory=set)  # paragraphs for people to write
    heads: dict[str, str] = field(default_factory=dict)  # part -> 二、主要做法
    attachments: list[str] = field(default_factory=list)  # 附件：1.…, then 2.… aligned


HEADS = {
    "methods": "主要做法",
    "results": "取得成效",
    "situation": "困难职工状况和政策建议",
    "problems": "存在问题",
    "plans": "下一步打算",
}
NUMERALS = "一二三四五六七八九十"
TO_PLACEHOLDER = "【请填写主送单位（上级工会，如省总工会）】"


def union_name(form: Form, unit: str) -> str:
    """A unit's union as it signs a report: 叶县 → 叶县总工会, an enterprise's 中平能化 →
    中平能化工会; a name that already ends in 工会 stays."""
    if unit.endswith("工会"):
        return unit
    from wenuan.forms.roster import unit_key

    kind = next(
        (u.kind for u in form.units if unit_key(unit) in map(unit_key, [u.name, *u.aliases])), ""
    )
    return unit + ("工会" if "企业" in (kind or "") else "总工会")


def signing_day(form: Form, today=None):
    """The day a report is dated when none is given: today, or the day the returns and the
    report were due when the campaign is past (a report written afterwards is dated as due)."""
    from datetime import date

    today = today or date.today()
    due = next((d.date for d in form.deadlines if d.tables), None)
    return min(today, due) if due else today


def words(form: Form, data: Data, notes: dict[str, list[str]] | None = None, day=None) -> Words:
    """Every sentence of the report: from the form's `report:` section over the figures (or the
    main items in words), the notes people wrote, and placeholders for what is left to write.
    A total says how many units it counts when not all are in; a unit's report is its union's."""

    from wenuan.outputs import narrative

    notes, day = notes or {}, day or signing_day(form)
    total = bool(data.units)
    unit = str(data.header.get("unit") or "").strip()
    signer = union_name(form, unit) if unit and not total else form.union
    partial = total and bool(data.missing)
    who = ("各级工会" if partial else "全市各级工会") if total or not unit else signer
    suspects = _suspects(form, data) if total else {}
    figures = narrative.Figures(data.values, form, data.units, data.previous, set(suspects))
    ctx = narrative.context(form, figures, who)
    text = form.report or _default_text()
    said = narrative.paragraphs
    campaign = form.campaign.split("（")[0]
    title = said([text.title], ctx) if text.title else []
    title = title[0] if title else f"{signer}关于{campaign}情况的报告"
    deadline = next((d for d in form.deadlines if d.tables and d.to), None)
    to = (
        notes.get("to")
        or (said([text.to], ctx) if text.to else [])
        or ([deadline.to.split("（")[0]] if deadline and not total and data.values else [])
        or [TO_PLACEHOLDER]
    )[0]
    basics = (said(text.basics, ctx) if form.report else narrative.fallback(form, figures)) + (
        notes.get("basics", [])
    )
    if partial:
        n = len(data.units)
        basics.insert(
            0,
            f"截至{_day(day)}，应报送的{n + len(data.missing)}个单位中已有{n}个报送统计表，"
            f"以下数字据已报送的{n}个单位统计。",
        )
    parts = {"results": said(text.results, ctx) + notes.get("results", [])}
    holders = set()
    asked = [p for p in narrative.PLACEHOLDERS if p != "situation" or text.advice or p in notes]
    for part in asked:
        placeholder = narrative.PLACEHOLDERS[part]
        parts[part] = notes.get(part) or [placeholder]
        holders |= {placeholder} if part not in notes else set()
    if not parts["results"]:
        parts["results"] = ["【请填写取得成效：活动的效果和职工的反映】"]
        holders.add(parts["results"][0])
    order = [p for p in HEADS if p in parts]
    heads = {p: f"{NUMERALS[i + 1]}、{HEADS[p]}" for i, p in enumerate(order)}
    if total:
        basis = text.basis or f"全总、省总关于{campaign}的工作部署"
        intro = f"按照{basis}，现将我市{campaign}情况报告如下："
    else:
        intro = (
            f"根据《{form.title.replace('《', '〈').replace('》', '〉')}》"
            + (f"（{form.doc_no}）" if form.doc_no else "")
            + f"要求，现将{campaign}情况报告如下："
        )
    tables = [tb.title for tb in form.tables]
    attachments = (
        [f"附件：{tables[0]}"]
        if len(tables) == 1
        else [("附件：" if i == 1 else "　　　") + f"{i}.{t}" for i, t in enumerate(tables, 1)]
    )
    return Words(
        title,
        to.rstrip("：:") + "：",
        intro,
        signer,
        basics,
        {p: parts[p] for p in order},
        holders,
        heads,
        attachments,
    )


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _suspects(form: Form, data: Data) -> dict[tuple[str, str], str]:
    """The figures the outlier screen finds far from the other units' ((unit, key) -> words):
    kept out of 较多的是 and named to the leadership until confirmed."""
    from wenuan.checking import screen
    from wenuan.checking.findings import FileReport

    def report_of(i: int) -> FileReport:
        u = data.units[i]
        return FileReport("", form.id, str(u["unit"]), values=u["values"])

    out = {}
    for i, finding in screen.outliers(form, [u["values"] for u in data.units], report_of):
        name = str(data.units[i]["unit"])
        for ref in finding.suspects or finding.items:
            key = f"{finding.table}:{ref}"
            table_id, _, _ = key.partition(":")
            cell = form.table(table_id).cells[ref]
            value = data.units[i]["values"].get(key)
            shown = "" if value is None else f"{_figure(value, cell.decimals)}{cell.unit}"
            out[(name, key)] = f"{name}的{cell.label}（{shown}）"
    return out


def title_lines(title: str, width: int = 19) -> str:
    """A title broken into as few lines of at most `width` characters (a digit counts half) as
    can be, each break between words (after 关于, 期间, 周年, 活动, 的 or a closing quote, before
    送温暖, 情况的, 的报告 or an opening quote), never inside quotation marks; lines as even as
    can be."""
    import unicodedata

    def size(text: str) -> float:
        return sum(0.5 if unicodedata.east_asian_width(c) in "NaH" else 1 for c in text)

    if size(title) <= width:
        return title
    quoted = {i for m in re.finditer("“[^”]*”", title) for i in range(m.start() + 1, m.end())}
    stops = {m.end() for m in re.finditer("关于|期间|周年|活动|的|”", title)}
    stops |= {m.start() for m in re.finditer("送温暖|情况的|工作的|的报告|“", title)}
    stops = sorted(b for b in stops - quoted if 0 < b < len(title))

    def best(start: int) -> tuple | None:
        """(lines, unevenness, breaks) for the rest of the title from `start`."""
        if size(title[start:]) <= width:
            return 1, 0.0, []
        tries = []
        for b in (b for b in stops if b > start and size(title[start:b]) <= width):
            if (rest := best(b)) is not None:
                gap = abs(size(title[start:b]) - size(title[b:]) / rest[0])
                tries.append((rest[0] + 1, rest[1] + gap, [b, *rest[2]]))
        return min(tries, default=None)

    found = best(0)
    if found is None:
        return title
    cuts = [0, *found[2], len(title)]
    return "\n".join(title[a:b] for a, b in zip(cuts, cuts[1:], strict=False))


def _default_text():
    from wenuan.forms.model import ReportText

    return ReportText()


def _depth(table, code: str) -> int:
    return next(d for item, d in table.walk() if item.code == code)


def _statistics_tables(tpl, form: Form, data: Data):
    """The filled statistics tables as a Word subdocument (the report's 附件): 代码, 项目, 单位,
    数值. The codes are here, where a clerk looks a figure up, and nowhere in the prose."""
    sub = tpl.new_subdoc()
    for n, table in enumerate(form.tables, 1):
        head = sub.add_paragraph(f"附件{n if len(form.tables) > 1 else ''}：{table.title}")
        head.paragraph_format.page_break_before = True
        head.paragraph_format.keep_with_next = True
        if table.note:  # above the table: below it, a full page would leave it alone overleaf
            sub.add_paragraph(f"注：{table.note}").paragraph_format.keep_with_next = True
        grid = sub.add_table(rows=1, cols=4)
        grid.style = "Table Grid"
        _cells(grid.rows[0].cells, ("代码", "项目", "单位", "数值"), bold=True)
        for item, depth in table.walk():
            refs = [r for r, c in table.cells.items() if c.item == item.code]
            units = "、".join(table.cells[r].unit for r in refs)
            figures = "、".join(
                _figure(data.values.get(f"{table.id}:{r}"), table.cells[r].decimals) for r in refs
            )
            texts = (item.code, "　" * depth + item.label, units, figures)
            _cells(grid.add_row().cells, texts, size=9)  # 小五: a table of the notice on a page
        _widths(grid, (14, 90, 22, 30))
        _repeat_header(grid.rows[0])
    return sub


def _cells(cells, texts, bold: bool = False, left: tuple[int, ...] = (1,), size=10.5) -> None:
    """A table row's texts (五号, 10.5 pt), single-spaced, centred but for the `left` ones."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for j, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        cell.text = text
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = None if j in left and not bold else WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        for run in paragraph.runs:
            run.font.size = Pt(min(size, 10) if bold else size)
            run.font.bold = bold


def _widths(grid, mm: tuple[int, ...]) -> None:
    """Column widths in millimetres: Word reads each cell's width, LibreOffice the grid's."""
    from docx.shared import Mm

    grid.autofit = False
    for column, width in zip(grid.columns, mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _columns(form: Form, given=None) -> list[tuple[str, str, str]]:
    """The per-unit table's columns: (key, header label, unit), from the form's `report:`
    section, else the first table's main items (at most five)."""
    given = given or (form.report.columns if form.report else None)
    if given:
        chosen = [(c.item, c.label) for c in given]
    else:
        table = form.tables[0]
        chosen = [
            (f"{table.id}:{r}", None) for r, c in table.cells.items() if _depth(table, c.item) == 0
        ][:5]
    out = []
    for key, label in chosen:
        table_id, _, ref = key.partition(":")
        cell = form.table(table_id).cells[ref]
        out.append((key, label or cell.label, cell.unit))
    return out


def _units_table(tpl, form: Form, data: Data):
    """Per unit, the main items with their labels as headers, and the total: the units behind
    a total. Codes stay out: they are in the statistics tables."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    columns = _columns(form)
    sub = tpl.new_subdoc()
    grid = sub.add_table(rows=1, cols=1 + len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    from wenuan.outputs.narrative import shown_unit

    first = 24 if len(columns) > 4 else 32
    each = (156 - first) // len(columns)
    heads = ["单位"] + [
        f"{header_lines(label, each)}\n（{shown_unit(label, unit)}）" for _, label, unit in columns
    ]
    rows = [
        [str(u["unit"])] + [_figure(u["values"].get(k), _decimals(form, k)) for k, _, _ in columns]
        for u in data.units
    ]
    rows.append(["合计"] + [_figure(data.values.get(k), _decimals(form, k)) for k, _, _ in columns])
    _cells(grid.rows[0].cells, heads, bold=True)
    for texts in rows:
        _cells(grid.add_row().cells, texts, bold=texts[0] == "合计", left=(0,))
    _widths(grid, (first, *[each] * len(columns)))
    _repeat_header(grid.rows[0])
    return sub


# Words a heading is never broken inside (a break between 送温 and 暖 reads as two words).
WORDS = re.compile(
    "送温暖|农民工|慰问|款物|困难|职工|企业|劳模|帮扶|走访|筹集|发放|建档|家庭|人次|救助"
)


def header_lines(label: str, mm: int) -> str:
    """A column heading broken into even lines that fit `mm` (10-point characters, 4 mm of cell
    margins), never inside a word and never one character alone on a line."""
    fit = max(2, int((mm - 4) / 3.6))
    if len(label) <= fit:
        return label
    inside = {i for m in WORDS.finditer(label) for i in range(m.start() + 1, m.end())}
    out, rest, start = [], label, 0
    for left in range(-(-len(label) // fit), 1, -1):
        even = -(-len(rest) // left)
        cuts = [
            c
            for c in range(2, min(fit, len(rest) - 2) + 1)
            if start + c not in inside and len(rest) - c <= fit * (left - 1)
        ]
        cut = min(cuts, key=lambda c: abs(c - even)) if cuts else even
        out.append(rest[:cut])
        rest, start = rest[cut:], start + cut
    return "\n".join([*out, rest])


def _repeat_header(row) -> None:
    """The header row printed again on every page the table runs on."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:tblHeader"))
    props[-1].set(qn("w:val"), "true")


def _decimals(form: Form, key: str) -> int:
    table_id, _, ref = key.partition(":")
    return form.table(table_id).cells[ref].decimals


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


def _pyplot():
    """matplotlib's pyplot, drawing to files, and the Chinese fonts it can draw with."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    from matplotlib import pyplot

    return pyplot, cjk_fonts()


def chart_png(form: Form, data: Data, target: Path) -> bool:
    """A bar chart of the first table's main items (per unit for a total), Chinese labels shown."""
    plt, fonts = _pyplot()
    if not fonts:
        return False  # without a Chinese font the labels would be boxes: no chart rather than that
    plt.rcParams["font.sans-serif"] = fonts + ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    items = _chart_items(form)
    labels = [label for _, label, _ in items]
    unit = items[0][2]
    fig, ax = plt.subplots(figsize=(7, 3.8), dpi=150)
    if data.units:
        import numpy as np

        shown = data.units[:30]
        names = [str(u["unit"]) for u in shown]
        x = np.arange(len(names))
        width = 0.8 / len(items)
        colors = ["#c0392b", "#e67e22", "#7f8c8d", "#2c3e50"]
        for i, (key, label, _) in enumerate(items):
            values = [float(u["values"].get(key) or 0) for u in shown]
            ax.bar(
                x + (i - (len(items) - 1) / 2) * width,
                values,
                width,
                label=label,
                color=colors[i % len(colors)],
            )
        ax.set_xticks(
            x,
            names,
            rotation=45 if len(names) > 6 else 0,
            ha="right" if len(names) > 6 else "center",
        )
        ax.legend(frameon=False)
        ax.set_title(f"各单位{'、'.join(labels)}（{unit}）")
    else:
        values = [float(data.values.get(key) or 0) for key, _, _ in items]
        ax.barh(labels[::-1], values[::-1], color="#c0392b")
        ax.set_title(f"{'、'.join(labels)}（{unit}）")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(target)
    plt.close(fig)
    return True


def _chart_items(form: Form) -> list[tuple[str, str, str]]:
    """The items drawn: the form's `report: chart:`, else the table's columns in their most
    common unit (at most four, so the bars of a unit stay readable)."""
    columns = _columns(form)
    if form.report and form.report.chart:
        return _columns(form, form.report.chart)[:4]
    units = [unit for _, _, unit in columns]
    common = max(units, key=lambda u: (units.count(u), u == "万元"))
    return [c for c in columns if c[2] == common][:4]


def render_docx(
    form: Form,
    data: Data,
    target: Path,
    force: bool,
    template: Path | None = None,
    notes: dict[str, list[str]] | None = None,
    today=None,
) -> None:
    """The Word report as people write it: 标题, 主送, 一 基本情况 (the figures in sentences, the
    units, a chart), 二 做法, 三 成效, (困难职工状况和政策建议 where the notice asks), 问题, 打算,
    附件说明, 落款 and 日期, page numbers; the tables as 附件. Who has not reported goes to the
    leadership in a cover note (`render_cover`), never into the report.
    The form's sentences and the template run bounded, in a child process (see `bounded`)."""

    import docxtpl  # noqa: F401  (imported once here, not again in each report's child)

    from wenuan import bounded
    from wenuan.outputs.writing import check_target, write_bytes_atomically
    from wenuan.words.messages import t

    if data.values:
        _pyplot()  # the same, for the chart
    args = (form, data, template, notes, today or signing_day(form))
    try:
        made = bounded.run(_docx, *args)
    except bounded.Killed:
        why = t("template_killed", seconds=bounded.KILL_AFTER)
        if template is None and form.file is not None:
            raise FormFileError(form.file, None, why) from None
        raise WenuanError(
            "template_error", path=str(template or "report:"), where="", why=why
        ) from None
    check_target(target, force, (".docx",))
    write_bytes_atomically(target, made, force)


def _docx(form: Form, data: Data, template: Path | None, notes, day) -> bytes:
    """The report as a .docx file's bytes (see `render_docx`)."""
    import io
    import tempfile

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage, RichText

    from wenuan import bounded
    from wenuan.outputs import narrative
    from wenuan.words.messages import t

    source = template or templates_dir() / "report.docx"
    try:
        tpl = DocxTemplate(str(source))
        tpl.init_docx()
    except Exception as e:  # python-docx raises several types for a file that is no docx
        raise WenuanError("template_unreadable", path=str(source), why=type(e).__name__) from None
    try:
        with bounded.limits():
            said = words(form, data, notes, day)
    except narrative.Broken as e:
        raise narrative.located(form, e) from None

    def rich(paras: list[str]) -> list:
        return [
            RichText(p, highlight="FFFF00") if p in said.placeholders else RichText(p)
            for p in paras
        ]

    errors = data.errors
    with tempfile.TemporaryDirectory() as tmp:
        picture = Path(tmp) / "chart.png"
        context = {
            "union": form.union,
            "signer": said.signer,
            "report_title": title_lines(said.title),
            "to": said.to,
            "intro": said.intro,
            "unverified": t(
                "unverified_note",
                path=Path(data.check.path).name,
                errors=len(errors),
                first="；".join(errors[:3]) + ("……" if len(errors) > 3 else ""),
            )
            if errors
            else "",
            "summary": said.basics,
            "basics": rich(said.basics),
            **{part: rich(paras) for part, paras in said.parts.items()},
            "situation": rich(said.parts.get("situation", [])),
            "heads": said.heads,
            "attachments": said.attachments,
            "tables": _statistics_tables(tpl, form, data),
            "units": _units_table(tpl, form, data) if data.units else None,
            "chasing": [],  # for templates of wenuan ≤ 0.x: it goes in the cover note now
            "chart": InlineImage(tpl, str(picture), width=Mm(150))
            if data.values and chart_png(form, data, picture)
            else None,
            "date": _day(day),
        }
        try:
            with bounded.limits():
                tpl.render(context, jinja_env=bounded.Environment(), autoescape=True)
        except (Exception, bounded.OutOfTime) as e:  # a template's slip, or a bound it ran past
            why, line = bounded.failure(e)
            where = t("at_line", line=line) if line else ""
            raise WenuanError("template_error", path=str(source), where=where, why=why) from None
        buffer = io.BytesIO()
        tpl.save(buffer)
    return buffer.getvalue()


def cover_words(form: Form, data: Data, status=None, day=None) -> list[str]:
    """The cover note's sentences to the leadership: who has reported (from the chasing
    list `status`, else the total's 来源 sheet), and the figures still to be confirmed."""

    day = day or signing_day(form)
    if status is not None:
        reported = [u for u in status.units if u.path]
        missing = [u.unit for u in status.units if not u.path]
        late = [u.unit for u in reported if u.late_days and u.late_days > 0]
        count = len(reported)
    else:
        missing, late, count = data.missing, [], len(data.units)
    late_words = f"（其中逾期{len(late)}个：{'、'.join(late)}）" if late else ""
    if missing:
        said = [
            f"截至{_day(day)}，应报送的{count + len(missing)}个单位中已报送{count}个{late_words}，"
            f"{len(missing)}个尚未报送（{'、'.join(missing)}）；"
            f"报告中的数字据已报送的{count}个单位统计，其余单位报齐后另行补报。"
        ]
    else:
        said = [f"截至{_day(day)}，应报送的{count}个单位已全部报送{late_words}。"]
    suspects = _suspects(form, data) if data.units else {}
    if suspects:
        said.append(
            "以下数字与其他单位相差悬殊，尚待核实，报告未将其列入“较多的是”："
            + "；".join(suspects.values())
            + "。"
        )
    return said


def render_cover(
    form: Form, data: Data, target: Path, force: bool, status=None, today=None
) -> None:
    """A cover note to the leadership beside the report (Word): who has reported and what is
    still to be confirmed, in the report template's styles."""
    import io

    import docx

    from wenuan.outputs.writing import check_target, write_bytes_atomically

    day = today or signing_day(form)
    document = docx.Document(str(templates_dir() / "report.docx"))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    campaign = form.campaign.split("（")[0]
    document.add_paragraph(title_lines(f"关于{campaign}情况报告的说明"), style="Title")
    for sentence in cover_words(form, data, status, day):
        document.add_paragraph(sentence).paragraph_format.first_line_indent = docx.shared.Pt(32)
    signed = document.add_paragraph(_day(day))
    signed.alignment = 2  # right
    signed.paragraph_format.right_indent = docx.shared.Pt(64)
    buffer = io.BytesIO()
    document.save(buffer)
    check_target(target, force, (".docx",))
    write_bytes_atomically(target, buffer.getvalue(), force)


def to_pdf(docx: Path, target: Path, force: bool) -> None:
    """Convert a rendered report to PDF with LibreOffice headless, when it is installed."""
    import tempfile

    from wenuan import office
    from wenuan.outputs.writing import check_target, write_bytes_atomically

    program = office.program()
    if program is None:
        raise WenuanError("no_libreoffice")
    check_target(target, force, (".pdf",))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            made = office.convert(program, docx, "pdf", Path(tmp), PDF_SECONDS)
        except office.Failed as e:
            raise WenuanError("pdf_failed", why=str(e)) from None
        write_bytes_atomically(target, made.read_bytes(), force)
