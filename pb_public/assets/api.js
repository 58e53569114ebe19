// Shared by the pages: calls the JSON API with the browser session. The
// session cookie is HttpOnly, so scripts never see the token; unsafe
// requests echo the readable csrf_token cookie in X-CSRF-Token, as the
// session middleware requires (routes/session.go).

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// csrfToken returns the value of the csrf_token cookie, or "".
export function csrfToken() {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "csrf_token") return decodeURIComponent(rest.join("="));
  }
  return "";
}

// api sends one request and resolves to {ok, status, body, retryAfter}; it
// never throws, so every caller shows a message instead of failing
// silently. body may be a plain object (sent as JSON) or FormData. With
// {session: false} the request goes without cookies (the pages a mailed
// link opens need no session, and leaving it out keeps a logged-in browser
// clear of the CSRF check).
export async function api(method, path, body, { session = true } = {}) {
  const headers = {};
  if (session && unsafeMethods.has(method)) headers["X-CSRF-Token"] = csrfToken();
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  try {
    const res = await fetch(path, { method, headers, body: payload, credentials: session ? "same-origin" : "omit" });
    const text = await res.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
    return { ok: res.ok, status: res.status, body: parsed, retryAfter: res.headers.get("Retry-After") };
  } catch {
    return { ok: false, status: 0, body: null, retryAfter: null };
  }
}

// messageOf turns a failed answer into one sentence for a person.
export function messageOf(res, fallback = "Something went wrong. Please try again.") {
  if (res.status === 0) return "Network error. Please check your connection and try again.";
  if (res.status === 429) {
    const wait = Number(res.retryAfter);
    return wait > 0 ? `Too many attempts. Please wait ${wait} seconds and try again.` : "Too many attempts. Please wait a moment and try again.";
  }
  return res.body?.message || fallback;
}

// showFieldErrors writes the API's per-field errors next to their inputs
// (elements with id "<field>-error") and marks the inputs invalid; it
// returns the first input with an error, to focus it.
export function showFieldErrors(form, data) {
  let first = null;
  for (const input of form.querySelectorAll("input, textarea, select")) {
    if (!input.name) continue;
    const out = form.querySelector(`#${CSS.escape(input.id || input.name)}-error`);
    const err = data?.[input.name];
    if (out) out.textContent = err ? err.message : "";
    if (err) {
      input.setAttribute("aria-invalid", "true");
      first ??= input;
    } else {
      input.removeAttribute("aria-invalid");
    }
  }
  return first;
}

// setStatus shows a message in a live region; kind is "ok", "bad" or "info".
export function setStatus(el, text, kind = "info") {
  el.className = "status " + kind;
  el.textContent = text;
}

