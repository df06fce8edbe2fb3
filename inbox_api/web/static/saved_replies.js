// Admins manage saved replies: both language variants, a missing one flagged; every change
// is audited by the API and listed here. Text enters the page only as text nodes.
"use strict";

const TEXTS = {
  nl: {
    inbox: "Inbox", title: "Opgeslagen antwoorden", sign_in_first: "Log eerst in op de inbox.",
    admins_only: "Alleen beheerders beheren opgeslagen antwoorden.", f_title: "Titel",
    changes: "Wijzigingen", new_reply: "Nieuw antwoord", edit_reply: "Antwoord bewerken",
    f_shortcut: "Sneltoets (na /)", f_body_nl: "Nederlands", f_body_en: "Engels",
    help_variables: "Variabelen:", help_placeholders: "invulplek voor de medewerker:",
    save: "Opslaan", edit: "Bewerken", delete: "Verwijderen", missing: "ontbreekt", present: "✓",
    saved: "Opgeslagen", deleted: "Verwijderd", confirm_delete: "Dit antwoord verwijderen?",
    a_created: "aangemaakt", a_updated: "gewijzigd", a_deleted: "verwijderd", error: "Er ging iets mis",
    login_failed: "Niet (meer) ingelogd",
  },
  en: {
    inbox: "Inbox", title: "Saved replies", sign_in_first: "Sign in to the inbox first.",
    admins_only: "Only admins manage saved replies.", f_title: "Title",
    changes: "Changes", new_reply: "New reply", edit_reply: "Edit reply",
    f_shortcut: "Shortcut (after /)", f_body_nl: "Dutch", f_body_en: "English",
    help_variables: "Variables:", help_placeholders: "a blank for the agent:",
    save: "Save", edit: "Edit", delete: "Delete", missing: "missing", present: "✓",
    saved: "Saved", deleted: "Deleted", confirm_delete: "Delete this reply?",
    a_created: "created", a_updated: "changed", a_deleted: "deleted", error: "Something went wrong",
    login_failed: "Not signed in (any more)",
  },
};
const tr = (key) => (TEXTS[session.lang] || TEXTS.nl)[key] || key;
session.t = tr;
session.onSignedOut = () => { $("#manage").hidden = true; $("#signed-out").hidden = false; };
const page = { replies: [] };

function fill(reply) {
  // Through .elements: a form's own `id` and `title` properties would hide inputs of those names.
  const fields = $("#editor").elements;
  fields.namedItem("id").value = reply ? reply.id : "";
  for (const name of ["shortcut", "title", "body_nl", "body_en"]) fields.namedItem(name).value = reply ? reply[name] || "" : "";
  $("#editor-title").dataset.i18n = reply ? "edit_reply" : "new_reply";
  $("#editor-title").textContent = tr($("#editor-title").dataset.i18n);
  $("#editor-error").textContent = "";
}

function render() {
  $("#replies").replaceChildren(...page.replies.map((r) => el("tr", { dataset: { shortcut: r.shortcut } },
    el("td", {}, `/${r.shortcut}`),
    el("td", {}, r.title),
    ...["nl", "en"].map((lang) => r.missing_languages.includes(lang)
      ? el("td", { class: "flag missing", dataset: { lang } }, tr("missing"))
      : el("td", { dataset: { lang } }, tr("present"))),
    el("td", {},
      el("button", { type: "button", class: "link", onclick: () => fill(r) }, tr("edit")), " ",
      el("button", { type: "button", class: "link", onclick: () => remove(r) }, tr("delete"))))));
}

async function load() {
  page.replies = await api("/api/v1/saved-replies");
  render();
  const changes = await api("/api/v1/saved-replies/changes");
  $("#changes").replaceChildren(...changes.map((c) => el("li", { class: "msg" },
    el("span", { class: "who" }, `/${c.shortcut} ${tr("a_" + c.action)}`),
    el("span", { class: "muted" }, `${c.staff ? c.staff.name : ""} · ${new Date(c.at).toLocaleString(session.lang === "nl" ? "nl-NL" : "en-GB")}`),
    el("span", { class: "text" }, c.after ? c.after.title : (c.before ? c.before.title : "")))));
}

async function save(event) {
  event.preventDefault();
  const fields = event.target.elements;
  const body = { shortcut: fields.namedItem("shortcut").value.trim(), title: fields.namedItem("title").value };
  for (const lang of ["nl", "en"]) body["body_" + lang] = fields.namedItem("body_" + lang).value.trim() || null;
  const id = fields.namedItem("id").value;
  try {
    const saved = await api(id ? `/api/v1/saved-replies/${id}` : "/api/v1/saved-replies", { method: id ? "PUT" : "POST", body: JSON.stringify(body) });
    toast(`${tr("saved")}: /${saved.shortcut}`);
    fill(saved);
    await load();
  } catch (err) { $("#editor-error").textContent = err.message; }
}

async function remove(reply) {
  if (!window.confirm(tr("confirm_delete"))) return;
  try {
    await call(`/api/v1/saved-replies/${reply.id}`, { method: "DELETE" });
    toast(`${tr("deleted")}: /${reply.shortcut}`);
    fill(null);
    await load();
  } catch (err) { toast(err.message, "bad"); }
}

document.addEventListener("DOMContentLoaded", async () => {
  translateFixedTexts();
  $("#lang-toggle").addEventListener("click", () => { session.toggleLanguage(); translateFixedTexts(); render(); });
  $("#editor").addEventListener("submit", save);
  $("#editor-new").addEventListener("click", () => fill(null));
  await openAdminPage(load);
});
