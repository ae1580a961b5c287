"""Speed figures for wenuan, printed side by side from one run (not a timed test).

    python bench/bench.py [N]

Builds N returns of pingdingshan-2010 (the largest form: 100 values in two tables) in a
temporary folder, then prints per return: wenuan's validate, python-calamine's bare read of
every sheet (the floor), openpyxl's load_workbook; and the start-to-finish time of
`wenuan --version` and of `wenuan validate one.xlsx` as a user runs them.
"""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wenuan import forms, samples, validate, writing


def build(n: int, folder: Path) -> list[Path]:
    form = forms.get_form("pingdingshan-2010")
    header = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010-01-30"}
    first = folder / "r00000.xlsx"
    writing.save_atomically(writing.filled(form, samples.consistent(form), header), first, True)
    data = first.read_bytes()
    paths = [first]
    for i in range(1, n):  # same content, separate files: each is opened and read anew
        p = folder / f"r{i:05d}.xlsx"
        p.write_bytes(data)
        paths.append(p)
    return paths


def per_return(work, paths) -> float:
    start = time.perf_counter()
    for p in paths:
        work(p)
    return (time.perf_counter() - start) / len(paths) * 1000


def calamine_read(path: Path) -> None:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()


def openpyxl_load(path: Path) -> None:
    import openpyxl

    openpyxl.load_workbook(path).close()


def wall(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(n, Path(tmp))
        loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
        options = validate.Options()
        report = validate.validate_file(paths[0], loaded, options)
        assert report.ok and not report.findings, report.findings
        calamine_read(paths[0])  # warm the imports
        floor = per_return(calamine_read, paths)
        ours = per_return(lambda p: validate.validate_file(p, loaded, options), paths)
        opx = per_return(openpyxl_load, paths[: min(n, 200)])
        exe = [sys.executable, "-m", "wenuan"]
        version = wall([*exe, "--version"])
        one = wall([*exe, "validate", str(paths[0])])
        size = paths[0].stat().st_size
    print(f"returns: {n} (pingdingshan-2010, {size} bytes each)")
    print(f"{'python-calamine bare read':<28}{floor:8.3f} ms/return  (floor)")
    ratio = f"= {ours / floor:.1f}x the floor (target <= 4x)"
    print(f"{'wenuan validate':<28}{ours:8.3f} ms/return  {ratio}")
    print(f"{'openpyxl load_workbook':<28}{opx:8.3f} ms/return")
    print(f"{'wenuan --version':<28}{version * 1000:8.0f} ms start to finish")
    print(f"{'wenuan validate one.xlsx':<28}{one * 1000:8.0f} ms start to finish (target <= 300)")


if __name__ == "__main__":
    main()
