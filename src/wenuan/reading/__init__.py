"""Reading returns as units send them: any workbook (xlsx, xlsm, xls, ods), Word document
(docx; doc and wps through LibreOffice), PDF with a text layer or CSV to a Return, each value
with the cell it came from.

`workbook`, `word`, `pdf` and `csvfile` turn a file into grids of cells; `layout` finds each
table and each value in them (titles, header roles, codes, labels as people write them:
`labels`); `header` finds 填报单位 and the other header fields.
"""

from operator import itemgetter
from pathlib import Path

from wenuan.forms.model import Form
from wenuan.reading import (
    across,
    blanks,
    csvfile,
    header,
    layout,
    pdf,
    template_plan,
    units,
    word,
    workbook,
)
from wenuan.reading.labels import canonical, fold
from wenuan.reading.model import Entry, Grid, Part, Return, Unreadable, a1
from wenuan.reading.workbook import META_SHEET, open_workbook

READABLE = workbook.WORKBOOKS | word.WORD | pdf.PDF | csvfile.CSV
__all__ = [
    "Entry",
    "Grid",
    "META_SHEET",
    "Part",
    "READABLE",
    "Return",
    "Unreadable",
    "a1",
    "norm",
    "open_workbook",
    "read",
    "recognize",
    "sheets",
]


norm = fold  # text as compared: full-width folded, spaces removed


def read(path: Path, forms: dict[str, Form], form_id: str | None = None) -> tuple[Return, Form]:
    """Read a return; the form is `form_id`, else the one the file records, else the best match."""
    grids, meta = sheets(path)
    ret = Return(path=path, form_id=meta.get("form"), form_version=meta.get("version"))
    ret.uncalculated_in = {g.name: g.find_uncalculated for g in grids if g.find_uncalculated}
    ret.total = is_total(grids, meta)
    if ret.total:  # 分单位 repeats the tables' items and labels: not a second copy of them
        grids = [g for g in grids if g.name not in BESIDE_TOTAL]
    form = forms.get(form_id or "") or forms.get(ret.form_id or "")
    if form is None:
        form = recognize(grids, forms)
    if form is None:
        raise Unreadable("unknown_form")
    ret.header = header.read_header(grids)
    if "unit" not in ret.header and (unit := layout.unit_in_title(grids, form)):
        ret.header["unit"] = unit  # 温县总工会冬日送温暖统计表, and no 填报单位 line
    if "date" not in ret.header and (day := header.day_written(grids)):
        ret.header["date"] = day  # 2023年12月20日 at the top right, under the stamp, at the end
    if not template_plan.read_tables(ret, form, grids):  # wenuan's own template, filled in
        layout.read_tables(ret, form, grids)
    if ret.twice and len(grids) > 1:  # several units' returns, one a sheet, or a copy
        units.split(ret, form, grids)
    if ret.missing_tables:  # items across the columns: one unit's line of a 各单位 sheet
        across.read_across(ret, form, grids)
    if ret.missing_tables and form_id and ret.form_id != form.id:
        other = recognize(grids, forms)  # told the form, and a table of it is not here
        if other is not None and other.id != form.id:
            if len(ret.missing_tables) == len(form.tables):
                raise Unreadable("other_form", form=form.id, other=other.id)
            title = form.table(ret.missing_tables[0]).title
            raise Unreadable("other_form_some", form=form.id, other=other.id, title=title)
    return ret, form


TOTAL_SHEETS = {"各单位", "来源"}  # what `wenuan consolidate` writes beside the total
FEW_SHEETS = {"分单位", "来源"}  # the same for a few units: their figures an item a row
BESIDE_TOTAL = TOTAL_SHEETS | FEW_SHEETS


def is_total(grids: list[Grid], meta: dict[str, str]) -> bool:
    """Whether the file is a consolidated total: its hidden mark says so, or (the mark lost
    when its sheets were copied into another workbook) it has the 各单位 and 来源 sheets."""
    names = {g.name for g in grids}  # 各单位 is hidden (not read) when 分单位 is printed instead
    return meta.get("kind") == "total" or any(s <= names for s in (TOTAL_SHEETS, FEW_SHEETS))


def sheets(path: Path) -> tuple[list[Grid], dict[str, str]]:
    """A workbook's visible sheets, a Word document's body, a PDF's text or a CSV as grids (the
    notice's sentences with blanks read as cells), and the template's mark."""
    suffix = path.suffix.lower()
    for suffixes, reader in ((word.WORD, word), (pdf.PDF, pdf), (csvfile.CSV, csvfile)):
        if suffix in suffixes:
            return [blanks.expanded(g) for g in reader.grids(path)], {}
    grids, meta = workbook.grids(path)
    return [blanks.expanded(g) for g in grids], meta  # the notice's sentences with blanks


def recognize(grids: list[Grid], forms: dict[str, Form]) -> Form | None:
    """The form whose table titles and item labels the file's texts match best, if any."""
    # every text once (an empty cell's "" too, as a sheet's rows always hold one)
    texts = {""}.union(*(map(canonical, map(itemgetter(2), g.texts)) for g in grids))
    joined = "\n".join(texts)  # a title in any text is in this (no canonical text has a \n)
    best, best_score = None, 0
    for form in forms.values():
        score = 0
        for table in form.tables:
            p = layout.plan(table)
            score += 5 * (p.title in joined) + len(p.labels.exact.keys() & texts)
        if score > best_score:
            best, best_score = form, score
    return best if best_score >= 3 else None
