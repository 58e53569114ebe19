// The dashboard's social icon row, edited in place: one row per icon (the
// platform and the address of the account there), saved as the user's
// socials list through PocketBase's collection API. The server's errors
// name the entry they belong to ({"2": {"url": …}}) and are shown beside it.
// The card shows only once the server offers the socials field.
import { api, messageOf, setStatus } from "/assets/api.js";
import { el } from "/assets/dom.js";
import { friendly } from "/assets/messages.js";
import { platforms, labelOf, icon } from "/assets/platforms.js";

const $ = (id) => document.getElementById(id);
let ctx = null;
let rows = 0; // ids for the rows' fields

export async function initSocials(context) {
  ctx = context;
  const res = await api("GET", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`);
  if (!res.ok || !res.body || !("socials" in res.body)) return; // null until the first save
  $("socials-card").hidden = false;
  for (const s of res.body.socials || []) addRow(s);
  changed();
  $("social-add").addEventListener("click", () => {
    const used = new Set(current().map((s) => s.platform));
    const next = platforms.find((p) => !used.has(p.id));
    if (!next) return setStatus($("socials-status"), "Every platform already has an icon.", "info");
    addRow({ platform: next.id, url: "" }).querySelector("select").focus();
    changed();
  });
  $("socials-form").addEventListener("submit", (e) => { e.preventDefault(); save(); });
}

// current reads the rows as the socials list they stand for.
function current() {
  return [...$("social-rows").children].map((row) => ({
    platform: row.querySelector("select").value, url: row.querySelector("input").value.trim(),
  }));
}

function changed() {
  ctx.updatePreview({ socials: current() });
}

function addRow(social) {
  const n = ++rows;
  const select = el("select", { id: `social-platform-${n}`, "aria-describedby": `social-platform-${n}-error` },
    platforms.map((p) => el("option", { value: p.id, selected: p.id === social.platform }, p.label)));
  const input = el("input", { id: `social-url-${n}`, type: social.platform === "email" ? "email" : "url", value: social.url, "aria-describedby": `social-url-${n}-error` });
  const urlLabel = el("label", { for: input.id });
  const iconCell = el("span", { class: "icon-cell" });
  const remove = el("button", { type: "button", class: "secondary small" }, "Remove");
  const row = el("li", { class: "social-row" },
    iconCell,
    el("div", { class: "field" }, el("label", { for: select.id }, "Platform"), select, el("span", { id: `social-platform-${n}-error`, class: "error" })),
    el("div", { class: "field url-cell" }, urlLabel, input, el("span", { id: `social-url-${n}-error`, class: "error" })),
    remove);
  const describe = () => {
    const p = platforms.find((x) => x.id === select.value);
    urlLabel.textContent = p.id === "email" ? "Email address" : `${p.label} address`;
    input.placeholder = p.example;
    input.type = p.id === "email" ? "email" : "url";
    iconCell.replaceChildren(icon(p.id));
    remove.setAttribute("aria-label", `Remove the ${p.label} icon`);
  };
  describe();
  select.addEventListener("change", () => { describe(); changed(); });
  input.addEventListener("input", changed);
  remove.addEventListener("click", () => {
    const label = labelOf(select.value);
    row.remove();
    changed();
    setStatus($("socials-status"), `Removed the ${label} icon. Save to keep this change.`, "info");
    $("social-add").focus();
  });
  $("social-rows").append(row);
  return row;
}

function showErrors(data) {
  const list = $("social-rows").children;
  for (const row of list) {
    for (const control of row.querySelectorAll("select, input")) {
      control.removeAttribute("aria-invalid");
      $(control.id + "-error").textContent = "";
    }
  }
  $("socials-error").textContent = "";
  if (!data) return null;
  if (data.code) {
    $("socials-error").textContent = friendly(data, "your icons");
    return $("social-add");
  }
  let first = null;
  for (const [index, fields] of Object.entries(data)) {
    const row = list[Number(index)];
    if (!row) continue;
    for (const [field, err] of Object.entries(fields)) {
      const control = row.querySelector(field === "platform" ? "select" : "input");
      control.setAttribute("aria-invalid", "true");
      $(control.id + "-error").textContent = friendly(err, field === "platform" ? "the platform" : "the address");
      first ??= control;
    }
  }
  return first;
}

async function save() {
  // A row left empty is no icon; dropping it keeps the server's entry
  // numbers equal to the rows'.
  for (const row of [...$("social-rows").children]) {
    if (!row.querySelector("input").value.trim()) row.remove();
  }
  const socials = current();
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, { socials });
  if (!res.ok) {
    showErrors(res.body?.data?.socials)?.focus();
    setStatus($("socials-status"), messageOf(res, "Could not save your icons."), "bad");
    return;
  }
  showErrors(null);
  $("social-rows").replaceChildren();
  for (const s of res.body.socials || []) addRow(s);
  changed();
  setStatus($("socials-status"), "Icons saved.", "ok");
}
