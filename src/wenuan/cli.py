"""The `wenuan` command: each command parses options, calls the library once, prints."""

import json
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from wenuan import __version__
from wenuan.errors import WenuanError
from wenuan.messages import set_lang

app = typer.Typer(
    help="送温暖统计表：表式、校验、汇总、报告。Statistics returns of 送温暖 campaigns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


FormatOpt = Annotated[
    Format, typer.Option("--format", help="输出格式 text 或 json。Output format.")
]
LangOpt = Annotated[
    Lang, typer.Option("--lang", envvar="WENUAN_LANG", help="消息语言 zh 或 en。Message language.")
]
FormsOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option("--forms", help="另加的表式目录（可多次）。Extra directory of form files."),
]


def _version(value: bool):
    if value:
        typer.echo(f"wenuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本。Show version."),
    ] = False,
):
    """送温暖统计表工具 wenuan."""


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _fail(err: WenuanError, code: int = 2):
    typer.echo(f"错误：{err}" if _lang_is_zh() else f"Error: {err}", err=True)
    raise typer.Exit(code)


def _lang_is_zh() -> bool:
    from wenuan.messages import get_lang

    return get_lang() == "zh"


@app.command("forms")
def forms_cmd(
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """列出可用的表式。List the forms: id, city, title, tables, next deadline."""
    from wenuan import forms as forms_mod
    from wenuan import present

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
        typer.echo(present.forms_text(rows))


@app.command("show")
def show_cmd(
    form: Annotated[str, typer.Argument(help="表式编号，如 pingdingshan-2010。Form id.")],
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """显示一个表式：项目、规则及依据、截止时间。Show a form's items, rules and deadlines."""
    from wenuan import forms as forms_mod
    from wenuan import present

    set_lang(lang.value)
    try:
        loaded = forms_mod.get_form(form, forms)
    except WenuanError as e:
        _fail(e)
    data = present.form_data(loaded)
    if format is Format.json:
        _print_json(data)
    else:
        typer.echo(present.form_text(data))


@app.command("template")
def template_cmd(
    form: Annotated[str, typer.Argument(help="表式编号。Form id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="写出的 xlsx 文件。Output xlsx.")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。Overwrite.")] = False,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """写出空白的填报工作簿。Write a blank fillable workbook for a form."""
    from wenuan import forms as forms_mod
    from wenuan import writing
    from wenuan.messages import t

    set_lang(lang.value)
    try:
        writing.save_atomically(writing.template(forms_mod.get_form(form, forms)), output, force)
    except WenuanError as e:
        _fail(e)
    typer.echo(t("written", path=output), err=True)


PathsArg = Annotated[list[Path], typer.Argument(help="报表文件或文件夹。Return files or folders.")]
FormOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option("--form", help="指定表式（否则自动识别）。Form id (else recognized)."),
]
RosterOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--roster", help="报送单位名单（txt 每行一个，或 xlsx 第一列）。Roster."),
]
CalendarOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--calendar", help="补充的节假日（每行 2027-02-06 班 或 休）。Extra days."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="覆盖已有文件。Overwrite.")]


def _library(forms: list[Path] | None, form: str | None):
    """The forms, checking that a form named on the command line exists."""
    from wenuan.errors import UnknownForm
    from wenuan.forms import Library

    loaded = Library(forms)
    if form and form not in loaded:
        raise UnknownForm(form, list(loaded))
    return loaded


def _day(text: str | None) -> date | None:
    from wenuan.validate import parse_date

    if text is None:
        return None
    if (day := parse_date(text)) is None:
        raise WenuanError("bad_received", text=text)
    return day


def _calendar(path: Path | None):
    from wenuan import deadlines

    try:
        return deadlines.load_calendar(path) if path else None
    except (OSError, ValueError) as e:
        raise WenuanError("bad_calendar", detail=str(e)) from None


def _roster(path: Path | None):
    from wenuan.consolidate import read_roster

    return read_roster(path) if path else None


def _checked(paths: list[Path], loaded, options):
    """The files named and, as they are checked (on every core for a big batch), their reports."""
    from wenuan import validate

    files = validate.collect(paths)
    return files, _progress(validate.check_all(files, loaded, options), len(files))


@app.command("validate")
def validate_cmd(
    paths: PathsArg,
    form: FormOpt = None,
    received: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--received", help="收到日期，如 2022-01-26。Date received."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="警告也算不通过。Warnings fail.")
    ] = False,
    annotate: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--annotate", help="写出标注了错误的副本（xlsx）。Annotated copy."),
    ] = None,
    calendar: CalendarOpt = None,
    previous: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--previous", help="上年的报表目录，对比数值。Last year's returns."),
    ] = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """检查报表，指出错在哪里、怎么改。Check returns: what is wrong, where, the likely fix."""
    from wenuan import present_validate, screen, validate
    from wenuan.findings import report_json

    set_lang(lang.value)
    try:
        loaded = _library(forms, form)
        options = validate.Options(
            form_id=form, strict=strict, received=_day(received), calendar=_calendar(calendar)
        )
        files, checked = _checked(paths, loaded, options)
        reports = list(checked)  # a broken form file shows when a return first needs it
        last = list(_checked([previous], loaded, options)[1]) if previous else None
        screen.screen(reports, loaded, last)
        if annotate and reports:
            from wenuan import writing

            writing.annotate(files[0], reports[0].findings, annotate, force)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(report_json(reports))
    else:
        typer.echo(present_validate.reports_text(reports, loaded))
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


@app.command("consolidate")
def consolidate_cmd(
    paths: PathsArg,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("-o", "--output", help="写出的汇总 xlsx。Consolidated workbook."),
    ] = None,
    form: FormOpt = None,
    roster: RosterOpt = None,
    allow_errors: Annotated[
        bool, typer.Option("--allow-errors", help="有错误的报表也计入并列出。Include them.")
    ] = False,
    unit: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--unit", help="汇总表的填报单位（默认发文单位）。Unit of the total."),
    ] = None,
    person: Annotated[str, typer.Option("--person", help="汇总表的填报人。Person.")] = "汇总",
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """汇总多份报表为一份合计（本身也是合格的报表）。Add returns into a total with provenance."""
    from wenuan import consolidate, present_validate, validate, writing
    from wenuan.messages import t

    set_lang(lang.value)
    try:
        loaded = _library(forms, form)
        if output and output.exists() and not force:
            raise WenuanError("exists", path=str(output))
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
            typer.echo(present_validate.consolidation_text(result))
            if output and not result.refused:
                typer.echo(t("written", path=output), err=True)
    except WenuanError as e:
        _fail(e)
    finally:
        result.close()
    raise typer.Exit(1 if result.refused else 0)


@app.command("status")
def status_cmd(
    paths: PathsArg,
    form: Annotated[str, typer.Option("--form", help="表式编号。Form id.")],
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--as-of", help="按哪一天统计（默认今天）。Day of the list."),
    ] = None,
    roster: RosterOpt = None,
    notices: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--notices", help="为缺报、逾期、有错的单位写更正通知的文件夹。Notices."),
    ] = None,
    calendar: CalendarOpt = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """催报清单：谁未报、谁逾期、谁有错。Who has not reported, who is late, who is wrong."""
    from wenuan import status, validate

    set_lang(lang.value)
    try:
        loaded = _library(forms, form)
        extra = _calendar(calendar)
        _, checked = _checked(paths, loaded, validate.Options(form_id=form, calendar=extra))
        st = status.status(
            checked, loaded[form], _day(as_of) or date.today(), _roster(roster), extra
        )
        for path in status.write_notices(st, notices, force) if notices else []:
            typer.echo(path, err=True)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(st.to_json())
    else:
        typer.echo(status.status_text(st))


@app.command("render")
def render_cmd(
    form: Annotated[str, typer.Option("--form", help="表式编号。Form id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="xlsx、docx 或 pdf。Output.")],
    data: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--data", help="一份报表或汇总表（不给则为空白表）。A return or a total."),
    ] = None,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--template", help="自己的 Word 模板（.docx）。Your own Word template."),
    ] = None,
    returns: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--returns", help="收到的报表文件夹：报告中列出未报、逾期单位。Returns folder."
        ),
    ] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """写出填好数据的统计表（xlsx）或送温暖活动报告（docx、pdf）。Write the table or the report."""
    from wenuan import render
    from wenuan.messages import t

    set_lang(lang.value)
    try:
        loaded = _library(forms, form)
        chosen = loaded[form]
        figures = render.load_data(data, chosen, loaded)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            render.render_xlsx(chosen, figures, output, force)
        elif suffix in (".docx", ".pdf"):
            chasing = _chasing(returns, loaded, chosen) if returns else None
            if suffix == ".docx":
                render.render_docx(chosen, figures, output, force, template, chasing)
            else:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    docx = Path(tmp) / (output.stem + ".docx")
                    render.render_docx(chosen, figures, docx, True, template, chasing)
                    render.to_pdf(docx, output, force)
        else:
            raise WenuanError("render_suffix", path=str(output))
    except WenuanError as e:
        _fail(e)
    typer.echo(t("written", path=output), err=True)


def _chasing(folder: Path, loaded, form) -> list[str]:
    """Lines on units missing or late, for the report."""
    from wenuan import status, validate

    _, checked = _checked([folder], loaded, validate.Options(form_id=form.id))
    st = status.status(checked, form, date.today())
    return [status.status_text(st).splitlines()[-1]] + [
        f"{u.unit}：{line}" for u in st.units for line in [status.state_words(u)] if u.state != "ok"
    ]


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
    except Exception as e:  # a bug, not bad input: say so plainly, keep the trace for debugging
        if os.environ.get("WENUAN_DEBUG"):
            raise
        typer.echo(
            f"内部错误（请把这条消息报告给维护者）：{type(e).__name__}: {e}\n"
            "internal error; WENUAN_DEBUG=1 shows the traceback",
            err=True,
        )
        raise SystemExit(3) from None
