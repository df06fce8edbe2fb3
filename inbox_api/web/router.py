"""Static pages: the staff inbox (/staff/), the SLA report (/staff/report/), the demo (/demo/)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from inbox_api.deps import SettingsDep
from inbox_api.web.shell import Link, Shell, page

STATIC = Path(__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)
_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self' ws: wss: http: https:; img-src 'self' data:; "
        "style-src 'self'; script-src 'self'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@router.get("/")
async def root() -> RedirectResponse:
    """The staff page."""
    return RedirectResponse("/staff/")


def _file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise HTTPException(404, "Not found")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers=_HEADERS)


TO_INBOX = Link("/staff/", "to_inbox", "Inbox")
INBOX = Shell(
    title="Inbox", heading_key="inbox_title", heading="Inbox", body="staff.main.html",
    scripts=("/static/i18n.js", "/static/presence.js", "/static/staff.js",
             "/static/agent_tools.js"),
    sign_in="shown",
    status='    <span id="live-state" class="live off" data-i18n="live_off">offline</span>\n',
    tools=(
        '    <button type="button" id="reveal-log-link" class="link" hidden'
        ' data-i18n="reveal_log">Inzagelog</button>\n'
        '    <button type="button" id="presence" class="link presence" hidden></button>\n'
        '    <a id="dashboard-link" class="link" href="/staff/dashboard/" hidden'
        ' data-i18n="dashboard">Dashboard</a>\n'
        '    <a id="training-link" class="link" href="/staff/training/" hidden'
        ' data-i18n="training">Training</a>\n'
        '    <a id="report-link" class="link" href="/staff/report/" hidden'
        ' data-i18n="report">Rapport</a>\n'
    ),
)
SAVED_REPLIES = Shell(
    title="Opgeslagen antwoorden", heading_key="title", heading="Opgeslagen antwoorden",
    body="saved_replies.main.html", scripts=("/static/saved_replies.js",),
    links=(Link("/staff/", "inbox", "Inbox"),), sign_in="none",
)
TEAMS = Shell(
    title="Teams", heading_key="title", heading="Teams en toewijzing", body="teams.main.html",
    scripts=("/static/teams.js",), links=(Link("/staff/", "inbox", "Inbox"),), sign_in="none",
)
REPORT = Shell(
    title="SLA", heading_key="title", heading="SLA-rapport", body="report.main.html",
    scripts=("/static/report.js",), links=(TO_INBOX,),
)
DASHBOARD = Shell(
    title="Dashboard", heading_key="title", heading="Dashboard", body="dashboard.main.html",
    scripts=("/static/dashboard.js",), links=(TO_INBOX,),
)


@router.get("/staff/")
async def staff_page() -> HTMLResponse:
    """The staff inbox page."""
    return page(INBOX, STATIC, _HEADERS)


@router.get("/staff/saved-replies/")
async def saved_replies_page() -> HTMLResponse:
    """The admins' page for saved replies."""
    return page(SAVED_REPLIES, STATIC, _HEADERS)


@router.get("/staff/teams/")
async def teams_page() -> HTMLResponse:
    """The admins' page for teams: auto-assignment rules, members, languages and leads."""
    return page(TEAMS, STATIC, _HEADERS)


@router.get("/staff/report/")
async def report_page() -> HTMLResponse:
    """The SLA report page: response times and containment."""
    return page(REPORT, STATIC, _HEADERS)


@router.get("/staff/dashboard/")
async def dashboard_page() -> HTMLResponse:
    """The dashboard for admins and team leads (charts drawn by the server, CSV export)."""
    return page(DASHBOARD, STATIC, _HEADERS)


@router.get("/demo/")
async def demo_page() -> FileResponse:
    """The demo brand page with a chat widget talking to Rasa over socket.io."""
    return _file("demo.html")


@router.get("/demo/config.json")
async def demo_config(settings: SettingsDep) -> dict[str, str | None]:
    """Where the demo chat widget finds Rasa's socket.io channel (never the token), and the
    fake Graph API behind the mock brand page (null: no mock page)."""
    return {
        "rasa_url": settings.public_rasa_url or settings.rasa_url,
        "graph_demo_url": settings.demo_graph_url,
    }


@router.get("/static/{name}")
async def static(name: str) -> FileResponse:
    """Scripts and styles of the pages."""
    return _file(name)
