// Admins manage teams: their auto-assignment rules, members, members' languages and leads.
// Every change is audited by the API and listed here. Text enters the page only as text nodes.
"use strict";

const TEXTS = {
  nl: {
    inbox: "Inbox", title: "Teams en toewijzing", sign_in_first: "Log eerst in op de inbox.",
    admins_only: "Alleen beheerders beheren teams.", f_name: "Naam", f_auto: "Automatisch toewijzen",
    f_cap_short: "Max. open", f_away_short: "Terug na (min)", members: "Leden", changes: "Wijzigingen",
    new_team: "Nieuw team", edit_team: "Team bewerken",
    f_auto_help: "Tickets automatisch toewijzen (round robin, taal van het ticket, eerstvolgende SLA-deadline eerst)",
    f_cap: "Maximaal open tickets per medewerker",
    f_away: "Onbeantwoorde tickets van wie weg is terug naar de wachtrij na (minuten)",
    save: "Opslaan", edit: "Bewerken", on: "aan", off: "uit", f_member: "Medewerker", f_lead: "Teamleider",
    f_open: "Open", add_member: "Toevoegen", remove: "Uit team", saved: "Opgeslagen", removed: "Uit het team",
    other_team: "in een ander team", no_one: "Iedereen zit al in dit team",
    languages_help: "Talen gelden voor de medewerker: automatisch toewijzen geeft alleen tickets in de talen die iemand spreekt.",
    a_created: "aangemaakt", a_updated: "gewijzigd", a_member_added: "lid toegevoegd",
    a_member_changed: "lid gewijzigd", a_member_removed: "lid verwijderd", seed: "demo",
    error: "Er ging iets mis", login_failed: "Niet (meer) ingelogd",
  },
  en: {
    inbox: "Inbox", title: "Teams and assignment", sign_in_first: "Sign in to the inbox first.",
    admins_only: "Only admins manage teams.", f_name: "Name", f_auto: "Auto-assignment",
    f_cap_short: "Max. open", f_away_short: "Back after (min)", members: "Members", changes: "Changes",
    new_team: "New team", edit_team: "Edit team",
    f_auto_help: "Assign tickets automatically (round robin, the ticket's language, nearest SLA deadline first)",
    f_cap: "Most open tickets per agent",
    f_away: "An away agent's unanswered tickets go back to the queue after (minutes)",
    save: "Save", edit: "Edit", on: "on", off: "off", f_member: "Agent", f_lead: "Team lead",
    f_open: "Open", add_member: "Add", remove: "Remove", saved: "Saved", removed: "Removed from the team",
    other_team: "in another team", no_one: "Everyone is in this team already",
    languages_help: "Languages belong to the agent: auto-assignment only gives tickets in the languages someone speaks.",
    a_created: "created", a_updated: "changed", a_member_added: "member added",
    a_member_changed: "member changed", a_member_removed: "member removed", seed: "demo",
    error: "Something went wrong", login_failed: "Not signed in (any more)",
  },
};
const tr = (key) => (TEXTS[session.lang] || TEXTS.nl)[key] || key;
session.t = tr;
session.onSignedOut = () => { $("#manage").hidden = true; $("#signed-out").hidden = false; };
const page = { teams: [], staff: [], changes: [], current: null };
const RULES = ["name", "auto_assign", "max_open_per_agent", "away_release_minutes"];
const locale = () => (session.lang === "nl" ? "nl-NL" : "en-GB");

function fill(team) {
  page.current = team ? team.id : null;
  // Through .elements: a form's own `id` and `name` properties would hide inputs of those names.
  const fields = $("#editor").elements;
  fields.namedItem("id").value = team ? team.id : "";
  fields.namedItem("name").value = team ? team.name : "";
  fields.namedItem("auto_assign").checked = team ? team.auto_assign : true;
  fields.namedItem("max_open_per_agent").value = team ? team.max_open_per_agent : 5;
  fields.namedItem("away_release_minutes").value = team ? team.away_release_minutes : 15;
  $("#editor-title").dataset.i18n = team ? "edit_team" : "new_team";
  $("#editor-title").textContent = tr($("#editor-title").dataset.i18n);
  $("#editor-error").textContent = "";
  renderMembers();
}

function languageBox(lang, checked) {
  return el("input", { type: "checkbox", name: lang, checked, "aria-label": lang.toUpperCase() });
}

function renderTeams() {
  $("#teams").replaceChildren(...page.teams.map((team) => el("tr", { dataset: { teamId: team.id } },
    el("td", { class: "name" }, team.name),
    el("td", { class: "auto" }, tr(team.auto_assign ? "on" : "off")),
    el("td", { class: "num cap" }, String(team.max_open_per_agent)),
    el("td", { class: "num away" }, String(team.away_release_minutes)),
    el("td", { class: "member-names" }, team.members.map((m) => m.name + (m.lead ? " ★" : "")).join(", ")),
    el("td", {}, el("button", { type: "button", class: "link", onclick: () => fill(team) }, tr("edit"))))));
}

function renderMembers() {
  const team = page.teams.find((t) => t.id === page.current);
  $("#member-editor").hidden = !team;
  if (!team) return;
  $("#members").replaceChildren(...team.members.map((m) => {
    const row = el("tr", { dataset: { staffId: m.staff_id } },
      el("td", {}, m.name),
      el("td", {}, languageBox("nl", m.languages.includes("nl"))),
      el("td", {}, languageBox("en", m.languages.includes("en"))),
      el("td", {}, el("input", { type: "checkbox", name: "lead", checked: m.lead, "aria-label": tr("f_lead") })),
      el("td", { class: "num" }, String(m.open_tickets)),
      el("td", {},
        el("button", { type: "button", class: "link save-member", onclick: () => putMember(team, m.staff_id, row) }, tr("save")), " ",
        el("button", { type: "button", class: "link remove-member", onclick: () => removeMember(team, m) }, tr("remove"))));
    return row;
  }));
  const inTeam = new Set(team.members.map((m) => m.staff_id));
  const choices = page.staff.filter((s) => !inTeam.has(s.id)).map((s) => el("option", { value: s.id },
    `${s.name} (${s.languages.join(", ").toUpperCase() || "–"})${s.team_id ? " · " + tr("other_team") : ""}`));
  const select = $("#add-member").elements.namedItem("staff_id");
  select.replaceChildren(...(choices.length ? choices : [el("option", { value: "" }, tr("no_one"))]));
  pickDefaults();
}

// The add form starts from the chosen colleague's own languages.
function pickDefaults() {
  const form = $("#add-member").elements;
  const chosen = page.staff.find((s) => String(s.id) === form.namedItem("staff_id").value);
  for (const lang of ["nl", "en"]) form.namedItem(lang).checked = Boolean(chosen && chosen.languages.includes(lang));
  form.namedItem("lead").checked = false;
}

function describe(change) {
  const state = change.after || change.before || {};
  if (change.action.startsWith("member_")) {
    const langs = (state.languages || []).join(", ").toUpperCase();
    return `${state.name || ""} (${langs || "–"})${state.lead ? " ★" : ""}`;
  }
  const before = change.before || {};
  return RULES.filter((k) => !change.before || before[k] !== state[k])
    .map((k) => `${tr({ name: "f_name", auto_assign: "f_auto", max_open_per_agent: "f_cap_short", away_release_minutes: "f_away_short" }[k])}: ${typeof state[k] === "boolean" ? tr(state[k] ? "on" : "off") : state[k]}`)
    .join(" · ");
}

function renderChanges() {
  $("#changes").replaceChildren(...page.changes.map((c) => el("li", { class: "msg", dataset: { action: c.action } },
    el("span", { class: "who" }, `${c.team_name} ${tr("a_" + c.action)}`),
    el("span", { class: "muted" }, `${c.staff ? c.staff.name : tr("seed")} · ${new Date(c.at).toLocaleString(locale())}`),
    el("span", { class: "text" }, describe(c)))));
}

async function load() {
  [page.teams, page.staff, page.changes] = await Promise.all([
    api("/api/v1/teams"), api("/api/v1/teams/staff"), api("/api/v1/teams/changes"),
  ]);
  renderTeams();
  renderMembers();
  renderChanges();
}

async function save(event) {
  event.preventDefault();
  const fields = event.target.elements;
  const body = {
    name: fields.namedItem("name").value.trim(),
    auto_assign: fields.namedItem("auto_assign").checked,
    max_open_per_agent: Number(fields.namedItem("max_open_per_agent").value),
    away_release_minutes: Number(fields.namedItem("away_release_minutes").value),
  };
  const id = fields.namedItem("id").value;
  try {
    const saved = await api(id ? `/api/v1/teams/${id}` : "/api/v1/teams", { method: id ? "PATCH" : "POST", body: JSON.stringify(body) });
    toast(`${tr("saved")}: ${saved.name}`);
    await load();
    fill(page.teams.find((t) => t.id === saved.id) || saved);
  } catch (err) { $("#editor-error").textContent = err.message; }
}

function chosenLanguages(scope) {
  return ["nl", "en"].filter((lang) => scope.querySelector(`input[name=${lang}]`).checked);
}

async function putMember(team, staffId, scope) {
  const body = { lead: scope.querySelector("input[name=lead]").checked, languages: chosenLanguages(scope) };
  try {
    await api(`/api/v1/teams/${team.id}/members/${staffId}`, { method: "PUT", body: JSON.stringify(body) });
    toast(tr("saved"));
    await load();
  } catch (err) { toast(err.message, "bad"); }
}

async function removeMember(team, member) {
  try {
    await call(`/api/v1/teams/${team.id}/members/${member.staff_id}`, { method: "DELETE" });
    toast(`${tr("removed")}: ${member.name}`);
    await load();
  } catch (err) { toast(err.message, "bad"); }
}

document.addEventListener("DOMContentLoaded", async () => {
  translateFixedTexts();
  const rerender = () => { translateFixedTexts(); renderTeams(); renderMembers(); renderChanges(); };
  $("#lang-toggle").addEventListener("click", () => { session.toggleLanguage(); rerender(); });
  $("#editor").addEventListener("submit", save);
  $("#editor-new").addEventListener("click", () => fill(null));
  $("#add-member").elements.namedItem("staff_id").addEventListener("change", pickDefaults);
  $("#add-member").addEventListener("submit", (event) => {
    event.preventDefault();
    const team = page.teams.find((t) => t.id === page.current);
    const staffId = event.target.elements.namedItem("staff_id").value;
    if (team && staffId) putMember(team, staffId, event.target);
  });
  await openAdminPage(load);
});
