"""Hostile returns and hostile places: whatever a return says, nothing lands outside the target
folder, no text becomes a formula or a template tag, and a write that fails, a pipe passed as a
return or an interrupted run ends in a plain message, never a traceback, a hang or half a file."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import hypothesis
import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from wenuan.checking import samples
from wenuan.cli import app
from wenuan.forms import model as forms
from wenuan.outputs import writing
from wenuan.words.safetext import printable

ALL = forms.Library()
EXAMPLES = Path(__file__).parents[1] / "examples"
runner = CliRunner()
SHEET = "送温暖工程统计表"


def cli(*args):
    return runner.invoke(app, [str(a) for a in args])


def ret(folder: Path, name: str, unit: str, seed: int = 0, person: str = "王芳", **kw) -> Path:
    """A consistent pingdingshan-2010 return with the header given."""
    form = ALL["pingdingshan-2010"]
    head = {"unit": unit, "person": person, "phone": "0375-2916465", "date": date(2010, 1, 28)}
    head.update(kw)
    path = folder / name
    writing.save_atomically(writing.filled(form, samples.consistent(form, seed), head), path, True)
    return path


UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


HOSTILE = {
    "dot-dot": ("../escaped", "escaped_更正通知.txt"),
    "deep-dot-dot": ("../../../../tmp/escaped", "tmp_escaped_更正通知.txt"),
    "absolute": ("/etc/cron.d/x", "etc_cron.d_x_更正通知.txt"),
    "backslash": ("..\\..\\Windows\\x", "Windows_x_更正通知.txt"),
    "drive": ("C:\\Users\\x", "C__Users_x_更正通知.txt"),
    "reserved-con": ("CON", "_CON_更正通知.txt"),
    "reserved-nul-ext": ("nul.txt", "_nul.txt_更正通知.txt"),
    "reserved-com1": ("com1", "_com1_更正通知.txt"),
    "control-chars": ("叶\x1b[31m县\x07", "叶[31m县_更正通知.txt"),  # xlsx cannot hold them
    "bidi-override": ("叶县\u202etxt.exe", "叶县_txt.exe_更正通知.txt"),
    "only-dots": ("..", "未命名_更正通知.txt"),
    "windows-forbidden": ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h_更正通知.txt"),
    "very-long": ("长" * 300, "长" * 60 + "_更正通知.txt"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_unit_name_gives_a_safe_notice_inside_the_folder(tmp_path, case):
    unit, expected = HOSTILE[case]
    returns = tmp_path / "returns"
    returns.mkdir()
    ret(returns, "r.xlsx", unit, person="")  # an error: it gets a notice
    roster = _roster(tmp_path, [])
    notices = tmp_path / "work" / "notices"
    notices.parent.mkdir()
    before = files_under(tmp_path)
    result = cli(
        "status", returns, "--form", "pingdingshan-2010", "--as-of", "2010-02-05",
        "--notices", notices, "--roster", roster,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    docx = notices / (expected.removesuffix(".txt") + ".docx")
    assert files_under(tmp_path) - before == {notices, notices / expected, docx}
    text = (notices / expected).read_text("utf-8-sig")
    assert printable(unit.replace("\x1b", "").replace("\x07", ""))[:12] in text  # xlsx drops them
    assert not UNSAFE.search(text.replace("\n", ""))


def test_control_characters_never_reach_a_file_name():
    assert writing.safe_name("叶\x1b[31m县\x07\n\x00") == "叶_[31m县"


def _roster(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "名单.txt"
    path.write_text("\n".join(names), encoding="utf-8")
    return path


def test_names_made_alike_are_numbered_and_reruns_skip_or_rewrite(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    ret(returns, "1.xlsx", "a/b", seed=1, person="")
    ret(returns, "2.xlsx", "a\\b", seed=2, person="")
    notices = tmp_path / "notices"
    args = ["status", returns, "--form", "pingdingshan-2010", "--as-of", "2010-02-05"]
    args += ["--roster", _roster(tmp_path, ["叶县"]), "--notices", notices]
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    names = sorted(p.name for p in notices.iterdir())
    assert names == [
        f"{stem}.{suffix}"
        for stem in ("a_b_更正通知(2)", "a_b_更正通知", "叶县_更正通知")
        for suffix in ("docx", "txt")
    ]
    (notices / "叶县_更正通知.txt").write_text("旧", encoding="utf-8")
    again = cli(*args)
    assert again.exit_code == 0  # goes on past every notice already there, and prints the list
    assert again.stdout.startswith("pingdingshan-2010 报送情况（截至 2010-02-05）")
    assert f"已有 {notices / '叶县_更正通知.txt'}，跳过（要重写请加 --force）\n" in again.stderr
    assert (notices / "叶县_更正通知.txt").read_text(encoding="utf-8") == "旧"
    forced = cli(*args, "--force")
    assert forced.exit_code == 0
    assert "尚未报送" in (notices / "叶县_更正通知.txt").read_text(encoding="utf-8-sig")


def test_status_on_an_empty_or_missing_folder_lists_everyone_missing(tmp_path):
    (tmp_path / "空").mkdir()
    for folder in (tmp_path / "空", tmp_path / "还没有"):
        result = cli("status", folder, "--form", "ezhou-2022", "--as-of", "2022-01-20")
        assert result.exit_code == 0
        assert result.stderr == f"没有找到报表（{folder}），按全部未报送列出\n"
        assert result.stdout.splitlines()[-1] == (
            "已报送 0，有错误 0，逾期 0，逾期且有错误 0，未报送 5"
        )


def test_status_past_the_deadline_says_how_long_ago(tmp_path):
    result = cli("status", tmp_path, "--form", "ezhou-2022", "--as-of", "2022-02-05")
    assert result.stdout.splitlines()[0] == (
        "ezhou-2022 报送情况（截至 2022-02-05），截止 2022-01-26，已截止 10 天"
    )
    en = cli("status", tmp_path, "--form", "ezhou-2022", "--as-of", "2022-01-27", "--lang", "en")
    assert en.stdout.splitlines()[0] == (
        "ezhou-2022 returns as of 2022-01-27, due 2022-01-26: closed 1 day ago"
    )


FORMULAS = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1"]


def _no_formula_anywhere(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [
        f"{ws.title}!{cell.coordinate}={cell.value}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_text_from_returns_is_never_a_formula_in_any_output(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    for i, text in enumerate(FORMULAS):
        ret(returns, f"{text[:3]}{i}.xlsx", text, seed=i, person=text, phone=text)
    total = tmp_path / "合计.xlsx"
    result = cli("consolidate", returns, "-o", total, "--allow-errors", "--unit", "=2*3")
    assert result.exit_code == 0, result.stdout + result.stderr
    filled = tmp_path / "表.xlsx"
    assert cli("render", "--form", "pingdingshan-2010", "--data", next(returns.iterdir()),
               "-o", filled).exit_code == 0  # fmt: skip
    blank = tmp_path / "空白.xlsx"
    assert cli("template", "pingdingshan-2010", "-o", blank).exit_code == 0
    marked = tmp_path / "标注.xlsx"
    cli("validate", next(returns.iterdir()), "--annotate", marked)
    for out in (total, filled, blank, marked, *returns.iterdir()):
        assert _no_formula_anywhere(out) == [], out.name
    units = openpyxl.load_workbook(total)["各单位"]
    assert sorted(units.cell(row=r, column=1).value for r in range(3, 8)) == sorted(FORMULAS)


TAGS = "{{ 111*111 }}{% for x in [1,2] %}循环{% endfor %}{{ ''.__class__ }}"


def test_template_syntax_in_a_return_reaches_the_report_as_text(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    ret(returns, "0.xlsx", TAGS, seed=0)
    ret(returns, "1.xlsx", "卫东区", seed=1)
    total = tmp_path / "合计.xlsx"
    assert cli("consolidate", returns, "-o", total).exit_code == 0
    report = tmp_path / "报告.docx"
    result = cli("render", "--form", "pingdingshan-2010", "--data", total, "--returns", returns,
                 "-o", report)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(report) as z:
        xml = z.read("word/document.xml").decode()
    text = "".join(part.split(">")[-1] for part in xml.split("</w:t>"))
    assert TAGS in text and "12321" not in text and "循环循环" not in text


def test_template_syntax_in_a_label_reaches_the_report_as_text(tmp_path):
    text = (forms.builtin_dir() / "ezhou-2022.yaml").read_text(encoding="utf-8")
    user = tmp_path / "forms"
    user.mkdir()
    label = "{{ 111*111 }}{% if true %}真{% endif %}"
    (user / "ezhou-2022.yaml").write_text(
        text.replace("label: 共筹集送温暖款物", f"label: '{label}'"), encoding="utf-8"
    )
    report = tmp_path / "报告.docx"
    result = cli("render", "--form", "ezhou-2022", "--forms", user,
                 "--data", EXAMPLES / "ezhou-2022_valid.xlsx", "-o", report)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(report) as z:
        xml = z.read("word/document.xml").decode()
    text = "".join(part.split(">")[-1] for part in xml.split("</w:t>"))
    assert label in text and "12321" not in text


def test_output_suffix_is_checked_before_any_work(tmp_path):
    returns = tmp_path / "r"
    returns.mkdir()
    ret(returns, "0.xlsx", "叶县")
    cases = [
        (("template", "ezhou-2022", "-o", tmp_path / "合计"), "合计", "合计.xlsx"),
        (("template", "ezhou-2022", "-o", tmp_path / "空白.xls"), "空白.xls", "空白.xlsx"),
        (("consolidate", returns, "-o", tmp_path / "合计"), "合计", "合计.xlsx"),
        (("validate", returns / "0.xlsx", "--annotate", tmp_path / "x.xls"), "x.xls", "x.xlsx"),
    ]
    for args, name, example in cases:
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr == (
            f"错误：输出文件 {tmp_path / name} 须以 .xlsx 结尾，例如 "
            f"{tmp_path / example if name == '合计' else example}\n"
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_outputs_honour_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        assert cli("template", "ezhou-2022", "-o", tmp_path / "a.xlsx").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "a.xlsx").stat().st_mode & 0o777 == 0o666 & ~mask


def test_annotate_takes_one_file_and_marks_the_suggested_cell(tmp_path):
    folder = tmp_path / "批"
    folder.mkdir()
    for name in ("pingdingshan-2010_identity.xlsx", "pingdingshan-2010_valid.xlsx"):
        shutil.copy(EXAMPLES / name, folder / name)
    out = tmp_path / "标注.xlsx"
    refused = cli("validate", folder, "--annotate", out)
    assert refused.exit_code == 2
    assert refused.stderr == "错误：--annotate 只能用于一个文件，这次有 2 个；请逐个标注\n"
    assert not out.exists()
    result = cli("validate", folder / "pingdingshan-2010_identity.xlsx", "--annotate", out)
    assert result.exit_code == 1
    ws = openpyxl.load_workbook(out)[SHEET]
    marked = {c.coordinate for row in ws.iter_rows() for c in row if c.comment}
    assert marked == {"E19", "E20"}  # the total the rule names, and the part most likely wrong
    assert "最可能是贵单位报表第 20 行“政府拨款”（E20）填错" in ws["E20"].comment.text


def test_render_with_missing_data_is_a_usage_error(tmp_path):
    result = cli("render", "--form", "ezhou-2022", "--data", tmp_path / "missing.xlsx",
                 "-o", tmp_path / "x.xlsx")  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        2, f"错误：无法从 {tmp_path / 'missing.xlsx'} 取得数据：missing.xlsx 不存在\n"
    )  # fmt: skip


# ---- places that refuse a write ----------------------------------------------------------


def _template_to(target: Path, *extra):
    return cli("template", "ezhou-2022", "-o", target, *extra)


LOCKED = "文件正被其他程序打开或没有权限（请在 Excel 或 WPS 中关闭它，或换一个文件夹）"


def test_missing_folder_and_a_path_through_a_file(tmp_path):
    (tmp_path / "叶县.xlsx").write_bytes(b"x")
    through = tmp_path / "叶县.xlsx" / "x.xlsx"
    result = _template_to(through)
    assert (result.exit_code, result.stderr) == (
        2, f"错误：无法写入 {through}：{tmp_path / '叶县.xlsx'} 是文件，不是文件夹\n"
    )  # fmt: skip
    nowhere = tmp_path / "没有" / "x.xlsx"
    result = _template_to(nowhere)
    assert (result.exit_code, result.stderr) == (
        2, f"错误：无法写入 {nowhere}：文件夹 {tmp_path / '没有'} 不存在\n"
    )  # fmt: skip


@contextlib.contextmanager
def _immutable(path: Path):
    """`chattr +i`: refuses writes even to root, as a file open in Excel does on Windows."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr on this machine")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_locked_file_and_locked_folder_are_plain_errors(tmp_path):
    target = tmp_path / "空白.xlsx"
    assert _template_to(target).exit_code == 0
    with _immutable(target):
        result = _template_to(target, "--force")
    assert (result.exit_code, result.stderr) == (2, f"错误：无法写入 {target}：{LOCKED}\n")
    folder = tmp_path / "锁"
    folder.mkdir()
    with _immutable(folder):
        result = _template_to(folder / "x.xlsx")
        notices = cli("status", tmp_path / "无", "--form", "ezhou-2022", "--notices", folder)
    assert (result.exit_code, result.stderr) == (
        2,
        f"错误：无法写入 {folder / 'x.xlsx'}：{LOCKED}\n",
    )
    assert notices.exit_code == 2 and LOCKED in notices.stderr
    assert list(folder.iterdir()) == []


@contextlib.contextmanager
def _tmpfs(where: Path, size: str, *options: str):
    where.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_is_a_plain_error_and_leaves_nothing(tmp_path):
    with _tmpfs(tmp_path / "满", "16k") as disk:
        (disk / "占位").write_bytes(b"x" * 12 * 1024)
        result = _template_to(disk / "x.xlsx")
        left = [p.name for p in disk.iterdir()]
    assert (result.exit_code, result.stderr) == (
        2, f"错误：无法写入 {disk / 'x.xlsx'}：磁盘已满\n"
    )  # fmt: skip
    assert left == ["占位"]


def test_read_only_disk_is_a_plain_error(tmp_path):
    with _tmpfs(tmp_path / "只读", "1m", "ro") as disk:
        result = _template_to(disk / "x.xlsx")
    assert (result.exit_code, result.stderr) == (
        2, f"错误：无法写入 {disk / 'x.xlsx'}：磁盘或文件夹是只读的\n"
    )  # fmt: skip


# ---- pipes, devices, interruptions, two runs at once --------------------------------------


def _wenuan(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "wenuan", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        **kw,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_pipe_or_a_device_as_a_return_is_refused_unread(tmp_path):
    fifo = tmp_path / "x.xlsx"
    os.mkfifo(fifo)
    result = _wenuan("validate", fifo, "/dev/zero")  # a hang would hit the timeout
    assert result.returncode == 1
    assert "x.xlsx 不是普通文件（可能是管道或设备），未读取" in result.stdout
    assert "zero 不是普通文件（可能是管道或设备），未读取" in result.stdout
    total = _wenuan("consolidate", fifo, EXAMPLES / "ezhou-2022_valid.xlsx")
    assert total.returncode == 1 and "x.xlsx 无法汇总" in total.stdout
    data = _wenuan("render", "--form", "ezhou-2022", "--data", fifo, "-o", tmp_path / "o.xlsx")
    assert data.returncode == 2


def _many_returns(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        ret(folder, f"{i:03}.xlsx", f"单位{i}", seed=i)
    return folder


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory) -> Path:
    """Enough returns to be checked on every core, made once for the module."""
    from wenuan.checking.validate import PARALLEL_FROM

    return _many_returns(tmp_path_factory.mktemp("big") / "r", PARALLEL_FROM + 4)


@pytest.mark.parametrize(
    "sig, delays",
    [(signal.SIGINT, (0.5, 0.9, 1.6)), (signal.SIGKILL, (0.4,))],
    ids=["SIGINT", "SIGKILL"],
)
def test_interrupted_consolidate_leaves_no_partial_output_nor_temp_files(
    tmp_path, big_batch, sig, delays
):
    # SIGKILL lands while the returns are checked, where a run spends its time: wenuan's own
    # temporary files have no name on disk then. (openpyxl names its own while it saves, for a
    # moment at the end; Ctrl-C removes them, a kill at that moment cannot.)
    returns = big_batch
    out_dir, tmp = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp)}
    for delay in delays:
        out = out_dir / f"合计{delay}.xlsx"
        run = subprocess.Popen(
            [sys.executable, "-m", "wenuan", "consolidate", str(returns), "-o", str(out),
             "--allow-errors"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        time.sleep(delay)
        run.send_signal(sig)
        _, err = run.communicate(timeout=60)
        assert run.returncode in (0, 130, -sig), err  # -sig: the signal came as Python exited
        assert "内部错误" not in err.decode()
        if out.exists():  # finished before the signal: then whole
            assert openpyxl.load_workbook(out).sheetnames[0] == SHEET
        assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []
        assert list(tmp.iterdir()) == []


@pytest.mark.skipif(
    (os.cpu_count() or 1) < 2, reason="one core: returns are checked in one process"
)
def test_killed_consolidate_of_a_big_batch_leaves_no_workers_behind(tmp_path, big_batch):
    returns = big_batch  # checked on every core
    run = subprocess.Popen(
        [sys.executable, "-m", "wenuan", "consolidate", str(returns), "-o", str(tmp_path / "o.xlsx")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    time.sleep(0.7)
    run.kill()
    try:  # workers still holding stderr would keep this waiting: they end with their parent
        run.communicate(timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(run.pid, signal.SIGKILL)
    assert not (tmp_path / "o.xlsx").exists() or openpyxl.load_workbook(tmp_path / "o.xlsx")


@pytest.mark.parametrize("force", [False, True], ids=["exclusive", "forced"])
def test_two_runs_writing_one_output_at_once(tmp_path, force):
    returns = _many_returns(tmp_path / "r", 6)
    out = tmp_path / "合计.xlsx"
    args = [sys.executable, "-m", "wenuan", "consolidate", str(returns), "-o", str(out)]
    args += ["--allow-errors"] + (["--force"] if force else [])
    runs = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(2)]  # fmt: skip
    codes = sorted(r.wait(timeout=60) for r in runs)
    errors = [r.stderr.read().decode() for r in runs]
    assert codes == ([0, 0] if force else [0, 2]), errors
    if not force:
        assert f"错误：{out} 已存在；要覆盖请加 --force\n" in errors
    units = openpyxl.load_workbook(out)["各单位"]
    assert units.max_row == 9  # two heading rows, six units, the total
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r", "合计.xlsx"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_rosters_and_calendars_that_cannot_be_read_are_usage_errors(tmp_path):
    (tmp_path / "乱码.txt").write_bytes(b"\xff\xfe\x00bad")
    os.mkfifo(tmp_path / "管道.txt")
    valid = EXAMPLES / "ezhou-2022_valid.xlsx"
    expected = {
        "没有.txt": "没有.txt 不存在",
        "乱码.txt": "不是 UTF-8 文本（请在记事本中“另存为”，编码选 UTF-8）",
        "管道.txt": "管道.txt 不是普通文件（可能是管道或设备），未读取",
    }
    for name, why in expected.items():
        roster = _wenuan("consolidate", valid, "--roster", tmp_path / name)
        assert (roster.returncode, roster.stderr) == (
            2, f"错误：名单文件 {tmp_path / name} 无法读取：{why}\n"
        )  # fmt: skip
        calendar = _wenuan("status", valid, "--form", "ezhou-2022", "--calendar", tmp_path / name)
        assert (calendar.returncode, calendar.stderr) == (2, f"错误：节假日文件有误：{why}\n")


# ---- workbooks that ask for more than a return can hold ----------------------------------

VALID = EXAMPLES / "pingdingshan-2010_valid.xlsx"  # 16 kB, 45 rows on its first sheet
FIRST = "xl/worksheets/sheet1.xml"


def _edited(src: Path, dst: Path, edit, part: str = FIRST) -> Path:
    """A copy of the workbook `src` with one part's bytes changed by `edit`."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, edit(data) if info.filename == part else data)
    return dst


def _in_first_row(cells: str):
    return lambda xml: xml.replace(b"</row>", cells.encode() + b"</row>", 1)


def _new_row(row: str, cells: str):
    return lambda xml: xml.replace(b"</sheetData>", f"{row}{cells}</row></sheetData>".encode())


def _far_message(name: str, cell: str, sheet: str = SHEET, rows=5000, columns=200) -> str:
    return (
        f"{name} 的工作表“{sheet}”在 {cell} 还有内容，超出一张表能读取的范围"
        f"（最多 {rows} 行、{columns} 列），未读取；请删去表格以外的内容后另存再发送"
    )


FAR = {  # (edit, the far cell named); each of these read whole aborts or takes seconds and GBs
    "ZZZZZ": (_in_first_row('<c r="ZZZZZ1"><v>1</v></c>'), "ZZZZZ1"),  # calamine: 17.8 GB, abort
    "XFD4999": (_new_row('<row r="4999">', '<c r="XFD4999"><v>1</v></c>'), "XFD4999"),
    "lying-dimension": (_in_first_row('<c r="GS1" t="inlineStr"><is><t>x</t></is></c>'), "GS1"),
    "no-dimension-row-6000": (
        lambda xml: _new_row('<row r="6000">', '<c r="A6000"><v>1</v></c>')(
            xml.replace(b'<dimension ref="A1:H45"/>', b"")
        ),
        "A6000",
    ),
    "cells-without-r": (_new_row('<row r="46">', "<c><v>1</v></c>" * 201), "GS46"),
    "lowercase-quoted": (_in_first_row("<c r = 'zz1'><v>1</v></c>"), "ZZ1"),
}


@pytest.mark.parametrize("case", list(FAR))
def test_a_value_far_out_is_one_finding_before_calamine_sees_it(tmp_path, case):
    edit, cell = FAR[case]
    path = _edited(VALID, tmp_path / f"{case}.xlsx", edit)
    start = time.monotonic()
    result = _wenuan("validate", path)  # one file: read in wenuan's own process
    assert time.monotonic() - start < 20  # XFD4999 read whole: 10 s and 3.2 GB
    assert result.returncode == 1, result.stderr
    assert f"    ✗ 错误  {_far_message(path.name, cell)}\n" in result.stdout


@pytest.mark.parametrize(
    "edit",
    [
        _new_row('<row r="4999">', '<c r="XFD4999" s="1"/>'),  # a format, no value
        lambda xml: xml.replace(b'ref="A1:H45"', b'ref="A1:XFD1048576"'),  # claims, holds nothing
    ],
    ids=["empty-cell-far-out", "wide-dimension"],
)
def test_what_holds_no_value_far_out_is_not_refused(tmp_path, edit):
    path = _edited(VALID, tmp_path / "r.xlsx", edit)
    result = cli("validate", path)
    assert result.exit_code == 0, result.stdout
    assert "通过" in result.stdout


def _ods(path: Path, rows: str) -> Path:
    """A LibreOffice spreadsheet of one table 表1 holding `rows` (table:table-row elements)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="表1">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _ods_cell(repeat: str = "") -> str:
    return (
        f'<table:table-cell {repeat} office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell>"
    )


def test_an_ods_value_repeated_far_out_is_a_finding_and_empty_repeats_are_not(tmp_path):
    wide = _ods(
        tmp_path / "宽.ods",
        "<table:table-row>" + _ods_cell('table:number-columns-repeated="1000000"')
        + "</table:table-row>",
    )  # fmt: skip
    tall = _ods(
        tmp_path / "高.ods",
        '<table:table-row table:number-rows-repeated="2000000">' + _ods_cell()
        + "</table:table-row>",
    )  # fmt: skip
    as_libreoffice_writes = _ods(  # empty cells to column 16384, empty rows to row 1048576
        tmp_path / "常.ods",
        "<table:table-row>" + _ods_cell()
        + '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    )  # fmt: skip
    result = _wenuan("validate", wide, tall, as_libreoffice_writes)
    assert result.returncode == 1
    assert _far_message("宽.ods", "BDWGN1", "表1") in result.stdout
    assert _far_message("高.ods", "A2000000", "表1") in result.stdout
    assert "认不出 常.ods 是哪个表式" in result.stdout  # read, not refused


@pytest.fixture(scope="module")
def as_xls(tmp_path_factory) -> Path:
    """pingdingshan-2010_valid as LibreOffice saves it in .xls (BIFF8)."""
    from clerk_layouts import convert, soffice

    if not soffice():
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("xls")
    return convert(shutil.copy(VALID, folder / "r.xlsx"), "xls")


def _biff_edited(src: Path, dst: Path, kind: int, edit) -> Path:
    """A copy of the xls `src` whose first record of `kind` has its body changed by `edit`."""
    import struct

    import olefile

    shutil.copy(src, dst)
    with olefile.OleFileIO(str(dst), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        i = 0
        while True:
            found, size = struct.unpack_from("<HH", data, i)
            if found == kind:
                edit(data, i + 4)
                break
            i += 4 + size
        ole.write_stream("Workbook", bytes(data))
    return dst


def test_an_xls_claiming_huge_dimensions_or_a_value_far_out_is_a_finding(tmp_path, as_xls):
    import struct

    # DIMENSIONS: calamine reserves its rows x columns (here 2.6 TB: an abort)
    dims = _biff_edited(
        as_xls, tmp_path / "大.xls", 0x0200,
        lambda d, at: struct.pack_into("<IIHH", d, at, 0, 1_000_000, 0, 65535),
    )  # fmt: skip
    far = _biff_edited(  # a text cell (LABELSST) moved to column 60,001 of its row
        as_xls, tmp_path / "远.xls", 0x00FD, lambda d, at: struct.pack_into("<HH", d, at, 0, 60000)
    )  # fmt: skip
    result = _wenuan("validate", dims, far, as_xls)
    assert result.returncode == 1, result.stderr
    assert _far_message("大.xls", "CRXO1000000") in result.stdout
    assert _far_message("远.xls", "CJSS1") in result.stdout
    assert "r.xls  pingdingshan-2010  叶县  通过" in result.stdout


# ---- a file that ends the process reading it ----------------------------------------------

SITE = """
import os, time
from wenuan.reading import workbook
import wenuan.workers
real = workbook.check_container
def check_container(package, bounds=workbook.RETURN):
    path = package.path
    if path.name == os.environ.get("WENUAN_TEST_ABORT"):
        os.abort()  # as python-calamine does when an allocation fails
    if path.name == os.environ.get("WENUAN_TEST_HANG"):
        time.sleep(600)
    if path.name == os.environ.get("WENUAN_TEST_GREEDY"):
        b"x" * (3 << 30)  # past the worker's memory limit
    return real(package, bounds)
workbook.check_container = check_container
wenuan.workers.SECONDS = 3.0
"""


def _with_site(tmp_path: Path, **env) -> dict:
    """An environment whose Python processes (wenuan and its workers) run SITE first."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITE, encoding="utf-8")
    paths = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **env}


@pytest.mark.parametrize("how", ["ABORT", "HANG", "GREEDY"])
def test_a_file_that_ends_its_worker_is_that_files_finding_and_the_batch_goes_on(tmp_path, how):
    if how == "GREEDY" and not hasattr(os, "fork"):
        pytest.skip("no memory limit for workers on this system")
    folder = tmp_path / "r"
    folder.mkdir()
    for name in ("a.xlsx", "炸.xlsx", "c.xlsx"):
        shutil.copy(VALID, folder / name)
    start = time.monotonic()
    result = _wenuan(
        "validate", folder, env=_with_site(tmp_path, **{f"WENUAN_TEST_{how}": "炸.xlsx"})
    )
    assert time.monotonic() - start < 40
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"✓ {folder / 'a.xlsx'}  pingdingshan-2010  叶县  通过",
        f"✓ {folder / 'c.xlsx'}  pingdingshan-2010  叶县  通过",
        f"✗ {folder / '炸.xlsx'}  ?  1 个错误，0 个警告",
        "  【表头与文件】",
        "    ✗ 错误  炸.xlsx 无法读取：读取它的进程异常退出（文件可能已损坏，或大得超出了读取的限度）；"
        "请在 Excel 或 WPS 中打开检查后另存再发送",
        "共 3 个文件：2 个通过，1 个有错误",
    ]


# ---- fuzzing: mutated zip parts and sheet XML through the CLI, in batches ----------------

_REF = st.tuples(
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz", min_size=0, max_size=5),
    st.integers(0, 10**9).map(str) | st.sampled_from(["", "0", "00001", "-1", "1e3"]),
).map("".join)
_PIECE = st.sampled_from(
    [b"", b"<", b">", b'"', b"<c>", b"<c/>", b"<row>", b"</row>", b"</sheetData>", b"<v>1</v>",
     b'<c r="', b"<![CDATA[", b"&#0;", b"\x00", b"\xff\xfe", b"<c>" * 300]
)  # fmt: skip
_SHEET_EDIT = st.one_of(
    st.tuples(st.just("ref"), st.integers(0, 10**6), _REF),  # the n-th cell's r= changed
    st.tuples(st.just("cell"), st.integers(0, 10**6), _REF),  # a value cell put at a place
    st.tuples(st.just("cut"), st.integers(0, 10**6), st.integers(0, 4096)),  # a slice gone
    st.tuples(st.just("put"), st.integers(0, 10**6), _PIECE),  # a piece of markup put in
    st.tuples(st.just("repeat"), st.integers(0, 10**6), st.integers(2, 2000)),  # a row copied
)
_ZIP_EDIT = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 20)),  # a part left out
    st.tuples(st.just("truncate"), st.integers(0, 20), st.integers(0, 10_000)),
    st.tuples(st.just("garble"), st.integers(0, 20), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("stored"), st.integers(0, 20)),  # a part not compressed
)
_MUTANT = st.tuples(st.lists(_SHEET_EDIT, max_size=4), st.lists(_ZIP_EDIT, max_size=2))


def _mutate_sheet(xml: bytes, edits) -> bytes:
    import re

    for kind, n, arg in edits:
        at = n % (len(xml) + 1)
        if kind == "ref":
            refs = list(re.finditer(rb'<c r="([^"]*)"', xml))
            if refs:
                m = refs[n % len(refs)]
                xml = xml[: m.start(1)] + arg.encode() + xml[m.end(1) :]
        elif kind == "cell":
            xml = xml.replace(b"</row>", f'<c r="{arg}"><v>7</v></c></row>'.encode(), 1)
        elif kind == "cut":
            xml = xml[:at] + xml[at + arg :]
        elif kind == "put":
            xml = xml[:at] + arg + xml[at:]
        else:
            rows = list(re.finditer(rb"<row\b.*?</row>", xml))
            if rows:
                m = rows[n % len(rows)]
                xml = xml[: m.end()] + m.group() * arg + xml[m.end() :]
    return xml


def _mutant(path: Path, sheet_edits, zip_edits) -> Path:
    with zipfile.ZipFile(VALID) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    parts = [(i, _mutate_sheet(d, sheet_edits) if i.filename == FIRST else d) for i, d in parts]
    for kind, n, *arg in zip_edits:
        k = n % len(parts)
        info, data = parts[k]
        if kind == "drop":
            parts.pop(k)
        elif kind == "truncate":
            parts[k] = (info, data[: arg[0]])
        elif kind == "garble":
            parts[k] = (info, data[: len(data) // 2] + arg[0] + data[len(data) // 2 :])
        else:
            info.compress_type = zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info.filename, data, info.compress_type)
    return path


@settings(
    max_examples=8,
    deadline=None,
    phases=[
        Phase.explicit,
        Phase.reuse,
        Phase.generate,
    ],  # a run of wenuan is seconds: no shrinking
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(_MUTANT, min_size=4, max_size=4))
@hypothesis.example([([("ref", 0, "-1")], []), ([("cell", 0, "ZZZZZ1")], []), ([], [("stored", 3)]),
          ([("repeat", 7, 2000)], [("garble", 3, b"<c>")])])  # fmt: skip
def test_mutated_returns_end_in_a_finding_or_a_pass_never_a_signal(tmp_path_factory, mutants):
    import json
    import resource

    from wenuan.workers import MEMORY

    folder = tmp_path_factory.mktemp("fuzz")
    for i, (sheet_edits, zip_edits) in enumerate(mutants):
        _mutant(folder / f"{i}.xlsx", sheet_edits, zip_edits)
    _mutant(folder / "4.xlsx", [], [])  # the return itself: the batch has one that passes
    result = _wenuan("validate", folder, "--format", "json")
    assert result.returncode in (0, 1), result.stderr  # negative: a signal; 3: a bug
    reports = json.loads(result.stdout)["files"]
    assert [Path(r["path"]).name for r in reports] == [f"{i}.xlsx" for i in range(5)]
    assert reports[4]["ok"] and reports[4]["findings"] == []
    died = [r["path"] for r in reports for f in r["findings"] if "进程异常退出" in f["message"]]
    assert died == []  # no input ended the process reading it
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 < MEMORY


# ---- LibreOffice in a box ------------------------------------------------------------------


@pytest.fixture
def stuck_office(tmp_path, monkeypatch):
    """A `soffice` first on PATH that starts a child spinning for ever and never ends: it notes
    its process group, where the one it was started in is noted in `started`."""
    folder = tmp_path / "bin"
    folder.mkdir()
    started = tmp_path / "started"
    fake = folder / "soffice"
    fake.write_text(
        f"#!/bin/sh\nps -o pgid= -p $$ > {started}\nsh -c 'while :; do :; done' &\nsleep 1000\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return started


def _alive_in_group(pgid: int) -> list[str]:
    """The processes of a group that still run (a zombie waits for its reaper, it runs no more)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(stat.parent.name)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see processes")
def test_a_conversion_that_never_ends_leaves_no_process_running(
    tmp_path, stuck_office, monkeypatch
):
    from wenuan.outputs import render
    from wenuan.reading import word

    monkeypatch.setattr(word, "CONVERT_SECONDS", 1)
    monkeypatch.setattr(render, "PDF_SECONDS", 1)
    doc = tmp_path / "叶县.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 1000)
    began = time.monotonic()
    result = cli("validate", doc, "--form", "pingdingshan-2010")
    assert result.exit_code == 1 and "叶县.doc" in result.stdout
    pgid = int(stuck_office.read_text())
    assert _alive_in_group(pgid) == []
    pdf = cli("render", "--form", "ezhou-2022", "-o", tmp_path / "r.pdf")
    assert (pdf.exit_code, pdf.stderr) == (
        2,
        "错误：LibreOffice 未能生成 PDF：1 秒内未完成，已停止\n",
    )
    assert int(stuck_office.read_text()) != pgid  # the second conversion, in its own group
    assert _alive_in_group(int(stuck_office.read_text())) == []
    assert time.monotonic() - began < 30
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_a_huge_word_file_is_refused_before_any_copy(tmp_path, stuck_office, suffix):
    huge = tmp_path / f"大{suffix}"
    with open(huge, "wb") as f:
        f.truncate(1 << 30)  # sparse: a gigabyte that takes no room
    began = time.monotonic()
    result = cli("validate", huge, "--form", "pingdingshan-2010")
    assert time.monotonic() - began < 5
    assert result.exit_code == 1
    assert f"{huge.name} 过大或解压后过大，不像统计表" in result.stdout
    assert not stuck_office.exists()  # LibreOffice never started
