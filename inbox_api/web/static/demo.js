// Demo brand page: a chat widget speaking Rasa's socket.io channel. The Engine.IO v4 /
// Socket.IO v5 framing over a WebSocket is small enough to write here, so no client library.
"use strict";

const STRINGS = {
  nl: { tagline: "Tijdloze mode uit Amsterdam", hero_title: "De wintercollectie is er",
        hero_text: "Vraag onze assistent naar prijzen, maten, retouren en events.", chat_title: "Chat met ons",
        send: "Verstuur", session: "Gesprek", new_session: "nieuw gesprek", online: "verbonden", offline: "offline",
        staff_hint: "Rechts: de inbox zoals medewerkers hem zien." },
  en: { tagline: "Timeless fashion from Amsterdam", hero_title: "The winter collection is here",
        hero_text: "Ask our assistant about prices, sizes, returns and events.", chat_title: "Chat with us",
        send: "Send", session: "Conversation", new_session: "new conversation", online: "connected", offline: "offline",
        staff_hint: "Right: the inbox as staff see it." },
};
let lang = localStorage.getItem("demo_lang") || ((navigator.language || "nl").startsWith("en") ? "en" : "nl");
const $ = (s) => document.querySelector(s);

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = STRINGS[lang][n.dataset.i18n] || n.textContent; });
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

document.addEventListener("DOMContentLoaded", async () => {
  applyLanguage();
  $("#lang-toggle").addEventListener("click", () => { lang = lang === "nl" ? "en" : "nl"; localStorage.setItem("demo_lang", lang); applyLanguage(); });
  const config = await (await fetch("/demo/config.json")).json();
  $("#session-id").textContent = sessionId();
  const socket = new RasaSocket(config.rasa_url, sessionId());
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
