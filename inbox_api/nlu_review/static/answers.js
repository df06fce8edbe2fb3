// The answers page: trainers edit the assistant's answers to general shop questions, in both
// languages, with a preview and the change history. Texts reach the page only through
// textContent (never innerHTML).
"use strict";

const STRINGS = {
  nl: {
    title: "Antwoorden", to_training: "Training", to_inbox: "Inbox", logout: "Uitloggen",
    login_title: "Inloggen", email: "E-mail", password: "Wachtwoord", login: "Inloggen",
    login_failed: "Inloggen mislukt", not_trainer: "Deze pagina is voor trainers en beheerders.",
    error: "Er ging iets mis", topics_title: "Onderwerpen",
    topics_help: "Wat je hier opslaat, geeft de assistent meteen bij de volgende vraag; opnieuw trainen is niet nodig.",
    version: "Versie", after_data: "De assistent zet eerst de gegevens (openingstijden, adressen of maattabel) voor deze tekst.",
    note: "Waarom (optioneel)", save: "Opslaan", revert: "Wijzigingen weggooien",
    preview_title: "Voorbeeld: zo leest de klant het", history_title: "Geschiedenis",
    by: "door", saved: "Opgeslagen als versie {v}.", unchanged: "Niets gewijzigd.",
    both_required: "Vul het antwoord in beide talen in.", data_placeholder: "[gegevens uit de winkeldata]",
    conflict: "Iemand anders heeft dit antwoord intussen gewijzigd; de nieuwste versie staat nu hier.",
    unsaved: "Je wijzigingen zijn nog niet opgeslagen. Toch wisselen?",
  },
  en: {
    title: "Answers", to_training: "Training", to_inbox: "Inbox", logout: "Log out",
    login_title: "Log in", email: "Email", password: "Password", login: "Log in",
    login_failed: "Login failed", not_trainer: "This page is for trainers and admins.",
    error: "Something went wrong", topics_title: "Topics",
    topics_help: "What you save here is what the assistant says from the next question on; no retraining needed.",
    version: "Version", after_data: "The assistant puts the data (opening hours, addresses or size chart) before this text.",
    note: "Why (optional)", save: "Save", revert: "Discard changes",
    preview_title: "Preview: what the customer reads", history_title: "History",
    by: "by", saved: "Saved as version {v}.", unchanged: "Nothing changed.",
    both_required: "Fill in the answer in both languages.", data_placeholder: "[data from the shop]",
    conflict: "Someone else changed this answer in the meantime; the newest version is shown now.",
    unsaved: "Your changes are not saved yet. Switch anyway?",
  },
};

const state = { answers: [], current: null, history: [] };
const t = (key) => STRINGS[session.lang][key] || STRINGS.nl[key] || key;
session.t = t;
session.onSignedOut = () => logout();

const when = (iso) => new Date(iso).toLocaleString(session.lang === "nl" ? "nl-NL" : "en-GB");
const title = (answer) => (session.lang === "nl" ? answer.title_nl : answer.title_en);
const form = () => $("#answer-form");

function dirty() {
  const current = state.current;
  if (!current) return false;
  return form().body_nl.value !== current.body_nl || form().body_en.value !== current.body_en;
}

// ---- login -------------------------------------------------------------------------------
function showLogin(message) {
  $("#login-view").hidden = false;
  $("#answers-view").hidden = true;
  $("#logout").hidden = true;
  $("#login-error").textContent = message || "";
}

function logout() {
  session.signOut();
  showLogin("");
}

async function start() {
  if (!session.token) return showLogin("");
  let me;
  try { me = await api("/api/v1/staff/me"); } catch (error) { return showLogin(""); }
  if (!["trainer", "admin"].includes(me.role)) return showLogin(t("not_trainer"));
  $("#whoami").textContent = me.name;
  $("#login-view").hidden = true;
  $("#answers-view").hidden = false;
  $("#logout").hidden = false;
  state.answers = await api("/api/v1/answers");
  renderTopics();
  if (state.answers.length) await choose(state.answers[0].topic);
}

// ---- topics and the editor -----------------------------------------------------------------
function renderTopics() {
  const list = $("#topics");
  list.replaceChildren(...state.answers.map((answer) => el("li", {},
    el("button", {
      type: "button", dataset: { topic: answer.topic },
      "aria-current": state.current && state.current.topic === answer.topic ? "true" : "false",
      onclick: () => { if (!dirty() || confirm(t("unsaved"))) choose(answer.topic).catch((e) => toast(e.message, "bad")); },
    }, title(answer)))));
}

async function choose(topic) {
  state.current = state.answers.find((answer) => answer.topic === topic) || null;
  if (!state.current) return;
  state.history = await api(`/api/v1/answers/${encodeURIComponent(topic)}/history`);
  fillForm();
  renderAll();
}

function fillForm() {
  form().body_nl.value = state.current.body_nl;
  form().body_en.value = state.current.body_en;
  form().note.value = "";
  $("#form-error").textContent = "";
}

function renderEditor() {
  const current = state.current;
  $("#editor").hidden = !current;
  if (!current) return;
  $("#editor-title").textContent = `${title(current)} (faq/${current.topic})`;
  $("#editor-version").textContent = String(current.version);
  $("#editor-updated").textContent = `${when(current.updated_at)} ${t("by")} ${current.updated_by}`;
  $("#after-data").hidden = !current.after_data;
  renderPreview();
}

function renderPreview() {
  for (const lang of ["nl", "en"]) {
    const bubble = $(`#preview-${lang}`);
    const parts = [];
    if (state.current && state.current.after_data) {
      parts.push(el("span", { class: "data" }, STRINGS[lang].data_placeholder), "\n\n");
    }
    parts.push(form()[`body_${lang}`].value.trim());
    bubble.replaceChildren(...parts);
  }
}

function renderHistory() {
  $("#history").replaceChildren(...state.history.map((row) => el("li", { class: "version" },
    el("strong", {}, `${t("version")} ${row.version}`), " · ", when(row.changed_at), ` ${t("by")} `,
    el("span", { class: "who" }, row.changed_by),
    row.note ? el("div", { class: "note" }, row.note) : null,
    el("details", {}, el("summary", {}, "NL / EN"),
      el("p", { class: "bubble" }, row.body_nl), el("p", { class: "bubble" }, row.body_en)))));
}

function renderAll() {
  renderTopics();
  renderEditor();
  renderHistory();
}

async function save(event) {
  event.preventDefault();
  const current = state.current;
  const body = {
    base_version: current.version,
    body_nl: form().body_nl.value.trim(),
    body_en: form().body_en.value.trim(),
    note: form().note.value.trim() || null,
  };
  if (!body.body_nl || !body.body_en) { $("#form-error").textContent = t("both_required"); return; }
  const { status, body: answer } = await call(
    `/api/v1/answers/${encodeURIComponent(current.topic)}`,
    { method: "PUT", body: JSON.stringify(body) }, [409]);
  if (status === 409) {
    toast(t("conflict"), "bad");
    state.answers = await api("/api/v1/answers");
    await choose(current.topic);
    return;
  }
  toast(answer.version === current.version ? t("unchanged") : t("saved").replace("{v}", answer.version), "ok");
  state.answers = state.answers.map((row) => (row.topic === answer.topic ? answer : row));
  await choose(answer.topic);
}

// ---- wiring ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("#lang-toggle").addEventListener("click", () => {
    session.toggleLanguage();
    translateFixedTexts();
    renderAll();
  });
  $("#logout").addEventListener("click", logout);
  $("#login-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    try {
      const body = await api("/api/v1/auth/login", { method: "POST", body: JSON.stringify({ email: data.get("email"), password: data.get("password") }) });
      session.signIn(body.access_token);
      await start();
    } catch (error) { $("#login-error").textContent = `${t("login_failed")}: ${error.message}`; }
  });
  form().addEventListener("submit", (event) => save(event).catch((error) => { $("#form-error").textContent = error.message; }));
  form().addEventListener("input", renderPreview);
  $("#revert").addEventListener("click", () => { fillForm(); renderPreview(); });
  translateFixedTexts();
  start().catch((error) => toast(error.message, "bad"));
});
