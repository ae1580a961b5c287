"""The `wenuan` command: each command parses options, calls the library once, prints."""

from datetime import date
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from wenuan import __version__
from wenuan.errors import WenuanError
from wenuan.words.messages import set_lang
from wenuan.words.safetext import json_text, printable, shown

SHARED = ("--lang", "--format", "--forms")  # taken before the command as well as after it


def _hoisted(args: list[str]) -> list[str]:
    """`wenuan --lang en validate …` as `wenuan validate --lang en …`: the shared options may
    come before the command."""
    before, i = [], 0
    while i < len(args) and args[i].startswith("-"):
        name = args[i].split("=", 1)[0]
        if name not in SHARED:
            return args[i:]  # --version, -h: the group's own (the language is already set)
        takes = 1 if "=" in args[i] else 2
        before += args[i : i + takes]
        i += takes
    if i == len(args):
        return []  # no command: the help, in that language
    return args[i : i + 1] + before + args[i + 1 :]


def _language_of(args: list[str]) -> None:
    """Set the language from --lang before parsing, so usage errors are in it too."""
    import os

    lang = os.environ.get("WENUAN_LANG")
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    set_lang(lang if lang in ("zh", "en") else "zh")


def _columns(text: str) -> int:
    """The columns a text takes on a terminal: a Chinese character takes two."""
    import unicodedata

    from typer._click._compat import strip_ansi

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in strip_ansi(text))


typer._click.formatting.term_len = _columns  # click counts characters: help columns drift


class _Translated:
    """Help and usage in the user's language (typer and click write them in English)."""

    def get_help(self, ctx) -> str:
        from wenuan.words.messages import framework

        return framework(super().get_help(ctx))

    def get_usage(self, ctx) -> str:
        from wenuan.words.messages import framework

        return framework(super().get_usage(ctx))


class _Command(_Translated, typer.core.TyperCommand):
    """A command of `wenuan`."""


class _Group(_Translated, typer.core.TyperGroup):
    """The `wenuan` group: shared options anywhere, framework words translated, -h for help."""

    def format_commands(self, ctx, formatter) -> None:
        rows = [
            (name, (cmd.help or "").strip().splitlines()[0]) for name, cmd in self.commands.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)  # wrapped, never cut short

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        import io
        import sys

        from typer._click.exceptions import ClickException

        from wenuan.words.messages import framework

        args = list(sys.argv[1:] if args is None else args)
        _language_of(args)
        args = _hoisted(args)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as e:
            if not standalone_mode:
                raise
            shown = io.StringIO()
            e.show(file=shown)
            _echo(framework(shown.getvalue()), err=True, nl=False)
            sys.exit(e.exit_code)
        except typer.Abort:
            _echo(framework("Aborted!"), err=True)
            sys.exit(130)
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Group,
    help="送温暖统计表：表式、校验、汇总、报告。Statistics returns of 送温暖 campaigns.",
    epilog="--lang、--format、--forms 可写在命令之前或之后。 -h 显示各命令的帮助。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
command = partial(app.command, cls=_Command)


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


FormatOpt = Annotated[
    Format,
    typer.Option("--format", metavar="text|json", help="输出格式 text 或 json。Output format."),
]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang", metavar="zh|en", envvar="WENUAN_LANG", help="消息语言 zh 或 en。Message language."
    ),
]
FormsOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option(
        "--forms", metavar="文件夹", help="另加的表式目录（可多次）。Extra directory of form files."
    ),
]


def _version(value: bool):
    if value:
        _echo(f"wenuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本。Show version."),
    ] = False,
):
    """送温暖统计表工具 wenuan."""


def _echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Print wenuan's lines: a control or bidi character left in them is shown as an escape."""
    typer.echo(printable(text, lines=True), err=err, nl=nl)


def _print_json(data) -> None:
    _echo(json_text(data))


def _fail(err: WenuanError, code: int = 2):
    _echo(f"错误：{err}" if _lang_is_zh() else f"Error: {err}", err=True)
    raise typer.Exit(code)


def _lang_is_zh() -> bool:
    from wenuan.words.messages import get_lang

    return get_lang() == "zh"


@command("forms")
def forms_cmd(
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """列出可用的表式。List the forms: id, city, title, tables, next deadline."""
    from wenuan.forms import model as forms_mod
    from wenuan.words import present

    set_lang(lang.value)
    try:
        entries = forms_mod.catalogue(forms)
        loaded = {fid: forms_mod.load_entry(e) for fid, e in entries.items()}
    except WenuanError as e:
        _fail(e)
    rows = present.forms_data(entries, loaded, date.today())
    if format is Format.json:
        _print_json(rows)
    else:
        _echo(present.forms_text(rows))


@command("show")
def show_cmd(
    form: Annotated[
        str, typer.Argument(metavar="表式", help="表式编号，如 pingdingshan-2010。Form id.")
    ],
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """显示一个表式：项目、规则及依据、截止时间。Show a form's items, rules and deadlines."""
    from wenuan.forms import model as forms_mod
    from wenuan.words import present

    set_lang(lang.value)
    try:
        loaded = forms_mod.get_form(form, forms)
    except WenuanError as e:
        _fail(e)
    data = present.form_data(loaded)
    if format is Format.json:
        _print_json(data)
    else:
        _echo(present.form_text(data))


@command("template")
def template_cmd(
    form: Annotated[str, typer.Argument(metavar="表式", help="表式编号。Form id.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="文件", help="写出的 xlsx 文件。Output xlsx.")
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。Overwrite.")] = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """写出空白的填报工作簿。Write a blank fillable workbook for a form."""
    from wenuan.forms import model as forms_mod
    from wenuan.outputs import writing

    set_lang(lang.value)
    try:
        writing.check_target(output, force)
        writing.save_atomically(writing.template(forms_mod.get_form(form, forms)), output, force)
    except WenuanError as e:
        _fail(e)
    _written(output, format)


def path_option(*flags: str, **kw):
    """An optional file or folder option (None when not given): `typer.Option` arguments."""
    return Annotated[Optional[Path], typer.Option(*flags, **kw)]  # noqa: UP045


PathsArg = Annotated[
    list[Path],
    typer.Argument(metavar="文件或文件夹…", help="报表文件或文件夹。Return files or folders."),
]
FormOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option(
        "--form", metavar="表式", help="指定表式（否则自动识别）。Form id (else recognized)."
    ),
]
FormNeeded = Annotated[str, typer.Option("--form", metavar="表式", help="表式编号。Form id.")]
RosterOpt = path_option(
    "--roster", metavar="文件", help="报送单位名单（txt 每行一个，或 xlsx 第一列）。Roster."
)
CalendarOpt = path_option(
    "--calendar", metavar="文件", help="补充的节假日（每行 2027-02-06 班 或 休）。Extra days."
)
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已有文件。Overwrite.")]


def _library(forms: list[Path] | None, form: str | None):
    """The forms, and the id of the form named on the command line (by id, or city and year)."""
    from wenuan.forms.model import Library

    loaded = Library(forms)
    return loaded, loaded.resolve(form) if form else None


def _annotate_one(paths: list[Path], target: Path, force: bool) -> None:
    """--annotate makes one marked copy: of one return, named on the command line."""
    from wenuan.checking import validate
    from wenuan.outputs import writing

    files = validate.collect(paths)
    if len(files) != 1:
        raise WenuanError("annotate_one", n=len(files))
    suffix = files[0].suffix.lower()
    writing.check_target(target, force, (suffix,) if suffix in writing.ANNOTATED else writing.XLSX)


def _day(text: str | None) -> date | None:
    from wenuan.reading.dates import parse_date

    if text is None:
        return None
    if (day := parse_date(text)) is None:
        raise WenuanError("bad_received", text=text)
    return day


def _calendar(path: Path | None):
    from wenuan.checking.validate import input_problem
    from wenuan.forms import deadlines
    from wenuan.words.messages import t

    if path and (why := input_problem(path)):
        raise WenuanError("bad_calendar", detail=why)
    try:
        return deadlines.load_calendar(path) if path else None
    except UnicodeDecodeError:
        raise WenuanError("bad_calendar", detail=t("not_utf8")) from None
    except (OSError, ValueError) as e:
        raise WenuanError("bad_calendar", detail=str(e)) from None


def _roster(path: Path | None):
    from wenuan.forms.roster import read_roster

    return read_roster(path) if path else None


def _checked(paths: list[Path], loaded, options, empty_ok: bool = False):
    """The files named and, as they are checked (on every core for a big batch), their reports."""
    from wenuan.checking import validate

    files = validate.collect(paths, empty_ok)
    return files, _progress(validate.check_all(files, loaded, options), len(files))


@command("validate")
def validate_cmd(
    paths: PathsArg,
    form: FormOpt = None,
    received: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--received", metavar="日期", help="收到日期，如 2022-01-26。Date received."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="警告也算不通过。Warnings fail.")
    ] = False,
    annotate: path_option(
        "--annotate", metavar="文件.xlsx", help="写出标注了错误的副本（xlsx）。Annotated copy."
    ) = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="列出每项数值取自哪个单元格、怎样认出。Show what was read."),
    ] = False,
    calendar: CalendarOpt = None,
    previous: path_option(
        "--previous", help="上年的报表目录，对比数值。Last year's returns."
    ) = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """检查报表，指出错在哪里、怎么改。Check returns: what is wrong, where, the likely fix."""
    from wenuan.checking import screen, validate
    from wenuan.checking.findings import report_json
    from wenuan.words import present_validate

    set_lang(lang.value)
    try:
        loaded, form = _library(forms, form)
        options = validate.Options(
            form_id=form,
            strict=strict,
            received=_day(received),
            calendar=_calendar(calendar),
            explain=explain,
        )
        if annotate:
            _annotate_one(paths, annotate, force)
        files, checked = _checked(paths, loaded, options)
        reports = list(checked)  # a broken form file shows when a return first needs it
        last = list(_checked([previous], loaded, options)[1]) if previous else None
        screen.screen(reports, loaded, last)
        if annotate:
            from wenuan.outputs import writing

            if reports[0].form is None:
                raise WenuanError("annotate_unreadable", path=str(files[0]))
            writing.annotate(files[0], reports[0].findings, annotate, force)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(report_json(reports, explain))
    else:
        _echo(present_validate.reports_text(reports, loaded, explain))
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


@command("check-list")
def check_list_cmd(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="文件或文件夹…", help="发放明细文件或文件夹。Payment lists."),
    ],
    form: FormNeeded,
    list_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--list", metavar="明细", help="表式中的哪份明细（默认第一份）。Which list."),
    ] = None,
    register: path_option(
        "--register",
        metavar="建档名册",
        help="建档困难职工名册：核对依档帮扶、全覆盖。The register of 建档 families.",
    ) = None,
    return_: path_option(
        "--return",
        metavar="报表",
        help="本单位的报表或报表文件夹：人数、金额与报表核对。The unit's return(s).",
    ) = None,
    annotate: path_option(
        "--annotate", metavar="文件.xlsx", help="写出标注了问题的明细副本。Annotated copy."
    ) = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """检查实名制发放明细：身份证号、银行卡号、重复发放、通知规定。Check real-name payment lists."""
    from wenuan.checking import validate
    from wenuan.lists import paylists

    set_lang(lang.value)
    try:
        loaded, form = _library(forms, form)
        chosen = loaded[form]
        paylist = paylists.choose(chosen, list_id)
        if annotate:
            _annotate_one(paths, annotate, force)
        files = validate.collect(paths)
        key, salted = paylists.salt()
        checks = paylists.check_lists(files, chosen, paylist, key, register, return_)
        reports = list(_progress(checks, len(files) + (register is not None)))
        if annotate:
            from wenuan.outputs import writing

            if any(f.kind == "unreadable" for f in reports[0].findings):
                raise WenuanError("annotate_unreadable", path=str(files[0]))
            writing.annotate(files[0], reports[0].findings, annotate, force)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(paylists.lists_json(reports, paylist, salted))
    else:
        _echo(paylists.lists_text(reports, paylist))
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


@command("consolidate")
def consolidate_cmd(
    paths: PathsArg,
    output: path_option(
        "-o", "--output", metavar="文件", help="写出的汇总 xlsx。Consolidated workbook."
    ) = None,
    form: FormOpt = None,
    roster: RosterOpt = None,
    allow_errors: Annotated[
        bool, typer.Option("--allow-errors", help="有错误的报表也计入并列出。Include them.")
    ] = False,
    unit: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--unit", metavar="单位", help="汇总表的填报单位（默认发文单位）。Unit of the total."
        ),
    ] = None,
    person: Annotated[
        str, typer.Option("--person", metavar="姓名", help="汇总表的填报人。Person.")
    ] = "汇总",
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """汇总多份报表为一份合计（本身也是合格的报表）。Add returns into a total with provenance."""
    from wenuan.checking import consolidate, validate
    from wenuan.outputs import writing
    from wenuan.words import present_validate
    from wenuan.words.messages import t

    set_lang(lang.value)
    try:
        loaded, form = _library(forms, form)
        if output:
            writing.check_target(output, force)
        _, checked = _checked(paths, loaded, validate.Options(form_id=form))
        result = consolidate.consolidate(checked, loaded, form, _roster(roster), allow_errors)
    except WenuanError as e:
        _fail(e)
    try:
        if output and not result.refused:
            head = {"unit": unit or result.form.union, "person": person, "date": date.today()}
            writing.save_atomically(writing.consolidation(result, head), output, force)
        if format is Format.json:
            _print_json(present_validate.consolidation_data(result))
        else:
            _echo(present_validate.consolidation_text(result))
            if output and not result.refused:
                _echo(t("written", path=output), err=True)
        if not output and not result.refused:  # a look at the batch: say so, never guess a file
            _echo(t("total_not_written"), err=True)
    except WenuanError as e:
        _fail(e)
    finally:
        result.close()
    raise typer.Exit(1 if result.refused else 0)


@command("status")
def status_cmd(
    paths: PathsArg,
    form: FormNeeded,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--as-of", metavar="日期", help="按哪一天统计（默认今天）。Day of the list."),
    ] = None,
    roster: RosterOpt = None,
    notices: path_option(
        "--notices", metavar="文件夹", help="为缺报、逾期、有错的单位写更正通知的文件夹。Notices."
    ) = None,
    calendar: CalendarOpt = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """催报清单：谁未报、谁逾期、谁有错。Who has not reported, who is late, who is wrong."""
    from wenuan.checking import status, validate
    from wenuan.words.messages import t

    set_lang(lang.value)
    try:
        loaded, form = _library(forms, form)
        extra = _calendar(calendar)
        files, checked = _checked(
            paths, loaded, validate.Options(form_id=form, calendar=extra), empty_ok=True
        )
        if not files:
            _echo(t("s_no_returns", path="、".join(map(str, paths))), err=True)
        st = status.status(
            checked, loaded[form], _day(as_of) or date.today(), _roster(roster), extra
        )
        for path, written in status.write_notices(st, notices, force) if notices else []:
            _echo(t("written" if written else "notice_skipped", path=path), err=True)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(st.to_json())
    else:
        _echo(status.status_text(st))


@command("render")
def render_cmd(
    form: FormNeeded,
    output: path_option(
        "-o",
        "--output",
        metavar="文件",
        help="xlsx、docx 或 pdf（不给则写出统计表，如 鄂州2022送温暖统计表.xlsx）。"
        "Output; without it, the table named from the form.",
    ) = None,
    data: path_option(
        "--data", metavar="文件", help="一份报表或汇总表（不给则为空白表）。A return or a total."
    ) = None,
    template: path_option(
        "--template", metavar="文件.docx", help="自己的 Word 模板（.docx）。Your own Word template."
    ) = None,
    returns: path_option(
        "--returns",
        metavar="文件夹",
        help="收到的报表文件夹：报告中列出未报、逾期单位。Returns folder.",
    ) = None,
    notes: path_option(
        "--notes",
        metavar="文件",
        help="主要做法、成效、问题、打算的文字（Markdown 或 .docx，按标题分部分）。Notes.",
    ) = None,
    previous: path_option(
        "--previous", metavar="文件", help="上年的汇总表或报表：报告与上年对比。Last year's."
    ) = None,
    allow_errors: Annotated[
        bool,
        typer.Option(
            "--allow-errors", help="数据有错也生成，首页注明未经核实。Render despite errors."
        ),
    ] = False,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """写出填好数据的统计表（xlsx）或送温暖活动报告（docx、pdf）。Write the table or the report."""
    from wenuan.checking.findings import report_json
    from wenuan.outputs import narrative, render
    from wenuan.words import present_validate
    from wenuan.words.messages import t

    set_lang(lang.value)
    try:
        loaded, form = _library(forms, form)
        chosen = loaded[form]
        figures = render.load_data(data, chosen, loaded)
        errors = len(figures.errors)
        if errors and not allow_errors:  # figures no one has checked: no report says them
            said = t("render_not_verified", path=data, errors=errors)
            _echo(f"错误：{said}" if _lang_is_zh() else f"Error: {said}", err=True)
            if format is Format.json:
                _print_json({"written": None, **report_json([figures.check])})
            else:
                _echo(present_validate.reports_text([figures.check], loaded), err=True)
            raise typer.Exit(1)
        if errors:
            _echo(t("render_allowed_errors", path=data, errors=errors), err=True)
        if previous:
            figures.previous = render.load_previous(previous, chosen, loaded)
        written = narrative.read_notes(notes) if notes else None
        output = output or render.default_target(chosen, figures, force)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            render.render_xlsx(chosen, figures, output, force)
        elif suffix in (".docx", ".pdf"):
            chasing = _chasing(returns, loaded, chosen) if returns else None
            if suffix == ".docx":
                render.render_docx(chosen, figures, output, force, template, chasing, written)
            else:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    docx = Path(tmp) / (output.stem + ".docx")
                    render.render_docx(chosen, figures, docx, True, template, chasing, written)
                    render.to_pdf(docx, output, force)
        else:
            raise WenuanError("render_suffix", path=str(output))
    except WenuanError as e:
        _fail(e)
    _written(output, format)


@command("serve")
def serve_cmd(
    form: FormOpt = None,
    folder: Annotated[
        Path,
        typer.Option(
            "--dir",
            metavar="文件夹",
            help="活动文件夹（没有则新建），数据存于其中的 wenuan-data。Campaign folder.",
        ),
    ] = Path("."),
    host: Annotated[
        str,
        typer.Option(
            "--host", metavar="地址", help="监听地址（默认只限本机）。Address (default: loopback)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="端口", help="端口。Port.")] = 8765,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="名称",
            help="另外接受的网页地址名称（可重复；反向代理的公开地址写成 名称:端口）。"
            "Another name the page answers to (repeatable; a proxy's public NAME:PORT).",
        ),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="不自动打开浏览器。Do not open a browser.")
    ] = False,
    roster: RosterOpt = None,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """打开本机网页：上传、检查、催报、汇总、报告，不用命令行。A local web page for it all."""
    from wenuan.outputs.writing import output_errors
    from wenuan.web import serve

    set_lang(lang.value)
    try:
        with output_errors(folder):
            folder.mkdir(parents=True, exist_ok=True)
        serve(folder, form, forms, host, port, not no_browser, _roster(roster), allow_host)
    except WenuanError as e:
        _fail(e)


@command("links")
def links_cmd(
    folder: Annotated[
        Path,
        typer.Option("--dir", metavar="文件夹", help="活动文件夹（同 serve）。Campaign folder."),
    ] = Path("."),
    base: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--base",
            metavar="网址",
            help="各单位打开的网址开头（默认 http://本机名:8765）。Address the links start with.",
        ),
    ] = None,
    renew: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--renew", metavar="单位", help="重发此单位的链接，旧链接失效（可重复）。Renew one."
        ),
    ] = None,
    form: FormOpt = None,
    roster: RosterOpt = None,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """为名单上每个单位生成专属链接（只显示一次）。Give each roster unit its own link."""
    import socket

    from wenuan.web.campaign import Campaign
    from wenuan.words.messages import t

    set_lang(lang.value)
    try:
        campaign = Campaign(folder, form, forms, _roster(roster))
        links = campaign.links(base or f"http://{socket.gethostname()}:8765", renew)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json({"links": [link.to_json() for link in links]})
        return
    for link in links:
        when = (link.issued_at or "").replace("T", " ")
        _echo(
            f"{link.unit}  {link.url}" if link.url else t("links_given", unit=link.unit, when=when)
        )


def _written(output: Path, format: Format) -> None:
    """Say what was written: a line on stderr, or {"written": path} for a script."""
    from wenuan.words.messages import t

    if format is Format.json:
        _print_json({"written": str(output)})
    else:
        _echo(t("written", path=output), err=True)


def _chasing(folder: Path, loaded, form) -> list[str]:
    """Lines on units missing or late, for the report."""
    from wenuan.checking import status, validate

    _, checked = _checked([folder], loaded, validate.Options(form_id=form.id))
    return status.chasing_lines(status.status(checked, form, date.today()))


def _progress(items, total: int):
    """The items as they come, with a progress bar on a terminal and none in a pipe."""
    import sys

    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=total)
        for item in items:
            yield item
            progress.advance(task)


def main():
    """Entry point of the console script."""
    import os

    try:
        app()
    except KeyboardInterrupt:  # Ctrl-C before or after a command ran: no traceback
        raise SystemExit(130) from None
    except Exception as e:  # a bug, not bad input: say so plainly, keep the trace for debugging
        if os.environ.get("WENUAN_DEBUG"):
            raise
        _echo(  # its words may quote a cell: masked and printable as a finding's are
            f"内部错误（请把这条消息报告给维护者）：{type(e).__name__}: {shown(e)}\n"
            "internal error; WENUAN_DEBUG=1 shows the traceback",
            err=True,
        )
        raise SystemExit(3) from None
