"""Every staff page is the one shell around its own part: one header, one sign-in form."""

from __future__ import annotations

import pytest

from tests.inbox_api.conftest import Inbox

PAGES = {
    "/staff/": ("Inbox", 1, "inbox-view"),
    "/staff/report/": ("SLA", 1, "report-view"),
    "/staff/dashboard/": ("Dashboard", 1, "dashboard-view"),
    "/staff/training/": ("Training", 1, "trainer-view"),
    "/staff/answers/": ("Antwoorden", 1, "answers-view"),
    "/staff/saved-replies/": ("Opgeslagen antwoorden", 0, "manage"),
    "/staff/teams/": ("Teams", 0, "manage"),
}


@pytest.mark.parametrize("path", sorted(PAGES))
async def test_each_page_is_the_shell_around_its_own_part(inbox: Inbox, path: str) -> None:
    title, forms, view = PAGES[path]
    response = await inbox.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    text = response.text
    assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    assert f"<title>Linde &amp; Co · {title}</title>" in text
    assert text.count('<header class="bar">') == 1 and text.count('id="lang-toggle"') == 1
    assert text.count('id="login-form"') == forms
    assert f'id="{view}"' in text and text.count("<main>") == 1
