"""Why an example was refused, in both languages a trainer may read."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalCode(StrEnum):
    """Stable codes of refusal reasons (the API returns them; tests check them)."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    MULTI_LINE = "multi_line"
    UNKNOWN_INTENT = "unknown_intent"
    UNTRAINABLE_INTENT = "untrainable_intent"
    UNKNOWN_LANGUAGE = "unknown_language"
    UNKNOWN_ENTITY = "unknown_entity"
    BAD_MARKUP = "bad_markup"
    CONFLICT = "conflict"
    DUPLICATE = "duplicate"
    WRONG_LANGUAGE = "wrong_language"
    EMAIL = "email"
    PHONE = "phone"
    ORDER_NUMBER = "order_number"
    IBAN = "iban"
    POSTCODE = "postcode"
    TRACKING_CODE = "tracking_code"
    PLACEHOLDER = "placeholder"


@dataclass(frozen=True)
class Refusal:
    """One reason to refuse an example, with its explanation in English and Dutch."""

    code: RefusalCode
    en: str
    nl: str

    def message(self, language: str) -> str:
        """The explanation in `language` (`nl` or `en`)."""
        return self.nl if language == "nl" else self.en


class ExampleRefused(Exception):
    """The example was not written; `refusals` says why."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(refusal.en for refusal in refusals))
        self.refusals = refusals


LANGUAGE_NAMES = {"en": ("English", "Engels"), "nl": ("Dutch", "Nederlands")}


def _language(code: str) -> tuple[str, str]:
    return LANGUAGE_NAMES.get(code, (code, code))


def empty() -> Refusal:
    """The text is empty."""
    return Refusal(RefusalCode.EMPTY, "The text is empty.", "De tekst is leeg.")


def too_long(length: int, limit: int) -> Refusal:
    """The text is longer than the limit."""
    return Refusal(
        RefusalCode.TOO_LONG,
        f"The text is {length} characters long; the limit is {limit}.",
        f"De tekst is {length} tekens lang; het maximum is {limit}.",
    )


def multi_line() -> Refusal:
    """The text spans several lines."""
    return Refusal(
        RefusalCode.MULTI_LINE,
        "An example must be a single line.",
        "Een voorbeeld moet op één regel staan.",
    )


def unknown_intent(intent: str) -> Refusal:
    """The intent is not in the domain."""
    return Refusal(
        RefusalCode.UNKNOWN_INTENT,
        f"The intent '{intent}' does not exist in the domain.",
        f"De intent '{intent}' bestaat niet in het domein.",
    )


def untrainable_intent(intent: str) -> Refusal:
    """The intent exists but never takes typed examples."""
    return Refusal(
        RefusalCode.UNTRAINABLE_INTENT,
        f"The intent '{intent}' is set by the system and cannot have examples.",
        f"De intent '{intent}' wordt door het systeem gezet en kan geen voorbeelden krijgen.",
    )


def unknown_language(language: str) -> Refusal:
    """The language is neither Dutch nor English."""
    return Refusal(
        RefusalCode.UNKNOWN_LANGUAGE,
        f"The language '{language}' is not supported; choose nl or en.",
        f"De taal '{language}' wordt niet ondersteund; kies nl of en.",
    )


def unknown_entity(entity: str) -> Refusal:
    """The markup names an entity that the domain does not have."""
    return Refusal(
        RefusalCode.UNKNOWN_ENTITY,
        f"The entity '{entity}' does not exist in the domain.",
        f"De entiteit '{entity}' bestaat niet in het domein.",
    )


def bad_markup(detail: str) -> Refusal:
    """The entity markup cannot be read."""
    return Refusal(
        RefusalCode.BAD_MARKUP,
        f"The entity markup cannot be read: {detail}.",
        f"De entiteit-markering is onleesbaar: {detail}.",
    )


def conflict(other_intent: str, existing: str, where: str) -> Refusal:
    """Near-identical text is already an example of another intent."""
    return Refusal(
        RefusalCode.CONFLICT,
        f"Near-identical text is already an example of the intent '{other_intent}' "
        f'({where}: "{existing}").',
        f"Bijna dezelfde tekst is al een voorbeeld van de intent '{other_intent}' "
        f'({where}: "{existing}").',
    )


def duplicate(intent: str, existing: str, where: str) -> Refusal:
    """The text is already an example of this intent."""
    return Refusal(
        RefusalCode.DUPLICATE,
        f"This text is already an example of '{intent}' ({where}: \"{existing}\").",
        f"Deze tekst is al een voorbeeld van '{intent}' ({where}: \"{existing}\").",
    )


def wrong_language(chosen: str, detected: str) -> Refusal:
    """The text reads as the other language."""
    chosen_en, chosen_nl = _language(chosen)
    detected_en, detected_nl = _language(detected)
    return Refusal(
        RefusalCode.WRONG_LANGUAGE,
        f"The text looks {detected_en}, but {chosen_en} was chosen.",
        f"De tekst lijkt {detected_nl}, maar je koos {chosen_nl}.",
    )


# The address or number itself is not repeated: messages may end up in logs.
def email() -> Refusal:
    """An email address is still in the text."""
    return Refusal(
        RefusalCode.EMAIL,
        "The text still contains an email address; remove it.",
        "De tekst bevat nog een e-mailadres; haal het weg.",
    )


def phone() -> Refusal:
    """A phone number is still in the text."""
    return Refusal(
        RefusalCode.PHONE,
        "The text still contains a phone number; remove it.",
        "De tekst bevat nog een telefoonnummer; haal het weg.",
    )


def iban() -> Refusal:
    """A bank account number is still in the text."""
    return Refusal(
        RefusalCode.IBAN,
        "The text still contains a bank account number (IBAN); remove it.",
        "De tekst bevat nog een rekeningnummer (IBAN); haal het weg.",
    )


def postcode() -> Refusal:
    """A postcode is still in the text."""
    return Refusal(
        RefusalCode.POSTCODE,
        "The text still contains a postcode; remove it.",
        "De tekst bevat nog een postcode; haal hem weg.",
    )


def tracking_code() -> Refusal:
    """A parcel tracking code is still in the text."""
    return Refusal(
        RefusalCode.TRACKING_CODE,
        "The text still contains a parcel tracking code; remove it.",
        "De tekst bevat nog een track-and-tracecode; haal hem weg.",
    )


def placeholder(value: str) -> Refusal:
    """A masked value from the review queue ("[email]") is still in the text."""
    return Refusal(
        RefusalCode.PLACEHOLDER,
        f"{value} stands for a customer's data that was hidden; remove it or write a made-up "
        "value (an order number as [100555](order_number)).",
        f"{value} staat voor verborgen gegevens van een klant; haal het weg of schrijf een "
        "verzonnen waarde (een ordernummer als [100555](order_number)).",
    )


_PERSONAL = {
    "email": email,
    "phone": phone,
    "iban": iban,
    "postcode": postcode,
    "tracking_code": tracking_code,
}


def personal(kind: str) -> Refusal:
    """Personal data of this kind (kit.personal_data) is still in the text."""
    return _PERSONAL[kind]()


def order_number(value: str) -> Refusal:
    """An order number is in the text without entity markup."""
    return Refusal(
        RefusalCode.ORDER_NUMBER,
        f"The order number {value} is not marked as an entity; write [{value}](order_number).",
        f"Het ordernummer {value} is niet als entiteit gemarkeerd; schrijf "
        f"[{value}](order_number).",
    )
