"""The sheets' XML inflated once by the bounds' look, and read again by the hidden columns and rows."""

import zipfile

import openpyxl

from wenuan.reading.extent import check_extent
from wenuan.reading.hidden import hidden_columns, hidden_rows
from wenuan.reading.workbook import RETURN, check_container


def test_the_sheets_inflated_for_the_bounds_give_the_same_hidden_columns_and_rows(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "表一"
    for r in range(1, 8):
        first.append([f"项目{r}", r, r * 10, r * 100])
    first.column_dimensions["C"].hidden = True
    first.row_dimensions[3].hidden = True
    second = book.create_sheet("表二")
    second.append(["合计", 1])
    path = tmp_path / "r.xlsx"
    book.save(path)

    infos, sheets = check_container(path, RETURN), {}
    check_extent(path, infos, RETURN, sheets)
    with zipfile.ZipFile(path) as z:
        assert sheets == {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    assert hidden_columns(path, infos, sheets) == hidden_columns(path) == {"表一": {2}}
    assert hidden_rows(path, infos, sheets) == hidden_rows(path) == {"表一": {2}}
    # what the bounds' look made of one workbook's relations is not another's
    other = tmp_path / "o.xlsx"
    book.remove(second)
    book.save(other)
    sheets = {}
    check_extent(other, check_container(other, RETURN), RETURN, sheets)
    assert len(sheets) == 1
