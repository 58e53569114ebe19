// The login page: posts {identity, password} to /api/login, which sets the
// session cookies, then goes on to the dashboard (or a local ?next= path).
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";
import { safeNext } from "/assets/redirect.js";

const form = document.getElementById("login-form");
const status = document.getElementById("status");
const next = safeNext(new URLSearchParams(location.search).get("next"));

// Already logged in: nothing to do here.
api("GET", "/api/me").then((res) => { if (res.ok) location.replace(next); });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  setStatus(status, "");
  const missing = {};
  if (!form.identity.value.trim()) missing.identity = { message: "Enter your email or username." };
  if (!form.password.value) missing.password = { message: "Enter your password." };
  if (Object.keys(missing).length) {
    showFieldErrors(form, missing)?.focus();
    return;
  }
  showFieldErrors(form, {});
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const res = await api("POST", "/api/login", { identity: form.identity.value.trim(), password: form.password.value });
  button.disabled = false;
  if (res.ok) {
    location.assign(next);
    return;
  }
  const first = showFieldErrors(form, res.body?.data);
  setStatus(status, messageOf(res, "Could not log in."), "bad");
  (first || form.password).focus();
});
