// Where a redirect whose target comes from a URL (?next=, the OAuth2
// callback's saved target) may go: only to a path of this site's origin,
// judged the way the browser itself reads the target. `new URL` applies
// the browser's normalisation (tabs and newlines removed, backslashes read
// as slashes, "//host" as another host, schemes), so "/\t/evil.com" is
// seen as the "//evil.com" it becomes. Every page that redirects imports
// safeNext from here; redirect/redirect.go is the same rule on the server.

// safeNext returns raw resolved against origin, as a path-absolute
// reference ("/path?query#hash") when it stays on origin, else fallback.
// The answer never starts with "//", so it cannot name another host.
export function safeNext(raw, fallback = "/dashboard", origin = globalThis.location?.origin) {
  if (typeof raw !== "string" || raw.trim() === "" || !origin) return fallback;
  let url;
  try {
    url = new URL(raw, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin || url.username || url.password) return fallback;
  return "/" + url.pathname.replace(/^\/+/, "") + url.search + url.hash;
}
