"""The template language of saved replies, as pure functions.

- `{{customer.name}}` is a variable: filled from the ticket, its escalation packet and the
  catalogue when the reply is inserted. Only the names in VARIABLES exist; a saved reply with
  any other is refused when saved.
- `[[reason]]` is a fill-in placeholder: the agent must replace it before sending. A variable
  without a value for this ticket becomes a placeholder of the same name, so a missing order
  number is never sent as an empty gap.
- A reply (from the page or the API) that still holds a placeholder or a variable is refused
  with their names: the customer must never read `[[reason]]`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from inbox_api.errors import InboxError

VARIABLES: tuple[str, ...] = (
    "customer.name",
    "order.number",
    "product.price",
    "sla.first_response_due",
)
VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
PLACEHOLDER = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")
PLACEHOLDER_NAME = re.compile(r"^[\w .\-]{1,40}$")


def _distinct(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def variables_in(text: str) -> list[str]:
    """The variable names a text uses, each once, in order."""
    return _distinct(VARIABLE.findall(text))


def unknown_variables(text: str) -> list[str]:
    """Variable names that do not exist."""
    return [name for name in variables_in(text) if name not in VARIABLES]


def placeholders_in(text: str) -> list[str]:
    """The fill-in placeholder names a text still holds, each once, in order."""
    return _distinct(PLACEHOLDER.findall(text))


def template_problems(text: str) -> list[str]:
    """What is wrong with a saved reply's text (empty when it may be saved)."""
    problems = [
        f"unknown variable {{{{{name}}}}} (known: {', '.join(VARIABLES)})"
        for name in unknown_variables(text)
    ]
    problems += [
        f"placeholder [[{name}]] needs a name of 1-40 letters, digits, spaces, dots or dashes"
        for name in placeholders_in(text)
        if not PLACEHOLDER_NAME.match(name)
    ]
    return problems


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """The text with each variable replaced by its value, or by a placeholder when it has none."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        return value if value else f"[[{name}]]"

    return VARIABLE.sub(replace, text)


def unfinished(text: str) -> list[str]:
    """The placeholders and variables a reply still holds, as the agent sees them."""
    return [f"[[{n}]]" for n in placeholders_in(text)] + [
        f"{{{{{n}}}}}" for n in variables_in(text)
    ]


def refuse_unfinished(text: str) -> None:
    """Refuse (422) a reply to a customer that still holds placeholders or variables."""
    missing = unfinished(text)
    if missing:
        raise InboxError(
            f"Fill in before sending: {', '.join(missing)}.", status_code=422
        )
