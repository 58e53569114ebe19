// The dashboard's link editor, on PocketBase's collection API for links
// (its rules let a user see and write only their own): add, edit, delete,
// enable/disable, schedule, and reorder with keyboard-friendly Move up /
// Move down buttons that rewrite the positions.
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";
import { el, formatDate, parseDate, toLocalInput, fromLocalInput } from "/assets/dom.js";
import { load as loadAnalytics } from "/assets/dash-analytics.js";

const $ = (id) => document.getElementById(id);
const base = "/api/collections/links/records";
let links = [];
let owner = "";

export function initLinks(ctx) {
  owner = ctx.me.id;
  const form = $("link-form");
  form.addEventListener("submit", (e) => { e.preventDefault(); submit(form); });
  $("link-cancel").addEventListener("click", () => resetForm(form));
  load(null, false);
}

// load reads the links again after a change, and the analytics with them
// (their per-link table names the links).
async function load(focus, changed = true) {
  if (changed) loadAnalytics();
  const res = await api("GET", `${base}?sort=position,created&perPage=100`);
  if (!res.ok) {
    setStatus($("links-status"), messageOf(res, "Links are not available."), "bad");
    return;
  }
  links = res.body.items;
  render();
  if (focus) document.querySelector(focus)?.focus();
}

function scheduleText(link) {
  const from = parseDate(link.starts_at), until = parseDate(link.ends_at), now = new Date();
  if (!link.enabled) return "Disabled";
  if (from && from > now) return `Scheduled from ${formatDate(link.starts_at, true)}`;
  if (until && until <= now) return `Ended ${formatDate(link.ends_at, true)}`;
  if (until) return `Live until ${formatDate(link.ends_at, true)}`;
  return "Live";
}

function render() {
  $("links-empty").hidden = links.length > 0;
  $("link-list").replaceChildren(...links.map((link, i) => el("li", { class: "link-item" + (link.enabled ? "" : " off"), "data-id": link.id },
    el("div", { class: "title" }, link.title),
    el("div", { class: "url" }, link.url),
    el("div", { class: "small muted" }, `${scheduleText(link)} · ${link.clicks || 0} clicks`),
    el("div", { class: "row actions" },
      el("button", { type: "button", class: "secondary small", "data-action": "up", disabled: i === 0, "aria-label": `Move up: ${link.title}`, onclick: () => move(i, -1) }, "Move up"),
      el("button", { type: "button", class: "secondary small", "data-action": "down", disabled: i === links.length - 1, "aria-label": `Move down: ${link.title}`, onclick: () => move(i, 1) }, "Move down"),
      el("button", { type: "button", class: "secondary small", "data-action": "edit", "aria-label": `Edit ${link.title}`, onclick: () => edit(link) }, "Edit"),
      el("button", { type: "button", class: "secondary small", "data-action": "toggle", "aria-label": `${link.enabled ? "Disable" : "Enable"} ${link.title}`, onclick: () => toggle(link) }, link.enabled ? "Disable" : "Enable"),
      el("button", { type: "button", class: "danger small", "data-action": "delete", "aria-label": `Delete ${link.title}`, onclick: () => remove(link) }, "Delete")))));
}

// move swaps a link with its neighbour, then writes every position that
// changed, so duplicate or sparse positions end up 0..n-1.
async function move(i, delta) {
  const j = i + delta;
  if (j < 0 || j >= links.length) return;
  const order = links.slice();
  [order[i], order[j]] = [order[j], order[i]];
  for (const [pos, link] of order.entries()) {
    if (link.position === pos) continue;
    const res = await api("PATCH", `${base}/${encodeURIComponent(link.id)}`, { position: pos });
    if (!res.ok) {
      setStatus($("links-status"), messageOf(res, "Could not reorder the links."), "bad");
      return load();
    }
  }
  // Keep the keyboard focus on the moved link: on the same button, or on
  // the other one once it reached the top or the bottom.
  const { id, title } = links[i];
  const atEnd = j === 0 || j === links.length - 1;
  const button = (delta < 0) !== atEnd ? "up" : "down";
  await load(`[data-id="${CSS.escape(id)}"] [data-action="${button}"]`);
  setStatus($("links-status"), `Moved “${title}” ${delta < 0 ? "up" : "down"}.`, "ok");
}

async function toggle(link) {
  const res = await api("PATCH", `${base}/${encodeURIComponent(link.id)}`, { enabled: !link.enabled });
  if (!res.ok) return setStatus($("links-status"), messageOf(res, "Could not change the link."), "bad");
  await load(`[data-id="${CSS.escape(link.id)}"] [data-action="toggle"]`);
  setStatus($("links-status"), `“${link.title}” is now ${link.enabled ? "disabled" : "enabled"}.`, "ok");
}

async function remove(link) {
  if (!confirm(`Delete the link “${link.title}”?`)) return;
  const res = await api("DELETE", `${base}/${encodeURIComponent(link.id)}`);
  if (!res.ok) return setStatus($("links-status"), messageOf(res, "Could not delete the link."), "bad");
  await load("#link-title");
  setStatus($("links-status"), `Deleted “${link.title}”.`, "ok");
}

// fields are read through form.elements: names like "title" would else
// meet the form element's own properties.
function edit(link) {
  const f = $("link-form").elements;
  f.link_id.value = link.id;
  f.title.value = link.title;
  f.url.value = link.url;
  f.enabled.checked = link.enabled;
  f.starts_at.value = toLocalInput(link.starts_at);
  f.ends_at.value = toLocalInput(link.ends_at);
  $("link-form-heading").textContent = `Edit “${link.title}”`;
  $("link-submit").textContent = "Save link";
  $("link-cancel").hidden = false;
  f.title.focus();
}

function resetForm(form) {
  form.reset();
  form.elements.link_id.value = "";
  showFieldErrors(form, {});
  $("link-form-heading").textContent = "Add a link";
  $("link-submit").textContent = "Add link";
  $("link-cancel").hidden = true;
}

async function submit(form) {
  const f = form.elements;
  const body = {
    title: f.title.value.trim(), url: f.url.value.trim(), enabled: f.enabled.checked,
    starts_at: fromLocalInput(f.starts_at.value), ends_at: fromLocalInput(f.ends_at.value),
  };
  const missing = {};
  if (!body.title) missing.title = { message: "Enter a title." };
  if (!body.url) missing.url = { message: "Enter a URL." };
  if (Object.keys(missing).length) return showFieldErrors(form, missing)?.focus();

  const id = f.link_id.value;
  const res = id
    ? await api("PATCH", `${base}/${encodeURIComponent(id)}`, body)
    : await api("POST", base, { ...body, owner });
  if (!res.ok) {
    // The owner field's error is the link limit; show it for the form.
    const first = showFieldErrors(form, res.body?.data);
    setStatus($("links-status"), res.body?.data?.owner?.message || messageOf(res, "Could not save the link."), "bad");
    return first?.focus();
  }
  resetForm(form);
  await load();
  setStatus($("links-status"), id ? `Saved “${body.title}”.` : `Added “${body.title}”.`, "ok");
}
