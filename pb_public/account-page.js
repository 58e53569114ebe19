// Shared by the pages that a mailed link opens.

// takeToken returns the token of the link and removes it from the address
// bar and history, so it is not bookmarked, shared or shown again.
export function takeToken() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token") || "";
  if (token) {
    url.searchParams.delete("token");
    window.history.replaceState(null, "", url.pathname + url.search);
  }
  return token;
}

// postJSON posts body as JSON without cookies: these calls need no session,
// and leaving the cookie out keeps a logged-in browser clear of the CSRF
// check. It resolves to {ok, body} and never throws.
export async function postJSON(path, body) {
  try {
    const res = await fetch(path, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { ok: res.ok, body: text ? JSON.parse(text) : null };
  } catch {
    return { ok: false, body: { message: "Network error. Please check your connection and try again." } };
  }
}
