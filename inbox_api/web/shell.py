"""One shell for every staff page: the head, the header bar, the sign-in form and the toasts.

Each page keeps only its own part in its static folder (the sections inside `<main>`); the
header's page name, links and scripts are named here, so a fix to the bar or the sign-in form
is made once. Everything in the shell is written in this file, never taken from a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Literal

from fastapi.responses import HTMLResponse

SignIn = Literal["shown", "hidden", "none"]


@dataclass(frozen=True)
class Link:
    """A link in the header bar; `hidden` ones are shown by the page's script for some roles."""

    href: str
    key: str
    text: str
    id: str | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Shell:
    """What a staff page puts in the shared shell (Dutch texts; the script translates them)."""

    title: str
    heading_key: str
    heading: str
    # The page's own part: a file of sections inside <main>, in the page's static folder.
    body: str
    scripts: tuple[str, ...]
    styles: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    # "shown": the sign-in form is the first thing seen; "none": the page has none (it uses
    # the inbox's sign-in and says so).
    sign_in: SignIn = "hidden"
    # Header items of the page's own, before and after the signed-in name (trusted markup).
    status: str = ""
    tools: str = ""


SIGN_IN_FORM = """    <section id="login-view" class="card narrow"{hidden}>
      <h1 data-i18n="login_title">Inloggen</h1>
      <form id="login-form">
        <label><span data-i18n="email">E-mail</span><input name="email" type="email" autocomplete="username" required></label>
        <label><span data-i18n="password">Wachtwoord</span><input name="password" type="password" autocomplete="current-password" required></label>
        <button type="submit" data-i18n="login">Inloggen</button>
        <p id="login-error" class="error" role="alert"></p>
      </form>
    </section>

"""  # noqa: E501 - one form line per field reads as the page does


def _link(link: Link) -> str:
    attributes = f'href="{escape(link.href)}" class="link"'
    if link.id:
        attributes = f'id="{escape(link.id)}" {attributes}'
    hidden = " hidden" if link.hidden else ""
    return f'    <a {attributes}{hidden} data-i18n="{escape(link.key)}">{escape(link.text)}</a>\n'


def render(shell: Shell, folder: Path) -> str:
    """The whole page: the shell around the page's own part."""
    styles = "".join(
        f'  <link rel="stylesheet" href="{escape(href)}">\n' for href in shell.styles
    )
    scripts = "".join(f'  <script src="{escape(src)}" defer></script>\n' for src in shell.scripts)
    sign_in = (
        ""
        if shell.sign_in == "none"
        else SIGN_IN_FORM.format(hidden=" hidden" if shell.sign_in == "hidden" else "")
    )
    logout = (
        ""
        if shell.sign_in == "none"
        else '    <button type="button" id="logout" class="link" hidden data-i18n="logout">'
        "Uitloggen</button>\n"
    )
    body = (folder / shell.body).read_text("utf-8")
    return (
        "<!doctype html>\n"
        '<html lang="nl">\n'
        "<head>\n"
        '  <meta charset="utf-8">\n'
        '  <meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"  <title>Linde &amp; Co · {escape(shell.title)}</title>\n"
        '  <link rel="stylesheet" href="/static/style.css">\n'
        f"{styles}"
        '  <script src="/static/common.js" defer></script>\n'
        f"{scripts}"
        "</head>\n"
        "<body>\n"
        '  <header class="bar">\n'
        '    <strong class="brand">Linde &amp; Co</strong>\n'
        f'    <span data-i18n="{escape(shell.heading_key)}">{escape(shell.heading)}</span>\n'
        f"{''.join(_link(link) for link in shell.links)}"
        '    <span class="spacer"></span>\n'
        f"{shell.status}"
        '    <span id="whoami"></span>\n'
        f"{shell.tools}"
        '    <button type="button" id="lang-toggle" class="link" aria-label="Taal / Language">'
        "EN</button>\n"
        f"{logout}"
        "  </header>\n\n"
        "  <main>\n"
        f"{sign_in}"
        f"{body}"
        "  </main>\n"
        '  <div id="toasts" class="toasts" aria-live="polite"></div>\n'
        "</body>\n"
        "</html>\n"
    )


@cache
def _rendered(shell: Shell, folder: Path) -> str:
    return render(shell, folder)


def page(shell: Shell, folder: Path, headers: dict[str, str]) -> HTMLResponse:
    """The page as a response, assembled once per process (the files ship with the code)."""
    return HTMLResponse(_rendered(shell, folder), headers=headers)
