// The verification page: posts the token from the link to
// POST /api/verify-email and says how it went.
import { takeToken, postJSON } from "/account-page.js";

const status = document.getElementById("status");
const token = takeToken();

if (!token) {
  status.textContent = "This link is incomplete. Ask for a new verification mail.";
} else {
  const res = await postJSON("/api/verify-email", { token });
  status.textContent = res.ok
    ? "Thank you, your email address is verified."
    : "This link was already used, or is invalid or expired. If your address is not verified yet, ask for a new verification mail.";
}
