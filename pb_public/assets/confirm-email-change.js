// The page PocketBase's email-change mail links to: reads the token from the
// link and confirms it with the account's password through PocketBase's own
// POST /api/collections/users/confirm-email-change. Every earlier session
// ends with the change, so the person logs in again afterwards.
import { takeToken } from "/account-page.js";
import { api, messageOf } from "/assets/api.js";

const token = takeToken();
const form = document.getElementById("email-change-form");
const status = document.getElementById("status");
const passwordError = document.getElementById("password-error");

if (!token) {
  form.hidden = true;
  status.textContent = "This link is incomplete. Ask for the email change again from your dashboard.";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  passwordError.textContent = "";
  form.password.removeAttribute("aria-invalid");
  status.textContent = "";
  if (!form.password.value) {
    passwordError.textContent = "Type your password.";
    form.password.setAttribute("aria-invalid", "true");
    form.password.focus();
    return;
  }
  const res = await api("POST", "/api/collections/users/confirm-email-change", { token, password: form.password.value }, { session: false });
  if (res.ok) {
    form.hidden = true;
    document.getElementById("intro").hidden = true;
    status.textContent = "Your email address was changed. Log in again with the new address.";
    return;
  }
  const data = res.body?.data ?? {};
  if (data.password) {
    passwordError.textContent = "The password is not right.";
    form.password.setAttribute("aria-invalid", "true");
    form.password.focus();
  } else if (data.token) {
    form.hidden = true;
    status.textContent = "This link is invalid or has expired. Ask for the email change again from your dashboard.";
  } else {
    status.textContent = messageOf(res);
  }
});
