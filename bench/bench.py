"""Speed and memory figures for wenuan, printed side by side from one run (not a timed test).

    python bench/bench.py [N] [--consolidate 1000,10000]   (--consolidate 0: none)

Builds N returns of pingdingshan-2010 (the largest form: 100 values in two tables) in a
temporary folder, then prints per return: wenuan's validate, python-calamine's bare read of
every sheet (the floor), and validate again over N returns each from another unit (its own
name, person, date and figures); openpyxl's load_workbook; the start-to-finish time of
`wenuan --version` and of `wenuan validate one.xlsx` as a user runs them (their bytecode
compiled, as pip installs them); and for each number
of returns given, the CPU time of writing their total workbook alone (figures held in memory)
and the time and peak memory of `wenuan consolidate` over them (each unit distinct).
"""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from wenuan.checking import samples, validate
from wenuan.forms import model as forms
from wenuan.outputs import writing


def build(n: int, folder: Path, unit: str = "叶县总工会") -> list[Path]:
    form = forms.get_form("pingdingshan-2010")
    header = {"unit": unit, "person": "王芳", "phone": "0375-2916465", "date": "2010-01-30"}
    first = folder / "r00000.xlsx"
    writing.save_atomically(writing.filled(form, samples.consistent(form), header), first, True)
    data = first.read_bytes()
    paths = [first]
    for i in range(1, n):  # same content, separate files: each is opened and read anew
        p = folder / f"r{i:05d}.xlsx"
        p.write_bytes(data)
        paths.append(p)
    return paths


def build_own_layout(n: int, folder: Path) -> list[Path]:
    """N copies of a return retyped as a clerk does (samples.own_layout): both tables on one
    sheet, no codes, labels numbered, two-figure items on two rows, header fields at the bottom."""
    form = forms.get_form("pingdingshan-2010")
    header = {"unit": "叶县总工会", "person": "王芳", "phone": "0375-2916465", "date": "2010-01-30"}
    first = folder / "own00000.xlsx"
    samples.own_layout(form, samples.consistent(form), header).save(first)
    paths = [first]
    for i in range(1, n):
        paths.append(folder / f"own{i:05d}.xlsx")
        paths[-1].write_bytes(first.read_bytes())
    return paths


def per_return(work, paths) -> float:
    """ms of this process's CPU time per file: other programs on the machine do not count."""
    start = time.process_time()
    for p in paths:
        work(p)
    return (time.process_time() - start) / len(paths) * 1000


def paired(floor, work, paths, rounds: int = 5) -> tuple[float, float]:
    """ms per return of `floor` and `work`, measured in turns over a fifth of the files each,
    so that a machine busy with something else slows both alike; the medians of the rounds."""
    step = max(1, len(paths) // rounds)
    times = [
        (per_return(floor, paths[i : i + step]), per_return(work, paths[i : i + step]))
        for i in range(0, step * rounds, step)
    ]
    return statistics.median(a for a, _ in times), statistics.median(b for _, b in times)


def calamine_read(path: Path) -> None:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()


def sheet_bounds(paths) -> float:
    """ms per return of looking how far each sheet reaches (validate does, before
    python-calamine opens the file; the zip's directory read already)."""
    from wenuan.reading.extent import check_extent
    from wenuan.reading.package import Package
    from wenuan.reading.workbook import RETURN, check_container

    infos = {p: check_container(Package.open(p)) for p in paths}

    def bounds(p: Path) -> None:
        package = Package.open(p)  # the file read, as before the look
        package.infos = infos[p]
        check_extent(package, RETURN)

    return per_return(bounds, paths)


def openpyxl_load(path: Path) -> None:
    import openpyxl

    openpyxl.load_workbook(path).close()


def wall(cmd: list[str], runs: int = 5) -> float:
    """Seconds start to finish, the median of `runs`, with the bytecode an installed package
    has (pip compiles it): kept in a folder of its own, made by a first run not counted."""
    times = []
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for _ in range(runs + 1):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False, env=env)
            times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def build_units(n: int, folder: Path) -> None:
    """N returns from N distinct units: the unit's name is stamped into each copy's XML."""
    first = build(1, folder, unit="UNIT0000000")[0]
    with zipfile.ZipFile(first) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    first.unlink()
    for i in range(n):
        stamp = f"UNIT{i:07d}".encode()
        with zipfile.ZipFile(folder / f"r{i:05d}.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data.replace(b"UNIT0000000", stamp))


COUNTIES = ("叶县", "鲁山县", "郏县", "宝丰县", "舞钢市", "汝州市", "新华区", "卫东区", "湛河区")
PEOPLE = ("王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴军")


def build_distinct(n: int, folder: Path) -> list[Path]:
    """N returns of N units as a campaign brings them: each its own unit name, person, phone,
    date and figures (one of 50 consistent sets), the template's sheets retyped per return."""
    form = forms.get_form("pingdingshan-2010")
    first = build(1, folder)[0]
    with zipfile.ZipFile(first) as z:
        parts = {name: z.read(name).decode() for name in z.namelist()}
    first.unlink()
    sheets = {f"xl/worksheets/sheet{i}.xml": t for i, t in enumerate(form.tables, 1)}
    sets = [samples.consistent(form, seed) for seed in range(50)]
    paths = []
    for i in range(n):
        figures = sets[i % len(sets)]
        head = {
            "B3": f"{COUNTIES[i % len(COUNTIES)]}第{i}基层工会",
            "F3": PEOPLE[i % len(PEOPLE)],
            "B4": f"0375-{2900000 + i}",
            "F4": f"2010年1月{1 + i % 28}日",
        }
        paths.append(folder / f"u{i:05d}.xlsx")
        with zipfile.ZipFile(paths[-1], "w", zipfile.ZIP_DEFLATED) as z:
            for name, xml in parts.items():
                if name in sheets:
                    xml = _retyped(xml, sheets[name], figures, head)
                z.writestr(name, xml.encode())
    return paths


def _retyped(xml: str, table, figures, head: dict[str, str]) -> str:
    """A sheet's XML as written by `writing.filled`, its figures and header texts replaced."""
    import re

    at = {a1: ref for ref, a1 in writing.cell_positions(table).items()}

    def figure(m) -> str:
        ref = at.get(m.group(1))
        if ref is None:
            return m.group(0)
        v = figures[f"{table.id}:{ref}"]
        v = float(v) if table.cells[ref].decimals else int(v)
        return f'<c r="{m.group(1)}"{m.group(2)}><v>{v}</v></c>'

    def text(m) -> str:
        return f'<c r="{m.group(1)}"{m.group(2)}><is><t>{head[m.group(1)]}</t></is></c>'

    xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><v>[^<]*</v></c>', figure, xml)
    return re.sub(r'<c r="(B3|F3|B4|F4)"([^>]*)><is><t>[^<]*</t></is></c>', text, xml)


PEAK = (
    "import resource, sys\n"
    "from wenuan.cli import main\n"
    "sys.argv = ['wenuan', 'consolidate', sys.argv[1], '-o', sys.argv[2], '--format', 'text']\n"
    "try:\n    main()\n"
    "except SystemExit as e:\n"
    "    print('exit', e.code, 'peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
    " 'workers_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
)


def consolidate_figures(n: int) -> tuple[float, float, float, str]:
    """Seconds, peak MiB (main, largest worker) of `wenuan consolidate` over n returns."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        build_units(n, folder)
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-c", PEAK, str(folder), str(Path(tmp) / "t.xlsx")],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    words = run.stderr.split()

    def mib(word: str) -> float:
        return int(words[words.index(word) + 1]) / 1024 if word in words else float("nan")

    said = run.stdout.splitlines()[0] if run.stdout else run.stderr[-300:]
    return seconds, mib("peak_kb"), mib("workers_kb"), said


def total_figures(n: int) -> float:
    """CPU seconds to write (into memory) the total workbook of n units, from checked
    returns held in memory: the writing alone, no file read."""
    import io

    from wenuan.checking import consolidate
    from wenuan.checking.findings import FileReport

    form = forms.get_form("pingdingshan-2010")
    values = samples.consistent(form)
    reports = (
        FileReport(f"r{i:05d}.xlsx", form.id, f"UNIT{i:07d}", values=values, sha256="0" * 64)
        for i in range(n)
    )
    result = consolidate.consolidate(reports, {form.id: form}, form.id, roster=[])
    head = {"unit": form.union, "person": "汇总", "date": "2010-01-30"}
    try:
        start = time.process_time()
        writing.consolidation(result, head).save(io.BytesIO())
        return time.process_time() - start
    finally:
        result.close()


def main() -> None:
    args = [a for a in sys.argv[1:] if a.isdigit()][:1]
    n = int(args[0]) if args else 1000
    sizes = [1000, 10000]
    if "--consolidate" in sys.argv:  # --consolidate 0 skips consolidation
        sizes = [int(x) for x in sys.argv[sys.argv.index("--consolidate") + 1].split(",")]
        sizes = [x for x in sizes if x]
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(n, Path(tmp))
        loaded = {fid: forms.load_entry(e) for fid, e in forms.catalogue().items()}
        options = validate.Options()
        report = validate.validate_file(paths[0], loaded, options)
        assert report.ok and not report.findings, report.findings
        calamine_read(paths[0])  # warm the imports
        check = lambda p: validate.validate_file(p, loaded, options)  # noqa: E731
        floor, ours = paired(calamine_read, check, paths)
        (Path(tmp) / "units").mkdir()
        units = build_distinct(n, Path(tmp) / "units")  # a campaign's returns: all different
        assert validate.validate_file(units[0], loaded, options).ok
        units_floor, units_ours = paired(calamine_read, check, units)
        opx = per_return(openpyxl_load, paths[: min(n, 200)])
        extent = sheet_bounds(paths)
        own = build_own_layout(n, Path(tmp))
        report = validate.validate_file(own[0], loaded, options)
        assert report.ok and not report.findings, report.findings
        own_floor, own_ours = paired(calamine_read, check, own)
        script = Path(sys.executable).with_name("wenuan")  # as a user types it: no runpy
        exe = [str(script)] if script.exists() else [sys.executable, "-m", "wenuan"]
        version = wall([*exe, "--version"])
        one = wall([*exe, "validate", str(paths[0])])
        size = paths[0].stat().st_size
    print(f"returns: {n} (pingdingshan-2010, {size} bytes each)")
    print(f"{'python-calamine bare read':<28}{floor:8.3f} ms/return  (floor)")
    ratio = f"= {ours / floor:.1f}x the floor (target <= 2.5x)"
    print(f"{'wenuan validate':<28}{ours:8.3f} ms/return  {ratio}")
    ratio = (
        f"= {units_ours / units_floor:.1f}x its floor (each its own unit, person, date, figures)"
    )
    print(f"{'  template, distinct units':<28}{units_ours:8.3f} ms/return  {ratio}")
    print(f"{'  of which sheet bounds':<28}{extent:8.3f} ms/return  (target < 0.1)")
    print(f"{'  own layout: calamine':<28}{own_floor:8.3f} ms/return  (floor)")
    ratio = f"= {own_ours / own_floor:.1f}x its floor (target <= 3.5x; both tables on one sheet)"
    print(f"{'  own layout: validate':<28}{own_ours:8.3f} ms/return  {ratio}")
    print(f"{'openpyxl load_workbook':<28}{opx:8.3f} ms/return")
    print(f"{'wenuan --version':<28}{version * 1000:8.0f} ms start to finish")
    print(f"{'wenuan validate one.xlsx':<28}{one * 1000:8.0f} ms start to finish (target <= 250)")
    for size in sizes:
        cpu = total_figures(size)
        label = f"write total of {size} units"
        print(f"{label:<28}{cpu:8.1f} s   cpu ({cpu / size * 1000:.2f} ms/unit)")
        seconds, peak, workers, said = consolidate_figures(size)
        label = f"consolidate {size} returns"
        print(
            f"{label:<28}{seconds:8.1f} s   peak {peak:4.0f} MiB, workers {workers:4.0f} MiB"
            f"   ({said})"
        )


if __name__ == "__main__":
    main()
