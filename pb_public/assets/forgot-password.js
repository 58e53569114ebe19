// The forgot-password page: posts {email} to /api/forgot-password. The API
// answers alike for known and unknown addresses, and so does the page.
import { api, messageOf, showFieldErrors, setStatus } from "/assets/api.js";

const form = document.getElementById("forgot-form");
const status = document.getElementById("status");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  setStatus(status, "");
  const email = form.email.value.trim();
  if (!email) {
    showFieldErrors(form, { email: { message: "Enter your email address." } })?.focus();
    return;
  }
  showFieldErrors(form, {});
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const res = await api("POST", "/api/forgot-password", { email });
  button.disabled = false;
  if (res.ok) {
    form.reset();
    setStatus(status, `If an account exists for ${email}, a reset link is on its way. Check your inbox.`, "ok");
    return;
  }
  const first = showFieldErrors(form, res.body?.data);
  setStatus(status, messageOf(res), "bad");
  (first || form.email).focus();
});
