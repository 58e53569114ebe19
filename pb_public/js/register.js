// The sign-up form of /register: posts JSON to /api/register and shows the
// API's field errors next to their fields. No inline script, so the page
// works under a strict Content-Security-Policy.
const form = document.getElementById("register");

// showErrors writes each field's message, marks the field invalid and
// returns the first field with an error, to move the focus there.
function showErrors(errors) {
  let first = null;
  for (const out of form.querySelectorAll("[data-error-for]")) {
    const err = errors[out.dataset.errorFor];
    out.textContent = err ? err.message : "";
    const input = form.elements[out.dataset.errorFor];
    if (input instanceof HTMLInputElement) {
      if (err) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (err && !first) first = input;
    }
  }
  return first;
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
      window.location.assign("/dashboard");
      return;
    }
    const data = await res.json().catch(() => ({}));
    showErrors({ ...(data.data || {}), form: { message: data.message || "Sign-up failed." } })?.focus();
  } catch {
    showErrors({ form: { message: "Network error, please try again." } });
  }
});
