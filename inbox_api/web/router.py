"""Static pages: the staff inbox (/staff/), the SLA report (/staff/report/), the demo (/demo/)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, RedirectResponse

from inbox_api.deps import SettingsDep

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


@router.get("/staff/")
async def staff_page() -> FileResponse:
    """The staff inbox page."""
    return _file("staff.html")


@router.get("/staff/saved-replies/")
async def saved_replies_page() -> FileResponse:
    """The admins' page for saved replies."""
    return _file("saved_replies.html")


@router.get("/staff/teams/")
async def teams_page() -> FileResponse:
    """The admins' page for teams: auto-assignment rules, members, languages and leads."""
    return _file("teams.html")


@router.get("/staff/report/")
async def report_page() -> FileResponse:
    """The SLA report page: response times and containment."""
    return _file("report.html")


@router.get("/staff/dashboard/")
async def dashboard_page() -> FileResponse:
    """The dashboard for admins and team leads (charts drawn by the server, CSV export)."""
    return _file("dashboard.html")


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
