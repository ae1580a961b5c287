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


def main():
    """Entry point of the console script."""
    app()
