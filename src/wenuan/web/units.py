"""A unit's own pages, opened by its personal link (`wenuan links`): `/u/<token>` shows the
form, the deadline, what the unit sent and what is wrong with it, in its words; the unit sends
its return from there. The token is the unit's whole credential: these routes pass the Guard
without the city's token, and each opens only the unit the token names."""

import re
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from wenuan.checking.findings import Finding
from wenuan.checking.status import state_words
from wenuan.forms.roster import unit_key
from wenuan.web.campaign import Campaign

OPEN = ("/u/", "/static/")  # what a unit's link may reach: its own pages and the style
_TOKEN_PATH = re.compile(r"^/u/[^/]*")


def unlinked(path: str) -> str:
    """A path as a log may show it: a unit's token left out."""
    return _TOKEN_PATH.sub("/u/…", path)


def _unit_words(finding: Finding) -> str:
    """A finding as its unit reads it (the correction notice's words)."""
    return finding.message


def days_left_words(days: int | None) -> str:
    """How near the deadline is, as the unit's page says it."""
    if days is None:
        return ""
    if days > 0:
        return f"还有 {days} 天"
    return "今天截止" if days == 0 else f"已过 {-days} 天"


def unit_routes(campaign: Campaign, page, upload) -> list[Route]:
    """The routes of the units' pages, given the app's `page` (a template filled) and its
    `upload` (which takes the unit the files are for)."""

    def opened(request: Request) -> str:
        """The unit the link's token opens; a token of no unit is a page that is not there."""
        unit = campaign.linked_unit(request.path_params["token"])
        if unit is None:
            raise HTTPException(404)
        return unit

    def unit_page(request: Request, received=None):
        unit = opened(request)
        st = campaign.status(date.today())
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
            received=[(r, [_unit_words(f) for f in r.findings]) for r in received or []],
        )

    async def unit_upload(request: Request):
        return await upload(request, opened(request), unit_page)

    return [
        Route("/u/{token}", unit_page),
        Route("/u/{token}/upload", unit_upload, methods=["POST"]),
    ]
