// The verification page: posts the token from the link to
// POST /api/verify-email and says how it went.
import { takeToken } from "/account-page.js";
import { api } from "/assets/api.js";

const status = document.getElementById("status");
const token = takeToken();

if (!token) {
  status.textContent = "This link is incomplete. Ask for a new verification mail.";
} else {
  const res = await api("POST", "/api/verify-email", { token }, { session: false });
  status.textContent = res.ok
    ? "Thank you, your email address is verified."
    : "This link was already used, or is invalid or expired. If your address is not verified yet, ask for a new verification mail.";
}
