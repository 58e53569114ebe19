// The reset page: reads the token from the link, then posts it with the
// new password to POST /api/reset-password.
import { takeToken } from "/account-page.js";
import { api, messageOf } from "/assets/api.js";

const token = takeToken();
const form = document.getElementById("reset-form");
const status = document.getElementById("status");
const fieldError = (name) => document.getElementById(name + "-error");

if (!token) {
  form.hidden = true;
  status.textContent = "This link is incomplete. Ask for a new reset mail.";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  fieldError("password").textContent = "";
  fieldError("confirm").textContent = "";
  status.textContent = "";
  const password = form.password.value;
  if (password !== form.confirm.value) {
    fieldError("confirm").textContent = "The two passwords differ.";
    form.confirm.focus();
    return;
  }
  const res = await api("POST", "/api/reset-password", { token, password }, { session: false });
  if (res.ok) {
    form.hidden = true;
    status.textContent = "Your password was changed. You can now log in with it; other sessions were logged out.";
    return;
  }
  const data = res.body?.data ?? {};
  if (data.password) {
    fieldError("password").textContent = data.password.message;
    form.password.focus();
  } else if (data.token) {
    form.hidden = true;
    status.textContent = "This link is invalid or has expired. Ask for a new reset mail.";
  } else {
    status.textContent = messageOf(res);
  }
});
