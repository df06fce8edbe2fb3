"""The connectors inside Rasa's Sanic (Rasa environment) against the fake Graph API.

No model is needed: the harness echoes each customer text through the channel's own output
channel. The end-to-end tests (tests/e2e/test_meta_channels.py) repeat the main paths with
the real assistant.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from demo import meta_webhooks as hooks
from demo.graph_api import running_fake_graph
from scripts.stack import free_port

ROOT = Path(__file__).resolve().parents[3]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PAGE_ID, IG_ID, PHONE_ID = "PAGE-1", "IG-1", "PHONE-1"
INBOX_TOKEN = secrets.token_hex(12)

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.skipif(not RASA_PYTHON.exists(), reason="the Rasa environment is not installed"),
]


@dataclass
class Harness:
    url: str
    graph: str
    secret: str
    verify_token: str
    store: Path

    def post(self, channel: str, payload: dict[str, Any], secret: str | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        body, signed_headers = hooks.signed(payload, self.secret if secret is None else secret)
        return httpx.post(f"{self.url}/webhooks/{channel}/webhook", content=body,
                          headers=headers if headers is not None else signed_headers, timeout=30)

    def sent(self) -> list[dict[str, Any]]:
        return list(httpx.get(f"{self.graph_root}/_fake/requests").json())

    @property
    def graph_root(self) -> str:
        return self.graph.rsplit("/", 1)[0]

    def received(self) -> list[dict[str, Any]]:
        return list(httpx.get(f"{self.url}/_harness/messages").json())

    def to(self, recipient: str) -> list[dict[str, Any]]:
        """Messages (not typing indicators) the fake accepted for one recipient."""
        found = []
        for call in self.sent():
            body = call["body"]
            target = body.get("to") or (body.get("recipient") or {}).get("id")
            if target == recipient and "sender_action" not in body:
                found.append(body)
        return found


@contextlib.contextmanager
def _running_harness(work: Path, extra_env: dict[str, str] | None = None) -> Iterator[Harness]:
    page_token, wa_token = secrets.token_hex(8), secrets.token_hex(8)
    with running_fake_graph(free_port(), [page_token, wa_token], work / "graph.log") as graph:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
        env["INBOX_URL"] = f"http://127.0.0.1:{port}/_inbox"
        env["INBOX_SERVICE_TOKEN"] = INBOX_TOKEN
        env.update({
            "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore",
            "META_GRAPH_URL": graph, "META_APP_SECRET": secrets.token_hex(16),
            "META_VERIFY_TOKEN": secrets.token_hex(8), "META_PAGE_ID": PAGE_ID,
            "META_PAGE_ACCESS_TOKEN": page_token, "INSTAGRAM_ACCOUNT_ID": IG_ID,
            "WHATSAPP_ACCESS_TOKEN": wa_token, "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
            "CHANNELS_STORE_PATH": str(work / "channels.db"),
            **(extra_env or {}),
        })
        log = (work / "harness.log").open("wb")
        process = subprocess.Popen(
            [str(RASA_PYTHON), str(Path(__file__).with_name("channel_harness.py")), str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/webhooks/messenger/").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((work / "harness.log").read_text()[-3000:])
                time.sleep(0.3)
            yield Harness(f"http://127.0.0.1:{port}", graph, env["META_APP_SECRET"],
                          env["META_VERIFY_TOKEN"], work / "channels.db")
        finally:
            process.terminate()
            process.wait(15)
            log.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with _running_harness(tmp_path_factory.mktemp("channels")) as running:
        yield running


def _id() -> str:
    return secrets.token_hex(6)


def test_subscription_verification(harness: Harness) -> None:
    url = f"{harness.url}/webhooks/instagram/webhook"
    ok = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": harness.verify_token,
                                "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = httpx.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                   "hub.challenge": "1158201444"})
    assert wrong.status_code == 403
    assert "1158201444" not in wrong.text


@pytest.mark.parametrize("how", ["missing", "wrong-secret", "tampered"])
def test_a_bad_signature_is_refused_and_nothing_is_processed(harness: Harness, how: str) -> None:
    psid = _id()
    payload = hooks.messaging("page", PAGE_ID, psid, hooks.text_message("hoi"))
    if how == "missing":
        answer = harness.post("messenger", payload, headers={"Content-Type": "application/json"})
    elif how == "wrong-secret":
        answer = harness.post("messenger", payload, secret="not-the-app-secret")
    else:
        body, headers = hooks.signed(payload, harness.secret)
        answer = httpx.post(f"{harness.url}/webhooks/messenger/webhook",
                            content=body.replace(b"hoi", b"hai"), headers=headers)
    assert answer.status_code == 403
    assert not [m for m in harness.received() if m["sender_id"].endswith(psid)]
    assert harness.to(psid) == []


def test_messenger_text_reaches_rasa_once_and_the_answer_goes_back(harness: Harness) -> None:
    psid = _id()
    payload = hooks.messaging("page", PAGE_ID, psid, hooks.text_message("wat kost de Lina?"))
    assert harness.post("messenger", payload).status_code == 200
    assert harness.post("messenger", payload).status_code == 200  # Meta's retry
    mine = [m for m in harness.received() if m["sender_id"] == f"messenger-{psid}"]
    assert len(mine) == 1
    assert mine[0]["input_channel"] == "messenger"
    assert mine[0]["message_id"] == payload["entry"][0]["messaging"][0]["message"]["mid"]
    assert harness.to(psid) == [{"recipient": {"id": psid}, "messaging_type": "RESPONSE",
                                 "message": {"text": "echo: wat kost de Lina?"}}]
    typing = [c["body"] for c in harness.sent() if c["body"].get("sender_action")]
    assert {"recipient": {"id": psid}, "sender_action": "typing_on"} in typing


def test_buttons_become_quick_replies_and_a_tap_sends_the_payload(harness: Harness) -> None:
    psid = _id()
    harness.post("messenger", hooks.messaging("page", PAGE_ID, psid,
                                              hooks.text_message("buttons 5")))
    [message] = harness.to(psid)
    replies = message["message"]["quick_replies"]
    assert [r["title"] for r in replies] == [f"Keuze {n}" for n in range(1, 6)]
    tap = {"message": {"mid": f"m_{_id()}", "text": "Keuze 2",
                       "quick_reply": {"payload": replies[1]["payload"]}}}
    harness.post("messenger", hooks.messaging("page", PAGE_ID, psid, tap))
    texts = [m["text"] for m in harness.received() if m["sender_id"] == f"messenger-{psid}"]
    assert texts == ["buttons 5", '/choice{"n": 2}']


def test_long_answers_are_split_within_each_platforms_limit(harness: Harness) -> None:
    psid, igsid = _id(), _id()
    harness.post("messenger", hooks.messaging("page", PAGE_ID, psid, hooks.text_message("long")))
    harness.post("instagram", hooks.messaging("instagram", IG_ID, igsid,
                                              hooks.text_message("long")))
    messenger = [m["message"]["text"] for m in harness.to(psid)]
    instagram = [m["message"]["text"] for m in harness.to(igsid)]
    whole = ("Lang verhaal. " * 400).split()
    assert len(messenger) == 3 and all(len(t) <= 2000 for t in messenger)
    assert len(instagram) == 6 and all(len(t.encode()) <= 1000 for t in instagram)
    assert " ".join(messenger).split() == whole == " ".join(instagram).split()


def test_instagram_agent_reply_inside_24h_past_24h_and_past_7_days(harness: Harness) -> None:
    now = time.time()
    fresh, weekend, gone = _id(), _id(), _id()
    for igsid, age in ((fresh, 60), (weekend, 30 * 3600), (gone, 8 * 86400)):
        payload = hooks.messaging("instagram", IG_ID, igsid, hooks.text_message("ik wil een mens"),
                                  at=now - age)
        assert harness.post("instagram", payload).status_code == 200

    def reply(igsid: str) -> httpx.Response:
        return httpx.post(f"{harness.url}/_harness/agent-reply", json={
            "channel": "instagram", "conversation": f"instagram-{igsid}", "text": "Hoi, Eva hier"})

    assert reply(fresh).status_code == 200
    assert harness.to(fresh)[-1] == {"recipient": {"id": fresh}, "messaging_type": "RESPONSE",
                                     "message": {"text": "Hoi, Eva hier"}}
    assert reply(weekend).status_code == 200
    assert harness.to(weekend)[-1] == {"recipient": {"id": weekend},
                                       "messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT",
                                       "message": {"text": "Hoi, Eva hier"}}
    refused = reply(gone)
    assert refused.status_code == 500
    assert refused.json()["type"] == "WindowClosed"
    assert [m for m in harness.to(gone) if m["message"].get("text") == "Hoi, Eva hier"] == []


def test_a_refusal_by_meta_names_the_code(harness: Harness) -> None:
    psid = _id()
    harness.post("messenger", hooks.messaging("page", PAGE_ID, psid, hooks.text_message("hoi")))
    httpx.post(f"{harness.graph_root}/_fake/refuse", json={
        "recipient": psid, "code": 10, "subcode": 2018278,
        "message": "(#10) This message is sent outside of allowed window."})
    answer = httpx.post(f"{harness.url}/_harness/agent-reply", json={
        "channel": "messenger", "conversation": f"messenger-{psid}", "text": "Hallo?"})
    assert answer.status_code == 500
    assert answer.json()["type"] == "GraphError"
    assert "code 10/2018278" in answer.json()["error"]


def test_a_photo_gets_an_answer_and_is_handed_to_a_colleague(harness: Harness) -> None:
    psid = _id()
    url = f"https://cdn.example/{psid}.jpg"
    harness.post("messenger", hooks.messaging("page", PAGE_ID, psid, hooks.image_message(url)))
    [answer] = harness.to(psid)
    text = answer["message"]["text"]
    assert "een collega bekijkt je foto" in text and "a colleague will look at your photo" in text
    # Rasa gets a hand-over with the link, so action_escalate puts it into the ticket.
    [handover] = [m for m in harness.received() if m["sender_id"] == f"messenger-{psid}"]
    assert url in handover["text"]
    assert handover["parse_data"]["intent"] == {"name": "human_handoff", "confidence": 1.0}
    assert handover["input_channel"] == "messenger"


def test_whatsapp_buttons_list_and_a_tapped_button(harness: Harness) -> None:
    three, five = "3161" + _id()[:7], "3162" + _id()[:7]
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, three, hooks.whatsapp_text("buttons 3")))
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, five, hooks.whatsapp_text("buttons 5")))
    [buttons] = harness.to(three)
    assert buttons["interactive"]["type"] == "button"
    ids = [b["reply"]["id"] for b in buttons["interactive"]["action"]["buttons"]]
    assert len(ids) == 3
    [listed] = harness.to(five)
    assert listed["interactive"]["type"] == "list"
    assert len(listed["interactive"]["action"]["sections"][0]["rows"]) == 5
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, three,
                                            hooks.whatsapp_button_reply(ids[2], "Keuze 3")))
    texts = [m["text"] for m in harness.received() if m["sender_id"] == f"whatsapp-{three}"]
    assert texts == ["buttons 3", '/choice{"n": 3}']


def test_whatsapp_status_callbacks_are_recorded(harness: Harness) -> None:
    wa = "3163" + _id()[:7]
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, wa, hooks.whatsapp_text("hoi")))
    [sent] = [c for c in harness.sent() if c["body"].get("to") == wa]
    wamid = sent["answer"]["messages"][0]["id"]
    for status in ("delivered", "read", "delivered"):
        payload = {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [{
                "id": wamid, "status": status, "timestamp": str(int(time.time())),
                "recipient_id": wa}]}}]}]}
        assert harness.post("whatsapp", payload).status_code == 200
    with sqlite3.connect(harness.store) as connection:
        row = connection.execute("SELECT status FROM status WHERE message_id = ?",
                                 (wamid,)).fetchone()
    assert row == ("read",)


def _status(wa: str, wamid: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{
        "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [{
            "id": wamid, "status": status, "timestamp": str(int(time.time())),
            "recipient_id": wa, **extra}]}}]}]}


def test_a_colleagues_whatsapp_reply_reports_its_statuses_to_the_inbox(harness: Harness) -> None:
    wa = "3164" + _id()[:7]
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, wa, hooks.whatsapp_text("hoi")))
    answer = httpx.post(f"{harness.url}/_harness/agent-reply", json={
        "channel": "whatsapp", "conversation": f"whatsapp-{wa}", "text": "Eva hier",
        "delivery_id": "4711"})
    assert answer.status_code == 200, answer.text
    [reply] = [c for c in harness.sent() if c["body"].get("to") == wa
               and c["body"].get("text", {}).get("body") == "Eva hier"]
    wamid = reply["answer"]["messages"][0]["id"]
    [echo] = [c for c in harness.sent() if c["body"].get("to") == wa
              and c["body"].get("text", {}).get("body") == "echo: hoi"]
    # Statuses of the assistant's own answers are recorded but concern no inbox reply.
    harness.post("whatsapp", _status(wa, echo["answer"]["messages"][0]["id"], "read"))
    harness.post("whatsapp", _status(wa, wamid, "delivered"))
    harness.post("whatsapp", _status(wa, wamid, "failed", errors=[{
        "code": 131047, "title": "Re-engagement message",
        "error_data": {"details": "More than 24 hours have passed"}}]))
    reported = httpx.get(f"{harness.url}/_harness/statuses").json()
    mine = [r for r in reported if r["delivery_id"] == "4711"]
    assert [r["body"]["status"] for r in mine] == ["delivered", "failed"]
    assert all(r["authorization"] == f"Bearer {INBOX_TOKEN}" for r in mine)
    assert "131047" in mine[1]["body"]["error"] and "24 hours" in mine[1]["body"]["error"]
    assert len(reported) == len(mine)


def test_past_24_hours_whatsapp_takes_the_approved_template_only(harness: Harness) -> None:
    wa = "3165" + _id()[:7]
    harness.post("whatsapp", hooks.whatsapp(PHONE_ID, wa, hooks.whatsapp_text("hoi"),
                                            at=time.time() - 30 * 3600))
    text = httpx.post(f"{harness.url}/_harness/agent-reply", json={
        "channel": "whatsapp", "conversation": f"whatsapp-{wa}", "text": "Hier is je antwoord"})
    assert text.status_code == 500 and text.json()["type"] == "WindowClosed"
    template = httpx.post(f"{harness.url}/_harness/agent-reply", json={
        "channel": "whatsapp", "conversation": f"whatsapp-{wa}", "template": "nl",
        "delivery_id": "4712"})
    assert template.status_code == 200, template.text
    [sent] = [m for m in harness.to(wa) if m.get("type") == "template"]
    assert sent["template"] == {"name": "answer_ready", "language": {"code": "nl"}}


def test_the_customers_name_comes_from_the_graph_profile(harness: Harness) -> None:
    known, unknown = _id(), _id()
    httpx.post(f"{harness.graph_root}/_fake/profiles",
               json={"id": known, "first_name": "Sanne", "last_name": "Jansen"})
    for psid in (known, known, unknown):
        harness.post("messenger", hooks.messaging("page", PAGE_ID, psid,
                                                  hooks.text_message("hoi")))
    names = [m["metadata"]["display_name"] for m in harness.received()
             if m["sender_id"] in (f"messenger-{known}", f"messenger-{unknown}")]
    assert names == ["Sanne Jansen", "Sanne Jansen", None]
    # The second message was answered from the cache: one profile read per person.
    reads = [c for c in harness.sent() if c["method"] == "GET" and c["node"] == known]
    assert len(reads) == 1


def test_a_comment_carries_its_post(harness: Harness) -> None:
    post = f"{PAGE_ID}_POST{_id()}"
    httpx.post(f"{harness.graph_root}/_fake/profiles", json={
        "id": post, "message": "De wintercollectie is er ❄️",
        "permalink_url": f"https://www.facebook.com/{post}"})
    comment = f"{PAGE_ID}_C{_id()}"
    harness.post("messenger", hooks.page_comment(PAGE_ID, post, comment, "U9", "Noor",
                                                 "Hebben jullie deze ook in maat 36?"))
    [message] = [m for m in harness.received()
                 if m["sender_id"] == f"messenger_comment-{comment}"]
    assert message["metadata"]["post"] == {
        "id": post, "text": "De wintercollectie is er ❄️",
        "permalink": f"https://www.facebook.com/{post}"}
    assert message["metadata"]["display_name"] == "Noor"


def _calls_for(harness: Harness, node: str) -> list[tuple[str, dict[str, Any]]]:
    return [(c["edge"], c["body"]) for c in harness.sent() if c["node"] == node]


def _private_replies(harness: Harness, comment_id: str) -> list[dict[str, Any]]:
    return [c["body"] for c in harness.sent()
            if (c["body"].get("recipient") or {}).get("comment_id") == comment_id]


def test_a_question_in_a_comment_gets_a_public_and_a_private_reply(harness: Harness) -> None:
    comment = f"{PAGE_ID}_C{_id()}"
    payload = hooks.page_comment(PAGE_ID, f"{PAGE_ID}_POST1", comment, "U1", "Anna",
                                 "Wat kost de Lina wikkeljurk?")
    assert harness.post("messenger", payload).status_code == 200
    assert harness.post("messenger", payload).status_code == 200  # a retry changes nothing
    [private] = _private_replies(harness, comment)
    assert private["message"]["text"] == "echo: Wat kost de Lina wikkeljurk?"
    assert _calls_for(harness, comment) == [
        ("comments", {"message": "We hebben je een persoonlijk bericht gestuurd 💬"})]
    [thread] = [m for m in harness.received() if m["sender_id"] == f"messenger_comment-{comment}"]
    assert thread["input_channel"] == "messenger_comment"
    assert thread["metadata"]["public"] is True


def test_an_english_instagram_comment_is_answered_in_english(harness: Harness) -> None:
    comment = f"IGC{_id()}"
    payload = {"object": "instagram", "entry": [{"id": IG_ID, "time": int(time.time()),
               "changes": [{"field": "comments", "value": {
                   "id": comment, "text": "How much is the Lina wrap dress in size M?",
                   "from": {"id": "IGU1", "username": "anna"},
                   "media": {"id": "MEDIA1", "media_product_type": "FEED"}}}]}]}
    harness.post("instagram", payload)
    assert len(_private_replies(harness, comment)) == 1
    assert _calls_for(harness, comment) == [
        ("replies", {"message": "We've sent you a private message 💬"})]


def test_a_comment_handed_over_is_answered_publicly_by_the_agent(harness: Harness) -> None:
    comment = f"{PAGE_ID}_C{_id()}"
    harness.post("messenger", hooks.page_comment(
        PAGE_ID, f"{PAGE_ID}_POST1", comment, "U2", "Bo",
        "Dit is een klacht: mijn bestelling is al twee weken onderweg"))
    assert _private_replies(harness, comment) == []
    assert _calls_for(harness, comment) == [("comments", {
        "message": "Dank je voor je reactie! Een collega antwoordt je hier zo snel mogelijk."})]
    answer = httpx.post(f"{harness.url}/_harness/agent-reply", json={
        "channel": "messenger_comment", "conversation": f"messenger_comment-{comment}",
        "text": "Wat vervelend, Bo! Ik stuur je een bericht."})
    assert answer.status_code == 200, answer.text
    assert _calls_for(harness, comment)[-1] == (
        "comments", {"message": "Wat vervelend, Bo! Ik stuur je een bericht."})


def test_spam_praise_and_our_own_replies(harness: Harness) -> None:
    spam, praise, ig_praise, own = (f"{PAGE_ID}_C{_id()}", f"{PAGE_ID}_C{_id()}",
                                    f"IGC{_id()}", f"{PAGE_ID}_C{_id()}")
    post = f"{PAGE_ID}_POST1"
    harness.post("messenger", hooks.page_comment(PAGE_ID, post, spam, "U3", "X",
                                                 "Earn $500 a day with crypto, DM me"))
    harness.post("messenger", hooks.page_comment(PAGE_ID, post, praise, "U4", "Y",
                                                 "Prachtig! 😍"))
    harness.post("messenger", hooks.page_comment(PAGE_ID, post, own, PAGE_ID, "Linde & Co",
                                                 "Wat kost dit? Kijk in je inbox"))
    harness.post("instagram", {"object": "instagram", "entry": [{"id": IG_ID, "changes": [{
        "field": "comments", "value": {"id": ig_praise, "text": "love it 🔥",
                                       "from": {"id": "IGU2", "username": "z"},
                                       "media": {"id": "MEDIA1"}}}]}]})
    assert _calls_for(harness, spam) == []
    assert _calls_for(harness, own) == []
    assert _calls_for(harness, praise) == [("likes", {})]
    assert _calls_for(harness, ig_praise) == [("replies", {"message": "Thank you! 💚"})]
    spoken = {m["sender_id"] for m in harness.received()}
    assert not {f"messenger_comment-{c}" for c in (spam, praise, own)} & spoken


@pytest.mark.redis
def test_with_redis_configured_deliveries_and_windows_live_in_redis(
    tmp_path: Path, redis_url: str, redis_prefix: str
) -> None:
    import redis

    env = {"CHANNELS_REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix}
    with _running_harness(tmp_path, env) as running:
        psid = _id()
        payload = hooks.messaging("page", PAGE_ID, psid, hooks.text_message("hoi"))
        assert running.post("messenger", payload).status_code == 200
        assert running.post("messenger", payload).status_code == 200
        assert len([m for m in running.received() if m["sender_id"] == f"messenger-{psid}"]) == 1
        assert len(running.to(psid)) == 1
    client = redis.Redis.from_url(redis_url)
    try:
        mid = payload["entry"][0]["messaging"][0]["message"]["mid"]
        assert client.exists(f"{redis_prefix}:channels:seen:messenger:{mid}")
        assert client.exists(f"{redis_prefix}:channels:inbound:messenger:{psid}")
    finally:
        client.close()
    # Nothing went to the SQLite fallback.
    assert not (tmp_path / "channels.db").exists()
