"""Send API bodies: quick replies, the HUMAN_AGENT tag, WhatsApp buttons and lists."""

from __future__ import annotations

from bot.channels.send_payloads import (
    messenger_message,
    messenger_text,
    private_reply,
    whatsapp_choices,
)
from bot.channels.window import HUMAN_AGENT, STANDARD
from demo.graph_api import FakeGraph

BUTTONS = [{"title": "Lina wikkeljurk", "payload": '/product_price{"product": "Lina"}'},
           {"title": "Geen van beide", "payload": "/deny"}]


def test_inside_the_window_a_response_outside_it_the_human_agent_tag() -> None:
    inside = messenger_message("PSID", messenger_text("Hoi"), STANDARD)
    assert inside["messaging_type"] == "RESPONSE"
    assert "tag" not in inside
    outside = messenger_message("PSID", messenger_text("Hoi"), HUMAN_AGENT)
    assert (outside["messaging_type"], outside["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


def test_buttons_become_quick_replies_the_fake_accepts() -> None:
    body = messenger_message("PSID", messenger_text("Welke bedoel je?", BUTTONS * 8), STANDARD)
    replies = body["message"]["quick_replies"]
    assert len(replies) == 13
    assert replies[0] == {"content_type": "text", "title": "Lina wikkeljurk",
                          "payload": '/product_price{"product": "Lina"}'}
    assert FakeGraph({"t"}).messenger(body)["recipient_id"] == "PSID"


def test_long_button_titles_are_clipped_to_twenty_characters() -> None:
    message = messenger_text("?", [{"title": "Een heel erg lange knoptitel hier", "payload": "x"}])
    title = message["quick_replies"][0]["title"]
    assert len(title) <= 20
    assert title.endswith("…")


def test_whatsapp_three_buttons_or_a_list() -> None:
    three = whatsapp_choices("316", "Kies", [*BUTTONS, {"title": "Iets anders", "payload": "x"}])
    assert three["interactive"]["type"] == "button"
    assert [b["reply"]["title"] for b in three["interactive"]["action"]["buttons"]] == [
        "Lina wikkeljurk", "Geen van beide", "Iets anders"]
    four = whatsapp_choices("316", "Kies", BUTTONS * 2)
    assert four["interactive"]["type"] == "list"
    rows = four["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows][:2] == ['/product_price{"product": "Lina"}', "/deny"]
    fake = FakeGraph({"t"})
    fake.whatsapp(three)
    fake.whatsapp(four)


def test_private_reply_addresses_the_comment() -> None:
    assert private_reply("C1", "Hoi")["recipient"] == {"comment_id": "C1"}
