// Demo brand page: a chat widget speaking Rasa's socket.io channel. The Engine.IO v4 /
// Socket.IO v5 framing over a WebSocket is small enough to write here, so no client library.
"use strict";

const STRINGS = {
  nl: { tagline: "Tijdloze mode uit Amsterdam", hero_title: "De wintercollectie is er",
        hero_text: "Vraag onze assistent naar prijzen, maten, retouren en events.", chat_title: "Chat met ons",
        send: "Verstuur", session: "Gesprek", new_session: "nieuw gesprek", online: "verbonden", offline: "offline",
        staff_hint: "Rechts: de inbox zoals medewerkers hem zien.",
        brand_title: "Onze Facebook-pagina (nagebootst)", brand_hint: "Via een lokale nabootsing van Meta's Graph API en de echte connectors.",
        your_name: "Je naam", write_comment: "Schrijf een reactie…", comment: "Reageer",
        public_reply: "Linde & Co antwoordde openbaar", private_reply: "Persoonlijk bericht van Linde & Co", liked: "Linde & Co vindt dit leuk",
        messenger_title: "Messenger", human_agent: "medewerker" },
  en: { tagline: "Timeless fashion from Amsterdam", hero_title: "The winter collection is here",
        hero_text: "Ask our assistant about prices, sizes, returns and events.", chat_title: "Chat with us",
        send: "Send", session: "Conversation", new_session: "new conversation", online: "connected", offline: "offline",
        staff_hint: "Right: the inbox as staff see it.",
        brand_title: "Our Facebook page (mock)", brand_hint: "Through a local stand-in for Meta's Graph API and the real connectors.",
        your_name: "Your name", write_comment: "Write a comment…", comment: "Comment",
        public_reply: "Linde & Co replied publicly", private_reply: "Private message from Linde & Co", liked: "Linde & Co likes this",
        messenger_title: "Messenger", human_agent: "colleague" },
};
let lang = localStorage.getItem("demo_lang") || ((navigator.language || "nl").startsWith("en") ? "en" : "nl");
const $ = (s) => document.querySelector(s);

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = STRINGS[lang][n.dataset.i18n] || n.textContent; });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((n) => { n.placeholder = STRINGS[lang][n.dataset.i18nPlaceholder] || ""; });
  $("#lang-toggle").textContent = lang === "nl" ? "EN" : "NL";
}

function sessionId() {
  let id = localStorage.getItem("demo_session_id");
  if (!id) { id = "demo-" + crypto.randomUUID(); localStorage.setItem("demo_session_id", id); }
  return id;
}

function show(text, who) {
  const item = document.createElement("li");
  item.className = who;
  item.textContent = text;  // never innerHTML: bot text may quote the customer
  $("#chat-log").append(item);
  $("#chat-log").scrollTop = $("#chat-log").scrollHeight;
}

function setOnline(on) {
  const node = $("#chat-state");
  node.dataset.i18n = on ? "online" : "offline";
  node.textContent = STRINGS[lang][node.dataset.i18n];
  node.className = "live " + (on ? "on" : "off");
}

class RasaSocket {
  constructor(baseUrl, session) {
    this.url = baseUrl.replace(/^http/, "ws").replace(/\/$/, "") + "/socket.io/?EIO=4&transport=websocket";
    this.session = session;
    this.queue = [];
    this.ready = false;
    this.connect();
  }
  connect() {
    this.ws = new WebSocket(this.url);
    this.ws.onmessage = (e) => this.onPacket(String(e.data));
    this.ws.onclose = () => { this.ready = false; setOnline(false); setTimeout(() => this.connect(), 2000); };
  }
  onPacket(p) {
    const type = p[0];
    if (type === "0") this.ws.send("40");            // engine open -> connect to namespace "/"
    else if (type === "2") this.ws.send("3");        // ping -> pong
    else if (type === "4") this.onSocketIo(p.slice(1));
  }
  onSocketIo(p) {
    if (p[0] === "0") {                                // namespace connected
      this.emit("session_request", { session_id: this.session }, true);
    } else if (p[0] === "2") {                         // event
      const [name, data] = JSON.parse(p.slice(1));
      if (name === "session_confirm") {
        this.ready = true; setOnline(true);
        this.queue.splice(0).forEach((m) => this.emit("user_uttered", m, true));
      } else if (name === "bot_uttered" && data) {
        if (data.text) show(data.text, "bot");
        for (const b of data.quick_replies || data.buttons || []) show("▸ " + b.title, "bot");
      }
    }
  }
  emit(name, data, force) {
    if (!force && !this.ready) { this.queue.push(data); return; }
    this.ws.send("42" + JSON.stringify([name, data]));
  }
  send(text) { this.emit("user_uttered", { message: text, session_id: this.session }); }
}

// ---- the mock brand page: Meta as the visitor sees it, played by the fake Graph API --------
// (demo/brand_page.py). Every text is put in as text, never as HTML.
function node(tag, cls, text) {
  const n = document.createElement(tag);
  if (cls) n.className = cls;
  if (text !== undefined) n.textContent = text;
  return n;
}

function psid() {
  let id = localStorage.getItem("demo_psid");
  if (!id) { id = "DEMO" + crypto.randomUUID().replace(/-/g, "").slice(0, 16); localStorage.setItem("demo_psid", id); }
  return id;
}

async function graphJson(base, path, body) {
  const options = body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {};
  const response = await fetch(base + path, options);
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

function renderPost(post) {
  $("#post-text").textContent = post.message;
  $("#comments").replaceChildren(...post.comments.map((c) => {
    const item = node("li", "comment");
    item.dataset.commentId = c.id;
    item.append(node("strong", "", c.name), node("span", "text", c.text));
    if (c.liked) item.append(node("span", "liked muted small", "👍 " + STRINGS[lang].liked));
    for (const text of c.public_replies) {
      const reply = node("div", "public-reply");
      reply.append(node("span", "muted small", STRINGS[lang].public_reply), node("span", "text", text));
      item.append(reply);
    }
    for (const text of c.private_replies) {
      const reply = node("div", "private-reply");
      reply.append(node("span", "muted small", "✉ " + STRINGS[lang].private_reply), node("span", "text", text));
      item.append(reply);
    }
    return item;
  }));
}

function renderMessenger(chat) {
  const log = $("#messenger-log");
  const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.replaceChildren(...chat.messages.map((m) => {
    const item = node("li", m.from === "customer" ? "user" : "bot", m.text);
    if (m.tag === "HUMAN_AGENT") item.append(node("span", "muted small tag", " · " + STRINGS[lang].human_agent));
    for (const q of m.quick_replies || []) item.append(node("span", "quick-reply", q));
    return item;
  }));
  if (atEnd) log.scrollTop = log.scrollHeight;
}

function startBrandPage(base) {
  $("#brand-page").hidden = false;
  $("#comment-name").value = localStorage.getItem("demo_name") || "";
  const refresh = async () => {
    try {
      renderPost(await graphJson(base, "/_demo/post"));
      renderMessenger(await graphJson(base, "/_demo/chat?psid=" + psid()));
    } catch (err) { /* the fake is restarting: next tick */ }
  };
  $("#comment-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = $("#comment-name").value.trim(), text = $("#comment-input").value.trim();
    if (!name || !text) return;
    localStorage.setItem("demo_name", name);
    await graphJson(base, "/_demo/comments", { name, text });
    $("#comment-input").value = "";
    refresh();
  });
  $("#messenger-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("#messenger-input").value.trim();
    if (!text) return;
    await graphJson(base, "/_demo/chat", { psid: psid(), text, name: $("#comment-name").value.trim() || localStorage.getItem("demo_name") || "" });
    $("#messenger-input").value = "";
    refresh();
  });
  refresh();
  setInterval(refresh, 1500);
}

document.addEventListener("DOMContentLoaded", async () => {
  applyLanguage();
  $("#lang-toggle").addEventListener("click", () => { lang = lang === "nl" ? "en" : "nl"; localStorage.setItem("demo_lang", lang); applyLanguage(); });
  const config = await (await fetch("/demo/config.json")).json();
  $("#session-id").textContent = sessionId();
  const socket = new RasaSocket(config.rasa_url, sessionId());
  if (config.graph_demo_url) startBrandPage(config.graph_demo_url.replace(/\/$/, ""));
  $("#chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("#chat-input").value.trim();
    if (!text) return;
    show(text, "user");
    socket.send(text);
    $("#chat-input").value = "";
  });
  $("#new-session").addEventListener("click", () => { localStorage.removeItem("demo_session_id"); location.reload(); });
});
