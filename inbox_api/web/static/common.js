// Shared by the staff inbox and the trainer page: building DOM nodes, toasts, the signed-in
// session and API calls. Text enters the page only as text nodes (never innerHTML), so nothing
// a customer typed can run in a staff member's browser.
"use strict";

const $ = (sel) => document.querySelector(sel);

// One sign-in per browser tab and one language choice, shared by both pages.
const session = {
  token: sessionStorage.getItem("inbox_token"),
  lang: localStorage.getItem("inbox_lang") || ((navigator.language || "nl").startsWith("en") ? "en" : "nl"),
  // Set by each page: its translations, and what to show when the server ends the session.
  t: (key) => key,
  onSignedOut: () => {},
  signIn(token) { this.token = token; sessionStorage.setItem("inbox_token", token); },
  signOut() { this.token = null; sessionStorage.removeItem("inbox_token"); },
  toggleLanguage() { this.lang = this.lang === "nl" ? "en" : "nl"; localStorage.setItem("inbox_lang", this.lang); },
};

// The page's fixed texts ([data-i18n]) and the language toggle, in the session's language.
function translateFixedTexts() {
  document.documentElement.lang = session.lang;
  document.querySelectorAll("[data-i18n]").forEach((node) => { node.textContent = session.t(node.dataset.i18n); });
  $("#lang-toggle").textContent = session.lang === "nl" ? "EN" : "NL";
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    // A property, not an attribute: an input's attribute is only its initial value.
    else if (k === "value") node.value = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function toast(text, kind) {
  const node = el("div", { class: "toast " + (kind || ""), role: "status" }, text);
  $("#toasts").append(node);
  setTimeout(() => node.remove(), 6000);
}

// The API's reason for a refusal: a sentence, or the fields a 422 names.
function errorText(body) {
  const detail = body && body.detail;
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail) && detail.length) return detail.map((d) => (d && d.msg) || String(d)).join("; ");
  return session.t("error");
}

// Returns {status, body}; throws unless the answer is a success or one of the `allowed` statuses.
async function call(path, options = {}, allowed = []) {
  // The inbox words its refusals (e.g. Meta's closed window) in the page's language.
  const headers = Object.assign({ "Content-Type": "application/json", "Accept-Language": session.lang }, options.headers || {});
  if (session.token) headers.Authorization = "Bearer " + session.token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = (response.headers.get("content-type") || "").includes("json") ? await response.json() : null;
  if (response.status === 401 && session.token) { session.onSignedOut(); throw new Error(session.t("login_failed")); }
  if (!response.ok && !allowed.includes(response.status)) throw new Error(errorText(body));
  return { status: response.status, body };
}

const api = async (path, options) => (await call(path, options)).body;

// The login form's submit handler on every staff page: sign in, forget the password field,
// then `enter` the page; a refusal is shown under the form.
function loginHandler(enter) {
  return async (event) => {
    event.preventDefault();
    const form = event.target;
    $("#login-error").textContent = "";
    try {
      const body = await api("/api/v1/auth/login", {
        method: "POST", body: JSON.stringify({ email: form.email.value, password: form.password.value }),
      });
      session.signIn(body.access_token);
      form.password.value = "";
      await enter();
    } catch (err) {
      $("#login-error").textContent = `${session.t("login_failed")}: ${err.message}`;
    }
  };
}

// The admins' pages opened from the inbox (its sign-in in this tab): #manage for admins, a
// reason for everyone else; `load` fills the page.
async function openAdminPage(load) {
  if (!session.token) { $("#signed-out").hidden = false; return; }
  try {
    const me = await api("/api/v1/staff/me");
    $("#whoami").textContent = `${me.name} (${me.role})`;
    if (me.role !== "admin") { $("#not-admin").hidden = false; return; }
    $("#manage").hidden = false;
    await load();
  } catch (err) { $("#signed-out").hidden = false; }
}
