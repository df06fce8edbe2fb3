// The staff inbox. Every piece of customer or staff text goes into the page through
// textContent (never innerHTML), so nothing a customer types can run in an agent's browser.
"use strict";

const state = {
  me: null,
  tickets: [],
  current: null,
  liveAbort: null,
  // Half-typed replies and notes per ticket, so live re-renders never wipe them.
  drafts: {},
  // Intents an agent may suggest when resolving (GET /api/v1/review/domain), and the
  // suggestion picked per ticket, kept across live re-renders like the drafts.
  intents: [],
  suggestions: {},
  // Unmasked texts this agent revealed (message id -> text; "packet-<ticket id>" -> packet),
  // kept across live re-renders. Each reveal is written to the audit log by the server.
  revealed: {},
};
const TRAINER_ROLES = ["trainer", "admin"];
const TICKET_ROLES = ["agent", "admin"];

const t = (key) => (window.I18N[session.lang] || window.I18N.nl)[key] || key;
session.t = t;
session.onSignedOut = () => logout();

function applyLanguage() {
  translateFixedTexts();
  renderQueue();
  if (state.current) renderTicket(state.current);
}

// ---- time ------------------------------------------------------------------------------
function fmtDuration(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}
function countdownText(iso) {
  if (!iso) return t("no_deadline");
  const ms = new Date(iso).getTime() - Date.now();
  return ms >= 0 ? `${t("due_in")} ${fmtDuration(ms)}` : `${fmtDuration(ms)} ${t("overdue")}`;
}
// The API writes instants with the offset of the business timezone (a setting): show that
// wall-clock time, whatever the browser's own timezone.
function fmtTime(iso) {
  if (!iso) return "";
  const offset = /([+-])(\d\d):(\d\d)$/.exec(iso);
  const minutes = offset ? (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(new Date(iso).getTime() + minutes * 60000).toLocaleString(session.lang === "nl" ? "nl-NL" : "en-GB", {
    timeZone: "UTC", weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
  });
}
function tickCountdowns() {
  document.querySelectorAll("[data-due]").forEach((node) => {
    const iso = node.dataset.due;
    node.textContent = countdownText(iso);
    node.classList.toggle("overdue", !!iso && new Date(iso).getTime() < Date.now());
  });
  document.querySelectorAll("[data-window]").forEach((node) => {
    const left = new Date(node.dataset.window).getTime() - Date.now();
    node.textContent = windowText(node.dataset.window);
    // Meta's window: the warning shows from two hours before it closes.
    node.classList.toggle("warn", left > 0 && left <= WINDOW_WARN_MS);
    node.classList.toggle("closed", left <= 0);
  });
}
const WINDOW_WARN_MS = 2 * 3600 * 1000;
function windowText(iso) {
  const left = new Date(iso).getTime() - Date.now();
  return left > 0 ? `${t("window_short")} ${fmtDuration(left)}` : t("window_short_closed");
}

// ---- login -------------------------------------------------------------------------------

function logout() {
  session.signOut();
  state.me = null; state.current = null;
  if (state.liveAbort) state.liveAbort.abort();
  $("#inbox-view").hidden = true; $("#role-view").hidden = true;
  $("#login-view").hidden = false; $("#logout").hidden = true;
  $("#whoami").textContent = "";
  $("#training-link").hidden = true;
  $("#reveal-log-link").hidden = true;
  $("#report-link").hidden = true;
  presenceLeave();
  state.intents = []; state.suggestions = {}; state.revealed = {};
}

async function enter() {
  state.me = await api("/api/v1/staff/me");
  $("#whoami").textContent = `${state.me.name} (${state.me.role})`;
  $("#training-link").hidden = !TRAINER_ROLES.includes(state.me.role);
  $("#reveal-log-link").hidden = state.me.role !== "admin";
  $("#report-link").hidden = !TICKET_ROLES.includes(state.me.role);
  $("#login-view").hidden = true; $("#logout").hidden = false;
  // Trainers may not work tickets (the API refuses them): point them to their own page.
  if (!TICKET_ROLES.includes(state.me.role)) { $("#role-view").hidden = false; return; }
  $("#inbox-view").hidden = false;
  await presenceEnter(state.me).catch((err) => toast(err.message, "bad"));
  // Without the intent list the page still works; resolving just offers no suggestion.
  state.intents = await api("/api/v1/review/domain").then((d) => d.intents, () => []);
  await loadQueue();
  await openFromHash();
  startLive();
  if (window.agentTools) await agentTools.enter();
}

// ---- links to a ticket (/staff/#ticket-ID, e.g. from the trainer's review queue) ----------
function ticketIdFromHash() {
  const match = /^#ticket-(\d+)$/.exec(location.hash);
  return match ? Number(match[1]) : null;
}

async function openFromHash() {
  const id = ticketIdFromHash();
  if (id !== null && state.me && !(state.current && state.current.id === id)) await openTicket(id);
}

// ---- queue -------------------------------------------------------------------------------
function filterQuery() {
  const form = $("#filters");
  const params = new URLSearchParams();
  for (const name of ["status", "language", "priority", "reason_class", "assignee"]) {
    if (form[name].value) params.set(name, form[name].value);
  }
  // Snoozed tickets are a view of their own (any unresolved status).
  if (params.get("status") === "snoozed") { params.delete("status"); params.set("snoozed", "true"); }
  return params.toString();
}

async function loadQueue() {
  const page = await api("/api/v1/tickets?" + filterQuery());
  state.tickets = page.items;
  $("#queue-total").textContent = page.total_capped ? `${page.total}+` : page.total;
  renderQueue();
  if (window.agentTools) agentTools.onQueue(page);
}

function renderQueue() {
  const list = $("#queue");
  if (!list) return;
  list.replaceChildren(...state.tickets.map((tk) => el("li", {
      class: "queue-item" + (state.current && state.current.id === tk.id ? " active" : ""),
      dataset: { ticketId: tk.id }, tabindex: 0,
      onclick: () => openTicket(tk.id),
      onkeydown: (e) => { if (e.key === "Enter") openTicket(tk.id); },
    },
    el("div", { class: "row" },
      el("span", { class: "badge lang" }, tk.language.toUpperCase()),
      el("span", { class: `badge prio-${tk.priority}` }, t("p_" + tk.priority)),
      el("span", { class: "badge channel", dataset: { channel: tk.channel } }, channelLabel(tk.channel)),
      el("span", { class: `badge reason-${tk.reason_class}` }, t("rc_" + tk.reason_class)),
      el("span", { class: "muted" }, `#${tk.id} · ${t("s_" + tk.status)}`),
      el("span", { class: "spacer" }),
      el("span", { class: "countdown", dataset: { due: tk.sla_due_at || "" } }, countdownText(tk.sla_due_at))),
    el("div", { class: "row" },
      el("strong", { class: "customer-name" }, tk.customer_name || ""),
      el("span", { class: "spacer" }),
      tk.reply_window_closes_at ? el("span", { class: "window-left small", dataset: { window: tk.reply_window_closes_at } }, windowText(tk.reply_window_closes_at)) : null),
    el("div", { class: "preview" }, tk.preview),
    el("div", { class: "muted small" }, tk.assignee ? tk.assignee.name : t("unassigned")),
  )));
  tickCountdowns();
}

function channelLabel(channel) {
  return t("ch_" + channel) === "ch_" + channel ? channel : t("ch_" + channel);
}

// ---- ticket ------------------------------------------------------------------------------
// Loads can overlap (a live reload of the old ticket while the agent opens the next one):
// only the latest asked for is shown.
let openSequence = 0;
async function openTicket(id) {
  const sequence = ++openSequence;
  try {
    const ticket = await api(`/api/v1/tickets/${id}`);
    if (sequence !== openSequence) return;
    state.current = ticket;
    // The address names the open ticket, so a reload or a copied link opens it again.
    if (location.hash !== `#ticket-${id}`) history.replaceState(null, "", `#ticket-${id}`);
    renderTicket(state.current);
    renderQueue();
  } catch (err) { toast(err.message, "bad"); }
}

async function act(path, body) {
  const id = state.current.id;
  try {
    await api(`/api/v1/tickets/${id}/${path}`, { method: "POST", body: body ? JSON.stringify(body) : undefined });
    await openTicket(id);
    await loadQueue();
    return true;
  } catch (err) { toast(err.message, "bad"); return false; }
}

function clockRow(metric, clock) {
  if (!clock) return null;
  const due = clock.state === "met" || clock.state === "missed" || clock.state === "closed" ? "" : (clock.due_at || "");
  return el("tr", { class: `clock st-${clock.state}`, dataset: { metric } },
    el("th", {}, t("m_" + metric)),
    el("td", { class: "clock-state" }, t("st_" + clock.state)),
    el("td", {}, fmtTime(clock.due_at)),
    el("td", due ? { class: "countdown", dataset: { due } } : {}, due ? countdownText(due) : ""));
}

// Tickets opened by a later customer message have no message in the review queue.
function suggestionPicker(tk) {
  if (!state.intents.length || tk.reason === "customer_message") return null;
  const chosen = state.suggestions[tk.id] || "";
  return el("label", { class: "suggest" },
    el("span", {}, t("suggest_intent")),
    el("select", {
        id: "suggest-intent", name: "suggested_intent",
        onchange: (e) => { state.suggestions[tk.id] = e.target.value; },
      },
      el("option", { value: "" }, t("no_suggestion")),
      state.intents.map((name) => el("option", { value: name, selected: name === chosen }, name))));
}

async function resolve(id) {
  const intent = state.suggestions[id] || "";
  if (!(await act("status", { status: "resolved" }))) return;
  delete state.suggestions[id];
  if (!intent) return;
  try {
    await api(`/api/v1/review/tickets/${id}/suggested-intent`, { method: "PUT", body: JSON.stringify({ intent }) });
    toast(`${t("suggestion_saved")}: ${intent}`);
  } catch (err) { toast(`${t("suggestion_failed")}: ${err.message}`, "bad"); }
}

async function revealMessage(tk, m) {
  try {
    const body = await api(`/api/v1/tickets/${tk.id}/messages/${m.id}/reveal`, { method: "POST", body: JSON.stringify({ reason: null }) });
    state.revealed[m.id] = body.text;
    renderTicket(state.current);
  } catch (err) { toast(`${t("reveal_failed")}: ${err.message}`, "bad"); }
}

async function revealPacket(tk) {
  try {
    const body = await api(`/api/v1/tickets/${tk.id}/packet/reveal`, { method: "POST", body: JSON.stringify({ reason: null }) });
    state.revealed["packet-" + tk.id] = body.packet;
    renderTicket(state.current);
  } catch (err) { toast(`${t("reveal_failed")}: ${err.message}`, "bad"); }
}

// A masked message shows [email], [order], ...; the agent on the ticket may reveal it (audited).
function messageText(tk, m) {
  if (m.id in state.revealed) return [el("span", { class: "text" }, state.revealed[m.id]), el("span", { class: "badge revealed" }, t("revealed"))];
  if (!m.masked) return [el("span", { class: "text" }, m.text)];
  return [el("span", { class: "text" }, m.text),
    el("button", { type: "button", class: "link reveal", title: t("reveal_hint"), onclick: () => revealMessage(tk, m) }, t("reveal"))];
}

async function showRevealLog() {
  try {
    const page = await api("/api/v1/privacy/reveals?limit=100");
    const box = $("#ticket");
    state.current = null;
    box.replaceChildren(
      el("h2", {}, t("reveal_log")),
      el("p", { class: "muted small" }, t("reveal_log_hint")),
      el("table", { id: "reveal-log", class: "log" },
        el("thead", {}, el("tr", {}, [t("when"), t("who"), t("ticket"), t("message"), t("reason")].map((h) => el("th", {}, h)))),
        el("tbody", {}, page.items.map((r) => el("tr", { dataset: { revealId: r.id } },
          el("td", {}, fmtTime(r.at)), el("td", {}, r.staff_name || "–"), el("td", {}, `#${r.ticket_id}`),
          el("td", {}, r.message_id === null ? t("packet") : `#${r.message_id}`), el("td", {}, r.reason || ""))))));
  } catch (err) { toast(err.message, "bad"); }
}

function renderTicket(tk) {
  const box = $("#ticket");
  const packet = state.revealed["packet-" + tk.id] || tk.packet || {};
  const actions = el("div", { class: "actions" });
  if (tk.status !== "resolved") {
    if (!tk.assignee || tk.assignee.id !== state.me.id) actions.append(el("button", { type: "button", id: "claim", onclick: () => act("claim") }, t("claim")));
    if (tk.status === "open") actions.append(el("button", { type: "button", id: "set-waiting", onclick: () => act("status", { status: "waiting_on_customer" }) }, t("waiting")));
    const picker = suggestionPicker(tk);
    if (picker) actions.append(picker);
    actions.append(el("button", { type: "button", id: "resolve", onclick: () => resolve(tk.id) }, t("resolve")));
  } else {
    actions.append(el("button", { type: "button", id: "reopen", onclick: () => act("status", { status: "open" }) }, t("reopen")));
  }
  const clocks = tk.sla.clocks || {};
  const composer = (id, label, button, path) => el("form", {
      id, class: "composer",
      onsubmit: async (e) => {
        e.preventDefault();
        const area = e.target.querySelector("textarea");
        if (!area.value.trim()) return;
        if (await act(path, { text: area.value })) {
          delete (state.drafts[tk.id] || {})[id];
          const fresh = document.querySelector(`#${id} textarea`);
          if (fresh) fresh.value = "";
        }
      },
    },
    el("label", {}, el("span", {}, label), el("textarea", {
      name: "text", rows: 3, maxlength: 4000, required: true,
      oninput: (e) => { (state.drafts[tk.id] ||= {})[id] = e.target.value; },
    })),
    el("button", { type: "submit" }, button));

  const active = document.activeElement;
  const focusedForm = active && active.tagName === "TEXTAREA" && active.form ? active.form.id : null;
  const replyBox = tk.status !== "resolved" ? replyComposer(tk, composer) : null;
  box.replaceChildren(
    el("div", { class: "row" },
      el("h2", {}, `${t("ticket")} #${tk.id}`),
      el("span", { class: "badge lang" }, tk.language.toUpperCase()),
      el("span", { class: `badge prio-${tk.priority}` }, t("p_" + tk.priority)),
      el("span", { class: `badge reason-${tk.reason_class}`, id: "ticket-reason-class" }, t("rc_" + tk.reason_class)),
      el("span", { class: "badge", id: "ticket-status" }, t("s_" + tk.status)),
      el("span", { class: "spacer" }), actions),
    el("p", { class: "customer" }, el("strong", { id: "customer-name" }, tk.customer_name || ""),
      " · ", el("span", { class: "badge channel", id: "ticket-channel" }, channelLabel(tk.channel))),
    el("p", { class: "muted small" },
      `${t("channel")}: ${tk.channel} · ${tk.conversation_id} · ${t("assignee")}: ${tk.assignee ? tk.assignee.name : t("unassigned")}`),
    postContext(packet.post),
    tk.reply_window ? el("p", { id: "reply-window", class: "small" + (tk.reply_window.warning || tk.reply_window.state !== "open" ? " warn" : "") },
      tk.reply_window.state === "open" ? `${t("window_open")} ${fmtDuration(tk.reply_window.seconds_left * 1000)}`
        : tk.reply_window.state === "human_agent" ? `${t("window_human_agent")} ${fmtTime(tk.reply_window.human_agent_until)}`
        : t("window_" + tk.reply_window.state)) : null,
    csatLine(tk),
    el("h3", {}, t("sla")),
    el("table", { class: "clocks" }, el("tbody", {},
      ["first_response", "next_response", "resolution"].map((m) => clockRow(m, clocks[m])))),
    el("details", { class: "packet", open: true },
      el("summary", {}, t("packet")),
      el("dl", {},
        el("dt", {}, t("reason")), el("dd", {}, `${packet.reason || tk.reason} (${t("rc_" + tk.reason_class)})`),
        el("dt", {}, t("intents")), el("dd", {}, (packet.intents || []).map((i) => `${i.name} (${Math.round(i.confidence * 100)}%)`).join(", ") || t("none")),
        el("dt", {}, t("entities")), el("dd", {}, (packet.entities || []).map((e) => `${e.entity}: ${e.value}`).join(", ") || t("none")),
        el("dt", {}, t("attempted")), el("dd", {}, (packet.attempted || []).join(", ") || t("none"))),
      tk.packet_masked && !state.revealed["packet-" + tk.id]
        ? el("button", { type: "button", class: "link reveal", id: "reveal-packet", title: t("reveal_hint"), onclick: () => revealPacket(tk) }, t("reveal"))
        : null,
      el("h4", {}, t("transcript")),
      el("ol", { class: "transcript" }, (packet.transcript || []).map((line) =>
        el("li", { class: "msg " + line.role }, el("span", { class: "who" }, t("r_" + line.role)), el("span", { class: "text" }, line.text))))),
    el("h3", {}, t("messages")),
    el("ol", { class: "messages", id: "messages" }, tk.messages.map((m) => el("li", { class: "msg " + m.role, dataset: { messageId: m.id } },
      el("span", { class: "who" }, m.author ? `${t("r_" + m.role)} · ${m.author.name}` : t("r_" + m.role)),
      el("span", { class: "when muted small" }, fmtTime(m.created_at)),
      ...messageText(tk, m),
      m.delivery_state ? el("span", { class: `delivery d-${m.delivery_state}`, title: m.delivery_error || "" }, t("d_" + m.delivery_state)) : null,
      m.sent_as ? el("span", { class: "badge sent-as" }, t("sent_as_" + m.sent_as)) : null,
      // What the customer's platform reported later (WhatsApp: sent, delivered, read, failed).
      m.channel_status ? el("span", { class: `channel-status cs-${m.channel_status}`, title: fmtTime(m.channel_status_at) }, t("cs_" + m.channel_status)) : null,
      // A refused reply is never retried: the agent must see why, not hover for it.
      m.delivery_state === "failed" ? el("span", { class: "delivery-error" }, m.delivery_error || "") : null))),
    replyBox,
    composer("note-form", t("note"), t("add_note"), "notes"),
  );
  for (const [formId, text] of Object.entries(state.drafts[tk.id] || {})) {
    const area = document.querySelector(`#${formId} textarea`);
    if (area) area.value = text;
  }
  if (focusedForm) {
    const area = document.querySelector(`#${focusedForm} textarea`);
    if (area) { area.focus(); area.setSelectionRange(area.value.length, area.value.length); }
  }
  if (window.agentTools) agentTools.decorateTicket(tk);
  tickCountdowns();
}

// The post a public comment was written under (text from the Graph API, link to Facebook).
function postContext(post) {
  if (!post) return null;
  return el("blockquote", { class: "post-context", id: "post-context" },
    el("span", { class: "muted small" }, t("post_context")),
    el("span", { class: "text" }, post.text || ""),
    // The inbox accepts only http(s) links here (schemas.PostContext).
    post.permalink ? el("a", { href: post.permalink, target: "_blank", rel: "noopener noreferrer" }, t("post_open")) : null);
}

// The reply box follows Meta's window: a plain reply inside 24 hours; past it the box says
// why, and offers what is still allowed (the HUMAN_AGENT tag up to 7 days on Messenger and
// Instagram, the approved template on WhatsApp). The server enforces the same rules.
function replyComposer(tk, composer) {
  const w = tk.reply_window;
  if (!w || w.state === "open") return composer("reply-form", t("reply"), t("send_reply"), "replies");
  if (w.state === "human_agent") {
    const form = composer("reply-form", t("reply"), t("send_human_agent"), "replies");
    form.prepend(el("p", { class: "window-notice warn small", id: "window-notice" },
      `${t("why_human_agent")} ${fmtTime(w.closes_at)}. ${t("human_agent_until")} ${fmtTime(w.human_agent_until)}.`));
    return form;
  }
  const notice = el("p", { class: "window-notice warn small", id: "window-notice" },
    w.state === "template_only" ? `${t("why_template")} ${fmtTime(w.closes_at)}.` : `${t("why_closed")} ${fmtTime(w.human_agent_until)}.`);
  if (w.state !== "template_only") return el("div", { id: "reply-form", class: "composer blocked" }, notice);
  return el("form", {
      id: "reply-form", class: "composer blocked",
      onsubmit: async (e) => { e.preventDefault(); await act("replies", { mode: "template" }); },
    },
    notice,
    el("p", { class: "template-preview small" }, `${t("template_preview")}: `,
      el("q", { lang: "nl" }, TEMPLATE_TEXT.nl), " / ", el("q", { lang: "en" }, TEMPLATE_TEXT.en)),
    el("button", { type: "submit", id: "send-template" }, t("send_template")));
}
// The approved template (inbox_api/tickets/reply_window.py); the customer gets their language.
const TEMPLATE_TEXT = {
  nl: "We hebben een antwoord voor je — reageer om verder te gaan.",
  en: "We have an answer for you — reply to continue.",
};

// ---- live updates (SSE over fetch, so the token travels in a header, not the URL) ----------
let reloadTimer = null;
function scheduleReload(ticketId) {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(async () => {
    try {
      await loadQueue();
      if (state.current && (ticketId === undefined || ticketId === state.current.id)) await openTicket(state.current.id);
    } catch (err) { /* shown on the next action */ }
  }, 150);
}

function onEvent(type, data) {
  // The server ends the stream when this login expires or is revoked (new password, account off).
  if (type === "session_ended") { logout(); return; }
  if (type === "ready") { $("#live-state").dataset.i18n = "live_on"; $("#live-state").textContent = t("live_on"); $("#live-state").className = "live on"; return; }
  if (type === "ticket.created") toast(`${t("new_ticket")} #${data.ticket_id}`);
  if (type === "sla.warning") toast(`${t("sla_warning")}: #${data.ticket_id} · ${t("m_" + data.metric)}`, "warn");
  if (type === "sla.breach") toast(`${t("sla_breach")}: #${data.ticket_id} · ${t("m_" + data.metric)}`, "bad");
  if (type === "window.warning") toast(`${t("window_warning")}: #${data.ticket_id} · ${channelLabel(data.channel)} · ${fmtTime(data.closes_at)}`, "warn");
  if (window.agentTools) agentTools.onEvent(type, data);
  presenceEvent(type, data);
  scheduleReload(data.ticket_id);
}

async function startLive() {
  if (state.liveAbort) state.liveAbort.abort();
  const controller = new AbortController();
  state.liveAbort = controller;
  while (!controller.signal.aborted && session.token) {
    try {
      const response = await fetch("/api/v1/live/events", { headers: { Authorization: "Bearer " + session.token }, signal: controller.signal });
      // The stream ends when the token expires or is revoked; reconnecting then signs out.
      if (response.status === 401) { logout(); return; }
      if (!response.ok) throw new Error(String(response.status));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
          let type = "message", data = "";
          for (const line of chunk.split("\n")) {
            if (line.startsWith("event: ")) type = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data) { try { onEvent(type, JSON.parse(data)); } catch (err) { /* ignore malformed */ } }
        }
      }
    } catch (err) {
      if (controller.signal.aborted) return;
    }
    $("#live-state").dataset.i18n = "live_off"; $("#live-state").textContent = t("live_off"); $("#live-state").className = "live off";
    await new Promise((r) => setTimeout(r, 2000));
    scheduleReload();
  }
}

// ---- start ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("#login-form").addEventListener("submit", loginHandler(enter));
  $("#logout").addEventListener("click", logout);
  $("#reveal-log-link").addEventListener("click", showRevealLog);
  $("#filters").addEventListener("change", () => loadQueue().catch((e) => toast(e.message, "bad")));
  $("#lang-toggle").addEventListener("click", () => {
    session.toggleLanguage();
    applyLanguage();
  });
  window.addEventListener("hashchange", () => openFromHash().catch((e) => toast(e.message, "bad")));
  applyLanguage();
  setInterval(tickCountdowns, 1000);
  if (session.token) enter().catch(() => logout());
});
