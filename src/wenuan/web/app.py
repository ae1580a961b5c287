"""The Starlette application: routes that call the campaign (the library) and fill templates."""

import contextlib
import functools
import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from wenuan.checking import status as status_mod
from wenuan.errors import WenuanError
from wenuan.forms.roster import unit_key
from wenuan.lists.idnumbers import mask_numbers
from wenuan.outputs import narrative, render
from wenuan.outputs.writing import ANNOTATED
from wenuan.web.campaign import Campaign, finding_key
from wenuan.web.units import OPEN, default_base, unit_routes, unlinked
from wenuan.words import status as status_words
from wenuan.words.findings import say
from wenuan.words.messages import t
from wenuan.words.safetext import printable, shown

HERE = Path(__file__).parent
MAX_FILES = 200  # files in one upload request: the page sends one a request, a plain form many
MAX_REQUEST = 512 << 20  # bytes in one request
COOKIE = "wenuan_token"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = frozenset(("127.0.0.1", "localhost", "[::1]"))  # as they stand in a Host header
SAFE = ("GET", "HEAD", "OPTIONS")  # methods that change nothing; any other needs this page's Origin
HEADERS = [  # on every response: not framed (no clickjacking of 撤回), no script but the package's
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none';"
        b" object-src 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # the page's own posts keep their Referer
    (b"cross-origin-resource-policy", b"same-origin"),
]
log = logging.getLogger("wenuan.serve")
log.addFilter(lambda record: _shown_record(record) or True)
# what the page leaves out of a finding's words, or says otherwise: the rule's id (the form
# file's name for it, not the clerk's), and a cell as a formula names it (报表!D17 → 报表 D17)
_RULE_ID = re.compile(r"规则 [A-Za-z0-9_.:-]+，")
_SHEET_CELL = re.compile(r"!(?=\$?[A-Z]{1,3}\$?[0-9]+(?![0-9]))")

_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}


def _templates():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        finalize=_printable,  # what autoescape leaves: controls, bidi overrides
    )
    env.filters["key"] = unit_key
    env.filters["q"] = lambda s: quote(str(s), safe="")
    env.filters["place"] = place
    env.filters["finding_key"] = finding_key
    env.filters["via"] = {"clerk": "市总代收", "link": "单位链接上传", "typed": "单位在线填写"}.get
    return env


def place(cell: str | None) -> str:
    """A cell as the clerk finds it: the sheet's tab, then the cell (报表 D17)."""
    return _SHEET_CELL.sub(" ", cell or "")


def said(text: str, labels: dict[str, str]) -> str:
    """A message in the page's words: no rule id, cells as `place` shows them, and each form
    by its title (`labels`), never its id; a file named after an id keeps its name."""
    text = place(_RULE_ID.sub("", text))
    if not labels:
        return text
    ids = "|".join(map(re.escape, sorted(labels, key=len, reverse=True)))
    return re.sub(rf"(?<![\w.-])(?:{ids})(?![\w.-])", lambda m: labels[m[0]], text, flags=re.A)


@dataclass(frozen=True)
class Hosts:
    """The names the page answers to, as a browser sends them in `Host`: a page of another site
    whose name was made to point at this computer (DNS rebinding) is refused."""

    names: frozenset[str] = LOOPBACK_NAMES
    port: int = 80
    any_ip: bool = False  # open to the network: colleagues may type this computer's address
    proxied: frozenset[tuple[str, str]] = frozenset()  # NAME:PORT given: a proxy's public name

    @classmethod
    def bound(cls, host: str, port: int, names: list[str] | None = None) -> "Hosts":
        """Those of a server listening on `host`: on loopback its three names; else the
        address and this computer's name, any IP address; and the operator's `names`."""
        import socket

        written = [n.strip().lower() for n in names or []]
        ported = {m.groups() for n in written if (m := _NAME_PORT.fullmatch(n))}
        given = {_bracketed(n) for n in written if not _NAME_PORT.fullmatch(n)}
        if host in LOOPBACK:
            return cls(LOOPBACK_NAMES | given, port, proxied=frozenset(ported))
        own = {_bracketed(host.lower()), socket.gethostname().lower()}
        return cls(frozenset(own | given), port, any_ip=True, proxied=frozenset(ported))

    def admit(self, host: str) -> bool:
        """Whether a `Host` header names this page: one of its names at its port (a browser
        leaves out port 80)."""
        name, colon, port = host.lower().rpartition(":")
        if not colon or "]" in port:  # no port: "localhost", "[::1]"
            name, port = host.lower(), ""
        if {(name, port or "80"), (name, port or "443")} & self.proxied:
            return True  # the public name of a proxy in front (a browser leaves out 80 and 443)
        if port != str(self.port) and (port or self.port != 80):
            return False
        return name in self.names or (self.any_ip and _is_ip(name))


_NAME_PORT = re.compile(r"([^:\[\]]+|\[[^\]]+\]):([0-9]+)")  # wenuan.example.org:443


def _bracketed(name: str) -> str:
    """An IPv6 address as it stands in a Host header."""
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def create_app(campaign: Campaign, token: str | None = None, hosts: Hosts | None = None):
    """The page for one campaign under the names `hosts` (loopback's, at port 80, unless
    given); with a token, every request must carry it."""
    env = _templates()

    @functools.cache
    def labels() -> dict[str, str]:
        """Each form's title as the page shows it, by id."""
        return {fid: render.form_label(campaign.forms[fid]) for fid in campaign.forms}

    env.filters["said"] = lambda text: said(str(text), labels())
    env.filters["to_unit"] = lambda f: said(say(f, "unit"), labels())  # the words a unit reads
    env.filters["to_clerk"] = lambda f: said(say(f, "clerk"), labels())
    env.filters["label"] = lambda fid: labels().get(fid, fid)

    def page(name: str, code: int = 200, **context) -> HTMLResponse:
        context.setdefault("form", campaign.forms[campaign.form_id] if campaign.form_id else None)
        return HTMLResponse(env.get_template(name).render(**context), code)

    def message(title: str, lines: list[str], code: int) -> HTMLResponse:
        return page("message.html", code, title=title, lines=lines)

    def campaign_page(request: Request, received=None) -> HTMLResponse:
        forms = list(labels().values())
        if campaign.form_id is None:
            return page("campaign.html", forms=forms, received=received, st=None)
        st = campaign.status()
        counts = campaign.store.counts(campaign.form_id)
        return page(
            "campaign.html",
            forms=forms,
            st=st,
            head=status_words.status_head(st, labels()[campaign.form_id]),
            counts=status_mod.counts(st),
            words={u.unit: status_words.state_words(u) for u in st.units},
            submitted={u.unit: counts.get(unit_key(u.unit), 0) for u in st.units},
            errors=sum(u.errors for u in st.units),
            warnings=sum(u.warnings for u in st.units),
            received=received,
            outliers=campaign.outliers(),
            pdf=_has_office(),
            report=(kept := campaign.report_notes()),
            report_text=narrative.notes_text({k: v for k, v in kept.items() if k != "to"}).strip(),
            report_day=campaign.report_day(),
            link_base=default_base(request),
        )

    async def home(request: Request):
        return await run_in_threadpool(campaign_page, request)

    async def choose(request: Request):
        async with request.form(max_files=0, max_fields=4) as data:
            name = str(data.get("form") or "")
        name = next((fid for fid, label in labels().items() if label == name), name)
        try:
            await run_in_threadpool(campaign.choose, name)
        except WenuanError as e:
            return message("无法选择表式", [str(e)], 400)
        return RedirectResponse("/", 303)

    async def upload(request: Request, unit: str | None = None, done=None):
        wants_json = "application/json" in request.headers.get("accept", "")
        try:
            async with request.form(max_files=MAX_FILES, max_fields=MAX_FILES) as data:
                files = [f for f in data.getlist("files") if hasattr(f, "read")]
                got = [
                    await run_in_threadpool(campaign.receive, f.filename or "", f.file, unit)
                    for f in files
                ]
        except HTTPException as e:  # the multipart parser's limits, or the request's size
            many = str(e.detail).startswith("Too many")  # files or fields, in the parser's words
            refusal = t("w_upload_refused", most=MAX_FILES) if many else _refusal(e.status_code)[1]
            if wants_json:
                return JSONResponse({"refused": refusal}, e.status_code)
            return message("未接收", [refusal], e.status_code)
        if wants_json:
            return JSONResponse({"received": [shown(r) for r in got]})
        return await run_in_threadpool(done or campaign_page, request, got)

    def shown(r) -> dict:
        """What the page's script shows of a received file: the words of its findings, and the
        title of its form when that is not the page's."""
        lines = [said(say(f, "clerk"), labels()) for f in r.findings]
        other = r.form is not None and r.form != campaign.form_id
        return {**r.to_json(), "elsewhere": labels().get(r.form) if other else None, "lines": lines}

    async def api_status(request: Request):
        if campaign.form_id is None:
            return JSONResponse({"form": None, "units": []})
        st = await run_in_threadpool(campaign.status)
        return JSONResponse({**st.to_json(), "counts": status_mod.counts(st)})

    def unit_page(request: Request):
        key = request.path_params["key"]
        if campaign.form_id is None:
            raise HTTPException(404)
        line, history = campaign.unit(key)
        if line is None:
            raise HTTPException(404)
        chosen = history[0] if history else None
        if "sub" in request.query_params:
            wanted = request.query_params["sub"]
            chosen = next((s for s in history if str(s.id) == wanted), None)
            if chosen is None:
                raise HTTPException(404)
        groups = _by_table(chosen, campaign) if chosen else []
        return page(
            "unit.html",
            line=line,
            key=key,
            words=status_words.state_words(line),
            history=history,
            chosen=chosen,
            groups=groups,
            preview=campaign.preview(chosen) if chosen else [],
            annotatable=bool(chosen and Path(chosen.file_name).suffix.lower() in ANNOTATED),
            notice_docx=campaign.word_notices(),
            explained=campaign.explained(key),
        )

    def notice(request: Request):
        key = request.path_params["key"]
        if campaign.form_id is None or campaign.unit(key)[0] is None:
            raise HTTPException(404)
        word = request.query_params.get("as") == "docx" and campaign.word_notices()
        name, data = campaign.notice(key, word)
        return _download(data, name, "docx" if word else "txt")

    def withdraw(request: Request):
        key = request.path_params["key"]
        if campaign.form_id is None or not campaign.store.history(campaign.form_id, key):
            raise HTTPException(404)
        campaign.withdraw(key)
        return RedirectResponse("/", 303)

    def _submission(request: Request):
        sub = campaign.store.get(request.path_params["id"])
        if sub is None:
            raise HTTPException(404)
        return sub

    def original(request: Request):
        sub = _submission(request)
        data = campaign.store.path(sub.sha256).read_bytes()
        return _download(data, sub.file_name, None)

    def annotated(request: Request):
        sub = _submission(request)
        try:
            name, data = campaign.annotated(sub)
        except WenuanError as e:
            return message("无法标注", [str(e)], 409)
        return _download(data, name, Path(name).suffix.lstrip("."))

    def made(request: Request):
        kind = request.path_params.get("kind", "total")
        if kind not in ("total", "xlsx", "docx", "pdf", "cover"):
            raise HTTPException(404)
        if campaign.form_id is None:
            return message("请先选择表式", [t("w_no_form")], 409)
        allow = request.query_params.get("allow_errors") == "1"
        form = campaign.forms[campaign.form_id]
        try:
            if kind == "total":
                refusals, data = campaign.total_workbook(allow)
                name, kind = render.made_name(form, "汇总表", ".xlsx"), "xlsx"
            else:
                refusals, data = campaign.report(kind, allow)
                name = (
                    render.default_name(form, render.Data())  # as `wenuan render` names it
                    if kind == "xlsx"
                    else render.made_name(form, "工作报告说明", ".docx")
                    if kind == "cover"
                    else render.made_name(form, "工作报告", f".{kind}")
                )
                kind = "docx" if kind == "cover" else kind
        except WenuanError as e:
            return message("无法生成", [str(e)], 409)
        if data is None:
            return message("不能汇总", [said(line, labels()) for line in refusals], 409)
        return _download(data, name, kind)

    async def report_words(request: Request):
        async with request.form(max_files=1, max_fields=5) as data:
            sent = data.get("file")
            sent = sent if hasattr(sent, "read") and sent.filename else None
            try:
                await run_in_threadpool(
                    campaign.keep_report_words,
                    str(data.get("to") or ""),
                    str(data.get("notes") or ""),
                    str(data.get("date") or ""),
                    sent.filename if sent else "",
                    sent.file if sent else None,
                )
            except WenuanError as e:
                return message("未保存", [str(e)], 400)
        return RedirectResponse("/#report", 303)

    async def refused(request: Request, exc: HTTPException):
        title, line = _refusal(exc.status_code)
        response = message(title, [line], exc.status_code)
        response.headers.update(exc.headers or {})  # 405's Allow
        return response

    async def server_error(request: Request, exc: Exception):
        log.exception(
            "error serving %s", unlinked(request.url.path)
        )  # the details go to the terminal
        return message("内部错误", [t("w_internal")], 500)

    routes = [
        Route("/", home),
        Route("/form", choose, methods=["POST"]),
        Route("/upload", upload, methods=["POST"]),
        Route("/api/status", api_status),
        Route("/unit/{key:path}", unit_page),
        Route("/notice/{key:path}", notice),
        Route("/withdraw/{key:path}", withdraw, methods=["POST"]),
        Route("/submission/{id:int}/original", original),
        Route("/submission/{id:int}/annotated", annotated),
        Route("/total.xlsx", made),
        Route("/report.{kind:str}", made),
        Route("/report-words", report_words, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        *unit_routes(campaign, page, upload, _download),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        campaign.close()  # the workers end with the server

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: refused, 500: server_error},
    )

    def refusal_page(title: str, lines: list[str], code: int) -> HTMLResponse:
        return page("message.html", code, title=title, lines=lines, form=None)  # nothing inside

    return Guard(app, token, hosts or Hosts(), refusal_page)  # outermost: on 500s too


def _refusal(code: int) -> tuple[str, str]:
    """A refused request's title and words from the catalogue, never Starlette's English."""
    if code == 404:
        return "找不到", t("w_not_found")
    if code == 405:
        return "不接受", t("w_method")
    if code == 413:
        return "未接收", t("w_too_large", most=MAX_REQUEST >> 20)
    return "未接收", t("w_bad_request", code=code)


def _by_table(sub, campaign: Campaign) -> list[tuple[str, list]]:
    """A submission's findings grouped by table, in the form's order, errors first."""
    order = {"error": 0, "warning": 1, "info": 2}
    form = campaign.forms.get(sub.report.form or "")
    titles = {tb.id: tb.title for tb in form.tables} if form else {}
    groups: dict = {}
    for f in sorted(sub.report.findings, key=lambda f: order[f.severity]):
        shown_cell = replace(f, cell=mask_numbers(f.cell)) if f.cell else f  # a sheet's name
        groups.setdefault(f.table, []).append(shown_cell)
    place = {k: i for i, k in enumerate(titles)}
    keys = sorted(groups, key=lambda k: (k is not None, place.get(k, 0)))
    return [(titles.get(k, t("general")), groups[k]) for k in keys]


def _printable(value):
    """A value a page shows: a text (not markup the page made) with its controls visible."""
    return printable(value) if type(value) is str else value


def _shown_record(record: logging.LogRecord) -> None:
    """A log line with its ID and card numbers masked and its controls visible, the traceback
    (which may quote a cell) too."""
    record.msg, record.args = shown(record.getMessage()), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = "\n".join(map(shown, record.exc_text.split("\n")))


def _download(data: bytes, name: str, kind: str | None) -> Response:
    """A file to save under `name`: in UTF-8 (RFC 5987) for every current browser, and in
    ASCII, as near as it goes, for any other."""
    media = _MEDIA.get(kind or "", "application/octet-stream")
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, dot + suffix) if stem else (name, "")
    plain = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")
    if plain != stem:  # a name in Chinese: its ASCII part after the program's name
        plain = "_".join(filter(None, ("wenuan", plain)))
    plain += re.sub(r"[^A-Za-z0-9.]", "", suffix)
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


def _origin(url: str) -> str | None:
    """The host and port of a page's address (Origin or Referer), as a Host header names them."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[x": no address at all
        return None
    return parts.netloc.lower() if parts.scheme in ("http", "https") else None


def _has_office() -> bool:
    import shutil

    return bool(shutil.which("soffice") or shutil.which("libreoffice"))


class Guard:
    """Before any route: the name the request is addressed to, the size of the request, the
    token (off loopback), and that a form posted comes from this page, not from another site
    the browser has open; after it, the headers every response carries."""

    def __init__(self, app, token: str | None, hosts: Hosts, message):
        self.app, self.token, self.hosts, self.message = app, token, hosts, message

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":  # the page has none: closed before it is accepted
            return await send({"type": "websocket.close", "code": 1008})
        if scope["type"] != "http":
            return None
        refusal = self.refusal(Request(scope))
        city = not scope["path"].startswith(OPEN)  # a unit's link never gets the city's token
        unit = scope["path"].startswith("/u/")  # a unit's figures, its token in the address
        send = self._headers(send, bool(self.token and city and not refusal), unit)
        if refusal:
            title, line, code = refusal
            return await self.message(title, [line], code)(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            msg = await receive()
            seen += len(msg.get("body", b""))
            if seen > MAX_REQUEST:
                raise HTTPException(413)
            return msg

        return await self.app(scope, counted, send)

    def refusal(self, request: Request) -> tuple | None:
        host = request.headers.get("host", "")
        if not self.hosts.admit(host):
            return "拒绝", t("w_bad_host"), 421
        size = request.headers.get("content-length", "")
        if size.isdigit() and int(size) > MAX_REQUEST:
            return *_refusal(413), 413
        if self.token and not request.scope["path"].startswith(OPEN):  # a unit's link: its token
            given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                return "需要口令", t("w_bad_token"), 403
        if request.method in SAFE:
            return None
        source = request.headers.get("origin") or request.headers.get("referer")
        if not source:
            return "拒绝", t("w_no_origin"), 403
        if _origin(source) != host.lower():
            return "拒绝", t("w_cross_site"), 403
        return None

    def _headers(self, send, cookie: bool, private: bool = False):
        headers = list(HEADERS)
        if private:  # kept by no cache: a shared computer's browser, a proxy
            headers.append((b"cache-control", b"no-store"))
        if cookie:  # a link with the token works in this browser from now
            value = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
            headers.append((b"set-cookie", value.encode()))

        async def sending(msg):
            if msg["type"] == "http.response.start":
                msg["headers"] = [*msg.get("headers", []), *headers]
            await send(msg)

        return sending
