"""The report's words: sentences from a form's `report:` section over the figures, and the parts
only people write (做法, 问题, 打算) from a notes file, or placeholders that say what to write.

A sentence is a jinja2 template rendered bounded (see `bounded`): it reaches the figures given
to it, never Python internals, and changes nothing. A figure prints as a clerk writes it; a
sentence whose figure is absent (not filled, no units behind it, no previous year) is left out
rather than printed with a gap.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from wenuan.errors import FormFileError, WenuanError
from wenuan.forms.model import Form, Paragraph, quantize

# The parts of a report, as `--notes` headings name them (a heading holding the word).
PARTS = {
    "basics": "基本情况",
    "methods": "做法",
    "results": "成效",
    "situation": "困难职工状况",
    "problems": "问题",
    "plans": "打算",
}
PLACEHOLDERS = {
    "methods": "【请填写主要做法：领导重视和组织部署、资金筹集和发放、走访慰问的方式和特色等】",
    "situation": "【请填写困难职工状况和政策建议：本地困难职工群体的数量、构成和致困原因，"
    "从制度和机制上提出的可操作的政策建议】",
    "problems": "【请填写存在问题：工作中遇到的困难和不足】",
    "plans": "【请填写下一步打算：今后的工作安排和措施】",
}


class Absent(Exception):
    """A figure a sentence needs is not there: the sentence is left out."""


class Broken(WenuanError):
    """A sentence that fails, or runs past a bound: its text, and why."""

    def __init__(self, text: str, why: str):
        super().__init__("template_error", path="report:", where="", why=why)
        self.text = text


@dataclass
class Figures:
    """The figures a report's sentences may name: a return's or a total's, its units', last
    year's."""

    values: dict[str, Decimal]
    form: Form
    units: list[dict] = field(default_factory=list)
    previous: dict[str, Decimal] | None = None
    suspects: set[tuple[str, str]] = field(default_factory=set)  # (unit, key) to confirm first


def shown_unit(label: str, unit: str) -> str:
    """The unit a report writes after a figure: enterprises are counted in 家, not 个."""
    return "家" if unit == "个" and "企业" in label else unit


class Figure:
    """One figure in a sentence: `{{ swn['05A'] }}` prints 3.43; `.label`, `.unit`,
    `.share(whole)` 41.2%, `.per(count)` 元 per head, `.top(3)` the units with the most,
    `.last` last year's, `.change` 增长12.3% / 下降5.0% / 持平."""

    def __init__(self, figures: Figures, key: str, last: bool = False):
        table_id, _, ref = key.partition(":")
        self._cell = figures.form.table(table_id).cells[ref]
        self._figures, self._key, self._last = figures, key, last
        self.label = self._cell.label.removeprefix("其中").lstrip("：: ")
        self.unit = shown_unit(self.label, self._cell.unit)

    def _value(self) -> Decimal:
        source = self._figures.previous if self._last else self._figures.values
        value = (source or {}).get(self._key)
        if value is None:
            raise Absent(self._key)
        return value

    def __str__(self) -> str:
        return _show(self._value(), self._cell.decimals)

    __html__ = __str__  # autoescape: a figure is plain text

    def share(self, whole: "Figure") -> str:
        """This figure as a percentage of `whole` (coverage, a source's share of the funds)."""
        return _percent(self._value(), whole._value())

    def per(self, count: "Figure") -> str:
        """An amount per head (户, 人, 人次) in whole 元: the money paid to those heads only."""
        amount = self._value() * (10000 if self.unit == "万元" else 1)
        heads = count._value()
        if not heads:
            raise Absent(count._key)
        return _show(amount / heads, 0)

    def top(self, n: int = 3) -> str:
        """The `n` units with the most of this figure, each with its figure: only when more than
        `n` units reported, and none whose figure is a suspect still to be confirmed."""
        units = self._figures.units
        ranked = [
            (u["values"][self._key], str(u["unit"]))
            for u in units
            if u["values"].get(self._key)
            and (str(u["unit"]), self._key) not in self._figures.suspects
        ]
        if len(units) <= n or not ranked:
            raise Absent(self._key)
        ranked.sort(key=lambda x: -x[0])
        return "、".join(
            f"{name}（{_show(v, self._cell.decimals)}{self.unit}）" for v, name in ranked[:n]
        )

    @property
    def last(self) -> "Figure":
        """Last year's figure (render --previous)."""
        return Figure(self._figures, self._key, last=True)

    @property
    def change(self) -> str:
        """The change since last year, in words."""
        now, before = self._value(), self.last._value()
        if not before:
            raise Absent(self._key)
        pct = quantize((now - before) / before * 100, 1)
        if not pct:
            return "持平"
        return f"{'增长' if pct > 0 else '下降'}{abs(pct):f}%"


class Table(dict):
    """A table's figures by code, for `swn['05A']`."""

    def __init__(self, figures: Figures, table_id: str):
        super().__init__()
        self._figures, self._id = figures, table_id

    def __missing__(self, code: str) -> Figure:
        return Figure(self._figures, f"{self._id}:{code}")


def _show(value: Decimal, decimals: int) -> str:
    from wenuan.checking.validate import show

    return show(value, decimals)


def _percent(part: Decimal, whole: Decimal) -> str:
    if not whole:
        raise Absent("0")
    return f"{quantize(part / whole * 100, 1):f}%"


def context(form: Form, figures: Figures, who: str) -> dict:
    """What a sentence may name: the tables, and the words about the campaign and who reports."""
    ctx: dict = {tb.id: Table(figures, tb.id) for tb in form.tables}
    ctx.update(
        union=form.union,
        campaign=form.campaign,
        period=form.period.text if form.period else "",
        who=who,
        units=len(figures.units),
    )
    return ctx


def sentence(text: str, ctx: dict) -> str | None:
    """One sentence rendered, or None when a figure it needs is absent."""
    from wenuan import bounded

    try:
        return bounded.sentences().from_string(text).render(ctx).strip()
    except Absent:
        return None
    except (Exception, bounded.OutOfTime) as e:  # checked at load: a runtime slip or a bound
        raise Broken(text, bounded.failure(e)[0]) from None


def located(form: Form, broken: Broken) -> WenuanError:
    """A broken sentence as an error in the form file, on the sentence's line."""
    from wenuan.forms import yamlfile
    from wenuan.words.messages import t

    if form.file is None or form.report is None:
        return broken
    at = next((loc for loc, text in form.report.templates() if text == broken.text), ())
    line = yamlfile.line_of(yamlfile.load(form.file)[1], ("report", *at))
    return FormFileError(form.file, line, t("report_failed", why=broken.params["why"]))


def paragraphs(paras: list[Paragraph], ctx: dict) -> list[str]:
    """Each paragraph from its sentences, those with an absent figure left out."""
    out = []
    for para in paras:
        said = [
            s for text in ([para] if isinstance(para, str) else para) if (s := sentence(text, ctx))
        ]
        if said:
            out.append("".join(said))
    return out


def fallback(form: Form, figures: Figures) -> list[str]:
    """Sentences for a form without a `report:` section: each table's main items in words."""
    out = []
    for table in form.tables:
        t = Table(figures, table.id)
        parts = []
        for ref, cell in table.cells.items():
            if _depth(table, cell.item) > 1:
                continue
            figure = t[ref]
            try:
                parts.append(f"{figure.label}{figure}{figure.unit}")
            except Absent:
                continue
        if parts:
            out.append(f"《{table.title}》：" + "，".join(parts) + "。")
    return out


def _depth(table, code: str) -> int:
    return next(d for item, d in table.walk() if item.code == code)


# ---- the notes people write ------------------------------------------------------------------

_CN = "一二三四五六七八九十"
_NUMBERING = re.compile(rf"^\s*([{_CN}]+、|[（(][{_CN}]+[)）]|\d+[.、．])\s*")
_MARKUP = re.compile(r"\*\*|__|^\s*(#+|[-*+>])\s*")


def read_notes(path: Path) -> dict[str, list[str]]:
    """The parts people write, by part (methods, results, problems, plans; basics added to the
    sentences; `to` from a line 主送：…): Markdown or a .docx, a heading naming each part.

    A heading is a Markdown `#`/`##` line or a Word 标题 1/2 paragraph, or a short line numbered
    一、… naming a part (二、主要做法); deeper headings and other lines are the part's text."""
    try:
        lines = list(_docx_lines(path) if path.suffix.lower() == ".docx" else _text_lines(path))
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as e:
        raise WenuanError("notes_unreadable", path=str(path), why=type(e).__name__) from None
    return _notes(lines, path)


def notes_from_text(text: str, name: str = "材料") -> dict[str, list[str]]:
    """The parts people write, typed as text (the web page's box), read as `read_notes` reads
    a Markdown file."""
    return _notes(_lines_of(text), Path(name))


def notes_text(notes: dict[str, list[str]]) -> str:
    """Notes written back as the Markdown `read_notes` reads (主送 first, a heading a part)."""
    out = [f"主送：{notes['to'][0]}", ""] if notes.get("to") else []
    for part, word in PARTS.items():
        if notes.get(part):
            out += [f"## {word}", *[p + "\n" for p in notes[part]]]
    return "\n".join(out).strip() + "\n"


def _notes(lines, path: Path) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    part, para = None, []
    known = "、".join(PARTS.values())

    def flush():
        if part and para:
            notes.setdefault(part, []).append("".join(para))
        para.clear()

    for number, line, heading, one_per_line in lines:
        text = _MARKUP.sub("", line).strip()
        found = _part(text)
        if not text:
            flush()
        elif text.startswith(("主送：", "主送:")):
            notes["to"] = [text[3:].strip().rstrip("：:")]
        elif heading or (found and _NUMBERING.match(text) and len(_NUMBERING.sub("", text)) <= 12):
            if found is None:
                raise WenuanError(
                    "notes_heading", path=str(path), line=number, text=text[:30], known=known
                )
            flush()
            part = found
        elif part is None:
            raise WenuanError(
                "notes_heading", path=str(path), line=number, text=text[:30], known=known
            )
        else:
            para.append(text)
            if one_per_line:
                flush()
    flush()
    return notes


def _part(text: str) -> str | None:
    head = _NUMBERING.sub("", text)[:12]
    return next((key for key, word in PARTS.items() if word in head), None)


def _text_lines(path: Path):
    return _lines_of(path.read_bytes().decode("utf-8-sig"))


def _lines_of(text: str):
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line, re.match(r"\s*#{1,2}[^#]", line) is not None, False


def _docx_lines(path: Path):
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several types for a file that is no docx
        raise ValueError(type(e).__name__) from None
    for number, p in enumerate(document.paragraphs, 1):
        style = (p.style.name if p.style is not None else "") or ""
        heading = style in ("Heading 1", "Heading 2", "Title") or style in ("标题 1", "标题 2")
        yield number, p.text, heading, True
