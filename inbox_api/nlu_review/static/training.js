// The trainer page. Customer text reaches the page only through textContent (never innerHTML),
// so nothing a customer typed can run in a trainer's browser.
"use strict";

const STRINGS = {
  nl: {
    title: "Training", to_inbox: "Inbox", to_answers: "Antwoorden", logout: "Uitloggen", login_title: "Inloggen",
    email: "E-mail", password: "Wachtwoord", login: "Inloggen", login_failed: "Inloggen mislukt",
    not_trainer: "Deze pagina is voor trainers en beheerders.", error: "Er ging iets mis",
    queue_title: "Te beoordelen berichten", st_pending: "Open", st_labelled: "Gelabeld",
    st_dismissed: "Afgewezen", all_languages: "Alle talen", select_all: "Alles selecteren",
    bulk_label: "Selectie labelen", bulk_dismiss: "Selectie afwijzen", messages: "berichten",
    models_title: "Modellen", retrain: "Opnieuw trainen en promoveren",
    rollback: "Terug naar vorig model", model: "Model", status: "Status",
    rejection: "Afwijzing buiten scope", parity_title: "Voorbeelden per intent en taal",
    predicted: "Voorspeld", suggested: "Voorstel agent", agent_reply: "Antwoord agent",
    conversation: "Gesprek", ticket: "Ticket", add_example: "Toevoegen als voorbeeld",
    dismiss: "Afwijzen", mark: "Markeer selectie als", written: "Toegevoegd aan",
    dismissed: "Afgewezen", nothing_selected: "Selecteer eerst berichten.",
    select_text: "Selecteer eerst een stuk tekst in het tekstvak.",
    src_fallback: "niet begrepen", src_out_of_scope: "buiten scope",
    src_human_handoff: "wil een mens", src_complaint: "klacht", src_action_error: "fout in actie",
    src_low_confidence: "onzeker beantwoord", src_clarified: "na verduidelijking",
    job_train: "Training", job_promote: "Promotie", job_rollback: "Terugzetten",
    js_queued: "in de wachtrij", js_running: "bezig", js_succeeded: "gelukt",
    js_refused: "geweigerd", js_failed: "mislukt", ph_preparing: "voorbereiden",
    ph_training: "trainen", ph_evaluating: "evalueren", ph_loading: "laden", ph_done: "klaar",
    ph_starting: "starten", ph_queued: "wachten", promote: "Promoveren",
    ms_candidate: "kandidaat", ms_promoted: "in gebruik", ms_refused: "geweigerd",
    ms_retired: "vorige", short: "te weinig in", not_in_domain: "niet in het domein",
    bulk_done: "{w} toegevoegd, {r} geweigerd, {d} afgewezen, {s} overgeslagen",
    no_items: "Geen berichten.", confirm_rollback: "Het vorige model weer in gebruik nemen?",
    choose_intent: "Kies een intent",
  },
  en: {
    title: "Training", to_inbox: "Inbox", to_answers: "Answers", logout: "Log out", login_title: "Log in",
    email: "Email", password: "Password", login: "Log in", login_failed: "Login failed",
    not_trainer: "This page is for trainers and admins.", error: "Something went wrong",
    queue_title: "Messages to review", st_pending: "Open", st_labelled: "Labelled",
    st_dismissed: "Dismissed", all_languages: "All languages", select_all: "Select all",
    bulk_label: "Label selection", bulk_dismiss: "Dismiss selection", messages: "messages",
    models_title: "Models", retrain: "Retrain and promote", rollback: "Back to previous model",
    model: "Model", status: "Status", rejection: "Out-of-scope rejection",
    parity_title: "Examples per intent and language", predicted: "Predicted",
    suggested: "Agent's suggestion", agent_reply: "Agent's reply", conversation: "Conversation",
    ticket: "Ticket", add_example: "Add as example", dismiss: "Dismiss",
    mark: "Mark selection as", written: "Added to", dismissed: "Dismissed",
    nothing_selected: "Select messages first.",
    select_text: "Select part of the text in the text box first.",
    src_fallback: "not understood", src_out_of_scope: "out of scope",
    src_human_handoff: "asked for a human", src_complaint: "complaint",
    src_action_error: "action failed", src_low_confidence: "answered unsure",
    src_clarified: "after clarifying", job_train: "Training", job_promote: "Promotion",
    job_rollback: "Rollback", js_queued: "queued", js_running: "running",
    js_succeeded: "succeeded", js_refused: "refused", js_failed: "failed",
    ph_preparing: "preparing", ph_training: "training", ph_evaluating: "evaluating",
    ph_loading: "loading", ph_done: "done", ph_starting: "starting", ph_queued: "waiting",
    promote: "Promote", ms_candidate: "candidate", ms_promoted: "in service",
    ms_refused: "refused", ms_retired: "previous", short: "too few in",
    not_in_domain: "not in the domain",
    bulk_done: "{w} added, {r} refused, {d} dismissed, {s} skipped",
    no_items: "No messages.", confirm_rollback: "Put the previous model back into service?",
    choose_intent: "Choose an intent",
  },
};

const state = {
  domain: { intents: [], entities: [], languages: ["nl", "en"] },
  items: [],
  refusals: {},   // item id -> refusals of the last attempt
  drafts: {},     // item id -> {text, intent, language} being edited (kept across re-renders)
  models: [],
  parity: [],
  job: null,
  polling: null,
};

const t = (key) => STRINGS[session.lang][key] || STRINGS.nl[key] || key;
session.t = t;
session.onSignedOut = () => logout();

function applyLanguage() {
  translateFixedTexts();
  renderAll();
}

function renderAll() {
  renderBulk();
  renderQueue();
  renderModels();
  renderJob();
  renderParity();
}

// ---- login -------------------------------------------------------------------------------
function showLogin(message) {
  $("#login-view").hidden = false;
  $("#trainer-view").hidden = true;
  $("#logout").hidden = true;
  $("#login-error").textContent = message || "";
}

function logout() {
  session.signOut();
  if (state.polling) clearInterval(state.polling);
  showLogin("");
}

async function start() {
  if (!session.token) return showLogin("");
  let me;
  try { me = await api("/api/v1/staff/me"); } catch (error) { return showLogin(""); }
  if (!["trainer", "admin"].includes(me.role)) return showLogin(t("not_trainer"));
  $("#whoami").textContent = me.name;
  $("#login-view").hidden = true;
  $("#trainer-view").hidden = false;
  $("#logout").hidden = false;
  state.domain = await api("/api/v1/review/domain");
  await Promise.all([loadQueue(), loadModels(), loadParity(), resumeJob()]);
  renderAll();
}

// ---- review queue ------------------------------------------------------------------------
async function loadQueue() {
  const form = new FormData($("#queue-filters"));
  const query = new URLSearchParams({ status: form.get("status") || "pending", limit: "100" });
  if (form.get("language")) query.set("language", form.get("language"));
  const page = await api("/api/v1/review/items?" + query);
  state.items = page.items;
  $("#queue-total").textContent = String(page.total);
}

function intentSelect(selected, label) {
  const select = el("select", { "aria-label": label || "intent" });
  select.append(el("option", { value: "", selected: !selected }, t("choose_intent")));
  for (const name of state.domain.intents) {
    select.append(el("option", { value: name, selected: name === selected }, name));
  }
  return select;
}

function languageSelect(selected) {
  const select = el("select", { "aria-label": "language" });
  for (const code of state.domain.languages) {
    select.append(el("option", { value: code, selected: code === selected }, code.toUpperCase()));
  }
  return select;
}

function refusalList(itemId) {
  const found = state.refusals[itemId] || [];
  if (!found.length) return null;
  return el("ul", { class: "refusals", role: "alert" },
    found.map((r) => el("li", { dataset: { code: r.code } }, session.lang === "nl" ? r.message_nl : r.message_en)));
}

function markSelection(input, entity) {
  const { selectionStart: start, selectionEnd: end, value } = input;
  if (start === null || end === null || start === end) { toast(t("select_text"), "warn"); return; }
  const chosen = value.slice(start, end).trim();
  if (!chosen) { toast(t("select_text"), "warn"); return; }
  const offset = value.slice(start, end).indexOf(chosen);
  const from = start + offset, to = from + chosen.length;
  input.value = value.slice(0, from) + "[" + chosen + "](" + entity + ")" + value.slice(to);
  input.focus();
}

function renderItem(item) {
  const confidence = item.confidence === null ? "" : " " + Math.round(item.confidence * 100) + "%";
  const meta = el("div", { class: "meta" },
    item.status === "pending" ? el("input", { type: "checkbox", class: "pick", "aria-label": "select", dataset: { id: item.id } }) : null,
    el("span", { class: "badge lang" }, item.language.toUpperCase()),
    el("span", { class: "badge" }, t("src_" + item.source)),
    item.predicted_intent ? el("span", { class: "muted" }, t("predicted") + ": " + item.predicted_intent + confidence) : null,
    item.suggested_intent ? el("span", { class: "badge suggested" }, t("suggested") + ": " + item.suggested_intent) : null,
    item.ticket_id ? el("a", { href: "/staff/#ticket-" + item.ticket_id }, t("ticket") + " #" + item.ticket_id) : null,
  );
  const node = el("li", { class: "review-item", dataset: { id: item.id } }, meta,
    el("div", { class: "original" }, item.text));
  if (item.agent_reply) node.append(el("div", { class: "muted" }, t("agent_reply") + ": " + item.agent_reply));
  if (item.transcript.length) {
    node.append(el("details", {}, el("summary", {}, t("conversation")),
      el("ol", {}, item.transcript.map((line) => el("li", {}, line.role + ": " + line.text)))));
  }
  if (item.status === "labelled") {
    node.append(el("div", { class: "done" }, t("written") + " " + item.example_ref + " (" + item.label_intent + "): " + item.label_text));
    return node;
  }
  if (item.status === "dismissed") {
    node.append(el("div", { class: "done muted" }, t("dismissed")));
    return node;
  }
  const prefill = item.suggested_intent || (state.domain.intents.includes(item.predicted_intent) ? item.predicted_intent : "");
  const draft = state.drafts[item.id] || { text: item.text, intent: prefill, language: item.language };
  const remember = () => { state.drafts[item.id] = { text: text.value, intent: intent.value, language: language.value }; };
  const text = el("input", { type: "text", class: "text", value: draft.text, maxlength: "4000", "aria-label": "text", oninput: () => remember() });
  const intent = intentSelect(draft.intent);
  intent.classList.add("intent");
  intent.addEventListener("change", () => remember());
  const language = languageSelect(draft.language);
  language.classList.add("language");
  language.addEventListener("change", () => remember());
  const entity = el("select", { class: "entity", "aria-label": "entity" },
    state.domain.entities.map((name) => el("option", { value: name }, name)));
  node.append(
    el("div", { class: "edit" }, text),
    el("div", { class: "edit" }, intent, language,
      el("button", { type: "button", class: "secondary mark", onclick: () => { markSelection(text, entity.value); remember(); } }, t("mark")),
      entity),
    el("div", { class: "edit" },
      el("button", { type: "button", class: "label", onclick: () => { remember(); labelItem(item.id, text.value, intent.value, language.value); } }, t("add_example")),
      el("button", { type: "button", class: "secondary dismiss", onclick: () => dismissItem(item.id) }, t("dismiss"))),
  );
  const reasons = refusalList(item.id);
  if (reasons) node.append(reasons);
  return node;
}

function renderQueue() {
  const list = $("#review-list");
  list.replaceChildren(...state.items.map(renderItem));
  if (!state.items.length) list.append(el("li", { class: "muted" }, t("no_items")));
}

function renderBulk() {
  const select = $("#bulk-intent");
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, t("choose_intent")),
    ...state.domain.intents.map((name) => el("option", { value: name, selected: name === current }, name)));
}

async function labelItem(id, text, intent, language) {
  if (!intent) { toast(t("choose_intent"), "warn"); return; }
  const { status, body } = await call(`/api/v1/review/items/${id}/label`, {
    method: "POST", body: JSON.stringify({ text, intent, language }),
  }, [422]);
  if (status === 422 && body.refusals) {
    state.refusals[id] = body.refusals;
  } else {
    delete state.refusals[id];
    delete state.drafts[id];
    toast(t("written") + " " + body.example_ref);
    await Promise.all([loadQueue(), loadParity()]);
  }
  renderQueue();
  renderParity();
}

async function dismissItem(id) {
  await api(`/api/v1/review/items/${id}/dismiss`, { method: "POST" });
  delete state.refusals[id];
  await loadQueue();
  renderQueue();
}

async function bulk(action) {
  const ids = [...document.querySelectorAll(".pick:checked")].map((box) => Number(box.dataset.id));
  if (!ids.length) { toast(t("nothing_selected"), "warn"); return; }
  const body = { ids, action };
  if (action === "label") {
    body.intent = $("#bulk-intent").value;
    body.language = $("#bulk-language").value;
    if (!body.intent) { toast(t("choose_intent"), "warn"); return; }
  }
  const result = await api("/api/v1/review/items/bulk", { method: "POST", body: JSON.stringify(body) });
  const count = { written: 0, refused: 0, dismissed: 0, skipped: 0 };
  for (const outcome of result.outcomes) {
    count[outcome.result] += 1;
    if (outcome.result === "refused") state.refusals[outcome.item_id] = outcome.refusals;
    else delete state.refusals[outcome.item_id];
  }
  toast(t("bulk_done").replace("{w}", count.written).replace("{r}", count.refused)
    .replace("{d}", count.dismissed).replace("{s}", count.skipped));
  $("#select-all").checked = false;
  await Promise.all([loadQueue(), loadParity()]);
  renderQueue();
  renderParity();
}

// ---- models and jobs -----------------------------------------------------------------------
async function loadModels() { state.models = await api("/api/v1/review/models"); }
async function loadParity() { state.parity = await api("/api/v1/review/parity"); }

function pct(value) { return value === undefined || value === null ? "–" : value.toFixed(3); }

function renderModels() {
  $("#models").replaceChildren(...state.models.map((model) => {
    const rejection = Object.entries(model.rejection_rate).map(([name, value]) => name + " " + Math.round(value * 100) + "%").join(", ");
    return el("tr", { class: model.active ? "active" : "" , dataset: { id: model.id } },
      el("td", {}, model.id),
      el("td", {}, t("ms_" + model.status)),
      el("td", {}, pct(model.macro_f1.nl)),
      el("td", {}, pct(model.macro_f1.en)),
      el("td", {}, rejection),
      el("td", {}, model.status === "candidate"
        ? el("button", { type: "button", class: "secondary", onclick: () => startJob(`/api/v1/review/models/${model.id}/promote`, {}) }, t("promote"))
        : null));
  }));
}

function renderJob() {
  const job = state.job;
  $("#job").hidden = !job;
  if (!job) return;
  $("#job-title").textContent = t("job_" + job.kind) + " " + job.id;
  $("#job-status").textContent = t("js_" + job.status);
  $("#job-status").dataset.status = job.status;
  $("#job-progress").value = job.progress;
  $("#job-message").textContent = t("ph_" + job.phase) + (job.message ? " — " + job.message : "") + (job.error ? " — " + job.error : "");
  $("#job-checks").replaceChildren(...job.checks.map((check) =>
    el("li", { class: check.passed ? "pass" : "fail" }, (check.passed ? "✓ " : "✗ ") + (session.lang === "nl" ? check.explanation_nl : check.explanation_en))));
}

function renderParity() {
  $("#parity").replaceChildren(...state.parity.map((row) => {
    const flag = !row.in_domain ? t("not_in_domain") : row.short_languages.length ? t("short") + " " + row.short_languages.join(", ").toUpperCase() : "";
    return el("tr", { class: row.flagged ? "flagged" : "" }, el("td", {}, row.intent),
      el("td", {}, String(row.counts.nl)), el("td", {}, String(row.counts.en)), el("td", {}, flag));
  }));
}

async function poll(jobId) {
  if (state.polling) clearInterval(state.polling);
  const tick = async () => {
    try { state.job = await api(`/api/v1/review/jobs/${jobId}`); } catch (error) { return; }
    renderJob();
    if (["succeeded", "refused", "failed"].includes(state.job.status)) {
      clearInterval(state.polling);
      state.polling = null;
      await loadModels();
      renderModels();
    }
  };
  state.polling = setInterval(tick, 1000);
  await tick();
}

async function startJob(path, body) {
  try {
    state.job = await api(path, { method: "POST", body: JSON.stringify(body) });
    renderJob();
    await poll(state.job.id);
  } catch (error) { toast(error.message, "bad"); }
}

async function resumeJob() {
  const jobs = await api("/api/v1/review/jobs");
  if (!jobs.length) return;
  state.job = jobs[0];
  if (!["succeeded", "refused", "failed"].includes(state.job.status)) await poll(state.job.id);
}

// ---- wiring ----------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("#lang-toggle").addEventListener("click", () => {
    session.toggleLanguage();
    applyLanguage();
  });
  $("#logout").addEventListener("click", logout);
  $("#login-form").addEventListener("submit", loginHandler(start));
  $("#queue-filters").addEventListener("change", async () => { await loadQueue(); renderQueue(); });
  $("#select-all").addEventListener("change", (event) => {
    document.querySelectorAll(".pick").forEach((box) => { box.checked = event.target.checked; });
  });
  $("#bulk-label").addEventListener("click", () => bulk("label").catch((error) => toast(error.message, "bad")));
  $("#bulk-dismiss").addEventListener("click", () => bulk("dismiss").catch((error) => toast(error.message, "bad")));
  $("#retrain").addEventListener("click", () => startJob("/api/v1/review/trainings", { promote: true }));
  $("#rollback").addEventListener("click", () => { if (confirm(t("confirm_rollback"))) startJob("/api/v1/review/rollback", {}); });
  applyLanguage();
  start().catch((error) => toast(error.message, "bad"));
});
