// The sign-up form of /register: posts JSON to /api/register and shows the
// API's field errors next to their fields. No inline script, so the page
// works under a strict Content-Security-Policy.
const form = document.getElementById("register");

function showErrors(errors) {
  for (const out of form.querySelectorAll("[data-error-for]")) {
    const err = errors[out.dataset.errorFor];
    out.textContent = err ? err.message : "";
  }
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(form));
  if (!body.referral_code) delete body.referral_code;
  showErrors({});
  try {
    const res = await fetch("/api/register", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.ok) {
      window.location.assign("/");
      return;
    }
    const data = await res.json().catch(() => ({}));
    showErrors({ ...(data.data || {}), form: { message: data.message || "Sign-up failed." } });
  } catch {
    showErrors({ form: { message: "Network error, please try again." } });
  }
});
