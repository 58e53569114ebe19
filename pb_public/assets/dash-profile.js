// The dashboard's profile editor: display name, bio and appearance, saved
// with PATCH on the user's own record through PocketBase's collection API
// (its rules let a user edit only their own profile fields), and the
// avatar as a multipart upload to the same record. Every change shows in
// the live preview at once. A colour can be set or left automatic: the
// server then picks one that keeps text and buttons readable (theme.js
// shows which, and says so before saving if a chosen pair is too faint).
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";
import { el } from "/assets/dom.js";
import { friendlyErrors } from "/assets/messages.js";
import { resolveTheme, colourKeys, minContrast } from "/assets/theme.js";

const $ = (id) => document.getElementById(id);
const colourLabels = { background: "Background", text: "Text", button: "Buttons", button_text: "Button text", accent: "Accent" };
const profileLabels = { display_name: "a display name", bio: "a bio" };
let ctx = null;
let presets = [];

export function initProfile(context) {
  ctx = context;
  const form = $("profile-form");
  buildColourFields();
  fill(form, ctx.me);
  form.addEventListener("input", () => changed(form));
  form.addEventListener("change", () => changed(form));
  form.addEventListener("submit", (e) => { e.preventDefault(); save(form); });
  $("avatar-form").addEventListener("submit", (e) => { e.preventDefault(); uploadAvatar(); });
  $("avatar-remove").addEventListener("click", () => removeAvatar());
  loadPresets(form);
}

function buildColourFields() {
  $("colour-grid").replaceChildren(...colourKeys.map((key) => el("div", { class: "field colour-field" },
    el("label", { for: "theme-" + key }, colourLabels[key]),
    el("input", { id: "theme-" + key, name: key, type: "color" }),
    el("label", { class: "auto" },
      el("input", { id: `theme-${key}-auto`, type: "checkbox", "data-auto": key }),
      "Automatic", el("span", { class: "sr-only" }, ` ${colourLabels[key].toLowerCase()} colour`)))));
  // Picking a colour by hand turns "Automatic" off for it.
  for (const key of colourKeys) $("theme-" + key).addEventListener("input", () => { $(`theme-${key}-auto`).checked = false; });
}

// draft is the theme as the form stands: set colours only, as stored.
function draftTheme() {
  const theme = {};
  for (const key of colourKeys) if (!$(`theme-${key}-auto`).checked) theme[key] = $("theme-" + key).value;
  theme.button_style = $("theme-button_style").value;
  theme.font = $("theme-font").value;
  return theme;
}

function fill(form, me) {
  form.elements.display_name.value = me.display_name || "";
  form.elements.bio.value = me.bio || "";
  setTheme(me.theme && typeof me.theme === "object" ? me.theme : {});
  showAvatar(me.avatar_url);
}

function setTheme(theme) {
  for (const key of colourKeys) {
    $(`theme-${key}-auto`).checked = !theme[key];
    if (theme[key]) $("theme-" + key).value = normalise(theme[key]);
  }
  $("theme-button_style").value = theme.button_style || "rounded";
  $("theme-font").value = theme.font || "system";
  showResolved();
}

// <input type=color> holds #rrggbb only.
const normalise = (c) => (c.length === 4 ? "#" + [...c.slice(1)].map((x) => x + x).join("") : c).toLowerCase();

// showResolved shows the automatic colours the server would pick, and
// whether the chosen ones are readable; it returns the problem, if any.
function showResolved() {
  const draft = draftTheme();
  const { theme, problem } = resolveTheme(draft);
  const out = $("theme-contrast");
  for (const key of colourKeys) {
    const auto = $(`theme-${key}-auto`).checked;
    if (auto && theme) $("theme-" + key).value = normalise(theme[key]);
  }
  if (problem) {
    out.className = "small error";
    out.textContent = problem.name
      ? `${problem.name} has a contrast of ${problem.ratio.toFixed(1)}:1; it needs at least ${minContrast}:1. Pick a lighter or darker colour, or set one of them to Automatic.`
      : `No colours can keep everything readable with the ones you picked. Set some of them to Automatic.`;
  } else {
    out.className = "small contrast-ok";
    out.textContent = `Text and buttons are readable: every pair has a contrast of at least ${minContrast}:1.`;
  }
  for (const b of $("theme-presets").querySelectorAll("button")) {
    const p = presets.find((x) => x.id === b.dataset.preset);
    b.setAttribute("aria-pressed", String(Boolean(p) && sameTheme(p.theme, draft)));
  }
  return problem;
}

const sameTheme = (a, b) => [...colourKeys, "button_style", "font"].every((k) => normalise(a[k] || "") === normalise(b[k] || ""));

function changed(form) {
  showResolved();
  ctx.updatePreview({
    displayName: form.elements.display_name.value.trim(), bio: form.elements.bio.value, theme: draftTheme(),
  });
}

async function loadPresets(form) {
  const res = await api("GET", "/assets/theme-presets.json");
  if (!res.ok || !Array.isArray(res.body)) return;
  presets = res.body;
  $("theme-presets").replaceChildren(...presets.map((p) => el("li", {},
    el("button", {
      type: "button", class: "preset", "data-preset": p.id, "aria-pressed": "false",
      onclick: () => { setTheme(p.theme); changed(form); },
    }, swatches(p.theme), p.name))));
  showResolved();
}

// swatches shows a preset's colours; they are set through the CSSOM,
// which the CSP allows (style attributes it does not).
function swatches(theme) {
  const row = el("span", { class: "swatches", "aria-hidden": "true" });
  for (const key of ["background", "text", "button", "accent"]) {
    const dot = el("span");
    dot.style.background = theme[key];
    row.append(dot);
  }
  return row;
}

function showAvatar(url) {
  const img = $("avatar-preview");
  img.hidden = !url;
  if (url) img.src = url;
  $("avatar-remove").hidden = !url;
}

async function save(form) {
  const status = $("profile-status");
  if (showResolved()) {
    setStatus(status, "Some text would be hard to read: see Appearance.", "bad");
    $("theme-fieldset").querySelector("input")?.focus();
    return;
  }
  const body = { display_name: form.elements.display_name.value.trim(), bio: form.elements.bio.value, theme: draftTheme() };
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, body);
  const first = showFieldErrors(form, friendlyErrors(res.body?.data, profileLabels));
  $("theme-error").textContent = res.body?.data?.theme?.message || "";
  if (!res.ok) {
    setStatus(status, messageOf(res, "Could not save your profile."), "bad");
    first?.focus();
    return;
  }
  await refreshMe();
  setStatus(status, "Profile saved.", "ok");
}

// Avatar errors are said in the form's words: PocketBase's own messages
// name the uploaded file as it would be stored.
const avatarLabels = { avatar: "a picture" };

async function uploadAvatar() {
  const form = $("avatar-form");
  const file = form.elements.avatar.files[0];
  if (!file) {
    showFieldErrors(form, { avatar: { message: "Choose a picture first." } })?.focus();
    return;
  }
  const data = new FormData();
  data.append("avatar", file);
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, data);
  showFieldErrors(form, friendlyErrors(res.body?.data, avatarLabels));
  if (!res.ok) {
    setStatus($("profile-status"), res.status === 400 ? "That picture could not be used." : messageOf(res, "Could not upload the picture."), "bad");
    return;
  }
  form.reset();
  await refreshMe();
  setStatus($("profile-status"), "Avatar updated.", "ok");
}

async function removeAvatar() {
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, { avatar: null });
  if (!res.ok) {
    setStatus($("profile-status"), messageOf(res, "Could not remove the picture."), "bad");
    return;
  }
  await refreshMe();
  setStatus($("profile-status"), "Avatar removed.", "ok");
}

async function refreshMe() {
  const res = await api("GET", "/api/me");
  if (res.ok) {
    ctx.showMe(res.body);
    showAvatar(res.body.avatar_url);
    ctx.updatePreview({ avatarURL: res.body.avatar_url, displayName: res.body.display_name, bio: res.body.bio });
  }
}
