"""The browser face of wenuan (`wenuan serve`): a campaign page, a page per unit, downloads.

`campaign` applies the library's calls (validate, status, consolidate, render, annotate) to
the files received; `store` keeps them and their findings in the campaign folder; `app` holds
the routes, `templates/` the pages and `static/` the script and style, all inside the package.
The library never imports this package.
"""

from pathlib import Path

from wenuan.errors import WenuanError
from wenuan.words.messages import t


def serve(
    folder: Path,
    form: str | None = None,
    extra: list[Path] | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    open_browser: bool = True,
    roster: list | None = None,
    allow_hosts: list[str] | None = None,
) -> None:
    """Serve the campaign in `folder` until Ctrl-C under its address's names (and
    `allow_hosts`); off loopback, behind a printed token."""
    import secrets
    import socket
    import threading
    import webbrowser

    import typer
    import uvicorn

    from wenuan.web.app import LOOPBACK, Hosts, create_app
    from wenuan.web.campaign import Campaign

    campaign = Campaign(folder, form, extra, roster)
    hosts = Hosts.bound(host, port, allow_hosts)
    # behind a proxy (a name given with its port) the world comes in through loopback
    token = None if host in LOOPBACK and not hosts.proxied else secrets.token_urlsafe(18)
    try:  # a port in use is the user's situation: say so, no traceback from uvicorn
        with socket.create_server((host, port)):
            pass
    except OSError:
        raise WenuanError("w_port_busy", port=port) from None
    # on every address (0.0.0.0, ::) the link names this computer, as colleagues reach it
    shown = socket.gethostname() if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"
    if token:
        url += f"?token={token}"
        typer.echo(t("w_token_note", host=host))
    typer.echo(t("w_serving", url=url, folder=campaign.store.root))
    if open_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    app = create_app(campaign, token, hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning")
