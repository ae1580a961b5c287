"""Speed of `wenuan check-list` over a batch of real-name payment lists (not a timed test).

    python bench/lists.py [ROWS] [FILES]        (default: 100000 rows across 200 files)

Builds FILES lists of zhengzhou-2021's models-70 list (姓名, 公民身份号码, 类别, 金额, 银行卡号,
发放方式, 发放日期, 所在单位), ROWS people in all, each a distinct valid ID number and card, in a
temporary folder; then prints python-calamine's bare read of every file (the floor), the
library's check_lists over the batch, and `wenuan check-list FOLDER` start to finish as a user
runs it (target: 10 s). One planted problem a file (a card typed wrong) shows that the rows are
checked and the findings come out.
"""

import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from wenuan.forms import model as forms
from wenuan.lists import idnumbers, paylists

HEADER = [
    "序号",
    "姓名",
    "公民身份号码",
    "类别",
    "金额（元）",
    "银行卡号",
    "发放方式",
    "发放日期",
    "所在单位",
]
AREAS = ["410102", "410103", "410104", "410105", "410122", "410181", "410182", "410183"]


def person(i: int) -> tuple[str, str]:
    """The i-th distinct ID number (born 1925–1950, so 70 or more on 2021-07-01) and card."""
    born = date(1925, 1, 1) + timedelta(days=(i // 8) % 9000)
    base = f"{AREAS[i % 8]}{born:%Y%m%d}{(i // 72000) % 1000:03d}"
    card = f"622202{i:012d}"
    return base + idnumbers.check_digit(base), card + idnumbers.luhn_digit(card)


def build(rows: int, files: int, folder: Path) -> list[Path]:
    """`files` workbooks of rows/files people each (write-only openpyxl, as Excel saves them)."""
    from openpyxl import Workbook

    paths, each = [], rows // files
    for f in range(files):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("明细")
        ws.append(["70周岁及以上全国劳模慰问金发放明细"])
        ws.append([f"填报单位：第{f + 1}劳模管理单位"])
        ws.append(HEADER)
        for r in range(each):
            id_number, card = person(f * each + r)
            if r == 7:  # one card typed wrong a file
                card = card[:-1] + str((int(card[-1]) + 1) % 10)
            ws.append([r + 1, f"劳模{r}", id_number, "全国劳模", 1000, card, "银行卡",
                       "2021-05-20", "郑州煤矿"])  # fmt: skip
        ws.append(["合计", None, None, None, each * 1000])
        paths.append(folder / f"list{f:04d}.xlsx")
        wb.save(paths[-1])
    return paths


def calamine_read(paths: list[Path]) -> None:
    import python_calamine as pc

    for path in paths:
        wb = pc.CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
        wb.close()


def timed(work) -> tuple[float, float, object]:
    """Wall and CPU seconds of work(), and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = work()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def main() -> None:
    args = [int(a) for a in sys.argv[1:] if a.isdigit()]
    rows, files = (args + [100_000, 200][len(args) :])[:2]
    form = forms.get_form("zhengzhou-2021")
    paylist = form.lists[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())  # other programs slow the wall times
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}, load {load}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lists"
        folder.mkdir()
        built = time.perf_counter()
        paths = build(rows, files, folder)
        built = time.perf_counter() - built
        size = sum(p.stat().st_size for p in paths)
        print(f"lists: {rows} rows in {files} files ({size / 1e6:.1f} MB, built in {built:.1f} s)")
        floor = timed(lambda: calamine_read(paths))
        check = lambda: list(paylists.check_lists(paths, form, paylist, b"bench"))  # noqa: E731
        ours = timed(check)
        reports = ours[2]
        found = sum(len(r.findings) for r in reports)
        assert sum(r.values["rows"] for r in reports) == rows // files * files, "rows lost"
        assert found == files, [f.message for r in reports for f in r.findings][:5]
        cmd = [
            sys.executable,
            "-m",
            "wenuan",
            "check-list",
            str(folder),
            "--form",
            "zhengzhou-2021",
        ]
        cli = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, check=False))
        last = cli[2].stdout.strip().splitlines()[-1]
    print(f"{'python-calamine bare read':<30}{floor[0]:6.2f} s  (cpu {floor[1]:5.2f} s)  (floor)")
    ratio = f"= {ours[0] / floor[0]:.1f}x the floor"
    print(f"{'check_lists (library)':<30}{ours[0]:6.2f} s  (cpu {ours[1]:5.2f} s)  {ratio}")
    print(f"{'wenuan check-list FOLDER':<30}{cli[0]:6.2f} s  start to finish (target <= 10 s)")
    print(f"    {last}")


if __name__ == "__main__":
    main()
