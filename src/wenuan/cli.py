"""The `wenuan` command: each command parses options, calls the library once, prints."""

from datetime import date
from enum import Enum
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


def _in_words(command) -> None:
    """A command's help, epilog and placeholders (metavar), its options' and its commands', from
    their catalogue keys in the language in use."""
    from wenuan.words.messages import helptext

    for thing in [command, *command.params]:
        for attr in ("help", "epilog", "metavar"):
            key = getattr(thing, f"_{attr}_key", None) or getattr(thing, attr, None)
            if key:
                setattr(thing, f"_{attr}_key", key)
                setattr(thing, attr, helptext(key))
    for sub in getattr(command, "commands", {}).values():
        _in_words(sub)


class _Translated:
    """Help and usage in the user's language, one language at a time: our help texts are
    catalogue keys (help_…), typer's and click's words are translated."""

    def get_help(self, ctx) -> str:
        from wenuan.words.messages import framework

        _in_words(self)
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
        _in_words(self)  # before parsing: usage errors name the placeholders in that language
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
    help="help_wenuan",
    epilog="help_epilog",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)


def command(name: str, **options):
    """A command of `wenuan`, its help the catalogue's help_<name> (zh, or en with --lang en)."""
    from wenuan.words.messages import CATALOGUE

    key = "help_" + name.replace("-", "_")
    return app.command(name, cls=_Command, help=key if key in CATALOGUE else None, **options)


class Format(str, Enum):
    text = "text"
    json = "json"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


FormatOpt = Annotated[
    Format,
    typer.Option("--format", metavar="text|json", help="help_format"),
]
LangOpt = Annotated[
    Lang,
    typer.Option("--lang", metavar="zh|en", envvar="WENUAN_LANG", help="help_lang"),
]
FormsOpt = Annotated[
    Optional[list[Path]],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option("--forms", metavar="mv_dir", help="help_forms_dir"),
]


def _version(value: bool):
    if value:
        _echo(f"wenuan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="help_version"),
    ] = False,
):
    """The shared options before a command: --version."""


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
    """List the forms."""
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
    form: Annotated[str, typer.Argument(metavar="mv_form", help="help_form_id")],
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Show one form."""
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
    form: Annotated[str, typer.Argument(metavar="mv_form", help="help_form_id")],
    output: Annotated[
        Path, typer.Option("-o", "--output", metavar="mv_file", help="help_template_out")
    ],
    force: Annotated[bool, typer.Option("--force", help="help_force")] = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Write a blank fillable workbook."""
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


def text_option(*flags: str, **kw):
    """An optional text option (None when not given): `typer.Option` arguments."""
    return Annotated[Optional[str], typer.Option(*flags, **kw)]  # noqa: UP045


PathsArg = Annotated[
    list[Path],
    typer.Argument(metavar="mv_paths", help="help_returns_in"),
]
FormOpt = Annotated[
    Optional[str],  # noqa: UP045 - typer reads this annotation at run time
    typer.Option("--form", metavar="mv_form", help="help_form_recognized"),
]
FormNeeded = Annotated[str, typer.Option("--form", metavar="mv_form", help="help_form_needed")]
RosterOpt = path_option("--roster", metavar="mv_file", help="help_roster")
CalendarOpt = path_option("--calendar", metavar="mv_file", help="help_calendar")
ForceOpt = Annotated[bool, typer.Option("--force", help="help_force")]


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
        raise WenuanError("bad_calendar", detail=t(why, path=path.name))
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
        typer.Option("--received", metavar="mv_date", help="help_received"),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="help_strict")] = False,
    annotate: path_option("--annotate", metavar="mv_xlsx", help="help_annotate") = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="help_explain"),
    ] = False,
    calendar: CalendarOpt = None,
    previous: path_option("--previous", metavar="mv_dir", help="help_previous_returns") = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Check returns."""
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
        typer.Argument(metavar="mv_paths", help="help_lists_in"),
    ],
    form: FormNeeded,
    list_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--list", metavar="mv_list", help="help_list"),
    ] = None,
    register: path_option(
        "--register",
        metavar="mv_register",
        help="help_register",
    ) = None,
    return_: path_option(
        "--return",
        metavar="mv_return",
        help="help_return",
    ) = None,
    annotate: path_option("--annotate", metavar="mv_xlsx", help="help_annotate_list") = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Check real-name payment lists."""
    from wenuan.checking import validate
    from wenuan.lists import paylists
    from wenuan.words import present_validate

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
        _echo(present_validate.lists_text(reports, paylist))
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


@command("consolidate")
def consolidate_cmd(
    paths: PathsArg,
    output: path_option("-o", "--output", metavar="mv_file", help="help_total_out") = None,
    form: FormOpt = None,
    roster: RosterOpt = None,
    allow_errors: Annotated[bool, typer.Option("--allow-errors", help="help_allow_errors")] = False,
    unit: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--unit", metavar="mv_unit", help="help_unit"),
    ] = None,
    person: Annotated[
        str, typer.Option("--person", metavar="mv_person", help="help_person")
    ] = "汇总",
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Add returns into a total."""
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
        book = writing.Total if output else None  # its rows written while the returns are read
        result = consolidate.consolidate(checked, loaded, form, _roster(roster), allow_errors, book)
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
        typer.Option("--as-of", metavar="mv_date", help="help_as_of"),
    ] = None,
    roster: RosterOpt = None,
    notices: path_option("--notices", metavar="mv_dir", help="help_notices") = None,
    calendar: CalendarOpt = None,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """The chasing list, and notices."""
    from wenuan.checking import status, validate
    from wenuan.outputs import notices as notices_out
    from wenuan.words import status as status_words
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
        for path, written in notices_out.write_notices(st, notices, force) if notices else []:
            _echo(t("written" if written else "notice_skipped", path=path), err=True)
    except WenuanError as e:
        _fail(e)
    if format is Format.json:
        _print_json(st.to_json())
    else:
        _echo(status_words.status_text(st))


@command("render")
def render_cmd(
    form: FormNeeded,
    output: path_option(
        "-o",
        "--output",
        metavar="mv_file",
        help="help_render_out",
    ) = None,
    data: path_option("--data", metavar="mv_file", help="help_data") = None,
    template: path_option("--template", metavar="mv_docx", help="help_template_docx") = None,
    returns: path_option(
        "--returns",
        metavar="mv_dir",
        help="help_returns",
    ) = None,
    notes: path_option(
        "--notes",
        metavar="mv_file",
        help="help_notes",
    ) = None,
    previous: path_option("--previous", metavar="mv_file", help="help_previous_total") = None,
    to: text_option("--to", metavar="mv_union", help="help_to") = None,
    day: text_option("--date", metavar="mv_date", help="help_date_signed") = None,
    cover: path_option("--cover", metavar="mv_docx", help="help_cover") = None,
    allow_errors: Annotated[
        bool,
        typer.Option("--allow-errors", help="help_render_allow_errors"),
    ] = False,
    force: ForceOpt = False,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Write the filled table or the report."""
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
        written = narrative.read_notes(notes) if notes else {}
        if to:
            written["to"] = [to.strip()]
        signed = _day(day)
        output = output or render.default_target(chosen, figures, force)
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            render.render_xlsx(chosen, figures, output, force)
        elif suffix in (".docx", ".pdf"):
            if suffix == ".docx":
                render.render_docx(chosen, figures, output, force, template, written, signed)
            else:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    docx = Path(tmp) / (output.stem + ".docx")
                    render.render_docx(chosen, figures, docx, True, template, written, signed)
                    render.to_pdf(docx, output, force)
            if cover:
                st = _chasing(returns, loaded, chosen) if returns else None
                render.render_cover(chosen, figures, cover, force, st, signed)
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
            metavar="mv_dir",
            help="help_dir",
        ),
    ] = Path("."),
    host: Annotated[
        str,
        typer.Option("--host", metavar="mv_host", help="help_host"),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="mv_port", help="help_port")] = 8765,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="mv_name",
            help="help_allow_host",
        ),
    ] = None,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="help_no_browser")] = False,
    roster: RosterOpt = None,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Serve the local web page."""
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
        typer.Option("--dir", metavar="mv_dir", help="help_dir"),
    ] = Path("."),
    base: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--base", metavar="mv_url", help="help_base"),
    ] = None,
    renew: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--renew", metavar="mv_unit", help="help_renew"),
    ] = None,
    form: FormOpt = None,
    roster: RosterOpt = None,
    format: FormatOpt = Format.text,
    lang: LangOpt = Lang.zh,
    forms: FormsOpt = None,
):
    """Give each roster unit its own link (shown once)."""
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


def _chasing(folder: Path, loaded, form):
    """Who is missing or late, for the cover note."""
    from wenuan.checking import status, validate

    _, checked = _checked([folder], loaded, validate.Options(form_id=form.id))
    return status.status(checked, form, date.today())


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


def _without_pydantic_plugins() -> None:
    """pydantic looks for plugins in every installed package's metadata when it builds its first
    validator: importing importlib.metadata and reading them is some 20 ms of a command's start.
    wenuan uses none; unless the user asks for them (PYDANTIC_DISABLE_PLUGINS set otherwise),
    that look-up is skipped, and so is the module that makes it."""
    import os
    import sys
    import types

    if os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1") in ("1", "true", "__all__"):
        none = types.ModuleType("pydantic.plugin._loader")
        none.get_plugins = lambda: ()  # what pydantic's own returns when plugins are disabled
        sys.modules.setdefault(none.__name__, none)


def main():
    """Entry point of the console script."""
    import atexit
    import gc
    import os

    _without_pydantic_plugins()
    atexit.register(gc.freeze)  # the collection at exit skips what the run made: ~20 ms a command
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
