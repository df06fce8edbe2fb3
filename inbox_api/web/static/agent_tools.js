// Working a ticket fast: the "/" saved-reply picker and its placeholders, answers at hand,
// keyboard shortcuts (listed on "?"), snooze, and @mention notifications. Loaded after
// staff.js, whose state and actions it uses; text enters the page only as text nodes.
"use strict";

Object.assign(window.I18N.nl, {
  answers: "Antwoorden bij de hand", understood: "Begrepen", loading: "Laden…", insert: "Invoegen",
  price: "Prijs", sale: "Sale", stock: "Voorraad", restock: "Weer op voorraad", size: "Maat", color: "Kleur",
  no_products: "Geen producten genoemd", unknown_products: "Niet in de catalogus",
  order: "Bestelling", order_none_mentioned: "Geen bestelling genoemd",
  order_not_verified: "Bestelling pas zichtbaar als de klant zich in het gesprek heeft geverifieerd",
  order_unknown: "Deze bestelling bestaat niet (meer)", brand_answer: "Antwoord van het merk",
  no_brand_answer: "Geen merkantwoord voor dit onderwerp", ret_returnable: "retour mogelijk tot",
  ret_window_closed: "retourtermijn verlopen op", ret_not_delivered: "nog niet bezorgd",
  ret_nothing_returnable: "niets retourneerbaar",
  missing_variant: "geen", fill_in: "Vul eerst in", shortcuts: "Sneltoetsen",
  k_next: "Volgend ticket", k_prev: "Vorig ticket", k_reply: "Antwoord typen", k_note: "Notitie typen",
  k_claim: "Oppakken", k_waiting: "Wacht op klant", k_resolve: "Oplossen", k_snooze: "Snoozen",
  k_saved: "Opgeslagen antwoorden (/ in het antwoordvak)", k_fact: "Feit n invoegen", k_help: "Deze lijst",
  k_send: "Versturen (in een tekstvak)", k_escape: "Tekstvak verlaten", k_tab: "Volgende [[invulplek]]",
  snooze: "Snoozen…", snooze_1h: "1 uur", snooze_4h: "4 uur", snooze_tomorrow: "Morgen 9:00",
  snooze_reply: "Tot de klant antwoordt", snooze_custom: "Tot…", snoozed_until: "Gesnoozed tot",
  snoozed_reply: "Gesnoozed tot de klant antwoordt", snooze_shortened: "eerder vanwege SLA",
  wake: "Wakker maken", f_snoozed: "Gesnoozed", notifications: "Meldingen",
  no_notifications: "Geen meldingen", mentioned_you: "noemde je in", read_all: "Alles gelezen",
  mention_hint: "Noem een collega met @", saved_replies: "Opgeslagen antwoorden", teams: "Teams",
});
Object.assign(window.I18N.en, {
  answers: "Answers at hand", understood: "Understood", loading: "Loading…", insert: "Insert",
  price: "Price", sale: "Sale", stock: "Stock", restock: "Back in stock", size: "Size", color: "Colour",
  no_products: "No products mentioned", unknown_products: "Not in the catalogue",
  order: "Order", order_none_mentioned: "No order mentioned",
  order_not_verified: "The order shows once the customer verified it in the conversation",
  order_unknown: "This order does not exist (any more)", brand_answer: "Brand answer",
  no_brand_answer: "No brand answer for this topic", ret_returnable: "returnable until",
  ret_window_closed: "return period ended on", ret_not_delivered: "not delivered yet",
  ret_nothing_returnable: "nothing returnable",
  missing_variant: "no", fill_in: "Fill in first", shortcuts: "Keyboard shortcuts",
  k_next: "Next ticket", k_prev: "Previous ticket", k_reply: "Type a reply", k_note: "Type a note",
  k_claim: "Claim", k_waiting: "Waiting on customer", k_resolve: "Resolve", k_snooze: "Snooze",
  k_saved: "Saved replies (/ in the reply box)", k_fact: "Insert fact n", k_help: "This list",
  k_send: "Send (in a text box)", k_escape: "Leave a text box", k_tab: "Next [[placeholder]]",
  snooze: "Snooze…", snooze_1h: "1 hour", snooze_4h: "4 hours", snooze_tomorrow: "Tomorrow 9:00",
  snooze_reply: "Until the customer answers", snooze_custom: "Until…", snoozed_until: "Snoozed until",
  snoozed_reply: "Snoozed until the customer answers", snooze_shortened: "earlier because of the SLA",
  wake: "Wake up", f_snoozed: "Snoozed", notifications: "Notifications",
  no_notifications: "No notifications", mentioned_you: "mentioned you in", read_all: "Mark all read",
  mention_hint: "Mention a colleague with @", saved_replies: "Saved replies", teams: "Teams",
});

const tools = {
  replies: [],
  mentionable: [],
  // Answers at hand per ticket id (kept across live re-renders, refreshed on each render).
  answers: {},
  facts: [],
  notifications: { items: [], unread: 0 },
  picker: null,
  snoozeTimer: null,
  opening: null,
};

const PLACEHOLDER = /\[\[[^[\]]*\]\]/g;
const HAS_PLACEHOLDER = /\[\[[^[\]]*\]\]/;
const KEYS = [
  ["j", "k_next"], ["k", "k_prev"], ["r", "k_reply"], ["n", "k_note"], ["c", "k_claim"],
  ["w", "k_waiting"], ["e", "k_resolve"], ["s", "k_snooze"], ["/", "k_saved"], ["1–9", "k_fact"],
  ["?", "k_help"], ["Ctrl+Enter", "k_send"], ["Tab", "k_tab"], ["Esc", "k_escape"],
];

// ---- text boxes ----------------------------------------------------------------------------
const replyArea = () => document.querySelector("#reply-form textarea");
const noteArea = () => document.querySelector("#note-form textarea");

function changed(area) { area.dispatchEvent(new Event("input", { bubbles: true })); }

function unfinished(text) {
  const placeholders = text.match(PLACEHOLDER) || [];
  const variables = text.match(/\{\{[^{}]*\}\}/g) || [];
  return [...new Set([...placeholders, ...variables])];
}

// Select the next [[placeholder]] at or after `from` (wrapping round); false when none is left.
function selectPlaceholder(area, from) {
  const found = [...area.value.matchAll(PLACEHOLDER)];
  if (!found.length) return false;
  const next = found.find((m) => m.index >= from) || found[0];
  area.focus();
  area.setSelectionRange(next.index, next.index + next[0].length);
  return true;
}

// The one way text enters a text box: replace [start, end), put the cursor after it, and tell
// the page (draft kept, placeholders and picker re-checked).
function insertAt(area, text, start, end) {
  area.setRangeText(text, start, end, "end");
  changed(area);
}

function insertFact(text) {
  const area = replyArea();
  if (!area) return;
  const start = area.selectionStart;
  const before = area.value.slice(0, start);
  const glue = before && !/\s$/.test(before) ? " " : "";
  insertAt(area, glue + text, start, area.selectionEnd);
  area.focus();
}

// ---- the picker under a text box: "/" for saved replies, "@" in notes for colleagues ---------
function tokenBefore(area, sign, chars) {
  const before = area.value.slice(0, area.selectionStart);
  const match = new RegExp(`(^|\\s)\\${sign}(${chars}*)$`).exec(before);
  if (!match) return null;
  return { query: match[2].toLowerCase(), start: area.selectionStart - match[2].length - 1, end: area.selectionStart };
}

function closePicker() {
  if (tools.picker) tools.picker.node.remove();
  tools.picker = null;
}

function openPicker(area, token, items, choose) {
  closePicker();
  if (!items.length) return;
  const node = el("ul", { class: "picker", id: "picker", role: "listbox" });
  tools.picker = { node, area, token, items, choose, index: items.findIndex((i) => !i.disabled) };
  items.forEach((item, i) => node.append(el("li", {
      role: "option", class: item.disabled ? "disabled" : "", dataset: { key: item.key, index: i },
      onmousedown: (e) => { e.preventDefault(); if (!item.disabled) pick(i); },
    },
    el("strong", {}, item.label), el("span", { class: "muted" }, ` ${item.detail || ""}`),
    item.flag ? el("span", { class: "flag" }, item.flag) : null)));
  area.closest("label").after(node);
  highlight();
}

function highlight() {
  const p = tools.picker;
  p.node.querySelectorAll("li").forEach((li, i) => li.classList.toggle("active", i === p.index));
}

function movePicker(step) {
  const p = tools.picker;
  for (let i = 1; i <= p.items.length; i++) {
    const next = (p.index + step * i + p.items.length * 2) % p.items.length;
    if (!p.items[next].disabled) { p.index = next; break; }
  }
  highlight();
}

function pick(index) {
  const p = tools.picker;
  if (!p || index < 0 || p.items[index].disabled) return;
  closePicker();
  p.choose(p.items[index], p.token);
}

function savedReplyItems(query) {
  const language = state.current.language;
  return tools.replies
    .filter((r) => r.shortcut.startsWith(query))
    .slice(0, 8)
    .map((r) => {
      const missing = r.missing_languages.includes(language);
      return {
        key: r.shortcut, label: `/${r.shortcut}`, detail: r.title, disabled: missing,
        // Flagged, never offered in the other language.
        flag: missing ? `${t("missing_variant")} ${language.toUpperCase()}` : null,
      };
    });
}

async function insertSavedReply(item, token) {
  const id = state.current.id;
  try {
    const rendered = await api(`/api/v1/tickets/${id}/saved-replies/${encodeURIComponent(item.key)}`);
    const area = replyArea();
    if (!area || state.current.id !== id) return;
    insertAt(area, rendered.text, token.start, token.end);
    if (!selectPlaceholder(area, token.start)) area.focus();
  } catch (err) { toast(err.message, "bad"); }
}

function colleagueItems(query) {
  return tools.mentionable
    .filter((p) => p.id !== state.me.id && (p.handle.startsWith(query) || p.name.toLowerCase().startsWith(query)))
    .slice(0, 8)
    .map((p) => ({ key: p.handle, label: `@${p.handle}`, detail: p.name }));
}

function insertMention(item, token) {
  const area = noteArea();
  if (!area) return;
  insertAt(area, `@${item.key} `, token.start, token.end);
  area.focus();
}

function updatePicker(area) {
  if (area === replyArea()) {
    const token = tokenBefore(area, "/", "[a-z0-9_-]");
    if (token) return openPicker(area, token, savedReplyItems(token.query), insertSavedReply);
  } else if (area === noteArea()) {
    const token = tokenBefore(area, "@", "[\\w.\\-]");
    if (token) return openPicker(area, token, colleagueItems(token.query), insertMention);
  }
  closePicker();
}

function onTextKey(e) {
  const area = e.target;
  const p = tools.picker;
  if (p && p.area === area) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); movePicker(e.key === "ArrowDown" ? 1 : -1); return; }
    if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); pick(p.index); return; }
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); closePicker(); return; }
  }
  if (e.key === "Tab" && !e.shiftKey && area === replyArea() && HAS_PLACEHOLDER.test(area.value)) {
    e.preventDefault();
    selectPlaceholder(area, area.selectionEnd);
    return;
  }
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); area.form.requestSubmit(); }
}

// A reply with placeholders left never leaves the page (the API refuses it too).
document.addEventListener("submit", (e) => {
  if (e.target.id !== "reply-form") return;
  const area = e.target.querySelector("textarea");
  const left = unfinished(area.value);
  if (!left.length) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  toast(`${t("fill_in")}: ${left.join(", ")}`, "bad");
  selectPlaceholder(area, 0);
}, true);

// ---- answers at hand -------------------------------------------------------------------------
function factRow(text, label, ...details) {
  tools.facts.push(text);
  const n = tools.facts.length;
  return el("li", { class: "fact", dataset: { fact: n } },
    el("div", { class: "row" },
      el("kbd", {}, String(n)), el("strong", {}, label), el("span", { class: "spacer" }),
      el("button", { type: "button", class: "insert-fact", onclick: () => insertFact(text) }, t("insert"))),
    ...details,
    el("p", { class: "small fact-text" }, text));
}

function variantTable(product) {
  return el("table", { class: "variants small" },
    el("thead", {}, el("tr", {}, el("th", {}, t("size")), el("th", {}, t("color")), el("th", {}, t("stock")), el("th", {}, t("restock")))),
    el("tbody", {}, product.variants.map((v) => el("tr", { class: v.stock ? "" : "sold-out" },
      el("td", {}, v.size), el("td", {}, v.color), el("td", {}, String(v.stock)), el("td", {}, v.restock_text || "")))));
}

function answersPanel(tk) {
  const data = tools.answers[tk.id];
  tools.facts = [];
  const box = el("section", { id: "answers", class: "answers" }, el("h3", {}, t("answers")));
  if (!data) { box.append(el("p", { class: "muted small" }, t("loading"))); return box; }
  const understood = [
    ...data.intents.map((i) => `${i.name} (${Math.round(i.confidence * 100)}%)`),
    ...data.entities.map((e) => `${e.entity}: ${e.value}`),
  ];
  box.append(el("p", { class: "small", id: "understood" }, `${t("understood")}: ${understood.join(" · ") || t("none")}`));
  const facts = el("ol", { class: "facts" });
  for (const product of data.products) {
    const price = product.sale_price_text ? `${t("sale")} ${product.sale_price_text} (${product.price_text})` : product.price_text;
    facts.append(factRow(product.insert, `${product.name} · ${price}`, variantTable(product)));
  }
  if (data.order) {
    const o = data.order;
    const verdict = `${t("ret_" + o.return_verdict)}${o.return_deadline ? " " + o.return_deadline : ""}`;
    facts.append(factRow(o.insert, `${t("order")} ${o.number} · ${o.status} · ${verdict}`));
  }
  if (data.brand_answer) {
    const brand = factRow(data.brand_answer.insert, `${t("brand_answer")} · ${data.brand_answer.title}`);
    brand.dataset.brandTopic = data.brand_answer.topic;
    facts.append(brand);
  }
  box.append(facts);
  const notes = [];
  if (!data.products.length) notes.push(t("no_products"));
  if (data.unknown_products.length) notes.push(`${t("unknown_products")}: ${data.unknown_products.join(", ")}`);
  if (data.order_hidden) notes.push(t("order_" + data.order_hidden));
  if (!data.brand_answer) notes.push(t("no_brand_answer"));
  box.append(el("p", { class: "muted small" }, notes.join(" · ")));
  return box;
}

async function refreshAnswers(id) {
  try {
    tools.answers[id] = await api(`/api/v1/tickets/${id}/answers`);
  } catch (err) { return; }
  const box = document.querySelector("#answers");
  if (box && state.current && state.current.id === id) box.replaceWith(answersPanel(state.current));
}

// ---- snooze ----------------------------------------------------------------------------------
function snoozeUntil(choice) {
  const at = new Date();
  if (choice === "1h") at.setHours(at.getHours() + 1);
  else if (choice === "4h") at.setHours(at.getHours() + 4);
  else if (choice === "tomorrow") { at.setDate(at.getDate() + 1); at.setHours(9, 0, 0, 0); }
  return at.toISOString();
}

async function snooze(body) {
  const id = state.current.id;
  try {
    const granted = await api(`/api/v1/tickets/${id}/snooze`, { method: "POST", body: JSON.stringify(body) });
    toast(granted.until ? `${t("snoozed_until")} ${fmtTime(granted.until)}${granted.shortened_by ? ` (${t("snooze_shortened")})` : ""}` : t("snoozed_reply"));
    await openTicket(id);
    await loadQueue();
  } catch (err) { toast(err.message, "bad"); }
}

function snoozeControl(tk) {
  if (tk.status === "resolved") return null;
  if (tk.snooze_mode) {
    return el("span", { class: "row", id: "snoozed" },
      el("span", { class: "badge" }, tk.snooze_mode === "reply" ? t("snoozed_reply") : `${t("snoozed_until")} ${fmtTime(tk.snoozed_until)}`),
      el("button", { type: "button", id: "wake", onclick: async () => {
        try { await api(`/api/v1/tickets/${tk.id}/snooze`, { method: "DELETE" }); await openTicket(tk.id); await loadQueue(); }
        catch (err) { toast(err.message, "bad"); }
      } }, t("wake")));
  }
  const custom = el("input", { type: "datetime-local", id: "snooze-at", hidden: true, "aria-label": t("snooze_custom"),
    onchange: (e) => { if (e.target.value) snooze({ until: new Date(e.target.value).toISOString() }); } });
  const select = el("select", { id: "snooze-choice", "aria-label": t("k_snooze"),
      onchange: (e) => {
        const choice = e.target.value;
        if (choice === "custom") { custom.hidden = false; custom.focus(); return; }
        if (choice === "reply") snooze({ until_customer_replies: true });
        else if (choice) snooze({ until: snoozeUntil(choice) });
      } },
    el("option", { value: "" }, t("snooze")),
    ["1h", "4h", "tomorrow", "reply", "custom"].map((c) => el("option", { value: c }, t("snooze_" + c))));
  return el("span", { class: "snooze" }, select, custom);
}

// ---- notifications -------------------------------------------------------------------------
async function loadNotifications() {
  try { tools.notifications = await api("/api/v1/notifications"); } catch (err) { return; }
  renderBell();
}

function renderBell() {
  const bell = $("#bell");
  if (!bell) return;
  const { items, unread } = tools.notifications;
  bell.querySelector(".count").textContent = String(unread);
  bell.classList.toggle("unread", unread > 0);
  const list = $("#notification-list");
  list.replaceChildren(
    ...(items.length ? items.map((n) => el("li", { class: n.read_at ? "read" : "unread", dataset: { notification: n.id },
        onclick: async () => {
          list.hidden = true;
          if (!n.read_at) await call(`/api/v1/notifications/${n.id}/read`, { method: "POST" }, [404]).catch(() => {});
          await openTicket(n.ticket_id);
          loadNotifications();
        } },
      el("strong", {}, n.by.name), ` ${t("mentioned_you")} #${n.ticket_id}`,
      el("span", { class: "muted small block" }, n.preview)))
      : [el("li", { class: "muted" }, t("no_notifications"))]),
    el("li", {}, el("button", { type: "button", class: "link", onclick: async () => {
      await call("/api/v1/notifications/read", { method: "POST" }).catch(() => {});
      loadNotifications();
    } }, t("read_all"))));
}

function installHeader() {
  if ($("#bell")) return;
  const list = el("ul", { id: "notification-list", class: "notification-list card", hidden: true });
  const bell = el("button", { type: "button", id: "bell", class: "link bell", title: t("notifications"), "aria-label": t("notifications"),
    onclick: () => { list.hidden = !list.hidden; } }, "🔔 ", el("span", { class: "count" }, "0"));
  $("#whoami").before(el("span", { class: "bell-wrap" }, bell, list));
  if (state.me.role === "admin") {
    $("#whoami").after(el("a", { id: "saved-replies-link", class: "link", href: "/staff/saved-replies/", "data-i18n": "saved_replies" }, t("saved_replies")));
    $("#saved-replies-link").after(el("a", { id: "teams-link", class: "link", href: "/staff/teams/", "data-i18n": "teams" }, t("teams")));
  }
  renderBell();
}

// ---- keyboard --------------------------------------------------------------------------------
function helpDialog() {
  let dialog = $("#shortcut-help");
  if (!dialog) {
    dialog = el("dialog", { id: "shortcut-help", class: "card" });
    document.body.append(dialog);
  }
  dialog.replaceChildren(el("h3", {}, t("shortcuts")),
    el("dl", {}, KEYS.flatMap(([key, label]) => [el("dt", {}, el("kbd", {}, key)), el("dd", {}, t(label))])));
  return dialog;
}

function stepTicket(step) {
  const ids = state.tickets.map((tk) => tk.id);
  if (!ids.length) return;
  // From the ticket asked for last, so quick presses step on before the previous one loaded.
  const from = tools.opening ?? (state.current && state.current.id);
  const at = ids.indexOf(from);
  const next = at < 0 ? ids[step > 0 ? 0 : ids.length - 1] : ids[(at + step + ids.length) % ids.length];
  tools.opening = next;
  openTicket(next).finally(() => { if (tools.opening === next) tools.opening = null; });
}

function press(selector) {
  const button = document.querySelector(selector);
  if (button) button.click();
}

document.addEventListener("keydown", (e) => {
  if (!state.me || $("#inbox-view").hidden) return;
  const active = document.activeElement;
  const typing = active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  if (e.key === "Escape") {
    const dialog = $("#shortcut-help");
    if (dialog && dialog.open) dialog.close();
    if (typing) active.blur();
    closePicker();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  const actions = {
    j: () => stepTicket(1), k: () => stepTicket(-1),
    r: () => { const a = replyArea(); if (a) a.focus(); },
    n: () => { const a = noteArea(); if (a) a.focus(); },
    c: () => press("#claim"), w: () => press("#set-waiting"), e: () => press("#resolve"),
    s: () => { const s = $("#snooze-choice"); if (s) s.focus(); },
    "/": () => {
      const a = replyArea();
      if (!a) return;
      a.focus();
      a.setSelectionRange(a.value.length, a.value.length);
      insertFact("/");
      updatePicker(a);
    },
    "?": () => { const d = helpDialog(); if (d.open) d.close(); else d.show(); },
  };
  if (/^[1-9]$/.test(e.key) && tools.facts[Number(e.key) - 1]) {
    e.preventDefault();
    insertFact(tools.facts[Number(e.key) - 1]);
    return;
  }
  if (actions[e.key] && (state.current || "jk?".includes(e.key))) {
    e.preventDefault();
    actions[e.key]();
  }
});

// ---- hooks called by staff.js ----------------------------------------------------------------
window.agentTools = {
  async enter() {
    installHeader();
    [tools.replies, tools.mentionable] = await Promise.all([
      api("/api/v1/saved-replies").catch(() => []),
      api("/api/v1/notifications/mentionable").catch(() => []),
    ]);
    await loadNotifications();
  },

  decorateTicket(tk) {
    const packet = document.querySelector("#ticket details.packet");
    if (packet) packet.after(answersPanel(tk));
    const actions = document.querySelector("#ticket .actions");
    const control = snoozeControl(tk);
    if (actions && control) actions.prepend(control);
    for (const area of [replyArea(), noteArea()]) {
      if (!area) continue;
      area.addEventListener("input", () => updatePicker(area));
      area.addEventListener("keydown", onTextKey);
      area.addEventListener("blur", () => setTimeout(() => { if (tools.picker && tools.picker.area === area) closePicker(); }, 150));
      // A live re-render replaced the text box while its picker was open: open it again on
      // the new box, so Enter still picks instead of breaking the line.
      if (document.activeElement === area) updatePicker(area);
    }
    const note = noteArea();
    if (note) note.placeholder = t("mention_hint");
    refreshAnswers(tk.id);
  },

  onQueue(page) {
    clearTimeout(tools.snoozeTimer);
    if (!page.next_snooze_end_at) return;
    const wait = new Date(page.next_snooze_end_at).getTime() - Date.now() + 500;
    // A snoozed ticket comes back into the queue on its own.
    tools.snoozeTimer = setTimeout(() => loadQueue().catch(() => {}), Math.min(Math.max(wait, 500), 2 ** 31 - 1));
  },

  onEvent(type, data) {
    if (type === "notification.created" && data.for_staff_id === state.me.id) {
      toast(`${t("notifications")}: #${data.ticket_id}`);
      loadNotifications();
    }
  },
};
