"""Meta's documented webhook shapes become the events the connectors act on."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.channels.webhook_events import (
    ATTACHMENT,
    COMMENT,
    IGNORED,
    STATUS,
    STICKER,
    TEXT,
    messaging_events,
    whatsapp_events,
)
from demo import meta_webhooks as hooks


def one(payload: dict, obj: str = "page"):  # type: ignore[no-untyped-def]
    events = messaging_events(payload, obj)
    assert len(events) == 1
    return events[0]


def test_messenger_text_keeps_sender_mid_and_meta_timestamp() -> None:
    at = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    payload = hooks.messaging("page", "PAGE", "PSID-1", hooks.text_message("Hoi", "m_1"),
                              at=at.timestamp())
    event = one(payload)
    assert (event.kind, event.sender, event.message_id, event.text) == (TEXT, "PSID-1", "m_1",
                                                                        "Hoi")
    assert event.timestamp == at


def test_quick_reply_and_postback_send_their_payload() -> None:
    quick = {"message": {"mid": "m_2", "text": "Ja", "quick_reply": {"payload": "/affirm"}}}
    assert one(hooks.messaging("page", "PAGE", "P", quick)).text == "/affirm"
    postback = {"postback": {"mid": "m_3", "title": "Start", "payload": "/greet"}}
    assert one(hooks.messaging("page", "PAGE", "P", postback)).text == "/greet"


def test_echoes_reactions_reads_and_unknown_events_are_ignored() -> None:
    echo = {"message": {"mid": "m_4", "is_echo": True, "text": "our own answer"}}
    reaction = {"reaction": {"mid": "m_5", "action": "react", "reaction": "love"}}
    read = {"read": {"watermark": 1}}
    unknown = {"something_new": {}}
    for event in (echo, reaction, read, unknown):
        assert one(hooks.messaging("instagram", "IG", "U", event), "instagram").kind == IGNORED


def test_attachments_and_stickers() -> None:
    photo = one(hooks.messaging("page", "PAGE", "P", hooks.image_message("https://x/y.jpg")))
    assert photo.kind == ATTACHMENT
    assert photo.attachments[0].type == "image"
    assert photo.attachments[0].url == "https://x/y.jpg"
    sticker = {"message": {"mid": "m_6", "sticker_id": 369239263222822, "attachments": [
        {"type": "image", "payload": {"url": "https://x/like.png", "sticker_id": 1}}]}}
    assert one(hooks.messaging("page", "PAGE", "P", sticker)).kind == STICKER


def test_a_delivery_for_another_object_is_ignored() -> None:
    payload = hooks.messaging("instagram", "IG", "U", hooks.text_message("hi"))
    assert one(payload, "page").kind == IGNORED


def test_facebook_feed_comment() -> None:
    payload = hooks.page_comment("PAGE", "PAGE_POST", "C1", "U9", "An", "Wat kost dit?")
    event = one(payload)
    assert (event.kind, event.message_id, event.sender, event.text, event.post_id) == (
        COMMENT, "C1", "U9", "Wat kost dit?", "PAGE_POST")


def test_whatsapp_text_button_reply_media_and_status() -> None:
    text = whatsapp_events(hooks.whatsapp("PN", "31611", hooks.whatsapp_text("Hoi"), name="Eva"))
    assert (text[0].kind, text[0].sender, text[0].text, text[0].display_name) == (
        TEXT, "31611", "Hoi", "Eva")
    button = whatsapp_events(hooks.whatsapp("PN", "31611",
                                            hooks.whatsapp_button_reply("/affirm", "Ja")))
    assert button[0].text == "/affirm"
    photo = whatsapp_events(hooks.whatsapp("PN", "31611", {
        "type": "image", "image": {"id": "MEDIA1", "caption": "kapot"}}))
    assert photo[0].kind == ATTACHMENT
    assert photo[0].attachments[0].url == "whatsapp-media:MEDIA1"
    assert photo[0].text == "kapot"
    status = {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [
            {"id": "wamid.1", "status": "read", "timestamp": "1764500000",
             "recipient_id": "31611"}]}}]}]}
    events = whatsapp_events(status)
    assert (events[0].kind, events[0].message_id, events[0].status) == (STATUS, "wamid.1",
                                                                        "read")


def test_malformed_deliveries_do_not_raise() -> None:
    for payload in ({}, {"object": "page", "entry": "x"}, {"object": "page", "entry": [
            {"messaging": [{"message": "not an object"}]}]}):
        assert all(event.kind == IGNORED for event in messaging_events(payload, "page"))
    assert whatsapp_events({"object": "whatsapp_business_account", "entry": [
        {"changes": [{"field": "messages", "value": "x"}]}]}) == []
