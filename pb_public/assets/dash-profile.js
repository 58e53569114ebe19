// The dashboard's profile editor: display name, bio and theme, saved with
// PATCH on the user's own record through PocketBase's collection API (its
// rules let a user edit only their own profile fields), and the avatar as
// a multipart upload to the same record.
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";

const $ = (id) => document.getElementById(id);

// defaultTheme mirrors linkbio.Theme.WithDefaults, so the pickers show what
// the public page shows for a key left unset.
const defaultTheme = {
  background: "#f8fafc", text: "#0f172a", button: "#0f172a", button_text: "#f8fafc", accent: "#2563eb",
  button_style: "rounded", font: "system",
};
const themeKeys = Object.keys(defaultTheme);

export function initProfile(ctx) {
  const form = $("profile-form");
  fill(form, ctx.me);
  form.addEventListener("submit", (e) => { e.preventDefault(); save(ctx, form); });
  $("avatar-form").addEventListener("submit", (e) => { e.preventDefault(); uploadAvatar(ctx); });
  $("avatar-remove").addEventListener("click", () => removeAvatar(ctx));
}

function fill(form, me) {
  form.elements.display_name.value = me.display_name || "";
  form.elements.bio.value = me.bio || "";
  const theme = { ...defaultTheme, ...(me.theme && typeof me.theme === "object" ? me.theme : {}) };
  for (const key of themeKeys) $("theme-" + key).value = theme[key];
  showAvatar(me.avatar_url);
}

function showAvatar(url) {
  const img = $("avatar-preview");
  img.hidden = !url;
  if (url) img.src = url;
  $("avatar-remove").hidden = !url;
}

async function save(ctx, form) {
  const status = $("profile-status");
  const theme = {};
  for (const key of themeKeys) theme[key] = $("theme-" + key).value;
  const body = { display_name: form.elements.display_name.value.trim(), bio: form.elements.bio.value, theme };
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, body);
  const first = showFieldErrors(form, res.body?.data);
  $("theme-error").textContent = res.body?.data?.theme?.message || "";
  if (!res.ok) {
    setStatus(status, messageOf(res, "Could not save your profile."), "bad");
    first?.focus();
    return;
  }
  await refreshMe(ctx);
  setStatus(status, "Profile saved.", "ok");
}

async function uploadAvatar(ctx) {
  const form = $("avatar-form");
  const file = form.elements.avatar.files[0];
  if (!file) {
    showFieldErrors(form, { avatar: { message: "Choose a picture first." } })?.focus();
    return;
  }
  const data = new FormData();
  data.append("avatar", file);
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, data);
  showFieldErrors(form, res.body?.data);
  if (!res.ok) {
    setStatus($("profile-status"), messageOf(res, "Could not upload the picture."), "bad");
    return;
  }
  form.reset();
  await refreshMe(ctx);
  setStatus($("profile-status"), "Avatar updated.", "ok");
}

async function removeAvatar(ctx) {
  const res = await api("PATCH", `/api/collections/users/records/${encodeURIComponent(ctx.me.id)}`, { avatar: null });
  if (!res.ok) {
    setStatus($("profile-status"), messageOf(res, "Could not remove the picture."), "bad");
    return;
  }
  await refreshMe(ctx);
  setStatus($("profile-status"), "Avatar removed.", "ok");
}

async function refreshMe(ctx) {
  const res = await api("GET", "/api/me");
  if (res.ok) {
    ctx.showMe(res.body);
    showAvatar(res.body.avatar_url);
  }
}
