"""A unit's own pages, opened by its personal link (`wenuan links`): `/u/<token>` shows the
form, the deadline, what the unit sent and what is wrong with it, in its words; the unit sends
its return from there. The token is the unit's whole credential: these routes pass the Guard
without the city's token, and each opens only the unit the token names."""

import re
import threading
import time
from collections import deque
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from wenuan.checking.findings import Finding
from wenuan.forms.roster import unit_key
from wenuan.web.campaign import Campaign, field_places, typed_fields
from wenuan.words.findings import say
from wenuan.words.messages import t
from wenuan.words.status import state_words

OPEN = ("/u/", "/static/")  # what a unit's link may reach: its own pages and the style
_TOKEN_PATH = re.compile(r"^/u/[^/]*")
MAX_FIGURES_BODY = 64 << 10  # a typed return's request: every field of a large form fits
SENDS_PER_MINUTE = 20  # uploads, submissions and explanations a link may make
CHECKS_PER_MINUTE = 120  # typed figures checked: the page asks at most twice a second
MAX_EXPLANATION = 500  # characters of a 核实说明
MAX_TYPED = 40  # characters in one typed figure
HEADER = ("person", "phone")  # what the unit types of the header: its name and the date are set


def unlinked(path: str) -> str:
    """A path as a log may show it: a unit's token left out."""
    return _TOKEN_PATH.sub("/u/…", path)


def _unit_words(finding: Finding) -> str:
    """A finding as its unit reads it (the correction notice's words)."""
    return say(finding, "unit")


def days_left_words(days: int | None) -> str:
    """How near the deadline is, as the unit's page says it."""
    if days is None:
        return ""
    if days > 0:
        return t("u_days_left", days=days)
    return t("u_due_today") if days == 0 else t("u_days_past", days=-days)


class Rate:
    """At most `most` requests a minute from each unit: one link cannot keep the server busy
    for all the others."""

    def __init__(self, most: int):
        self.most, self.seen, self.lock = most, {}, threading.Lock()

    def allow(self, unit: str) -> bool:
        """Whether the unit may make one more request now (and count it)."""
        now = time.monotonic()
        with self.lock:
            times = self.seen.setdefault(unit, deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= self.most:
                return False
            times.append(now)
            return True


def unit_routes(campaign: Campaign, page, upload, download) -> list[Route]:
    """The routes of the units' pages (and the city's for their links and the audit log),
    given the app's `page` (a template filled), its `upload` (which takes the unit the files
    are for) and `download` (bytes as a file to save)."""
    sends, checks = Rate(SENDS_PER_MINUTE), Rate(CHECKS_PER_MINUTE)

    def too_many(request: Request):
        """The refusal of a request over its unit's rate: JSON to the page's script."""
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"refused": t("u_too_many")}, 429, {"retry-after": "60"})
        return page("message.html", 429, title="请稍后再试", lines=[t("u_too_many")])

    def opened(request: Request) -> str:
        """The unit the link's token opens; a token of no unit is a page that is not there."""
        unit = campaign.linked_unit(request.path_params["token"])
        if unit is None:
            raise HTTPException(404)
        return unit

    def unit_page(request: Request, received=None):
        unit = opened(request)
        st = campaign.status(date.today(), answered=False)
        line = next(u for u in st.units if unit_key(u.unit) == unit_key(unit))
        history = campaign.store.history(campaign.form_id, unit_key(unit))
        return page(
            "unit_link.html",
            unit=unit,
            token=request.path_params["token"],
            deadline=st.deadline,
            days_left=days_left_words(st.days_left),
            line=line,
            words=state_words(line),
            findings=[(f, _unit_words(f)) for f in line.findings],
            history=history,
            explained=campaign.explained(unit_key(unit)),
            received=[(r, [_unit_words(f) for f in r.findings]) for r in received or []],
        )

    async def unit_upload(request: Request):
        unit = opened(request)
        if not sends.allow(unit):
            return too_many(request)
        return await upload(request, unit, unit_page)

    def figures_page(request: Request):
        unit = opened(request)
        form = campaign.forms[campaign.form_id]
        history = campaign.store.history(campaign.form_id, unit_key(unit))
        last = next((s.report for s in history if s.report.form == form.id), None)
        labels = typed_fields(form)
        return page(
            "unit_figures.html",
            unit=unit,
            token=request.path_params["token"],
            tables=[
                (tb.title, [(f"{tb.id}:{ref}", labels[f"{tb.id}:{ref}"]) for ref in tb.cells])
                for tb in form.tables
            ],
            values={k: str(v) for k, v in last.values.items()} if last else {},
            header={k: str(last.header.get(k) or "") for k in HEADER} if last else {},
        )

    async def figures(request: Request):
        unit = opened(request)
        asked = await _typed_request(request, typed_fields(campaign.forms[campaign.form_id]))
        if asked is None:
            return JSONResponse({"refused": t("u_bad_figures")}, 400)
        if not (checks if not asked[2] else sends).allow(unit):
            return JSONResponse({"refused": t("u_too_many")}, 429, {"retry-after": "60"})
        report, got = await run_in_threadpool(campaign.typed, unit, *asked)
        places = field_places(campaign.forms[campaign.form_id])
        return JSONResponse(
            {
                "findings": [_typed_finding(f, places) for f in report.findings],
                "submitted": got is not None,
            }
        )

    async def explain(request: Request):
        unit = opened(request)
        async with request.form(max_files=0, max_fields=4, max_part_size=4096) as data:
            finding, text = str(data.get("finding") or ""), str(data.get("text") or "").strip()
        if not sends.allow(unit):
            return too_many(request)
        if not 0 < len(text) <= MAX_EXPLANATION:
            return page("message.html", 400, title="未保存", lines=[t("u_bad_explanation")])
        if not await run_in_threadpool(campaign.explain, unit, finding, text):
            raise HTTPException(404)
        return RedirectResponse(f"/u/{request.path_params['token']}#findings", 303)

    def issue(request: Request, base: str, renew: bool):
        """The city gives the links: made (or all made again), shown once as a list to copy
        and a sheet to print, a slip a unit with its QR code."""
        if campaign.form_id is None:
            return page("message.html", 409, title="请先选择表式", lines=[t("w_no_form")])
        names = campaign.roster(campaign.form_id).names if renew else []
        links = campaign.links(base, names)
        st = campaign.status()
        return page(
            "unit_links.html",
            made=[(link, _qr(link.url)) for link in links if link.url],
            given=[link for link in links if not link.url],
            deadline=st.deadline,
        )

    async def give(request: Request):
        async with request.form(max_files=0, max_fields=4, max_part_size=1024) as data:
            base, renew = str(data.get("base") or "").strip(), data.get("renew") == "1"
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", base):
            return page("message.html", 400, title="未生成", lines=[t("u_bad_base")])
        return await run_in_threadpool(issue, request, base, renew)

    def audit(request: Request):
        data = campaign.audit_workbook()
        return download(data, f"操作记录_{date.today().isoformat()}.xlsx", "xlsx")

    return [
        Route("/links", give, methods=["POST"]),
        Route("/audit.xlsx", audit),
        Route("/u/{token}", unit_page),
        Route("/u/{token}/explain", explain, methods=["POST"]),
        Route("/u/{token}/upload", unit_upload, methods=["POST"]),
        Route("/u/{token}/figures", figures_page),
        Route("/u/{token}/figures", figures, methods=["POST"]),
    ]


def default_base(request: Request) -> str:
    """Where units reach this page: the address the clerk uses, unless it is this computer's
    own (loopback), then this computer's name at the same port."""
    url = request.url
    if url.hostname in ("127.0.0.1", "localhost", "::1"):
        import socket

        return f"http://{socket.gethostname()}:{url.port or 80}"
    return f"{url.scheme}://{url.netloc}"


def _qr(url: str):
    """A link's QR code as an inline SVG (an image the page's policy allows: no data: URL)."""
    import segno
    from markupsafe import Markup

    return Markup(segno.make(url, error="m").svg_inline(scale=3, title="二维码"))


async def _typed_request(request: Request, fields: dict) -> tuple[dict, dict, bool] | None:
    """The values, header and `submit` of a typed return's request; None when it is not one
    (not JSON, too large, a field the form lacks, a figure too long)."""
    import json

    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FIGURES_BODY:
            return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    values, header, submit = data.get("values", {}), data.get("header", {}), data.get("submit")
    if not (isinstance(values, dict) and isinstance(header, dict) and isinstance(submit, bool)):
        return None
    texts = [*values.values(), *header.values()]
    if not all(isinstance(v, str) and len(v) <= MAX_TYPED for v in texts):
        return None
    if not (set(values) <= set(fields) and set(header) <= set(HEADER)):
        return None
    return values, header, submit


def _typed_finding(finding: Finding, places: dict[str, str]) -> dict:
    """A finding of a typed return as the page puts it beside its fields: its JSON, its words
    for the unit, and the fields it concerns, the likely wrong one first."""
    cells = [s.cell for s in [finding.suggestion, *finding.also] if s] + [finding.cell]
    fields = list(dict.fromkeys(places[c] for c in cells if c in places))
    unfilled = {t("f_no_person"): "person", t("f_no_phone"): "phone"}  # no cell: none was read
    if finding.kind == "header" and finding.message in unfilled:
        fields = [unfilled[finding.message]]
    return {**finding.to_json(), "words": _unit_words(finding), "fields": fields}
