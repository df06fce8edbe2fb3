// The dashboard for admins and team leads. The charts are SVG drawn by the server
// (inbox_api/dashboard/charts.py, every label escaped there); they are parsed as SVG
// documents and imported, never assigned through innerHTML. Nothing is loaded from outside.
"use strict";

const I18N = {
  nl: {
    title: "Dashboard", to_inbox: "Inbox", logout: "Uitloggen", login_title: "Inloggen",
    email: "E-mail", password: "Wachtwoord", login: "Inloggen", login_failed: "Inloggen mislukt",
    since: "Van", until: "Tot en met", show: "Toon", export: "Exporteer CSV",
    follow_ups: "Opvolging van slechte beoordelingen", no_follow_ups: "Niets op te volgen.",
    done: "Afgehandeld", not_allowed: "Het dashboard is voor beheerders en teamleiders.",
    tickets: "tickets", rating: "beoordeling", error: "Er ging iets mis",
  },
  en: {
    title: "Dashboard", to_inbox: "Inbox", logout: "Log out", login_title: "Log in",
    email: "Email", password: "Password", login: "Log in", login_failed: "Login failed",
    since: "From", until: "To (inclusive)", show: "Show", export: "Export CSV",
    follow_ups: "Follow-ups of bad ratings", no_follow_ups: "Nothing to follow up.",
    done: "Done", not_allowed: "The dashboard is for admins and team leads.",
    tickets: "tickets", rating: "rating", error: "Something went wrong",
  },
};
const ORDER = ["sla", "first_response", "csat", "containment", "by_language", "by_channel", "by_reason", "agents"];
const t = (key) => (I18N[session.lang] || I18N.nl)[key] || key;
session.t = t;
session.onSignedOut = () => showLogin("");
const state = { data: null };

function showLogin(message) {
  $("#login-view").hidden = false;
  $("#dashboard-view").hidden = true;
  $("#logout").hidden = true;
  $("#login-error").textContent = message || "";
}

// The business day as the page shows it, and the instant the API wants (its start, local).
const isoDay = (date) => date.toISOString().slice(0, 10);
function periodQuery() {
  const form = $("#period");
  const until = new Date(form.until.value + "T00:00:00");
  until.setDate(until.getDate() + 1);
  const params = new URLSearchParams({
    since: new Date(form.since.value + "T00:00:00").toISOString(),
    until: until.toISOString(),
    lang: session.lang,
  });
  return params.toString();
}

function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (root.nodeName !== "svg") return el("p", { class: "error" }, t("error"));
  return document.importNode(root, true);
}

function renderCharts() {
  const data = state.data;
  $("#charts").replaceChildren(...ORDER.filter((name) => data.charts[name]).map((name) =>
    el("figure", { class: "card chart-card", id: `chart-${name}`, dataset: { chart: name } }, svgNode(data.charts[name]))));
  const total = Object.values(data.by_language).reduce((a, b) => a + b, 0);
  $("#summary").textContent = `${total} ${t("tickets")}`;
}

async function loadFollowUps() {
  const items = await api("/api/v1/csat/follow-ups");
  const list = $("#follow-ups");
  if (!items.length) { list.replaceChildren(el("li", { class: "muted" }, t("no_follow_ups"))); return; }
  list.replaceChildren(...items.map((item) => el("li", { dataset: { followUp: item.id } },
    el("a", { href: `/staff/#ticket-${item.ticket_id}` }, `#${item.ticket_id}`),
    ` · ${t("rating")} ${item.rating}${item.scale === "one_to_five" ? "/5" : ""} · ${item.assignee || "–"} · `,
    el("span", { class: "text" }, item.comment || ""),
    " ",
    el("button", { type: "button", class: "link", onclick: async () => {
      try { await api(`/api/v1/csat/follow-ups/${item.id}/done`, { method: "POST" }); await loadFollowUps(); }
      catch (err) { toast(err.message, "bad"); }
    } }, t("done")))));
}

async function load() {
  state.data = await api("/api/v1/dashboard?" + periodQuery());
  renderCharts();
}

async function exportCsv() {
  const response = await fetch("/api/v1/dashboard/export.csv?" + periodQuery(), { headers: { Authorization: "Bearer " + session.token } });
  if (!response.ok) { toast(t("error"), "bad"); return; }
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `dashboard-${$("#period").since.value}-${$("#period").until.value}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}

async function start() {
  if (!session.token) return showLogin("");
  let me;
  try { me = await api("/api/v1/staff/me"); } catch (err) { return showLogin(""); }
  $("#whoami").textContent = me.name;
  $("#login-view").hidden = true;
  $("#logout").hidden = false;
  $("#dashboard-view").hidden = false;
  const answer = await call("/api/v1/dashboard?" + periodQuery(), {}, [403]).catch((err) => ({ status: 0, error: err }));
  if (answer.status === 403) return showLogin(t("not_allowed"));
  if (answer.error) { toast(answer.error.message, "bad"); return; }
  state.data = answer.body;
  renderCharts();
  await loadFollowUps().catch((err) => toast(err.message, "bad"));
}

document.addEventListener("DOMContentLoaded", () => {
  const today = new Date();
  const from = new Date(today);
  from.setDate(from.getDate() - 13);
  $("#period").since.value = isoDay(from);
  $("#period").until.value = isoDay(today);
  translateFixedTexts();
  $("#lang-toggle").addEventListener("click", () => {
    session.toggleLanguage();
    translateFixedTexts();
    if (state.data) load().catch((err) => toast(err.message, "bad"));
  });
  $("#logout").addEventListener("click", () => { session.signOut(); showLogin(""); });
  $("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      const body = await api("/api/v1/auth/login", { method: "POST", body: JSON.stringify({ email: form.get("email"), password: form.get("password") }) });
      session.signIn(body.access_token);
      await start();
    } catch (err) { $("#login-error").textContent = `${t("login_failed")}: ${err.message}`; }
  });
  $("#period").addEventListener("submit", (event) => { event.preventDefault(); load().catch((err) => toast(err.message, "bad")); });
  $("#export").addEventListener("click", () => exportCsv().catch((err) => toast(err.message, "bad")));
  start();
});
