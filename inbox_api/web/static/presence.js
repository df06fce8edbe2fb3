// Presence and handovers on the staff inbox: the online/away switch, and a sound plus a
// browser notification when a ticket is handed to this agent (auto-assignment) or offered
// to them (a new ticket in their language while they are online and pick tickets themselves).
"use strict";

Object.assign(window.I18N.nl, {
  go_online: "Ga online", go_away: "Ga afwezig", presence_online: "online", presence_away: "afwezig",
  dashboard: "Dashboard", handover_mine: "Nieuw ticket voor jou", handover_offered: "Nieuw ticket in jouw taal",
  csat: "Klanttevredenheid", csat_asked: "gevraagd, nog geen antwoord", csat_follow_up: "opvolging voor teamleider",
  team: "Team",
});
Object.assign(window.I18N.en, {
  go_online: "Go online", go_away: "Go away", presence_online: "online", presence_away: "away",
  dashboard: "Dashboard", handover_mine: "New ticket for you", handover_offered: "New ticket in your language",
  csat: "Customer satisfaction", csat_asked: "asked, no answer yet", csat_follow_up: "follow-up for the team lead",
  team: "Team",
});

const presence = { me: null, state: null };

function presenceLabel() {
  const button = $("#presence");
  if (!button || !presence.state) return;
  const online = presence.state.presence === "online";
  button.hidden = false;
  button.dataset.presence = presence.state.presence;
  button.className = "link presence " + presence.state.presence;
  button.textContent = `● ${session.t(online ? "presence_online" : "presence_away")} · ${session.t(online ? "go_away" : "go_online")}`;
}

async function presenceEnter(me) {
  presence.me = me;
  presence.state = await api("/api/v1/assignment/me");
  presenceLabel();
  // Team leads and admins see the dashboard link.
  $("#dashboard-link").hidden = !(me.role === "admin" || presence.state.lead);
}

function presenceLeave() {
  presence.me = null; presence.state = null;
  const button = $("#presence");
  if (button) button.hidden = true;
  $("#dashboard-link").hidden = true;
}

async function togglePresence() {
  const next = presence.state && presence.state.presence === "online" ? "away" : "online";
  // Asked on a click: browsers only allow the permission prompt after a user gesture.
  if (next === "online" && "Notification" in window && Notification.permission === "default") {
    Notification.requestPermission().catch(() => {});
  }
  try {
    presence.state = await api("/api/v1/assignment/me/presence", { method: "PUT", body: JSON.stringify({ presence: next }) });
    presenceLabel();
  } catch (err) { toast(err.message, "bad"); }
}

// A short two-tone chime made on the spot (no sound file to load).
function chime() {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    const audio = new Context();
    [660, 880].forEach((freq, i) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.15, audio.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.18 + 0.16);
      osc.connect(gain).connect(audio.destination);
      osc.start(audio.currentTime + i * 0.18);
      osc.stop(audio.currentTime + i * 0.18 + 0.17);
    });
    setTimeout(() => audio.close(), 600);
  } catch (err) { /* no sound is no reason to miss the ticket: the toast stays */ }
}

function handover(kind, ticketId) {
  const text = `${session.t(kind)}: #${ticketId}`;
  const node = el("div", { class: "toast handover", role: "status", dataset: { ticketId } },
    el("a", { href: `#ticket-${ticketId}` }, text));
  $("#toasts").append(node);
  setTimeout(() => node.remove(), 15000);
  chime();
  if ("Notification" in window && Notification.permission === "granted") {
    const note = new Notification("Linde & Co", { body: text, tag: `ticket-${ticketId}` });
    note.onclick = () => { window.focus(); location.hash = `#ticket-${ticketId}`; };
  }
}

// Called by staff.js for every live event.
function presenceEvent(type, data) {
  if (!presence.me || !presence.state) return;
  if (type === "ticket.assigned" && data.assignee_id === presence.me.id) {
    presence.state.open_tickets += 1;
    handover("handover_mine", data.ticket_id);
  } else if (type === "ticket.created" && presence.state.presence === "online"
      && (presence.me.languages || []).includes(data.language)
      && !(presence.state.team && presence.state.team.auto_assign)) {
    handover("handover_offered", data.ticket_id);
  } else if (type === "agent.presence" && data.staff_id === presence.me.id) {
    presence.state.presence = data.presence;
    presenceLabel();
  }
}

// The survey line of a ticket (csat in the ticket detail), or null before it was asked.
function csatLine(tk) {
  const csat = tk.csat;
  if (!csat) return null;
  const scale = csat.scale === "good_bad" ? (csat.rating === null ? "" : csat.rating >= 4 ? "👍" : "👎") : `${csat.rating}/5`;
  return el("p", { id: "csat", class: "small" + (csat.follow_up_id ? " warn" : ""), dataset: { rating: csat.rating === null ? "" : csat.rating } },
    `${session.t("csat")}: `,
    csat.rating === null ? session.t("csat_asked") : scale,
    csat.comment ? el("q", {}, ` ${csat.comment}`) : null,
    csat.follow_up_id ? ` · ${session.t("csat_follow_up")}` : null);
}

document.addEventListener("DOMContentLoaded", () => {
  $("#presence").addEventListener("click", togglePresence);
  $("#lang-toggle").addEventListener("click", presenceLabel);
});
