// The SLA report page: response times and containment (conversations resolved without a human).
// Every value from the API enters the page as text (common.js `el`), never as HTML.
"use strict";

const STRINGS = {
  nl: {
    title: "SLA-rapport", to_inbox: "Inbox", logout: "Uitloggen", login_title: "Inloggen",
    email: "E-mail", password: "Wachtwoord", login: "Inloggen", login_failed: "Inloggen mislukt",
    error: "Er ging iets mis", not_allowed: "Het rapport is er voor agents en beheerders.",
    since: "Van", until: "Tot en met", bucket: "Per", per_day: "dag", per_week: "week",
    show: "Tonen", containment_title: "Zonder mens opgelost",
    containment_help: "Gesprekken die in deze periode begonnen en nooit bij een collega kwamen.",
    of_conversations: "{c} van {n} gesprekken", over_time: "In de tijd",
    language: "Taal", channel: "Kanaal", intent: "Onderwerp", period: "Periode",
    conversations: "Gesprekken", contained: "Zonder mens", share: "Aandeel",
    sla_title: "Reactietijden", tickets: "Tickets", median_first: "Mediaan eerste reactie",
    metric: "Klok", met: "Gehaald", missed: "Gemist", attainment: "Gehaald %",
    first_response: "Eerste reactie", next_response: "Volgende reactie", resolution: "Oplossing",
    breaches: "Overschrijdingen", by_language: "per taal", minutes: "{m} min",
    no_data: "Geen gesprekken in deze periode.",
  },
  en: {
    title: "SLA report", to_inbox: "Inbox", logout: "Log out", login_title: "Log in",
    email: "Email", password: "Password", login: "Log in", login_failed: "Login failed",
    error: "Something went wrong", not_allowed: "The report is for agents and admins.",
    since: "From", until: "Up to and including", bucket: "Per", per_day: "day", per_week: "week",
    show: "Show", containment_title: "Resolved without a human",
    containment_help: "Conversations that started in this period and never reached a colleague.",
    of_conversations: "{c} of {n} conversations", over_time: "Over time",
    language: "Language", channel: "Channel", intent: "Topic", period: "Period",
    conversations: "Conversations", contained: "Without a human", share: "Share",
    sla_title: "Response times", tickets: "Tickets", median_first: "Median first response",
    metric: "Clock", met: "Met", missed: "Missed", attainment: "Met %",
    first_response: "First response", next_response: "Next response", resolution: "Resolution",
    breaches: "Breaches", by_language: "by language", minutes: "{m} min",
    no_data: "No conversations in this period.",
  },
};

const REPORT_ROLES = ["agent", "admin"];
const state = { report: null };
const t = (key) => STRINGS[session.lang][key] || STRINGS.nl[key] || key;
session.t = t;
session.onSignedOut = () => showLogin("");

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));
const percent = (share) => (share === null || share === undefined ? "–" : `${(share * 100).toFixed(1)}%`);

function applyLanguage() {
  translateFixedTexts();
  render();
}

function showLogin(message) {
  $("#login-view").hidden = false;
  $("#report-view").hidden = true;
  $("#logout").hidden = true;
  $("#whoami").textContent = "";
  $("#login-error").textContent = message || "";
}

// A local calendar date as the start of that day, with this browser's offset.
function dayStart(value) {
  return new Date(`${value}T00:00:00`).toISOString();
}

function isoDay(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

async function load() {
  const form = new FormData($("#range"));
  const until = new Date(`${form.get("until")}T00:00:00`);
  until.setDate(until.getDate() + 1);
  const query = new URLSearchParams({
    since: dayStart(form.get("since")), until: until.toISOString(), bucket: form.get("bucket") || "day",
  });
  state.report = await api("/api/v1/sla/report?" + query);
  render();
}

function shareRows(table, firstColumn, groups, label) {
  table.replaceChildren(
    el("thead", {}, el("tr", {}, el("th", {}, t(firstColumn)), el("th", {}, t("conversations")),
      el("th", {}, t("contained")), el("th", {}, t("share")))),
    el("tbody", {}, Object.entries(groups).map(([name, g]) =>
      el("tr", { dataset: { key: name } }, el("td", {}, label ? label(name) : name),
        el("td", { class: "num" }, g.conversations), el("td", { class: "num" }, g.contained),
        el("td", { class: "num share" }, percent(g.containment))))),
  );
}

function render() {
  const report = state.report;
  if (!report) return;
  const c = report.containment;
  $("#containment-share").textContent = c.overall.conversations ? percent(c.overall.containment) : "–";
  $("#containment-counts").textContent = c.overall.conversations
    ? fill(t("of_conversations"), { c: c.overall.contained, n: c.overall.conversations })
    : t("no_data");
  shareRows($("#by-language"), "language", c.by_language, (code) => code.toUpperCase());
  shareRows($("#by-channel"), "channel", c.by_channel);
  shareRows($("#by-intent"), "intent", c.by_intent);
  $("#over-time").replaceChildren(
    el("thead", {}, el("tr", {}, el("th", {}, t("period")), el("th", {}, t("conversations")),
      el("th", {}, t("contained")), el("th", {}, t("share")))),
    el("tbody", {}, c.over_time.map((p) =>
      el("tr", { dataset: { period: p.period_start } }, el("td", {}, p.period_start),
        el("td", { class: "num" }, p.conversations), el("td", { class: "num" }, p.contained),
        el("td", { class: "share" },
          // A meter, not a styled span: the page's CSP allows no inline styles.
          el("meter", { min: 0, max: 1, value: p.containment || 0, "aria-hidden": "true" }),
          " ", percent(p.containment))))),
  );
  $("#ticket-count").textContent = String(report.tickets);
  const median = report.median_first_response_business_seconds;
  $("#median-first").textContent = median === null ? "–" : fill(t("minutes"), { m: Math.round(median / 60) });
  $("#metrics").replaceChildren(
    el("thead", {}, el("tr", {}, el("th", {}, t("metric")), el("th", {}, t("met")),
      el("th", {}, t("missed")), el("th", {}, t("attainment")))),
    el("tbody", {}, Object.entries(report.metrics).map(([metric, m]) =>
      el("tr", {}, el("td", {}, t(metric)), el("td", { class: "num" }, m.met),
        el("td", { class: "num" }, m.missed), el("td", { class: "num" }, percent(m.attainment))))),
  );
  $("#breaches").replaceChildren(
    el("thead", {}, el("tr", {}, el("th", {}, `${t("breaches")} ${t("by_language")}`), el("th", {}, ""))),
    el("tbody", {}, Object.entries(report.breaches_by_language).map(([language, n]) =>
      el("tr", {}, el("td", {}, language.toUpperCase()), el("td", { class: "num" }, n)))),
  );
}

async function start() {
  if (!session.token) return showLogin("");
  let me;
  try { me = await api("/api/v1/staff/me"); } catch (error) { return showLogin(""); }
  if (!REPORT_ROLES.includes(me.role)) return showLogin(t("not_allowed"));
  $("#whoami").textContent = me.name;
  $("#login-view").hidden = true;
  $("#report-view").hidden = false;
  $("#logout").hidden = false;
  await load();
}

document.addEventListener("DOMContentLoaded", () => {
  const today = new Date();
  const monthAgo = new Date(today);
  monthAgo.setDate(today.getDate() - 29);
  $("#range").elements.since.value = isoDay(monthAgo);
  $("#range").elements.until.value = isoDay(today);
  $("#lang-toggle").addEventListener("click", () => { session.toggleLanguage(); applyLanguage(); });
  $("#logout").addEventListener("click", () => { session.signOut(); showLogin(""); });
  $("#login-form").addEventListener("submit", loginHandler(start));
  $("#range").addEventListener("submit", (event) => {
    event.preventDefault();
    load().catch((error) => toast(error.message, "bad"));
  });
  applyLanguage();
  start().catch((error) => toast(error.message, "bad"));
});
