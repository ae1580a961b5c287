"""The sheets' XML inflated once by the bounds' look, and read again by the hidden columns and rows."""

import zipfile

import openpyxl
import pytest

from wenuan.reading.extent import check_extent
from wenuan.reading.hidden import hidden_columns, hidden_rows
from wenuan.reading.model import Unreadable
from wenuan.reading.package import Package
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

    package = Package.open(path)
    check_container(package, RETURN)
    check_extent(package, RETURN)
    with zipfile.ZipFile(path) as z:
        sheets = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    assert {n: x for n, x in package.parts.items() if n.startswith("xl/worksheets/")} == sheets
    assert hidden_columns(package) == hidden_columns(path) == {"表一": {2}}
    assert hidden_rows(package) == hidden_rows(path) == {"表一": {2}}
    # what the bounds' look made of one workbook's relations is not another's
    other = tmp_path / "o.xlsx"
    book.remove(second)
    book.save(other)
    package = Package.open(other)
    check_extent(package, RETURN)
    assert sum(n.startswith("xl/worksheets/") for n in package.parts) == 1


FAR = b'<row r="60"><c r="ZZ60" t="n"><v>7</v></c></row>'
FAKE_ENDS = {  # the sheet data made of the rows; python-calamine reads on past a fake end
    "comment": lambda rows: b"<!-- </sheetData> -->" + rows + FAR,
    "attribute": lambda rows: rows.replace(b'<c r="A1"', b'<c x="</sheetData>" r="A1"') + FAR,
    "text": lambda rows: rows + b'<row r="9"><c r="A9" t="inlineStr"><is><t>a</sheetData>b</t></is></c></row>' + FAR,
    "second r": lambda rows: rows.replace(b'<c r="A1"', b'<c r="A1" r="ZZ60"'),
    "second r later": lambda rows: rows.replace(b'<c r="A1"', b'<c r="A1" s="0"\tr =\'ZZ60\''),
    "prefixed cells": lambda rows: rows + b'<row r="60">' + b"<x:c><v>7</v></x:c>" * 702 + b"</row>",
}  # fmt: skip


@pytest.mark.parametrize("case", list(FAKE_ENDS))
def test_a_far_cell_behind_a_sheet_data_end_that_is_no_end_is_still_seen(tmp_path, case):
    book = openpyxl.Workbook()
    book.active.append(["合计", 1])
    plain, path = tmp_path / "plain.xlsx", tmp_path / "far.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as z, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "xl/worksheets/sheet1.xml":
                head, rest = data.split(b"<sheetData>")
                rows, tail = rest.split(b"</sheetData>")
                data = head + b"<sheetData>" + FAKE_ENDS[case](rows) + b"</sheetData>" + tail
                assert len(data) > len(z.read(name))
            out.writestr(name, data)
    with pytest.raises(Unreadable) as refused:
        check_extent(Package.open(path), RETURN)
    assert refused.value.args[0] == "too_far"


def test_a_return_is_read_from_disk_once_and_its_readers_share_it(tmp_path):
    from wenuan.reading.formats import shown_wan
    from wenuan.reading.workbook import _opened

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表一"
    for r in range(1, 6):
        sheet.append([f"项目{r}", r * 10000, r])
    sheet["B2"].number_format = "0!.0000"
    sheet.column_dimensions["C"].hidden = True
    sheet.row_dimensions[4].hidden = True
    path = tmp_path / "r.xlsx"
    book.save(path)
    expected = hidden_columns(path), hidden_rows(path), shown_wan(path)
    assert expected == ({"表一": {2}}, {"表一": {3}}, {"表一": {(1, 1): "0!.0000"}})

    opened, package = _opened(path, RETURN)
    path.unlink()  # what follows reads the package alone
    assert (hidden_columns(package), hidden_rows(package), shown_wan(package)) == expected
    assert opened.get_sheet_by_name("表一").to_python()[1][:2] == ["项目2", 20000]
    assert {"xl/styles.xml", "xl/workbook.xml"} <= package.parts.keys()


def test_a_small_part_seen_in_another_file_is_still_held_to_what_its_directory_says(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["合计", 1])
    honest, liar = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    book.save(honest)
    data = honest.read_bytes()
    name = b"xl/workbook.xml"
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(name)] != name:  # the central directory's entry
        entry = data.index(b"PK\x01\x02", entry + 4)
    liar.write_bytes(data[: entry + 24] + (10).to_bytes(4, "little") + data[entry + 28 :])

    first = Package.open(honest)
    check_extent(first, RETURN)  # its workbook.xml inflated, and kept
    with zipfile.ZipFile(honest) as z:
        assert first.parts["xl/workbook.xml"] == z.read("xl/workbook.xml")
    # the same stored bytes, a directory that says they hold 10: refused as before
    with pytest.raises(Unreadable) as refused:
        check_extent(Package.open(liar), RETURN)
    assert refused.value.args[0] == "too_large"
    assert Package.open(honest).read("xl/workbook.xml") == first.parts["xl/workbook.xml"]


def test_hidden_rows_and_formulas_are_read_once_a_file_and_only_when_asked(tmp_path, monkeypatch):
    from wenuan.reading import workbook

    book = openpyxl.Workbook()
    first = book.active
    first.title = "表一"
    for r in range(1, 6):
        first.append([f"项目{r}", r, "=B1*2" if r == 5 else None])
    first.row_dimensions[2].hidden = True
    book.create_sheet("表二").append(["合计", 1])
    path = tmp_path / "r.xlsx"
    book.save(path)
    asked = []
    for name in ("hidden_rows", "in_package"):
        real = getattr(workbook, name)
        monkeypatch.setattr(
            workbook, name, lambda *a, real=real, n=name: asked.append(n) or real(*a)
        )

    grids, _ = workbook.grids(path)
    assert asked == []  # nothing read until a reader asks
    assert [g.hidden_rows for g in grids] == [frozenset({1}), frozenset()]
    assert [g.hidden_rows for g in grids] == [frozenset({1}), frozenset()]
    assert grids[0].find_uncalculated() == grids[0].find_uncalculated() == frozenset({"C5"})
    assert asked == ["hidden_rows", "in_package"]
