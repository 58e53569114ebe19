// The dashboard's link editor, on PocketBase's collection API for links
// (its rules let a user see and write only their own): links and section
// headers are added, edited (headers in place), enabled or disabled,
// scheduled, deleted and reordered, by dragging a handle with a pointer,
// by the arrow keys on the handle, or with the Move up / Move down buttons.
// A new order is shown at once and saved in one request.
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";
import { el, formatDate, parseDate, toLocalInput, fromLocalInput } from "/assets/dom.js";
import { friendlyErrors, plural } from "/assets/messages.js";
import { load as loadAnalytics } from "/assets/dash-analytics.js";

const $ = (id) => document.getElementById(id);
const base = "/api/collections/links/records";
const labels = { title: "a title", url: "a URL", starts_at: "the start", ends_at: "the end" };
let links = [];
let ctx = null;

export function initLinks(context) {
  ctx = context;
  const form = $("link-form");
  form.addEventListener("submit", (e) => { e.preventDefault(); submit(form); });
  $("link-cancel").addEventListener("click", () => resetForm(form));
  $("header-form").addEventListener("submit", (e) => { e.preventDefault(); addHeader(e.target); });
  load(null, false);
}

const status = (text, kind) => setStatus($("links-status"), text, kind);

// load reads the links again after a change, and the analytics with them
// (their per-link table names the links).
async function load(focus, changed = true) {
  if (changed) loadAnalytics();
  const res = await api("GET", `${base}?sort=position,created&perPage=100`);
  if (!res.ok) {
    status(messageOf(res, "Your links could not be loaded."), "bad");
    return;
  }
  show(res.body.items, focus);
}

// show draws the list and the preview from links in their order.
function show(items, focus) {
  links = items;
  render();
  ctx.updatePreview({ blocks: links });
  if (focus) document.querySelector(focus)?.focus();
}

const isHeader = (link) => link.kind === "header";
const sel = (id, action) => `[data-id="${CSS.escape(id)}"] [data-action="${action}"]`;

function stateText(link) {
  const from = parseDate(link.starts_at), until = parseDate(link.ends_at), now = new Date();
  if (!link.enabled) return "Hidden";
  if (from && from > now) return `Scheduled from ${formatDate(link.starts_at, true)}`;
  if (until && until <= now) return `Ended ${formatDate(link.ends_at, true)}`;
  if (until) return `Live until ${formatDate(link.ends_at, true)}`;
  return "Live";
}

function render() {
  $("links-empty").hidden = links.length > 0;
  $("link-list").replaceChildren(...links.map((link, i) => {
    const header = isHeader(link);
    const item = el("li", { class: "block" + (header ? " header" : "") + (link.enabled ? "" : " off"), "data-id": link.id },
      el("button", {
        type: "button", class: "handle", "data-action": "drag", "aria-label": `Reorder ${link.title}`,
        "aria-describedby": "links-help", onkeydown: (e) => onHandleKey(e, i), onpointerdown: (e) => startDrag(e, item),
      }, "⠿"),
      el("div", { class: "content" },
        header ? el("span", { class: "kind" }, "Section") : null,
        el("div", { class: "title" }, link.title),
        header ? null : el("div", { class: "url" }, link.url),
        el("div", { class: "small muted" }, header ? stateText(link) : `${stateText(link)} · ${plural(link.clicks, "click")}`)),
      el("div", { class: "row actions" },
        el("button", { type: "button", class: "secondary small icon-button", "data-action": "up", disabled: i === 0, "aria-label": `Move up: ${link.title}`, onclick: () => move(i, -1, "up") }, "↑"),
        el("button", { type: "button", class: "secondary small icon-button", "data-action": "down", disabled: i === links.length - 1, "aria-label": `Move down: ${link.title}`, onclick: () => move(i, 1, "down") }, "↓"),
        el("button", { type: "button", class: "secondary small", "data-action": "edit", "aria-label": `Edit ${link.title}`, onclick: () => (header ? editHeader(link, item) : edit(link)) }, "Edit"),
        el("button", { type: "button", class: "secondary small", "data-action": "toggle", "aria-label": `${link.enabled ? "Hide" : "Show"} ${link.title}`, onclick: () => toggle(link) }, link.enabled ? "Hide" : "Show"),
        el("button", { type: "button", class: "danger small", "data-action": "delete", "aria-label": `Delete ${link.title}`, onclick: () => remove(link) }, "Delete")));
    return item;
  }));
}

// move shifts the link at i by delta and keeps the keyboard focus on the
// moved link: on the same control, or, for a button that became disabled
// at the top or the bottom, on the other one.
function move(i, delta, control) {
  const j = i + delta;
  if (j < 0 || j >= links.length) return;
  const order = links.slice();
  const [moved] = order.splice(i, 1);
  order.splice(j, 0, moved);
  const atEnd = j === 0 || j === links.length - 1;
  const focus = control !== "drag" && atEnd ? (delta < 0 ? "down" : "up") : control;
  reorder(order, sel(moved.id, focus), `Moved “${moved.title}” ${delta < 0 ? "up" : "down"}.`);
}

function onHandleKey(e, i) {
  const delta = { ArrowUp: -1, ArrowDown: 1 }[e.key];
  if (delta === undefined) return;
  e.preventDefault();
  move(i, delta, "drag");
}

// Dragging: the item follows the pointer through the list, swapping places
// as the pointer passes its neighbours' middles; held near the top or the
// bottom of the window, the page scrolls (on a phone the list is taller
// than the screen); letting go saves. The listeners are on the window,
// since moving the item in the document would end a pointer capture on
// its handle.
const scrollEdge = 56; // px from the window's edge where dragging scrolls

function startDrag(e, item) {
  if (e.button !== 0) return;
  e.preventDefault(); // no text selection while dragging
  const list = $("link-list");
  const before = links.map((l) => l.id).join();
  item.classList.add("dragging");
  let pointerY = e.clientY;
  const place = () => {
    for (const other of [...list.children]) {
      if (other === item) continue;
      const r = other.getBoundingClientRect();
      const mid = r.top + r.height / 2;
      const otherBelow = item.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (otherBelow && pointerY > mid) other.after(item);
      else if (!otherBelow && pointerY < mid) other.before(item);
    }
  };
  let frame = 0;
  const autoscroll = () => {
    const step = pointerY < scrollEdge ? -12 : pointerY > window.innerHeight - scrollEdge ? 12 : 0;
    if (step) {
      window.scrollBy(0, step);
      place();
    }
    frame = requestAnimationFrame(autoscroll);
  };
  frame = requestAnimationFrame(autoscroll);
  const onMove = (ev) => {
    pointerY = ev.clientY;
    place();
  };
  const onUp = () => {
    cancelAnimationFrame(frame);
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", onUp);
    window.removeEventListener("pointercancel", onUp);
    item.classList.remove("dragging");
    const ids = [...list.children].map((li) => li.dataset.id);
    if (ids.join() === before) return;
    const order = ids.map((id) => links.find((l) => l.id === id));
    const moved = links.find((l) => l.id === item.dataset.id);
    reorder(order, sel(moved.id, "drag"), `Moved “${moved.title}” to position ${ids.indexOf(moved.id) + 1} of ${ids.length}.`);
  };
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", onUp);
  window.addEventListener("pointercancel", onUp);
}

// Saves run one after another, in the order the moves were made.
let saving = Promise.resolve();

// reorder shows the new order at once, then saves it; on failure the
// saved order is shown again.
function reorder(order, focus, done) {
  show(order, focus);
  saving = saving.then(async () => {
    // One atomic request: every position at once (POST /api/links/order).
    const res = await api("POST", "/api/links/order", { ids: order.map((l) => l.id) });
    if (!res.ok) {
      status(messageOf(res, "The new order could not be saved."), "bad");
      return load(focus);
    }
    status(done, "ok");
    loadAnalytics();
  });
}

async function toggle(link) {
  const res = await api("PATCH", `${base}/${encodeURIComponent(link.id)}`, { enabled: !link.enabled });
  if (!res.ok) return status(messageOf(res, "Could not change the link."), "bad");
  await load(sel(link.id, "toggle"));
  status(`“${link.title}” is now ${link.enabled ? "hidden" : "shown"} on your page.`, "ok");
}

async function remove(link) {
  if (!confirm(`Delete “${link.title}”?`)) return;
  const res = await api("DELETE", `${base}/${encodeURIComponent(link.id)}`);
  if (!res.ok) return status(messageOf(res, "Could not delete it."), "bad");
  await load("#link-title");
  status(`Deleted “${link.title}”.`, "ok");
}

// edit loads a link into the form. Fields are read through form.elements:
// names like "title" would else meet the form element's own properties.
function edit(link) {
  const f = $("link-form").elements;
  f.link_id.value = link.id;
  f.title.value = link.title;
  f.url.value = link.url;
  f.enabled.checked = link.enabled;
  f.starts_at.value = toLocalInput(link.starts_at);
  f.ends_at.value = toLocalInput(link.ends_at);
  $("link-schedule").open = Boolean(link.starts_at || link.ends_at);
  $("link-form-heading").textContent = `Edit “${link.title}”`;
  $("link-submit").textContent = "Save link";
  $("link-cancel").hidden = false;
  f.title.focus();
}

function resetForm(form) {
  form.reset();
  $("link-schedule").open = false;
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
    : await api("POST", base, { ...body, kind: "link", owner: ctx.me.id });
  if (!res.ok) {
    const errors = friendlyErrors(res.body?.data, labels);
    if (errors.starts_at || errors.ends_at) $("link-schedule").open = true;
    const first = showFieldErrors(form, errors);
    // The owner field's error is the link limit; show it for the form.
    status(res.body?.data?.owner?.message || messageOf(res, "Could not save the link."), "bad");
    return first?.focus();
  }
  resetForm(form);
  await load();
  status(id ? `Saved “${body.title}”.` : `Added “${body.title}”.`, "ok");
}

async function addHeader(form) {
  const title = form.elements.title.value.trim();
  if (!title) return showFieldErrors(form, { title: { message: "Enter the header text." } })?.focus();
  const res = await api("POST", base, { kind: "header", title, url: "", enabled: true, owner: ctx.me.id });
  if (!res.ok) {
    const errors = friendlyErrors(res.body?.data, { title: "the header text" });
    showFieldErrors(form, errors)?.focus();
    status(res.body?.data?.owner?.message || (errors.title ? "" : messageOf(res, "Could not add the section.")), "bad");
    return;
  }
  form.reset();
  showFieldErrors(form, {});
  await load();
  status(`Added the section “${title}”.`, "ok");
}

// editHeader turns a header's title into a small form, in place.
function editHeader(link, item) {
  const input = el("input", { type: "text", value: link.title, maxlength: 100, "aria-label": `Header text of “${link.title}”` });
  const done = () => load(sel(link.id, "edit"), false);
  const form = el("form", { class: "inline-edit", novalidate: true },
    input,
    el("button", { type: "submit", class: "small" }, "Save"),
    el("button", { type: "button", class: "secondary small", onclick: done }, "Cancel"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) return status("Enter the header text.", "bad");
    const res = await api("PATCH", `${base}/${encodeURIComponent(link.id)}`, { title });
    if (!res.ok) return status(messageOf(res, "Could not save the section."), "bad");
    await load(sel(link.id, "edit"));
    status(`Saved the section “${title}”.`, "ok");
  });
  input.addEventListener("keydown", (e) => { if (e.key === "Escape") done(); });
  item.querySelector(".title").replaceWith(form);
  input.focus();
  input.select();
}
